/*
 * task.c — the task and the index that cairn map and cairn pack work on.
 */
#include "cli/task.h"
#include "query/resolve.h"
#include "util/err.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cli_task_read(int argc, char **argv, int from, int stdin_dash, buf *out)
{
    if (stdin_dash && from == argc - 1 && strcmp(argv[from], "-") == 0) {
        char chunk[65536];
        size_t n;
        while ((n = fread(chunk, 1, sizeof chunk, stdin)) > 0)
            if (buf_append(out, chunk, n))
                return err_set(CAIRN_ERR_TOOBIG, "the task on standard input is over %d bytes",
                               CLI_MAX_TASK_BYTES);
        return CAIRN_OK;
    }
    for (int i = from; i < argc; i++)
        if ((i > from && buf_putc(out, ' ')) || buf_puts(out, argv[i]))
            return err_set(CAIRN_ERR_TOOBIG, "the task is over %d bytes", CLI_MAX_TASK_BYTES);
    return CAIRN_OK;
}

int cli_task_index_open(const cli_opts *o, cli_task_index *ix)
{
    int rc = cli_index_locate(o->index_opt, &ix->dir);
    if (!rc)
        rc = store_open(ix->dir, STORE_READ, &ix->s);
    if (!rc)
        rc = resolve_files(ix->s, o->focus, o->nfocus, ix->focus_ids);
    if (!rc)
        rc = rank_graph_load(ix->s, &ix->g);
    return rc;
}

void cli_task_index_close(cli_task_index *ix)
{
    rank_graph_free(ix->g);
    store_close(ix->s);
    free(ix->dir);
    memset(ix, 0, sizeof *ix);
}
