/*
 * parse_text.h — the text work behind parse.c: line numbers, bounded
 * string building with whitespace collapsed, qualified-name splitting and
 * doc comment / docstring cleaning.
 *
 * Nothing here knows about tree-sitter: every function takes byte ranges
 * of the parsed text.
 */
#ifndef CAIRN_PARSE_TEXT_H
#define CAIRN_PARSE_TEXT_H

#include <stddef.h>
#include <stdint.h>

/* Line starts of a text, for 1-based line numbers under indexer/chunk.h's
 * rule ("\n", "\r\n" and a lone "\r" each end a line).  Caller-owned;
 * parse_lines_build may be called again to reuse the array. */
typedef struct parse_lines {
    uint32_t *starts; /* starts[i] = byte offset of line i + 1 */
    size_t n, cap;
} parse_lines;

void parse_lines_init(parse_lines *l);
void parse_lines_release(parse_lines *l);
/* Errors: CAIRN_ERR_NOMEM. */
int parse_lines_build(parse_lines *l, const char *text, size_t len);
/* The 1-based line holding byte off. */
int parse_lines_at(const parse_lines *l, size_t off);

/* A string built into a caller-supplied array of cap bytes (cap >= 1):
 * appends past cap - 1 bytes are dropped at a UTF-8 character boundary,
 * and s is always NUL-terminated. */
typedef struct parse_sb {
    char *s;
    size_t len, cap;
    int full; /* something was dropped */
} parse_sb;

void parse_sb_init(parse_sb *b, char *storage, size_t cap);
void parse_sb_add(parse_sb *b, const char *s, size_t n);
void parse_sb_adds(parse_sb *b, const char *s);
/* Append s[0..n) with every run of whitespace turned into one space; a
 * leading run is dropped when b is empty or already ends in a space. */
void parse_sb_add_collapsed(parse_sb *b, const char *s, size_t n);
/* Drop trailing whitespace. */
void parse_sb_rtrim(parse_sb *b);

/* Offset in s[0..n) of the last occurrence of sep outside (), [] and <>
 * groups, or -1 (always when sep is NULL).  "A<B::C>::d" with "::" gives 7. */
long parse_text_last_sep(const char *s, size_t n, const char *sep);

/* Append s[0..n) to b without its <...> groups ("Vec<T>" -> "Vec") and
 * with every occurrence of sep (unless NULL) written as ".".  Operator names
 * ("operator<") are appended whole. */
void parse_text_add_plain_name(parse_sb *b, const char *s, size_t n, const char *sep);

/* The next export macro between "class", "struct" or "union" and the
 * name of a definition ("class GTEST_API_ Foo {", "struct PACKED s : B"),
 * at or after byte from: its offset (and *len its length, with a
 * parenthesized argument list if any), or -1.  A macro is a word of
 * capitals, digits and underscores; the name (with template arguments, if
 * any) must be followed by "{", ":" (not "::") or "final".  The C and C++ grammars take such a macro for the
 * name and the real name for a declarator, and lose the whole body. */
long parse_text_class_macro(const char *s, size_t n, size_t from, size_t *len);

/* The next line that is only a macro invocation, at or after byte from:
 * "GTEST_DISALLOW_COPY_(Foo)" or "Q_DECLARE_METATYPE(T)" alone on its line
 * (arguments may span lines), not ended by ";", followed by a line that
 * starts a new declaration (a word, "#", "}", "~" or "[", not "{" or an
 * operator).  Returns its offset (and *len up to the closing parenthesis),
 * or -1.  Without its ";" the grammars read such a line as the start of an
 * expression and the declaration after it is lost, sometimes with the rest
 * of the file. */
long parse_text_statement_macro(const char *s, size_t n, size_t from, size_t *len);

/* The next annotation macro after a parameter list, at or after byte
 * from: ") GTEST_LOCK_EXCLUDED_(mutex_) {" or ") __THROW;" — a macro,
 * with or without arguments, between ")" and "{", ";" or "=".  Returns its
 * offset (and *len), or -1.  Qualifiers may come first (") const
 * GUARDED_BY(mu);"). */
long parse_text_trailing_macro(const char *s, size_t n, size_t from, size_t *len);

/* Append the text of a comment without its markers (//, ///, //!, #,
 * slash-star, star-slash, leading " * "), one line per comment line, trimmed. */
void parse_text_add_comment(parse_sb *b, const char *s, size_t n);

/* Append the text of a string literal used as a docstring: prefix letters
 * and quotes removed, common indentation of the lines after the first
 * removed, leading and trailing blank lines dropped. */
void parse_text_add_docstring(parse_sb *b, const char *s, size_t n);

#endif
