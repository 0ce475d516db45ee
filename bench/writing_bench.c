/*
 * writing_bench.c — in-process timings for a writing archive, for
 * bench/writing.sh: one cold index run of TREE through the pipeline, then
 * every query of QUERIES (one per line) through search, quote and
 * related (the related text is each query's document when the line is a
 * path to one, else the query itself), each REPEAT times.
 *
 *   build/bench_writing INDEX_DIR TREE QUERIES [REPEAT]
 *
 * Prints "index files MB seconds MB/s rss_MB" and, per query kind,
 * "NAME queries p50_ms p99_ms", all on stdout.  Nothing is printed for
 * the results themselves: this measures, the e2e tests check.
 */
#include "bench/timing.h"
#include "indexer/pipeline.h"
#include "indexer/textfile.h"
#include "query/quote.h"
#include "query/related.h"
#include "query/search.h"
#include "util/buf.h"
#include "util/err.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#define MAX_QUERIES 10000

static void report(const char *name, double *ms, size_t n)
{
    double p50, p99;
    if (n == 0)
        return;
    timing_percentiles(ms, n, &p50, &p99);
    printf("%-11s %6zu %9.2f %9.2f\n", name, n, p50, p99);
}

static void fail(const char *what)
{
    fprintf(stderr, "bench_writing: %s: %s\n", what, err_msg());
    exit(1);
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: %s INDEX_DIR TREE QUERIES [REPEAT]\n", argv[0]);
        return 2;
    }
    int repeat = argc > 4 ? atoi(argv[4]) : 1;
    if (repeat < 1)
        repeat = 1;
    char tree[PATH_MAX];
    if (!realpath(argv[2], tree)) {
        perror(argv[2]);
        return 1;
    }
    store *s = NULL;
    if (store_open(argv[1], STORE_WRITE, &s))
        fail("opening the index");
    pipeline_opts o;
    pipeline_opts_init(&o);
    pipeline_stats st = {0};
    double t0 = timing_now_ms();
    if (pipeline_index_root(s, tree, &o, &st))
        fail("indexing");
    double secs = (timing_now_ms() - t0) / 1000;
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    double mb = (double)st.bytes / (1 << 20);
    printf("index %lld files %.1f MB %.3f s %.1f MB/s rss %.1f MB\n", (long long)st.seen, mb, secs,
           secs > 0 ? mb / secs : 0, (double)ru.ru_maxrss / 1024);

    FILE *qf = fopen(argv[3], "r");
    if (!qf) {
        perror(argv[3]);
        return 1;
    }
    char line[8192];
    size_t nq = 0;
    double *ms[4];
    for (int k = 0; k < 4; k++)
        if (!(ms[k] = malloc((size_t)MAX_QUERIES * (size_t)repeat * sizeof **ms)))
            return 1;
    size_t n[4] = {0, 0, 0, 0};
    buf text;
    buf_init(&text, 0);
    while (nq < MAX_QUERIES && fgets(line, sizeof line, qf)) {
        line[strcspn(line, "\n")] = '\0';
        if (!*line)
            continue;
        nq++;
        if (line[0] == '@') {
            char path[PATH_MAX + sizeof line + 2];
            snprintf(path, sizeof path, "%s/%s", tree, line + 1);
            if (textfile_read(path, (size_t)8 << 20, &text, NULL))
                fail(path);
            for (int r = 0; r < repeat; r++) {
                related_hit *rh;
                size_t nh;
                related_opts ro = {.text = buf_str(&text), .len = text.len, .k = 10};
                double t = timing_now_ms();
                if (related_run(s, &ro, &rh, &nh, NULL) == CAIRN_OK)
                    related_hits_free(rh, nh);
                ms[3][n[3]++] = timing_now_ms() - t;
            }
            continue;
        }
        for (int r = 0; r < repeat; r++) {
            store_hit *hits;
            size_t nh;
            search_opts so = {.query = line, .k = 10};
            double t = timing_now_ms();
            if (search_run(s, &so, &hits, &nh) == CAIRN_OK)
                store_hits_free(hits, nh);
            ms[0][n[0]++] = timing_now_ms() - t;

            quote_hit *qh;
            quote_opts qo = {.query = line, .k = 5};
            t = timing_now_ms();
            if (quote_run(s, &qo, &qh, &nh) == CAIRN_OK)
                quote_hits_free(qh, nh);
            ms[1][n[1]++] = timing_now_ms() - t;

            related_hit *rh;
            related_opts ro = {.text = line, .len = strlen(line), .k = 10};
            t = timing_now_ms();
            if (related_run(s, &ro, &rh, &nh, NULL) == CAIRN_OK)
                related_hits_free(rh, nh);
            ms[2][n[2]++] = timing_now_ms() - t;
        }
    }
    fclose(qf);
    printf("%-11s %6s %9s %9s\n", "query", "runs", "p50_ms", "p99_ms");
    report("search", ms[0], n[0]);
    report("quote", ms[1], n[1]);
    report("related", ms[2], n[2]);
    report("related-doc", ms[3], n[3]);
    for (int k = 0; k < 4; k++)
        free(ms[k]);
    buf_release(&text);
    store_close(s);
    return 0;
}
