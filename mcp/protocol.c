/*
 * protocol.c — protocol revisions, logging levels, pagination cursors.
 */
#include "mcp/protocol.h"

#include "util/err.h"

#include <stdlib.h>
#include <string.h>

/* A cursor holds a kind and a path; this bounds what decode accepts. */
#define CURSOR_MAX_BYTES 8192

static const char *const rev_names[MCP_REV_COUNT] = {
    [MCP_REV_2024_11_05] = "2024-11-05",
    [MCP_REV_2025_03_26] = "2025-03-26",
    [MCP_REV_2025_06_18] = "2025-06-18",
    [MCP_REV_2025_11_25] = "2025-11-25",
};

static const char *const level_names[] = {
    "debug", "info", "notice", "warning", "error", "critical", "alert", "emergency",
};

const char *proto_rev_name(int rev)
{
    return rev >= 0 && rev < MCP_REV_COUNT ? rev_names[rev] : rev_names[MCP_REV_LATEST];
}

int proto_rev_parse(const char *name)
{
    for (int i = 0; name && i < MCP_REV_COUNT; i++)
        if (strcmp(name, rev_names[i]) == 0)
            return i;
    return -1;
}

const char *proto_level_name(int level)
{
    size_t n = sizeof level_names / sizeof level_names[0];
    return level >= 0 && (size_t)level < n ? level_names[level] : "info";
}

int proto_level_parse(const char *name)
{
    for (size_t i = 0; name && i < sizeof level_names / sizeof level_names[0]; i++)
        if (strcmp(name, level_names[i]) == 0)
            return (int)i;
    return -1;
}

int proto_cursor_encode(const char *kind, const char *pos, char **out)
{
    static const char hex[] = "0123456789abcdef";
    size_t nk = strlen(kind), np = strlen(pos);
    char *s = malloc((nk + 1 + np) * 2 + 1);
    if (!s) {
        *out = NULL;
        return err_set(CAIRN_ERR_NOMEM, "out of memory");
    }
    char *w = s;
    for (size_t i = 0; i < nk + 1 + np; i++) {
        unsigned char c = i < nk    ? (unsigned char)kind[i]
                          : i == nk ? ':'
                                    : (unsigned char)pos[i - nk - 1];
        *w++ = hex[c >> 4];
        *w++ = hex[c & 15];
    }
    *w = '\0';
    *out = s;
    return CAIRN_OK;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

int proto_cursor_decode(const char *cursor, const char *kind, char **pos)
{
    *pos = NULL;
    size_t n = strlen(cursor);
    if (n == 0 || n % 2 || n > CURSOR_MAX_BYTES)
        return err_set(CAIRN_ERR_INVALID, "not a cursor this server gave out; list again "
                       "without a cursor");
    char *raw = malloc(n / 2 + 1);
    if (!raw)
        return err_set(CAIRN_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < n / 2; i++) {
        int hi = hexval(cursor[2 * i]), lo = hexval(cursor[2 * i + 1]);
        if (hi < 0 || lo < 0 || (hi == 0 && lo == 0)) {
            free(raw);
            return err_set(CAIRN_ERR_INVALID, "not a cursor this server gave out; list "
                           "again without a cursor");
        }
        raw[i] = (char)(hi << 4 | lo);
    }
    raw[n / 2] = '\0';
    size_t nk = strlen(kind);
    if (strncmp(raw, kind, nk) != 0 || raw[nk] != ':') {
        free(raw);
        return err_set(CAIRN_ERR_INVALID, "this cursor belongs to another list; list again "
                       "without a cursor");
    }
    memmove(raw, raw + nk + 1, n / 2 - nk);
    *pos = raw;
    return CAIRN_OK;
}
