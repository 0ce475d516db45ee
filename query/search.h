/*
 * search.h — answering a free-text query with ranked chunks.
 *
 * The query layer turns what a person or an agent typed (natural language,
 * identifiers, stray quotes and operators) into a safe search, checks the
 * filters, and asks the store for ranked chunks.  Lexical BM25 ranking with
 * cairn's code-aware tokenizer is the whole ranking today.
 */
#ifndef CAIRN_QUERY_SEARCH_H
#define CAIRN_QUERY_SEARCH_H

#include "store/store.h"

#define SEARCH_DEFAULT_K 10
#define SEARCH_MAX_K 1000
#define SEARCH_MAX_QUERY_BYTES (64 * 1024)

typedef struct search_opts {
    const char *query;     /* free text; required */
    int k;                 /* results wanted, 1..SEARCH_MAX_K (0 = default) */
    const char *path_glob; /* glob over root-relative paths ('*' crosses '/'), or NULL */
    const char *lang;      /* language name as `cairn status` lists it, or NULL */
    const char *kind;      /* "code", "prose" or NULL */
} search_opts;

/* Results are the store's hit rows, best first.  Caller frees *hits with
 * store_hits_free.  Errors: CAIRN_ERR_INVALID for a query with no
 * searchable words, an unknown language or kind, or an oversized query. */
int search_run(store *s, const search_opts *o, store_hit **hits, size_t *n);

#endif
