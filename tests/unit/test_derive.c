/*
 * test_derive.c — derive/rules.c and the timeline's reading helpers on
 * timelines built by hand (tl_add_*). Every expected value is worked out
 * in the comment beside it. The loader has its own file,
 * test_derive_load.c.
 */
#include "testutil.h"

#include "derive/derive.h"
#include "util/date.h"
#include "util/mem.h"

/* Quarter index of year y, quarter n (indicators.md). */
#define Q(y, n) (4 * (y) + (n)-1)
#define D(y, m, d) date_from_ymd(y, m, d)

static p20w_profile default_profile(void)
{
    p20w_profile p;
    memset(&p, 0, sizeof p);
    snprintf(p.name, sizeof p.name, "default");
    p.min_quarter_cents = 100;
    p.attach_annual_cents = 1508000;
    p.attach_quarters = 3;
    p.employed_year_quarters = 1;
    p.concentrator_courses = 2;
    p.ps_concentrator_credits = 12;
    p.min_n = 10;
    p.protect_pct = 0.5;
    p.min_n_percentile = 30;
    p.pool_years = 3;
    return p;
}

/* ---- a fixture: reference rows every test shares ------------------------ */

typedef struct fx {
    tl_state *st;
    int32_t region, c_rural, c_metro, district;
    int32_t s0, s1; /* schools: s0 in the rural county, s1 in the metro */
    int32_t i0, i1; /* institutions: i0 metro, i1 rural */
    int32_t e0, e1; /* employers */
    int32_t p0, p1; /* programs of study: HS, MN */
} fx;

static void fx_new(fx *f)
{
    memset(f, 0, sizeof *f);
    assert_int_equal(tl_state_new(&f->st, NULL), P20W_OK);
    assert_int_equal(tl_add_region(f->st, "CZ 1", &f->region), P20W_OK);
    assert_int_equal(tl_add_county(f->st, "21001", f->region, 1, &f->c_rural),
                     P20W_OK);
    assert_int_equal(tl_add_county(f->st, "21003", f->region, 0, &f->c_metro),
                     P20W_OK);
    assert_int_equal(tl_add_district(f->st, "D0", "District", &f->district),
                     P20W_OK);
    assert_int_equal(tl_add_school(f->st, "S0", "School 0", f->district,
                                   f->c_rural, TL_LOCALE_RURAL, &f->s0),
                     P20W_OK);
    assert_int_equal(tl_add_school(f->st, "S1", "School 1", f->district,
                                   f->c_metro, TL_LOCALE_CITY, &f->s1),
                     P20W_OK);
    assert_int_equal(tl_add_institution(f->st, "I0", "College 0", "PUB2",
                                        f->c_metro, &f->i0),
                     P20W_OK);
    assert_int_equal(tl_add_institution(f->st, "I1", "College 1", "PUB4",
                                        f->c_rural, &f->i1),
                     P20W_OK);
    assert_int_equal(tl_add_employer(f->st, "E0", "722511", f->c_rural, &f->e0),
                     P20W_OK);
    assert_int_equal(tl_add_employer(f->st, "E1", "621111", f->c_metro, &f->e1),
                     P20W_OK);
    assert_int_equal(tl_add_program(f->st, "KYHS01", TL_CL_HS, &f->p0),
                     P20W_OK);
    assert_int_equal(tl_add_program(f->st, "KYMN01", TL_CL_MN, &f->p1),
                     P20W_OK);
}

static int32_t person(fx *f, int64_t id)
{
    int32_t i;
    assert_int_equal(tl_person_get(f->st, id, &i), P20W_OK);
    return i;
}

static void enrol(fx *f, int64_t id, int sy, int grade, int32_t school,
                  uint8_t flags, char sex, uint8_t race)
{
    tl_enrol e;
    memset(&e, 0, sizeof e);
    e.school_year = (int16_t)sy;
    e.grade = (int8_t)grade;
    e.school = school;
    e.flags = flags;
    e.sex = sex;
    e.race = race;
    assert_int_equal(tl_add_enrol(f->st, person(f, id), &e), P20W_OK);
}

static void k12_exit(fx *f, int64_t id, int32_t date, int type, int32_t school,
                     int cohort)
{
    tl_k12_exit x;
    memset(&x, 0, sizeof x);
    x.date = date;
    x.type = (uint8_t)type;
    x.school = school;
    x.cohort_year = (int16_t)cohort;
    assert_int_equal(tl_add_k12_exit(f->st, person(f, id), &x), P20W_OK);
}

static void cte(fx *f, int64_t id, int sy, int32_t program, int completed)
{
    tl_cte c;
    memset(&c, 0, sizeof c);
    c.school_year = (int16_t)sy;
    c.program = program;
    c.cluster = ((tl_program *)f->st->programs.data)[program].cluster;
    c.completed = (uint8_t)completed;
    c.school = f->s0;
    c.credits = 1.0f;
    assert_int_equal(tl_add_cte(f->st, person(f, id), &c), P20W_OK);
}

static void term(fx *f, int64_t id, int year, int kind, int level, int32_t inst,
                 int32_t cip, float earned, int is_cte, int dual)
{
    tl_term t;
    memset(&t, 0, sizeof t);
    t.year = (int16_t)year;
    t.kind = (uint8_t)kind;
    t.level = (uint8_t)level;
    t.inst = inst;
    t.cip = cip;
    t.credits_attempted = earned;
    t.credits_earned = earned;
    t.cte = (uint8_t)is_cte;
    t.dual = (uint8_t)dual;
    assert_int_equal(tl_add_term(f->st, person(f, id), &t), P20W_OK);
}

static void term_demo(fx *f, int64_t id, int year, int kind, int32_t inst,
                      char sex, uint8_t race)
{
    tl_term t;
    memset(&t, 0, sizeof t);
    t.year = (int16_t)year;
    t.kind = (uint8_t)kind;
    t.level = TL_AWARD_BACH;
    t.inst = inst;
    t.cip = 520201;
    t.sex = sex;
    t.race = race;
    assert_int_equal(tl_add_term(f->st, person(f, id), &t), P20W_OK);
}

static void award(fx *f, int64_t id, int32_t date, int level, int32_t inst,
                  int32_t cip)
{
    tl_award_row a;
    memset(&a, 0, sizeof a);
    a.date = date;
    a.level = (uint8_t)level;
    a.inst = inst;
    a.cip = cip;
    assert_int_equal(tl_add_award(f->st, person(f, id), &a), P20W_OK);
}

static void appr(fx *f, int64_t id, int32_t start, int32_t end, int32_t soc,
                 int status)
{
    tl_appr a;
    memset(&a, 0, sizeof a);
    a.start_date = start;
    a.end_date = end;
    a.soc = soc;
    a.status = (uint8_t)status;
    assert_int_equal(tl_add_appr(f->st, person(f, id), &a), P20W_OK);
}

static void wage(fx *f, int64_t id, int32_t q, int32_t emp, int64_t cents)
{
    tl_wage w;
    memset(&w, 0, sizeof w);
    w.q = q;
    w.employer = emp;
    w.cents = cents;
    assert_int_equal(tl_add_wage(f->st, person(f, id), &w), P20W_OK);
}

static void wbl(fx *f, int64_t id, int sy, int type, int completed)
{
    tl_wbl w;
    memset(&w, 0, sizeof w);
    w.school_year = (int16_t)sy;
    w.type = (uint8_t)type;
    w.completed = (uint8_t)completed;
    w.hours = 100;
    assert_int_equal(tl_add_wbl(f->st, person(f, id), &w), P20W_OK);
}

static void cred(fx *f, int64_t id, int32_t date)
{
    tl_cred c;
    c.date = date;
    assert_int_equal(tl_add_cred(f->st, person(f, id), &c), P20W_OK);
}

static void fx_derive(fx *f, const p20w_profile *prof)
{
    p20w_err err;
    memset(&err, 0, sizeof err);
    if (!tl_is_finished(f->st))
        assert_int_equal(tl_finish(f->st, &err), P20W_OK);
    assert_int_equal(derive_rules(f->st, prof, &err), P20W_OK);
}

static const tl_person *get(const fx *f, int64_t id)
{
    int32_t i = tl_person_find(f->st, id);
    assert_true(i != TL_NONE);
    return (const tl_person *)f->st->persons.data + i;
}

static const tl_exit_event *exits_of(const fx *f, const tl_person *p)
{
    return (const tl_exit_event *)f->st->exits.data + p->exit_off;
}

/* ---- K-12 cohort and exit ----------------------------------------------- */

static void test_cohort_and_hs_exit(void **state)
{
    (void)state;
    fx f;
    fx_new(&f);
    p20w_profile prof = default_profile();

    /* 1: two exit rows, added latest first: the later (GRAD at S1 on
     * 2020-06-01) decides over the DROPOUT of 2019-03-01 at S0. */
    k12_exit(&f, 1, D(2020, 6, 1), TL_EXIT_GRAD, f.s1, 2020);
    k12_exit(&f, 1, D(2019, 3, 1), TL_EXIT_DROPOUT, f.s0, 2020);
    /* 2: graduated, then left the state: TRANSFER_OUT is the latest row,
     * so the student leaves the cohort and exits as nothing. */
    k12_exit(&f, 2, D(2020, 6, 1), TL_EXIT_GRAD, f.s0, 2020);
    k12_exit(&f, 2, D(2020, 10, 1), TL_EXIT_TRANSFER_OUT, f.s0, 2020);
    /* 3: no cohort_year on the exit row: first grade 9 in school year
     * 2019 (a repeater: grade 9 again in 2020) -> cohort 2019 + 3 = 2022. */
    enrol(&f, 3, 2020, 9, f.s0, 0, 'F', TL_RACE_WH);
    enrol(&f, 3, 2019, 9, f.s0, 0, 'F', TL_RACE_WH);
    enrol(&f, 3, 2021, 10, f.s0, 0, 'F', TL_RACE_WH);
    k12_exit(&f, 3, D(2021, 2, 10), TL_EXIT_DROPOUT, f.s0, 0);
    /* 4: no exit row yet: grade 9 in 2023 -> cohort 2026, in it. */
    enrol(&f, 4, 2023, 9, f.s0, 0, 'M', TL_RACE_BL);
    /* 5: neither exit row nor grade 9: no cohort. */
    enrol(&f, 5, 2020, 11, f.s0, 0, 'M', TL_RACE_BL);
    /* 6, 7: the 31 August deadline of cohort 2021: on it is on time,
     * the day after is not. */
    k12_exit(&f, 6, D(2021, 8, 31), TL_EXIT_GRAD, f.s0, 2021);
    k12_exit(&f, 7, D(2021, 9, 1), TL_EXIT_GRAD, f.s0, 2021);
    /* 8: an alternate diploma in December: Q4, on time for 2021. */
    k12_exit(&f, 8, D(2020, 12, 15), TL_EXIT_GRAD_ALT, f.s1, 2021);
    /* 9: died: leaves the cohort. 10: HSE: stays in, not a graduate. */
    k12_exit(&f, 9, D(2019, 1, 5), TL_EXIT_DECEASED, f.s0, 2020);
    k12_exit(&f, 10, D(2019, 11, 1), TL_EXIT_HSE, f.s0, 2020);
    /* 11: two rows on one day: the order is (date, exit code), so the
     * DROPOUT (code 4) sorts after the GRAD (1) and decides. */
    k12_exit(&f, 11, D(2020, 6, 1), TL_EXIT_DROPOUT, f.s0, 2020);
    k12_exit(&f, 11, D(2020, 6, 1), TL_EXIT_GRAD, f.s0, 2020);
    fx_derive(&f, &prof);

    const tl_person *p = get(&f, 1);
    assert_int_equal(p->hs_exit_type, TL_EXIT_GRAD);
    assert_int_equal(p->cohort_year, 2020);
    assert_int_equal(p->in_cohort, 1);
    assert_int_equal(p->grad_on_time, 1);
    assert_int_equal(p->hs_exit_date, D(2020, 6, 1));
    assert_int_equal(p->hs_exit_q, Q(2020, 2));
    assert_int_equal(p->hs_exit_school, f.s1);
    assert_int_equal(p->exit_n, 1);
    assert_int_equal(exits_of(&f, p)[0].kind, TL_EXITER_HS_GRAD);
    assert_int_equal(exits_of(&f, p)[0].exit_q, Q(2020, 2));
    assert_int_equal(exits_of(&f, p)[0].school, f.s1);
    assert_int_equal(exits_of(&f, p)[0].program, TL_NONE);
    assert_int_equal(exits_of(&f, p)[0].inst, TL_NONE);

    p = get(&f, 2);
    assert_int_equal(p->hs_exit_type, TL_EXIT_TRANSFER_OUT);
    assert_int_equal(p->cohort_year, 2020);
    assert_int_equal(p->in_cohort, 0);
    assert_int_equal(p->grad_on_time, 0);
    assert_int_equal(p->exit_n, 0);

    p = get(&f, 3);
    assert_int_equal(p->cohort_year, 2022);
    assert_int_equal(p->in_cohort, 1);
    assert_int_equal(p->hs_exit_type, TL_EXIT_DROPOUT);
    assert_int_equal(p->exit_n, 1);
    assert_int_equal(exits_of(&f, p)[0].kind, TL_EXITER_HS_NONCOMPLETER);
    assert_int_equal(exits_of(&f, p)[0].exit_q, Q(2021, 1));

    p = get(&f, 4);
    assert_int_equal(p->cohort_year, 2026);
    assert_int_equal(p->in_cohort, 1);
    assert_int_equal(p->hs_exit_type, TL_EXIT_NONE);
    assert_int_equal(p->hs_exit_q, TL_NONE);
    assert_int_equal(p->hs_exit_date, TL_NO_DATE);
    assert_int_equal(p->exit_n, 0);

    p = get(&f, 5);
    assert_int_equal(p->cohort_year, 0);
    assert_int_equal(p->in_cohort, 0);

    p = get(&f, 6);
    assert_int_equal(p->grad_on_time, 1);
    assert_int_equal(p->hs_exit_q, Q(2021, 3));
    p = get(&f, 7);
    assert_int_equal(p->grad_on_time, 0);
    assert_int_equal(p->in_cohort, 1);
    assert_int_equal(p->exit_n, 1); /* a late graduate is still an exiter */
    assert_int_equal(exits_of(&f, p)[0].kind, TL_EXITER_HS_GRAD);

    p = get(&f, 8);
    assert_int_equal(p->grad_on_time, 1);
    assert_int_equal(p->hs_exit_q, Q(2020, 4));
    assert_int_equal(exits_of(&f, p)[0].kind, TL_EXITER_HS_GRAD);
    assert_int_equal(exits_of(&f, p)[0].exit_q, Q(2020, 4));

    p = get(&f, 9);
    assert_int_equal(p->in_cohort, 0);
    assert_int_equal(p->exit_n, 0);
    p = get(&f, 10);
    assert_int_equal(p->in_cohort, 1);
    assert_int_equal(p->grad_on_time, 0);
    assert_int_equal(p->exit_n, 1);
    assert_int_equal(exits_of(&f, p)[0].kind, TL_EXITER_HS_HSE);

    p = get(&f, 11);
    assert_int_equal(p->hs_exit_type, TL_EXIT_DROPOUT);
    tl_state_free(f.st);
}

/* ---- secondary CTE ------------------------------------------------------ */

static void test_cte_concentrators(void **state)
{
    (void)state;
    fx f;
    fx_new(&f);
    p20w_profile prof = default_profile();

    /* 20: one completed course in each of two programs: a participant,
     * not a concentrator (two courses, but not in one program). */
    cte(&f, 20, 2019, f.p0, 1);
    cte(&f, 20, 2020, f.p1, 1);
    /* 21: two courses in one program, the second not passed. */
    cte(&f, 21, 2019, f.p0, 1);
    cte(&f, 21, 2020, f.p0, 0);
    /* 22: one course, not passed: not even a participant. */
    cte(&f, 22, 2019, f.p0, 0);
    /* 23: two passed in p0. */
    cte(&f, 23, 2020, f.p0, 1);
    cte(&f, 23, 2019, f.p0, 1);
    /* 24: two in p0 (reached in 2019), three in p1 (reached in 2020): the
     * program with most courses wins -> p1. */
    cte(&f, 24, 2018, f.p0, 1);
    cte(&f, 24, 2019, f.p0, 1);
    cte(&f, 24, 2019, f.p1, 1);
    cte(&f, 24, 2020, f.p1, 1);
    cte(&f, 24, 2021, f.p1, 1);
    /* 25: two each; p0 reached two in 2020, p1 only in 2021 -> p0. A
     * graduate: the HS exit event carries p0. */
    cte(&f, 25, 2019, f.p1, 1);
    cte(&f, 25, 2019, f.p0, 1);
    cte(&f, 25, 2020, f.p0, 1);
    cte(&f, 25, 2021, f.p1, 1);
    k12_exit(&f, 25, D(2021, 6, 1), TL_EXIT_GRAD, f.s0, 2021);
    fx_derive(&f, &prof);

    static const struct {
        int64_t id;
        int participant, concentrator;
        int program; /* 0 = p0, 1 = p1, -1 = none */
    } want[] = {
        {20, 1, 0, -1}, {21, 1, 0, -1}, {22, 0, 0, -1},
        {23, 1, 1, 0},  {24, 1, 1, 1},  {25, 1, 1, 0},
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        const tl_person *p = get(&f, want[i].id);
        int32_t prog = want[i].program < 0    ? TL_NONE
                       : want[i].program == 0 ? f.p0
                                              : f.p1;
        if (p->cte_participant != want[i].participant ||
            p->cte_concentrator != want[i].concentrator ||
            p->conc_program != prog)
            fail_msg("person %lld: participant %d concentrator %d program %d",
                     (long long)want[i].id, p->cte_participant,
                     p->cte_concentrator, p->conc_program);
    }
    const tl_person *p = get(&f, 25);
    assert_int_equal(p->exit_n, 1);
    assert_int_equal(exits_of(&f, p)[0].program, f.p0);

    /* The profile's rule: three courses. Only 24 (three in p1) stays; the
     * rules run again from scratch on the same timeline. */
    prof.concentrator_courses = 3;
    fx_derive(&f, &prof);
    assert_int_equal(get(&f, 23)->cte_concentrator, 0);
    assert_int_equal(get(&f, 23)->conc_program, TL_NONE);
    assert_int_equal(get(&f, 24)->cte_concentrator, 1);
    assert_int_equal(get(&f, 24)->conc_program, f.p1);
    assert_int_equal(get(&f, 25)->cte_concentrator, 0);
    assert_int_equal(exits_of(&f, get(&f, 25))[0].program, TL_NONE);
    tl_state_free(f.st);
}

/* ---- WBL, credentials, dual credit -------------------------------------- */

static void test_wbl_credentials_dual(void **state)
{
    (void)state;
    fx f;
    fx_new(&f);
    p20w_profile prof = default_profile();

    /* 30: credential on the day of graduation counts; a completed
     * internship and an unfinished co-op; a dual term with 3 credits. */
    k12_exit(&f, 30, D(2020, 6, 1), TL_EXIT_GRAD, f.s0, 2020);
    cred(&f, 30, D(2020, 6, 1));
    wbl(&f, 30, 2020, TL_WBL_INTERNSHIP, 1);
    wbl(&f, 30, 2020, TL_WBL_COOP, 0);
    term(&f, 30, 2019, TL_TERM_FA, TL_AWARD_NONDEG, f.i0, 240102, 3, 0, 1);
    /* 31: credential the day after; WBL not completed; a dual term with
     * nothing earned. */
    k12_exit(&f, 31, D(2020, 6, 1), TL_EXIT_GRAD, f.s0, 2020);
    cred(&f, 31, D(2020, 6, 2));
    wbl(&f, 31, 2020, TL_WBL_CLINICAL, 0);
    term(&f, 31, 2019, TL_TERM_FA, TL_AWARD_NONDEG, f.i0, 240102, 0, 0, 1);
    /* 32: still in school: every credential is before the exit. */
    enrol(&f, 32, 2021, 11, f.s0, 0, 'F', TL_RACE_HI);
    cred(&f, 32, D(2021, 3, 1));
    fx_derive(&f, &prof);

    const tl_person *p = get(&f, 30);
    assert_int_equal(p->cred_before_exit, 1);
    assert_int_equal(p->wbl_any, 1);
    assert_int_equal(p->wbl_types, 1 << TL_WBL_INTERNSHIP);
    assert_int_equal(p->dual_credits, 1);
    assert_int_equal(p->ps_any, 1);
    assert_int_equal(p->ps_first_time, 0); /* dual terms only */
    p = get(&f, 31);
    assert_int_equal(p->cred_before_exit, 0);
    assert_int_equal(p->wbl_any, 0);
    assert_int_equal(p->wbl_types, 0);
    assert_int_equal(p->dual_credits, 0);
    p = get(&f, 32);
    assert_int_equal(p->cred_before_exit, 1);
    tl_state_free(f.st);
}

/* ---- who and where
 * ----------------------------------------------------------- */

static void test_demographics_and_place(void **state)
{
    (void)state;
    fx f;
    fx_new(&f);
    p20w_profile prof = default_profile();

    /* 40: grade 8 (ECON) does not count once high-school rows exist: the
     * flags are EL (grade 9) | 0 | 0. Sex and race from the latest K-12
     * row (F, TW), not the later college term (M, BL). School year 2021
     * has two rows (a mid-year move S0 -> S1; sorted S0 then S1); the exit
     * row says S0, so S0 is the last school and its county home. */
    enrol(&f, 40, 2019, 8, f.s0, TL_F_ECON, 'F', TL_RACE_WH);
    enrol(&f, 40, 2020, 9, f.s0, TL_F_EL, 'F', TL_RACE_TW);
    enrol(&f, 40, 2021, 10, f.s1, 0, 'F', TL_RACE_TW);
    enrol(&f, 40, 2021, 10, f.s0, 0, 'F', TL_RACE_TW);
    k12_exit(&f, 40, D(2021, 3, 1), TL_EXIT_DROPOUT, f.s0, 2023);
    term_demo(&f, 40, 2022, TL_TERM_FA, f.i1, 'M', TL_RACE_BL);
    /* 41: never in high school: the flags of every row. Last school S1. */
    enrol(&f, 41, 2019, 7, f.s0, TL_F_ECON, 'M', TL_RACE_AS);
    enrol(&f, 41, 2020, 8, f.s1, TL_F_DISABILITY, 'M', TL_RACE_AS);
    /* 42: college only: the latest term (2020SP at i1: X, AS); home is
     * that institution's county (rural). */
    term_demo(&f, 42, 2019, TL_TERM_FA, f.i0, 'M', TL_RACE_HI);
    term_demo(&f, 42, 2020, TL_TERM_SP, f.i1, 'X', TL_RACE_AS);
    /* 43: K-12 rows without demographics (sex 0) are passed over. */
    enrol(&f, 43, 2019, 9, f.s1, 0, 0, 0);
    term_demo(&f, 43, 2020, TL_TERM_FA, f.i0, 'F', TL_RACE_BL);
    /* 44: wages only. */
    wage(&f, 44, Q(2020, 1), f.e0, 100000);
    fx_derive(&f, &prof);

    const tl_person *p = get(&f, 40);
    assert_int_equal(p->sex, 'F');
    assert_int_equal(p->race, TL_RACE_TW);
    assert_int_equal(p->flags, TL_F_EL);
    assert_int_equal(p->in_k12, 1);
    assert_int_equal(p->last_school, f.s0);
    assert_int_equal(p->home_county, f.c_rural);
    p = get(&f, 41);
    assert_int_equal(p->flags, TL_F_ECON | TL_F_DISABILITY);
    assert_int_equal(p->last_school, f.s1);
    assert_int_equal(p->home_county, f.c_metro);
    p = get(&f, 42);
    assert_int_equal(p->sex, 'X');
    assert_int_equal(p->race, TL_RACE_AS);
    assert_int_equal(p->in_k12, 0);
    assert_int_equal(p->flags, 0);
    assert_int_equal(p->last_school, TL_NONE);
    assert_int_equal(p->home_county, f.c_rural);
    p = get(&f, 43);
    assert_int_equal(p->sex, 'F');
    assert_int_equal(p->race, TL_RACE_BL);
    assert_int_equal(p->home_county, f.c_metro); /* S1's */
    p = get(&f, 44);
    assert_int_equal(p->sex, 0);
    assert_int_equal(p->race, TL_RACE_UNKNOWN);
    assert_int_equal(p->home_county, TL_NONE);
    assert_int_equal(p->ps_any, 0);
    assert_int_equal(p->exit_n, 0);
    tl_state_free(f.st);
}

/* ---- postsecondary designations ----------------------------------------- */

static void test_ps_concentrators(void **state)
{
    (void)state;
    fx f;
    fx_new(&f);
    p20w_profile prof = default_profile();

    /* 50: 6 + 6 = 12 credits in (i0, 51.0801), CTE: a concentrator; the
     * program runs 2019FA (Q3 2019) to 2020SP (Q2 2020). Also the entrant
     * designation: first non-dual term 2019FA, CERT, at i0. */
    term(&f, 50, 2020, TL_TERM_SP, TL_AWARD_CERT, f.i0, 510801, 6, 1, 0);
    term(&f, 50, 2019, TL_TERM_FA, TL_AWARD_CERT, f.i0, 510801, 6, 1, 0);
    /* 51: 6 + 5.5 = 11.5 < 12. */
    term(&f, 51, 2019, TL_TERM_FA, TL_AWARD_CERT, f.i0, 510801, 6, 1, 0);
    term(&f, 51, 2020, TL_TERM_SP, TL_AWARD_CERT, f.i0, 510801, 5.5f, 1, 0);
    /* 52: 12 credits, but 6 in each of two programs. */
    term(&f, 52, 2019, TL_TERM_FA, TL_AWARD_CERT, f.i0, 510801, 6, 1, 0);
    term(&f, 52, 2020, TL_TERM_SP, TL_AWARD_CERT, f.i0, 520201, 6, 1, 0);
    /* 53: 3 credits, but an award in the same institution and CIP. */
    term(&f, 53, 2019, TL_TERM_FA, TL_AWARD_CERT, f.i0, 510801, 3, 1, 0);
    award(&f, 53, D(2020, 5, 15), TL_AWARD_CERT, f.i0, 510801);
    /* 54: the award is in another CIP: no. */
    term(&f, 54, 2019, TL_TERM_FA, TL_AWARD_CERT, f.i0, 510801, 3, 1, 0);
    award(&f, 54, D(2020, 5, 15), TL_AWARD_CERT, f.i0, 520201);
    /* 55: 12 CTE credits, all dual enrolment: a high-school student's. */
    term(&f, 55, 2019, TL_TERM_FA, TL_AWARD_NONDEG, f.i0, 510801, 6, 1, 1);
    term(&f, 55, 2020, TL_TERM_SP, TL_AWARD_NONDEG, f.i0, 510801, 6, 1, 1);
    /* 56: dual in 2019FA, then a bachelor's student at i1 from 2020FA. */
    term(&f, 56, 2019, TL_TERM_FA, TL_AWARD_NONDEG, f.i0, 240102, 3, 0, 1);
    term(&f, 56, 2020, TL_TERM_FA, TL_AWARD_BACH, f.i1, 520201, 15, 0, 0);
    /* 57: 12 credits in a program that is not CTE. */
    term(&f, 57, 2019, TL_TERM_FA, TL_AWARD_BACH, f.i1, 520201, 12, 0, 0);
    fx_derive(&f, &prof);

    const tl_person *p = get(&f, 50);
    assert_int_equal(p->ps_concentrator, 1);
    assert_int_equal(p->ps_conc_inst, f.i0);
    assert_int_equal(p->ps_conc_cip, 510801);
    assert_int_equal(p->ps_conc_first_q, Q(2019, 3));
    assert_int_equal(p->ps_conc_last_q, Q(2020, 2));
    assert_int_equal(p->ps_any, 1);
    assert_int_equal(p->ps_first_time, 1);
    assert_int_equal(p->ps_entry_level, TL_AWARD_CERT);
    assert_int_equal(p->ps_entry_q, Q(2019, 3));
    assert_int_equal(p->ps_entry_inst, f.i0);
    assert_int_equal(get(&f, 51)->ps_concentrator, 0);
    assert_int_equal(get(&f, 51)->ps_conc_inst, TL_NONE);
    assert_int_equal(get(&f, 52)->ps_concentrator, 0);
    p = get(&f, 53);
    assert_int_equal(p->ps_concentrator, 1);
    assert_int_equal(p->ps_conc_cip, 510801);
    assert_int_equal(p->ps_conc_last_q, Q(2019, 4));
    assert_int_equal(get(&f, 54)->ps_concentrator, 0);
    p = get(&f, 55);
    assert_int_equal(p->ps_concentrator, 0);
    assert_int_equal(p->ps_first_time, 0);
    assert_int_equal(p->dual_credits, 1);
    p = get(&f, 56);
    assert_int_equal(p->ps_first_time, 1);
    assert_int_equal(p->ps_entry_q, Q(2020, 3));
    assert_int_equal(p->ps_entry_level, TL_AWARD_BACH);
    assert_int_equal(p->ps_entry_inst, f.i1);
    assert_int_equal(get(&f, 57)->ps_concentrator, 0);

    /* The profile's threshold: 11.5 credits are enough at 11.5. */
    prof.ps_concentrator_credits = 11.5;
    fx_derive(&f, &prof);
    assert_int_equal(get(&f, 51)->ps_concentrator, 1);
    assert_int_equal(get(&f, 52)->ps_concentrator, 0);
    tl_state_free(f.st);
}

/* ---- postsecondary exits
 * ----------------------------------------------------- */

static void build_ps_exits(fx *f)
{
    /* 69 sets the end of postsecondary data: 2023FA, so ps_q_last is
     * Q4 2023. */
    term(f, 69, 2023, TL_TERM_FA, TL_AWARD_BACH, f->i1, 520201, 15, 0, 0);
    /* 60: CERT in May and ASSOC in December 2021 -> one completer event,
     * ASSOC, 2021-12-15, Q4 2021; a BACH in May 2022 -> a second event.
     * Last term 2022SP (from Q1 2022); the BACH (Q2 2022) falls in it:
     * not a leaver. */
    term(f, 60, 2021, TL_TERM_SP, TL_AWARD_ASSOC, f->i0, 520201, 12, 0, 0);
    term(f, 60, 2022, TL_TERM_SP, TL_AWARD_BACH, f->i1, 520201, 12, 0, 0);
    award(f, 60, D(2021, 12, 15), TL_AWARD_ASSOC, f->i0, 520201);
    award(f, 60, D(2021, 5, 10), TL_AWARD_CERT, f->i0, 510801);
    award(f, 60, D(2022, 5, 15), TL_AWARD_BACH, f->i1, 520201);
    /* 61: two certificates in 2021 (May at i0, August at i1): one event,
     * the later one. */
    award(f, 61, D(2021, 5, 10), TL_AWARD_CERT, f->i0, 510801);
    award(f, 61, D(2021, 8, 20), TL_AWARD_CERT, f->i1, 520201);
    /* 62: 2018FA and 2019SP, no award, and years of data after: a leaver
     * on the last day of Q2 2019, level sought ASSOC. */
    term(f, 62, 2018, TL_TERM_FA, TL_AWARD_ASSOC, f->i0, 520201, 12, 0, 0);
    term(f, 62, 2019, TL_TERM_SP, TL_AWARD_ASSOC, f->i0, 520201, 12, 0, 0);
    /* 63: last term 2023SP ends Q2 2023; Q2 2023 + 4 = Q2 2024 lies past
     * the data: may still come back, not a leaver yet. */
    term(f, 63, 2023, TL_TERM_SP, TL_AWARD_CERT, f->i0, 510801, 6, 0, 0);
    /* 64: last term 2022FA ends Q4 2022; + 4 = Q4 2023 = the last quarter
     * of data: a full year seen without a term -> a leaver. */
    term(f, 64, 2022, TL_TERM_FA, TL_AWARD_CERT, f->i0, 510801, 6, 0, 0);
    /* 65: a certificate in 2017, then an associate started in 2018FA and
     * left after 2019SP: a completer (2017) and a leaver (2019). */
    award(f, 65, D(2017, 5, 10), TL_AWARD_CERT, f->i0, 510801);
    term(f, 65, 2018, TL_TERM_FA, TL_AWARD_ASSOC, f->i0, 520201, 12, 0, 0);
    term(f, 65, 2019, TL_TERM_SP, TL_AWARD_ASSOC, f->i0, 520201, 12, 0, 0);
    /* 66: last term 2019SP, award in August (Q3 2019, after the term's
     * first quarter): a completer, not a leaver. */
    term(f, 66, 2019, TL_TERM_SP, TL_AWARD_CERT, f->i0, 510801, 12, 0, 0);
    award(f, 66, D(2019, 8, 15), TL_AWARD_CERT, f->i0, 510801);
    /* 67: dual enrolment only: never a leaver. */
    term(f, 67, 2018, TL_TERM_FA, TL_AWARD_NONDEG, f->i0, 240102, 3, 0, 1);
    /* 70: a completed apprenticeship ending 2022-03-31 (Q1 2022); 71: one
     * cancelled, one active, one "completed" without an end date: none is
     * an exit. */
    appr(f, 70, D(2018, 1, 10), D(2022, 3, 31), 472111, TL_APPR_COMPLETED);
    appr(f, 71, D(2018, 1, 10), D(2020, 1, 1), 472111, TL_APPR_CANCELLED);
    appr(f, 71, D(2021, 1, 10), TL_NO_DATE, 472111, TL_APPR_ACTIVE);
    appr(f, 71, D(2019, 1, 10), TL_NO_DATE, 472111, TL_APPR_COMPLETED);
    /* 72: an HS graduate who completes a certificate and an
     * apprenticeship: three events, in date order. */
    k12_exit(f, 72, D(2016, 6, 1), TL_EXIT_GRAD, f->s0, 2016);
    appr(f, 72, D(2017, 1, 10), D(2019, 12, 20), 472111, TL_APPR_COMPLETED);
    award(f, 72, D(2017, 12, 15), TL_AWARD_CERT, f->i0, 510801);
}

static void check_ps_exits(const fx *f)
{
    const tl_person *p = get(f, 60);
    const tl_exit_event *e;
    assert_int_equal(p->exit_n, 2);
    e = exits_of(f, p);
    assert_int_equal(e[0].kind, TL_EXITER_PS_COMPLETER);
    assert_int_equal(e[0].level, TL_AWARD_ASSOC);
    assert_int_equal(e[0].date, D(2021, 12, 15));
    assert_int_equal(e[0].exit_q, Q(2021, 4));
    assert_int_equal(e[0].inst, f->i0);
    assert_int_equal(e[0].cip, 520201);
    assert_int_equal(e[0].school, TL_NONE);
    assert_int_equal(e[1].level, TL_AWARD_BACH);
    assert_int_equal(e[1].exit_q, Q(2022, 2));

    p = get(f, 61);
    assert_int_equal(p->exit_n, 1);
    e = exits_of(f, p);
    assert_int_equal(e[0].date, D(2021, 8, 20));
    assert_int_equal(e[0].inst, f->i1);

    p = get(f, 62);
    assert_int_equal(p->exit_n, 1);
    e = exits_of(f, p);
    assert_int_equal(e[0].kind, TL_EXITER_PS_LEAVER);
    assert_int_equal(e[0].date, D(2019, 6, 30));
    assert_int_equal(e[0].exit_q, Q(2019, 2));
    assert_int_equal(e[0].level, TL_AWARD_ASSOC);
    assert_int_equal(e[0].inst, f->i0);
    assert_int_equal(e[0].cip, 520201);

    assert_int_equal(get(f, 63)->exit_n, 0);
    p = get(f, 64);
    assert_int_equal(p->exit_n, 1);
    assert_int_equal(exits_of(f, p)[0].kind, TL_EXITER_PS_LEAVER);
    assert_int_equal(exits_of(f, p)[0].date, D(2022, 12, 31));

    p = get(f, 65);
    assert_int_equal(p->exit_n, 2);
    e = exits_of(f, p);
    assert_int_equal(e[0].kind, TL_EXITER_PS_COMPLETER);
    assert_int_equal(e[0].exit_q, Q(2017, 2));
    assert_int_equal(e[1].kind, TL_EXITER_PS_LEAVER);
    assert_int_equal(e[1].exit_q, Q(2019, 2));

    p = get(f, 66);
    assert_int_equal(p->exit_n, 1);
    assert_int_equal(exits_of(f, p)[0].kind, TL_EXITER_PS_COMPLETER);
    assert_int_equal(get(f, 67)->exit_n, 0);
    assert_int_equal(get(f, 69)->exit_n, 0); /* enrolled to the end */

    p = get(f, 70);
    assert_int_equal(p->exit_n, 1);
    e = exits_of(f, p);
    assert_int_equal(e[0].kind, TL_EXITER_APPR_COMPLETER);
    assert_int_equal(e[0].exit_q, Q(2022, 1));
    assert_int_equal(e[0].soc, 472111);
    assert_int_equal(e[0].inst, TL_NONE);
    assert_int_equal(get(f, 71)->exit_n, 0);

    p = get(f, 72);
    assert_int_equal(p->exit_n, 3);
    e = exits_of(f, p);
    assert_int_equal(e[0].kind, TL_EXITER_HS_GRAD);
    assert_int_equal(e[1].kind, TL_EXITER_PS_COMPLETER);
    assert_int_equal(e[2].kind, TL_EXITER_APPR_COMPLETER);
}

/* Exits are grouped person by person, in order, each run sorted. */
static void check_exit_layout(const fx *f)
{
    const tl_person *ps = f->st->persons.data;
    const tl_exit_event *e = f->st->exits.data;
    uint32_t at = 0;
    for (size_t i = 0; i < f->st->persons.len; i++) {
        assert_int_equal(ps[i].exit_off, at);
        for (uint32_t j = 1; j < ps[i].exit_n; j++)
            assert_true(tl_exit_cmp(&e[at + j - 1], &e[at + j]) <= 0);
        at += ps[i].exit_n;
    }
    assert_int_equal(at, f->st->exits.len);
}

static void test_ps_and_appr_exits(void **state)
{
    (void)state;
    fx f;
    fx_new(&f);
    p20w_profile prof = default_profile();
    build_ps_exits(&f);
    fx_derive(&f, &prof);
    check_ps_exits(&f);
    check_exit_layout(&f);

    /* Twice gives the same events, not twice as many. */
    size_t n = f.st->exits.len;
    tl_exit_event *copy = malloc(n * sizeof *copy);
    assert_non_null(copy);
    memcpy(copy, f.st->exits.data, n * sizeof *copy);
    fx_derive(&f, &prof);
    assert_int_equal(f.st->exits.len, n);
    assert_memory_equal(copy, f.st->exits.data, n * sizeof *copy);
    free(copy);
    tl_state_free(f.st);
}

/* ---- reading helpers ---------------------------------------------------- */

static void test_wages(void **state)
{
    (void)state;
    fx f;
    fx_new(&f);
    /* 80, Q1 2020: E0 100,000 + 25,000 (two rows: summed) and E1 50,000;
     * Q2 exactly the $1.00 threshold; Q3 one cent under; Q4 a 0.00
     * correction row. */
    wage(&f, 80, Q(2020, 1), f.e1, 50000);
    wage(&f, 80, Q(2020, 1), f.e0, 100000);
    wage(&f, 80, Q(2020, 4), f.e0, 0);
    wage(&f, 80, Q(2020, 2), f.e0, 100);
    wage(&f, 80, Q(2020, 3), f.e1, 99);
    wage(&f, 80, Q(2020, 1), f.e0, 25000);
    /* 81: a tie in Q1 2021, E1's row first: the lower index (E0) wins. */
    wage(&f, 81, Q(2021, 1), f.e1, 5000);
    wage(&f, 81, Q(2021, 1), f.e0, 5000);
    assert_int_equal(tl_finish(f.st, NULL), P20W_OK);

    const tl_person *p = get(&f, 80);
    assert_int_equal(p->wage_n, 5); /* E0 and E1 in Q1, then Q2, Q3, Q4 */
    assert_int_equal(tl_quarter_wages(f.st, p, Q(2020, 1)), 175000);
    assert_int_equal(tl_quarter_wages(f.st, p, Q(2020, 2)), 100);
    assert_int_equal(tl_quarter_wages(f.st, p, Q(2020, 3)), 99);
    assert_int_equal(tl_quarter_wages(f.st, p, Q(2020, 4)), 0);
    assert_int_equal(tl_quarter_wages(f.st, p, Q(2019, 4)), 0);
    assert_int_equal(tl_quarter_wages(f.st, p, Q(2021, 1)), 0);
    int employed = -1;
    /* 175,000 + 100 + 99 + 0; employed in Q1 and Q2 (>= 100), not Q3 (99)
     * nor Q4 (0). */
    assert_int_equal(
        tl_window_wages(f.st, p, Q(2020, 1), Q(2020, 4), 100, &employed),
        175199);
    assert_int_equal(employed, 2);
    /* With no threshold a zero quarter still is not employment. */
    tl_window_wages(f.st, p, Q(2020, 1), Q(2020, 4), 0, &employed);
    assert_int_equal(employed, 3);
    assert_int_equal(tl_main_employer(f.st, p, Q(2020, 1), Q(2020, 1)), f.e0);
    /* Over Q2-Q3: E0 100 against E1 99. */
    assert_int_equal(tl_main_employer(f.st, p, Q(2020, 2), Q(2020, 3)), f.e0);
    assert_int_equal(tl_main_employer(f.st, p, Q(2020, 3), Q(2020, 4)), f.e1);
    assert_int_equal(tl_main_employer(f.st, p, Q(2021, 1), Q(2021, 4)),
                     TL_NONE);
    p = get(&f, 81);
    assert_int_equal(tl_main_employer(f.st, p, Q(2021, 1), Q(2021, 1)), f.e0);
    /* The data's extent, from the wages since no loader set it. */
    assert_int_equal(f.st->wage_q_first, Q(2020, 1));
    assert_int_equal(f.st->wage_q_last, Q(2021, 1));
    tl_state_free(f.st);
}

static void test_enrolment_quarters(void **state)
{
    (void)state;
    fx f;
    fx_new(&f);
    enrol(&f, 90, 2021, 11, f.s0, 0, 'F', TL_RACE_WH); /* 2020-21 */
    term(&f, 91, 2020, TL_TERM_FA, TL_AWARD_BACH, f.i0, 520201, 12, 0, 0);
    term(&f, 91, 2021, TL_TERM_SU, TL_AWARD_BACH, f.i0, 520201, 3, 0, 0);
    term(&f, 92, 2021, TL_TERM_SP, TL_AWARD_NONDEG, f.i0, 240102, 3, 0, 1);
    appr(&f, 93, D(2018, 1, 10), D(2022, 3, 31), 472111, TL_APPR_COMPLETED);
    appr(&f, 94, D(2021, 5, 1), TL_NO_DATE, 472111, TL_APPR_ACTIVE);
    assert_int_equal(tl_finish(f.st, NULL), P20W_OK);

    /* School year 2021 runs Q3 2020 - Q2 2021. */
    static const struct {
        int32_t q;
        int k12, ps91, ps92_dual, ps92_nodual;
    } rows[] = {
        {Q(2020, 2), 0, 0, 0, 0}, {Q(2020, 3), 1, 1, 0, 0},
        {Q(2020, 4), 1, 1, 0, 0}, {Q(2021, 1), 1, 0, 1, 0},
        {Q(2021, 2), 1, 1, 1, 0}, {Q(2021, 3), 0, 1, 0, 0},
        {Q(2021, 4), 0, 0, 0, 0},
    };
    const tl_person *p90 = get(&f, 90), *p91 = get(&f, 91), *p92 = get(&f, 92);
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        if (tl_enrolled_k12(f.st, p90, rows[i].q) != rows[i].k12 ||
            tl_enrolled_ps(f.st, p91, rows[i].q, 0) != rows[i].ps91 ||
            tl_enrolled_ps(f.st, p92, rows[i].q, 1) != rows[i].ps92_dual ||
            tl_enrolled_ps(f.st, p92, rows[i].q, 0) != rows[i].ps92_nodual)
            fail_msg("row %zu (quarter %d) differs", i, rows[i].q);
    }
    /* FA = Q3-Q4, SP = Q1-Q2, SU = Q2-Q3 of the term's year. */
    const tl_term *t = (const tl_term *)f.st->terms.data + p91->term_off;
    assert_int_equal(t[0].q_first, Q(2020, 3));
    assert_int_equal(t[0].q_last, Q(2020, 4));
    assert_int_equal(t[1].q_first, Q(2021, 2));
    assert_int_equal(t[1].q_last, Q(2021, 3));
    const tl_person *p93 = get(&f, 93), *p94 = get(&f, 94);
    assert_int_equal(tl_in_apprenticeship(f.st, p93, Q(2017, 4)), 0);
    assert_int_equal(tl_in_apprenticeship(f.st, p93, Q(2018, 1)), 1);
    assert_int_equal(tl_in_apprenticeship(f.st, p93, Q(2022, 1)), 1);
    assert_int_equal(tl_in_apprenticeship(f.st, p93, Q(2022, 2)), 0);
    assert_int_equal(tl_in_apprenticeship(f.st, p94, Q(2021, 1)), 0);
    assert_int_equal(tl_in_apprenticeship(f.st, p94, Q(2030, 1)), 1);
    tl_state_free(f.st);
}

static void test_codes(void **state)
{
    (void)state;
    static const struct {
        const char *s;
        int32_t cip, soc;
    } rows[] = {
        {"51.0801", 510801, -1}, {"47-2111", -1, 472111},
        {"01.0000", 10000, -1},  {"51.080", -1, -1},
        {"51.08011", -1, -1},    {"510801", -1, -1},
        {"5a.0801", -1, -1},     {"", -1, -1},
        {"47.2111", 472111, -1}, {"47-21111", -1, -1},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        if (tl_cip_parse(rows[i].s) != rows[i].cip ||
            tl_soc_parse(rows[i].s) != rows[i].soc)
            fail_msg("'%s' misparsed", rows[i].s);
    }
    assert_int_equal(tl_cip_parse(NULL), -1);
}

/* ---- misuse and allocation failure -------------------------------------- */

static void test_usage(void **state)
{
    (void)state;
    fx f;
    fx_new(&f);
    p20w_profile prof = default_profile();
    p20w_err err;
    tl_wage w = {Q(2020, 1), 0, 100};
    int32_t idx;
    memset(&err, 0, sizeof err);
    wage(&f, 1, Q(2020, 1), f.e0, 100);
    assert_int_equal(derive_rules(f.st, &prof, &err), P20W_EUSAGE);
    assert_int_equal(tl_add_wage(f.st, 7, &w), P20W_EINVAL); /* no person 7 */
    assert_int_equal(tl_add_school(f.st, "S0", "again", 0, 0, 0, &idx),
                     P20W_EINVAL);
    assert_int_equal(tl_finish(f.st, &err), P20W_OK);
    assert_true(tl_is_finished(f.st));
    assert_int_equal(tl_finish(f.st, &err), P20W_EUSAGE);
    assert_int_equal(tl_add_wage(f.st, 0, &w), P20W_EUSAGE);
    assert_int_equal(tl_person_get(f.st, 2, &idx), P20W_EUSAGE);
    assert_int_equal(tl_reserve_wages(f.st, 10), P20W_EUSAGE);
    assert_int_equal(tl_person_find(f.st, 1), 0);
    assert_int_equal(tl_person_find(f.st, 2), TL_NONE);
    tl_state_free(f.st);
    tl_state_free(NULL);
}

/* A state whose fact arrays are empty (NULL data): the readers and the
 * rules must not even form data + 0 (undefined; clang's UBSan says so). */
static void test_empty_arrays(void **state)
{
    (void)state;
    fx f;
    fx_new(&f);
    p20w_profile prof = default_profile();
    tl_assess a = {2020, TL_SUBJ_MATH, 1};
    assert_int_equal(tl_add_assess(f.st, person(&f, 5), &a), P20W_OK);
    fx_derive(&f, &prof);
    const tl_person *p = get(&f, 5);
    int employed = -1;
    assert_int_equal(tl_quarter_wages(f.st, p, Q(2020, 1)), 0);
    assert_int_equal(tl_window_wages(f.st, p, 0, INT32_MAX, 0, &employed), 0);
    assert_int_equal(employed, 0);
    assert_int_equal(tl_main_employer(f.st, p, 0, INT32_MAX), TL_NONE);
    assert_int_equal(tl_enrolled_ps(f.st, p, Q(2020, 1), 1), 0);
    assert_int_equal(tl_enrolled_k12(f.st, p, Q(2020, 1)), 0);
    assert_int_equal(tl_in_apprenticeship(f.st, p, Q(2020, 1)), 0);
    assert_null(tl_run(&f.st->wages, 0));
    assert_int_equal(p->assess_n, 1);
    assert_int_equal(p->exit_n, 0);
    assert_int_equal(p->cohort_year, 0);
    assert_int_equal(f.st->exits.len, 0);
    assert_int_equal(f.st->wage_q_first, TL_NONE);
    assert_int_equal(f.st->wage_q_last, TL_NONE);
    tl_state_free(f.st);
}

/* Every allocation of derive_rules may fail: ENOMEM, no exit event left
 * behind; the first run that does not fail gives the hand-worked values. */
static void test_rules_alloc_failures(void **state)
{
    (void)state;
    fx f;
    p20w_profile prof = default_profile();
    int failures = 0;
    fx_new(&f);
    build_ps_exits(&f);
    cte(&f, 25, 2019, f.p0, 1);
    cte(&f, 25, 2020, f.p0, 1);
    term(&f, 50, 2019, TL_TERM_FA, TL_AWARD_CERT, f.i0, 510801, 12, 1, 0);
    assert_int_equal(tl_finish(f.st, NULL), P20W_OK);
    for (long n = 0;; n++) {
        p20w_mem_fail_after(n);
        p20w_status rc = derive_rules(f.st, &prof, NULL);
        int failed = p20w_mem_failed();
        p20w_mem_fail_reset();
        if (!failed) {
            assert_int_equal(rc, P20W_OK);
            break;
        }
        failures++;
        assert_int_equal(rc, P20W_ENOMEM);
        assert_int_equal(f.st->exits.len, 0);
        for (size_t i = 0; i < f.st->persons.len; i++)
            assert_int_equal(((tl_person *)f.st->persons.data)[i].exit_n, 0);
    }
    assert_true(failures >= 3);
    check_ps_exits(&f);
    check_exit_layout(&f);
    assert_int_equal(get(&f, 25)->conc_program, f.p0);
    assert_int_equal(get(&f, 50)->ps_concentrator, 1);
    tl_state_free(f.st);
}

/* Builds a state with every kind of row and finishes it; the first
 * failing call's status. */
static p20w_status build_all(tl_state **out)
{
    tl_state *st = NULL;
    int32_t r, c, d, s, in, e, pr, p;
    p20w_status rc = tl_state_new(&st, NULL);
    *out = st;
    if (rc)
        return rc;
    if ((rc = tl_add_region(st, "CZ 9", &r)) ||
        (rc = tl_add_county(st, "21001", r, 1, &c)) ||
        (rc = tl_add_district(st, "D", "District", &d)) ||
        (rc = tl_add_school(st, "S", "School", d, c, 1, &s)) ||
        (rc = tl_add_institution(st, "I", "Inst", "PUB2", c, &in)) ||
        (rc = tl_add_employer(st, "E", "722511", c, &e)) ||
        (rc = tl_add_program(st, "P", TL_CL_AG, &pr)) ||
        (rc = tl_reserve_wages(st, 3)))
        return rc;
    for (int64_t id = 5; id > 0; id--) {
        tl_enrol en = {2020, 9, 0, 'F', TL_RACE_WH, s};
        tl_k12_exit x = {date_from_ymd(2023, 6, 1), s, 2023, TL_EXIT_GRAD};
        tl_cte ct = {2021, TL_CL_AG, 1, s, pr, 1.0f};
        tl_assess as = {2021, TL_SUBJ_ELA, 1};
        tl_wbl wb = {2022, TL_WBL_COOP, 1, 100};
        tl_cred cr = {date_from_ymd(2022, 5, 1)};
        tl_term t;
        tl_award_row aw = {date_from_ymd(2025, 5, 1), in, 510801,
                           TL_AWARD_CERT};
        tl_appr ap = {date_from_ymd(2024, 1, 1), TL_NO_DATE, 472111,
                      TL_APPR_ACTIVE};
        tl_wage w = {Q(2024, 1), e, 1000 * id};
        memset(&t, 0, sizeof t);
        t.year = 2023, t.kind = TL_TERM_FA, t.level = TL_AWARD_CERT;
        t.inst = in, t.cip = 510801, t.credits_earned = 12, t.cte = 1;
        if ((rc = tl_person_get(st, id * 10, &p)) ||
            (rc = tl_add_enrol(st, p, &en)) ||
            (rc = tl_add_k12_exit(st, p, &x)) ||
            (rc = tl_add_cte(st, p, &ct)) || (rc = tl_add_cte(st, p, &ct)) ||
            (rc = tl_add_assess(st, p, &as)) || (rc = tl_add_wbl(st, p, &wb)) ||
            (rc = tl_add_cred(st, p, &cr)) || (rc = tl_add_term(st, p, &t)) ||
            (rc = tl_add_award(st, p, &aw)) || (rc = tl_add_appr(st, p, &ap)) ||
            (rc = tl_add_wage(st, p, &w)) || (rc = tl_add_wage(st, p, &w)))
            return rc;
    }
    return tl_finish(st, NULL);
}

/* The builder and tl_finish under allocation failure: every failure is
 * ENOMEM; a failed tl_finish either left the state as it was (a retry
 * succeeds) or broken (every later call is EUSAGE), never half-usable. */
static void test_build_alloc_failures(void **state)
{
    (void)state;
    int failures = 0;
    for (long n = 0;; n++) {
        tl_state *st = NULL;
        p20w_mem_fail_after(n);
        p20w_status rc = build_all(&st);
        int failed = p20w_mem_failed();
        p20w_mem_fail_reset();
        if (!failed) {
            assert_int_equal(rc, P20W_OK);
            assert_int_equal(st->persons.len, 5);
            /* two identical wage rows per person, summed: 2 * 1000 * id */
            const tl_person *p = (const tl_person *)st->persons.data + 4;
            assert_int_equal(p->p20w_id, 50);
            assert_int_equal(tl_quarter_wages(st, p, Q(2024, 1)), 10000);
            assert_int_equal(p->cte_n, 2);
            tl_state_free(st);
            break;
        }
        failures++;
        assert_int_equal(rc, P20W_ENOMEM);
        if (st && !tl_is_finished(st) && st->persons.len == 5 &&
            st->wages.len == 10) {
            /* tl_finish itself failed */
            p20w_status again = tl_finish(st, NULL);
            if (again == P20W_OK) {
                const tl_person *p = (const tl_person *)st->persons.data;
                assert_int_equal(p->p20w_id, 10);
                assert_int_equal(tl_quarter_wages(st, p, Q(2024, 1)), 2000);
            } else {
                int32_t idx;
                assert_int_equal(again, P20W_EUSAGE);
                assert_int_equal(tl_person_get(st, 99, &idx), P20W_EUSAGE);
            }
        }
        tl_state_free(st);
    }
    assert_true(failures > 20);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cohort_and_hs_exit),
        cmocka_unit_test(test_cte_concentrators),
        cmocka_unit_test(test_wbl_credentials_dual),
        cmocka_unit_test(test_demographics_and_place),
        cmocka_unit_test(test_ps_concentrators),
        cmocka_unit_test(test_ps_and_appr_exits),
        cmocka_unit_test(test_wages),
        cmocka_unit_test(test_enrolment_quarters),
        cmocka_unit_test(test_codes),
        cmocka_unit_test(test_usage),
        cmocka_unit_test(test_empty_arrays),
        cmocka_unit_test(test_rules_alloc_failures),
        cmocka_unit_test(test_build_alloc_failures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
