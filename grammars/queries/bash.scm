; Bash (and other POSIX shells): functions, top-level variables; commands
; run (calls) and files sourced (imports).

(function_definition name: (word) @name body: (_) @body) @definition.function
(program (variable_assignment name: (variable_name) @name) @definition.variable)
(program (declaration_command (variable_assignment name: (variable_name) @name) @definition.variable))

((command
   name: (command_name (word) @_source)
   argument: (_) @name) @reference.import
 (#any-of? @_source "source" "."))
(command name: (command_name (word) @name)) @reference.call

; Recovery: a construct tree-sitter-bash cannot parse further down the file
; (some extglob patterns) turns the file into an ERROR node in which a
; function is only its name, "(", ")" and "{".
(ERROR (word) @name @definition.function . "(" . ")" . "{")
