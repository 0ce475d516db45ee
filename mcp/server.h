/*
 * server.h — cairn's Model Context Protocol server over stdio.
 *
 * Speaks MCP revision 2025-11-25 and, when a client asks for them,
 * 2025-06-18, 2025-03-26 and 2024-11-05, as newline-delimited JSON-RPC 2.0
 * (mcp/jsonrpc.h).  Three kinds of thread share the work:
 *   - the calling thread reads and parses messages, answers `ping` and
 *     acts on `notifications/cancelled` at once, and queues the rest;
 *   - one worker answers queued messages in order with the read handle of
 *     the store (search, read, lists...);
 *   - a long-running tool (reindex) gets a thread of its own with its own
 *     write handle, so searches, pings and cancellations go on meanwhile.
 * Writes are serialised per message.  A cancelled request gets no reply.
 *
 * JSON-RPC batches (arrays, at most 100 messages) are answered when the
 * negotiated revision is 2025-03-26, the only one that has them; otherwise
 * an array gets one -32600 error.  Requests other than initialize and ping before initialize
 * get -32600 too.  A line over 4 MiB gets one -32700 error and the rest of
 * it is skipped.  The queue between reader and worker holds at most 1024
 * messages and 64 MiB; past that the reader waits.  End of input ends the
 * session: queued requests are answered, a running reindex finishes unless
 * its client has gone (its output pipe closed), and mcp_serve returns.
 */
#ifndef CAIRN_MCP_SERVER_H
#define CAIRN_MCP_SERVER_H

#include <stddef.h>

/* Page size of tools/list and resources/list for clients that do not say;
 * the environment variable CAIRN_MCP_PAGE_SIZE overrides both (tests use
 * it to exercise pagination). */
#define MCP_TOOLS_PAGE 100
#define MCP_RESOURCES_PAGE 500
#define MCP_PAGE_ENV "CAIRN_MCP_PAGE_SIZE"

typedef struct mcp_serve_opts {
    const char *index_dir; /* the index to serve (absolute or relative) */
    int in_fd;             /* messages from the client */
    int out_fd;            /* messages to the client, and nothing else */
    int watch;             /* keep the index current while serving (indexer/follow.h) */
    int poll;              /* ... by rescanning rather than with inotify */
} mcp_serve_opts;

/* Serve one client until the end of its input.  CAIRN_OK after a normal
 * end; an error only when the index cannot be opened or the server cannot
 * start (threads, memory), with the message set. */
int mcp_serve(const mcp_serve_opts *o);

#endif
