/*
 * test_indicators.c — the indicator catalog and every emitter of
 * src/measure on tiny hand-built timelines, each expected value worked
 * out by hand in the comments.
 *
 * Until derive_rules() exists on this branch, the tests set the
 * designations (sex, cohort, concentrators, exits ...) themselves, as
 * timeline.h says derive_rules() fills them. Wage data covers 2015Q1 ..
 * 2024Q4 unless a test says otherwise; the default profile is the spec's
 * (employed: >= $1.00 in the quarter; attached: >= $15,080 and >= 3
 * employed quarters; employed in a year: >= 1 quarter).
 */
#include "testutil.h"

#include <math.h>
#include <unistd.h>

#include "derive/timeline.h"
#include "measure/measure.h"
#include "util/date.h"
#include "util/mem.h"

/* ---- the collecting sink ----------------------------------------------- */

typedef struct coll {
    measure_unit *u;
    size_t n, cap;
    long fail_at; /* refuse the unit with this index (-1: never) */
} coll;

static p20w_status coll_fn(void *ctx, const measure_unit *u)
{
    coll *c = ctx;
    if (c->fail_at >= 0 && (long)c->n == c->fail_at)
        return P20W_ELIMIT;
    if (c->n == c->cap) {
        size_t cap = c->cap ? 2 * c->cap : 64;
        measure_unit *nu = realloc(c->u, cap * sizeof *nu);
        if (!nu)
            return P20W_ENOMEM;
        c->u = nu;
        c->cap = cap;
    }
    c->u[c->n++] = *u;
    return P20W_OK;
}

static void coll_reset(coll *c)
{
    free(c->u);
    memset(c, 0, sizeof *c);
    c->fail_at = -1;
}

/* Runs indicator id into c (emptied first) and asserts success. */
static void run(const char *id, const tl_state *st, const p20w_profile *prof,
                const measure_refs *refs, coll *c)
{
    const measure_indicator *ind = measure_find(id);
    measure_sink sink = {coll_fn, c, refs};
    p20w_err err = {0};
    p20w_status rc;
    assert_non_null(ind);
    coll_reset(c);
    rc = ind->emit(id, st, prof, &sink, &err);
    if (rc != P20W_OK)
        fprintf(stderr, "%s: %s\n", id, err.msg);
    assert_int_equal(rc, P20W_OK);
}

/* Units of `year`: how many, and how many in the numerator. */
static void rate_of(const coll *c, int year, long *num, long *den)
{
    *num = *den = 0;
    for (size_t i = 0; i < c->n; i++)
        if (c->u[i].year == year) {
            (*den)++;
            *num += c->u[i].in_numerator;
        }
}

static void assert_rate(const coll *c, int year, long num, long den)
{
    long n, d;
    rate_of(c, year, &n, &d);
    if (n != num || d != den)
        fprintf(stderr, "year %d: %ld/%ld, expected %ld/%ld\n", year, n, d, num,
                den);
    assert_int_equal(d, den);
    assert_int_equal(n, num);
}

/* Units of `year` whose dim d equals v. */
static long count_dim(const coll *c, int year, int d, int32_t v)
{
    long n = 0;
    for (size_t i = 0; i < c->n; i++)
        n += c->u[i].year == year && c->u[i].dim[d] == v;
    return n;
}

/* Units of `year` in category cat. */
static long count_cat(const coll *c, int year, int32_t cat)
{
    long n = 0;
    for (size_t i = 0; i < c->n; i++)
        n += c->u[i].year == year && c->u[i].category == cat;
    return n;
}

/* The one unit of `year` whose person dim... identified by value. */
static const measure_unit *unit_with_value(const coll *c, int year, double v)
{
    for (size_t i = 0; i < c->n; i++)
        if (c->u[i].year == year && fabs(c->u[i].value - v) < 1e-9)
            return &c->u[i];
    return NULL;
}

/* ---- the fixture ------------------------------------------------------- */

typedef struct fx {
    tl_state *st;
    p20w_profile prof;
    int32_t rn, rs;         /* regions North, South */
    int32_t ca, cb, cc;     /* counties A, B (North), C (South) */
    int32_t dist;           /* one district */
    int32_t sa, sb;         /* School A (county A, city), B (C, rural) */
    int32_t ia, ib;         /* College A (county A), B (county C) */
    int32_t ef, em, eh, eu; /* employers: food (72, A), manufacturing (31,
                               C), health (62, B), unknown (no NAICS, no
                               county) */
    int32_t pw, pn;         /* programs of study: welding (MN), nursing
                               (HS) */
} fx;

static int32_t Q(int y, int n)
{
    return 4 * y + n - 1;
}

static int32_t D(int y, int m, int d)
{
    return date_from_ymd(y, m, d);
}

static void default_profile(p20w_profile *p)
{
    memset(p, 0, sizeof *p);
    snprintf(p->name, sizeof p->name, "default");
    p->min_quarter_cents = 100;
    p->attach_annual_cents = 1508000;
    p->attach_quarters = 3;
    p->employed_year_quarters = 1;
    p->employed_year_cents = 0;
    p->concentrator_courses = 2;
    p->ps_concentrator_credits = 12;
    p->nontrad_f =
        1u << TL_CL_AC | 1u << TL_CL_MN | 1u << TL_CL_TD | 1u << TL_CL_ST;
    p->nontrad_m = 1u << TL_CL_ED | 1u << TL_CL_HS | 1u << TL_CL_HU;
    p->min_n = 10;
    p->protect_pct = 0.5;
    p->min_n_percentile = 30;
    p->pool_years = 3;
}

static void fx_init(fx *f)
{
    tl_state *st;
    memset(f, 0, sizeof *f);
    assert_int_equal(tl_state_new(&f->st, NULL), P20W_OK);
    st = f->st;
    assert_int_equal(tl_add_region(st, "North", &f->rn), P20W_OK);
    assert_int_equal(tl_add_region(st, "South", &f->rs), P20W_OK);
    assert_int_equal(tl_add_county(st, "21001", f->rn, 0, &f->ca), P20W_OK);
    assert_int_equal(tl_add_county(st, "21003", f->rn, 1, &f->cb), P20W_OK);
    assert_int_equal(tl_add_county(st, "21005", f->rs, 1, &f->cc), P20W_OK);
    assert_int_equal(tl_add_district(st, "D1", "District 1", &f->dist),
                     P20W_OK);
    assert_int_equal(tl_add_school(st, "SA", "School A", f->dist, f->ca,
                                   TL_LOCALE_CITY, &f->sa),
                     P20W_OK);
    assert_int_equal(tl_add_school(st, "SB", "School B", f->dist, f->cc,
                                   TL_LOCALE_RURAL, &f->sb),
                     P20W_OK);
    assert_int_equal(
        tl_add_institution(st, "100001", "College A", "PUB2", f->ca, &f->ia),
        P20W_OK);
    assert_int_equal(
        tl_add_institution(st, "100002", "College B", "PUB4", f->cc, &f->ib),
        P20W_OK);
    assert_int_equal(tl_add_employer(st, "EF", "722511", f->ca, &f->ef),
                     P20W_OK);
    assert_int_equal(tl_add_employer(st, "EM", "311111", f->cc, &f->em),
                     P20W_OK);
    assert_int_equal(tl_add_employer(st, "EH", "621111", f->cb, &f->eh),
                     P20W_OK);
    assert_int_equal(tl_add_employer(st, "EU", NULL, TL_NONE, &f->eu), P20W_OK);
    assert_int_equal(tl_add_program(st, "WELD", TL_CL_MN, &f->pw), P20W_OK);
    assert_int_equal(tl_add_program(st, "NURSE", TL_CL_HS, &f->pn), P20W_OK);
    st->wage_q_first = Q(2015, 1);
    st->wage_q_last = Q(2024, 4);
    default_profile(&f->prof);
}

static void fx_free(fx *f)
{
    tl_state_free(f->st);
}

/* Before tl_finish(): a person and its facts (by pre-finish index). */
static int32_t fx_person(fx *f, int64_t id)
{
    int32_t idx;
    assert_int_equal(tl_person_get(f->st, id, &idx), P20W_OK);
    return idx;
}

static void fx_wage(fx *f, int32_t pi, int32_t q, int32_t emp, int64_t cents)
{
    tl_wage w = {.q = q, .employer = emp, .cents = cents};
    assert_int_equal(tl_add_wage(f->st, pi, &w), P20W_OK);
}

static void fx_term(fx *f, int32_t pi, int year, int kind, int level,
                    int32_t inst, int32_t cip, int dual)
{
    tl_term t = {0};
    t.year = (int16_t)year;
    t.kind = (uint8_t)kind;
    t.level = (uint8_t)level;
    t.inst = inst;
    t.cip = cip;
    t.dual = (uint8_t)dual;
    t.credits_attempted = 12;
    t.credits_earned = 12;
    assert_int_equal(tl_add_term(f->st, pi, &t), P20W_OK);
}

static void fx_award(fx *f, int32_t pi, int32_t date, int32_t inst, int32_t cip,
                     int level)
{
    tl_award_row a = {
        .date = date, .inst = inst, .cip = cip, .level = (uint8_t)level};
    assert_int_equal(tl_add_award(f->st, pi, &a), P20W_OK);
}

static void fx_appr(fx *f, int32_t pi, int32_t start, int32_t end)
{
    tl_appr a = {.start_date = start,
                 .end_date = end,
                 .soc = 472111,
                 .status =
                     end == TL_NO_DATE ? TL_APPR_ACTIVE : TL_APPR_COMPLETED};
    assert_int_equal(tl_add_appr(f->st, pi, &a), P20W_OK);
}

static void fx_enrol(fx *f, int32_t pi, int sy, int grade, int32_t school)
{
    tl_enrol e = {
        .school_year = (int16_t)sy, .grade = (int8_t)grade, .school = school};
    assert_int_equal(tl_add_enrol(f->st, pi, &e), P20W_OK);
}

static void fx_assess(fx *f, int32_t pi, int sy, int subject, int proficient)
{
    tl_assess a = {.school_year = (int16_t)sy,
                   .subject = (uint8_t)subject,
                   .proficient = (uint8_t)proficient};
    assert_int_equal(tl_add_assess(f->st, pi, &a), P20W_OK);
}

static void fx_cte(fx *f, int32_t pi, int sy, int32_t program, int completed)
{
    tl_cte c = {.school_year = (int16_t)sy,
                .program = program,
                .completed = (uint8_t)completed,
                .credits = 1};
    c.cluster = ((const tl_program *)f->st->programs.data)[program].cluster;
    assert_int_equal(tl_add_cte(f->st, pi, &c), P20W_OK);
}

static void fx_finish(fx *f)
{
    assert_int_equal(tl_finish(f->st, NULL), P20W_OK);
}

/* After tl_finish(): the person with this id, to set designations. */
static tl_person *P(fx *f, int64_t id)
{
    int32_t i = tl_person_find(f->st, id);
    assert_true(i >= 0);
    return (tl_person *)f->st->persons.data + i;
}

/* Appends an exit event of person id (a person's events must be added
 * one after the other, as derive_rules() writes them). HS exits take
 * `place` as the exit school and the person's concentrator program; PS
 * exits take it as the institution. */
static void fx_exit(fx *f, int64_t id, int kind, int32_t date, int32_t place,
                    int32_t cip, int level)
{
    tl_person *p = P(f, id);
    tl_exit_event e;
    memset(&e, 0, sizeof e);
    e.kind = (uint8_t)kind;
    e.level = (uint8_t)level;
    e.date = date;
    e.exit_q = date_quarter_idx(date);
    e.school = e.inst = e.program = TL_NONE;
    e.cip = TL_NONE;
    e.soc = TL_NONE;
    if (kind == TL_EXITER_HS_GRAD || kind == TL_EXITER_HS_NONCOMPLETER ||
        kind == TL_EXITER_HS_HSE) {
        e.school = place;
        e.program = p->cte_concentrator ? p->conc_program : TL_NONE;
    } else if (kind == TL_EXITER_PS_COMPLETER || kind == TL_EXITER_PS_LEAVER) {
        e.inst = place;
        e.cip = cip;
    } else {
        e.soc = 472111;
    }
    if (p->exit_n == 0)
        p->exit_off = (uint32_t)f->st->exits.len;
    else
        assert_int_equal(p->exit_off + p->exit_n, f->st->exits.len);
    assert_int_equal(vec_push(&f->st->exits, &e), P20W_OK);
    p->exit_n++;
}

/* The K-12 designations of derive_rules() for one exit row, and the exit
 * event when the exit type is one. */
static void fx_hs(fx *f, int64_t id, int type, int32_t date, int32_t school,
                  int cohort, int on_time)
{
    tl_person *p = P(f, id);
    p->hs_exit_type = (uint8_t)type;
    p->hs_exit_date = date;
    p->hs_exit_q = date_quarter_idx(date);
    p->hs_exit_school = school;
    p->last_school = school;
    p->cohort_year = (int16_t)cohort;
    p->in_cohort =
        cohort > 0 && type != TL_EXIT_TRANSFER_OUT && type != TL_EXIT_DECEASED;
    p->grad_on_time = (uint8_t)on_time;
    if (p->home_county == TL_NONE)
        p->home_county =
            ((const tl_school *)f->st->schools.data)[school].county;
    if (type == TL_EXIT_GRAD || type == TL_EXIT_GRAD_ALT)
        fx_exit(f, id, TL_EXITER_HS_GRAD, date, school, 0, 0);
    else if (type == TL_EXIT_DROPOUT)
        fx_exit(f, id, TL_EXITER_HS_NONCOMPLETER, date, school, 0, 0);
    else if (type == TL_EXIT_HSE)
        fx_exit(f, id, TL_EXITER_HS_HSE, date, school, 0, 0);
}

static void fx_sex(fx *f, int64_t id, char sex, int race)
{
    tl_person *p = P(f, id);
    p->sex = sex;
    p->race = (uint8_t)race;
}

static void fx_conc(fx *f, int64_t id, int32_t program)
{
    tl_person *p = P(f, id);
    p->cte_participant = 1;
    p->cte_concentrator = 1;
    p->conc_program = program;
}

/* A postsecondary concentrator of (inst, cip) over [first_q, last_q]. */
static void fx_psconc(fx *f, int64_t id, int32_t inst, int32_t cip,
                      int32_t first_q, int32_t last_q)
{
    tl_person *p = P(f, id);
    p->ps_any = 1;
    p->ps_concentrator = 1;
    p->ps_conc_inst = inst;
    p->ps_conc_cip = cip;
    p->ps_conc_first_q = first_q;
    p->ps_conc_last_q = last_q;
}

#define CIP_RN 513801     /* 51.3801 Registered Nursing (health, HS) */
#define CIP_ELEC 460302   /* 46.0302 Electrician (construction, AC) */
#define CIP_AUTO 470604   /* 47.0604 Automobile mechanics (TD) */
#define CIP_LIBART 240101 /* 24.0101 Liberal arts: no cluster */

/* Reruns id refusing its last unit: the emitter must stop with the
 * sink's status and name the indicator. */
static void check_refusal(const char *id, const tl_state *st,
                          const p20w_profile *prof, const measure_refs *refs)
{
    coll c = {0};
    const measure_indicator *ind = measure_find(id);
    measure_sink sink = {coll_fn, &c, refs};
    p20w_err err = {0};
    size_t n;
    run(id, st, prof, refs, &c);
    n = c.n;
    assert_true(n > 0);
    coll_reset(&c);
    c.fail_at = (long)n - 1;
    assert_int_equal(ind->emit(id, st, prof, &sink, &err), P20W_ELIMIT);
    assert_non_null(strstr(err.msg, id));
    coll_reset(&c);
}

/* Units of `year` with dim d = v: numerator and denominator. */
static void rate_dim(const coll *c, int year, int d, int32_t v, long *num,
                     long *den)
{
    *num = *den = 0;
    for (size_t i = 0; i < c->n; i++)
        if (c->u[i].year == year && c->u[i].dim[d] == v) {
            (*den)++;
            *num += c->u[i].in_numerator;
        }
}

/* ---- HS_GRAD4, P5_1S1 -------------------------------------------------- */

/*
 * Cohort 2020 (K-12 data reaches school year 2021):
 *   1 F  GRAD 2020-06-01 on time, concentrator (welding)     -> grad
 *   2 M  GRAD 2020-12-15, after 31 Aug: not on time          -> not
 *   3 M  DROPOUT 2019, concentrator (welding)                -> not
 *   4    TRANSFER_OUT: leaves the cohort                     -> out
 *   6 F  HSE 2020-05-01 at School B: not a graduation        -> not
 *   7    DECEASED: leaves the cohort                         -> out
 * Cohort 2021: 8 GRAD 2021-05-30 on time at School B         -> grad
 * Cohort 2022: 5, still enrolled: the K-12 data ends in 2021 -> out
 * HS_GRAD4 2020 = 1/4 (1 of 1, 2, 3, 6); 2021 = 1/1; no 2022 unit.
 * P5_1S1 2020 = 1/2 (1 of 1, 3).
 */
static void build_cohort(fx *f)
{
    fx_init(f);
    for (int64_t id = 1; id <= 8; id++)
        fx_enrol(f, fx_person(f, id), 2020, 12, f->sa);
    fx_enrol(f, fx_person(f, 5), 2021, 11, f->sb);
    fx_finish(f);
    fx_sex(f, 1, 'F', TL_RACE_HI);
    P(f, 1)->flags = TL_F_ECON;
    fx_sex(f, 2, 'M', TL_RACE_WH);
    fx_sex(f, 3, 'M', TL_RACE_BL);
    fx_sex(f, 6, 'F', TL_RACE_WH);
    fx_conc(f, 1, f->pw);
    fx_conc(f, 3, f->pw);
    fx_hs(f, 1, TL_EXIT_GRAD, D(2020, 6, 1), f->sa, 2020, 1);
    fx_hs(f, 2, TL_EXIT_GRAD, D(2020, 12, 15), f->sa, 2020, 0);
    fx_hs(f, 3, TL_EXIT_DROPOUT, D(2019, 3, 1), f->sa, 2020, 0);
    fx_hs(f, 4, TL_EXIT_TRANSFER_OUT, D(2019, 9, 1), f->sa, 2020, 0);
    fx_hs(f, 6, TL_EXIT_HSE, D(2020, 5, 1), f->sb, 2020, 0);
    fx_hs(f, 7, TL_EXIT_DECEASED, D(2019, 2, 1), f->sa, 2020, 0);
    fx_hs(f, 8, TL_EXIT_GRAD, D(2021, 5, 30), f->sb, 2021, 1);
    P(f, 5)->cohort_year = 2022;
    P(f, 5)->in_cohort = 1;
    P(f, 5)->last_school = f->sb;
}

static void test_hs_grad4(void **state)
{
    fx f;
    coll c = {0};
    const measure_unit *u = NULL;
    (void)state;
    build_cohort(&f);
    run("HS_GRAD4", f.st, &f.prof, NULL, &c);
    assert_rate(&c, 2020, 1, 4);
    assert_rate(&c, 2021, 1, 1);
    assert_rate(&c, 2022, 0, 0);
    assert_int_equal(c.n, 5);
    /* the graduate's unit: places of the exit school, person dims */
    for (size_t i = 0; i < c.n; i++)
        if (c.u[i].year == 2020 && c.u[i].in_numerator)
            u = &c.u[i];
    assert_non_null(u);
    assert_int_equal(u->dim[MD_SCHOOL], f.sa);
    assert_int_equal(u->dim[MD_DISTRICT], f.dist);
    assert_int_equal(u->dim[MD_COUNTY], f.ca);
    assert_int_equal(u->dim[MD_REGION], f.rn);
    assert_int_equal(u->dim[MD_LOCALE], TL_LOCALE_CITY);
    assert_int_equal(u->dim[MD_SEX], 'F');
    assert_int_equal(u->dim[MD_RACE], TL_RACE_HI);
    assert_int_equal(u->dim[MD_ECON], 1);
    assert_int_equal(u->dim[MD_EL], 0);
    /* the HSE holder counts at School B, in the South */
    assert_int_equal(count_dim(&c, 2020, MD_SCHOOL, f.sb), 1);
    assert_int_equal(count_dim(&c, 2020, MD_REGION, f.rs), 1);
    assert_int_equal(count_dim(&c, 2020, MD_LOCALE, TL_LOCALE_RURAL), 1);
    check_refusal("HS_GRAD4", f.st, &f.prof, NULL);
    /* a transfer whose in_cohort flag is set all the same still leaves */
    P(&f, 4)->in_cohort = 1;
    run("HS_GRAD4", f.st, &f.prof, NULL, &c);
    assert_rate(&c, 2020, 1, 4);
    coll_reset(&c);
    fx_free(&f);
}

static void test_p5_1s1(void **state)
{
    fx f;
    coll c = {0};
    (void)state;
    build_cohort(&f);
    run("P5_1S1", f.st, &f.prof, NULL, &c);
    assert_rate(&c, 2020, 1, 2);
    assert_int_equal(c.n, 2);
    /* both in welding (MN): non-traditional for 1 (F), not for 3 (M) */
    assert_int_equal(count_dim(&c, 2020, MD_PROGRAM, f.pw), 2);
    assert_int_equal(count_dim(&c, 2020, MD_CLUSTER, TL_CL_MN), 2);
    assert_int_equal(count_dim(&c, 2020, MD_NONTRAD, 1), 1);
    assert_int_equal(count_dim(&c, 2020, MD_NONTRAD, 0), 1);
    check_refusal("P5_1S1", f.st, &f.prof, NULL);
    coll_reset(&c);
    fx_free(&f);
}

/* ---- P5_2S1/2/3 -------------------------------------------------------- */

/*
 * 1 (concentrator): 2019 at School A: ELA proficient, MATH not;
 *                   2020 at School B: ELA twice, not then proficient.
 * 3 (concentrator): 2019 at School A: ELA not, SCI proficient.
 * 2 (not a concentrator): 2019 ELA proficient -> outside.
 * ELA 2019 = 1/2, 2020 = 1/1 (any of the year's tests) at School B;
 * MATH 2019 = 0/1; SCI 2019 = 1/1.
 */
static void test_p5_2s(void **state)
{
    fx f;
    coll c = {0};
    int32_t p1, p2, p3;
    (void)state;
    fx_init(&f);
    p1 = fx_person(&f, 1);
    p2 = fx_person(&f, 2);
    p3 = fx_person(&f, 3);
    fx_enrol(&f, p1, 2019, 11, f.sa);
    fx_enrol(&f, p1, 2020, 12, f.sb);
    fx_enrol(&f, p3, 2019, 11, f.sa);
    fx_assess(&f, p1, 2019, TL_SUBJ_ELA, 1);
    fx_assess(&f, p1, 2019, TL_SUBJ_MATH, 0);
    fx_assess(&f, p1, 2020, TL_SUBJ_ELA, 0);
    fx_assess(&f, p1, 2020, TL_SUBJ_ELA, 1);
    fx_assess(&f, p3, 2019, TL_SUBJ_ELA, 0);
    fx_assess(&f, p3, 2019, TL_SUBJ_SCI, 1);
    fx_assess(&f, p2, 2019, TL_SUBJ_ELA, 1);
    fx_finish(&f);
    fx_conc(&f, 1, f.pw);
    fx_conc(&f, 3, f.pn);
    run("P5_2S1", f.st, &f.prof, NULL, &c);
    assert_rate(&c, 2019, 1, 2);
    assert_rate(&c, 2020, 1, 1);
    assert_int_equal(c.n, 3);
    assert_int_equal(count_dim(&c, 2020, MD_SCHOOL, f.sb), 1);
    assert_int_equal(count_dim(&c, 2019, MD_SUBJECT, TL_SUBJ_ELA), 2);
    assert_int_equal(count_dim(&c, 2019, MD_PROGRAM, f.pn), 1);
    run("P5_2S2", f.st, &f.prof, NULL, &c);
    assert_rate(&c, 2019, 0, 1);
    assert_int_equal(c.n, 1);
    run("P5_2S3", f.st, &f.prof, NULL, &c);
    assert_rate(&c, 2019, 1, 1);
    assert_int_equal(c.n, 1);
    assert_int_equal(c.u[0].dim[MD_SUBJECT], TL_SUBJ_SCI);
    check_refusal("P5_2S1", f.st, &f.prof, NULL);
    coll_reset(&c);
    fx_free(&f);
}

/* ---- P5_3S1 ------------------------------------------------------------ */

/*
 * Concentrators (wage data to 2024Q4):
 *  11 DROPOUT 2019-11-20 (Q4): Q2 after = 2020Q2 (next year), wages
 *     exactly $1.00 there (and $500 in 2020Q1, irrelevant)     -> yes
 *  12 GRAD 2020-06-01 (Q2): Q2 after = 2020Q4, wages $0.99 but a
 *     fall 2020 term                                            -> yes
 *  13 GRAD 2020-06-01, wages $0.99 in 2020Q4 (one cent below)   -> no
 *  14 GRAD 2020-06-01, apprenticeship from 2020-09-01           -> yes
 *  15 GRAD 2024-08-01: Q2 after = 2025Q1, beyond the data       -> out
 *  16 HSE 2020-03-01: 2020Q3, $0.60 + $0.40 from two employers  -> yes
 *  17 TRANSFER_OUT: not an exit of P5_3S1                       -> out
 *  18 GRAD 2020-06-01, only a dual-enrolment term in fall 2020  -> no
 * Not a concentrator: 19 GRAD, employed                         -> out
 * 2019 = 1/1; 2020 = 3/5 (12, 14, 16 of 12, 13, 14, 16, 18).
 */
static void test_p5_3s1(void **state)
{
    fx f;
    coll c = {0};
    int32_t pi[10];
    (void)state;
    fx_init(&f);
    for (int k = 1; k <= 9; k++)
        pi[k] = fx_person(&f, 10 + k);
    fx_wage(&f, pi[1], Q(2020, 1), f.ef, 50000);
    fx_wage(&f, pi[1], Q(2020, 2), f.ef, 100);
    fx_wage(&f, pi[2], Q(2020, 4), f.ef, 99);
    fx_term(&f, pi[2], 2020, TL_TERM_FA, TL_AWARD_ASSOC, f.ia, CIP_RN, 0);
    fx_wage(&f, pi[3], Q(2020, 4), f.ef, 99);
    fx_appr(&f, pi[4], D(2020, 9, 1), TL_NO_DATE);
    fx_wage(&f, pi[6], Q(2020, 3), f.ef, 60);
    fx_wage(&f, pi[6], Q(2020, 3), f.em, 40);
    fx_term(&f, pi[8], 2020, TL_TERM_FA, TL_AWARD_ASSOC, f.ia, CIP_RN, 1);
    fx_wage(&f, pi[9], Q(2020, 4), f.ef, 900000);
    fx_finish(&f);
    for (int k = 1; k <= 8; k++)
        fx_conc(&f, 10 + k, f.pw);
    fx_hs(&f, 11, TL_EXIT_DROPOUT, D(2019, 11, 20), f.sa, 2020, 0);
    fx_hs(&f, 12, TL_EXIT_GRAD, D(2020, 6, 1), f.sa, 2020, 1);
    fx_hs(&f, 13, TL_EXIT_GRAD, D(2020, 6, 1), f.sa, 2020, 1);
    fx_hs(&f, 14, TL_EXIT_GRAD, D(2020, 6, 1), f.sb, 2020, 1);
    fx_hs(&f, 15, TL_EXIT_GRAD, D(2024, 8, 1), f.sa, 2024, 0);
    fx_hs(&f, 16, TL_EXIT_HSE, D(2020, 3, 1), f.sa, 2020, 0);
    fx_hs(&f, 17, TL_EXIT_TRANSFER_OUT, D(2020, 1, 10), f.sa, 2020, 0);
    fx_hs(&f, 18, TL_EXIT_GRAD, D(2020, 6, 1), f.sa, 2020, 1);
    fx_hs(&f, 19, TL_EXIT_GRAD, D(2020, 6, 1), f.sa, 2020, 1);
    run("P5_3S1", f.st, &f.prof, NULL, &c);
    assert_rate(&c, 2019, 1, 1);
    assert_rate(&c, 2020, 3, 5);
    assert_int_equal(c.n, 6);
    /* 14 exited from School B */
    assert_int_equal(count_dim(&c, 2020, MD_SCHOOL, f.sb), 1);
    check_refusal("P5_3S1", f.st, &f.prof, NULL);
    /* a $0.99 bar (the threshold is the profile's): 13 now counts,
     * 2020 = 4/5 */
    f.prof.min_quarter_cents = 99;
    run("P5_3S1", f.st, &f.prof, NULL, &c);
    assert_rate(&c, 2020, 4, 5);
    coll_reset(&c);
    fx_free(&f);
}

/* ---- P5_4S1 ------------------------------------------------------------ */

/*
 * Concentrator year = school year of the 2nd completed course in the
 * program (concentrator_courses = 2). Non-traditional: MN, TD, AC, ST for
 * women; ED, HS, HU for men.
 *  21 F welding 2018, 2019         -> 2019, MN for F: yes
 *  22 M nursing 2019, 2020         -> 2020, HS for M: yes
 *  23 M welding 2018 twice, 2019 not completed -> 2018, no
 *  24 X welding 2018, 2019         -> sex neither F nor M: out
 *  25 F nursing 2019 (not completed), 2020, 2021 -> 2021, no
 * 2018 = 0/1, 2019 = 1/1, 2020 = 1/1, 2021 = 0/1.
 */
static void test_p5_4s1(void **state)
{
    fx f;
    coll c = {0};
    int32_t p[6];
    (void)state;
    fx_init(&f);
    for (int k = 1; k <= 5; k++)
        p[k] = fx_person(&f, 20 + k);
    fx_enrol(&f, p[1], 2019, 11, f.sb);
    fx_cte(&f, p[1], 2018, f.pw, 1);
    fx_cte(&f, p[1], 2019, f.pw, 1);
    fx_cte(&f, p[2], 2019, f.pn, 1);
    fx_cte(&f, p[2], 2020, f.pn, 1);
    fx_cte(&f, p[3], 2018, f.pw, 1);
    fx_cte(&f, p[3], 2018, f.pw, 1);
    fx_cte(&f, p[3], 2019, f.pw, 0);
    fx_cte(&f, p[4], 2018, f.pw, 1);
    fx_cte(&f, p[4], 2019, f.pw, 1);
    fx_cte(&f, p[5], 2019, f.pn, 0);
    fx_cte(&f, p[5], 2020, f.pn, 1);
    fx_cte(&f, p[5], 2021, f.pn, 1);
    fx_finish(&f);
    fx_sex(&f, 21, 'F', TL_RACE_WH);
    fx_sex(&f, 22, 'M', TL_RACE_WH);
    fx_sex(&f, 23, 'M', TL_RACE_WH);
    fx_sex(&f, 24, 'X', TL_RACE_WH);
    fx_sex(&f, 25, 'F', TL_RACE_WH);
    fx_conc(&f, 21, f.pw);
    fx_conc(&f, 22, f.pn);
    fx_conc(&f, 23, f.pw);
    fx_conc(&f, 24, f.pw);
    fx_conc(&f, 25, f.pn);
    run("P5_4S1", f.st, &f.prof, NULL, &c);
    assert_rate(&c, 2018, 0, 1);
    assert_rate(&c, 2019, 1, 1);
    assert_rate(&c, 2020, 1, 1);
    assert_rate(&c, 2021, 0, 1);
    assert_int_equal(c.n, 4);
    /* 21's unit is at the school of its concentrator year */
    assert_int_equal(count_dim(&c, 2019, MD_SCHOOL, f.sb), 1);
    check_refusal("P5_4S1", f.st, &f.prof, NULL);
    coll_reset(&c);
    fx_free(&f);
}

/* ---- P5_5S1/2/3 -------------------------------------------------------- */

/*
 *  31 concentrator GRAD 2020: credential before exit, WBL
 *  32 concentrator GRAD_ALT 2020: dual credit, WBL
 *  33 concentrator DROPOUT: not a graduate            -> out
 *  34 GRAD, not a concentrator                        -> out
 *  35 concentrator GRAD 2021: none of the three
 * S1 2020 = 1/2, 2021 = 0/1; S2 2020 = 1/2; S3 2020 = 2/2, 2021 = 0/1.
 */
static void test_p5_5s(void **state)
{
    fx f;
    coll c = {0};
    (void)state;
    fx_init(&f);
    for (int64_t id = 31; id <= 35; id++)
        fx_person(&f, id);
    fx_finish(&f);
    for (int64_t id = 31; id <= 35; id++)
        if (id != 34)
            fx_conc(&f, id, f.pw);
    fx_hs(&f, 31, TL_EXIT_GRAD, D(2020, 6, 1), f.sa, 2020, 1);
    fx_hs(&f, 32, TL_EXIT_GRAD_ALT, D(2020, 6, 1), f.sa, 2020, 1);
    fx_hs(&f, 33, TL_EXIT_DROPOUT, D(2020, 2, 1), f.sa, 2020, 0);
    fx_hs(&f, 34, TL_EXIT_GRAD, D(2020, 6, 1), f.sa, 2020, 1);
    fx_hs(&f, 35, TL_EXIT_GRAD, D(2021, 6, 1), f.sb, 2021, 1);
    P(&f, 31)->cred_before_exit = 1;
    P(&f, 31)->wbl_any = 1;
    P(&f, 32)->dual_credits = 1;
    P(&f, 32)->wbl_any = 1;
    P(&f, 33)->cred_before_exit = 1;
    P(&f, 34)->cred_before_exit = 1;
    run("P5_5S1", f.st, &f.prof, NULL, &c);
    assert_rate(&c, 2020, 1, 2);
    assert_rate(&c, 2021, 0, 1);
    assert_int_equal(c.n, 3);
    run("P5_5S2", f.st, &f.prof, NULL, &c);
    assert_rate(&c, 2020, 1, 2);
    assert_rate(&c, 2021, 0, 1);
    run("P5_5S3", f.st, &f.prof, NULL, &c);
    assert_rate(&c, 2020, 2, 2);
    assert_rate(&c, 2021, 0, 1);
    assert_int_equal(count_dim(&c, 2021, MD_SCHOOL, f.sb), 1);
    check_refusal("P5_5S3", f.st, &f.prof, NULL);
    coll_reset(&c);
    fx_free(&f);
}

/* ---- P5_1P1 ------------------------------------------------------------ */

/*
 * Postsecondary concentrators (automotive at College A):
 *  41 F completer 2021-05-15 (Q2): 2021Q4 wages $1,500       -> yes
 *  42 leaver 2021-12-20 (Q4): 2022Q2 in a spring 2022 term at
 *     College B                                               -> yes
 *  43 completer 2021-05-15, no record in 2021Q4               -> no
 *  45 concentrator whose only exit is from high school        -> out
 *  46 completer 2024-09-01: 2025Q1 beyond the wage data       -> out
 * Not a concentrator: 44 completer, employed                  -> out
 * 2021 = 2/3.
 */
static void test_p5_1p1(void **state)
{
    fx f;
    coll c = {0};
    int32_t p[7];
    long num, den;
    (void)state;
    fx_init(&f);
    for (int k = 1; k <= 6; k++)
        p[k] = fx_person(&f, 40 + k);
    fx_wage(&f, p[1], Q(2021, 4), f.ef, 150000);
    fx_term(&f, p[2], 2022, TL_TERM_SP, TL_AWARD_ASSOC, f.ib, CIP_RN, 0);
    fx_wage(&f, p[4], Q(2021, 4), f.ef, 150000);
    fx_finish(&f);
    fx_sex(&f, 41, 'F', TL_RACE_AS);
    for (int k = 1; k <= 6; k++)
        if (k != 4)
            fx_psconc(&f, 40 + k, f.ia, CIP_AUTO, Q(2019, 3), Q(2021, 2));
    fx_exit(&f, 41, TL_EXITER_PS_COMPLETER, D(2021, 5, 15), f.ia, CIP_AUTO,
            TL_AWARD_CERT);
    fx_exit(&f, 42, TL_EXITER_PS_LEAVER, D(2021, 12, 20), f.ia, CIP_AUTO,
            TL_AWARD_CERT);
    fx_exit(&f, 43, TL_EXITER_PS_COMPLETER, D(2021, 5, 15), f.ia, CIP_AUTO,
            TL_AWARD_CERT);
    fx_exit(&f, 44, TL_EXITER_PS_COMPLETER, D(2021, 5, 15), f.ia, CIP_AUTO,
            TL_AWARD_CERT);
    fx_hs(&f, 45, TL_EXIT_GRAD, D(2019, 6, 1), f.sa, 2019, 1);
    fx_exit(&f, 46, TL_EXITER_PS_COMPLETER, D(2024, 9, 1), f.ia, CIP_AUTO,
            TL_AWARD_CERT);
    run("P5_1P1", f.st, &f.prof, NULL, &c);
    assert_rate(&c, 2021, 2, 3);
    assert_int_equal(c.n, 3);
    rate_dim(&c, 2021, MD_EXITER, TL_EXITER_PS_LEAVER, &num, &den);
    assert_int_equal(den, 1);
    assert_int_equal(num, 1);
    assert_int_equal(count_dim(&c, 2021, MD_INSTITUTION, f.ia), 3);
    assert_int_equal(count_dim(&c, 2021, MD_CIP4, 4706), 3);
    assert_int_equal(count_dim(&c, 2021, MD_CLUSTER, TL_CL_TD), 3);
    /* automotive (TD) is non-traditional for 41, a woman */
    assert_int_equal(count_dim(&c, 2021, MD_NONTRAD, 1), 1);
    check_refusal("P5_1P1", f.st, &f.prof, NULL);
    coll_reset(&c);
    fx_free(&f);
}

/* ---- P5_2P1 ------------------------------------------------------------ */

/*
 * Postsecondary data: spring 2016 .. fall 2023 (person 50's terms), so
 * its last quarter is 2023Q4. Concentrators in automotive at College A:
 *  51 2019Q3..2021Q2, award 2022-03-01 (2022Q1 <= 2021Q2 + 4)  -> yes
 *  52 2019Q3..2021Q2, award 2022-08-01 (2022Q3: too late)      -> no
 *  53 2022Q3..2023Q2: the year after ends 2024Q2 > 2023Q4       -> out
 *  54 2019Q3..2021Q2, award 2019-01-15 before entering         -> no
 * 2021 = 1/3; the award level is the one sought in the program.
 */
static void test_p5_2p1(void **state)
{
    fx f;
    coll c = {0};
    int32_t p[5], anchor;
    (void)state;
    fx_init(&f);
    anchor = fx_person(&f, 50);
    fx_term(&f, anchor, 2016, TL_TERM_SP, TL_AWARD_BACH, f.ib, 110701, 0);
    fx_term(&f, anchor, 2023, TL_TERM_FA, TL_AWARD_BACH, f.ib, 110701, 0);
    for (int k = 1; k <= 4; k++) {
        p[k] = fx_person(&f, 50 + k);
        fx_term(&f, p[k], 2019, TL_TERM_FA, TL_AWARD_CERT, f.ia, CIP_AUTO, 0);
    }
    fx_award(&f, p[1], D(2022, 3, 1), f.ia, CIP_AUTO, TL_AWARD_CERT);
    fx_award(&f, p[2], D(2022, 8, 1), f.ia, CIP_AUTO, TL_AWARD_CERT);
    fx_award(&f, p[4], D(2019, 1, 15), f.ib, CIP_AUTO, TL_AWARD_CERT);
    fx_finish(&f);
    fx_psconc(&f, 51, f.ia, CIP_AUTO, Q(2019, 3), Q(2021, 2));
    fx_psconc(&f, 52, f.ia, CIP_AUTO, Q(2019, 3), Q(2021, 2));
    fx_psconc(&f, 53, f.ia, CIP_AUTO, Q(2022, 3), Q(2023, 2));
    fx_psconc(&f, 54, f.ia, CIP_AUTO, Q(2019, 3), Q(2021, 2));
    run("P5_2P1", f.st, &f.prof, NULL, &c);
    assert_rate(&c, 2021, 1, 3);
    assert_int_equal(c.n, 3);
    assert_int_equal(count_dim(&c, 2021, MD_AWARD_LEVEL, TL_AWARD_CERT), 3);
    assert_int_equal(count_dim(&c, 2021, MD_REGION, f.rn), 3);
    check_refusal("P5_2P1", f.st, &f.prof, NULL);
    coll_reset(&c);
    fx_free(&f);
}

/* ---- P5_3P1 ------------------------------------------------------------ */

/*
 *  61 F automotive (TD): non-traditional for women   -> yes
 *  62 M nursing (HS): non-traditional for men        -> yes
 *  63 F nursing                                      -> no
 *  64 F liberal arts: no cluster                     -> out
 *  65 sex unknown, nursing                           -> out
 * Year of the last quarter in the program, 2021 = 2/3.
 */
static void test_p5_3p1(void **state)
{
    fx f;
    coll c = {0};
    static const int32_t cip[] = {CIP_AUTO, CIP_RN, CIP_RN, CIP_LIBART, CIP_RN};
    static const char sex[] = {'F', 'M', 'F', 'F', 0};
    (void)state;
    fx_init(&f);
    for (int k = 0; k < 5; k++)
        fx_person(&f, 61 + k);
    fx_finish(&f);
    for (int k = 0; k < 5; k++) {
        fx_sex(&f, 61 + k, sex[k], TL_RACE_WH);
        fx_psconc(&f, 61 + k, f.ib, cip[k], Q(2019, 3), Q(2021, 2));
    }
    run("P5_3P1", f.st, &f.prof, NULL, &c);
    assert_rate(&c, 2021, 2, 3);
    assert_int_equal(c.n, 3);
    assert_int_equal(count_dim(&c, 2021, MD_CLUSTER, TL_CL_HS), 2);
    assert_int_equal(count_dim(&c, 2021, MD_CLUSTER, TL_CL_TD), 1);
    assert_int_equal(count_dim(&c, 2021, MD_REGION, f.rs), 3);
    check_refusal("P5_3P1", f.st, &f.prof, NULL);
    coll_reset(&c);
    fx_free(&f);
}

/* ---- EMP_Q2, EMP_Q4, MED_EARN_Q2 --------------------------------------- */

/*
 *  71 HS grad 2019-12-20 (Q4) at School A. Q2 after = 2020Q2 (next
 *     year): $0.50 + $0.50 from two employers = $1.00, exactly the
 *     threshold -> employed. Q4 after = 2020Q4: nothing.
 *  72 HS non-completer 2020-02-10 (Q1) at School B. 2020Q3: $0.99 (one
 *     cent below) -> not. 2021Q1: $1.00 -> employed.
 *  73 two exits, each in its own year: HS grad 2018-06-01 (2018Q4: $2.00
 *     -> yes; 2019Q2: nothing -> no) and an associate in nursing at
 *     College A 2020-05-15 (2020Q4: a $0 row -> not employed; 2021Q2:
 *     $50 -> yes).
 *  74 apprenticeship completer 2024-08-15: 2025Q1 is beyond 2024Q4  -> out
 *  75 HSE holder, employed: not an exiter                          -> out
 *  76 postsecondary leaver, employed: not an exiter                -> out
 *  77 apprenticeship completer 2024-02-01 (Q1, home county A): 2024Q3
 *     $10 -> yes; its Q4 after is 2025Q1, beyond the data -> no EMP_Q4
 * EMP_Q2: 2018 = 1/1, 2019 = 1/1, 2020 = 0/2, 2024 = 1/1.
 * EMP_Q4: 2018 = 0/1, 2019 = 0/1, 2020 = 2/2, no 2024 unit.
 * MED_EARN_Q2 values: 2018 $2.00 (73), 2019 $1.00 (71), 2024 $10.00 (77).
 */
static void build_exiters(fx *f)
{
    int32_t p[8];
    fx_init(f);
    for (int k = 1; k <= 7; k++)
        p[k] = fx_person(f, 70 + k);
    fx_wage(f, p[1], Q(2020, 2), f->ef, 50);
    fx_wage(f, p[1], Q(2020, 2), f->em, 50);
    fx_wage(f, p[2], Q(2020, 3), f->ef, 99);
    fx_wage(f, p[2], Q(2021, 1), f->ef, 100);
    fx_wage(f, p[3], Q(2018, 4), f->ef, 200);
    fx_wage(f, p[3], Q(2020, 4), f->ef, 0);
    fx_wage(f, p[3], Q(2021, 2), f->eh, 5000);
    fx_wage(f, p[5], Q(2020, 3), f->ef, 1000);
    fx_wage(f, p[6], Q(2020, 4), f->ef, 1000);
    fx_wage(f, p[7], Q(2024, 3), f->ef, 1000);
    fx_finish(f);
    fx_hs(f, 71, TL_EXIT_GRAD, D(2019, 12, 20), f->sa, 2020, 1);
    fx_hs(f, 72, TL_EXIT_DROPOUT, D(2020, 2, 10), f->sb, 2020, 0);
    fx_hs(f, 73, TL_EXIT_GRAD, D(2018, 6, 1), f->sa, 2018, 1);
    fx_exit(f, 73, TL_EXITER_PS_COMPLETER, D(2020, 5, 15), f->ia, CIP_RN,
            TL_AWARD_ASSOC);
    fx_exit(f, 74, TL_EXITER_APPR_COMPLETER, D(2024, 8, 15), TL_NONE, 0, 0);
    fx_hs(f, 75, TL_EXIT_HSE, D(2020, 5, 1), f->sa, 2020, 0);
    fx_exit(f, 76, TL_EXITER_PS_LEAVER, D(2020, 5, 15), f->ia, CIP_RN,
            TL_AWARD_ASSOC);
    fx_exit(f, 77, TL_EXITER_APPR_COMPLETER, D(2024, 2, 1), TL_NONE, 0, 0);
    P(f, 77)->home_county = f->ca;
}

static void test_emp_q(void **state)
{
    fx f;
    coll c = {0};
    const measure_unit *u = NULL;
    (void)state;
    build_exiters(&f);
    run("EMP_Q2", f.st, &f.prof, NULL, &c);
    assert_rate(&c, 2018, 1, 1);
    assert_rate(&c, 2019, 1, 1);
    assert_rate(&c, 2020, 0, 2);
    assert_rate(&c, 2024, 1, 1);
    assert_int_equal(c.n, 5);
    /* 73's certificate unit: institution, CIP, level, cluster, kind */
    for (size_t i = 0; i < c.n; i++)
        if (c.u[i].dim[MD_EXITER] == TL_EXITER_PS_COMPLETER)
            u = &c.u[i];
    assert_non_null(u);
    assert_int_equal(u->year, 2020);
    assert_int_equal(u->dim[MD_INSTITUTION], f.ia);
    assert_int_equal(u->dim[MD_COUNTY], f.ca);
    assert_int_equal(u->dim[MD_REGION], f.rn);
    assert_int_equal(u->dim[MD_CIP2], 51);
    assert_int_equal(u->dim[MD_CIP4], 5138);
    assert_int_equal(u->dim[MD_CIP6], CIP_RN);
    assert_int_equal(u->dim[MD_AWARD_LEVEL], TL_AWARD_ASSOC);
    assert_int_equal(u->dim[MD_CLUSTER], TL_CL_HS);
    assert_int_equal(u->dim[MD_SCHOOL], TL_NONE);
    /* the apprenticeship completer is placed at the home county */
    assert_int_equal(count_dim(&c, 2024, MD_COUNTY, f.ca), 1);
    assert_int_equal(count_dim(&c, 2024, MD_EXITER, TL_EXITER_APPR_COMPLETER),
                     1);
    assert_int_equal(count_dim(&c, 2020, MD_SCHOOL, f.sb), 1);
    check_refusal("EMP_Q2", f.st, &f.prof, NULL);

    run("EMP_Q4", f.st, &f.prof, NULL, &c);
    assert_rate(&c, 2018, 0, 1);
    assert_rate(&c, 2019, 0, 1);
    assert_rate(&c, 2020, 2, 2);
    assert_rate(&c, 2024, 0, 0);
    assert_int_equal(c.n, 4);
    coll_reset(&c);
    fx_free(&f);
}

static void test_med_earn_q2(void **state)
{
    fx f;
    coll c = {0};
    (void)state;
    build_exiters(&f);
    run("MED_EARN_Q2", f.st, &f.prof, NULL, &c);
    assert_int_equal(c.n, 3);
    assert_non_null(unit_with_value(&c, 2018, 2.00));
    assert_non_null(unit_with_value(&c, 2019, 1.00));
    assert_non_null(unit_with_value(&c, 2024, 10.00));
    /* the two employers' halves are summed: one unit at $1.00 */
    assert_int_equal(unit_with_value(&c, 2019, 1.00)->dim[MD_SCHOOL], f.sa);
    check_refusal("MED_EARN_Q2", f.st, &f.prof, NULL);
    coll_reset(&c);
    fx_free(&f);
}

/* ---- OUTCOME_Yk -------------------------------------------------------- */

/*
 * HS graduates of 2019-05-01 (Q2): year 1 = 2019Q3 .. 2020Q2.
 *  81 apprenticeship 2019-10-01 .. 2021-06-30, also a fall 2019 term
 *     and wages: apprenticeship comes first            -> APPRENTICESHIP
 *  82 fall 2019 term and $5.00 in 2019Q3               -> PS_EMPLOYED
 *  83 spring 2020 term only                            -> PS_ONLY
 *  84 $100 in 2020Q1                                   -> EMPLOYED_ONLY
 *  85 $0.99 in 2019Q4: in the records, below the bar   -> RECORDS_NEITHER
 *  86 nothing in year 1 ($20 in 2021Q3, year 3)        -> NOT_FOUND
 *  87 graduated 2019-12-15 (Q4): year 1 = 2020Q1..2020Q4; $50 in 2019Q4
 *     and 2021Q1, both outside                         -> NOT_FOUND
 *  88 graduated 2024-03-01: year 1 ends 2025Q1, beyond the data -> out
 *  89 a dual-enrolment term in fall 2019 only: a record, not
 *     postsecondary after high school                  -> RECORDS_NEITHER
 * Y1 2019: 1, 1, 1, 1, 2, 2 (8 units).
 * Y3 (2021Q3..2022Q2; 87: 2022Q1..2022Q4): 86 EMPLOYED_ONLY, the other
 * seven NOT_FOUND (81's apprenticeship ended in 2021Q2).
 * Y10 ends in 2029: no unit.
 * Profile "two quarters" (>= 2 quarters and >= $3,000 in the year): 82
 * becomes PS_ONLY, 84 RECORDS_NEITHER.
 */
static void test_outcome(void **state)
{
    fx f;
    coll c = {0};
    int32_t p[10];
    (void)state;
    fx_init(&f);
    for (int k = 1; k <= 9; k++)
        p[k] = fx_person(&f, 80 + k);
    fx_appr(&f, p[1], D(2019, 10, 1), D(2021, 6, 30));
    fx_term(&f, p[1], 2019, TL_TERM_FA, TL_AWARD_ASSOC, f.ia, CIP_RN, 0);
    fx_wage(&f, p[1], Q(2019, 3), f.ef, 5000);
    fx_term(&f, p[2], 2019, TL_TERM_FA, TL_AWARD_ASSOC, f.ia, CIP_RN, 0);
    fx_wage(&f, p[2], Q(2019, 3), f.ef, 500);
    fx_term(&f, p[3], 2020, TL_TERM_SP, TL_AWARD_ASSOC, f.ia, CIP_RN, 0);
    fx_wage(&f, p[4], Q(2020, 1), f.ef, 10000);
    fx_wage(&f, p[5], Q(2019, 4), f.ef, 99);
    fx_wage(&f, p[6], Q(2021, 3), f.ef, 2000);
    fx_wage(&f, p[7], Q(2019, 4), f.ef, 5000);
    fx_wage(&f, p[7], Q(2021, 1), f.ef, 5000);
    fx_term(&f, p[9], 2019, TL_TERM_FA, TL_AWARD_NONDEG, f.ia, CIP_RN, 1);
    fx_finish(&f);
    for (int k = 1; k <= 9; k++) {
        int32_t date = D(2019, 5, 1);
        if (k == 7)
            date = D(2019, 12, 15);
        else if (k == 8)
            date = D(2024, 3, 1);
        fx_hs(&f, 80 + k, TL_EXIT_GRAD, date, f.sa, 2019, 1);
    }
    run("OUTCOME_Y1", f.st, &f.prof, NULL, &c);
    assert_int_equal(c.n, 8);
    assert_int_equal(count_cat(&c, 2019, MO_APPRENTICESHIP), 1);
    assert_int_equal(count_cat(&c, 2019, MO_PS_EMPLOYED), 1);
    assert_int_equal(count_cat(&c, 2019, MO_PS_ONLY), 1);
    assert_int_equal(count_cat(&c, 2019, MO_EMPLOYED_ONLY), 1);
    assert_int_equal(count_cat(&c, 2019, MO_RECORDS_NEITHER), 2);
    assert_int_equal(count_cat(&c, 2019, MO_NOT_FOUND), 2);
    check_refusal("OUTCOME_Y1", f.st, &f.prof, NULL);

    run("OUTCOME_Y3", f.st, &f.prof, NULL, &c);
    assert_int_equal(c.n, 8);
    assert_int_equal(count_cat(&c, 2019, MO_EMPLOYED_ONLY), 1);
    assert_int_equal(count_cat(&c, 2019, MO_NOT_FOUND), 7);

    run("OUTCOME_Y5", f.st, &f.prof, NULL, &c);
    assert_int_equal(c.n, 8);
    assert_int_equal(count_cat(&c, 2019, MO_NOT_FOUND), 8);

    run("OUTCOME_Y10", f.st, &f.prof, NULL, &c);
    assert_int_equal(c.n, 0);

    f.prof.employed_year_quarters = 2;
    f.prof.employed_year_cents = 300000;
    run("OUTCOME_Y1", f.st, &f.prof, NULL, &c);
    assert_int_equal(count_cat(&c, 2019, MO_APPRENTICESHIP), 1);
    assert_int_equal(count_cat(&c, 2019, MO_PS_EMPLOYED), 0);
    assert_int_equal(count_cat(&c, 2019, MO_PS_ONLY), 2);
    assert_int_equal(count_cat(&c, 2019, MO_EMPLOYED_ONLY), 0);
    assert_int_equal(count_cat(&c, 2019, MO_RECORDS_NEITHER), 3);
    assert_int_equal(count_cat(&c, 2019, MO_NOT_FOUND), 2);
    coll_reset(&c);
    fx_free(&f);
}

/* ---- EARN_Yk ----------------------------------------------------------- */

/*
 * Graduates of 2019-05-01 (year 1 = 2019Q3..2020Q2; year 5 =
 * 2023Q3..2024Q2). Attached: >= $15,080 and >= 3 employed quarters.
 *  91 4 x $3,770 = $15,080 exactly                -> 15080
 *     and 4 x $5,000 in year 5                    -> Y5 20000
 *  92 $5,000 + $5,000 + $5,079.99 = $15,079.99    -> not attached
 *  93 2 x $10,000: only 2 quarters                -> not attached
 *  94 2019Q3 $3,000 + $3,000 from two employers, then $6,000, $6,000:
 *     $18,000 in 3 quarters                       -> 18000
 *  95 HS non-completer earning $40,000: not in EARN's population
 *  96 certificate completer 2019-05-20, 4 x $10,000 -> 40000
 *  97 graduated 2024-01-10: year 1 ends 2025Q1, beyond the data -> out
 * EARN_Y1 2019 inputs to the percentiles: {15080, 18000, 40000}.
 * EARN_Y5 2019: {20000}. EARN_Y10: none.
 */
static void build_earners(fx *f)
{
    int32_t p[8];
    fx_init(f);
    for (int k = 1; k <= 7; k++)
        p[k] = fx_person(f, 90 + k);
    for (int q = 0; q < 4; q++) {
        fx_wage(f, p[1], Q(2019, 3) + q, f->ef, 377000);
        fx_wage(f, p[1], Q(2023, 3) + q, f->ef, 500000);
        fx_wage(f, p[5], Q(2019, 3) + q, f->ef, 1000000);
        fx_wage(f, p[6], Q(2019, 3) + q, f->eh, 1000000);
        fx_wage(f, p[7], Q(2024, 2) + q, f->eh, 1000000);
    }
    fx_wage(f, p[2], Q(2019, 3), f->ef, 500000);
    fx_wage(f, p[2], Q(2019, 4), f->ef, 500000);
    fx_wage(f, p[2], Q(2020, 1), f->ef, 507999);
    fx_wage(f, p[3], Q(2019, 3), f->ef, 1000000);
    fx_wage(f, p[3], Q(2019, 4), f->ef, 1000000);
    fx_wage(f, p[4], Q(2019, 3), f->ef, 300000);
    fx_wage(f, p[4], Q(2019, 3), f->em, 300000);
    fx_wage(f, p[4], Q(2019, 4), f->ef, 600000);
    fx_wage(f, p[4], Q(2020, 1), f->ef, 600000);
    fx_finish(f);
    for (int k = 1; k <= 4; k++)
        fx_hs(f, 90 + k, TL_EXIT_GRAD, D(2019, 5, 1), f->sa, 2019, 1);
    fx_hs(f, 95, TL_EXIT_DROPOUT, D(2019, 5, 1), f->sa, 2019, 0);
    fx_exit(f, 96, TL_EXITER_PS_COMPLETER, D(2019, 5, 20), f->ia, CIP_RN,
            TL_AWARD_CERT);
    fx_hs(f, 97, TL_EXIT_GRAD, D(2024, 1, 10), f->sa, 2024, 1);
}

static void test_earn(void **state)
{
    fx f;
    coll c = {0};
    (void)state;
    build_earners(&f);
    run("EARN_Y1", f.st, &f.prof, NULL, &c);
    assert_int_equal(c.n, 3);
    assert_non_null(unit_with_value(&c, 2019, 15080.00));
    assert_non_null(unit_with_value(&c, 2019, 18000.00));
    assert_non_null(unit_with_value(&c, 2019, 40000.00));
    assert_int_equal(unit_with_value(&c, 2019, 40000.00)->dim[MD_INSTITUTION],
                     f.ia);
    assert_int_equal(count_dim(&c, 2019, MD_EXITER, TL_EXITER_HS_GRAD), 2);
    check_refusal("EARN_Y1", f.st, &f.prof, NULL);
    run("EARN_Y5", f.st, &f.prof, NULL, &c);
    assert_int_equal(c.n, 1);
    assert_non_null(unit_with_value(&c, 2019, 20000.00));
    run("EARN_Y10", f.st, &f.prof, NULL, &c);
    assert_int_equal(c.n, 0);
    /* four quarters required: 94 drops out */
    f.prof.attach_quarters = 4;
    run("EARN_Y1", f.st, &f.prof, NULL, &c);
    assert_int_equal(c.n, 2);
    assert_null(unit_with_value(&c, 2019, 18000.00));
    coll_reset(&c);
    fx_free(&f);
}

/* ---- INDUSTRY_Yk, HOME_REGION_Yk --------------------------------------- */

/*
 * Graduates of 2019-05-01 at School A (North); year 1 = 2019Q3..2020Q2.
 *  101 food $3,000, manufacturing $4,000: main = manufacturing (31);
 *      year 5: health $1,000 in 2024Q1 (62)
 *  102 food $3,000 and manufacturing $3,000: a tie goes to the lower
 *      employer index, food (72)
 *  103 $0.50 only: not employed                              -> out
 *  104 nothing                                               -> out
 *  105 $1,000 from the employer without NAICS: "Unknown" (0)
 * INDUSTRY_Y1 2019: 31, 72, 0 one each. INDUSTRY_Y5 2019: 62.
 */
static void test_industry(void **state)
{
    fx f;
    coll c = {0};
    const measure_indicator *ind = measure_find("INDUSTRY_Y1");
    int32_t p[6];
    (void)state;
    fx_init(&f);
    for (int k = 1; k <= 5; k++)
        p[k] = fx_person(&f, 100 + k);
    fx_wage(&f, p[1], Q(2019, 3), f.ef, 300000);
    fx_wage(&f, p[1], Q(2020, 1), f.em, 400000);
    fx_wage(&f, p[1], Q(2024, 1), f.eh, 100000);
    fx_wage(&f, p[2], Q(2019, 3), f.ef, 300000);
    fx_wage(&f, p[2], Q(2019, 4), f.em, 300000);
    fx_wage(&f, p[3], Q(2019, 3), f.ef, 50);
    fx_wage(&f, p[5], Q(2019, 4), f.eu, 100000);
    fx_finish(&f);
    for (int k = 1; k <= 5; k++)
        fx_hs(&f, 100 + k, TL_EXIT_GRAD, D(2019, 5, 1), f.sa, 2019, 1);
    run("INDUSTRY_Y1", f.st, &f.prof, NULL, &c);
    assert_int_equal(c.n, 3);
    assert_int_equal(count_cat(&c, 2019, 31), 1);
    assert_int_equal(count_cat(&c, 2019, 72), 1);
    assert_int_equal(count_cat(&c, 2019, 0), 1);
    assert_string_equal(ind->category_label(31), "Manufacturing");
    assert_string_equal(ind->category_label(0), "Unknown industry");
    assert_string_equal(ind->category_label(72),
                        "Accommodation and Food Services");
    assert_string_equal(ind->category_label(17), "");
    check_refusal("INDUSTRY_Y1", f.st, &f.prof, NULL);
    run("INDUSTRY_Y5", f.st, &f.prof, NULL, &c);
    assert_int_equal(c.n, 1);
    assert_int_equal(count_cat(&c, 2019, 62), 1);
    coll_reset(&c);
    fx_free(&f);
}

/*
 * Year 1 after exits in 2019:
 *  111 HS grad, School A (North), works at health in county B (North) -> yes
 *  112 HS grad, School A (North), works at manufacturing in C (South) -> no
 *  113 certificate at College B (South), works in C (South)         -> yes
 *  114 apprenticeship completer, home county A (North), works South -> no
 *  115 HS grad whose main employer has no county                    -> out
 * HOME_REGION_Y1 2019 = 2/4; no wages in year 5: no Y5 unit.
 */
static void test_home_region(void **state)
{
    fx f;
    coll c = {0};
    int32_t p[6];
    long num, den;
    (void)state;
    fx_init(&f);
    for (int k = 1; k <= 5; k++)
        p[k] = fx_person(&f, 110 + k);
    fx_wage(&f, p[1], Q(2019, 3), f.eh, 100000);
    fx_wage(&f, p[2], Q(2019, 3), f.em, 100000);
    fx_wage(&f, p[3], Q(2019, 4), f.em, 100000);
    fx_wage(&f, p[4], Q(2019, 3), f.em, 100000);
    fx_wage(&f, p[5], Q(2019, 3), f.eu, 100000);
    fx_finish(&f);
    fx_hs(&f, 111, TL_EXIT_GRAD, D(2019, 5, 1), f.sa, 2019, 1);
    fx_hs(&f, 112, TL_EXIT_GRAD, D(2019, 5, 1), f.sa, 2019, 1);
    fx_exit(&f, 113, TL_EXITER_PS_COMPLETER, D(2019, 5, 20), f.ib, CIP_RN,
            TL_AWARD_CERT);
    fx_exit(&f, 114, TL_EXITER_APPR_COMPLETER, D(2019, 6, 1), TL_NONE, 0, 0);
    P(&f, 114)->home_county = f.ca;
    fx_hs(&f, 115, TL_EXIT_GRAD, D(2019, 5, 1), f.sa, 2019, 1);
    run("HOME_REGION_Y1", f.st, &f.prof, NULL, &c);
    assert_rate(&c, 2019, 2, 4);
    assert_int_equal(c.n, 4);
    rate_dim(&c, 2019, MD_REGION, f.rs, &num, &den);
    assert_int_equal(den, 1);
    assert_int_equal(num, 1);
    check_refusal("HOME_REGION_Y1", f.st, &f.prof, NULL);
    run("HOME_REGION_Y5", f.st, &f.prof, NULL, &c);
    assert_int_equal(c.n, 0);
    coll_reset(&c);
    fx_free(&f);
}

/* ---- EMP_WHILE_HS ------------------------------------------------------ */

/*
 * School year Y = Q3 of Y-1 .. Q2 of Y.
 *  121 grade 11 in 2019 at School A, $1.00 in 2018Q3 (the summer
 *      before)                                         -> 2019 yes
 *      grade 12 in 2020 at School B, no wages          -> 2020 no
 *  122 grade 10 in 2019                                -> out
 *  123 grade 12 in 2015: 2014Q3 is before the wage data -> out
 *  124 grade 11 in 2019, $50 in 2019Q3 (next school year) -> 2019 no
 * 2019 = 1/2, 2020 = 0/1.
 */
static void test_emp_while_hs(void **state)
{
    fx f;
    coll c = {0};
    int32_t p[5];
    (void)state;
    fx_init(&f);
    for (int k = 1; k <= 4; k++)
        p[k] = fx_person(&f, 120 + k);
    fx_enrol(&f, p[1], 2019, 11, f.sa);
    fx_enrol(&f, p[1], 2020, 12, f.sb);
    fx_wage(&f, p[1], Q(2018, 3), f.ef, 100);
    fx_enrol(&f, p[2], 2019, 10, f.sa);
    fx_wage(&f, p[2], Q(2018, 4), f.ef, 100000);
    fx_enrol(&f, p[3], 2015, 12, f.sa);
    fx_wage(&f, p[3], Q(2015, 1), f.ef, 100000);
    fx_enrol(&f, p[4], 2019, 11, f.sa);
    fx_wage(&f, p[4], Q(2019, 3), f.ef, 5000);
    fx_finish(&f);
    run("EMP_WHILE_HS", f.st, &f.prof, NULL, &c);
    assert_rate(&c, 2019, 1, 2);
    assert_rate(&c, 2020, 0, 1);
    assert_int_equal(c.n, 3);
    assert_int_equal(count_dim(&c, 2020, MD_SCHOOL, f.sb), 1);
    assert_int_equal(count_dim(&c, 2019, MD_SCHOOL, f.sa), 2);
    check_refusal("EMP_WHILE_HS", f.st, &f.prof, NULL);
    coll_reset(&c);
    fx_free(&f);
}

/* ---- WBL_OUTCOMES ------------------------------------------------------ */

/*
 *  131 graduate 2019-05-01 with an internship and a co-op; 4 x $4,000
 *      in 2019Q3..2020Q2: employed in 2019Q4 (Q2 after), attached ($16,000)
 *  132 graduate without work-based learning, no wages
 *  133 dropout with work-based learning: not a graduate -> out
 * EMP_Q2 units: 131 under ANY, INTERNSHIP and COOP (each 1/1); 132 under
 * NONE (0/1). EARN_Y1 units: 131's $16,000 under ANY, INTERNSHIP, COOP.
 */
static void test_wbl(void **state)
{
    fx f;
    coll c = {0};
    int32_t p1, p3;
    long num, den;
    (void)state;
    fx_init(&f);
    p1 = fx_person(&f, 131);
    fx_person(&f, 132);
    p3 = fx_person(&f, 133);
    for (int q = 0; q < 4; q++) {
        fx_wage(&f, p1, Q(2019, 3) + q, f.ef, 400000);
        fx_wage(&f, p3, Q(2019, 3) + q, f.ef, 400000);
    }
    fx_finish(&f);
    fx_hs(&f, 131, TL_EXIT_GRAD, D(2019, 5, 1), f.sa, 2019, 1);
    fx_hs(&f, 132, TL_EXIT_GRAD, D(2019, 5, 1), f.sa, 2019, 1);
    fx_hs(&f, 133, TL_EXIT_DROPOUT, D(2019, 5, 1), f.sa, 2019, 0);
    P(&f, 131)->wbl_any = 1;
    P(&f, 131)->wbl_types = 1u << TL_WBL_INTERNSHIP | 1u << TL_WBL_COOP;
    P(&f, 133)->wbl_any = 1;
    P(&f, 133)->wbl_types = 1u << TL_WBL_CLINICAL;
    run("WBL_OUTCOMES_EMP_Q2", f.st, &f.prof, NULL, &c);
    assert_int_equal(c.n, 4);
    rate_dim(&c, 2019, MD_WBL, MEASURE_WBL_ANY, &num, &den);
    assert_int_equal(num, 1);
    assert_int_equal(den, 1);
    rate_dim(&c, 2019, MD_WBL, 1 + TL_WBL_INTERNSHIP, &num, &den);
    assert_int_equal(num, 1);
    assert_int_equal(den, 1);
    rate_dim(&c, 2019, MD_WBL, 1 + TL_WBL_COOP, &num, &den);
    assert_int_equal(num, 1);
    assert_int_equal(den, 1);
    rate_dim(&c, 2019, MD_WBL, MEASURE_WBL_NONE, &num, &den);
    assert_int_equal(num, 0);
    assert_int_equal(den, 1);
    assert_int_equal(count_dim(&c, 2019, MD_WBL, 1 + TL_WBL_CLINICAL), 0);
    check_refusal("WBL_OUTCOMES_EMP_Q2", f.st, &f.prof, NULL);
    run("WBL_OUTCOMES_EARN_Y1", f.st, &f.prof, NULL, &c);
    assert_int_equal(c.n, 3);
    for (size_t i = 0; i < c.n; i++)
        assert_true(fabs(c.u[i].value - 16000.0) < 1e-9);
    assert_int_equal(count_dim(&c, 2019, MD_WBL, MEASURE_WBL_ANY), 1);
    assert_int_equal(count_dim(&c, 2019, MD_WBL, MEASURE_WBL_NONE), 0);
    coll_reset(&c);
    fx_free(&f);
}

/* ---- OPP_YOUTH --------------------------------------------------------- */

/*
 * Wage data 2020Q1..2020Q4.
 *  141 born 2000-01, county A: $5 in 2020Q2, $0.99 in 2020Q3
 *      Q1 yes (seen in Q2), Q2 no (employed), Q3 yes, Q4 yes
 *  142 born 2004-01, county A, in grade 10 in school year 2020
 *      Q1: 15 on 1 January -> out; Q2 16, in school -> no; Q3, Q4 yes
 *      (seen: the enrolment ended within 4 quarters)
 *  143 born 1995-06, county C: spring 2020 term
 *      Q1, Q2 enrolled -> no; Q3, Q4: 25 -> out
 *  144 born 2000-01, county A, last seen in school year 2010 -> out
 *  145 born 2000-01, no home county, wages in 2020Q1 -> out
 *  146 born 2001-03, county B, in an apprenticeship since 2019 -> no
 * 2020Q1 = 1/3, Q2 = 0/4, Q3 = 2/3, Q4 = 2/3.
 */
static void test_opp_youth(void **state)
{
    fx f;
    coll c = {0};
    int32_t p[7];
    long num, den;
    static const long want[4][2] = {{1, 3}, {0, 4}, {2, 3}, {2, 3}};
    (void)state;
    fx_init(&f);
    f.st->wage_q_first = Q(2020, 1);
    f.st->wage_q_last = Q(2020, 4);
    for (int k = 1; k <= 6; k++)
        p[k] = fx_person(&f, 140 + k);
    fx_wage(&f, p[1], Q(2020, 2), f.ef, 500);
    fx_wage(&f, p[1], Q(2020, 3), f.ef, 99);
    fx_enrol(&f, p[2], 2020, 10, f.sa);
    fx_term(&f, p[3], 2020, TL_TERM_SP, TL_AWARD_ASSOC, f.ib, CIP_RN, 0);
    fx_enrol(&f, p[4], 2010, 4, f.sa);
    fx_wage(&f, p[5], Q(2020, 1), f.ef, 100000);
    fx_appr(&f, p[6], D(2019, 1, 1), TL_NO_DATE);
    fx_finish(&f);
    P(&f, 141)->birth_ym = 12 * 2000 + 0;
    P(&f, 142)->birth_ym = 12 * 2004 + 0;
    P(&f, 143)->birth_ym = 12 * 1995 + 5;
    P(&f, 144)->birth_ym = 12 * 2000 + 0;
    P(&f, 145)->birth_ym = 12 * 2000 + 0;
    P(&f, 146)->birth_ym = 12 * 2001 + 2;
    P(&f, 141)->home_county = f.ca;
    P(&f, 142)->home_county = f.ca;
    P(&f, 143)->home_county = f.cc;
    P(&f, 144)->home_county = f.ca;
    P(&f, 146)->home_county = f.cb;
    run("OPP_YOUTH", f.st, &f.prof, NULL, &c);
    assert_int_equal(c.n, 13);
    for (int q = 0; q < 4; q++) {
        rate_dim(&c, 2020, MD_QUARTER, Q(2020, 1) + q, &num, &den);
        assert_int_equal(num, want[q][0]);
        assert_int_equal(den, want[q][1]);
    }
    for (size_t i = 0; i < c.n; i++)
        assert_int_not_equal(c.u[i].dim[MD_QUARTER], TL_NONE);
    assert_int_equal(count_dim(&c, 2020, MD_COUNTY, f.cc), 2);
    assert_int_equal(count_dim(&c, 2020, MD_REGION, f.rs), 2);
    assert_int_equal(count_dim(&c, 2020, MD_COUNTY, f.cb), 4);
    check_refusal("OPP_YOUTH", f.st, &f.prof, NULL);
    coll_reset(&c);
    fx_free(&f);
}

/* ---- PS_COMPLETE_150 --------------------------------------------------- */

/*
 * Postsecondary data spring 2010 .. fall 2023 (person 150): 2010Q1 ..
 * 2023Q4. Windows: CERT 6, ASSOC 12, BACH 24 quarters from entry.
 *  151 BACH, fall 2015 (2015Q3) at College B, award 2021-05-15 =
 *      2021Q2 = entry + 23: inside                   -> 2016 yes
 *  152 BACH, fall 2015, award 2021-08-01 = entry + 24 -> 2016 no
 *  153 CERT, spring 2022 (2022Q1), award 2023-06-10 = entry + 5; entry
 *      year 2022 ends at 2022Q2 + 5 = 2023Q3 <= 2023Q4 -> 2022 yes
 *  154 ASSOC, fall 2021: entry year 2022 needs 2022Q2 + 11 = 2025Q1 -> out
 *  155 NONDEG entrant                                  -> out
 *  156 not a first-time entrant                        -> out
 *  157 BACH, spring 2010: the first year of data       -> out
 *  158 ASSOC, fall 2019 (entry year 2020, ends 2023Q1), award 2022-12-01
 *      = entry + 13                                    -> 2020 no
 *  159 ASSOC, fall 2019, award 2022-06-30 = entry + 11 -> 2020 yes
 * 2016 = 1/2, 2020 = 1/2, 2022 = 1/1.
 */
static void test_ps_complete_150(void **state)
{
    fx f;
    coll c = {0};
    int32_t a, p[10];
    const measure_unit *u = NULL;
    static const struct {
        int year, kind, level;
        int32_t award; /* 0: none */
    } e[10] = {
        [1] = {2015, TL_TERM_FA, TL_AWARD_BACH, 0},
        [2] = {2015, TL_TERM_FA, TL_AWARD_BACH, 0},
        [3] = {2022, TL_TERM_SP, TL_AWARD_CERT, 0},
        [4] = {2021, TL_TERM_FA, TL_AWARD_ASSOC, 0},
        [5] = {2015, TL_TERM_FA, TL_AWARD_NONDEG, 0},
        [6] = {2015, TL_TERM_FA, TL_AWARD_BACH, 0},
        [7] = {2010, TL_TERM_SP, TL_AWARD_BACH, 0},
        [8] = {2019, TL_TERM_FA, TL_AWARD_ASSOC, 0},
        [9] = {2019, TL_TERM_FA, TL_AWARD_ASSOC, 0},
    };
    int32_t award[10] = {0};
    (void)state;
    award[1] = D(2021, 5, 15);
    award[2] = D(2021, 8, 1);
    award[3] = D(2023, 6, 10);
    award[7] = D(2013, 5, 1);
    award[8] = D(2022, 12, 1);
    award[9] = D(2022, 6, 30);
    fx_init(&f);
    a = fx_person(&f, 150);
    fx_term(&f, a, 2010, TL_TERM_SP, TL_AWARD_BACH, f.ia, 110701, 0);
    fx_term(&f, a, 2023, TL_TERM_FA, TL_AWARD_BACH, f.ia, 110701, 0);
    for (int k = 1; k <= 9; k++) {
        p[k] = fx_person(&f, 150 + k);
        fx_term(&f, p[k], e[k].year, e[k].kind, e[k].level, f.ib, 110701, 0);
        if (award[k])
            fx_award(&f, p[k], award[k], f.ib, 110701, e[k].level);
    }
    fx_finish(&f);
    for (int k = 1; k <= 9; k++) {
        tl_person *pp = P(&f, 150 + k);
        pp->ps_any = 1;
        pp->ps_first_time = k != 6;
        pp->ps_entry_level = (uint8_t)e[k].level;
        pp->ps_entry_q = Q(e[k].year, e[k].kind == TL_TERM_FA   ? 3
                                      : e[k].kind == TL_TERM_SP ? 1
                                                                : 2);
        pp->ps_entry_inst = f.ib;
    }
    run("PS_COMPLETE_150", f.st, &f.prof, NULL, &c);
    assert_rate(&c, 2016, 1, 2);
    assert_rate(&c, 2020, 1, 2);
    assert_rate(&c, 2022, 1, 1);
    assert_int_equal(c.n, 5);
    for (size_t i = 0; i < c.n; i++)
        if (c.u[i].year == 2016 && c.u[i].in_numerator)
            u = &c.u[i];
    assert_non_null(u);
    assert_int_equal(u->dim[MD_INSTITUTION], f.ib);
    assert_int_equal(u->dim[MD_REGION], f.rs);
    assert_int_equal(u->dim[MD_AWARD_LEVEL], TL_AWARD_BACH);
    assert_int_equal(u->dim[MD_CIP6], 110701);
    assert_int_equal(u->dim[MD_CLUSTER], TL_CL_IT);
    check_refusal("PS_COMPLETE_150", f.st, &f.prof, NULL);
    coll_reset(&c);
    fx_free(&f);
}

/* ---- reference data ---------------------------------------------------- */

/*
 * A tiny data folder. Projections (openings in thousands, % change):
 *   29-1141 189.1  4.9    25-1072   8.6 16.8    47-2110 10.0  1.0 (broad)
 *   25-2052   5.0  3.0 (NEM aggregate)          11-1011  22.2 -1.0
 *   35-2014   1.0  0.5 (no wage)
 * Median openings (8.6 + 10.0) / 2 = 9.3 thousand = 9300; median change
 * (1.0 + 3.0) / 2 = 2.0. In demand (both above): only 29-1141.
 * Crosswalk: nursing -> 29-1141, 25-1072; electrician -> 47-2111 (found
 * as its broad 47-2110); elementary education -> 25-2055 and 25-2056
 * (both the aggregate 25-2052: kept once); Army ROTC -> 55-1011
 * (military: none); liberal arts -> 99-9999 (NO MATCH: none); business
 * -> 11-1011.
 */
static const char tiny_proj[] =
    "soc_code,occupation_title,annual_openings_thousands,"
    "employment_pct_change,median_annual_wage_2024\n"
    "29-1141,Registered nurses,189.1,4.9,93600\n"
    "25-1072,Nursing instructors,8.6,16.8,79940\n"
    "47-2110,Electricians,10.0,1.0,60000\n"
    "25-2052,Special education teachers,5.0,3.0,65000\n"
    "11-1011,Chief executives,22.2,-1.0,206420\n"
    "35-2014,Cooks,1.0,0.5,\n";
static const char tiny_xwalk[] =
    "cip2020_code,cip2020_title,soc2018_code,soc2018_title\n"
    "51.3801,Nursing,29-1141,Registered Nurses\n"
    "51.3801,Nursing,25-1072,\"Nursing Instructors, Postsecondary\"\n"
    "46.0302,Electrician,47-2111,Electricians\n"
    "13.1017,Elementary Education,25-2055,Special Ed K\n"
    "13.1017,Elementary Education,25-2056,Special Ed Elem\n"
    "28.0101,Army ROTC,55-1011,Air Crew Officers\n"
    "24.0101,Liberal Arts,99-9999,NO MATCH\n"
    "52.0201,Business Administration,11-1011,Chief Executives\n";

static void write_file(const char *dir, const char *name, const char *text)
{
    char path[512];
    FILE *fp;
    snprintf(path, sizeof path, "%s/%s", dir, name);
    fp = fopen(path, "w");
    assert_non_null(fp);
    assert_int_equal(fputs(text, fp) >= 0, 1);
    assert_int_equal(fclose(fp), 0);
}

static void remove_dir(const char *dir)
{
    char path[512];
    snprintf(path, sizeof path, "%s/cip_soc_crosswalk.csv", dir);
    unlink(path);
    snprintf(path, sizeof path, "%s/bls_occupation_projections_2024_2034.csv",
             dir);
    unlink(path);
    rmdir(dir);
}

static void tiny_dir(char *dir, size_t cap, const char *proj, const char *xwalk)
{
    snprintf(dir, cap, "/tmp/p20w-refs-XXXXXX");
    assert_non_null(mkdtemp(dir));
    if (proj)
        write_file(dir, "bls_occupation_projections_2024_2034.csv", proj);
    if (xwalk)
        write_file(dir, "cip_soc_crosswalk.csv", xwalk);
}

static measure_refs *tiny_refs(void)
{
    char dir[64];
    measure_refs *r = NULL;
    tiny_dir(dir, sizeof dir, tiny_proj, tiny_xwalk);
    assert_int_equal(measure_refs_load(dir, &r, NULL), P20W_OK);
    remove_dir(dir);
    return r;
}

static void test_refs(void **state)
{
    measure_refs *r = tiny_refs();
    const measure_occupation *const *occ;
    const measure_occupation *o;
    double open, pct;
    size_t n;
    (void)state;
    measure_refs_demand_medians(r, &open, &pct);
    assert_true(fabs(open - 9300.0) < 1e-6);
    assert_true(fabs(pct - 2.0) < 1e-9);
    occ = measure_refs_cip_occupations(r, CIP_RN, &n);
    assert_int_equal(n, 2);
    assert_int_equal(occ[0]->soc, 251072);
    assert_int_equal(occ[1]->soc, 291141);
    assert_true(fabs(occ[1]->openings - 189100.0) < 1e-6);
    assert_int_equal(occ[1]->median_wage, 93600);
    assert_int_equal(occ[1]->in_demand, 1);
    assert_int_equal(occ[0]->in_demand, 0); /* 8,600 openings */
    occ = measure_refs_cip_occupations(r, CIP_ELEC, &n);
    assert_int_equal(n, 1);
    assert_int_equal(occ[0]->soc, 472110);
    assert_int_equal(occ[0]->in_demand, 0); /* 1.0 % growth */
    occ = measure_refs_cip_occupations(r, 131017, &n);
    assert_int_equal(n, 1);
    assert_int_equal(occ[0]->soc, 252052);
    assert_null(measure_refs_cip_occupations(r, 280101, &n));
    assert_int_equal(n, 0);
    assert_null(measure_refs_cip_occupations(r, CIP_LIBART, &n));
    assert_int_equal(n, 0);
    assert_null(measure_refs_cip_occupations(r, 999999, &n));
    occ = measure_refs_cip_occupations(r, 520201, &n);
    assert_int_equal(n, 1);
    assert_int_equal(occ[0]->in_demand, 0); /* shrinking */
    o = measure_refs_occupation(r, 352014);
    assert_non_null(o);
    assert_int_equal(o->median_wage, -1);
    assert_null(measure_refs_occupation(r, 472111)); /* exact codes only */
    measure_refs_free(r);
    measure_refs_free(NULL);
}

/* The real reference data: medians 4.5 thousand openings and 2.5 %;
 * nursing links to nursing instructors and registered nurses, the
 * latter in demand. */
static void test_refs_real(void **state)
{
    measure_refs *r = NULL;
    const measure_occupation *const *occ;
    double open, pct;
    size_t n;
    (void)state;
    assert_int_equal(measure_refs_load(P20W_DATADIR, &r, NULL), P20W_OK);
    measure_refs_demand_medians(r, &open, &pct);
    assert_true(fabs(open - 4500.0) < 1e-6);
    assert_true(fabs(pct - 2.5) < 1e-9);
    occ = measure_refs_cip_occupations(r, CIP_RN, &n);
    assert_int_equal(n, 2);
    assert_int_equal(occ[1]->soc, 291141);
    assert_int_equal(occ[1]->in_demand, 1);
    /* 25-2055 and 25-2056 of the crosswalk are the aggregate 25-2052 */
    assert_non_null(measure_refs_occupation(r, 252052));
    measure_refs_free(r);
}

/* Bad reference files: a missing file, a missing column, a malformed
 * code or number, a duplicated SOC. */
static void test_refs_bad(void **state)
{
    static const struct {
        const char *proj, *xwalk;
        p20w_status want;
        long line;
    } cases[] = {
        {NULL, tiny_xwalk, P20W_EIO, 0},
        {tiny_proj, NULL, P20W_EIO, 0},
        {"soc_code,annual_openings_thousands,median_annual_wage_2024\n"
         "29-1141,1.0,5\n",
         tiny_xwalk, P20W_EFORMAT, 1},
        {"soc_code,annual_openings_thousands,employment_pct_change,"
         "median_annual_wage_2024\n29-1141,1.0,2.0,5\n291141,1.0,2.0,5\n",
         tiny_xwalk, P20W_EFORMAT, 3},
        {"soc_code,annual_openings_thousands,employment_pct_change,"
         "median_annual_wage_2024\n29-1141,many,2.0,5\n",
         tiny_xwalk, P20W_EFORMAT, 2},
        {"soc_code,annual_openings_thousands,employment_pct_change,"
         "median_annual_wage_2024\n29-1141,-1,2.0,5\n",
         tiny_xwalk, P20W_EFORMAT, 2},
        {"soc_code,annual_openings_thousands,employment_pct_change,"
         "median_annual_wage_2024\n29-1141,1.0,2.0,lots\n",
         tiny_xwalk, P20W_EFORMAT, 2},
        {"soc_code,annual_openings_thousands,employment_pct_change,"
         "median_annual_wage_2024\n29-1141,1.0,2.0\n",
         tiny_xwalk, P20W_EFORMAT, 2},
        {"soc_code,annual_openings_thousands,employment_pct_change,"
         "median_annual_wage_2024\n29-1141,1.0,2.0,5\n29-1141,1.0,2.0,5\n",
         tiny_xwalk, P20W_EFORMAT, 0},
        {tiny_proj, "cip,soc2018_code\n51.3801,29-1141\n", P20W_EFORMAT, 1},
        {tiny_proj,
         "cip2020_code,soc2018_code\n51.3801,29-1141\n51-3801,29-1141\n",
         P20W_EFORMAT, 3},
        {tiny_proj, "cip2020_code,soc2018_code\n51.3801,29.1141\n",
         P20W_EFORMAT, 2},
        {tiny_proj, "cip2020_code,soc2018_code\n51.3801,\"29-1141\n",
         P20W_EFORMAT, 2},
    };
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char dir[64];
        measure_refs *r = (measure_refs *)&dir; /* must become NULL */
        p20w_err err = {0};
        tiny_dir(dir, sizeof dir, cases[i].proj, cases[i].xwalk);
        assert_int_equal(measure_refs_load(dir, &r, &err), cases[i].want);
        assert_null(r);
        assert_true(err.msg[0] != '\0');
        if (cases[i].line)
            assert_int_equal(err.line, cases[i].line);
        remove_dir(dir);
    }
}

/* ---- SUPPLY_DEMAND ----------------------------------------------------- */

/*
 * Award year 2021 (tiny references):
 *  201..220: 20 associate completers in nursing at College A; 201 is the
 *     only woman. Openings 189.1 : 8.6 thousand: 20 x 189.1 / 197.7 =
 *     19.13 and 0.87 -> floors 19 and 0, the leftover person to the
 *     larger fraction: 29-1141 gets 19, 25-1072 gets 1. Dealing in
 *     p20w_id order, the first person goes to 25-1072 (both at 100 % of
 *     quota to give; the tie to the lower SOC): that is 201.
 *  221, 222 Army ROTC: no projected occupation (0)
 *  223 electrician: 47-2110
 *  224 a nursing leaver: not a completer -> out
 *  225 business at College B: 11-1011
 * 2021: 29-1141 19, 25-1072 1, 0 2, 47-2110 1, 11-1011 1 (24 units).
 */
static void test_supply_demand(void **state)
{
    fx f;
    coll c = {0};
    measure_refs *r = tiny_refs();
    const measure_indicator *ind = measure_find("SUPPLY_DEMAND");
    long women_instructors = 0;
    (void)state;
    fx_init(&f);
    for (int64_t id = 201; id <= 225; id++)
        fx_person(&f, id);
    fx_finish(&f);
    for (int64_t id = 201; id <= 220; id++) {
        fx_sex(&f, id, id == 201 ? 'F' : 'M', TL_RACE_WH);
        fx_exit(&f, id, TL_EXITER_PS_COMPLETER, D(2021, 5, 15), f.ia, CIP_RN,
                TL_AWARD_ASSOC);
    }
    fx_exit(&f, 221, TL_EXITER_PS_COMPLETER, D(2021, 5, 15), f.ia, 280101,
            TL_AWARD_BACH);
    fx_exit(&f, 222, TL_EXITER_PS_COMPLETER, D(2021, 5, 15), f.ia, 280101,
            TL_AWARD_BACH);
    fx_exit(&f, 223, TL_EXITER_PS_COMPLETER, D(2021, 5, 15), f.ia, CIP_ELEC,
            TL_AWARD_CERT);
    fx_exit(&f, 224, TL_EXITER_PS_LEAVER, D(2021, 5, 15), f.ia, CIP_RN,
            TL_AWARD_ASSOC);
    fx_exit(&f, 225, TL_EXITER_PS_COMPLETER, D(2021, 12, 15), f.ib, 520201,
            TL_AWARD_BACH);
    run("SUPPLY_DEMAND", f.st, &f.prof, r, &c);
    assert_int_equal(c.n, 24);
    assert_int_equal(count_cat(&c, 2021, 291141), 19);
    assert_int_equal(count_cat(&c, 2021, 251072), 1);
    assert_int_equal(count_cat(&c, 2021, 0), 2);
    assert_int_equal(count_cat(&c, 2021, 472110), 1);
    assert_int_equal(count_cat(&c, 2021, 111011), 1);
    for (size_t i = 0; i < c.n; i++)
        women_instructors +=
            c.u[i].category == 251072 && c.u[i].dim[MD_SEX] == 'F';
    assert_int_equal(women_instructors, 1);
    assert_int_equal(count_dim(&c, 2021, MD_INSTITUTION, f.ib), 1);
    assert_int_equal(count_dim(&c, 2021, MD_CIP2, 51), 20);
    assert_string_equal(ind->category_label(291141), "29-1141");
    assert_string_equal(ind->category_label(0), "No projected occupation");
    assert_string_equal(ind->category_label(-5), "");
    check_refusal("SUPPLY_DEMAND", f.st, &f.prof, r);
    measure_refs_free(r);
    coll_reset(&c);
    fx_free(&f);
}

/*
 * With the real data, loaded by the emitter itself (no refs in the
 * sink): electrician links to 47-1011 (74.4 thousand openings), 47-2111
 * (81.0), 49-2098 (9.4), 49-9097 (0.8), total 165.6. Three completers:
 * 1.348, 1.467, 0.170, 0.014 -> floors 1, 1, 0, 0, the leftover to
 * 47-2111 (.467): 47-1011 1, 47-2111 2.
 */
static void test_supply_demand_real(void **state)
{
    fx f;
    coll c = {0};
    (void)state;
    fx_init(&f);
    for (int64_t id = 231; id <= 233; id++)
        fx_person(&f, id);
    fx_finish(&f);
    for (int64_t id = 231; id <= 233; id++)
        fx_exit(&f, id, TL_EXITER_PS_COMPLETER, D(2022, 5, 15), f.ia, CIP_ELEC,
                TL_AWARD_CERT);
    run("SUPPLY_DEMAND", f.st, &f.prof, NULL, &c);
    assert_int_equal(c.n, 3);
    assert_int_equal(count_cat(&c, 2022, 471011), 1);
    assert_int_equal(count_cat(&c, 2022, 472111), 2);
    coll_reset(&c);
    fx_free(&f);
}

/* ---- CRED_OF_VALUE ----------------------------------------------------- */

/*
 * Award year 2020 (exits 2020-05-15, year 1 = 2020Q3..2021Q2), tiny
 * references, min_n_percentile = 3. Annual year-1 earnings:
 *  A: College A, associate, nursing: 40,000 50,000 60,000 (+ one
 *     completer with a single $9,000 quarter: not attached)
 *  B: College A, certificate, electrician: 60,000 x 3
 *  C: College B, associate, nursing: 45,000 x 2
 *  HS graduates of 2020: 20,000 x 2
 * State median of attached earners 2020: 20 20 40 45 45 50 60 60 60 60
 * -> (45,000 + 50,000) / 2 = 47,500.
 * A: median 50,000 >= 47,500 and nursing -> 29-1141 in demand -> 1.
 * B: 60,000 but 47-2110 not in demand -> 0. C: n = 2 < 3: not rated.
 * value_wage $55,000: A -> 0. min_n_percentile 2: C rated, 45,000 -> 0.
 */
static void build_value(fx *f)
{
    static const int64_t annual[] = {40000, 50000, 60000, 60000, 60000,
                                     60000, 45000, 45000, 20000, 20000};
    int32_t p[11];
    fx_init(f);
    for (int k = 0; k < 11; k++)
        p[k] = fx_person(f, 300 + k);
    for (int k = 0; k < 10; k++)
        for (int q = 0; q < 4; q++)
            fx_wage(f, p[k], Q(2020, 3) + q, f->eh, annual[k] * 100 / 4);
    fx_wage(f, p[10], Q(2020, 3), f->eh, 900000);
    fx_finish(f);
    for (int k = 0; k < 3; k++)
        fx_exit(f, 300 + k, TL_EXITER_PS_COMPLETER, D(2020, 5, 15), f->ia,
                CIP_RN, TL_AWARD_ASSOC);
    fx_exit(f, 310, TL_EXITER_PS_COMPLETER, D(2020, 5, 15), f->ia, CIP_RN,
            TL_AWARD_ASSOC);
    for (int k = 3; k < 6; k++)
        fx_exit(f, 300 + k, TL_EXITER_PS_COMPLETER, D(2020, 5, 15), f->ia,
                CIP_ELEC, TL_AWARD_CERT);
    for (int k = 6; k < 8; k++)
        fx_exit(f, 300 + k, TL_EXITER_PS_COMPLETER, D(2020, 5, 15), f->ib,
                CIP_RN, TL_AWARD_ASSOC);
    for (int k = 8; k < 10; k++)
        fx_hs(f, 300 + k, TL_EXIT_GRAD, D(2020, 5, 15), f->sa, 2020, 1);
    f->prof.min_n_percentile = 3;
}

static void test_cred_of_value(void **state)
{
    fx f;
    coll c = {0};
    measure_refs *r = tiny_refs();
    const measure_unit *a, *b;
    (void)state;
    build_value(&f);
    run("CRED_OF_VALUE", f.st, &f.prof, r, &c);
    assert_int_equal(c.n, 2);
    a = unit_with_value(&c, 2020, 50000.0);
    b = unit_with_value(&c, 2020, 60000.0);
    assert_non_null(a);
    assert_non_null(b);
    assert_int_equal(a->in_numerator, 1);
    assert_int_equal(a->dim[MD_INSTITUTION], f.ia);
    assert_int_equal(a->dim[MD_AWARD_LEVEL], TL_AWARD_ASSOC);
    assert_int_equal(a->dim[MD_CIP6], CIP_RN);
    assert_int_equal(a->dim[MD_REGION], f.rn);
    assert_int_equal(b->in_numerator, 0);
    assert_int_equal(b->dim[MD_AWARD_LEVEL], TL_AWARD_CERT);
    check_refusal("CRED_OF_VALUE", f.st, &f.prof, r);

    /* a value_wage exactly at A's median counts; one cent above not */
    f.prof.value_wage_cents = 5000000;
    run("CRED_OF_VALUE", f.st, &f.prof, r, &c);
    assert_int_equal(unit_with_value(&c, 2020, 50000.0)->in_numerator, 1);
    f.prof.value_wage_cents = 5000001;
    run("CRED_OF_VALUE", f.st, &f.prof, r, &c);
    assert_int_equal(unit_with_value(&c, 2020, 50000.0)->in_numerator, 0);

    f.prof.value_wage_cents = 5500000;
    run("CRED_OF_VALUE", f.st, &f.prof, r, &c);
    assert_int_equal(c.n, 2);
    assert_int_equal(unit_with_value(&c, 2020, 50000.0)->in_numerator, 0);

    f.prof.value_wage_cents = 0;
    f.prof.min_n_percentile = 2;
    run("CRED_OF_VALUE", f.st, &f.prof, r, &c);
    assert_int_equal(c.n, 3);
    assert_int_equal(unit_with_value(&c, 2020, 45000.0)->in_numerator, 0);
    assert_int_equal(unit_with_value(&c, 2020, 45000.0)->dim[MD_INSTITUTION],
                     f.ib);
    measure_refs_free(r);
    coll_reset(&c);
    fx_free(&f);
}

/* ---- the catalog ------------------------------------------------------- */

/* The ids of spec/indicators.md as this catalog spells them, in order. */
static const char *const spec_ids[] = {
    "HS_GRAD4",
    "P5_1S1",
    "P5_2S1",
    "P5_2S2",
    "P5_2S3",
    "P5_3S1",
    "P5_4S1",
    "P5_5S1",
    "P5_5S2",
    "P5_5S3",
    "P5_1P1",
    "P5_2P1",
    "P5_3P1",
    "EMP_Q2",
    "EMP_Q4",
    "MED_EARN_Q2",
    "OUTCOME_Y1",
    "OUTCOME_Y3",
    "OUTCOME_Y5",
    "OUTCOME_Y10",
    "EARN_Y1",
    "EARN_Y5",
    "EARN_Y10",
    "INDUSTRY_Y1",
    "INDUSTRY_Y5",
    "HOME_REGION_Y1",
    "HOME_REGION_Y5",
    "EMP_WHILE_HS",
    "WBL_OUTCOMES_EMP_Q2",
    "WBL_OUTCOMES_EARN_Y1",
    "OPP_YOUTH",
    "PS_COMPLETE_150",
    "SUPPLY_DEMAND",
    "CRED_OF_VALUE",
};

static void test_catalog(void **state)
{
    size_t n;
    const measure_indicator *cat = measure_catalog(&n);
    const uint64_t all_dims = (UINT64_C(1) << MD_COUNT) - 1;
    (void)state;
    assert_int_equal(n, sizeof spec_ids / sizeof *spec_ids);
    for (size_t i = 0; i < n; i++) {
        const measure_indicator *m = &cat[i];
        assert_string_equal(m->id, spec_ids[i]);
        for (size_t j = 0; j < i; j++)
            assert_string_not_equal(m->id, cat[j].id);
        assert_true(m->title_en && m->title_en[0]);
        assert_true(m->title_es && m->title_es[0]);
        assert_true(m->explain_en && strlen(m->explain_en) > 40);
        assert_true(m->explain_es && strlen(m->explain_es) > 40);
        assert_string_not_equal(m->title_en, m->title_es);
        assert_string_not_equal(m->explain_en, m->explain_es);
        assert_true(m->population && m->population[0]);
        assert_true(m->year_means && m->year_means[0]);
        assert_true(m->method_note && strlen(m->method_note) > 40);
        assert_true(m->dims != 0);
        assert_int_equal(m->dims & ~all_dims, 0);
        assert_int_equal(m->required_dims & ~m->dims, 0);
        assert_non_null(m->emit);
        assert_true(m->stat >= MS_RATE && m->stat <= MS_FLAG);
        if (m->stat == MS_SHARE)
            assert_non_null(m->category_label);
        else
            assert_null(m->category_label);
        assert_ptr_equal(measure_find(m->id), m);
        /* migrant is a flag of the extracts, not a special population */
        assert_int_equal(m->dims & (UINT64_C(1) << MD_MIGRANT), 0);
    }
    assert_null(measure_find("EMP_Q3"));
    assert_null(measure_find(""));
    /* the outcome labels, in precedence order */
    assert_string_equal(
        measure_find("OUTCOME_Y1")->category_label(MO_NOT_FOUND),
        "Not found in state records");
    assert_string_equal(
        measure_find("OUTCOME_Y5")->category_label(MO_APPRENTICESHIP),
        "Apprenticeship");
    assert_string_equal(measure_find("OUTCOME_Y5")->category_label(MO_COUNT),
                        "");
}

/* Every emitter on an empty timeline (no wage data at all): no unit,
 * no error. */
static void test_empty(void **state)
{
    fx f;
    coll c = {0};
    size_t n;
    const measure_indicator *cat = measure_catalog(&n);
    measure_refs *r = tiny_refs();
    (void)state;
    fx_init(&f);
    f.st->wage_q_first = TL_NONE;
    f.st->wage_q_last = TL_NONE;
    fx_person(&f, 1); /* one person without a single fact */
    fx_finish(&f);
    for (size_t i = 0; i < n; i++) {
        run(cat[i].id, f.st, &f.prof, r, &c);
        assert_int_equal(c.n, 0);
    }
    measure_refs_free(r);
    coll_reset(&c);
    fx_free(&f);
}

/* Every emitter's units carry the year, and every required dim. */
static void test_units_well_formed(void **state)
{
    fx f;
    coll c = {0};
    size_t n;
    const measure_indicator *cat = measure_catalog(&n);
    measure_refs *r = tiny_refs();
    (void)state;
    build_exiters(&f);
    for (size_t i = 0; i < n; i++) {
        run(cat[i].id, f.st, &f.prof, r, &c);
        for (size_t k = 0; k < c.n; k++) {
            assert_true(c.u[k].year >= 2015 && c.u[k].year <= 2025);
            for (int d = 0; d < MD_COUNT; d++)
                if (cat[i].required_dims & (UINT64_C(1) << d))
                    assert_int_not_equal(c.u[k].dim[d], TL_NONE);
        }
    }
    measure_refs_free(r);
    coll_reset(&c);
    fx_free(&f);
}

/* An emitter asked for an id it does not compute, and earnings asked
 * in dollars of a base year (no CPI-U series in the reference data). */
static void test_bad_requests(void **state)
{
    fx f;
    coll c = {0};
    measure_sink sink = {coll_fn, &c, NULL};
    p20w_err err = {0};
    static const struct {
        const char *entry, *id;
    } bad[] = {
        {"EMP_Q2", "EMP_Q3"},
        {"EMP_Q2", "EMP_Q"},
        {"OUTCOME_Y1", "OUTCOME_Yx"},
        {"OUTCOME_Y1", "OUTCOME_Y"},
        {"EARN_Y1", "EARN_Y1a"},
        {"P5_2S1", "P5_2S4"},
        {"P5_2S1", "P5_2S0"},
        {"P5_5S1", "P5_5S9"},
        {"INDUSTRY_Y1", "INDUSTRY_"},
        {"HOME_REGION_Y1", "HOME_REGION"},
        {"WBL_OUTCOMES_EMP_Q2", "WBL_OUTCOMES"},
        {"OUTCOME_Y1", "OUTCOME_Y123456789"},
    };
    static const char *const money[] = {"MED_EARN_Q2", "EARN_Y1", "EARN_Y10",
                                        "WBL_OUTCOMES_EARN_Y1",
                                        "CRED_OF_VALUE"};
    (void)state;
    c.fail_at = -1;
    build_exiters(&f);
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        const measure_indicator *m = measure_find(bad[i].entry);
        err.msg[0] = '\0';
        assert_int_equal(m->emit(bad[i].id, f.st, &f.prof, &sink, &err),
                         P20W_EINVAL);
        assert_true(err.msg[0] != '\0');
    }
    f.prof.base_year = 2024;
    for (size_t i = 0; i < sizeof money / sizeof *money; i++) {
        const measure_indicator *m = measure_find(money[i]);
        err.msg[0] = '\0';
        assert_int_equal(m->emit(money[i], f.st, &f.prof, &sink, &err),
                         P20W_EINVAL);
        assert_non_null(strstr(err.msg, "CPI-U"));
    }
    assert_int_equal(c.n, 0);
    coll_reset(&c);
    fx_free(&f);
}

/* ---- allocation failures ----------------------------------------------- */

/* Walks the Nth allocation's failure over the emitters that allocate
 * (SUPPLY_DEMAND, CRED_OF_VALUE: with reference data given, and loading
 * it themselves) and over measure_refs_load: P20W_ENOMEM every time until
 * the run succeeds with the same units as a run without failures. */
static void walk_emitter(const char *id, const tl_state *st,
                         const p20w_profile *prof, const measure_refs *refs)
{
    coll ref = {0}, c = {0};
    const measure_indicator *m = measure_find(id);
    long failures = 0;
    run(id, st, prof, refs, &ref);
    assert_true(ref.n > 0);
    for (long k = 0;; k++) {
        measure_sink sink = {coll_fn, &c, refs};
        p20w_err err = {0};
        p20w_status rc;
        int failed;
        coll_reset(&c);
        p20w_mem_fail_after(k);
        rc = m->emit(id, st, prof, &sink, &err);
        failed = p20w_mem_failed();
        p20w_mem_fail_reset();
        if (!failed) {
            assert_int_equal(rc, P20W_OK);
            assert_int_equal(c.n, ref.n);
            assert_memory_equal(c.u, ref.u, c.n * sizeof *c.u);
            break;
        }
        failures++;
        assert_int_equal(rc, P20W_ENOMEM);
    }
    assert_true(failures > 0);
    coll_reset(&c);
    coll_reset(&ref);
}

static void test_alloc_failures(void **state)
{
    fx f;
    measure_refs *r = tiny_refs();
    char dir[64];
    long failures = 0;
    (void)state;
    build_value(&f);
    f.prof.min_n_percentile = 1;
    walk_emitter("CRED_OF_VALUE", f.st, &f.prof, r);
    walk_emitter("SUPPLY_DEMAND", f.st, &f.prof, r);
    walk_emitter("CRED_OF_VALUE", f.st, &f.prof, NULL);
    walk_emitter("SUPPLY_DEMAND", f.st, &f.prof, NULL);
    measure_refs_free(r);
    fx_free(&f);

    tiny_dir(dir, sizeof dir, tiny_proj, tiny_xwalk);
    for (long k = 0;; k++) {
        measure_refs *out = NULL;
        p20w_status rc;
        int failed;
        p20w_mem_fail_after(k);
        rc = measure_refs_load(dir, &out, NULL);
        failed = p20w_mem_failed();
        p20w_mem_fail_reset();
        if (!failed) {
            size_t n;
            assert_int_equal(rc, P20W_OK);
            assert_non_null(measure_refs_cip_occupations(out, CIP_RN, &n));
            assert_int_equal(n, 2);
            measure_refs_free(out);
            break;
        }
        failures++;
        assert_int_equal(rc, P20W_ENOMEM);
        assert_null(out);
    }
    assert_true(failures > 3);
    remove_dir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_catalog),
        cmocka_unit_test(test_hs_grad4),
        cmocka_unit_test(test_p5_1s1),
        cmocka_unit_test(test_p5_2s),
        cmocka_unit_test(test_p5_3s1),
        cmocka_unit_test(test_p5_4s1),
        cmocka_unit_test(test_p5_5s),
        cmocka_unit_test(test_p5_1p1),
        cmocka_unit_test(test_p5_2p1),
        cmocka_unit_test(test_p5_3p1),
        cmocka_unit_test(test_emp_q),
        cmocka_unit_test(test_med_earn_q2),
        cmocka_unit_test(test_outcome),
        cmocka_unit_test(test_earn),
        cmocka_unit_test(test_industry),
        cmocka_unit_test(test_home_region),
        cmocka_unit_test(test_emp_while_hs),
        cmocka_unit_test(test_wbl),
        cmocka_unit_test(test_opp_youth),
        cmocka_unit_test(test_ps_complete_150),
        cmocka_unit_test(test_refs),
        cmocka_unit_test(test_refs_real),
        cmocka_unit_test(test_refs_bad),
        cmocka_unit_test(test_supply_demand),
        cmocka_unit_test(test_supply_demand_real),
        cmocka_unit_test(test_cred_of_value),
        cmocka_unit_test(test_empty),
        cmocka_unit_test(test_units_well_formed),
        cmocka_unit_test(test_bad_requests),
        cmocka_unit_test(test_alloc_failures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
