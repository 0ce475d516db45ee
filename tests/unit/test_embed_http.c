/*
 * test_embed_http.c — the openai and ollama providers against the fake
 * server on loopback: batching, concurrency, retries after 429 (Retry-After
 * in seconds and as a date), 500 and timeouts, and a clear error, in
 * bounded time, for a hang, a refused connection, malformed JSON, a wrong
 * count, non-numbers, a wrong dimension, an oversized answer and a refused
 * key, which never appears in the message.
 */
#include "indexer/embed.h"
#include "util/err.h"
#include "test.h"
#include "test_embed.h"

#include <arpa/inet.h>
#include <cjson/cJSON.h>
#include <curl/curl.h>
#include <fcntl.h>
#include <math.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* ---- the server ---- */

static int port;
static pid_t server_pid;
static int server_stdin = -1;

static void stop_server(void)
{
    if (server_stdin >= 0)
        close(server_stdin);
    if (server_pid > 0)
        waitpid(server_pid, NULL, 0);
}

int fake_embed_port(void)
{
    if (port)
        return port;
    const char *proxies[] = {"http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY",
                             "all_proxy", "ALL_PROXY"};
    for (size_t i = 0; i < sizeof proxies / sizeof *proxies; i++)
        unsetenv(proxies[i]);
    int in[2], out[2];
    if (pipe2(in, O_CLOEXEC) || pipe2(out, O_CLOEXEC))
        return 0;
    pid_t pid = fork();
    if (pid == 0) {
        dup2(in[0], 0);
        dup2(out[1], 1);
        execlp("python3", "python3", "tests/tools/fake_embed_server.py", (char *)NULL);
        _exit(127);
    }
    close(in[0]);
    close(out[1]);
    if (pid < 0)
        return 0;
    server_pid = pid;
    server_stdin = in[1];
    atexit(stop_server);
    char line[32] = "";
    size_t len = 0;
    struct pollfd pfd = {.fd = out[0], .events = POLLIN};
    while (len < sizeof line - 1 && !strchr(line, '\n') && poll(&pfd, 1, 10000) > 0) {
        ssize_t got = read(out[0], line + len, sizeof line - 1 - len);
        if (got <= 0)
            break;
        len += (size_t)got;
        line[len] = '\0';
    }
    close(out[0]);
    port = atoi(line);
    if (!port)
        fprintf(stderr, "    fake_embed_server.py did not start\n");
    return port;
}

const char *fake_embed_url(const char *path)
{
    static char url[256];
    snprintf(url, sizeof url, "http://127.0.0.1:%d%s", fake_embed_port(), path);
    return url;
}

static size_t collect_body(char *data, size_t size, size_t n, void *ctx)
{
    buf *b = ctx;
    return buf_append(b, data, size * n) == CAIRN_OK ? size * n : 0;
}

static cJSON *server_stats(const char *model)
{
    char *esc = curl_easy_escape(NULL, model, 0);
    char url[512];
    snprintf(url, sizeof url, "http://127.0.0.1:%d/stats?model=%s", fake_embed_port(), esc);
    curl_free(esc);
    buf b;
    buf_init(&b, 1 << 20);
    CURL *e = curl_easy_init();
    curl_easy_setopt(e, CURLOPT_URL, url);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, collect_body);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, &b);
    curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, 5000L);
    CURLcode rc = curl_easy_perform(e);
    curl_easy_cleanup(e);
    cJSON *j = rc == CURLE_OK ? cJSON_Parse(buf_str(&b)) : NULL;
    buf_release(&b);
    return j;
}

long fake_embed_requests(const char *model, long *max_inflight)
{
    cJSON *j = server_stats(model);
    long n = -1;
    if (j) {
        n = (long)cJSON_GetNumberValue(cJSON_GetObjectItem(j, "requests"));
        if (max_inflight)
            *max_inflight = (long)cJSON_GetNumberValue(cJSON_GetObjectItem(j, "max_inflight"));
    }
    cJSON_Delete(j);
    return n;
}

int fake_embed_saw_auth(const char *model, const char *value)
{
    cJSON *j = server_stats(model);
    const cJSON *a;
    int seen = 0;
    cJSON_ArrayForEach(a, cJSON_GetObjectItem(j, "auth"))
    {
        seen |= cJSON_IsString(a) && !strcmp(a->valuestring, value);
    }
    cJSON_Delete(j);
    return seen;
}

/* Sizes of the requests the server saw for model, sorted descending. */
static int request_sizes(const char *model, int *sizes, int max)
{
    cJSON *j = server_stats(model);
    int n = 0;
    const cJSON *s;
    cJSON_ArrayForEach(s, cJSON_GetObjectItem(j, "sizes"))
    {
        if (n < max)
            sizes[n++] = (int)s->valuedouble;
    }
    cJSON_Delete(j);
    for (int i = 1; i < n; i++)
        for (int k = i; k > 0 && sizes[k - 1] < sizes[k]; k--) {
            int t = sizes[k];
            sizes[k] = sizes[k - 1];
            sizes[k - 1] = t;
        }
    return n;
}

/* ---- helpers ---- */

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

/* Options for tests: short waits so that retries take milliseconds. */
static embed_opts fast_opts(void)
{
    embed_opts o;
    embed_opts_init(&o);
    o.url = fake_embed_url("");
    o.timeout_ms = 5000;
    o.backoff_ms = 50;
    return o;
}

static embed_provider *provider(const char *spec, const embed_opts *o)
{
    embed_provider *p = NULL;
    if (embed_provider_new(spec, o, &p) != CAIRN_OK)
        fprintf(stderr, "    %s: %s\n", spec, err_msg());
    return p;
}

/* Embed texts with spec; returns the error code, the vectors in *out. */
static int embed_with(const char *spec, const embed_opts *o, const char *const *texts, size_t n,
                      float **out, int *dim)
{
    embed_provider *p = provider(spec, o);
    if (!p)
        return -100;
    float *v = NULL;
    int rc = embed_batch(p, texts, n, &v);
    if (dim)
        *dim = embed_dim(p);
    embed_free(p);
    if (out)
        *out = v;
    else
        free(v);
    return rc;
}

static double dot(const float *a, const float *b, int dim)
{
    double s = 0;
    for (int i = 0; i < dim; i++)
        s += (double)a[i] * b[i];
    return s;
}

static const char *const few[] = {"retry the request with jitter", "open the database file",
                                  "retry after a failed request"};

/* ---- tests ---- */

TEST(embed_http_openai_vectors_in_batches)
{
    REQUIRE(fake_embed_port());
    enum { N = 150 };
    char *texts[N];
    for (int i = 0; i < N; i++) {
        char t[64];
        snprintf(t, sizeof t, "text number %d about topic %d", i, i % 7);
        texts[i] = strdup(t);
    }
    embed_opts o = fast_opts();
    float *v = NULL;
    int dim = 0;
    REQUIRE(embed_with("openai:batches", &o, (const char *const *)texts, N, &v, &dim) == CAIRN_OK);
    CHECK_INT(dim, 64);
    int sizes[8];
    CHECK_INT(request_sizes("batches", sizes, 8), 3);
    CHECK(sizes[0] == 64 && sizes[1] == 64 && sizes[2] == 22);
    /* Vector i belongs to text i: the same text alone gives the same vector. */
    float *one = NULL;
    REQUIRE(embed_with("openai:batches", &o, (const char *const *)&texts[77], 1, &one, NULL) ==
            CAIRN_OK);
    CHECK(fabs(dot(one, v + 77 * dim, dim) - 1.0) < 1e-5);
    CHECK(dot(one, v + 76 * dim, dim) < 0.99);
    free(one);
    free(v);
    /* A byte budget makes smaller requests. */
    o.batch_bytes = 200;
    REQUIRE(embed_with("openai:bytes", &o, (const char *const *)texts, 20, NULL, NULL) ==
            CAIRN_OK);
    CHECK(fake_embed_requests("bytes", NULL) >= 4);
    for (int i = 0; i < N; i++)
        free(texts[i]);
}

TEST(embed_http_vectors_follow_their_index_and_odd_text)
{
    REQUIRE(fake_embed_port());
    embed_opts o = fast_opts();
    float *a = NULL, *b = NULL;
    int dim = 0;
    REQUIRE(embed_with("openai:order", &o, few, 3, &a, &dim) == CAIRN_OK);
    REQUIRE(embed_with("openai:order+shuffle", &o, few, 3, &b, NULL) == CAIRN_OK);
    for (int i = 0; i < 3; i++)
        CHECK(fabs(dot(a + i * dim, b + i * dim, dim) - 1.0) < 1e-5);
    /* Texts sharing words are nearer than texts that share none. */
    CHECK(dot(a, a + 2 * dim, dim) > dot(a, a + dim, dim));
    free(a);
    free(b);
    const char *odd[] = {"", "\xff\xfe broken \xc3", "emoji \xf0\x9f\x98\x80 only"};
    CHECK(embed_with("openai:odd", &o, odd, 3, NULL, NULL) == CAIRN_OK);
    /* A 100 KB text is cut to max_text and still embedded. */
    char *huge = malloc(100001);
    memset(huge, 'a', 100000);
    huge[100000] = '\0';
    huge[50] = ' ';
    const char *hp[] = {huge};
    CHECK(embed_with("openai:huge", &o, hp, 1, NULL, NULL) == CAIRN_OK);
    free(huge);
}

TEST(embed_http_ollama_and_url_forms)
{
    REQUIRE(fake_embed_port());
    embed_opts o = fast_opts();
    float *a = NULL, *b = NULL;
    int dim = 0;
    REQUIRE(embed_with("ollama:nomic-embed-text:latest", &o, few, 3, &a, &dim) == CAIRN_OK);
    CHECK_INT(dim, 64);
    CHECK_INT(fake_embed_requests("nomic-embed-text:latest", NULL), 1);
    o.url = fake_embed_url("/");
    CHECK(embed_with("openai:forms", &o, few, 1, &b, NULL) == CAIRN_OK);
    CHECK(fabs(dot(a, b, dim) - 1.0) < 1e-5);
    free(a);
    free(b);
    o.url = fake_embed_url("/v1");
    CHECK(embed_with("openai:forms", &o, few, 1, NULL, NULL) == CAIRN_OK);
    o.url = fake_embed_url("/v1/embeddings");
    CHECK(embed_with("openai:forms", &o, few, 1, NULL, NULL) == CAIRN_OK);
    CHECK_INT(fake_embed_requests("forms", NULL), 3);
    /* $CAIRN_EMBED_URL when no URL is given. */
    o.url = NULL;
    setenv("CAIRN_EMBED_URL", fake_embed_url(""), 1);
    CHECK(embed_with("openai:fromenv", &o, few, 1, NULL, NULL) == CAIRN_OK);
    unsetenv("CAIRN_EMBED_URL");
    CHECK_INT(fake_embed_requests("fromenv", NULL), 1);
    /* Not HTTP, and a path the server does not serve. */
    o.url = "ftp://127.0.0.1/";
    embed_provider *p = NULL;
    CHECK(embed_provider_new("openai:x", &o, &p) == CAIRN_ERR_INVALID);
    o.url = fake_embed_url("/nowhere/");
    CHECK(embed_with("openai:x", &o, few, 1, NULL, NULL) == CAIRN_ERR_INVALID);
    CHECK(strstr(err_msg(), "HTTP 404") != NULL);
}

TEST(embed_http_concurrency_is_capped)
{
    REQUIRE(fake_embed_port());
    embed_opts o = fast_opts();
    o.batch = 1;
    const char *texts[12];
    for (int i = 0; i < 12; i++)
        texts[i] = few[i % 3];
    double t0 = now_s();
    REQUIRE(embed_with("openai:conc+slow=12:0.3", &o, texts, 12, NULL, NULL) == CAIRN_OK);
    double took = now_s() - t0;
    long max_inflight = 0;
    CHECK_INT(fake_embed_requests("conc+slow=12:0.3", &max_inflight), 12);
    CHECK(max_inflight >= 2 && max_inflight <= 4);
    CHECK(took >= 0.85 && took < 3.0); /* 3 rounds of 4, not 12 in a row */
    fprintf(stderr, "    12 slow requests, at most %ld at once: %.2f s\n", max_inflight, took);
}

TEST(embed_http_retries_429_and_500)
{
    REQUIRE(fake_embed_port());
    embed_opts o = fast_opts();
    double t0 = now_s();
    CHECK(embed_with("openai:r429+429=1", &o, few, 3, NULL, NULL) == CAIRN_OK);
    double took = now_s() - t0;
    CHECK(took >= 0.95 && took < 3); /* Retry-After: 1, not the 50 ms backoff */
    CHECK_INT(fake_embed_requests("r429+429=1", NULL), 2);
    t0 = now_s();
    CHECK(embed_with("openai:rdate+429date=1", &o, few, 3, NULL, NULL) == CAIRN_OK);
    took = now_s() - t0;
    CHECK(took >= 0.9 && took < 4); /* a date two seconds ahead, to the second */
    CHECK_INT(fake_embed_requests("rdate+429date=1", NULL), 2);
    t0 = now_s();
    CHECK(embed_with("openai:r500+500=2", &o, few, 3, NULL, NULL) == CAIRN_OK);
    CHECK(now_s() - t0 < 2);
    CHECK_INT(fake_embed_requests("r500+500=2", NULL), 3);
    /* Past the retries: a clear error with the server's words. */
    o.retries = 2;
    CHECK(embed_with("openai:r500x+500=99", &o, few, 3, NULL, NULL) == CAIRN_ERR_IO);
    CHECK(strstr(err_msg(), "HTTP 500") && strstr(err_msg(), "internal trouble") &&
          strstr(err_msg(), "3 times"));
    CHECK_INT(fake_embed_requests("r500x+500=99", NULL), 3);
}

TEST(embed_http_timeouts_retry_and_hangs_fail_in_bounded_time)
{
    REQUIRE(fake_embed_port());
    embed_opts o = fast_opts();
    o.timeout_ms = 500;
    double t0 = now_s();
    CHECK(embed_with("openai:slow+slow=1:3", &o, few, 3, NULL, NULL) == CAIRN_OK);
    CHECK(now_s() - t0 < 2.5);
    CHECK_INT(fake_embed_requests("slow+slow=1:3", NULL), 2);
    o.timeout_ms = 400;
    o.retries = 1;
    t0 = now_s();
    CHECK(embed_with("openai:hang+hang", &o, few, 3, NULL, NULL) == CAIRN_ERR_IO);
    double took = now_s() - t0;
    CHECK(took < 3);
    CHECK(strstr(err_msg(), "did not answer within 0.4 s (2 attempts)") != NULL);
    fprintf(stderr, "    hang: gave up after %.2f s: %s\n", took, err_msg());
}

static int stop_now(void *ctx)
{
    (void)ctx;
    return 1;
}

TEST(embed_http_stop_cancels_a_wait)
{
    REQUIRE(fake_embed_port());
    embed_opts o = fast_opts();
    o.stop = stop_now;
    double t0 = now_s();
    CHECK(embed_with("openai:stop+hang", &o, few, 3, NULL, NULL) == CAIRN_ERR_CANCELLED);
    CHECK(now_s() - t0 < 1);
}

TEST(embed_http_nonsense_answers_are_clear_errors)
{
    REQUIRE(fake_embed_port());
    embed_opts o = fast_opts();
    struct {
        const char *spec, *model, *says;
    } cases[] = {
        {"openai:bad+malformed", "bad+malformed", "not JSON"},
        {"openai:bad+count", "bad+count", "2 vectors for 3 texts"},
        {"openai:bad+nan", "bad+nan", "is not a number"},
        {"ollama:bad+nan", "bad+nan", "is not a number"},
        {"ollama:badc+count", "badc+count", "2 vectors for 3 texts"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        long before = fake_embed_requests(cases[i].model, NULL);
        int rc = embed_with(cases[i].spec, &o, few, 3, NULL, NULL);
        if (rc != CAIRN_ERR_INVALID || !strstr(err_msg(), cases[i].says) ||
            !strstr(err_msg(), "answered nonsense"))
            test_fail(__FILE__, __LINE__, "%s: rc %d, %s", cases[i].spec, rc, err_msg());
        /* Nonsense is not retried: it would only come again. */
        CHECK_INT(fake_embed_requests(cases[i].model, NULL) - before, 1);
    }
    o.max_response = 1 << 20;
    CHECK(embed_with("openai:bad+big=2000000", &o, few, 3, NULL, NULL) == CAIRN_ERR_TOOBIG);
    CHECK(strstr(err_msg(), "larger than 1048576 bytes") != NULL);
}

TEST(embed_http_dimension_is_learned_then_enforced)
{
    REQUIRE(fake_embed_port());
    embed_opts o = fast_opts();
    o.dim = 32;
    CHECK(embed_with("openai:dims", &o, few, 3, NULL, NULL) == CAIRN_ERR_INVALID);
    CHECK(strstr(err_msg(), "64-dimensional vector where 32 dimensions were expected") != NULL);
    o.dim = 0;
    embed_provider *p = provider("openai:flip+dimflip", &o);
    REQUIRE(p);
    CHECK_INT(embed_dim(p), 0);
    float *v = NULL;
    CHECK(embed_batch(p, few, 3, &v) == CAIRN_OK);
    CHECK_INT(embed_dim(p), 64);
    free(v);
    v = NULL;
    CHECK(embed_batch(p, few, 3, &v) == CAIRN_ERR_INVALID);
    CHECK(strstr(err_msg(), "65-dimensional") != NULL);
    CHECK(v == NULL);
    embed_free(p);
}

TEST(embed_http_unreachable_endpoint_fails_fast)
{
    /* A port that was just free: nothing listens there. */
    int s = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof a;
    REQUIRE(bind(s, (struct sockaddr *)&a, sizeof a) == 0);
    REQUIRE(getsockname(s, (struct sockaddr *)&a, &len) == 0);
    close(s);
    char url[64];
    snprintf(url, sizeof url, "http://127.0.0.1:%d", ntohs(a.sin_port));
    embed_opts o = fast_opts();
    o.url = url;
    double t0 = now_s();
    CHECK(embed_with("openai:x", &o, few, 3, NULL, NULL) == CAIRN_ERR_IO);
    CHECK(now_s() - t0 < 1);
    CHECK(strstr(err_msg(), "cannot connect to") && strstr(err_msg(), "is the server running"));
}

TEST(embed_http_api_key_is_sent_never_shown)
{
    REQUIRE(fake_embed_port());
    const char *secret = "sk-test-SECRET-4f9a2c";
    setenv("CAIRN_TEST_EMBED_KEY", secret, 1);
    embed_opts o = fast_opts();
    o.key_env = "CAIRN_TEST_EMBED_KEY";
    CHECK(embed_with("openai:keyed", &o, few, 1, NULL, NULL) == CAIRN_OK);
    CHECK(fake_embed_saw_auth("keyed", "Bearer sk-test-SECRET-4f9a2c"));
    /* The server quotes the key back in its refusal; the message must not. */
    CHECK(embed_with("openai:keyed+echoauth", &o, few, 1, NULL, NULL) == CAIRN_ERR_PERM);
    CHECK(strstr(err_msg(), "HTTP 401") != NULL);
    CHECK(strstr(err_msg(), "SECRET") == NULL);
    CHECK(strstr(err_msg(), "***") != NULL);
    /* OPENAI_API_KEY by default, for openai only. */
    setenv("OPENAI_API_KEY", secret, 1);
    o.key_env = NULL;
    CHECK(embed_with("openai:default-key", &o, few, 1, NULL, NULL) == CAIRN_OK);
    CHECK(fake_embed_saw_auth("default-key", "Bearer sk-test-SECRET-4f9a2c"));
    CHECK(embed_with("ollama:no-key", &o, few, 1, NULL, NULL) == CAIRN_OK);
    CHECK(fake_embed_saw_auth("no-key", ""));
    unsetenv("OPENAI_API_KEY");
    CHECK(embed_with("openai:unset-key", &o, few, 1, NULL, NULL) == CAIRN_OK);
    CHECK(fake_embed_saw_auth("unset-key", ""));
    /* A variable named on purpose must be set; the message names it only. */
    unsetenv("CAIRN_TEST_EMBED_KEY");
    o.key_env = "CAIRN_TEST_EMBED_KEY";
    embed_provider *p = NULL;
    CHECK(embed_provider_new("openai:x", &o, &p) == CAIRN_ERR_INVALID);
    CHECK(strstr(err_msg(), "CAIRN_TEST_EMBED_KEY") != NULL);
}
