/*
 * vectors_bench.c — figures for the vector index (bench/vectors.sh):
 * add throughput, search latency p50/p99, recall@10 of HNSW against exact,
 * memory, and the file's size and save/load times, on random clustered
 * vectors.
 *
 *   build/bench_vectors [N [DIM [QUERIES]]]      default 30000 256 1000
 */
#include "bench/timing.h"
#include "store/vectors.h"
#include "util/err.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static uint64_t next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static float gauss(void)
{
    double u = ((next() >> 11) + 1.0) / 9007199254740993.0;
    double v = (next() >> 11) / 9007199254740992.0;
    return (float)(sqrt(-2 * log(u)) * cos(6.283185307179586 * v));
}

/* Resident memory in bytes, from /proc. */
static long rss(void)
{
    long pages = 0, res = 0;
    FILE *f = fopen("/proc/self/statm", "r");
    if (f) {
        if (fscanf(f, "%ld %ld", &pages, &res) != 2)
            res = 0;
        fclose(f);
    }
    return res * sysconf(_SC_PAGESIZE);
}

static void die(const char *what)
{
    fprintf(stderr, "bench_vectors: %s: %s\n", what, err_msg());
    exit(1);
}

/* Build an index of the given kind, print its figures; keeps the results
 * of every query in res (nq * 10 ids) for the recall comparison. */
static void run(const char *label, size_t threshold, const float *x, size_t n, int dim,
                const float *q, size_t nq, int64_t *res)
{
    vec_opts o = {.hnsw_threshold = threshold};
    vec_index *v = NULL;
    int64_t *ids = malloc(n * sizeof *ids);
    uint64_t *h = calloc(n, sizeof *h);
    for (size_t i = 0; i < n; i++)
        ids[i] = (int64_t)i + 1;
    long m0 = rss();
    double t0 = timing_now_ms() / 1e3;
    if (vec_new("bench", "random", dim, &o, &v) || vec_add(v, n, ids, h, x))
        die("add");
    double t_add = timing_now_ms() / 1e3 - t0;
    long m1 = rss();
    double *lat = malloc(nq * sizeof *lat);
    vec_hit hits[10];
    size_t nh;
    for (size_t i = 0; i < nq; i++) {
        double s = timing_now_ms() / 1e3;
        if (vec_search(v, q + i * dim, dim, 10, NULL, 0, hits, &nh))
            die("search");
        lat[i] = timing_now_ms() / 1e3 - s;
        for (size_t j = 0; j < 10; j++)
            res[i * 10 + j] = j < nh ? hits[j].id : -1;
    }
    qsort(lat, nq, sizeof *lat, timing_cmp);
    char path[4096];
    const char *tmp = getenv("TMPDIR");
    snprintf(path, sizeof path, "%s/cairn-bench-vectors-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    int fd = mkstemp(path);
    if (fd < 0)
        die("mkstemp");
    close(fd);
    t0 = timing_now_ms() / 1e3;
    if (vec_save(v, path, 1))
        die("save");
    double t_save = timing_now_ms() / 1e3 - t0;
    struct stat st;
    stat(path, &st);
    vec_index *w = NULL;
    uint64_t gen;
    t0 = timing_now_ms() / 1e3;
    if (vec_load(path, NULL, &w, &gen))
        die("load");
    double t_load = timing_now_ms() / 1e3 - t0;
    unlink(path);
    double total = 0;
    for (size_t i = 0; i < nq; i++)
        total += lat[i];
    printf("%-6s %zu x %d: add %.2f s (%.0f vectors/s), search p50 %.3f ms p99 %.3f ms "
           "(%.0f queries/s), memory +%.1f MiB, file %.1f MiB, save %.0f ms, load %.0f ms\n",
           label, n, dim, t_add, n / t_add, lat[nq / 2] * 1e3, lat[nq * 99 / 100] * 1e3,
           nq / total, (m1 - m0) / 1048576.0, st.st_size / 1048576.0, t_save * 1e3,
           t_load * 1e3);
    free(lat);
    free(ids);
    free(h);
    vec_free(v);
    vec_free(w);
}

int main(int argc, char **argv)
{
    size_t n = argc > 1 ? strtoul(argv[1], NULL, 10) : 30000;
    int dim = argc > 2 ? atoi(argv[2]) : 256;
    size_t nq = argc > 3 ? strtoul(argv[3], NULL, 10) : 1000;
    if (!n || dim <= 0 || !nq) {
        fprintf(stderr, "usage: bench_vectors [N [DIM [QUERIES]]]\n");
        return 2;
    }
    /* Clusters as topics; queries drawn from the same clusters. */
    int ncenters = (int)(n / 100 + 1);
    float *centers = malloc((size_t)ncenters * dim * sizeof *centers);
    float *x = malloc((n + nq) * dim * sizeof *x);
    for (size_t i = 0; i < (size_t)ncenters * dim; i++)
        centers[i] = gauss() / sqrtf((float)dim);
    for (size_t i = 0; i < n + nq; i++) {
        const float *c = centers + (next() % ncenters) * dim;
        for (int d = 0; d < dim; d++)
            x[i * dim + d] = c[d] + gauss() / sqrtf((float)dim);
    }
    int64_t *exact = malloc(nq * 10 * sizeof *exact);
    int64_t *approx = malloc(nq * 10 * sizeof *approx);
    run("flat", (size_t)-1, x, n, dim, x + n * dim, nq, exact);
    run("hnsw", 1, x, n, dim, x + n * dim, nq, approx);
    size_t found = 0;
    for (size_t i = 0; i < nq; i++)
        for (size_t j = 0; j < 10; j++)
            for (size_t k = 0; k < 10; k++)
                found += approx[i * 10 + j] == exact[i * 10 + k] && exact[i * 10 + k] >= 0;
    printf("hnsw recall@10 against flat: %.3f (efSearch %d, M %d)\n",
           (double)found / (nq * 10.0), VEC_EF_SEARCH, VEC_HNSW_M);
    free(centers);
    free(x);
    free(exact);
    free(approx);
    return 0;
}
