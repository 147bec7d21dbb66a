/*
 * person.c — one synthetic person's life, from birth to 2025Q4, written
 * row by row as it is lived.
 *
 * Three independent random streams per person (rng.h): CORE (identity,
 * origin, household), LIFE (school, college, work, moves) and NOISE (how
 * each agency recorded the identity). A pair stream FAMILY per (2k, 2k+1)
 * makes twins and name twins: the odd member copies what it shares from the
 * even member's CORE stream, so nothing depends on generation order.
 *
 * Planted effects (docs/synthetic-data.md): CTE concentrators +8 points
 * employment probability in quarters 1-4 after exit; earnings multipliers
 * 0.88 for economically disadvantaged, 0.90 for a rural (nonmetro)
 * worksite, 1.06 for WBL completers. Nothing else in the earnings model
 * depends on those attributes, so the effects can be read back from the
 * files by comparing within strata of education.
 *
 * Holds no state between persons.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "synth/person_int.h"
#include "util/mem.h"

const char *const synth_exit_code[X_COUNT] = {
    "GRAD", "GRAD_ALT", "HSE", "DROPOUT", "TRANSFER_OUT", "DECEASED"};
const char *const synth_award_code[E_COUNT] = {"",      "HS",   "CERT",
                                               "ASSOC", "BACH", "GRAD"};

/* K-12 enrolment shares: Kentucky (KDE) and the US (NCES), percent. */
static const double race_ky[R_COUNT] = {8.5, 0.2, 1.8, 10.5, 0.2, 74.0, 4.8};
static const double race_us[R_COUNT] = {28.0, 0.9, 5.4, 15.0, 0.4, 45.0, 5.3};

static const char *const hisp_first[2][16] = {
    {"María", "Sofía", "Valeria", "Camila", "Lucía", "Ximena", "Guadalupe",
     "Daniela", "Isabella", "Mariana", "Fernanda", "Jimena", "Andrea",
     "Natalia", "Paola", "Ana"},
    {"José", "Juan", "Luis", "Carlos", "Jesús", "Ángel", "Miguel", "Jorge",
     "Alejandro", "Diego", "Andrés", "Eduardo", "Fernando", "Ricardo", "Javier",
     "Adrián"}};

const char *synth_yn(int b)
{
    return b ? "Y" : "N";
}

/* The student id in use in a school year: a few students get a second id
 * (a district re-enrols them as new) from some year on. */
static const char *sid_for(const synth_person *p, int year)
{
    return p->sid2_year != 0 && year >= p->sid2_year ? p->student_id2
                                                     : p->student_id;
}

p20w_status synth_map_row(synth_world *w, int file, const char *key,
                          const synth_person *p, const char *tags,
                          p20w_err *err)
{
    char row[24];
    snprintf(row, sizeof row, "%llu", (unsigned long long)w->rows[file]);
    const char *f[] = {synth_file_name[file], row, key, p->pid, tags};
    return synth_emit_row(w, F_PERSON_MAP, f, 5, err);
}

static void pick_first(const synth_world *w, int sex, int race, synth_rng *r,
                       char *out)
{
    if (sex == 2)
        sex = (int)synth_rng_below(r, 2);
    if (race == R_HI && synth_rng_chance(r, 0.35)) {
        snprintf(out, NAME_CAP, "%s", hisp_first[sex][synth_rng_below(r, 16)]);
        return;
    }
    const char *s = synth_pool_pick(&w->first[sex], r);
    const char *acc = race == R_HI ? synth_accented(s) : NULL;
    snprintf(out, NAME_CAP, "%s",
             acc != NULL && synth_rng_chance(r, 0.6) ? acc : s);
}

static void pick_surname(const synth_world *w, int race, synth_rng *r,
                         char *out, size_t cap)
{
    const char *s = synth_pool_pick(&w->last[race], r);
    const char *acc = race == R_HI ? synth_accented(s) : NULL;
    snprintf(out, cap, "%s", acc != NULL && synth_rng_chance(r, 0.7) ? acc : s);
}

static void pick_last(const synth_world *w, int race, synth_rng *r, char *out)
{
    char a[48], b[48];
    pick_surname(w, race, r, a, sizeof a);
    double compound = race == R_HI ? 0.12 : 0.02;
    if (!synth_rng_chance(r, compound)) {
        snprintf(out, NAME_CAP, "%s", a);
        return;
    }
    do
        pick_surname(w, race, r, b, sizeof b);
    while (strcmp(a, b) == 0);
    char sep = race == R_HI && synth_rng_chance(r, 0.6) ? ' ' : '-';
    snprintf(out, NAME_CAP, "%s%c%s", a, sep, b);
}

/* Bijection of the person index onto valid SSNs: area 001-899 without 666,
 * group 01-99, serial 0001-9999. */
static void make_ssn(uint64_t seed, uint64_t idx, char out[10])
{
    const uint64_t m = 898ULL * 99 * 9999;
    uint64_t x = (idx % m * 1000003ULL + synth_mix64(seed) % m) % m;
    unsigned area = (unsigned)(x / (99 * 9999)) + 1;
    unsigned group = (unsigned)(x / 9999 % 99) + 1;
    unsigned serial = (unsigned)(x % 9999) + 1;
    if (area >= 666)
        area++;
    snprintf(out, 10, "%03u%02u%04u", area, group, serial);
}

/* Household and origin: everything twins share. */
static void gen_core(const synth_world *w, uint64_t idx, synth_person *p)
{
    synth_rng r;
    synth_rng_seed(&r, w->opt.seed, SYNTH_STREAM_CORE, idx);
    p->idx = idx;
    snprintf(p->pid, sizeof p->pid, "P%09llu", (unsigned long long)idx);
    double u = synth_rng_unif(&r);
    p->sex = u < 0.488 ? 0 : u < 0.997 ? 1 : 2;
    p->race = (int)synth_rng_pick_w(
        &r, strcmp(w->opt.state, "KY") == 0 ? race_ky : race_us, R_COUNT);
    pick_first(w, p->sex, p->race, &r, p->first);
    if (synth_rng_chance(&r, 0.75)) {
        pick_first(w, p->sex, R_WH, &r, p->middle);
        if (strcmp(p->middle, p->first) == 0)
            p->middle[0] = '\0';
    }
    if (p->sex == 1 && synth_rng_chance(&r, 0.03)) {
        static const char *const suf[] = {"Jr", "Jr", "Jr", "II", "III"};
        snprintf(p->suffix, sizeof p->suffix, "%s",
                 suf[synth_rng_below(&r, 5)]);
    }
    pick_last(w, p->race, &r, p->last);
    int last_cohort =
        w->opt.all_grades ? SYNTH_LAST_SCHOOL_YEAR + 12 : SYNTH_COHORT_LAST;
    int first_cohort = SYNTH_COHORT_FIRST;
    if (idx >= w->opt.learners) { /* in-migrant: an adult's age cohort */
        first_cohort = SYNTH_MIGRANT_COHORT_FIRST;
        last_cohort = SYNTH_COHORT_LAST;
    }
    p->cohort = synth_rng_range(&r, first_cohort, last_cohort);
    u = synth_rng_unif(&r);
    int shift = u < 0.04 ? -1 : u < 0.05 ? 1 : 0; /* older / younger */
    p->birth = date_from_ymd(p->cohort - 19 + shift, 9, 2) +
               (int32_t)synth_rng_below(&r, 365);
    p->county = synth_pick_county(w, &r);
    const synth_county *k = &w->county[p->county];
    p->hs = k->hs_first + (int)synth_rng_below(&r, (uint32_t)k->hs_n);
    if (w->opt.all_grades) {
        p->ms = k->ms_first + (int)synth_rng_below(&r, (uint32_t)k->ms_n);
        p->es = k->es_first + (int)synth_rng_below(&r, (uint32_t)k->es_n);
    }
    double econ = 0.52 + (k->rural ? 0.08 : 0);
    if (p->race == R_BL || p->race == R_HI)
        econ += 0.18;
    else if (p->race == R_AS)
        econ -= 0.20;
    p->flag[FL_ECON] = synth_rng_chance(&r, econ);
    p->flag[FL_DISAB] = synth_rng_chance(&r, p->sex == 1 ? 0.19 : 0.12);
    p->flag[FL_EL] = synth_rng_chance(&r, p->race == R_HI   ? 0.35
                                          : p->race == R_AS ? 0.25
                                                            : 0.005);
    p->flag[FL_HOMELESS] =
        synth_rng_chance(&r, p->flag[FL_ECON] ? 0.05 : 0.005);
    p->flag[FL_FOSTER] = synth_rng_chance(&r, 0.006);
    p->flag[FL_MIGRANT] = synth_rng_chance(&r, p->race == R_HI ? 0.03 : 0.002);
    p->flag[FL_MILITARY] = synth_rng_chance(&r, 0.015);
    p->ability = synth_rng_normal(&r) - 0.35 * p->flag[FL_ECON];
    p->k12_ssn = synth_rng_chance(&r, 0.05);
    if (idx >= w->opt.learners) { /* no K-12 record: flags unknown */
        memset(p->flag, 0, sizeof p->flag);
        p->k12_ssn = 0;
    }
}

static void copy_household(synth_person *p, const synth_person *t)
{
    memcpy(p->last, t->last, sizeof p->last);
    p->race = t->race;
    p->birth = t->birth;
    p->cohort = t->cohort;
    p->county = t->county;
    p->hs = t->hs;
    p->ms = t->ms;
    p->es = t->es;
    p->flag[FL_ECON] = t->flag[FL_ECON];
    p->flag[FL_HOMELESS] = t->flag[FL_HOMELESS];
    p->flag[FL_FOSTER] = t->flag[FL_FOSTER];
    p->flag[FL_MIGRANT] = t->flag[FL_MIGRANT];
    p->flag[FL_MILITARY] = t->flag[FL_MILITARY];
}

/* Twins: same surname, birth date, household and school, a different first
 * name. Name twins: different people who share first name, surname, sex and
 * birth date by chance. Both decided per pair (2k, 2k+1). */
static void gen_identity(const synth_world *w, uint64_t idx, synth_person *p,
                         synth_person *scratch)
{
    gen_core(w, idx, p);
    p->twin_of = p->same_name_as = -1;
    if (idx % 2 == 0 || idx == 0 || idx == w->opt.learners)
        return; /* a pair never mixes a learner and an in-migrant */
    synth_rng fam;
    synth_rng_seed(&fam, w->opt.seed, SYNTH_STREAM_FAMILY, idx / 2);
    double u = synth_rng_unif(&fam);
    /* population facts, not recording errors: the same at every --noise */
    double p_twin = 0.015, p_same = 0.003;
    if (u >= p_twin + p_same)
        return;
    gen_core(w, idx - 1, scratch);
    if (u < p_twin) {
        copy_household(p, scratch);
        for (int t = 0; t < 50 && strcmp(p->first, scratch->first) == 0; t++)
            pick_first(w, p->sex, p->race, &fam, p->first);
        if (strcmp(p->first, scratch->first) != 0)
            p->twin_of = (int64_t)idx - 1;
        return;
    }
    memcpy(p->first, scratch->first, sizeof p->first);
    memcpy(p->last, scratch->last, sizeof p->last);
    p->sex = scratch->sex;
    p->race = scratch->race;
    p->birth = scratch->birth;
    p->cohort = scratch->cohort;
    p->same_name_as = (int64_t)idx - 1;
}

/* ---- K-12 ------------------------------------------------------------ */

typedef struct k12_plan {
    int g9;        /* school year of first grade 9 */
    int hs_len;    /* 4, or 5 when grade 9 is repeated */
    int exit_h;    /* HS year index of the exit */
    int last_year; /* last school year with an enrolment row */
    int hs_school[6];
    double absent_rate;
} k12_plan;

static int hs_grade(const k12_plan *k, int h)
{
    return k->hs_len == 5 ? (h == 0 ? 9 : 8 + h) : 9 + h;
}

static void plan_exit(synth_person *p, k12_plan *k)
{
    synth_rng *r = &p->life;
    int retained = synth_rng_chance(r, 0.05);
    k->g9 = p->cohort - 3;
    k->hs_len = retained ? 5 : 4;
    double u = synth_rng_unif(r);
    int xt, xh;
    if (u < 0.05) {
        xt = X_TRANSFER;
        xh = (int)synth_rng_below(r, (uint32_t)k->hs_len);
    } else if (u < 0.051) {
        xt = X_DECEASED;
        xh = (int)synth_rng_below(r, (uint32_t)k->hs_len);
    } else {
        /* Centred adjustments keep the overall rate at the target. */
        double pg = 0.868 - 0.06 * (p->flag[FL_ECON] - 0.58) -
                    0.10 * (p->flag[FL_DISAB] - 0.155) +
                    0.04 * (p->ability + 0.2);
        if (retained)
            pg = 0.62;
        double v = synth_rng_unif(r);
        if (v < pg) {
            xt = X_GRAD;
            xh = k->hs_len - 1;
        } else {
            double w2 = synth_rng_unif(r);
            xt = w2 < 0.10 ? X_GRAD_ALT : w2 < 0.30 ? X_HSE : X_DROPOUT;
            xh = xt == X_GRAD_ALT
                     ? k->hs_len - 1
                     : 1 + (int)synth_rng_below(r, (uint32_t)k->hs_len - 1);
        }
    }
    int ey = k->g9 + xh;
    if (xt == X_GRAD || xt == X_GRAD_ALT)
        p->exit_day =
            date_from_ymd(ey, 5, 20) + (int32_t)synth_rng_below(r, 17);
    else
        p->exit_day =
            date_from_ymd(ey - 1, 9, 15) + (int32_t)synth_rng_below(r, 236);
    k->exit_h = xh;
    p->hs_last_year = k->g9 + k->hs_len - 1;
    if (p->exit_day <= date_from_ymd(SYNTH_LAST_SCHOOL_YEAR, 6, 30)) {
        p->exit_type = xt;
        p->exit_q = synth_q_of(p->exit_day);
        k->last_year = ey;
    } else {
        p->exit_type = -1;
        p->exit_q = -1;
        k->last_year = SYNTH_LAST_SCHOOL_YEAR;
    }
    double a = exp(-3.0 + 0.7 * synth_rng_normal(r));
    if (xt == X_DROPOUT || xt == X_HSE)
        a *= 2;
    k->absent_rate = a > 0.6 ? 0.6 : a;
}

static p20w_status k12_row(synth_world *w, synth_person *p, int year,
                           int school, int grade, int days, int absent,
                           p20w_err *err)
{
    synth_record rec;
    char yr[16], gr[16], de[16], da[16], key[64];
    synth_noise_rates nr = synth_rates_k12;
    nr.ssn_present = p->k12_ssn; /* only ~5 % of students carry one */
    synth_record_make(w, p, &nr, date_from_ymd(year - 1, 9, 1), &rec);
    snprintf(yr, sizeof yr, "%d", year);
    if (grade == 0)
        memcpy(gr, "KG", 3);
    else
        snprintf(gr, sizeof gr, "%02d", grade);
    snprintf(de, sizeof de, "%d", days);
    snprintf(da, sizeof da, "%d", absent);
    const char *sex = p->sex == 0 ? "F" : p->sex == 1 ? "M" : "X";
    const char *sid = sid_for(p, year);
    if (sid != p->student_id) {
        size_t n = strlen(rec.tags);
        snprintf(rec.tags + n, sizeof rec.tags - n, "%snew_id", n ? ";" : "");
    }
    const char *f[] = {sid,
                       yr,
                       w->school[school].id,
                       gr,
                       rec.first,
                       rec.middle,
                       rec.last,
                       p->suffix,
                       rec.birth,
                       sex,
                       synth_race_code[rec.race],
                       rec.ssn,
                       "",
                       synth_yn(p->flag[FL_ECON]),
                       synth_yn(p->flag[FL_DISAB]),
                       synth_yn(p->flag[FL_EL]),
                       synth_yn(p->flag[FL_HOMELESS]),
                       synth_yn(p->flag[FL_FOSTER]),
                       synth_yn(p->flag[FL_MIGRANT]),
                       synth_yn(p->flag[FL_MILITARY]),
                       de,
                       da};
    p20w_status st = synth_emit_row(w, F_K12_STUDENTS, f, 22, err);
    if (st != P20W_OK)
        return st;
    snprintf(key, sizeof key, "%s|%s|%s", sid, yr, w->school[school].id);
    return synth_map_row(w, F_K12_STUDENTS, key, p, rec.tags, err);
}

static int absent_days(synth_person *p, const k12_plan *k, int days)
{
    double a = k->absent_rate * (0.7 + 0.6 * synth_rng_unif(&p->life));
    int n = (int)lround(days * a);
    return n > days ? days : n;
}

static void move_within_state(const synth_world *w, synth_person *p)
{
    p->county = synth_pick_county(w, &p->life);
    const synth_county *k = &w->county[p->county];
    p->hs = k->hs_first + (int)synth_rng_below(&p->life, (uint32_t)k->hs_n);
    if (w->opt.all_grades) {
        p->ms = k->ms_first + (int)synth_rng_below(&p->life, (uint32_t)k->ms_n);
        p->es = k->es_first + (int)synth_rng_below(&p->life, (uint32_t)k->es_n);
    }
}

static p20w_status k12_enrolment(synth_world *w, synth_person *p, k12_plan *k,
                                 p20w_err *err)
{
    int first = w->opt.all_grades ? p->cohort - 12 : k->g9;
    for (int y = first; y <= k->last_year; y++) {
        int h = y - k->g9; /* HS year index, negative before grade 9 */
        int grade = h >= 0 ? hs_grade(k, h) : y - (p->cohort - 12);
        int school = grade >= 9 ? p->hs : grade >= 6 ? p->ms : p->es;
        int full = 175 + (int)synth_rng_below(&p->life, 6);
        int days = full;
        if (y == k->last_year && p->exit_type >= 0) {
            double frac =
                (double)(p->exit_day - date_from_ymd(y - 1, 8, 15)) / 290.0;
            days = (int)lround(full * (frac > 1      ? 1
                                       : frac < 0.02 ? 0.02
                                                     : frac));
            if (days < 1)
                days = 1;
        }
        if (y > first && synth_rng_chance(&p->life, 0.03)) {
            int old = school;
            move_within_state(w, p);
            school = grade >= 9 ? p->hs : grade >= 6 ? p->ms : p->es;
            if (old != school && synth_rng_chance(&p->life, 0.3) && days > 60) {
                int part =
                    20 + (int)synth_rng_below(&p->life, (uint32_t)days - 40);
                p20w_status st = k12_row(w, p, y, old, grade, part,
                                         absent_days(p, k, part), err);
                if (st != P20W_OK)
                    return st;
                days -= part;
            }
        }
        if (h >= 0 && h < 6)
            k->hs_school[h] = school;
        p->exit_school = school;
        if (y >= 1990) {
            p20w_status st = k12_row(w, p, y, school, grade, days,
                                     absent_days(p, k, days), err);
            if (st != P20W_OK)
                return st;
        }
    }
    if (p->exit_type < 0)
        return P20W_OK;
    char d[11], c[16];
    date_format(p->exit_day, d);
    snprintf(c, sizeof c, "%d", k->g9 + 3);
    const char *f[] = {sid_for(p, k->last_year), w->school[p->exit_school].id,
                       d, synth_exit_code[p->exit_type], c};
    return synth_emit_row(w, F_K12_EXITS, f, 5, err);
}

/* ---- CTE, work-based learning, credentials, assessments --------------- */

static const double cluster_weight[SYNTH_NCLUSTER] = {10, 6, 7, 10, 4, 3, 1, 18,
                                                      5,  5, 9, 5,  6, 4, 5, 5};

static const char *const credential_name[SYNTH_NCLUSTER][2] = {
    {"VET-ASSISTANT", "PESTICIDE-APPLICATOR"},
    {"ADOBE-CERT-PRO", "AVID-MEDIA"},
    {"NCCER-CORE", "OSHA-10"},
    {"MOS-EXCEL", "MOS-WORD"},
    {"CDA-PREP", "PARAEDUCATOR"},
    {"W-READY", "BANKING-FUNDAMENTALS"},
    {"CIVIL-SERVICE-PREP", "OSHA-10"},
    {"CNA", "PHARMACY-TECH"},
    {"SERVSAFE-MANAGER", "SERVSAFE-HANDLER"},
    {"COSMETOLOGY-PERMIT", "CPR"},
    {"COMPTIA-A", "CISCO-CCST"},
    {"EMR", "FIREFIGHTER-1"},
    {"MSSC-CPT", "AWS-SENSE-WELDING"},
    {"NRF-CUSTOMER-SERVICE", "ASK"},
    {"AUTODESK-INVENTOR", "SOLIDWORKS-CSWA"},
    {"ASE-G1", "CDL-PERMIT"}};

typedef struct course_plan {
    int prog, h, completed;
    int half_credit;
} course_plan;

static int pick_program(const synth_world *w, synth_rng *r, int avoid_cluster)
{
    int cl;
    do
        cl = (int)synth_rng_pick_w(r, cluster_weight, SYNTH_NCLUSTER);
    while (cl == avoid_cluster);
    int n = 0;
    while (n < 4 && w->cluster_prog[cl][n] >= 0)
        n++;
    return w->cluster_prog[cl][synth_rng_below(r, (uint32_t)n)];
}

static int plan_courses(const synth_world *w, synth_person *p,
                        const k12_plan *k, course_plan *c)
{
    synth_rng *r = &p->life;
    int n = 0;
    if (!synth_rng_chance(r, 0.41))
        return 0;
    p->conc_intent = synth_rng_chance(r, 0.54);
    int prog = pick_program(w, r, -1);
    p->cte_prog = prog;
    const synth_program *pr = &w->prog[prog];
    if (p->conc_intent) {
        int want = 2 + (int)synth_rng_below(r, 3);
        if (want > pr->ncourse)
            want = pr->ncourse;
        int h0 = synth_rng_chance(r, 0.4) ? 0 : 1;
        for (int j = 0; j < want && h0 + j < k->hs_len; j++)
            c[n++] = (course_plan){prog, h0 + j,
                                   j < 2 || synth_rng_chance(r, 0.9), 0};
        return n;
    }
    double u = synth_rng_unif(r);
    int h = (int)synth_rng_below(r, (uint32_t)k->hs_len);
    c[n++] = (course_plan){prog, h, synth_rng_chance(r, 0.88), 0};
    if (u < 0.60)
        return n;
    int h2 = h + 1 < k->hs_len ? h + 1 : h;
    if (u < 0.85) { /* a second course in another cluster */
        int other = pick_program(w, r, pr->cluster);
        c[n++] = (course_plan){other, h2, synth_rng_chance(r, 0.88), 0};
    } else { /* two in one program, one of them not passed */
        c[0].completed = 1;
        c[n++] = (course_plan){prog, h2, 0, 0};
    }
    return n;
}

static p20w_status emit_cte(synth_world *w, synth_person *p, const k12_plan *k,
                            p20w_err *err)
{
    course_plan c[6];
    int n = plan_courses(w, p, k, c);
    int done[64] = {0};
    int taken_in_prog[64] = {0};
    for (int i = 0; i < n; i++) {
        int year = k->g9 + c[i].h;
        if (c[i].h > k->exit_h || year > SYNTH_LAST_SCHOOL_YEAR ||
            (p->exit_type >= 0 && year > k->last_year))
            continue;
        if (p->exit_type < 0 && year > k->last_year)
            continue;
        int last_year = p->exit_type >= 0 && year == k->last_year;
        int graduating = p->exit_type == X_GRAD || p->exit_type == X_GRAD_ALT;
        int completed = c[i].completed && (!last_year || graduating);
        const synth_program *pr = &w->prog[c[i].prog];
        int j = taken_in_prog[c[i].prog]++;
        if (j >= pr->ncourse)
            j = pr->ncourse - 1;
        char yr[16];
        snprintf(yr, sizeof yr, "%d", year);
        const char *credit = synth_rng_chance(&p->life, 0.8) ? "1.0" : "0.5";
        const char *f[] = {sid_for(p, year),
                           yr,
                           w->school[k->hs_school[c[i].h]].id,
                           pr->course[j],
                           synth_cluster_code[pr->cluster],
                           pr->code,
                           credit,
                           synth_yn(completed)};
        p20w_status st = synth_emit_row(w, F_K12_CTE, f, 8, err);
        if (st != P20W_OK)
            return st;
        p->cte_part = 1;
        if (completed && ++done[c[i].prog] >= 2)
            p->cte_conc = 1;
    }
    return P20W_OK;
}

static p20w_status emit_wbl_cred(synth_world *w, synth_person *p,
                                 const k12_plan *k, p20w_err *err)
{
    synth_rng *r = &p->life;
    int top = k->exit_h < k->hs_len - 1 ? k->exit_h : k->hs_len - 1;
    if (synth_rng_chance(r, 0.06 + 0.24 * p->conc_intent) && top >= 2) {
        static const char *const type[] = {
            "INTERNSHIP",         "COOP",
            "CLINICAL",           "SCHOOL_ENTERPRISE",
            "PRE_APPRENTICESHIP", "APPRENTICESHIP"};
        static const double tw[] = {35, 15, 15, 12, 13, 10};
        int t = (int)synth_rng_pick_w(r, tw, 6);
        int h = top - (int)synth_rng_below(r, 2);
        int year = k->g9 + h;
        int hours = t == 5 ? synth_rng_range(r, 200, 2000)
                           : synth_rng_range(r, 40, 400);
        int completed = synth_rng_chance(r, 0.85) &&
                        !(h == k->exit_h && p->exit_type >= X_HSE);
        const char *en =
            synth_employer_naics(w, (int)synth_rng_below(r, (uint32_t)w->nemp));
        char naics[7] = "", yr[8], hr[8];
        double u = synth_rng_unif(r);
        if (u < 0.70)
            memcpy(naics, en, 7);
        else if (u < 0.85)
            memcpy(naics, en, 2);
        snprintf(yr, sizeof yr, "%d", year);
        snprintf(hr, sizeof hr, "%d", hours);
        if (year <= k->last_year) {
            const char *f[] = {sid_for(p, year),   yr, type[t], naics, hr,
                               synth_yn(completed)};
            p20w_status st = synth_emit_row(w, F_K12_WBL, f, 6, err);
            if (st != P20W_OK)
                return st;
            p->wbl_done = completed;
        }
    }
    if (synth_rng_chance(r, 0.04 + 0.26 * p->conc_intent) && top >= 2) {
        int cl = p->cte_prog >= 0 ? w->prog[p->cte_prog].cluster
                                  : (int)synth_rng_below(r, SYNTH_NCLUSTER);
        int h = top - (int)synth_rng_below(r, 2);
        int32_t day =
            date_from_ymd(k->g9 + h, 3, 1) + (int32_t)synth_rng_below(r, 80);
        if ((p->exit_type < 0 || day <= p->exit_day) &&
            day <= date_from_ymd(SYNTH_LAST_SCHOOL_YEAR, 6, 30)) {
            char code[48], d[11];
            snprintf(code, sizeof code, "%s-%s-%s", w->opt.state,
                     synth_cluster_code[cl],
                     credential_name[cl][synth_rng_below(r, 2)]);
            date_format(day, d);
            const char *f[] = {sid_for(p, k->g9 + h), code, d};
            p20w_status st = synth_emit_row(w, F_K12_CRED, f, 3, err);
            if (st != P20W_OK)
                return st;
            p->credential = 1;
        }
    }
    return P20W_OK;
}

static p20w_status assess_one(synth_world *w, synth_person *p, int year,
                              const char *subject, double cut, p20w_err *err)
{
    char yr[16];
    double z = 1.7 * (p->ability - cut);
    int prof = synth_rng_chance(&p->life, 1.0 / (1.0 + exp(-z)));
    snprintf(yr, sizeof yr, "%d", year);
    const char *f[] = {sid_for(p, year), yr, subject, synth_yn(prof)};
    return synth_emit_row(w, F_K12_ASSESS, f, 4, err);
}

/* Grade 10 ELA and mathematics, grade 11 science; in K-12 mode also grades
 * 3-8 (science in 4 and 7). Only for students enrolled in the spring. */
static p20w_status emit_assessments(synth_world *w, synth_person *p,
                                    const k12_plan *k, p20w_err *err)
{
    p20w_status st = P20W_OK;
    int seen[13] = {0};
    int first = w->opt.all_grades ? p->cohort - 12 : k->g9;
    for (int y = first; y <= k->last_year && st == P20W_OK; y++) {
        int h = y - k->g9;
        int grade = h >= 0 ? hs_grade(k, h) : y - (p->cohort - 12);
        if (grade < 3 || grade > 12 || seen[grade]++)
            continue;
        if (p->exit_type >= 0 && y == k->last_year &&
            p->exit_day < date_from_ymd(y, 4, 1))
            continue;
        if (grade == 10 || (grade >= 3 && grade <= 8)) {
            st = assess_one(w, p, y, "ELA", 0.1, err);
            if (st == P20W_OK)
                st = assess_one(w, p, y, "MATH", 0.4, err);
        }
        if (st == P20W_OK && (grade == 11 || grade == 4 || grade == 7))
            st = assess_one(w, p, y, "SCI", 0.3, err);
    }
    return st;
}

/* ---- the person ------------------------------------------------------ */

static void fmt_q(int q, char out[8])
{
    if (q < 0)
        out[0] = '\0';
    else
        quarter_format(q, out);
}

static p20w_status emit_truth(synth_world *w, synth_person *p, p20w_err *err)
{
    char birth[11], md[11] = "", twin[24] = "", same[24] = "", cohort[16],
                    xd[11] = "", moved[8], selfq[8];
    date_format(p->birth, birth);
    if (p->marriage_day != 0)
        date_format(p->marriage_day, md);
    if (p->twin_of >= 0)
        snprintf(twin, sizeof twin, "P%09lld", (long long)p->twin_of);
    if (p->same_name_as >= 0)
        snprintf(same, sizeof same, "P%09lld", (long long)p->same_name_as);
    char arrived[8];
    fmt_q(p->arrive_q, arrived);
    snprintf(cohort, sizeof cohort, "%d", p->cohort);
    if (p->in_migrant)
        cohort[0] = '\0';
    int exit_type = p->in_migrant ? -1 : p->exit_type;
    if (exit_type >= 0)
        date_format(p->exit_day, xd);
    fmt_q(p->moved_q, moved);
    fmt_q(p->selfemp_q, selfq);
    int top = E_NONE;
    for (int e = E_HS; e < E_COUNT; e++)
        if (p->award_q[e] >= 0)
            top = e;
    const char *sex = p->sex == 0 ? "F" : p->sex == 1 ? "M" : "X";
    const char *f[] = {
        p->pid,
        p->first,
        p->middle,
        p->last,
        p->suffix,
        birth,
        sex,
        synth_race_code[p->race],
        p->ssn,
        p->marriage_day ? p->married_last : "",
        md,
        twin,
        same,
        w->county[p->county].fips,
        synth_yn(w->county[p->county].rural),
        synth_yn(p->flag[FL_ECON]),
        synth_yn(p->flag[FL_DISAB]),
        synth_yn(p->flag[FL_EL]),
        synth_yn(p->flag[FL_HOMELESS]),
        synth_yn(p->flag[FL_FOSTER]),
        synth_yn(p->flag[FL_MIGRANT]),
        synth_yn(p->flag[FL_MILITARY]),
        p->student_id,
        p->sid2_year ? p->student_id2 : "",
        synth_yn(p->k12_ssn),
        cohort,
        exit_type >= 0 ? synth_exit_code[exit_type] : "",
        xd,
        synth_yn(p->cte_part),
        synth_yn(p->cte_conc),
        p->cte_part && p->cte_prog >= 0 ? w->prog[p->cte_prog].code : "",
        synth_yn(p->wbl_done),
        synth_yn(p->credential),
        synth_yn(p->dual),
        synth_yn(p->ps_enrolled),
        synth_award_code[top],
        synth_yn(p->appr),
        p->dmv ? p->dmv_id : "",
        moved,
        selfq,
        arrived};
    return synth_emit_row(w, F_PERSONS, f, sizeof f / sizeof f[0], err);
}

/* An adult who moves into the state (no K-12 record): 60 % arrive at 18-22
 * (college, first jobs), 40 % at 22-35. For the rest of the life course the
 * arrival plays the part of the high-school exit: 92 % hold a diploma, and
 * those arriving at 22 or later may hold a degree already. */
static void plan_arrival(synth_person *p)
{
    synth_rng *r = &p->life;
    p->in_migrant = 1;
    p->student_id[0] = '\0';
    double age = synth_rng_chance(r, 0.6) ? 18 + 4 * synth_rng_unif(r)
                                          : 22 + 13 * synth_rng_unif(r);
    p->arrive_day = p->birth + (int32_t)(age * 365.25);
    p->exit_type = -1;
    if (p->arrive_day > date_from_ymd(SYNTH_LAST_YEAR, 12, 31))
        return;
    p->arrive_q = synth_q_of(p->arrive_day);
    p->exit_type = synth_rng_chance(r, 0.92) ? X_GRAD : X_DROPOUT;
    p->exit_day = p->arrive_day;
    p->exit_q = p->arrive_q;
    if (age < 22 || p->exit_type != X_GRAD)
        return;
    double u = synth_rng_unif(r);
    if (u < 0.08) {
        p->award_q[E_BACH] = p->award_q[E_GRAD] = p->arrive_q;
    } else if (u < 0.38) {
        p->award_q[E_BACH] = p->arrive_q;
    } else if (u < 0.48) {
        p->award_q[E_ASSOC] = p->arrive_q;
    } else if (u < 0.55) {
        p->award_q[E_CERT] = p->arrive_q;
    }
}

/* 1 % of students (x the noise scale) with two or more school years get a
 * second state id from a random later year; the id is another value of the
 * same bijection (index + 5e9), so it never collides with a real one. */
static void plan_second_id(const synth_world *w, synth_person *p,
                           const k12_plan *k)
{
    int first = w->opt.all_grades ? p->cohort - 12 : k->g9;
    if (k->last_year <= first ||
        !synth_rng_chance(&p->noise, synth_noise_p(w, 0.01)))
        return;
    p->sid2_year =
        first + 1 +
        (int)synth_rng_below(&p->noise, (uint32_t)(k->last_year - first));
    uint64_t sid = ((p->idx + 5000000000ULL) * 7777777771ULL +
                    synth_mix64(w->opt.seed ^ 7)) %
                   10000000000ULL;
    snprintf(p->student_id2, sizeof p->student_id2, "%010llu",
             (unsigned long long)sid);
}

p20w_status synth_person_emit(synth_world *w, uint64_t idx, p20w_err *err)
{
    synth_person *p = p20w_malloc(2 * sizeof *p);
    k12_plan k;
    p20w_status st;
    if (p == NULL)
        return p20w_err_set(err, P20W_ENOMEM, "out of memory");
    memset(p, 0, sizeof *p);
    memset(&k, 0, sizeof k);
    gen_identity(w, idx, p, p + 1);
    make_ssn(w->opt.seed, idx, p->ssn);
    uint64_t sid =
        (idx * 7777777771ULL + synth_mix64(w->opt.seed ^ 7)) % 10000000000ULL;
    snprintf(p->student_id, sizeof p->student_id, "%010llu",
             (unsigned long long)sid);
    synth_rng_seed(&p->life, w->opt.seed, SYNTH_STREAM_LIFE, idx);
    synth_rng_seed(&p->noise, w->opt.seed, SYNTH_STREAM_NOISE, idx);
    p->cte_prog = -1;
    p->moved_q = p->selfemp_q = p->dead_q = p->exit_q = -1;
    for (int e = 0; e < E_COUNT; e++)
        p->award_q[e] = -1;
    p->arrive_q = -1;
    if (idx >= w->opt.learners) {
        plan_arrival(p);
        st = synth_life_after_school(w, p, err);
    } else {
        plan_exit(p, &k);
        plan_second_id(w, p, &k);
        st = k12_enrolment(w, p, &k, err);
        if (st == P20W_OK)
            st = emit_cte(w, p, &k, err);
        if (st == P20W_OK)
            st = emit_wbl_cred(w, p, &k, err);
        if (st == P20W_OK)
            st = emit_assessments(w, p, &k, err);
        if (st == P20W_OK)
            st = synth_life_after_school(w, p, err);
    }
    if (st == P20W_OK)
        st = emit_truth(w, p, err);
    p20w_free(p);
    return st;
}
