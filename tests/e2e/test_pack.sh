#!/bin/bash
# End-to-end: cairn map and cairn pack on real code — within budget at
# every size, merged per file with no line twice, the right code for a
# task, and sensible answers to bad input.
. "$(dirname "$0")/lib.sh"

STDLIB=$(python3 -c "import sysconfig;print(sysconfig.get_paths()['stdlib'])")
mkdir -p "$T/code"
cp -r "$STDLIB/json" "$STDLIB/http" "$STDLIB/email" "$T/code/"
cp "$STDLIB/socketserver.py" "$STDLIB/shutil.py" "$T/code/"
find "$T/code" -name __pycache__ -prune -exec rm -rf {} +
IDX="$T/idx"
ok "index code" "$CAIRN" index -q --index "$IDX" --embedder none "$T/code"

for b in 0 1 500 2000 8000 32000 10000000; do
    ok "pack --budget $b" "$CAIRN" pack --index "$IDX" --json --budget "$b" "fix how the JSON decoder reports errors in raw_decode"
    python3 - "$T/.out" "$b" <<'PY' >"$T/check" 2>&1
import json, sys
p = json.load(open(sys.argv[1])); b = int(sys.argv[2])
assert p["budget"] == min(b, 10000000), p["budget"]
assert p["tokens"] <= b, (p["tokens"], b)
seen = {}
for it in p["items"]:
    assert it["kind"] in ("body", "signature", "map"), it["kind"]
    assert it["start_line"] <= it["end_line"]
    for (s, e) in seen.get(it["path"], []):
        assert it["end_line"] < s or e < it["start_line"], ("overlap", it["path"], s, e, it["start_line"], it["end_line"])
    seen.setdefault(it["path"], []).append((it["start_line"], it["end_line"]))
if b >= 2000:
    assert any(it["path"] == "json/decoder.py" for it in p["items"]), "no decoder"
    if b <= 8000:
        assert p["omitted"], "nothing listed as left out"
if b == 0:
    assert p["items"] == [] and p["tokens"] == 0
print("ok", p["tokens"], len(p["items"]))
PY
    c=$?
    [ $c = 0 ] || sed 's/^/    | /' "$T/check"
    _report $c "pack --budget $b: within budget, no line twice$( [ $b -ge 2000 ] && echo ', decoder included')"
done

ok "pack text of an item is the file's lines" "$CAIRN" pack --index "$IDX" --json --budget 4000 "raw_decode JSONDecoder"
python3 - "$T/.out" "$T/code" <<'PY' >"$T/check" 2>&1
import json, sys
p = json.load(open(sys.argv[1]))
for it in p["items"]:
    if it["kind"] != "body":
        continue
    lines = open(f"{sys.argv[2]}/{it['path']}", encoding="utf-8").read().split("\n")
    want = "\n".join(lines[it["start_line"] - 1:it["end_line"]]) + "\n"
    assert it["text"] == want, (it["path"], it["start_line"], it["end_line"])
print("ok")
PY
c=$?; [ $c = 0 ] || sed 's/^/    | /' "$T/check"; _report $c "body items hold the exact lines"

ok "pack --markdown" "$CAIRN" pack --index "$IDX" --markdown --budget 3000 "http server request handler"
contains "markdown heads files with their path" "$T/.out" "^## http/server.py"
contains "markdown fences code with its language" "$T/.out" '^```python'
contains "markdown lists what was left out" "$T/.out" "^## Left out"

head -c 1048576 /dev/urandom | base64 -w 100 | head -c 1000000 >"$T/big-task.txt"
echo " json decoder" >>"$T/big-task.txt"
ok "a task of 1 MB" bash -c "'$CAIRN' pack --index '$IDX' --json --budget 2000 - <'$T/big-task.txt'"
fails "a task over 1 MB is refused" bash -c "head -c 1100000 /dev/zero | tr '\\0' a | '$CAIRN' pack --index '$IDX' --json -"
contains "the refusal says why" "$T/.out" "over 1048576 bytes"
fails "a focus path that does not exist" "$CAIRN" pack --index "$IDX" --focus nope.py "json"
contains "names the focus path" "$T/.out" "nope.py"
fails "a focus path outside the roots" "$CAIRN" pack --index "$IDX" --focus /etc/passwd "json"
fails "a task with no words" "$CAIRN" pack --index "$IDX" "?!?"

# An index without references (prose only) still packs.
mkdir -p "$T/notes"
cp "$TIL"/sqlite/*.md "$T/notes/"
ok "index prose only" "$CAIRN" index -q --index "$T/pidx" --embedder none "$T/notes"
ok "pack over an index without definitions" "$CAIRN" pack --index "$T/pidx" --json --budget 1500 "sqlite full-text search"
python3 -c "import json,sys; p=json.load(open('$T/.out')); assert p['tokens']<=1500 and p['items'], p" ; _report $? "prose pack within budget and not empty"
ok "map over an index without definitions" "$CAIRN" map --index "$T/pidx" --budget 500

# The map.
for b in 0 100 1000 4000; do
    ok "map --budget $b" "$CAIRN" map --index "$IDX" --json --budget "$b" "json decoding errors"
    python3 -c "import json; m=json.load(open('$T/.out')); assert m['tokens'] <= $b, m['tokens']" ; _report $? "map --budget $b within budget"
done
ok "map for a task" "$CAIRN" map --index "$IDX" --budget 800 "json decoding errors"
contains "the map names the decoder" "$T/.out" "^json/decoder.py:"
contains "methods sit under their class" "$T/.out" "^ +[0-9]+      def "
ok "map with a focus file" "$CAIRN" map --index "$IDX" --budget 400 --focus http/server.py
contains "the focus file leads" "$T/.out" "^http/server.py:"
finish
