/*
 * astchunk.h — chunks of code cut along its definitions.
 *
 * Where chunk_code cuts a file into windows of lines, astchunk uses the
 * definitions the parser found (parse.h) so that a chunk is a unit a reader
 * would name: one function, one small class, a run of small definitions
 * with the imports and constants between them, a class header with the
 * methods that fit after it.  A definition is split only when it is larger
 * than the cap: a class into its header and its methods (recursively), a
 * long function into line windows by chunk_code.  Comment, decorator and
 * attribute lines directly above a definition go with it, and so does the
 * header of a block the definition opens ("if sys.platform == 'win32':",
 * "except ImportError:" before a fallback definition), so that no chunk
 * ends on a dangling block header.
 *
 * Chunks tile the file exactly as chunk_code's do (see chunk.h): in order,
 * no gaps, no overlaps, blank lines folded into the chunk before them,
 * every chunk starting at a line start except later pieces of a single
 * over-long line.  Each chunk names the definition it is about in `symbol`
 * and, when that definition sits inside others, their header lines in
 * `context` ("class A: > class B:").
 */
#ifndef CAIRN_ASTCHUNK_H
#define CAIRN_ASTCHUNK_H

#include <stddef.h>

#include "indexer/chunk.h"
#include "indexer/parse.h"

/* Append the chunks of text[0..len) to out, cut at the definitions in
 * symbols[0..nsymbols) (o may be NULL for the defaults).
 *
 * Size: o->max_bytes (CHUNK_CODE_BYTES when 0) is the cap.  Neighbouring
 * definitions and the code between them are merged while the chunk stays
 * within half the cap (a split class's header with the methods after it,
 * too); a definition up to the cap stays whole; a larger one is split,
 * into its header and children when it has children, else into
 * chunk_code's windows of o->target_lines lines.  No chunk holds more
 * than the cap once leading and trailing blank lines are set aside,
 * unless a single line does.
 *
 * Symbols may come in any order, overlap, repeat, or have empty, reversed
 * or out-of-range spans: spans are clamped to the text, nesting is worked
 * out from the spans (the parent field is not trusted), and a symbol that
 * straddles another's end is ignored.  With no usable symbol the result is
 * chunk_code's.
 *
 * chunk.symbol: the qualname (or name) of the first definition starting in
 * the chunk, preferring functions, classes and types over variables,
 * constants and macros; when none starts in it, the innermost definition
 * around it; NULL for top-level code.  chunk.context: the header lines
 * (the symbol's signature, or the first line naming it) of the definitions
 * around the chunk whose header the chunk does not show, outermost first,
 * joined with " > ", at most CHUNK_CONTEXT_MAX bytes (the innermost kept);
 * NULL at top level.  Both are malloc'd and owned by out.
 *
 * On failure out may hold some of the chunks; the caller still releases
 * it.  Errors: CAIRN_ERR_NOMEM, CAIRN_ERR_INVALID (more lines than an int
 * can number). */
int astchunk_build(const char *text, size_t len, const parse_symbol *symbols, size_t nsymbols,
                   const chunk_opts *o, chunk_list *out);

#endif
