/*
 * chunk.h — split a file's text into the pieces that get indexed and shown.
 *
 * Code is cut into windows of about target_lines lines, ending where the
 * code itself pauses (a blank line, or a line indented less) so a chunk
 * tends to hold whole functions.  Prose is cut along its own structure:
 * headings start sections, sections are grouped paragraph by paragraph,
 * fenced code blocks stay whole, and every chunk carries its heading path
 * ("Using pytest > Fixtures") as context.
 *
 * Lines: a line ends at "\n", "\r\n" or a lone "\r" (old Mac files), so
 * all three count as one line break each; line numbers are 1-based and a
 * final line without a terminator still counts.  Byte offsets are into
 * the text passed in (after textfile's BOM removal / transcoding).
 *
 * Chunks are in file order and never overlap.  Code chunks tile the file
 * completely; prose chunks leave out only front matter and blank lines
 * before the first block.  A chunk starts at the first byte of its
 * start_line except when a single line is longer than max_bytes (minified
 * code, a one-line paragraph): such a line is cut at character boundaries
 * and its later pieces start mid-line.
 */
#ifndef CAIRN_CHUNK_H
#define CAIRN_CHUNK_H

#include <stddef.h>

#define CHUNK_CODE_LINES 40
#define CHUNK_CODE_BYTES 4096
#define CHUNK_PROSE_BYTES 2000
#define CHUNK_CONTEXT_MAX 512 /* bytes of heading path kept, at most */

typedef struct chunk {
    int start_line, end_line;    /* 1-based, inclusive */
    size_t start_byte, end_byte; /* half-open [start, end) into the text */
    char *symbol;                /* qualified name of the definition the chunk is about
                                    (indexer/astchunk.h), or NULL; owned by the list */
    char *context;               /* prose: heading path "A > B > C"; code: the headers of
                                    the enclosing definitions ("class A > class B"); or
                                    NULL; owned by the list */
} chunk;

typedef struct chunk_list {
    chunk *items;
    size_t n, cap;
} chunk_list;

typedef struct chunk_opts {
    int target_lines; /* code: lines per chunk; 0 = CHUNK_CODE_LINES */
    size_t max_bytes; /* 0 = CHUNK_CODE_BYTES for code, CHUNK_PROSE_BYTES for prose */
} chunk_opts;

void chunk_list_init(chunk_list *l);

/* Free every chunk's strings and the array; l is left empty and reusable.
 * Accepts NULL. */
void chunk_list_release(chunk_list *l);

/* Append the code chunks of text[0..len) to out (o may be NULL for the
 * defaults).  Each chunk holds at most max_bytes once leading and trailing
 * blank lines are set aside (blank lines are folded into the chunk before
 * them, so whitespace never makes a chunk of its own); whitespace-only
 * text gives no chunks.  On failure out may hold some of the chunks; the
 * caller still releases it.  Errors: CAIRN_ERR_NOMEM, CAIRN_ERR_INVALID. */
int chunk_code(const char *text, size_t len, const chunk_opts *o, chunk_list *out);

/* Append the prose chunks of text[0..len) to out.  lang_name picks the
 * heading syntax: "markdown" (ATX and setext headings, ``` / ~~~ fences,
 * YAML/TOML front matter skipped), "rst" (underlined and overlined
 * titles), "org" ("*" headings, #+TITLE, #+BEGIN_ blocks kept whole);
 * anything else (text, html...) is split into paragraphs only.
 *
 * A chunk holds whole paragraphs up to max_bytes; a paragraph longer than
 * that is split by lines (and an over-long line within itself); a code
 * block is never split unless it exceeds 4 * max_bytes.  Headings always
 * start a chunk, and a heading with no text of its own before a deeper
 * heading shares the chunk with it, so a chunk can exceed max_bytes by its
 * heading lines.  Errors as chunk_code. */
int chunk_prose(const char *text, size_t len, const char *lang_name, const chunk_opts *o, chunk_list *out);

#endif
