/*
 * embed.h — embedding providers (text in, vectors out) behind one small
 * interface, and the index-time step that gives every chunk a vector.
 *
 * A provider is chosen by a spec, "NAME" or "NAME:MODEL":
 *   local          trained on the index itself, offline (embed_local.c)
 *   openai:MODEL   any OpenAI-compatible /v1/embeddings endpoint
 *   ollama:MODEL   Ollama's /api/embed
 * (the model may itself contain ':', as Ollama's tags do).  Providers are
 * rows of a table in embed.c: adding one is a row there and a file that
 * defines its constructor (see "for providers" below).
 *
 * A provider learns its dimension from its first answer (or knows it from
 * the start) and holds every later answer to it.  A provider object is
 * used by one thread at a time.
 */
#ifndef CAIRN_EMBED_H
#define CAIRN_EMBED_H

#include "store/store.h"
#include "util/buf.h"

#include <stddef.h>
#include <stdint.h>

#define EMBED_DEFAULT_BATCH 64                   /* texts per HTTP request */
#define EMBED_DEFAULT_BATCH_BYTES ((size_t)256 << 10) /* text bytes per request */
#define EMBED_DEFAULT_CONCURRENCY 4              /* requests in flight */
#define EMBED_DEFAULT_TIMEOUT_MS 60000           /* per attempt */
#define EMBED_DEFAULT_RETRIES 4                  /* after the first attempt */
#define EMBED_DEFAULT_BACKOFF_MS 500             /* first retry; doubles, with jitter */
#define EMBED_DEFAULT_MAX_RESPONSE ((size_t)64 << 20)
#define EMBED_DEFAULT_MAX_TEXT 16384             /* longer texts are cut, at a character */
#define EMBED_MAX_RETRY_AFTER_S 120              /* a server asking for longer is an error */
#define EMBED_MAX_DIM 65536

/* Polled while waiting on the network; nonzero cancels the call, which
 * then returns CAIRN_ERR_CANCELLED. */
typedef int (*embed_stop_fn)(void *ctx);

typedef struct embed_opts {
    const char *url;         /* endpoint; NULL: $CAIRN_EMBED_URL, else the provider's default */
    const char *key_env;     /* variable holding the API key; NULL: OPENAI_API_KEY for
                                openai (optional), none for ollama */
    int batch;               /* texts per request */
    size_t batch_bytes;      /* text bytes per request (one text always fits) */
    int concurrency;         /* requests in flight */
    int timeout_ms;          /* one attempt, connecting included */
    int retries;             /* attempts after a failure worth retrying (429, 5xx, timeout) */
    int backoff_ms;          /* wait before the first retry */
    size_t max_response;     /* bytes of one answer */
    size_t max_text;         /* bytes of one text */
    int dim;                 /* expected dimension; 0: learn it from the first answer */
    store *store;            /* the index the provider serves (a corpus-trained provider
                                keeps its model there); may be NULL */
    embed_stop_fn stop;      /* may be NULL; it and stop_ctx must outlive the provider */
    void *stop_ctx;
} embed_opts;

/* Defaults above, no URL, no key variable, no stop. */
void embed_opts_init(embed_opts *o);

typedef struct embed_provider embed_provider;

/* The provider spec names, set up with o (NULL: defaults; the strings in
 * o are copied or used at once).  Nothing is sent yet.  Errors: CAIRN_ERR_INVALID for an unknown provider, a missing
 * model, a bad URL or option, or an API-key variable named but unset. */
int embed_provider_new(const char *spec, const embed_opts *o, embed_provider **out);

/* Accepts NULL. */
void embed_free(embed_provider *p);

/* "openai"; owned by p. */
const char *embed_name(const embed_provider *p);
/* The model ("" when the provider has none); owned by p. */
const char *embed_model(const embed_provider *p);
/* The dimension, 0 until the first answer when the provider learns it. */
int embed_dim(const embed_provider *p);

/* Embed n texts.  On success *out is a malloc'd array of n * embed_dim(p)
 * floats (the caller frees it; NULL when n is 0), vector i for texts[i].
 * Errors say what went wrong and where: an unreachable endpoint, an answer
 * that is not what was asked (malformed JSON, the wrong count, non-numbers,
 * another dimension), a timeout after the retries. */
int embed_batch(embed_provider *p, const char *const *texts, size_t n, float **out);

/* ---- giving the index's chunks vectors ---- */

#define EMBED_UPDATE_STEP 256 /* chunks embedded and committed together */

typedef void (*embed_warn_fn)(void *ctx, const char *msg);

typedef struct embed_update_stats {
    int64_t chunks;    /* chunks that needed a vector */
    int64_t cached;    /* of those, whose text the cache already had */
    int64_t embedded;  /* texts sent to the provider */
} embed_update_stats;

/* Give every chunk of s a cached vector under p (a STORE_WRITE handle,
 * outside a transaction).  A provider that learns from the index (local)
 * is trained first, which may change embed_model(p).  Then: chunks new
 * since the last run, and chunks whose
 * text has no vector from this embedder yet.  Each chunk is embedded as
 * the text embed_chunk_text builds; texts already in the cache are not
 * sent again.  Work is committed every EMBED_UPDATE_STEP chunks, so an
 * error or a stop keeps what was done.  If the model behind p's name
 * changed dimension, its old vectors are dropped, with a warning, and
 * every chunk is embedded again.  Counts are added to *st. */
int embed_update(store *s, embed_provider *p, embed_warn_fn warn, void *warn_ctx,
                 embed_update_stats *st);

/* The text a chunk is embedded as: its path, its symbol and heading path
 * when it has them, a blank line, and its text.  Appended to b. */
int embed_chunk_text(buf *b, const char *path, const char *symbol, const char *context,
                     const char *text, size_t text_len);

/* ---- for providers ----
 * A provider's file defines a constructor and a table of operations; the
 * object it returns starts with a struct embed_provider.  embed.c fills
 * name, and model unless the constructor set it (malloc'd), after the
 * constructor returns, and frees both. */

typedef struct embed_ops {
    /* Contract of embed_batch; n > 0.  Sets p->dim when it learns it. */
    int (*batch)(embed_provider *p, const char *const *texts, size_t n, float **out);
    void (*free)(embed_provider *p);
    /* Optional: learn from the index s (a STORE_WRITE handle, outside a
     * transaction) before embed_update embeds its chunks; may replace
     * p->model (free the old string) and p->dim. */
    int (*train)(embed_provider *p, store *s, embed_warn_fn warn, void *warn_ctx);
} embed_ops;

struct embed_provider {
    const embed_ops *ops;
    char *name;
    char *model;
    int dim;
};

/* model is the spec's part after "NAME:" ("" when absent); o is complete. */
typedef int (*embed_new_fn)(const char *model, const embed_opts *o, embed_provider **out);

int embed_openai_new(const char *model, const embed_opts *o, embed_provider **out);
int embed_ollama_new(const char *model, const embed_opts *o, embed_provider **out);
int embed_local_new(const char *model, const embed_opts *o, embed_provider **out);

#endif
