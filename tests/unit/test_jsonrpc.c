/*
 * test_jsonrpc.c — mcp/jsonrpc: capped line reading over a real pipe,
 * strict parsing, classification by JSON-RPC's and MCP's rules, building
 * replies, and a writer that notices when its reader has gone.
 */
#include "mcp/jsonrpc.h"
#include "util/err.h"
#include "test.h"

#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A pipe whose read end holds data (written whole, then closed). */
static int pipe_with(const char *data, size_t len)
{
    int fd[2];
    if (pipe(fd) != 0)
        return -1;
    fcntl(fd[1], F_SETPIPE_SZ, 1 << 20);
    if (write(fd[1], data, len) != (ssize_t)len) {
        close(fd[0]);
        close(fd[1]);
        return -1;
    }
    close(fd[1]);
    return fd[0];
}

TEST(jsonrpc_reader_splits_lines_and_keeps_the_last_unterminated_one)
{
    const char in[] = "{\"a\":1}\r\n\n  {\"b\":2}\nlast";
    int fd = pipe_with(in, sizeof in - 1);
    REQUIRE(fd >= 0);
    jsonrpc_reader r;
    jsonrpc_reader_init(&r, fd, 0);
    char *line;
    size_t len;
    CHECK_INT(jsonrpc_reader_next(&r, &line, &len), JSONRPC_LINE);
    CHECK_STR(line, "{\"a\":1}"); /* the "\r" goes with the "\n" */
    CHECK_INT(jsonrpc_reader_next(&r, &line, &len), JSONRPC_LINE);
    CHECK_INT(len, 0);
    CHECK_INT(jsonrpc_reader_next(&r, &line, &len), JSONRPC_LINE);
    CHECK_STR(line, "  {\"b\":2}");
    CHECK_INT(jsonrpc_reader_next(&r, &line, &len), JSONRPC_LINE);
    CHECK_STR(line, "last");
    CHECK_INT(jsonrpc_reader_next(&r, &line, &len), JSONRPC_EOF);
    CHECK_INT(jsonrpc_reader_next(&r, &line, &len), JSONRPC_EOF);
    jsonrpc_reader_release(&r);
    close(fd);
}

TEST(jsonrpc_reader_reports_an_overlong_line_once_and_skips_it)
{
    /* Max 16 bytes; a 200 KB line arrives in many reads; lines around it
     * come through untouched. */
    size_t big = 200000;
    char *in = malloc(big + 64);
    REQUIRE(in);
    strcpy(in, "short-1\n");
    memset(in + 8, 'x', big);
    strcpy(in + 8 + big, "\nshort-2\n0123456789abcdef\n0123456789abcdefg");
    int fd = pipe_with(in, strlen(in));
    free(in);
    REQUIRE(fd >= 0);
    jsonrpc_reader r;
    jsonrpc_reader_init(&r, fd, 16);
    char *line;
    size_t len;
    CHECK_INT(jsonrpc_reader_next(&r, &line, &len), JSONRPC_LINE);
    CHECK_STR(line, "short-1");
    CHECK_INT(jsonrpc_reader_next(&r, &line, &len), JSONRPC_TOO_LONG);
    CHECK_INT(jsonrpc_reader_next(&r, &line, &len), JSONRPC_LINE);
    CHECK_STR(line, "short-2");
    CHECK_INT(jsonrpc_reader_next(&r, &line, &len), JSONRPC_LINE);
    CHECK_STR(line, "0123456789abcdef"); /* exactly the cap is fine */
    CHECK_INT(jsonrpc_reader_next(&r, &line, &len), JSONRPC_TOO_LONG);
    CHECK_INT(jsonrpc_reader_next(&r, &line, &len), JSONRPC_EOF);
    CHECK(r.cap <= 16 + (64 << 10) + 1); /* the buffer never grew with the line */
    jsonrpc_reader_release(&r);
    close(fd);
}

static int parse_fails(const char *text, size_t len)
{
    cJSON *v = NULL;
    int rc = jsonrpc_parse(text, len, &v);
    cJSON_Delete(v);
    return rc == CAIRN_ERR_INVALID && v == NULL;
}

TEST(jsonrpc_parse_accepts_one_json_value_of_utf8)
{
    cJSON *v = NULL;
    const char ok[] = "{\"s\":\"caf\xc3\xa9 \xf0\x9f\x98\x80\"}  ";
    CHECK_INT(jsonrpc_parse(ok, sizeof ok - 1, &v), CAIRN_OK);
    CHECK_STR(cJSON_GetObjectItemCaseSensitive(v, "s")->valuestring,
              "caf\xc3\xa9 \xf0\x9f\x98\x80");
    cJSON_Delete(v);
    CHECK(parse_fails("{\"a\":1} {\"b\":2}", 15));
    CHECK(parse_fails("{\"a\":", 5));
    CHECK(parse_fails("not json", 8));
    CHECK(parse_fails("\"\xff\"", 3));               /* not UTF-8 at all */
    CHECK(parse_fails("\"\xc0\xaf\"", 4));           /* overlong "/" */
    CHECK(parse_fails("\"\xed\xa0\x80\"", 5));       /* a UTF-16 surrogate */
    CHECK(parse_fails("\"\xf4\x90\x80\x80\"", 6));   /* past U+10FFFF */
    CHECK(parse_fails("\"\xe2\x82\"", 4));           /* cut short */
    CHECK(parse_fails("{\"a\":1}\0{", 9));           /* a NUL inside the line */
    size_t deep = 100000;
    char *nest = malloc(2 * deep);
    REQUIRE(nest);
    memset(nest, '[', deep);
    memset(nest + deep, ']', deep);
    CHECK(parse_fails(nest, 2 * deep)); /* cJSON's nesting limit, not the stack */
    free(nest);
}

static jsonrpc_kind classify(const char *text, const cJSON **id, const char **why, cJSON **keep)
{
    *keep = cJSON_Parse(text);
    return jsonrpc_classify(*keep, id, why);
}

TEST(jsonrpc_classify_follows_json_rpc_and_mcp)
{
    const cJSON *id;
    const char *why;
    cJSON *m;
    CHECK_INT(classify("{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"ping\"}", &id, &why, &m),
              JSONRPC_REQUEST);
    CHECK(cJSON_IsNumber(id) && id->valueint == 7);
    cJSON_Delete(m);
    CHECK_INT(classify("{\"jsonrpc\":\"2.0\",\"id\":\"x\",\"method\":\"a\",\"params\":[1]}", &id,
                       &why, &m), JSONRPC_REQUEST);
    cJSON_Delete(m);
    CHECK_INT(classify("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}", &id,
                       &why, &m), JSONRPC_NOTIFICATION);
    CHECK(id == NULL);
    cJSON_Delete(m);
    CHECK_INT(classify("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}", &id, &why, &m),
              JSONRPC_RESPONSE);
    cJSON_Delete(m);
    CHECK_INT(classify("{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":1}}", &id, &why, &m),
              JSONRPC_RESPONSE);
    cJSON_Delete(m);
    static const char *const invalid[] = {
        "[1]",
        "\"str\"",
        "{\"id\":1,\"method\":\"ping\"}",
        "{\"jsonrpc\":\"1.0\",\"id\":1,\"method\":\"ping\"}",
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":5}",
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"a\",\"params\":\"s\"}",
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"a\",\"params\":null}",
        "{\"jsonrpc\":\"2.0\",\"id\":1}",
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{},\"error\":{}}",
    };
    for (size_t i = 0; i < sizeof invalid / sizeof invalid[0]; i++) {
        CHECK_INT(classify(invalid[i], &id, &why, &m), JSONRPC_INVALID);
        CHECK(why != NULL && *why);
        cJSON_Delete(m);
    }
    /* The id of an invalid message is echoed only when it is a usable one. */
    CHECK_INT(classify("{\"jsonrpc\":\"2.0\",\"id\":\"k\",\"method\":3}", &id, &why, &m),
              JSONRPC_INVALID);
    CHECK(cJSON_IsString(id));
    cJSON_Delete(m);
    static const char *const bad_ids[] = {"null", "true", "{}", "[]", "[1]"};
    for (size_t i = 0; i < sizeof bad_ids / sizeof bad_ids[0]; i++) {
        char text[128];
        snprintf(text, sizeof text, "{\"jsonrpc\":\"2.0\",\"id\":%s,\"method\":\"ping\"}",
                 bad_ids[i]);
        CHECK_INT(classify(text, &id, &why, &m), JSONRPC_INVALID);
        CHECK(id == NULL);
        cJSON_Delete(m);
    }
}

TEST(jsonrpc_id_keys_tell_ids_apart)
{
    cJSON *a = cJSON_CreateNumber(1), *b = cJSON_CreateString("1"), *c = cJSON_CreateNumber(1.0);
    char *ka = jsonrpc_id_key(a), *kb = jsonrpc_id_key(b), *kc = jsonrpc_id_key(c);
    REQUIRE(ka && kb && kc);
    CHECK(strcmp(ka, kb) != 0);
    CHECK_STR(ka, kc);
    free(ka);
    free(kb);
    free(kc);
    cJSON_Delete(a);
    cJSON_Delete(b);
    cJSON_Delete(c);
}

TEST(jsonrpc_builds_replies)
{
    cJSON *id = cJSON_CreateString("q");
    cJSON *r = jsonrpc_result(id, cJSON_CreateObject());
    char *t = cJSON_PrintUnformatted(r);
    CHECK_STR(t, "{\"jsonrpc\":\"2.0\",\"id\":\"q\",\"result\":{}}");
    cJSON_free(t);
    cJSON_Delete(r);
    r = jsonrpc_error(NULL, JSONRPC_PARSE_ERROR, "bad", NULL);
    t = cJSON_PrintUnformatted(r);
    CHECK_STR(t, "{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32700,\"message\":\"bad\"}}");
    cJSON_free(t);
    cJSON_Delete(r);
    r = jsonrpc_error(id, JSONRPC_RESOURCE_NOT_FOUND, "gone", cJSON_CreateString("u"));
    t = cJSON_PrintUnformatted(r);
    CHECK_STR(t, "{\"jsonrpc\":\"2.0\",\"id\":\"q\",\"error\":{\"code\":-32002,\"message\":"
                 "\"gone\",\"data\":\"u\"}}");
    cJSON_free(t);
    cJSON_Delete(r);
    r = jsonrpc_notification("notifications/progress", NULL);
    t = cJSON_PrintUnformatted(r);
    CHECK_STR(t, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/progress\"}");
    cJSON_free(t);
    cJSON_Delete(r);
    cJSON_Delete(id);
}

TEST(jsonrpc_writer_writes_one_line_per_message_and_notices_a_closed_pipe)
{
    int fd[2];
    REQUIRE(pipe(fd) == 0);
    jsonrpc_writer w;
    REQUIRE(jsonrpc_writer_init(&w, fd[1]) == CAIRN_OK);
    cJSON *m = cJSON_CreateObject();
    cJSON_AddStringToObject(m, "text", "two\nlines");
    CHECK_INT(jsonrpc_write(&w, m), CAIRN_OK);
    cJSON_Delete(m);
    char got[128] = "";
    ssize_t n = read(fd[0], got, sizeof got - 1);
    CHECK(n > 0);
    CHECK_STR(got, "{\"text\":\"two\\nlines\"}\n");
    CHECK(!jsonrpc_writer_gone(&w));
    close(fd[0]);
    CHECK(jsonrpc_writer_gone(&w));
    void (*old)(int) = signal(SIGPIPE, SIG_IGN);
    m = cJSON_CreateObject();
    CHECK_INT(jsonrpc_write(&w, m), CAIRN_ERR_IO);
    CHECK_INT(jsonrpc_write(&w, m), CAIRN_ERR_IO);
    cJSON_Delete(m);
    signal(SIGPIPE, old);
    jsonrpc_writer_release(&w);
    close(fd[1]);
}
