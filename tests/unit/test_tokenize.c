/*
 * test_tokenize.c — the code-aware tokenizer on identifiers taken from the
 * Python stdlib and the TIL notes, Unicode folding, stemming, and hostile
 * input (invalid UTF-8, megabyte words, unterminated buffers).
 */
#include "store/tokenize.h"
#include "util/err.h"
#include "test.h"

#include <stdint.h>
#include <stdlib.h>
#include <utf8proc.h>

/* The Python stdlib folder, found through python3 at run time; NULL when
 * python3 is absent. */
static const char *stdlib_dir(void)
{
    static char path[4096];
    static int tried;
    if (tried)
        return path[0] ? path : NULL;
    tried = 1;
    FILE *p = popen("python3 -c \"import sysconfig; print(sysconfig.get_paths()['stdlib'])\""
                    " 2>/dev/null",
                    "r");
    if (!p)
        return NULL;
    if (!fgets(path, sizeof path, p))
        path[0] = '\0';
    if (pclose(p) != 0)
        path[0] = '\0';
    path[strcspn(path, "\n")] = '\0';
    return path[0] ? path : NULL;
}

/* Whole file into a malloc'd buffer (caller frees); NULL if unreadable. */
static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    buf b;
    buf_init(&b, 64 << 20);
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        if (buf_append(&b, chunk, n) != CAIRN_OK)
            break;
    fclose(f);
    *len = b.len;
    return buf_detach(&b);
}

/* Tokens of text[0, len) in tok_split's format, in static storage. */
static const char *split_n(tok_tokenizer *t, const char *text, int len)
{
    static char out[8192];
    buf b;
    buf_init(&b, 0);
    int rc = tok_split(t, text, len, &b);
    if (rc != CAIRN_OK)
        snprintf(out, sizeof out, "error %d: %s", rc, err_msg());
    else
        snprintf(out, sizeof out, "%s", buf_str(&b));
    buf_release(&b);
    return out;
}

static const char *split(tok_tokenizer *t, const char *text)
{
    return split_n(t, text, (int)strlen(text));
}

static const struct {
    const char *corpus; /* "stdlib" or "til" */
    const char *file;
    const char *ident;
    const char *want;
} corpus_idents[] = {
    {"stdlib", "socket.py", "getaddrinfo", "getaddrinfo"},
    {"stdlib", "http/server.py", "HTTPServer", "http|httpserver server"},
    {"stdlib", "http/server.py", "ThreadingHTTPServer", "thread|threadinghttpserver http server"},
    {"stdlib", "xml/etree/ElementTree.py", "XMLParser", "xml|xmlparser parser"},
    {"stdlib", "logging/__init__.py", "getLogger", "get|getlogger logger"},
    {"stdlib", "unittest/case.py", "setUpClass", "set|setupclass up class"},
    {"stdlib", "ctypes/__init__.py", "c_int64", "c|c_int64 int 64"},
    {"stdlib", "hashlib.py", "sha256", "sha|sha256 256"},
    {"til", "datasette/plugin-modifies-command.md", "__init__", "init"},
    {"til", "git/backdate-git-commits.md", "os.path.join", "os path join"},
    {"til", "datasette/pytest-httpx-datasette.md", "asyncio.get_event_loop",
     "asyncio get|get_event_loop event loop"},
    {"til", "datasette/hugging-face-spaces.md", "sqlite-utils", "sqlite|sqlite-utils util"},
    {"til", "awslambda/asgi-mangum.md", "Content-Type", "content|content-type type"},
};

TEST(tokenize_splits_identifiers_found_in_corpora)
{
    const char *stdlib = stdlib_dir();
    if (!stdlib)
        fprintf(stderr, "    skip stdlib identifiers: python3 not found\n");
    tok_tokenizer *t;
    REQUIRE(tok_new(&t) == CAIRN_OK);
    for (size_t i = 0; i < sizeof corpus_idents / sizeof *corpus_idents; i++) {
        char path[4096];
        if (strcmp(corpus_idents[i].corpus, "stdlib") == 0) {
            if (!stdlib)
                continue;
            snprintf(path, sizeof path, "%s/%s", stdlib, corpus_idents[i].file);
        } else {
            snprintf(path, sizeof path, "%s/corpora/til/%s", test_shared_dir(),
                     corpus_idents[i].file);
        }
        size_t len;
        char *text = slurp(path, &len);
        if (!text) {
            test_fail(__FILE__, __LINE__, "cannot read %s", path);
            continue;
        }
        const char *ident = corpus_idents[i].ident;
        size_t ilen = strlen(ident);
        const char *at = memmem(text, len, ident, ilen);
        if (!at) {
            test_fail(__FILE__, __LINE__, "%s not found in %s", ident, path);
            free(text);
            continue;
        }
        /* The identifier exactly as it occurs in the file... */
        CHECK_STR(split_n(t, at, (int)ilen), corpus_idents[i].want);
        /* ...and in the context of its whole line. */
        const char *line = at, *eol = at + ilen;
        while (line > text && line[-1] != '\n')
            line--;
        while (eol < text + len && *eol != '\n')
            eol++;
        char ctx[8192 + 2], want[512];
        snprintf(ctx, sizeof ctx, " %s ", split_n(t, line, (int)(eol - line)));
        snprintf(want, sizeof want, " %s ", corpus_idents[i].want);
        if (!strstr(ctx, want))
            test_fail(__FILE__, __LINE__, "line of %s in %s tokenized as [%s], lacks [%s]", ident,
                      path, ctx, corpus_idents[i].want);
        free(text);
    }
    tok_free(t);
}

TEST(tokenize_splits_case_styles)
{
    tok_tokenizer *t;
    REQUIRE(tok_new(&t) == CAIRN_OK);
    CHECK_STR(split(t, "getUserName"), "get|getusername user name");
    CHECK_STR(split(t, "get_user_name"), "get|get_user_name user name");
    CHECK_STR(split(t, "GET_USER_NAME"), "get|get_user_name user name");
    CHECK_STR(split(t, "HTTPServerError"), "http|httpservererror server error");
    CHECK_STR(split(t, "parseJSON"), "pars|parsejson json");
    CHECK_STR(split(t, "XMLHttpRequest"), "xml|xmlhttprequest http request");
    CHECK_STR(split(t, "utf8proc"), "utf|utf8proc 8 proc");
    CHECK_STR(split(t, "int64_t"), "int|int64_t 64 t");
    CHECK_STR(split(t, "sha256sum"), "sha|sha256sum 256 sum");
    CHECK_STR(split(t, "_private_var"), "privat|private_var var");
    CHECK_STR(split(t, "getURLs"), "get|geturls url");
    CHECK_STR(split(t, "IDsForUser"), "id|idsforuser for user");
    /* Separators: '.', quotes, a double or dangling hyphen, operators. */
    CHECK_STR(split(t, "foo--bar -x y- (a)+b*c"), "foo bar x y a b c");
    CHECK_STR(split(t, "don't"), "don t");
    CHECK_STR(split(t, ""), "");
    CHECK_STR(split(t, " \t\n!@#$%^&*()"), "");
    tok_free(t);
}

TEST(tokenize_folds_unicode)
{
    tok_tokenizer *t;
    REQUIRE(tok_new(&t) == CAIRN_OK);
    /* The whole-word token shows the unstemmed fold; it must agree with
     * utf8proc's own case folding (ß -> ss). */
    utf8proc_uint8_t *folded = NULL;
    utf8proc_ssize_t n = utf8proc_map((const utf8proc_uint8_t *)"Straße_x", 0, &folded,
                                      UTF8PROC_NULLTERM | UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD);
    REQUIRE(n > 0);
    char want[64];
    snprintf(want, sizeof want, "strass|%s x", (const char *)folded);
    free(folded);
    CHECK_STR(want, "strass|strasse_x x");
    CHECK_STR(split(t, "Straße_x"), want);
    CHECK_STR(split(t, "ÉCOLE2"), "ecol|ecole2 2");
    CHECK_STR(split(t, "École"), split(t, "ECOLE"));
    CHECK_STR(split(t, "café"), "cafe");
    CHECK_STR(split(t, "cafe\xcc\x81"), "cafe"); /* decomposed e + U+0301 */
    CHECK_STR(split(t, "Café"), "cafe");
    /* Greek: final sigma and capitals fold to the same token. */
    CHECK_STR(split(t, "ΣΊΣΥΦΟΣ"), "σισυφοσ");
    CHECK_STR(split(t, "σίσυφος"), "σισυφοσ");
    CHECK_STR(split(t, "ΑθήναΠόλη"), "αθηνα|αθηναπολη πολη");
    /* Compatibility forms: ligature, full-width letters. */
    CHECK_STR(split(t, "\xef\xac\x81le"), "file");
    CHECK_STR(split(t, "ｆｕｌｌ"), "full");
    CHECK_STR(split(t, "日本語テキスト"), "日本語テキスト");
    tok_free(t);
}

TEST(tokenize_stems_english_parts_only)
{
    tok_tokenizer *t;
    REQUIRE(tok_new(&t) == CAIRN_OK);
    CHECK_STR(split(t, "connections connection connected connecting Connects"),
              "connect connect connect connect connect");
    /* The whole-word token is not stemmed, the parts are. */
    CHECK_STR(split(t, "connection_pools"), "connect|connection_pools pool");
    CHECK_STR(split(t, "libraries"), "librari");
    /* Digits and short words are left alone. */
    CHECK_STR(split(t, "as is 1990s"), "as is 1990|1990s s");
    tok_free(t);
}

typedef struct {
    int len, count, last_start, bad;
    char why[256];
} bounds_ctx;

static int check_bounds(void *c, int flags, const char *token, int token_len, int start, int end)
{
    bounds_ctx *b = c;
    b->count++;
    if (b->bad)
        return 0;
    if (token_len <= 0 || token_len > TOK_MAX_TOKEN || !token)
        snprintf(b->why, sizeof b->why, "token length %d", token_len);
    else if (start < 0 || end > b->len || start >= end)
        snprintf(b->why, sizeof b->why, "range [%d, %d) of %d", start, end, b->len);
    else if (!(flags & TOK_COLOCATED) && start < b->last_start)
        snprintf(b->why, sizeof b->why, "start %d after %d", start, b->last_start);
    else if ((flags & TOK_COLOCATED) && b->count == 1)
        snprintf(b->why, sizeof b->why, "colocated first token");
    else {
        if (!(flags & TOK_COLOCATED))
            b->last_start = start;
        return 0;
    }
    b->bad = 1;
    return 0;
}

static void check_file_bounds(tok_tokenizer *t, const char *path, int min_tokens)
{
    size_t len;
    char *text = slurp(path, &len);
    if (!text) {
        test_fail(__FILE__, __LINE__, "cannot read %s", path);
        return;
    }
    bounds_ctx b = {.len = (int)len};
    CHECK_INT(tok_run(t, text, (int)len, &b, check_bounds), CAIRN_OK);
    if (b.bad)
        test_fail(__FILE__, __LINE__, "%s: %s", path, b.why);
    if (b.count < min_tokens)
        test_fail(__FILE__, __LINE__, "%s: only %d tokens", path, b.count);
    free(text);
}

TEST(tokenize_offsets_stay_in_bounds_on_real_files)
{
    tok_tokenizer *t;
    REQUIRE(tok_new(&t) == CAIRN_OK);
    char path[4096];
    snprintf(path, sizeof path, "%s/corpora/til/llms/llama-7b-m2.md", test_shared_dir());
    check_file_bounds(t, path, 500);
    snprintf(path, sizeof path, "%s/corpora/til/git/backdate-git-commits.md", test_shared_dir());
    check_file_bounds(t, path, 500);
    const char *stdlib = stdlib_dir();
    if (stdlib) {
        snprintf(path, sizeof path, "%s/socket.py", stdlib);
        check_file_bounds(t, path, 3000);
        snprintf(path, sizeof path, "%s/test/test_fstring.py", stdlib); /* non-ASCII */
        check_file_bounds(t, path, 3000);
    }
    tok_free(t);
}

TEST(tokenize_survives_invalid_utf8)
{
    tok_tokenizer *t;
    REQUIRE(tok_new(&t) == CAIRN_OK);
    CHECK_STR(split(t, "ab\xff" "cd\xc3"), "ab cd");
    CHECK_STR(split(t, "x\xc0\xafy"), "x y");           /* overlong '/' */
    CHECK_STR(split(t, "x\xed\xa0\x80y"), "x y");       /* UTF-16 surrogate */
    CHECK_STR(split(t, "\xe2\x82"), "");                /* truncated sequence */
    CHECK_STR(split(t, "caf\xc3\xa9\x80z"), "cafe z");  /* stray continuation */

    /* Input without a NUL that ends inside a word and inside a sequence:
     * ASan catches any read past len. */
    static const char src[] = "tail_word caf\xc3";
    char *exact = malloc(sizeof src - 1);
    REQUIRE(exact);
    memcpy(exact, src, sizeof src - 1);
    CHECK_STR(split_n(t, exact, (int)sizeof src - 1), "tail|tail_word word caf");
    CHECK_STR(split_n(t, exact, 6), "tail|tail_w w");
    free(exact);

    /* Every byte value, repeated: no crash, offsets in bounds. */
    char all[256 * 4];
    for (int i = 0; i < (int)sizeof all; i++)
        all[i] = (char)(i * 37 % 256);
    bounds_ctx b = {.len = (int)sizeof all};
    CHECK_INT(tok_run(t, all, (int)sizeof all, &b, check_bounds), CAIRN_OK);
    CHECK(!b.bad);
    CHECK(b.count > 0);
    tok_free(t);
}

typedef struct {
    int count, colocated, max_len;
    int utf8_ok;
} size_ctx;

static int measure(void *c, int flags, const char *token, int token_len, int start, int end)
{
    (void)start;
    (void)end;
    size_ctx *s = c;
    s->count++;
    s->colocated += (flags & TOK_COLOCATED) != 0;
    if (token_len > s->max_len)
        s->max_len = token_len;
    utf8proc_int32_t cp;
    for (int i = 0; i < token_len;) {
        utf8proc_ssize_t r = utf8proc_iterate((const utf8proc_uint8_t *)token + i,
                                              token_len - i, &cp);
        if (r <= 0) {
            s->utf8_ok = 0;
            break;
        }
        i += (int)r;
    }
    return 0;
}

TEST(tokenize_caps_megabyte_words)
{
    tok_tokenizer *t;
    REQUIRE(tok_new(&t) == CAIRN_OK);
    int len = 1 << 20;
    char *big = malloc((size_t)len);
    REQUIRE(big);

    memset(big, 'a', (size_t)len); /* one 1 MB part */
    size_ctx s = {.utf8_ok = 1};
    CHECK_INT(tok_run(t, big, len, &s, measure), CAIRN_OK);
    CHECK_INT(s.count, 1);
    CHECK(s.max_len > 0 && s.max_len <= TOK_MAX_TOKEN);

    for (int i = 0; i < len; i++) /* aBaBaB...: 64 parts plus the whole word */
        big[i] = (i & 1) ? 'B' : 'a';
    s = (size_ctx){.utf8_ok = 1};
    CHECK_INT(tok_run(t, big, len, &s, measure), CAIRN_OK);
    CHECK_INT(s.count, TOK_MAX_PARTS + 1);
    CHECK_INT(s.colocated, 1);
    CHECK_INT(s.max_len, TOK_MAX_TOKEN);

    for (int i = 0; i + 1 < len; i += 2) { /* é repeated: the non-ASCII path */
        big[i] = (char)0xc3;
        big[i + 1] = (char)0xa9;
    }
    s = (size_ctx){.utf8_ok = 1};
    CHECK_INT(tok_run(t, big, len, &s, measure), CAIRN_OK);
    CHECK_INT(s.count, 1);
    CHECK(s.max_len > 0 && s.max_len <= TOK_MAX_TOKEN);
    CHECK(s.utf8_ok);

    /* A word cut in the middle of a 3-byte character at the cap. */
    for (int i = 0; i + 2 < len; i += 3) {
        big[i] = (char)0xe6; /* 本 */
        big[i + 1] = (char)0x9c;
        big[i + 2] = (char)0xac;
    }
    s = (size_ctx){.utf8_ok = 1};
    CHECK_INT(tok_run(t, big, len - len % 3, &s, measure), CAIRN_OK);
    CHECK_INT(s.count, 1);
    CHECK_INT(s.max_len, 255); /* 85 whole characters */
    CHECK(s.utf8_ok);
    free(big);
    tok_free(t);
}

static int stop_at_second(void *c, int flags, const char *token, int token_len, int start,
                          int end)
{
    (void)flags;
    (void)token;
    (void)token_len;
    (void)start;
    (void)end;
    return ++*(int *)c == 2 ? 42 : 0;
}

TEST(tokenize_stops_when_emit_says_so)
{
    tok_tokenizer *t;
    REQUIRE(tok_new(&t) == CAIRN_OK);
    int calls = 0;
    CHECK_INT(tok_run(t, "one two three four", 18, &calls, stop_at_second), 42);
    CHECK_INT(calls, 2);
    CHECK_INT(tok_run(t, NULL, 5, &calls, stop_at_second), CAIRN_ERR_INVALID);
    CHECK_INT(tok_run(t, "x", -1, &calls, stop_at_second), CAIRN_ERR_INVALID);
    CHECK_INT(tok_run(t, NULL, 0, &calls, stop_at_second), CAIRN_OK);
    tok_free(t);
    tok_free(NULL);
}

TEST(tokenize_next_word_matches_tokenizer_words)
{
    const char *s = "os.path.join(x-y, __z__) caf\xc3\xa9!";
    int pos = 0, start, end, n = 0;
    const char *want[] = {"os", "path", "join", "x-y", "__z__", "caf\xc3\xa9"};
    while (tok_next_word(s, (int)strlen(s), &pos, &start, &end)) {
        REQUIRE(n < 6);
        CHECK_INT(end - start, strlen(want[n]));
        CHECK(memcmp(s + start, want[n], (size_t)(end - start)) == 0);
        n++;
    }
    CHECK_INT(n, 6);
    CHECK_INT(pos, (int)strlen(s));
}
