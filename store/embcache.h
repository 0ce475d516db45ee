/*
 * embcache.h — the embedding cache and each chunk's embedding key: every
 * statement about embeddings.
 *
 * Tables (schema in store.c, version 3):
 *   embeddings(provider, model, hash, dim, vec)
 *       one vector per distinct text per embedder.  hash is the xxh3-64 of
 *       the exact text that was embedded; vec holds dim float32 values in
 *       the machine's byte order.  Entries stay when chunks change or the
 *       embedder is switched, so re-indexing unchanged text, or switching
 *       back to an earlier model, asks no provider again.  One embedder's
 *       entries all have one dimension (embcache_put refuses another).
 *   chunk_vectors(chunk_id, hash)
 *       the hash of the text each chunk was embedded as; a trigger deletes
 *       the row with its chunk, so a re-chunked file's new chunks have none.
 *
 * SQLite is the source of truth for vectors: the FAISS file of
 * store/vectors.h is rebuilt from embcache_current + embcache_get.
 * Nothing here opens a transaction: writers call these between store_begin
 * and store_commit.
 */
#ifndef CAIRN_STORE_EMBCACHE_H
#define CAIRN_STORE_EMBCACHE_H

#include "store/store.h"

#include <stddef.h>
#include <stdint.h>

/* ---- chunks that need an embedding ---- */

/* Ids (ascending) of the chunks that need work under embedder
 * (provider, model): those with no chunk_vectors row yet, and those whose
 * text has no cached vector for this embedder.  Caller frees *ids. */
int embcache_unembedded(store *s, const char *provider, const char *model, int64_t **ids, size_t *n);

typedef struct embcache_chunk {
    int64_t id;
    const char *path;     /* root-relative path of its file */
    const char *lang;
    const char *kind;     /* "code" or "prose" */
    const char *symbol;   /* NULL when none */
    const char *context;  /* heading path or enclosing class; NULL when none */
    const char *text;
    size_t text_len;
} embcache_chunk;

/* Called once per chunk; the strings are valid only during the call.
 * A nonzero return stops the walk and is returned. */
typedef int (*embcache_chunk_fn)(void *ctx, const embcache_chunk *c);

/* Call fn for each of the n chunks ids that still exists, in the order
 * given.  fn may write to the cache and to chunk_vectors. */
int embcache_chunks_each(store *s, const int64_t *ids, size_t n, embcache_chunk_fn fn, void *ctx);

/* Record that chunk ids[i] was embedded as the text whose hash is hashes[i]. */
int embcache_chunk_set(store *s, size_t n, const int64_t *ids, const uint64_t *hashes);

/* ---- the cache ---- */

/* The dimension of the vectors cached for (provider, model); 0 when none. */
int embcache_dim(store *s, const char *provider, const char *model, int *dim);

/* Look up n hashes under (provider, model).  found[i] is set to 1 or 0;
 * when out is not NULL, the vector of each hit is copied to out + i * dim
 * (dim must be the cache's dimension for this embedder).  *nfound (may be
 * NULL) gets the number of hits.  A stored vector of the wrong size is
 * CAIRN_ERR_CORRUPT. */
int embcache_get(store *s, const char *provider, const char *model, size_t n,
                 const uint64_t *hashes, int dim, float *out, unsigned char *found,
                 size_t *nfound);

/* Store n vectors of dim floats (vecs + i * dim for hashes[i]), replacing
 * entries with the same key.  CAIRN_ERR_INVALID when the embedder already
 * has vectors of another dimension. */
int embcache_put(store *s, const char *provider, const char *model, size_t n,
                 const uint64_t *hashes, int dim, const float *vecs);

/* Drop every vector of (provider, model), e.g. when the model behind a
 * name changed its dimension. */
int embcache_drop(store *s, const char *provider, const char *model);

/* Drop the vectors of (provider, model) that no current chunk uses; other
 * embedders' entries are kept.  *removed (may be NULL) gets the count. */
int embcache_prune(store *s, const char *provider, const char *model, int64_t *removed);

/* ---- what the vector index should hold ---- */

/* The chunks that have a cached vector under (provider, model), ascending
 * by id, with the hash of their text.  Caller frees *ids and *hashes. */
int embcache_current(store *s, const char *provider, const char *model, int64_t **ids,
                     uint64_t **hashes, size_t *n);

#endif
