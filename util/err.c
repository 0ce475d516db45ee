/*
 * err.c — thread-local error messages behind every CAIRN_ERR_* return.
 */
#include "err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define ERR_MSG_MAX 1024

static _Thread_local char err_buf[ERR_MSG_MAX];

int err_set(int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err_buf, sizeof err_buf, fmt, ap);
    va_end(ap);
    return code;
}

int err_wrap(int code, const char *fmt, ...)
{
    char old[ERR_MSG_MAX];
    memcpy(old, err_buf, sizeof old);
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(err_buf, sizeof err_buf, fmt, ap);
    va_end(ap);
    /* The message may be cut at the buffer's end; that is its cap. */
    if (n >= 0 && (size_t)n < sizeof err_buf - 2) {
        size_t used = (size_t)n;
        const char *rest = old[0] ? old : err_name(code);
        size_t room = sizeof err_buf - used - 3;
        size_t len = strnlen(rest, room);
        memcpy(err_buf + used, ": ", 2);
        memcpy(err_buf + used + 2, rest, len);
        err_buf[used + 2 + len] = '\0';
    }
    return code;
}

const char *err_msg(void) { return err_buf; }

void err_clear(void) { err_buf[0] = '\0'; }

const char *err_name(int code)
{
    switch (code) {
    case CAIRN_OK: return "ok";
    case CAIRN_ERR_NOMEM: return "out of memory";
    case CAIRN_ERR_IO: return "I/O error";
    case CAIRN_ERR_INVALID: return "invalid input";
    case CAIRN_ERR_NOTFOUND: return "not found";
    case CAIRN_ERR_CORRUPT: return "corrupt data";
    case CAIRN_ERR_VERSION: return "version mismatch";
    case CAIRN_ERR_TOOBIG: return "too big";
    case CAIRN_ERR_BUSY: return "busy";
    case CAIRN_ERR_DB: return "database error";
    case CAIRN_ERR_BINARY: return "not a text file";
    case CAIRN_ERR_PERM: return "permission denied";
    case CAIRN_ERR_CANCELLED: return "cancelled";
    }
    return "unknown error";
}
