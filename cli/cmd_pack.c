/*
 * cmd_pack.c — `cairn pack`: the code needed for a task, within a budget.
 */
#include "cli/cli.h"
#include "cli/task.h"
#include "query/json.h"
#include "query/pack.h"
#include "util/buf.h"
#include "util/err.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char cmd_pack_help[] =
    "usage: cairn pack [--index DIR] [--budget TOKENS] [--focus PATH]... [--json|--markdown]\n"
    "                  TASK...|-\n"
    "\n"
    "Gather the code an agent needs for TASK (an issue text, a question; '-'\n"
    "reads it from standard input, up to 1 MiB) within a budget of tokens:\n"
    "  - the chunks that best match the task (hybrid search, as 'cairn search';\n"
    "    for writing, the nearest notes by meaning too, one section per note\n"
    "    first),\n"
    "  - the definitions those chunks call or use (bodies when there is\n"
    "    room, else signatures),\n"
    "  - a slice of the repo map around them (see 'cairn map'),\n"
    "merged per file (overlapping ranges joined, no line twice) and ordered\n"
    "by file and line.  When the budget is tight, bodies shrink to their\n"
    "signatures first (a note to its heading and first lines), and past three\n"
    "quarters of the room further code hits come as the signatures of what\n"
    "they define.  The pack lists what ranked next but did not fit.\n"
    "Tokens are counted as GPT-4o's tokenizer (o200k) counts them, and the\n"
    "pack never exceeds the budget by that count.\n"
    "\n"
    "options:\n"
    "  --index DIR       the index to read (default: $CAIRN_INDEX, then .cairn/ here or above)\n"
    "  --budget TOKENS   size of the pack (default 8000)\n"
    "  --focus PATH      centre the pack on this file (repeatable); must be indexed\n"
    "  --json            one object: {\"budget\", \"tokens\", \"items\": [{\"path\", \"root\",\n"
    "                    \"start_line\", \"end_line\", \"symbol\", \"kind\": \"body|signature|map\",\n"
    "                    \"text\"}], \"omitted\": [{\"path\", \"symbol\"}]}\n"
    "  --markdown        what an agent reads: files with fenced ranges (the default on\n"
    "                    a terminal; JSON is the default when output is piped)\n"
    "\n"
    "examples:\n"
    "  cairn pack --budget 8000 \"make the HTTP client retry on 503\"\n"
    "  gh issue view 42 | cairn pack --budget 32000 -\n"
    "  cairn pack --json --focus http/client.py \"timeouts\" | jq '.items[].path'\n";

int cmd_pack(int argc, char **argv)
{
    cli_opts opt = {.budget = PACK_DEFAULT_BUDGET, .json = !isatty(STDOUT_FILENO)};
    unsigned accept = CLI_OPT_JSON | CLI_OPT_MARKDOWN | CLI_OPT_BUDGET | CLI_OPT_FOCUS;
    if (cli_opts_parse("pack", argc, argv, accept, PACK_MAX_BUDGET, &opt) != CLI_OK)
        return CLI_USAGE;
    if (optind >= argc)
        return cli_usage_error("pack", "no TASK given");
    buf task;
    buf_init(&task, CLI_MAX_TASK_BYTES);
    cli_task_index ix = {0};
    pack p = {0};
    int rc = cli_task_read(argc, argv, optind, 1, &task);
    if (!rc)
        rc = cli_task_index_open(&opt, &ix);
    semantic *sem = NULL;
    int src = rc ? CAIRN_OK : semantic_open(ix.s, &sem);
    if (src && src != CAIRN_ERR_NOTFOUND)
        fprintf(stderr, "cairn: pack: %s; lexical search only\n", err_msg());
    if (!rc) {
        pack_opts o = {.task = buf_str(&task), .focus_files = ix.focus_ids, .nfocus = opt.nfocus,
                       .budget = opt.budget, .graph = rank_graph_defs(ix.g) ? ix.g : NULL,
                       .sem = sem};
        rc = pack_build(ix.s, &o, &p);
    }
    semantic_free(sem);
    if (!rc) {
        if (opt.json)
            rc = qjson_print_line(qjson_pack(&p));
        else
            fputs(p.markdown ? p.markdown : "", stdout);
    }
    if (rc)
        cli_error("pack: %s", err_msg());
    pack_release(&p);
    cli_task_index_close(&ix);
    buf_release(&task);
    return rc ? CLI_FAIL : CLI_OK;
}
