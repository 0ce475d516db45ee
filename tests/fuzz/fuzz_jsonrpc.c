/*
 * fuzz_jsonrpc.c — fuzz target for the MCP server's framing: bytes on a
 * pipe split into lines under a length cap, each parsed and classified as
 * a JSON-RPC message, as the server's reader does.
 */
#include "tests/fuzz/fuzz.h"
#include "mcp/jsonrpc.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <unistd.h>

/* A small cap, so that the over-long-line path is reached often. */
#define LINE_CAP 4096
#define MAX_INPUT (1 << 18)

int fuzz_jsonrpc(const uint8_t *data, size_t size)
{
    if (size > MAX_INPUT)
        return 0;
    int fds[2];
    if (pipe(fds) != 0)
        return 0;
    /* The pipe holds 64 KiB: write what fits, then close for EOF. */
    size_t off = 0;
    while (off < size) {
        ssize_t w = write(fds[1], data + off, size - off > 65536 ? 65536 : size - off);
        if (w <= 0)
            break;
        off += (size_t)w;
        if (off >= 60000)
            break;
    }
    close(fds[1]);
    jsonrpc_reader r;
    jsonrpc_reader_init(&r, fds[0], LINE_CAP);
    char *line;
    size_t len;
    int rc;
    while ((rc = jsonrpc_reader_next(&r, &line, &len)) == JSONRPC_LINE || rc == JSONRPC_TOO_LONG) {
        if (rc == JSONRPC_TOO_LONG)
            continue;
        cJSON *msg = NULL;
        if (jsonrpc_parse(line, len, &msg) == 0 && msg) {
            const cJSON *id = NULL;
            const char *why = NULL;
            jsonrpc_kind k = jsonrpc_classify(msg, &id, &why);
            if (id) {
                char *key = jsonrpc_id_key(id);
                free(key);
            }
            (void)k;
        }
        cJSON_Delete(msg);
    }
    jsonrpc_reader_release(&r);
    close(fds[0]);
    return 0;
}
