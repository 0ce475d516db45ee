/*
 * semantic.c — embedding a query and finding its nearest chunks.
 */
#include "query/semantic.h"
#include "indexer/embed.h"
#include "store/vectors.h"
#include "util/err.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A query is short: one attempt, bounded, so a hung endpoint costs a
 * second, not a search. */
#define QUERY_TIMEOUT_MS 10000
#define QUERY_RETRIES 1
#define MAX_QUERY_BYTES 16384

/* The last answer is kept: context packing asks for the same query twice
 * (inside hybrid search, then for its prose interleave), and with an HTTP
 * embedder each ask is a round trip. */
typedef struct last_answer {
    char *query;    /* NULL: none */
    size_t asked;   /* k it was asked for */
    size_t n;       /* hits it got: all there are when n < asked */
    int64_t *ids;
    float *scores;
} last_answer;

struct semantic {
    embed_provider *p;
    vec_index *v;
    char *name;
    last_answer last;
};

static void last_forget(last_answer *l)
{
    free(l->query);
    free(l->ids);
    free(l->scores);
    memset(l, 0, sizeof *l);
}

/* Remember an answer; failing to is no error, only a later miss. */
static void last_keep(last_answer *l, const char *query, size_t asked, const int64_t *ids,
                      const float *scores, size_t n)
{
    last_forget(l);
    l->query = strdup(query);
    l->ids = malloc((n ? n : 1) * sizeof *ids);
    l->scores = malloc((n ? n : 1) * sizeof *scores);
    if (!l->query || !l->ids || !l->scores) {
        last_forget(l);
        return;
    }
    memcpy(l->ids, ids, n * sizeof *ids);
    memcpy(l->scores, scores, n * sizeof *scores);
    l->asked = asked;
    l->n = n;
}

/* The first k of the last answer into fresh arrays, when it answers query
 * for k: 1 served, 0 not (or out of memory: asked again). */
static int last_serve(const last_answer *l, const char *query, size_t k, int64_t **ids,
                      float **scores, size_t *n)
{
    if (!l->query || strcmp(l->query, query) != 0 || (k > l->asked && l->n == l->asked))
        return 0;
    size_t m = k < l->n ? k : l->n;
    *ids = malloc((m ? m : 1) * sizeof **ids);
    *scores = malloc((m ? m : 1) * sizeof **scores);
    if (!*ids || !*scores) {
        free(*ids);
        free(*scores);
        *ids = NULL;
        *scores = NULL;
        return 0;
    }
    memcpy(*ids, l->ids, m * sizeof **ids);
    memcpy(*scores, l->scores, m * sizeof **scores);
    *n = m;
    return 1;
}

int semantic_open(store *s, semantic **out)
{
    *out = NULL;
    char *spec = NULL, *url = NULL;
    int rc = store_meta_get(s, "embedder", &spec);
    if (rc == CAIRN_ERR_NOTFOUND || (!rc && strcmp(spec, "none") == 0)) {
        free(spec);
        return err_set(CAIRN_ERR_NOTFOUND, "the index has no embeddings (index it with --embedder)");
    }
    if (rc)
        return rc;
    if (store_meta_get(s, "embed_url", &url) == CAIRN_ERR_NOMEM) {
        free(spec);
        return err_set(CAIRN_ERR_NOMEM, "out of memory");
    }
    semantic *sm = calloc(1, sizeof *sm);
    if (!sm) {
        free(spec);
        free(url);
        return err_set(CAIRN_ERR_NOMEM, "out of memory");
    }
    embed_opts eo;
    embed_opts_init(&eo);
    eo.url = url;
    eo.timeout_ms = QUERY_TIMEOUT_MS;
    eo.retries = QUERY_RETRIES;
    eo.store = s;
    rc = embed_provider_new(spec, &eo, &sm->p);
    if (!rc) {
        vec_opts vo = {0};
        rc = vec_open(s, embed_name(sm->p), embed_model(sm->p), &vo, &sm->v);
    }
    if (!rc && asprintf(&sm->name, "%s:%s", embed_name(sm->p), embed_model(sm->p)) < 0) {
        sm->name = NULL;
        rc = err_set(CAIRN_ERR_NOMEM, "out of memory");
    }
    free(spec);
    free(url);
    if (rc) {
        semantic_free(sm);
        return rc;
    }
    *out = sm;
    return CAIRN_OK;
}

void semantic_free(semantic *sm)
{
    if (!sm)
        return;
    vec_free(sm->v);
    embed_free(sm->p);
    free(sm->name);
    last_forget(&sm->last);
    free(sm);
}

const char *semantic_name(const semantic *sm) { return sm->name; }

int semantic_search(semantic *sm, const char *query, size_t k, int64_t **ids, float **scores, size_t *n)
{
    *ids = NULL;
    *scores = NULL;
    *n = 0;
    char q[MAX_QUERY_BYTES];
    snprintf(q, sizeof q, "%s", query);
    if (last_serve(&sm->last, q, k, ids, scores, n))
        return CAIRN_OK;
    const char *texts[1] = {q};
    float *qv = NULL;
    int rc = embed_batch(sm->p, texts, 1, &qv);
    if (rc)
        return rc;
    vec_hit *hits = calloc(k ? k : 1, sizeof *hits);
    *ids = malloc((k ? k : 1) * sizeof **ids);
    *scores = malloc((k ? k : 1) * sizeof **scores);
    size_t got = 0;
    if (!hits || !*ids || !*scores)
        rc = err_set(CAIRN_ERR_NOMEM, "out of memory");
    else
        rc = vec_search(sm->v, qv, embed_dim(sm->p), k, NULL, 0, hits, &got);
    for (size_t i = 0; !rc && i < got; i++) {
        (*ids)[i] = hits[i].id;
        (*scores)[i] = hits[i].score;
    }
    free(hits);
    free(qv);
    if (rc) {
        free(*ids);
        free(*scores);
        *ids = NULL;
        *scores = NULL;
        return rc;
    }
    *n = got;
    last_keep(&sm->last, q, k, *ids, *scores, got);
    return CAIRN_OK;
}
