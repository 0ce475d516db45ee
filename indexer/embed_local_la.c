/*
 * embed_local_la.c — the little linear algebra the local embedder trains
 * with: sparse matrices, products with tall dense blocks, a Jacobi
 * eigensolver for small symmetric matrices, and a randomized truncated SVD
 * built from them.  Plain loops in double precision, single-threaded, in a
 * fixed order: results are the same on every run.
 */
#include "indexer/embed_local.h"
#include "util/err.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define OVERSAMPLE 10
#define JACOBI_SWEEPS 60

int la_csr_init(la_csr *m, uint32_t rows, uint32_t cols, size_t cap)
{
    memset(m, 0, sizeof *m);
    m->rows = rows;
    m->cols = cols;
    m->row_start = calloc((size_t)rows + 1, sizeof *m->row_start);
    m->cap = cap ? cap : 1;
    m->col = malloc(m->cap * sizeof *m->col);
    m->val = malloc(m->cap * sizeof *m->val);
    if (!m->row_start || !m->col || !m->val) {
        la_csr_release(m);
        return err_set(CAIRN_ERR_NOMEM, "out of memory for a %u x %u matrix", rows, cols);
    }
    return CAIRN_OK;
}

int la_csr_push(la_csr *m, uint32_t col, float v)
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

int la_csr_end_row(la_csr *m)
{
    if (m->done >= m->rows)
        return err_set(CAIRN_ERR_INVALID, "sparse matrix: more than %u rows", m->rows);
    m->row_start[++m->done] = m->nnz;
    return CAIRN_OK;
}

void la_csr_release(la_csr *m)
{
    free(m->row_start);
    free(m->col);
    free(m->val);
    memset(m, 0, sizeof *m);
}

void la_svd_release(la_svd *s)
{
    free(s->s);
    free(s->v);
    memset(s, 0, sizeof *s);
}

/* y (rows x l) = M x (cols x l) */
static void mul(const la_csr *m, const double *x, int l, double *y)
{
    memset(y, 0, (size_t)m->rows * (size_t)l * sizeof *y);
    for (uint32_t r = 0; r < m->done; r++) {
        double *yr = y + (size_t)r * (size_t)l;
        for (size_t k = m->row_start[r]; k < m->row_start[r + 1]; k++) {
            const double *xc = x + (size_t)m->col[k] * (size_t)l;
            double v = m->val[k];
            for (int j = 0; j < l; j++)
                yr[j] += v * xc[j];
        }
    }
}

/* y (cols x l) = M^T x (rows x l) */
static void mul_t(const la_csr *m, const double *x, int l, double *y)
{
    memset(y, 0, (size_t)m->cols * (size_t)l * sizeof *y);
    for (uint32_t r = 0; r < m->done; r++) {
        const double *xr = x + (size_t)r * (size_t)l;
        for (size_t k = m->row_start[r]; k < m->row_start[r + 1]; k++) {
            double *yc = y + (size_t)m->col[k] * (size_t)l;
            double v = m->val[k];
            for (int j = 0; j < l; j++)
                yc[j] += v * xr[j];
        }
    }
}

/* g (l x l) = a^T a for a (n x l); only rows with a nonzero are visited. */
static void gram(const double *a, size_t n, int l, double *g)
{
    memset(g, 0, (size_t)l * (size_t)l * sizeof *g);
    for (size_t r = 0; r < n; r++) {
        const double *ar = a + r * (size_t)l;
        for (int i = 0; i < l; i++) {
            double x = ar[i];
            if (x == 0)
                continue;
            double *gi = g + (size_t)i * (size_t)l;
            for (int j = i; j < l; j++)
                gi[j] += x * ar[j];
        }
    }
    for (int i = 0; i < l; i++)
        for (int j = 0; j < i; j++)
            g[(size_t)i * (size_t)l + (size_t)j] = g[(size_t)j * (size_t)l + (size_t)i];
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

/* out (n x k) = a (n x l) b (l x k). */
static void mul_small(const double *a, size_t n, int l, const double *b, int k, double *out)
{
    for (size_t r = 0; r < n; r++) {
        const double *ar = a + r * (size_t)l;
        double *o = out + r * (size_t)k;
        memset(o, 0, (size_t)k * sizeof *o);
        for (int i = 0; i < l; i++) {
            double x = ar[i];
            if (x == 0)
                continue;
            const double *bi = b + (size_t)i * (size_t)k;
            for (int j = 0; j < k; j++)
                o[j] += x * bi[j];
        }
    }
}

/* Orthonormalise the columns of a (n x l) in place by Cholesky QR: the
 * Gram matrix, slightly shifted so that dependent columns do not stop it,
 * is factored as R^T R and a becomes a R^-1; a column with nothing left
 * becomes zero.  g holds l x l doubles. */
static void orth(double *a, size_t n, int l, double *g)
{
    size_t L = (size_t)l;
    gram(a, n, l, g);
    double trace = 0;
    for (size_t i = 0; i < L; i++)
        trace += g[i * L + i];
    double shift = trace * 1e-12 + 1e-300;
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
    /* Each row x of a solves y R = x; rows of zeros (words with no
     * association) stay zero. */
    for (size_t r = 0; r < n; r++) {
        double *x = a + r * L;
        size_t nz = 0;
        while (nz < L && x[nz] == 0)
            nz++;
        if (nz == L)
            continue;
        for (size_t j = 0; j < L; j++) {
            double rjj = g[j * L + j];
            if (rjj == 0) {
                x[j] = 0;
                continue;
            }
            double v = x[j];
            for (size_t k = 0; k < j; k++)
                v -= x[k] * g[k * L + j];
            x[j] = v / rjj;
        }
    }
}

static uint64_t splitmix(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

int la_svd_sparse(const la_csr *m, int rank, int iters, la_svd *out)
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
    size_t L = (size_t)l;
    double *y = malloc(R * L * sizeof *y), *z = malloc(C * L * sizeof *z);
    double *small = malloc(3 * L * L * sizeof *small);
    double *rot = malloc(L * (size_t)rank * sizeof *rot);
    out->v = malloc(C * (size_t)rank * sizeof *out->v);
    out->s = malloc((size_t)rank * sizeof *out->s);
    int rc = CAIRN_OK;
    if (!y || !z || !small || !rot || !out->v || !out->s) {
        rc = err_set(CAIRN_ERR_NOMEM, "out of memory for an SVD of %zu x %zu", R, C);
        goto out;
    }
    uint64_t seed = 0x63616972u; /* fixed: the same matrix, the same vectors */
    for (size_t i = 0; i < C * L; i++)
        z[i] = (splitmix(&seed) >> 63) ? 1.0 : -1.0;
    mul(m, z, l, y);
    orth(y, R, l, small);
    for (int it = 0; it < iters; it++) {
        mul_t(m, y, l, z);
        orth(z, C, l, small);
        mul(m, z, l, y);
        orth(y, R, l, small);
    }
    /* Once more, so that Q is orthonormal to working precision. */
    orth(y, R, l, small);
    /* B^T = M^T Q: its Gram matrix B B^T has the squared singular values
     * as eigenvalues, and V = B^T W S^-1. */
    mul_t(m, y, l, z);
    double *g = small, *w = small + L * L, *vec = small + 2 * L * L;
    gram(z, C, l, g);
    jacobi(g, l, w, vec);
    out->rank = rank;
    for (int j = 0; j < rank; j++)
        out->s[j] = w[j] > 0 ? sqrt(w[j]) : 0;
    for (size_t i = 0; i < L; i++)
        for (int j = 0; j < rank; j++)
            rot[i * (size_t)rank + (size_t)j] =
                out->s[j] > 0 ? vec[i * L + (size_t)j] / out->s[j] : 0;
    mul_small(z, C, l, rot, rank, out->v);
out:
    free(y);
    free(z);
    free(small);
    free(rot);
    if (rc)
        la_svd_release(out);
    return rc;
}
