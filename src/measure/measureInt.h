/*
 * measureInt.h — private to measure/: the building blocks of
 * spec/indicators.md every emitter shares (employment in a quarter and a
 * year, attachment, windows inside the data, places of a unit), and the
 * emitters the catalog points at.
 *
 * Every helper reads a finished, derived timeline and allocates nothing.
 */
#ifndef P20W_MEASURE_INT_H
#define P20W_MEASURE_INT_H

#include <stddef.h>
#include <stdint.h>

#include "measure/measure.h"

/* ---- data extents the timeline does not carry -------------------------- */

typedef struct mi_extent {
    int32_t k12_last_year; /* latest school year of any K-12 enrolment
                              row (exit rows do not count); 0 when none */
    int32_t ps_q_first;    /* first and last quarter any postsecondary */
    int32_t ps_q_last;     /* term or award touches; TL_NONE when none */
} mi_extent;

void mi_extent_scan(const tl_state *st, mi_extent *x);

/* ---- facts of a person ------------------------------------------------- */

/* The start of a person's run [off, off + n) of fact array v; NULL when
 * the run is empty (an empty array has no data pointer to offset). */
static inline const void *mi_run(const vec *v, uint32_t off, uint32_t n)
{
    return n ? (const char *)v->data + (size_t)off * v->elem_size : NULL;
}

static inline const tl_person *mi_person(const tl_state *st, size_t i)
{
    return (const tl_person *)st->persons.data + i;
}

static inline const tl_exit_event *mi_exits(const tl_state *st,
                                            const tl_person *p)
{
    return mi_run(&st->exits, p->exit_off, p->exit_n);
}

/* ---- building blocks --------------------------------------------------- */

/* Year k after the exit quarter: [exit_q + 4(k-1) + 1, exit_q + 4k]. */
static inline int32_t mi_year_first(int32_t exit_q, int k)
{
    return exit_q + 4 * (k - 1) + 1;
}
static inline int32_t mi_year_last(int32_t exit_q, int k)
{
    return exit_q + 4 * k;
}

/* 1 when [q_first, q_last] lies wholly inside the wage data. */
int mi_in_wage_data(const tl_state *st, int32_t q_first, int32_t q_last);

/* Employed in quarter q: total wages over all employers > 0 and >=
 * min_quarter_cents. */
int mi_employed_q(const tl_state *st, const tl_person *p, int32_t q,
                  const p20w_profile *prof);

/* Employed in the year [qa, qa + 3] for OUTCOME/INDUSTRY/HOME_REGION:
 * >= employed_year_quarters (at least 1) employed quarters and annual
 * wages >= employed_year_cents. */
int mi_employed_year(const tl_state *st, const tl_person *p, int32_t qa,
                     const p20w_profile *prof);

/* Attached in the year [qa, qa + 3]: annual wages >= attach_annual_cents
 * and >= attach_quarters employed quarters; *annual_cents gets the
 * year's wages either way. */
int mi_attached(const tl_state *st, const tl_person *p, int32_t qa,
                const p20w_profile *prof, int64_t *annual_cents);

/* Enrolled in postsecondary (dual-enrolment terms excluded) in some
 * quarter of [qa, qb]. */
int mi_ps_in(const tl_state *st, const tl_person *p, int32_t qa, int32_t qb);

/* In an apprenticeship in some quarter of [qa, qb]. */
int mi_appr_in(const tl_state *st, const tl_person *p, int32_t qa, int32_t qb);

/* Any wage row (0 wages included), K-12 enrolment, postsecondary term or
 * apprenticeship in [qa, qb]: "found in state records". */
int mi_found_in(const tl_state *st, const tl_person *p, int32_t qa, int32_t qb);

/* ---- places and programs of a unit ------------------------------------- */

/* The school's school, district, county, region and locale dims. */
void mi_place_school(measure_unit *u, const tl_state *st, int32_t school);
/* The institution's institution, county and region dims. */
void mi_place_inst(measure_unit *u, const tl_state *st, int32_t inst);
/* The CIP 2/4/6 dims and the career cluster of the CIP. */
void mi_place_cip(measure_unit *u, int32_t cip);
/* A secondary program of study: program, cluster and non-traditional. */
void mi_place_program(measure_unit *u, const tl_state *st, const tl_person *p,
                      int32_t program, const p20w_profile *prof);
/* The exit year: calendar year of the exit date (of the exit quarter when
 * the date is missing). */
int32_t mi_exit_year(const tl_exit_event *e);
/* The place of an exit event: exit school (HS), institution, CIP and
 * award level (PS), concentrator program (HS concentrators); then the
 * person dims (measure_unit_person), exiter kind and exit year. */
void mi_unit_exit(measure_unit *u, const tl_state *st, const tl_person *p,
                  const tl_exit_event *e, const p20w_profile *prof);

/* The school a person attended in school year sy (the last enrolment row
 * of that year), else the exit school, else the last school; TL_NONE. */
int32_t mi_school_in_year(const tl_state *st, const tl_person *p, int sy);

/* The career cluster of a postsecondary CIP (enum tl_cluster), -1 when
 * the CIP family prepares for no cluster (e.g. 23 English). */
int mi_cip_cluster(int32_t cip);

/* 1 when cluster is non-traditional for the person's sex, 0 when not,
 * TL_NONE when sex is not F or M or cluster is unknown. */
int32_t mi_nontrad(const p20w_profile *prof, char sex, int cluster);

/* The person's K-12 exit is an exit of P5_3S1 (GRAD, GRAD_ALT, HSE,
 * DROPOUT); a graduation (GRAD, GRAD_ALT). */
int mi_hs_exited(const tl_person *p);
int mi_hs_graduated(const tl_person *p);

/* ---- helpers ----------------------------------------------------------- */

/* Sends u to the sink; on failure sets err naming the indicator. */
p20w_status mi_emit(measure_sink *sink, const measure_unit *u, const char *id,
                    p20w_err *err);

/* k of an id "PREFIXk" ("OUTCOME_Y10" -> 10 for "OUTCOME_Y"), 0 when the
 * id does not have that form. */
int mi_id_k(const char *id, const char *prefix);

/* Earnings indicators need nominal dollars: a profile base_year asks for
 * a CPI-U series the reference data does not carry (EINVAL). */
p20w_status mi_check_nominal(const p20w_profile *prof, const char *id,
                             p20w_err *err);

/* Median of v[0..n) (sorts v; the mean of the two middle values when n
 * is even); 0 when n is 0. */
double mi_median(double *v, size_t n);

/* The sink's reference data, or data loaded from P20W_DATADIR into
 * *owned (freed by the caller with measure_refs_free). */
p20w_status mi_refs(measure_sink *sink, measure_refs **owned,
                    const measure_refs **out, p20w_err *err);

/* ---- emitters (ind_*.c) ------------------------------------------------ */

p20w_status mi_emit_hs_grad4(const char *id, const tl_state *st,
                             const p20w_profile *prof, measure_sink *sink,
                             p20w_err *err);
p20w_status mi_emit_emp_while_hs(const char *id, const tl_state *st,
                                 const p20w_profile *prof, measure_sink *sink,
                                 p20w_err *err);
p20w_status mi_emit_p5_1s1(const char *id, const tl_state *st,
                           const p20w_profile *prof, measure_sink *sink,
                           p20w_err *err);
p20w_status mi_emit_p5_2s(const char *id, const tl_state *st,
                          const p20w_profile *prof, measure_sink *sink,
                          p20w_err *err);
p20w_status mi_emit_p5_3s1(const char *id, const tl_state *st,
                           const p20w_profile *prof, measure_sink *sink,
                           p20w_err *err);
p20w_status mi_emit_p5_4s1(const char *id, const tl_state *st,
                           const p20w_profile *prof, measure_sink *sink,
                           p20w_err *err);
p20w_status mi_emit_p5_5s(const char *id, const tl_state *st,
                          const p20w_profile *prof, measure_sink *sink,
                          p20w_err *err);
p20w_status mi_emit_p5_1p1(const char *id, const tl_state *st,
                           const p20w_profile *prof, measure_sink *sink,
                           p20w_err *err);
p20w_status mi_emit_p5_2p1(const char *id, const tl_state *st,
                           const p20w_profile *prof, measure_sink *sink,
                           p20w_err *err);
p20w_status mi_emit_p5_3p1(const char *id, const tl_state *st,
                           const p20w_profile *prof, measure_sink *sink,
                           p20w_err *err);
p20w_status mi_emit_emp_q(const char *id, const tl_state *st,
                          const p20w_profile *prof, measure_sink *sink,
                          p20w_err *err);
p20w_status mi_emit_med_earn_q2(const char *id, const tl_state *st,
                                const p20w_profile *prof, measure_sink *sink,
                                p20w_err *err);
p20w_status mi_emit_outcome(const char *id, const tl_state *st,
                            const p20w_profile *prof, measure_sink *sink,
                            p20w_err *err);
p20w_status mi_emit_earn(const char *id, const tl_state *st,
                         const p20w_profile *prof, measure_sink *sink,
                         p20w_err *err);
p20w_status mi_emit_industry(const char *id, const tl_state *st,
                             const p20w_profile *prof, measure_sink *sink,
                             p20w_err *err);
p20w_status mi_emit_home_region(const char *id, const tl_state *st,
                                const p20w_profile *prof, measure_sink *sink,
                                p20w_err *err);
p20w_status mi_emit_wbl(const char *id, const tl_state *st,
                        const p20w_profile *prof, measure_sink *sink,
                        p20w_err *err);
p20w_status mi_emit_opp_youth(const char *id, const tl_state *st,
                              const p20w_profile *prof, measure_sink *sink,
                              p20w_err *err);
p20w_status mi_emit_ps_complete_150(const char *id, const tl_state *st,
                                    const p20w_profile *prof,
                                    measure_sink *sink, p20w_err *err);
p20w_status mi_emit_supply_demand(const char *id, const tl_state *st,
                                  const p20w_profile *prof, measure_sink *sink,
                                  p20w_err *err);
p20w_status mi_emit_cred_of_value(const char *id, const tl_state *st,
                                  const p20w_profile *prof, measure_sink *sink,
                                  p20w_err *err);

/* Category labels (labels.c). */
const char *mi_label_outcome(int32_t category);
const char *mi_label_sector(int32_t category);
const char *mi_label_soc(int32_t category);

#endif
