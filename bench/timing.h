/*
 * timing.h — what the in-process benchmarks (bench/pack_bench.c,
 * writing_bench.c, vectors_bench.c) share: a monotonic clock in
 * milliseconds and the p50/p99 of a set of timings.
 */
#ifndef CAIRN_BENCH_TIMING_H
#define CAIRN_BENCH_TIMING_H

#include <stdlib.h>
#include <time.h>

static inline double timing_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static inline int timing_cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Sort ms[0, n) (n > 0) and give its median and 99th percentile. */
static inline void timing_percentiles(double *ms, size_t n, double *p50, double *p99)
{
    qsort(ms, n, sizeof *ms, timing_cmp);
    size_t at = (n * 99 + 99) / 100;
    *p50 = ms[n / 2];
    *p99 = ms[(at ? at : 1) - 1];
}

#endif
