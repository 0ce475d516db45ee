/*
 * humantime.c — times and sizes for people.
 */
#include "util/humantime.h"

#include <stdio.h>
#include <time.h>

void humantime_ago(int64_t t, char *out, size_t n)
{
    if (t <= 0) {
        snprintf(out, n, "never");
        return;
    }
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    char day[32];
    strftime(day, sizeof day, "%Y-%m-%d %H:%M UTC", &tm);
    long long ago = (long long)(time(NULL) - tt);
    if (ago < 120)
        snprintf(out, n, "%s (%lld seconds ago)", day, ago);
    else if (ago < 7200)
        snprintf(out, n, "%s (%lld minutes ago)", day, ago / 60);
    else if (ago < 172800)
        snprintf(out, n, "%s (%lld hours ago)", day, ago / 3600);
    else
        snprintf(out, n, "%s (%lld days ago)", day, ago / 86400);
}

void humantime_size(int64_t b, char *out, size_t n)
{
    if (b >= 1 << 20)
        snprintf(out, n, "%.1f MB", (double)b / (1 << 20));
    else if (b >= 1 << 10)
        snprintf(out, n, "%.1f KB", (double)b / (1 << 10));
    else
        snprintf(out, n, "%lld B", (long long)b);
}
