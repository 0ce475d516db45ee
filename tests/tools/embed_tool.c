/*
 * embed_tool.c — drives the embedding providers and the vector index from
 * the shell, for tests/e2e/test_embed_http.sh and bench/vectors.sh, until
 * the cairn commands do it themselves.
 *
 *   embed_tool [OPTIONS] embed SPEC              embed stdin's lines, print a summary
 *   embed_tool [OPTIONS] index SPEC DIR          give the index in DIR its vectors
 *   embed_tool [OPTIONS] search SPEC DIR QUERY   the chunks nearest QUERY
 * OPTIONS: --url URL  --key-env VAR  --timeout-ms N  --retries N  -k N
 * Warnings and errors go to stderr; the exit status is 1 on an error.
 */
#include "indexer/embed.h"
#include "store/embcache.h"
#include "store/store.h"
#include "store/vectors.h"
#include "util/buf.h"
#include "util/err.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

static void warn(void *ctx, const char *msg)
{
    (void)ctx;
    fprintf(stderr, "embed_tool: warning: %s\n", msg);
}

static int fail(const char *what)
{
    fprintf(stderr, "embed_tool: %s: %s\n", what, err_msg());
    return 1;
}

static int cmd_embed(embed_provider *p)
{
    size_t n = 0, cap = 0;
    char **lines = NULL;
    char *line = NULL;
    size_t lcap = 0;
    ssize_t len;
    while ((len = getline(&line, &lcap, stdin)) >= 0) {
        if (len && line[len - 1] == '\n')
            line[len - 1] = '\0';
        if (n == cap) {
            cap = cap ? cap * 2 : 256;
            lines = realloc(lines, cap * sizeof *lines);
        }
        lines[n++] = strdup(line);
    }
    free(line);
    float *v = NULL;
    double t0 = now();
    int rc = embed_batch(p, (const char *const *)lines, n, &v);
    double took = now() - t0;
    for (size_t i = 0; i < n; i++)
        free(lines[i]);
    free(lines);
    if (rc)
        return fail("embedding");
    printf("%zu texts, %d dimensions, %.2f s, %.0f texts/s\n", n, embed_dim(p), took,
           took > 0 ? n / took : 0.0);
    free(v);
    return 0;
}

static int cmd_index(embed_provider *p, const char *dir)
{
    store *s = NULL;
    if (store_open(dir, STORE_WRITE, &s))
        return fail(dir);
    embed_update_stats st = {0};
    double t0 = now();
    int rc = embed_update(s, p, warn, NULL, &st);
    double t_embed = now() - t0;
    if (rc) {
        store_close(s);
        return fail("embedding the chunks");
    }
    vec_opts o = {.warn = warn};
    vec_update_stats vs;
    t0 = now();
    rc = vec_update(s, embed_name(p), embed_model(p), &o, &vs);
    double t_vec = now() - t0;
    store_close(s);
    if (rc)
        return fail("updating the vector index");
    printf("chunks %lld cached %lld embedded %lld (%.2f s, %.0f chunks/s)\n",
           (long long)st.chunks, (long long)st.cached, (long long)st.embedded, t_embed,
           t_embed > 0 ? st.chunks / t_embed : 0.0);
    printf("vectors %zu added %zu removed %zu dim %d %s written %d (%.2f s)\n", vs.total,
           vs.added, vs.removed, vs.dim, vs.approximate ? "hnsw" : "flat", vs.written, t_vec);
    return 0;
}

static int print_hit(void *ctx, const embcache_chunk *c)
{
    const vec_hit *h = ctx;
    printf("%.4f %lld %s\n", h->score, (long long)c->id, c->path);
    return CAIRN_OK;
}

static int cmd_search(embed_provider *p, const char *dir, const char *query, int k)
{
    store *s = NULL;
    if (store_open(dir, STORE_READ, &s))
        return fail(dir);
    vec_opts o = {.warn = warn};
    vec_index *v = NULL;
    float *q = NULL;
    vec_hit *hits = calloc((size_t)k, sizeof *hits);
    size_t n = 0;
    int rc = vec_open(s, embed_name(p), embed_model(p), &o, &v);
    if (rc)
        rc = fail("opening the vector index");
    else if (embed_batch(p, &query, 1, &q))
        rc = fail("embedding the query");
    else if (vec_search(v, q, embed_dim(p), (size_t)k, NULL, 0, hits, &n))
        rc = fail("searching");
    for (size_t i = 0; i < n && !rc; i++)
        if (embcache_chunks_each(s, &hits[i].id, 1, print_hit, &hits[i]))
            rc = fail("reading a chunk");
    free(q);
    free(hits);
    vec_free(v);
    store_close(s);
    return rc;
}

int main(int argc, char **argv)
{
    embed_opts o;
    embed_opts_init(&o);
    int k = 5, i = 1;
    for (; i + 1 < argc && argv[i][0] == '-'; i += 2) {
        if (!strcmp(argv[i], "--url"))
            o.url = argv[i + 1];
        else if (!strcmp(argv[i], "--key-env"))
            o.key_env = argv[i + 1];
        else if (!strcmp(argv[i], "--timeout-ms"))
            o.timeout_ms = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--retries"))
            o.retries = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "-k"))
            k = atoi(argv[i + 1]);
        else
            break;
    }
    if (i + 1 >= argc || k < 1) {
        fprintf(stderr, "usage: embed_tool [OPTIONS] embed SPEC | index SPEC DIR | "
                        "search SPEC DIR QUERY\n");
        return 2;
    }
    const char *cmd = argv[i], *spec = argv[i + 1];
    embed_provider *p = NULL;
    if (embed_provider_new(spec, &o, &p))
        return fail(spec);
    int rc = 2;
    if (!strcmp(cmd, "embed") && i + 2 == argc)
        rc = cmd_embed(p);
    else if (!strcmp(cmd, "index") && i + 3 == argc)
        rc = cmd_index(p, argv[i + 2]);
    else if (!strcmp(cmd, "search") && i + 4 == argc)
        rc = cmd_search(p, argv[i + 2], argv[i + 3], k);
    else
        fprintf(stderr, "embed_tool: bad command line\n");
    embed_free(p);
    return rc;
}
