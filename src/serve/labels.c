/*
 * labels.c — dimension and value labels (labels.h).
 *
 * The English texts of coded values follow the code sets of dict/
 * (codeset.c), shortened where a table column must stay narrow; each is
 * an N_() msgid so po/es.po translates it.
 */
#include "serve/labels.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "measure/measure.h"
#include "serve/i18n.h"
#include "util/arena.h"
#include "util/csv.h"

static const char *const dim_titles[MD_COUNT] = {
    [MD_REGION] = N_("Workforce region"),
    [MD_COUNTY] = N_("County"),
    [MD_DISTRICT] = N_("School district"),
    [MD_SCHOOL] = N_("High school"),
    [MD_INSTITUTION] = N_("College or training institution"),
    [MD_CLUSTER] = N_("Career cluster"),
    [MD_PROGRAM] = N_("Program of study"),
    [MD_CIP2] = N_("Field of study"),
    [MD_CIP4] = N_("Field of study (detailed)"),
    [MD_CIP6] = N_("Program (CIP code)"),
    [MD_AWARD_LEVEL] = N_("Award level"),
    [MD_SEX] = N_("Sex"),
    [MD_RACE] = N_("Race and ethnicity"),
    [MD_ECON] = N_("Economically disadvantaged"),
    [MD_DISABILITY] = N_("Students with disabilities"),
    [MD_EL] = N_("English learners"),
    [MD_HOMELESS] = N_("Experiencing homelessness"),
    [MD_FOSTER] = N_("In foster care"),
    [MD_MIGRANT] = N_("Migrant"),
    [MD_MILITARY] = N_("Military-connected"),
    [MD_NONTRAD] = N_("Non-traditional program"),
    [MD_LOCALE] = N_("Locale"),
    [MD_EXITER] = N_("Kind of exit"),
    [MD_WBL] = N_("Work-based learning"),
    [MD_SUBJECT] = N_("Subject"),
    [MD_QUARTER] = N_("Quarter"),
};

const char *serve_dim_title(int dim)
{
    if (dim < 0 || dim >= MD_COUNT || dim_titles[dim] == NULL)
        return "";
    return _(dim_titles[dim]);
}

typedef struct coded {
    int dim;
    const char *code;
    const char *text; /* msgid */
} coded;

static const coded codes[] = {
    {MD_RACE, "HI", N_("Hispanic or Latino")},
    {MD_RACE, "AI", N_("American Indian or Alaska Native")},
    {MD_RACE, "AS", N_("Asian")},
    {MD_RACE, "BL", N_("Black or African American")},
    {MD_RACE, "PI", N_("Native Hawaiian or Pacific Islander")},
    {MD_RACE, "WH", N_("White")},
    {MD_RACE, "TW", N_("Two or more races")},
    {MD_SEX, "F", N_("Female")},
    {MD_SEX, "M", N_("Male")},
    {MD_SEX, "X", N_("Non-binary or not specified")},
    {MD_CLUSTER, "AG", N_("Agriculture, food and natural resources")},
    {MD_CLUSTER, "AR", N_("Arts, A/V technology and communications")},
    {MD_CLUSTER, "AC", N_("Architecture and construction")},
    {MD_CLUSTER, "BM", N_("Business management and administration")},
    {MD_CLUSTER, "ED", N_("Education and training")},
    {MD_CLUSTER, "FN", N_("Finance")},
    {MD_CLUSTER, "GV", N_("Government and public administration")},
    {MD_CLUSTER, "HS", N_("Health science")},
    {MD_CLUSTER, "HT", N_("Hospitality and tourism")},
    {MD_CLUSTER, "HU", N_("Human services")},
    {MD_CLUSTER, "IT", N_("Information technology")},
    {MD_CLUSTER, "LW", N_("Law, public safety, corrections and security")},
    {MD_CLUSTER, "MN", N_("Manufacturing")},
    {MD_CLUSTER, "MK", N_("Marketing")},
    {MD_CLUSTER, "ST", N_("Science, technology, engineering and math")},
    {MD_CLUSTER, "TD", N_("Transportation, distribution and logistics")},
    {MD_AWARD_LEVEL, "CERT", N_("Certificate")},
    {MD_AWARD_LEVEL, "ASSOC", N_("Associate degree")},
    {MD_AWARD_LEVEL, "BACH", N_("Bachelor's degree")},
    {MD_AWARD_LEVEL, "GRAD", N_("Graduate degree")},
    {MD_LOCALE, "city", N_("City")},
    {MD_LOCALE, "suburb", N_("Suburb")},
    {MD_LOCALE, "town", N_("Town")},
    {MD_LOCALE, "rural", N_("Rural")},
    {MD_EXITER, "hs_grad", N_("High school graduates")},
    {MD_EXITER, "hs_noncompleter", N_("Left high school without a diploma")},
    {MD_EXITER, "ps_completer", N_("College completers")},
    {MD_EXITER, "ps_leaver", N_("Left college without a credential")},
    {MD_EXITER, "appr_completer", N_("Apprenticeship completers")},
    {MD_WBL, "none", N_("No work-based learning")},
    {MD_WBL, "any", N_("Any work-based learning")},
    {MD_WBL, "INTERNSHIP", N_("Internship")},
    {MD_WBL, "APPRENTICESHIP", N_("Apprenticeship")},
    {MD_WBL, "PRE_APPRENTICESHIP", N_("Pre-apprenticeship")},
    {MD_WBL, "CLINICAL", N_("Clinical experience")},
    {MD_WBL, "COOP", N_("Cooperative education")},
    {MD_WBL, "SCHOOL_ENTERPRISE", N_("School-based enterprise")},
    {MD_SUBJECT, "ELA", N_("English language arts")},
    {MD_SUBJECT, "MATH", N_("Mathematics")},
    {MD_SUBJECT, "SCI", N_("Science")},
    {MD_ECON, "Y", N_("Economically disadvantaged")},
    {MD_ECON, "N", N_("Not economically disadvantaged")},
    {MD_DISABILITY, "Y", N_("With a disability")},
    {MD_DISABILITY, "N", N_("Without a disability")},
    {MD_EL, "Y", N_("English learner")},
    {MD_EL, "N", N_("Not an English learner")},
    {MD_HOMELESS, "Y", N_("Experienced homelessness")},
    {MD_HOMELESS, "N", N_("Did not experience homelessness")},
    {MD_FOSTER, "Y", N_("In foster care")},
    {MD_FOSTER, "N", N_("Not in foster care")},
    {MD_MIGRANT, "Y", N_("Migrant")},
    {MD_MIGRANT, "N", N_("Not migrant")},
    {MD_MILITARY, "Y", N_("Military-connected")},
    {MD_MILITARY, "N", N_("Not military-connected")},
    {MD_NONTRAD, "Y", N_("Non-traditional for their sex")},
    {MD_NONTRAD, "N", N_("Traditional for their sex")},
};

const char *serve_value_label(const hmap *names, int dim, const char *value,
                              char *buf, size_t cap)
{
    if (strcmp(value, "~") == 0)
        return _("Not reported");
    for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++)
        if (codes[i].dim == dim && strcmp(codes[i].code, value) == 0)
            return _(codes[i].text);
    if (names != NULL && dim >= 0 && dim < MD_COUNT) {
        char key[160];
        void *v;
        snprintf(key, sizeof key, "%s|%s", measure_dim_name(dim), value);
        if (hmap_get_str(names, key, &v))
            return v;
    }
    if (dim == MD_REGION && strncmp(value, "CZ ", 3) == 0) {
        snprintf(buf, cap, _("Commuting zone %s"), value + 3);
        return buf;
    }
    return value;
}

static p20w_status put_name(hmap *names, arena *strings, const char *dim,
                            const char *value, const char *name)
{
    char key[160];
    void *v;
    snprintf(key, sizeof key, "%s|%s", dim, value);
    if (hmap_get_str(names, key, &v))
        return P20W_OK;
    char *d = arena_strndup(strings, name, strlen(name));
    if (d == NULL)
        return P20W_ENOMEM;
    return hmap_put_str(names, key, d);
}

static p20w_status load_sql(store *db, const char *sql, const char *dim,
                            hmap *names, arena *strings, p20w_err *err)
{
    store_stmt *q = NULL;
    p20w_status rc = store_prepare(db, sql, &q, err);
    while (rc == P20W_OK) {
        int row;
        rc = store_step(q, &row, err);
        if (rc != P20W_OK || !row)
            break;
        rc = put_name(names, strings, dim, store_column_text(q, 0),
                      store_column_text(q, 1));
        if (rc != P20W_OK)
            p20w_err_set(err, rc, "out of memory");
    }
    store_finalize(q);
    return rc;
}

/* "AGRICULTURE, GENERAL." -> "Agriculture, General" for series titles in
 * capitals; other titles keep their case, lose the final period. */
static void tidy_title(const char *t, char *buf, size_t cap)
{
    size_t n = strlen(t);
    int caps = 1;
    for (size_t i = 0; i < n; i++)
        if (islower((unsigned char)t[i]))
            caps = 0;
    if (n > 0 && t[n - 1] == '.')
        n--;
    if (n >= cap)
        n = cap - 1;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)t[i];
        buf[i] = (char)(caps && i > 0 && isalpha((unsigned char)t[i - 1])
                            ? tolower(c)
                            : c);
    }
    buf[n] = '\0';
}

static p20w_status load_codes(const codeset *cs, const char *dim,
                              int (*want)(const char *), hmap *names,
                              arena *strings)
{
    if (cs == NULL)
        return P20W_OK;
    char title[256];
    for (size_t i = 0; i < codeset_size(cs); i++) {
        const char *t = NULL;
        const char *code = codeset_code_at(cs, i, &t);
        if (t == NULL || !want(code))
            continue;
        tidy_title(t, title, sizeof title);
        p20w_status rc = put_name(names, strings, dim, code, title);
        if (rc != P20W_OK)
            return rc;
    }
    return P20W_OK;
}

static int is_cip2(const char *c)
{
    return strlen(c) == 2;
}
static int is_cip4(const char *c)
{
    return strlen(c) == 5;
}
static int any_code(const char *c)
{
    (void)c;
    return 1;
}

p20w_status serve_names_load(store *db, const codeset_registry *reg,
                             hmap *names, arena *strings, p20w_err *err)
{
    static const char live[] = " JOIN submissions u USING (submission_id) "
                               "WHERE u.status = 'accepted'";
    char sql[400];
    snprintf(sql, sizeof sql,
             "SELECT school_id, school_name FROM stg_k12_schools%s", live);
    p20w_status rc = load_sql(db, sql, "school", names, strings, err);
    if (rc == P20W_OK) {
        snprintf(sql, sizeof sql,
                 "SELECT district_id, district_name FROM stg_k12_schools%s",
                 live);
        rc = load_sql(db, sql, "district", names, strings, err);
    }
    if (rc == P20W_OK) {
        snprintf(sql, sizeof sql,
                 "SELECT institution_id, institution_name FROM "
                 "stg_ps_institutions%s",
                 live);
        rc = load_sql(db, sql, "institution", names, strings, err);
    }
    if (rc != P20W_OK || reg == NULL)
        return rc;
    const codeset *series = codeset_registry_get(reg, "cip2020_series");
    rc = load_codes(series, "cip2", is_cip2, names, strings);
    if (rc == P20W_OK)
        rc = load_codes(series, "cip4", is_cip4, names, strings);
    if (rc == P20W_OK)
        rc = load_codes(codeset_registry_get(reg, "cip2020"), "cip6", any_code,
                        names, strings);
    /* counties: "Adair County" (the state is the same for all) */
    const codeset *counties = codeset_registry_get(reg, "counties");
    for (size_t i = 0;
         rc == P20W_OK && counties != NULL && i < codeset_size(counties); i++) {
        const char *code = codeset_code_at(counties, i, NULL);
        const char *name =
            codeset_attr(counties, code, strlen(code), "county_name");
        if (name != NULL && *name)
            rc = put_name(names, strings, "county", code, name);
    }
    if (rc != P20W_OK)
        p20w_err_set(err, rc, "out of memory");
    return rc;
}

/* ---- categories of the share indicators ----------------------------------
 * The English labels measure/labels.c gives them, as msgids (a unit test
 * checks that every label of the catalog is here). */

static const char *const category_msgids[] = {
    /* OUTCOME_Yk */
    N_("Apprenticeship"),
    N_("Postsecondary and employed"),
    N_("Postsecondary only"),
    N_("Employed only"),
    N_("In state records, neither"),
    N_("Not found in state records"),
    /* INDUSTRY_Yk: NAICS 2022 sectors */
    N_("Unknown industry"),
    N_("Agriculture, Forestry, Fishing and Hunting"),
    N_("Mining, Quarrying, and Oil and Gas Extraction"),
    N_("Utilities"),
    N_("Construction"),
    N_("Manufacturing"),
    N_("Wholesale Trade"),
    N_("Retail Trade"),
    N_("Transportation and Warehousing"),
    N_("Information"),
    N_("Finance and Insurance"),
    N_("Real Estate and Rental and Leasing"),
    N_("Professional, Scientific, and Technical Services"),
    N_("Management of Companies and Enterprises"),
    N_("Administrative and Support and Waste Management and Remediation "
       "Services"),
    N_("Educational Services"),
    N_("Health Care and Social Assistance"),
    N_("Arts, Entertainment, and Recreation"),
    N_("Accommodation and Food Services"),
    N_("Other Services (except Public Administration)"),
    N_("Public Administration"),
    N_("Unclassified"),
    /* SUPPLY_DEMAND */
    N_("No projected occupation"),
};

int serve_category_known(const char *category)
{
    for (size_t i = 0; category != NULL &&
                       i < sizeof category_msgids / sizeof category_msgids[0];
         i++)
        if (strcmp(category_msgids[i], category) == 0)
            return 1;
    return 0;
}

const char *serve_category_label(const hmap *occupations, const char *category,
                                 char *buf, size_t cap)
{
    if (category == NULL || *category == '\0')
        return "";
    if (serve_category_known(category))
        return _(category);
    void *v;
    if (occupations != NULL && hmap_get_str(occupations, category, &v)) {
        snprintf(buf, cap, "%s (%s)", (const char *)v, category);
        return buf;
    }
    return category;
}

static int col_named(const csv_field *f, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(f[i].ptr, name) == 0)
            return (int)i;
    return -1;
}

p20w_status serve_occupations_load(const char *data_dir, hmap *occupations,
                                   arena *strings, p20w_err *err)
{
    char path[1024];
    csv_reader *rd = NULL;
    const csv_field *f;
    size_t nf;
    snprintf(path, sizeof path, "%s/bls_occupation_projections_2024_2034.csv",
             data_dir);
    p20w_status rc = csv_reader_open_file(path, NULL, &rd, err);
    if (rc == P20W_OK)
        rc = csv_read(rd, &f, &nf, err);
    int c_soc = -1, c_title = -1;
    if (rc == P20W_OK) {
        c_soc = col_named(f, nf, "soc_code");
        c_title = col_named(f, nf, "occupation_title");
        if (c_soc < 0 || c_title < 0)
            rc = p20w_err_set(err, P20W_EFORMAT,
                              "%s: no soc_code or occupation_title column",
                              path);
    }
    while (rc == P20W_OK) {
        rc = csv_read(rd, &f, &nf, err);
        if (rc != P20W_OK || nf == 0)
            break;
        if (nf <= (size_t)c_soc || nf <= (size_t)c_title) {
            rc = p20w_err_set(err, P20W_EFORMAT, "%s: line %ld: too few fields",
                              path, csv_reader_line(rd));
            break;
        }
        char *t = arena_strndup(strings, f[c_title].ptr, f[c_title].len);
        if (t == NULL ||
            hmap_put(occupations, f[c_soc].ptr, f[c_soc].len, t) != P20W_OK)
            rc = p20w_err_set(err, P20W_ENOMEM, "out of memory");
    }
    csv_reader_close(rd);
    return rc;
}
