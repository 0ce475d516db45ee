/*
 * search.c — the store's read side: BM25-ranked chunk search over
 * chunks_fts, snippets, and index statistics.
 *
 * Ranking and snippets are separate steps: a search ranks, and only the
 * hits its caller keeps get snippets (store_hits_snippets), so that a
 * common word matching thousands of chunks, or a fusion that drops most
 * of each list, does not pay for snippets nobody reads.
 */
#include "store/store.h"
#include "store/store_int.h"
#include "util/buf.h"
#include "util/err.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* bm25() column weights for (path, symbol, context, text): a word in a
 * chunk's file path, symbol path or heading says more about the chunk than
 * one in its body. */
#define W_PATH "2.0"
#define W_SYMBOL "4.0"
#define W_CONTEXT "2.0"
#define W_TEXT "1.0"

#define MAX_LIMIT 10000

/* A file's date: its document date, else the day of its mtime. */
#define FILE_DATE "coalesce(d.date, date(f.mtime_ns / 1000000000, 'unixepoch'))"

/* The filters of a store_query, as bound parameters ?2-?4 and ?6-?8. */
#define FILTERS                                                                             \
    "   AND (?2 IS NULL OR f.path GLOB ?2)"                                                 \
    "   AND (?3 IS NULL OR f.lang = ?3)"                                                    \
    "   AND (?4 IS NULL OR f.kind = ?4)"                                                    \
    "   AND (?6 IS NULL OR " FILE_DATE " >= ?6)"                                            \
    "   AND (?7 IS NULL OR substr(" FILE_DATE ", 1, length(?7)) <= ?7)"                     \
    "   AND (?8 IS NULL OR EXISTS (SELECT 1 FROM doc_tags t"                                \
    "                              WHERE t.file_id = f.id AND t.tag = ?8 COLLATE NOCASE))"

static const char search_sql[] =
    "SELECT c.id, r.path, f.path, f.lang, f.kind, c.symbol, c.context,"
    "       c.start_line, c.end_line, f.mtime_ns,"
    "       bm25(chunks_fts, " W_PATH ", " W_SYMBOL ", " W_CONTEXT ", " W_TEXT ") AS score,"
    "       d.title, d.date, f.id"
    "  FROM chunks_fts"
    "  JOIN chunks c ON c.id = chunks_fts.rowid"
    "  JOIN files f ON f.id = c.file_id"
    "  JOIN roots r ON r.id = f.root_id"
    "  LEFT JOIN docs d ON d.file_id = f.id"
    " WHERE chunks_fts MATCH ?1" FILTERS
    " ORDER BY score, c.id"
    " LIMIT ?5";

/* search_sql without filters: FTS5 ranks alone and only the chunks kept
 * are joined, instead of joining every chunk that matches a common word.
 * Binding the filters' parameters, absent here, fails harmlessly. */
static const char search_top_sql[] =
    "SELECT c.id, r.path, f.path, f.lang, f.kind, c.symbol, c.context,"
    "       c.start_line, c.end_line, f.mtime_ns, top.score, d.title, d.date, f.id"
    "  FROM (SELECT rowid AS id,"
    "               bm25(chunks_fts, " W_PATH ", " W_SYMBOL ", " W_CONTEXT ", " W_TEXT ") AS score"
    "          FROM chunks_fts WHERE chunks_fts MATCH ?1"
    "         ORDER BY score, rowid LIMIT ?5) AS top"
    "  JOIN chunks c ON c.id = top.id"
    "  JOIN files f ON f.id = c.file_id"
    "  JOIN roots r ON r.id = f.root_id"
    "  LEFT JOIN docs d ON d.file_id = f.id"
    " ORDER BY top.score, c.id";

/* The chunk of a file that holds a given line, as a hit. */
static const char hit_at_sql[] =
    "SELECT c.id, r.path, f.path, f.lang, f.kind, c.symbol, c.context,"
    "       c.start_line, c.end_line, f.mtime_ns, 0.0, d.title, d.date, f.id,"
    "       substr(c.text, 1, 400)"
    "  FROM chunks c"
    "  JOIN files f ON f.id = c.file_id"
    "  JOIN roots r ON r.id = f.root_id"
    "  LEFT JOIN docs d ON d.file_id = f.id"
    " WHERE c.file_id = ?1 AND c.start_line <= ?2 AND c.end_line >= ?2"
    " ORDER BY c.seq LIMIT 1";

/* A chunk by id, as a hit, when it passes the filters. */
static const char hit_by_id_sql[] =
    "SELECT c.id, r.path, f.path, f.lang, f.kind, c.symbol, c.context,"
    "       c.start_line, c.end_line, f.mtime_ns, 0.0, d.title, d.date, f.id"
    "  FROM chunks c"
    "  JOIN files f ON f.id = c.file_id"
    "  JOIN roots r ON r.id = f.root_id"
    "  LEFT JOIN docs d ON d.file_id = f.id"
    " WHERE c.id = ?1" FILTERS;

static const char head_sql[] = "SELECT substr(text, 1, 400) FROM chunks WHERE id = ?1";

static const char snippet_sql[] =
    "SELECT snippet(chunks_fts, 3, char(2), char(3), '…', 24)"
    "  FROM chunks_fts WHERE chunks_fts MATCH ?1 AND rowid = ?2";

static void bind_opt(sqlite3_stmt *st, int i, const char *v)
{
    if (v)
        sqlite3_bind_text(st, i, v, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, i);
}

int store_hits_snippets(store *s, const char *match, store_hit *hits, size_t n)
{
    sqlite3_stmt *hl = NULL, *head = NULL;
    int rc = store_stmt(s, head_sql, &head);
    if (!rc && match && *match) {
        /* Not cached: a malformed expression must not stay prepared. */
        int src = sqlite3_prepare_v2(store_sqlite(s), snippet_sql, -1, &hl, NULL);
        if (src != SQLITE_OK)
            rc = store_db_error(s, src, "preparing snippets");
    }
    for (size_t i = 0; i < n && !rc; i++) {
        store_hit *h = &hits[i];
        if (h->snippet)
            continue;
        if (hl) {
            sqlite3_bind_text(hl, 1, match, -1, SQLITE_STATIC);
            sqlite3_bind_int64(hl, 2, h->chunk_id);
            int step = sqlite3_step(hl);
            const unsigned char *t = step == SQLITE_ROW ? sqlite3_column_text(hl, 0) : NULL;
            if (t && *t && !(h->snippet = strdup((const char *)t)))
                rc = err_set(CAIRN_ERR_NOMEM, "out of memory making snippets");
            else if (step != SQLITE_ROW && step != SQLITE_DONE)
                rc = store_db_error(s, step, "making a snippet");
            sqlite3_reset(hl);
        }
        if (!rc && !h->snippet) {
            sqlite3_bind_int64(head, 1, h->chunk_id);
            int step = sqlite3_step(head);
            const unsigned char *t = step == SQLITE_ROW ? sqlite3_column_text(head, 0) : NULL;
            if (step != SQLITE_ROW && step != SQLITE_DONE)
                rc = store_db_error(s, step, "reading a chunk");
            else if (!(h->snippet = strdup(t ? (const char *)t : "")))
                rc = err_set(CAIRN_ERR_NOMEM, "out of memory making snippets");
            sqlite3_reset(head);
        }
    }
    sqlite3_finalize(hl);
    return rc;
}

/* Columns 0-13 of search_sql and hit_at_sql into h. */
static int read_hit(sqlite3_stmt *st, store_hit *h)
{
    h->chunk_id = sqlite3_column_int64(st, 0);
    h->root = store_dup_col(st, 1);
    h->path = store_dup_col(st, 2);
    h->lang = store_dup_col(st, 3);
    h->kind = store_dup_col(st, 4);
    h->symbol = store_dup_col(st, 5);
    h->context = store_dup_col(st, 6);
    h->start_line = sqlite3_column_int(st, 7);
    h->end_line = sqlite3_column_int(st, 8);
    h->mtime_ns = sqlite3_column_int64(st, 9);
    h->score = -sqlite3_column_double(st, 10);
    h->title = store_dup_col(st, 11);
    h->date = store_dup_col(st, 12);
    h->file_id = sqlite3_column_int64(st, 13);
    if (!h->root || !h->path || !h->lang || !h->kind)
        return err_set(CAIRN_ERR_NOMEM, "out of memory reading results");
    return CAIRN_OK;
}

int store_hit_at(store *s, int64_t file_id, int line, store_hit *out)
{
    memset(out, 0, sizeof *out);
    sqlite3_stmt *st = NULL;
    int rc = store_stmt(s, hit_at_sql, &st);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, file_id);
    sqlite3_bind_int(st, 2, line);
    int step = sqlite3_step(st);
    if (step == SQLITE_ROW) {
        rc = read_hit(st, out);
        if (!rc && !(out->snippet = store_dup_col(st, 14)))
            rc = err_set(CAIRN_ERR_NOMEM, "out of memory reading a chunk");
    } else if (step == SQLITE_DONE) {
        rc = err_set(CAIRN_ERR_NOTFOUND, "no chunk holds line %d", line);
    } else {
        rc = store_db_error(s, step, "reading a chunk");
    }
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    if (rc)
        store_hits_free_one(out);
    return rc;
}

static const char span_sql[] =
    "SELECT start_line, text FROM chunks WHERE file_id = ?1 AND end_line >= ?2"
    " AND start_line <= ?3 ORDER BY seq";

int store_file_lines(store *s, int64_t file_id, int start_line, int end_line, buf *out)
{
    sqlite3_stmt *st = NULL;
    int rc = store_stmt(s, span_sql, &st);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, file_id);
    sqlite3_bind_int(st, 2, start_line);
    sqlite3_bind_int(st, 3, end_line);
    int step, last = start_line - 1; /* the last line copied */
    while (!rc && (step = sqlite3_step(st)) == SQLITE_ROW) {
        int line = sqlite3_column_int(st, 0);
        const char *p = (const char *)sqlite3_column_text(st, 1);
        const char *end = p + sqlite3_column_bytes(st, 1);
        /* Line breaks: \n, \r\n and a lone \r (indexer/chunk.h). */
        while (p && p < end && line <= end_line && !rc) {
            const char *e = p;
            while (e < end && *e != '\n' && *e != '\r')
                e++;
            const char *next = e;
            if (next < end && *next == '\r' && next + 1 < end && next[1] == '\n')
                next += 2;
            else if (next < end)
                next++;
            if (line > last && line >= start_line) {
                rc = buf_append(out, p, (size_t)(e - p));
                if (!rc)
                    rc = buf_putc(out, '\n');
                last = line;
            }
            p = next;
            line++;
        }
    }
    if (!rc && step != SQLITE_DONE && step != SQLITE_ROW)
        rc = store_db_error(s, step, "reading lines");
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return rc;
}

int store_hits_by_ids(store *s, const int64_t *ids, size_t n, const store_query *q, store_hit **out,
                      size_t *nout)
{
    *out = NULL;
    *nout = 0;
    store_hit *hits = calloc(n ? n : 1, sizeof *hits);
    if (!hits)
        return err_set(CAIRN_ERR_NOMEM, "out of memory for %zu results", n);
    sqlite3_stmt *st = NULL;
    int rc = store_stmt(s, hit_by_id_sql, &st);
    size_t m = 0;
    for (size_t i = 0; i < n && !rc; i++) {
        sqlite3_bind_int64(st, 1, ids[i]);
        bind_opt(st, 2, q->path_glob);
        bind_opt(st, 3, q->lang);
        bind_opt(st, 4, q->kind);
        bind_opt(st, 6, q->since);
        bind_opt(st, 7, q->until);
        bind_opt(st, 8, q->tag);
        int step = sqlite3_step(st);
        if (step == SQLITE_ROW) {
            rc = read_hit(st, &hits[m]);
            m++;
        } else if (step != SQLITE_DONE) {
            rc = store_db_error(s, step, "reading a chunk");
        }
        sqlite3_reset(st);
        sqlite3_clear_bindings(st);
    }
    if (rc) {
        store_hits_free(hits, m);
        return rc;
    }
    *out = hits;
    *nout = m;
    return CAIRN_OK;
}

int store_search(store *s, const store_query *q, store_hit **out, size_t *nout)
{
    *out = NULL;
    *nout = 0;
    if (!q->match || !*q->match)
        return err_set(CAIRN_ERR_INVALID, "empty search expression");
    int limit = q->limit > 0 && q->limit <= MAX_LIMIT ? q->limit : (q->limit > 0 ? MAX_LIMIT : 10);
    store_hit *hits = calloc((size_t)limit, sizeof *hits);
    if (!hits)
        return err_set(CAIRN_ERR_NOMEM, "out of memory for %d results", limit);
    sqlite3_stmt *st = NULL;
    int filtered = q->path_glob || q->lang || q->kind || q->since || q->until || q->tag;
    int rc = sqlite3_prepare_v2(store_sqlite(s), filtered ? search_sql : search_top_sql, -1, &st,
                                NULL);
    if (rc != SQLITE_OK) {
        free(hits);
        return store_db_error(s, rc, "preparing the search");
    }
    sqlite3_bind_text(st, 1, q->match, -1, SQLITE_STATIC);
    bind_opt(st, 2, q->path_glob);
    bind_opt(st, 3, q->lang);
    bind_opt(st, 4, q->kind);
    sqlite3_bind_int(st, 5, limit);
    bind_opt(st, 6, q->since);
    bind_opt(st, 7, q->until);
    bind_opt(st, 8, q->tag);
    size_t n = 0;
    int err = CAIRN_OK;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if ((err = read_hit(st, &hits[n++])))
            break;
    }
    if (!err && rc != SQLITE_DONE)
        err = store_db_error(s, rc, "searching");
    sqlite3_finalize(st);
    if (err) {
        store_hits_free(hits, n);
        return err;
    }
    *out = hits;
    *nout = n;
    return CAIRN_OK;
}

void store_hits_free_one(store_hit *h)
{
    free(h->root);
    free(h->path);
    free(h->lang);
    free(h->kind);
    free(h->symbol);
    free(h->context);
    free(h->snippet);
    free(h->title);
    free(h->date);
    memset(h, 0, sizeof *h);
}

void store_hits_free(store_hit *hits, size_t n)
{
    if (!hits)
        return;
    for (size_t i = 0; i < n; i++)
        store_hits_free_one(&hits[i]);
    free(hits);
}

static const char totals_sql[] =
    "SELECT count(*), coalesce(sum(size), 0),"
    "       (SELECT count(*) FROM chunks c JOIN files g ON g.id = c.file_id"
    "         WHERE ?1 = 0 OR g.root_id = ?1),"
    "       (SELECT coalesce(max(indexed_at), 0) FROM roots WHERE ?1 = 0 OR id = ?1)"
    "  FROM files WHERE ?1 = 0 OR root_id = ?1";

static const char langs_sql[] =
    "SELECT f.lang, f.kind, count(*), sum(f.size),"
    "       (SELECT count(*) FROM chunks c JOIN files g ON g.id = c.file_id"
    "         WHERE g.lang = f.lang AND (?1 = 0 OR g.root_id = ?1))"
    "  FROM files f WHERE ?1 = 0 OR f.root_id = ?1"
    " GROUP BY f.lang, f.kind ORDER BY count(*) DESC, f.lang";

static int64_t file_size(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 ? (int64_t)st.st_size : 0;
}

int store_stats_get(store *s, int64_t root_id, store_stats *out)
{
    memset(out, 0, sizeof *out);
    sqlite3 *db = store_sqlite(s);
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db, totals_sql, -1, &st, NULL);
    if (rc != SQLITE_OK)
        return store_db_error(s, rc, "preparing statistics");
    sqlite3_bind_int64(st, 1, root_id);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        out->files = sqlite3_column_int64(st, 0);
        out->bytes = sqlite3_column_int64(st, 1);
        out->chunks = sqlite3_column_int64(st, 2);
        out->last_indexed = sqlite3_column_int64(st, 3);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW)
        return store_db_error(s, rc, "counting files");

    char wal[4096];
    snprintf(wal, sizeof wal, "%s-wal", store_db_path(s));
    out->db_bytes = file_size(store_db_path(s)) + file_size(wal);

    if ((rc = sqlite3_prepare_v2(db, langs_sql, -1, &st, NULL)) != SQLITE_OK)
        return store_db_error(s, rc, "preparing statistics");
    sqlite3_bind_int64(st, 1, root_id);
    size_t cap = 0;
    int err = CAIRN_OK;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if ((err = store_list_room((void **)&out->langs, &cap, out->nlangs, sizeof *out->langs,
                                   "language statistics")))
            break;
        store_lang_stat *l = &out->langs[out->nlangs++];
        l->lang = store_dup_col(st, 0);
        l->kind = store_dup_col(st, 1);
        l->files = sqlite3_column_int64(st, 2);
        l->bytes = sqlite3_column_int64(st, 3);
        l->chunks = sqlite3_column_int64(st, 4);
        if (!l->lang || !l->kind) {
            err = err_set(CAIRN_ERR_NOMEM, "out of memory counting languages");
            break;
        }
    }
    if (!err && rc != SQLITE_DONE)
        err = store_db_error(s, rc, "counting languages");
    sqlite3_finalize(st);
    if (err)
        store_stats_release(out);
    return err;
}

void store_stats_release(store_stats *st)
{
    if (!st)
        return;
    for (size_t i = 0; i < st->nlangs; i++) {
        free(st->langs[i].lang);
        free(st->langs[i].kind);
    }
    free(st->langs);
    st->langs = NULL;
    st->nlangs = 0;
}
