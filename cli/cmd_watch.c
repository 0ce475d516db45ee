/*
 * cmd_watch.c — `cairn watch`: keep an index current as files change.
 */
#include "cli/cli.h"
#include "indexer/follow.h"
#include "util/err.h"

#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

static void print_note(void *ctx, int is_error, const char *msg)
{
    int quiet = *(const int *)ctx;
    if (is_error) {
        fprintf(stderr, "cairn: watch: %s\n", msg);
    } else if (!quiet) {
        /* Update summaries on stdout, warnings about files on stderr. */
        FILE *to = strncmp(msg, "updated:", 8) == 0 || strncmp(msg, "indexed:", 8) == 0 ? stdout : stderr;
        fprintf(to, "%s%s\n", to == stderr ? "cairn: " : "", msg);
        fflush(to);
    }
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
    follow_opts fo;
    follow_opts_init(&fo);
    optind = 1;
    while ((c = getopt_long(argc, argv, "q", longopts, NULL)) != -1) {
        switch (c) {
        case 'i': index_opt = optarg; break;
        case 'q': quiet = 1; break;
        case 'p': fo.watch.force_poll = 1; break;
        case 'd': {
            long long v = cli_parse_count("watch", "--debounce", optarg, 60000);
            if (v < 0)
                return CLI_USAGE;
            fo.watch.debounce_ms = (int)v;
            break;
        }
        default: return cli_usage_error("watch", "unknown option");
        }
    }
    if (optind < argc)
        return cli_usage_error("watch", "unexpected argument '%s'", argv[optind]);
    char *dir = NULL;
    follower *f = NULL;
    fo.note = print_note;
    fo.note_ctx = &quiet;
    struct sigaction sa = {.sa_handler = on_signal};
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    int rc = cli_index_locate(index_opt, &dir);
    if (!rc)
        rc = follower_start(dir, &fo, &f);
    if (rc) {
        cli_error("watch: %s", err_msg());
    } else {
        while (!stop_flag && strcmp(follower_mode(f), "starting") == 0)
            usleep(10000);
        if (!quiet) {
            printf("watching %s with %s; Ctrl-C to stop\n", dir, follower_mode(f));
            fflush(stdout);
        }
        /* Polled, so that a signal between the test and the wait is not lost. */
        while (!stop_flag)
            usleep(100000);
    }
    follower_stop(f);
    free(dir);
    return rc ? CLI_FAIL : CLI_OK;
}
