/*
 * dict.c — lookups over the static data dictionary, value validation and
 * masking.
 *
 * Owns: the extract tables (transcribed in dict_tables.h, included here
 * only), the per-type value checks every extract field goes through, the
 * row-local cross-field rules (LE, AGE_ON_SEPT1), and the masking of direct
 * identifiers for error reports.
 *
 * Invariants: the tables are const and never change; every function here is
 * pure (no allocation, no global state) and therefore thread-safe. Checks
 * never read past len and never assume NUL termination of values.
 *
 * Does not: read files, keep state across rows (UNIQUE, REF and COHORT rules
 * are executed by ingest, which keeps the state they need), or decide what
 * happens to a rejected row.
 */
#include "dict/dict.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <utf8proc.h>

#include "util/date.h"

#include "dict/dict_tables.h"

#define NEXTRACTS (sizeof extracts / sizeof extracts[0])
#define NUM_MAX_BYTES 40

size_t dict_extract_count(void)
{
    return NEXTRACTS;
}

const dict_extract *dict_extract_at(size_t i)
{
    assert(i < NEXTRACTS);
    return &extracts[i];
}

const dict_extract *dict_find_extract(const char *name)
{
    if (name == NULL)
        return NULL;
    for (size_t i = 0; i < NEXTRACTS; i++)
        if (strcasecmp(extracts[i].name, name) == 0)
            return &extracts[i];
    return NULL;
}

const dict_extract *dict_find_file(const char *file)
{
    const char *base;
    if (file == NULL)
        return NULL;
    base = strrchr(file, '/');
    base = base != NULL ? base + 1 : file;
    for (size_t i = 0; i < NEXTRACTS; i++)
        if (strcasecmp(extracts[i].file, base) == 0)
            return &extracts[i];
    return NULL;
}

const dict_column *dict_find_column(const dict_extract *x, const char *name)
{
    if (x == NULL || name == NULL)
        return NULL;
    for (size_t i = 0; i < x->ncolumns; i++)
        if (strcasecmp(x->columns[i].name, name) == 0)
            return &x->columns[i];
    return NULL;
}

static size_t add_match(dict_element *out, size_t cap, size_t n,
                        const dict_extract *x, const dict_column *c)
{
    if (n < cap) {
        out[n].extract = x;
        out[n].column = c;
    }
    return n + 1;
}

size_t dict_find_element(const char *element, dict_element *out, size_t cap)
{
    const char *dot;
    size_t n = 0;
    if (element == NULL)
        return 0;
    dot = strchr(element, '.');
    if (dot != NULL) {
        char xname[64];
        size_t xl = (size_t)(dot - element);
        const dict_extract *x;
        const dict_column *c;
        if (xl >= sizeof xname)
            return 0;
        memcpy(xname, element, xl);
        xname[xl] = '\0';
        x = dict_find_extract(xname);
        c = dict_find_column(x, dot + 1);
        return c != NULL ? add_match(out, cap, 0, x, c) : 0;
    }
    for (size_t i = 0; i < NEXTRACTS; i++) {
        const dict_column *c = dict_find_column(&extracts[i], element);
        if (c != NULL)
            n = add_match(out, cap, n, &extracts[i], c);
    }
    return n;
}

const char *dict_type_name(dict_type t)
{
    static const char *const names[DICT_TYPE_COUNT] = {
        "text", "name", "int", "decimal", "date", "code", "Y/N",   "quarter",
        "term", "ssn",  "zip", "fips",    "cip",  "soc",  "naics", "sced"};
    return (unsigned)t < DICT_TYPE_COUNT ? names[t] : "?";
}

const char *dict_sens_code(dict_sens s)
{
    static const char *const codes[DICT_SENS_COUNT] = {"P", "A", "C", "D", "W"};
    return (unsigned)s < DICT_SENS_COUNT ? codes[s] : "?";
}

const char *dict_sens_label(dict_sens s)
{
    static const char *const labels[DICT_SENS_COUNT] = {
        "public", "aggregate-only", "confidential learner-level",
        "direct identifier", "UI wage-confidential"};
    return (unsigned)s < DICT_SENS_COUNT ? labels[s] : "?";
}

const char *dict_rule_kind_name(dict_rule_kind k)
{
    static const char *const names[DICT_RULE_KIND_COUNT] = {
        "unique", "less-or-equal", "age-on-sept-1", "reference", "cohort"};
    return (unsigned)k < DICT_RULE_KIND_COUNT ? names[k] : "?";
}

const char *dict_check_message(dict_check c)
{
    static const char *const msgs[DICT_CHECK_COUNT] = {
        "ok",
        "required value is missing",
        "value is too long",
        "value is too short",
        "value is not valid UTF-8 text",
        ("name may hold only letters, spaces, apostrophes, hyphens and "
         "periods"),
        "not an integer",
        "not a decimal number",
        "number out of range",
        "not a valid YYYY-MM-DD date",
        "must be Y or N",
        "not a valid YYYYQn quarter",
        "not a valid term (YYYYFA, YYYYSP or YYYYSU)",
        "not a 9-digit SSN",
        "invalid SSN (000, 666 or 9xx area, 00 group or 0000 serial)",
        "not a 5-digit zip code",
        "code has the wrong format",
        "code is not in the code set",
        "SCED subject area is not a CTE area",
        "code set is not loaded",
        "age on Sept 1 of the school year is out of range",
        "values are out of order",
    };
    return (unsigned)c < DICT_CHECK_COUNT ? msgs[c] : "?";
}

int dict_check_is_flag(dict_check c)
{
    return c == DICT_E_SSN_INVALID;
}

/* ---- value checks ----------------------------------------------------- */

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static int all_digits(const char *v, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (!is_digit(v[i]))
            return 0;
    return len > 0;
}

/* Code points in v[0..len), or -1 if it is not valid UTF-8 or holds NUL. */
static long utf8_chars(const char *v, size_t len)
{
    long n = 0;
    size_t i = 0;
    while (i < len) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)v + i,
                                              (utf8proc_ssize_t)(len - i), &cp);
        if (k <= 0 || cp == 0)
            return -1;
        i += (size_t)k;
        n++;
    }
    return n;
}

static int name_chars_ok(const char *v, size_t len)
{
    size_t i = 0;
    while (i < len) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)v + i,
                                              (utf8proc_ssize_t)(len - i), &cp);
        utf8proc_category_t cat;
        if (k <= 0)
            return 0;
        i += (size_t)k;
        if (cp == ' ' || cp == '\'' || cp == '-' || cp == '.')
            continue;
        cat = utf8proc_category(cp);
        /* Letters, and the combining marks of decomposed accented letters. */
        if (cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_ME)
            continue;
        return 0;
    }
    return 1;
}

/* Parses an int or decimal of the strict forms dict.h gives into *out. */
static int parse_number(const char *v, size_t len, int decimal, double *out)
{
    char buf[NUM_MAX_BYTES + 1];
    size_t i = 0, digits = 0, frac = 0;
    int dot = 0;
    char *end = NULL;
    if (len == 0 || len > NUM_MAX_BYTES)
        return 0;
    if (v[0] == '-')
        i = 1;
    for (; i < len; i++) {
        if (is_digit(v[i])) {
            digits++;
            frac += dot;
        } else if (v[i] == '.' && decimal && !dot) {
            dot = 1;
        } else {
            return 0;
        }
    }
    if (digits == 0 || (dot && frac == 0))
        return 0;
    memcpy(buf, v, len);
    buf[len] = '\0';
    *out = strtod(buf, &end);
    return end == buf + len;
}

static int in_range(const dict_column *col, int current_year, double x)
{
    double max = col->max;
    if (col->range & DICT_MAX_YEAR_REL)
        max += current_year;
    if (col->range & DICT_MIN) {
        if ((col->range & DICT_MIN_EXCL) ? x <= col->min : x < col->min)
            return 0;
    }
    if (col->range & DICT_MAX) {
        if ((col->range & DICT_MAX_EXCL) ? x >= max : x > max)
            return 0;
    }
    return 1;
}

static dict_check check_ssn(const char *v, size_t len)
{
    char d[9];
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        if (v[i] == '-')
            continue;
        if (!is_digit(v[i]) || n == 9)
            return DICT_E_SSN_FORMAT;
        d[n++] = v[i];
    }
    if (n != 9)
        return DICT_E_SSN_FORMAT;
    if (memcmp(d, "000", 3) == 0 || memcmp(d, "666", 3) == 0 || d[0] == '9' ||
        memcmp(d + 3, "00", 2) == 0 || memcmp(d + 5, "0000", 4) == 0)
        return DICT_E_SSN_INVALID;
    return DICT_OK;
}

static dict_check check_term(const char *v, size_t len)
{
    int y;
    if (len != 6 || !all_digits(v, 4))
        return DICT_E_TERM;
    y = (v[0] - '0') * 1000 + (v[1] - '0') * 100 + (v[2] - '0') * 10 +
        (v[3] - '0');
    if (y < DATE_YEAR_MIN || y > DATE_YEAR_MAX)
        return DICT_E_TERM;
    if (memcmp(v + 4, "FA", 2) != 0 && memcmp(v + 4, "SP", 2) != 0 &&
        memcmp(v + 4, "SU", 2) != 0)
        return DICT_E_TERM;
    return DICT_OK;
}

/* Shape of the classification codes: NN.NNNN (CIP), NN-NNNN (SOC). */
static int nn_sep_nnnn(const char *v, size_t len, char sep)
{
    return len == 7 && all_digits(v, 2) && v[2] == sep && all_digits(v + 3, 4);
}

/* Membership in col's code set(s); code is v[0..len). */
static dict_check check_member(const dict_column *col,
                               const codeset_registry *reg, const char *v,
                               size_t len, dict_check fail)
{
    const codeset *cs, *alt = NULL;
    if (reg == NULL || col->codeset == NULL)
        return DICT_OK;
    cs = codeset_registry_get(reg, col->codeset);
    if (col->codeset_alt != NULL)
        alt = codeset_registry_get(reg, col->codeset_alt);
    if (cs == NULL || (col->codeset_alt != NULL && alt == NULL))
        return DICT_E_NO_CODESET;
    if (codeset_contains(cs, v, len))
        return DICT_OK;
    if (alt != NULL && codeset_contains(alt, v, len))
        return DICT_OK;
    return fail;
}

static dict_check check_type(const dict_column *col,
                             const codeset_registry *reg, int current_year,
                             const char *v, size_t len)
{
    double x;
    int32_t day;
    int q;
    switch (col->type) {
    case DICT_TEXT:
        return DICT_OK;
    case DICT_NAME:
        return name_chars_ok(v, len) ? DICT_OK : DICT_E_NAME_CHARS;
    case DICT_INT:
    case DICT_DECIMAL:
        if (!parse_number(v, len, col->type == DICT_DECIMAL, &x))
            return col->type == DICT_INT ? DICT_E_INT : DICT_E_DECIMAL;
        return in_range(col, current_year, x) ? DICT_OK : DICT_E_RANGE;
    case DICT_DATE:
        return date_parse(v, len, &day) == P20W_OK ? DICT_OK : DICT_E_DATE;
    case DICT_CODE:
        return check_member(col, reg, v, len, DICT_E_CODE);
    case DICT_YN:
        return len == 1 && (v[0] == 'Y' || v[0] == 'N') ? DICT_OK : DICT_E_YN;
    case DICT_QUARTER:
        return quarter_parse(v, len, &q) == P20W_OK ? DICT_OK : DICT_E_QUARTER;
    case DICT_TERM:
        return check_term(v, len);
    case DICT_SSN:
        return check_ssn(v, len);
    case DICT_ZIP:
        return len == 5 && all_digits(v, 5) ? DICT_OK : DICT_E_ZIP;
    case DICT_FIPS:
        if (len != 5 || !all_digits(v, 5))
            return DICT_E_FORMAT;
        return check_member(col, reg, v, len, DICT_E_CODE);
    case DICT_CIP:
    case DICT_SOC:
        if (!nn_sep_nnnn(v, len, col->type == DICT_CIP ? '.' : '-'))
            return DICT_E_FORMAT;
        return check_member(col, reg, v, len, DICT_E_CODE);
    case DICT_NAICS:
        if (!all_digits(v, len))
            return DICT_E_FORMAT;
        return check_member(col, reg, v, len, DICT_E_CODE);
    case DICT_SCED:
        if (!all_digits(v, 5))
            return DICT_E_FORMAT;
        return check_member(col, reg, v, 2, DICT_E_SCED_NOT_CTE);
    case DICT_TYPE_COUNT:
        break;
    }
    assert(0 && "unknown dict_type");
    return DICT_E_FORMAT;
}

dict_check dict_check_value(const dict_column *col, const codeset_registry *reg,
                            int current_year, const char *v, size_t len)
{
    long chars;
    assert(col != NULL);
    if (len == 0)
        return col->required ? DICT_E_MISSING : DICT_OK;
    chars = utf8_chars(v, len);
    if (chars < 0)
        return DICT_E_ENCODING;
    if (col->max_len > 0 && (unsigned long)chars > col->max_len)
        return col->type == DICT_NAICS ? DICT_E_FORMAT : DICT_E_TOO_LONG;
    if (col->min_len > 0 && (unsigned long)chars < col->min_len)
        return col->type == DICT_NAICS ? DICT_E_FORMAT : DICT_E_TOO_SHORT;
    return check_type(col, reg, current_year, v, len);
}

int dict_rule_is_row_local(dict_rule_kind k)
{
    return k == DICT_RULE_LE || k == DICT_RULE_AGE_ON_SEPT1;
}

static int parse_year(const char *v, size_t len, int *y)
{
    if (len != 4 || !all_digits(v, 4))
        return 0;
    *y = (v[0] - '0') * 1000 + (v[1] - '0') * 100 + (v[2] - '0') * 10 +
         (v[3] - '0');
    return 1;
}

dict_check dict_check_row_rule(const dict_rule *rule, const char *const *vals,
                               const size_t *lens)
{
    double a, b;
    int32_t birth;
    int y, age;
    if (rule->kind == DICT_RULE_LE) {
        if (lens[0] == 0 || lens[1] == 0)
            return DICT_OK;
        if (!parse_number(vals[0], lens[0], 1, &a) ||
            !parse_number(vals[1], lens[1], 1, &b))
            return DICT_E_DECIMAL;
        return a <= b ? DICT_OK : DICT_E_ORDER;
    }
    if (rule->kind == DICT_RULE_AGE_ON_SEPT1) {
        if (lens[0] == 0 || lens[1] == 0)
            return DICT_OK;
        if (date_parse(vals[0], lens[0], &birth) != P20W_OK)
            return DICT_E_DATE;
        if (!parse_year(vals[1], lens[1], &y) || !date_is_valid(y - 1, 9, 1))
            return DICT_E_INT;
        age = date_age_on(birth, date_from_ymd(y - 1, 9, 1));
        return age >= rule->lo && age <= rule->hi ? DICT_OK : DICT_E_AGE;
    }
    return DICT_OK;
}

/* ---- masking and display --------------------------------------------- */

/* Appends s to out[*n..cap-1), keeping room for the NUL. */
static void put(char *out, size_t cap, size_t *n, const char *s, size_t len)
{
    if (*n + 1 >= cap)
        return;
    if (len > cap - 1 - *n)
        len = cap - 1 - *n;
    memcpy(out + *n, s, len);
    *n += len;
    out[*n] = '\0';
}

static void mask_ssn(const char *v, size_t len, char *out, size_t cap,
                     size_t *n)
{
    char d[9];
    size_t k = 0;
    for (size_t i = 0; i < len; i++) {
        if (is_digit(v[i]) && k < 9)
            d[k++] = v[i];
        else if (v[i] != '-')
            k = 10; /* not an SSN shape: show nothing */
    }
    put(out, cap, n, "***-**-", 7);
    if (k == 9)
        put(out, cap, n, d + 5, 4);
    else
        put(out, cap, n, "****", 4);
}

/* First character of each space-separated word, '*' for every other one.
 * Invalid UTF-8 bytes count as one character each. */
static void mask_words(const char *v, size_t len, char *out, size_t cap,
                       size_t *n)
{
    size_t i = 0;
    int word_start = 1;
    while (i < len) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)v + i,
                                              (utf8proc_ssize_t)(len - i), &cp);
        size_t step = k > 0 ? (size_t)k : 1;
        if (k > 0 && cp == ' ') {
            put(out, cap, n, " ", 1);
            word_start = 1;
        } else if (word_start && k > 0 && cp != 0) {
            put(out, cap, n, v + i, step);
            word_start = 0;
        } else {
            put(out, cap, n, "*", 1);
            word_start = 0;
        }
        i += step;
    }
}

char *dict_mask_value(const dict_column *col, const char *v, size_t len,
                      char *out, size_t cap)
{
    size_t n = 0;
    if (cap == 0)
        return out;
    out[0] = '\0';
    if (col->sens != DICT_SENS_D) {
        for (size_t i = 0; i < len; i++) /* NUL bytes would cut the text */
            put(out, cap, &n, v[i] == '\0' ? "?" : v + i, 1);
        return out;
    }
    if (len == 0)
        return out;
    switch (col->type) {
    case DICT_SSN:
        mask_ssn(v, len, out, cap, &n);
        break;
    case DICT_DATE:
        put(out, cap, &n, "****-**-**", 10);
        break;
    case DICT_ZIP:
        put(out, cap, &n, "*****", 5);
        break;
    default:
        mask_words(v, len, out, cap, &n);
        break;
    }
    return out;
}

char *dict_format_type(const dict_column *col, char *out, size_t cap)
{
    const char *t = dict_type_name(col->type);
    if (col->type == DICT_NAICS && col->min_len != col->max_len)
        snprintf(out, cap, "naics (%u–%u digits)", col->min_len, col->max_len);
    else if (col->type == DICT_NAICS)
        snprintf(out, cap, "naics (%u digits)", col->max_len);
    else if (col->type == DICT_SCED)
        snprintf(out, cap, "sced (≥ %u characters)", col->min_len);
    else if (col->type == DICT_FIPS)
        snprintf(out, cap, "fips (5 digits)");
    else if (col->max_len > 0)
        snprintf(out, cap, "%s ≤ %u", t, col->max_len);
    else
        snprintf(out, cap, "%s", t);
    return out;
}

char *dict_format_range(const dict_column *col, char *out, size_t cap)
{
    char lo[48] = "", hi[64] = "";
    if (col->range & DICT_MIN)
        snprintf(lo, sizeof lo, "%.15g %s ", col->min,
                 (col->range & DICT_MIN_EXCL) ? "<" : "≤");
    if ((col->range & DICT_MAX) && (col->range & DICT_MAX_YEAR_REL))
        snprintf(hi, sizeof hi, " %s current year + %.15g",
                 (col->range & DICT_MAX_EXCL) ? "<" : "≤", col->max);
    else if (col->range & DICT_MAX)
        snprintf(hi, sizeof hi, " %s %.15g",
                 (col->range & DICT_MAX_EXCL) ? "<" : "≤", col->max);
    if (col->range == 0)
        snprintf(out, cap, "%s", "");
    else
        snprintf(out, cap, "%sx%s", lo, hi);
    return out;
}
