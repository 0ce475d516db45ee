/*
 * symbols.c — definition lookup with fuzzy fallback, callers and callees.
 */
#include "query/symbols.h"
#include "util/err.h"

#include <stdlib.h>
#include <string.h>

#define FUZZY_NAMES 20
#define NAME_MAX_LEN 128

const char *symbols_match_name(enum symbols_match how)
{
    switch (how) {
    case SYMBOLS_EXACT: return "exact";
    case SYMBOLS_PREFIX: return "prefix";
    case SYMBOLS_FUZZY: return "fuzzy";
    }
    return "?";
}

static void lower(const char *in, char *out, size_t n)
{
    size_t i = 0;
    for (; in[i] && i + 1 < n; i++)
        out[i] = (in[i] >= 'A' && in[i] <= 'Z') ? (char)(in[i] + 32) : in[i];
    out[i] = '\0';
}

/* Optimal-string-alignment distance between a and b, or max + 1 once it
 * is known to exceed max. */
static int edit_distance(const char *a, const char *b, int max)
{
    int la = (int)strlen(a), lb = (int)strlen(b);
    if (abs(la - lb) > max)
        return max + 1;
    int prev2[NAME_MAX_LEN + 1], prev[NAME_MAX_LEN + 1], cur[NAME_MAX_LEN + 1];
    for (int j = 0; j <= lb; j++)
        prev[j] = j;
    for (int i = 1; i <= la; i++) {
        cur[0] = i;
        int best = cur[0];
        for (int j = 1; j <= lb; j++) {
            int cost = a[i - 1] != b[j - 1];
            int v = prev[j - 1] + cost;
            if (prev[j] + 1 < v)
                v = prev[j] + 1;
            if (cur[j - 1] + 1 < v)
                v = cur[j - 1] + 1;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && prev2[j - 2] + 1 < v)
                v = prev2[j - 2] + 1;
            cur[j] = v;
            if (v < best)
                best = v;
        }
        if (best > max)
            return max + 1;
        memcpy(prev2, prev, sizeof(int) * (size_t)(lb + 1));
        memcpy(prev, cur, sizeof(int) * (size_t)(lb + 1));
    }
    return prev[lb];
}

static int is_subsequence(const char *q, const char *name)
{
    for (; *name && *q; name++)
        if (*name == *q)
            q++;
    return *q == '\0';
}

typedef struct fuzzy_pick {
    char *name;
    int score; /* lower is better */
} fuzzy_pick;

typedef struct fuzzy_ctx {
    char q[NAME_MAX_LEN];
    int max_dist;
    fuzzy_pick best[FUZZY_NAMES];
    int n;
    int err;
} fuzzy_ctx;

static int fuzzy_consider(void *ctx, const char *name)
{
    fuzzy_ctx *f = ctx;
    if (!name || strlen(name) >= NAME_MAX_LEN)
        return 0;
    char l[NAME_MAX_LEN];
    lower(name, l, sizeof l);
    int score;
    int d = edit_distance(f->q, l, f->max_dist);
    if (d <= f->max_dist)
        score = d;
    else if (strlen(f->q) >= 3 && is_subsequence(f->q, l))
        score = 10 + (int)(strlen(l) - strlen(f->q));
    else
        return 0;
    if (f->n == FUZZY_NAMES && score >= f->best[f->n - 1].score)
        return 0;
    char *copy = strdup(name);
    if (!copy) {
        f->err = err_set(CAIRN_ERR_NOMEM, "out of memory matching names");
        return f->err;
    }
    if (f->n == FUZZY_NAMES)
        free(f->best[--f->n].name);
    int i = f->n++;
    while (i > 0 && f->best[i - 1].score > score) {
        f->best[i] = f->best[i - 1];
        i--;
    }
    f->best[i].name = copy;
    f->best[i].score = score;
    return 0;
}

int symbols_find(store *s, const char *name, const char *kind, int limit, store_sym_list *out,
                 enum symbols_match *how)
{
    if (!name || !*name)
        return err_set(CAIRN_ERR_INVALID, "no name given");
    if (strlen(name) >= NAME_MAX_LEN)
        return err_set(CAIRN_ERR_INVALID, "name of %zu bytes is too long", strlen(name));
    if (limit <= 0)
        limit = SYMBOLS_DEFAULT_LIMIT;
    *how = SYMBOLS_EXACT;
    int rc = store_symbols_find(s, name, STORE_SYM_EXACT, kind, limit, out);
    if (rc || out->n)
        return rc;
    if ((rc = store_symbols_find(s, name, STORE_SYM_NOCASE, kind, limit, out)) || out->n)
        return rc;
    *how = SYMBOLS_PREFIX;
    if ((rc = store_symbols_find(s, name, STORE_SYM_PREFIX, kind, limit, out)) || out->n)
        return rc;
    *how = SYMBOLS_FUZZY;
    fuzzy_ctx f = {.n = 0};
    lower(name, f.q, sizeof f.q);
    size_t len = strlen(f.q);
    f.max_dist = len <= 4 ? 1 : len <= 8 ? 2 : 3;
    rc = store_symbol_names_each(s, fuzzy_consider, &f);
    for (int i = 0; i < f.n && !rc && out->n < (size_t)limit; i++)
        rc = store_symbols_find(s, f.best[i].name, STORE_SYM_NOCASE, kind, limit - (int)out->n, out);
    for (int i = 0; i < f.n; i++)
        free(f.best[i].name);
    return rc;
}

static const char *last_component(const char *name)
{
    const char *last = name;
    for (const char *p = name; *p; p++) {
        if (*p == '.' && p[1])
            last = p + 1;
        else if (*p == ':' && p[1] == ':' && p[2])
            last = p + 2;
    }
    return last;
}

int symbols_callers(store *s, const char *name, const char *kind, int limit, store_ref_list *out,
                    int *ndefs)
{
    if (!name || !*name)
        return err_set(CAIRN_ERR_INVALID, "no name given");
    store_sym_list defs;
    store_sym_list_init(&defs);
    int rc = store_symbols_find(s, name, STORE_SYM_EXACT, NULL, SYMBOLS_MAX_LIMIT, &defs);
    *ndefs = (int)defs.n;
    store_sym_list_release(&defs);
    /* "buf.h" and "os.path" are references as written; "Class.method" is
     * referenced by its last component. */
    size_t before = out->n;
    if (!rc)
        rc = store_refs_to(s, name, kind, limit, out);
    if (!rc && out->n == before && strcmp(last_component(name), name) != 0)
        rc = store_refs_to(s, last_component(name), kind, limit, out);
    return rc;
}

void symbols_callee_list_release(symbols_callee_list *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->n; i++) {
        store_ref_release(&l->items[i].ref);
        free(l->items[i].from);
        store_sym_release(l->items[i].target);
        free(l->items[i].target);
    }
    free(l->items);
    l->items = NULL;
    l->n = 0;
}

/* Pick the definition a reference most likely means: the only one, else
 * one in the same file, else the first of several. */
static int resolve_target(store *s, const store_ref *r, int64_t from_file, symbols_callee *c)
{
    store_sym_list cands;
    store_sym_list_init(&cands);
    int rc = store_symbols_find(s, r->name, STORE_SYM_EXACT, NULL, 50, &cands);
    if (rc || cands.n == 0) {
        store_sym_list_release(&cands);
        return rc;
    }
    size_t pick = 0, same = 0;
    for (size_t i = 0; i < cands.n; i++) {
        if (cands.items[i].file_id == from_file) {
            if (same++ == 0)
                pick = i;
        }
    }
    c->confidence = same ? 1.0 / (double)same : 1.0 / (double)cands.n;
    c->target = malloc(sizeof *c->target);
    if (!c->target) {
        store_sym_list_release(&cands);
        return err_set(CAIRN_ERR_NOMEM, "out of memory");
    }
    *c->target = cands.items[pick];
    memset(&cands.items[pick], 0, sizeof cands.items[pick]);
    store_sym_list_release(&cands);
    return CAIRN_OK;
}

int symbols_callees(store *s, const char *name, int limit, symbols_callee_list *out)
{
    memset(out, 0, sizeof *out);
    if (!name || !*name)
        return err_set(CAIRN_ERR_INVALID, "no name given");
    if (limit <= 0)
        limit = SYMBOLS_MAX_LIMIT;
    store_sym_list defs;
    store_sym_list_init(&defs);
    int rc = store_symbols_find(s, name, STORE_SYM_EXACT, NULL, 20, &defs);
    store_ref_list refs;
    store_ref_list_init(&refs);
    for (size_t d = 0; d < defs.n && !rc; d++) {
        size_t before = refs.n;
        rc = store_refs_from(s, defs.items[d].id, limit, &refs);
        size_t add = refs.n - before;
        if (rc || add == 0)
            continue;
        symbols_callee *p = realloc(out->items, (out->n + add) * sizeof *p);
        if (!p) {
            rc = err_set(CAIRN_ERR_NOMEM, "out of memory");
            break;
        }
        out->items = p;
        for (size_t i = before; i < refs.n && !rc; i++) {
            symbols_callee *c = &out->items[out->n++];
            memset(c, 0, sizeof *c);
            c->ref = refs.items[i];
            memset(&refs.items[i], 0, sizeof refs.items[i]);
            c->from = strdup(defs.items[d].qualname);
            if (!c->from)
                rc = err_set(CAIRN_ERR_NOMEM, "out of memory");
            else
                rc = resolve_target(s, &c->ref, defs.items[d].file_id, c);
        }
    }
    refs.n = 0;
    store_ref_list_release(&refs);
    store_sym_list_release(&defs);
    if (rc)
        symbols_callee_list_release(out);
    return rc;
}
