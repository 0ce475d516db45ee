/*
 * embed_local_text.c — what the local embedder reads in a chunk: its name
 * (path and symbol), its heading, and its text cut into natural language
 * (prose, comments, docstrings, sentences in string literals) and code, by
 * the comment and string syntax of the chunk's language.
 */
#include "indexer/embed_local.h"
#include "indexer/lang.h"
#include "util/err.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#define MAX_TOKEN 32 /* longer tokens are hashes and blobs, not words */

/* Comment and string syntax of a language. */
enum {
    S_HASH = 1,      /* # to the end of the line */
    S_SLASH = 2,     /* // to the end of the line, and block comments */
    S_DASH = 4,      /* -- to the end of the line */
    S_SEMI = 8,      /* ; to the end of the line */
    S_PERCENT = 16,  /* % to the end of the line */
    S_TRIPLE = 32,   /* """ and ''' strings (Python) */
    S_BACKTICK = 64, /* `...` strings (JavaScript, Go) */
};

static const struct {
    const char *lang;
    int style;
} styles[] = {
    {"python", S_HASH | S_TRIPLE},
    {"c", S_SLASH}, {"cpp", S_SLASH}, {"objc", S_SLASH}, {"java", S_SLASH},
    {"javascript", S_SLASH | S_BACKTICK}, {"typescript", S_SLASH | S_BACKTICK},
    {"tsx", S_SLASH | S_BACKTICK}, {"go", S_SLASH | S_BACKTICK}, {"rust", S_SLASH},
    {"kotlin", S_SLASH}, {"scala", S_SLASH}, {"groovy", S_SLASH}, {"swift", S_SLASH},
    {"csharp", S_SLASH}, {"fsharp", S_SLASH}, {"dart", S_SLASH}, {"zig", S_SLASH},
    {"css", S_SLASH}, {"protobuf", S_SLASH}, {"php", S_SLASH | S_HASH},
    {"terraform", S_SLASH | S_HASH}, {"graphql", S_HASH},
    {"ruby", S_HASH}, {"perl", S_HASH}, {"r", S_HASH}, {"julia", S_HASH},
    {"elixir", S_HASH}, {"bash", S_HASH}, {"fish", S_HASH}, {"powershell", S_HASH},
    {"make", S_HASH}, {"cmake", S_HASH}, {"dockerfile", S_HASH}, {"yaml", S_HASH},
    {"toml", S_HASH}, {"nim", S_HASH}, {"tcl", S_HASH}, {"awk", S_HASH}, {"nix", S_HASH},
    {"ini", S_HASH | S_SEMI}, {"lua", S_DASH}, {"haskell", S_DASH}, {"sql", S_DASH | S_SLASH},
    {"clojure", S_SEMI}, {"erlang", S_PERCENT},
};

/* Function words of English, as the tokenizer stems them: they say
 * nothing about what code does.  Sorted, for bsearch. */
static const char *const stopwords[] = {
    "a", "about", "abov", "after", "again", "all", "also", "am", "an", "and", "ani", "are",
    "as", "at", "be", "been", "befor", "below", "between", "both", "but", "by", "can",
    "could", "did", "do", "doe", "down", "dure", "each", "either", "els", "etc", "few",
    "for", "from", "further", "had", "has", "have", "he", "her", "here", "him", "his", "how",
    "i", "if", "in", "into", "is", "it", "itself", "just", "may", "me", "might", "more",
    "most", "must", "my", "no", "nor", "not", "of", "off", "on", "onc", "onli", "or",
    "other", "our", "out", "over", "own", "same", "shall", "she", "should", "so", "some",
    "such", "than", "that", "the", "their", "them", "then", "there", "these", "they", "this",
    "those", "through", "to", "too", "under", "until", "up", "upon", "veri", "was", "we",
    "were", "what", "when", "where", "whether", "whi", "which", "while", "who", "whom",
    "will", "with", "would", "you", "your",
};

typedef struct word {
    const char *s;
    int n;
} word;

static int cmp_word(const void *key, const void *elem)
{
    const word *k = key;
    const char *e = *(const char *const *)elem;
    int c = strncmp(k->s, e, (size_t)k->n);
    return c ? c : (e[k->n] ? -1 : 0);
}

int embed_local_stopword(const char *s, size_t n)
{
    if (n > 7)
        return 0;
    word k = {s, (int)n};
    return bsearch(&k, stopwords, sizeof stopwords / sizeof *stopwords, sizeof *stopwords,
                   cmp_word) != NULL;
}

typedef struct emit_ctx {
    int side;
    void *ctx;
    embed_local_token_fn fn;
} emit_ctx;

static int on_token(void *ctx, int flags, const char *token, int len, int start, int end)
{
    (void)start;
    (void)end;
    emit_ctx *e = ctx;
    if ((flags & TOK_COLOCATED) || len < 2 || len > MAX_TOKEN)
        return 0;
    int letters = 0;
    for (int i = 0; i < len; i++)
        letters += (token[i] < '0' || token[i] > '9');
    if (!letters)
        return 0;
    return e->fn(e->ctx, e->side, token, len);
}

/* Spans are cut to what tok_run takes; chunks and queries are far smaller. */
static int span(tok_tokenizer *t, int side, const char *s, size_t n, emit_ctx *e)
{
    if (!n)
        return CAIRN_OK;
    e->side = side;
    return tok_run(t, s, n > INT_MAX ? INT_MAX : (int)n, e, on_token);
}

/* A string literal is natural language when it reads like words: it has
 * a space between letters. */
static int reads_as_words(const char *s, size_t n)
{
    for (size_t i = 1; i + 1 < n; i++)
        if (s[i] == ' ' && s[i - 1] != ' ' && s[i + 1] != ' ')
            return 1;
    return 0;
}

static int line_comment(int style, const char *s, size_t n)
{
    if ((style & S_HASH) && s[0] == '#')
        return 1;
    if ((style & S_SEMI) && s[0] == ';')
        return 1;
    if ((style & S_PERCENT) && s[0] == '%')
        return 1;
    if (n >= 2 && (style & S_SLASH) && s[0] == '/' && s[1] == '/')
        return 1;
    if (n >= 2 && (style & S_DASH) && s[0] == '-' && s[1] == '-')
        return 1;
    return 0;
}

/* Cut code into natural language and code spans and tokenize them. */
static int code_spans(tok_tokenizer *t, int style, const char *s, size_t n, emit_ctx *e)
{
    size_t code = 0, i = 0; /* code runs from `code` to i */
    int rc = CAIRN_OK;
    while (i < n && !rc) {
        size_t end = 0, body = 0, body_end = 0;
        int nl = 0;
        if (line_comment(style, s + i, n - i)) {
            end = i;
            while (end < n && s[end] != '\n')
                end++;
            body = i + 1;
            body_end = end;
            nl = 1;
        } else if ((style & S_SLASH) && i + 1 < n && s[i] == '/' && s[i + 1] == '*') {
            const char *close = memmem(s + i + 2, n - i - 2, "*/", 2);
            end = close ? (size_t)(close - s) + 2 : n;
            body = i + 2;
            body_end = close ? end - 2 : n;
            nl = 1;
        } else if ((style & S_TRIPLE) && i + 2 < n && (s[i] == '"' || s[i] == '\'') &&
                   s[i + 1] == s[i] && s[i + 2] == s[i]) {
            char q[3] = {s[i], s[i], s[i]};
            const char *close = memmem(s + i + 3, n - i - 3, q, 3);
            end = close ? (size_t)(close - s) + 3 : n;
            body = i + 3;
            body_end = close ? end - 3 : n;
            nl = 1;
        } else if (s[i] == '"' || s[i] == '\'' || ((style & S_BACKTICK) && s[i] == '`')) {
            char q = s[i];
            size_t j = i + 1;
            while (j < n && s[j] != q && (q == '`' || s[j] != '\n'))
                j += s[j] == '\\' && j + 1 < n ? 2 : 1;
            if (j < n && s[j] == q) {
                end = j + 1;
                body = i + 1;
                body_end = j;
                nl = reads_as_words(s + body, body_end - body);
            }
        }
        if (!end) {
            i++;
            continue;
        }
        if (nl) {
            rc = span(t, EMBED_LOCAL_CODE, s + code, i - code, e);
            if (!rc)
                rc = span(t, EMBED_LOCAL_WORDS, s + body, body_end - body, e);
            code = end;
        }
        i = end;
    }
    if (!rc)
        rc = span(t, EMBED_LOCAL_CODE, s + code, n - code, e);
    return rc;
}

int embed_local_chunk_tokens(tok_tokenizer *t, const char *text, size_t len, void *ctx,
                             embed_local_token_fn fn, int *prose)
{
    emit_ctx e = {0, ctx, fn};
    const char *nl = memchr(text, '\n', len);
    size_t head = nl ? (size_t)(nl - text) : len;
    /* "path symbol (context)": the path runs to the first space. */
    const char *sp = memchr(text, ' ', head);
    size_t plen = sp ? (size_t)(sp - text) : head;
    char path[1024];
    size_t cp = plen < sizeof path - 1 ? plen : sizeof path - 1;
    memcpy(path, text, cp);
    path[cp] = '\0';
    const lang_info *li = lang_detect(path, NULL, 0);
    *prose = li->kind == LANG_PROSE;
    int style = 0;
    for (size_t i = 0; i < sizeof styles / sizeof *styles; i++)
        if (strcmp(styles[i].lang, li->name) == 0)
            style = styles[i].style;
    /* The path and symbol name the chunk; the context is a heading path
     * (prose) or an enclosing class (code). */
    const char *paren = sp ? memchr(sp, '(', head - plen) : NULL;
    size_t name_end = paren ? (size_t)(paren - text) : head;
    int rc = span(t, EMBED_LOCAL_NAME, text, name_end, &e);
    if (!rc && paren)
        rc = span(t, EMBED_LOCAL_HEADING, paren, head - (size_t)(paren - text), &e);
    size_t body = head;
    while (body < len && text[body] == '\n')
        body++;
    if (!rc) {
        if (*prose)
            rc = span(t, EMBED_LOCAL_WORDS, text + body, len - body, &e);
        else
            rc = code_spans(t, style, text + body, len - body, &e);
    }
    return rc < 0 ? rc : CAIRN_OK;
}

int embed_local_text_tokens(tok_tokenizer *t, const char *text, size_t len, void *ctx,
                            embed_local_token_fn fn)
{
    emit_ctx e = {0, ctx, fn};
    int rc = span(t, EMBED_LOCAL_WORDS, text, len, &e);
    return rc < 0 ? rc : CAIRN_OK;
}
