/*
 * svg.h — charts drawn by the server as inline SVG, accessible by
 * construction: the <svg> has role="img" and is labelled by its own
 * <title> and <desc>; every label and value is real <text> (read by
 * screen readers, searchable, translatable); colours come from the
 * Okabe–Ito palette (safe for colour-blind readers) and never carry
 * meaning alone — each series also has its own fill pattern and every
 * bar is labelled directly with its value. Cells that are not published
 * are drawn as a marked gap (a dashed empty slot) with the reason in
 * words; banded cells as a hatched range with their label.
 *
 * No style attributes or <style> elements (the Content-Security-Policy
 * forbids inline styles): presentation attributes only.
 */
#ifndef P20W_SERVE_SVG_H
#define P20W_SERVE_SVG_H

#include <stddef.h>

#include "util/sbuf.h"

enum svg_bar_kind {
    SVG_VALUE = 0, /* a bar from 0 to value */
    SVG_BAND,      /* a range value..hi (a banded rate) */
    SVG_HIDDEN     /* no number: a marked gap; text says why */
};

typedef struct svg_bar {
    const char *label; /* the category ("Hispanic or Latino") */
    int kind;          /* enum svg_bar_kind */
    double value, hi;  /* in axis units */
    const char *text;  /* written at the bar's end: "85.3%", "≥95%",
                          "Suppressed: fewer than 10" */
    int series;        /* grouped charts: 0..SVG_MAX_SERIES-1, named by
                          the legend; one bar per row: its fill, any of
                          0..SVG_FILLS-1 (a colour and a pattern) */
    const char *group; /* NULL, or the heading of the bar's group: written
                          on a row of its own above the first bar of each
                          run of bars with equal groups ("Asian: 212
                          people" above one bar per category) */
} svg_bar;

#define SVG_MAX_SERIES 4
/* Distinct fills (colour and pattern) of bars on rows of their own. */
#define SVG_FILLS 8

typedef struct svg_chart {
    const char *id;            /* unique within the page: [a-z0-9-] */
    const char *title;         /* short; also the accessible name */
    const char *desc;          /* one or two sentences saying what it shows */
    double max;                /* axis maximum; <= 0: from the data */
    int percent;               /* values are fractions, ticks show 0%..100% */
    const char *unit_prefix;   /* "$" for dollars; NULL none */
    const char *const *series; /* legend names, nseries of them */
    size_t nseries;
    const char *lang; /* "en"/"es": decimal separator of tick labels */
} svg_chart;

/* Appends a horizontal bar chart of n bars (grouped by consecutive equal
 * labels when nseries > 1; under a heading row per run of equal groups
 * when bars name their group). Strings are escaped here. Errors:
 * P20W_ELIMIT, P20W_ENOMEM (of the buffer); P20W_EINVAL for a bad id. */
p20w_status svg_bar_chart(sbuf *out, const svg_chart *c, const svg_bar *bars,
                          size_t n);

/* The palette: Okabe–Ito colours in series order. */
const char *svg_series_color(int series);

#endif
