/*
 * terms.h — the distinctive words of a piece of text, weighed against the
 * index: what `cairn related` turns a whole draft into, and what `cairn
 * quote` scores sentences with.
 *
 * A term is one word as the tokenizer sees it (store/tokenize.h), keyed by
 * its index token: the whole-word token for identifiers of several parts
 * (getUserName -> "getusername"), else its folded, stemmed form
 * ("Connections" -> "connect").  Its weight is tf-idf: (1 + ln tf) times
 * ln(1 + (N - df + 0.5) / (df + 0.5)), N the chunks in the index and df
 * those containing the token; terms the index has never seen weigh 0.
 * English stopwords, one-letter words, numbers, and words with digits
 * longer than TERMS_MAX_CODE (hashes, ids) are left out: they connect
 * documents by accident.
 */
#ifndef CAIRN_QUERY_TERMS_H
#define CAIRN_QUERY_TERMS_H

#include "store/store.h"
#include "util/buf.h"

#include <stddef.h>

#define TERMS_MAX 4096          /* distinct terms kept from one text */
#define TERMS_MAX_TEXT (1 << 20) /* bytes of text read */
#define TERMS_MAX_CODE 12       /* longest word with digits kept (utf8, sha256, k8s) */

typedef struct term {
    char *token;   /* the index token; owned */
    char *surface; /* the word as first written, for a MATCH expression; owned */
    int tf;        /* occurrences in the text */
    double idf, weight;
} term;

typedef struct terms {
    term *v;
    size_t n, cap;
} terms;

void terms_init(terms *t);
void terms_release(terms *t);

/* Collect the terms of text[0, len) (at most TERMS_MAX_TEXT bytes are
 * read).  Errors: CAIRN_ERR_NOMEM. */
int terms_collect(terms *t, const char *text, size_t len);

/* Fill idf and weight from the index, then sort by weight, heaviest
 * first, dropping the terms the index does not know.  When the text is
 * the indexed file exclude_file_id (0: none), that file's own chunks are
 * not counted, so words only it uses drop out. */
int terms_weigh(terms *t, store *s, int64_t exclude_file_id);

/* Append to out an FTS5 expression: the `max` heaviest terms (after
 * terms_weigh) as quoted words joined by OR.  Errors: CAIRN_ERR_INVALID
 * when there is no term, CAIRN_ERR_NOMEM. */
int terms_match(const terms *t, size_t max, buf *out);

#endif
