/*
 * symbols.h — definitions and references in the index (tables symbols and
 * refs): writing a file's parse results, and the lookups behind `cairn
 * symbol`, `cairn refs` and `cairn outline`.
 *
 * References are stored as written (caller -> callee name and qualifier);
 * they are matched to definitions by name when asked, so answers never go
 * stale when other files change.
 */
#ifndef CAIRN_STORE_SYMBOLS_H
#define CAIRN_STORE_SYMBOLS_H

#include "store/store.h"

#include <stddef.h>
#include <stdint.h>

/* One definition to store.  parent indexes the same array (-1 for none)
 * and must point to an earlier element. */
typedef struct store_sym_in {
    const char *name, *qualname, *kind, *signature, *doc; /* doc may be NULL */
    int start_line, end_line;
    int64_t start_byte, end_byte;
    int parent;
} store_sym_in;

/* One reference to store.  enclosing indexes the definitions array given
 * with it (-1 at top level). */
typedef struct store_ref_in {
    const char *name, *qualifier, *kind; /* qualifier may be NULL */
    int line;
    int64_t start_byte, end_byte;
    int enclosing;
} store_ref_in;

/* Store a file's definitions and references (after store_file_put, which
 * removed the old ones). */
int store_symbols_put(store *s, int64_t file_id, const store_sym_in *syms, size_t nsyms,
                      const store_ref_in *refs, size_t nrefs);

/* A definition as read back.  Every string is owned by the row. */
typedef struct store_sym {
    int64_t id, file_id, parent_id; /* parent_id 0 when none */
    char *root, *path, *lang;
    char *name, *qualname, *kind, *signature, *doc; /* doc may be NULL */
    int start_line, end_line;
    int64_t start_byte, end_byte;
} store_sym;

typedef struct store_sym_list {
    store_sym *items;
    size_t n, cap;
} store_sym_list;

/* Free one row's strings (the row itself is the caller's); accepts NULL. */
void store_sym_release(store_sym *y);

void store_sym_list_init(store_sym_list *l);
void store_sym_list_release(store_sym_list *l);

enum store_sym_match {
    STORE_SYM_EXACT,  /* name or qualname equal, case-sensitive first */
    STORE_SYM_NOCASE, /* name or qualname equal ignoring ASCII case */
    STORE_SYM_PREFIX  /* name or qualname starts with the text (any case) */
};

/* Append up to limit definitions matching text to out, kind filtering
 * when not NULL. */
int store_symbols_find(store *s, const char *text, enum store_sym_match how, const char *kind,
                       int limit, store_sym_list *out);

/* Call fn with every distinct definition name (for fuzzy matching in
 * query/).  The string is valid only during the call; nonzero stops. */
typedef int (*store_name_fn)(void *ctx, const char *name);
int store_symbol_names_each(store *s, store_name_fn fn, void *ctx);

/* Append every definition of file_id in source order. */
int store_symbols_of_file(store *s, int64_t file_id, store_sym_list *out);

/* Append the definitions of file_id that start on lines
 * start_line..end_line, in source order (what a chunk defines). */
int store_symbols_in_lines(store *s, int64_t file_id, int start_line, int end_line,
                           store_sym_list *out);

/* The definition with this id into out (release with store_sym_list_release
 * on a one-element list, or free fields); CAIRN_ERR_NOTFOUND if none. */
int store_symbol_get(store *s, int64_t id, store_sym_list *out);

/* A reference as read back, with where it is and who makes it. */
typedef struct store_ref {
    char *root, *path, *lang;
    char *name, *qualifier, *kind;
    int line;
    int64_t file_id;
    int64_t caller_id;     /* enclosing definition, 0 at top level */
    char *caller;          /* its qualname, or NULL */
    char *caller_kind;     /* its kind, or NULL */
} store_ref;

typedef struct store_ref_list {
    store_ref *items;
    size_t n, cap;
} store_ref_list;

/* Free one row's strings (the row itself is the caller's); accepts NULL. */
void store_ref_release(store_ref *x);

void store_ref_list_init(store_ref_list *l);
void store_ref_list_release(store_ref_list *l);

/* References whose name is name (the last component of what was written),
 * optionally of one kind, at most limit, ordered by path and line. */
int store_refs_to(store *s, const char *name, const char *kind, int limit, store_ref_list *out);

/* References made inside the definition symbol_id (its callees, types and
 * imports), in source order. */
int store_refs_from(store *s, int64_t symbol_id, int limit, store_ref_list *out);

/* ---- the reference graph, for ranking (query/repomap) ---- */

/* A definition as a graph node: no strings beyond its name and path. */
typedef struct store_node {
    int64_t id, file_id, parent_id; /* parent_id 0 when none */
    const char *name, *kind, *path; /* valid only during the callback */
} store_node;

typedef int (*store_node_fn)(void *ctx, const store_node *n);

/* Every definition of the index, ordered by file and position. */
int store_nodes_each(store *s, store_node_fn fn, void *ctx);

/* References grouped by (enclosing definition, name): from_id is 0 for
 * references made at a file's top level, whose file is file_id. */
typedef int (*store_edge_fn)(void *ctx, int64_t from_id, int64_t file_id, const char *name, int count);
int store_edges_each(store *s, store_edge_fn fn, void *ctx);

/* References made on lines start_line..end_line of file_id, in source
 * order (what a chunk of code uses). */
int store_refs_in_lines(store *s, int64_t file_id, int start_line, int end_line, int limit,
                        store_ref_list *out);

/* Find the file at root-relative path rel under the root whose absolute
 * path is root; *file_id 0 and CAIRN_ERR_NOTFOUND when not indexed. */
int store_file_id(store *s, const char *root, const char *rel, int64_t *file_id);

/* The text of line `line` of file_id as indexed (from its chunks), without
 * the line break; *out malloc'd (caller frees).  CAIRN_ERR_NOTFOUND when the
 * line is not in any chunk. */
int store_line_text(store *s, int64_t file_id, int line, char **out);

#endif
