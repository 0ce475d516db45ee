#!/bin/bash
# End-to-end: `cairn watch` keeps an index current — new files, edits,
# new directories, deletions, ignored files — with inotify and by polling.
. "$(dirname "$0")/lib.sh"

STDLIB=$(python3 -c "import sysconfig;print(sysconfig.get_paths()['stdlib'])")

# Wait up to 5 s for a search to succeed (or, with "gone", to fail).
eventually() { # WHAT gone|found QUERY
    local what=$1 want=$2 q=$3 i
    for i in $(seq 1 100); do
        if "$CAIRN" search --index "$IDX" --mode lexical -k 1 "$q" >/dev/null 2>&1; then
            [ "$want" = found ] && { _report 0 "$what"; return; }
        else
            [ "$want" = gone ] && { _report 0 "$what"; return; }
        fi
        sleep 0.05
    done
    _report 1 "$what"
}

for mode in inotify poll; do
    rm -rf "$T/src"
    mkdir -p "$T/src"
    cp -r "$STDLIB/json" "$T/src/"
    rm -rf "$T/src/json/__pycache__"
    printf 'build/\n' >"$T/src/.gitignore"
    IDX="$T/src/.cairn"
    "$CAIRN" index -q "$T/src"
    extra=()
    [ $mode = poll ] && extra=(--poll)
    (cd "$T/src" && exec "$CAIRN" watch "${extra[@]}" >"$T/watch-$mode.out" 2>&1) &
    wpid=$!
    sleep 0.5
    contains "$mode: announces its mode" "$T/watch-$mode.out" "watching .* with $( [ $mode = poll ] && echo polling || echo inotify)"
    echo 'def quixotic_watch_marker(): pass' >"$T/src/json/new_file.py"
    eventually "$mode: a new file becomes searchable" found quixotic_watch_marker
    echo 'def platypus_edit_marker(): pass' >>"$T/src/json/decoder.py"
    eventually "$mode: an edit becomes searchable" found platypus_edit_marker
    mkdir -p "$T/src/fresh/deeper"
    sleep 0.3
    echo 'def zebra_new_dir_marker(): pass' >"$T/src/fresh/deeper/z.py"
    eventually "$mode: a file in a new directory becomes searchable" found zebra_new_dir_marker
    rm "$T/src/json/new_file.py"
    eventually "$mode: a deleted file leaves the index" gone quixotic_watch_marker
    mkdir -p "$T/src/build"
    echo 'def ignored_build_marker(): pass' >"$T/src/build/out.py"
    sleep 2.5
    fails "$mode: an ignored file stays out" "$CAIRN" search --index "$IDX" --mode lexical -k 1 ignored_build_marker
    kill -TERM $wpid
    wait $wpid
    equal "$mode: SIGTERM stops watch cleanly" "$?" 0
    ok "$mode: index is whole afterwards" "$CAIRN" check --index "$IDX"
done
fails "watch without an index" bash -c "cd '$T' && '$CAIRN' watch"
finish
