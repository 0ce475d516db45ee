/*
 * embed_local.c — the `local` embedding provider: offline, no download, no
 * pretrained weights.  Its model is trained on the index it serves
 * (embed_local_train.c) when embed_update runs, kept beside the index in
 * DIR/local-embedder.model, and loaded from there by whoever opens the
 * provider on that index to embed queries.
 *
 * The model's name is "trained-" and 12 hex digits of the model's
 * fingerprint, so the embedding cache and the vector file, both keyed by
 * (provider, model), never mix vectors of two trainings; the vectors of a
 * replaced model are dropped from the cache when a new one is trained.
 * Training runs again when more than a fifth of the index's chunks are
 * new to the model; smaller changes are embedded with the model as it is.
 */
#include "indexer/embed.h"
#include "indexer/embed_local.h"
#include "store/embcache.h"
#include "util/err.h"

#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#define RETRAIN_SHARE 5 /* retrain when more than 1/5 of the chunks are new */
#define UNTRAINED "untrained"

typedef struct local {
    embed_provider base;
    embed_local_model *model; /* NULL until trained or loaded */
    embed_local_bags bags;    /* what the last training read, to embed it at once */
    tok_tokenizer *tok;
    uint32_t *scratch;        /* nvocab zeros for embed_local_embed */
    char problem[512];        /* why there is no model */
    int damaged;              /* the model file was there but unreadable */
    embed_stop_fn stop;
    void *stop_ctx;
} local;

static int model_path(store *s, char *out, size_t n)
{
    char dir[PATH_MAX];
    snprintf(dir, sizeof dir, "%s", store_db_path(s));
    if (snprintf(out, n, "%s/%s", dirname(dir), EMBED_LOCAL_FILE) >= (int)n)
        return err_set(CAIRN_ERR_INVALID, "index path too long: %s", store_db_path(s));
    return CAIRN_OK;
}

/* Make m the model (taking it), named after its fingerprint. */
static int use_model(local *l, embed_local_model *m)
{
    char name[64];
    snprintf(name, sizeof name, "trained-%012llx",
             (unsigned long long)(m->fingerprint & 0xffffffffffffULL));
    char *dup = strdup(name);
    uint32_t *scratch = calloc(m->nvocab ? m->nvocab : 1, sizeof *scratch);
    if (!dup || !scratch) {
        free(dup);
        free(scratch);
        embed_local_model_free(m);
        return err_set(CAIRN_ERR_NOMEM, "out of memory loading the local model");
    }
    embed_local_model_free(l->model);
    free(l->scratch);
    free(l->base.model);
    l->model = m;
    l->scratch = scratch;
    l->base.model = dup;
    l->base.dim = m->dim;
    return CAIRN_OK;
}

static int stop_cb(void *ctx)
{
    local *l = ctx;
    return l->stop && l->stop(l->stop_ctx);
}

static int local_train(embed_provider *p, store *s, embed_warn_fn warn, void *warn_ctx)
{
    local *l = (local *)p;
    char path[PATH_MAX];
    int rc = model_path(s, path, sizeof path);
    if (rc)
        return rc;
    if (l->model) {
        int64_t *missing = NULL;
        size_t nmissing = 0;
        store_stats st;
        if ((rc = embcache_unembedded(s, "local", l->base.model, &missing, &nmissing)))
            return rc;
        free(missing);
        if ((rc = store_stats_get(s, 0, &st)))
            return rc;
        int64_t chunks = st.chunks;
        store_stats_release(&st);
        if ((int64_t)nmissing * RETRAIN_SHARE <= chunks)
            return CAIRN_OK;
    } else if (l->damaged && warn) {
        char msg[700];
        snprintf(msg, sizeof msg, "%s; training a new local model", l->problem);
        warn(warn_ctx, msg);
    }
    embed_local_params prm;
    embed_local_params_init(&prm);
    embed_local_model *m = NULL;
    embed_local_bags bags;
    if ((rc = embed_local_train(s, &prm, stop_cb, l, &m, &bags)))
        return err_wrap(rc, "training the local embedder");
    if ((rc = embed_local_model_save(m, path))) {
        embed_local_model_free(m);
        embed_local_bags_release(&bags);
        return rc;
    }
    char *old = l->base.model ? strdup(l->base.model) : NULL;
    if (l->base.model && !old) {
        embed_local_model_free(m);
        embed_local_bags_release(&bags);
        return err_set(CAIRN_ERR_NOMEM, "out of memory training the local embedder");
    }
    if ((rc = use_model(l, m))) {
        free(old);
        embed_local_bags_release(&bags);
        return rc;
    }
    embed_local_bags_release(&l->bags);
    l->bags = bags;
    l->damaged = 0;
    /* The replaced model's vectors can never be asked for again. */
    if (old && strcmp(old, l->base.model) != 0 && strcmp(old, UNTRAINED) != 0) {
        if ((rc = store_begin(s)) == CAIRN_OK) {
            if ((rc = embcache_drop(s, "local", old)))
                store_rollback(s);
            else
                rc = store_commit(s);
        }
    }
    free(old);
    return rc;
}

static int local_batch(embed_provider *p, const char *const *texts, size_t n, float **out)
{
    local *l = (local *)p;
    if (!l->model)
        return err_set(CAIRN_ERR_NOTFOUND, "%s", l->problem);
    int dim = l->model->dim;
    float *v = malloc(n * (size_t)dim * sizeof *v);
    if (!v)
        return err_set(CAIRN_ERR_NOMEM, "out of memory embedding %zu texts", n);
    int rc = CAIRN_OK;
    for (size_t i = 0; i < n && !rc; i++) {
        size_t len = strlen(texts[i]), at;
        float *o = v + i * (size_t)dim;
        if (l->bags.n && embed_local_bags_find(&l->bags, XXH3_64bits(texts[i], len), &at))
            embed_local_weigh(l->model, l->bags.ids + l->bags.start[at],
                              l->bags.tf + l->bags.start[at],
                              l->bags.start[at + 1] - l->bags.start[at], o);
        else
            rc = embed_local_embed(l->model, l->tok, texts[i], len, l->scratch, o);
    }
    if (rc) {
        free(v);
        return rc;
    }
    *out = v;
    return CAIRN_OK;
}

static void local_free(embed_provider *p)
{
    local *l = (local *)p;
    embed_local_model_free(l->model);
    embed_local_bags_release(&l->bags);
    tok_free(l->tok);
    free(l->scratch);
    free(l);
}

static const embed_ops local_ops = {.batch = local_batch, .free = local_free, .train = local_train};

int embed_local_new(const char *model, const embed_opts *o, embed_provider **out)
{
    *out = NULL;
    if (*model)
        return err_set(CAIRN_ERR_INVALID, "the local embedder takes no model name ('local', not "
                                          "'local:%s')", model);
    local *l = calloc(1, sizeof *l);
    if (!l)
        return err_set(CAIRN_ERR_NOMEM, "out of memory creating the local embedder");
    l->base.ops = &local_ops;
    l->stop = o->stop;
    l->stop_ctx = o->stop_ctx;
    int rc = tok_new(&l->tok);
    snprintf(l->problem, sizeof l->problem,
             "the local embedder has no model for this index yet (run 'cairn index')");
    if (!rc && o->store) {
        char path[PATH_MAX];
        embed_local_model *m = NULL;
        rc = model_path(o->store, path, sizeof path);
        if (!rc)
            rc = embed_local_model_load(path, &m);
        if (rc == CAIRN_ERR_CORRUPT) {
            /* Training replaces it; until then queries go without. */
            snprintf(l->problem, sizeof l->problem, "%s", err_msg());
            l->damaged = 1;
            rc = CAIRN_OK;
        } else if (rc == CAIRN_ERR_NOTFOUND) {
            rc = CAIRN_OK;
        } else if (!rc) {
            rc = use_model(l, m);
        }
    }
    if (!rc && !l->base.model && !(l->base.model = strdup(UNTRAINED)))
        rc = err_set(CAIRN_ERR_NOMEM, "out of memory creating the local embedder");
    if (rc) {
        free(l->base.model);
        local_free(&l->base);
        return rc;
    }
    *out = &l->base;
    return CAIRN_OK;
}
