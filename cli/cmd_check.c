/*
 * cmd_check.c — `cairn check`: verify that an index is whole.
 */
#include "cli/cli.h"
#include "store/store.h"
#include "util/err.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <unistd.h>
#include <stdlib.h>

const char cmd_check_help[] =
    "usage: cairn check [--index DIR] [--json]\n"
    "\n"
    "Verify an index: SQLite's integrity check of the database, FTS5's check\n"
    "of the full-text index against the chunks it indexes, and rows that\n"
    "point at nothing (chunks, definitions, references, documents or links\n"
    "of files that are gone).  Prints each problem found; exit status 1 when\n"
    "there is any.  Waits while another cairn is writing the index.\n"
    "\n"
    "options:\n"
    "  --index DIR   the index to check (default: $CAIRN_INDEX, then .cairn/ here or above)\n"
    "  --json        one object: {\"index\", \"ok\", \"problems\": [...]}\n"
    "\n"
    "example:\n"
    "  cairn check && echo 'index is whole'\n";

static void print_problem(void *ctx, const char *problem)
{
    cJSON *arr = ctx;
    if (arr)
        cJSON_AddItemToArray(arr, cJSON_CreateString(problem));
    else
        printf("problem: %s\n", problem);
}

int cmd_check(int argc, char **argv)
{
    cli_opts opt = {0};
    if (cli_opts_parse("check", argc, argv, CLI_OPT_JSON, 0, &opt) != CLI_OK)
        return CLI_USAGE;
    const char *index_opt = opt.index_opt;
    int json = opt.json;
    if (optind < argc)
        return cli_usage_error("check", "unexpected argument '%s'", argv[optind]);
    char *dir = NULL;
    store *s = NULL;
    cJSON *o = json ? cJSON_CreateObject() : NULL;
    cJSON *arr = o ? cJSON_AddArrayToObject(o, "problems") : NULL;
    int n = 0;
    int rc = json && !arr ? err_set(CAIRN_ERR_NOMEM, "out of memory") : CAIRN_OK;
    if (!rc)
        rc = cli_index_locate(index_opt, &dir);
    if (!rc)
        rc = store_open(dir, STORE_WRITE_WAIT, &s);
    if (!rc)
        rc = store_check(s, print_problem, arr, &n);
    if (rc) {
        cli_error("check: %s", err_msg());
    } else if (json) {
        cJSON_AddStringToObject(o, "index", dir);
        cJSON_AddBoolToObject(o, "ok", n == 0);
        char *text = cJSON_PrintUnformatted(o);
        if (text)
            puts(text);
        cJSON_free(text);
    } else if (n == 0) {
        printf("ok: %s is whole\n", dir);
    } else {
        printf("%d problem%s in %s\n", n, n == 1 ? "" : "s", dir);
    }
    cJSON_Delete(o);
    store_close(s);
    free(dir);
    return rc || n ? CLI_FAIL : CLI_OK;
}
