/*
 * watch.h — noticing that files changed under the indexed roots.
 *
 * inotify watches every directory that discovery walks (so ignored trees
 * are never watched), and a burst of events is debounced into one report.
 * Where inotify is unavailable or runs out of watches, the watcher falls
 * back to a periodic rescan.  Either way it only says *which roots*
 * changed: the incremental index run finds *what* changed, and its pass
 * over unchanged files costs milliseconds.
 */
#ifndef CAIRN_WATCH_H
#define CAIRN_WATCH_H

#include <stddef.h>

typedef struct watcher watcher;

typedef struct watch_opts {
    int debounce_ms;        /* quiet time that ends a burst (default 200) */
    int poll_ms;            /* rescan period when polling (default 2000) */
    int force_poll;         /* poll even where inotify works */
    const char *index_dir;  /* absolute; never watched */
} watch_opts;

void watch_opts_init(watch_opts *o);

/* Watch the absolute directories roots[0..n).  Caller frees *out with
 * watcher_free.  Fails only for bad arguments or no memory: a root that
 * cannot be watched makes the watcher poll. */
int watcher_new(const char *const *roots, size_t n, const watch_opts *o, watcher **out);
void watcher_free(watcher *w);

/* "inotify" or "polling". */
const char *watcher_mode(const watcher *w);

/* Wait up to timeout_ms (-1: no limit) for changes.  On return changed[i]
 * is 1 for each root i that changed (0 for the others; all 0 on timeout).
 * Returns early, with nothing changed, when *stop becomes nonzero (it is
 * polled at least every 100 ms). */
int watcher_wait(watcher *w, int timeout_ms, const volatile int *stop, int *changed);

/* Watch directories of root i created since the last walk; call after
 * re-indexing it. */
int watcher_refresh(watcher *w, size_t i);

#endif
