/*
 * tokcount.c — query/tokens from the command line, for the calibration
 * and test scripts in tests/tokens/ and for bench/tokens.sh.
 *
 *   build/tokcount [--enc o200k|cl100k] FILE...        TOKENS<TAB>BYTES<TAB>FILE
 *   build/tokcount [--enc E] --prefix BUDGET FILE...    CUT<TAB>TOKENS(CUT)<TAB>FILE
 *   build/tokcount [--enc E] --bench SECONDS FILE...    throughput of tokens_count (CPU time)
 *   build/tokcount [--enc E] --units FILE...            the pieces, for fit.mjs
 *
 * --units prints "# units U blocks B classes C run R lens L" (tokens.c's
 * sizes), a line per unit class "u INDEX CHAR KIND NAME" (CHAR: the ASCII
 * code of the one character the class stands for, -1 if none; control
 * characters are probed as "\n"; KIND: punct, symbol or other) and per
 * piece class "c INDEX NAME", then for each file "F PATH" and one line per
 * piece: CLASS, LENGTH, UNITS, BLOCKS, OVER and COST separated by tabs.
 * UNITS has one character, ' ' + unit class, per character of the piece;
 * BLOCKS lists "POSITION:BLOCK:BYTES," for its non-ASCII characters (digit
 * pieces have no units: they cost one token and their correction); OVER is
 * how many units the piece has past the longest length class, COST its
 * estimate in 1/SCALE tokens.  It needs the scanner's internals, so this
 * file compiles tokens.c (and its tables, tokens_tables.c) itself rather
 * than linking them.
 * A file that cannot be read is reported on stderr and makes the exit
 * status 1.
 */
#include "query/tokens.c"
#include "query/tokens_tables.c"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_FILE ((size_t)256 << 20)

static int slurp(const char *path, char **out, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "tokcount: %s: %s\n", path, strerror(errno));
        return -1;
    }
    size_t cap = 1 << 16, n = 0;
    char *b = malloc(cap);
    for (size_t r; b; n += r) {
        if (n == cap) {
            char *nb = cap < MAX_FILE ? realloc(b, cap * 2) : NULL;
            if (!nb) {
                free(b);
                b = NULL;
                break;
            }
            b = nb;
            cap *= 2;
        }
        r = fread(b + n, 1, cap - n, f);
        if (r == 0)
            break;
    }
    int bad = !b || ferror(f);
    fclose(f);
    if (bad) {
        fprintf(stderr, "tokcount: %s: %s\n", path, b ? "read error" : "too big or out of memory");
        free(b);
        return -1;
    }
    *out = b;
    *len = n;
    return 0;
}

static const char *class_name(unsigned cls)
{
    static const char *const leads[] = { "none", "space", "other" };
    static const char *const shapes[] = { "lower",  "capital",  "upper", "mixed",
                                          "latin", "nonascii", "cjk" };
    static char name[48];
    if (cls < CLS_PUNCT)
        snprintf(name, sizeof name, "word %s %s %u", leads[cls / (NSHAPES * LENS)],
                 shapes[cls / LENS % NSHAPES], cls % LENS + 1);
    else if (cls < CLS_NEWLINE)
        snprintf(name, sizeof name, "punct %s %u", (cls - CLS_PUNCT) / LENS ? "space" : "none",
                 (cls - CLS_PUNCT) % LENS + 1);
    else if (cls < CLS_SPACE)
        snprintf(name, sizeof name, "newline %s %u", (cls - CLS_NEWLINE) / LENS ? "mixed" : "only",
                 (cls - CLS_NEWLINE) % LENS + 1);
    else if (cls < CLS_DIGIT)
        snprintf(name, sizeof name, "space %s %u", (cls - CLS_SPACE) / LENS ? "mixed" : "only",
                 (cls - CLS_SPACE) % LENS + 1);
    else if (cls < CLS_CONTRACTION)
        snprintf(name, sizeof name, "digits %u", cls - CLS_DIGIT + 1);
    else
        snprintf(name, sizeof name, "contraction");
    return name;
}

/* The unit classes, for fit.mjs: which ASCII character each stands for,
 * and which are non-ASCII symbols (mostly a token each). */
static void unit_classes(void)
{
    static const char *const wide[] = { [U_GENPUNCT - U_GENPUNCT] = "U+2000 punctuation",
                                        [U_NA2 - U_GENPUNCT] = "2-byte letter",
                                        [U_NA3 - U_GENPUNCT] = "other letter",
                                        [U_SYM - U_GENPUNCT] = "symbol" };
    static const char *const high[] = { [U_LATIN1 - U_LATIN1] = "U+0080 sign",
                                        [U_BOX - U_LATIN1] = "box drawing",
                                        [U_EMOJI - U_LATIN1] = "emoji",
                                        [U_CJK - U_LATIN1] = "CJK",
                                        [U_LATIN - U_LATIN1] = "Latin letter",
                                        [U_HANGUL - U_LATIN1] = "Hangul" };
    for (unsigned u = 0; u < NUNITS; u++) {
        int code = u == U_CTRL ? '\n' : -1, n = 0;
        for (int b = 0; b < 128; b++) {
            if (UNIT(ascii_ch[b]) == u && CAT(ascii_ch[b]) != CAT_DIGIT) {
                n++;
                if (u != U_CTRL)
                    code = b;
            }
        }
        int symbol = u == U_GENPUNCT || u == U_SYM || u == U_LATIN1 || u == U_BOX || u == U_EMOJI;
        const char *kind = symbol ? "symbol" : u >= U_PUNCT && u < U_PUNCT + 32 ? "punct" : "other";
        if (u == U_CTRL || code == ' ')
            printf("u %u %d %s %s\n", u, code, kind, code == ' ' ? "space" : "control");
        else if (n == 1)
            printf("u %u %d %s %c\n", u, code, kind, code);
        else
            printf("u %u -1 %s %s\n", u, kind, u < U_UPPER ? wide[u - U_GENPUNCT] : high[u - U_LATIN1]);
    }
}

static void units(const model *m, const char *path, const char *text, size_t len)
{
    const unsigned char *s = (const unsigned char *)text;
    piece_info p;
    ch c;
    printf("F %s\n", path);
    for (size_t i = 0, end; i < len; i = end) {
        end = piece(m, s, len, i, &p);
        int digits = p.cls >= CLS_DIGIT && p.cls < CLS_CONTRACTION;
        printf("%u\t%zu\t", p.cls, end - i);
        for (size_t j = i; !digits && j < end; j += BYTES(c)) {
            c = peek(s, len, j);
            putchar(' ' + (int)UNIT(c));
        }
        putchar('\t');
        unsigned k = 0;
        for (size_t j = i; !digits && j < end; j += BYTES(c), k++) {
            c = peek(s, len, j);
            if (BLOCK(c))
                printf("%u:%u:%u,", k, BLOCK(c), BYTES(c));
        }
        printf("\t%u\t%ld\n", p.over, p.cost);
    }
}

/* CPU time of this process: the throughput of one core, whatever else
 * the machine is running. */
static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* tokens_count over all files, repeated for at least `seconds`. */
static int bench(enum tokens_encoding enc, double seconds, char **files, int n)
{
    char **text = calloc((size_t)n + 1, sizeof *text);
    size_t *len = calloc((size_t)n + 1, sizeof *len), bytes = 0, tokens = 0;
    int status = !text || !len;
    for (int i = 0; !status && i < n; i++) {
        status = slurp(files[i], &text[i], &len[i]) != 0;
        bytes += len[i];
    }
    if (status) {
        for (int i = 0; text && i < n; i++)
            free(text[i]);
        free(text);
        free(len);
        return 1;
    }
    double t0 = now(), t;
    long rounds = 0;
    do {
        tokens = 0;
        for (int i = 0; i < n; i++)
            tokens += tokens_count_enc(enc, text[i], len[i]);
        rounds++;
    } while ((t = now() - t0) < seconds);
    printf("files %d bytes %zu tokens %zu rounds %ld seconds %.3f MB/s %.1f\n", n, bytes, tokens,
           rounds, t, (double)bytes * rounds / t / 1e6);
    for (int i = 0; i < n; i++)
        free(text[i]);
    free(text);
    free(len);
    return 0;
}

int main(int argc, char **argv)
{
    enum tokens_encoding enc = TOKENS_O200K;
    const char *mode = "count";
    double arg = 0;
    int i = 1;
    for (; i < argc && strncmp(argv[i], "--", 2) == 0; i++) {
        if (strcmp(argv[i], "--enc") == 0 && i + 1 < argc) {
            const char *e = argv[++i];
            if (strcmp(e, "o200k") == 0)
                enc = TOKENS_O200K;
            else if (strcmp(e, "cl100k") == 0)
                enc = TOKENS_CL100K;
            else {
                fprintf(stderr, "tokcount: unknown encoding %s\n", e);
                return 2;
            }
        } else if ((strcmp(argv[i], "--prefix") == 0 || strcmp(argv[i], "--bench") == 0) &&
                   i + 1 < argc) {
            mode = argv[i] + 2;
            arg = strtod(argv[++i], NULL);
        } else if (strcmp(argv[i], "--units") == 0) {
            mode = "units";
        } else {
            fprintf(stderr, "usage: tokcount [--enc o200k|cl100k] [--prefix BUDGET | --bench "
                            "SECONDS | --units] FILE...\n");
            return 2;
        }
    }
    if (strcmp(mode, "bench") == 0)
        return bench(enc, arg, argv + i, argc - i);
    const model *m = model_of(enc);
    if (strcmp(mode, "units") == 0) {
        printf("# units %d blocks %d classes %d run %d lens %d\n", NUNITS, NBLOCKS, NCLASSES, RUN,
               LENS);
        unit_classes();
        for (unsigned c = 0; c < NCLASSES; c++)
            printf("c %u %s\n", c, class_name(c));
    }
    int status = 0;
    for (; i < argc; i++) {
        char *text;
        size_t len;
        if (slurp(argv[i], &text, &len) != 0) {
            status = 1;
            continue;
        }
        if (strcmp(mode, "units") == 0) {
            units(m, argv[i], text, len);
        } else if (strcmp(mode, "prefix") == 0) {
            size_t cut = tokens_prefix_enc(enc, text, len, (size_t)arg);
            printf("%zu\t%zu\t%s\n", cut, tokens_count_enc(enc, text, cut), argv[i]);
        } else {
            printf("%zu\t%zu\t%s\n", tokens_count_enc(enc, text, len), len, argv[i]);
        }
        free(text);
    }
    return status;
}
