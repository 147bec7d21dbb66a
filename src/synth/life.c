/*
 * life.c — a person's life after (and alongside) high school: moves out of
 * state, self-employment, marriage, dual enrolment, college, registered
 * apprenticeship, quarterly employment and wages, the motor-vehicle record.
 *
 * Employment is a two-state Markov chain per quarter with persistence
 * rho = 0.6 whose marginal probability is p(q): the chain restarts at the
 * first quarter after the exit, so the employment rate in the second
 * quarter after exit is exactly the planted p (0.62 for graduates, 0.50 for
 * dropouts and HSE, +0.08 for CTE concentrators). Quarterly earnings are
 * log-normal: base pay by education and age x industry premium x planted
 * multipliers (econ 0.88, rural worksite 0.90, WBL completer 1.06) x
 * person effect exp(N(0, 0.35^2)) x transitory exp(N(0, 0.2^2)), scaled by
 * 2.5 % a year from 2020 dollars, part-time factors while in college.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "synth/person_int.h"

#define LAST_Q (4 * SYNTH_LAST_YEAR + 3)
#define RHO 0.6

static double logistic(double z)
{
    return 1.0 / (1.0 + exp(-z));
}

static int32_t last_day(void)
{
    return date_from_ymd(SYNTH_LAST_YEAR, 12, 31);
}

/* ---- moves, self-employment, marriage ---------------------------------- */

static void plan_adult(const synth_world *w, synth_person *p)
{
    synth_rng *r = &p->life;
    p->person_eff = 0.35 * synth_rng_normal(r);
    if (p->exit_type == X_TRANSFER)
        p->moved_q = p->exit_q;
    if (p->exit_type == X_DECEASED)
        p->dead_q = p->exit_q;
    if (p->exit_type >= X_GRAD && p->exit_type <= X_DROPOUT) {
        for (int q = p->exit_q + 1; q <= LAST_Q; q++)
            if (synth_rng_chance(r, 0.005)) {
                p->moved_q = q;
                break;
            }
        if (synth_rng_chance(r, 0.05)) {
            int q20 = synth_q_of(p->birth + 7305);
            int q = q20 + (int)synth_rng_below(r, 60);
            if (q <= LAST_Q && q > p->exit_q)
                p->selfemp_q = q;
        }
    }
    if (p->sex != 0)
        return;
    for (int age = 20; age <= 40; age++) {
        if (!synth_rng_chance(r, 0.07))
            continue;
        int32_t day = p->birth + (int32_t)(age * 365.25) +
                      (int32_t)synth_rng_below(r, 365);
        if (day > last_day() || !synth_rng_chance(r, 0.8))
            break;
        char spouse[64];
        int race = synth_rng_chance(r, 0.85) ? p->race : R_WH;
        snprintf(spouse, sizeof spouse, "%s",
                 synth_pool_pick(&w->last[race], r));
        if (strcmp(spouse, p->last) == 0)
            break;
        size_t a = strlen(p->last), b = strlen(spouse);
        if (synth_rng_chance(r, 0.10) && strpbrk(p->last, "- ") == NULL &&
            a + b + 2 <= sizeof p->married_last) {
            memcpy(p->married_last, p->last, a);
            p->married_last[a] = '-';
            memcpy(p->married_last + a + 1, spouse, b + 1);
        } else {
            memcpy(p->married_last, spouse, b + 1);
        }
        p->marriage_day = day;
        break;
    }
}

static int gone_by(const synth_person *p, int q)
{
    return (p->moved_q >= 0 && q >= p->moved_q) ||
           (p->dead_q >= 0 && q >= p->dead_q);
}

/* ---- postsecondary ---------------------------------------------------- */

enum { L_NONDEG, L_CERT, L_ASSOC, L_BACH, L_GRAD };
static const char *const level_code[] = {"NONDEG", "CERT", "ASSOC", "BACH",
                                         "GRAD"};
static const int level_edu[] = {E_NONE, E_CERT, E_ASSOC, E_BACH, E_GRAD};

static void ps_student_id(const synth_world *w, const synth_person *p, int inst,
                          char out[16])
{
    uint64_t a = (uint64_t)(inst * 1234 + 777) * 10 + 3; /* odd, not x5 */
    uint64_t x = (p->idx * a + synth_mix64(w->opt.seed + (uint64_t)inst)) %
                 1000000000ULL;
    snprintf(out, 16, "S%09llu", (unsigned long long)x);
}

static int cte_cip(const char *cip)
{
    static const char *const fam[] = {"01", "10", "11", "12", "15", "19", "43",
                                      "46", "47", "48", "49", "51", "52", NULL};
    for (const char *const *f = fam; *f; f++)
        if (strncmp(cip, *f, 2) == 0)
            return 1;
    return 0;
}

typedef struct ps_spell {
    int inst;
    int level;
    const char *cip;
    int dual;
    synth_record rec; /* the institution's record of the person */
    char sid[16];
} ps_spell;

static void spell_init(const synth_world *w, synth_person *p, ps_spell *s,
                       int inst, int level, const char *cip, int dual,
                       int32_t on)
{
    s->inst = inst;
    s->level = level;
    s->cip = cip;
    s->dual = dual;
    ps_student_id(w, p, inst, s->sid);
    if (dual) {
        synth_noise_rates dual_rates = synth_rates_ps;
        dual_rates.ssn_present = 0.40;
        synth_record_make(w, p, &dual_rates, on, &s->rec);
    } else {
        synth_record_make(w, p, &synth_rates_ps, on, &s->rec);
    }
}

/* term: year*3 + 0 SP, 1 SU, 2 FA. */
static int32_t term_start(int t)
{
    static const int month[3] = {1, 6, 8};
    static const int day[3] = {10, 1, 20};
    return date_from_ymd(t / 3, month[t % 3], day[t % 3]);
}

static p20w_status ps_term(synth_world *w, synth_person *p, ps_spell *s, int t,
                           double att, double earned, p20w_err *err)
{
    static const char *const season[3] = {"SP", "SU", "FA"};
    char term[16], a[16], e[16], key[80];
    snprintf(term, sizeof term, "%d%s", t / 3, season[t % 3]);
    snprintf(a, sizeof a, "%.1f", att);
    snprintf(e, sizeof e, "%.1f", earned);
    const synth_record *r = &s->rec;
    const char *sex = p->sex == 0 ? "F" : p->sex == 1 ? "M" : "X";
    const char *f[] = {s->sid,
                       w->inst[s->inst].id,
                       r->first,
                       r->middle,
                       r->last,
                       r->birth,
                       sex,
                       synth_race_code[r->race],
                       r->ssn,
                       "",
                       term,
                       level_code[s->level],
                       s->cip,
                       a,
                       e,
                       synth_yn(s->dual),
                       synth_yn(s->level == L_CERT || s->level == L_ASSOC
                                    ? cte_cip(s->cip)
                                    : 0)};
    p20w_status st = synth_emit_row(w, F_PS_ENR, f, 17, err);
    if (st != P20W_OK)
        return st;
    snprintf(key, sizeof key, "%s|%s|%s", w->inst[s->inst].id, s->sid, term);
    st = synth_map_row(w, F_PS_ENR, key, p, r->tags, err);
    if (st != P20W_OK || s->dual)
        return st;
    p->ps_enrolled = 1;
    uint8_t v = att >= 12 ? 2 : 1;
    int y = t / 3;
    int qs[2] = {4 * y, 4 * y + 1}; /* SP */
    if (t % 3 == 1)
        qs[0] = qs[1] = 4 * y + 2;
    else if (t % 3 == 2)
        qs[0] = 4 * y + 2, qs[1] = 4 * y + 3;
    for (int i = 0; i < 2; i++)
        if (qs[i] - SYNTH_Q0 >= 0 && qs[i] - SYNTH_Q0 < SYNTH_NQ &&
            p->enrolled[qs[i] - SYNTH_Q0] < v)
            p->enrolled[qs[i] - SYNTH_Q0] = v;
    return P20W_OK;
}

static int pick_inst(const synth_world *w, synth_person *p, int sector)
{
    synth_rng *r = &p->life;
    int first = w->sector_first[sector], n = w->sector_n[sector];
    if (synth_rng_chance(r, 0.4))
        for (int i = 0; i < n; i++)
            if (w->inst[first + i].county == p->county)
                return first + i;
    return first + (int)synth_rng_below(r, (uint32_t)n);
}

static p20w_status emit_dual(synth_world *w, synth_person *p, p20w_err *err)
{
    synth_rng *r = &p->life;
    int y12 = p->hs_last_year;
    if (!synth_rng_chance(r, logistic(-1.4 + 0.9 * p->ability)))
        return P20W_OK;
    int inst = synth_rng_chance(r, 0.8) ? pick_inst(w, p, S_PUB2)
                                        : pick_inst(w, p, S_PUB4);
    ps_spell s;
    const char *cip = synth_pool_pick(&w->cip_dual, r);
    spell_init(w, p, &s, inst, L_NONDEG, cip, 1, date_from_ymd(y12 - 1, 8, 1));
    int terms[3] = {(y12 - 1) * 3 + 0, (y12 - 1) * 3 + 2, y12 * 3 + 0};
    for (int i = synth_rng_chance(r, 0.4) ? 0 : 1; i < 3; i++) {
        int32_t start = term_start(terms[i]);
        if (start > last_day() || (p->exit_type >= 0 && start >= p->exit_day) ||
            gone_by(p, synth_q_of(start)))
            break;
        double att = synth_rng_chance(r, 0.6) ? 3 : 6;
        double earned = synth_rng_chance(r, 0.88) ? att : att - 3;
        p20w_status st = ps_term(w, p, &s, terms[i], att, earned, err);
        if (st != P20W_OK)
            return st;
        p->dual = 1;
    }
    return P20W_OK;
}

/* Lives one program spell from term t0; returns the term after the last
 * one enrolled in *next and whether the award was conferred. */
static p20w_status ps_run(synth_world *w, synth_person *p, ps_spell *s, int t0,
                          double p_complete, int need, int *next, int *awarded,
                          p20w_err *err)
{
    synth_rng *r = &p->life;
    int completes = synth_rng_chance(r, p_complete);
    int stop = completes ? need : 1 + (int)synth_rng_below(r, (uint32_t)need);
    int ft = synth_rng_chance(r, s->level >= L_BACH ? 0.88 : 0.55);
    int t = t0, done = 0;
    *awarded = 0;
    while (done < stop) {
        int32_t start = term_start(t);
        if (start > last_day() || gone_by(p, synth_q_of(start)))
            break;
        if (s->level == L_BACH && done == 3 && synth_rng_chance(r, 0.15))
            s->cip = synth_pool_pick(&w->cip_bach, r); /* changed major */
        int summer = t % 3 == 1;
        double att = summer ? 3 + synth_rng_below(r, 4)
                     : ft   ? 12 + synth_rng_below(r, 6)
                            : 6 + synth_rng_below(r, 4);
        double earned = att;
        if (!completes)
            earned = floor(att * (0.3 + 0.7 * synth_rng_unif(r)));
        else if (synth_rng_chance(r, 0.1))
            earned = att >= 3 ? att - 3 : 0;
        if (!completes && done == stop - 1 && synth_rng_chance(r, 0.4))
            earned = 0;
        p20w_status st = ps_term(w, p, s, t, att, earned, err);
        if (st != P20W_OK)
            return st;
        if (!summer)
            done++;
        /* next term: SP -> (SU) -> FA -> SP */
        t = t % 3 == 0 ? (synth_rng_chance(r, 0.12) ? t + 1 : t + 2) : t + 1;
    }
    *next = t;
    if (done < stop || !completes)
        return P20W_OK;
    int last = t - 1;
    while (last % 3 == 1 && last > t0) /* award at the end of a regular term */
        last--;
    static const int am[3] = {5, 8, 12};
    static const int ad[3] = {5, 1, 10};
    int32_t day = date_from_ymd(last / 3, am[last % 3], ad[last % 3]) +
                  (int32_t)synth_rng_below(r, 9);
    if (day > last_day() || gone_by(p, synth_q_of(day)))
        return P20W_OK;
    char d[11];
    date_format(day, d);
    const char *f[] = {s->sid, w->inst[s->inst].id, d, level_code[s->level],
                       s->cip};
    p20w_status st = synth_emit_row(w, F_PS_COMP, f, 5, err);
    if (st != P20W_OK)
        return st;
    int e = level_edu[s->level];
    if (p->award_q[e] < 0)
        p->award_q[e] = synth_q_of(day);
    *awarded = 1;
    return P20W_OK;
}

static p20w_status postsecondary(synth_world *w, synth_person *p, int *four,
                                 p20w_err *err)
{
    synth_rng *r = &p->life;
    *four = 0;
    if (p->exit_type < X_GRAD || p->exit_type > X_DROPOUT)
        return P20W_OK;
    static const double base[] = {0, 0.15, 0.25, 0.06};
    if (p->in_migrant && p->award_q[E_CERT] < 0 && p->award_q[E_ASSOC] < 0 &&
        p->award_q[E_BACH] < 0) {
        /* came for college at 18-21, or later to study part of the time */
        double age = (double)(p->arrive_day - p->birth) / 365.25;
        if (!synth_rng_chance(r, age < 22 ? 0.5 : 0.08))
            return P20W_OK;
    } else if (p->in_migrant) {
        return P20W_OK;
    }
    double pe = p->in_migrant ? 1.0
                : p->exit_type == X_GRAD
                    ? logistic(0.55 + 1.0 * p->ability -
                               0.3 * p->flag[FL_ECON] + 0.4 * p->dual)
                    : base[p->exit_type];
    if (!synth_rng_chance(r, pe))
        return P20W_OK;
    int y0 = synth_q_of(p->exit_day) / 4;
    int grad_like = p->exit_type <= X_GRAD_ALT;
    y0 += grad_like
              ? (synth_rng_chance(r, 0.8) ? 0 : 1 + (int)synth_rng_below(r, 3))
              : 1 + (int)synth_rng_below(r, 5);
    if (term_start(y0 * 3 + 2) < p->exit_day)
        y0++; /* arrived after the fall term began */
    int sector;
    if (p->exit_type == X_GRAD &&
        synth_rng_chance(r, logistic(-0.4 + 1.4 * p->ability))) {
        *four = 1;
        sector = synth_rng_chance(r, 0.78) ? S_PUB4 : S_PRIV_NP;
    } else if (grad_like) {
        sector = synth_rng_chance(r, 0.88) ? S_PUB2 : S_PRIV_FP;
    } else {
        sector = synth_rng_chance(r, 0.70) ? S_PUB2 : S_PRIV_FP;
    }
    int inst = pick_inst(w, p, sector);
    int level;
    if (*four)
        level = L_BACH;
    else if (sector == S_PUB2)
        level = synth_rng_chance(r, 0.65) ? L_ASSOC : L_CERT;
    else
        level = synth_rng_chance(r, 0.6) ? L_CERT : L_ASSOC;
    ps_spell s;
    const char *cip =
        synth_pool_pick(level == L_BACH ? &w->cip_bach : &w->cip_sub, r);
    int t = y0 * 3 + 2, next, awarded;
    spell_init(w, p, &s, inst, level, cip, 0, term_start(t));
    double pc;
    int need;
    switch (level) {
    case L_BACH:
        pc = logistic(0.4 + 1.0 * p->ability - 0.2 * p->flag[FL_ECON]);
        need = synth_rng_chance(r, 0.7) ? 8 : 10;
        break;
    case L_ASSOC:
        pc = logistic(-0.5 + 0.6 * p->ability);
        need = 4 + (int)synth_rng_below(r, 3);
        break;
    default:
        pc = logistic(0.2 + 0.5 * p->ability);
        need = 2 + (int)synth_rng_below(r, 2);
        break;
    }
    p20w_status st = ps_run(w, p, &s, t, pc, need, &next, &awarded, err);
    if (st != P20W_OK || !awarded)
        return st;
    /* Continuations: graduate school, transfer to a bachelor's, a
     * certificate holder's associate degree. */
    int nlevel = -1, ninst = inst;
    double npc = 0;
    if (level == L_BACH && synth_rng_chance(r, 0.18)) {
        nlevel = L_GRAD;
        npc = 0.75;
        if (synth_rng_chance(r, 0.5))
            ninst =
                pick_inst(w, p, synth_rng_chance(r, 0.7) ? S_PUB4 : S_PRIV_NP);
    } else if (level == L_ASSOC && synth_rng_chance(r, 0.25)) {
        nlevel = L_BACH;
        npc = 0.65;
        ninst = pick_inst(w, p, S_PUB4);
        *four = 1;
    } else if (level == L_CERT && synth_rng_chance(r, 0.10)) {
        nlevel = L_ASSOC;
        npc = 0.45;
    }
    if (nlevel < 0)
        return P20W_OK;
    int ny = next / 3 + (nlevel == L_GRAD ? (int)synth_rng_below(r, 3) : 0);
    int nt = ny * 3 + 2;
    if (nt < next)
        nt += 3;
    cip = synth_rng_chance(r, 0.5)
              ? s.cip
              : synth_pool_pick(nlevel == L_ASSOC ? &w->cip_sub : &w->cip_bach,
                                r);
    spell_init(w, p, &s, ninst, nlevel, cip, 0, term_start(nt));
    return ps_run(w, p, &s, nt, npc,
                  nlevel == L_BACH ? 4 + (int)synth_rng_below(r, 3) : 4, &next,
                  &awarded, err);
}

/* ---- registered apprenticeship -------------------------------------- */

static int ind_of_soc(const char *soc, synth_rng *r)
{
    /* indexes into synth_ind_sector */
    if (strncmp(soc, "47", 2) == 0)
        return 3; /* 23 construction */
    if (strncmp(soc, "49", 2) == 0)
        return synth_rng_chance(r, 0.5) ? 18 : 7; /* 81 / 48-49 */
    if (strncmp(soc, "51", 2) == 0)
        return 4; /* 31-33 */
    if (strncmp(soc, "29", 2) == 0 || strncmp(soc, "31", 2) == 0)
        return 15; /* 62 health */
    if (strncmp(soc, "35", 2) == 0)
        return 17; /* 72 food */
    return 19;     /* 92 public admin */
}

static p20w_status apprenticeship(synth_world *w, synth_person *p, int four,
                                  p20w_err *err)
{
    synth_rng *r = &p->life;
    p->appr_q0 = p->appr_q1 = -1;
    if (four || p->exit_type < X_GRAD || p->exit_type > X_DROPOUT)
        return P20W_OK;
    int trades = 0;
    if (p->conc_intent && p->cte_prog >= 0) {
        const char *cl = synth_cluster_code[w->prog[p->cte_prog].cluster];
        trades = strstr("AC MN TD ST", cl) != NULL;
    }
    if (!synth_rng_chance(r, trades ? 0.07 : 0.035))
        return P20W_OK;
    int q0 = p->exit_q + 5 + (int)synth_rng_below(r, 16);
    if (q0 > LAST_Q || gone_by(p, q0) ||
        (p->selfemp_q >= 0 && q0 >= p->selfemp_q))
        return P20W_OK;
    int32_t start = quarter_first_day(q0) + (int32_t)synth_rng_below(r, 85);
    int32_t dur = 365 * (2 + (int)synth_rng_below(r, 3));
    int cancelled = synth_rng_chance(r, 0.4);
    int32_t end =
        start +
        (cancelled ? (int32_t)(dur * (0.1 + 0.8 * synth_rng_unif(r))) : dur);
    const char *status = cancelled ? "CANCELLED" : "COMPLETED";
    int32_t stop = last_day();
    if (p->moved_q >= 0 && quarter_first_day(p->moved_q) - 1 < stop)
        stop = quarter_first_day(p->moved_q) - 1;
    if (p->selfemp_q >= 0 && quarter_first_day(p->selfemp_q) - 1 < stop)
        stop = quarter_first_day(p->selfemp_q) - 1;
    int has_end = 1;
    if (end > stop) {
        if (stop < last_day()) { /* left the state or the wage system */
            end = stop;
            status = "CANCELLED";
        } else {
            status = "ACTIVE";
            has_end = 0;
        }
    }
    if (end < start)
        end = start;
    const char *soc = synth_pool_pick(&w->soc, r);
    p->appr = 1;
    p->appr_q0 = q0;
    p->appr_q1 = has_end ? synth_q_of(end) : LAST_Q;
    p->appr_emp = synth_pick_employer(w, ind_of_soc(soc, r),
                                      w->county[p->county].rural, r);
    synth_record rec;
    synth_record_make(w, p, &synth_rates_appr, start, &rec);
    char id[16], sd[11], ed[11] = "";
    snprintf(id, sizeof id, "A%09llu",
             (unsigned long long)((p->idx * 482713ULL +
                                   synth_mix64(w->opt.seed ^ 11)) %
                                  1000000000ULL));
    date_format(start, sd);
    if (has_end)
        date_format(end, ed);
    const char *f[] = {id,  rec.first, rec.last, rec.birth, rec.ssn,
                       soc, sd,        ed,       status};
    p20w_status st = synth_emit_row(w, F_APPR, f, 9, err);
    if (st == P20W_OK)
        st = synth_map_row(w, F_APPR, id, p, rec.tags, err);
    return st;
}

/* ---- work --------------------------------------------------------------- */

/* Industry weights (order of synth_ind_sector) by kind of worker. */
static const double ind_teen[SYNTH_NIND] = {
    1, 0, 0, 2, 2, 1, 30, 2, 0.5, 0.5, 0.5, 0.5, 0, 4, 2, 6, 6, 40, 3, 0.5};
static const double ind_adult[SYNTH_NIND] = {
    1.5, 0.6, 0.5, 7, 12, 4, 12, 7, 1, 3, 1.5, 3, 1, 9, 5, 14, 1.5, 10, 3.5, 3};
static const double ind_ba[SYNTH_NIND] = {
    0.5, 0.5, 0.8, 3, 8, 4, 4, 3, 3, 9, 2, 14, 3, 4, 14, 20, 1.5, 2, 2, 6};

/* Annual base pay at age 30 in 2020 dollars, by education. */
static const double base_pay[E_COUNT] = {28000, 36000, 40000,
                                         44000, 60000, 74000};

static int edu_at(const synth_person *p, int q)
{
    int e = E_NONE;
    for (int k = E_HS; k < E_COUNT; k++)
        if (p->award_q[k] >= 0 && p->award_q[k] <= q)
            e = k;
    return e;
}

typedef struct job {
    int emp;
    int start_q;
    synth_record rec;
} job;

static double quarter_wage(const synth_world *w, synth_person *p, int q,
                           int emp, int in_hs)
{
    synth_rng *r = &p->life;
    double age = (double)(quarter_first_day(q) - p->birth) / 365.25;
    double annual;
    if (in_hs) {
        annual = 9000;
    } else {
        double a = age > 45 ? 45 : age;
        annual = base_pay[edu_at(p, q)] * exp(0.035 * (a - 30));
        int k = q - SYNTH_Q0;
        if (k >= 0 && k < SYNTH_NQ && p->enrolled[k])
            annual *= p->enrolled[k] == 2 ? 0.5 : 0.75;
    }
    const synth_employer *e = &w->emp[emp];
    double x = annual / 4 * synth_ind_premium[e->ind];
    if (p->flag[FL_ECON])
        x *= 0.88;
    if (w->county[e->county].rural)
        x *= 0.90;
    if (p->wbl_done)
        x *= 1.06;
    x *= pow(1.025, quarter_year(q) - 2020);
    x *= exp(p->person_eff + 0.2 * synth_rng_normal(r));
    return x > 9999999.99 ? 9999999.99 : x;
}

static p20w_status wage_row(synth_world *w, synth_person *p, const job *j,
                            int q, double wages, p20w_err *err)
{
    char qs[8], ws[24], key[64], id[16];
    quarter_format(q, qs);
    synth_employer_id(w, j->emp, id);
    if (synth_rng_chance(&p->life, 0.003))
        wages = 0; /* a correction row */
    snprintf(ws, sizeof ws, "%.2f", wages);
    const char *f[] = {j->rec.ssn, j->rec.last, j->rec.first, id, qs, ws};
    p20w_status st = synth_emit_row(w, F_UI_WAGES, f, 6, err);
    if (st != P20W_OK)
        return st;
    snprintf(key, sizeof key, "%s|%s|%s", j->rec.ssn, id, qs);
    return synth_map_row(w, F_UI_WAGES, key, p, j->rec.tags, err);
}

static int pick_job_employer(const synth_world *w, synth_person *p, int q,
                             int in_hs, int avoid)
{
    synth_rng *r = &p->life;
    const double *wt = in_hs                    ? ind_teen
                       : edu_at(p, q) >= E_BACH ? ind_ba
                                                : ind_adult;
    int rural = w->county[p->county].rural;
    if (!synth_rng_chance(r, 0.75))
        rural = !rural;
    int e = avoid;
    for (int t = 0; t < 8 && e == avoid; t++)
        e = synth_pick_employer(w, (int)synth_rng_pick_w(r, wt, SYNTH_NIND),
                                rural, r);
    return e;
}

static p20w_status work(synth_world *w, synth_person *p, p20w_err *err)
{
    synth_rng *r = &p->life;
    int q16 = synth_q_of(p->birth + 5844); /* 16th birthday */
    int qend = LAST_Q;
    if (p->moved_q >= 0 && p->moved_q - 1 < qend)
        qend = p->moved_q - 1;
    if (p->dead_q >= 0 && p->dead_q - 1 < qend)
        qend = p->dead_q - 1;
    if (p->selfemp_q >= 0 && p->selfemp_q - 1 < qend)
        qend = p->selfemp_q - 1;
    int q0 = q16 > SYNTH_Q0 ? q16 : SYNTH_Q0;
    if (p->in_migrant && p->arrive_q + 1 > q0)
        q0 = p->arrive_q + 1;
    int prev = 0;
    job cur, side;
    cur.emp = -1;
    int after = p->exit_type >= X_GRAD && p->exit_type <= X_DROPOUT;
    double early =
        (p->exit_type <= X_GRAD_ALT ? 0.62 : 0.50) + 0.08 * p->cte_conc;
    for (int q = q0; q <= qend; q++) {
        int in_hs = p->exit_q < 0 || q <= p->exit_q;
        if (!in_hs && !after)
            break;
        int restart = q == q0 || (after && q == p->exit_q + 1);
        double pr;
        if (in_hs) {
            pr = 0.30;
        } else if (q <= p->exit_q + 4) {
            pr = early;
        } else {
            int k = q - SYNTH_Q0;
            int en = k >= 0 && k < SYNTH_NQ ? p->enrolled[k] : 0;
            pr = en == 2 ? 0.55 : en == 1 ? 0.70 : 0.80;
            if (en == 0 && edu_at(p, q) >= E_BACH)
                pr += 0.04;
        }
        int appr = p->appr && q >= p->appr_q0 && q <= p->appr_q1;
        int emp;
        if (appr)
            emp = 1;
        else if (restart)
            emp = synth_rng_chance(r, pr);
        else
            emp = prev ? synth_rng_chance(r, pr + RHO * (1 - pr))
                       : synth_rng_chance(r, pr * (1 - RHO));
        if (!emp) {
            prev = 0;
            cur.emp = -1;
            continue;
        }
        int keep = cur.emp >= 0 && prev && synth_rng_chance(r, 0.90);
        if (appr)
            keep = cur.emp == p->appr_emp;
        int tail_emp = -1;
        if (!keep) {
            /* A new job; the old one may leave a last partial quarter. One
             * row per person, employer and quarter: the new employer is
             * never the old one. */
            int next =
                appr ? p->appr_emp : pick_job_employer(w, p, q, in_hs, cur.emp);
            if (next != cur.emp && cur.emp >= 0 && prev &&
                synth_rng_chance(r, 0.5)) {
                double tail = quarter_wage(w, p, q, cur.emp, in_hs) *
                              (0.1 + 0.4 * synth_rng_unif(r));
                p20w_status st = wage_row(w, p, &cur, q, tail, err);
                if (st != P20W_OK)
                    return st;
                tail_emp = cur.emp;
            }
            if (next != cur.emp) {
                cur.emp = next;
                cur.start_q = q;
                synth_record_make(w, p, &synth_rates_ui, quarter_first_day(q),
                                  &cur.rec);
            }
        }
        double x = quarter_wage(w, p, q, cur.emp, in_hs);
        if (q == cur.start_q)
            x *= 0.3 + 0.7 * synth_rng_unif(r);
        p20w_status st = wage_row(w, p, &cur, q, x, err);
        if (st != P20W_OK)
            return st;
        if (synth_rng_chance(r, 0.05)) { /* a second job this quarter */
            side.emp = pick_job_employer(w, p, q, in_hs, cur.emp);
            if (side.emp != cur.emp && side.emp != tail_emp) {
                side.start_q = q;
                synth_record_make(w, p, &synth_rates_ui, quarter_first_day(q),
                                  &side.rec);
                double y = quarter_wage(w, p, q, side.emp, in_hs) * 0.25 *
                           (0.3 + 0.7 * synth_rng_unif(r));
                st = wage_row(w, p, &side, q, y, err);
                if (st != P20W_OK)
                    return st;
            }
        }
        prev = 1;
    }
    return P20W_OK;
}

/* ---- motor vehicles -------------------------------------------------- */

static p20w_status dmv(synth_world *w, synth_person *p, p20w_err *err)
{
    int q16 = synth_q_of(p->birth + 5844);
    if (p->in_migrant && p->arrive_q > q16)
        q16 = p->arrive_q; /* resident from arrival */
    if (q16 > LAST_Q || gone_by(p, q16) || !synth_rng_chance(&p->life, 0.90))
        return P20W_OK;
    int32_t on = last_day();
    if (p->moved_q >= 0)
        on = quarter_first_day(p->moved_q) - 1;
    synth_record rec;
    synth_record_make(w, p, &synth_rates_dmv, on, &rec);
    char letter = 'X';
    if (p->last[0] >= 'A' && p->last[0] <= 'Z')
        letter = p->last[0];
    uint64_t x =
        (p->idx * 19260817ULL + synth_mix64(w->opt.seed ^ 13)) % 100000000ULL;
    snprintf(p->dmv_id, sizeof p->dmv_id, "%c%08llu", letter,
             (unsigned long long)x);
    p->dmv = 1;
    const char *sex = p->sex == 0 ? "F" : p->sex == 1 ? "M" : "X";
    const char *f[] = {p->dmv_id, rec.first, rec.middle, rec.last,
                       rec.birth, sex,       "",         rec.ssn};
    p20w_status st = synth_emit_row(w, F_DMV, f, 8, err);
    if (st == P20W_OK)
        st = synth_map_row(w, F_DMV, p->dmv_id, p, rec.tags, err);
    return st;
}

p20w_status synth_life_after_school(synth_world *w, synth_person *p,
                                    p20w_err *err)
{
    int four = 0;
    plan_adult(w, p);
    if (p->exit_type >= X_GRAD && p->exit_type <= X_HSE)
        p->award_q[E_HS] = p->exit_q;
    p20w_status st = P20W_OK;
    if (p->in_migrant && p->arrive_q < 0)
        return P20W_OK; /* never arrived: nothing to record */
    if (!p->in_migrant && p->hs_last_year - 1 <= SYNTH_LAST_YEAR)
        st = emit_dual(w, p, err);
    if (st == P20W_OK)
        st = postsecondary(w, p, &four, err);
    if (st == P20W_OK)
        st = apprenticeship(w, p, four, err);
    if (st == P20W_OK)
        st = work(w, p, err);
    if (st == P20W_OK)
        st = dmv(w, p, err);
    return st;
}
