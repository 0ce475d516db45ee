/*
 * test_tokens.c — the token estimate (query/tokens.h): counts near those
 * of the real tokenizers, and prefixes that respect their budgets.
 *
 * The "real" counts below were taken with js-tiktoken 1.0.21
 * (tests/tokens/reference.mjs); tests/e2e/test_tokens.sh compares the
 * estimate with the real tokenizer on hundreds of whole files.
 */
#include "query/tokens.h"
#include "tests/unit/test.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* est within [real * lo, real * hi + 1]. */
static int near(size_t est, size_t real, double lo, double hi)
{
    return (double)est >= (double)real * lo && (double)est <= (double)real * hi + 1;
}

static char *repeat(const char *s, size_t len)
{
    size_t n = strlen(s);
    char *out = malloc(len + 1);
    if (!out)
        abort();
    for (size_t i = 0; i < len; i++)
        out[i] = s[i % n];
    out[len] = '\0';
    return out;
}

TEST(tokens_empty_text)
{
    CHECK_INT(tokens_count("", 0), 0);
    CHECK_INT(tokens_count_enc(TOKENS_CL100K, "", 0), 0);
    CHECK_INT(tokens_prefix("", 0, 10), 0);
    CHECK_INT(tokens_prefix("hello\n", 6, 0), 0);
    CHECK_INT(tokens_count("x", 1), 1);
}

TEST(tokens_whitespace_runs)
{
    /* A run of spaces or of newlines is one or a few tokens, not one per
     * character. */
    char *spaces = repeat(" ", 1000), *newlines = repeat("\n", 100), *tabs = repeat("\t", 100);
    CHECK_INT(tokens_count("    ", 4), 1);
    CHECK(near(tokens_count(spaces, 1000), 9, 0.5, 2));
    CHECK(near(tokens_count(newlines, 100), 7, 0.5, 2));
    CHECK(near(tokens_count(tabs, 100), 6, 0.5, 2));
    /* Blank lines and indentation as code has them (real: 1 1 2 1 1 2). */
    static const char *const ws[] = { "\n\n", "    \n", "\n    ", "\r\n\r\n", "}\n\n",
                                       "\n\n\n\n        " };
    static const size_t real[] = { 1, 1, 2, 1, 1, 2 };
    for (size_t i = 0; i < sizeof ws / sizeof ws[0]; i++)
        CHECK_INT(tokens_count(ws[i], strlen(ws[i])), real[i]);
    free(spaces);
    free(newlines);
    free(tabs);
}

TEST(tokens_near_real_counts)
{
    static const struct {
        const char *text;
        size_t o200k, cl100k;
    } cases[] = {
        { "Hello, world!", 4, 4 },
        { "def get_user_name(self, user_id: int) -> str:\n"
          "    \"\"\"Return the display name of a user.\"\"\"\n"
          "    return self._users[user_id].name\n",
          34, 34 },
        { "static int parse_header(const char *buf, size_t len, struct header *out)\n{\n"
          "    if (len < 4)\n        return -1;\n    memcpy(out->magic, buf, 4);\n"
          "    return 0;\n}\n",
          49, 49 },
        { "The quick brown fox jumps over the lazy dog. It was the best of times, "
          "it was the worst of times.\n",
          24, 24 },
        { "getUserName XMLHttpRequest HTTPServerError snake_case_name SCREAMING_CASE", 15, 12 },
        { "1234567890 3.14159 2024-01-31", 16, 16 },
        { "I don't think we'll go, it's late.", 9, 12 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t n = strlen(cases[i].text);
        size_t o = tokens_count(cases[i].text, n), c = tokens_count_enc(TOKENS_CL100K, cases[i].text, n);
        if (!near(o, cases[i].o200k, 0.9, 1.25) || !near(c, cases[i].cl100k, 0.9, 1.25))
            test_fail(__FILE__, __LINE__, "case %zu: estimated %zu/%zu, real %zu/%zu", i, o, c,
                      cases[i].o200k, cases[i].cl100k);
    }
}

TEST(tokens_other_scripts_and_emoji)
{
    static const char cjk[] = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年";
    static const char emoji[] = "😀😃😄😁😆😅🤣😂🙂🙃";
    static const char latin[] = "Café crème brûlée, naïve façade, Ærøskøbing, Straße.";
    static const char cyrillic[] = "Привет, мир! Как дела?";
    /* Real o200k counts 36, 15, 19 and 8: other scripts are fitted on
     * little text, so the bounds are wider than for English. */
    CHECK(near(tokens_count(cjk, strlen(cjk)), 36, 0.8, 1.6));
    CHECK(near(tokens_count(emoji, strlen(emoji)), 15, 0.8, 2));
    CHECK(near(tokens_count(latin, strlen(latin)), 19, 0.75, 1.6));
    CHECK(near(tokens_count(cyrillic, strlen(cyrillic)), 8, 0.75, 2));
    /* One token per character at most for 'é' repeated (real: 1000). */
    char *e = repeat("é", 2000);
    CHECK(near(tokens_count(e, 2000), 1000, 0.5, 1.6));
    free(e);
}

TEST(tokens_invalid_utf8)
{
    /* Every byte that is not UTF-8 costs something, whatever follows it;
     * truncated sequences at the end are read no further than the text. */
    unsigned char bytes[128];
    for (int i = 0; i < 128; i++)
        bytes[i] = (unsigned char)(0x80 + i);
    size_t n = tokens_count((const char *)bytes, sizeof bytes);
    CHECK(n >= 64 && n <= 512);
    static const char *const bad[] = { "\xc3", "ab\xe2\x82", "\xf0\x9f\x98", "\xc0\xaf",
                                       "\xed\xa0\x80", "\xf5\x80\x80\x80", "x\xff\xfey" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        size_t len = strlen(bad[i]), c = tokens_count(bad[i], len);
        if (c < 1 || c > 2 * len)
            test_fail(__FILE__, __LINE__, "bad[%zu]: %zu tokens for %zu bytes", i, c, len);
        CHECK(tokens_prefix(bad[i], len, 1000) == len);
    }
}

TEST(tokens_one_megabyte_line)
{
    const size_t len = 1 << 20;
    const char *words = "the quick brown fox jumps over the lazy dog while parsing configuration "
                        "files quickly ";
    char *line = repeat(words, len);
    /* Real o200k count: 170700; a few common long words ("configuration"
     * is one token) repeated are where the estimate leans highest. */
    size_t n = tokens_count(line, len);
    CHECK(near(n, 170700, 0.97, 1.12));
    CHECK_INT(tokens_prefix(line, len, n), len);
    CHECK_INT(tokens_prefix(line, len, (size_t)-1), len);
    /* No line end to cut at: the cut is at a piece boundary, as long as
     * the budget allows and not a piece longer. */
    size_t cut = tokens_prefix(line, len, 1000);
    REQUIRE(cut > 0 && cut < len);
    CHECK(tokens_count(line, cut) <= 1000);
    CHECK(tokens_count(line, cut) >= 995);
    CHECK(line[cut] == ' ');
    free(line);
}

/* The invariants of tokens_prefix on one text and budget. */
static void check_prefix(const char *name, const char *text, size_t len, size_t budget)
{
    size_t cut = tokens_prefix(text, len, budget);
    size_t est = tokens_count(text, cut);
    if (cut > len || est > budget) {
        test_fail(__FILE__, __LINE__, "%s, budget %zu: cut %zu costs %zu", name, budget, cut, est);
        return;
    }
    if (cut == len)
        return;
    /* Not a longer prefix that fits, cut at a line end when the first
     * line fits: the end of the line after the cut must cost too much. */
    const char *nl = memchr(text + cut, '\n', len - cut);
    size_t next_end = nl ? (size_t)(nl - text) + 1 : len;
    if (tokens_count(text, next_end) <= budget)
        test_fail(__FILE__, __LINE__, "%s, budget %zu: cut at %zu, but %zu fits", name, budget,
                  cut, next_end);
    if (cut > 0 && text[cut - 1] != '\n' && memchr(text, '\n', cut))
        test_fail(__FILE__, __LINE__, "%s, budget %zu: cut %zu is not at a line end", name,
                  budget, cut);
    if (cut < len && ((unsigned char)text[cut] & 0xc0) == 0x80)
        test_fail(__FILE__, __LINE__, "%s, budget %zu: cut %zu inside a character", name, budget,
                  cut);
}

static char *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *buf = NULL;
    size_t cap = 0, n = 0, r;
    do {
        if (n == cap) {
            cap = cap ? cap * 2 : 1 << 14;
            char *nb = realloc(buf, cap);
            if (!nb)
                abort();
            buf = nb;
        }
        r = fread(buf + n, 1, cap - n, f);
        n += r;
    } while (r > 0);
    fclose(f);
    *len = n;
    return buf;
}

TEST(tokens_prefix_on_real_notes)
{
    /* Every note of the TIL archive, at budgets from nothing to all. */
    static const size_t budgets[] = { 0, 1, 2, 7, 50, 200, 1000, 5000 };
    char root[4096];
    snprintf(root, sizeof root, "%s/corpora/til", test_shared_dir());
    DIR *top = opendir(root);
    REQUIRE(top != NULL);
    int notes = 0;
    for (struct dirent *d; (d = readdir(top));) {
        if (d->d_name[0] == '.')
            continue;
        char dir[4352];
        snprintf(dir, sizeof dir, "%s/%s", root, d->d_name);
        DIR *sub = opendir(dir);
        if (!sub)
            continue;
        for (struct dirent *e; (e = readdir(sub));) {
            size_t nl = strlen(e->d_name), len;
            if (nl < 4 || strcmp(e->d_name + nl - 3, ".md") != 0)
                continue;
            char path[4608];
            snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
            char *text = read_all(path, &len);
            if (!text)
                continue;
            notes++;
            size_t total = tokens_count(text, len), prev = 0;
            for (size_t b = 0; b < sizeof budgets / sizeof budgets[0]; b++) {
                check_prefix(path, text, len, budgets[b]);
                size_t cut = tokens_prefix(text, len, budgets[b]);
                if (cut < prev)
                    test_fail(__FILE__, __LINE__, "%s: a larger budget cut shorter", path);
                prev = cut;
            }
            check_prefix(path, text, len, total);
            CHECK(tokens_prefix(text, len, total) == len);
            CHECK(tokens_prefix(text, len, total - (total > 0)) < len || total == 0);
            free(text);
        }
        closedir(sub);
    }
    closedir(top);
    CHECK(notes > 500);
}

TEST(tokens_prefix_line_ends)
{
    const char *text = "first line\nsecond line here\nthird\n";
    size_t len = strlen(text), first = tokens_count(text, 11);
    /* The first line fits, not the second: cut after the first. */
    CHECK_INT(tokens_prefix(text, len, first), 11);
    CHECK_INT(tokens_prefix(text, len, tokens_count(text, 28)), 28);
    /* Not even the first line: a piece boundary inside it. */
    size_t cut = tokens_prefix(text, len, 1);
    CHECK(cut > 0 && cut < 11);
    CHECK(tokens_count(text, cut) <= 1);
}

TEST(tokens_counts_add_up)
{
    /* Text joined at a line end costs about the sum of its parts. */
    const char *a = "import os\nimport sys\n\n", *b = "def main():\n    return 0\n";
    char both[128];
    snprintf(both, sizeof both, "%s%s", a, b);
    size_t sum = tokens_count(a, strlen(a)) + tokens_count(b, strlen(b));
    size_t whole = tokens_count(both, strlen(both));
    CHECK(whole + 2 >= sum && whole <= sum + 2);
}
