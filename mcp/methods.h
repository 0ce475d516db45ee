/*
 * methods.h — the request methods of cairn's MCP server, each a function
 * with the method_fn signature, found by name (mcp/server.c dispatches).
 *
 *   initialize                the handshake: revision, capabilities, instructions
 *   ping                      an empty result
 *   tools/list, tools/call    mcp/tools.h; a long-running tool (reindex) runs
 *                             on a thread of its own, which sends the reply
 *   resources/list, resources/read, resources/templates/list  mcp/resources.h
 *   logging/setLevel          which notifications/message the client gets
 */
#ifndef CAIRN_MCP_METHODS_H
#define CAIRN_MCP_METHODS_H

#include "mcp/session.h"

#include <cjson/cJSON.h>

/* What a method handler sees of its request. */
typedef struct request {
    cJSON *reply_id;     /* a copy of the id for the reply; owned */
    const cJSON *params; /* an object, or NULL */
    inflight *inf;       /* the request's entry in the session */
    cJSON *msg;          /* the whole message; a deferred call takes it */
    int in_batch;        /* answer inline: a batch's replies go out together */
    int deferred;        /* set when a thread of its own will answer (and
                            then owns msg, reply_id and inf) */
} request;

/* A handler returns 0 with *result (the caller's), METHODS_NO_REPLY when
 * nothing may be sent (cancelled), or a JSON-RPC error code with the
 * message in err_msg(). */
#define METHODS_NO_REPLY 1
typedef int (*method_fn)(session *ss, request *rq, cJSON **result);

/* The handler of method name, or NULL when there is none (-32601). */
method_fn methods_find(const char *name);

/* 1 for the methods a client may call before initialize (initialize, ping). */
int methods_before_initialize(method_fn fn);

/* Wait for a long-running tool's thread, if one was started; called once
 * no more requests can arrive. */
void methods_finish(session *ss);

#endif
