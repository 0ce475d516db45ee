/*
 * check.c — `cairn check`: is the index whole?  SQLite's own integrity
 * check, FTS5's check of the full-text index against the chunks it
 * indexes, rows that point at nothing, and the vector file's ids against
 * the chunks that have vectors.
 */
#include "store/store.h"
#include "store/store_int.h"
#include "store/vectors.h"
#include "util/err.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Each query counts rows that should not exist. */
static const struct {
    const char *what;
    const char *sql;
} orphan_checks[] = {
    {"files of no root", "SELECT count(*) FROM files WHERE root_id NOT IN (SELECT id FROM roots)"},
    {"chunks of no file", "SELECT count(*) FROM chunks WHERE file_id NOT IN (SELECT id FROM files)"},
    {"definitions of no file", "SELECT count(*) FROM symbols WHERE file_id NOT IN (SELECT id FROM files)"},
    {"definitions whose parent is gone",
     "SELECT count(*) FROM symbols WHERE parent_id IS NOT NULL"
     " AND parent_id NOT IN (SELECT id FROM symbols)"},
    {"references of no file", "SELECT count(*) FROM refs WHERE file_id NOT IN (SELECT id FROM files)"},
    {"references from a definition that is gone",
     "SELECT count(*) FROM refs WHERE symbol_id IS NOT NULL"
     " AND symbol_id NOT IN (SELECT id FROM symbols)"},
    {"documents of no file", "SELECT count(*) FROM docs WHERE file_id NOT IN (SELECT id FROM files)"},
    {"tags of no file", "SELECT count(*) FROM doc_tags WHERE file_id NOT IN (SELECT id FROM files)"},
    {"links of no file", "SELECT count(*) FROM links WHERE file_id NOT IN (SELECT id FROM files)"},
    {"vectors of no chunk", "SELECT count(*) FROM chunk_vectors WHERE chunk_id NOT IN (SELECT id FROM chunks)"},
    {"chunks with impossible spans",
     "SELECT count(*) FROM chunks WHERE start_line < 1 OR end_line < start_line"
     " OR end_byte < start_byte"},
};

static void report(store_problem_fn fn, void *ctx, int *n, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void report(store_problem_fn fn, void *ctx, int *n, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    (*n)++;
    if (fn)
        fn(ctx, msg);
}

/* The vector file against the database: a file as current as the data
 * (same generation) must hold exactly the chunks that have vectors.  An
 * older file is not damage — the next open brings it up to date. */
static int check_vectors(store *s, store_problem_fn fn, void *ctx, int *nproblems)
{
    char path[4096];
    snprintf(path, sizeof path, "%s", store_db_path(s));
    char *slash = strrchr(path, '/');
    snprintf(slash ? slash + 1 : path, sizeof path - (size_t)(slash ? slash + 1 - path : 0), "%s",
             VEC_FILE_NAME);
    vec_index *v = NULL;
    uint64_t gen = 0;
    vec_opts vo = {0};
    int rc = vec_load(path, &vo, &v, &gen);
    if (rc == CAIRN_ERR_NOTFOUND)
        return CAIRN_OK;
    if (rc == CAIRN_ERR_CORRUPT) {
        report(fn, ctx, nproblems, "%s is damaged (%s); the next search or index run rebuilds it", path,
               err_msg());
        return CAIRN_OK;
    }
    if (rc)
        return rc;
    char *want = NULL;
    rc = store_meta_get(s, VEC_META_GENERATION, &want);
    if (rc == CAIRN_ERR_NOTFOUND) {
        vec_free(v);
        return CAIRN_OK;
    }
    if (!rc && strtoull(want, NULL, 10) == gen) {
        size_t n;
        const int64_t *ids = vec_ids(v, &n);
        sqlite3_stmt *st = NULL;
        rc = sqlite3_prepare_v2(store_sqlite(s), "SELECT chunk_id FROM chunk_vectors ORDER BY chunk_id",
                                -1, &st, NULL);
        if (rc != SQLITE_OK) {
            rc = store_db_error(s, rc, "checking vectors");
        } else {
            size_t i = 0, missing = 0, extra = 0;
            int step;
            while ((step = sqlite3_step(st)) == SQLITE_ROW) {
                int64_t id = sqlite3_column_int64(st, 0);
                while (i < n && ids[i] < id) {
                    extra++;
                    i++;
                }
                if (i < n && ids[i] == id)
                    i++;
                else
                    missing++;
            }
            extra += n - i;
            rc = step == SQLITE_DONE ? CAIRN_OK : store_db_error(s, step, "checking vectors");
            if (!rc && (missing || extra))
                report(fn, ctx, nproblems,
                       "%s holds %zu vectors of chunks that have none and lacks %zu that do", path,
                       extra, missing);
        }
        sqlite3_finalize(st);
    }
    free(want);
    vec_free(v);
    return rc;
}

int store_check(store *s, store_problem_fn fn, void *ctx, int *nproblems)
{
    sqlite3 *db = store_sqlite(s);
    *nproblems = 0;
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db, "PRAGMA integrity_check(20)", -1, &st, NULL);
    if (rc != SQLITE_OK)
        return store_db_error(s, rc, "starting the integrity check");
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *line = (const char *)sqlite3_column_text(st, 0);
        if (line && strcmp(line, "ok") != 0)
            report(fn, ctx, nproblems, "database: %s", line);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return store_db_error(s, rc, "checking the database");

    rc = sqlite3_exec(db, "INSERT INTO chunks_fts(chunks_fts, rank) VALUES ('integrity-check', 1)",
                      NULL, NULL, NULL);
    if (rc != SQLITE_OK) {
        if ((rc & 0xff) == SQLITE_CORRUPT)
            report(fn, ctx, nproblems, "full-text index does not match the chunks: %s",
                   sqlite3_errmsg(db));
        else
            return store_db_error(s, rc, "checking the full-text index");
    }

    for (size_t i = 0; i < sizeof orphan_checks / sizeof *orphan_checks; i++) {
        if ((rc = sqlite3_prepare_v2(db, orphan_checks[i].sql, -1, &st, NULL)) != SQLITE_OK)
            return store_db_error(s, rc, "checking for orphans");
        rc = sqlite3_step(st);
        long long n = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
        sqlite3_finalize(st);
        if (rc != SQLITE_ROW)
            return store_db_error(s, rc, "checking for orphans");
        if (n > 0)
            report(fn, ctx, nproblems, "%lld %s", n, orphan_checks[i].what);
    }
    return check_vectors(s, fn, ctx, nproblems);
}
