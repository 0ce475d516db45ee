/*
 * libfuzzer_main.c — the libFuzzer entry point for one target, chosen at
 * compile time with -DFUZZ_TARGET=fuzz_<name>.
 */
#include "tests/fuzz/fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) { return FUZZ_TARGET(data, size); }
