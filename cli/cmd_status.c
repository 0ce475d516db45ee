/*
 * cmd_status.c — `cairn status`: roots, counts per language, index size and
 * the time of the last update.
 */
#include "cli/cli.h"
#include "query/json.h"
#include "store/store.h"
#include "util/err.h"
#include "util/humantime.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <unistd.h>
#include <stdlib.h>
#include <time.h>

const char cmd_status_help[] =
    "usage: cairn status [--index DIR] [--json]\n"
    "\n"
    "Show what an index holds: its roots with their file counts, files,\n"
    "chunks and bytes per language, the index size on disk, and when each\n"
    "root was last indexed.\n"
    "\n"
    "options:\n"
    "  --index DIR   the index to read (default: $CAIRN_INDEX, then .cairn/ here or above)\n"
    "  --json        one JSON object: {\"index\", \"schema\", \"db_bytes\", \"files\", \"chunks\",\n"
    "                \"bytes\", \"last_indexed\", \"roots\": [{\"path\", \"files\", \"indexed_at\"}],\n"
    "                \"languages\": [{\"lang\", \"kind\", \"files\", \"chunks\", \"bytes\"}]}\n"
    "\n"
    "example:\n"
    "  cairn status --index ~/notes/.cairn\n";

static int emit_json(store *s, const char *dir, const store_stats *st, store_root *roots,
                     size_t nroots)
{
    cJSON *o = cJSON_CreateObject();
    cJSON *jr = cJSON_AddArrayToObject(o, "roots");
    cJSON *jl = cJSON_AddArrayToObject(o, "languages");
    if (!o || !jr || !jl) {
        cJSON_Delete(o);
        return err_set(CAIRN_ERR_NOMEM, "out of memory writing JSON");
    }
    cJSON_AddStringToObject(o, "index", dir);
    cJSON_AddNumberToObject(o, "schema", STORE_SCHEMA_VERSION);
    cJSON_AddNumberToObject(o, "db_bytes", (double)st->db_bytes);
    cJSON_AddNumberToObject(o, "files", (double)st->files);
    cJSON_AddNumberToObject(o, "chunks", (double)st->chunks);
    cJSON_AddNumberToObject(o, "bytes", (double)st->bytes);
    cJSON_AddNumberToObject(o, "last_indexed", (double)st->last_indexed);
    int rc = CAIRN_OK;
    for (size_t i = 0; i < nroots && !rc; i++) {
        store_stats rs;
        if ((rc = store_stats_get(s, roots[i].id, &rs)))
            break;
        cJSON *r = cJSON_CreateObject();
        cJSON_AddStringToObject(r, "path", roots[i].path);
        cJSON_AddNumberToObject(r, "files", (double)rs.files);
        cJSON_AddNumberToObject(r, "chunks", (double)rs.chunks);
        cJSON_AddNumberToObject(r, "indexed_at", (double)roots[i].indexed_at);
        cJSON_AddItemToArray(jr, r);
        store_stats_release(&rs);
    }
    for (size_t i = 0; i < st->nlangs; i++) {
        cJSON *l = cJSON_CreateObject();
        cJSON_AddStringToObject(l, "lang", st->langs[i].lang);
        cJSON_AddStringToObject(l, "kind", st->langs[i].kind);
        cJSON_AddNumberToObject(l, "files", (double)st->langs[i].files);
        cJSON_AddNumberToObject(l, "chunks", (double)st->langs[i].chunks);
        cJSON_AddNumberToObject(l, "bytes", (double)st->langs[i].bytes);
        cJSON_AddItemToArray(jl, l);
    }
    if (rc) {
        cJSON_Delete(o);
        return rc;
    }
    return qjson_print_line(o);
}

static int emit_human(store *s, const char *dir, const store_stats *st, store_root *roots,
                      size_t nroots)
{
    char size[32], when[128];
    humantime_size(st->db_bytes, size, sizeof size);
    printf("index    %s (%s on disk, schema %d)\n", dir, size, STORE_SCHEMA_VERSION);
    for (size_t i = 0; i < nroots; i++) {
        store_stats rs;
        int rc = store_stats_get(s, roots[i].id, &rs);
        if (rc)
            return rc;
        humantime_ago(roots[i].indexed_at, when, sizeof when);
        printf("%s %s\n         %lld files, %lld chunks, indexed %s\n", i ? "        " : "roots   ",
               roots[i].path, (long long)rs.files, (long long)rs.chunks, when);
        store_stats_release(&rs);
    }
    if (nroots == 0)
        printf("roots    none yet\n");
    humantime_size(st->bytes, size, sizeof size);
    humantime_ago(st->last_indexed, when, sizeof when);
    printf("total    %lld files, %lld chunks, %s of text\n", (long long)st->files,
           (long long)st->chunks, size);
    printf("updated  %s\n", when);
    if (st->nlangs) {
        printf("\n%-14s %-6s %8s %8s %10s\n", "language", "kind", "files", "chunks", "bytes");
        for (size_t i = 0; i < st->nlangs; i++) {
            humantime_size(st->langs[i].bytes, size, sizeof size);
            printf("%-14s %-6s %8lld %8lld %10s\n", st->langs[i].lang, st->langs[i].kind,
                   (long long)st->langs[i].files, (long long)st->langs[i].chunks, size);
        }
    }
    return CAIRN_OK;
}

int cmd_status(int argc, char **argv)
{
    cli_opts opt = {0};
    if (cli_opts_parse("status", argc, argv, CLI_OPT_JSON, 0, &opt) != CLI_OK)
        return CLI_USAGE;
    const char *index_opt = opt.index_opt;
    int json = opt.json;
    if (optind < argc)
        return cli_usage_error("status", "unexpected argument '%s'", argv[optind]);
    char *dir = NULL;
    store *s = NULL;
    store_root *roots = NULL;
    size_t nroots = 0;
    store_stats st = {0};
    int rc = cli_index_locate(index_opt, &dir);
    if (!rc)
        rc = store_open(dir, STORE_READ, &s);
    if (!rc)
        rc = store_roots_list(s, &roots, &nroots);
    if (!rc)
        rc = store_stats_get(s, 0, &st);
    if (!rc)
        rc = json ? emit_json(s, dir, &st, roots, nroots) : emit_human(s, dir, &st, roots, nroots);
    if (rc)
        cli_error("status: %s", err_msg());
    store_stats_release(&st);
    store_roots_free(roots, nroots);
    store_close(s);
    free(dir);
    return rc ? CLI_FAIL : CLI_OK;
}
