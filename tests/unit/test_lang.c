/*
 * test_lang.c — language detection by name, extension and shebang.
 */
#include "tests/unit/test.h"

#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "indexer/lang.h"

static const char *detect(const char *path, const char *head)
{
    return lang_detect(path, head, head ? strlen(head) : 0)->name;
}

TEST(lang_tricky_names)
{
    CHECK_STR(detect("foo.tar.gz", NULL), "text");
    CHECK_STR(detect(".bashrc", NULL), "bash");
    CHECK_STR(detect("home/u/.zshrc", NULL), "bash");
    CHECK_STR(detect("Makefile", NULL), "make");
    CHECK_STR(detect("src/GNUmakefile", NULL), "make");
    CHECK_STR(detect("Makefile.am", NULL), "make");
    CHECK_STR(detect("x.H", NULL), "c");
    CHECK_STR(detect("include/x.h", NULL), "c");
    CHECK_STR(detect("x.hpp", NULL), "cpp");
    CHECK_STR(detect("CMakeLists.txt", NULL), "cmake");
    CHECK_STR(detect("notes.txt", NULL), "text");
    CHECK_STR(detect("Dockerfile", NULL), "dockerfile");
    CHECK_STR(detect("docker/Dockerfile.dev", NULL), "dockerfile");
    CHECK_STR(detect("Gemfile", NULL), "ruby");
    CHECK_STR(detect("README", NULL), "text");
    CHECK_STR(detect("README.md", NULL), "markdown");
    CHECK_STR(detect("docs/INDEX.RST", NULL), "rst");
    CHECK_STR(detect("LICENSE", NULL), "text");
    CHECK_STR(detect("a.component.tsx", NULL), "tsx");
    CHECK_STR(detect("types.d.ts", NULL), "typescript");
    CHECK_STR(detect(".gitignore", NULL), "text");
    CHECK_STR(detect("trailing.", NULL), "text");
    CHECK_STR(detect("", NULL), "text");
    CHECK_STR(detect(NULL, NULL), "text");
    CHECK(lang_detect("README", NULL, 0)->kind == LANG_PROSE);
    CHECK(lang_detect("x.H", NULL, 0)->kind == LANG_CODE);
    CHECK(lang_detect("CMakeLists.txt", NULL, 0)->kind == LANG_CODE);
}

TEST(lang_shebangs)
{
    CHECK_STR(detect("bin/tool", "#!/usr/bin/env -S python3 -u\nprint(1)\n"), "python");
    CHECK_STR(detect("bin/tool", "#!/usr/bin/python3.11\n"), "python");
    CHECK_STR(detect("bin/tool", "#! /usr/bin/env python\r\n"), "python");
    CHECK_STR(detect("bin/tool", "#!/usr/bin/env -i PATH=/bin node --harmony\n"), "javascript");
    CHECK_STR(detect("bin/tool", "#!/bin/sh -e\n"), "bash");
    CHECK_STR(detect("bin/tool", "#!/bin/bash"), "bash");
    CHECK_STR(detect("bin/tool", "#!/usr/bin/ruby -w\n"), "ruby");
    CHECK_STR(detect("bin/tool", "#!/usr/bin/perl5.36\n"), "perl");
    CHECK_STR(detect("bin/tool", "#!/usr/bin/make -f\n"), "make");
    /* Unknown interpreters, bare env and non-shebangs fall back to text. */
    CHECK_STR(detect("bin/tool", "#!/usr/bin/frobnicate\n"), "text");
    CHECK_STR(detect("bin/tool", "#!/usr/bin/env\n"), "text");
    CHECK_STR(detect("bin/tool", "#!/usr/bin/env -S\n"), "text");
    CHECK_STR(detect("bin/tool", "#!\n"), "text");
    CHECK_STR(detect("bin/tool", "# python3\n"), "text");
    /* The extension wins over the shebang. */
    CHECK_STR(detect("x.rb", "#!/usr/bin/env python3\n"), "ruby");
    /* head_len bounds the read: the interpreter lies past it. */
    CHECK_STR(lang_detect("tool", "#!/usr/bin/env python3", 14)->name, "text");
}

TEST(lang_table_is_consistent)
{
    size_t n = lang_count();
    REQUIRE(n >= 38);
    CHECK(lang_at(n) == NULL);
    for (size_t i = 0; i < n; i++) {
        const lang_info *l = lang_at(i);
        REQUIRE(l && l->name && l->name[0]);
        CHECK(lang_by_name(l->name) == l);
        for (const char *p = l->name; *p; p++)
            CHECK(!(*p >= 'A' && *p <= 'Z'));
        int prose = l->kind == LANG_PROSE;
        int want_prose = !strcmp(l->name, "markdown") || !strcmp(l->name, "text") ||
                         !strcmp(l->name, "html") || !strcmp(l->name, "rst") ||
                         !strcmp(l->name, "org") || !strcmp(l->name, "asciidoc");
        if (prose != want_prose)
            test_fail(__FILE__, __LINE__, "%s has the wrong kind", l->name);
        /* No extension or file name may belong to two languages: the
         * second row would silently never match. */
        for (const char *const *e = l->extensions; e && *e; e++) {
            char name[64];
            snprintf(name, sizeof name, "f.%s", *e);
            if (lang_detect(name, NULL, 0) != l)
                test_fail(__FILE__, __LINE__, ".%s of %s detected as %s", *e, l->name,
                          lang_detect(name, NULL, 0)->name);
        }
        for (const char *const *f = l->filenames; f && *f; f++) {
            char name[64];
            snprintf(name, sizeof name, "%s%s", *f, (*f)[strlen(*f) - 1] == '.' ? "x" : "");
            if (lang_detect(name, NULL, 0) != l)
                test_fail(__FILE__, __LINE__, "%s of %s detected as %s", name, l->name,
                          lang_detect(name, NULL, 0)->name);
        }
        for (const char *const *s = l->interpreters; s && *s; s++) {
            char head[128];
            snprintf(head, sizeof head, "#!/usr/bin/env %s\n", *s);
            if (lang_detect("script", head, strlen(head)) != l)
                test_fail(__FILE__, __LINE__, "shebang %s of %s detected as %s", *s, l->name,
                          lang_detect("script", head, strlen(head))->name);
        }
    }
    const char *required[] = {"c", "cpp", "python", "javascript", "typescript", "tsx", "go", "rust",
                              "java", "ruby", "bash", "markdown", "text", "html", "rst", "org",
                              "json", "yaml", "toml", "make", "cmake", "sql", "css", "kotlin",
                              "swift", "php", "lua", "perl", "r", "scala", "csharp", "haskell",
                              "ocaml", "elixir", "zig", "dockerfile", "ini", "xml", "asciidoc"};
    for (size_t i = 0; i < sizeof required / sizeof *required; i++)
        if (!lang_by_name(required[i]))
            test_fail(__FILE__, __LINE__, "no language \"%s\"", required[i]);
    CHECK(lang_by_name("Python") == NULL);
    CHECK(lang_by_name("cobol") == NULL);
    CHECK(lang_by_name("") == NULL);
    CHECK(lang_by_name(NULL) == NULL);
    CHECK_STR(lang_kind_name(LANG_PROSE), "prose");
    CHECK_STR(lang_kind_name(LANG_CODE), "code");
}

/* ---- the Python standard library as a real tree ------------------------ */

static int stdlib_dir(char *out, size_t n)
{
    FILE *p = popen("python3 -c \"import sysconfig; print(sysconfig.get_paths()['stdlib'])\" 2>/dev/null", "r");
    if (!p)
        return 0;
    int ok = fgets(out, (int)n, p) != NULL;
    pclose(p);
    out[strcspn(out, "\n")] = '\0';
    return ok && out[0];
}

static struct {
    size_t py, py_shebang, pyi, json, rst, txt, makefile, other;
} seen;

static int has_suffix(const char *s, const char *suf)
{
    size_t a = strlen(s), b = strlen(suf);
    return a >= b && strcmp(s + a - b, suf) == 0;
}

static void check_file(const char *path, const char *name)
{
    char head[256];
    ssize_t n = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd >= 0) {
        n = read(fd, head, sizeof head);
        close(fd);
    }
    if (n < 0)
        n = 0;
    const lang_info *l = lang_detect(path, head, (size_t)n);
    if (!l) {
        test_fail(__FILE__, __LINE__, "NULL language for %s", path);
        return;
    }
    const char *want = NULL;
    if (has_suffix(name, ".py")) {
        seen.py++;
        want = "python";
        /* The same script without its extension is found by its shebang. */
        if (n > 2 && head[0] == '#' && head[1] == '!' && memmem(head, (size_t)n, "python", 6) &&
            memchr(head, '\n', (size_t)n)) {
            seen.py_shebang++;
            char bare[PATH_MAX];
            snprintf(bare, sizeof bare, "%.*s", (int)(strlen(path) - 3), path);
            const lang_info *b = lang_detect(bare, head, (size_t)n);
            if (strcmp(b->name, "python") != 0)
                test_fail(__FILE__, __LINE__, "%s without .py: %s", path, b->name);
        }
    } else if (has_suffix(name, ".pyi")) {
        seen.pyi++;
        want = "python";
    } else if (has_suffix(name, ".json")) {
        seen.json++;
        want = "json";
    } else if (has_suffix(name, ".rst")) {
        seen.rst++;
        want = "rst";
    } else if (has_suffix(name, ".txt")) {
        seen.txt++;
        want = "text";
    } else if (!strcmp(name, "Makefile")) {
        seen.makefile++;
        want = "make";
    } else {
        seen.other++;
    }
    if (want && strcmp(l->name, want) != 0)
        test_fail(__FILE__, __LINE__, "%s: %s, want %s", path, l->name, want);
}

static void walk(const char *dir, int depth)
{
    DIR *d = opendir(dir);
    if (!d || depth > 12) {
        if (d)
            closedir(d);
        return;
    }
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.' && (!e->d_name[1] || (e->d_name[1] == '.' && !e->d_name[2])))
            continue;
        if (depth == 0 && !strcmp(e->d_name, "site-packages"))
            continue; /* third-party, and most of the file count */
        char path[PATH_MAX];
        if (snprintf(path, sizeof path, "%s/%s", dir, e->d_name) >= (int)sizeof path)
            continue;
        struct stat st;
        if (lstat(path, &st) != 0)
            continue;
        if (S_ISDIR(st.st_mode))
            walk(path, depth + 1);
        else if (S_ISREG(st.st_mode))
            check_file(path, e->d_name);
    }
    closedir(d);
}

TEST(lang_python_stdlib_tree)
{
    char dir[PATH_MAX];
    if (!stdlib_dir(dir, sizeof dir)) {
        printf("     (skipped: python3 not found)\n");
        return;
    }
    memset(&seen, 0, sizeof seen);
    walk(dir, 0);
    CHECK(seen.py > 500);
    CHECK(seen.py_shebang > 5);
    CHECK(seen.json + seen.rst + seen.txt + seen.pyi + seen.other > 50);
    CHECK(seen.makefile >= 1);
}
