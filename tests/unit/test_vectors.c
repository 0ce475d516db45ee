/*
 * test_vectors.c — the FAISS vector index: exact and HNSW search (recall
 * of HNSW against exact on 50,000 clustered vectors), removal and
 * tombstones, allow-lists, the file's round trip and every way it can be
 * damaged, and repair against SQLite through a real store.
 */
#include "store/embcache.h"
#include "store/store.h"
#include "store/vectors.h"
#include "util/err.h"
#include "test.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static uint64_t rng_state;

static uint64_t rng_next(void)
{
    uint64_t x = rng_state;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return rng_state = x;
}

static float rng_gauss(void)
{
    double u = ((rng_next() >> 11) + 1.0) / 9007199254740993.0;
    double v = (rng_next() >> 11) / 9007199254740992.0;
    return (float)(sqrt(-2 * log(u)) * cos(6.283185307179586 * v));
}

/* n vectors around ncenters random centres; noise is relative to a unit
 * centre, so that neighbourhoods overlap the way real embeddings do. */
static float *clustered(size_t n, int dim, int ncenters, float noise, uint64_t seed)
{
    rng_state = seed;
    float *centers = malloc((size_t)ncenters * dim * sizeof *centers);
    float *x = malloc(n * dim * sizeof *x);
    for (size_t i = 0; i < (size_t)ncenters * dim; i++)
        centers[i] = rng_gauss() / sqrtf((float)dim);
    for (size_t i = 0; i < n; i++) {
        const float *c = centers + (rng_next() % ncenters) * dim;
        for (int d = 0; d < dim; d++)
            x[i * dim + d] = c[d] + noise * rng_gauss() / sqrtf((float)dim);
    }
    free(centers);
    return x;
}

static int64_t *seq_ids(size_t n, int64_t first)
{
    int64_t *ids = malloc(n * sizeof *ids);
    for (size_t i = 0; i < n; i++)
        ids[i] = first + (int64_t)i;
    return ids;
}

static uint64_t *zero_hashes(size_t n) { return calloc(n, sizeof(uint64_t)); }

static vec_index *build(const float *x, size_t n, int dim, size_t threshold)
{
    vec_opts o = {.hnsw_threshold = threshold};
    vec_index *v = NULL;
    int64_t *ids = seq_ids(n, 1);
    uint64_t *h = zero_hashes(n);
    if (vec_new("test", "m", dim, &o, &v) || vec_add(v, n, ids, h, x)) {
        fprintf(stderr, "    build: %s\n", err_msg());
        vec_free(v);
        v = NULL;
    }
    free(ids);
    free(h);
    return v;
}

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

static int has_id(const vec_hit *h, size_t n, int64_t id)
{
    for (size_t i = 0; i < n; i++)
        if (h[i].id == id)
            return 1;
    return 0;
}

TEST(vectors_flat_finds_itself_and_forgets_removed)
{
    const int dim = 16;
    float *x = clustered(500, dim, 20, 0.5f, 7);
    vec_index *v = build(x, 500, dim, 0);
    REQUIRE(v);
    CHECK_INT(vec_count(v), 500);
    CHECK_INT(vec_approximate(v), 0);
    CHECK_INT(vec_dim(v), dim);
    vec_hit hits[10];
    size_t n = 0;
    /* A scaled copy of a stored vector: cosine ignores length. */
    float q[16];
    for (int d = 0; d < dim; d++)
        q[d] = 3 * x[41 * dim + d];
    REQUIRE(vec_search(v, q, dim, 10, NULL, 0, hits, &n) == CAIRN_OK);
    CHECK_INT(n, 10);
    CHECK_INT(hits[0].id, 42);
    CHECK(fabsf(hits[0].score - 1.0f) < 1e-4);
    for (size_t i = 1; i < n; i++)
        CHECK(hits[i - 1].score >= hits[i].score);
    int64_t gone[] = {42, 9999};
    REQUIRE(vec_remove(v, 2, gone) == CAIRN_OK);
    CHECK_INT(vec_count(v), 499);
    REQUIRE(vec_search(v, q, dim, 10, NULL, 0, hits, &n) == CAIRN_OK);
    CHECK(!has_id(hits, n, 42));
    /* Replacing a vector under an existing id. */
    int64_t id7 = 7;
    uint64_t h7 = 1;
    REQUIRE(vec_add(v, 1, &id7, &h7, q) == CAIRN_OK);
    CHECK_INT(vec_count(v), 499);
    REQUIRE(vec_search(v, q, dim, 1, NULL, 0, hits, &n) == CAIRN_OK);
    CHECK_INT(hits[0].id, 7);
    vec_free(v);
    free(x);
}

TEST(vectors_hnsw_recall_at_10_against_exact)
{
    const int dim = 64;
    const size_t n = 50000, nq = 300, k = 10;
    /* The queries come from the same clusters but are not in the index. */
    float *x = clustered(n + nq, dim, 500, 1.0f, 11);
    const float *queries = x + n * dim;
    double t0 = now_s();
    vec_index *exact = build(x, n, dim, (size_t)-1);
    vec_index *approx = build(x, n, dim, 0);
    double t_build = now_s() - t0;
    REQUIRE(exact && approx);
    CHECK_INT(vec_approximate(exact), 0);
    CHECK_INT(vec_approximate(approx), 1);
    vec_hit he[10], ha[10];
    size_t ne = 0, na = 0, found = 0;
    t0 = now_s();
    for (size_t i = 0; i < nq; i++) {
        const float *q = queries + (size_t)dim * i;
        REQUIRE(vec_search(exact, q, dim, k, NULL, 0, he, &ne) == CAIRN_OK);
        REQUIRE(vec_search(approx, q, dim, k, NULL, 0, ha, &na) == CAIRN_OK);
        REQUIRE(ne == k && na == k);
        for (size_t j = 0; j < k; j++)
            found += has_id(he, ne, ha[j].id);
    }
    double recall = (double)found / (nq * k);
    fprintf(stderr, "    HNSW recall@10 %.3f over %zu queries on %zu x %d (build %.1f s, "
            "search %.2f s)\n", recall, nq, n, dim, t_build, now_s() - t0);
    CHECK(recall >= 0.95);
    vec_free(exact);
    vec_free(approx);
    free(x);
}

TEST(vectors_hnsw_tombstones_rebuild_and_fall_back_to_flat)
{
    const int dim = 16;
    float *x = clustered(1000, dim, 30, 0.5f, 3);
    vec_index *v = build(x, 1000, dim, 400);
    REQUIRE(v);
    CHECK_INT(vec_approximate(v), 1);
    int64_t gone[50];
    for (int i = 0; i < 50; i++)
        gone[i] = 1 + 2 * i; /* vectors 0, 2, 4... of x */
    REQUIRE(vec_remove(v, 50, gone) == CAIRN_OK);
    CHECK_INT(vec_count(v), 950);
    vec_hit hits[20];
    size_t n = 0;
    for (int i = 0; i < 50; i++) {
        REQUIRE(vec_search(v, x + (size_t)2 * i * dim, dim, 20, NULL, 0, hits, &n) == CAIRN_OK);
        CHECK_INT(n, 20);
        for (size_t j = 0; j < n; j++)
            CHECK(hits[j].id % 2 == 0 || hits[j].id > 100);
    }
    /* A removed id comes back with another vector. */
    int64_t back = 1;
    uint64_t hb = 5;
    REQUIRE(vec_add(v, 1, &back, &hb, x + 500 * dim) == CAIRN_OK);
    REQUIRE(vec_search(v, x + 500 * dim, dim, 2, NULL, 0, hits, &n) == CAIRN_OK);
    CHECK(has_id(hits, n, 1) && has_id(hits, n, 501));
    /* Past a tenth tombstones, and below half the threshold, it rebuilds. */
    int64_t *many = seq_ids(500, 300);
    REQUIRE(vec_remove(v, 500, many) == CAIRN_OK);
    CHECK_INT(vec_count(v), 451);
    CHECK_INT(vec_approximate(v), 1);
    REQUIRE(vec_remove(v, 300, many + 200) == CAIRN_OK); /* ids 500..799, already gone */
    int64_t *more = seq_ids(300, 800);
    REQUIRE(vec_remove(v, 300, more) == CAIRN_OK);
    CHECK_INT(vec_count(v), 250);
    CHECK_INT(vec_approximate(v), 1);
    int64_t *last = seq_ids(100, 100);
    REQUIRE(vec_remove(v, 100, last) == CAIRN_OK);
    CHECK_INT(vec_count(v), 150);
    CHECK_INT(vec_approximate(v), 0);
    REQUIRE(vec_search(v, x + 900 * dim, dim, 20, NULL, 0, hits, &n) == CAIRN_OK);
    CHECK_INT(n, 20);
    for (size_t j = 0; j < n; j++) {
        int64_t id = hits[j].id;
        CHECK(id == 1 || (id < 100 && id % 2 == 0) || (id >= 200 && id < 300));
    }
    free(many);
    free(more);
    free(last);
    vec_free(v);
    free(x);
}

TEST(vectors_allow_list_restricts_results)
{
    const int dim = 8;
    const size_t n = 10000;
    float *x = clustered(n, dim, 10, 0.5f, 5);
    vec_index *v = build(x, n, dim, 0);
    REQUIRE(v);
    vec_hit hits[10];
    size_t nh = 0;
    int64_t few[] = {5, 17, 17, 123, 99999};
    REQUIRE(vec_search(v, x, dim, 10, few, 5, hits, &nh) == CAIRN_OK);
    CHECK_INT(nh, 3);
    for (size_t i = 0; i < nh; i++)
        CHECK(hits[i].id == 5 || hits[i].id == 17 || hits[i].id == 123);
    /* Too many to score one by one: the index's results are filtered. */
    int64_t *odd = malloc(n / 2 * sizeof *odd);
    for (size_t i = 0; i < n / 2; i++)
        odd[i] = (int64_t)(2 * i + 1);
    REQUIRE(vec_search(v, x + dim, dim, 10, odd, n / 2, hits, &nh) == CAIRN_OK);
    CHECK_INT(nh, 10);
    for (size_t i = 0; i < nh; i++)
        CHECK(hits[i].id % 2 == 1);
    free(odd);
    vec_free(v);
    free(x);
}

TEST(vectors_refuse_wrong_dimensions_and_duplicates)
{
    vec_index *v = NULL;
    CHECK(vec_new("p", "m", 0, NULL, &v) == CAIRN_ERR_INVALID);
    CHECK(vec_new("p", "m", VEC_MAX_DIM + 1, NULL, &v) == CAIRN_ERR_INVALID);
    REQUIRE(vec_new("p", "m", 4, NULL, &v) == CAIRN_OK);
    float x[8] = {1, 0, 0, 0, 0, 1, 0, 0};
    int64_t ids[2] = {3, 3};
    uint64_t h[2] = {0, 0};
    CHECK(vec_add(v, 2, ids, h, x) == CAIRN_ERR_INVALID);
    ids[1] = 4;
    REQUIRE(vec_add(v, 2, ids, h, x) == CAIRN_OK);
    vec_hit hits[2];
    size_t n = 9;
    CHECK(vec_search(v, x, 5, 2, NULL, 0, hits, &n) == CAIRN_ERR_INVALID);
    CHECK(strstr(err_msg(), "5 dimensions") != NULL);
    CHECK_INT(n, 0);
    /* A zero vector (an embedder's answer to no words) finds something. */
    float zero[4] = {0};
    CHECK(vec_search(v, zero, 4, 2, NULL, 0, hits, &n) == CAIRN_OK);
    CHECK_INT(n, 2);
    vec_free(v);
}

static char *tmp_path(const char *name)
{
    static char path[4096];
    snprintf(path, sizeof path, "%s/%s", test_tmpdir(), name);
    return path;
}

TEST(vectors_file_round_trip_flat_and_hnsw)
{
    const int dim = 12;
    float *x = clustered(3000, dim, 40, 0.5f, 9);
    for (int hnsw = 0; hnsw < 2; hnsw++) {
        vec_index *v = build(x, 3000, dim, hnsw ? 1000 : 0);
        REQUIRE(v);
        int64_t gone[] = {10, 20, 30};
        REQUIRE(vec_remove(v, 3, gone) == CAIRN_OK);
        const char *path = tmp_path(hnsw ? "h.faiss" : "f.faiss");
        REQUIRE(vec_save(v, path, 77 + hnsw) == CAIRN_OK);
        vec_index *w = NULL;
        uint64_t gen = 0;
        REQUIRE(vec_load(path, NULL, &w, &gen) == CAIRN_OK);
        CHECK_INT(gen, 77 + hnsw);
        CHECK_INT(vec_count(w), 2997);
        CHECK_INT(vec_dim(w), dim);
        CHECK_INT(vec_approximate(w), hnsw);
        vec_hit a[10], b[10];
        size_t na = 0, nb = 0;
        for (int q = 0; q < 50; q++) {
            const float *qv = x + (size_t)q * 37 * dim;
            REQUIRE(vec_search(v, qv, dim, 10, NULL, 0, a, &na) == CAIRN_OK);
            REQUIRE(vec_search(w, qv, dim, 10, NULL, 0, b, &nb) == CAIRN_OK);
            REQUIRE(na == nb);
            for (size_t i = 0; i < na; i++)
                CHECK(a[i].id == b[i].id && a[i].id != 10 && a[i].id != 20 && a[i].id != 30);
        }
        vec_free(v);
        vec_free(w);
    }
    free(x);
}

static long file_size(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 ? (long)st.st_size : -1;
}

static void copy_prefix(const char *from, const char *to, long len, long flip_at)
{
    FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
    for (long i = 0; i < len; i++) {
        int c = fgetc(in);
        if (c == EOF)
            c = 0x55; /* past the end: an appended byte */
        fputc(i == flip_at ? c ^ 0x40 : c, out);
    }
    fclose(in);
    fclose(out);
}

TEST(vectors_file_damage_is_refused_never_read)
{
    const int dim = 8;
    float *x = clustered(2000, dim, 10, 0.5f, 13);
    vec_index *v = build(x, 2000, dim, 500);
    REQUIRE(v);
    const char *good = strdup(tmp_path("good.faiss"));
    REQUIRE(vec_save(v, good, 1) == CAIRN_OK);
    long size = file_size(good);
    REQUIRE(size > 1000);
    const char *bad = strdup(tmp_path("bad.faiss"));
    long cuts[] = {0, 7, 55, 60, 100, size / 2, size - 9, size - 1, size + 1};
    for (size_t i = 0; i < sizeof cuts / sizeof *cuts; i++) {
        copy_prefix(good, bad, cuts[i], -1);
        vec_index *w = NULL;
        uint64_t gen;
        int rc = vec_load(bad, NULL, &w, &gen);
        if (rc != CAIRN_ERR_CORRUPT)
            test_fail(__FILE__, __LINE__, "cut at %ld: rc %d (%s)", cuts[i], rc, err_msg());
        CHECK(w == NULL);
    }
    long flips[] = {0, 12, 20, 70, size / 3, size / 2, size - 20, size - 2};
    for (size_t i = 0; i < sizeof flips / sizeof *flips; i++) {
        copy_prefix(good, bad, size, flips[i]);
        vec_index *w = NULL;
        uint64_t gen;
        int rc = vec_load(bad, NULL, &w, &gen);
        if (rc != CAIRN_ERR_CORRUPT)
            test_fail(__FILE__, __LINE__, "byte %ld flipped: rc %d (%s)", flips[i], rc, err_msg());
        CHECK(w == NULL);
    }
    vec_index *w = NULL;
    uint64_t gen;
    CHECK(vec_load(tmp_path("absent.faiss"), NULL, &w, &gen) == CAIRN_ERR_NOTFOUND);
    CHECK(vec_load(test_tmpdir(), NULL, &w, &gen) != CAIRN_OK);
    /* Nothing is left behind by the atomic write. */
    char tmp[4200];
    snprintf(tmp, sizeof tmp, "%s.tmp.%ld", good, (long)getpid());
    CHECK(file_size(tmp) < 0);
    free((void *)good);
    free((void *)bad);
    vec_free(v);
    free(x);
}

/* ---- with a store ---- */

typedef struct warnings {
    int n;
    char last[1024];
} warnings;

static void on_warn(void *ctx, const char *msg)
{
    warnings *w = ctx;
    w->n++;
    snprintf(w->last, sizeof w->last, "%s", msg);
}

/* An index with nfiles files of 10 chunks each, every chunk cached under
 * ("test", model) as x[chunk_id - 1]: *ids gets the chunk ids. */
static store *store_with_vectors(const char *name, int nfiles, const char *model, int dim,
                                 const float *x)
{
    char dir[4200];
    snprintf(dir, sizeof dir, "%s/%s", test_tmpdir(), name);
    store *s = NULL;
    int64_t root;
    if (store_open(dir, STORE_WRITE, &s) || store_begin(s) ||
        store_root_ensure(s, "/r", &root)) {
        fprintf(stderr, "    store: %s\n", err_msg());
        store_close(s);
        return NULL;
    }
    for (int f = 0; f < nfiles; f++) {
        char path[64];
        snprintf(path, sizeof path, "f%03d.txt", f);
        store_file sf = {.root_id = root, .path = path, .size = 1, .mtime_ns = 1, .hash = 1,
                         .lang = "text", .kind = "prose", .encoding = "utf-8"};
        int64_t fid;
        store_file_put(s, &sf, &fid);
        for (int c = 0; c < 10; c++) {
            store_chunk ch = {.seq = c, .start_line = c + 1, .end_line = c + 1,
                              .text = "words", .text_len = 5};
            store_chunk_add(s, fid, &ch);
        }
    }
    size_t n = (size_t)nfiles * 10;
    int64_t *ids = seq_ids(n, 1);
    uint64_t *h = malloc(n * sizeof *h);
    for (size_t i = 0; i < n; i++)
        h[i] = 1000 + i;
    int rc = embcache_put(s, "test", model, n, h, dim, x);
    if (!rc)
        rc = embcache_chunk_set(s, n, ids, h);
    if (!rc)
        rc = store_commit(s);
    free(ids);
    free(h);
    if (rc) {
        fprintf(stderr, "    store: %s\n", err_msg());
        store_close(s);
        return NULL;
    }
    return s;
}

static char *index_file(const char *name)
{
    static char path[4200];
    snprintf(path, sizeof path, "%s/%s/%s", test_tmpdir(), name, VEC_FILE_NAME);
    return path;
}

TEST(vectors_update_writes_once_and_open_repairs)
{
    const int dim = 8, nfiles = 30;
    float *x = clustered(nfiles * 10, dim, 10, 0.5f, 21);
    store *s = store_with_vectors("upd", nfiles, "m1", dim, x);
    REQUIRE(s);
    warnings w = {0};
    vec_opts o = {.warn = on_warn, .warn_ctx = &w};
    vec_update_stats st;
    REQUIRE(vec_update(s, "test", "m1", &o, &st) == CAIRN_OK);
    CHECK_INT(st.added, 300);
    CHECK_INT(st.total, 300);
    CHECK_INT(st.dim, dim);
    CHECK_INT(st.written, 1);
    CHECK_INT(w.n, 0);
    REQUIRE(vec_update(s, "test", "m1", &o, &st) == CAIRN_OK);
    CHECK_INT(st.written, 0);
    CHECK_INT(st.added + st.removed, 0);

    vec_index *v = NULL;
    vec_hit hits[5];
    size_t n = 0;
    REQUIRE(vec_open(s, "test", "m1", &o, &v) == CAIRN_OK);
    CHECK_INT(w.n, 0);
    CHECK_INT(vec_count(v), 300);
    REQUIRE(vec_search(v, x + 123 * dim, dim, 1, NULL, 0, hits, &n) == CAIRN_OK);
    CHECK_INT(hits[0].id, 124);
    vec_free(v);

    /* A file leaves SQLite (its chunks 11..20 with it) but the FAISS file is
     * not updated: a reader notices and works from SQLite. */
    REQUIRE(store_begin(s) == CAIRN_OK);
    REQUIRE(store_file_delete(s, 2) == CAIRN_OK);
    REQUIRE(store_commit(s) == CAIRN_OK);
    REQUIRE(vec_open(s, "test", "m1", &o, &v) == CAIRN_OK);
    CHECK_INT(w.n, 1);
    CHECK(strstr(w.last, "generation") && strstr(w.last, "10 removed"));
    CHECK_INT(vec_count(v), 290);
    REQUIRE(vec_search(v, x + 14 * dim, dim, 5, NULL, 0, hits, &n) == CAIRN_OK);
    for (size_t i = 0; i < n; i++)
        CHECK(hits[i].id < 11 || hits[i].id > 20);
    vec_free(v);
    REQUIRE(vec_update(s, "test", "m1", &o, &st) == CAIRN_OK);
    CHECK_INT(st.removed, 10);
    CHECK_INT(st.total, 290);
    CHECK_INT(w.n, 1);

    /* Truncated, then missing: rebuilt from SQLite with a warning. */
    REQUIRE(truncate(index_file("upd"), 100) == 0);
    REQUIRE(vec_open(s, "test", "m1", &o, &v) == CAIRN_OK);
    CHECK_INT(w.n, 2);
    CHECK(strstr(w.last, "truncated") != NULL);
    CHECK_INT(vec_count(v), 290);
    REQUIRE(vec_search(v, x + 123 * dim, dim, 1, NULL, 0, hits, &n) == CAIRN_OK);
    CHECK_INT(hits[0].id, 124);
    vec_free(v);
    REQUIRE(unlink(index_file("upd")) == 0);
    REQUIRE(vec_open(s, "test", "m1", &o, &v) == CAIRN_OK);
    CHECK_INT(w.n, 3);
    CHECK(strstr(w.last, "rebuilt the vector index") != NULL);
    CHECK_INT(vec_count(v), 290);
    vec_free(v);
    /* The writer rebuilds a missing file without a word. */
    REQUIRE(vec_update(s, "test", "m1", &o, &st) == CAIRN_OK);
    CHECK_INT(st.written, 1);
    CHECK_INT(w.n, 3);
    /* Every file gone: an empty file of that dimension, read back quietly. */
    REQUIRE(store_begin(s) == CAIRN_OK);
    for (int64_t f = 1; f <= nfiles; f++)
        store_file_delete(s, f);
    REQUIRE(store_commit(s) == CAIRN_OK);
    REQUIRE(vec_update(s, "test", "m1", &o, &st) == CAIRN_OK);
    CHECK_INT(st.total, 0);
    CHECK_INT(st.removed, 290);
    REQUIRE(vec_open(s, "test", "m1", &o, &v) == CAIRN_OK);
    CHECK_INT(vec_count(v), 0);
    CHECK(vec_search(v, x, dim, 5, NULL, 0, hits, &n) == CAIRN_OK && n == 0);
    vec_free(v);
    REQUIRE(unlink(index_file("upd")) == 0);
    REQUIRE(vec_update(s, "test", "m1", &o, &st) == CAIRN_OK);
    CHECK_INT(st.written, 1);
    REQUIRE(vec_open(s, "test", "m1", &o, &v) == CAIRN_OK);
    CHECK_INT(vec_count(v), 0);
    vec_free(v);
    CHECK_INT(w.n, 3);
    store_close(s);
    free(x);
}

TEST(vectors_follow_a_switch_of_embedder_or_dimension)
{
    const int dim = 8;
    float *x = clustered(200, dim, 10, 0.5f, 31);
    store *s = store_with_vectors("switch", 20, "m1", dim, x);
    REQUIRE(s);
    warnings w = {0};
    vec_opts o = {.warn = on_warn, .warn_ctx = &w};
    vec_update_stats st;
    REQUIRE(vec_update(s, "test", "m1", &o, &st) == CAIRN_OK);
    /* Another model of another dimension, cached for the same chunks. */
    const int dim2 = 24;
    float *y = clustered(200, dim2, 10, 0.5f, 32);
    uint64_t *h = malloc(200 * sizeof *h);
    for (size_t i = 0; i < 200; i++)
        h[i] = 1000 + i;
    REQUIRE(store_begin(s) == CAIRN_OK);
    REQUIRE(embcache_put(s, "test", "m2", 200, h, dim2, y) == CAIRN_OK);
    REQUIRE(store_commit(s) == CAIRN_OK);
    vec_index *v = NULL;
    REQUIRE(vec_open(s, "test", "m2", &o, &v) == CAIRN_OK);
    CHECK_INT(vec_dim(v), dim2);
    CHECK_INT(vec_count(v), 200);
    vec_hit hits[3];
    size_t n = 0;
    CHECK(vec_search(v, x, dim, 3, NULL, 0, hits, &n) == CAIRN_ERR_INVALID);
    REQUIRE(vec_search(v, y + 50 * dim2, dim2, 3, NULL, 0, hits, &n) == CAIRN_OK);
    CHECK_INT(hits[0].id, 51);
    vec_free(v);
    /* An embedder with nothing cached: an empty index, no dimension. */
    REQUIRE(vec_open(s, "test", "none", &o, &v) == CAIRN_OK);
    CHECK_INT(vec_dim(v), 0);
    CHECK_INT(vec_count(v), 0);
    CHECK(vec_search(v, x, dim, 3, NULL, 0, hits, &n) == CAIRN_OK && n == 0);
    vec_free(v);
    CHECK_INT(w.n, 0);
    /* The model behind m1 changed its dimension: the cache is dropped and
     * refilled, and the file follows. */
    REQUIRE(store_begin(s) == CAIRN_OK);
    REQUIRE(embcache_drop(s, "test", "m1") == CAIRN_OK);
    REQUIRE(embcache_put(s, "test", "m1", 200, h, dim2, y) == CAIRN_OK);
    REQUIRE(store_commit(s) == CAIRN_OK);
    REQUIRE(vec_update(s, "test", "m1", &o, &st) == CAIRN_OK);
    CHECK_INT(st.dim, dim2);
    CHECK_INT(st.total, 200);
    CHECK_INT(st.written, 1);
    free(h);
    free(y);
    store_close(s);
    free(x);
}

TEST(vectors_reader_refuses_a_costly_repair)
{
    const int dim = 8;
    float *x = clustered(600, dim, 10, 0.5f, 41);
    store *s = store_with_vectors("costly", 30, "m", dim, x);
    REQUIRE(s);
    warnings w = {0};
    vec_opts o = {.hnsw_threshold = 100, .max_repair = 100, .warn = on_warn, .warn_ctx = &w};
    vec_update_stats st;
    REQUIRE(vec_update(s, "test", "m", &o, &st) == CAIRN_OK);
    CHECK_INT(st.approximate, 1);
    /* 300 vectors to put into a graph: more than a search may build. */
    REQUIRE(unlink(index_file("costly")) == 0);
    vec_index *v = NULL;
    CHECK(vec_open(s, "test", "m", &o, &v) == CAIRN_ERR_NOTFOUND);
    CHECK(v == NULL);
    CHECK(strstr(err_msg(), "cannot open") && strstr(err_msg(), "lacks 300 of 300 vectors") &&
          strstr(err_msg(), "run 'cairn index'"));
    o.max_repair = 1000;
    REQUIRE(vec_open(s, "test", "m", &o, &v) == CAIRN_OK);
    CHECK_INT(vec_count(v), 300);
    CHECK_INT(w.n, 1);
    vec_free(v);
    /* The writer has no limit; then 200 new chunks arrive unsynced. */
    REQUIRE(vec_update(s, "test", "m", &o, &st) == CAIRN_OK);
    int64_t root, fid;
    REQUIRE(store_begin(s) == CAIRN_OK);
    REQUIRE(store_root_ensure(s, "/r", &root) == CAIRN_OK);
    store_file sf = {.root_id = root, .path = "new.txt", .size = 1, .mtime_ns = 1, .hash = 1,
                     .lang = "text", .kind = "prose", .encoding = "utf-8"};
    REQUIRE(store_file_put(s, &sf, &fid) == CAIRN_OK);
    int64_t ids[200];
    uint64_t h[200];
    for (int c = 0; c < 200; c++) {
        store_chunk ch = {.seq = c, .start_line = c + 1, .end_line = c + 1, .text = "w",
                          .text_len = 1};
        REQUIRE(store_chunk_add(s, fid, &ch) == CAIRN_OK);
        ids[c] = 301 + c;
        h[c] = 5000 + (uint64_t)c;
    }
    REQUIRE(embcache_put(s, "test", "m", 200, h, dim, x + 300 * dim) == CAIRN_OK);
    REQUIRE(embcache_chunk_set(s, 200, ids, h) == CAIRN_OK);
    REQUIRE(store_commit(s) == CAIRN_OK);
    o.max_repair = 100;
    CHECK(vec_open(s, "test", "m", &o, &v) == CAIRN_ERR_NOTFOUND);
    CHECK(strstr(err_msg(), "is behind") && strstr(err_msg(), "lacks 200 of 500"));
    o.max_repair = 0; /* the default, 2000 */
    REQUIRE(vec_open(s, "test", "m", &o, &v) == CAIRN_OK);
    CHECK_INT(vec_count(v), 500);
    vec_hit hits[1];
    size_t n = 0;
    REQUIRE(vec_search(v, x + 420 * dim, dim, 1, NULL, 0, hits, &n) == CAIRN_OK);
    CHECK_INT(hits[0].id, 421);
    vec_free(v);
    store_close(s);
    free(x);
}
