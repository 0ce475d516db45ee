/*
 * pipeline.h — one index run over one root: discover, read, detect,
 * chunk and store, touching only what changed.
 *
 * Files whose size and mtime match the index are not read; files whose
 * content hash matches are not re-chunked; files that vanished or became
 * ignored or unreadable-as-text leave the index.  Work is committed in
 * batches, so a killed run keeps every batch it finished and the next run
 * picks up from there.
 */
#ifndef CAIRN_PIPELINE_H
#define CAIRN_PIPELINE_H

#include "store/store.h"

#include <stddef.h>
#include <stdint.h>

#define PIPELINE_DEFAULT_MAX_SIZE ((size_t)2 << 20)

/* Called once per file that was not indexed, or per problem that did not
 * stop the run; msg names the path and the reason. */
typedef void (*pipeline_warn_fn)(void *ctx, const char *msg);

/* Progress for callers that report it elsewhere (an MCP client): done of
 * total files looked at, path the current one (root-relative). */
typedef void (*pipeline_progress_fn)(void *ctx, int64_t done, int64_t total, const char *path);

/* Polled between files; a nonzero return stops the run after committing
 * what is done, and pipeline_index_root returns CAIRN_ERR_CANCELLED. */
typedef int (*pipeline_stop_fn)(void *ctx);

typedef struct pipeline_opts {
    size_t max_size;         /* files larger than this are skipped */
    int follow_symlinks;     /* follow links that stay inside the root */
    int jobs;                /* worker threads; 0 = one per CPU (at most 16) */
    int progress;            /* draw a progress bar when stderr is a terminal */
    const char *index_dir;   /* absolute; never walked into */
    pipeline_warn_fn warn;   /* may be NULL */
    void *warn_ctx;
    pipeline_progress_fn on_progress; /* may be NULL */
    pipeline_stop_fn should_stop;     /* may be NULL */
    void *cb_ctx;                     /* for on_progress and should_stop */
} pipeline_opts;

typedef struct pipeline_stats {
    int64_t seen;       /* files found by discovery */
    int64_t added;      /* new files indexed */
    int64_t updated;    /* changed files re-indexed */
    int64_t unchanged;  /* files left as they were */
    int64_t removed;    /* files that left the index */
    int64_t skipped;    /* files not indexed (binary, too big, unreadable...) */
    int64_t chunks;     /* chunks written */
    int64_t definitions; /* definitions written */
    int64_t references; /* references written */
    int64_t bytes;      /* bytes of text read */
} pipeline_stats;

/* Fill o with defaults: 2 MiB cap, no symlinks, no progress, no warnings. */
void pipeline_opts_init(pipeline_opts *o);

/* Index the directory root (absolute, canonical) into s, adding it as a
 * root when new.  Counts are added to *st.  Per-file problems are warnings;
 * errors returned are about the root (missing, unreadable) or the store. */
int pipeline_index_root(store *s, const char *root, const pipeline_opts *o, pipeline_stats *st);

#endif
