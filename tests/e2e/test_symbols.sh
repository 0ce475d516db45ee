#!/bin/bash
# End-to-end: cairn symbol, refs and outline on real code (a slice of the
# Python standard library and cairn's own C sources).
. "$(dirname "$0")/lib.sh"

STDLIB=$(python3 -c "import sysconfig;print(sysconfig.get_paths()['stdlib'])")
mkdir -p "$T/code"
cp -r "$STDLIB/json" "$STDLIB/http" "$T/code/"
cp "$STDLIB/socketserver.py" "$T/code/"
mkdir -p "$T/code/c"
cp "$ROOT/store/store.c" "$ROOT/store/store.h" "$ROOT/util/buf.c" "$ROOT/util/buf.h" "$T/code/c/"
find "$T/code" -name __pycache__ -prune -exec rm -rf {} +
IDX="$T/idx"
ok "index" "$CAIRN" index -q --index "$IDX" --embedder none "$T/code"

ok "symbol: exact class" "$CAIRN" symbol --index "$IDX" --json HTTPServer
contains "the class and its line" "$T/.out" '"path":"http/server.py".*"qualname":"HTTPServer","kind":"class"'
contains "its signature" "$T/.out" '"signature":"class HTTPServer\(socketserver.TCPServer\)"'
line=$(grep -n '^class HTTPServer' "$T/code/http/server.py" | cut -d: -f1)
contains "the line is the class's" "$T/.out" "\"start_line\":$line"
ok "symbol: qualified method" "$CAIRN" symbol --index "$IDX" --json JSONDecoder.raw_decode
contains "method qualname" "$T/.out" '"qualname":"JSONDecoder.raw_decode","kind":"method"'
contains "docstring first line" "$T/.out" '"doc":"Decode a JSON document from'
ok "symbol: C function with its signature" "$CAIRN" symbol --index "$IDX" --json store_open
contains "C signature without body" "$T/.out" '"signature":"int store_open\(const char \*dir, enum store_mode mode, store \*\*out\)'
ok "symbol: prefix fallback" "$CAIRN" symbol --index "$IDX" --json JSONDeco
contains "prefix match" "$T/.out" '"match":"prefix"'
ok "symbol: fuzzy fallback for a typo" "$CAIRN" symbol --index "$IDX" --json HTTPServr
contains "fuzzy match finds HTTPServer" "$T/.out" '"name":"HTTPServer".*"match":"fuzzy"'
ok "symbol --kind" "$CAIRN" symbol --index "$IDX" --json --kind method decode
lacks "only methods" "$T/.out" '"kind":"(function|class)"'
fails "symbol: nothing close" "$CAIRN" symbol --index "$IDX" zzqqxxyyww

ok "refs: callers with their enclosing definition" "$CAIRN" refs --index "$IDX" --json JSONDecodeError
contains "a raise inside a method is a call from that method" "$T/.out" '"kind":"call".*"caller":"JSONDecoder.raw_decode"'
contains "the source line" "$T/.out" '"text":".*JSONDecodeError\('
ok "refs --kind inherit" "$CAIRN" refs --index "$IDX" --json --kind inherit HTTPServer
contains "ThreadingHTTPServer inherits" "$T/.out" '"caller":"ThreadingHTTPServer"'
lacks "only inherit" "$T/.out" '"kind":"(call|import)"'
ok "refs --callees" "$CAIRN" refs --index "$IDX" --json --callees JSONDecoder.decode
contains "decode calls raw_decode, resolved" "$T/.out" '"name":"raw_decode".*"target":\{"path":"json/decoder.py"'
ok "refs: a C include" "$CAIRN" refs --index "$IDX" --json --kind include buf.h
ok "refs: C callers" "$CAIRN" refs --index "$IDX" --json buf_puts
contains "buf_puts called from store.c" "$T/.out" '"path":"c/store.c"'

ok "outline of a Python file" "$CAIRN" outline --index "$IDX" --json json/decoder.py
python3 - "$T/.out" <<'PY' >"$T/o.check" 2>&1
import json, sys
o = json.load(open(sys.argv[1]))
cls = [s for s in o["symbols"] if s["name"] == "JSONDecoder"][0]
kids = [k["name"] for k in cls["children"]]
assert "raw_decode" in kids and "decode" in kids and "__init__" in kids, kids
assert all(k["kind"] == "method" for k in cls["children"])
PY
c=$?; [ $c = 0 ] || cat "$T/o.check"; _report $c "methods nest under their class"
ok "outline (text) of a C file" "$CAIRN" outline --index "$IDX" c/store.c
contains "functions with signatures" "$T/.out" "function +int store_open"
fails "outline outside the roots" "$CAIRN" outline --index "$IDX" /etc/passwd
contains "says it is outside" "$T/.out" "outside the indexed roots"
fails "outline of a file not indexed" "$CAIRN" outline --index "$IDX" "$T/code/../idx/index.db"

# Search ranks a named definition first, in any spelling.
ok "search HTTPServer" "$CAIRN" search --index "$IDX" --json -k 3 HTTPServer
head -n 1 "$T/.out" >"$T/first"
contains "the class's chunk first, named" "$T/first" '"path":"http/server.py".*"symbol":"HTTPServer"'
ok "search rawDecode (camelCase for raw_decode)" "$CAIRN" search --index "$IDX" --json -k 3 rawDecode
head -n 1 "$T/.out" >"$T/first"
contains "raw_decode first" "$T/first" '"symbol":"JSONDecoder.raw_decode"'
ok "search --explain" "$CAIRN" search --index "$IDX" --explain -k 2 "where is HTTPServer defined"
contains "explain names the definition signal" "$T/.out" "definition #1"
finish
