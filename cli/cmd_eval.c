/*
 * cmd_eval.c — `cairn eval`: retrieval quality of the index's search on a
 * set of judged queries (query/eval.h), as a table or one JSON object.
 */
#include "cli/cli.h"
#include "query/json.h"
#include "query/eval.h"
#include "query/search.h"
#include "store/store.h"
#include "util/err.h"

#include <cjson/cJSON.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char cmd_eval_help[] =
    "usage: cairn eval [--index DIR] [--mode hybrid|lexical|semantic] [-k N] [--json]\n"
    "                  QUERIES.jsonl\n"
    "\n"
    "Run every query of QUERIES.jsonl through cairn search (in --mode) and score the\n"
    "rankings against the answers the file gives: MRR@10, nDCG@10 and\n"
    "recall@1/5/10, at file level and, for queries whose answers name a\n"
    "definition, at definition level (a result finds a definition when it is\n"
    "its chunk: same file, and the chunk carries its name or spans its first\n"
    "line).  Figures are also given per query type.\n"
    "\n"
    "QUERIES.jsonl holds one JSON object per line:\n"
    "  {\"query\": \"Return the number of items in the queue.\", \"type\": \"concept\",\n"
    "   \"relevant\": [{\"path\": \"queue.py\", \"symbol\": \"Queue.qsize\", \"grade\": 2}]}\n"
    "path is relative to an indexed root; type (any label) and symbol (a\n"
    "qualified name) are optional; grade is 1 (relevant) or 2 (the answer).\n"
    "\n"
    "options:\n"
    "  --index DIR   the index to read (default: $CAIRN_INDEX, then .cairn/ here or above)\n"
    "  --mode MODE   how search ranks, as in cairn search: hybrid (default), lexical\n"
    "                or semantic\n"
    "  -k N          results asked of search per query (default and most 50; fewer\n"
    "                results can hold fewer than 10 files)\n"
    "  --json        one JSON object: {\"mode\", \"queries\", \"failed\", \"unresolved\",\n"
    "                \"warned\", \"ms_per_query\", \"ms_p50\", \"ms_p99\",\n"
    "                \"file\": {\"queries\", \"mrr@10\", \"ndcg@10\", \"recall@1\", \"recall@5\",\n"
    "                \"recall@10\"}, \"definition\": {...}, \"types\": {TYPE: {\"file\", \"definition\"}}}\n"
    "\n"
    "examples:\n"
    "  cairn eval --index /tmp/stdlib/.cairn tests/eval/stdlib.jsonl\n"
    "  cairn eval --mode lexical --index ~/notes/.cairn tests/eval/til.jsonl\n"
    "  cairn eval --json tests/eval/til.jsonl | jq .file\n";

static cJSON *level_json(const eval_sum *s)
{
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return NULL;
    eval_scores m = eval_mean(s);
    cJSON_AddNumberToObject(o, "queries", (double)s->n);
    cJSON_AddNumberToObject(o, "mrr@10", m.mrr);
    cJSON_AddNumberToObject(o, "ndcg@10", m.ndcg);
    cJSON_AddNumberToObject(o, "recall@1", m.r1);
    cJSON_AddNumberToObject(o, "recall@5", m.r5);
    cJSON_AddNumberToObject(o, "recall@10", m.r10);
    return o;
}

static int print_json(const eval_report *r, enum search_mode mode, size_t nq, size_t failed,
                      size_t unresolved)
{
    cJSON *o = cJSON_CreateObject();
    cJSON *types = o ? cJSON_AddObjectToObject(o, "types") : NULL;
    if (!types) {
        cJSON_Delete(o);
        return err_set(CAIRN_ERR_NOMEM, "out of memory writing JSON");
    }
    cJSON_AddStringToObject(o, "mode", search_mode_name(mode));
    cJSON_AddNumberToObject(o, "queries", (double)nq);
    cJSON_AddNumberToObject(o, "failed", (double)failed);
    cJSON_AddNumberToObject(o, "unresolved", (double)unresolved);
    cJSON_AddNumberToObject(o, "warned", (double)r->warned);
    cJSON_AddNumberToObject(o, "ms_per_query", nq ? r->seconds * 1000 / (double)nq : 0);
    cJSON_AddNumberToObject(o, "ms_p50", eval_latency_ms(r, 50));
    cJSON_AddNumberToObject(o, "ms_p99", eval_latency_ms(r, 99));
    cJSON_AddItemToObject(o, "file", level_json(&r->file));
    if (r->def.n)
        cJSON_AddItemToObject(o, "definition", level_json(&r->def));
    for (size_t i = 0; i < r->ngroups; i++) {
        cJSON *g = cJSON_AddObjectToObject(types, r->groups[i].type);
        if (!g)
            continue;
        cJSON_AddItemToObject(g, "file", level_json(&r->groups[i].file));
        if (r->groups[i].def.n)
            cJSON_AddItemToObject(g, "definition", level_json(&r->groups[i].def));
    }
    return qjson_print_line(o);
}

static void print_row(const char *label, const eval_sum *s)
{
    eval_scores m = eval_mean(s);
    printf("%-24s %7zu  %6.3f  %7.3f  %5.3f  %5.3f  %6.3f\n", label, s->n, m.mrr, m.ndcg, m.r1,
           m.r5, m.r10);
}

static void print_human(const eval_report *r, enum search_mode mode, size_t nq, size_t failed,
                        size_t unresolved)
{
    printf("mode %s\n", search_mode_name(mode));
    printf("%-24s %7s  %6s  %7s  %5s  %5s  %6s\n", "", "queries", "MRR@10", "nDCG@10", "R@1",
           "R@5", "R@10");
    print_row("file", &r->file);
    if (r->def.n)
        print_row("definition", &r->def);
    if (r->ngroups > 1 || (r->ngroups == 1 && r->groups[0].type[0])) {
        for (size_t i = 0; i < r->ngroups; i++) {
            char label[64];
            const char *t = r->groups[i].type[0] ? r->groups[i].type : "(no type)";
            snprintf(label, sizeof label, "%.14s  file", t);
            print_row(label, &r->groups[i].file);
            if (r->groups[i].def.n) {
                snprintf(label, sizeof label, "%.14s  definition", t);
                print_row(label, &r->groups[i].def);
            }
        }
    }
    printf("%zu queries, search %.1f ms per query (p50 %.1f, p99 %.1f)", nq,
           nq ? r->seconds * 1000 / (double)nq : 0, eval_latency_ms(r, 50), eval_latency_ms(r, 99));
    if (failed)
        printf(", %zu with no searchable words", failed);
    if (unresolved)
        printf(", %zu answers name definitions the index lacks", unresolved);
    if (r->warned)
        printf(", %zu searched without their dense side", r->warned);
    putchar('\n');
}

int cmd_eval(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"index", required_argument, NULL, 'i'},
        {"json", no_argument, NULL, 'j'},
        {"mode", required_argument, NULL, 'M'},
        {"limit", required_argument, NULL, 'k'},
        {NULL, 0, NULL, 0},
    };
    const char *index_opt = NULL;
    int json = 0, c;
    search_opts o = {0};
    optind = 1;
    while ((c = getopt_long(argc, argv, "k:", longopts, NULL)) != -1) {
        switch (c) {
        case 'i': index_opt = optarg; break;
        case 'j': json = 1; break;
        case 'k': {
            long long k = cli_parse_count("eval", "-k", optarg, EVAL_FETCH);
            if (k < 0)
                return CLI_USAGE;
            if (k == 0)
                return cli_usage_error("eval", "-k must be at least 1");
            o.k = (int)k;
            break;
        }
        case 'M': {
            int m = search_mode_parse(optarg);
            if (m < 0)
                return cli_usage_error("eval", "--mode is hybrid, lexical or semantic, not '%s'",
                                       optarg);
            o.mode = (enum search_mode)m;
            break;
        }
        default: return cli_usage_error("eval", "unknown option");
        }
    }
    if (optind != argc - 1)
        return cli_usage_error("eval", optind >= argc ? "no QUERIES.jsonl given"
                                                       : "one QUERIES.jsonl at a time");
    char *dir = NULL;
    store *s = NULL;
    eval_set set = {0};
    eval_report r;
    eval_report_init(&r);
    size_t failed = 0, unresolved = 0;
    semantic *sem = NULL;
    int rc = eval_set_load(argv[optind], &set);
    if (!rc)
        rc = cli_index_locate(index_opt, &dir);
    if (!rc)
        rc = store_open(dir, STORE_READ, &s);
    /* Scores of a mode that quietly fell back to lexical would mislead:
     * without its dense side, hybrid and semantic fail. */
    if (!rc && o.mode != SEARCH_LEXICAL && (rc = semantic_open(s, &sem)))
        rc = err_wrap(rc, "--mode %s needs the index's embeddings", search_mode_name(o.mode));
    o.sem = sem;
    if (!rc)
        rc = eval_resolve(s, &set, &unresolved);
    if (!rc)
        rc = eval_run(s, &set, &o, &r, &failed);
    if (!rc) {
        if (json)
            rc = print_json(&r, o.mode, set.n, failed, unresolved);
        else
            print_human(&r, o.mode, set.n, failed, unresolved);
    }
    if (rc)
        cli_error("eval: %s", err_msg());
    eval_report_release(&r);
    eval_set_release(&set);
    semantic_free(sem);
    store_close(s);
    free(dir);
    return rc ? CLI_FAIL : CLI_OK;
}
