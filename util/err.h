/*
 * err.h — cairn's one error convention.
 *
 * Every fallible function returns an int: CAIRN_OK (0) on success or one of
 * the negative CAIRN_ERR_* codes below.  Results travel through
 * out-parameters.  Before returning an error code a function records a
 * message that names what failed and where (a path, a line, a value) with
 * err_set(); callers read it with err_msg() and may prepend context with
 * err_wrap().  The message lives in thread-local storage, so worker threads
 * never see each other's errors.
 */
#ifndef CAIRN_ERR_H
#define CAIRN_ERR_H

enum {
    CAIRN_OK = 0,
    CAIRN_ERR_NOMEM = -1,    /* allocation failed */
    CAIRN_ERR_IO = -2,       /* open/read/write/stat failed */
    CAIRN_ERR_INVALID = -3,  /* bad argument or malformed input */
    CAIRN_ERR_NOTFOUND = -4, /* no such file, row, index, command... */
    CAIRN_ERR_CORRUPT = -5,  /* on-disk data is damaged */
    CAIRN_ERR_VERSION = -6,  /* index written by another schema version */
    CAIRN_ERR_TOOBIG = -7,   /* a size cap was reached */
    CAIRN_ERR_BUSY = -8,     /* another process holds a lock */
    CAIRN_ERR_DB = -9,       /* SQLite reported an error */
    CAIRN_ERR_BINARY = -10,  /* file is not text */
    CAIRN_ERR_PERM = -11,    /* permission denied / read-only */
    CAIRN_ERR_CANCELLED = -12 /* the caller asked to stop */
};

/* Record a printf-style message for the current thread and return code.
 * Typical use: return err_set(CAIRN_ERR_IO, "read %s: %s", path, strerror(errno)); */
int err_set(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Prepend "context: " to the current message and return code unchanged. */
int err_wrap(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The current thread's last message; "" if none.  Valid until the next
 * err_set/err_wrap/err_clear on this thread. */
const char *err_msg(void);

/* Forget the current message. */
void err_clear(void);

/* A short constant name for a code ("I/O error", "corrupt index"...). */
const char *err_name(int code);

#endif
