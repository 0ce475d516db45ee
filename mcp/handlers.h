/*
 * handlers.h — the functions behind cairn's MCP tools, one per tool, all
 * with the tool_fn signature (mcp/tools.h).  The table in mcp/tools.c
 * names them; nothing else calls them.
 *
 * Each fills out->structured with the object its outputSchema describes
 * and out->text with a rendering for a model, or fails with an err_set
 * message that says what to do next.
 */
#ifndef CAIRN_MCP_HANDLERS_H
#define CAIRN_MCP_HANDLERS_H

#include "mcp/tools.h"

/* search: ranked chunks for a free-text query (query/search.h). */
int handlers_search(tool_call *c, tool_output *out);

/* read: bounded lines of an indexed file (query/read.h). */
int handlers_read(tool_call *c, tool_output *out);

/* index_status: roots, counts per language, freshness. */
int handlers_index_status(tool_call *c, tool_output *out);

/* reindex: refresh some or all roots through a write handle of its own,
 * reporting progress and stopping when cancelled. */
int handlers_reindex(tool_call *c, tool_output *out);

#endif
