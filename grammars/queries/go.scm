; Go: functions, methods (qualified by their receiver type: pkg.Type.Method),
; struct, interface and other type declarations, interface methods, package
; level constants and variables; the package name prefixes top-level names.
; References: calls, type uses, imports, embedded types.

(package_clause (package_identifier) @package)

(function_declaration name: (identifier) @name body: (_)? @body) @definition.function

(method_declaration
  receiver: (parameter_list
    (parameter_declaration
      type: [
        (type_identifier) @scope
        (pointer_type (type_identifier) @scope)
        (generic_type type: (type_identifier) @scope)
        (pointer_type (generic_type type: (type_identifier) @scope))
      ]))
  name: (field_identifier) @name
  body: (_)? @body) @definition.method

(type_spec name: (type_identifier) @name type: (struct_type (field_declaration_list) @body)) @definition.struct
(type_spec name: (type_identifier) @name type: (interface_type) @body) @definition.interface
(type_spec name: (type_identifier) @name) @definition.type
(type_alias name: (type_identifier) @name) @definition.type
(method_elem name: (field_identifier) @name) @definition.method

(source_file (const_declaration (const_spec name: (identifier) @name) @definition.constant))
(source_file (var_declaration (var_spec name: (identifier) @name) @definition.variable))

(call_expression function: (identifier) @name) @reference.call
(call_expression
  function: (selector_expression operand: (_) @qualifier field: (field_identifier) @name)) @reference.call

(type_identifier) @name @reference.type
(qualified_type package: (package_identifier) @qualifier name: (type_identifier) @name) @reference.type

(import_spec path: (_) @name) @reference.import

(field_declaration_list
  (field_declaration
    !name
    type: [(type_identifier) @name (pointer_type (type_identifier) @name)
           (qualified_type package: (_) @qualifier name: (type_identifier) @name)]) @reference.inherit)
(interface_type
  (type_elem [(type_identifier) @name
              (qualified_type package: (_) @qualifier name: (type_identifier) @name)]) @reference.inherit)
