/*
 * server.c — the MCP session's plumbing: reading and classifying messages,
 * the queue between the reader and the worker, batches, and dispatch to
 * mcp/methods.c (see server.h for the threads and the rules).
 */
#include "mcp/server.h"
#include "indexer/follow.h"

#include "mcp/jsonrpc.h"
#include "mcp/methods.h"
#include "mcp/protocol.h"
#include "mcp/session.h"
#include "mcp/tools.h"
#include "store/store.h"
#include "util/err.h"

#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Messages read ahead of the worker; past this the reader waits, so a
 * client that floods requests is slowed down instead of growing memory. */
#define MAX_QUEUED 1024
/* ... and this many bytes of message text (one message larger than that is
 * still taken when the queue is empty). */
#define MAX_QUEUED_BYTES ((size_t)64 << 20)
/* Messages in one batch; a bigger batch gets one -32600 error, so that a
 * single line cannot ask for gigabytes of replies. */
#define MAX_BATCH 100
#define MAX_PAGE 10000

struct session_item {
    session_item *next;
    cJSON *msg;    /* a message, or a batch (array) */
    inflight *inf; /* for a single request; NULL for notifications and batches */
    size_t bytes;  /* length of the line it came from */
};

/* The reply to one request (NULL: none is due, or it was deferred). */
static cJSON *answer(session *ss, request *rq)
{
    if (session_flight_cancelled(ss, rq->inf))
        return NULL;
    const char *method = cJSON_GetObjectItemCaseSensitive(rq->msg, "method")->valuestring;
    rq->params = cJSON_GetObjectItemCaseSensitive(rq->msg, "params");
    method_fn fn = methods_find(method);
    if (!fn) {
        char msg[256];
        snprintf(msg, sizeof msg, "method not found: %.100s", method);
        return jsonrpc_error(rq->reply_id, JSONRPC_METHOD_NOT_FOUND, msg, NULL);
    }
    if (!methods_before_initialize(fn) && atomic_load(&ss->rev) < 0)
        return jsonrpc_error(rq->reply_id, JSONRPC_INVALID_REQUEST,
                             "the session is not initialized: send initialize first", NULL);
    if (rq->params && !cJSON_IsObject(rq->params))
        return jsonrpc_error(rq->reply_id, JSONRPC_INVALID_PARAMS, "params must be an object",
                             NULL);
    cJSON *result = NULL;
    err_clear();
    int code = fn(ss, rq, &result);
    if (code == 0 && !rq->deferred)
        return jsonrpc_result(rq->reply_id, result);
    if (code != 0 && code != METHODS_NO_REPLY)
        return jsonrpc_error(rq->reply_id, code, *err_msg() ? err_msg() : "internal error",
                             NULL);
    return NULL;
}

static void notification(session *ss, const cJSON *msg)
{
    const char *method = cJSON_GetObjectItemCaseSensitive(msg, "method")->valuestring;
    if (strcmp(method, "notifications/cancelled") == 0)
        session_cancel(ss, cJSON_GetObjectItemCaseSensitive(msg, "params"));
    /* notifications/initialized and anything else need nothing from us. */
}

/* Answer one request read from the queue or a batch; NULL when no reply
 * is due now. */
static cJSON *request_reply(session *ss, cJSON *msg, inflight *inf, int in_batch,
                            cJSON **keep)
{
    request rq = {
        .reply_id = cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(msg, "id"), 1),
        .inf = inf,
        .msg = msg,
        .in_batch = in_batch,
    };
    cJSON *reply = rq.reply_id ? answer(ss, &rq) : NULL;
    cJSON_Delete(rq.reply_id);
    if (rq.deferred) {
        *keep = NULL; /* the long job owns msg, the id and inf now */
        return NULL;
    }
    if (session_flight_done(ss, inf)) {
        cJSON_Delete(reply);
        return NULL;
    }
    return reply;
}

static void batch(session *ss, cJSON *arr)
{
    int rev = atomic_load(&ss->rev);
    if (rev != MCP_REV_2025_03_26) {
        char msg[256];
        snprintf(msg, sizeof msg, "JSON-RPC batches are accepted only under protocol revision "
                 "2025-03-26; this session %s%s: send one message per line",
                 rev < 0 ? "is not initialized" : "uses ", rev < 0 ? "" : proto_rev_name(rev));
        session_error(ss, NULL, JSONRPC_INVALID_REQUEST, msg);
        return;
    }
    if (cJSON_GetArraySize(arr) > MAX_BATCH) {
        char msg[128];
        snprintf(msg, sizeof msg, "a batch of %d messages; at most %d are accepted in one",
                 cJSON_GetArraySize(arr), MAX_BATCH);
        session_error(ss, NULL, JSONRPC_INVALID_REQUEST, msg);
        return;
    }
    cJSON *replies = cJSON_CreateArray();
    if (!replies)
        return;
    cJSON *m;
    cJSON_ArrayForEach(m, arr) {
        const cJSON *id;
        const char *why;
        cJSON *reply = NULL;
        switch (jsonrpc_classify(m, &id, &why)) {
        case JSONRPC_INVALID:
            reply = jsonrpc_error(id, JSONRPC_INVALID_REQUEST, why, NULL);
            break;
        case JSONRPC_RESPONSE:
            break;
        case JSONRPC_NOTIFICATION:
            notification(ss, m);
            break;
        case JSONRPC_REQUEST: {
            inflight *inf = session_flight_add(ss, id);
            cJSON *keep = m;
            if (!inf)
                reply = jsonrpc_error(id, JSONRPC_INVALID_REQUEST,
                                      "this id is already used by a request in progress", NULL);
            else
                reply = request_reply(ss, m, inf, 1, &keep);
            break;
        }
        }
        if (reply)
            cJSON_AddItemToArray(replies, reply);
    }
    if (cJSON_GetArraySize(replies) > 0)
        jsonrpc_write(&ss->out, replies);
    cJSON_Delete(replies);
}

static void *worker_main(void *arg)
{
    session *ss = arg;
    for (;;) {
        pthread_mutex_lock(&ss->mu);
        while (!ss->head && !ss->eof)
            pthread_cond_wait(&ss->cv, &ss->mu);
        session_item *it = ss->head;
        if (it) {
            ss->head = it->next;
            if (!ss->head)
                ss->tail = NULL;
            ss->queued--;
            ss->queued_bytes -= it->bytes;
            pthread_cond_broadcast(&ss->cv);
        }
        pthread_mutex_unlock(&ss->mu);
        if (!it)
            break;
        cJSON *keep = it->msg;
        if (cJSON_IsArray(it->msg))
            batch(ss, it->msg);
        else if (!it->inf)
            notification(ss, it->msg);
        else
            session_send(ss, request_reply(ss, it->msg, it->inf, 0, &keep));
        cJSON_Delete(keep);
        free(it);
    }
    return NULL;
}

static void enqueue(session *ss, cJSON *msg, inflight *inf, size_t bytes)
{
    session_item *it = calloc(1, sizeof *it);
    if (!it) {
        cJSON_Delete(msg);
        if (inf)
            session_flight_done(ss, inf);
        return;
    }
    it->msg = msg;
    it->inf = inf;
    it->bytes = bytes;
    pthread_mutex_lock(&ss->mu);
    while (ss->queued >= MAX_QUEUED ||
           (ss->queued > 0 && ss->queued_bytes + bytes > MAX_QUEUED_BYTES))
        pthread_cond_wait(&ss->cv, &ss->mu);
    if (ss->tail)
        ss->tail->next = it;
    else
        ss->head = it;
    ss->tail = it;
    ss->queued++;
    ss->queued_bytes += bytes;
    pthread_cond_broadcast(&ss->cv);
    pthread_mutex_unlock(&ss->mu);
}

/* What the reader does with one parsed message of bytes bytes; takes msg. */
static void incoming(session *ss, cJSON *msg, size_t bytes)
{
    if (cJSON_IsArray(msg)) {
        if (cJSON_GetArraySize(msg) == 0) {
            session_error(ss, NULL, JSONRPC_INVALID_REQUEST, "an empty batch is not a request");
            cJSON_Delete(msg);
            return;
        }
        enqueue(ss, msg, NULL, bytes);
        return;
    }
    const cJSON *id;
    const char *why;
    jsonrpc_kind kind = jsonrpc_classify(msg, &id, &why);
    const cJSON *method = cJSON_GetObjectItemCaseSensitive(msg, "method");
    if (kind == JSONRPC_INVALID) {
        session_error(ss, id, JSONRPC_INVALID_REQUEST, why);
    } else if (kind == JSONRPC_NOTIFICATION) {
        if (strcmp(method->valuestring, "notifications/cancelled") == 0)
            notification(ss, msg);
        else {
            enqueue(ss, msg, NULL, bytes);
            return;
        }
    } else if (kind == JSONRPC_REQUEST) {
        if (strcmp(method->valuestring, "ping") == 0) {
            session_send(ss, jsonrpc_result(id, cJSON_CreateObject()));
        } else {
            inflight *inf = session_flight_add(ss, id);
            if (inf) {
                enqueue(ss, msg, inf, bytes);
                return;
            }
            session_error(ss, id, JSONRPC_INVALID_REQUEST,
                          "this id is already used by a request in progress");
        }
    }
    /* Responses are dropped: this server sends no requests of its own. */
    cJSON_Delete(msg);
}

static size_t page_size(size_t def)
{
    const char *env = getenv(MCP_PAGE_ENV);
    if (!env || !*env)
        return def;
    char *end;
    long v = strtol(env, &end, 10);
    if (*end || v < 1 || v > MAX_PAGE) {
        fprintf(stderr, "cairn serve: ignoring %s=%s (want 1 to %d)\n", MCP_PAGE_ENV, env,
                MAX_PAGE);
        return def;
    }
    return (size_t)v;
}

static void read_loop(session *ss, int fd)
{
    jsonrpc_reader rd;
    jsonrpc_reader_init(&rd, fd, JSONRPC_MAX_LINE);
    for (;;) {
        char *line;
        size_t len;
        int rc = jsonrpc_reader_next(&rd, &line, &len);
        if (rc == JSONRPC_EOF)
            break;
        if (rc < 0) {
            fprintf(stderr, "cairn serve: %s\n", err_msg());
            break;
        }
        if (rc == JSONRPC_TOO_LONG) {
            session_error(ss, NULL, JSONRPC_PARSE_ERROR,
                       "message longer than 4 MiB; it was skipped up to its end of line");
            continue;
        }
        size_t blank = 0;
        while (blank < len && (line[blank] == ' ' || line[blank] == '\t'))
            blank++;
        if (blank == len)
            continue;
        cJSON *msg;
        if (jsonrpc_parse(line, len, &msg)) {
            session_error(ss, NULL, JSONRPC_PARSE_ERROR, err_msg());
            continue;
        }
        incoming(ss, msg, len);
    }
    jsonrpc_reader_release(&rd);
}

/* Updates and problems of the background follower go to the log. */
static void log_follow(void *ctx, int is_error, const char *msg)
{
    (void)ctx;
    fprintf(stderr, "cairn serve: %s%s\n", is_error ? "keeping the index current: " : "", msg);
}

int mcp_serve(const mcp_serve_opts *o)
{
    session ss = {.index_dir = o->index_dir};
    ss.tools_page = page_size(MCP_TOOLS_PAGE);
    ss.res_page = page_size(MCP_RESOURCES_PAGE);
    int rc = store_open(o->index_dir, STORE_READ, &ss.rd);
    if (!rc)
        rc = tools_new(&ss.tl);
    if (!rc)
        rc = jsonrpc_writer_init(&ss.out, o->out_fd);
    if (rc) {
        tools_free(ss.tl);
        store_close(ss.rd);
        return rc;
    }
    /* A client that goes away makes writes fail with EPIPE instead of
     * killing the server in the middle of an index transaction. */
    signal(SIGPIPE, SIG_IGN);
    session_init(&ss);
    follower *fl = NULL;
    if (o->watch) {
        follow_opts fo;
        follow_opts_init(&fo);
        /* The index was brought up to date by whoever built it; changes
         * from now on are what matter. */
        fo.initial_update = 0;
        fo.watch.force_poll = o->poll;
        fo.note = log_follow;
        if (follower_start(o->index_dir, &fo, &fl))
            fprintf(stderr, "cairn serve: not following file changes: %s\n", err_msg());
    }
    pthread_t worker;
    if (pthread_create(&worker, NULL, worker_main, &ss) != 0) {
        rc = err_set(CAIRN_ERR_NOMEM, "cannot start the server's worker thread");
    } else {
        read_loop(&ss, o->in_fd);
        pthread_mutex_lock(&ss.mu);
        ss.eof = 1;
        pthread_cond_broadcast(&ss.cv);
        pthread_mutex_unlock(&ss.mu);
        pthread_join(worker, NULL);
        methods_finish(&ss); /* the worker is gone: no new long job can start */
    }
    follower_stop(fl);
    session_release(&ss);
    jsonrpc_writer_release(&ss.out);
    tools_free(ss.tl);
    store_close(ss.rd);
    return rc;
}
