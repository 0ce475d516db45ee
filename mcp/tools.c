/*
 * tools.c — the table of cairn's MCP tools, tools/list and tools/call.
 *
 * The table (mcp/tool_table.c) is the single source of truth: tools/list
 * publishes its rows, tools/call checks arguments against the same
 * inputSchema and dispatches to the row's handler (mcp/handlers*.c).
 */
#include "mcp/tools.h"

#include "mcp/handlers.h"
#include "mcp/protocol.h"
#include "mcp/schema.h"
#include "query/read.h"
#include "util/err.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Cap on a tool's text rendering; handlers bound their own output well
 * below it (a read returns at most READ_MAX_BYTES of file text). */
#define TEXT_MAX_BYTES ((size_t)4 << 20)

#define NTOOLS tool_table_len
#define table tool_table

struct tools {
    cJSON **input;  /* parsed inputSchema of each table row */
    cJSON **output; /* parsed outputSchema */
};

static int parse_schema(const char *tool, const char *what, const char *text, cJSON **out)
{
    *out = cJSON_Parse(text);
    if (!*out || !cJSON_IsObject(*out))
        return err_set(CAIRN_ERR_CORRUPT, "the %s of tool %s is not a JSON object", what, tool);
    const cJSON *type = cJSON_GetObjectItemCaseSensitive(*out, "type");
    if (!cJSON_IsString(type) || strcmp(type->valuestring, "object") != 0)
        return err_set(CAIRN_ERR_CORRUPT, "the %s of tool %s is not of type object", what, tool);
    return CAIRN_OK;
}

int tools_new(tools **out)
{
    *out = NULL;
    tools *t = calloc(1, sizeof *t);
    if (!t || !(t->input = calloc(NTOOLS, sizeof *t->input)) ||
        !(t->output = calloc(NTOOLS, sizeof *t->output))) {
        tools_free(t);
        return err_set(CAIRN_ERR_NOMEM, "out of memory");
    }
    for (size_t i = 0; i < NTOOLS; i++) {
        int rc = parse_schema(table[i].name, "inputSchema", table[i].input_schema, &t->input[i]);
        if (!rc)
            rc = parse_schema(table[i].name, "outputSchema", table[i].output_schema,
                              &t->output[i]);
        if (rc) {
            tools_free(t);
            return rc;
        }
    }
    *out = t;
    return CAIRN_OK;
}

void tools_free(tools *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < NTOOLS && t->input && t->output; i++) {
        cJSON_Delete(t->input[i]);
        cJSON_Delete(t->output[i]);
    }
    free(t->input);
    free(t->output);
    free(t);
    /* What the handlers kept between calls goes with the tools. */
    handlers_caches_release();
}

size_t tools_count(const tools *t)
{
    (void)t;
    return NTOOLS;
}

const tool_def *tools_at(const tools *t, size_t i)
{
    (void)t;
    return i < NTOOLS ? &table[i] : NULL;
}

const tool_def *tools_find(const tools *t, const char *name)
{
    (void)t;
    for (size_t i = 0; name && i < NTOOLS; i++)
        if (strcmp(table[i].name, name) == 0)
            return &table[i];
    return NULL;
}

/* The tools/list entry of table[i] with the fields revision rev knows. */
static cJSON *describe(const tools *t, size_t i, int rev)
{
    const tool_def *d = &table[i];
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return NULL;
    cJSON_AddStringToObject(o, "name", d->name);
    if (rev >= MCP_REV_2025_06_18)
        cJSON_AddStringToObject(o, "title", d->title);
    cJSON_AddStringToObject(o, "description", d->description);
    cJSON_AddItemToObject(o, "inputSchema", cJSON_Duplicate(t->input[i], 1));
    if (rev >= MCP_REV_2025_06_18)
        cJSON_AddItemToObject(o, "outputSchema", cJSON_Duplicate(t->output[i], 1));
    if (rev >= MCP_REV_2025_03_26) {
        cJSON *a = cJSON_AddObjectToObject(o, "annotations");
        if (a) {
            cJSON_AddStringToObject(a, "title", d->title);
            cJSON_AddBoolToObject(a, "readOnlyHint", d->read_only);
            cJSON_AddBoolToObject(a, "destructiveHint", d->destructive);
            cJSON_AddBoolToObject(a, "idempotentHint", d->idempotent);
            cJSON_AddBoolToObject(a, "openWorldHint", 0);
        }
    }
    return o;
}

int tools_list(const tools *t, const char *cursor, size_t page_size, int rev, cJSON **result)
{
    *result = NULL;
    size_t start = 0;
    if (cursor) {
        char *pos = NULL, *end = NULL;
        int rc = proto_cursor_decode(cursor, "tools", &pos);
        if (rc)
            return rc;
        unsigned long v = strtoul(pos, &end, 10);
        int bad = !*pos || *end || v == 0 || v >= NTOOLS;
        free(pos);
        if (bad)
            return err_set(CAIRN_ERR_INVALID, "not a cursor this server gave out; list again "
                           "without a cursor");
        start = (size_t)v;
    }
    if (page_size == 0)
        page_size = NTOOLS;
    cJSON *r = cJSON_CreateObject();
    cJSON *arr = cJSON_AddArrayToObject(r, "tools");
    if (!r || !arr) {
        cJSON_Delete(r);
        return err_set(CAIRN_ERR_NOMEM, "out of memory");
    }
    size_t i = start;
    for (; i < NTOOLS && i - start < page_size; i++) {
        cJSON *d = describe(t, i, rev);
        if (!d) {
            cJSON_Delete(r);
            return err_set(CAIRN_ERR_NOMEM, "out of memory");
        }
        cJSON_AddItemToArray(arr, d);
    }
    if (i < NTOOLS) {
        char pos[32], *next = NULL;
        snprintf(pos, sizeof pos, "%zu", i);
        if (proto_cursor_encode("tools", pos, &next)) {
            cJSON_Delete(r);
            return CAIRN_ERR_NOMEM;
        }
        cJSON_AddStringToObject(r, "nextCursor", next);
        free(next);
    }
    *result = r;
    return CAIRN_OK;
}

/* {"content":[{"type":"text","text":text}]} plus isError or the
 * structured result. */
static cJSON *call_result(const char *text, cJSON *structured, int is_error)
{
    cJSON *r = cJSON_CreateObject();
    cJSON *content = cJSON_AddArrayToObject(r, "content");
    cJSON *block = cJSON_CreateObject();
    if (!r || !content || !block) {
        cJSON_Delete(r);
        cJSON_Delete(block);
        cJSON_Delete(structured);
        return NULL;
    }
    cJSON_AddStringToObject(block, "type", "text");
    cJSON_AddStringToObject(block, "text", text);
    cJSON_AddItemToArray(content, block);
    if (structured)
        cJSON_AddItemToObject(r, "structuredContent", structured);
    if (is_error)
        cJSON_AddBoolToObject(r, "isError", 1);
    return r;
}

int tools_call(const tools *t, const tool_def *def, tool_call *c, int rev, cJSON **result)
{
    *result = NULL;
    size_t i = (size_t)(def - table);
    char msg[2048];
    int rc = schema_check(t->input[i], c->args, "");
    if (rc) {
        snprintf(msg, sizeof msg, "Invalid arguments for %s: %s. The inputSchema in "
                 "tools/list describes them.", def->name, err_msg());
        *result = call_result(msg, NULL, 1);
        return *result ? CAIRN_OK : err_set(CAIRN_ERR_NOMEM, "out of memory");
    }
    tool_output out = {0};
    buf_init(&out.text, TEXT_MAX_BYTES);
    err_clear();
    rc = def->run(c, &out);
    if (rc == CAIRN_ERR_CANCELLED || (rc == CAIRN_OK && c->cancelled(c))) {
        cJSON_Delete(out.structured);
        buf_release(&out.text);
        return CAIRN_ERR_CANCELLED;
    }
    if (!rc && !out.structured)
        rc = err_set(CAIRN_ERR_NOMEM, "out of memory building the result");
    if (rc) {
        cJSON_Delete(out.structured);
        snprintf(msg, sizeof msg, "%s failed: %s", def->name,
                 *err_msg() ? err_msg() : err_name(rc));
        *result = call_result(msg, NULL, 1);
    } else {
        if (rev < MCP_REV_2025_06_18) {
            cJSON_Delete(out.structured);
            out.structured = NULL;
        }
        *result = call_result(buf_str(&out.text), out.structured, 0);
    }
    buf_release(&out.text);
    return *result ? CAIRN_OK : err_set(CAIRN_ERR_NOMEM, "out of memory");
}

cJSON *tools_error_result(const char *text)
{
    return call_result(text, NULL, 1);
}
