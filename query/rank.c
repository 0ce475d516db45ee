/*
 * rank.c — the reference graph in compressed rows, and personalized
 * PageRank over it by power iteration.
 */
#include "query/rank.h"
#include "store/symbols.h"
#include "store/tokenize.h"
#include "util/err.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define DAMPING 0.85
/* The top 50 of 100 stdlib tasks after 20 iterations are, 99.9%, those
 * after 60: rankings settle long before the probabilities do. */
#define MAX_ITER 20
#define TOLERANCE 1e-6
#define PARENT_WEIGHT 0.5
#define PRIVATE_FACTOR 0.1
/* A name defined more often than this (get, run, __init__) says too little
 * about which definition is meant to carry rank; it would also multiply
 * the edges. */
#define MAX_HOMONYMS 16
#define MAX_NAME_WORDS 6
#define MAX_QUERY_WORDS 64
/* Restart weight of a definition matching the text, per matching word,
 * against 1 for a focus file's definitions and a seed. */
#define TEXT_WEIGHT 1.0
/* Tests call everything, so their helpers (assertEqual) would top every
 * map; definitions in test files keep this share of their weight. */
#define TEST_FACTOR 0.2

typedef struct node {
    int64_t id, file_id;
    uint32_t parent;      /* index, or UINT32_MAX */
    uint32_t name_off;    /* into names */
    uint64_t words[MAX_NAME_WORDS]; /* hashes of the name's stemmed words, 0 = none */
    int is_file;
    int is_test;
} node;

struct rank_graph {
    node *nodes;
    size_t n, cap, ndefs;
    char *names;
    size_t names_len, names_cap;
    /* name -> definitions, as a sorted index of node numbers by name */
    uint32_t *by_name;
    /* edges in compressed rows: out[off[i] .. off[i+1]) */
    uint32_t *off;
    uint32_t *dst;
    float *wn;          /* edge weight over its source's total out-weight */
    uint32_t *dangling; /* nodes without out-edges */
    size_t nedges, ndangling;
    tok_tokenizer *tok;
};

static uint64_t hash_word(const char *s, int n)
{
    uint64_t h = 1469598103934665603ull;
    for (int i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
    return h ? h : 1;
}

typedef struct words_ctx {
    uint64_t *out;
    int n, max;
} words_ctx;

static int collect_word(void *ctx, int flags, const char *token, int len, int start, int end)
{
    (void)start;
    (void)end;
    words_ctx *w = ctx;
    /* Whole-identifier tokens are colocated; their parts carry the words. */
    if ((flags & TOK_COLOCATED) || w->n >= w->max)
        return 0;
    uint64_t h = hash_word(token, len);
    for (int i = 0; i < w->n; i++)
        if (w->out[i] == h)
            return 0;
    w->out[w->n++] = h;
    return 0;
}

static const char *node_name(const rank_graph *g, const node *nd) { return g->names + nd->name_off; }

/* Test code by the usual conventions: a test/tests/spec directory, or a
 * file named test_*, *_test.*, *.test.* or *.spec.*. */
static int is_test_path(const char *path)
{
    if (!path)
        return 0;
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    if (strncmp(base, "test_", 5) == 0 || strstr(base, "_test.") || strstr(base, ".test.") ||
        strstr(base, ".spec."))
        return 1;
    static const char *const dirs[] = {"test/", "tests/", "testing/", "spec/", "__tests__/"};
    for (size_t i = 0; i < sizeof dirs / sizeof *dirs; i++) {
        size_t n = strlen(dirs[i]);
        if (strncmp(path, dirs[i], n) == 0)
            return 1;
        for (const char *p = strchr(path, '/'); p; p = strchr(p + 1, '/'))
            if (strncmp(p + 1, dirs[i], n) == 0)
                return 1;
    }
    return 0;
}

static int add_node(rank_graph *g, int64_t id, int64_t file_id, const char *name, int is_file,
                    int is_test)
{
    if (g->n == g->cap) {
        size_t cap = g->cap ? g->cap * 2 : 1024;
        node *p = realloc(g->nodes, cap * sizeof *p);
        if (!p)
            return err_set(CAIRN_ERR_NOMEM, "out of memory loading the reference graph");
        g->nodes = p;
        g->cap = cap;
    }
    size_t len = strlen(name);
    if (g->names_len + len + 1 > g->names_cap) {
        size_t cap = g->names_cap ? g->names_cap * 2 : 65536;
        while (cap < g->names_len + len + 1)
            cap *= 2;
        char *p = realloc(g->names, cap);
        if (!p)
            return err_set(CAIRN_ERR_NOMEM, "out of memory loading the reference graph");
        g->names = p;
        g->names_cap = cap;
    }
    node *nd = &g->nodes[g->n++];
    memset(nd, 0, sizeof *nd);
    nd->id = id;
    nd->file_id = file_id;
    nd->parent = UINT32_MAX;
    nd->is_file = is_file;
    nd->is_test = is_test;
    nd->name_off = (uint32_t)g->names_len;
    memcpy(g->names + g->names_len, name, len + 1);
    g->names_len += len + 1;
    words_ctx wc = {nd->words, 0, MAX_NAME_WORDS};
    return tok_run_query(g->tok, name, (int)len, &wc, collect_word) < 0 ? CAIRN_ERR_NOMEM : CAIRN_OK;
}

/* Loading: definitions arrive ordered by file; each new file also gets its
 * file node, named by its path (so path words match the text too). */
typedef struct load_ctx {
    rank_graph *g;
    int64_t last_file;
    int64_t *parent_ids; /* per node, resolved after loading */
    size_t cap_parent;
} load_ctx;

static int note_parent(load_ctx *l, int64_t parent_id)
{
    rank_graph *g = l->g;
    if (g->n > l->cap_parent) {
        size_t cap = g->cap;
        int64_t *p = realloc(l->parent_ids, cap * sizeof *p);
        if (!p)
            return err_set(CAIRN_ERR_NOMEM, "out of memory loading the reference graph");
        l->parent_ids = p;
        l->cap_parent = cap;
    }
    l->parent_ids[g->n - 1] = parent_id;
    return CAIRN_OK;
}

static int on_node(void *ctx, const store_node *sn)
{
    load_ctx *l = ctx;
    rank_graph *g = l->g;
    int rc;
    if (sn->file_id != l->last_file) {
        if ((rc = add_node(g, 0, sn->file_id, sn->path, 1, is_test_path(sn->path))) ||
            (rc = note_parent(l, 0)))
            return rc;
        l->last_file = sn->file_id;
    }
    if ((rc = add_node(g, sn->id, sn->file_id, sn->name, 0, is_test_path(sn->path))))
        return rc;
    return note_parent(l, sn->parent_id);
}

static const rank_graph *sort_graph;

static int cmp_by_name(const void *a, const void *b)
{
    const node *x = &sort_graph->nodes[*(const uint32_t *)a];
    const node *y = &sort_graph->nodes[*(const uint32_t *)b];
    return strcmp(sort_graph->names + x->name_off, sort_graph->names + y->name_off);
}

static int cmp_by_id(const void *a, const void *b)
{
    int64_t x = ((const int64_t *)a)[0], y = ((const int64_t *)b)[0];
    return x < y ? -1 : x > y;
}

/* Definitions named name: [*first, *first + count) in by_name. */
static size_t find_name(const rank_graph *g, const char *name, size_t *first)
{
    size_t lo = 0, hi = g->ndefs;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (strcmp(node_name(g, &g->nodes[g->by_name[mid]]), name) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    size_t end = lo;
    while (end < g->ndefs && strcmp(node_name(g, &g->nodes[g->by_name[end]]), name) == 0)
        end++;
    *first = lo;
    return end - lo;
}

typedef struct edge {
    uint32_t src, dst;
    float w;
} edge;

typedef struct edge_ctx {
    rank_graph *g;
    int64_t (*id_index)[2];   /* sorted (definition id, node index) */
    size_t nids;
    int64_t (*file_index)[2]; /* sorted (file id, file node index) */
    size_t nfiles;
    edge *edges;
    size_t n, cap;
} edge_ctx;

static long lookup(int64_t (*idx)[2], size_t n, int64_t key)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (idx[mid][0] < key)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && idx[lo][0] == key ? (long)idx[lo][1] : -1;
}

static int push_edge(edge_ctx *e, uint32_t src, uint32_t dst, float w)
{
    if (src == dst || w <= 0)
        return CAIRN_OK;
    if (e->n == e->cap) {
        size_t cap = e->cap ? e->cap * 2 : 4096;
        edge *p = realloc(e->edges, cap * sizeof *p);
        if (!p)
            return err_set(CAIRN_ERR_NOMEM, "out of memory loading the reference graph");
        e->edges = p;
        e->cap = cap;
    }
    e->edges[e->n++] = (edge){src, dst, w};
    return CAIRN_OK;
}

/* _helper is private; __init__ and friends are not. */
static int is_private(const char *name)
{
    return name[0] == '_' && !(name[1] == '_' && strlen(name) > 4 && strcmp(name + strlen(name) - 2, "__") == 0);
}

static int on_edge(void *ctx, int64_t from_id, int64_t file_id, const char *name, int count)
{
    edge_ctx *e = ctx;
    if (!name)
        return CAIRN_OK;
    long src = from_id ? lookup(e->id_index, e->nids, from_id) : lookup(e->file_index, e->nfiles, file_id);
    if (src < 0)
        return CAIRN_OK;
    size_t first, n = find_name(e->g, name, &first);
    if (n == 0 || n > MAX_HOMONYMS)
        return CAIRN_OK;
    /* Weight grows slowly with the number of uses and is shared among
     * the definitions the name could mean. */
    float w = (float)(sqrt((double)count) / (double)n);
    if (is_private(name))
        w *= (float)PRIVATE_FACTOR;
    for (size_t i = 0; i < n; i++) {
        int rc = push_edge(e, (uint32_t)src, e->g->by_name[first + i], w);
        if (rc)
            return rc;
    }
    return CAIRN_OK;
}

static int cmp_edge(const void *a, const void *b)
{
    const edge *x = a, *y = b;
    return x->src != y->src ? (x->src < y->src ? -1 : 1) : (x->dst < y->dst ? -1 : x->dst > y->dst);
}

static int build_edges(store *s, rank_graph *g, const int64_t *parent_ids)
{
    edge_ctx e = {.g = g};
    size_t nfiles = g->n - g->ndefs;
    e.id_index = malloc((g->ndefs + 1) * sizeof *e.id_index);
    e.file_index = malloc((nfiles + 1) * sizeof *e.file_index);
    if (!e.id_index || !e.file_index) {
        free(e.id_index);
        free(e.file_index);
        return err_set(CAIRN_ERR_NOMEM, "out of memory loading the reference graph");
    }
    for (size_t i = 0; i < g->n; i++) {
        if (g->nodes[i].is_file) {
            e.file_index[e.nfiles][0] = g->nodes[i].file_id;
            e.file_index[e.nfiles++][1] = (int64_t)i;
        } else {
            e.id_index[e.nids][0] = g->nodes[i].id;
            e.id_index[e.nids++][1] = (int64_t)i;
        }
    }
    qsort(e.id_index, e.nids, sizeof *e.id_index, cmp_by_id);
    qsort(e.file_index, e.nfiles, sizeof *e.file_index, cmp_by_id);
    int rc = CAIRN_OK;
    for (size_t i = 0; i < g->n && !rc; i++) {
        if (g->nodes[i].is_file || !parent_ids[i])
            continue;
        long p = lookup(e.id_index, e.nids, parent_ids[i]);
        if (p >= 0) {
            g->nodes[i].parent = (uint32_t)p;
            rc = push_edge(&e, (uint32_t)i, (uint32_t)p, (float)PARENT_WEIGHT);
        }
    }
    if (!rc)
        rc = store_edges_each(s, on_edge, &e);
    free(e.id_index);
    free(e.file_index);
    if (rc) {
        free(e.edges);
        return rc;
    }
    qsort(e.edges, e.n, sizeof *e.edges, cmp_edge);
    g->off = calloc(g->n + 1, sizeof *g->off);
    g->dst = malloc((e.n ? e.n : 1) * sizeof *g->dst);
    g->wn = malloc((e.n ? e.n : 1) * sizeof *g->wn);
    g->dangling = malloc((g->n ? g->n : 1) * sizeof *g->dangling);
    if (!g->off || !g->dst || !g->wn || !g->dangling) {
        free(e.edges);
        return err_set(CAIRN_ERR_NOMEM, "out of memory loading the reference graph");
    }
    size_t m = 0;
    for (size_t i = 0; i < e.n; i++) {
        /* Merge parallel edges. */
        if (m && e.edges[i].src == e.edges[m - 1].src && e.edges[i].dst == e.edges[m - 1].dst) {
            e.edges[m - 1].w += e.edges[i].w;
            continue;
        }
        e.edges[m++] = e.edges[i];
    }
    for (size_t i = 0; i < m; i++) {
        g->off[e.edges[i].src + 1]++;
        g->dst[i] = e.edges[i].dst;
    }
    for (size_t i = 0; i < g->n; i++)
        g->off[i + 1] += g->off[i];
    g->nedges = m;
    /* Each edge's share of its source's out-weight: what every ranking
     * would otherwise divide by. */
    for (size_t i = 0; i < g->n; i++) {
        double sum = 0;
        for (uint32_t k = g->off[i]; k < g->off[i + 1]; k++)
            sum += e.edges[k].w;
        for (uint32_t k = g->off[i]; k < g->off[i + 1]; k++)
            g->wn[k] = (float)(e.edges[k].w / sum);
        if (g->off[i] == g->off[i + 1])
            g->dangling[g->ndangling++] = (uint32_t)i;
    }
    free(e.edges);
    return CAIRN_OK;
}

int rank_graph_load(store *s, rank_graph **out)
{
    *out = NULL;
    rank_graph *g = calloc(1, sizeof *g);
    if (!g)
        return err_set(CAIRN_ERR_NOMEM, "out of memory loading the reference graph");
    int rc = tok_new(&g->tok);
    load_ctx l = {.g = g, .last_file = -1};
    if (!rc)
        rc = store_nodes_each(s, on_node, &l);
    if (!rc) {
        size_t ndefs = 0;
        for (size_t i = 0; i < g->n; i++)
            ndefs += !g->nodes[i].is_file;
        g->ndefs = ndefs;
        g->by_name = malloc((ndefs + 1) * sizeof *g->by_name);
        if (!g->by_name)
            rc = err_set(CAIRN_ERR_NOMEM, "out of memory loading the reference graph");
    }
    if (!rc) {
        size_t k = 0;
        for (size_t i = 0; i < g->n; i++)
            if (!g->nodes[i].is_file)
                g->by_name[k++] = (uint32_t)i;
        sort_graph = g;
        qsort(g->by_name, g->ndefs, sizeof *g->by_name, cmp_by_name);
        sort_graph = NULL;
        rc = build_edges(s, g, l.parent_ids);
    }
    free(l.parent_ids);
    if (rc) {
        rank_graph_free(g);
        return rc;
    }
    *out = g;
    return CAIRN_OK;
}

void rank_graph_free(rank_graph *g)
{
    if (!g)
        return;
    free(g->nodes);
    free(g->names);
    free(g->by_name);
    free(g->off);
    free(g->dst);
    free(g->wn);
    free(g->dangling);
    tok_free(g->tok);
    free(g);
}

size_t rank_graph_defs(const rank_graph *g) { return g->ndefs; }

size_t rank_graph_edges(const rank_graph *g) { return g->nedges; }

/* The restart distribution: text matches, focus files and seeds. */
static int personalize(const rank_graph *g, const rank_request *r, double *p)
{
    uint64_t qw[MAX_QUERY_WORDS];
    int nq = 0;
    if (r->text && *r->text) {
        words_ctx wc = {qw, 0, MAX_QUERY_WORDS};
        size_t len = strlen(r->text);
        if (tok_run_query(g->tok, r->text, (int)(len > (1 << 20) ? (1 << 20) : len), &wc, collect_word) < 0)
            return err_set(CAIRN_ERR_NOMEM, "out of memory reading the task text");
        nq = wc.n;
    }
    double total = 0;
    for (size_t i = 0; i < g->n; i++) {
        const node *nd = &g->nodes[i];
        double v = 0;
        for (int a = 0; a < MAX_NAME_WORDS && nd->words[a]; a++)
            for (int b = 0; b < nq; b++)
                if (nd->words[a] == qw[b])
                    v += TEXT_WEIGHT;
        for (size_t f = 0; f < r->nfocus; f++)
            if (nd->file_id == r->focus_files[f])
                v += 1.0;
        for (size_t k = 0; k < r->nseeds && !nd->is_file; k++)
            if (nd->id == r->seeds[k])
                v += 2.0;
        if (nd->is_test)
            v *= TEST_FACTOR;
        p[i] = v;
        total += v;
    }
    if (total == 0) {
        for (size_t i = 0; i < g->n; i++)
            p[i] = 1.0;
        total = (double)g->n;
    }
    for (size_t i = 0; i < g->n; i++)
        p[i] /= total;
    return CAIRN_OK;
}

static int cmp_item(const void *a, const void *b)
{
    const rank_item *x = a, *y = b;
    return x->score < y->score ? 1 : x->score > y->score ? -1 : (x->id > y->id) - (x->id < y->id);
}

/* Keep the limit best items of items[0, n) at its front, best first. */
static size_t keep_best(rank_item *items, size_t n, size_t limit)
{
    if (!limit || limit >= n) {
        qsort(items, n, sizeof *items, cmp_item);
        return n;
    }
    /* A min-heap of the best so far (its root the worst of them), then
     * sorted: n log limit instead of n log n. */
    for (size_t i = 0; i < n; i++) {
        if (i >= limit && cmp_item(&items[i], &items[0]) >= 0)
            continue;
        size_t at;
        if (i < limit) {
            at = i;
            items[at] = items[i];
            while (at > 0 && cmp_item(&items[(at - 1) / 2], &items[at]) < 0) {
                rank_item t = items[at];
                items[at] = items[(at - 1) / 2];
                items[(at - 1) / 2] = t;
                at = (at - 1) / 2;
            }
            continue;
        }
        items[0] = items[i];
        at = 0;
        for (;;) {
            size_t l = 2 * at + 1, r = l + 1, worst = at;
            if (l < limit && cmp_item(&items[l], &items[worst]) > 0)
                worst = l;
            if (r < limit && cmp_item(&items[r], &items[worst]) > 0)
                worst = r;
            if (worst == at)
                break;
            rank_item t = items[at];
            items[at] = items[worst];
            items[worst] = t;
            at = worst;
        }
    }
    qsort(items, limit, sizeof *items, cmp_item);
    return limit;
}

int rank_run(const rank_graph *g, const rank_request *r, size_t limit, rank_item **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    if (g->n == 0)
        return CAIRN_OK;
    double *p = malloc(g->n * sizeof *p), *x = malloc(g->n * sizeof *x), *y = malloc(g->n * sizeof *y);
    int rc = p && x && y ? personalize(g, r, p)
                         : err_set(CAIRN_ERR_NOMEM, "out of memory ranking definitions");
    if (!rc) {
        memcpy(x, p, g->n * sizeof *x);
        for (int it = 0; it < MAX_ITER; it++) {
            double dangling = 0;
            for (size_t k = 0; k < g->ndangling; k++)
                dangling += x[g->dangling[k]];
            double restart = 1.0 - DAMPING + DAMPING * dangling;
            for (size_t i = 0; i < g->n; i++)
                y[i] = restart * p[i];
            for (size_t i = 0; i < g->n; i++) {
                double share = DAMPING * x[i];
                for (uint32_t e = g->off[i]; e < g->off[i + 1]; e++)
                    y[g->dst[e]] += share * g->wn[e];
            }
            double delta = 0;
            for (size_t i = 0; i < g->n; i++)
                delta += fabs(y[i] - x[i]);
            double *t = x;
            x = y;
            y = t;
            if (delta < TOLERANCE)
                break;
        }
        size_t m = 0;
        rank_item *items = malloc((g->ndefs ? g->ndefs : 1) * sizeof *items);
        if (!items) {
            rc = err_set(CAIRN_ERR_NOMEM, "out of memory ranking definitions");
        } else {
            for (size_t i = 0; i < g->n; i++)
                if (!g->nodes[i].is_file)
                    items[m++] = (rank_item){g->nodes[i].id, g->nodes[i].file_id,
                                             g->nodes[i].is_test ? x[i] * TEST_FACTOR : x[i]};
            *out = items;
            *n = keep_best(items, m, limit);
        }
    }
    free(p);
    free(x);
    free(y);
    return rc;
}
