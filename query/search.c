/*
 * search.c — validating a search and running it against the store.
 */
#include "query/search.h"
#include "indexer/lang.h"
#include "store/fts.h"
#include "util/buf.h"
#include "util/err.h"

#include <string.h>

int search_run(store *s, const search_opts *o, store_hit **hits, size_t *n)
{
    *hits = NULL;
    *n = 0;
    if (!o->query)
        return err_set(CAIRN_ERR_INVALID, "no query given");
    size_t qlen = strlen(o->query);
    if (qlen > SEARCH_MAX_QUERY_BYTES)
        return err_set(CAIRN_ERR_INVALID, "query of %zu bytes is over the %d-byte limit", qlen,
                       SEARCH_MAX_QUERY_BYTES);
    if (o->k < 0 || o->k > SEARCH_MAX_K)
        return err_set(CAIRN_ERR_INVALID, "k must be between 1 and %d, not %d", SEARCH_MAX_K, o->k);
    if (o->kind && strcmp(o->kind, "code") != 0 && strcmp(o->kind, "prose") != 0)
        return err_set(CAIRN_ERR_INVALID, "kind must be 'code' or 'prose', not '%s'", o->kind);
    if (o->lang && !lang_by_name(o->lang))
        return err_set(CAIRN_ERR_INVALID,
                       "unknown language '%s' (run 'cairn status' to see the indexed ones)",
                       o->lang);
    buf match;
    buf_init(&match, 0);
    int rc = fts_query_build(o->query, &match);
    if (rc == CAIRN_OK) {
        store_query q = {
            .match = buf_str(&match),
            .path_glob = o->path_glob,
            .lang = o->lang,
            .kind = o->kind,
            .limit = o->k ? o->k : SEARCH_DEFAULT_K,
        };
        rc = store_search(s, &q, hits, n);
    }
    buf_release(&match);
    return rc;
}
