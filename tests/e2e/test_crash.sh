#!/bin/bash
# End-to-end: crash safety and writer exclusion.  `cairn index` is killed
# with SIGKILL at 50 random moments of a large run; after each kill the
# index must open, pass `cairn check`, answer searches, and the next run
# must complete it.  Two writers never interleave; readers keep answering
# while a writer works; `cairn check` finds real damage.
. "$(dirname "$0")/lib.sh"

STDLIB=$(python3 -c "import sysconfig;print(sysconfig.get_paths()['stdlib'])")
mkdir -p "$T/tree"
(cd "$STDLIB" && find . -path ./site-packages -prune -o -path ./test -prune -o -name '*.py' -type f -print0 |
    head -z -n 700 | tar --null -T - -cf -) | tar -xf - -C "$T/tree"
cp -r "$TIL/python" "$T/tree/notes"
want=$(find "$T/tree" -type f \( -name '*.py' -o -name '*.md' \) | wc -l)
IDX="$T/idx"

# How long a full run takes here, to spread the kills over it.
start=$(date +%s%N)
"$CAIRN" index -q --index "$T/idx-timing" "$T/tree"
full_ms=$(( ($(date +%s%N) - start) / 1000000 ))
[ "$full_ms" -lt 50 ] && full_ms=50
echo "    a full run takes ${full_ms} ms"

RANDOM=42
bad=0
for i in $(seq 1 50); do
    # Every tenth round edits files, so kills also land in update runs.
    if [ $((i % 10)) = 0 ]; then
        for f in $(find "$T/tree" -name '*.py' | head -n 40); do echo "# edit $i" >>"$f"; done
    fi
    "$CAIRN" index -q --index "$IDX" "$T/tree" >/dev/null 2>&1 &
    pid=$!
    delay=$(( RANDOM % full_ms ))
    sleep "$(awk -v ms="$delay" 'BEGIN{printf "%.3f", ms/1000}')"
    kill -9 "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    if [ -e "$IDX/index.db" ]; then
        if ! "$CAIRN" check --index "$IDX" >"$T/check.out" 2>&1; then
            echo "    round $i (after ${delay} ms): check failed"; sed 's/^/    | /' "$T/check.out" | head
            bad=$((bad + 1))
        elif ! "$CAIRN" search --index "$IDX" -k 1 "import" >/dev/null 2>"$T/search.err" && grep -q . "$T/search.err" && ! grep -q "no results" "$T/search.err"; then
            echo "    round $i: search failed"; cat "$T/search.err"
            bad=$((bad + 1))
        fi
    fi
done
equal "50 kills: the index always opens, checks whole and answers" "$bad" 0
ok "the next run completes the index" "$CAIRN" index -q --index "$IDX" "$T/tree"
ok "check after completion" "$CAIRN" check --index "$IDX"
ok "status" "$CAIRN" status --index "$IDX" --json
n=$(python3 -c "import json;print(json.load(open('$T/.out'))['files'])")
equal "every file is indexed after the kills" "$n" "$want"

# Two writers: the second waits for the first, and says so.
echo "# one more edit" >>"$(find "$T/tree" -name '*.py' | head -n 1)"
rm -rf "$T/idx2"
"$CAIRN" index --index "$T/idx2" "$T/tree" >"$T/w1.out" 2>&1 &
p1=$!
sleep 0.1
"$CAIRN" index --index "$T/idx2" "$T/tree" >"$T/w2.out" 2>&1
c2=$?
wait $p1
c1=$?
equal "first writer succeeds" "$c1" 0
equal "second writer succeeds after waiting" "$c2" 0
contains "second writer names the process it waits for" "$T/w2.out" "being written by another cairn \(process [0-9]+\)"
ok "check after two writers" "$CAIRN" check --index "$T/idx2"

# Readers answer while a writer works.
rm -rf "$T/idx3"
"$CAIRN" index -q --index "$T/idx3" "$T/tree"
for f in $(find "$T/tree" -name '*.py' | head -n 300); do echo "# reader test" >>"$f"; done
"$CAIRN" index -q --index "$T/idx3" "$T/tree" &
pw=$!
fails_r=0
for i in $(seq 1 20); do
    "$CAIRN" search --index "$T/idx3" -k 3 "def" >/dev/null 2>"$T/r.err" || { grep -q "no results" "$T/r.err" || fails_r=$((fails_r + 1)); }
done
wait $pw
equal "20 searches during a write all answer" "$fails_r" 0

# check finds damage: orphaned chunks, and a full-text index out of step.
cp -r "$IDX" "$T/idx-orphan"
sqlite3 "$T/idx-orphan/index.db" "DELETE FROM files WHERE id = (SELECT min(id) FROM files)"
fails "check reports orphaned chunks" "$CAIRN" check --index "$T/idx-orphan"
contains "orphan message" "$T/.out" "chunks of no file"
cp -r "$IDX" "$T/idx-fts"
sqlite3 "$T/idx-fts/index.db" "DROP TRIGGER chunks_ad; DELETE FROM chunks WHERE id = (SELECT min(id) FROM chunks)"
fails "check reports a full-text index out of step" "$CAIRN" check --index "$T/idx-fts"
contains "fts message" "$T/.out" "full-text index"
finish
