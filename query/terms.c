/*
 * terms.c — distinctive words of a text, weighed by tf-idf against the
 * index.
 */
#include "query/terms.h"
#include "store/docs.h"
#include "store/tokenize.h"
#include "util/err.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <xxhash.h>

#define SLOTS (TERMS_MAX * 2) /* open-addressing table over terms.v */

/* Function words of English (and the pieces contractions leave: I've ->
 * "ve"): a page pasted as a query is mostly these.  Sorted. */
static const char *const stopwords[] = {
    "a", "about", "above", "after", "again", "against", "all", "also", "am", "an", "and", "any",
    "are", "aren", "as", "at", "be", "because", "been", "before", "being", "below", "between",
    "both", "but", "by", "can", "could", "couldn", "did", "didn", "do", "does", "doesn",
    "doing", "don", "done", "down", "during", "each", "even", "ever", "every", "few", "for",
    "from", "further", "get", "got", "had", "has", "hasn", "have", "haven", "having", "he",
    "her", "here", "hers", "him", "his", "how", "however", "i", "if", "in", "into", "is", "isn",
    "it", "its", "itself", "just", "let", "like", "ll", "may", "me", "might", "more", "most",
    "much", "must", "my", "no", "nor", "not", "now", "of", "off", "on", "once", "one", "only",
    "or", "other", "our", "ours", "out", "over", "own", "quite", "rather", "re", "really",
    "same", "she", "should", "shouldn", "since", "so", "some", "still", "such", "than", "that",
    "the", "their", "theirs", "them", "then", "there", "these", "they", "thing", "things",
    "this", "those", "through", "to", "too", "under", "until", "up", "us", "use", "used",
    "using", "ve", "very", "want", "was", "wasn", "way", "we", "well", "were", "what", "when",
    "where", "whether", "which", "while", "who", "whom", "why", "will", "with", "within",
    "without", "won", "would", "wouldn", "yet", "you", "your", "yours",
};

static int terms_stopword(const char *w, size_t n)
{
    size_t lo = 0, hi = sizeof stopwords / sizeof *stopwords;
    char low[16];
    if (n >= sizeof low)
        return 0;
    for (size_t i = 0; i < n; i++)
        low[i] = (char)(w[i] >= 'A' && w[i] <= 'Z' ? w[i] - 'A' + 'a' : w[i]);
    low[n] = '\0';
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(stopwords[mid], low);
        if (c == 0)
            return 1;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return 0;
}

void terms_init(terms *t) { memset(t, 0, sizeof *t); }

void terms_release(terms *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->n; i++) {
        free(t->v[i].token);
        free(t->v[i].surface);
    }
    free(t->v);
    terms_init(t);
}

typedef struct first_token {
    char *out;
    int have_part, have_whole;
} first_token;

/* The word's first part, replaced by the whole-word token colocated with
 * it when the word has several parts. */
static int on_token(void *ctx, int flags, const char *token, int len, int start, int end)
{
    (void)start;
    (void)end;
    first_token *f = ctx;
    if (len > TOK_MAX_TOKEN)
        len = TOK_MAX_TOKEN;
    if (!f->have_part && !(flags & TOK_COLOCATED)) {
        memcpy(f->out, token, (size_t)len);
        f->out[len] = '\0';
        f->have_part = 1;
        return 0;
    }
    if (f->have_part && (flags & TOK_COLOCATED)) {
        memcpy(f->out, token, (size_t)len);
        f->out[len] = '\0';
        f->have_whole = 1;
    }
    return 1; /* the rest of the word adds nothing */
}

/* The index token of the word w[0, n) into out (TOK_MAX_TOKEN + 1
 * bytes), "" when the word yields none. */
static int terms_token(tok_tokenizer *tk, const char *w, int n, char *out)
{
    first_token f = {.out = out};
    out[0] = '\0';
    int rc = tok_run(tk, w, n, &f, on_token);
    return rc < 0 ? rc : CAIRN_OK;
}

static int keep_word(const char *w, size_t n)
{
    if (n < 2 || n > TOK_MAX_TOKEN || terms_stopword(w, n))
        return 0;
    size_t digits = 0;
    for (size_t i = 0; i < n; i++)
        digits += w[i] >= '0' && w[i] <= '9';
    return digits == 0 || (digits < n && n <= TERMS_MAX_CODE);
}

int terms_collect(terms *t, const char *text, size_t len)
{
    if (len > TERMS_MAX_TEXT)
        len = TERMS_MAX_TEXT;
    tok_tokenizer *tk;
    int rc = tok_new(&tk);
    if (rc)
        return rc;
    int *slot = malloc(SLOTS * sizeof *slot);
    if (!slot) {
        tok_free(tk);
        return err_set(CAIRN_ERR_NOMEM, "out of memory collecting terms");
    }
    for (size_t i = 0; i < SLOTS; i++)
        slot[i] = -1;
    for (size_t i = 0; i < t->n; i++) { /* terms already collected stay keys */
        size_t h = (size_t)XXH3_64bits(t->v[i].token, strlen(t->v[i].token)) & (SLOTS - 1);
        while (slot[h] >= 0)
            h = (h + 1) & (SLOTS - 1);
        slot[h] = (int)i;
    }
    char tok[TOK_MAX_TOKEN + 1];
    int pos = 0, s, e;
    while (!rc && tok_next_word(text, (int)len, &pos, &s, &e)) {
        if (!keep_word(text + s, (size_t)(e - s)))
            continue;
        if ((rc = terms_token(tk, text + s, e - s, tok)) || !tok[0])
            continue;
        size_t h = (size_t)XXH3_64bits(tok, strlen(tok)) & (SLOTS - 1);
        while (slot[h] >= 0 && strcmp(t->v[slot[h]].token, tok) != 0)
            h = (h + 1) & (SLOTS - 1);
        if (slot[h] >= 0) {
            t->v[slot[h]].tf++;
            continue;
        }
        if (t->n >= TERMS_MAX)
            continue;
        if (t->n == t->cap) {
            size_t cap = t->cap ? t->cap * 2 : 64;
            term *p = realloc(t->v, cap * sizeof *p);
            if (!p) {
                rc = err_set(CAIRN_ERR_NOMEM, "out of memory collecting terms");
                break;
            }
            t->v = p;
            t->cap = cap;
        }
        term *nt = &t->v[t->n];
        memset(nt, 0, sizeof *nt);
        nt->token = strdup(tok);
        nt->surface = strndup(text + s, (size_t)(e - s));
        nt->tf = 1;
        if (!nt->token || !nt->surface) {
            free(nt->token);
            free(nt->surface);
            rc = err_set(CAIRN_ERR_NOMEM, "out of memory collecting terms");
            break;
        }
        slot[h] = (int)t->n++;
    }
    free(slot);
    tok_free(tk);
    return rc;
}

static int by_weight(const void *a, const void *b)
{
    const term *x = a, *y = b;
    if (x->weight != y->weight)
        return x->weight < y->weight ? 1 : -1;
    return strcmp(x->token, y->token);
}

int terms_weigh(terms *t, store *s, int64_t exclude_file_id)
{
    int64_t total;
    int rc = store_doc_chunk_count(s, &total);
    if (rc)
        return rc;
    double N = (double)total;
    size_t w = 0;
    for (size_t i = 0; i < t->n; i++) {
        term *x = &t->v[i];
        int64_t df;
        int64_t self = 0;
        if ((rc = store_doc_term_df(s, x->token, &df)) ||
            (df && exclude_file_id &&
             (rc = store_doc_term_df_in_file(s, x->token, exclude_file_id, &self))))
            return rc;
        df -= self;
        if (df == 0) {
            free(x->token);
            free(x->surface);
            continue;
        }
        x->idf = log(1.0 + (N - (double)df + 0.5) / ((double)df + 0.5));
        x->weight = (1.0 + log((double)x->tf)) * x->idf;
        t->v[w++] = *x;
    }
    t->n = w;
    if (t->n > 1)
        qsort(t->v, t->n, sizeof *t->v, by_weight);
    return CAIRN_OK;
}

int terms_match(const terms *t, size_t max, buf *out)
{
    if (t->n == 0)
        return err_set(CAIRN_ERR_INVALID, "the text has no words the index knows");
    int rc = CAIRN_OK;
    for (size_t i = 0; i < t->n && i < max && !rc; i++) {
        if (i)
            rc = buf_puts(out, " OR ");
        if (!rc)
            rc = buf_putc(out, '"');
        for (const char *p = t->v[i].surface; *p && !rc; p++)
            rc = *p == '"' ? buf_puts(out, "\"\"") : buf_putc(out, *p);
        if (!rc)
            rc = buf_putc(out, '"');
    }
    return rc;
}
