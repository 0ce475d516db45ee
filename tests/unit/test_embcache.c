/*
 * test_embcache.c — the embedding cache and chunk_vectors in SQLite:
 * lookups and inserts of many vectors, one dimension per embedder, which
 * chunks need work, keys leaving with their chunks, the generation that
 * counts every change, pruning and dropping.
 */
#include "store/embcache.h"
#include "store/store.h"
#include "util/err.h"
#include "test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static store *fresh(const char *name, int64_t *file_id)
{
    char dir[4200];
    snprintf(dir, sizeof dir, "%s/%s", test_tmpdir(), name);
    store *s = NULL;
    int64_t root;
    if (store_open(dir, STORE_WRITE, &s) || store_begin(s) || store_root_ensure(s, "/r", &root))
        goto fail;
    for (int f = 0; f < 2; f++) {
        store_file sf = {.root_id = root, .path = f ? "b.md" : "a.py", .size = 1, .mtime_ns = 1,
                         .hash = 1, .lang = f ? "markdown" : "python",
                         .kind = f ? "prose" : "code", .encoding = "utf-8"};
        if (store_file_put(s, &sf, &file_id[f]))
            goto fail;
        for (int c = 0; c < 3; c++) {
            char text[48];
            snprintf(text, sizeof text, "chunk %d of %d", c, f);
            store_chunk ch = {.seq = c, .start_line = c + 1, .end_line = c + 1,
                              .symbol = f ? NULL : "fn", .context = f ? "Title > Part" : NULL,
                              .text = text, .text_len = strlen(text)};
            if (store_chunk_add(s, file_id[f], &ch))
                goto fail;
        }
    }
    if (store_commit(s))
        goto fail;
    return s;
fail:
    fprintf(stderr, "    store: %s\n", err_msg());
    store_close(s);
    return NULL;
}

static long generation(store *s)
{
    char *v = NULL;
    long g = -1;
    if (store_meta_get(s, "vectors_generation", &v) == CAIRN_OK)
        g = atol(v);
    free(v);
    return g;
}

TEST(embcache_puts_and_gets_many)
{
    int64_t files[2];
    store *s = fresh("pg", files);
    REQUIRE(s);
    float vecs[3 * 4] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
    uint64_t h[3] = {11, 22, UINT64_MAX};
    long g0 = generation(s);
    CHECK_INT(g0, 0);
    REQUIRE(store_begin(s) == CAIRN_OK);
    REQUIRE(embcache_put(s, "openai", "m", 3, h, 4, vecs) == CAIRN_OK);
    REQUIRE(store_commit(s) == CAIRN_OK);
    CHECK(generation(s) > g0);
    int dim = 0;
    REQUIRE(embcache_dim(s, "openai", "m", &dim) == CAIRN_OK);
    CHECK_INT(dim, 4);
    REQUIRE(embcache_dim(s, "openai", "other", &dim) == CAIRN_OK);
    CHECK_INT(dim, 0);
    uint64_t ask[4] = {UINT64_MAX, 99, 11, 22};
    float out[4 * 4] = {0};
    unsigned char found[4];
    size_t nfound = 0;
    REQUIRE(embcache_get(s, "openai", "m", 4, ask, 4, out, found, &nfound) == CAIRN_OK);
    CHECK_INT(nfound, 3);
    CHECK(found[0] && !found[1] && found[2] && found[3]);
    CHECK(out[0] == 9 && out[3] == 12 && out[8] == 1 && out[15] == 8);
    /* Existence only. */
    REQUIRE(embcache_get(s, "openai", "m", 4, ask, 0, NULL, found, NULL) == CAIRN_OK);
    CHECK(found[0] && !found[1]);
    /* Another model is another cache; another dimension for the same one
     * is refused, and a reader asking for the wrong size is told. */
    REQUIRE(embcache_get(s, "openai", "m2", 4, ask, 0, NULL, found, &nfound) == CAIRN_OK);
    CHECK_INT(nfound, 0);
    REQUIRE(store_begin(s) == CAIRN_OK);
    CHECK(embcache_put(s, "openai", "m", 1, h, 3, vecs) == CAIRN_ERR_INVALID);
    CHECK(strstr(err_msg(), "3-dimensional") && strstr(err_msg(), "4-dimensional"));
    REQUIRE(embcache_put(s, "openai", "m2", 1, h, 3, vecs) == CAIRN_OK);
    REQUIRE(store_commit(s) == CAIRN_OK);
    CHECK(embcache_get(s, "openai", "m", 1, ask, 3, out, found, NULL) == CAIRN_ERR_CORRUPT);
    store_close(s);
}

static int collect(void *ctx, const embcache_chunk *c)
{
    char *out = ctx;
    size_t at = strlen(out);
    snprintf(out + at, 1024 - at, "[%lld %s %s %s %s %s %.*s]", (long long)c->id, c->path, c->lang,
             c->kind, c->symbol ? c->symbol : "-", c->context ? c->context : "-",
             (int)c->text_len, c->text);
    return CAIRN_OK;
}

TEST(embcache_unembedded_lists_chunks_without_vectors)
{
    int64_t files[2];
    store *s = fresh("todo", files);
    REQUIRE(s);
    int64_t *ids = NULL;
    size_t n = 0;
    REQUIRE(embcache_unembedded(s, "openai", "m", &ids, &n) == CAIRN_OK);
    CHECK_INT(n, 6);
    for (size_t i = 0; i < n; i++)
        CHECK_INT(ids[i], (int64_t)i + 1);
    char got[1024] = "";
    int64_t pick[] = {2, 4, 77};
    REQUIRE(embcache_chunks_each(s, pick, 3, collect, got) == CAIRN_OK);
    CHECK_STR(got, "[2 a.py python code fn - chunk 1 of 0][4 b.md markdown prose - Title > Part "
                   "chunk 0 of 1]");
    free(ids);
    /* Chunks 1-3 get keys; 1 and 2 share a text whose vector is cached. */
    int64_t keyed[] = {1, 2, 3};
    uint64_t hashes[] = {500, 500, 600};
    float vec[2] = {1, 0};
    long g = generation(s);
    REQUIRE(store_begin(s) == CAIRN_OK);
    REQUIRE(embcache_chunk_set(s, 3, keyed, hashes) == CAIRN_OK);
    REQUIRE(embcache_put(s, "openai", "m", 1, hashes, 2, vec) == CAIRN_OK);
    REQUIRE(store_commit(s) == CAIRN_OK);
    CHECK(generation(s) >= g + 4);
    REQUIRE(embcache_unembedded(s, "openai", "m", &ids, &n) == CAIRN_OK);
    CHECK_INT(n, 4); /* 3 (no vector for its text) and 4-6 (no key) */
    CHECK(n == 4 && ids[0] == 3 && ids[1] == 4);
    free(ids);
    uint64_t *hs = NULL;
    REQUIRE(embcache_current(s, "openai", "m", &ids, &hs, &n) == CAIRN_OK);
    CHECK_INT(n, 2);
    CHECK(n == 2 && ids[0] == 1 && ids[1] == 2 && hs[0] == 500);
    free(ids);
    free(hs);
    /* Another model needs everything. */
    REQUIRE(embcache_unembedded(s, "ollama", "m", &ids, &n) == CAIRN_OK);
    CHECK_INT(n, 6);
    free(ids);
    /* Deleting the file takes its chunks' keys along. */
    g = generation(s);
    REQUIRE(store_begin(s) == CAIRN_OK);
    REQUIRE(store_file_delete(s, files[0]) == CAIRN_OK);
    REQUIRE(store_commit(s) == CAIRN_OK);
    CHECK(generation(s) > g);
    REQUIRE(embcache_current(s, "openai", "m", &ids, &hs, &n) == CAIRN_OK);
    CHECK_INT(n, 0);
    free(ids);
    free(hs);
    store_close(s);
}

TEST(embcache_prune_and_drop_touch_one_model)
{
    int64_t files[2];
    store *s = fresh("prune", files);
    REQUIRE(s);
    int64_t keyed[] = {1};
    uint64_t h[] = {1, 2, 3};
    float v[3] = {1, 2, 3};
    REQUIRE(store_begin(s) == CAIRN_OK);
    REQUIRE(embcache_chunk_set(s, 1, keyed, h) == CAIRN_OK);
    for (int i = 0; i < 3; i++) {
        REQUIRE(embcache_put(s, "openai", "a", 1, &h[i], 1, &v[i]) == CAIRN_OK);
        REQUIRE(embcache_put(s, "openai", "b", 1, &h[i], 1, &v[i]) == CAIRN_OK);
    }
    int64_t removed = 0;
    REQUIRE(embcache_prune(s, "openai", "a", &removed) == CAIRN_OK);
    CHECK_INT(removed, 2);
    REQUIRE(store_commit(s) == CAIRN_OK);
    unsigned char found[3];
    size_t nfound;
    REQUIRE(embcache_get(s, "openai", "a", 3, h, 0, NULL, found, &nfound) == CAIRN_OK);
    CHECK(nfound == 1 && found[0]);
    REQUIRE(embcache_get(s, "openai", "b", 3, h, 0, NULL, found, &nfound) == CAIRN_OK);
    CHECK_INT(nfound, 3);
    REQUIRE(embcache_drop(s, "openai", "b") == CAIRN_OK);
    REQUIRE(embcache_get(s, "openai", "b", 3, h, 0, NULL, found, &nfound) == CAIRN_OK);
    CHECK_INT(nfound, 0);
    store_close(s);
}
