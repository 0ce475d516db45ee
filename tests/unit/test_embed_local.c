/*
 * test_embed_local.c — the local embedder: how it reads chunks (words,
 * code, names, headings), its SVD, training (what it learns from comments
 * next to code, and that it learns the same from the same chunks in any
 * order), the model file (round trip, damage), and the provider through
 * embed.h: untrained, trained by embed_update, loaded by a second opener,
 * retrained only when much is new.
 */
#include "indexer/embed.h"
#include "indexer/embed_local.h"
#include "store/embcache.h"
#include "store/store.h"
#include "store/vectors.h"
#include "util/buf.h"
#include "util/err.h"
#include "test.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- reading chunks ---- */

typedef struct tokens {
    buf by_side[4];
} tokens;

static int collect(void *ctx, int side, const char *tok, int len)
{
    tokens *t = ctx;
    buf *b = &t->by_side[side];
    if (b->len)
        buf_putc(b, ' ');
    return buf_append(b, tok, (size_t)len);
}

static int read_chunk(const char *text, tokens *t, int *prose)
{
    for (int i = 0; i < 4; i++)
        buf_init(&t->by_side[i], 0);
    tok_tokenizer *tk = NULL;
    if (tok_new(&tk))
        return -1;
    int rc = embed_local_chunk_tokens(tk, text, strlen(text), t, collect, prose);
    tok_free(tk);
    return rc;
}

static void release(tokens *t)
{
    for (int i = 0; i < 4; i++)
        buf_release(&t->by_side[i]);
}

TEST(embed_local_reads_python_words_code_and_names)
{
    tokens t;
    int prose = -1;
    REQUIRE(read_chunk("net/client.py Client.fetch (class Client)\n\n"
                       "def fetch_page(self, url):\n"
                       "    \"\"\"Download the page, backing off on errors.\"\"\"\n"
                       "    # 3 retries at most\n"
                       "    return get(url, 'utf-8', \"keep it short\")\n",
                       &t, &prose) == CAIRN_OK);
    CHECK_INT(prose, 0);
    CHECK_STR(buf_str(&t.by_side[EMBED_LOCAL_NAME]), "net client py client fetch");
    CHECK_STR(buf_str(&t.by_side[EMBED_LOCAL_HEADING]), "class client");
    /* Stemmed, without numbers or one-letter words. */
    CHECK_STR(buf_str(&t.by_side[EMBED_LOCAL_WORDS]),
              "download the page back off on error retri at most keep it short");
    CHECK_STR(buf_str(&t.by_side[EMBED_LOCAL_CODE]), "def fetch page self url return get url utf");
    release(&t);
}

TEST(embed_local_reads_c_comments_and_prose)
{
    tokens t;
    int prose = -1;
    REQUIRE(read_chunk("src/main.c main\n\n/* Parse the options */\nint main(void) {\n"
                       "    return run(); // exit status\n}\n",
                       &t, &prose) == CAIRN_OK);
    CHECK_INT(prose, 0);
    CHECK_STR(buf_str(&t.by_side[EMBED_LOCAL_WORDS]), "pars the option exit status");
    CHECK_STR(buf_str(&t.by_side[EMBED_LOCAL_CODE]), "int main void return run");
    release(&t);
    REQUIRE(read_chunk("notes/docker.md (Docker > Running containers)\n\n"
                       "Run a container with `docker run` and # no comment here\n",
                       &t, &prose) == CAIRN_OK);
    CHECK_INT(prose, 1);
    CHECK_STR(buf_str(&t.by_side[EMBED_LOCAL_NAME]), "note docker md");
    CHECK_STR(buf_str(&t.by_side[EMBED_LOCAL_HEADING]), "docker run contain");
    CHECK_STR(buf_str(&t.by_side[EMBED_LOCAL_WORDS]),
              "run contain with docker run and no comment here");
    CHECK_INT(t.by_side[EMBED_LOCAL_CODE].len, 0);
    release(&t);
    /* An unterminated comment or string still ends with the text. */
    REQUIRE(read_chunk("a.c f\n\nint x; /* never closed", &t, &prose) == CAIRN_OK);
    CHECK_STR(buf_str(&t.by_side[EMBED_LOCAL_WORDS]), "never close");
    release(&t);
    REQUIRE(read_chunk("a.py f\n\nx = 'open string\ny = \"\"\"docs", &t, &prose) == CAIRN_OK);
    CHECK_STR(buf_str(&t.by_side[EMBED_LOCAL_WORDS]), "doc");
    release(&t);
    REQUIRE(read_chunk("", &t, &prose) == CAIRN_OK);
    release(&t);
}

TEST(embed_local_knows_english_function_words)
{
    const char *stop[] = {"a", "the", "whi", "onli", "your", "with", "abov"};
    const char *keep[] = {"retri", "jitter", "thi", "zz", "thee", "yourself", ""};
    for (size_t i = 0; i < sizeof stop / sizeof *stop; i++)
        CHECK(embed_local_stopword(stop[i], strlen(stop[i])));
    for (size_t i = 0; i < sizeof keep / sizeof *keep; i++)
        CHECK(!embed_local_stopword(keep[i], strlen(keep[i])));
    CHECK(embed_local_stopword("theory", 3)); /* "the" */
}

/* ---- the SVD ---- */

TEST(embed_local_svd_finds_known_singular_vectors)
{
    /* 4 x 5, singular values 5, 3, 1 along columns 2, 0, 4. */
    embed_local_csr m;
    REQUIRE(embed_local_csr_init(&m, 4, 5, 2) == CAIRN_OK);
    REQUIRE(embed_local_csr_push(&m, 2, 5) == CAIRN_OK && embed_local_csr_end_row(&m) == CAIRN_OK);
    REQUIRE(embed_local_csr_push(&m, 0, -3) == CAIRN_OK && embed_local_csr_end_row(&m) == CAIRN_OK);
    REQUIRE(embed_local_csr_end_row(&m) == CAIRN_OK);
    REQUIRE(embed_local_csr_push(&m, 4, 1) == CAIRN_OK && embed_local_csr_end_row(&m) == CAIRN_OK);
    CHECK(embed_local_csr_end_row(&m) == CAIRN_ERR_INVALID); /* a fifth row */
    embed_local_svd s;
    REQUIRE(embed_local_svd_sparse(&m, 3, 1, &s) == CAIRN_OK);
    REQUIRE(s.rank == 3);
    CHECK(fabs(s.s[0] - 5) < 1e-5 && fabs(s.s[1] - 3) < 1e-5 && fabs(s.s[2] - 1) < 1e-5);
    const int col[3] = {2, 0, 4};
    for (int j = 0; j < 3; j++)
        for (int r = 0; r < 5; r++)
            CHECK(fabs(fabs(s.v[r * 3 + j]) - (r == col[j])) < 1e-5);
    embed_local_svd_release(&s);
    embed_local_csr_release(&m);

    /* A rank-one matrix u v^T with |u| = |v| = 1 scaled by 2: one value. */
    REQUIRE(embed_local_csr_init(&m, 2, 2, 4) == CAIRN_OK);
    double a = sqrt(0.5);
    embed_local_csr_push(&m, 0, (float)(2 * a * 0.6));
    embed_local_csr_push(&m, 1, (float)(2 * a * 0.8));
    embed_local_csr_end_row(&m);
    embed_local_csr_push(&m, 0, (float)(2 * a * 0.6));
    embed_local_csr_push(&m, 1, (float)(2 * a * 0.8));
    embed_local_csr_end_row(&m);
    REQUIRE(embed_local_svd_sparse(&m, 2, 0, &s) == CAIRN_OK);
    REQUIRE(s.rank == 2);
    CHECK(fabs(s.s[0] - 2) < 1e-6 && fabs(s.s[1]) < 1e-6);
    CHECK(fabs(fabs(s.v[0]) - 0.6) < 1e-6 && fabs(fabs(s.v[2]) - 0.8) < 1e-6);
    embed_local_svd_release(&s);
    embed_local_csr_release(&m);
}

/* ---- a corpus ---- */

/* Comments say "back off after a failure" next to retrying code; the
 * function the query is after says none of those words itself. */
static const char *const code[][2] = {
    {"net/fetch.py",
     "def fetch(url):\n    # back off after a failure, then retry with jitter\n"
     "    for attempt in range(retries):\n        try:\n            return get(url)\n"
     "        except IOError:\n            sleep(backoff * jitter())\n"},
    {"net/upload.py",
     "def upload(blob):\n    \"\"\"Retry the upload, backing off after each failure.\"\"\"\n"
     "    delay = backoff\n    for attempt in range(retries):\n"
     "        sleep(delay + jitter())\n        delay *= 2\n"},
    {"net/sync.py",
     "# after a failure wait longer each time: back off, with jitter\n"
     "def sync(remote):\n    retry(push, remote, backoff=backoff, jitter=jitter)\n"},
    {"net/poll.py",
     "def poll(queue):\n    # failure: back off and retry the attempt later\n"
     "    attempt = retry(queue.get, backoff)\n    sleep(jitter())\n"},
    {"net/retry.py",
     "def retry_with_jitter(fn, attempts=5):\n    delay = backoff\n"
     "    for attempt in range(attempts):\n        try:\n            return fn()\n"
     "        except OSError:\n            sleep(delay + jitter())\n            delay *= 2\n"},
    {"db/open.py",
     "def open_database(path):\n    # open the sqlite database file and create tables\n"
     "    conn = sqlite3.connect(path)\n    conn.execute(schema)\n    return conn\n"},
    {"db/close.py",
     "def close_database(conn):\n    \"\"\"Close the database connection and commit.\"\"\"\n"
     "    conn.commit()\n    conn.close()\n"},
    {"db/query.py",
     "def run_query(conn, sql):\n    # run one query against the database connection\n"
     "    cursor = conn.execute(sql)\n    return cursor.fetchall()\n"},
    {"db/tables.py",
     "def create_tables(conn):\n    conn.execute(schema)\n    conn.commit()\n"},
    {"text/fmt.py",
     "def format_name(first, last):\n    # join the first and last name with a space\n"
     "    return first.strip() + ' ' + last.strip()\n"},
    {"text/wrap.py",
     "def wrap_lines(text, width):\n    \"\"\"Wrap long lines of text at the width.\"\"\"\n"
     "    return textwrap.fill(text, width)\n"},
    {"text/case.py",
     "def title_case(text):\n    # upper case the first letter of each word of the text\n"
     "    return text.title()\n"},
};

static const char *const notes[][3] = {
    {"notes/bread.md", "Baking > Sourdough", "Feed the starter, mix flour and water, bake the bread."},
    {"notes/pasta.md", "Cooking > Pasta", "Boil water with salt, cook the pasta, drain the water."},
    {"notes/cake.md", "Baking > Cake", "Mix flour, sugar and eggs; bake the cake for an hour."},
};

static store *make_store(const char *name, int reverse)
{
    char dir[4200];
    snprintf(dir, sizeof dir, "%s/%s", test_tmpdir(), name);
    store *s = NULL;
    int64_t root, id;
    if (store_open(dir, STORE_WRITE, &s) || store_begin(s) || store_root_ensure(s, "/r", &root)) {
        store_close(s);
        return NULL;
    }
    size_t nc = sizeof code / sizeof *code, nn = sizeof notes / sizeof *notes;
    for (size_t k = 0; k < nc + nn; k++) {
        size_t i = reverse ? nc + nn - 1 - k : k;
        int is_code = i < nc;
        const char *path = is_code ? code[i][0] : notes[i - nc][0];
        const char *text = is_code ? code[i][1] : notes[i - nc][2];
        store_file f = {.root_id = root, .path = path, .size = 1, .mtime_ns = 1, .hash = i + 1,
                        .lang = is_code ? "python" : "markdown", .kind = is_code ? "code" : "prose",
                        .encoding = "utf-8"};
        store_chunk c = {.seq = 0, .start_line = 1, .end_line = 8, .text = text,
                         .text_len = strlen(text), .context = is_code ? NULL : notes[i - nc][1]};
        if (store_file_put(s, &f, &id) || store_chunk_add(s, id, &c)) {
            store_close(s);
            return NULL;
        }
    }
    if (store_commit(s)) {
        store_close(s);
        return NULL;
    }
    return s;
}

static embed_local_params small_params(void)
{
    embed_local_params p;
    embed_local_params_init(&p);
    p.dim = 8;
    p.min_df = 1;
    p.max_df = 0.5;
    return p;
}

static double cosine(const float *a, const float *b, int dim)
{
    double d = 0;
    for (int i = 0; i < dim; i++)
        d += (double)a[i] * b[i];
    return d;
}

/* The vector of the chunk with this path, as embed_update would embed it. */
static int embed_path(const embed_local_model *m, const char *path, const char *text, float *out)
{
    buf b;
    buf_init(&b, 0);
    tok_tokenizer *t = NULL;
    uint32_t *scratch = calloc(m->nvocab + 1, sizeof *scratch);
    int rc = tok_new(&t);
    if (!rc)
        rc = embed_chunk_text(&b, path, NULL, NULL, text, strlen(text));
    if (!rc)
        rc = embed_local_embed(m, t, b.data, b.len, scratch, out);
    tok_free(t);
    free(scratch);
    buf_release(&b);
    return rc;
}

TEST(embed_local_learns_words_from_comments_next_to_code)
{
    store *s = make_store("learn", 0);
    REQUIRE(s);
    embed_local_params p = small_params();
    embed_local_model *m = NULL;
    embed_local_bags bags;
    REQUIRE(embed_local_train(s, &p, NULL, NULL, &m, &bags) == CAIRN_OK);
    CHECK_INT(m->chunks, 15);
    CHECK_INT(m->dim, 8);
    CHECK(embed_local_lookup(m, "jitter", 6) >= 0);
    CHECK(embed_local_lookup(m, "failur", 6) >= 0);
    CHECK(embed_local_lookup(m, "nosuchtoken", 11) < 0);
    CHECK(embed_local_lookup(m, "the", 3) < 0); /* function words are left out */
    CHECK_INT(bags.n, 15);

    tok_tokenizer *t = NULL;
    REQUIRE(tok_new(&t) == CAIRN_OK);
    uint32_t *scratch = calloc(m->nvocab, sizeof *scratch);
    float q[8], target[8], other[8];
    const char *query = "back off after a failure";
    REQUIRE(embed_local_embed(m, t, query, strlen(query), scratch, q) == CAIRN_OK);
    REQUIRE(embed_path(m, code[4][0], code[4][1], target) == CAIRN_OK);
    double best_other = -1;
    for (size_t i = 5; i < sizeof code / sizeof *code; i++) {
        REQUIRE(embed_path(m, code[i][0], code[i][1], other) == CAIRN_OK);
        double c = cosine(q, other, 8);
        if (c > best_other)
            best_other = c;
    }
    /* retry_with_jitter shares no word with the query, yet is nearer to it
     * than any chunk about databases or text. */
    double ct = cosine(q, target, 8);
    if (!(ct > best_other + 0.1))
        test_fail(__FILE__, __LINE__, "cos(query, retry_with_jitter) %.3f, best other %.3f", ct,
                  best_other);
    /* Vectors are unit length, or zero for a text the model cannot read. */
    double norm = cosine(target, target, 8);
    CHECK(fabs(norm - 1) < 1e-5);
    REQUIRE(embed_local_embed(m, t, "zzz qqq", 7, scratch, q) == CAIRN_OK);
    CHECK(cosine(q, q, 8) == 0);
    for (uint32_t i = 0; i < m->nvocab; i++)
        CHECK(scratch[i] == 0);
    free(scratch);
    tok_free(t);
    embed_local_bags_release(&bags);
    embed_local_model_free(m);
    store_close(s);
}

TEST(embed_local_training_is_deterministic)
{
    store *a = make_store("det-a", 0), *b = make_store("det-b", 1);
    REQUIRE(a && b);
    embed_local_params p = small_params();
    embed_local_model *ma = NULL, *mb = NULL, *mc = NULL;
    REQUIRE(embed_local_train(a, &p, NULL, NULL, &ma, NULL) == CAIRN_OK);
    REQUIRE(embed_local_train(b, &p, NULL, NULL, &mb, NULL) == CAIRN_OK);
    REQUIRE(embed_local_train(a, &p, NULL, NULL, &mc, NULL) == CAIRN_OK);
    /* Same chunks, inserted in the opposite order: the same model. */
    CHECK(ma->fingerprint == mb->fingerprint);
    CHECK(ma->fingerprint == mc->fingerprint);
    REQUIRE(ma->nvocab == mb->nvocab);
    CHECK(memcmp(ma->vec, mb->vec, (size_t)ma->nvocab * 8 * sizeof *ma->vec) == 0);
    embed_local_model_free(ma);
    embed_local_model_free(mb);
    embed_local_model_free(mc);
    store_close(a);
    store_close(b);
}

TEST(embed_local_model_file_round_trip_and_damage)
{
    store *s = make_store("file", 0);
    REQUIRE(s);
    embed_local_params p = small_params();
    embed_local_model *m = NULL, *back = NULL;
    REQUIRE(embed_local_train(s, &p, NULL, NULL, &m, NULL) == CAIRN_OK);
    char path[4200];
    snprintf(path, sizeof path, "%s/model", test_tmpdir());
    CHECK(embed_local_model_load(path, &back) == CAIRN_ERR_NOTFOUND);
    REQUIRE(embed_local_model_save(m, path) == CAIRN_OK);
    REQUIRE(embed_local_model_load(path, &back) == CAIRN_OK);
    CHECK(back->fingerprint == m->fingerprint);
    CHECK(back->nvocab == m->nvocab && back->dim == 8 && back->chunks == 15);
    CHECK(embed_local_lookup(back, "jitter", 6) == embed_local_lookup(m, "jitter", 6));
    embed_local_model_free(back);

    FILE *f = fopen(path, "r+b");
    REQUIRE(f);
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    fseek(f, size / 2, SEEK_SET);
    int c = fgetc(f);
    fseek(f, size / 2, SEEK_SET);
    fputc(c ^ 0x40, f);
    fclose(f);
    CHECK(embed_local_model_load(path, &back) == CAIRN_ERR_CORRUPT);
    CHECK(strstr(err_msg(), "checksum") != NULL);
    REQUIRE(truncate(path, size - 3) == 0);
    CHECK(embed_local_model_load(path, &back) == CAIRN_ERR_CORRUPT);
    test_write_file(test_tmpdir(), "model", "CAIRNLEM", 8);
    CHECK(embed_local_model_load(path, &back) == CAIRN_ERR_CORRUPT);
    test_write_file(test_tmpdir(), "model", "hello world, not a model at all!!", 33);
    CHECK(embed_local_model_load(path, &back) == CAIRN_ERR_CORRUPT);
    CHECK(strstr(err_msg(), "not a cairn local model") != NULL);
    CHECK(back == NULL);
    embed_local_model_free(m);
    store_close(s);
}

/* ---- the provider ---- */

static embed_provider *open_local(store *s)
{
    embed_opts o;
    embed_opts_init(&o);
    o.store = s;
    embed_provider *p = NULL;
    if (embed_provider_new("local", &o, &p))
        fprintf(stderr, "    local: %s\n", err_msg());
    return p;
}

static int add_chunks(store *s, int first, int n)
{
    int64_t root, id;
    int rc = store_begin(s);
    if (!rc)
        rc = store_root_ensure(s, "/r", &root);
    for (int i = first; i < first + n && !rc; i++) {
        char path[64], text[256];
        snprintf(path, sizeof path, "more/m%d.py", i);
        snprintf(text, sizeof text,
                 "def helper_%d(conn):\n    # retry the database query after a failure\n"
                 "    return conn.execute(sql%d)\n", i, i);
        store_file f = {.root_id = root, .path = path, .size = 1, .mtime_ns = 1,
                        .hash = 100 + (uint64_t)i, .lang = "python", .kind = "code",
                        .encoding = "utf-8"};
        store_chunk c = {.seq = 0, .start_line = 1, .end_line = 3, .text = text,
                         .text_len = strlen(text)};
        if (!(rc = store_file_put(s, &f, &id)))
            rc = store_chunk_add(s, id, &c);
    }
    return rc ? rc : store_commit(s);
}

TEST(embed_local_provider_trains_saves_and_loads)
{
    embed_provider *p = NULL;
    embed_opts o;
    embed_opts_init(&o);
    CHECK(embed_provider_new("local:big", &o, &p) == CAIRN_ERR_INVALID);
    CHECK(strstr(err_msg(), "takes no model name") != NULL);

    store *s = make_store("prov", 0);
    REQUIRE(s);
    p = open_local(s);
    REQUIRE(p);
    CHECK_STR(embed_name(p), "local");
    CHECK_STR(embed_model(p), "untrained");
    CHECK_INT(embed_dim(p), 0);
    const char *q[] = {"back off after a failure"};
    float *v = NULL;
    CHECK(embed_batch(p, q, 1, &v) == CAIRN_ERR_NOTFOUND);
    CHECK(strstr(err_msg(), "run 'cairn index'") != NULL);

    embed_update_stats st = {0};
    REQUIRE(embed_update(s, p, NULL, NULL, &st) == CAIRN_OK);
    CHECK_INT(st.chunks, 15);
    CHECK_INT(st.embedded, 15);
    CHECK(strncmp(embed_model(p), "trained-", 8) == 0 && strlen(embed_model(p)) == 20);
    CHECK_INT(embed_dim(p), EMBED_LOCAL_DIM);
    char model[64];
    snprintf(model, sizeof model, "%s", embed_model(p));
    char path[4300];
    snprintf(path, sizeof path, "%s/prov/%s", test_tmpdir(), EMBED_LOCAL_FILE);
    CHECK(access(path, F_OK) == 0);

    /* A second opener (a query) loads the model: same name, same vectors. */
    float *v1 = NULL, *v2 = NULL;
    REQUIRE(embed_batch(p, q, 1, &v1) == CAIRN_OK);
    embed_provider *r = open_local(s);
    REQUIRE(r);
    CHECK_STR(embed_model(r), model);
    REQUIRE(embed_batch(r, q, 1, &v2) == CAIRN_OK);
    CHECK(memcmp(v1, v2, EMBED_LOCAL_DIM * sizeof *v1) == 0);
    free(v1);
    free(v2);
    embed_free(r);

    /* The vectors answer the query through the vector index. */
    vec_update_stats vs;
    REQUIRE(vec_update(s, "local", model, NULL, &vs) == CAIRN_OK);
    CHECK_INT(vs.total, 15);

    /* Nothing new: no training, nothing embedded. */
    memset(&st, 0, sizeof st);
    REQUIRE(embed_update(s, p, NULL, NULL, &st) == CAIRN_OK);
    CHECK_INT(st.chunks, 0);
    CHECK_STR(embed_model(p), model);
    /* One new chunk in sixteen: embedded with the model as it is. */
    REQUIRE(add_chunks(s, 0, 1) == CAIRN_OK);
    memset(&st, 0, sizeof st);
    REQUIRE(embed_update(s, p, NULL, NULL, &st) == CAIRN_OK);
    CHECK_INT(st.embedded, 1);
    CHECK_STR(embed_model(p), model);
    /* Many new chunks: a new model, every chunk embedded again, and the
     * old model's vectors gone from the cache. */
    REQUIRE(add_chunks(s, 1, 8) == CAIRN_OK);
    memset(&st, 0, sizeof st);
    REQUIRE(embed_update(s, p, NULL, NULL, &st) == CAIRN_OK);
    CHECK(strcmp(embed_model(p), model) != 0);
    CHECK_INT(st.embedded, 24);
    int dim = -1;
    REQUIRE(embcache_dim(s, "local", model, &dim) == CAIRN_OK);
    CHECK_INT(dim, 0);
    embed_free(p);
    store_close(s);
}

static void remember(void *ctx, const char *msg)
{
    snprintf(ctx, 1024, "%s", msg);
}

TEST(embed_local_damaged_model_is_retrained_with_a_warning)
{
    store *s = make_store("damaged", 0);
    REQUIRE(s);
    char path[4300];
    snprintf(path, sizeof path, "%s/damaged/%s", test_tmpdir(), EMBED_LOCAL_FILE);
    FILE *f = fopen(path, "w");
    REQUIRE(f);
    fputs("CAIRNLEM and then nonsense", f);
    fclose(f);
    embed_provider *p = open_local(s);
    REQUIRE(p);
    CHECK_STR(embed_model(p), "untrained");
    const char *q[] = {"x"};
    float *v = NULL;
    CHECK(embed_batch(p, q, 1, &v) == CAIRN_ERR_NOTFOUND);
    CHECK(strstr(err_msg(), EMBED_LOCAL_FILE) != NULL);
    char warned[1024] = "";
    embed_update_stats st = {0};
    REQUIRE(embed_update(s, p, remember, warned, &st) == CAIRN_OK);
    CHECK(strstr(warned, "training a new local model") != NULL);
    CHECK(strncmp(embed_model(p), "trained-", 8) == 0);
    embed_free(p);
    p = open_local(s);
    REQUIRE(p);
    CHECK(strncmp(embed_model(p), "trained-", 8) == 0);
    embed_free(p);
    store_close(s);
}
