/*
 * cmd_map.c — `cairn map`: the definitions that matter for a task, as
 * signatures grouped by file, filled to a token budget.
 */
#include "cli/cli.h"
#include "query/rank.h"
#include "query/repomap.h"
#include "query/resolve.h"
#include "util/buf.h"
#include "util/err.h"

#include <cjson/cJSON.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_FOCUS 64
#define MAX_TASK_BYTES (1 << 20)

const char cmd_map_help[] =
    "usage: cairn map [--index DIR] [--budget TOKENS] [--focus PATH]... [--json] [QUERY...]\n"
    "\n"
    "Print a map of the code: the definitions that matter most, as signatures\n"
    "inside their enclosing classes, grouped by file, filled to a budget of\n"
    "tokens.  Importance is PageRank over the graph of references between\n"
    "definitions (a definition used from many important places matters),\n"
    "personalized towards definitions whose names share words with QUERY and\n"
    "towards the --focus files.  Without QUERY or --focus, the map of the\n"
    "whole index.\n"
    "\n"
    "options:\n"
    "  --index DIR       the index to read (default: $CAIRN_INDEX, then .cairn/ here or above)\n"
    "  --budget TOKENS   size of the map in tokens (default 1024)\n"
    "  --focus PATH      centre the map on this file (repeatable); must be indexed\n"
    "  --json            one object: {\"budget\", \"tokens\", \"items\": [{\"path\", \"root\",\n"
    "                    \"qualname\", \"kind\", \"start_line\", \"end_line\", \"signature\",\n"
    "                    \"score\", \"depth\"}], \"text\"}\n"
    "\n"
    "examples:\n"
    "  cairn map --budget 2000\n"
    "  cairn map \"add retries to the HTTP client\"\n"
    "  cairn map --focus http/client.py --budget 4000\n";

/* Task text from the arguments; caller frees. */
static char *join_args(int argc, char **argv, int from)
{
    buf b;
    buf_init(&b, MAX_TASK_BYTES);
    for (int i = from; i < argc; i++)
        if ((i > from && buf_putc(&b, ' ')) || buf_puts(&b, argv[i])) {
            buf_release(&b);
            return NULL;
        }
    return buf_detach(&b);
}

static int print_json(const repomap *m, size_t budget)
{
    cJSON *o = cJSON_CreateObject();
    cJSON *items = o ? cJSON_AddArrayToObject(o, "items") : NULL;
    if (!items) {
        cJSON_Delete(o);
        return err_set(CAIRN_ERR_NOMEM, "out of memory");
    }
    cJSON_AddNumberToObject(o, "budget", (double)budget);
    cJSON_AddNumberToObject(o, "tokens", (double)m->tokens);
    for (size_t i = 0; i < m->n; i++) {
        const store_sym *y = &m->items[i].sym;
        cJSON *it = cJSON_CreateObject();
        cJSON_AddStringToObject(it, "path", y->path);
        cJSON_AddStringToObject(it, "root", y->root);
        cJSON_AddStringToObject(it, "qualname", y->qualname);
        cJSON_AddStringToObject(it, "kind", y->kind);
        cJSON_AddNumberToObject(it, "start_line", y->start_line);
        cJSON_AddNumberToObject(it, "end_line", y->end_line);
        cJSON_AddStringToObject(it, "signature", y->signature ? y->signature : y->name);
        cJSON_AddNumberToObject(it, "score", m->items[i].score);
        cJSON_AddNumberToObject(it, "depth", m->items[i].depth);
        cJSON_AddItemToArray(items, it);
    }
    cJSON_AddStringToObject(o, "text", m->text ? m->text : "");
    char *text = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    if (!text)
        return err_set(CAIRN_ERR_NOMEM, "out of memory");
    puts(text);
    cJSON_free(text);
    return CAIRN_OK;
}

int cmd_map(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"index", required_argument, NULL, 'i'}, {"budget", required_argument, NULL, 'b'},
        {"focus", required_argument, NULL, 'f'}, {"json", no_argument, NULL, 'j'},
        {NULL, 0, NULL, 0},
    };
    const char *index_opt = NULL;
    const char *focus[MAX_FOCUS];
    size_t nfocus = 0, budget = REPOMAP_DEFAULT_BUDGET;
    int json = 0, c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (c) {
        case 'i': index_opt = optarg; break;
        case 'b': {
            long long v = cli_parse_count("map", "--budget", optarg, REPOMAP_MAX_BUDGET);
            if (v < 0)
                return CLI_USAGE;
            budget = (size_t)v;
            break;
        }
        case 'f':
            if (nfocus == MAX_FOCUS)
                return cli_usage_error("map", "at most %d --focus files", MAX_FOCUS);
            focus[nfocus++] = optarg;
            break;
        case 'j': json = 1; break;
        default: return cli_usage_error("map", "unknown option");
        }
    }
    char *task = join_args(argc, argv, optind);
    if (!task) {
        cli_error("map: the task text is over %d bytes", MAX_TASK_BYTES);
        return CLI_FAIL;
    }
    char *dir = NULL;
    store *s = NULL;
    rank_graph *g = NULL;
    repomap m = {0};
    int64_t focus_ids[MAX_FOCUS];
    int rc = cli_index_locate(index_opt, &dir);
    if (!rc)
        rc = store_open(dir, STORE_READ, &s);
    if (!rc)
        rc = resolve_files(s, focus, nfocus, focus_ids);
    if (!rc)
        rc = rank_graph_load(s, &g);
    /* A budget of 0 is an empty map, not the default. */
    if (!rc && budget > 0) {
        repomap_opts o = {.query = *task ? task : NULL, .focus_files = focus_ids, .nfocus = nfocus,
                          .budget = budget};
        rc = repomap_build(s, g, &o, &m);
    }
    if (!rc) {
        if (json)
            rc = print_json(&m, budget);
        else if (m.text && *m.text)
            fputs(m.text, stdout);
        else
            fprintf(stderr, "cairn: nothing fits in a budget of %zu tokens\n", budget);
    }
    if (rc)
        cli_error("map: %s", err_msg());
    repomap_release(&m);
    rank_graph_free(g);
    store_close(s);
    free(dir);
    free(task);
    return rc ? CLI_FAIL : CLI_OK;
}
