/*
 * ind_ps.c — postsecondary program indicators: PS_COMPLETE_150
 * (completion within 150 % of normal time) and CRED_OF_VALUE (programs
 * whose graduates earn enough in jobs in demand).
 *
 * PS_COMPLETE_150. Entrants are the first-time students of
 * derive_rules() (ps_first_time, ps_entry_q, ps_entry_level,
 * ps_entry_inst). Normal time is 1 year for a certificate, 2 for an
 * associate degree, 4 for a bachelor's: 150 % is 6, 12 and 24 quarters
 * counted from the entry quarter (a fall 2015 bachelor's entrant has
 * until the end of 2021Q2). Entrants seeking other levels (non-degree,
 * graduate) are not in the population. A completion is any award, at any
 * level and institution of the state, dated in the window. The year is
 * the academic year of entry named by its ending year (fall 2015 and
 * spring 2016 are entry year 2016). An entry year counts only when its
 * 150 % window, for its latest possible entrant (Q2 of the entry year),
 * ends inside the postsecondary data, and when the postsecondary data
 * began before the entry year (in the first year of data every
 * continuing student looks like an entrant).
 *
 * CRED_OF_VALUE. A program is an award year x institution x award level x
 * CIP. Its completers (postsecondary completer exits) attached to the
 * workforce in year 1 (EARN_Y1's rule) give the program's median; the
 * program is "of value" when that median is at least value_wage
 * (profile; 0 = the median year-1 earnings of every attached earner of
 * EARN_Y1 — PS completers and HS graduates — of the same exit year) and
 * its CIP links (crosswalk) to at least one occupation in demand
 * (measure.h: openings and growth above the median occupation). One unit
 * per program: in_numerator is the flag, value the median in dollars.
 * Programs with fewer than min_n_percentile attached completers are not
 * rated: their median could not be published, and neither can a flag
 * that tells which side of the threshold it lies on.
 */
#include "measure/measureInt.h"

#include <stdlib.h>

#include "util/date.h"
#include "util/mem.h"
#include "util/vec.h"

/* ---- PS_COMPLETE_150 --------------------------------------------------- */

/* 150 % of normal time in quarters, 0 when the level has none here. */
static int window_quarters(int level)
{
    switch (level) {
    case TL_AWARD_CERT:
        return 6;
    case TL_AWARD_ASSOC:
        return 12;
    case TL_AWARD_BACH:
        return 24;
    default:
        return 0;
    }
}

/* The CIP of the entry term (first non-dual term at the entry quarter). */
static int32_t entry_cip(const tl_state *st, const tl_person *p)
{
    const tl_term *t = mi_run(&st->terms, p->term_off, p->term_n);
    for (uint32_t j = 0; j < p->term_n; j++)
        if (!t[j].dual && t[j].q_first == p->ps_entry_q)
            return t[j].cip;
    return TL_NONE;
}

p20w_status mi_emit_ps_complete_150(const char *id, const tl_state *st,
                                    const p20w_profile *prof,
                                    measure_sink *sink, p20w_err *err)
{
    mi_extent x;
    mi_extent_scan(st, &x);
    for (size_t i = 0; i < st->persons.len; i++) {
        const tl_person *p = mi_person(st, i);
        const tl_award_row *a = mi_run(&st->awards, p->award_off, p->award_n);
        int span = window_quarters(p->ps_entry_level);
        int32_t year, qa = p->ps_entry_q, qb;
        measure_unit u;
        p20w_status rc;
        if (!p->ps_first_time || qa == TL_NONE || span == 0)
            continue;
        qb = qa + span - 1;
        year = quarter_year(qa) + (quarter_num(qa) >= 3 ? 1 : 0);
        /* entry year Y: Q3 of Y-1 .. Q2 of Y */
        if (4 * (year - 1) + 2 <= x.ps_q_first ||
            4 * year + 1 + span - 1 > x.ps_q_last)
            continue;
        measure_unit_init(&u);
        u.year = year;
        mi_place_inst(&u, st, p->ps_entry_inst);
        mi_place_cip(&u, entry_cip(st, p));
        u.dim[MD_AWARD_LEVEL] = p->ps_entry_level;
        measure_unit_person(&u, st, p);
        for (uint32_t j = 0; j < p->award_n && !u.in_numerator; j++) {
            int32_t q;
            if (a[j].date == TL_NO_DATE)
                continue;
            q = date_quarter_idx(a[j].date);
            u.in_numerator = q >= qa && q <= qb;
        }
        (void)prof;
        if ((rc = mi_emit(sink, &u, id, err)) != P20W_OK)
            return rc;
    }
    return P20W_OK;
}

/* ---- CRED_OF_VALUE ----------------------------------------------------- */

typedef struct earner {
    int32_t year;
    int32_t inst;
    int32_t cip;
    int32_t level;
    double dollars;
} earner;

static int cmp_program(const void *a, const void *b)
{
    const earner *x = a, *y = b;
    if (x->year != y->year)
        return x->year < y->year ? -1 : 1;
    if (x->inst != y->inst)
        return x->inst < y->inst ? -1 : 1;
    if (x->level != y->level)
        return x->level < y->level ? -1 : 1;
    if (x->cip != y->cip)
        return x->cip < y->cip ? -1 : 1;
    return (x->dollars > y->dollars) - (x->dollars < y->dollars);
}

static int cmp_year(const void *a, const void *b)
{
    const earner *x = a, *y = b;
    if (x->year != y->year)
        return x->year < y->year ? -1 : 1;
    return (x->dollars > y->dollars) - (x->dollars < y->dollars);
}

/* Collects year-1 attached earners: PS completers into prog (with their
 * program), PS completers and HS graduates into all. */
static p20w_status collect_earners(const tl_state *st, const p20w_profile *prof,
                                   vec *prog, vec *all)
{
    for (size_t i = 0; i < st->persons.len; i++) {
        const tl_person *p = mi_person(st, i);
        const tl_exit_event *e = mi_exits(st, p);
        for (uint32_t j = 0; j < p->exit_n; j++) {
            int32_t qa = mi_year_first(e[j].exit_q, 1);
            int64_t annual;
            earner r;
            if (e[j].kind != TL_EXITER_PS_COMPLETER &&
                e[j].kind != TL_EXITER_HS_GRAD)
                continue;
            if (!mi_in_wage_data(st, qa, qa + 3) ||
                !mi_attached(st, p, qa, prof, &annual))
                continue;
            r.year = mi_exit_year(&e[j]);
            r.inst = e[j].inst;
            r.cip = e[j].cip;
            r.level = e[j].level;
            r.dollars = (double)annual / 100.0;
            if (vec_push(all, &r) != P20W_OK)
                return P20W_ENOMEM;
            if (e[j].kind == TL_EXITER_PS_COMPLETER &&
                vec_push(prog, &r) != P20W_OK)
                return P20W_ENOMEM;
        }
    }
    return P20W_OK;
}

/* Median of the sorted values v[0..n). */
static double sorted_median(const earner *v, size_t n)
{
    return n % 2 ? v[n / 2].dollars
                 : (v[n / 2 - 1].dollars + v[n / 2].dollars) / 2;
}

/* The state median of year `year` among all[0..n) (sorted by year, then
 * dollars); -1 when the year has no earner. */
static double year_median(const earner *all, size_t n, int32_t year)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (all[mid].year < year)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (hi = lo; hi < n && all[hi].year == year; hi++)
        ;
    return hi > lo ? sorted_median(all + lo, hi - lo) : -1;
}

static int cip_in_demand(const measure_refs *refs, int32_t cip)
{
    size_t n;
    const measure_occupation *const *occ =
        measure_refs_cip_occupations(refs, cip, &n);
    for (size_t i = 0; i < n; i++)
        if (occ[i]->in_demand)
            return 1;
    return 0;
}

static p20w_status rate_programs(const char *id, const tl_state *st,
                                 const p20w_profile *prof,
                                 const measure_refs *refs, measure_sink *sink,
                                 const vec *prog, const vec *all, p20w_err *err)
{
    const earner *v = prog->data;
    size_t min_n =
        prof->min_n_percentile > 1 ? (size_t)prof->min_n_percentile : 1;
    for (size_t i = 0; i < prog->len;) {
        size_t j = i;
        double median, bar;
        measure_unit u;
        p20w_status rc;
        while (j < prog->len && v[j].year == v[i].year &&
               v[j].inst == v[i].inst && v[j].level == v[i].level &&
               v[j].cip == v[i].cip)
            j++;
        if (j - i < min_n) {
            i = j;
            continue;
        }
        median = sorted_median(v + i, j - i);
        bar = prof->value_wage_cents > 0
                  ? (double)prof->value_wage_cents / 100.0
                  : year_median(all->data, all->len, v[i].year);
        measure_unit_init(&u);
        u.year = v[i].year;
        mi_place_inst(&u, st, v[i].inst);
        mi_place_cip(&u, v[i].cip);
        if (v[i].level != TL_AWARD_NONE)
            u.dim[MD_AWARD_LEVEL] = v[i].level;
        u.value = median;
        u.in_numerator = median >= bar && cip_in_demand(refs, v[i].cip);
        if ((rc = mi_emit(sink, &u, id, err)) != P20W_OK)
            return rc;
        i = j;
    }
    return P20W_OK;
}

p20w_status mi_emit_cred_of_value(const char *id, const tl_state *st,
                                  const p20w_profile *prof, measure_sink *sink,
                                  p20w_err *err)
{
    measure_refs *owned = NULL;
    const measure_refs *refs;
    vec prog, all;
    p20w_status rc;

    vec_init(&prog, sizeof(earner));
    vec_init(&all, sizeof(earner));
    if ((rc = mi_check_nominal(prof, id, err)) != P20W_OK)
        goto out;
    if ((rc = mi_refs(sink, &owned, &refs, err)) != P20W_OK)
        goto out;
    if ((rc = collect_earners(st, prof, &prog, &all)) != P20W_OK) {
        rc = p20w_err_set(err, rc, "%s: out of memory", id);
        goto out;
    }
    if (prog.len > 1)
        qsort(prog.data, prog.len, sizeof(earner), cmp_program);
    if (all.len > 1)
        qsort(all.data, all.len, sizeof(earner), cmp_year);
    rc = rate_programs(id, st, prof, refs, sink, &prog, &all, err);
out:
    vec_free(&prog);
    vec_free(&all);
    measure_refs_free(owned);
    return rc;
}
