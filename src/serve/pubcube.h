/*
 * pubcube.h — the published cube in memory: what the public may see of
 * one profile's cube, and nothing else.
 *
 * Loaded from published_cells joined with cube_cells (only cells that
 * went through disclosure control: a cube cell without a published_cells
 * row is never read). For each cell it keeps exactly what `p20w cube
 * --published` prints: the status, the label, and only the numbers the
 * published_cells columns allow (n when show_n, the numerator when
 * show_numerator, the value, the rate band, the percentiles when
 * show_pct). A cell with status S or C keeps no number but n when show_n
 * says the n itself is published; its value, numerator, band and
 * percentiles are dropped here even if a column held one.
 *
 * Layout: one pub_table per (indicator, dims) — "EMP_Q2" by "race,sex" —
 * its cells sorted by year, then dimension values, then category: for a
 * share, each group's total (no category) first, then its categories in
 * the order of their codes in the catalog (pub_cell.cat_order). The
 * structure is immutable once loaded, so any number of threads read it
 * without locks; the server swaps in a new one when a newer publication
 * appears (serveInt.h: cube_ref).
 */
#ifndef P20W_SERVE_PUBCUBE_H
#define P20W_SERVE_PUBCUBE_H

#include <stddef.h>
#include <stdint.h>

#include "dict/codeset.h"
#include "measure/measure.h"
#include "store/store.h"
#include "util/error.h"
#include "util/hmap.h"

/* Dimensions one published cell can carry (required dims + two). */
#define PUB_MAX_DIMS 4

enum {
    PUB_HAS_VALUE = 1, /* value: the exact rate, count or median */
    PUB_HAS_N = 2,
    PUB_HAS_NUM = 4,  /* numerator */
    PUB_HAS_RATE = 8, /* rate_lo..rate_hi (a band when lo < hi) */
    PUB_HAS_PCT = 16  /* p25, median, p75 */
};

typedef struct pub_cell {
    int32_t year;
    char status;                   /* 'P', 'S', 'C', 'B', 'L', 'N' */
    uint8_t has;                   /* PUB_HAS_* */
    const char *val[PUB_MAX_DIMS]; /* the table's dims' values, "~": the
                                      rest of a cut (not reported) */
    const char *category;          /* SHARE: the category; else NULL */
    int32_t cat_order; /* SHARE: the category's place in the indicator's
                          order (its code: OUTCOME_Yk, INDUSTRY_Yk; the
                          SOC code as a number); -1: no category */
    const char *label; /* what is shown: "fewer than 10" */
    double value, rate_lo, rate_hi, p25, median, p75;
    int64_t n, numerator;
} pub_cell;

typedef struct pub_table {
    const measure_indicator *ind; /* from the catalog */
    const char *dims;             /* "race,sex"; "" for the state total */
    int ndims;
    int dim[PUB_MAX_DIMS]; /* enum measure_dim, catalog order */
    const pub_cell *cells;
    size_t ncells;
    /* per column: the distinct values of every year, sorted, without the
     * rest "~" (for filter lists) */
    const char *const *values[PUB_MAX_DIMS];
    size_t nvalues[PUB_MAX_DIMS];
} pub_table;

typedef struct pubcube pubcube;

/* The cube's build and publication (empty strings when none). */
typedef struct pubcube_info {
    char profile[64];
    int64_t build_id;  /* 0: no complete build */
    char built_at[32]; /* the build's finished_at */
    char published_at[32];
    char sig[160]; /* pubcube_signature() when it was loaded */
    size_t cells, tables;
    size_t status[6]; /* P S C B L N */
} pubcube_info;

/* Loads the published cells of the complete build of `profile`, and the
 * names of the places, institutions and programs they name (labels.h;
 * reg may be NULL: no county or CIP names). No build is not an error:
 * the cube is empty (info.build_id 0). Errors: P20W_ESTORE, P20W_EFORMAT
 * (malformed dims_json), P20W_ENOMEM. */
p20w_status pubcube_load(store *db, const char *profile,
                         const codeset_registry *reg, pubcube **out,
                         p20w_err *err);

/* The complete builds of every profile, as a JSON array text:
 * [{"profile", "build_id", "finished_at", "settings": {profile JSON}}]. */
const char *pubcube_builds_json(const pubcube *c);

/* Names of values, "dim|value" -> name (labels.h serve_value_label). */
const hmap *pubcube_names(const pubcube *c);
void pubcube_free(pubcube *c);

/* A short text that changes whenever the build or publication of the
 * profile changes (cheap: two indexed lookups). */
p20w_status pubcube_signature(store *db, const char *profile, char *sig,
                              size_t cap, p20w_err *err);

const pubcube_info *pubcube_get_info(const pubcube *c);

/* The table of (indicator, dims), NULL when nothing of it is published.
 * dims as in pub_table ("race,sex", catalog order; "" the total). */
const pub_table *pubcube_table(const pubcube *c, const char *indicator,
                               const char *dims);
/* Every table, sorted by indicator (catalog order) then dims. */
size_t pubcube_table_count(const pubcube *c);
const pub_table *pubcube_table_at(const pubcube *c, size_t i);

/* Years of indicator with a published cell, ascending, at most max into
 * years; returns how many exist. */
size_t pubcube_years(const pubcube *c, const char *indicator, int32_t *years,
                     size_t max);
/* Published cells of indicator (every table), 0 when none. */
size_t pubcube_indicator_cells(const pubcube *c, const char *indicator);
/* Published cells of indicator that show a number (not S or C). */
size_t pubcube_indicator_shown(const pubcube *c, const char *indicator);

/* Index of the column of dimension `dim` in t, -1 when t lacks it. */
int pub_table_col(const pub_table *t, int dim);

#endif
