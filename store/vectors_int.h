/*
 * vectors_int.h — what store/vectors.c and store/vectors_file.c share and
 * nothing else may include: the index's layout and a few helpers.
 */
#ifndef CAIRN_STORE_VECTORS_INT_H
#define CAIRN_STORE_VECTORS_INT_H

#include "store/vectors.h"

#include <faiss/c_api/Index_c.h>

struct vec_index {
    FaissIndex *index;   /* an IDMap2; NULL while there is no dimension yet */
    int dim;
    int hnsw;
    char *provider, *model;
    int64_t *ids;        /* live vectors, ascending */
    uint64_t *hashes;    /* the text hash of ids[i] */
    size_t n, cap;
    int64_t *dead;       /* HNSW tombstones, ascending */
    size_t ndead, dead_cap;
    size_t threshold;
    int ef_search;
};

/* An empty index with no FAISS index yet; dim may be 0 (unknown). */
int vec_index_init(vec_index **out, const char *provider, const char *model, int dim,
                   const vec_opts *o);

/* Room for need elements of size elem in *arr (capacity *cap). */
int vec_reserve(void **arr, size_t *cap, size_t need, size_t elem);

/* Room for need live ids and hashes. */
int vec_live_reserve(vec_index *v, size_t need);

/* Set an HNSW index's efConstruction (when > 0) and efSearch. */
int vec_hnsw_params(FaissIndex *idx, int ef_construction, int ef_search);

/* A cairn error from FAISS's last one: code, or CAIRN_ERR_NOMEM when FAISS
 * ran out of memory; what says what was being done. */
int vec_faiss_fail(int code, const char *what);

#endif
