/*
 * ind_perkins.c — the Perkins V core indicators (spec/indicators.md):
 * secondary P5_2S1-3 (proficiency), P5_3S1 (placement), P5_4S1
 * (non-traditional), P5_5S1-3 (program quality); postsecondary P5_1P1
 * (placement), P5_2P1 (credential), P5_3P1 (non-traditional). P5_1S1 is
 * a cohort rate and lives in ind_k12.c.
 *
 * Secondary units carry the concentrator's program of study (program,
 * cluster, non-traditional), postsecondary units the concentrator
 * program's institution and CIP. "Non-traditional" needs the learner's
 * sex to be F or M; others are outside P5_4S1 and P5_3P1.
 */
#include "measure/measureInt.h"

#include "util/date.h"

static int32_t calendar_year(int32_t date, int32_t q)
{
    int y;
    if (date == TL_NO_DATE)
        return quarter_year(q);
    date_to_ymd(date, &y, NULL, NULL);
    return y;
}

/* ---- secondary --------------------------------------------------------- */

/* P5_2S1/2/3: one unit per concentrator, school year and subject tested;
 * proficient when any of that year's tests in the subject was. */
p20w_status mi_emit_p5_2s(const char *id, const tl_state *st,
                          const p20w_profile *prof, measure_sink *sink,
                          p20w_err *err)
{
    int subj = mi_id_k(id, "P5_2S") - 1;
    if (subj < 0 || subj >= TL_SUBJ_COUNT)
        return p20w_err_set(err, P20W_EINVAL, "%s: not a P5_2S indicator", id);
    for (size_t i = 0; i < st->persons.len; i++) {
        const tl_person *p = mi_person(st, i);
        const tl_assess *a = mi_run(&st->assesses, p->assess_off, p->assess_n);
        if (!p->cte_concentrator)
            continue;
        for (uint32_t j = 0; j < p->assess_n;) {
            int sy = a[j].school_year, tested = 0, prof_any = 0;
            measure_unit u;
            p20w_status rc;
            for (; j < p->assess_n && a[j].school_year == sy; j++)
                if (a[j].subject == subj) {
                    tested = 1;
                    prof_any |= a[j].proficient != 0;
                }
            if (!tested)
                continue;
            measure_unit_init(&u);
            u.year = sy;
            mi_place_school(&u, st, mi_school_in_year(st, p, sy));
            mi_place_program(&u, st, p, p->conc_program, prof);
            measure_unit_person(&u, st, p);
            u.dim[MD_SUBJECT] = subj;
            u.in_numerator = (uint8_t)prof_any;
            if ((rc = mi_emit(sink, &u, id, err)) != P20W_OK)
                return rc;
        }
    }
    return P20W_OK;
}

/* The unit of a concentrator's K-12 exit: exit year, exit school,
 * program. */
static void hs_exit_unit(measure_unit *u, const tl_state *st,
                         const tl_person *p, const p20w_profile *prof)
{
    measure_unit_init(u);
    u->year = calendar_year(p->hs_exit_date, p->hs_exit_q);
    mi_place_school(u, st, p->hs_exit_school);
    mi_place_program(u, st, p, p->conc_program, prof);
    measure_unit_person(u, st, p);
}

/* P5_3S1: concentrators who exited (GRAD, GRAD_ALT, HSE, DROPOUT), in
 * postsecondary, an apprenticeship or employed in the 2nd quarter after
 * the exit quarter; that quarter must be inside the wage data. */
p20w_status mi_emit_p5_3s1(const char *id, const tl_state *st,
                           const p20w_profile *prof, measure_sink *sink,
                           p20w_err *err)
{
    for (size_t i = 0; i < st->persons.len; i++) {
        const tl_person *p = mi_person(st, i);
        measure_unit u;
        p20w_status rc;
        int32_t q2;
        if (!p->cte_concentrator || !mi_hs_exited(p) || p->hs_exit_q < 0)
            continue;
        q2 = p->hs_exit_q + 2;
        if (!mi_in_wage_data(st, q2, q2))
            continue;
        hs_exit_unit(&u, st, p, prof);
        u.in_numerator = mi_ps_in(st, p, q2, q2) || mi_appr_in(st, p, q2, q2) ||
                         mi_employed_q(st, p, q2, prof);
        if ((rc = mi_emit(sink, &u, id, err)) != P20W_OK)
            return rc;
    }
    return P20W_OK;
}

/* The school year in which the concentrator completed the
 * concentrator_courses-th course of their program (the last such course
 * when derive counted differently); 0 when none. */
static int concentrator_year(const tl_state *st, const tl_person *p,
                             const p20w_profile *prof)
{
    const tl_cte *c = mi_run(&st->ctes, p->cte_off, p->cte_n);
    int n = 0, year = 0;
    for (uint32_t j = 0; j < p->cte_n; j++) {
        if (!c[j].completed || c[j].program != p->conc_program)
            continue;
        year = c[j].school_year;
        if (++n == prof->concentrator_courses)
            return year;
    }
    return year;
}

/* P5_4S1: one unit per secondary concentrator (sex F or M), counted in
 * the school year they became a concentrator. */
p20w_status mi_emit_p5_4s1(const char *id, const tl_state *st,
                           const p20w_profile *prof, measure_sink *sink,
                           p20w_err *err)
{
    for (size_t i = 0; i < st->persons.len; i++) {
        const tl_person *p = mi_person(st, i);
        measure_unit u;
        p20w_status rc;
        int year;
        if (!p->cte_concentrator || p->conc_program == TL_NONE)
            continue;
        if ((year = concentrator_year(st, p, prof)) == 0)
            continue;
        measure_unit_init(&u);
        u.year = year;
        mi_place_school(&u, st, mi_school_in_year(st, p, year));
        mi_place_program(&u, st, p, p->conc_program, prof);
        if (u.dim[MD_NONTRAD] == TL_NONE)
            continue;
        measure_unit_person(&u, st, p);
        u.in_numerator = (uint8_t)u.dim[MD_NONTRAD];
        if ((rc = mi_emit(sink, &u, id, err)) != P20W_OK)
            return rc;
    }
    return P20W_OK;
}

/* P5_5S1/2/3: concentrators who graduated (GRAD, GRAD_ALT), counted in
 * the exit year: credential before graduation, dual-enrolment credits,
 * completed work-based learning. */
p20w_status mi_emit_p5_5s(const char *id, const tl_state *st,
                          const p20w_profile *prof, measure_sink *sink,
                          p20w_err *err)
{
    int which = mi_id_k(id, "P5_5S");
    if (which < 1 || which > 3)
        return p20w_err_set(err, P20W_EINVAL, "%s: not a P5_5S indicator", id);
    for (size_t i = 0; i < st->persons.len; i++) {
        const tl_person *p = mi_person(st, i);
        measure_unit u;
        p20w_status rc;
        if (!p->cte_concentrator || !mi_hs_graduated(p))
            continue;
        hs_exit_unit(&u, st, p, prof);
        if (which == 1)
            u.in_numerator = p->cred_before_exit != 0;
        else if (which == 2)
            u.in_numerator = p->dual_credits != 0;
        else
            u.in_numerator = p->wbl_any != 0;
        if ((rc = mi_emit(sink, &u, id, err)) != P20W_OK)
            return rc;
    }
    return P20W_OK;
}

/* ---- postsecondary ----------------------------------------------------- */

/* The level sought in the person's last term of the concentrator
 * program, TL_AWARD_NONE when none. */
static int conc_level(const tl_state *st, const tl_person *p)
{
    const tl_term *t = mi_run(&st->terms, p->term_off, p->term_n);
    int level = TL_AWARD_NONE;
    for (uint32_t j = 0; j < p->term_n; j++)
        if (t[j].inst == p->ps_conc_inst && t[j].cip == p->ps_conc_cip)
            level = t[j].level;
    return level;
}

/* The unit of a postsecondary concentrator's program: institution, CIP,
 * level sought, non-traditional. */
static void ps_conc_unit(measure_unit *u, const tl_state *st,
                         const tl_person *p, const p20w_profile *prof)
{
    int level = conc_level(st, p);
    measure_unit_init(u);
    u->year = quarter_year(p->ps_conc_last_q);
    mi_place_inst(u, st, p->ps_conc_inst);
    mi_place_cip(u, p->ps_conc_cip);
    if (level != TL_AWARD_NONE)
        u->dim[MD_AWARD_LEVEL] = level;
    u->dim[MD_NONTRAD] =
        mi_nontrad(prof, p->sex, mi_cip_cluster(p->ps_conc_cip));
    measure_unit_person(u, st, p);
}

/* P5_1P1: each postsecondary exit (completion or leaving) of a
 * concentrator, in postsecondary, an apprenticeship or employed in the
 * 2nd quarter after the exit quarter, inside the wage data. */
p20w_status mi_emit_p5_1p1(const char *id, const tl_state *st,
                           const p20w_profile *prof, measure_sink *sink,
                           p20w_err *err)
{
    for (size_t i = 0; i < st->persons.len; i++) {
        const tl_person *p = mi_person(st, i);
        const tl_exit_event *e = mi_exits(st, p);
        if (!p->ps_concentrator)
            continue;
        for (uint32_t j = 0; j < p->exit_n; j++) {
            measure_unit u;
            p20w_status rc;
            int32_t q2 = e[j].exit_q + 2;
            if (e[j].kind != TL_EXITER_PS_COMPLETER &&
                e[j].kind != TL_EXITER_PS_LEAVER)
                continue;
            if (!mi_in_wage_data(st, q2, q2))
                continue;
            measure_unit_init(&u);
            mi_unit_exit(&u, st, p, &e[j], prof);
            u.dim[MD_NONTRAD] =
                mi_nontrad(prof, p->sex, mi_cip_cluster(p->ps_conc_cip));
            u.in_numerator = mi_ps_in(st, p, q2, q2) ||
                             mi_appr_in(st, p, q2, q2) ||
                             mi_employed_q(st, p, q2, prof);
            if ((rc = mi_emit(sink, &u, id, err)) != P20W_OK)
                return rc;
        }
    }
    return P20W_OK;
}

/* P5_2P1: concentrators earning any award from their first quarter in
 * the program to four quarters after their last; counted in the year of
 * the last quarter, once that year after lies inside the postsecondary
 * data. */
p20w_status mi_emit_p5_2p1(const char *id, const tl_state *st,
                           const p20w_profile *prof, measure_sink *sink,
                           p20w_err *err)
{
    mi_extent x;
    mi_extent_scan(st, &x);
    for (size_t i = 0; i < st->persons.len; i++) {
        const tl_person *p = mi_person(st, i);
        const tl_award_row *a = mi_run(&st->awards, p->award_off, p->award_n);
        measure_unit u;
        p20w_status rc;
        int32_t qa = p->ps_conc_first_q, qb = p->ps_conc_last_q + 4;
        if (!p->ps_concentrator || p->ps_conc_first_q == TL_NONE ||
            p->ps_conc_last_q == TL_NONE || qb > x.ps_q_last)
            continue;
        ps_conc_unit(&u, st, p, prof);
        for (uint32_t j = 0; j < p->award_n && !u.in_numerator; j++) {
            int32_t q;
            if (a[j].date == TL_NO_DATE)
                continue;
            q = date_quarter_idx(a[j].date);
            u.in_numerator = q >= qa && q <= qb;
        }
        if ((rc = mi_emit(sink, &u, id, err)) != P20W_OK)
            return rc;
    }
    return P20W_OK;
}

/* P5_3P1: one unit per postsecondary concentrator (sex F or M, program
 * CIP with a cluster), counted in the year of the last quarter in the
 * program. */
p20w_status mi_emit_p5_3p1(const char *id, const tl_state *st,
                           const p20w_profile *prof, measure_sink *sink,
                           p20w_err *err)
{
    for (size_t i = 0; i < st->persons.len; i++) {
        const tl_person *p = mi_person(st, i);
        measure_unit u;
        p20w_status rc;
        if (!p->ps_concentrator || p->ps_conc_last_q == TL_NONE)
            continue;
        ps_conc_unit(&u, st, p, prof);
        if (u.dim[MD_NONTRAD] == TL_NONE)
            continue;
        u.in_numerator = (uint8_t)u.dim[MD_NONTRAD];
        if ((rc = mi_emit(sink, &u, id, err)) != P20W_OK)
            return rc;
    }
    return P20W_OK;
}
