/*
 * pages.h — what the public pages (pages.c) share with the feedback
 * reports (reports.c) and the information pages (info.c).
 */
#ifndef P20W_SERVE_PAGES_H
#define P20W_SERVE_PAGES_H

#include <stddef.h>

#include "measure/measure.h"
#include "serve/pubcube.h"
#include "serve/serve.h"

/* The indicator's title in the request's language. */
const char *serve_ind_title(const serve_req *r, const measure_indicator *ind);

/* The plain-language explanation of an indicator (short sentences),
 * translated; "" when none. */
const char *serve_plain_text(const char *id);

/* What a table cell shows: "85.3%", "$34,500", "≥95%", "Hidden: too few
 * people". */
void serve_fmt_shown(const serve_req *r, const measure_indicator *ind,
                     const pub_cell *c, char *buf, size_t cap);

/* How a cell is drawn (enum svg_bar_kind) and its value (or band
 * value..hi): rates and counts by value, pay by the median. */
int serve_cell_plot(const measure_indicator *ind, const pub_cell *c, double *v,
                    double *hi);

/* The meaning of a status, translated. */
const char *serve_status_text(char status);

#endif
