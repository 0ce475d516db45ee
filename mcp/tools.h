/*
 * tools.h — cairn's MCP tools: one table of definitions and the machinery
 * that lists and calls them.
 *
 * Each tool is a row of data in tools.c: its name, a title, a description
 * written for a model (when to use it, what it returns, what it does not
 * do yet), its input and output JSON Schemas, its behaviour hints, and one
 * handler with the signature tool_fn (handlers live in mcp/handlers.c).
 * Adding a tool is adding a row and a function.
 *
 * Calls are checked against the tool's inputSchema (mcp/schema.h) before
 * the handler runs.  A handler's failure, and arguments that do not fit
 * the schema, become results with isError set whose text says what to do
 * next, so the model can correct itself; protocol errors are left to the
 * server (unknown tool, malformed request).
 */
#ifndef CAIRN_MCP_TOOLS_H
#define CAIRN_MCP_TOOLS_H

#include "store/store.h"
#include "util/buf.h"

#include <cjson/cJSON.h>
#include <stddef.h>

typedef struct tool_call tool_call;

/* What a handler gets: the arguments, a store, and the ways to talk back
 * to the client while it works.  The callbacks are the server's. */
struct tool_call {
    store *s;              /* read handle owned by the calling thread; NULL for
                              long-running tools, which open their own */
    const char *index_dir; /* absolute path of the index directory */
    const cJSON *args;     /* an object, already checked against inputSchema */
    void *ctx;             /* the server's, for the callbacks */
    /* Progress for a client that asked for it: done of total (0 = unknown). */
    void (*progress)(tool_call *c, double done, double total, const char *message);
    /* Nonzero once the client cancelled the call or went away. */
    int (*cancelled)(tool_call *c);
    /* A notifications/message at level (enum mcp_level) if the client wants it. */
    void (*log)(tool_call *c, int level, const char *message);
};

typedef struct tool_output {
    cJSON *structured; /* the result object, matching outputSchema; owned by the output */
    buf text;          /* the same for a model to read */
} tool_output;

/* A handler fills out and returns CAIRN_OK, or returns a CAIRN_ERR_* code
 * with an err_set message saying what went wrong and what to try instead
 * (it becomes an isError result).  CAIRN_ERR_CANCELLED when it stopped
 * because c->cancelled said so: no result is sent. */
typedef int (*tool_fn)(tool_call *c, tool_output *out);

typedef struct tool_def {
    const char *name;
    const char *title;
    const char *description;   /* written for a model */
    const char *input_schema;  /* JSON Schema text */
    const char *output_schema; /* JSON Schema text of structuredContent */
    int read_only;             /* annotations: readOnlyHint */
    int destructive;           /* destructiveHint (meaningful when not read-only) */
    int idempotent;            /* idempotentHint */
    int long_running;          /* runs on its own thread: other requests go on meanwhile */
    tool_fn run;
} tool_def;

/* The rows of mcp/tool_table.c. */
extern const tool_def tool_table[];
extern const size_t tool_table_len;

typedef struct tools tools;

/* The tool table with its schemas parsed.  Caller frees with tools_free.
 * CAIRN_ERR_CORRUPT names a tool whose schema text is not valid JSON. */
int tools_new(tools **out);
void tools_free(tools *t);

size_t tools_count(const tools *t);

/* The i-th tool (table order), or NULL past the end; static data. */
const tool_def *tools_at(const tools *t, size_t i);

/* The tool called name, or NULL; static data. */
const tool_def *tools_find(const tools *t, const char *name);

/* One page of a tools/list result for protocol revision rev (enum
 * mcp_rev decides which fields exist) starting at cursor (NULL for the
 * first page), at most page_size tools.  *result is the caller's
 * (cJSON_Delete).  CAIRN_ERR_INVALID for a cursor that is not ours. */
int tools_list(const tools *t, const char *cursor, size_t page_size, int rev, cJSON **result);

/* Check c->args against def's inputSchema, run the handler, and build a
 * CallToolResult for revision rev into *result (caller's).  CAIRN_OK also
 * for isError results; CAIRN_ERR_CANCELLED when nothing must be sent;
 * CAIRN_ERR_NOMEM. */
int tools_call(const tools *t, const tool_def *def, tool_call *c, int rev, cJSON **result);

/* A CallToolResult with isError set and text as its content, for failures
 * the server finds before a handler runs; NULL when out of memory. */
cJSON *tools_error_result(const char *text);

#endif
