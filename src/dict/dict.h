/*
 * dict.h — the data dictionary: every element of every agency extract of
 * spec/extracts.md, declared once, with the rules that validate it.
 *
 * The dictionary is static data (const tables in dict.c): 14 extracts, each
 * with its file name, owning agency, grain, natural key, columns and
 * cross-field rules. Nothing here allocates; every pointer returned points
 * into those tables and lives forever. Thread-safe.
 *
 * How ingest uses it (the dictionary describes, ingest executes):
 *  1. Pick the extract: dict_find_file(basename of the submitted file) or
 *     dict_find_extract(name).
 *  2. Header: every header name must be dict_find_column(x, name) (names are
 *     case-insensitive); every column with required=1 must be present;
 *     unknown names are an error unless --allow-extra-columns.
 *  3. Each field of each row: dict_check_value(col, codesets, current_year,
 *     value, len). DICT_OK means the value is good. Otherwise the returned
 *     dict_check says which rule failed (dict_check_message()); if
 *     dict_check_is_flag() it is a flag (keep the row, record the flag —
 *     e.g. an invalid SSN is dropped from linkage), else the row is rejected.
 *     An empty optional field is DICT_OK; its meaning is col->missing_means
 *     when set (the special-population flags: missing = "N").
 *     Before writing a value into an error report, pass it through
 *     dict_mask_value(col, ...) — it masks every element of sensitivity D.
 *  4. Each row, after its fields pass: for every rule of x->rules with
 *     dict_rule_is_row_local(kind) (LE, AGE_ON_SEPT1), call
 *     dict_check_row_rule() with the row's values of rule->cols.
 *  5. Across rows and files: DICT_RULE_UNIQUE (rule->cols unique within the
 *     file), DICT_RULE_REF (the values of rule->cols must exist as
 *     rule->ref_cols of extract rule->ref_extract, in this submission or the
 *     loaded data), DICT_RULE_COHORT (cohort_year = school_year of the
 *     student's first grade-9 enrolment in k12_students + 3; a warning when
 *     k12_students disagrees). These need state ingest keeps.
 *  6. x->key (the natural key) names the columns that identify what one row
 *     is about; ingest uses it to identify rows in reports and year-over-year
 *     counts. It is not a uniqueness constraint unless a UNIQUE rule says so.
 *
 * Sensitivity: every column has one. Where the spec's table gives none
 * (k12_schools, k12_credentials, k12_assessments, ps_completions,
 * ps_institutions, apprenticeships), dict_tables.h chooses per the spec's
 * definitions — names, SSN, birth date, zip: D; person ids and
 * learner-level events and results: C; demographics and statuses published
 * only in aggregates: A; schools, institutions, classification codes: P —
 * and sets sens_from_spec = 0 so that documentation can say so. The spec's
 * combined "D/A ... as in k12_students" row of ps_enrollments is read as
 * k12_students has it (names and birth date D, sex and race/ethnicity A).
 */
#ifndef P20W_DICT_H
#define P20W_DICT_H

#include <stddef.h>

#include "dict/codeset.h"
#include "util/error.h"

typedef enum dict_type {
    DICT_TEXT,    /* free text; max_len in characters when > 0 */
    DICT_NAME,    /* a person's name: Unicode letters, spaces, ' - . */
    DICT_INT,     /* optional '-', digits */
    DICT_DECIMAL, /* optional '-', digits, optional '.' and digits */
    DICT_DATE,    /* YYYY-MM-DD, a real calendar day */
    DICT_CODE,    /* a member of col->codeset */
    DICT_YN,      /* Y or N */
    DICT_QUARTER, /* YYYYQn */
    DICT_TERM,    /* YYYYFA, YYYYSP, YYYYSU */
    DICT_SSN,     /* 9 digits, dashes allowed; invalid numbers are flagged */
    DICT_ZIP,     /* 5 digits */
    DICT_FIPS,    /* 5-digit county FIPS, in codeset "counties" */
    DICT_CIP,     /* NN.NNNN, in codeset "cip2020" */
    DICT_SOC,     /* NN-NNNN, in codeset "soc2018" */
    DICT_NAICS,   /* min_len..max_len digits, in naics2022 or naics2017 */
    DICT_SCED,    /* >= 5 chars, first 5 digits; subject area in codeset */
    DICT_TYPE_COUNT
} dict_type;

typedef enum dict_sens {
    DICT_SENS_P, /* public */
    DICT_SENS_A, /* aggregate-only: published only in suppressed aggregates */
    DICT_SENS_C, /* confidential learner-level */
    DICT_SENS_D, /* direct identifier: never leaves linkage in clear */
    DICT_SENS_W, /* UI wage-confidential (20 CFR 603) */
    DICT_SENS_COUNT
} dict_sens;

/* Range flags of a numeric column (int, decimal). */
#define DICT_MIN 1u /* value >= min (> min with DICT_MIN_EXCL) */
#define DICT_MAX 2u /* value <= max (< max with DICT_MAX_EXCL) */
#define DICT_MIN_EXCL 4u
#define DICT_MAX_EXCL 8u
#define DICT_MAX_YEAR_REL 16u /* the bound is current_year + max */

typedef struct dict_column {
    const char *name;
    dict_type type;
    unsigned min_len; /* characters (digits for NAICS); 0 = none */
    unsigned max_len; /* characters (digits for NAICS); 0 = none */
    int required;     /* 1 = R, 0 = O */
    dict_sens sens;
    int sens_from_spec;      /* 0 = chosen by p20w, see dict.c */
    const char *codeset;     /* code set the value must be in, or NULL */
    const char *codeset_alt; /* also accepted (NAICS 2017), or NULL */
    unsigned range;          /* DICT_MIN | DICT_MAX | ... */
    double min, max;
    const char *missing_means; /* value of an empty optional field, or NULL */
    const char *rule;          /* the rule as the spec states it ("" if none) */
} dict_column;

typedef enum dict_rule_kind {
    DICT_RULE_UNIQUE,       /* cols together are unique within the file */
    DICT_RULE_LE,           /* cols[0] <= cols[1] (numbers; skip if missing) */
    DICT_RULE_AGE_ON_SEPT1, /* cols[0] birth date, cols[1] school year Y:
                               lo <= age on Sept 1 of Y-1 <= hi */
    DICT_RULE_REF,          /* cols exist as ref_cols in ref_extract */
    DICT_RULE_COHORT,       /* cols[0] cohort year = first grade-9 year + 3
                               (cols[1] = student id; ref_extract holds the
                               enrolments) */
    DICT_RULE_KIND_COUNT
} dict_rule_kind;

#define DICT_RULE_MAX_COLS 4

typedef struct dict_rule {
    dict_rule_kind kind;
    const char *cols[DICT_RULE_MAX_COLS];     /* NULL-terminated */
    const char *ref_extract;                  /* REF, COHORT; else NULL */
    const char *ref_cols[DICT_RULE_MAX_COLS]; /* NULL-terminated */
    double lo, hi;                            /* AGE_ON_SEPT1 */
    const char *text;                         /* the spec's wording */
} dict_rule;

#define DICT_KEY_MAX 6

typedef struct dict_extract {
    const char *name;              /* "k12_students" */
    const char *file;              /* "k12_students.csv" */
    const char *agency;            /* owning agency */
    const char *grain;             /* what one row is */
    const char *key[DICT_KEY_MAX]; /* natural key, NULL-terminated */
    const dict_column *columns;
    size_t ncolumns;
    const dict_rule *rules;
    size_t nrules;
} dict_extract;

/* One occurrence of an element: a column of an extract. */
typedef struct dict_element {
    const dict_extract *extract;
    const dict_column *column;
} dict_element;

/* The extracts in spec order; i < dict_extract_count(). */
size_t dict_extract_count(void);
const dict_extract *dict_extract_at(size_t i);

/* By name ("k12_students", case-insensitive), or NULL. */
const dict_extract *dict_find_extract(const char *name);

/* By file name ("k12_students.csv" or a path ending in it,
 * case-insensitive), or NULL. */
const dict_extract *dict_find_file(const char *file);

/* The column of x called name (case-insensitive), or NULL. */
const dict_column *dict_find_column(const dict_extract *x, const char *name);

/* Finds an element by "extract.column" or a bare column name (every
 * extract holding it). Writes up to cap matches to out (out may be NULL
 * when cap is 0) in extract order and returns the total number found. */
size_t dict_find_element(const char *element, dict_element *out, size_t cap);

/* Names for display: "text", "int", ...; "P", "A", ...; "public", ... */
const char *dict_type_name(dict_type t);
const char *dict_sens_code(dict_sens s);
const char *dict_sens_label(dict_sens s);
const char *dict_rule_kind_name(dict_rule_kind k);

/* ---- values ----------------------------------------------------------- */

typedef enum dict_check {
    DICT_OK = 0,
    DICT_E_MISSING,      /* required value is empty */
    DICT_E_TOO_LONG,     /* more than max_len characters */
    DICT_E_TOO_SHORT,    /* fewer than min_len characters */
    DICT_E_ENCODING,     /* invalid UTF-8 or a NUL byte */
    DICT_E_NAME_CHARS,   /* a name holds something other than letters ... */
    DICT_E_INT,          /* not an integer */
    DICT_E_DECIMAL,      /* not a decimal number */
    DICT_E_RANGE,        /* number outside the column's range */
    DICT_E_DATE,         /* not a YYYY-MM-DD calendar date */
    DICT_E_YN,           /* not Y or N */
    DICT_E_QUARTER,      /* not YYYYQn */
    DICT_E_TERM,         /* not YYYYFA/SP/SU */
    DICT_E_SSN_FORMAT,   /* not 9 digits (dashes allowed) */
    DICT_E_SSN_INVALID,  /* 000/666/9xx area, 00 group, 0000 serial: FLAG */
    DICT_E_ZIP,          /* not 5 digits */
    DICT_E_FORMAT,       /* FIPS/CIP/SOC/NAICS/SCED shape is wrong */
    DICT_E_CODE,         /* not in the code set */
    DICT_E_SCED_NOT_CTE, /* SCED subject area is not a CTE area */
    DICT_E_NO_CODESET,   /* the code set needed is not loaded */
    DICT_E_AGE,          /* AGE_ON_SEPT1 failed */
    DICT_E_ORDER,        /* LE failed */
    DICT_CHECK_COUNT
} dict_check;

/* Short message for a check result ("not a valid SSN"). Quotes no value. */
const char *dict_check_message(dict_check c);

/* 1 if a failure is a flag (row kept, flag recorded) rather than an error
 * rejecting the row. Only DICT_E_SSN_INVALID is. */
int dict_check_is_flag(dict_check c);

/* Validates one field value v[0..len) (not NUL-terminated; may be empty)
 * of column col: presence, encoding, length, type/format, range, code-set
 * membership. reg may be NULL, in which case code-set membership is not
 * checked (format only). current_year bounds DICT_MAX_YEAR_REL ranges.
 * Returns the first failed check, or DICT_OK. */
dict_check dict_check_value(const dict_column *col, const codeset_registry *reg,
                            int current_year, const char *v, size_t len);

/* 1 for rule kinds dict_check_row_rule() evaluates (LE, AGE_ON_SEPT1). */
int dict_rule_is_row_local(dict_rule_kind k);

/* Evaluates a row-local rule given the row's values of rule->cols (vals[i],
 * lens[i], same order). Values already passed dict_check_value(); a missing
 * (empty) value makes the rule pass (the required check reports it).
 * Returns DICT_OK, DICT_E_ORDER or DICT_E_AGE. Other kinds: DICT_OK. */
dict_check dict_check_row_rule(const dict_rule *rule, const char *const *vals,
                               const size_t *lens);

/* Writes v[0..len) to out (cap bytes, NUL-terminated, truncated to fit) in
 * the form safe for an error report: unchanged unless col is sensitivity D;
 * then SSN → "***-**-1234" (last four digits, "***-**-****" if the value is
 * not 9 digits), dates → "****-**-**", zip → "*****", names and other text
 * → first character of each word then one '*' per further character
 * ("J*** S****"). Returns out. */
char *dict_mask_value(const dict_column *col, const char *v, size_t len,
                      char *out, size_t cap);

/* Formats a column's type for display: "text ≤ 20", "naics (2–6 digits)",
 * "code (grade_level)" ... into out (cap bytes). Returns out. */
char *dict_format_type(const dict_column *col, char *out, size_t cap);

/* Formats a column's numeric range ("0 ≤ x ≤ 200", "1990 ≤ x ≤ current
 * year + 1"), "" when it has none. Returns out. */
char *dict_format_range(const dict_column *col, char *out, size_t cap);

#endif
