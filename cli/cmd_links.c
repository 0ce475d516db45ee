/*
 * cmd_links.c — `cairn links`: what a document links to and what links
 * to it.
 */
#include "cli/cli.h"
#include "query/json.h"
#include "query/links.h"
#include "util/err.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>

const char cmd_links_help[] =
    "usage: cairn links [--index DIR] [--json] FILE\n"
    "\n"
    "Show the links of an indexed document: the ones it makes (Markdown links\n"
    "and reference links, autolinks, [[wiki links]], HTML <a href>, Org and\n"
    "reStructuredText links) and the ones other documents of its root make to\n"
    "it.  Links are resolved against the index as it is now: a relative path\n"
    "(with .md tried for links without an extension, and for .html links to a\n"
    "site's pages), a wiki link's file name or title, or a URL whose path ends\n"
    "with a document's path.  FILE may be relative to the current directory,\n"
    "absolute, or relative to one of the index's roots.\n"
    "\n"
    "options:\n"
    "  --index DIR   the index to read (default: $CAIRN_INDEX, then .cairn/ here or above)\n"
    "  --json        one object: {\"path\", \"root\", \"title\", \"outgoing\": [{\"line\",\n"
    "                \"kind\", \"target\", \"text\", \"path\", \"title\", \"resolved_by\",\n"
    "                \"internal\"}], \"incoming\": [{\"path\", \"title\", \"line\", \"kind\",\n"
    "                \"target\", \"text\", \"resolved_by\"}]}\n"
    "                an outgoing path is null for external links and for\n"
    "                internal ones that lead to no indexed document\n"
    "\n"
    "Exit status: 0 the document was found, 1 an error, 2 bad usage.\n"
    "\n"
    "examples:\n"
    "  cairn links notes/sqlite-fts.md\n"
    "  cairn links --json notes/sqlite-fts.md | jq -r '.incoming[].path'\n";

static void add_opt(cJSON *o, const char *k, const char *v)
{
    if (v)
        cJSON_AddStringToObject(o, k, v);
    else
        cJSON_AddNullToObject(o, k);
}

static cJSON *item_json(const links_item *it, int out)
{
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return NULL;
    if (!out)
        add_opt(o, "path", it->path);
    if (!out)
        add_opt(o, "title", it->title);
    cJSON_AddNumberToObject(o, "line", it->line);
    cJSON_AddStringToObject(o, "kind", it->kind);
    cJSON_AddStringToObject(o, "target", it->target);
    add_opt(o, "text", it->text);
    if (out) {
        add_opt(o, "path", it->path);
        add_opt(o, "title", it->title);
    }
    add_opt(o, "resolved_by", it->how);
    if (out)
        cJSON_AddBoolToObject(o, "internal", it->internal);
    return o;
}

static int print_json(const links_result *r)
{
    cJSON *o = cJSON_CreateObject();
    cJSON *outs = o ? cJSON_AddArrayToObject(o, "outgoing") : NULL;
    cJSON *ins = o ? cJSON_AddArrayToObject(o, "incoming") : NULL;
    int ok = o && outs && ins;
    if (ok) {
        cJSON_AddStringToObject(o, "path", r->path);
        cJSON_AddStringToObject(o, "root", r->root);
        add_opt(o, "title", r->title);
    }
    for (size_t i = 0; ok && i < r->nout; i++) {
        cJSON *it = item_json(&r->out[i], 1);
        ok = it && cJSON_AddItemToArray(outs, it);
    }
    for (size_t i = 0; ok && i < r->nin; i++) {
        cJSON *it = item_json(&r->in[i], 0);
        ok = it && cJSON_AddItemToArray(ins, it);
    }
    if (!ok) {
        cJSON_Delete(o);
        return err_set(CAIRN_ERR_NOMEM, "out of memory writing JSON");
    }
    return qjson_print_line(o);
}

static void print_human(const links_result *r)
{
    printf("%s%s%s\n", r->path, r->title ? "  " : "", r->title ? r->title : "");
    printf("links out (%zu):\n", r->nout);
    for (size_t i = 0; i < r->nout; i++) {
        const links_item *it = &r->out[i];
        if (it->path)
            printf("  %5d  %s  %s\n", it->line, it->path, it->title ? it->title : "");
        else
            printf("  %5d  %s%s\n", it->line, it->target,
                   it->internal ? "  (not in the index)" : "");
    }
    printf("links in (%zu):\n", r->nin);
    for (size_t i = 0; i < r->nin; i++) {
        const links_item *it = &r->in[i];
        printf("  %s:%d  %s\n", it->path, it->line, it->title ? it->title : "");
    }
}

int cmd_links(int argc, char **argv)
{
    cli_opts opt = {0};
    if (cli_opts_parse("links", argc, argv, CLI_OPT_JSON, 0, &opt) != CLI_OK)
        return CLI_USAGE;
    const char *index_opt = opt.index_opt;
    int json = opt.json;
    if (optind >= argc)
        return cli_usage_error("links", "no FILE given");
    if (optind + 1 < argc)
        return cli_usage_error("links", "one FILE at a time");
    char *dir = NULL;
    store *s = NULL;
    resolved_file f = {0};
    links_result r = {0};
    int rc = cli_index_locate(index_opt, &dir);
    if (!rc)
        rc = store_open(dir, STORE_READ, &s);
    if (!rc)
        rc = resolve_file(s, argv[optind], &f);
    if (!rc)
        rc = links_run(s, &f, &r);
    if (!rc) {
        if (json)
            rc = print_json(&r);
        else
            print_human(&r);
    }
    int status = CLI_OK;
    if (rc) {
        cli_error("links: %s", err_msg());
        status = CLI_FAIL;
    }
    links_result_release(&r);
    resolved_file_release(&f);
    store_close(s);
    free(dir);
    return status;
}
