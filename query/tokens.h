/*
 * tokens.h — how many tokens a text costs a language model: the measure
 * that context packs, repo maps and other budgeted output are sized by.
 *
 * The count is an estimate of what a real byte-pair-encoding tokenizer
 * (OpenAI's o200k_base, the GPT-4o family, or cl100k_base, GPT-4) would
 * produce, without its 200,000-entry vocabulary.  The text is cut into the
 * pieces the tokenizer's own pre-tokenizer regex makes (letter runs with
 * one leading space or punctuation character, split at lower-to-upper case
 * changes; digit groups of one to three; punctuation runs; whitespace
 * runs; on the test corpora the cuts match the real regex's exactly), and
 * each piece costs one token plus, for every pair of adjacent characters
 * in it, the measured chance that the tokenizer splits there, plus a
 * correction for the piece's class (kind, leading character, case shape,
 * length).  The constants were fitted against the real tokenizer on
 * Python, C, JavaScript and Markdown (tests/tokens/fit.mjs) and lean about
 * 2.5% high, so that a text estimated to fit a budget really does: on
 * held-out files of 1-40 KB the total is 2-3% over the real count and
 * 98.6% of files are less than 5% under it (tests/tokens/measure.mjs).  What
 * it does not know is which rare words are whole tokens: a short text full
 * of package names, base64 or generated symbol tables can count 10% under,
 * and text in other scripts is fitted on little data and counted with
 * wider error (leaning high).
 *
 * Counting needs no allocation, runs at about 200 MB/s and is safe on any
 * bytes (a byte that is not UTF-8 costs about a token).  The count is
 * rounded to the nearest token.
 */
#ifndef CAIRN_QUERY_TOKENS_H
#define CAIRN_QUERY_TOKENS_H

#include <stddef.h>

enum tokens_encoding {
    TOKENS_O200K = 0,  /* o200k_base: GPT-4o, GPT-4.1, o-series */
    TOKENS_CL100K = 1  /* cl100k_base: GPT-4, GPT-3.5 */
};

/* Estimated o200k_base tokens of text[0, len). */
size_t tokens_count(const char *text, size_t len);

/* The length of the longest prefix of text[0, len) whose estimate
 * (tokens_count of that prefix) is at most budget: the end of the last
 * whole line that fits, or, when not even the first line fits, the end
 * of the last pre-tokenizer piece that does (never inside a UTF-8
 * character).  len when the whole text fits; 0 when nothing does. */
size_t tokens_prefix(const char *text, size_t len, size_t budget);

/* The same for a chosen encoding. */
size_t tokens_count_enc(enum tokens_encoding enc, const char *text, size_t len);
size_t tokens_prefix_enc(enum tokens_encoding enc, const char *text, size_t len,
                         size_t budget);

#endif
