/*
 * test_embed.h — the fake embedding server (tests/tools/fake_embed_server.py)
 * as the embedding tests use it: started once per test binary on a free
 * loopback port, gone when the binary exits (the server quits when its
 * stdin closes).
 */
#ifndef CAIRN_TEST_EMBED_H
#define CAIRN_TEST_EMBED_H

/* The server's port, starting it on first use (proxy variables are
 * cleared so that curl talks to it directly); 0 when it cannot start. */
int fake_embed_port(void);

/* "http://127.0.0.1:PORT" followed by path; static storage. */
const char *fake_embed_url(const char *path);

/* How many requests the server has seen for model, and the most that
 * were in flight at once (-1 on error). */
long fake_embed_requests(const char *model, long *max_inflight);

/* Whether any request for model carried exactly this Authorization value. */
int fake_embed_saw_auth(const char *model, const char *value);

#endif
