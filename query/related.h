/*
 * related.h — the documents most related to a whole text: a note in the
 * archive, or a draft pasted on stdin.
 *
 * A page is not a keyword query.  Its most distinctive words are picked by
 * tf-idf against the index (query/terms.h: at most RELATED_TERMS of them),
 * joined into one OR query, and BM25 ranks the prose chunks that share
 * them; so chunks that share many rare words with the page come first.
 * Chunks are then grouped by document: a document scores its best chunk
 * plus a third of its second best (two good passages say more than one),
 * and it is shown with its best passage.  The document the text came
 * from, when it is in the index, is left out.
 */
#ifndef CAIRN_QUERY_RELATED_H
#define CAIRN_QUERY_RELATED_H

#include "store/store.h"

#include <stddef.h>
#include <stdint.h>

#define RELATED_TERMS 30
#define RELATED_DEFAULT_K 10
#define RELATED_MAX_K 200

typedef struct related_opts {
    const char *text;        /* the page; required */
    size_t len;
    int k;                   /* documents wanted, 1..RELATED_MAX_K (0: default) */
    int64_t exclude_file_id; /* the page's own file in the index, or 0 */
} related_opts;

typedef struct related_hit {
    int64_t file_id;
    char *root, *path;       /* path relative to root */
    char *title, *date;      /* date may be NULL */
    double score;
    int start_line, end_line; /* the best passage */
    char *context;           /* its heading path, or NULL */
    char *passage;           /* a snippet of it, matches between STORE_MARK_OPEN/CLOSE */
} related_hit;

/* Best documents first.  Caller frees with related_hits_free.  *terms_out
 * (may be NULL) gets the OR query that was run, malloc'd, for --explain.
 * Errors: CAIRN_ERR_INVALID (k out of range, or the text has no word the
 * index knows), store errors. */
int related_run(store *s, const related_opts *o, related_hit **hits, size_t *n, char **terms_out);
void related_hits_free(related_hit *hits, size_t n);

#endif
