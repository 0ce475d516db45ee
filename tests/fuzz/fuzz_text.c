/*
 * fuzz_text.c — fuzz targets for the tokenizer, the FTS5 query builder
 * (its output must always be valid FTS5 syntax) and the .gitignore matcher.
 */
#include "tests/fuzz/fuzz.h"
#include "indexer/ignore.h"
#include "store/fts.h"
#include "store/tokenize.h"
#include "util/buf.h"
#include "util/err.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#define MAX_INPUT (1 << 20)

static int count_token(void *ctx, int flags, const char *token, int len, int start, int end)
{
    (void)flags;
    (void)token;
    size_t *total = ctx;
    /* Offsets must stay inside the input the tokenizer was given. */
    if (start < 0 || end < start || (size_t)end > total[1] || len <= 0)
        abort();
    total[0]++;
    return 0;
}

int fuzz_tokenize(const uint8_t *data, size_t size)
{
    if (size > MAX_INPUT)
        return 0;
    tok_tokenizer *t = NULL;
    if (tok_new(&t) != CAIRN_OK)
        return 0;
    size_t ctx[2] = {0, size};
    tok_run(t, (const char *)data, (int)size, ctx, count_token);
    tok_run_query(t, (const char *)data, (int)size, ctx, count_token);
    tok_free(t);
    return 0;
}

int fuzz_query(const uint8_t *data, size_t size)
{
    if (size > MAX_INPUT)
        return 0;
    char *q = malloc(size + 1);
    if (!q)
        return 0;
    memcpy(q, data, size);
    q[size] = '\0';
    buf m;
    buf_init(&m, 0);
    if (fts_query_build(q, &m) == CAIRN_OK) {
        sqlite3 *db = NULL;
        sqlite3_stmt *st = NULL;
        if (sqlite3_open(":memory:", &db) == SQLITE_OK && fts_register(db) == CAIRN_OK &&
            sqlite3_exec(db, "CREATE VIRTUAL TABLE t USING fts5(x, tokenize='cairn');"
                             "INSERT INTO t VALUES ('getUserName connection pooling');",
                         NULL, NULL, NULL) == SQLITE_OK &&
            sqlite3_prepare_v2(db, "SELECT count(*) FROM t WHERE t MATCH ?1", -1, &st, NULL) == SQLITE_OK) {
            sqlite3_bind_text(st, 1, buf_str(&m), -1, SQLITE_STATIC);
            int rc = sqlite3_step(st);
            /* The builder's promise: never an FTS5 syntax error. */
            if (rc != SQLITE_ROW)
                abort();
        }
        sqlite3_finalize(st);
        sqlite3_close(db);
    }
    buf_release(&m);
    free(q);
    return 0;
}

/* Input: a .gitignore, then a NUL, then newline-separated paths to match
 * (a trailing '/' marks a directory). */
int fuzz_ignore(const uint8_t *data, size_t size)
{
    if (size > MAX_INPUT)
        return 0;
    const char *text = (const char *)data;
    const char *nul = memchr(text, '\0', size);
    size_t glen = nul ? (size_t)(nul - text) : size;
    ignore_list *l = NULL;
    if (ignore_list_new("", &l) != CAIRN_OK)
        return 0;
    ignore_list_add_buffer(l, text, glen, "fuzz");
    if (nul) {
        const char *p = nul + 1, *end = text + size;
        while (p < end) {
            const char *nl = memchr(p, '\n', (size_t)(end - p));
            size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
            if (n > 0 && n < 4096) {
                char path[4096];
                memcpy(path, p, n);
                path[n] = '\0';
                int is_dir = path[n - 1] == '/';
                if (is_dir)
                    path[n - 1] = '\0';
                if (path[0] && !memchr(path, '\0', n - (size_t)is_dir))
                    ignore_match(&l, 1, path, is_dir);
            }
            p = nl ? nl + 1 : end;
        }
    }
    ignore_list_free(l);
    return 0;
}
