/*
 * test_store.c — the index database: creation, schema checks, files and
 * chunks in and out, FTS kept in step, BM25 search, statistics.
 */
#include "store/fts.h"
#include "store/store.h"
#include "util/buf.h"
#include "util/err.h"
#include "test.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char *idx_dir(const char *name)
{
    static char path[4096];
    snprintf(path, sizeof path, "%s/%s", test_tmpdir(), name);
    return path;
}

static int64_t add_file(store *s, int64_t root, const char *path, const char *lang,
                        const char *kind, const char *const *texts, size_t n)
{
    store_file f = {.root_id = root, .path = path, .size = 100, .mtime_ns = 1,
                    .hash = 42, .lang = lang, .kind = kind, .encoding = "utf-8"};
    int64_t id = 0;
    if (store_file_put(s, &f, &id) != CAIRN_OK)
        return 0;
    for (size_t i = 0; i < n; i++) {
        store_chunk c = {.seq = (int)i, .start_line = (int)i * 10 + 1, .end_line = (int)i * 10 + 9,
                         .start_byte = 0, .end_byte = (int64_t)strlen(texts[i]),
                         .text = texts[i], .text_len = strlen(texts[i])};
        if (store_chunk_add(s, id, &c) != CAIRN_OK)
            return 0;
    }
    return id;
}

static size_t search_count(store *s, const char *query, const char *kind, store_hit **out)
{
    buf m;
    buf_init(&m, 0);
    size_t n = 0;
    store_hit *hits = NULL;
    if (fts_query_build(query, &m) == CAIRN_OK) {
        store_query q = {.match = buf_str(&m), .kind = kind, .limit = 10};
        if (store_search(s, &q, &hits, &n) != CAIRN_OK) {
            fprintf(stderr, "    search '%s': %s\n", query, err_msg());
            n = 0;
        }
    }
    buf_release(&m);
    if (out)
        *out = hits;
    else
        store_hits_free(hits, n);
    return n;
}

static int fts_integrity_ok(const char *dir)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/index.db", dir);
    sqlite3 *db;
    if (sqlite3_open(path, &db) != SQLITE_OK)
        return 0;
    fts_register(db);
    int rc = sqlite3_exec(db, "INSERT INTO chunks_fts(chunks_fts, rank) VALUES ('integrity-check', 1)",
                          NULL, NULL, NULL);
    sqlite3_close(db);
    return rc == SQLITE_OK;
}

TEST(store_creates_and_reopens_an_index)
{
    const char *dir = idx_dir("a");
    store *s = NULL;
    CHECK_INT(store_open(dir, STORE_READ, &s), CAIRN_ERR_NOTFOUND);
    CHECK(strstr(err_msg(), "cairn index") != NULL);
    REQUIRE(store_open(dir, STORE_WRITE, &s) == CAIRN_OK);
    char *v = NULL;
    CHECK_INT(store_meta_get(s, "created_by", &v), CAIRN_OK);
    CHECK(v && strncmp(v, "cairn ", 6) == 0);
    free(v);
    CHECK_INT(store_meta_get(s, "no-such-key", &v), CAIRN_ERR_NOTFOUND);
    store_close(s);
    REQUIRE(store_open(dir, STORE_READ, &s) == CAIRN_OK);
    store_close(s);
    store_close(NULL);
}

TEST(store_files_chunks_and_search)
{
    const char *dir = idx_dir("b");
    store *s = NULL;
    REQUIRE(store_open(dir, STORE_WRITE, &s) == CAIRN_OK);
    int64_t root = 0;
    REQUIRE(store_begin(s) == CAIRN_OK);
    REQUIRE(store_root_ensure(s, "/src/project", &root) == CAIRN_OK);
    int64_t again = 0;
    CHECK_INT(store_root_ensure(s, "/src/project", &again), CAIRN_OK);
    CHECK_INT(again, root);
    const char *code[] = {"def open_connection(host, port):\n    return socket.create_connection((host, port))\n",
                          "class HTTPServerError(Exception):\n    pass\n"};
    const char *prose[] = {"We pooled the database connections and the latency went down."};
    int64_t f1 = add_file(s, root, "net/conn.py", "python", "code", code, 2);
    int64_t f2 = add_file(s, root, "notes/pooling.md", "markdown", "prose", prose, 1);
    CHECK(f1 > 0 && f2 > 0);
    REQUIRE(store_commit(s) == CAIRN_OK);

    store_hit *hits = NULL;
    size_t n = search_count(s, "openConnection", NULL, &hits);
    REQUIRE(n >= 1);
    CHECK_STR(hits[0].path, "net/conn.py");
    CHECK_STR(hits[0].root, "/src/project");
    CHECK_STR(hits[0].lang, "python");
    CHECK_INT(hits[0].start_line, 1);
    CHECK(hits[0].score > 0);
    /* Snippets are made for the hits kept, when asked. */
    CHECK(hits[0].snippet == NULL);
    buf m;
    buf_init(&m, 0);
    REQUIRE(fts_query_build("openConnection", &m) == CAIRN_OK);
    REQUIRE(store_hits_snippets(s, buf_str(&m), hits, 1) == CAIRN_OK);
    CHECK(hits[0].snippet && strstr(hits[0].snippet, STORE_MARK_OPEN) != NULL);
    CHECK(n < 2 || hits[1].snippet == NULL);
    /* A chunk without the words gets its first lines, unmarked. */
    free(hits[0].snippet);
    hits[0].snippet = NULL;
    buf_clear(&m);
    REQUIRE(fts_query_build("zebra", &m) == CAIRN_OK);
    REQUIRE(store_hits_snippets(s, buf_str(&m), hits, 1) == CAIRN_OK);
    CHECK(hits[0].snippet && *hits[0].snippet && strstr(hits[0].snippet, STORE_MARK_OPEN) == NULL);
    buf_release(&m);
    store_hits_free(hits, n);

    CHECK_INT(search_count(s, "http server error", NULL, NULL), 1);
    CHECK_INT(search_count(s, "connection", "prose", NULL), 1);
    CHECK_INT(search_count(s, "connection", "code", NULL), 1);
    CHECK_INT(search_count(s, "connection", NULL, NULL), 2);

    /* Replacing a file drops its old chunks from the full-text index. */
    REQUIRE(store_begin(s) == CAIRN_OK);
    const char *newer[] = {"def close_everything():\n    pass\n"};
    int64_t f1b = add_file(s, root, "net/conn.py", "python", "code", newer, 1);
    CHECK_INT(f1b, f1);
    REQUIRE(store_commit(s) == CAIRN_OK);
    CHECK_INT(search_count(s, "HTTPServerError", NULL, NULL), 0);
    CHECK_INT(search_count(s, "close everything", NULL, NULL), 1);

    REQUIRE(store_begin(s) == CAIRN_OK);
    CHECK_INT(store_file_delete(s, f2), CAIRN_OK);
    REQUIRE(store_commit(s) == CAIRN_OK);
    CHECK_INT(search_count(s, "latency", NULL, NULL), 0);

    store_stats st;
    REQUIRE(store_stats_get(s, 0, &st) == CAIRN_OK);
    CHECK_INT(st.files, 1);
    CHECK_INT(st.chunks, 1);
    CHECK_INT(st.nlangs, 1);
    CHECK(st.db_bytes > 0);
    store_stats_release(&st);
    store_close(s);
    CHECK(fts_integrity_ok(dir));
}

TEST(store_refuses_foreign_and_damaged_files)
{
    const char *dir = idx_dir("c");
    mkdir(dir, 0755);
    char junk[8192];
    for (size_t i = 0; i < sizeof junk; i++)
        junk[i] = (char)(i * 7 + 3);
    test_write_file(dir, "index.db", junk, sizeof junk);
    store *s = NULL;
    CHECK_INT(store_open(dir, STORE_WRITE, &s), CAIRN_ERR_CORRUPT);
    CHECK(strstr(err_msg(), "index.db") != NULL);
    CHECK_INT(store_open(dir, STORE_READ, &s), CAIRN_ERR_CORRUPT);
    CHECK(s == NULL);

    const char *dir2 = idx_dir("d");
    mkdir(dir2, 0755);
    char path[4200];
    snprintf(path, sizeof path, "%s/index.db", dir2);
    sqlite3 *db;
    REQUIRE(sqlite3_open(path, &db) == SQLITE_OK);
    sqlite3_exec(db, "CREATE TABLE t(x)", NULL, NULL, NULL);
    sqlite3_close(db);
    CHECK_INT(store_open(dir2, STORE_WRITE, &s), CAIRN_ERR_CORRUPT);
    CHECK(strstr(err_msg(), "not a cairn index") != NULL);
}

TEST(store_refuses_other_schema_versions)
{
    const char *dir = idx_dir("e");
    store *s = NULL;
    REQUIRE(store_open(dir, STORE_WRITE, &s) == CAIRN_OK);
    store_close(s);
    char path[4200];
    snprintf(path, sizeof path, "%s/index.db", dir);
    sqlite3 *db;
    REQUIRE(sqlite3_open(path, &db) == SQLITE_OK);
    sqlite3_exec(db, "PRAGMA user_version = 77", NULL, NULL, NULL);
    sqlite3_close(db);
    CHECK_INT(store_open(dir, STORE_READ, &s), CAIRN_ERR_VERSION);
    CHECK(strstr(err_msg(), "newer cairn") != NULL);
    CHECK_INT(store_open(dir, STORE_WRITE, &s), CAIRN_ERR_VERSION);
}

TEST(store_index_dir_that_is_a_file)
{
    test_write_file(test_tmpdir(), "plainfile", "x", 1);
    store *s = NULL;
    CHECK_INT(store_open(idx_dir("plainfile"), STORE_WRITE, &s), CAIRN_ERR_INVALID);
    CHECK(strstr(err_msg(), "plainfile") != NULL);
}

TEST(store_query_synonym_finds_run_together_identifier)
{
    const char *dir = idx_dir("f");
    store *s = NULL;
    REQUIRE(store_open(dir, STORE_WRITE, &s) == CAIRN_OK);
    int64_t root;
    REQUIRE(store_begin(s) == CAIRN_OK);
    REQUIRE(store_root_ensure(s, "/r", &root) == CAIRN_OK);
    const char *code[] = {"function getUser(id) { return users[id]; }"};
    CHECK(add_file(s, root, "a.js", "javascript", "code", code, 1) > 0);
    REQUIRE(store_commit(s) == CAIRN_OK);
    CHECK_INT(search_count(s, "getuser", NULL, NULL), 1);
    CHECK_INT(search_count(s, "getUser", NULL, NULL), 1);
    CHECK_INT(search_count(s, "get_user", NULL, NULL), 1);
    store_close(s);
}

/* An index of the previous schema is upgraded by a writer and refused,
 * with the way out named, by a reader. */
TEST(store_upgrades_an_older_schema)
{
    const char *dir = idx_dir("g");
    store *s = NULL;
    REQUIRE(store_open(dir, STORE_WRITE, &s) == CAIRN_OK);
    int64_t root;
    REQUIRE(store_begin(s) == CAIRN_OK);
    REQUIRE(store_root_ensure(s, "/old", &root) == CAIRN_OK);
    const char *code[] = {"int kept_across_upgrades(void);"};
    CHECK(add_file(s, root, "k.h", "c", "code", code, 1) > 0);
    REQUIRE(store_commit(s) == CAIRN_OK);
    store_close(s);
    char path[4200];
    snprintf(path, sizeof path, "%s/index.db", dir);
    sqlite3 *db;
    REQUIRE(sqlite3_open(path, &db) == SQLITE_OK);
    CHECK_INT(sqlite3_exec(db,
                           "DROP TABLE symbols; DROP TABLE refs; DROP TABLE docs;"
                           "DROP TABLE doc_tags; DROP TABLE links; PRAGMA user_version = 1;",
                           NULL, NULL, NULL),
              SQLITE_OK);
    sqlite3_close(db);
    CHECK_INT(store_open(dir, STORE_READ, &s), CAIRN_ERR_VERSION);
    CHECK(strstr(err_msg(), "cairn index") != NULL);
    REQUIRE(store_open(dir, STORE_WRITE, &s) == CAIRN_OK);
    CHECK_INT(search_count(s, "kept_across_upgrades", NULL, NULL), 1);
    store_close(s);
    REQUIRE(sqlite3_open(path, &db) == SQLITE_OK);
    sqlite3_stmt *st;
    REQUIRE(sqlite3_prepare_v2(db, "SELECT count(*) FROM sqlite_schema WHERE name IN "
                                   "('symbols','refs','docs','doc_tags','links')", -1, &st, NULL) == SQLITE_OK);
    CHECK_INT(sqlite3_step(st), SQLITE_ROW);
    CHECK_INT(sqlite3_column_int(st, 0), 5);
    sqlite3_finalize(st);
    REQUIRE(sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL) == SQLITE_OK);
    CHECK_INT(sqlite3_step(st), SQLITE_ROW);
    CHECK_INT(sqlite3_column_int(st, 0), STORE_SCHEMA_VERSION);
    sqlite3_finalize(st);
    sqlite3_close(db);
}

static int schema_count(const char *dir, const char *where)
{
    char path[4200], sql[512];
    snprintf(path, sizeof path, "%s/index.db", dir);
    snprintf(sql, sizeof sql, "SELECT count(*) FROM sqlite_schema WHERE %s", where);
    sqlite3 *db;
    sqlite3_stmt *st;
    int n = -1;
    if (sqlite3_open(path, &db) == SQLITE_OK &&
        sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK) {
        if (sqlite3_step(st) == SQLITE_ROW)
            n = sqlite3_column_int(st, 0);
        sqlite3_finalize(st);
    }
    sqlite3_close(db);
    return n;
}

#define LOOKUP_INDEXES "name IN ('symbols_by_name', 'symbols_by_qualname', 'refs_by_name')"

TEST(store_defers_lookup_indexes_only_when_empty)
{
    const char *dir = idx_dir("defer");
    store *s;
    REQUIRE(store_open(dir, STORE_WRITE, &s) == CAIRN_OK);
    CHECK_INT(schema_count(dir, LOOKUP_INDEXES), 3);
    CHECK_INT(schema_count(dir, "name = 'refs_by_target'"), 0);
    int deferred = -1;
    REQUIRE(store_lookup_indexes_defer(s, &deferred) == CAIRN_OK);
    CHECK_INT(deferred, 1);
    CHECK_INT(schema_count(dir, LOOKUP_INDEXES), 0);
    int64_t root;
    REQUIRE(store_begin(s) == CAIRN_OK);
    CHECK_INT(store_lookup_indexes_defer(s, &deferred), CAIRN_ERR_INVALID);
    REQUIRE(store_root_ensure(s, "/d", &root) == CAIRN_OK);
    const char *code[] = {"int deferred_lookup(void);"};
    CHECK(add_file(s, root, "d.h", "c", "code", code, 1) > 0);
    REQUIRE(store_commit(s) == CAIRN_OK);
    REQUIRE(store_lookup_indexes_restore(s) == CAIRN_OK);
    CHECK_INT(schema_count(dir, LOOKUP_INDEXES), 3);
    /* Not empty any more: nothing is dropped. */
    REQUIRE(store_lookup_indexes_defer(s, &deferred) == CAIRN_OK);
    CHECK_INT(deferred, 0);
    CHECK_INT(schema_count(dir, LOOKUP_INDEXES), 3);
    store_close(s);
    /* A run killed between the two: the next writer builds them again. */
    char path[4200];
    snprintf(path, sizeof path, "%s/index.db", dir);
    sqlite3 *db;
    REQUIRE(sqlite3_open(path, &db) == SQLITE_OK);
    CHECK_INT(sqlite3_exec(db, "DROP INDEX refs_by_name; DROP INDEX symbols_by_name;", NULL, NULL, NULL),
              SQLITE_OK);
    sqlite3_close(db);
    REQUIRE(store_open(dir, STORE_READ, &s) == CAIRN_OK);
    CHECK_INT(search_count(s, "deferred_lookup", NULL, NULL), 1);
    store_close(s);
    CHECK_INT(schema_count(dir, LOOKUP_INDEXES), 1);
    REQUIRE(store_open(dir, STORE_WRITE, &s) == CAIRN_OK);
    store_close(s);
    CHECK_INT(schema_count(dir, LOOKUP_INDEXES), 3);
}
