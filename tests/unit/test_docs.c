/*
 * test_docs.c — a small writing archive indexed the way the pipeline does
 * it (prose_parse, the file's chunks, docmeta_store), then read back:
 * document rows, lookups, link resolution in both directions, related
 * documents and quotes.
 */
#include "tests/unit/test.h"

#include "indexer/docmeta.h"
#include "indexer/lang.h"
#include "indexer/prose.h"
#include "indexer/textfile.h"
#include "query/links.h"
#include "query/quote.h"
#include "query/related.h"
#include "store/docs.h"
#include "util/buf.h"
#include "util/err.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#define OLD_MTIME ((int64_t)1546300800 * 1000000000) /* 2019-01-01 */

static const struct {
    const char *path, *text;
} notes[] = {
    {"garden/tomatoes.md",
     "---\n"
     "title: Growing tomatoes\n"
     "date: 2021-05-01\n"
     "tags: [Garden, vegetables]\n"
     "---\n"
     "Tomatoes want sun and steady water.\n"                              /* 6 */
     "\n"
     "## Watering\n"                                                       /* 8 */
     "\n"
     "Water tomatoes deeply twice a week in the morning. Shallow daily watering "
     "gives weak roots. Mulch keeps the soil moist.\n"                     /* 10 */
     "\n"
     "## Neighbours\n"
     "\n"
     "Plant them near [[Compost]] and next to [peppers](peppers.md); basil is "
     "[a good friend](https://blog.example/garden/basil/). Not [this](nothing.md).\n"},
    {"garden/peppers.md",
     "# Peppers\n\nPeppers like the same sun and water as tomatoes, and the same "
     "blight can hit both. Stake them like [tomatoes](tomatoes).\n"},
    {"garden/basil.md",
     "---\nurl: https://blog.example/herbs/basil\n---\n# Basil\n\nBasil is a herb for pesto.\n"},
    {"compost.md", "# Compost\n\nKitchen scraps and leaves. Feed it to [[Growing tomatoes]].\n"},
    {"kitchen/bread.md", "# Bread\n\nSourdough needs flour, water, salt and a hot oven.\n"},
    {"kitchen/old/bread.md", "# Bread\n\nAn older loaf recipe with rye flour.\n"},
};
#define NNOTES (sizeof notes / sizeof *notes)

typedef struct archive {
    store *s;
    int64_t root_id;
    char root[PATH_MAX];
    int64_t ids[NNOTES];
} archive;

static int index_note(archive *a, docmeta *m, size_t i)
{
    const char *rel = notes[i].path, *text = notes[i].text;
    size_t len = strlen(text);
    const lang_info *lang = lang_detect(rel, text, len);
    prose_doc d;
    prose_doc_init(&d);
    chunk_list cl;
    chunk_list_init(&cl);
    int rc = prose_parse(rel, lang->name, text, len, NULL, &d, &cl);
    store_file f = {.root_id = a->root_id, .path = rel, .size = (int64_t)len,
                    .mtime_ns = OLD_MTIME, .hash = i + 1, .lang = lang->name,
                    .kind = "prose", .encoding = "utf-8"};
    if (!rc)
        rc = store_file_put(a->s, &f, &a->ids[i]);
    const char *body = d.body ? d.body : text;
    for (size_t c = 0; c < cl.n && !rc; c++) {
        store_chunk sc = {.seq = (int)c, .start_line = cl.items[c].start_line,
                          .end_line = cl.items[c].end_line,
                          .start_byte = (int64_t)cl.items[c].start_byte,
                          .end_byte = (int64_t)cl.items[c].end_byte,
                          .context = cl.items[c].context, .text = body + cl.items[c].start_byte,
                          .text_len = cl.items[c].end_byte - cl.items[c].start_byte};
        rc = store_chunk_add(a->s, a->ids[i], &sc);
    }
    if (!rc)
        rc = docmeta_store(m, a->s, a->ids[i], rel, OLD_MTIME, &d);
    chunk_list_release(&cl);
    prose_doc_release(&d);
    return rc;
}

static int archive_open(archive *a)
{
    memset(a, 0, sizeof *a);
    if (!realpath(test_tmpdir(), a->root))
        return CAIRN_ERR_IO;
    char idx[PATH_MAX + 16];
    snprintf(idx, sizeof idx, "%s/.idx", a->root);
    docmeta *m = NULL;
    int rc = store_open(idx, STORE_WRITE, &a->s);
    if (!rc)
        rc = docmeta_new(a->root, NULL, NULL, &m);
    if (!rc)
        rc = store_begin(a->s);
    if (!rc)
        rc = store_root_ensure(a->s, a->root, &a->root_id);
    for (size_t i = 0; i < NNOTES && !rc; i++)
        rc = index_note(a, m, i);
    if (!rc)
        rc = store_commit(a->s);
    docmeta_free(m);
    return rc;
}

static size_t note(const char *path)
{
    for (size_t i = 0; i < NNOTES; i++)
        if (strcmp(notes[i].path, path) == 0)
            return i;
    return NNOTES;
}

TEST(docs_rows_and_lookups)
{
    archive a;
    REQUIRE(archive_open(&a) == CAIRN_OK);
    store_doc_row r;
    REQUIRE(store_doc_get(a.s, a.ids[note("garden/tomatoes.md")], &r) == CAIRN_OK);
    CHECK_STR(r.title, "Growing tomatoes");
    CHECK_STR(r.date, "2021-05-01");
    CHECK_STR(r.date_source, "document");
    CHECK_STR(r.path, "garden/tomatoes.md");
    CHECK_STR(r.root, a.root);
    REQUIRE(r.ntags == 2);
    CHECK_STR(r.tags[0], "garden");
    CHECK_STR(r.tags[1], "vegetables");
    CHECK(r.words > 30);
    store_doc_row_release(&r);
    /* No date of its own, not in git: the file's mtime. */
    REQUIRE(store_doc_get(a.s, a.ids[note("garden/peppers.md")], &r) == CAIRN_OK);
    CHECK_STR(r.date, "2019-01-01T00:00:00Z");
    CHECK_STR(r.date_source, "mtime");
    store_doc_row_release(&r);

    char **paths;
    size_t n;
    REQUIRE(store_doc_lookup(a.s, a.root_id, STORE_DOC_BY_TITLE, "bread", &paths, &n) == CAIRN_OK);
    REQUIRE(n == 2); /* duplicate titles: both documents, shortest path first */
    CHECK_STR(paths[0], "kitchen/bread.md");
    CHECK_STR(paths[1], "kitchen/old/bread.md");
    store_doc_paths_free(paths, n);
    REQUIRE(store_doc_lookup(a.s, a.root_id, STORE_DOC_BY_STEM, "PEPPERS", &paths, &n) == CAIRN_OK);
    REQUIRE(n == 1);
    CHECK_STR(paths[0], "garden/peppers.md");
    store_doc_paths_free(paths, n);
    REQUIRE(store_doc_lookup(a.s, a.root_id, STORE_DOC_BY_STEM, "per", &paths, &n) == CAIRN_OK);
    CHECK_INT(n, 0);
    store_doc_paths_free(paths, n);
    int64_t id;
    CHECK_INT(store_doc_file_id(a.s, a.root_id, "nope.md", &id), CAIRN_ERR_NOTFOUND);
    store_close(a.s);
}

static const links_item *item(const links_item *v, size_t n, const char *field_value, int by_target)
{
    for (size_t i = 0; i < n; i++) {
        const char *f = by_target ? v[i].target : v[i].path;
        if (f && strcmp(f, field_value) == 0)
            return &v[i];
    }
    return NULL;
}

TEST(docs_links_both_ways)
{
    archive a;
    REQUIRE(archive_open(&a) == CAIRN_OK);
    resolved_file f = {.root = a.root, .rel = "garden/tomatoes.md",
                       .file_id = a.ids[note("garden/tomatoes.md")]};
    links_result r;
    REQUIRE(links_run(a.s, &f, &r) == CAIRN_OK);
    CHECK_STR(r.title, "Growing tomatoes");
    REQUIRE(r.nout == 4);
    const links_item *it = item(r.out, r.nout, "Compost", 1);
    REQUIRE(it != NULL);
    CHECK_STR(it->path, "compost.md");
    CHECK_STR(it->how, "name");
    CHECK_STR(it->title, "Compost");
    CHECK_INT(it->line, 14);
    REQUIRE((it = item(r.out, r.nout, "peppers.md", 1)) != NULL);
    CHECK_STR(it->path, "garden/peppers.md");
    CHECK_STR(it->how, "path");
    REQUIRE((it = item(r.out, r.nout, "https://blog.example/garden/basil/", 1)) != NULL);
    CHECK_STR(it->path, "garden/basil.md");
    CHECK_STR(it->how, "url");
    CHECK(!it->internal);
    REQUIRE((it = item(r.out, r.nout, "nothing.md", 1)) != NULL);
    CHECK(it->path == NULL && it->internal && it->how == NULL);
    REQUIRE(r.nin == 2);
    REQUIRE((it = item(r.in, r.nin, "compost.md", 0)) != NULL);
    CHECK_STR(it->how, "title");
    CHECK_STR(it->kind, "wiki");
    REQUIRE((it = item(r.in, r.nin, "garden/peppers.md", 0)) != NULL);
    CHECK_STR(it->how, "path");
    CHECK_STR(it->text, "tomatoes");
    CHECK_INT(it->line, 3);
    links_result_release(&r);

    /* The canonical URL of basil is not the URL tomatoes links to, but the
     * URL's path ends with basil's path. */
    resolved_file b = {.root = a.root, .rel = "garden/basil.md", .file_id = a.ids[note("garden/basil.md")]};
    REQUIRE(links_run(a.s, &b, &r) == CAIRN_OK);
    CHECK_INT(r.nout, 0);
    REQUIRE(r.nin == 1);
    CHECK_STR(r.in[0].path, "garden/tomatoes.md");
    links_result_release(&r);
    store_close(a.s);
}

TEST(docs_related_and_quote)
{
    archive a;
    REQUIRE(archive_open(&a) == CAIRN_OK);
    size_t pi = note("garden/peppers.md");
    related_opts o = {.text = notes[pi].text, .len = strlen(notes[pi].text), .k = 3,
                      .exclude_file_id = a.ids[pi]};
    related_hit *h;
    size_t n;
    char *used = NULL;
    REQUIRE(related_run(a.s, &o, &h, &n, &used) == CAIRN_OK);
    REQUIRE(n >= 1);
    CHECK_STR(h[0].path, "garden/tomatoes.md");
    CHECK_STR(h[0].title, "Growing tomatoes");
    CHECK_STR(h[0].date, "2021-05-01");
    for (size_t i = 0; i < n; i++)
        CHECK(strcmp(h[i].path, "garden/peppers.md") != 0);
    CHECK(used && strstr(used, "\"tomatoes\""));
    CHECK(h[0].passage && strstr(h[0].passage, STORE_MARK_OPEN));
    related_hits_free(h, n);
    free(used);

    related_opts none = {.text = "zzqx qqzz", .len = 9};
    CHECK_INT(related_run(a.s, &none, &h, &n, NULL), CAIRN_ERR_INVALID);
    CHECK(h == NULL && n == 0);

    quote_opts q = {.query = "how often should I water the tomatoes", .k = 2};
    quote_hit *qh;
    REQUIRE(quote_run(a.s, &q, &qh, &n) == CAIRN_OK);
    REQUIRE(n >= 1);
    CHECK_STR(qh[0].path, "garden/tomatoes.md");
    CHECK_STR(qh[0].text, "Water tomatoes deeply twice a week in the morning.");
    CHECK_INT(qh[0].start_line, 10);
    CHECK_INT(qh[0].end_line, 10);
    CHECK_STR(qh[0].context, "Growing tomatoes > Watering");
    quote_hits_free(qh, n);

    quote_opts bad = {.query = "tomatoes", .k = 1000};
    CHECK_INT(quote_run(a.s, &bad, &qh, &n), CAIRN_ERR_INVALID);
    store_close(a.s);
}
