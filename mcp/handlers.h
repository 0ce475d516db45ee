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
#include "query/semantic.h"
#include "store/store.h"

/* A string argument, or NULL when absent. */
const char *handlers_arg_str(const cJSON *args, const char *key);

/* An integer argument, or def when absent (arguments were checked against
 * the schema, whose bounds fit an int). */
int handlers_arg_int(const cJSON *args, const char *key, int def);

/* The dense side of hybrid search for the index behind s, opened on first
 * use and again when the index has changed; NULL when the index has no
 * embeddings or they cannot be used (search is lexical then, and the
 * reason goes to stderr once).  Owned by the cache; valid until the next
 * call.  Tools run one at a time (mcp/server.h). */
semantic *handlers_semantic(store *s);

/* Free what the tools keep between calls: the dense side and the
 * reference graph.  For the server's exit. */
void handlers_caches_release(void);
void handlers_graph_release(void);

/* search: ranked chunks for a free-text query (query/search.h). */
int handlers_search(tool_call *c, tool_output *out);

/* read: bounded lines of an indexed file (query/read.h). */
int handlers_read(tool_call *c, tool_output *out);

/* index_status: roots, counts per language, freshness. */
int handlers_index_status(tool_call *c, tool_output *out);

/* reindex: refresh some or all roots through a write handle of its own,
 * reporting progress and stopping when cancelled. */
int handlers_reindex(tool_call *c, tool_output *out);

/* find_symbol: definitions by name, exact then prefix then fuzzy. */
int handlers_find_symbol(tool_call *c, tool_output *out);

/* find_references: callers of a name, or what a definition references. */
int handlers_find_references(tool_call *c, tool_output *out);

/* outline: the definitions of one file as a tree. */
int handlers_outline(tool_call *c, tool_output *out);

/* related: documents related to a draft or to an indexed file. */
int handlers_related(tool_call *c, tool_output *out);

/* quote: citable passages of the writing. */
int handlers_quote(tool_call *c, tool_output *out);

/* repo_map: the definitions that matter, as signatures within a budget. */
int handlers_repo_map(tool_call *c, tool_output *out);

/* pack_context: the code needed for a task, within a token budget. */
int handlers_pack_context(tool_call *c, tool_output *out);

#endif
