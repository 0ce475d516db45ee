/*
 * handlers.c — what cairn's MCP tools do (see handlers.h and the table in
 * tools.c).  Each builds its structured result and a text rendering meant
 * for a model: compact, with the paths and line numbers it needs to call
 * the next tool.
 */
#include "mcp/handlers.h"

#include "indexer/lang.h"
#include "indexer/pipeline.h"
#include "mcp/protocol.h"
#include "query/json.h"
#include "query/read.h"
#include "query/search.h"
#include "util/err.h"
#include "util/humantime.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define SNIPPET_LINES 6
#define SNIPPET_COLS 200
#define MAX_REINDEX_ROOTS 256

static struct {
    store *owner;    /* the handle the dense side was opened through */
    int64_t version; /* its data version then */
    semantic *sem;
    int opened;      /* tried for (owner, version), whatever the outcome */
} dense;

semantic *handlers_semantic(store *s)
{
    int64_t v = 0;
    if (store_data_version(s, &v))
        return NULL;
    if (dense.opened && dense.owner == s && dense.version == v)
        return dense.sem;
    semantic_free(dense.sem);
    dense.sem = NULL;
    int rc = semantic_open(s, &dense.sem);
    if (rc && rc != CAIRN_ERR_NOTFOUND)
        fprintf(stderr, "cairn serve: %s; search is lexical until the index changes\n", err_msg());
    dense.owner = s;
    dense.version = v;
    dense.opened = 1;
    return dense.sem;
}

void handlers_caches_release(void)
{
    semantic_free(dense.sem);
    memset(&dense, 0, sizeof dense);
    handlers_graph_release();
}

const char *handlers_arg_str(const cJSON *args, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(args, key);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

int handlers_arg_int(const cJSON *args, const char *key, int def)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(args, key);
    return cJSON_IsNumber(v) ? (int)cJSON_GetNumberValue(v) : def;
}

static const char *obj_str(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

static int index_has_several_roots(store *s)
{
    store_root *roots = NULL;
    size_t n = 0;
    if (store_roots_list(s, &roots, &n))
        return 0;
    store_roots_free(roots, n);
    return n > 1;
}

/* The first few non-blank lines of a snippet, indented, each cut to
 * SNIPPET_COLS characters. */
static void render_snippet(buf *b, const char *snip)
{
    int lines = 0;
    for (const char *p = snip; *p && lines < SNIPPET_LINES;) {
        const char *eol = strchr(p, '\n');
        size_t len = eol ? (size_t)(eol - p) : strlen(p);
        const char *q = p;
        while (q < p + len && (*q == ' ' || *q == '\t' || *q == '\r'))
            q++;
        if (q < p + len) {
            buf_puts(b, "    ");
            int cols = 0;
            const char *c = p;
            for (; c < p + len; c++) {
                if (((unsigned char)*c & 0xc0) != 0x80 && cols++ == SNIPPET_COLS)
                    break;
                if (*c != '\r')
                    buf_putc(b, *c == '\t' ? ' ' : *c);
            }
            buf_puts(b, c < p + len ? "…\n" : "\n");
            lines++;
        }
        p = eol ? eol + 1 : p + len;
    }
}

static void render_hit(buf *b, const cJSON *h, int full_path)
{
    const char *symbol = obj_str(h, "symbol"), *context = obj_str(h, "context");
    const char *title = obj_str(h, "title"), *date = obj_str(h, "date");
    const char *label = symbol ? symbol : context;
    if (full_path)
        buf_printf(b, "%s/", obj_str(h, "root"));
    buf_printf(b, "%s:%d-%d", obj_str(h, "path"),
               (int)cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(h, "start_line")),
               (int)cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(h, "end_line")));
    if (label)
        buf_printf(b, "  %s", label);
    if (title && (!label || strcmp(title, label) != 0))
        buf_printf(b, "  \"%s\"", title);
    if (date)
        buf_printf(b, "  %s", date);
    buf_printf(b, "  [%s, score %.2f]\n", obj_str(h, "lang"),
               cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(h, "score")));
    render_snippet(b, obj_str(h, "snippet"));
}

int handlers_search(tool_call *c, tool_output *out)
{
    search_opts o = {
        .query = handlers_arg_str(c->args, "query"),
        .k = handlers_arg_int(c->args, "k", SEARCH_DEFAULT_K),
        .path_glob = handlers_arg_str(c->args, "path"),
        .lang = handlers_arg_str(c->args, "language"),
        .kind = handlers_arg_str(c->args, "kind"),
        .since = handlers_arg_str(c->args, "since"),
        .until = handlers_arg_str(c->args, "until"),
        .tag = handlers_arg_str(c->args, "tag"),
        .sem = handlers_semantic(c->s),
    };
    if (o.lang && !lang_by_name(o.lang))
        return err_set(CAIRN_ERR_INVALID, "unknown language '%s'; call index_status for the "
                       "languages in this index (names such as python, c, markdown)", o.lang);
    store_hit *hits = NULL;
    size_t n = 0;
    int rc = search_run(c->s, &o, &hits, &n);
    if (rc == CAIRN_ERR_INVALID || rc == CAIRN_ERR_TOOBIG)
        return err_wrap(rc, "rephrase the query with words or identifiers the text would "
                        "contain");
    if (rc)
        return rc;
    out->structured = cJSON_CreateObject();
    cJSON *arr = cJSON_AddArrayToObject(out->structured, "results");
    for (size_t i = 0; arr && i < n; i++) {
        cJSON *h = qjson_hit(&hits[i]);
        if (!h || !cJSON_AddItemToArray(arr, h)) {
            cJSON_Delete(h);
            arr = NULL;
        }
    }
    store_hits_free(hits, n);
    if (!arr)
        return err_set(CAIRN_ERR_NOMEM, "out of memory building search results");
    if (n == 0) {
        buf_printf(&out->text, "No results for \"%s\"%s. Try other words (identifiers, or "
                   "words the text itself would use), fewer words%s.", o.query,
                   o.path_glob || o.lang || o.kind || o.since || o.until || o.tag ? " with these filters" : "",
                   o.path_glob || o.lang || o.kind || o.since || o.until || o.tag ? ", or drop the filters" : "");
        return CAIRN_OK;
    }
    int full = index_has_several_roots(c->s);
    buf_printf(&out->text, "%zu result%s for \"%s\", best first%s:\n", n, n == 1 ? "" : "s",
               o.query, full ? " (absolute paths)" : " (paths relative to the indexed root)");
    const cJSON *h;
    cJSON_ArrayForEach(h, arr) {
        buf_putc(&out->text, '\n');
        render_hit(&out->text, h, full);
    }
    buf_puts(&out->text, "\nCall read with a path and lines to see more of a result.");
    return CAIRN_OK;
}

int handlers_read(tool_call *c, tool_output *out)
{
    read_target t;
    int rc = read_resolve(c->s, handlers_arg_str(c->args, "path"), &t);
    if (rc)
        return rc;
    read_span sp;
    rc = read_span_get(&t, handlers_arg_int(c->args, "start_line", 0), handlers_arg_int(c->args, "end_line", 0),
                       READ_MAX_LINES, READ_MAX_BYTES, &sp);
    if (rc) {
        read_target_release(&t);
        return rc == CAIRN_ERR_INVALID ? err_wrap(rc, "ask for lines within the file") : rc;
    }
    cJSON *o = out->structured = cJSON_CreateObject();
    if (o) {
        cJSON_AddStringToObject(o, "path", t.rel);
        cJSON_AddStringToObject(o, "root", t.root);
        cJSON_AddNumberToObject(o, "start_line", sp.start_line);
        cJSON_AddNumberToObject(o, "end_line", sp.end_line);
        cJSON_AddNumberToObject(o, "total_lines", sp.total_lines);
        cJSON_AddStringToObject(o, "text", sp.text);
        cJSON_AddBoolToObject(o, "truncated", sp.truncated);
    }
    buf_printf(&out->text, "%s/%s, lines %d-%d of %d", t.root, t.rel, sp.start_line,
               sp.end_line, sp.total_lines);
    if (sp.truncated)
        buf_printf(&out->text, " (cut at %d lines / %zu KiB; continue with start_line=%d)",
                   READ_MAX_LINES, READ_MAX_BYTES >> 10, sp.end_line + 1);
    buf_printf(&out->text, ":\n%s", sp.text);
    read_span_release(&sp);
    read_target_release(&t);
    return o ? CAIRN_OK : err_set(CAIRN_ERR_NOMEM, "out of memory");
}

static int add_root_stats(store *s, const store_root *r, cJSON *arr, buf *text)
{
    store_stats rs;
    int rc = store_stats_get(s, r->id, &rs);
    if (rc)
        return rc;
    cJSON *o = cJSON_CreateObject();
    if (!o || !cJSON_AddItemToArray(arr, o)) {
        cJSON_Delete(o);
        store_stats_release(&rs);
        return err_set(CAIRN_ERR_NOMEM, "out of memory");
    }
    cJSON_AddStringToObject(o, "path", r->path);
    cJSON_AddNumberToObject(o, "files", (double)rs.files);
    cJSON_AddNumberToObject(o, "chunks", (double)rs.chunks);
    cJSON_AddNumberToObject(o, "indexed_at", (double)r->indexed_at);
    char w[96];
    humantime_ago(r->indexed_at, w, sizeof w);
    buf_printf(text, "  %s: %lld files, %lld chunks, indexed %s\n", r->path,
               (long long)rs.files, (long long)rs.chunks, w);
    store_stats_release(&rs);
    return CAIRN_OK;
}

int handlers_index_status(tool_call *c, tool_output *out)
{
    store_root *roots = NULL;
    size_t nroots = 0;
    store_stats st = {0};
    int rc = store_roots_list(c->s, &roots, &nroots);
    if (!rc)
        rc = store_stats_get(c->s, 0, &st);
    cJSON *o = out->structured = cJSON_CreateObject();
    cJSON *jr = cJSON_AddArrayToObject(o, "roots");
    cJSON *jl = cJSON_AddArrayToObject(o, "languages");
    if (!rc && (!o || !jr || !jl))
        rc = err_set(CAIRN_ERR_NOMEM, "out of memory");
    if (!rc) {
        char w[96];
        humantime_ago(st.last_indexed, w, sizeof w);
        cJSON_AddStringToObject(o, "index", c->index_dir);
        cJSON_AddNumberToObject(o, "files", (double)st.files);
        cJSON_AddNumberToObject(o, "chunks", (double)st.chunks);
        cJSON_AddNumberToObject(o, "bytes", (double)st.bytes);
        cJSON_AddNumberToObject(o, "last_indexed", (double)st.last_indexed);
        buf_printf(&out->text, "Index %s: %lld files, %lld chunks, %.1f MB of text; last "
                   "indexed %s.\nRoots (%zu):\n", c->index_dir, (long long)st.files,
                   (long long)st.chunks, (double)st.bytes / (1 << 20), w, nroots);
    }
    for (size_t i = 0; !rc && i < nroots; i++)
        rc = add_root_stats(c->s, &roots[i], jr, &out->text);
    if (!rc && st.nlangs)
        buf_puts(&out->text, "Languages (name for search's language argument, kind, files, "
                 "chunks):\n");
    for (size_t i = 0; !rc && i < st.nlangs; i++) {
        cJSON *l = cJSON_CreateObject();
        if (!l || !cJSON_AddItemToArray(jl, l)) {
            cJSON_Delete(l);
            rc = err_set(CAIRN_ERR_NOMEM, "out of memory");
            break;
        }
        cJSON_AddStringToObject(l, "lang", st.langs[i].lang);
        cJSON_AddStringToObject(l, "kind", st.langs[i].kind);
        cJSON_AddNumberToObject(l, "files", (double)st.langs[i].files);
        cJSON_AddNumberToObject(l, "chunks", (double)st.langs[i].chunks);
        cJSON_AddNumberToObject(l, "bytes", (double)st.langs[i].bytes);
        buf_printf(&out->text, "  %s (%s): %lld files, %lld chunks\n", st.langs[i].lang,
                   st.langs[i].kind, (long long)st.langs[i].files,
                   (long long)st.langs[i].chunks);
    }
    store_stats_release(&st);
    store_roots_free(roots, nroots);
    return rc;
}

/* ---- reindex ---- */

typedef struct reindex_run {
    tool_call *call;
    double before;      /* files looked at in the roots already finished */
    size_t root_no, nroots;
} reindex_run;

static void on_warn(void *ctx, const char *msg)
{
    reindex_run *rr = ctx;
    rr->call->log(rr->call, MCP_LOG_INFO, msg);
}

static void on_progress(void *ctx, int64_t done, int64_t total, const char *path)
{
    reindex_run *rr = ctx;
    char msg[PATH_MAX + 64];
    snprintf(msg, sizeof msg, "root %zu of %zu: %s", rr->root_no + 1, rr->nroots, path);
    rr->call->progress(rr->call, rr->before + (double)done, rr->before + (double)total, msg);
}

static int should_stop(void *ctx)
{
    reindex_run *rr = ctx;
    return rr->call->cancelled(rr->call);
}

/* The root that path names: the root itself, or any path inside it. */
static const store_root *root_for(const store_root *roots, size_t n, const char *path)
{
    char *real = realpath(path, NULL);
    const char *cands[2] = {path, real};
    const store_root *hit = NULL;
    for (size_t c = 0; c < 2 && !hit; c++) {
        if (!cands[c])
            continue;
        for (size_t i = 0; i < n && !hit; i++) {
            size_t len = strlen(roots[i].path);
            if (strncmp(cands[c], roots[i].path, len) == 0 &&
                (cands[c][len] == '\0' || cands[c][len] == '/'))
                hit = &roots[i];
        }
    }
    free(real);
    return hit;
}

/* Which roots to refresh: all, or those the paths argument names, in
 * index order without repeats.  sel[i] set for each chosen root. */
static int choose_roots(const cJSON *paths, const store_root *roots, size_t n, char *sel)
{
    if (!paths) {
        memset(sel, 1, n);
        return CAIRN_OK;
    }
    memset(sel, 0, n);
    const cJSON *p;
    cJSON_ArrayForEach(p, paths) {
        const store_root *r = root_for(roots, n, p->valuestring);
        if (!r) {
            buf known;
            buf_init(&known, 8192);
            for (size_t i = 0; i < n; i++)
                buf_printf(&known, "%s%s", i ? ", " : "", roots[i].path);
            int rc = err_set(CAIRN_ERR_NOTFOUND, "%s is not an indexed root or inside one; the "
                             "roots are: %s. reindex only refreshes existing roots; a new "
                             "directory is added with 'cairn index --index DIR PATH' in a shell",
                             p->valuestring, buf_str(&known));
            buf_release(&known);
            return rc;
        }
        sel[r - roots] = 1;
    }
    return CAIRN_OK;
}

static void reindex_result(tool_output *out, cJSON *done_roots, cJSON *errors,
                           const pipeline_stats *st, double secs)
{
    cJSON *o = out->structured = cJSON_CreateObject();
    if (!o) {
        cJSON_Delete(done_roots);
        cJSON_Delete(errors);
        return;
    }
    int nroots = cJSON_GetArraySize(done_roots), nerr = cJSON_GetArraySize(errors);
    cJSON_AddItemToObject(o, "roots", done_roots);
    cJSON_AddNumberToObject(o, "seen", (double)st->seen);
    cJSON_AddNumberToObject(o, "added", (double)st->added);
    cJSON_AddNumberToObject(o, "updated", (double)st->updated);
    cJSON_AddNumberToObject(o, "unchanged", (double)st->unchanged);
    cJSON_AddNumberToObject(o, "removed", (double)st->removed);
    cJSON_AddNumberToObject(o, "skipped", (double)st->skipped);
    cJSON_AddNumberToObject(o, "chunks", (double)st->chunks);
    cJSON_AddNumberToObject(o, "seconds", (double)(long long)(secs * 1000) / 1000);
    cJSON_AddItemToObject(o, "errors", errors);
    buf_printf(&out->text, "Refreshed %d root%s in %.2f s: %lld files seen, %lld new, %lld "
               "changed, %lld unchanged, %lld removed, %lld skipped; %lld chunks written.",
               nroots, nroots == 1 ? "" : "s", secs, (long long)st->seen,
               (long long)st->added, (long long)st->updated, (long long)st->unchanged,
               (long long)st->removed, (long long)st->skipped, (long long)st->chunks);
    const cJSON *e;
    if (nerr)
        buf_printf(&out->text, "\n%d root%s failed:", nerr, nerr == 1 ? "" : "s");
    cJSON_ArrayForEach(e, errors)
        buf_printf(&out->text, "\n  %s: %s", obj_str(e, "root"), obj_str(e, "message"));
}

static double seconds_since(const struct timespec *t0)
{
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

/* Refresh the chosen roots through w; CAIRN_ERR_CANCELLED when stopped. */
static int refresh(tool_call *c, store *w, const char *index_real, const store_root *roots,
                   size_t n, const char *sel, tool_output *out)
{
    reindex_run rr = {.call = c};
    for (size_t i = 0; i < n; i++)
        rr.nroots += sel[i] != 0;
    pipeline_opts po;
    pipeline_opts_init(&po);
    po.index_dir = index_real;
    po.warn = on_warn;
    po.warn_ctx = &rr;
    po.on_progress = on_progress;
    po.should_stop = should_stop;
    po.cb_ctx = &rr;
    pipeline_stats st = {0};
    cJSON *done = cJSON_CreateArray(), *errors = cJSON_CreateArray();
    if (!done || !errors) {
        cJSON_Delete(done);
        cJSON_Delete(errors);
        return err_set(CAIRN_ERR_NOMEM, "out of memory");
    }
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    int rc = CAIRN_OK;
    for (size_t i = 0; i < n && rc != CAIRN_ERR_CANCELLED; i++) {
        if (!sel[i])
            continue;
        /* Progress at the start of each root, never right before the
         * reply: SDK clients handle notifications a tick later than
         * replies, so one sent just before the reply can arrive "late". */
        char msg[PATH_MAX + 64];
        snprintf(msg, sizeof msg, "root %zu of %zu: %s", rr.root_no + 1, rr.nroots,
                 roots[i].path);
        c->progress(c, rr.before, 0, msg);
        int64_t seen_before = st.seen;
        rc = pipeline_index_root(w, roots[i].path, &po, &st);
        if (rc == CAIRN_ERR_CANCELLED)
            break;
        cJSON_AddItemToArray(done, cJSON_CreateString(roots[i].path));
        if (rc) {
            cJSON *e = cJSON_CreateObject();
            cJSON_AddStringToObject(e, "root", roots[i].path);
            cJSON_AddStringToObject(e, "message", err_msg());
            cJSON_AddItemToArray(errors, e);
            c->log(c, MCP_LOG_ERROR, err_msg());
        }
        rr.before += (double)(st.seen - seen_before);
        rr.root_no++;
    }
    if (rc == CAIRN_ERR_CANCELLED) {
        cJSON_Delete(done);
        cJSON_Delete(errors);
        return rc;
    }
    int nerr = cJSON_GetArraySize(errors);
    if (nerr > 0 && (size_t)nerr == rr.nroots) {
        buf msgs;
        buf_init(&msgs, 16384);
        const cJSON *e;
        cJSON_ArrayForEach(e, errors)
            buf_printf(&msgs, "%s%s", msgs.len ? "; " : "", obj_str(e, "message"));
        rc = err_set(CAIRN_ERR_IO, "%s. Check that the roots still exist and are readable "
                     "(index_status lists them)", buf_str(&msgs));
        buf_release(&msgs);
        cJSON_Delete(done);
        cJSON_Delete(errors);
        return rc;
    }
    reindex_result(out, done, errors, &st, seconds_since(&t0));
    c->log(c, MCP_LOG_NOTICE, buf_str(&out->text));
    return out->structured ? CAIRN_OK : err_set(CAIRN_ERR_NOMEM, "out of memory");
}

int handlers_reindex(tool_call *c, tool_output *out)
{
    store *w = NULL;
    store_root *roots = NULL;
    size_t n = 0;
    char *index_real = realpath(c->index_dir, NULL);
    int rc = index_real ? CAIRN_OK
                        : err_set(CAIRN_ERR_NOTFOUND, "the index directory %s is gone: %s",
                                  c->index_dir, strerror(errno));
    if (!rc) {
        rc = store_open(c->index_dir, STORE_WRITE_WAIT, &w);
        if (rc == CAIRN_ERR_PERM || rc == CAIRN_ERR_BUSY)
            err_wrap(rc, "cannot write the index now; run 'cairn index' in a shell that may "
                     "write it, or try again when the other writer has finished");
    }
    if (!rc)
        rc = store_roots_list(w, &roots, &n);
    if (!rc && n == 0)
        rc = err_set(CAIRN_ERR_NOTFOUND, "the index has no roots yet; add one with 'cairn "
                     "index --index %s PATH' in a shell", c->index_dir);
    if (!rc && n > MAX_REINDEX_ROOTS)
        rc = err_set(CAIRN_ERR_TOOBIG, "the index has %zu roots; at most %d are refreshed "
                     "at once: pass paths", n, MAX_REINDEX_ROOTS);
    char sel[MAX_REINDEX_ROOTS];
    if (!rc)
        rc = choose_roots(cJSON_GetObjectItemCaseSensitive(c->args, "paths"), roots, n, sel);
    if (!rc)
        rc = refresh(c, w, index_real, roots, n, sel, out);
    store_roots_free(roots, n);
    store_close(w);
    free(index_real);
    return rc;
}
