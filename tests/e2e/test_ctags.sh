#!/bin/bash
# test_ctags.sh — cairn's definitions against Universal Ctags' on real code.
#
# For each language, a sample of real sources installed on this machine
# (by mk/grammars.mk: Debian packages and grammars/corpus/package.json) goes
# through build/parse_dump and ctags; tests/tools/ctags_compare.py checks
# that cairn finds at least 97% of ctags' functions, classes, methods,
# structs, interfaces, traits and enums at the same line, and lists what it
# missed.  The figures lines ("LANG: cairn N defs, ctags M defs ...") are
# printed for the record.
source "$(dirname "$0")/lib.sh"
DUMP=$ROOT/build/parse_dump
CMP=$ROOT/tests/tools/ctags_compare.py
CORPUS=$ROOT/grammars/corpus/node_modules
L=$T/lists
mkdir -p "$L"

# every Nth of the files find prints, sorted, at most MAX of them
sample() { # N MAX FIND-ARGS...
    local n=$1 max=$2
    shift 2
    find "$@" -type f 2>/dev/null | LC_ALL=C sort | awk -v n="$n" 'NR % n == 0' | head -n "$max"
}

# compare NAME LANG CTAGS-LANG KINDS [ctags_compare options...], files in $L/NAME
compare() {
    local name=$1 lang=$2 clang=$3 kinds=$4
    shift 4
    if [ ! -s "$L/$name" ]; then
        echo "    no $name sources found"
        _report 1 "$name: sources to compare"
        return
    fi
    python3 "$CMP" --lang "$lang" --ctags-lang "$clang" --kinds "$kinds" --dump "$DUMP" "$@" \
        "$L/$name" >"$T/$name.out" 2>&1
    local rc=$?
    sed 's/^/    /' "$T/$name.out" | head -n 40
    _report $rc "$name: cairn finds >= 97% of ctags' definitions ($(wc -l <"$L/$name") files)"
}

ok "parse_dump is built" test -x "$DUMP"
ok "ctags is Universal Ctags with JSON output" sh -c 'ctags --list-features | grep -q json'

STDLIB=$(python3 -c "import sysconfig;print(sysconfig.get_paths()['stdlib'])")
sample 6 300 "$STDLIB" -path "$STDLIB/site-packages" -prune -o -name '*.py' -print >"$L/python"
compare python python Python class,function,member

{
    ls /usr/include/sqlite3.h /usr/include/sqlite3ext.h
    find /usr/include/curl /usr/include/*/curl /usr/include/tree_sitter -name '*.h' 2>/dev/null
    ls "$ROOT"/grammars/node_modules/*/src/scanner.c
} 2>/dev/null | LC_ALL=C sort >"$L/c"
compare c c C function,prototype,struct,union,enum --ctags-opt=--kinds-C=+p

sample 1 200 /usr/src/googletest \( -name '*.cc' -o -name '*.h' \) >"$L/cpp"
compare cpp cpp C++ function,prototype,class,struct,union,enum --ctags-opt=--kinds-C++=+p

sample 3 300 "$(npm root -g 2>/dev/null)/npm" -name '*.js' >"$L/javascript"
compare javascript javascript JavaScript function,class,method,generator,getter,setter \
        --require 'class=\bclass\b'

sample 1 200 "$CORPUS/typescript/lib" -name '*.d.ts' >"$L/typescript"
compare typescript typescript TypeScript function,class,method,interface,enum

# TSX has no ctags parser of its own: the same declarations through the TSX grammar
sample 2 100 "$CORPUS/typescript/lib" -name '*.d.ts' >"$L/tsx"
compare tsx tsx TypeScript function,class,method,interface,enum

sample 5 300 /usr/share/gocode/src -name '*.go' >"$L/go"
compare go go Go func,struct,interface,type,methodSpec

sample 1 300 /usr/share/cargo/registry -name '*.rs' >"$L/rust"
compare rust rust Rust function,method,struct,enum,interface,implementation

sample 1 200 "$CORPUS/cordova-android" -name '*.java' >"$L/java"
compare java java Java class,interface,enum,method,annotation

sample 3 300 /usr/lib/ruby/3.1.0 -name '*.rb' >"$L/ruby"
compare ruby ruby Ruby class,module,method,singletonMethod

{
    sample 3 200 /usr/share/bash-completion
    ls /etc/profile /etc/bash.bashrc
} 2>/dev/null >"$L/bash"
compare bash bash Sh function --skip-name '=$|^--$'

finish
