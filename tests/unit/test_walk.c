/*
 * test_walk.c — file discovery on real trees, checked against git itself.
 */
#include "indexer/walk.h"
#include "tests/unit/test.h"
#include "util/buf.h"
#include "util/err.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* What a walk produced: files in visit order, skips as "reason rel". */
typedef struct collect {
    buf files;
    buf skips;
    char root[PATH_MAX]; /* resolved root, to make skip paths relative */
    int stop_at;         /* return 42 from on_file number stop_at (1-based) */
    int nfiles;
    const char *unlink_on_first[3]; /* removed when the first file is seen */
    int check_entry;     /* compare each entry with stat() */
    int entry_mismatch;
} collect;

static void collect_init(collect *c, const char *root)
{
    memset(c, 0, sizeof *c);
    buf_init(&c->files, 0);
    buf_init(&c->skips, 0);
    if (!realpath(root, c->root))
        snprintf(c->root, sizeof c->root, "%s", root);
}

static void collect_release(collect *c)
{
    buf_release(&c->files);
    buf_release(&c->skips);
}

static const char *rel_of(const collect *c, const char *path)
{
    size_t n = strlen(c->root);
    if (strncmp(path, c->root, n) == 0 && path[n] == '/')
        return path + n + 1;
    return strncmp(path, c->root, n) == 0 && !path[n] ? "" : path;
}

static int on_file(void *ctx, const walk_entry *e)
{
    collect *c = ctx;
    c->nfiles++;
    buf_printf(&c->files, "%s\n", e->rel);
    if (c->check_entry) {
        struct stat st;
        char want[PATH_MAX + 2];
        snprintf(want, sizeof want, "%s/%s", c->root, e->rel);
        if (strcmp(want, e->path) != 0 || stat(e->path, &st) != 0 ||
            (uint64_t)st.st_size != e->size || (uint64_t)st.st_ino != e->ino ||
            (uint64_t)st.st_dev != e->dev ||
            (int64_t)st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec != e->mtime_ns)
            c->entry_mismatch++;
    }
    if (c->nfiles == 1)
        for (int i = 0; i < 3 && c->unlink_on_first[i]; i++)
            if (remove(c->unlink_on_first[i]) != 0)
                perror(c->unlink_on_first[i]);
    return c->nfiles == c->stop_at ? 42 : 0;
}

static void on_skip(void *ctx, const char *path, walk_skip reason, const char *detail)
{
    collect *c = ctx;
    (void)detail;
    buf_printf(&c->skips, "%s %s\n", walk_skip_name(reason), rel_of(c, path));
}

static const char *join(char *out, const char *dir, const char *name)
{
    int n = snprintf(out, PATH_MAX, "%s/%s", dir, name);
    if (n < 0 || n >= PATH_MAX) {
        fprintf(stderr, "test: path too long: %s/%s\n", dir, name);
        exit(2);
    }
    return out;
}

static void put(const char *dir, const char *name, const char *text)
{
    test_write_file(dir, name, text, strlen(text));
}

static void mkdir_in(const char *dir, const char *name)
{
    char p[PATH_MAX];
    if (mkdir(join(p, dir, name), 0755) != 0 && errno != EEXIST) {
        perror(p);
        exit(2);
    }
}

static int walk_collect(const char *root, const walk_opts *o, collect *c)
{
    return walk_root(root, o, on_file, on_skip, c);
}

TEST(walk_sorted_deterministic_order)
{
    const char *dir = test_tmpdir();
    put(dir, "b", "b");
    put(dir, "a.txt", "a");
    put(dir, "a/z", "z");
    put(dir, "a/B", "B");
    put(dir, "A", "A");
    put(dir, "_", "_");
    put(dir, "a-b/x", "x");
    collect c1, c2;
    collect_init(&c1, dir);
    collect_init(&c2, dir);
    c1.check_entry = 1;
    walk_stats st;
    walk_opts o;
    walk_opts_init(&o);
    o.stats = &st;
    REQUIRE(walk_collect(dir, &o, &c1) == CAIRN_OK);
    /* strcmp order within each directory, depth first. */
    CHECK_STR(buf_str(&c1.files), "A\n_\na/B\na/z\na-b/x\na.txt\nb\n");
    CHECK_INT(c1.entry_mismatch, 0);
    CHECK_INT(st.files, 7);
    CHECK_INT(st.dirs, 3);
    REQUIRE(walk_collect(dir, &o, &c2) == CAIRN_OK);
    CHECK_STR(buf_str(&c2.files), buf_str(&c1.files));
    CHECK_STR(buf_str(&c1.skips), "");
    collect_release(&c1);
    collect_release(&c2);
}

TEST(walk_opts_defaults)
{
    walk_opts o;
    memset(&o, 0x5a, sizeof o);
    walk_opts_init(&o);
    CHECK_INT(o.max_size, 2 << 20);
    CHECK_INT(o.follow_symlinks, 0);
    CHECK_INT(o.use_gitignore, 1);
    CHECK(o.skip_dirs == NULL);
    CHECK(o.stats == NULL);
}

TEST(walk_nested_gitignore_with_negation)
{
    const char *dir = test_tmpdir();
    put(dir, ".gitignore", "*.log\nbuild/\n/top.txt\ndoc/only.md\ncache/\n");
    put(dir, "x.log", "");
    put(dir, "top.txt", "");
    put(dir, "keep.c", "");
    put(dir, "build/out.c", "");
    put(dir, "cache", "a file, so the dir-only pattern spares it");
    put(dir, "doc/only.md", "");
    put(dir, "doc/other.md", "");
    put(dir, "sub/.gitignore", "!keep.log\n!build/\n/local\n");
    put(dir, "sub/keep.log", "");
    put(dir, "sub/drop.log", "");
    put(dir, "sub/top.txt", "");
    put(dir, "sub/local", "");
    put(dir, "sub/deep/local", "");
    put(dir, "sub/build/y.c", "");
    put(dir, "sub/cache/z", "");
    put(dir, "sub/doc/only.md", "");
    /* Negation cannot reach into an excluded directory. */
    put(dir, "build/.gitignore", "!*\n");
    put(dir, "build/keep.log", "");

    collect c;
    collect_init(&c, dir);
    walk_stats st;
    walk_opts o;
    walk_opts_init(&o);
    o.stats = &st;
    REQUIRE(walk_collect(dir, &o, &c) == CAIRN_OK);
    CHECK_STR(buf_str(&c.files), ".gitignore\ncache\ndoc/other.md\nkeep.c\n"
                                 "sub/.gitignore\nsub/build/y.c\nsub/deep/local\n"
                                 "sub/doc/only.md\nsub/keep.log\nsub/top.txt\n");
    /* x.log top.txt build doc/only.md sub/cache sub/drop.log sub/local */
    CHECK_INT(st.ignored, 7);
    CHECK_STR(buf_str(&c.skips), "");

    /* use_gitignore off: everything is listed. */
    collect c2;
    collect_init(&c2, dir);
    o.use_gitignore = 0;
    REQUIRE(walk_collect(dir, &o, &c2) == CAIRN_OK);
    CHECK_INT(c2.nfiles, 19);
    CHECK_INT(st.ignored, 0);
    collect_release(&c);
    collect_release(&c2);
}

TEST(walk_double_star_and_info_exclude)
{
    const char *dir = test_tmpdir();
    mkdir_in(dir, ".git");
    put(dir, ".git/HEAD", "ref: refs/heads/main\n");
    put(dir, ".git/info/exclude", "# local\nsecret/\n*.key\n!keep.tmp\n");
    /* logs/lost stays out: the "logs" pattern excludes the directory
     * logs/lost itself and its negation only names what is inside it. */
    put(dir, ".gitignore", "**/gen/*.c\nlogs/**\n!logs/keep/\n!logs/keep/**\n!logs/lost/**\n"
                           "a/**/z\n!public.key\n*.tmp\n");
    put(dir, "gen/x.c", "");
    put(dir, "p/q/gen/y.c", "");
    put(dir, "p/q/gen/sub/kept.c", "");
    put(dir, "logs/a/b.txt", "");
    put(dir, "logs/keep/c.txt", "");
    put(dir, "logs/lost/d.txt", "");
    put(dir, "a/z", "");
    put(dir, "a/b/c/z", "");
    put(dir, "b/a/z", "");
    put(dir, "secret/pw", "");
    put(dir, "x.key", "");
    put(dir, "public.key", ""); /* .gitignore outranks info/exclude */
    put(dir, "keep.tmp", "");

    collect c;
    collect_init(&c, dir);
    REQUIRE(walk_collect(dir, NULL, &c) == CAIRN_OK);
    CHECK_STR(buf_str(&c.files), ".gitignore\nb/a/z\nlogs/keep/c.txt\np/q/gen/sub/kept.c\n"
                                 "public.key\n");
    collect_release(&c);

    /* A worktree-style .git file pointing at the git directory. */
    char gd[PATH_MAX], p[PATH_MAX];
    snprintf(gd, sizeof gd, "%s/.git", dir);
    REQUIRE(rename(gd, join(p, dir, "realgit")) == 0);
    put(dir, ".git", "gitdir: realgit\n");
    collect_init(&c, dir);
    REQUIRE(walk_collect(dir, NULL, &c) == CAIRN_OK);
    CHECK(strstr(buf_str(&c.files), "x.key") == NULL);
    CHECK(strstr(buf_str(&c.files), "realgit/HEAD") != NULL);
    CHECK(strstr(buf_str(&c.files), ".git\n") == NULL);
    collect_release(&c);
}

TEST(walk_symlink_loop_follow_off_and_on)
{
    const char *dir = test_tmpdir();
    char p[PATH_MAX];
    put(dir, "a/f.txt", "f");
    put(dir, "b.txt", "b");
    REQUIRE(symlink("..", join(p, dir, "a/loop")) == 0);
    REQUIRE(symlink("self", join(p, dir, "self")) == 0);

    collect c;
    collect_init(&c, dir);
    walk_stats st;
    walk_opts o;
    walk_opts_init(&o);
    o.stats = &st;
    REQUIRE(walk_collect(dir, &o, &c) == CAIRN_OK);
    CHECK_STR(buf_str(&c.files), "a/f.txt\nb.txt\n");
    CHECK_STR(buf_str(&c.skips), "symlink a/loop\nsymlink self\n");
    CHECK_INT(st.skipped[WALK_SKIP_SYMLINK], 2);
    collect_release(&c);

    collect_init(&c, dir);
    o.follow_symlinks = 1;
    REQUIRE(walk_collect(dir, &o, &c) == CAIRN_OK);
    CHECK_STR(buf_str(&c.files), "a/f.txt\nb.txt\n");
    CHECK_STR(buf_str(&c.skips), "loop a/loop\nsymlink self\n");
    CHECK_INT(st.skipped[WALK_SKIP_LOOP], 1);
    collect_release(&c);
}

TEST(walk_symlinks_outside_root_never_followed)
{
    const char *top = test_tmpdir();
    char root[PATH_MAX], p[PATH_MAX];
    join(root, top, "root");
    put(top, "outside/secret.txt", "secret");
    put(root, "sub/x.txt", "x");
    REQUIRE(symlink("../outside", join(p, root, "out")) == 0);
    REQUIRE(symlink("../outside/secret.txt", join(p, root, "outfile")) == 0);
    REQUIRE(symlink(top, join(p, root, "abs")) == 0);
    REQUIRE(symlink("sub/x.txt", join(p, root, "inlink.txt")) == 0);
    REQUIRE(symlink("sub", join(p, root, "zlink")) == 0);

    collect c;
    collect_init(&c, root);
    walk_opts o;
    walk_opts_init(&o);
    REQUIRE(walk_collect(root, &o, &c) == CAIRN_OK);
    CHECK_STR(buf_str(&c.files), "sub/x.txt\n");
    CHECK_STR(buf_str(&c.skips),
              "symlink abs\nsymlink inlink.txt\nsymlink out\nsymlink outfile\nsymlink zlink\n");
    collect_release(&c);

    collect_init(&c, root);
    o.follow_symlinks = 1;
    REQUIRE(walk_collect(root, &o, &c) == CAIRN_OK);
    /* A link to a file inside the root is reported under the link's name;
     * a directory reached a second time is a loop. */
    CHECK_STR(buf_str(&c.files), "inlink.txt\nsub/x.txt\n");
    CHECK_STR(buf_str(&c.skips),
              "outside root abs\noutside root out\noutside root outfile\nloop zlink\n");
    CHECK(strstr(buf_str(&c.files), "secret") == NULL);
    collect_release(&c);

    /* A root reached through a symlink is reported by its resolved path. */
    collect_init(&c, root);
    c.check_entry = 1;
    REQUIRE(symlink("root", join(p, top, "rootlink")) == 0);
    REQUIRE(walk_collect(p, NULL, &c) == CAIRN_OK);
    CHECK_STR(buf_str(&c.files), "sub/x.txt\n");
    CHECK_INT(c.entry_mismatch, 0);
    collect_release(&c);
}

/* Walk dir as an unprivileged user in a child process; exit status 0 when
 * the locked directory was reported UNREADABLE and the walk went on, 3 when
 * privileges could not be dropped. */
static int walk_as_nobody(const char *dir)
{
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        if (setgid(65534) != 0 || setuid(65534) != 0)
            _exit(3);
        collect c;
        collect_init(&c, dir);
        int rc = walk_collect(dir, NULL, &c);
        int ok = rc == CAIRN_OK && !strcmp(buf_str(&c.files), "a.txt\nz.txt\n") &&
                 !strcmp(buf_str(&c.skips), "unreadable locked\n");
        if (!ok)
            fprintf(stderr, "    as nobody: rc=%d files=[%s] skips=[%s]\n", rc,
                    buf_str(&c.files), buf_str(&c.skips));
        char locked[PATH_MAX];
        /* The root itself unreadable: a PERM error naming it. */
        int prc = walk_collect(join(locked, dir, "locked"), NULL, &c);
        if (prc != CAIRN_ERR_PERM || !strstr(err_msg(), "locked")) {
            fprintf(stderr, "    as nobody, locked root: rc=%d %s\n", prc, err_msg());
            ok = 0;
        }
        collect_release(&c);
        _exit(ok ? 0 : 1);
    }
    int status;
    if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
        return -1;
    return WEXITSTATUS(status);
}

TEST(walk_unreadable_directory_is_reported_and_walk_continues)
{
    const char *dir = test_tmpdir();
    char p[PATH_MAX];
    put(dir, "a.txt", "a");
    put(dir, "locked/inside.txt", "i");
    put(dir, "z.txt", "z");
    REQUIRE(chmod(join(p, dir, "locked"), 0) == 0);

    if (geteuid() != 0) {
        collect c;
        collect_init(&c, dir);
        walk_stats st;
        walk_opts o;
        walk_opts_init(&o);
        o.stats = &st;
        REQUIRE(walk_collect(dir, &o, &c) == CAIRN_OK);
        CHECK_STR(buf_str(&c.files), "a.txt\nz.txt\n");
        CHECK_STR(buf_str(&c.skips), "unreadable locked\n");
        CHECK_INT(st.skipped[WALK_SKIP_UNREADABLE], 1);
        CHECK_INT(walk_collect(p, NULL, &c), CAIRN_ERR_PERM);
        collect_release(&c);
    } else {
        /* chmod does not stop root: drop to nobody in a child instead. */
        REQUIRE(chmod(dir, 0755) == 0);
        int rc = walk_as_nobody(dir);
        if (rc == 3)
            fprintf(stderr, "    skipped: running as root and cannot drop privileges, "
                            "so chmod 000 does not make a directory unreadable\n");
        else
            CHECK_INT(rc, 0);
    }
    chmod(p, 0755);
}

TEST(walk_size_cap_fifo_depth_and_pruned_dirs)
{
    const char *dir = test_tmpdir();
    char p[PATH_MAX], idx[PATH_MAX];
    put(dir, "ten", "0123456789");
    put(dir, "eleven", "0123456789A");
    REQUIRE(mkfifo(join(p, dir, "pipe"), 0644) == 0);
    put(dir, "d1/f1", "");
    put(dir, "d1/d2/f2", "");
    put(dir, "d1/d2/d3/f3", "");
    put(dir, ".git/config", "");
    put(dir, ".cairn/index.db", "");
    put(dir, ".hg/store", "");
    put(dir, ".svn/entries", "");
    put(dir, "myindex/data", "");
    put(dir, "sub/.git", "gitdir: ../.git/modules/sub\n"); /* submodule pointer */
    put(dir, "sub/code.c", "");

    collect c;
    collect_init(&c, dir);
    walk_stats st;
    walk_opts o;
    walk_opts_init(&o);
    o.stats = &st;
    o.max_size = 10;
    o.max_depth = 2;
    join(idx, dir, "myindex");
    const char *skip_dirs[] = {idx, "/nonexistent/cairn/dir", NULL};
    o.skip_dirs = skip_dirs;
    REQUIRE(walk_collect(dir, &o, &c) == CAIRN_OK);
    CHECK_STR(buf_str(&c.files), "d1/d2/f2\nd1/f1\nsub/code.c\nten\n");
    CHECK_STR(buf_str(&c.skips), "too deep d1/d2/d3\ntoo big eleven\nspecial file pipe\n");
    CHECK_INT(st.skipped[WALK_SKIP_TOO_BIG], 1);
    CHECK_INT(st.skipped[WALK_SKIP_SPECIAL], 1);
    CHECK_INT(st.skipped[WALK_SKIP_TOO_DEEP], 1);
    CHECK_INT(st.pruned, 6);
    collect_release(&c);

    /* max_size 0 lifts the cap. */
    collect_init(&c, dir);
    o.max_size = 0;
    REQUIRE(walk_collect(dir, &o, &c) == CAIRN_OK);
    CHECK(strstr(buf_str(&c.files), "eleven\n") != NULL);
    collect_release(&c);
}

TEST(walk_stop_vanished_and_root_errors)
{
    const char *dir = test_tmpdir();
    char b[PATH_MAX], e[PATH_MAX], p[PATH_MAX];
    put(dir, "a", "");
    put(dir, "b", "");
    mkdir_in(dir, "c");
    put(dir, "d", "");
    put(dir, "e/f", "");

    /* Removed between readdir and stat/open: passed over, counted. */
    collect c;
    collect_init(&c, dir);
    c.unlink_on_first[0] = join(b, dir, "b");
    c.unlink_on_first[1] = join(e, dir, "c");
    walk_stats st;
    walk_opts o;
    walk_opts_init(&o);
    o.stats = &st;
    REQUIRE(walk_collect(dir, &o, &c) == CAIRN_OK);
    CHECK_STR(buf_str(&c.files), "a\nd\ne/f\n");
    CHECK_INT(st.vanished, 2);
    CHECK_STR(buf_str(&c.skips), "");
    collect_release(&c);

    /* A nonzero on_file return stops the walk and comes back. */
    collect_init(&c, dir);
    c.stop_at = 2;
    CHECK_INT(walk_collect(dir, &o, &c), 42);
    CHECK_STR(buf_str(&c.files), "a\nd\n");
    collect_release(&c);

    collect_init(&c, dir);
    CHECK_INT(walk_collect(join(p, dir, "missing"), NULL, &c), CAIRN_ERR_NOTFOUND);
    CHECK(strstr(err_msg(), p) != NULL);
    CHECK_INT(walk_collect(join(p, dir, "a"), NULL, &c), CAIRN_ERR_IO);
    CHECK(strstr(err_msg(), "not a directory") != NULL);
    CHECK_INT(c.nfiles, 0);
    collect_release(&c);
}

TEST(walk_capped_gitignore_is_reported_and_partly_used)
{
    const char *dir = test_tmpdir();
    buf gi;
    buf_init(&gi, 0);
    buf_puts(&gi, "first.txt\n");
    for (int i = 0; i < 10050; i++)
        buf_printf(&gi, "p%d\n", i);
    test_write_file(dir, ".gitignore", gi.data, gi.len);
    buf_release(&gi);
    put(dir, "first.txt", "");
    put(dir, "p10049", "");
    put(dir, "other", "");

    collect c;
    collect_init(&c, dir);
    REQUIRE(walk_collect(dir, NULL, &c) == CAIRN_OK);
    CHECK_STR(buf_str(&c.files), ".gitignore\nother\np10049\n");
    CHECK_STR(buf_str(&c.skips), "ignore file .gitignore\n");
    collect_release(&c);
}

/* ---- differential tests against git ------------------------------------ */

static int have_git(void)
{
    return system("git --version >/dev/null 2>&1") == 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Split s on sep (modified in place), sort, rejoin with "\n" into out. */
static void sorted_lines(char *s, size_t len, char sep, buf *out)
{
    size_t n = 0, cap = 1024;
    char **v = malloc(cap * sizeof *v);
    char *start = s;
    for (size_t i = 0; i <= len; i++) {
        if (i < len && s[i] != sep)
            continue;
        if (i < len)
            s[i] = '\0';
        if (s + i > start) {
            if (n == cap)
                v = realloc(v, (cap *= 2) * sizeof *v);
            v[n++] = start;
        }
        start = s + i + 1;
    }
    qsort(v, n, sizeof *v, cmp_str);
    for (size_t i = 0; i < n; i++)
        buf_printf(out, "%s\n", v[i]);
    free(v);
}

/* Make root a git repository (after the caller wrote its tree) with
 * exclude_lines in info/exclude, then check that git's list of untracked,
 * not ignored files equals the walk's. */
static void compare_with_git(const char *root, const char *exclude_lines, size_t *nfiles)
{
    const char *top = test_tmpdir();
    char cmd[4 * PATH_MAX], listfile[PATH_MAX];
    /* Keep the user's global excludes and config out of git's answer. */
    char env[2 * PATH_MAX];
    snprintf(env, sizeof env, "HOME='%s' XDG_CONFIG_HOME='%s' GIT_CONFIG_NOSYSTEM=1", top, top);
    snprintf(cmd, sizeof cmd, "cd '%s' && %s git init -q . >/dev/null 2>&1", root, env);
    REQUIRE(system(cmd) == 0);
    if (exclude_lines)
        put(root, ".git/info/exclude", exclude_lines);
    join(listfile, top, "git-list");
    snprintf(cmd, sizeof cmd,
             "cd '%s' && %s git ls-files -z --others --cached --exclude-standard > '%s'", root,
             env, listfile);
    REQUIRE(system(cmd) == 0);

    buf raw, want, got;
    buf_init(&raw, 0);
    buf_init(&want, 0);
    buf_init(&got, 0);
    FILE *f = fopen(listfile, "rb");
    REQUIRE(f != NULL);
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        buf_append(&raw, chunk, n);
    fclose(f);
    sorted_lines(raw.data, raw.len, '\0', &want);

    collect c;
    collect_init(&c, root);
    walk_opts o;
    walk_opts_init(&o);
    o.max_size = 0;
    int rc = walk_collect(root, &o, &c);
    CHECK_INT(rc, CAIRN_OK);
    CHECK_STR(buf_str(&c.skips), "");
    sorted_lines(c.files.data, c.files.len, '\n', &got);
    if (strcmp(buf_str(&want), buf_str(&got)) != 0) {
        fprintf(stderr, "    walk differs from git ls-files in %s\n", root);
        CHECK_STR(buf_str(&got), buf_str(&want));
    }
    *nfiles = (size_t)c.nfiles;
    collect_release(&c);
    buf_release(&raw);
    buf_release(&want);
    buf_release(&got);
}

/* Patterns from GitHub's Python, Node and C .gitignore templates, plus
 * the awkward cases gitignore(5) describes. */
static const char realistic_gitignore[] =
    "# Byte-compiled / optimized / DLL files\n__pycache__/\n*.py[cod]\n*$py.class\n"
    "*.so\n.Python\nbuild/\ndevelop-eggs/\ndist/\ndownloads/\neggs/\n.eggs/\nlib/\n"
    "lib64/\nparts/\nsdist/\nvar/\nwheels/\n*.egg-info/\n.installed.cfg\n*.egg\n"
    "MANIFEST\n*.manifest\n*.spec\npip-log.txt\nhtmlcov/\n.tox/\n.nox/\n.coverage\n"
    ".coverage.*\n.cache\nnosetests.xml\ncoverage.xml\n*.cover\n.hypothesis/\n"
    ".pytest_cache/\n*.mo\n*.pot\n*.log\nlocal_settings.py\ndb.sqlite3\ninstance/\n"
    "docs/_build/\ntarget/\n.ipynb_checkpoints\n.env\n.venv\nenv/\nvenv/\nENV/\n/site\n"
    ".mypy_cache/\n"
    "# Node\nlogs\nnpm-debug.log*\nyarn-error.log*\nnode_modules/\njspm_packages/\n"
    ".npm\n.eslintcache\n*.tgz\n.yarn-integrity\n.next\n.nuxt\ncoverage\n*.lcov\n"
    ".nyc_output\n"
    "# C\n*.d\n*.o\n*.ko\n*.obj\n*.elf\n*.gch\n*.pch\n*.lib\n*.a\n*.la\n*.lo\n*.dll\n"
    "*.so.*\n*.dylib\n*.exe\n*.out\n*.app\n*.i*86\n*.x86_64\n*.hex\n*.dSYM/\n*.su\n"
    "*.idb\n*.pdb\n*.mod*\n*.cmd\n.tmp_versions/\nmodules.order\nModule.symvers\n"
    "Mkfile.old\ndkms.conf\n"
    "# project\ndocs/**/*.pdf\n!lib/keep.py\n!important.log\n\\#notes\n\\!bang\n"
    "space\\ \ntrailing   \n[Tt]emp/\n*~\n!public.key\n";

static const char *realistic_files[] = {
    "README.md", "setup.py", "Makefile", "src/main.c", "src/main.o", "src/util.h",
    "src/lib.a", "src/mod.ko", "src/.tmp_versions/x", "src/deps.d", "src/x.i386",
    "pkg/__init__.py", "pkg/__pycache__/mod.cpython-311.pyc", "pkg/mod.pyc", "pkg/mod.py",
    "pkg/ext.so", "pkg/ext.so.1", "pkg/ext.c", "build/lib/x.py", "dist/pkg.tar.gz",
    "lib/keep.py", "lib/other.py", "node_modules/left-pad/index.js",
    "web/node_modules/x/y.js", "web/app.js", "web/npm-debug.log.1", "web/coverage/lcov.info",
    "web/.next/cache", "docs/_build/html/index.html", "docs/index.rst", "docs/a/b/x.pdf",
    "docs/x.pdf", "docs/a/x.txt", ".env", ".venv/bin/python", "venv/lib/x", "env.example",
    "logs/app.log", "debug.log", "important.log", "notes/important.log", "notes/n.log",
    ".coverage", ".coverage.host", "htmlcov/index.html", ".pytest_cache/v", "target/out",
    "site/index.html", "sub/site/index.html", "a.exe", "b.out", "tool.dSYM/Contents",
    "#notes", "!bang", "space ", "space", "trailing", "Temp/t", "temp/t", "TEMP/t",
    "file.txt~", "x.key", "public.key", "secret/pw", "vendor/.gitignore",
    "vendor/keep/a.c", "vendor/keep/sub/b.c", "vendor/drop.c", "crlf/.gitignore",
    "crlf/a.tmp", "crlf/ok.tmp", "crlf/b.txt", "keep.modules", "mod.c",
};

TEST(walk_matches_git_on_realistic_tree)
{
    if (!have_git()) {
        fprintf(stderr, "    skipped: git is not installed\n");
        return;
    }
    const char *top = test_tmpdir();
    char root[PATH_MAX];
    join(root, top, "repo");
    for (size_t i = 0; i < sizeof realistic_files / sizeof *realistic_files; i++)
        put(root, realistic_files[i], "content\n");
    put(root, ".gitignore", realistic_gitignore);
    /* The gitignore(5) recipe for "only this subdirectory". */
    put(root, "vendor/.gitignore", "*\n!.gitignore\n!keep/\n!keep/**\n");
    put(root, "crlf/.gitignore", "*.tmp\r\n!ok.tmp   \r\n");
    put(root, "notes/.gitignore", "*.log\n");

    size_t n = 0;
    compare_with_git(root, "secret/\n*.key\n", &n);
    /* Sanity: the tree is not trivially all-in or all-out. */
    CHECK(n > 20);
    CHECK(n < sizeof realistic_files / sizeof *realistic_files);
}

TEST(walk_matches_git_on_til_archive)
{
    if (!have_git()) {
        fprintf(stderr, "    skipped: git is not installed\n");
        return;
    }
    const char *top = test_tmpdir();
    char src[PATH_MAX], root[PATH_MAX], cmd[4 * PATH_MAX];
    snprintf(src, sizeof src, "%s/corpora/til", test_shared_dir());
    join(root, top, "til");
    /* The shared corpus is read-only; the copy must take a .git. */
    snprintf(cmd, sizeof cmd, "cp -R '%s' '%s' && chmod -R u+w '%s'", src, root, root);
    REQUIRE(system(cmd) == 0);

    /* Plain copy first: every file, nothing skipped. */
    size_t all = 0;
    compare_with_git(root, NULL, &all);
    CHECK(all >= 578);

    put(root, ".gitignore",
        "/README.md\naws/\n*-[0-9]*.md\ndocker/*compose*\n"
        "!docker/docker-compose-for-django-development.md\n[s-z]*/*.md\n!sqlite/**\n"
        "**/c?ll*.md\n");
    put(root, "python/.gitignore", "c*.md\n!callable.md\n");
    size_t some = 0;
    compare_with_git(root, "cooking/\n", &some);
    CHECK(some > 100);
    CHECK(some < all);
}

/* ---- performance -------------------------------------------------------- */

static int python_stdlib(char *out, size_t outsz)
{
    FILE *p = popen("python3 -c \"import sysconfig; print(sysconfig.get_paths()['stdlib'])\" "
                    "2>/dev/null", "r");
    if (!p)
        return 0;
    int ok = fgets(out, (int)outsz, p) != NULL;
    if (pclose(p) != 0)
        ok = 0;
    if (ok)
        out[strcspn(out, "\n")] = '\0';
    return ok && out[0];
}

static int count_file(void *ctx, const walk_entry *e)
{
    (void)e;
    ++*(size_t *)ctx;
    return 0;
}

static double ms_since(const struct timespec *t0)
{
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double)(t1.tv_sec - t0->tv_sec) * 1e3 + (double)(t1.tv_nsec - t0->tv_nsec) / 1e6;
}

/* Walk the stdlib at lib (skipping skip when not NULL) three times; check
 * the file count against find(1) and return the best time in ms. */
static double time_stdlib_walk(const char *lib, const char *skip, walk_stats *st)
{
    char cmd[3 * PATH_MAX], line[64];
    if (skip)
        snprintf(cmd, sizeof cmd, "find '%s' -path '%s' -prune -o -type f -print | wc -l", lib,
                 skip);
    else
        snprintf(cmd, sizeof cmd, "find '%s' -type f | wc -l", lib);
    FILE *p = popen(cmd, "r");
    if (!p || !fgets(line, sizeof line, p)) {
        test_fail(__FILE__, __LINE__, "could not run: %s", cmd);
        if (p)
            pclose(p);
        return 0;
    }
    pclose(p);
    size_t want = (size_t)strtoull(line, NULL, 10);

    walk_opts o;
    walk_opts_init(&o);
    o.max_size = 0;
    o.stats = st;
    const char *skip_dirs[] = {skip, NULL};
    o.skip_dirs = skip_dirs;
    double best = 1e9;
    size_t n = 0;
    for (int i = 0; i < 3; i++) {
        struct timespec t0;
        n = 0;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        CHECK_INT(walk_root(lib, &o, count_file, NULL, &n), CAIRN_OK);
        double ms = ms_since(&t0);
        if (ms < best)
            best = ms;
    }
    CHECK_INT(n, want);
    CHECK_INT(st->files, want);
    fprintf(stderr, "    stdlib walk%s: %zu files, %zu dirs in %.1f ms (best of 3)\n",
            skip ? " without site-packages" : "", n, st->dirs, best);
    return best;
}

TEST(walk_python_stdlib_fast_and_complete)
{
    char lib[PATH_MAX], site[PATH_MAX + 16];
    if (!python_stdlib(lib, sizeof lib)) {
        fprintf(stderr, "    skipped: python3 is not available\n");
        return;
    }
    walk_stats all, core;
    double t_all = time_stdlib_walk(lib, NULL, &all);
    snprintf(site, sizeof site, "%s/site-packages", lib);
    double t_core = time_stdlib_walk(lib, site, &core);
    CHECK(all.files > 1000);
    CHECK(core.files <= all.files);
    CHECK(core.dirs <= all.dirs);

    /* ~3 us a file in an optimised build; the bound leaves room for
     * sanitizers and loaded machines while still catching a quadratic walk. */
    const char *preload = getenv("LD_PRELOAD");
    if (preload && strstr(preload, "vgpreload")) {
        fprintf(stderr, "    timing bounds not checked under valgrind\n");
        return;
    }
    CHECK(t_all < 100.0 + (double)all.files * 0.05);
    CHECK(t_core < 100.0 + (double)core.files * 0.05);
}
