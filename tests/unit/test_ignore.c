/*
 * test_ignore.c — gitignore parsing and git's wildmatch rules.
 *
 * The differential checks against git itself (whole trees through
 * `git ls-files`) live in test_walk.c.
 */
#include "indexer/ignore.h"
#include "tests/unit/test.h"
#include "util/err.h"

#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static const unsigned P = IGNORE_GLOB_PATHNAME;

TEST(ignore_glob_basics)
{
    CHECK_INT(ignore_glob("foo", "foo", 0), 1);
    CHECK_INT(ignore_glob("foo", "bar", 0), 0);
    CHECK_INT(ignore_glob("foo", "foobar", 0), 0);
    CHECK_INT(ignore_glob("", "", 0), 1);
    CHECK_INT(ignore_glob("???", "foo", 0), 1);
    CHECK_INT(ignore_glob("??", "foo", 0), 0);
    CHECK_INT(ignore_glob("*", "foo", 0), 1);
    CHECK_INT(ignore_glob("f*", "foo", 0), 1);
    CHECK_INT(ignore_glob("*f", "foo", 0), 0);
    CHECK_INT(ignore_glob("*ob*a*r*", "foobar", 0), 1);
    CHECK_INT(ignore_glob("*ab", "aaaaaaabababab", 0), 1);
    CHECK_INT(ignore_glob("a*a*a*a*a*a*a*b", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaac", 0), 0);
    /* Escapes make specials literal; a trailing "\" matches nothing. */
    CHECK_INT(ignore_glob("foo\\*", "foo*", 0), 1);
    CHECK_INT(ignore_glob("foo\\*", "foox", 0), 0);
    CHECK_INT(ignore_glob("\\#h", "#h", 0), 1);
    CHECK_INT(ignore_glob("f\\\\oo", "f\\oo", 0), 1);
    CHECK_INT(ignore_glob("foo\\", "foo", 0), 0);
    CHECK_INT(ignore_glob("foo\\", "foo\\", 0), 0);
}

TEST(ignore_glob_classes)
{
    CHECK_INT(ignore_glob("[a-c]x", "bx", 0), 1);
    CHECK_INT(ignore_glob("[a-c]x", "dx", 0), 0);
    CHECK_INT(ignore_glob("[!a-c]x", "bx", 0), 0);
    CHECK_INT(ignore_glob("[!a-c]x", "dx", 0), 1);
    CHECK_INT(ignore_glob("[^a-c]x", "dx", 0), 1);
    CHECK_INT(ignore_glob("[^a-c]x", "ax", 0), 0);
    /* A "]" right after "[" or "[!" is a member, not the end. */
    CHECK_INT(ignore_glob("[]]", "]", 0), 1);
    CHECK_INT(ignore_glob("[!]]", "]", 0), 0);
    CHECK_INT(ignore_glob("[!]]", "a", 0), 1);
    CHECK_INT(ignore_glob("[a-]", "-", 0), 1);
    CHECK_INT(ignore_glob("[\\]]", "]", 0), 1);
    CHECK_INT(ignore_glob("[[:digit:]]*", "7up", 0), 1);
    CHECK_INT(ignore_glob("[[:alpha:]]", "7", 0), 0);
    CHECK_INT(ignore_glob("[[:upper:][:digit:]]", "Q", 0), 1);
    CHECK_INT(ignore_glob("[[:space:]]", " ", 0), 1);
    CHECK_INT(ignore_glob("[[:xdigit:]]", "g", 0), 0);
    /* An unknown class name or an unclosed class fails the match. */
    CHECK_INT(ignore_glob("[[:bogus:]]", "a", 0), 0);
    CHECK_INT(ignore_glob("[a-", "a", 0), 0);
    CHECK_INT(ignore_glob("[ab", "a", 0), 0);
    /* Without ":]" the "[" inside a class is just a member. */
    CHECK_INT(ignore_glob("[[:]", "[", 0), 1);
}

TEST(ignore_glob_pathname_and_double_star)
{
    CHECK_INT(ignore_glob("foo/*", "foo/bar/baz", P), 0);
    CHECK_INT(ignore_glob("foo/*", "foo/bar/baz", 0), 1);
    CHECK_INT(ignore_glob("a?c", "a/c", P), 0);
    CHECK_INT(ignore_glob("a?c", "a/c", 0), 1);
    CHECK_INT(ignore_glob("a[/]c", "a/c", P), 0);
    CHECK_INT(ignore_glob("*.c", "dir/x.c", P), 0);
    CHECK_INT(ignore_glob("*/x.c", "dir/x.c", P), 1);
    CHECK_INT(ignore_glob("*/x.c", "a/dir/x.c", P), 0);

    CHECK_INT(ignore_glob("**/foo", "foo", P), 1);
    CHECK_INT(ignore_glob("**/foo", "a/b/foo", P), 1);
    CHECK_INT(ignore_glob("**/foo", "a/b/foox", P), 0);
    CHECK_INT(ignore_glob("a/**/b", "a/b", P), 1);
    CHECK_INT(ignore_glob("a/**/b", "a/x/y/b", P), 1);
    CHECK_INT(ignore_glob("a/**/b", "a/x/y/bc", P), 0);
    CHECK_INT(ignore_glob("a/**", "a/x/y", P), 1);
    CHECK_INT(ignore_glob("a/**", "a", P), 0);
    CHECK_INT(ignore_glob("**", "a/b/c", P), 1);
    /* "**" not forming a whole component is a plain "*". */
    CHECK_INT(ignore_glob("a**/b", "axy/b", P), 1);
    CHECK_INT(ignore_glob("a**/b", "a/x/b", P), 0);
    CHECK_INT(ignore_glob("a**b", "a/b", P), 0);
    CHECK_INT(ignore_glob("a**b", "axxb", P), 1);

    char big[IGNORE_MAX_PATTERN_LEN + 2];
    memset(big, '*', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    CHECK_INT(ignore_glob(big, "x", 0), CAIRN_ERR_TOOBIG);
}

/* Match rel against a single list. */
static int m1(ignore_list *l, const char *rel, int is_dir)
{
    return ignore_match(&l, 1, rel, is_dir);
}

TEST(ignore_parse_lines)
{
    ignore_list *l;
    REQUIRE(ignore_list_new("", &l) == CAIRN_OK);
    CHECK_INT(ignore_list_add(l, ""), CAIRN_OK);
    CHECK_INT(ignore_list_add(l, "# a comment"), CAIRN_OK);
    CHECK_INT(ignore_list_add(l, "   "), CAIRN_OK); /* all spaces: trimmed to nothing */
    CHECK_INT(ignore_list_count(l), 0);
    CHECK_INT(m1(l, "# a comment", 0), 0);

    CHECK_INT(ignore_list_add(l, "\\#hash"), CAIRN_OK);
    CHECK_INT(ignore_list_add(l, "\\!bang"), CAIRN_OK);
    CHECK_INT(ignore_list_add(l, "trail   "), CAIRN_OK);
    CHECK_INT(ignore_list_add(l, "keep\\ "), CAIRN_OK);
    CHECK_INT(ignore_list_add(l, "two\\  "), CAIRN_OK);
    CHECK_INT(ignore_list_add(l, "crlf\r"), CAIRN_OK);
    CHECK_INT(ignore_list_add(l, "tab\t"), CAIRN_OK);
    CHECK_INT(ignore_list_count(l), 7);

    CHECK_INT(m1(l, "#hash", 0), 1);
    CHECK_INT(m1(l, "\\#hash", 0), 0);
    CHECK_INT(m1(l, "!bang", 0), 1);
    CHECK_INT(m1(l, "bang", 0), 0);
    CHECK_INT(m1(l, "trail", 0), 1);
    CHECK_INT(m1(l, "trail ", 0), 0);
    CHECK_INT(m1(l, "keep ", 0), 1);
    CHECK_INT(m1(l, "keep", 0), 0);
    CHECK_INT(m1(l, "two ", 0), 1); /* escaped space kept, the next one trimmed */
    CHECK_INT(m1(l, "two  ", 0), 0);
    CHECK_INT(m1(l, "crlf", 0), 1);
    CHECK_INT(m1(l, "tab\t", 0), 1); /* only spaces are trimmed */
    CHECK_INT(m1(l, "tab", 0), 0);
    ignore_list_free(l);
}

TEST(ignore_anchoring_and_dir_only)
{
    ignore_list *l;
    REQUIRE(ignore_list_new("", &l) == CAIRN_OK);
    REQUIRE(ignore_list_add(l, "/top.txt") == CAIRN_OK);
    REQUIRE(ignore_list_add(l, "any.txt") == CAIRN_OK);
    REQUIRE(ignore_list_add(l, "doc/only.md") == CAIRN_OK);
    REQUIRE(ignore_list_add(l, "cache/") == CAIRN_OK);
    REQUIRE(ignore_list_add(l, "out/gen/") == CAIRN_OK);
    REQUIRE(ignore_list_add(l, "*.o") == CAIRN_OK);

    CHECK_INT(m1(l, "top.txt", 0), 1);
    CHECK_INT(m1(l, "sub/top.txt", 0), 0);
    CHECK_INT(m1(l, "any.txt", 0), 1);
    CHECK_INT(m1(l, "a/b/any.txt", 0), 1);
    CHECK_INT(m1(l, "doc/only.md", 0), 1);
    CHECK_INT(m1(l, "x/doc/only.md", 0), 0); /* a middle slash anchors too */
    CHECK_INT(m1(l, "cache", 1), 1);
    CHECK_INT(m1(l, "deep/er/cache", 1), 1);
    CHECK_INT(m1(l, "cache", 0), 0); /* a file named cache stays */
    CHECK_INT(m1(l, "out/gen", 1), 1);
    CHECK_INT(m1(l, "out/gen", 0), 0);
    CHECK_INT(m1(l, "x/out/gen", 1), 0);
    CHECK_INT(m1(l, "a/b.o", 0), 1);
    CHECK_INT(m1(l, "a/b.o/c", 0), 0);
    ignore_list_free(l);
}

TEST(ignore_negation_and_precedence)
{
    ignore_list *root, *sub;
    REQUIRE(ignore_list_new("", &root) == CAIRN_OK);
    REQUIRE(ignore_list_new("sub", &sub) == CAIRN_OK);
    CHECK_STR(ignore_list_base(sub), "sub");
    REQUIRE(ignore_list_add(root, "*.log") == CAIRN_OK);
    REQUIRE(ignore_list_add(root, "!important.log") == CAIRN_OK);
    REQUIRE(ignore_list_add(root, "tmp*") == CAIRN_OK);
    REQUIRE(ignore_list_add(sub, "!keep.log") == CAIRN_OK);
    REQUIRE(ignore_list_add(sub, "important.log") == CAIRN_OK);
    REQUIRE(ignore_list_add(sub, "/local") == CAIRN_OK);
    REQUIRE(ignore_list_add(sub, "x") == CAIRN_OK);
    ignore_list *both[] = {root, sub};

    /* Last matching line wins within a list. */
    CHECK_INT(ignore_match(both, 2, "a.log", 0), 1);
    CHECK_INT(ignore_match(both, 2, "important.log", 0), 0);
    CHECK_INT(ignore_match(both, 2, "d/important.log", 0), 0);
    /* The deeper list overrides the root one, in both directions. */
    CHECK_INT(ignore_match(both, 2, "sub/keep.log", 0), 0);
    CHECK_INT(ignore_match(both, 2, "sub/deeper/keep.log", 0), 0);
    CHECK_INT(ignore_match(both, 2, "sub/drop.log", 0), 1);
    CHECK_INT(ignore_match(both, 2, "sub/important.log", 0), 1);
    CHECK_INT(ignore_match(both, 2, "keep.log", 0), 1);
    /* A list applies only below its base; anchoring is relative to it. */
    CHECK_INT(ignore_match(both, 2, "sub/local", 0), 1);
    CHECK_INT(ignore_match(both, 2, "sub/a/local", 0), 0);
    CHECK_INT(ignore_match(both, 2, "local", 0), 0);
    CHECK_INT(ignore_match(both, 2, "x", 0), 0);
    CHECK_INT(ignore_match(both, 2, "subx/x", 0), 0);
    CHECK_INT(ignore_match(both, 2, "sub/q/x", 0), 1);
    CHECK_INT(ignore_match(both, 2, "sub", 1), 0);
    /* NULL entries in the stack are skipped. */
    ignore_list *gap[] = {NULL, root};
    CHECK_INT(ignore_match(gap, 2, "tmpfile", 0), 1);
    ignore_list_free(root);
    ignore_list_free(sub);
}

TEST(ignore_double_star_patterns)
{
    ignore_list *l;
    REQUIRE(ignore_list_new("proj", &l) == CAIRN_OK);
    REQUIRE(ignore_list_add(l, "**/gen/*.c") == CAIRN_OK);
    REQUIRE(ignore_list_add(l, "logs/**") == CAIRN_OK);
    REQUIRE(ignore_list_add(l, "!logs/keep/**") == CAIRN_OK);
    REQUIRE(ignore_list_add(l, "a/**/z") == CAIRN_OK);
    REQUIRE(ignore_list_add(l, "**/tmp/") == CAIRN_OK);

    CHECK_INT(m1(l, "proj/gen/x.c", 0), 1);
    CHECK_INT(m1(l, "proj/p/q/gen/x.c", 0), 1);
    CHECK_INT(m1(l, "proj/gen/sub/x.c", 0), 0);
    CHECK_INT(m1(l, "proj/logs", 1), 0); /* only what is inside logs */
    CHECK_INT(m1(l, "proj/logs/a/b.txt", 0), 1);
    CHECK_INT(m1(l, "proj/logs/keep/b.txt", 0), 0);
    CHECK_INT(m1(l, "proj/a/z", 0), 1);
    CHECK_INT(m1(l, "proj/a/b/c/z", 0), 1);
    CHECK_INT(m1(l, "proj/b/a/z", 0), 0);
    CHECK_INT(m1(l, "proj/x/y/tmp", 1), 1);
    CHECK_INT(m1(l, "proj/x/y/tmp", 0), 0);
    CHECK_INT(m1(l, "other/gen/x.c", 0), 0);
    ignore_list_free(l);
}

TEST(ignore_load_file_crlf_bom_and_errors)
{
    const char *dir = test_tmpdir();
    const char text[] = "\xef\xbb\xbf*.o\r\n# c\r\n\r\n!keep.o\r\nbuild/\nlast";
    test_write_file(dir, "gi", text, sizeof text - 1);
    char path[4096];
    snprintf(path, sizeof path, "%s/gi", dir);

    ignore_list *l = NULL;
    REQUIRE(ignore_list_load(path, "", &l) == CAIRN_OK);
    CHECK_INT(ignore_list_count(l), 4);
    CHECK_INT(m1(l, "a.o", 0), 1);      /* BOM did not stick to the first pattern */
    CHECK_INT(m1(l, "keep.o", 0), 0);   /* CR stripped before "!" took effect */
    CHECK_INT(m1(l, "build", 1), 1);
    CHECK_INT(m1(l, "last", 0), 1);     /* final line without a newline */
    ignore_list_free(l);

    snprintf(path, sizeof path, "%s/missing", dir);
    l = (ignore_list *)1;
    CHECK_INT(ignore_list_load(path, "", &l), CAIRN_ERR_NOTFOUND);
    CHECK(l == NULL);
    CHECK(strstr(err_msg(), "missing") != NULL);
    CHECK_INT(ignore_list_load(dir, "", &l), CAIRN_ERR_INVALID); /* a directory */
    CHECK(l == NULL);

    /* In-tree files are not followed through symlinks, as in git. */
    snprintf(path, sizeof path, "%s/link", dir);
    REQUIRE(symlink("gi", path) == 0);
    int dfd = open(dir, O_RDONLY | O_DIRECTORY);
    REQUIRE(dfd >= 0);
    CHECK_INT(ignore_list_load_at(dfd, "link", "", &l), CAIRN_ERR_INVALID);
    CHECK(l == NULL);
    REQUIRE(ignore_list_load_at(dfd, "gi", "sub", &l) == CAIRN_OK);
    CHECK_INT(m1(l, "sub/a.o", 0), 1);
    CHECK_INT(m1(l, "a.o", 0), 0);
    ignore_list_free(l);
    close(dfd);
}

TEST(ignore_caps_truncate_with_warning)
{
    const char *dir = test_tmpdir();
    ignore_list *l = NULL;

    /* More than IGNORE_MAX_PATTERNS patterns: the first ones are kept. */
    size_t n = IGNORE_MAX_PATTERNS + 50, cap = n * 16, len = 0;
    char *data = malloc(cap);
    REQUIRE(data != NULL);
    for (size_t i = 0; i < n; i++)
        len += (size_t)snprintf(data + len, cap - len, "p%zu\n", i);
    test_write_file(dir, "many", data, len);
    char path[4096];
    snprintf(path, sizeof path, "%s/many", dir);
    CHECK_INT(ignore_list_load(path, "", &l), CAIRN_ERR_TOOBIG);
    REQUIRE(l != NULL);
    CHECK(strstr(err_msg(), "patterns") != NULL);
    CHECK_INT(ignore_list_count(l), IGNORE_MAX_PATTERNS);
    CHECK_INT(m1(l, "p0", 0), 1);
    CHECK_INT(m1(l, "p9999", 0), 1);
    CHECK_INT(m1(l, "p10000", 0), 0);
    ignore_list_free(l);
    free(data);

    /* A file over IGNORE_MAX_FILE_BYTES: whole lines up to the cap are used. */
    cap = IGNORE_MAX_FILE_BYTES + 4096;
    data = malloc(cap);
    REQUIRE(data != NULL);
    /* "first", a long comment, "second" ending right at the cap, then a
     * comment and "late" past it. */
    memset(data, '#', cap);
    memcpy(data, "first\n", 6);
    memcpy(data + IGNORE_MAX_FILE_BYTES - 8, "\nsecond\n", 8);
    memcpy(data + cap - 6, "\nlate\n", 6);
    test_write_file(dir, "huge", data, cap);
    snprintf(path, sizeof path, "%s/huge", dir);
    CHECK_INT(ignore_list_load(path, "", &l), CAIRN_ERR_TOOBIG);
    REQUIRE(l != NULL);
    CHECK(strstr(err_msg(), "huge") != NULL);
    CHECK_INT(ignore_list_count(l), 2);
    CHECK_INT(m1(l, "first", 0), 1);
    CHECK_INT(m1(l, "second", 0), 1);
    CHECK_INT(m1(l, "late", 0), 0);
    ignore_list_free(l);
    free(data);

    /* An overlong line is skipped, the lines around it kept. */
    REQUIRE(ignore_list_new("", &l) == CAIRN_OK);
    size_t biglen = IGNORE_MAX_PATTERN_LEN + 10;
    char *buf = malloc(biglen + 32);
    REQUIRE(buf != NULL);
    memcpy(buf, "a\n", 2);
    memset(buf + 2, 'x', biglen);
    memcpy(buf + 2 + biglen, "\nb\n", 3);
    CHECK_INT(ignore_list_add_buffer(l, buf, biglen + 5, "mem"), CAIRN_ERR_TOOBIG);
    CHECK(strstr(err_msg(), "mem:2") != NULL);
    CHECK_INT(ignore_list_count(l), 2);
    CHECK_INT(m1(l, "b", 0), 1);
    ignore_list_free(l);
    free(buf);
}
