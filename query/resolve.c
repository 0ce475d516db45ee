/*
 * resolve.c — paths people type, relative to where they stand, to indexed
 * files; confinement to the roots is query/read.c's (read_resolve).
 */
#include "query/resolve.h"
#include "query/read.h"
#include "util/err.h"

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

int resolve_file(store *s, const char *path, resolved_file *out)
{
    memset(out, 0, sizeof *out);
    if (!path || !*path)
        return err_set(CAIRN_ERR_INVALID, "no path given");
    read_target t;
    char real[PATH_MAX];
    int rc;
    /* A person means a relative path from where they stand; failing that,
     * from a root (as search prints it). */
    if (path[0] != '/' && realpath(path, real)) {
        rc = read_resolve(s, real, &t);
        if (rc == CAIRN_ERR_PERM || rc == CAIRN_ERR_NOTFOUND) {
            char first[1024];
            snprintf(first, sizeof first, "%s", err_msg());
            rc = read_resolve(s, path, &t);
            if (rc)
                err_set(rc, "%s", first);
        }
    } else {
        rc = read_resolve(s, path, &t);
    }
    if (rc)
        return rc;
    out->root = t.root;
    out->rel = t.rel;
    out->file_id = t.file_id;
    t.root = t.rel = NULL;
    read_target_release(&t);
    return CAIRN_OK;
}

int resolve_files(store *s, const char *const *paths, size_t n, int64_t *ids)
{
    for (size_t i = 0; i < n; i++) {
        resolved_file f;
        int rc = resolve_file(s, paths[i], &f);
        if (rc)
            return err_wrap(rc, "focus %s", paths[i]);
        ids[i] = f.file_id;
        resolved_file_release(&f);
    }
    return CAIRN_OK;
}
