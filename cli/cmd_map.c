/*
 * cmd_map.c — `cairn map`: the definitions that matter for a task, as
 * signatures grouped by file, filled to a token budget.
 */
#include "cli/cli.h"
#include "cli/task.h"
#include "query/json.h"
#include "query/repomap.h"
#include "util/buf.h"
#include "util/err.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

int cmd_map(int argc, char **argv)
{
    cli_opts opt = {.budget = REPOMAP_DEFAULT_BUDGET};
    unsigned accept = CLI_OPT_JSON | CLI_OPT_BUDGET | CLI_OPT_FOCUS;
    if (cli_opts_parse("map", argc, argv, accept, REPOMAP_MAX_BUDGET, &opt) != CLI_OK)
        return CLI_USAGE;
    buf task;
    buf_init(&task, CLI_MAX_TASK_BYTES);
    cli_task_index ix = {0};
    repomap m = {0};
    int rc = cli_task_read(argc, argv, optind, 0, &task);
    if (!rc)
        rc = cli_task_index_open(&opt, &ix);
    /* A budget of 0 is an empty map, not the default. */
    if (!rc && opt.budget > 0) {
        repomap_opts o = {.query = task.len ? buf_str(&task) : NULL, .focus_files = ix.focus_ids,
                          .nfocus = opt.nfocus, .budget = opt.budget};
        rc = repomap_build(ix.s, ix.g, &o, &m);
    }
    if (!rc) {
        if (opt.json)
            rc = qjson_print_line(qjson_map(&m, opt.budget));
        else if (m.text && *m.text)
            fputs(m.text, stdout);
        else
            fprintf(stderr, "cairn: nothing fits in a budget of %zu tokens\n", opt.budget);
    }
    if (rc)
        cli_error("map: %s", err_msg());
    repomap_release(&m);
    cli_task_index_close(&ix);
    buf_release(&task);
    return rc ? CLI_FAIL : CLI_OK;
}
