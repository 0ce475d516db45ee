; TypeScript and TSX on top of ecma.scm: interfaces, type aliases, enums,
; abstract classes, namespaces and ambient modules, signatures (overloads,
; declare function, abstract methods, and the methods and constructors of
; interfaces, not of every object type), class fields holding functions;
; type uses, extends and implements.

(abstract_class_declaration name: (_) @name body: (_) @body) @definition.class
(interface_declaration name: (_) @name body: (_) @body) @definition.interface
(type_alias_declaration name: (_) @name) @definition.type
(enum_declaration name: (_) @name body: (_) @body) @definition.enum
(internal_module name: (_) @name body: (_) @body) @definition.namespace
(module name: (_) @name body: (_) @body) @definition.module

(function_signature name: (_) @name) @definition.function
(interface_body (method_signature name: (_) @name) @definition.function)
(class_body (method_signature name: (_) @name) @definition.function)
(abstract_method_signature name: (_) @name) @definition.function
(interface_body (construct_signature "new" @name) @definition.function)

(public_field_definition
  name: (_) @name
  value: [(arrow_function body: (_) @body) (function_expression body: (_) @body)]) @definition.function

(type_identifier) @name @reference.type
(nested_type_identifier module: (_) @qualifier name: (type_identifier) @name) @reference.type

(extends_clause value: [(identifier) @name (member_expression object: (_) @qualifier property: (_) @name)] @reference.inherit)
(extends_type_clause type: [(type_identifier) @name (generic_type name: (type_identifier) @name)] @reference.inherit)
(implements_clause [(type_identifier) @name (generic_type name: (type_identifier) @name)] @reference.inherit)
