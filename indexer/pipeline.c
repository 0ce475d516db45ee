/*
 * pipeline.c — discover -> read -> detect -> chunk -> store, for one root.
 *
 * Discovery runs first and collects the candidate list, so the progress bar
 * knows its total and the store can be compared against the whole tree.
 */
#include "indexer/pipeline.h"
#include "indexer/chunk.h"
#include "indexer/lang.h"
#include "indexer/textfile.h"
#include "indexer/walk.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/progress.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <xxhash.h>

/* A killed run loses at most one batch of work. */
#define BATCH_FILES 4096
#define BATCH_MS 5000
#define HEAD_BYTES 256

typedef struct known_file {
    int64_t id;
    char *path;
    int64_t size, mtime_ns;
    uint64_t hash;
    int seen;
} known_file;

typedef struct found_file {
    char *rel;
    int64_t size, mtime_ns;
} found_file;

typedef struct run {
    store *s;
    const char *root;
    int64_t root_id;
    const pipeline_opts *o;
    pipeline_stats *st;
    known_file *known;
    size_t nknown, capknown;
    found_file *found;
    size_t nfound, capfound;
    int err; /* first fatal error inside a callback */
} run;

static void warn(const run *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void warn(const run *r, const char *fmt, ...)
{
    if (!r->o->warn)
        return;
    char msg[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    r->o->warn(r->o->warn_ctx, msg);
}

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void pipeline_opts_init(pipeline_opts *o)
{
    memset(o, 0, sizeof *o);
    o->max_size = PIPELINE_DEFAULT_MAX_SIZE;
}

static int collect_known(void *ctx, const store_file *f)
{
    run *r = ctx;
    if (r->nknown == r->capknown) {
        size_t cap = r->capknown ? r->capknown * 2 : 256;
        known_file *p = realloc(r->known, cap * sizeof *p);
        if (!p)
            return err_set(CAIRN_ERR_NOMEM, "out of memory loading the file list");
        r->known = p;
        r->capknown = cap;
    }
    known_file *k = &r->known[r->nknown];
    k->path = strdup(f->path);
    if (!k->path)
        return err_set(CAIRN_ERR_NOMEM, "out of memory loading the file list");
    k->id = f->id;
    k->size = f->size;
    k->mtime_ns = f->mtime_ns;
    k->hash = f->hash;
    k->seen = 0;
    r->nknown++;
    return CAIRN_OK;
}

static int cmp_known(const void *a, const void *b)
{
    return strcmp(((const known_file *)a)->path, ((const known_file *)b)->path);
}

static known_file *find_known(run *r, const char *rel)
{
    if (r->nknown == 0)
        return NULL;
    known_file key = {.path = (char *)rel};
    return bsearch(&key, r->known, r->nknown, sizeof key, cmp_known);
}

static int on_found(void *ctx, const walk_entry *e)
{
    run *r = ctx;
    if (r->nfound == r->capfound) {
        size_t cap = r->capfound ? r->capfound * 2 : 1024;
        found_file *p = realloc(r->found, cap * sizeof *p);
        if (!p)
            return err_set(CAIRN_ERR_NOMEM, "out of memory listing files under %s", r->root);
        r->found = p;
        r->capfound = cap;
    }
    found_file *f = &r->found[r->nfound];
    f->rel = strdup(e->rel);
    if (!f->rel)
        return err_set(CAIRN_ERR_NOMEM, "out of memory listing files under %s", r->root);
    f->size = e->size;
    f->mtime_ns = e->mtime_ns;
    r->nfound++;
    return CAIRN_OK;
}

static void on_skip(void *ctx, const char *path, walk_skip reason, const char *detail)
{
    run *r = ctx;
    r->st->skipped++;
    warn(r, "skipped %s: %s%s%s", path, walk_skip_name(reason), detail ? ": " : "",
         detail ? detail : "");
}

static int store_chunks(run *r, int64_t file_id, const char *text, const chunk_list *cl)
{
    for (size_t i = 0; i < cl->n; i++) {
        const chunk *c = &cl->items[i];
        store_chunk sc = {
            .seq = (int)i,
            .start_line = c->start_line,
            .end_line = c->end_line,
            .start_byte = (int64_t)c->start_byte,
            .end_byte = (int64_t)c->end_byte,
            .symbol = c->symbol,
            .context = c->context,
            .text = text + c->start_byte,
            .text_len = c->end_byte - c->start_byte,
        };
        int rc = store_chunk_add(r->s, file_id, &sc);
        if (rc)
            return rc;
    }
    r->st->chunks += (int64_t)cl->n;
    return CAIRN_OK;
}

/* Read, chunk and store one changed or new file.  Returns a fatal (store)
 * error only; problems with the file itself are warnings. */
static int index_file(run *r, const found_file *f, known_file *k, buf *text)
{
    char path[8192];
    snprintf(path, sizeof path, "%s/%s", r->root, f->rel);
    textfile_info info;
    buf_clear(text);
    int rc = textfile_read(path, r->o->max_size, text, &info);
    if (rc) {
        r->st->skipped++;
        warn(r, "skipped %s", err_msg());
        /* An unreadable file keeps what the index knew of it; one that is
         * gone or no longer text leaves the index. */
        if (k && rc == CAIRN_ERR_PERM)
            k->seen = 1;
        return CAIRN_OK;
    }
    r->st->bytes += (int64_t)text->len;
    uint64_t hash = XXH3_64bits(text->data ? text->data : "", text->len);
    if (k) {
        k->seen = 1;
        if (k->hash == hash) {
            r->st->unchanged++;
            return store_file_touch(r->s, k->id, f->size, f->mtime_ns);
        }
    }
    const char *data = buf_str(text);
    const lang_info *lang = lang_detect(f->rel, data, text->len < HEAD_BYTES ? text->len : HEAD_BYTES);
    chunk_list cl;
    chunk_list_init(&cl);
    if (lang->kind == LANG_PROSE)
        rc = chunk_prose(data, text->len, lang->name, NULL, &cl);
    else
        rc = chunk_code(data, text->len, NULL, &cl);
    if (rc) {
        chunk_list_release(&cl);
        r->st->skipped++;
        warn(r, "skipped %s: %s", path, err_msg());
        return CAIRN_OK;
    }
    store_file sf = {
        .root_id = r->root_id,
        .path = f->rel,
        .size = f->size,
        .mtime_ns = f->mtime_ns,
        .hash = hash,
        .lang = lang->name,
        .kind = lang_kind_name(lang->kind),
        .encoding = info.encoding,
    };
    if (info.transcoded)
        warn(r, "read %s as %s (not UTF-8)", path, info.encoding);
    int64_t id;
    rc = store_file_put(r->s, &sf, &id);
    if (!rc)
        rc = store_chunks(r, id, data, &cl);
    chunk_list_release(&cl);
    if (!rc) {
        if (k)
            r->st->updated++;
        else
            r->st->added++;
    }
    return rc;
}

static int process(run *r)
{
    progress bar;
    progress_init(&bar, "indexing", r->o->progress);
    progress_set_total(&bar, (int64_t)r->nfound);
    buf text;
    buf_init(&text, r->o->max_size + 1);
    int rc = store_begin(r->s);
    int64_t batch_start = now_ms();
    int in_batch = 0, cancelled = 0;
    for (size_t i = 0; i < r->nfound && !rc; i++) {
        found_file *f = &r->found[i];
        progress_update(&bar, (int64_t)i, f->rel);
        if (r->o->on_progress)
            r->o->on_progress(r->o->cb_ctx, (int64_t)i, (int64_t)r->nfound, f->rel);
        if (r->o->should_stop && r->o->should_stop(r->o->cb_ctx)) {
            cancelled = 1;
            break;
        }
        known_file *k = find_known(r, f->rel);
        if (k && k->size == f->size && k->mtime_ns == f->mtime_ns) {
            k->seen = 1;
            r->st->unchanged++;
            continue;
        }
        rc = index_file(r, f, k, &text);
        if (!rc && (++in_batch >= BATCH_FILES || now_ms() - batch_start >= BATCH_MS)) {
            rc = store_commit(r->s);
            if (!rc)
                rc = store_begin(r->s);
            in_batch = 0;
            batch_start = now_ms();
        }
    }
    /* A stopped run cannot tell vanished files from unvisited ones. */
    for (size_t i = 0; i < r->nknown && !rc && !cancelled; i++) {
        if (r->known[i].seen)
            continue;
        rc = store_file_delete(r->s, r->known[i].id);
        if (!rc)
            r->st->removed++;
    }
    if (!rc && !cancelled)
        rc = store_root_set_indexed(r->s, r->root_id, (int64_t)time(NULL));
    if (!rc)
        rc = store_commit(r->s);
    else
        store_rollback(r->s);
    progress_update(&bar, (int64_t)r->nfound, NULL);
    progress_finish(&bar);
    buf_release(&text);
    if (!rc && cancelled)
        rc = err_set(CAIRN_ERR_CANCELLED, "indexing %s stopped on request", r->root);
    return rc;
}

int pipeline_index_root(store *s, const char *root, const pipeline_opts *o, pipeline_stats *st)
{
    run r = {.s = s, .root = root, .o = o, .st = st};
    int rc = store_begin(s);
    if (!rc) {
        rc = store_root_ensure(s, root, &r.root_id);
        rc = rc ? (store_rollback(s), rc) : store_commit(s);
    }
    if (!rc)
        rc = store_files_each(s, r.root_id, collect_known, &r);
    if (!rc) {
        if (r.nknown)
            qsort(r.known, r.nknown, sizeof *r.known, cmp_known);
        walk_opts wo;
        walk_opts_init(&wo);
        wo.max_size = o->max_size;
        wo.follow_symlinks = o->follow_symlinks;
        const char *skip[2] = {o->index_dir, NULL};
        wo.skip_dirs = o->index_dir ? skip : NULL;
        rc = walk_root(root, &wo, on_found, on_skip, &r);
    }
    st->seen += (int64_t)r.nfound;
    if (!rc)
        rc = process(&r);
    for (size_t i = 0; i < r.nknown; i++)
        free(r.known[i].path);
    free(r.known);
    for (size_t i = 0; i < r.nfound; i++)
        free(r.found[i].rel);
    free(r.found);
    return rc;
}
