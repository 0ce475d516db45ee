#!/bin/bash
# End-to-end: context recall of `cairn pack` on the TIL archive against the
# simple alternative, the top search results concatenated up to the same
# budget (tests/eval/context_recall.py: the share of the answers of
# tests/eval/til.jsonl whose note is in the context).  The pack must hold
# more answers at every budget, and never exceed one.
. "$(dirname "$0")/lib.sh"

[ -d "$TIL" ] || { echo "missing $TIL"; exit 1; }
IDX="$T/idx"
ok "index the TIL archive" "$CAIRN" index --index "$IDX" --quiet "$TIL"
ok "context recall runs" python3 "$ROOT/tests/eval/context_recall.py" "$CAIRN" "$IDX" \
    "$ROOT/tests/eval/til.jsonl" --json
sed 's/^/    /' "$T/.out"
result=$(tail -n 1 "$T/.out")
field() { python3 -c "import json,sys; print(json.loads(sys.argv[1])[sys.argv[2]][sys.argv[3]])" "$result" "$budget" "$1"; }
for budget in 2000 8000 32000; do
    ok "at $budget tokens the pack holds more answers than top search ($(field pack) vs $(field search))" \
        python3 -c "import sys; sys.exit(not float(sys.argv[1]) > float(sys.argv[2]))" "$(field pack)" "$(field search)"
    equal "no pack over its $budget-token budget" "$(field packs_over_budget)" 0
done
finish
