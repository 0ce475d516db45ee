#!/bin/sh
# ensure-deps.sh — install the Debian packages cairn builds with, if missing.
# Usage: tools/ensure-deps.sh PACKAGE...
# As root it runs apt-get; otherwise it prints the exact command and fails,
# so that `make` never half-builds on a machine that lacks a library.
missing=""
for p in "$@"; do
    st=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)
    case "$st" in
        *" installed") ;;
        *) missing="$missing $p" ;;
    esac
done
[ -z "$missing" ] && exit 0
if ! command -v apt-get >/dev/null 2>&1; then
    echo "cairn needs these Debian packages, and this machine has no apt-get:$missing" >&2
    exit 1
fi
if [ "$(id -u)" != 0 ]; then
    echo "cairn needs these packages; install them, then run make again:" >&2
    echo "  sudo apt-get install -y$missing" >&2
    exit 1
fi
echo "installing:$missing" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get install -y -q $missing >&2 || { apt-get update -q >&2 && apt-get install -y -q $missing >&2; } || {
    echo "apt-get could not install:$missing" >&2
    exit 1
}
