/*
 * test_mcp_server.c — mcp_serve in-process: a whole session over a pipe
 * (in) and a file (out) against a small real index, so that the server's
 * threads run under the ASan+UBSan unit tests too.
 */
#include "indexer/pipeline.h"
#include "mcp/server.h"
#include "store/store.h"
#include "util/err.h"
#include "test.h"

#include <cjson/cJSON.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct served {
    mcp_serve_opts o;
    int rc;
} served;

static void *serve_main(void *arg)
{
    served *sv = arg;
    sv->rc = mcp_serve(&sv->o);
    return NULL;
}

/* Index a small tree into dir/idx; the index path goes to idx. */
static int make_index(char *idx, size_t n)
{
    char *tmp = realpath(test_tmpdir(), NULL);
    if (!tmp)
        return 0;
    char root[PATH_MAX];
    snprintf(root, sizeof root, "%s/proj", tmp);
    snprintf(idx, n, "%s/idx", tmp);
    free(tmp);
    const char *py = "def open_database(path):\n    return connect(path)\n";
    const char *md = "# Backoff\n\nRetry with exponential backoff and jitter.\n";
    test_write_file(root, "db.py", py, strlen(py));
    test_write_file(root, "notes/retry.md", md, strlen(md));
    store *s = NULL;
    if (store_open(idx, STORE_WRITE, &s))
        return 0;
    pipeline_opts po;
    pipeline_opts_init(&po);
    pipeline_stats st = {0};
    int rc = pipeline_index_root(s, root, &po, &st);
    store_close(s);
    return rc == CAIRN_OK && st.added == 2;
}

/* Run a session fed with input; returns the replies keyed by id as one
 * JSON object {"<id>": reply, ...}, plus "notifications": [...]. */
static cJSON *session(const char *idx, const char *input, int *rc)
{
    char out_path[PATH_MAX];
    snprintf(out_path, sizeof out_path, "%s/out.jsonl", test_tmpdir());
    int in[2];
    if (pipe(in) != 0)
        return NULL;
    served sv = {.o = {.index_dir = idx, .in_fd = in[0],
                       .out_fd = open(out_path, O_WRONLY | O_CREAT | O_TRUNC, 0644)}};
    pthread_t th;
    if (sv.o.out_fd < 0 || pthread_create(&th, NULL, serve_main, &sv) != 0)
        return NULL;
    size_t len = strlen(input);
    for (size_t off = 0; off < len;) {
        ssize_t w = write(in[1], input + off, len - off);
        if (w <= 0)
            break;
        off += (size_t)w;
    }
    close(in[1]);
    pthread_join(th, NULL);
    close(in[0]);
    close(sv.o.out_fd);
    *rc = sv.rc;
    cJSON *all = cJSON_CreateObject();
    cJSON *notes = cJSON_AddArrayToObject(all, "notifications");
    FILE *f = fopen(out_path, "r");
    char *line = NULL;
    size_t cap = 0;
    while (f && getline(&line, &cap, f) > 0) {
        cJSON *m = cJSON_Parse(line);
        const cJSON *id = cJSON_GetObjectItemCaseSensitive(m, "id");
        if (cJSON_IsNumber(id)) {
            char key[32];
            snprintf(key, sizeof key, "%d", id->valueint);
            cJSON_AddItemToObject(all, key, m);
        } else if (m) {
            cJSON_AddItemToArray(notes, m);
        }
    }
    free(line);
    if (f)
        fclose(f);
    return all;
}

static const cJSON *at(const cJSON *o, const char *path)
{
    char buf[256];
    snprintf(buf, sizeof buf, "%s", path);
    for (char *p = strtok(buf, "."); p && o; p = strtok(NULL, "."))
        o = p[0] >= '0' && p[0] <= '9' && cJSON_IsArray(o) ? cJSON_GetArrayItem(o, atoi(p))
                                                           : cJSON_GetObjectItemCaseSensitive(o, p);
    return o;
}

static const char *str_at(const cJSON *o, const char *path)
{
    const cJSON *v = at(o, path);
    return cJSON_IsString(v) ? v->valuestring : "";
}

TEST(mcp_server_answers_a_whole_session)
{
    char idx[PATH_MAX];
    REQUIRE(make_index(idx, sizeof idx));
    const char *input =
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{"
        "\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},"
        "\"clientInfo\":{\"name\":\"unit\",\"version\":\"1\"}}}\n"
        "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}\n"
        "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":\"search\","
        "\"arguments\":{\"query\":\"exponential backoff\"}}}\n"
        "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\",\"params\":{\"name\":\"read\","
        "\"arguments\":{\"path\":\"db.py\",\"start_line\":2}}}\n"
        "{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"logging/setLevel\",\"params\":{\"level\":"
        "\"debug\"}}\n"
        "{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"tools/call\",\"params\":{\"name\":\"reindex\","
        "\"_meta\":{\"progressToken\":\"t\"}}}\n"
        "{\"jsonrpc\":\"2.0\",\"id\":6,\"method\":\"resources/read\",\"params\":{\"uri\":"
        "\"cairn://file/notes/retry.md\"}}\n"
        "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"resources/read\",\"params\":{\"uri\":"
        "\"cairn://file/../etc/passwd\"}}\n"
        "{\"jsonrpc\":\"2.0\",\"id\":8,\"method\":\"tools/list\",\"params\":{\"cursor\":\"zz\"}}\n"
        "not json\n"
        "{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":\"ping\"}";
    int rc = -1;
    cJSON *r = session(idx, input, &rc);
    REQUIRE(r);
    CHECK_INT(rc, CAIRN_OK);
    CHECK_STR(str_at(r, "1.result.protocolVersion"), "2025-06-18");
    CHECK_STR(str_at(r, "2.result.structuredContent.results.0.path"), "notes/retry.md");
    CHECK_STR(str_at(r, "3.result.structuredContent.text"), "    return connect(path)\n");
    CHECK(cJSON_IsObject(at(r, "4.result")));
    CHECK_INT(cJSON_GetNumberValue(at(r, "5.result.structuredContent.unchanged")), 2);
    CHECK(strstr(str_at(r, "6.result.contents.0.text"), "jitter") != NULL);
    CHECK_STR(str_at(r, "6.result.contents.0.mimeType"), "text/markdown");
    CHECK_INT(cJSON_GetNumberValue(at(r, "7.error.code")), -32602);
    CHECK_INT(cJSON_GetNumberValue(at(r, "8.error.code")), -32602);
    CHECK(cJSON_IsObject(at(r, "9.result")));
    int parse_errors = 0, progress = 0, logs = 0;
    const cJSON *n;
    cJSON_ArrayForEach(n, at(r, "notifications")) {
        parse_errors += cJSON_GetNumberValue(at(n, "error.code")) == -32700;
        progress += strcmp(str_at(n, "method"), "notifications/progress") == 0;
        logs += strcmp(str_at(n, "method"), "notifications/message") == 0;
    }
    CHECK_INT(parse_errors, 1);
    CHECK(progress >= 1);
    CHECK(logs >= 1);
    cJSON_Delete(r);
}

TEST(mcp_server_refuses_a_missing_index)
{
    char idx[PATH_MAX];
    snprintf(idx, sizeof idx, "%s/none", test_tmpdir());
    mcp_serve_opts o = {.index_dir = idx, .in_fd = -1, .out_fd = -1};
    CHECK_INT(mcp_serve(&o), CAIRN_ERR_NOTFOUND);
}
