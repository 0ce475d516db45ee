#!/bin/bash
# End-to-end: retrieval quality on the TIL archive.  tests/eval/til.jsonl
# holds realistic queries (vague recollections, snippet hunts, pasted
# drafts) with the notes that answer them; tests/eval/eval.py scores
# `cairn search` and, as the baseline, plain SQLite FTS5 (porter,
# unicode61) over the same chunks, by file-level MRR@10 and recall@10.
. "$(dirname "$0")/lib.sh"

[ -d "$TIL" ] || { echo "missing $TIL"; exit 1; }
IDX="$T/idx"
nq=$(grep -c '"query"' "$ROOT/tests/eval/til.jsonl")
[ "$nq" -ge 30 ]; _report $? "at least 30 evaluation queries ($nq)"
ok "index the TIL archive" "$CAIRN" index --index "$IDX" --quiet "$TIL"
ok "evaluation runs" python3 "$ROOT/tests/eval/eval.py" "$CAIRN" "$IDX" "$ROOT/tests/eval/til.jsonl" --json
sed 's/^/    /' "$T/.out"
result=$(tail -n 1 "$T/.out")
metric() { python3 -c "import json,sys; print(json.loads(sys.argv[1])[sys.argv[2]][sys.argv[3]])" "$result" "$1" "$2"; }
ok "cairn MRR@10 >= FTS5 MRR@10 ($(metric cairn mrr@10) vs $(metric fts5 mrr@10))" \
    python3 -c "import sys; sys.exit(not float(sys.argv[1]) >= float(sys.argv[2]))" "$(metric cairn mrr@10)" "$(metric fts5 mrr@10)"
ok "cairn recall@10 >= FTS5 recall@10 ($(metric cairn recall@10) vs $(metric fts5 recall@10))" \
    python3 -c "import sys; sys.exit(not float(sys.argv[1]) >= float(sys.argv[2]))" "$(metric cairn recall@10)" "$(metric fts5 recall@10)"
ok "quality floor: cairn recall@10 >= 0.85" \
    python3 -c "import sys; sys.exit(not float(sys.argv[1]) >= 0.85)" "$(metric cairn recall@10)"
finish
