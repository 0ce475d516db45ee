; C on top of cfamily.scm.

; Recovery (see cfamily.scm): "SQLITE_API sqlite3_int64 f(sqlite3*);" can
; also leave the prototype as a macro type specifier outside any
; declaration.
(macro_type_specifier
  name: (identifier) @name
  (#not-match? @name "^[A-Z0-9_]+$")
  (#set! outside "compound_statement declaration field_declaration parameter_declaration type_definition type_descriptor sizeof_expression cast_expression")) @definition.function
