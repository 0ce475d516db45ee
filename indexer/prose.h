/*
 * prose.h — a prose document read as a writer's archive sees it: its
 * metadata (title, date, tags, canonical URL, word count), the links it
 * makes, and its chunks.
 *
 * prose_parse() is the entry point.  It picks the reader by language:
 *   markdown  front matter (frontmatter.h: YAML "---" or TOML "+++"), then
 *             the body through md4c (markdown.h: CommonMark + GitHub
 *             tables, fences, autolinks, [[wiki links]]);
 *   html      a tolerant tag scanner (html.h): text without tags, scripts
 *             or styles, <title>, <meta> dates and keywords, <a href>;
 *   org       #+TITLE/#+DATE/#+FILETAGS, [[target][text]] links;
 *   rst       :date: / :tags: fields, `text <target>`_ links;
 *   anything else (text, asciidoc) as plain paragraphs with bare URLs.
 * Chunk boundaries come from chunk_prose() in every case: it already cuts
 * sections by heading, groups paragraphs under a size cap, keeps fenced
 * code whole and records the heading path, with exact byte and line spans
 * that md4c (which reports no source positions for blocks) could not give.
 * When the title came from front matter or <title> rather than the text's
 * own first heading, it is put in front of every chunk's heading path.
 *
 * Problems with the document (front matter that is not YAML, a date that
 * is not a date, broken HTML, no text at all) become warnings in the
 * result, never errors: the document is indexed as far as it can be read.
 *
 * The reader modules (frontmatter, markdown, html) fill a prose_doc with
 * the helpers below; nothing here keeps global state, so documents may be
 * parsed on many threads at once.
 */
#ifndef CAIRN_PROSE_H
#define CAIRN_PROSE_H

#include "indexer/chunk.h"

#include <stddef.h>
#include <stdint.h>

#define PROSE_DATE_MAX 32      /* a normalized date with its NUL */
#define PROSE_MAX_TITLE 300    /* bytes of title kept */
#define PROSE_MAX_TAGS 64      /* tags kept per document */
#define PROSE_MAX_TAG 100      /* bytes per tag */
#define PROSE_MAX_LINKS 20000  /* links kept per document */
#define PROSE_MAX_TARGET 2048  /* bytes of a link target kept */
#define PROSE_MAX_LINK_TEXT 300
#define PROSE_MAX_WARNINGS 8

typedef struct prose_link {
    int line;          /* 1-based line where the link is written */
    const char *kind;  /* static: "markdown", "wiki", "html", "org", "rst" or "url" (a bare URL) */
    char *target;      /* as written; a wiki link without its |alias; owned */
    char *target_path; /* the root-relative path the link names, without #anchor or ?query;
                          for a wiki link the page name ("Some Note", "dir/Note"); NULL for
                          external URLs and for paths that leave the root; owned */
    char *text;        /* the link text with whitespace collapsed, or NULL; owned */
} prose_link;

typedef struct prose_doc {
    char *title;       /* front matter title, else the first heading (an H1 when
                          there is one), else the file name without extension */
    char *date;        /* normalized (prose_date_normalize) date the document states
                          for itself, or NULL: the caller falls back to git, then mtime */
    char **tags;       /* tags and categories, case-folded, without '#', deduplicated */
    size_t ntags;
    char *url;         /* canonical URL or permalink the document states, or NULL */
    long words;        /* words of body text: no front matter, markup or code blocks */
    prose_link *links;
    size_t nlinks, caplinks;
    char **warnings;   /* what could not be read, one sentence each (without the file name) */
    size_t nwarnings;
    char *body;        /* HTML only: the extracted text that chunk offsets refer to (same
                          line numbers as the file); NULL when chunks index the input text */
    size_t body_len;
} prose_doc;

/* Every string in a prose_doc is owned by it. */
void prose_doc_init(prose_doc *d);
void prose_doc_release(prose_doc *d);

/* Read text[0, len) (UTF-8, as textfile_read gives it) of the file at
 * rel_path (root-relative, used to resolve relative links and as the
 * title of last resort) written in language lang (lang.h names).  Fills
 * doc (initialised by the caller) and appends the chunks to chunks (o as
 * for chunk_prose, may be NULL).  The chunk byte offsets refer to
 * doc->body when it is set, else to text.  On failure the caller still
 * releases both.  Errors: CAIRN_ERR_NOMEM, and chunk_prose's. */
int prose_parse(const char *rel_path, const char *lang, const char *text, size_t len,
                const chunk_opts *o, prose_doc *doc, chunk_list *chunks);

/* ---- dates ---- */

/* Normalize a date written by a person or a program into a form that
 * sorts as text: "YYYY", "YYYY-MM", "YYYY-MM-DD" or
 * "YYYY-MM-DDTHH:MM[:SS]" followed by "Z" or "+HH:MM" when a zone is
 * given.  Accepts '/' or '.' between date parts, a space instead of 'T',
 * fractions of seconds (dropped), "+HHMM" zones, surrounding quotes and an
 * org-mode "<2021-03-04 Thu>" stamp.  Returns 1 and writes out (size at
 * least PROSE_DATE_MAX) when in[0, n) is such a date, else 0. */
int prose_date_normalize(const char *in, size_t n, char *out, size_t outsz);

/* Unix seconds as "YYYY-MM-DDTHH:MM:SSZ" (UTC) into out. */
void prose_date_from_unix(int64_t t, char out[PROSE_DATE_MAX]);

/* ---- helpers for the reader modules ---- */

/* Line starts of a text, for turning byte offsets into line numbers. */
typedef struct prose_lines {
    const char *text;
    size_t len;
    size_t *start; /* n line starts; owned */
    size_t n;
} prose_lines;

int prose_lines_build(prose_lines *L, const char *text, size_t len);
void prose_lines_release(prose_lines *L);

/* 1-based line of byte offset off (clamped to the text). */
int prose_line_at(const prose_lines *L, size_t off);

/* Set the title from s[0, n) when none is set yet (whitespace collapsed,
 * cut to PROSE_MAX_TITLE).  Blank titles are ignored. */
int prose_set_title(prose_doc *d, const char *s, size_t n);

/* Set the canonical URL (when none is set yet). */
int prose_set_url(prose_doc *d, const char *s, size_t n);

/* Set the date from a written form; a value that is not a date is
 * reported as a warning naming `key` and ignored. */
int prose_set_date(prose_doc *d, const char *key, const char *s, size_t n);

/* Add one tag: case-folded, a leading '#' dropped, duplicates and blanks
 * ignored, at most PROSE_MAX_TAGS. */
int prose_add_tag(prose_doc *d, const char *s, size_t n);

/* The stored form of a tag: blanks and a leading '#' trimmed, whitespace
 * collapsed, case-folded (full Unicode folding), cut to PROSE_MAX_TAG
 * bytes.  *out is malloc'd (the caller frees it), or NULL when s is
 * blank.  A user's --tag should be folded with it too: SQLite's NOCASE
 * folds ASCII only.  Errors: CAIRN_ERR_NOMEM. */
int prose_tag_fold(const char *s, size_t n, char **out);

/* Add the tags of a list written as one string: comma-separated when it
 * has a comma, else separated by spaces ("python sqlite"). */
int prose_add_tag_list(prose_doc *d, const char *s, size_t n);

/* Add a link of kind (static) written on line, from the document at
 * src_rel; target_path is worked out here.  Empty targets are ignored,
 * and so is everything past PROSE_MAX_LINKS. */
int prose_add_link(prose_doc *d, const char *src_rel, int line, const char *kind,
                   const char *target, size_t tn, const char *text, size_t xn);

/* Record a warning (printf-style); past PROSE_MAX_WARNINGS they are
 * counted in the last one.  Returns CAIRN_OK or CAIRN_ERR_NOMEM. */
int prose_warn(prose_doc *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Count the words in s[0, n) and add them to d->words.  *in_word carries
 * the state across pieces of one run of text (md4c hands text over in
 * pieces): start a run with it at 0. */
void prose_count_words(prose_doc *d, const char *s, size_t n, int *in_word);

/* The root-relative path that target names when written in the document
 * at src_rel (see prose_link.target_path); *out is malloc'd (the caller
 * frees it) or NULL. */
int prose_target_path(const char *src_rel, const char *kind, const char *target, size_t tn,
                      char **out);

#endif
