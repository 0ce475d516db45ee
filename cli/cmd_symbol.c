/*
 * cmd_symbol.c — `cairn symbol`: where is NAME defined.
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

const char cmd_symbol_help[] =
    "usage: cairn symbol [--index DIR] [--kind KIND] [-k N] [--json] NAME\n"
    "\n"
    "Find the definitions of NAME: functions, methods, classes, structs,\n"
    "enums, interfaces, traits, types, macros and module-level constants.\n"
    "NAME may be a plain name (join) or a qualified one (Path.join,\n"
    "http.server.HTTPServer, Vec.push).  Exact matches come first; when there\n"
    "are none, names starting with NAME; when there are none either, names\n"
    "within a few typos of NAME or containing its letters in order.\n"
    "\n"
    "options:\n"
    "  --index DIR   the index to read (default: $CAIRN_INDEX, then .cairn/ here or above)\n"
    "  --kind KIND   only this kind (function, method, class, struct, enum, interface,\n"
    "                trait, impl, type, macro, constant, module, namespace, variable)\n"
    "  -k N          at most N definitions (default 20)\n"
    "  --json        one object per line: {\"path\", \"root\", \"lang\", \"name\", \"qualname\",\n"
    "                \"kind\", \"signature\", \"doc\", \"start_line\", \"end_line\", \"match\"}\n"
    "\n"
    "Output: path:line  kind  qualname, the signature, and the first line of\n"
    "its documentation.  Exit status 1 when nothing matches.\n"
    "\n"
    "examples:\n"
    "  cairn symbol HTTPServer\n"
    "  cairn symbol --kind method get_event_loop\n"
    "  cairn symbol --json store_open | jq -r .signature\n";

static void print_first_line(const char *prefix, const char *text)
{
    if (!text || !*text)
        return;
    while (*text == ' ' || *text == '\n' || *text == '\t' || *text == '\r')
        text++;
    size_t n = strcspn(text, "\r\n");
    printf("%s%.*s\n", prefix, (int)(n > 200 ? 200 : n), text);
}

int cmd_symbol(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"index", required_argument, NULL, 'i'}, {"kind", required_argument, NULL, 'K'},
        {"json", no_argument, NULL, 'j'},        {"limit", required_argument, NULL, 'k'},
        {NULL, 0, NULL, 0},
    };
    const char *index_opt = NULL, *kind = NULL;
    int json = 0, c, limit = SYMBOLS_DEFAULT_LIMIT;
    optind = 1;
    while ((c = getopt_long(argc, argv, "k:", longopts, NULL)) != -1) {
        switch (c) {
        case 'i': index_opt = optarg; break;
        case 'K': kind = optarg; break;
        case 'j': json = 1; break;
        case 'k': {
            long long v = cli_parse_count("symbol", "-k", optarg, SYMBOLS_MAX_LIMIT);
            if (v <= 0)
                return v < 0 ? CLI_USAGE : cli_usage_error("symbol", "-k must be at least 1");
            limit = (int)v;
            break;
        }
        default: return cli_usage_error("symbol", "unknown option");
        }
    }
    if (optind != argc - 1)
        return cli_usage_error("symbol", "give exactly one NAME");
    const char *name = argv[optind];
    char *dir = NULL;
    store *s = NULL;
    store_sym_list defs;
    store_sym_list_init(&defs);
    enum symbols_match how = SYMBOLS_EXACT;
    int rc = cli_index_locate(index_opt, &dir);
    if (!rc)
        rc = store_open(dir, STORE_READ, &s);
    if (!rc)
        rc = symbols_find(s, name, kind, limit, &defs, &how);
    for (size_t i = 0; !rc && i < defs.n; i++) {
        const store_sym *y = &defs.items[i];
        if (json) {
            rc = qjson_print_line(qjson_sym(y, symbols_match_name(how)));
            continue;
        }
        char shown[PATH_MAX * 2];
        cli_display_path(y->root, y->path, shown, sizeof shown);
        printf("%s:%d  %s  %s\n", shown, y->start_line, y->kind, y->qualname);
        print_first_line("    ", y->signature);
        print_first_line("    # ", y->doc);
    }
    int status = CLI_OK;
    if (rc) {
        cli_error("symbol: %s", err_msg());
        status = CLI_FAIL;
    } else if (defs.n == 0) {
        if (!json)
            fprintf(stderr, "cairn: no definition matches '%s'\n", name);
        status = CLI_FAIL;
    } else if (!json && how != SYMBOLS_EXACT) {
        fprintf(stderr, "cairn: no exact definition of '%s'; showing %s matches\n", name,
                symbols_match_name(how));
    }
    store_sym_list_release(&defs);
    store_close(s);
    free(dir);
    return status;
}
