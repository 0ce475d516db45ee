/*
 * eval.h — retrieval quality on a set of judged queries: reading the set,
 * scoring a ranking against its answers, and running every query through
 * search_run (what `cairn eval` prints).
 *
 * A set is JSON lines, one query each:
 *     {"query": "...", "type": "concept",                  type optional
 *      "relevant": [{"path": "queue.py", "symbol": "Queue.qsize", "grade": 2}]}
 * path is root-relative; symbol (optional) names a definition by qualified
 * name; grade is 1 (relevant) or 2 (the answer), 1 when absent.
 *
 * Metrics, over the first EVAL_K places, averaged over queries:
 *   MRR@10     1 / the rank of the first relevant place (0 when none)
 *   nDCG@10    sum of (2^grade - 1) / log2(rank + 1), over the same sum for
 *              the ideal ordering of the answers
 *   recall@k   share of the answers found in the first k places (1, 5, 10)
 * at two levels.  File level: the ranking's files in order of their first
 * chunk, against the answers' distinct paths.  Definition level, for
 * queries whose answers name a symbol: the ranking's chunks, a chunk
 * finding a definition when it is in the definition's file and either
 * carries its name or spans the line where the definition starts.
 */
#ifndef CAIRN_QUERY_EVAL_H
#define CAIRN_QUERY_EVAL_H

#include "query/search.h"
#include "store/store.h"

#include <stddef.h>

#define EVAL_K 10
#define EVAL_FETCH 50                   /* chunks asked of search per query */
#define EVAL_MAX_LINE ((size_t)1 << 20) /* bytes of one JSON line */
#define EVAL_MAX_QUERIES 100000
#define EVAL_MAX_ANSWERS 1000           /* per query */
#define EVAL_MAX_GRADE 2

typedef struct eval_answer {
    char *path;      /* root-relative; owned */
    char *symbol;    /* qualified name, or NULL; owned */
    int grade;       /* 1..EVAL_MAX_GRADE */
    int *def_lines;  /* start lines of the definitions it names (eval_resolve); owned */
    size_t ndef_lines;
} eval_answer;

typedef struct eval_query {
    char *text;      /* owned */
    char *type;      /* owned; NULL when the line has none */
    eval_answer *answers;
    size_t nanswers;
} eval_query;

typedef struct eval_set {
    eval_query *q;
    size_t n;
} eval_set;

/* Read the JSON-lines file at path into *out (release with
 * eval_set_release).  Blank lines are skipped.  A line that is not such an
 * object is CAIRN_ERR_INVALID naming the file and line. */
int eval_set_load(const char *path, eval_set *out);

/* The same from text[0, len); name is used in messages. */
int eval_set_parse(const char *text, size_t len, const char *name, eval_set *out);

void eval_set_release(eval_set *set);

/* Find the start lines of every answer's definition in s (by qualified
 * name, in the answer's file).  *unresolved (may be NULL) gets the number
 * of answers naming a symbol the index does not define there; those still
 * match chunks carrying their name. */
int eval_resolve(store *s, eval_set *set, size_t *unresolved);

/* One place of a ranking; the strings are the caller's. */
typedef struct eval_hit {
    const char *path;   /* root-relative */
    const char *symbol; /* may be NULL */
    int start_line, end_line;
} eval_hit;

typedef struct eval_scores {
    double mrr, ndcg, r1, r5, r10;
} eval_scores;

/* File-level scores of hits (best first) for q. */
void eval_score_files(const eval_query *q, const eval_hit *hits, size_t n, eval_scores *out);

/* Definition-level scores; returns 0, with *out zeroed, when no answer of
 * q names a symbol (the query is not scored at this level), else 1. */
int eval_score_defs(const eval_query *q, const eval_hit *hits, size_t n, eval_scores *out);

/* Sums of scores and how many queries they cover. */
typedef struct eval_sum {
    eval_scores sum;
    size_t n;
} eval_sum;

typedef struct eval_group {
    char *type; /* owned; "" for queries without a type */
    eval_sum file, def;
} eval_group;

typedef struct eval_report {
    eval_sum file, def;
    eval_group *groups; /* one per query type, in order of first appearance */
    size_t ngroups;
    double seconds;     /* spent in search_run, over every query */
    double *latency;    /* eval_run: seconds of each query's search_run, in order */
    size_t nlatency;
    size_t warned;      /* queries search warned about (a dense side that failed) */
} eval_report;

void eval_report_init(eval_report *r);
void eval_report_release(eval_report *r);

/* Score hits for q and add them to r (overall and to q's type). */
int eval_report_add(eval_report *r, const eval_query *q, const eval_hit *hits, size_t n);

/* The average of a sum (zeros when it covers no query). */
eval_scores eval_mean(const eval_sum *s);

/* The p-th percentile (0..100, nearest rank) of r's query latencies, in
 * milliseconds; 0 when there are none. */
double eval_latency_ms(const eval_report *r, double p);

/* Run every query of set through search_run with base's options (its
 * query replaced; k, 1..EVAL_FETCH, EVAL_FETCH when 0) and score it into r.  A query search
 * refuses (no searchable words) scores 0; *failed (may be NULL) counts
 * them.  Warnings search gives go on to base->warn and are counted in
 * r->warned. */
int eval_run(store *s, const eval_set *set, const search_opts *base, eval_report *r,
             size_t *failed);

#endif
