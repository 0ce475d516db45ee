/*
 * html.c — a tolerant HTML scanner: text with the page's line numbers,
 * title, dates, tags, canonical URL and links.
 */
#include "indexer/html.h"
#include "util/err.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define TAG_NAME_MAX 16
#define CAPTURE_MAX 4096
#define ZWSP "\xE2\x80\x8B"

typedef struct hx {
    const char *t;
    size_t n, i;
    const char *rel;
    prose_doc *doc;
    buf *out;
    size_t line_start;   /* where the current line starts in out */
    int line_has_text;   /* something other than blanks is on it */
    int gap;             /* a block boundary since the last text: words need a space */
    int pending_heading; /* level of a heading whose text has not started */
    int line;            /* source line at i */
    size_t no_gt_from;   /* no '>' exists at or after this offset (SIZE_MAX: unknown) */
    buf title, h1, hfirst, link_text;
    int in_title, title_seen, heading; /* heading: level being captured, or 0 */
    char *href;                        /* the open <a>'s target, or NULL */
    int href_line;
    char *date, *url;
    int date_rank, url_rank;
    char date_key[40];
    int warned_tag, warned_comment, warned_raw, warned_lt, warned_quote;
} hx;

static int lower(int c) { return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c; }
static int is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
static int is_alnum(char c) { return is_alpha(c) || (c >= '0' && c <= '9'); }
static int is_ws(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }

/* Ignore TOOBIG from a capture: it just stops growing. */
static int capture(buf *b, const char *s, size_t n)
{
    int rc = buf_append(b, s, n);
    return rc == CAIRN_ERR_TOOBIG ? CAIRN_OK : rc;
}

/* ---- character references ------------------------------------------------ */

static size_t put_utf8(uint32_t cp, char *u)
{
    if (cp < 0x80) {
        u[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        u[0] = (char)(0xC0 | (cp >> 6));
        u[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        u[0] = (char)(0xE0 | (cp >> 12));
        u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        u[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    u[0] = (char)(0xF0 | (cp >> 18));
    u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    u[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

static const struct {
    const char *name;
    uint32_t cp;
} entities[] = {
    {"amp", '&'},      {"lt", '<'},        {"gt", '>'},        {"quot", '"'},
    {"apos", '\''},    {"nbsp", ' '},      {"mdash", 0x2014},  {"ndash", 0x2013},
    {"hellip", 0x2026}, {"lsquo", 0x2018}, {"rsquo", 0x2019},  {"ldquo", 0x201C},
    {"rdquo", 0x201D}, {"laquo", 0xAB},    {"raquo", 0xBB},    {"copy", 0xA9},
    {"reg", 0xAE},     {"trade", 0x2122},  {"middot", 0xB7},   {"bull", 0x2022},
    {"deg", 0xB0},     {"times", 0xD7},    {"eacute", 0xE9},   {"egrave", 0xE8},
    {"agrave", 0xE0},  {"uuml", 0xFC},     {"ouml", 0xF6},     {"auml", 0xE4},
    {"szlig", 0xDF},   {"ccedil", 0xE7},   {"euro", 0x20AC},   {"pound", 0xA3},
    {"rarr", 0x2192},  {"larr", 0x2190},   {"shy", 0xAD},      {"zwj", 0x200D},
};

/* Line breaks and control characters become spaces so that the text
 * keeps the page's lines. */
size_t html_entity(const char *s, size_t n, char *u, size_t *un)
{
    size_t i = 1;
    uint32_t cp = 0;
    if (i < n && s[i] == '#') {
        int hex = i + 1 < n && (s[i + 1] == 'x' || s[i + 1] == 'X');
        i += hex ? 2 : 1;
        size_t d = 0;
        for (; i < n && d < 8; i++, d++) {
            char c = s[i];
            int v = c >= '0' && c <= '9' ? c - '0'
                    : hex && lower(c) >= 'a' && lower(c) <= 'f' ? lower(c) - 'a' + 10 : -1;
            if (v < 0)
                break;
            cp = cp * (hex ? 16 : 10) + (uint32_t)v;
        }
        if (d == 0)
            return 0;
        if (i < n && s[i] == ';')
            i++;
        if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            cp = 0xFFFD;
    } else {
        size_t a = i;
        while (i < n && i - a < 10 && is_alnum(s[i]))
            i++;
        if (i >= n || s[i] != ';' || i == a)
            return 0;
        size_t k = 0, nk = sizeof entities / sizeof *entities;
        while (k < nk && !(strlen(entities[k].name) == i - a && memcmp(entities[k].name, s + a, i - a) == 0))
            k++;
        if (k == nk)
            return 0;
        cp = entities[k].cp;
        i++;
    }
    if (cp < 0x20 || cp == 0x7F)
        cp = ' ';
    *un = put_utf8(cp, u);
    return i;
}

/* s[0, n) with character references decoded, into a malloc'd string. */
static char *decode_attr(const char *s, size_t n)
{
    char *out = malloc(n * 2 + 1);
    if (!out)
        return NULL;
    size_t w = 0;
    for (size_t i = 0; i < n;) {
        size_t un, k;
        if (s[i] == '&' && (k = html_entity(s + i, n - i, out + w, &un)) > 0) {
            w += un;
            i += k;
        } else {
            out[w++] = s[i++];
        }
    }
    out[w] = '\0';
    return out;
}

/* ---- tags ---------------------------------------------------------------- */

/* The value of attribute `name` in the attributes text a[0, n), raw (not
 * decoded).  Returns 1 when present. */
static int attr(const char *a, size_t n, const char *name, const char **v, size_t *vn)
{
    size_t want = strlen(name), i = 0;
    while (i < n) {
        while (i < n && (is_ws(a[i]) || a[i] == '/'))
            i++;
        size_t ks = i;
        while (i < n && !is_ws(a[i]) && a[i] != '=' && a[i] != '>' && a[i] != '/')
            i++;
        size_t kn = i - ks;
        while (i < n && is_ws(a[i]))
            i++;
        const char *val = a + i;
        size_t len = 0;
        if (i < n && a[i] == '=') {
            i++;
            while (i < n && is_ws(a[i]))
                i++;
            if (i < n && (a[i] == '"' || a[i] == '\'')) {
                char q = a[i++];
                val = a + i;
                while (i < n && a[i] != q)
                    i++;
                len = (size_t)(a + i - val);
                if (i < n)
                    i++;
            } else {
                val = a + i;
                while (i < n && !is_ws(a[i]) && a[i] != '>')
                    i++;
                len = (size_t)(a + i - val);
            }
        }
        if (kn == want && strncasecmp(a + ks, name, want) == 0) {
            *v = val;
            *vn = len;
            return 1;
        }
        if (kn == 0 && i < n && a[i] != '=')
            i++; /* a stray character: step over it */
    }
    return 0;
}

/* Where the tag starting at s (t[s] == '<') ends, into *end: its '>',
 * or a '<' that starts the next tag before any '>' (browsers read
 * "<div <p>" as two tags' worth of mess; the text after them matters
 * more), or n when nothing ends it.  Quotes hide '>' unless one is never
 * closed.  Both recoveries are warned about once per page. */
static int tag_end(hx *x, size_t s, size_t *end)
{
    *end = x->n;
    if (s >= x->no_gt_from)
        return CAIRN_OK;
    char q = 0;
    for (size_t i = s + 1; i < x->n; i++) {
        char c = x->t[i];
        if (q) {
            if (c == q)
                q = 0;
        } else if (c == '"' || c == '\'') {
            /* Only a quote that opens an attribute value counts. */
            size_t k = i;
            while (k > s && is_ws(x->t[k - 1]))
                k--;
            if (k > s && x->t[k - 1] == '=')
                q = c;
        } else if (c == '>') {
            *end = i;
            return CAIRN_OK;
        } else if (c == '<' && i + 1 < x->n && (is_alpha(x->t[i + 1]) || x->t[i + 1] == '/')) {
            *end = i;
            return x->warned_lt++ ? CAIRN_OK
                                  : prose_warn(x->doc, "broken HTML: a tag on line %d is not "
                                                       "closed before the next one", x->line);
        }
    }
    const char *gt = memchr(x->t + s, '>', x->n - s);
    if (!gt) {
        x->no_gt_from = s;
        return CAIRN_OK;
    }
    *end = (size_t)(gt - x->t);
    return x->warned_quote++ ? CAIRN_OK
                             : prose_warn(x->doc, "broken HTML: a quoted attribute on line %d "
                                                  "is never closed", x->line);
}

/* ---- output -------------------------------------------------------------- */

static int out_break(hx *x)
{
    int rc = buf_putc(x->out, '\n');
    x->line_start = x->out->len;
    x->line_has_text = 0;
    x->gap = 0;
    x->line++;
    if (!rc && x->href)
        rc = capture(&x->link_text, " ", 1);
    return rc;
}

/* Skip t[x->i, end), keeping its line breaks. */
static int skip_to(hx *x, size_t end)
{
    int rc = CAIRN_OK;
    for (size_t k = x->i; k < end && !rc; k++)
        if (x->t[k] == '\n' || (x->t[k] == '\r' && (k + 1 >= x->n || x->t[k + 1] != '\n')))
            rc = out_break(x);
    x->i = end;
    return rc;
}

/* Visible text s[0, n) without line breaks. */
static int out_text(hx *x, const char *s, size_t n)
{
    if (x->in_title)
        return capture(&x->title, s, n);
    int rc = CAIRN_OK;
    size_t i = 0;
    if (!x->line_has_text) {
        while (i < n && (s[i] == ' ' || s[i] == '\t'))
            i++;
        if (i == n)
            return buf_append(x->out, s, n);
        if (x->pending_heading) {
            if (x->out->len > x->line_start) { /* indentation would hide the heading */
                x->out->len = x->line_start;
                x->out->data[x->out->len] = '\0';
            }
            static const char hashes[] = "###### ";
            rc = buf_append(x->out, hashes + 6 - x->pending_heading, (size_t)x->pending_heading + 1);
            x->pending_heading = 0;
        } else {
            rc = buf_append(x->out, s, i);
            if (!rc && strchr("#`~=-+", s[i]))
                rc = buf_puts(x->out, ZWSP);
        }
        x->line_has_text = 1;
    }
    if (!rc && x->gap && s[i] != ' ' && s[i] != '\t') {
        rc = buf_putc(x->out, ' ');
        if (!rc && x->href)
            rc = capture(&x->link_text, " ", 1);
    }
    x->gap = 0;
    if (!rc)
        rc = buf_append(x->out, s + i, n - i);
    if (!rc && x->heading) {
        if (x->heading == 1 && !x->h1.len)
            rc = capture(&x->h1, s, n);
        if (!rc)
            rc = capture(&x->hfirst, s, n);
    }
    if (!rc && x->href)
        rc = capture(&x->link_text, s, n);
    return rc;
}

/* Keep words on either side of a block boundary apart: the next text on
 * this line starts with a space. */
static int out_gap(hx *x)
{
    if (!x->in_title && x->line_has_text)
        x->gap = 1;
    return CAIRN_OK;
}

/* ---- elements ------------------------------------------------------------ */

static int link_finish(hx *x)
{
    if (!x->href)
        return CAIRN_OK;
    int rc = prose_add_link(x->doc, x->rel, x->href_line, "html", x->href, strlen(x->href),
                            x->link_text.data, x->link_text.len);
    free(x->href);
    x->href = NULL;
    buf_clear(&x->link_text);
    return rc;
}

static int link_start(hx *x, const char *a, size_t an)
{
    int rc = link_finish(x);
    const char *v;
    size_t vn;
    if (rc || !attr(a, an, "href", &v, &vn) || vn == 0 || (vn >= 11 && strncasecmp(v, "javascript:", 11) == 0))
        return rc;
    if (!(x->href = decode_attr(v, vn)))
        return err_set(CAIRN_ERR_NOMEM, "out of memory reading a link");
    x->href_line = x->line;
    return CAIRN_OK;
}

/* Keep the better-ranked of two candidate values. */
static int candidate(char **slot, int *best, int rank, const char *v, size_t vn)
{
    if (*slot && rank >= *best)
        return CAIRN_OK;
    char *d = decode_attr(v, vn);
    if (!d)
        return err_set(CAIRN_ERR_NOMEM, "out of memory reading page metadata");
    free(*slot);
    *slot = d;
    *best = rank;
    return CAIRN_OK;
}

static const struct {
    const char *key;
    int rank;
} date_keys[] = {
    {"article:published_time", 0}, {"date", 1},        {"dc.date", 2},     {"dc.date.issued", 2},
    {"dcterms.date", 2},           {"dcterms.created", 3}, {"datepublished", 3}, {"pubdate", 3},
    {"publish-date", 3},           {"citation_publication_date", 4},
};

static int meta(hx *x, const char *a, size_t an)
{
    const char *k, *v;
    size_t kn, vn;
    if (!attr(a, an, "content", &v, &vn) ||
        !(attr(a, an, "name", &k, &kn) || attr(a, an, "property", &k, &kn) ||
          attr(a, an, "itemprop", &k, &kn)))
        return CAIRN_OK;
    for (size_t i = 0; i < sizeof date_keys / sizeof *date_keys; i++) {
        if (strlen(date_keys[i].key) == kn && strncasecmp(date_keys[i].key, k, kn) == 0) {
            int rc = candidate(&x->date, &x->date_rank, date_keys[i].rank, v, vn);
            if (!rc && x->date_rank == date_keys[i].rank)
                snprintf(x->date_key, sizeof x->date_key, "<meta %s>", date_keys[i].key);
            return rc;
        }
    }
    if (kn == 8 && strncasecmp(k, "keywords", 8) == 0) {
        char *d = decode_attr(v, vn);
        if (!d)
            return err_set(CAIRN_ERR_NOMEM, "out of memory reading keywords");
        int rc = prose_add_tag_list(x->doc, d, strlen(d));
        free(d);
        return rc;
    }
    if (kn == 11 && strncasecmp(k, "article:tag", 11) == 0)
        return prose_add_tag(x->doc, v, vn);
    if (kn == 6 && strncasecmp(k, "og:url", 6) == 0)
        return candidate(&x->url, &x->url_rank, 1, v, vn);
    return CAIRN_OK;
}

static int heading_level(const char *name)
{
    return name[0] == 'h' && name[1] >= '1' && name[1] <= '6' && name[2] == '\0' ? name[1] - '0' : 0;
}

static int is_block(const char *name)
{
    static const char *const blocks[] = {
        "p",      "div",   "br",     "li",     "ul",      "ol",     "dl",      "dt",
        "dd",     "td",    "th",     "tr",     "table",   "thead",  "tbody",   "section",
        "article", "header", "footer", "nav",  "aside",   "main",   "blockquote", "pre",
        "hr",     "figure", "figcaption", "form", "address", "details", "summary", "body",
        "head",   "html",  "title",  "caption", "option", "label",  "button",  "img",
    };
    if (heading_level(name))
        return 1;
    for (size_t i = 0; i < sizeof blocks / sizeof *blocks; i++)
        if (strcmp(blocks[i], name) == 0)
            return 1;
    return 0;
}

/* Elements whose content is not text to read. */
static int is_raw(const char *name)
{
    return strcmp(name, "script") == 0 || strcmp(name, "style") == 0 ||
           strcmp(name, "template") == 0 || strcmp(name, "svg") == 0 ||
           strcmp(name, "noscript") == 0;
}

/* Skip from x->i to the "</name" that ends a raw element (or the end). */
static int skip_raw(hx *x, const char *name)
{
    size_t nl = strlen(name);
    for (size_t j = x->i; j < x->n; j++) {
        const char *lt = memchr(x->t + j, '<', x->n - j);
        if (!lt)
            break;
        j = (size_t)(lt - x->t);
        if (j + 2 + nl <= x->n && x->t[j + 1] == '/' && strncasecmp(x->t + j + 2, name, nl) == 0 &&
            (j + 2 + nl == x->n || !is_alnum(x->t[j + 2 + nl])))
            return skip_to(x, j);
    }
    int rc = CAIRN_OK;
    if (!x->warned_raw++)
        rc = prose_warn(x->doc, "broken HTML: <%s> opened on line %d is never closed", name, x->line);
    return rc ? rc : skip_to(x, x->n);
}

static int start_tag(hx *x, const char *name, const char *a, size_t an)
{
    int rc = CAIRN_OK, level = heading_level(name);
    if (is_block(name))
        rc = out_gap(x);
    if (rc)
        return rc;
    if (strcmp(name, "title") == 0 && !x->title_seen) {
        x->in_title = x->title_seen = 1;
    } else if (level) {
        x->pending_heading = x->line_has_text ? 0 : level;
        x->heading = level;
    } else if (strcmp(name, "a") == 0) {
        rc = link_start(x, a, an);
    } else if (strcmp(name, "meta") == 0) {
        rc = meta(x, a, an);
    } else if (strcmp(name, "link") == 0) {
        const char *v, *h;
        size_t vn, hn;
        if (attr(a, an, "rel", &v, &vn) && vn == 9 && strncasecmp(v, "canonical", 9) == 0 &&
            attr(a, an, "href", &h, &hn))
            rc = candidate(&x->url, &x->url_rank, 0, h, hn);
    } else if (strcmp(name, "time") == 0) {
        const char *v;
        size_t vn;
        if (attr(a, an, "datetime", &v, &vn) && (rc = candidate(&x->date, &x->date_rank, 9, v, vn)) == 0 &&
            x->date_rank == 9)
            snprintf(x->date_key, sizeof x->date_key, "<time datetime>");
    }
    return rc;
}

static int end_tag(hx *x, const char *name)
{
    if (strcmp(name, "title") == 0)
        x->in_title = 0;
    else if (heading_level(name)) {
        x->heading = 0;
        x->pending_heading = 0;
    } else if (strcmp(name, "a") == 0) {
        int rc = link_finish(x);
        if (rc)
            return rc;
    }
    return is_block(name) ? out_gap(x) : CAIRN_OK;
}

/* Markup at x->t[x->i] == '<'.  Returns 1 when consumed, 0 when the '<'
 * is text, <0 on error. */
static int markup(hx *x)
{
    size_t s = x->i, n = x->n;
    const char *t = x->t;
    int rc;
    if (n - s >= 4 && memcmp(t + s, "<!--", 4) == 0) {
        const char *e = memmem(t + s + 4, n - s - 4, "-->", 3);
        if (!e && !x->warned_comment++ &&
            (rc = prose_warn(x->doc, "broken HTML: comment opened on line %d is never closed", x->line)))
            return rc;
        rc = skip_to(x, e ? (size_t)(e - t) + 3 : n);
        return rc ? rc : 1;
    }
    int end = s + 1 < n && t[s + 1] == '/';
    size_t p = s + 1 + (size_t)end;
    if (p >= n || !(is_alpha(t[p]) || (!end && (t[p] == '!' || t[p] == '?'))))
        return 0;
    size_t gt;
    if ((rc = tag_end(x, s, &gt)))
        return rc;
    if (gt >= n) {
        if (!x->warned_tag++ &&
            (rc = prose_warn(x->doc, "broken HTML: a tag on line %d is never closed with '>'", x->line)))
            return rc;
        return 0;
    }
    char name[TAG_NAME_MAX + 1];
    size_t nn = 0;
    while (p < gt && (is_alnum(t[p]) || t[p] == '-' || t[p] == ':')) {
        if (nn < TAG_NAME_MAX)
            name[nn++] = (char)lower(t[p]);
        p++;
    }
    name[nn] = '\0';
    const char *a = t + p;
    size_t an = gt - p;
    if ((rc = skip_to(x, gt + (t[gt] == '>'))))
        return rc;
    if (nn == 0) /* <!DOCTYPE>, <?xml?> */
        return 1;
    rc = end ? end_tag(x, name) : start_tag(x, name, a, an);
    if (!rc && !end && is_raw(name) && !(an && a[an - 1] == '/'))
        rc = skip_raw(x, name);
    return rc ? rc : 1;
}

static int scan(hx *x)
{
    int rc = CAIRN_OK;
    while (x->i < x->n && !rc) {
        char c = x->t[x->i];
        if (c == '<') {
            int m = markup(x);
            if (m < 0)
                return m;
            if (m == 1)
                continue;
            rc = out_text(x, "<", 1);
            x->i++;
        } else if (c == '&') {
            char u[4];
            size_t un, k = html_entity(x->t + x->i, x->n - x->i, u, &un);
            rc = k ? out_text(x, u, un) : out_text(x, "&", 1);
            x->i += k ? k : 1;
        } else if (c == '\n' || c == '\r') {
            x->i += c == '\r' && x->i + 1 < x->n && x->t[x->i + 1] == '\n' ? 2 : 1;
            rc = out_break(x);
        } else {
            size_t j = x->i;
            while (j < x->n && x->t[j] != '<' && x->t[j] != '&' && x->t[j] != '\n' && x->t[j] != '\r')
                j++;
            rc = out_text(x, x->t + x->i, j - x->i);
            x->i = j;
        }
    }
    return rc ? rc : link_finish(x);
}

int html_extract(const char *text, size_t len, const char *src_rel, prose_doc *doc, buf *out,
                 int *title_from_tag)
{
    hx x = {.t = text, .n = len, .rel = src_rel, .doc = doc, .out = out, .line = 1,
            .no_gt_from = SIZE_MAX, .line_start = out->len};
    buf_init(&x.title, CAPTURE_MAX);
    buf_init(&x.h1, CAPTURE_MAX);
    buf_init(&x.hfirst, CAPTURE_MAX);
    buf_init(&x.link_text, CAPTURE_MAX);
    *title_from_tag = 0;
    int rc = scan(&x);
    if (!rc && x.title.len) {
        rc = prose_set_title(doc, x.title.data, x.title.len);
        *title_from_tag = doc->title != NULL;
    }
    if (!rc && x.h1.len)
        rc = prose_set_title(doc, x.h1.data, x.h1.len);
    if (!rc && x.hfirst.len)
        rc = prose_set_title(doc, x.hfirst.data, x.hfirst.len);
    if (!rc && x.date)
        rc = prose_set_date(doc, x.date_key, x.date, strlen(x.date));
    if (!rc && x.url)
        rc = prose_set_url(doc, x.url, strlen(x.url));
    if (!rc && out->len) {
        int in_word = 0;
        prose_count_words(doc, out->data, out->len, &in_word);
    }
    free(x.href);
    free(x.date);
    free(x.url);
    buf_release(&x.title);
    buf_release(&x.h1);
    buf_release(&x.hfirst);
    buf_release(&x.link_text);
    return rc;
}

int html_scan_links(const char *s, size_t n, int line, const char *src_rel, prose_doc *doc)
{
    size_t i = 0;
    while (i < n) {
        const char *lt = memchr(s + i, '<', n - i);
        if (!lt)
            break;
        for (const char *p = s + i; p < lt; p++)
            line += *p == '\n';
        i = (size_t)(lt - s);
        if (i + 2 < n && lower(s[i + 1]) == 'a' && is_ws(s[i + 2])) {
            const char *gt = memchr(s + i, '>', n - i);
            size_t e = gt ? (size_t)(gt - s) : n;
            const char *v;
            size_t vn;
            if (attr(s + i + 2, e - i - 2, "href", &v, &vn) && vn) {
                char *href = decode_attr(v, vn);
                if (!href)
                    return err_set(CAIRN_ERR_NOMEM, "out of memory reading a link");
                int rc = prose_add_link(doc, src_rel, line, "html", href, strlen(href), NULL, 0);
                free(href);
                if (rc)
                    return rc;
            }
        }
        i++;
    }
    return CAIRN_OK;
}
