/*
 * test_gitdate.c — first-commit dates from a real repository built here
 * with libgit2, with commit times the test chooses.
 */
#include "tests/unit/test.h"

#include "indexer/docmeta.h"
#include "indexer/gitdate.h"
#include "store/docs.h"
#include "util/err.h"

#include <git2.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Commit every file of the work tree (git add -A) at time `when`. */
static int commit_all(git_repository *repo, int64_t when, const char *msg)
{
    git_index *idx = NULL;
    git_oid tree_id, commit_id, parent_id;
    git_tree *tree = NULL;
    git_commit *parent = NULL;
    git_signature *sig = NULL;
    int rc = git_repository_index(&idx, repo);
    if (!rc)
        rc = git_index_add_all(idx, NULL, 0, NULL, NULL);
    if (!rc)
        rc = git_index_write(idx);
    if (!rc)
        rc = git_index_write_tree(&tree_id, idx);
    if (!rc)
        rc = git_tree_lookup(&tree, repo, &tree_id);
    if (!rc)
        rc = git_signature_new(&sig, "Test", "test@example.com", (git_time_t)when, 0);
    int has_parent = !rc && git_reference_name_to_id(&parent_id, repo, "HEAD") == 0;
    if (!rc && has_parent)
        rc = git_commit_lookup(&parent, repo, &parent_id);
    const git_commit *parents[1] = {parent};
    if (!rc)
        rc = git_commit_create(&commit_id, repo, "HEAD", sig, sig, NULL, msg, tree,
                               has_parent ? 1 : 0, parents);
    git_commit_free(parent);
    git_signature_free(sig);
    git_tree_free(tree);
    git_index_free(idx);
    return rc;
}

TEST(gitdate_first_commit_of_each_file)
{
    git_libgit2_init();
    char root[PATH_MAX];
    REQUIRE(realpath(test_tmpdir(), root) != NULL);
    git_repository *repo = NULL;
    REQUIRE(git_repository_init(&repo, root, 0) == 0);
    test_write_file(root, "notes/a.md", "# A\n", 4);
    test_write_file(root, "code.c", "int x;\n", 7);
    REQUIRE(commit_all(repo, 1500000000, "first") == 0);
    test_write_file(root, "notes/a.md", "# A changed\n", 12);
    test_write_file(root, "notes/sub/b.md", "# B\n", 4);
    REQUIRE(commit_all(repo, 1600000000, "second") == 0);
    test_write_file(root, "notes/c.md", "# C, never committed\n", 21);

    gitdate *g = NULL;
    REQUIRE(gitdate_open(root, NULL, &g) == CAIRN_OK);
    int64_t when = 0;
    CHECK(gitdate_first(g, "notes/a.md", &when) == CAIRN_OK);
    CHECK_INT(when, 1500000000);
    CHECK(gitdate_first(g, "notes/sub/b.md", &when) == CAIRN_OK);
    CHECK_INT(when, 1600000000);
    CHECK(gitdate_first(g, "code.c", &when) == CAIRN_OK);
    CHECK_INT(gitdate_first(g, "notes/c.md", &when), CAIRN_ERR_NOTFOUND);
    CHECK(!gitdate_truncated(g));
    gitdate_free(g);

    /* A root inside the work tree sees paths relative to itself, and the
     * filter keeps out what the caller does not need. */
    char sub[PATH_MAX + 8];
    snprintf(sub, sizeof sub, "%s/notes", root);
    REQUIRE(gitdate_open(sub, NULL, &g) == CAIRN_OK);
    CHECK(gitdate_first(g, "sub/b.md", &when) == CAIRN_OK);
    CHECK_INT(when, 1600000000);
    CHECK_INT(gitdate_first(g, "code.c", &when), CAIRN_ERR_NOTFOUND);
    gitdate_free(g);

    git_repository_free(repo);
    git_libgit2_shutdown();
}

static int only_md(const char *rel)
{
    size_t n = strlen(rel);
    return n > 3 && strcmp(rel + n - 3, ".md") == 0;
}

TEST(gitdate_filter_and_no_repository)
{
    git_libgit2_init();
    char root[PATH_MAX];
    REQUIRE(realpath(test_tmpdir(), root) != NULL);
    char plain[PATH_MAX + 8], repo_dir[PATH_MAX + 8];
    snprintf(plain, sizeof plain, "%s/plain", root);
    snprintf(repo_dir, sizeof repo_dir, "%s/repo", root);
    REQUIRE(mkdir(plain, 0755) == 0);
    gitdate *g = NULL;
    CHECK_INT(gitdate_open(plain, NULL, &g), CAIRN_ERR_NOTFOUND);
    CHECK(g == NULL);

    git_repository *repo = NULL;
    REQUIRE(git_repository_init(&repo, repo_dir, 0) == 0);
    REQUIRE(gitdate_open(repo_dir, NULL, &g) == CAIRN_OK);
    int64_t when;
    CHECK_INT(gitdate_first(g, "x.md", &when), CAIRN_ERR_NOTFOUND); /* no commits yet */
    gitdate_free(g);

    test_write_file(repo_dir, "x.md", "x\n", 2);
    test_write_file(repo_dir, "y.py", "y\n", 2);
    REQUIRE(commit_all(repo, 1234567890, "one") == 0);
    REQUIRE(gitdate_open(repo_dir, only_md, &g) == CAIRN_OK);
    CHECK(gitdate_first(g, "x.md", &when) == CAIRN_OK);
    CHECK_INT(when, 1234567890);
    CHECK_INT(gitdate_first(g, "y.py", &when), CAIRN_ERR_NOTFOUND);
    gitdate_free(g);
    git_repository_free(repo);
    git_libgit2_shutdown();
}

/* The date a document gets: its own, else its first commit, else mtime. */
TEST(gitdate_docmeta_date_fallbacks)
{
    git_libgit2_init();
    char base[PATH_MAX], root[PATH_MAX + 8], idx[PATH_MAX + 8];
    REQUIRE(realpath(test_tmpdir(), base) != NULL);
    snprintf(root, sizeof root, "%s/notes", base);
    snprintf(idx, sizeof idx, "%s/idx", base);
    git_repository *repo = NULL;
    REQUIRE(git_repository_init(&repo, root, 0) == 0);
    test_write_file(root, "old.md", "# Old\n", 6);
    REQUIRE(commit_all(repo, 1600000000, "old note") == 0);
    test_write_file(root, "new.md", "# New\n", 6);

    store *s = NULL;
    docmeta *m = NULL;
    int64_t root_id, ids[3];
    REQUIRE(store_open(idx, STORE_WRITE, &s) == CAIRN_OK);
    REQUIRE(docmeta_new(root, NULL, NULL, &m) == CAIRN_OK);
    REQUIRE(store_begin(s) == CAIRN_OK);
    REQUIRE(store_root_ensure(s, root, &root_id) == CAIRN_OK);
    const char *paths[3] = {"old.md", "new.md", "dated.md"};
    for (int i = 0; i < 3; i++) {
        store_file f = {.root_id = root_id, .path = paths[i], .size = 6,
                        .mtime_ns = (int64_t)1700000000 * 1000000000, .hash = (uint64_t)i,
                        .lang = "markdown", .kind = "prose", .encoding = "utf-8"};
        REQUIRE(store_file_put(s, &f, &ids[i]) == CAIRN_OK);
        prose_doc d;
        prose_doc_init(&d);
        d.title = strdup(paths[i]);
        if (i == 2)
            d.date = strdup("2010-10-10");
        CHECK(docmeta_store(m, s, ids[i], paths[i], f.mtime_ns, &d) == CAIRN_OK);
        prose_doc_release(&d);
    }
    REQUIRE(store_commit(s) == CAIRN_OK);
    static const char *const want[3][2] = {{"2020-09-13T12:26:40Z", "git"},
                                           {"2023-11-14T22:13:20Z", "mtime"},
                                           {"2010-10-10", "document"}};
    for (int i = 0; i < 3; i++) {
        store_doc_row r;
        REQUIRE(store_doc_get(s, ids[i], &r) == CAIRN_OK);
        CHECK_STR(r.date, want[i][0]);
        CHECK_STR(r.date_source, want[i][1]);
        store_doc_row_release(&r);
    }
    docmeta_free(m);
    store_close(s);
    git_repository_free(repo);
    git_libgit2_shutdown();
}
