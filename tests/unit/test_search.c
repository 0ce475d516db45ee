/*
 * test_search.c — query-level search: validation, per-file grouping, and
 * definitions of identifiers named in the query ranked first.
 */
#include "query/search.h"
#include "store/store.h"
#include "store/symbols.h"
#include "util/err.h"
#include "test.h"

#include <stdio.h>
#include <string.h>

static store *open_fixture(void)
{
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/idx", test_tmpdir());
    store *s = NULL;
    if (store_open(dir, STORE_WRITE, &s) != CAIRN_OK)
        return NULL;
    int64_t root, id;
    store_begin(s);
    store_root_ensure(s, "/proj", &root);
    /* server.py mentions HTTPServer many times in a long docstring chunk;
     * the class itself is defined in a later chunk that mentions it once. */
    const char *texts[] = {
        "\"\"\"HTTPServer notes. HTTPServer HTTPServer HTTPServer handles requests;\n"
        "subclass HTTPServer to serve HTTPServer things.\"\"\"\n",
        "class HTTPServer(socketserver.TCPServer):\n    allow_reuse_address = 1\n",
        "def open_connection(host, port):\n    return connect(host, port)\n",
    };
    store_file f = {.root_id = root, .path = "server.py", .size = 10, .mtime_ns = 1, .hash = 1,
                    .lang = "python", .kind = "code", .encoding = "utf-8"};
    store_file_put(s, &f, &id);
    for (int i = 0; i < 3; i++) {
        store_chunk c = {.seq = i, .start_line = i * 10 + 1, .end_line = i * 10 + 9,
                         .text = texts[i], .text_len = strlen(texts[i])};
        store_chunk_add(s, id, &c);
    }
    store_sym_in syms[] = {
        {.name = "HTTPServer", .qualname = "HTTPServer", .kind = "class",
         .signature = "class HTTPServer(socketserver.TCPServer):", .start_line = 11,
         .end_line = 12, .parent = -1},
        {.name = "open_connection", .qualname = "open_connection", .kind = "function",
         .signature = "def open_connection(host, port):", .start_line = 21, .end_line = 22,
         .parent = -1},
    };
    store_symbols_put(s, id, syms, 2, NULL, 0);
    for (int i = 0; i < 3; i++) {
        char rel[32];
        snprintf(rel, sizeof rel, "notes%d.md", i);
        store_file g = {.root_id = root, .path = rel, .size = 10, .mtime_ns = 1, .hash = 2,
                        .lang = "markdown", .kind = "prose", .encoding = "utf-8"};
        store_file_put(s, &g, &id);
        for (int j = 0; j < 4; j++) {
            const char *t = "Connection pooling notes: a connection per request is slow.";
            store_chunk c = {.seq = j, .start_line = j + 1, .end_line = j + 1, .text = t,
                             .text_len = strlen(t)};
            store_chunk_add(s, id, &c);
        }
    }
    if (store_commit(s) != CAIRN_OK) {
        store_close(s);
        return NULL;
    }
    return s;
}

TEST(search_puts_named_definition_first)
{
    store *s = open_fixture();
    REQUIRE(s != NULL);
    store_hit *hits = NULL;
    size_t n = 0;
    search_opts o = {.query = "HTTPServer"};
    REQUIRE(search_run(s, &o, &hits, &n) == CAIRN_OK);
    REQUIRE(n >= 2);
    CHECK_INT(hits[0].start_line, 11);
    CHECK(hits[0].score > hits[1].score);
    store_hits_free(hits, n);

    search_opts o2 = {.query = "where is open_connection defined"};
    REQUIRE(search_run(s, &o2, &hits, &n) == CAIRN_OK);
    REQUIRE(n >= 1);
    CHECK_INT(hits[0].start_line, 21);
    store_hits_free(hits, n);

    /* A filter that excludes code keeps definitions out too. */
    search_opts o3 = {.query = "HTTPServer", .kind = "prose"};
    CHECK_INT(search_run(s, &o3, &hits, &n), CAIRN_OK);
    CHECK_INT(n, 0);
    store_hits_free(hits, n);
    store_close(s);
}

TEST(search_groups_chunks_per_file)
{
    store *s = open_fixture();
    REQUIRE(s != NULL);
    store_hit *hits = NULL;
    size_t n = 0;
    search_opts o = {.query = "connection pooling", .kind = "prose", .k = 10};
    REQUIRE(search_run(s, &o, &hits, &n) == CAIRN_OK);
    CHECK_INT(n, 6); /* 3 notes x the default 2 per file */
    store_hits_free(hits, n);
    o.per_doc = 1;
    REQUIRE(search_run(s, &o, &hits, &n) == CAIRN_OK);
    CHECK_INT(n, 3);
    store_hits_free(hits, n);
    o.per_doc = -1;
    REQUIRE(search_run(s, &o, &hits, &n) == CAIRN_OK);
    CHECK_INT(n, 10);
    store_hits_free(hits, n);
    store_close(s);
}

TEST(search_rejects_bad_filters)
{
    store *s = open_fixture();
    REQUIRE(s != NULL);
    store_hit *hits = NULL;
    size_t n = 0;
    search_opts o = {.query = "x", .since = "last tuesday"};
    CHECK_INT(search_run(s, &o, &hits, &n), CAIRN_ERR_INVALID);
    CHECK(strstr(err_msg(), "last tuesday") != NULL);
    search_opts o2 = {.query = "x", .until = "2024-05-17"};
    CHECK_INT(search_run(s, &o2, &hits, &n), CAIRN_OK);
    store_hits_free(hits, n);
    search_opts o3 = {.query = "x", .lang = "klingon"};
    CHECK_INT(search_run(s, &o3, &hits, &n), CAIRN_ERR_INVALID);
    search_opts o4 = {.query = "x", .kind = "poetry"};
    CHECK_INT(search_run(s, &o4, &hits, &n), CAIRN_ERR_INVALID);
    search_opts o5 = {.query = "?!?"};
    CHECK_INT(search_run(s, &o5, &hits, &n), CAIRN_ERR_INVALID);
    store_close(s);
}
