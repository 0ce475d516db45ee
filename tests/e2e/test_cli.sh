#!/bin/bash
# End-to-end: every command has help, and `cairn help` lists them all.
. "$(dirname "$0")/lib.sh"

ok "cairn help" "$CAIRN" help
cp "$T/.out" "$T/help"
for cmd in index search status help version; do
    contains "help lists $cmd" "$T/help" "^  $cmd "
    ok "cairn help $cmd" "$CAIRN" help "$cmd"
    contains "help $cmd has usage" "$T/.out" "^usage: cairn $cmd"
    ok "cairn $cmd --help" "$CAIRN" "$cmd" --help
    contains "$cmd --help has usage" "$T/.out" "^usage: cairn $cmd"
done
for cmd in index search status; do
    "$CAIRN" help "$cmd" >"$T/h"
    contains "help $cmd has an example" "$T/h" "^  cairn $cmd"
    grep -q "cairn $cmd" "$ROOT/README.md"; _report $? "README documents cairn $cmd"
done
ok "cairn version" "$CAIRN" version
contains "version string" "$T/.out" "^cairn [0-9]+\.[0-9]+\.[0-9]+"
"$CAIRN" >/dev/null 2>&1; equal "no command exits 2" "$?" 2
fails "help for an unknown command" "$CAIRN" help nope
finish
