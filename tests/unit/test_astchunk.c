/*
 * test_astchunk.c — definition-aligned chunks on hand-made symbol lists:
 * layout, contexts, comments and block headers, bad spans, line endings,
 * deep nesting; and the checks the stdlib test shares (test_astchunk.h).
 */
#include "tests/unit/test_astchunk.h"

#include "tests/unit/test.h"

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "indexer/astchunk.h"
#include "util/err.h"

/* ---- independent recounting ---------------------------------------------- */

static int is_ws(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

static int is_brk(const char *t, size_t len, size_t i)
{
    return t[i] == '\n' || (t[i] == '\r' && (i + 1 == len || t[i + 1] != '\n'));
}

void tac_lines_build(tac_lines *x, const char *t, size_t len)
{
    x->start = malloc((len + 2) * sizeof *x->start);
    x->n = 0;
    if (len)
        x->start[x->n++] = 0;
    for (size_t i = 0; i + 1 < len; i++)
        if (is_brk(t, len, i))
            x->start[x->n++] = i + 1;
    x->start[x->n] = len;
}

int tac_line_of(const tac_lines *x, size_t off)
{
    size_t lo = 0, hi = x->n;
    while (hi - lo > 1) {
        size_t mid = (lo + hi) / 2;
        if (x->start[mid] <= off)
            lo = mid;
        else
            hi = mid;
    }
    return (int)lo + 1;
}

size_t tac_text_end(const tac_lines *x, const char *t, int ln)
{
    size_t s = x->start[ln - 1], e = x->start[ln];
    while (e > s && (t[e - 1] == '\n' || t[e - 1] == '\r'))
        e--;
    return e;
}

size_t tac_trimmed_size(const char *t, const chunk *k)
{
    size_t s = k->start_byte, e = k->end_byte;
    while (s < e && is_ws(t[s]))
        s++;
    while (e > s && is_ws(t[e - 1]))
        e--;
    return e - s;
}

int tac_check_tiling(const char *name, const char *t, size_t len, const chunk_list *cl, size_t first, size_t cap)
{
    tac_lines x;
    tac_lines_build(&x, t, len);
    int bad = 0, blank = 1;
    for (size_t i = 0; i < len; i++)
        blank &= is_ws(t[i]);
    if ((cl->n == first) != blank) {
        test_fail(__FILE__, __LINE__, "%s: %zu chunks for %s text", name, cl->n - first, blank ? "blank" : "some");
        bad++;
    }
    for (size_t i = first; i < cl->n && bad < 5; i++) {
        const chunk *k = &cl->items[i];
        size_t want = i == first ? 0 : cl->items[i - 1].end_byte;
        if (k->start_byte != want || k->end_byte <= k->start_byte || k->end_byte > len) {
            test_fail(__FILE__, __LINE__, "%s chunk %zu: bytes %zu-%zu, want a start at %zu, len %zu", name, i,
                      k->start_byte, k->end_byte, want, len);
            bad++;
            break;
        }
        int sl = tac_line_of(&x, k->start_byte), el = tac_line_of(&x, k->end_byte - 1);
        if (sl != k->start_line || el != k->end_line) {
            test_fail(__FILE__, __LINE__, "%s chunk %zu: lines %d-%d, recounted %d-%d", name, i, k->start_line,
                      k->end_line, sl, el);
            bad++;
        }
        int mid_line = x.start[sl - 1] != k->start_byte;
        if (mid_line && !(i > first && cl->items[i - 1].end_line == sl)) {
            test_fail(__FILE__, __LINE__, "%s chunk %zu starts mid-line at byte %zu", name, i, k->start_byte);
            bad++;
        }
        if (t[k->end_byte - 1] == '\r' && k->end_byte < len && t[k->end_byte] == '\n') {
            test_fail(__FILE__, __LINE__, "%s chunk %zu ends inside a CRLF", name, i);
            bad++;
        }
        if (tac_trimmed_size(t, k) > cap) {
            int long_line = 0;
            for (int ln = sl; ln <= el && !long_line; ln++)
                long_line = tac_text_end(&x, t, ln) - x.start[ln - 1] > cap;
            if (!long_line) {
                test_fail(__FILE__, __LINE__, "%s chunk %zu (lines %d-%d): %zu bytes over the cap %zu", name, i, sl,
                          el, tac_trimmed_size(t, k), cap);
                bad++;
            }
        }
    }
    if (!bad && cl->n > first && cl->items[cl->n - 1].end_byte != len) {
        test_fail(__FILE__, __LINE__, "%s: the last chunk ends at %zu of %zu", name, cl->items[cl->n - 1].end_byte,
                  len);
        bad++;
    }
    free(x.start);
    return bad;
}

/* ---- hand-made symbols ------------------------------------------------------ */

typedef struct symset {
    parse_symbol v[64];
    size_t n;
} symset;

/* The Python block starting at the keyword `at` (a "def"/"class" line):
 * it ends before the first non-blank line indented no deeper. */
static size_t py_block_end(const char *t, size_t len, size_t at)
{
    size_t ls = at;
    while (ls > 0 && t[ls - 1] != '\n' && t[ls - 1] != '\r')
        ls--;
    size_t ind = at - ls, p = at;
    while (p < len && t[p] != '\n' && t[p] != '\r')
        p++;
    size_t end = p;
    while (p < len) {
        p += (t[p] == '\r' && p + 1 < len && t[p + 1] == '\n') ? 2 : 1; /* past the break */
        size_t q = p, in = 0;
        while (q < len && t[q] == ' ')
            q++, in++;
        size_t e = q;
        while (e < len && t[e] != '\n' && t[e] != '\r')
            e++;
        if (e > q && in <= ind)
            break;
        if (e > q)
            end = e;
        p = e;
    }
    return end;
}

/* Add the definition whose keyword line is the first containing `marker`. */
static void add_py(symset *s, const char *t, const char *marker, const char *name, const char *qual,
                   const char *kind)
{
    const char *p = strstr(t, marker);
    if (!p) {
        test_fail(__FILE__, __LINE__, "marker \"%s\" not in the text", marker);
        return;
    }
    size_t at = (size_t)(p - t);
    while (t[at] == ' ')
        at++;
    parse_symbol *y = &s->v[s->n++];
    memset(y, 0, sizeof *y);
    y->name = (char *)name;
    y->qualname = (char *)qual;
    y->kind = kind;
    y->start_byte = at;
    y->end_byte = py_block_end(t, strlen(t), at);
    y->parent = -1;
}

static void body(char *t, size_t cap, size_t *n, const char *indent, int lines, const char *tag)
{
    for (int i = 0; i < lines; i++)
        *n += (size_t)snprintf(t + *n, cap - *n, "%sresult_%s_%02d = compute(%d, %s)\n", indent, tag, i, i, tag);
}

/* A module with small functions, a class over the cap holding a nested
 * class, and a function several times the cap. */
static size_t make_module(char *t, size_t cap)
{
    size_t n = 0;
    n += (size_t)snprintf(t + n, cap - n, "\"\"\"Module doc.\"\"\"\nimport os\nimport sys\n\nLIMIT = 10\n\n\n"
                                          "def small_a(x):\n    return x + 1\n\n\n"
                                          "def small_b(y):\n    return y * 2\n\n\n"
                                          "class Big(Base):\n    \"\"\"A class too big for the cap.\"\"\"\n\n"
                                          "    attr = 1\n\n    def m1(self):\n");
    body(t, cap, &n, "        ", 12, "m1");
    n += (size_t)snprintf(t + n, cap - n, "\n    # m2 is a property\n    @property\n    def m2(self):\n");
    body(t, cap, &n, "        ", 12, "m2");
    n += (size_t)snprintf(t + n, cap - n, "\n    class Inner:\n        def im(self):\n");
    body(t, cap, &n, "            ", 12, "im");
    n += (size_t)snprintf(t + n, cap - n, "\n        def im2(self):\n");
    body(t, cap, &n, "            ", 12, "i2");
    n += (size_t)snprintf(t + n, cap - n, "\n\ndef huge():\n");
    for (int blk = 0; blk < 12; blk++) {
        body(t, cap, &n, "    ", 10, "hg");
        n += (size_t)snprintf(t + n, cap - n, "\n");
    }
    n += (size_t)snprintf(t + n, cap - n, "\nif __name__ == \"__main__\":\n    small_a(1)\n");
    return n;
}

static void module_symbols(symset *s, const char *t)
{
    s->n = 0;
    add_py(s, t, "def small_a", "small_a", "small_a", "function");
    add_py(s, t, "def small_b", "small_b", "small_b", "function");
    add_py(s, t, "class Big", "Big", "Big", "class");
    add_py(s, t, "    def m1", "m1", "Big.m1", "method");
    add_py(s, t, "    def m2", "m2", "Big.m2", "method");
    add_py(s, t, "    class Inner", "Inner", "Big.Inner", "class");
    add_py(s, t, "        def im(", "im", "Big.Inner.im", "method");
    add_py(s, t, "        def im2", "im2", "Big.Inner.im2", "method");
    add_py(s, t, "def huge", "huge", "huge", "function");
    s->v[3].parent = s->v[4].parent = s->v[5].parent = 2;
    s->v[6].parent = s->v[7].parent = 5;
}

/* The chunk holding the first occurrence of needle. */
static const chunk *chunk_at(const char *t, const chunk_list *cl, const char *needle)
{
    const char *p = strstr(t, needle);
    if (!p)
        return NULL;
    size_t off = (size_t)(p - t);
    for (size_t i = 0; i < cl->n; i++)
        if (cl->items[i].start_byte <= off && off < cl->items[i].end_byte)
            return &cl->items[i];
    return NULL;
}

static int starts_with(const char *t, const chunk *k, const char *s)
{
    return k && !strncmp(t + k->start_byte, s, strlen(s));
}

TEST(astchunk_module_layout)
{
    static char t[32768];
    size_t n = make_module(t, sizeof t);
    symset s;
    module_symbols(&s, t);
    chunk_opts o = {0, 1024};
    chunk_list cl;
    chunk_list_init(&cl);
    REQUIRE(astchunk_build(t, n, s.v, s.n, &o, &cl) == CAIRN_OK);
    CHECK_INT(tac_check_tiling("module", t, n, &cl, 0, 1024), 0);

    /* Imports, a constant and two small functions merge; top-level code
     * ahead of the first definition takes its symbol. */
    const chunk *k = chunk_at(t, &cl, "import os");
    REQUIRE(k);
    CHECK(k == chunk_at(t, &cl, "def small_b"));
    CHECK_STR(k->symbol, "small_a");
    CHECK(k->context == NULL);

    /* The class is over the cap: its header (docstring, attributes) ... */
    k = chunk_at(t, &cl, "class Big");
    REQUIRE(k);
    CHECK(starts_with(t, k, "class Big(Base):"));
    CHECK(k == chunk_at(t, &cl, "attr = 1"));
    CHECK(k != chunk_at(t, &cl, "def m1"));
    CHECK_STR(k->symbol, "Big");
    CHECK(k->context == NULL);
    /* ... then each method, under the class's header line. */
    k = chunk_at(t, &cl, "    def m1");
    REQUIRE(k);
    CHECK(starts_with(t, k, "    def m1"));
    CHECK_STR(k->symbol, "Big.m1");
    CHECK_STR(k->context, "class Big(Base):");
    /* The comment and decorator above m2 go with it. */
    k = chunk_at(t, &cl, "    # m2 is a property");
    REQUIRE(k);
    CHECK(starts_with(t, k, "    # m2 is a property\n    @property\n    def m2"));
    CHECK_STR(k->symbol, "Big.m2");
    CHECK_STR(k->context, "class Big(Base):");
    /* The nested class is split too, and its methods carry both headers. */
    k = chunk_at(t, &cl, "    class Inner");
    REQUIRE(k);
    CHECK(starts_with(t, k, "    class Inner:"));
    CHECK_STR(k->symbol, "Big.Inner");
    CHECK_STR(k->context, "class Big(Base):");
    k = chunk_at(t, &cl, "        def im2");
    REQUIRE(k);
    CHECK(starts_with(t, k, "        def im2"));
    CHECK_STR(k->symbol, "Big.Inner.im2");
    CHECK_STR(k->context, "class Big(Base): > class Inner:");

    /* A function several times the cap is cut into windows, each named
     * after it; later windows show its header as context. */
    k = chunk_at(t, &cl, "def huge");
    REQUIRE(k);
    CHECK(starts_with(t, k, "def huge():"));
    CHECK_STR(k->symbol, "huge");
    CHECK(k->context == NULL);
    size_t windows = 0;
    for (size_t i = (size_t)(k - cl.items) + 1; i < cl.n && cl.items[i].symbol && !strcmp(cl.items[i].symbol, "huge");
         i++) {
        CHECK_STR(cl.items[i].context, "def huge():");
        windows++;
    }
    CHECK(windows >= 3);
    /* The main block is top-level code: no symbol, no context. */
    k = &cl.items[cl.n - 1];
    CHECK(starts_with(t, k, "if __name__"));
    CHECK(k->symbol == NULL && k->context == NULL);
    CHECK_INT(k->end_byte, n);
    chunk_list_release(&cl);

    /* Under the default cap the whole class fits: one chunk, no split. */
    chunk_list_init(&cl);
    REQUIRE(astchunk_build(t, n, s.v, s.n, NULL, &cl) == CAIRN_OK);
    CHECK_INT(tac_check_tiling("module-default", t, n, &cl, 0, CHUNK_CODE_BYTES), 0);
    k = chunk_at(t, &cl, "class Big");
    CHECK(k && starts_with(t, k, "class Big") && k == chunk_at(t, &cl, "def im2"));
    CHECK(k && k->symbol && !strcmp(k->symbol, "Big"));
    chunk_list_release(&cl);
}

TEST(astchunk_signature_context_and_append)
{
    static char t[32768];
    size_t n = make_module(t, sizeof t);
    symset s;
    module_symbols(&s, t);
    s.v[2].signature = (char *)"class Big(Base)";
    s.v[5].signature = (char *)"class Inner";
    chunk_opts o = {0, 1024};
    chunk_list cl;
    chunk_list_init(&cl);
    /* Chunks are appended after what the list already holds. */
    REQUIRE(chunk_code("x = 1\n", 6, NULL, &cl) == CAIRN_OK);
    REQUIRE(cl.n == 1);
    REQUIRE(astchunk_build(t, n, s.v, s.n, &o, &cl) == CAIRN_OK);
    CHECK_INT(cl.items[0].end_byte, 6);
    CHECK_INT(tac_check_tiling("append", t, n, &cl, 1, 1024), 0);
    const chunk *k = chunk_at(t, &cl, "        def im2");
    REQUIRE(k);
    CHECK_STR(k->context, "class Big(Base) > class Inner");
    chunk_list_release(&cl);
}

/* C-like code: doc comments stay with their function, a split struct's
 * closing "};" stays with its last member, and two definitions sharing a
 * line stay together. */
TEST(astchunk_braces_comments_and_shared_lines)
{
    static char t[16384];
    size_t n = 0;
    n += (size_t)snprintf(t + n, sizeof t - n, "#include <stdio.h>\n\nstruct big {\n");
    const char *members[3] = {"alpha", "beta", "gamma"};
    for (int m = 0; m < 3; m++) {
        n += (size_t)snprintf(t + n, sizeof t - n, "    /* member %s */\n    int %s(int v) {\n", members[m], members[m]);
        for (int i = 0; i < 8; i++)
            n += (size_t)snprintf(t + n, sizeof t - n, "        v = v * %d + %d; /* step */\n", i + 3, i);
        n += (size_t)snprintf(t + n, sizeof t - n, "        return v;\n    }\n");
    }
    n += (size_t)snprintf(t + n, sizeof t - n, "};\n\n#define STEP 3\n\n/**\n * Adds.\n */\n"
                                               "int add(int a, int b) { return a + b; } int sub(int a, int b)\n"
                                               "{\n    return a - b;\n}\n");
    symset s = {0};
    struct {
        const char *from, *to, *name, *qual, *kind;
    } defs[] = {{"struct big", "\n};", "big", "big", "struct"},
                {"int alpha", "    }\n", "alpha", "big.alpha", "method"},
                {"int beta", "    }\n", "beta", "big.beta", "method"},
                {"int gamma", "    }\n", "gamma", "big.gamma", "method"},
                {"int add", "b; }", "add", "add", "function"},
                {"int sub", "b;\n}", "sub", "sub", "function"},
                {"#define STEP", "3\n", "STEP", "STEP", "macro"}};
    for (size_t i = 0; i < sizeof defs / sizeof *defs; i++) {
        const char *a = strstr(t, defs[i].from), *b = strstr(a, defs[i].to);
        REQUIRE(a && b);
        parse_symbol *y = &s.v[s.n++];
        memset(y, 0, sizeof *y);
        y->name = (char *)defs[i].name;
        y->qualname = (char *)defs[i].qual;
        y->kind = defs[i].kind;
        y->start_byte = (size_t)(a - t);
        y->end_byte = (size_t)(b - t) + strlen(defs[i].to);
        y->parent = i >= 1 && i <= 3 ? 0 : -1;
    }
    chunk_opts o = {0, 512};
    chunk_list cl;
    chunk_list_init(&cl);
    REQUIRE(astchunk_build(t, n, s.v, s.n, &o, &cl) == CAIRN_OK);
    CHECK_INT(tac_check_tiling("braces", t, n, &cl, 0, 512), 0);
    const chunk *k = chunk_at(t, &cl, "    int beta");
    REQUIRE(k);
    CHECK(starts_with(t, k, "    /* member beta */"));
    CHECK_STR(k->symbol, "big.beta");
    CHECK_STR(k->context, "struct big {");
    CHECK(chunk_at(t, &cl, "};\n\n#define") == chunk_at(t, &cl, "int gamma"));
    /* The macro and the two functions share a chunk, named after the
     * first function rather than the macro. */
    k = chunk_at(t, &cl, "int add");
    REQUIRE(k);
    CHECK(starts_with(t, k, "#define STEP"));
    CHECK(k == chunk_at(t, &cl, "/**\n * Adds."));
    CHECK(k == chunk_at(t, &cl, "return a - b"));
    CHECK_STR(k->symbol, "add");
    CHECK(k->context == NULL);
    chunk_list_release(&cl);
}

/* A definition that opens a block ("if X:", "except ImportError:", a
 * JavaScript "if (...) {") takes the block's header along, with the
 * comments and blank lines between them; a header spanning lines is taken
 * whole, and one that begins with a closing bracket is not taken. */
TEST(astchunk_block_openers)
{
    static char t[16384];
    size_t n = 0;
    n += (size_t)snprintf(t + n, sizeof t - n, "import sys\n\nX = [\n    1,\n]\n"
                                               "if sys.platform == 'win32':  # Windows\n    # Native calls\n\n"
                                               "    def native():\n");
    body(t, sizeof t, &n, "        ", 8, "na");
    n += (size_t)snprintf(t + n, sizeof t - n, "\n    def other():\n");
    body(t, sizeof t, &n, "        ", 8, "ot");
    n += (size_t)snprintf(t + n, sizeof t - n, "else:\n    def native():\n");
    body(t, sizeof t, &n, "        ", 8, "nb");
    n += (size_t)snprintf(t + n, sizeof t - n, "for name in [\n    'a',\n    'b',\n]:\n    def gen():\n");
    body(t, sizeof t, &n, "        ", 8, "ge");
    size_t js = n;
    n += (size_t)snprintf(t + n, sizeof t - n, "if (typeof window !== 'undefined') {\n  function helper() {\n");
    body(t, sizeof t, &n, "    ", 8, "he");
    n += (size_t)snprintf(t + n, sizeof t - n, "  }\n} else {\n  function fallback() {\n");
    body(t, sizeof t, &n, "    ", 8, "fb");
    n += (size_t)snprintf(t + n, sizeof t - n, "  }\n}\n");
    symset s = {0};
    add_py(&s, t, "    def native", "native", "native", "function");
    add_py(&s, t, "    def other", "other", "other", "function");
    add_py(&s, t, "else:\n    def native", "native", "native", "function");
    s.v[s.n - 1].start_byte += 6; /* past "else:\n" */
    s.v[s.n - 1].end_byte = py_block_end(t, n, s.v[s.n - 1].start_byte);
    add_py(&s, t, "    def gen", "gen", "gen", "function");
    s.v[s.n - 1].end_byte = py_block_end(t, js, s.v[s.n - 1].start_byte);
    const char *fn[2][3] = {{"  function helper", "helper", "\n  }\n} else"}, {"  function fallback", "fallback", "\n  }\n}\n"}};
    for (int i = 0; i < 2; i++) {
        const char *a = strstr(t, fn[i][0]) + 2, *b = strstr(a, fn[i][2]);
        parse_symbol *y = &s.v[s.n++];
        memset(y, 0, sizeof *y);
        y->name = y->qualname = (char *)fn[i][1];
        y->kind = "function";
        y->start_byte = (size_t)(a - t);
        y->end_byte = (size_t)(b - t) + 4;
        y->parent = -1;
    }
    chunk_opts o = {0, 512};
    chunk_list cl;
    chunk_list_init(&cl);
    REQUIRE(astchunk_build(t, n, s.v, s.n, &o, &cl) == CAIRN_OK);
    CHECK_INT(tac_check_tiling("openers", t, n, &cl, 0, 512), 0);
    const chunk *k = chunk_at(t, &cl, "    def native");
    REQUIRE(k);
    CHECK(starts_with(t, k, "if sys.platform == 'win32':  # Windows\n    # Native calls\n\n    def native"));
    CHECK_STR(k->symbol, "native");
    k = chunk_at(t, &cl, "else:\n    def native");
    CHECK(starts_with(t, k, "else:\n    def native"));
    k = chunk_at(t, &cl, "    def gen");
    CHECK(starts_with(t, k, "for name in [\n"));
    CHECK_STR(k->symbol, "gen");
    k = chunk_at(t, &cl, "  function helper");
    CHECK(starts_with(t, k, "if (typeof window"));
    CHECK(k && k->symbol && !strcmp(k->symbol, "helper"));
    k = chunk_at(t, &cl, "  function fallback");
    CHECK(starts_with(t, k, "  function fallback"));
    chunk_list_release(&cl);
}

/* A long function's windows: a last window of one line ("}", "return x")
 * joins the one before instead of making a chunk of its own. */
TEST(astchunk_small_last_window_joins)
{
    static char t[8192];
    size_t n = (size_t)snprintf(t, sizeof t, "def long_one():\n");
    body(t, sizeof t, &n, "    ", 79, "lo");
    n += (size_t)snprintf(t + n, sizeof t - n, "    return None\n");
    symset s = {0};
    add_py(&s, t, "def long_one", "long_one", "long_one", "function");
    chunk_opts o = {0, 2048};
    chunk_list cl, windows;
    chunk_list_init(&cl);
    chunk_list_init(&windows);
    REQUIRE(astchunk_build(t, n, s.v, s.n, &o, &cl) == CAIRN_OK);
    REQUIRE(chunk_code(t, n, &o, &windows) == CAIRN_OK);
    CHECK_INT(tac_check_tiling("last-window", t, n, &cl, 0, 2048), 0);
    CHECK_INT(windows.n, 3); /* 40 lines, 40 lines, "return None" */
    REQUIRE(cl.n == 2);
    CHECK_INT(cl.items[1].start_byte, windows.items[1].start_byte);
    CHECK_INT(cl.items[1].end_byte, n);
    CHECK_STR(cl.items[1].symbol, "long_one");
    CHECK_STR(cl.items[1].context, "def long_one():");
    chunk_list_release(&cl);
    chunk_list_release(&windows);
}

/* Minified code: every definition on one line longer than the cap. */
TEST(astchunk_one_long_line)
{
    static char t[20000];
    symset s = {0};
    size_t n = 0;
    char names[40][16];
    for (int i = 0; i < 40; i++) {
        snprintf(names[i], sizeof names[i], "f%d", i);
        s.v[s.n].start_byte = n;
        n += (size_t)snprintf(t + n, sizeof t - n, "function f%d(a){var b=a*%d;return b+a;}", i, i);
        s.v[s.n].end_byte = n;
        s.v[s.n].name = s.v[s.n].qualname = names[i];
        s.v[s.n].kind = "function";
        s.v[s.n].parent = -1;
        s.n++;
    }
    t[n++] = '\n';
    chunk_opts o = {0, 512};
    chunk_list cl;
    chunk_list_init(&cl);
    REQUIRE(astchunk_build(t, n, s.v, s.n, &o, &cl) == CAIRN_OK);
    CHECK_INT(tac_check_tiling("minified", t, n, &cl, 0, 512), 0);
    CHECK(cl.n >= 3);
    for (size_t i = 0; i < cl.n; i++) {
        CHECK_INT(cl.items[i].start_line, 1);
        CHECK_STR(cl.items[i].symbol, "f0");
    }
    chunk_list_release(&cl);
}

TEST(astchunk_no_symbols_is_chunk_code)
{
    static char t[32768];
    size_t n = make_module(t, sizeof t);
    chunk_list a, b;
    chunk_list_init(&a);
    chunk_list_init(&b);
    REQUIRE(astchunk_build(t, n, NULL, 0, NULL, &a) == CAIRN_OK);
    REQUIRE(chunk_code(t, n, NULL, &b) == CAIRN_OK);
    REQUIRE(a.n == b.n && a.n > 1);
    for (size_t i = 0; i < a.n; i++) {
        CHECK_INT(a.items[i].start_byte, b.items[i].start_byte);
        CHECK_INT(a.items[i].end_byte, b.items[i].end_byte);
        CHECK(a.items[i].symbol == NULL);
    }
    chunk_list_release(&a);
    chunk_list_release(&b);

    /* Empty and blank text give no chunks, whatever the symbols say. */
    parse_symbol y;
    memset(&y, 0, sizeof y);
    y.name = y.qualname = (char *)"f";
    y.end_byte = 4;
    REQUIRE(astchunk_build("", 0, &y, 1, NULL, &a) == CAIRN_OK);
    CHECK_INT(a.n, 0);
    REQUIRE(astchunk_build(" \n\r\n\t\n", 6, &y, 1, NULL, &a) == CAIRN_OK);
    CHECK_INT(a.n, 0);
    chunk_list_release(&a);
}

TEST(astchunk_bad_spans)
{
    static char t[32768];
    size_t n = make_module(t, sizeof t);
    symset good;
    module_symbols(&good, t);
    /* Only unusable spans: the result is chunk_code's. */
    parse_symbol bad[5];
    memset(bad, 0, sizeof bad);
    size_t spans[5][2] = {{10, 10}, {200, 100}, {n + 5, n + 50}, {n, SIZE_MAX}, {SIZE_MAX, 3}};
    for (int i = 0; i < 5; i++) {
        bad[i].start_byte = spans[i][0];
        bad[i].end_byte = spans[i][1];
        bad[i].parent = 1000 + i; /* nonsense parents are ignored */
    }
    chunk_list a, b;
    chunk_list_init(&a);
    chunk_list_init(&b);
    REQUIRE(astchunk_build(t, n, bad, 5, NULL, &a) == CAIRN_OK);
    REQUIRE(chunk_code(t, n, NULL, &b) == CAIRN_OK);
    REQUIRE(a.n == b.n);
    for (size_t i = 0; i < a.n; i++)
        CHECK_INT(a.items[i].end_byte, b.items[i].end_byte);
    chunk_list_release(&a);
    chunk_list_release(&b);

    /* The good symbols reversed, mixed with the bad ones, a duplicate, one
     * straddling two functions, one running past the end (clamped: it
     * becomes a definition around almost everything) and one with no
     * names at all: same tiling rules, and the real definitions still lead
     * their chunks. */
    symset s = {0};
    for (size_t i = good.n; i-- > 0;)
        s.v[s.n++] = good.v[i];
    for (int i = 0; i < 4; i++)
        s.v[s.n++] = bad[i];
    s.v[s.n++] = good.v[3];
    parse_symbol straddle = good.v[0];
    straddle.start_byte += 4;
    straddle.end_byte = good.v[1].start_byte + 5;
    s.v[s.n++] = straddle;
    parse_symbol anon;
    memset(&anon, 0, sizeof anon);
    anon.start_byte = good.v[8].start_byte + 20;
    anon.end_byte = good.v[8].start_byte + 60;
    s.v[s.n++] = anon;
    parse_symbol wide = anon;
    wide.start_byte = 5;
    wide.end_byte = SIZE_MAX;
    s.v[s.n++] = wide;
    for (int cap = 0; cap <= 1024; cap += 1024) {
        chunk_opts o = {0, (size_t)cap};
        chunk_list_init(&a);
        REQUIRE(astchunk_build(t, n, s.v, s.n, &o, &a) == CAIRN_OK);
        CHECK_INT(tac_check_tiling("bad-spans", t, n, &a, 0, cap ? 1024 : CHUNK_CODE_BYTES), 0);
        const chunk *k = chunk_at(t, &a, "    def m1");
        CHECK(k && (!cap || starts_with(t, k, "    def m1")));
        /* The wide symbol, nameless, shows as its first line. */
        CHECK(k && k->context && !strncmp(k->context, "\"\"\"Module doc.\"\"\"", 17));
        chunk_list_release(&a);
    }
}

TEST(astchunk_line_endings_agree)
{
    static char lf[32768], crlf[40000], cr[32768];
    size_t n = make_module(lf, sizeof lf), a = 0, c = 0;
    for (size_t i = 0; i < n; i++) {
        if (lf[i] == '\n') {
            crlf[a++] = '\r';
            cr[c++] = '\r';
        } else {
            cr[c++] = lf[i];
        }
        crlf[a++] = lf[i];
    }
    crlf[a] = cr[c] = '\0';
    const char *texts[3] = {lf, crlf, cr};
    size_t lens[3] = {n, a, c};
    chunk_list cl[3];
    chunk_opts o = {0, 1024};
    for (int v = 0; v < 3; v++) {
        symset s;
        module_symbols(&s, texts[v]);
        chunk_list_init(&cl[v]);
        REQUIRE(astchunk_build(texts[v], lens[v], s.v, s.n, &o, &cl[v]) == CAIRN_OK);
        /* The cap counts the extra "\r"s: allow them. */
        CHECK_INT(tac_check_tiling(v == 1 ? "crlf" : v == 2 ? "cr" : "lf", texts[v], lens[v], &cl[v], 0, 1024 + 64), 0);
    }
    /* Everything up to the long function is cut alike; its windows count
     * bytes, which the extra "\r"s change. */
    REQUIRE(cl[0].n > 5);
    for (int v = 1; v < 3; v++) {
        REQUIRE(cl[v].n >= cl[0].n);
        int in_huge = 0;
        for (size_t i = 0; i < cl[0].n && !in_huge; i++) {
            const chunk *k = &cl[0].items[i], *w = &cl[v].items[i];
            in_huge = k->symbol && !strcmp(k->symbol, "huge");
            CHECK_INT(w->start_line, k->start_line);
            if (!in_huge)
                CHECK_INT(w->end_line, k->end_line);
            CHECK(!w->symbol == !k->symbol);
            if (k->symbol)
                CHECK_STR(w->symbol, k->symbol);
            CHECK(!w->context == !k->context);
            if (k->context)
                CHECK_STR(w->context, k->context);
        }
        CHECK(in_huge);
        CHECK_INT(cl[v].items[cl[v].n - 1].start_line, cl[0].items[cl[0].n - 1].start_line);
    }
    for (int v = 0; v < 3; v++)
        chunk_list_release(&cl[v]);
}

/* 10,000 definitions each inside the one before: no deep recursion, the
 * context stays under its cap, and the order of the symbols is irrelevant. */
TEST(astchunk_ten_thousand_nested)
{
    enum { DEPTH = 10000 };
    size_t cap = (size_t)DEPTH * 40, n = 0;
    char *t = malloc(cap);
    parse_symbol *v = calloc(DEPTH, sizeof *v), *r = calloc(DEPTH, sizeof *r);
    char(*names)[16] = malloc(DEPTH * sizeof *names);
    REQUIRE(t && v && r && names);
    for (int i = 0; i < DEPTH; i++) {
        v[i].start_byte = n;
        n += (size_t)snprintf(t + n, cap - n, "struct s%d {\n", i);
        snprintf(names[i], sizeof names[i], "s%d", i);
        v[i].name = v[i].qualname = names[i];
        v[i].kind = "struct";
        v[i].parent = i - 1;
    }
    n += (size_t)snprintf(t + n, cap - n, "int x;\n");
    for (int i = DEPTH; i-- > 0;) {
        n += (size_t)snprintf(t + n, cap - n, "};\n");
        v[i].end_byte = n;
    }
    for (int i = 0; i < DEPTH; i++)
        r[i] = v[DEPTH - 1 - i];
    chunk_list a, b;
    chunk_list_init(&a);
    chunk_list_init(&b);
    REQUIRE(astchunk_build(t, n, v, DEPTH, NULL, &a) == CAIRN_OK);
    REQUIRE(astchunk_build(t, n, r, DEPTH, NULL, &b) == CAIRN_OK);
    CHECK_INT(tac_check_tiling("nested", t, n, &a, 0, CHUNK_CODE_BYTES), 0);
    REQUIRE(a.n == b.n && a.n > 1);
    for (size_t i = 0; i < a.n; i++) {
        CHECK_INT(b.items[i].start_byte, a.items[i].start_byte);
        CHECK(!a.items[i].context || strlen(a.items[i].context) < CHUNK_CONTEXT_MAX);
        CHECK(a.items[i].symbol != NULL);
    }
    CHECK_STR(a.items[0].symbol, "s0");
    /* The outer levels are split one header at a time. */
    CHECK_STR(a.items[1].symbol, "s1");
    CHECK_STR(a.items[1].context, "struct s0 {");
    printf("     (10,000 nested: %zu chunks)\n", a.n);
    chunk_list_release(&a);
    chunk_list_release(&b);
    free(t);
    free(v);
    free(r);
    free(names);
}
