# semantic.mk — dense retrieval: FAISS for the vector index (store/vectors),
# libcurl for the HTTP embedding providers (indexer/embed_http.c).
#
# Debian's libfaiss-dev ships libfaiss (static, C++) and the headers of
# FAISS's C API, but no compiled libfaiss_c.  store/faiss_capi.cpp defines
# the part of that C API cairn calls, with the headers' own signatures; where
# a real libfaiss_c is installed it is linked instead and the glue is not
# built.  libfaiss needs BLAS, LAPACK and OpenMP at link time.
DEBIAN_PKGS += libfaiss-dev libblas-dev liblapack-dev libcurl4-openssl-dev

FAISS_C_SO := $(shell $(CC) -print-file-name=libfaiss_c.so)
ifneq ($(findstring /,$(FAISS_C_SO)),)
LDLIBS += -lfaiss_c
else
EXTRA_OBJ  += $(OBJ)/store/faiss_capi.o
AEXTRA_OBJ += $(AOBJ)/store/faiss_capi.o
endif
LDLIBS += -lfaiss -llapack -lblas -lgomp -lcurl -lstdc++
LINK := $(CXX)

CXXWARN := -Wall -Wextra -Wshadow -Werror

$(OBJ)/store/faiss_capi.o: store/faiss_capi.cpp build/.deps-ok
	@mkdir -p $(dir $@)
	$(CXX) $(CPPFLAGS) $(OPT) -g -std=c++17 $(CXXWARN) -MMD -MP -c $< -o $@

$(AOBJ)/store/faiss_capi.o: store/faiss_capi.cpp build/.deps-ok
	@mkdir -p $(dir $@)
	$(CXX) $(CPPFLAGS) -O1 -g -std=c++17 $(ASAN) $(CXXWARN) -MMD -MP -c $< -o $@

# bench/vectors.sh drives this: FAISS add/search figures, flat and HNSW.
build/bench_vectors: $(OBJ)/bench/vectors_bench.o $(LIB_OBJ) $(EXTRA_OBJ)
	$(LINK) $(CFLAGS) -o $@ $^ $(LDLIBS)

# tests/e2e/test_embed_http.sh and bench/vectors.sh drive this: embed
# texts, give an index its vectors, search them (until the CLI does).
build/embed_tool: $(OBJ)/tests/tools/embed_tool.o $(LIB_OBJ) $(EXTRA_OBJ)
	$(LINK) $(CFLAGS) -o $@ $^ $(LDLIBS)

TEST_DEPS += build/embed_tool

# bench/pack.sh drives this: pack and PageRank latency with the graph held.
build/bench_pack: $(OBJ)/bench/pack_bench.o $(LIB_OBJ) $(EXTRA_OBJ)
	$(LINK) $(CFLAGS) -o $@ $^ $(LDLIBS)
