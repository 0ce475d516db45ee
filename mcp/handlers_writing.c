/*
 * handlers_writing.c — the tools for writers: related (notes related to a
 * draft or to an indexed note) and quote (citable passages).
 */
#include "mcp/handlers.h"
#include "query/quote.h"
#include "query/read.h"
#include "query/related.h"
#include "store/store.h"
#include "util/err.h"

#include <stdlib.h>
#include <string.h>

#define DRAFT_MAX_LINES 20000
#define DRAFT_MAX_BYTES ((size_t)1 << 20)

static char *plain(const char *s)
{
    char *out = malloc(strlen(s ? s : "") + 1), *w = out;
    if (!out)
        return NULL;
    for (const char *p = s ? s : ""; *p; p++)
        if (*p != STORE_MARK_OPEN[0] && *p != STORE_MARK_CLOSE[0])
            *w++ = *p;
    *w = '\0';
    return out;
}

static void add_nullable(cJSON *o, const char *key, const char *v)
{
    if (v)
        cJSON_AddStringToObject(o, key, v);
    else
        cJSON_AddNullToObject(o, key);
}

int handlers_related(tool_call *c, tool_output *out)
{
    const char *text = handlers_arg_str(c->args, "text");
    const char *path = handlers_arg_str(c->args, "path");
    if ((text == NULL) == (path == NULL))
        return err_set(CAIRN_ERR_INVALID, "give exactly one of text (a draft) or path (an indexed "
                       "note)");
    read_target t = {0};
    read_span sp = {0};
    int rc = CAIRN_OK;
    related_opts o = {.text = text, .len = text ? strlen(text) : 0,
                      .k = handlers_arg_int(c->args, "k", RELATED_DEFAULT_K)};
    if (path) {
        rc = read_resolve(c->s, path, &t);
        if (!rc)
            rc = read_span_get(&t, 1, 0, DRAFT_MAX_LINES, DRAFT_MAX_BYTES, &sp);
        if (rc) {
            read_target_release(&t);
            return rc;
        }
        o.text = sp.text;
        o.len = sp.len;
        o.exclude_file_id = t.file_id;
    }
    related_hit *hits = NULL;
    size_t n = 0;
    char *terms = NULL;
    rc = related_run(c->s, &o, &hits, &n, &terms);
    cJSON *arr = NULL;
    if (!rc) {
        out->structured = cJSON_CreateObject();
        arr = out->structured ? cJSON_AddArrayToObject(out->structured, "documents") : NULL;
        if (!arr)
            rc = err_set(CAIRN_ERR_NOMEM, "out of memory");
        else
            add_nullable(out->structured, "terms", terms);
    }
    for (size_t i = 0; !rc && i < n; i++) {
        const related_hit *h = &hits[i];
        char *passage = plain(h->passage);
        cJSON *j = cJSON_CreateObject();
        if (!j || !passage || !cJSON_AddItemToArray(arr, j)) {
            cJSON_Delete(j);
            free(passage);
            rc = err_set(CAIRN_ERR_NOMEM, "out of memory");
            break;
        }
        cJSON_AddStringToObject(j, "path", h->path);
        cJSON_AddStringToObject(j, "root", h->root);
        add_nullable(j, "title", h->title);
        add_nullable(j, "date", h->date);
        cJSON_AddNumberToObject(j, "score", h->score);
        cJSON_AddNumberToObject(j, "start_line", h->start_line);
        cJSON_AddNumberToObject(j, "end_line", h->end_line);
        add_nullable(j, "context", h->context);
        cJSON_AddStringToObject(j, "passage", passage);
        buf_printf(&out->text, "%s  \"%s\"%s%s  %s:%d-%d\n    %.300s\n", h->path, h->title ? h->title : "",
                   h->date ? "  " : "", h->date ? h->date : "", h->path, h->start_line, h->end_line,
                   passage);
        free(passage);
    }
    if (!rc && n == 0)
        buf_puts(&out->text, "Nothing related found. A longer draft (a paragraph or more) gives "
                 "more to match.");
    related_hits_free(hits, n);
    free(terms);
    read_span_release(&sp);
    read_target_release(&t);
    return rc;
}

int handlers_quote(tool_call *c, tool_output *out)
{
    quote_opts o = {.query = handlers_arg_str(c->args, "query"),
                    .k = handlers_arg_int(c->args, "k", QUOTE_DEFAULT_K)};
    quote_hit *hits = NULL;
    size_t n = 0;
    int rc = quote_run(c->s, &o, &hits, &n);
    if (rc == CAIRN_ERR_INVALID)
        return err_wrap(rc, "rephrase with words the passage would contain");
    cJSON *arr = NULL;
    if (!rc) {
        out->structured = cJSON_CreateObject();
        arr = out->structured ? cJSON_AddArrayToObject(out->structured, "quotes") : NULL;
        if (!arr)
            rc = err_set(CAIRN_ERR_NOMEM, "out of memory");
    }
    for (size_t i = 0; !rc && i < n; i++) {
        const quote_hit *h = &hits[i];
        cJSON *j = cJSON_CreateObject();
        if (!j || !cJSON_AddItemToArray(arr, j)) {
            cJSON_Delete(j);
            rc = err_set(CAIRN_ERR_NOMEM, "out of memory");
            break;
        }
        cJSON_AddStringToObject(j, "text", h->text);
        cJSON_AddStringToObject(j, "path", h->path);
        cJSON_AddStringToObject(j, "root", h->root);
        add_nullable(j, "title", h->title);
        add_nullable(j, "date", h->date);
        add_nullable(j, "context", h->context);
        cJSON_AddNumberToObject(j, "start_line", h->start_line);
        cJSON_AddNumberToObject(j, "end_line", h->end_line);
        cJSON_AddNumberToObject(j, "score", h->score);
        buf_printf(&out->text, "\"%s\"\n    — %s%s%s, %s:%d-%d\n", h->text, h->title ? h->title : h->path,
                   h->date ? ", " : "", h->date ? h->date : "", h->path, h->start_line, h->end_line);
    }
    if (!rc && n == 0)
        buf_printf(&out->text, "No passage matches \"%s\". Try other words.", o.query);
    quote_hits_free(hits, n);
    return rc;
}
