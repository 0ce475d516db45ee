#!/bin/bash
# End-to-end: every command `cairn help` lists has its own help with a
# usage line and an example, answers --help, and is documented in README.md.
. "$(dirname "$0")/lib.sh"

ok "cairn help" "$CAIRN" help
cp "$T/.out" "$T/help"
cmds=$(sed -n '/^commands:/,/^$/p' "$T/help" | awk 'NF && $1 != "commands:" {print $1}')
n=$(echo "$cmds" | wc -w)
[ "$n" -ge 8 ]; _report $? "help lists the commands ($n)"
for cmd in $cmds; do
    ok "cairn help $cmd" "$CAIRN" help "$cmd"
    contains "help $cmd has usage" "$T/.out" "^usage: cairn $cmd"
    ok "cairn $cmd --help" "$CAIRN" "$cmd" --help
    contains "$cmd --help has usage" "$T/.out" "^usage: cairn $cmd"
    case $cmd in help | version) continue ;; esac
    "$CAIRN" help "$cmd" >"$T/h"
    contains "help $cmd has an example" "$T/h" "^  cairn $cmd"
    grep -q "cairn $cmd" "$ROOT/README.md"; _report $? "README documents cairn $cmd"
done
ok "cairn version" "$CAIRN" version
contains "version string" "$T/.out" "^cairn [0-9]+\.[0-9]+\.[0-9]+"
"$CAIRN" >/dev/null 2>&1; equal "no command exits 2" "$?" 2
fails "help for an unknown command" "$CAIRN" help nope
"$CAIRN" search --no-such-option x >/dev/null 2>&1; equal "an unknown option exits 2" "$?" 2
finish
