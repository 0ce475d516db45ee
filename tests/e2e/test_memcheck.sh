#!/bin/bash
# End-to-end under the sanitizers and valgrind: the main paths (index, a
# re-index after edits, search in both output forms, status) on real files
# must show no memory error and no leak.
. "$(dirname "$0")/lib.sh"

ASAN_CAIRN=$ROOT/build/asan/cairn
STDLIB=$(python3 -c "import sysconfig;print(sysconfig.get_paths()['stdlib'])")
mkdir -p "$T/tree/notes"
cp -r "$STDLIB/json" "$T/tree/"
rm -rf "$T/tree/json/__pycache__"
ls "$TIL"/python/*.md | head -n 25 | xargs -I{} cp {} "$T/tree/notes/"
printf 'caf\xe9\n' >"$T/tree/notes/latin1.txt"
printf 'bin\x00ary' >"$T/tree/blob.bin"

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:exitcode=86
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:exitcode=86
ok "asan: index" "$ASAN_CAIRN" index --index "$T/ai" "$T/tree"
echo "def added_later(): pass" >>"$T/tree/json/decoder.py"
ok "asan: re-index after an edit" "$ASAN_CAIRN" index --index "$T/ai" "$T/tree"
ok "asan: search" "$ASAN_CAIRN" search --index "$T/ai" "decode json object"
ok "asan: search --json with filters" "$ASAN_CAIRN" search --index "$T/ai" --json --kind prose --path 'notes/*' -k 3 "python"
"$ASAN_CAIRN" search --index "$T/ai" -- '"(NEAR* OR json' >/dev/null 2>&1; [ $? = 0 ]; _report $? "asan: hostile search"
"$ASAN_CAIRN" search --index "$T/ai" "🙂" >/dev/null 2>&1; [ $? = 1 ]; _report $? "asan: emoji query fails cleanly"
ok "asan: status" "$ASAN_CAIRN" status --index "$T/ai"
ok "asan: status --json" "$ASAN_CAIRN" status --index "$T/ai" --json

if command -v valgrind >/dev/null; then
    VG=(valgrind -q --leak-check=full --show-leak-kinds=definite,indirect,possible --errors-for-leak-kinds=definite,indirect,possible --error-exitcode=97)
    ok "valgrind: index" "${VG[@]}" "$CAIRN" index -q --index "$T/vi" "$T/tree"
    ok "valgrind: search" "${VG[@]}" "$CAIRN" search --index "$T/vi" "json decoder"
    ok "valgrind: search --json" "${VG[@]}" "$CAIRN" search --index "$T/vi" --json --kind code -k 3 "scanner"
    ok "valgrind: status" "${VG[@]}" "$CAIRN" status --index "$T/vi" --json
else
    echo "valgrind missing: install it (make installs it)"; _report 1 "valgrind present"
fi
finish
