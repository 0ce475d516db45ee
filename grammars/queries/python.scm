; Python: classes, functions (methods inside classes), module-level
; assignments, docstrings; calls, annotations, imports, base classes.

(class_definition
  name: (identifier) @name
  body: (block . (expression_statement . (string) @doc)?) @body) @definition.class

(function_definition
  name: (identifier) @name
  body: (block . (expression_statement . (string) @doc)?) @body) @definition.function

; f = lambda x: ... (anywhere: ctags calls these functions too)
(assignment left: (identifier) @name right: (lambda)) @definition.function

(module
  (expression_statement
    (assignment left: (identifier) @name) @definition.variable))

(module
  (expression_statement
    (assignment left: (pattern_list (identifier) @name)) @definition.variable))

(call function: (identifier) @name) @reference.call
(call function: (attribute object: (_) @qualifier attribute: (identifier) @name)) @reference.call

(type (identifier) @name) @reference.type
(type (attribute object: (_) @qualifier attribute: (identifier) @name)) @reference.type
(generic_type (identifier) @name) @reference.type

(import_statement name: (dotted_name) @name) @reference.import
(import_statement name: (aliased_import name: (dotted_name) @name)) @reference.import
(import_from_statement
  module_name: (_) @qualifier
  name: [(dotted_name) @name (aliased_import name: (dotted_name) @name)]) @reference.import
(import_from_statement
  module_name: (_) @name
  (wildcard_import)) @reference.import
(future_import_statement
  name: (dotted_name) @name) @reference.import

(class_definition
  superclasses: (argument_list
    [(identifier) @name
     (attribute object: (_) @qualifier attribute: (identifier) @name)] @reference.inherit))
