; C and C++ (the C++ grammar extends C's): functions and prototypes through
; pointer, reference and parenthesized declarators (not named in capitals
; only: those are macros such as TEST(...) { ... }; prototypes not inside
; function bodies, where "T x(a);" is a variable), structs, unions, enums
; and their enumerators, typedefs, macros, file-scope variables; calls, type
; uses, includes.  cpp.scm adds C++'s own forms.

(function_definition
  declarator: [
    (function_declarator declarator: (_) @name)
    (pointer_declarator declarator: (function_declarator declarator: (_) @name))
    (pointer_declarator declarator: (pointer_declarator declarator: (function_declarator declarator: (_) @name)))
    (function_declarator declarator: (parenthesized_declarator (pointer_declarator declarator: (function_declarator declarator: (_) @name))))
  ]
  body: (_)? @body
  (#not-match? @name "^[(*&]|^[A-Z][A-Z0-9_]*$")) @definition.function

(declaration
  declarator: [
    (function_declarator declarator: (_) @name)
    (pointer_declarator declarator: (function_declarator declarator: (_) @name))
    (pointer_declarator declarator: (pointer_declarator declarator: (function_declarator declarator: (_) @name)))
    (function_declarator declarator: (parenthesized_declarator (pointer_declarator declarator: (function_declarator declarator: (_) @name))))
  ]
  (#not-match? @name "^[(*&]|^[A-Z][A-Z0-9_]*$")
  (#set! outside "compound_statement")) @definition.function

(struct_specifier name: (_) @name body: (_) @body) @definition.struct
(union_specifier name: (_) @name body: (_) @body) @definition.union
(enum_specifier name: (_) @name body: (_) @body) @definition.enum
(enumerator name: (identifier) @name) @definition.constant

(type_definition
  type: [(struct_specifier body: (_) @body) (union_specifier body: (_) @body) (enum_specifier body: (_) @body)]
  declarator: [
    (type_identifier) @name
    (pointer_declarator declarator: (type_identifier) @name)
  ]) @definition.type

(type_definition
  declarator: [
    (type_identifier) @name
    (pointer_declarator declarator: (type_identifier) @name)
    (pointer_declarator declarator: (pointer_declarator declarator: (type_identifier) @name))
    (array_declarator declarator: (type_identifier) @name)
    (function_declarator declarator: (parenthesized_declarator (pointer_declarator declarator: (type_identifier) @name)))
    (function_declarator declarator: (type_identifier) @name)
  ]) @definition.type

(preproc_def name: (identifier) @name) @definition.macro
(preproc_function_def name: (identifier) @name) @definition.macro

(translation_unit
  (declaration
    declarator: [
      (identifier) @name
      (init_declarator declarator: (identifier) @name)
      (init_declarator declarator: (pointer_declarator declarator: (identifier) @name))
      (pointer_declarator declarator: (identifier) @name)
      (array_declarator declarator: (identifier) @name)
      (init_declarator declarator: (array_declarator declarator: (identifier) @name))
    ]) @definition.variable)

(call_expression function: (identifier) @name) @reference.call
(call_expression
  function: (field_expression argument: (_) @qualifier field: (field_identifier) @name)) @reference.call

(type_identifier) @name @reference.type

(preproc_include path: (_) @name) @reference.include

; Recovery: a prototype with a macro before a user-defined return type
; ("SQLITE_API sqlite3_int64 f(sqlite3*);", "CURL_EXTERN CURLcode
; CURL_DEPRECATED(...) f(...);") parses as a declaration of the type name
; followed by a call statement or a macro type; neither can stand outside a
; function body in valid C, so there they are the prototype.  All-capitals
; names are left out: those are macro invocations.
(expression_statement
  [(call_expression function: (identifier) @name)
   (pointer_expression argument: (call_expression function: (identifier) @name))]
  (#not-match? @name "^[A-Z0-9_]+$")
  (#set! outside "compound_statement field_declaration_list initializer_list")) @definition.function
