/*
 * progress.h — a one-line progress bar on stderr for long work.
 *
 * Shown only when enabled and stderr is a terminal, so piped and scripted
 * runs stay quiet; redrawn at most ten times a second so that drawing never
 * costs more than the work it reports.
 */
#ifndef CAIRN_PROGRESS_H
#define CAIRN_PROGRESS_H

#include <stdint.h>

typedef struct progress {
    int on;              /* drawing at all */
    const char *label;   /* borrowed; must outlive the bar */
    int64_t total;       /* 0 when unknown */
    int64_t last_ms;     /* time of the last redraw */
    int drawn;           /* something is on the line */
} progress;

/* Start a bar labelled `label`; wanted = 0 (e.g. --quiet) keeps it off. */
void progress_init(progress *p, const char *label, int wanted);

void progress_set_total(progress *p, int64_t total);

/* Report `done` units finished; `detail` (may be NULL) is shown after the
 * counts, cut to the terminal's width. */
void progress_update(progress *p, int64_t done, const char *detail);

/* Erase the bar so that the next line prints clean. */
void progress_finish(progress *p);

#endif
