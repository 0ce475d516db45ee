/*
 * chunk.c — line windows for code, heading/paragraph groups for prose.
 *
 * Both chunkers work on a line index built once (lines_build) so that every
 * decision is about whole lines; bytes are only cut inside a line when the
 * line alone is over the byte budget.
 */
#include "indexer/chunk.h"

#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/err.h"

#define HEADING_MAX 200 /* bytes of one heading kept in a context */
#define NSLOTS 8        /* heading levels tracked; deeper ones share the last */
#define TAB_WIDTH 4

/* ---- lines ------------------------------------------------------------ */

typedef struct lines {
    const char *t;
    size_t len;
    size_t n;      /* number of lines */
    size_t *start; /* n + 1 offsets; start[n] == len */
} lines;

static int is_break(const char *t, size_t len, size_t i)
{
    return t[i] == '\n' || (t[i] == '\r' && (i + 1 == len || t[i + 1] != '\n'));
}

static int lines_build(lines *L, const char *t, size_t len)
{
    L->t = t;
    L->len = len;
    L->n = 0;
    L->start = NULL;
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        n += (size_t)is_break(t, len, i);
    if (len && t[len - 1] != '\n' && t[len - 1] != '\r')
        n++;
    if (n >= INT_MAX)
        return err_set(CAIRN_ERR_INVALID, "text has %zu lines, more than chunks can number", n);
    L->start = malloc((n + 1) * sizeof *L->start);
    if (!L->start)
        return err_set(CAIRN_ERR_NOMEM, "out of memory indexing %zu lines", n);
    size_t k = 0;
    if (n)
        L->start[k++] = 0;
    for (size_t i = 0; i + 1 < len; i++)
        if (is_break(t, len, i))
            L->start[k++] = i + 1;
    L->start[n] = len;
    L->n = n;
    return CAIRN_OK;
}

/* Offset just past line i's text, before its terminator. */
static size_t content_end(const lines *L, size_t i)
{
    size_t s = L->start[i], e = L->start[i + 1];
    if (e > s && L->t[e - 1] == '\n')
        e--;
    if (e > s && L->t[e - 1] == '\r')
        e--;
    return e;
}

static int is_hspace(char c) { return c == ' ' || c == '\t' || c == '\f' || c == '\v'; }

/* Offset of the first non-blank byte of line i (content_end when none). */
static size_t first_nonspace(const lines *L, size_t i)
{
    size_t p = L->start[i], e = content_end(L, i);
    while (p < e && is_hspace(L->t[p]))
        p++;
    return p;
}

static int line_blank(const lines *L, size_t i) { return first_nonspace(L, i) == content_end(L, i); }

static size_t indent_cols(const lines *L, size_t i)
{
    size_t col = 0;
    for (size_t p = L->start[i], e = content_end(L, i); p < e && is_hspace(L->t[p]); p++)
        col = L->t[p] == '\t' ? (col / TAB_WIDTH + 1) * TAB_WIDTH : col + 1;
    return col;
}

/* The last line of the run of blank lines following line i (i itself when
 * the next line has text): blank lines belong to the chunk before them. */
static size_t absorb_blanks(const lines *L, size_t i)
{
    while (i + 1 < L->n && line_blank(L, i + 1))
        i++;
    return i;
}

/* Where to cut a line between pos and limit (pos < limit < end, the end
 * of the line's text): just after ; , } or a space in the second half when
 * possible, so that minified code and long paragraphs split between
 * tokens; otherwise at limit, moved back to the start of a UTF-8
 * character (or forward, when max_bytes is smaller than one character). */
static size_t cut_point(const char *t, size_t pos, size_t limit, size_t end)
{
    const unsigned char *u = (const unsigned char *)t;
    for (size_t p = limit; p > pos + (limit - pos) / 2; p--) {
        char c = t[p - 1];
        if ((c == ';' || c == ',' || c == '}' || c == ' ' || c == '\t') && (u[p] & 0xC0) != 0x80)
            return p;
    }
    size_t p = limit;
    while (p > pos + 1 && (u[p] & 0xC0) == 0x80)
        p--;
    while (p < end && (u[p] & 0xC0) == 0x80)
        p++;
    return p;
}

/* ---- chunk lists -------------------------------------------------------- */

void chunk_list_init(chunk_list *l)
{
    l->items = NULL;
    l->n = l->cap = 0;
}

void chunk_list_release(chunk_list *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->n; i++) {
        free(l->items[i].symbol);
        free(l->items[i].context);
    }
    free(l->items);
    chunk_list_init(l);
}

static int emit(chunk_list *out, size_t sb, size_t eb, size_t sl, size_t el, const char *ctx)
{
    if (out->n == out->cap) {
        size_t cap = out->cap ? out->cap * 2 : 16;
        chunk *p = realloc(out->items, cap * sizeof *p);
        if (!p)
            return err_set(CAIRN_ERR_NOMEM, "out of memory growing a chunk list to %zu chunks", cap);
        out->items = p;
        out->cap = cap;
    }
    chunk *c = &out->items[out->n];
    c->start_line = (int)sl + 1;
    c->end_line = (int)el + 1;
    c->start_byte = sb;
    c->end_byte = eb;
    c->symbol = NULL;
    c->context = NULL;
    if (ctx && !(c->context = strdup(ctx)))
        return err_set(CAIRN_ERR_NOMEM, "out of memory copying a chunk context");
    out->n++;
    return CAIRN_OK;
}

/* ---- code --------------------------------------------------------------- */

/* The line after which to end a window of lines c..h (h + 1 < n), within
 * its last quarter.  Above all the next code line should be indented least
 * (the end of a function or block), then the break should fall on a blank
 * line, then the next line should step out of the one before it.  Ties go
 * to the later line so chunks stay near the target size. */
static size_t code_break(const lines *L, size_t c, size_t h)
{
    size_t lo = h - (h - c + 1) / 4;
    size_t next = h + 1; /* first non-blank line after the candidate */
    while (next < L->n && line_blank(L, next))
        next++;
    if (next == L->n)
        return h; /* only blank lines follow; they get absorbed */
    size_t best = h, best_cost = SIZE_MAX;
    for (size_t b = h;; b--) {
        int at_blank = line_blank(L, b) || line_blank(L, b + 1);
        size_t in = indent_cols(L, next);
        int dedent = !line_blank(L, b) && in < indent_cols(L, b);
        size_t cost = in * 4 + (at_blank ? 0 : 2) + (dedent ? 0 : 1);
        if (cost < best_cost) {
            best_cost = cost;
            best = b;
        }
        if (b == lo)
            break;
        if (!line_blank(L, b))
            next = b;
    }
    return best;
}

int chunk_code(const char *text, size_t len, const chunk_opts *o, chunk_list *out)
{
    size_t max = o && o->max_bytes ? o->max_bytes : CHUNK_CODE_BYTES;
    size_t target = o && o->target_lines > 0 ? (size_t)o->target_lines : CHUNK_CODE_LINES;
    lines L;
    int rc = lines_build(&L, text, len);
    if (rc)
        return rc;
    size_t s = 0;
    while (s < L.n && !rc) {
        /* Only the file's leading blank lines can be here: later ones are
         * absorbed by the chunk before them.  They are kept in the first
         * chunk but not counted against its size. */
        size_t c = s;
        while (c < L.n && line_blank(&L, c))
            c++;
        if (c == L.n)
            break; /* whitespace only */
        size_t ce = content_end(&L, c), e;
        if (ce - L.start[c] > max) {
            size_t piece = L.start[s], pos = L.start[c], sl = s;
            while (ce - pos > max && !rc) {
                size_t cut = cut_point(text, pos, pos + max, ce);
                if (cut == ce)
                    break; /* the rest is one character */
                rc = emit(out, piece, cut, sl, c, NULL);
                piece = pos = cut;
                sl = c;
            }
            e = absorb_blanks(&L, c);
            if (!rc)
                rc = emit(out, piece, L.start[e + 1], sl, e, NULL);
            s = e + 1;
            continue;
        }
        size_t h = c;
        while (h + 1 < L.n && h + 2 - c <= target && content_end(&L, h + 1) - L.start[c] <= max)
            h++;
        e = h + 1 < L.n ? code_break(&L, c, h) : h;
        e = absorb_blanks(&L, e);
        rc = emit(out, L.start[s], L.start[e + 1], s, e, NULL);
        s = e + 1;
    }
    free(L.start);
    return rc;
}

/* ---- prose: grouping blocks into chunks under a heading path ------------ */

typedef struct grouper {
    const lines *L;
    chunk_list *out;
    size_t max;
    int open;      /* a chunk is being built */
    int has_body;  /* it holds more than headings */
    int last_slot; /* slot of its last heading */
    size_t sb, eb, sl, el;
    char *slots[NSLOTS]; /* active heading per level; slot 0 is the title */
} grouper;

static int g_flush(grouper *g)
{
    if (!g->open)
        return CAIRN_OK;
    char ctx[CHUNK_CONTEXT_MAX];
    size_t n = 0;
    for (int i = 0; i < NSLOTS; i++) {
        if (!g->slots[i] || !g->slots[i][0])
            continue;
        size_t k = strlen(g->slots[i]), sep = n ? 3 : 0;
        if (n + sep + k >= sizeof ctx)
            break; /* deeper headings would not fit; keep the outer path */
        memcpy(ctx + n, " > ", sep);
        memcpy(ctx + n + sep, g->slots[i], k);
        n += sep + k;
    }
    ctx[n] = '\0';
    g->open = g->has_body = 0;
    return emit(g->out, g->sb, g->eb, g->sl, g->el, n ? ctx : NULL);
}

static void g_add(grouper *g, size_t sb, size_t eb, size_t sl, size_t el)
{
    if (!g->open) {
        g->open = 1;
        g->sb = sb;
        g->sl = sl;
    }
    g->eb = eb;
    g->el = el;
}

/* Lines first..last hold a heading whose text is txt[0..tn).  A heading
 * starts a new chunk, except that a chunk holding only shallower headings
 * ("# Title" right before "## Install") takes it in. */
static int g_heading(grouper *g, size_t first, size_t last, int slot, const char *txt, size_t tn)
{
    if (slot >= NSLOTS)
        slot = NSLOTS - 1;
    if (g->open && (g->has_body || slot <= g->last_slot)) {
        int rc = g_flush(g);
        if (rc)
            return rc;
    }
    for (int i = slot; i < NSLOTS; i++) {
        free(g->slots[i]);
        g->slots[i] = NULL;
    }
    while (tn && is_hspace(txt[tn - 1]))
        tn--;
    while (tn && is_hspace(*txt)) {
        txt++;
        tn--;
    }
    if (tn > HEADING_MAX) {
        tn = HEADING_MAX;
        while (tn && ((unsigned char)txt[tn] & 0xC0) == 0x80)
            tn--;
    }
    if (!(g->slots[slot] = strndup(txt, tn)))
        return err_set(CAIRN_ERR_NOMEM, "out of memory copying a heading");
    g_add(g, g->L->start[first], g->L->start[last + 1], first, last);
    g->last_slot = slot;
    return CAIRN_OK;
}

/* Bytes [sb, eb) on lines sl..el that must stay together. */
static int g_body(grouper *g, size_t sb, size_t eb, size_t sl, size_t el)
{
    if (g->open && g->has_body && eb - g->sb > g->max) {
        int rc = g_flush(g);
        if (rc)
            return rc;
    }
    g_add(g, sb, eb, sl, el);
    g->has_body = 1;
    return CAIRN_OK;
}

/* A paragraph or code block on lines first..last: whole when it is at most
 * limit bytes, else in runs of lines of at most max bytes, cutting inside
 * any line that alone is longer. */
static int g_block(grouper *g, size_t first, size_t last, size_t limit)
{
    const lines *L = g->L;
    const size_t *st = L->start;
    if (st[last + 1] - st[first] <= limit)
        return g_body(g, st[first], st[last + 1], first, last);
    size_t gs = first;
    int rc = CAIRN_OK;
    for (size_t i = first; i <= last && !rc; i++) {
        size_t ce = content_end(L, i);
        if (ce - st[i] > g->max) {
            if (gs < i)
                rc = g_body(g, st[gs], st[i], gs, i - 1);
            size_t pos = st[i];
            while (ce - pos > g->max && !rc) {
                size_t cut = cut_point(L->t, pos, pos + g->max, ce);
                if (cut == ce)
                    break; /* the rest is one character */
                rc = g_body(g, pos, cut, i, i);
                pos = cut;
            }
            if (!rc)
                rc = g_body(g, pos, st[i + 1], i, i);
            gs = i + 1;
        } else if (i > gs && st[i + 1] - st[gs] > g->max) {
            rc = g_body(g, st[gs], st[i], gs, i - 1);
            gs = i;
        }
    }
    if (!rc && gs <= last)
        rc = g_body(g, st[gs], st[last + 1], gs, last);
    return rc;
}

/* ---- prose: markdown ---------------------------------------------------- */

/* Line i's text with surrounding blanks trimmed. */
static const char *trimmed(const lines *L, size_t i, size_t *n)
{
    size_t p = first_nonspace(L, i), e = content_end(L, i);
    while (e > p && is_hspace(L->t[e - 1]))
        e--;
    *n = e - p;
    return L->t + p;
}

static int line_is(const lines *L, size_t i, const char *s)
{
    size_t n;
    const char *t = trimmed(L, i, &n);
    return t == L->t + L->start[i] && n == strlen(s) && memcmp(t, s, n) == 0;
}

/* YAML ("---" ... "---" or "...") or TOML ("+++" ... "+++") front matter:
 * the first line after it, or 0 when there is none (an unclosed "---" is
 * a thematic break, not front matter). */
static size_t front_matter_end(const lines *L)
{
    int yaml = L->n && line_is(L, 0, "---"), toml = L->n && line_is(L, 0, "+++");
    if (!yaml && !toml)
        return 0;
    for (size_t i = 1; i < L->n; i++)
        if (yaml ? line_is(L, i, "---") || line_is(L, i, "...") : line_is(L, i, "+++"))
            return i + 1;
    return 0;
}

/* Fences are accepted at any indentation: in real notes they sit inside
 * list items, indented four spaces or more. */
static int fence_open(const lines *L, size_t i, char *ch, size_t *flen)
{
    size_t p = first_nonspace(L, i), e = content_end(L, i), q = p;
    char c = p < e ? L->t[p] : 0;
    if (c != '`' && c != '~')
        return 0;
    while (q < e && L->t[q] == c)
        q++;
    if (q - p < 3 || (c == '`' && memchr(L->t + q, '`', e - q)))
        return 0; /* ```inline``` code on one line is not a fence */
    *ch = c;
    *flen = q - p;
    return 1;
}

static int fence_close(const lines *L, size_t i, char ch, size_t flen)
{
    size_t n;
    const char *t = trimmed(L, i, &n);
    if (n < flen)
        return 0;
    for (size_t k = 0; k < n; k++)
        if (t[k] != ch)
            return 0;
    return 1;
}

/* Up to three spaces of indentation, as CommonMark allows for headings. */
static size_t md_indent_end(const lines *L, size_t i)
{
    size_t p = L->start[i], e = content_end(L, i);
    for (int k = 0; k < 3 && p < e && L->t[p] == ' '; k++)
        p++;
    return p;
}

/* "## Title ##" -> level 2, text "Title". */
static int atx_heading(const lines *L, size_t i, const char **txt, size_t *tn)
{
    size_t p = md_indent_end(L, i), e = content_end(L, i), q = p;
    while (q < e && L->t[q] == '#')
        q++;
    int level = (int)(q - p);
    if (level < 1 || level > 6 || (q < e && L->t[q] != ' ' && L->t[q] != '\t'))
        return 0;
    while (e > q && is_hspace(L->t[e - 1]))
        e--;
    size_t h = e;
    while (h > q && L->t[h - 1] == '#')
        h--;
    if (h == q || is_hspace(L->t[h - 1]))
        e = h; /* a closing sequence of #s */
    *txt = L->t + q;
    *tn = e - q;
    return level;
}

/* "===" under a line -> 1, "---" -> 2, else 0. */
static int setext_under(const lines *L, size_t i)
{
    size_t p = md_indent_end(L, i), e = content_end(L, i), q = p;
    char c = p < e ? L->t[p] : 0;
    if (c != '=' && c != '-')
        return 0;
    while (q < e && L->t[q] == c)
        q++;
    while (q < e && is_hspace(L->t[q]))
        q++;
    return q == e ? (c == '=' ? 1 : 2) : 0;
}

/* Can line i be the text of a setext heading?  List items, quotes and
 * rules followed by "---" are a thematic break, not a heading. */
static int setext_text(const lines *L, size_t i)
{
    size_t p = md_indent_end(L, i), e = content_end(L, i), n;
    if (line_blank(L, i) || (p < e && is_hspace(L->t[p])) || setext_under(L, i))
        return 0;
    const char *t = trimmed(L, i, &n), *te = t + n;
    if (*t == '>' || ((*t == '-' || *t == '*' || *t == '+') && (n == 1 || is_hspace(t[1]))))
        return 0;
    const char *d = t;
    while (d < te && *d >= '0' && *d <= '9')
        d++;
    if (d > t && d < te && (*d == '.' || *d == ')') && (d + 1 == te || is_hspace(d[1])))
        return 0;
    char ch;
    size_t fl;
    const char *ht;
    size_t hn;
    return !fence_open(L, i, &ch, &fl) && !atx_heading(L, i, &ht, &hn);
}

static int md_setext_at(const lines *L, size_t i)
{
    return i + 1 < L->n && setext_text(L, i) ? setext_under(L, i + 1) : 0;
}

static int md_para_continues(const lines *L, size_t i)
{
    char ch;
    size_t fl, tn;
    const char *t;
    return !line_blank(L, i) && !fence_open(L, i, &ch, &fl) && !atx_heading(L, i, &t, &tn) &&
           !md_setext_at(L, i);
}

/* The document's first H1 is the title (slot 0); later H1s sit under it
 * (slot 1) so that notes using "#" for sections keep their title. */
static int md_slot(int level, int *seen_h1)
{
    if (level > 1)
        return level;
    if (*seen_h1)
        return 1;
    *seen_h1 = 1;
    return 0;
}

static int scan_markdown(grouper *g, size_t limit_fence)
{
    const lines *L = g->L;
    size_t i = front_matter_end(L);
    int seen_h1 = 0, rc = CAIRN_OK;
    while (i < L->n && !rc) {
        char ch;
        size_t fl, tn, last;
        const char *t;
        int level;
        if (line_blank(L, i)) {
            i++;
            continue;
        }
        if (fence_open(L, i, &ch, &fl)) {
            size_t j = i + 1;
            while (j < L->n && !fence_close(L, j, ch, fl))
                j++;
            last = absorb_blanks(L, j < L->n ? j : L->n - 1);
            rc = g_block(g, i, last, limit_fence);
        } else if ((level = atx_heading(L, i, &t, &tn))) {
            last = absorb_blanks(L, i);
            rc = g_heading(g, i, last, md_slot(level, &seen_h1), t, tn);
        } else if ((level = md_setext_at(L, i))) {
            t = trimmed(L, i, &tn);
            last = absorb_blanks(L, i + 1);
            rc = g_heading(g, i, last, md_slot(level, &seen_h1), t, tn);
        } else {
            size_t j = i;
            while (j + 1 < L->n && md_para_continues(L, j + 1))
                j++;
            last = absorb_blanks(L, j);
            rc = g_block(g, i, last, g->max);
        }
        i = last + 1;
    }
    return rc;
}

/* ---- prose: reStructuredText -------------------------------------------- */

static const char RST_ADORN[] = "=-~^*#\"'`:+";

/* Length of line i when it is a run of one adornment character, else 0. */
static size_t rst_adorn(const lines *L, size_t i, char *ch)
{
    size_t n;
    const char *t = trimmed(L, i, &n);
    if (n < 2 || t != L->t + L->start[i] || !strchr(RST_ADORN, t[0]))
        return 0;
    for (size_t k = 1; k < n; k++)
        if (t[k] != t[0])
            return 0;
    *ch = t[0];
    return n;
}

/* Characters (not bytes) in s[0..n), for comparing with underline length. */
static size_t utf8_chars(const char *s, size_t n)
{
    size_t c = 0;
    for (size_t k = 0; k < n; k++)
        c += ((unsigned char)s[k] & 0xC0) != 0x80;
    return c;
}

typedef struct rst_style {
    char ch;
    int over;
} rst_style;

/* A title at line i: "Text" over "====", or "====" / "Text" / "====".
 * Returns the number of lines it spans (0 when none). */
static size_t rst_title(const lines *L, size_t i, rst_style *style, const char **txt, size_t *tn)
{
    char c1, c2;
    size_t a1, a2;
    if ((a1 = rst_adorn(L, i, &c1)) && i + 2 < L->n && !line_blank(L, i + 1) &&
        (a2 = rst_adorn(L, i + 2, &c2)) && c2 == c1 && a2 == a1) {
        *txt = trimmed(L, i + 1, tn);
        if (utf8_chars(*txt, *tn) <= a1) {
            *style = (rst_style){c1, 1};
            return 3;
        }
    }
    if (i + 1 >= L->n || line_blank(L, i) || is_hspace(L->t[L->start[i]]) || rst_adorn(L, i, &c1))
        return 0;
    *txt = trimmed(L, i, tn);
    if ((a2 = rst_adorn(L, i + 1, &c2)) && a2 >= utf8_chars(*txt, *tn)) {
        *style = (rst_style){c2, 0};
        return 2;
    }
    return 0;
}

/* rst has no fixed heading characters: levels are assigned in the order
 * each adornment style first appears. */
static int scan_rst(grouper *g)
{
    const lines *L = g->L;
    rst_style styles[NSLOTS];
    int nstyles = 0, rc = CAIRN_OK;
    size_t i = 0;
    while (i < L->n && !rc) {
        rst_style st;
        const char *t;
        size_t tn, span, last;
        if (line_blank(L, i)) {
            i++;
            continue;
        }
        if ((span = rst_title(L, i, &st, &t, &tn))) {
            int slot = 0;
            while (slot < nstyles && (styles[slot].ch != st.ch || styles[slot].over != st.over))
                slot++;
            if (slot == nstyles && nstyles < NSLOTS)
                styles[nstyles++] = st;
            last = absorb_blanks(L, i + span - 1);
            rc = g_heading(g, i, last, slot, t, tn);
        } else {
            size_t j = i;
            while (j + 1 < L->n && !line_blank(L, j + 1) && !rst_title(L, j + 1, &st, &t, &tn))
                j++;
            last = absorb_blanks(L, j);
            rc = g_block(g, i, last, g->max);
        }
        i = last + 1;
    }
    return rc;
}

/* ---- prose: org --------------------------------------------------------- */

static int starts_with_ci(const lines *L, size_t i, const char *prefix)
{
    size_t n, k = strlen(prefix);
    const char *t = trimmed(L, i, &n);
    return n >= k && strncasecmp(t, prefix, k) == 0;
}

/* "** Heading" -> 2 stars, text "Heading". */
static int org_heading(const lines *L, size_t i, const char **txt, size_t *tn)
{
    size_t p = L->start[i], e = content_end(L, i), q = p;
    while (q < e && L->t[q] == '*')
        q++;
    if (q == p || q == e || (L->t[q] != ' ' && L->t[q] != '\t'))
        return 0;
    *txt = L->t + q;
    *tn = e - q;
    return (int)(q - p);
}

static int org_breaks_para(const lines *L, size_t i)
{
    const char *t;
    size_t tn;
    return line_blank(L, i) || org_heading(L, i, &t, &tn) || starts_with_ci(L, i, "#+BEGIN_") ||
           starts_with_ci(L, i, "#+TITLE:");
}

static int scan_org(grouper *g, size_t limit_block)
{
    const lines *L = g->L;
    int rc = CAIRN_OK;
    size_t i = 0;
    while (i < L->n && !rc) {
        const char *t;
        size_t tn, last;
        int stars;
        if (line_blank(L, i)) {
            i++;
            continue;
        }
        if (starts_with_ci(L, i, "#+TITLE:")) {
            t = trimmed(L, i, &tn);
            last = absorb_blanks(L, i);
            rc = g_heading(g, i, last, 0, t + 8, tn - 8);
        } else if ((stars = org_heading(L, i, &t, &tn))) {
            last = absorb_blanks(L, i);
            rc = g_heading(g, i, last, stars, t, tn);
        } else if (starts_with_ci(L, i, "#+BEGIN_")) {
            size_t j = i + 1;
            while (j < L->n && !starts_with_ci(L, j, "#+END_"))
                j++;
            last = absorb_blanks(L, j < L->n ? j : L->n - 1);
            rc = g_block(g, i, last, limit_block);
        } else {
            size_t j = i;
            while (j + 1 < L->n && !org_breaks_para(L, j + 1))
                j++;
            last = absorb_blanks(L, j);
            rc = g_block(g, i, last, g->max);
        }
        i = last + 1;
    }
    return rc;
}

/* ---- prose: plain paragraphs -------------------------------------------- */

static int scan_paragraphs(grouper *g)
{
    const lines *L = g->L;
    int rc = CAIRN_OK;
    size_t i = 0;
    while (i < L->n && !rc) {
        if (line_blank(L, i)) {
            i++;
            continue;
        }
        size_t j = i;
        while (j + 1 < L->n && !line_blank(L, j + 1))
            j++;
        size_t last = absorb_blanks(L, j);
        rc = g_block(g, i, last, g->max);
        i = last + 1;
    }
    return rc;
}

int chunk_prose(const char *text, size_t len, const char *lang_name, const chunk_opts *o, chunk_list *out)
{
    lines L;
    int rc = lines_build(&L, text, len);
    if (rc)
        return rc;
    grouper g;
    memset(&g, 0, sizeof g);
    g.L = &L;
    g.out = out;
    g.max = o && o->max_bytes ? o->max_bytes : CHUNK_PROSE_BYTES;
    g.last_slot = -1;
    size_t block_limit = g.max > SIZE_MAX / 4 ? SIZE_MAX : g.max * 4;
    const char *name = lang_name ? lang_name : "";
    if (strcmp(name, "markdown") == 0)
        rc = scan_markdown(&g, block_limit);
    else if (strcmp(name, "rst") == 0)
        rc = scan_rst(&g);
    else if (strcmp(name, "org") == 0)
        rc = scan_org(&g, block_limit);
    else
        rc = scan_paragraphs(&g);
    if (!rc)
        rc = g_flush(&g);
    for (int i = 0; i < NSLOTS; i++)
        free(g.slots[i]);
    free(L.start);
    return rc;
}
