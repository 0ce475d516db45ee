/*
 * related.c — a page as the query: its distinctive terms, BM25 over
 * prose chunks, chunks grouped into documents.
 */
#include "query/related.h"
#include "query/terms.h"
#include "store/docs.h"
#include "util/buf.h"
#include "util/err.h"

#include <stdlib.h>
#include <string.h>

#define CHUNKS_PER_K 30 /* chunks ranked per document wanted */
#define SECOND_WEIGHT 0.33
#define PASSAGE_TOKENS 32

typedef struct group {
    int64_t file_id;
    double best, second, score;
    size_t best_hit; /* index into the ranked chunks */
} group;

static int by_score(const void *a, const void *b)
{
    const group *x = a, *y = b;
    if (x->score != y->score)
        return x->score < y->score ? 1 : -1;
    return x->file_id < y->file_id ? -1 : x->file_id > y->file_id;
}

void related_hits_free(related_hit *hits, size_t n)
{
    if (!hits)
        return;
    for (size_t i = 0; i < n; i++) {
        free(hits[i].root);
        free(hits[i].path);
        free(hits[i].title);
        free(hits[i].date);
        free(hits[i].context);
        free(hits[i].passage);
    }
    free(hits);
}

/* Chunks arrive best first, so a document's first chunk is its best. */
static size_t group_chunks(const store_doc_hit *h, size_t nh, group *g)
{
    size_t ng = 0;
    for (size_t i = 0; i < nh; i++) {
        size_t j = 0;
        while (j < ng && g[j].file_id != h[i].file_id)
            j++;
        if (j == ng) {
            g[ng++] = (group){.file_id = h[i].file_id, .best = h[i].score, .best_hit = i};
        } else if (g[j].second == 0) {
            g[j].second = h[i].score;
        }
    }
    for (size_t j = 0; j < ng; j++)
        g[j].score = g[j].best + SECOND_WEIGHT * g[j].second;
    qsort(g, ng, sizeof *g, by_score);
    return ng;
}

static int fill_hit(store *s, const char *match, const group *g, const store_doc_hit *best,
                    related_hit *out)
{
    store_doc_row row;
    int rc = store_doc_get(s, g->file_id, &row);
    if (rc)
        return rc;
    out->file_id = g->file_id;
    out->root = row.root;
    out->path = row.path;
    out->title = row.title ? row.title : strdup(row.path);
    out->date = row.date;
    row.root = row.path = row.title = row.date = NULL;
    store_doc_row_release(&row);
    out->score = g->score;
    out->start_line = best->start_line;
    out->end_line = best->end_line;
    if (!out->title)
        return err_set(CAIRN_ERR_NOMEM, "out of memory reading a related document");
    store_doc_chunk ch;
    if ((rc = store_doc_chunk_get(s, best->chunk_id, &ch)))
        return rc;
    out->context = ch.context;
    ch.context = NULL;
    store_doc_chunk_release(&ch);
    return store_doc_snippet(s, match, best->chunk_id, PASSAGE_TOKENS, &out->passage);
}

int related_run(store *s, const related_opts *o, related_hit **hits, size_t *n, char **terms_out)
{
    *hits = NULL;
    *n = 0;
    if (terms_out)
        *terms_out = NULL;
    int k = o->k ? o->k : RELATED_DEFAULT_K;
    if (k < 1 || k > RELATED_MAX_K)
        return err_set(CAIRN_ERR_INVALID, "k must be between 1 and %d, not %d", RELATED_MAX_K, k);
    if (!o->text)
        return err_set(CAIRN_ERR_INVALID, "no text to find related documents for");
    terms t;
    terms_init(&t);
    buf match;
    buf_init(&match, 0);
    store_doc_hit *ranked = NULL;
    size_t nranked = 0;
    group *groups = NULL;
    related_hit *out = NULL;
    size_t nout = 0;
    int rc = terms_collect(&t, o->text, o->len);
    if (!rc)
        rc = terms_weigh(&t, s, o->exclude_file_id);
    if (!rc)
        rc = terms_match(&t, RELATED_TERMS, &match);
    if (!rc)
        rc = store_doc_rank(s, buf_str(&match), o->exclude_file_id, k * CHUNKS_PER_K, &ranked,
                            &nranked);
    if (!rc && nranked && !(groups = malloc(nranked * sizeof *groups)))
        rc = err_set(CAIRN_ERR_NOMEM, "out of memory grouping related documents");
    size_t ng = rc || !nranked ? 0 : group_chunks(ranked, nranked, groups);
    if (!rc && ng && !(out = calloc(ng < (size_t)k ? ng : (size_t)k, sizeof *out)))
        rc = err_set(CAIRN_ERR_NOMEM, "out of memory for related documents");
    for (size_t i = 0; !rc && i < ng && nout < (size_t)k; i++) {
        rc = fill_hit(s, buf_str(&match), &groups[i], &ranked[groups[i].best_hit], &out[nout]);
        nout++;
    }
    if (!rc && terms_out && !(*terms_out = strdup(buf_str(&match))))
        rc = err_set(CAIRN_ERR_NOMEM, "out of memory");
    free(groups);
    free(ranked);
    buf_release(&match);
    terms_release(&t);
    if (rc) {
        related_hits_free(out, nout);
        return rc;
    }
    *hits = out;
    *n = nout;
    return CAIRN_OK;
}
