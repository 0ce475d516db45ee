/*
 * lang.c — the language table and detection by name, extension and shebang.
 */
#include "indexer/lang.h"

#include <string.h>
#include <strings.h>

/* A NULL-terminated list of strings with static storage. */
#define L(...) ((const char *const[]){__VA_ARGS__, NULL})

static const lang_info langs[] = {
    {"c", LANG_CODE, L("c", "h"), NULL, NULL},
    {"cpp", LANG_CODE, L("cpp", "cc", "cxx", "c++", "hpp", "hh", "hxx", "h++", "ipp", "tpp", "inl"), NULL, NULL},
    {"objc", LANG_CODE, L("m", "mm"), NULL, NULL},
    {"python", LANG_CODE, L("py", "pyi", "pyw", "pyx"), L("SConstruct", "SConscript"), L("python", "python3", "python2", "pypy", "pypy3")},
    {"javascript", LANG_CODE, L("js", "mjs", "cjs", "jsx"), NULL, L("node", "nodejs")},
    {"typescript", LANG_CODE, L("ts", "mts", "cts"), NULL, L("ts-node", "deno", "bun")},
    {"tsx", LANG_CODE, L("tsx"), NULL, NULL},
    {"go", LANG_CODE, L("go"), NULL, NULL},
    {"rust", LANG_CODE, L("rs"), NULL, NULL},
    {"java", LANG_CODE, L("java"), NULL, NULL},
    {"kotlin", LANG_CODE, L("kt", "kts"), NULL, NULL},
    {"scala", LANG_CODE, L("scala", "sc"), NULL, L("scala")},
    {"groovy", LANG_CODE, L("groovy", "gradle"), L("Jenkinsfile"), L("groovy")},
    {"swift", LANG_CODE, L("swift"), NULL, NULL},
    {"csharp", LANG_CODE, L("cs", "csx"), NULL, NULL},
    {"fsharp", LANG_CODE, L("fs", "fsi", "fsx"), NULL, NULL},
    {"ruby", LANG_CODE, L("rb", "rake", "gemspec", "ru"),
     L("Gemfile", "Rakefile", "Guardfile", "Vagrantfile", "Podfile", "Brewfile"), L("ruby", "jruby")},
    {"php", LANG_CODE, L("php", "phtml"), NULL, L("php")},
    {"perl", LANG_CODE, L("pl", "pm"), NULL, L("perl")},
    {"lua", LANG_CODE, L("lua"), NULL, L("lua", "luajit")},
    {"r", LANG_CODE, L("r"), NULL, L("Rscript")},
    {"julia", LANG_CODE, L("jl"), NULL, L("julia")},
    {"haskell", LANG_CODE, L("hs", "lhs"), NULL, L("runhaskell")},
    {"ocaml", LANG_CODE, L("ml", "mli"), NULL, L("ocaml")},
    {"elixir", LANG_CODE, L("ex", "exs"), NULL, L("elixir")},
    {"erlang", LANG_CODE, L("erl", "hrl"), NULL, L("escript")},
    {"clojure", LANG_CODE, L("clj", "cljs", "cljc", "edn"), NULL, NULL},
    {"dart", LANG_CODE, L("dart"), NULL, NULL},
    {"zig", LANG_CODE, L("zig"), NULL, NULL},
    {"nim", LANG_CODE, L("nim"), NULL, NULL},
    {"bash", LANG_CODE, L("sh", "bash", "zsh", "ksh"),
     L(".bashrc", ".bash_profile", ".bash_login", ".bash_logout", ".bash_aliases", ".profile",
       ".zshrc", ".zprofile", ".zshenv"),
     L("sh", "bash", "zsh", "ksh", "dash", "ash")},
    {"fish", LANG_CODE, L("fish"), NULL, L("fish")},
    {"powershell", LANG_CODE, L("ps1", "psm1", "psd1"), NULL, L("pwsh")},
    {"make", LANG_CODE, L("mk", "mak", "make"), L("Makefile", "GNUmakefile", "Makefile."), L("make")},
    {"cmake", LANG_CODE, L("cmake"), L("CMakeLists.txt"), NULL},
    {"dockerfile", LANG_CODE, L("dockerfile"), L("Dockerfile", "Containerfile", "Dockerfile."), NULL},
    {"sql", LANG_CODE, L("sql"), NULL, NULL},
    {"css", LANG_CODE, L("css", "scss", "sass", "less"), NULL, NULL},
    {"json", LANG_CODE, L("json", "jsonc", "json5", "geojson"), L(".babelrc", ".eslintrc"), NULL},
    {"yaml", LANG_CODE, L("yaml", "yml"), NULL, NULL},
    {"toml", LANG_CODE, L("toml"), L("Cargo.lock", "Pipfile", "poetry.lock"), NULL},
    {"ini", LANG_CODE, L("ini", "cfg", "conf", "properties"), L(".editorconfig", ".gitconfig", ".npmrc"), NULL},
    {"xml", LANG_CODE, L("xml", "xsd", "xsl", "xslt", "svg", "plist"), NULL, NULL},
    {"protobuf", LANG_CODE, L("proto"), NULL, NULL},
    {"graphql", LANG_CODE, L("graphql", "gql"), NULL, NULL},
    {"terraform", LANG_CODE, L("tf", "tfvars", "hcl"), NULL, NULL},
    {"nix", LANG_CODE, L("nix"), NULL, NULL},
    {"vim", LANG_CODE, L("vim"), L(".vimrc", "vimrc"), NULL},
    {"awk", LANG_CODE, L("awk"), NULL, L("awk", "gawk", "mawk")},
    {"tcl", LANG_CODE, L("tcl"), NULL, L("tclsh")},
    {"markdown", LANG_PROSE, L("md", "markdown", "mdown", "mkd", "mkdn", "mdx"), NULL, NULL},
    {"rst", LANG_PROSE, L("rst", "rest"), NULL, NULL},
    {"org", LANG_PROSE, L("org"), NULL, NULL},
    {"asciidoc", LANG_PROSE, L("adoc", "asciidoc"), NULL, NULL},
    {"html", LANG_PROSE, L("html", "htm", "xhtml"), NULL, NULL},
    {"text", LANG_PROSE, L("txt", "text"),
     L("README", "LICENSE", "LICENCE", "COPYING", "AUTHORS", "CHANGELOG", "CHANGES", "NEWS",
       "INSTALL", "CONTRIBUTING", "NOTICE", "TODO", "HACKING"),
     NULL},
};

#define NLANGS (sizeof langs / sizeof langs[0])

/* The longest shebang line or interpreter name worth examining. */
#define SHEBANG_MAX 256
#define WORD_MAX 64

static int list_has(const char *const *list, const char *s, size_t n)
{
    for (; list && *list; list++)
        if (strlen(*list) == n && strncasecmp(*list, s, n) == 0)
            return 1;
    return 0;
}

static const lang_info *by_filename(const char *base)
{
    size_t blen = strlen(base);
    for (size_t i = 0; i < NLANGS; i++) {
        for (const char *const *f = langs[i].filenames; f && *f; f++) {
            size_t flen = strlen(*f);
            /* "Dockerfile." matches "Dockerfile.dev" but not "Dockerfile." alone. */
            int prefix = (*f)[flen - 1] == '.';
            if (prefix ? blen > flen && strncasecmp(base, *f, flen) == 0
                       : strcasecmp(base, *f) == 0)
                return &langs[i];
        }
    }
    return NULL;
}

static const lang_info *by_extension(const char *base)
{
    const char *dot = strrchr(base, '.');
    if (!dot || dot == base || !dot[1])
        return NULL;
    for (size_t i = 0; i < NLANGS; i++)
        if (list_has(langs[i].extensions, dot + 1, strlen(dot + 1)))
            return &langs[i];
    return NULL;
}

static const lang_info *by_interpreter(const char *name, size_t n)
{
    for (size_t i = 0; i < NLANGS; i++)
        if (list_has(langs[i].interpreters, name, n))
            return &langs[i];
    /* "python3.11" -> "python3" is not listed with every version, so drop
     * the trailing digits and dots and try once more ("python"). */
    size_t m = n;
    while (m > 0 && (name[m - 1] == '.' || (name[m - 1] >= '0' && name[m - 1] <= '9')))
        m--;
    if (m == n || m == 0)
        return NULL;
    for (size_t i = 0; i < NLANGS; i++)
        if (list_has(langs[i].interpreters, name, m))
            return &langs[i];
    return NULL;
}

/* Split the next whitespace-separated word off *p (bounded by end). */
static int next_word(const char **p, const char *end, const char **w, size_t *wn)
{
    const char *s = *p;
    while (s < end && (*s == ' ' || *s == '\t'))
        s++;
    const char *e = s;
    while (e < end && *e != ' ' && *e != '\t')
        e++;
    *p = e;
    *w = s;
    *wn = (size_t)(e - s);
    return e > s;
}

static const lang_info *by_shebang(const char *head, size_t head_len)
{
    if (!head || head_len < 3 || head[0] != '#' || head[1] != '!')
        return NULL;
    size_t n = head_len < SHEBANG_MAX ? head_len : SHEBANG_MAX;
    const char *p = head + 2, *end = head + 2;
    while (end < head + n && *end != '\n' && *end != '\r')
        end++;
    const char *w;
    size_t wn;
    if (!next_word(&p, end, &w, &wn))
        return NULL;
    for (;;) {
        /* The base name of the program: "/usr/bin/python3" -> "python3". */
        const char *slash = memrchr(w, '/', wn);
        if (slash) {
            wn -= (size_t)(slash + 1 - w);
            w = slash + 1;
        }
        if (wn == 0 || wn >= WORD_MAX)
            return NULL;
        if (!(wn == 3 && memcmp(w, "env", 3) == 0))
            return by_interpreter(w, wn);
        /* env: skip its options ("-S", "-u") and VAR=value settings. */
        do {
            if (!next_word(&p, end, &w, &wn))
                return NULL;
        } while (w[0] == '-' || memchr(w, '=', wn));
    }
}

const lang_info *lang_detect(const char *rel_path, const char *head, size_t head_len)
{
    const char *base = rel_path ? strrchr(rel_path, '/') : NULL;
    base = base ? base + 1 : (rel_path ? rel_path : "");
    const lang_info *l = by_filename(base);
    if (!l)
        l = by_extension(base);
    if (!l)
        l = by_shebang(head, head_len);
    return l ? l : lang_by_name("text");
}

const lang_info *lang_by_name(const char *name)
{
    for (size_t i = 0; name && i < NLANGS; i++)
        if (strcmp(langs[i].name, name) == 0)
            return &langs[i];
    return NULL;
}

size_t lang_count(void) { return NLANGS; }

const lang_info *lang_at(size_t i) { return i < NLANGS ? &langs[i] : NULL; }

const char *lang_kind_name(lang_kind kind) { return kind == LANG_PROSE ? "prose" : "code"; }
