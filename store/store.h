/*
 * store.h — the index on disk: one SQLite database per index directory.
 *
 * The store owns every byte of SQL in cairn.  An index directory holds
 * index.db (SQLite, WAL mode) with these tables:
 *   meta    key/value facts about the index (schema, created_by, ...)
 *   roots   the indexed directories (absolute paths)
 *   files   one row per indexed file: root, relative path, size, mtime,
 *           content hash (xxh3-64), language, kind (code|prose)
 *   chunks  spans of a file (lines, bytes), their text, symbol path,
 *           context (heading path for prose) and the file's path again,
 *           so that words in a path count for the chunks below it
 *   chunks_fts  FTS5 over chunks (path, symbol, context, text) with cairn's
 *           code-aware tokenizer (store/fts.h), kept in step by triggers
 *   symbols definitions found in code (store/symbols.h), refs the
 *           references between them
 *   docs, doc_tags, links  metadata of prose documents and the links
 *           between them (store/docs.h)
 *   embeddings, chunk_vectors  dense retrieval: cached vectors per text
 *           and embedder, and which text each chunk was embedded as
 *           (store/embcache.h, store/vectors.h, with DIR/vectors.faiss)
 * The schema version lives in PRAGMA user_version and the file is marked
 * with PRAGMA application_id, so a foreign or damaged file, or an index
 * from another cairn version, is refused with a clear message instead of
 * being written to.
 *
 * Any number of readers may use an index while one writer updates it (WAL);
 * writers exclude each other with a lock file held for the handle's life.
 * A store handle is used by one thread at a time.
 */
#ifndef CAIRN_STORE_H
#define CAIRN_STORE_H

#include <stddef.h>
#include <stdint.h>

struct buf;

#define STORE_SCHEMA_VERSION 4
#define STORE_DB_NAME "index.db"

typedef struct store store;

enum store_mode {
    STORE_READ,      /* the index must exist; nothing is written */
    STORE_WRITE,     /* created (with the directory) when missing; fails with
                        CAIRN_ERR_BUSY while another writer holds the index */
    STORE_WRITE_WAIT /* as STORE_WRITE, but waits for the other writer */
};

/* Open the index in directory dir.  On success *out is a handle the caller
 * closes with store_close.  Errors: CAIRN_ERR_NOTFOUND (no index there, in
 * STORE_READ mode), CAIRN_ERR_PERM (directory not writable), CAIRN_ERR_CORRUPT
 * (not a cairn index or damaged), CAIRN_ERR_VERSION (another schema). */
int store_open(const char *dir, enum store_mode mode, store **out);

/* Close the handle; accepts NULL.  Rolls back an open transaction. */
void store_close(store *s);

/* Path of the database file; owned by the store. */
const char *store_db_path(const store *s);

/* Filling an empty index is faster without the indexes that only serve
 * lookups by name: when the index holds no file, they are dropped and
 * *deferred set to 1, and store_lookup_indexes_restore builds them again
 * (a writer opening the index also builds any that is missing).  Outside
 * a transaction; *deferred is 0 when the index was not empty. */
int store_lookup_indexes_defer(store *s, int *deferred);
int store_lookup_indexes_restore(store *s);

int store_begin(store *s);
int store_commit(store *s);
int store_rollback(store *s);

/* A number that changes whenever another connection has committed to the
 * index since this handle last looked (PRAGMA data_version): lets a
 * long-lived reader tell when what it derived from the index is stale. */
int store_data_version(store *s, int64_t *out);

/* ---- meta ---- */

/* Value for key into *out (caller frees with free()); CAIRN_ERR_NOTFOUND
 * when the key is absent. */
int store_meta_get(store *s, const char *key, char **out);
int store_meta_set(store *s, const char *key, const char *value);

/* ---- roots ---- */

typedef struct store_root {
    int64_t id;
    char *path;          /* absolute */
    int64_t indexed_at;  /* unix seconds of the last completed index run, 0 never */
} store_root;

/* Id of the root with this absolute path, adding it when absent. */
int store_root_ensure(store *s, const char *abs_path, int64_t *id);

/* Record a completed index run of root id at time t. */
int store_root_set_indexed(store *s, int64_t id, int64_t t);

/* All roots ordered by path.  Caller frees with store_roots_free. */
int store_roots_list(store *s, store_root **out, size_t *n);
void store_roots_free(store_root *roots, size_t n);

/* ---- files ---- */

typedef struct store_file {
    int64_t id;
    int64_t root_id;
    const char *path;     /* relative to the root, '/'-separated */
    int64_t size;
    int64_t mtime_ns;
    uint64_t hash;        /* xxh3-64 of the raw bytes */
    const char *lang;
    const char *kind;     /* "code" or "prose" */
    const char *encoding; /* "utf-8", "windows-1252", ... */
} store_file;

/* Call fn for every file of root_id.  The row's strings are valid only
 * during the call.  A nonzero return from fn stops and is returned. */
typedef int (*store_file_fn)(void *ctx, const store_file *f);
int store_files_each(store *s, int64_t root_id, store_file_fn fn, void *ctx);

/* Insert or replace the row for (f->root_id, f->path), deleting the chunks
 * it had; the new id goes to *id. */
int store_file_put(store *s, const store_file *f, int64_t *id);

/* Update size and mtime of a file whose content did not change. */
int store_file_touch(store *s, int64_t id, int64_t size, int64_t mtime_ns);

/* Delete a file and its chunks. */
int store_file_delete(store *s, int64_t id);

/* ---- chunks ---- */

typedef struct store_chunk {
    int seq;              /* order within the file, from 0 */
    int start_line, end_line;
    int64_t start_byte, end_byte;
    const char *symbol;   /* NULL when unknown */
    const char *context;  /* NULL when none */
    const char *text;
    size_t text_len;
} store_chunk;

int store_chunk_add(store *s, int64_t file_id, const store_chunk *c);

/* ---- search ---- */

typedef struct store_query {
    const char *match;     /* FTS5 MATCH expression (see fts_query_build) */
    const char *path_glob; /* SQLite GLOB over the root-relative path, or NULL */
    const char *lang;      /* exact language name, or NULL */
    const char *kind;      /* "code", "prose" or NULL */
    const char *since;     /* ISO date: only files dated on or after it, or NULL */
    const char *until;     /* ISO date: only files dated on or before it, or NULL */
    const char *tag;       /* only documents with this tag (any case), or NULL */
    int limit;             /* rows wanted (> 0) */
} store_query;

typedef struct store_hit {
    int64_t chunk_id;
    int64_t file_id;
    char *root;            /* absolute root path */
    char *path;            /* relative to root */
    char *lang;
    char *kind;
    char *symbol;          /* NULL when none */
    char *context;         /* NULL when none */
    char *snippet;         /* text with STORE_MARK_OPEN/CLOSE around matches */
    char *title;           /* the document's title (prose), or NULL */
    char *date;            /* the document's date (ISO 8601), or NULL */
    int start_line, end_line;
    int64_t mtime_ns;
    double score;          /* BM25, higher is better (query/search: the fused score) */
    /* Filled by query/search.c, for --explain: each signal's rank among
     * its own results (0 = not among them) and its own score. */
    int rank_lexical, rank_dense, rank_definition;
    double score_lexical, score_dense;
} store_hit;

#define STORE_MARK_OPEN "\x02"
#define STORE_MARK_CLOSE "\x03"

/* BM25-ranked chunks.  A file's date is its document date when it has
 * one, else the day of its mtime.  Hits come without snippets (NULL):
 * most of a ranking is thrown away, so snippets are made for the hits
 * kept, by store_hits_snippets.  Caller frees *hits with store_hits_free. */
int store_search(store *s, const store_query *q, store_hit **hits, size_t *n);
void store_hits_free(store_hit *hits, size_t n);

/* The chunks ids[0..n) as hits, in that order, without snippets, leaving
 * out those gone or not passing q's filters (q->match and q->limit are not
 * used).  Caller frees *hits with store_hits_free. */
int store_hits_by_ids(store *s, const int64_t *ids, size_t n, const store_query *q, store_hit **hits,
                      size_t *nhits);

/* The chunk of file_id holding line, as a hit with score 0 whose snippet
 * is the chunk's first lines.  Release with store_hits_free_one.
 * CAIRN_ERR_NOTFOUND when no chunk holds the line. */
int store_hit_at(store *s, int64_t file_id, int line, store_hit *out);

/* Give every hit of hits[0..n) that has no snippet one: the words of match
 * (an FTS5 expression, may be NULL) highlighted where the chunk contains
 * them, else the chunk's first lines.  Hits that have a snippet keep it. */
int store_hits_snippets(store *s, const char *match, store_hit *hits, size_t n);

/* Append lines start_line..end_line of file_id, as indexed, to out, each
 * ending in '\n' (line breaks normalised); lines past the end are
 * absent. */
int store_file_lines(store *s, int64_t file_id, int start_line, int end_line, struct buf *out);

/* Free one hit's strings and zero it (the array stays the caller's). */
void store_hits_free_one(store_hit *h);

/* ---- integrity ---- */

/* Called once per problem found, with a sentence describing it. */
typedef void (*store_problem_fn)(void *ctx, const char *problem);

/* Check the whole index: SQLite's integrity check, the full-text index
 * against its chunks, and rows pointing at nothing.  *nproblems gets the
 * count; the return is an error only when the check itself could not run.
 * Needs a STORE_WRITE handle (FTS5's check is written as an insert). */
int store_check(store *s, store_problem_fn fn, void *ctx, int *nproblems);

/* ---- statistics ---- */

typedef struct store_lang_stat {
    char *lang;
    char *kind;
    int64_t files, chunks, bytes;
} store_lang_stat;

typedef struct store_stats {
    int64_t files, chunks, bytes;
    int64_t db_bytes;        /* index.db plus its WAL */
    int64_t last_indexed;    /* unix seconds, 0 never */
    store_lang_stat *langs;  /* ordered by files, descending */
    size_t nlangs;
} store_stats;

/* Counts for root_id, or for the whole index when root_id is 0.
 * Caller releases with store_stats_release. */
int store_stats_get(store *s, int64_t root_id, store_stats *out);
void store_stats_release(store_stats *st);

#endif
