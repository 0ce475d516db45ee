/*
 * cmd_watch.c — `cairn watch`: keep an index current as files change.
 */
#include "cli/cli.h"
#include "indexer/pipeline.h"
#include "indexer/watch.h"
#include "store/store.h"
#include "util/err.h"

#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

const char cmd_watch_help[] =
    "usage: cairn watch [--index DIR] [--quiet] [--poll] [--debounce MS]\n"
    "\n"
    "Keep an existing index current: watch its roots and re-index whatever\n"
    "changes, until interrupted (Ctrl-C).  Uses inotify on every directory\n"
    "the index covers (ignored directories are not watched) and waits for a\n"
    "burst of changes to settle before updating; where inotify is not\n"
    "available or runs out of watches it rescans every 2 seconds instead,\n"
    "which costs little because unchanged files are never read.  Each update\n"
    "prints one line.  The index stays readable throughout; the writer lock\n"
    "is only held while an update runs.\n"
    "\n"
    "options:\n"
    "  --index DIR     the index to keep current (default: $CAIRN_INDEX, then .cairn/)\n"
    "  --quiet, -q     print nothing but errors\n"
    "  --poll          rescan periodically instead of using inotify\n"
    "  --debounce MS   quiet time that ends a burst of changes (default 200)\n"
    "\n"
    "example:\n"
    "  cairn watch &\n"
    "  cairn watch --index ~/notes/.cairn --poll\n";

static volatile sig_atomic_t stop_flag;

static void on_signal(int sig)
{
    (void)sig;
    stop_flag = 1;
}

static void print_warning(void *ctx, const char *msg)
{
    if (!*(int *)ctx)
        fprintf(stderr, "cairn: %s\n", msg);
}

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* One update of the roots marked in changed (all when changed is NULL). */
static int update(const char *dir, char **roots, size_t n, const int *changed, int quiet)
{
    store *s = NULL;
    int rc = store_open(dir, STORE_WRITE_WAIT, &s);
    if (rc) {
        cli_error("watch: %s", err_msg());
        return rc;
    }
    pipeline_opts po;
    pipeline_opts_init(&po);
    po.index_dir = dir;
    po.warn = print_warning;
    po.warn_ctx = &quiet;
    pipeline_stats st = {0};
    int64_t t0 = now_ms();
    for (size_t i = 0; i < n; i++) {
        if (changed && !changed[i])
            continue;
        int prc = pipeline_index_root(s, roots[i], &po, &st);
        if (prc)
            cli_error("watch: %s: %s", roots[i], err_msg());
    }
    store_close(s);
    if (!quiet && (st.added || st.updated || st.removed || !changed)) {
        printf("%s %lld new, %lld changed, %lld removed in %lld ms\n", changed ? "updated:" : "indexed:",
               (long long)st.added, (long long)st.updated, (long long)st.removed,
               (long long)(now_ms() - t0));
        fflush(stdout);
    }
    return CAIRN_OK;
}

int cmd_watch(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"index", required_argument, NULL, 'i'}, {"quiet", no_argument, NULL, 'q'},
        {"poll", no_argument, NULL, 'p'},        {"debounce", required_argument, NULL, 'd'},
        {NULL, 0, NULL, 0},
    };
    const char *index_opt = NULL;
    int quiet = 0, c;
    watch_opts wo;
    watch_opts_init(&wo);
    optind = 1;
    while ((c = getopt_long(argc, argv, "q", longopts, NULL)) != -1) {
        switch (c) {
        case 'i': index_opt = optarg; break;
        case 'q': quiet = 1; break;
        case 'p': wo.force_poll = 1; break;
        case 'd': {
            long long v = cli_parse_count("watch", "--debounce", optarg, 60000);
            if (v < 0)
                return CLI_USAGE;
            wo.debounce_ms = (int)v;
            break;
        }
        default: return cli_usage_error("watch", "unknown option");
        }
    }
    if (optind < argc)
        return cli_usage_error("watch", "unexpected argument '%s'", argv[optind]);
    char *dir = NULL, *absdir = NULL;
    store *s = NULL;
    store_root *known = NULL;
    size_t n = 0;
    char **roots = NULL;
    int *changed = NULL;
    watcher *w = NULL;
    int rc = cli_index_locate(index_opt, &dir);
    if (!rc && !(absdir = realpath(dir, NULL)))
        rc = err_set(CAIRN_ERR_NOTFOUND, "no index at %s; run 'cairn index PATH' first", dir);
    if (!rc)
        rc = store_open(absdir, STORE_READ, &s);
    if (!rc)
        rc = store_roots_list(s, &known, &n);
    store_close(s);
    if (!rc && n == 0)
        rc = err_set(CAIRN_ERR_INVALID, "the index at %s has no roots yet; run 'cairn index PATH'", dir);
    if (!rc && (!(roots = calloc(n, sizeof *roots)) || !(changed = calloc(n, sizeof *changed))))
        rc = err_set(CAIRN_ERR_NOMEM, "out of memory");
    for (size_t i = 0; !rc && i < n; i++)
        roots[i] = known[i].path;
    wo.index_dir = absdir;
    if (!rc)
        rc = watcher_new((const char *const *)roots, n, &wo, &w);
    if (rc) {
        cli_error("watch: %s", err_msg());
    } else {
        struct sigaction sa = {.sa_handler = on_signal};
        sigaction(SIGINT, &sa, NULL);
        sigaction(SIGTERM, &sa, NULL);
        if (!quiet) {
            printf("watching %zu root%s with %s; Ctrl-C to stop\n", n, n == 1 ? "" : "s",
                   watcher_mode(w));
            fflush(stdout);
        }
        update(absdir, roots, n, NULL, quiet);
        while (!stop_flag && !rc) {
            rc = watcher_wait(w, -1, (const volatile int *)&stop_flag, changed);
            int any = 0;
            for (size_t i = 0; i < n; i++)
                any |= changed[i];
            if (rc || !any)
                continue;
            update(absdir, roots, n, changed, quiet);
            for (size_t i = 0; i < n; i++)
                if (changed[i])
                    watcher_refresh(w, i);
        }
        if (rc)
            cli_error("watch: %s", err_msg());
    }
    watcher_free(w);
    free(roots);
    free(changed);
    store_roots_free(known, n);
    free(dir);
    free(absdir);
    return rc ? CLI_FAIL : CLI_OK;
}
