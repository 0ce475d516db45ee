/*
 * docmeta.h — recording a parsed prose document (prose.h) in the store:
 * its metadata row, tags and links, with the date worked out the way the
 * archive's owner would expect: the date the document states, else the
 * date its file was first committed when the root is in a git work tree
 * (gitdate.h), else the file's modification time.
 *
 * One handle per index run of one root, used from the thread that writes
 * the store.  The git history is read only when a document without a date
 * of its own needs it.
 */
#ifndef CAIRN_DOCMETA_H
#define CAIRN_DOCMETA_H

#include "indexer/prose.h"
#include "store/store.h"

#include <stdint.h>

typedef struct docmeta docmeta;

/* Called with a message naming the root for problems that do not stop
 * indexing (an unreadable git history, reported once). */
typedef void (*docmeta_warn_fn)(void *ctx, const char *msg);

/* A handle for the root at root (absolute); *out is freed by the caller
 * with docmeta_free.  warn may be NULL.  Errors: CAIRN_ERR_NOMEM. */
int docmeta_new(const char *root, docmeta_warn_fn warn, void *warn_ctx, docmeta **out);

/* Free the handle; accepts NULL. */
void docmeta_free(docmeta *m);

/* Write doc's metadata, tags and links for file_id (the file at rel,
 * modified at mtime_ns).  Errors: the store's. */
int docmeta_store(docmeta *m, store *s, int64_t file_id, const char *rel, int64_t mtime_ns,
                  const prose_doc *doc);

#endif
