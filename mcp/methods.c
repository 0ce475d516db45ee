/*
 * methods.c — what cairn's MCP server does for each request method: the
 * handshake, tool listing and calls (with progress, cancellation and a
 * thread of their own for long-running tools), resources and logging.
 */
#include "mcp/methods.h"

#include "mcp/protocol.h"
#include "mcp/resources.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/version.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Progress notifications for one request are spaced at least this far. */
#define PROGRESS_EVERY_MS 50
/* Roots named in the instructions given at initialize. */
#define INSTRUCTION_ROOTS 5

/* Record message for the error reply and return the JSON-RPC code. */
static int reject(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int reject(int code, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    err_set(CAIRN_ERR_INVALID, "%s", msg);
    return code;
}

static int64_t now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* ---- tool calls ---- */

typedef struct call_state {
    tool_call call; /* call.ctx points back here */
    session *ss;
    inflight *inf;
    cJSON *token; /* the client's progressToken, or NULL; owned */
    cJSON *args;  /* arguments made up for a call that had none; owned */
    double last_done;
    int64_t last_ms;
    int sent;
} call_state;

static void call_state_release(call_state *cs)
{
    cJSON_Delete(cs->token);
    cJSON_Delete(cs->args);
    cs->token = cs->args = NULL;
}

static void call_progress(tool_call *c, double done, double total, const char *message)
{
    call_state *cs = c->ctx;
    if (!cs->token || session_flight_cancelled(cs->ss, cs->inf))
        return;
    if (cs->sent && done <= cs->last_done)
        return; /* progress must increase */
    int64_t t = now_ms();
    if (cs->sent && total > 0 && done < total && t - cs->last_ms < PROGRESS_EVERY_MS)
        return;
    cJSON *p = cJSON_CreateObject();
    if (!p)
        return;
    cJSON_AddItemToObject(p, "progressToken", cJSON_Duplicate(cs->token, 1));
    cJSON_AddNumberToObject(p, "progress", done);
    if (total >= done && total > 0)
        cJSON_AddNumberToObject(p, "total", total);
    if (message)
        cJSON_AddStringToObject(p, "message", message);
    session_send(cs->ss, jsonrpc_notification("notifications/progress", p));
    cs->sent = 1;
    cs->last_done = done;
    cs->last_ms = t;
}

static int call_cancelled(tool_call *c)
{
    call_state *cs = c->ctx;
    return session_flight_cancelled(cs->ss, cs->inf) || jsonrpc_writer_gone(&cs->ss->out);
}

static void call_log(tool_call *c, int level, const char *message)
{
    session_log(((call_state *)c->ctx)->ss, level, message);
}

typedef struct long_job {
    session *ss;
    const tool_def *def;
    cJSON *msg; /* the request (the arguments point into it); owned */
    cJSON *id;  /* owned */
    call_state cs;
} long_job;

static void *long_main(void *arg)
{
    long_job *job = arg;
    session *ss = job->ss;
    cJSON *result = NULL;
    int rc = tools_call(ss->tl, job->def, &job->cs.call, atomic_load(&ss->rev), &result);
    cJSON *reply = NULL;
    if (rc == CAIRN_OK)
        reply = jsonrpc_result(job->id, result);
    else if (rc != CAIRN_ERR_CANCELLED)
        reply = jsonrpc_error(job->id, JSONRPC_INTERNAL_ERROR, err_msg(), NULL);
    /* The work is over before the client hears of it: a client that calls
     * again as soon as it has the answer must not find the tool busy.  A
     * new job joins this thread before it starts, so the cleanup below is
     * never raced. */
    int done = session_flight_done(ss, job->cs.inf);
    pthread_mutex_lock(&ss->mu);
    ss->long_busy = 0;
    pthread_mutex_unlock(&ss->mu);
    if (!done)
        session_send(ss, reply);
    else
        cJSON_Delete(reply);
    call_state_release(&job->cs);
    cJSON_Delete(job->msg);
    cJSON_Delete(job->id);
    free(job);
    return NULL;
}

/* Start a long-running tool on its own thread, which then answers the
 * request and owns cs's contents.  0, or a JSON-RPC error code. */
static int start_long(session *ss, request *rq, const tool_def *def, call_state *cs,
                      cJSON **result)
{
    pthread_mutex_lock(&ss->mu);
    if (ss->long_busy) {
        pthread_mutex_unlock(&ss->mu);
        char text[256];
        snprintf(text, sizeof text, "%s is already running for another request; wait for its "
                 "result, or cancel it, then call again.", def->name);
        call_state_release(cs);
        *result = tools_error_result(text);
        return *result ? 0 : reject(JSONRPC_INTERNAL_ERROR, "out of memory");
    }
    ss->long_busy = 1;
    int joinable = ss->long_joinable;
    ss->long_joinable = 0;
    pthread_mutex_unlock(&ss->mu);
    if (joinable)
        pthread_join(ss->long_thread, NULL); /* it has finished: long_busy was 0 */
    long_job *job = calloc(1, sizeof *job);
    if (job) {
        job->ss = ss;
        job->def = def;
        job->msg = rq->msg;
        job->id = rq->reply_id;
        job->cs = *cs;
        job->cs.call.ctx = &job->cs;
    }
    if (!job || pthread_create(&ss->long_thread, NULL, long_main, job) != 0) {
        free(job);
        call_state_release(cs);
        pthread_mutex_lock(&ss->mu);
        ss->long_busy = 0;
        pthread_mutex_unlock(&ss->mu);
        return reject(JSONRPC_INTERNAL_ERROR, "cannot start a thread for %s", def->name);
    }
    pthread_mutex_lock(&ss->mu);
    ss->long_joinable = 1;
    pthread_mutex_unlock(&ss->mu);
    rq->msg = NULL;
    rq->reply_id = NULL;
    rq->deferred = 1;
    return 0;
}

static int m_tools_call(session *ss, request *rq, cJSON **result)
{
    const cJSON *name = cJSON_GetObjectItemCaseSensitive(rq->params, "name");
    if (!cJSON_IsString(name))
        return reject(JSONRPC_INVALID_PARAMS, "tools/call needs params.name, the tool's name");
    const tool_def *def = tools_find(ss->tl, name->valuestring);
    if (!def)
        return reject(JSONRPC_INVALID_PARAMS, "unknown tool '%.100s'; tools/list names the tools",
                      name->valuestring);
    const cJSON *args = cJSON_GetObjectItemCaseSensitive(rq->params, "arguments");
    if (args && !cJSON_IsObject(args) && !cJSON_IsNull(args))
        return reject(JSONRPC_INVALID_PARAMS, "params.arguments must be an object");
    const cJSON *meta = cJSON_GetObjectItemCaseSensitive(rq->params, "_meta");
    const cJSON *token = cJSON_GetObjectItemCaseSensitive(meta, "progressToken");
    if (token && !cJSON_IsString(token) && !cJSON_IsNumber(token))
        return reject(JSONRPC_INVALID_PARAMS,
                      "params._meta.progressToken must be a string or a number");
    call_state cs = {
        .call = {.s = def->long_running ? NULL : ss->rd,
                 .index_dir = ss->index_dir,
                 .progress = call_progress,
                 .cancelled = call_cancelled,
                 .log = call_log},
        .ss = ss,
        .inf = rq->inf,
        .token = token ? cJSON_Duplicate(token, 1) : NULL,
        .args = cJSON_IsObject(args) ? NULL : cJSON_CreateObject(),
    };
    cs.call.ctx = &cs;
    cs.call.args = cs.args ? cs.args : args;
    if (!cs.call.args || (token && !cs.token)) {
        call_state_release(&cs);
        return reject(JSONRPC_INTERNAL_ERROR, "out of memory");
    }
    if (def->long_running && !rq->in_batch)
        return start_long(ss, rq, def, &cs, result);
    int rc = tools_call(ss->tl, def, &cs.call, atomic_load(&ss->rev), result);
    call_state_release(&cs);
    if (rc == CAIRN_ERR_CANCELLED)
        return METHODS_NO_REPLY;
    return rc ? JSONRPC_INTERNAL_ERROR : 0;
}

/* ---- other methods ---- */

static const char *optional_cursor(request *rq, int *bad)
{
    const cJSON *c = cJSON_GetObjectItemCaseSensitive(rq->params, "cursor");
    *bad = c && !cJSON_IsString(c) && !cJSON_IsNull(c);
    return cJSON_IsString(c) ? c->valuestring : NULL;
}

static int m_tools_list(session *ss, request *rq, cJSON **result)
{
    int bad;
    const char *cursor = optional_cursor(rq, &bad);
    if (bad)
        return reject(JSONRPC_INVALID_PARAMS, "params.cursor must be a string");
    int rc = tools_list(ss->tl, cursor, ss->tools_page, atomic_load(&ss->rev), result);
    return rc == CAIRN_ERR_INVALID ? JSONRPC_INVALID_PARAMS : rc ? JSONRPC_INTERNAL_ERROR : 0;
}

static int m_resources_list(session *ss, request *rq, cJSON **result)
{
    int bad;
    const char *cursor = optional_cursor(rq, &bad);
    if (bad)
        return reject(JSONRPC_INVALID_PARAMS, "params.cursor must be a string");
    int rc = resources_list(ss->rd, cursor, ss->res_page, atomic_load(&ss->rev), result);
    return rc == CAIRN_ERR_INVALID ? JSONRPC_INVALID_PARAMS : rc ? JSONRPC_INTERNAL_ERROR : 0;
}

static int m_resources_read(session *ss, request *rq, cJSON **result)
{
    const cJSON *uri = cJSON_GetObjectItemCaseSensitive(rq->params, "uri");
    if (!cJSON_IsString(uri))
        return reject(JSONRPC_INVALID_PARAMS,
                      "resources/read needs params.uri, a cairn://file/ URI");
    int rc = resources_read(ss->rd, uri->valuestring, result);
    if (rc == CAIRN_ERR_INVALID || rc == CAIRN_ERR_PERM)
        return JSONRPC_INVALID_PARAMS;
    if (rc == CAIRN_ERR_NOTFOUND)
        return JSONRPC_RESOURCE_NOT_FOUND;
    return rc ? JSONRPC_INTERNAL_ERROR : 0;
}

static int m_resource_templates(session *ss, request *rq, cJSON **result)
{
    int bad;
    optional_cursor(rq, &bad);
    if (bad)
        return reject(JSONRPC_INVALID_PARAMS, "params.cursor must be a string");
    return resources_templates(atomic_load(&ss->rev), result) ? JSONRPC_INTERNAL_ERROR : 0;
}

static int m_set_level(session *ss, request *rq, cJSON **result)
{
    const cJSON *level = cJSON_GetObjectItemCaseSensitive(rq->params, "level");
    int l = cJSON_IsString(level) ? proto_level_parse(level->valuestring) : -1;
    if (l < 0)
        return reject(JSONRPC_INVALID_PARAMS, "params.level must be one of debug, info, "
                      "notice, warning, error, critical, alert, emergency");
    atomic_store(&ss->log_level, l);
    *result = cJSON_CreateObject();
    return *result ? 0 : JSONRPC_INTERNAL_ERROR;
}

static int m_ping(session *ss, request *rq, cJSON **result)
{
    (void)ss;
    (void)rq;
    *result = cJSON_CreateObject();
    return *result ? 0 : JSONRPC_INTERNAL_ERROR;
}

static void instructions(session *ss, buf *b)
{
    store_root *roots = NULL;
    size_t n = 0;
    buf_puts(b, "cairn is a local search index over source code and writing (notes, docs)");
    if (store_roots_list(ss->rd, &roots, &n) == CAIRN_OK && n > 0) {
        buf_printf(b, " in %zu director%s: ", n, n == 1 ? "y" : "ies");
        for (size_t i = 0; i < n && i < INSTRUCTION_ROOTS; i++)
            buf_printf(b, "%s%s", i ? ", " : "", roots[i].path);
        if (n > INSTRUCTION_ROOTS)
            buf_printf(b, " and %zu more", n - INSTRUCTION_ROOTS);
    }
    store_roots_free(roots, n);
    buf_puts(b, ". Use `search` first whenever you need to find where something is handled "
             "or explained, or what was written about a topic: it takes free text or "
             "identifiers and returns ranked chunks with paths and line ranges. Then use "
             "`read` with a result's path and lines to see the exact text. For navigation: "
             "`find_symbol` says where a name is defined, `find_references` who uses it "
             "(callers) or what it uses (callees), and `outline` what a file defines. "
             "Starting a task, `pack_context` gives the code it needs within a token budget, "
             "and `repo_map` the definitions that matter most, as signatures. For writing: "
             "`related` finds notes related to a draft, `quote` citable passages. "
             "`index_status` tells what is indexed and how fresh it is; the index follows "
             "file changes by itself, and `reindex` forces a refresh. Only indexed files "
             "inside these directories can be read.");
}

static int m_initialize(session *ss, request *rq, cJSON **result)
{
    if (atomic_load(&ss->rev) >= 0)
        return reject(JSONRPC_INVALID_REQUEST,
                      "initialize was already received; a session is initialized once");
    const cJSON *pv = cJSON_GetObjectItemCaseSensitive(rq->params, "protocolVersion");
    const cJSON *caps = cJSON_GetObjectItemCaseSensitive(rq->params, "capabilities");
    const cJSON *info = cJSON_GetObjectItemCaseSensitive(rq->params, "clientInfo");
    if (!cJSON_IsString(pv))
        return reject(JSONRPC_INVALID_PARAMS,
                      "initialize needs params.protocolVersion (a string such as \"%s\")",
                      proto_rev_name(MCP_REV_LATEST));
    if ((caps && !cJSON_IsObject(caps)) || (info && !cJSON_IsObject(info)))
        return reject(JSONRPC_INVALID_PARAMS,
                      "params.capabilities and params.clientInfo must be objects");
    int rev = proto_rev_parse(pv->valuestring);
    if (rev < 0)
        rev = MCP_REV_LATEST;
    cJSON *r = cJSON_CreateObject();
    cJSON *cap = cJSON_AddObjectToObject(r, "capabilities");
    cJSON *si = cJSON_AddObjectToObject(r, "serverInfo");
    if (!r || !cap || !si) {
        cJSON_Delete(r);
        return reject(JSONRPC_INTERNAL_ERROR, "out of memory");
    }
    cJSON_AddStringToObject(r, "protocolVersion", proto_rev_name(rev));
    cJSON_AddObjectToObject(cap, "logging");
    cJSON *tc = cJSON_AddObjectToObject(cap, "tools");
    cJSON_AddBoolToObject(tc, "listChanged", 0);
    cJSON *res = cJSON_AddObjectToObject(cap, "resources");
    cJSON_AddBoolToObject(res, "subscribe", 0);
    cJSON_AddBoolToObject(res, "listChanged", 0);
    cJSON_AddStringToObject(si, "name", "cairn");
    if (rev >= MCP_REV_2025_06_18)
        cJSON_AddStringToObject(si, "title", "cairn code and writing search");
    cJSON_AddStringToObject(si, "version", CAIRN_VERSION);
    buf text;
    buf_init(&text, 16384);
    instructions(ss, &text);
    cJSON_AddStringToObject(r, "instructions", buf_str(&text));
    buf_release(&text);
    atomic_store(&ss->rev, rev);
    const cJSON *cname = cJSON_GetObjectItemCaseSensitive(info, "name");
    fprintf(stderr, "cairn serve: %s connected, protocol %s\n",
            cJSON_IsString(cname) ? cname->valuestring : "a client", proto_rev_name(rev));
    *result = r;
    return 0;
}

static const struct {
    const char *name;
    method_fn fn;
} table[] = {
    {"initialize", m_initialize},
    {"ping", m_ping},
    {"tools/list", m_tools_list},
    {"tools/call", m_tools_call},
    {"resources/list", m_resources_list},
    {"resources/read", m_resources_read},
    {"resources/templates/list", m_resource_templates},
    {"logging/setLevel", m_set_level},
};

method_fn methods_find(const char *name)
{
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
        if (strcmp(table[i].name, name) == 0)
            return table[i].fn;
    return NULL;
}

int methods_before_initialize(method_fn fn)
{
    return fn == m_initialize || fn == m_ping;
}

void methods_finish(session *ss)
{
    pthread_mutex_lock(&ss->mu);
    int joinable = ss->long_joinable;
    ss->long_joinable = 0;
    pthread_mutex_unlock(&ss->mu);
    if (joinable)
        pthread_join(ss->long_thread, NULL);
}
