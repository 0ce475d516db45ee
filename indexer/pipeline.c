/*
 * pipeline.c — discover -> read -> detect -> chunk -> store, for one root.
 *
 * Discovery runs first and collects the candidate list, so the progress bar
 * knows its total and the store can be compared against the whole tree.
 * Reading and chunking run on worker threads (prepare.c); this file owns
 * the store, which one thread writes.
 */
#include "indexer/pipeline.h"
#include "indexer/docmeta.h"
#include "indexer/prepare.h"
#include "indexer/walk.h"
#include "store/symbols.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/progress.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* A killed run loses at most one batch of work. */
#define BATCH_FILES 4096
#define BATCH_MS 5000

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
    docmeta *meta;
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

static int store_definitions(run *r, int64_t file_id, const parse_result *pr)
{
    store_sym_in *syms = pr->nsymbols ? calloc(pr->nsymbols, sizeof *syms) : NULL;
    store_ref_in *refs = pr->nrefs ? calloc(pr->nrefs, sizeof *refs) : NULL;
    if ((pr->nsymbols && !syms) || (pr->nrefs && !refs)) {
        free(syms);
        free(refs);
        return err_set(CAIRN_ERR_NOMEM, "out of memory storing definitions");
    }
    for (size_t i = 0; i < pr->nsymbols; i++) {
        const parse_symbol *y = &pr->symbols[i];
        syms[i] = (store_sym_in){
            .name = y->name, .qualname = y->qualname, .kind = y->kind, .signature = y->signature,
            .doc = y->doc, .start_line = y->start_line, .end_line = y->end_line,
            .start_byte = (int64_t)y->start_byte, .end_byte = (int64_t)y->end_byte,
            .parent = y->parent,
        };
    }
    for (size_t i = 0; i < pr->nrefs; i++) {
        const parse_ref *x = &pr->refs[i];
        refs[i] = (store_ref_in){
            .name = x->name, .qualifier = x->qualifier, .kind = x->kind, .line = x->line,
            .start_byte = (int64_t)x->start_byte, .end_byte = (int64_t)x->end_byte,
            .enclosing = x->enclosing,
        };
    }
    int rc = store_symbols_put(r->s, file_id, syms, pr->nsymbols, refs, pr->nrefs);
    free(syms);
    free(refs);
    r->st->definitions += (int64_t)pr->nsymbols;
    r->st->references += (int64_t)pr->nrefs;
    return rc;
}

/* Write one prepared file.  Returns a fatal (store) error only; problems
 * with the file itself are warnings. */
static int store_prepared(run *r, const found_file *f, known_file *k, prepared *p)
{
    if (p->status) {
        r->st->skipped++;
        warn(r, "skipped %s", p->message ? p->message : err_name(p->status));
        /* An unreadable file keeps what the index knew of it; one that is
         * gone or no longer text leaves the index. */
        if (k && p->status == CAIRN_ERR_PERM)
            k->seen = 1;
        return CAIRN_OK;
    }
    r->st->bytes += (int64_t)p->text.len;
    if (k)
        k->seen = 1;
    if (p->unchanged) {
        r->st->unchanged++;
        return store_file_touch(r->s, k->id, f->size, f->mtime_ns);
    }
    if (p->info.transcoded)
        warn(r, "read %s/%s as %s (not UTF-8)", r->root, f->rel, p->info.encoding);
    store_file sf = {
        .root_id = r->root_id,
        .path = f->rel,
        .size = f->size,
        .mtime_ns = f->mtime_ns,
        .hash = p->hash,
        .lang = p->lang->name,
        .kind = lang_kind_name(p->lang->kind),
        .encoding = p->info.encoding,
    };
    for (size_t i = 0; i < p->doc.nwarnings; i++)
        warn(r, "%s/%s: %s", r->root, f->rel, p->doc.warnings[i]);
    int64_t id;
    int rc = store_file_put(r->s, &sf, &id);
    if (!rc)
        rc = store_chunks(r, id, p->doc.body ? p->doc.body : buf_str(&p->text), &p->chunks);
    if (!rc && p->parsed.nsymbols + p->parsed.nrefs)
        rc = store_definitions(r, id, &p->parsed);
    if (!rc && p->lang->kind == LANG_PROSE)
        rc = docmeta_store(r->meta, r->s, id, f->rel, f->mtime_ns, &p->doc);
    if (!rc) {
        if (k)
            r->st->updated++;
        else
            r->st->added++;
    }
    return rc;
}

/* ---- the worker pool ----
 * Workers prepare the files of todo[] in order of a shared counter; the
 * main thread writes them to the store in todo order.  Slot j % WINDOW
 * holds todo item j, and workers never run more than WINDOW items ahead of
 * the writer, which bounds memory. */

#define WINDOW 64
#define MAX_JOBS 16

typedef struct pool {
    run *r;
    size_t *todo; /* indexes into r->found */
    size_t ntodo;
    prepared slot[WINDOW];
    int ready[WINDOW];
    size_t next;      /* next todo item a worker takes */
    size_t written;   /* todo items the writer has finished */
    int stop;
    pthread_mutex_t mu;
    pthread_cond_t cv;
} pool;

static void *worker(void *arg)
{
    pool *pl = arg;
    preparer *prep = NULL;
    int prc = preparer_new(&prep);
    char path[8192];
    pthread_mutex_lock(&pl->mu);
    for (;;) {
        while (!pl->stop && pl->next < pl->ntodo && pl->next >= pl->written + WINDOW)
            pthread_cond_wait(&pl->cv, &pl->mu);
        if (pl->stop || pl->next >= pl->ntodo)
            break;
        size_t j = pl->next++;
        pthread_mutex_unlock(&pl->mu);
        const found_file *f = &pl->r->found[pl->todo[j]];
        known_file *k = find_known(pl->r, f->rel);
        prepared *p = &pl->slot[j % WINDOW];
        prepared_init(p);
        if (prc) {
            p->status = prc;
            p->message = strdup("out of memory creating a file preparer");
        } else {
            snprintf(path, sizeof path, "%s/%s", pl->r->root, f->rel);
            prepare_file(prep, path, f->rel, pl->r->o->max_size, k != NULL, k ? k->hash : 0, p);
        }
        pthread_mutex_lock(&pl->mu);
        pl->ready[j % WINDOW] = 1;
        pthread_cond_broadcast(&pl->cv);
    }
    pthread_mutex_unlock(&pl->mu);
    preparer_free(prep);
    return NULL;
}

static int jobs_for(const pipeline_opts *o, size_t ntodo)
{
    long n = o->jobs > 0 ? o->jobs : sysconf(_SC_NPROCESSORS_ONLN);
    if (n < 1)
        n = 1;
    if (n > MAX_JOBS)
        n = MAX_JOBS;
    if ((size_t)n > ntodo)
        n = ntodo ? (long)ntodo : 1;
    return (int)n;
}

static int process(run *r)
{
    progress bar;
    progress_init(&bar, "indexing", r->o->progress);
    progress_set_total(&bar, (int64_t)r->nfound);
    pool pl = {.r = r};
    pthread_mutex_init(&pl.mu, NULL);
    pthread_cond_init(&pl.cv, NULL);
    int rc = CAIRN_OK, cancelled = 0;
    /* Files whose size and mtime match the index are settled without
     * reading them; the rest go to the workers. */
    pl.todo = malloc((r->nfound ? r->nfound : 1) * sizeof *pl.todo);
    if (!pl.todo)
        rc = err_set(CAIRN_ERR_NOMEM, "out of memory planning the index run");
    for (size_t i = 0; i < r->nfound && !rc; i++) {
        known_file *k = find_known(r, r->found[i].rel);
        if (k && k->size == r->found[i].size && k->mtime_ns == r->found[i].mtime_ns) {
            k->seen = 1;
            r->st->unchanged++;
        } else {
            pl.todo[pl.ntodo++] = i;
        }
    }
    int njobs = jobs_for(r->o, pl.ntodo);
    pthread_t threads[MAX_JOBS];
    int started = 0;
    if (!rc)
        rc = store_begin(r->s);
    for (int t = 0; t < njobs && !rc && pl.ntodo; t++) {
        if (pthread_create(&threads[t], NULL, worker, &pl) != 0) {
            rc = err_set(CAIRN_ERR_NOMEM, "cannot start an indexing thread");
            break;
        }
        started++;
    }
    int64_t batch_start = now_ms();
    int in_batch = 0;
    size_t settled = r->nfound - pl.ntodo;
    for (size_t j = 0; j < pl.ntodo && !rc; j++) {
        const found_file *f = &r->found[pl.todo[j]];
        progress_update(&bar, (int64_t)(settled + j), f->rel);
        if (r->o->on_progress)
            r->o->on_progress(r->o->cb_ctx, (int64_t)(settled + j), (int64_t)r->nfound, f->rel);
        if (r->o->should_stop && r->o->should_stop(r->o->cb_ctx)) {
            cancelled = 1;
            break;
        }
        pthread_mutex_lock(&pl.mu);
        while (!pl.ready[j % WINDOW])
            pthread_cond_wait(&pl.cv, &pl.mu);
        pthread_mutex_unlock(&pl.mu);
        prepared *p = &pl.slot[j % WINDOW];
        rc = store_prepared(r, f, find_known(r, f->rel), p);
        prepared_release(p);
        pthread_mutex_lock(&pl.mu);
        pl.ready[j % WINDOW] = 0;
        pl.written = j + 1;
        pthread_cond_broadcast(&pl.cv);
        pthread_mutex_unlock(&pl.mu);
        if (!rc && (++in_batch >= BATCH_FILES || now_ms() - batch_start >= BATCH_MS)) {
            rc = store_commit(r->s);
            if (!rc)
                rc = store_begin(r->s);
            in_batch = 0;
            batch_start = now_ms();
        }
    }
    pthread_mutex_lock(&pl.mu);
    pl.stop = 1;
    pthread_cond_broadcast(&pl.cv);
    pthread_mutex_unlock(&pl.mu);
    for (int t = 0; t < started; t++)
        pthread_join(threads[t], NULL);
    /* Whatever the workers finished past a stop is dropped unwritten. */
    for (size_t j = pl.written; j < pl.next; j++)
        prepared_release(&pl.slot[j % WINDOW]);

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
    free(pl.todo);
    pthread_cond_destroy(&pl.cv);
    pthread_mutex_destroy(&pl.mu);
    if (!rc && cancelled)
        rc = err_set(CAIRN_ERR_CANCELLED, "indexing %s stopped on request", r->root);
    return rc;
}

int pipeline_index_root(store *s, const char *root, const pipeline_opts *o, pipeline_stats *st)
{
    run r = {.s = s, .root = root, .o = o, .st = st};
    int rc = docmeta_new(root, o->warn, o->warn_ctx, &r.meta);
    if (!rc)
        rc = store_begin(s);
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
    int deferred = 0;
    if (!rc)
        rc = store_lookup_indexes_defer(s, &deferred);
    if (!rc)
        rc = process(&r);
    if (deferred) {
        int rrc = store_lookup_indexes_restore(s);
        rc = rc ? rc : rrc;
    }
    for (size_t i = 0; i < r.nknown; i++)
        free(r.known[i].path);
    free(r.known);
    for (size_t i = 0; i < r.nfound; i++)
        free(r.found[i].rel);
    free(r.found);
    docmeta_free(r.meta);
    return rc;
}
