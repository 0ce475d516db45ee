/*
 * test_textfile.c — reading files as UTF-8 text, and refusing the rest.
 */
#include "tests/unit/test.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "indexer/textfile.h"
#include "util/err.h"

#define CAP ((size_t)2 << 20)

static const char *tmp_path(const char *name)
{
    static char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/%s", test_tmpdir(), name);
    return path;
}

/* Write data to a temporary file and read it back with the 2 MiB cap. */
static int roundtrip(const char *name, const void *data, size_t len, buf *out, textfile_info *info)
{
    test_write_file(test_tmpdir(), name, data, len);
    return textfile_read(tmp_path(name), CAP, out, info);
}

TEST(textfile_plain_utf8_and_line_endings_kept)
{
    const char text[] = "h\xc3\xa9llo \xe2\x82\xac \xf0\x9f\x98\x80\r\nsecond\rthird\n";
    buf b;
    buf_init(&b, 0);
    textfile_info info;
    REQUIRE(roundtrip("a.txt", text, sizeof text - 1, &b, &info) == CAIRN_OK);
    CHECK_INT(b.len, sizeof text - 1);
    CHECK(memcmp(b.data, text, sizeof text - 1) == 0);
    CHECK_INT(b.data[b.len], 0);
    CHECK_STR(info.encoding, "utf-8");
    CHECK_INT(info.had_bom, 0);
    CHECK_INT(info.transcoded, 0);
    CHECK_INT(info.file_size, sizeof text - 1);
    /* The same buf can be reused: the old contents are released. */
    REQUIRE(roundtrip("b.txt", "x", 1, &b, NULL) == CAIRN_OK);
    CHECK_STR(b.data, "x");
    buf_release(&b);
}

TEST(textfile_empty_file)
{
    buf b;
    buf_init(&b, 0);
    textfile_info info;
    REQUIRE(roundtrip("empty", "", 0, &b, &info) == CAIRN_OK);
    CHECK_INT(b.len, 0);
    CHECK_STR(buf_str(&b), "");
    CHECK_INT(info.file_size, 0);
    /* A zero cap admits exactly the empty file. */
    CHECK_INT(textfile_read(tmp_path("empty"), 0, &b, NULL), CAIRN_OK);
    buf_release(&b);
}

TEST(textfile_utf8_bom_stripped)
{
    buf b;
    buf_init(&b, 0);
    textfile_info info;
    REQUIRE(roundtrip("bom.md", "\xef\xbb\xbf# Title\n", 11, &b, &info) == CAIRN_OK);
    CHECK_STR(b.data, "# Title\n");
    CHECK_INT(b.len, 8);
    CHECK_INT(info.had_bom, 1);
    CHECK_INT(info.bom_len, 3);
    CHECK_INT(info.transcoded, 0);
    CHECK_STR(info.encoding, "utf-8");
    CHECK_INT(info.file_size, 11);
    buf_release(&b);
}

TEST(textfile_windows_1252_transcoded)
{
    /* "café “quoted” € – naïve\r\n" as Windows-1252. */
    const char cp[] = "caf\xe9 \x93quoted\x94 \x80 \x96 na\xefve\r\n";
    buf b;
    buf_init(&b, 0);
    textfile_info info;
    REQUIRE(roundtrip("cp.txt", cp, sizeof cp - 1, &b, &info) == CAIRN_OK);
    CHECK_STR(b.data, "caf\xc3\xa9 \xe2\x80\x9cquoted\xe2\x80\x9d \xe2\x82\xac \xe2\x80\x93 na\xc3\xafve\r\n");
    CHECK_STR(info.encoding, "windows-1252");
    CHECK_INT(info.transcoded, 1);
    CHECK_INT(info.file_size, sizeof cp - 1);
    buf_release(&b);
}

TEST(textfile_invalid_bytes_with_controls_are_binary)
{
    const char bin[] = "abc\x01\xfe\xff more";
    buf b;
    buf_init(&b, 0);
    CHECK_INT(roundtrip("bin.dat", bin, sizeof bin - 1, &b, NULL), CAIRN_ERR_BINARY);
    CHECK(strstr(err_msg(), tmp_path("bin.dat")) != NULL);
    CHECK(strstr(err_msg(), "invalid byte 0xfe at offset 4") != NULL);
    /* Too many of the bytes Windows-1252 leaves undefined: not text either. */
    char undef[200];
    memset(undef, 'a', sizeof undef);
    undef[10] = (char)0x81;
    undef[50] = (char)0x8d;
    CHECK_INT(roundtrip("undef.txt", undef, sizeof undef, &b, NULL), CAIRN_ERR_BINARY);
    /* One in two hundred is within the 1% allowance. */
    undef[50] = 'a';
    CHECK_INT(roundtrip("undef1.txt", undef, sizeof undef, &b, NULL), CAIRN_OK);
    buf_release(&b);
}

TEST(textfile_nul_bytes_are_binary)
{
    const char data[] = "text\0more";
    buf b;
    buf_init(&b, 0);
    CHECK_INT(roundtrip("nul.txt", data, sizeof data - 1, &b, NULL), CAIRN_ERR_BINARY);
    CHECK(strstr(err_msg(), "NUL byte at offset 4") != NULL);
    CHECK(strstr(err_msg(), "nul.txt") != NULL);
    buf_release(&b);
}

static size_t utf16(const char *ascii_and_extra, int be, unsigned char *out)
{
    /* BOM, the ASCII text, then U+00E9, U+20AC, U+1F600 (a surrogate pair). */
    static const unsigned extra[] = {0x00E9, 0x20AC, 0xD83D, 0xDE00, '\n'};
    size_t n = 0;
    unsigned units[64];
    size_t k = 0;
    units[k++] = 0xFEFF;
    for (const char *p = ascii_and_extra; *p; p++)
        units[k++] = (unsigned char)*p;
    for (size_t i = 0; i < sizeof extra / sizeof *extra; i++)
        units[k++] = extra[i];
    for (size_t i = 0; i < k; i++) {
        out[n++] = (unsigned char)(be ? units[i] >> 8 : units[i] & 0xFF);
        out[n++] = (unsigned char)(be ? units[i] & 0xFF : units[i] >> 8);
    }
    return n;
}

TEST(textfile_utf16_transcoded)
{
    const char *want = "hi\r\n\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\n";
    unsigned char data[256];
    buf b;
    buf_init(&b, 0);
    textfile_info info;
    for (int be = 0; be <= 1; be++) {
        size_t n = utf16("hi\r\n", be, data);
        REQUIRE(roundtrip(be ? "be.txt" : "le.txt", data, n, &b, &info) == CAIRN_OK);
        CHECK_STR(b.data, want);
        CHECK_INT(b.len, strlen(want));
        CHECK_STR(info.encoding, be ? "utf-16be" : "utf-16le");
        CHECK_INT(info.had_bom, 1);
        CHECK_INT(info.bom_len, 2);
        CHECK_INT(info.transcoded, 1);
        CHECK_INT(info.file_size, n);
    }
    /* Broken UTF-16: odd length, unpaired surrogate, U+0000. */
    size_t n = utf16("hi", 0, data);
    CHECK_INT(roundtrip("odd.txt", data, n - 1, &b, NULL), CAIRN_ERR_BINARY);
    const unsigned char lone[] = {0xFF, 0xFE, 'a', 0, 0x3D, 0xD8, 'b', 0};
    CHECK_INT(roundtrip("lone.txt", lone, sizeof lone, &b, NULL), CAIRN_ERR_BINARY);
    CHECK(strstr(err_msg(), "unpaired surrogate") != NULL);
    const unsigned char zero[] = {0xFE, 0xFF, 0, 'a', 0, 0};
    CHECK_INT(roundtrip("zero.txt", zero, sizeof zero, &b, NULL), CAIRN_ERR_BINARY);
    buf_release(&b);
}

TEST(textfile_over_the_cap)
{
    const char *path = tmp_path("big.log");
    int fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0644);
    REQUIRE(fd >= 0);
    REQUIRE(ftruncate(fd, 52428800) == 0); /* sparse: costs no disk */
    close(fd);
    buf b;
    buf_init(&b, 0);
    CHECK_INT(textfile_read(path, CAP, &b, NULL), CAIRN_ERR_TOOBIG);
    char want[PATH_MAX + 64];
    snprintf(want, sizeof want, "%s: 52428800 bytes, over the 2097152-byte cap", path);
    CHECK_STR(err_msg(), want);
    CHECK_INT(b.len, 0);
    /* One byte over a small cap; exactly at the cap is fine. */
    test_write_file(test_tmpdir(), "ten", "0123456789", 10);
    CHECK_INT(textfile_read(tmp_path("ten"), 9, &b, NULL), CAIRN_ERR_TOOBIG);
    CHECK_INT(textfile_read(tmp_path("ten"), 10, &b, NULL), CAIRN_OK);
    CHECK_STR(b.data, "0123456789");
    buf_release(&b);
}

TEST(textfile_vanished_and_not_regular)
{
    buf b;
    buf_init(&b, 0);
    test_write_file(test_tmpdir(), "gone.txt", "bye\n", 4);
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s", tmp_path("gone.txt"));
    REQUIRE(unlink(path) == 0);
    CHECK_INT(textfile_read(path, CAP, &b, NULL), CAIRN_ERR_NOTFOUND);
    CHECK(strstr(err_msg(), path) != NULL);

    test_write_file(test_tmpdir(), "real.txt", "real\n", 5);
    char link[PATH_MAX];
    snprintf(link, sizeof link, "%s", tmp_path("link.txt"));
    REQUIRE(symlink(tmp_path("real.txt"), link) == 0);
    CHECK_INT(textfile_read(link, CAP, &b, NULL), CAIRN_ERR_INVALID);
    CHECK(strstr(err_msg(), "symbolic link") != NULL);

    CHECK_INT(textfile_read(test_tmpdir(), CAP, &b, NULL), CAIRN_ERR_INVALID);
    CHECK(strstr(err_msg(), "not a regular file") != NULL);

    /* A FIFO with no writer must be refused, not block the reader. */
    char fifo[PATH_MAX];
    snprintf(fifo, sizeof fifo, "%s", tmp_path("pipe"));
    REQUIRE(mkfifo(fifo, 0644) == 0);
    CHECK_INT(textfile_read(fifo, CAP, &b, NULL), CAIRN_ERR_INVALID);
    CHECK(strstr(err_msg(), fifo) != NULL);
    buf_release(&b);
}

TEST(textfile_permission_denied)
{
    if (geteuid() == 0) {
        printf("     (skipped: running as root, permissions are not enforced)\n");
        return;
    }
    test_write_file(test_tmpdir(), "secret.txt", "s\n", 2);
    REQUIRE(chmod(tmp_path("secret.txt"), 0) == 0);
    buf b;
    buf_init(&b, 0);
    CHECK_INT(textfile_read(tmp_path("secret.txt"), CAP, &b, NULL), CAIRN_ERR_PERM);
    CHECK(strstr(err_msg(), "secret.txt") != NULL);
    buf_release(&b);
}

TEST(textfile_looks_binary_heads)
{
    CHECK_INT(textfile_looks_binary("plain text\n", 11), 0);
    CHECK_INT(textfile_looks_binary("", 0), 0);
    CHECK_INT(textfile_looks_binary("a\0b", 3), 1);
    CHECK_INT(textfile_looks_binary("\xff\xfe" "a\0", 4), 0); /* UTF-16 LE */
    /* A head cut inside a multi-byte character is still text. */
    CHECK_INT(textfile_looks_binary("caf\xc3", 4), 0);
    CHECK_INT(textfile_looks_binary("caf\xe9 cr\xe8me", 10), 0); /* Windows-1252 */
    CHECK_INT(textfile_looks_binary("\x01\x02\xff\xfe", 4), 1);
}

/* ---- real files --------------------------------------------------------- */

static size_t read_ok, read_binary;

static void read_tree(const char *dir, const char *suffix, int want_text, int depth)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    buf b;
    buf_init(&b, 0);
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.' || (depth == 0 && !strcmp(e->d_name, "site-packages")))
            continue;
        char path[PATH_MAX];
        if (snprintf(path, sizeof path, "%s/%s", dir, e->d_name) >= (int)sizeof path)
            continue;
        struct stat st;
        if (lstat(path, &st) != 0)
            continue;
        if (S_ISDIR(st.st_mode) && depth < 10) {
            read_tree(path, suffix, want_text, depth + 1);
            continue;
        }
        size_t nl = strlen(e->d_name), sl = strlen(suffix);
        if (!S_ISREG(st.st_mode) || nl < sl || strcmp(e->d_name + nl - sl, suffix) != 0)
            continue;
        textfile_info info;
        int rc = textfile_read(path, (size_t)8 << 20, &b, &info);
        if (want_text) {
            if (rc != CAIRN_OK) {
                test_fail(__FILE__, __LINE__, "%s: %s", path, err_msg());
                continue;
            }
            read_ok++;
            if (!info.transcoded && b.len + info.bom_len != (size_t)st.st_size)
                test_fail(__FILE__, __LINE__, "%s: read %zu of %lld bytes", path, b.len,
                          (long long)st.st_size);
            if (memchr(b.data, '\0', b.len))
                test_fail(__FILE__, __LINE__, "%s: NUL in text", path);
        } else if (rc == CAIRN_ERR_BINARY) {
            read_binary++;
            char head[4096];
            int fd = open(path, O_RDONLY);
            ssize_t n = fd >= 0 ? read(fd, head, sizeof head) : -1;
            if (fd >= 0)
                close(fd);
            if (n > 0 && !textfile_looks_binary(head, (size_t)n))
                test_fail(__FILE__, __LINE__, "%s: refused, but its head looks like text", path);
        }
    }
    buf_release(&b);
    closedir(d);
}

TEST(textfile_reads_every_til_note)
{
    char dir[PATH_MAX];
    snprintf(dir, sizeof dir, "%s/corpora/til", test_shared_dir());
    read_ok = 0;
    read_tree(dir, ".md", 1, 0);
    CHECK_INT(read_ok, 578);
}

static int stdlib_dir(char *out, size_t n)
{
    FILE *p = popen("python3 -c \"import sysconfig; print(sysconfig.get_paths()['stdlib'])\" 2>/dev/null", "r");
    if (!p)
        return 0;
    int ok = fgets(out, (int)n, p) != NULL;
    pclose(p);
    out[strcspn(out, "\n")] = '\0';
    return ok && out[0];
}

TEST(textfile_python_stdlib_sources_and_binaries)
{
    char dir[PATH_MAX];
    if (!stdlib_dir(dir, sizeof dir)) {
        printf("     (skipped: python3 not found)\n");
        return;
    }
    read_ok = read_binary = 0;
    read_tree(dir, ".py", 1, 0);
    CHECK(read_ok > 500);
    /* Compiled bytecode and shared objects are refused as binary. */
    read_tree(dir, ".pyc", 0, 0);
    read_tree(dir, ".so", 0, 0);
    CHECK(read_binary > 100);
}
