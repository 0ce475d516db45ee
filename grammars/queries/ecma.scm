; JavaScript and TypeScript (whose grammar extends JavaScript's): what both
; grammars share.  javascript.scm and typescript.scm add their own forms.

(function_declaration name: (_) @name body: (_) @body) @definition.function
(generator_function_declaration name: (_) @name body: (_) @body) @definition.function
(function_expression name: (_) @name body: (_) @body) @definition.function
(class_declaration name: (_) @name body: (_) @body) @definition.class
(class name: (_) @name body: (_) @body) @definition.class
(method_definition name: (_) @name body: (_) @body) @definition.function

; const f = () => {}, let g = function () {}
(variable_declarator
  name: (identifier) @name
  value: [
    (arrow_function body: (_) @body)
    (function_expression body: (_) @body)
    (generator_function body: (_) @body)
  ]) @definition.function

; obj.prop = function () {}, Foo.prototype.m = function () {}
(assignment_expression
  left: (member_expression
    object: (member_expression
      object: (identifier) @scope
      property: (property_identifier) @_proto)
    property: (property_identifier) @name)
  right: [(arrow_function body: (_) @body) (function_expression body: (_) @body)]
  (#eq? @_proto "prototype")) @definition.method
(assignment_expression
  left: (member_expression object: (_) @scope property: (property_identifier) @name)
  right: [(arrow_function body: (_) @body) (function_expression body: (_) @body)]) @definition.function
(assignment_expression
  left: (identifier) @name
  right: [(arrow_function body: (_) @body) (function_expression body: (_) @body)]) @definition.function

; { key: () => 1, "key": function () {} }
(pair
  key: [(property_identifier) (string) (number)] @name
  value: [(arrow_function body: (_) @body) (function_expression body: (_) @body)]) @definition.function

; module-level variables and constants (not require() results)
(program
  (lexical_declaration
    (variable_declarator name: (identifier) @name value: (_)? @_value) @definition.variable)
  (#not-match? @_value "^require[ (]"))
(program
  (variable_declaration
    (variable_declarator name: (identifier) @name value: (_)? @_value) @definition.variable)
  (#not-match? @_value "^require[ (]"))
(program
  (export_statement
    declaration: (lexical_declaration
      (variable_declarator name: (identifier) @name) @definition.variable)))

; module-level objects: exports.Any = { fromJSON() {...} } (their methods
; are qualified by them)
(program
  (expression_statement
    (assignment_expression
      left: [(identifier) @name (member_expression object: (_) @scope property: (property_identifier) @name)]
      right: (object) @body) @definition.variable))

(call_expression function: (identifier) @name) @reference.call
(call_expression
  function: (member_expression object: (_) @qualifier property: (_) @name)) @reference.call
(new_expression constructor: (identifier) @name) @reference.call
(new_expression
  constructor: (member_expression object: (_) @qualifier property: (_) @name)) @reference.call

(import_statement source: (string) @name) @reference.import
(export_statement source: (string) @name) @reference.import
((call_expression
   function: (identifier) @_require
   arguments: (arguments . (string) @name)) @reference.import
 (#eq? @_require "require"))
(call_expression
  function: (import)
  arguments: (arguments . (string) @name)) @reference.import
