/*
 * rules.c — the business rules: every designation of tl_person and the
 * exit events, from a finished timeline's facts (derive.h). Each rule is
 * stated in plain words, with its spec reference, in docs/derive-rules.md;
 * the comments here say how, and why where the spec leaves a choice.
 *
 * One pass over the persons, in order; each person's rules read only that
 * person's fact runs (sorted by tl_finish(), so "latest" and "first" are
 * the ends of a run) plus one state-wide number, the last quarter of
 * postsecondary data. Exit events are appended person by person, so
 * st->exits comes out grouped and exit_off/exit_n are set directly
 * (tl_finish() grouped the facts before the exits existed).
 *
 * Does not compute indicators, windows or wages: measure/ does, from the
 * designations and the reading helpers of timeline.h.
 */
#include "derive/derive.h"

#include <stdlib.h>
#include <string.h>

#include "util/date.h"
#include "util/mem.h"
#include "util/vec.h"

/* Secondary: completed CTE courses of one program of study. */
typedef struct prog_count {
    int32_t program;
    int count;
    int16_t reached_year; /* school year the count reached the threshold */
} prog_count;

/* Postsecondary: one CTE program, institution x CIP. */
typedef struct ps_prog {
    int32_t inst, cip;
    double credits; /* earned in its non-dual CTE terms */
    int32_t first_q, last_q;
    int award; /* an award of the same institution and CIP */
} ps_prog;

typedef struct rules_ctx {
    tl_state *st;
    int conc_courses;
    double ps_conc_credits;
    int32_t ps_q_last; /* last quarter any term covers, TL_NONE */
    vec progs;         /* prog_count, one person's */
    vec ps_progs;      /* ps_prog, one person's */
} rules_ctx;

/* The designation fields back to "nothing known" (as tl_person_get()
 * made them); facts, ids and birth_ym stay. */
static void reset_person(tl_person *p)
{
    p->exit_off = p->exit_n = 0;
    p->sex = 0;
    p->race = TL_RACE_UNKNOWN;
    p->flags = 0;
    p->in_k12 = 0;
    p->home_county = TL_NONE;
    p->last_school = TL_NONE;
    p->cohort_year = 0;
    p->in_cohort = 0;
    p->hs_exit_type = TL_EXIT_NONE;
    p->grad_on_time = 0;
    p->hs_exit_date = TL_NO_DATE;
    p->hs_exit_q = TL_NONE;
    p->hs_exit_school = TL_NONE;
    p->cte_participant = 0;
    p->cte_concentrator = 0;
    p->conc_program = TL_NONE;
    p->wbl_any = 0;
    p->wbl_types = 0;
    p->cred_before_exit = 0;
    p->dual_credits = 0;
    p->ps_any = 0;
    p->ps_first_time = 0;
    p->ps_entry_level = TL_AWARD_NONE;
    p->ps_entry_q = TL_NONE;
    p->ps_entry_inst = TL_NONE;
    p->ps_concentrator = 0;
    p->ps_conc_inst = TL_NONE;
    p->ps_conc_cip = TL_NONE;
    p->ps_conc_first_q = TL_NONE;
    p->ps_conc_last_q = TL_NONE;
}

static const tl_enrol *enrols_of(const tl_state *st, const tl_person *p)
{
    return (const tl_enrol *)tl_run(&st->enrols, p->enrol_off);
}

static const tl_term *terms_of(const tl_state *st, const tl_person *p)
{
    return (const tl_term *)tl_run(&st->terms, p->term_off);
}

static const tl_award_row *awards_of(const tl_state *st, const tl_person *p)
{
    return (const tl_award_row *)tl_run(&st->awards, p->award_off);
}

/* ---- cohort and K-12 exit ----------------------------------------------- */

/* The latest exit row (by date; the run's order breaks ties) decides
 * exit type, date, school and the cohort; a row without cohort_year
 * falls back on the first grade-9 school year + 3 (indicators.md,
 * "Cohort (K-12)"), as does a student with no exit row. */
static void rule_cohort(const tl_state *st, tl_person *p)
{
    const tl_enrol *e = enrols_of(st, p);
    int cohort = 0;
    if (p->k12exit_n > 0) {
        const tl_k12_exit *x =
            (const tl_k12_exit *)tl_run(&st->k12exits, p->k12exit_off) +
            p->k12exit_n - 1;
        p->hs_exit_type = x->type;
        p->hs_exit_date = x->date;
        p->hs_exit_q =
            x->date == TL_NO_DATE ? TL_NONE : date_quarter_idx(x->date);
        p->hs_exit_school = x->school;
        cohort = x->cohort_year;
    }
    for (uint32_t i = 0; cohort == 0 && i < p->enrol_n; i++)
        if (e[i].grade == 9)
            cohort = e[i].school_year + 3;
    if (cohort < DATE_YEAR_MIN || cohort > DATE_YEAR_MAX)
        cohort = 0; /* cannot be dated: no cohort */
    p->cohort_year = (int16_t)cohort;
    p->in_cohort = cohort != 0 && p->hs_exit_type != TL_EXIT_TRANSFER_OUT &&
                   p->hs_exit_type != TL_EXIT_DECEASED;
    p->grad_on_time = cohort != 0 &&
                      (p->hs_exit_type == TL_EXIT_GRAD ||
                       p->hs_exit_type == TL_EXIT_GRAD_ALT) &&
                      p->hs_exit_date != TL_NO_DATE &&
                      p->hs_exit_date <= date_from_ymd(cohort, 8, 31);
}

/* ---- who the person is and where ---------------------------------------- */

/* Sex and race: the latest K-12 row that carries them, else the latest
 * postsecondary term. Flags: any K-12 row of grades 9-12, or any row at
 * all for a student never seen in high school. Last school: the latest
 * school year's row; a mid-year move leaves two rows in that year, and
 * then the exit school wins when it is one of them (the exit row is the
 * only dated evidence of where the student ended), else the run's last.
 * Home county: the last school's, else the latest term's institution's. */
static void rule_person(const tl_state *st, tl_person *p)
{
    const tl_enrol *e = enrols_of(st, p);
    const tl_term *t = terms_of(st, p);
    uint8_t any = 0, hs = 0;
    int seen_hs = 0;

    p->in_k12 = p->enrol_n > 0;
    for (uint32_t i = p->enrol_n; i-- > 0 && p->sex == 0;)
        if (e[i].sex != 0)
            p->sex = e[i].sex, p->race = e[i].race;
    for (uint32_t i = p->term_n; i-- > 0 && p->sex == 0;)
        if (t[i].sex != 0)
            p->sex = t[i].sex, p->race = t[i].race;
    if (p->race >= TL_RACE_COUNT)
        p->race = TL_RACE_UNKNOWN;
    for (uint32_t i = 0; i < p->enrol_n; i++) {
        any |= e[i].flags;
        if (e[i].grade >= 9 && e[i].grade <= 12)
            hs |= e[i].flags, seen_hs = 1;
    }
    p->flags = seen_hs ? hs : any;

    if (p->enrol_n > 0) {
        int16_t last_year = e[p->enrol_n - 1].school_year;
        p->last_school = e[p->enrol_n - 1].school;
        for (uint32_t i = p->enrol_n; i-- > 0;) {
            if (e[i].school_year != last_year)
                break;
            if (p->hs_exit_school != TL_NONE &&
                e[i].school == p->hs_exit_school)
                p->last_school = e[i].school;
        }
    }
    if (p->last_school != TL_NONE)
        p->home_county =
            ((const tl_school *)st->schools.data)[p->last_school].county;
    if (p->home_county == TL_NONE && p->term_n > 0 &&
        t[p->term_n - 1].inst != TL_NONE)
        p->home_county = ((const tl_institution *)
                              st->institutions.data)[t[p->term_n - 1].inst]
                             .county;
}

/* ---- secondary CTE, WBL, credentials, dual credit ----------------------- */

static p20w_status rule_secondary(rules_ctx *c, tl_person *p)
{
    const tl_state *st = c->st;
    const tl_cte *cte = (const tl_cte *)tl_run(&st->ctes, p->cte_off);
    const tl_wbl *w = (const tl_wbl *)tl_run(&st->wbls, p->wbl_off);
    const tl_cred *cr = (const tl_cred *)tl_run(&st->creds, p->cred_off);
    const tl_term *t = terms_of(st, p);
    prog_count *best = NULL;

    vec_clear(&c->progs);
    for (uint32_t i = 0; i < p->cte_n; i++) {
        prog_count *pc = NULL;
        if (!cte[i].completed)
            continue;
        p->cte_participant = 1;
        for (size_t j = 0; j < c->progs.len && !pc; j++)
            if (((prog_count *)c->progs.data)[j].program == cte[i].program)
                pc = (prog_count *)c->progs.data + j;
        if (!pc) {
            if (!(pc = vec_push_zero(&c->progs)))
                return P20W_ENOMEM;
            pc->program = cte[i].program;
        }
        if (++pc->count == c->conc_courses)
            pc->reached_year = cte[i].school_year;
    }
    /* The program with most completed courses; ties: the one that made
     * the student a concentrator first, then the lower program index. */
    for (size_t j = 0; j < c->progs.len; j++) {
        prog_count *pc = (prog_count *)c->progs.data + j;
        if (pc->count < c->conc_courses || pc->program == TL_NONE)
            continue;
        if (!best || pc->count > best->count ||
            (pc->count == best->count &&
             (pc->reached_year < best->reached_year ||
              (pc->reached_year == best->reached_year &&
               pc->program < best->program))))
            best = pc;
    }
    if (best) {
        p->cte_concentrator = 1;
        p->conc_program = best->program;
    }

    for (uint32_t i = 0; i < p->wbl_n; i++) {
        if (!w[i].completed)
            continue;
        p->wbl_any = 1;
        if (w[i].type < TL_WBL_COUNT)
            p->wbl_types |= (uint8_t)(1u << w[i].type);
    }
    /* A student who has not exited holds every credential "before exit". */
    for (uint32_t i = 0; i < p->cred_n && !p->cred_before_exit; i++)
        p->cred_before_exit =
            p->hs_exit_date == TL_NO_DATE ||
            (cr[i].date != TL_NO_DATE && cr[i].date <= p->hs_exit_date);
    for (uint32_t i = 0; i < p->term_n && !p->dual_credits; i++)
        p->dual_credits = t[i].dual && t[i].credits_earned > 0;
    return P20W_OK;
}

/* ---- postsecondary ------------------------------------------------------ */

static ps_prog *ps_prog_find(vec *v, int32_t inst, int32_t cip)
{
    for (size_t j = 0; j < v->len; j++) {
        ps_prog *pp = (ps_prog *)v->data + j;
        if (pp->inst == inst && pp->cip == cip)
            return pp;
    }
    return NULL;
}

/* Entrant: the first non-dual term. Concentrator: a CTE program
 * (institution x CIP of non-dual terms flagged cte) with at least
 * ps_concentrator_credits earned, or with an award of the same
 * institution and CIP. Dual-enrolment terms are high-school students'
 * (Perkins counts them as secondary): they count only for dual_credits. */
static p20w_status rule_postsecondary(rules_ctx *c, tl_person *p)
{
    const tl_state *st = c->st;
    const tl_term *t = terms_of(st, p);
    const tl_award_row *a = awards_of(st, p);
    const ps_prog *best = NULL;

    p->ps_any = p->term_n > 0 || p->award_n > 0;
    for (uint32_t i = 0; i < p->term_n; i++) {
        if (t[i].dual)
            continue;
        p->ps_first_time = 1;
        p->ps_entry_level = t[i].level;
        p->ps_entry_q = t[i].q_first;
        p->ps_entry_inst = t[i].inst;
        break;
    }
    vec_clear(&c->ps_progs);
    for (uint32_t i = 0; i < p->term_n; i++) {
        ps_prog *pp;
        if (t[i].dual || !t[i].cte)
            continue;
        pp = ps_prog_find(&c->ps_progs, t[i].inst, t[i].cip);
        if (!pp) {
            if (!(pp = vec_push_zero(&c->ps_progs)))
                return P20W_ENOMEM;
            pp->inst = t[i].inst;
            pp->cip = t[i].cip;
            pp->first_q = t[i].q_first;
            pp->last_q = t[i].q_last;
        }
        pp->credits += t[i].credits_earned;
        if (t[i].q_first < pp->first_q)
            pp->first_q = t[i].q_first;
        if (t[i].q_last > pp->last_q)
            pp->last_q = t[i].q_last;
    }
    for (uint32_t i = 0; i < p->award_n; i++) {
        ps_prog *pp = ps_prog_find(&c->ps_progs, a[i].inst, a[i].cip);
        if (pp)
            pp->award = 1;
    }
    /* Of the qualifying programs: most credits, then the earliest start,
     * then the lower institution index and CIP. */
    for (size_t j = 0; j < c->ps_progs.len; j++) {
        const ps_prog *pp = (const ps_prog *)c->ps_progs.data + j;
        if (!(pp->credits >= c->ps_conc_credits || pp->award))
            continue;
        if (!best || pp->credits > best->credits ||
            (pp->credits == best->credits &&
             (pp->first_q < best->first_q ||
              (pp->first_q == best->first_q &&
               (pp->inst < best->inst ||
                (pp->inst == best->inst && pp->cip < best->cip))))))
            best = pp;
    }
    if (best) {
        p->ps_concentrator = 1;
        p->ps_conc_inst = best->inst;
        p->ps_conc_cip = best->cip;
        p->ps_conc_first_q = best->first_q;
        p->ps_conc_last_q = best->last_q;
    }
    return P20W_OK;
}

/* ---- exit events -------------------------------------------------------- */

static tl_exit_event new_event(uint8_t kind, int32_t date)
{
    tl_exit_event ev;
    memset(&ev, 0, sizeof ev);
    ev.kind = kind;
    ev.level = TL_AWARD_NONE;
    ev.date = date;
    ev.exit_q = date_quarter_idx(date);
    ev.school = ev.inst = ev.cip = ev.soc = ev.program = TL_NONE;
    return ev;
}

static int award_year(int32_t date)
{
    int y;
    date_to_ymd(date, &y, NULL, NULL);
    return y;
}

/* PS completers: one event per calendar year of award dates, at that
 * year's highest level; of several awards at that level, the latest
 * (the person was enrolled until then). Awards are sorted by date. */
static p20w_status exits_ps_completer(rules_ctx *c, const tl_person *p)
{
    const tl_award_row *a = awards_of(c->st, p);
    uint32_t i = 0;
    while (i < p->award_n && a[i].date == TL_NO_DATE)
        i++; /* undated (sorted first): cannot be placed in a year */
    while (i < p->award_n) {
        int year = award_year(a[i].date);
        const tl_award_row *best = &a[i];
        uint32_t j = i + 1;
        for (; j < p->award_n && award_year(a[j].date) == year; j++)
            if (a[j].level >= best->level)
                best = &a[j];
        tl_exit_event ev = new_event(TL_EXITER_PS_COMPLETER, best->date);
        ev.level = best->level;
        ev.inst = best->inst;
        ev.cip = best->cip;
        if (vec_push(&c->st->exits, &ev) != P20W_OK)
            return P20W_ENOMEM;
        i = j;
    }
    return P20W_OK;
}

/* PS leaver: left postsecondary without an award. The last non-dual term
 * (greatest last quarter; the run's order breaks ties) is "left" when the
 * data show a full year after it with no term at all — its last quarter
 * + 4 is still inside the postsecondary data (ps_q_last) — and no award
 * is dated in or after that term's first quarter. Someone whose last term
 * is nearer the end of the data may yet come back (a stop-out of a term
 * or two is common), so is not called a leaver yet; an award before the
 * last term (a certificate, then an unfinished associate) does not stop
 * the later departure from being a leave without an award. Exit date:
 * the last day of the term's last quarter. */
static p20w_status exits_ps_leaver(rules_ctx *c, const tl_person *p)
{
    const tl_term *t = terms_of(c->st, p), *last = NULL;
    const tl_award_row *a = awards_of(c->st, p);
    for (uint32_t i = 0; i < p->term_n; i++)
        if (!t[i].dual && (!last || t[i].q_last >= last->q_last))
            last = &t[i];
    if (!last || c->ps_q_last == TL_NONE || last->q_last + 4 > c->ps_q_last)
        return P20W_OK;
    for (uint32_t i = 0; i < p->award_n; i++)
        if (a[i].date != TL_NO_DATE &&
            date_quarter_idx(a[i].date) >= last->q_first)
            return P20W_OK;
    tl_exit_event ev =
        new_event(TL_EXITER_PS_LEAVER, quarter_last_day(last->q_last));
    ev.level = last->level;
    ev.inst = last->inst;
    ev.cip = last->cip;
    return vec_push(&c->st->exits, &ev);
}

static p20w_status rule_exits(rules_ctx *c, tl_person *p)
{
    tl_state *st = c->st;
    const tl_appr *ap = (const tl_appr *)tl_run(&st->apprs, p->appr_off);
    size_t off = st->exits.len;
    int kind = -1;

    switch (p->hs_exit_type) {
    case TL_EXIT_GRAD:
    case TL_EXIT_GRAD_ALT:
        kind = TL_EXITER_HS_GRAD;
        break;
    case TL_EXIT_DROPOUT:
        kind = TL_EXITER_HS_NONCOMPLETER;
        break;
    case TL_EXIT_HSE:
        kind = TL_EXITER_HS_HSE;
        break;
    default:
        break;
    }
    if (kind >= 0 && p->hs_exit_date != TL_NO_DATE) {
        tl_exit_event ev = new_event((uint8_t)kind, p->hs_exit_date);
        ev.school = p->hs_exit_school;
        ev.program = p->cte_concentrator ? p->conc_program : TL_NONE;
        if (vec_push(&st->exits, &ev) != P20W_OK)
            return P20W_ENOMEM;
    }
    if (exits_ps_completer(c, p) != P20W_OK || exits_ps_leaver(c, p) != P20W_OK)
        return P20W_ENOMEM;
    for (uint32_t i = 0; i < p->appr_n; i++) {
        if (ap[i].status != TL_APPR_COMPLETED || ap[i].end_date == TL_NO_DATE)
            continue;
        tl_exit_event ev = new_event(TL_EXITER_APPR_COMPLETER, ap[i].end_date);
        ev.soc = ap[i].soc;
        if (vec_push(&st->exits, &ev) != P20W_OK)
            return P20W_ENOMEM;
    }
    p->exit_off = (uint32_t)off;
    p->exit_n = (uint32_t)(st->exits.len - off);
    if (p->exit_n > 1)
        qsort((tl_exit_event *)st->exits.data + off, p->exit_n,
              sizeof(tl_exit_event), tl_exit_cmp);
    return P20W_OK;
}

/* ---- driver ------------------------------------------------------------- */

static int32_t last_ps_quarter(const tl_state *st)
{
    const tl_term *t = st->terms.data;
    int32_t q = TL_NONE;
    for (size_t i = 0; i < st->terms.len; i++)
        if (q == TL_NONE || t[i].q_last > q)
            q = t[i].q_last;
    return q;
}

p20w_status derive_rules(tl_state *st, const p20w_profile *prof, p20w_err *err)
{
    rules_ctx c;
    tl_person *persons;
    p20w_status rc = P20W_OK;

    if (!tl_is_finished(st))
        return p20w_err_set(err, P20W_EUSAGE,
                            "derive_rules needs a finished timeline");
    memset(&c, 0, sizeof c);
    c.st = st;
    c.conc_courses =
        prof->concentrator_courses > 1 ? prof->concentrator_courses : 1;
    c.ps_conc_credits = prof->ps_concentrator_credits;
    c.ps_q_last = last_ps_quarter(st);
    vec_init(&c.progs, sizeof(prog_count));
    vec_init(&c.ps_progs, sizeof(ps_prog));
    vec_clear(&st->exits);
    persons = st->persons.data;
    for (size_t i = 0; i < st->persons.len && rc == P20W_OK; i++) {
        tl_person *p = &persons[i];
        reset_person(p);
        rule_cohort(st, p);
        rule_person(st, p);
        rc = rule_secondary(&c, p);
        if (rc == P20W_OK)
            rc = rule_postsecondary(&c, p);
        if (rc == P20W_OK)
            rc = rule_exits(&c, p);
    }
    vec_free(&c.progs);
    vec_free(&c.ps_progs);
    if (rc != P20W_OK) {
        vec_clear(&st->exits);
        for (size_t i = 0; i < st->persons.len; i++)
            persons[i].exit_off = persons[i].exit_n = 0;
        return p20w_err_set(err, rc, "out of memory deriving designations");
    }
    return P20W_OK;
}
