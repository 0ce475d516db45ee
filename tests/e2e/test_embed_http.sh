#!/bin/bash
# test_embed_http.sh — embeddings over HTTP end to end, on the TIL notes:
# an index gets its vectors from the fake OpenAI/Ollama server, a second
# run sends nothing, searches find by meaning, a damaged or missing
# vectors.faiss is rebuilt with a warning, and a hanging, refusing or
# unreachable server gives a clear error in bounded time without ever
# printing the API key.  Driven by build/embed_tool (tests/tools/embed_tool.c).
source "$(dirname "$0")/lib.sh"
TOOL=$ROOT/build/embed_tool
unset http_proxy HTTP_PROXY https_proxy HTTPS_PROXY all_proxy ALL_PROXY OPENAI_API_KEY CAIRN_EMBED_URL

# The server lives as long as fd 7, our end of its stdin.
mkfifo "$T/server.in"
python3 "$ROOT/tests/tools/fake_embed_server.py" <"$T/server.in" >"$T/server.port" &
exec 7>"$T/server.in"
for _ in $(seq 50); do [ -s "$T/server.port" ] && break; sleep 0.1; done
PORT=$(head -n 1 "$T/server.port")
URL=http://127.0.0.1:$PORT
# The model goes in a query string, where '+' would read as a space.
requests() { curl -s "$URL/stats?model=${1//+/%2B}" | python3 -c 'import json,sys; print(json.load(sys.stdin)["requests"])'; }

ok "the fake server started" test -n "$PORT"
ok "cairn indexes the TIL notes" "$CAIRN" index --quiet --index "$T/idx" "$TIL"

ok "chunks get vectors from openai:til" "$TOOL" --url "$URL" index openai:til+dim=128 "$T/idx"
cp "$T/.out" "$T/first"
contains "every chunk was embedded, none cached" "$T/first" '^chunks [0-9]+ cached 0 embedded [1-9]'
contains "the vector file was written, flat below the threshold" "$T/first" 'dim 128 flat written 1'
ok "vectors.faiss exists" test -s "$T/idx/vectors.faiss"
n1=$(requests til+dim=128)
ok "the server counted the requests ($n1)" test "$n1" -gt 0

ok "a second run" "$TOOL" --url "$URL" index openai:til+dim=128 "$T/idx"
contains "has nothing to embed" "$T/.out" '^chunks 0 cached 0 embedded 0'
contains "and leaves the file alone" "$T/.out" 'written 0'
equal "and sends nothing" "$(requests til+dim=128)" "$n1"

ok "a search by meaning" "$TOOL" --url "$URL" search openai:til+dim=128 "$T/idx" "run a docker container"
head -n 3 "$T/.out" >"$T/top3"
contains "finds a docker note among the first three" "$T/top3" ' docker/'
cp "$T/.out" "$T/search1"

# Damage: truncated, then garbage, then missing.  Each is rebuilt from
# index.db with a warning and answers as before.
truncate -s 1000 "$T/idx/vectors.faiss"
ok "a truncated vectors.faiss" "$TOOL" --url "$URL" search openai:til+dim=128 "$T/idx" "run a docker container"
contains "is reported" "$T/.out" 'warning: .*vectors.faiss: truncated.*rebuilt'
equal "and repaired in memory" "$(grep -v warning "$T/.out")" "$(cat "$T/search1")"
head -c 5000 /dev/urandom >"$T/idx/vectors.faiss"
ok "a vectors.faiss of random bytes" "$TOOL" --url "$URL" search openai:til+dim=128 "$T/idx" "run a docker container"
contains "is refused and rebuilt" "$T/.out" 'warning: .*not a cairn vector file.*rebuilt'
rm "$T/idx/vectors.faiss"
ok "a missing vectors.faiss" "$TOOL" --url "$URL" search openai:til+dim=128 "$T/idx" "run a docker container"
contains "is rebuilt with a warning" "$T/.out" 'warning: .*vectors.faiss.*rebuilt'
ok "the writer rewrites it" "$TOOL" --url "$URL" index openai:til+dim=128 "$T/idx"
contains "silently" "$T/.out" 'written 1'
lacks "with no warning" "$T/.out" 'warning'

# Switching models keeps both in the cache: switching back sends nothing.
ok "another model" "$TOOL" --url "$URL" index ollama:til2+dim=48 "$T/idx"
contains "embeds every chunk again" "$T/.out" 'cached 0 embedded [1-9]'
contains "into a 48-dimensional index" "$T/.out" 'dim 48 flat written 1'
n3=$(requests til+dim=128)
ok "back to the first" "$TOOL" --url "$URL" index openai:til+dim=128 "$T/idx"
contains "needs nothing sent" "$T/.out" '^chunks 0 cached 0 embedded 0'
contains "and rebuilds the file from the cache" "$T/.out" 'dim 128 flat written 1'
equal "the server saw no new request" "$(requests til+dim=128)" "$n3"

# cairn pack on an index with HTTP embeddings: the task is embedded once,
# though both hybrid search and the prose interleave ask for its neighbours.
ok "cairn index with an HTTP embedder" "$CAIRN" index --quiet --index "$T/pidx" \
    --embedder openai:pk+dim=64 --embed-url "$URL" "$TIL/docker"
n2=$(requests pk+dim=64)
ok "cairn pack there" "$CAIRN" pack --index "$T/pidx" --budget 2000 "run a docker container with a volume"
contains "packs docker notes" "$T/.out" '"path":"[a-z-]*docker[a-z-]*\.md"'
equal "embedding the task once" "$(requests pk+dim=64)" "$((n2 + 1))"

# Failures: clear errors, bounded time, the key never printed.
export CAIRN_E2E_KEY=sk-e2e-TOPSECRET-77
start=$(date +%s)
fails "a server that hangs" "$TOOL" --url "$URL" --timeout-ms 300 --retries 1 embed openai:h+hang < <(echo one; echo two)
contains "times out" "$T/.out" 'did not answer within 0.3 s \(2 attempts\)'
ok "within seconds" test $(($(date +%s) - start)) -lt 10
fails "a refused key" "$TOOL" --url "$URL" --key-env CAIRN_E2E_KEY embed openai:k+echoauth < <(echo one)
contains "says so" "$T/.out" 'HTTP 401.*check the API key'
lacks "without the key" "$T/.out" 'TOPSECRET'
fails "an unset key variable" env -u CAIRN_E2E_KEY "$TOOL" --url "$URL" --key-env CAIRN_E2E_KEY embed openai:k < <(echo one)
contains "names the variable" "$T/.out" 'CAIRN_E2E_KEY.*is not set'
fails "malformed JSON" "$TOOL" --url "$URL" embed openai:m+malformed < <(echo one)
contains "is nonsense" "$T/.out" 'answered nonsense: not JSON'
# dimflip answers its first request with 64 values and later ones with 65:
# the model changed between indexing and the query.
mkdir -p "$T/small"
echo "one short note about docker" >"$T/small/note.md"
"$CAIRN" index --quiet --index "$T/small-idx" "$T/small" >/dev/null 2>&1
ok "an index built by one model" "$TOOL" --url "$URL" index openai:flip+dimflip "$T/small-idx"
fails "queried after the model changed" "$TOOL" --url "$URL" search openai:flip+dimflip "$T/small-idx" "docker"
contains "is refused, never read" "$T/.out" 'query vector has 65 dimensions but the vectors of openai:flip\+dimflip have 64'

exec 7>&-
wait
fails "a server that is gone" "$TOOL" --url "$URL" embed openai:x < <(echo one)
contains "cannot be reached" "$T/.out" 'cannot connect to .*is the server running'
finish
