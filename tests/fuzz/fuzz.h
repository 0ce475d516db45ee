/*
 * fuzz.h — cairn's fuzz targets.  Each takes one input and must neither
 * crash nor leak nor trip a sanitizer, whatever the bytes.
 *
 * `make fuzz` links each target with libFuzzer (clang) and runs it for a
 * bounded time; the unit tests (tests/unit/test_fuzz_corpus.c) replay every
 * file under tests/fuzz/corpus/<target>/ — seeds plus every crash ever
 * found — through the same functions, so a fixed crash stays fixed.
 */
#ifndef CAIRN_FUZZ_H
#define CAIRN_FUZZ_H

#include <stddef.h>
#include <stdint.h>

int fuzz_tokenize(const uint8_t *data, size_t size);
int fuzz_query(const uint8_t *data, size_t size);
int fuzz_ignore(const uint8_t *data, size_t size);
int fuzz_prose(const uint8_t *data, size_t size);
int fuzz_jsonrpc(const uint8_t *data, size_t size);

#endif
