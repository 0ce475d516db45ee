/*
 * repomap.h — a map of the code that matters for a task: the top-ranked
 * definitions (query/rank.h) shown as signatures inside their enclosing
 * scopes, grouped by file, filled to a token budget.
 */
#ifndef CAIRN_QUERY_REPOMAP_H
#define CAIRN_QUERY_REPOMAP_H

#include "query/rank.h"
#include "store/store.h"
#include "store/symbols.h"

#include <stddef.h>

#define REPOMAP_DEFAULT_BUDGET 1024
#define REPOMAP_MAX_BUDGET 1000000

typedef struct repomap_entry {
    store_sym sym;     /* the definition (owned) */
    double score;      /* its rank; 0 for an enclosing scope shown as context */
    int depth;         /* nesting below the file, for indentation */
} repomap_entry;

typedef struct repomap {
    repomap_entry *items; /* grouped by file (best file first), by line within */
    size_t n;
    size_t tokens;        /* estimated tokens of text */
    char *text;           /* the rendering (owned) */
} repomap;

/* The last ranking repomap_build made, for a caller that builds several
 * maps for one query and focus (a pack trying budgets): asked again with
 * the same seeds and no bigger a limit, it is not ranked again.  Zero it
 * before use; release with repomap_memo_release. */
typedef struct repomap_memo {
    int64_t *seeds;
    size_t nseeds, limit;
    rank_item *ranked;
    size_t nranked;
} repomap_memo;

void repomap_memo_release(repomap_memo *m);

typedef struct repomap_opts {
    const char *query;            /* task text, or NULL */
    const int64_t *focus_files;   /* file ids, or NULL */
    size_t nfocus;
    const int64_t *seeds;         /* definition ids to centre on, or NULL */
    size_t nseeds;
    size_t budget;                /* tokens; 0 = REPOMAP_DEFAULT_BUDGET */
    repomap_memo *memo;           /* NULL, or one query and focus's memo */
} repomap_opts;

/* Build the map from graph g (built by the caller with rank_graph_load).
 * Never exceeds the budget by tokens_count's measure.  Caller releases
 * out with repomap_release. */
int repomap_build(store *s, const rank_graph *g, const repomap_opts *o, repomap *out);
void repomap_release(repomap *m);

#endif
