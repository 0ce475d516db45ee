/*
 * test.h — the unit-test harness: self-registering tests, non-fatal checks.
 *
 *   TEST(tokenize_splits_camel_case) {
 *       CHECK(x == 1);                 // records a failure, keeps going
 *       CHECK_STR(got, "expected");    // compares C strings, prints both
 *       REQUIRE(p != NULL);            // records a failure, leaves the test
 *   }
 *
 * All tests/unit/test_*.c files link into one binary whose main (main.c)
 * runs every test, or those whose name contains argv[1], and ends with the
 * summary line "N passed, N failed".  Tests run from the repository root;
 * test_shared_dir() finds ../shared (override with $CAIRN_SHARED).
 */
#ifndef CAIRN_TEST_H
#define CAIRN_TEST_H

#include <stdio.h>
#include <string.h>

typedef void (*test_fn)(void);

void test_register(const char *name, test_fn fn);
void test_fail(const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Absolute path of the shared data folder (../shared from the repo root);
 * static storage. */
const char *test_shared_dir(void);

/* A fresh empty temporary directory for this test; removed (recursively)
 * after the test ends.  Static storage, valid during the test. */
const char *test_tmpdir(void);

/* Write len bytes to dir/name (creating parent folders); aborts the test
 * run on failure since every later check would be meaningless. */
void test_write_file(const char *dir, const char *name, const void *data, size_t len);

#define TEST(name)                                                        \
    static void test_##name(void);                                        \
    __attribute__((constructor)) static void test_reg_##name(void)        \
    {                                                                     \
        test_register(#name, test_##name);                                \
    }                                                                     \
    static void test_##name(void)

#define CHECK(cond)                                                       \
    do {                                                                  \
        if (!(cond))                                                      \
            test_fail(__FILE__, __LINE__, "CHECK(%s)", #cond);            \
    } while (0)

#define REQUIRE(cond)                                                     \
    do {                                                                  \
        if (!(cond)) {                                                    \
            test_fail(__FILE__, __LINE__, "REQUIRE(%s)", #cond);          \
            return;                                                       \
        }                                                                 \
    } while (0)

#define CHECK_STR(got, want)                                              \
    do {                                                                  \
        const char *g_ = (got), *w_ = (want);                             \
        if (!g_ || !w_ || strcmp(g_, w_) != 0)                            \
            test_fail(__FILE__, __LINE__, "%s == \"%s\", want \"%s\"",    \
                      #got, g_ ? g_ : "(null)", w_ ? w_ : "(null)");      \
    } while (0)

#define CHECK_INT(got, want)                                              \
    do {                                                                  \
        long long g_ = (long long)(got), w_ = (long long)(want);          \
        if (g_ != w_)                                                     \
            test_fail(__FILE__, __LINE__, "%s == %lld, want %lld", #got,  \
                      g_, w_);                                            \
    } while (0)

#endif
