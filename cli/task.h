/*
 * task.h — what cairn map and cairn pack share: reading the task they are
 * given, and opening the index with its focus files and reference graph.
 */
#ifndef CAIRN_CLI_TASK_H
#define CAIRN_CLI_TASK_H

#include "cli/cli.h"
#include "query/rank.h"
#include "store/store.h"
#include "util/buf.h"

#include <stdint.h>

#define CLI_MAX_TASK_BYTES (1 << 20)

/* The task: argv[from..argc) joined by spaces, or, when stdin_dash is set
 * and the one operand is "-", standard input.  Appended to out (its cap
 * should be CLI_MAX_TASK_BYTES); CAIRN_ERR_TOOBIG past the cap. */
int cli_task_read(int argc, char **argv, int from, int stdin_dash, buf *out);

/* The index opened for a task: the store, the --focus files' ids and the
 * reference graph.  Start it zeroed; release it with cli_task_index_close,
 * also after a failed open. */
typedef struct cli_task_index {
    char *dir;
    store *s;
    rank_graph *g;
    int64_t focus_ids[CLI_MAX_FOCUS];
} cli_task_index;

int cli_task_index_open(const cli_opts *o, cli_task_index *ix);
void cli_task_index_close(cli_task_index *ix);

#endif
