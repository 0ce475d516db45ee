# mcp.mk — what `cairn serve` (mcp/) needs beyond the core build: the real
# MCP clients its tests and benchmark drive, pinned in tests/mcp/package.json
# and package-lock.json — the official TypeScript SDK
# (@modelcontextprotocol/sdk), the MCP Inspector CLI and ajv — installed with
# `npm ci --ignore-scripts` into tests/mcp/node_modules.  They run on the
# machine's Node.js; Debian's nodejs and npm are installed only when there
# is no npm at all (a NodeSource nodejs carries its own npm, which Debian's
# npm package would conflict with).

MCP_NODE_STAMP := tests/mcp/node_modules/.cairn-installed

TEST_DEPS += $(MCP_NODE_STAMP)

$(MCP_NODE_STAMP): tests/mcp/package.json tests/mcp/package-lock.json
	@command -v npm >/dev/null 2>&1 || tools/ensure-deps.sh nodejs npm
	cd tests/mcp && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	@touch $@

.PHONY: bench-mcp
bench-mcp: cairn $(MCP_NODE_STAMP)
	bench/mcp.sh
