/*
 * buf.h — a growable byte buffer with a hard size cap.
 *
 * Every buffer fed by a file or the network has a ceiling (curl's rule):
 * appends past `max` fail with CAIRN_ERR_TOOBIG instead of growing without
 * bound.  The contents are always NUL-terminated after a successful append,
 * so data can be read as a C string when it holds text.
 *
 * Lifecycle: buf_init() a caller-owned struct, buf_release() its memory.
 */
#ifndef CAIRN_BUF_H
#define CAIRN_BUF_H

#include <stddef.h>

#define BUF_DEFAULT_MAX ((size_t)256 << 20) /* 256 MiB */

typedef struct buf {
    char *data;  /* NULL until the first append; owned by the buf */
    size_t len;  /* bytes used, excluding the terminating NUL */
    size_t cap;  /* bytes allocated */
    size_t max;  /* hard cap on len */
} buf;

/* Initialise an empty buffer whose length may never exceed max bytes
 * (0 means BUF_DEFAULT_MAX).  Allocates nothing. */
void buf_init(buf *b, size_t max);

/* Free the memory and leave b empty and reusable.  Accepts NULL. */
void buf_release(buf *b);

/* Drop the contents, keep the allocation. */
void buf_clear(buf *b);

/* Ensure room for n more bytes (plus NUL). */
int buf_reserve(buf *b, size_t n);

int buf_append(buf *b, const void *data, size_t n);
int buf_puts(buf *b, const char *s);
int buf_putc(buf *b, char c);
int buf_printf(buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The contents as a C string ("" when empty); valid until the next append. */
const char *buf_str(const buf *b);

/* Hand the allocation to the caller (free() it) and leave b empty.
 * Returns a malloc'd "" copy when the buffer never allocated; NULL on OOM. */
char *buf_detach(buf *b);

#endif
