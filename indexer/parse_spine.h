/*
 * parse_spine.h — what parse.c learns about each definition from the
 * nodes around it: the comments just above it (its doc), where its
 * signature starts, and whether it sits inside a node type its pattern
 * excludes.
 *
 * tree-sitter 0.20 has no parent pointers: ts_node_parent and the sibling
 * functions walk down from the root every time, so asking them for every
 * definition costs O(depth) each and O(n^2) on deeply nested files.  The
 * spine walk instead goes down the tree once, in source order, entering
 * only the nodes that contain a definition and keeping the ancestors and
 * the trailing comments of each level on explicit stacks: no recursion,
 * and linear in the nodes it passes.
 */
#ifndef CAIRN_PARSE_SPINE_H
#define CAIRN_PARSE_SPINE_H

#include <stddef.h>
#include <stdint.h>
#include <tree_sitter/api.h>

#define PARSE_MAX_NAMES 3

typedef struct parse_range {
    uint32_t a, b; /* half-open byte offsets */
} parse_range;

/* A definition as the query matched it, before it becomes a parse_symbol. */
typedef struct parse_raw_def {
    TSNode node;
    uint32_t start, end;
    parse_range names[PARSE_MAX_NAMES];
    parse_range scope, body, doc;
    uint8_t nnames, has_scope, has_body, has_doc;
    const char *kind;
    const char *name_sep; /* the pattern's name.sep, or NULL */
    const char *outside;  /* the pattern's outside, or NULL */
    uint32_t pattern;
    /* filled by parse_spine_walk */
    parse_range lead;     /* the comments above it, when has_lead */
    uint8_t has_lead;
    uint8_t dropped;      /* inside a node type its pattern's "outside" lists */
    uint32_t sig_start;   /* where its signature starts (a declaration keyword before it) */
    int sym;              /* index of its symbol once built, -1 when dropped */
} parse_raw_def;

/* Scratch stacks, reused from file to file. */
typedef struct parse_spine {
    struct spine_level *levels;
    size_t cap_levels;
    TSNode *trail;
    size_t cap_trail;
} parse_spine;

void parse_spine_init(parse_spine *s);
void parse_spine_release(parse_spine *s);

/* Fill lead, dropped and sig_start of defs[0..n), which are sorted by
 * start, then by end descending; src is the parsed text.  Errors:
 * CAIRN_ERR_NOMEM. */
int parse_spine_walk(parse_spine *s, TSNode root, parse_raw_def *defs, size_t n, const char *src);

#endif
