#!/bin/bash
# End-to-end: index the real writing archive and a real code tree, then
# search them the way people and programs do.
. "$(dirname "$0")/lib.sh"

[ -d "$TIL" ] || { echo "missing $TIL"; exit 1; }
STDLIB=$(python3 -c "import sysconfig;print(sysconfig.get_paths()['stdlib'])")

# A code tree: a slice of the real Python standard library.
mkdir -p "$T/code"
cp -r "$STDLIB/json" "$STDLIB/sqlite3" "$STDLIB/http" "$T/code/"
cp "$STDLIB/shutil.py" "$STDLIB/tempfile.py" "$T/code/"
rm -rf "$T"/code/*/__pycache__
IDX="$T/idx"

ok "index two roots into one index" "$CAIRN" index --index "$IDX" --json "$T/code" "$TIL"
cp "$T/.out" "$T/index.json"
contains "summary is JSON with counts" "$T/index.json" '"seen":[0-9]+'
til_files=$(find "$TIL" -name '*.md' | wc -l)
ok "status --json" "$CAIRN" status --index "$IDX" --json
cp "$T/.out" "$T/status.json"
files=$(python3 -c "import json,sys;d=json.load(open('$T/status.json'));print(d['files'])")
md=$(python3 -c "import json;d=json.load(open('$T/status.json'));print(sum(l['files'] for l in d['languages'] if l['lang']=='markdown'))")
equal "every TIL markdown note is indexed" "$md" "$til_files"
contains "status lists python" "$T/status.json" '"lang":"python"'
contains "status lists both roots" "$T/status.json" "\"path\":\"$TIL\""

# Human output: path:start-end  score  label, then snippet lines.
ok "search finds the TIL note on a known topic" "$CAIRN" search --index "$IDX" "sqlite-utils enable full-text search"
contains "human output has path:start-end score" "$T/.out" '^[^ ]+\.md:[0-9]+-[0-9]+  [0-9]+\.[0-9]+'
contains "human output has indented snippet lines" "$T/.out" '^    [^ ]'

# JSON contract.
ok "search --json" "$CAIRN" search --index "$IDX" --json -k 5 "json decoder"
cp "$T/.out" "$T/s.json"
n=$(wc -l <"$T/s.json")
equal "-k 5 gives 5 lines" "$n" 5
ok "every JSON line has the contract's fields" python3 - "$T/s.json" <<'PY'
import json, sys
for line in open(sys.argv[1]):
    o = json.loads(line)
    for k in ("path", "root", "start_line", "end_line", "symbol", "kind", "score", "snippet"):
        assert k in o, (k, o)
    assert not o["path"].startswith("/"), o["path"]
    assert o["root"].startswith("/"), o["root"]
    assert o["kind"] in ("code", "prose")
    assert 1 <= o["start_line"] <= o["end_line"]
    assert "\x02" not in o["snippet"] and "\x03" not in o["snippet"]
PY
head -n 1 "$T/s.json" >"$T/top.json"
contains "json decoder query finds json/decoder.py first" "$T/top.json" '"path":"json/decoder.py"'

# Identifier splitting: a camelCase query finds snake_case code and back.
ok "camelCase query finds snake_case code" "$CAIRN" search --index "$IDX" --json --lang python "rawDecode"
contains "raw_decode found" "$T/.out" 'raw_decode'
ok "snake_case query finds a CamelCase class" "$CAIRN" search --index "$IDX" --json --lang python "json_decoder"
contains "JSONDecoder found" "$T/.out" 'JSONDecoder'
# Stemming: connections -> connection.
ok "stemmed prose query" "$CAIRN" search --index "$IDX" --json --kind code "connections"
contains "connection found via stem" "$T/.out" '[Cc]onnection[^s]'

# Long natural-language question still answers (terms are not all ANDed).
ok "long question returns results" "$CAIRN" search --index "$IDX" --json --kind prose \
    "how did I get GitHub Actions to run my tests on a schedule every night and cache the pip downloads"
contains "a github-actions note answers" "$T/.out" '"path":"github-actions/'

# Filters.
ok "--kind prose" "$CAIRN" search --index "$IDX" --json -k 20 --kind prose "python"
lacks "--kind prose has no code" "$T/.out" '"kind":"code"'
ok "--kind code" "$CAIRN" search --index "$IDX" --json -k 20 --kind code "python"
lacks "--kind code has no prose" "$T/.out" '"kind":"prose"'
ok "--path glob" "$CAIRN" search --index "$IDX" --json -k 20 --path 'http/*' "request"
lacks "--path keeps only http/" "$T/.out" '"path":"(json|sqlite3)/'
ok "--lang markdown" "$CAIRN" search --index "$IDX" --json -k 20 --lang markdown "request"
lacks "--lang markdown has only markdown" "$T/.out" '"lang":"python"'
fails "unknown --lang is an error" "$CAIRN" search --index "$IDX" --lang klingon x
contains "unknown lang message names it" "$T/.out" "klingon"
fails "bad --kind is an error" "$CAIRN" search --index "$IDX" --kind poetry x

# Hostile query text never reaches FTS5 as syntax.
for q in '"' 'foo"bar' '(' 'a AND' 'NEAR(' '*' 'col:val' '^x' '-x' "'; DROP TABLE chunks; --" 'OR OR OR' 'a) OR (b'; do
    "$CAIRN" search --index "$IDX" --json -- "$q" >/dev/null 2>"$T/q.err"
    c=$?
    if [ $c -le 1 ] && ! grep -q 'syntax error\|fts5' "$T/q.err"; then _report 0 "hostile query [$q]"; else cat "$T/q.err"; _report 1 "hostile query [$q]"; fi
done
fails "emoji-only query is refused" "$CAIRN" search --index "$IDX" "🙂🙂"
contains "emoji-only message" "$T/.out" "no searchable words"
ok "index still opens after hostile queries" "$CAIRN" status --index "$IDX"

# Index discovery: .cairn in a parent, then $CAIRN_INDEX.
ok "index a single root into ROOT/.cairn" "$CAIRN" index -q "$T/code"
ok "search finds .cairn from a subdirectory" bash -c "cd '$T/code/json' && '$CAIRN' search -k 1 decoder"
ok "CAIRN_INDEX is honoured" env CAIRN_INDEX="$IDX" bash -c "cd / && '$CAIRN' search -k 1 --kind prose datasette"
fails "no index anywhere is a clear error" bash -c "cd / && '$CAIRN' search x"
contains "no-index message says what to do" "$T/.out" "cairn index"

# Update: an edit is re-indexed, a deleted file leaves the index.
echo "def zanzibar_frobnicate(): pass" >>"$T/code/shutil.py"
rm "$T/code/tempfile.py"
ok "re-index after changes" "$CAIRN" index --index "$IDX" --json "$T/code" "$TIL"
contains "one file changed, one removed" "$T/.out" '"updated":1.*"removed":1|"removed":1.*"updated":1'
ok "edit is searchable" "$CAIRN" search --index "$IDX" -k 1 zanzibar_frobnicate
contains "found in shutil.py" "$T/.out" 'shutil\.py'
fails "deleted file is gone" "$CAIRN" search --index "$IDX" --path tempfile.py -k 1 mkstemp
ok "update without PATH re-indexes the known roots" "$CAIRN" index --index "$IDX" --json
contains "nothing changed" "$T/.out" '"added":0,"updated":0,"unchanged":[1-9]'

finish
