/*
 * resolve.h — turning a path a person or agent typed into an indexed file,
 * confined to the index's roots.
 *
 * Accepts a path relative to the current directory, an absolute path, or
 * a path relative to one of the roots.  Symbolic links are resolved first,
 * so a link that leads out of the roots is refused, as is `..` that climbs
 * out of them.
 */
#ifndef CAIRN_QUERY_RESOLVE_H
#define CAIRN_QUERY_RESOLVE_H

#include "store/store.h"

#include <stdint.h>

typedef struct resolved_file {
    char *root;      /* absolute root path (malloc'd) */
    char *rel;       /* root-relative path (malloc'd) */
    int64_t file_id; /* the file's id in the index */
} resolved_file;

/* Resolve path to an indexed file.  On success the caller releases *out
 * with resolved_file_release.  CAIRN_ERR_PERM when the path leads outside
 * every root, CAIRN_ERR_NOTFOUND when it is inside but not indexed. */
int resolve_file(store *s, const char *path, resolved_file *out);
void resolved_file_release(resolved_file *f);

/* resolve_file for each of paths[0..n), their file ids into ids; the
 * message of a failure names the path ("focus PATH: ..."). */
int resolve_files(store *s, const char *const *paths, size_t n, int64_t *ids);

#endif
