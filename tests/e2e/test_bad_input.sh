#!/bin/bash
# End-to-end: bad input gets one clear line naming the path, and the rest of
# the index stays intact.
. "$(dirname "$0")/lib.sh"

mkdir -p "$T/tree/sub" "$T/empty"
printf 'def good_function():\n    return "fine"\n' >"$T/tree/good.py"
printf '# Notes\n\nA paragraph about marmalade.\n' >"$T/tree/notes.md"
printf 'caf\xe9 cr\xe8me br\xfbl\xe9e recipe\n' >"$T/tree/latin1.txt"      # Windows-1252
printf 'binary\x00\x01\x02data\n' >"$T/tree/blob.dat"
head -c 52428800 /dev/zero | tr '\0' 'a' >"$T/tree/huge.txt"                  # 50 MB
printf 'secret_unreadable_word\n' >"$T/tree/sub/locked.txt"
chmod 000 "$T/tree/sub/locked.txt"
ln -s .. "$T/tree/sub/loop"
IDX="$T/idx"

fails "non-existent path" "$CAIRN" index --index "$IDX" "$T/does-not-exist"
contains "names the missing path" "$T/.out" "does-not-exist"
[ ! -e "$IDX/index.db" ]; _report $? "nothing was created for a bad path"
fails "a file is not a directory root" "$CAIRN" index --index "$IDX" "$T/tree/good.py"

ok "empty directory indexes" "$CAIRN" index --index "$T/idx-empty" --json "$T/empty"
contains "empty directory: zero files" "$T/.out" '"seen":0'

ok "tree with bad files indexes" "$CAIRN" index --index "$IDX" "$T/tree"
cp "$T/.out" "$T/warn.out"
contains "50 MB file named as too big" "$T/warn.out" "huge.txt.*(too big|over|cap)"
contains "binary file named" "$T/warn.out" "blob.dat"
contains "symlink named" "$T/warn.out" "loop"
if [ "$(id -u)" != 0 ]; then
    contains "unreadable file named" "$T/warn.out" "locked.txt"
elif command -v setpriv >/dev/null && id nobody >/dev/null 2>&1; then
    # root reads everything: run as nobody for the permission checks.
    chmod 755 "$T" "$T/tree" "$T/tree/sub"
    mkdir -p "$T/nobody-idx"
    chmod 777 "$T/nobody-idx"
    ok "index as an unprivileged user" setpriv --reuid=nobody --regid=nogroup --clear-groups \
        "$CAIRN" index --index "$T/nobody-idx/i" "$T/tree"
    contains "unreadable file named" "$T/.out" "locked.txt.*permission denied"
    contains "others still indexed" "$T/.out" "[1-9][0-9]* new"
else
    echo "    (root without setpriv: unreadable-file check not possible here)"
fi
contains "Windows-1252 file read with a warning" "$T/warn.out" "latin1.txt.*windows-1252"
ok "good file searchable" "$CAIRN" search --index "$IDX" good_function
ok "Windows-1252 text searchable as UTF-8" "$CAIRN" search --index "$IDX" --json crème
contains "transcoded text" "$T/.out" 'crème'
fails "binary file not indexed" "$CAIRN" search --index "$IDX" --path blob.dat binary

# Invalid UTF-8 that is not Windows-1252 text: skipped, named.
printf 'ok\n\x81\x8d\x8f\x90\x9d\x81\x8d\x8f\x90\x9d\xff\xfe\x00' >"$T/tree/bad-utf8.txt"
ok "re-index with an invalid file" "$CAIRN" index --index "$IDX" "$T/tree"
contains "invalid UTF-8 file named" "$T/.out" "bad-utf8.txt"

# A file deleted while indexing: many files, half deleted concurrently.
mkdir -p "$T/churn"
for i in $(seq 1 3000); do echo "churn word$i alpha" >"$T/churn/f$i.txt"; done
"$CAIRN" index --index "$T/idx-churn" --quiet "$T/churn" >"$T/churn.out" 2>&1 &
pid=$!
for i in $(seq 1 2 3000); do rm -f "$T/churn/f$i.txt"; done
wait $pid
equal "index survives files deleted under it" "$?" 0
ok "second run settles" "$CAIRN" index --index "$T/idx-churn" --quiet "$T/churn"
ok "status after churn" "$CAIRN" status --index "$T/idx-churn" --json
n=$(python3 -c "import json;print(json.load(open('$T/.out'))['files'])")
equal "index holds exactly the surviving files" "$n" 1500

# Index directory that is not writable.
mkdir -p "$T/ro"
chmod 555 "$T/ro"
fails "index dir that cannot be created (under a file)" "$CAIRN" index --index "$T/tree/good.py/idx" "$T/tree"
contains "names the index dir" "$T/.out" "good.py/idx"
if [ "$(id -u)" != 0 ]; then
    fails "index dir not writable" "$CAIRN" index --index "$T/ro/idx" "$T/tree"
    contains "names the unwritable index dir" "$T/.out" "ro/idx"
elif command -v setpriv >/dev/null && id nobody >/dev/null 2>&1; then
    chmod 755 "$T"
    fails "index dir not writable (as nobody)" setpriv --reuid=nobody --regid=nogroup --clear-groups \
        "$CAIRN" index --index "$T/ro/idx" "$T/tree"
    contains "names the unwritable index dir" "$T/.out" "ro/idx"
    # An existing index the user may read but not write still answers.
    chmod -R a+rX "$IDX"
    ok "read-only index still answers searches" setpriv --reuid=nobody --regid=nogroup --clear-groups \
        "$CAIRN" search --index "$IDX" good_function
    fails "read-only index refuses updates clearly" setpriv --reuid=nobody --regid=nogroup --clear-groups \
        "$CAIRN" index --index "$IDX" "$T/tree"
    contains "read-only message names the index" "$T/.out" "idx"
fi

# A corrupted index file: clear error, and the file is not overwritten.
mkdir -p "$T/corrupt"
head -c 65536 /dev/urandom >"$T/corrupt/index.db"
sum1=$(md5sum <"$T/corrupt/index.db")
fails "search on a corrupt index" "$CAIRN" search --index "$T/corrupt" anything
contains "corrupt index message" "$T/.out" "corrupt|damaged|not a cairn index"
fails "index into a corrupt index" "$CAIRN" index --index "$T/corrupt" "$T/tree"
contains "corrupt index message on write" "$T/.out" "damaged|not a cairn index"
equal "corrupt file left untouched" "$(md5sum <"$T/corrupt/index.db")" "$sum1"

# A damaged page inside a real index: the error names the index.
cp -r "$IDX" "$T/idx-damaged"
sqlite3 "$T/idx-damaged/index.db" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null 2>&1
size=$(stat -c %s "$T/idx-damaged/index.db")
dd if=/dev/urandom of="$T/idx-damaged/index.db" bs=4096 seek=2 count=$(( size / 4096 - 3 )) conv=notrunc 2>/dev/null
"$CAIRN" search --index "$T/idx-damaged" good_function >"$T/dmg.out" 2>&1
c=$?
if [ $c -ne 0 ] && grep -q "idx-damaged" "$T/dmg.out"; then _report 0 "damaged pages: error names the index"
elif [ $c -eq 0 ]; then _report 0 "damaged pages: search still answered"
else cat "$T/dmg.out"; _report 1 "damaged pages: error names the index"; fi

# An SQLite file that is not ours is refused.
mkdir -p "$T/foreign"
sqlite3 "$T/foreign/index.db" "CREATE TABLE x(y); INSERT INTO x VALUES (1);"
fails "foreign SQLite database refused" "$CAIRN" index --index "$T/foreign" "$T/tree"
contains "foreign message" "$T/.out" "not a cairn index"
equal "foreign database untouched" "$(sqlite3 "$T/foreign/index.db" 'SELECT count(*) FROM x')" 1

# A newer schema is refused with a clear message.
cp -r "$IDX" "$T/idx-new"
sqlite3 "$T/idx-new/index.db" "PRAGMA user_version = 99"
fails "newer schema refused" "$CAIRN" search --index "$T/idx-new" good_function
contains "newer schema message" "$T/.out" "newer cairn"

# Usage errors exit 2.
"$CAIRN" search >/dev/null 2>&1; equal "search without query exits 2" "$?" 2
"$CAIRN" search -k abc x >/dev/null 2>&1; equal "bad -k exits 2" "$?" 2
"$CAIRN" frobnicate >/dev/null 2>&1; equal "unknown command exits 2" "$?" 2
"$CAIRN" index --max-size -5 . >/dev/null 2>&1; equal "negative --max-size exits 2" "$?" 2

chmod 644 "$T/tree/sub/locked.txt"
finish
