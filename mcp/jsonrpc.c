/*
 * jsonrpc.c — newline-delimited JSON-RPC 2.0 framing (see jsonrpc.h).
 */
#include "mcp/jsonrpc.h"

#include "util/err.h"

#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define READ_CHUNK ((size_t)64 << 10)

void jsonrpc_reader_init(jsonrpc_reader *r, int fd, size_t max)
{
    memset(r, 0, sizeof *r);
    r->fd = fd;
    r->max = max ? max : JSONRPC_MAX_LINE;
}

void jsonrpc_reader_release(jsonrpc_reader *r)
{
    if (!r)
        return;
    free(r->buf);
    r->buf = NULL;
    r->start = r->len = r->cap = 0;
}

/* Cut the line that ends at nl (or at the end of the data) out of the
 * buffer. */
static int take_line(jsonrpc_reader *r, size_t end, size_t next, char **line, size_t *len)
{
    char *p = r->buf + r->start;
    size_t n = end - r->start;
    if (n > 0 && p[n - 1] == '\r')
        n--;
    p[n] = '\0';
    r->start = next;
    *line = p;
    *len = n;
    return JSONRPC_LINE;
}

/* Room for one more read: move pending bytes to the front, grow up to
 * max + READ_CHUNK. */
static int make_room(jsonrpc_reader *r)
{
    if (r->start > 0) {
        memmove(r->buf, r->buf + r->start, r->len - r->start);
        r->len -= r->start;
        r->start = 0;
    }
    if (r->cap - r->len > 1)
        return CAIRN_OK;
    size_t want = r->cap ? r->cap * 2 : READ_CHUNK;
    if (want > r->max + READ_CHUNK + 1)
        want = r->max + READ_CHUNK + 1;
    if (want <= r->cap)
        return CAIRN_OK;
    char *nb = realloc(r->buf, want);
    if (!nb)
        return err_set(CAIRN_ERR_NOMEM, "out of memory reading a message");
    r->buf = nb;
    r->cap = want;
    return CAIRN_OK;
}

int jsonrpc_reader_next(jsonrpc_reader *r, char **line, size_t *len)
{
    for (;;) {
        size_t held = r->len - r->start;
        char *nl = held ? memchr(r->buf + r->start, '\n', held) : NULL;
        if (nl) {
            size_t at = (size_t)(nl - r->buf);
            if (r->discarding) {
                r->discarding = 0;
                r->start = at + 1;
                continue;
            }
            if (at - r->start > r->max) {
                r->start = at + 1;
                return JSONRPC_TOO_LONG;
            }
            return take_line(r, at, at + 1, line, len);
        }
        if (r->discarding) {
            r->start = r->len = 0;
        } else if (held > r->max) {
            r->discarding = 1;
            r->start = r->len = 0;
            return JSONRPC_TOO_LONG;
        }
        if (r->eof) {
            if (r->len > r->start && !r->discarding) {
                int rc = make_room(r);
                if (rc)
                    return rc;
                return take_line(r, r->len, r->len, line, len);
            }
            return JSONRPC_EOF;
        }
        int rc = make_room(r);
        if (rc)
            return rc;
        size_t room = r->cap - r->len - 1;
        ssize_t got = read(r->fd, r->buf + r->len, room);
        if (got < 0) {
            if (errno == EINTR)
                continue;
            return err_set(CAIRN_ERR_IO, "reading messages: %s", strerror(errno));
        }
        if (got == 0)
            r->eof = 1;
        r->len += (size_t)got;
    }
}

/* Strict UTF-8: no overlong forms, no surrogates, nothing past U+10FFFF. */
static int valid_utf8(const unsigned char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        unsigned char c = s[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        size_t k;
        uint32_t cp;
        if (c >= 0xc2 && c <= 0xdf) {
            k = 1;
            cp = c & 0x1f;
        } else if (c >= 0xe0 && c <= 0xef) {
            k = 2;
            cp = c & 0x0f;
        } else if (c >= 0xf0 && c <= 0xf4) {
            k = 3;
            cp = c & 0x07;
        } else {
            return 0;
        }
        if (i + k >= n)
            return 0;
        for (size_t j = 1; j <= k; j++) {
            if ((s[i + j] & 0xc0) != 0x80)
                return 0;
            cp = cp << 6 | (s[i + j] & 0x3f);
        }
        if ((k == 2 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
            (k == 3 && (cp < 0x10000 || cp > 0x10ffff)))
            return 0;
        i += k + 1;
    }
    return 1;
}

int jsonrpc_parse(const char *line, size_t len, cJSON **out)
{
    *out = NULL;
    if (!valid_utf8((const unsigned char *)line, len))
        return err_set(CAIRN_ERR_INVALID, "the message is not valid UTF-8");
    const char *end = NULL;
    cJSON *v = cJSON_ParseWithLengthOpts(line, len, &end, 0);
    if (!v)
        return err_set(CAIRN_ERR_INVALID, "the message is not valid JSON");
    while (end && end < line + len && (*end == ' ' || *end == '\t' || *end == '\r' || *end == '\n'))
        end++;
    if (!end || end != line + len) {
        cJSON_Delete(v);
        return err_set(CAIRN_ERR_INVALID, "the message has data after its JSON value "
                       "(one message per line)");
    }
    *out = v;
    return CAIRN_OK;
}

static int usable_id(const cJSON *id)
{
    return id && (cJSON_IsString(id) || cJSON_IsNumber(id));
}

jsonrpc_kind jsonrpc_classify(const cJSON *msg, const cJSON **id, const char **why)
{
    *id = NULL;
    *why = NULL;
    if (!cJSON_IsObject(msg)) {
        *why = "a message must be a JSON object";
        return JSONRPC_INVALID;
    }
    const cJSON *jid = cJSON_GetObjectItemCaseSensitive(msg, "id");
    if (usable_id(jid))
        *id = jid;
    const cJSON *ver = cJSON_GetObjectItemCaseSensitive(msg, "jsonrpc");
    if (!cJSON_IsString(ver) || strcmp(ver->valuestring, "2.0") != 0) {
        *why = "\"jsonrpc\" must be \"2.0\"";
        return JSONRPC_INVALID;
    }
    const cJSON *method = cJSON_GetObjectItemCaseSensitive(msg, "method");
    if (method) {
        if (!cJSON_IsString(method)) {
            *why = "\"method\" must be a string";
            return JSONRPC_INVALID;
        }
        const cJSON *params = cJSON_GetObjectItemCaseSensitive(msg, "params");
        if (params && !cJSON_IsObject(params) && !cJSON_IsArray(params)) {
            *why = "\"params\" must be an object";
            return JSONRPC_INVALID;
        }
        if (!jid)
            return JSONRPC_NOTIFICATION;
        if (!*id) {
            *why = "\"id\" must be a string or a number";
            return JSONRPC_INVALID;
        }
        return JSONRPC_REQUEST;
    }
    int has_result = cJSON_GetObjectItemCaseSensitive(msg, "result") != NULL;
    int has_error = cJSON_GetObjectItemCaseSensitive(msg, "error") != NULL;
    if (jid && has_result != has_error)
        return JSONRPC_RESPONSE;
    *why = "a request needs a \"method\"";
    return JSONRPC_INVALID;
}

char *jsonrpc_id_key(const cJSON *id)
{
    char *key = NULL;
    int n;
    if (cJSON_IsString(id))
        n = asprintf(&key, "s:%s", id->valuestring);
    else
        n = asprintf(&key, "n:%.17g", cJSON_GetNumberValue(id));
    return n < 0 ? NULL : key;
}

static cJSON *envelope(void)
{
    cJSON *m = cJSON_CreateObject();
    if (m && !cJSON_AddStringToObject(m, "jsonrpc", "2.0")) {
        cJSON_Delete(m);
        return NULL;
    }
    return m;
}

static int add_id(cJSON *m, const cJSON *id)
{
    if (!id)
        return 1;
    cJSON *copy = cJSON_Duplicate(id, 1);
    return copy && cJSON_AddItemToObject(m, "id", copy);
}

cJSON *jsonrpc_result(const cJSON *id, cJSON *result)
{
    cJSON *m = envelope();
    if (!m || !result || !add_id(m, id) || !cJSON_AddItemToObject(m, "result", result)) {
        cJSON_Delete(m);
        cJSON_Delete(result);
        return NULL;
    }
    return m;
}

cJSON *jsonrpc_error(const cJSON *id, int code, const char *message, cJSON *data)
{
    cJSON *m = envelope();
    cJSON *e = cJSON_CreateObject();
    if (!m || !e || !add_id(m, id) || !cJSON_AddNumberToObject(e, "code", code) ||
        !cJSON_AddStringToObject(e, "message", message)) {
        cJSON_Delete(m);
        cJSON_Delete(e);
        cJSON_Delete(data);
        return NULL;
    }
    if (data)
        cJSON_AddItemToObject(e, "data", data);
    cJSON_AddItemToObject(m, "error", e);
    return m;
}

cJSON *jsonrpc_notification(const char *method, cJSON *params)
{
    cJSON *m = envelope();
    if (!m || !cJSON_AddStringToObject(m, "method", method)) {
        cJSON_Delete(m);
        cJSON_Delete(params);
        return NULL;
    }
    if (params)
        cJSON_AddItemToObject(m, "params", params);
    return m;
}

int jsonrpc_writer_init(jsonrpc_writer *w, int fd)
{
    w->fd = fd;
    w->broken = 0;
    if (pthread_mutex_init(&w->mu, NULL) != 0)
        return err_set(CAIRN_ERR_NOMEM, "cannot create a mutex");
    return CAIRN_OK;
}

void jsonrpc_writer_release(jsonrpc_writer *w)
{
    if (w)
        pthread_mutex_destroy(&w->mu);
}

int jsonrpc_write(jsonrpc_writer *w, const cJSON *msg)
{
    char *text = cJSON_PrintUnformatted(msg);
    if (!text)
        return err_set(CAIRN_ERR_NOMEM, "out of memory writing a message");
    size_t n = strlen(text);
    text[n] = '\n'; /* the NUL is not written, so the line can end in its place */
    int rc = CAIRN_OK;
    pthread_mutex_lock(&w->mu);
    for (size_t off = 0; off <= n && !w->broken;) {
        ssize_t put = write(w->fd, text + off, n + 1 - off);
        if (put < 0 && errno == EINTR)
            continue;
        if (put <= 0) {
            w->broken = 1;
            break;
        }
        off += (size_t)put;
    }
    if (w->broken)
        rc = err_set(CAIRN_ERR_IO, "the client is no longer reading");
    pthread_mutex_unlock(&w->mu);
    cJSON_free(text);
    return rc;
}

int jsonrpc_writer_gone(jsonrpc_writer *w)
{
    pthread_mutex_lock(&w->mu);
    int gone = w->broken;
    pthread_mutex_unlock(&w->mu);
    if (gone)
        return 1;
    struct pollfd p = {.fd = w->fd, .events = 0};
    return poll(&p, 1, 0) == 1 && (p.revents & (POLLERR | POLLHUP | POLLNVAL));
}
