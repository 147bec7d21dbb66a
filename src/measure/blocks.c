/*
 * blocks.c — the building blocks of spec/indicators.md that every
 * emitter shares (measureInt.h): employment in a quarter and in a year,
 * attachment, outcome windows inside the data, and the places, programs
 * and person dimensions a unit carries.
 *
 * Rules kept here so that no two indicators can disagree on them:
 *   - employed in a quarter: total wages over all employers > 0 and >=
 *     min_quarter_cents (a row of 0 wages is a record, never employment);
 *   - a window counts only when it lies wholly inside the wage data;
 *   - "in postsecondary" after high school ignores dual-enrolment terms;
 *   - "found in state records": any wage row (even 0), K-12 enrolment,
 *     postsecondary term or apprenticeship in the window.
 *
 * Nothing here allocates; everything reads a finished timeline.
 */
#include "measure/measureInt.h"

#include <stdlib.h>
#include <string.h>

#include "util/date.h"

#ifndef P20W_DATADIR
#define P20W_DATADIR "data"
#endif

/* ---- extents ----------------------------------------------------------- */

void mi_extent_scan(const tl_state *st, mi_extent *x)
{
    const tl_enrol *en = st->enrols.data;
    const tl_term *t = st->terms.data;
    const tl_award_row *a = st->awards.data;
    x->k12_last_year = 0;
    x->ps_q_first = TL_NONE;
    x->ps_q_last = TL_NONE;
    for (size_t i = 0; i < st->enrols.len; i++)
        if (en[i].school_year > x->k12_last_year)
            x->k12_last_year = en[i].school_year;
    for (size_t i = 0; i < st->terms.len; i++) {
        if (x->ps_q_first == TL_NONE || t[i].q_first < x->ps_q_first)
            x->ps_q_first = t[i].q_first;
        if (x->ps_q_last == TL_NONE || t[i].q_last > x->ps_q_last)
            x->ps_q_last = t[i].q_last;
    }
    for (size_t i = 0; i < st->awards.len; i++) {
        int32_t q;
        if (a[i].date == TL_NO_DATE)
            continue;
        q = date_quarter_idx(a[i].date);
        if (x->ps_q_first == TL_NONE || q < x->ps_q_first)
            x->ps_q_first = q;
        if (x->ps_q_last == TL_NONE || q > x->ps_q_last)
            x->ps_q_last = q;
    }
}

/* ---- employment -------------------------------------------------------- */

int mi_in_wage_data(const tl_state *st, int32_t q_first, int32_t q_last)
{
    if (st->wage_q_first == TL_NONE || st->wage_q_last == TL_NONE)
        return 0;
    return q_first >= st->wage_q_first && q_last <= st->wage_q_last &&
           q_first <= q_last;
}

int mi_employed_q(const tl_state *st, const tl_person *p, int32_t q,
                  const p20w_profile *prof)
{
    int64_t w = tl_quarter_wages(st, p, q);
    return w > 0 && w >= prof->min_quarter_cents;
}

int mi_employed_year(const tl_state *st, const tl_person *p, int32_t qa,
                     const p20w_profile *prof)
{
    int employed = 0;
    int need =
        prof->employed_year_quarters < 1 ? 1 : prof->employed_year_quarters;
    int64_t annual =
        tl_window_wages(st, p, qa, qa + 3, prof->min_quarter_cents, &employed);
    return employed >= need && annual >= prof->employed_year_cents;
}

int mi_attached(const tl_state *st, const tl_person *p, int32_t qa,
                const p20w_profile *prof, int64_t *annual_cents)
{
    int employed = 0;
    int64_t annual =
        tl_window_wages(st, p, qa, qa + 3, prof->min_quarter_cents, &employed);
    *annual_cents = annual;
    return annual > 0 && annual >= prof->attach_annual_cents &&
           employed >= prof->attach_quarters;
}

int mi_ps_in(const tl_state *st, const tl_person *p, int32_t qa, int32_t qb)
{
    const tl_term *t = mi_run(&st->terms, p->term_off, p->term_n);
    for (uint32_t i = 0; i < p->term_n; i++)
        if (!t[i].dual && t[i].q_first <= qb && t[i].q_last >= qa)
            return 1;
    return 0;
}

int mi_appr_in(const tl_state *st, const tl_person *p, int32_t qa, int32_t qb)
{
    const tl_appr *a = mi_run(&st->apprs, p->appr_off, p->appr_n);
    for (uint32_t i = 0; i < p->appr_n; i++) {
        int32_t s = date_quarter_idx(a[i].start_date);
        int32_t e = a[i].end_date == TL_NO_DATE
                        ? INT32_MAX
                        : date_quarter_idx(a[i].end_date);
        if (s <= qb && e >= qa)
            return 1;
    }
    return 0;
}

int mi_found_in(const tl_state *st, const tl_person *p, int32_t qa, int32_t qb)
{
    const tl_wage *w = mi_run(&st->wages, p->wage_off, p->wage_n);
    const tl_term *t = mi_run(&st->terms, p->term_off, p->term_n);
    for (uint32_t i = 0; i < p->wage_n; i++)
        if (w[i].q >= qa && w[i].q <= qb)
            return 1;
    for (uint32_t i = 0; i < p->term_n; i++)
        if (t[i].q_first <= qb && t[i].q_last >= qa)
            return 1;
    for (int32_t q = qa; q <= qb; q++)
        if (tl_enrolled_k12(st, p, q))
            return 1;
    return mi_appr_in(st, p, qa, qb);
}

/* ---- places ------------------------------------------------------------ */

void mi_place_school(measure_unit *u, const tl_state *st, int32_t school)
{
    const tl_school *s;
    if (school < 0 || (size_t)school >= st->schools.len)
        return;
    s = (const tl_school *)st->schools.data + school;
    u->dim[MD_SCHOOL] = school;
    u->dim[MD_DISTRICT] = s->district;
    if (s->locale != TL_LOCALE_UNKNOWN)
        u->dim[MD_LOCALE] = s->locale;
    if (s->county >= 0 && (size_t)s->county < st->counties.len) {
        u->dim[MD_COUNTY] = s->county;
        u->dim[MD_REGION] =
            ((const tl_county *)st->counties.data)[s->county].region;
    }
}

void mi_place_inst(measure_unit *u, const tl_state *st, int32_t inst)
{
    const tl_institution *in;
    if (inst < 0 || (size_t)inst >= st->institutions.len)
        return;
    in = (const tl_institution *)st->institutions.data + inst;
    u->dim[MD_INSTITUTION] = inst;
    if (in->county >= 0 && (size_t)in->county < st->counties.len) {
        u->dim[MD_COUNTY] = in->county;
        u->dim[MD_REGION] =
            ((const tl_county *)st->counties.data)[in->county].region;
    }
}

void mi_place_cip(measure_unit *u, int32_t cip)
{
    int cl;
    if (cip <= 0)
        return;
    u->dim[MD_CIP2] = cip / 10000;
    u->dim[MD_CIP4] = cip / 100;
    u->dim[MD_CIP6] = cip;
    cl = mi_cip_cluster(cip);
    if (cl >= 0 && u->dim[MD_CLUSTER] == TL_NONE)
        u->dim[MD_CLUSTER] = cl;
}

void mi_place_program(measure_unit *u, const tl_state *st, const tl_person *p,
                      int32_t program, const p20w_profile *prof)
{
    const tl_program *pr;
    if (program < 0 || (size_t)program >= st->programs.len)
        return;
    pr = (const tl_program *)st->programs.data + program;
    u->dim[MD_PROGRAM] = program;
    u->dim[MD_CLUSTER] = pr->cluster;
    u->dim[MD_NONTRAD] = mi_nontrad(prof, p->sex, pr->cluster);
}

static int exit_is_hs(int kind)
{
    return kind == TL_EXITER_HS_GRAD || kind == TL_EXITER_HS_NONCOMPLETER ||
           kind == TL_EXITER_HS_HSE;
}

static int exit_is_ps(int kind)
{
    return kind == TL_EXITER_PS_COMPLETER || kind == TL_EXITER_PS_LEAVER;
}

int32_t mi_exit_year(const tl_exit_event *e)
{
    int y;
    if (e->date == TL_NO_DATE)
        return quarter_year(e->exit_q);
    date_to_ymd(e->date, &y, NULL, NULL);
    return y;
}

void mi_unit_exit(measure_unit *u, const tl_state *st, const tl_person *p,
                  const tl_exit_event *e, const p20w_profile *prof)
{
    u->year = mi_exit_year(e);
    if (exit_is_hs(e->kind)) {
        mi_place_school(u, st, e->school);
        mi_place_program(u, st, p, e->program, prof);
    } else if (exit_is_ps(e->kind)) {
        mi_place_inst(u, st, e->inst);
        mi_place_cip(u, e->cip);
        if (e->level != TL_AWARD_NONE)
            u->dim[MD_AWARD_LEVEL] = e->level;
    }
    measure_unit_person(u, st, p);
    u->dim[MD_EXITER] = e->kind;
}

int32_t mi_school_in_year(const tl_state *st, const tl_person *p, int sy)
{
    const tl_enrol *en = mi_run(&st->enrols, p->enrol_off, p->enrol_n);
    int32_t school = TL_NONE;
    for (uint32_t i = 0; i < p->enrol_n; i++)
        if (en[i].school_year == sy)
            school = en[i].school;
    if (school != TL_NONE)
        return school;
    if (p->hs_exit_school != TL_NONE)
        return p->hs_exit_school;
    return p->last_school;
}

/* ---- programs ---------------------------------------------------------- */

/* CIP families (and a few 4-digit series) to the career cluster whose
 * occupations they mainly prepare for: our own reading of the National
 * Career Clusters framework, for postsecondary programs, which carry a
 * CIP but no cluster. Families of general education (English, history,
 * languages ...) map to no cluster. 4-digit rows come first: the first
 * row whose prefix matches wins. */
typedef struct cip_cluster {
    int32_t prefix; /* 2 or 4 digits */
    int digits;
    int cluster;
} cip_cluster;

static const cip_cluster cip_clusters[] = {
    {1205, 4, TL_CL_HT}, /* culinary, entertainment, dining services */
    {1506, 4, TL_CL_MN}, /* industrial production technologies */
    {4407, 4, TL_CL_HU}, /* social work */
    {4706, 4, TL_CL_TD}, /* vehicle maintenance and repair */
    {5203, 4, TL_CL_FN}, /* accounting */
    {5208, 4, TL_CL_FN}, /* finance */
    {5209, 4, TL_CL_HT}, /* hospitality administration */
    {5214, 4, TL_CL_MK}, /* marketing */
    {5218, 4, TL_CL_MK}, /* general sales and merchandising */
    {5215, 4, TL_CL_MK}, /* real estate */
    {1, 2, TL_CL_AG},    /* agriculture */
    {3, 2, TL_CL_AG},    /* natural resources and conservation */
    {4, 2, TL_CL_AC},    /* architecture */
    {9, 2, TL_CL_AR},    /* communication, journalism */
    {10, 2, TL_CL_AR},   /* communications technologies */
    {11, 2, TL_CL_IT},   /* computer and information sciences */
    {12, 2, TL_CL_HU},   /* personal and culinary services */
    {13, 2, TL_CL_ED},   /* education */
    {14, 2, TL_CL_ST},   /* engineering */
    {15, 2, TL_CL_ST},   /* engineering technologies */
    {19, 2, TL_CL_HU},   /* family and consumer sciences */
    {22, 2, TL_CL_LW},   /* legal professions */
    {26, 2, TL_CL_ST},   /* biological sciences */
    {27, 2, TL_CL_ST},   /* mathematics and statistics */
    {31, 2, TL_CL_HT},   /* parks, recreation, leisure, fitness */
    {40, 2, TL_CL_ST},   /* physical sciences */
    {41, 2, TL_CL_ST},   /* science technologies */
    {43, 2, TL_CL_LW},   /* homeland security, law enforcement, fire */
    {44, 2, TL_CL_GV},   /* public administration */
    {46, 2, TL_CL_AC},   /* construction trades */
    {47, 2, TL_CL_MN},   /* mechanic and repair technologies */
    {48, 2, TL_CL_MN},   /* precision production */
    {49, 2, TL_CL_TD},   /* transportation and materials moving */
    {50, 2, TL_CL_AR},   /* visual and performing arts */
    {51, 2, TL_CL_HS},   /* health professions */
    {52, 2, TL_CL_BM},   /* business, management, marketing */
    {60, 2, TL_CL_HS},   /* health professions residency */
    {61, 2, TL_CL_HS},   /* medical residency */
};

int mi_cip_cluster(int32_t cip)
{
    if (cip <= 0)
        return -1;
    for (size_t i = 0; i < sizeof cip_clusters / sizeof *cip_clusters; i++) {
        int32_t pre = cip_clusters[i].digits == 4 ? cip / 100 : cip / 10000;
        if (pre == cip_clusters[i].prefix)
            return cip_clusters[i].cluster;
    }
    return -1;
}

int32_t mi_nontrad(const p20w_profile *prof, char sex, int cluster)
{
    if (cluster < 0 || cluster >= TL_CL_COUNT)
        return TL_NONE;
    if (sex == 'F')
        return (int32_t)((prof->nontrad_f >> cluster) & 1u);
    if (sex == 'M')
        return (int32_t)((prof->nontrad_m >> cluster) & 1u);
    return TL_NONE;
}

int mi_hs_exited(const tl_person *p)
{
    return p->hs_exit_type == TL_EXIT_GRAD ||
           p->hs_exit_type == TL_EXIT_GRAD_ALT ||
           p->hs_exit_type == TL_EXIT_HSE || p->hs_exit_type == TL_EXIT_DROPOUT;
}

int mi_hs_graduated(const tl_person *p)
{
    return p->hs_exit_type == TL_EXIT_GRAD ||
           p->hs_exit_type == TL_EXIT_GRAD_ALT;
}

/* ---- helpers ----------------------------------------------------------- */

p20w_status mi_emit(measure_sink *sink, const measure_unit *u, const char *id,
                    p20w_err *err)
{
    p20w_status rc = measure_emit(sink, u);
    if (rc != P20W_OK)
        return p20w_err_set(err, rc, "%s: the cube did not take a unit: %s", id,
                            p20w_strerror(rc));
    return P20W_OK;
}

int mi_id_k(const char *id, const char *prefix)
{
    size_t n = strlen(prefix);
    int k = 0;
    if (strncmp(id, prefix, n) != 0 || !id[n])
        return 0;
    for (const char *c = id + n; *c; c++) {
        if (*c < '0' || *c > '9' || k > 99)
            return 0;
        k = k * 10 + (*c - '0');
    }
    return k;
}

p20w_status mi_check_nominal(const p20w_profile *prof, const char *id,
                             p20w_err *err)
{
    if (prof->base_year != 0)
        return p20w_err_set(err, P20W_EINVAL,
                            "%s: profile %s asks for dollars of %d, but the "
                            "reference data has no CPI-U series; use "
                            "base_year = 0 (nominal dollars)",
                            id, prof->name, prof->base_year);
    return P20W_OK;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

double mi_median(double *v, size_t n)
{
    if (n == 0)
        return 0;
    qsort(v, n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

p20w_status mi_refs(measure_sink *sink, measure_refs **owned,
                    const measure_refs **out, p20w_err *err)
{
    p20w_status rc;
    *owned = NULL;
    if (sink->refs) {
        *out = sink->refs;
        return P20W_OK;
    }
    if ((rc = measure_refs_load(P20W_DATADIR, owned, err)) != P20W_OK)
        return rc;
    *out = *owned;
    return P20W_OK;
}
