/*
 * test_astchunk.h — checks shared by the astchunk tests (tac_: test of
 * astchunk): line numbers recounted independently of the chunkers (a line
 * break is "\n", "\r\n" or a lone "\r"), and the tiling every chunk list
 * from astchunk_build must satisfy.
 */
#ifndef CAIRN_TEST_ASTCHUNK_H
#define CAIRN_TEST_ASTCHUNK_H

#include <stddef.h>

#include "indexer/chunk.h"

typedef struct tac_lines {
    size_t *start; /* n + 1 line starts, start[n] == len; malloc'd, the caller frees it */
    size_t n;
} tac_lines;

void tac_lines_build(tac_lines *x, const char *t, size_t len);

/* 1-based line holding byte off. */
int tac_line_of(const tac_lines *x, size_t off);

/* End of 1-based line ln's text, before its terminator. */
size_t tac_text_end(const tac_lines *x, const char *t, int ln);

/* A chunk's size without leading and trailing whitespace. */
size_t tac_trimmed_size(const char *t, const chunk *k);

/* Chunks cl->items[first..] of t[0..len): they tile the text exactly, in
 * order, start at line starts (but for later pieces of one long line),
 * never end inside a CRLF, carry the recounted line numbers, and hold at
 * most cap bytes unless a single line is longer.  Records each failure
 * (naming the chunk) and returns how many there were. */
int tac_check_tiling(const char *name, const char *t, size_t len, const chunk_list *cl, size_t first, size_t cap);

#endif
