/*
 * vectors_file.c — vectors.faiss on disk: written atomically, read only
 * after its sizes and checksum prove it whole.
 *
 * Layout (machine byte order):
 *   header      magic "CAIRNVEC", format, dim, generation, counts, kind
 *   names       "provider\0model\0"
 *   live ids    nlive int64, ascending, then their nlive text hashes
 *   tombstones  ndead int64, ascending (HNSW only)
 *   FAISS       faiss_bytes of faiss_write_index output (none when empty)
 *   checksum    xxh3-64 of every byte before it
 * The sizes in the header must add up to the file's size and the checksum
 * must match before a byte is handed to FAISS, whose reader trusts its
 * input.
 */
#include "store/vectors.h"
#include "store/vectors_int.h"
#include "util/err.h"

#include <faiss/c_api/MetaIndexes_c.h>
#include <faiss/c_api/index_io_c.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>

#define VEC_FILE_MAGIC "CAIRNVEC"
#define VEC_FILE_FORMAT 1
#define VEC_MAX_NAMES 2048

typedef struct vec_file_header {
    char magic[8];
    uint32_t format, dim;
    uint64_t generation, nlive, ndead, faiss_bytes;
    uint32_t hnsw, names_len;
} vec_file_header;

_Static_assert(sizeof(vec_file_header) == 56, "vec_file_header has padding");

static int write_all(FILE *f, const void *p, size_t n)
{
    return n == 0 || fwrite(p, 1, n, f) == n ? 0 : -1;
}

/* xxh3-64 of the first len bytes of f, leaving f positioned at len. */
static int checksum(FILE *f, uint64_t len, uint64_t *out)
{
    enum { CHUNK = 1 << 16 };
    char *chunk = malloc(CHUNK);
    XXH3_state_t *st = XXH3_createState();
    int rc = chunk && st ? fseeko(f, 0, SEEK_SET) : -1;
    if (!rc)
        XXH3_64bits_reset(st);
    while (!rc && len > 0) {
        size_t want = len < CHUNK ? (size_t)len : CHUNK;
        if (fread(chunk, 1, want, f) != want)
            rc = -1;
        else
            XXH3_64bits_update(st, chunk, want);
        len -= want;
    }
    if (!rc)
        *out = XXH3_64bits_digest(st);
    XXH3_freeState(st);
    free(chunk);
    return rc;
}

/* Make the rename durable.  Best effort: should it fail and power fail
 * too, the old file comes back, and its generation gives it away. */
static void sync_dir_of(const char *path)
{
    char dir[4096];
    const char *slash = strrchr(path, '/');
    if (!slash)
        snprintf(dir, sizeof dir, ".");
    else
        snprintf(dir, sizeof dir, "%.*s", (int)(slash - path > 0 ? slash - path : 1), path);
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        fsync(fd);
        close(fd);
    }
}

int vec_save(const vec_index *v, const char *path, uint64_t generation)
{
    char tmp[4096];
    if (snprintf(tmp, sizeof tmp, "%s.tmp.%ld", path, (long)getpid()) >= (int)sizeof tmp)
        return err_set(CAIRN_ERR_INVALID, "path too long: %s", path);
    int fd = open(tmp, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0)
        return err_set(errno == EACCES || errno == EROFS ? CAIRN_ERR_PERM : CAIRN_ERR_IO,
                       "cannot write %s: %s", tmp, strerror(errno));
    FILE *f = fdopen(fd, "w+b");
    if (!f) {
        close(fd);
        unlink(tmp);
        return err_set(CAIRN_ERR_NOMEM, "cannot write %s: %s", tmp, strerror(errno));
    }
    size_t plen = strlen(v->provider) + 1, mlen = strlen(v->model) + 1;
    vec_file_header h = {
        .format = VEC_FILE_FORMAT,
        .dim = (uint32_t)v->dim,
        .generation = generation,
        .nlive = v->n,
        .ndead = v->ndead,
        .hnsw = (uint32_t)v->hnsw,
        .names_len = (uint32_t)(plen + mlen),
    };
    memcpy(h.magic, VEC_FILE_MAGIC, sizeof h.magic);
    int rc = CAIRN_OK;
    const char *what = "writing";
    if (write_all(f, &h, sizeof h) || write_all(f, v->provider, plen) ||
        write_all(f, v->model, mlen) || write_all(f, v->ids, v->n * sizeof *v->ids) ||
        write_all(f, v->hashes, v->n * sizeof *v->hashes) ||
        write_all(f, v->dead, v->ndead * sizeof *v->dead))
        goto io_error;
    off_t start = ftello(f);
    if (v->index && faiss_write_index(v->index, f)) {
        rc = vec_faiss_fail(CAIRN_ERR_IO, "writing the vector index");
        goto fail;
    }
    off_t end = ftello(f);
    if (start < 0 || end < start)
        goto io_error;
    h.faiss_bytes = (uint64_t)(end - start);
    uint64_t sum;
    if (fseeko(f, 0, SEEK_SET) || write_all(f, &h, sizeof h) || fflush(f) ||
        checksum(f, (uint64_t)end, &sum) || fseeko(f, end, SEEK_SET) ||
        write_all(f, &sum, sizeof sum) || fflush(f))
        goto io_error;
    what = "syncing";
    if (fsync(fd))
        goto io_error;
    if (fclose(f)) {
        f = NULL;
        goto io_error;
    }
    f = NULL;
    what = "renaming";
    if (rename(tmp, path))
        goto io_error;
    sync_dir_of(path);
    return CAIRN_OK;
io_error:
    rc = err_set(errno == EACCES || errno == EROFS ? CAIRN_ERR_PERM : CAIRN_ERR_IO, "%s %s: %s",
                 what, tmp, strerror(errno));
fail:
    if (f)
        fclose(f);
    unlink(tmp);
    return rc;
}

static int corrupt(const char *path, const char *why)
{
    return err_set(CAIRN_ERR_CORRUPT, "%s: %s", path, why);
}

static int ascending(const int64_t *a, size_t n)
{
    for (size_t i = 1; i < n; i++)
        if (a[i - 1] >= a[i])
            return 0;
    return 1;
}

/* Header sizes against the file's size; 0 when they add up. */
static int check_sizes(const vec_file_header *h, uint64_t size, const char *path)
{
    char why[160];
    if (memcmp(h->magic, VEC_FILE_MAGIC, sizeof h->magic) != 0)
        return corrupt(path, "not a cairn vector file");
    if (h->format != VEC_FILE_FORMAT) {
        snprintf(why, sizeof why, "vector file format %u, this cairn reads %d", h->format,
                 VEC_FILE_FORMAT);
        return corrupt(path, why);
    }
    if (h->dim > VEC_MAX_DIM || h->names_len < 2 || h->names_len > VEC_MAX_NAMES ||
        (!h->faiss_bytes && (h->nlive || h->ndead)) || (h->dim == 0 && h->faiss_bytes))
        return corrupt(path, "damaged header");
    uint64_t want = sizeof *h + 8 + h->names_len, part;
    if (__builtin_mul_overflow(h->nlive, 16, &part) || __builtin_add_overflow(want, part, &want) ||
        __builtin_mul_overflow(h->ndead, 8, &part) || __builtin_add_overflow(want, part, &want) ||
        __builtin_add_overflow(want, h->faiss_bytes, &want))
        return corrupt(path, "damaged header");
    if (size != want) {
        snprintf(why, sizeof why, "%s (%" PRIu64 " bytes, its header says %" PRIu64 ")",
                 size < want ? "truncated" : "has bytes past its end", size, want);
        return corrupt(path, why);
    }
    return CAIRN_OK;
}

static int read_body(FILE *f, const vec_file_header *h, vec_index *v, const char *path)
{
    char names[VEC_MAX_NAMES];
    if (fread(names, 1, h->names_len, f) != h->names_len)
        return corrupt(path, "unreadable");
    if (names[h->names_len - 1] != '\0' || !memchr(names, '\0', h->names_len - 1))
        return corrupt(path, "damaged embedder name");
    free(v->provider);
    free(v->model);
    v->provider = strdup(names);
    v->model = strdup(names + strlen(names) + 1);
    if (!v->provider || !v->model)
        return err_set(CAIRN_ERR_NOMEM, "out of memory reading %s", path);
    int rc;
    if ((rc = vec_live_reserve(v, h->nlive)) ||
        (rc = vec_reserve((void **)&v->dead, &v->dead_cap, h->ndead, sizeof *v->dead)))
        return rc;
    if (fread(v->ids, sizeof *v->ids, h->nlive, f) != h->nlive ||
        fread(v->hashes, sizeof *v->hashes, h->nlive, f) != h->nlive ||
        fread(v->dead, sizeof *v->dead, h->ndead, f) != h->ndead)
        return corrupt(path, "unreadable");
    v->n = h->nlive;
    v->ndead = h->ndead;
    if (!ascending(v->ids, v->n) || !ascending(v->dead, v->ndead))
        return corrupt(path, "ids out of order");
    if (!h->faiss_bytes)
        return CAIRN_OK;
    off_t start = ftello(f);
    if (faiss_read_index(f, 0, &v->index))
        return vec_faiss_fail(CAIRN_ERR_CORRUPT, path);
    if (ftello(f) != start + (off_t)h->faiss_bytes)
        return corrupt(path, "FAISS data of the wrong length");
    if (faiss_Index_d(v->index) != v->dim || !faiss_IndexIDMap2_cast(v->index) ||
        (uint64_t)faiss_Index_ntotal(v->index) != v->n + v->ndead)
        return corrupt(path, "FAISS index disagrees with its header");
    if (v->hnsw && (rc = vec_hnsw_params(v->index, 0, v->ef_search)))
        return err_wrap(CAIRN_ERR_CORRUPT, "%s", path);
    return CAIRN_OK;
}

int vec_load(const char *path, const vec_opts *o, vec_index **out, uint64_t *generation)
{
    *out = NULL;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return err_set(errno == ENOENT ? CAIRN_ERR_NOTFOUND
                       : errno == EACCES ? CAIRN_ERR_PERM
                                         : CAIRN_ERR_IO,
                       "cannot open %s: %s", path, strerror(errno));
    struct stat st;
    FILE *f = NULL;
    if (fstat(fd, &st) || !S_ISREG(st.st_mode) || !(f = fdopen(fd, "rb"))) {
        close(fd);
        return err_set(CAIRN_ERR_IO, "cannot read %s: not a regular file", path);
    }
    uint64_t size = (uint64_t)st.st_size, sum = 0, stored = 0;
    vec_file_header h;
    vec_index *v = NULL;
    int rc;
    if (size < sizeof h + 8 || fread(&h, sizeof h, 1, f) != 1) {
        rc = corrupt(path, "truncated (shorter than its header)");
        goto out;
    }
    if ((rc = check_sizes(&h, size, path)))
        goto out;
    if (checksum(f, size - 8, &sum) || fread(&stored, sizeof stored, 1, f) != 1) {
        rc = corrupt(path, "unreadable");
        goto out;
    }
    if (sum != stored) {
        rc = corrupt(path, "checksum mismatch (damaged or partly written)");
        goto out;
    }
    if (fseeko(f, sizeof h, SEEK_SET)) {
        rc = corrupt(path, "unreadable");
        goto out;
    }
    if ((rc = vec_index_init(&v, "", "", (int)h.dim, o)))
        goto out;
    v->hnsw = h.hnsw != 0;
    if ((rc = read_body(f, &h, v, path)))
        goto out;
    *generation = h.generation;
    *out = v;
    v = NULL;
out:
    vec_free(v);
    fclose(f);
    return rc;
}

