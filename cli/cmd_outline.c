/*
 * cmd_outline.c — `cairn outline`: the definitions of one file as a tree.
 */
#include "cli/cli.h"
#include "query/json.h"
#include "query/resolve.h"
#include "store/symbols.h"
#include "util/err.h"

#include <stdio.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH 64

const char cmd_outline_help[] =
    "usage: cairn outline [--index DIR] [--json] FILE\n"
    "\n"
    "Show the definitions of an indexed FILE as a tree — classes with their\n"
    "methods, modules with their functions — each with its line and\n"
    "signature.  FILE may be relative to the current directory, absolute, or\n"
    "relative to one of the index's roots; it must be inside a root.\n"
    "\n"
    "options:\n"
    "  --index DIR   the index to read (default: $CAIRN_INDEX, then .cairn/ here or above)\n"
    "  --json        one object: {\"path\", \"root\", \"symbols\": [{\"name\", \"qualname\",\n"
    "                \"kind\", \"signature\", \"doc\", \"start_line\", \"end_line\",\n"
    "                \"children\": [...]}]}\n"
    "\n"
    "examples:\n"
    "  cairn outline store/store.c\n"
    "  cairn outline --json Lib/http/server.py | jq '.symbols[].name'\n";

/* Depth of each definition: parents come before their children. */
static int depth_of(const store_sym_list *l, size_t i, const int *depths)
{
    int64_t parent = l->items[i].parent_id;
    for (size_t j = i; parent && j-- > 0;)
        if (l->items[j].id == parent)
            return depths[j] + 1 < MAX_DEPTH ? depths[j] + 1 : MAX_DEPTH;
    return 0;
}

static cJSON *node(const store_sym *y)
{
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return NULL;
    cJSON_AddStringToObject(o, "name", y->name);
    cJSON_AddStringToObject(o, "qualname", y->qualname);
    cJSON_AddStringToObject(o, "kind", y->kind);
    if (y->signature)
        cJSON_AddStringToObject(o, "signature", y->signature);
    else
        cJSON_AddNullToObject(o, "signature");
    if (y->doc)
        cJSON_AddStringToObject(o, "doc", y->doc);
    else
        cJSON_AddNullToObject(o, "doc");
    cJSON_AddNumberToObject(o, "start_line", y->start_line);
    cJSON_AddNumberToObject(o, "end_line", y->end_line);
    cJSON_AddArrayToObject(o, "children");
    return o;
}

static int print_json(const resolved_file *f, const store_sym_list *l, const int *depths)
{
    cJSON *root = cJSON_CreateObject();
    cJSON *top = cJSON_AddArrayToObject(root, "symbols");
    cJSON *stack[MAX_DEPTH + 1];
    if (!root || !top) {
        cJSON_Delete(root);
        return err_set(CAIRN_ERR_NOMEM, "out of memory");
    }
    cJSON_AddStringToObject(root, "path", f->rel);
    cJSON_AddStringToObject(root, "root", f->root);
    for (size_t i = 0; i < l->n; i++) {
        cJSON *o = node(&l->items[i]);
        if (!o) {
            cJSON_Delete(root);
            return err_set(CAIRN_ERR_NOMEM, "out of memory");
        }
        int d = depths[i];
        cJSON *into = d == 0 ? top : cJSON_GetObjectItem(stack[d - 1], "children");
        cJSON_AddItemToArray(into, o);
        stack[d] = o;
    }
    return qjson_print_line(root);
}

int cmd_outline(int argc, char **argv)
{
    cli_opts opt = {0};
    if (cli_opts_parse("outline", argc, argv, CLI_OPT_JSON, 0, &opt) != CLI_OK)
        return CLI_USAGE;
    const char *index_opt = opt.index_opt;
    int json = opt.json;
    if (optind != argc - 1)
        return cli_usage_error("outline", "give exactly one FILE");
    char *dir = NULL;
    store *s = NULL;
    resolved_file f = {0};
    store_sym_list l;
    store_sym_list_init(&l);
    int *depths = NULL;
    int rc = cli_index_locate(index_opt, &dir);
    if (!rc)
        rc = store_open(dir, STORE_READ, &s);
    if (!rc)
        rc = resolve_file(s, argv[optind], &f);
    if (!rc)
        rc = store_symbols_of_file(s, f.file_id, &l);
    if (!rc && l.n && !(depths = calloc(l.n, sizeof *depths)))
        rc = err_set(CAIRN_ERR_NOMEM, "out of memory");
    for (size_t i = 0; !rc && i < l.n; i++)
        depths[i] = depth_of(&l, i, depths);
    if (!rc && json) {
        rc = print_json(&f, &l, depths);
    } else if (!rc) {
        for (size_t i = 0; i < l.n; i++) {
            const store_sym *y = &l.items[i];
            const char *sig = y->signature && *y->signature ? y->signature : y->name;
            printf("%5d  %*s%-9s %s\n", y->start_line, depths[i] * 2, "", y->kind, sig);
        }
        if (l.n == 0)
            fprintf(stderr, "cairn: %s has no definitions in the index\n", f.rel);
    }
    if (rc)
        cli_error("outline: %s", err_msg());
    free(depths);
    store_sym_list_release(&l);
    resolved_file_release(&f);
    store_close(s);
    free(dir);
    return rc ? CLI_FAIL : CLI_OK;
}
