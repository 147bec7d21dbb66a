/*
 * dict_tables.h — private to dict.c: the element tables of the 14 extracts
 * of spec/extracts.md, transcribed once. Included by dict.c only.
 *
 * Conventions of the transcription:
 *  - Column order and names are the spec's; each row of a spec table that
 *    lists several columns ("first_name, last_name") becomes one column each.
 *  - `rule` is the spec's rule text for that row, verbatim where it applies.
 *  - sens_from_spec = 0 (macro CHOSEN) marks a sensitivity the spec's table
 *    does not give; the choice follows the spec's definitions:
 *      D  names, SSN, birth date, zip, and the DMV licence number (all direct
 *         identifiers as the spec defines them);
 *      C  person-level ids (student_id, ps_student_id, apprentice_id) and
 *         person-level outcomes or event dates (proficient, earned_date,
 *         award_date, start/end dates) — learner-level and confidential;
 *      A  person demographics and statuses that may be published only in
 *         suppressed aggregates (award_level, apprenticeship status), as the
 *         spec rates their counterparts (award_level_sought, exit_type);
 *      P  institutions, schools, districts, counties, and classification
 *         codes (CIP, SOC, subject, sector, credential code).
 *  - Person names in apprenticeships and dmv_ids share the name type of
 *    k12_students (letters, spaces, ' - .) though their spec rows are blank;
 *    ui_wages names are free text because the spec says they come "as
 *    reported by the employer" (often an initial).
 *  - county_fips is checked against the county code set only where the spec
 *    says so (k12_schools); elsewhere the format (5 digits) is checked.
 */
#ifndef P20W_DICT_TABLES_H
#define P20W_DICT_TABLES_H

#define R 1
#define O 0
#define SPEC .sens_from_spec = 1
#define CHOSEN .sens_from_spec = 0

#define SCHOOL_YEAR_SPEC(s)                                                  \
    {.name = "school_year", .type = DICT_INT, .required = R,                 \
     .sens = DICT_SENS_P, s, .rule = ""}

#define FLAG_A(n)                                                            \
    {.name = n, .type = DICT_YN, .required = O, .sens = DICT_SENS_A, SPEC,   \
     .codeset = "yn", .missing_means = "N",                                  \
     .rule = "special-population flags (missing = N)"}

/* ---- k12_students ---- */
static const dict_column k12_students_cols[] = {
    {.name = "student_id", .type = DICT_TEXT, .max_len = 20, .required = R,
     .sens = DICT_SENS_C, SPEC,
     .rule = "state-assigned student id, stable across years"},
    {.name = "school_year", .type = DICT_INT, .required = R,
     .sens = DICT_SENS_P, SPEC,
     .range = DICT_MIN | DICT_MAX | DICT_MAX_YEAR_REL, .min = 1990, .max = 1,
     .rule = "1990 ≤ y ≤ current year + 1"},
    {.name = "school_id", .type = DICT_TEXT, .required = R,
     .sens = DICT_SENS_P, SPEC, .rule = "must exist in k12_schools.csv"},
    {.name = "grade_level", .type = DICT_CODE, .required = R,
     .sens = DICT_SENS_A, SPEC, .codeset = "grade_level",
     .rule = "PK, KG, 01–12, UG"},
    {.name = "first_name", .type = DICT_NAME, .max_len = 60, .required = R,
     .sens = DICT_SENS_D, SPEC,
     .rule = "any Unicode letters, spaces, `'`, `-`, `.`"},
    {.name = "last_name", .type = DICT_NAME, .max_len = 60, .required = R,
     .sens = DICT_SENS_D, SPEC,
     .rule = "any Unicode letters, spaces, `'`, `-`, `.`"},
    {.name = "middle_name", .type = DICT_TEXT, .required = O,
     .sens = DICT_SENS_D, SPEC, .rule = ""},
    {.name = "name_suffix", .type = DICT_TEXT, .required = O,
     .sens = DICT_SENS_D, SPEC, .rule = ""},
    {.name = "birth_date", .type = DICT_DATE, .required = R,
     .sens = DICT_SENS_D, SPEC,
     .rule = "student aged 2–25 on Sept 1 of the school year"},
    {.name = "sex", .type = DICT_CODE, .required = R, .sens = DICT_SENS_A,
     SPEC, .codeset = "sex", .rule = "F, M, X"},
    {.name = "race_ethnicity", .type = DICT_CODE, .required = R,
     .sens = DICT_SENS_A, SPEC, .codeset = "race_ethnicity",
     .rule = "HI (Hispanic/Latino, any race), AI, AS, BL, PI, WH, TW (two or "
             "more) — the federal seven"},
    {.name = "ssn", .type = DICT_SSN, .required = O, .sens = DICT_SENS_D,
     SPEC,
     .rule = "9 digits, may contain dashes; invalid SSNs (000, 666, 9xx "
             "area; 00 group; 0000 serial) are flagged and dropped from "
             "linkage, not fatal"},
    {.name = "zip", .type = DICT_ZIP, .required = O, .sens = DICT_SENS_D,
     SPEC, .rule = "5 digits"},
    FLAG_A("econ_disadvantaged"),
    FLAG_A("disability"),
    FLAG_A("english_learner"),
    FLAG_A("homeless"),
    FLAG_A("foster_care"),
    FLAG_A("migrant"),
    FLAG_A("military_connected"),
    {.name = "days_enrolled", .type = DICT_INT, .required = O,
     .sens = DICT_SENS_C, SPEC, .range = DICT_MIN | DICT_MAX, .min = 0,
     .max = 200, .rule = "0 ≤ absent ≤ enrolled ≤ 200"},
    {.name = "days_absent", .type = DICT_INT, .required = O,
     .sens = DICT_SENS_C, SPEC, .range = DICT_MIN | DICT_MAX, .min = 0,
     .max = 200, .rule = "0 ≤ absent ≤ enrolled ≤ 200"},
};
static const dict_rule k12_students_rules[] = {
    {.kind = DICT_RULE_UNIQUE, .cols = {"student_id", "school_year",
                                        "school_id"},
     .text = "one row per student per school per school year"},
    {.kind = DICT_RULE_REF, .cols = {"school_id"},
     .ref_extract = "k12_schools", .ref_cols = {"school_id"},
     .text = "school_id must exist in k12_schools.csv"},
    {.kind = DICT_RULE_AGE_ON_SEPT1, .cols = {"birth_date", "school_year"},
     .lo = 2, .hi = 25,
     .text = "student aged 2–25 on Sept 1 of the school year"},
    {.kind = DICT_RULE_LE, .cols = {"days_absent", "days_enrolled"},
     .text = "0 ≤ absent ≤ enrolled ≤ 200"},
};

/* ---- k12_schools: the spec gives no sensitivities; all are P (public
 * facts about schools). ---- */
static const dict_column k12_schools_cols[] = {
    {.name = "school_id", .type = DICT_TEXT, .required = R,
     .sens = DICT_SENS_P, CHOSEN, .rule = "unique"},
    {.name = "school_name", .type = DICT_TEXT, .required = R,
     .sens = DICT_SENS_P, CHOSEN, .rule = ""},
    {.name = "district_id", .type = DICT_TEXT, .required = R,
     .sens = DICT_SENS_P, CHOSEN, .rule = ""},
    {.name = "district_name", .type = DICT_TEXT, .required = R,
     .sens = DICT_SENS_P, CHOSEN, .rule = ""},
    {.name = "county_fips", .type = DICT_FIPS, .max_len = 5, .required = R,
     .sens = DICT_SENS_P, CHOSEN, .codeset = "counties",
     .rule = "must exist in the county code set"},
    {.name = "locale", .type = DICT_CODE, .required = O, .sens = DICT_SENS_P,
     CHOSEN, .codeset = "nces_locale",
     .rule = "NCES locale 11–43 (city/suburb/town/rural)"},
};
static const dict_rule k12_schools_rules[] = {
    {.kind = DICT_RULE_UNIQUE, .cols = {"school_id"},
     .text = "school_id unique"},
};

/* ---- k12_exits ---- */
static const dict_column k12_exits_cols[] = {
    {.name = "student_id", .type = DICT_TEXT, .required = R,
     .sens = DICT_SENS_C, SPEC, .rule = "must exist in k12_students"},
    {.name = "school_id", .type = DICT_TEXT, .required = R,
     .sens = DICT_SENS_P, SPEC, .rule = ""},
    {.name = "exit_date", .type = DICT_DATE, .required = R,
     .sens = DICT_SENS_C, SPEC, .rule = ""},
    {.name = "exit_type", .type = DICT_CODE, .required = R,
     .sens = DICT_SENS_A, SPEC, .codeset = "exit_type",
     .rule = "GRAD (regular diploma), GRAD_ALT (alternate diploma), HSE "
             "(high school equivalency), DROPOUT, TRANSFER_OUT (left the "
             "state), DECEASED"},
    {.name = "cohort_year", .type = DICT_INT, .required = O,
     .sens = DICT_SENS_A, SPEC,
     .rule = "four-year adjusted cohort: the school year (named by its "
             "ending year) in which the student is expected to graduate = "
             "school year of first grade-9 enrolment + 3"},
};
static const dict_rule k12_exits_rules[] = {
    {.kind = DICT_RULE_REF, .cols = {"student_id"},
     .ref_extract = "k12_students", .ref_cols = {"student_id"},
     .text = "student_id must exist in k12_students"},
    {.kind = DICT_RULE_COHORT, .cols = {"cohort_year", "student_id"},
     .ref_extract = "k12_students",
     .ref_cols = {"student_id", "school_year", "grade_level"},
     .text = "cohort_year = school year of first grade-9 enrolment + 3"},
};

/* ---- k12_cte_courses ---- */
static const dict_column k12_cte_courses_cols[] = {
    {.name = "student_id", .type = DICT_TEXT, .required = R,
     .sens = DICT_SENS_C, SPEC, .rule = ""},
    SCHOOL_YEAR_SPEC(SPEC),
    {.name = "school_id", .type = DICT_TEXT, .required = R,
     .sens = DICT_SENS_P, SPEC, .rule = ""},
    {.name = "sced_code", .type = DICT_SCED, .min_len = 5, .required = R,
     .sens = DICT_SENS_P, SPEC, .codeset = "sced_cte_area",
     .rule = "SCED course code, at least 5 characters; subject area (first 2 "
             "digits) must be a CTE area"},
    {.name = "career_cluster", .type = DICT_CODE, .required = R,
     .sens = DICT_SENS_P, SPEC, .codeset = "career_cluster",
     .rule = "one of the 16 National Career Clusters (AG, AR, AC, BM, ED, "
             "FN, GV, HS, HT, HU, IT, LW, MN, MK, ST, TD)"},
    {.name = "program_of_study", .type = DICT_TEXT, .required = R,
     .sens = DICT_SENS_P, SPEC,
     .rule = "state program-of-study code; two or more courses in one "
             "program = concentrator"},
    {.name = "credits", .type = DICT_DECIMAL, .required = R,
     .sens = DICT_SENS_C, SPEC, .range = DICT_MIN | DICT_MIN_EXCL | DICT_MAX,
     .min = 0, .max = 2, .rule = "0 < credits ≤ 2"},
    {.name = "completed", .type = DICT_YN, .required = R,
     .sens = DICT_SENS_C, SPEC, .codeset = "yn",
     .rule = "Y = passed the course"},
};

/* ---- k12_wbl ---- */
static const dict_column k12_wbl_cols[] = {
    {.name = "student_id", .type = DICT_TEXT, .required = R,
     .sens = DICT_SENS_C, SPEC, .rule = ""},
    SCHOOL_YEAR_SPEC(SPEC),
    {.name = "wbl_type", .type = DICT_CODE, .required = R,
     .sens = DICT_SENS_A, SPEC, .codeset = "wbl_type",
     .rule = "INTERNSHIP, APPRENTICESHIP, PRE_APPRENTICESHIP, CLINICAL, "
             "COOP, SCHOOL_ENTERPRISE"},
    {.name = "employer_naics", .type = DICT_NAICS, .min_len = 2,
     .max_len = 6, .required = O, .sens = DICT_SENS_P, SPEC,
     .codeset = "naics2022", .codeset_alt = "naics2017",
     .rule = "2–6 digit NAICS"},
    {.name = "hours", .type = DICT_INT, .required = R, .sens = DICT_SENS_C,
     SPEC, .range = DICT_MIN | DICT_MAX, .min = 1, .max = 2000,
     .rule = "1–2000"},
    {.name = "completed", .type = DICT_YN, .required = R,
     .sens = DICT_SENS_C, SPEC, .codeset = "yn", .rule = ""},
};

/* ---- k12_credentials: no sensitivities in the spec. student_id C (a
 * person id), credential_code P (a classification), earned_date C (a
 * learner-level event). ---- */
static const dict_column k12_credentials_cols[] = {
    {.name = "student_id", .type = DICT_TEXT, .required = R,
     .sens = DICT_SENS_C, CHOSEN, .rule = ""},
    {.name = "credential_code", .type = DICT_TEXT, .required = R,
     .sens = DICT_SENS_P, CHOSEN,
     .rule = "state list of credentials of value"},
    {.name = "earned_date", .type = DICT_DATE, .required = R,
     .sens = DICT_SENS_C, CHOSEN, .rule = ""},
};

/* ---- k12_assessments: no sensitivities in the spec. student_id C,
 * school_year and subject P, proficient C (a learner-level result). ---- */
static const dict_column k12_assessments_cols[] = {
    {.name = "student_id", .type = DICT_TEXT, .required = R,
     .sens = DICT_SENS_C, CHOSEN, .rule = ""},
    SCHOOL_YEAR_SPEC(CHOSEN),
    {.name = "subject", .type = DICT_CODE, .required = R,
     .sens = DICT_SENS_P, CHOSEN, .codeset = "subject",
     .rule = "ELA, MATH, SCI"},
    {.name = "proficient", .type = DICT_YN, .required = R,
     .sens = DICT_SENS_C, CHOSEN, .codeset = "yn", .rule = ""},
};

/* ---- ps_enrollments: the spec's "D/A ... as in k12_students" row gives
 * names and birth date D, sex and race/ethnicity A, as k12_students does. */
static const dict_column ps_enrollments_cols[] = {
    {.name = "ps_student_id", .type = DICT_TEXT, .required = R,
     .sens = DICT_SENS_C, SPEC,
     .rule = "institution-assigned, unique within institution_id"},
    {.name = "institution_id", .type = DICT_TEXT, .required = R,
     .sens = DICT_SENS_P, SPEC,
     .rule = "IPEDS UNITID, must exist in ps_institutions"},
    {.name = "first_name", .type = DICT_NAME, .max_len = 60, .required = R,
     .sens = DICT_SENS_D, SPEC, .rule = "as in k12_students"},
    {.name = "last_name", .type = DICT_NAME, .max_len = 60, .required = R,
     .sens = DICT_SENS_D, SPEC, .rule = "as in k12_students"},
    {.name = "birth_date", .type = DICT_DATE, .required = R,
     .sens = DICT_SENS_D, SPEC, .rule = "as in k12_students"},
    {.name = "sex", .type = DICT_CODE, .required = R, .sens = DICT_SENS_A,
     SPEC, .codeset = "sex", .rule = "as in k12_students"},
    {.name = "race_ethnicity", .type = DICT_CODE, .required = R,
     .sens = DICT_SENS_A, SPEC, .codeset = "race_ethnicity",
     .rule = "as in k12_students"},
    {.name = "middle_name", .type = DICT_TEXT, .required = O,
     .sens = DICT_SENS_D, SPEC, .rule = "as in k12_students"},
    {.name = "ssn", .type = DICT_SSN, .required = O, .sens = DICT_SENS_D,
     SPEC, .rule = "as in k12_students"},
    {.name = "zip", .type = DICT_ZIP, .required = O, .sens = DICT_SENS_D,
     SPEC, .rule = "as in k12_students"},
    {.name = "term", .type = DICT_TERM, .required = R, .sens = DICT_SENS_P,
     SPEC, .rule = "`YYYYFA`, `YYYYSP`, `YYYYSU` (calendar year of the term)"},
    {.name = "award_level_sought", .type = DICT_CODE, .required = R,
     .sens = DICT_SENS_A, SPEC, .codeset = "award_level_sought",
     .rule = "NONDEG, CERT, ASSOC, BACH, GRAD"},
    {.name = "cip_code", .type = DICT_CIP, .required = R,
     .sens = DICT_SENS_P, SPEC, .codeset = "cip2020",
     .rule = "CIP 2020 `NN.NNNN`, must exist in the CIP code set"},
    {.name = "credits_attempted", .type = DICT_DECIMAL, .required = R,
     .sens = DICT_SENS_C, SPEC, .range = DICT_MIN | DICT_MAX, .min = 0,
     .max = 40, .rule = "0 ≤ earned ≤ attempted ≤ 40"},
    {.name = "credits_earned", .type = DICT_DECIMAL, .required = R,
     .sens = DICT_SENS_C, SPEC, .range = DICT_MIN | DICT_MAX, .min = 0,
     .max = 40, .rule = "0 ≤ earned ≤ attempted ≤ 40"},
    {.name = "dual_enrollment", .type = DICT_YN, .required = O,
     .sens = DICT_SENS_A, SPEC, .codeset = "yn",
     .rule = "Y = still in high school"},
    {.name = "cte_program", .type = DICT_YN, .required = O,
     .sens = DICT_SENS_P, SPEC, .codeset = "yn",
     .rule = "Y = program is a Perkins CTE program"},
};
static const dict_rule ps_enrollments_rules[] = {
    {.kind = DICT_RULE_REF, .cols = {"institution_id"},
     .ref_extract = "ps_institutions", .ref_cols = {"institution_id"},
     .text = "institution_id must exist in ps_institutions"},
    {.kind = DICT_RULE_LE, .cols = {"credits_earned", "credits_attempted"},
     .text = "0 ≤ earned ≤ attempted ≤ 40"},
};

/* ---- ps_completions: no sensitivities in the spec. ps_student_id C,
 * institution_id P, award_date C, award_level A (as award_level_sought),
 * cip_code P. ---- */
static const dict_column ps_completions_cols[] = {
    {.name = "ps_student_id", .type = DICT_TEXT, .required = R,
     .sens = DICT_SENS_C, CHOSEN, .rule = "must exist in ps_enrollments"},
    {.name = "institution_id", .type = DICT_TEXT, .required = R,
     .sens = DICT_SENS_P, CHOSEN, .rule = "must exist in ps_enrollments"},
    {.name = "award_date", .type = DICT_DATE, .required = R,
     .sens = DICT_SENS_C, CHOSEN, .rule = ""},
    {.name = "award_level", .type = DICT_CODE, .required = R,
     .sens = DICT_SENS_A, CHOSEN, .codeset = "award_level",
     .rule = "CERT, ASSOC, BACH, GRAD"},
    {.name = "cip_code", .type = DICT_CIP, .required = R,
     .sens = DICT_SENS_P, CHOSEN, .codeset = "cip2020", .rule = "CIP 2020"},
};
static const dict_rule ps_completions_rules[] = {
    {.kind = DICT_RULE_REF, .cols = {"ps_student_id", "institution_id"},
     .ref_extract = "ps_enrollments",
     .ref_cols = {"ps_student_id", "institution_id"},
     .text = "(ps_student_id, institution_id) must exist in ps_enrollments"},
};

/* ---- ps_institutions: no sensitivities in the spec; all P. ---- */
static const dict_column ps_institutions_cols[] = {
    {.name = "institution_id", .type = DICT_TEXT, .required = R,
     .sens = DICT_SENS_P, CHOSEN, .rule = "unique"},
    {.name = "institution_name", .type = DICT_TEXT, .required = R,
     .sens = DICT_SENS_P, CHOSEN, .rule = ""},
    {.name = "sector", .type = DICT_CODE, .required = R, .sens = DICT_SENS_P,
     CHOSEN, .codeset = "ps_sector", .rule = "PUB2, PUB4, PRIV_NP, PRIV_FP"},
    {.name = "county_fips", .type = DICT_FIPS, .max_len = 5, .required = R,
     .sens = DICT_SENS_P, CHOSEN, .rule = ""},
};
static const dict_rule ps_institutions_rules[] = {
    {.kind = DICT_RULE_UNIQUE, .cols = {"institution_id"},
     .text = "institution_id unique"},
};

/* ---- ui_wages ---- */
static const dict_column ui_wages_cols[] = {
    {.name = "ssn", .type = DICT_SSN, .required = R, .sens = DICT_SENS_D,
     SPEC,
     .rule = "9 digits; as reported by the employer (may carry typos)"},
    {.name = "last_name", .type = DICT_TEXT, .required = O,
     .sens = DICT_SENS_D, SPEC, .rule = "as reported by the employer"},
    {.name = "first_name", .type = DICT_TEXT, .required = O,
     .sens = DICT_SENS_D, SPEC, .rule = "often only an initial"},
    {.name = "employer_id", .type = DICT_TEXT, .required = R,
     .sens = DICT_SENS_W, SPEC,
     .rule = "UI account number, must exist in ui_employers"},
    {.name = "quarter", .type = DICT_QUARTER, .required = R,
     .sens = DICT_SENS_P, SPEC, .rule = "`YYYYQn`"},
    {.name = "wages", .type = DICT_DECIMAL, .required = R,
     .sens = DICT_SENS_W, SPEC, .range = DICT_MIN | DICT_MAX | DICT_MAX_EXCL,
     .min = 0, .max = 10000000,
     .rule = "dollars, 0 ≤ wages < 10,000,000; 0 rows are kept but do not "
             "count as employment"},
};
static const dict_rule ui_wages_rules[] = {
    {.kind = DICT_RULE_REF, .cols = {"employer_id"},
     .ref_extract = "ui_employers", .ref_cols = {"employer_id"},
     .text = "employer_id must exist in ui_employers"},
};

/* ---- ui_employers ---- */
static const dict_column ui_employers_cols[] = {
    {.name = "employer_id", .type = DICT_TEXT, .required = R,
     .sens = DICT_SENS_W, SPEC, .rule = "unique"},
    {.name = "naics", .type = DICT_NAICS, .min_len = 6, .max_len = 6,
     .required = R, .sens = DICT_SENS_P, SPEC, .codeset = "naics2022",
     .codeset_alt = "naics2017", .rule = "6-digit NAICS 2017 or 2022"},
    {.name = "county_fips", .type = DICT_FIPS, .max_len = 5, .required = R,
     .sens = DICT_SENS_P, SPEC, .rule = "worksite county"},
};
static const dict_rule ui_employers_rules[] = {
    {.kind = DICT_RULE_UNIQUE, .cols = {"employer_id"},
     .text = "employer_id unique"},
};

/* ---- apprenticeships: no sensitivities in the spec. apprentice_id C
 * (a person id), names and birth date and ssn D, soc_code P, start/end
 * dates C, status A (as exit_type). ---- */
static const dict_column apprenticeships_cols[] = {
    {.name = "apprentice_id", .type = DICT_TEXT, .required = R,
     .sens = DICT_SENS_C, CHOSEN, .rule = ""},
    {.name = "first_name", .type = DICT_NAME, .required = R,
     .sens = DICT_SENS_D, CHOSEN, .rule = ""},
    {.name = "last_name", .type = DICT_NAME, .required = R,
     .sens = DICT_SENS_D, CHOSEN, .rule = ""},
    {.name = "birth_date", .type = DICT_DATE, .required = R,
     .sens = DICT_SENS_D, CHOSEN, .rule = ""},
    {.name = "ssn", .type = DICT_SSN, .required = O, .sens = DICT_SENS_D,
     CHOSEN, .rule = ""},
    {.name = "soc_code", .type = DICT_SOC, .required = R,
     .sens = DICT_SENS_P, CHOSEN, .codeset = "soc2018",
     .rule = "SOC 2018 `NN-NNNN`"},
    {.name = "start_date", .type = DICT_DATE, .required = R,
     .sens = DICT_SENS_C, CHOSEN, .rule = ""},
    {.name = "end_date", .type = DICT_DATE, .required = O,
     .sens = DICT_SENS_C, CHOSEN, .rule = ""},
    {.name = "status", .type = DICT_CODE, .required = R, .sens = DICT_SENS_A,
     CHOSEN, .codeset = "apprenticeship_status",
     .rule = "ACTIVE, COMPLETED, CANCELLED"},
};

/* ---- dmv_ids ---- */
static const dict_column dmv_ids_cols[] = {
    {.name = "dmv_id", .type = DICT_TEXT, .required = R, .sens = DICT_SENS_D,
     SPEC, .rule = "licence or id-card number"},
    {.name = "first_name", .type = DICT_NAME, .required = R,
     .sens = DICT_SENS_D, SPEC, .rule = ""},
    {.name = "last_name", .type = DICT_NAME, .required = R,
     .sens = DICT_SENS_D, SPEC, .rule = ""},
    {.name = "birth_date", .type = DICT_DATE, .required = R,
     .sens = DICT_SENS_D, SPEC, .rule = ""},
    {.name = "sex", .type = DICT_CODE, .required = R, .sens = DICT_SENS_D,
     SPEC, .codeset = "sex", .rule = ""},
    {.name = "middle_name", .type = DICT_TEXT, .required = O,
     .sens = DICT_SENS_D, SPEC, .rule = ""},
    {.name = "zip", .type = DICT_ZIP, .required = O, .sens = DICT_SENS_D,
     SPEC, .rule = ""},
    {.name = "ssn", .type = DICT_SSN, .required = O, .sens = DICT_SENS_D,
     SPEC, .rule = ""},
};

#define COLS(a) a, sizeof a / sizeof a[0]
#define NO_RULES NULL, 0

static const dict_extract extracts[] = {
    {"k12_students", "k12_students.csv", "SEA",
     "one row per student per school per school year",
     {"student_id", "school_year", "school_id"}, COLS(k12_students_cols),
     COLS(k12_students_rules)},
    {"k12_schools", "k12_schools.csv", "SEA", "one row per school (reference)",
     {"school_id"}, COLS(k12_schools_cols), COLS(k12_schools_rules)},
    {"k12_exits", "k12_exits.csv", "SEA",
     "how and when each student left K-12: one row per exit",
     {"student_id", "school_id", "exit_date"}, COLS(k12_exits_cols),
     COLS(k12_exits_rules)},
    {"k12_cte_courses", "k12_cte_courses.csv", "SEA",
     "one row per CTE course enrolment",
     {"student_id", "school_year", "school_id", "sced_code"},
     COLS(k12_cte_courses_cols), NO_RULES},
    {"k12_wbl", "k12_wbl.csv", "SEA",
     "one row per work-based learning experience",
     {"student_id", "school_year", "wbl_type"}, COLS(k12_wbl_cols), NO_RULES},
    {"k12_credentials", "k12_credentials.csv", "SEA",
     "one row per industry-recognized credential earned in high school",
     {"student_id", "credential_code", "earned_date"},
     COLS(k12_credentials_cols), NO_RULES},
    {"k12_assessments", "k12_assessments.csv", "SEA",
     "one row per student per statewide assessment subject per school year",
     {"student_id", "school_year", "subject"}, COLS(k12_assessments_cols),
     NO_RULES},
    {"ps_enrollments", "ps_enrollments.csv", "higher-education agency",
     "one row per student per institution per term",
     {"institution_id", "ps_student_id", "term"}, COLS(ps_enrollments_cols),
     COLS(ps_enrollments_rules)},
    {"ps_completions", "ps_completions.csv", "higher-education agency",
     "one row per award conferred",
     {"institution_id", "ps_student_id", "award_date", "award_level",
      "cip_code"},
     COLS(ps_completions_cols), COLS(ps_completions_rules)},
    {"ps_institutions", "ps_institutions.csv", "higher-education agency",
     "one row per institution (reference)", {"institution_id"},
     COLS(ps_institutions_cols), COLS(ps_institutions_rules)},
    {"ui_wages", "ui_wages.csv", "labor agency",
     "one row per worker per employer per quarter (UI wage record)",
     {"ssn", "employer_id", "quarter"}, COLS(ui_wages_cols),
     COLS(ui_wages_rules)},
    {"ui_employers", "ui_employers.csv", "labor agency",
     "one row per employer (reference, from the QCEW file)", {"employer_id"},
     COLS(ui_employers_cols), COLS(ui_employers_rules)},
    {"apprenticeships", "apprenticeships.csv", "labor agency",
     "one row per registered apprenticeship",
     {"apprentice_id", "soc_code", "start_date"}, COLS(apprenticeships_cols),
     NO_RULES},
    {"dmv_ids", "dmv_ids.csv", "motor-vehicle agency",
     "one row per licence or id card (linkage bridge only)", {"dmv_id"},
     COLS(dmv_ids_cols), NO_RULES},
};

#undef R
#undef O
#undef SPEC
#undef CHOSEN
#undef SCHOOL_YEAR_SPEC
#undef FLAG_A
#undef COLS
#undef NO_RULES

#endif
