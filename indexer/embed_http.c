/*
 * embed_http.c — the openai and ollama providers: embeddings over HTTP
 * with libcurl.
 *
 * Texts are cut into requests (at most opts.batch texts and about
 * opts.batch_bytes bytes each) that run opts.concurrency at a time on one
 * curl multi handle.  A request that fails in a way worth retrying — HTTP
 * 408, 429 or 5xx, a timeout, a dropped connection — is tried again after
 * an exponential backoff with jitter, or after the server's Retry-After
 * (seconds or an HTTP date) when it sent one; a 429 holds back requests not
 * yet started as well.  Anything else — no server at the address, a 4xx,
 * an answer that does not parse as the API's shape, vectors of another
 * dimension — fails the call with a message naming the endpoint.  The API
 * key travels only in the Authorization header: it is never part of a
 * message, and is cut out of any server text quoted in one.
 */
#include "indexer/embed.h"
#include "util/err.h"
#include "util/version.h"

#include <cjson/cJSON.h>
#include <curl/curl.h>
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#define OPENAI_DEFAULT_URL "https://api.openai.com/v1"
#define OLLAMA_DEFAULT_URL "http://localhost:11434"
#define MAX_BACKOFF_MS 30000
#define MAX_POLL_MS 100
#define EXCERPT 200

enum api { API_OPENAI, API_OLLAMA };

typedef struct http_provider {
    embed_provider base;
    enum api api;
    char *endpoint;               /* where requests go */
    char *shown;                  /* endpoint without credentials or query, for messages */
    char *key;                    /* API key or NULL: never in a message */
    struct curl_slist *headers;
    embed_opts o;
    uint64_t rng;
} http_provider;

enum req_state { R_WAITING, R_RUNNING, R_DONE };

typedef struct req {
    size_t first, count;          /* texts[first .. first + count) */
    char *body;
    CURL *easy;
    buf resp;
    enum req_state state;
    int attempts;
    int64_t due_ms;               /* not to start before */
    int64_t retry_after_ms;       /* from the last answer; -1 when none */
    int too_big;                  /* the answer passed opts.max_response */
    char errbuf[CURL_ERROR_SIZE];
} req;

/* One embed_batch call. */
typedef struct call {
    http_provider *p;
    size_t n;
    float *out;                   /* n * dim, allocated with the first answer */
    req *reqs;
    size_t nreqs;
} call;

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static CURLcode curl_init_rc;

static void curl_init(void) { curl_init_rc = curl_global_init(CURL_GLOBAL_DEFAULT); }

static int64_t now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static uint64_t next_rand(http_provider *p)
{
    p->rng ^= p->rng << 13;
    p->rng ^= p->rng >> 7;
    p->rng ^= p->rng << 17;
    return p->rng;
}

/* ---- setting up ---- */

static void http_free(embed_provider *base)
{
    http_provider *p = (http_provider *)base;
    curl_slist_free_all(p->headers);
    free(p->endpoint);
    free(p->shown);
    if (p->key) {
        memset(p->key, 0, strlen(p->key));
        free(p->key);
    }
    free(p);
}

/* The endpoint for the base URL: OpenAI's path is /v1/embeddings under a
 * bare host and /embeddings under a given path ("…/v1", as its SDKs take
 * it); Ollama's is /api/embed.  A URL already ending so is kept; a query
 * string stays at the end.  shown drops user:password@ and the query. */
static int build_endpoint(http_provider *p, const char *url)
{
    const char *scheme_end = strstr(url, "://");
    if (!scheme_end || (strncasecmp(url, "http://", 7) && strncasecmp(url, "https://", 8)) ||
        !scheme_end[3] || strpbrk(url, " \t\r\n"))
        return err_set(CAIRN_ERR_INVALID,
                       "embedding URL must be http:// or https:// followed by a host");
    const char *host = scheme_end + 3;
    size_t qpos = strcspn(url, "?#");
    size_t end = qpos;
    while (end > (size_t)(host - url) && url[end - 1] == '/')
        end--;
    const char *path = memchr(host, '/', end - (size_t)(host - url));
    const char *suffix;
    if (p->api == API_OLLAMA)
        suffix = "/api/embed";
    else
        suffix = path ? "/embeddings" : "/v1/embeddings";
    size_t slen = strlen(suffix);
    if (end >= slen && !strncmp(url + end - slen, suffix, slen))
        suffix = "";
    else if (p->api == API_OPENAI && end >= 11 && !strncmp(url + end - 11, "/embeddings", 11))
        suffix = "";
    const char *at = memchr(host, '@', (path ? (size_t)(path - host) : end - (size_t)(host - url)));
    const char *shown_host = at ? at + 1 : host;
    if (asprintf(&p->endpoint, "%.*s%s%s", (int)end, url, suffix, url + qpos) < 0) {
        p->endpoint = NULL;
        return err_set(CAIRN_ERR_NOMEM, "out of memory");
    }
    if (asprintf(&p->shown, "%.*s%.*s%s", (int)(host - url), url,
                 (int)(end - (size_t)(shown_host - url)), shown_host, suffix) < 0) {
        p->shown = NULL;
        return err_set(CAIRN_ERR_NOMEM, "out of memory");
    }
    return CAIRN_OK;
}

static int read_key(http_provider *p, const char *key_env)
{
    const char *var = key_env ? key_env : p->api == API_OPENAI ? "OPENAI_API_KEY" : NULL;
    if (!var)
        return CAIRN_OK;
    const char *key = getenv(var);
    if (!key || !*key) {
        if (key_env) /* named on purpose, so it must be there */
            return err_set(CAIRN_ERR_INVALID,
                           "environment variable %s (the embedding API key) is not set", var);
        return CAIRN_OK;
    }
    if (strpbrk(key, "\r\n") || strlen(key) > 4096)
        return err_set(CAIRN_ERR_INVALID, "environment variable %s does not hold a usable key",
                       var);
    if (!(p->key = strdup(key)))
        return err_set(CAIRN_ERR_NOMEM, "out of memory");
    char *h = NULL;
    if (asprintf(&h, "Authorization: Bearer %s", key) < 0)
        return err_set(CAIRN_ERR_NOMEM, "out of memory");
    struct curl_slist *l = curl_slist_append(p->headers, h);
    memset(h, 0, strlen(h));
    free(h);
    if (!l)
        return err_set(CAIRN_ERR_NOMEM, "out of memory");
    p->headers = l;
    return CAIRN_OK;
}

static int http_batch(embed_provider *base, const char *const *texts, size_t n, float **out);

static const embed_ops http_ops = {.batch = http_batch, .free = http_free};

static int http_new(enum api api, const char *model, const embed_opts *o, embed_provider **out)
{
    *out = NULL;
    pthread_once(&curl_once, curl_init);
    if (curl_init_rc != CURLE_OK)
        return err_set(CAIRN_ERR_IO, "libcurl: %s", curl_easy_strerror(curl_init_rc));
    http_provider *p = calloc(1, sizeof *p);
    if (!p)
        return err_set(CAIRN_ERR_NOMEM, "out of memory");
    p->base.ops = &http_ops;
    p->base.dim = o->dim;
    p->api = api;
    p->o = *o;
    p->rng = (uint64_t)now_ms() ^ ((uint64_t)getpid() << 32) ^ (uint64_t)(uintptr_t)p;
    p->rng |= 1;
    const char *env = getenv("CAIRN_EMBED_URL");
    const char *url = o->url ? o->url
                      : env && *env ? env
                      : api == API_OPENAI ? OPENAI_DEFAULT_URL
                                          : OLLAMA_DEFAULT_URL;
    /* "Expect:" keeps curl from waiting for a 100-continue on big bodies. */
    struct curl_slist *h = curl_slist_append(NULL, "Content-Type: application/json");
    struct curl_slist *h2 = h ? curl_slist_append(h, "Expect:") : NULL;
    int rc = CAIRN_OK;
    if (!h2) {
        curl_slist_free_all(h);
        rc = err_set(CAIRN_ERR_NOMEM, "out of memory");
    }
    p->headers = h2;
    if (!rc)
        rc = build_endpoint(p, url);
    if (!rc)
        rc = read_key(p, o->key_env);
    if (rc) {
        http_free(&p->base);
        return err_wrap(rc, "embedder %s:%s", api == API_OPENAI ? "openai" : "ollama", model);
    }
    p->o.url = NULL; /* borrowed strings are not kept */
    p->o.key_env = NULL;
    *out = &p->base;
    return CAIRN_OK;
}

int embed_openai_new(const char *model, const embed_opts *o, embed_provider **out)
{
    return http_new(API_OPENAI, model, o, out);
}

int embed_ollama_new(const char *model, const embed_opts *o, embed_provider **out)
{
    return http_new(API_OLLAMA, model, o, out);
}

/* ---- requests ---- */

/* Length of the longest prefix of s[0..len) that is whole UTF-8 characters
 * and at most max bytes. */
static size_t utf8_cut(const char *s, size_t len, size_t max)
{
    if (len <= max)
        return len;
    size_t cut = max;
    while (cut > 0 && ((unsigned char)s[cut] & 0xC0) == 0x80)
        cut--;
    return cut;
}

/* s[0..len) with invalid UTF-8 replaced by U+FFFD, which JSON requires;
 * an empty text becomes one space, which every API accepts. */
static char *clean_text(const char *s, size_t len)
{
    buf b;
    buf_init(&b, len * 3 + 8);
    int rc = len ? CAIRN_OK : buf_putc(&b, ' ');
    for (size_t i = 0; i < len && !rc;) {
        unsigned char c = (unsigned char)s[i];
        size_t need = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3
                                : (c & 0xF8) == 0xF0 ? 4 : 0;
        int ok = need && i + need <= len && (need != 2 || c >= 0xC2) && (need != 4 || c <= 0xF4);
        for (size_t k = 1; ok && k < need; k++)
            ok = ((unsigned char)s[i + k] & 0xC0) == 0x80;
        if (ok && need == 3) {
            unsigned char c1 = (unsigned char)s[i + 1];
            ok = !(c == 0xE0 && c1 < 0xA0) && !(c == 0xED && c1 >= 0xA0);
        }
        if (ok && need == 4) {
            unsigned char c1 = (unsigned char)s[i + 1];
            ok = !(c == 0xF0 && c1 < 0x90) && !(c == 0xF4 && c1 >= 0x90);
        }
        if (ok && c) {
            rc = buf_append(&b, s + i, need);
            i += need;
        } else {
            rc = buf_puts(&b, c ? "\xEF\xBF\xBD" : " ");
            i++;
        }
    }
    if (rc) {
        buf_release(&b);
        return NULL;
    }
    return buf_detach(&b);
}

static char *request_body(http_provider *p, const char *const *texts, size_t first, size_t count)
{
    cJSON *root = cJSON_CreateObject();
    cJSON *input = cJSON_CreateArray();
    char *body = NULL;
    int ok = root && input && cJSON_AddStringToObject(root, "model", p->base.model ? p->base.model : "");
    if (ok)
        cJSON_AddItemToObject(root, "input", input);
    else
        cJSON_Delete(input);
    for (size_t i = first; ok && i < first + count; i++) {
        size_t len = strlen(texts[i]);
        char *t = clean_text(texts[i], utf8_cut(texts[i], len, p->o.max_text));
        cJSON *item = t ? cJSON_CreateString(t) : NULL;
        free(t);
        ok = item && cJSON_AddItemToArray(input, item);
    }
    if (ok)
        body = cJSON_PrintUnformatted(root);
    cJSON_Delete(root);
    return body;
}

/* Split texts into requests of at most batch texts and about batch_bytes. */
static int plan(call *c, const char *const *texts)
{
    http_provider *p = c->p;
    c->reqs = calloc(c->n, sizeof *c->reqs);
    if (!c->reqs)
        return err_set(CAIRN_ERR_NOMEM, "out of memory planning %zu texts", c->n);
    size_t i = 0;
    while (i < c->n) {
        req *r = &c->reqs[c->nreqs++];
        r->first = i;
        size_t bytes = 0;
        while (i < c->n && r->count < (size_t)p->o.batch) {
            size_t len = strlen(texts[i]);
            len = (len < p->o.max_text ? len : p->o.max_text) + 16;
            if (r->count && bytes + len > p->o.batch_bytes)
                break;
            bytes += len;
            r->count++;
            i++;
        }
        r->retry_after_ms = -1;
        buf_init(&r->resp, p->o.max_response);
        if (!(r->body = request_body(p, texts, r->first, r->count)))
            return err_set(CAIRN_ERR_NOMEM, "out of memory building a request");
    }
    return CAIRN_OK;
}

static size_t on_data(char *data, size_t size, size_t n, void *ctx)
{
    req *r = ctx;
    if (buf_append(&r->resp, data, size * n) == CAIRN_OK)
        return size * n;
    r->too_big = 1;
    err_clear();
    return 0;
}

static size_t on_header(char *data, size_t size, size_t n, void *ctx)
{
    req *r = ctx;
    size_t len = size * n;
    if (len > 12 && !strncasecmp(data, "Retry-After:", 12)) {
        char value[128];
        size_t vlen = len - 12 < sizeof value - 1 ? len - 12 : sizeof value - 1;
        memcpy(value, data + 12, vlen);
        value[vlen] = '\0';
        char *v = value + strspn(value, " \t");
        v[strcspn(v, "\r\n")] = '\0';
        char *end;
        errno = 0;
        long secs = strtol(v, &end, 10);
        if (end != v && !*end && !errno && secs >= 0) {
            r->retry_after_ms = (int64_t)secs * 1000;
        } else {
            time_t t = curl_getdate(v, NULL);
            if (t != -1)
                r->retry_after_ms = t > time(NULL) ? (int64_t)(t - time(NULL)) * 1000 : 0;
        }
    }
    return len;
}

static int start(call *c, CURLM *m, req *r)
{
    http_provider *p = c->p;
    CURL *e = curl_easy_init();
    if (!e)
        return err_set(CAIRN_ERR_NOMEM, "libcurl: cannot create a request");
    buf_clear(&r->resp);
    r->too_big = 0;
    r->retry_after_ms = -1;
    r->errbuf[0] = '\0';
    long connect_ms = p->o.timeout_ms < 10000 ? p->o.timeout_ms : 10000;
    if (curl_easy_setopt(e, CURLOPT_URL, p->endpoint) ||
        curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https") ||
        curl_easy_setopt(e, CURLOPT_POSTFIELDS, r->body) ||
        curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)strlen(r->body)) ||
        curl_easy_setopt(e, CURLOPT_HTTPHEADER, p->headers) ||
        curl_easy_setopt(e, CURLOPT_USERAGENT, "cairn/" CAIRN_VERSION) ||
        curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_data) ||
        curl_easy_setopt(e, CURLOPT_WRITEDATA, r) ||
        curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header) ||
        curl_easy_setopt(e, CURLOPT_HEADERDATA, r) ||
        curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, (long)p->o.timeout_ms) ||
        curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, connect_ms) ||
        curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L) ||
        curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "") ||
        curl_easy_setopt(e, CURLOPT_ERRORBUFFER, r->errbuf) ||
        curl_easy_setopt(e, CURLOPT_PRIVATE, r) || curl_multi_add_handle(m, e)) {
        curl_easy_cleanup(e);
        return err_set(CAIRN_ERR_NOMEM, "libcurl: cannot set up a request to %s", p->shown);
    }
    r->easy = e;
    r->state = R_RUNNING;
    r->attempts++;
    return CAIRN_OK;
}

/* ---- answers ---- */

/* A short, one-line excerpt of a server's text for a message, with the
 * API key cut out wherever the server echoed it. */
static void excerpt(const http_provider *p, const char *text, size_t len, char *out, size_t cap)
{
    size_t w = 0;
    size_t klen = p->key ? strlen(p->key) : 0;
    for (size_t i = 0; i < len && w + 4 < cap && w < EXCERPT;) {
        if (klen && i + klen <= len && !memcmp(text + i, p->key, klen)) {
            w += (size_t)snprintf(out + w, cap - w, "***");
            i += klen;
            continue;
        }
        unsigned char ch = (unsigned char)text[i++];
        out[w++] = ch < 0x20 || ch == 0x7f ? ' ' : (char)ch;
    }
    out[w] = '\0';
    if (w >= EXCERPT && w + 4 < cap)
        strcat(out, "...");
}

/* The server's own words for an error: error.message (OpenAI), error
 * (Ollama), else the start of the body. */
static void server_words(const http_provider *p, const buf *resp, char *out, size_t cap)
{
    cJSON *root = resp->len ? cJSON_ParseWithLength(resp->data, resp->len) : NULL;
    const cJSON *err = cJSON_GetObjectItemCaseSensitive(root, "error");
    const cJSON *msg = cJSON_IsObject(err) ? cJSON_GetObjectItemCaseSensitive(err, "message") : err;
    if (cJSON_IsString(msg))
        excerpt(p, msg->valuestring, strlen(msg->valuestring), out, cap);
    else
        excerpt(p, resp->data ? resp->data : "", resp->len, out, cap);
    cJSON_Delete(root);
}

static int nonsense(call *c, const req *r, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int nonsense(call *c, const req *r, const char *fmt, ...)
{
    char what[256], body[EXCERPT + 8];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    excerpt(c->p, r->resp.data ? r->resp.data : "", r->resp.len, body, sizeof body);
    return err_set(CAIRN_ERR_INVALID, "%s answered nonsense: %s (answer begins: %s)", c->p->shown,
                   what, body);
}

/* Copy one JSON vector into slot i of the output, holding it to the
 * provider's dimension (learning it from the first). */
static int take_vector(call *c, const req *r, size_t i, const cJSON *vec)
{
    http_provider *p = c->p;
    if (!cJSON_IsArray(vec))
        return nonsense(c, r, "vector %zu is not an array", i - r->first);
    int len = cJSON_GetArraySize(vec);
    if (len <= 0 || len > EMBED_MAX_DIM)
        return nonsense(c, r, "vector %zu has %d values", i - r->first, len);
    if (!p->base.dim)
        p->base.dim = len;
    if (len != p->base.dim)
        return err_set(CAIRN_ERR_INVALID,
                       "%s returned a %d-dimensional vector where %d dimensions were expected "
                       "(the model changed, or the index was built with another one)",
                       p->shown, len, p->base.dim);
    if (!c->out && !(c->out = malloc(c->n * (size_t)len * sizeof *c->out)))
        return err_set(CAIRN_ERR_NOMEM, "out of memory for %zu vectors", c->n);
    float *dst = c->out + i * (size_t)len;
    int k = 0;
    const cJSON *x;
    cJSON_ArrayForEach(x, vec)
    {
        if (!cJSON_IsNumber(x) || !isfinite(x->valuedouble) || fabs(x->valuedouble) > 3.0e38)
            return nonsense(c, r, "value %d of vector %zu is not a number", k, i - r->first);
        dst[k++] = (float)x->valuedouble;
    }
    return CAIRN_OK;
}

static int parse_answer(call *c, const req *r)
{
    cJSON *root = cJSON_ParseWithLength(r->resp.data ? r->resp.data : "", r->resp.len);
    if (!root)
        return nonsense(c, r, "not JSON");
    int rc = CAIRN_OK;
    const cJSON *list = cJSON_GetObjectItemCaseSensitive(
        root, c->p->api == API_OPENAI ? "data" : "embeddings");
    if (!cJSON_IsArray(list)) {
        rc = nonsense(c, r, "no \"%s\" array", c->p->api == API_OPENAI ? "data" : "embeddings");
        goto out;
    }
    int got = cJSON_GetArraySize(list);
    if (got < 0 || (size_t)got != r->count) {
        rc = nonsense(c, r, "%d vectors for %zu texts", got, r->count);
        goto out;
    }
    unsigned char *seen = calloc(r->count, 1);
    if (!seen) {
        rc = err_set(CAIRN_ERR_NOMEM, "out of memory");
        goto out;
    }
    size_t pos = 0;
    const cJSON *item;
    cJSON_ArrayForEach(item, list)
    {
        const cJSON *vec = item;
        size_t slot = pos++;
        if (c->p->api == API_OPENAI) {
            /* OpenAI says which input each vector is for; honour it. */
            const cJSON *idx = cJSON_GetObjectItemCaseSensitive(item, "index");
            vec = cJSON_GetObjectItemCaseSensitive(item, "embedding");
            if (cJSON_IsNumber(idx)) {
                if (idx->valuedouble < 0 || idx->valuedouble >= (double)r->count ||
                    idx->valuedouble != floor(idx->valuedouble)) {
                    rc = nonsense(c, r, "index %g out of range", idx->valuedouble);
                    break;
                }
                slot = (size_t)idx->valuedouble;
            }
            if (seen[slot]) {
                rc = nonsense(c, r, "two vectors for input %zu", slot);
                break;
            }
        }
        seen[slot] = 1;
        if ((rc = take_vector(c, r, r->first + slot, vec)))
            break;
    }
    free(seen);
out:
    cJSON_Delete(root);
    return rc;
}

static int retryable(CURLcode res, long status)
{
    if (res == CURLE_OK)
        return status == 408 || status == 429 || status >= 500;
    return res == CURLE_OPERATION_TIMEDOUT || res == CURLE_GOT_NOTHING ||
           res == CURLE_RECV_ERROR || res == CURLE_SEND_ERROR || res == CURLE_PARTIAL_FILE ||
           res == CURLE_HTTP2 || res == CURLE_HTTP2_STREAM;
}

/* The message for a request that failed for good. */
static int failure(call *c, const req *r, CURLcode res, long status)
{
    http_provider *p = c->p;
    char words[EXCERPT + 8];
    if (r->too_big)
        return err_set(CAIRN_ERR_TOOBIG, "%s sent an answer larger than %zu bytes", p->shown,
                       p->o.max_response);
    if (res == CURLE_COULDNT_CONNECT)
        return err_set(CAIRN_ERR_IO, "cannot connect to %s (%s); is the server running?",
                       p->shown, r->errbuf[0] ? r->errbuf : curl_easy_strerror(res));
    if (res == CURLE_COULDNT_RESOLVE_HOST || res == CURLE_COULDNT_RESOLVE_PROXY)
        return err_set(CAIRN_ERR_IO, "cannot find the host of %s (%s)", p->shown,
                       curl_easy_strerror(res));
    if (res == CURLE_OPERATION_TIMEDOUT)
        return err_set(CAIRN_ERR_IO, "%s did not answer within %.1f s (%d attempts)", p->shown,
                       p->o.timeout_ms / 1000.0, r->attempts);
    if (res != CURLE_OK)
        return err_set(CAIRN_ERR_IO, "request to %s failed after %d attempts: %s", p->shown,
                       r->attempts, r->errbuf[0] ? r->errbuf : curl_easy_strerror(res));
    server_words(p, &r->resp, words, sizeof words);
    if (status == 401 || status == 403)
        return err_set(CAIRN_ERR_PERM, "%s refused the request (HTTP %ld: %s); check the API key",
                       p->shown, status, words);
    if (retryable(res, status))
        return err_set(CAIRN_ERR_IO, "%s answered HTTP %ld %d times, giving up: %s", p->shown,
                       status, r->attempts, words);
    return err_set(CAIRN_ERR_INVALID, "%s answered HTTP %ld: %s", p->shown, status, words);
}

/* A finished transfer: keep its vectors, schedule a retry, or fail. */
static int finish(call *c, CURLM *m, req *r, CURLcode res, int64_t *hold_until)
{
    http_provider *p = c->p;
    long status = 0;
    curl_easy_getinfo(r->easy, CURLINFO_RESPONSE_CODE, &status);
    curl_multi_remove_handle(m, r->easy);
    curl_easy_cleanup(r->easy);
    r->easy = NULL;
    if (res == CURLE_OK && status >= 200 && status < 300) {
        r->state = R_DONE;
        int rc = parse_answer(c, r);
        buf_release(&r->resp);
        return rc;
    }
    if (!retryable(res, status) || r->attempts > p->o.retries)
        return failure(c, r, res, status);
    int64_t wait;
    if (r->retry_after_ms >= 0) {
        if (r->retry_after_ms > (int64_t)EMBED_MAX_RETRY_AFTER_S * 1000)
            return err_set(CAIRN_ERR_IO,
                           "%s asks to wait %lld s before retrying (HTTP %ld), longer than cairn "
                           "waits (%d s)",
                           p->shown, (long long)(r->retry_after_ms / 1000), status,
                           EMBED_MAX_RETRY_AFTER_S);
        wait = r->retry_after_ms;
    } else {
        int64_t d = (int64_t)p->o.backoff_ms << (r->attempts - 1 < 16 ? r->attempts - 1 : 16);
        if (d > MAX_BACKOFF_MS)
            d = MAX_BACKOFF_MS;
        /* Full jitter over the upper half: spread, never much shorter. */
        wait = d / 2 + (d > 1 ? (int64_t)(next_rand(p) % (uint64_t)(d / 2 + 1)) : 0);
    }
    r->due_ms = now_ms() + wait;
    r->state = R_WAITING;
    if (status == 429 && r->due_ms > *hold_until)
        *hold_until = r->due_ms; /* the server is saturated: everyone waits */
    return CAIRN_OK;
}

static int run(call *c)
{
    http_provider *p = c->p;
    CURLM *m = curl_multi_init();
    if (!m)
        return err_set(CAIRN_ERR_NOMEM, "libcurl: cannot create a transfer set");
    int rc = CAIRN_OK;
    size_t done = 0, running = 0;
    int64_t hold_until = 0;
    while (!rc && done < c->nreqs) {
        if (p->o.stop && p->o.stop(p->o.stop_ctx)) {
            rc = err_set(CAIRN_ERR_CANCELLED, "embedding with %s cancelled", p->shown);
            break;
        }
        int64_t now = now_ms(), next_due = INT64_MAX;
        for (size_t i = 0; i < c->nreqs && !rc; i++) {
            req *r = &c->reqs[i];
            if (r->state != R_WAITING)
                continue;
            int64_t due = r->due_ms > hold_until ? r->due_ms : hold_until;
            if (due > now) {
                next_due = due < next_due ? due : next_due;
            } else if (running < (size_t)p->o.concurrency) {
                rc = start(c, m, r);
                running += !rc;
            }
        }
        int still = 0;
        if (!rc && curl_multi_perform(m, &still) != CURLM_OK)
            rc = err_set(CAIRN_ERR_IO, "libcurl: transfer to %s failed", p->shown);
        CURLMsg *msg;
        int left;
        while (!rc && (msg = curl_multi_info_read(m, &left))) {
            if (msg->msg != CURLMSG_DONE)
                continue;
            char *priv = NULL;
            curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, &priv);
            req *r = (req *)priv;
            CURLcode res = msg->data.result;
            running--;
            rc = finish(c, m, r, res, &hold_until);
            done += !rc && r->state == R_DONE;
        }
        if (rc || done == c->nreqs)
            break;
        int64_t wait = MAX_POLL_MS;
        if (!running && next_due != INT64_MAX && next_due - now_ms() < wait)
            wait = next_due - now_ms() > 0 ? next_due - now_ms() : 0;
        if (curl_multi_poll(m, NULL, 0, (int)wait, NULL) != CURLM_OK)
            rc = err_set(CAIRN_ERR_IO, "libcurl: waiting for %s failed", p->shown);
    }
    for (size_t i = 0; i < c->nreqs; i++) {
        if (c->reqs[i].easy) {
            curl_multi_remove_handle(m, c->reqs[i].easy);
            curl_easy_cleanup(c->reqs[i].easy);
            c->reqs[i].easy = NULL;
        }
    }
    curl_multi_cleanup(m);
    return rc;
}

static int http_batch(embed_provider *base, const char *const *texts, size_t n, float **out)
{
    call c = {.p = (http_provider *)base, .n = n};
    int rc = plan(&c, texts);
    if (!rc)
        rc = run(&c);
    for (size_t i = 0; i < c.nreqs; i++) {
        free(c.reqs[i].body);
        buf_release(&c.reqs[i].resp);
    }
    free(c.reqs);
    if (rc) {
        free(c.out);
        return rc;
    }
    *out = c.out;
    return CAIRN_OK;
}
