/*
 * pack.h — the code an agent needs for a task, inside a token budget.
 *
 * A pack is made of: the chunks that best match the task (search), the
 * definitions those chunks use (one hop in the reference graph), and a
 * slice of the repo map around them (query/repomap.h).  Items are merged
 * per file — overlapping or adjacent ranges joined, no line twice — and
 * ordered by file (most relevant first) and line.  When room is short,
 * bodies shrink to their signatures (a prose section to its first lines)
 * before anything is dropped.  What
 * ranked next but did not fit is listed, so the agent can ask for it.
 * The rendering never exceeds the budget by tokens_count's measure.
 */
#ifndef CAIRN_QUERY_PACK_H
#define CAIRN_QUERY_PACK_H

#include "query/rank.h"
#include "query/semantic.h"
#include "store/store.h"

#include <stddef.h>
#include <stdint.h>

#define PACK_DEFAULT_BUDGET 8000
#define PACK_MAX_BUDGET 10000000

typedef enum pack_kind { PACK_BODY, PACK_SIGNATURE, PACK_MAP } pack_kind;

const char *pack_kind_name(pack_kind k); /* "body", "signature", "map" */

typedef struct pack_item {
    char *root, *path, *lang; /* owned */
    int64_t file_id;
    int start_line, end_line;
    char *symbol;             /* owned; NULL when none */
    pack_kind kind;
    char *text;               /* owned: the lines, each ending in '\n' */
} pack_item;

typedef struct pack_omitted {
    char *path;   /* owned, root-relative */
    char *symbol; /* owned; NULL when none */
} pack_omitted;

typedef struct pack {
    size_t budget, tokens;
    pack_item *items;
    size_t n;
    pack_omitted *omitted;
    size_t nomitted;
    char *markdown;           /* the rendering an agent reads (owned) */
} pack;

typedef struct pack_opts {
    const char *task;            /* required: an issue, a question */
    const int64_t *focus_files;  /* file ids, or NULL */
    size_t nfocus;
    size_t budget;               /* tokens; 0 gives an empty pack */
    const rank_graph *graph;     /* NULL: no one-hop definitions, no map */
    semantic *sem;               /* the dense side of the search stage
                                    (hybrid, as cairn search), or NULL */
} pack_opts;

/* Build a pack.  Caller releases out with pack_release.  Errors: a task
 * with no searchable words (CAIRN_ERR_INVALID), store errors. */
int pack_build(store *s, const pack_opts *o, pack *out);
void pack_release(pack *p);

#endif
