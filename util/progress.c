/*
 * progress.c — the terminal progress bar.
 */
#include "util/progress.h"

#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#define REDRAW_MS 100
#define BAR_WIDTH 24

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int term_width(void)
{
    struct winsize ws;
    if (ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 20)
        return ws.ws_col;
    return 80;
}

void progress_init(progress *p, const char *label, int wanted)
{
    memset(p, 0, sizeof *p);
    p->label = label;
    p->on = wanted && isatty(STDERR_FILENO);
}

void progress_set_total(progress *p, int64_t total) { p->total = total; }

void progress_update(progress *p, int64_t done, const char *detail)
{
    if (!p->on)
        return;
    int64_t t = now_ms();
    if (p->drawn && t - p->last_ms < REDRAW_MS && done != p->total)
        return;
    p->last_ms = t;
    char line[512];
    int len;
    if (p->total > 0) {
        int fill = (int)(done * BAR_WIDTH / p->total);
        char bar[BAR_WIDTH + 1];
        for (int i = 0; i < BAR_WIDTH; i++)
            bar[i] = i < fill ? '#' : '.';
        bar[BAR_WIDTH] = '\0';
        len = snprintf(line, sizeof line, "%s [%s] %lld/%lld %s", p->label, bar, (long long)done,
                       (long long)p->total, detail ? detail : "");
    } else {
        len = snprintf(line, sizeof line, "%s %lld %s", p->label, (long long)done,
                       detail ? detail : "");
    }
    int width = term_width() - 1;
    if (len > width)
        len = width;
    /* Never cut a UTF-8 sequence in half. */
    while (len > 0 && ((unsigned char)line[len] & 0xc0) == 0x80)
        len--;
    fprintf(stderr, "\r\033[K%.*s", len, line);
    fflush(stderr);
    p->drawn = 1;
}

void progress_finish(progress *p)
{
    if (p->on && p->drawn) {
        fputs("\r\033[K", stderr);
        fflush(stderr);
    }
    p->drawn = 0;
}
