# tokens.mk — the token estimate (query/tokens.c) and what checks it: the
# real tokenizers it stands in for, js-tiktoken with its o200k_base and
# cl100k_base ranks as data, pinned in tests/tokens/package.json and
# package-lock.json and installed with `npm ci --ignore-scripts` (Debian's
# nodejs and npm only when there is no npm at all, as in mcp.mk); and
# build/tokcount, the estimate from the command line, which compiles
# query/tokens.c and its tables itself to reach the scanner's internals for the
# calibration script.

TOKENS_NODE_STAMP := tests/tokens/node_modules/.cairn-installed

TEST_DEPS += build/tokcount $(TOKENS_NODE_STAMP)

$(TOKENS_NODE_STAMP): tests/tokens/package.json tests/tokens/package-lock.json
	@command -v npm >/dev/null 2>&1 || tools/ensure-deps.sh nodejs npm
	cd tests/tokens && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	@touch $@

build/tokcount: tests/tools/tokcount.c query/tokens.c query/tokens_tables.c query/tokens_int.h \
                query/tokens.h build/.deps-ok
	@mkdir -p build
	$(CC) $(CPPFLAGS) $(CFLAGS) $(WARN) -o $@ tests/tools/tokcount.c

.PHONY: bench-tokens
bench-tokens: build/tokcount $(TOKENS_NODE_STAMP)
	bench/tokens.sh
