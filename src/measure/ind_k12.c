/*
 * ind_k12.c — K-12 indicators: HS_GRAD4 (four-year graduation rate),
 * P5_1S1 (the same for secondary CTE concentrators) and EMP_WHILE_HS
 * (grade 11-12 students working during the school year).
 *
 * Cohort indicators read the designations of derive_rules(): in_cohort
 * (transfers out of state and deaths have left), cohort_year and
 * grad_on_time. A cohort counts only once the K-12 data reaches its
 * fourth year (cohort_year <= latest school year of any enrolment row):
 * before that, "not yet graduated" is not yet an outcome. Places come from
 * the exit school, or the last school for students still enrolled.
 */
#include "measure/measureInt.h"

static int cohort_member(const tl_person *p)
{
    return p->in_cohort && p->cohort_year > 0 &&
           p->hs_exit_type != TL_EXIT_TRANSFER_OUT &&
           p->hs_exit_type != TL_EXIT_DECEASED;
}

static p20w_status emit_cohort(const char *id, const tl_state *st,
                               const p20w_profile *prof, measure_sink *sink,
                               int concentrators, p20w_err *err)
{
    mi_extent x;
    mi_extent_scan(st, &x);
    for (size_t i = 0; i < st->persons.len; i++) {
        const tl_person *p = mi_person(st, i);
        measure_unit u;
        p20w_status rc;
        if (!cohort_member(p) || p->cohort_year > x.k12_last_year)
            continue;
        if (concentrators && !p->cte_concentrator)
            continue;
        measure_unit_init(&u);
        u.year = p->cohort_year;
        mi_place_school(&u, st,
                        p->hs_exit_school != TL_NONE ? p->hs_exit_school
                                                     : p->last_school);
        if (concentrators)
            mi_place_program(&u, st, p, p->conc_program, prof);
        measure_unit_person(&u, st, p);
        u.in_numerator = p->grad_on_time ? 1 : 0;
        if ((rc = mi_emit(sink, &u, id, err)) != P20W_OK)
            return rc;
    }
    return P20W_OK;
}

p20w_status mi_emit_hs_grad4(const char *id, const tl_state *st,
                             const p20w_profile *prof, measure_sink *sink,
                             p20w_err *err)
{
    return emit_cohort(id, st, prof, sink, 0, err);
}

p20w_status mi_emit_p5_1s1(const char *id, const tl_state *st,
                           const p20w_profile *prof, measure_sink *sink,
                           p20w_err *err)
{
    return emit_cohort(id, st, prof, sink, 1, err);
}

/* One unit per student and school year with a grade 11 or 12 row: the
 * school year Y runs from Q3 of Y - 1 to Q2 of Y, and counts only when
 * all four quarters are inside the wage data. */
p20w_status mi_emit_emp_while_hs(const char *id, const tl_state *st,
                                 const p20w_profile *prof, measure_sink *sink,
                                 p20w_err *err)
{
    for (size_t i = 0; i < st->persons.len; i++) {
        const tl_person *p = mi_person(st, i);
        const tl_enrol *en = mi_run(&st->enrols, p->enrol_off, p->enrol_n);
        for (uint32_t j = 0; j < p->enrol_n;) {
            int sy = en[j].school_year;
            int32_t school = TL_NONE, qa = 4 * (sy - 1) + 2, qb = qa + 3;
            measure_unit u;
            p20w_status rc;
            /* rows are sorted by school year: take this year's run */
            for (; j < p->enrol_n && en[j].school_year == sy; j++)
                if (en[j].grade == 11 || en[j].grade == 12)
                    school = en[j].school;
            if (school == TL_NONE || !mi_in_wage_data(st, qa, qb))
                continue;
            measure_unit_init(&u);
            u.year = sy;
            mi_place_school(&u, st, school);
            measure_unit_person(&u, st, p);
            for (int32_t q = qa; q <= qb && !u.in_numerator; q++)
                u.in_numerator = (uint8_t)mi_employed_q(st, p, q, prof);
            if ((rc = mi_emit(sink, &u, id, err)) != P20W_OK)
                return rc;
        }
    }
    return P20W_OK;
}
