# writing.mk — writing archives: Markdown (md4c), front matter (libyaml),
# first-commit dates (libgit2), and the in-process benchmark driver.
DEBIAN_PKGS += libmd4c-dev libyaml-dev libgit2-dev git
LDLIBS += -lmd4c -lyaml -lgit2

# bench/writing.sh drives this: index and query latency measured inside
# one process, next to the whole-process figures of the cairn binary.
build/bench_writing: $(LIB_OBJ) $(OBJ)/bench/writing_bench.o $(EXTRA_OBJ)
	$(LINK) $(CFLAGS) -o $@ $^ $(LDLIBS)

TEST_DEPS += build/bench_writing
