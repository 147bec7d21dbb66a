/*
 * rules.c — the profile and the per-cell (primary) rules: minimum n,
 * top/bottom coding, the numerator band, the percentile threshold, and
 * the labels shown for each status.
 *
 * Everything here looks at one cell at a time; protection against
 * subtraction across cells is suppress.c's and audit.c's business.
 * Integer comparisons decide band edges wherever the edge is a whole
 * percent, so n = 300 with 297 of 300 (99.0 %) is banded and 296 is not.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "disclose/discloseInt.h"

void disclose_profile_default(disclose_profile *p)
{
    static const disclose_band bands[] = {
        {300, 99.0, 1.0}, {100, 98.0, 2.0}, {40, 95.0, 5.0},
        {20, 90.0, 10.0}, {10, 80.0, 20.0},
    };
    memset(p, 0, sizeof *p);
    p->min_n = 10;
    p->band_count = sizeof bands / sizeof bands[0];
    memcpy(p->band, bands, sizeof bands);
    p->protect_pct = 0.5;
    p->min_n_percentile = 30;
    p->pool_years = 3;
}

p20w_status disclose_profile_check(const disclose_profile *p, p20w_err *err)
{
    if (p->min_n < 1)
        return p20w_err_set(err, P20W_EINVAL, "profile: min_n must be >= 1");
    if (p->band_count < 1 || p->band_count > DISCLOSE_MAX_BANDS)
        return p20w_err_set(err, P20W_EINVAL,
                            "profile: 1 to %d bands are needed",
                            DISCLOSE_MAX_BANDS);
    for (size_t i = 0; i < p->band_count; i++) {
        const disclose_band *b = &p->band[i];
        if (i > 0 && b->min_denominator >= p->band[i - 1].min_denominator)
            return p20w_err_set(err, P20W_EINVAL,
                                "profile: bands must be in descending "
                                "min_denominator");
        if (!(b->bottom_pct >= 0.1 && b->bottom_pct < b->top_pct &&
              b->top_pct <= 99.9))
            return p20w_err_set(err, P20W_EINVAL,
                                "profile: band %zu needs 0.1 <= bottom_pct < "
                                "top_pct <= 99.9",
                                i + 1);
    }
    if (p->band[p->band_count - 1].min_denominator > p->min_n)
        return p20w_err_set(err, P20W_EINVAL,
                            "profile: the last band must start at or below "
                            "min_n, or some rates would go unbanded");
    if (!(p->protect_pct >= 0.0 && p->protect_pct <= 1.0))
        return p20w_err_set(err, P20W_EINVAL,
                            "profile: protect_pct must be within 0..1");
    if (p->min_n_percentile < p->min_n)
        return p20w_err_set(err, P20W_EINVAL,
                            "profile: min_n_percentile must be >= min_n");
    if (p->pool_years < 2)
        return p20w_err_set(err, P20W_EINVAL,
                            "profile: pool_years must be >= 2");
    return P20W_OK;
}

int disclose_band_for(const disclose_profile *p, long n)
{
    for (size_t i = 0; i < p->band_count; i++)
        if (n >= p->band[i].min_denominator)
            return (int)i;
    return -1;
}

static void set_suppressed(const disclose_profile *p, disclose_cell *c)
{
    c->status = DISCLOSE_S;
    snprintf(c->label, sizeof c->label, "fewer than %ld", p->min_n);
}

/* Withholds the rate of a cell whose n is shown (both groups small). */
static void withhold_rate(const disclose_profile *p, disclose_cell *c)
{
    set_suppressed(p, c);
    c->has_rate = 0;
    c->show_numerator = 0;
}

/* The band reach R: a numerator band holds at least this many people. */
static long band_reach(const disclose_profile *p)
{
    return (long)ceil((1.0 + p->protect_pct) * (double)p->min_n - 1e-9);
}

static void band_low(disclose_cell *c, double pct)
{
    c->status = DISCLOSE_B;
    c->has_rate = 1;
    c->rate_lo = 0.0;
    c->rate_hi = pct / 100.0;
    snprintf(c->label, sizeof c->label, "\xe2\x89\xa4%.10g%%", pct);
}

static void band_high(disclose_cell *c, double pct)
{
    c->status = DISCLOSE_B;
    c->has_rate = 1;
    c->rate_lo = pct / 100.0;
    c->rate_hi = 1.0;
    snprintf(c->label, sizeof c->label, "\xe2\x89\xa5%.10g%%", pct);
}

/* Rate rules for a cell with n >= min_n (so a band exists for n). */
static void rate_rules(const disclose_profile *p, long n, long m,
                       disclose_cell *c)
{
    const disclose_band *b = &p->band[disclose_band_for(p, n)];
    int small_m = m < p->min_n;
    int small_r = n - m < p->min_n;
    long reach = band_reach(p);
    int top = 100.0 * (double)m >= b->top_pct * (double)n;
    int bottom = 100.0 * (double)m <= b->bottom_pct * (double)n;
    /* Top/bottom coding first: a rate in its band shows the band, and the
     * numerator is never shown beside a band. */
    if (top) {
        band_high(c, b->top_pct);
        return;
    }
    if (bottom) {
        band_low(c, b->bottom_pct);
        return;
    }
    if (small_m && small_r) {
        withhold_rate(p, c);
        return;
    }
    if (small_m) {
        /* Smallest whole percent X with X n / 100 >= reach. */
        double x = (double)((100 * reach + n - 1) / n);
        if (x >= 100.0) {
            withhold_rate(p, c);
            return;
        }
        band_low(c, x);
        return;
    }
    if (small_r) {
        /* Largest whole percent Y with n - Y n / 100 >= reach. */
        double y = n > reach ? (double)((100 * (n - reach)) / n) : 0.0;
        if (y <= 0.0) {
            withhold_rate(p, c);
            return;
        }
        band_high(c, y);
        return;
    }
    c->status = DISCLOSE_P;
    c->has_rate = 1;
    c->show_numerator = 1;
    c->numerator = m;
    c->rate_lo = c->rate_hi = (double)m / (double)n;
    /* One decimal, rounded towards 50 % so that a rate just inside the
     * band edges never displays as the edge ("98.95 %" shows 98.9 %). */
    long permille = 2 * m >= n ? (1000 * m) / n : (1000 * m + n - 1) / n;
    snprintf(c->label, sizeof c->label, "%ld.%ld%%", permille / 10,
             permille % 10);
}

/* A share (count n >= min_n of a group of `total`): the rate rules with
 * the count as numerator. An exact share is shown with its count. When
 * the rest of the group (total - n) is below min_n the count is not shown
 * ("no numerator beside its rate": count and total would give the small
 * rest away) and the share shows a band, or nothing (S) when no band
 * exists. When both are at least min_n the count is shown, and a share at
 * or beyond its band's edge shows the band (B, never 0 % or 100 %): the
 * count is a count like any other, safe to show. */
static void share_rules(const disclose_profile *p, long total, disclose_cell *c)
{
    disclose_cell r;
    memset(&r, 0, sizeof r);
    rate_rules(p, total, c->n, &r);
    if (r.status == DISCLOSE_P ||
        (r.status == DISCLOSE_B && total - c->n >= p->min_n)) {
        c->status = r.status;
        c->has_rate = 1;
        c->rate_lo = r.rate_lo;
        c->rate_hi = r.rate_hi;
        memcpy(c->label, r.label, sizeof c->label);
        return;
    }
    c->show_n = 0;
    c->n = 0;
    if (r.status == DISCLOSE_B) {
        c->status = DISCLOSE_B;
        c->has_rate = 1;
        c->rate_lo = r.rate_lo;
        c->rate_hi = r.rate_hi;
        memcpy(c->label, r.label, sizeof c->label);
        return;
    }
    set_suppressed(p, c);
}

static void primary_cell(const disclose_profile *p, const disclose_table *t,
                         size_t i, disclose_cell *c)
{
    long n = t->n[i];
    memset(c, 0, sizeof *c);
    if (n < p->min_n || dtab_parts(t, i) > 0) {
        set_suppressed(p, c);
        return;
    }
    c->status = DISCLOSE_P;
    c->show_n = 1;
    c->n = n;
    snprintf(c->label, sizeof c->label, "%ld", n);
    if (t->has_num)
        rate_rules(p, n, t->num[i], c);
    else if (dtab_is_share(t, i))
        share_rules(p, t->n[dtab_share_total(t, i)], c);
    c->show_pct = t->npct > 0 && t->pct_set[i] && n >= p->min_n_percentile;
}

void disclose_cell_primary(const disclose_profile *p, long n, long numerator,
                           long share_total, disclose_cell *c)
{
    memset(c, 0, sizeof *c);
    if (n < p->min_n || (share_total >= 0 && share_total < n) ||
        (numerator >= 0 && numerator > n)) {
        set_suppressed(p, c);
        return;
    }
    c->status = DISCLOSE_P;
    c->show_n = 1;
    c->n = n;
    snprintf(c->label, sizeof c->label, "%ld", n);
    if (numerator >= 0)
        rate_rules(p, n, numerator, c);
    else if (share_total >= 0)
        share_rules(p, share_total, c);
}

void disclose_primary(const disclose_profile *p, const disclose_table *t,
                      disclose_cell *cell)
{
    for (size_t i = 0; i < t->ncells; i++)
        primary_cell(p, t, i, &cell[i]);
}

void disclose_share_total_hidden(const disclose_table *t, size_t tot,
                                 disclose_cell *cell)
{
    if (t->share_dim < 0 || !dtab_is_total(t, tot, (size_t)t->share_dim))
        return;
    size_t d = (size_t)t->share_dim;
    for (size_t j = 0; j < t->size[d]; j++) {
        disclose_cell *c = &cell[dtab_line_member(t, tot, d, j)];
        if (c->show_n && c->has_rate && !c->pooled) {
            c->has_rate = 0;
            c->rate_lo = c->rate_hi = 0.0;
            snprintf(c->label, sizeof c->label, "%ld", c->n);
        }
    }
}

void disclose_cell_hide(disclose_cell *c)
{
    memset(c, 0, sizeof *c);
    c->status = DISCLOSE_C;
    snprintf(c->label, sizeof c->label, "suppressed");
}
