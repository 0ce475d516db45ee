#!/bin/bash
# bench/vectors.sh — figures for dense retrieval, printed, not asserted.
#
#   1. FAISS through cairn's vector index (build/bench_vectors): add
#      throughput, search latency p50/p99 for one query at a time, resident
#      memory, file size and save/load times, exact (flat) next to HNSW,
#      and HNSW's recall@10 against exact; on random clustered vectors,
#      30,000 x 256 by default.
#   2. The HTTP providers against tests/tools/fake_embed_server.py on
#      loopback (build/embed_tool): texts/s for one batch call, and chunks/s
#      for giving the TIL notes' index its vectors.  The fake server is
#      Python, so these bound cairn's side from below: a real server is
#      slower to compute but cairn's batching and concurrency are the same.
# Usage: bench/vectors.sh [N [DIM [QUERIES]]]
set -eu
cd "$(dirname "$0")/.."
make -s cairn build/bench_vectors build/embed_tool >&2
N=${1:-30000}
DIM=${2:-256}
NQ=${3:-1000}
TIL=$(cd "${CAIRN_SHARED:-../shared}/corpora/til" && pwd)
W=$(mktemp -d "${TMPDIR:-/tmp}/cairn-bench.XXXXXX")
trap 'exec 7>&- 2>/dev/null; rm -rf "$W"' EXIT

echo "== vector index: $N x $DIM random clustered vectors, $NQ queries, $(nproc) CPUs"
build/bench_vectors "$N" "$DIM" "$NQ"

echo "== HTTP providers against the fake server (loopback, $(nproc) CPUs)"
unset http_proxy HTTP_PROXY https_proxy HTTPS_PROXY all_proxy ALL_PROXY
mkfifo "$W/server.in"
python3 tests/tools/fake_embed_server.py <"$W/server.in" >"$W/port" &
exec 7>"$W/server.in"
for _ in $(seq 50); do [ -s "$W/port" ] && break; sleep 0.1; done
URL=http://127.0.0.1:$(head -n 1 "$W/port")
find "$TIL" -name '*.md' -exec cat {} + 2>/dev/null | grep -v '^\s*$' | head -n 20000 >"$W/lines"
for spec in openai:bench+dim=256 ollama:bench+dim=256; do
    printf '%-22s embed %s lines: ' "$spec" "$(wc -l <"$W/lines")"
    build/embed_tool --url "$URL" embed "$spec" <"$W/lines"
done
./cairn index --quiet --index "$W/idx" "$TIL" >/dev/null
echo "TIL index, first run (every chunk sent) then second run (nothing to send):"
build/embed_tool --url "$URL" index openai:til+dim=256 "$W/idx" | sed 's/^/  /'
build/embed_tool --url "$URL" index openai:til+dim=256 "$W/idx" | sed 's/^/  /'
