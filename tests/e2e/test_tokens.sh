#!/bin/bash
# test_tokens.sh — the token estimate (query/tokens.c) against the real
# tokenizers: tests/tokens/measure.mjs counts a few hundred held-out real
# files (Python standard library, C headers, npm's JavaScript, the TIL
# notes) with build/tokcount and with js-tiktoken, and fails when a
# corpus's aggregate error is over 5%, a file is under-counted by more than
# 8% (12% under 1000 tokens), or a prefix cut for a budget is over it.
# The figures are printed (indented, so tests/run.sh shows them).
source "$(dirname "$0")/lib.sh"
cd "$ROOT" || exit 2

TOKCOUNT=$ROOT/build/tokcount
ok "build/tokcount is built" test -x "$TOKCOUNT"
ok "js-tiktoken is installed" test -f tests/tokens/node_modules/js-tiktoken/package.json

node tests/tokens/measure.mjs >"$T/measure" 2>&1
rc=$?
sed 's/^/    /' "$T/measure"
equal "estimate within bounds on every corpus (measure.mjs)" "$rc" 0
for corpus in python c js markdown; do
    contains "o200k: $corpus measured on 50 files or more" "$T/measure" \
        "^    $corpus +([5-9][0-9]|[1-9][0-9][0-9]) files"
done
contains "o200k: prefixes cut and checked" "$T/measure" "prefix 1000 tokens: [1-9][0-9]* files cut"

# The check has teeth: an estimate that counts half is rejected.
cat >"$T/half" <<SH
#!/bin/sh
"$TOKCOUNT" "\$@" | awk -F'\t' -v OFS='\t' '{ \$1 = int(\$1 / 2); print }'
SH
chmod +x "$T/half"
fails "an estimate of half the tokens fails the measure" \
    node tests/tokens/measure.mjs --tokcount "$T/half" --enc o200k --sample 10
contains "and says which files" "$T/.out" "FAIL o200k .*estimated"

# The command line on text that is not UTF-8 and on an empty file.
printf 'caf\xe9 \xff\xfe na\xefve\n' >"$T/latin1.txt"
: >"$T/empty.txt"
ok "tokcount reads bytes that are not UTF-8" "$TOKCOUNT" "$T/latin1.txt"
contains "and counts them" "$T/.out" "^[1-9][0-9]*	14	"
ok "tokcount on an empty file" "$TOKCOUNT" "$T/empty.txt"
contains "counts nothing" "$T/.out" "^0	0	"
fails "tokcount on a missing file" "$TOKCOUNT" "$T/missing.txt"
finish
