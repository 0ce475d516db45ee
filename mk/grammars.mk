# grammars.mk — tree-sitter grammars compiled into cairn, their queries, and
# the tools and corpora that test them (indexer/parse*.c).
#
# The grammars come from the npm registry, pinned by grammars/package.json
# and package-lock.json, each at a version whose src/parser.c has
# LANGUAGE_VERSION 14 (Debian's libtree-sitter is 0.20.7).  They are
# third-party code: compiled once, without cairn's warnings, and the same
# objects are linked into the release and the ASan+UBSan binaries.
# Adding a grammar: its package in grammars/package.json, its sources here,
# a row in indexer/parse_langs.c and grammars/queries/<lang>.scm.

DEBIAN_PKGS += libtree-sitter-dev
# The grammars install with npm; where there is none, Debian's brings it.
DEBIAN_PKGS += $(if $(shell command -v npm),,nodejs npm)
LDLIBS      += -ltree-sitter

GRAMMAR_NM    := grammars/node_modules
GRAMMAR_STAMP := $(GRAMMAR_NM)/.cairn-installed
GRAMMAR_OBJ   := build/grammars

# Sources under grammars/node_modules (their scanners are all C).
GRAMMAR_SRC := \
    tree-sitter-bash/src/parser.c tree-sitter-bash/src/scanner.c \
    tree-sitter-c/src/parser.c \
    tree-sitter-cpp/src/parser.c tree-sitter-cpp/src/scanner.c \
    tree-sitter-go/src/parser.c \
    tree-sitter-java/src/parser.c \
    tree-sitter-javascript/src/parser.c tree-sitter-javascript/src/scanner.c \
    tree-sitter-python/src/parser.c tree-sitter-python/src/scanner.c \
    tree-sitter-ruby/src/parser.c tree-sitter-ruby/src/scanner.c \
    tree-sitter-rust/src/parser.c tree-sitter-rust/src/scanner.c \
    tree-sitter-typescript/tsx/src/parser.c tree-sitter-typescript/tsx/src/scanner.c \
    tree-sitter-typescript/typescript/src/parser.c tree-sitter-typescript/typescript/src/scanner.c

GRAMMAR_OBJS := $(GRAMMAR_SRC:%.c=$(GRAMMAR_OBJ)/%.o)
QUERY_SCM    := $(sort $(wildcard grammars/queries/*.scm))
QUERY_C      := build/gen/parse_queries.c
QUERY_OBJ    := build/gen/parse_queries.o

EXTRA_OBJ  += $(GRAMMAR_OBJS) $(QUERY_OBJ)
AEXTRA_OBJ += $(GRAMMAR_OBJS) $(QUERY_OBJ)

$(GRAMMAR_STAMP): grammars/package.json grammars/package-lock.json
	cd grammars && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	@touch $@

# Generated parsers are mostly tables: -O2 takes about 1.5 s for the largest (C++).
$(GRAMMAR_OBJ)/%.o: $(GRAMMAR_STAMP)
	@mkdir -p $(dir $@)
	$(CC) -O2 -g0 -w -fPIC -c $(GRAMMAR_NM)/$*.c -o $@

$(QUERY_C): $(QUERY_SCM) grammars/embed-queries.sh
	@mkdir -p $(dir $@)
	grammars/embed-queries.sh $@ $(QUERY_SCM)

# Data only: one object serves both builds.
$(QUERY_OBJ): $(QUERY_C) indexer/parse_langs.h build/.deps-ok
	$(CC) $(CPPFLAGS) -O2 $(WARN) -c $< -o $@

# parse_dump: the definitions of files as JSON lines, for the ctags
# comparison and bench/parse.sh.  It links only the modules it uses.
PARSE_DUMP_OBJ := $(patsubst %.c,$(OBJ)/%.o,tests/tools/parse_dump.c $(wildcard indexer/parse*.c) \
                    indexer/lang.c indexer/textfile.c util/buf.c util/err.c)
build/parse_dump: $(PARSE_DUMP_OBJ) $(GRAMMAR_OBJS) $(QUERY_OBJ)
	$(LINK) $(CFLAGS) -o $@ $^ -ltree-sitter -lcjson -lpthread -lm

# Real code in more languages for tests/e2e/test_ctags.sh: Debian packages
# and two npm packages (TypeScript's .d.ts files, Cordova's Java sources).
CORPUS_PKGS  := golang-golang-x-tools-dev librust-regex-dev libruby3.1 googletest bash-completion \
                libcurl4-openssl-dev
CORPUS_STAMP := grammars/corpus/node_modules/.cairn-installed

build/.corpus-pkgs-ok: tools/ensure-deps.sh mk/grammars.mk
	@mkdir -p build
	@tools/ensure-deps.sh $(CORPUS_PKGS)
	@touch $@

$(CORPUS_STAMP): grammars/corpus/package.json grammars/corpus/package-lock.json
	cd grammars/corpus && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	@touch $@

TEST_DEPS += build/parse_dump build/.corpus-pkgs-ok $(CORPUS_STAMP)
