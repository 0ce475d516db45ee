/*
 * frontmatter.h — the metadata block at the top of a Markdown post.
 *
 * YAML front matter sits between a first line "---" and a line "---" or
 * "..."; TOML front matter (Hugo, Zola) between two "+++" lines.  These
 * are exactly the blocks chunk_prose() leaves out of the chunks: a "---"
 * that is never closed is a thematic break, not front matter.
 *
 * YAML is read with libyaml; TOML with a small reader of what front matter
 * uses (key = value, strings, dates, arrays, [tables]).  From either, the
 * document gets: title; date (date, published, pubDate, created, in that
 * order); tags (tags, tag, categories, category, in any TOML table, so
 * Zola's [taxonomies] counts); URL (canonical_url, canonical, url,
 * permalink).  Front matter that does not parse gives a warning with the
 * line and libyaml's reason, and the keys above are then picked out of
 * its "key: value" lines so the document keeps its title and date.
 */
#ifndef CAIRN_FRONTMATTER_H
#define CAIRN_FRONTMATTER_H

#include "indexer/prose.h"

#include <stddef.h>

#define FM_MAX_BYTES ((size_t)256 << 10) /* larger front matter is skipped, with a warning */

typedef enum fm_format { FM_NONE, FM_YAML, FM_TOML } fm_format;

typedef struct fm_result {
    fm_format format;
    size_t body_start; /* first byte after the front matter; 0 when there is none */
    int body_line;     /* 1-based line at body_start */
} fm_result;

/* Find and read the front matter at the start of text[0, len) into doc.
 * Errors: CAIRN_ERR_NOMEM only; bad front matter is a warning in doc. */
int fm_parse(const char *text, size_t len, prose_doc *doc, fm_result *out);

#endif
