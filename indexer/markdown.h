/*
 * markdown.h — what the body of a Markdown document says, read with md4c
 * (CommonMark with GitHub's tables, strikethrough, task lists and
 * permissive autolinks, plus [[wiki links]]).
 *
 * md4c gives no source positions, but the text it hands over points into
 * the input, so a link's line is the line of its first piece of text (or
 * of its destination for an empty link text).  Reference links arrive
 * with their destination already looked up.  Raw HTML inside Markdown is
 * scanned for <a href> too (html.h).
 *
 * The prefix is markdown_, not md_: md4c's own functions use md_.
 */
#ifndef CAIRN_MARKDOWN_H
#define CAIRN_MARKDOWN_H

#include "indexer/prose.h"

#include <stddef.h>

/* Read the body text[body_start, len) of the document at src_rel (the
 * whole text is passed so that line numbers count from the file's first
 * line).  Adds to doc: the title (the first H1, else the first heading)
 * unless doc has one, the word count of the text outside code blocks and
 * raw HTML, and the links (images are not links).  Errors: CAIRN_ERR_NOMEM,
 * CAIRN_ERR_TOOBIG (text over md4c's 4 GiB limit). */
int markdown_scan(const char *text, size_t len, size_t body_start, const char *src_rel,
                  prose_doc *doc);

#endif
