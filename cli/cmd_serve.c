/*
 * cmd_serve.c — `cairn serve`: the index as a Model Context Protocol server
 * on stdin/stdout, for coding agents (mcp/server.h).
 */
#include "cli/cli.h"
#include "mcp/server.h"
#include "util/err.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char cmd_serve_help[] =
    "usage: cairn serve [--index DIR] [--no-watch] [--poll]\n"
    "\n"
    "Serve the index to a coding agent over the Model Context Protocol (MCP):\n"
    "JSON-RPC messages, one per line, on stdin and stdout; logs go to stderr.\n"
    "An MCP client (Claude Code, Codex CLI, Cursor...) starts this command\n"
    "itself; it runs until its input ends.\n"
    "\n"
    "Tools: search (ranked chunks), read (lines of an indexed file, confined to\n"
    "the indexed roots), find_symbol, find_references (callers and callees),\n"
    "outline, pack_context and repo_map (code for a task within a token\n"
    "budget), related and quote (for writing), index_status (roots, languages,\n"
    "freshness), reindex (refresh the roots, with progress, cancellable).\n"
    "Indexed files are also resources, cairn://file/<path>.  Protocol revision\n"
    "2025-11-25; 2025-06-18, 2025-03-26 and 2024-11-05 when the client asks.\n"
    "\n"
    "While serving, cairn keeps the index current by itself, as 'cairn watch'\n"
    "does: a file an agent saves is found by its next query.\n"
    "\n"
    "options:\n"
    "  --index DIR   the index to serve (default: $CAIRN_INDEX, then .cairn/ here or above)\n"
    "  --no-watch    do not follow file changes (the index changes only by reindex)\n"
    "  --poll        follow changes by rescanning every 2 s instead of inotify\n"
    "\n"
    "environment:\n"
    "  CAIRN_MCP_PAGE_SIZE   tools and resources per page of tools/list and\n"
    "                        resources/list (default 100 and 500)\n"
    "\n"
    "examples:\n"
    "  cairn serve --index ~/src/project/.cairn     # what an MCP client runs\n"
    "  claude mcp add cairn -- cairn serve --index ~/src/project/.cairn\n"
    "  echo '{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}' | cairn serve\n";

int cmd_serve(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"index", required_argument, NULL, 'i'},
        {"no-watch", no_argument, NULL, 'n'},
        {"poll", no_argument, NULL, 'p'},
        {NULL, 0, NULL, 0},
    };
    const char *index_opt = NULL;
    int c, watch = 1, poll_only = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (c) {
        case 'i': index_opt = optarg; break;
        case 'n': watch = 0; break;
        case 'p': poll_only = 1; break;
        default: return cli_usage_error("serve", "unknown option");
        }
    }
    if (optind < argc)
        return cli_usage_error("serve", "unexpected argument '%s'", argv[optind]);
    char *dir = NULL;
    int rc = cli_index_locate(index_opt, &dir);
    if (rc) {
        cli_error("serve: %s", err_msg());
        return CLI_FAIL;
    }
    /* Only protocol messages may reach the client: the protocol gets its
     * own descriptor and anything else printed to stdout lands on stderr. */
    fflush(stdout);
    int out = fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 3);
    if (out < 0 || dup2(STDERR_FILENO, STDOUT_FILENO) < 0) {
        cli_error("serve: cannot set up stdout: %s", strerror(errno));
        free(dir);
        return CLI_FAIL;
    }
    mcp_serve_opts o = {.index_dir = dir, .in_fd = STDIN_FILENO, .out_fd = out, .watch = watch,
                        .poll = poll_only};
    rc = mcp_serve(&o);
    if (rc)
        cli_error("serve: %s", err_msg());
    close(out);
    free(dir);
    return rc ? CLI_FAIL : CLI_OK;
}
