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
#include "util/sbuf.h"

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

/* ---- shares: a group's total (category NULL) and its categories ---------
 * A share table's rows show, for each cell: the category's name
 * ("Everyone in the group" for the total), the share ("54.9%", a band
 * "≥62%", or why it is hidden), the number of people in the category (its
 * count when shown) and the group's size (a count, never a percent). */

/* The share column's text; "–" for a group's total. */
void serve_fmt_share(const serve_req *r, const pub_cell *c, char *buf,
                     size_t cap);
/* The count in the category, "–" when not shown or a total. */
void serve_fmt_share_count(const serve_req *r, const pub_cell *c, char *buf,
                           size_t cap);
/* The group's size: a total's value, a category's n; "–" or why hidden. */
void serve_fmt_group_size(const serve_req *r, const pub_cell *c, char *buf,
                          size_t cap);
/* The category's name in the request's language (buf for composed
 * names). */
const char *serve_share_category(const serve_req *r, const pub_cell *c,
                                 char *buf, size_t cap);
/* The cells of a share row after its row header: category, share,
 * number, group size, status (5 <td>). */
p20w_status serve_share_tds(sbuf *b, const serve_req *r, const pub_cell *c);
/* The <thead> of a share table; first: the first column's title. */
p20w_status serve_share_thead(sbuf *b, const char *first);
/* A chart heading for a group: "Asian: 212 people" from its total cell
 * (NULL or not a total: the group's name alone). */
void serve_share_heading(const serve_req *r, const char *group,
                         const pub_cell *total, char *buf, size_t cap);

#endif
