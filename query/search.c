/*
 * search.c — validating a search and running it against the store.
 */
#include "query/search.h"
#include "indexer/lang.h"
#include "store/fts.h"
#include "util/buf.h"
#include "util/err.h"

#include <stdlib.h>
#include <string.h>

/* Rows fetched per result wanted, so that per-file grouping still fills k. */
#define OVERFETCH 4

/* YYYY, YYYY-MM, YYYY-MM-DD, optionally followed by a time: what ISO
 * dates in front matter look like and what compares as text. */
static int valid_date(const char *d)
{
    static const char shape[] = "dddd-dd-dd";
    size_t n = strlen(d);
    if (n != 4 && n != 7 && n < 10)
        return 0;
    for (size_t i = 0; i < n && i < 10; i++) {
        if (shape[i] == 'd' ? (d[i] < '0' || d[i] > '9') : d[i] != '-')
            return 0;
    }
    return n <= 10 || d[10] == 'T' || d[10] == ' ';
}

/* Keep hits in rank order, at most per_doc of any one file, at most k. */
static void group_per_file(store_hit *hits, size_t *n, int per_doc, int k)
{
    size_t kept = 0;
    for (size_t i = 0; i < *n; i++) {
        int seen = 0;
        for (size_t j = 0; j < kept; j++)
            if (strcmp(hits[j].path, hits[i].path) == 0 && strcmp(hits[j].root, hits[i].root) == 0)
                seen++;
        if ((per_doc < 0 || seen < per_doc) && kept < (size_t)k) {
            store_hit tmp = hits[kept];
            hits[kept] = hits[i];
            hits[i] = tmp;
            kept++;
        }
    }
    /* The dropped rows stay past `kept`; the caller frees all of them. */
    for (size_t i = kept; i < *n; i++)
        store_hits_free_one(&hits[i]);
    *n = kept;
}

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
    if ((o->since && !valid_date(o->since)) || (o->until && !valid_date(o->until)))
        return err_set(CAIRN_ERR_INVALID, "dates look like 2024, 2024-05 or 2024-05-17, not '%s'",
                       o->since && !valid_date(o->since) ? o->since : o->until);
    int k = o->k ? o->k : SEARCH_DEFAULT_K;
    int per_doc = o->per_doc ? o->per_doc : SEARCH_DEFAULT_PER_DOC;
    buf match;
    buf_init(&match, 0);
    int rc = fts_query_build(o->query, &match);
    if (rc == CAIRN_OK) {
        store_query q = {
            .match = buf_str(&match),
            .path_glob = o->path_glob,
            .lang = o->lang,
            .kind = o->kind,
            .since = o->since,
            .until = o->until,
            .tag = o->tag,
            .limit = per_doc < 0 ? k : k * OVERFETCH,
        };
        rc = store_search(s, &q, hits, n);
        if (rc == CAIRN_OK)
            group_per_file(*hits, n, per_doc, k);
    }
    buf_release(&match);
    return rc;
}
