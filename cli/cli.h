/*
 * cli.h — the command-line front end: one table of commands (cli/main.c),
 * one handler per command (cli/cmd_<name>.c), and the helpers they share.
 *
 * Every handler has the same signature: it gets argv with argv[0] being the
 * command's name, prints its results on stdout and its errors on stderr,
 * and returns the process exit status: CLI_OK, CLI_FAIL (the work failed or,
 * for searches, found nothing) or CLI_USAGE (the command line was wrong).
 */
#ifndef CAIRN_CLI_H
#define CAIRN_CLI_H

#include <stddef.h>
#include <stdio.h>

enum { CLI_OK = 0, CLI_FAIL = 1, CLI_USAGE = 2 };

typedef int (*cli_handler)(int argc, char **argv);

typedef struct cli_command {
    const char *name;
    cli_handler run;
    const char *summary; /* one line for `cairn help` */
    const char *help;    /* the whole `cairn help NAME` text: usage, options, examples */
} cli_command;

/* The command table, in the order `cairn help` lists it. */
const cli_command *cli_commands(size_t *n);
const cli_command *cli_command_find(const char *name);

/* Print "cairn: <message>\n" on stderr. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Print the command's usage line and a pointer to its help on stderr;
 * returns CLI_USAGE. */
int cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Print the command's help on stdout; returns CLI_OK. */
int cli_print_help(const char *cmd);

/* Find the index directory for commands that read one: --index DIR (opt),
 * then $CAIRN_INDEX, then a .cairn/ in the current directory or a parent.
 * *out is malloc'd (caller frees).  CAIRN_ERR_NOTFOUND with a message
 * saying what was tried. */
int cli_index_locate(const char *opt, char **out);

/* A path for people to read: relative to the current directory when it is
 * below it, else absolute.  Written into out (size n). */
void cli_display_path(const char *root, const char *rel, char *out, size_t n);

/* Parse a non-negative integer option value with an upper bound; prints a
 * usage error and returns -1 when it is not one. */
long long cli_parse_count(const char *cmd, const char *opt, const char *value, long long max);

/* The options several commands share.  --index DIR is always taken; the
 * others when named in the accept mask.  cli_opts_parse fills what was
 * given into a cli_opts whose budget and json hold the command's defaults,
 * and leaves optind at the first operand. */
enum {
    CLI_OPT_JSON = 1,     /* --json */
    CLI_OPT_MARKDOWN = 2, /* --markdown: json off again */
    CLI_OPT_BUDGET = 4,   /* --budget TOKENS, at most max_budget */
    CLI_OPT_FOCUS = 8,    /* --focus PATH, repeatable */
};
#define CLI_MAX_FOCUS 64

typedef struct cli_opts {
    const char *index_opt; /* NULL when not given */
    const char *focus[CLI_MAX_FOCUS];
    size_t nfocus;
    size_t budget;
    int json;
} cli_opts;

/* CLI_OK, or CLI_USAGE after a usage error naming cmd. */
int cli_opts_parse(const char *cmd, int argc, char **argv, unsigned accept, size_t max_budget,
                   cli_opts *o);

/* Handlers and help texts, one pair per cli/cmd_<name>.c. */
int cmd_index(int argc, char **argv);
int cmd_search(int argc, char **argv);
int cmd_status(int argc, char **argv);
int cmd_symbol(int argc, char **argv);
int cmd_refs(int argc, char **argv);
int cmd_outline(int argc, char **argv);
int cmd_related(int argc, char **argv);
int cmd_quote(int argc, char **argv);
int cmd_links(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_eval(int argc, char **argv);
int cmd_watch(int argc, char **argv);
int cmd_map(int argc, char **argv);
int cmd_pack(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_help(int argc, char **argv);
int cmd_version(int argc, char **argv);
extern const char cmd_index_help[];
extern const char cmd_search_help[];
extern const char cmd_status_help[];
extern const char cmd_symbol_help[];
extern const char cmd_refs_help[];
extern const char cmd_outline_help[];
extern const char cmd_related_help[];
extern const char cmd_quote_help[];
extern const char cmd_links_help[];
extern const char cmd_check_help[];
extern const char cmd_eval_help[];
extern const char cmd_watch_help[];
extern const char cmd_map_help[];
extern const char cmd_pack_help[];
extern const char cmd_serve_help[];
extern const char cmd_help_help[];
extern const char cmd_version_help[];

#endif
