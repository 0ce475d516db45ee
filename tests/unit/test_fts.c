/*
 * test_fts.c — the 'cairn' FTS5 tokenizer over the TIL notes and real code
 * lines, and the query builder against hostile input.
 */
#include "store/fts.h"
#include "util/err.h"
#include "test.h"

#include <ftw.h>
#include <stdint.h>
#include <stdlib.h>

static sqlite3 *open_db(void)
{
    sqlite3 *db = NULL;
    if (sqlite3_open(":memory:", &db) != SQLITE_OK)
        return NULL;
    char *msg = NULL;
    if (fts_register(db) != CAIRN_OK ||
        sqlite3_exec(db,
                     "CREATE VIRTUAL TABLE t USING fts5(path UNINDEXED, body, tokenize='cairn')",
                     NULL, NULL, &msg) != SQLITE_OK) {
        fprintf(stderr, "    open_db: %s\n", msg ? msg : err_msg());
        sqlite3_free(msg);
        sqlite3_close(db);
        return NULL;
    }
    return db;
}

static int insert(sqlite3 *db, const char *path, const char *body, int len)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, "INSERT INTO t(path, body) VALUES (?1, ?2)", -1, &st, NULL))
        return -1;
    sqlite3_bind_text(st, 1, path, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, body, len, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

static sqlite3 *til_db;
static int til_notes;
static size_t til_root_len;

static int load_note(const char *path, const struct stat *sb, int type, struct FTW *ftw)
{
    (void)sb;
    (void)ftw;
    size_t n = strlen(path);
    if (type != FTW_F || n < 3 || strcmp(path + n - 3, ".md") != 0)
        return 0;
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    buf b;
    buf_init(&b, 16 << 20);
    char chunk[65536];
    size_t got;
    int rc = 0;
    while (rc == 0 && (got = fread(chunk, 1, sizeof chunk, f)) > 0)
        rc = buf_append(&b, chunk, got);
    fclose(f);
    if (rc == 0)
        rc = insert(til_db, path + til_root_len, buf_str(&b), (int)b.len);
    buf_release(&b);
    til_notes += rc == 0;
    return rc;
}

/* A database holding every TIL note, keyed by its path under til/. */
static sqlite3 *open_til_db(void)
{
    char root[4096];
    snprintf(root, sizeof root, "%s/corpora/til/", test_shared_dir());
    til_root_len = strlen(root);
    til_db = open_db();
    til_notes = 0;
    if (!til_db)
        return NULL;
    sqlite3_exec(til_db, "BEGIN", NULL, NULL, NULL);
    int rc = nftw(root, load_note, 16, FTW_PHYS);
    sqlite3_exec(til_db, "COMMIT", NULL, NULL, NULL);
    if (rc != 0 || til_notes < 500) {
        fprintf(stderr, "    loading %s: %d notes, rc %d\n", root, til_notes, rc);
        sqlite3_close(til_db);
        return NULL;
    }
    return til_db;
}

/* Run user text through fts_query_build and MATCH; write the matching
 * paths, best first, one per line, into out (static storage).  Returns the
 * builder's code, or CAIRN_ERR_DB with the SQLite message in out. */
static int search(sqlite3 *db, const char *user, const char **out)
{
    static char result[1 << 16];
    result[0] = '\0';
    *out = result;
    buf q;
    buf_init(&q, 0);
    int rc = fts_query_build(user, &q);
    if (rc != CAIRN_OK) {
        buf_release(&q);
        return rc;
    }
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, "SELECT path FROM t WHERE t MATCH ?1 ORDER BY rank", -1, &st,
                           NULL) != SQLITE_OK) {
        buf_release(&q);
        snprintf(result, sizeof result, "%s", sqlite3_errmsg(db));
        return CAIRN_ERR_DB;
    }
    sqlite3_bind_text(st, 1, buf_str(&q), -1, SQLITE_TRANSIENT);
    buf_release(&q);
    size_t used = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int n = snprintf(result + used, sizeof result - used, "%s\n", sqlite3_column_text(st, 0));
        if (n > 0 && (size_t)n < sizeof result - used)
            used += (size_t)n;
    }
    if (rc != SQLITE_DONE)
        snprintf(result, sizeof result, "%s", sqlite3_errmsg(db));
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? CAIRN_OK : CAIRN_ERR_DB;
}

/* Does the newline-separated list hold path as one whole line? */
static int has_line(const char *list, const char *path)
{
    size_t n = strlen(path);
    for (const char *p = list; (p = strstr(p, path)); p++)
        if ((p == list || p[-1] == '\n') && p[n] == '\n')
            return 1;
    return 0;
}

#define CHECK_FINDS(db, query, path)                                                       \
    do {                                                                                   \
        const char *got_;                                                                  \
        int rc_ = search(db, query, &got_);                                                \
        if (rc_ != CAIRN_OK || !has_line(got_, path))                                      \
            test_fail(__FILE__, __LINE__, "search \"%s\" (rc %d) lacks %s:\n%.400s", query, \
                      rc_, path, got_);                                                    \
    } while (0)

TEST(fts_register_provides_cairn_tokenizer)
{
    sqlite3 *db;
    REQUIRE(sqlite3_open(":memory:", &db) == SQLITE_OK);
    CHECK(sqlite3_exec(db, "CREATE VIRTUAL TABLE a USING fts5(body, tokenize='cairn')", NULL,
                       NULL, NULL) != SQLITE_OK);
    CHECK_INT(fts_register(db), CAIRN_OK);
    CHECK_INT(fts_register(db), CAIRN_OK);
    CHECK(sqlite3_exec(db, "CREATE VIRTUAL TABLE a USING fts5(body, tokenize='cairn')", NULL,
                       NULL, NULL) == SQLITE_OK);
    CHECK(sqlite3_exec(db, "CREATE VIRTUAL TABLE b USING fts5(body, tokenize='cairn porter')",
                       NULL, NULL, NULL) != SQLITE_OK);
    /* The tokens FTS5 stores are the tokenizer's, colocated ones included. */
    CHECK(sqlite3_exec(db,
                       "CREATE VIRTUAL TABLE v USING fts5vocab(a, 'row');"
                       "INSERT INTO a VALUES ('getUserName connections')",
                       NULL, NULL, NULL) == SQLITE_OK);
    sqlite3_stmt *st;
    REQUIRE(sqlite3_prepare_v2(
                db, "SELECT group_concat(term, ' ') FROM (SELECT term FROM v ORDER BY term)", -1,
                &st, NULL) == SQLITE_OK);
    REQUIRE(sqlite3_step(st) == SQLITE_ROW);
    CHECK_STR((const char *)sqlite3_column_text(st, 0), "connect get getusername name user");
    sqlite3_finalize(st);
    sqlite3_close(db);
}

TEST(fts_finds_stems_and_identifiers_in_til_notes)
{
    sqlite3 *db = open_til_db();
    REQUIRE(db);
    /* This note says "connection" but never "connections". */
    sqlite3_stmt *st;
    REQUIRE(sqlite3_prepare_v2(db, "SELECT body FROM t WHERE path = 'pytest/subprocess-server.md'",
                               -1, &st, NULL) == SQLITE_OK);
    REQUIRE(sqlite3_step(st) == SQLITE_ROW);
    const char *body = (const char *)sqlite3_column_text(st, 0);
    CHECK(strcasestr(body, "connection") && !strcasestr(body, "connections"));
    sqlite3_finalize(st);
    const char *got;
    CHECK_FINDS(db, "connections", "pytest/subprocess-server.md");
    CHECK_FINDS(db, "connecting", "pytest/subprocess-server.md");
    /* "Café" with an accent, and plain "cafe". */
    CHECK_FINDS(db, "cafe", "llms/llama-7b-m2.md");
    CHECK_FINDS(db, "CAFÉ", "gis/pmtiles.md");
    CHECK_FINDS(db, "os.path.join", "git/backdate-git-commits.md");
    CHECK_FINDS(db, "asyncio.get_event_loop", "datasette/pytest-httpx-datasette.md");
    CHECK_FINDS(db, "getEventLoop", "datasette/pytest-httpx-datasette.md");
    CHECK_FINDS(db, "HTTP_SERVER", "llms/streaming-llm-apis.md");
    CHECK_FINDS(db, "contentType", "awslambda/asgi-mangum.md");
    /* A word that is in no note finds nothing, not everything. */
    REQUIRE(search(db, "zzyzxquux", &got) == CAIRN_OK);
    CHECK_STR(got, "");
    sqlite3_close(db);
}

/* Real lines: Python stdlib (http/server.py, wsgiref), JavaScript, C. */
static const char *const code_rows[][2] = {
    {"server.py", "class HTTPServer(socketserver.TCPServer):"},
    {"app.py", "    http_server = make_server(host, port, application)"},
    {"user.js", "const name = user.getUserName();"},
    {"user.py", "    def get_user_name(self):"},
    {"io.c", "static int64_t offset = 0;"},
    {"int.txt", "an int is 64 bits on most platforms"},
    {"prose.md", "The username is shown next to the name of each server."},
};

static sqlite3 *open_code_db(void)
{
    sqlite3 *db = open_db();
    if (!db)
        return NULL;
    for (size_t i = 0; i < sizeof code_rows / sizeof *code_rows; i++)
        if (insert(db, code_rows[i][0], code_rows[i][1], -1) != 0) {
            sqlite3_close(db);
            return NULL;
        }
    return db;
}

TEST(fts_matches_identifiers_across_case_styles)
{
    sqlite3 *db = open_code_db();
    REQUIRE(db);
    const char *got;
    static const char *const same[] = {"getUserName", "get_user_name", "GetUserName"};
    for (const char *const *q = same; q < same + 3; q++) {
        CHECK_INT(search(db, *q, &got), CAIRN_OK);
        CHECK(has_line(got, "user.js") && has_line(got, "user.py"));
        CHECK_INT(strlen(got), strlen("user.js\nuser.py\n")); /* not prose.md */
    }
    CHECK_FINDS(db, "user", "user.js");
    CHECK_FINDS(db, "user", "user.py");
    CHECK_INT(search(db, "HTTPServer", &got), CAIRN_OK);
    CHECK(has_line(got, "server.py") && has_line(got, "app.py") && !has_line(got, "prose.md"));
    CHECK_INT(search(db, "http_server", &got), CAIRN_OK);
    CHECK(has_line(got, "server.py") && has_line(got, "app.py"));
    /* The exact identifier: the phrase int 64 t, not "int" and "64" apart. */
    CHECK_INT(search(db, "int64_t", &got), CAIRN_OK);
    CHECK_STR(got, "io.c\n");

    sqlite3_stmt *st;
    REQUIRE(sqlite3_prepare_v2(db, "SELECT highlight(t, 1, '[', ']') FROM t WHERE t MATCH ?1", -1,
                               &st, NULL) == SQLITE_OK);
    sqlite3_bind_text(st, 1, "\"int64_t\"", -1, SQLITE_STATIC);
    REQUIRE(sqlite3_step(st) == SQLITE_ROW);
    CHECK_STR((const char *)sqlite3_column_text(st, 0), "static [int64_t] offset = 0;");
    sqlite3_reset(st);
    sqlite3_bind_text(st, 1, "\"user\"", -1, SQLITE_STATIC);
    REQUIRE(sqlite3_step(st) == SQLITE_ROW);
    CHECK_STR((const char *)sqlite3_column_text(st, 0), "const name = [user].get[User]Name();");
    sqlite3_finalize(st);
    sqlite3_close(db);
}

TEST(fts_query_build_quotes_and_filters)
{
    static const struct {
        const char *in, *want;
    } cases[] = {
        {"How do I use getUserName?", "\"use\" OR \"getUserName\""},
        {"foo\"bar", "\"foo\" OR \"bar\""},
        {"os.path.join(a, b)", "\"os.path.join\" OR \"b\""},
        {"what is the", "\"what\" OR \"is\" OR \"the\""},
        {"Foo foo FOO bar", "\"Foo\" OR \"bar\""},
        {"NEAR(a AND b) OR NOT c", "\"NEAR\" OR \"b\" OR \"c\""},
        {"AND OR NOT", "\"AND\" OR \"OR\" OR \"NOT\""},
        {"col:val ^x -y *z", "\"col\" OR \"val\" OR \"x\" OR \"y\" OR \"z\""},
        {"sqlite-utils x-", "\"sqlite-utils\" OR \"x\""},
        {"end. Next", "\"end\" OR \"Next\""},
        {"café 🔥", "\"café\""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        buf b;
        buf_init(&b, 0);
        CHECK_INT(fts_query_build(cases[i].in, &b), CAIRN_OK);
        CHECK_STR(buf_str(&b), cases[i].want);
        buf_release(&b);
    }

    /* 40 distinct words keep 32; a 300-letter word is cut to 256 bytes. */
    buf in, out;
    buf_init(&in, 0);
    buf_init(&out, 0);
    for (int i = 0; i < 40; i++)
        buf_printf(&in, "w%d ", i);
    CHECK_INT(fts_query_build(buf_str(&in), &out), CAIRN_OK);
    CHECK(strstr(buf_str(&out), "\"w31\"") != NULL);
    CHECK(strstr(buf_str(&out), "\"w32\"") == NULL);
    /* Likewise when every word is a stopword (40 distinct ones). */
    buf_clear(&in);
    buf_clear(&out);
    buf_puts(&in, "a about an and are as at be been being but by can could did do does for "
                  "from had has have he her his how i if in into is it its me my not of on");
    CHECK_INT(fts_query_build(buf_str(&in), &out), CAIRN_OK);
    int terms = 1;
    for (const char *p = buf_str(&out); (p = strstr(p, " OR ")); p++)
        terms++;
    CHECK_INT(terms, FTS_MAX_TERMS);
    buf_clear(&in);
    buf_clear(&out);
    for (int i = 0; i < 300; i++)
        buf_putc(&in, 'q');
    CHECK_INT(fts_query_build(buf_str(&in), &out), CAIRN_OK);
    CHECK_INT(out.len, FTS_MAX_TERM_BYTES + 2);

    static const char *const empty[] = {"", "   ", "🔥🚀✨", "\"\"()*:^"};
    for (const char *const *e = empty; e < empty + 4; e++) {
        buf_clear(&out);
        CHECK_INT(fts_query_build(*e, &out), CAIRN_ERR_INVALID);
        CHECK_STR(err_msg(), "query has no searchable words");
    }
    buf_release(&in);
    buf_release(&out);
}

TEST(fts_hostile_queries_never_break_match)
{
    sqlite3 *db = open_code_db();
    REQUIRE(db);
    static const char *const hostile[] = {
        "\"", "foo\"bar", "(", "a AND", "NEAR(", "*", "col:val", "^x", "-x",
        "'; DROP TABLE t; --", "🔥", "AND OR NOT", "\"unterminated", "a NEAR/3 b",
        "{path body}: x", "x + y", "\xff\xfe\xc3", "NOT", "OR OR OR",
    };
    /* The same strings straight into MATCH do fail: the builder matters. */
    int raw_errors = 0;
    for (size_t i = 0; i < sizeof hostile / sizeof *hostile; i++) {
        sqlite3_stmt *st;
        REQUIRE(sqlite3_prepare_v2(db, "SELECT 1 FROM t WHERE t MATCH ?1", -1, &st, NULL) ==
                SQLITE_OK);
        sqlite3_bind_text(st, 1, hostile[i], -1, SQLITE_STATIC);
        while (sqlite3_step(st) == SQLITE_ROW)
            ;
        raw_errors += sqlite3_finalize(st) != SQLITE_OK;
    }
    CHECK(raw_errors >= 10);

    for (size_t i = 0; i < sizeof hostile / sizeof *hostile; i++) {
        const char *got;
        int rc = search(db, hostile[i], &got);
        if (rc != CAIRN_OK && rc != CAIRN_ERR_INVALID)
            test_fail(__FILE__, __LINE__, "query \"%s\": rc %d: %s", hostile[i], rc, got);
    }
    const char *got;
    CHECK_INT(search(db, "'; DROP TABLE t; --", &got), CAIRN_OK); /* searches "DROP" "TABLE" "t" */
    CHECK_INT(search(db, "🔥", &got), CAIRN_ERR_INVALID);

    /* 100 KB of random non-NUL bytes, a few seeds. */
    char *junk = malloc(100 * 1024 + 1);
    REQUIRE(junk);
    uint64_t x = 0x9E3779B97F4A7C15u;
    for (int round = 0; round < 4; round++) {
        for (int i = 0; i < 100 * 1024; i++) {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            junk[i] = (char)(1 + x % 255);
        }
        junk[100 * 1024] = '\0';
        int rc = search(db, junk, &got);
        if (rc != CAIRN_OK && rc != CAIRN_ERR_INVALID)
            test_fail(__FILE__, __LINE__, "random query %d: rc %d: %s", round, rc, got);
    }
    free(junk);
    sqlite3_close(db);
}

TEST(fts_long_question_finds_row_with_three_of_its_words)
{
    /* One real line from a TIL note plus two others, read at run time. */
    static const struct {
        const char *file, *needle;
    } lines[] = {
        {"git/backdate-git-commits.md", "syntax highlighting"},
        {"llms/llama-7b-m2.md", "Café"},
        {"datasette/pytest-httpx-datasette.md", "get_event_loop"},
    };
    sqlite3 *db = open_db();
    REQUIRE(db);
    for (size_t i = 0; i < 3; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/corpora/til/%s", test_shared_dir(), lines[i].file);
        FILE *f = fopen(path, "r");
        REQUIRE(f);
        char line[4096];
        int found = 0;
        while (!found && fgets(line, sizeof line, f))
            found = strstr(line, lines[i].needle) != NULL;
        fclose(f);
        REQUIRE(found);
        REQUIRE(insert(db, lines[i].file, line, -1) == 0);
    }
    /* Of its 12 words, the backdate line has repository, syntax and
     * highlighting; the rest are stopwords or absent. */
    const char *got;
    CHECK_INT(search(db, "Which editor plugin would render repository files with syntax "
                         "highlighting during review",
                     &got),
              CAIRN_OK);
    CHECK_STR(got, "git/backdate-git-commits.md\n");
    sqlite3_close(db);
}

TEST(fts_snippet_and_bm25_work_with_tokenizer)
{
    sqlite3 *db = open_code_db();
    REQUIRE(db);
    REQUIRE(insert(db, "a.md", "sqlite fts5 tokenizer for code search", -1) == 0);
    REQUIRE(insert(db, "b.md", "a tokenizer splits text", -1) == 0);
    REQUIRE(insert(db, "c.md", "sqlite is a small database engine", -1) == 0);

    sqlite3_stmt *st;
    REQUIRE(sqlite3_prepare_v2(db,
                               "SELECT path, snippet(t, 1, '[', ']', '...', 10), bm25(t) FROM t "
                               "WHERE t MATCH ?1 ORDER BY rank",
                               -1, &st, NULL) == SQLITE_OK);
    buf q;
    buf_init(&q, 0);
    REQUIRE(fts_query_build("How does the sqlite fts5 tokenizer work?", &q) == CAIRN_OK);
    sqlite3_bind_text(st, 1, buf_str(&q), -1, SQLITE_TRANSIENT);
    /* The row with all three terms first, then the one-term rows. */
    REQUIRE(sqlite3_step(st) == SQLITE_ROW);
    CHECK_STR((const char *)sqlite3_column_text(st, 0), "a.md");
    CHECK_STR((const char *)sqlite3_column_text(st, 1),
              "[sqlite] [fts5] [tokenizer] for code search");
    double best = sqlite3_column_double(st, 2);
    CHECK(best < 0);
    int rows = 1;
    while (sqlite3_step(st) == SQLITE_ROW) {
        CHECK(sqlite3_column_double(st, 2) > best);
        rows++;
    }
    CHECK_INT(rows, 3);
    sqlite3_finalize(st);
    buf_release(&q);
    sqlite3_close(db);

    /* snippet() over a real note: FTS5 re-tokenizes it and needs sane
     * offsets to cut the text around the match. */
    db = open_til_db();
    REQUIRE(db);
    REQUIRE(sqlite3_prepare_v2(db,
                               "SELECT snippet(t, 1, '[', ']', '...', 8) FROM t WHERE t MATCH "
                               "'\"HTTPServer\"' AND path = 'llms/streaming-llm-apis.md'",
                               -1, &st, NULL) == SQLITE_OK);
    REQUIRE(sqlite3_step(st) == SQLITE_ROW);
    const char *snip = (const char *)sqlite3_column_text(st, 0);
    if (!snip || !strstr(snip, "[HTTPServer]"))
        test_fail(__FILE__, __LINE__, "snippet: %s", snip ? snip : "(null)");
    sqlite3_finalize(st);
    sqlite3_close(db);
}
