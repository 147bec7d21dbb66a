/*
 * codeset.c — loads the reference code sets and holds the built-in ones.
 *
 * Owns: the registry of code sets, the loader that turns the reference CSVs
 * of data/ into sets (one table-driven description per loaded set, so a new
 * set is a row in `loaded[]`, not new code), and the static tables of the
 * code sets the extract specification defines.
 *
 * Every set keeps its entries in source order (for listing) and a hash map
 * from code to entry index + 1 (for O(1) membership). All strings of a set
 * live in the set's arena, so freeing a set is three calls whatever its size.
 *
 * Does not: validate extract values (dict.c does, through this API) or parse
 * CSV itself (util/csv.h). Not thread-safe while loading; a loaded registry
 * is read-only.
 */
#include "dict/codeset.h"

#include <assert.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "util/arena.h"
#include "util/csv.h"
#include "util/hmap.h"
#include "util/mem.h"
#include "util/vec.h"

#define CODESET_MAX_ATTRS 8
#define CODESET_MAX_FILTERS 3
#define REGISTRY_MAX_SETS 32

typedef struct cs_entry {
    const char *code;
    const char *title;
    const char **attrs; /* nattrs values, or NULL when the set has none */
} cs_entry;

struct codeset {
    const char *name;
    const char *source;
    int builtin;
    const char *const *attr_names;
    size_t nattrs;
    hmap *index; /* code -> (void *)(entry index + 1) */
    vec entries; /* cs_entry */
    arena *ar;
};

struct codeset_registry {
    codeset *sets[REGISTRY_MAX_SETS];
    size_t n;
};

/* ---- built-in sets ---------------------------------------------------- */

typedef struct builtin_code {
    const char *code;
    const char *title;
} builtin_code;

typedef struct builtin_set {
    const char *name;
    const char *source;
    const builtin_code *codes;
    size_t n;
} builtin_set;

/* The 16 career clusters of the National Career Clusters Framework
 * (Advance CTE), under the two-letter codes of spec/extracts.md. */
static const builtin_code career_clusters[] = {
    {"AG", "Agriculture, Food & Natural Resources"},
    {"AR", "Arts, Audio/Video Technology & Communications"},
    {"AC", "Architecture & Construction"},
    {"BM", "Business Management & Administration"},
    {"ED", "Education & Training"},
    {"FN", "Finance"},
    {"GV", "Government & Public Administration"},
    {"HS", "Health Science"},
    {"HT", "Hospitality & Tourism"},
    {"HU", "Human Services"},
    {"IT", "Information Technology"},
    {"LW", "Law, Public Safety, Corrections & Security"},
    {"MN", "Manufacturing"},
    {"MK", "Marketing"},
    {"ST", "Science, Technology, Engineering & Mathematics"},
    {"TD", "Transportation, Distribution & Logistics"},
};

/* The federal seven race/ethnicity categories (OMB 1997, ED 2007 guidance). */
static const builtin_code race_ethnicity[] = {
    {"HI", "Hispanic or Latino (of any race)"},
    {"AI", "American Indian or Alaska Native"},
    {"AS", "Asian"},
    {"BL", "Black or African American"},
    {"PI", "Native Hawaiian or Other Pacific Islander"},
    {"WH", "White"},
    {"TW", "Two or more races"},
};

static const builtin_code sexes[] = {
    {"F", "Female"},
    {"M", "Male"},
    {"X", "Non-binary or not specified"},
};

static const builtin_code grade_levels[] = {
    {"PK", "Pre-kindergarten"}, {"KG", "Kindergarten"}, {"01", "Grade 1"},
    {"02", "Grade 2"},          {"03", "Grade 3"},      {"04", "Grade 4"},
    {"05", "Grade 5"},          {"06", "Grade 6"},      {"07", "Grade 7"},
    {"08", "Grade 8"},          {"09", "Grade 9"},      {"10", "Grade 10"},
    {"11", "Grade 11"},         {"12", "Grade 12"},     {"UG", "Ungraded"},
};

static const builtin_code exit_types[] = {
    {"GRAD", "Regular high school diploma"},
    {"GRAD_ALT", "Alternate diploma"},
    {"HSE", "High school equivalency"},
    {"DROPOUT", "Dropped out"},
    {"TRANSFER_OUT", "Transferred out (left the state)"},
    {"DECEASED", "Deceased"},
};

static const builtin_code wbl_types[] = {
    {"INTERNSHIP", "Internship"},
    {"APPRENTICESHIP", "Apprenticeship"},
    {"PRE_APPRENTICESHIP", "Pre-apprenticeship"},
    {"CLINICAL", "Clinical experience"},
    {"COOP", "Cooperative education"},
    {"SCHOOL_ENTERPRISE", "School-based enterprise"},
};

static const builtin_code subjects[] = {
    {"ELA", "English language arts"},
    {"MATH", "Mathematics"},
    {"SCI", "Science"},
};

static const builtin_code ps_sectors[] = {
    {"PUB2", "Public, 2-year"},
    {"PUB4", "Public, 4-year or above"},
    {"PRIV_NP", "Private not-for-profit"},
    {"PRIV_FP", "Private for-profit"},
};

static const builtin_code award_levels[] = {
    {"CERT", "Certificate"},
    {"ASSOC", "Associate degree"},
    {"BACH", "Bachelor's degree"},
    {"GRAD", "Graduate degree"},
};

static const builtin_code award_levels_sought[] = {
    {"NONDEG", "Non-degree seeking"}, {"CERT", "Certificate"},
    {"ASSOC", "Associate degree"},    {"BACH", "Bachelor's degree"},
    {"GRAD", "Graduate degree"},
};

static const builtin_code apprenticeship_status[] = {
    {"ACTIVE", "Active"},
    {"COMPLETED", "Completed"},
    {"CANCELLED", "Cancelled"},
};

/* NCES urban-centric locale codes. */
static const builtin_code nces_locales[] = {
    {"11", "City: Large"},   {"12", "City: Midsize"},   {"13", "City: Small"},
    {"21", "Suburb: Large"}, {"22", "Suburb: Midsize"}, {"23", "Suburb: Small"},
    {"31", "Town: Fringe"},  {"32", "Town: Distant"},   {"33", "Town: Remote"},
    {"41", "Rural: Fringe"}, {"42", "Rural: Distant"},  {"43", "Rural: Remote"},
};

static const builtin_code yn[] = {
    {"Y", "Yes"},
    {"N", "No"},
};

static const builtin_code term_seasons[] = {
    {"FA", "Fall"},
    {"SP", "Spring"},
    {"SU", "Summer"},
};

#define SPEC_SRC "built-in: agency extract specification"
#define BUILTIN(name, src, arr)                                                \
    {                                                                          \
        name, src, arr, sizeof arr / sizeof arr[0]                             \
    }

static const builtin_set builtins[] = {
    BUILTIN("career_cluster",
            "built-in: the 16 National Career Clusters (Advance CTE), codes "
            "of the agency extract specification",
            career_clusters),
    BUILTIN("race_ethnicity",
            "built-in: federal seven race/ethnicity categories, "
            "spec/extracts.md",
            race_ethnicity),
    BUILTIN("sex", SPEC_SRC, sexes),
    BUILTIN("grade_level", SPEC_SRC, grade_levels),
    BUILTIN("exit_type", SPEC_SRC, exit_types),
    BUILTIN("wbl_type", SPEC_SRC, wbl_types),
    BUILTIN("subject", SPEC_SRC, subjects),
    BUILTIN("ps_sector", SPEC_SRC, ps_sectors),
    BUILTIN("award_level", SPEC_SRC, award_levels),
    BUILTIN("award_level_sought", SPEC_SRC, award_levels_sought),
    BUILTIN("apprenticeship_status", SPEC_SRC, apprenticeship_status),
    BUILTIN("nces_locale",
            "built-in: NCES urban-centric locale codes 11-43, "
            "spec/extracts.md",
            nces_locales),
    BUILTIN("yn", "built-in: Y/N flag, agency extract specification", yn),
    BUILTIN("term_season",
            "built-in: term suffixes FA/SP/SU, agency extract specification",
            term_seasons),
};

/* ---- loaded sets ------------------------------------------------------ */

typedef struct load_filter {
    const char *col;
    const char *val; /* a leading '!' means "not equal to" */
} load_filter;

typedef struct load_spec {
    const char *name;
    const char *file;
    const char *source;
    const char *code_col;
    const char *title_col;
    load_filter filters[CODESET_MAX_FILTERS]; /* all must hold */
    const char *const *attrs;                 /* NULL-terminated or NULL */
    int dedupe;                               /* repeated codes are fine */
    int naics;                                /* expand ranges, add 99.. */
} load_spec;

static const char *const county_attrs[] = {"state_fips",
                                           "state_abbr",
                                           "state_name",
                                           "county_name",
                                           "current_2023",
                                           "rucc_2023",
                                           "rucc_2013",
                                           "ers_commuting_zone_2000",
                                           NULL};
static const char *const sced_attrs[] = {"subject_area_code",
                                         "cte_subject_area", NULL};
static const char *const naics_attrs[] = {"naics_level", NULL};
static const char *const cip_attrs[] = {"cip_level", NULL};

static const load_spec loaded[] = {
    {"cip2020",
     "cip2020.csv",
     "NCES CIP 2020, 6-digit programs valid in CIP 2020 and not reserved "
     "(data/cip2020.csv)",
     "cip_code",
     "cip_title",
     {{"cip_level", "6"}, {"valid_in_cip2020", "1"}, {"reserved", "0"}},
     cip_attrs,
     0,
     0},
    {"cip2020_series",
     "cip2020.csv",
     "NCES CIP 2020, 2-digit series and 4-digit groups, valid and not "
     "reserved (data/cip2020.csv)",
     "cip_code",
     "cip_title",
     {{"cip_level", "!6"}, {"valid_in_cip2020", "1"}, {"reserved", "0"}},
     cip_attrs,
     0,
     0},
    {"soc2018",
     "soc2018.csv",
     "BLS SOC 2018, detailed occupations (data/soc2018.csv)",
     "soc_code",
     "soc_title",
     {{"soc_level", "detailed"}},
     NULL,
     0,
     0},
    {"naics2017",
     "naics2017.csv",
     "Census NAICS 2017, all levels, sector ranges expanded, plus the "
     "QCEW unclassified codes 99..999999 (data/naics2017.csv)",
     "naics_code",
     "naics_title",
     {{NULL, NULL}},
     naics_attrs,
     0,
     1},
    {"naics2022",
     "naics2022.csv",
     "Census NAICS 2022, all levels, sector ranges expanded, plus the "
     "QCEW unclassified codes 99..999999 (data/naics2022.csv)",
     "naics_code",
     "naics_title",
     {{NULL, NULL}},
     naics_attrs,
     0,
     1},
    {"sced",
     "sced.csv",
     "NCES SCED course codes, v12 plus dropped v11 codes (data/sced.csv)",
     "sced_code",
     "course_title",
     {{NULL, NULL}},
     sced_attrs,
     0,
     0},
    {"sced_cte_area",
     "sced.csv",
     "SCED subject areas flagged cte_subject_area=1, i.e. 10-21 "
     "(data/sced.csv)",
     "subject_area_code",
     "subject_area_name",
     {{"cte_subject_area", "1"}},
     NULL,
     1,
     0},
    {"counties",
     "us_counties.csv",
     "Census county FIPS with USDA ERS RUCC 2013/2023 and 2000 commuting "
     "zones, current and legacy counties (data/us_counties.csv)",
     "county_fips",
     "county_name",
     {{NULL, NULL}},
     county_attrs,
     0,
     0},
};

/* ---- one set ---------------------------------------------------------- */

static void codeset_free(codeset *cs)
{
    if (cs == NULL)
        return;
    hmap_free(cs->index);
    vec_free(&cs->entries);
    arena_free(cs->ar);
    p20w_free(cs);
}

static p20w_status codeset_new(const char *name, const char *source,
                               int builtin, const char *const *attr_names,
                               codeset **out)
{
    codeset *cs = p20w_calloc(1, sizeof *cs);
    if (cs == NULL)
        return P20W_ENOMEM;
    cs->name = name;
    cs->source = source;
    cs->builtin = builtin;
    cs->attr_names = attr_names;
    while (attr_names != NULL && attr_names[cs->nattrs] != NULL)
        cs->nattrs++;
    assert(cs->nattrs <= CODESET_MAX_ATTRS);
    vec_init(&cs->entries, sizeof(cs_entry));
    if (arena_create(0, &cs->ar) != P20W_OK ||
        hmap_create(&cs->index) != P20W_OK) {
        codeset_free(cs);
        return P20W_ENOMEM;
    }
    *out = cs;
    return P20W_OK;
}

/* Adds code → title (copied). attrs/attr_lens hold nattrs values or are
 * NULL. Returns P20W_EINVAL if the code is already present. */
static p20w_status codeset_add(codeset *cs, const char *code, size_t len,
                               const char *title, size_t title_len,
                               const char *const *attrs,
                               const size_t *attr_lens)
{
    cs_entry e = {NULL, NULL, NULL};
    if (hmap_get(cs->index, code, len, NULL))
        return P20W_EINVAL;
    e.code = arena_strndup(cs->ar, code, len);
    if (e.code == NULL)
        return P20W_ENOMEM;
    if (title != NULL) {
        e.title = arena_strndup(cs->ar, title, title_len);
        if (e.title == NULL)
            return P20W_ENOMEM;
    }
    if (cs->nattrs > 0) {
        e.attrs = arena_alloc(cs->ar, cs->nattrs * sizeof *e.attrs);
        if (e.attrs == NULL)
            return P20W_ENOMEM;
        for (size_t i = 0; i < cs->nattrs; i++) {
            const char *v = attrs != NULL ? attrs[i] : "";
            size_t vl = attrs != NULL ? attr_lens[i] : 0;
            e.attrs[i] = arena_strndup(cs->ar, v, vl);
            if (e.attrs[i] == NULL)
                return P20W_ENOMEM;
        }
    }
    if (vec_push(&cs->entries, &e) != P20W_OK)
        return P20W_ENOMEM;
    if (hmap_put(cs->index, e.code, len, (void *)(uintptr_t)cs->entries.len) !=
        P20W_OK) {
        cs->entries.len--;
        return P20W_ENOMEM;
    }
    return P20W_OK;
}

static const cs_entry *codeset_find(const codeset *cs, const char *code,
                                    size_t len)
{
    void *v = NULL;
    if (cs == NULL || code == NULL || !hmap_get(cs->index, code, len, &v))
        return NULL;
    return vec_at(&cs->entries, (size_t)(uintptr_t)v - 1);
}

/* ---- loader ----------------------------------------------------------- */

typedef struct load_cols {
    long code, title;
    long filter[CODESET_MAX_FILTERS];
    long attr[CODESET_MAX_ATTRS];
} load_cols;

static int field_is(const csv_field *f, const char *s)
{
    size_t n = strlen(s);
    return f->len == n && memcmp(f->ptr, s, n) == 0;
}

static long header_index(const csv_field *h, size_t nh, const char *name)
{
    for (size_t i = 0; i < nh; i++)
        if (field_is(&h[i], name))
            return (long)i;
    return -1;
}

static p20w_status map_header(const load_spec *ls, const char *path,
                              const csv_field *h, size_t nh, load_cols *c,
                              p20w_err *err)
{
    const char *missing = NULL;
    c->code = header_index(h, nh, ls->code_col);
    if (c->code < 0)
        missing = ls->code_col;
    c->title = ls->title_col != NULL ? header_index(h, nh, ls->title_col) : -1;
    if (ls->title_col != NULL && c->title < 0)
        missing = ls->title_col;
    for (size_t i = 0; i < CODESET_MAX_FILTERS; i++) {
        c->filter[i] = -1;
        if (ls->filters[i].col == NULL)
            continue;
        c->filter[i] = header_index(h, nh, ls->filters[i].col);
        if (c->filter[i] < 0)
            missing = ls->filters[i].col;
    }
    for (size_t i = 0; ls->attrs != NULL && ls->attrs[i] != NULL; i++) {
        c->attr[i] = header_index(h, nh, ls->attrs[i]);
        if (c->attr[i] < 0)
            missing = ls->attrs[i];
    }
    if (missing == NULL)
        return P20W_OK;
    p20w_err_set(err, P20W_EFORMAT, "code set %s: header has no column '%s'",
                 ls->name, missing);
    p20w_err_at(err, path, 1, 0);
    return P20W_EFORMAT;
}

static int row_wanted(const load_spec *ls, const load_cols *c,
                      const csv_field *f)
{
    for (size_t i = 0; i < CODESET_MAX_FILTERS; i++) {
        const char *v = ls->filters[i].val;
        if (ls->filters[i].col == NULL)
            continue;
        if (v[0] == '!' ? field_is(&f[c->filter[i]], v + 1)
                        : !field_is(&f[c->filter[i]], v))
            return 0;
    }
    return 1;
}

/* Adds every 2-digit code of a NAICS sector range "31-33". */
static p20w_status add_naics_range(codeset *cs, const csv_field *code,
                                   const csv_field *title)
{
    const char *p = code->ptr;
    int lo = (p[0] - '0') * 10 + (p[1] - '0');
    int hi = (p[3] - '0') * 10 + (p[4] - '0');
    for (int s = lo; s <= hi; s++) {
        char two[3] = {(char)('0' + s / 10), (char)('0' + s % 10), '\0'};
        p20w_status st =
            codeset_add(cs, two, 2, title->ptr, title->len, NULL, NULL);
        if (st != P20W_OK)
            return st;
    }
    return P20W_OK;
}

static int is_naics_range(const csv_field *f)
{
    const char *p = f->ptr;
    return f->len == 5 && p[2] == '-' && p[0] >= '0' && p[0] <= '9' &&
           p[1] >= '0' && p[1] <= '9' && p[3] >= '0' && p[3] <= '9' &&
           p[4] >= '0' && p[4] <= '9' && memcmp(p, p + 3, 2) < 0;
}

static p20w_status add_row(const load_spec *ls, codeset *cs, const load_cols *c,
                           const csv_field *f)
{
    const char *attrs[CODESET_MAX_ATTRS];
    size_t lens[CODESET_MAX_ATTRS];
    const csv_field *code = &f[c->code];
    const csv_field *title = c->title >= 0 ? &f[c->title] : NULL;
    p20w_status st;

    if (ls->naics && is_naics_range(code))
        return add_naics_range(cs, code, title);
    for (size_t i = 0; i < cs->nattrs; i++) {
        attrs[i] = f[c->attr[i]].ptr;
        lens[i] = f[c->attr[i]].len;
    }
    st = codeset_add(
        cs, code->ptr, code->len, title != NULL ? title->ptr : NULL,
        title != NULL ? title->len : 0, cs->nattrs > 0 ? attrs : NULL, lens);
    if (st == P20W_EINVAL && ls->dedupe)
        return P20W_OK;
    return st;
}

static p20w_status add_unclassified(codeset *cs)
{
    static const char nines[] = "999999";
    for (size_t n = 2; n <= 6; n++) {
        char level[2] = {(char)('0' + n), '\0'}; /* naics_level */
        const char *attr[1] = {level};
        size_t alen[1] = {1};
        p20w_status st;
        st = codeset_add(cs, nines, n, "Unclassified", 12,
                         cs->nattrs > 0 ? attr : NULL, alen);
        if (st != P20W_OK && st != P20W_EINVAL)
            return st;
    }
    return P20W_OK;
}

static p20w_status row_error(p20w_err *err, const char *path, long line,
                             const load_spec *ls, const char *what)
{
    p20w_err_set(err, P20W_EFORMAT, "code set %s: %s", ls->name, what);
    p20w_err_at(err, path, line, 0);
    return P20W_EFORMAT;
}

static p20w_status load_rows(const load_spec *ls, const char *path,
                             csv_reader *r, codeset *cs, p20w_err *err)
{
    const csv_field *f = NULL;
    size_t nf = 0, nh;
    load_cols cols;
    p20w_status st = csv_read(r, &f, &nf, err);

    if (st != P20W_OK)
        return st;
    if (nf == 0)
        return row_error(err, path, 1, ls, "file is empty (no header)");
    nh = nf;
    st = map_header(ls, path, f, nh, &cols, err);
    if (st != P20W_OK)
        return st;
    for (;;) {
        long line;
        st = csv_read(r, &f, &nf, err);
        if (st != P20W_OK)
            return st;
        if (nf == 0)
            break;
        line = csv_reader_line(r);
        if (nf != nh)
            return row_error(err, path, line, ls,
                             "row has a different number of fields than "
                             "the header");
        if (!row_wanted(ls, &cols, f))
            continue;
        if (f[cols.code].len == 0 ||
            strlen(f[cols.code].ptr) != f[cols.code].len)
            return row_error(err, path, line, ls, "empty or invalid code");
        st = add_row(ls, cs, &cols, f);
        if (st == P20W_EINVAL)
            return row_error(err, path, line, ls, "duplicate code");
        if (st != P20W_OK)
            return p20w_err_set(err, st, "code set %s: out of memory",
                                ls->name);
    }
    if (ls->naics)
        return add_unclassified(cs);
    return P20W_OK;
}

static p20w_status load_one(const load_spec *ls, const char *data_dir,
                            codeset **out, p20w_err *err)
{
    char path[1024];
    csv_reader *r = NULL;
    codeset *cs = NULL;
    p20w_status st;
    int n = snprintf(path, sizeof path, "%s/%s", data_dir, ls->file);

    *out = NULL;
    if (n < 0 || (size_t)n >= sizeof path)
        return p20w_err_set(err, P20W_ELIMIT, "data directory path too long");
    st = csv_reader_open_file(path, NULL, &r, err);
    if (st != P20W_OK) {
        char why[P20W_ERR_MSG_MAX] = "";
        if (err != NULL)
            snprintf(why, sizeof why, "%s", err->msg);
        p20w_err_set(err, st, "code set %s: %s", ls->name,
                     why[0] != '\0' ? why : p20w_strerror(st));
        p20w_err_at(err, path, 0, 0);
        goto out;
    }
    st = codeset_new(ls->name, ls->source, 0, ls->attrs, &cs);
    if (st != P20W_OK) {
        p20w_err_set(err, st, "code set %s: out of memory", ls->name);
        goto out;
    }
    st = load_rows(ls, path, r, cs, err);
    if (st != P20W_OK && err != NULL && err->file[0] == '\0')
        p20w_err_at(err, path, err->line, err->col);
    if (st != P20W_OK)
        goto out;
    *out = cs;
    cs = NULL;
out:
    codeset_free(cs);
    csv_reader_close(r);
    return st;
}

static p20w_status load_builtin(const builtin_set *b, codeset **out)
{
    codeset *cs = NULL;
    p20w_status st = codeset_new(b->name, b->source, 1, NULL, &cs);
    if (st != P20W_OK)
        return st;
    for (size_t i = 0; i < b->n; i++) {
        const builtin_code *c = &b->codes[i];
        st = codeset_add(cs, c->code, strlen(c->code), c->title,
                         strlen(c->title), NULL, NULL);
        if (st != P20W_OK) {
            assert(st == P20W_ENOMEM); /* tables hold no duplicates */
            codeset_free(cs);
            return st;
        }
    }
    *out = cs;
    return P20W_OK;
}

/* ---- registry --------------------------------------------------------- */

void codeset_registry_free(codeset_registry *reg)
{
    if (reg == NULL)
        return;
    for (size_t i = 0; i < reg->n; i++)
        codeset_free(reg->sets[i]);
    p20w_free(reg);
}

static p20w_status add_builtins(codeset_registry *reg, p20w_err *err)
{
    for (size_t i = 0; i < sizeof builtins / sizeof builtins[0]; i++) {
        codeset *cs = NULL;
        p20w_status st = load_builtin(&builtins[i], &cs);
        if (st != P20W_OK)
            return p20w_err_set(err, st, "code set %s: out of memory",
                                builtins[i].name);
        assert(reg->n < REGISTRY_MAX_SETS);
        reg->sets[reg->n++] = cs;
    }
    return P20W_OK;
}

static p20w_status registry_build(const char *data_dir, codeset_registry **out,
                                  p20w_err *err)
{
    codeset_registry *reg = NULL;
    p20w_status st = P20W_OK;

    *out = NULL;
    reg = p20w_calloc(1, sizeof *reg);
    if (reg == NULL)
        return p20w_err_set(err, P20W_ENOMEM, "code sets: out of memory");
    for (size_t i = 0; data_dir != NULL && i < sizeof loaded / sizeof loaded[0];
         i++) {
        codeset *cs = NULL;
        st = load_one(&loaded[i], data_dir, &cs, err);
        if (st != P20W_OK)
            goto out;
        assert(reg->n < REGISTRY_MAX_SETS);
        reg->sets[reg->n++] = cs;
    }
    st = add_builtins(reg, err);
    if (st != P20W_OK)
        goto out;
    *out = reg;
    reg = NULL;
out:
    codeset_registry_free(reg);
    return st;
}

p20w_status codeset_registry_load(const char *data_dir, codeset_registry **out,
                                  p20w_err *err)
{
    if (data_dir == NULL || data_dir[0] == '\0') {
        *out = NULL;
        return p20w_err_set(err, P20W_EIO, "no reference data directory");
    }
    return registry_build(data_dir, out, err);
}

p20w_status codeset_registry_builtin(codeset_registry **out, p20w_err *err)
{
    return registry_build(NULL, out, err);
}

const codeset *codeset_registry_get(const codeset_registry *reg,
                                    const char *name)
{
    if (reg == NULL || name == NULL)
        return NULL;
    for (size_t i = 0; i < reg->n; i++)
        if (strcmp(reg->sets[i]->name, name) == 0)
            return reg->sets[i];
    return NULL;
}

size_t codeset_registry_count(const codeset_registry *reg)
{
    return reg != NULL ? reg->n : 0;
}

const codeset *codeset_registry_at(const codeset_registry *reg, size_t i)
{
    assert(reg != NULL && i < reg->n);
    return reg->sets[i];
}

const char *codeset_name(const codeset *cs)
{
    return cs->name;
}
const char *codeset_source(const codeset *cs)
{
    return cs->source;
}
int codeset_is_builtin(const codeset *cs)
{
    return cs->builtin;
}
size_t codeset_size(const codeset *cs)
{
    return cs->entries.len;
}

int codeset_contains(const codeset *cs, const char *code, size_t len)
{
    return codeset_find(cs, code, len) != NULL;
}

const char *codeset_title(const codeset *cs, const char *code, size_t len)
{
    const cs_entry *e = codeset_find(cs, code, len);
    return e != NULL ? e->title : NULL;
}

const char *codeset_attr(const codeset *cs, const char *code, size_t len,
                         const char *attr)
{
    const cs_entry *e = codeset_find(cs, code, len);
    if (e == NULL || attr == NULL)
        return NULL;
    for (size_t i = 0; i < cs->nattrs; i++)
        if (strcmp(cs->attr_names[i], attr) == 0)
            return e->attrs[i];
    return NULL;
}

const char *codeset_code_at(const codeset *cs, size_t i, const char **title)
{
    const cs_entry *e = vec_at(&cs->entries, i);
    if (title != NULL)
        *title = e->title;
    return e->code;
}
