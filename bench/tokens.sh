#!/bin/bash
# bench/tokens.sh — how fast the token estimate (tokens_count) is next to
# the real tokenizer it stands in for (js-tiktoken), on the same files: the
# Python standard library's .py files and the TIL notes.  MB/s of one core
# (CPU time) over a few seconds each, and the totals each counts.
# Usage: bench/tokens.sh [SECONDS]
set -eu
cd "$(dirname "$0")/.."
make -s build/tokcount tests/tokens/node_modules/.cairn-installed >&2
SECONDS_EACH=${1:-3}
. bench/lib.sh
SHARED=${CAIRN_SHARED:-../shared}
mapfile -t py < <(find "$STDLIB" -path "$STDLIB/site-packages" -prune -o -name '*.py' -type f -print | sort)
mapfile -t md < <(find "$SHARED/corpora/til" -name '*.md' -type f | sort)

row() { # LABEL OUTPUT
    awk -v l="$1" '{ for (i = 1; i < NF; i++) v[$i] = $(i + 1)
        printf "%-34s %8.1f MB/s  %9d tokens  %5.1f MB\n", l, v["MB/s"], v["tokens"], v["bytes"] / 1e6 }' <<<"$2"
}
for enc in o200k cl100k; do
    echo "== $enc"
    for corpus in py md; do
        declare -n files=$corpus
        row "$corpus: tokens_count (estimate)" "$(build/tokcount --enc "$enc" --bench "$SECONDS_EACH" "${files[@]}")"
        row "$corpus: js-tiktoken (real)" "$(node tests/tokens/bench.mjs --enc "$enc" "$SECONDS_EACH" "${files[@]}")"
    done
done
