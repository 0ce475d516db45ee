/*
 * common.c — what the command handlers share: finding the index,
 * displaying paths, parsing numeric options.
 */
#include "cli/cli.h"
#include "query/resolve.h"
#include "util/err.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define INDEX_DIR_NAME ".cairn"

static int is_dir(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

int cli_index_locate(const char *opt, char **out)
{
    *out = NULL;
    if (opt && *opt) {
        *out = strdup(opt);
        return *out ? CAIRN_OK : err_set(CAIRN_ERR_NOMEM, "out of memory");
    }
    const char *env = getenv("CAIRN_INDEX");
    if (env && *env) {
        *out = strdup(env);
        return *out ? CAIRN_OK : err_set(CAIRN_ERR_NOMEM, "out of memory");
    }
    char dir[PATH_MAX];
    if (!getcwd(dir, sizeof dir))
        return err_set(CAIRN_ERR_IO, "cannot read the current directory: %s", strerror(errno));
    for (;;) {
        char cand[PATH_MAX + sizeof INDEX_DIR_NAME + 1];
        snprintf(cand, sizeof cand, "%s/%s", strcmp(dir, "/") == 0 ? "" : dir, INDEX_DIR_NAME);
        if (is_dir(cand)) {
            *out = strdup(cand);
            return *out ? CAIRN_OK : err_set(CAIRN_ERR_NOMEM, "out of memory");
        }
        char *slash = strrchr(dir, '/');
        if (!slash || slash == dir)
            break;
        *slash = '\0';
    }
    if (is_dir("/" INDEX_DIR_NAME)) {
        *out = strdup("/" INDEX_DIR_NAME);
        return *out ? CAIRN_OK : err_set(CAIRN_ERR_NOMEM, "out of memory");
    }
    return err_set(CAIRN_ERR_NOTFOUND,
                   "no index found: no --index DIR, no $CAIRN_INDEX, and no .cairn/ in the "
                   "current directory or its parents; run 'cairn index PATH' first");
}

void cli_display_path(const char *root, const char *rel, char *out, size_t n)
{
    char full[PATH_MAX * 2];
    snprintf(full, sizeof full, "%s/%s", root, rel);
    char cwd[PATH_MAX];
    if (getcwd(cwd, sizeof cwd)) {
        size_t len = strlen(cwd);
        if (strncmp(full, cwd, len) == 0 && full[len] == '/') {
            snprintf(out, n, "%s", full + len + 1);
            return;
        }
        /* A sibling tree (../shared/...) reads better relative too. */
        char *slash = strrchr(cwd, '/');
        if (slash && slash != cwd) {
            *slash = '\0';
            len = strlen(cwd);
            if (strncmp(full, cwd, len) == 0 && full[len] == '/') {
                snprintf(out, n, "../%s", full + len + 1);
                return;
            }
        }
    }
    snprintf(out, n, "%s", full);
}

long long cli_parse_count(const char *cmd, const char *opt, const char *value, long long max)
{
    char *end;
    errno = 0;
    long long v = strtoll(value, &end, 10);
    if (errno || end == value || *end || v < 0 || v > max) {
        cli_usage_error(cmd, "%s wants a whole number from 0 to %lld, not '%s'", opt, max, value);
        return -1;
    }
    return v;
}

int cli_index_json_opts(const char *cmd, int argc, char **argv, const char **index_opt, int *json)
{
    static const struct option longopts[] = {
        {"index", required_argument, NULL, 'i'},
        {"json", no_argument, NULL, 'j'},
        {NULL, 0, NULL, 0},
    };
    int c;
    *index_opt = NULL;
    *json = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (c) {
        case 'i': *index_opt = optarg; break;
        case 'j': *json = 1; break;
        default: return cli_usage_error(cmd, "unknown option");
        }
    }
    return CLI_OK;
}

int cli_task_opts_parse(const char *cmd, int argc, char **argv, size_t max_budget,
                        int with_markdown, cli_task_opts *o)
{
    static const struct option longopts[] = {
        {"index", required_argument, NULL, 'i'}, {"budget", required_argument, NULL, 'b'},
        {"focus", required_argument, NULL, 'f'}, {"json", no_argument, NULL, 'j'},
        {"markdown", no_argument, NULL, 'm'},    {NULL, 0, NULL, 0},
    };
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (c) {
        case 'i': o->index_opt = optarg; break;
        case 'b': {
            long long v = cli_parse_count(cmd, "--budget", optarg, (long long)max_budget);
            if (v < 0)
                return CLI_USAGE;
            o->budget = (size_t)v;
            break;
        }
        case 'f':
            if (o->nfocus == CLI_MAX_FOCUS)
                return cli_usage_error(cmd, "at most %d --focus files", CLI_MAX_FOCUS);
            o->focus[o->nfocus++] = optarg;
            break;
        case 'j': o->json = 1; break;
        case 'm':
            if (with_markdown) {
                o->json = 0;
                break;
            }
            return cli_usage_error(cmd, "unknown option");
        default: return cli_usage_error(cmd, "unknown option");
        }
    }
    return CLI_OK;
}

int cli_task_read(int argc, char **argv, int from, int stdin_dash, buf *out)
{
    if (stdin_dash && from == argc - 1 && strcmp(argv[from], "-") == 0) {
        char chunk[65536];
        size_t n;
        while ((n = fread(chunk, 1, sizeof chunk, stdin)) > 0)
            if (buf_append(out, chunk, n))
                return err_set(CAIRN_ERR_TOOBIG, "the task on standard input is over %d bytes",
                               CLI_MAX_TASK_BYTES);
        return CAIRN_OK;
    }
    for (int i = from; i < argc; i++)
        if ((i > from && buf_putc(out, ' ')) || buf_puts(out, argv[i]))
            return err_set(CAIRN_ERR_TOOBIG, "the task is over %d bytes", CLI_MAX_TASK_BYTES);
    return CAIRN_OK;
}

int cli_task_index_open(const cli_task_opts *o, cli_task_index *ix)
{
    memset(ix, 0, sizeof *ix);
    int rc = cli_index_locate(o->index_opt, &ix->dir);
    if (!rc)
        rc = store_open(ix->dir, STORE_READ, &ix->s);
    if (!rc)
        rc = resolve_files(ix->s, o->focus, o->nfocus, ix->focus_ids);
    if (!rc)
        rc = rank_graph_load(ix->s, &ix->g);
    return rc;
}

void cli_task_index_close(cli_task_index *ix)
{
    rank_graph_free(ix->g);
    store_close(ix->s);
    free(ix->dir);
    memset(ix, 0, sizeof *ix);
}
