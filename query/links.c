/*
 * links.c — resolving stored links against the index: outgoing and
 * incoming links of one document.
 */
#include "query/links.h"
#include "store/docs.h"
#include "util/buf.h"
#include "util/err.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define URL_MAX_SEGMENTS 6

static int exists(store *s, int64_t root_id, const char *path)
{
    int64_t id;
    int rc = store_doc_file_id(s, root_id, path, &id);
    return rc == CAIRN_OK ? 1 : rc == CAIRN_ERR_NOTFOUND ? 0 : rc;
}

/* base + suffix, when that file is indexed: *out gets it (malloc'd).
 * Returns 1 found, 0 not, <0 error. */
static int try_path(store *s, int64_t root_id, const char *base, size_t bn, const char *suffix,
                    char **out)
{
    buf b;
    buf_init(&b, 0);
    int rc = buf_append(&b, base, bn);
    if (!rc)
        rc = buf_puts(&b, suffix);
    if (!rc && (rc = exists(s, root_id, buf_str(&b))) == 1 && !(*out = buf_detach(&b)))
        rc = err_set(CAIRN_ERR_NOMEM, "out of memory resolving a link");
    buf_release(&b);
    return rc;
}

static const char *base_name(const char *p)
{
    const char *slash = strrchr(p, '/');
    return slash ? slash + 1 : p;
}

static int has_ext(const char *p)
{
    const char *b = base_name(p), *dot = strrchr(b, '.');
    return dot && dot > b;
}

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && strcasecmp(s + n - k, suffix) == 0;
}

/* A path as written in the archive, with the usual variations. */
static int by_path(store *s, int64_t root_id, const char *p, char **out)
{
    size_t n = strlen(p);
    int rc = try_path(s, root_id, p, n, "", out);
    if (rc)
        return rc;
    if (!has_ext(p) && ((rc = try_path(s, root_id, p, n, ".md", out)) ||
                        (rc = try_path(s, root_id, p, n, ".markdown", out))))
        return rc;
    if (ends_with(p, ".html") && (rc = try_path(s, root_id, p, n - 5, ".md", out)))
        return rc;
    if (ends_with(p, ".htm") && (rc = try_path(s, root_id, p, n - 4, ".md", out)))
        return rc;
    if ((rc = try_path(s, root_id, p, n, "/index.md", out)) ||
        (rc = try_path(s, root_id, p, n, "/README.md", out)))
        return rc;
    return 0;
}

/* The candidate nearest to src: in its folder, else the first (the
 * store lists shortest paths first).  Frees paths. */
static int nearest(char **paths, size_t n, const char *src, char **out)
{
    size_t sd = (size_t)(base_name(src) - src), pick = n;
    for (size_t i = 0; i < n; i++) {
        if (pick == n)
            pick = i;
        if ((size_t)(base_name(paths[i]) - paths[i]) == sd && strncmp(paths[i], src, sd) == 0) {
            pick = i;
            break;
        }
    }
    if (pick < n) {
        *out = paths[pick];
        paths[pick] = NULL;
    }
    store_doc_paths_free(paths, n);
    return pick < n;
}

/* Keep the paths whose folder ends with dir ("[[dir/Note]]"). */
static size_t in_folder(char **paths, size_t n, const char *dir, size_t dn)
{
    size_t keep = 0;
    for (size_t i = 0; i < n; i++) {
        size_t pl = (size_t)(base_name(paths[i]) - paths[i]);
        if (pl >= dn && strncasecmp(paths[i] + pl - dn, dir, dn) == 0 &&
            (pl == dn || paths[i][pl - dn - 1] == '/'))
            paths[keep++] = paths[i];
        else
            free(paths[i]);
    }
    return keep;
}

static int by_name(store *s, int64_t root_id, const char *src, const char *page, char **out,
                   const char **how)
{
    int rc;
    size_t n = strlen(page), sd = (size_t)(base_name(src) - src);
    if ((rc = has_ext(page) ? try_path(s, root_id, page, n, "", out)
                            : try_path(s, root_id, page, n, ".md", out)))
        return rc < 0 ? rc : (*how = "path", 1);
    if (sd) {
        buf b;
        buf_init(&b, 0);
        rc = buf_append(&b, src, sd);
        if (!rc)
            rc = buf_puts(&b, page);
        if (!rc)
            rc = by_path(s, root_id, buf_str(&b), out);
        buf_release(&b);
        if (rc)
            return rc < 0 ? rc : (*how = "path", 1);
    }
    char **paths;
    size_t np;
    const char *stem = base_name(page);
    if ((rc = store_doc_lookup(s, root_id, STORE_DOC_BY_STEM, stem, &paths, &np)))
        return rc;
    if (stem != page)
        np = in_folder(paths, np, page, (size_t)(stem - page));
    if (nearest(paths, np, src, out)) {
        *how = "name";
        return 1;
    }
    if ((rc = store_doc_lookup(s, root_id, STORE_DOC_BY_TITLE, page, &paths, &np)))
        return rc;
    if (nearest(paths, np, src, out)) {
        *how = "title";
        return 1;
    }
    return 0;
}

/* An http(s) URL: a document's canonical URL, else the longest tail of
 * its path (two segments or more) that names a document. */
static int by_url(store *s, int64_t root_id, const char *src, const char *url, char **out)
{
    char **paths;
    size_t np;
    int rc = store_doc_lookup(s, root_id, STORE_DOC_BY_URL, url, &paths, &np);
    if (rc)
        return rc;
    if (nearest(paths, np, src, out))
        return 1;
    const char *p = strstr(url, "://");
    if (!p || (strncasecmp(url, "http", 4) != 0))
        return 0;
    p = strchr(p + 3, '/');
    if (!p)
        return 0;
    size_t n = strcspn(p, "?#");
    while (n && p[n - 1] == '/')
        n--;
    const char *seg[URL_MAX_SEGMENTS + 1];
    size_t nseg = 0;
    for (size_t i = n; i > 0 && nseg <= URL_MAX_SEGMENTS; i--)
        if (p[i - 1] == '/')
            seg[nseg++] = p + i; /* start of a segment, last first */
    for (size_t k = nseg < URL_MAX_SEGMENTS ? nseg : URL_MAX_SEGMENTS; k >= 2; k--) {
        char *tail = strndup(seg[k - 1], (size_t)(p + n - seg[k - 1]));
        if (!tail)
            return err_set(CAIRN_ERR_NOMEM, "out of memory resolving a link");
        rc = by_path(s, root_id, tail, out);
        free(tail);
        if (rc)
            return rc;
    }
    return 0;
}

/* Where link l from document src leads: *out (malloc'd) and *how, or
 * *out NULL. */
static int resolve(store *s, int64_t root_id, const char *src, const store_link_row *l, char **out,
                   const char **how)
{
    *out = NULL;
    *how = NULL;
    int rc;
    if (strcmp(l->kind, "wiki") == 0)
        return l->target_path ? by_name(s, root_id, src, l->target_path, out, how) : 0;
    if (l->target_path) {
        rc = by_path(s, root_id, l->target_path, out);
        if (rc == 1)
            *how = "path";
        return rc;
    }
    rc = by_url(s, root_id, src, l->target, out);
    if (rc == 1)
        *how = "url";
    return rc;
}

/* ---- results ------------------------------------------------------------ */

static void items_free(links_item *v, size_t n)
{
    if (!v)
        return;
    for (size_t i = 0; i < n; i++) {
        free(v[i].path);
        free(v[i].title);
        free(v[i].kind);
        free(v[i].target);
        free(v[i].text);
    }
    free(v);
}

void links_result_release(links_result *r)
{
    if (!r)
        return;
    free(r->root);
    free(r->path);
    free(r->title);
    items_free(r->out, r->nout);
    items_free(r->in, r->nin);
    memset(r, 0, sizeof *r);
}

static int title_of(store *s, int64_t root_id, const char *path, char **title)
{
    *title = NULL;
    int64_t id;
    int rc = store_doc_file_id(s, root_id, path, &id);
    if (rc)
        return rc == CAIRN_ERR_NOTFOUND ? CAIRN_OK : rc;
    store_doc_row row;
    if ((rc = store_doc_get(s, id, &row)))
        return rc == CAIRN_ERR_NOTFOUND ? CAIRN_OK : rc;
    *title = row.title;
    row.title = NULL;
    store_doc_row_release(&row);
    return CAIRN_OK;
}

/* Move a link row's strings into an item. */
static void take(links_item *it, store_link_row *l)
{
    it->line = l->line;
    it->kind = l->kind;
    it->target = l->target;
    it->text = l->text;
    l->kind = l->target = l->text = NULL;
}

static int outgoing(store *s, const resolved_file *t, int64_t root_id, links_result *r)
{
    store_link_row *rows;
    size_t n;
    int rc = store_link_list_from(s, t->file_id, &rows, &n);
    if (rc || n == 0)
        return rc;
    if (!(r->out = calloc(n, sizeof *r->out))) {
        store_link_rows_free(rows, n);
        return err_set(CAIRN_ERR_NOMEM, "out of memory listing links");
    }
    for (size_t i = 0; i < n && !rc; i++) {
        links_item *it = &r->out[r->nout++];
        it->internal = rows[i].target_path != NULL;
        rc = resolve(s, root_id, t->rel, &rows[i], &it->path, &it->how);
        if (rc == 1)
            rc = title_of(s, root_id, it->path, &it->title);
        take(it, &rows[i]);
    }
    store_link_rows_free(rows, n);
    return rc < 0 ? rc : CAIRN_OK;
}

static int incoming(store *s, const resolved_file *t, int64_t root_id, const char *title,
                    const char *url, links_result *r)
{
    const char *b = base_name(t->rel), *dot = strrchr(b, '.');
    char *stem = strndup(b, dot && dot > b ? (size_t)(dot - b) : strlen(b));
    if (!stem)
        return err_set(CAIRN_ERR_NOMEM, "out of memory listing links");
    store_link_row *rows;
    size_t n;
    int rc = store_link_candidates_to(s, root_id, t->rel, stem, title, url, &rows, &n);
    free(stem);
    if (rc || n == 0)
        return rc;
    if (!(r->in = calloc(n, sizeof *r->in))) {
        store_link_rows_free(rows, n);
        return err_set(CAIRN_ERR_NOMEM, "out of memory listing links");
    }
    for (size_t i = 0; i < n && rc >= 0; i++) {
        if (rows[i].file_id == t->file_id)
            continue;
        char *to;
        const char *how;
        if ((rc = resolve(s, root_id, rows[i].path, &rows[i], &to, &how)) < 0)
            break;
        int here = rc == 1 && strcmp(to, t->rel) == 0;
        free(to);
        rc = CAIRN_OK;
        if (!here)
            continue;
        links_item *it = &r->in[r->nin++];
        it->how = how;
        it->path = rows[i].path;
        rows[i].path = NULL;
        take(it, &rows[i]);
        rc = title_of(s, root_id, it->path, &it->title);
    }
    store_link_rows_free(rows, n);
    return rc < 0 ? rc : CAIRN_OK;
}

int links_run(store *s, const resolved_file *t, links_result *r)
{
    memset(r, 0, sizeof *r);
    store_doc_row row;
    int rc = store_doc_get(s, t->file_id, &row);
    if (rc)
        return rc;
    r->root = strdup(t->root);
    r->path = strdup(t->rel);
    r->title = row.title;
    row.title = NULL;
    if (!r->root || !r->path)
        rc = err_set(CAIRN_ERR_NOMEM, "out of memory listing links");
    if (!rc)
        rc = outgoing(s, t, row.root_id, r);
    if (!rc)
        rc = incoming(s, t, row.root_id, r->title, row.url, r);
    store_doc_row_release(&row);
    if (rc)
        links_result_release(r);
    return rc;
}
