/*
 * symbols.h — navigation answers: find a definition by name (exact, then
 * prefix, then fuzzy), who references a name and what a definition
 * references, and the outline of a file.
 */
#ifndef CAIRN_QUERY_SYMBOLS_H
#define CAIRN_QUERY_SYMBOLS_H

#include "store/store.h"
#include "store/symbols.h"

#define SYMBOLS_DEFAULT_LIMIT 20
#define SYMBOLS_MAX_LIMIT 1000

/* How a definition matched the name asked for. */
enum symbols_match { SYMBOLS_EXACT, SYMBOLS_PREFIX, SYMBOLS_FUZZY };

/* Definitions named `name` (or whose qualified name is), best first:
 * exact matches when there are any, else prefix matches, else fuzzy ones
 * (small edit distance, or the letters in order).  kind filters when not
 * NULL.  *how says which stage answered.  Caller releases out. */
int symbols_find(store *s, const char *name, const char *kind, int limit, store_sym_list *out,
                 enum symbols_match *how);

const char *symbols_match_name(enum symbols_match how);

/* References to the definition(s) called name (qualified names use their
 * last component), ordered by file and line.  *ndefs gets how many
 * definitions share that name: 1 means every reference resolves to the
 * one definition; more means each reference is ambiguous (confidence 1/n). */
int symbols_callers(store *s, const char *name, const char *kind, int limit, store_ref_list *out,
                    int *ndefs);

/* One reference made by a definition, with where its target is when the
 * name resolves. */
typedef struct symbols_callee {
    store_ref ref;       /* the reference (owned) */
    char *from;          /* qualname of the definition making it (owned) */
    store_sym *target;   /* the resolved definition, or NULL (owned) */
    double confidence;   /* 1 unique; 1/n among n candidates; 0 unresolved */
} symbols_callee;

typedef struct symbols_callee_list {
    symbols_callee *items;
    size_t n;
} symbols_callee_list;

/* What the definitions called name reference (calls, types, imports).
 * Caller releases out with symbols_callee_list_release. */
int symbols_callees(store *s, const char *name, int limit, symbols_callee_list *out);
void symbols_callee_list_release(symbols_callee_list *l);

#endif
