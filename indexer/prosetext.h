/*
 * prosetext.h — metadata, links and words of the prose formats read line
 * by line: Org, reStructuredText, AsciiDoc and plain text.  Their headings
 * and blocks are chunk_prose()'s business; this reads what they say about
 * themselves:
 *   org       #+TITLE:, #+DATE:, #+FILETAGS: :a:b:; links [[target][text]]
 *             and [[target]] ("file:" dropped; "*Heading" links point to
 *             the document itself); #+BEGIN_SRC blocks are not words;
 *   rst       :title: :date: :tags: :category: fields (Pelican style);
 *             links `text <target>`_ and ".. _name: target";
 *   asciidoc  "= Title", :revdate: / :date:, :keywords: / :tags:;
 *             links link:target[text], xref:target[text] and URL[text];
 *   all       bare http(s):// URLs outside those links (kind "url").
 */
#ifndef CAIRN_PROSETEXT_H
#define CAIRN_PROSETEXT_H

#include "indexer/prose.h"

#include <stddef.h>

/* Read text[0, len) of the document at src_rel in language lang ("org",
 * "rst", "asciidoc"; anything else is plain text) into doc.
 * Errors: CAIRN_ERR_NOMEM. */
int prosetext_scan(const char *lang, const char *text, size_t len, const char *src_rel,
                   prose_doc *doc);

#endif
