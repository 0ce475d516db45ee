#!/bin/bash
# bench/index.sh — cold-index throughput of cairn next to its peers.
#
# Trees: the Python standard library found on this machine — its .py files
# without site-packages (about 1,790 files, 32 MB), the tree the issues'
# targets are stated for — and the TIL writing archive in
# ../shared/corpora/til.  Tools, each run on the same copy of each tree:
#   cairn index          (this build, with the default local embeddings)
#   cairn-lex            cairn index --embedder none: symbols, references,
#                        chunks and FTS only (what bench/parse.sh's floor is
#                        compared with)
#   ctags -R             (Universal Ctags: symbols only)
#   cindex               (Google codesearch: trigram index), when installed
#   rg                   (ripgrep: one full regex scan, no index)
# Printed per run: files, MB, wall seconds, MB/s, peak RSS (from GNU time).
# Usage: bench/index.sh [RUNS]   (best of RUNS, default 3)
set -eu
cd "$(dirname "$0")/.."
make -s cairn >&2
RUNS=${1:-3}
. bench/lib.sh
TIL=$(cd "${CAIRN_SHARED:-../shared}/corpora/til" && pwd)
W=$(mktemp -d "${TMPDIR:-/tmp}/cairn-bench.XXXXXX")
trap 'rm -rf "$W"' EXIT

mkdir -p "$W/til"
stdlib_copy "$W/stdlib"
(cd "$TIL" && tar -cf - .) | tar -xf - -C "$W/til"

# best wall time and the peak RSS of that run: "SECONDS KB"
measure() {
    local best="" rss="" i t
    for i in $(seq 1 "$RUNS"); do
        "$@" >/dev/null 2>&1 || true
        t=$(cat "$W/time")
        if [ -z "$best" ] || awk -v a="${t% *}" -v b="$best" 'BEGIN{exit !(a<b)}'; then
            best=${t% *}
            rss=${t#* }
        fi
    done
    echo "$best $rss"
}
timed() { /usr/bin/time -f '%e %M' -o "$W/time" "$@"; }

cairn_run() { rm -rf "$W/idx"; timed ./cairn index --quiet --index "$W/idx" "$1"; }
cairn-lex_run() { rm -rf "$W/idx"; timed ./cairn index --quiet --embedder none --index "$W/idx" "$1"; }
ctags_run() { timed ctags -R -f "$W/tags" "$1"; }
cindex_run() { rm -f "$W/csearch.idx"; CSEARCHINDEX="$W/csearch.idx" timed cindex "$1"; }
rg_run() { timed rg --no-ignore --count-matches -e 'def|the' "$1"; }

printf '%-8s %-9s %7s %8s %8s %8s %10s\n' tree tool files MB seconds MB/s "RSS MB"
for tree in stdlib til; do
    dir="$W/$tree"
    files=$(find "$dir" -type f | wc -l)
    bytes=$(find "$dir" -type f -printf '%s\n' | awk '{s+=$1} END {print s}')
    mb=$(awk -v b="$bytes" 'BEGIN{printf "%.1f", b/1048576}')
    tools="cairn cairn-lex ctags rg"
    command -v cindex >/dev/null && tools="cairn cairn-lex ctags cindex rg"
    for tool in $tools; do
        read -r secs kb < <(measure "${tool}_run" "$dir")
        awk -v t="$tree" -v tool="$tool" -v f="$files" -v mb="$mb" -v s="$secs" -v kb="$kb" \
            'BEGIN{printf "%-8s %-9s %7d %8s %8.2f %8.1f %10.1f\n", t, tool, f, mb, s, (s>0?mb/s:0), kb/1024}'
    done
done
rm -rf "$W/idx"
./cairn index --quiet --index "$W/idx" "$W/stdlib" "$W/til" 2>/dev/null || ./cairn index --quiet --index "$W/idx" "$W/stdlib"
echo
./cairn status --index "$W/idx" | head -n 8
