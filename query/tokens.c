/*
 * tokens.c — the token estimate: a scanner that cuts text where the
 * o200k_base or cl100k_base pre-tokenizer regex would, and a cost for
 * each piece from tables fitted against the real tokenizer (those are in
 * tokens_tables.c).
 */
#include "query/tokens_int.h"

#include <stdint.h>

/* A character as the scanner sees it, packed in one word: its unit class
 * (bits 0-7), category (8-11), length in bytes (12-15) and, for non-ASCII
 * characters, block (16-31). */
typedef uint32_t ch;
#define CH(unit, cat, n, blk) ((uint32_t)(unit) | (uint32_t)(cat) << 8 | (uint32_t)(n) << 12 | (uint32_t)(blk) << 16)
#define UNIT(c) ((c) & 0xff)
#define CAT(c) ((c) >> 8 & 0xf)
#define BYTES(c) ((c) >> 12 & 0xf)
#define BLOCK(c) ((c) >> 16)

/* ASCII characters, as a constant table. */
#define A_CAT(b)                                                                               \
    ((b) >= 'a' && (b) <= 'z'   ? CAT_LOWER                                                    \
     : (b) >= 'A' && (b) <= 'Z' ? CAT_UPPER                                                    \
     : (b) >= '0' && (b) <= '9' ? CAT_DIGIT                                                    \
     : (b) == '\n' || (b) == '\r' ? CAT_NL                                                     \
     : (b) == ' ' || (b) == '\t' || (b) == '\v' || (b) == '\f' ? CAT_SPACE                     \
                                                            : CAT_PUNCT)
#define A_UNIT(b)                                                                              \
    ((b) >= 'a' && (b) <= 'z'   ? U_LOWER + (b) - 'a'                                          \
     : (b) >= 'A' && (b) <= 'Z' ? U_UPPER + (b) - 'A'                                          \
     : (b) >= '0' && (b) <= '9' ? U_SYM                                                        \
     : (b) == ' '               ? U_SPACE                                                      \
     : (b) < 0x21 || (b) == 0x7f ? U_CTRL                                                      \
     : (b) <= '/'               ? U_PUNCT + (b) - '!'                                          \
     : (b) <= '@'               ? U_PUNCT + 15 + (b) - ':'                                     \
     : (b) <= '`'               ? U_PUNCT + 22 + (b) - '['                                     \
                                : U_PUNCT + 28 + (b) - '{')
#define A_CH(b) CH(A_UNIT(b), A_CAT(b), 1, 0)
#define A_ROW(r)                                                                               \
    A_CH(r + 0), A_CH(r + 1), A_CH(r + 2), A_CH(r + 3), A_CH(r + 4), A_CH(r + 5), A_CH(r + 6), \
        A_CH(r + 7), A_CH(r + 8), A_CH(r + 9), A_CH(r + 10), A_CH(r + 11), A_CH(r + 12),       \
        A_CH(r + 13), A_CH(r + 14), A_CH(r + 15)
static const ch ascii_ch[128] = { A_ROW(0),  A_ROW(16), A_ROW(32), A_ROW(48),
                                  A_ROW(64), A_ROW(80), A_ROW(96), A_ROW(112) };

/* Unicode White_Space outside ASCII. */
static int wide_space(uint32_t v)
{
    return v == 0x85 || v == 0xa0 || v == 0x1680 || (v >= 0x2000 && v <= 0x200a) || v == 0x2028 ||
           v == 0x2029 || v == 0x202f || v == 0x205f || v == 0x3000;
}

/* Letters and marks (\p{L}, \p{M}) by block: close enough for cost, exact
 * for the scripts and symbol blocks text actually uses. */
static int wide_letter(uint32_t v)
{
    if (v < 0x100)
        return v >= 0xc0 ? v != 0xd7 && v != 0xf7 : v == 0xaa || v == 0xb5 || v == 0xba;
    if (v < 0x2000)
        return 1; /* Latin Extended .. Greek Extended */
    if (v < 0x2c00)
        return 0; /* punctuation, arrows, math, box drawing, dingbats */
    if (v < 0x2e00)
        return 1;
    if (v < 0x3040) /* supplemental punctuation, radicals, CJK symbols but 々 and kana marks */
        return (v >= 0x3005 && v <= 0x3007) || (v >= 0x3031 && v <= 0x3035) || v == 0x303b ||
               v == 0x303c;
    if (v < 0xe000)
        return 1; /* kana, CJK, Yi, Hangul */
    if (v < 0xf900)
        return 0; /* private use */
    if (v < 0xfe10)
        return 1; /* compatibility ideographs, presentation forms, variation selectors */
    if (v < 0xfe70)
        return 0;
    if (v < 0xff00)
        return 1;
    if (v < 0xff21)
        return 0; /* fullwidth punctuation and digits */
    if (v < 0xfff0)
        return !((v >= 0xff3b && v <= 0xff40) || (v >= 0xff5b && v <= 0xff65) || v >= 0xffe0);
    if (v < 0x10000)
        return 0;
    if (v >= 0x1f000 && v < 0x1fc00)
        return 0; /* emoji and pictographs */
    return !(v >= 0xe0000 && v < 0xe0100); /* tags are format characters */
}

static unsigned short block(uint32_t v)
{
    if (v < 0x3000)
        return (unsigned short)(v >> 7);
    if (v < 0x3100)
        return BLK_CJK_SYM;
    if (v < 0x4e00)
        return BLK_CJK_A;
    if (v < 0xa000)
        return BLK_CJK;
    if (v < 0xac00)
        return BLK_YI;
    if (v < 0xd800)
        return BLK_HANGUL;
    if (v < 0xf900)
        return BLK_PRIVATE;
    if (v < 0x10000)
        return BLK_COMPAT;
    if (v < 0x1f000)
        return BLK_ASTRAL;
    if (v < 0x1fb00)
        return BLK_EMOJI;
    return BLK_ASTRAL_HI;
}

/* The non-ASCII character at s[i] (i < len).  A byte that does not start
 * a valid UTF-8 sequence is one symbol character of its own. */
static ch peek_wide(const unsigned char *s, size_t len, size_t i)
{
    unsigned b = s[i];
    uint32_t v;
    size_t n;
    if (b >= 0xc2 && b <= 0xdf) {
        n = 2;
        v = b & 0x1f;
    } else if (b >= 0xe0 && b <= 0xef) {
        n = 3;
        v = b & 0x0f;
    } else if (b >= 0xf0 && b <= 0xf4) {
        n = 4;
        v = b & 0x07;
    } else {
        return CH(U_SYM, CAT_PUNCT, 1, BLK_INVALID);
    }
    if (n > len - i)
        return CH(U_SYM, CAT_PUNCT, 1, BLK_INVALID);
    for (size_t k = 1; k < n; k++) {
        if ((s[i + k] & 0xc0) != 0x80)
            return CH(U_SYM, CAT_PUNCT, 1, BLK_INVALID);
        v = v << 6 | (s[i + k] & 0x3f);
    }
    if ((n == 3 && v < 0x800) || (n == 4 && (v < 0x10000 || v > 0x10ffff)) ||
        (v >= 0xd800 && v <= 0xdfff))
        return CH(U_SYM, CAT_PUNCT, 1, BLK_INVALID);
    if (wide_space(v))
        return CH(v < 0xc0 ? U_LATIN1 : U_GENPUNCT, CAT_SPACE, n, block(v));
    if (wide_letter(v))
        return CH(v >= 0x3040 && v < 0xa000   ? U_CJK
                  : v >= 0xac00 && v < 0xd7b0 ? U_HANGUL
                  : v < 0x250                 ? U_LATIN
                  : n == 2                    ? U_NA2
                                              : U_NA3,
                  CAT_LETTER, n, block(v));
    unsigned unit = v < 0xc0                      ? U_LATIN1
                    : v >= 0x2000 && v < 0x2070   ? U_GENPUNCT
                    : v >= 0x2500 && v < 0x2600   ? U_BOX
                    : v >= 0x1f000 && v < 0x1fb00 ? U_EMOJI
                                                  : U_SYM;
    return CH(unit, CAT_PUNCT, n, block(v));
}

/* The character at s[i] (i < len). */
static inline ch peek(const unsigned char *s, size_t len, size_t i)
{
    return s[i] < 0x80 ? ascii_ch[s[i]] : peek_wide(s, len, i);
}

/* The character at s[i] in *c, and where the next one starts.  For ASCII
 * the next position does not wait for the table lookup, which keeps the
 * scanning loops from stalling on it. */
static inline __attribute__((always_inline)) size_t next(const unsigned char *s, size_t len,
                                                          size_t i, ch *c)
{
    if (__builtin_expect(s[i] < 0x80, 1)) {
        *c = ascii_ch[s[i]];
        return i + 1;
    }
    *c = peek_wide(s, len, i);
    return i + BYTES(*c);
}

static inline int is_letter(unsigned cat)
{
    return cat <= CAT_LETTER;
}

/* The cost of a piece's characters: the fitted chance of a split between
 * each two neighbours, and inside each non-ASCII character. */
typedef struct acc {
    long cost;
    unsigned prev;  /* unit of the previous character, NUNITS before the first */
    unsigned run;   /* characters in a row of that unit, up to the previous */
    unsigned units;
    unsigned over;  /* length past the last length class */
} acc;

static inline __attribute__((always_inline)) void add(const model *m, acc *a, ch c)
{
    unsigned u = UNIT(c);
    if (u == a->prev) {
        a->cost += a->run >= RUN ? m->run[u] : 4L * (m->pair[u][u] - '0');
        a->run++;
    } else {
        a->cost += 4L * (m->pair[a->prev][u] - '0');
        a->run = 1;
    }
    if (BLOCK(c))
        a->cost += m->uni[BLOCK(c)];
    a->prev = u;
    a->units++;
}

/* The length class of a piece of n units; pieces longer than LENS also
 * pay a fitted cost for each unit past it. */
static inline unsigned len_bucket(acc *a, unsigned n)
{
    a->over = n > LENS ? n - LENS : 0;
    return n == 0 ? 0 : n > LENS ? LENS - 1 : n - 1;
}

/* Length of a contraction ('s 't 're 've 'm 'll 'd, any case) at s[j]. */
static size_t contraction(const unsigned char *s, size_t len, size_t j)
{
    if (j >= len || s[j] != '\'' || j + 1 >= len)
        return 0;
    unsigned a = s[j + 1] | 0x20, b = j + 2 < len ? s[j + 2] | 0x20 : 0;
    if (a == 's' || a == 't' || a == 'm' || a == 'd')
        return 2;
    if ((a == 'r' && b == 'e') || (a == 'v' && b == 'e') || (a == 'l' && b == 'l'))
        return 3;
    return 0;
}

/* A letter run starting at j (after an optional lead already added):
 * o200k takes upper-case letters then lower-case ones and an optional
 * contraction; cl100k takes all letters. */
static inline __attribute__((always_inline)) size_t word(const model *m, const unsigned char *s,
                                                          size_t len, size_t j, unsigned lead,
                                                          acc *a, unsigned *cls)
{
    const unsigned upper_run = 1u << CAT_UPPER | 1u << CAT_LETTER;
    unsigned seen = 0, upper = 0, wide = 0, units0 = a->units, first = CAT(peek(s, len, j));
    unsigned accept = m->cl100k ? upper_run | 1u << CAT_LOWER : upper_run;
    for (ch c; j < len;) {
        size_t after = next(s, len, j, &c);
        unsigned cat = CAT(c);
        if (!(accept >> cat & 1)) {
            if (accept != upper_run || cat != CAT_LOWER)
                break;
            accept = 1u << CAT_LOWER | 1u << CAT_LETTER;
        }
        seen |= 1u << cat;
        upper += cat == CAT_UPPER;
        if (cat == CAT_LETTER)
            wide |= UNIT(c) == U_CJK ? 4 : UNIT(c) == U_LATIN ? 1 : 2;
        add(m, a, c);
        j = after;
        /* The rest of a lower-case run, most of any text, without the
         * table: both regexes take it whole. */
        if (cat == CAT_LOWER)
            for (; j < len && (unsigned)(s[j] - 'a') < 26; j++)
                add(m, a, CH(U_LOWER + s[j] - 'a', CAT_LOWER, 1, 0));
    }
    unsigned shape = wide & 4                     ? SHAPE_CJK
                     : wide & 2                   ? SHAPE_NONASCII
                     : wide                       ? SHAPE_LATIN
                     : !upper                     ? SHAPE_LOWER
                     : !(seen >> CAT_LOWER & 1)   ? SHAPE_UPPER
                     : upper == 1 && first == CAT_UPPER ? SHAPE_CAPITAL
                                                        : SHAPE_MIXED;
    size_t k = !m->cl100k && j < len && s[j] == '\'' ? contraction(s, len, j) : 0;
    if (k && shape < SHAPE_LATIN)
        shape = SHAPE_MIXED;
    for (size_t e = j + k; j < e; j++)
        add(m, a, ascii_ch[s[j]]);
    *cls = CLS_WORD + (lead * NSHAPES + shape) * LENS + len_bucket(a, a->units - units0);
    return j;
}

typedef struct piece_info {
    unsigned cls;  /* piece class */
    unsigned over; /* units past the last length class */
    long cost;     /* estimate, 1/SCALE tokens */
} piece_info;

/* The piece starting at s[i] (i < len): its end, class and cost.  The
 * branches follow the order of the alternatives in the regexes:
 *   o200k  letters (with a lead) | \p{N}{1,3} | ` ?[^\s\p{L}\p{N}]+[\r\n/]*`
 *          | `\s*[\r\n]+` | `\s+(?!\S)` | `\s+`
 *   cl100k contractions | lead? \p{L}+ | the same, without '/' after
 *          punctuation. */
static inline __attribute__((always_inline)) size_t piece(const model *m, const unsigned char *s,
                                                           size_t len, size_t i, piece_info *p)
{
    acc a = { 0, NUNITS, 0, 0, 0 };
    ch c0 = peek(s, len, i), c1 = 0;
    size_t j = i, k;
    unsigned cat0 = CAT(c0);

    if (m->cl100k && s[i] == '\'' && (k = contraction(s, len, i)) > 0) {
        for (; j < i + k; j++)
            add(m, &a, ascii_ch[s[j]]);
        p->cls = CLS_CONTRACTION;
    } else if (is_letter(cat0)) {
        j = word(m, s, len, i, LEAD_NONE, &a, &p->cls);
    } else if (cat0 == CAT_DIGIT) {
        while (j < len && j < i + 3 && s[j] >= '0' && s[j] <= '9')
            j++;
        p->cls = CLS_DIGIT + (unsigned)(j - i - 1);
    } else if (cat0 != CAT_NL && i + BYTES(c0) < len &&
               is_letter(CAT(c1 = peek(s, len, i + BYTES(c0))))) {
        add(m, &a, c0);
        j = word(m, s, len, i + BYTES(c0), s[i] == ' ' ? LEAD_SPACE : LEAD_OTHER, &a, &p->cls);
    } else if (cat0 == CAT_PUNCT || (s[i] == ' ' && i + 1 < len && CAT(c1) == CAT_PUNCT)) {
        /* (c1, the character after a space, was read by the test above) */
        unsigned lead = s[i] == ' ';
        if (lead) {
            add(m, &a, c0);
            j++;
        }
        unsigned units0 = a.units;
        for (ch c; j < len;) {
            size_t after = next(s, len, j, &c);
            if (CAT(c) != CAT_PUNCT)
                break;
            add(m, &a, c);
            j = after;
        }
        for (; j < len && (s[j] == '\n' || s[j] == '\r' || (s[j] == '/' && !m->cl100k)); j++)
            add(m, &a, ascii_ch[s[j]]);
        p->cls = CLS_PUNCT + lead * LENS + len_bucket(&a, a.units - units0);
    } else {
        /* A whitespace run: up to its last newline if it has one; else
         * all of it at the end of the text, or all but its last
         * character, which leads the next piece. */
        size_t nl_end = 0, last = i;
        for (ch c; j < len;) {
            size_t after = next(s, len, j, &c);
            if (CAT(c) != CAT_SPACE && CAT(c) != CAT_NL)
                break;
            last = j;
            if (CAT(c) == CAT_NL)
                nl_end = j + 1;
            j = after;
        }
        size_t end = nl_end ? nl_end : j == len || last == i ? j : last;
        unsigned nls = 0, other = 0;
        for (j = i; j < end;) {
            size_t after = next(s, len, j, &c1);
            nls += CAT(c1) == CAT_NL;
            other += nl_end ? CAT(c1) != CAT_NL : s[j] != ' ';
            add(m, &a, c1);
            j = after;
        }
        p->cls = nl_end ? CLS_NEWLINE + (other > 0) * LENS + len_bucket(&a, nls)
                        : CLS_SPACE + (other > 0) * LENS + len_bucket(&a, a.units);
    }
    long total = SCALE + a.cost + m->corr[p->cls];
    if (a.over)
        total += (long)a.over * m->slope[p->cls / LENS];
    p->over = a.over;
    p->cost = total > 0 ? total : 0;
    return j;
}

static const model *model_of(enum tokens_encoding enc)
{
    return &tokens_models[enc == TOKENS_CL100K ? TOKENS_CL100K : TOKENS_O200K];
}

static uint64_t scaled_count(const model *m, const unsigned char *s, size_t len)
{
    uint64_t sum = 0;
    piece_info p;
    for (size_t i = 0; i < len; sum += (uint64_t)p.cost)
        i = piece(m, s, len, i, &p);
    return sum;
}

size_t tokens_count_enc(enum tokens_encoding enc, const char *text, size_t len)
{
    uint64_t sum = scaled_count(model_of(enc), (const unsigned char *)text, len);
    return (size_t)((sum + SCALE / 2) / SCALE);
}

size_t tokens_count(const char *text, size_t len)
{
    return tokens_count_enc(TOKENS_O200K, text, len);
}

/* The most a text estimated at `budget` tokens may cost in 1/SCALE: the
 * count is rounded to the nearest token. */
static uint64_t scaled_budget(size_t budget)
{
    return budget >= UINT64_MAX / SCALE - 1 ? UINT64_MAX : (uint64_t)budget * SCALE + SCALE / 2 - 1;
}

/* A piece of several lines (blank lines, "}\n\n") ends lines inside it:
 * the last of those, in s[i, end), that still fits when the text before
 * it costs sum; 0 when none does.  A binary search, as the cost grows
 * with the length. */
static size_t cut_inside(const model *m, const unsigned char *s, size_t i, size_t end, uint64_t sum,
                         uint64_t limit)
{
    size_t best = 0, lo = i + 1, hi = end - 1;
    while (lo <= hi) {
        size_t mid = lo + (hi - lo) / 2, q = mid;
        while (q >= lo && s[q - 1] != '\n')
            q--;
        if (q < lo)
            lo = mid + 1;
        else if (sum + scaled_count(m, s + i, q - i) <= limit)
            best = q, lo = mid + 1;
        else
            hi = q - 1;
    }
    return best;
}

/* Where to cut text[0, len) for budget, judged by the pieces of the whole
 * text: the end of the last line, else of the last piece, that fits. */
static size_t scan_cut(const model *m, const unsigned char *s, size_t len, size_t budget)
{
    uint64_t limit = scaled_budget(budget), sum = 0;
    size_t line_cut = 0, piece_cut = 0;
    piece_info p;
    for (size_t i = 0; i < len;) {
        size_t end = piece(m, s, len, i, &p);
        if (sum + (uint64_t)p.cost > limit) {
            size_t inside = cut_inside(m, s, i, end, sum, limit);
            return inside ? inside : line_cut ? line_cut : piece_cut;
        }
        sum += (uint64_t)p.cost;
        piece_cut = end;
        /* Punctuation takes the newlines after it, and o200k slashes
         * after those ("}\n//"): a line can end inside a piece. */
        for (size_t q = end; p.cls >= CLS_PUNCT && p.cls < CLS_SPACE && q > i; q--) {
            if (s[q - 1] == '\n') {
                line_cut = q;
                break;
            }
        }
        i = end;
    }
    return len;
}

size_t tokens_prefix_enc(enum tokens_encoding enc, const char *text, size_t len, size_t budget)
{
    const model *m = model_of(enc);
    const unsigned char *s = (const unsigned char *)text;
    size_t cut = scan_cut(m, s, len, budget);
    /* A prefix can be cut into pieces differently from the whole text
     * (a whitespace run at its end is not followed by a word): check it
     * on its own, and cut again inside it when it costs more. */
    while (cut > 0 && cut < len && scaled_count(m, s, cut) > scaled_budget(budget))
        cut = scan_cut(m, s, cut, budget);
    return cut;
}

size_t tokens_prefix(const char *text, size_t len, size_t budget)
{
    return tokens_prefix_enc(TOKENS_O200K, text, len, budget);
}
