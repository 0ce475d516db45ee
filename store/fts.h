/*
 * fts.h — glue between the cairn tokenizer and SQLite FTS5.
 *
 * fts_register() makes the tokenizer of store/tokenize.h available to FTS5
 * as tokenize='cairn' on one connection.  Documents and queries are
 * tokenized identically; a whole-identifier token colocated with the first
 * part acts as a synonym at query time, so "getUserName" matches
 * "get_user_name" and vice versa.
 *
 * fts_query_build() turns free user text into a MATCH expression that FTS5
 * always accepts, however hostile the text.
 */
#ifndef CAIRN_FTS_H
#define CAIRN_FTS_H

#include <sqlite3.h>

#include "util/buf.h"

#define FTS_MAX_TERMS 32        /* terms kept from one query */
#define FTS_MAX_TERM_BYTES 256  /* a longer term is cut at a character boundary */
#define FTS_MAX_QUERY (1 << 20) /* bytes of user text accepted */

/* Register the tokenizer under the name "cairn" on db (per connection:
 * call it on every connection that reads or writes a cairn FTS table).
 * The table takes no tokenizer arguments. */
int fts_register(sqlite3 *db);

/* Append to out a MATCH expression for the NUL-terminated user text query.
 *
 * Terms are the tokenizer's words (tok_next_word), except that words joined
 * by a single '.' (os.path.join, foo.bar) stay one term, which FTS5 then
 * matches as a phrase of its tokens.  So every term consists of letters,
 * digits, marks, '_', '-' and '.' only; operators, quotes, parentheses,
 * '*', ':', '^' and invalid bytes all just separate terms, and words such as
 * AND, OR, NOT and NEAR are searched for literally.  English stopwords are
 * dropped unless the query has nothing else, duplicates (ignoring ASCII
 * case) are dropped, at most FTS_MAX_TERMS terms are kept, and each is
 * double-quoted and joined with " OR " so long questions still find
 * something and bm25() ranks rows matching more terms higher:
 *     How do I use getUserName?  ->  "use" OR "getUserName"
 * Returns CAIRN_ERR_INVALID ("query has no searchable words") when the text
 * has no word at all, CAIRN_ERR_TOOBIG past FTS_MAX_QUERY bytes. */
int fts_query_build(const char *query, buf *out);

#endif
