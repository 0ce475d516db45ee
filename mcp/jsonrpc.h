/*
 * jsonrpc.h — JSON-RPC 2.0 messages over a newline-delimited byte stream,
 * the framing of MCP's stdio transport.
 *
 * Three parts:
 *   - a line reader with a hard cap: a line longer than the cap is reported
 *     once and the rest of it, however long, is dropped without being
 *     stored, so a client cannot make the server allocate without bound;
 *   - parsing and classifying one line (UTF-8 and JSON checked, then
 *     request / notification / response / invalid by JSON-RPC's rules and
 *     MCP's: ids are strings or numbers, never null);
 *   - a writer that serialises whole messages from several threads, one
 *     line each, and notices when the reading end has gone away.
 */
#ifndef CAIRN_MCP_JSONRPC_H
#define CAIRN_MCP_JSONRPC_H

#include <cjson/cJSON.h>
#include <pthread.h>
#include <stddef.h>

#define JSONRPC_MAX_LINE ((size_t)4 << 20) /* 4 MiB */

enum {
    JSONRPC_PARSE_ERROR = -32700,
    JSONRPC_INVALID_REQUEST = -32600,
    JSONRPC_METHOD_NOT_FOUND = -32601,
    JSONRPC_INVALID_PARAMS = -32602,
    JSONRPC_INTERNAL_ERROR = -32603,
    JSONRPC_RESOURCE_NOT_FOUND = -32002 /* MCP's code for resources/read */
};

/* ---- reading lines ---- */

typedef struct jsonrpc_reader {
    int fd;
    char *buf;       /* owned; holds at most max + one read's worth */
    size_t start;    /* first byte not yet returned */
    size_t len;      /* bytes held */
    size_t cap;
    size_t max;      /* longest line accepted */
    int discarding;  /* inside an over-long line: drop bytes up to its '\n' */
    int eof;
} jsonrpc_reader;

enum { JSONRPC_EOF = 0, JSONRPC_LINE = 1, JSONRPC_TOO_LONG = 2 };

/* Read lines from fd, each at most max bytes (0 = JSONRPC_MAX_LINE).
 * Allocates nothing until the first read. */
void jsonrpc_reader_init(jsonrpc_reader *r, int fd, size_t max);
void jsonrpc_reader_release(jsonrpc_reader *r);

/* The next line: JSONRPC_LINE with *line (NUL-terminated, no '\n' or
 * trailing '\r', owned by the reader and valid until the next call) and
 * *len; JSONRPC_TOO_LONG once for a line over the cap (the rest of it is
 * skipped); JSONRPC_EOF at the end of input (a last line without '\n' is
 * still returned first); or a negative CAIRN_ERR_* for a read error. */
int jsonrpc_reader_next(jsonrpc_reader *r, char **line, size_t *len);

/* ---- parsing and classifying ---- */

/* Parse one line as one JSON value.  On success *out is the value (caller
 * frees with cJSON_Delete).  CAIRN_ERR_INVALID with a message for bytes
 * that are not UTF-8, text that is not JSON, or data after the value. */
int jsonrpc_parse(const char *line, size_t len, cJSON **out);

typedef enum jsonrpc_kind {
    JSONRPC_REQUEST,      /* method and a usable id */
    JSONRPC_NOTIFICATION, /* method, no id */
    JSONRPC_RESPONSE,     /* id and result or error: a reply to a request */
    JSONRPC_INVALID       /* anything else */
} jsonrpc_kind;

/* Classify msg.  *id is the request's id, or for JSONRPC_INVALID the id to
 * echo in the error when it is a usable one (else NULL); it points into
 * msg.  For JSONRPC_INVALID *why (static text) says what is wrong. */
jsonrpc_kind jsonrpc_classify(const cJSON *msg, const cJSON **id, const char **why);

/* A key that identifies an id: "s:" plus the string, or "n:" plus the
 * number; two ids are the same request id when their keys are equal.
 * malloc'd (caller frees); NULL when out of memory. */
char *jsonrpc_id_key(const cJSON *id);

/* ---- building messages (each returns NULL only when out of memory) ---- */

/* {"jsonrpc":"2.0","id":<copy of id>,"result":result}; takes result. */
cJSON *jsonrpc_result(const cJSON *id, cJSON *result);

/* {"jsonrpc":"2.0","id":...,"error":{"code","message"[,"data"]}}; takes
 * data (may be NULL).  id NULL leaves the id out, for errors about
 * messages whose id cannot be known (MCP types ids as strings or numbers,
 * so it has no use for JSON-RPC's "id": null). */
cJSON *jsonrpc_error(const cJSON *id, int code, const char *message, cJSON *data);

/* {"jsonrpc":"2.0","method":method[,"params":params]}; takes params. */
cJSON *jsonrpc_notification(const char *method, cJSON *params);

/* ---- writing ---- */

typedef struct jsonrpc_writer {
    int fd;
    pthread_mutex_t mu;
    int broken; /* a write failed: the reader has gone */
} jsonrpc_writer;

int jsonrpc_writer_init(jsonrpc_writer *w, int fd);
void jsonrpc_writer_release(jsonrpc_writer *w);

/* Write msg as one line, whole, even when other threads write too.
 * CAIRN_ERR_IO when the stream is broken (then every later write fails
 * fast); CAIRN_ERR_NOMEM. */
int jsonrpc_write(jsonrpc_writer *w, const cJSON *msg);

/* 1 when writes can no longer reach anyone: a write failed, or the pipe or
 * socket says its other end is closed.  Cheap (one poll), so long work can
 * stop early when its client has left. */
int jsonrpc_writer_gone(jsonrpc_writer *w);

#endif
