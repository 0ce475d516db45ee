/*
 * protocol.h — the small vocabularies of the Model Context Protocol that
 * the server, the tools and the resources share: protocol revisions,
 * logging levels and pagination cursors.
 *
 * Revisions are kept as an ordered enum so that a feature added in a
 * revision is one comparison (rev >= MCP_REV_2025_06_18 for tool output
 * schemas and structured results, for instance).
 */
#ifndef CAIRN_MCP_PROTOCOL_H
#define CAIRN_MCP_PROTOCOL_H

#include <stddef.h>

enum mcp_rev {
    MCP_REV_2024_11_05,
    MCP_REV_2025_03_26, /* tool annotations, resource sizes, JSON-RPC batches */
    MCP_REV_2025_06_18, /* titles, tool output schemas and structured results; no batches */
    MCP_REV_2025_11_25, /* error responses may leave out an id they cannot know */
    MCP_REV_COUNT
};
#define MCP_REV_LATEST MCP_REV_2025_11_25

/* "2025-11-25" etc.; static. */
const char *proto_rev_name(int rev);

/* The revision called name, or -1 when cairn does not speak it. */
int proto_rev_parse(const char *name);

/* Logging levels of notifications/message, least severe first (RFC 5424
 * order), so "at or above the client's level" is an integer comparison. */
enum mcp_level {
    MCP_LOG_DEBUG,
    MCP_LOG_INFO,
    MCP_LOG_NOTICE,
    MCP_LOG_WARNING,
    MCP_LOG_ERROR,
    MCP_LOG_CRITICAL,
    MCP_LOG_ALERT,
    MCP_LOG_EMERGENCY
};

/* "debug" ... "emergency"; static. */
const char *proto_level_name(int level);

/* The level called name, or -1. */
int proto_level_parse(const char *name);

/* Pagination cursors are opaque to clients: "<kind>:<position>" written in
 * hexadecimal, so a client cannot mistake them for paths and a forged or
 * damaged cursor is recognised.  Encode writes a malloc'd string to *out
 * (caller frees).  Decode checks the kind and writes the malloc'd position
 * to *pos (caller frees); CAIRN_ERR_INVALID for anything that is not a
 * cursor of that kind. */
int proto_cursor_encode(const char *kind, const char *pos, char **out);
int proto_cursor_decode(const char *cursor, const char *kind, char **pos);

#endif
