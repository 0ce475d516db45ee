#!/bin/bash
# run.sh — every test cairn has, in order, with one summary line at the end.
#
#   unit tests (release build), unit tests under ASan+UBSan, end-to-end
#   scripts in tests/e2e/ (the release binary; some also run the ASan build
#   or valgrind).  Each suite prints "NAME: N passed, N failed"; this script
#   adds them up and prints "N passed, N failed", exiting non-zero on any
#   failure.  Run from the repository root (make test does).
set -u
cd "$(dirname "$0")/.." || exit 2

total_pass=0
total_fail=0
failed_suites=()

tally() { # NAME OUTPUT-FILE EXIT-CODE
    local name=$1 out=$2 code=$3 line p f
    line=$(grep -E '^[A-Za-z0-9_-]+: [0-9]+ passed, [0-9]+ failed' "$out" | tail -n 1)
    if [ -z "$line" ]; then
        echo "!! $name printed no summary (exit $code)"
        tail -n 20 "$out"
        total_fail=$((total_fail + 1))
        failed_suites+=("$name")
        return
    fi
    p=$(sed -E 's/^[^:]+: ([0-9]+) passed, ([0-9]+) failed.*/\1/' <<<"$line")
    f=$(sed -E 's/^[^:]+: ([0-9]+) passed, ([0-9]+) failed.*/\2/' <<<"$line")
    total_pass=$((total_pass + p))
    total_fail=$((total_fail + f))
    if [ "$f" -gt 0 ] || [ "$code" -ne 0 ]; then
        failed_suites+=("$name")
        [ "$f" -eq 0 ] && total_fail=$((total_fail + 1))
    fi
    echo "== $line"
}

run_suite() { # NAME COMMAND...
    local name=$1 out
    shift
    out=$(mktemp)
    echo "== $name"
    "$@" >"$out" 2>&1
    local code=$?
    grep -E '^(FAIL|not ok|!!)|^    ' "$out" | head -n 60
    tally "$name" "$out" "$code"
    rm -f "$out"
}

run_suite unit build/unit_tests
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    run_suite unit-asan build/asan/unit_tests
for t in tests/e2e/test_*.sh; do
    run_suite "e2e-$(basename "$t" .sh)" bash "$t"
done

echo
if [ ${#failed_suites[@]} -gt 0 ]; then
    echo "failing suites: ${failed_suites[*]}"
fi
echo "$total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ]
