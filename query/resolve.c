/*
 * resolve.c — user paths to indexed files, never outside the roots.
 */
#include "query/resolve.h"
#include "store/symbols.h"
#include "util/err.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void resolved_file_release(resolved_file *f)
{
    if (!f)
        return;
    free(f->root);
    free(f->rel);
    f->root = f->rel = NULL;
    f->file_id = 0;
}

/* rel when abs lies strictly below root, else NULL. */
static const char *below(const char *abs, const char *root)
{
    size_t n = strlen(root);
    if (strncmp(abs, root, n) != 0)
        return NULL;
    if (n == 1 && root[0] == '/')
        return abs[1] ? abs + 1 : NULL;
    return abs[n] == '/' && abs[n + 1] ? abs + n + 1 : NULL;
}

static int found(store *s, const char *root, const char *rel, resolved_file *out)
{
    int64_t id;
    int rc = store_file_id(s, root, rel, &id);
    if (rc)
        return rc;
    out->root = strdup(root);
    out->rel = strdup(rel);
    out->file_id = id;
    if (!out->root || !out->rel) {
        resolved_file_release(out);
        return err_set(CAIRN_ERR_NOMEM, "out of memory");
    }
    return CAIRN_OK;
}

int resolve_file(store *s, const char *path, resolved_file *out)
{
    memset(out, 0, sizeof *out);
    if (!path || !*path)
        return err_set(CAIRN_ERR_INVALID, "no path given");
    if (strlen(path) >= PATH_MAX)
        return err_set(CAIRN_ERR_INVALID, "path is too long");
    store_root *roots = NULL;
    size_t n = 0;
    int rc = store_roots_list(s, &roots, &n);
    if (rc)
        return rc;
    char real[PATH_MAX];
    rc = CAIRN_ERR_NOTFOUND;
    int outside = 0;
    /* As given (relative to the current directory, or absolute). */
    if (realpath(path, real)) {
        for (size_t i = 0; i < n; i++) {
            const char *rel = below(real, roots[i].path);
            if (rel) {
                rc = found(s, roots[i].path, rel, out);
                goto done;
            }
        }
        outside = 1;
    }
    /* Relative to each root in turn. */
    if (path[0] != '/') {
        for (size_t i = 0; i < n; i++) {
            char joined[2 * PATH_MAX];
            snprintf(joined, sizeof joined, "%s/%s", roots[i].path, path);
            if (!realpath(joined, real))
                continue;
            const char *rel = below(real, roots[i].path);
            if (!rel) {
                outside = 1;
                continue;
            }
            rc = found(s, roots[i].path, rel, out);
            if (rc != CAIRN_ERR_NOTFOUND)
                goto done;
        }
    }
    if (outside)
        rc = err_set(CAIRN_ERR_PERM, "%s is outside the indexed roots", path);
    else if (rc == CAIRN_ERR_NOTFOUND)
        rc = err_set(CAIRN_ERR_NOTFOUND, "%s is not an indexed file (%s)", path,
                     errno == ENOENT ? "no such file" : "not indexed");
done:
    store_roots_free(roots, n);
    return rc;
}
