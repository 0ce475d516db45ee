/*
 * test_fuzz_corpus.c — replay every saved fuzz input (seeds and past
 * crashes, tests/fuzz/corpus/<target>/) through its target.
 */
#include "tests/fuzz/fuzz.h"
#include "test.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>

static int replay_dir(const char *name, int (*fn)(const uint8_t *, size_t))
{
    char dir[512];
    snprintf(dir, sizeof dir, "tests/fuzz/corpus/%s", name);
    DIR *d = opendir(dir);
    if (!d)
        return -1;
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        FILE *f = fopen(path, "rb");
        if (!f)
            continue;
        static uint8_t data[1 << 20];
        size_t len = fread(data, 1, sizeof data, f);
        fclose(f);
        fn(data, len);
        n++;
    }
    closedir(d);
    return n;
}

TEST(fuzz_corpus_tokenize) { CHECK(replay_dir("tokenize", fuzz_tokenize) > 0); }
TEST(fuzz_corpus_query) { CHECK(replay_dir("query", fuzz_query) > 0); }
TEST(fuzz_corpus_ignore) { CHECK(replay_dir("ignore", fuzz_ignore) > 0); }
TEST(fuzz_corpus_prose) { CHECK(replay_dir("prose", fuzz_prose) > 0); }
TEST(fuzz_corpus_jsonrpc) { CHECK(replay_dir("jsonrpc", fuzz_jsonrpc) > 0); }
