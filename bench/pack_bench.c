/*
 * pack_bench.c — in-process timings of context packing, for bench/pack.sh:
 * what `cairn serve` pays per pack_context call once it holds the
 * reference graph (it keeps it between calls), and what loading that
 * graph costs the first call or a one-shot `cairn pack`.
 *
 *   build/bench_pack INDEX_DIR TASKS [REPEAT]
 *
 * TASKS holds one task text per line.  Prints, on stdout:
 *   graph defs edges load_ms
 *   pagerank tasks p50_ms p99_ms      (rank_run for the task's words)
 *   pack_BUDGET tasks p50_ms p99_ms   (pack_build, budgets 2k, 8k, 32k)
 * Nothing is printed for the packs themselves: the e2e tests check them.
 */
#include "bench/timing.h"
#include "query/pack.h"
#include "query/rank.h"
#include "util/err.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_TASKS 10000
#define LINE_MAX_BYTES 65536

static void report(const char *name, double *ms, size_t n)
{
    double p50, p99;
    if (n == 0)
        return;
    timing_percentiles(ms, n, &p50, &p99);
    printf("%s %zu %.2f %.2f\n", name, n, p50, p99);
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: %s INDEX_DIR TASKS [REPEAT]\n", argv[0]);
        return 2;
    }
    int repeat = argc > 3 ? atoi(argv[3]) : 1;
    FILE *f = fopen(argv[2], "r");
    if (!f) {
        perror(argv[2]);
        return 1;
    }
    static char line[LINE_MAX_BYTES];
    char **tasks = calloc(MAX_TASKS, sizeof *tasks);
    size_t ntasks = 0;
    while (tasks && ntasks < MAX_TASKS && fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = '\0';
        if (*line && !(tasks[ntasks++] = strdup(line)))
            break;
    }
    fclose(f);
    store *s = NULL;
    rank_graph *g = NULL;
    int rc = store_open(argv[1], STORE_READ, &s);
    double t0 = timing_now_ms();
    if (!rc)
        rc = rank_graph_load(s, &g);
    if (rc) {
        fprintf(stderr, "bench_pack: %s\n", err_msg());
        return 1;
    }
    printf("graph %zu %zu %.1f\n", rank_graph_defs(g), rank_graph_edges(g), timing_now_ms() - t0);
    size_t total = ntasks * (size_t)(repeat > 0 ? repeat : 1);
    double *ms = malloc((total ? total : 1) * sizeof *ms);
    size_t n = 0;
    for (int r = 0; r < repeat; r++)
        for (size_t i = 0; i < ntasks; i++) {
            rank_request req = {.text = tasks[i]};
            rank_item *items = NULL;
            size_t nitems = 0;
            double a = timing_now_ms();
            if (rank_run(g, &req, 100, &items, &nitems) == CAIRN_OK)
                ms[n++] = timing_now_ms() - a;
            free(items);
        }
    report("pagerank", ms, n);
    static const size_t budgets[] = {2000, 8000, 32000};
    for (size_t b = 0; b < sizeof budgets / sizeof *budgets; b++) {
        n = 0;
        for (int r = 0; r < repeat; r++)
            for (size_t i = 0; i < ntasks; i++) {
                pack_opts o = {.task = tasks[i], .budget = budgets[b], .graph = g};
                pack p;
                double a = timing_now_ms();
                if (pack_build(s, &o, &p) == CAIRN_OK) {
                    ms[n++] = timing_now_ms() - a;
                    pack_release(&p);
                }
            }
        char name[32];
        snprintf(name, sizeof name, "pack_%zuk", budgets[b] / 1000);
        report(name, ms, n);
    }
    free(ms);
    for (size_t i = 0; i < ntasks; i++)
        free(tasks[i]);
    free(tasks);
    rank_graph_free(g);
    store_close(s);
    return 0;
}
