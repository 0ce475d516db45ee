/*
 * embed_local_train.c — training the local embedder on an index's chunks.
 *
 * Every chunk is one example of which words go with which tokens: in code,
 * the words of its comments and docstrings against all its tokens
 * (identifier parts, its path and symbol, its words); in prose, its heading
 * and path against the words of its text.  The counts of (word, token)
 * pairs over all examples become positive pointwise mutual information with
 * context-distribution smoothing, each word keeps its strongest
 * associations, and the right singular vectors of that word x token matrix
 * are the tokens' vectors.  Counts are integers and the vocabulary is in
 * byte order, so the same chunks always give the same model whatever order
 * they are read in.
 */
#include "indexer/embed.h"
#include "indexer/embed_local.h"
#include "store/embcache.h"
#include "util/err.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

/* Chosen on the development sets (README "Semantic search"). */
void embed_local_params_init(embed_local_params *p)
{
    p->dim = EMBED_LOCAL_DIM;
    p->min_df = 2;
    p->max_df = 0.25;
    p->top_k = 300;
    p->cds = 0.75;
    p->eig_power = 0;
    p->iters = 0;
}

#define NOMEM() err_set(CAIRN_ERR_NOMEM, "out of memory training the local embedder")

/* ---- interning tokens ---- */

typedef struct intern {
    char *strings;
    size_t slen, scap;
    uint32_t *offsets, *lens; /* per id */
    uint32_t n, cap;
    uint32_t *slots;          /* id + 1 */
    uint32_t nslots;
} intern;

static int intern_rehash(intern *in)
{
    uint32_t ns = in->nslots ? in->nslots * 2 : 1u << 14;
    uint32_t *slots = calloc(ns, sizeof *slots);
    if (!slots)
        return NOMEM();
    for (uint32_t id = 0; id < in->n; id++) {
        uint32_t at = (uint32_t)XXH3_64bits(in->strings + in->offsets[id], in->lens[id]) & (ns - 1);
        while (slots[at])
            at = (at + 1) & (ns - 1);
        slots[at] = id + 1;
    }
    free(in->slots);
    in->slots = slots;
    in->nslots = ns;
    return CAIRN_OK;
}

static int intern_add(intern *in, const char *tok, int len, uint32_t *id)
{
    if ((uint64_t)(in->n + 1) * 2 > in->nslots) {
        int rc = intern_rehash(in);
        if (rc)
            return rc;
    }
    uint32_t at = (uint32_t)XXH3_64bits(tok, (size_t)len) & (in->nslots - 1);
    while (in->slots[at]) {
        uint32_t k = in->slots[at] - 1;
        if (in->lens[k] == (uint32_t)len &&
            memcmp(in->strings + in->offsets[k], tok, (size_t)len) == 0) {
            *id = k;
            return CAIRN_OK;
        }
        at = (at + 1) & (in->nslots - 1);
    }
    if (in->n == UINT32_MAX - 1)
        return err_set(CAIRN_ERR_TOOBIG, "too many distinct tokens to train on");
    if (in->n == in->cap) {
        uint32_t nc = in->cap ? in->cap * 2 : 4096;
        uint32_t *o = realloc(in->offsets, nc * sizeof *o);
        if (o)
            in->offsets = o;
        uint32_t *l = o ? realloc(in->lens, nc * sizeof *l) : NULL;
        if (!l)
            return NOMEM();
        in->lens = l;
        in->cap = nc;
    }
    if (in->slen + (size_t)len + 1 > in->scap) {
        size_t nc = in->scap ? in->scap * 2 : 1 << 16;
        while (nc < in->slen + (size_t)len + 1)
            nc *= 2;
        char *s = realloc(in->strings, nc);
        if (!s)
            return NOMEM();
        in->strings = s;
        in->scap = nc;
    }
    memcpy(in->strings + in->slen, tok, (size_t)len);
    in->strings[in->slen + (size_t)len] = '\0';
    in->offsets[in->n] = (uint32_t)in->slen;
    in->lens[in->n] = (uint32_t)len;
    in->slen += (size_t)len + 1;
    in->slots[at] = in->n + 1;
    *id = in->n++;
    return CAIRN_OK;
}

static void intern_release(intern *in)
{
    free(in->strings);
    free(in->offsets);
    free(in->lens);
    free(in->slots);
}

/* ---- reading the chunks ---- */

/* One distinct token of one chunk: which, how often, and where it stood
 * (a bit per side). */
typedef struct occ {
    uint32_t id;
    uint32_t tf : 24;
    uint32_t sides : 8;
} occ;

typedef struct corpus {
    intern vocab;
    occ *occs;          /* every chunk's tokens, chunk after chunk */
    size_t nocc, capocc;
    size_t *start;      /* chunk i: occs[start[i] .. start[i + 1]) */
    uint64_t *hash;     /* chunk i's embedding text */
    unsigned char *prose;
    size_t nchunks, capchunks;
    tok_tokenizer *tok;
    buf text;
    uint32_t *where;    /* per token id: its place in the current chunk + 1 */
    uint32_t capwhere;
    embed_local_stop_fn stop;
    void *stop_ctx;
} corpus;

static int grow(void **p, size_t *cap, size_t need, size_t elem, size_t first)
{
    if (need <= *cap)
        return CAIRN_OK;
    size_t nc = *cap ? *cap : first;
    while (nc < need)
        nc *= 2;
    void *q = realloc(*p, nc * elem);
    if (!q)
        return NOMEM();
    *p = q;
    *cap = nc;
    return CAIRN_OK;
}

static int on_token(void *ctx, int side, const char *tok, int len)
{
    corpus *c = ctx;
    uint32_t id = 0;
    int rc = intern_add(&c->vocab, tok, len, &id);
    if (rc)
        return rc;
    if (id >= c->capwhere) {
        uint32_t nc = c->capwhere ? c->capwhere : 4096;
        while (nc <= id)
            nc *= 2;
        uint32_t *w = realloc(c->where, nc * sizeof *w);
        if (!w)
            return NOMEM();
        memset(w + c->capwhere, 0, (nc - c->capwhere) * sizeof *w);
        c->where = w;
        c->capwhere = nc;
    }
    if (c->where[id]) {
        occ *o = &c->occs[c->where[id] - 1];
        if (o->tf < 0xffffff)
            o->tf++;
        o->sides |= 1u << side;
        return CAIRN_OK;
    }
    if ((rc = grow((void **)&c->occs, &c->capocc, c->nocc + 1, sizeof *c->occs, 1 << 16)))
        return rc;
    c->occs[c->nocc] = (occ){id, 1, 1u << side};
    c->where[id] = (uint32_t)++c->nocc;
    return CAIRN_OK;
}

static int on_chunk(void *ctx, const embcache_chunk *ch)
{
    corpus *c = ctx;
    if (c->stop && c->nchunks % 256 == 0 && c->stop(c->stop_ctx))
        return err_set(CAIRN_ERR_CANCELLED, "training the local embedder: stopped");
    if (c->nchunks + 2 > c->capchunks) {
        size_t nc = c->capchunks ? c->capchunks * 2 : 4096;
        size_t *st = realloc(c->start, nc * sizeof *st);
        if (!st)
            return NOMEM();
        c->start = st;
        uint64_t *h = realloc(c->hash, nc * sizeof *h);
        if (!h)
            return NOMEM();
        c->hash = h;
        unsigned char *pr = realloc(c->prose, nc);
        if (!pr)
            return NOMEM();
        c->prose = pr;
        c->capchunks = nc;
    }
    buf_clear(&c->text);
    int rc;
    if ((rc = embed_chunk_text(&c->text, ch->path, ch->symbol, ch->context, ch->text,
                               ch->text_len)))
        return rc;
    size_t first = c->nocc;
    int prose = 0;
    c->start[c->nchunks] = first;
    rc = embed_local_chunk_tokens(c->tok, buf_str(&c->text), c->text.len, c, on_token, &prose);
    for (size_t i = first; i < c->nocc; i++)
        c->where[c->occs[i].id] = 0;
    if (rc)
        return rc;
    c->hash[c->nchunks] = XXH3_64bits(c->text.data, c->text.len);
    c->prose[c->nchunks] = (unsigned char)prose;
    c->start[++c->nchunks] = c->nocc;
    return CAIRN_OK;
}

static void corpus_release(corpus *c)
{
    intern_release(&c->vocab);
    free(c->occs);
    free(c->start);
    free(c->hash);
    free(c->prose);
    free(c->where);
    tok_free(c->tok);
    buf_release(&c->text);
}

static int corpus_read(store *s, corpus *c)
{
    int rc = tok_new(&c->tok);
    if (rc)
        return rc;
    buf_init(&c->text, 0);
    int64_t *ids = NULL;
    size_t n = 0;
    /* No embedder is "local" with an empty model name, so every chunk
     * still lacks a vector under that name: this lists them all. */
    if ((rc = embcache_unembedded(s, "local", "", &ids, &n)))
        return rc;
    rc = embcache_chunks_each(s, ids, n, on_chunk, c);
    free(ids);
    if (!rc && !c->start && (c->start = calloc(1, sizeof *c->start)) == NULL)
        rc = NOMEM();
    return rc;
}

/* ---- the vocabulary ---- */

typedef struct vocab_order {
    const intern *vocab;
    const uint32_t *df;
} vocab_order;

static int cmp_by_df(const void *a, const void *b, void *ctx)
{
    const vocab_order *o = ctx;
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    if (o->df[x] != o->df[y])
        return o->df[x] < o->df[y] ? 1 : -1;
    return strcmp(o->vocab->strings + o->vocab->offsets[x],
                  o->vocab->strings + o->vocab->offsets[y]);
}

static int cmp_by_bytes(const void *a, const void *b, void *ctx)
{
    const vocab_order *o = ctx;
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return strcmp(o->vocab->strings + o->vocab->offsets[x],
                  o->vocab->strings + o->vocab->offsets[y]);
}

/* Keep the tokens in min_df chunks or more that are not function words
 * (checked here once per token rather than per occurrence), the
 * EMBED_LOCAL_MAX_VOCAB most frequent of them, numbered in byte order: rank[old id] is the model id,
 * UINT32_MAX for a token left out.  Fills m's strings and idf. */
static int make_vocab(const corpus *c, const uint32_t *df, const embed_local_params *p,
                      uint32_t *rank, embed_local_model *m)
{
    uint32_t V = c->vocab.n, n = 0;
    uint32_t *order = malloc((V ? V : 1) * sizeof *order);
    if (!order)
        return NOMEM();
    for (uint32_t i = 0; i < V; i++) {
        rank[i] = UINT32_MAX;
        if (df[i] >= (uint32_t)p->min_df &&
            !embed_local_stopword(c->vocab.strings + c->vocab.offsets[i], c->vocab.lens[i]))
            order[n++] = i;
    }
    vocab_order vo = {&c->vocab, df};
    qsort_r(order, n, sizeof *order, cmp_by_df, &vo);
    if (n > EMBED_LOCAL_MAX_VOCAB)
        n = EMBED_LOCAL_MAX_VOCAB;
    qsort_r(order, n, sizeof *order, cmp_by_bytes, &vo);
    size_t slen = 0;
    for (uint32_t i = 0; i < n; i++)
        slen += c->vocab.lens[order[i]] + 1;
    m->nvocab = n;
    m->strings_len = slen;
    m->strings = malloc(slen ? slen : 1);
    m->idf = malloc((n ? n : 1) * sizeof *m->idf);
    if (!m->strings || !m->idf) {
        free(order);
        return NOMEM();
    }
    double N = (double)c->nchunks;
    for (uint32_t i = 0, at = 0; i < n; i++) {
        uint32_t id = order[i];
        rank[id] = i;
        memcpy(m->strings + at, c->vocab.strings + c->vocab.offsets[id], c->vocab.lens[id] + 1);
        at += c->vocab.lens[id] + 1;
        double d = df[id];
        m->idf[i] = (float)log(1.0 + (N - d + 0.5) / (d + 0.5));
    }
    free(order);
    return CAIRN_OK;
}

/* ---- the association ---- */

/* Which sides of a chunk are its words (what describes) and which its
 * tokens (what is described). */
static unsigned words_mask(int prose)
{
    return prose ? (1u << EMBED_LOCAL_HEADING) | (1u << EMBED_LOCAL_NAME)
                 : 1u << EMBED_LOCAL_WORDS;
}

static unsigned tokens_mask(int prose)
{
    return prose ? 1u << EMBED_LOCAL_WORDS : 0xffu;
}

typedef struct cell {
    uint32_t col;
    float v;
} cell;

/* Stronger first; ties by column, so the choice never depends on order. */
static int stronger(const cell *x, const cell *y)
{
    return x->v != y->v ? x->v > y->v : x->col < y->col;
}

/* Put the k strongest cells of row[0, n) first (in no particular order):
 * quickselect around the middle element. */
static void select_top(cell *row, uint32_t n, uint32_t k)
{
    uint32_t lo = 0, hi = n;
    while (hi - lo > 1) {
        cell pivot = row[lo + (hi - lo) / 2];
        uint32_t i = lo, j = hi - 1;
        while (i <= j) {
            while (stronger(&row[i], &pivot))
                i++;
            while (stronger(&pivot, &row[j]))
                j--;
            if (i <= j) {
                cell t = row[i];
                row[i] = row[j];
                row[j] = t;
                i++;
                if (j == 0)
                    break;
                j--;
            }
        }
        if (k <= j)
            hi = j + 1;
        else if (k >= i)
            lo = i;
        else
            return;
    }
}

/* The word x token PPMI matrix, top_k per word, over the model's tokens.
 * c's occurrences carry model ids by now; left-out tokens have been
 * dropped and ubiquitous ones (keep[id] 0) are skipped. */
static int associate(const corpus *c, const size_t *order, const unsigned char *keep,
                     uint32_t V, const embed_local_params *p, embed_local_csr *mat)
{
    size_t N = c->nchunks;
    uint32_t *nwords = calloc(N ? N : 1, sizeof *nwords), *ntoks = calloc(N ? N : 1, sizeof *ntoks);
    double *cw = calloc(V ? V : 1, sizeof *cw), *ct = calloc(V ? V : 1, sizeof *ct);
    size_t *post_start = calloc((size_t)V + 1, sizeof *post_start);
    uint32_t *post = NULL, *seen = malloc((V ? V : 1) * sizeof *seen);
    double *acc = calloc(V ? V : 1, sizeof *acc);
    cell *row = malloc((V ? V : 1) * sizeof *row);
    int rc = CAIRN_OK;
    if (!nwords || !ntoks || !cw || !ct || !post_start || !seen || !acc || !row) {
        rc = NOMEM();
        goto out;
    }
    /* Per example: its numbers of words and tokens; per word and token,
     * the marginal counts of the pairs it is in. */
    double total = 0;
    for (size_t ch = 0; ch < N; ch++) {
        unsigned wm = words_mask(c->prose[ch]), tm = tokens_mask(c->prose[ch]);
        for (size_t i = c->start[ch]; i < c->start[ch + 1]; i++) {
            if (!keep[c->occs[i].id])
                continue;
            nwords[ch] += (c->occs[i].sides & wm) != 0;
            ntoks[ch] += (c->occs[i].sides & tm) != 0;
        }
        if (!nwords[ch] || !ntoks[ch])
            continue;
        total += (double)nwords[ch] * ntoks[ch];
        for (size_t i = c->start[ch]; i < c->start[ch + 1]; i++) {
            uint32_t t = c->occs[i].id;
            if (!keep[t])
                continue;
            if (c->occs[i].sides & wm) {
                cw[t] += ntoks[ch];
                post_start[t + 1]++;
            }
            if (c->occs[i].sides & tm)
                ct[t] += nwords[ch];
        }
    }
    /* ct becomes the smoothed count ct^cds. */
    double ctsum = 0;
    for (uint32_t t = 0; t < V; t++)
        ctsum += (ct[t] = pow(ct[t], p->cds));
    /* Postings: the examples each word describes. */
    for (uint32_t w = 0; w < V; w++)
        post_start[w + 1] += post_start[w];
    if (!(post = malloc((post_start[V] ? post_start[V] : 1) * sizeof *post))) {
        rc = NOMEM();
        goto out;
    }
    /* In the chunks' canonical order, so that each row's cells come in an
     * order that does not depend on how the index numbered its chunks. */
    for (size_t k = 0; k < N; k++) {
        size_t ch = order[k];
        if (!nwords[ch] || !ntoks[ch])
            continue;
        unsigned wm = words_mask(c->prose[ch]);
        for (size_t i = c->start[ch]; i < c->start[ch + 1]; i++)
            if (keep[c->occs[i].id] && (c->occs[i].sides & wm))
                post[post_start[c->occs[i].id]++] = (uint32_t)ch;
    }
    for (uint32_t w = V; w > 0; w--)
        post_start[w] = post_start[w - 1];
    post_start[0] = 0;
    size_t cap = (size_t)V * (size_t)p->top_k;
    if ((rc = embed_local_csr_init(mat, V, V, cap < ((size_t)1 << 22) ? cap : ((size_t)1 << 22))))
        goto out;
    for (uint32_t w = 0; w < V && !rc; w++) {
        uint32_t nseen = 0;
        for (size_t k = post_start[w]; k < post_start[w + 1]; k++) {
            size_t ch = post[k];
            unsigned tm = tokens_mask(c->prose[ch]);
            for (size_t i = c->start[ch]; i < c->start[ch + 1]; i++) {
                uint32_t t = c->occs[i].id;
                if (!keep[t] || !(c->occs[i].sides & tm))
                    continue;
                if (acc[t] == 0)
                    seen[nseen++] = t;
                acc[t] += 1;
            }
        }
        /* PMI(w, t) = log P(w, t) / (P(w) P_cds(t)) */
        uint32_t nrow = 0;
        for (uint32_t k = 0; k < nseen; k++) {
            uint32_t t = seen[k];
            double pmi = log(acc[t] * ctsum / (cw[w] * ct[t]));
            acc[t] = 0;
            if (pmi > 0)
                row[nrow++] = (cell){t, (float)pmi};
        }
        if (nrow > (uint32_t)p->top_k) {
            select_top(row, nrow, (uint32_t)p->top_k);
            nrow = (uint32_t)p->top_k;
        }
        for (uint32_t k = 0; k < nrow && !rc; k++)
            rc = embed_local_csr_push(mat, row[k].col, row[k].v);
        if (!rc)
            rc = embed_local_csr_end_row(mat);
    }
out:
    free(nwords);
    free(ntoks);
    free(cw);
    free(ct);
    free(post_start);
    free(post);
    free(seen);
    free(acc);
    free(row);
    return rc;
}

/* ---- bags ---- */

void embed_local_bags_release(embed_local_bags *b)
{
    if (!b)
        return;
    free(b->hashes);
    free(b->start);
    free(b->ids);
    free(b->tf);
    memset(b, 0, sizeof *b);
}

int embed_local_bags_find(const embed_local_bags *b, uint64_t h, size_t *at)
{
    size_t lo = 0, hi = b->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (b->hashes[mid] < h)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < b->n && b->hashes[lo] == h) {
        *at = lo;
        return 1;
    }
    return 0;
}

static int cmp_by_hash(const void *a, const void *b, void *ctx)
{
    const uint64_t *hash = ctx;
    uint64_t x = hash[*(const size_t *)a], y = hash[*(const size_t *)b];
    return (x > y) - (x < y);
}

/* The chunks' bags, by the hash of their text (one per distinct text);
 * order lists the chunks by hash. */
static int make_bags(const corpus *c, const size_t *order, embed_local_bags *b)
{
    size_t N = c->nchunks;
    b->hashes = malloc((N ? N : 1) * sizeof *b->hashes);
    b->start = malloc((N + 1) * sizeof *b->start);
    b->ids = malloc((c->start[N] ? c->start[N] : 1) * sizeof *b->ids);
    b->tf = malloc((c->start[N] ? c->start[N] : 1) * sizeof *b->tf);
    if (!b->hashes || !b->start || !b->ids || !b->tf) {
        embed_local_bags_release(b);
        return NOMEM();
    }
    size_t at = 0;
    b->start[0] = 0;
    for (size_t k = 0; k < N; k++) {
        size_t ch = order[k];
        if (b->n && b->hashes[b->n - 1] == c->hash[ch])
            continue;
        for (size_t i = c->start[ch]; i < c->start[ch + 1]; i++) {
            b->ids[at] = c->occs[i].id;
            b->tf[at++] = c->occs[i].tf;
        }
        b->hashes[b->n++] = c->hash[ch];
        b->start[b->n] = at;
    }
    return CAIRN_OK;
}

/* ---- training ---- */

int embed_local_train(store *s, const embed_local_params *p, embed_local_stop_fn stop,
                      void *stop_ctx, embed_local_model **out, embed_local_bags *bags)
{
    *out = NULL;
    if (bags)
        memset(bags, 0, sizeof *bags);
    corpus c;
    memset(&c, 0, sizeof c);
    c.stop = stop;
    c.stop_ctx = stop_ctx;
    embed_local_model *m = calloc(1, sizeof *m);
    uint32_t *df = NULL, *rank = NULL;
    unsigned char *keep = NULL;
    size_t *order = NULL;
    embed_local_csr mat;
    memset(&mat, 0, sizeof mat);
    embed_local_svd svd;
    memset(&svd, 0, sizeof svd);
    int rc = m ? corpus_read(s, &c) : NOMEM();
    if (rc)
        goto out;
    uint32_t V0 = c.vocab.n;
    size_t N = c.nchunks;
    df = calloc(V0 ? V0 : 1, sizeof *df);
    rank = malloc((V0 ? V0 : 1) * sizeof *rank);
    if (!df || !rank) {
        rc = NOMEM();
        goto out;
    }
    for (size_t i = 0; i < c.nocc; i++)
        df[c.occs[i].id]++;
    m->dim = p->dim;
    m->chunks = (int64_t)N;
    if ((rc = make_vocab(&c, df, p, rank, m)))
        goto out;
    uint32_t V = m->nvocab;
    /* Occurrences in model ids, tokens left out dropped. */
    size_t w = 0;
    for (size_t ch = 0; ch < N; ch++) {
        size_t from = c.start[ch], to = c.start[ch + 1];
        c.start[ch] = w;
        for (size_t i = from; i < to; i++) {
            if (rank[c.occs[i].id] == UINT32_MAX)
                continue;
            c.occs[w] = c.occs[i];
            c.occs[w++].id = rank[c.occs[i].id];
        }
    }
    c.start[N] = w;
    keep = malloc(V ? V : 1);
    order = malloc((N ? N : 1) * sizeof *order);
    if (!keep || !order) {
        rc = NOMEM();
        goto out;
    }
    double maxdf = p->max_df * (double)N;
    for (uint32_t i = 0; i < V0; i++)
        if (rank[i] != UINT32_MAX)
            keep[rank[i]] = (double)df[i] <= maxdf || df[i] <= 2;
    /* The chunks by the hash of their text: an order of their own. */
    for (size_t i = 0; i < N; i++)
        order[i] = i;
    qsort_r(order, N, sizeof *order, cmp_by_hash, c.hash);
    if (stop && stop(stop_ctx)) {
        rc = err_set(CAIRN_ERR_CANCELLED, "training the local embedder: stopped");
        goto out;
    }
    if ((rc = associate(&c, order, keep, V, p, &mat)) || (rc = embed_local_svd_sparse(&mat, p->dim, p->iters, &svd)))
        goto out;
    m->vec = calloc((size_t)(V ? V : 1) * (size_t)p->dim, sizeof *m->vec);
    if (!m->vec) {
        rc = NOMEM();
        goto out;
    }
    double scale[EMBED_LOCAL_MAX_DIM];
    for (int d = 0; d < svd.rank; d++)
        scale[d] = pow(svd.s[d], p->eig_power);
    for (uint32_t t = 0; t < V; t++)
        for (int d = 0; d < svd.rank; d++)
            m->vec[(size_t)t * (size_t)p->dim + (size_t)d] =
                (float)(svd.v[(size_t)t * (size_t)svd.rank + (size_t)d] * scale[d]);
    if ((rc = embed_local_model_finish(m)))
        goto out;
    if (bags && (rc = make_bags(&c, order, bags)))
        goto out;
    *out = m;
    m = NULL;
out:
    embed_local_model_free(m);
    corpus_release(&c);
    free(df);
    free(rank);
    free(keep);
    free(order);
    embed_local_csr_release(&mat);
    embed_local_svd_release(&svd);
    return rc;
}
