/*
 * follow.h — keeping an index current in the background: a thread that
 * watches the index's roots (indexer/watch.h) and runs an incremental
 * index of each root that changed.  `cairn watch` and `cairn serve` both
 * use it.
 *
 * The writer lock is taken only while an update runs, so `cairn index`
 * and other writers still get their turn, and readers are never blocked.
 */
#ifndef CAIRN_FOLLOW_H
#define CAIRN_FOLLOW_H

#include "indexer/watch.h"

#include <stdint.h>

typedef struct follower follower;

/* Called from the follower's thread: after each update with a one-line
 * summary ("updated: 1 new, 0 changed, 0 removed in 3 ms"), and for each
 * warning or error.  May be NULL. */
typedef void (*follow_note_fn)(void *ctx, int is_error, const char *msg);

typedef struct follow_opts {
    watch_opts watch;      /* index_dir is filled in by follower_start */
    int initial_update;    /* run an update of every root before watching */
    follow_note_fn note;
    void *note_ctx;
} follow_opts;

void follow_opts_init(follow_opts *o);

/* Start following the index in directory dir (which must exist and have
 * roots).  Caller stops it with follower_stop.  Errors: no index, no roots,
 * no memory, no thread. */
int follower_start(const char *dir, const follow_opts *o, follower **out);

/* Stop the thread, wait for an update in progress to finish, free f.
 * Accepts NULL. */
void follower_stop(follower *f);

/* "inotify" or "polling"; "starting" while the watches are being set up
 * (on the follower's own thread, so that starting never waits for a walk
 * of the tree). */
const char *follower_mode(const follower *f);

/* Completed updates so far, and the unix time of the last one (0 before
 * the first). */
int64_t follower_updates(const follower *f);
int64_t follower_last_update(const follower *f);

#endif
