/*
 * handlers_pack.c — repo_map and pack_context: the code that matters for a
 * task, within a token budget (query/repomap.h, query/pack.h).
 *
 * Both rank definitions over the reference graph, which takes a moment to
 * build; the graph is kept between calls and rebuilt only when the index
 * has changed since (SQLite's data_version says so).
 */
#include "mcp/handlers.h"
#include "query/json.h"
#include "query/pack.h"
#include "query/rank.h"
#include "query/read.h"
#include "query/repomap.h"
#include "store/store.h"
#include "util/err.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define MAX_FOCUS 32

static struct {
    pthread_mutex_t mu;
    store *owner;     /* the handle the graph was read through */
    int64_t version;  /* its data version then */
    rank_graph *g;
} cache = {.mu = PTHREAD_MUTEX_INITIALIZER};

/* The graph of the index behind s, current; owned by the cache, valid
 * while the caller holds cache.mu. */
static int graph_for(store *s, rank_graph **out)
{
    int64_t v = 0;
    int rc = store_data_version(s, &v);
    if (rc)
        return rc;
    if (!cache.g || cache.owner != s || cache.version != v) {
        rank_graph_free(cache.g);
        cache.g = NULL;
        if ((rc = rank_graph_load(s, &cache.g)))
            return rc;
        cache.owner = s;
        cache.version = v;
    }
    *out = cache.g;
    return CAIRN_OK;
}

void handlers_graph_release(void)
{
    pthread_mutex_lock(&cache.mu);
    rank_graph_free(cache.g);
    cache.g = NULL;
    cache.owner = NULL;
    pthread_mutex_unlock(&cache.mu);
}

/* Focus paths to file ids; the message names the path that is refused. */
static int focus_ids(store *s, const cJSON *arr, int64_t *ids, size_t *n)
{
    *n = 0;
    const cJSON *it;
    cJSON_ArrayForEach(it, arr) {
        if (!cJSON_IsString(it) || *n == MAX_FOCUS)
            continue;
        read_target t;
        int rc = read_resolve(s, it->valuestring, &t);
        if (rc)
            return err_wrap(rc, "focus %s", it->valuestring);
        ids[(*n)++] = t.file_id;
        read_target_release(&t);
    }
    return CAIRN_OK;
}

/* What both tools start with: the focus files and the current graph.  On
 * success the cache's lock is held, for the caller to release once done
 * with *g. */
static int focus_and_graph(tool_call *c, int64_t *ids, size_t *nfocus, rank_graph **g)
{
    int rc = focus_ids(c->s, cJSON_GetObjectItemCaseSensitive(c->args, "focus"), ids, nfocus);
    if (rc)
        return rc;
    pthread_mutex_lock(&cache.mu);
    if ((rc = graph_for(c->s, g)))
        pthread_mutex_unlock(&cache.mu);
    return rc;
}

int handlers_repo_map(tool_call *c, tool_output *out)
{
    int64_t ids[MAX_FOCUS];
    size_t nfocus = 0;
    rank_graph *g = NULL;
    int rc = focus_and_graph(c, ids, &nfocus, &g);
    if (rc)
        return rc;
    int budget = handlers_arg_int(c->args, "budget", REPOMAP_DEFAULT_BUDGET);
    repomap m = {0};
    if (budget > 0) {
        repomap_opts o = {.query = handlers_arg_str(c->args, "query"), .focus_files = ids,
                          .nfocus = nfocus, .budget = (size_t)budget};
        rc = repomap_build(c->s, g, &o, &m);
    }
    pthread_mutex_unlock(&cache.mu);
    if (rc)
        return rc;
    out->structured = qjson_map(&m, (size_t)(budget > 0 ? budget : 0));
    int ok = out->structured != NULL;
    if (ok)
        buf_puts(&out->text, m.n ? m.text : "Nothing fits in that budget, or the index has no "
                 "definitions (prose only, or languages without a grammar).");
    repomap_release(&m);
    return ok ? CAIRN_OK : err_set(CAIRN_ERR_NOMEM, "out of memory building the map");
}

int handlers_pack_context(tool_call *c, tool_output *out)
{
    int64_t ids[MAX_FOCUS];
    size_t nfocus = 0;
    rank_graph *g = NULL;
    int rc = focus_and_graph(c, ids, &nfocus, &g);
    if (rc)
        return rc;
    pack p = {0};
    pack_opts o = {.task = handlers_arg_str(c->args, "task"), .focus_files = ids, .nfocus = nfocus,
                   .budget = (size_t)handlers_arg_int(c->args, "budget", PACK_DEFAULT_BUDGET),
                   .graph = rank_graph_defs(g) ? g : NULL, .sem = handlers_semantic(c->s)};
    rc = pack_build(c->s, &o, &p);
    pthread_mutex_unlock(&cache.mu);
    if (rc)
        return rc == CAIRN_ERR_INVALID ? err_wrap(rc, "describe the task in words the code would "
                                                      "contain")
                                       : rc;
    out->structured = qjson_pack(&p);
    int ok = out->structured != NULL;
    if (ok)
        buf_puts(&out->text, p.markdown && *p.markdown ? p.markdown
                                                       : "Nothing fits in that budget; raise it.");
    pack_release(&p);
    return ok ? CAIRN_OK : err_set(CAIRN_ERR_NOMEM, "out of memory building the pack");
}
