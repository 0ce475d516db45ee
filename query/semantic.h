/*
 * semantic.h — the dense side of search: the index's embedder and its
 * vectors, opened once per process (or MCP session) and asked per query.
 *
 * The embedder an index was built with is recorded in its meta table
 * (key "embedder", e.g. "local" or "openai:text-embedding-3-small", and
 * "embed_url" when one was given), so queries embed with the same model.
 */
#ifndef CAIRN_QUERY_SEMANTIC_H
#define CAIRN_QUERY_SEMANTIC_H

#include "store/store.h"

#include <stddef.h>
#include <stdint.h>

typedef struct semantic semantic;

/* Open the dense side of the index behind s.  CAIRN_ERR_NOTFOUND (with a
 * message saying why) when the index has no embeddings; other errors when
 * the embedder or the vector file cannot be opened.  Callers fall back to
 * lexical search on any error.  Caller frees with semantic_free. */
int semantic_open(store *s, semantic **out);
void semantic_free(semantic *sm);

/* "provider:model" of the embedder; owned by sm. */
const char *semantic_name(const semantic *sm);

/* The k chunks nearest to query, best first: ids[i] with cosine
 * similarity scores[i].  Caller frees both with free().  The last answer
 * is kept, so asking again for the same query (and no more chunks) embeds
 * and searches nothing. */
int semantic_search(semantic *sm, const char *query, size_t k, int64_t **ids, float **scores, size_t *n);

#endif
