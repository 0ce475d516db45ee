/*
 * html.h — the readable text of an HTML page, and what its markup says
 * about it, from a tolerant scanner (Debian has no small HTML parser in C;
 * browsers recover from broken markup and so must this).
 *
 * The text keeps the page's line numbers: every line of the file is one
 * line of the text, tags vanish, character references are decoded, and
 * <script>, <style>, <template>, <svg> and comments become blank lines.
 * A heading (<h1>..<h6>) that starts a line becomes a Markdown ATX heading
 * ("## Title"), so chunk_prose() cuts the text into sections with heading
 * paths; any other line that chunk_prose could mistake for Markdown
 * structure (starting with '#', '`', '~', '=', '-' or '+') gets an
 * invisible U+200B in front.
 *
 * Metadata: title from <title> (else the first <h1>, else the first
 * heading); date from <meta> (date, dc.date, article:published_time...)
 * or the first <time datetime>; tags from <meta name=keywords> and
 * article:tag; URL from <link rel=canonical>, else og:url; links from
 * <a href>, with their text.
 *
 * Broken markup (a tag, comment or <script> never closed) gives one
 * warning per kind and is read the way a browser would: an unclosed
 * comment or script swallows the rest of the page, a '<' that starts no
 * tag is text.
 */
#ifndef CAIRN_HTML_H
#define CAIRN_HTML_H

#include "indexer/prose.h"
#include "util/buf.h"

#include <stddef.h>

/* Extract text[0, len) of the page at src_rel into out (appended; the
 * caller sizes its cap: 2 * len + 4096 always suffices) and its metadata,
 * links and word count into doc.  *title_from_tag is set to 1 when the
 * title came from <title>.  Errors: CAIRN_ERR_NOMEM, CAIRN_ERR_TOOBIG. */
int html_extract(const char *text, size_t len, const char *src_rel, prose_doc *doc, buf *out,
                 int *title_from_tag);

/* Decode the character reference at s[0] == '&' in s[0, n): returns the
 * bytes it spans (0 when it is none, and the '&' is just text) and writes
 * its UTF-8 (at most 4 bytes) to u, its length to *un.  Line breaks and
 * control characters decode to a space. */
size_t html_entity(const char *s, size_t n, char *u, size_t *un);

/* Add the <a href> links found in s[0, n), a piece of raw HTML inside
 * another document, starting on line `line`.  Errors: CAIRN_ERR_NOMEM. */
int html_scan_links(const char *s, size_t n, int line, const char *src_rel, prose_doc *doc);

#endif
