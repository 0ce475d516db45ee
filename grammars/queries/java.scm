; Java: classes, interfaces, enums, records, annotation types, methods and
; constructors, static final fields and enum constants.  References: method
; calls, object creation, type uses, imports, superclasses and interfaces.

(class_declaration name: (identifier) @name body: (_) @body) @definition.class
(interface_declaration name: (identifier) @name body: (_) @body) @definition.interface
(enum_declaration name: (identifier) @name body: (_) @body) @definition.enum
(record_declaration name: (identifier) @name body: (_) @body) @definition.class
(annotation_type_declaration name: (identifier) @name body: (_) @body) @definition.interface
(method_declaration name: (identifier) @name body: (_)? @body) @definition.method
(constructor_declaration name: (identifier) @name body: (_) @body) @definition.method
(compact_constructor_declaration name: (identifier) @name body: (_) @body) @definition.method
(annotation_type_element_declaration name: (identifier) @name) @definition.method
(enum_constant name: (identifier) @name) @definition.constant
((field_declaration
   (modifiers) @_mods
   declarator: (variable_declarator name: (identifier) @name)) @definition.constant
 (#match? @_mods "static")
 (#match? @_mods "final"))

(method_invocation object: (_) @qualifier name: (identifier) @name) @reference.call
(method_invocation !object name: (identifier) @name) @reference.call
(object_creation_expression type: [(type_identifier) @name (generic_type (type_identifier) @name)
                                   (scoped_type_identifier (type_identifier) @name .)]) @reference.call

(type_identifier) @name @reference.type

(import_declaration [(scoped_identifier) (identifier)] @name) @reference.import

(superclass [(type_identifier) @name (generic_type (type_identifier) @name)] @reference.inherit)
(super_interfaces (type_list [(type_identifier) @name (generic_type (type_identifier) @name)] @reference.inherit))
(extends_interfaces (type_list [(type_identifier) @name (generic_type (type_identifier) @name)] @reference.inherit))
