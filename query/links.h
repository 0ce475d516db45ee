/*
 * links.h — the link graph of a writing archive: what a document links
 * to and what links to it.
 *
 * Links are stored as written (store/docs.h); they are resolved here,
 * against what the index holds now, so a note added later resolves the
 * links that were waiting for it.  A link leads to the indexed document
 * (same root) found first by:
 *   path   its root-relative path as written, then with ".md" added
 *          (extension-less links), with ".html"/".htm" swapped for ".md"
 *          (links to a site's rendered pages), or with "/index.md" or
 *          "/README.md" added (links to a folder);
 *   name   wiki links: "[[Note]]" is the document whose file name without
 *          extension is "Note" (nearest to the linking note, then shortest
 *          path), then one titled "Note" (case ignored);
 *   url    external URLs: the document whose canonical URL it is, else the
 *          document whose path ends the URL's path (two segments at least:
 *          https://site/til/sqlite/fts -> sqlite/fts.md), so links between
 *          the published copies of notes count.
 * Incoming links are the links of the root whose resolution is the
 * document (links from a document to itself are left out).
 */
#ifndef CAIRN_QUERY_LINKS_H
#define CAIRN_QUERY_LINKS_H

#include "query/resolve.h"
#include "store/store.h"

#include <stddef.h>
#include <stdint.h>

typedef struct links_item {
    char *path;        /* outgoing: the document it leads to, or NULL (external or missing);
                          incoming: the linking document */
    char *title;       /* that document's title, or NULL */
    int line;          /* where the link is written (in the linking document) */
    char *kind;        /* "markdown", "wiki", "html", "org", "rst", "asciidoc" or "url" */
    char *target;      /* as written */
    char *text;        /* link text, or NULL */
    const char *how;   /* static: "path", "name", "title", "url" or NULL when unresolved */
    int internal;      /* outgoing: the target is a path in the archive (resolved or not) */
} links_item;

typedef struct links_result {
    char *root, *path, *title; /* the document asked about; title may be NULL */
    links_item *out;
    size_t nout;
    links_item *in;
    size_t nin;
} links_result;

/* Outgoing and incoming links of the indexed document f (resolve.h).  Caller releases r with
 * links_result_release.  Errors: the store's. */
int links_run(store *s, const resolved_file *f, links_result *r);
void links_result_release(links_result *r);

#endif
