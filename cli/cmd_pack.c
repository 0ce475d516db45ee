/*
 * cmd_pack.c — `cairn pack`: the code needed for a task, within a budget.
 */
#include "cli/cli.h"
#include "query/json.h"
#include "query/pack.h"
#include "query/rank.h"
#include "query/resolve.h"
#include "util/buf.h"
#include "util/err.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_FOCUS 64
#define MAX_TASK_BYTES (1 << 20)

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

static int read_task(int argc, char **argv, int from, buf *out)
{
    if (from == argc - 1 && strcmp(argv[from], "-") == 0) {
        char chunk[65536];
        size_t n;
        while ((n = fread(chunk, 1, sizeof chunk, stdin)) > 0)
            if (buf_append(out, chunk, n))
                return err_set(CAIRN_ERR_TOOBIG, "the task on standard input is over %d bytes",
                               MAX_TASK_BYTES);
        return CAIRN_OK;
    }
    for (int i = from; i < argc; i++)
        if ((i > from && buf_putc(out, ' ')) || buf_puts(out, argv[i]))
            return err_set(CAIRN_ERR_TOOBIG, "the task is over %d bytes", MAX_TASK_BYTES);
    return CAIRN_OK;
}


int cmd_pack(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"index", required_argument, NULL, 'i'}, {"budget", required_argument, NULL, 'b'},
        {"focus", required_argument, NULL, 'f'}, {"json", no_argument, NULL, 'j'},
        {"markdown", no_argument, NULL, 'm'},    {NULL, 0, NULL, 0},
    };
    const char *index_opt = NULL;
    const char *focus[MAX_FOCUS];
    size_t nfocus = 0, budget = PACK_DEFAULT_BUDGET;
    int json = !isatty(STDOUT_FILENO), c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (c) {
        case 'i': index_opt = optarg; break;
        case 'b': {
            long long v = cli_parse_count("pack", "--budget", optarg, PACK_MAX_BUDGET);
            if (v < 0)
                return CLI_USAGE;
            budget = (size_t)v;
            break;
        }
        case 'f':
            if (nfocus == MAX_FOCUS)
                return cli_usage_error("pack", "at most %d --focus files", MAX_FOCUS);
            focus[nfocus++] = optarg;
            break;
        case 'j': json = 1; break;
        case 'm': json = 0; break;
        default: return cli_usage_error("pack", "unknown option");
        }
    }
    if (optind >= argc)
        return cli_usage_error("pack", "no TASK given");
    buf task;
    buf_init(&task, MAX_TASK_BYTES);
    char *dir = NULL;
    store *s = NULL;
    rank_graph *g = NULL;
    pack p = {0};
    int64_t focus_ids[MAX_FOCUS];
    int rc = read_task(argc, argv, optind, &task);
    if (!rc)
        rc = cli_index_locate(index_opt, &dir);
    if (!rc)
        rc = store_open(dir, STORE_READ, &s);
    if (!rc)
        rc = resolve_files(s, focus, nfocus, focus_ids);
    if (!rc)
        rc = rank_graph_load(s, &g);
    semantic *sem = NULL;
    int src = rc ? CAIRN_OK : semantic_open(s, &sem);
    if (src && src != CAIRN_ERR_NOTFOUND)
        fprintf(stderr, "cairn: pack: %s; lexical search only\n", err_msg());
    if (!rc) {
        pack_opts o = {.task = buf_str(&task), .focus_files = focus_ids, .nfocus = nfocus,
                       .budget = budget, .graph = rank_graph_defs(g) ? g : NULL, .sem = sem};
        rc = pack_build(s, &o, &p);
    }
    semantic_free(sem);
    if (!rc) {
        if (json)
            rc = qjson_print_line(qjson_pack(&p));
        else
            fputs(p.markdown ? p.markdown : "", stdout);
    }
    if (rc)
        cli_error("pack: %s", err_msg());
    pack_release(&p);
    rank_graph_free(g);
    store_close(s);
    free(dir);
    buf_release(&task);
    return rc ? CLI_FAIL : CLI_OK;
}
