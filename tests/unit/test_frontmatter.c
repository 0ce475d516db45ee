/*
 * test_frontmatter.c — YAML and TOML front matter, broken front matter,
 * and the date forms documents use.
 */
#include "tests/unit/test.h"

#include "indexer/frontmatter.h"
#include "indexer/prose.h"
#include "util/err.h"

#include <stdlib.h>
#include <string.h>

static int has_tag(const prose_doc *d, const char *tag)
{
    for (size_t i = 0; i < d->ntags; i++)
        if (strcmp(d->tags[i], tag) == 0)
            return 1;
    return 0;
}

static int warned(const prose_doc *d, const char *needle)
{
    for (size_t i = 0; i < d->nwarnings; i++)
        if (strstr(d->warnings[i], needle))
            return 1;
    return 0;
}

TEST(frontmatter_yaml_fields)
{
    const char *t = "---\n"
                    "title: \"Notes: on SQLite\"\n"
                    "date: 2021-03-04 10:15:00 +01:00\n"
                    "tags: [SQLite, python, sqlite]\n"
                    "categories: Databases, Tools\n"
                    "permalink: /2021/sqlite-notes/\n"
                    "url: https://example.com/sqlite-notes\n"
                    "---\n"
                    "# Heading\n\nBody text.\n";
    prose_doc d;
    prose_doc_init(&d);
    fm_result fm;
    REQUIRE(fm_parse(t, strlen(t), &d, &fm) == CAIRN_OK);
    CHECK_INT(fm.format, FM_YAML);
    CHECK_INT(fm.body_line, 9);
    CHECK(strncmp(t + fm.body_start, "# Heading", 9) == 0);
    CHECK_STR(d.title, "Notes: on SQLite");
    CHECK_STR(d.date, "2021-03-04T10:15:00+01:00");
    CHECK_INT(d.ntags, 4);
    CHECK(has_tag(&d, "sqlite") && has_tag(&d, "python"));
    CHECK(has_tag(&d, "databases") && has_tag(&d, "tools"));
    /* url ranks above permalink whatever the order. */
    CHECK_STR(d.url, "https://example.com/sqlite-notes");
    CHECK_INT(d.nwarnings, 0);
    prose_doc_release(&d);
}

TEST(frontmatter_yaml_sequence_tags_and_published)
{
    const char *t = "---\r\ntags:\r\n  - Go\r\n  - '#Concurrency'\r\npublished: 2020/1/2\r\n...\r\nText\r\n";
    prose_doc d;
    prose_doc_init(&d);
    fm_result fm;
    REQUIRE(fm_parse(t, strlen(t), &d, &fm) == CAIRN_OK);
    CHECK_INT(fm.format, FM_YAML);
    CHECK_INT(fm.body_line, 7);
    CHECK_STR(t + fm.body_start, "Text\r\n");
    CHECK(has_tag(&d, "go") && has_tag(&d, "concurrency"));
    CHECK_STR(d.date, "2020-01-02");
    CHECK(d.title == NULL);
    prose_doc_release(&d);
}

TEST(frontmatter_invalid_yaml_is_salvaged_with_a_warning)
{
    const char *t = "---\n"
                    "title: Broken: \"quotes\n"
                    "date: 2019-07-01\n"
                    "tags: [a, b\n"
                    "---\n"
                    "Body\n";
    prose_doc d;
    prose_doc_init(&d);
    fm_result fm;
    REQUIRE(fm_parse(t, strlen(t), &d, &fm) == CAIRN_OK);
    CHECK_INT(fm.format, FM_YAML);
    CHECK(warned(&d, "not valid YAML (line"));
    CHECK_STR(d.date, "2019-07-01");
    CHECK(d.title != NULL);
    CHECK(has_tag(&d, "a") && has_tag(&d, "b"));
    prose_doc_release(&d);
}

TEST(frontmatter_bad_date_warns_and_is_dropped)
{
    const char *t = "---\ntitle: T\ndate: someday soon\n---\nx\n";
    prose_doc d;
    prose_doc_init(&d);
    fm_result fm;
    REQUIRE(fm_parse(t, strlen(t), &d, &fm) == CAIRN_OK);
    CHECK(d.date == NULL);
    CHECK(warned(&d, "date 'someday soon' is not a date"));
    prose_doc_release(&d);
}

TEST(frontmatter_non_mapping_yaml)
{
    const char *t = "---\n- just\n- a list\n---\nx\n";
    prose_doc d;
    prose_doc_init(&d);
    fm_result fm;
    REQUIRE(fm_parse(t, strlen(t), &d, &fm) == CAIRN_OK);
    CHECK(warned(&d, "not a list of 'key: value' lines"));
    prose_doc_release(&d);
}

TEST(frontmatter_toml)
{
    const char *t = "+++\n"
                    "title = \"Zola \\\"post\\\" \\u00e9\"\n"
                    "date = 2022-11-05T08:00:00Z # written on a train\n"
                    "tags = [\n  \"Rust\", # first\n  'web'\n]\n"
                    "[taxonomies]\n"
                    "categories = [\"Programming\"]\n"
                    "title = \"not the title\"\n"
                    "+++\n"
                    "Body\n";
    prose_doc d;
    prose_doc_init(&d);
    fm_result fm;
    REQUIRE(fm_parse(t, strlen(t), &d, &fm) == CAIRN_OK);
    CHECK_INT(fm.format, FM_TOML);
    CHECK_STR(d.title, "Zola \"post\" \xc3\xa9");
    CHECK_STR(d.date, "2022-11-05T08:00:00Z");
    CHECK(has_tag(&d, "rust") && has_tag(&d, "web") && has_tag(&d, "programming"));
    CHECK_INT(d.nwarnings, 0);
    CHECK_STR(t + fm.body_start, "Body\n");
    prose_doc_release(&d);
}

TEST(frontmatter_toml_bad_line_warns)
{
    const char *t = "+++\ntitle = \"ok\"\nthis is not toml\n+++\n";
    prose_doc d;
    prose_doc_init(&d);
    fm_result fm;
    REQUIRE(fm_parse(t, strlen(t), &d, &fm) == CAIRN_OK);
    CHECK_STR(d.title, "ok");
    CHECK(warned(&d, "line 3 is not TOML"));
    prose_doc_release(&d);
}

TEST(frontmatter_unclosed_is_a_thematic_break)
{
    const char *t = "---\ntitle: x\n\nNo closing line.\n";
    prose_doc d;
    prose_doc_init(&d);
    fm_result fm;
    REQUIRE(fm_parse(t, strlen(t), &d, &fm) == CAIRN_OK);
    CHECK_INT(fm.format, FM_NONE);
    CHECK_INT(fm.body_start, 0);
    CHECK(d.title == NULL);
    prose_doc_release(&d);
}

TEST(frontmatter_only_front_matter_is_still_a_chunk)
{
    const char *t = "---\ntitle: Draft idea\ntags: [later]\n---\n";
    prose_doc d;
    prose_doc_init(&d);
    chunk_list cl;
    chunk_list_init(&cl);
    REQUIRE(prose_parse("drafts/idea.md", "markdown", t, strlen(t), NULL, &d, &cl) == CAIRN_OK);
    CHECK_STR(d.title, "Draft idea");
    REQUIRE(cl.n == 1);
    CHECK_INT(cl.items[0].start_line, 1);
    CHECK_INT(cl.items[0].end_line, 4);
    CHECK_INT(cl.items[0].end_byte, strlen(t));
    CHECK_STR(cl.items[0].context, "Draft idea");
    CHECK(warned(&d, "only front matter"));
    chunk_list_release(&cl);
    prose_doc_release(&d);
}

TEST(date_normalize_forms)
{
    static const struct {
        const char *in, *out;
    } ok[] = {
        {"2021", "2021"},
        {"2021-03", "2021-03"},
        {"2021-3-4", "2021-03-04"},
        {"2021/03/04", "2021-03-04"},
        {"2021.03.04", "2021-03-04"},
        {"'2021-03-04'", "2021-03-04"},
        {"2021-03-04T10:15", "2021-03-04T10:15"},
        {"2021-03-04 10:15:30.123456", "2021-03-04T10:15:30"},
        {"2021-03-04T10:15:30Z", "2021-03-04T10:15:30Z"},
        {"2021-03-04T10:15:30-0700", "2021-03-04T10:15:30-07:00"},
        {"2021-03-04 10:15:30 UTC", "2021-03-04T10:15:30Z"},
        {"<2021-03-04 Thu>", "2021-03-04"},
        {"[2021-03-04 Thu 09:30]", "2021-03-04T09:30"},
    };
    static const char *const bad[] = {"", "yesterday", "21-03-04", "2021-13-01", "2021-02-32",
                                      "2021-03-04T25:00", "2021-03-04 nonsense", "0999-01-01"};
    char out[PROSE_DATE_MAX];
    for (size_t i = 0; i < sizeof ok / sizeof *ok; i++) {
        CHECK(prose_date_normalize(ok[i].in, strlen(ok[i].in), out, sizeof out));
        CHECK_STR(out, ok[i].out);
    }
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        CHECK(!prose_date_normalize(bad[i], strlen(bad[i]), out, sizeof out));
    prose_date_from_unix(0, out);
    CHECK_STR(out, "1970-01-01T00:00:00Z");
    prose_date_from_unix(1614852930, out);
    CHECK_STR(out, "2021-03-04T10:15:30Z");
}

TEST(tag_fold)
{
    char *t;
    REQUIRE(prose_tag_fold("  #Python  ", 11, &t) == CAIRN_OK);
    CHECK_STR(t, "python");
    free(t);
    REQUIRE(prose_tag_fold("\xc3\x89" "COLE  Normale", 15, &t) == CAIRN_OK);
    CHECK_STR(t, "\xc3\xa9" "cole normale");
    free(t);
    REQUIRE(prose_tag_fold("  ", 2, &t) == CAIRN_OK);
    CHECK(t == NULL);
}
