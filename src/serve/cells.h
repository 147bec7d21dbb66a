/*
 * cells.h — one published table's cells as the API, the CSV downloads and
 * the pages all show them, so the three always hold the same cells with
 * the same numbers.
 *
 * A selection is an indicator, a table (its dims) and filters: a year, a
 * value per dimension of the table, a status. The fields of a cell are
 * those `p20w cube --published` prints: year, the dims' values, category
 * (SHARE), status, shown (the label), then only the numbers the cell
 * shows: value, n, numerator, denominator (= n of a rate), rate_lo,
 * rate_hi (a band), p25, median, p75.
 */
#ifndef P20W_SERVE_CELLS_H
#define P20W_SERVE_CELLS_H

#include <jansson.h>
#include <stddef.h>

#include "serve/pubcube.h"
#include "util/sbuf.h"

typedef struct serve_sel {
    const measure_indicator *ind;
    char dims[96];                   /* canonical: "sex,race" */
    const pub_table *t;              /* NULL when nothing of it is published */
    int32_t year;                    /* 0: every year */
    const char *value[PUB_MAX_DIMS]; /* per column of t; NULL: any */
    char status;                     /* 0: any */
} serve_sel;

/* Plans a selection: the canonical dims of ind cut by `by` (names joined
 * by ',', any order; NULL or "" for the state total) plus its required
 * dims. Errors (why filled, in the request's language): an unknown
 * dimension, one the indicator does not allow, more than two, a two-way
 * cut other than race with sex or econ. */
p20w_status serve_sel_plan(serve_sel *s, const measure_indicator *ind,
                           const char *by, char *why, size_t cap);

/* 1 when cell c of s->t passes the filters. */
int serve_sel_match(const serve_sel *s, const pub_cell *c);

/* The shortest text of v that reads back exactly. */
void serve_fmt_exact(double v, char *buf, size_t cap);

/* The cell as a JSON object (the fields above, plus "labels": the
 * readable name of each dim value in the request's language, and of the
 * category when category_label is not NULL). NULL when out of memory. */
json_t *serve_cell_json(const pub_table *t, const pub_cell *c,
                        const hmap *names, const char *category_label);

/* One CSV field (a comma before it unless first), quoted when needed. */
p20w_status serve_csv_field(sbuf *out, const char *v, int first);

/* The numeric fields of a cell, in CSV column order: value, n,
 * numerator, denominator, rate_lo, rate_hi, p25, median, p75; "" when
 * the cell does not show it. */
#define SERVE_CELL_NUMBERS 9
extern const char *const serve_cell_number_names[SERVE_CELL_NUMBERS];
void serve_cell_number(const pub_cell *c, int k, char *buf, size_t cap);

/* The CSV header and one row per selected cell (RFC 4180, CRLF). */
p20w_status serve_cells_csv(const serve_sel *s, sbuf *out);

/* ---- the tables of the pages ----------------------------------------------
 * A page's table mixes cells of several published tables (the state's,
 * a school's, the groups'), so its CSV names each row's table: columns
 * indicator, year, by (the table's dims, "race,sex"; "" the state), values
 * (the cell's dims values joined by ','), category (share tables only;
 * "" for a group's total), status, shown, then the numbers above. The
 * rows of the HTML table carry the same fields as data-* attributes
 * (data-indicator, data-year, data-by, data-key = values, data-category
 * for a share, data-status, data-value...), which the browser tests
 * compare with the CSV and the API. */
p20w_status serve_rows_csv_head(sbuf *out, int share);
p20w_status serve_row_csv(sbuf *out, const measure_indicator *ind,
                          const pub_table *t, const pub_cell *c, int share);
p20w_status serve_row_data(sbuf *out, const measure_indicator *ind,
                           const pub_table *t, const pub_cell *c);

#endif
