; Ruby: classes ("class A::B" is B in A), modules, methods and singleton
; methods ("def self.m"; "class << self" bodies belong to their class),
; constants.  References: method calls, require/load, superclasses and
; include/extend/prepend.

(class name: (_) @name body: (_)? @body) @definition.class
(module name: (_) @name body: (_)? @body) @definition.module
(method name: (_) @name body: (_)? @body) @definition.method
(singleton_method object: (self) name: (_) @name body: (_)? @body) @definition.method
(singleton_method object: [(constant) (identifier)] @scope name: (_) @name body: (_)? @body) @definition.method
(assignment left: (constant) @name) @definition.constant

(call receiver: (_) @qualifier method: (identifier) @name) @reference.call
(call !receiver method: (identifier) @name) @reference.call

((call
   method: (identifier) @_load
   arguments: (argument_list . (string (string_content) @name))) @reference.import
 (#any-of? @_load "require" "require_relative" "load" "autoload"))

(superclass [(constant) @name (scope_resolution scope: (_) @qualifier name: (constant) @name)] @reference.inherit)
((call
   method: (identifier) @_mixin
   arguments: (argument_list [(constant) @name (scope_resolution scope: (_) @qualifier name: (constant) @name)] @reference.inherit))
 (#any-of? @_mixin "include" "extend" "prepend"))
