/*
 * embed_local_model.c — a trained local model: finding tokens, turning a
 * text into a vector, and the model file.
 *
 * The file (machine byte order, like the FAISS file beside it):
 *     "CAIRNLEM"  u32 version  u32 dim  u32 nvocab  u32 0  i64 chunks
 *     u64 strings_len  strings (nvocab NUL-terminated tokens, byte order)
 *     f32 idf[nvocab]  f32 vec[nvocab * dim]  u64 xxh3 of all before it
 */
#include "indexer/embed_local.h"
#include "util/err.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>

#define MAGIC "CAIRNLEM"
#define HEADER_BYTES (8 + 4 * 4 + 8 + 8)

void embed_local_model_free(embed_local_model *m)
{
    if (!m)
        return;
    free(m->strings);
    free(m->offsets);
    free(m->slots);
    free(m->idf);
    free(m->vec);
    free(m);
}

static uint64_t fingerprint(const embed_local_model *m)
{
    XXH3_state_t *st = XXH3_createState();
    if (!st)
        return 0;
    uint32_t head[3] = {EMBED_LOCAL_VERSION, (uint32_t)m->dim, m->nvocab};
    XXH3_64bits_reset(st);
    XXH3_64bits_update(st, head, sizeof head);
    XXH3_64bits_update(st, m->strings, m->strings_len);
    XXH3_64bits_update(st, m->idf, (size_t)m->nvocab * sizeof *m->idf);
    XXH3_64bits_update(st, m->vec, (size_t)m->nvocab * (size_t)m->dim * sizeof *m->vec);
    uint64_t h = XXH3_64bits_digest(st);
    XXH3_freeState(st);
    return h;
}

int embed_local_model_finish(embed_local_model *m)
{
    if (!m->offsets) {
        m->offsets = malloc((m->nvocab ? m->nvocab : 1) * sizeof *m->offsets);
        if (!m->offsets)
            return err_set(CAIRN_ERR_NOMEM, "out of memory reading %u tokens", m->nvocab);
        size_t at = 0;
        for (uint32_t i = 0; i < m->nvocab; i++) {
            const char *end = at < m->strings_len ? memchr(m->strings + at, '\0', m->strings_len - at) : NULL;
            if (!end)
                return err_set(CAIRN_ERR_CORRUPT, "local model: %u tokens expected, fewer found",
                               m->nvocab);
            m->offsets[i] = (uint32_t)at;
            at = (size_t)(end - m->strings) + 1;
        }
        if (at != m->strings_len)
            return err_set(CAIRN_ERR_CORRUPT, "local model: bytes after the last token");
    }
    uint32_t ns = 16;
    while (ns < m->nvocab * 2u)
        ns *= 2;
    free(m->slots);
    m->slots = calloc(ns, sizeof *m->slots);
    if (!m->slots)
        return err_set(CAIRN_ERR_NOMEM, "out of memory indexing %u tokens", m->nvocab);
    m->nslots = ns;
    for (uint32_t id = 0; id < m->nvocab; id++) {
        const char *s = m->strings + m->offsets[id];
        uint32_t at = (uint32_t)XXH3_64bits(s, strlen(s)) & (ns - 1);
        while (m->slots[at])
            at = (at + 1) & (ns - 1);
        m->slots[at] = id + 1;
    }
    m->fingerprint = fingerprint(m);
    return CAIRN_OK;
}

int64_t embed_local_lookup(const embed_local_model *m, const char *token, size_t len)
{
    if (!m->nslots)
        return -1;
    uint32_t at = (uint32_t)XXH3_64bits(token, len) & (m->nslots - 1);
    while (m->slots[at]) {
        uint32_t id = m->slots[at] - 1;
        const char *s = m->strings + m->offsets[id];
        if (strncmp(s, token, len) == 0 && s[len] == '\0')
            return id;
        at = (at + 1) & (m->nslots - 1);
    }
    return -1;
}

void embed_local_weigh(const embed_local_model *m, const uint32_t *ids, const uint32_t *tf,
                       size_t n, float *out)
{
    int dim = m->dim;
    memset(out, 0, (size_t)dim * sizeof *out);
    for (size_t i = 0; i < n; i++) {
        float w = m->idf[ids[i]] * (1 + logf((float)tf[i]));
        const float *row = m->vec + (size_t)ids[i] * (size_t)dim;
        for (int d = 0; d < dim; d++)
            out[d] += w * row[d];
    }
    double ss = 0;
    for (int d = 0; d < dim; d++)
        ss += (double)out[d] * out[d];
    if (ss > 0) {
        float inv = (float)(1 / sqrt(ss));
        for (int d = 0; d < dim; d++)
            out[d] *= inv;
    }
}

/* A text's distinct known tokens: scratch[id] is its place + 1. */
typedef struct bag {
    const embed_local_model *m;
    uint32_t *scratch;
    uint32_t *ids, *tf;
    size_t n, cap;
} bag;

static int bag_add(void *ctx, int side, const char *tok, int len)
{
    (void)side;
    bag *b = ctx;
    int64_t id = embed_local_lookup(b->m, tok, (size_t)len);
    if (id < 0)
        return 0;
    if (b->scratch[id]) {
        b->tf[b->scratch[id] - 1]++;
        return 0;
    }
    if (b->n == b->cap) {
        size_t nc = b->cap ? b->cap * 2 : 256;
        uint32_t *ids = realloc(b->ids, nc * sizeof *ids);
        if (ids)
            b->ids = ids;
        uint32_t *tf = ids ? realloc(b->tf, nc * sizeof *tf) : NULL;
        if (!tf)
            return err_set(CAIRN_ERR_NOMEM, "out of memory embedding a text");
        b->tf = tf;
        b->cap = nc;
    }
    b->ids[b->n] = (uint32_t)id;
    b->tf[b->n++] = 1;
    b->scratch[id] = (uint32_t)b->n;
    return 0;
}

int embed_local_embed(const embed_local_model *m, tok_tokenizer *t, const char *text,
                      size_t len, uint32_t *scratch, float *out)
{
    bag b = {m, scratch, NULL, NULL, 0, 0};
    int rc = embed_local_text_tokens(t, text, len, &b, bag_add);
    for (size_t i = 0; i < b.n; i++)
        scratch[b.ids[i]] = 0;
    if (!rc)
        embed_local_weigh(m, b.ids, b.tf, b.n, out);
    free(b.ids);
    free(b.tf);
    return rc;
}

/* ---- the file ---- */

/* Write n bytes, adding them to the running checksum st (when not NULL). */
static int write_all(int fd, const void *p, size_t n, XXH3_state_t *st, const char *path)
{
    const char *c = p;
    if (st)
        XXH3_64bits_update(st, p, n);
    while (n) {
        ssize_t w = write(fd, c, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return err_set(CAIRN_ERR_IO, "write %s: %s", path, strerror(errno));
        c += w;
        n -= (size_t)w;
    }
    return CAIRN_OK;
}

int embed_local_model_save(const embed_local_model *m, const char *path)
{
    char tmp[PATH_MAX];
    if (snprintf(tmp, sizeof tmp, "%s.tmp.%ld", path, (long)getpid()) >= (int)sizeof tmp)
        return err_set(CAIRN_ERR_INVALID, "path too long: %s", path);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0)
        return err_set(errno == EACCES || errno == EROFS ? CAIRN_ERR_PERM : CAIRN_ERR_IO,
                       "create %s: %s", tmp, strerror(errno));
    XXH3_state_t *st = XXH3_createState();
    if (!st) {
        close(fd);
        unlink(tmp);
        return err_set(CAIRN_ERR_NOMEM, "out of memory writing %s", path);
    }
    XXH3_64bits_reset(st);
    uint32_t head[4] = {EMBED_LOCAL_VERSION, (uint32_t)m->dim, m->nvocab, 0};
    int64_t chunks = m->chunks;
    uint64_t slen = m->strings_len;
    int rc = write_all(fd, MAGIC, 8, st, tmp);
    if (!rc)
        rc = write_all(fd, head, sizeof head, st, tmp);
    if (!rc)
        rc = write_all(fd, &chunks, sizeof chunks, st, tmp);
    if (!rc)
        rc = write_all(fd, &slen, sizeof slen, st, tmp);
    if (!rc)
        rc = write_all(fd, m->strings, m->strings_len, st, tmp);
    if (!rc)
        rc = write_all(fd, m->idf, (size_t)m->nvocab * sizeof *m->idf, st, tmp);
    if (!rc)
        rc = write_all(fd, m->vec, (size_t)m->nvocab * (size_t)m->dim * sizeof *m->vec, st, tmp);
    uint64_t sum = XXH3_64bits_digest(st);
    XXH3_freeState(st);
    if (!rc)
        rc = write_all(fd, &sum, sizeof sum, NULL, tmp);
    if (rc == CAIRN_OK && fsync(fd) != 0)
        rc = err_set(CAIRN_ERR_IO, "fsync %s: %s", tmp, strerror(errno));
    if (close(fd) != 0 && rc == CAIRN_OK)
        rc = err_set(CAIRN_ERR_IO, "close %s: %s", tmp, strerror(errno));
    if (rc == CAIRN_OK && rename(tmp, path) != 0)
        rc = err_set(CAIRN_ERR_IO, "rename %s to %s: %s", tmp, path, strerror(errno));
    if (rc) {
        unlink(tmp);
        return rc;
    }
    /* The rename is durable once the directory is. */
    char dir[PATH_MAX];
    snprintf(dir, sizeof dir, "%s", path);
    int dfd = open(dirname(dir), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
        fsync(dfd);
        close(dfd);
    }
    return CAIRN_OK;
}

static int read_file(const char *path, unsigned char **out, size_t *len)
{
    *out = NULL;
    *len = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return err_set(errno == ENOENT ? CAIRN_ERR_NOTFOUND : CAIRN_ERR_IO, "open %s: %s", path,
                       strerror(errno));
    struct stat sb;
    if (fstat(fd, &sb) != 0) {
        close(fd);
        return err_set(CAIRN_ERR_IO, "stat %s: %s", path, strerror(errno));
    }
    if ((uint64_t)sb.st_size > EMBED_LOCAL_MAX_FILE) {
        close(fd);
        return err_set(CAIRN_ERR_CORRUPT, "%s: %lld bytes is more than a model can be", path,
                       (long long)sb.st_size);
    }
    size_t n = (size_t)sb.st_size, got = 0;
    unsigned char *b = malloc(n ? n : 1);
    if (!b) {
        close(fd);
        return err_set(CAIRN_ERR_NOMEM, "out of memory reading %s", path);
    }
    while (got < n) {
        ssize_t r = read(fd, b + got, n - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        got += (size_t)r;
    }
    close(fd);
    *out = b;
    *len = got;
    return CAIRN_OK;
}

int embed_local_model_load(const char *path, embed_local_model **out)
{
    *out = NULL;
    unsigned char *b = NULL;
    size_t n = 0;
    int rc = read_file(path, &b, &n);
    if (rc)
        return rc;
    uint32_t head[4];
    int64_t chunks = 0;
    uint64_t slen = 0, sum = 0;
    if (n < HEADER_BYTES + 8 || memcmp(b, MAGIC, 8) != 0) {
        free(b);
        return err_set(CAIRN_ERR_CORRUPT, "%s is not a cairn local model", path);
    }
    memcpy(head, b + 8, sizeof head);
    memcpy(&chunks, b + 24, sizeof chunks);
    memcpy(&slen, b + 32, sizeof slen);
    memcpy(&sum, b + n - 8, sizeof sum);
    uint64_t nv = head[2], dim = head[1];
    /* Sizes are checked before any multiplication can overflow. */
    if (head[0] != EMBED_LOCAL_VERSION || dim == 0 || dim > 4096 || nv > EMBED_LOCAL_MAX_VOCAB ||
        slen > n || HEADER_BYTES + slen + nv * 4 + nv * dim * 4 + 8 != n) {
        free(b);
        return err_set(CAIRN_ERR_CORRUPT, "%s: model of another version, or truncated", path);
    }
    if (XXH3_64bits(b, n - 8) != sum) {
        free(b);
        return err_set(CAIRN_ERR_CORRUPT, "%s: checksum mismatch (damaged)", path);
    }
    embed_local_model *m = calloc(1, sizeof *m);
    if (!m) {
        free(b);
        return err_set(CAIRN_ERR_NOMEM, "out of memory reading %s", path);
    }
    m->dim = (int)dim;
    m->nvocab = (uint32_t)nv;
    m->chunks = chunks;
    m->strings_len = (size_t)slen;
    m->strings = malloc(slen ? slen : 1);
    m->idf = malloc(nv ? nv * 4 : 1);
    m->vec = malloc(nv ? nv * dim * 4 : 1);
    if (!m->strings || !m->idf || !m->vec) {
        free(b);
        embed_local_model_free(m);
        return err_set(CAIRN_ERR_NOMEM, "out of memory reading %s", path);
    }
    const unsigned char *at = b + HEADER_BYTES;
    memcpy(m->strings, at, slen);
    memcpy(m->idf, at + slen, nv * 4);
    memcpy(m->vec, at + slen + nv * 4, nv * dim * 4);
    free(b);
    for (uint64_t i = 0; i < nv; i++)
        if (!isfinite(m->idf[i]))
            rc = CAIRN_ERR_CORRUPT;
    for (uint64_t i = 0; i < nv * dim && !rc; i++)
        if (!isfinite(m->vec[i]))
            rc = CAIRN_ERR_CORRUPT;
    if (rc)
        rc = err_set(rc, "%s: a value is not a number", path);
    else if ((rc = embed_local_model_finish(m)) == CAIRN_ERR_CORRUPT)
        rc = err_wrap(rc, "%s", path);
    if (rc) {
        embed_local_model_free(m);
        return rc;
    }
    *out = m;
    return CAIRN_OK;
}
