/*
 * resources.c — indexed files as MCP resources (see resources.h).
 */
#include "mcp/resources.h"

#include "indexer/lang.h"
#include "mcp/protocol.h"
#include "query/read.h"
#include "util/buf.h"
#include "util/err.h"

#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ROOT_NAME_MAX 256

/* MIME types of the languages a client is likely to render specially;
 * every other indexed file is text/plain. */
static const struct {
    const char *lang, *mime;
} mime_types[] = {
    {"markdown", "text/markdown"},      {"html", "text/html"},
    {"css", "text/css"},                {"javascript", "text/javascript"},
    {"typescript", "text/x-typescript"}, {"python", "text/x-python"},
    {"c", "text/x-c"},                  {"cpp", "text/x-c++"},
    {"java", "text/x-java"},            {"go", "text/x-go"},
    {"rust", "text/x-rust"},            {"ruby", "text/x-ruby"},
    {"bash", "text/x-shellscript"},     {"json", "application/json"},
    {"yaml", "application/yaml"},       {"toml", "application/toml"},
    {"xml", "application/xml"},         {"sql", "application/sql"},
    {"rst", "text/x-rst"},              {"org", "text/x-org"},
};

static const char *mime_of(const char *lang)
{
    for (size_t i = 0; lang && i < sizeof mime_types / sizeof mime_types[0]; i++)
        if (strcmp(mime_types[i].lang, lang) == 0)
            return mime_types[i].mime;
    return "text/plain";
}

/* Names of the roots for URIs: the last path component, made unique by
 * order of the roots.  names[i] has room for ROOT_NAME_MAX bytes. */
static void root_names(const store_root *roots, size_t n, char (*names)[ROOT_NAME_MAX])
{
    for (size_t i = 0; i < n; i++) {
        const char *slash = strrchr(roots[i].path, '/');
        const char *base = slash && slash[1] ? slash + 1 : "root";
        snprintf(names[i], ROOT_NAME_MAX, "%s", base);
        for (int k = 2; k < INT_MAX; k++) {
            size_t j = 0;
            while (j < i && strcmp(names[j], names[i]) != 0)
                j++;
            if (j == i)
                break;
            snprintf(names[i], ROOT_NAME_MAX, "%.200s-%d", base, k);
        }
    }
}

static int unreserved(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
           c == '-' || c == '.' || c == '_' || c == '~' || c == '/';
}

static int encode_path(buf *b, const char *p)
{
    static const char hex[] = "0123456789ABCDEF";
    int rc = CAIRN_OK;
    for (const unsigned char *c = (const unsigned char *)p; *c && !rc; c++)
        rc = unreserved(*c) ? buf_putc(b, (char)*c)
                            : buf_printf(b, "%%%c%c", hex[*c >> 4], hex[*c & 15]);
    return rc;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Percent-decode s into out (room for n bytes). */
static int decode_path(const char *s, char *out, size_t n)
{
    size_t w = 0;
    for (const char *c = s; *c; c++) {
        char v = *c;
        if (*c == '%') {
            int hi = hexval(c[1]), lo = hi < 0 ? -1 : hexval(c[2]);
            if (hi < 0 || lo < 0 || (hi == 0 && lo == 0))
                return err_set(CAIRN_ERR_INVALID, "bad percent-encoding in the URI");
            v = (char)(hi << 4 | lo);
            c += 2;
        } else if (*c == '?' || *c == '#') {
            return err_set(CAIRN_ERR_INVALID, "cairn://file/ URIs take no query or fragment");
        }
        if (w + 1 >= n)
            return err_set(CAIRN_ERR_INVALID, "the URI's path is too long");
        out[w++] = v;
    }
    out[w] = '\0';
    if (w == 0)
        return err_set(CAIRN_ERR_INVALID, "the URI names no file: cairn://file/<path>");
    return CAIRN_OK;
}

/* ---- resources/list ---- */

typedef struct entry {
    char *path;
    const char *mime;
    int64_t size;
} entry;

typedef struct entries {
    entry *v;
    size_t n, cap;
    const char *after; /* keep only paths sorting after this, or NULL */
} entries;

static int collect(void *ctx, const store_file *f)
{
    entries *e = ctx;
    if (e->after && strcmp(f->path, e->after) <= 0)
        return 0;
    if (e->n == e->cap) {
        size_t cap = e->cap ? e->cap * 2 : 256;
        entry *nv = realloc(e->v, cap * sizeof *nv);
        if (!nv)
            return err_set(CAIRN_ERR_NOMEM, "out of memory listing files");
        e->v = nv;
        e->cap = cap;
    }
    e->v[e->n].path = strdup(f->path);
    if (!e->v[e->n].path)
        return err_set(CAIRN_ERR_NOMEM, "out of memory listing files");
    e->v[e->n].mime = mime_of(f->lang);
    e->v[e->n].size = f->size;
    e->n++;
    return 0;
}

static void entries_release(entries *e)
{
    for (size_t i = 0; i < e->n; i++)
        free(e->v[i].path);
    free(e->v);
    e->v = NULL;
    e->n = e->cap = 0;
}

static int by_path(const void *a, const void *b)
{
    return strcmp(((const entry *)a)->path, ((const entry *)b)->path);
}

static int any_file(void *ctx, const store_file *f)
{
    (void)ctx;
    (void)f;
    return 1;
}

static cJSON *resource_item(const char *root_name, const entry *e, int rev)
{
    buf uri, name;
    buf_init(&uri, 4 * PATH_MAX);
    buf_init(&name, 2 * PATH_MAX);
    int rc = buf_puts(&uri, RESOURCES_SCHEME);
    if (!rc && root_name)
        rc = encode_path(&uri, root_name);
    if (!rc && root_name)
        rc = buf_putc(&uri, '/');
    if (!rc)
        rc = encode_path(&uri, e->path);
    if (!rc && root_name)
        rc = buf_printf(&name, "%s/", root_name);
    if (!rc)
        rc = buf_puts(&name, e->path);
    cJSON *o = rc ? NULL : cJSON_CreateObject();
    if (o) {
        cJSON_AddStringToObject(o, "uri", buf_str(&uri));
        cJSON_AddStringToObject(o, "name", buf_str(&name));
        cJSON_AddStringToObject(o, "mimeType", e->mime);
        if (rev >= MCP_REV_2025_03_26)
            cJSON_AddNumberToObject(o, "size", (double)e->size);
    }
    buf_release(&uri);
    buf_release(&name);
    return o;
}

/* Where a cursor says to resume: the root's index in roots and the last
 * path sent (malloc'd). */
static int resume_point(const char *cursor, const store_root *roots, size_t n, size_t *ri,
                        char **after)
{
    char *pos = NULL;
    int rc = proto_cursor_decode(cursor, "files", &pos);
    if (rc)
        return rc;
    char *colon = strchr(pos, ':'), *end = NULL;
    long long id = colon ? strtoll(pos, &end, 10) : 0;
    for (*ri = 0; colon && end == colon && *ri < n; (*ri)++)
        if (roots[*ri].id == id)
            break;
    if (!colon || end != colon || *ri == n) {
        free(pos);
        return err_set(CAIRN_ERR_INVALID, "the cursor names a root that is no longer "
                       "indexed; list again without a cursor");
    }
    memmove(pos, colon + 1, strlen(colon + 1) + 1);
    *after = pos;
    return CAIRN_OK;
}

/* 1 when a root after ri holds a file. */
static int more_roots(store *s, const store_root *roots, size_t n, size_t ri)
{
    for (size_t i = ri + 1; i < n; i++)
        if (store_files_each(s, roots[i].id, any_file, NULL) == 1)
            return 1;
    return 0;
}

static int list_page(store *s, const store_root *roots, size_t n, size_t ri, char *after,
                     size_t page, int rev, cJSON *arr, char **next)
{
    char(*names)[ROOT_NAME_MAX] = calloc(n ? n : 1, sizeof *names);
    if (!names)
        return err_set(CAIRN_ERR_NOMEM, "out of memory");
    root_names(roots, n, names);
    size_t sent = 0;
    int rc = CAIRN_OK;
    for (; ri < n && !rc && !*next; ri++) {
        entries e = {.after = after};
        rc = store_files_each(s, roots[ri].id, collect, &e);
        after = NULL;
        if (!rc)
            qsort(e.v, e.n, sizeof *e.v, by_path);
        size_t i = 0;
        for (; !rc && i < e.n && sent < page; i++, sent++) {
            cJSON *item = resource_item(n > 1 ? names[ri] : NULL, &e.v[i], rev);
            if (!item || !cJSON_AddItemToArray(arr, item)) {
                cJSON_Delete(item);
                rc = err_set(CAIRN_ERR_NOMEM, "out of memory");
            }
        }
        if (!rc && sent == page && i > 0 && (i < e.n || more_roots(s, roots, n, ri))) {
            char *pos = NULL;
            if (asprintf(&pos, "%" PRId64 ":%s", roots[ri].id, e.v[i - 1].path) < 0)
                rc = err_set(CAIRN_ERR_NOMEM, "out of memory");
            else
                rc = proto_cursor_encode("files", pos, next);
            free(pos);
        }
        entries_release(&e);
    }
    free(names);
    return rc;
}

int resources_list(store *s, const char *cursor, size_t page_size, int rev, cJSON **result)
{
    *result = NULL;
    store_root *roots = NULL;
    size_t n = 0, ri = 0;
    char *after = NULL, *next = NULL;
    int rc = store_roots_list(s, &roots, &n);
    if (!rc && cursor)
        rc = resume_point(cursor, roots, n, &ri, &after);
    cJSON *r = rc ? NULL : cJSON_CreateObject();
    cJSON *arr = r ? cJSON_AddArrayToObject(r, "resources") : NULL;
    if (!rc && !arr)
        rc = err_set(CAIRN_ERR_NOMEM, "out of memory");
    if (!rc)
        rc = list_page(s, roots, n, ri, after, page_size ? page_size : 1, rev, arr, &next);
    if (!rc && next)
        cJSON_AddStringToObject(r, "nextCursor", next);
    free(next);
    free(after);
    store_roots_free(roots, n);
    if (rc) {
        cJSON_Delete(r);
        return rc;
    }
    *result = r;
    return CAIRN_OK;
}

/* ---- resources/read ---- */

/* Resolve the decoded path of a URI: "<root name>/<path>" when the first
 * component names a root of a several-root index, else as `read` does. */
static int resolve_uri_path(store *s, const char *path, read_target *t)
{
    store_root *roots = NULL;
    size_t n = 0;
    int rc = store_roots_list(s, &roots, &n);
    if (rc)
        return rc;
    const char *slash = strchr(path, '/');
    size_t first = slash ? (size_t)(slash - path) : 0;
    char(*names)[ROOT_NAME_MAX] = n > 1 ? calloc(n, sizeof *names) : NULL;
    if (n > 1 && !names)
        rc = err_set(CAIRN_ERR_NOMEM, "out of memory");
    if (names && first > 0) {
        root_names(roots, n, names);
        for (size_t i = 0; i < n; i++) {
            if (strlen(names[i]) == first && strncmp(names[i], path, first) == 0) {
                rc = read_resolve_in(s, &roots[i], slash + 1, t);
                free(names);
                store_roots_free(roots, n);
                return rc;
            }
        }
    }
    free(names);
    store_roots_free(roots, n);
    return rc ? rc : read_resolve(s, path, t);
}

int resources_read(store *s, const char *uri, cJSON **result)
{
    *result = NULL;
    size_t np = strlen(RESOURCES_SCHEME);
    if (strncmp(uri, RESOURCES_SCHEME, np) != 0)
        return err_set(CAIRN_ERR_INVALID,
                       "cairn serves only cairn://file/<path> URIs, not '%.200s'", uri);
    char path[PATH_MAX];
    int rc = decode_path(uri + np, path, sizeof path);
    if (rc)
        return rc;
    read_target t;
    if ((rc = resolve_uri_path(s, path, &t)))
        return rc;
    read_span sp;
    rc = read_span_get(&t, 0, 0, READ_MAX_LINES, READ_MAX_BYTES, &sp);
    if (rc) {
        read_target_release(&t);
        return rc;
    }
    cJSON *r = cJSON_CreateObject();
    cJSON *contents = cJSON_AddArrayToObject(r, "contents");
    cJSON *c = cJSON_CreateObject();
    if (!r || !contents || !c || !cJSON_AddItemToArray(contents, c)) {
        cJSON_Delete(c);
        rc = err_set(CAIRN_ERR_NOMEM, "out of memory");
    } else {
        cJSON_AddStringToObject(c, "uri", uri);
        cJSON_AddStringToObject(c, "mimeType", mime_of(lang_detect(t.rel, NULL, 0)->name));
        cJSON_AddStringToObject(c, "text", sp.text);
        if (sp.truncated) {
            cJSON *meta = cJSON_AddObjectToObject(c, "_meta");
            cJSON_AddBoolToObject(meta, "cairn/truncated", 1);
            cJSON_AddNumberToObject(meta, "cairn/endLine", sp.end_line);
            cJSON_AddNumberToObject(meta, "cairn/totalLines", sp.total_lines);
        }
    }
    read_span_release(&sp);
    read_target_release(&t);
    if (rc) {
        cJSON_Delete(r);
        return rc;
    }
    *result = r;
    return CAIRN_OK;
}

int resources_templates(int rev, cJSON **result)
{
    cJSON *r = cJSON_CreateObject();
    cJSON *arr = cJSON_AddArrayToObject(r, "resourceTemplates");
    cJSON *t = cJSON_CreateObject();
    if (!r || !arr || !t || !cJSON_AddItemToArray(arr, t)) {
        cJSON_Delete(r);
        cJSON_Delete(t);
        *result = NULL;
        return err_set(CAIRN_ERR_NOMEM, "out of memory");
    }
    cJSON_AddStringToObject(t, "uriTemplate", RESOURCES_SCHEME "{path}");
    cJSON_AddStringToObject(t, "name", "file");
    if (rev >= MCP_REV_2025_06_18)
        cJSON_AddStringToObject(t, "title", "Indexed file");
    cJSON_AddStringToObject(t, "description",
                            "The text of an indexed file. path is relative to its root, "
                            "prefixed with the root's name when the index has several roots "
                            "(as resources/list shows); the same paths the read tool accepts "
                            "work too.  At most 2000 lines or 256 KiB are returned.");
    *result = r;
    return CAIRN_OK;
}
