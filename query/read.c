/*
 * read.c — root-confined, bounded reading of indexed files (see read.h).
 */
#include "query/read.h"

#include "indexer/textfile.h"
#include "store/symbols.h"
#include "util/buf.h"
#include "util/err.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* How a refusal tells the caller what a good path looks like. */
#define READ_HINT "give a path relative to an indexed root (as search results show it) " \
                  "or an absolute path inside one"

static int has_dotdot(const char *path)
{
    for (const char *p = path; *p;) {
        const char *slash = strchr(p, '/');
        size_t n = slash ? (size_t)(slash - p) : strlen(p);
        if (n == 2 && p[0] == '.' && p[1] == '.')
            return 1;
        if (!slash)
            break;
        p = slash + 1;
    }
    return 0;
}

/* The part of path under root ("" for the root itself), or NULL when path
 * is not root or below it.  The '/' check keeps /srv/a from matching
 * /srv/ab. */
static const char *under(const char *path, const char *root)
{
    size_t n = strlen(root);
    if (n == 1 && root[0] == '/')
        return path[0] == '/' ? path + 1 : NULL;
    if (strncmp(path, root, n) != 0)
        return NULL;
    if (path[n] == '\0')
        return path + n;
    return path[n] == '/' ? path + n + 1 : NULL;
}

/* Fill out when rel is an indexed file of root; CAIRN_ERR_NOTFOUND when it
 * is not. */
static int indexed_file(store *s, const store_root *root, const char *rel, read_target *out)
{
    int rc = store_file_id(s, root->path, rel, &out->file_id);
    if (rc == CAIRN_ERR_NOTFOUND)
        return err_set(CAIRN_ERR_NOTFOUND, "%s/%s is not in the index (ignored, skipped, or "
                       "added after the last index run)", root->path, rel);
    if (rc)
        return rc;
    out->root_id = root->id;
    out->root = strdup(root->path);
    out->rel = strdup(rel);
    if (!out->root || !out->rel)
        return err_set(CAIRN_ERR_NOMEM, "out of memory");
    return CAIRN_OK;
}

/* Check that the resolved path real lies inside root and is indexed
 * there.  CAIRN_ERR_PERM when it leads out of root. */
static int accept_in_root(store *s, const store_root *root, const char *shown, char *real,
                          read_target *out)
{
    char *root_real = realpath(root->path, NULL);
    if (!root_real)
        return err_set(CAIRN_ERR_NOTFOUND, "the indexed root %s is gone: %s", root->path,
                       strerror(errno));
    const char *rel = under(real, root_real);
    int rc;
    if (!rel)
        rc = err_set(CAIRN_ERR_PERM, "%s leads outside the indexed root %s through a "
                     "symbolic link; " READ_HINT, shown, root->path);
    else if (!*rel)
        rc = err_set(CAIRN_ERR_NOTFOUND, "%s is the root directory itself, not a file", shown);
    else
        rc = indexed_file(s, root, rel, out);
    free(root_real);
    if (rc) {
        read_target_release(out);
        free(real);
        return rc;
    }
    out->real = real;
    return CAIRN_OK;
}

static int check_path_text(const char *path)
{
    if (!path || !*path)
        return err_set(CAIRN_ERR_INVALID, "empty path; " READ_HINT);
    if (strlen(path) >= PATH_MAX)
        return err_set(CAIRN_ERR_INVALID, "path is longer than %d bytes", PATH_MAX - 1);
    if (has_dotdot(path))
        return err_set(CAIRN_ERR_PERM, "'%s' contains a '..' component, which is never "
                       "accepted; " READ_HINT, path);
    return CAIRN_OK;
}

int read_resolve_in(store *s, const store_root *root, const char *rel, read_target *out)
{
    memset(out, 0, sizeof *out);
    int rc = check_path_text(rel);
    if (rc)
        return rc;
    while (*rel == '/')
        rel++;
    char cand[PATH_MAX * 2];
    snprintf(cand, sizeof cand, "%s/%s", root->path, rel);
    char *real = realpath(cand, NULL);
    if (!real)
        return err_set(CAIRN_ERR_NOTFOUND, "%s: no such file under %s", rel, root->path);
    return accept_in_root(s, root, rel, real, out);
}

static int resolve_absolute(store *s, const store_root *roots, size_t n, const char *path,
                            read_target *out)
{
    const store_root *root = NULL;
    for (size_t i = 0; i < n && !root; i++)
        if (under(path, roots[i].path))
            root = &roots[i];
    if (!root)
        return err_set(CAIRN_ERR_PERM, "%s is outside the indexed roots; " READ_HINT, path);
    char *real = realpath(path, NULL);
    if (!real)
        return err_set(CAIRN_ERR_NOTFOUND, "%s: no such file", path);
    /* A link may lead into another root; what counts is where it lands. */
    for (size_t i = 0; i < n; i++)
        if (under(real, roots[i].path))
            return accept_in_root(s, &roots[i], path, real, out);
    return accept_in_root(s, root, path, real, out);
}

static int resolve_relative(store *s, const store_root *roots, size_t n, const char *path,
                            read_target *out)
{
    int refused = CAIRN_OK;
    char why[512] = "";
    for (size_t i = 0; i < n; i++) {
        int rc = read_resolve_in(s, &roots[i], path, out);
        if (rc == CAIRN_OK)
            return CAIRN_OK;
        if (rc != CAIRN_ERR_NOTFOUND && rc != CAIRN_ERR_PERM)
            return rc;
        /* A refusal outranks "not here": it is what the caller must fix. */
        if (rc == CAIRN_ERR_PERM || !refused) {
            refused = rc;
            snprintf(why, sizeof why, "%s", err_msg());
        }
    }
    if (n == 1 || refused == CAIRN_ERR_PERM)
        return err_set(refused, "%s", why);
    return err_set(CAIRN_ERR_NOTFOUND, "%s is not an indexed file under any of the %zu roots; "
                   READ_HINT, path, n);
}

int read_resolve(store *s, const char *path, read_target *out)
{
    memset(out, 0, sizeof *out);
    int rc = check_path_text(path);
    if (rc)
        return rc;
    store_root *roots = NULL;
    size_t n = 0;
    if ((rc = store_roots_list(s, &roots, &n)))
        return rc;
    if (n == 0)
        rc = err_set(CAIRN_ERR_NOTFOUND, "the index has no roots yet");
    else if (path[0] == '/')
        rc = resolve_absolute(s, roots, n, path, out);
    else
        rc = resolve_relative(s, roots, n, path, out);
    store_roots_free(roots, n);
    return rc;
}

void read_target_release(read_target *t)
{
    if (!t)
        return;
    free(t->root);
    free(t->rel);
    free(t->real);
    memset(t, 0, sizeof *t);
}

/* Offset just past the line that starts at i: after "\n", "\r\n", a lone
 * "\r", or at len. */
static size_t line_end(const char *p, size_t len, size_t i)
{
    while (i < len && p[i] != '\n' && p[i] != '\r')
        i++;
    if (i < len && p[i] == '\r' && i + 1 < len && p[i + 1] == '\n')
        return i + 2;
    return i < len ? i + 1 : len;
}

static int count_lines(const char *p, size_t len)
{
    int n = 0;
    for (size_t i = 0; i < len; i = line_end(p, len, i))
        n++;
    return n;
}

/* The longest prefix of p[0..max) that does not split a UTF-8 character. */
static size_t char_boundary(const char *p, size_t max)
{
    while (max > 0 && ((unsigned char)p[max] & 0xc0) == 0x80)
        max--;
    return max;
}

int read_span_get(const read_target *t, int start_line, int end_line, size_t max_lines,
                  size_t max_bytes, read_span *out)
{
    memset(out, 0, sizeof *out);
    if (start_line < 0 || end_line < 0)
        return err_set(CAIRN_ERR_INVALID, "line numbers start at 1");
    if (start_line == 0)
        start_line = 1;
    if (end_line && end_line < start_line)
        return err_set(CAIRN_ERR_INVALID, "end_line %d is before start_line %d", end_line,
                       start_line);
    buf b;
    buf_init(&b, 0);
    int rc = textfile_read(t->real, READ_MAX_FILE_BYTES, &b, NULL);
    if (rc) {
        buf_release(&b);
        return rc;
    }
    const char *p = buf_str(&b);
    size_t len = b.len;
    int total = count_lines(p, len);
    if (start_line > total && !(total == 0 && start_line == 1)) {
        buf_release(&b);
        return err_set(CAIRN_ERR_INVALID, "start_line %d is past the end of %s (%d lines)",
                       start_line, t->rel, total);
    }
    int want_end = end_line == 0 || end_line > total ? total : end_line;
    size_t begin = 0;
    for (int line = 1; line < start_line; line++)
        begin = line_end(p, len, begin);
    size_t stop = begin;
    int lines = 0, truncated = 0;
    while (start_line + lines <= want_end) {
        size_t next = line_end(p, len, stop);
        if ((size_t)lines >= max_lines) {
            truncated = 1;
            break;
        }
        if (next - begin > max_bytes) {
            truncated = 1;
            if (lines == 0) {
                stop = begin + char_boundary(p + begin, max_bytes);
                lines = 1;
            }
            break;
        }
        stop = next;
        lines++;
    }
    out->text = malloc(stop - begin + 1);
    if (!out->text) {
        buf_release(&b);
        return err_set(CAIRN_ERR_NOMEM, "out of memory reading %s", t->rel);
    }
    memcpy(out->text, p + begin, stop - begin);
    out->text[stop - begin] = '\0';
    out->len = stop - begin;
    out->start_line = start_line;
    out->end_line = start_line + lines - 1;
    out->total_lines = total;
    out->truncated = truncated;
    buf_release(&b);
    return CAIRN_OK;
}

void read_span_release(read_span *sp)
{
    if (!sp)
        return;
    free(sp->text);
    memset(sp, 0, sizeof *sp);
}
