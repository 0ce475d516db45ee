#!/bin/bash
# bench/fresh.sh — freshness and concurrency on the Python standard library
# (.py files, no site-packages):
#   - no-change re-index (target < 0.3 s) and a one-file edit re-indexed
#     (target < 100 ms), best of RUNS;
#   - time from a file write to that file being searchable under
#     `cairn watch` (inotify, 200 ms debounce);
#   - 4 concurrent searchers while a full re-index runs: queries/s, p50, p99.
# Usage: bench/fresh.sh [RUNS]
set -eu
cd "$(dirname "$0")/.."
make -s cairn >&2
RUNS=${1:-5}
C=$PWD/cairn
. bench/lib.sh
W=$(mktemp -d "${TMPDIR:-/tmp}/cairn-fresh.XXXXXX")
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$W"' EXIT
stdlib_copy "$W/std"
IDX=$W/std/.cairn
ms() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }
best() { sort -n | head -n 1; }

t=$(date +%s%N); $C index -q "$W/std"; echo "cold index:                $(ms "$t") ms"
for i in $(seq 1 "$RUNS"); do t=$(date +%s%N); $C index -q "$W/std"; ms "$t"; done | best |
    xargs -I{} echo "no-change re-index:        {} ms (best of $RUNS)"
for i in $(seq 1 "$RUNS"); do
    echo "# edit $i" >>"$W/std/json/decoder.py"
    t=$(date +%s%N); $C index -q "$W/std"; ms "$t"
done | best | xargs -I{} echo "one-file edit re-indexed:  {} ms (best of $RUNS, whole process)"

(cd "$W/std" && exec "$C" watch -q) &
sleep 1
for i in $(seq 1 "$RUNS"); do
    word="freshmarker${i}x$RANDOM"
    t=$(date +%s%N)
    echo "def $word(): pass" >"$W/std/fresh_$i.py"
    until $C search --index "$IDX" -k 1 "$word" >/dev/null 2>&1; do sleep 0.01; done
    ms "$t"
done | sort -n | awk '{a[NR]=$1} END {printf "write -> searchable (watch): p50 %d ms, max %d ms over %d writes\n", a[int((NR+1)/2)], a[NR], NR}'
kill %1 2>/dev/null || true
wait 2>/dev/null || true

# 4 searchers against a full re-index (the index is rebuilt from scratch
# into a second directory while searchers read the first).
queries=(json decoder "http server request" asyncio "open a file" sqlite3 connection thread pool)
search_loop() {
    local end=$1 out=$2
    while [ "$(date +%s%N)" -lt "$end" ]; do
        q=${queries[$((RANDOM % ${#queries[@]}))]}
        t=$(date +%s%N)
        $C search --index "$IDX" -k 10 "$q" >/dev/null 2>&1 || true
        echo $(( ($(date +%s%N) - t) / 1000 )) >>"$out"
    done
}
find "$W/std" -name '*.py' | head -n 400 | while read -r f; do echo "# touch" >>"$f"; done
end=$(( $(date +%s%N) + 4000000000 ))
for s in 1 2 3 4; do search_loop "$end" "$W/lat$s" & done
$C index -q "$W/std" &
wait
cat "$W"/lat* | sort -n | awk '{a[NR]=$1} END {printf "4 searchers during a 400-file re-index: %d queries in 4 s (%.0f/s), p50 %.1f ms, p99 %.1f ms (whole process per query)\n", NR, NR/4, a[int(NR*0.5)]/1000, a[int(NR*0.99)]/1000}'
