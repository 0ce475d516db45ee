/*
 * embed_local_la.c — the little linear algebra the local embedder trains
 * with: sparse matrices, products with tall dense blocks, a Jacobi
 * eigensolver for small symmetric matrices, and a randomized truncated SVD
 * built from them.  Plain loops, float for the tall blocks and double for
 * the small ones, single-threaded, in a fixed order: results are the same
 * on every run.
 */
#include "indexer/embed_local.h"
#include "util/err.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define OVERSAMPLE 10
#define JACOBI_SWEEPS 60

int embed_local_csr_init(embed_local_csr *m, uint32_t rows, uint32_t cols, size_t cap)
{
    memset(m, 0, sizeof *m);
    m->rows = rows;
    m->cols = cols;
    m->row_start = calloc((size_t)rows + 1, sizeof *m->row_start);
    m->cap = cap ? cap : 1;
    m->col = malloc(m->cap * sizeof *m->col);
    m->val = malloc(m->cap * sizeof *m->val);
    if (!m->row_start || !m->col || !m->val) {
        embed_local_csr_release(m);
        return err_set(CAIRN_ERR_NOMEM, "out of memory for a %u x %u matrix", rows, cols);
    }
    return CAIRN_OK;
}

int embed_local_csr_push(embed_local_csr *m, uint32_t col, float v)
{
    if (m->nnz == m->cap) {
        size_t nc = m->cap * 2;
        uint32_t *c = realloc(m->col, nc * sizeof *c);
        if (c)
            m->col = c;
        float *x = c ? realloc(m->val, nc * sizeof *x) : NULL;
        if (!x)
            return err_set(CAIRN_ERR_NOMEM, "out of memory for a sparse matrix of %zu entries", nc);
        m->val = x;
        m->cap = nc;
    }
    m->col[m->nnz] = col;
    m->val[m->nnz++] = v;
    return CAIRN_OK;
}

int embed_local_csr_end_row(embed_local_csr *m)
{
    if (m->done >= m->rows)
        return err_set(CAIRN_ERR_INVALID, "sparse matrix: more than %u rows", m->rows);
    m->row_start[++m->done] = m->nnz;
    return CAIRN_OK;
}

void embed_local_csr_release(embed_local_csr *m)
{
    free(m->row_start);
    free(m->col);
    free(m->val);
    memset(m, 0, sizeof *m);
}

void embed_local_svd_release(embed_local_svd *s)
{
    free(s->s);
    free(s->v);
    memset(s, 0, sizeof *s);
}

/* y (rows x l) = M x (cols x l).  The tall blocks are float: the SVD only
 * has to find a subspace, and float halves the time of these loops. */
static void mul(const embed_local_csr *m, const float *x, int l, float *y)
{
    memset(y, 0, (size_t)m->rows * (size_t)l * sizeof *y);
    for (uint32_t r = 0; r < m->done; r++) {
        float *yr = y + (size_t)r * (size_t)l;
        for (size_t k = m->row_start[r]; k < m->row_start[r + 1]; k++) {
            const float *xc = x + (size_t)m->col[k] * (size_t)l;
            float v = m->val[k];
            for (int j = 0; j < l; j++)
                yr[j] += v * xc[j];
        }
    }
}

/* y (cols x l) = M^T x (rows x l) */
static void mul_t(const embed_local_csr *m, const float *x, int l, float *y)
{
    memset(y, 0, (size_t)m->cols * (size_t)l * sizeof *y);
    for (uint32_t r = 0; r < m->done; r++) {
        const float *xr = x + (size_t)r * (size_t)l;
        for (size_t k = m->row_start[r]; k < m->row_start[r + 1]; k++) {
            float *yc = y + (size_t)m->col[k] * (size_t)l;
            float v = m->val[k];
            for (int j = 0; j < l; j++)
                yc[j] += v * xr[j];
        }
    }
}

/* g (l x l, double) = a^T a for a (n x l), summed in float blocks of
 * GRAM_BLOCK rows; only nonzero entries are visited.  gf holds l x l. */
#define GRAM_BLOCK 256
static void gram(const float *a, size_t n, int l, double *g, float *gf)
{
    size_t L = (size_t)l;
    memset(g, 0, L * L * sizeof *g);
    for (size_t r0 = 0; r0 < n; r0 += GRAM_BLOCK) {
        memset(gf, 0, L * L * sizeof *gf);
        for (size_t r = r0; r < n && r < r0 + GRAM_BLOCK; r++) {
            const float *ar = a + r * L;
            for (size_t i = 0; i < L; i++) {
                float x = ar[i];
                if (x == 0)
                    continue;
                float *gi = gf + i * L;
                for (size_t j = i; j < L; j++)
                    gi[j] += x * ar[j];
            }
        }
        for (size_t i = 0; i < L; i++)
            for (size_t j = i; j < L; j++)
                g[i * L + j] += gf[i * L + j];
    }
    for (size_t i = 0; i < L; i++)
        for (size_t j = 0; j < i; j++)
            g[i * L + j] = g[j * L + i];
}

/* Eigen-decomposition of the symmetric a (l x l, destroyed) by cyclic
 * Jacobi rotations: eigenvalues descending into w, eigenvector i in
 * column i of vec (l x l, row-major). */
static void jacobi(double *a, int l, double *w, double *vec)
{
    size_t L = (size_t)l;
    for (size_t i = 0; i < L * L; i++)
        vec[i] = 0;
    for (size_t i = 0; i < L; i++)
        vec[i * L + i] = 1;
    for (int sweep = 0; sweep < JACOBI_SWEEPS; sweep++) {
        double off = 0, diag = 0;
        for (size_t i = 0; i < L; i++) {
            diag += a[i * L + i] * a[i * L + i];
            for (size_t j = i + 1; j < L; j++)
                off += a[i * L + j] * a[i * L + j];
        }
        if (off <= 1e-30 * (diag + 1e-300))
            break;
        for (size_t p = 0; p < L; p++) {
            for (size_t q = p + 1; q < L; q++) {
                double apq = a[p * L + q];
                if (fabs(apq) < 1e-300)
                    continue;
                double app = a[p * L + p], aqq = a[q * L + q];
                double theta = (aqq - app) / (2 * apq);
                double t = (theta >= 0 ? 1 : -1) / (fabs(theta) + sqrt(theta * theta + 1));
                double c = 1 / sqrt(t * t + 1), s = t * c;
                for (size_t k = 0; k < L; k++) {
                    double akp = a[k * L + p], akq = a[k * L + q];
                    a[k * L + p] = c * akp - s * akq;
                    a[k * L + q] = s * akp + c * akq;
                }
                for (size_t k = 0; k < L; k++) {
                    double apk = a[p * L + k], aqk = a[q * L + k];
                    a[p * L + k] = c * apk - s * aqk;
                    a[q * L + k] = s * apk + c * aqk;
                }
                for (size_t k = 0; k < L; k++) {
                    double vkp = vec[k * L + p], vkq = vec[k * L + q];
                    vec[k * L + p] = c * vkp - s * vkq;
                    vec[k * L + q] = s * vkp + c * vkq;
                }
            }
        }
    }
    /* Sort descending (selection sort: l is small). */
    for (size_t i = 0; i < L; i++)
        w[i] = a[i * L + i];
    for (size_t i = 0; i < L; i++) {
        size_t best = i;
        for (size_t j = i + 1; j < L; j++)
            if (w[j] > w[best])
                best = j;
        if (best != i) {
            double t = w[i];
            w[i] = w[best];
            w[best] = t;
            for (size_t k = 0; k < L; k++) {
                double x = vec[k * L + i];
                vec[k * L + i] = vec[k * L + best];
                vec[k * L + best] = x;
            }
        }
    }
}

/* out (n x k) = a (n x l) b (l x k); zero entries of a are skipped. */
static void mul_small(const float *a, size_t n, int l, const float *b, int k, float *out)
{
    for (size_t r = 0; r < n; r++) {
        const float *ar = a + r * (size_t)l;
        float *o = out + r * (size_t)k;
        memset(o, 0, (size_t)k * sizeof *o);
        for (int i = 0; i < l; i++) {
            float x = ar[i];
            if (x == 0)
                continue;
            const float *bi = b + (size_t)i * (size_t)k;
            for (int j = 0; j < k; j++)
                o[j] += x * bi[j];
        }
    }
}

/* Scratch for orth: the Gram matrix and R (double), R^-1 as float, a
 * float l x l block, and a float copy of the tall block. */
typedef struct orth_work {
    double *g;
    float *rinv, *gf, *tmp;
} orth_work;

/* Orthonormalise the columns of a (n x l) in place by Cholesky QR: the
 * Gram matrix, slightly shifted so that dependent columns do not stop it,
 * is factored as R^T R and a becomes a R^-1; a column with nothing left
 * becomes zero. */
static void orth(float *a, size_t n, int l, orth_work *w)
{
    size_t L = (size_t)l;
    double *g = w->g;
    gram(a, n, l, g, w->gf);
    double trace = 0;
    for (size_t i = 0; i < L; i++)
        trace += g[i * L + i];
    double shift = trace * 1e-7 + 1e-300;
    /* In place: the upper triangle of g becomes R. */
    for (size_t j = 0; j < L; j++) {
        double d = g[j * L + j] + shift;
        for (size_t k = 0; k < j; k++)
            d -= g[k * L + j] * g[k * L + j];
        if (d <= shift) {
            for (size_t i = j; i < L; i++)
                g[j * L + i] = 0;
            continue;
        }
        double r = sqrt(d);
        g[j * L + j] = r;
        for (size_t i = j + 1; i < L; i++) {
            double x = g[j * L + i];
            for (size_t k = 0; k < j; k++)
                x -= g[k * L + j] * g[k * L + i];
            g[j * L + i] = x / r;
        }
    }
    /* R^-1, upper triangular, by back substitution column by column; a
     * zero pivot leaves its row and column zero. */
    for (size_t i = 0; i < L * L; i++)
        w->rinv[i] = 0;
    for (size_t c = 0; c < L; c++) {
        for (size_t ii = c + 1; ii-- > 0;) {
            if (g[ii * L + ii] == 0)
                continue;
            double x = ii == c ? 1 : 0;
            for (size_t k = ii + 1; k <= c; k++)
                x -= g[ii * L + k] * w->rinv[k * L + c];
            w->rinv[ii * L + c] = (float)(x / g[ii * L + ii]);
        }
    }
    /* a R^-1, R^-1 upper triangular: row i of it starts at column i. */
    for (size_t r = 0; r < n; r++) {
        const float *ar = a + r * L;
        float *o = w->tmp + r * L;
        memset(o, 0, L * sizeof *o);
        for (size_t i = 0; i < L; i++) {
            float x = ar[i];
            if (x == 0)
                continue;
            const float *ri = w->rinv + i * L;
            for (size_t j = i; j < L; j++)
                o[j] += x * ri[j];
        }
    }
    memcpy(a, w->tmp, n * L * sizeof *a);
}

static uint64_t splitmix(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

int embed_local_svd_sparse(const embed_local_csr *m, int rank, int iters, embed_local_svd *out)
{
    memset(out, 0, sizeof *out);
    size_t R = m->rows, C = m->cols;
    int l = rank + OVERSAMPLE;
    if ((size_t)l > R)
        l = (int)R;
    if ((size_t)l > C)
        l = (int)C;
    if (rank > l)
        rank = l;
    if (rank <= 0)
        return CAIRN_OK;
    size_t L = (size_t)l, big = R > C ? R : C;
    float *y = malloc(R * L * sizeof *y), *z = malloc(C * L * sizeof *z);
    float *rot = malloc(L * (size_t)rank * sizeof *rot);
    double *w = malloc(L * sizeof *w), *vec = malloc(L * L * sizeof *vec);
    orth_work ow = {malloc(L * L * sizeof(double)), malloc(L * L * sizeof(float)),
                    malloc(L * L * sizeof(float)), malloc(big * L * sizeof(float))};
    out->v = malloc(C * (size_t)rank * sizeof *out->v);
    out->s = malloc((size_t)rank * sizeof *out->s);
    int rc = CAIRN_OK;
    if (!y || !z || !rot || !w || !vec || !ow.g || !ow.rinv || !ow.gf || !ow.tmp || !out->v ||
        !out->s) {
        rc = err_set(CAIRN_ERR_NOMEM, "out of memory for an SVD of %zu x %zu", R, C);
        goto out;
    }
    uint64_t seed = 0x63616972u; /* fixed: the same matrix, the same vectors */
    for (size_t i = 0; i < C * L; i++)
        z[i] = (splitmix(&seed) >> 63) ? 1.0f : -1.0f;
    mul(m, z, l, y);
    orth(y, R, l, &ow);
    for (int it = 0; it < iters; it++) {
        mul_t(m, y, l, z);
        orth(z, C, l, &ow);
        mul(m, z, l, y);
        orth(y, R, l, &ow);
    }
    /* Once more, so that Q is orthonormal to working precision. */
    orth(y, R, l, &ow);
    /* B^T = M^T Q: its Gram matrix B B^T has the squared singular values
     * as eigenvalues, and V = B^T W S^-1. */
    mul_t(m, y, l, z);
    gram(z, C, l, ow.g, ow.gf);
    jacobi(ow.g, l, w, vec);
    out->rank = rank;
    for (int j = 0; j < rank; j++)
        out->s[j] = w[j] > 0 ? sqrt(w[j]) : 0;
    for (size_t i = 0; i < L; i++)
        for (int j = 0; j < rank; j++)
            rot[i * (size_t)rank + (size_t)j] =
                out->s[j] > 0 ? (float)(vec[i * L + (size_t)j] / out->s[j]) : 0;
    mul_small(z, C, l, rot, rank, ow.tmp);
    for (size_t i = 0; i < C * (size_t)rank; i++)
        out->v[i] = ow.tmp[i];
out:
    free(y);
    free(z);
    free(rot);
    free(w);
    free(vec);
    free(ow.g);
    free(ow.rinv);
    free(ow.gf);
    free(ow.tmp);
    if (rc)
        embed_local_svd_release(out);
    return rc;
}
