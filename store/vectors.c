/*
 * vectors.c — the FAISS index of chunk embeddings: adding, removing and
 * searching in memory, and keeping it in step with SQLite (the file itself
 * is vectors_file.c's).
 */
#include "store/vectors.h"
#include "store/vectors_int.h"
#include "store/embcache.h"
#include "util/err.h"

#include <faiss/c_api/AutoTune_c.h>
#include <faiss/c_api/Index_c.h>
#include <faiss/c_api/MetaIndexes_c.h>
#include <faiss/c_api/error_c.h>
#include <faiss/c_api/impl/AuxIndexStructures_c.h>
#include <faiss/c_api/index_factory_c.h>

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <omp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* An allow-list up to this long is scored vector by vector. */
#define VEC_EXACT_ALLOW_MAX 4096
/* Vectors read from SQLite per step when rebuilding. */
#define VEC_LOAD_BATCH 4096

int vec_faiss_fail(int code, const char *what)
{
    const char *m = faiss_get_last_error();
    if (m && strstr(m, "bad_alloc"))
        code = CAIRN_ERR_NOMEM;
    return err_set(code, "FAISS: %s: %s", what, m ? m : "unknown error");
}

static void warnf(const vec_opts *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void warnf(const vec_opts *o, const char *fmt, ...)
{
    if (!o || !o->warn)
        return;
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    o->warn(o->warn_ctx, msg);
}

static void normalize(float *x, int dim)
{
    double ss = 0;
    for (int i = 0; i < dim; i++)
        ss += (double)x[i] * x[i];
    if (ss > 0 && isfinite(ss)) {
        float inv = (float)(1.0 / sqrt(ss));
        for (int i = 0; i < dim; i++)
            x[i] *= inv;
    }
}

/* Position of id in the ascending array a[n], or -1. */
static long find_id(const int64_t *a, size_t n, int64_t id)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (a[mid] < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && a[lo] == id ? (long)lo : -1;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

int vec_reserve(void **arr, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return CAIRN_OK;
    size_t ncap = *cap ? *cap : 256;
    while (ncap < need)
        ncap *= 2;
    void *p = realloc(*arr, ncap * elem);
    if (!p)
        return err_set(CAIRN_ERR_NOMEM, "out of memory for %zu vectors", need);
    *arr = p;
    *cap = ncap;
    return CAIRN_OK;
}

int vec_live_reserve(vec_index *v, size_t need)
{
    size_t cap = v->cap;
    int rc = vec_reserve((void **)&v->ids, &cap, need, sizeof *v->ids);
    if (!rc && cap != v->cap) {
        uint64_t *h = realloc(v->hashes, cap * sizeof *h);
        if (!h)
            return err_set(CAIRN_ERR_NOMEM, "out of memory for %zu vectors", need);
        v->hashes = h;
        v->cap = cap;
    }
    return rc;
}

/* ---- building FAISS indexes ---- */

int vec_hnsw_params(FaissIndex *idx, int ef_construction, int ef_search)
{
    FaissParameterSpace *ps = NULL;
    int frc = faiss_ParameterSpace_new(&ps);
    if (!frc && ef_construction > 0)
        frc = faiss_ParameterSpace_set_index_parameter(ps, idx, "efConstruction", ef_construction);
    if (!frc)
        frc = faiss_ParameterSpace_set_index_parameter(ps, idx, "efSearch", ef_search);
    faiss_ParameterSpace_free(ps);
    return frc ? vec_faiss_fail(CAIRN_ERR_INVALID, "setting HNSW parameters") : CAIRN_OK;
}

static int make_index(const vec_index *v, int hnsw, FaissIndex **out)
{
    char desc[64];
    if (hnsw)
        snprintf(desc, sizeof desc, "IDMap2,HNSW%d,Flat", VEC_HNSW_M);
    else
        snprintf(desc, sizeof desc, "IDMap2,Flat");
    FaissIndex *idx = NULL;
    int rc;
    if (faiss_index_factory(&idx, v->dim, desc, METRIC_INNER_PRODUCT))
        return vec_faiss_fail(CAIRN_ERR_INVALID, "creating a vector index");
    if (hnsw && (rc = vec_hnsw_params(idx, VEC_EF_CONSTRUCTION, v->ef_search))) {
        faiss_Index_free(idx);
        return rc;
    }
    *out = idx;
    return CAIRN_OK;
}

/* Whether count live vectors belong in an HNSW graph.  Once built, the
 * graph stays until the count falls to half the threshold, so that an
 * index hovering at the threshold is not rebuilt back and forth. */
static int wants_hnsw(const vec_index *v, size_t count)
{
    return v->hnsw ? count >= v->threshold / 2 : count >= v->threshold;
}

/* Replace the FAISS index by a fresh one of the given kind holding the live
 * vectors, minus the ascending ids in skip[nskip], which also leave the
 * live list.  Tombstones are dropped. */
static int rebuild(vec_index *v, int hnsw, const int64_t *skip, size_t nskip)
{
    FaissIndex *fresh = NULL;
    int rc = make_index(v, hnsw, &fresh);
    if (rc)
        return rc;
    idx_t *labels = NULL;
    size_t total = 0;
    FaissIndexIDMap2 *map = v->index ? faiss_IndexIDMap2_cast(v->index) : NULL;
    if (map)
        faiss_IndexIDMap2_id_map(map, &labels, &total);
    float *all = NULL;
    int64_t *keep_ids = NULL;
    if (total) {
        all = malloc(total * (size_t)v->dim * sizeof *all);
        keep_ids = malloc(total * sizeof *keep_ids);
        if (!all || !keep_ids) {
            rc = err_set(CAIRN_ERR_NOMEM, "out of memory rebuilding %zu vectors", total);
            goto out;
        }
        if (faiss_Index_reconstruct_n(faiss_IndexIDMap2_sub_index(map), 0, (idx_t)total, all)) {
            rc = vec_faiss_fail(CAIRN_ERR_INVALID, "reading vectors back");
            goto out;
        }
    }
    size_t kept = 0;
    for (size_t i = 0; i < total; i++) {
        int64_t id = labels[i];
        if (find_id(v->ids, v->n, id) < 0 || find_id(skip, nskip, id) >= 0)
            continue;
        memmove(all + kept * (size_t)v->dim, all + i * (size_t)v->dim,
                (size_t)v->dim * sizeof *all);
        keep_ids[kept++] = id;
    }
    if (kept && faiss_Index_add_with_ids(fresh, (idx_t)kept, all, keep_ids)) {
        rc = vec_faiss_fail(CAIRN_ERR_INVALID, "rebuilding the vector index");
        goto out;
    }
    size_t w = 0;
    for (size_t i = 0; i < v->n; i++) {
        if (find_id(skip, nskip, v->ids[i]) >= 0)
            continue;
        v->ids[w] = v->ids[i];
        v->hashes[w] = v->hashes[i];
        w++;
    }
    v->n = w;
    v->ndead = 0;
    faiss_Index_free(v->index);
    v->index = fresh;
    v->hnsw = hnsw;
    fresh = NULL;
out:
    faiss_Index_free(fresh);
    free(all);
    free(keep_ids);
    return rc;
}

/* ---- in memory ---- */

int vec_index_init(vec_index **out, const char *provider, const char *model, int dim,
                      const vec_opts *o)
{
    *out = NULL;
    if (dim < 0 || dim > VEC_MAX_DIM)
        return err_set(CAIRN_ERR_INVALID, "vector dimension %d out of range (1..%d)", dim,
                       VEC_MAX_DIM);
    vec_index *v = calloc(1, sizeof *v);
    if (!v || !(v->provider = strdup(provider)) || !(v->model = strdup(model))) {
        vec_free(v);
        return err_set(CAIRN_ERR_NOMEM, "out of memory creating a vector index");
    }
    v->dim = dim;
    v->threshold = o && o->hnsw_threshold ? o->hnsw_threshold : VEC_HNSW_THRESHOLD;
    v->ef_search = o && o->ef_search > 0 ? o->ef_search : VEC_EF_SEARCH;
    *out = v;
    return CAIRN_OK;
}

int vec_new(const char *provider, const char *model, int dim, const vec_opts *o,
            vec_index **out)
{
    if (dim <= 0)
        return err_set(CAIRN_ERR_INVALID, "vector dimension %d out of range (1..%d)", dim,
                       VEC_MAX_DIM);
    return vec_index_init(out, provider, model, dim, o);
}

void vec_free(vec_index *v)
{
    if (!v)
        return;
    faiss_Index_free(v->index);
    free(v->provider);
    free(v->model);
    free(v->ids);
    free(v->hashes);
    free(v->dead);
    free(v);
}

int vec_dim(const vec_index *v) { return v->dim; }
const int64_t *vec_ids(const vec_index *v, size_t *n)
{
    *n = v->n;
    return v->ids;
}

size_t vec_count(const vec_index *v) { return v->n; }
int vec_approximate(const vec_index *v) { return v->hnsw; }

typedef struct add_item {
    int64_t id;
    size_t at; /* position in the caller's arrays */
} add_item;

static int cmp_item(const void *a, const void *b)
{
    return cmp_i64(&((const add_item *)a)->id, &((const add_item *)b)->id);
}

/* Take ascending ids out of the live list (and, for HNSW, into the
 * tombstones); flat indexes drop their vectors at once. */
static int drop_live(vec_index *v, const int64_t *ids, size_t n)
{
    if (!n)
        return CAIRN_OK;
    if (!v->hnsw) {
        FaissIDSelectorBatch *sel = NULL;
        size_t removed = 0;
        if (faiss_IDSelectorBatch_new(&sel, n, ids))
            return vec_faiss_fail(CAIRN_ERR_NOMEM, "selecting vectors to remove");
        int frc = faiss_Index_remove_ids(v->index, (FaissIDSelector *)sel, &removed);
        faiss_IDSelector_free((FaissIDSelector *)sel);
        if (frc)
            return vec_faiss_fail(CAIRN_ERR_INVALID, "removing vectors");
        if (removed != n)
            return err_set(CAIRN_ERR_CORRUPT, "vector index: removed %zu vectors, expected %zu",
                           removed, n);
    } else {
        int rc = vec_reserve((void **)&v->dead, &v->dead_cap, v->ndead + n, sizeof *v->dead);
        if (rc)
            return rc;
        memcpy(v->dead + v->ndead, ids, n * sizeof *ids);
        v->ndead += n;
        qsort(v->dead, v->ndead, sizeof *v->dead, cmp_i64);
    }
    size_t w = 0;
    for (size_t i = 0; i < v->n; i++) {
        if (find_id(ids, n, v->ids[i]) >= 0)
            continue;
        v->ids[w] = v->ids[i];
        v->hashes[w] = v->hashes[i];
        w++;
    }
    v->n = w;
    return CAIRN_OK;
}

int vec_add(vec_index *v, size_t n, const int64_t *ids, const uint64_t *hashes,
            const float *vecs)
{
    if (!n)
        return CAIRN_OK;
    if (v->dim <= 0)
        return err_set(CAIRN_ERR_INVALID, "vector index of %s:%s has no dimension yet",
                       v->provider, v->model);
    size_t dim = (size_t)v->dim;
    add_item *items = malloc(n * sizeof *items);
    float *norm = malloc(n * dim * sizeof *norm);
    int64_t *present = malloc(n * sizeof *present);
    int64_t *sorted_ids = malloc(n * sizeof *sorted_ids);
    int rc = CAIRN_OK;
    if (!items || !norm || !present || !sorted_ids) {
        rc = err_set(CAIRN_ERR_NOMEM, "out of memory adding %zu vectors", n);
        goto out;
    }
    for (size_t i = 0; i < n; i++)
        items[i] = (add_item){ids[i], i};
    qsort(items, n, sizeof *items, cmp_item);
    size_t npresent = 0, nlive_present = 0;
    for (size_t i = 0; i < n; i++) {
        if (i && items[i].id == items[i - 1].id) {
            rc = err_set(CAIRN_ERR_INVALID, "vector for chunk %lld given twice",
                         (long long)items[i].id);
            goto out;
        }
        sorted_ids[i] = items[i].id;
        int live = find_id(v->ids, v->n, items[i].id) >= 0;
        if (live || find_id(v->dead, v->ndead, items[i].id) >= 0)
            present[npresent++] = items[i].id;
        nlive_present += live;
        memcpy(norm + i * dim, vecs + items[i].at * dim, dim * sizeof *norm);
        normalize(norm + i * dim, v->dim);
    }
    int hnsw = wants_hnsw(v, v->n - nlive_present + n);
    if (!v->index) {
        rc = make_index(v, hnsw, &v->index);
        v->hnsw = hnsw;
    } else if (hnsw != v->hnsw || (v->hnsw && npresent)) {
        rc = rebuild(v, hnsw, present, npresent); /* HNSW cannot hold an id twice */
    } else {
        rc = drop_live(v, present, npresent);
    }
    if (rc || (rc = vec_live_reserve(v, v->n + n)))
        goto out;
    if (faiss_Index_add_with_ids(v->index, (idx_t)n, norm, sorted_ids)) {
        rc = vec_faiss_fail(CAIRN_ERR_INVALID, "adding vectors");
        goto out;
    }
    /* Merge the new ids into the live list from the back. */
    size_t i = v->n, j = n, w = v->n + n;
    while (j > 0) {
        if (i > 0 && v->ids[i - 1] > items[j - 1].id) {
            w--, i--;
            v->ids[w] = v->ids[i];
            v->hashes[w] = v->hashes[i];
        } else {
            w--, j--;
            v->ids[w] = items[j].id;
            v->hashes[w] = hashes[items[j].at];
        }
    }
    v->n += n;
out:
    free(items);
    free(norm);
    free(present);
    free(sorted_ids);
    return rc;
}

int vec_remove(vec_index *v, size_t n, const int64_t *ids)
{
    int64_t *gone = malloc((n ? n : 1) * sizeof *gone);
    if (!gone)
        return err_set(CAIRN_ERR_NOMEM, "out of memory removing %zu vectors", n);
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (find_id(v->ids, v->n, ids[i]) >= 0)
            gone[m++] = ids[i];
    qsort(gone, m, sizeof *gone, cmp_i64);
    size_t u = 0;
    for (size_t i = 0; i < m; i++)
        if (!u || gone[u - 1] != gone[i])
            gone[u++] = gone[i];
    int rc = drop_live(v, gone, u);
    free(gone);
    if (rc || !v->hnsw)
        return rc;
    if (!wants_hnsw(v, v->n))
        return rebuild(v, 0, NULL, 0);
    if (v->ndead * 10 > v->n + v->ndead)
        return rebuild(v, 1, NULL, 0);
    return CAIRN_OK;
}

static int cmp_hit(const void *a, const void *b)
{
    const vec_hit *x = a, *y = b;
    if (x->score != y->score)
        return x->score < y->score ? 1 : -1;
    return (x->id > y->id) - (x->id < y->id);
}

/* Score each allowed live id against q, keep the best k. */
static int search_exact(const vec_index *v, const float *q, size_t k, const int64_t *allow,
                        size_t nallow, vec_hit *hits, size_t *nhits)
{
    vec_hit *all = malloc((nallow ? nallow : 1) * sizeof *all);
    float *x = malloc((size_t)v->dim * sizeof *x);
    int rc = CAIRN_OK;
    size_t m = 0;
    if (!all || !x) {
        rc = err_set(CAIRN_ERR_NOMEM, "out of memory scoring %zu vectors", nallow);
        goto out;
    }
    for (size_t i = 0; i < nallow; i++) {
        if (find_id(v->ids, v->n, allow[i]) < 0)
            continue;
        if (faiss_Index_reconstruct(v->index, allow[i], x)) {
            rc = vec_faiss_fail(CAIRN_ERR_INVALID, "reading a vector");
            goto out;
        }
        double dot = 0;
        for (int d = 0; d < v->dim; d++)
            dot += (double)q[d] * x[d];
        all[m++] = (vec_hit){allow[i], (float)dot};
    }
    qsort(all, m, sizeof *all, cmp_hit);
    *nhits = m < k ? m : k;
    memcpy(hits, all, *nhits * sizeof *hits);
out:
    free(all);
    free(x);
    return rc;
}

/* Ask FAISS for more than k when tombstones or an allow-list may reject
 * some, widening until k pass or the whole index was returned. */
static int search_index(const vec_index *v, const float *q, size_t k, const int64_t *allow,
                        size_t nallow, vec_hit *hits, size_t *nhits)
{
    size_t total = v->n + v->ndead;
    size_t want = k + ((allow || v->ndead) ? k + 16 : 0);
    int rc = CAIRN_OK;
    for (;;) {
        if (want > total)
            want = total;
        float *dist = malloc(want * sizeof *dist);
        idx_t *lab = malloc(want * sizeof *lab);
        if (!dist || !lab) {
            free(dist);
            free(lab);
            return err_set(CAIRN_ERR_NOMEM, "out of memory searching %zu vectors", want);
        }
        /* One query gains nothing from OpenMP's threads, and FAISS's
         * parallel loops over ten labels wait for every thread to be
         * scheduled: on a busy machine that cost 10-50 ms a search.  The
         * setting is this thread's own, so builds elsewhere keep theirs. */
        int threads = omp_get_max_threads();
        omp_set_num_threads(1);
        if (faiss_Index_search(v->index, 1, q, (idx_t)want, dist, lab))
            rc = vec_faiss_fail(CAIRN_ERR_INVALID, "searching vectors");
        omp_set_num_threads(threads);
        size_t m = 0;
        for (size_t i = 0; !rc && i < want && m < k; i++) {
            if (lab[i] < 0 || find_id(v->dead, v->ndead, lab[i]) >= 0 ||
                (allow && find_id(allow, nallow, lab[i]) < 0))
                continue;
            hits[m++] = (vec_hit){lab[i], dist[i]};
        }
        free(dist);
        free(lab);
        if (rc)
            return rc;
        if (m >= k || want >= total) {
            qsort(hits, m, sizeof *hits, cmp_hit);
            *nhits = m;
            return CAIRN_OK;
        }
        want *= 4;
    }
}

int vec_search(const vec_index *v, const float *query, int qdim, size_t k,
               const int64_t *allow, size_t nallow, vec_hit *hits, size_t *nhits)
{
    *nhits = 0;
    if (v->dim && qdim != v->dim)
        return err_set(CAIRN_ERR_INVALID,
                       "query vector has %d dimensions but the vectors of %s:%s have %d",
                       qdim, v->provider, v->model, v->dim);
    if (!k || !v->n)
        return CAIRN_OK;
    float *q = malloc((size_t)v->dim * sizeof *q);
    int64_t *ok = allow ? malloc((nallow ? nallow : 1) * sizeof *ok) : NULL;
    int rc = CAIRN_OK;
    if (!q || (allow && !ok)) {
        rc = err_set(CAIRN_ERR_NOMEM, "out of memory searching vectors");
        goto out;
    }
    memcpy(q, query, (size_t)v->dim * sizeof *q);
    normalize(q, v->dim);
    size_t nok = 0;
    if (allow) {
        memcpy(ok, allow, nallow * sizeof *ok);
        qsort(ok, nallow, sizeof *ok, cmp_i64);
        for (size_t i = 0; i < nallow; i++)
            if (!nok || ok[nok - 1] != ok[i])
                ok[nok++] = ok[i];
    }
    if (allow && nok <= VEC_EXACT_ALLOW_MAX)
        rc = search_exact(v, q, k, ok, nok, hits, nhits);
    else
        rc = search_index(v, q, k, ok, nok, hits, nhits);
out:
    free(q);
    free(ok);
    return rc;
}

/* ---- with the store ---- */

static int file_path(store *s, char *out, size_t len)
{
    const char *db = store_db_path(s);
    const char *slash = strrchr(db, '/');
    int dlen = slash ? (int)(slash - db) : 1;
    if (snprintf(out, len, "%.*s/%s", dlen, slash ? db : ".", VEC_FILE_NAME) >= (int)len)
        return err_set(CAIRN_ERR_INVALID, "index path too long: %s", db);
    return CAIRN_OK;
}

static int db_generation(store *s, uint64_t *gen)
{
    char *val = NULL;
    *gen = 0;
    int rc = store_meta_get(s, VEC_META_GENERATION, &val);
    if (rc == CAIRN_ERR_NOTFOUND) {
        err_clear();
        return CAIRN_OK;
    }
    if (rc)
        return rc;
    char *end;
    errno = 0;
    unsigned long long g = strtoull(val, &end, 10);
    if (errno || end == val || *end)
        rc = err_set(CAIRN_ERR_CORRUPT, "%s: meta %s is '%s', not a number",
                     store_db_path(s), VEC_META_GENERATION, val);
    *gen = g;
    free(val);
    return rc;
}

typedef struct diff {
    int64_t *ids;
    uint64_t *hashes;
    size_t n;
} diff;

/* Load the cached vectors of adds (in steps) into v. */
static int add_from_cache(vec_index *v, store *s, const diff *adds)
{
    size_t step = VEC_LOAD_BATCH, dim = (size_t)v->dim;
    float *vecs = malloc(step * dim * sizeof *vecs);
    unsigned char *found = malloc(step);
    int rc = CAIRN_OK;
    if (!vecs || !found)
        rc = err_set(CAIRN_ERR_NOMEM, "out of memory loading vectors");
    for (size_t at = 0; !rc && at < adds->n; at += step) {
        size_t m = adds->n - at < step ? adds->n - at : step, got = 0;
        rc = embcache_get(s, v->provider, v->model, m, adds->hashes + at, v->dim, vecs, found,
                          &got);
        if (!rc && got != m)
            rc = err_set(CAIRN_ERR_CORRUPT, "%s: %zu cached vectors vanished while loading",
                         store_db_path(s), m - got);
        if (!rc)
            rc = vec_add(v, m, adds->ids + at, adds->hashes + at, vecs);
    }
    free(vecs);
    free(found);
    return rc;
}

/* Make v hold exactly what SQLite says it should; *added and *removed
 * get how many vectors that took.  With limit set, refuse (before adding
 * anything) when that would put more than limit vectors into an HNSW
 * graph, the one costly part. */
static int reconcile(vec_index *v, store *s, size_t limit, size_t *added, size_t *removed)
{
    int64_t *ids = NULL;
    uint64_t *hashes = NULL;
    size_t n = 0;
    int dim = 0;
    diff adds = {0}, gone = {0};
    int rc = embcache_current(s, v->provider, v->model, &ids, &hashes, &n);
    if (rc || (rc = embcache_dim(s, v->provider, v->model, &dim)))
        goto out;
    if (n && dim != v->dim) {
        /* Another dimension: nothing of the old index can stay. */
        *removed = v->n;
        faiss_Index_free(v->index);
        v->index = NULL;
        v->n = v->ndead = 0;
        v->hnsw = 0;
        v->dim = dim;
    }
    adds.ids = malloc((n ? n : 1) * sizeof *adds.ids);
    adds.hashes = malloc((n ? n : 1) * sizeof *adds.hashes);
    gone.ids = malloc((v->n ? v->n : 1) * sizeof *gone.ids);
    if (!adds.ids || !adds.hashes || !gone.ids) {
        rc = err_set(CAIRN_ERR_NOMEM, "out of memory comparing %zu vectors", n);
        goto out;
    }
    size_t i = 0, j = 0;
    while (i < v->n || j < n) {
        if (j == n || (i < v->n && v->ids[i] < ids[j])) {
            gone.ids[gone.n++] = v->ids[i++];
        } else if (i == v->n || ids[j] < v->ids[i]) {
            adds.ids[adds.n] = ids[j];
            adds.hashes[adds.n++] = hashes[j++];
        } else {
            if (v->hashes[i] != hashes[j]) {
                adds.ids[adds.n] = ids[j];
                adds.hashes[adds.n++] = hashes[j];
            }
            i++, j++;
        }
    }
    size_t cost = !wants_hnsw(v, n) ? 0 : v->index && v->hnsw ? adds.n : n;
    if (limit && cost > limit) {
        rc = err_set(CAIRN_ERR_NOTFOUND,
                     "the vector index lacks %zu of %zu vectors, more than a search rebuilds "
                     "(%zu); run 'cairn index' to bring it up to date",
                     adds.n, n, limit);
        goto out;
    }
    if (!v->index && n) {
        /* Start with the kind the final count wants, not flat by default. */
        int hnsw = wants_hnsw(v, n);
        if ((rc = make_index(v, hnsw, &v->index)))
            goto out;
        v->hnsw = hnsw;
    }
    if ((rc = vec_remove(v, gone.n, gone.ids)) || (rc = add_from_cache(v, s, &adds)))
        goto out;
    *added += adds.n;
    *removed += gone.n;
out:
    free(ids);
    free(hashes);
    free(adds.ids);
    free(adds.hashes);
    free(gone.ids);
    return rc;
}

/* The index of s for (provider, model), made to agree with SQLite.  A
 * reader is warned about every disagreement; a writer, which is about to
 * fix the file anyway, only about a damaged one.  *gen gets SQLite's
 * generation, *dirty whether the file differs from the result. */
static int open_checked(store *s, const char *provider, const char *model, const vec_opts *o,
                        int writer, vec_index **out, uint64_t *gen, int *dirty,
                        size_t *added, size_t *removed)
{
    *out = NULL;
    *dirty = 1;
    size_t limit = writer ? 0 : o && o->max_repair ? o->max_repair : VEC_MAX_REPAIR;
    char path[4096], why[600] = "";
    uint64_t file_gen = 0;
    int dim;
    int rc = file_path(s, path, sizeof path);
    if (rc || (rc = db_generation(s, gen)) || (rc = embcache_dim(s, provider, model, &dim)))
        return rc;
    vec_index *v = NULL;
    rc = vec_load(path, o, &v, &file_gen);
    if (rc == CAIRN_OK) {
        int same = !strcmp(v->provider, provider) && !strcmp(v->model, model) &&
                   (dim ? v->dim == dim : v->n == 0);
        if (same && file_gen == *gen) {
            *dirty = 0;
            *out = v;
            return CAIRN_OK;
        }
        if (same) {
            if ((rc = reconcile(v, s, limit, added, removed))) {
                vec_free(v);
                return err_wrap(rc, "%s is behind %s", path, store_db_path(s));
            }
            if (!writer)
                warnf(o, "%s is at generation %" PRIu64 " but %s at %" PRIu64 " (an index run "
                      "is under way or was interrupted); %zu vectors added and %zu removed in "
                      "memory",
                      path, file_gen, store_db_path(s), *gen, *added, *removed);
            *out = v;
            return CAIRN_OK;
        }
        /* Built for another embedder or dimension: expected after a switch. */
        vec_free(v);
        v = NULL;
    } else if (rc == CAIRN_ERR_NOTFOUND || rc == CAIRN_ERR_CORRUPT) {
        /* A writer is about to write the file anyway: a missing one is news
         * to a reader only, a damaged one to both. */
        if (rc == CAIRN_ERR_CORRUPT || (!writer && dim))
            snprintf(why, sizeof why, "%s", err_msg());
        err_clear();
    } else {
        return rc;
    }
    if ((rc = vec_index_init(&v, provider, model, dim, o)) ||
        (rc = reconcile(v, s, limit, added, removed))) {
        vec_free(v);
        return why[0] ? err_wrap(rc, "%s", why) : rc;
    }
    if (why[0])
        warnf(o, "%s; rebuilt the vector index from %s", why, store_db_path(s));
    *out = v;
    return CAIRN_OK;
}

int vec_open(store *s, const char *provider, const char *model, const vec_opts *o,
             vec_index **out)
{
    uint64_t gen;
    int dirty;
    size_t added = 0, removed = 0;
    return open_checked(s, provider, model, o, 0, out, &gen, &dirty, &added, &removed);
}

int vec_update(store *s, const char *provider, const char *model, const vec_opts *o,
               vec_update_stats *st)
{
    memset(st, 0, sizeof *st);
    char path[4096];
    uint64_t gen;
    int dirty;
    vec_index *v = NULL;
    int rc = file_path(s, path, sizeof path);
    if (rc || (rc = open_checked(s, provider, model, o, 1, &v, &gen, &dirty, &st->added,
                                 &st->removed)))
        return rc;
    if (dirty)
        rc = vec_save(v, path, gen);
    st->total = v->n;
    st->dim = v->dim;
    st->approximate = v->hnsw;
    st->written = dirty && !rc;
    vec_free(v);
    return rc;
}
