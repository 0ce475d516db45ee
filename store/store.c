/*
 * store.c — opening, creating and migrating index.db (the schema itself is
 * in schema.c), and the statements on files, chunks and meta.
 *
 * Statements are prepared once per handle, on first use, from the table
 * below; each public function binds, steps and resets one of them.
 */
#include "store/store.h"
#include "store/store_int.h"
#include "store/fts.h"
#include "util/err.h"
#include "util/buf.h"
#include "util/version.h"

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* "cairn" in a 32-bit application_id: marks the file as ours. */
#define STORE_APP_ID 0x6361726e

/* Statements the store's other files prepare through store_stmt(). */
#define STMT_CACHE_MAX 64

enum stmt_id {
    ST_META_GET,
    ST_META_SET,
    ST_ROOT_FIND,
    ST_ROOT_ADD,
    ST_ROOT_INDEXED,
    ST_ROOTS,
    ST_FILES_OF_ROOT,
    ST_FILE_FIND,
    ST_FILE_INSERT,
    ST_FILE_UPDATE,
    ST_FILE_TOUCH,
    ST_FILE_DELETE,
    ST_CHUNK_ADD,
    ST__COUNT
};

struct store {
    sqlite3 *db;
    char *dir;
    char *db_path;
    int in_tx;
    int lock_fd;
    sqlite3_stmt *stmts[ST__COUNT];
    struct {
        const char *sql;
        sqlite3_stmt *st;
    } cache[STMT_CACHE_MAX];
    int ncache;
};

static const char *const stmt_sql[ST__COUNT] = {
    [ST_META_GET] = "SELECT value FROM meta WHERE key = ?1",
    [ST_META_SET] = "INSERT INTO meta(key, value) VALUES (?1, ?2) "
                    "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
    [ST_ROOT_FIND] = "SELECT id FROM roots WHERE path = ?1",
    [ST_ROOT_ADD] = "INSERT INTO roots(path, added_at) VALUES (?1, strftime('%s','now'))",
    [ST_ROOT_INDEXED] = "UPDATE roots SET indexed_at = ?2 WHERE id = ?1",
    [ST_ROOTS] = "SELECT id, path, coalesce(indexed_at, 0) FROM roots ORDER BY path",
    [ST_FILES_OF_ROOT] = "SELECT id, path, size, mtime_ns, hash, lang, kind, encoding "
                         "FROM files WHERE root_id = ?1",
    [ST_FILE_FIND] = "SELECT id FROM files WHERE root_id = ?1 AND path = ?2",
    [ST_FILE_INSERT] = "INSERT INTO files(root_id, path, size, mtime_ns, hash, lang, kind, "
                       "encoding, indexed_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, "
                       "strftime('%s','now'))",
    [ST_FILE_UPDATE] = "UPDATE files SET size = ?3, mtime_ns = ?4, hash = ?5, lang = ?6, "
                       "kind = ?7, encoding = ?8, indexed_at = strftime('%s','now') "
                       "WHERE root_id = ?1 AND path = ?2",
    [ST_FILE_TOUCH] = "UPDATE files SET size = ?2, mtime_ns = ?3 WHERE id = ?1",
    [ST_FILE_DELETE] = "DELETE FROM files WHERE id = ?1",
    [ST_CHUNK_ADD] = "INSERT INTO chunks(file_id, seq, start_line, end_line, start_byte, "
                     "end_byte, path, symbol, context, text) "
                     "VALUES (?1, ?2, ?3, ?4, ?5, ?6, (SELECT path FROM files WHERE id = ?1), "
                     "?7, ?8, ?9)",
};

/* Everything a file owns besides its own row; cleared when the file is
 * replaced or deleted. */
static const char *const file_parts_delete[] = {
    "DELETE FROM chunks WHERE file_id = ?1",
    "DELETE FROM refs WHERE file_id = ?1",
    "DELETE FROM symbols WHERE file_id = ?1",
    "DELETE FROM doc_tags WHERE file_id = ?1",
    "DELETE FROM links WHERE file_id = ?1",
    "DELETE FROM docs WHERE file_id = ?1",
};

int store_db_error(store *s, int rc, const char *what)
{
    int prim = rc & 0xff;
    const char *msg = s->db ? sqlite3_errmsg(s->db) : sqlite3_errstr(rc);
    if (prim == SQLITE_CORRUPT || prim == SQLITE_NOTADB)
        return err_set(CAIRN_ERR_CORRUPT,
                       "%s is damaged or not a cairn index (%s while %s); "
                       "move it away and run 'cairn index' again",
                       s->db_path, msg, what);
    if (prim == SQLITE_READONLY || prim == SQLITE_PERM || prim == SQLITE_CANTOPEN)
        return err_set(CAIRN_ERR_PERM, "%s: cannot write (%s while %s)", s->db_path, msg, what);
    if (prim == SQLITE_BUSY || prim == SQLITE_LOCKED)
        return err_set(CAIRN_ERR_BUSY, "%s is locked by another process (%s while %s)",
                       s->db_path, msg, what);
    if (prim == SQLITE_FULL)
        return err_set(CAIRN_ERR_IO, "%s: disk full while %s", s->db_path, what);
    if (prim == SQLITE_IOERR)
        return err_set(CAIRN_ERR_IO, "%s: I/O error (%s) while %s", s->db_path, msg, what);
    return err_set(CAIRN_ERR_DB, "%s: %s while %s", s->db_path, msg, what);
}

int store_exec(store *s, const char *sql, const char *what)
{
    int rc = sqlite3_exec(s->db, sql, NULL, NULL, NULL);
    return rc == SQLITE_OK ? CAIRN_OK : store_db_error(s, rc, what);
}

static int stmt_get(store *s, enum stmt_id id, sqlite3_stmt **out)
{
    if (!s->stmts[id]) {
        int rc = sqlite3_prepare_v3(s->db, stmt_sql[id], -1, SQLITE_PREPARE_PERSISTENT,
                                    &s->stmts[id], NULL);
        if (rc != SQLITE_OK)
            return store_db_error(s, rc, "preparing a statement");
    }
    *out = s->stmts[id];
    return CAIRN_OK;
}

/* Step a statement that returns no rows, then reset it. */
static int stmt_run(store *s, sqlite3_stmt *st, const char *what)
{
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return rc == SQLITE_DONE ? CAIRN_OK : store_db_error(s, rc, what);
}

int store_stmt(store *s, const char *sql, sqlite3_stmt **out)
{
    for (int i = 0; i < s->ncache; i++) {
        if (s->cache[i].sql == sql) {
            *out = s->cache[i].st;
            return CAIRN_OK;
        }
    }
    if (s->ncache == STMT_CACHE_MAX)
        return err_set(CAIRN_ERR_TOOBIG, "store: more than %d cached statements", STMT_CACHE_MAX);
    int rc = sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, out, NULL);
    if (rc != SQLITE_OK)
        return store_db_error(s, rc, "preparing a statement");
    s->cache[s->ncache].sql = sql;
    s->cache[s->ncache].st = *out;
    s->ncache++;
    return CAIRN_OK;
}

int store_stmt_done(store *s, sqlite3_stmt *st, const char *what)
{
    return stmt_run(s, st, what);
}

static int pragma_int(store *s, const char *sql, int *out, const char *what)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(s->db, sql, -1, &st, NULL);
    if (rc != SQLITE_OK)
        return store_db_error(s, rc, what);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *out = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? CAIRN_OK : store_db_error(s, rc, what);
}

static int migrate(store *s, int from)
{
    int rc = store_exec(s, "BEGIN IMMEDIATE", "starting the schema upgrade");
    if (rc)
        return rc;
    for (int v = from; v < STORE_SCHEMA_VERSION; v++) {
        rc = store_exec(s, store_migrations[v], "upgrading the schema");
        if (rc)
            goto fail;
    }
    char sql[128];
    snprintf(sql, sizeof sql, "PRAGMA application_id = %d; PRAGMA user_version = %d;",
             STORE_APP_ID, STORE_SCHEMA_VERSION);
    if ((rc = store_exec(s, sql, "stamping the schema version")))
        goto fail;
    if ((rc = store_exec(s,
                       "INSERT OR REPLACE INTO meta(key, value) VALUES"
                       " ('created_by', 'cairn " CAIRN_VERSION "'),"
                       " ('tokenizer', 'cairn 1')",
                       "writing index facts")))
        goto fail;
    return store_exec(s, "COMMIT", "committing the schema upgrade");
fail:
    sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
    return rc;
}

/* Refuse files that are not ours or not our version; upgrade older ones
 * when writing. */
static int check_schema(store *s, enum store_mode mode)
{
    int app = 0, ver = 0, rc;
    if ((rc = pragma_int(s, "PRAGMA application_id", &app, "reading the file header")))
        return rc;
    if ((rc = pragma_int(s, "PRAGMA user_version", &ver, "reading the schema version")))
        return rc;
    if (app == 0 && ver == 0) {
        int tables = 0;
        if ((rc = pragma_int(s, "SELECT count(*) FROM sqlite_schema", &tables,
                             "reading the schema")))
            return rc;
        if (tables > 0)
            return err_set(CAIRN_ERR_CORRUPT,
                           "%s is an SQLite database but not a cairn index; refusing to touch it",
                           s->db_path);
        if (mode == STORE_READ)
            return err_set(CAIRN_ERR_NOTFOUND, "%s is empty; run 'cairn index PATH' first",
                           s->db_path);
        return migrate(s, 0);
    }
    if (app != STORE_APP_ID)
        return err_set(CAIRN_ERR_CORRUPT,
                       "%s is not a cairn index (application id 0x%08x); refusing to touch it",
                       s->db_path, (unsigned)app);
    if (ver > STORE_SCHEMA_VERSION)
        return err_set(CAIRN_ERR_VERSION,
                       "%s was written by a newer cairn (index schema %d, this cairn reads "
                       "up to %d); upgrade cairn or index into another directory",
                       s->db_path, ver, STORE_SCHEMA_VERSION);
    if (ver < STORE_SCHEMA_VERSION) {
        if (mode == STORE_READ)
            return err_set(CAIRN_ERR_VERSION,
                           "%s uses index schema %d, this cairn needs %d; run 'cairn index' "
                           "to upgrade it",
                           s->db_path, ver, STORE_SCHEMA_VERSION);
        return migrate(s, ver);
    }
    return CAIRN_OK;
}

static int prepare_dir(const char *dir, enum store_mode mode)
{
    struct stat st;
    if (stat(dir, &st) == 0) {
        if (!S_ISDIR(st.st_mode))
            return err_set(CAIRN_ERR_INVALID, "index location %s is not a directory", dir);
        if (mode != STORE_READ && access(dir, W_OK) != 0)
            return err_set(CAIRN_ERR_PERM, "index directory %s is not writable: %s", dir,
                           strerror(errno));
        return CAIRN_OK;
    }
    if (mode == STORE_READ)
        return err_set(CAIRN_ERR_NOTFOUND, "no index at %s; run 'cairn index PATH' first", dir);
    if (mkdir(dir, 0755) != 0)
        return err_set(errno == EACCES || errno == EROFS ? CAIRN_ERR_PERM : CAIRN_ERR_IO,
                       "cannot create index directory %s: %s", dir, strerror(errno));
    return CAIRN_OK;
}

static int wal_readable(sqlite3 *db)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db, "SELECT count(*) FROM sqlite_schema", -1, &st, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_step(st);
    sqlite3_finalize(st);
    return (rc & 0xff) != SQLITE_READONLY;
}

/* Memory statistics put a global mutex around every allocation SQLite
 * makes, and cairn never reads them; they can only be turned off before
 * SQLite initializes (a later call fails harmlessly). */
static void sqlite_configure(void)
{
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

int store_open(const char *dir, enum store_mode mode, store **out)
{
    static pthread_once_t configured = PTHREAD_ONCE_INIT;
    pthread_once(&configured, sqlite_configure);
    *out = NULL;
    int writer = mode != STORE_READ;
    int rc = prepare_dir(dir, mode);
    if (rc)
        return rc;
    store *s = calloc(1, sizeof *s);
    if (!s)
        return err_set(CAIRN_ERR_NOMEM, "out of memory opening %s", dir);
    s->lock_fd = -1;
    if (writer && (rc = store_lock_acquire(dir, mode == STORE_WRITE_WAIT, &s->lock_fd))) {
        free(s);
        return rc;
    }
    s->dir = strdup(dir);
    if (!s->dir || asprintf(&s->db_path, "%s/%s", dir, STORE_DB_NAME) < 0) {
        s->db_path = NULL;
        store_close(s);
        return err_set(CAIRN_ERR_NOMEM, "out of memory opening %s", dir);
    }
    struct stat st;
    if (mode == STORE_READ && stat(s->db_path, &st) != 0) {
        rc = err_set(CAIRN_ERR_NOTFOUND, "no index at %s (%s is missing); run 'cairn index PATH' first",
                     dir, s->db_path);
        store_close(s);
        return rc;
    }
    /* Readers open read-only, so that an index they may not write (another
     * user's, a read-only mount) still answers. */
    int flags = SQLITE_OPEN_NOMUTEX |
                (writer ? SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE : SQLITE_OPEN_READONLY);
    int src = sqlite3_open_v2(s->db_path, &s->db, flags, NULL);
    if (src == SQLITE_OK && mode == STORE_READ && !wal_readable(s->db)) {
        /* A WAL database needs its -shm file; a reader who may not create
         * it in someone else's directory reads the file as immutable. */
        sqlite3_close(s->db);
        s->db = NULL;
        buf uri;
        buf_init(&uri, 0);
        int urc = buf_puts(&uri, "file:");
        for (const char *p = s->db_path; *p && !urc; p++)
            urc = (*p == '?' || *p == '#' || *p == '%') ? buf_printf(&uri, "%%%02X", (unsigned char)*p)
                                                         : buf_putc(&uri, *p);
        if (!urc)
            urc = buf_puts(&uri, "?immutable=1");
        src = urc ? SQLITE_NOMEM : sqlite3_open_v2(buf_str(&uri), &s->db, flags | SQLITE_OPEN_URI, NULL);
        buf_release(&uri);
    }
    if (src != SQLITE_OK) {
        rc = store_db_error(s, src, "opening the index");
        store_close(s);
        return rc;
    }
    sqlite3_extended_result_codes(s->db, 1);
    sqlite3_busy_timeout(s->db, 10000);
    if ((rc = fts_register(s->db)) ||
        (rc = store_exec(s, "PRAGMA foreign_keys = OFF; PRAGMA synchronous = NORMAL; "
                       "PRAGMA cache_size = -16384; PRAGMA temp_store = MEMORY;",
                       "configuring the connection")) ||
        /* Searches read many pages once: mapped, they are not copied
         * through the page cache (lexical search 28 -> 18 ms on the stdlib). */
        (!writer && (rc = store_exec(s, "PRAGMA mmap_size = 1073741824", "mapping the index"))) ||
        (writer && (rc = store_exec(s, "PRAGMA journal_mode = WAL", "switching to WAL mode"))) ||
        (rc = check_schema(s, mode)) ||
        (writer && (rc = store_exec(s, store_lookup_indexes_create_sql, "creating lookup indexes")))) {
        store_close(s);
        return rc;
    }
    *out = s;
    return CAIRN_OK;
}

void store_close(store *s)
{
    if (!s)
        return;
    if (s->in_tx && s->db)
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
    for (int i = 0; i < ST__COUNT; i++)
        sqlite3_finalize(s->stmts[i]);
    for (int i = 0; i < s->ncache; i++)
        sqlite3_finalize(s->cache[i].st);
    if (s->db)
        sqlite3_close(s->db);
    store_lock_release(s->lock_fd);
    free(s->dir);
    free(s->db_path);
    free(s);
}

const char *store_db_path(const store *s) { return s->db_path; }

sqlite3 *store_sqlite(store *s) { return s->db; }

int store_data_version(store *s, int64_t *out)
{
    int v = 0;
    int rc = pragma_int(s, "PRAGMA data_version", &v, "reading the data version");
    *out = v;
    return rc;
}

int store_lookup_indexes_defer(store *s, int *deferred)
{
    *deferred = 0;
    if (s->in_tx)
        return err_set(CAIRN_ERR_INVALID, "store: lookup indexes deferred inside a transaction");
    int files = 0;
    int rc = pragma_int(s, "SELECT EXISTS (SELECT 1 FROM files)", &files, "counting files");
    if (rc || files)
        return rc;
    if ((rc = store_exec(s, store_lookup_indexes_drop_sql, "dropping lookup indexes")))
        return rc;
    *deferred = 1;
    return CAIRN_OK;
}

int store_lookup_indexes_restore(store *s)
{
    return store_exec(s, store_lookup_indexes_create_sql, "building lookup indexes");
}

int store_begin(store *s)
{
    int rc = store_exec(s, "BEGIN IMMEDIATE", "starting a write transaction");
    if (rc == CAIRN_OK)
        s->in_tx = 1;
    return rc;
}

int store_commit(store *s)
{
    int rc = store_exec(s, "COMMIT", "committing");
    if (rc == CAIRN_OK)
        s->in_tx = 0;
    return rc;
}

int store_rollback(store *s)
{
    s->in_tx = 0;
    return store_exec(s, "ROLLBACK", "rolling back");
}

int store_list_room(void **items, size_t *cap, size_t n, size_t elem, const char *what)
{
    if (n < *cap)
        return CAIRN_OK;
    size_t nc = *cap ? *cap * 2 : 16;
    void *p = realloc(*items, nc * elem);
    if (!p)
        return err_set(CAIRN_ERR_NOMEM, "out of memory reading %s", what);
    *items = p;
    *cap = nc;
    return CAIRN_OK;
}

char *store_dup_col(sqlite3_stmt *st, int col)
{
    const unsigned char *t = sqlite3_column_text(st, col);
    return t ? strdup((const char *)t) : NULL;
}

int store_meta_get(store *s, const char *key, char **out)
{
    sqlite3_stmt *st = NULL;
    int rc = stmt_get(s, ST_META_GET, &st);
    if (rc)
        return rc;
    *out = NULL;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    int step = sqlite3_step(st);
    if (step == SQLITE_ROW) {
        *out = store_dup_col(st, 0);
        rc = *out ? CAIRN_OK : err_set(CAIRN_ERR_NOMEM, "out of memory reading meta %s", key);
    } else if (step == SQLITE_DONE) {
        rc = err_set(CAIRN_ERR_NOTFOUND, "%s has no '%s' entry", s->db_path, key);
    } else {
        rc = store_db_error(s, step, "reading index facts");
    }
    sqlite3_reset(st);
    return rc;
}

int store_meta_set(store *s, const char *key, const char *value)
{
    sqlite3_stmt *st = NULL;
    int rc = stmt_get(s, ST_META_SET, &st);
    if (rc)
        return rc;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, value, -1, SQLITE_STATIC);
    return stmt_run(s, st, "writing index facts");
}

int store_root_ensure(store *s, const char *abs_path, int64_t *id)
{
    sqlite3_stmt *st = NULL;
    int rc = stmt_get(s, ST_ROOT_FIND, &st);
    if (rc)
        return rc;
    sqlite3_bind_text(st, 1, abs_path, -1, SQLITE_STATIC);
    int step = sqlite3_step(st);
    if (step == SQLITE_ROW)
        *id = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    if (step == SQLITE_ROW)
        return CAIRN_OK;
    if (step != SQLITE_DONE)
        return store_db_error(s, step, "looking up a root");
    if ((rc = stmt_get(s, ST_ROOT_ADD, &st)))
        return rc;
    sqlite3_bind_text(st, 1, abs_path, -1, SQLITE_STATIC);
    if ((rc = stmt_run(s, st, "adding a root")))
        return rc;
    *id = sqlite3_last_insert_rowid(s->db);
    return CAIRN_OK;
}

int store_root_set_indexed(store *s, int64_t id, int64_t t)
{
    sqlite3_stmt *st = NULL;
    int rc = stmt_get(s, ST_ROOT_INDEXED, &st);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int64(st, 2, t);
    return stmt_run(s, st, "recording the index time");
}

int store_roots_list(store *s, store_root **out, size_t *n)
{
    sqlite3_stmt *st = NULL;
    *out = NULL;
    *n = 0;
    int rc = stmt_get(s, ST_ROOTS, &st);
    if (rc)
        return rc;
    store_root *roots = NULL;
    size_t count = 0, cap = 0;
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        if (count == cap) {
            cap = cap ? cap * 2 : 8;
            store_root *p = realloc(roots, cap * sizeof *p);
            if (!p) {
                rc = err_set(CAIRN_ERR_NOMEM, "out of memory listing roots");
                break;
            }
            roots = p;
        }
        roots[count].id = sqlite3_column_int64(st, 0);
        roots[count].path = store_dup_col(st, 1);
        roots[count].indexed_at = sqlite3_column_int64(st, 2);
        if (!roots[count].path) {
            rc = err_set(CAIRN_ERR_NOMEM, "out of memory listing roots");
            break;
        }
        count++;
    }
    if (!rc && step != SQLITE_DONE)
        rc = store_db_error(s, step, "listing roots");
    sqlite3_reset(st);
    if (rc) {
        store_roots_free(roots, count);
        return rc;
    }
    *out = roots;
    *n = count;
    return CAIRN_OK;
}

void store_roots_free(store_root *roots, size_t n)
{
    if (!roots)
        return;
    for (size_t i = 0; i < n; i++)
        free(roots[i].path);
    free(roots);
}

int store_files_each(store *s, int64_t root_id, store_file_fn fn, void *ctx)
{
    sqlite3_stmt *st = NULL;
    int rc = stmt_get(s, ST_FILES_OF_ROOT, &st);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, root_id);
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        store_file f = {
            .id = sqlite3_column_int64(st, 0),
            .root_id = root_id,
            .path = (const char *)sqlite3_column_text(st, 1),
            .size = sqlite3_column_int64(st, 2),
            .mtime_ns = sqlite3_column_int64(st, 3),
            .hash = (uint64_t)sqlite3_column_int64(st, 4),
            .lang = (const char *)sqlite3_column_text(st, 5),
            .kind = (const char *)sqlite3_column_text(st, 6),
            .encoding = (const char *)sqlite3_column_text(st, 7),
        };
        if ((rc = fn(ctx, &f)))
            break;
    }
    if (!rc && step != SQLITE_DONE)
        rc = store_db_error(s, step, "listing files");
    sqlite3_reset(st);
    return rc;
}

static void bind_file(sqlite3_stmt *st, const store_file *f)
{
    sqlite3_bind_int64(st, 1, f->root_id);
    sqlite3_bind_text(st, 2, f->path, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, f->size);
    sqlite3_bind_int64(st, 4, f->mtime_ns);
    sqlite3_bind_int64(st, 5, (sqlite3_int64)f->hash);
    sqlite3_bind_text(st, 6, f->lang, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 7, f->kind, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 8, f->encoding ? f->encoding : "utf-8", -1, SQLITE_STATIC);
}

static int delete_chunks(store *s, int64_t file_id)
{
    for (size_t i = 0; i < sizeof file_parts_delete / sizeof *file_parts_delete; i++) {
        sqlite3_stmt *st = NULL;
        int rc = store_stmt(s, file_parts_delete[i], &st);
        if (rc)
            return rc;
        sqlite3_bind_int64(st, 1, file_id);
        if ((rc = store_stmt_done(s, st, "deleting a file's old contents")))
            return rc;
    }
    return CAIRN_OK;
}

int store_file_put(store *s, const store_file *f, int64_t *id)
{
    sqlite3_stmt *st = NULL;
    int rc = stmt_get(s, ST_FILE_FIND, &st);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, f->root_id);
    sqlite3_bind_text(st, 2, f->path, -1, SQLITE_STATIC);
    int step = sqlite3_step(st);
    int64_t old = step == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_reset(st);
    if (step != SQLITE_ROW && step != SQLITE_DONE)
        return store_db_error(s, step, "looking up a file");
    if (old) {
        if ((rc = delete_chunks(s, old)) || (rc = stmt_get(s, ST_FILE_UPDATE, &st)))
            return rc;
        bind_file(st, f);
        if ((rc = stmt_run(s, st, "updating a file")))
            return rc;
        *id = old;
        return CAIRN_OK;
    }
    if ((rc = stmt_get(s, ST_FILE_INSERT, &st)))
        return rc;
    bind_file(st, f);
    if ((rc = stmt_run(s, st, "adding a file")))
        return rc;
    *id = sqlite3_last_insert_rowid(s->db);
    return CAIRN_OK;
}

int store_file_touch(store *s, int64_t id, int64_t size, int64_t mtime_ns)
{
    sqlite3_stmt *st = NULL;
    int rc = stmt_get(s, ST_FILE_TOUCH, &st);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int64(st, 2, size);
    sqlite3_bind_int64(st, 3, mtime_ns);
    return stmt_run(s, st, "updating a file's time");
}

int store_file_delete(store *s, int64_t id)
{
    sqlite3_stmt *st = NULL;
    int rc = delete_chunks(s, id);
    if (rc || (rc = stmt_get(s, ST_FILE_DELETE, &st)))
        return rc;
    sqlite3_bind_int64(st, 1, id);
    return stmt_run(s, st, "deleting a file");
}

int store_chunk_add(store *s, int64_t file_id, const store_chunk *c)
{
    sqlite3_stmt *st = NULL;
    int rc = stmt_get(s, ST_CHUNK_ADD, &st);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, file_id);
    sqlite3_bind_int(st, 2, c->seq);
    sqlite3_bind_int(st, 3, c->start_line);
    sqlite3_bind_int(st, 4, c->end_line);
    sqlite3_bind_int64(st, 5, c->start_byte);
    sqlite3_bind_int64(st, 6, c->end_byte);
    if (c->symbol)
        sqlite3_bind_text(st, 7, c->symbol, -1, SQLITE_STATIC);
    if (c->context)
        sqlite3_bind_text(st, 8, c->context, -1, SQLITE_STATIC);
    if (c->text_len > INT_MAX)
        return err_set(CAIRN_ERR_TOOBIG, "chunk of %zu bytes is too large", c->text_len);
    sqlite3_bind_text(st, 9, c->text, (int)c->text_len, SQLITE_STATIC);
    return stmt_run(s, st, "adding a chunk");
}
