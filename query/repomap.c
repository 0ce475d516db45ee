/*
 * repomap.c — choosing and rendering the definitions of a repo map.
 *
 * The largest prefix of the ranking whose rendering fits the budget is
 * found by bisection: rendering is cheap next to ranking, and a prefix
 * keeps the map's choice the ranking's.
 */
#include "query/repomap.h"
#include "query/tokens.h"
#include "util/buf.h"
#include "util/err.h"

#include <stdlib.h>
#include <string.h>

#define SIG_MAX 240
#define MAX_DEPTH 8
/* The fewest tokens one definition line can cost; bounds the candidates. */
#define MIN_LINE_TOKENS 4

typedef struct cand {
    store_sym sym;
    double score;
    int loaded;
} cand;

typedef struct mapper {
    store *s;
    cand *c;        /* ranked candidates, then ancestors appended */
    size_t nranked, n, cap;
} mapper;

static long find_cand(const mapper *m, int64_t id)
{
    for (size_t i = 0; i < m->n; i++)
        if (m->c[i].sym.id == id)
            return (long)i;
    return -1;
}

/* Index of definition id in m->c, loading it when new. */
static int cand_get(mapper *m, int64_t id, double score, long *idx)
{
    long i = find_cand(m, id);
    if (i >= 0) {
        *idx = i;
        return CAIRN_OK;
    }
    if (m->n == m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 64;
        cand *p = realloc(m->c, cap * sizeof *p);
        if (!p)
            return err_set(CAIRN_ERR_NOMEM, "out of memory building a repo map");
        m->c = p;
        m->cap = cap;
    }
    store_sym_list one;
    store_sym_list_init(&one);
    int rc = store_symbol_get(m->s, id, &one);
    if (rc) {
        store_sym_list_release(&one);
        return rc;
    }
    cand *c = &m->c[m->n];
    c->sym = one.items[0];
    one.n = 0;
    store_sym_list_release(&one);
    c->score = score;
    c->loaded = 1;
    *idx = (long)m->n++;
    return CAIRN_OK;
}

typedef struct pick {
    long idx;
    int depth;
    int file_rank; /* position of the file's best definition */
} pick;

static const mapper *sort_m;

static int cmp_pick(const void *a, const void *b)
{
    const pick *x = a, *y = b;
    if (x->file_rank != y->file_rank)
        return x->file_rank - y->file_rank;
    const store_sym *p = &sort_m->c[x->idx].sym, *q = &sort_m->c[y->idx].sym;
    if (p->start_line != q->start_line)
        return p->start_line - q->start_line;
    return x->depth - y->depth;
}

/* The picks for the top k ranked definitions plus their enclosing scopes,
 * in display order.  *np gets the count. */
static int choose(mapper *m, size_t k, pick **out, size_t *np)
{
    size_t cap = k * (MAX_DEPTH + 1) + 1, n = 0;
    pick *p = malloc(cap * sizeof *p);
    if (!p)
        return err_set(CAIRN_ERR_NOMEM, "out of memory building a repo map");
    int rc = CAIRN_OK;
    for (size_t i = 0; i < k && !rc; i++) {
        /* The file's rank: the first ranked definition in the same file. */
        int file_rank = (int)i;
        for (size_t j = 0; j < i; j++)
            if (m->c[j].sym.file_id == m->c[i].sym.file_id) {
                file_rank = (int)j;
                break;
            }
        long chain[MAX_DEPTH];
        int depth = 0;
        long cur = (long)i;
        while (depth < MAX_DEPTH && m->c[cur].sym.parent_id && !rc) {
            long up;
            rc = cand_get(m, m->c[cur].sym.parent_id, 0, &up);
            if (rc == CAIRN_ERR_NOTFOUND) {
                rc = CAIRN_OK;
                break;
            }
            chain[depth++] = up;
            cur = up;
        }
        for (int d = depth; d-- > 0 && !rc;) {
            int dup = 0;
            for (size_t j = 0; j < n; j++)
                dup |= p[j].idx == chain[d];
            if (!dup)
                p[n++] = (pick){chain[d], depth - 1 - d, file_rank};
        }
        int dup = 0;
        for (size_t j = 0; j < n; j++)
            dup |= p[j].idx == (long)i;
        if (!dup)
            p[n++] = (pick){(long)i, depth, file_rank};
    }
    if (rc) {
        free(p);
        return rc;
    }
    /* A definition reached both as a pick and as context keeps its first
     * (ranked) file position. */
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++)
            if (m->c[p[j].idx].sym.file_id == m->c[p[i].idx].sym.file_id && p[j].file_rank < p[i].file_rank)
                p[i].file_rank = p[j].file_rank;
    sort_m = m;
    qsort(p, n, sizeof *p, cmp_pick);
    sort_m = NULL;
    *out = p;
    *np = n;
    return CAIRN_OK;
}

static int render(const mapper *m, const pick *p, size_t n, buf *out)
{
    buf_clear(out);
    int rc = CAIRN_OK;
    for (size_t i = 0; i < n && !rc; i++) {
        const store_sym *y = &m->c[p[i].idx].sym;
        if (i == 0 || m->c[p[i - 1].idx].sym.file_id != y->file_id)
            rc = buf_printf(out, "%s%s:\n", i ? "\n" : "", y->path);
        const char *sig = y->signature && *y->signature ? y->signature : y->name;
        size_t len = strcspn(sig, "\n");
        if (len > SIG_MAX)
            len = SIG_MAX;
        if (!rc)
            rc = buf_printf(out, "%6d  %*s%.*s\n", y->start_line, p[i].depth * 4, "", (int)len, sig);
    }
    return rc;
}

void repomap_release(repomap *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < m->n; i++)
        store_sym_release(&m->items[i].sym);
    free(m->items);
    free(m->text);
    memset(m, 0, sizeof *m);
}

int repomap_build(store *s, const rank_graph *g, const repomap_opts *o, repomap *out)
{
    memset(out, 0, sizeof *out);
    size_t budget = o->budget ? o->budget : REPOMAP_DEFAULT_BUDGET;
    if (budget > REPOMAP_MAX_BUDGET)
        budget = REPOMAP_MAX_BUDGET;
    rank_request req = {o->query, o->focus_files, o->nfocus, o->seeds, o->nseeds};
    rank_item *ranked = NULL;
    size_t nranked = 0;
    int rc = rank_run(g, &req, budget / MIN_LINE_TOKENS + 1, &ranked, &nranked);
    mapper m = {.s = s};
    for (size_t i = 0; i < nranked && !rc; i++) {
        long idx;
        rc = cand_get(&m, ranked[i].id, ranked[i].score, &idx);
    }
    m.nranked = m.n;
    free(ranked);
    buf text;
    buf_init(&text, 0);
    pick *best = NULL;
    size_t nbest = 0, best_tokens = 0;
    /* Bisection for the largest prefix that fits. */
    size_t lo = 0, hi = m.nranked;
    while (!rc && lo < hi) {
        size_t mid = (lo + hi + 1) / 2;
        pick *p = NULL;
        size_t np = 0;
        rc = choose(&m, mid, &p, &np);
        if (!rc)
            rc = render(&m, p, np, &text);
        size_t t = rc ? 0 : tokens_count(buf_str(&text), text.len);
        if (!rc && t <= budget) {
            lo = mid;
            free(best);
            best = p;
            nbest = np;
            best_tokens = t;
        } else {
            hi = mid - 1;
            free(p);
        }
    }
    if (!rc && nbest)
        rc = render(&m, best, nbest, &text);
    if (!rc && nbest && !(out->items = calloc(nbest, sizeof *out->items)))
        rc = err_set(CAIRN_ERR_NOMEM, "out of memory building a repo map");
    if (!rc) {
        for (size_t i = 0; i < nbest; i++) {
            cand *c = &m.c[best[i].idx];
            out->items[i].sym = c->sym;
            out->items[i].score = (size_t)best[i].idx < m.nranked ? c->score : 0;
            out->items[i].depth = best[i].depth;
            memset(&c->sym, 0, sizeof c->sym);
        }
        out->n = nbest;
        out->tokens = best_tokens;
        out->text = buf_detach(&text);
        if (!out->text)
            rc = err_set(CAIRN_ERR_NOMEM, "out of memory building a repo map");
    }
    free(best);
    buf_release(&text);
    for (size_t i = 0; i < m.n; i++)
        store_sym_release(&m.c[i].sym);
    free(m.c);
    if (rc)
        repomap_release(out);
    return rc;
}
