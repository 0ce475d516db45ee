/*
 * store_int.h — what the store's own .c files share and nothing else may
 * include (SQLite's btree.h / btreeInt.h split).  Code outside store/ sees
 * only store.h.
 */
#ifndef CAIRN_STORE_INT_H
#define CAIRN_STORE_INT_H

#include "store/store.h"

#include <sqlite3.h>

/* The schema (schema.c): store_migrations[v] takes a database from
 * version v to v + 1 (0 is an empty file); the by-name lookup indexes
 * that filling an empty index builds at the end. */
extern const char *const store_migrations[STORE_SCHEMA_VERSION];
extern const char store_lookup_indexes_create_sql[];
extern const char store_lookup_indexes_drop_sql[];

/* The connection behind a handle; owned by the store. */
sqlite3 *store_sqlite(store *s);

/* Turn SQLite result code rc into a cairn error naming the index and
 * `what` was being done: damaged or foreign files become CAIRN_ERR_CORRUPT,
 * permission problems CAIRN_ERR_PERM, locks CAIRN_ERR_BUSY. */
int store_db_error(store *s, int rc, const char *what);

/* Run SQL that returns no rows. */
int store_exec(store *s, const char *sql, const char *what);

/* A prepared statement for sql, prepared on first use and kept for the
 * handle's life.  sql must be a string with static storage: the cache is
 * keyed by its address.  The statement is owned by the store; reset it
 * after use (store_stmt_done does). */
int store_stmt(store *s, const char *sql, sqlite3_stmt **out);

/* Step st expecting no rows, then reset it and clear its bindings. */
int store_stmt_done(store *s, sqlite3_stmt *st, const char *what);

/* Take the writer lock of index directory dir, waiting for it when wait
 * is set; *fd_out is the descriptor holding it.  CAIRN_ERR_BUSY (naming the
 * holder's PID) when another process holds it and wait is not set. */
int store_lock_acquire(const char *dir, int wait, int *fd_out);
void store_lock_release(int fd);

/* strdup of a text column; NULL for SQL NULL (or out of memory). */
char *store_dup_col(sqlite3_stmt *st, int col);

/* Room for item n of a growing array of elem-byte items (*items holds
 * *cap): doubles it, from 16, when n reaches *cap.  CAIRN_ERR_NOMEM, out of
 * memory `reading WHAT`, leaves the array as it was. */
int store_list_room(void **items, size_t *cap, size_t n, size_t elem, const char *what);

#endif
