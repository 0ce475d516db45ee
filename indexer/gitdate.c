/*
 * gitdate.c — first-commit dates from one walk of a repository's history.
 */
#include "indexer/gitdate.h"
#include "util/err.h"

#include <git2.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

typedef struct entry {
    char *path; /* relative to the root; NULL for an empty slot */
    int64_t when;
} entry;

struct gitdate {
    git_repository *repo;
    char *prefix; /* the root relative to the work tree: "" or "notes/blog/" */
    gitdate_filter_fn filter;
    int loaded, failed, truncated;
    entry *tab;
    size_t cap, n;
};

static int git_fail(const char *what, const char *where)
{
    const git_error *e = git_error_last();
    return err_set(CAIRN_ERR_IO, "%s %s: %s", what, where, e && e->message ? e->message : "libgit2 error");
}

int gitdate_open(const char *root, gitdate_filter_fn filter, gitdate **out)
{
    *out = NULL;
    git_libgit2_init();
    git_repository *repo = NULL;
    int grc = git_repository_open_ext(&repo, root, 0, NULL);
    if (grc == GIT_ENOTFOUND) {
        git_libgit2_shutdown();
        return err_set(CAIRN_ERR_NOTFOUND, "%s is not in a git work tree", root);
    }
    if (grc < 0) {
        int rc = git_fail("cannot open the git repository of", root);
        git_libgit2_shutdown();
        return rc;
    }
    const char *wd = git_repository_workdir(repo);
    char real[PATH_MAX];
    size_t wl = wd && realpath(wd, real) ? strlen(real) : 0;
    if (!wl || strncmp(root, real, wl) != 0 || (root[wl] != '/' && root[wl] != '\0')) {
        git_repository_free(repo);
        git_libgit2_shutdown();
        return err_set(CAIRN_ERR_NOTFOUND, "%s is not in a git work tree", root);
    }
    gitdate *g = calloc(1, sizeof *g);
    const char *rest = root + wl + (root[wl] == '/');
    if (g && (g->prefix = malloc(strlen(rest) + 2)))
        strcpy(g->prefix, rest);
    if (!g || !g->prefix) {
        free(g);
        git_repository_free(repo);
        git_libgit2_shutdown();
        return err_set(CAIRN_ERR_NOMEM, "out of memory opening the git history of %s", root);
    }
    if (*g->prefix)
        strcat(g->prefix, "/");
    g->repo = repo;
    g->filter = filter;
    *out = g;
    return CAIRN_OK;
}

void gitdate_free(gitdate *g)
{
    if (!g)
        return;
    for (size_t i = 0; i < g->cap; i++)
        free(g->tab[i].path);
    free(g->tab);
    free(g->prefix);
    git_repository_free(g->repo);
    free(g);
    git_libgit2_shutdown();
}

int gitdate_truncated(const gitdate *g) { return g->truncated; }

static entry *slot(entry *tab, size_t cap, const char *path)
{
    size_t i = (size_t)XXH3_64bits(path, strlen(path)) & (cap - 1);
    while (tab[i].path && strcmp(tab[i].path, path) != 0)
        i = (i + 1) & (cap - 1);
    return &tab[i];
}

static int record(gitdate *g, const char *rel, int64_t when)
{
    if ((g->n + 1) * 2 > g->cap) {
        size_t cap = g->cap ? g->cap * 2 : 1024;
        entry *tab = calloc(cap, sizeof *tab);
        if (!tab)
            return err_set(CAIRN_ERR_NOMEM, "out of memory reading git history");
        for (size_t i = 0; i < g->cap; i++)
            if (g->tab[i].path)
                *slot(tab, cap, g->tab[i].path) = g->tab[i];
        free(g->tab);
        g->tab = tab;
        g->cap = cap;
    }
    entry *e = slot(g->tab, g->cap, rel);
    if (e->path) {
        if (when < e->when)
            e->when = when;
        return CAIRN_OK;
    }
    if (!(e->path = strdup(rel)))
        return err_set(CAIRN_ERR_NOMEM, "out of memory reading git history");
    e->when = when;
    g->n++;
    return CAIRN_OK;
}

/* The paths one commit adds compared with its parent (or all of them for
 * a root commit). */
static int commit_adds(gitdate *g, git_commit *c, const git_diff_options *opts)
{
    git_tree *tree = NULL, *ptree = NULL;
    git_commit *parent = NULL;
    git_diff *diff = NULL;
    int rc = CAIRN_OK;
    if (git_commit_tree(&tree, c) < 0 ||
        (git_commit_parentcount(c) == 1 &&
         (git_commit_parent(&parent, c, 0) < 0 || git_commit_tree(&ptree, parent) < 0)) ||
        git_diff_tree_to_tree(&diff, g->repo, ptree, tree, opts) < 0) {
        rc = git_fail("cannot read a commit of", git_repository_workdir(g->repo));
    } else {
        int64_t when = (int64_t)git_commit_author(c)->when.time;
        size_t plen = strlen(g->prefix), nd = git_diff_num_deltas(diff);
        for (size_t i = 0; i < nd && !rc; i++) {
            const git_diff_delta *d = git_diff_get_delta(diff, i);
            const char *p = d->new_file.path;
            if (d->status != GIT_DELTA_ADDED || !p || strncmp(p, g->prefix, plen) != 0)
                continue;
            if (!g->filter || g->filter(p + plen))
                rc = record(g, p + plen, when);
        }
    }
    git_diff_free(diff);
    git_tree_free(ptree);
    git_tree_free(tree);
    git_commit_free(parent);
    return rc;
}

static int load(gitdate *g)
{
    if (git_repository_head_unborn(g->repo) == 1)
        return CAIRN_OK; /* no commits yet */
    git_revwalk *walk = NULL;
    if (git_revwalk_new(&walk, g->repo) < 0)
        return git_fail("cannot walk the history of", git_repository_workdir(g->repo));
    git_revwalk_sorting(walk, GIT_SORT_TIME);
    int grc = git_revwalk_push_head(walk);
    if (grc < 0) {
        git_revwalk_free(walk);
        return git_fail("cannot find HEAD of", git_repository_workdir(g->repo));
    }
    git_diff_options opts;
    git_diff_options_init(&opts, GIT_DIFF_OPTIONS_VERSION);
    opts.flags |= GIT_DIFF_SKIP_BINARY_CHECK;
    char *spec = g->prefix;
    if (*g->prefix) {
        opts.pathspec.strings = &spec;
        opts.pathspec.count = 1;
    }
    git_oid oid;
    size_t count = 0;
    int rc = CAIRN_OK;
    while (!rc && (grc = git_revwalk_next(&oid, walk)) == 0) {
        if (++count > GITDATE_MAX_COMMITS) {
            g->truncated = 1;
            break;
        }
        git_commit *c = NULL;
        if (git_commit_lookup(&c, g->repo, &oid) < 0) {
            rc = git_fail("cannot read a commit of", git_repository_workdir(g->repo));
            break;
        }
        if (git_commit_parentcount(c) <= 1)
            rc = commit_adds(g, c, &opts);
        git_commit_free(c);
    }
    if (!rc && grc < 0 && grc != GIT_ITEROVER && !g->truncated)
        rc = git_fail("cannot walk the history of", git_repository_workdir(g->repo));
    git_revwalk_free(walk);
    return rc;
}

int gitdate_first(gitdate *g, const char *rel, int64_t *when)
{
    if (!g->loaded) {
        g->loaded = 1;
        int rc = load(g);
        if (rc) {
            g->failed = 1;
            return rc;
        }
    }
    entry *e = g->cap && !g->failed ? slot(g->tab, g->cap, rel) : NULL;
    if (!e || !e->path)
        return err_set(CAIRN_ERR_NOTFOUND, "%s was never committed", rel);
    *when = e->when;
    return CAIRN_OK;
}
