/*
 * quote.c — the exact sentences of the best chunks that answer a query.
 */
#include "query/quote.h"
#include "query/terms.h"
#include "store/docs.h"
#include "store/fts.h"
#include "store/tokenize.h"
#include "util/buf.h"
#include "util/err.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define CHUNKS_PER_K 10
#define MIN_CHUNKS 50
#define MAX_QTERMS 64 /* query terms tracked per unit (a 64-bit mask) */
#define MAX_UNITS 512 /* units per chunk */

typedef struct unit {
    size_t a, b;   /* bytes [a, b) of the chunk text */
    uint64_t mask; /* query terms it contains */
} unit;

typedef struct cand {
    size_t hit;    /* index into the ranked chunks */
    int64_t file_id;
    size_t a, b;   /* the quote within the chunk text */
    int start_line, end_line;
    double score;
    char *text;
} cand;

void quote_hits_free(quote_hit *hits, size_t n)
{
    if (!hits)
        return;
    for (size_t i = 0; i < n; i++) {
        free(hits[i].text);
        free(hits[i].root);
        free(hits[i].path);
        free(hits[i].title);
        free(hits[i].date);
        free(hits[i].context);
    }
    free(hits);
}

/* ---- cutting a chunk into units --------------------------------------- */

typedef struct cutter {
    const char *t;
    size_t n;
    unit *u;
    size_t nu;
} cutter;

static int is_hs(char c) { return c == ' ' || c == '\t'; }
static int is_ws(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

/* Add [a, b) trimmed, cut into pieces of at most QUOTE_MAX_BYTES at
 * blanks (line breaks preferred) when longer. */
static void add_unit(cutter *c, size_t a, size_t b)
{
    while (a < b && is_ws(c->t[a]))
        a++;
    while (b > a && is_ws(c->t[b - 1]))
        b--;
    while (a < b && c->nu < MAX_UNITS) {
        size_t e = b;
        if (b - a > QUOTE_MAX_BYTES) {
            size_t limit = a + QUOTE_MAX_BYTES, nl = 0, sp = 0;
            for (size_t k = limit; k > a + QUOTE_MAX_BYTES / 2; k--) {
                if (!nl && c->t[k] == '\n')
                    nl = k;
                if (!sp && is_hs(c->t[k]))
                    sp = k;
            }
            e = nl ? nl : sp ? sp : limit;
            while (e > a && ((unsigned char)c->t[e] & 0xC0) == 0x80)
                e--; /* never inside a character */
            if (e == a)
                e = b;
        }
        size_t tb = e;
        while (tb > a && is_ws(c->t[tb - 1]))
            tb--;
        c->u[c->nu++] = (unit){a, tb, 0};
        a = e;
        while (a < b && is_ws(c->t[a]))
            a++;
    }
}

/* Sentences of the paragraph [a, b): a break follows . ! or ? (and any
 * closing quote, bracket or emphasis) before a blank, unless the next word
 * starts in lower case ("e.g. this"). */
static void sentences(cutter *c, size_t a, size_t b)
{
    size_t s = a;
    for (size_t i = a; i < b; i++) {
        char ch = c->t[i];
        if (ch != '.' && ch != '!' && ch != '?')
            continue;
        size_t j = i + 1;
        while (j < b && strchr(")\"'*_]", c->t[j]))
            j++;
        if (j < b && ((unsigned char)c->t[j] == 0xE2) && j + 2 < b) /* ” ’ */
            j += 3;
        if (j >= b || !is_ws(c->t[j]))
            continue;
        size_t k = j;
        while (k < b && is_ws(c->t[k]))
            k++;
        if (k < b && c->t[k] >= 'a' && c->t[k] <= 'z')
            continue;
        add_unit(c, s, j);
        s = k;
        i = k > 0 ? k - 1 : k;
    }
    add_unit(c, s, b);
}

static size_t line_end(const char *t, size_t n, size_t i)
{
    while (i < n && t[i] != '\n' && t[i] != '\r')
        i++;
    return i;
}

static size_t next_line(const char *t, size_t n, size_t e)
{
    if (e < n && t[e] == '\r')
        e++;
    if (e < n && t[e] == '\n')
        e++;
    return e;
}

/* Length of a list marker ("- ", "* ", "+ ", "1. ", "2) ") at s, or 0. */
static size_t list_marker(const char *s, size_t n)
{
    if (n >= 2 && (s[0] == '-' || s[0] == '*' || s[0] == '+') && is_hs(s[1]))
        return 2;
    size_t d = 0;
    while (d < n && d < 9 && s[d] >= '0' && s[d] <= '9')
        d++;
    return d && d + 1 < n && (s[d] == '.' || s[d] == ')') && is_hs(s[d + 1]) ? d + 2 : 0;
}

static int fence(const char *s, size_t n, char *ch)
{
    if (n < 3 || (s[0] != '`' && s[0] != '~') || s[1] != s[0] || s[2] != s[0])
        return 0;
    *ch = s[0];
    return 1;
}

static void cut_units(cutter *c)
{
    const char *t = c->t;
    size_t i = 0, para = SIZE_MAX;
    int item = 0; /* the open paragraph is a list item (or an org heading) */
    while (i < c->n) {
        size_t e = line_end(t, c->n, i), f = i;
        while (f < e && is_hs(t[f]))
            f++;
        char fc;
        size_t m = 0;
        /* An item goes on over indented lines only: "* Heading" in Org
         * and a list item followed by a paragraph stay apart. */
        if (item && f == i && f < e && para != SIZE_MAX) {
            sentences(c, para, i);
            para = SIZE_MAX;
        }
        if (f == e || (f < e && t[f] == '#' && f - i <= 3) || (f < e && t[f] == '|') ||
            fence(t + f, e - f, &fc) || (m = list_marker(t + f, e - f))) {
            if (para != SIZE_MAX)
                sentences(c, para, i);
            para = SIZE_MAX;
            if (f < e && t[f] == '|') {
                add_unit(c, f, e);
            } else if (f < e && fence(t + f, e - f, &fc)) {
                size_t j = next_line(t, c->n, e), close = c->n;
                while (j < c->n) {
                    size_t je = line_end(t, c->n, j), jf = j;
                    while (jf < je && is_hs(t[jf]))
                        jf++;
                    char cc;
                    if (fence(t + jf, je - jf, &cc) && cc == fc) {
                        close = je;
                        break;
                    }
                    j = next_line(t, c->n, je);
                }
                add_unit(c, f, close);
                e = close;
            } else if (f < e && t[f] != '#') {
                para = f + m; /* a list item: its text, without the marker */
                item = 1;
            }
        } else if (para == SIZE_MAX) {
            para = t[f] == '>' ? f + 1 : f;
            item = 0;
        }
        i = next_line(t, c->n, e);
    }
    if (para != SIZE_MAX)
        sentences(c, para, c->n);
}

/* ---- scoring ---------------------------------------------------------- */

typedef struct scorer {
    const terms *q;
    uint64_t mask;
} scorer;

static int on_token(void *ctx, int flags, const char *token, int len, int start, int end)
{
    (void)flags;
    (void)start;
    (void)end;
    scorer *sc = ctx;
    for (size_t i = 0; i < sc->q->n && i < MAX_QTERMS; i++)
        if ((int)strlen(sc->q->v[i].token) == len && memcmp(sc->q->v[i].token, token, (size_t)len) == 0)
            sc->mask |= (uint64_t)1 << i;
    return 0;
}

static double mask_weight(const terms *q, uint64_t mask)
{
    double w = 0;
    for (size_t i = 0; i < q->n && i < MAX_QTERMS; i++)
        if (mask & ((uint64_t)1 << i))
            w += q->v[i].idf;
    return w;
}

static int lines_before(const char *t, size_t off)
{
    int n = 0;
    for (size_t i = 0; i < off; i++)
        if (t[i] == '\n' || (t[i] == '\r' && t[i + 1] != '\n'))
            n++;
    return n;
}

/* The best run of units in chunk text t; fills c (a, b, lines, score
 * share).  Returns 1, 0 when no unit holds a query term, or <0 when the
 * tokenizer fails. */
static int best_run(tok_tokenizer *tk, const terms *q, double total, const store_doc_chunk *ch,
                    unit *u, cand *c, double chunk_score)
{
    cutter cu = {.t = ch->text, .n = strlen(ch->text), .u = u};
    cut_units(&cu);
    for (size_t i = 0; i < cu.nu; i++) {
        scorer sc = {.q = q};
        int rc = tok_run(tk, ch->text + u[i].a, (int)(u[i].b - u[i].a), &sc, on_token);
        if (rc < 0)
            return rc;
        u[i].mask = sc.mask;
    }
    double best = 0;
    size_t ba = 0, bb = 0;
    for (size_t i = 0; i < cu.nu; i++) {
        uint64_t mask = 0;
        for (size_t j = i; j < cu.nu && j < i + QUOTE_MAX_UNITS; j++) {
            if (j > i && u[j].b - u[i].a > QUOTE_MAX_BYTES)
                break;
            mask |= u[j].mask;
            double w = mask_weight(q, mask);
            size_t len = u[j].b - u[i].a;
            if (w > best || (w == best && w > 0 && len < bb - ba)) {
                best = w;
                ba = u[i].a;
                bb = u[j].b;
            }
        }
    }
    if (best <= 0)
        return 0;
    c->a = ba;
    c->b = bb;
    c->start_line = ch->start_line + lines_before(ch->text, ba);
    c->end_line = ch->start_line + lines_before(ch->text, bb > ba ? bb - 1 : ba);
    c->score = chunk_score * (0.3 + 0.7 * best / total);
    return 1;
}

static int by_score(const void *x, const void *y)
{
    const cand *a = x, *b = y;
    if (a->score != b->score)
        return a->score < b->score ? 1 : -1;
    return a->hit < b->hit ? -1 : a->hit > b->hit;
}

static int fill(store *s, const cand *c, const store_doc_hit *h, quote_hit *out)
{
    store_doc_row row;
    int rc = store_doc_get(s, c->file_id, &row);
    if (rc)
        return rc;
    out->root = row.root;
    out->path = row.path;
    out->title = row.title ? row.title : strdup(row.path);
    out->date = row.date;
    row.root = row.path = row.title = row.date = NULL;
    store_doc_row_release(&row);
    out->start_line = c->start_line;
    out->end_line = c->end_line;
    out->score = c->score;
    store_doc_chunk ch;
    if (!out->title || (rc = store_doc_chunk_get(s, h->chunk_id, &ch)))
        return rc ? rc : err_set(CAIRN_ERR_NOMEM, "out of memory reading a quote");
    out->context = ch.context;
    ch.context = NULL;
    out->text = strndup(ch.text + c->a, c->b - c->a);
    store_doc_chunk_release(&ch);
    return out->text ? CAIRN_OK : err_set(CAIRN_ERR_NOMEM, "out of memory copying a quote");
}

int quote_run(store *s, const quote_opts *o, quote_hit **hits, size_t *n)
{
    *hits = NULL;
    *n = 0;
    int k = o->k ? o->k : QUOTE_DEFAULT_K;
    if (k < 1 || k > QUOTE_MAX_K)
        return err_set(CAIRN_ERR_INVALID, "k must be between 1 and %d, not %d", QUOTE_MAX_K, k);
    if (!o->query)
        return err_set(CAIRN_ERR_INVALID, "no query given");
    terms q;
    terms_init(&q);
    buf match;
    buf_init(&match, 0);
    tok_tokenizer *tk = NULL;
    store_doc_hit *ranked = NULL;
    size_t nranked = 0, ncand = 0, nout = 0;
    cand *cands = NULL;
    unit *units = NULL;
    quote_hit *out = NULL;
    int rc = fts_query_build(o->query, &match);
    if (!rc)
        rc = terms_collect(&q, o->query, strlen(o->query));
    if (!rc)
        rc = terms_weigh(&q, s, 0);
    if (!rc)
        rc = tok_new(&tk);
    int limit = k * CHUNKS_PER_K > MIN_CHUNKS ? k * CHUNKS_PER_K : MIN_CHUNKS;
    if (!rc)
        rc = store_doc_rank(s, buf_str(&match), 0, limit, &ranked, &nranked);
    if (!rc && nranked && (!(cands = calloc(nranked, sizeof *cands)) ||
                           !(units = malloc(MAX_UNITS * sizeof *units))))
        rc = err_set(CAIRN_ERR_NOMEM, "out of memory choosing quotes");
    double total = mask_weight(&q, UINT64_MAX);
    for (size_t i = 0; !rc && i < nranked && total > 0; i++) {
        store_doc_chunk ch;
        if ((rc = store_doc_chunk_get(s, ranked[i].chunk_id, &ch)))
            break;
        cand *c = &cands[ncand];
        c->hit = i;
        c->file_id = ranked[i].file_id;
        int found = best_run(tk, &q, total, &ch, units, c, ranked[i].score);
        store_doc_chunk_release(&ch);
        if (found < 0)
            rc = found;
        else
            ncand += (size_t)found;
    }
    if (!rc && ncand) {
        qsort(cands, ncand, sizeof *cands, by_score);
        if (!(out = calloc((size_t)k, sizeof *out)))
            rc = err_set(CAIRN_ERR_NOMEM, "out of memory choosing quotes");
    }
    for (size_t i = 0; !rc && i < ncand && nout < (size_t)k; i++) {
        int seen = 0;
        for (size_t j = 0; j < i && !seen; j++)
            seen = cands[j].file_id == cands[i].file_id;
        if (seen)
            continue;
        rc = fill(s, &cands[i], &ranked[cands[i].hit], &out[nout]);
        nout++;
    }
    free(units);
    free(cands);
    free(ranked);
    tok_free(tk);
    buf_release(&match);
    terms_release(&q);
    if (rc) {
        quote_hits_free(out, nout);
        return rc;
    }
    *hits = out;
    *n = nout;
    return CAIRN_OK;
}
