#!/bin/bash
# bench/mcp.sh — how fast `cairn serve` answers an agent, next to a Node MCP
# server built with the official SDK.
#
# Tree: the Python standard library's .py files on this machine (without
# site-packages), indexed once.  Measured with tests/mcp/bench.mjs, a raw
# pipe client:
#   startup   whole process: spawn, initialize, tools/list, one search,
#             end of input, exit (min / median / max of RUNS processes;
#             target: under 50 ms for cairn)
#   search    round trip of each of CALLS sequential search calls in one
#             session (p50 / p90 / p99 / max; target: p50 under 10 ms)
#   ping      round trip of CALLS pings (p50 / p99): the protocol's own cost
# The Node server (tests/mcp/node_server.mjs) offers the same search tool
# over the same files with an in-memory scan; its startup includes loading
# Node and the SDK, and its first search reads the files.
# Usage: bench/mcp.sh [RUNS [CALLS]]   (defaults 20 and 1000)
set -eu
cd "$(dirname "$0")/.."
make -s cairn tests/mcp/node_modules/.cairn-installed >&2
RUNS=${1:-20}
CALLS=${2:-1000}
. bench/lib.sh
W=$(mktemp -d "${TMPDIR:-/tmp}/cairn-bench-mcp.XXXXXX")
trap 'rm -rf "$W"' EXIT

stdlib_copy "$W/stdlib"
./cairn index --quiet --index "$W/idx" "$W/stdlib"
files=$(find "$W/stdlib" -name '*.py' | wc -l)
mb=$(du -sm "$W/stdlib" | cut -f1)

row() { # NAME JSON
    python3 - "$1" "$2" <<'PY'
import json, sys
name, d = sys.argv[1], json.loads(sys.argv[2])
s, q, p = d["startup_ms"], d["search_ms"], d["ping_ms"]
print(f"{name:<22} {s['min']:>8.1f} {s['p50']:>8.1f} {s['max']:>8.1f}   "
      f"{q['p50']:>7.2f} {q['p90']:>7.2f} {q['p99']:>7.2f} {q['max']:>8.2f}   "
      f"{p['p50']:>6.3f} {p['p99']:>6.3f}")
PY
}

echo "stdlib: $files .py files, $mb MB; $RUNS processes, $CALLS sequential searches"
printf '%-22s %8s %8s %8s   %7s %7s %7s %8s   %6s %6s\n' server "start" "p50" "max" \
    "srch50" "srch90" "srch99" "max" "ping50" "ping99"
printf '%-22s %8s %8s %8s   %7s %7s %7s %8s   %6s %6s\n' "" "min ms" "ms" "ms" "ms" "ms" "ms" \
    "ms" "ms" "ms"
cairn=$(node tests/mcp/bench.mjs "$RUNS" "$CALLS" ./cairn serve --index "$W/idx")
row "cairn serve" "$cairn"
node=$(node tests/mcp/bench.mjs "$RUNS" "$CALLS" node tests/mcp/node_server.mjs "$W/stdlib")
row "node SDK server (scan)" "$node"
