/*
 * fts.c — the FTS5 tokenizer adapter and the safe query builder.
 */
#include "store/fts.h"

#include "store/tokenize.h"
#include "util/err.h"

#include <string.h>

/* ---- tokenizer adapter ------------------------------------------------ */

typedef int (*fts_token_fn)(void *ctx, int tflags, const char *token, int token_len, int start,
                            int end);

typedef struct {
    void *ctx;
    fts_token_fn x_token;
} token_ctx;

static int x_create(void *user, const char **argv, int argc, Fts5Tokenizer **out)
{
    (void)user;
    (void)argv;
    *out = NULL;
    /* No options exist; refusing them makes a typo in the schema loud. */
    if (argc > 0)
        return SQLITE_ERROR;
    tok_tokenizer *t;
    if (tok_new(&t) != CAIRN_OK)
        return SQLITE_NOMEM;
    *out = (Fts5Tokenizer *)t;
    return SQLITE_OK;
}

static void x_delete(Fts5Tokenizer *tk) { tok_free((tok_tokenizer *)tk); }

static int forward_token(void *ctx, int flags, const char *token, int token_len, int start,
                         int end)
{
    token_ctx *c = ctx;
    return c->x_token(c->ctx, (flags & TOK_COLOCATED) ? FTS5_TOKEN_COLOCATED : 0, token,
                      token_len, start, end);
}

/* Documents and auxiliary functions (snippet, highlight) get the same
 * tokens; queries add unstemmed synonyms (tok_run_query). */
static int x_tokenize(Fts5Tokenizer *tk, void *ctx, int flags, const char *text, int len,
                      fts_token_fn x_token)
{
    token_ctx c = {ctx, x_token};
    int rc = (flags & FTS5_TOKENIZE_QUERY)
                 ? tok_run_query((tok_tokenizer *)tk, text, len, &c, forward_token)
                 : tok_run((tok_tokenizer *)tk, text, len, &c, forward_token);
    if (rc >= 0) /* SQLITE_OK, or the SQLite code x_token stopped with */
        return rc;
    return rc == CAIRN_ERR_NOMEM ? SQLITE_NOMEM : SQLITE_ERROR;
}

int fts_register(sqlite3 *db)
{
    fts5_api *api = NULL;
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &st, NULL) != SQLITE_OK)
        return err_set(CAIRN_ERR_DB, "register tokenizer: SQLite lacks FTS5: %s",
                       sqlite3_errmsg(db));
    sqlite3_bind_pointer(st, 1, &api, "fts5_api_ptr", NULL);
    sqlite3_step(st);
    if (sqlite3_finalize(st) != SQLITE_OK || !api)
        return err_set(CAIRN_ERR_DB, "register tokenizer: cannot get the FTS5 API: %s",
                       sqlite3_errmsg(db));
    fts5_tokenizer tk = {x_create, x_delete, x_tokenize};
    int rc = api->xCreateTokenizer(api, "cairn", NULL, &tk, NULL);
    if (rc != SQLITE_OK)
        return err_set(CAIRN_ERR_DB, "register tokenizer 'cairn': %s", sqlite3_errstr(rc));
    return CAIRN_OK;
}

/* ---- query builder ---------------------------------------------------- */

/* Words that carry no meaning in a question.  Kept small: in code, words
 * like "use", "get", "all" and "new" are identifiers. */
static const char *const stopwords[] = {
    "a",     "about", "an",   "and",   "are",   "as",    "at",    "be",    "been",  "being",
    "but",   "by",    "can",  "could", "did",   "do",    "does",  "for",   "from",  "had",
    "has",   "have",  "he",   "her",   "his",   "how",   "i",     "if",    "in",    "into",
    "is",    "it",    "its",  "me",    "my",    "not",   "of",    "on",    "or",    "our",
    "she",   "should", "so",  "that",  "the",   "their", "them",  "then",  "there", "these",
    "they",  "this",  "those", "to",   "was",   "we",    "were",  "what",  "when",  "where",
    "which", "who",   "whom", "why",   "will",  "with",  "would", "you",   "your",
};

typedef struct {
    int start, len;
} term;

static int same_ascii_nocase(const char *a, const char *b, int n)
{
    for (int i = 0; i < n; i++) {
        unsigned char x = (unsigned char)a[i], y = (unsigned char)b[i];
        if (x >= 'A' && x <= 'Z')
            x += 'a' - 'A';
        if (y >= 'A' && y <= 'Z')
            y += 'a' - 'A';
        if (x != y)
            return 0;
    }
    return 1;
}

static int is_stopword(const char *s, int n)
{
    for (size_t i = 0; i < sizeof stopwords / sizeof *stopwords; i++)
        if ((int)strlen(stopwords[i]) == n && same_ascii_nocase(s, stopwords[i], n))
            return 1;
    return 0;
}

/* Add q[start, start+len) to list unless it is already there or full. */
static void add_term(const char *q, term *list, int *count, int start, int len)
{
    if (*count == FTS_MAX_TERMS)
        return;
    for (int i = 0; i < *count; i++)
        if (list[i].len == len && same_ascii_nocase(q + list[i].start, q + start, len))
            return;
    list[*count].start = start;
    list[*count].len = len;
    (*count)++;
}

/* Cut a term to at most FTS_MAX_TERM_BYTES without splitting a UTF-8
 * sequence (terms hold whole characters, so s[len] is readable). */
static int term_cut(const char *s, int len)
{
    if (len <= FTS_MAX_TERM_BYTES)
        return len;
    int k = FTS_MAX_TERM_BYTES;
    while (k > 0 && ((unsigned char)s[k] & 0xC0) == 0x80)
        k--;
    return k;
}

static int append_quoted(buf *out, const char *s, int n)
{
    int rc = buf_putc(out, '"');
    for (int i = 0; i < n && rc == CAIRN_OK; i++)
        rc = s[i] == '"' ? buf_puts(out, "\"\"") : buf_putc(out, s[i]);
    return rc ? rc : buf_putc(out, '"');
}

int fts_query_build(const char *query, buf *out)
{
    size_t qlen = strlen(query);
    if (qlen > FTS_MAX_QUERY)
        return err_set(CAIRN_ERR_TOOBIG, "query is %zu bytes, more than the %d-byte limit", qlen,
                       FTS_MAX_QUERY);
    int len = (int)qlen;
    term words[FTS_MAX_TERMS], stops[FTS_MAX_TERMS];
    int nwords = 0, nstops = 0, pos = 0, s, e;
    int have = tok_next_word(query, len, &pos, &s, &e);
    while (have && nwords < FTS_MAX_TERMS) {
        int ts = s, te = e;
        while ((have = tok_next_word(query, len, &pos, &s, &e)) && s == te + 1 &&
               query[te] == '.')
            te = e;
        int n = term_cut(query + ts, te - ts);
        if (is_stopword(query + ts, n))
            add_term(query, stops, &nstops, ts, n);
        else
            add_term(query, words, &nwords, ts, n);
    }
    if (nwords == 0 && nstops == 0)
        return err_set(CAIRN_ERR_INVALID, "query has no searchable words");
    const term *list = nwords ? words : stops;
    int count = nwords ? nwords : nstops;
    for (int i = 0; i < count; i++) {
        int rc = i ? buf_puts(out, " OR ") : CAIRN_OK;
        if (rc == CAIRN_OK)
            rc = append_quoted(out, query + list[i].start, list[i].len);
        if (rc)
            return err_wrap(rc, "build FTS query");
    }
    return CAIRN_OK;
}
