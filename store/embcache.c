/*
 * embcache.c — the embedding cache and chunk_vectors: lookups, inserts,
 * and the lists the indexer and the vector index work from.
 */
#include "store/embcache.h"
#include "store/store_int.h"
#include "util/err.h"

#include <stdlib.h>
#include <string.h>

/* Chunks without a key, or whose key has no vector under ?1/?2.  Only ids
 * are read, so the scan can use the covering index on chunks(file_id, seq)
 * instead of reading every chunk's text. */
static const char unembedded_sql[] =
    "SELECT c.id FROM chunks c LEFT JOIN chunk_vectors cv ON cv.chunk_id = c.id"
    " WHERE cv.chunk_id IS NULL"
    "    OR NOT EXISTS (SELECT 1 FROM embeddings e"
    "                    WHERE e.provider = ?1 AND e.model = ?2 AND e.hash = cv.hash)";
static const char chunk_get_sql[] =
    "SELECT c.path, f.lang, f.kind, c.symbol, c.context, c.text"
    "  FROM chunks c JOIN files f ON f.id = c.file_id WHERE c.id = ?1";
static const char chunk_set_sql[] =
    "INSERT OR REPLACE INTO chunk_vectors(chunk_id, hash) VALUES (?1, ?2)";
static const char dim_sql[] =
    "SELECT dim FROM embeddings WHERE provider = ?1 AND model = ?2 LIMIT 1";
static const char get_sql[] =
    "SELECT dim, vec FROM embeddings WHERE provider = ?1 AND model = ?2 AND hash = ?3";
static const char put_sql[] =
    "INSERT OR REPLACE INTO embeddings(provider, model, hash, dim, vec)"
    " VALUES (?1, ?2, ?3, ?4, ?5)";
static const char drop_sql[] = "DELETE FROM embeddings WHERE provider = ?1 AND model = ?2";
static const char prune_sql[] =
    "DELETE FROM embeddings WHERE provider = ?1 AND model = ?2"
    " AND hash NOT IN (SELECT hash FROM chunk_vectors)";
static const char current_sql[] =
    "SELECT cv.chunk_id, cv.hash FROM chunk_vectors cv"
    "  JOIN embeddings e ON e.provider = ?1 AND e.model = ?2 AND e.hash = cv.hash"
    " ORDER BY cv.chunk_id";

/* Statements run once per index run are prepared for the call only, so
 * that they do not take places in the store's statement cache. */
static int prepare_once(store *s, const char *sql, sqlite3_stmt **st)
{
    int rc = sqlite3_prepare_v2(store_sqlite(s), sql, -1, st, NULL);
    return rc == SQLITE_OK ? CAIRN_OK : store_db_error(s, rc, "preparing an embeddings query");
}

static void bind_embedder(sqlite3_stmt *st, const char *provider, const char *model)
{
    sqlite3_bind_text(st, 1, provider, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, model, -1, SQLITE_STATIC);
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* Grow *arr (elements of size elem) to hold at least need elements. */
static int grow(void **arr, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return CAIRN_OK;
    size_t ncap = *cap ? *cap * 2 : 1024;
    while (ncap < need)
        ncap *= 2;
    void *p = realloc(*arr, ncap * elem);
    if (!p)
        return err_set(CAIRN_ERR_NOMEM, "out of memory listing %zu chunks", need);
    *arr = p;
    *cap = ncap;
    return CAIRN_OK;
}

int embcache_unembedded(store *s, const char *provider, const char *model, int64_t **ids, size_t *n)
{
    *ids = NULL;
    *n = 0;
    sqlite3_stmt *st;
    int rc = prepare_once(s, unembedded_sql, &st);
    if (rc)
        return rc;
    bind_embedder(st, provider, model);
    int64_t *out = NULL;
    size_t count = 0, cap = 0;
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        if ((rc = grow((void **)&out, &cap, count + 1, sizeof *out)))
            break;
        out[count++] = sqlite3_column_int64(st, 0);
    }
    if (!rc && step != SQLITE_DONE)
        rc = store_db_error(s, step, "listing chunks to embed");
    sqlite3_finalize(st);
    if (rc) {
        free(out);
        return rc;
    }
    if (count)
        qsort(out, count, sizeof *out, cmp_i64);
    *ids = out;
    *n = count;
    return CAIRN_OK;
}

int embcache_chunks_each(store *s, const int64_t *ids, size_t n, embcache_chunk_fn fn, void *ctx)
{
    sqlite3_stmt *st = NULL;
    int rc = store_stmt(s, chunk_get_sql, &st);
    for (size_t i = 0; i < n && !rc; i++) {
        sqlite3_bind_int64(st, 1, ids[i]);
        int step = sqlite3_step(st);
        if (step == SQLITE_ROW) {
            embcache_chunk c = {
                .id = ids[i],
                .path = (const char *)sqlite3_column_text(st, 0),
                .lang = (const char *)sqlite3_column_text(st, 1),
                .kind = (const char *)sqlite3_column_text(st, 2),
                .symbol = (const char *)sqlite3_column_text(st, 3),
                .context = (const char *)sqlite3_column_text(st, 4),
                .text = (const char *)sqlite3_column_text(st, 5),
            };
            c.text_len = (size_t)sqlite3_column_bytes(st, 5);
            if (!c.path || !c.lang || !c.kind || !c.text)
                rc = err_set(CAIRN_ERR_NOMEM, "out of memory reading chunk %lld",
                             (long long)ids[i]);
            else
                rc = fn(ctx, &c);
        } else if (step != SQLITE_DONE) {
            rc = store_db_error(s, step, "reading a chunk to embed");
        }
        sqlite3_reset(st);
    }
    if (st)
        sqlite3_clear_bindings(st);
    return rc;
}

int embcache_chunk_set(store *s, size_t n, const int64_t *ids, const uint64_t *hashes)
{
    sqlite3_stmt *st;
    int rc = store_stmt(s, chunk_set_sql, &st);
    for (size_t i = 0; i < n && !rc; i++) {
        sqlite3_bind_int64(st, 1, ids[i]);
        sqlite3_bind_int64(st, 2, (sqlite3_int64)hashes[i]);
        rc = store_stmt_done(s, st, "recording a chunk's embedding key");
    }
    return rc;
}

int embcache_dim(store *s, const char *provider, const char *model, int *dim)
{
    *dim = 0;
    sqlite3_stmt *st;
    int rc = store_stmt(s, dim_sql, &st);
    if (rc)
        return rc;
    bind_embedder(st, provider, model);
    int step = sqlite3_step(st);
    if (step == SQLITE_ROW)
        *dim = sqlite3_column_int(st, 0);
    else if (step != SQLITE_DONE)
        rc = store_db_error(s, step, "reading the embedding dimension");
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return rc;
}

int embcache_get(store *s, const char *provider, const char *model, size_t n,
                 const uint64_t *hashes, int dim, float *out, unsigned char *found,
                 size_t *nfound)
{
    if (nfound)
        *nfound = 0;
    if (out && dim <= 0)
        return err_set(CAIRN_ERR_INVALID, "embedding lookup for %s:%s with dimension %d",
                       provider, model, dim);
    sqlite3_stmt *st;
    int rc = store_stmt(s, get_sql, &st);
    if (rc)
        return rc;
    bind_embedder(st, provider, model);
    size_t hits = 0;
    for (size_t i = 0; i < n && !rc; i++) {
        sqlite3_bind_int64(st, 3, (sqlite3_int64)hashes[i]);
        int step = sqlite3_step(st);
        found[i] = step == SQLITE_ROW;
        if (step == SQLITE_ROW) {
            hits++;
            if (out) {
                int got = sqlite3_column_int(st, 0);
                const void *blob = sqlite3_column_blob(st, 1);
                size_t bytes = (size_t)sqlite3_column_bytes(st, 1);
                if (got != dim || bytes != (size_t)dim * sizeof(float) || !blob)
                    rc = err_set(CAIRN_ERR_CORRUPT,
                                 "%s: cached embedding of %s:%s has %zu bytes and dimension %d, "
                                 "expected %d floats; run 'cairn check'",
                                 store_db_path(s), provider, model, bytes, got, dim);
                else
                    memcpy(out + i * (size_t)dim, blob, bytes);
            }
        } else if (step != SQLITE_DONE) {
            rc = store_db_error(s, step, "reading cached embeddings");
        }
        sqlite3_reset(st);
    }
    sqlite3_clear_bindings(st);
    if (nfound)
        *nfound = hits;
    return rc;
}

int embcache_put(store *s, const char *provider, const char *model, size_t n,
                 const uint64_t *hashes, int dim, const float *vecs)
{
    if (dim <= 0)
        return err_set(CAIRN_ERR_INVALID, "embeddings of %s:%s with dimension %d", provider,
                       model, dim);
    int have;
    int rc = embcache_dim(s, provider, model, &have);
    if (rc)
        return rc;
    if (have && have != dim)
        return err_set(CAIRN_ERR_INVALID,
                       "%s:%s now gives %d-dimensional vectors but the index holds "
                       "%d-dimensional ones from it; the model behind the name changed",
                       provider, model, dim, have);
    sqlite3_stmt *st;
    if ((rc = store_stmt(s, put_sql, &st)))
        return rc;
    for (size_t i = 0; i < n && !rc; i++) {
        bind_embedder(st, provider, model);
        sqlite3_bind_int64(st, 3, (sqlite3_int64)hashes[i]);
        sqlite3_bind_int(st, 4, dim);
        sqlite3_bind_blob(st, 5, vecs + i * (size_t)dim, dim * (int)sizeof(float), SQLITE_STATIC);
        rc = store_stmt_done(s, st, "caching embeddings");
    }
    return rc;
}

static int delete_model(store *s, const char *sql, const char *provider, const char *model,
                        int64_t *removed)
{
    sqlite3_stmt *st;
    int rc = prepare_once(s, sql, &st);
    if (rc)
        return rc;
    bind_embedder(st, provider, model);
    int step = sqlite3_step(st);
    sqlite3_finalize(st);
    if (step != SQLITE_DONE)
        return store_db_error(s, step, "dropping cached embeddings");
    if (removed)
        *removed = sqlite3_changes64(store_sqlite(s));
    return CAIRN_OK;
}

int embcache_drop(store *s, const char *provider, const char *model)
{
    return delete_model(s, drop_sql, provider, model, NULL);
}

int embcache_prune(store *s, const char *provider, const char *model, int64_t *removed)
{
    return delete_model(s, prune_sql, provider, model, removed);
}

int embcache_current(store *s, const char *provider, const char *model, int64_t **ids,
                     uint64_t **hashes, size_t *n)
{
    *ids = NULL;
    *hashes = NULL;
    *n = 0;
    sqlite3_stmt *st;
    int rc = prepare_once(s, current_sql, &st);
    if (rc)
        return rc;
    bind_embedder(st, provider, model);
    int64_t *oid = NULL;
    uint64_t *oh = NULL;
    size_t count = 0, cap_id = 0, cap_h = 0;
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        if ((rc = grow((void **)&oid, &cap_id, count + 1, sizeof *oid)) ||
            (rc = grow((void **)&oh, &cap_h, count + 1, sizeof *oh)))
            break;
        oid[count] = sqlite3_column_int64(st, 0);
        oh[count] = (uint64_t)sqlite3_column_int64(st, 1);
        count++;
    }
    if (!rc && step != SQLITE_DONE)
        rc = store_db_error(s, step, "listing the chunks' embeddings");
    sqlite3_finalize(st);
    if (rc) {
        free(oid);
        free(oh);
        return rc;
    }
    *ids = oid;
    *hashes = oh;
    *n = count;
    return CAIRN_OK;
}
