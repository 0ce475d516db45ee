/*
 * parse.h — definitions and references of a source file, from tree-sitter.
 *
 * A file is parsed with the grammar of its language (indexer/lang.h name)
 * and searched with that language's queries (grammars/queries/<lang>.scm,
 * compiled into cairn).  The result lists the file's definitions
 * (functions, methods, classes, structs, enums, traits, typedefs, macros,
 * module-level constants...) with qualified names, signatures, doc
 * comments, spans and parents, and its references (calls, type uses,
 * imports/includes, base classes) each with the innermost definition that
 * encloses it.
 *
 * Lines follow indexer/chunk.h: "\n", "\r\n" and a lone "\r" each end one
 * line; lines are 1-based.  Byte offsets are into the text given to
 * parse_file (a UTF-8 byte-order mark, if any, is skipped but still
 * counted).  Parsing is bounded in time (by default 2 s plus 1 s per MB of
 * text); a file that hits the bound gives timed_out = 1 and no symbols.  Text
 * with syntax errors still yields the definitions tree-sitter recovers
 * around them.  The caller caps the file size (at most 4 GiB - 1 here).
 *
 * Threads: the compiled queries are shared and immutable; each thread uses
 * its own parser.
 */
#ifndef CAIRN_PARSE_H
#define CAIRN_PARSE_H

#include <stddef.h>

typedef struct parse_symbol {
    char *name;          /* as written, e.g. "join" (malloc'd, owned by the result) */
    char *qualname;      /* "Class.method", "pkg.Type.Method", "Trait for T.method",
                            "ns::Class::method" joined with '.' for all languages */
    const char *kind;    /* static string, one of: "function", "method", "class", "struct",
                            "union", "enum", "interface", "trait", "impl", "type"
                            (type alias/typedef), "macro", "constant", "module",
                            "namespace", "variable" (module-level only) */
    char *signature;     /* the declaration without its body, whitespace collapsed,
                            at most 512 bytes; never NULL (at least the first line) */
    char *doc;           /* doc comment / docstring text without comment markers, at most
                            2 KiB, or NULL */
    int start_line, end_line;       /* 1-based, inclusive: the whole definition */
    size_t start_byte, end_byte;    /* half-open, into the text given to parse_file */
    int parent;          /* index in symbols[] of the enclosing definition, or -1 */
    int name_line;       /* 1-based line of the name itself: where ctags puts the tag,
                            later than start_line under annotations or a return type
                            on its own line */
} parse_symbol;

typedef struct parse_ref {
    char *name;          /* the referenced identifier, last component: "join" */
    char *qualifier;     /* what it was reached through ("os.path", "self", "std::vec"), or NULL */
    const char *kind;    /* static: "call", "type", "import", "include", "inherit" */
    int line;            /* 1-based */
    size_t start_byte, end_byte;
    int enclosing;       /* index in symbols[] of the innermost enclosing definition, or -1 */
} parse_ref;

typedef struct parse_result {
    parse_symbol *symbols;  /* in source order (by start_byte, parents before children) */
    size_t nsymbols;
    parse_ref *refs;        /* in source order */
    size_t nrefs;
    int had_errors;         /* the tree had ERROR/MISSING nodes */
    int timed_out;          /* parsing hit the time bound; results are partial or empty */
} parse_result;

typedef struct parser parser;   /* one per thread: wraps a TSParser and query cursors */

/* A new parser; caller frees with parser_free.  Errors: CAIRN_ERR_NOMEM. */
int parser_new(parser **out);

/* Accepts NULL. */
void parser_free(parser *p);

/* Bound each parse_file of p to base_ms plus per_mb_ms for each MB of text
 * (the defaults are 2000 and 1000); 0 and 0 remove the bound. */
void parser_set_time_limit(parser *p, unsigned base_ms, unsigned per_mb_ms);

/* 1 when lang (indexer/lang.h name) has a grammar, else 0. */
int parse_supported(const char *lang);

/* Parse text as lang; fills *out (caller releases with parse_result_release, also after an
 * error).  CAIRN_ERR_NOTFOUND when lang has no grammar; CAIRN_ERR_TOOBIG when len does
 * not fit tree-sitter's 32-bit offsets; CAIRN_ERR_NOMEM.  A parse that runs out of
 * time is not an error: it returns CAIRN_OK with out->timed_out set. */
int parse_file(parser *p, const char *lang, const char *text, size_t len, parse_result *out);

void parse_result_init(parse_result *r);

/* Free every string and array; r is left empty.  Accepts NULL. */
void parse_result_release(parse_result *r);

#endif
