/*
 * main.c — cairn's entry point and its table of commands.
 *
 * Adding a command is one row here plus its cli/cmd_<name>.c.
 */
#include "cli/cli.h"
#include "util/version.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const cli_command commands[] = {
    {"index", cmd_index, "create or update an index of source trees and writing", cmd_index_help},
    {"search", cmd_search, "ranked search over indexed code and prose", cmd_search_help},
    {"symbol", cmd_symbol, "where a function, class or type is defined", cmd_symbol_help},
    {"refs", cmd_refs, "who references a name, or what a definition references", cmd_refs_help},
    {"outline", cmd_outline, "the definitions of a file as a tree", cmd_outline_help},
    {"related", cmd_related, "documents related to a note or a draft", cmd_related_help},
    {"quote", cmd_quote, "citable passages of the writing that answer a query", cmd_quote_help},
    {"links", cmd_links, "what a document links to and what links to it", cmd_links_help},
    {"map", cmd_map, "the definitions that matter, as signatures within a budget", cmd_map_help},
    {"pack", cmd_pack, "the code needed for a task, within a token budget", cmd_pack_help},
    {"watch", cmd_watch, "keep an index current as files change", cmd_watch_help},
    {"eval", cmd_eval, "score search on a set of judged queries (MRR, nDCG, recall)", cmd_eval_help},
    {"check", cmd_check, "verify that an index is whole", cmd_check_help},
    {"status", cmd_status, "what an index holds and how fresh it is", cmd_status_help},
    {"serve", cmd_serve, "serve the index to coding agents over MCP (stdio)", cmd_serve_help},
    {"help", cmd_help, "show help for cairn or one command", cmd_help_help},
    {"version", cmd_version, "print cairn's version", cmd_version_help},
};

const cli_command *cli_commands(size_t *n)
{
    *n = sizeof commands / sizeof commands[0];
    return commands;
}

const cli_command *cli_command_find(const char *name)
{
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(commands[i].name, name) == 0)
            return &commands[i];
    return NULL;
}

void cli_error(const char *fmt, ...)
{
    va_list ap;
    fputs("cairn: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "cairn %s: ", cmd);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nTry 'cairn help %s'.\n", cmd);
    return CLI_USAGE;
}

int cli_print_help(const char *cmd)
{
    const cli_command *c = cli_command_find(cmd);
    if (!c)
        return cli_usage_error("help", "no command named '%s'", cmd);
    fputs(c->help, stdout);
    return CLI_OK;
}

const char cmd_help_help[] =
    "usage: cairn help [COMMAND]\n"
    "\n"
    "Without COMMAND, list cairn's commands; with it, show that command's\n"
    "options and examples (the same as 'cairn COMMAND --help').\n"
    "\n"
    "Example:\n"
    "  cairn help search\n";

int cmd_help(int argc, char **argv)
{
    if (argc > 1)
        return cli_print_help(argv[1]);
    printf("cairn %s — a code and writing index for agents and people\n\n"
           "usage: cairn COMMAND [OPTIONS] [ARGS]\n\n"
           "commands:\n",
           CAIRN_VERSION);
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        printf("  %-9s %s\n", commands[i].name, commands[i].summary);
    printf("\n"
           "Commands that read an index find it through --index DIR, then the\n"
           "CAIRN_INDEX environment variable, then a .cairn/ directory in the\n"
           "current directory or one of its parents.\n"
           "\n"
           "Exit status: 0 success, 1 failure (or no results for a search),\n"
           "2 a wrong command line.\n"
           "\n"
           "Run 'cairn help COMMAND' for a command's options and examples.\n");
    return CLI_OK;
}

const char cmd_version_help[] =
    "usage: cairn version\n"
    "\n"
    "Print cairn's version and the index schema version it reads.\n";

int cmd_version(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    printf("cairn %s\n", CAIRN_VERSION);
    return CLI_OK;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        cmd_help(1, argv);
        return CLI_USAGE;
    }
    const char *name = argv[1];
    if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0)
        return cmd_help(argc - 1, argv + 1);
    if (strcmp(name, "--version") == 0)
        return cmd_version(argc - 1, argv + 1);
    const cli_command *c = cli_command_find(name);
    if (!c) {
        cli_error("'%s' is not a cairn command; see 'cairn help'", name);
        return CLI_USAGE;
    }
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--") == 0)
            break;
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
            return cli_print_help(c->name);
    }
    return c->run(argc - 1, argv + 1);
}
