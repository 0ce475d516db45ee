/*
 * docs.h — the writing side of the index: one row of metadata per prose
 * document (docs), its tags (doc_tags), the links it makes (links), and
 * the lookups that related-document, quote and link queries need.
 *
 * Tables (schema in store.c; store_file_put and store_file_delete clear a
 * file's rows):
 *   docs(file_id, title, date, date_source, url, words)
 *       date is normalized ISO 8601 ("2021-03-04", "2021-03-04T10:00:00Z")
 *       so that text order is time order; date_source says where it came
 *       from: "document" (front matter, <meta>, #+DATE), "git" (first
 *       commit) or "mtime";
 *   doc_tags(file_id, tag)   tags case-folded (prose_add_tag's folding);
 *   links(id, file_id, line, kind, target, target_path, text)
 *       target as written; target_path the root-relative path it names
 *       before any lookup (NULL for external URLs), resolved against the
 *       index when links are queried (query/links.h).
 */
#ifndef CAIRN_STORE_DOCS_H
#define CAIRN_STORE_DOCS_H

#include "store/store.h"

#include <stddef.h>
#include <stdint.h>

/* ---- writing ---- */

typedef struct store_doc {
    const char *title;        /* required */
    const char *date;         /* normalized, or NULL */
    const char *date_source;  /* "document", "git" or "mtime"; NULL when date is NULL */
    const char *url;          /* or NULL */
    int64_t words;
    const char *const *tags;  /* ntags case-folded tags */
    size_t ntags;
} store_doc;

/* Write the metadata row and tags of file_id (replacing any). */
int store_doc_put(store *s, int64_t file_id, const store_doc *d);

typedef struct store_link {
    int line;
    const char *kind;        /* "markdown", "wiki", "html", "org", "rst", "asciidoc", "url" */
    const char *target;
    const char *target_path; /* or NULL */
    const char *text;        /* or NULL */
} store_link;

int store_link_add(store *s, int64_t file_id, const store_link *l);

/* ---- reading documents ---- */

typedef struct store_doc_row {
    int64_t file_id, root_id;
    char *root;        /* absolute root path */
    char *path;        /* relative to root */
    char *lang;
    char *title;       /* NULL when the file has no docs row (code, or indexed before) */
    char *date, *date_source, *url; /* each may be NULL */
    int64_t words;
    int64_t mtime_ns;
    char **tags;
    size_t ntags;
} store_doc_row;

/* The file file_id with its document metadata (title NULL when it has
 * none).  Caller releases out with store_doc_row_release.
 * Errors: CAIRN_ERR_NOTFOUND when there is no such file. */
int store_doc_get(store *s, int64_t file_id, store_doc_row *out);
void store_doc_row_release(store_doc_row *r);

/* Id of the file at rel in root_id.  CAIRN_ERR_NOTFOUND when absent. */
int store_doc_file_id(store *s, int64_t root_id, const char *rel, int64_t *file_id);

/* Paths of the documents of root_id matching key, shortest path first:
 * by title (case-insensitive), by file name without extension
 * (case-insensitive: "Some Note" finds "notes/some note.md"), or by
 * canonical URL (exact).  Caller frees with store_doc_paths_free. */
enum store_doc_by { STORE_DOC_BY_TITLE, STORE_DOC_BY_STEM, STORE_DOC_BY_URL };
int store_doc_lookup(store *s, int64_t root_id, enum store_doc_by by, const char *key,
                     char ***paths, size_t *n);
void store_doc_paths_free(char **paths, size_t n);

/* ---- ranking passages ---- */

typedef struct store_doc_hit {
    int64_t chunk_id, file_id;
    int start_line, end_line;
    double score; /* BM25, higher is better */
} store_doc_hit;

/* Prose chunks ranked by BM25 for the FTS5 expression match, best first,
 * at most limit, leaving out the chunks of exclude_file_id (0: none).
 * Caller frees *out with free(). */
int store_doc_rank(store *s, const char *match, int64_t exclude_file_id, int limit,
                   store_doc_hit **out, size_t *n);

typedef struct store_doc_chunk {
    char *text;     /* the chunk's exact text */
    char *context;  /* heading path or NULL */
    int start_line, end_line;
} store_doc_chunk;

/* Chunk chunk_id into *out; the caller releases it with
 * store_doc_chunk_release.  CAIRN_ERR_NOTFOUND when there is none. */
int store_doc_chunk_get(store *s, int64_t chunk_id, store_doc_chunk *out);
void store_doc_chunk_release(store_doc_chunk *c);

/* The chunk's text around its matches for match (FTS5 snippet(), about
 * `tokens` tokens, matches between STORE_MARK_OPEN/CLOSE); *out is
 * malloc'd, the caller frees it. */
int store_doc_snippet(store *s, const char *match, int64_t chunk_id, int tokens, char **out);

/* In how many chunks the token (as the cairn tokenizer emits it: folded,
 * stemmed) occurs, and how many chunks there are; for idf weights. */
int store_doc_term_df(store *s, const char *token, int64_t *df);

/* How many of the chunks of file_id hold the token: a document compared
 * with the rest of the index must not count itself. */
int store_doc_term_df_in_file(store *s, const char *token, int64_t file_id, int64_t *df);
int store_doc_chunk_count(store *s, int64_t *n);

/* ---- links ---- */

typedef struct store_link_row {
    int64_t file_id, root_id;
    char *path;        /* the linking document, relative to its root */
    int line;
    char *kind, *target, *target_path, *text; /* target_path and text may be NULL */
} store_link_row;

/* The links written in file_id, in line order.  Caller frees *out with
 * store_link_rows_free. */
int store_link_list_from(store *s, int64_t file_id, store_link_row **out, size_t *n);

/* Links in root_id that may point at the document at path with the given
 * stem (file name without extension), title and url (each may be NULL):
 * every link whose target_path is path, or whose target mentions the stem,
 * or whose target is the title or url.  A superset: the caller resolves
 * each to see which really lead there.  Caller frees *out with
 * store_link_rows_free. */
int store_link_candidates_to(store *s, int64_t root_id, const char *path, const char *stem,
                             const char *title, const char *url, store_link_row **out, size_t *n);

void store_link_rows_free(store_link_row *rows, size_t n);

#endif
