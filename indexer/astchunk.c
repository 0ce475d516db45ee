/*
 * astchunk.c — definition-aligned chunks for code.
 *
 * The symbols are first turned into a tree of nodes by their byte spans,
 * each trimmed to whole non-blank lines.  The tree is then walked one level
 * at a time: a level's text is a sequence of items (the code between
 * definitions, each definition with the comments above it), and a packer
 * gathers neighbouring items of the same level into a chunk while it stays
 * under the target size.  A definition over the cap either opens a level of
 * its own (its header, then its children) or is handed to chunk_code.
 * Chunks are recorded by where they start; each one ends where the next
 * begins, which is what makes the tiling exact whatever the symbols say.
 */
#include "indexer/astchunk.h"

#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/err.h"

#define TAB_WIDTH 4
#define MAX_DEPTH 32    /* enclosing headers tracked; deeper definitions are not split into children */
#define HEADER_MAX 200  /* bytes of one header kept in a context */
#define HEADER_SCAN 8   /* lines searched for the one naming a definition */
#define STICKY_LINES 2  /* a split definition's closing lines ("}", "};", "end") */
#define STICKY_BYTES 80 /* stay with the chunk before them when this small */
#define OPENER_LINES 20 /* lines of a block-opening statement looked through */

enum { MERGE = 1, STICKY = 2 };

typedef struct node {
    size_t sb, eb; /* byte span, clamped to the text */
    size_t sl, el; /* 0-based first and last non-blank lines of the span */
    int sym;       /* index in symbols[] */
    int child, last, next; /* first child, last child, next sibling; -1 for none */
} node;

typedef struct header {
    const char *s;
    size_t n;
} header;

/* Where an item (or the pieces it is split into) belongs. */
typedef struct item_info {
    int def;        /* node starting with the item, or -1 */
    int encl;       /* innermost node around the item, or -1 */
    int encl_cont;  /* the same for the later pieces of a split item */
    int ctx, ctx_cont; /* path entries that make the context */
    int level;      /* items merge only within one level */
    int flags;
} item_info;

typedef struct builder {
    const char *t;
    size_t len;
    size_t n;      /* lines */
    size_t *start; /* n + 1 line starts; start[n] == len */
    size_t *nb;    /* nb[i]: first non-blank line >= i (n when none); n + 1 entries */
    size_t *pb;    /* pb[i]: last non-blank line <= i (SIZE_MAX when none) */
    const parse_symbol *syms;
    node *nodes;
    size_t nn;
    int root_child, root_last;
    size_t cap, target;
    chunk_opts sub;
    header path[MAX_DEPTH];
    int depth, nlevels;
    chunk_list *out;
    size_t first_out; /* out->n when the call began */
    chunk_list tmp;   /* chunk_code's windows of one over-long item */
    /* the chunk being gathered */
    int open, merge, level, major, any, encl;
    size_t psb;
    char ctx[CHUNK_CONTEXT_MAX];
    size_t ctxn;
} builder;

/* ---- lines ------------------------------------------------------------- */

static int is_break(const char *t, size_t len, size_t i)
{
    return t[i] == '\n' || (t[i] == '\r' && (i + 1 == len || t[i + 1] != '\n'));
}

static int is_hspace(char c) { return c == ' ' || c == '\t' || c == '\f' || c == '\v'; }

static size_t content_end(const builder *b, size_t i)
{
    size_t s = b->start[i], e = b->start[i + 1];
    if (e > s && b->t[e - 1] == '\n')
        e--;
    if (e > s && b->t[e - 1] == '\r')
        e--;
    return e;
}

static size_t first_nonspace(const builder *b, size_t i)
{
    size_t p = b->start[i], e = content_end(b, i);
    while (p < e && is_hspace(b->t[p]))
        p++;
    return p;
}

static size_t indent_cols(const builder *b, size_t i)
{
    size_t col = 0;
    for (size_t p = b->start[i], e = content_end(b, i); p < e && is_hspace(b->t[p]); p++)
        col = b->t[p] == '\t' ? (col / TAB_WIDTH + 1) * TAB_WIDTH : col + 1;
    return col;
}

static int is_blank(const builder *b, size_t i) { return b->nb[i] != i; }

static int lines_build(builder *b)
{
    const char *t = b->t;
    size_t len = b->len, n = 0;
    for (size_t i = 0; i < len; i++)
        n += (size_t)is_break(t, len, i);
    if (len && t[len - 1] != '\n' && t[len - 1] != '\r')
        n++;
    if (n >= INT_MAX)
        return err_set(CAIRN_ERR_INVALID, "text has %zu lines, more than chunks can number", n);
    b->start = malloc((n + 1) * sizeof *b->start);
    b->nb = malloc((n + 1) * sizeof *b->nb);
    b->pb = malloc((n + 1) * sizeof *b->pb);
    if (!b->start || !b->nb || !b->pb)
        return err_set(CAIRN_ERR_NOMEM, "out of memory indexing %zu lines", n);
    size_t k = 0;
    if (n)
        b->start[k++] = 0;
    for (size_t i = 0; i + 1 < len; i++)
        if (is_break(t, len, i))
            b->start[k++] = i + 1;
    b->start[n] = len;
    b->n = n;
    b->nb[n] = n;
    for (size_t i = n; i-- > 0;)
        b->nb[i] = first_nonspace(b, i) == content_end(b, i) ? b->nb[i + 1] : i;
    for (size_t i = 0; i < n; i++)
        b->pb[i] = b->nb[i] == i ? i : i ? b->pb[i - 1] : SIZE_MAX;
    return CAIRN_OK;
}

/* The line holding byte off (off < len). */
static size_t line_of(const builder *b, size_t off)
{
    size_t lo = 0, hi = b->n;
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (b->start[mid] <= off)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

/* ---- the definition tree ------------------------------------------------ */

static int node_cmp(const void *pa, const void *pb)
{
    const node *a = pa, *b = pb;
    if (a->sb != b->sb)
        return a->sb < b->sb ? -1 : 1;
    if (a->eb != b->eb)
        return a->eb > b->eb ? -1 : 1; /* the outer of two spans first */
    return (a->sym > b->sym) - (a->sym < b->sym);
}

static int nodes_build(builder *b, size_t nsymbols)
{
    b->root_child = b->root_last = -1;
    if (!nsymbols)
        return CAIRN_OK;
    b->nodes = malloc(nsymbols * sizeof *b->nodes);
    int *stack = malloc(nsymbols * sizeof *stack);
    if (!b->nodes || !stack) {
        free(stack);
        return err_set(CAIRN_ERR_NOMEM, "out of memory ordering %zu symbols", nsymbols);
    }
    for (size_t i = 0; i < nsymbols; i++) {
        size_t sb = b->syms[i].start_byte, eb = b->syms[i].end_byte;
        if (sb > b->len)
            sb = b->len;
        if (eb > b->len)
            eb = b->len;
        if (eb <= sb)
            continue;
        size_t sl = b->nb[line_of(b, sb)], el = line_of(b, eb - 1);
        if (sl > el)
            continue; /* only whitespace */
        node *d = &b->nodes[b->nn++];
        *d = (node){sb, eb, sl, b->pb[el], (int)i, -1, -1, -1};
    }
    qsort(b->nodes, b->nn, sizeof *b->nodes, node_cmp);
    /* Nest by spans; a span that ends past its container's end, or repeats
     * it exactly, is dropped. */
    size_t top = 0, kept = 0;
    for (size_t k = 0; k < b->nn; k++) {
        node d = b->nodes[k];
        while (top && b->nodes[stack[top - 1]].eb <= d.sb)
            top--;
        int parent = top ? stack[top - 1] : -1;
        if (parent >= 0 && (d.eb > b->nodes[parent].eb || (d.sb == b->nodes[parent].sb && d.eb == b->nodes[parent].eb)))
            continue;
        int me = (int)kept++;
        b->nodes[me] = d;
        int *first = parent >= 0 ? &b->nodes[parent].child : &b->root_child;
        int *last = parent >= 0 ? &b->nodes[parent].last : &b->root_last;
        if (*last >= 0)
            b->nodes[*last].next = me;
        else
            *first = me;
        *last = me;
        stack[top++] = me;
    }
    b->nn = kept;
    free(stack);
    return CAIRN_OK;
}

static int is_ident(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           (unsigned char)c >= 0x80;
}

/* Comment, decorator and attribute lines directly above a definition
 * belong to it ("#endif" and its kin close something above instead). */
static int is_marker(const builder *b, size_t i)
{
    const char *p = b->t + first_nonspace(b, i);
    size_t n = (size_t)(b->t + content_end(b, i) - p);
    if ((n >= 6 && !memcmp(p, "#endif", 6)) || (n >= 5 && (!memcmp(p, "#else", 5) || !memcmp(p, "#elif", 5))))
        return 0;
    if (n && (*p == '@' || *p == '#' || *p == '*'))
        return 1;
    if (n >= 2 && ((p[0] == '/' && (p[1] == '/' || p[1] == '*')) || (p[0] == '-' && p[1] == '-')))
        return 1;
    return n > 8 && !memcmp(p, "template", 8) && (p[8] == '<' || is_hspace(p[8]));
}

static int is_closer(const builder *b, size_t i)
{
    char c = b->t[first_nonspace(b, i)];
    return c == ')' || c == ']' || c == '}';
}

/* The end of line i's code: before a trailing "# ..." or "// ..." comment
 * (one preceded by a space) and trailing blanks. */
static size_t code_end(const builder *b, size_t i)
{
    size_t p = first_nonspace(b, i), e = content_end(b, i);
    for (size_t q = e; q > p + 1; q--) {
        const char *c = b->t + q - 1;
        if ((*c == '#' || (*c == '/' && q < e && c[1] == '/')) && is_hspace(c[-1])) {
            e = q - 1;
            break;
        }
    }
    while (e > p && is_hspace(b->t[e - 1]))
        e--;
    return e;
}

/* Opening minus closing brackets in line i's code (strings are not told
 * apart: a wrong count only makes opener_start give up). */
static long bracket_balance(const builder *b, size_t i)
{
    long n = 0;
    for (size_t p = b->start[i], e = code_end(b, i); p < e; p++) {
        char c = b->t[p];
        n += (c == '(' || c == '[' || c == '{') - (c == ')' || c == ']' || c == '}');
    }
    return n;
}

/* When line k ends a block-opening statement or clause ("if sys.platform
 * == 'win32':", "for x in [\n...\n]:", "except ImportError:", "if (x) {")
 * that starts at or below line bound, indented less than own, the line it
 * starts on; else SIZE_MAX.  The statement's brackets must balance (but
 * for the block's own "{"), and it must not begin with a closing bracket
 * ("} else {"), which ends the block before. */
static size_t opener_start(const builder *b, size_t k, size_t own, size_t bound)
{
    size_t e = code_end(b, k);
    if (e == first_nonspace(b, k) || (b->t[e - 1] != ':' && b->t[e - 1] != '{') || is_marker(b, k))
        return SIZE_MAX;
    long sum = b->t[e - 1] == '{' ? -1 : 0;
    for (size_t i = k, n = 0; n < OPENER_LINES; i--, n++) {
        sum += bracket_balance(b, i);
        if (sum > 0)
            return SIZE_MAX;
        if (sum == 0)
            return indent_cols(b, i) >= own || is_marker(b, i) || is_closer(b, i) ? SIZE_MAX : i;
        if (i <= bound || is_blank(b, i - 1))
            return SIZE_MAX;
    }
    return SIZE_MAX;
}

/* From line sl indented own, the first of the lines above it (never above
 * bound) that belong with it: markers at its indentation and deeper
 * continuation lines.  A marker is taken at the top of such a run (so a
 * multi-line decorator's closing ")" is crossed), or else the highest
 * marker reached without crossing a closing bracket (which might end
 * someone else's statement). */
static size_t markers_above(const builder *b, size_t sl, size_t own, size_t bound)
{
    size_t i = sl;
    while (i > bound && !is_blank(b, i - 1)) {
        size_t in = indent_cols(b, i - 1);
        if (in < own || (in == own && !is_marker(b, i - 1) && !is_closer(b, i - 1)))
            break;
        i--;
    }
    if (i < sl && indent_cols(b, i) == own && is_marker(b, i))
        return i;
    size_t best = sl;
    for (i = sl; i > bound && !is_blank(b, i - 1); i--) {
        size_t in = indent_cols(b, i - 1);
        if (in == own && is_marker(b, i - 1))
            best = i - 1;
        else if (in <= own)
            break;
    }
    return best;
}

/* The first line of node d with the lines above it that belong to it,
 * never above line bound: its comments, decorators and attributes, and
 * the header of a block it is the first statement of ("if X:" before a
 * conditional definition), with that header's own comments. */
static size_t attach(const builder *b, int d, size_t bound)
{
    size_t s = b->nodes[d].sl, own = indent_cols(b, s);
    for (;;) {
        s = markers_above(b, s, own, bound);
        if (s <= bound || b->pb[s - 1] == SIZE_MAX || b->pb[s - 1] < bound)
            return s;
        /* Blank lines, and comments after blank lines, may stand between
         * an opener and the definition when they open its block. */
        size_t k = b->pb[s - 1];
        if (indent_cols(b, k) == own && is_marker(b, k)) {
            size_t top = markers_above(b, k, own, bound);
            if (top <= bound || b->pb[top - 1] == SIZE_MAX || b->pb[top - 1] < bound)
                return s;
            k = b->pb[top - 1];
        }
        size_t o = opener_start(b, k, own, bound);
        if (o == SIZE_MAX)
            return s;
        s = o;
        own = indent_cols(b, o);
    }
}

/* Does line i name the identifier id as a whole word? */
static int line_names(const builder *b, size_t i, const char *id, size_t idn)
{
    const char *s = b->t + b->start[i], *e = b->t + content_end(b, i);
    for (const char *p = s; idn && (p = memmem(p, (size_t)(e - p), id, idn)); p++)
        if ((p == s || !is_ident(p[-1])) && (p + idn == e || !is_ident(p[idn])))
            return 1;
    return 0;
}

static void trim(const char **p, size_t *n)
{
    while (*n && is_hspace(**p)) {
        (*p)++;
        (*n)--;
    }
    while (*n && is_hspace((*p)[*n - 1]))
        (*n)--;
}

/* How node d is shown in a context: its signature, or else the first line
 * of its span that names it (past decorators), trimmed, on one line. */
static header header_of(const builder *b, int d)
{
    const parse_symbol *s = &b->syms[b->nodes[d].sym];
    const char *p = s->signature ? s->signature : "";
    size_t n = strcspn(p, "\r\n");
    trim(&p, &n);
    if (!n) {
        size_t line = b->nodes[d].sl, idn = s->name ? strlen(s->name) : 0;
        for (size_t i = line; i <= b->nodes[d].el && i < line + HEADER_SCAN; i++)
            if (line_names(b, i, s->name, idn)) {
                line = i;
                break;
            }
        p = b->t + b->start[line];
        n = content_end(b, line) - b->start[line];
        trim(&p, &n);
    }
    if (n > HEADER_MAX) {
        n = HEADER_MAX;
        while (n && ((unsigned char)p[n] & 0xC0) == 0x80)
            n--;
    }
    return (header){p, n};
}

/* ---- chunks --------------------------------------------------------------- */

static int is_major(const parse_symbol *s)
{
    return !s->kind || (strcmp(s->kind, "variable") && strcmp(s->kind, "constant") && strcmp(s->kind, "macro"));
}

/* The context of path entries [0, depth): as many of the innermost as fit. */
static void ctx_build(builder *b, int depth)
{
    size_t total = 0;
    int from = depth;
    while (from > 0) {
        size_t add = b->path[from - 1].n + (from < depth ? 3 : 0);
        if (total + add >= sizeof b->ctx)
            break;
        total += add;
        from--;
    }
    b->ctxn = 0;
    for (int i = from; i < depth; i++) {
        if (i > from) {
            memcpy(b->ctx + b->ctxn, " > ", 3);
            b->ctxn += 3;
        }
        memcpy(b->ctx + b->ctxn, b->path[i].s, b->path[i].n);
        b->ctxn += b->path[i].n;
    }
    b->ctx[b->ctxn] = '\0';
}

static char *dup_or_null(const char *s, size_t n, int *rc)
{
    if (!s || !n)
        return NULL;
    char *d = strndup(s, n);
    if (!d)
        *rc = err_set(CAIRN_ERR_NOMEM, "out of memory copying a chunk symbol or context");
    return d;
}

/* Close the chunk being gathered: record where it starts; the chunk before
 * it ends there. */
static int flush(builder *b)
{
    if (!b->open)
        return CAIRN_OK;
    b->open = 0;
    chunk_list *out = b->out;
    size_t sb = out->n == b->first_out ? 0 : b->psb; /* leading blank lines go in the first chunk */
    if (out->n > b->first_out && sb <= out->items[out->n - 1].start_byte)
        return CAIRN_OK; /* items come in order; should one not, it joins the chunk before */
    if (out->n == out->cap) {
        size_t cap = out->cap ? out->cap * 2 : 16;
        chunk *p = realloc(out->items, cap * sizeof *p);
        if (!p)
            return err_set(CAIRN_ERR_NOMEM, "out of memory growing a chunk list to %zu chunks", cap);
        out->items = p;
        out->cap = cap;
    }
    int who = b->major >= 0 ? b->major : b->any >= 0 ? b->any : b->encl, rc = CAIRN_OK;
    const char *name = NULL;
    if (who >= 0) {
        const parse_symbol *s = &b->syms[b->nodes[who].sym];
        name = s->qualname && s->qualname[0] ? s->qualname : s->name;
    }
    chunk *c = &out->items[out->n];
    c->start_byte = sb;
    c->end_byte = b->len;
    c->start_line = (int)line_of(b, sb) + 1;
    c->end_line = (int)line_of(b, b->len - 1) + 1;
    c->symbol = dup_or_null(name, name ? strlen(name) : 0, &rc);
    c->context = dup_or_null(b->ctx, b->ctxn, &rc);
    if (out->n > b->first_out) {
        chunk *prev = c - 1;
        prev->end_byte = sb;
        prev->end_line = (int)line_of(b, sb - 1) + 1;
    }
    out->n++;
    return rc;
}

static void note_def(builder *b, int d)
{
    if (d < 0)
        return;
    if (b->any < 0)
        b->any = d;
    if (b->major < 0 && is_major(&b->syms[b->nodes[d].sym]))
        b->major = d;
}

/* Bytes [sb, ce) — ce the end of their last non-blank line — as one item. */
static int add_item(builder *b, size_t sb, size_t ce, int def, int encl, int ctx, int level, int flags)
{
    if (b->open) {
        size_t total = ce - b->psb;
        if (b->level == level && (((flags & MERGE) && b->merge && total <= b->target) ||
                                  ((flags & STICKY) && total <= b->cap))) {
            note_def(b, def);
            b->merge &= flags & MERGE;
            return CAIRN_OK;
        }
        int rc = flush(b);
        if (rc)
            return rc;
    }
    b->open = 1;
    b->psb = sb;
    b->level = level;
    b->merge = flags & MERGE;
    b->major = b->any = -1;
    b->encl = encl;
    note_def(b, def);
    ctx_build(b, ctx);
    return CAIRN_OK;
}

/* Lines sl..el (non-blank at both ends) as one item, or as chunk_code's
 * windows when they are over the cap.  A last window much smaller than
 * the target (often a lone "}") joins the one before when both fit. */
static int add_lines(builder *b, size_t sl, size_t el, const item_info *it)
{
    size_t a = b->start[sl], ce = content_end(b, el);
    if (ce - a <= b->cap)
        return add_item(b, a, ce, it->def, it->encl, it->ctx, it->level, it->flags);
    chunk_list_release(&b->tmp);
    int rc = chunk_code(b->t + a, b->start[el + 1] - a, &b->sub, &b->tmp);
    for (size_t k = 0; k < b->tmp.n && !rc; k++) {
        const chunk *w = &b->tmp.items[k];
        size_t ws = a + w->start_byte, we = k + 1 < b->tmp.n ? a + w->end_byte : ce;
        if (k == 0)
            rc = add_item(b, ws, we, it->def, it->encl, it->ctx, it->level, 0);
        else
            rc = add_item(b, ws, we, -1, it->encl_cont, it->ctx_cont, it->level,
                          k + 1 == b->tmp.n && we - ws <= b->target / 4 ? STICKY : 0);
    }
    return rc;
}

/* Lines sl..el trimmed of blank lines at both ends, if any is left. */
static int add_region(builder *b, size_t sl, size_t el, const item_info *it)
{
    size_t s = b->nb[sl];
    if (s > el)
        return CAIRN_OK;
    return add_lines(b, s, b->pb[el], it);
}

typedef struct level {
    int id, encl, ctx;
} level;

static int do_level(builder *b, size_t from, size_t to, int child, int hdr, const level *lv);

/* Definition d on lines s..el (grouped with the definitions sharing its
 * lines when multi). */
static int add_def(builder *b, size_t s, size_t el, int d, int multi, const level *lv)
{
    item_info it = {d, lv->encl, d, lv->ctx, lv->ctx + 1, lv->id, MERGE};
    if (content_end(b, el) - b->start[s] <= b->cap)
        return add_lines(b, s, el, &it);
    b->path[b->depth++] = header_of(b, d);
    int rc;
    if (!multi && b->nodes[d].child >= 0 && lv->ctx + 1 < MAX_DEPTH) {
        level in = {++b->nlevels, d, lv->ctx + 1};
        rc = do_level(b, s, el, b->nodes[d].child, d, &in);
    } else {
        rc = add_lines(b, s, el, &it);
    }
    b->depth--;
    return rc;
}

/* The non-blank lines from..to of one level: the children listed from
 * child on, the code between them, and first, when hdr >= 0, the header
 * of definition hdr whose body this level is. */
static int do_level(builder *b, size_t from, size_t to, int child, int hdr, const level *lv)
{
    size_t pos = from;
    int c = child, rc = CAIRN_OK;
    item_info gap = {-1, lv->encl, lv->encl, lv->ctx, lv->ctx, lv->id, MERGE};
    if (hdr >= 0) {
        /* Children starting on the header's line cannot be cut from it. */
        size_t hel = b->nodes[hdr].sl;
        for (; c >= 0 && b->nodes[c].sl <= hel; c = b->nodes[c].next)
            if (b->nodes[c].el > hel)
                hel = b->nodes[c].el;
        pos = c >= 0 ? attach(b, c, hel + 1) : to + 1;
        item_info head = {hdr, lv->encl, hdr, lv->ctx - 1, lv->ctx, lv->id, MERGE};
        rc = add_region(b, from, pos - 1, &head);
    }
    while (c >= 0 && !rc) {
        int d = c, multi = 0;
        size_t el = b->nodes[d].el;
        for (c = b->nodes[d].next; c >= 0 && b->nodes[c].sl <= el; c = b->nodes[c].next, multi = 1)
            if (b->nodes[c].el > el)
                el = b->nodes[c].el;
        size_t s = attach(b, d, pos);
        if (s > pos)
            rc = add_region(b, pos, s - 1, &gap);
        if (!rc)
            rc = add_def(b, s, el, d, multi, lv);
        pos = el + 1;
    }
    if (!rc && pos <= to) {
        size_t s = b->nb[pos];
        if (hdr >= 0 && s <= to) {
            size_t lines = 0;
            for (size_t i = s; i <= to && lines <= STICKY_LINES; i = b->nb[i + 1])
                lines++;
            if (lines <= STICKY_LINES && content_end(b, to) - b->start[s] <= STICKY_BYTES)
                gap.flags |= STICKY;
        }
        rc = add_region(b, pos, to, &gap);
    }
    return rc;
}

int astchunk_build(const char *text, size_t len, const parse_symbol *symbols, size_t nsymbols,
                   const chunk_opts *o, chunk_list *out)
{
    if (nsymbols > INT_MAX)
        return err_set(CAIRN_ERR_INVALID, "%zu symbols in one file, more than chunks can handle", nsymbols);
    builder b;
    memset(&b, 0, sizeof b);
    b.t = text;
    b.len = len;
    b.syms = symbols;
    b.out = out;
    b.first_out = out->n;
    b.cap = o && o->max_bytes ? o->max_bytes : CHUNK_CODE_BYTES;
    b.target = b.cap / 2;
    b.sub.target_lines = o ? o->target_lines : 0;
    b.sub.max_bytes = b.cap;
    chunk_list_init(&b.tmp);
    int rc = lines_build(&b);
    if (!rc && b.n && b.nb[0] < b.n)
        rc = nodes_build(&b, nsymbols);
    if (!rc && b.n && b.nb[0] < b.n) {
        if (b.root_child < 0) {
            rc = chunk_code(text, len, o, out);
        } else {
            level root = {0, -1, 0};
            rc = do_level(&b, b.nb[0], b.pb[b.n - 1], b.root_child, -1, &root);
            if (!rc)
                rc = flush(&b);
        }
    }
    chunk_list_release(&b.tmp);
    free(b.nodes);
    free(b.start);
    free(b.nb);
    free(b.pb);
    return rc;
}
