#!/bin/bash
# bench/pack.sh — context packing and PageRank latency on the stdlib index.
#
# Tree: the Python standard library's .py files on this machine (without
# site-packages), indexed once with the default (local) embeddings.
# Tasks: every fourth query of tests/eval/stdlib.jsonl (100 docstring
# sentences, the kind of one-line task an agent starts from).
#   in-process (build/bench_pack, what `cairn serve` pays per pack_context
#   call: it keeps the reference graph between calls):
#     graph      loading the reference graph (the first call pays it)
#     pagerank   one personalised PageRank for the task's words
#     pack_Nk    pack_build at budgets 2k, 8k and 32k tokens
#     (p50 and p99 over the tasks; target: p50 under 100 ms at 8k and 32k)
#   one-shot `cairn pack` processes, graph loading included (p50 of RUNS)
# Usage: bench/pack.sh [RUNS]   (default 10)
set -eu
cd "$(dirname "$0")/.."
make -s cairn build/bench_pack >&2
RUNS=${1:-10}
. bench/lib.sh
W=$(mktemp -d "${TMPDIR:-/tmp}/cairn-bench-pack.XXXXXX")
trap 'rm -rf "$W"' EXIT

stdlib_copy "$W/stdlib"
./cairn index --quiet --index "$W/idx" "$W/stdlib"
python3 -c '
import json, sys
for i, line in enumerate(open(sys.argv[1])):
    if i % 4 == 0:
        print(json.loads(line)["query"])' tests/eval/stdlib.jsonl >"$W/tasks"

echo "== in-process, $(wc -l <"$W/tasks") tasks"
build/bench_pack "$W/idx" "$W/tasks" | awk '
    $1 == "graph" { printf "%-10s %d definitions and files, %d edges, loaded in %.1f ms\n", $1, $2, $3, $4; next }
    { printf "%-10s p50 %7.1f ms   p99 %7.1f ms\n", $1, $3, $4 }'

echo "== one-shot cairn pack processes (graph loading included), $RUNS tasks"
for budget in 8000 32000; do
    head -n "$RUNS" "$W/tasks" | while IFS= read -r task; do
        s=$(date +%s%N)
        ./cairn pack --index "$W/idx" --budget "$budget" --json "$task" >/dev/null
        echo $(( ($(date +%s%N) - s) / 1000000 ))
    done | sort -n | awk -v b="$budget" '{ v[NR] = $1 } END { printf "pack %5d p50 %6d ms\n", b, v[int((NR + 1) / 2)] }'
done
