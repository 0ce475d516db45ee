/*
 * handlers_nav.c — the navigation tools: find_symbol, find_references and
 * outline, answered by query/symbols.h in the JSON shapes of query/json.h
 * (the CLI's --json), each with a text rendering for a model.
 */
#include "mcp/handlers.h"
#include "query/json.h"
#include "query/read.h"
#include "query/symbols.h"
#include "store/symbols.h"
#include "util/err.h"

#include <stdlib.h>
#include <string.h>

#define REFS_DEFAULT 100
#define SIG_COLS 160

static void first_line(buf *b, const char *prefix, const char *text)
{
    if (!text || !*text)
        return;
    while (*text == ' ' || *text == '\n' || *text == '\t' || *text == '\r')
        text++;
    size_t n = strcspn(text, "\r\n");
    buf_printf(b, "%s%.*s%s\n", prefix, (int)(n > SIG_COLS ? SIG_COLS : n), text, n > SIG_COLS ? "…" : "");
}

int handlers_find_symbol(tool_call *c, tool_output *out)
{
    const char *name = handlers_arg_str(c->args, "name");
    const char *kind = handlers_arg_str(c->args, "kind");
    int k = handlers_arg_int(c->args, "k", SYMBOLS_DEFAULT_LIMIT);
    store_sym_list defs;
    store_sym_list_init(&defs);
    enum symbols_match how = SYMBOLS_EXACT;
    int rc = symbols_find(c->s, name, kind, k, &defs, &how);
    if (rc) {
        store_sym_list_release(&defs);
        return rc == CAIRN_ERR_INVALID ? err_wrap(rc, "give a plain or qualified name") : rc;
    }
    out->structured = cJSON_CreateObject();
    cJSON *arr = out->structured ? cJSON_AddArrayToObject(out->structured, "definitions") : NULL;
    if (arr)
        cJSON_AddStringToObject(out->structured, "match", symbols_match_name(how));
    for (size_t i = 0; arr && i < defs.n; i++) {
        const store_sym *y = &defs.items[i];
        cJSON *o = qjson_sym(y, symbols_match_name(how));
        if (!o || !cJSON_AddItemToArray(arr, o)) {
            cJSON_Delete(o);
            arr = NULL;
            break;
        }
        buf_printf(&out->text, "%s/%s:%d  %s  %s\n", y->root, y->path, y->start_line, y->kind, y->qualname);
        first_line(&out->text, "    ", y->signature);
        first_line(&out->text, "    # ", y->doc);
    }
    size_t n = defs.n;
    store_sym_list_release(&defs);
    if (!arr)
        return err_set(CAIRN_ERR_NOMEM, "out of memory listing definitions");
    if (n == 0)
        buf_printf(&out->text, "No definition matches \"%s\"%s. Try a shorter name, another "
                   "spelling, or search for words the code would contain.", name,
                   kind ? " of that kind" : "");
    else if (how != SYMBOLS_EXACT)
        buf_printf(&out->text, "(no exact definition of \"%s\"; these are %s matches)\n", name,
                   symbols_match_name(how));
    return CAIRN_OK;
}

static int callers(tool_call *c, const char *name, const char *kind, int k, tool_output *out)
{
    store_ref_list refs;
    store_ref_list_init(&refs);
    int ndefs = 0;
    int rc = symbols_callers(c->s, name, kind, k, &refs, &ndefs);
    double conf = ndefs > 1 ? 1.0 / ndefs : 1.0;
    cJSON *arr = NULL;
    if (!rc) {
        out->structured = cJSON_CreateObject();
        arr = out->structured ? cJSON_AddArrayToObject(out->structured, "references") : NULL;
        if (!arr)
            rc = err_set(CAIRN_ERR_NOMEM, "out of memory listing references");
        else {
            cJSON_AddStringToObject(out->structured, "direction", "callers");
            cJSON_AddNumberToObject(out->structured, "definitions", ndefs);
        }
    }
    for (size_t i = 0; !rc && i < refs.n; i++) {
        const store_ref *r = &refs.items[i];
        char *text = NULL;
        if (store_line_text(c->s, r->file_id, r->line, &text) == CAIRN_ERR_NOMEM) {
            rc = err_set(CAIRN_ERR_NOMEM, "out of memory");
            break;
        }
        cJSON *o = qjson_ref(r, text, conf);
        if (!o || !cJSON_AddItemToArray(arr, o)) {
            cJSON_Delete(o);
            rc = err_set(CAIRN_ERR_NOMEM, "out of memory listing references");
        } else {
            const char *t = text ? text : "";
            while (*t == ' ' || *t == '\t')
                t++;
            buf_printf(&out->text, "%s/%s:%d  %s  in %s\n    %.*s\n", r->root, r->path, r->line, r->kind,
                       r->caller ? r->caller : "(top level)", SIG_COLS, t);
        }
        free(text);
    }
    if (!rc && refs.n == 0)
        buf_printf(&out->text, "No references to \"%s\" in the index.%s", name,
                   ndefs ? "" : " No definition has that name either; try find_symbol for the "
                                "exact spelling.");
    else if (!rc && ndefs > 1)
        buf_printf(&out->text, "(%d definitions share this name: each reference may mean any of "
                   "them)\n", ndefs);
    store_ref_list_release(&refs);
    return rc;
}

static int callees(tool_call *c, const char *name, int k, tool_output *out)
{
    symbols_callee_list cl;
    int rc = symbols_callees(c->s, name, k, &cl);
    cJSON *arr = NULL;
    if (!rc) {
        out->structured = cJSON_CreateObject();
        arr = out->structured ? cJSON_AddArrayToObject(out->structured, "callees") : NULL;
        if (!arr)
            rc = err_set(CAIRN_ERR_NOMEM, "out of memory listing callees");
        else
            cJSON_AddStringToObject(out->structured, "direction", "callees");
    }
    for (size_t i = 0; !rc && i < cl.n; i++) {
        const symbols_callee *e = &cl.items[i];
        cJSON *o = qjson_callee(e);
        if (!o || !cJSON_AddItemToArray(arr, o)) {
            cJSON_Delete(o);
            rc = err_set(CAIRN_ERR_NOMEM, "out of memory listing callees");
            break;
        }
        if (e->target)
            buf_printf(&out->text, "%-8s %s  -> %s/%s:%d %s%s\n", e->ref.kind, e->ref.name, e->target->root,
                       e->target->path, e->target->start_line, e->target->qualname,
                       e->confidence < 1 ? " (ambiguous)" : "");
        else
            buf_printf(&out->text, "%-8s %s  (not defined in the index)\n", e->ref.kind, e->ref.name);
    }
    if (!rc && cl.n == 0)
        buf_printf(&out->text, "No references made by a definition named \"%s\". Check the name "
                   "with find_symbol.", name);
    symbols_callee_list_release(&cl);
    return rc;
}

int handlers_find_references(tool_call *c, tool_output *out)
{
    const char *name = handlers_arg_str(c->args, "name");
    const char *dir = handlers_arg_str(c->args, "direction");
    int k = handlers_arg_int(c->args, "k", REFS_DEFAULT);
    if (dir && strcmp(dir, "callees") == 0)
        return callees(c, name, k, out);
    return callers(c, name, handlers_arg_str(c->args, "kind"), k, out);
}

int handlers_outline(tool_call *c, tool_output *out)
{
    read_target t;
    int rc = read_resolve(c->s, handlers_arg_str(c->args, "path"), &t);
    if (rc)
        return rc;
    store_sym_list l;
    store_sym_list_init(&l);
    rc = store_symbols_of_file(c->s, t.file_id, &l);
    cJSON *top = NULL;
    if (!rc) {
        out->structured = cJSON_CreateObject();
        top = out->structured ? cJSON_AddArrayToObject(out->structured, "symbols") : NULL;
        if (!top)
            rc = err_set(CAIRN_ERR_NOMEM, "out of memory");
        else {
            cJSON_AddStringToObject(out->structured, "path", t.rel);
            cJSON_AddStringToObject(out->structured, "root", t.root);
        }
    }
    /* Definitions come in source order, parents before children: a stack
     * of open definitions gives each its place in the tree. */
    enum { MAX_DEPTH = 32 };
    cJSON *stack[MAX_DEPTH];
    int64_t ids[MAX_DEPTH];
    int depth = 0;
    for (size_t i = 0; !rc && i < l.n; i++) {
        const store_sym *y = &l.items[i];
        while (depth > 0 && ids[depth - 1] != y->parent_id)
            depth--;
        cJSON *o = qjson_sym(y, NULL);
        cJSON *kids = o ? cJSON_AddArrayToObject(o, "children") : NULL;
        cJSON *into = depth ? cJSON_GetObjectItemCaseSensitive(stack[depth - 1], "children") : top;
        if (!kids || !cJSON_AddItemToArray(into, o)) {
            cJSON_Delete(o);
            rc = err_set(CAIRN_ERR_NOMEM, "out of memory");
            break;
        }
        buf_printf(&out->text, "%5d  %*s%-9s %.*s\n", y->start_line, depth * 2, "", y->kind, SIG_COLS,
                   y->signature && *y->signature ? y->signature : y->name);
        if (depth < MAX_DEPTH) {
            stack[depth] = o;
            ids[depth++] = y->id;
        }
    }
    if (!rc && l.n == 0)
        buf_printf(&out->text, "%s has no definitions in the index (prose, data, or a language "
                   "without a grammar); use read to see it.", t.rel);
    store_sym_list_release(&l);
    read_target_release(&t);
    return rc;
}
