/*
 * rank.h — which definitions matter, for a task: personalized PageRank over
 * the reference graph.
 *
 * Nodes are the index's definitions plus one node per file (standing for
 * its top-level code).  A reference from definition A to a name adds an
 * edge from A to every definition of that name, its weight split among
 * them, so ambiguous names spread thin, and names defined more than 16
 * times (get, run, __init__) add no edges at all; private names (_helper)
 * weigh less again.  A definition also points at its
 * enclosing one, so that a class shares its methods' importance.  The walk
 * restarts at the definitions a task is about: those whose name shares a
 * word with the task text, those in focus files, and seeds given by the
 * caller (definitions found by search).
 *
 * The graph is built once (rank_graph_load) and serves many queries.
 */
#ifndef CAIRN_QUERY_RANK_H
#define CAIRN_QUERY_RANK_H

#include "store/store.h"

#include <stddef.h>
#include <stdint.h>

typedef struct rank_graph rank_graph;

/* Build the graph of the whole index.  Caller frees with rank_graph_free. */
int rank_graph_load(store *s, rank_graph **out);
void rank_graph_free(rank_graph *g);

/* Definitions and files in the graph, and edges between them. */
size_t rank_graph_defs(const rank_graph *g);
size_t rank_graph_edges(const rank_graph *g);

typedef struct rank_request {
    const char *text;            /* task or query text, or NULL */
    const int64_t *focus_files;  /* file ids to centre on, or NULL */
    size_t nfocus;
    const int64_t *seeds;        /* definition ids to centre on, or NULL */
    size_t nseeds;
} rank_request;

typedef struct rank_item {
    int64_t id;      /* definition id */
    int64_t file_id;
    double score;    /* stationary probability, summing to at most 1 */
} rank_item;

/* Definitions ranked for the request, best first, at most limit.  Caller
 * frees *out with free().  Without any personalisation (no text match, no
 * focus, no seeds) this is plain PageRank. */
int rank_run(const rank_graph *g, const rank_request *r, size_t limit, rank_item **out, size_t *n);

#endif
