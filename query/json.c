/*
 * json.c — cJSON renderings of results, one shape per kind of answer.
 */
#include "query/json.h"
#include "util/err.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void add_str_or_null(cJSON *o, const char *key, const char *v)
{
    if (v)
        cJSON_AddStringToObject(o, key, v);
    else
        cJSON_AddNullToObject(o, key);
}

cJSON *qjson_hit(const store_hit *h)
{
    cJSON *o = cJSON_CreateObject();
    const char *snip = h->snippet ? h->snippet : "";
    char *plain = malloc(strlen(snip) + 1);
    if (!o || !plain) {
        cJSON_Delete(o);
        free(plain);
        return NULL;
    }
    char *w = plain;
    for (const char *c = snip; *c; c++)
        if (*c != STORE_MARK_OPEN[0] && *c != STORE_MARK_CLOSE[0])
            *w++ = *c;
    *w = '\0';
    cJSON_AddStringToObject(o, "path", h->path);
    cJSON_AddStringToObject(o, "root", h->root);
    cJSON_AddNumberToObject(o, "start_line", h->start_line);
    cJSON_AddNumberToObject(o, "end_line", h->end_line);
    add_str_or_null(o, "symbol", h->symbol);
    cJSON_AddStringToObject(o, "kind", h->kind);
    cJSON_AddStringToObject(o, "lang", h->lang);
    add_str_or_null(o, "context", h->context);
    add_str_or_null(o, "title", h->title);
    add_str_or_null(o, "date", h->date);
    cJSON_AddNumberToObject(o, "score", (double)(long long)(h->score * 10000) / 10000);
    cJSON_AddStringToObject(o, "snippet", plain);
    cJSON_AddNumberToObject(o, "mtime", (double)(h->mtime_ns / 1000000000));
    free(plain);
    return o;
}

cJSON *qjson_explain(const store_hit *h)
{
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return NULL;
    cJSON_AddNumberToObject(o, "score", h->score);
    if (h->rank_lexical) {
        cJSON *l = cJSON_AddObjectToObject(o, "lexical");
        cJSON_AddNumberToObject(l, "rank", h->rank_lexical);
        cJSON_AddNumberToObject(l, "bm25", h->score_lexical);
    } else {
        cJSON_AddNullToObject(o, "lexical");
    }
    if (h->rank_dense) {
        cJSON *d = cJSON_AddObjectToObject(o, "dense");
        cJSON_AddNumberToObject(d, "rank", h->rank_dense);
        cJSON_AddNumberToObject(d, "cosine", h->score_dense);
    } else {
        cJSON_AddNullToObject(o, "dense");
    }
    if (h->rank_definition)
        cJSON_AddNumberToObject(o, "definition", h->rank_definition);
    else
        cJSON_AddNullToObject(o, "definition");
    return o;
}

cJSON *qjson_sym(const store_sym *y, const char *match)
{
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return NULL;
    cJSON_AddStringToObject(o, "path", y->path);
    cJSON_AddStringToObject(o, "root", y->root);
    cJSON_AddStringToObject(o, "lang", y->lang);
    cJSON_AddStringToObject(o, "name", y->name);
    cJSON_AddStringToObject(o, "qualname", y->qualname);
    cJSON_AddStringToObject(o, "kind", y->kind);
    add_str_or_null(o, "signature", y->signature);
    add_str_or_null(o, "doc", y->doc);
    cJSON_AddNumberToObject(o, "start_line", y->start_line);
    cJSON_AddNumberToObject(o, "end_line", y->end_line);
    if (match)
        cJSON_AddStringToObject(o, "match", match);
    return o;
}

cJSON *qjson_ref(const store_ref *r, const char *text, double confidence)
{
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return NULL;
    cJSON_AddStringToObject(o, "path", r->path);
    cJSON_AddStringToObject(o, "root", r->root);
    cJSON_AddNumberToObject(o, "line", r->line);
    cJSON_AddStringToObject(o, "kind", r->kind);
    cJSON_AddStringToObject(o, "name", r->name);
    add_str_or_null(o, "qualifier", r->qualifier);
    add_str_or_null(o, "caller", r->caller);
    add_str_or_null(o, "caller_kind", r->caller_kind);
    add_str_or_null(o, "text", text);
    cJSON_AddNumberToObject(o, "confidence", confidence);
    return o;
}

cJSON *qjson_callee(const symbols_callee *c)
{
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return NULL;
    cJSON_AddStringToObject(o, "from", c->from);
    cJSON_AddStringToObject(o, "name", c->ref.name);
    add_str_or_null(o, "qualifier", c->ref.qualifier);
    cJSON_AddStringToObject(o, "kind", c->ref.kind);
    cJSON_AddStringToObject(o, "path", c->ref.path);
    cJSON_AddStringToObject(o, "root", c->ref.root);
    cJSON_AddNumberToObject(o, "line", c->ref.line);
    if (c->target) {
        cJSON *t = cJSON_AddObjectToObject(o, "target");
        if (t) {
            cJSON_AddStringToObject(t, "path", c->target->path);
            cJSON_AddStringToObject(t, "root", c->target->root);
            cJSON_AddStringToObject(t, "qualname", c->target->qualname);
            cJSON_AddStringToObject(t, "kind", c->target->kind);
            cJSON_AddNumberToObject(t, "start_line", c->target->start_line);
        }
    } else {
        cJSON_AddNullToObject(o, "target");
    }
    cJSON_AddNumberToObject(o, "confidence", c->confidence);
    return o;
}

cJSON *qjson_map(const repomap *m, size_t budget)
{
    cJSON *o = cJSON_CreateObject();
    cJSON *items = o ? cJSON_AddArrayToObject(o, "items") : NULL;
    int ok = items && cJSON_AddNumberToObject(o, "budget", (double)budget) &&
             cJSON_AddNumberToObject(o, "tokens", (double)m->tokens);
    for (size_t i = 0; ok && i < m->n; i++) {
        const store_sym *y = &m->items[i].sym;
        cJSON *it = cJSON_CreateObject();
        ok = it && cJSON_AddStringToObject(it, "path", y->path) &&
             cJSON_AddStringToObject(it, "root", y->root) &&
             cJSON_AddStringToObject(it, "qualname", y->qualname) &&
             cJSON_AddStringToObject(it, "kind", y->kind) &&
             cJSON_AddNumberToObject(it, "start_line", y->start_line) &&
             cJSON_AddNumberToObject(it, "end_line", y->end_line) &&
             cJSON_AddStringToObject(it, "signature", y->signature ? y->signature : y->name) &&
             cJSON_AddNumberToObject(it, "score", m->items[i].score) &&
             cJSON_AddNumberToObject(it, "depth", m->items[i].depth);
        if (!ok || !cJSON_AddItemToArray(items, it)) {
            cJSON_Delete(it);
            ok = 0;
        }
    }
    if (ok)
        ok = cJSON_AddStringToObject(o, "text", m->text ? m->text : "") != NULL;
    if (!ok) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

int qjson_print_line(cJSON *o)
{
    char *text = o ? cJSON_PrintUnformatted(o) : NULL;
    cJSON_Delete(o);
    if (!text)
        return err_set(CAIRN_ERR_NOMEM, "out of memory writing JSON");
    puts(text);
    cJSON_free(text);
    return CAIRN_OK;
}

cJSON *qjson_pack(const pack *p)
{
    cJSON *o = cJSON_CreateObject();
    cJSON *items = o ? cJSON_AddArrayToObject(o, "items") : NULL;
    cJSON *om = o ? cJSON_AddArrayToObject(o, "omitted") : NULL;
    int ok = items && om && cJSON_AddNumberToObject(o, "budget", (double)p->budget) &&
             cJSON_AddNumberToObject(o, "tokens", (double)p->tokens);
    for (size_t i = 0; ok && i < p->n; i++) {
        const pack_item *it = &p->items[i];
        cJSON *j = cJSON_CreateObject();
        ok = j && cJSON_AddItemToArray(items, j);
        if (!ok) {
            cJSON_Delete(j);
            break;
        }
        cJSON_AddStringToObject(j, "path", it->path);
        cJSON_AddStringToObject(j, "root", it->root);
        cJSON_AddNumberToObject(j, "start_line", it->start_line);
        cJSON_AddNumberToObject(j, "end_line", it->end_line);
        add_str_or_null(j, "symbol", it->symbol);
        cJSON_AddStringToObject(j, "kind", pack_kind_name(it->kind));
        ok = cJSON_AddStringToObject(j, "text", it->text ? it->text : "") != NULL;
    }
    for (size_t i = 0; ok && i < p->nomitted; i++) {
        cJSON *j = cJSON_CreateObject();
        ok = j && cJSON_AddItemToArray(om, j);
        if (!ok) {
            cJSON_Delete(j);
            break;
        }
        ok = cJSON_AddStringToObject(j, "path", p->omitted[i].path) != NULL;
        add_str_or_null(j, "symbol", p->omitted[i].symbol);
    }
    if (!ok) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}
