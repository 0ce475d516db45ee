/*
 * tokenize.h — the code-aware tokenizer shared by indexing and querying.
 *
 * Splits UTF-8 text into search tokens that work for source code and prose
 * alike.  A *word* is a maximal run of Unicode letters, digits, combining
 * marks and underscores, also joined across a single ASCII '-' that sits
 * between two letters/digits (kebab-case: "foo-bar" is one word).  Anything
 * else, including every byte that is not valid UTF-8, separates words.
 *
 * Each word is cut into *parts* at underscores and hyphens, at lower->Upper
 * (getUserName), at the end of an acronym (HTTPServer -> HTTP Server, but
 * "URLs" stays whole) and at letter/digit boundaries (utf8proc -> utf 8
 * proc).  Every part is one token at its own position, case-folded (full
 * Unicode folding, compatibility forms, diacritics stripped) and, when it is
 * at least 3 ASCII letters, stemmed with Snowball English so "connections"
 * and "connected" both become "connect".  A word of 2+ parts also yields the
 * whole word, folded but unstemmed and with its inner '_'/'-' kept (leading
 * and trailing underscores dropped), as a token colocated with the first
 * part: getUserName -> pos p {get, getusername}, p+1 user, p+2 name.  That
 * way an exact identifier query matches the identifier in any casing style.
 *
 * Caps keep generated or minified text from blowing up the index: a token
 * is at most TOK_MAX_TOKEN bytes (longer ones are cut at a character
 * boundary) and at most TOK_MAX_PARTS parts are emitted per word.
 */
#ifndef CAIRN_TOKENIZE_H
#define CAIRN_TOKENIZE_H

#include "util/buf.h"

#define TOK_MAX_TOKEN 256 /* bytes per emitted token */
#define TOK_MAX_PARTS 64  /* parts emitted per word; the rest are dropped */

/* Opaque; holds a stemmer and scratch buffers.  Not thread-safe: use one
 * per thread (FTS5 makes one per table per connection). */
typedef struct tok_tokenizer tok_tokenizer;

enum { TOK_COLOCATED = 1 }; /* token shares the previous token's position */

/* Called once per token.  token is folded text, valid only during the call
 * (not NUL-terminated).  start/end are the byte range in the input that
 * produced it: the part for a part token, the whole word for a colocated
 * whole-word token; ranges of non-colocated tokens never go backwards.
 * Return nonzero to stop tokenizing; tok_run then returns that value. */
typedef int (*tok_emit_fn)(void *ctx, int flags, const char *token, int token_len,
                           int start, int end);

/* Create a tokenizer; *out is owned by the caller, free with tok_free. */
int tok_new(tok_tokenizer **out);

/* Free a tokenizer.  Accepts NULL. */
void tok_free(tok_tokenizer *t);

/* Tokenize text[0, len) (need not be NUL-terminated; never read past len)
 * and call emit for every token in order.  Returns CAIRN_OK, the first
 * nonzero value emit returned, or a negative CAIRN_ERR_* code. */
int tok_run(tok_tokenizer *t, const char *text, int len, void *ctx, tok_emit_fn emit);

/* tok_run for query text: a single-part word whose stem differs from it
 * also yields its unstemmed folded form, colocated, so that "getuser"
 * finds getUser (whole-word token "getuser") as well as "getus" stems. */
int tok_run_query(tok_tokenizer *t, const char *text, int len, void *ctx, tok_emit_fn emit);

/* Append the tokens of text[0, len) to out, for tests and debugging.
 * Format: tokens separated by one space (also from earlier contents of
 * out), except that a colocated token is preceded by '|' instead of the
 * space: "getUserName" -> "get|getusername user name". */
int tok_split(tok_tokenizer *t, const char *text, int len, buf *out);

/* Find the next word (as defined above) in text[*pos, len).  On success sets
 * [*start, *end) to its byte range, advances *pos to *end and returns 1;
 * returns 0 when no word is left.  Lets callers such as the query builder
 * see exactly the words the tokenizer sees. */
int tok_next_word(const char *text, int len, int *pos, int *start, int *end);

#endif
