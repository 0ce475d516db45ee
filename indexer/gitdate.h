/*
 * gitdate.h — when each file of a git work tree was first committed, for
 * documents that do not state their own date.
 *
 * The history is read once, lazily, on the first lookup (libgit2): every
 * commit reachable from HEAD that has at most one parent is compared with
 * its parent, and each path that a commit adds gets the earliest author
 * time seen for it.  Merges are skipped because the commits they bring in
 * are walked anyway.  A path that was renamed counts from its rename (no
 * rename detection: the date is when the file got its current name).
 * Histories longer than GITDATE_MAX_COMMITS are read up to that many of
 * their newest commits (gitdate_truncated says so), so that indexing a
 * huge repository never stalls here.
 *
 * Not thread-safe: use a handle from one thread.
 */
#ifndef CAIRN_GITDATE_H
#define CAIRN_GITDATE_H

#include <stdint.h>

#define GITDATE_MAX_COMMITS 200000

typedef struct gitdate gitdate;

/* Which paths (relative to the root) are worth remembering; NULL keeps
 * all. */
typedef int (*gitdate_filter_fn)(const char *rel);

/* A handle for the directory root (absolute) when it is inside a git work
 * tree; the caller frees it with gitdate_free.  Nothing is read yet.
 * Errors: CAIRN_ERR_NOTFOUND when root is in no git work tree (a normal
 * case, not worth a warning), CAIRN_ERR_IO when the repository cannot be
 * opened, CAIRN_ERR_NOMEM. */
int gitdate_open(const char *root, gitdate_filter_fn filter, gitdate **out);

/* Free the handle; accepts NULL. */
void gitdate_free(gitdate *g);

/* Author time (Unix seconds) of the commit that first added rel (a path
 * relative to the root).  Errors: CAIRN_ERR_NOTFOUND when no commit added
 * it (not committed yet), CAIRN_ERR_IO when the history cannot be read
 * (reported once: later lookups answer NOTFOUND), CAIRN_ERR_NOMEM. */
int gitdate_first(gitdate *g, const char *rel, int64_t *when);

/* 1 when the history was longer than GITDATE_MAX_COMMITS and only its
 * newest commits were read. */
int gitdate_truncated(const gitdate *g);

#endif
