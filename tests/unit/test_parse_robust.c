/*
 * test_parse_robust.c — indexer/parse.h on bad input: syntax errors, deep
 * nesting, huge and one-line files, mixed line endings, a byte-order mark,
 * text in the wrong language, and parses that run out of time.
 *
 * Line numbers are recounted here independently: a line ends at "\n",
 * "\r\n" or a lone "\r" (indexer/chunk.h).
 */
#include "tests/unit/test.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "indexer/parse.h"
#include "util/buf.h"
#include "util/err.h"

static const parse_symbol *sym(const parse_result *r, const char *qualname)
{
    for (size_t i = 0; i < r->nsymbols; i++)
        if (strcmp(r->symbols[i].qualname, qualname) == 0)
            return &r->symbols[i];
    return NULL;
}

/* The first symbol called name (not qualname), or NULL. */
static const parse_symbol *named(const parse_result *r, const char *name)
{
    for (size_t i = 0; i < r->nsymbols; i++)
        if (strcmp(r->symbols[i].name, name) == 0)
            return &r->symbols[i];
    return NULL;
}

static int line_of(const char *t, size_t off)
{
    int line = 1;
    for (size_t i = 0; i < off; i++)
        if (t[i] == '\n' || (t[i] == '\r' && t[i + 1] != '\n'))
            line++;
    return line;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

TEST(parse_keeps_definitions_around_syntax_errors)
{
    const char *text =
        "def before(a):\n"
        "    return a\n"
        "\n"
        "x = = 3\n"
        "print 'old syntax'\n"
        "class Broken:\n"
        "    def m(self) pass\n"
        "\n"
        "def after(b):\n"
        "    '''Still found.'''\n"
        "    return b\n";
    parser *p;
    REQUIRE(parser_new(&p) == CAIRN_OK);
    parse_result r;
    REQUIRE(parse_file(p, "python", text, strlen(text), &r) == CAIRN_OK);
    CHECK_INT(r.had_errors, 1);
    CHECK(sym(&r, "before") != NULL);
    CHECK(sym(&r, "Broken") != NULL);
    const parse_symbol *s = sym(&r, "after");
    CHECK(s != NULL);
    if (s) {
        CHECK_INT(s->name_line, 9);
        CHECK_STR(s->doc, "Still found.");
    }
    parse_result_release(&r);

    const char *c = "int ok(void) { return 1; }\nint broken( { ;;; }\nstruct tail { int x; };\n";
    REQUIRE(parse_file(p, "c", c, strlen(c), &r) == CAIRN_OK);
    CHECK_INT(r.had_errors, 1);
    CHECK(sym(&r, "ok") != NULL);
    CHECK(named(&r, "tail") != NULL); /* swallowed by the broken declaration, still found */
    parse_result_release(&r);
    parser_free(p);
}

/* 10,000 levels of nesting: the grammar's parse, the query and every walk
 * of parse.c must stay off the C stack (this also runs under ASan). */
TEST(parse_survives_deep_nesting)
{
    enum { DEPTH = 10000 };
    buf b;
    buf_init(&b, 0);
    parser *p;
    REQUIRE(parser_new(&p) == CAIRN_OK);
    parse_result r;

    for (int i = 0; i < DEPTH; i++)
        buf_printf(&b, "function f%d() {", i);
    for (int i = 0; i < DEPTH; i++)
        buf_putc(&b, '}');
    buf_puts(&b, "\nfunction after() {}\n");
    double t0 = now();
    REQUIRE(parse_file(p, "javascript", b.data, b.len, &r) == CAIRN_OK);
    CHECK(now() - t0 < 30.0);
    CHECK_INT(r.nsymbols, DEPTH + 1);
    if (r.nsymbols == DEPTH + 1) {
        CHECK_INT(r.symbols[DEPTH - 1].parent, DEPTH - 2);
        CHECK_STR(r.symbols[DEPTH - 1].name, "f9999");
        CHECK(strlen(r.symbols[DEPTH - 1].qualname) <= 1024);
        CHECK_STR(r.symbols[DEPTH].qualname, "after");
        CHECK_INT(r.symbols[DEPTH].parent, -1);
    }
    parse_result_release(&r);

    buf_clear(&b);
    buf_puts(&b, "x = ");
    for (int i = 0; i < DEPTH; i++)
        buf_putc(&b, '(');
    buf_putc(&b, '1');
    for (int i = 0; i < DEPTH; i++)
        buf_putc(&b, ')');
    buf_puts(&b, "\ndef after():\n    pass\n");
    REQUIRE(parse_file(p, "python", b.data, b.len, &r) == CAIRN_OK);
    CHECK(sym(&r, "after") != NULL);
    parse_result_release(&r);

    buf_clear(&b);
    buf_puts(&b, "void f(void) ");
    for (int i = 0; i < DEPTH; i++)
        buf_puts(&b, "{ g();");
    for (int i = 0; i < DEPTH; i++)
        buf_putc(&b, '}');
    buf_puts(&b, "\nint after(void) { return 0; }\n");
    REQUIRE(parse_file(p, "c", b.data, b.len, &r) == CAIRN_OK);
    CHECK(sym(&r, "f") != NULL);
    CHECK(sym(&r, "after") != NULL);
    CHECK_INT(r.nrefs, DEPTH);
    if (r.nrefs == DEPTH)
        CHECK_INT(r.refs[DEPTH - 1].enclosing, 0);
    parse_result_release(&r);

    buf_clear(&b);
    for (int i = 0; i < DEPTH; i++)
        buf_printf(&b, "mod m%d {", i);
    for (int i = 0; i < DEPTH; i++)
        buf_putc(&b, '}');
    REQUIRE(parse_file(p, "rust", b.data, b.len, &r) == CAIRN_OK);
    CHECK_INT(r.nsymbols, DEPTH);
    parse_result_release(&r);
    parser_free(p);
    buf_release(&b);
}

TEST(parse_handles_a_100000_line_file)
{
    enum { FUNCS = 25000 };
    buf b;
    buf_init(&b, 0);
    for (int i = 0; i < FUNCS; i++)
        buf_printf(&b, "def generated_%d(x):\n    \"\"\"Doc %d.\"\"\"\n    return helper(x, %d)\n\n", i, i, i);
    parser *p;
    REQUIRE(parser_new(&p) == CAIRN_OK);
    parse_result r;
    double t0 = now();
    REQUIRE(parse_file(p, "python", b.data, b.len, &r) == CAIRN_OK);
    CHECK(now() - t0 < 60.0);
    CHECK_INT(r.timed_out, 0);
    CHECK_INT(r.nsymbols, FUNCS);
    CHECK_INT(r.nrefs, FUNCS);
    if (r.nsymbols == FUNCS) {
        const parse_symbol *last = &r.symbols[FUNCS - 1];
        CHECK_STR(last->name, "generated_24999");
        CHECK_INT(last->start_line, 4 * (FUNCS - 1) + 1);
        CHECK_INT(last->end_line, 4 * (FUNCS - 1) + 3);
        CHECK_STR(last->doc, "Doc 24999.");
    }
    if (r.nrefs == FUNCS) {
        CHECK_INT(r.refs[FUNCS - 1].line, 4 * (FUNCS - 1) + 3);
        CHECK_INT(r.refs[FUNCS - 1].enclosing, FUNCS - 1);
    }
    parse_result_release(&r);
    parser_free(p);
    buf_release(&b);
}

TEST(parse_handles_minified_javascript_on_one_line)
{
    enum { FUNCS = 5000 };
    buf b;
    buf_init(&b, 0);
    buf_puts(&b, "!function(){");
    for (int i = 0; i < FUNCS; i++)
        buf_printf(&b, "function m%d(a){return a+n%d(a)}var v%d=m%d(1);", i, i, i, i);
    buf_puts(&b, "}();");
    parser *p;
    REQUIRE(parser_new(&p) == CAIRN_OK);
    parse_result r;
    REQUIRE(parse_file(p, "javascript", b.data, b.len, &r) == CAIRN_OK);
    size_t found = 0;
    for (size_t i = 0; i < r.nsymbols; i++) {
        const parse_symbol *s = &r.symbols[i];
        if (s->name[0] != 'm')
            continue;
        found++;
        CHECK_INT(s->start_line, 1);
        CHECK_INT(s->end_line, 1);
        /* the span is the function, byte for byte, on the one line */
        CHECK(strncmp(b.data + s->start_byte, "function ", 9) == 0);
        CHECK(b.data[s->end_byte - 1] == '}');
        CHECK(strlen(s->signature) < 64);
    }
    CHECK_INT(found, FUNCS);
    parse_result_release(&r);
    parser_free(p);
    buf_release(&b);
}

TEST(parse_counts_mixed_line_endings_like_the_chunker)
{
    /* LF, CRLF and lone CR lines mixed */
    const char *text =
        "def a():\r\n"
        "    return 1\r"
        "\r"
        "def b():\n"
        "    x = 1\r\n"
        "    return call_b(x)\r"
        "class C:\r\n"
        "    def m(self):\r"
        "        pass\n";
    parser *p;
    REQUIRE(parser_new(&p) == CAIRN_OK);
    parse_result r;
    REQUIRE(parse_file(p, "python", text, strlen(text), &r) == CAIRN_OK);
    const char *names[] = {"a", "b", "C", "C.m"};
    for (size_t i = 0; i < 4; i++) {
        const parse_symbol *s = sym(&r, names[i]);
        CHECK(s != NULL);
        if (!s)
            continue;
        CHECK_INT(s->start_line, line_of(text, s->start_byte));
        CHECK_INT(s->end_line, line_of(text, s->end_byte - 1));
        CHECK_INT(s->name_line, s->start_line);
    }
    CHECK_INT(sym(&r, "b")->start_line, 4);
    CHECK_INT(sym(&r, "C.m")->start_line, 8);
    CHECK_INT(sym(&r, "C.m")->end_line, 9);
    for (size_t i = 0; i < r.nrefs; i++)
        CHECK_INT(r.refs[i].line, line_of(text, r.refs[i].start_byte));
    parse_result_release(&r);
    parser_free(p);
}

TEST(parse_skips_a_byte_order_mark)
{
    const char *text = "\xEF\xBB\xBF" "def first():\n    pass\n\ndef second():\n    pass\n";
    parser *p;
    REQUIRE(parser_new(&p) == CAIRN_OK);
    parse_result r;
    REQUIRE(parse_file(p, "python", text, strlen(text), &r) == CAIRN_OK);
    CHECK_INT(r.had_errors, 0);
    const parse_symbol *s = sym(&r, "first");
    REQUIRE(s != NULL);
    CHECK_INT(s->start_byte, 3); /* offsets count the mark */
    CHECK_INT(s->start_line, 1);
    s = sym(&r, "second");
    REQUIRE(s != NULL);
    CHECK(strncmp(text + s->start_byte, "def second", 10) == 0);
    CHECK_INT(s->start_line, 4);
    parse_result_release(&r);
    parser_free(p);
}

TEST(parse_survives_text_in_the_wrong_language)
{
    const char *c = "#include <stdio.h>\nint main(void) { printf(\"hi\\n\"); return 0; }\n";
    const char *py = "def f(x):\n    return [i for i in x if i]\n";
    const char *junk = "\x01\x02{{{ ]]] ((( \"unterminated '\n\t\xff\xfe <<<>>> ;;; end end";
    const char *langs[] = {"python", "rust", "ruby", "bash", "cpp", "go", "java", "tsx"};
    const char *texts[] = {c, py, junk};
    parser *p;
    REQUIRE(parser_new(&p) == CAIRN_OK);
    for (size_t i = 0; i < sizeof langs / sizeof langs[0]; i++)
        for (size_t k = 0; k < 3; k++) {
            parse_result r;
            CHECK_INT(parse_file(p, langs[i], texts[k], strlen(texts[k]), &r), CAIRN_OK);
            for (size_t j = 0; j < r.nsymbols; j++) {
                CHECK(r.symbols[j].start_byte <= r.symbols[j].end_byte);
                CHECK(r.symbols[j].end_byte <= strlen(texts[k]));
                CHECK(r.symbols[j].signature != NULL);
            }
            parse_result_release(&r);
        }
    /* an empty file */
    parse_result r;
    CHECK_INT(parse_file(p, "python", "", 0, &r), CAIRN_OK);
    CHECK_INT(r.nsymbols, 0);
    parse_result_release(&r);
    parser_free(p);
}

TEST(parse_stops_at_its_time_limit)
{
    buf b;
    buf_init(&b, 0);
    for (int i = 0; i < 40000; i++)
        buf_printf(&b, "def f%d(a, b):\n    return [x * a for x in range(b) if x %% 3]\n", i);
    parser *p;
    REQUIRE(parser_new(&p) == CAIRN_OK);
    parse_result r;
    parser_set_time_limit(p, 0, 1); /* 1 ms per MB: far too little */
    REQUIRE(parse_file(p, "python", b.data, b.len, &r) == CAIRN_OK);
    CHECK_INT(r.timed_out, 1);
    CHECK_INT(r.nsymbols, 0);
    parse_result_release(&r);
    /* the same parser works again once the bound is lifted */
    parser_set_time_limit(p, 2000, 1000);
    REQUIRE(parse_file(p, "python", b.data, b.len, &r) == CAIRN_OK);
    CHECK_INT(r.timed_out, 0);
    CHECK_INT(r.nsymbols, 40000);
    parse_result_release(&r);
    parser_free(p);
    buf_release(&b);
}
