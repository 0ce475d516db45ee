/*
 * vectors.h — the dense-vector index of an index directory: which chunks'
 * embeddings lie nearest a query's, on FAISS through its C API.
 *
 * The index holds the vectors of one embedder (provider + model), with
 * chunk ids as FAISS ids (an IDMap2), L2-normalised so that inner product
 * is cosine similarity.  Below a size threshold (VEC_HNSW_THRESHOLD
 * vectors) search is exact, a flat scan; from there on it is an HNSW graph
 * (M = 32), approximate: recall@10 against exact search is checked in
 * tests/unit/test_vectors.c.  HNSW cannot delete, so a removed vector
 * stays in the graph as a tombstone that searches skip, until tombstones
 * reach a tenth of the graph and it is rebuilt from the live vectors.
 *
 * On disk it is one file, DIR/vectors.faiss, a copy derived from SQLite
 * (store/embcache.h keeps every vector and which chunk has which text).
 * The file is written atomically (temporary file, fsync, rename), ends
 * with a checksum of everything before it, and carries the generation of
 * the SQLite data it was built from: meta's vectors_generation, which
 * triggers count up on every change to embeddings or chunk_vectors.  A
 * file whose generation differs is brought up to date from SQLite when
 * opened; one that is missing, truncated or damaged is rebuilt from it,
 * with a warning.  No byte that failed the checksum reaches FAISS, and a
 * dimension that disagrees with SQLite's means a rebuild, never a read.
 *
 * Index time, after the chunks' embeddings are committed (indexer/embed.h):
 *     vec_update(s, provider, model, &o, &stats);
 * Query time: vec_open once, then vec_search per query.
 *
 * Searches on one index may run on several threads at once; vec_add,
 * vec_remove and vec_update need the index to themselves.
 */
#ifndef CAIRN_STORE_VECTORS_H
#define CAIRN_STORE_VECTORS_H

#include "store/store.h"

#include <stddef.h>
#include <stdint.h>

#define VEC_FILE_NAME "vectors.faiss"
#define VEC_META_GENERATION "vectors_generation"
/* Vectors from which search is approximate.  A flat scan of 50,000 x 128
 * takes about 3.5 ms a query; building HNSW for them 7 s (bench/vectors.sh):
 * below this, exact search is fast enough and indexing much cheaper. */
#define VEC_HNSW_THRESHOLD 50000
#define VEC_MAX_DIM 65536
/* HNSW's shape.  efSearch is how many candidates a search keeps: on 50,000
 * clustered 64-d vectors recall@10 against exact is 0.944 at FAISS's
 * default 16, 0.995 at 64 and 0.997 at 128; on near-uniform data 0.40,
 * 0.79 and 0.92.  128 took 0.8 to 2.7 ms a query there on 2 busy CPUs,
 * 0.5 ms at 30,000 x 256 clustered (bench/vectors.sh). */
#define VEC_HNSW_M 32
#define VEC_EF_CONSTRUCTION 40
#define VEC_EF_SEARCH 128

/* Receives one sentence per repair; the caller prefixes "warning". */
typedef void (*vec_warn_fn)(void *ctx, const char *msg);

/* A reader repairs a stale or missing file in memory, but builds at most
 * this many HNSW entries for it (about a second); past that vec_open fails
 * and the caller searches without vectors until 'cairn index' runs. */
#define VEC_MAX_REPAIR 2000

typedef struct vec_opts {
    size_t hnsw_threshold; /* 0: VEC_HNSW_THRESHOLD */
    int ef_search;         /* HNSW search breadth; 0: VEC_EF_SEARCH */
    size_t max_repair;     /* vec_open only; 0: VEC_MAX_REPAIR */
    vec_warn_fn warn;      /* may be NULL */
    void *warn_ctx;
} vec_opts;

typedef struct vec_index vec_index;

typedef struct vec_hit {
    int64_t id;   /* chunk id */
    float score;  /* cosine similarity, -1..1, higher is nearer */
} vec_hit;

/* ---- in memory ---- */

/* An empty index for dim-dimensional vectors of embedder (provider,
 * model).  o may be NULL for defaults.  Free with vec_free. */
int vec_new(const char *provider, const char *model, int dim, const vec_opts *o,
            vec_index **out);
void vec_free(vec_index *v);

/* 0 when the index holds nothing and has no dimension yet. */
int vec_dim(const vec_index *v);
/* Live vectors (tombstones not counted). */
size_t vec_count(const vec_index *v);

/* The chunk ids of the live vectors, ascending; owned by v, valid until it
 * changes. */
const int64_t *vec_ids(const vec_index *v, size_t *n);
/* 1 when searches are approximate (HNSW). */
int vec_approximate(const vec_index *v);

/* Add n vectors (vecs + i * dim for ids[i]), normalised on the way in;
 * hashes[i] is the hash of the text the vector embeds, kept so that
 * vec_update can tell a changed chunk from an unchanged one.  An id already
 * present is replaced.  Ids must be distinct within one call. */
int vec_add(vec_index *v, size_t n, const int64_t *ids, const uint64_t *hashes,
            const float *vecs);

/* Remove the vectors of ids; ids not present are ignored. */
int vec_remove(vec_index *v, size_t n, const int64_t *ids);

/* The k vectors nearest query (qdim floats, need not be normalised), best
 * first, into hits (room for k); *nhits may be fewer than k.  When allow is
 * not NULL only those nallow ids are candidates: a short list is scored
 * exactly, a long one filters the index's results.  A query whose qdim is
 * not the index's is CAIRN_ERR_INVALID. */
int vec_search(const vec_index *v, const float *query, int qdim, size_t k,
               const int64_t *allow, size_t nallow, vec_hit *hits, size_t *nhits);

/* ---- the file ---- */

/* Write v to path atomically, stamped with generation. */
int vec_save(const vec_index *v, const char *path, uint64_t generation);

/* Read the file at path into *out (free with vec_free), its generation to
 * *generation.  CAIRN_ERR_NOTFOUND when there is no file, CAIRN_ERR_CORRUPT
 * when it is truncated, damaged or not a cairn vector file. */
int vec_load(const char *path, const vec_opts *o, vec_index **out, uint64_t *generation);

/* ---- with the store ---- */

/* The vector index of s's directory for embedder (provider, model),
 * checked against SQLite and, where they disagree, repaired in memory with
 * a warning; works on a read-only store.  With no vectors for the embedder
 * the index is empty (vec_dim 0).  Free with vec_free.  CAIRN_ERR_NOTFOUND
 * when the repair would cost more than o->max_repair (an index run is
 * still embedding, or the file was lost): search lexically and say so. */
int vec_open(store *s, const char *provider, const char *model, const vec_opts *o,
             vec_index **out);

typedef struct vec_update_stats {
    size_t added, removed; /* vectors that went in and out of the index */
    size_t total;          /* vectors it holds now */
    int dim;
    int approximate;       /* 1 when it is an HNSW graph */
    int written;           /* the file was rewritten (0: it was current) */
} vec_update_stats;

/* Bring s's vector file in line with SQLite for (provider, model): remove
 * the vectors of chunks gone or changed, add the new ones, write the file
 * if anything differs.  For the writer (a STORE_WRITE handle), outside a
 * transaction, after the embeddings are committed; warns only about a
 * damaged file, since a stale one is what it is there to fix. */
int vec_update(store *s, const char *provider, const char *model, const vec_opts *o,
               vec_update_stats *st);

#endif
