/*
 * parse_spine.c — one walk down the tree to every definition, for its
 * doc comment, signature start and excluded ancestors.
 */
#include "indexer/parse_spine.h"

#include <stdlib.h>
#include <string.h>

#include "util/err.h"

#define MAX_CLIMB 64      /* ancestors looked at for a pattern's "outside" list */
#define MAX_WRAPPERS 4    /* wrapping declarations climbed for a doc comment */
#define MAX_TRAIL 64      /* trailing comments kept per level */

/* One level of the walk: the node whose children are being visited, and
 * what came before the current child among them. */
typedef struct spine_level {
    TSNode node;
    uint32_t trail_at, trail_len; /* comments and attributes just before the child, in s->trail */
    uint8_t seen_other;           /* a named child that is neither came before */
    uint8_t seen_named;           /* any named child came before */
} spine_level;

/* Nodes between a definition and the comment above it. */
static const char *const wrappers[] = {
    "decorated_definition", "export_statement", "template_declaration", "ambient_declaration",
    "lexical_declaration", "variable_declaration", "expression_statement", "type_declaration",
    "const_declaration", "var_declaration", "declaration", "assignment", "body_statement", "block", NULL,
};
/* Declarations whose keyword belongs in the signature of their first
 * declarator: "const f = () =>", "type T struct". */
static const char *const keyword_wrappers[] = {
    "lexical_declaration", "variable_declaration", "type_declaration", "const_declaration",
    "var_declaration", NULL,
};
/* Siblings between a definition and its comment that belong to the definition. */
static const char *const attributes[] = {"attribute_item", "decorator", "attribute_declaration", NULL};

void parse_spine_init(parse_spine *s)
{
    memset(s, 0, sizeof *s);
}

void parse_spine_release(parse_spine *s)
{
    if (!s)
        return;
    free(s->levels);
    free(s->trail);
    parse_spine_init(s);
}

static int grow(void **arr, size_t *cap, size_t need, size_t elsize)
{
    if (need <= *cap)
        return CAIRN_OK;
    size_t ncap = *cap ? *cap : 64;
    while (ncap < need)
        ncap *= 2;
    void *p = realloc(*arr, ncap * elsize);
    if (!p)
        return err_set(CAIRN_ERR_NOMEM, "parse: out of memory for a tree walk %zu deep", need);
    *arr = p;
    *cap = ncap;
    return CAIRN_OK;
}

static int is_type(TSNode n, const char *const *types)
{
    const char *t = ts_node_type(n);
    for (size_t i = 0; types[i]; i++)
        if (strcmp(t, types[i]) == 0)
            return 1;
    return 0;
}

static int is_comment(TSNode n)
{
    return strstr(ts_node_type(n), "comment") != NULL;
}

/* 1 when the type of n is a word of list (space-separated). */
static int listed(TSNode n, const char *list)
{
    const char *t = ts_node_type(n);
    size_t k = strlen(t);
    for (const char *p = strstr(list, t); p; p = strstr(p + 1, t))
        if ((p == list || p[-1] == ' ') && (p[k] == ' ' || p[k] == '\0'))
            return 1;
    return 0;
}

/* The comment starts its line (it is not a trailing comment of the code before it). */
static int starts_line(const char *src, uint32_t at)
{
    while (at > 0 && (src[at - 1] == ' ' || src[at - 1] == '\t'))
        at--;
    return at == 0 || src[at - 1] == '\n' || src[at - 1] == '\r';
}

/* The comments of trail[0..n) right above a node starting on top_row
 * (through attributes): 1 and their span in *out, or 0, with *bare set
 * when the trail held nothing but those attributes. */
static int comments_above(const TSNode *trail, uint32_t n, uint32_t top_row, const char *src,
                          parse_range *out, int *bare)
{
    uint32_t i = n;
    while (i > 0 && is_type(trail[i - 1], attributes) && ts_node_end_point(trail[i - 1]).row + 1 >= top_row)
        top_row = ts_node_start_point(trail[--i]).row;
    *bare = i == 0;
    uint32_t last = i;
    while (i > 0 && is_comment(trail[i - 1]) && ts_node_end_point(trail[i - 1]).row + 1 >= top_row &&
           starts_line(src, ts_node_start_byte(trail[i - 1])))
        top_row = ts_node_start_point(trail[--i]).row;
    if (i == last)
        return 0;
    out->a = ts_node_start_byte(trail[i]);
    out->b = ts_node_end_byte(trail[last - 1]);
    return 1;
}

/* Fill d's context; the def node is the current child of levels[depth]. */
static void describe(parse_spine *s, size_t depth, parse_raw_def *d, const char *src)
{
    const spine_level *lv = &s->levels[depth];
    d->sig_start = d->start;
    if (is_type(lv->node, keyword_wrappers) && !lv->seen_named) {
        uint32_t ps = ts_node_start_byte(lv->node);
        if (!memchr(src + ps, '(', d->start - ps)) /* not for a group: "const (" */
            d->sig_start = ps;
    }
    if (d->outside) {
        for (size_t k = 0; k < MAX_CLIMB && k <= depth; k++)
            if (listed(s->levels[depth - k].node, d->outside)) {
                d->dropped = 1;
                return;
            }
    }
    uint32_t top_row = ts_node_start_point(d->node).row;
    for (size_t k = 0; k < MAX_WRAPPERS && k <= depth; k++) {
        const spine_level *l = &s->levels[depth - k];
        int bare;
        if (comments_above(s->trail + l->trail_at, l->trail_len, top_row, src, &d->lead, &bare)) {
            d->has_lead = 1;
            return;
        }
        /* only a definition that opens its wrapper (after decorators) takes
         * the wrapper's comment */
        if (!bare || l->seen_other || depth == k || !is_type(l->node, wrappers))
            return;
        top_row = ts_node_start_point(l->node).row;
    }
}

/* Record child, just passed at level lv, in the level's trail. */
static int pass(parse_spine *s, spine_level *lv, TSNode child)
{
    if (!ts_node_is_named(child))
        return CAIRN_OK;
    lv->seen_named = 1;
    if (!is_comment(child) && !is_type(child, attributes)) {
        lv->trail_len = 0;
        lv->seen_other = 1;
        return CAIRN_OK;
    }
    if (lv->trail_len == MAX_TRAIL) {
        memmove(s->trail + lv->trail_at, s->trail + lv->trail_at + 1, (MAX_TRAIL - 1) * sizeof *s->trail);
        lv->trail_len--;
    }
    int rc = grow((void **)&s->trail, &s->cap_trail, lv->trail_at + lv->trail_len + 1, sizeof *s->trail);
    if (rc)
        return rc;
    s->trail[lv->trail_at + lv->trail_len++] = child;
    return CAIRN_OK;
}

static int push(parse_spine *s, size_t depth, TSNode node)
{
    int rc = grow((void **)&s->levels, &s->cap_levels, depth + 1, sizeof *s->levels);
    if (rc)
        return rc;
    spine_level *lv = &s->levels[depth];
    const spine_level *up = depth > 0 ? &s->levels[depth - 1] : NULL;
    lv->node = node;
    lv->trail_at = up ? up->trail_at + up->trail_len : 0;
    lv->trail_len = 0;
    lv->seen_other = lv->seen_named = 0;
    return CAIRN_OK;
}

int parse_spine_walk(parse_spine *s, TSNode root, parse_raw_def *defs, size_t n, const char *src)
{
    for (size_t i = 0; i < n; i++) {
        defs[i].sig_start = defs[i].start;
        defs[i].has_lead = defs[i].dropped = 0;
    }
    size_t i = 0, depth = 0;
    int rc = push(s, 0, root);
    TSTreeCursor c = ts_tree_cursor_new(root);
    int more = rc == CAIRN_OK && ts_tree_cursor_goto_first_child(&c);
    while (more && i < n) {
        TSNode node = ts_tree_cursor_current_node(&c);
        uint32_t ns = ts_node_start_byte(node), ne = ts_node_end_byte(node);
        parse_raw_def *d = &defs[i];
        if (d->node.id == node.id && d->start == ns) {
            describe(s, depth, d, src);
            i++;
            continue; /* the next definition may share the node or lie inside it */
        }
        if (d->start < ns) {
            i++; /* not reachable from here (cannot happen in a well-formed tree) */
            continue;
        }
        if (d->end <= ne && d->start < ne) {
            rc = push(s, depth + 1, node);
            if (rc)
                break;
            if (ts_tree_cursor_goto_first_child(&c)) {
                depth++;
                continue;
            }
            i++; /* a leaf holding the definition's start: it is not a node of this tree */
            continue;
        }
        /* move on: to the next sibling, or up until there is one */
        for (;;) {
            rc = pass(s, &s->levels[depth], ts_tree_cursor_current_node(&c));
            if (rc || ts_tree_cursor_goto_next_sibling(&c))
                break;
            if (depth == 0 || !ts_tree_cursor_goto_parent(&c)) {
                more = 0;
                break;
            }
            depth--;
        }
        if (rc)
            break;
    }
    ts_tree_cursor_delete(&c);
    return rc;
}
