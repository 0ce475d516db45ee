/*
 * humantime.h — times and sizes for people: "2026-05-17 09:30 UTC (3 hours
 * ago)", "12.3 MB".  Used by every command and tool that reports them.
 */
#ifndef CAIRN_HUMANTIME_H
#define CAIRN_HUMANTIME_H

#include <stddef.h>
#include <stdint.h>

/* Unix time t as "YYYY-MM-DD HH:MM UTC (N units ago)" into out (size n);
 * "never" for t <= 0.  UTC, so that agents and logs agree across zones. */
void humantime_ago(int64_t t, char *out, size_t n);

/* A byte count as "812 B", "4.2 KB" or "12.3 MB" into out (size n). */
void humantime_size(int64_t bytes, char *out, size_t n);

#endif
