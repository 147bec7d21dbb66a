/*
 * ind_work.c — outcomes of exiters in the wage records: EMP_Q2, EMP_Q4,
 * MED_EARN_Q2, OUTCOME_Yk, EARN_Yk, INDUSTRY_Yk, HOME_REGION_Yk and
 * WBL_OUTCOMES (spec/indicators.md).
 *
 * The unit is an exit event (st->exits), not a person: someone who
 * graduates from high school, then earns a certificate, counts once in
 * each exit's year, each with its own place (exit school or institution)
 * and exiter kind. Exiters are HS graduates, HS non-completers,
 * postsecondary completers and apprenticeship completers (HSE holders and
 * postsecondary leavers are not); EARN_Yk takes PS completers and HS
 * graduates; WBL_OUTCOMES HS graduates.
 *
 * Every window — the 2nd or 4th quarter after the exit quarter, or year k
 * after it — counts only when it lies wholly inside the wage data; an
 * exit whose window is not complete yet emits nothing.
 */
#include "measure/measureInt.h"

#include <string.h>

static int is_exiter(int kind)
{
    return kind == TL_EXITER_HS_GRAD || kind == TL_EXITER_HS_NONCOMPLETER ||
           kind == TL_EXITER_PS_COMPLETER || kind == TL_EXITER_APPR_COMPLETER;
}

static int is_earner_kind(int kind)
{
    return kind == TL_EXITER_PS_COMPLETER || kind == TL_EXITER_HS_GRAD;
}

/* Calls fn for every exit event of the kinds `want` accepts. */
typedef p20w_status (*exit_fn)(const char *id, const tl_state *st,
                               const p20w_profile *prof, measure_sink *sink,
                               const tl_person *p, const tl_exit_event *e,
                               int k, p20w_err *err);

static p20w_status each_exit(const char *id, const tl_state *st,
                             const p20w_profile *prof, measure_sink *sink,
                             int (*want)(int), int k, exit_fn fn, p20w_err *err)
{
    for (size_t i = 0; i < st->persons.len; i++) {
        const tl_person *p = mi_person(st, i);
        const tl_exit_event *e = mi_exits(st, p);
        for (uint32_t j = 0; j < p->exit_n; j++) {
            p20w_status rc;
            if (!want(e[j].kind))
                continue;
            if ((rc = fn(id, st, prof, sink, p, &e[j], k, err)) != P20W_OK)
                return rc;
        }
    }
    return P20W_OK;
}

/* ---- EMP_Q2, EMP_Q4, MED_EARN_Q2 --------------------------------------- */

static p20w_status emp_q_one(const char *id, const tl_state *st,
                             const p20w_profile *prof, measure_sink *sink,
                             const tl_person *p, const tl_exit_event *e, int k,
                             p20w_err *err)
{
    measure_unit u;
    int32_t q = e->exit_q + k;
    if (!mi_in_wage_data(st, q, q))
        return P20W_OK;
    measure_unit_init(&u);
    mi_unit_exit(&u, st, p, e, prof);
    u.in_numerator = (uint8_t)mi_employed_q(st, p, q, prof);
    return mi_emit(sink, &u, id, err);
}

p20w_status mi_emit_emp_q(const char *id, const tl_state *st,
                          const p20w_profile *prof, measure_sink *sink,
                          p20w_err *err)
{
    int k = mi_id_k(id, "EMP_Q");
    if (k != 2 && k != 4)
        return p20w_err_set(err, P20W_EINVAL, "%s: not EMP_Q2 or EMP_Q4", id);
    return each_exit(id, st, prof, sink, is_exiter, k, emp_q_one, err);
}

static p20w_status med_earn_one(const char *id, const tl_state *st,
                                const p20w_profile *prof, measure_sink *sink,
                                const tl_person *p, const tl_exit_event *e,
                                int k, p20w_err *err)
{
    measure_unit u;
    int32_t q = e->exit_q + k;
    if (!mi_in_wage_data(st, q, q) || !mi_employed_q(st, p, q, prof))
        return P20W_OK;
    measure_unit_init(&u);
    mi_unit_exit(&u, st, p, e, prof);
    u.value = (double)tl_quarter_wages(st, p, q) / 100.0;
    return mi_emit(sink, &u, id, err);
}

p20w_status mi_emit_med_earn_q2(const char *id, const tl_state *st,
                                const p20w_profile *prof, measure_sink *sink,
                                p20w_err *err)
{
    p20w_status rc = mi_check_nominal(prof, id, err);
    if (rc != P20W_OK)
        return rc;
    return each_exit(id, st, prof, sink, is_exiter, 2, med_earn_one, err);
}

/* ---- OUTCOME_Yk -------------------------------------------------------- */

static p20w_status outcome_one(const char *id, const tl_state *st,
                               const p20w_profile *prof, measure_sink *sink,
                               const tl_person *p, const tl_exit_event *e,
                               int k, p20w_err *err)
{
    measure_unit u;
    int32_t qa = mi_year_first(e->exit_q, k), qb = mi_year_last(e->exit_q, k);
    int ps, emp;
    if (!mi_in_wage_data(st, qa, qb))
        return P20W_OK;
    measure_unit_init(&u);
    mi_unit_exit(&u, st, p, e, prof);
    ps = mi_ps_in(st, p, qa, qb);
    emp = mi_employed_year(st, p, qa, prof);
    if (mi_appr_in(st, p, qa, qb))
        u.category = MO_APPRENTICESHIP;
    else if (ps && emp)
        u.category = MO_PS_EMPLOYED;
    else if (ps)
        u.category = MO_PS_ONLY;
    else if (emp)
        u.category = MO_EMPLOYED_ONLY;
    else if (mi_found_in(st, p, qa, qb))
        u.category = MO_RECORDS_NEITHER;
    else
        u.category = MO_NOT_FOUND;
    return mi_emit(sink, &u, id, err);
}

p20w_status mi_emit_outcome(const char *id, const tl_state *st,
                            const p20w_profile *prof, measure_sink *sink,
                            p20w_err *err)
{
    int k = mi_id_k(id, "OUTCOME_Y");
    if (k < 1)
        return p20w_err_set(err, P20W_EINVAL, "%s: not an OUTCOME_Yk id", id);
    return each_exit(id, st, prof, sink, is_exiter, k, outcome_one, err);
}

/* ---- EARN_Yk ----------------------------------------------------------- */

static p20w_status earn_one(const char *id, const tl_state *st,
                            const p20w_profile *prof, measure_sink *sink,
                            const tl_person *p, const tl_exit_event *e, int k,
                            p20w_err *err)
{
    measure_unit u;
    int32_t qa = mi_year_first(e->exit_q, k), qb = mi_year_last(e->exit_q, k);
    int64_t annual;
    if (!mi_in_wage_data(st, qa, qb) || !mi_attached(st, p, qa, prof, &annual))
        return P20W_OK;
    measure_unit_init(&u);
    mi_unit_exit(&u, st, p, e, prof);
    u.value = (double)annual / 100.0;
    return mi_emit(sink, &u, id, err);
}

p20w_status mi_emit_earn(const char *id, const tl_state *st,
                         const p20w_profile *prof, measure_sink *sink,
                         p20w_err *err)
{
    int k = mi_id_k(id, "EARN_Y");
    p20w_status rc;
    if (k < 1)
        return p20w_err_set(err, P20W_EINVAL, "%s: not an EARN_Yk id", id);
    if ((rc = mi_check_nominal(prof, id, err)) != P20W_OK)
        return rc;
    return each_exit(id, st, prof, sink, is_earner_kind, k, earn_one, err);
}

/* ---- INDUSTRY_Yk, HOME_REGION_Yk --------------------------------------- */

static p20w_status industry_one(const char *id, const tl_state *st,
                                const p20w_profile *prof, measure_sink *sink,
                                const tl_person *p, const tl_exit_event *e,
                                int k, p20w_err *err)
{
    measure_unit u;
    int32_t qa = mi_year_first(e->exit_q, k), qb = mi_year_last(e->exit_q, k);
    int32_t emp;
    if (!mi_in_wage_data(st, qa, qb) || !mi_employed_year(st, p, qa, prof))
        return P20W_OK;
    emp = tl_main_employer(st, p, qa, qb);
    if (emp == TL_NONE)
        return P20W_OK;
    measure_unit_init(&u);
    mi_unit_exit(&u, st, p, e, prof);
    u.category = ((const tl_employer *)st->employers.data)[emp].sector;
    return mi_emit(sink, &u, id, err);
}

p20w_status mi_emit_industry(const char *id, const tl_state *st,
                             const p20w_profile *prof, measure_sink *sink,
                             p20w_err *err)
{
    int k = mi_id_k(id, "INDUSTRY_Y");
    if (k < 1)
        return p20w_err_set(err, P20W_EINVAL, "%s: not an INDUSTRY_Yk id", id);
    return each_exit(id, st, prof, sink, is_exiter, k, industry_one, err);
}

/* Home region: the region of the exit's own place (exit school,
 * institution; for apprenticeship completers the home county), which
 * mi_unit_exit() has put in MD_REGION. Units whose home or work region is
 * unknown are left out. */
static p20w_status home_region_one(const char *id, const tl_state *st,
                                   const p20w_profile *prof, measure_sink *sink,
                                   const tl_person *p, const tl_exit_event *e,
                                   int k, p20w_err *err)
{
    measure_unit u;
    int32_t qa = mi_year_first(e->exit_q, k), qb = mi_year_last(e->exit_q, k);
    int32_t emp, county, work_region;
    if (!mi_in_wage_data(st, qa, qb) || !mi_employed_year(st, p, qa, prof))
        return P20W_OK;
    emp = tl_main_employer(st, p, qa, qb);
    if (emp == TL_NONE)
        return P20W_OK;
    county = ((const tl_employer *)st->employers.data)[emp].county;
    if (county < 0 || (size_t)county >= st->counties.len)
        return P20W_OK;
    work_region = ((const tl_county *)st->counties.data)[county].region;
    measure_unit_init(&u);
    mi_unit_exit(&u, st, p, e, prof);
    if (u.dim[MD_REGION] == TL_NONE || work_region == TL_NONE)
        return P20W_OK;
    u.in_numerator = u.dim[MD_REGION] == work_region;
    return mi_emit(sink, &u, id, err);
}

p20w_status mi_emit_home_region(const char *id, const tl_state *st,
                                const p20w_profile *prof, measure_sink *sink,
                                p20w_err *err)
{
    int k = mi_id_k(id, "HOME_REGION_Y");
    if (k < 1)
        return p20w_err_set(err, P20W_EINVAL, "%s: not a HOME_REGION_Yk id",
                            id);
    return each_exit(id, st, prof, sink, is_exiter, k, home_region_one, err);
}

/* ---- WBL_OUTCOMES ------------------------------------------------------ */

static int is_hs_grad(int kind)
{
    return kind == TL_EXITER_HS_GRAD;
}

/* Emits u once per MD_WBL value of the graduate: NONE, or ANY and each
 * completed type. */
static p20w_status emit_by_wbl(measure_sink *sink, measure_unit *u,
                               const tl_person *p, const char *id,
                               p20w_err *err)
{
    p20w_status rc;
    if (!p->wbl_any && !p->wbl_types) {
        u->dim[MD_WBL] = MEASURE_WBL_NONE;
        return mi_emit(sink, u, id, err);
    }
    u->dim[MD_WBL] = MEASURE_WBL_ANY;
    if ((rc = mi_emit(sink, u, id, err)) != P20W_OK)
        return rc;
    for (int t = 0; t < TL_WBL_COUNT; t++) {
        if (!(p->wbl_types & (1u << t)))
            continue;
        u->dim[MD_WBL] = 1 + t;
        if ((rc = mi_emit(sink, u, id, err)) != P20W_OK)
            return rc;
    }
    return P20W_OK;
}

static p20w_status wbl_emp_one(const char *id, const tl_state *st,
                               const p20w_profile *prof, measure_sink *sink,
                               const tl_person *p, const tl_exit_event *e,
                               int k, p20w_err *err)
{
    measure_unit u;
    int32_t q = e->exit_q + 2;
    (void)k;
    if (!mi_in_wage_data(st, q, q))
        return P20W_OK;
    measure_unit_init(&u);
    mi_unit_exit(&u, st, p, e, prof);
    u.in_numerator = (uint8_t)mi_employed_q(st, p, q, prof);
    return emit_by_wbl(sink, &u, p, id, err);
}

static p20w_status wbl_earn_one(const char *id, const tl_state *st,
                                const p20w_profile *prof, measure_sink *sink,
                                const tl_person *p, const tl_exit_event *e,
                                int k, p20w_err *err)
{
    measure_unit u;
    int32_t qa = mi_year_first(e->exit_q, 1), qb = mi_year_last(e->exit_q, 1);
    int64_t annual;
    (void)k;
    if (!mi_in_wage_data(st, qa, qb) || !mi_attached(st, p, qa, prof, &annual))
        return P20W_OK;
    measure_unit_init(&u);
    mi_unit_exit(&u, st, p, e, prof);
    u.value = (double)annual / 100.0;
    return emit_by_wbl(sink, &u, p, id, err);
}

p20w_status mi_emit_wbl(const char *id, const tl_state *st,
                        const p20w_profile *prof, measure_sink *sink,
                        p20w_err *err)
{
    p20w_status rc;
    if (strcmp(id, "WBL_OUTCOMES_EMP_Q2") == 0)
        return each_exit(id, st, prof, sink, is_hs_grad, 2, wbl_emp_one, err);
    if (strcmp(id, "WBL_OUTCOMES_EARN_Y1") != 0)
        return p20w_err_set(err, P20W_EINVAL, "%s: not a WBL_OUTCOMES id", id);
    if ((rc = mi_check_nominal(prof, id, err)) != P20W_OK)
        return rc;
    return each_exit(id, st, prof, sink, is_hs_grad, 1, wbl_earn_one, err);
}
