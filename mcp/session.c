/*
 * session.c — session state shared across mcp/'s threads (see session.h).
 */
#include "mcp/session.h"

#include "mcp/protocol.h"

#include <stdlib.h>
#include <string.h>

void session_init(session *ss)
{
    atomic_init(&ss->rev, -1);
    atomic_init(&ss->log_level, MCP_LOG_WARNING);
    pthread_mutex_init(&ss->mu, NULL);
    pthread_cond_init(&ss->cv, NULL);
}

void session_release(session *ss)
{
    pthread_cond_destroy(&ss->cv);
    pthread_mutex_destroy(&ss->mu);
}

void session_send(session *ss, cJSON *msg)
{
    if (msg)
        jsonrpc_write(&ss->out, msg);
    cJSON_Delete(msg);
}

void session_error(session *ss, const cJSON *id, int code, const char *message)
{
    session_send(ss, jsonrpc_error(id, code, message, NULL));
}

void session_log(session *ss, int level, const char *text)
{
    if (atomic_load(&ss->rev) < 0 || level < atomic_load(&ss->log_level))
        return;
    cJSON *p = cJSON_CreateObject();
    if (!p)
        return;
    cJSON_AddStringToObject(p, "level", proto_level_name(level));
    cJSON_AddStringToObject(p, "logger", "cairn");
    cJSON_AddStringToObject(p, "data", text);
    session_send(ss, jsonrpc_notification("notifications/message", p));
}

inflight *session_flight_add(session *ss, const cJSON *id)
{
    char *key = jsonrpc_id_key(id);
    inflight *f = key ? calloc(1, sizeof *f) : NULL;
    if (!f) {
        free(key);
        return NULL;
    }
    f->key = key;
    pthread_mutex_lock(&ss->mu);
    for (inflight *g = ss->flights; g; g = g->next) {
        if (strcmp(g->key, key) == 0) {
            pthread_mutex_unlock(&ss->mu);
            free(key);
            free(f);
            return NULL;
        }
    }
    f->next = ss->flights;
    ss->flights = f;
    pthread_mutex_unlock(&ss->mu);
    return f;
}

int session_flight_cancelled(session *ss, inflight *f)
{
    pthread_mutex_lock(&ss->mu);
    int c = f->cancelled;
    pthread_mutex_unlock(&ss->mu);
    return c;
}

int session_flight_done(session *ss, inflight *f)
{
    pthread_mutex_lock(&ss->mu);
    for (inflight **p = &ss->flights; *p; p = &(*p)->next) {
        if (*p == f) {
            *p = f->next;
            break;
        }
    }
    int c = f->cancelled;
    pthread_mutex_unlock(&ss->mu);
    free(f->key);
    free(f);
    return c;
}

void session_cancel(session *ss, const cJSON *params)
{
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(params, "requestId");
    if (!cJSON_IsString(id) && !cJSON_IsNumber(id))
        return;
    char *key = jsonrpc_id_key(id);
    if (!key)
        return;
    pthread_mutex_lock(&ss->mu);
    for (inflight *f = ss->flights; f; f = f->next)
        if (strcmp(f->key, key) == 0)
            f->cancelled = 1;
    pthread_mutex_unlock(&ss->mu);
    free(key);
}

