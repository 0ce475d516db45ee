/*
 * read.h — reading indexed files back, confined to the index's roots.
 *
 * Agents and people name a file the way search results show it: relative
 * to a root ("json/decoder.py"), or absolute inside a root.  Before a byte
 * is read, the name is checked the way a web server checks a URL:
 *   - a ".." component is refused outright, whatever it would resolve to;
 *   - an absolute path must lie under a root as the index records it,
 *     checked on the text before the filesystem is touched, so paths
 *     elsewhere are refused without revealing whether they exist;
 *   - the path is resolved with realpath() and must still lie under a root
 *     (prefix plus '/'), so a symbolic link cannot lead outside;
 *   - the file must be in the index: ignored files (.env, build output)
 *     and files that were skipped stay unreadable even inside a root.
 * Text is read through indexer/textfile (size cap, no symlink at the last
 * component, same UTF-8 conversion as indexing) so line numbers agree with
 * search results, and every read is bounded in lines and bytes.
 */
#ifndef CAIRN_QUERY_READ_H
#define CAIRN_QUERY_READ_H

#include "store/store.h"

#include <stddef.h>
#include <stdint.h>

#define READ_MAX_LINES 2000                   /* lines returned by one read */
#define READ_MAX_BYTES ((size_t)256 << 10)    /* bytes returned by one read */
#define READ_MAX_FILE_BYTES ((size_t)64 << 20) /* larger files are refused */

typedef struct read_target {
    int64_t root_id;
    int64_t file_id; /* the file's id in the index */
    char *root;      /* the root as the index records it (absolute) */
    char *rel;       /* the file relative to root, as the index records it */
    char *real;      /* the resolved path that is opened */
} read_target;

/* Resolve path (root-relative, tried against each root in the order the
 * store lists them, or absolute inside a root) to an indexed file.  On
 * success the caller releases *out with read_target_release.  Errors:
 * CAIRN_ERR_PERM (a ".." component, outside every root, or a symbolic link
 * leading out), CAIRN_ERR_NOTFOUND (no such file, or not in the index),
 * CAIRN_ERR_INVALID (empty or over-long path), store errors.  The message
 * says which and, for a refusal, what a valid path looks like. */
int read_resolve(store *s, const char *path, read_target *out);

/* The same checks for rel inside one given root only. */
int read_resolve_in(store *s, const store_root *root, const char *rel, read_target *out);

/* Free the strings of t and zero it; accepts NULL. */
void read_target_release(read_target *t);

typedef struct read_span {
    char *text;      /* the lines with their own line endings, UTF-8, NUL-terminated;
                        owned by the span */
    size_t len;      /* bytes in text */
    int start_line;  /* first line returned, 1-based */
    int end_line;    /* last line returned (start_line - 1 when none) */
    int total_lines; /* lines in the file ("\n", "\r\n" and a lone "\r" end a line) */
    int truncated;   /* 1 when the line or byte cap stopped the span early */
} read_span;

/* Lines start_line..end_line (inclusive, 1-based; 0 for start_line means 1,
 * 0 for end_line means the end of the file) of the file t names, cut short
 * at max_lines lines or max_bytes bytes (whole lines, except a first line
 * longer than max_bytes, which is cut at a character boundary).  The caller
 * releases *out with read_span_release.  Errors: CAIRN_ERR_INVALID for a
 * range that is backwards or starts past the end, and textfile_read's
 * errors (the file changed into something unreadable since indexing). */
int read_span_get(const read_target *t, int start_line, int end_line, size_t max_lines,
                  size_t max_bytes, read_span *out);

/* Free the text and zero sp; accepts NULL. */
void read_span_release(read_span *sp);

#endif
