# bench/lib.sh — what the benchmark scripts share, sourced from the project
# root: where this machine's Python standard library is, and how to copy
# its .py files (without site-packages), the tree most figures are for.
STDLIB=$(python3 -c "import sysconfig;print(sysconfig.get_paths()['stdlib'])")

# stdlib_copy DIR: the standard library's .py files, as a tree under DIR.
stdlib_copy() {
    mkdir -p "$1"
    (cd "$STDLIB" && find . -path ./site-packages -prune -o -name '*.py' -type f -print0 |
        tar --null -T - -cf -) | tar -xf - -C "$1"
}
