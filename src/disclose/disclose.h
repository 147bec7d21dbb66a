/*
 * disclose.h — disclosure control: nothing p20w publishes may single out a
 * small group (spec/indicators.md, "Disclosure defaults").
 *
 * A self-contained module over in-memory tables; it knows nothing of the
 * cube or the store. The caller builds a disclose_table (a k-dimensional
 * grid of cells, k = 1..3, plus every margin), runs disclose_run() with a
 * disclose_profile, and publishes exactly what the resulting disclose_cell
 * of each cell allows. disclose_audit() replays the attack the spec
 * describes (linear programming with GLPK over everything published) and
 * lists each cell it can pin down or narrow too much.
 *
 * Cells and margins. Dimension d has size[d] categories, indexed
 * 0..size[d]-1; the index DISCLOSE_TOTAL (== size[d] when stored) stands
 * for the total along d. A table of sizes {3, 2} therefore holds
 * (3+1)*(2+1) = 12 cells: 6 interior cells, 3 row totals, 2 column totals
 * and the grand total. Every cell, margins included, has a count n (for a
 * rate: its denominator), optionally a numerator (rate tables) and
 * optionally percentiles. disclose_table_fill_margins() computes margins
 * from the interior; disclose_table_check() verifies that they add up.
 *
 * What each status means (disclose_cell.status):
 *   P  published as is.
 *   S  primary suppression: n < min_n (nothing shown), or (rate tables,
 *      n shown) the rate withheld because no safe band exists (case 3
 *      below) — shown as "fewer than 10".
 *   C  complementary suppression: hidden so that S cells cannot be
 *      recovered by subtraction — shown as "suppressed".
 *   B  banded: the rate is shown only as a band ("≥99%", "≤5%"), either by
 *      top/bottom coding or because its numerator or non-numerator count is
 *      below min_n (then the numerator is not shown either; see below).
 *   L  pooled: suppressed in its single year, shown as the 3-year pooled
 *      cell instead (label, n and rate are the pooled ones).
 *   N  noised (profile dp) — not implemented.
 *
 * "Publish the band only" (numerator or non-numerator below min_n). A rate
 * shown exactly beside a published n gives its numerator away (m = rate*n),
 * so such a rate is shown as a band and its numerator is not shown:
 *   1. the top/bottom-coding band of its n when the rate lies in it
 *      ("≥99%", "≤5%": the spec's own bands);
 *   2. else a one-sided band wide enough to hold R = ceil((1 + protect_pct)
 *      * min_n) people (15 by default) on the small side: a small numerator
 *      shows as "≤X%", X the least whole percent with X n / 100 >= R; a
 *      small non-numerator as "≥Y%", Y the greatest whole percent with
 *      n - Y n / 100 >= R. With n known, "≤X%" says only that the
 *      numerator is one of 0..floor(X n / 100), a range reaching past
 *      min_n: nobody can tell the count is below min_n, let alone which;
 *   3. else (both counts small, or X >= 100, Y <= 0) the rate is withheld:
 *      status S, "fewer than 10", while n may still be shown.
 *
 * Protection. Complementary suppression hides whole cells (n, numerator,
 * rate, percentiles) until disclose_audit() passes: for every suppressed
 * cell, its n; and for every cell whose numerator m or non-numerator n - m
 * is below min_n and not shown, that count — the interval an attacker can
 * prove by LP over all published relations (published n and numerators,
 * rate bands, additivity of n and of numerators along every dimension,
 * 0 <= m <= n) covers [x - p x, x + p x] and is not a single point. For
 * a cell showing a band, the interval required of its numerator is capped
 * by what the band itself states: additivity must not narrow the band.
 * Percentiles add no linear relation and are governed by the n >=
 * min_n_percentile rule alone (show_pct).
 *
 * Memory: every allocation goes through util/mem.h except GLPK's own
 * (GLPK aborts the process when its allocator fails; that is GLPK's
 * contract, not ours). Not thread-safe across threads sharing a table;
 * separate tables may be processed concurrently except that GLPK keeps
 * per-thread state.
 */
#ifndef P20W_DISCLOSE_H
#define P20W_DISCLOSE_H

#include <stddef.h>

#include "util/error.h"

#define DISCLOSE_MAX_DIMS 3
#define DISCLOSE_MAX_BANDS 8
#define DISCLOSE_MAX_PCT 8
#define DISCLOSE_LABEL_MAX 48
/* Coordinate standing for "total along this dimension". */
#define DISCLOSE_TOTAL ((size_t)-1)
/* Upper bound on the cells of one table, margins included. */
#define DISCLOSE_MAX_CELLS ((size_t)4000000)
/* Upper bound on one count (n or numerator): keeps every sum and every
 * per-mille computation far from overflow. */
#define DISCLOSE_MAX_COUNT 1000000000000L

/* ---- profile ----------------------------------------------------------- */

/* Top/bottom coding for denominators n >= min_denominator (up to the next
 * band's min_denominator): a rate >= top_pct % is shown as "≥top%", a
 * rate <= bottom_pct % as "≤bottom%" (both edges inclusive). */
typedef struct disclose_band {
    long min_denominator;
    double top_pct;
    double bottom_pct;
} disclose_band;

/* Every number of the spec's disclosure rules. Plain value; fill it with
 * disclose_profile_default() and change fields as a state's rules need. */
typedef struct disclose_profile {
    long min_n;        /* least n (and count) published: 10 */
    size_t band_count; /* bands in use */
    disclose_band band[DISCLOSE_MAX_BANDS]; /* descending min_denominator */
    double protect_pct;                     /* p, as a fraction: 0.5 */
    long min_n_percentile; /* least n for percentiles/medians: 30 */
    int pool_years;        /* years in a pooled cell: 3 */
} disclose_profile;

/* The spec's profile `default`: min_n 10; bands 300 → 99/1, 100 → 98/2,
 * 40 → 95/5, 20 → 90/10, 10 → 80/20; protect_pct 0.5; percentiles from
 * n 30; pooling over 3 years. */
void disclose_profile_default(disclose_profile *p);

/* Checks a profile: min_n >= 1; 1..DISCLOSE_MAX_BANDS bands in strictly
 * descending min_denominator, the last <= min_n; 0.1 <= bottom_pct <
 * top_pct <= 99.9 (so no label can round to 0 % or 100 %); 0 <=
 * protect_pct <= 1; min_n_percentile >= min_n; pool_years >= 2.
 * Errors: P20W_EINVAL with a message naming the field. */
p20w_status disclose_profile_check(const disclose_profile *p, p20w_err *err);

/* The band (index into p->band) for denominator n, or -1 when n is below
 * every band. */
int disclose_band_for(const disclose_profile *p, long n);

/* ---- tables ------------------------------------------------------------ */

typedef struct disclose_table disclose_table;

/* Creates a table of ndims (1..3) dimensions with size[d] (>= 1)
 * categories each, every count 0. has_numerator: cells carry a numerator
 * (a rate or share table). pct_count (0..DISCLOSE_MAX_PCT): percentiles
 * per cell. The caller frees *out with disclose_table_free().
 * Errors: P20W_EINVAL (bad shape), P20W_ELIMIT (more than
 * DISCLOSE_MAX_CELLS cells), P20W_ENOMEM. */
p20w_status disclose_table_new(size_t ndims, const size_t *size,
                               int has_numerator, size_t pct_count,
                               disclose_table **out, p20w_err *err);
void disclose_table_free(disclose_table *t);

size_t disclose_table_dims(const disclose_table *t);
/* Categories along dimension d (d < dims). */
size_t disclose_table_size(const disclose_table *t, size_t d);
int disclose_table_has_numerator(const disclose_table *t);
size_t disclose_table_pct_count(const disclose_table *t);
/* Cells including margins: the product of (size[d] + 1). */
size_t disclose_table_cells(const disclose_table *t);

/* Index of the cell at coord[0..dims) (each < size[d] or DISCLOSE_TOTAL).
 * Errors: P20W_EINVAL for a coordinate out of range. */
p20w_status disclose_table_index(const disclose_table *t, const size_t *coord,
                                 size_t *idx);
/* Coordinates of cell idx (< cells) into coord[0..dims); totals come back
 * as DISCLOSE_TOTAL. */
void disclose_table_coord(const disclose_table *t, size_t idx, size_t *coord);
/* 1 when cell idx is a margin (some coordinate is a total). */
int disclose_table_is_margin(const disclose_table *t, size_t idx);

/* Sets cell idx: 0 <= n <= DISCLOSE_MAX_COUNT and, in a numerator table,
 * 0 <= numerator <= n (ignored otherwise). Errors: P20W_EINVAL. */
p20w_status disclose_table_set(disclose_table *t, size_t idx, long n,
                               long numerator);
long disclose_table_n(const disclose_table *t, size_t idx);
/* The numerator, 0 in a table without numerators. */
long disclose_table_numerator(const disclose_table *t, size_t idx);
/* Copies pct_count percentiles for cell idx (values as given, e.g.
 * earnings in dollars). */
void disclose_table_set_pct(disclose_table *t, size_t idx, const double *pct);
/* Percentile j of cell idx (j < pct_count). */
double disclose_table_pct(const disclose_table *t, size_t idx, size_t j);

/* Sets every margin's n and numerator to the sum of the interior cells it
 * covers. Percentiles of margins are left as the caller set them. A sum
 * cannot overflow: DISCLOSE_MAX_COUNT * DISCLOSE_MAX_CELLS < LONG_MAX on
 * every 64-bit platform; a margin above DISCLOSE_MAX_COUNT makes
 * disclose_table_check() fail. */
void disclose_table_fill_margins(disclose_table *t);

/* Verifies that every margin equals the sum along each of its total
 * dimensions, for n and numerators. Errors: P20W_EINVAL naming the
 * first cell (by index) that does not add up. */
p20w_status disclose_table_check(const disclose_table *t, p20w_err *err);

/* Makes t a share table: dimension `dim` holds categories (an outcome,
 * an industry), and every cell not on the total along `dim` is a share —
 * a count whose denominator is its group's total, the cell at the same
 * coordinates with `dim` = total. t must be a count table (no numerator).
 * Primary rules then treat each share as a rate over its group total
 * (count = numerator): a count below min_n is S; when the rest of the
 * group (total - count) is below min_n the count is not shown and the
 * share shows a band (B) or nothing (S); otherwise the count is shown
 * with its exact share, or with its band when the share is at or beyond
 * the band edge for the group's total (B, count shown). A share is shown
 * exactly only while its group total is shown: hiding a group total drops the
 * exact shares of its line (their counts stay). The audit protects each hidden
 * count and each rest below min_n, knowing every band (rate_lo * total <= count
 * <= rate_hi * total). Errors: P20W_EINVAL (a numerator table, dim out of
 * range). */
p20w_status disclose_table_set_share(disclose_table *t, size_t dim,
                                     p20w_err *err);
/* The share dimension of t, or -1. */
int disclose_table_share_dim(const disclose_table *t);

/* Declares that cell idx stands for `parts` (>= 1) cells the caller does
 * not publish, the largest of them `max_part` — the sum of the small rows
 * of a table, collapsed into one row because every cell of theirs is
 * suppressed anyway. Such a cell is never shown (status S). When parts >=
 * 2 the attacker can place the sum among its parts at will, so a part's
 * provable interval is [0, the sum's upper bound]: the audit asks only
 * that the sum can reach (1 + p) * max_part and is not pinned at 0.
 * Exact when every cell of the collapsed rows is hidden and nothing else
 * the attacker knows involves them one by one. Errors: P20W_EINVAL (idx
 * out of range, parts < 1, max_part outside 0..n), P20W_ENOMEM. */
p20w_status disclose_table_set_parts(disclose_table *t, size_t idx, long parts,
                                     long max_part);
/* The parts of cell idx (0: an ordinary cell). */
long disclose_table_parts(const disclose_table *t, size_t idx);

/* Adds the tables (same shape) cell by cell into a new table: the pooled
 * table for multi-year pooling. Percentiles are not pooled (they cannot be
 * computed from percentiles); the caller sets them from microdata when it
 * has them, else pooled cells show no percentiles. Errors: P20W_EINVAL
 * (shapes differ, count 0), P20W_ELIMIT (a sum overflows), P20W_ENOMEM. */
p20w_status disclose_table_sum(const disclose_table *const *tables,
                               size_t count, disclose_table **out,
                               p20w_err *err);

/* ---- results ----------------------------------------------------------- */

enum {
    DISCLOSE_P = 'P',
    DISCLOSE_S = 'S',
    DISCLOSE_C = 'C',
    DISCLOSE_B = 'B',
    DISCLOSE_L = 'L',
    DISCLOSE_N = 'N'
};

/* What may be published for one cell. */
typedef struct disclose_cell {
    char status;                    /* DISCLOSE_P, _S, _C, _B, _L */
    char label[DISCLOSE_LABEL_MAX]; /* text for the cell's value (UTF-8):
                                       "123", "45.6%", "≥99%", "fewer than
                                       10", "suppressed" */
    int show_n;                     /* n (count, denominator) may be shown */
    int show_numerator; /* the numerator may be shown beside the rate */
    int show_pct;       /* the percentiles may be shown */
    int has_rate;       /* a rate (exact or band) is published */
    int pooled;         /* values below are the pooled cell's (status L) */
    long n;             /* the n shown, when show_n */
    long numerator;     /* the numerator shown, when show_numerator */
    /* The published rate as an interval of fractions: lo == hi for an
     * exact rate, [top, 1] for "≥top%", [0, X] for "≤X%". Only when
     * has_rate. */
    double rate_lo, rate_hi;
} disclose_cell;

typedef struct disclose_result disclose_result;

/* Options of disclose_run(); zero-initialise, then set. */
typedef struct disclose_opts {
    int no_complementary; /* 1: primary rules only (tests, baselines) */
    /* Optional, one flag per cell: 1 = the cell must be hidden (status C
     * unless the primary rules already suppress it) before complementary
     * suppression starts. Callers protecting several tables that share
     * cells (a margin published in two tables) pass the cells another
     * table hid, and repeat until no table hides anything new, so a shared
     * cell has one status everywhere. */
    const unsigned char *force_hide;
    /* Optional, one flag per cell: 1 = hide as a complement only when no
     * other cell will do (the cell is published in a table protected
     * first, e.g. a race group's total beside race x sex). Primary rules
     * still apply to it. */
    const unsigned char *prefer_show;
} disclose_opts;

/* Applies every rule of the profile to t: primary suppression, top/bottom
 * coding, numerator bands, percentile threshold, then complementary
 * suppression until disclose_audit() finds nothing. Deterministic: the
 * same table and profile give the same result. opts may be NULL.
 * *out (freed with disclose_result_free()) has one disclose_cell per cell
 * of t. t must add up (disclose_table_check()).
 * Errors: P20W_EINVAL (bad profile or table, or a table no suppression
 * can protect: a share table of one category, whose every share is
 * 100 %), P20W_ENOMEM, P20W_EINTERNAL (the LP solver failed). */
p20w_status disclose_run(const disclose_profile *p, const disclose_table *t,
                         const disclose_opts *opts, disclose_result **out,
                         p20w_err *err);
void disclose_result_free(disclose_result *r);

size_t disclose_result_cells(const disclose_result *r);
const disclose_cell *disclose_result_cell(const disclose_result *r, size_t idx);
/* Cells with the given status. */
size_t disclose_result_count(const disclose_result *r, char status);

/* A result of ncells cells, every cell status C (shows nothing), for
 * callers that replay a stored publication into disclose_audit(). Errors:
 * P20W_ENOMEM. */
p20w_status disclose_result_new(size_t ncells, disclose_result **out);
/* Overwrites cell idx (< cells) with *c. */
void disclose_result_set(disclose_result *r, size_t idx,
                         const disclose_cell *c);

/* Publishes cell idx as a pooled cell (status L), taking the pooled
 * result's cell idx. Used by disclose_pool(); exposed so callers can
 * replay a stored publication. */
void disclose_result_set_pooled(disclose_result *r, size_t idx,
                                const disclose_cell *pooled);

/* ---- audit ------------------------------------------------------------- */

/* Which quantity of a cell failed. */
enum {
    DISCLOSE_Q_N = 0,        /* the count n */
    DISCLOSE_Q_NUMERATOR,    /* the numerator m */
    DISCLOSE_Q_NONNUMERATOR, /* n - m (a share: group total - count) */
    DISCLOSE_Q_SUM           /* a sum of cells (disclose_sum) not published */
};

/* Why it failed. */
enum {
    DISCLOSE_F_INTERVAL = 1, /* provable interval misses [x - px, x + px] */
    DISCLOSE_F_PINNED,       /* provable interval is the single point x */
    DISCLOSE_F_SINGLE,       /* a line holds exactly one suppressed cell */
    DISCLOSE_F_ZEROS,        /* a line's suppressed cells are all zero */
    DISCLOSE_F_SMALL,        /* a published count is below min_n */
    DISCLOSE_F_EXTREME,      /* a published rate is 0 % or 100 %, or beyond
                                its band edge unbanded */
    DISCLOSE_F_PCT           /* percentiles shown with n < min_n_percentile */
};

#define DISCLOSE_NO_SUM ((size_t)-1)

typedef struct disclose_failure {
    size_t table;  /* which table of the audited set (0 for one table) */
    size_t cell;   /* cell index (a sum: its last cell) */
    size_t sum;    /* DISCLOSE_Q_SUM: index of the sum; else
                      DISCLOSE_NO_SUM */
    int quantity;  /* DISCLOSE_Q_* */
    int reason;    /* DISCLOSE_F_* */
    double value;  /* true value of the quantity */
    double lo, hi; /* interval the attacker proves (hi may be HUGE_VAL) */
} disclose_failure;

/* Audits one published table: an attacker who knows every published
 * value of r (cells of status P and B, and what they show) and the
 * additivity of t solves, with GLPK, min and max of every protected
 * quantity (see top of file); every quantity whose interval does not
 * cover [x - p x, x + p x] or is a point is a failure, as is every breach
 * of the line rules (one suppressed cell in a line; suppressed cells of a
 * line all zero) or of the publication rules (published count < min_n,
 * 0 %/100 % or unbanded extreme rate, percentiles below
 * min_n_percentile). Cells of status L count as suppressed here: their
 * pooled values relate to other years (see disclose_pool_audit()).
 * *fails (array of *nfails, freed with p20w_free(); NULL when none) is
 * sorted by table, cell, quantity. Errors: P20W_EINVAL (r does not match
 * t), P20W_ENOMEM, P20W_EINTERNAL (LP solver failure). */
p20w_status disclose_audit(const disclose_profile *p, const disclose_table *t,
                           const disclose_result *r, disclose_failure **fails,
                           size_t *nfails, p20w_err *err);

/* The primary rules for one cell on its own: n (a count; a rate's
 * denominator; a share's count), numerator (a rate's, else -1) and
 * share_total (a share's group total, else -1). What disclose_run() gives
 * such a cell before complementary suppression; no percentiles. */
void disclose_cell_primary(const disclose_profile *p, long n, long numerator,
                           long share_total, disclose_cell *out);

/* ---- sets of tables ----------------------------------------------------- */

/* A cell of a set of tables. */
typedef struct disclose_ref {
    size_t table, cell;
} disclose_ref;

/* A sum of cells of a set (the same cell in consecutive years: a pooled
 * cell). With `shown` (a pooled cell published, status L), the attacker
 * knows what it shows of the sum: n, the numerator or the rate band (of a
 * share: over the sum of the cells' group totals). Without it (NULL), the
 * sum is not published and is protected like a hidden cell: its provable
 * interval must cover [x - p x, x + p x] and not be a point. */
typedef struct disclose_sum {
    size_t count;
    const disclose_ref *ref;
    const disclose_cell *shown;
} disclose_sum;

/* Tables audited together: an attacker who knows everything published in
 * all of them, where cells with one id are one unknown (a margin
 * published in several tables), plus the sums. */
typedef struct disclose_set {
    size_t count;
    const disclose_table *const *tab;
    const disclose_result *const *res;
    /* Optional: id[k][i] < nid names cell i of table k; every table
     * showing a cell with that id must show the same n and numerator. */
    const size_t *const *id;
    size_t nid;
    size_t nsums;
    const disclose_sum *sum;
    /* 1: every table was audited on its own (disclose_run() protected
     * it, or an earlier audit passed) and nothing changed since: prove
     * only what the set adds — the quantities of every group of linked
     * unknowns holding a cell shown in two tables or a cell of a sum —
     * and skip the line and publication rules, which are the tables'
     * own. */
    int only_joint;
    /* Optional, with ids: 4 flags per id (n, numerator, n - numerator,
     * and the unpublished sum whose last cell has that id). A set flag
     * skips the quantity; the audit sets the flag of every quantity it
     * proves protected. Sound for a caller that audits the same set
     * again after only hiding more or publishing fewer sums: that only
     * loosens the attacker's relations. */
    unsigned char *ok;
} disclose_set;

/* The audit of disclose_audit() over a set. A quantity shared by several
 * tables is proved once and reported at its first (table, cell) in set
 * order. Errors: P20W_EINVAL (a result does not match its table, ids that
 * disagree, a reference out of range), P20W_ENOMEM, P20W_EINTERNAL. */
p20w_status disclose_audit_set(const disclose_profile *p, const disclose_set *s,
                               disclose_failure **fails, size_t *nfails,
                               p20w_err *err);

/* Hides one more cell of result r (of table t) so as to cure failure f,
 * chosen as complementary suppression chooses (a cell in a line through
 * f's cell, large enough, least n; margins and prefer_show cells last).
 * Returns 1 and the cell in *cell when it hid one, 0 when every cell in
 * reach is hidden already. */
int disclose_complement(const disclose_profile *p, const disclose_table *t,
                        disclose_result *r, const disclose_failure *f,
                        const unsigned char *prefer_show, size_t *cell);

/* ---- multi-year pooling ------------------------------------------------ */

/* years[0..count) are the same table for consecutive years, oldest first
 * (count == p->pool_years), with their results res[] from disclose_run().
 * Builds the pooled table (disclose_table_sum(), or `pooled` when the
 * caller passes one with pooled percentiles set; NULL otherwise), protects
 * it with disclose_run(), and for every cell suppressed (S or C) in the
 * latest year whose pooled cell is published (P or B), publishes the
 * pooled cell in res[count-1] with status L. It then audits all years
 * together with the pooled publications (disclose_pool_audit()) and takes
 * back any L cell the attacker could use to narrow a suppressed
 * single-year cell, until the joint audit passes. *pooled_count (may be
 * NULL) receives the number of L cells. Errors: as disclose_run(). */
p20w_status disclose_pool(const disclose_profile *p,
                          const disclose_table *const *years,
                          disclose_result *const *res, size_t count,
                          const disclose_table *pooled, size_t *pooled_count,
                          p20w_err *err);

/* The joint audit: every year's table and result plus the equations
 * "sum over the years = published pooled value" of every L cell of
 * res[count-1]. Failures carry the year index in .table. */
p20w_status disclose_pool_audit(const disclose_profile *p,
                                const disclose_table *const *years,
                                const disclose_result *const *res, size_t count,
                                disclose_failure **fails, size_t *nfails,
                                p20w_err *err);

#endif
