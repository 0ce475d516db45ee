/*
 * repomap.c — choosing and rendering the definitions of a repo map.
 *
 * The largest prefix of the ranking whose rendering fits the budget is
 * found by doubling, then bisection: rendering is cheap next to ranking,
 * and a prefix keeps the map's choice the ranking's.
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
    double score;    /* its rank's score; 0 for a scope loaded as context */
    unsigned stamp;  /* choose's pass that last picked it */
} cand;

/* Candidates load as the bisection reaches them, through a table from
 * definition id to candidate: a 32k-token map may rank thousands. */
typedef struct mapper {
    store *s;
    const rank_item *ranked;
    size_t nranked;
    size_t *order;  /* order[i]: the candidate of ranked[i], for i < nloaded */
    size_t nloaded;
    cand *c;        /* ranked candidates and their enclosing scopes */
    size_t n, cap;
    size_t *slots;  /* open addressing over c by sym.id; SIZE_MAX = empty */
    size_t nslots;
    unsigned stamp;
} mapper;

static size_t slot_of(int64_t id, size_t nslots)
{
    return (size_t)(((uint64_t)id * 0x9E3779B97F4A7C15ull) >> 17) & (nslots - 1);
}

static long find_cand(const mapper *m, int64_t id)
{
    if (!m->nslots)
        return -1;
    for (size_t k = slot_of(id, m->nslots);; k = (k + 1) & (m->nslots - 1)) {
        if (m->slots[k] == SIZE_MAX)
            return -1;
        if (m->c[m->slots[k]].sym.id == id)
            return (long)m->slots[k];
    }
}

static int index_grow(mapper *m)
{
    size_t ns = m->nslots ? m->nslots * 2 : 256;
    size_t *sl = malloc(ns * sizeof *sl);
    if (!sl)
        return err_set(CAIRN_ERR_NOMEM, "out of memory building a repo map");
    for (size_t k = 0; k < ns; k++)
        sl[k] = SIZE_MAX;
    for (size_t i = 0; i < m->n; i++) {
        size_t k = slot_of(m->c[i].sym.id, ns);
        while (sl[k] != SIZE_MAX)
            k = (k + 1) & (ns - 1);
        sl[k] = i;
    }
    free(m->slots);
    m->slots = sl;
    m->nslots = ns;
    return CAIRN_OK;
}

/* Index of definition id in m->c, loading it when new. */
static int cand_get(mapper *m, int64_t id, double score, long *idx)
{
    long i = find_cand(m, id);
    if (i >= 0) {
        if (score > m->c[i].score)
            m->c[i].score = score;
        *idx = i;
        return CAIRN_OK;
    }
    if ((m->n + 1) * 2 > m->nslots && index_grow(m))
        return CAIRN_ERR_NOMEM;
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
    c->stamp = 0;
    size_t k = slot_of(id, m->nslots);
    while (m->slots[k] != SIZE_MAX)
        k = (k + 1) & (m->nslots - 1);
    m->slots[k] = m->n;
    *idx = (long)m->n++;
    return CAIRN_OK;
}

/* Load the first k ranked definitions (fewer when the ranking is
 * shorter); returns how many are loaded in *have. */
static int load_ranked(mapper *m, size_t k, size_t *have)
{
    if (k > m->nranked)
        k = m->nranked;
    int rc = CAIRN_OK;
    while (m->nloaded < k && !rc) {
        long idx;
        rc = cand_get(m, m->ranked[m->nloaded].id, m->ranked[m->nloaded].score, &idx);
        if (!rc)
            m->order[m->nloaded++] = (size_t)idx;
    }
    *have = m->nloaded;
    return rc;
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

/* The rank of the first of the top k definitions in each file, by a
 * table from file id; filled as choose walks the ranking. */
typedef struct file_ranks {
    int64_t *file;
    int *rank;
    size_t nslots;
} file_ranks;

static int file_rank_of(file_ranks *f, int64_t file_id, int rank)
{
    size_t k = slot_of(file_id, f->nslots);
    while (f->rank[k] >= 0 && f->file[k] != file_id)
        k = (k + 1) & (f->nslots - 1);
    if (f->rank[k] < 0) {
        f->file[k] = file_id;
        f->rank[k] = rank;
    }
    return f->rank[k];
}

/* The picks for the top k ranked definitions (loaded) plus their
 * enclosing scopes, in display order.  A scope is in its definition's
 * file, so every pick of a file shares the rank of the file's best
 * definition.  *np gets the count. */
static int choose(mapper *m, size_t k, pick **out, size_t *np)
{
    size_t cap = k * (MAX_DEPTH + 1) + 1, n = 0;
    pick *p = malloc(cap * sizeof *p);
    file_ranks fr = {0};
    fr.nslots = 16;
    while (fr.nslots < 2 * k + 2)
        fr.nslots *= 2;
    fr.file = malloc(fr.nslots * sizeof *fr.file);
    fr.rank = malloc(fr.nslots * sizeof *fr.rank);
    if (!p || !fr.file || !fr.rank) {
        free(p);
        free(fr.file);
        free(fr.rank);
        return err_set(CAIRN_ERR_NOMEM, "out of memory building a repo map");
    }
    for (size_t i = 0; i < fr.nslots; i++)
        fr.rank[i] = -1;
    unsigned stamp = ++m->stamp;
    int rc = CAIRN_OK;
    for (size_t i = 0; i < k && !rc; i++) {
        long self = (long)m->order[i];
        int file_rank = file_rank_of(&fr, m->c[self].sym.file_id, (int)i);
        long chain[MAX_DEPTH];
        int depth = 0;
        long cur = self;
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
            if (m->c[chain[d]].stamp != stamp) {
                m->c[chain[d]].stamp = stamp;
                p[n++] = (pick){chain[d], depth - 1 - d, file_rank};
            }
        }
        if (!rc && m->c[self].stamp != stamp) {
            m->c[self].stamp = stamp;
            p[n++] = (pick){self, depth, file_rank};
        }
    }
    free(fr.file);
    free(fr.rank);
    if (rc) {
        free(p);
        return rc;
    }
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

typedef struct best_choice {
    pick *picks; /* owned */
    size_t n, tokens;
} best_choice;

/* Whether the top k ranked definitions fit the budget; when they do,
 * their picks replace *best. */
static int try_prefix(mapper *m, size_t k, size_t budget, buf *text, best_choice *best, int *fits)
{
    pick *p = NULL;
    size_t np = 0;
    *fits = 0;
    int rc = choose(m, k, &p, &np);
    if (!rc)
        rc = render(m, p, np, text);
    size_t t = rc ? 0 : tokens_count(buf_str(text), text->len);
    if (!rc && t <= budget) {
        free(best->picks);
        *best = (best_choice){p, np, t};
        *fits = 1;
    } else {
        free(p);
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

void repomap_memo_release(repomap_memo *m)
{
    if (!m)
        return;
    free(m->seeds);
    free(m->ranked);
    memset(m, 0, sizeof *m);
}

/* The request's ranking, at least limit long (when there are that many),
 * from o->memo when it holds it.  *ranked is the memo's when *owned is 0. */
static int ranking(const rank_graph *g, const repomap_opts *o, size_t limit, rank_item **ranked,
                   size_t *n, int *owned)
{
    repomap_memo *m = o->memo;
    *owned = 1;
    if (m && m->ranked && m->limit >= limit && m->nseeds == o->nseeds &&
        (!o->nseeds || memcmp(m->seeds, o->seeds, o->nseeds * sizeof *o->seeds) == 0)) {
        *ranked = m->ranked;
        *n = m->nranked < limit ? m->nranked : limit;
        *owned = 0;
        return CAIRN_OK;
    }
    rank_request req = {o->query, o->focus_files, o->nfocus, o->seeds, o->nseeds};
    /* A memo is for maps asked again with more room: rank deeper now. */
    int rc = rank_run(g, &req, m ? limit * 2 : limit, ranked, n);
    if (rc || !m)
        return rc;
    int64_t *seeds = o->nseeds ? malloc(o->nseeds * sizeof *seeds) : NULL;
    if (o->nseeds && !seeds)
        return CAIRN_OK; /* no memo: only slower */
    if (o->nseeds)
        memcpy(seeds, o->seeds, o->nseeds * sizeof *seeds);
    repomap_memo_release(m);
    m->seeds = seeds;
    m->nseeds = o->nseeds;
    m->limit = limit * 2;
    m->ranked = *ranked;
    m->nranked = *n;
    if (*n > limit)
        *n = limit;
    *owned = 0;
    return CAIRN_OK;
}

int repomap_build(store *s, const rank_graph *g, const repomap_opts *o, repomap *out)
{
    memset(out, 0, sizeof *out);
    size_t budget = o->budget ? o->budget : REPOMAP_DEFAULT_BUDGET;
    if (budget > REPOMAP_MAX_BUDGET)
        budget = REPOMAP_MAX_BUDGET;
    rank_item *ranked = NULL;
    size_t nranked = 0;
    int owned = 1;
    int rc = ranking(g, o, budget / MIN_LINE_TOKENS + 1, &ranked, &nranked, &owned);
    mapper m = {.s = s, .ranked = ranked, .nranked = nranked};
    if (!rc && !(m.order = malloc((nranked ? nranked : 1) * sizeof *m.order)))
        rc = err_set(CAIRN_ERR_NOMEM, "out of memory building a repo map");
    buf text;
    buf_init(&text, 0);
    best_choice best = {0};
    /* Doubling finds a prefix that does not fit, loading no more than
     * twice what does; bisection then finds the largest that fits. */
    size_t lo = 0, hi = 0, want = 32;
    while (!rc) {
        size_t have;
        rc = load_ranked(&m, want, &have);
        if (rc || have == lo)
            break;
        int fits;
        rc = try_prefix(&m, have, budget, &text, &best, &fits);
        if (rc)
            break;
        if (!fits) {
            hi = have - 1;
            break;
        }
        lo = have;
        hi = have;
        want *= 2;
    }
    while (!rc && lo < hi) {
        size_t mid = (lo + hi + 1) / 2;
        int fits;
        rc = try_prefix(&m, mid, budget, &text, &best, &fits);
        if (!rc && fits)
            lo = mid;
        else
            hi = mid - 1;
    }
    pick *picks = best.picks;
    size_t nbest = best.n, best_tokens = best.tokens;
    if (!rc && nbest)
        rc = render(&m, picks, nbest, &text);
    if (!rc && nbest && !(out->items = calloc(nbest, sizeof *out->items)))
        rc = err_set(CAIRN_ERR_NOMEM, "out of memory building a repo map");
    if (!rc) {
        for (size_t i = 0; i < nbest; i++) {
            cand *c = &m.c[picks[i].idx];
            out->items[i].sym = c->sym;
            out->items[i].score = c->score;
            out->items[i].depth = picks[i].depth;
            memset(&c->sym, 0, sizeof c->sym);
        }
        out->n = nbest;
        out->tokens = best_tokens;
        out->text = buf_detach(&text);
        if (!out->text)
            rc = err_set(CAIRN_ERR_NOMEM, "out of memory building a repo map");
    }
    free(picks);
    buf_release(&text);
    for (size_t i = 0; i < m.n; i++)
        store_sym_release(&m.c[i].sym);
    free(m.c);
    free(m.slots);
    free(m.order);
    if (owned)
        free(ranked);
    if (rc)
        repomap_release(out);
    return rc;
}
