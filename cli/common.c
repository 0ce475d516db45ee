/*
 * common.c — what the command handlers share: finding the index,
 * displaying paths, parsing numeric and common options.
 */
#include "cli/cli.h"
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

int cli_opts_parse(const char *cmd, int argc, char **argv, unsigned accept, size_t max_budget,
                   cli_opts *o)
{
    static const struct option longopts[] = {
        {"index", required_argument, NULL, 'i'}, {"json", no_argument, NULL, 'j'},
        {"markdown", no_argument, NULL, 'm'},    {"budget", required_argument, NULL, 'b'},
        {"focus", required_argument, NULL, 'f'}, {NULL, 0, NULL, 0},
    };
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        unsigned needs = c == 'j' ? CLI_OPT_JSON : c == 'm' ? CLI_OPT_MARKDOWN
                       : c == 'b' ? CLI_OPT_BUDGET : c == 'f' ? CLI_OPT_FOCUS : 0;
        if (c != 'i' && !(accept & needs))
            return cli_usage_error(cmd, "unknown option");
        switch (c) {
        case 'i': o->index_opt = optarg; break;
        case 'j': o->json = 1; break;
        case 'm': o->json = 0; break;
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
        }
    }
    return CLI_OK;
}
