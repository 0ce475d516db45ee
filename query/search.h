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

#include "query/semantic.h"
#include "store/store.h"

#define SEARCH_DEFAULT_K 10
#define SEARCH_MAX_K 1000
#define SEARCH_MAX_QUERY_BYTES (64 * 1024)
#define SEARCH_DEFAULT_PER_DOC 2

enum search_mode {
    SEARCH_HYBRID = 0, /* BM25 + dense + definitions, fused (the default) */
    SEARCH_LEXICAL,    /* BM25 + definitions */
    SEARCH_SEMANTIC    /* dense only */
};

/* "hybrid", "lexical", "semantic"; parse returns -1 for other text. */
const char *search_mode_name(enum search_mode m);
int search_mode_parse(const char *text);

/* Told when hybrid search had to do without its dense side. */
typedef void (*search_warn_fn)(void *ctx, const char *msg);

typedef struct search_opts {
    const char *query;     /* free text; required */
    int k;                 /* results wanted, 1..SEARCH_MAX_K (0 = default) */
    const char *path_glob; /* glob over root-relative paths ('*' crosses '/'), or NULL */
    const char *lang;      /* language name as `cairn status` lists it, or NULL */
    const char *kind;      /* "code", "prose" or NULL */
    const char *since;     /* YYYY[-MM[-DD]]: files dated on or after, or NULL */
    const char *until;     /* YYYY[-MM[-DD]]: files dated on or before (inclusive), or NULL */
    const char *tag;       /* only documents carrying this tag, or NULL */
    int per_doc;           /* at most this many chunks per file (0 = default 2, -1 = no limit) */
    enum search_mode mode;
    semantic *sem;         /* the dense side (query/semantic.h), or NULL: lexical only */
    int no_snippets;       /* leave hits' snippets NULL (callers that read the chunks) */
    search_warn_fn warn;   /* may be NULL */
    void *warn_ctx;
} search_opts;

/* Results are the store's hit rows, best first, with at most per_doc
 * chunks of any one file so that one long note cannot fill the list.  Caller frees *hits with
 * store_hits_free.  Errors: CAIRN_ERR_INVALID for a query with no
 * searchable words, an unknown language or kind, a malformed date, or an
 * oversized query. */
int search_run(store *s, const search_opts *o, store_hit **hits, size_t *n);

#endif
