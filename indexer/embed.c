/*
 * embed.c — the provider table, the checks every provider's answers go
 * through, and embed_update: chunks -> texts -> cache or provider -> SQLite.
 */
#include "indexer/embed.h"
#include "store/embcache.h"
#include "util/err.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

/* Adding a provider: a row here, its constructor in embed.h, its file. */
static const struct {
    const char *name;
    embed_new_fn make;
    int needs_model;
} providers[] = {
    {"local", embed_local_new, 0},
    {"openai", embed_openai_new, 1},
    {"ollama", embed_ollama_new, 1},
};

#define NPROVIDERS (sizeof providers / sizeof *providers)

void embed_opts_init(embed_opts *o)
{
    memset(o, 0, sizeof *o);
    o->batch = EMBED_DEFAULT_BATCH;
    o->batch_bytes = EMBED_DEFAULT_BATCH_BYTES;
    o->concurrency = EMBED_DEFAULT_CONCURRENCY;
    o->timeout_ms = EMBED_DEFAULT_TIMEOUT_MS;
    o->retries = EMBED_DEFAULT_RETRIES;
    o->backoff_ms = EMBED_DEFAULT_BACKOFF_MS;
    o->max_response = EMBED_DEFAULT_MAX_RESPONSE;
    o->max_text = EMBED_DEFAULT_MAX_TEXT;
}

static int check_opts(const embed_opts *o)
{
    if (o->batch < 1 || o->batch > 4096)
        return err_set(CAIRN_ERR_INVALID, "embedding batch of %d texts (1..4096)", o->batch);
    if (o->concurrency < 1 || o->concurrency > 64)
        return err_set(CAIRN_ERR_INVALID, "embedding concurrency %d (1..64)", o->concurrency);
    if (o->timeout_ms < 1 || o->retries < 0 || o->retries > 100 || o->backoff_ms < 0)
        return err_set(CAIRN_ERR_INVALID, "embedding timeout %d ms, %d retries, backoff %d ms",
                       o->timeout_ms, o->retries, o->backoff_ms);
    if (!o->batch_bytes || o->max_response < 1024 || o->max_text < 16)
        return err_set(CAIRN_ERR_INVALID, "embedding size limits too small");
    if (o->dim < 0 || o->dim > EMBED_MAX_DIM)
        return err_set(CAIRN_ERR_INVALID, "embedding dimension %d (0..%d)", o->dim, EMBED_MAX_DIM);
    return CAIRN_OK;
}

static void list_names(char *out, size_t len)
{
    size_t at = 0;
    out[0] = '\0';
    for (size_t i = 0; i < NPROVIDERS && at < len; i++)
        at += (size_t)snprintf(out + at, len - at, "%s%s%s", i ? ", " : "", providers[i].name,
                               providers[i].needs_model ? ":MODEL" : "");
}

int embed_provider_new(const char *spec, const embed_opts *o, embed_provider **out)
{
    *out = NULL;
    embed_opts defaults;
    if (!o) {
        embed_opts_init(&defaults);
        o = &defaults;
    }
    int rc = check_opts(o);
    if (rc)
        return rc;
    const char *colon = strchr(spec, ':');
    size_t nlen = colon ? (size_t)(colon - spec) : strlen(spec);
    const char *model = colon ? colon + 1 : "";
    char names[256];
    for (size_t i = 0; i < NPROVIDERS; i++) {
        if (strlen(providers[i].name) != nlen || strncmp(providers[i].name, spec, nlen) != 0)
            continue;
        if (providers[i].needs_model && !*model)
            return err_set(CAIRN_ERR_INVALID, "embedder '%s' needs a model: %s:MODEL",
                           spec, providers[i].name);
        embed_provider *p = NULL;
        if ((rc = providers[i].make(model, o, &p)))
            return rc;
        p->name = strdup(providers[i].name);
        if (!p->model)
            p->model = strdup(model);
        if (!p->name || !p->model) {
            embed_free(p);
            return err_set(CAIRN_ERR_NOMEM, "out of memory creating embedder %s", spec);
        }
        *out = p;
        return CAIRN_OK;
    }
    list_names(names, sizeof names);
    return err_set(CAIRN_ERR_INVALID, "unknown embedder '%s' (known: %s)", spec, names);
}

void embed_free(embed_provider *p)
{
    if (!p)
        return;
    char *name = p->name, *model = p->model;
    p->ops->free(p);
    free(name);
    free(model);
}

const char *embed_name(const embed_provider *p) { return p->name; }
const char *embed_model(const embed_provider *p) { return p->model; }
int embed_dim(const embed_provider *p) { return p->dim; }

int embed_batch(embed_provider *p, const char *const *texts, size_t n, float **out)
{
    *out = NULL;
    if (!n)
        return CAIRN_OK;
    float *v = NULL;
    int rc = p->ops->batch(p, texts, n, &v);
    if (rc)
        return err_wrap(rc, "embedding with %s:%s", p->name, p->model);
    if (p->dim <= 0 || p->dim > EMBED_MAX_DIM || !v) {
        free(v);
        return err_set(CAIRN_ERR_INVALID, "embedder %s:%s gave no vectors", p->name, p->model);
    }
    size_t total = n * (size_t)p->dim;
    for (size_t i = 0; i < total; i++) {
        if (!isfinite(v[i])) {
            free(v);
            return err_set(CAIRN_ERR_INVALID, "embedder %s:%s gave a non-finite value in vector %zu",
                           p->name, p->model, i / (size_t)p->dim);
        }
    }
    *out = v;
    return CAIRN_OK;
}

/* ---- embed_update ---- */

int embed_chunk_text(buf *b, const char *path, const char *symbol, const char *context,
                     const char *text, size_t text_len)
{
    int rc = buf_puts(b, path);
    if (!rc && symbol && *symbol)
        rc = buf_printf(b, " %s", symbol);
    if (!rc && context && *context)
        rc = buf_printf(b, " (%s)", context);
    if (!rc)
        rc = buf_puts(b, "\n\n");
    if (!rc)
        rc = buf_append(b, text, text_len);
    return rc;
}

/* One step's chunks: their texts and hashes, and which texts to send. */
typedef struct step {
    int64_t *ids;
    uint64_t *hashes;
    char **texts;
    size_t n;
} step;

static int collect(void *ctx, const embcache_chunk *c)
{
    step *st = ctx;
    buf b;
    buf_init(&b, 0);
    int rc = embed_chunk_text(&b, c->path, c->symbol, c->context, c->text, c->text_len);
    if (rc) {
        buf_release(&b);
        return rc;
    }
    st->ids[st->n] = c->id;
    st->hashes[st->n] = XXH3_64bits(b.data, b.len);
    st->texts[st->n] = buf_detach(&b);
    if (!st->texts[st->n])
        return err_set(CAIRN_ERR_NOMEM, "out of memory building texts to embed");
    st->n++;
    return CAIRN_OK;
}

static void step_clear(step *st)
{
    for (size_t i = 0; i < st->n; i++)
        free(st->texts[i]);
    st->n = 0;
}

/* Embed the texts of st the cache lacks and record every chunk's hash.
 * *dim_changed is set, with nothing written, when the provider's
 * dimension is not the cache's. */
static int embed_step(store *s, embed_provider *p, step *st, int cache_dim, int *dim_changed,
                      embed_update_stats *stats)
{
    const char *name = embed_name(p), *model = embed_model(p);
    unsigned char *found = malloc(st->n);
    const char **send = malloc(st->n * sizeof *send);
    uint64_t *send_hash = malloc(st->n * sizeof *send_hash);
    float *vecs = NULL;
    size_t nsend = 0;
    int rc = CAIRN_OK;
    if (!found || !send || !send_hash) {
        rc = err_set(CAIRN_ERR_NOMEM, "out of memory embedding %zu chunks", st->n);
        goto out;
    }
    if ((rc = embcache_get(s, name, model, st->n, st->hashes, 0, NULL, found, NULL)))
        goto out;
    for (size_t i = 0; i < st->n; i++) {
        if (found[i]) {
            stats->cached++;
            continue;
        }
        int dup = 0; /* the same text twice in one step is sent once */
        for (size_t j = 0; j < nsend && !dup; j++)
            dup = send_hash[j] == st->hashes[i];
        if (!dup) {
            send[nsend] = st->texts[i];
            send_hash[nsend++] = st->hashes[i];
        }
    }
    if (nsend && (rc = embed_batch(p, send, nsend, &vecs)))
        goto out;
    if (nsend && cache_dim && embed_dim(p) != cache_dim) {
        *dim_changed = 1;
        goto out;
    }
    stats->embedded += (int64_t)nsend;
    if ((rc = store_begin(s)))
        goto out;
    if ((nsend && (rc = embcache_put(s, name, model, nsend, send_hash, embed_dim(p), vecs))) ||
        (rc = embcache_chunk_set(s, st->n, st->ids, st->hashes)))
        store_rollback(s);
    else
        rc = store_commit(s);
out:
    free(found);
    free(send);
    free(send_hash);
    free(vecs);
    return rc;
}

static void warnf(embed_warn_fn warn, void *ctx, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void warnf(embed_warn_fn warn, void *ctx, const char *fmt, ...)
{
    if (!warn)
        return;
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    warn(ctx, msg);
}

int embed_update(store *s, embed_provider *p, embed_warn_fn warn, void *warn_ctx,
                 embed_update_stats *stats)
{
    if (p->ops->train) {
        int trc = p->ops->train(p, s, warn, warn_ctx);
        if (trc)
            return trc;
    }
    const char *name = embed_name(p), *model = embed_model(p);
    step st = {0};
    st.ids = malloc(EMBED_UPDATE_STEP * sizeof *st.ids);
    st.hashes = malloc(EMBED_UPDATE_STEP * sizeof *st.hashes);
    st.texts = malloc(EMBED_UPDATE_STEP * sizeof *st.texts);
    int64_t *missing = NULL;
    size_t nmissing = 0;
    int rc = CAIRN_OK, redone = 0;
    if (!st.ids || !st.hashes || !st.texts) {
        rc = err_set(CAIRN_ERR_NOMEM, "out of memory embedding chunks");
        goto out;
    }
again:
    free(missing);
    missing = NULL;
    int cache_dim = 0, dim_changed = 0;
    if ((rc = embcache_dim(s, name, model, &cache_dim)) ||
        (rc = embcache_unembedded(s, name, model, &missing, &nmissing)))
        goto out;
    for (size_t at = 0; at < nmissing && !rc && !dim_changed; at += EMBED_UPDATE_STEP) {
        size_t m = nmissing - at < EMBED_UPDATE_STEP ? nmissing - at : EMBED_UPDATE_STEP;
        rc = embcache_chunks_each(s, missing + at, m, collect, &st);
        if (!rc)
            rc = embed_step(s, p, &st, cache_dim, &dim_changed, stats);
        step_clear(&st);
    }
    if (!rc && !dim_changed)
        stats->chunks += (int64_t)nmissing;
    if (!rc && dim_changed) {
        if (redone++) {
            rc = err_set(CAIRN_ERR_INVALID, "embedder %s:%s keeps changing its dimension",
                         name, model);
            goto out;
        }
        warnf(warn, warn_ctx,
              "embedder %s:%s now gives %d-dimensional vectors, the index holds %d-dimensional "
              "ones from it: the model changed; embedding every chunk again",
              name, model, embed_dim(p), cache_dim);
        if ((rc = store_begin(s)))
            goto out;
        if ((rc = embcache_drop(s, name, model)))
            store_rollback(s);
        else if (!(rc = store_commit(s)))
            goto again;
    }
out:
    step_clear(&st);
    free(st.ids);
    free(st.hashes);
    free(st.texts);
    free(missing);
    return rc;
}
