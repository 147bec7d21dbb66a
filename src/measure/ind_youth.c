/*
 * ind_youth.c — OPP_YOUTH: opportunity youth by quarter and county.
 *
 * One unit per person and quarter of the wage data in which the person
 *   - is aged 16-24 at the quarter's first day (from birth_ym: the birth
 *     month counts as not yet completed, so the age is exact except for
 *     people born on the 1st of a month, who turn a quarter late),
 *   - is a resident (home county known), and
 *   - is "seen in state records": some wage row (0 wages included), K-12
 *     enrolment, postsecondary term or apprenticeship within four quarters
 *     either side of the quarter. Someone who left the state, or was never
 *     here, drops out instead of counting as disconnected forever.
 * The unit is in the numerator (an opportunity youth) when, in that
 * quarter, the person is enrolled in neither K-12 nor postsecondary (dual
 * enrolment counts as enrolled), is in no apprenticeship and is not
 * employed. Its year is the quarter's calendar year; MD_QUARTER is set
 * and required, so a count is people, not person-quarters.
 */
#include "measure/measureInt.h"

#include <string.h>

#include "util/date.h"

#define SEEN_QUARTERS 4 /* the "seen in state records" reach, each side */
#define SPAN 64         /* 36 quarters of ages 16-24, plus the reach */

enum { B_SEEN = 1, B_K12 = 2, B_PS = 4, B_APPR = 8 };

typedef struct youth_span {
    int32_t lo; /* quarter of bits[0] */
    uint8_t bits[SPAN];
    int64_t cents[SPAN];
} youth_span;

static void mark(youth_span *s, int32_t qa, int32_t qb, uint8_t bit)
{
    if (qa < s->lo)
        qa = s->lo;
    if (qb > s->lo + SPAN - 1)
        qb = s->lo + SPAN - 1;
    for (int32_t q = qa; q <= qb; q++)
        s->bits[q - s->lo] |= bit;
}

/* Fills s with the person's records over [s->lo, s->lo + SPAN). */
static void fill_span(youth_span *s, const tl_state *st, const tl_person *p)
{
    const tl_wage *w = mi_run(&st->wages, p->wage_off, p->wage_n);
    const tl_term *t = mi_run(&st->terms, p->term_off, p->term_n);
    const tl_enrol *en = mi_run(&st->enrols, p->enrol_off, p->enrol_n);
    const tl_appr *a = mi_run(&st->apprs, p->appr_off, p->appr_n);
    for (uint32_t i = 0; i < p->wage_n; i++) {
        if (w[i].q < s->lo || w[i].q >= s->lo + SPAN)
            continue;
        s->bits[w[i].q - s->lo] |= B_SEEN;
        s->cents[w[i].q - s->lo] += w[i].cents;
    }
    for (uint32_t i = 0; i < p->term_n; i++)
        mark(s, t[i].q_first, t[i].q_last, B_SEEN | B_PS);
    for (uint32_t i = 0; i < p->enrol_n; i++) {
        int32_t qa = 4 * (en[i].school_year - 1) + 2;
        mark(s, qa, qa + 3, B_SEEN | B_K12);
    }
    for (uint32_t i = 0; i < p->appr_n; i++) {
        int32_t qb = a[i].end_date == TL_NO_DATE
                         ? INT32_MAX - 1
                         : date_quarter_idx(a[i].end_date);
        mark(s, date_quarter_idx(a[i].start_date), qb, B_SEEN | B_APPR);
    }
}

static p20w_status youth_person(const char *id, const tl_state *st,
                                const p20w_profile *prof, measure_sink *sink,
                                const tl_person *p, youth_span *s,
                                p20w_err *err)
{
    /* age 16..24 at the first day of q: 3q - birth_ym in [193, 300] */
    int32_t q_lo = (p->birth_ym + 193 + 2) / 3, q_hi = (p->birth_ym + 300) / 3;
    int32_t from = q_lo > st->wage_q_first ? q_lo : st->wage_q_first;
    int32_t to = q_hi < st->wage_q_last ? q_hi : st->wage_q_last;
    const tl_county *c = (const tl_county *)st->counties.data + p->home_county;
    if (from > to)
        return P20W_OK;
    memset(s, 0, sizeof *s);
    s->lo = from - SEEN_QUARTERS;
    fill_span(s, st, p);
    for (int32_t q = from; q <= to; q++) {
        int i = q - s->lo, seen = 0;
        uint8_t b = s->bits[i];
        int64_t cents = s->cents[i];
        measure_unit u;
        p20w_status rc;
        for (int d = -SEEN_QUARTERS; d <= SEEN_QUARTERS && !seen; d++)
            seen = (s->bits[i + d] & B_SEEN) != 0;
        if (!seen)
            continue;
        measure_unit_init(&u);
        u.year = quarter_year(q);
        u.dim[MD_QUARTER] = q;
        u.dim[MD_COUNTY] = p->home_county;
        u.dim[MD_REGION] = c->region;
        measure_unit_person(&u, st, p);
        u.in_numerator = !(b & (B_K12 | B_PS | B_APPR)) &&
                         !(cents > 0 && cents >= prof->min_quarter_cents);
        if ((rc = mi_emit(sink, &u, id, err)) != P20W_OK)
            return rc;
    }
    return P20W_OK;
}

p20w_status mi_emit_opp_youth(const char *id, const tl_state *st,
                              const p20w_profile *prof, measure_sink *sink,
                              p20w_err *err)
{
    youth_span s;
    if (st->wage_q_first == TL_NONE || st->wage_q_last == TL_NONE)
        return P20W_OK;
    for (size_t i = 0; i < st->persons.len; i++) {
        const tl_person *p = mi_person(st, i);
        p20w_status rc;
        if (p->birth_ym == TL_NONE || p->birth_ym < 0 || p->home_county < 0 ||
            (size_t)p->home_county >= st->counties.len)
            continue;
        if ((rc = youth_person(id, st, prof, sink, p, &s, err)) != P20W_OK)
            return rc;
    }
    return P20W_OK;
}
