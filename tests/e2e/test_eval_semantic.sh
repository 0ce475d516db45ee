#!/bin/bash
# End-to-end: semantic search with the local embedder, judged by cairn eval
# on the two development sets.  A CodeSearchNet-style set is built from
# this machine's Python standard library (tests/eval/make_stdlib_set.py: a
# sample of documented functions loses its docstrings, whose first
# sentences become the queries), and the TIL notes are scored with
# tests/eval/til.jsonl.  Both are indexed with --embedder local; hybrid
# search must score at least as well as lexical search (MRR@10) on both.
. "$(dirname "$0")/lib.sh"

[ -d "$TIL" ] || { echo "missing $TIL"; exit 1; }
# A smaller sample than tests/eval/stdlib.jsonl keeps this under a minute
# or two; bench/semantic.sh and the README use the full sets.
COUNT=${EVAL_STDLIB_COUNT:-200}

ok "build the stdlib set ($COUNT queries)" \
    python3 "$ROOT/tests/eval/make_stdlib_set.py" "$T/std" "$T/std.jsonl" --seed 1 --count "$COUNT"
contains "it blanked docstrings and found concept queries" "$T/.out" "$COUNT queries \([1-9][0-9]* concept\)"
nq=$(grep -c '"query"' "$T/std.jsonl")
equal "one JSON line per query" "$nq" "$COUNT"
# The answer of the first query lost its docstring; others kept theirs.
read -r qpath qsym < <(python3 -c 'import json,sys; q=json.loads(open(sys.argv[1]).readline()); r=q["relevant"][0]; print(r["path"], r["symbol"])' "$T/std.jsonl")
first=$(python3 -c 'import json,sys; print(json.loads(open(sys.argv[1]).readline())["query"])' "$T/std.jsonl")
fails "the blanked sentence is gone from $qpath" grep -qF -- "$first" "$T/std/$qpath"

ok "index the stdlib set with --embedder local" "$CAIRN" index --index "$T/sidx" --embedder local "$T/std"
contains "the index reports the local model" "$T/.out" "embeddings \(local:trained-[0-9a-f]{12}\)"
ok "the model file is kept beside the index" test -s "$T/sidx/local-embedder.model"
ok "index the TIL notes with --embedder local" "$CAIRN" index --index "$T/tidx" --quiet --embedder local "$TIL"

# cairn eval --json prints one object; MRR@10 at file level (and at
# definition level where the set names symbols) per mode.
score() { # INDEX SET MODE -> the JSON line in $T/eval.MODE.SETNAME
    "$CAIRN" eval --index "$1" --mode "$3" --json "$2"
}
mrr() { # FILE LEVEL
    python3 -c 'import json,sys; print("%.4f" % json.load(open(sys.argv[1]))[sys.argv[2]]["mrr@10"])' "$1" "$2"
}
ge() { python3 -c 'import sys; sys.exit(not float(sys.argv[1]) >= float(sys.argv[2]) - 1e-9)' "$1" "$2"; }

for set in std til; do
    idx=$T/sidx
    [ $set = til ] && idx=$T/tidx
    file=$T/std.jsonl
    [ $set = til ] && file=$ROOT/tests/eval/til.jsonl
    for mode in lexical semantic hybrid; do
        ok "cairn eval $set --mode $mode" score "$idx" "$file" $mode
        cp "$T/.out" "$T/$set.$mode"
        sed 's/^/    /' "$T/$set.$mode"
    done
    contains "$set: the JSON names its mode" "$T/$set.hybrid" '"mode":"hybrid"'
    contains "$set: no query searched without its dense side" "$T/$set.hybrid" '"warned":0'
    lex=$(mrr "$T/$set.lexical" file)
    sem=$(mrr "$T/$set.semantic" file)
    hyb=$(mrr "$T/$set.hybrid" file)
    ok "$set: semantic search alone finds answers (file MRR@10 $sem > 0.3)" ge "$sem" 0.3
    ok "$set: hybrid >= lexical, file MRR@10 ($hyb vs $lex)" ge "$hyb" "$lex"
done
lexd=$(mrr "$T/std.lexical" definition)
hybd=$(mrr "$T/std.hybrid" definition)
ok "std: hybrid >= lexical, definition MRR@10 ($hybd vs $lexd)" ge "$hybd" "$lexd"
# The concept-style queries (no word of the query in the answer's code) are
# what the dense side is for: there hybrid must do better, not only as well.
concept() { # FILE -> concept-type file MRR@10
    python3 -c 'import json,sys; print("%.4f" % json.load(open(sys.argv[1]))["types"]["concept"]["file"]["mrr@10"])' "$1"
}
lexc=$(concept "$T/std.lexical")
hybc=$(concept "$T/std.hybrid")
gt() { python3 -c 'import sys; sys.exit(not float(sys.argv[1]) > float(sys.argv[2]) + 1e-9)' "$1" "$2"; }
ok "std: hybrid > lexical on concept queries, file MRR@10 ($hybc vs $lexc)" gt "$hybc" "$lexc"

# Code and prose in one index: fusion orders each kind by its own measured
# weights, but where code and where prose stand is BM25's call, so the
# kinds of the first results come in the same order in both modes.
mkdir -p "$T/mixed/code"
cp -r "$TIL/sqlite" "$T/mixed/notes"
cp -r "$T/std/sqlite3" "$T/std/dbm" "$T/std/shelve.py" "$T/std/csv.py" "$T/mixed/code/"
ok "index code and notes together" "$CAIRN" index --index "$T/midx" --quiet --embedder local "$T/mixed"
results() { # MODE QUERY -> "kind:path ..." of the first 10 results
    "$CAIRN" search --index "$T/midx" --mode "$1" --json --per-doc 0 -k 10 "$2" |
        python3 -c 'import json,sys; print(" ".join((lambda r: r["kind"] + ":" + r["path"])(json.loads(l)) for l in sys.stdin))'
}
kinds() { echo "$1" | sed -E 's/:[^ ]*//g'; }
moved=0
for q in "dump the database as SQL statements" "read rows from a csv file"; do
    lr=$(results lexical "$q")
    hr=$(results hybrid "$q")
    lk=$(kinds "$lr")
    case "$lk" in *code*prose* | *prose*code*) mix=1 ;; *) mix=0 ;; esac
    equal "mixed: '$q' finds code and notes" "$mix" 1
    equal "mixed: '$q' keeps BM25's code/prose order" "$(kinds "$hr")" "$lk"
    [ "$hr" != "$lr" ] && moved=1
done
equal "mixed: the dense side reordered results within a kind" "$moved" 1

# The human table, and the errors a person meets.
ok "cairn eval prints a table" "$CAIRN" eval --index "$T/sidx" --mode lexical "$T/std.jsonl"
contains "with the file and definition rows" "$T/.out" '^definition +[0-9]+ +0\.[0-9]{3}'
contains "and the concept subset" "$T/.out" '^concept +definition'
fails "an unknown mode is refused" "$CAIRN" eval --index "$T/sidx" --mode fuzzy "$T/std.jsonl"
contains "saying which modes exist" "$T/.out" 'hybrid, lexical or semantic'
printf '{"query": "x", "relevant": [{"path": "a", "grade": 7}]}\n' >"$T/bad.jsonl"
fails "a malformed set is refused" "$CAIRN" eval --index "$T/sidx" "$T/bad.jsonl"
contains "naming the file and line" "$T/.out" 'bad.jsonl:1: answer 1'
ok "a lexical-only index" "$CAIRN" index --index "$T/lidx" --quiet --embedder none "$T/std"
fails "cannot be scored in hybrid mode" "$CAIRN" eval --index "$T/lidx" --mode hybrid "$T/std.jsonl"
contains "and says why" "$T/.out" 'needs the index.s embeddings'
finish
