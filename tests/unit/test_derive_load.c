/*
 * test_derive_load.c — derive_load() against real stores.
 *
 * 1. A tiny store built from hand-written extracts (ingest) and hand-made
 *    person links (no linkage run, so every link is known): every loaded
 *    fact and derived designation is worked out in the comments. It has a
 *    replaced submission, a wage row no link names, a motor-vehicle-only
 *    person, records that disagree on the birth date, and later a K-12
 *    submission ingested after the links (a provisional person).
 * 2. The same store under allocation failure, and with a broken or missing
 *    county file.
 * 3. A 300-learner synthetic state (synth, ingest, link): the loader's
 *    counts against SQL on the same database, and the designations
 *    against the synthetic truth.
 */
#include "testutil.h"

#include <sys/stat.h>
#include <unistd.h>

#include "derive/derive.h"
#include "dict/codeset.h"
#include "ingest/ingest.h"
#include "link/link.h"
#include "store/store.h"
#include "synth/synth.h"
#include "util/csv.h"
#include "util/date.h"
#include "util/hmap.h"
#include "util/mem.h"

#define Q(y, n) (4 * (y) + (n)-1)

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

/* ---- the hand-made store ------------------------------------------------ */

static const struct {
    const char *name, *text;
} extracts[] = {
    {"k12_schools.csv",
     "school_id,school_name,district_id,district_name,county_fips,locale\n"
     "210010100,Adair County High School,210010,Adair County Schools,21001,"
     "33\n"
     "211110100,Jefferson High School,211110,Jefferson County Schools,21111,"
     "11\n"},
    {"k12_students.csv",
     "student_id,school_year,school_id,grade_level,first_name,middle_name,"
     "last_name,name_suffix,birth_date,sex,race_ethnicity,ssn,zip,econ_"
     "disadvantaged,disability,english_learner,homeless,foster_care,migrant,"
     "military_connected,days_enrolled,days_absent\n"
     "1001,2018,210010100,09,Ann,,Lee,,2003-04-17,F,WH,,,Y,N,N,N,N,N,N,,\n"
     "1001,2019,210010100,10,Ann,,Lee,,2003-04-17,F,WH,,,Y,N,N,N,N,N,N,,\n"
     "1001,2020,211110100,11,Ann,,Lee,,2003-04-17,F,WH,,,N,N,N,N,N,N,N,,\n"
     "1001,2021,211110100,12,Ann,,Lee,,2003-04-17,F,WH,,,N,N,N,N,N,N,N,,\n"
     "1002,2019,210010100,09,Bob,,Ray,,2004-09-02,M,BL,,,N,Y,N,N,N,N,N,,\n"
     "1003,2020,211110100,09,Cy,,Diaz,,2005-01-11,F,HI,,,N,N,Y,N,N,N,N,,\n"},
    {"k12_exits.csv", "student_id,school_id,exit_date,exit_type,cohort_year\n"
                      "1001,211110100,2021-06-01,GRAD,2021\n"
                      "1002,210010100,2020-02-01,DROPOUT,\n"},
    {"k12_cte_courses.csv",
     "student_id,school_year,school_id,sced_code,career_cluster,program_of_"
     "study,credits,completed\n"
     "1001,2019,210010100,14001,HS,KYHS01,1.0,Y\n"
     "1001,2020,211110100,14002,HS,KYHS01,1.0,Y\n"
     "1002,2019,210010100,14001,HS,KYHS01,0.5,N\n"},
    {"k12_wbl.csv",
     "student_id,school_year,wbl_type,employer_naics,hours,completed\n"
     "1001,2021,INTERNSHIP,,120,Y\n"},
    {"k12_credentials.csv", "student_id,credential_code,earned_date\n"
                            "1001,KY-BM-MOS-EXCEL,2021-05-01\n"},
    {"k12_assessments.csv", "student_id,school_year,subject,proficient\n"
                            "1001,2019,ELA,Y\n"
                            "1002,2019,MATH,N\n"},
    {"ps_institutions.csv",
     "institution_id,institution_name,sector,county_fips\n"
     "163000,Nelson Community and Technical College,PUB2,21111\n"},
    {"ps_enrollments.csv",
     "ps_student_id,institution_id,first_name,middle_name,last_name,birth_"
     "date,sex,race_ethnicity,ssn,zip,term,award_level_sought,cip_code,"
     "credits_attempted,credits_earned,dual_enrollment,cte_program\n"
     "S1,163000,Ann,,Lee,2003-04-17,F,WH,,,2021FA,CERT,51.0801,12.0,12.0,N,"
     "Y\n"
     "S1,163000,Ann,,Lee,2003-04-17,F,WH,,,2022SP,CERT,51.0801,6.0,6.0,N,Y\n"
     "S9,163000,Dan,,Fox,1995-08-20,M,AS,,,2019FA,ASSOC,52.0201,12.0,9.0,,"
     "\n"},
    {"ps_completions.csv",
     "ps_student_id,institution_id,award_date,award_level,cip_code\n"
     "S1,163000,2022-05-15,CERT,51.0801\n"},
    {"ui_employers.csv", "employer_id,naics,county_fips\n"
                         "2100000001,722511,21001\n"
                         "2100000002,621111,21111\n"},
    {"ui_wages.csv", "ssn,last_name,first_name,employer_id,quarter,wages\n"
                     "123456789,LEE,A,2100000001,2021Q3,1500.00\n"
                     "123456789,LEE,A,2100000002,2021Q3,500.50\n"
                     "123456789,LEE,A,2100000001,2022Q3,3000.00\n"
                     "000123456,NOBODY,X,2100000001,2020Q1,100.00\n"
                     "234567890,FOX,D,2100000002,2023Q4,2000.00\n"},
    {"apprenticeships.csv",
     "apprentice_id,first_name,last_name,birth_date,ssn,soc_code,start_"
     "date,end_date,status\n"
     "A1,Bob,Ray,2004-09-02,,47-2111,2021-01-04,2023-01-03,COMPLETED\n"},
    {"dmv_ids.csv",
     "dmv_id,first_name,middle_name,last_name,birth_date,sex,zip,ssn\n"
     "D1,Dan,,Fox,1995-07-20,M,,\n"
     "D2,Bob,,Ray,2004-10-02,M,,\n"
     "D3,Eve,,Moe,1990-02-02,F,,\n"},
};

typedef struct fx {
    char dir[64];
    char db[128];
    store *st;
    codeset_registry *reg;
} fx;

static void put(const char *dir, const char *name, const char *text)
{
    char p[256];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    FILE *f = fopen(p, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static int64_t count(store *st, const char *sql)
{
    store_stmt *q = NULL;
    int row = 0;
    assert_int_equal(store_prepare(st, sql, &q, NULL), P20W_OK);
    assert_int_equal(store_step(q, &row, NULL), P20W_OK);
    assert_true(row);
    int64_t n = store_column_int64(q, 0);
    store_finalize(q);
    return n;
}

static void ingest_one(fx *f, const char *path, const char *period)
{
    ingest_options o;
    ingest_report *r = NULL;
    p20w_err err;
    memset(&err, 0, sizeof err);
    ingest_options_init(&o);
    o.period = period;
    assert_int_equal(ingest_file(f->st, f->reg, path, &o, &r, &err), P20W_OK);
    assert_int_equal(ingest_report_outcome(r), INGEST_ACCEPTED);
    assert_int_equal(ingest_report_rows_rejected(r), 0);
    ingest_report_free(r);
}

static void add_link(fx *f, const char *source, const char *key, int64_t id)
{
    store_stmt *q = NULL;
    int row;
    assert_int_equal(store_prepare(f->st,
                                   "INSERT OR IGNORE INTO persons (p20w_id, "
                                   "created_at) VALUES (?, 'test')",
                                   &q, NULL),
                     P20W_OK);
    assert_int_equal(store_bind_int64(q, 1, id, NULL), P20W_OK);
    assert_int_equal(store_step(q, &row, NULL), P20W_OK);
    store_finalize(q);
    assert_int_equal(store_prepare(f->st,
                                   "INSERT INTO person_links (source, "
                                   "record_key, p20w_id, method, linked_at) "
                                   "VALUES (?, ?, ?, 'manual', 'test')",
                                   &q, NULL),
                     P20W_OK);
    assert_int_equal(store_bind_text(q, 1, source, (size_t)-1, NULL), P20W_OK);
    assert_int_equal(store_bind_text(q, 2, key, (size_t)-1, NULL), P20W_OK);
    assert_int_equal(store_bind_int64(q, 3, id, NULL), P20W_OK);
    assert_int_equal(store_step(q, &row, NULL), P20W_OK);
    store_finalize(q);
}

/* "<submission of source>:<line>" */
static void row_key(fx *f, const char *source, int line, char *out, size_t cap)
{
    store_stmt *q = NULL;
    int row = 0;
    assert_int_equal(store_prepare(f->st,
                                   "SELECT submission_id FROM submissions "
                                   "WHERE source = ? AND status = 'accepted'",
                                   &q, NULL),
                     P20W_OK);
    assert_int_equal(store_bind_text(q, 1, source, (size_t)-1, NULL), P20W_OK);
    assert_int_equal(store_step(q, &row, NULL), P20W_OK);
    assert_true(row);
    snprintf(out, cap, "%lld:%d", (long long)store_column_int64(q, 0), line);
    store_finalize(q);
}

static int setup(void **state)
{
    fx *f = calloc(1, sizeof *f);
    char sub[96], path[160], key[64];
    p20w_err err;
    ingest_options o;
    memset(&err, 0, sizeof err);
    snprintf(f->dir, sizeof f->dir, "/tmp/p20w-derive-XXXXXX");
    if (mkdtemp(f->dir) == NULL)
        return -1;
    snprintf(f->db, sizeof f->db, "%s/t.db", f->dir);
    if (store_open(f->db, STORE_OPEN_CREATE | STORE_OPEN_MIGRATE, &f->st, NULL,
                   &err) != P20W_OK ||
        codeset_registry_load(P20W_DATADIR, &f->reg, &err) != P20W_OK)
        return -1;
    *state = f;
    /* An earlier exits file of the same period, replaced by the one in
     * the folder: its DROPOUT of student 1001 is history. */
    snprintf(sub, sizeof sub, "%s/old", f->dir);
    assert_int_equal(mkdir(sub, 0700), 0);
    for (size_t i = 0; i < sizeof extracts / sizeof extracts[0]; i++)
        put(f->dir, extracts[i].name, extracts[i].text);
    put(sub, "k12_exits.csv",
        "student_id,school_id,exit_date,exit_type,cohort_year\n"
        "1001,210010100,2019-01-15,DROPOUT,2021\n");
    ingest_options_init(&o);
    assert_int_equal(ingest_dir(f->st, f->reg, f->dir, &o, NULL, NULL, &err),
                     P20W_OK);
    snprintf(path, sizeof path, "%s/k12_exits.csv", sub);
    ingest_one(f, path, NULL); /* replaces the folder's exits ... */
    snprintf(path, sizeof path, "%s/k12_exits.csv", f->dir);
    put(f->dir, "k12_exits.csv",
        "student_id,school_id,exit_date,exit_type,cohort_year\n"
        "1002,210010100,2020-02-01,DROPOUT,\n"
        "1001,211110100,2021-06-01,GRAD,2021\n");
    ingest_one(f, path, NULL); /* ... and is replaced in turn */
    assert_int_equal(count(f->st, "SELECT count(*) FROM submissions WHERE "
                                  "source = 'k12_exits' AND status = "
                                  "'replaced'"),
                     2);
    /* Persons: Ann 11 (K-12 1001, college S1, three wage rows), Bob 12
     * (K-12 1002, apprentice A1, DMV D2), Cy 13 (K-12 1003), Dan 19
     * (college S9, a wage row, DMV D1), Eve 20 (DMV only). Wage line 5
     * (invalid SSN) is linked to no one; a stale link names a line that
     * does not exist. */
    add_link(f, "k12_students", "1001", 11);
    add_link(f, "k12_students", "1002", 12);
    add_link(f, "k12_students", "1003", 13);
    add_link(f, "ps_enrollments", "163000/S1", 11);
    add_link(f, "ps_enrollments", "163000/S9", 19);
    add_link(f, "apprenticeships", "A1", 12);
    for (int line = 2; line <= 4; line++) {
        row_key(f, "ui_wages", line, key, sizeof key);
        add_link(f, "ui_wages", key, 11);
    }
    row_key(f, "ui_wages", 6, key, sizeof key);
    add_link(f, "ui_wages", key, 19);
    row_key(f, "ui_wages", 99, key, sizeof key);
    add_link(f, "ui_wages", key, 11);
    row_key(f, "dmv_ids", 2, key, sizeof key);
    add_link(f, "dmv_ids", key, 19);
    row_key(f, "dmv_ids", 3, key, sizeof key);
    add_link(f, "dmv_ids", key, 12);
    row_key(f, "dmv_ids", 4, key, sizeof key);
    add_link(f, "dmv_ids", key, 20);
    return 0;
}

static int teardown(void **state)
{
    fx *f = *state;
    char cmd[200];
    store_close(f->st);
    codeset_registry_free(f->reg);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
    if (system(cmd) != 0)
        return -1;
    free(f);
    return 0;
}

static const tl_person *get(const tl_state *st, int64_t id)
{
    int32_t i = tl_person_find(st, id);
    if (i == TL_NONE)
        fail_msg("no person %lld", (long long)id);
    return (const tl_person *)st->persons.data + i;
}

/* KY rows of the county file, and their distinct commuting zones. */
static void ky_counties(size_t *counties, size_t *zones)
{
    csv_reader *r = NULL;
    const csv_field *fl;
    size_t n;
    hmap *cz = NULL;
    char path[256];
    snprintf(path, sizeof path, "%s/us_counties.csv", P20W_DATADIR);
    assert_int_equal(csv_reader_open_file(path, NULL, &r, NULL), P20W_OK);
    assert_int_equal(hmap_create(&cz), P20W_OK);
    *counties = 0;
    assert_int_equal(csv_read(r, &fl, &n, NULL), P20W_OK); /* header */
    while (csv_read(r, &fl, &n, NULL) == P20W_OK && n > 0) {
        if (strncmp(fl[0].ptr, "21", 2) != 0)
            continue;
        (*counties)++;
        if (fl[12].len > 0)
            assert_int_equal(hmap_put_str(cz, fl[12].ptr, NULL), P20W_OK);
    }
    *zones = hmap_count(cz);
    hmap_free(cz);
    csv_reader_close(r);
}

static void test_tiny_store(void **state)
{
    fx *f = *state;
    p20w_profile prof = default_profile();
    tl_state *st = NULL;
    p20w_err err;
    size_t ky, zones;
    memset(&err, 0, sizeof err);
    assert_int_equal(derive_load(f->st, &prof, P20W_DATADIR, &st, &err),
                     P20W_OK);
    assert_true(tl_is_finished(st));
    assert_int_equal(derive_rules(st, &prof, &err), P20W_OK);

    /* Reference tables. Every county of Kentucky (the only state the
     * schools, college and employers use), one region per commuting
     * zone; Adair (21001): RUCC 7, zone 468; Jefferson (21111): RUCC 1,
     * zone 26. */
    ky_counties(&ky, &zones);
    assert_int_equal(st->counties.len, ky);
    assert_int_equal(st->regions.len, zones);
    const tl_county *c = st->counties.data;
    int32_t adair = tl_find_county(st, "21001"),
            jefferson = tl_find_county(st, "21111");
    assert_true(adair != TL_NONE && jefferson != TL_NONE);
    assert_int_equal(c[adair].rural, 1);
    assert_int_equal(c[jefferson].rural, 0);
    assert_string_equal(((tl_region *)st->regions.data)[c[adair].region].name,
                        "CZ 468");
    assert_string_equal(
        ((tl_region *)st->regions.data)[c[jefferson].region].name, "CZ 26");
    assert_int_equal(st->schools.len, 2);
    assert_int_equal(st->districts.len, 2);
    const tl_school *s = st->schools.data;
    int32_t adair_hs = tl_find_school(st, "210010100"),
            jeff_hs = tl_find_school(st, "211110100");
    assert_int_equal(s[adair_hs].locale, TL_LOCALE_TOWN);
    assert_int_equal(s[adair_hs].county, adair);
    assert_int_equal(s[jeff_hs].locale, TL_LOCALE_CITY);
    assert_int_equal(st->institutions.len, 1);
    int32_t nelson = tl_find_institution(st, "163000");
    assert_string_equal(
        ((tl_institution *)st->institutions.data)[nelson].sector, "PUB2");
    assert_int_equal(st->employers.len, 2);
    const tl_employer *e = (const tl_employer *)st->employers.data +
                           tl_find_employer(st, "2100000001");
    assert_int_equal(e->naics6, 722511);
    assert_int_equal(e->sector, 72);
    assert_int_equal(e->county, adair);
    assert_int_equal(st->programs.len, 1);
    int32_t kyhs01 = tl_find_program(st, "KYHS01");
    assert_int_equal(((tl_program *)st->programs.data)[kyhs01].cluster,
                     TL_CL_HS);

    /* Persons: 11, 12, 13, 19; Eve (20) has only a motor-vehicle record. */
    assert_int_equal(st->persons.len, 4);
    assert_int_equal(tl_person_find(st, 20), TL_NONE);
    /* The wage data run from the unlinked row's 2020Q1 to 2023Q4. */
    assert_int_equal(st->wage_q_first, Q(2020, 1));
    assert_int_equal(st->wage_q_last, Q(2023, 4));
    assert_int_equal(st->wages.len, 4);

    /* Ann: four K-12 years, ECON in grades 9-10; the live exits file
     * says GRAD on 2021-06-01 at Jefferson (the replaced DROPOUT is
     * history); two CTE courses in KYHS01; born April 2003. */
    const tl_person *p = get(st, 11);
    assert_int_equal(p->enrol_n, 4);
    assert_int_equal(p->k12exit_n, 1);
    assert_int_equal(p->cte_n, 2);
    assert_int_equal(p->wbl_n, 1);
    assert_int_equal(p->cred_n, 1);
    assert_int_equal(p->assess_n, 1);
    assert_int_equal(p->term_n, 2);
    assert_int_equal(p->award_n, 1);
    assert_int_equal(p->wage_n, 3);
    assert_int_equal(p->birth_ym, 2003 * 12 + 3);
    assert_int_equal(p->sex, 'F');
    assert_int_equal(p->race, TL_RACE_WH);
    assert_int_equal(p->flags, TL_F_ECON);
    assert_int_equal(p->cohort_year, 2021);
    assert_int_equal(p->hs_exit_type, TL_EXIT_GRAD);
    assert_int_equal(p->grad_on_time, 1);
    assert_int_equal(p->hs_exit_school, jeff_hs);
    assert_int_equal(p->last_school, jeff_hs);
    assert_int_equal(p->home_county, jefferson);
    assert_int_equal(p->cte_concentrator, 1);
    assert_int_equal(p->conc_program, kyhs01);
    assert_int_equal(p->wbl_types, 1 << TL_WBL_INTERNSHIP);
    assert_int_equal(p->cred_before_exit, 1);
    /* 12 + 6 CTE credits at (163000, 51.0801), entered 2021FA. */
    assert_int_equal(p->ps_concentrator, 1);
    assert_int_equal(p->ps_conc_cip, 510801);
    assert_int_equal(p->ps_conc_inst, nelson);
    assert_int_equal(p->ps_entry_q, Q(2021, 3));
    assert_int_equal(p->ps_entry_level, TL_AWARD_CERT);
    /* Wages: $1,500.00 + $500.50 in 2021Q3 at two employers. */
    assert_int_equal(tl_quarter_wages(st, p, Q(2021, 3)), 200050);
    assert_int_equal(tl_quarter_wages(st, p, Q(2022, 3)), 300000);
    assert_int_equal(tl_main_employer(st, p, Q(2021, 3), Q(2021, 3)),
                     tl_find_employer(st, "2100000001"));
    /* Exits: the diploma (with KYHS01), the certificate of May 2022. */
    assert_int_equal(p->exit_n, 2);
    const tl_exit_event *x =
        (const tl_exit_event *)st->exits.data + p->exit_off;
    assert_int_equal(x[0].kind, TL_EXITER_HS_GRAD);
    assert_int_equal(x[0].program, kyhs01);
    assert_int_equal(x[1].kind, TL_EXITER_PS_COMPLETER);
    assert_int_equal(x[1].exit_q, Q(2022, 2));

    /* Bob: K-12 says born September 2004, the DMV October: K-12 wins. No
     * cohort_year on his DROPOUT row: grade 9 in 2019 + 3 = 2022. A
     * completed apprenticeship ending 2023-01-03. */
    p = get(st, 12);
    assert_int_equal(p->birth_ym, 2004 * 12 + 8);
    assert_int_equal(p->cohort_year, 2022);
    assert_int_equal(p->flags, TL_F_DISABILITY);
    assert_int_equal(p->cte_participant, 0);
    assert_int_equal(p->appr_n, 1);
    assert_int_equal(p->exit_n, 2);
    x = (const tl_exit_event *)st->exits.data + p->exit_off;
    assert_int_equal(x[0].kind, TL_EXITER_HS_NONCOMPLETER);
    assert_int_equal(x[0].exit_q, Q(2020, 1));
    assert_int_equal(x[1].kind, TL_EXITER_APPR_COMPLETER);
    assert_int_equal(x[1].soc, 472111);
    assert_int_equal(x[1].exit_q, Q(2023, 1));

    p = get(st, 13);
    assert_int_equal(p->cohort_year, 2023);
    assert_int_equal(p->flags, TL_F_EL);
    assert_int_equal(p->birth_ym, 2005 * 12 + 0);

    /* Dan: the DMV's July 1995 beats the college's August. One term,
     * 2019FA, and the postsecondary data run to 2022Q2: a leaver at the
     * end of 2019. Home: the college's county. */
    p = get(st, 19);
    assert_int_equal(p->birth_ym, 1995 * 12 + 6);
    assert_int_equal(p->sex, 'M');
    assert_int_equal(p->race, TL_RACE_AS);
    assert_int_equal(p->home_county, jefferson);
    assert_int_equal(p->in_k12, 0);
    assert_int_equal(tl_quarter_wages(st, p, Q(2023, 4)), 200000);
    assert_int_equal(p->exit_n, 1);
    x = (const tl_exit_event *)st->exits.data + p->exit_off;
    assert_int_equal(x[0].kind, TL_EXITER_PS_LEAVER);
    assert_int_equal(x[0].level, TL_AWARD_ASSOC);
    assert_int_equal(x[0].exit_q, Q(2019, 4));
    tl_state_free(st);

    /* A workforce-region profile: two regions, in the profile's order;
     * counties it does not name have none. */
    static const p20w_region_entry regions[] = {{"21111", "Louisville area"},
                                                {"21001", "Lake Cumberland"},
                                                {"21003", "Lake Cumberland"}};
    prof.regions = regions;
    prof.region_count = 3;
    assert_int_equal(derive_load(f->st, &prof, P20W_DATADIR, &st, &err),
                     P20W_OK);
    assert_int_equal(st->regions.len, 2);
    assert_string_equal(((tl_region *)st->regions.data)[0].name,
                        "Louisville area");
    c = st->counties.data;
    assert_int_equal(c[tl_find_county(st, "21111")].region, 0);
    assert_int_equal(c[tl_find_county(st, "21001")].region, 1);
    assert_int_equal(c[tl_find_county(st, "21003")].region, 1);
    assert_int_equal(c[tl_find_county(st, "21005")].region, TL_NONE);
    tl_state_free(st);
}

/* A K-12 file ingested after the links: its student is a person of his
 * own with a provisional negative id; a row whose code does not parse (a
 * hand-edited store) is skipped, not fatal. */
static void test_unlinked_and_bad_rows(void **state)
{
    fx *f = *state;
    p20w_profile prof = default_profile();
    tl_state *st = NULL;
    p20w_err err;
    char sub[96], path[160];
    memset(&err, 0, sizeof err);
    snprintf(sub, sizeof sub, "%s/later", f->dir);
    assert_int_equal(mkdir(sub, 0700), 0);
    put(sub, "k12_students.csv",
        "student_id,school_year,school_id,grade_level,first_name,middle_name,"
        "last_name,name_suffix,birth_date,sex,race_ethnicity,ssn,zip,econ_"
        "disadvantaged,disability,english_learner,homeless,foster_care,"
        "migrant,military_connected,days_enrolled,days_absent\n"
        "1004,2022,210010100,09,Gus,,Ng,,2007-03-03,M,AI,,,N,N,N,N,N,N,N,,\n");
    snprintf(path, sizeof path, "%s/k12_students.csv", sub);
    ingest_one(f, path, "2022");
    assert_int_equal(store_exec(f->st,
                                "UPDATE stg_k12_assessments SET subject = "
                                "'HIST' WHERE student_id = '1002'",
                                &err),
                     P20W_OK);
    assert_int_equal(derive_load(f->st, &prof, P20W_DATADIR, &st, &err),
                     P20W_OK);
    assert_int_equal(derive_rules(st, &prof, &err), P20W_OK);
    assert_int_equal(st->persons.len, 5);
    const tl_person *p = (const tl_person *)st->persons.data;
    assert_int_equal(p->p20w_id, -1);
    assert_int_equal(p->enrol_n, 1);
    assert_int_equal(p->cohort_year, 2025);
    assert_int_equal(p->birth_ym, 2007 * 12 + 2);
    assert_int_equal(p->race, TL_RACE_AI);
    assert_int_equal(get(st, 12)->assess_n, 0);
    assert_int_equal(get(st, 11)->assess_n, 1);
    tl_state_free(st);
}

static void test_county_file_errors(void **state)
{
    fx *f = *state;
    p20w_profile prof = default_profile();
    tl_state *st = (tl_state *)&prof; /* must come back NULL */
    p20w_err err;
    char dir[96];
    memset(&err, 0, sizeof err);
    snprintf(dir, sizeof dir, "%s/nodata", f->dir);
    assert_int_equal(mkdir(dir, 0700), 0);
    assert_int_equal(derive_load(f->st, &prof, dir, &st, &err), P20W_EIO);
    assert_null(st);
    put(dir, "us_counties.csv", "county_fips,rucc_2023\n21001,7\n");
    assert_int_equal(derive_load(f->st, &prof, dir, &st, &err), P20W_EFORMAT);
    assert_null(st);
    assert_non_null(strstr(err.msg, "ers_commuting_zone_2000"));
    put(dir, "us_counties.csv",
        "county_fips,rucc_2023,rucc_2013,ers_commuting_zone_2000\n"
        "2100,7,7,468\n");
    assert_int_equal(derive_load(f->st, &prof, dir, &st, &err), P20W_EFORMAT);
    assert_int_equal(err.line, 2);
    assert_null(st);
    /* A county file without the data's counties: they are still added,
     * with no region and rurality unknown. */
    put(dir, "us_counties.csv",
        "county_fips,rucc_2023,rucc_2013,ers_commuting_zone_2000\n"
        "21003,3,3,157\n");
    assert_int_equal(derive_load(f->st, &prof, dir, &st, &err), P20W_OK);
    assert_int_equal(st->counties.len, 3); /* 21003, 21001, 21111 */
    const tl_county *c = st->counties.data;
    assert_int_equal(c[tl_find_county(st, "21001")].rural, -1);
    assert_int_equal(c[tl_find_county(st, "21001")].region, TL_NONE);
    assert_int_equal(c[tl_find_county(st, "21003")].rural, 0);
    tl_state_free(st);
}

/* Every allocation of a load may fail: ENOMEM, *out NULL, nothing leaked
 * (ASan); the first run that does not fail loads what the others would. */
static void test_load_alloc_failures(void **state)
{
    fx *f = *state;
    p20w_profile prof = default_profile();
    int failures = 0;
    for (long n = 0;; n++) {
        tl_state *st = NULL;
        p20w_err err;
        memset(&err, 0, sizeof err);
        p20w_mem_fail_after(n);
        p20w_status rc = derive_load(f->st, &prof, P20W_DATADIR, &st, &err);
        int failed = p20w_mem_failed();
        p20w_mem_fail_reset();
        if (!failed) {
            assert_int_equal(rc, P20W_OK);
            assert_int_equal(st->persons.len, 4);
            assert_int_equal(st->wages.len, 4);
            assert_int_equal(get(st, 11)->birth_ym, 2003 * 12 + 3);
            tl_state_free(st);
            break;
        }
        failures++;
        if (rc != P20W_ENOMEM)
            fail_msg("allocation %ld: status %d (%s)", n, rc, err.msg);
        assert_null(st);
    }
    assert_true(failures > 50);
}

/* ---- the synthetic state ------------------------------------------------ */

typedef struct synth_fx {
    char dir[64];
    char out[96];
    char db[128];
    store *st;
} synth_fx;

static int synth_setup(void **state)
{
    synth_fx *f = calloc(1, sizeof *f);
    p20w_err err;
    memset(&err, 0, sizeof err);
    snprintf(f->dir, sizeof f->dir, "/tmp/p20w-derive-synth-XXXXXX");
    if (mkdtemp(f->dir) == NULL)
        return -1;
    snprintf(f->out, sizeof f->out, "%s/s", f->dir);
    snprintf(f->db, sizeof f->db, "%s/t.db", f->dir);
    if (store_open(f->db, STORE_OPEN_CREATE | STORE_OPEN_MIGRATE, &f->st, NULL,
                   &err) != P20W_OK ||
        testutil_linked_state(f->st, f->dir, 300, 3, &err) != P20W_OK) {
        fprintf(stderr, "synth_setup: %s\n", err.msg);
        return -1;
    }
    *state = f;
    return 0;
}

static int synth_teardown(void **state)
{
    synth_fx *f = *state;
    char cmd[200];
    store_close(f->st);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
    if (system(cmd) != 0)
        return -1;
    free(f);
    return 0;
}

/* The truth's values for one learner. */
typedef struct truth_row {
    char student_id[24];
    char exit_type[16];
    int cohort_year;
    int concentrator;
    char program[16];
} truth_row;

static size_t read_truth(const char *dir, truth_row **out)
{
    char path[256];
    csv_reader *r = NULL;
    const csv_field *fl;
    size_t n, rows = 0, cap = 0;
    int c_sid = -1, c_exit = -1, c_cohort = -1, c_conc = -1, c_prog = -1;
    truth_row *t = NULL;
    snprintf(path, sizeof path, "%s/truth/persons.csv", dir);
    assert_int_equal(csv_reader_open_file(path, NULL, &r, NULL), P20W_OK);
    assert_int_equal(csv_read(r, &fl, &n, NULL), P20W_OK);
    for (size_t i = 0; i < n; i++) {
        if (strcmp(fl[i].ptr, "student_id") == 0)
            c_sid = (int)i;
        if (strcmp(fl[i].ptr, "exit_type") == 0)
            c_exit = (int)i;
        if (strcmp(fl[i].ptr, "cohort_year") == 0)
            c_cohort = (int)i;
        if (strcmp(fl[i].ptr, "cte_concentrator") == 0)
            c_conc = (int)i;
        if (strcmp(fl[i].ptr, "cte_program") == 0)
            c_prog = (int)i;
    }
    assert_true(c_sid >= 0 && c_exit >= 0 && c_cohort >= 0 && c_conc >= 0 &&
                c_prog >= 0);
    while (csv_read(r, &fl, &n, NULL) == P20W_OK && n > 0) {
        if (fl[c_sid].len == 0)
            continue; /* an adult who moved in: no K-12 record */
        if (rows == cap) {
            cap = cap ? 2 * cap : 64;
            t = realloc(t, cap * sizeof *t);
            assert_non_null(t);
        }
        snprintf(t[rows].student_id, sizeof t[rows].student_id, "%s",
                 fl[c_sid].ptr);
        snprintf(t[rows].exit_type, sizeof t[rows].exit_type, "%s",
                 fl[c_exit].ptr);
        t[rows].cohort_year = (int)strtol(fl[c_cohort].ptr, NULL, 10);
        t[rows].concentrator = fl[c_conc].ptr[0] == 'Y';
        snprintf(t[rows].program, sizeof t[rows].program, "%s", fl[c_prog].ptr);
        rows++;
    }
    csv_reader_close(r);
    *out = t;
    return rows;
}

static int64_t p20w_of_student(store *st, const char *student_id)
{
    store_stmt *q = NULL;
    int row = 0;
    int64_t id = 0;
    assert_int_equal(store_prepare(st,
                                   "SELECT p20w_id FROM person_links WHERE "
                                   "source = 'k12_students' AND record_key = "
                                   "?",
                                   &q, NULL),
                     P20W_OK);
    assert_int_equal(store_bind_text(q, 1, student_id, (size_t)-1, NULL),
                     P20W_OK);
    assert_int_equal(store_step(q, &row, NULL), P20W_OK);
    if (row)
        id = store_column_int64(q, 0);
    store_finalize(q);
    return id;
}

static void test_synthetic_state(void **state)
{
    synth_fx *f = *state;
    p20w_profile prof = default_profile();
    tl_state *st = NULL;
    p20w_err err;
    memset(&err, 0, sizeof err);
    assert_int_equal(derive_load(f->st, &prof, P20W_DATADIR, &st, &err),
                     P20W_OK);
    assert_int_equal(derive_rules(st, &prof, &err), P20W_OK);

    /* Counts against plain SQL on the same database. */
    size_t with_k12 = 0, k12_birth = 0, awards = 0;
    int64_t cents = 0;
    const tl_person *ps = st->persons.data;
    for (size_t i = 0; i < st->persons.len; i++) {
        with_k12 += ps[i].enrol_n > 0;
        k12_birth += ps[i].enrol_n > 0 && ps[i].birth_ym != TL_NONE;
        awards += ps[i].award_n;
        cents += tl_window_wages(st, &ps[i], INT32_MIN, INT32_MAX, 0, NULL);
        assert_true(ps[i].p20w_id > 0); /* linked: no provisional person */
    }
    assert_int_equal(st->persons.len,
                     count(f->st, "SELECT count(DISTINCT p20w_id) FROM "
                                  "person_links WHERE source <> 'dmv_ids'"));
    assert_int_equal(with_k12, count(f->st, "SELECT count(DISTINCT l.p20w_id) "
                                            "FROM stg_k12_students k JOIN "
                                            "person_links l ON l.source = "
                                            "'k12_students' AND l.record_key "
                                            "= k.record_key"));
    assert_int_equal(k12_birth, with_k12);
    assert_int_equal(st->enrols.len,
                     count(f->st, "SELECT count(*) FROM stg_k12_students"));
    assert_int_equal(st->k12exits.len,
                     count(f->st, "SELECT count(*) FROM stg_k12_exits"));
    assert_int_equal(st->ctes.len,
                     count(f->st, "SELECT count(*) FROM stg_k12_cte_courses"));
    assert_int_equal(st->terms.len,
                     count(f->st, "SELECT count(*) FROM stg_ps_enrollments"));
    assert_int_equal(awards,
                     count(f->st, "SELECT count(*) FROM stg_ps_completions"));
    assert_int_equal(st->apprs.len,
                     count(f->st, "SELECT count(*) FROM stg_apprenticeships"));
    assert_int_equal(cents,
                     count(f->st, "SELECT sum(w.wages_cents) FROM stg_ui_wages "
                                  "w JOIN person_links l ON l.source = "
                                  "'ui_wages' AND l.record_key = "
                                  "w.record_key"));
    int qf, ql;
    store_stmt *q = NULL;
    int row = 0;
    assert_int_equal(store_prepare(f->st,
                                   "SELECT min(quarter), max(quarter) FROM "
                                   "stg_ui_wages",
                                   &q, NULL),
                     P20W_OK);
    assert_int_equal(store_step(q, &row, NULL), P20W_OK);
    assert_int_equal(quarter_parse(store_column_text(q, 0), 6, &qf), P20W_OK);
    assert_int_equal(quarter_parse(store_column_text(q, 1), 6, &ql), P20W_OK);
    store_finalize(q);
    assert_int_equal(st->wage_q_first, qf);
    assert_int_equal(st->wage_q_last, ql);
    assert_int_equal(st->schools.len,
                     count(f->st, "SELECT count(*) FROM stg_k12_schools"));
    assert_int_equal(st->employers.len,
                     count(f->st, "SELECT count(*) FROM stg_ui_employers"));

    /* Against the truth, learner by learner (through the K-12 link): exit
     * type, cohort, CTE concentration and the concentrator's program (the
     * truth names a program for every CTE taker; only a concentrator's is
     * a designation). Linkage errors show up here too (at seed 3 two name
     * twins are merged, and the one exit row of the merged person
     * decides for both): allow 2 % of mismatches, the totals within 2 %. */
    truth_row *t = NULL;
    size_t n = read_truth(f->out, &t), bad = 0, grads_truth = 0, grads = 0;
    size_t conc_truth = 0, conc = 0;
    for (size_t i = 0; i < n; i++) {
        static const char *const types[] = {
            "",        "GRAD",         "GRAD_ALT", "HSE",
            "DROPOUT", "TRANSFER_OUT", "DECEASED"};
        int64_t id = p20w_of_student(f->st, t[i].student_id);
        int32_t k = tl_person_find(st, id);
        const tl_person *p;
        const char *prog;
        assert_true(k != TL_NONE);
        p = &ps[k];
        grads_truth += strcmp(t[i].exit_type, "GRAD") == 0;
        grads += p->hs_exit_type == TL_EXIT_GRAD;
        conc_truth += t[i].concentrator;
        conc += p->cte_concentrator;
        prog = p->conc_program == TL_NONE
                   ? ""
                   : ((tl_program *)st->programs.data)[p->conc_program].id;
        if (strcmp(types[p->hs_exit_type], t[i].exit_type) != 0 ||
            p->cohort_year != t[i].cohort_year ||
            p->cte_concentrator != t[i].concentrator ||
            (t[i].concentrator && strcmp(prog, t[i].program) != 0))
            bad++;
    }
    free(t);
    assert_true(n >= 300);
    assert_true(bad * 50 <= n);
    assert_true(grads * 50 >= grads_truth * 49 &&
                grads * 50 <= grads_truth * 51);
    assert_true(conc * 50 >= conc_truth * 49 && conc * 50 <= conc_truth * 51);
    /* The graduation rate of docs/synthetic-data.md: 85 % of exits other
     * than transfers and deaths (within the documented 2 points plus
     * sampling at 300 learners, ±6). */
    size_t exits = 0;
    for (size_t i = 0; i < st->persons.len; i++)
        exits += ps[i].hs_exit_type != TL_EXIT_NONE &&
                 ps[i].hs_exit_type != TL_EXIT_TRANSFER_OUT &&
                 ps[i].hs_exit_type != TL_EXIT_DECEASED;
    assert_true(grads * 100 >= exits * 79 && grads * 100 <= exits * 91);
    tl_state_free(st);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_tiny_store, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unlinked_and_bad_rows, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_county_file_errors, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_load_alloc_failures, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_synthetic_state, synth_setup,
                                        synth_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
