/*
 * session.h — the state of one MCP session, shared by mcp/server.c (reading,
 * queueing, dispatching) and mcp/methods.c (what each method does): the
 * negotiated revision and log level, the requests in flight and whether
 * they were cancelled, and the serialised way out to the client.
 *
 * Internal to mcp/.  All functions may be called from any thread.
 */
#ifndef CAIRN_MCP_SESSION_H
#define CAIRN_MCP_SESSION_H

#include "mcp/jsonrpc.h"
#include "mcp/tools.h"
#include "store/store.h"

#include <cjson/cJSON.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>

/* A request that has been read and not yet answered. */
typedef struct inflight {
    struct inflight *next;
    char *key; /* jsonrpc_id_key of its id */
    int cancelled;
} inflight;

typedef struct session_item session_item; /* a queued message (server.c) */

typedef struct session {
    jsonrpc_writer out;
    store *rd; /* the worker thread's read handle */
    tools *tl;
    const char *index_dir;
    size_t tools_page, res_page;
    atomic_int rev;       /* negotiated revision (enum mcp_rev); -1 before initialize */
    atomic_int log_level; /* least severe level the client wants (enum mcp_level) */
    pthread_mutex_t mu;   /* guards everything below */
    pthread_cond_t cv;
    session_item *head, *tail;
    size_t queued;       /* messages waiting for the worker */
    size_t queued_bytes; /* and the length of their lines */
    int eof;
    inflight *flights;
    int long_busy;     /* a long-running tool is working */
    int long_joinable; /* long_thread has been started and not joined */
    pthread_t long_thread;
} session;

/* Set up ss (zeroed by the caller, with out, rd, tl and index_dir filled
 * in); session_release undoes it. */
void session_init(session *ss);
void session_release(session *ss);

/* Write msg to the client and delete it; accepts NULL (nothing to send).
 * A failed write means the client is gone, which later work notices
 * through jsonrpc_writer_gone. */
void session_send(session *ss, cJSON *msg);

/* An error reply; id NULL when the message's id cannot be known (it is
 * then left out: MCP types ids as strings or numbers, and SDK clients drop
 * a message with "id": null as malformed). */
void session_error(session *ss, const cJSON *id, int code, const char *message);

/* notifications/message with text at level (enum mcp_level), when the
 * session is initialized and the client asked for that level. */
void session_log(session *ss, int level, const char *text);

/* Register a request id as in flight; NULL when that id is already in
 * flight (ids must be unique among unanswered requests) or out of memory.
 * The entry is the session's until session_flight_done. */
inflight *session_flight_add(session *ss, const cJSON *id);

/* Whether the client cancelled f. */
int session_flight_cancelled(session *ss, inflight *f);

/* Forget f and free it; returns whether it was cancelled (then no reply
 * may be sent). */
int session_flight_done(session *ss, inflight *f);

/* Act on notifications/cancelled params: mark that request cancelled; an
 * unknown or finished id is ignored, as the protocol says. */
void session_cancel(session *ss, const cJSON *params);

#endif
