# e2e.sh — shared set-up for the tests/e2e/test_mcp*.sh scripts; source it
# after tests/e2e/lib.sh.
#
#   mcp_setup_index   builds $CODE (copies of stdlib packages: json, http,
#                     sqlite3, and under bulk/ enough packages that a
#                     reindex takes a while; plus escape.txt -> /etc/passwd,
#                     outside -> /etc and a git-ignored secret.txt) and
#                     indexes it with $TIL into $IDX.  Fails (with an ok/FAIL
#                     line) when Node.js or the pinned clients are missing.
#   node_checks WHAT COMMAND...
#                     runs a Node test that prints "ok   X" / "FAIL X" lines
#                     and counts each line as a check of this script.
MCP_NODE=$ROOT/tests/mcp/node_modules
CODE=$T/code
IDX=$T/idx
# The inspector keeps a catalog of servers; keep it out of $HOME.
export MCP_CATALOG_PATH=$T/inspector-catalog.json

mcp_setup_index() {
    if ! command -v node >/dev/null || [ ! -d "$MCP_NODE/@modelcontextprotocol/sdk" ]; then
        _report 1 "node and tests/mcp/node_modules are installed (make test installs them)"
        return 1
    fi
    [ -d "$TIL" ] || { _report 1 "the TIL archive is at $TIL"; return 1; }
    local stdlib
    stdlib=$(python3 -c "import sysconfig;print(sysconfig.get_paths()['stdlib'])")
    mkdir -p "$CODE/bulk"
    cp -r "$stdlib/json" "$stdlib/http" "$stdlib/sqlite3" "$CODE/"
    (cd "$stdlib" && cp -r email asyncio unittest xml multiprocessing importlib ctypes idlelib \
        test/test_asyncio test/test_email "$CODE/bulk/")
    find "$CODE" -name __pycache__ -prune -exec rm -rf {} +
    # Ways out of the root that must stay closed, and a file the index skips.
    ln -s /etc/passwd "$CODE/escape.txt"
    ln -s /etc "$CODE/outside"
    echo "secret.txt" >"$CODE/.gitignore"
    echo "TOP SECRET" >"$CODE/secret.txt"
    ok "index the stdlib copy and the TIL archive" "$CAIRN" index --quiet --index "$IDX" \
        "$CODE" "$TIL"
}

node_checks() {
    local what=$1 line code
    shift
    "$@" >"$T/node.out" 2>&1
    code=$?
    while IFS= read -r line; do
        case $line in
        "ok   "*) _report 0 "${line#ok   }" ;;
        "FAIL "*) _report 1 "${line#FAIL }" ;;
        *) echo "$line" ;;
        esac
    done <"$T/node.out"
    if [ "$code" != 0 ] && ! grep -q '^FAIL ' "$T/node.out"; then
        echo "    exit $code: $*"
        tail -n 15 "$T/node.out" | sed 's/^/    | /'
        _report 1 "$what ran to the end"
    fi
}
