; C++ on top of cfamily.scm: classes, namespaces, methods declared in class
; bodies, out-of-line "A::b" definitions (their scope comes from the name),
; operators, destructors, references, aliases; qualified and template calls,
; base classes.

(class_specifier
  name: [(type_identifier) @name (template_type name: (type_identifier) @name) (qualified_identifier) @name]
  body: (_) @body) @definition.class

(namespace_definition
  name: (_) @name
  body: (_) @body) @definition.namespace

(field_declaration
  declarator: [
    (function_declarator declarator: (_) @name)
    (pointer_declarator declarator: (function_declarator declarator: (_) @name))
    (reference_declarator (function_declarator declarator: (_) @name))
  ]
  (#not-match? @name "^[A-Z][A-Z0-9_]*$")) @definition.function

(function_definition
  declarator: [
    (reference_declarator (function_declarator declarator: (_) @name))
    (pointer_declarator declarator: (reference_declarator (function_declarator declarator: (_) @name)))
  ]
  body: (_)? @body) @definition.function

(declaration
  declarator: (reference_declarator (function_declarator declarator: (_) @name))
  (#set! outside "compound_statement")) @definition.function

(template_declaration
  (declaration
    declarator: (function_declarator declarator: (_) @name)) @definition.function)

(alias_declaration name: (type_identifier) @name) @definition.type

(call_expression function: (qualified_identifier) @name) @reference.call
(call_expression function: (template_function name: (_) @name)) @reference.call
(call_expression
  function: (field_expression argument: (_) @qualifier field: (template_method name: (_) @name))) @reference.call

(base_class_clause
  [(type_identifier) @name (qualified_identifier) @name (template_type) @name] @reference.inherit)
