; Rust: functions (methods inside impl and trait blocks), structs, enums,
; unions, traits, impl blocks named "Type" or "Trait for Type", type
; aliases, modules, macro_rules!, constants and statics.  References:
; calls (paths and methods), macro invocations, type uses, use
; declarations, implemented traits.

(function_item name: (identifier) @name body: (_) @body) @definition.function
(function_signature_item name: (identifier) @name) @definition.function
(struct_item name: (type_identifier) @name body: (_)? @body) @definition.struct
(enum_item name: (type_identifier) @name body: (_) @body) @definition.enum
(union_item name: (type_identifier) @name body: (_) @body) @definition.union
(trait_item name: (type_identifier) @name body: (_) @body) @definition.trait
(type_item name: (type_identifier) @name) @definition.type
(mod_item name: (identifier) @name body: (_)? @body) @definition.module
(macro_definition name: (identifier) @name . (macro_rule) @body) @definition.macro
(const_item name: (identifier) @name) @definition.constant
(static_item name: (identifier) @name) @definition.constant

(impl_item
  trait: [
    (type_identifier) @name
    (scoped_type_identifier name: (type_identifier) @name)
    (generic_type type: [(type_identifier) @name (scoped_type_identifier name: (type_identifier) @name)])
  ]
  type: [
    (type_identifier) @name
    (scoped_type_identifier name: (type_identifier) @name)
    (generic_type type: [(type_identifier) @name (scoped_type_identifier name: (type_identifier) @name)])
    (reference_type type: [(type_identifier) @name (generic_type type: (type_identifier) @name) (primitive_type) @name])
    (primitive_type) @name
  ]
  body: (_) @body
  (#set! name.sep " for ")) @definition.impl
(impl_item
  !trait
  type: [
    (type_identifier) @name
    (scoped_type_identifier name: (type_identifier) @name)
    (generic_type type: [(type_identifier) @name (scoped_type_identifier name: (type_identifier) @name)])
    (reference_type type: [(type_identifier) @name (generic_type type: (type_identifier) @name) (primitive_type) @name])
    (primitive_type) @name
  ]
  body: (_) @body) @definition.impl

(call_expression function: (identifier) @name) @reference.call
(call_expression function: (scoped_identifier path: (_) @qualifier name: (identifier) @name)) @reference.call
(call_expression function: (field_expression value: (_) @qualifier field: (field_identifier) @name)) @reference.call
(call_expression
  function: (generic_function function: [(identifier) @name (scoped_identifier path: (_) @qualifier name: (identifier) @name)])) @reference.call
(macro_invocation macro: (identifier) @name) @reference.call
(macro_invocation macro: (scoped_identifier path: (_) @qualifier name: (identifier) @name)) @reference.call

(type_identifier) @name @reference.type
(scoped_type_identifier path: (_) @qualifier name: (type_identifier) @name) @reference.type

(use_declaration argument: [(identifier) (scoped_identifier)] @name) @reference.import
(use_declaration argument: (use_as_clause path: (_) @name)) @reference.import
(use_declaration argument: (scoped_use_list path: (_) @qualifier list: (use_list [(identifier) (scoped_identifier)] @name))) @reference.import
(use_declaration argument: (scoped_use_list path: (_) @qualifier list: (use_list (use_as_clause path: (_) @name)))) @reference.import
(use_declaration argument: (use_wildcard (_) @name)) @reference.import

(impl_item trait: [(type_identifier) @name (scoped_type_identifier path: (_) @qualifier name: (type_identifier) @name)
                   (generic_type type: (type_identifier) @name)] @reference.inherit)
