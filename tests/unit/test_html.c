/*
 * test_html.c — HTML pages through prose_parse: text with the page's line
 * numbers, metadata from the head, links, and broken markup.
 */
#include "tests/unit/test.h"

#include "indexer/html.h"
#include "indexer/prose.h"
#include "util/err.h"

#include <stdlib.h>
#include <string.h>

static size_t count_lines(const char *s, size_t n)
{
    size_t lines = 1;
    for (size_t i = 0; i + 1 < n; i++)
        lines += s[i] == '\n' || (s[i] == '\r' && s[i + 1] != '\n');
    return lines;
}

static int warned(const prose_doc *d, const char *needle)
{
    for (size_t i = 0; i < d->nwarnings; i++)
        if (strstr(d->warnings[i], needle))
            return 1;
    return 0;
}

static const char page[] =
    "<!DOCTYPE html>\n"                                                          /* 1 */
    "<html><head>\n"                                                             /* 2 */
    "<title>My &amp; Page</title>\n"                                             /* 3 */
    "<meta name=\"keywords\" content=\"Web, HTML5\">\n"                          /* 4 */
    "<meta property=\"article:published_time\" content=\"2020-05-06T07:08:09Z\">\n" /* 5 */
    "<link rel=\"canonical\" href=\"https://example.com/my-page\">\n"            /* 6 */
    "<style>\nbody { color: red }\n</style>\n"                                   /* 7-9 */
    "<script>var x = \"<h1>not text</h1>\";\n</script>\n"                        /* 10-11 */
    "</head><body>\n"                                                            /* 12 */
    "  <h1>Main heading</h1>\n"                                                  /* 13 */
    "<p>First paragraph with a <a href=\"other.html#top\">link\nover two lines</a>.</p>\n" /* 14-15 */
    "<!-- a comment\nover lines -->\n"                                           /* 16-17 */
    "<h2>Second</h2><p>inline after</p>\n"                                       /* 18 */
    "<pre># shell comment\n```not a fence</pre>\n"                               /* 19-20 */
    "<p>caf&eacute; &#x1F600; &#169; 3 &lt; 4</p>\n"                             /* 21 */
    "</body></html>\n";                                                          /* 22 */

TEST(html_text_keeps_lines_and_drops_markup)
{
    prose_doc d;
    prose_doc_init(&d);
    chunk_list cl;
    chunk_list_init(&cl);
    REQUIRE(prose_parse("site/page.html", "html", page, strlen(page), NULL, &d, &cl) == CAIRN_OK);
    REQUIRE(d.body != NULL);
    CHECK_INT(count_lines(d.body, d.body_len), count_lines(page, strlen(page)));
    CHECK(strstr(d.body, "color") == NULL);
    CHECK(strstr(d.body, "not text") == NULL);
    CHECK(strstr(d.body, "a comment") == NULL);
    CHECK(strstr(d.body, "<p>") == NULL);
    CHECK(strstr(d.body, "\n# Main heading\n") != NULL);
    CHECK(strstr(d.body, "\n## Second inline after\n") != NULL);
    CHECK(strstr(d.body, "\n\xE2\x80\x8B# shell comment\n\xE2\x80\x8B```not a fence\n") != NULL);
    CHECK(strstr(d.body, "caf\xc3\xa9 \xf0\x9f\x98\x80 \xc2\xa9 3 < 4") != NULL);
    CHECK_STR(d.title, "My & Page");
    CHECK_STR(d.date, "2020-05-06T07:08:09Z");
    CHECK_STR(d.url, "https://example.com/my-page");
    REQUIRE(d.ntags == 2);
    CHECK_STR(d.tags[0], "web");
    CHECK_STR(d.tags[1], "html5");
    REQUIRE(d.nlinks == 1);
    CHECK_STR(d.links[0].target, "other.html#top");
    CHECK_STR(d.links[0].target_path, "site/other.html");
    CHECK_STR(d.links[0].text, "link over two lines");
    CHECK_INT(d.links[0].line, 14);
    CHECK_INT(d.nwarnings, 0);
    /* Sections by heading, with the <title> in front of each path. */
    int saw_second = 0;
    for (size_t i = 0; i < cl.n; i++) {
        CHECK(cl.items[i].context && strncmp(cl.items[i].context, "My & Page", 9) == 0);
        if (cl.items[i].context && strstr(cl.items[i].context, "Main heading > Second")) {
            saw_second = 1;
            CHECK_INT(cl.items[i].start_line, 18);
        }
    }
    CHECK(saw_second);
    chunk_list_release(&cl);
    prose_doc_release(&d);
}

TEST(html_broken_markup_warns_and_keeps_text)
{
    const char *t = "<html><body><h1>Broken</h1>\n"
                    "<p>text 1 < 2 and <b>bold</p>\n"
                    "<a href=\"x.html\">unclosed link\n"
                    "<p class=\"oops>more text</p>\n"
                    "<div <p>after junk\n"
                    "<script>never closed\nvar y;\n";
    prose_doc d;
    prose_doc_init(&d);
    chunk_list cl;
    chunk_list_init(&cl);
    REQUIRE(prose_parse("b.htm", "html", t, strlen(t), NULL, &d, &cl) == CAIRN_OK);
    CHECK_STR(d.title, "Broken");
    CHECK(strstr(d.body, "text 1 < 2 and bold") != NULL);
    CHECK(strstr(d.body, "never closed") == NULL);
    CHECK(warned(&d, "<script> opened on line 6 is never closed"));
    CHECK(warned(&d, "a quoted attribute on line 4 is never closed"));
    CHECK(warned(&d, "a tag on line 5 is not closed before the next one"));
    CHECK(strstr(d.body, "after junk") != NULL);
    CHECK_INT(count_lines(d.body, d.body_len), count_lines(t, strlen(t)));
    REQUIRE(d.nlinks == 1);
    CHECK_STR(d.links[0].target, "x.html");
    CHECK(cl.n >= 1);
    chunk_list_release(&cl);
    prose_doc_release(&d);

    const char *u = "<p>start</p><!-- never ends\n<p>lost</p>\n";
    prose_doc_init(&d);
    chunk_list_init(&cl);
    REQUIRE(prose_parse("c.html", "html", u, strlen(u), NULL, &d, &cl) == CAIRN_OK);
    CHECK(warned(&d, "comment opened on line 1 is never closed"));
    CHECK(strstr(d.body, "start") != NULL && strstr(d.body, "lost") == NULL);
    chunk_list_release(&cl);
    prose_doc_release(&d);

    const char *v = "<p>a <b class=\"x\" never closed at all";
    prose_doc_init(&d);
    chunk_list_init(&cl);
    REQUIRE(prose_parse("d.html", "html", v, strlen(v), NULL, &d, &cl) == CAIRN_OK);
    CHECK(warned(&d, "never closed with '>'"));
    CHECK(strstr(d.body, "never closed at all") != NULL);
    chunk_list_release(&cl);
    prose_doc_release(&d);
}

TEST(html_entities)
{
    char u[4];
    size_t un;
    CHECK_INT(html_entity("&amp;x", 6, u, &un), 5);
    CHECK(un == 1 && u[0] == '&');
    CHECK_INT(html_entity("&#10;", 5, u, &un), 5);
    CHECK(un == 1 && u[0] == ' ');
    CHECK_INT(html_entity("&#x110000;", 10, u, &un), 10);
    CHECK(un == 3 && memcmp(u, "\xef\xbf\xbd", 3) == 0);
    CHECK_INT(html_entity("&nosuch;", 8, u, &un), 0);
    CHECK_INT(html_entity("& b", 3, u, &un), 0);
    CHECK_INT(html_entity("&#", 2, u, &un), 0);
}

TEST(html_minified_page_is_one_line_cut_into_chunks)
{
    size_t n = 200000;
    char *t = malloc(n + 64);
    REQUIRE(t != NULL);
    size_t w = (size_t)sprintf(t, "<title>Big</title>");
    while (w + 40 < n)
        w += (size_t)sprintf(t + w, "<p>word %zu more words</p>", w);
    prose_doc d;
    prose_doc_init(&d);
    chunk_list cl;
    chunk_list_init(&cl);
    REQUIRE(prose_parse("big.html", "html", t, w, NULL, &d, &cl) == CAIRN_OK);
    CHECK(cl.n > 20);
    for (size_t i = 0; i < cl.n; i++) {
        CHECK_INT(cl.items[i].start_line, 1);
        CHECK(cl.items[i].end_byte - cl.items[i].start_byte <= CHUNK_PROSE_BYTES);
    }
    chunk_list_release(&cl);
    prose_doc_release(&d);
    free(t);
}
