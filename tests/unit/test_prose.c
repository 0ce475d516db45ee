/*
 * test_prose.c — the line-by-line formats (Org, reStructuredText,
 * AsciiDoc, plain text) and documents that push the readers: a 5 MB
 * paragraph, Windows-1252 text, odd line endings.
 */
#include "tests/unit/test.h"

#include "indexer/prose.h"
#include "indexer/textfile.h"
#include "util/buf.h"
#include "util/err.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct parsed {
    prose_doc d;
    chunk_list cl;
    int rc;
} parsed;

static void parse(parsed *p, const char *rel, const char *lang, const char *text, size_t len)
{
    prose_doc_init(&p->d);
    chunk_list_init(&p->cl);
    p->rc = prose_parse(rel, lang, text, len, NULL, &p->d, &p->cl);
}

static void done(parsed *p)
{
    prose_doc_release(&p->d);
    chunk_list_release(&p->cl);
}

static const prose_link *link_to(const prose_doc *d, const char *target)
{
    for (size_t i = 0; i < d->nlinks; i++)
        if (strcmp(d->links[i].target, target) == 0)
            return &d->links[i];
    return NULL;
}

TEST(prose_org_metadata_and_links)
{
    const char *t = "#+TITLE: Garden log\n"
                    "#+DATE: <2021-03-04 Thu>\n"
                    "#+FILETAGS: :Garden:spring:\n"
                    "\n"
                    "* Seeds\n"
                    "Planted tomatoes, see [[file:../plants/tomato.org][the tomato page]].\n"
                    "#+BEGIN_SRC sh\n"
                    "echo not words\n"
                    "#+END_SRC\n"
                    "Also [[*Seeds]] and https://example.org/seeds.\n";
    parsed p;
    parse(&p, "log/garden.org", "org", t, strlen(t));
    REQUIRE(p.rc == CAIRN_OK);
    CHECK_STR(p.d.title, "Garden log");
    CHECK_STR(p.d.date, "2021-03-04");
    REQUIRE(p.d.ntags == 2);
    CHECK_STR(p.d.tags[0], "garden");
    CHECK_STR(p.d.tags[1], "spring");
    const prose_link *l = link_to(&p.d, "file:../plants/tomato.org");
    REQUIRE(l != NULL);
    CHECK_STR(l->kind, "org");
    CHECK_STR(l->target_path, "plants/tomato.org");
    CHECK_STR(l->text, "the tomato page");
    CHECK_INT(l->line, 6);
    REQUIRE((l = link_to(&p.d, "*Seeds")) != NULL);
    CHECK_STR(l->target_path, "log/garden.org");
    REQUIRE((l = link_to(&p.d, "https://example.org/seeds")) != NULL);
    CHECK_STR(l->kind, "url");
    CHECK_INT(l->line, 10);
    CHECK_INT(p.d.nlinks, 3);
    /* Seeds / Planted tomatoes see the tomato page / Also Seeds and + URL words */
    CHECK(p.d.words > 10 && p.d.words < 25);
    CHECK(p.cl.n >= 1);
    done(&p);
}

TEST(prose_rst_title_fields_and_links)
{
    const char *t = "=============\n"
                    "Release notes\n"
                    "=============\n"
                    "\n"
                    ":date: 2019-12-01\n"
                    ":tags: python, packaging\n"
                    "\n"
                    "Read `the guide <https://packaging.python.org/>`_ and `local <other.rst>`__.\n"
                    "\n"
                    ".. _docs: https://docs.example.org/\n";
    parsed p;
    parse(&p, "docs/notes.rst", "rst", t, strlen(t));
    REQUIRE(p.rc == CAIRN_OK);
    CHECK_STR(p.d.title, "Release notes");
    CHECK_STR(p.d.date, "2019-12-01");
    CHECK_INT(p.d.ntags, 2);
    const prose_link *l = link_to(&p.d, "https://packaging.python.org/");
    REQUIRE(l != NULL);
    CHECK_STR(l->text, "the guide");
    CHECK_INT(l->line, 8);
    REQUIRE((l = link_to(&p.d, "other.rst")) != NULL);
    CHECK_STR(l->target_path, "docs/other.rst");
    REQUIRE((l = link_to(&p.d, "https://docs.example.org/")) != NULL);
    CHECK_INT(p.d.nlinks, 3); /* the URLs inside rst links are not counted twice */
    done(&p);
}

TEST(prose_asciidoc_and_text)
{
    const char *a = "= Handbook\n:revdate: 2018-02-03\n\nSee link:intro.adoc[the intro] or "
                    "https://asciidoctor.org[Asciidoctor].\n";
    parsed p;
    parse(&p, "book/handbook.adoc", "asciidoc", a, strlen(a));
    REQUIRE(p.rc == CAIRN_OK);
    CHECK_STR(p.d.title, "Handbook");
    CHECK_STR(p.d.date, "2018-02-03");
    const prose_link *l = link_to(&p.d, "intro.adoc");
    REQUIRE(l != NULL);
    CHECK_STR(l->target_path, "book/intro.adoc");
    CHECK_STR(l->text, "the intro");
    REQUIRE(link_to(&p.d, "https://asciidoctor.org") != NULL);
    CHECK_INT(p.d.nlinks, 2);
    done(&p);

    const char *t = "Shopping list\r\n\r\nSee (https://example.com/a_b).\rAnd http://x.org/y, too.\n";
    parse(&p, "misc/list.txt", "text", t, strlen(t));
    REQUIRE(p.rc == CAIRN_OK);
    CHECK_STR(p.d.title, "list");
    REQUIRE((l = link_to(&p.d, "https://example.com/a_b")) != NULL);
    CHECK_INT(l->line, 3);
    REQUIRE((l = link_to(&p.d, "http://x.org/y")) != NULL);
    CHECK_INT(l->line, 4);
    CHECK_INT(p.d.words, 13);
    done(&p);
}

TEST(prose_empty_and_blank_documents_warn)
{
    parsed p;
    parse(&p, "e.md", "markdown", "", 0);
    REQUIRE(p.rc == CAIRN_OK);
    CHECK_STR(p.d.title, "e");
    REQUIRE(p.d.nwarnings == 1);
    CHECK_STR(p.d.warnings[0], "is empty");
    done(&p);
    parse(&p, "b.txt", "text", "\n\n  \n", 5);
    REQUIRE(p.rc == CAIRN_OK);
    REQUIRE(p.d.nwarnings == 1);
    CHECK_STR(p.d.warnings[0], "has no text to index");
    done(&p);
}

TEST(prose_five_megabyte_paragraph)
{
    size_t n = 5u << 20;
    char *t = malloc(n + 1);
    REQUIRE(t != NULL);
    static const char words[] = "lorem ipsum [dolor](sit.md) amet ";
    for (size_t i = 0; i < n; i++)
        t[i] = words[i % (sizeof words - 1)];
    t[n] = '\0';
    clock_t c0 = clock();
    parsed p;
    parse(&p, "huge.md", "markdown", t, n);
    double secs = (double)(clock() - c0) / CLOCKS_PER_SEC;
    REQUIRE(p.rc == CAIRN_OK);
    CHECK(p.cl.n > 2000);
    for (size_t i = 0; i < p.cl.n; i++)
        CHECK(p.cl.items[i].end_byte - p.cl.items[i].start_byte <= CHUNK_PROSE_BYTES);
    CHECK_INT(p.d.nlinks, PROSE_MAX_LINKS);
    CHECK(p.d.words > 500000);
    CHECK(secs < 10);
    done(&p);
    parse(&p, "huge.txt", "text", t, n);
    REQUIRE(p.rc == CAIRN_OK);
    CHECK(p.cl.n > 2000);
    done(&p);
    free(t);
}

TEST(prose_windows_1252_note)
{
    /* "Caf\xe9 \x93quotes\x94" as an old Windows editor saved it. */
    const char raw[] = "# Caf\xe9 notes\r\n\r\n\x93Smart quotes\x94 and a \x80 sign \x96 see [x](y.md).\r\n";
    const char *dir = test_tmpdir();
    test_write_file(dir, "old.md", raw, sizeof raw - 1);
    char path[4096];
    snprintf(path, sizeof path, "%s/old.md", dir);
    buf text;
    buf_init(&text, 0);
    textfile_info info;
    REQUIRE(textfile_read(path, 1 << 20, &text, &info) == CAIRN_OK);
    CHECK_STR(info.encoding, "windows-1252");
    parsed p;
    parse(&p, "old.md", "markdown", buf_str(&text), text.len);
    REQUIRE(p.rc == CAIRN_OK);
    CHECK_STR(p.d.title, "Caf\xc3\xa9 notes");
    REQUIRE(p.d.nlinks == 1);
    CHECK_INT(p.d.links[0].line, 3);
    CHECK_INT(p.d.words, 9); /* Café notes Smart quotes and a sign see x */
    done(&p);
    buf_release(&text);
}
