/*
 * test_parse.c — definitions and references per language (indexer/parse.h).
 *
 * One snippet per language exercises the forms its query must know:
 * qualified names, kinds, signatures, docs, parents, lines, references and
 * their enclosing definitions.  test_parse_robust.c has the bad inputs.
 */
#include "tests/unit/test.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "indexer/parse.h"
#include "util/err.h"

static const parse_symbol *sym(const parse_result *r, const char *qualname)
{
    for (size_t i = 0; i < r->nsymbols; i++)
        if (strcmp(r->symbols[i].qualname, qualname) == 0)
            return &r->symbols[i];
    return NULL;
}

static const parse_ref *ref(const parse_result *r, const char *kind, const char *name)
{
    for (size_t i = 0; i < r->nrefs; i++)
        if (strcmp(r->refs[i].kind, kind) == 0 && strcmp(r->refs[i].name, name) == 0)
            return &r->refs[i];
    return NULL;
}

/* The qualified name of the symbol at index i, or "(none)". */
static const char *qual_at(const parse_result *r, int i)
{
    return i >= 0 && (size_t)i < r->nsymbols ? r->symbols[i].qualname : "(none)";
}

/* Parse text as lang with a fresh parser; the caller releases r. */
static int parse(const char *lang, const char *text, parse_result *r)
{
    parser *p;
    if (parser_new(&p) != CAIRN_OK)
        return -1;
    int rc = parse_file(p, lang, text, strlen(text), r);
    parser_free(p);
    return rc;
}

TEST(parse_supports_the_languages_of_the_issue)
{
    const char *langs[] = {"c", "cpp", "python", "javascript", "typescript", "tsx",
                           "go", "rust", "java", "ruby", "bash"};
    for (size_t i = 0; i < sizeof langs / sizeof langs[0]; i++)
        CHECK(parse_supported(langs[i]));
    CHECK(!parse_supported("markdown"));
    CHECK(!parse_supported(NULL));

    parse_result r;
    CHECK_INT(parse("markdown", "# hi\n", &r), CAIRN_ERR_NOTFOUND);
    CHECK(strstr(err_msg(), "markdown") != NULL);
    CHECK_INT(r.nsymbols, 0);
    parse_result_release(&r);
    parse_result_release(NULL);
    parser_free(NULL);
}

/* Every language's queries compile and find its most basic definition. */
TEST(parse_each_language_finds_a_function)
{
    static const struct {
        const char *lang, *text, *qualname, *kind;
    } cases[] = {
        {"c", "int add(int a, int b) { return a + b; }\n", "add", "function"},
        {"cpp", "namespace ns { int add(int a) { return a; } }\n", "ns.add", "function"},
        {"python", "def add(a, b):\n    return a + b\n", "add", "function"},
        {"javascript", "function add(a, b) { return a + b; }\n", "add", "function"},
        {"typescript", "function add(a: number): number { return a; }\n", "add", "function"},
        {"tsx", "const App = () => <div className=\"x\">{1}</div>;\n", "App", "function"},
        {"go", "package m\nfunc Add(a int) int { return a }\n", "m.Add", "function"},
        {"rust", "fn add(a: i32) -> i32 { a }\n", "add", "function"},
        {"java", "class A { int add(int a) { return a; } }\n", "A.add", "method"},
        {"ruby", "def add(a, b)\n  a + b\nend\n", "add", "method"},
        {"bash", "add() {\n  echo $(( $1 + $2 ))\n}\n", "add", "function"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        parse_result r;
        int rc = parse(cases[i].lang, cases[i].text, &r);
        CHECK_INT(rc, CAIRN_OK);
        if (rc)
            fprintf(stderr, "    %s: %s\n", cases[i].lang, err_msg());
        const parse_symbol *s = sym(&r, cases[i].qualname);
        CHECK(s != NULL);
        if (s)
            CHECK_STR(s->kind, cases[i].kind);
        else
            fprintf(stderr, "    %s: no %s\n", cases[i].lang, cases[i].qualname);
        CHECK_INT(r.had_errors, 0);
        parse_result_release(&r);
    }
}

TEST(parse_python_definitions)
{
    const char *text =
        "import os.path\n"                                  /* 1 */
        "from collections.abc import Mapping as M\n"       /* 2 */
        "MAX_SIZE = 10\n"                                   /* 3 */
        "default_name = 'x'\n"                              /* 4 */
        "# Base of everything.\n"                           /* 5 */
        "class Base(object, metaclass=Meta):\n"             /* 6 */
        "    '''A base class.\n"                            /* 7 */
        "\n"                                                /* 8 */
        "    More text.\n"                                  /* 9 */
        "    '''\n"                                         /* 10 */
        "    @property\n"                                   /* 11 */
        "    def name(self) -> str:\n"                      /* 12 */
        "        \"\"\"The name.\"\"\"\n"                   /* 13 */
        "        return os.path.join(self.root, helper(1))\n" /* 14 */
        "\n"                                                /* 15 */
        "    async def run(self, *args,\n"                  /* 16 */
        "                  **kw):\n"                        /* 17 */
        "        def inner():\n"                            /* 18 */
        "            pass\n"                                /* 19 */
        "        return inner\n"                            /* 20 */
        "\n"                                                /* 21 */
        "class Child(Base, pkg.Mixin):\n"                   /* 22 */
        "    pass\n";                                       /* 23 */
    parse_result r;
    REQUIRE(parse("python", text, &r) == CAIRN_OK);

    const parse_symbol *c = sym(&r, "Base");
    REQUIRE(c != NULL);
    CHECK_STR(c->kind, "class");
    CHECK_STR(c->signature, "class Base(object, metaclass=Meta)");
    CHECK_STR(c->doc, "A base class.\n\nMore text.");
    CHECK_INT(c->start_line, 6);
    CHECK_INT(c->end_line, 20);
    CHECK_INT(c->parent, -1);

    const parse_symbol *m = sym(&r, "Base.name");
    REQUIRE(m != NULL);
    CHECK_STR(m->kind, "method");
    CHECK_STR(m->name, "name");
    CHECK_STR(m->signature, "def name(self) -> str");
    CHECK_STR(m->doc, "The name.");
    CHECK_INT(m->start_line, 12); /* the def, not its decorator */
    CHECK_INT(m->name_line, 12);
    CHECK_INT(m->end_line, 14);
    CHECK_STR(qual_at(&r, m->parent), "Base");
    CHECK(strncmp(text + m->start_byte, "def name", 8) == 0);
    CHECK(text[m->end_byte - 1] == ')');

    const parse_symbol *run = sym(&r, "Base.run");
    REQUIRE(run != NULL);
    CHECK_STR(run->signature, "async def run(self, *args, **kw)");
    CHECK(run->doc == NULL);
    const parse_symbol *inner = sym(&r, "Base.run.inner");
    REQUIRE(inner != NULL);
    CHECK_STR(inner->kind, "function");
    CHECK_STR(qual_at(&r, inner->parent), "Base.run");

    const parse_symbol *k = sym(&r, "MAX_SIZE");
    REQUIRE(k != NULL);
    CHECK_STR(k->kind, "constant");
    const parse_symbol *v = sym(&r, "default_name");
    REQUIRE(v != NULL);
    CHECK_STR(v->kind, "variable");

    /* source order, parents before children */
    for (size_t i = 1; i < r.nsymbols; i++)
        CHECK(r.symbols[i - 1].start_byte <= r.symbols[i].start_byte);
    for (size_t i = 0; i < r.nsymbols; i++)
        CHECK(r.symbols[i].parent < (int)i);

    const parse_ref *f = ref(&r, "call", "join");
    REQUIRE(f != NULL);
    CHECK_STR(f->qualifier, "os.path");
    CHECK_INT(f->line, 14);
    CHECK_STR(qual_at(&r, f->enclosing), "Base.name");
    f = ref(&r, "call", "helper");
    REQUIRE(f != NULL);
    CHECK(f->qualifier == NULL);
    CHECK(strncmp(text + f->start_byte, "helper", 6) == 0 && f->end_byte - f->start_byte == 6);
    f = ref(&r, "import", "path");
    REQUIRE(f != NULL);
    CHECK_STR(f->qualifier, "os");
    CHECK_INT(f->enclosing, -1);
    f = ref(&r, "import", "Mapping");
    REQUIRE(f != NULL);
    CHECK_STR(f->qualifier, "collections.abc");
    f = ref(&r, "inherit", "Mixin");
    REQUIRE(f != NULL);
    CHECK_STR(f->qualifier, "pkg");
    CHECK_STR(qual_at(&r, f->enclosing), "Child");
    CHECK(ref(&r, "inherit", "Base") != NULL);
    CHECK(ref(&r, "inherit", "Meta") == NULL); /* a keyword argument, not a base */
    CHECK(ref(&r, "type", "str") != NULL);
    for (size_t i = 1; i < r.nrefs; i++)
        CHECK(r.refs[i - 1].start_byte <= r.refs[i].start_byte);
    parse_result_release(&r);
}

TEST(parse_c_definitions)
{
    const char *text =
        "#include <stdio.h>\n"                                        /* 1 */
        "#include \"curl/curl.h\"\n"                                  /* 2 */
        "#define MAX_LEN 64\n"                                        /* 3 */
        "#define SQUARE(x) ((x) * (x))\n"                             /* 4 */
        "/* A list node. */\n"                                        /* 5 */
        "typedef struct node {\n"                                     /* 6 */
        "    int value;\n"                                            /* 7 */
        "    struct node *next;\n"                                    /* 8 */
        "} node_t;\n"                                                 /* 9 */
        "enum color { RED, GREEN = 2 };\n"                            /* 10 */
        "typedef int (*callback)(void *arg);\n"                       /* 11 */
        "SQLITE_API int sqlite3_open(const char *name, sqlite3 **db);\n" /* 12 */
        "SQLITE_API sqlite3_int64 sqlite3_last_insert_rowid(sqlite3*);\n" /* 13 */
        "char **split_words(const char *s);\n"                        /* 14 */
        "static int\n"                                                /* 15 */
        "list_length(const node_t *n)\n"                              /* 16 */
        "{\n"                                                         /* 17 */
        "    int len = 0;\n"                                          /* 18 */
        "    for (; n; n = n->next)\n"                                /* 19 */
        "        len += count(n);\n"                                  /* 20 */
        "    return len;\n"                                           /* 21 */
        "}\n";                                                        /* 22 */
    parse_result r;
    REQUIRE(parse("c", text, &r) == CAIRN_OK);
    const parse_symbol *s = sym(&r, "MAX_LEN");
    REQUIRE(s != NULL);
    CHECK_STR(s->kind, "macro");
    CHECK_STR(s->signature, "#define MAX_LEN 64");
    CHECK(sym(&r, "SQUARE") != NULL);
    s = sym(&r, "node");
    REQUIRE(s != NULL);
    CHECK_STR(s->kind, "struct");
    CHECK_INT(s->parent, -1); /* not a member of its typedef */
    s = sym(&r, "node_t");
    REQUIRE(s != NULL);
    CHECK_STR(s->kind, "type");
    CHECK_STR(s->signature, "typedef struct node {\xE2\x80\xA6} node_t");
    CHECK_STR(s->doc, "A list node.");
    s = sym(&r, "color.GREEN");
    REQUIRE(s != NULL);
    CHECK_STR(s->kind, "constant");
    CHECK_STR(sym(&r, "color")->kind, "enum");
    CHECK(sym(&r, "callback") != NULL);
    s = sym(&r, "sqlite3_open");
    REQUIRE(s != NULL);
    CHECK_STR(s->kind, "function");
    CHECK_STR(s->signature, "SQLITE_API int sqlite3_open(const char *name, sqlite3 **db)");
    CHECK(sym(&r, "sqlite3_last_insert_rowid") != NULL); /* misparsed by the grammar, recovered */
    CHECK(sym(&r, "split_words") != NULL);
    s = sym(&r, "list_length");
    REQUIRE(s != NULL);
    CHECK_INT(s->start_line, 15);
    CHECK_INT(s->name_line, 16);
    CHECK_INT(s->end_line, 22);
    CHECK_STR(s->signature, "static int list_length(const node_t *n)");
    CHECK(sym(&r, "len") == NULL); /* locals are not definitions */

    const parse_ref *f = ref(&r, "include", "curl.h");
    REQUIRE(f != NULL);
    CHECK_STR(f->qualifier, "curl");
    CHECK(ref(&r, "include", "stdio.h") != NULL);
    f = ref(&r, "call", "count");
    REQUIRE(f != NULL);
    CHECK_STR(qual_at(&r, f->enclosing), "list_length");
    f = ref(&r, "type", "node_t");
    REQUIRE(f != NULL);
    CHECK_INT(f->line, 16);
    parse_result_release(&r);
}

TEST(parse_cpp_definitions)
{
    const char *text =
        "namespace outer {\n"                                    /* 1 */
        "class GTEST_API_ Widget : public Base<int> {\n"         /* 2 */
        " public:\n"                                             /* 3 */
        "  Widget();\n"                                          /* 4 */
        "  ~Widget();\n"                                         /* 5 */
        "  int size() const GUARDED_BY(mu_);\n"                  /* 6 */
        "  Widget& operator=(const Widget&) = delete;\n"         /* 7 */
        "  template <typename T> T get() const { return T(); }\n" /* 8 */
        "};\n"                                                   /* 9 */
        "int Widget::size() const { return std::max(1, n_); }\n" /* 10 */
        "}  // namespace outer\n"                                /* 11 */
        "using Alias = outer::Widget;\n";                        /* 12 */
    parse_result r;
    REQUIRE(parse("cpp", text, &r) == CAIRN_OK);
    const parse_symbol *s = sym(&r, "outer");
    REQUIRE(s != NULL);
    CHECK_STR(s->kind, "namespace");
    s = sym(&r, "outer.Widget");
    REQUIRE(s != NULL);
    CHECK_STR(s->kind, "class");
    CHECK_STR(s->signature, "class GTEST_API_ Widget : public Base<int>");
    CHECK(sym(&r, "outer.Widget.Widget") != NULL);
    CHECK(sym(&r, "outer.Widget.~Widget") != NULL);
    CHECK(sym(&r, "outer.Widget.operator=") != NULL);
    s = sym(&r, "outer.Widget.get");
    REQUIRE(s != NULL);
    CHECK_STR(s->kind, "method");
    /* the declaration in the class and the definition out of line */
    int n = 0;
    for (size_t i = 0; i < r.nsymbols; i++)
        if (strcmp(r.symbols[i].qualname, "outer.Widget.size") == 0) {
            n++;
            CHECK_STR(r.symbols[i].kind, "method");
        }
    CHECK_INT(n, 2);
    s = sym(&r, "Alias");
    REQUIRE(s != NULL);
    CHECK_STR(s->kind, "type");
    const parse_ref *f = ref(&r, "call", "max");
    REQUIRE(f != NULL);
    CHECK_STR(f->qualifier, "std");
    f = ref(&r, "inherit", "Base");
    REQUIRE(f != NULL);
    CHECK_STR(qual_at(&r, f->enclosing), "outer.Widget");
    parse_result_release(&r);
}

TEST(parse_go_definitions)
{
    const char *text =
        "package server\n"
        "\n"
        "import (\n"
        "\t\"fmt\"\n"
        "\th \"net/http\"\n"
        ")\n"
        "\n"
        "// Server serves.\n"
        "type Server struct {\n"
        "\tAddr string\n"
        "\t*Embedded\n"
        "}\n"
        "\n"
        "type Handler interface {\n"
        "\tServe(w h.ResponseWriter) error\n"
        "}\n"
        "\n"
        "const MaxConns = 10\n"
        "\n"
        "// Start starts.\n"
        "func (s *Server) Start(port int) error {\n"
        "\tfmt.Println(port)\n"
        "\treturn s.listen()\n"
        "}\n";
    parse_result r;
    REQUIRE(parse("go", text, &r) == CAIRN_OK);
    const parse_symbol *s = sym(&r, "server.Server");
    REQUIRE(s != NULL);
    CHECK_STR(s->kind, "struct");
    CHECK_STR(s->signature, "type Server struct");
    CHECK_STR(s->doc, "Server serves.");
    s = sym(&r, "server.Server.Start");
    REQUIRE(s != NULL);
    CHECK_STR(s->kind, "method");
    CHECK_STR(s->name, "Start");
    CHECK_STR(s->signature, "func (s *Server) Start(port int) error");
    CHECK_STR(s->doc, "Start starts.");
    CHECK_STR(sym(&r, "server.Handler")->kind, "interface");
    CHECK_STR(sym(&r, "server.Handler.Serve")->kind, "method");
    CHECK_STR(sym(&r, "server.MaxConns")->kind, "constant");
    const parse_ref *f = ref(&r, "import", "http");
    REQUIRE(f != NULL);
    CHECK_STR(f->qualifier, "net");
    f = ref(&r, "call", "Println");
    REQUIRE(f != NULL);
    CHECK_STR(f->qualifier, "fmt");
    CHECK_STR(qual_at(&r, f->enclosing), "server.Server.Start");
    CHECK(ref(&r, "inherit", "Embedded") != NULL);
    parse_result_release(&r);
}

TEST(parse_rust_definitions)
{
    const char *text =
        "use std::collections::{HashMap, HashSet as Set};\n"
        "/// A point.\n"
        "/// In two dimensions.\n"
        "#[derive(Debug)]\n"
        "pub struct Point<T> { x: T, y: T }\n"
        "impl<T: Clone> fmt::Display for Point<T> {\n"
        "    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result { write!(f, \"p\") }\n"
        "}\n"
        "impl Point<f64> {\n"
        "    pub fn norm(&self) -> f64 { self.x.hypot(self.y) }\n"
        "}\n"
        "pub trait Shape { fn area(&self) -> f64; }\n"
        "mod tests { fn helper() {} }\n"
        "macro_rules! square { ($x:expr) => { $x * $x }; }\n"
        "const LIMIT: u32 = 3;\n";
    parse_result r;
    REQUIRE(parse("rust", text, &r) == CAIRN_OK);
    const parse_symbol *s = sym(&r, "Point");
    REQUIRE(s != NULL);
    CHECK_STR(s->kind, "struct");
    CHECK_STR(s->doc, "A point.\nIn two dimensions.");
    s = sym(&r, "Display for Point");
    REQUIRE(s != NULL);
    CHECK_STR(s->kind, "impl");
    s = sym(&r, "Display for Point.fmt");
    REQUIRE(s != NULL);
    CHECK_STR(s->kind, "method");
    CHECK_STR(sym(&r, "Point.norm")->kind, "method");
    CHECK_STR(sym(&r, "Shape")->kind, "trait");
    CHECK_STR(sym(&r, "Shape.area")->kind, "method");
    CHECK_STR(sym(&r, "tests")->kind, "module");
    CHECK_STR(sym(&r, "tests.helper")->kind, "function");
    s = sym(&r, "square");
    REQUIRE(s != NULL);
    CHECK_STR(s->kind, "macro");
    CHECK_STR(s->signature, "macro_rules! square");
    CHECK_STR(sym(&r, "LIMIT")->kind, "constant");
    const parse_ref *f = ref(&r, "inherit", "Display");
    REQUIRE(f != NULL);
    CHECK_STR(f->qualifier, "fmt");
    f = ref(&r, "import", "HashSet");
    REQUIRE(f != NULL);
    CHECK_STR(f->qualifier, "std::collections");
    f = ref(&r, "call", "hypot");
    REQUIRE(f != NULL);
    CHECK_STR(f->qualifier, "self.x");
    CHECK_STR(qual_at(&r, f->enclosing), "Point.norm");
    parse_result_release(&r);
}

TEST(parse_javascript_definitions)
{
    const char *text =
        "import { readFile } from './lib/fs.js';\n"
        "const path = require('path');\n"
        "/** Adds two numbers. */\n"
        "export function add(a, b) { return a + b; }\n"
        "export default class Cart extends Base {\n"
        "  static count = 0;\n"
        "  onClick = (e) => { this.total(e); };\n"
        "  get size() { return 1; }\n"
        "}\n"
        "const double = (x) => x * 2;\n"
        "Cart.prototype.legacy = function () {};\n"
        "module.exports.helper = function () {};\n"
        "const MAX_ITEMS = 10;\n";
    parse_result r;
    REQUIRE(parse("javascript", text, &r) == CAIRN_OK);
    const parse_symbol *s = sym(&r, "add");
    REQUIRE(s != NULL);
    CHECK_STR(s->doc, "Adds two numbers.");
    CHECK_STR(s->signature, "function add(a, b)");
    CHECK_STR(sym(&r, "Cart")->kind, "class");
    s = sym(&r, "Cart.onClick");
    REQUIRE(s != NULL);
    CHECK_STR(s->kind, "method");
    CHECK(sym(&r, "Cart.size") != NULL);
    CHECK(sym(&r, "Cart.count") == NULL); /* a plain field */
    s = sym(&r, "double");
    REQUIRE(s != NULL);
    CHECK_STR(s->kind, "function");
    CHECK_STR(s->signature, "const double = (x) =>");
    s = sym(&r, "Cart.legacy");
    REQUIRE(s != NULL);
    CHECK_STR(s->kind, "method");
    CHECK(sym(&r, "module.exports.helper") != NULL);
    CHECK_STR(sym(&r, "MAX_ITEMS")->kind, "constant");
    CHECK(sym(&r, "path") == NULL); /* a require() result */
    const parse_ref *f = ref(&r, "import", "fs.js");
    REQUIRE(f != NULL);
    CHECK_STR(f->qualifier, "./lib");
    CHECK(ref(&r, "import", "path") != NULL);
    f = ref(&r, "call", "total");
    REQUIRE(f != NULL);
    CHECK_STR(f->qualifier, "this");
    CHECK_STR(qual_at(&r, f->enclosing), "Cart.onClick");
    CHECK(ref(&r, "inherit", "Base") != NULL);
    parse_result_release(&r);
}

TEST(parse_typescript_and_tsx_definitions)
{
    const char *ts =
        "export interface Shape extends Base<T> { area(): number; name: string; }\n"
        "export type Id = string | number;\n"
        "export enum Color { Red, Green }\n"
        "export abstract class Animal implements Walker {\n"
        "  abstract move(d: number): void;\n"
        "}\n"
        "declare function greet(x: Person): string;\n"
        "namespace Geometry { export function area(s: Shape): number { return 0; } }\n";
    parse_result r;
    REQUIRE(parse("typescript", ts, &r) == CAIRN_OK);
    CHECK_STR(sym(&r, "Shape")->kind, "interface");
    CHECK_STR(sym(&r, "Shape.area")->kind, "method");
    CHECK_STR(sym(&r, "Id")->kind, "type");
    CHECK_STR(sym(&r, "Color")->kind, "enum");
    CHECK_STR(sym(&r, "Animal")->kind, "class");
    CHECK_STR(sym(&r, "Animal.move")->kind, "method");
    CHECK_STR(sym(&r, "greet")->kind, "function");
    CHECK_STR(sym(&r, "Geometry")->kind, "namespace");
    CHECK(sym(&r, "Geometry.area") != NULL);
    const parse_ref *f = ref(&r, "type", "Person");
    REQUIRE(f != NULL);
    CHECK_STR(qual_at(&r, f->enclosing), "greet");
    CHECK(ref(&r, "inherit", "Walker") != NULL);
    CHECK(ref(&r, "inherit", "Base") != NULL);
    parse_result_release(&r);

    const char *tsx =
        "import React from 'react';\n"
        "interface Props { title: string }\n"
        "export function Header({ title }: Props) {\n"
        "  return <h1 onClick={() => track(title)}>{title}</h1>;\n"
        "}\n";
    REQUIRE(parse("tsx", tsx, &r) == CAIRN_OK);
    CHECK_INT(r.had_errors, 0);
    CHECK_STR(sym(&r, "Header")->kind, "function");
    CHECK_STR(sym(&r, "Props")->kind, "interface");
    f = ref(&r, "call", "track");
    REQUIRE(f != NULL);
    CHECK_STR(qual_at(&r, f->enclosing), "Header");
    parse_result_release(&r);
}

TEST(parse_java_ruby_bash_definitions)
{
    const char *java =
        "package com.example;\n"
        "import java.util.List;\n"
        "/** A thing. */\n"
        "@Deprecated\n"
        "public class Thing<T> extends Base implements Runnable {\n"
        "    public static final int MAX = 3;\n"
        "    @Override\n"
        "    public void run() { helper.go(List.of()); }\n"
        "    enum Mode { ON, OFF }\n"
        "}\n";
    parse_result r;
    REQUIRE(parse("java", java, &r) == CAIRN_OK);
    const parse_symbol *s = sym(&r, "Thing");
    REQUIRE(s != NULL);
    CHECK_INT(s->start_line, 4);
    CHECK_INT(s->name_line, 5);
    CHECK_STR(s->doc, "A thing.");
    s = sym(&r, "Thing.run");
    REQUIRE(s != NULL);
    CHECK_INT(s->start_line, 7);
    CHECK_INT(s->name_line, 8);
    CHECK_STR(sym(&r, "Thing.MAX")->kind, "constant");
    CHECK_STR(sym(&r, "Thing.Mode.ON")->kind, "constant");
    CHECK(ref(&r, "import", "List") != NULL);
    CHECK(ref(&r, "inherit", "Runnable") != NULL);
    const parse_ref *f = ref(&r, "call", "go");
    REQUIRE(f != NULL);
    CHECK_STR(f->qualifier, "helper");
    parse_result_release(&r);

    const char *ruby =
        "require 'json'\n"
        "module Outer\n"
        "  # A widget.\n"
        "  class Lib::Widget < Base\n"
        "    include Comparable\n"
        "    VERSION = '1.0'\n"
        "    def self.build(x)\n"
        "      new(x)\n"
        "    end\n"
        "    def <=>(other); 0; end\n"
        "  end\n"
        "end\n";
    REQUIRE(parse("ruby", ruby, &r) == CAIRN_OK);
    CHECK_STR(sym(&r, "Outer")->kind, "module");
    s = sym(&r, "Outer.Lib.Widget");
    REQUIRE(s != NULL);
    CHECK_STR(s->kind, "class");
    CHECK_STR(s->doc, "A widget.");
    CHECK_STR(s->signature, "class Lib::Widget < Base");
    CHECK_STR(sym(&r, "Outer.Lib.Widget.build")->kind, "method");
    CHECK(sym(&r, "Outer.Lib.Widget.<=>") != NULL);
    CHECK_STR(sym(&r, "Outer.Lib.Widget.VERSION")->kind, "constant");
    CHECK(ref(&r, "import", "json") != NULL);
    CHECK(ref(&r, "inherit", "Comparable") != NULL);
    CHECK(ref(&r, "inherit", "Base") != NULL);
    parse_result_release(&r);

    const char *bash =
        "#!/bin/bash\n"
        "source ./lib/common.sh\n"
        "# Says hello.\n"
        "greet() {\n"
        "  echo \"hi $1\"\n"
        "}\n"
        "function _fsck.minix_module {\n"
        "  greet x\n"
        "}\n";
    REQUIRE(parse("bash", bash, &r) == CAIRN_OK);
    s = sym(&r, "greet");
    REQUIRE(s != NULL);
    CHECK_STR(s->doc, "Says hello.");
    CHECK(sym(&r, "_fsck.minix_module") != NULL); /* a dot is no scope in a shell */
    const parse_ref *c = ref(&r, "call", "greet");
    REQUIRE(c != NULL);
    CHECK_STR(qual_at(&r, c->enclosing), "_fsck.minix_module");
    c = ref(&r, "import", "common.sh");
    REQUIRE(c != NULL);
    CHECK_STR(c->qualifier, "./lib");
    parse_result_release(&r);
}

/* Threads share the compiled queries; each compiles on first use. */
typedef struct thread_job {
    int ok;
} thread_job;

static void *parse_many(void *arg)
{
    thread_job *job = arg;
    static const char *const langs[] = {"go", "rust", "java", "ruby", "tsx", "cpp"};
    static const char *const texts[] = {
        "package p\nfunc F() {}\n", "fn f() {}\n",        "interface A {}\n",
        "def f; end\n",             "function f() {}\n", "void f() {}\n",
    };
    parser *p;
    if (parser_new(&p))
        return NULL;
    job->ok = 1;
    for (int round = 0; round < 20; round++)
        for (size_t i = 0; i < 6; i++) {
            parse_result r;
            if (parse_file(p, langs[i], texts[i], strlen(texts[i]), &r) != CAIRN_OK || r.nsymbols != 1)
                job->ok = 0;
            parse_result_release(&r);
        }
    parser_free(p);
    return NULL;
}

TEST(parse_from_several_threads)
{
    pthread_t t[4];
    thread_job jobs[4];
    memset(jobs, 0, sizeof jobs);
    for (int i = 0; i < 4; i++)
        REQUIRE(pthread_create(&t[i], NULL, parse_many, &jobs[i]) == 0);
    for (int i = 0; i < 4; i++) {
        pthread_join(t[i], NULL);
        CHECK(jobs[i].ok);
    }
}
