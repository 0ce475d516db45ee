#!/bin/bash
# End-to-end: cairn serve with real MCP clients — the official TypeScript
# SDK client (tests/mcp/client.mjs) and the MCP Inspector CLI — over an
# index of the TIL archive and a copy of part of the Python stdlib.
. "$(dirname "$0")/lib.sh"
. "$ROOT/tests/mcp/e2e.sh"

mcp_setup_index || { finish; exit 1; }

# Every check of the SDK client becomes one line here.
node_checks "the SDK client session" timeout 300 node "$ROOT/tests/mcp/client.mjs" \
    "$CAIRN" "$IDX" "$CODE" "$TIL"

# The MCP Inspector, as a person would run it against cairn.
INSPECT=("$MCP_NODE/.bin/mcp-inspector" --cli)
ok "inspector: tools/list" timeout 120 "${INSPECT[@]}" --method tools/list -- \
    "$CAIRN" serve --index "$IDX"
cp "$T/.out" "$T/inspect-list.out"
for tool in search read index_status reindex; do
    contains "inspector lists $tool" "$T/inspect-list.out" "\"name\": *\"$tool\""
done
contains "inspector sees output schemas" "$T/inspect-list.out" '"outputSchema"'
ok "inspector: tools/call search" timeout 120 "${INSPECT[@]}" --method tools/call \
    --tool-name search --tool-arg 'query=apache bench length errors' --tool-arg k=3 -- \
    "$CAIRN" serve --index "$IDX"
cp "$T/.out" "$T/inspect-call.out"
contains "inspector's search finds the TIL note" "$T/inspect-call.out" 'ab/apache-bench-length-errors\.md'
lacks "inspector's search is not an error" "$T/inspect-call.out" '"isError": *true'
ok "inspector: tools/call read" timeout 120 "${INSPECT[@]}" --method tools/call \
    --tool-name read --tool-arg path=json/__init__.py --tool-arg start_line=1 \
    --tool-arg end_line=3 -- "$CAIRN" serve --index "$IDX"
contains "inspector's read returns the file's first line" "$T/.out" 'JSON \(JavaScript Object Notation\)'
ok "inspector: resources/read" timeout 120 "${INSPECT[@]}" --method resources/read \
    --uri cairn://file/til/ab/apache-bench-length-errors.md -- "$CAIRN" serve --index "$IDX"
contains "inspector reads a resource" "$T/.out" 'Apache Bench'
ok "inspector --strict finds no tool-schema portability errors" timeout 120 "${INSPECT[@]}" \
    --strict --method tools/list -- "$CAIRN" serve --index "$IDX"

finish
