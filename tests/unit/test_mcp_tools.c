/*
 * test_mcp_tools.c — the MCP tool table and its contract: schemas that
 * parse, argument checking against the published inputSchema
 * (mcp/schema), tools/list pages and revisions, cursors (mcp/protocol).
 */
#include "mcp/protocol.h"
#include "mcp/schema.h"
#include "mcp/tools.h"
#include "util/err.h"
#include "test.h"

#include <stdlib.h>
#include <string.h>

static int check_json(const char *schema, const char *value)
{
    cJSON *s = cJSON_Parse(schema), *v = cJSON_Parse(value);
    int rc = s && v ? schema_check(s, v, "") : -100;
    cJSON_Delete(s);
    cJSON_Delete(v);
    return rc;
}

TEST(schema_check_covers_the_subset_tools_use)
{
    const char *s = "{\"type\":\"object\",\"properties\":{"
                    "\"q\":{\"type\":\"string\",\"minLength\":1,\"maxLength\":5},"
                    "\"k\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":100},"
                    "\"kind\":{\"type\":\"string\",\"enum\":[\"code\",\"prose\"]},"
                    "\"sym\":{\"type\":[\"string\",\"null\"]},"
                    "\"paths\":{\"type\":\"array\",\"minItems\":1,\"maxItems\":2,"
                    "\"items\":{\"type\":\"string\"}}},"
                    "\"required\":[\"q\"],\"additionalProperties\":false}";
    CHECK_INT(check_json(s, "{\"q\":\"x\"}"), CAIRN_OK);
    CHECK_INT(check_json(s, "{\"q\":\"x\",\"k\":100,\"kind\":\"prose\",\"sym\":null,"
                            "\"paths\":[\"a\",\"b\"]}"), CAIRN_OK);
    CHECK_INT(check_json(s, "{\"q\":\"x\",\"k\":3.0}"), CAIRN_OK); /* 3.0 is an integer */
    CHECK_INT(check_json(s, "{}"), CAIRN_ERR_INVALID);
    CHECK(strstr(err_msg(), "missing required argument 'q'") != NULL);
    CHECK_INT(check_json(s, "{\"q\":\"\"}"), CAIRN_ERR_INVALID);
    CHECK_INT(check_json(s, "{\"q\":\"toolong\"}"), CAIRN_ERR_INVALID);
    CHECK_INT(check_json(s, "{\"q\":5}"), CAIRN_ERR_INVALID);
    CHECK(strstr(err_msg(), "argument 'q' must be of type string") != NULL);
    CHECK_INT(check_json(s, "{\"q\":\"x\",\"k\":0}"), CAIRN_ERR_INVALID);
    CHECK_INT(check_json(s, "{\"q\":\"x\",\"k\":500}"), CAIRN_ERR_INVALID);
    CHECK(strstr(err_msg(), "at most 100") != NULL);
    CHECK_INT(check_json(s, "{\"q\":\"x\",\"k\":1.5}"), CAIRN_ERR_INVALID);
    CHECK_INT(check_json(s, "{\"q\":\"x\",\"kind\":\"poetry\"}"), CAIRN_ERR_INVALID);
    CHECK(strstr(err_msg(), "\"code\", \"prose\"") != NULL);
    CHECK_INT(check_json(s, "{\"q\":\"x\",\"sym\":1}"), CAIRN_ERR_INVALID);
    CHECK(strstr(err_msg(), "string or null") != NULL);
    CHECK_INT(check_json(s, "{\"q\":\"x\",\"paths\":[]}"), CAIRN_ERR_INVALID);
    CHECK_INT(check_json(s, "{\"q\":\"x\",\"paths\":[\"a\",\"b\",\"c\"]}"), CAIRN_ERR_INVALID);
    CHECK_INT(check_json(s, "{\"q\":\"x\",\"paths\":[\"a\",2]}"), CAIRN_ERR_INVALID);
    CHECK(strstr(err_msg(), "paths[1]") != NULL);
    CHECK_INT(check_json(s, "{\"q\":\"x\",\"mode\":\"semantic\"}"), CAIRN_ERR_INVALID);
    CHECK(strstr(err_msg(), "unknown argument 'mode'; the arguments are: q, k, kind, sym, "
                            "paths") != NULL);
    CHECK_INT(check_json(s, "[]"), CAIRN_ERR_INVALID);
}

TEST(mcp_tools_table_is_well_formed)
{
    tools *t = NULL;
    REQUIRE(tools_new(&t) == CAIRN_OK);
    size_t n = tools_count(t);
    CHECK(n >= 4);
    for (size_t i = 0; i < n; i++) {
        const tool_def *d = tools_at(t, i);
        REQUIRE(d && d->name && d->run);
        CHECK(d->title && *d->title);
        CHECK(d->description && strlen(d->description) > 100);
        CHECK(tools_find(t, d->name) == d);
        for (size_t j = 0; j < strlen(d->name); j++)
            CHECK(strchr("abcdefghijklmnopqrstuvwxyz_", d->name[j]) != NULL);
    }
    CHECK(tools_at(t, n) == NULL);
    CHECK(tools_find(t, "no_such_tool") == NULL);
    CHECK(tools_find(t, "search") && tools_find(t, "read") && tools_find(t, "index_status") &&
          tools_find(t, "reindex"));
    CHECK(tools_find(t, "reindex")->long_running && !tools_find(t, "reindex")->read_only);
    CHECK(tools_find(t, "search")->read_only && !tools_find(t, "search")->long_running);
    tools_free(t);
}

TEST(mcp_tools_list_pages_with_cursors)
{
    tools *t = NULL;
    REQUIRE(tools_new(&t) == CAIRN_OK);
    size_t n = tools_count(t), seen = 0, pages = 0;
    char *cursor = NULL;
    do {
        cJSON *r = NULL;
        REQUIRE(tools_list(t, cursor, 3, MCP_REV_LATEST, &r) == CAIRN_OK);
        free(cursor);
        cursor = NULL;
        const cJSON *arr = cJSON_GetObjectItemCaseSensitive(r, "tools");
        CHECK(cJSON_GetArraySize(arr) <= 3);
        const cJSON *tool;
        cJSON_ArrayForEach(tool, arr) {
            const cJSON *name = cJSON_GetObjectItemCaseSensitive(tool, "name");
            CHECK(cJSON_IsString(name) && tools_at(t, seen) &&
                  strcmp(name->valuestring, tools_at(t, seen)->name) == 0);
            CHECK(cJSON_GetObjectItemCaseSensitive(tool, "outputSchema") != NULL);
            CHECK(cJSON_GetObjectItemCaseSensitive(tool, "annotations") != NULL);
            seen++;
        }
        const cJSON *next = cJSON_GetObjectItemCaseSensitive(r, "nextCursor");
        if (cJSON_IsString(next))
            cursor = strdup(next->valuestring);
        cJSON_Delete(r);
        pages++;
    } while (cursor && pages < 100);
    CHECK_INT(seen, n);
    CHECK_INT(pages, (n + 2) / 3);
    cJSON *r = NULL;
    CHECK_INT(tools_list(t, "00", 3, MCP_REV_LATEST, &r), CAIRN_ERR_INVALID);
    CHECK_INT(tools_list(t, "not hex", 3, MCP_REV_LATEST, &r), CAIRN_ERR_INVALID);
    char *other = NULL;
    REQUIRE(proto_cursor_encode("files", "1", &other) == CAIRN_OK);
    CHECK_INT(tools_list(t, other, 3, MCP_REV_LATEST, &r), CAIRN_ERR_INVALID);
    free(other);
    REQUIRE(proto_cursor_encode("tools", "999", &other) == CAIRN_OK);
    CHECK_INT(tools_list(t, other, 3, MCP_REV_LATEST, &r), CAIRN_ERR_INVALID);
    free(other);
    /* 2024-11-05 knows neither titles, output schemas nor annotations. */
    REQUIRE(tools_list(t, NULL, 0, MCP_REV_2024_11_05, &r) == CAIRN_OK);
    const cJSON *first = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(r, "tools"), 0);
    CHECK(!cJSON_GetObjectItemCaseSensitive(first, "outputSchema"));
    CHECK(!cJSON_GetObjectItemCaseSensitive(first, "title"));
    CHECK(!cJSON_GetObjectItemCaseSensitive(first, "annotations"));
    CHECK(!cJSON_GetObjectItemCaseSensitive(r, "nextCursor"));
    cJSON_Delete(r);
    tools_free(t);
}

static int never_cancelled(tool_call *c)
{
    (void)c;
    return 0;
}

TEST(mcp_tools_call_turns_bad_arguments_into_an_error_result)
{
    tools *t = NULL;
    REQUIRE(tools_new(&t) == CAIRN_OK);
    cJSON *args = cJSON_Parse("{\"query\":\"x\",\"k\":1000}");
    tool_call c = {.args = args, .cancelled = never_cancelled};
    cJSON *r = NULL;
    REQUIRE(tools_call(t, tools_find(t, "search"), &c, MCP_REV_LATEST, &r) == CAIRN_OK);
    CHECK(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(r, "isError")));
    const cJSON *text = cJSON_GetObjectItemCaseSensitive(
        cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(r, "content"), 0), "text");
    CHECK(cJSON_IsString(text) && strstr(text->valuestring, "'k' must be at most 100"));
    CHECK(!cJSON_GetObjectItemCaseSensitive(r, "structuredContent"));
    cJSON_Delete(r);
    cJSON_Delete(args);
    tools_free(t);
}

TEST(mcp_protocol_revisions_levels_and_cursors)
{
    CHECK_INT(proto_rev_parse("2025-11-25"), MCP_REV_2025_11_25);
    CHECK_INT(proto_rev_parse("2024-11-05"), MCP_REV_2024_11_05);
    CHECK_INT(proto_rev_parse("2024-10-07"), -1);
    CHECK_INT(proto_rev_parse(NULL), -1);
    CHECK_STR(proto_rev_name(MCP_REV_2025_03_26), "2025-03-26");
    CHECK_INT(proto_level_parse("warning"), MCP_LOG_WARNING);
    CHECK_INT(proto_level_parse("WARNING"), -1);
    CHECK(MCP_LOG_DEBUG < MCP_LOG_ERROR);
    char *c = NULL, *pos = NULL;
    REQUIRE(proto_cursor_encode("files", "3:dir/ü name.md", &c) == CAIRN_OK);
    CHECK(strspn(c, "0123456789abcdef") == strlen(c));
    CHECK_INT(proto_cursor_decode(c, "files", &pos), CAIRN_OK);
    CHECK_STR(pos, "3:dir/ü name.md");
    free(pos);
    CHECK_INT(proto_cursor_decode(c, "tools", &pos), CAIRN_ERR_INVALID);
    CHECK(pos == NULL);
    c[0] = 'Z';
    CHECK_INT(proto_cursor_decode(c, "files", &pos), CAIRN_ERR_INVALID);
    free(c);
    CHECK_INT(proto_cursor_decode("", "files", &pos), CAIRN_ERR_INVALID);
    CHECK_INT(proto_cursor_decode("abc", "files", &pos), CAIRN_ERR_INVALID);
    CHECK_INT(proto_cursor_decode("66696c657300", "files", &pos), CAIRN_ERR_INVALID);
}
