#!/bin/bash
# End-to-end: cairn serve under abuse through a raw pipe (tests/mcp/robust.mjs):
# garbage, a 10 MB line, wrong types, odd ids, requests before initialize,
# pings and cancels during a long reindex, clients that vanish mid-call.
# Run against the release binary and again under AddressSanitizer + UBSan.
. "$(dirname "$0")/lib.sh"
. "$ROOT/tests/mcp/e2e.sh"

mcp_setup_index || { finish; exit 1; }

node_checks "the robustness run" timeout 600 node "$ROOT/tests/mcp/robust.mjs" \
    "$CAIRN" "$IDX" "$CODE/bulk"

ASAN_CAIRN=${CAIRN_ASAN:-$ROOT/build/asan/cairn}
if [ -x "$ASAN_CAIRN" ]; then
    echo "# the same under AddressSanitizer + UBSan: $ASAN_CAIRN"
    ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
        node_checks "the robustness run under ASan" timeout 600 node "$ROOT/tests/mcp/robust.mjs" \
        "$ASAN_CAIRN" "$IDX" "$CODE/bulk"
else
    _report 1 "the ASan build $ASAN_CAIRN exists (make build/asan/cairn)"
fi

finish
