/*
 * quote.h — passages worth quoting: the exact sentences of the archive
 * that best answer a query, with where they stand.
 *
 * The query ranks prose chunks (BM25, as `cairn search`).  Each of the
 * best chunks is cut into units: sentences of its paragraphs, list items,
 * table rows, and fenced code blocks whole (headings are left out).  The
 * quote is the run of at most QUOTE_MAX_UNITS consecutive units, at most
 * QUOTE_MAX_BYTES long, that holds the most of the query's weight (the
 * idf of each distinct query term it contains); ties go to the shorter
 * run.  Quotes are ranked by their chunk's BM25 score scaled by the share
 * of the query's weight they hold, one quote per document.  The text is
 * exactly as written in the file (Markdown markup included), with the
 * lines it spans.
 */
#ifndef CAIRN_QUERY_QUOTE_H
#define CAIRN_QUERY_QUOTE_H

#include "store/store.h"

#include <stddef.h>

#define QUOTE_DEFAULT_K 5
#define QUOTE_MAX_K 100
#define QUOTE_MAX_UNITS 3
#define QUOTE_MAX_BYTES 700

typedef struct quote_opts {
    const char *query; /* free text; required */
    int k;             /* quotes wanted, 1..QUOTE_MAX_K (0: default) */
} quote_opts;

typedef struct quote_hit {
    char *text;               /* the exact quoted text */
    char *root, *path;        /* path relative to root */
    char *title, *date;       /* date may be NULL */
    char *context;            /* heading path of the passage, or NULL */
    int start_line, end_line; /* of the quote itself */
    double score;
} quote_hit;

/* Best quotes first.  Caller frees with quote_hits_free.  Errors:
 * CAIRN_ERR_INVALID (no searchable word, k out of range), store errors. */
int quote_run(store *s, const quote_opts *o, quote_hit **hits, size_t *n);
void quote_hits_free(quote_hit *hits, size_t n);

#endif
