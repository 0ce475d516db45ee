/*
 * test_read.c — query/read: paths resolved inside the indexed roots only
 * (no "..", no symlink escapes, no absolute paths elsewhere, indexed files
 * only), and bounded line ranges with the indexer's line rules.
 */
#include "indexer/pipeline.h"
#include "query/read.h"
#include "store/store.h"
#include "util/err.h"
#include "test.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct fixture {
    char root[PATH_MAX];  /* the indexed root (canonical) */
    char other[PATH_MAX]; /* a sibling directory that is not indexed */
    store *s;
} fixture;

/* root/ with code, notes, an ignored file, links out and in; root-evil/
 * beside it, whose name starts with the root's. */
static int setup(fixture *fx)
{
    char *tmp = realpath(test_tmpdir(), NULL);
    if (!tmp)
        return 0;
    snprintf(fx->root, sizeof fx->root, "%s/root", tmp);
    snprintf(fx->other, sizeof fx->other, "%s/root-evil", tmp);
    free(tmp);
    test_write_file(fx->root, "src/app.py", "def main():\n    return 1\n", 25);
    test_write_file(fx->root, "notes/crlf.md", "# T\r\nline two\r\nthree\rfour", 25);
    test_write_file(fx->root, ".gitignore", "secret.env\n", 11);
    test_write_file(fx->root, "secret.env", "TOKEN=hunter2\n", 14);
    test_write_file(fx->root, "empty.txt", "", 0);
    test_write_file(fx->other, "loot.txt", "outside the root\n", 17);
    char link[PATH_MAX * 2], target[PATH_MAX * 2];
    snprintf(link, sizeof link, "%s/escape.txt", fx->root);
    if (symlink("/etc/passwd", link) != 0)
        return 0;
    snprintf(link, sizeof link, "%s/evil", fx->root);
    if (symlink(fx->other, link) != 0)
        return 0;
    snprintf(link, sizeof link, "%s/alias.py", fx->root);
    snprintf(target, sizeof target, "%s/src/app.py", fx->root);
    if (symlink(target, link) != 0)
        return 0;
    char dir[PATH_MAX + 8];
    snprintf(dir, sizeof dir, "%s/../idx", fx->root);
    if (store_open(dir, STORE_WRITE, &fx->s) != CAIRN_OK)
        return 0;
    pipeline_opts po;
    pipeline_opts_init(&po);
    pipeline_stats st = {0};
    return pipeline_index_root(fx->s, fx->root, &po, &st) == CAIRN_OK && st.added >= 3;
}

static int resolve(fixture *fx, const char *path, read_target *t)
{
    int rc = read_resolve(fx->s, path, t);
    if (rc)
        read_target_release(t);
    return rc;
}

TEST(read_resolves_relative_and_absolute_paths_inside_the_root)
{
    fixture fx = {0};
    REQUIRE(setup(&fx));
    read_target t;
    CHECK_INT(resolve(&fx, "src/app.py", &t), CAIRN_OK);
    CHECK_STR(t.rel, "src/app.py");
    CHECK_STR(t.root, fx.root);
    CHECK(t.file_id > 0);
    read_target_release(&t);
    char abs[PATH_MAX * 2];
    snprintf(abs, sizeof abs, "%s/src/app.py", fx.root);
    CHECK_INT(resolve(&fx, abs, &t), CAIRN_OK);
    CHECK_STR(t.rel, "src/app.py");
    read_target_release(&t);
    CHECK_INT(resolve(&fx, "./src//app.py", &t), CAIRN_OK);
    read_target_release(&t);
    /* A link that stays inside lands on the indexed file it points to. */
    CHECK_INT(resolve(&fx, "alias.py", &t), CAIRN_OK);
    CHECK_STR(t.rel, "src/app.py");
    read_target_release(&t);
    store_close(fx.s);
}

TEST(read_refuses_every_way_out_of_the_root)
{
    fixture fx = {0};
    REQUIRE(setup(&fx));
    read_target t;
    char p[PATH_MAX * 2];
    CHECK_INT(resolve(&fx, "../root-evil/loot.txt", &t), CAIRN_ERR_PERM);
    CHECK(strstr(err_msg(), "'..'") != NULL);
    CHECK_INT(resolve(&fx, "src/../src/app.py", &t), CAIRN_ERR_PERM);
    CHECK_INT(resolve(&fx, "..", &t), CAIRN_ERR_PERM);
    CHECK_INT(resolve(&fx, "/etc/passwd", &t), CAIRN_ERR_PERM);
    CHECK(strstr(err_msg(), "outside the indexed roots") != NULL);
    snprintf(p, sizeof p, "%s/loot.txt", fx.other);
    CHECK_INT(resolve(&fx, p, &t), CAIRN_ERR_PERM); /* shares the root's prefix */
    snprintf(p, sizeof p, "%s/does-not-exist", fx.other);
    CHECK_INT(resolve(&fx, p, &t), CAIRN_ERR_PERM); /* refused before looking */
    CHECK_INT(resolve(&fx, "escape.txt", &t), CAIRN_ERR_PERM);
    CHECK(strstr(err_msg(), "symbolic link") != NULL);
    CHECK_INT(resolve(&fx, "evil/loot.txt", &t), CAIRN_ERR_PERM);
    snprintf(p, sizeof p, "%s/evil/loot.txt", fx.root);
    CHECK_INT(resolve(&fx, p, &t), CAIRN_ERR_PERM);
    store_close(fx.s);
}

TEST(read_refuses_files_the_index_does_not_hold)
{
    fixture fx = {0};
    REQUIRE(setup(&fx));
    read_target t;
    CHECK_INT(resolve(&fx, "secret.env", &t), CAIRN_ERR_NOTFOUND);
    CHECK(strstr(err_msg(), "not in the index") != NULL);
    CHECK_INT(resolve(&fx, "src", &t), CAIRN_ERR_NOTFOUND);
    CHECK_INT(resolve(&fx, "no/such.py", &t), CAIRN_ERR_NOTFOUND);
    CHECK_INT(resolve(&fx, fx.root, &t), CAIRN_ERR_NOTFOUND);
    CHECK_INT(resolve(&fx, "", &t), CAIRN_ERR_INVALID);
    char *longpath = malloc(PATH_MAX + 10);
    REQUIRE(longpath);
    memset(longpath, 'a', PATH_MAX + 9);
    longpath[PATH_MAX + 9] = '\0';
    CHECK_INT(resolve(&fx, longpath, &t), CAIRN_ERR_INVALID);
    free(longpath);
    store_close(fx.s);
}

TEST(read_resolve_in_checks_one_root)
{
    fixture fx = {0};
    REQUIRE(setup(&fx));
    store_root *roots = NULL;
    size_t n = 0;
    REQUIRE(store_roots_list(fx.s, &roots, &n) == CAIRN_OK && n == 1);
    read_target t;
    CHECK_INT(read_resolve_in(fx.s, &roots[0], "src/app.py", &t), CAIRN_OK);
    read_target_release(&t);
    CHECK_INT(read_resolve_in(fx.s, &roots[0], "/src/app.py", &t), CAIRN_OK);
    read_target_release(&t);
    CHECK_INT(read_resolve_in(fx.s, &roots[0], "escape.txt", &t), CAIRN_ERR_PERM);
    CHECK_INT(read_resolve_in(fx.s, &roots[0], "../root-evil/loot.txt", &t), CAIRN_ERR_PERM);
    store_roots_free(roots, n);
    store_close(fx.s);
}

TEST(read_span_counts_lines_like_the_indexer)
{
    fixture fx = {0};
    REQUIRE(setup(&fx));
    read_target t;
    REQUIRE(resolve(&fx, "notes/crlf.md", &t) == CAIRN_OK);
    read_span sp;
    REQUIRE(read_span_get(&t, 0, 0, READ_MAX_LINES, READ_MAX_BYTES, &sp) == CAIRN_OK);
    CHECK_INT(sp.total_lines, 4); /* "\r\n", "\r\n", a lone "\r", an unterminated line */
    CHECK_INT(sp.start_line, 1);
    CHECK_INT(sp.end_line, 4);
    CHECK_STR(sp.text, "# T\r\nline two\r\nthree\rfour");
    CHECK(!sp.truncated);
    read_span_release(&sp);
    REQUIRE(read_span_get(&t, 2, 3, READ_MAX_LINES, READ_MAX_BYTES, &sp) == CAIRN_OK);
    CHECK_STR(sp.text, "line two\r\nthree\r");
    read_span_release(&sp);
    REQUIRE(read_span_get(&t, 3, 99, READ_MAX_LINES, READ_MAX_BYTES, &sp) == CAIRN_OK);
    CHECK_STR(sp.text, "three\rfour");
    CHECK_INT(sp.end_line, 4);
    CHECK(!sp.truncated);
    read_span_release(&sp);
    CHECK_INT(read_span_get(&t, 5, 0, READ_MAX_LINES, READ_MAX_BYTES, &sp), CAIRN_ERR_INVALID);
    CHECK(strstr(err_msg(), "past the end") != NULL);
    CHECK_INT(read_span_get(&t, 3, 2, READ_MAX_LINES, READ_MAX_BYTES, &sp), CAIRN_ERR_INVALID);
    read_target_release(&t);
    REQUIRE(resolve(&fx, "empty.txt", &t) == CAIRN_OK);
    REQUIRE(read_span_get(&t, 0, 0, READ_MAX_LINES, READ_MAX_BYTES, &sp) == CAIRN_OK);
    CHECK_INT(sp.total_lines, 0);
    CHECK_INT(sp.end_line, 0);
    CHECK_STR(sp.text, "");
    read_span_release(&sp);
    read_target_release(&t);
    store_close(fx.s);
}

TEST(read_span_stops_at_the_caps)
{
    fixture fx = {0};
    REQUIRE(setup(&fx));
    /* Three lines, the first one long and made of two-byte characters. */
    char text[64] = "";
    for (int i = 0; i < 10; i++)
        strcat(text, "é");
    strcat(text, "\nb\nc\n");
    test_write_file(fx.root, "wide.txt", text, strlen(text));
    pipeline_opts po;
    pipeline_opts_init(&po);
    pipeline_stats st = {0};
    REQUIRE(pipeline_index_root(fx.s, fx.root, &po, &st) == CAIRN_OK);
    read_target t;
    REQUIRE(resolve(&fx, "wide.txt", &t) == CAIRN_OK);
    read_span sp;
    REQUIRE(read_span_get(&t, 2, 0, 1, READ_MAX_BYTES, &sp) == CAIRN_OK);
    CHECK_STR(sp.text, "b\n");
    CHECK_INT(sp.end_line, 2);
    CHECK(sp.truncated);
    read_span_release(&sp);
    REQUIRE(read_span_get(&t, 0, 0, 100, 24, &sp) == CAIRN_OK);
    CHECK_STR(sp.text, "éééééééééé\nb\n"); /* whole lines only */
    CHECK(sp.truncated);
    read_span_release(&sp);
    /* A first line over the byte cap is cut at a character boundary. */
    REQUIRE(read_span_get(&t, 0, 0, 100, 5, &sp) == CAIRN_OK);
    CHECK_STR(sp.text, "éé");
    CHECK_INT(sp.end_line, 1);
    CHECK(sp.truncated);
    read_span_release(&sp);
    read_target_release(&t);
    store_close(fx.s);
}
