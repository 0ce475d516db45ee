/*
 * watch.c — inotify with a debounce, or polling where inotify fails.
 */
#include "indexer/watch.h"
#include "indexer/walk.h"
#include "util/err.h"

#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <time.h>
#include <unistd.h>

#define WATCH_MASK                                                                         \
    (IN_CREATE | IN_DELETE | IN_MODIFY | IN_CLOSE_WRITE | IN_MOVED_FROM | IN_MOVED_TO |   \
     IN_ATTRIB | IN_DELETE_SELF | IN_MOVE_SELF)
#define TICK_MS 100
#define MAX_BURST_FACTOR 10

struct watcher {
    char **roots;
    size_t n;
    watch_opts o;
    int fd;          /* inotify descriptor, -1 when polling */
    size_t *wd_root; /* root index of each watch descriptor */
    size_t nwd;
    int64_t last_poll_ms;
};

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void watch_opts_init(watch_opts *o)
{
    memset(o, 0, sizeof *o);
    o->debounce_ms = 200;
    o->poll_ms = 2000;
}

static void to_polling(watcher *w)
{
    if (w->fd >= 0)
        close(w->fd);
    w->fd = -1;
}

typedef struct add_ctx {
    watcher *w;
    size_t root;
} add_ctx;

static void add_dir(void *ctx, const char *path)
{
    add_ctx *a = ctx;
    watcher *w = a->w;
    if (w->fd < 0)
        return;
    int wd = inotify_add_watch(w->fd, path, WATCH_MASK | IN_ONLYDIR | IN_DONT_FOLLOW);
    if (wd < 0) {
        /* Out of watches (ENOSPC) or no permission: a rescan still works. */
        if (errno == ENOSPC || errno == ENOMEM)
            to_polling(w);
        return;
    }
    if ((size_t)wd >= w->nwd) {
        size_t n = (size_t)wd * 2 + 64;
        size_t *p = realloc(w->wd_root, n * sizeof *p);
        if (!p) {
            to_polling(w);
            return;
        }
        for (size_t i = w->nwd; i < n; i++)
            p[i] = (size_t)-1;
        w->wd_root = p;
        w->nwd = n;
    }
    w->wd_root[wd] = a->root;
}

static int count_file(void *ctx, const walk_entry *e)
{
    (void)ctx;
    (void)e;
    return 0;
}

int watcher_refresh(watcher *w, size_t i)
{
    if (i >= w->n)
        return err_set(CAIRN_ERR_INVALID, "no root %zu", i);
    if (w->fd < 0)
        return CAIRN_OK;
    walk_opts wo;
    walk_opts_init(&wo);
    wo.max_size = 0;
    const char *skip[2] = {w->o.index_dir, NULL};
    wo.skip_dirs = w->o.index_dir ? skip : NULL;
    add_ctx a = {w, i};
    wo.on_dir = add_dir;
    wo.dir_ctx = &a;
    int rc = walk_root(w->roots[i], &wo, count_file, NULL, NULL);
    /* A root that vanished is noticed by the index run, not here. */
    return rc == CAIRN_ERR_NOMEM ? rc : CAIRN_OK;
}

int watcher_new(const char *const *roots, size_t n, const watch_opts *o, watcher **out)
{
    *out = NULL;
    watcher *w = calloc(1, sizeof *w);
    if (!w || !(w->roots = calloc(n ? n : 1, sizeof *w->roots))) {
        free(w);
        return err_set(CAIRN_ERR_NOMEM, "out of memory creating a watcher");
    }
    if (o)
        w->o = *o;
    else
        watch_opts_init(&w->o);
    if (w->o.debounce_ms <= 0)
        w->o.debounce_ms = 200;
    if (w->o.poll_ms <= 0)
        w->o.poll_ms = 2000;
    w->n = n;
    for (size_t i = 0; i < n; i++) {
        if (!(w->roots[i] = strdup(roots[i]))) {
            watcher_free(w);
            return err_set(CAIRN_ERR_NOMEM, "out of memory creating a watcher");
        }
    }
    w->fd = w->o.force_poll ? -1 : inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    for (size_t i = 0; i < n && w->fd >= 0; i++) {
        int rc = watcher_refresh(w, i);
        if (rc) {
            watcher_free(w);
            return rc;
        }
    }
    w->last_poll_ms = now_ms();
    *out = w;
    return CAIRN_OK;
}

void watcher_free(watcher *w)
{
    if (!w)
        return;
    if (w->fd >= 0)
        close(w->fd);
    for (size_t i = 0; i < w->n; i++)
        free(w->roots[i]);
    free(w->roots);
    free(w->wd_root);
    free(w);
}

const char *watcher_mode(const watcher *w) { return w->fd >= 0 ? "inotify" : "polling"; }

/* Read what is queued; mark roots.  Returns events seen, or -1 when the
 * kernel dropped events (queue overflow): then every root counts. */
static int drain(watcher *w, int *changed)
{
    char bufr[64 * 1024] __attribute__((aligned(__alignof__(struct inotify_event))));
    int events = 0;
    for (;;) {
        ssize_t len = read(w->fd, bufr, sizeof bufr);
        if (len <= 0)
            break;
        for (char *p = bufr; p < bufr + len;) {
            struct inotify_event *ev = (struct inotify_event *)p;
            p += sizeof *ev + ev->len;
            if (ev->mask & IN_Q_OVERFLOW) {
                for (size_t i = 0; i < w->n; i++)
                    changed[i] = 1;
                events++;
                continue;
            }
            if (ev->wd < 0 || (size_t)ev->wd >= w->nwd || w->wd_root[ev->wd] == (size_t)-1)
                continue;
            /* The index's own folder and git's churn are not changes. */
            if (ev->len && (strcmp(ev->name, ".cairn") == 0 || strcmp(ev->name, ".git") == 0))
                continue;
            changed[w->wd_root[ev->wd]] = 1;
            events++;
        }
    }
    return events;
}

int watcher_wait(watcher *w, int timeout_ms, const volatile int *stop, int *changed)
{
    memset(changed, 0, w->n * sizeof *changed);
    int64_t start = now_ms();
    for (;;) {
        if (stop && *stop)
            return CAIRN_OK;
        int64_t left = timeout_ms < 0 ? TICK_MS : timeout_ms - (now_ms() - start);
        if (left <= 0)
            return CAIRN_OK;
        int tick = left < TICK_MS ? (int)left : TICK_MS;
        if (w->fd < 0) {
            if (now_ms() - w->last_poll_ms >= w->o.poll_ms) {
                w->last_poll_ms = now_ms();
                for (size_t i = 0; i < w->n; i++)
                    changed[i] = 1;
                return CAIRN_OK;
            }
            poll(NULL, 0, tick);
            continue;
        }
        struct pollfd pfd = {.fd = w->fd, .events = POLLIN};
        int pr = poll(&pfd, 1, tick);
        if (pr < 0 && errno != EINTR)
            return err_set(CAIRN_ERR_IO, "waiting for file changes: %s", strerror(errno));
        if (pr <= 0 || !drain(w, changed))
            continue;
        /* Debounce: an editor's save or a checkout is many events. */
        int64_t burst_start = now_ms(), quiet_since = now_ms();
        while (now_ms() - quiet_since < w->o.debounce_ms &&
               now_ms() - burst_start < (int64_t)w->o.debounce_ms * MAX_BURST_FACTOR) {
            if (stop && *stop)
                return CAIRN_OK;
            pr = poll(&pfd, 1, w->o.debounce_ms);
            if (pr > 0 && drain(w, changed))
                quiet_since = now_ms();
        }
        for (size_t i = 0; i < w->n; i++)
            if (changed[i])
                return CAIRN_OK;
    }
}
