#!/bin/bash
# bench/semantic.sh — figures for semantic search with the local embedder,
# printed, not asserted.
#
#   1. Cold index time, --embedder none next to --embedder local (best of
#      RUNS), on the whole Python standard library (.py, no site-packages)
#      and on the TIL notes: what training and embedding add.
#   2. Throughput of the local embedder: chunks/s for giving a lexical
#      index its vectors (training included), from build/embed_tool.
#   3. Retrieval and latency per mode (lexical, semantic, hybrid) with
#      cairn eval on the development sets: the stdlib set built by
#      tests/eval/make_stdlib_set.py (seed 1, 400 queries, as committed in
#      tests/eval/stdlib.jsonl) and tests/eval/til.jsonl, 50 results per
#      query; then latency with 10 results (what `cairn search` shows):
#      search_run in-process, p50 and p99 over the set's queries.
#   4. Memory: the model file and vectors.faiss, and the peak RSS of one
#      `cairn search` per mode (GNU time).
# Usage: bench/semantic.sh [RUNS]   (default 3)
set -eu
cd "$(dirname "$0")/.."
make -s cairn build/embed_tool >&2
RUNS=${1:-3}
. bench/lib.sh
TIL=$(cd "${CAIRN_SHARED:-../shared}/corpora/til" && pwd)
W=$(mktemp -d "${TMPDIR:-/tmp}/cairn-bench.XXXXXX")
trap 'rm -rf "$W"' EXIT

stdlib_copy "$W/stdlib"

calc() { python3 -c "print($1)"; }

# Best wall seconds of RUNS cold indexes of TREE with EMBEDDER.
cold() { # TREE EMBEDDER
    local best="" i s e t
    for i in $(seq "$RUNS"); do
        rm -rf "$W/cold"
        s=$(date +%s.%N)
        ./cairn index --quiet --index "$W/cold" --embedder "$2" "$1" >/dev/null
        e=$(date +%s.%N)
        t=$(calc "$e - $s")
        if [ -z "$best" ] || [ "$(calc "int($t < $best)")" = 1 ]; then best=$t; fi
    done
    echo "$best"
}

echo "== cold index, best of $RUNS, $(nproc) CPUs"
printf '%-8s %7s %7s %10s %10s %8s\n' tree files chunks none_s local_s added
for tree in stdlib til; do
    dir=$W/stdlib
    [ $tree = til ] && dir=$TIL
    t0=$(cold "$dir" none)
    t1=$(cold "$dir" local)
    ./cairn status --json --index "$W/cold" >"$W/status.json"
    read -r files chunks < <(python3 -c 'import json,sys; s=json.load(open(sys.argv[1])); print(s["files"], s["chunks"])' "$W/status.json")
    printf '%-8s %7s %7s %10.2f %10.2f %7.0f%%\n' $tree "$files" "$chunks" "$t0" "$t1" \
        "$(calc "($t1 - $t0) * 100 / $t0")"
    cp -r "$W/cold" "$W/idx-$tree"
done

echo "== local embedder: a lexical index gets its vectors (training included)"
for tree in stdlib til; do
    dir=$W/stdlib
    [ $tree = til ] && dir=$TIL
    rm -rf "$W/lex"
    ./cairn index --quiet --index "$W/lex" --embedder none "$dir" >/dev/null
    echo "$tree:"
    build/embed_tool index local "$W/lex" | sed 's/^/  /'
done

echo "== retrieval and in-process latency per mode"
python3 tests/eval/make_stdlib_set.py "$W/set" "$W/stdlib.jsonl" --seed 1 --count 400
./cairn index --quiet --index "$W/idx-set" --embedder local "$W/set" >/dev/null
for set in stdlib til; do
    idx=$W/idx-set
    file=$W/stdlib.jsonl
    [ $set = til ] && idx=$W/idx-til && file=tests/eval/til.jsonl
    for mode in lexical semantic hybrid; do
        ./cairn eval --index "$idx" --mode "$mode" --json "$file" >"$W/e.json"
        python3 - "$set" "$mode" "$W/e.json" <<'EOF'
import json, sys
s, m, f = sys.argv[1:]
r = json.load(open(f))
def row(level, d):
    return "%s %-10s %6.3f %7.3f %6.3f %6.3f" % (level, "", d["mrr@10"], d["ndcg@10"], d["recall@1"], d["recall@10"])
print("%-6s %-8s queries %4d  p50 %6.1f ms  p99 %6.1f ms" % (s, m, r["queries"], r["ms_p50"], r["ms_p99"]))
print("    %-16s %6s %7s %6s %6s" % ("", "MRR@10", "nDCG@10", "R@1", "R@10"))
for level in ("file", "definition"):
    if level in r:
        d = r[level]
        print("    %-16s %6.3f %7.3f %6.3f %6.3f" % (level, d["mrr@10"], d["ndcg@10"], d["recall@1"], d["recall@10"]))
for t, g in sorted(r["types"].items()):
    for level in ("file", "definition"):
        if level in g:
            d = g[level]
            print("    %-16s %6.3f %7.3f %6.3f %6.3f" % ((t + " " + level)[:16], d["mrr@10"], d["ndcg@10"], d["recall@1"], d["recall@10"]))
EOF
    done
done

echo "== in-process latency, 10 results per query (ms)"
for set in stdlib til; do
    idx=$W/idx-set
    file=$W/stdlib.jsonl
    [ $set = til ] && idx=$W/idx-til && file=tests/eval/til.jsonl
    for mode in lexical semantic hybrid; do
        ./cairn eval --index "$idx" --mode "$mode" -k 10 --json "$file" |
            python3 -c 'import json,sys; r=json.load(sys.stdin); print("%-6s %-8s p50 %6.1f  p99 %6.1f" % (sys.argv[1], sys.argv[2], r["ms_p50"], r["ms_p99"]))' $set $mode
    done
done

echo "== memory"
for tree in stdlib til; do
    idx=$W/idx-$tree
    printf '%-8s model %6.1f MB  vectors.faiss %6.1f MB\n' $tree \
        "$(calc "$(stat -c %s "$idx/local-embedder.model") / 1048576")" \
        "$(calc "$(stat -c %s "$idx/vectors.faiss") / 1048576")"
    for mode in lexical hybrid; do
        /usr/bin/time -f "%M" -o "$W/rss" ./cairn search --index "$idx" --mode $mode \
            "read a file in chunks" >/dev/null 2>&1 || true
        printf '         cairn search --mode %-8s peak RSS %6.1f MB\n' $mode \
            "$(calc "$(tail -n 1 "$W/rss") / 1024")"
    done
done
