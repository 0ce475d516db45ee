/*
 * test_markdown.c — Markdown documents through prose_parse: titles, word
 * counts, every kind of link with its line, and link paths.
 */
#include "tests/unit/test.h"

#include "indexer/prose.h"
#include "util/err.h"

#include <stdlib.h>
#include <string.h>

typedef struct parsed {
    prose_doc d;
    chunk_list cl;
    int rc;
} parsed;

static void parse(parsed *p, const char *rel, const char *lang, const char *text)
{
    prose_doc_init(&p->d);
    chunk_list_init(&p->cl);
    p->rc = prose_parse(rel, lang, text, strlen(text), NULL, &p->d, &p->cl);
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

TEST(markdown_title_is_first_h1)
{
    parsed p;
    parse(&p, "notes/a.md", "markdown", "## Preface\n\ntext\n\n# The Real Title\n\nmore\n");
    REQUIRE(p.rc == CAIRN_OK);
    CHECK_STR(p.d.title, "The Real Title");
    done(&p);
    parse(&p, "notes/b.md", "markdown", "Setext *title*\n===\n\nbody\n");
    CHECK_STR(p.d.title, "Setext title");
    done(&p);
    parse(&p, "notes/plain-note.md", "markdown", "no headings at all\n");
    CHECK_STR(p.d.title, "plain-note");
    done(&p);
}

TEST(markdown_front_matter_title_heads_every_context)
{
    const char *t = "---\ntitle: Post Title\n---\nIntro paragraph.\n\n## Section\n\nBody.\n";
    parsed p;
    parse(&p, "blog/post.md", "markdown", t);
    REQUIRE(p.rc == CAIRN_OK);
    CHECK_STR(p.d.title, "Post Title");
    REQUIRE(p.cl.n == 2);
    CHECK_STR(p.cl.items[0].context, "Post Title");
    CHECK_STR(p.cl.items[1].context, "Post Title > Section");
    CHECK_INT(p.cl.items[0].start_line, 4);
    done(&p);
}

TEST(markdown_words_skip_code_blocks_and_markup)
{
    const char *t = "# Title here\n\nOne **two** three's [four](http://x.org) `five`.\n\n"
                    "```python\nnot counted at all\n```\n\n    indented code too\n\n"
                    "| six | seven |\n|---|---|\n| eight | nine |\n";
    parsed p;
    parse(&p, "a.md", "markdown", t);
    REQUIRE(p.rc == CAIRN_OK);
    CHECK_INT(p.d.words, 11); /* Title here One two three's four five six seven eight nine */
    done(&p);
}

TEST(markdown_links_of_every_kind)
{
    const char *t = "# Links\n"                                      /* 1 */
                    "\n"                                             /* 2 */
                    "See [the other note](../sqlite/wal.md#setup).\n" /* 3 */
                    "A [reference link][ref] and <https://auto.example/x>.\n" /* 4 */
                    "Bare www.example.com/page and a [[Wiki Page|alias text]].\n" /* 5 */
                    "Also [[dir/Other Note#Part]] and ![img](pic.png).\n" /* 6 */
                    "<a href=\"raw.html\">raw html</a>\n"            /* 7 */
                    "[self](#links) [root](/top/level) [out](../../../escape.md)\n" /* 8 */
                    "\n"
                    "[ref]: https://ref.example/page \"Title\"\n";
    parsed p;
    parse(&p, "notes/python/a.md", "markdown", t);
    REQUIRE(p.rc == CAIRN_OK);
    const prose_link *l;
    REQUIRE((l = link_to(&p.d, "../sqlite/wal.md#setup")));
    CHECK_INT(l->line, 3);
    CHECK_STR(l->kind, "markdown");
    CHECK_STR(l->target_path, "notes/sqlite/wal.md");
    CHECK_STR(l->text, "the other note");
    REQUIRE((l = link_to(&p.d, "https://ref.example/page")));
    CHECK_INT(l->line, 4);
    CHECK(l->target_path == NULL);
    CHECK_STR(l->text, "reference link");
    REQUIRE((l = link_to(&p.d, "https://auto.example/x")));
    CHECK_INT(l->line, 4);
    REQUIRE((l = link_to(&p.d, "http://www.example.com/page")));
    CHECK_INT(l->line, 5);
    REQUIRE((l = link_to(&p.d, "Wiki Page")));
    CHECK_STR(l->kind, "wiki");
    CHECK_STR(l->target_path, "Wiki Page");
    CHECK_STR(l->text, "alias text");
    CHECK_INT(l->line, 5);
    REQUIRE((l = link_to(&p.d, "dir/Other Note#Part")));
    CHECK_STR(l->target_path, "dir/Other Note");
    CHECK_INT(l->line, 6);
    CHECK(link_to(&p.d, "pic.png") == NULL); /* images are not links */
    REQUIRE((l = link_to(&p.d, "raw.html")));
    CHECK_STR(l->kind, "html");
    CHECK_STR(l->target_path, "notes/python/raw.html");
    CHECK_INT(l->line, 7);
    REQUIRE((l = link_to(&p.d, "#links")));
    CHECK_STR(l->target_path, "notes/python/a.md");
    REQUIRE((l = link_to(&p.d, "/top/level")));
    CHECK_STR(l->target_path, "top/level");
    REQUIRE((l = link_to(&p.d, "../../../escape.md")));
    CHECK(l->target_path == NULL);
    done(&p);
}

TEST(markdown_target_paths)
{
    static const struct {
        const char *src, *kind, *target, *want;
    } cases[] = {
        {"a/b/c.md", "markdown", "d.md", "a/b/d.md"},
        {"a/b/c.md", "markdown", "./d%20e.md?x=1#y", "a/b/d e.md"},
        {"a/b/c.md", "markdown", "../../d.md", "d.md"},
        {"a/b/c.md", "markdown", "../../../d.md", NULL},
        {"c.md", "markdown", "mailto:me@example.com", NULL},
        {"c.md", "markdown", "//cdn.example/x.js", NULL},
        {"c.md", "org", "file:notes/x.org", "notes/x.org"},
        {"a/c.md", "wiki", "Some Page#Heading", "Some Page"},
        {"a/c.md", "wiki", "folder/../Page", "Page"},
        {"a/c.md", "markdown", "%00evil", "a/%00evil"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char *out;
        REQUIRE(prose_target_path(cases[i].src, cases[i].kind, cases[i].target,
                                  strlen(cases[i].target), &out) == CAIRN_OK);
        if (cases[i].want)
            CHECK_STR(out, cases[i].want);
        else
            CHECK(out == NULL);
        free(out);
    }
}

TEST(markdown_empty_link_targets_are_not_links)
{
    parsed p;
    parse(&p, "a.md", "markdown", "[empty]() and [ref][] and <>\n\n[ref]: <>\n");
    REQUIRE(p.rc == CAIRN_OK);
    CHECK_INT(p.d.nlinks, 0);
    done(&p);
}

TEST(markdown_unclosed_fence_does_not_swallow_the_index)
{
    const char *t = "# T\n\nBefore.\n\n```\ncode that never ends\n[not a link](x.md)\n";
    parsed p;
    parse(&p, "a.md", "markdown", t);
    REQUIRE(p.rc == CAIRN_OK);
    CHECK(p.cl.n >= 1);
    CHECK_INT(p.cl.items[p.cl.n - 1].end_byte, strlen(t));
    CHECK(link_to(&p.d, "x.md") == NULL);
    CHECK_INT(p.d.words, 2);
    done(&p);
}

TEST(markdown_on_the_til_archive)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/corpora/til/sqlite/enabling-wal-mode.md", test_shared_dir());
    FILE *f = fopen(path, "rb");
    REQUIRE(f != NULL);
    static char text[1 << 16];
    size_t n = fread(text, 1, sizeof text - 1, f);
    fclose(f);
    text[n] = '\0';
    parsed p;
    parse(&p, "sqlite/enabling-wal-mode.md", "markdown", text);
    REQUIRE(p.rc == CAIRN_OK);
    CHECK_STR(p.d.title, "Enabling WAL mode for SQLite database files");
    const prose_link *l = link_to(&p.d, "https://dogsheep.github.io/");
    REQUIRE(l != NULL);
    CHECK_INT(l->line, 3);
    CHECK_STR(l->text, "Dogsheep");
    CHECK(p.d.words > 200 && p.d.words < 400);
    CHECK(p.cl.n >= 2);
    CHECK(strncmp(p.cl.items[p.cl.n - 1].context, "Enabling WAL mode", 17) == 0);
    done(&p);
}
