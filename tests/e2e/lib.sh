# lib.sh — helpers for end-to-end tests of the cairn binary.
#
# Source it, call the checks, end with `finish`, which prints
# "NAME: N passed, N failed" and sets the exit status.
#   ok "what"  COMMAND...    passes when COMMAND exits 0
#   fails "what" COMMAND...  passes when COMMAND exits non-zero
#   contains "what" FILE PATTERN      grep -E in a file
#   lacks "what" FILE PATTERN
#   equal "what" GOT WANT
set -u
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
CAIRN=${CAIRN:-$ROOT/cairn}
SHARED=${CAIRN_SHARED:-$(cd "$ROOT/../shared" 2>/dev/null && pwd)}
TIL=$SHARED/corpora/til
T=$(mktemp -d "${TMPDIR:-/tmp}/cairn-e2e.XXXXXX")
trap 'chmod -R u+rwx "$T" 2>/dev/null; rm -rf "$T"' EXIT
export NO_COLOR=1
unset CAIRN_INDEX
_pass=0
_fail=0
_name=$(basename "$0" .sh)

_report() { # STATUS WHAT
    if [ "$1" = 0 ]; then
        _pass=$((_pass + 1))
        echo "ok   $2"
    else
        _fail=$((_fail + 1))
        echo "FAIL $2"
    fi
}
ok() { local w=$1; shift; "$@" >"$T/.out" 2>&1; local c=$?; [ $c = 0 ] || { echo "    exit $c: $*"; sed 's/^/    | /' "$T/.out" | head -n 15; }; _report $c "$w"; }
fails() { local w=$1; shift; "$@" >"$T/.out" 2>&1; local c=$?; if [ $c = 0 ]; then echo "    unexpectedly succeeded: $*"; _report 1 "$w"; else _report 0 "$w"; fi; }
contains() { if grep -Eq -- "$3" "$2"; then _report 0 "$1"; else echo "    no match for /$3/ in $2:"; sed 's/^/    | /' "$2" | head -n 15; _report 1 "$1"; fi; }
lacks() { if grep -Eq -- "$3" "$2"; then echo "    unexpected /$3/ in $2:"; grep -E -- "$3" "$2" | sed 's/^/    | /' | head -n 5; _report 1 "$1"; else _report 0 "$1"; fi; }
equal() { if [ "$2" = "$3" ]; then _report 0 "$1"; else echo "    got '$2', want '$3'"; _report 1 "$1"; fi; }
finish() { echo "$_name: $_pass passed, $_fail failed"; [ $_fail = 0 ]; }
