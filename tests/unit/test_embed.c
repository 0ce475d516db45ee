/*
 * test_embed.c — the provider table and its checks, the text a chunk is
 * embedded as, and embed_update end to end with the fake HTTP server:
 * unchanged text is never sent twice, new chunks are, switching models
 * keeps both in the cache, a model that changes dimension is re-embedded,
 * and the vectors found answer a query.
 */
#include "indexer/embed.h"
#include "store/embcache.h"
#include "store/store.h"
#include "store/vectors.h"
#include "util/buf.h"
#include "util/err.h"
#include "test.h"
#include "test_embed.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

TEST(embed_specs_name_a_provider_and_model)
{
    embed_opts o;
    embed_opts_init(&o);
    o.url = "http://127.0.0.1:9";
    embed_provider *p = NULL;
    CHECK(embed_provider_new("word2vec:x", &o, &p) == CAIRN_ERR_INVALID);
    CHECK(strstr(err_msg(), "unknown embedder 'word2vec:x'") &&
          strstr(err_msg(), "openai:MODEL, ollama:MODEL"));
    CHECK(embed_provider_new("openai", &o, &p) == CAIRN_ERR_INVALID);
    CHECK(strstr(err_msg(), "needs a model") != NULL);
    CHECK(embed_provider_new("openai:", &o, &p) == CAIRN_ERR_INVALID);
    CHECK(embed_provider_new("", &o, &p) == CAIRN_ERR_INVALID);
    REQUIRE(embed_provider_new("ollama:nomic-embed-text:v1.5", &o, &p) == CAIRN_OK);
    CHECK_STR(embed_name(p), "ollama");
    CHECK_STR(embed_model(p), "nomic-embed-text:v1.5");
    CHECK_INT(embed_dim(p), 0);
    float *v = (float *)&o;
    CHECK(embed_batch(p, NULL, 0, &v) == CAIRN_OK && v == NULL);
    embed_free(p);
    embed_free(NULL);
    o.batch = 0;
    CHECK(embed_provider_new("openai:m", &o, &p) == CAIRN_ERR_INVALID);
    embed_opts_init(&o);
    o.dim = -3;
    CHECK(embed_provider_new("openai:m", &o, &p) == CAIRN_ERR_INVALID);
    o.dim = 8;
    REQUIRE(embed_provider_new("openai:m", NULL, &p) == CAIRN_OK);
    embed_free(p);
}

TEST(embed_chunk_text_carries_path_symbol_and_context)
{
    buf b;
    buf_init(&b, 0);
    REQUIRE(embed_chunk_text(&b, "Lib/http/client.py", "HTTPConnection.request", NULL,
                             "def request(self):", 18) == CAIRN_OK);
    CHECK_STR(buf_str(&b), "Lib/http/client.py HTTPConnection.request\n\ndef request(self):");
    buf_clear(&b);
    REQUIRE(embed_chunk_text(&b, "notes/docker.md", NULL, "Docker > Running", "docker run", 10) ==
            CAIRN_OK);
    CHECK_STR(buf_str(&b), "notes/docker.md (Docker > Running)\n\ndocker run");
    buf_release(&b);
}

/* ---- embed_update ---- */

static const char *const files[][3] = {
    {"retry.py", "def retry_with_jitter(request):\n    back off after a failed request",
     "sleep for a random delay before trying again"},
    {"db.py", "def open_database(path):\n    open the sqlite database file",
     "create the tables when the file is new"},
    {"notes.md", "# Cooking\nhow to bake sourdough bread", "flour water salt and time"},
};

static int64_t add_file(store *s, int64_t root, const char *path, const char *const *texts,
                        int n)
{
    store_file f = {.root_id = root, .path = path, .size = 1, .mtime_ns = 1, .hash = 1,
                    .lang = "python", .kind = "code", .encoding = "utf-8"};
    int64_t id = 0;
    if (store_file_put(s, &f, &id))
        return 0;
    for (int i = 0; i < n; i++) {
        store_chunk c = {.seq = i, .start_line = i + 1, .end_line = i + 1, .text = texts[i],
                         .text_len = strlen(texts[i])};
        if (store_chunk_add(s, id, &c))
            return 0;
    }
    return id;
}

static store *corpus(const char *name)
{
    char dir[4200];
    snprintf(dir, sizeof dir, "%s/%s", test_tmpdir(), name);
    store *s = NULL;
    int64_t root;
    if (store_open(dir, STORE_WRITE, &s) || store_begin(s) || store_root_ensure(s, "/r", &root)) {
        store_close(s);
        return NULL;
    }
    for (size_t i = 0; i < sizeof files / sizeof *files; i++)
        add_file(s, root, files[i][0], &files[i][1], 2);
    if (store_commit(s)) {
        store_close(s);
        return NULL;
    }
    return s;
}

static embed_provider *fake(const char *spec)
{
    embed_opts o;
    embed_opts_init(&o);
    o.url = fake_embed_url("");
    o.backoff_ms = 50;
    embed_provider *p = NULL;
    if (embed_provider_new(spec, &o, &p))
        fprintf(stderr, "    %s: %s\n", spec, err_msg());
    return p;
}

typedef struct seen {
    int n;
    char last[512];
} seen;

static void on_warn(void *ctx, const char *msg)
{
    seen *w = ctx;
    w->n++;
    snprintf(w->last, sizeof w->last, "%s", msg);
}

TEST(embed_update_sends_each_text_once)
{
    REQUIRE(fake_embed_port());
    store *s = corpus("once");
    REQUIRE(s);
    embed_provider *p = fake("openai:upd");
    REQUIRE(p);
    seen w = {0};
    embed_update_stats st = {0};
    REQUIRE(embed_update(s, p, on_warn, &w, &st) == CAIRN_OK);
    CHECK_INT(st.chunks, 6);
    CHECK_INT(st.embedded, 6);
    CHECK_INT(st.cached, 0);
    CHECK_INT(fake_embed_requests("upd", NULL), 1);
    /* Nothing changed: nothing to do, nothing sent. */
    memset(&st, 0, sizeof st);
    REQUIRE(embed_update(s, p, on_warn, &w, &st) == CAIRN_OK);
    CHECK_INT(st.chunks, 0);
    CHECK_INT(fake_embed_requests("upd", NULL), 1);
    /* A file re-indexed with the same text: new chunk ids, cached vectors.
     * One new chunk: one text sent. */
    int64_t root;
    REQUIRE(store_begin(s) == CAIRN_OK);
    REQUIRE(store_root_ensure(s, "/r", &root) == CAIRN_OK);
    const char *again[] = {files[1][1], files[1][2], "close the database when done"};
    REQUIRE(add_file(s, root, "db.py", again, 3) > 0);
    REQUIRE(store_commit(s) == CAIRN_OK);
    memset(&st, 0, sizeof st);
    REQUIRE(embed_update(s, p, on_warn, &w, &st) == CAIRN_OK);
    CHECK_INT(st.chunks, 3);
    CHECK_INT(st.cached, 2);
    CHECK_INT(st.embedded, 1);
    CHECK_INT(fake_embed_requests("upd", NULL), 2);
    CHECK_INT(w.n, 0);

    /* The vectors answer a query through the vector index. */
    vec_update_stats vs;
    REQUIRE(vec_update(s, "openai", "upd", NULL, &vs) == CAIRN_OK);
    CHECK_INT(vs.total, 7);
    vec_index *v = NULL;
    REQUIRE(vec_open(s, "openai", "upd", NULL, &v) == CAIRN_OK);
    const char *q[] = {"back off after a failed request"};
    float *qv = NULL;
    REQUIRE(embed_batch(p, q, 1, &qv) == CAIRN_OK);
    vec_hit hits[3];
    size_t n = 0;
    REQUIRE(vec_search(v, qv, embed_dim(p), 3, NULL, 0, hits, &n) == CAIRN_OK);
    REQUIRE(n == 3);
    CHECK_INT(hits[0].id, 1); /* the first chunk of retry.py */
    free(qv);
    vec_free(v);
    embed_free(p);
    store_close(s);
}

TEST(embed_update_switching_models_keeps_both)
{
    REQUIRE(fake_embed_port());
    store *s = corpus("switch");
    REQUIRE(s);
    embed_update_stats st = {0};
    embed_provider *a = fake("openai:sw-a"), *b = fake("ollama:sw-b+dim=48");
    REQUIRE(a && b);
    REQUIRE(embed_update(s, a, NULL, NULL, &st) == CAIRN_OK);
    REQUIRE(embed_update(s, b, NULL, NULL, &st) == CAIRN_OK);
    CHECK_INT(st.embedded, 12);
    int dim = 0;
    REQUIRE(embcache_dim(s, "ollama", "sw-b+dim=48", &dim) == CAIRN_OK);
    CHECK_INT(dim, 48);
    /* Back to the first: every vector is still cached. */
    memset(&st, 0, sizeof st);
    REQUIRE(embed_update(s, a, NULL, NULL, &st) == CAIRN_OK);
    CHECK_INT(st.chunks, 0);
    CHECK_INT(fake_embed_requests("sw-a", NULL), 1);
    CHECK_INT(fake_embed_requests("sw-b+dim=48", NULL), 1);
    embed_free(a);
    embed_free(b);
    store_close(s);
}

TEST(embed_update_re_embeds_when_the_model_changes_dimension)
{
    REQUIRE(fake_embed_port());
    store *s = corpus("dimchange");
    REQUIRE(s);
    seen w = {0};
    embed_update_stats st = {0};
    /* dimflip: the first request gets 64 values, every later one 65, as if
     * the model behind the name had been replaced. */
    embed_provider *p = fake("openai:chg+dimflip");
    REQUIRE(p);
    REQUIRE(embed_update(s, p, on_warn, &w, &st) == CAIRN_OK);
    embed_free(p);
    int64_t root;
    REQUIRE(store_begin(s) == CAIRN_OK);
    REQUIRE(store_root_ensure(s, "/r", &root) == CAIRN_OK);
    const char *more[] = {"a new chunk of text"};
    REQUIRE(add_file(s, root, "new.py", more, 1) > 0);
    REQUIRE(store_commit(s) == CAIRN_OK);
    p = fake("openai:chg+dimflip");
    REQUIRE(p);
    memset(&st, 0, sizeof st);
    REQUIRE(embed_update(s, p, on_warn, &w, &st) == CAIRN_OK);
    CHECK_INT(w.n, 1);
    CHECK(strstr(w.last, "65-dimensional") && strstr(w.last, "64-dimensional"));
    CHECK_INT(st.chunks, 7);
    int dim = 0;
    REQUIRE(embcache_dim(s, "openai", "chg+dimflip", &dim) == CAIRN_OK);
    CHECK_INT(dim, 65);
    vec_update_stats vs;
    REQUIRE(vec_update(s, "openai", "chg+dimflip", NULL, &vs) == CAIRN_OK);
    CHECK_INT(vs.total, 7);
    CHECK_INT(vs.dim, 65);
    embed_free(p);
    store_close(s);
}

TEST(embed_update_keeps_finished_work_when_the_provider_fails)
{
    REQUIRE(fake_embed_port());
    store *s = corpus("fail");
    REQUIRE(s);
    embed_opts o;
    embed_opts_init(&o);
    o.url = fake_embed_url("");
    o.retries = 0;
    embed_provider *p = NULL;
    REQUIRE(embed_provider_new("openai:down+500=1", &o, &p) == CAIRN_OK);
    embed_update_stats st = {0};
    CHECK(embed_update(s, p, NULL, NULL, &st) == CAIRN_ERR_IO);
    CHECK(strstr(err_msg(), "HTTP 500") != NULL);
    /* Next run: the server is back, the work is done. */
    memset(&st, 0, sizeof st);
    CHECK(embed_update(s, p, NULL, NULL, &st) == CAIRN_OK);
    CHECK_INT(st.embedded, 6);
    embed_free(p);
    store_close(s);
}
