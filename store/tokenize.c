/*
 * tokenize.c — code-aware word splitting, folding and stemming.
 *
 * Two passes per word: tok_next_word() finds the word's extent, then
 * split_parts() finds its parts.  Both classify characters through an ASCII
 * table and fall back to utf8proc only for bytes >= 0x80, and pure-ASCII
 * parts are lower-cased into a fixed buffer, so the common case never
 * allocates.
 */
#include "store/tokenize.h"

#include "util/err.h"

#include <libstemmer.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

/* Character classes. */
enum { C_SEP, C_UPPER, C_LOWER, C_DIGIT, C_MARK, C_UNDER, C_HYPHEN };

static const unsigned char ascii_class[128] = {
    ['0' ... '9'] = C_DIGIT,
    ['A' ... 'Z'] = C_UPPER,
    ['a' ... 'z'] = C_LOWER,
    ['_'] = C_UNDER,
    ['-'] = C_HYPHEN,
};

/* Compatibility forms (ligatures, full-width letters) fold too, so what a
 * user types matches what a document spells with a fancier codepoint. */
#define FOLD_OPTIONS \
    (UTF8PROC_COMPOSE | UTF8PROC_COMPAT | UTF8PROC_CASEFOLD | UTF8PROC_STRIPMARK)

/* Source code repeats a small vocabulary, and Snowball dominates the cost
 * of tokenizing it, so short words keep their stems in a direct-mapped
 * cache (measured: about 2.5x faster on the Python stdlib). */
#define STEM_CACHE_SLOTS 4096 /* power of two */
#define STEM_CACHE_WORD 23    /* longest cached word, bytes */

typedef struct {
    unsigned char word_len; /* 0: empty slot */
    unsigned char stem_len;
    char word[STEM_CACHE_WORD];
    char stem[STEM_CACHE_WORD];
} stem_slot;

struct tok_tokenizer {
    struct sb_stemmer *stemmer;
    stem_slot *stems; /* STEM_CACHE_SLOTS entries */
    /* Non-ASCII folding scratch: codepoints, then UTF-8 re-encoded in
     * place.  Grows on demand, never shrinks, so folding reuses it. */
    utf8proc_int32_t *cps;
    utf8proc_ssize_t cps_cap;
    char ascii[TOK_MAX_TOKEN]; /* ASCII folding output */
};

typedef struct {
    int start, end;
} span;

/* Class of the character at s (n > 0 bytes available); *clen gets its
 * length.  An invalid UTF-8 byte is a 1-byte separator. */
static int classify(const unsigned char *s, int n, int *clen)
{
    if (s[0] < 0x80) {
        *clen = 1;
        return ascii_class[s[0]];
    }
    utf8proc_int32_t cp;
    utf8proc_ssize_t r = utf8proc_iterate(s, n, &cp);
    if (r <= 0) {
        *clen = 1;
        return C_SEP;
    }
    *clen = (int)r;
    switch (utf8proc_category(cp)) {
    case UTF8PROC_CATEGORY_LU:
    case UTF8PROC_CATEGORY_LT:
        return C_UPPER;
    case UTF8PROC_CATEGORY_LL:
    case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO:
        return C_LOWER; /* caseless letters never start a camelCase part */
    case UTF8PROC_CATEGORY_ND:
    case UTF8PROC_CATEGORY_NL:
    case UTF8PROC_CATEGORY_NO:
        return C_DIGIT;
    case UTF8PROC_CATEGORY_MN:
    case UTF8PROC_CATEGORY_MC:
    case UTF8PROC_CATEGORY_ME:
        return C_MARK;
    default:
        return C_SEP;
    }
}

static int is_word_class(int k) { return k != C_SEP && k != C_HYPHEN; }

static int is_alnum_class(int k) { return k == C_UPPER || k == C_LOWER || k == C_DIGIT; }

int tok_next_word(const char *text, int len, int *pos, int *start, int *end)
{
    const unsigned char *u = (const unsigned char *)text;
    int i = *pos, clen, k = C_SEP;
    while (i < len) {
        k = classify(u + i, len - i, &clen);
        if (is_word_class(k))
            break;
        i += clen;
    }
    if (i >= len) {
        *pos = len;
        return 0;
    }
    *start = i;
    int prev = k;
    i += clen;
    while (i < len) {
        k = classify(u + i, len - i, &clen);
        if (is_word_class(k)) {
            prev = k;
            i += clen;
            continue;
        }
        /* A single hyphen between letters/digits keeps kebab-case
         * identifiers (sqlite-utils, Content-Type) together; a mark
         * before it belongs to a letter. */
        if (k == C_HYPHEN && (is_alnum_class(prev) || prev == C_MARK) && i + 1 < len) {
            int nlen;
            if (is_alnum_class(classify(u + i + 1, len - i - 1, &nlen))) {
                prev = C_HYPHEN;
                i += 1;
                continue;
            }
        }
        break;
    }
    *end = i;
    *pos = i;
    return 1;
}

/* Called on an upper-case letter that follows another one: does it start
 * a new Capitalized part, ending an acronym (HTTPServer -> HTTP|Server)?
 * i is the offset just after it.  A lone trailing "s" is the acronym's
 * plural (URLs, IDsFor), not a new part. */
static int ends_acronym(const unsigned char *u, int i, int end)
{
    int clen, k = C_MARK;
    while (i < end && (k = classify(u + i, end - i, &clen)) == C_MARK)
        i += clen;
    if (i >= end || k != C_LOWER)
        return 0;
    if (u[i] != 's')
        return 1;
    i += 1;
    while (i < end && (k = classify(u + i, end - i, &clen)) == C_MARK)
        i += clen;
    return i < end && k == C_LOWER;
}

/* Cut word [start, end) into parts; returns how many were stored.  Stops
 * after TOK_MAX_PARTS, dropping the rest. */
static int split_parts(const unsigned char *u, int start, int end, span *parts)
{
    int n = 0, ps = -1, digits = 0, prev = C_SEP, i = start;
    while (i < end) {
        int clen, k = classify(u + i, end - i, &clen);
        int sep = k == C_UNDER || k == C_HYPHEN;
        int cut = sep;
        if (k == C_DIGIT)
            cut = !digits;
        else if (k == C_LOWER)
            cut = digits;
        else if (k == C_UPPER)
            cut = digits || prev == C_LOWER ||
                  (prev == C_UPPER && ends_acronym(u, i + clen, end));
        if (cut && ps >= 0) {
            parts[n].start = ps;
            parts[n].end = i;
            n++;
            ps = -1;
        }
        if (!sep && ps < 0) {
            if (n == TOK_MAX_PARTS)
                return n;
            ps = i;
            digits = k == C_DIGIT;
        }
        if (k != C_MARK)
            prev = k;
        i += clen;
    }
    if (ps >= 0) {
        parts[n].start = ps;
        parts[n].end = end;
        n++;
    }
    return n;
}

/* Largest k <= max that is not inside a UTF-8 sequence; s[max] must be
 * readable. */
static int utf8_cut(const char *s, int max)
{
    int k = max;
    while (k > 0 && ((unsigned char)s[k] & 0xC0) == 0x80)
        k--;
    return k;
}

static int fold_unicode(tok_tokenizer *t, const char *src, int n, const char **out, int *out_len)
{
    utf8proc_ssize_t r;
    for (;;) {
        /* One slot spare: utf8proc_reencode writes a trailing NUL. */
        r = utf8proc_decompose((const utf8proc_uint8_t *)src, n, t->cps, t->cps_cap - 1,
                               FOLD_OPTIONS);
        if (r < 0)
            return err_set(CAIRN_ERR_INVALID, "fold \"%.*s\": %s", n, src, utf8proc_errmsg(r));
        if (r < t->cps_cap)
            break;
        utf8proc_ssize_t cap = r + 1 > 2 * t->cps_cap ? r + 1 : 2 * t->cps_cap;
        utf8proc_int32_t *p = realloc(t->cps, (size_t)cap * sizeof *p);
        if (!p)
            return err_set(CAIRN_ERR_NOMEM, "out of memory folding a %d-byte word", n);
        t->cps = p;
        t->cps_cap = cap;
    }
    r = utf8proc_reencode(t->cps, r, FOLD_OPTIONS);
    if (r < 0)
        return err_set(CAIRN_ERR_INVALID, "fold \"%.*s\": %s", n, src, utf8proc_errmsg(r));
    const char *s = (const char *)t->cps;
    *out = s;
    *out_len = r > TOK_MAX_TOKEN ? utf8_cut(s, TOK_MAX_TOKEN) : (int)r;
    return CAIRN_OK;
}

/* Case-fold src[0, n) into a token of at most TOK_MAX_TOKEN bytes.  *out
 * points into t and stays valid until the next fold. */
static int fold(tok_tokenizer *t, const char *src, int n, const char **out, int *out_len)
{
    if (n > TOK_MAX_TOKEN)
        n = utf8_cut(src, TOK_MAX_TOKEN);
    for (int i = 0; i < n; i++) {
        unsigned char c = (unsigned char)src[i];
        if (c >= 0x80)
            return fold_unicode(t, src, n, out, out_len);
        t->ascii[i] = (char)(c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c);
    }
    *out = t->ascii;
    *out_len = n;
    return CAIRN_OK;
}

/* Only ASCII letters: the English stemmer would mangle digits and other
 * scripts. */
static int stemmable(const char *s, int n)
{
    if (n < 3)
        return 0;
    for (int i = 0; i < n; i++)
        if (s[i] < 'a' || s[i] > 'z')
            return 0;
    return 1;
}

/* Stem the ASCII word s[0, n) (3+ letters).  The result is valid until the
 * next call. */
static int stem(tok_tokenizer *t, const char *s, int n, const char **out, int *out_len)
{
    stem_slot *slot = NULL;
    if (n <= STEM_CACHE_WORD) {
        uint32_t h = 2166136261u; /* FNV-1a */
        for (int i = 0; i < n; i++)
            h = (h ^ (unsigned char)s[i]) * 16777619u;
        slot = &t->stems[h & (STEM_CACHE_SLOTS - 1)];
        if (slot->word_len == n && memcmp(slot->word, s, (size_t)n) == 0) {
            *out = slot->stem;
            *out_len = slot->stem_len;
            return CAIRN_OK;
        }
    }
    const sb_symbol *r = sb_stemmer_stem(t->stemmer, (const sb_symbol *)s, n);
    if (!r)
        return err_set(CAIRN_ERR_NOMEM, "out of memory stemming \"%.*s\"", n, s);
    int rn = sb_stemmer_length(t->stemmer);
    *out = (const char *)r;
    *out_len = rn;
    if (slot && rn <= STEM_CACHE_WORD) {
        memcpy(slot->word, s, (size_t)n);
        memcpy(slot->stem, r, (size_t)rn);
        slot->word_len = (unsigned char)n;
        slot->stem_len = (unsigned char)rn;
    }
    return CAIRN_OK;
}

/* In a query, a word typed as one lower-case run ("getuser") may be how a
 * person spells an identifier (getUser, whose whole-word token is
 * "getuser"): the unstemmed form goes along as a colocated synonym. */
static int emit_part(tok_tokenizer *t, const char *text, span p, int query, void *ctx,
                     tok_emit_fn emit, int *emitted)
{
    const char *tok;
    int n;
    int rc = fold(t, text + p.start, p.end - p.start, &tok, &n);
    if (rc)
        return rc;
    *emitted = n > 0;
    if (n == 0) /* only marks, stripped by folding */
        return CAIRN_OK;
    if (!stemmable(tok, n))
        return emit(ctx, 0, tok, n, p.start, p.end);
    char word[TOK_MAX_TOKEN];
    int nfolded = n < TOK_MAX_TOKEN ? n : TOK_MAX_TOKEN;
    memcpy(word, tok, (size_t)nfolded);
    rc = stem(t, word, nfolded, &tok, &n);
    if (rc)
        return rc;
    if (query && (n != nfolded || memcmp(tok, word, (size_t)n) != 0)) {
        rc = emit(ctx, 0, tok, n, p.start, p.end);
        return rc ? rc : emit(ctx, TOK_COLOCATED, word, nfolded, p.start, p.end);
    }
    return emit(ctx, 0, tok, n, p.start, p.end);
}

/* The whole word, unstemmed, from its first part to its last non-underscore
 * character, colocated with the first part. */
static int emit_whole(tok_tokenizer *t, const char *text, int start, int end, void *ctx,
                      tok_emit_fn emit)
{
    while (end > start && text[end - 1] == '_')
        end--;
    const char *tok;
    int n;
    int rc = fold(t, text + start, end - start, &tok, &n);
    if (rc)
        return rc;
    return emit(ctx, TOK_COLOCATED, tok, n, start, end);
}

static int run(tok_tokenizer *t, const char *text, int len, int query, void *ctx,
               tok_emit_fn emit)
{
    if (!t || !emit || len < 0 || (!text && len > 0))
        return err_set(CAIRN_ERR_INVALID, "tok_run: bad arguments (len %d)", len);
    span parts[TOK_MAX_PARTS];
    int pos = 0, ws, we;
    while (tok_next_word(text, len, &pos, &ws, &we)) {
        int n = split_parts((const unsigned char *)text, ws, we, parts);
        /* When the first part alone fills a token, the whole word would
         * fold to the same truncated bytes: nothing to add. */
        int whole = n >= 2 && parts[0].end - parts[0].start < TOK_MAX_TOKEN;
        for (int k = 0; k < n; k++) {
            int emitted, rc = emit_part(t, text, parts[k], query && n == 1, ctx, emit, &emitted);
            if (rc)
                return rc;
            if (emitted && whole) {
                rc = emit_whole(t, text, parts[0].start, we, ctx, emit);
                if (rc)
                    return rc;
                whole = 0;
            }
        }
    }
    return CAIRN_OK;
}

int tok_run(tok_tokenizer *t, const char *text, int len, void *ctx, tok_emit_fn emit)
{
    return run(t, text, len, 0, ctx, emit);
}

int tok_run_query(tok_tokenizer *t, const char *text, int len, void *ctx, tok_emit_fn emit)
{
    return run(t, text, len, 1, ctx, emit);
}

static int split_cb(void *ctx, int flags, const char *token, int token_len, int start, int end)
{
    (void)start;
    (void)end;
    buf *out = ctx;
    int rc = CAIRN_OK;
    if (flags & TOK_COLOCATED)
        rc = buf_putc(out, '|');
    else if (out->len > 0)
        rc = buf_putc(out, ' ');
    return rc ? rc : buf_append(out, token, (size_t)token_len);
}

int tok_split(tok_tokenizer *t, const char *text, int len, buf *out)
{
    return tok_run(t, text, len, out, split_cb);
}

int tok_new(tok_tokenizer **out)
{
    *out = NULL;
    tok_tokenizer *t = calloc(1, sizeof *t);
    if (!t)
        return err_set(CAIRN_ERR_NOMEM, "out of memory creating a tokenizer");
    t->stemmer = sb_stemmer_new("english", "UTF_8");
    t->stems = calloc(STEM_CACHE_SLOTS, sizeof *t->stems);
    t->cps_cap = 4 * TOK_MAX_TOKEN;
    t->cps = malloc((size_t)t->cps_cap * sizeof *t->cps);
    if (!t->stemmer || !t->stems || !t->cps) {
        tok_free(t);
        return err_set(CAIRN_ERR_NOMEM, "out of memory creating a tokenizer (English stemmer)");
    }
    *out = t;
    return CAIRN_OK;
}

void tok_free(tok_tokenizer *t)
{
    if (!t)
        return;
    if (t->stemmer)
        sb_stemmer_delete(t->stemmer);
    free(t->stems);
    free(t->cps);
    free(t);
}
