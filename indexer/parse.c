/*
 * parse.c — parse a file with tree-sitter, run its language's queries, and
 * turn the matches into definitions and references.
 *
 * Matches are first collected as byte ranges (parse_raw_def, raw_ref), then
 * sorted, deduplicated (two patterns may describe the same node) and
 * assembled: parents by span nesting, qualified names parent first,
 * signatures, doc comments, line numbers, enclosing definitions of
 * references.  Nothing walks the tree recursively: the query cursor
 * iterates, parents and enclosing definitions come from sweeps with an
 * explicit stack, and doc comments and signature starts from one walk down
 * to the definitions (parse_spine.c).
 */
#include "indexer/parse.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <tree_sitter/api.h>

#include "indexer/parse_langs.h"
#include "indexer/parse_spine.h"
#include "indexer/parse_text.h"
#include "util/err.h"

#define SIG_MAX 512
#define DOC_MAX 2048
#define QUALNAME_MAX 1024
#define NAME_MAX_BYTES 512
#define QUALIFIER_MAX 256
/* Parse time bound: a base plus a share per MB of text. */
#define TIMEOUT_BASE_MS 2000
#define TIMEOUT_MS_PER_MB 1000

typedef struct raw_ref {
    parse_range name, qual;
    uint8_t has_qual;
    const char *kind;
} raw_ref;

struct parser {
    TSParser *ts;
    TSQueryCursor *cur;
    parse_lines lines;
    parse_raw_def *defs;
    size_t ndefs, cap_defs;
    raw_ref *refs;
    size_t nrefs, cap_refs;
    int *stack;
    size_t cap_stack;
    parse_range *names; /* name ranges of the kept definitions, sorted */
    size_t nnames, cap_names;
    parse_range package;
    int has_package;
    unsigned base_ms, per_mb_ms; /* parser_set_time_limit */
    char *copy; /* the text prepare_text changed, when it changed it */
    size_t cap_copy;
    parse_spine spine;
};

/* Make room for need elements; the message names the array and its size. */
static int grow(void **arr, size_t *cap, size_t need, size_t elsize, const char *what)
{
    if (need <= *cap)
        return CAIRN_OK;
    size_t ncap = *cap ? *cap : 64;
    while (ncap < need)
        ncap *= 2;
    void *p = realloc(*arr, ncap * elsize);
    if (!p)
        return err_set(CAIRN_ERR_NOMEM, "parse: out of memory for %zu %s", ncap, what);
    *arr = p;
    *cap = ncap;
    return CAIRN_OK;
}

int parser_new(parser **out)
{
    *out = NULL;
    parser *p = calloc(1, sizeof *p);
    if (!p)
        return err_set(CAIRN_ERR_NOMEM, "parser_new: out of memory");
    p->ts = ts_parser_new();
    p->cur = ts_query_cursor_new();
    parse_lines_init(&p->lines);
    parse_spine_init(&p->spine);
    p->base_ms = TIMEOUT_BASE_MS;
    p->per_mb_ms = TIMEOUT_MS_PER_MB;
    if (!p->ts || !p->cur) {
        parser_free(p);
        return err_set(CAIRN_ERR_NOMEM, "parser_new: out of memory");
    }
    *out = p;
    return CAIRN_OK;
}

void parser_free(parser *p)
{
    if (!p)
        return;
    if (p->ts)
        ts_parser_delete(p->ts);
    if (p->cur)
        ts_query_cursor_delete(p->cur);
    parse_lines_release(&p->lines);
    free(p->defs);
    free(p->refs);
    free(p->stack);
    free(p->names);
    free(p->copy);
    parse_spine_release(&p->spine);
    free(p);
}

void parser_set_time_limit(parser *p, unsigned base_ms, unsigned per_mb_ms)
{
    p->base_ms = base_ms;
    p->per_mb_ms = per_mb_ms;
}

int parse_supported(const char *lang)
{
    return parse_lang_find(lang) != NULL;
}

void parse_result_init(parse_result *r)
{
    memset(r, 0, sizeof *r);
}

void parse_result_release(parse_result *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->nsymbols; i++) {
        free(r->symbols[i].name);
        free(r->symbols[i].qualname);
        free(r->symbols[i].signature);
        free(r->symbols[i].doc);
    }
    for (size_t i = 0; i < r->nrefs; i++) {
        free(r->refs[i].name);
        free(r->refs[i].qualifier);
    }
    free(r->symbols);
    free(r->refs);
    parse_result_init(r);
}

static parse_range node_range(TSNode n)
{
    parse_range r = {ts_node_start_byte(n), ts_node_end_byte(n)};
    return r;
}

/* Record one match as a definition, a reference or the package name. */
static int collect_match(parser *p, const parse_query *q, const TSQueryMatch *m)
{
    parse_raw_def d;
    memset(&d, 0, sizeof d);
    const char *ref_kind = NULL;
    parse_range qual = {0, 0};
    int has_qual = 0;
    for (uint16_t i = 0; i < m->capture_count; i++) {
        TSNode n = m->captures[i].node;
        uint32_t id = m->captures[i].index;
        switch (q->roles[id]) {
        case PCAP_DEF:
            d.node = n;
            d.kind = q->kinds[id];
            break;
        case PCAP_REF:
            ref_kind = q->kinds[id];
            break;
        case PCAP_NAME:
            if (d.nnames < PARSE_MAX_NAMES && ts_node_end_byte(n) > ts_node_start_byte(n))
                d.names[d.nnames++] = node_range(n);
            break;
        case PCAP_SCOPE:
            if (!d.has_scope) {
                d.scope = node_range(n);
                d.has_scope = 1;
            }
            break;
        case PCAP_BODY:
            d.body = node_range(n);
            d.has_body = 1;
            break;
        case PCAP_DOC:
            d.doc = node_range(n);
            d.has_doc = 1;
            break;
        case PCAP_QUALIFIER:
            qual = node_range(n);
            has_qual = 1;
            break;
        case PCAP_PACKAGE:
            p->package = node_range(n);
            p->has_package = 1;
            break;
        default:
            break;
        }
    }
    if (d.nnames == 0)
        return CAIRN_OK;
    /* captures come in pattern order; names are joined in source order */
    for (int i = 1; i < d.nnames; i++)
        for (int j = i; j > 0 && d.names[j].a < d.names[j - 1].a; j--) {
            parse_range t = d.names[j];
            d.names[j] = d.names[j - 1];
            d.names[j - 1] = t;
        }
    if (d.kind) {
        int rc = grow((void **)&p->defs, &p->cap_defs, p->ndefs + 1, sizeof *p->defs, "definitions");
        if (rc)
            return rc;
        d.start = ts_node_start_byte(d.node);
        d.end = ts_node_end_byte(d.node);
        d.name_sep = q->patterns[m->pattern_index].name_sep;
        d.outside = q->patterns[m->pattern_index].outside;
        d.pattern = m->pattern_index;
        p->defs[p->ndefs++] = d;
    } else if (ref_kind) {
        int rc = grow((void **)&p->refs, &p->cap_refs, p->nrefs + 1, sizeof *p->refs, "references");
        if (rc)
            return rc;
        raw_ref *r = &p->refs[p->nrefs++];
        r->name = d.names[0];
        r->qual = qual;
        r->has_qual = (uint8_t)has_qual;
        r->kind = ref_kind;
    }
    return CAIRN_OK;
}

static int collect(parser *p, const parse_query *q, TSNode root, const char *src)
{
    p->ndefs = p->nrefs = 0;
    p->has_package = 0;
    ts_query_cursor_exec(p->cur, q->ts, root);
    TSQueryMatch m;
    while (ts_query_cursor_next_match(p->cur, &m)) {
        if (!parse_query_accepts(q, &m, src))
            continue;
        int rc = collect_match(p, q, &m);
        if (rc)
            return rc;
    }
    return CAIRN_OK;
}

static int cmp_def(const void *x, const void *y)
{
    const parse_raw_def *a = x, *b = y;
    if (a->start != b->start)
        return a->start < b->start ? -1 : 1;
    if (a->end != b->end)
        return a->end > b->end ? -1 : 1;
    if (a->names[0].a != b->names[0].a)
        return a->names[0].a < b->names[0].a ? -1 : 1;
    return a->pattern < b->pattern ? -1 : a->pattern > b->pattern;
}

/* Sort the definitions and drop a later pattern's duplicate of one node. */
static void sort_defs(parser *p)
{
    if (p->ndefs == 0)
        return;
    qsort(p->defs, p->ndefs, sizeof *p->defs, cmp_def);
    size_t k = 0;
    for (size_t i = 0; i < p->ndefs; i++) {
        if (k > 0) {
            const parse_raw_def *prev = &p->defs[k - 1], *d = &p->defs[i];
            if (prev->start == d->start && prev->end == d->end && prev->names[0].a == d->names[0].a)
                continue;
        }
        p->defs[k++] = p->defs[i];
    }
    p->ndefs = k;
}

/* parent may enclose child: it holds child's span (not the same span) and
 * child starts after parent's name, so that a typedef's or a variable's
 * inline struct is not its member. */
static int encloses(const parse_raw_def *parent, const parse_raw_def *child)
{
    if (parent->start == child->start && parent->end == child->end)
        return 0;
    return parent->start <= child->start && child->end <= parent->end &&
           child->start >= parent->names[parent->nnames - 1].b;
}

static int is_class_like(const char *kind)
{
    return strcmp(kind, "class") == 0 || strcmp(kind, "struct") == 0 || strcmp(kind, "interface") == 0 ||
           strcmp(kind, "trait") == 0 || strcmp(kind, "impl") == 0 || strcmp(kind, "union") == 0 ||
           strcmp(kind, "enum") == 0;
}

static int is_upper_name(const char *s)
{
    int letters = 0;
    for (; *s; s++) {
        if (*s >= 'a' && *s <= 'z')
            return 0;
        letters += *s >= 'A' && *s <= 'Z';
    }
    return letters > 0;
}

static char *dup_sb(const parse_sb *b)
{
    char *s = malloc(b->len + 1);
    if (s)
        memcpy(s, b->s, b->len + 1);
    return s;
}

static int is_comment(TSNode n)
{
    return strstr(ts_node_type(n), "comment") != NULL;
}

/* Where the head of d ends: the end of its last child before the body
 * that is not a comment ("module M # note" stops after "M"). */
static uint32_t head_end(const parse_raw_def *d)
{
    uint32_t end = d->start;
    TSTreeCursor c = ts_tree_cursor_new(d->node);
    if (ts_tree_cursor_goto_first_child(&c)) {
        do {
            TSNode k = ts_tree_cursor_current_node(&c);
            if (ts_node_start_byte(k) >= d->body.a)
                break;
            if (!is_comment(k) && ts_node_end_byte(k) > end)
                end = ts_node_end_byte(k);
        } while (ts_tree_cursor_goto_next_sibling(&c));
    }
    ts_tree_cursor_delete(&c);
    return end > d->body.a || end == d->start ? d->body.a : end;
}

static void add_signature(parse_sb *sig, const parse_raw_def *d, const char *src)
{
    uint32_t start = d->sig_start, end = d->has_body ? head_end(d) : d->end;
    parse_sb_add_collapsed(sig, src + start, end - start);
    parse_sb_rtrim(sig);
    while (sig->len > 0 && !sig->full && strchr("{:;", sig->s[sig->len - 1])) {
        sig->s[--sig->len] = '\0';
        parse_sb_rtrim(sig);
    }
    if (d->has_body && d->body.b < d->end && !sig->full) {
        char tb[SIG_MAX + 1];
        parse_sb tail;
        parse_sb_init(&tail, tb, sizeof tb);
        parse_sb_add_collapsed(&tail, src + d->body.b, d->end - d->body.b);
        parse_sb_rtrim(&tail);
        while (tail.len > 0 && tail.s[tail.len - 1] == ';') {
            tail.s[--tail.len] = '\0';
            parse_sb_rtrim(&tail);
        }
        /* "typedef struct {...} name": only a name after the body, not the
         * rest of a list ("macro_rules! m { (a) => {...} (b) => ... }") */
        const char *t0 = tail.s[0] == ' ' ? tail.s + 1 : tail.s;
        if (tail.len > 0 && (isalnum((unsigned char)t0[0]) || t0[0] == '_') && strcmp(t0, "end") != 0) {
            parse_sb_adds(sig, " {\xE2\x80\xA6} ");
            parse_sb_add(sig, tail.s[0] == ' ' ? tail.s + 1 : tail.s, tail.len - (tail.s[0] == ' '));
        }
    }
    if (sig->len == 0) {
        uint32_t e = d->start;
        while (e < d->end && src[e] != '\n' && src[e] != '\r')
            e++;
        parse_sb_add_collapsed(sig, src + d->start, e - d->start);
        parse_sb_rtrim(sig);
    }
}

/* A name node's text can be a whole misparsed region ("FOO(a); // x\n
 * FOO(b); ..."), or a declarator whose "::" got lost after an export macro
 * ("GTEST_API_ AssertionResult Cmp(...)" gives "AssertionResult Cmp").
 * Names hold no line break, ';' or brace: 0 for those; spaces outside
 * quotes, template arguments and C++ operators ("operator new") leave the
 * last word, in *s and *n. */
static int usable_name(const char **s, size_t *n)
{
    const char *t = *s;
    size_t len = *n, word = 0;
    int quoted = len >= 2 && strchr("\"'`", t[0]) && t[len - 1] == t[0];
    int op = memmem(t, len, "operator", 8) != NULL;
    int depth = 0;
    for (size_t i = 0; i < len; i++) {
        char c = t[i];
        if (c == '\n' || c == '\r' || c == ';' || c == '{' || c == '}')
            return 0;
        if (c == '<' || c == '(' || c == '[')
            depth++;
        else if ((c == '>' || c == ')' || c == ']') && depth > 0)
            depth--;
        else if ((c == ' ' || c == '\t') && !quoted && !op && depth == 0)
            word = i + 1;
    }
    *s = t + word;
    *n = len - word;
    return *n > 0;
}

/* Fill s's name, qualname and kind from d (parent already built). */
static int name_symbol(parser *p, const parse_lang *l, const char *src, const parse_raw_def *d,
                       parse_symbol *s, const parse_symbol *parent)
{
    char nb[NAME_MAX_BYTES + 1], qb[QUALNAME_MAX + 1];
    parse_sb name, qual;
    parse_sb_init(&name, nb, sizeof nb);
    parse_sb_init(&qual, qb, sizeof qb);
    parse_range inner_scope = {0, 0};
    const char *texts[PARSE_MAX_NAMES];
    size_t lens[PARSE_MAX_NAMES];
    for (int i = 0; i < d->nnames; i++) {
        texts[i] = src + d->names[i].a;
        lens[i] = d->names[i].b - d->names[i].a;
        if (!usable_name(&texts[i], &lens[i]))
            return CAIRN_ERR_NOTFOUND;
    }
    if (d->nnames == 1) {
        const char *t = texts[0];
        size_t n = lens[0];
        if (n >= 2 && strchr("\"'`", t[0]) && t[n - 1] == t[0]) {
            /* a quoted name: { "key": ... }, declare module "mod" */
            t++;
            n -= 2;
        }
        long k = parse_text_last_sep(t, n, l->seps);
        if (k > 0) {
            inner_scope.a = (uint32_t)(t - src);
            inner_scope.b = inner_scope.a + (uint32_t)k;
            size_t skip = (size_t)k + strlen(l->seps);
            parse_text_add_plain_name(&name, t + skip, n - skip, l->seps);
        } else {
            parse_text_add_plain_name(&name, t, n, l->seps);
        }
    } else {
        for (int i = 0; i < d->nnames; i++) {
            if (i > 0)
                parse_sb_adds(&name, d->name_sep ? d->name_sep : " ");
            parse_text_add_plain_name(&name, texts[i], lens[i], l->seps);
        }
    }
    if (name.len == 0)
        return CAIRN_ERR_NOTFOUND;
    if (parent)
        parse_sb_adds(&qual, parent->qualname);
    else if (p->has_package)
        parse_text_add_plain_name(&qual, src + p->package.a, p->package.b - p->package.a, l->seps);
    const parse_range *scopes[2] = {d->has_scope ? &d->scope : NULL, inner_scope.b ? &inner_scope : NULL};
    for (int i = 0; i < 2; i++) {
        if (!scopes[i])
            continue;
        if (qual.len > 0)
            parse_sb_add(&qual, ".", 1);
        parse_text_add_plain_name(&qual, src + scopes[i]->a, scopes[i]->b - scopes[i]->a, l->seps);
    }
    if (qual.len > 0 && qual.s[qual.len - 1] != '.')
        parse_sb_add(&qual, ".", 1);
    parse_sb_add(&qual, name.s, name.len);

    s->kind = d->kind;
    /* in a class, or defined out of it: "int Widget::size() { ... }" */
    if (strcmp(s->kind, "function") == 0 && ((parent && is_class_like(parent->kind)) || inner_scope.b))
        s->kind = "method";
    else if (strcmp(s->kind, "variable") == 0 && is_upper_name(name.s))
        s->kind = "constant";
    s->name = dup_sb(&name);
    s->qualname = dup_sb(&qual);
    if (!s->name || !s->qualname)
        return err_set(CAIRN_ERR_NOMEM, "parse: out of memory for a symbol name");
    return CAIRN_OK;
}

static int build_symbols(parser *p, const parse_lang *l, TSNode root, const char *src, size_t off,
                         parse_result *out)
{
    sort_defs(p);
    if (p->ndefs == 0)
        return CAIRN_OK;
    int rc = parse_spine_walk(&p->spine, root, p->defs, p->ndefs, src);
    if (rc)
        return rc;
    out->symbols = calloc(p->ndefs, sizeof *out->symbols);
    if (!out->symbols)
        return err_set(CAIRN_ERR_NOMEM, "parse: out of memory for %zu symbols", p->ndefs);
    rc = grow((void **)&p->stack, &p->cap_stack, p->ndefs, sizeof *p->stack, "open definitions");
    if (rc)
        return rc;
    size_t sp = 0; /* p->stack: raw indices of the open definitions, outermost first */
    for (size_t i = 0; i < p->ndefs; i++) {
        parse_raw_def *d = &p->defs[i];
        d->sym = -1;
        if (d->dropped)
            continue;
        while (sp > 0 && !encloses(&p->defs[p->stack[sp - 1]], d))
            sp--;
        int parent = sp > 0 ? p->defs[p->stack[sp - 1]].sym : -1;
        parse_symbol *s = &out->symbols[out->nsymbols];
        rc = name_symbol(p, l, src, d, s, parent >= 0 ? &out->symbols[parent] : NULL);
        if (rc == CAIRN_ERR_NOTFOUND)
            continue; /* no usable name: a misparse, or only template arguments */
        out->nsymbols++;
        if (rc)
            return rc;
        s->parent = parent;
        s->start_byte = d->start + off;
        s->end_byte = d->end + off;
        s->start_line = parse_lines_at(&p->lines, s->start_byte);
        s->end_line = parse_lines_at(&p->lines, s->end_byte > s->start_byte ? s->end_byte - 1 : s->start_byte);
        s->name_line = parse_lines_at(&p->lines, d->names[0].a + off);

        char sb[SIG_MAX + 1], db[DOC_MAX + 1];
        parse_sb sig, doc;
        parse_sb_init(&sig, sb, sizeof sb);
        add_signature(&sig, d, src);
        parse_sb_init(&doc, db, sizeof db);
        if (d->has_doc)
            parse_text_add_docstring(&doc, src + d->doc.a, d->doc.b - d->doc.a);
        if (doc.len == 0 && d->has_lead)
            parse_text_add_comment(&doc, src + d->lead.a, d->lead.b - d->lead.a);
        parse_sb_rtrim(&doc);
        s->signature = dup_sb(&sig);
        s->doc = doc.len > 0 ? dup_sb(&doc) : NULL;
        if (!s->signature || (doc.len > 0 && !s->doc))
            return err_set(CAIRN_ERR_NOMEM, "parse: out of memory for a signature");
        d->sym = (int)(out->nsymbols - 1);
        p->stack[sp++] = (int)i;
    }
    return CAIRN_OK;
}

static int cmp_range(const void *x, const void *y)
{
    const parse_range *a = x, *b = y;
    if (a->a != b->a)
        return a->a < b->a ? -1 : 1;
    return a->b < b->b ? -1 : a->b > b->b;
}

static int cmp_ref(const void *x, const void *y)
{
    const raw_ref *a = x, *b = y;
    int c = cmp_range(&a->name, &b->name);
    if (c)
        return c;
    return strcmp(a->kind, b->kind);
}

/* 1 when r is the name of a kept definition (a struct's own name is not a
 * use of its type). */
static int is_def_name(const parser *p, parse_range r)
{
    size_t lo = 0, hi = p->nnames;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = cmp_range(&p->names[mid], &r);
        if (c == 0)
            return 1;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return 0;
}

static int collect_def_names(parser *p)
{
    size_t n = 0;
    /* an impl block's names are uses of its trait and type */
    for (size_t i = 0; i < p->ndefs; i++)
        if (p->defs[i].sym >= 0 && strcmp(p->defs[i].kind, "impl") != 0)
            n += p->defs[i].nnames;
    int rc = grow((void **)&p->names, &p->cap_names, n, sizeof *p->names, "definition names");
    if (rc)
        return rc;
    p->nnames = 0;
    for (size_t i = 0; i < p->ndefs; i++)
        if (p->defs[i].sym >= 0 && strcmp(p->defs[i].kind, "impl") != 0)
            for (int k = 0; k < p->defs[i].nnames; k++)
                p->names[p->nnames++] = p->defs[i].names[k];
    if (p->nnames > 0)
        qsort(p->names, p->nnames, sizeof *p->names, cmp_range);
    return CAIRN_OK;
}

static char *dup_range(const char *s, size_t n)
{
    char *d = malloc(n + 1);
    if (d) {
        memcpy(d, s, n);
        d[n] = '\0';
    }
    return d;
}

/* Fill name and qualifier of a reference.  Import and include paths lose
 * their quotes and split at the last '/', other names at the language's
 * separator; an explicit @qualifier comes first. */
static int name_ref(const parse_lang *l, const char *src, const raw_ref *r, parse_ref *o)
{
    const char *t = src + r->name.a;
    size_t n = r->name.b - r->name.a;
    int is_path = strcmp(r->kind, "import") == 0 || strcmp(r->kind, "include") == 0;
    if (is_path && n >= 2 && strchr("\"'`<", t[0]) && strchr("\"'`>", t[n - 1])) {
        t++;
        n -= 2;
    }
    const char *sep = l->seps;
    long k = -1;
    if (is_path)
        for (size_t i = n; i-- > 0;)
            if (t[i] == '/') {
                k = (long)i;
                sep = "/";
                break;
            }
    if (k < 0) {
        sep = l->seps;
        k = parse_text_last_sep(t, n, sep);
    }
    char nb[NAME_MAX_BYTES + 1], qb[QUALIFIER_MAX + 1];
    parse_sb name, qual;
    parse_sb_init(&name, nb, sizeof nb);
    parse_sb_init(&qual, qb, sizeof qb);
    size_t skip = k > 0 ? (size_t)k + strlen(sep) : 0;
    if (is_path)
        parse_sb_add_collapsed(&name, t + skip, n - skip);
    else
        parse_text_add_plain_name(&name, t + skip, n - skip, l->seps);
    if (r->has_qual)
        parse_sb_add_collapsed(&qual, src + r->qual.a, r->qual.b - r->qual.a);
    if (k > 0) {
        if (qual.len > 0)
            parse_sb_adds(&qual, sep);
        parse_sb_add_collapsed(&qual, t, (size_t)k);
    }
    parse_sb_rtrim(&qual);
    if (name.len == 0)
        return CAIRN_ERR_NOTFOUND;
    o->name = dup_range(name.s, name.len);
    o->qualifier = qual.len > 0 ? dup_range(qual.s, qual.len) : NULL;
    if (!o->name || (qual.len > 0 && !o->qualifier))
        return err_set(CAIRN_ERR_NOMEM, "parse: out of memory for a reference");
    return CAIRN_OK;
}

static int build_refs(parser *p, const parse_lang *l, const char *src, size_t off, parse_result *out)
{
    if (p->nrefs == 0)
        return CAIRN_OK;
    int rc = collect_def_names(p);
    if (rc)
        return rc;
    qsort(p->refs, p->nrefs, sizeof *p->refs, cmp_ref);
    out->refs = calloc(p->nrefs, sizeof *out->refs);
    if (!out->refs)
        return err_set(CAIRN_ERR_NOMEM, "parse: out of memory for %zu references", p->nrefs);
    /* p->stack: symbol indices of the definitions open at the reference,
     * each enclosing the next; symbols are in start order. */
    size_t sp = 0, next = 0;
    for (size_t i = 0; i < p->nrefs; i++) {
        const raw_ref *r = &p->refs[i];
        if (i > 0 && cmp_ref(r, &p->refs[i - 1]) == 0)
            continue;
        if (is_def_name(p, r->name))
            continue;
        size_t at = r->name.a + off;
        while (next < out->nsymbols && out->symbols[next].start_byte <= at) {
            const parse_symbol *s = &out->symbols[next];
            while (sp > 0 && !(out->symbols[p->stack[sp - 1]].start_byte <= s->start_byte &&
                               s->end_byte <= out->symbols[p->stack[sp - 1]].end_byte))
                sp--;
            p->stack[sp++] = (int)next++;
        }
        while (sp > 0 && out->symbols[p->stack[sp - 1]].end_byte <= at)
            sp--;
        parse_ref *o = &out->refs[out->nrefs];
        rc = name_ref(l, src, r, o);
        if (rc == CAIRN_ERR_NOTFOUND)
            continue;
        out->nrefs++;
        if (rc)
            return rc;
        o->kind = r->kind;
        o->start_byte = at;
        o->end_byte = r->name.b + off;
        o->line = parse_lines_at(&p->lines, at);
        o->enclosing = sp > 0 ? p->stack[sp - 1] : -1;
    }
    return CAIRN_OK;
}

/* The text tree-sitter should see: src itself, or a copy with the same
 * offsets where lone "\r" line breaks (old Mac files, which the grammars'
 * scanners do not count as line ends) become "\n", and, for C and C++,
 * the export macros of class heads, the macro invocations standing alone
 * on their lines and the annotation macros after parameter lists become
 * spaces: every node still points at the right bytes of src. */
static int prepare_text(parser *p, const parse_lang *l, const char *src, size_t n, const char **out)
{
    *out = src;
    const char *cr = memchr(src, '\r', n);
    while (cr && (size_t)(cr - src) + 1 < n && cr[1] == '\n')
        cr = memchr(cr + 2, '\r', n - (size_t)(cr + 2 - src));
    size_t alen = 0, blen = 0, clen = 0;
    long a = -1, b = -1, c = -1;
    if (l->c_macros) {
        a = parse_text_class_macro(src, n, 0, &alen);
        b = parse_text_statement_macro(src, n, 0, &blen);
        c = parse_text_trailing_macro(src, n, 0, &clen);
    }
    if (!cr && a < 0 && b < 0 && c < 0)
        return CAIRN_OK;
    int rc = grow((void **)&p->copy, &p->cap_copy, n + 1, 1, "bytes of text");
    if (rc)
        return rc;
    memcpy(p->copy, src, n);
    if (cr)
        for (size_t i = (size_t)(cr - src); i < n; i++)
            if (p->copy[i] == '\r' && (i + 1 == n || p->copy[i + 1] != '\n'))
                p->copy[i] = '\n';
    for (; a >= 0; a = parse_text_class_macro(p->copy, n, (size_t)a + alen, &alen))
        memset(p->copy + a, ' ', alen);
    for (; b >= 0; b = parse_text_statement_macro(p->copy, n, (size_t)b + blen, &blen))
        memset(p->copy + b, ' ', blen);
    for (; c >= 0; c = parse_text_trailing_macro(p->copy, n, (size_t)c + clen, &clen))
        memset(p->copy + c, ' ', clen);
    *out = p->copy;
    return CAIRN_OK;
}

int parse_file(parser *p, const char *lang, const char *text, size_t len, parse_result *out)
{
    parse_result_init(out);
    const parse_lang *l = parse_lang_find(lang);
    if (!l)
        return err_set(CAIRN_ERR_NOTFOUND, "parse: no grammar for language %s", lang ? lang : "(none)");
    if (len >= UINT32_MAX)
        return err_set(CAIRN_ERR_TOOBIG, "parse: %zu bytes of %s is past tree-sitter's 4 GiB", len, lang);
    if (!text) {
        if (len > 0)
            return err_set(CAIRN_ERR_INVALID, "parse: no text for %zu bytes of %s", len, lang);
        text = "";
    }
    const parse_query *q;
    int rc = parse_lang_query(l, &q);
    if (rc)
        return rc;
    size_t off = len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    const char *src = text + off;
    if (!ts_parser_set_language(p->ts, l->grammar()))
        return err_set(CAIRN_ERR_VERSION, "parse: the %s grammar's ABI does not match libtree-sitter", lang);
    /* 0 means no bound to tree-sitter too; a bound that rounds to 0 stays 1 us */
    uint64_t us = (uint64_t)p->base_ms * 1000 + (uint64_t)p->per_mb_ms * len / 1000;
    ts_parser_set_timeout_micros(p->ts, us == 0 && (p->base_ms || p->per_mb_ms) ? 1 : us);
    const char *parse_src;
    rc = prepare_text(p, l, src, len - off, &parse_src);
    if (rc)
        return rc;
    TSTree *tree = ts_parser_parse_string(p->ts, NULL, parse_src, (uint32_t)(len - off));
    if (!tree) {
        ts_parser_reset(p->ts);
        out->timed_out = 1;
        return CAIRN_OK;
    }
    TSNode root = ts_tree_root_node(tree);
    out->had_errors = ts_node_has_error(root);
    rc = collect(p, q, root, src);
    if (rc == CAIRN_OK)
        rc = parse_lines_build(&p->lines, text, len);
    if (rc == CAIRN_OK)
        rc = build_symbols(p, l, root, src, off, out);
    if (rc == CAIRN_OK)
        rc = build_refs(p, l, src, off, out);
    ts_tree_delete(tree);
    return rc;
}
