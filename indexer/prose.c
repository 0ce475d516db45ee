/*
 * prose.c — reading one prose document: the reader for its language, the
 * chunks, and the helpers the readers share (dates, tags, links, words).
 */
#include "indexer/prose.h"
#include "indexer/frontmatter.h"
#include "indexer/html.h"
#include "indexer/markdown.h"
#include "indexer/prosetext.h"
#include "util/buf.h"
#include "util/err.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <utf8proc.h>

/* ---- the document ------------------------------------------------------- */

void prose_doc_init(prose_doc *d) { memset(d, 0, sizeof *d); }

void prose_doc_release(prose_doc *d)
{
    if (!d)
        return;
    free(d->title);
    free(d->date);
    for (size_t i = 0; i < d->ntags; i++)
        free(d->tags[i]);
    free(d->tags);
    free(d->url);
    for (size_t i = 0; i < d->nlinks; i++) {
        free(d->links[i].target);
        free(d->links[i].target_path);
        free(d->links[i].text);
    }
    free(d->links);
    for (size_t i = 0; i < d->nwarnings; i++)
        free(d->warnings[i]);
    free(d->warnings);
    free(d->body);
    prose_doc_init(d);
}

static int is_space(unsigned char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

/* s[0, n) with runs of whitespace collapsed to one space, trimmed, and cut
 * to at most max bytes at a character boundary; NULL when blank (or out
 * of memory: *nomem is then set). */
static char *collapse(const char *s, size_t n, size_t max, int *nomem)
{
    *nomem = 0;
    char *out = malloc((n < max ? n : max) + 1);
    if (!out) {
        *nomem = 1;
        return NULL;
    }
    size_t w = 0;
    int space = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (is_space(c)) {
            space = w > 0;
            continue;
        }
        size_t need = space ? 2 : 1;
        if (w + need > max)
            break;
        if (space)
            out[w++] = ' ';
        space = 0;
        out[w++] = (char)c;
    }
    /* Never end inside a UTF-8 sequence. */
    size_t k = w;
    while (k > 0 && ((unsigned char)out[k - 1] & 0xC0) == 0x80)
        k--;
    if (k > 0) {
        unsigned char lead = (unsigned char)out[k - 1];
        size_t want = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
        if (w - (k - 1) < want)
            w = k - 1;
    }
    out[w] = '\0';
    if (w == 0) {
        free(out);
        return NULL;
    }
    return out;
}

int prose_set_title(prose_doc *d, const char *s, size_t n)
{
    if (d->title)
        return CAIRN_OK;
    int nomem;
    d->title = collapse(s, n, PROSE_MAX_TITLE, &nomem);
    return nomem ? err_set(CAIRN_ERR_NOMEM, "out of memory copying a title") : CAIRN_OK;
}

int prose_set_url(prose_doc *d, const char *s, size_t n)
{
    if (d->url)
        return CAIRN_OK;
    int nomem;
    d->url = collapse(s, n, PROSE_MAX_TARGET, &nomem);
    return nomem ? err_set(CAIRN_ERR_NOMEM, "out of memory copying a URL") : CAIRN_OK;
}

int prose_set_date(prose_doc *d, const char *key, const char *s, size_t n)
{
    if (d->date)
        return CAIRN_OK;
    char norm[PROSE_DATE_MAX];
    if (!prose_date_normalize(s, n, norm, sizeof norm)) {
        int nomem;
        char *shown = collapse(s, n, 60, &nomem);
        int rc = prose_warn(d, "%s '%s' is not a date; using the file's history instead", key,
                            shown ? shown : "");
        free(shown);
        return nomem ? err_set(CAIRN_ERR_NOMEM, "out of memory reading a date") : rc;
    }
    d->date = strdup(norm);
    return d->date ? CAIRN_OK : err_set(CAIRN_ERR_NOMEM, "out of memory copying a date");
}

int prose_tag_fold(const char *s, size_t n, char **out)
{
    *out = NULL;
    while (n && (is_space((unsigned char)*s) || *s == '#')) {
        s++;
        n--;
    }
    int nomem;
    char *raw = collapse(s, n, PROSE_MAX_TAG, &nomem);
    if (!raw)
        return nomem ? err_set(CAIRN_ERR_NOMEM, "out of memory copying a tag") : CAIRN_OK;
    utf8proc_uint8_t *folded = NULL;
    utf8proc_ssize_t fl = utf8proc_map((const utf8proc_uint8_t *)raw, 0, &folded,
                                       UTF8PROC_NULLTERM | UTF8PROC_STABLE | UTF8PROC_COMPOSE |
                                           UTF8PROC_CASEFOLD);
    if (fl >= 0) {
        free(raw);
        *out = (char *)folded;
        return CAIRN_OK;
    }
    if (fl == UTF8PROC_ERROR_NOMEM) {
        free(raw);
        return err_set(CAIRN_ERR_NOMEM, "out of memory folding a tag");
    }
    for (char *p = raw; *p; p++) /* not UTF-8 after all: fold ASCII only */
        if (*p >= 'A' && *p <= 'Z')
            *p = (char)(*p - 'A' + 'a');
    *out = raw;
    return CAIRN_OK;
}

int prose_add_tag(prose_doc *d, const char *s, size_t n)
{
    if (d->ntags >= PROSE_MAX_TAGS)
        return CAIRN_OK;
    char *tag;
    int rc = prose_tag_fold(s, n, &tag);
    if (rc || !tag)
        return rc;
    for (size_t i = 0; i < d->ntags; i++) {
        if (strcmp(d->tags[i], tag) == 0) {
            free(tag);
            return CAIRN_OK;
        }
    }
    char **p = realloc(d->tags, (d->ntags + 1) * sizeof *p);
    if (!p) {
        free(tag);
        return err_set(CAIRN_ERR_NOMEM, "out of memory adding a tag");
    }
    d->tags = p;
    d->tags[d->ntags++] = tag;
    return CAIRN_OK;
}

int prose_add_tag_list(prose_doc *d, const char *s, size_t n)
{
    char sep = memchr(s, ',', n) ? ',' : ' ';
    size_t a = 0;
    for (size_t i = 0; i <= n; i++) {
        int cut = i == n || s[i] == sep || (sep == ' ' && is_space((unsigned char)s[i]));
        if (!cut)
            continue;
        int rc = prose_add_tag(d, s + a, i - a);
        if (rc)
            return rc;
        a = i + 1;
    }
    return CAIRN_OK;
}

int prose_warn(prose_doc *d, const char *fmt, ...)
{
    if (d->nwarnings > PROSE_MAX_WARNINGS)
        return CAIRN_OK;
    char msg[512];
    if (d->nwarnings == PROSE_MAX_WARNINGS) {
        snprintf(msg, sizeof msg, "more problems not listed");
    } else {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(msg, sizeof msg, fmt, ap);
        va_end(ap);
    }
    char **p = realloc(d->warnings, (d->nwarnings + 1) * sizeof *p);
    if (!p)
        return err_set(CAIRN_ERR_NOMEM, "out of memory recording a warning");
    d->warnings = p;
    if (!(d->warnings[d->nwarnings] = strdup(msg)))
        return err_set(CAIRN_ERR_NOMEM, "out of memory recording a warning");
    d->nwarnings++;
    return CAIRN_OK;
}

/* Letters, digits and combining marks make words; an apostrophe inside
 * one ("don't") does not end it. */
void prose_count_words(prose_doc *d, const char *s, size_t n, int *in_word)
{
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
    size_t i = 0;
    while (i < n) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t k = utf8proc_iterate(p + i, (utf8proc_ssize_t)(n - i), &cp);
        if (k <= 0) {
            *in_word = 0;
            i++;
            continue;
        }
        int word;
        if (cp < 0x80) {
            word = (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9') ||
                   cp == '_' || (cp == '\'' && *in_word);
        } else {
            utf8proc_category_t c = utf8proc_category(cp);
            word = (c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_NO) ||
                   (cp == 0x2019 && *in_word);
        }
        if (word && !*in_word)
            d->words++;
        *in_word = word;
        i += (size_t)k;
    }
}

/* ---- lines -------------------------------------------------------------- */

int prose_lines_build(prose_lines *L, const char *text, size_t len)
{
    L->text = text;
    L->len = len;
    L->n = 1;
    for (size_t i = 0; i < len; i++)
        if ((text[i] == '\n' || (text[i] == '\r' && (i + 1 == len || text[i + 1] != '\n'))) &&
            i + 1 < len)
            L->n++;
    L->start = malloc(L->n * sizeof *L->start);
    if (!L->start)
        return err_set(CAIRN_ERR_NOMEM, "out of memory indexing the lines of a document");
    size_t k = 0;
    L->start[k++] = 0;
    for (size_t i = 0; i + 1 < len; i++)
        if (text[i] == '\n' || (text[i] == '\r' && text[i + 1] != '\n'))
            L->start[k++] = i + 1;
    return CAIRN_OK;
}

void prose_lines_release(prose_lines *L)
{
    free(L->start);
    L->start = NULL;
    L->n = 0;
}

int prose_line_at(const prose_lines *L, size_t off)
{
    size_t lo = 0, hi = L->n;
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (L->start[mid] <= off)
            lo = mid;
        else
            hi = mid;
    }
    return (int)lo + 1;
}

/* ---- dates -------------------------------------------------------------- */

/* Read exactly `digits` digits (or 1..digits when `digits` is negative)
 * at s[*i]. */
static int read_num(const char *s, size_t n, size_t *i, int digits, int *out)
{
    int max = digits < 0 ? -digits : digits, v = 0, k = 0;
    while (*i < n && k < max && s[*i] >= '0' && s[*i] <= '9') {
        v = v * 10 + (s[*i] - '0');
        (*i)++;
        k++;
    }
    if (k == 0 || (digits > 0 && k != digits))
        return 0;
    *out = v;
    return 1;
}

static int is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

int prose_date_normalize(const char *s, size_t n, char *out, size_t outsz)
{
    while (n && (is_space((unsigned char)*s) || *s == '"' || *s == '\'' || *s == '<' || *s == '[')) {
        s++;
        n--;
    }
    while (n && (is_space((unsigned char)s[n - 1]) || s[n - 1] == '"' || s[n - 1] == '\'' ||
                 s[n - 1] == '>' || s[n - 1] == ']'))
        n--;
    size_t i = 0;
    int y, mo = 0, d = 0, h = -1, mi = 0, sec = -1;
    if (outsz < PROSE_DATE_MAX || !read_num(s, n, &i, 4, &y) || y < 1000)
        return 0;
    char sep = i < n ? s[i] : 0;
    if (sep == '-' || sep == '/' || sep == '.') {
        i++;
        if (!read_num(s, n, &i, -2, &mo) || mo < 1 || mo > 12)
            return 0;
        if (i < n && s[i] == sep) {
            i++;
            if (!read_num(s, n, &i, -2, &d) || d < 1 || d > 31)
                return 0;
        }
    }
    /* An org stamp names the weekday: "<2021-03-04 Thu 10:00>". */
    size_t j = i;
    while (j < n && s[j] == ' ')
        j++;
    if (d && j > i && j < n && is_alpha(s[j])) {
        size_t w = j;
        while (j < n && is_alpha(s[j]))
            j++;
        if (j - w > 4)
            return 0; /* a weekday is abbreviated; anything longer is prose */
        i = j;
    }
    if (d && i < n && (s[i] == 'T' || s[i] == 't' || s[i] == ' ')) {
        size_t k = i + 1;
        while (k < n && s[k] == ' ')
            k++;
        if (k < n && s[k] >= '0' && s[k] <= '9') {
            i = k;
            if (!read_num(s, n, &i, -2, &h) || h > 23 || i >= n || s[i] != ':')
                return 0;
            i++;
            if (!read_num(s, n, &i, 2, &mi) || mi > 59)
                return 0;
            if (i < n && s[i] == ':') {
                i++;
                if (!read_num(s, n, &i, 2, &sec) || sec > 60)
                    return 0;
                if (i < n && (s[i] == '.' || s[i] == ',')) {
                    i++;
                    while (i < n && s[i] >= '0' && s[i] <= '9')
                        i++;
                }
            }
        }
    }
    char zone[12] = "";
    while (h >= 0 && i < n && s[i] == ' ')
        i++;
    if (h >= 0 && i < n) {
        int zh, zm = 0;
        if (s[i] == 'Z' || s[i] == 'z') {
            strcpy(zone, "Z");
            i++;
        } else if (n - i >= 3 && (strncmp(s + i, "UTC", 3) == 0 || strncmp(s + i, "GMT", 3) == 0)) {
            strcpy(zone, "Z");
            i += 3;
        } else if (s[i] == '+' || s[i] == '-') {
            char sign = s[i++];
            if (!read_num(s, n, &i, 2, &zh) || zh > 14)
                return 0;
            if (i < n && s[i] == ':')
                i++;
            if (i < n && s[i] >= '0' && s[i] <= '9' && (!read_num(s, n, &i, 2, &zm) || zm > 59))
                return 0;
            snprintf(zone, sizeof zone, "%c%02d:%02d", sign, zh % 100, zm % 100);
        }
    }
    if (i != n)
        return 0;
    if (h >= 0 && sec >= 0)
        snprintf(out, outsz, "%04d-%02d-%02dT%02d:%02d:%02d%s", y, mo, d, h, mi, sec, zone);
    else if (h >= 0)
        snprintf(out, outsz, "%04d-%02d-%02dT%02d:%02d%s", y, mo, d, h, mi, zone);
    else if (d)
        snprintf(out, outsz, "%04d-%02d-%02d", y, mo, d);
    else if (mo)
        snprintf(out, outsz, "%04d-%02d", y, mo);
    else
        snprintf(out, outsz, "%04d", y);
    return 1;
}

void prose_date_from_unix(int64_t t, char out[PROSE_DATE_MAX])
{
    time_t tt = (time_t)t;
    struct tm tm;
    if (!gmtime_r(&tt, &tm) || strftime(out, PROSE_DATE_MAX, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
        strcpy(out, "1970-01-01T00:00:00Z");
}

/* ---- links -------------------------------------------------------------- */

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* "scheme:" at the start (two letters at least, so "C:\x" is a path). */
static size_t scheme_len(const char *t, size_t n)
{
    size_t i = 0;
    while (i < n && (is_alpha(t[i]) || (i > 0 && ((t[i] >= '0' && t[i] <= '9') || t[i] == '+' ||
                                                   t[i] == '.' || t[i] == '-'))))
        i++;
    return i >= 2 && i < n && t[i] == ':' ? i + 1 : 0;
}

/* Append the segments of p[0, n) to the path in b (which holds
 * '/'-separated segments without a leading '/'), applying "." and "..".
 * Returns 0 when ".." climbs out of the root. */
static int push_segments(buf *b, const char *p, size_t n, int *nomem)
{
    size_t a = 0;
    for (size_t i = 0; i <= n; i++) {
        if (i < n && p[i] != '/')
            continue;
        size_t len = i - a;
        const char *seg = p + a;
        a = i + 1;
        if (len == 0 || (len == 1 && seg[0] == '.'))
            continue;
        if (len == 2 && seg[0] == '.' && seg[1] == '.') {
            if (b->len == 0)
                return 0;
            char *slash = memrchr(b->data, '/', b->len);
            b->len = slash ? (size_t)(slash - b->data) : 0;
            b->data[b->len] = '\0';
            continue;
        }
        if ((b->len && buf_putc(b, '/')) || buf_append(b, seg, len)) {
            *nomem = 1;
            return 0;
        }
    }
    return 1;
}

int prose_target_path(const char *src_rel, const char *kind, const char *target, size_t tn,
                      char **out)
{
    *out = NULL;
    while (tn && is_space((unsigned char)*target)) {
        target++;
        tn--;
    }
    while (tn && is_space((unsigned char)target[tn - 1]))
        tn--;
    if (tn >= 2 && target[0] == '<' && target[tn - 1] == '>') {
        target++;
        tn -= 2;
    }
    int wiki = strcmp(kind, "wiki") == 0;
    size_t sl = scheme_len(target, tn);
    if (sl == 5 && strncmp(target, "file:", 5) == 0) {
        target += 5;
        tn -= 5;
    } else if (sl && !wiki) {
        return CAIRN_OK;
    }
    if (tn >= 2 && target[0] == '/' && target[1] == '/')
        return CAIRN_OK; /* //host/path: another site */
    size_t end = 0;
    while (end < tn && target[end] != '#' && (wiki || target[end] != '?'))
        end++;
    if (end == 0 && tn > 0 && target[0] == '#' && !wiki) {
        *out = strdup(src_rel); /* an anchor in this same document */
        return *out ? CAIRN_OK : err_set(CAIRN_ERR_NOMEM, "out of memory resolving a link");
    }
    /* Percent-escapes are decoded, unless they would put a NUL or a
     * control character in the path. */
    char *dec = malloc(end + 1);
    if (!dec)
        return err_set(CAIRN_ERR_NOMEM, "out of memory resolving a link");
    size_t dn = 0;
    for (size_t i = 0; i < end; i++) {
        int hi, lo;
        if (target[i] == '%' && i + 2 < end && (hi = hexval(target[i + 1])) >= 0 &&
            (lo = hexval(target[i + 2])) >= 0 && hi * 16 + lo >= 0x20) {
            dec[dn++] = (char)(hi * 16 + lo);
            i += 2;
        } else {
            dec[dn++] = target[i];
        }
    }
    buf b;
    buf_init(&b, PROSE_MAX_TARGET + strlen(src_rel) + 2);
    int nomem = 0, inside = 1;
    if (!wiki && dn && dec[0] != '/') {
        const char *slash = strrchr(src_rel, '/');
        if (slash)
            inside = push_segments(&b, src_rel, (size_t)(slash - src_rel), &nomem);
    }
    if (inside)
        inside = push_segments(&b, dec, dn, &nomem);
    free(dec);
    int rc = CAIRN_OK;
    if (nomem)
        rc = err_set(CAIRN_ERR_NOMEM, "out of memory resolving a link");
    else if (inside && b.len)
        *out = buf_detach(&b);
    buf_release(&b);
    return rc;
}

int prose_add_link(prose_doc *d, const char *src_rel, int line, const char *kind,
                   const char *target, size_t tn, const char *text, size_t xn)
{
    if (d->nlinks >= PROSE_MAX_LINKS)
        return CAIRN_OK;
    int nomem;
    char *t = collapse(target, tn, PROSE_MAX_TARGET, &nomem);
    if (!t)
        return nomem ? err_set(CAIRN_ERR_NOMEM, "out of memory copying a link") : CAIRN_OK;
    if (d->nlinks == d->caplinks) {
        size_t cap = d->caplinks ? d->caplinks * 2 : 16;
        prose_link *p = realloc(d->links, cap * sizeof *p);
        if (!p) {
            free(t);
            return err_set(CAIRN_ERR_NOMEM, "out of memory adding a link");
        }
        d->links = p;
        d->caplinks = cap;
    }
    prose_link *l = &d->links[d->nlinks];
    memset(l, 0, sizeof *l);
    l->line = line;
    l->kind = kind;
    l->target = t;
    d->nlinks++;
    int rc = prose_target_path(src_rel, kind, t, strlen(t), &l->target_path);
    if (!rc && text && xn) {
        l->text = collapse(text, xn, PROSE_MAX_LINK_TEXT, &nomem);
        if (nomem)
            rc = err_set(CAIRN_ERR_NOMEM, "out of memory copying a link text");
    }
    return rc;
}

/* ---- chunks ------------------------------------------------------------- */

/* Put the title in front of every chunk's heading path, keeping the path
 * under CHUNK_CONTEXT_MAX by dropping its deepest headings. */
static int prefix_title(const char *title, chunk_list *cl)
{
    size_t tl = strlen(title);
    for (size_t i = 0; i < cl->n; i++) {
        chunk *c = &cl->items[i];
        size_t cl_len = c->context ? strlen(c->context) : 0;
        if (c->context && strncmp(c->context, title, tl) == 0 &&
            (c->context[tl] == '\0' || strncmp(c->context + tl, " > ", 3) == 0))
            continue; /* the title is the path's first heading already */
        while (cl_len && tl + 3 + cl_len >= CHUNK_CONTEXT_MAX) {
            char *cut = NULL;
            for (char *p = strstr(c->context, " > "); p && (size_t)(p - c->context) < cl_len;
                 p = strstr(p + 3, " > "))
                cut = p;
            cl_len = cut ? (size_t)(cut - c->context) : 0;
        }
        char *ctx = malloc(tl + 3 + cl_len + 1);
        if (!ctx)
            return err_set(CAIRN_ERR_NOMEM, "out of memory building a heading path");
        memcpy(ctx, title, tl);
        if (cl_len) {
            memcpy(ctx + tl, " > ", 3);
            memcpy(ctx + tl + 3, c->context, cl_len);
        }
        ctx[tl + (cl_len ? 3 + cl_len : 0)] = '\0';
        free(c->context);
        c->context = ctx;
    }
    return CAIRN_OK;
}

/* A document that is only front matter is still found by what its front
 * matter says: one chunk covers it. */
static int front_matter_chunk(chunk_list *cl, size_t end, int last_line)
{
    if (cl->n == cl->cap) {
        size_t cap = cl->cap ? cl->cap * 2 : 4;
        chunk *p = realloc(cl->items, cap * sizeof *p);
        if (!p)
            return err_set(CAIRN_ERR_NOMEM, "out of memory adding a chunk");
        cl->items = p;
        cl->cap = cap;
    }
    cl->items[cl->n++] = (chunk){.start_line = 1, .end_line = last_line, .start_byte = 0,
                                 .end_byte = end};
    return CAIRN_OK;
}

/* The first heading of the chunk contexts, for formats whose headings
 * only chunk_prose recognizes (rst, org). */
static int title_from_chunks(prose_doc *d, const chunk_list *cl)
{
    for (size_t i = 0; i < cl->n && !d->title; i++) {
        const char *c = cl->items[i].context;
        if (!c)
            continue;
        const char *gt = strstr(c, " > ");
        return prose_set_title(d, c, gt ? (size_t)(gt - c) : strlen(c));
    }
    return CAIRN_OK;
}

static int title_from_name(prose_doc *d, const char *rel)
{
    const char *base = strrchr(rel, '/');
    base = base ? base + 1 : rel;
    const char *dot = strrchr(base, '.');
    size_t n = dot && dot > base ? (size_t)(dot - base) : strlen(base);
    return prose_set_title(d, base, n);
}

static int only_blank(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!is_space((unsigned char)s[i]))
            return 0;
    return 1;
}

int prose_parse(const char *rel_path, const char *lang, const char *text, size_t len,
                const chunk_opts *o, prose_doc *doc, chunk_list *chunks)
{
    int rc, prefix = 0;
    const char *name = lang ? lang : "text";
    if (strcmp(name, "markdown") == 0) {
        fm_result fm;
        if ((rc = fm_parse(text, len, doc, &fm)))
            return rc;
        prefix = doc->title != NULL;
        if ((rc = markdown_scan(text, len, fm.body_start, rel_path, doc)) ||
            (rc = chunk_prose(text, len, "markdown", o, chunks)))
            return rc;
        if (fm.format != FM_NONE && chunks->n == 0 &&
            (rc = front_matter_chunk(chunks, fm.body_start, fm.body_line - 1)))
            return rc;
        if (fm.format != FM_NONE && only_blank(text + fm.body_start, len - fm.body_start) &&
            (rc = prose_warn(doc, "has only front matter, no text")))
            return rc;
    } else if (strcmp(name, "html") == 0) {
        buf body;
        buf_init(&body, 2 * len + 4096);
        int from_title_tag = 0;
        rc = html_extract(text, len, rel_path, doc, &body, &from_title_tag);
        doc->body_len = body.len;
        if (!rc && !(doc->body = buf_detach(&body)))
            rc = err_set(CAIRN_ERR_NOMEM, "out of memory extracting HTML text");
        buf_release(&body);
        if (rc || (rc = chunk_prose(doc->body, doc->body_len, "markdown", o, chunks)))
            return rc;
        prefix = from_title_tag;
    } else {
        if ((rc = prosetext_scan(name, text, len, rel_path, doc)) ||
            (rc = chunk_prose(text, len, name, o, chunks)))
            return rc;
        prefix = doc->title != NULL;
        if ((rc = title_from_chunks(doc, chunks)))
            return rc;
    }
    if (!doc->title && (rc = title_from_name(doc, rel_path)))
        return rc;
    if (prefix && doc->title && (rc = prefix_title(doc->title, chunks)))
        return rc;
    if (chunks->n == 0)
        return prose_warn(doc, len == 0 ? "is empty" : "has no text to index");
    return CAIRN_OK;
}
