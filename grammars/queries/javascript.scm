; JavaScript on top of ecma.scm: class fields holding functions, base classes.

(field_definition
  property: (_) @name
  value: [(arrow_function body: (_) @body) (function_expression body: (_) @body)]) @definition.function

(class_heritage [(identifier) @name (member_expression object: (_) @qualifier property: (_) @name)] @reference.inherit)
