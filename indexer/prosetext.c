/*
 * prosetext.c — Org, reStructuredText, AsciiDoc and plain text, line by
 * line: what they say about themselves and the links they make.
 */
#include "indexer/prosetext.h"
#include "util/err.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAX_SPANS 64 /* link spans remembered per line, to keep bare URLs out of them */
#define FIELD_LINES 60 /* rst and asciidoc metadata sits near the top */

typedef enum fmt { F_TEXT, F_ORG, F_RST, F_ADOC } fmt;

typedef struct px {
    fmt f;
    const char *rel;
    prose_doc *doc;
    int line;
    int in_src;  /* inside an org #+BEGIN_SRC block */
    int in_word;
    size_t spans[MAX_SPANS][2];
    int nspans;
} px;

static int starts_ci(const char *s, size_t n, const char *p)
{
    size_t k = strlen(p);
    return n >= k && strncasecmp(s, p, k) == 0;
}

static const char *find(const char *s, size_t n, const char *needle)
{
    return memmem(s, n, needle, strlen(needle));
}

static void trim(const char **s, size_t *n)
{
    while (*n && (**s == ' ' || **s == '\t'))
        (*s)++, (*n)--;
    while (*n && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\t'))
        (*n)--;
}

/* A link whose syntax covers line bytes [a, b). */
static int link(px *p, const char *kind, const char *t, size_t tn, const char *x, size_t xn,
                size_t a, size_t b)
{
    if (p->nspans < MAX_SPANS) {
        p->spans[p->nspans][0] = a;
        p->spans[p->nspans][1] = b;
        p->nspans++;
    }
    trim(&t, &tn);
    if (tn == 0)
        return CAIRN_OK;
    size_t before = p->doc->nlinks;
    int rc = prose_add_link(p->doc, p->rel, p->line, kind, t, tn, x, xn);
    /* An org link to "*Heading" names a heading of this document. */
    if (!rc && p->doc->nlinks > before && t[0] == '*') {
        prose_link *l = &p->doc->links[p->doc->nlinks - 1];
        free(l->target_path);
        if (!(l->target_path = strdup(p->rel)))
            rc = err_set(CAIRN_ERR_NOMEM, "out of memory adding a link");
    }
    return rc;
}

static int in_span(const px *p, size_t off)
{
    for (int i = 0; i < p->nspans; i++)
        if (off >= p->spans[i][0] && off < p->spans[i][1])
            return 1;
    return 0;
}

/* Where a bare URL starting at s[0] ends: at a blank or a bracket, without
 * trailing punctuation (a ')' stays when the URL opened one). */
static size_t url_end(const char *s, size_t n)
{
    size_t e = 0;
    int parens = 0;
    while (e < n && s[e] != ' ' && s[e] != '\t' && s[e] != '<' && s[e] != '>' && s[e] != '"' &&
           s[e] != '`' && s[e] != '[' && s[e] != ']') {
        parens += s[e] == '(' ? 1 : s[e] == ')' ? -1 : 0;
        e++;
    }
    while (e > 0 && (strchr(".,;:!?'*_", s[e - 1]) || (s[e - 1] == ')' && parens < 0))) {
        if (s[e - 1] == ')')
            parens++;
        e--;
    }
    return e;
}

static int bare_urls(px *p, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        size_t k = starts_ci(s + i, n - i, "https://") ? 8 : starts_ci(s + i, n - i, "http://") ? 7 : 0;
        if (!k || in_span(p, i) || (i > 0 && ((s[i - 1] >= 'a' && s[i - 1] <= 'z') || (s[i - 1] >= 'A' && s[i - 1] <= 'Z'))))
            continue;
        size_t e = url_end(s + i, n - i);
        if (e <= k)
            continue;
        int rc = prose_add_link(p->doc, p->rel, p->line, "url", s + i, e, NULL, 0);
        if (rc)
            return rc;
        i += e - 1;
    }
    return CAIRN_OK;
}

/* ---- org ------------------------------------------------------------------ */

static int org_line(px *p, const char *s, size_t n, int *words)
{
    const char *t = s;
    size_t tn = n;
    trim(&t, &tn);
    if (starts_ci(t, tn, "#+BEGIN_SRC") || starts_ci(t, tn, "#+BEGIN_EXAMPLE")) {
        p->in_src = 1;
        *words = 0;
        return CAIRN_OK;
    }
    if (starts_ci(t, tn, "#+END_SRC") || starts_ci(t, tn, "#+END_EXAMPLE")) {
        p->in_src = 0;
        *words = 0;
        return CAIRN_OK;
    }
    if (p->in_src) {
        *words = 0;
        return CAIRN_OK;
    }
    if (starts_ci(t, tn, "#+")) {
        *words = 0;
        const char *colon = memchr(t, ':', tn);
        if (!colon)
            return CAIRN_OK;
        const char *v = colon + 1;
        size_t vn = tn - (size_t)(v - t);
        trim(&v, &vn);
        if (starts_ci(t, tn, "#+TITLE:"))
            return prose_set_title(p->doc, v, vn);
        if (starts_ci(t, tn, "#+DATE:"))
            return prose_set_date(p->doc, "#+DATE", v, vn);
        if (starts_ci(t, tn, "#+FILETAGS:")) {
            size_t a = 0;
            for (size_t i = 0; i <= vn; i++) {
                if (i < vn && v[i] != ':' && v[i] != ' ')
                    continue;
                int rc = prose_add_tag(p->doc, v + a, i - a);
                if (rc)
                    return rc;
                a = i + 1;
            }
        }
        return CAIRN_OK;
    }
    for (size_t i = 0; i + 1 < n; i++) {
        if (s[i] != '[' || s[i + 1] != '[')
            continue;
        const char *close = find(s + i + 2, n - i - 2, "]]");
        if (!close)
            break;
        const char *body = s + i + 2;
        size_t bn = (size_t)(close - body);
        const char *mid = find(body, bn, "][");
        size_t end = (size_t)(close - s) + 2;
        int rc = mid ? link(p, "org", body, (size_t)(mid - body), mid + 2, bn - (size_t)(mid - body) - 2, i, end)
                     : link(p, "org", body, bn, NULL, 0, i, end);
        if (rc)
            return rc;
        i = end - 1;
    }
    return CAIRN_OK;
}

/* ---- reStructuredText --------------------------------------------------- */

/* ":name: value" */
static int field(const char *s, size_t n, const char **name, size_t *nn, const char **v, size_t *vn)
{
    if (n < 3 || s[0] != ':')
        return 0;
    const char *c = memchr(s + 1, ':', n - 1);
    if (!c || c == s + 1)
        return 0;
    for (const char *q = s + 1; q < c; q++)
        if (*q == ' ')
            return 0;
    *name = s + 1;
    *nn = (size_t)(c - s - 1);
    *v = c + 1;
    *vn = n - (size_t)(c + 1 - s);
    trim(v, vn);
    return 1;
}

static int meta_field(px *p, const char *name, size_t nn, const char *v, size_t vn)
{
    struct {
        const char *k;
        int what; /* 0 title, 1 date, 2 tags */
    } known[] = {{"title", 0}, {"date", 1}, {"revdate", 1}, {"tags", 2}, {"category", 2},
                 {"categories", 2}, {"keywords", 2}};
    for (size_t i = 0; i < sizeof known / sizeof *known; i++) {
        if (strlen(known[i].k) != nn || strncasecmp(known[i].k, name, nn) != 0)
            continue;
        if (known[i].what == 0)
            return prose_set_title(p->doc, v, vn);
        if (known[i].what == 1) {
            char key[24];
            snprintf(key, sizeof key, ":%s:", known[i].k);
            return prose_set_date(p->doc, key, v, vn);
        }
        return prose_add_tag_list(p->doc, v, vn);
    }
    return CAIRN_OK;
}

static int rst_line(px *p, const char *s, size_t n, int *words)
{
    const char *name, *v;
    size_t nn, vn;
    if (p->line <= FIELD_LINES && field(s, n, &name, &nn, &v, &vn)) {
        *words = 0;
        return meta_field(p, name, nn, v, vn);
    }
    if (n > 4 && memcmp(s, ".. _", 4) == 0) {
        const char *c = memchr(s + 4, ':', n - 4);
        if (c) {
            *words = 0;
            return link(p, "rst", c + 1, n - (size_t)(c + 1 - s), NULL, 0, 0, n);
        }
    }
    /* `text <target>`_ and anonymous `text <target>`__ */
    for (size_t i = 0; i < n; i++) {
        const char *e = find(s + i, n - i, ">`_");
        if (!e)
            break;
        size_t ge = (size_t)(e - s);
        const char *lt = NULL, *tick = NULL;
        for (size_t k = ge; k > i; k--) {
            if (!lt && s[k - 1] == '<')
                lt = s + k - 1;
            else if (lt && s[k - 1] == '`') {
                tick = s + k - 1;
                break;
            }
        }
        size_t end = ge + 3 + (ge + 3 < n && s[ge + 3] == '_');
        if (lt && tick) {
            int rc = link(p, "rst", lt + 1, (size_t)(e - lt - 1), tick + 1, (size_t)(lt - tick - 1),
                          (size_t)(tick - s), end);
            if (rc)
                return rc;
        }
        i = end - 1;
    }
    return CAIRN_OK;
}

/* ---- AsciiDoc ------------------------------------------------------------- */

static int adoc_line(px *p, const char *s, size_t n, int *words)
{
    const char *name, *v;
    size_t nn, vn;
    if (p->line <= FIELD_LINES && field(s, n, &name, &nn, &v, &vn)) {
        *words = 0;
        return meta_field(p, name, nn, v, vn);
    }
    if (!p->doc->title && n > 2 && s[0] == '=' && s[1] == ' ')
        return prose_set_title(p->doc, s + 2, n - 2);
    static const char *const macros[] = {"link:", "xref:", "https://", "http://"};
    for (size_t i = 0; i < n; i++) {
        size_t k = 0, m;
        for (m = 0; m < sizeof macros / sizeof *macros && !k; m++)
            if (starts_ci(s + i, n - i, macros[m]) && (i == 0 || s[i - 1] == ' ' || s[i - 1] == '('))
                k = strlen(macros[m]);
        if (!k)
            continue;
        size_t j = i + k;
        while (j < n && s[j] != '[' && s[j] != ' ')
            j++;
        const char *close = j < n && s[j] == '[' ? memchr(s + j, ']', n - j) : NULL;
        if (!close)
            continue;
        size_t ts = k == 5 ? i + 5 : i; /* link: and xref: are not part of the target */
        int rc = link(p, "asciidoc", s + ts, j - ts, s + j + 1, (size_t)(close - s) - j - 1, i,
                      (size_t)(close - s) + 1);
        if (rc)
            return rc;
        i = (size_t)(close - s);
    }
    return CAIRN_OK;
}

int prosetext_scan(const char *lang, const char *text, size_t len, const char *src_rel,
                   prose_doc *doc)
{
    px p = {.rel = src_rel, .doc = doc};
    p.f = strcmp(lang, "org") == 0 ? F_ORG : strcmp(lang, "rst") == 0 ? F_RST
                                         : strcmp(lang, "asciidoc") == 0 ? F_ADOC : F_TEXT;
    int rc = CAIRN_OK;
    size_t i = 0;
    while (i < len && !rc) {
        size_t e = i;
        while (e < len && text[e] != '\n' && text[e] != '\r')
            e++;
        p.line++;
        p.nspans = 0;
        int words = 1;
        const char *s = text + i;
        size_t n = e - i;
        if (p.f == F_ORG)
            rc = org_line(&p, s, n, &words);
        else if (p.f == F_RST)
            rc = rst_line(&p, s, n, &words);
        else if (p.f == F_ADOC)
            rc = adoc_line(&p, s, n, &words);
        if (!rc && !p.in_src)
            rc = bare_urls(&p, s, n);
        if (words) {
            p.in_word = 0;
            prose_count_words(doc, s, n, &p.in_word);
        }
        i = e;
        if (i < len && text[i] == '\r')
            i++;
        if (i < len && text[i] == '\n' && (i == e || text[e] == '\r'))
            i++;
    }
    return rc;
}
