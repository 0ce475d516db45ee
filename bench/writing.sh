#!/bin/bash
# bench/writing.sh — a writing archive: indexing throughput and query
# latency, measured in-process and as whole processes.
#
# Tree: a copy of the TIL archive (../shared/corpora/til, or
# $CAIRN_SHARED/corpora/til).  Queries: the 41 of tests/eval/til.jsonl plus
# headings of the archive's notes, 100 in all, and 20 whole notes for
# `related` with a document as the query.
#   in-process     build/bench_writing: one pipeline run (time, MB/s, peak
#                  RSS), then each query through search, quote and related
#                  REPEAT times inside one process (p50, p99 in ms)
#   whole-process  ./cairn index (best of RUNS: time, MB/s, peak RSS from
#                  GNU time), then ./cairn search / quote / related once per
#                  query, each a fresh process (p50, p99 in ms)
# Usage: bench/writing.sh [RUNS] [REPEAT]   (defaults 3 and 5)
set -eu
cd "$(dirname "$0")/.."
make -s cairn build/bench_writing >&2
RUNS=${1:-3}
REPEAT=${2:-5}
SHARED=${CAIRN_SHARED:-../shared}
TIL=$(cd "$SHARED/corpora/til" && pwd)
W=$(mktemp -d "${TMPDIR:-/tmp}/cairn-bench-writing.XXXXXX")
trap 'rm -rf "$W"' EXIT
mkdir -p "$W/til"
(cd "$TIL" && tar -cf - .) | tar -xf - -C "$W/til"

# 100 queries: the evaluation set, then second-level headings of the notes.
python3 - "$W/til" tests/eval/til.jsonl >"$W/queries" <<'PY'
import json, os, sys
root, qfile = sys.argv[1], sys.argv[2]
qs = [json.loads(l)["query"] for l in open(qfile) if l.strip()]
for dirpath, _, files in sorted(os.walk(root)):
    for f in sorted(files):
        if len(qs) >= 100 or not f.endswith(".md"):
            continue
        for line in open(os.path.join(dirpath, f), encoding="utf-8", errors="replace"):
            if line.startswith("## ") and len(line.split()) >= 3:
                qs.append(line[3:].strip())
                break
for q in qs[:100]:
    print(q)
PY
(cd "$W/til" && find . -name '*.md' -path './*/*' | sort | head -n 20 | sed 's|^\./|@|') >"$W/docs"
cat "$W/queries" "$W/docs" >"$W/all"

files=$(find "$W/til" -type f | wc -l)
mb=$(find "$W/til" -type f -printf '%s\n' | awk '{s+=$1} END {printf "%.1f", s/1048576}')
echo "tree: TIL archive, $files files, $mb MB; $(wc -l <"$W/queries") queries, $(wc -l <"$W/docs") whole notes"
echo
echo "== in-process (build/bench_writing, each query $REPEAT times)"
build/bench_writing "$W/idx-inproc" "$W/til" "$W/all" "$REPEAT"

echo
echo "== whole-process (./cairn)"
best=""
for i in $(seq 1 "$RUNS"); do
    rm -rf "$W/idx"
    /usr/bin/time -f '%e %M' -o "$W/time" ./cairn index --quiet --index "$W/idx" "$W/til" >/dev/null 2>&1
    t=$(cat "$W/time")
    if [ -z "$best" ] || awk -v a="${t% *}" -v b="${best% *}" 'BEGIN{exit !(a<b)}'; then best=$t; fi
done
awk -v t="${best% *}" -v kb="${best#* }" -v mb="$mb" -v f="$files" \
    'BEGIN{printf "index %d files %.1f MB %.3f s %.1f MB/s rss %.1f MB (best of '"$RUNS"')\n", f, mb, t, (t>0?mb/t:0), kb/1024}'

# Wall time of one process per query, in ms, then p50 and p99.
latency() { # NAME COMMAND-PREFIX... (the query is the last argument)
    local name=$1
    shift
    : >"$W/lat"
    while IFS= read -r q; do
        local s e
        s=$(date +%s%N)
        "$@" "$q" >/dev/null 2>&1 || true
        e=$(date +%s%N)
        echo $(((e - s) / 1000)) >>"$W/lat"
    done <"$W/queries"
    sort -n "$W/lat" | awk -v name="$name" '{v[NR]=$1} END {
        p99 = int((NR * 99 + 99) / 100); if (p99 < 1) p99 = 1
        printf "%-11s %6d %9.2f %9.2f\n", name, NR, v[int(NR/2)+1]/1000, v[p99]/1000 }'
}
printf '%-11s %6s %9s %9s\n' query runs p50_ms p99_ms
latency search ./cairn search --index "$W/idx" -k 10
latency quote ./cairn quote --index "$W/idx" -k 5
: >"$W/lat"
while IFS= read -r d; do
    s=$(date +%s%N)
    ./cairn related --index "$W/idx" -k 10 "$W/til/${d#@}" >/dev/null 2>&1 || true
    e=$(date +%s%N)
    echo $(((e - s) / 1000)) >>"$W/lat"
done <"$W/docs"
sort -n "$W/lat" | awk '{v[NR]=$1} END {p99 = int((NR * 99 + 99) / 100);
    printf "%-11s %6d %9.2f %9.2f\n", "related-doc", NR, v[int(NR/2)+1]/1000, v[p99]/1000 }'
