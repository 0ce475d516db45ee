/*
 * docs.c — every statement about prose documents, their tags and links,
 * and the passage ranking that related-document and quote queries use.
 */
#include "store/docs.h"
#include "store/store_int.h"
#include "util/err.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* The same column weights as store/search.c: (path, symbol, context, text). */
#define RANK_BM25 "bm25(chunks_fts, 2.0, 4.0, 2.0, 1.0)"
#define MAX_RANK 10000

static const char doc_put_sql[] =
    "INSERT OR REPLACE INTO docs(file_id, title, date, date_source, url, words)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
static const char tags_clear_sql[] = "DELETE FROM doc_tags WHERE file_id = ?1";
static const char tag_add_sql[] = "INSERT OR IGNORE INTO doc_tags(file_id, tag) VALUES (?1, ?2)";
static const char link_add_sql[] =
    "INSERT INTO links(file_id, line, kind, target, target_path, text)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
static const char doc_get_sql[] =
    "SELECT f.root_id, r.path, f.path, f.lang, f.mtime_ns, d.title, d.date, d.date_source,"
    "       d.url, coalesce(d.words, 0)"
    "  FROM files f JOIN roots r ON r.id = f.root_id LEFT JOIN docs d ON d.file_id = f.id"
    " WHERE f.id = ?1";
static const char doc_tags_sql[] = "SELECT tag FROM doc_tags WHERE file_id = ?1 ORDER BY tag";
static const char file_id_sql[] = "SELECT id FROM files WHERE root_id = ?1 AND path = ?2";
static const char by_title_sql[] =
    "SELECT f.path FROM docs d JOIN files f ON f.id = d.file_id"
    " WHERE f.root_id = ?1 AND d.title = ?2 COLLATE NOCASE ORDER BY length(f.path), f.path";
static const char by_url_sql[] =
    "SELECT f.path FROM docs d JOIN files f ON f.id = d.file_id"
    " WHERE f.root_id = ?1 AND d.url = ?2 ORDER BY length(f.path), f.path";
/* LIKE narrows the scan; the exact file-name test is done in C. */
static const char by_stem_sql[] =
    "SELECT path FROM files WHERE root_id = ?1 AND kind = 'prose' AND path LIKE ?2 ESCAPE '\\'"
    " ORDER BY length(path), path";
static const char rank_sql[] =
    "SELECT c.id, c.file_id, c.start_line, c.end_line, " RANK_BM25 " AS score"
    "  FROM chunks_fts JOIN chunks c ON c.id = chunks_fts.rowid"
    "  JOIN files f ON f.id = c.file_id"
    " WHERE chunks_fts MATCH ?1 AND f.kind = 'prose' AND c.file_id != ?2"
    " ORDER BY score, c.id LIMIT ?3";
static const char chunk_get_sql[] =
    "SELECT text, context, start_line, end_line FROM chunks WHERE id = ?1";
static const char snippet_sql[] =
    "SELECT snippet(chunks_fts, 3, char(2), char(3), '…', ?3)"
    "  FROM chunks_fts WHERE chunks_fts MATCH ?1 AND rowid = ?2";
static const char vocab_create_sql[] =
    "CREATE VIRTUAL TABLE IF NOT EXISTS temp.cairn_vocab USING fts5vocab(main, chunks_fts, row)";
static const char df_sql[] = "SELECT doc FROM temp.cairn_vocab WHERE term = ?1";
static const char inst_create_sql[] =
    "CREATE VIRTUAL TABLE IF NOT EXISTS temp.cairn_instances"
    " USING fts5vocab(main, chunks_fts, instance)";
static const char df_in_file_sql[] =
    "SELECT count(DISTINCT doc) FROM temp.cairn_instances"
    " WHERE term = ?1 AND doc IN (SELECT id FROM chunks WHERE file_id = ?2)";
static const char chunk_count_sql[] = "SELECT count(*) FROM chunks";
static const char links_from_sql[] =
    "SELECT l.file_id, f.root_id, f.path, l.line, l.kind, l.target, l.target_path, l.text"
    "  FROM links l JOIN files f ON f.id = l.file_id"
    " WHERE l.file_id = ?1 ORDER BY l.line, l.id";
static const char links_to_sql[] =
    "SELECT l.file_id, f.root_id, f.path, l.line, l.kind, l.target, l.target_path, l.text"
    "  FROM links l JOIN files f ON f.id = l.file_id"
    " WHERE f.root_id = ?1 AND (l.target_path = ?2"
    "    OR (?3 IS NOT NULL AND instr(lower(l.target), lower(?3)) > 0)"
    "    OR (?4 IS NOT NULL AND (l.target = ?4 COLLATE NOCASE OR l.target_path = ?4 COLLATE NOCASE))"
    "    OR (?5 IS NOT NULL AND l.target = ?5))"
    " ORDER BY f.path, l.line, l.id";

static void bind_text(sqlite3_stmt *st, int i, const char *v)
{
    if (v)
        sqlite3_bind_text(st, i, v, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, i);
}

/* Reset a row-returning statement for its next use. */
static void done(sqlite3_stmt *st)
{
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
}

/* ---- writing -------------------------------------------------------------- */

int store_doc_put(store *s, int64_t file_id, const store_doc *d)
{
    if (!d->title)
        return err_set(CAIRN_ERR_INVALID, "document %lld has no title", (long long)file_id);
    sqlite3_stmt *st;
    int rc = store_stmt(s, doc_put_sql, &st);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, file_id);
    bind_text(st, 2, d->title);
    bind_text(st, 3, d->date);
    bind_text(st, 4, d->date ? d->date_source : NULL);
    bind_text(st, 5, d->url);
    sqlite3_bind_int64(st, 6, d->words);
    if ((rc = store_stmt_done(s, st, "writing a document's metadata")) ||
        (rc = store_stmt(s, tags_clear_sql, &st)))
        return rc;
    sqlite3_bind_int64(st, 1, file_id);
    if ((rc = store_stmt_done(s, st, "clearing a document's tags")))
        return rc;
    for (size_t i = 0; i < d->ntags; i++) {
        if ((rc = store_stmt(s, tag_add_sql, &st)))
            return rc;
        sqlite3_bind_int64(st, 1, file_id);
        bind_text(st, 2, d->tags[i]);
        if ((rc = store_stmt_done(s, st, "writing a document's tags")))
            return rc;
    }
    return CAIRN_OK;
}

int store_link_add(store *s, int64_t file_id, const store_link *l)
{
    sqlite3_stmt *st;
    int rc = store_stmt(s, link_add_sql, &st);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, file_id);
    sqlite3_bind_int(st, 2, l->line);
    bind_text(st, 3, l->kind);
    bind_text(st, 4, l->target);
    bind_text(st, 5, l->target_path);
    bind_text(st, 6, l->text);
    return store_stmt_done(s, st, "writing a link");
}

/* ---- documents ------------------------------------------------------------ */

void store_doc_row_release(store_doc_row *r)
{
    if (!r)
        return;
    free(r->root);
    free(r->path);
    free(r->lang);
    free(r->title);
    free(r->date);
    free(r->date_source);
    free(r->url);
    for (size_t i = 0; i < r->ntags; i++)
        free(r->tags[i]);
    free(r->tags);
    memset(r, 0, sizeof *r);
}

static int read_tags(store *s, store_doc_row *r)
{
    sqlite3_stmt *st;
    int rc = store_stmt(s, doc_tags_sql, &st);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, r->file_id);
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        char **p = realloc(r->tags, (r->ntags + 1) * sizeof *p);
        char *tag = store_dup_col(st, 0);
        if (!p || !tag) {
            free(tag);
            if (p)
                r->tags = p;
            rc = err_set(CAIRN_ERR_NOMEM, "out of memory reading tags");
            break;
        }
        r->tags = p;
        r->tags[r->ntags++] = tag;
    }
    if (!rc && step != SQLITE_DONE)
        rc = store_db_error(s, step, "reading tags");
    done(st);
    return rc;
}

int store_doc_get(store *s, int64_t file_id, store_doc_row *out)
{
    memset(out, 0, sizeof *out);
    sqlite3_stmt *st;
    int rc = store_stmt(s, doc_get_sql, &st);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, file_id);
    int step = sqlite3_step(st);
    if (step == SQLITE_ROW) {
        out->file_id = file_id;
        out->root_id = sqlite3_column_int64(st, 0);
        out->root = store_dup_col(st, 1);
        out->path = store_dup_col(st, 2);
        out->lang = store_dup_col(st, 3);
        out->mtime_ns = sqlite3_column_int64(st, 4);
        out->title = store_dup_col(st, 5);
        out->date = store_dup_col(st, 6);
        out->date_source = store_dup_col(st, 7);
        out->url = store_dup_col(st, 8);
        out->words = sqlite3_column_int64(st, 9);
        if (!out->root || !out->path || !out->lang ||
            (sqlite3_column_type(st, 5) != SQLITE_NULL && !out->title))
            rc = err_set(CAIRN_ERR_NOMEM, "out of memory reading a document");
    } else if (step == SQLITE_DONE) {
        rc = err_set(CAIRN_ERR_NOTFOUND, "no file %lld in the index", (long long)file_id);
    } else {
        rc = store_db_error(s, step, "reading a document");
    }
    done(st);
    if (!rc)
        rc = read_tags(s, out);
    if (rc)
        store_doc_row_release(out);
    return rc;
}

int store_doc_file_id(store *s, int64_t root_id, const char *rel, int64_t *file_id)
{
    sqlite3_stmt *st;
    int rc = store_stmt(s, file_id_sql, &st);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, root_id);
    bind_text(st, 2, rel);
    int step = sqlite3_step(st);
    if (step == SQLITE_ROW)
        *file_id = sqlite3_column_int64(st, 0);
    else if (step == SQLITE_DONE)
        rc = err_set(CAIRN_ERR_NOTFOUND, "%s is not in the index", rel);
    else
        rc = store_db_error(s, step, "looking up a file");
    done(st);
    return rc;
}

void store_doc_paths_free(char **paths, size_t n)
{
    if (!paths)
        return;
    for (size_t i = 0; i < n; i++)
        free(paths[i]);
    free(paths);
}

/* path's file name without its extension equals stem, ignoring case. */
static int stem_is(const char *path, const char *stem)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    const char *dot = strrchr(base, '.');
    size_t n = dot && dot > base ? (size_t)(dot - base) : strlen(base);
    return strlen(stem) == n && strncasecmp(base, stem, n) == 0;
}

/* "%" + stem with LIKE's wildcards escaped + ".%": file names that start
 * with the stem and have an extension. */
static char *stem_pattern(const char *stem)
{
    size_t n = strlen(stem);
    char *p = malloc(2 * n + 4);
    if (!p)
        return NULL;
    size_t w = 0;
    p[w++] = '%';
    for (size_t i = 0; i < n; i++) {
        if (stem[i] == '%' || stem[i] == '_' || stem[i] == '\\')
            p[w++] = '\\';
        p[w++] = stem[i];
    }
    p[w++] = '.';
    p[w++] = '%';
    p[w] = '\0';
    return p;
}

int store_doc_lookup(store *s, int64_t root_id, enum store_doc_by by, const char *key,
                     char ***paths, size_t *n)
{
    *paths = NULL;
    *n = 0;
    const char *sql = by == STORE_DOC_BY_TITLE ? by_title_sql : by == STORE_DOC_BY_URL ? by_url_sql
                                                                                      : by_stem_sql;
    char *pattern = by == STORE_DOC_BY_STEM ? stem_pattern(key) : NULL;
    if (by == STORE_DOC_BY_STEM && !pattern)
        return err_set(CAIRN_ERR_NOMEM, "out of memory looking up %s", key);
    sqlite3_stmt *st;
    int rc = store_stmt(s, sql, &st);
    if (rc) {
        free(pattern);
        return rc;
    }
    sqlite3_bind_int64(st, 1, root_id);
    bind_text(st, 2, pattern ? pattern : key);
    char **v = NULL;
    size_t count = 0;
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        const char *p = (const char *)sqlite3_column_text(st, 0);
        if (!p || (by == STORE_DOC_BY_STEM && !stem_is(p, key)))
            continue;
        char **nv = realloc(v, (count + 1) * sizeof *nv);
        char *copy = strdup(p);
        if (!nv || !copy) {
            free(copy);
            if (nv)
                v = nv;
            rc = err_set(CAIRN_ERR_NOMEM, "out of memory looking up %s", key);
            break;
        }
        v = nv;
        v[count++] = copy;
    }
    if (!rc && step != SQLITE_DONE)
        rc = store_db_error(s, step, "looking up documents");
    done(st);
    free(pattern);
    if (rc) {
        store_doc_paths_free(v, count);
        return rc;
    }
    *paths = v;
    *n = count;
    return CAIRN_OK;
}

/* ---- ranking -------------------------------------------------------------- */

int store_doc_rank(store *s, const char *match, int64_t exclude_file_id, int limit,
                   store_doc_hit **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    if (limit <= 0 || limit > MAX_RANK)
        limit = MAX_RANK;
    store_doc_hit *hits = malloc((size_t)limit * sizeof *hits);
    if (!hits)
        return err_set(CAIRN_ERR_NOMEM, "out of memory for %d passages", limit);
    sqlite3_stmt *st;
    int rc = store_stmt(s, rank_sql, &st);
    if (rc) {
        free(hits);
        return rc;
    }
    bind_text(st, 1, match);
    sqlite3_bind_int64(st, 2, exclude_file_id);
    sqlite3_bind_int(st, 3, limit);
    size_t count = 0;
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        store_doc_hit *h = &hits[count++];
        h->chunk_id = sqlite3_column_int64(st, 0);
        h->file_id = sqlite3_column_int64(st, 1);
        h->start_line = sqlite3_column_int(st, 2);
        h->end_line = sqlite3_column_int(st, 3);
        h->score = -sqlite3_column_double(st, 4);
    }
    if (step != SQLITE_DONE)
        rc = store_db_error(s, step, "ranking passages");
    done(st);
    if (rc) {
        free(hits);
        return rc;
    }
    *out = hits;
    *n = count;
    return CAIRN_OK;
}

void store_doc_chunk_release(store_doc_chunk *c)
{
    if (!c)
        return;
    free(c->text);
    free(c->context);
    memset(c, 0, sizeof *c);
}

int store_doc_chunk_get(store *s, int64_t chunk_id, store_doc_chunk *out)
{
    memset(out, 0, sizeof *out);
    sqlite3_stmt *st;
    int rc = store_stmt(s, chunk_get_sql, &st);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, chunk_id);
    int step = sqlite3_step(st);
    if (step == SQLITE_ROW) {
        out->text = store_dup_col(st, 0);
        out->context = store_dup_col(st, 1);
        out->start_line = sqlite3_column_int(st, 2);
        out->end_line = sqlite3_column_int(st, 3);
        if (!out->text || (sqlite3_column_type(st, 1) != SQLITE_NULL && !out->context))
            rc = err_set(CAIRN_ERR_NOMEM, "out of memory reading a chunk");
    } else if (step == SQLITE_DONE) {
        rc = err_set(CAIRN_ERR_NOTFOUND, "no chunk %lld in the index", (long long)chunk_id);
    } else {
        rc = store_db_error(s, step, "reading a chunk");
    }
    done(st);
    if (rc)
        store_doc_chunk_release(out);
    return rc;
}

int store_doc_snippet(store *s, const char *match, int64_t chunk_id, int tokens, char **out)
{
    *out = NULL;
    sqlite3_stmt *st;
    int rc = store_stmt(s, snippet_sql, &st);
    if (rc)
        return rc;
    bind_text(st, 1, match);
    sqlite3_bind_int64(st, 2, chunk_id);
    sqlite3_bind_int(st, 3, tokens < 1 ? 1 : tokens > 64 ? 64 : tokens);
    int step = sqlite3_step(st);
    if (step == SQLITE_ROW || step == SQLITE_DONE) {
        *out = step == SQLITE_ROW ? store_dup_col(st, 0) : NULL;
        if (!*out && !(*out = strdup("")))
            rc = err_set(CAIRN_ERR_NOMEM, "out of memory making a snippet");
    } else {
        rc = store_db_error(s, step, "making a snippet");
    }
    done(st);
    return rc;
}

/* A statement over one of the temp vocabulary views, made on first use:
 * they live in the connection's temp schema, which even a read-only
 * connection may write. */
static int vocab_stmt(store *s, const char *create, const char *sql, sqlite3_stmt **st)
{
    int rc = store_stmt(s, sql, st);
    if (rc == CAIRN_ERR_DB) {
        if ((rc = store_exec(s, create, "opening the index vocabulary")))
            return rc;
        rc = store_stmt(s, sql, st);
    }
    return rc;
}

static int count_query(store *s, sqlite3_stmt *st, int64_t *out)
{
    int rc = CAIRN_OK, step = sqlite3_step(st);
    if (step == SQLITE_ROW)
        *out = sqlite3_column_int64(st, 0);
    else if (step != SQLITE_DONE)
        rc = store_db_error(s, step, "reading the index vocabulary");
    done(st);
    return rc;
}

int store_doc_term_df(store *s, const char *token, int64_t *df)
{
    *df = 0;
    sqlite3_stmt *st;
    int rc = vocab_stmt(s, vocab_create_sql, df_sql, &st);
    if (rc)
        return rc;
    bind_text(st, 1, token);
    return count_query(s, st, df);
}

int store_doc_term_df_in_file(store *s, const char *token, int64_t file_id, int64_t *df)
{
    *df = 0;
    sqlite3_stmt *st;
    int rc = vocab_stmt(s, inst_create_sql, df_in_file_sql, &st);
    if (rc)
        return rc;
    bind_text(st, 1, token);
    sqlite3_bind_int64(st, 2, file_id);
    return count_query(s, st, df);
}

int store_doc_chunk_count(store *s, int64_t *n)
{
    sqlite3_stmt *st;
    int rc = store_stmt(s, chunk_count_sql, &st);
    if (rc)
        return rc;
    int step = sqlite3_step(st);
    if (step == SQLITE_ROW)
        *n = sqlite3_column_int64(st, 0);
    else
        rc = store_db_error(s, step, "counting chunks");
    done(st);
    return rc;
}

/* ---- links ---------------------------------------------------------------- */

void store_link_rows_free(store_link_row *rows, size_t n)
{
    if (!rows)
        return;
    for (size_t i = 0; i < n; i++) {
        free(rows[i].path);
        free(rows[i].kind);
        free(rows[i].target);
        free(rows[i].target_path);
        free(rows[i].text);
    }
    free(rows);
}

static int read_links(store *s, sqlite3_stmt *st, store_link_row **out, size_t *n)
{
    store_link_row *rows = NULL;
    size_t count = 0, cap = 0;
    int rc = CAIRN_OK, step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        if ((rc = store_list_room((void **)&rows, &cap, count, sizeof *rows, "links")))
            break;
        store_link_row *r = &rows[count++];
        r->file_id = sqlite3_column_int64(st, 0);
        r->root_id = sqlite3_column_int64(st, 1);
        r->path = store_dup_col(st, 2);
        r->line = sqlite3_column_int(st, 3);
        r->kind = store_dup_col(st, 4);
        r->target = store_dup_col(st, 5);
        r->target_path = store_dup_col(st, 6);
        r->text = store_dup_col(st, 7);
        if (!r->path || !r->kind || !r->target) {
            rc = err_set(CAIRN_ERR_NOMEM, "out of memory reading links");
            break;
        }
    }
    if (!rc && step != SQLITE_DONE)
        rc = store_db_error(s, step, "reading links");
    done(st);
    if (rc) {
        store_link_rows_free(rows, count);
        return rc;
    }
    *out = rows;
    *n = count;
    return CAIRN_OK;
}

int store_link_list_from(store *s, int64_t file_id, store_link_row **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    sqlite3_stmt *st;
    int rc = store_stmt(s, links_from_sql, &st);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, file_id);
    return read_links(s, st, out, n);
}

int store_link_candidates_to(store *s, int64_t root_id, const char *path, const char *stem,
                             const char *title, const char *url, store_link_row **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    sqlite3_stmt *st;
    int rc = store_stmt(s, links_to_sql, &st);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, root_id);
    bind_text(st, 2, path);
    bind_text(st, 3, stem && *stem ? stem : NULL);
    bind_text(st, 4, title && *title ? title : NULL);
    bind_text(st, 5, url && *url ? url : NULL);
    return read_links(s, st, out, n);
}
