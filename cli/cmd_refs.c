/*
 * cmd_refs.c — `cairn refs`: who references NAME, or (--callees) what the
 * definitions of NAME reference.
 */
#include "cli/cli.h"
#include "query/json.h"
#include "query/symbols.h"
#include "util/err.h"

#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char cmd_refs_help[] =
    "usage: cairn refs [--index DIR] [--callees] [--kind KIND] [-k N] [--json] NAME\n"
    "\n"
    "List every reference to NAME — calls, type uses, imports and includes,\n"
    "inheritance — with the definition each one sits in (its caller).  With\n"
    "--callees, list instead what the definitions of NAME reference, each\n"
    "resolved to a definition where the name allows it.\n"
    "\n"
    "References are matched by name: when several definitions share NAME,\n"
    "each reference is reported with confidence 1/n.  A qualified NAME\n"
    "(Class.method) looks up references by its last component.\n"
    "\n"
    "options:\n"
    "  --index DIR   the index to read (default: $CAIRN_INDEX, then .cairn/ here or above)\n"
    "  --callees     what NAME's definitions reference, instead of who references NAME\n"
    "  --kind KIND   only references of this kind: call, type, import, include, inherit\n"
    "  -k N          at most N references (default 200)\n"
    "  --json        one object per line; references: {\"path\", \"root\", \"line\", \"kind\",\n"
    "                \"name\", \"qualifier\", \"caller\", \"caller_kind\", \"text\", \"confidence\"};\n"
    "                callees: {\"from\", \"name\", \"qualifier\", \"kind\", \"path\", \"root\",\n"
    "                \"line\", \"target\": {\"path\", \"root\", \"qualname\", \"kind\",\n"
    "                \"start_line\"} or null, \"confidence\"}\n"
    "\n"
    "examples:\n"
    "  cairn refs store_open\n"
    "  cairn refs --kind call HTTPServer\n"
    "  cairn refs --callees pipeline_index_root\n";

#define REFS_DEFAULT_LIMIT 200

static int show_callers(store *s, const char *name, const char *kind, int limit, int json, size_t *count)
{
    store_ref_list refs;
    store_ref_list_init(&refs);
    int ndefs = 0;
    int rc = symbols_callers(s, name, kind, limit, &refs, &ndefs);
    double conf = ndefs > 1 ? 1.0 / ndefs : 1.0;
    for (size_t i = 0; !rc && i < refs.n; i++) {
        const store_ref *r = &refs.items[i];
        char *text = NULL;
        if (store_line_text(s, r->file_id, r->line, &text) == CAIRN_ERR_NOMEM) {
            rc = CAIRN_ERR_NOMEM;
            break;
        }
        if (json) {
            rc = qjson_print_line(qjson_ref(r, text, conf));
        } else {
            char shown[PATH_MAX * 2];
            cli_display_path(r->root, r->path, shown, sizeof shown);
            const char *t = text ? text : "";
            while (*t == ' ' || *t == '\t')
                t++;
            printf("%s:%d  %s  in %s\n    %s\n", shown, r->line, r->kind,
                   r->caller ? r->caller : "(top level)", t);
        }
        free(text);
    }
    *count = refs.n;
    store_ref_list_release(&refs);
    return rc;
}

static int show_callees(store *s, const char *name, int limit, int json, size_t *count)
{
    symbols_callee_list cl;
    int rc = symbols_callees(s, name, limit, &cl);
    for (size_t i = 0; !rc && i < cl.n; i++) {
        const symbols_callee *c = &cl.items[i];
        if (json) {
            rc = qjson_print_line(qjson_callee(c));
            continue;
        }
        char shown[PATH_MAX * 2];
        if (c->target) {
            cli_display_path(c->target->root, c->target->path, shown, sizeof shown);
            printf("%-8s %s%s%s  -> %s:%d %s%s\n", c->ref.kind, c->ref.qualifier ? c->ref.qualifier : "",
                   c->ref.qualifier ? "." : "", c->ref.name, shown, c->target->start_line,
                   c->target->qualname, c->confidence < 1 ? "  (ambiguous)" : "");
        } else {
            printf("%-8s %s%s%s  (not defined in the index)\n", c->ref.kind,
                   c->ref.qualifier ? c->ref.qualifier : "", c->ref.qualifier ? "." : "", c->ref.name);
        }
    }
    *count = cl.n;
    symbols_callee_list_release(&cl);
    return rc;
}

int cmd_refs(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"index", required_argument, NULL, 'i'}, {"callees", no_argument, NULL, 'c'},
        {"kind", required_argument, NULL, 'K'},  {"json", no_argument, NULL, 'j'},
        {"limit", required_argument, NULL, 'k'}, {NULL, 0, NULL, 0},
    };
    const char *index_opt = NULL, *kind = NULL;
    int json = 0, callees = 0, c, limit = REFS_DEFAULT_LIMIT;
    optind = 1;
    while ((c = getopt_long(argc, argv, "k:", longopts, NULL)) != -1) {
        switch (c) {
        case 'i': index_opt = optarg; break;
        case 'c': callees = 1; break;
        case 'K': kind = optarg; break;
        case 'j': json = 1; break;
        case 'k': {
            long long v = cli_parse_count("refs", "-k", optarg, 100000);
            if (v <= 0)
                return v < 0 ? CLI_USAGE : cli_usage_error("refs", "-k must be at least 1");
            limit = (int)v;
            break;
        }
        default: return cli_usage_error("refs", "unknown option");
        }
    }
    if (optind != argc - 1)
        return cli_usage_error("refs", "give exactly one NAME");
    const char *name = argv[optind];
    char *dir = NULL;
    store *s = NULL;
    size_t count = 0;
    int rc = cli_index_locate(index_opt, &dir);
    if (!rc)
        rc = store_open(dir, STORE_READ, &s);
    if (!rc)
        rc = callees ? show_callees(s, name, limit, json, &count)
                     : show_callers(s, name, kind, limit, json, &count);
    int status = CLI_OK;
    if (rc) {
        cli_error("refs: %s", err_msg());
        status = CLI_FAIL;
    } else if (count == 0) {
        if (!json)
            fprintf(stderr, "cairn: no %s of '%s' in the index\n", callees ? "references from" : "references to", name);
        status = CLI_FAIL;
    }
    store_close(s);
    free(dir);
    return status;
}
