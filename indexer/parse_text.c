/*
 * parse_text.c — line numbers, bounded strings, names and doc text for
 * parse.c.
 */
#include "indexer/parse_text.h"

#include <stdlib.h>
#include <string.h>

#include "util/err.h"

void parse_lines_init(parse_lines *l)
{
    memset(l, 0, sizeof *l);
}

void parse_lines_release(parse_lines *l)
{
    if (!l)
        return;
    free(l->starts);
    parse_lines_init(l);
}

static int lines_push(parse_lines *l, size_t off)
{
    if (l->n == l->cap) {
        size_t ncap = l->cap ? l->cap * 2 : 1024;
        uint32_t *p = realloc(l->starts, ncap * sizeof *p);
        if (!p)
            return err_set(CAIRN_ERR_NOMEM, "line table: out of memory (%zu lines)", l->n);
        l->starts = p;
        l->cap = ncap;
    }
    l->starts[l->n++] = (uint32_t)off;
    return CAIRN_OK;
}

int parse_lines_build(parse_lines *l, const char *text, size_t len)
{
    l->n = 0;
    int rc = lines_push(l, 0);
    for (size_t i = 0; i < len && rc == CAIRN_OK; i++) {
        char c = text[i];
        if (c == '\n' || (c == '\r' && (i + 1 == len || text[i + 1] != '\n')))
            rc = lines_push(l, i + 1);
    }
    return rc;
}

int parse_lines_at(const parse_lines *l, size_t off)
{
    size_t lo = 0, hi = l->n; /* answer in [lo, hi): last start <= off */
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (l->starts[mid] <= off)
            lo = mid;
        else
            hi = mid;
    }
    return (int)lo + 1;
}

void parse_sb_init(parse_sb *b, char *storage, size_t cap)
{
    b->s = storage;
    b->len = 0;
    b->cap = cap;
    b->full = 0;
    storage[0] = '\0';
}

void parse_sb_add(parse_sb *b, const char *s, size_t n)
{
    if (b->full || n == 0)
        return;
    size_t room = b->cap - 1 - b->len;
    if (n > room) {
        n = room;
        /* never end inside a UTF-8 sequence */
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
            n--;
        b->full = 1;
    }
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = '\0';
}

void parse_sb_adds(parse_sb *b, const char *s)
{
    parse_sb_add(b, s, strlen(s));
}

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

void parse_sb_add_collapsed(parse_sb *b, const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && !b->full) {
        if (is_space(s[i])) {
            while (i < n && is_space(s[i]))
                i++;
            if (b->len > 0 && b->s[b->len - 1] != ' ')
                parse_sb_add(b, " ", 1);
            continue;
        }
        size_t j = i;
        while (j < n && !is_space(s[j]))
            j++;
        parse_sb_add(b, s + i, j - i);
        i = j;
    }
}

void parse_sb_rtrim(parse_sb *b)
{
    while (b->len > 0 && is_space(b->s[b->len - 1]))
        b->len--;
    b->s[b->len] = '\0';
}

long parse_text_last_sep(const char *s, size_t n, const char *sep)
{
    if (!sep)
        return -1;
    size_t k = strlen(sep);
    long last = -1;
    int depth = 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == '(' || c == '[' || c == '<')
            depth++;
        else if ((c == ')' || c == ']' || c == '>') && depth > 0)
            depth--;
        else if (depth == 0 && i + k <= n && memcmp(s + i, sep, k) == 0) {
            last = (long)i;
            i += k - 1;
        }
    }
    return last;
}

static int is_ident(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           (unsigned char)c >= 0x80;
}

void parse_text_add_plain_name(parse_sb *b, const char *s, size_t n, const char *sep)
{
    size_t k = sep ? strlen(sep) : 0;
    size_t i = 0;
    while (i < n) {
        if (n - i >= 8 && memcmp(s + i, "operator", 8) == 0 && (i == 0 || !is_ident(s[i - 1])) &&
            (i + 8 == n || !is_ident(s[i + 8]))) {
            parse_sb_add_collapsed(b, s + i, n - i);
            return;
        }
        char c = s[i];
        if (c == '<' && i > 0 && is_ident(s[i - 1])) {
            /* template arguments after a name, if they close */
            int depth = 0;
            size_t j = i;
            for (; j < n; j++) {
                if (s[j] == '<')
                    depth++;
                else if (s[j] == '>' && --depth == 0)
                    break;
            }
            if (j < n) {
                i = j + 1;
                continue;
            }
        }
        if (k > 0 && i + k <= n && memcmp(s + i, sep, k) == 0) {
            parse_sb_add(b, ".", 1);
            i += k;
            continue;
        }
        if (is_space(c)) {
            if (b->len > 0 && b->s[b->len - 1] != ' ' && b->s[b->len - 1] != '.')
                parse_sb_add(b, " ", 1);
            i++;
            continue;
        }
        if (c == '.' && b->len > 0 && b->s[b->len - 1] == ' ')
            b->s[--b->len] = '\0';
        parse_sb_add(b, &c, 1);
        i++;
    }
    parse_sb_rtrim(b);
}

static size_t skip_spaces(const char *s, size_t n, size_t i)
{
    while (i < n && is_space(s[i]))
        i++;
    return i;
}

static size_t skip_word(const char *s, size_t n, size_t i)
{
    while (i < n && is_ident(s[i]))
        i++;
    return i;
}

/* The length of a macro name at s[i] (capitals, digits, '_', two or more,
 * starting with a capital or '_'), or 0. */
static size_t macro_word(const char *s, size_t n, size_t i)
{
    size_t j = i;
    if (j >= n || !((s[j] >= 'A' && s[j] <= 'Z') || s[j] == '_'))
        return 0;
    while (j < n && ((s[j] >= 'A' && s[j] <= 'Z') || (s[j] >= '0' && s[j] <= '9') || s[j] == '_'))
        j++;
    if (j < n && is_ident(s[j]))
        return 0;
    return j - i >= 2 ? j - i : 0;
}

long parse_text_class_macro(const char *s, size_t n, size_t from, size_t *len)
{
    static const char *const keys[] = {"class", "struct", "union"};
    for (size_t i = from; i < n; i++) {
        if (s[i] != 'c' && s[i] != 's' && s[i] != 'u')
            continue;
        if (i > 0 && is_ident(s[i - 1]))
            continue;
        size_t k = 0;
        for (; k < 3; k++) {
            size_t kl = strlen(keys[k]);
            if (n - i > kl && memcmp(s + i, keys[k], kl) == 0 && is_space(s[i + kl]))
                break;
        }
        if (k == 3)
            continue;
        size_t m = skip_spaces(s, n, i + strlen(keys[k]));
        size_t ml = macro_word(s, n, m);
        if (ml == 0)
            continue;
        size_t e = m + ml;
        size_t p = skip_spaces(s, n, e);
        if (p < n && s[p] == '(') {
            /* EXPORT(x): a short balanced argument list */
            int depth = 0;
            size_t q = p;
            for (; q < n && q - p < 128; q++) {
                if (s[q] == '(')
                    depth++;
                else if (s[q] == ')' && --depth == 0)
                    break;
            }
            if (q >= n || depth != 0)
                continue;
            e = q + 1;
            p = skip_spaces(s, n, e);
        }
        size_t w = skip_word(s, n, p);
        if (w == p)
            continue;
        size_t t = skip_spaces(s, n, w);
        if (t < n && s[t] == '<') {
            /* a specialization: "class API Matcher<const std::string&> :" */
            int depth = 0;
            size_t q = t;
            for (; q < n && q - t < 256; q++) {
                if (s[q] == '<')
                    depth++;
                else if (s[q] == '>' && --depth == 0)
                    break;
            }
            if (q >= n || depth != 0)
                continue;
            t = skip_spaces(s, n, q + 1);
        }
        if (t < n && (s[t] == '{' || (s[t] == ':' && (t + 1 >= n || s[t + 1] != ':')) ||
                      (n - t >= 5 && memcmp(s + t, "final", 5) == 0 && (n - t == 5 || !is_ident(s[t + 5]))))) {
            *len = e - m;
            return (long)m;
        }
    }
    return -1;
}

#define MACRO_ARGS_MAX 4096 /* bytes of arguments a statement macro may span */

/* The offset just past the ')' matching s[i] == '(', skipping string and
 * character literals, or 0 when there is none within MACRO_ARGS_MAX. */
static size_t close_paren(const char *s, size_t n, size_t i)
{
    int depth = 0;
    size_t end = n - i > MACRO_ARGS_MAX ? i + MACRO_ARGS_MAX : n;
    for (size_t j = i; j < end; j++) {
        char c = s[j];
        if (c == '"' || c == '\'') {
            for (j++; j < end && s[j] != c && s[j] != '\n'; j++)
                if (s[j] == '\\')
                    j++;
        } else if (c == '(') {
            depth++;
        } else if (c == ')' && --depth == 0) {
            return j + 1;
        }
    }
    return 0;
}

long parse_text_statement_macro(const char *s, size_t n, size_t from, size_t *len)
{
    size_t i = from;
    /* only at line starts */
    while (i > 0 && i < n && s[i - 1] != '\n')
        i++;
    for (; i < n; i++) {
        if (i > 0 && s[i - 1] != '\n')
            continue;
        /* a line continuing a #define */
        if (i >= 2 && (s[i - 2] == '\\' || (s[i - 2] == '\r' && i >= 3 && s[i - 3] == '\\')))
            continue;
        size_t m = i;
        while (m < n && (s[m] == ' ' || s[m] == '\t'))
            m++;
        size_t ml = macro_word(s, n, m);
        if (ml == 0)
            continue;
        size_t p = m + ml;
        while (p < n && (s[p] == ' ' || s[p] == '\t'))
            p++;
        if (p >= n || s[p] != '(')
            continue;
        size_t e = close_paren(s, n, p);
        if (e == 0)
            continue;
        size_t t = e;
        while (t < n && (s[t] == ' ' || s[t] == '\t' || s[t] == '\r'))
            t++;
        if (n - t >= 2 && s[t] == '/' && s[t + 1] == '/')
            while (t < n && s[t] != '\n')
                t++;
        if (t < n && s[t] != '\n')
            continue;
        t = skip_spaces(s, n, t);
        if (t < n && !(is_ident(s[t]) || strchr("#}~[", s[t]) ||
                       (n - t >= 2 && s[t] == '/' && (s[t + 1] == '/' || s[t + 1] == '*'))))
            continue;
        *len = e - m;
        return (long)m;
    }
    return -1;
}

long parse_text_trailing_macro(const char *s, size_t n, size_t from, size_t *len)
{
    for (size_t i = from; i < n; i++) {
        const char *c = memchr(s + i, ')', n - i);
        if (!c)
            return -1;
        i = (size_t)(c - s);
        size_t m = skip_spaces(s, n, i + 1);
        for (int guard = 0; guard < 4 && m < n; guard++) {
            /* qualifiers before the macro: ") const GUARDED(mu) {" */
            static const char *const quals[] = {"const", "volatile", "noexcept", "override", "final", NULL};
            size_t w = skip_word(s, n, m);
            int q = 0;
            for (; quals[q]; q++)
                if (w - m == strlen(quals[q]) && memcmp(s + m, quals[q], w - m) == 0)
                    break;
            if (quals[q])
                m = skip_spaces(s, n, w);
            else if (s[m] == '&')
                m = skip_spaces(s, n, m + 1 + (m + 1 < n && s[m + 1] == '&'));
            else
                break;
        }
        size_t ml = macro_word(s, n, m);
        if (ml == 0)
            continue;
        size_t e = m + ml;
        size_t t = skip_spaces(s, n, e);
        if (t < n && s[t] == '(') {
            e = close_paren(s, n, t);
            if (e == 0)
                continue;
            t = skip_spaces(s, n, e);
        }
        if (t < n && (s[t] == '{' || s[t] == ';' || s[t] == '=')) {
            *len = e - m;
            return (long)m;
        }
    }
    return -1;
}

/* Append one cleaned line, keeping at most one blank line in a row and
 * none at the start.  A blank line leaves b ending in "\n" until the next
 * text line turns that into a paragraph break. */
static void add_doc_line(parse_sb *b, const char *s, size_t n)
{
    while (n > 0 && is_space(s[n - 1]))
        n--;
    if (n == 0) {
        if (b->len > 0 && b->s[b->len - 1] != '\n')
            parse_sb_add(b, "\n", 1);
        return;
    }
    if (b->len > 0)
        parse_sb_add(b, "\n", 1);
    parse_sb_add(b, s, n);
}

void parse_text_add_comment(parse_sb *b, const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && !b->full) {
        size_t e = i;
        while (e < n && s[e] != '\n' && s[e] != '\r')
            e++;
        const char *p = s + i, *end = s + e;
        while (p < end && is_space(*p))
            p++;
        if (end - p >= 2 && p[0] == '/' && p[1] == '*') {
            p += 2;
            while (p < end && (*p == '*' || *p == '!'))
                p++;
        } else if (end - p >= 2 && p[0] == '/' && p[1] == '/') {
            while (p < end && *p == '/')
                p++;
            if (p < end && *p == '!')
                p++;
        } else if (p < end && *p == '#') {
            while (p < end && *p == '#')
                p++;
        } else if (p < end && *p == '*' && !(end - p >= 2 && p[1] == '/')) {
            while (p < end && *p == '*')
                p++;
        }
        while (end > p && is_space(end[-1]))
            end--;
        if (end - p >= 2 && end[-2] == '*' && end[-1] == '/') {
            end -= 2;
            while (end > p && end[-1] == '*')
                end--;
        }
        while (p < end && is_space(*p))
            p++;
        add_doc_line(b, p, (size_t)(end - p));
        i = e;
        if (i < n && s[i] == '\r' && i + 1 < n && s[i + 1] == '\n')
            i++;
        i++;
    }
}

void parse_text_add_docstring(parse_sb *b, const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && s[i] && strchr("rRuUbBfF", s[i]))
        i++;
    if (i < n && (s[i] == '"' || s[i] == '\'')) {
        char q = s[i];
        size_t k = (n - i >= 6 && s[i + 1] == q && s[i + 2] == q) ? 3 : 1;
        i += k;
        if (n - i >= k) {
            size_t j;
            for (j = 0; j < k && s[n - 1 - j] == q; j++)
                ;
            if (j == k)
                n -= k;
        }
    }
    /* The common indentation of the lines after the first (PEP 257). */
    size_t indent = (size_t)-1;
    int first = 1;
    for (size_t p = i; p < n;) {
        size_t e = p;
        while (e < n && s[e] != '\n' && s[e] != '\r')
            e++;
        if (!first) {
            size_t w = p;
            while (w < e && (s[w] == ' ' || s[w] == '\t'))
                w++;
            if (w < e && w - p < indent)
                indent = w - p;
        }
        first = 0;
        p = e + 1;
        if (e + 1 < n && s[e] == '\r' && s[e + 1] == '\n')
            p++;
    }
    first = 1;
    for (size_t p = i; p < n && !b->full;) {
        size_t e = p;
        while (e < n && s[e] != '\n' && s[e] != '\r')
            e++;
        size_t from = p;
        if (first) {
            while (from < e && is_space(s[from]))
                from++;
        } else {
            size_t w = p;
            while (w < e && w - p < indent && (s[w] == ' ' || s[w] == '\t'))
                w++;
            from = w;
        }
        add_doc_line(b, s + from, e - from);
        first = 0;
        p = e + 1;
        if (e + 1 < n && s[e] == '\r' && s[e + 1] == '\n')
            p++;
    }
    parse_sb_rtrim(b);
}
