#!/bin/bash
# End-to-end: a full disk gives a clear error and damages nothing; the
# index keeps answering and the next run, with room, completes it.
# Needs root to mount a small tmpfs (CI runs as root); skipped otherwise.
. "$(dirname "$0")/lib.sh"

STDLIB=$(python3 -c "import sysconfig;print(sysconfig.get_paths()['stdlib'])")
if [ "$(id -u)" != 0 ] || ! command -v mount >/dev/null; then
    echo "    not root: a tmpfs cannot be mounted here; skipped"
    finish
    exit $?
fi
mkdir -p "$T/small"
if ! mount -t tmpfs -o size=3m tmpfs "$T/small" 2>"$T/mount.err"; then
    echo "    tmpfs mount refused ($(cat "$T/mount.err")); skipped"
    finish
    exit $?
fi
trap 'umount "$T/small" 2>/dev/null; chmod -R u+rwx "$T" 2>/dev/null; rm -rf "$T"' EXIT

mkdir -p "$T/tree"
cp -r "$STDLIB/json" "$T/tree/"
rm -rf "$T/tree/json/__pycache__"
IDX="$T/small/idx"
ok "a small tree fits" "$CAIRN" index -q --index "$IDX" "$T/tree"
ok "and is searchable" "$CAIRN" search --index "$IDX" -k 1 JSONDecoder

# Now far more text than the 3 MB disk holds.
cp -r "$STDLIB/email" "$STDLIB/asyncio" "$STDLIB/http" "$STDLIB/xml" "$STDLIB/unittest" "$T/tree/"
find "$T/tree" -name __pycache__ -prune -exec rm -rf {} +
fails "indexing onto a full disk fails" "$CAIRN" index --index "$IDX" "$T/tree"
contains "the error says the disk is full and names the index" "$T/.out" "idx.*(disk full|No space|database or disk is full)"
ok "the index still passes its check" "$CAIRN" check --index "$IDX"
ok "what was indexed before still answers" "$CAIRN" search --index "$IDX" -k 1 JSONDecoder

# With room again, the next run completes the same index.
mount -o remount,size=64m "$T/small"
ok "with room, indexing completes" "$CAIRN" index -q --index "$IDX" "$T/tree"
ok "and checks whole" "$CAIRN" check --index "$IDX"
ok "the new files answer" "$CAIRN" search --index "$IDX" -k 1 --path 'email/*' Message
finish
