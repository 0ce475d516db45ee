#!/bin/bash
# bench/parse.sh — single-threaded parsing of the Python standard library.
#
# The stdlib's .py files without site-packages (about 1,790 files, 32 MB),
# each read into memory first, then:
#   floor     tree-sitter's parse alone (build/parse_dump --time --floor)
#   extract   indexer/parse's parse_file: parse, queries, symbols,
#             references (build/parse_dump --time)
#   ctags -R  Universal Ctags over the same tree (reading files included)
# Printed: wall and CPU seconds (best of RUNS), MB/s by CPU time, and the
# extraction's cost over the floor.  Usage: bench/parse.sh [RUNS] (default 3)
set -eu
cd "$(dirname "$0")/.."
make -s build/parse_dump >&2
RUNS=${1:-3}
. bench/lib.sh
W=$(mktemp -d "${TMPDIR:-/tmp}/cairn-bench.XXXXXX")
trap 'rm -rf "$W"' EXIT

find "$STDLIB" -path "$STDLIB/site-packages" -prune -o -name '*.py' -type f -print | LC_ALL=C sort >"$W/files"
FILES=$(wc -l <"$W/files")
BYTES=$(tr '\n' '\0' <"$W/files" | xargs -0 cat | wc -c)

# best "WALL CPU" of RUNS runs of parse_dump with the given options
dump_best() {
    local best="" i line wall cpu
    for i in $(seq 1 "$RUNS"); do
        line=$(tr '\n' '\0' <"$W/files" | xargs -0 build/parse_dump --lang python --time "$@" | tail -n 1)
        wall=$(sed -E 's/.*"seconds":([0-9.]+).*/\1/' <<<"$line")
        cpu=$(sed -E 's/.*"cpu_seconds":([0-9.]+).*/\1/' <<<"$line")
        if [ -z "$best" ] || awk -v a="$cpu" -v b="${best#* }" 'BEGIN{exit !(a<b)}'; then
            best="$wall $cpu"
        fi
    done
    echo "$best"
}

ctags_best() {
    local best="" i t
    for i in $(seq 1 "$RUNS"); do
        /usr/bin/time -f '%e %U %S' -o "$W/time" ctags -R --languages=Python -f "$W/tags" "$STDLIB" 2>/dev/null || true
        t=$(awk '{printf "%s %.2f", $1, $2 + $3}' "$W/time")
        if [ -z "$best" ] || awk -v a="${t#* }" -v b="${best#* }" 'BEGIN{exit !(a<b)}'; then
            best=$t
        fi
    done
    echo "$best"
}

floor=$(dump_best --floor)
extract=$(dump_best)
ctags=$(ctags_best)

row() { # NAME "WALL CPU"
    awk -v n="$1" -v w="${2% *}" -v c="${2#* }" -v b="$BYTES" \
        'BEGIN{printf "%-10s %8.2f %8.2f %8.1f\n", n, w, c, b / 1e6 / c}'
}
echo "python stdlib: $FILES files, $(awk -v b="$BYTES" 'BEGIN{printf "%.1f", b/1e6}') MB, best of $RUNS, one thread"
printf '%-10s %8s %8s %8s\n' run wall_s cpu_s MB/s
row floor "$floor"
row extract "$extract"
row "ctags -R" "$ctags"
awk -v f="${floor#* }" -v e="${extract#* }" \
    'BEGIN{printf "extraction over the floor: %.2fx (queries, symbols, references: +%.0f%%)\n", e / f, (e / f - 1) * 100}'
