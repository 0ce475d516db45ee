/*
 * symbols.c — SQL for definitions (symbols) and references (refs).
 */
#include "store/symbols.h"
#include "store/store_int.h"
#include "util/err.h"

#include <stdlib.h>
#include <string.h>

#define MAX_ROWS 100000

static const char sym_insert_sql[] =
    "INSERT INTO symbols(file_id, parent_id, name, qualname, kind, signature, doc,"
    " start_line, end_line, start_byte, end_byte)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)";

static const char ref_insert_sql[] =
    "INSERT INTO refs(file_id, symbol_id, name, qualifier, kind, line, start_byte, end_byte)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";

#define SYM_COLS                                                                         \
    "SELECT s.id, s.file_id, coalesce(s.parent_id, 0), r.path, f.path, f.lang, s.name," \
    " s.qualname, s.kind, s.signature, s.doc, s.start_line, s.end_line, s.start_byte,"  \
    " s.end_byte FROM symbols s JOIN files f ON f.id = s.file_id"                       \
    " JOIN roots r ON r.id = f.root_id "

/* Exact: the NOCASE test lets the indexes answer, the second keeps case. */
static const char sym_exact_sql[] =
    SYM_COLS "WHERE (s.name = ?1 COLLATE NOCASE OR s.qualname = ?1 COLLATE NOCASE)"
             " AND (s.name = ?1 OR s.qualname = ?1) AND (?2 IS NULL OR s.kind = ?2)"
             " ORDER BY s.qualname = ?1 DESC, f.path, s.start_line LIMIT ?3";

static const char sym_nocase_sql[] =
    SYM_COLS "WHERE (s.name = ?1 COLLATE NOCASE OR s.qualname = ?1 COLLATE NOCASE)"
             " AND (?2 IS NULL OR s.kind = ?2)"
             " ORDER BY s.qualname = ?1 COLLATE NOCASE DESC, f.path, s.start_line LIMIT ?3";

/* Prefix as a NOCASE range [?1, ?4), which the indexes can scan. */
static const char sym_prefix_sql[] =
    SYM_COLS "WHERE ((s.name >= ?1 COLLATE NOCASE AND s.name < ?4 COLLATE NOCASE)"
             " OR (s.qualname >= ?1 COLLATE NOCASE AND s.qualname < ?4 COLLATE NOCASE))"
             " AND (?2 IS NULL OR s.kind = ?2)"
             " ORDER BY length(s.name), f.path, s.start_line LIMIT ?3";

static const char sym_of_file_sql[] = SYM_COLS "WHERE s.file_id = ?1 ORDER BY s.start_byte, s.id";

static const char sym_in_lines_sql[] =
    SYM_COLS "WHERE s.file_id = ?1 AND s.start_line BETWEEN ?2 AND ?3 ORDER BY s.start_byte, s.id";

static const char sym_by_id_sql[] = SYM_COLS "WHERE s.id = ?1";

static const char names_sql[] = "SELECT DISTINCT name FROM symbols";

#define REF_COLS                                                                          \
    "SELECT r.path, f.path, f.lang, x.name, x.qualifier, x.kind, x.line, x.file_id,"     \
    " coalesce(x.symbol_id, 0), s.qualname, s.kind FROM refs x"                         \
    " JOIN files f ON f.id = x.file_id JOIN roots r ON r.id = f.root_id"                \
    " LEFT JOIN symbols s ON s.id = x.symbol_id "

static const char refs_to_sql[] =
    REF_COLS "WHERE x.name = ?1 AND (?2 IS NULL OR x.kind = ?2) ORDER BY f.path, x.line LIMIT ?3";

static const char refs_in_lines_sql[] =
    REF_COLS "WHERE x.file_id = ?1 AND x.line BETWEEN ?2 AND ?3 ORDER BY x.start_byte LIMIT ?4";

static const char refs_from_sql[] =
    REF_COLS "WHERE x.symbol_id = ?1 ORDER BY x.start_byte LIMIT ?2";

static const char nodes_sql[] =
    "SELECT s.id, s.file_id, coalesce(s.parent_id, 0), s.name, s.kind, f.path"
    "  FROM symbols s JOIN files f ON f.id = s.file_id ORDER BY s.file_id, s.start_byte";

static const char edges_sql[] =
    "SELECT coalesce(symbol_id, 0), file_id, name, count(*) FROM refs"
    " WHERE kind IN ('call', 'type', 'inherit')"
    " GROUP BY coalesce(symbol_id, 0), file_id, name";

static const char file_id_sql[] =
    "SELECT f.id FROM files f JOIN roots r ON r.id = f.root_id WHERE r.path = ?1 AND f.path = ?2";

static const char line_sql[] =
    "SELECT start_line, text FROM chunks WHERE file_id = ?1 AND start_line <= ?2"
    " AND end_line >= ?2 ORDER BY seq LIMIT 1";

static void bind_text_or_null(sqlite3_stmt *st, int i, const char *v)
{
    if (v)
        sqlite3_bind_text(st, i, v, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, i);
}

int store_symbols_put(store *s, int64_t file_id, const store_sym_in *syms, size_t nsyms,
                      const store_ref_in *refs, size_t nrefs)
{
    int64_t *ids = nsyms ? calloc(nsyms, sizeof *ids) : NULL;
    if (nsyms && !ids)
        return err_set(CAIRN_ERR_NOMEM, "out of memory storing %zu definitions", nsyms);
    sqlite3_stmt *st = NULL;
    int rc = store_stmt(s, sym_insert_sql, &st);
    for (size_t i = 0; i < nsyms && !rc; i++) {
        const store_sym_in *y = &syms[i];
        sqlite3_bind_int64(st, 1, file_id);
        if (y->parent >= 0 && (size_t)y->parent < i)
            sqlite3_bind_int64(st, 2, ids[y->parent]);
        else
            sqlite3_bind_null(st, 2);
        sqlite3_bind_text(st, 3, y->name, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 4, y->qualname ? y->qualname : y->name, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 5, y->kind, -1, SQLITE_STATIC);
        bind_text_or_null(st, 6, y->signature);
        bind_text_or_null(st, 7, y->doc);
        sqlite3_bind_int(st, 8, y->start_line);
        sqlite3_bind_int(st, 9, y->end_line);
        sqlite3_bind_int64(st, 10, y->start_byte);
        sqlite3_bind_int64(st, 11, y->end_byte);
        rc = store_stmt_done(s, st, "adding a definition");
        if (!rc)
            ids[i] = sqlite3_last_insert_rowid(store_sqlite(s));
    }
    if (!rc)
        rc = store_stmt(s, ref_insert_sql, &st);
    for (size_t i = 0; i < nrefs && !rc; i++) {
        const store_ref_in *x = &refs[i];
        sqlite3_bind_int64(st, 1, file_id);
        if (x->enclosing >= 0 && (size_t)x->enclosing < nsyms)
            sqlite3_bind_int64(st, 2, ids[x->enclosing]);
        else
            sqlite3_bind_null(st, 2);
        sqlite3_bind_text(st, 3, x->name, -1, SQLITE_STATIC);
        bind_text_or_null(st, 4, x->qualifier);
        sqlite3_bind_text(st, 5, x->kind, -1, SQLITE_STATIC);
        sqlite3_bind_int(st, 6, x->line);
        sqlite3_bind_int64(st, 7, x->start_byte);
        sqlite3_bind_int64(st, 8, x->end_byte);
        rc = store_stmt_done(s, st, "adding a reference");
    }
    free(ids);
    return rc;
}

void store_sym_list_init(store_sym_list *l) { memset(l, 0, sizeof *l); }

void store_sym_release(store_sym *y)
{
    if (!y)
        return;
    free(y->root);
    free(y->path);
    free(y->lang);
    free(y->name);
    free(y->qualname);
    free(y->kind);
    free(y->signature);
    free(y->doc);
    memset(y, 0, sizeof *y);
}

void store_sym_list_release(store_sym_list *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->n; i++)
        store_sym_release(&l->items[i]);
    free(l->items);
    memset(l, 0, sizeof *l);
}

static int sym_rows(store *s, sqlite3_stmt *st, store_sym_list *out)
{
    int rc, err = CAIRN_OK;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (out->n >= MAX_ROWS)
            break;
        if ((err = store_list_room((void **)&out->items, &out->cap, out->n, sizeof *out->items,
                                   "definitions")))
            break;
        store_sym *y = &out->items[out->n++];
        memset(y, 0, sizeof *y);
        y->id = sqlite3_column_int64(st, 0);
        y->file_id = sqlite3_column_int64(st, 1);
        y->parent_id = sqlite3_column_int64(st, 2);
        y->root = store_dup_col(st, 3);
        y->path = store_dup_col(st, 4);
        y->lang = store_dup_col(st, 5);
        y->name = store_dup_col(st, 6);
        y->qualname = store_dup_col(st, 7);
        y->kind = store_dup_col(st, 8);
        y->signature = store_dup_col(st, 9);
        y->doc = store_dup_col(st, 10);
        y->start_line = sqlite3_column_int(st, 11);
        y->end_line = sqlite3_column_int(st, 12);
        y->start_byte = sqlite3_column_int64(st, 13);
        y->end_byte = sqlite3_column_int64(st, 14);
        if (!y->root || !y->path || !y->lang || !y->name || !y->qualname || !y->kind) {
            err = err_set(CAIRN_ERR_NOMEM, "out of memory reading definitions");
            break;
        }
    }
    if (!err && rc != SQLITE_DONE && rc != SQLITE_ROW)
        err = store_db_error(s, rc, "reading definitions");
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return err;
}

/* The smallest string above every string starting with prefix, in ASCII
 * NOCASE order: the prefix lower-cased with its last byte incremented. */
static char *prefix_end(const char *prefix)
{
    size_t n = strlen(prefix);
    char *end = malloc(n + 2);
    if (!end)
        return NULL;
    for (size_t i = 0; i < n; i++)
        end[i] = (prefix[i] >= 'A' && prefix[i] <= 'Z') ? (char)(prefix[i] + 32) : prefix[i];
    end[n] = '\0';
    while (n > 0 && (unsigned char)end[n - 1] == 0xff)
        end[--n] = '\0';
    if (n == 0) {
        end[0] = (char)0xff;
        end[1] = '\0';
    } else {
        end[n - 1]++;
    }
    return end;
}

int store_symbols_find(store *s, const char *text, enum store_sym_match how, const char *kind,
                       int limit, store_sym_list *out)
{
    const char *sql = how == STORE_SYM_EXACT    ? sym_exact_sql
                      : how == STORE_SYM_NOCASE ? sym_nocase_sql
                                                : sym_prefix_sql;
    sqlite3_stmt *st = NULL;
    int rc = store_stmt(s, sql, &st);
    if (rc)
        return rc;
    char *end = NULL;
    if (how == STORE_SYM_PREFIX && !(end = prefix_end(text)))
        return err_set(CAIRN_ERR_NOMEM, "out of memory");
    sqlite3_bind_text(st, 1, text, -1, SQLITE_STATIC);
    bind_text_or_null(st, 2, kind);
    sqlite3_bind_int(st, 3, limit > 0 ? limit : MAX_ROWS);
    if (end)
        sqlite3_bind_text(st, 4, end, -1, SQLITE_STATIC);
    rc = sym_rows(s, st, out);
    free(end);
    return rc;
}

int store_symbol_names_each(store *s, store_name_fn fn, void *ctx)
{
    sqlite3_stmt *st = NULL;
    int rc = store_stmt(s, names_sql, &st);
    if (rc)
        return rc;
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        if ((rc = fn(ctx, (const char *)sqlite3_column_text(st, 0))))
            break;
    }
    if (!rc && step != SQLITE_DONE)
        rc = store_db_error(s, step, "listing definition names");
    sqlite3_reset(st);
    return rc;
}

int store_symbols_of_file(store *s, int64_t file_id, store_sym_list *out)
{
    sqlite3_stmt *st = NULL;
    int rc = store_stmt(s, sym_of_file_sql, &st);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, file_id);
    return sym_rows(s, st, out);
}

int store_symbols_in_lines(store *s, int64_t file_id, int start_line, int end_line,
                           store_sym_list *out)
{
    sqlite3_stmt *st = NULL;
    int rc = store_stmt(s, sym_in_lines_sql, &st);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, file_id);
    sqlite3_bind_int(st, 2, start_line);
    sqlite3_bind_int(st, 3, end_line);
    return sym_rows(s, st, out);
}

int store_symbol_get(store *s, int64_t id, store_sym_list *out)
{
    sqlite3_stmt *st = NULL;
    int rc = store_stmt(s, sym_by_id_sql, &st);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, id);
    size_t before = out->n;
    if ((rc = sym_rows(s, st, out)))
        return rc;
    return out->n > before ? CAIRN_OK
                           : err_set(CAIRN_ERR_NOTFOUND, "no definition with id %lld", (long long)id);
}

void store_ref_list_init(store_ref_list *l) { memset(l, 0, sizeof *l); }

void store_ref_release(store_ref *x)
{
    if (!x)
        return;
    free(x->root);
    free(x->path);
    free(x->lang);
    free(x->name);
    free(x->qualifier);
    free(x->kind);
    free(x->caller);
    free(x->caller_kind);
    memset(x, 0, sizeof *x);
}

void store_ref_list_release(store_ref_list *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->n; i++)
        store_ref_release(&l->items[i]);
    free(l->items);
    memset(l, 0, sizeof *l);
}

static int ref_rows(store *s, sqlite3_stmt *st, store_ref_list *out)
{
    int rc, err = CAIRN_OK;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (out->n >= MAX_ROWS)
            break;
        if ((err = store_list_room((void **)&out->items, &out->cap, out->n, sizeof *out->items,
                                   "references")))
            break;
        store_ref *x = &out->items[out->n++];
        memset(x, 0, sizeof *x);
        x->root = store_dup_col(st, 0);
        x->path = store_dup_col(st, 1);
        x->lang = store_dup_col(st, 2);
        x->name = store_dup_col(st, 3);
        x->qualifier = store_dup_col(st, 4);
        x->kind = store_dup_col(st, 5);
        x->line = sqlite3_column_int(st, 6);
        x->file_id = sqlite3_column_int64(st, 7);
        x->caller_id = sqlite3_column_int64(st, 8);
        x->caller = store_dup_col(st, 9);
        x->caller_kind = store_dup_col(st, 10);
        if (!x->root || !x->path || !x->lang || !x->name || !x->kind) {
            err = err_set(CAIRN_ERR_NOMEM, "out of memory reading references");
            break;
        }
    }
    if (!err && rc != SQLITE_DONE && rc != SQLITE_ROW)
        err = store_db_error(s, rc, "reading references");
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return err;
}

int store_refs_to(store *s, const char *name, const char *kind, int limit, store_ref_list *out)
{
    sqlite3_stmt *st = NULL;
    int rc = store_stmt(s, refs_to_sql, &st);
    if (rc)
        return rc;
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    bind_text_or_null(st, 2, kind);
    sqlite3_bind_int(st, 3, limit > 0 ? limit : MAX_ROWS);
    return ref_rows(s, st, out);
}

int store_refs_from(store *s, int64_t symbol_id, int limit, store_ref_list *out)
{
    sqlite3_stmt *st = NULL;
    int rc = store_stmt(s, refs_from_sql, &st);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, symbol_id);
    sqlite3_bind_int(st, 2, limit > 0 ? limit : MAX_ROWS);
    return ref_rows(s, st, out);
}

int store_nodes_each(store *s, store_node_fn fn, void *ctx)
{
    sqlite3_stmt *st = NULL;
    int rc = store_stmt(s, nodes_sql, &st);
    if (rc)
        return rc;
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        store_node n = {
            .id = sqlite3_column_int64(st, 0),
            .file_id = sqlite3_column_int64(st, 1),
            .parent_id = sqlite3_column_int64(st, 2),
            .name = (const char *)sqlite3_column_text(st, 3),
            .kind = (const char *)sqlite3_column_text(st, 4),
            .path = (const char *)sqlite3_column_text(st, 5),
        };
        if ((rc = fn(ctx, &n)))
            break;
    }
    if (!rc && step != SQLITE_DONE)
        rc = store_db_error(s, step, "reading definitions");
    sqlite3_reset(st);
    return rc;
}

int store_edges_each(store *s, store_edge_fn fn, void *ctx)
{
    sqlite3_stmt *st = NULL;
    int rc = store_stmt(s, edges_sql, &st);
    if (rc)
        return rc;
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        if ((rc = fn(ctx, sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 1),
                     (const char *)sqlite3_column_text(st, 2), sqlite3_column_int(st, 3))))
            break;
    }
    if (!rc && step != SQLITE_DONE)
        rc = store_db_error(s, step, "reading references");
    sqlite3_reset(st);
    return rc;
}

int store_refs_in_lines(store *s, int64_t file_id, int start_line, int end_line, int limit,
                        store_ref_list *out)
{
    sqlite3_stmt *st = NULL;
    int rc = store_stmt(s, refs_in_lines_sql, &st);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, file_id);
    sqlite3_bind_int(st, 2, start_line);
    sqlite3_bind_int(st, 3, end_line);
    sqlite3_bind_int(st, 4, limit > 0 ? limit : MAX_ROWS);
    return ref_rows(s, st, out);
}

int store_file_id(store *s, const char *root, const char *rel, int64_t *file_id)
{
    *file_id = 0;
    sqlite3_stmt *st = NULL;
    int rc = store_stmt(s, file_id_sql, &st);
    if (rc)
        return rc;
    sqlite3_bind_text(st, 1, root, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, rel, -1, SQLITE_STATIC);
    int step = sqlite3_step(st);
    if (step == SQLITE_ROW)
        *file_id = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    if (step == SQLITE_ROW)
        return CAIRN_OK;
    if (step == SQLITE_DONE)
        return err_set(CAIRN_ERR_NOTFOUND, "%s/%s is not in the index", root, rel);
    return store_db_error(s, step, "looking up a file");
}

int store_line_text(store *s, int64_t file_id, int line, char **out)
{
    *out = NULL;
    sqlite3_stmt *st = NULL;
    int rc = store_stmt(s, line_sql, &st);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, file_id);
    sqlite3_bind_int(st, 2, line);
    int step = sqlite3_step(st);
    if (step == SQLITE_ROW) {
        int cur = sqlite3_column_int(st, 0);
        const char *p = (const char *)sqlite3_column_text(st, 1);
        const char *end = p + sqlite3_column_bytes(st, 1);
        /* Line breaks: \n, \r\n and a lone \r (indexer/chunk.h). */
        while (p && p < end && cur < line) {
            if (*p == '\r' && p + 1 < end && p[1] == '\n')
                p++;
            if (*p == '\n' || *p == '\r')
                cur++;
            p++;
        }
        if (p && cur == line) {
            const char *e = p;
            while (e < end && *e != '\n' && *e != '\r')
                e++;
            *out = strndup(p, (size_t)(e - p));
            rc = *out ? CAIRN_OK : err_set(CAIRN_ERR_NOMEM, "out of memory");
        } else {
            rc = err_set(CAIRN_ERR_NOTFOUND, "line %d is not in the index", line);
        }
    } else if (step == SQLITE_DONE) {
        rc = err_set(CAIRN_ERR_NOTFOUND, "line %d is not in the index", line);
    } else {
        rc = store_db_error(s, step, "reading a line");
    }
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return rc;
}
