# cairn — build, test and benchmark.
#
#   make            install missing Debian packages (as root), build ./cairn
#   make test       build everything and run every test (unit, ASan+UBSan,
#                   end-to-end, valgrind); ends with "N passed, N failed"
#   make demo       build, index this repository and ../shared/corpora/til,
#                   run a few searches
#   make check-asan unit tests under AddressSanitizer + UBSan only
#   make bench      benchmarks in bench/ (figures next to ctags and ripgrep)

CC       ?= cc
# The linker driver: a fragment that adds C++ objects sets LINK = $(CXX).
LINK     ?= $(CC)
OPT      ?= -O2
CFLAGS   ?= $(OPT) -g
WARN     := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Werror
CPPFLAGS += -D_GNU_SOURCE -I.
LDLIBS   := -lsqlite3 -lutf8proc -lstemmer -lxxhash -lcjson -lpthread -lm

DEBIAN_PKGS := build-essential pkg-config libsqlite3-dev libutf8proc-dev libstemmer-dev \
               libxxhash-dev libcjson-dev universal-ctags ripgrep codesearch valgrind \
               sqlite3 python3 util-linux

LIB_SRC  := $(wildcard util/*.c store/*.c indexer/*.c query/*.c mcp/*.c)
# Objects built by the fragments in mk/ (vendored grammars, C++ glue...),
# linked into every binary; TEST_DEPS are built before `make test` runs.
EXTRA_OBJ  :=
AEXTRA_OBJ :=
TEST_DEPS  :=
CLI_SRC  := $(wildcard cli/*.c)
TEST_SRC := $(wildcard tests/unit/*.c tests/fuzz/fuzz_*.c)

OBJ      := build/obj
AOBJ     := build/asan
LIB_OBJ  := $(LIB_SRC:%.c=$(OBJ)/%.o)
CLI_OBJ  := $(CLI_SRC:%.c=$(OBJ)/%.o)
TEST_OBJ := $(TEST_SRC:%.c=$(OBJ)/%.o)
ASAN     := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all

.PHONY: all deps test check-asan unit e2e demo bench fuzz clean
all: cairn

# Each capability that needs more packages, libraries or build steps keeps
# them in its own fragment: DEBIAN_PKGS, LDLIBS, EXTRA_OBJ, TEST_DEPS += ...
include $(sort $(wildcard mk/*.mk))

build/.deps-ok: tools/ensure-deps.sh Makefile $(wildcard mk/*.mk)
	@mkdir -p build
	@tools/ensure-deps.sh $(DEBIAN_PKGS)
	@touch $@

deps: build/.deps-ok

$(OBJ)/%.o: %.c build/.deps-ok
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(WARN) -MMD -MP -c $< -o $@

$(AOBJ)/%.o: %.c build/.deps-ok
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) -O1 -g $(ASAN) $(WARN) -MMD -MP -c $< -o $@

cairn: $(LIB_OBJ) $(CLI_OBJ) $(EXTRA_OBJ)
	$(LINK) $(CFLAGS) -o $@ $^ $(LDLIBS)

build/unit_tests: $(LIB_OBJ) $(TEST_OBJ) $(EXTRA_OBJ)
	$(LINK) $(CFLAGS) -o $@ $^ $(LDLIBS)

build/asan/unit_tests: $(LIB_SRC:%.c=$(AOBJ)/%.o) $(TEST_SRC:%.c=$(AOBJ)/%.o) $(AEXTRA_OBJ)
	$(LINK) -g $(ASAN) -o $@ $^ $(LDLIBS)

build/asan/cairn: $(LIB_SRC:%.c=$(AOBJ)/%.o) $(CLI_SRC:%.c=$(AOBJ)/%.o) $(AEXTRA_OBJ)
	$(LINK) -g $(ASAN) -o $@ $^ $(LDLIBS)

unit: build/unit_tests
	build/unit_tests

check-asan: build/asan/unit_tests
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 build/asan/unit_tests

test: cairn build/unit_tests build/asan/unit_tests build/asan/cairn $(TEST_DEPS)
	@tests/run.sh

demo: cairn
	./cairn index --index .cairn . ../shared/corpora/til
	./cairn search "code-aware tokenizer camelCase"
	./cairn search --kind prose "how do I run a docker container"
	./cairn status

bench: cairn bench-mcp bench-tokens
	bench/index.sh
	bench/parse.sh
	bench/writing.sh
	bench/fresh.sh
	bench/vectors.sh
	bench/pack.sh
	bench/semantic.sh

# Fuzzing: each target in tests/fuzz/fuzz.h built with libFuzzer (clang) and
# run for FUZZ_SECONDS from the saved corpus (third-party objects such as
# grammars and the FAISS glue are linked uninstrumented); crashes are written into
# tests/fuzz/corpus/<target>/, which the unit tests replay.
FUZZ_TARGETS ?= tokenize query ignore prose jsonrpc
FUZZ_SECONDS ?= 30
FOBJ := build/fuzzobj
FUZZ_CFLAGS := -g -O1 -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer

$(FOBJ)/%.o: %.c build/.deps-ok
	@mkdir -p $(dir $@)
	clang $(CPPFLAGS) $(FUZZ_CFLAGS) -MMD -MP -c $< -o $@

build/fuzz/%: $(LIB_SRC:%.c=$(FOBJ)/%.o) $(wildcard tests/fuzz/fuzz_*.c) tests/fuzz/libfuzzer_main.c $(EXTRA_OBJ)
	@mkdir -p build/fuzz
	clang $(CPPFLAGS) -g -O1 -fsanitize=fuzzer,address,undefined -DFUZZ_TARGET=fuzz_$* \
	    $(filter %.o %.c,$^) $(LDLIBS) $(if $(filter $(CXX),$(LINK)),-lstdc++) -o $@

fuzz: $(FUZZ_TARGETS:%=build/fuzz/%)
	@for t in $(FUZZ_TARGETS); do \
	    mkdir -p build/fuzz/corpus-$$t; \
	    echo "== fuzz $$t for $(FUZZ_SECONDS) s"; \
	    build/fuzz/$$t -max_total_time=$(FUZZ_SECONDS) -max_len=65536 -timeout=10 \
	        -artifact_prefix=tests/fuzz/corpus/$$t/ build/fuzz/corpus-$$t tests/fuzz/corpus/$$t \
	        2>&1 | grep -E '^(#[0-9]+ +DONE|==[0-9]+==ERROR|SUMMARY|Done)' ; \
	done

clean:
	rm -rf build cairn

-include $(shell find build -name '*.d' 2>/dev/null)
