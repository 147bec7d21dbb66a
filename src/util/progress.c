/*
 * progress.c — terminal progress bar on stderr.
 *
 * Redraws are rate-limited to one per 100 ms so the bar costs nothing on
 * hot loops; the clock is read only every 4096 updates.
 */
#include "util/progress.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "util/mem.h"

struct progress {
    char label[64];
    uint64_t total;
    double start_s;
    double last_draw_s;
    unsigned calls;
    uint64_t rows;
};

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

progress *progress_start(const char *label, uint64_t total)
{
    const char *off = getenv("P20W_NO_PROGRESS");
    if ((off != NULL && off[0] != '\0') || !isatty(STDERR_FILENO))
        return NULL;
    progress *p = p20w_calloc(1, sizeof *p);
    if (p == NULL)
        return NULL; /* no bar is not an error */
    snprintf(p->label, sizeof p->label, "%s", label);
    p->total = total;
    p->start_s = now_s();
    return p;
}

static void draw(progress *p, uint64_t done, uint64_t rows, double t)
{
    double el = t - p->start_s;
    double rate = el > 0 ? (double)rows / el : 0;
    if (p->total > 0) {
        double frac = (double)done / (double)p->total;
        if (frac > 1)
            frac = 1;
        int width = 24, fill = (int)(frac * width);
        char bar[32];
        memset(bar, '#', (size_t)fill);
        memset(bar + fill, '.', (size_t)(width - fill));
        bar[width] = '\0';
        double eta = frac > 0 ? el * (1 - frac) / frac : 0;
        fprintf(stderr, "\r%s [%s] %3.0f%%  %.0f rows/s  ETA %.0fs   ",
                p->label, bar, frac * 100, rate, eta);
    } else {
        fprintf(stderr, "\r%s  %llu rows  %.0f rows/s   ", p->label,
                (unsigned long long)rows, rate);
    }
}

void progress_update(progress *p, uint64_t done, uint64_t rows)
{
    if (p == NULL)
        return;
    p->rows = rows;
    if ((++p->calls & 4095) != 0)
        return;
    double t = now_s();
    if (t - p->last_draw_s < 0.1)
        return;
    p->last_draw_s = t;
    draw(p, done, rows, t);
}

void progress_finish(progress *p)
{
    if (p == NULL)
        return;
    draw(p, p->total, p->rows, now_s());
    fputc('\n', stderr);
    p20w_free(p);
}
