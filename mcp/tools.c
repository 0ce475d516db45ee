/*
 * tools.c — the table of cairn's MCP tools, tools/list and tools/call.
 *
 * The table is the single source of truth: tools/list publishes its rows,
 * tools/call checks arguments against the same inputSchema and dispatches
 * to the row's handler (mcp/handlers.c).
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

#define STR(x) #x
#define XSTR(x) STR(x)

static const tool_def table[] = {
    {
        .name = "search",
        .title = "Search code and writing",
        .description =
            "Ranked search over the indexed source code and prose (notes, docs, posts). "
            "Use it first for questions like 'where is X handled', 'how do we do Y' or "
            "'what have I written about Z'. The query is free text: a question, "
            "identifiers, or both. Identifiers match across camelCase, snake_case and "
            "kebab-case (getUserName finds get_user_name), English words match their "
            "stems, and a result need not contain every word, so use the words the text "
            "itself would contain. Returns chunks best first (about 40 lines of code, or "
            "one section of prose), at most 2 per file, each with its path relative to "
            "its root, line range, enclosing symbol or heading path and a snippet; call "
            "`read` with the path and lines to see the text. Filter with `path` (glob), "
            "`language` and `kind`. Ranking is lexical (BM25): there is no semantic mode "
            "and no date filter yet.",
        .input_schema =
            "{\"type\":\"object\",\"properties\":{"
            "\"query\":{\"type\":\"string\",\"minLength\":1,\"maxLength\":4096,"
            "\"description\":\"Free text: a question, identifiers, or both.\"},"
            "\"k\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":100,\"default\":10,"
            "\"description\":\"How many results to return (1-100, default 10).\"},"
            "\"path\":{\"type\":\"string\",\"minLength\":1,\"maxLength\":1024,"
            "\"description\":\"Only files whose root-relative path matches this glob; '*' "
            "also matches '/', so '*.py' and 'src/net/*' both work.\"},"
            "\"language\":{\"type\":\"string\",\"minLength\":1,\"maxLength\":64,"
            "\"description\":\"Only files of this language, named as index_status lists "
            "them (python, c, markdown, ...).\"},"
            "\"kind\":{\"type\":\"string\",\"enum\":[\"code\",\"prose\"],"
            "\"description\":\"Only source code, or only prose (notes, documentation).\"}"
            "},\"required\":[\"query\"],\"additionalProperties\":false}",
        .output_schema =
            "{\"type\":\"object\",\"properties\":{\"results\":{\"type\":\"array\",\"items\":"
            "{\"type\":\"object\",\"properties\":{"
            "\"path\":{\"type\":\"string\",\"description\":\"relative to root\"},"
            "\"root\":{\"type\":\"string\",\"description\":\"absolute path of the indexed root\"},"
            "\"start_line\":{\"type\":\"integer\",\"minimum\":1},"
            "\"end_line\":{\"type\":\"integer\",\"minimum\":1},"
            "\"symbol\":{\"type\":[\"string\",\"null\"],\"description\":\"the definition "
            "the chunk belongs to\"},"
            "\"kind\":{\"type\":\"string\",\"enum\":[\"code\",\"prose\"]},"
            "\"lang\":{\"type\":\"string\"},"
            "\"context\":{\"type\":[\"string\",\"null\"],\"description\":\"heading path of "
            "a prose chunk\"},"
            "\"title\":{\"type\":[\"string\",\"null\"]},"
            "\"date\":{\"type\":[\"string\",\"null\"]},"
            "\"score\":{\"type\":\"number\",\"description\":\"BM25, higher is better\"},"
            "\"snippet\":{\"type\":\"string\"},"
            "\"mtime\":{\"type\":\"integer\",\"description\":\"file modification time, "
            "Unix seconds\"}},"
            "\"required\":[\"path\",\"root\",\"start_line\",\"end_line\",\"symbol\",\"kind\","
            "\"lang\",\"context\",\"score\",\"snippet\"]}}},"
            "\"required\":[\"results\"]}",
        .read_only = 1,
        .idempotent = 1,
        .run = handlers_search,
    },
    {
        .name = "read",
        .title = "Read an indexed file",
        .description =
            "The text of an indexed file, or of a range of its lines, exactly as on disk "
            "(as UTF-8). Use it after `search` to see a whole function or note: pass the "
            "result's path and, to keep the answer small, start_line and end_line. `path` "
            "is relative to an indexed root (as search returns it) or absolute inside a "
            "root; '..', symbolic links that lead out of the roots, and files that are not "
            "in the index (ignored or skipped ones) are refused. At most "
            XSTR(READ_MAX_LINES) " lines or 256 KiB come back per call; when `truncated` is "
            "true, call again with start_line set to end_line + 1.",
        .input_schema =
            "{\"type\":\"object\",\"properties\":{"
            "\"path\":{\"type\":\"string\",\"minLength\":1,\"maxLength\":4096,"
            "\"description\":\"Root-relative path as search returns it, or an absolute "
            "path inside an indexed root.\"},"
            "\"start_line\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":1000000000,"
            "\"description\":\"First line to return (1-based, default 1).\"},"
            "\"end_line\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":1000000000,"
            "\"description\":\"Last line to return, inclusive (default: the end of the "
            "file).\"}"
            "},\"required\":[\"path\"],\"additionalProperties\":false}",
        .output_schema =
            "{\"type\":\"object\",\"properties\":{"
            "\"path\":{\"type\":\"string\",\"description\":\"relative to root\"},"
            "\"root\":{\"type\":\"string\"},"
            "\"start_line\":{\"type\":\"integer\",\"minimum\":1},"
            "\"end_line\":{\"type\":\"integer\",\"minimum\":0,\"description\":\"last line "
            "returned; start_line - 1 when none\"},"
            "\"total_lines\":{\"type\":\"integer\",\"minimum\":0},"
            "\"text\":{\"type\":\"string\"},"
            "\"truncated\":{\"type\":\"boolean\",\"description\":\"true when the line or "
            "byte cap cut the range short\"}},"
            "\"required\":[\"path\",\"root\",\"start_line\",\"end_line\",\"total_lines\","
            "\"text\",\"truncated\"]}",
        .read_only = 1,
        .idempotent = 1,
        .run = handlers_read,
    },
    {
        .name = "index_status",
        .title = "Index status",
        .description =
            "What this cairn index covers and how fresh it is: each indexed root "
            "directory with its file and chunk counts and when it was last indexed, the "
            "languages present (the names `search` accepts as `language`) with their "
            "counts, and totals. Use it to learn what can be searched, or to decide "
            "whether to call `reindex` after files changed.",
        .input_schema = "{\"type\":\"object\",\"properties\":{},\"additionalProperties\":false}",
        .output_schema =
            "{\"type\":\"object\",\"properties\":{"
            "\"index\":{\"type\":\"string\",\"description\":\"the index directory\"},"
            "\"files\":{\"type\":\"integer\"},\"chunks\":{\"type\":\"integer\"},"
            "\"bytes\":{\"type\":\"integer\"},"
            "\"last_indexed\":{\"type\":\"integer\",\"description\":\"Unix seconds, 0 never\"},"
            "\"roots\":{\"type\":\"array\",\"items\":{\"type\":\"object\",\"properties\":{"
            "\"path\":{\"type\":\"string\"},\"files\":{\"type\":\"integer\"},"
            "\"chunks\":{\"type\":\"integer\"},"
            "\"indexed_at\":{\"type\":\"integer\",\"description\":\"Unix seconds, 0 never\"}},"
            "\"required\":[\"path\",\"files\",\"chunks\",\"indexed_at\"]}},"
            "\"languages\":{\"type\":\"array\",\"items\":{\"type\":\"object\",\"properties\":{"
            "\"lang\":{\"type\":\"string\"},\"kind\":{\"type\":\"string\"},"
            "\"files\":{\"type\":\"integer\"},\"chunks\":{\"type\":\"integer\"},"
            "\"bytes\":{\"type\":\"integer\"}},"
            "\"required\":[\"lang\",\"kind\",\"files\",\"chunks\",\"bytes\"]}}},"
            "\"required\":[\"index\",\"files\",\"chunks\",\"bytes\",\"last_indexed\",\"roots\","
            "\"languages\"]}",
        .read_only = 1,
        .idempotent = 1,
        .run = handlers_index_status,
    },
    {
        .name = "reindex",
        .title = "Refresh the index",
        .description =
            "Bring the index up to date with the files on disk: new files are added, "
            "changed ones re-read, deleted or newly ignored ones dropped, and unchanged "
            "files cost one stat each. Call it after files were edited when results look "
            "stale. `paths` limits the refresh to some indexed roots (each given as the "
            "root's absolute path, as index_status lists it, or any path inside it); by "
            "default every root is refreshed. It never adds roots and never changes the "
            "files themselves. Reports progress when asked and can be cancelled; work "
            "done before a cancel is kept.",
        .input_schema =
            "{\"type\":\"object\",\"properties\":{"
            "\"paths\":{\"type\":\"array\",\"minItems\":1,\"maxItems\":256,"
            "\"items\":{\"type\":\"string\",\"minLength\":1,\"maxLength\":4096},"
            "\"description\":\"Indexed roots to refresh (default: all).\"}"
            "},\"additionalProperties\":false}",
        .output_schema =
            "{\"type\":\"object\",\"properties\":{"
            "\"roots\":{\"type\":\"array\",\"items\":{\"type\":\"string\"},"
            "\"description\":\"the roots refreshed\"},"
            "\"seen\":{\"type\":\"integer\"},\"added\":{\"type\":\"integer\"},"
            "\"updated\":{\"type\":\"integer\"},\"unchanged\":{\"type\":\"integer\"},"
            "\"removed\":{\"type\":\"integer\"},\"skipped\":{\"type\":\"integer\"},"
            "\"chunks\":{\"type\":\"integer\",\"description\":\"chunks written\"},"
            "\"seconds\":{\"type\":\"number\"},"
            "\"errors\":{\"type\":\"array\",\"items\":{\"type\":\"object\",\"properties\":{"
            "\"root\":{\"type\":\"string\"},\"message\":{\"type\":\"string\"}},"
            "\"required\":[\"root\",\"message\"]}}},"
            "\"required\":[\"roots\",\"seen\",\"added\",\"updated\",\"unchanged\",\"removed\","
            "\"skipped\",\"chunks\",\"seconds\",\"errors\"]}",
        .idempotent = 1,
        .long_running = 1,
        .run = handlers_reindex,
    },
};

#define NTOOLS (sizeof table / sizeof table[0])

struct tools {
    cJSON *input[NTOOLS];
    cJSON *output[NTOOLS];
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
    if (!t)
        return err_set(CAIRN_ERR_NOMEM, "out of memory");
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
    for (size_t i = 0; i < NTOOLS; i++) {
        cJSON_Delete(t->input[i]);
        cJSON_Delete(t->output[i]);
    }
    free(t);
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
