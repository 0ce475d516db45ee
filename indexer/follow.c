/*
 * follow.c — the background thread behind `cairn watch` and `cairn serve`.
 */
#include "indexer/follow.h"
#include "indexer/pipeline.h"
#include "store/store.h"
#include "util/err.h"

#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct follower {
    char *dir;
    char **roots;
    size_t n;
    int *changed;
    follow_opts o;
    watcher *w;
    pthread_t thread;
    volatile int stop;
    atomic_llong updates;
    atomic_llong last_update;
    atomic_int ready; /* 1 the watcher is set up, -1 it failed, 0 not yet */
};

void follow_opts_init(follow_opts *o)
{
    memset(o, 0, sizeof *o);
    watch_opts_init(&o->watch);
    o->initial_update = 1;
}

static void note(follower *f, int is_error, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void note(follower *f, int is_error, const char *fmt, ...)
{
    if (!f->o.note)
        return;
    char msg[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    f->o.note(f->o.note_ctx, is_error, msg);
}

static void on_warn(void *ctx, const char *msg) { note(ctx, 0, "%s", msg); }

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* One update of the roots marked in changed (all when changed is NULL). */
static void update(follower *f, const int *changed)
{
    store *s = NULL;
    if (store_open(f->dir, STORE_WRITE_WAIT, &s)) {
        note(f, 1, "%s", err_msg());
        return;
    }
    pipeline_opts po;
    pipeline_opts_init(&po);
    po.index_dir = f->dir;
    po.warn = on_warn;
    po.warn_ctx = f;
    pipeline_stats st = {0};
    int64_t t0 = now_ms();
    for (size_t i = 0; i < f->n; i++) {
        if (changed && !changed[i])
            continue;
        if (pipeline_index_root(s, f->roots[i], &po, &st))
            note(f, 1, "%s: %s", f->roots[i], err_msg());
    }
    store_close(s);
    atomic_fetch_add(&f->updates, 1);
    atomic_store(&f->last_update, (long long)time(NULL));
    if (st.added || st.updated || st.removed || !changed)
        note(f, 0, "%s %lld new, %lld changed, %lld removed in %lld ms", changed ? "updated:" : "indexed:",
             (long long)st.added, (long long)st.updated, (long long)st.removed,
             (long long)(now_ms() - t0));
}

static void *run(void *arg)
{
    follower *f = arg;
    /* Watches are set up here, not in follower_start: walking a big tree
     * must not delay whoever started the follower (a server's first
     * answer). */
    if (watcher_new((const char *const *)f->roots, f->n, &f->o.watch, &f->w)) {
        note(f, 1, "%s", err_msg());
        atomic_store(&f->ready, -1);
        return NULL;
    }
    atomic_store(&f->ready, 1);
    if (f->o.initial_update)
        update(f, NULL);
    while (!f->stop) {
        if (watcher_wait(f->w, -1, &f->stop, f->changed)) {
            note(f, 1, "%s", err_msg());
            break;
        }
        int any = 0;
        for (size_t i = 0; i < f->n; i++)
            any |= f->changed[i];
        if (!any || f->stop)
            continue;
        update(f, f->changed);
        for (size_t i = 0; i < f->n; i++)
            if (f->changed[i])
                watcher_refresh(f->w, i);
    }
    return NULL;
}

static void free_follower(follower *f)
{
    if (!f)
        return;
    watcher_free(f->w);
    for (size_t i = 0; i < f->n; i++)
        free(f->roots[i]);
    free(f->roots);
    free(f->changed);
    free(f->dir);
    free(f);
}

int follower_start(const char *dir, const follow_opts *o, follower **out)
{
    *out = NULL;
    follower *f = calloc(1, sizeof *f);
    if (!f)
        return err_set(CAIRN_ERR_NOMEM, "out of memory");
    f->o = *o;
    if (!(f->dir = realpath(dir, NULL))) {
        free(f);
        return err_set(CAIRN_ERR_NOTFOUND, "no index at %s; run 'cairn index PATH' first", dir);
    }
    store *s = NULL;
    store_root *roots = NULL;
    int rc = store_open(f->dir, STORE_READ, &s);
    if (!rc)
        rc = store_roots_list(s, &roots, &f->n);
    store_close(s);
    if (!rc && f->n == 0)
        rc = err_set(CAIRN_ERR_INVALID, "the index at %s has no roots yet; run 'cairn index PATH'", dir);
    if (!rc && (!(f->roots = calloc(f->n, sizeof *f->roots)) || !(f->changed = calloc(f->n, sizeof *f->changed))))
        rc = err_set(CAIRN_ERR_NOMEM, "out of memory");
    for (size_t i = 0; !rc && i < f->n; i++) {
        f->roots[i] = roots[i].path;
        roots[i].path = NULL;
    }
    store_roots_free(roots, f->n);
    f->o.watch.index_dir = f->dir;
    if (!rc && pthread_create(&f->thread, NULL, run, f) != 0)
        rc = err_set(CAIRN_ERR_NOMEM, "cannot start the thread that keeps the index current");
    if (rc) {
        free_follower(f);
        return rc;
    }
    *out = f;
    return CAIRN_OK;
}

void follower_stop(follower *f)
{
    if (!f)
        return;
    f->stop = 1;
    pthread_join(f->thread, NULL);
    free_follower(f);
}

const char *follower_mode(const follower *f)
{
    int r = atomic_load(&((follower *)f)->ready);
    return r > 0 ? watcher_mode(f->w) : r < 0 ? "nothing (it could not start)" : "starting";
}

int64_t follower_updates(const follower *f) { return atomic_load(&((follower *)f)->updates); }

int64_t follower_last_update(const follower *f) { return atomic_load(&((follower *)f)->last_update); }
