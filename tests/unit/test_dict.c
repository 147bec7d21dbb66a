/*
 * test_dict.c — the data dictionary (src/dict/dict.c) and the code sets
 * (src/dict/codeset.c).
 *
 * The expected column lists and sensitivities below are typed from
 * spec/extracts.md, not derived from the tables under test. Expected code-set
 * sizes are computed here from the reference files with line counting and a
 * minimal field splitter, independently of the loader.
 */
#include "testutil.h"

#include <unistd.h>

#include "dict/codeset.h"
#include "dict/dict.h"
#include "util/error.h"
#include "util/mem.h"

#define DATA P20W_DATADIR

/* ---- shared fixture: the registry loaded once ------------------------- */

static codeset_registry *g_reg;

static int setup_reg(void **state)
{
    p20w_err err;
    (void)state;
    p20w_err_clear(&err);
    if (codeset_registry_load(DATA, &g_reg, &err) != P20W_OK) {
        fprintf(stderr, "load failed: %s\n", err.msg);
        return -1;
    }
    return 0;
}

static int teardown_reg(void **state)
{
    (void)state;
    codeset_registry_free(g_reg);
    g_reg = NULL;
    return 0;
}

/* ---- extracts and columns, typed from the spec ------------------------ */

typedef struct spec_extract {
    const char *name;
    const char *file;
    const char *columns; /* space separated, spec order */
    const char *sens;    /* one letter per column */
    const char *req;     /* R/O per column */
} spec_extract;

static const spec_extract spec[] = {
    {"k12_students", "k12_students.csv",
     "student_id school_year school_id grade_level first_name last_name "
     "middle_name name_suffix birth_date sex race_ethnicity ssn zip "
     "econ_disadvantaged disability english_learner homeless foster_care "
     "migrant military_connected days_enrolled days_absent",
     "CPPADDDDDAADDAAAAAAACC", "RRRRRROORRROOOOOOOOOOO"},
    {"k12_schools", "k12_schools.csv",
     "school_id school_name district_id district_name county_fips locale",
     "PPPPPP", "RRRRRO"},
    {"k12_exits", "k12_exits.csv",
     "student_id school_id exit_date exit_type cohort_year", "CPCAA", "RRRRO"},
    {"k12_cte_courses", "k12_cte_courses.csv",
     "student_id school_year school_id sced_code career_cluster "
     "program_of_study credits completed",
     "CPPPPPCC", "RRRRRRRR"},
    {"k12_wbl", "k12_wbl.csv",
     "student_id school_year wbl_type employer_naics hours completed", "CPAPCC",
     "RRRORR"},
    {"k12_credentials", "k12_credentials.csv",
     "student_id credential_code earned_date", "CPC", "RRR"},
    {"k12_assessments", "k12_assessments.csv",
     "student_id school_year subject proficient", "CPPC", "RRRR"},
    {"ps_enrollments", "ps_enrollments.csv",
     "ps_student_id institution_id first_name last_name birth_date sex "
     "race_ethnicity middle_name ssn zip term award_level_sought cip_code "
     "credits_attempted credits_earned dual_enrollment cte_program",
     "CPDDDAADDDPAPCCAP", "RRRRRRROOORRRRROO"},
    {"ps_completions", "ps_completions.csv",
     "ps_student_id institution_id award_date award_level cip_code", "CPCAP",
     "RRRRR"},
    {"ps_institutions", "ps_institutions.csv",
     "institution_id institution_name sector county_fips", "PPPP", "RRRR"},
    {"ui_wages", "ui_wages.csv",
     "ssn last_name first_name employer_id quarter wages", "DDDWPW", "ROORRR"},
    {"ui_employers", "ui_employers.csv", "employer_id naics county_fips", "WPP",
     "RRR"},
    {"apprenticeships", "apprenticeships.csv",
     "apprentice_id first_name last_name birth_date ssn soc_code start_date "
     "end_date status",
     "CDDDDPCCA", "RRRRORROR"},
    {"dmv_ids", "dmv_ids.csv",
     "dmv_id first_name last_name birth_date sex middle_name zip ssn",
     "DDDDDDDD", "RRRRROOO"},
};
#define NSPEC (sizeof spec / sizeof spec[0])

static void test_extracts_match_spec(void **state)
{
    (void)state;
    assert_int_equal(dict_extract_count(), NSPEC);
    for (size_t i = 0; i < NSPEC; i++) {
        const dict_extract *x = dict_find_extract(spec[i].name);
        char cols[1024];
        char *save = NULL, *tok;
        size_t n = 0;
        assert_non_null(x);
        assert_ptr_equal(x, dict_extract_at(i)); /* spec order */
        assert_string_equal(x->file, spec[i].file);
        assert_ptr_equal(dict_find_file(spec[i].file), x);
        assert_true(x->agency[0] != '\0');
        assert_non_null(x->key[0]);
        snprintf(cols, sizeof cols, "%s", spec[i].columns);
        for (tok = strtok_r(cols, " ", &save); tok != NULL;
             tok = strtok_r(NULL, " ", &save), n++) {
            const dict_column *c;
            assert_true(n < x->ncolumns);
            c = &x->columns[n];
            if (strcmp(c->name, tok) != 0)
                fail_msg("%s column %zu: %s, spec says %s", x->name, n, c->name,
                         tok);
            assert_ptr_equal(dict_find_column(x, tok), c);
            if (dict_sens_code(c->sens)[0] != spec[i].sens[n])
                fail_msg("%s.%s: sensitivity %s, expected %c", x->name, c->name,
                         dict_sens_code(c->sens), spec[i].sens[n]);
            assert_int_equal(c->required, spec[i].req[n] == 'R');
            assert_non_null(c->rule);
        }
        assert_int_equal(n, x->ncolumns);
        assert_int_equal(strlen(spec[i].sens), n);
        assert_int_equal(strlen(spec[i].req), n);
    }
}

/* Every name a key, rule or reference uses exists; every code set a column
 * names is in the loaded registry. */
static void test_tables_consistent(void **state)
{
    (void)state;
    for (size_t i = 0; i < dict_extract_count(); i++) {
        const dict_extract *x = dict_extract_at(i);
        for (size_t k = 0; k < DICT_KEY_MAX && x->key[k] != NULL; k++)
            assert_non_null(dict_find_column(x, x->key[k]));
        for (size_t r = 0; r < x->nrules; r++) {
            const dict_rule *rule = &x->rules[r];
            const dict_extract *ref = NULL;
            assert_non_null(rule->cols[0]);
            for (size_t k = 0; k < DICT_RULE_MAX_COLS && rule->cols[k]; k++)
                assert_non_null(dict_find_column(x, rule->cols[k]));
            if (rule->kind == DICT_RULE_REF || rule->kind == DICT_RULE_COHORT) {
                ref = dict_find_extract(rule->ref_extract);
                assert_non_null(ref);
                for (size_t k = 0; k < DICT_RULE_MAX_COLS && rule->ref_cols[k];
                     k++)
                    assert_non_null(dict_find_column(ref, rule->ref_cols[k]));
            }
        }
        for (size_t c = 0; c < x->ncolumns; c++) {
            const dict_column *col = &x->columns[c];
            if (col->codeset != NULL &&
                codeset_registry_get(g_reg, col->codeset) == NULL)
                fail_msg("%s.%s: unknown code set %s", x->name, col->name,
                         col->codeset);
            if (col->type == DICT_CODE)
                assert_non_null(col->codeset);
        }
    }
}

static void test_spec_rules_present(void **state)
{
    const dict_extract *x;
    int seen_age = 0, seen_le = 0, seen_ref = 0;
    (void)state;
    x = dict_find_extract("k12_students");
    for (size_t r = 0; r < x->nrules; r++) {
        const dict_rule *rule = &x->rules[r];
        if (rule->kind == DICT_RULE_AGE_ON_SEPT1) {
            seen_age = 1;
            assert_true(rule->lo == 2 && rule->hi == 25);
        }
        if (rule->kind == DICT_RULE_LE) {
            seen_le = 1;
            assert_string_equal(rule->cols[0], "days_absent");
            assert_string_equal(rule->cols[1], "days_enrolled");
        }
        if (rule->kind == DICT_RULE_REF) {
            seen_ref = 1;
            assert_string_equal(rule->ref_extract, "k12_schools");
        }
    }
    assert_true(seen_age && seen_le && seen_ref);
    x = dict_find_extract("ps_completions");
    assert_int_equal(x->nrules, 1);
    assert_int_equal(x->rules[0].kind, DICT_RULE_REF);
    assert_string_equal(x->rules[0].ref_extract, "ps_enrollments");
    assert_string_equal(x->rules[0].cols[1], "institution_id");
}

static void test_lookup(void **state)
{
    dict_element m[8];
    static const char *const ssn_in[] = {"k12_students", "ps_enrollments",
                                         "ui_wages", "apprenticeships",
                                         "dmv_ids"};
    size_t n;
    (void)state;
    n = dict_find_element("ssn", m, 8);
    assert_int_equal(n, 5);
    for (size_t i = 0; i < n; i++) {
        assert_string_equal(m[i].extract->name, ssn_in[i]);
        assert_int_equal(m[i].column->sens, DICT_SENS_D);
        assert_int_equal(m[i].column->type, DICT_SSN);
    }
    /* cap smaller than the matches: total still returned */
    assert_int_equal(dict_find_element("ssn", m, 2), 5);
    assert_int_equal(dict_find_element("ssn", NULL, 0), 5);
    assert_int_equal(dict_find_element("K12_Students.SSN", m, 8), 1);
    assert_string_equal(m[0].extract->name, "k12_students");
    assert_int_equal(dict_find_element("k12_students.wages", m, 8), 0);
    assert_int_equal(dict_find_element("nope", m, 8), 0);
    assert_int_equal(dict_find_element("nope.ssn", m, 8), 0);
    assert_int_equal(dict_find_element("wages", m, 8), 1);
    assert_int_equal(m[0].column->sens, DICT_SENS_W);
    assert_null(dict_find_extract("k12_student"));
    assert_non_null(dict_find_file("/in/2024/UI_WAGES.csv"));
    assert_null(dict_find_file("ui_wages.txt"));
    assert_null(dict_find_column(dict_find_extract("ui_wages"), "school_id"));
    assert_non_null(
        dict_find_column(dict_find_extract("ui_wages"), "Employer_ID"));
}

/* ---- masking ---------------------------------------------------------- */

static const dict_column *col(const char *element)
{
    dict_element m;
    assert_int_equal(dict_find_element(element, &m, 1), 1);
    return m.column;
}

static void test_mask(void **state)
{
    static const struct {
        const char *element, *in, *out;
    } cases[] = {
        {"k12_students.first_name", "John", "J***"},
        {"k12_students.last_name", "Smith Jones", "S**** J****"},
        {"k12_students.first_name", "José María", "J*** M****"},
        {"k12_students.ssn", "123-45-6789", "***-**-6789"},
        {"k12_students.ssn", "123456789", "***-**-6789"},
        {"k12_students.ssn", "12345", "***-**-****"},
        {"ui_wages.ssn", "12x456789", "***-**-****"},
        {"k12_students.birth_date", "2009-04-01", "****-**-**"},
        {"k12_students.zip", "02134", "*****"},
        {"dmv_ids.dmv_id", "D1234567", "D*******"},
        {"dmv_ids.sex", "F", "F"},
        {"ui_wages.first_name", "J", "J"},
        {"k12_students.zip", "", ""},
        /* not D: unchanged */
        {"k12_students.student_id", "S123", "S123"},
        {"ui_wages.wages", "1234.50", "1234.50"},
        {"k12_students.grade_level", "KG", "KG"},
    };
    char out[64];
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        dict_mask_value(col(cases[i].element), cases[i].in, strlen(cases[i].in),
                        out, sizeof out);
        if (strcmp(out, cases[i].out) != 0)
            fail_msg("mask %s '%s' -> '%s', expected '%s'", cases[i].element,
                     cases[i].in, out, cases[i].out);
    }
    /* truncation keeps a terminated string within cap */
    dict_mask_value(col("k12_students.last_name"), "Abcdefghij", 10, out, 4);
    assert_string_equal(out, "A**");
    /* a NUL byte inside a non-D value does not cut or leak */
    dict_mask_value(col("k12_students.student_id"), "A\0B", 3, out, sizeof out);
    assert_string_equal(out, "A?B");
}

/* ---- value validation -------------------------------------------------- */

typedef struct vcase {
    const char *element;
    const char *value;
    dict_check want;
} vcase;

static const vcase vcases[] = {
    {"k12_students.student_id", "S1", DICT_OK},
    {"k12_students.student_id", "", DICT_E_MISSING},
    {"k12_students.student_id", "12345678901234567890", DICT_OK},
    {"k12_students.student_id", "123456789012345678901", DICT_E_TOO_LONG},
    {"k12_students.student_id", "\xc3\x28", DICT_E_ENCODING},
    {"k12_students.school_year", "2021", DICT_OK},
    {"k12_students.school_year", "1990", DICT_OK},
    {"k12_students.school_year", "1989", DICT_E_RANGE},
    {"k12_students.school_year", "2027", DICT_OK},
    {"k12_students.school_year", "2028", DICT_E_RANGE},
    {"k12_students.school_year", "20x1", DICT_E_INT},
    {"k12_students.school_year", "2021.0", DICT_E_INT},
    {"k12_students.school_year", " 2021", DICT_E_INT},
    {"k12_students.school_year", "-", DICT_E_INT},
    {"k12_students.grade_level", "KG", DICT_OK},
    {"k12_students.grade_level", "09", DICT_OK},
    {"k12_students.grade_level", "9", DICT_E_CODE},
    {"k12_students.grade_level", "kg", DICT_E_CODE},
    {"k12_students.first_name", "José", DICT_OK},
    {"k12_students.first_name", "O'Brien-Smith Jr.", DICT_OK},
    {"k12_students.first_name", "Zoë Ann", DICT_OK},
    {"k12_students.first_name", "J0hn", DICT_E_NAME_CHARS},
    {"k12_students.first_name", "Ann_Marie", DICT_E_NAME_CHARS},
    {"k12_students.first_name",
     "Abcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghij", DICT_OK},
    {"k12_students.first_name",
     "Abcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijk",
     DICT_E_TOO_LONG},
    {"k12_students.first_name", "", DICT_E_MISSING},
    {"k12_students.middle_name", "", DICT_OK},
    {"k12_students.birth_date", "2010-02-28", DICT_OK},
    {"k12_students.birth_date", "2012-02-29", DICT_OK},
    {"k12_students.birth_date", "2010-02-29", DICT_E_DATE},
    {"k12_students.birth_date", "2010/02/28", DICT_E_DATE},
    {"k12_students.birth_date", "20100228", DICT_E_DATE},
    {"k12_students.sex", "X", DICT_OK},
    {"k12_students.sex", "Q", DICT_E_CODE},
    {"k12_students.race_ethnicity", "TW", DICT_OK},
    {"k12_students.race_ethnicity", "W", DICT_E_CODE},
    {"k12_students.ssn", "123-45-6789", DICT_OK},
    {"k12_students.ssn", "123456789", DICT_OK},
    {"k12_students.ssn", "", DICT_OK},
    {"k12_students.ssn", "12345678", DICT_E_SSN_FORMAT},
    {"k12_students.ssn", "1234567890", DICT_E_SSN_FORMAT},
    {"k12_students.ssn", "12a456789", DICT_E_SSN_FORMAT},
    {"k12_students.ssn", "000-12-3456", DICT_E_SSN_INVALID},
    {"k12_students.ssn", "666-12-3456", DICT_E_SSN_INVALID},
    {"k12_students.ssn", "900-12-3456", DICT_E_SSN_INVALID},
    {"k12_students.ssn", "123-00-4567", DICT_E_SSN_INVALID},
    {"k12_students.ssn", "123-45-0000", DICT_E_SSN_INVALID},
    {"ui_wages.ssn", "", DICT_E_MISSING},
    {"k12_students.zip", "02134", DICT_OK},
    {"k12_students.zip", "2134", DICT_E_ZIP},
    {"k12_students.zip", "02134-1234", DICT_E_ZIP},
    {"k12_students.homeless", "Y", DICT_OK},
    {"k12_students.homeless", "", DICT_OK},
    {"k12_students.homeless", "y", DICT_E_YN},
    {"k12_students.homeless", "Yes", DICT_E_YN},
    {"k12_students.days_enrolled", "200", DICT_OK},
    {"k12_students.days_enrolled", "0", DICT_OK},
    {"k12_students.days_enrolled", "201", DICT_E_RANGE},
    {"k12_students.days_absent", "-1", DICT_E_RANGE},
    {"k12_schools.county_fips", "01001", DICT_OK},
    {"k12_schools.county_fips", "99999", DICT_E_CODE},
    {"k12_schools.county_fips", "1001", DICT_E_FORMAT},
    {"k12_schools.locale", "43", DICT_OK},
    {"k12_schools.locale", "44", DICT_E_CODE},
    {"ps_institutions.county_fips", "99999", DICT_OK}, /* format only */
    {"ps_institutions.county_fips", "9999a", DICT_E_FORMAT},
    {"k12_cte_courses.sced_code", "10001", DICT_OK},
    {"k12_cte_courses.sced_code", "21001G1.0", DICT_OK},
    {"k12_cte_courses.sced_code", "01001", DICT_E_SCED_NOT_CTE},
    {"k12_cte_courses.sced_code", "22106", DICT_E_SCED_NOT_CTE},
    {"k12_cte_courses.sced_code", "1000", DICT_E_TOO_SHORT},
    {"k12_cte_courses.sced_code", "10a01", DICT_E_FORMAT},
    {"k12_cte_courses.career_cluster", "ST", DICT_OK},
    {"k12_cte_courses.career_cluster", "XX", DICT_E_CODE},
    {"k12_cte_courses.credits", "0.5", DICT_OK},
    {"k12_cte_courses.credits", "2", DICT_OK},
    {"k12_cte_courses.credits", "0", DICT_E_RANGE},
    {"k12_cte_courses.credits", "2.01", DICT_E_RANGE},
    {"k12_cte_courses.credits", "1.", DICT_E_DECIMAL},
    {"k12_cte_courses.credits", ".5", DICT_OK},
    {"k12_cte_courses.credits", "1e0", DICT_E_DECIMAL},
    {"k12_cte_courses.credits", "1.2.3", DICT_E_DECIMAL},
    {"k12_wbl.employer_naics", "31", DICT_OK},
    {"k12_wbl.employer_naics", "45", DICT_OK},
    {"k12_wbl.employer_naics", "541511", DICT_OK},
    {"k12_wbl.employer_naics", "453220", DICT_OK}, /* NAICS 2017 only */
    {"k12_wbl.employer_naics", "459991", DICT_OK}, /* NAICS 2022 only */
    {"k12_wbl.employer_naics", "99", DICT_OK},
    {"k12_wbl.employer_naics", "999999", DICT_OK},
    {"k12_wbl.employer_naics", "3", DICT_E_FORMAT},
    {"k12_wbl.employer_naics", "1234567", DICT_E_FORMAT},
    {"k12_wbl.employer_naics", "54151a", DICT_E_FORMAT},
    {"k12_wbl.employer_naics", "10", DICT_E_CODE},
    {"k12_wbl.employer_naics", "", DICT_OK},
    {"k12_wbl.hours", "0", DICT_E_RANGE},
    {"k12_wbl.hours", "2000", DICT_OK},
    {"k12_wbl.hours", "2001", DICT_E_RANGE},
    {"ps_enrollments.term", "2021FA", DICT_OK},
    {"ps_enrollments.term", "2022SU", DICT_OK},
    {"ps_enrollments.term", "2021WI", DICT_E_TERM},
    {"ps_enrollments.term", "21FA", DICT_E_TERM},
    {"ps_enrollments.term", "2021fa", DICT_E_TERM},
    {"ps_enrollments.cip_code", "01.0000", DICT_OK},
    {"ps_enrollments.cip_code", "010000", DICT_E_FORMAT},
    {"ps_enrollments.cip_code", "01.00", DICT_E_FORMAT},
    {"ps_enrollments.cip_code", "01.0309", DICT_E_CODE}, /* moved */
    {"ps_enrollments.cip_code", "01.0480", DICT_E_CODE}, /* reserved */
    {"ps_enrollments.award_level_sought", "NONDEG", DICT_OK},
    {"ps_completions.award_level", "NONDEG", DICT_E_CODE},
    {"ps_enrollments.credits_earned", "40", DICT_OK},
    {"ps_enrollments.credits_earned", "40.5", DICT_E_RANGE},
    {"ps_institutions.sector", "PRIV_NP", DICT_OK},
    {"ps_institutions.sector", "PRIV", DICT_E_CODE},
    {"ui_wages.quarter", "2021Q4", DICT_OK},
    {"ui_wages.quarter", "2021Q5", DICT_E_QUARTER},
    {"ui_wages.quarter", "2021-Q4", DICT_E_QUARTER},
    {"ui_wages.wages", "0", DICT_OK},
    {"ui_wages.wages", "9999999.99", DICT_OK},
    {"ui_wages.wages", "10000000", DICT_E_RANGE},
    {"ui_wages.wages", "-1", DICT_E_RANGE},
    {"ui_wages.wages", "1,000", DICT_E_DECIMAL},
    {"ui_wages.first_name", "J.", DICT_OK},
    {"ui_wages.first_name", "J5", DICT_OK}, /* free text as reported */
    {"ui_employers.naics", "111110", DICT_OK},
    {"ui_employers.naics", "11", DICT_E_FORMAT},
    {"apprenticeships.soc_code", "11-1011", DICT_OK},
    {"apprenticeships.soc_code", "111011", DICT_E_FORMAT},
    {"apprenticeships.soc_code", "11-0000", DICT_E_CODE},
    {"apprenticeships.status", "CANCELLED", DICT_OK},
    {"apprenticeships.end_date", "", DICT_OK},
    {"k12_assessments.subject", "SCI", DICT_OK},
    {"k12_assessments.subject", "SCIENCE", DICT_E_CODE},
    {"k12_exits.exit_type", "TRANSFER_OUT", DICT_OK},
    {"k12_exits.exit_type", "TRANSFER", DICT_E_CODE},
    {"dmv_ids.sex", "M", DICT_OK},
};

static void test_check_values(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof vcases / sizeof vcases[0]; i++) {
        const vcase *v = &vcases[i];
        dict_check got = dict_check_value(col(v->element), g_reg, 2026,
                                          v->value, strlen(v->value));
        if (got != v->want)
            fail_msg("%s '%s': got %d (%s), expected %d (%s)", v->element,
                     v->value, got, dict_check_message(got), v->want,
                     dict_check_message(v->want));
    }
}

static void test_check_edges(void **state)
{
    const dict_column *sy = col("k12_students.school_year");
    (void)state;
    /* the year bound moves with current_year */
    assert_int_equal(dict_check_value(sy, g_reg, 2030, "2031", 4), DICT_OK);
    assert_int_equal(dict_check_value(sy, g_reg, 2020, "2022", 4),
                     DICT_E_RANGE);
    /* without a registry only formats are checked */
    assert_int_equal(
        dict_check_value(col("k12_students.grade_level"), NULL, 2026, "ZZ", 2),
        DICT_OK);
    assert_int_equal(dict_check_value(col("ps_enrollments.cip_code"), NULL,
                                      2026, "01.0480", 7),
                     DICT_OK);
    assert_int_equal(
        dict_check_value(col("ps_enrollments.cip_code"), NULL, 2026, "1", 1),
        DICT_E_FORMAT);
    /* a registry without the data sets reports the missing set */
    {
        codeset_registry *b = NULL;
        assert_int_equal(codeset_registry_builtin(&b, NULL), P20W_OK);
        assert_int_equal(dict_check_value(col("ps_enrollments.cip_code"), b,
                                          2026, "01.0000", 7),
                         DICT_E_NO_CODESET);
        assert_int_equal(
            dict_check_value(col("k12_students.sex"), b, 2026, "F", 1),
            DICT_OK);
        codeset_registry_free(b);
    }
    /* values are not read past len; a NUL byte is an encoding error */
    assert_int_equal(
        dict_check_value(col("k12_students.zip"), g_reg, 2026, "021349", 5),
        DICT_OK);
    assert_int_equal(dict_check_value(col("k12_students.student_id"), g_reg,
                                      2026, "a\0b", 3),
                     DICT_E_ENCODING);
    assert_true(dict_check_is_flag(DICT_E_SSN_INVALID));
    assert_false(dict_check_is_flag(DICT_E_SSN_FORMAT));
    for (int c = 0; c < DICT_CHECK_COUNT; c++)
        assert_true(strlen(dict_check_message((dict_check)c)) > 0);
    assert_string_equal(col("k12_students.migrant")->missing_means, "N");
}

static const dict_rule *find_rule(const char *x, dict_rule_kind k)
{
    const dict_extract *e = dict_find_extract(x);
    for (size_t i = 0; i < e->nrules; i++)
        if (e->rules[i].kind == k)
            return &e->rules[i];
    fail_msg("no rule");
    return NULL;
}

static void test_row_rules(void **state)
{
    static const struct {
        const char *a, *b;
        dict_check want;
    } le[] = {{"10", "180", DICT_OK},
              {"180", "180", DICT_OK},
              {"181", "180", DICT_E_ORDER},
              {"", "180", DICT_OK},
              {"5", "", DICT_OK}},
      age[] = {
          /* school year 2021: Sept 1 2020 */
          {"2018-09-01", "2021", DICT_OK},    /* exactly 2 */
          {"2018-09-02", "2021", DICT_E_AGE}, /* 1 day short of 2 */
          {"1994-09-02", "2021", DICT_OK},    /* 25 */
          {"1994-09-01", "2021", DICT_E_AGE}, /* 26 */
          {"2006-05-01", "2021", DICT_OK},    {"", "2021", DICT_OK},
      };
    const dict_rule *r = find_rule("k12_students", DICT_RULE_LE);
    const dict_rule *a = find_rule("k12_students", DICT_RULE_AGE_ON_SEPT1);
    const dict_rule *ce = find_rule("ps_enrollments", DICT_RULE_LE);
    (void)state;
    assert_true(dict_rule_is_row_local(DICT_RULE_LE));
    assert_true(dict_rule_is_row_local(DICT_RULE_AGE_ON_SEPT1));
    assert_false(dict_rule_is_row_local(DICT_RULE_REF));
    assert_false(dict_rule_is_row_local(DICT_RULE_UNIQUE));
    for (size_t i = 0; i < sizeof le / sizeof le[0]; i++) {
        const char *v[2] = {le[i].a, le[i].b};
        size_t l[2] = {strlen(le[i].a), strlen(le[i].b)};
        assert_int_equal(dict_check_row_rule(r, v, l), le[i].want);
    }
    for (size_t i = 0; i < sizeof age / sizeof age[0]; i++) {
        const char *v[2] = {age[i].a, age[i].b};
        size_t l[2] = {strlen(age[i].a), strlen(age[i].b)};
        if (dict_check_row_rule(a, v, l) != age[i].want)
            fail_msg("age rule %s in %s", age[i].a, age[i].b);
    }
    {
        const char *v[2] = {"12.5", "12"}; /* earned > attempted */
        size_t l[2] = {4, 2};
        assert_string_equal(ce->cols[0], "credits_earned");
        assert_int_equal(dict_check_row_rule(ce, v, l), DICT_E_ORDER);
    }
}

static void test_format_helpers(void **state)
{
    char buf[96];
    (void)state;
    assert_string_equal(
        dict_format_range(col("k12_cte_courses.credits"), buf, sizeof buf),
        "0 < x ≤ 2");
    assert_string_equal(
        dict_format_range(col("ui_wages.wages"), buf, sizeof buf),
        "0 ≤ x < 10000000");
    assert_string_equal(
        dict_format_range(col("k12_students.school_year"), buf, sizeof buf),
        "1990 ≤ x ≤ current year + 1");
    assert_string_equal(
        dict_format_range(col("k12_students.zip"), buf, sizeof buf), "");
    assert_string_equal(
        dict_format_type(col("k12_students.student_id"), buf, sizeof buf),
        "text ≤ 20");
    assert_string_equal(
        dict_format_type(col("k12_wbl.employer_naics"), buf, sizeof buf),
        "naics (2–6 digits)");
}

/* ---- code sets -------------------------------------------------------- */

/* Splits one CSV line (no embedded newlines) into fields, honouring
 * quotes; returns the field count. Test scaffolding only. */
static size_t split(char *line, char **f, size_t cap)
{
    size_t n = 0;
    char *w = line, *p = line;
    int q = 0;
    f[n++] = w;
    for (; *p != '\0' && *p != '\n'; p++) {
        if (q && *p == '"' && p[1] == '"') {
            *w++ = '"';
            p++;
        } else if (*p == '"') {
            q = !q;
        } else if (!q && *p == ',') {
            *w++ = '\0';
            if (n < cap)
                f[n++] = w;
        } else {
            *w++ = *p;
        }
    }
    *w = '\0';
    return n;
}

/* Counts data rows of data/file whose fields satisfy pred. */
typedef int (*row_pred)(char **f, size_t n);

static size_t count_rows(const char *file, row_pred pred)
{
    char path[512], line[8192];
    size_t rows = 0;
    FILE *fp;
    snprintf(path, sizeof path, "%s/%s", DATA, file);
    fp = fopen(path, "r");
    assert_non_null(fp);
    assert_non_null(fgets(line, sizeof line, fp)); /* header */
    while (fgets(line, sizeof line, fp) != NULL) {
        char *f[32];
        size_t n = split(line, f, 32);
        if (pred == NULL || pred(f, n))
            rows++;
    }
    fclose(fp);
    return rows;
}

static int cip6(char **f, size_t n)
{
    return n >= 7 && strcmp(f[1], "6") == 0 && strcmp(f[5], "1") == 0 &&
           strcmp(f[6], "0") == 0;
}
static int cip24(char **f, size_t n)
{
    return n >= 7 && strcmp(f[1], "6") != 0 && strcmp(f[5], "1") == 0 &&
           strcmp(f[6], "0") == 0;
}
static int soc_detailed(char **f, size_t n)
{
    return n >= 2 && strcmp(f[1], "detailed") == 0;
}
/* NAICS: a range "31-33" stands for 3 codes, not 1. */
static size_t naics_expected(const char *file)
{
    char path[512], line[4096];
    size_t codes = 0;
    FILE *fp;
    snprintf(path, sizeof path, "%s/%s", DATA, file);
    fp = fopen(path, "r");
    assert_non_null(fp);
    assert_non_null(fgets(line, sizeof line, fp));
    while (fgets(line, sizeof line, fp) != NULL) {
        if (line[2] == '-')
            codes +=
                (size_t)(strtol(line + 3, NULL, 10) - strtol(line, NULL, 10)) +
                1;
        else
            codes++;
    }
    fclose(fp);
    return codes + 5; /* 99, 999, 9999, 99999, 999999 */
}

static void test_codeset_sizes(void **state)
{
    char seen[100] = {0};
    size_t areas = 0;
    char path[512], line[8192];
    FILE *fp;
    (void)state;
    assert_int_equal(codeset_size(codeset_registry_get(g_reg, "cip2020")),
                     count_rows("cip2020.csv", cip6));
    assert_int_equal(
        codeset_size(codeset_registry_get(g_reg, "cip2020_series")),
        count_rows("cip2020.csv", cip24));
    assert_int_equal(codeset_size(codeset_registry_get(g_reg, "soc2018")),
                     count_rows("soc2018.csv", soc_detailed));
    assert_int_equal(codeset_size(codeset_registry_get(g_reg, "sced")),
                     count_rows("sced.csv", NULL));
    assert_int_equal(codeset_size(codeset_registry_get(g_reg, "counties")),
                     count_rows("us_counties.csv", NULL));
    assert_int_equal(codeset_size(codeset_registry_get(g_reg, "naics2017")),
                     naics_expected("naics2017.csv"));
    assert_int_equal(codeset_size(codeset_registry_get(g_reg, "naics2022")),
                     naics_expected("naics2022.csv"));
    /* distinct CTE subject areas */
    snprintf(path, sizeof path, "%s/sced.csv", DATA);
    fp = fopen(path, "r");
    assert_non_null(fp);
    assert_non_null(fgets(line, sizeof line, fp));
    while (fgets(line, sizeof line, fp) != NULL) {
        char *f[16];
        size_t n = split(line, f, 16);
        assert_true(n >= 8);
        long area = strtol(f[1], NULL, 10) % 100;
        if (strcmp(f[7], "1") == 0 && !seen[area]) {
            seen[area] = 1;
            areas++;
        }
    }
    fclose(fp);
    assert_int_equal(codeset_size(codeset_registry_get(g_reg, "sced_cte_area")),
                     areas);
    /* built-in sets: sizes the spec lists */
    static const struct {
        const char *name;
        size_t n;
    } b[] = {{"career_cluster", 16},
             {"race_ethnicity", 7},
             {"sex", 3},
             {"grade_level", 15},
             {"exit_type", 6},
             {"wbl_type", 6},
             {"subject", 3},
             {"ps_sector", 4},
             {"award_level", 4},
             {"award_level_sought", 5},
             {"apprenticeship_status", 3},
             {"nces_locale", 12}};
    for (size_t i = 0; i < sizeof b / sizeof b[0]; i++) {
        const codeset *cs = codeset_registry_get(g_reg, b[i].name);
        assert_non_null(cs);
        assert_true(codeset_is_builtin(cs));
        assert_int_equal(codeset_size(cs), b[i].n);
        assert_true(strlen(codeset_source(cs)) > 0);
    }
    assert_null(codeset_registry_get(g_reg, "nope"));
}

static void test_codeset_lookups(void **state)
{
    const codeset *cip = codeset_registry_get(g_reg, "cip2020");
    const codeset *cty = codeset_registry_get(g_reg, "counties");
    const codeset *n22 = codeset_registry_get(g_reg, "naics2022");
    const codeset *cc = codeset_registry_get(g_reg, "career_cluster");
    const codeset *sced = codeset_registry_get(g_reg, "sced");
    const char *title = NULL;
    (void)state;
    assert_string_equal(codeset_title(cip, "01.0000", 7),
                        "Agriculture, General.");
    assert_false(codeset_contains(cip, "01", 2));
    assert_true(codeset_contains(codeset_registry_get(g_reg, "cip2020_series"),
                                 "01", 2));
    assert_null(codeset_title(cip, "01.000", 6));
    assert_true(codeset_contains(cip, "01.00001", 7)); /* len respected */
    assert_string_equal(codeset_title(cty, "01001", 5), "Autauga County");
    assert_string_equal(codeset_attr(cty, "01001", 5, "state_abbr"), "AL");
    assert_string_equal(codeset_attr(cty, "01001", 5, "rucc_2023"), "2");
    assert_string_equal(
        codeset_attr(cty, "01001", 5, "ers_commuting_zone_2000"), "60");
    assert_null(codeset_attr(cty, "01001", 5, "nope"));
    assert_null(codeset_attr(cty, "00000", 5, "state_abbr"));
    assert_string_equal(codeset_title(n22, "32", 2), "Manufacturing");
    assert_string_equal(codeset_title(n22, "999999", 6), "Unclassified");
    assert_string_equal(codeset_attr(n22, "9999", 4, "naics_level"), "4");
    assert_false(codeset_contains(n22, "31-33", 5));
    assert_string_equal(codeset_title(cc, "ST", 2),
                        "Science, Technology, Engineering & Mathematics");
    assert_string_equal(codeset_code_at(cc, 0, &title), "AG");
    assert_string_equal(title, "Agriculture, Food & Natural Resources");
    assert_string_equal(codeset_attr(sced, "10001", 5, "cte_subject_area"),
                        "1");
    assert_string_equal(codeset_name(sced), "sced");
    assert_false(codeset_is_builtin(sced));
}

/* ---- errors ----------------------------------------------------------- */

static void make_data_copy(char *dir, size_t cap)
{
    static const char *const files[] = {"cip2020.csv",   "soc2018.csv",
                                        "naics2017.csv", "naics2022.csv",
                                        "sced.csv",      "us_counties.csv"};
    snprintf(dir, cap, "/tmp/p20w-dict-XXXXXX");
    assert_non_null(mkdtemp(dir));
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        char from[512], to[512];
        snprintf(from, sizeof from, "%s/%s", DATA, files[i]);
        snprintf(to, sizeof to, "%s/%s", dir, files[i]);
        assert_int_equal(symlink(from, to), 0);
    }
}

static void replace_file(const char *dir, const char *file, const char *text)
{
    char path[512];
    FILE *fp;
    snprintf(path, sizeof path, "%s/%s", dir, file);
    unlink(path);
    fp = fopen(path, "w");
    assert_non_null(fp);
    fputs(text, fp);
    fclose(fp);
}

static void remove_copy(const char *dir)
{
    static const char *const files[] = {"cip2020.csv",   "soc2018.csv",
                                        "naics2017.csv", "naics2022.csv",
                                        "sced.csv",      "us_counties.csv"};
    char path[512];
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, files[i]);
        unlink(path);
    }
    rmdir(dir);
}

static void expect_load_error(const char *dir, p20w_status want,
                              const char *file, long line, const char *msg_part)
{
    codeset_registry *reg = (codeset_registry *)&reg; /* must become NULL */
    p20w_err err;
    p20w_err_clear(&err);
    assert_int_equal(codeset_registry_load(dir, &reg, &err), want);
    assert_null(reg);
    assert_int_equal(err.code, want);
    if (strstr(err.file, file) == NULL)
        fail_msg("error file '%s' does not name %s", err.file, file);
    assert_int_equal(err.line, line);
    if (strstr(err.msg, msg_part) == NULL)
        fail_msg("message '%s' lacks '%s'", err.msg, msg_part);
}

static void test_load_errors(void **state)
{
    char dir[64];
    codeset_registry *reg = NULL;
    p20w_err err;
    (void)state;
    p20w_err_clear(&err);
    assert_int_equal(codeset_registry_load("/nonexistent/p20w", &reg, &err),
                     P20W_EIO);
    assert_null(reg);
    assert_non_null(strstr(err.file, "/nonexistent/p20w/cip2020.csv"));
    assert_int_equal(codeset_registry_load("", &reg, &err), P20W_EIO);

    make_data_copy(dir, sizeof dir);
    {
        char gone[512];
        snprintf(gone, sizeof gone, "%s/soc2018.csv", dir);
        assert_int_equal(unlink(gone), 0);
    }
    expect_load_error(dir, P20W_EIO, "soc2018.csv", 0, "soc2018");

    replace_file(dir, "soc2018.csv", "soc_code,soc_title\n11-1011,x\n");
    expect_load_error(dir, P20W_EFORMAT, "soc2018.csv", 1,
                      "no column 'soc_level'");

    replace_file(dir, "soc2018.csv",
                 "soc_code,soc_level,soc_title\n11-1011,detailed,a\n"
                 "11-1021,detailed\n");
    expect_load_error(dir, P20W_EFORMAT, "soc2018.csv", 3,
                      "different number of fields");

    replace_file(dir, "soc2018.csv",
                 "soc_code,soc_level,soc_title\n11-1011,detailed,a\n"
                 "11-1021,detailed,b\n11-1011,detailed,c\n");
    expect_load_error(dir, P20W_EFORMAT, "soc2018.csv", 4, "duplicate code");

    replace_file(dir, "soc2018.csv",
                 "soc_code,soc_level,soc_title\n,detailed,a\n");
    expect_load_error(dir, P20W_EFORMAT, "soc2018.csv", 2, "empty");

    replace_file(dir, "soc2018.csv",
                 "soc_code,soc_level,soc_title\n\"11-1011,detailed,a\n");
    expect_load_error(dir, P20W_EFORMAT, "soc2018.csv", 2, "");

    replace_file(dir, "soc2018.csv", "");
    expect_load_error(dir, P20W_EFORMAT, "soc2018.csv", 1, "empty");

    /* a small valid file loads, and its size is what it holds */
    replace_file(dir, "soc2018.csv",
                 "soc_code,soc_level,soc_title\n11-0000,major,M\n"
                 "11-1011,detailed,a\n11-1021,detailed,b\n");
    assert_int_equal(codeset_registry_load(dir, &reg, &err), P20W_OK);
    assert_int_equal(codeset_size(codeset_registry_get(reg, "soc2018")), 2);
    codeset_registry_free(reg);
    remove_copy(dir);
}

/* Small but complete reference files: every loader path with few rows. */
static void make_small_data(char *dir, size_t cap)
{
    make_data_copy(dir, cap);
    replace_file(dir, "cip2020.csv",
                 "cip_code,cip_level,cip_family,cip_title,nces_action,"
                 "valid_in_cip2020,reserved,cip_definition\n"
                 "01,2,01,AG.,x,1,0,\"a, b\"\n01.00,4,01,Ag.,x,1,0,d\n"
                 "01.0000,6,01,\"Agriculture, General.\",x,1,0,d\n"
                 "01.0309,6,01,Old.,Moved from,0,0,d\n");
    replace_file(dir, "soc2018.csv",
                 "soc_code,soc_level,soc_title,major_group,minor_group,"
                 "broad_group\n11-0000,major,M,11-0000,,\n"
                 "11-1011,detailed,C,11-0000,11-1000,11-1010\n");
    replace_file(dir, "naics2017.csv",
                 "naics_code,naics_level,naics_title,sector,subsector,"
                 "industry_group,naics_industry\n11,2,Ag,11,,,\n"
                 "31-33,2,Manufacturing,31-33,,,\n"
                 "111110,6,Soybean,11,111,1111,11111\n");
    replace_file(dir, "naics2022.csv",
                 "naics_code,naics_level,naics_title,sector,subsector,"
                 "industry_group,naics_industry\n44-45,2,Retail,44-45,,,\n");
    replace_file(dir, "sced.csv",
                 "sced_code,subject_area_code,subject_area_name,course_number,"
                 "course_title,in_sced_v12,in_sced_v11,cte_subject_area,"
                 "course_description\n01001,01,English,001,E1,1,1,0,d\n"
                 "10001,10,Computer,001,C1,1,1,1,d\n"
                 "10002,10,Computer,002,C2,1,1,1,d\n");
    replace_file(dir, "us_counties.csv",
                 "county_fips,state_fips,county_fips3,state_abbr,state_name,"
                 "county_name,current_2023,rucc_2023,metro_nonmetro_2023,"
                 "population_2020,rucc_2013,population_2010,"
                 "ers_commuting_zone_2000\n"
                 "01001,01,001,AL,Alabama,Autauga County,1,2,Metro,58805,2,"
                 "54571,60\n");
}

/* Loads dir with the n-th allocation failing; returns 1 if an allocation
 * failed (then the status must be ENOMEM and *out NULL), 0 if none did. */
static int load_failing_at(const char *dir, long n, size_t *counties)
{
    codeset_registry *reg = NULL;
    p20w_err err;
    p20w_status st;
    int failed;
    p20w_err_clear(&err);
    p20w_mem_fail_after(n);
    st = codeset_registry_load(dir, &reg, &err);
    failed = p20w_mem_failed();
    p20w_mem_fail_reset();
    if (failed) {
        if (st != P20W_ENOMEM)
            fail_msg("allocation %ld failed: status %d (%s)", n, st, err.msg);
        assert_null(reg);
        return 1;
    }
    assert_int_equal(st, P20W_OK);
    *counties = codeset_size(codeset_registry_get(reg, "counties"));
    assert_int_equal(codeset_size(codeset_registry_get(reg, "naics2017")),
                     1 + 3 + 1 + 5);
    codeset_registry_free(reg);
    return 0;
}

/* Every allocation of a load fails in turn (small files, so the walk is
 * exhaustive and quick): each failure is reported as ENOMEM, leaves *out
 * NULL and leaks nothing (ASan checks). The real data is walked with a
 * stride: its allocations grow with the row count (one per hash key). */
static void test_load_oom_walk(void **state)
{
    char dir[64];
    size_t counties = 0;
    long n;
    (void)state;
    make_small_data(dir, sizeof dir);
    for (n = 0; load_failing_at(dir, n, &counties); n++)
        ;
    assert_int_equal(counties, 1);
    assert_true(n > 50);
    remove_copy(dir);
    for (n = 0;; n += n < 64 ? 1 : 997) {
        codeset_registry *reg = NULL;
        p20w_err err;
        p20w_status st;
        int failed;
        p20w_mem_fail_after(n);
        st = codeset_registry_load(DATA, &reg, &err);
        failed = p20w_mem_failed();
        p20w_mem_fail_reset();
        if (!failed) {
            assert_int_equal(st, P20W_OK);
            codeset_registry_free(reg);
            break;
        }
        assert_int_equal(st, P20W_ENOMEM);
        assert_null(reg);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_extracts_match_spec),
        cmocka_unit_test(test_tables_consistent),
        cmocka_unit_test(test_spec_rules_present),
        cmocka_unit_test(test_lookup),
        cmocka_unit_test(test_mask),
        cmocka_unit_test(test_check_values),
        cmocka_unit_test(test_check_edges),
        cmocka_unit_test(test_row_rules),
        cmocka_unit_test(test_format_helpers),
        cmocka_unit_test(test_codeset_sizes),
        cmocka_unit_test(test_codeset_lookups),
        cmocka_unit_test(test_load_errors),
        cmocka_unit_test(test_load_oom_walk),
    };
    return cmocka_run_group_tests(tests, setup_reg, teardown_reg);
}
