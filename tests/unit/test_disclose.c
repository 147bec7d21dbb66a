/*
 * test_disclose.c — disclosure control: minimum n, band edges, numerator
 * bands, percentiles, complementary suppression and its LP audit,
 * multi-year pooling, randomized tables, allocation failures.
 */
#include "testutil.h"

#include <glpk.h>
#include <limits.h>
#include <math.h>

#include "disclose/disclose.h"
#include "util/mem.h"

/* ---- helpers ----------------------------------------------------------- */

/* A table from interior values listed with dimension 0 varying fastest
 * (for 2-D: rows of size[0] values); margins are filled in. m may be
 * NULL for a count table. */
static disclose_table *mk(size_t ndims, const size_t *size, const long *n,
                          const long *m)
{
    disclose_table *t = NULL;
    assert_int_equal(disclose_table_new(ndims, size, m != NULL, 0, &t, NULL),
                     P20W_OK);
    size_t k = 0, coord[DISCLOSE_MAX_DIMS];
    for (size_t i = 0; i < disclose_table_cells(t); i++) {
        if (disclose_table_is_margin(t, i))
            continue;
        disclose_table_coord(t, i, coord);
        assert_int_equal(disclose_table_set(t, i, n[k], m ? m[k] : 0), P20W_OK);
        k++;
    }
    disclose_table_fill_margins(t);
    assert_int_equal(disclose_table_check(t, NULL), P20W_OK);
    return t;
}

/* 2-D: `rows` rows of `cols` values; cell (r, c) is at coord {c, r}. */
static disclose_table *mk2(size_t rows, size_t cols, const long *n,
                           const long *m)
{
    size_t size[2] = {cols, rows};
    return mk(2, size, n, m);
}

static size_t at2(const disclose_table *t, size_t r, size_t c)
{
    size_t coord[2] = {c, r}, i = 0;
    assert_int_equal(disclose_table_index(t, coord, &i), P20W_OK);
    return i;
}

static disclose_result *run(const disclose_profile *p, const disclose_table *t,
                            int complementary)
{
    disclose_opts o = {0};
    o.no_complementary = !complementary;
    disclose_result *r = NULL;
    p20w_err err = {0};
    p20w_status rc = disclose_run(p, t, &o, &r, &err);
    if (rc != P20W_OK)
        fail_msg("disclose_run: %s", err.msg);
    return r;
}

static size_t audit_count(const disclose_profile *p, const disclose_table *t,
                          const disclose_result *r, disclose_failure **out)
{
    disclose_failure *f = NULL;
    size_t nf = 0;
    p20w_err err = {0};
    if (disclose_audit(p, t, r, &f, &nf, &err) != P20W_OK)
        fail_msg("disclose_audit: %s", err.msg);
    if (out != NULL)
        *out = f;
    else
        p20w_free(f);
    return nf;
}

static int hidden(const disclose_cell *c)
{
    return !c->show_n || c->pooled;
}

/* Lines of a table (any dims): count hidden cells per line through the
 * public API and check the line rules. */
static void assert_line_rules(const disclose_table *t, const disclose_result *r)
{
    size_t k = disclose_table_dims(t), coord[3];
    for (size_t i = 0; i < disclose_table_cells(t); i++) {
        disclose_table_coord(t, i, coord);
        for (size_t d = 0; d < k; d++) {
            if (coord[d] != DISCLOSE_TOTAL)
                continue;
            size_t h = 0, nz = 0;
            for (size_t j = 0; j <= disclose_table_size(t, d); j++) {
                size_t c2[3], idx;
                memcpy(c2, coord, sizeof c2);
                c2[d] = j == disclose_table_size(t, d) ? DISCLOSE_TOTAL : j;
                assert_int_equal(disclose_table_index(t, c2, &idx), P20W_OK);
                if (hidden(disclose_result_cell(r, idx))) {
                    h++;
                    nz += disclose_table_n(t, idx) > 0;
                }
            }
            if (h == 1)
                fail_msg("line of total %zu along %zu has one hidden cell", i,
                         d);
            /* (a line of nothing but zeros has no other set to offer) */
            if (h > 1 && nz == 0 && disclose_table_n(t, i) > 0)
                fail_msg("line of total %zu along %zu hides only zeros", i, d);
        }
    }
}

/* ---- profile ----------------------------------------------------------- */

static void test_profile_default(void **state)
{
    (void)state;
    disclose_profile p;
    disclose_profile_default(&p);
    assert_int_equal(p.min_n, 10);
    assert_int_equal(p.min_n_percentile, 30);
    assert_int_equal(p.pool_years, 3);
    assert_true(p.protect_pct == 0.5);
    static const disclose_band want[] = {
        {300, 99, 1}, {100, 98, 2}, {40, 95, 5}, {20, 90, 10}, {10, 80, 20}};
    assert_int_equal(p.band_count, 5);
    for (size_t i = 0; i < 5; i++) {
        assert_int_equal(p.band[i].min_denominator, want[i].min_denominator);
        assert_true(p.band[i].top_pct == want[i].top_pct);
        assert_true(p.band[i].bottom_pct == want[i].bottom_pct);
    }
    assert_int_equal(disclose_profile_check(&p, NULL), P20W_OK);
    /* band for n: edges of every band */
    static const struct {
        long n;
        int band;
    } bf[] = {{9, -1}, {10, 4},  {19, 4},  {20, 3},  {39, 3},    {40, 2},
              {99, 2}, {100, 1}, {299, 1}, {300, 0}, {100000, 0}};
    for (size_t i = 0; i < sizeof bf / sizeof bf[0]; i++)
        assert_int_equal(disclose_band_for(&p, bf[i].n), bf[i].band);
}

static void test_profile_invalid(void **state)
{
    (void)state;
    static const struct {
        const char *what;
        int field;
        double value;
    } rows[] = {
        {"min_n 0", 0, 0},
        {"protect_pct < 0", 1, -0.1},
        {"protect_pct > 1", 1, 1.5},
        {"min_n_percentile < min_n", 2, 5},
        {"pool_years 1", 3, 1},
        {"top 100", 4, 100},
        {"bottom 0", 5, 0},
        {"bands not descending", 6, 500},
        {"last band above min_n", 7, 11},
        {"no bands", 8, 0},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        disclose_profile p;
        disclose_profile_default(&p);
        switch (rows[i].field) {
        case 0:
            p.min_n = (long)rows[i].value;
            break;
        case 1:
            p.protect_pct = rows[i].value;
            break;
        case 2:
            p.min_n_percentile = (long)rows[i].value;
            break;
        case 3:
            p.pool_years = (int)rows[i].value;
            break;
        case 4:
            p.band[0].top_pct = rows[i].value;
            break;
        case 5:
            p.band[2].bottom_pct = rows[i].value;
            break;
        case 6:
            p.band[1].min_denominator = (long)rows[i].value;
            break;
        case 7:
            p.band[4].min_denominator = (long)rows[i].value;
            break;
        case 8:
            p.band_count = 0;
            break;
        }
        p20w_err err = {0};
        if (disclose_profile_check(&p, &err) != P20W_EINVAL)
            fail_msg("profile '%s' accepted", rows[i].what);
        assert_true(err.msg[0] != '\0');
        disclose_table *t = mk2(1, 1, (long[]){50}, NULL);
        disclose_result *r = NULL;
        assert_int_equal(disclose_run(&p, t, NULL, &r, NULL), P20W_EINVAL);
        assert_null(r);
        disclose_table_free(t);
    }
}

/* ---- tables ------------------------------------------------------------ */

static void test_table_layout(void **state)
{
    (void)state;
    disclose_table *t = NULL;
    size_t size[3] = {3, 2, 4};
    assert_int_equal(disclose_table_new(3, size, 1, 0, &t, NULL), P20W_OK);
    assert_int_equal(disclose_table_cells(t), 4 * 3 * 5);
    size_t coord[3] = {2, DISCLOSE_TOTAL, 1}, back[3], idx;
    assert_int_equal(disclose_table_index(t, coord, &idx), P20W_OK);
    disclose_table_coord(t, idx, back);
    assert_memory_equal(coord, back, sizeof coord);
    assert_true(disclose_table_is_margin(t, idx));
    coord[1] = 2; /* out of range (size 2: 0, 1) */
    assert_int_equal(disclose_table_index(t, coord, &idx), P20W_EINVAL);
    coord[1] = 1;
    assert_int_equal(disclose_table_index(t, coord, &idx), P20W_OK);
    assert_false(disclose_table_is_margin(t, idx));
    assert_int_equal(disclose_table_set(t, idx, 5, 6), P20W_EINVAL);
    assert_int_equal(disclose_table_set(t, idx, -1, 0), P20W_EINVAL);
    assert_int_equal(disclose_table_set(t, idx, 5, 2), P20W_OK);
    /* margins not filled yet: the check names a total */
    p20w_err err = {0};
    assert_int_equal(disclose_table_check(t, &err), P20W_EINVAL);
    assert_non_null(strstr(err.msg, "not the sum"));
    disclose_table_fill_margins(t);
    assert_int_equal(disclose_table_check(t, NULL), P20W_OK);
    size_t g[3] = {DISCLOSE_TOTAL, DISCLOSE_TOTAL, DISCLOSE_TOTAL};
    assert_int_equal(disclose_table_index(t, g, &idx), P20W_OK);
    assert_int_equal(disclose_table_n(t, idx), 5);
    assert_int_equal(disclose_table_numerator(t, idx), 2);
    disclose_table_free(t);
    /* bad shapes */
    size_t zero[1] = {0};
    assert_int_equal(disclose_table_new(1, zero, 0, 0, &t, NULL), P20W_EINVAL);
    assert_int_equal(disclose_table_new(4, size, 0, 0, &t, NULL), P20W_EINVAL);
    size_t huge[3] = {1000, 1000, 1000};
    assert_int_equal(disclose_table_new(3, huge, 0, 0, &t, NULL), P20W_ELIMIT);
    assert_null(t);
}

/* ---- primary rules ----------------------------------------------------- */

typedef struct rate_case {
    long n, m;
    char status;
    const char *label;
    int show_numerator;
} rate_case;

/* One-cell rate tables (the cell and its total are equal; primary rules
 * only). Every edge of every band, 0 % and 100 %, and the numerator
 * band for small numerators / non-numerators. */
static const rate_case rate_cases[] = {
    /* minimum n */
    {9, 9, 'S', "fewer than 10", 0},
    {9, 0, 'S', "fewer than 10", 0},
    {0, 0, 'S', "fewer than 10", 0},
    /* n 10..19: ≥80 / ≤20 */
    {10, 0, 'B', "≤20%", 0},
    {10, 2, 'B', "≤20%", 0},          /* at the edge */
    {10, 3, 'S', "fewer than 10", 0}, /* 3 and 7: both small, no band */
    {10, 7, 'S', "fewer than 10", 0},
    {10, 8, 'B', "≥80%", 0}, /* at the edge */
    {10, 10, 'B', "≥80%", 0},
    {19, 3, 'B', "≤20%", 0},  /* 15.8 % */
    {19, 4, 'B', "≤79%", 0},  /* 21.1 %: just above, numerator band */
    {19, 15, 'B', "≥21%", 0}, /* 78.9 %: just below, non-numerator band */
    {19, 16, 'B', "≥80%", 0}, /* 84.2 % */
    {19, 19, 'B', "≥80%", 0},
    /* n 20..39: ≥90 / ≤10 */
    {20, 0, 'B', "≤10%", 0},
    {20, 2, 'B', "≤10%", 0}, /* at */
    {20, 3, 'B', "≤75%", 0}, /* above: numerator 3 */
    {20, 10, 'P', "50.0%", 1},
    {20, 17, 'B', "≥25%", 0}, /* below: non-numerator 3 */
    {20, 18, 'B', "≥90%", 0}, /* at */
    {20, 20, 'B', "≥90%", 0},
    {39, 3, 'B', "≤10%", 0}, /* 7.7 % */
    {39, 4, 'B', "≤39%", 0}, /* 10.3 % */
    {39, 20, 'P', "51.2%", 1},
    {39, 35, 'B', "≥61%", 0}, /* 89.7 % */
    {39, 36, 'B', "≥90%", 0}, /* 92.3 % */
    /* n 40..99: ≥95 / ≤5 */
    {40, 0, 'B', "≤5%", 0},
    {40, 2, 'B', "≤5%", 0},   /* at */
    {40, 3, 'B', "≤38%", 0},  /* above */
    {40, 37, 'B', "≥62%", 0}, /* below */
    {40, 38, 'B', "≥95%", 0}, /* at */
    {40, 40, 'B', "≥95%", 0},
    {99, 4, 'B', "≤5%", 0},   /* 4.04 % */
    {99, 5, 'B', "≤16%", 0},  /* 5.05 % */
    {99, 94, 'B', "≥84%", 0}, /* 94.9 % */
    {99, 95, 'B', "≥95%", 0}, /* 95.96 % */
    /* n 100..299: ≥98 / ≤2 */
    {100, 0, 'B', "≤2%", 0},
    {100, 2, 'B', "≤2%", 0},
    {100, 3, 'B', "≤15%", 0},
    {100, 50, 'P', "50.0%", 1},
    {100, 97, 'B', "≥85%", 0},
    {100, 98, 'B', "≥98%", 0},
    {100, 100, 'B', "≥98%", 0},
    {299, 5, 'B', "≤2%", 0},    /* 1.67 % */
    {299, 6, 'B', "≤6%", 0},    /* 2.007 % */
    {299, 293, 'B', "≥94%", 0}, /* 97.99 % */
    {299, 294, 'B', "≥98%", 0}, /* 98.33 % */
    /* n >= 300: ≥99 / ≤1 */
    {300, 0, 'B', "≤1%", 0},
    {300, 3, 'B', "≤1%", 0}, /* at */
    {300, 4, 'B', "≤5%", 0}, /* above */
    {300, 150, 'P', "50.0%", 1},
    {300, 296, 'B', "≥95%", 0}, /* below */
    {300, 297, 'B', "≥99%", 0}, /* at */
    {300, 300, 'B', "≥99%", 0},
    /* large n: both counts >= 10 around the edges */
    {2000, 20, 'B', "≤1%", 0},     /* 1.00 % at */
    {2000, 21, 'P', "1.1%", 1},    /* 1.05 %: rounded away from the edge */
    {2000, 1979, 'P', "98.9%", 1}, /* 98.95 %: not shown as 99.0 % */
    {2000, 1980, 'B', "≥99%", 0},  /* 99.00 % at */
    {2000, 1, 'B', "≤1%", 0},
    {2000, 1999, 'B', "≥99%", 0},
};

static void test_rate_edges(void **state)
{
    (void)state;
    disclose_profile p;
    disclose_profile_default(&p);
    for (size_t i = 0; i < sizeof rate_cases / sizeof rate_cases[0]; i++) {
        const rate_case *rc = &rate_cases[i];
        disclose_table *t = mk2(1, 1, &rc->n, &rc->m);
        disclose_result *r = run(&p, t, 0);
        const disclose_cell *c = disclose_result_cell(r, 0);
        if (c->status != rc->status || strcmp(c->label, rc->label) != 0 ||
            c->show_numerator != rc->show_numerator)
            fail_msg("n=%ld m=%ld: got %c '%s' num=%d, want %c '%s' num=%d",
                     rc->n, rc->m, c->status, c->label, c->show_numerator,
                     rc->status, rc->label, rc->show_numerator);
        assert_int_equal(c->show_n, rc->n >= 10);
        if (c->has_rate) {
            /* the published interval holds the true rate, never 0 or 1
             * exactly as a point */
            double rate = (double)rc->m / (double)rc->n;
            assert_true(c->rate_lo <= rate + 1e-12);
            assert_true(c->rate_hi >= rate - 1e-12);
            if (c->rate_lo == c->rate_hi)
                assert_true(rate > 0.0 && rate < 1.0);
        }
        assert_null(strstr(c->label, "100"));
        assert_int_not_equal(strcmp(c->label, "0.0%"), 0);
        disclose_result_free(r);
        disclose_table_free(t);
    }
}

/* The numerator band never lets the count be pinned below min_n: with n
 * shown, "≤X%" allows every numerator 0..floor(X n / 100), which reaches
 * at least ceil(1.5 min_n) = 15; "≥Y%" likewise for n - m. */
static void test_numerator_band_reach(void **state)
{
    (void)state;
    disclose_profile p;
    disclose_profile_default(&p);
    static const long ns[] = {150, 199, 200, 299, 300, 301, 500, 1000, 1499};
    for (size_t ni = 0; ni < 111 + sizeof ns / sizeof ns[0]; ni++) {
        long n = ni < 111 ? 10 + (long)ni : ns[ni - 111];
        const disclose_band *b = &p.band[disclose_band_for(&p, n)];
        for (long m = 0; m <= n; m++) {
            int small = m < 10 || n - m < 10;
            if (!small)
                continue;
            disclose_table *t = mk2(1, 1, &n, &m);
            disclose_result *r = run(&p, t, 0);
            const disclose_cell *c = disclose_result_cell(r, 0);
            assert_false(c->show_numerator);
            assert_true(c->status == 'B' || c->status == 'S');
            if (c->status == 'B') {
                double lo = c->rate_lo * (double)n, hi = c->rate_hi * (double)n;
                assert_true(lo <= (double)m + 1e-9 && hi >= (double)m - 1e-9);
                int coded =
                    (c->rate_lo == 0.0 &&
                     c->rate_hi * 100.0 == b->bottom_pct) ||
                    (c->rate_hi == 1.0 && c->rate_lo * 100.0 == b->top_pct);
                /* Outside top/bottom coding, the band holds >= 15 counts
                 * on the small side: the count cannot be told < 10. */
                if (!coded && m < 10)
                    assert_true(floor(hi + 1e-9) >= 15.0);
                if (!coded && n - m < 10)
                    assert_true((double)n - ceil(lo - 1e-9) >= 15.0);
            }
            disclose_result_free(r);
            disclose_table_free(t);
        }
    }
}

static void test_count_min_n_and_percentiles(void **state)
{
    (void)state;
    disclose_profile p;
    disclose_profile_default(&p);
    static const struct {
        long n;
        char status;
        int show_pct;
    } rows[] = {{0, 'S', 0},  {9, 'S', 0},  {10, 'P', 0},
                {29, 'P', 0}, {30, 'P', 1}, {31, 'P', 1}};
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        disclose_table *t = NULL;
        size_t size[1] = {1};
        assert_int_equal(disclose_table_new(1, size, 0, 3, &t, NULL), P20W_OK);
        assert_int_equal(disclose_table_set(t, 0, rows[i].n, 0), P20W_OK);
        double pct[3] = {21000.0, 34000.0, 52000.0};
        disclose_table_set_pct(t, 0, pct);
        disclose_table_set_pct(t, 1, pct);
        disclose_table_fill_margins(t);
        disclose_result *r = run(&p, t, 0);
        const disclose_cell *c = disclose_result_cell(r, 0);
        assert_int_equal(c->status, rows[i].status);
        assert_int_equal(c->show_pct, rows[i].show_pct);
        assert_int_equal(c->show_n, rows[i].n >= 10);
        if (rows[i].n < 10)
            assert_string_equal(c->label, "fewer than 10");
        else
            assert_int_equal(strtol(c->label, NULL, 10), rows[i].n);
        assert_true(disclose_table_pct(t, 0, 1) == 34000.0);
        disclose_result_free(r);
        disclose_table_free(t);
    }
}

/* ---- complementary suppression ----------------------------------------- */

static void test_row_with_one_small_cell(void **state)
{
    (void)state;
    disclose_profile p;
    disclose_profile_default(&p);
    /* One small cell (4) at row 1, column 2. */
    static const long n[] = {
        40, 55, 61, 70, /* row 0 */
        38, 47, 4,  66, /* row 1 */
        52, 44, 58, 73, /* row 2 */
    };
    disclose_table *t = mk2(3, 4, n, NULL);
    disclose_result *r = run(&p, t, 1);
    assert_int_equal(disclose_result_cell(r, at2(t, 1, 2))->status, 'S');
    assert_string_equal(disclose_result_cell(r, at2(t, 1, 2))->label,
                        "fewer than 10");
    size_t row_c = 0, col_c = 0;
    for (size_t c = 0; c <= 4; c++)
        row_c += c != 2 && hidden(disclose_result_cell(
                               r, at2(t, 1, c == 4 ? DISCLOSE_TOTAL : c)));
    for (size_t q = 0; q <= 3; q++)
        col_c += q != 1 && hidden(disclose_result_cell(
                               r, at2(t, q == 3 ? DISCLOSE_TOTAL : q, 2)));
    assert_true(row_c >= 1);
    assert_true(col_c >= 1);
    assert_true(disclose_result_count(r, 'C') >= 3);
    assert_line_rules(t, r);
    assert_int_equal(audit_count(&p, t, r, NULL), 0);
    /* complements are C, labelled, and show nothing */
    for (size_t i = 0; i < disclose_result_cells(r); i++) {
        const disclose_cell *c = disclose_result_cell(r, i);
        if (c->status == 'C') {
            assert_string_equal(c->label, "suppressed");
            assert_false(c->show_n || c->show_numerator || c->has_rate);
        }
    }
    /* deterministic */
    disclose_result *r2 = run(&p, t, 1);
    for (size_t i = 0; i < disclose_result_cells(r); i++)
        assert_int_equal(disclose_result_cell(r, i)->status,
                         disclose_result_cell(r2, i)->status);
    disclose_result_free(r2);
    disclose_result_free(r);
    disclose_table_free(t);
}

/* A cell another table hid (force_hide) shows nothing here either, and
 * gets complements of its own: the two tables agree on the shared cell
 * and neither gives it away by subtraction. */
static void test_force_hide(void **state)
{
    (void)state;
    disclose_profile p;
    disclose_profile_default(&p);
    static const long n[] = {
        40, 55, 61, 70, /* row 0 */
        38, 47, 44, 66, /* row 1 */
        52, 44, 58, 73, /* row 2 */
    };
    disclose_table *t = mk2(3, 4, n, NULL);
    unsigned char *force = test_calloc(disclose_table_cells(t), 1);
    /* the row total of row 1, say hidden by the table it shares */
    size_t shared = at2(t, 1, DISCLOSE_TOTAL);
    force[shared] = 1;
    disclose_opts o = {0};
    o.force_hide = force;
    disclose_result *r = NULL;
    p20w_err err;
    assert_int_equal(disclose_run(&p, t, &o, &r, &err), P20W_OK);
    assert_int_equal(disclose_result_cell(r, shared)->status, 'C');
    assert_false(disclose_result_cell(r, shared)->show_n);
    /* without force nothing is small: nothing would be hidden */
    disclose_result *plain = run(&p, t, 1);
    assert_int_equal(disclose_result_count(plain, 'C'), 0);
    /* with it, the column of totals holds a second hidden cell */
    assert_true(disclose_result_count(r, 'C') >= 2);
    assert_line_rules(t, r);
    assert_int_equal(audit_count(&p, t, r, NULL), 0);
    disclose_result_free(plain);
    disclose_result_free(r);
    test_free(force);
    disclose_table_free(t);
}

/* Without complementary suppression the audit must fail: the small cell
 * is its row total minus the published cells. */
static void test_audit_fails_without_complements(void **state)
{
    (void)state;
    disclose_profile p;
    disclose_profile_default(&p);
    static const long n[] = {40, 55, 61, 38, 47, 4, 52, 44, 58};
    disclose_table *t = mk2(3, 3, n, NULL);
    disclose_result *r = run(&p, t, 0);
    disclose_failure *f = NULL;
    size_t nf = audit_count(&p, t, r, &f);
    assert_true(nf >= 1);
    int pinned = 0, single = 0;
    for (size_t k = 0; k < nf; k++) {
        if (f[k].cell != at2(t, 1, 2))
            continue;
        if (f[k].reason == DISCLOSE_F_PINNED) {
            pinned = 1;
            assert_true(fabs(f[k].lo - 4.0) < 1e-6);
            assert_true(fabs(f[k].hi - 4.0) < 1e-6);
        }
        single |= f[k].reason == DISCLOSE_F_SINGLE;
    }
    assert_true(pinned);
    assert_true(single);
    p20w_free(f);
    disclose_result_free(r);
    r = run(&p, t, 1);
    assert_int_equal(audit_count(&p, t, r, NULL), 0);
    disclose_result_free(r);
    disclose_table_free(t);
}

/* A hand-made publication whose complements are too small to protect
 * themselves: the audit reports the interval it proves. */
static void test_audit_reports_interval(void **state)
{
    (void)state;
    disclose_profile p;
    disclose_profile_default(&p);
    static const long n[] = {3, 100, 20, 100, 100, 20, 20, 20, 20};
    disclose_table *t = mk2(3, 3, n, NULL);
    disclose_result *r = run(&p, t, 0);
    /* hide the 2x2 block (0,0) (0,1) (1,0) (1,1) */
    for (size_t rr = 0; rr < 2; rr++)
        for (size_t cc = 0; cc < 2; cc++) {
            disclose_cell *c =
                (disclose_cell *)disclose_result_cell(r, at2(t, rr, cc));
            memset(c, 0, sizeof *c);
            c->status = 'C';
        }
    disclose_failure *f = NULL;
    size_t nf = audit_count(&p, t, r, &f);
    /* With t = (0,0): (0,1) = (1,0) = 103 - t, (1,1) = 97 + t, t in
     * [0, 103]. The 3 is covered; (0,1) cannot reach 150 and (1,1)
     * cannot go below 97. */
    int saw = 0;
    for (size_t k = 0; k < nf; k++) {
        assert_true(f[k].cell != at2(t, 0, 0));
        assert_int_equal(f[k].reason, DISCLOSE_F_INTERVAL);
        if (f[k].cell == at2(t, 0, 1)) {
            assert_true(fabs(f[k].lo - 0.0) < 1e-6);
            assert_true(fabs(f[k].hi - 103.0) < 1e-6);
            saw |= 1;
        }
        if (f[k].cell == at2(t, 1, 1)) {
            assert_true(fabs(f[k].lo - 97.0) < 1e-6);
            assert_true(fabs(f[k].hi - 200.0) < 1e-6);
            saw |= 2;
        }
    }
    assert_int_equal(saw, 3);
    assert_int_equal(nf, 3);
    p20w_free(f);
    disclose_result_free(r);
    disclose_table_free(t);
}

/* Small cells that are all zeros never form a suppression set alone. */
static void test_no_all_zero_sets(void **state)
{
    (void)state;
    disclose_profile p;
    disclose_profile_default(&p);
    static const long n[] = {
        0,  0,  45, 60, /* two zeros in one row */
        30, 41, 0,  55, /* a zero under a big column */
        0,  33, 28, 47,
    };
    disclose_table *t = mk2(3, 4, n, NULL);
    disclose_result *r = run(&p, t, 0);
    /* primary only: the zero pair (0,0) (0,1) is pinned at 0 */
    disclose_failure *f = NULL;
    size_t nf = audit_count(&p, t, r, &f);
    int zeros = 0;
    for (size_t k = 0; k < nf; k++)
        zeros |=
            f[k].reason == DISCLOSE_F_ZEROS || f[k].reason == DISCLOSE_F_PINNED;
    assert_true(zeros);
    p20w_free(f);
    disclose_result_free(r);
    r = run(&p, t, 1);
    assert_line_rules(t, r);
    assert_int_equal(audit_count(&p, t, r, NULL), 0);
    disclose_result_free(r);
    disclose_table_free(t);
}

/* A rate table: every n is large, but one numerator (2 of 60) is small.
 * Published numerators and their totals would give it away. */
static void test_rate_numerator_protected(void **state)
{
    (void)state;
    disclose_profile p;
    disclose_profile_default(&p);
    static const long n[] = {60, 80, 70, 90, 75, 85, 66, 72, 95};
    static const long m[] = {2, 40, 35, 45, 30, 50, 33, 36, 60};
    disclose_table *t = mk2(3, 3, n, m);
    disclose_result *r = run(&p, t, 0);
    const disclose_cell *c = disclose_result_cell(r, at2(t, 0, 0));
    assert_int_equal(c->status, 'B');
    assert_false(c->show_numerator);
    assert_true(c->show_n);
    disclose_failure *f = NULL;
    size_t nf = audit_count(&p, t, r, &f);
    int num = 0;
    for (size_t k = 0; k < nf; k++)
        num |= f[k].cell == at2(t, 0, 0) &&
               f[k].quantity == DISCLOSE_Q_NUMERATOR &&
               f[k].reason == DISCLOSE_F_PINNED;
    assert_true(num);
    p20w_free(f);
    disclose_result_free(r);
    r = run(&p, t, 1);
    assert_int_equal(audit_count(&p, t, r, NULL), 0);
    assert_true(disclose_result_count(r, 'C') >= 1);
    disclose_result_free(r);
    disclose_table_free(t);
}

/* ---- randomized -------------------------------------------------------- */

static uint64_t rng_next(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

static long rnd_count(uint64_t *s)
{
    unsigned k = (unsigned)(rng_next(s) % 100);
    if (k < 12)
        return 0;
    if (k < 40)
        return 1 + (long)(rng_next(s) % 9); /* small */
    if (k < 55)
        return 10 + (long)(rng_next(s) % 20);
    return 30 + (long)(rng_next(s) % 400);
}

static void check_published(const disclose_profile *p, const disclose_table *t,
                            const disclose_result *r)
{
    for (size_t i = 0; i < disclose_table_cells(t); i++) {
        const disclose_cell *c = disclose_result_cell(r, i);
        if (c->show_n)
            assert_true(c->n >= p->min_n);
        if (c->has_rate && c->rate_lo == c->rate_hi)
            assert_true(c->rate_lo > 0.0 && c->rate_lo < 1.0);
        if (c->show_numerator) {
            assert_true(c->numerator >= p->min_n);
            assert_true(c->n - c->numerator >= p->min_n);
        }
        assert_int_not_equal(strcmp(c->label, "0.0%"), 0);
        assert_int_not_equal(strcmp(c->label, "100.0%"), 0);
        assert_int_not_equal(strcmp(c->label, "0%"), 0);
        assert_int_not_equal(strcmp(c->label, "100%"), 0);
        assert_true(c->status == 'P' || c->status == 'S' || c->status == 'C' ||
                    c->status == 'B');
    }
}

static void test_random_tables(void **state)
{
    (void)state;
    disclose_profile p;
    disclose_profile_default(&p);
    uint64_t seed = 0x9e3779b97f4a7c15ULL;
    size_t total_c = 0, total_s = 0;
    for (int it = 0; it < 200; it++) {
        size_t k = 2 + (size_t)(rng_next(&seed) % 2);
        size_t size[3];
        size_t cells = 1;
        for (size_t d = 0; d < k; d++) {
            size[d] = 2 + (size_t)(rng_next(&seed) % (k == 2 ? 5 : 3));
            cells *= size[d];
        }
        long n[256], m[256];
        int rate = it % 2;
        for (size_t i = 0; i < cells; i++) {
            n[i] = rnd_count(&seed);
            unsigned mode = (unsigned)(rng_next(&seed) % 4);
            m[i] = mode == 0   ? 0
                   : mode == 1 ? n[i]
                               : (long)(rng_next(&seed) % (uint64_t)(n[i] + 1));
        }
        disclose_table *t = mk(k, size, n, rate ? m : NULL);
        disclose_result *r = run(&p, t, 1);
        disclose_failure *f = NULL;
        size_t nf = audit_count(&p, t, r, &f);
        if (nf > 0)
            fail_msg("table %d: %zu audit failures, first cell %zu reason %d "
                     "quantity %d value %g [%g, %g]",
                     it, nf, f[0].cell, f[0].reason, f[0].quantity, f[0].value,
                     f[0].lo, f[0].hi);
        check_published(&p, t, r);
        assert_line_rules(t, r);
        total_c += disclose_result_count(r, 'C');
        total_s += disclose_result_count(r, 'S');
        disclose_result_free(r);
        disclose_table_free(t);
    }
    /* The family really exercises suppression. */
    assert_true(total_s > 200);
    assert_true(total_c > 200);
}

/* The audit also checks what is shown against the publication rules; one
 * row per breach, on a hand-made publication of a 1x2 rate table. */
static void test_audit_publication_rules(void **state)
{
    (void)state;
    disclose_profile p;
    disclose_profile_default(&p);
    static const struct {
        const char *what;
        long n, m;     /* cell (0,0); cell (0,1) is 200/100 */
        int show_num;  /* numerator shown */
        double lo, hi; /* published rate interval, -1: none */
        int show_pct;
        int reason; /* expected failure on cell (0,0) */
    } rows[] = {
        {"count below min_n", 9, 4, 0, -1, -1, 0, DISCLOSE_F_SMALL},
        {"small numerator shown", 50, 3, 1, 0.06, 0.06, 0, DISCLOSE_F_SMALL},
        {"exact 100 %", 50, 50, 1, 1.0, 1.0, 0, DISCLOSE_F_EXTREME},
        {"exact 0 %", 50, 0, 1, 0.0, 0.0, 0, DISCLOSE_F_EXTREME},
        {"unbanded 96 % at n 50", 50, 48, 0, 0.96, 0.96, 0, DISCLOSE_F_EXTREME},
        {"percentiles at n 29", 29, 14, 1, 14.0 / 29, 14.0 / 29, 1,
         DISCLOSE_F_PCT},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        long n[2] = {rows[i].n, 200}, m[2] = {rows[i].m, 100};
        disclose_table *t = mk2(1, 2, n, m);
        disclose_result *r = NULL;
        assert_int_equal(disclose_result_new(disclose_table_cells(t), &r),
                         P20W_OK);
        for (size_t c = 0; c < disclose_table_cells(t); c++) {
            disclose_cell cell;
            memset(&cell, 0, sizeof cell);
            cell.status = 'P';
            cell.show_n = 1;
            cell.n = disclose_table_n(t, c);
            cell.numerator = disclose_table_numerator(t, c);
            cell.show_numerator = 1;
            cell.has_rate = 1;
            cell.rate_lo = cell.rate_hi =
                (double)cell.numerator / (double)cell.n;
            if (c == 0) {
                cell.show_numerator = rows[i].show_num;
                cell.has_rate = rows[i].lo >= 0;
                cell.rate_lo = rows[i].lo;
                cell.rate_hi = rows[i].hi;
                cell.show_pct = rows[i].show_pct;
            }
            disclose_result_set(r, c, &cell);
        }
        disclose_failure *f = NULL;
        size_t nf = audit_count(&p, t, r, &f);
        int hit = 0;
        for (size_t k = 0; k < nf; k++)
            hit |= f[k].cell == 0 && f[k].reason == rows[i].reason;
        if (!hit)
            fail_msg("'%s' not reported (%zu failures)", rows[i].what, nf);
        p20w_free(f);
        disclose_result_free(r);
        disclose_table_free(t);
    }
}

/* The audit's intervals are the true ones: on small 2 x 3 tables with
 * random hidden patterns, enumerate every whole-number table consistent
 * with the publication (additivity matrices of 2-D tables are totally
 * unimodular, so the LP's optima are whole numbers and must match the
 * enumeration exactly). With p = 1 every hidden cell whose range is not
 * [0, >= 2x] is reported with both ends. */
static void test_audit_matches_enumeration(void **state)
{
    (void)state;
    disclose_profile p;
    disclose_profile_default(&p);
    p.protect_pct = 1.0;
    uint64_t seed = 0x51ed270b27d1f3c5ULL;
    int compared = 0, reported = 0;
    for (int it = 0; it < 60; it++) {
        long v[6];
        for (int i = 0; i < 6; i++)
            v[i] = (long)(rng_next(&seed) % 9);
        disclose_table *t = mk2(2, 3, v, NULL);
        size_t nc = disclose_table_cells(t);
        size_t gt = nc - 1; /* grand total: every coordinate a total */
        int hide[12] = {0};
        size_t hid[3], k = 0;
        for (size_t i = 0; i < nc; i++) {
            if (i == gt)
                continue;
            int margin = disclose_table_is_margin(t, i);
            unsigned roll = (unsigned)(rng_next(&seed) % 100);
            if (!margin && k < 3 && roll < 45) {
                hide[i] = 1;
                hid[k++] = i;
            } else if (margin && roll < 25) {
                hide[i] = 1;
            }
        }
        disclose_result *r = NULL;
        assert_int_equal(disclose_result_new(nc, &r), P20W_OK);
        for (size_t i = 0; i < nc; i++) {
            disclose_cell c;
            memset(&c, 0, sizeof c);
            c.status = hide[i] ? 'C' : 'P';
            c.show_n = !hide[i];
            c.n = disclose_table_n(t, i);
            disclose_result_set(r, i, &c);
        }
        disclose_failure *f = NULL;
        size_t nf = audit_count(&p, t, r, &f);
        /* enumerate the hidden interior cells over 0..grand total */
        long g = disclose_table_n(t, gt);
        long bmin[12], bmax[12];
        for (size_t i = 0; i < nc; i++) {
            bmin[i] = LONG_MAX;
            bmax[i] = -1;
        }
        long val[3] = {0, 0, 0};
        for (;;) {
            long cell[12];
            size_t q = 0;
            long rows[2] = {0, 0}, cols[3] = {0, 0, 0}, all = 0;
            for (size_t rr = 0; rr < 2; rr++)
                for (size_t cc = 0; cc < 3; cc++) {
                    size_t i = at2(t, rr, cc);
                    long x = disclose_table_n(t, i);
                    if (q < k && hid[q] == i)
                        x = val[q++];
                    cell[i] = x;
                    rows[rr] += x;
                    cols[cc] += x;
                    all += x;
                }
            for (size_t rr = 0; rr < 2; rr++)
                cell[at2(t, rr, DISCLOSE_TOTAL)] = rows[rr];
            for (size_t cc = 0; cc < 3; cc++)
                cell[at2(t, DISCLOSE_TOTAL, cc)] = cols[cc];
            cell[gt] = all;
            int ok = 1;
            for (size_t i = 0; i < nc && ok; i++)
                ok = hide[i] || cell[i] == disclose_table_n(t, i);
            for (size_t i = 0; i < nc && ok; i++) {
                if (!hide[i])
                    continue;
                if (cell[i] < bmin[i])
                    bmin[i] = cell[i];
                if (cell[i] > bmax[i])
                    bmax[i] = cell[i];
            }
            size_t d = 0;
            while (d < k && ++val[d] > g)
                val[d++] = 0;
            if (d == k)
                break;
        }
        for (size_t i = 0; i < nc; i++) {
            if (!hide[i])
                continue;
            const disclose_failure *hit = NULL;
            for (size_t j = 0; j < nf; j++)
                if (f[j].cell == i && f[j].quantity == DISCLOSE_Q_N &&
                    (f[j].reason == DISCLOSE_F_INTERVAL ||
                     f[j].reason == DISCLOSE_F_PINNED))
                    hit = &f[j];
            double x = (double)disclose_table_n(t, i);
            if (hit != NULL) {
                if (fabs(hit->lo - (double)bmin[i]) > 1e-6 ||
                    fabs(hit->hi - (double)bmax[i]) > 1e-6)
                    fail_msg("table %d cell %zu: LP [%g, %g], enumeration "
                             "[%ld, %ld]",
                             it, i, hit->lo, hit->hi, bmin[i], bmax[i]);
                reported++;
            } else {
                assert_int_equal(bmin[i], 0);
                assert_true((double)bmax[i] >= 2.0 * x);
                assert_true(bmax[i] > bmin[i]);
            }
            compared++;
        }
        p20w_free(f);
        disclose_result_free(r);
        disclose_table_free(t);
    }
    assert_true(compared > 100);
    assert_true(reported > 30);
}

/* Other profiles: the rules follow the numbers, not the defaults. */
static void test_other_profiles(void **state)
{
    (void)state;
    disclose_profile p;
    disclose_profile_default(&p);
    p.min_n = 20;
    p.band[p.band_count - 1].min_denominator = 20;
    p.band_count = 4; /* 300, 100, 40, 20 */
    p.protect_pct = 0.25;
    assert_int_equal(disclose_profile_check(&p, NULL), P20W_OK);
    long n = 19, m = 10;
    disclose_table *t = mk2(1, 1, &n, &m);
    disclose_result *r = run(&p, t, 0);
    assert_string_equal(disclose_result_cell(r, 0)->label, "fewer than 20");
    disclose_result_free(r);
    disclose_table_free(t);
    /* numerator 15 of 200 is below min_n 20: band reach ceil(1.25 * 20) =
     * 25 people, X = ceil(100 * 25 / 200) = 13 */
    n = 200;
    m = 15;
    t = mk2(1, 1, &n, &m);
    r = run(&p, t, 0);
    assert_string_equal(disclose_result_cell(r, 0)->label, "≤13%");
    disclose_result_free(r);
    disclose_table_free(t);
    uint64_t seed = 42;
    for (int it = 0; it < 30; it++) {
        size_t size[2] = {3 + (size_t)(it % 3), 4};
        long v[24];
        for (size_t i = 0; i < size[0] * size[1]; i++)
            v[i] = (long)(rng_next(&seed) % 60);
        t = mk(2, size, v, NULL);
        r = run(&p, t, 1);
        assert_int_equal(audit_count(&p, t, r, NULL), 0);
        for (size_t i = 0; i < disclose_table_cells(t); i++) {
            const disclose_cell *c = disclose_result_cell(r, i);
            if (disclose_table_n(t, i) < 20)
                assert_false(c->show_n);
        }
        disclose_result_free(r);
        disclose_table_free(t);
    }
}

/* ---- pooling ----------------------------------------------------------- */

static void test_pooling(void **state)
{
    (void)state;
    disclose_profile p;
    disclose_profile_default(&p);
    /* Row 2 is a small subgroup: 3, 4, 5 people in the three years. */
    static const long y[3][9] = {
        {120, 95, 3, 110, 101, 88, 97, 130, 105},
        {118, 99, 4, 107, 96, 91, 102, 125, 111},
        {124, 93, 5, 115, 99, 86, 94, 128, 108},
    };
    disclose_table *t[3];
    disclose_result *r[3];
    for (int k = 0; k < 3; k++) {
        t[k] = mk2(3, 3, y[k], NULL);
        r[k] = run(&p, t[k], 1);
        assert_int_equal(disclose_result_cell(r[k], at2(t[k], 0, 2))->status,
                         'S');
    }
    size_t pooled = 0;
    p20w_err err = {0};
    assert_int_equal(disclose_pool(&p, (const disclose_table *const *)t, r, 3,
                                   NULL, &pooled, &err),
                     P20W_OK);
    const disclose_cell *c = disclose_result_cell(r[2], at2(t[2], 0, 2));
    assert_int_equal(c->status, 'L');
    assert_true(c->pooled && c->show_n);
    assert_int_equal(c->n, 12);
    assert_string_equal(c->label, "12");
    assert_true(pooled >= 1);
    disclose_failure *f = NULL;
    size_t nf = 0;
    assert_int_equal(disclose_pool_audit(&p, (const disclose_table *const *)t,
                                         (const disclose_result *const *)r, 3,
                                         &f, &nf, NULL),
                     P20W_OK);
    assert_int_equal(nf, 0);
    p20w_free(f);
    /* the single-year audit still passes with L cells treated as hidden */
    assert_int_equal(audit_count(&p, t[2], r[2], NULL), 0);
    /* no pooled cell beside two published earlier years (subtraction) */
    for (size_t i = 0; i < disclose_result_cells(r[2]); i++)
        if (disclose_result_cell(r[2], i)->status == 'L')
            assert_false(disclose_result_cell(r[1], i)->status == 'P' &&
                         disclose_result_cell(r[0], i)->status == 'P');
    for (int k = 0; k < 3; k++) {
        disclose_result_free(r[k]);
        disclose_table_free(t[k]);
    }
}

/* A group still small over three years (1 + 2 + 3 = 6) stays suppressed. */
static void test_pooling_still_small(void **state)
{
    (void)state;
    disclose_profile p;
    disclose_profile_default(&p);
    static const long y[3][9] = {
        {120, 95, 1, 110, 101, 88, 97, 130, 105},
        {118, 99, 2, 107, 96, 91, 102, 125, 111},
        {124, 93, 3, 115, 99, 86, 94, 128, 108},
    };
    disclose_table *t[3];
    disclose_result *r[3];
    for (int k = 0; k < 3; k++) {
        t[k] = mk2(3, 3, y[k], NULL);
        r[k] = run(&p, t[k], 1);
    }
    size_t pooled = 0;
    assert_int_equal(disclose_pool(&p, (const disclose_table *const *)t, r, 3,
                                   NULL, &pooled, NULL),
                     P20W_OK);
    const disclose_cell *c = disclose_result_cell(r[2], at2(t[2], 0, 2));
    assert_int_equal(c->status, 'S');
    assert_string_equal(c->label, "fewer than 10");
    assert_false(c->show_n);
    /* wrong number of years */
    p20w_err err = {0};
    assert_int_equal(disclose_pool(&p, (const disclose_table *const *)t, r, 2,
                                   NULL, NULL, &err),
                     P20W_EINVAL);
    for (int k = 0; k < 3; k++) {
        disclose_result_free(r[k]);
        disclose_table_free(t[k]);
    }
}

/* A pooled cell that would let the suppressed year be subtracted out
 * (the two earlier years are published) is not published. */
static void test_pooling_refuses_differencing(void **state)
{
    (void)state;
    disclose_profile p;
    disclose_profile_default(&p);
    static const long y[3][9] = {
        {120, 95, 30, 110, 101, 88, 97, 130, 105},
        {118, 99, 25, 107, 96, 91, 102, 125, 111},
        {124, 93, 4, 115, 99, 86, 94, 128, 108},
    };
    disclose_table *t[3];
    disclose_result *r[3];
    for (int k = 0; k < 3; k++) {
        t[k] = mk2(3, 3, y[k], NULL);
        r[k] = run(&p, t[k], 1);
    }
    size_t pooled = 99;
    assert_int_equal(disclose_pool(&p, (const disclose_table *const *)t, r, 3,
                                   NULL, &pooled, NULL),
                     P20W_OK);
    assert_int_equal(disclose_result_cell(r[2], at2(t[2], 0, 2))->status, 'S');
    assert_int_equal(pooled, 0);
    /* Forcing the L cell anyway: the joint audit catches it. */
    disclose_cell forced;
    memset(&forced, 0, sizeof forced);
    forced.show_n = 1;
    forced.n = 59;
    snprintf(forced.label, sizeof forced.label, "59");
    disclose_result_set_pooled(r[2], at2(t[2], 0, 2), &forced);
    disclose_failure *f = NULL;
    size_t nf = 0;
    assert_int_equal(disclose_pool_audit(&p, (const disclose_table *const *)t,
                                         (const disclose_result *const *)r, 3,
                                         &f, &nf, NULL),
                     P20W_OK);
    int hit = 0;
    for (size_t k = 0; k < nf; k++)
        hit |= f[k].table == 2 && f[k].cell == at2(t[2], 0, 2) &&
               f[k].reason == DISCLOSE_F_PINNED;
    assert_true(hit);
    p20w_free(f);
    for (int k = 0; k < 3; k++) {
        disclose_result_free(r[k]);
        disclose_table_free(t[k]);
    }
}

/* ---- shares ------------------------------------------------------------ */

/* A share table: rows are groups, columns categories (dimension 0, the
 * share dimension); each count's share is over its row total. */
static disclose_table *mk_share(size_t rows, size_t cols, const long *n)
{
    disclose_table *t = mk2(rows, cols, n, NULL);
    p20w_err err = {0};
    assert_int_equal(disclose_table_set_share(t, 0, &err), P20W_OK);
    assert_int_equal(disclose_table_share_dim(t), 0);
    return t;
}

/* Cell (row r, column c) where either may be DISCLOSE_TOTAL. */
static size_t at2t(const disclose_table *t, size_t r, size_t c)
{
    size_t coord[2] = {c, r}, i = 0;
    assert_int_equal(disclose_table_index(t, coord, &i), P20W_OK);
    return i;
}

/* What every published share table must satisfy: counts and their exact
 * shares shown together, exact shares only beside a shown group total,
 * never 0 % or 100 %, a shown count never leaving a rest below min_n
 * beside a shown total. */
static void check_shares(const disclose_profile *p, const disclose_table *t,
                         const disclose_result *r)
{
    for (size_t i = 0; i < disclose_table_cells(t); i++) {
        size_t coord[2];
        disclose_table_coord(t, i, coord);
        const disclose_cell *c = disclose_result_cell(r, i);
        if (c->show_n)
            assert_true(c->n >= p->min_n && c->n == disclose_table_n(t, i));
        if (coord[0] == DISCLOSE_TOTAL)
            continue; /* a group total: a count */
        const disclose_cell *tot =
            disclose_result_cell(r, at2t(t, coord[1], DISCLOSE_TOTAL));
        long T = disclose_table_n(t, at2t(t, coord[1], DISCLOSE_TOTAL));
        if (c->has_rate && c->rate_lo == c->rate_hi) {
            assert_true(c->show_n && tot->show_n);
            assert_true(c->rate_lo > 0.0 && c->rate_lo < 1.0);
            assert_true(fabs(c->rate_lo - (double)c->n / (double)T) < 1e-12);
        }
        if (c->status == 'B' && c->show_n)
            assert_true(T - c->n >= p->min_n); /* a coded share */
        if (c->show_n && tot->show_n)
            assert_true(T - c->n >= p->min_n);
        assert_null(strstr(c->label, "100"));
        assert_int_not_equal(strcmp(c->label, "0.0%"), 0);
    }
}

static void test_share_rules(void **state)
{
    (void)state;
    disclose_profile p;
    disclose_profile_default(&p);
    /* five groups over four categories */
    static const long n[] = {
        150,  120, 30, 0, /* 300: 50 %, 40 %, 10 % shown with counts */
        297,  3,   0,  0, /* 300: 99 % is "≥99%", no count */
        40,   12,  5,  3, /* 60 */
        35,   5,   0,  0, /* 40: the rest of 35 is 5: "≥62%", no count */
        1985, 15,  0,  0, /* 2000: 99.25 % "≥99%", 0.75 % "≤1%", counts */
    };
    disclose_table *t = mk_share(5, 4, n);
    disclose_result *r = run(&p, t, 0);
    const disclose_cell *c = disclose_result_cell(r, at2t(t, 0, 0));
    assert_int_equal(c->status, 'P');
    assert_string_equal(c->label, "50.0%");
    assert_true(c->show_n && c->n == 150 && c->has_rate);
    assert_false(c->show_numerator);
    c = disclose_result_cell(r, at2t(t, 0, 2));
    assert_string_equal(c->label, "10.0%");
    c = disclose_result_cell(r, at2t(t, 0, 3));
    assert_int_equal(c->status, 'S');
    c = disclose_result_cell(r, at2t(t, 1, 0));
    assert_int_equal(c->status, 'B');
    assert_string_equal(c->label, "≥99%");
    assert_false(c->show_n);
    assert_true(c->rate_lo == 0.99 && c->rate_hi == 1.0);
    c = disclose_result_cell(r, at2t(t, 3, 0));
    assert_int_equal(c->status, 'B');
    assert_string_equal(c->label, "≥62%");
    assert_false(c->show_n);
    /* coded shares whose count and rest are both at least 10: the band,
     * with the count */
    c = disclose_result_cell(r, at2t(t, 4, 0));
    assert_int_equal(c->status, 'B');
    assert_string_equal(c->label, "≥99%");
    assert_true(c->show_n && c->n == 1985);
    c = disclose_result_cell(r, at2t(t, 4, 1));
    assert_int_equal(c->status, 'B');
    assert_string_equal(c->label, "≤1%");
    assert_true(c->show_n && c->n == 15);
    /* group totals and category totals are counts */
    c = disclose_result_cell(r, at2t(t, 2, DISCLOSE_TOTAL));
    assert_true(c->status == 'P' && c->n == 60 && !c->has_rate);
    /* the second category's total, 155 of 2700: a share of the grand
     * total */
    c = disclose_result_cell(r, at2t(t, DISCLOSE_TOTAL, 1));
    assert_true(c->status == 'P' && c->has_rate);
    assert_true(fabs(c->rate_lo - 155.0 / 2700.0) < 1e-12);
    check_shares(&p, t, r);
    /* primary rules alone: the small cells can be worked out */
    assert_true(audit_count(&p, t, r, NULL) > 0);
    disclose_result_free(r);
    /* protected: the attacker proves nothing too narrow */
    r = run(&p, t, 1);
    assert_int_equal(audit_count(&p, t, r, NULL), 0);
    assert_line_rules(t, r);
    check_shares(&p, t, r);
    disclose_result_free(r);
    /* a hidden group total takes the exact shares of its row with it */
    unsigned char force[30] = {0};
    assert_true(disclose_table_cells(t) <= sizeof force);
    force[at2t(t, 0, DISCLOSE_TOTAL)] = 1;
    disclose_opts o = {0};
    o.force_hide = force;
    assert_int_equal(disclose_run(&p, t, &o, &r, NULL), P20W_OK);
    for (size_t j = 0; j < 4; j++) {
        c = disclose_result_cell(r, at2t(t, 0, j));
        assert_false(c->has_rate && c->rate_lo == c->rate_hi);
    }
    assert_int_equal(audit_count(&p, t, r, NULL), 0);
    check_shares(&p, t, r);
    disclose_result_free(r);
    /* a numerator table cannot be a share table */
    disclose_table *rt = mk2(1, 2, n, n);
    p20w_err err = {0};
    assert_int_equal(disclose_table_set_share(rt, 0, &err), P20W_EINVAL);
    disclose_table_free(rt);
    assert_int_equal(disclose_table_set_share(t, 2, &err), P20W_EINVAL);
    disclose_table_free(t);
}

/* The audit of a share publication: a count shown beside its group total
 * with a small rest is caught; a band narrowed by subtraction is caught. */
static void test_share_audit(void **state)
{
    (void)state;
    disclose_profile p;
    disclose_profile_default(&p);
    static const long n[] = {35, 5, 200, 100};
    disclose_table *t = mk_share(2, 2, n);
    disclose_result *r = NULL;
    assert_int_equal(disclose_result_new(disclose_table_cells(t), &r), P20W_OK);
    /* show every count, hide only the 5 */
    for (size_t i = 0; i < disclose_table_cells(t); i++) {
        disclose_cell cell;
        memset(&cell, 0, sizeof cell);
        cell.status = 'P';
        cell.show_n = 1;
        cell.n = disclose_table_n(t, i);
        snprintf(cell.label, sizeof cell.label, "%ld", cell.n);
        if (i == at2t(t, 0, 1)) {
            memset(&cell, 0, sizeof cell);
            cell.status = 'C';
            snprintf(cell.label, sizeof cell.label, "suppressed");
        }
        disclose_result_set(r, i, &cell);
    }
    disclose_failure *f = NULL;
    size_t nf = audit_count(&p, t, r, &f);
    int small = 0, pinned = 0;
    for (size_t k = 0; k < nf; k++) {
        small |= f[k].cell == at2t(t, 0, 0) &&
                 f[k].quantity == DISCLOSE_Q_NONNUMERATOR &&
                 f[k].reason == DISCLOSE_F_SMALL;
        pinned |=
            f[k].cell == at2t(t, 0, 1) && f[k].reason == DISCLOSE_F_PINNED;
    }
    assert_true(small && pinned);
    p20w_free(f);
    disclose_result_free(r);
    /* what disclose_run makes of it passes */
    r = run(&p, t, 1);
    assert_int_equal(audit_count(&p, t, r, NULL), 0);
    check_shares(&p, t, r);
    disclose_result_free(r);
    disclose_table_free(t);
}

/* Random share tables of 2 and 3 dimensions: the publication passes its
 * audit and every share rule. */
static void test_share_random(void **state)
{
    (void)state;
    disclose_profile p;
    disclose_profile_default(&p);
    uint64_t seed = 0x2545f4914f6cdd1dULL;
    size_t b = 0, pcount = 0;
    for (int it = 0; it < 60; it++) {
        size_t k = 2 + (size_t)(it % 2);
        size_t size[3], cells = 1;
        for (size_t d = 0; d < k; d++) {
            size[d] = 2 + (size_t)(rng_next(&seed) % (k == 2 ? 5 : 3));
            cells *= size[d];
        }
        long n[256];
        for (size_t i = 0; i < cells; i++)
            n[i] = rnd_count(&seed);
        disclose_table *t = mk(k, size, n, NULL);
        assert_int_equal(disclose_table_set_share(t, k - 1, NULL), P20W_OK);
        disclose_result *r = run(&p, t, 1);
        disclose_failure *f = NULL;
        size_t nf = audit_count(&p, t, r, &f);
        if (nf > 0)
            fail_msg("share table %d: %zu failures, cell %zu reason %d "
                     "quantity %d value %g [%g, %g]",
                     it, nf, f[0].cell, f[0].reason, f[0].quantity, f[0].value,
                     f[0].lo, f[0].hi);
        assert_line_rules(t, r);
        b += disclose_result_count(r, 'B');
        pcount += disclose_result_count(r, 'P');
        disclose_result_free(r);
        disclose_table_free(t);
    }
    assert_true(b > 10 && pcount > 100);
}

/* ---- collapsed cells ----------------------------------------------------- */

/* Collapsing the rows whose total is below min_n (all their cells are
 * suppressed anyway) into one row of cells standing for them is exact:
 * the publication chosen on the collapsed table, spread back onto the full
 * table (the small rows all S), passes the full table's audit. */
static void test_parts_collapse(void **state)
{
    (void)state;
    disclose_profile p;
    disclose_profile_default(&p);
    uint64_t seed = 0x853c49e6748fea9bULL;
    size_t collapsed = 0;
    for (int it = 0; it < 80; it++) {
        size_t rows = 4 + (size_t)(rng_next(&seed) % 5);
        size_t cols = 2 + (size_t)(rng_next(&seed) % 4);
        long n[128];
        for (size_t r = 0; r < rows; r++) {
            int small = rng_next(&seed) % 3 == 0;
            for (size_t c = 0; c < cols; c++)
                n[r * cols + c] =
                    small ? (long)(rng_next(&seed) % 3) : rnd_count(&seed);
        }
        disclose_table *full = mk2(rows, cols, n, NULL);
        int share = it % 2;
        if (share)
            assert_int_equal(disclose_table_set_share(full, 0, NULL), P20W_OK);
        /* the small rows, and the collapsed table: big rows, then one */
        size_t small[16], ns = 0, big[16], nb = 0;
        for (size_t r = 0; r < rows; r++) {
            if (disclose_table_n(full, at2t(full, r, DISCLOSE_TOTAL)) < 10)
                small[ns++] = r;
            else
                big[nb++] = r;
        }
        if (ns < 2 || nb == 0) {
            disclose_table_free(full);
            continue;
        }
        collapsed++;
        long cn[128];
        for (size_t r = 0; r < nb; r++)
            for (size_t c = 0; c < cols; c++)
                cn[r * cols + c] = n[big[r] * cols + c];
        for (size_t c = 0; c < cols; c++) {
            cn[nb * cols + c] = 0;
            for (size_t k2 = 0; k2 < ns; k2++)
                cn[nb * cols + c] += n[small[k2] * cols + c];
        }
        disclose_table *red = mk2(nb + 1, cols, cn, NULL);
        if (share)
            assert_int_equal(disclose_table_set_share(red, 0, NULL), P20W_OK);
        for (size_t c = 0; c <= cols; c++) {
            size_t cc = c == cols ? DISCLOSE_TOTAL : c;
            long mx = 0;
            for (size_t k2 = 0; k2 < ns; k2++) {
                long v = disclose_table_n(full, at2t(full, small[k2], cc));
                mx = v > mx ? v : mx;
            }
            assert_int_equal(
                disclose_table_set_parts(red, at2t(red, nb, cc), (long)ns, mx),
                P20W_OK);
        }
        disclose_result *rr = run(&p, red, 1);
        for (size_t c = 0; c <= cols; c++) {
            size_t cc = c == cols ? DISCLOSE_TOTAL : c;
            assert_false(disclose_result_cell(rr, at2t(red, nb, cc))->show_n);
        }
        assert_int_equal(audit_count(&p, red, rr, NULL), 0);
        /* spread back */
        disclose_result *fr = NULL;
        assert_int_equal(disclose_result_new(disclose_table_cells(full), &fr),
                         P20W_OK);
        for (size_t r = 0; r <= rows; r++) {
            size_t rr_row = DISCLOSE_TOTAL;
            size_t fr_row = r == rows ? DISCLOSE_TOTAL : r;
            int is_small = 0;
            if (r < rows) {
                is_small = 1;
                for (size_t k2 = 0; k2 < nb; k2++)
                    if (big[k2] == r) {
                        rr_row = k2;
                        is_small = 0;
                    }
            }
            for (size_t c = 0; c <= cols; c++) {
                size_t cc = c == cols ? DISCLOSE_TOTAL : c;
                disclose_cell cell;
                if (is_small) {
                    memset(&cell, 0, sizeof cell);
                    cell.status = 'S';
                    snprintf(cell.label, sizeof cell.label, "fewer than 10");
                } else {
                    cell = *disclose_result_cell(rr, at2t(red, rr_row, cc));
                }
                disclose_result_set(fr, at2t(full, fr_row, cc), &cell);
            }
        }
        disclose_failure *f = NULL;
        size_t nf = audit_count(&p, full, fr, &f);
        if (nf > 0)
            fail_msg("table %d (%s, %zu small rows): %zu failures on the full "
                     "table, cell %zu quantity %d reason %d value %g "
                     "[%g, %g]",
                     it, share ? "share" : "count", ns, nf, f[0].cell,
                     f[0].quantity, f[0].reason, f[0].value, f[0].lo, f[0].hi);
        disclose_result_free(fr);
        disclose_result_free(rr);
        disclose_table_free(red);
        disclose_table_free(full);
    }
    assert_true(collapsed > 10);
    /* bad parts */
    static const long one[] = {5, 7};
    disclose_table *t = mk2(1, 2, one, NULL);
    assert_int_equal(disclose_table_set_parts(t, 0, 0, 1), P20W_EINVAL);
    assert_int_equal(disclose_table_set_parts(t, 0, 2, 6), P20W_EINVAL);
    assert_int_equal(disclose_table_set_parts(t, 99, 2, 1), P20W_EINVAL);
    assert_int_equal(disclose_table_set_parts(t, 0, 2, 3), P20W_OK);
    assert_int_equal(disclose_table_parts(t, 0), 2);
    assert_int_equal(disclose_table_parts(t, 1), 0);
    disclose_table_free(t);
}

/* ---- sets of tables --------------------------------------------------------
 */

/* Three one-way tables share their hidden cells pairwise: x + y = 11,
 * x + z = 12, y + z = 13. Each table alone leaves x anywhere in
 * [0, 11]; together they pin x = 5, y = 6, z = 7. */
static void test_joint_audit(void **state)
{
    (void)state;
    disclose_profile p;
    disclose_profile_default(&p);
    static const long v[3][2] = {{5, 6}, {5, 7}, {6, 7}};
    /* ids: x 0, y 1, z 2; totals 3, 4, 5 */
    static const size_t ids[3][3] = {{0, 1, 3}, {0, 2, 4}, {1, 2, 5}};
    disclose_table *t[3];
    disclose_result *r[3];
    const size_t *idp[3];
    for (int k = 0; k < 3; k++) {
        size_t size[1] = {2};
        t[k] = mk(1, size, v[k], NULL);
        r[k] = run(&p, t[k], 1);
        idp[k] = ids[k];
        /* alone: both small cells hidden, total shown, audit passes */
        assert_false(disclose_result_cell(r[k], 0)->show_n);
        assert_false(disclose_result_cell(r[k], 1)->show_n);
        assert_true(disclose_result_cell(r[k], 2)->show_n);
        assert_int_equal(audit_count(&p, t[k], r[k], NULL), 0);
    }
    disclose_set set;
    memset(&set, 0, sizeof set);
    set.count = 3;
    set.tab = (const disclose_table *const *)t;
    set.res = (const disclose_result *const *)r;
    set.id = idp;
    set.nid = 6;
    disclose_failure *f = NULL;
    size_t nf = 0;
    p20w_err err = {0};
    assert_int_equal(disclose_audit_set(&p, &set, &f, &nf, &err), P20W_OK);
    /* x, y and z pinned, each reported once (at its first table) */
    int seen[3] = {0, 0, 0};
    for (size_t k = 0; k < nf; k++) {
        if (f[k].reason != DISCLOSE_F_PINNED || f[k].quantity != DISCLOSE_Q_N)
            continue;
        size_t id = ids[f[k].table][f[k].cell];
        assert_true(id < 3);
        seen[id]++;
    }
    assert_true(seen[0] == 1 && seen[1] == 1 && seen[2] == 1);
    /* a complement in the first failing table cures it */
    size_t cell = 0;
    assert_int_equal(disclose_complement(&p, t[f[0].table], r[f[0].table],
                                         &f[0], NULL, &cell),
                     1);
    assert_int_equal(cell, 2); /* the total: nothing else to hide */
    p20w_free(f);
    assert_int_equal(disclose_audit_set(&p, &set, &f, &nf, &err), P20W_OK);
    assert_int_equal(nf, 0);
    p20w_free(f);
    /* ids that name cells of different values are refused */
    static const size_t bad[3] = {0, 1, 4};
    idp[0] = bad;
    assert_int_equal(disclose_audit_set(&p, &set, &f, &nf, &err), P20W_EINVAL);
    idp[0] = ids[0];
    set.nid = 3; /* ids out of range */
    assert_int_equal(disclose_audit_set(&p, &set, &f, &nf, &err), P20W_EINVAL);
    for (int k = 0; k < 3; k++) {
        disclose_result_free(r[k]);
        disclose_table_free(t[k]);
    }
}

/* Pooled sums: a published 3-year sum of a (hidden each year) with the
 * yearly totals pins the 3-year sum of b, which is not published; the
 * audit protects that sum too. */
static void test_set_sums(void **state)
{
    (void)state;
    disclose_profile p;
    disclose_profile_default(&p);
    static const long v[3][2] = {{4, 8}, {5, 7}, {6, 9}};
    disclose_table *t[3];
    disclose_result *r[3];
    for (int k = 0; k < 3; k++) {
        size_t size[1] = {2};
        t[k] = mk(1, size, v[k], NULL);
        r[k] = run(&p, t[k], 1);
    }
    disclose_ref ra[3] = {{0, 0}, {1, 0}, {2, 0}};
    disclose_ref rb[3] = {{0, 1}, {1, 1}, {2, 1}};
    disclose_cell pooled;
    memset(&pooled, 0, sizeof pooled);
    pooled.status = 'L';
    pooled.pooled = 1;
    pooled.show_n = 1;
    pooled.n = 15;
    disclose_sum sums[2] = {{3, ra, &pooled}, {3, rb, NULL}};
    disclose_set set;
    memset(&set, 0, sizeof set);
    set.count = 3;
    set.tab = (const disclose_table *const *)t;
    set.res = (const disclose_result *const *)r;
    set.nsums = 1;
    set.sum = &sums[1];
    disclose_failure *f = NULL;
    size_t nf = 0;
    /* b's sum alone: free */
    assert_int_equal(disclose_audit_set(&p, &set, &f, &nf, NULL), P20W_OK);
    assert_int_equal(nf, 0);
    /* with a's sum published: b's sum is 39 - 15 = 24 exactly */
    set.nsums = 2;
    set.sum = sums;
    assert_int_equal(disclose_audit_set(&p, &set, &f, &nf, NULL), P20W_OK);
    int hit = 0;
    for (size_t k = 0; k < nf; k++)
        hit |= f[k].quantity == DISCLOSE_Q_SUM && f[k].sum == 1 &&
               f[k].reason == DISCLOSE_F_PINNED && f[k].value == 24.0;
    assert_true(hit);
    p20w_free(f);
    /* a reference out of range */
    disclose_ref bad[1] = {{3, 0}};
    disclose_sum bs = {1, bad, NULL};
    set.nsums = 1;
    set.sum = &bs;
    assert_int_equal(disclose_audit_set(&p, &set, &f, &nf, NULL), P20W_EINVAL);
    for (int k = 0; k < 3; k++) {
        disclose_result_free(r[k]);
        disclose_table_free(t[k]);
    }
}

/* ---- allocation failures ----------------------------------------------- */

static void test_alloc_failures(void **state)
{
    (void)state;
    disclose_profile p;
    disclose_profile_default(&p);
    static const long n[] = {40, 5, 61, 38, 47, 4, 0, 44, 58, 12, 3, 70};
    static const long m[] = {20, 1, 30, 2, 40, 4, 0, 22, 29, 6, 0, 65};
    disclose_table *t = mk2(3, 4, n, m);
    disclose_result *ref = run(&p, t, 1);
    int failures = 0;
    for (long k = 0;; k++) {
        disclose_result *r = NULL;
        p20w_mem_fail_after(k);
        p20w_status rc = disclose_run(&p, t, NULL, &r, NULL);
        int failed = p20w_mem_failed();
        p20w_mem_fail_reset();
        if (!failed) {
            assert_int_equal(rc, P20W_OK);
            for (size_t i = 0; i < disclose_result_cells(ref); i++)
                assert_int_equal(disclose_result_cell(r, i)->status,
                                 disclose_result_cell(ref, i)->status);
            disclose_result_free(r);
            break;
        }
        failures++;
        assert_int_equal(rc, P20W_ENOMEM);
        assert_null(r);
    }
    assert_true(failures > 10);
    /* and the audit */
    for (long k = 0;; k++) {
        disclose_failure *f = NULL;
        size_t nf = 7;
        p20w_mem_fail_after(k);
        p20w_status rc = disclose_audit(&p, t, ref, &f, &nf, NULL);
        int failed = p20w_mem_failed();
        p20w_mem_fail_reset();
        if (!failed) {
            assert_int_equal(rc, P20W_OK);
            assert_int_equal(nf, 0);
            break;
        }
        assert_int_equal(rc, P20W_ENOMEM);
        assert_null(f);
        assert_int_equal(nf, 0);
    }
    disclose_result_free(ref);
    disclose_table_free(t);
}

/* Pooling under allocation failure: ENOMEM, and the latest year's result
 * exactly as before the call. */
static void test_pool_alloc_failures(void **state)
{
    (void)state;
    disclose_profile p;
    disclose_profile_default(&p);
    static const long y[3][4] = {
        {3, 50, 40, 60}, {4, 55, 38, 61}, {5, 52, 41, 58}};
    disclose_table *t[3];
    for (int k = 0; k < 3; k++)
        t[k] = mk2(2, 2, y[k], NULL);
    int failures = 0;
    for (long n = 0;; n++) {
        disclose_result *r[3];
        for (int k = 0; k < 3; k++)
            r[k] = run(&p, t[k], 1);
        char before[16];
        for (size_t i = 0; i < 9; i++)
            before[i] = disclose_result_cell(r[2], i)->status;
        p20w_mem_fail_after(n);
        p20w_status rc = disclose_pool(&p, (const disclose_table *const *)t, r,
                                       3, NULL, NULL, NULL);
        int failed = p20w_mem_failed();
        p20w_mem_fail_reset();
        if (failed) {
            failures++;
            assert_int_equal(rc, P20W_ENOMEM);
            for (size_t i = 0; i < 9; i++)
                assert_int_equal(disclose_result_cell(r[2], i)->status,
                                 before[i]);
        } else {
            assert_int_equal(rc, P20W_OK);
            assert_int_equal(disclose_result_cell(r[2], 0)->status, 'L');
        }
        for (int k = 0; k < 3; k++)
            disclose_result_free(r[k]);
        if (!failed)
            break;
    }
    assert_true(failures > 5);
    for (int k = 0; k < 3; k++)
        disclose_table_free(t[k]);
}

static int teardown_glpk(void **state)
{
    (void)state;
    glp_free_env();
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_profile_default),
        cmocka_unit_test(test_profile_invalid),
        cmocka_unit_test(test_table_layout),
        cmocka_unit_test(test_rate_edges),
        cmocka_unit_test(test_numerator_band_reach),
        cmocka_unit_test(test_count_min_n_and_percentiles),
        cmocka_unit_test(test_row_with_one_small_cell),
        cmocka_unit_test(test_force_hide),
        cmocka_unit_test(test_audit_fails_without_complements),
        cmocka_unit_test(test_audit_reports_interval),
        cmocka_unit_test(test_no_all_zero_sets),
        cmocka_unit_test(test_rate_numerator_protected),
        cmocka_unit_test(test_random_tables),
        cmocka_unit_test(test_pooling),
        cmocka_unit_test(test_pooling_still_small),
        cmocka_unit_test(test_pooling_refuses_differencing),
        cmocka_unit_test(test_audit_publication_rules),
        cmocka_unit_test(test_other_profiles),
        cmocka_unit_test(test_audit_matches_enumeration),
        cmocka_unit_test(test_share_rules),
        cmocka_unit_test(test_share_audit),
        cmocka_unit_test(test_share_random),
        cmocka_unit_test(test_parts_collapse),
        cmocka_unit_test(test_joint_audit),
        cmocka_unit_test(test_set_sums),
        cmocka_unit_test(test_alloc_failures),
        cmocka_unit_test(test_pool_alloc_failures),
    };
    return cmocka_run_group_tests(tests, NULL, teardown_glpk);
}
