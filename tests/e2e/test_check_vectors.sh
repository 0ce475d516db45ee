#!/bin/bash
# End-to-end: `cairn check` compares the vector file with the database:
# FAISS ids must be exactly the chunks that have vectors; a stale file is
# no damage (the next open rebuilds it), a damaged or inconsistent one is.
. "$(dirname "$0")/lib.sh"

exec 3< <(sleep 120)
python3 "$ROOT/tests/tools/fake_embed_server.py" 0 <&3 >"$T/port" 2>"$T/server.err" &
for i in $(seq 1 50); do [ -s "$T/port" ] && break; sleep 0.1; done
PORT=$(head -n 1 "$T/port")
mkdir -p "$T/notes"
cp "$TIL"/sqlite/*.md "$T/notes/"
IDX="$T/idx"
ok "index with an HTTP embedder" "$CAIRN" index -q --index "$IDX" --embedder openai:bow --embed-url "http://127.0.0.1:$PORT" "$T/notes"
[ -s "$IDX/vectors.faiss" ]; _report $? "the vector file exists"
ok "a fresh index checks whole" "$CAIRN" check --index "$IDX"

gen=$(sqlite3 "$IDX/index.db" "SELECT value FROM meta WHERE key = 'vectors_generation'")
cp -r "$IDX" "$T/idx-bad"
sqlite3 "$T/idx-bad/index.db" "DELETE FROM chunk_vectors WHERE chunk_id = (SELECT min(chunk_id) FROM chunk_vectors);
    UPDATE meta SET value = '$gen' WHERE key = 'vectors_generation';"
fails "vectors of a chunk the database says has none" "$CAIRN" check --index "$T/idx-bad"
contains "the problem counts the extra vector" "$T/.out" "holds 1 vectors of chunks that have none"

cp -r "$IDX" "$T/idx-stale"
sqlite3 "$T/idx-stale/index.db" "DELETE FROM chunk_vectors WHERE chunk_id = (SELECT min(chunk_id) FROM chunk_vectors)"
ok "a stale vector file is not damage" "$CAIRN" check --index "$T/idx-stale"

cp -r "$IDX" "$T/idx-trunc"
size=$(stat -c %s "$T/idx-trunc/vectors.faiss")
truncate -s $((size / 2)) "$T/idx-trunc/vectors.faiss"
fails "a truncated vector file is reported" "$CAIRN" check --index "$T/idx-trunc"
contains "names the file" "$T/.out" "vectors.faiss"
ok "search still answers with a truncated vector file" "$CAIRN" search --index "$T/idx-trunc" -k 1 sqlite
finish
