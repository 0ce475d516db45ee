/*
 * textfile.c — safe reading, binary detection and transcoding to UTF-8.
 */
#include "indexer/textfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/err.h"

#define READ_STEP ((size_t)64 << 10)

/* Windows-1252 0x80..0x9F; 0 marks the five bytes it leaves undefined. */
static const uint16_t cp1252_high[32] = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0,      0x017D, 0,
    0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178,
};

enum { UTF8_OK, UTF8_INVALID, UTF8_TRUNCATED };

/* Strict UTF-8 check (no overlong forms, no surrogates, nothing past
 * U+10FFFF).  On failure *bad is the offset of the offending sequence;
 * UTF8_TRUNCATED means the data ends inside an otherwise valid sequence. */
static int utf8_check(const unsigned char *s, size_t n, size_t *bad)
{
    size_t i = 0;
    while (i < n) {
        unsigned c = s[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        size_t need;
        unsigned lo = 0x80, hi = 0xBF;
        if (c >= 0xC2 && c <= 0xDF)
            need = 1;
        else if (c >= 0xE0 && c <= 0xEF) {
            need = 2;
            if (c == 0xE0)
                lo = 0xA0;
            else if (c == 0xED)
                hi = 0x9F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            need = 3;
            if (c == 0xF0)
                lo = 0x90;
            else if (c == 0xF4)
                hi = 0x8F;
        } else {
            *bad = i;
            return UTF8_INVALID;
        }
        for (size_t k = 1; k <= need; k++) {
            if (i + k >= n) {
                *bad = i;
                return UTF8_TRUNCATED;
            }
            unsigned cc = s[i + k];
            if (k == 1 ? (cc < lo || cc > hi) : (cc & 0xC0) != 0x80) {
                *bad = i;
                return UTF8_INVALID;
            }
        }
        i += need + 1;
    }
    return UTF8_OK;
}

/* Text in Windows-1252 has no C0 controls beyond the usual whitespace and
 * ESC (terminal colour codes), and the five undefined bytes are rare
 * (under 1%); binary data fails one or the other almost at once. */
static int cp1252_plausible(const unsigned char *s, size_t n)
{
    size_t undefined = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned c = s[i];
        if (c < 0x20 && c != '\t' && c != '\n' && c != '\v' && c != '\f' && c != '\r' && c != 0x1B)
            return 0;
        if (c >= 0x80 && c <= 0x9F && cp1252_high[c - 0x80] == 0)
            undefined++;
    }
    return undefined * 100 < n;
}

static void utf8_put(unsigned char **p, uint32_t cp)
{
    unsigned char *o = *p;
    if (cp < 0x80) {
        *o++ = (unsigned char)cp;
    } else if (cp < 0x800) {
        *o++ = (unsigned char)(0xC0 | (cp >> 6));
        *o++ = (unsigned char)(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        *o++ = (unsigned char)(0xE0 | (cp >> 12));
        *o++ = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        *o++ = (unsigned char)(0x80 | (cp & 0x3F));
    } else {
        *o++ = (unsigned char)(0xF0 | (cp >> 18));
        *o++ = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
        *o++ = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        *o++ = (unsigned char)(0x80 | (cp & 0x3F));
    }
    *p = o;
}

/* Replace out's contents with the transcoded text in t, which out now owns. */
static void take(buf *out, buf *t)
{
    buf_release(out);
    *out = *t;
}

static int transcode_cp1252(buf *out, size_t from, size_t out_max)
{
    buf t;
    buf_init(&t, out_max);
    size_t n = out->len - from;
    int rc = buf_reserve(&t, n * 3);
    if (rc)
        return rc;
    const unsigned char *s = (const unsigned char *)out->data + from;
    unsigned char *o = (unsigned char *)t.data;
    for (size_t i = 0; i < n; i++) {
        unsigned c = s[i];
        uint32_t cp = c;
        if (c >= 0x80 && c <= 0x9F && cp1252_high[c - 0x80])
            cp = cp1252_high[c - 0x80];
        utf8_put(&o, cp);
    }
    t.len = (size_t)(o - (unsigned char *)t.data);
    t.data[t.len] = '\0';
    take(out, &t);
    return CAIRN_OK;
}

static int transcode_utf16(const char *path, buf *out, int big_endian, size_t out_max)
{
    const unsigned char *s = (const unsigned char *)out->data;
    size_t n = out->len;
    if (n % 2)
        return err_set(CAIRN_ERR_BINARY, "%s: not UTF-16 text (odd length %zu after a UTF-16 BOM)", path, n);
    buf t;
    buf_init(&t, out_max);
    /* Each 2-byte unit becomes at most 3 UTF-8 bytes; a 4-byte pair, 4. */
    int rc = buf_reserve(&t, n / 2 * 3);
    if (rc)
        return rc;
    unsigned char *o = (unsigned char *)t.data;
    for (size_t i = 2; i < n; i += 2) {
        uint32_t u = big_endian ? (uint32_t)(s[i] << 8 | s[i + 1]) : (uint32_t)(s[i + 1] << 8 | s[i]);
        if (u >= 0xD800 && u <= 0xDBFF && i + 3 < n) {
            uint32_t u2 = big_endian ? (uint32_t)(s[i + 2] << 8 | s[i + 3])
                                     : (uint32_t)(s[i + 3] << 8 | s[i + 2]);
            if (u2 >= 0xDC00 && u2 <= 0xDFFF) {
                u = 0x10000 + ((u - 0xD800) << 10) + (u2 - 0xDC00);
                i += 2;
            }
        }
        if (u >= 0xD800 && u <= 0xDFFF) {
            buf_release(&t);
            return err_set(CAIRN_ERR_BINARY, "%s: not UTF-16 text (unpaired surrogate 0x%04x at offset %zu)",
                           path, (unsigned)u, i);
        }
        if (u == 0) {
            buf_release(&t);
            return err_set(CAIRN_ERR_BINARY, "%s: binary file (NUL character at offset %zu)", path, i);
        }
        utf8_put(&o, u);
    }
    t.len = (size_t)(o - (unsigned char *)t.data);
    t.data[t.len] = '\0';
    take(out, &t);
    return CAIRN_OK;
}

static int open_error(const char *path, int e)
{
    switch (e) {
    case ENOENT:
    case ENOTDIR:
    case ESTALE:
        return err_set(CAIRN_ERR_NOTFOUND, "%s: no such file", path);
    case EACCES:
    case EPERM:
        return err_set(CAIRN_ERR_PERM, "%s: permission denied", path);
    case ELOOP:
        return err_set(CAIRN_ERR_INVALID, "%s: a symbolic link (not followed)", path);
    case ENXIO:
        return err_set(CAIRN_ERR_INVALID, "%s: not a regular file", path);
    default:
        return err_set(CAIRN_ERR_IO, "open %s: %s", path, strerror(e));
    }
}

/* Read all of fd into out, never more than max_size bytes. */
static int read_all(const char *path, int fd, size_t size_hint, size_t max_size, buf *out)
{
    int rc = buf_reserve(out, size_hint);
    if (rc)
        return rc;
    for (;;) {
        if (out->len >= max_size) {
            /* The file grew since fstat: one more byte means over the cap. */
            char c;
            ssize_t r = read(fd, &c, 1);
            if (r > 0)
                return err_set(CAIRN_ERR_TOOBIG, "%s: grew past the %zu-byte cap while being read", path,
                               max_size);
            if (r < 0 && errno == EINTR)
                continue;
            if (r < 0)
                return err_set(CAIRN_ERR_IO, "read %s: %s", path, strerror(errno));
            break;
        }
        size_t room = out->cap - 1 - out->len;
        if (room == 0) {
            size_t step = max_size - out->len < READ_STEP ? max_size - out->len : READ_STEP;
            if ((rc = buf_reserve(out, step)))
                return rc;
            room = out->cap - 1 - out->len;
        }
        if (room > max_size - out->len)
            room = max_size - out->len;
        ssize_t r = read(fd, out->data + out->len, room);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            return errno == EACCES ? err_set(CAIRN_ERR_PERM, "read %s: permission denied", path)
                                   : err_set(CAIRN_ERR_IO, "read %s: %s", path, strerror(errno));
        if (r == 0)
            break;
        out->len += (size_t)r;
    }
    out->data[out->len] = '\0';
    return CAIRN_OK;
}

static int decode(const char *path, buf *out, size_t out_max, textfile_info *info)
{
    const unsigned char *s = (const unsigned char *)out->data;
    size_t n = out->len;
    /* UTF-16 is full of NUL bytes, so its BOM must be checked first. */
    if (n >= 2 && ((s[0] == 0xFF && s[1] == 0xFE) || (s[0] == 0xFE && s[1] == 0xFF))) {
        int be = s[0] == 0xFE;
        info->encoding = be ? "utf-16be" : "utf-16le";
        info->had_bom = 1;
        info->bom_len = 2;
        info->transcoded = 1;
        return transcode_utf16(path, out, be, out_max);
    }
    size_t from = 0;
    if (n >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF) {
        info->had_bom = 1;
        info->bom_len = from = 3;
    }
    const char *nul = memchr(out->data, '\0', n);
    if (nul)
        return err_set(CAIRN_ERR_BINARY, "%s: binary file (NUL byte at offset %zu)", path,
                       (size_t)(nul - out->data));
    size_t bad = 0;
    if (utf8_check(s + from, n - from, &bad) == UTF8_OK) {
        if (from) {
            memmove(out->data, out->data + from, n - from);
            out->len -= from;
            out->data[out->len] = '\0';
        }
        return CAIRN_OK;
    }
    if (!cp1252_plausible(s + from, n - from))
        return err_set(CAIRN_ERR_BINARY, "%s: not UTF-8 text (invalid byte 0x%02x at offset %zu)", path,
                       s[from + bad], from + bad);
    info->encoding = "windows-1252";
    info->transcoded = 1;
    return transcode_cp1252(out, from, out_max);
}

int textfile_read(const char *path, size_t max_size, buf *out, textfile_info *info)
{
    textfile_info scratch;
    if (!info)
        info = &scratch;
    memset(info, 0, sizeof *info);
    info->encoding = "utf-8";
    buf_release(out);
    buf_init(out, max_size);

    /* O_NONBLOCK so that a FIFO cannot hang the indexer before fstat
     * rejects it; it changes nothing for regular files. */
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
    if (fd < 0)
        return open_error(path, errno);
    struct stat st;
    int rc;
    if (fstat(fd, &st) != 0)
        rc = err_set(CAIRN_ERR_IO, "stat %s: %s", path, strerror(errno));
    else if (!S_ISREG(st.st_mode))
        rc = err_set(CAIRN_ERR_INVALID, "%s: not a regular file", path);
    else if ((unsigned long long)st.st_size > max_size)
        rc = err_set(CAIRN_ERR_TOOBIG, "%s: %lld bytes, over the %zu-byte cap", path, (long long)st.st_size,
                     max_size);
    else
        rc = read_all(path, fd, (size_t)st.st_size, max_size, out);
    close(fd);
    if (rc)
        return rc;
    info->file_size = out->len;
    size_t out_max = max_size > SIZE_MAX / 3 ? SIZE_MAX : max_size * 3;
    return decode(path, out, out_max, info);
}

int textfile_looks_binary(const char *data, size_t len)
{
    const unsigned char *s = (const unsigned char *)data;
    if (len >= 2 && ((s[0] == 0xFF && s[1] == 0xFE) || (s[0] == 0xFE && s[1] == 0xFF)))
        return 0;
    if (memchr(data, '\0', len))
        return 1;
    size_t from = len >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF ? 3 : 0;
    size_t bad;
    if (utf8_check(s + from, len - from, &bad) != UTF8_INVALID)
        return 0;
    return !cp1252_plausible(s + from, len - from);
}
