/*
 * load.c — reads the store into a learner timeline (derive_load(),
 * derive.h).
 *
 * What is read: the rows of live submissions only (status 'accepted'; a
 * replaced submission is history), each staging table once, in one
 * streaming query, with every id resolved in memory: reference ids and
 * p20w_ids through hash maps, wage rows through a dense array per wage
 * submission indexed by line. No query runs per row. The order:
 *
 *   1. counties (data_dir/us_counties.csv, the states the reference
 *      tables use) and workforce regions; schools and districts;
 *      institutions; employers
 *   2. person_links, once: K-12, postsecondary and apprenticeship record
 *      keys into hash maps (key -> p20w_id); wage links into the dense
 *      arrays (line -> person index)
 *   3. facts: K-12 rows (enrolment, exits, CTE courses, assessments, WBL,
 *      credentials), postsecondary terms and awards, apprenticeships
 *   4. birth year and month from the identity vault; the key maps go
 *   5. wages; the line arrays go
 *   6. tl_finish()
 *
 * The identity vault. This is the one place outside link/ that reads it,
 * because the opportunity-youth indicator needs ages (spec/indicators.md:
 * "aged 16-24 at the quarter start") and the birth date lives only in the
 * vault. The query asks SQLite for substr(birth_date, 1, 7), so the day
 * of birth never leaves the database, and for no other column: never a
 * name, SSN, zip or licence number. Records disagree on birth dates now
 * and then (typos); the first found wins in the order K-12, motor-vehicle,
 * postsecondary, apprenticeship (the order of their error rates).
 *
 * Persons are created as live records name them, so a p20w_id whose
 * records all belong to replaced submissions does not appear; motor-
 * vehicle records alone make no person (they carry no fact).
 *
 * Memory at the peak (the end of step 5): the persons, the fact arrays
 * (the wages exactly sized, tl_reserve_wages), one int32_t owner per fact
 * and 4 bytes per wage line; the record-key maps are gone by then.
 */
#include "derive/derive.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/csv.h"
#include "util/date.h"
#include "util/hmap.h"
#include "util/log.h"
#include "util/mem.h"
#include "util/progress.h"

/* p20w_ids travel as hash-map values. */
_Static_assert(sizeof(intptr_t) >= sizeof(int64_t),
               "a p20w_id must fit a pointer-sized hmap value");

enum { SRC_K12 = 0, SRC_PS, SRC_APPR, SRC_N };

/* One live ui_wages submission: person index + 1 of each line (0 = no
 * link: the row counts for nobody). */
typedef struct wage_sub {
    int64_t id;
    int64_t max_line;
    int32_t *person; /* max_line + 1 entries */
} wage_sub;

/* Tables whose malformed rows are counted (ingest validated them, so
 * only a hand-edited store has any). */
enum {
    T_SCHOOLS,
    T_INSTS,
    T_EMPLOYERS,
    T_STUDENTS,
    T_EXITS,
    T_CTE,
    T_ASSESS,
    T_WBL,
    T_CREDS,
    T_TERMS,
    T_AWARDS,
    T_APPR,
    T_WAGES,
    T_COUNT
};

static const char *const table_names[T_COUNT] = {
    "k12_schools",     "ps_institutions", "ui_employers",    "k12_students",
    "k12_exits",       "k12_cte_courses", "k12_assessments", "k12_wbl",
    "k12_credentials", "ps_enrollments",  "ps_completions",  "apprenticeships",
    "ui_wages"};

typedef struct loader {
    store *db;
    const p20w_profile *prof;
    tl_state *st;
    p20w_err *err;
    hmap *keys[SRC_N]; /* record key -> p20w_id */
    wage_sub *wsub;    /* ascending id */
    size_t nwsub;
    uint64_t wage_rows; /* live wage rows (submissions.rows_accepted) */
    int64_t next_provisional;
    uint64_t unlinked[SRC_N];
    uint64_t skipped[T_COUNT];
    const char *data_dir;
} loader;

/* Remembers the last record key and its person: a source's rows come
 * person by person, so most lookups are repeats. */
typedef struct key_cache {
    char key[128];
    size_t len;
    int32_t idx;
} key_cache;

static p20w_status nomem(loader *L)
{
    return p20w_err_set(L->err, P20W_ENOMEM, "out of memory loading timelines");
}

/* Any tl_add_* failure: they fail only for memory or limits. */
static p20w_status add_failed(loader *L, p20w_status rc)
{
    if (rc == P20W_ELIMIT)
        return p20w_err_set(L->err, rc, "too many timeline facts");
    return nomem(L);
}

/* ---- codes -------------------------------------------------------------- */

static int code_of(const char *s, const char *const *names, int n)
{
    for (int i = 0; s && i < n; i++)
        if (strcmp(s, names[i]) == 0)
            return i;
    return -1;
}

static const char *const race_codes[] = {"HI", "AI", "AS", "BL",
                                         "PI", "WH", "TW"};
static const char *const exit_codes[] = {
    "", "GRAD", "GRAD_ALT", "HSE", "DROPOUT", "TRANSFER_OUT", "DECEASED"};
static const char *const cluster_codes[] = {"AG", "AR", "AC", "BM", "ED", "FN",
                                            "GV", "HS", "HT", "HU", "IT", "LW",
                                            "MN", "MK", "ST", "TD"};
static const char *const subject_codes[] = {"ELA", "MATH", "SCI"};
static const char *const wbl_codes[] = {
    "INTERNSHIP", "APPRENTICESHIP", "PRE_APPRENTICESHIP",
    "CLINICAL",   "COOP",           "SCHOOL_ENTERPRISE"};
static const char *const award_codes[] = {"",      "NONDEG", "CERT",
                                          "ASSOC", "BACH",   "GRAD"};
static const char *const appr_codes[] = {"ACTIVE", "COMPLETED", "CANCELLED"};

/* Sex: 'F', 'M', 'X'; 0 otherwise. */
static char sex_of(const char *s)
{
    if (s && (s[0] == 'F' || s[0] == 'M' || s[0] == 'X') && s[1] == '\0')
        return s[0];
    return 0;
}

static uint8_t race_of(const char *s)
{
    int r = code_of(s, race_codes, TL_RACE_COUNT);
    return r < 0 ? TL_RACE_UNKNOWN : (uint8_t)r;
}

/* PK -1, KG 0, 01-12, UG 13; -2 when malformed. */
static int grade_of(const char *s)
{
    if (!s)
        return -2;
    if (strcmp(s, "PK") == 0)
        return TL_GRADE_PK;
    if (strcmp(s, "KG") == 0)
        return TL_GRADE_KG;
    if (strcmp(s, "UG") == 0)
        return TL_GRADE_UG;
    if (strlen(s) == 2 && s[0] >= '0' && s[0] <= '1' && s[1] >= '0' &&
        s[1] <= '9') {
        int g = (s[0] - '0') * 10 + (s[1] - '0');
        return g >= 1 && g <= 12 ? g : -2;
    }
    return -2;
}

/* NCES locale code -> group from its first digit. */
static uint8_t locale_of(const char *s)
{
    if (!s || strlen(s) != 2 || s[0] < '1' || s[0] > '4')
        return TL_LOCALE_UNKNOWN;
    return (uint8_t)(TL_LOCALE_CITY + (s[0] - '1'));
}

/* "2019FA" -> year and kind. */
static int term_of(const char *s, int16_t *year, uint8_t *kind)
{
    int y = 0;
    if (!s || strlen(s) != 6)
        return 0;
    for (int i = 0; i < 4; i++) {
        if (s[i] < '0' || s[i] > '9')
            return 0;
        y = y * 10 + (s[i] - '0');
    }
    if (y < DATE_YEAR_MIN || y > DATE_YEAR_MAX)
        return 0;
    if (strcmp(s + 4, "SP") == 0)
        *kind = TL_TERM_SP;
    else if (strcmp(s + 4, "SU") == 0)
        *kind = TL_TERM_SU;
    else if (strcmp(s + 4, "FA") == 0)
        *kind = TL_TERM_FA;
    else
        return 0;
    *year = (int16_t)y;
    return 1;
}

/* A date column; TL_NO_DATE when NULL or malformed. */
static int32_t date_col(store_stmt *q, int col)
{
    int32_t d;
    if (store_column_is_null(q, col) ||
        date_parse(store_column_text(q, col), store_column_bytes(q, col), &d) !=
            P20W_OK)
        return TL_NO_DATE;
    return d;
}

static int year_ok(int64_t y)
{
    return y >= DATE_YEAR_MIN && y <= DATE_YEAR_MAX;
}

/* ---- persons ------------------------------------------------------------ */

/* The person of record `key` of source src, created on first use; a key
 * person_links does not know gets a provisional negative p20w_id. */
static p20w_status person_of(loader *L, int src, const char *key, size_t klen,
                             key_cache *kc, int32_t *idx)
{
    void *v = NULL;
    int64_t id;
    p20w_status rc;
    if (kc && kc->len == klen && klen < sizeof kc->key &&
        memcmp(kc->key, key, klen) == 0) {
        *idx = kc->idx;
        return P20W_OK;
    }
    if (hmap_get(L->keys[src], key, klen, &v)) {
        id = (int64_t)(intptr_t)v;
    } else {
        id = L->next_provisional--;
        if (hmap_put(L->keys[src], key, klen, (void *)(intptr_t)id) != P20W_OK)
            return nomem(L);
        L->unlinked[src]++;
    }
    if ((rc = tl_person_get(L->st, id, idx)) != P20W_OK)
        return add_failed(L, rc);
    if (kc && klen < sizeof kc->key) {
        memcpy(kc->key, key, klen);
        kc->len = klen;
        kc->idx = *idx;
    }
    return P20W_OK;
}

/* What a fact table's row function keeps between rows: the last record
 * key's person and the last school or institution id's index. */
typedef struct fact_ctx {
    key_cache person;
    key_cache ref;
} fact_ctx;

typedef int32_t (*ref_find_fn)(const tl_state *st, const char *id);

/* find(id) through the one-entry cache kc. */
static int32_t ref_cached(loader *L, key_cache *kc, const char *id,
                          ref_find_fn find)
{
    size_t n;
    if (!id)
        return TL_NONE;
    n = strlen(id);
    if (kc->len == n && memcmp(kc->key, id, n) == 0)
        return kc->idx;
    kc->idx = find(L->st, id);
    if (n < sizeof kc->key) {
        memcpy(kc->key, id, n);
        kc->len = n;
    }
    return kc->idx;
}

/* person_of() for the text of column col. */
static p20w_status person_col(loader *L, int src, store_stmt *q, int col,
                              key_cache *kc, int32_t *idx)
{
    const char *key = store_column_text(q, col);
    return person_of(L, src, key ? key : "", store_column_bytes(q, col), kc,
                     idx);
}

/* ---- streaming ---------------------------------------------------------- */

/* Called per result row with the loader and the caller's context. */
typedef p20w_status (*row_fn)(loader *L, void *ctx, store_stmt *q);

/* Runs sql (no parameters) and calls fn per row until it fails or the
 * rows end. pg may be NULL (progress.h functions accept NULL). */
static p20w_status stream(loader *L, const char *sql, row_fn fn, void *ctx,
                          progress *pg)
{
    store_stmt *q = NULL;
    uint64_t n = 0;
    p20w_status rc = store_prepare(L->db, sql, &q, L->err);
    while (rc == P20W_OK) {
        int row = 0;
        if ((rc = store_step(q, &row, L->err)) != P20W_OK || !row)
            break;
        rc = fn(L, ctx, q);
        if ((++n & 0xFFFF) == 0)
            progress_update(pg, n, n);
    }
    store_finalize(q);
    return rc;
}

/* The staging rows of live submissions. CROSS JOIN fixes the join order
 * in SQLite (plain SQL elsewhere): the staging table is scanned in its own
 * order, sequentially, and each row's submission looked up, instead of
 * walking the (submission_id, line) index and fetching every row by rowid,
 * which costs twice as much on the big tables. Rows of replaced
 * submissions are read and dropped; history is small beside the live
 * data. */

/* ---- counties and regions ----------------------------------------------- */

typedef struct county_ctx {
    hmap *states;  /* state FIPS (2 digits) the reference tables use */
    hmap *regions; /* county FIPS -> profile region name */
} county_ctx;

static p20w_status state_row(loader *L, void *ctx, store_stmt *q)
{
    county_ctx *cc = ctx;
    const char *s = store_column_text(q, 0);
    if (s && strlen(s) == 2 && hmap_put_str(cc->states, s, NULL) != P20W_OK)
        return nomem(L);
    return P20W_OK;
}

/* The region of county fips: the profile's, else "CZ <cz>"; TL_NONE when
 * neither names one. */
static p20w_status region_for(loader *L, const county_ctx *cc, const char *fips,
                              const char *cz, int32_t *region)
{
    char name[PROFILE_NAME_MAX + 8];
    void *v = NULL;
    *region = TL_NONE;
    if (L->prof->regions) {
        if (!hmap_get_str(cc->regions, fips, &v))
            return P20W_OK;
        snprintf(name, sizeof name, "%s", (const char *)v);
    } else {
        if (!cz || !cz[0])
            return P20W_OK;
        snprintf(name, sizeof name, "CZ %s", cz);
    }
    *region = tl_find_region(L->st, name);
    if (*region == TL_NONE && tl_add_region(L->st, name, region) != P20W_OK)
        return nomem(L);
    return P20W_OK;
}

/* RUCC text -> rural 1 (>= 4), 0 (1-3), -1 (empty or malformed). */
static int rural_of(const char *s)
{
    if (!s || strlen(s) != 1 || s[0] < '1' || s[0] > '9')
        return -1;
    return s[0] >= '4';
}

static int col_index(const csv_field *f, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(f[i].ptr, name) == 0)
            return (int)i;
    return -1;
}

static p20w_status read_counties(loader *L, const county_ctx *cc,
                                 const char *path)
{
    csv_reader *r = NULL;
    const csv_field *f;
    size_t n;
    int c_fips, c_r23, c_r13, c_cz;
    p20w_status rc = csv_reader_open_file(path, NULL, &r, L->err);
    if (rc == P20W_OK)
        rc = csv_read(r, &f, &n, L->err);
    if (rc != P20W_OK)
        goto out;
    c_fips = col_index(f, n, "county_fips");
    c_r23 = col_index(f, n, "rucc_2023");
    c_r13 = col_index(f, n, "rucc_2013");
    c_cz = col_index(f, n, "ers_commuting_zone_2000");
    if (c_fips < 0 || c_r23 < 0 || c_r13 < 0 || c_cz < 0) {
        rc = p20w_err_set(L->err, P20W_EFORMAT,
                          "us_counties.csv: expected the columns county_fips, "
                          "rucc_2023, rucc_2013, ers_commuting_zone_2000");
        p20w_err_at(L->err, path, 1, 0);
        goto out;
    }
    for (;;) {
        char st2[3];
        int32_t region, idx;
        int rural;
        if ((rc = csv_read(r, &f, &n, L->err)) != P20W_OK || n == 0)
            break;
        if (n <= (size_t)c_cz || n <= (size_t)c_fips || n <= (size_t)c_r23 ||
            n <= (size_t)c_r13 || f[c_fips].len != 5) {
            rc = p20w_err_set(L->err, P20W_EFORMAT,
                              "us_counties.csv: a county row needs every "
                              "column and a 5-digit FIPS");
            p20w_err_at(L->err, path, csv_reader_line(r), 0);
            break;
        }
        memcpy(st2, f[c_fips].ptr, 2);
        st2[2] = '\0';
        if (!hmap_get_str(cc->states, st2, NULL) ||
            tl_find_county(L->st, f[c_fips].ptr) != TL_NONE)
            continue;
        rural = rural_of(f[c_r23].ptr);
        if (rural < 0)
            rural = rural_of(f[c_r13].ptr);
        rc = region_for(L, cc, f[c_fips].ptr, f[c_cz].ptr, &region);
        if (rc != P20W_OK)
            break;
        if (tl_add_county(L->st, f[c_fips].ptr, region, rural, &idx) !=
            P20W_OK) {
            rc = nomem(L);
            break;
        }
    }
out:
    csv_reader_close(r);
    return rc;
}

static const char sql_states[] =
    "SELECT substr(t.county_fips, 1, 2) FROM stg_k12_schools t CROSS JOIN "
    "submissions s WHERE s.submission_id = t.submission_id AND s.status = "
    "'accepted' UNION SELECT substr(t.county_fips, 1, 2) FROM "
    "stg_ps_institutions t CROSS JOIN submissions s WHERE s.submission_id = "
    "t.submission_id AND s.status = 'accepted' UNION SELECT "
    "substr(t.county_fips, 1, 2) FROM stg_ui_employers t CROSS JOIN "
    "submissions s WHERE s.submission_id = t.submission_id AND s.status = "
    "'accepted'";

/* Counties of every state a live school, institution or employer lies in,
 * and the workforce regions. Regions of a [regions] profile are created in
 * the profile's order first, so the region table mirrors the
 * configuration even where no county of the data falls in one. */
static p20w_status load_counties(loader *L, const char *data_dir)
{
    county_ctx cc = {NULL, NULL};
    char path[4096];
    p20w_status rc = P20W_OK;
    if (hmap_create(&cc.states) != P20W_OK ||
        hmap_create(&cc.regions) != P20W_OK) {
        rc = nomem(L);
        goto out;
    }
    for (size_t i = 0; L->prof->regions && i < L->prof->region_count; i++) {
        const p20w_region_entry *e = &L->prof->regions[i];
        int32_t idx;
        if (hmap_put_str(cc.regions, e->fips, (void *)e->name) != P20W_OK ||
            (tl_find_region(L->st, e->name) == TL_NONE &&
             tl_add_region(L->st, e->name, &idx) != P20W_OK)) {
            rc = nomem(L);
            goto out;
        }
    }
    rc = stream(L, sql_states, state_row, &cc, NULL);
    if (rc == P20W_OK && hmap_count(cc.states) > 0) {
        snprintf(path, sizeof path, "%s/us_counties.csv", data_dir);
        rc = read_counties(L, &cc, path);
    }
out:
    hmap_free(cc.states);
    hmap_free(cc.regions);
    return rc;
}

/* The county of a reference row; one the county file lacks is added
 * with no region (unless the profile names it) and rurality unknown. */
static p20w_status county_ref(loader *L, store_stmt *q, int col, int32_t *idx)
{
    const char *fips = store_column_text(q, col);
    int32_t region = TL_NONE;
    *idx = TL_NONE;
    if (!fips || strlen(fips) != 5)
        return P20W_OK;
    if ((*idx = tl_find_county(L->st, fips)) != TL_NONE)
        return P20W_OK;
    for (size_t i = 0; L->prof->regions && i < L->prof->region_count; i++)
        if (strcmp(L->prof->regions[i].fips, fips) == 0)
            region = tl_find_region(L->st, L->prof->regions[i].name);
    if (tl_add_county(L->st, fips, region, -1, idx) != P20W_OK)
        return nomem(L);
    return P20W_OK;
}

/* ---- schools, institutions, employers ----------------------------------- */

/* Newest submission first: where two live submissions describe the same
 * school, the first row read wins. */
static const char sql_schools[] =
    "SELECT t.school_id, t.school_name, t.district_id, t.district_name, "
    "t.county_fips, t.locale FROM stg_k12_schools t CROSS JOIN submissions s "
    "WHERE s.submission_id = t.submission_id AND s.status = 'accepted'"
    " ORDER BY t.submission_id DESC, t.line";
static const char sql_insts[] =
    "SELECT t.institution_id, t.institution_name, t.sector, "
    "t.county_fips FROM stg_ps_institutions t CROSS JOIN submissions s WHERE "
    "s.submission_id = t.submission_id AND s.status = 'accepted'"
    " ORDER BY t.submission_id DESC, t.line";
static const char sql_employers[] =
    "SELECT t.employer_id, t.naics, t.county_fips FROM stg_ui_employers t "
    "CROSS JOIN submissions s WHERE s.submission_id = t.submission_id AND "
    "s.status = 'accepted'"
    " ORDER BY t.submission_id DESC, t.line";

static p20w_status school_row(loader *L, void *ctx, store_stmt *q)
{
    const char *id = store_column_text(q, 0);
    const char *did = store_column_text(q, 2);
    int32_t district, county, idx;
    p20w_status rc;
    (void)ctx;
    if (!id || !did) {
        L->skipped[T_SCHOOLS]++;
        return P20W_OK;
    }
    if (tl_find_school(L->st, id) != TL_NONE)
        return P20W_OK; /* a newer submission described it */
    district = tl_find_district(L->st, did);
    if (district == TL_NONE &&
        tl_add_district(L->st, did, store_column_text(q, 3), &district) !=
            P20W_OK)
        return nomem(L);
    if ((rc = county_ref(L, q, 4, &county)) != P20W_OK)
        return rc;
    if (tl_add_school(L->st, id, store_column_text(q, 1), district, county,
                      locale_of(store_column_text(q, 5)), &idx) != P20W_OK)
        return nomem(L);
    return P20W_OK;
}

static p20w_status inst_row(loader *L, void *ctx, store_stmt *q)
{
    tl_institution probe;
    const char *id = store_column_text(q, 0);
    const char *sector = store_column_text(q, 2);
    int32_t county, idx;
    p20w_status rc;
    (void)ctx;
    if (!id || !sector || strlen(sector) >= sizeof probe.sector) {
        L->skipped[T_INSTS]++;
        return P20W_OK;
    }
    if (tl_find_institution(L->st, id) != TL_NONE)
        return P20W_OK;
    if ((rc = county_ref(L, q, 3, &county)) != P20W_OK)
        return rc;
    if (tl_add_institution(L->st, id, store_column_text(q, 1), sector, county,
                           &idx) != P20W_OK)
        return nomem(L);
    return P20W_OK;
}

static p20w_status employer_row(loader *L, void *ctx, store_stmt *q)
{
    const char *id = store_column_text(q, 0);
    int32_t county, idx;
    p20w_status rc;
    (void)ctx;
    if (!id) {
        L->skipped[T_EMPLOYERS]++;
        return P20W_OK;
    }
    if (tl_find_employer(L->st, id) != TL_NONE)
        return P20W_OK;
    if ((rc = county_ref(L, q, 2, &county)) != P20W_OK)
        return rc;
    rc = tl_add_employer(L->st, id, store_column_text(q, 1), county, &idx);
    if (rc == P20W_EINVAL) { /* a NAICS code that is not digits */
        L->skipped[T_EMPLOYERS]++;
        rc = tl_add_employer(L->st, id, NULL, county, &idx);
    }
    return rc == P20W_OK ? P20W_OK : nomem(L);
}

static p20w_status load_references(loader *L)
{
    p20w_status rc = stream(L, sql_schools, school_row, NULL, NULL);
    if (rc == P20W_OK)
        rc = stream(L, sql_insts, inst_row, NULL, NULL);
    if (rc == P20W_OK)
        rc = stream(L, sql_employers, employer_row, NULL, NULL);
    return rc;
}

/* ---- person links ------------------------------------------------------- */

static int cmp_wsub(const void *a, const void *b)
{
    const wage_sub *x = a, *y = b;
    return (x->id > y->id) - (x->id < y->id);
}

static wage_sub *wsub_find(const loader *L, int64_t id)
{
    wage_sub key;
    memset(&key, 0, sizeof key);
    key.id = id;
    return L->nwsub ? bsearch(&key, L->wsub, L->nwsub, sizeof key, cmp_wsub)
                    : NULL;
}

static p20w_status wsub_push(loader *L, size_t *cap, int64_t id)
{
    wage_sub *w;
    if (L->nwsub == *cap) {
        size_t ncap = *cap ? 2 * *cap : 8;
        wage_sub *nw = p20w_realloc(L->wsub, ncap * sizeof *nw);
        if (!nw)
            return nomem(L);
        L->wsub = nw, *cap = ncap;
    }
    w = &L->wsub[L->nwsub++];
    memset(w, 0, sizeof *w);
    w->id = id;
    return P20W_OK;
}

/* One array per live wage submission, as long as its last line. */
static p20w_status wage_arrays(loader *L)
{
    store_stmt *q = NULL, *mx = NULL;
    size_t cap = 0;
    p20w_status rc = store_prepare(
        L->db,
        "SELECT submission_id, rows_accepted FROM submissions WHERE source = "
        "'ui_wages' AND status = 'accepted' ORDER BY submission_id",
        &q, L->err);
    if (rc == P20W_OK)
        rc = store_prepare(L->db,
                           "SELECT max(line) FROM stg_ui_wages WHERE "
                           "submission_id = ?",
                           &mx, L->err);
    while (rc == P20W_OK) {
        int row = 0;
        wage_sub *w;
        if ((rc = store_step(q, &row, L->err)) != P20W_OK || !row)
            break;
        if ((rc = wsub_push(L, &cap, store_column_int64(q, 0))) != P20W_OK)
            break;
        w = &L->wsub[L->nwsub - 1];
        L->wage_rows += (uint64_t)store_column_int64(q, 1);
        store_reset(mx);
        if ((rc = store_bind_int64(mx, 1, w->id, L->err)) != P20W_OK ||
            (rc = store_step(mx, &row, L->err)) != P20W_OK)
            break;
        w->max_line = row ? store_column_int64(mx, 0) : 0;
        if (w->max_line < 0 || (uint64_t)w->max_line >= SIZE_MAX / 8) {
            rc = p20w_err_set(L->err, P20W_ELIMIT, "wage submission too long");
            break;
        }
        w->person = p20w_calloc((size_t)w->max_line + 1, sizeof(int32_t));
        if (!w->person) {
            rc = nomem(L);
            break;
        }
    }
    store_finalize(q);
    store_finalize(mx);
    return rc;
}

static void free_wage_arrays(loader *L)
{
    for (size_t i = 0; i < L->nwsub; i++)
        p20w_free(L->wsub[i].person);
    p20w_free(L->wsub);
    L->wsub = NULL;
    L->nwsub = 0;
}

/* "<submission_id>:<line>" -> both numbers. */
static int parse_row_key(const char *s, int64_t *sub, int64_t *line)
{
    char *end = NULL;
    long long a, b;
    if (!s || s[0] < '0' || s[0] > '9')
        return 0;
    a = strtoll(s, &end, 10);
    if (*end != ':' || end[1] < '0' || end[1] > '9')
        return 0;
    b = strtoll(end + 1, &end, 10);
    if (*end != '\0')
        return 0;
    *sub = a, *line = b;
    return 1;
}

/* The last wage link's person: a person's wage rows are mostly written
 * one after another, so most lookups repeat. */
typedef struct link_ctx {
    int64_t id;
    int32_t idx; /* TL_NONE: nothing cached */
} link_ctx;

static p20w_status link_row(loader *L, void *ctx, store_stmt *q)
{
    link_ctx *lc = ctx;
    const char *src = store_column_text(q, 0);
    const char *key = store_column_text(q, 1);
    int64_t id = store_column_int64(q, 2);
    int s = -1;
    if (!src || !key)
        return P20W_OK;
    if (strcmp(src, "ui_wages") == 0) {
        int64_t sub, line;
        wage_sub *w;
        int32_t idx;
        p20w_status rc;
        if (!parse_row_key(key, &sub, &line) || !(w = wsub_find(L, sub)) ||
            line < 0 || line > w->max_line)
            return P20W_OK; /* a row of a replaced submission */
        if (lc->idx != TL_NONE && lc->id == id) {
            idx = lc->idx;
        } else {
            if ((rc = tl_person_get(L->st, id, &idx)) != P20W_OK)
                return add_failed(L, rc);
            lc->id = id, lc->idx = idx;
        }
        w->person[line] = idx + 1;
        return P20W_OK;
    }
    if (strcmp(src, "k12_students") == 0)
        s = SRC_K12;
    else if (strcmp(src, "ps_enrollments") == 0)
        s = SRC_PS;
    else if (strcmp(src, "apprenticeships") == 0)
        s = SRC_APPR;
    if (s < 0)
        return P20W_OK; /* dmv_ids: read with the birth dates */
    if (hmap_put(L->keys[s], key, store_column_bytes(q, 1),
                 (void *)(intptr_t)id) != P20W_OK)
        return nomem(L);
    return P20W_OK;
}

/* One scan of person_links (no WHERE: the wage links are nearly all of it,
 * and a scan in table order reads it sequentially). */
static p20w_status load_links(loader *L)
{
    p20w_status rc = wage_arrays(L);
    link_ctx lc = {0, TL_NONE};
    progress *pg;
    if (rc != P20W_OK)
        return rc;
    pg = progress_start("derive: person links", 0);
    rc = stream(L, "SELECT source, record_key, p20w_id FROM person_links",
                link_row, &lc, pg);
    progress_finish(pg);
    return rc;
}

/* ---- K-12 facts --------------------------------------------------------- */

static const char sql_enrols[] =
    "SELECT t.student_id, t.school_year, t.school_id, t.grade_level, t.sex, "
    "t.race_ethnicity, t.econ_disadvantaged, t.disability, t.english_learner, "
    "t.homeless, t.foster_care, t.migrant, "
    "t.military_connected FROM stg_k12_students t CROSS JOIN submissions s "
    "WHERE s.submission_id = t.submission_id AND s.status = 'accepted'";

static p20w_status enrol_row(loader *L, void *ctx, store_stmt *q)
{
    fact_ctx *fc = ctx;
    static const uint8_t bits[7] = {
        TL_F_ECON,   TL_F_DISABILITY, TL_F_EL,      TL_F_HOMELESS,
        TL_F_FOSTER, TL_F_MIGRANT,    TL_F_MILITARY};
    tl_enrol e;
    int32_t idx;
    int64_t sy = store_column_int64(q, 1);
    int grade = grade_of(store_column_text(q, 3));
    p20w_status rc;
    if (!year_ok(sy) || grade < TL_GRADE_PK) {
        L->skipped[T_STUDENTS]++;
        return P20W_OK;
    }
    if ((rc = person_col(L, SRC_K12, q, 0, &fc->person, &idx)) != P20W_OK)
        return rc;
    memset(&e, 0, sizeof e);
    e.school_year = (int16_t)sy;
    e.grade = (int8_t)grade;
    e.school = ref_cached(L, &fc->ref, store_column_text(q, 2), tl_find_school);
    e.sex = sex_of(store_column_text(q, 4));
    e.race = race_of(store_column_text(q, 5));
    for (int i = 0; i < 7; i++)
        if (store_column_int64(q, 6 + i))
            e.flags |= bits[i];
    rc = tl_add_enrol(L->st, idx, &e);
    return rc == P20W_OK ? P20W_OK : add_failed(L, rc);
}

static const char sql_exits[] =
    "SELECT t.student_id, t.school_id, t.exit_date, t.exit_type, "
    "t.cohort_year FROM stg_k12_exits t CROSS JOIN submissions s WHERE "
    "s.submission_id = t.submission_id AND s.status = 'accepted'";

static p20w_status exit_row(loader *L, void *ctx, store_stmt *q)
{
    fact_ctx *fc = ctx;
    tl_k12_exit x;
    int32_t idx;
    int type = code_of(store_column_text(q, 3), exit_codes, TL_EXIT_COUNT);
    int64_t cohort = store_column_int64(q, 4);
    p20w_status rc;
    memset(&x, 0, sizeof x);
    x.date = date_col(q, 2);
    if (type <= TL_EXIT_NONE || x.date == TL_NO_DATE ||
        (!store_column_is_null(q, 4) && !year_ok(cohort))) {
        L->skipped[T_EXITS]++;
        return P20W_OK;
    }
    if ((rc = person_col(L, SRC_K12, q, 0, &fc->person, &idx)) != P20W_OK)
        return rc;
    x.type = (uint8_t)type;
    x.school = ref_cached(L, &fc->ref, store_column_text(q, 1), tl_find_school);
    x.cohort_year = store_column_is_null(q, 4) ? 0 : (int16_t)cohort;
    rc = tl_add_k12_exit(L->st, idx, &x);
    return rc == P20W_OK ? P20W_OK : add_failed(L, rc);
}

static const char sql_ctes[] =
    "SELECT t.student_id, t.school_year, t.school_id, t.career_cluster, "
    "t.program_of_study, t.credits, t.completed FROM stg_k12_cte_courses t "
    "CROSS JOIN submissions s WHERE s.submission_id = t.submission_id AND "
    "s.status = 'accepted'";

/* Programs of study come from the course rows: the first row naming a
 * program gives its cluster. */
static p20w_status cte_row(loader *L, void *ctx, store_stmt *q)
{
    fact_ctx *fc = ctx;
    tl_cte c;
    int32_t idx;
    int64_t sy = store_column_int64(q, 1);
    int cluster = code_of(store_column_text(q, 3), cluster_codes, TL_CL_COUNT);
    const char *prog = store_column_text(q, 4);
    p20w_status rc;
    if (!year_ok(sy) || cluster < 0 || !prog || !prog[0]) {
        L->skipped[T_CTE]++;
        return P20W_OK;
    }
    if ((rc = person_col(L, SRC_K12, q, 0, &fc->person, &idx)) != P20W_OK)
        return rc;
    memset(&c, 0, sizeof c);
    c.school_year = (int16_t)sy;
    c.cluster = (uint8_t)cluster;
    c.completed = store_column_int64(q, 6) != 0;
    c.school = ref_cached(L, &fc->ref, store_column_text(q, 2), tl_find_school);
    c.credits = (float)store_column_double(q, 5);
    c.program = tl_find_program(L->st, prog);
    if (c.program == TL_NONE &&
        tl_add_program(L->st, prog, (uint8_t)cluster, &c.program) != P20W_OK)
        return nomem(L);
    rc = tl_add_cte(L->st, idx, &c);
    return rc == P20W_OK ? P20W_OK : add_failed(L, rc);
}

static const char sql_assess[] =
    "SELECT t.student_id, t.school_year, t.subject, "
    "t.proficient FROM stg_k12_assessments t CROSS JOIN submissions s WHERE "
    "s.submission_id = t.submission_id AND s.status = 'accepted'";

static p20w_status assess_row(loader *L, void *ctx, store_stmt *q)
{
    fact_ctx *fc = ctx;
    tl_assess a;
    int32_t idx;
    int64_t sy = store_column_int64(q, 1);
    int subject =
        code_of(store_column_text(q, 2), subject_codes, TL_SUBJ_COUNT);
    p20w_status rc;
    if (!year_ok(sy) || subject < 0) {
        L->skipped[T_ASSESS]++;
        return P20W_OK;
    }
    if ((rc = person_col(L, SRC_K12, q, 0, &fc->person, &idx)) != P20W_OK)
        return rc;
    memset(&a, 0, sizeof a);
    a.school_year = (int16_t)sy;
    a.subject = (uint8_t)subject;
    a.proficient = store_column_int64(q, 3) != 0;
    rc = tl_add_assess(L->st, idx, &a);
    return rc == P20W_OK ? P20W_OK : add_failed(L, rc);
}

static const char sql_wbls[] =
    "SELECT t.student_id, t.school_year, t.wbl_type, t.hours, "
    "t.completed FROM stg_k12_wbl t CROSS JOIN submissions s WHERE "
    "s.submission_id = t.submission_id AND s.status = 'accepted'";

static p20w_status wbl_row(loader *L, void *ctx, store_stmt *q)
{
    fact_ctx *fc = ctx;
    tl_wbl w;
    int32_t idx;
    int64_t sy = store_column_int64(q, 1);
    int type = code_of(store_column_text(q, 2), wbl_codes, TL_WBL_COUNT);
    p20w_status rc;
    if (!year_ok(sy) || type < 0) {
        L->skipped[T_WBL]++;
        return P20W_OK;
    }
    if ((rc = person_col(L, SRC_K12, q, 0, &fc->person, &idx)) != P20W_OK)
        return rc;
    memset(&w, 0, sizeof w);
    w.school_year = (int16_t)sy;
    w.type = (uint8_t)type;
    w.hours = (int32_t)store_column_int64(q, 3);
    w.completed = store_column_int64(q, 4) != 0;
    rc = tl_add_wbl(L->st, idx, &w);
    return rc == P20W_OK ? P20W_OK : add_failed(L, rc);
}

static const char sql_creds[] =
    "SELECT t.student_id, t.earned_date FROM stg_k12_credentials t CROSS JOIN "
    "submissions s WHERE s.submission_id = t.submission_id AND s.status = "
    "'accepted'";

static p20w_status cred_row(loader *L, void *ctx, store_stmt *q)
{
    fact_ctx *fc = ctx;
    tl_cred c;
    int32_t idx;
    p20w_status rc;
    c.date = date_col(q, 1);
    if (c.date == TL_NO_DATE) {
        L->skipped[T_CREDS]++;
        return P20W_OK;
    }
    if ((rc = person_col(L, SRC_K12, q, 0, &fc->person, &idx)) != P20W_OK)
        return rc;
    rc = tl_add_cred(L->st, idx, &c);
    return rc == P20W_OK ? P20W_OK : add_failed(L, rc);
}

/* ---- postsecondary and apprenticeship facts ----------------------------- */

static const char sql_terms[] =
    "SELECT t.record_key, t.institution_id, t.term, t.award_level_sought, "
    "t.cip_code, t.credits_attempted, t.credits_earned, t.dual_enrollment, "
    "t.cte_program, t.sex, t.race_ethnicity FROM stg_ps_enrollments t CROSS "
    "JOIN submissions s WHERE s.submission_id = t.submission_id AND s.status = "
    "'accepted'";

static p20w_status term_row(loader *L, void *ctx, store_stmt *q)
{
    fact_ctx *fc = ctx;
    tl_term t;
    int32_t idx;
    int level = code_of(store_column_text(q, 3), award_codes, TL_AWARD_COUNT);
    p20w_status rc;
    memset(&t, 0, sizeof t);
    if (!term_of(store_column_text(q, 2), &t.year, &t.kind) ||
        level <= TL_AWARD_NONE) {
        L->skipped[T_TERMS]++;
        return P20W_OK;
    }
    if ((rc = person_col(L, SRC_PS, q, 0, &fc->person, &idx)) != P20W_OK)
        return rc;
    t.level = (uint8_t)level;
    t.inst =
        ref_cached(L, &fc->ref, store_column_text(q, 1), tl_find_institution);
    t.cip = tl_cip_parse(store_column_text(q, 4));
    t.credits_attempted = (float)store_column_double(q, 5);
    t.credits_earned = (float)store_column_double(q, 6);
    t.dual = store_column_int64(q, 7) != 0;
    t.cte = store_column_int64(q, 8) != 0;
    t.sex = sex_of(store_column_text(q, 9));
    t.race = race_of(store_column_text(q, 10));
    rc = tl_add_term(L->st, idx, &t);
    return rc == P20W_OK ? P20W_OK : add_failed(L, rc);
}

/* Awards join their enrolment record through institution_id '/'
 * ps_student_id, the postsecondary record key. */
static const char sql_awards[] =
    "SELECT t.institution_id, t.ps_student_id, t.award_date, t.award_level, "
    "t.cip_code FROM stg_ps_completions t CROSS JOIN submissions s WHERE "
    "s.submission_id = t.submission_id AND s.status = 'accepted'";

static p20w_status award_row(loader *L, void *ctx, store_stmt *q)
{
    fact_ctx *fc = ctx;
    tl_award_row a;
    char key[512];
    int32_t idx;
    const char *inst = store_column_text(q, 0);
    const char *sid = store_column_text(q, 1);
    int level = code_of(store_column_text(q, 3), award_codes, TL_AWARD_COUNT);
    int n;
    p20w_status rc;
    memset(&a, 0, sizeof a);
    a.date = date_col(q, 2);
    n = snprintf(key, sizeof key, "%s/%s", inst ? inst : "", sid ? sid : "");
    if (a.date == TL_NO_DATE || level <= TL_AWARD_NONE || !inst || !sid ||
        n < 0 || (size_t)n >= sizeof key) {
        L->skipped[T_AWARDS]++;
        return P20W_OK;
    }
    if ((rc = person_of(L, SRC_PS, key, (size_t)n, &fc->person, &idx)) !=
        P20W_OK)
        return rc;
    a.level = (uint8_t)level;
    a.inst = ref_cached(L, &fc->ref, inst, tl_find_institution);
    a.cip = tl_cip_parse(store_column_text(q, 4));
    rc = tl_add_award(L->st, idx, &a);
    return rc == P20W_OK ? P20W_OK : add_failed(L, rc);
}

static const char sql_apprs[] =
    "SELECT t.record_key, t.soc_code, t.start_date, t.end_date, "
    "t.status FROM stg_apprenticeships t CROSS JOIN submissions s WHERE "
    "s.submission_id = t.submission_id AND s.status = 'accepted'";

static p20w_status appr_row(loader *L, void *ctx, store_stmt *q)
{
    fact_ctx *fc = ctx;
    tl_appr a;
    int32_t idx;
    int status = code_of(store_column_text(q, 4), appr_codes, 3);
    p20w_status rc;
    memset(&a, 0, sizeof a);
    a.start_date = date_col(q, 2);
    a.end_date = date_col(q, 3);
    if (status < 0 || a.start_date == TL_NO_DATE ||
        (a.end_date == TL_NO_DATE && !store_column_is_null(q, 3))) {
        L->skipped[T_APPR]++;
        return P20W_OK;
    }
    if ((rc = person_col(L, SRC_APPR, q, 0, &fc->person, &idx)) != P20W_OK)
        return rc;
    a.status = (uint8_t)status;
    a.soc = tl_soc_parse(store_column_text(q, 1));
    rc = tl_add_appr(L->st, idx, &a);
    return rc == P20W_OK ? P20W_OK : add_failed(L, rc);
}

/* Every person-keyed staging table, in one streaming query each. */
static p20w_status load_facts(loader *L)
{
    static const struct {
        const char *sql;
        row_fn fn;
        const char *label;
    } tabs[] = {
        {sql_enrols, enrol_row, "derive: k12_students"},
        {sql_exits, exit_row, NULL},
        {sql_ctes, cte_row, NULL},
        {sql_assess, assess_row, "derive: k12_assessments"},
        {sql_wbls, wbl_row, NULL},
        {sql_creds, cred_row, NULL},
        {sql_terms, term_row, "derive: ps_enrollments"},
        {sql_awards, award_row, NULL},
        {sql_apprs, appr_row, NULL},
    };
    p20w_status rc = P20W_OK;
    for (size_t i = 0; rc == P20W_OK && i < sizeof tabs / sizeof tabs[0]; i++) {
        fact_ctx fc;
        progress *pg = tabs[i].label ? progress_start(tabs[i].label, 0) : NULL;
        memset(&fc, 0, sizeof fc);
        fc.person.len = fc.ref.len = SIZE_MAX; /* match no key */
        rc = stream(L, tabs[i].sql, tabs[i].fn, &fc, pg);
        progress_finish(pg);
    }
    return rc;
}

/* ---- wages -------------------------------------------------------------- */

typedef struct wage_ctx {
    wage_sub *w;             /* the current row's submission */
    int32_t q_first, q_last; /* over every live row, linked or not */
    char emp_key[64];        /* last employer id and its index */
    int32_t emp;
} wage_ctx;

static const char sql_wages[] =
    "SELECT t.submission_id, t.line, t.employer_id, t.quarter, t.wages_cents "
    "FROM stg_ui_wages t CROSS JOIN submissions s WHERE s.submission_id = "
    "t.submission_id AND s.status = 'accepted'";

static p20w_status wage_row(loader *L, void *ctx, store_stmt *q)
{
    wage_ctx *wc = ctx;
    int64_t sub = store_column_int64(q, 0), line = store_column_int64(q, 1);
    const char *emp = store_column_text(q, 2);
    tl_wage w;
    int qi;
    int32_t person;
    p20w_status rc;
    if (!wc->w || wc->w->id != sub)
        wc->w = wsub_find(L, sub);
    if (!wc->w || line < 0 || line > wc->w->max_line || !emp ||
        store_column_is_null(q, 3) ||
        quarter_parse(store_column_text(q, 3), store_column_bytes(q, 3), &qi) !=
            P20W_OK) {
        L->skipped[T_WAGES]++;
        return P20W_OK;
    }
    if (wc->q_first == TL_NONE || qi < wc->q_first)
        wc->q_first = qi;
    if (wc->q_last == TL_NONE || qi > wc->q_last)
        wc->q_last = qi;
    if ((person = wc->w->person[line]) == 0)
        return P20W_OK; /* linked to nobody (invalid SSN) */
    if (strcmp(emp, wc->emp_key) != 0) {
        wc->emp = tl_find_employer(L->st, emp);
        snprintf(wc->emp_key, sizeof wc->emp_key, "%s", emp);
    }
    w.q = qi;
    w.employer = wc->emp;
    w.cents = store_column_int64(q, 4);
    rc = tl_add_wage(L->st, person - 1, &w);
    return rc == P20W_OK ? P20W_OK : add_failed(L, rc);
}

/* Every live wage row, in one scan; the line arrays of load_links() say
 * whose each is. */
static p20w_status load_wages(loader *L)
{
    wage_ctx wc;
    progress *pg;
    p20w_status rc;
    memset(&wc, 0, sizeof wc);
    wc.q_first = wc.q_last = TL_NONE;
    wc.emp = TL_NONE;
    wc.emp_key[0] = '\x01'; /* matches no employer id */
    if ((rc = tl_reserve_wages(L->st, (size_t)L->wage_rows)) != P20W_OK)
        return add_failed(L, rc);
    pg = progress_start("derive: ui_wages", L->wage_rows);
    rc = stream(L, sql_wages, wage_row, &wc, pg);
    progress_finish(pg);
    L->st->wage_q_first = wc.q_first;
    L->st->wage_q_last = wc.q_last;
    return rc;
}

/* ---- birth dates -------------------------------------------------------- */

/* "YYYY-MM" -> 12 * year + month - 1, TL_NONE when malformed. */
static int32_t birth_ym_of(const char *s)
{
    int y = 0, m;
    if (!s || strlen(s) != 7 || s[4] != '-')
        return TL_NONE;
    for (int i = 0; i < 4; i++) {
        if (s[i] < '0' || s[i] > '9')
            return TL_NONE;
        y = y * 10 + (s[i] - '0');
    }
    if (s[5] < '0' || s[5] > '1' || s[6] < '0' || s[6] > '9')
        return TL_NONE;
    m = (s[5] - '0') * 10 + (s[6] - '0');
    if (m < 1 || m > 12 || !year_ok(y))
        return TL_NONE;
    return 12 * y + m - 1;
}

static void set_birth(loader *L, int64_t id, const char *ym)
{
    int32_t i = tl_person_find(L->st, id);
    tl_person *p;
    if (i == TL_NONE)
        return; /* a record that carries no fact */
    p = (tl_person *)L->st->persons.data + i;
    if (p->birth_ym == TL_NONE)
        p->birth_ym = birth_ym_of(ym);
}

typedef struct birth_ctx {
    int src;
    key_cache kc; /* the last record key: K-12 students have a vault row a
                     year, one after another */
} birth_ctx;

static p20w_status birth_row(loader *L, void *ctx, store_stmt *q)
{
    birth_ctx *bc = ctx;
    void *v = NULL;
    const char *key = store_column_text(q, 0);
    size_t klen = store_column_bytes(q, 0);
    if (!key || (bc->kc.len == klen && memcmp(bc->kc.key, key, klen) == 0))
        return P20W_OK;
    if (klen < sizeof bc->kc.key) {
        memcpy(bc->kc.key, key, klen);
        bc->kc.len = klen;
    }
    if (hmap_get(L->keys[bc->src], key, klen, &v))
        set_birth(L, (int64_t)(intptr_t)v, store_column_text(q, 1));
    return P20W_OK;
}

static p20w_status dmv_birth_row(loader *L, void *ctx, store_stmt *q)
{
    (void)ctx;
    set_birth(L, store_column_int64(q, 0), store_column_text(q, 1));
    return P20W_OK;
}

/* Only the year and month are asked for: see the header comment. Each
 * query walks the live submissions of one source, then their vault rows
 * by (submission_id, line) (CROSS JOIN fixes that order), so the wage rows
 * of the vault, most of it, are never read. */
#define VAULT_BIRTH(src)                                                       \
    "SELECT v.record_key, substr(v.birth_date, 1, 7) FROM submissions s "      \
    "CROSS JOIN identity_vault v WHERE v.submission_id = s.submission_id "     \
    "AND v.source = s.source AND s.status = 'accepted' AND s.source = '" src   \
    "' AND v.birth_date IS NOT NULL"

static const char sql_dmv_births[] =
    "SELECT l.p20w_id, substr(v.birth_date, 1, 7) FROM submissions s CROSS "
    "JOIN identity_vault v CROSS JOIN person_links l WHERE v.submission_id = "
    "s.submission_id AND l.source = v.source AND l.record_key = v.record_key "
    "AND s.status = 'accepted' AND s.source = 'dmv_ids' AND v.birth_date IS "
    "NOT NULL";

/* Sources in the order their birth dates are trusted. */
static p20w_status load_births(loader *L)
{
    birth_ctx bc;
    p20w_status rc;
    memset(&bc, 0, sizeof bc);
    bc.kc.len = SIZE_MAX;
    bc.src = SRC_K12;
    rc = stream(L, VAULT_BIRTH("k12_students"), birth_row, &bc, NULL);
    if (rc == P20W_OK)
        rc = stream(L, sql_dmv_births, dmv_birth_row, NULL, NULL);
    bc.src = SRC_PS;
    bc.kc.len = SIZE_MAX;
    if (rc == P20W_OK)
        rc = stream(L, VAULT_BIRTH("ps_enrollments"), birth_row, &bc, NULL);
    bc.src = SRC_APPR;
    bc.kc.len = SIZE_MAX;
    if (rc == P20W_OK)
        rc = stream(L, VAULT_BIRTH("apprenticeships"), birth_row, &bc, NULL);
    return rc;
}

/* ---- the whole load ----------------------------------------------------- */

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void warn_counts(const loader *L)
{
    uint64_t skipped = 0;
    if (L->unlinked[SRC_K12] + L->unlinked[SRC_PS] + L->unlinked[SRC_APPR])
        log_warn(
            "derive: %" PRIu64 " K-12, %" PRIu64 " postsecondary and %" PRIu64
            " apprenticeship records are not linked (ingested after the "
            "last `p20w link`?): each counted as a person of its own",
            L->unlinked[SRC_K12], L->unlinked[SRC_PS], L->unlinked[SRC_APPR]);
    for (int t = 0; t < T_COUNT; t++)
        skipped += L->skipped[t];
    for (int t = 0; skipped && t < T_COUNT; t++)
        if (L->skipped[t])
            log_warn("derive: %" PRIu64 " rows of %s skipped: a code, date "
                     "or year that does not parse",
                     L->skipped[t], table_names[t]);
}

/* ---- the stages --------------------------------------------------------- */

static p20w_status stage_references(loader *L)
{
    p20w_status rc = load_counties(L, L->data_dir);
    return rc == P20W_OK ? load_references(L) : rc;
}

/* Births right after the facts, while the record-key maps exist; the maps
 * go before the wages come in, the memory's peak. */
static p20w_status stage_births(loader *L)
{
    p20w_status rc = load_births(L);
    for (int s = 0; s < SRC_N; s++) {
        hmap_free(L->keys[s]);
        L->keys[s] = NULL;
    }
    return rc;
}

static p20w_status stage_wages(loader *L)
{
    p20w_status rc = load_wages(L);
    free_wage_arrays(L);
    return rc;
}

static p20w_status stage_finish(loader *L)
{
    return tl_finish(L->st, L->err);
}

static const struct {
    const char *name;
    p20w_status (*fn)(loader *L);
} stages[] = {
    {"references", stage_references},
    {"person links", load_links},
    {"facts", load_facts},
    {"birth dates", stage_births},
    {"wages", stage_wages},
    {"finish", stage_finish},
};

p20w_status derive_load(store *db, const p20w_profile *prof,
                        const char *data_dir, tl_state **out, p20w_err *err)
{
    loader L;
    p20w_status rc;
    *out = NULL;
    memset(&L, 0, sizeof L);
    L.db = db;
    L.prof = prof;
    L.err = err;
    L.data_dir = data_dir;
    L.next_provisional = -1;
    if ((rc = tl_state_new(&L.st, err)) != P20W_OK)
        return rc;
    for (int s = 0; s < SRC_N; s++)
        if (hmap_create(&L.keys[s]) != P20W_OK) {
            rc = nomem(&L);
            goto out;
        }
    for (size_t i = 0; rc == P20W_OK && i < sizeof stages / sizeof stages[0];
         i++) {
        double t0 = now_s();
        rc = stages[i].fn(&L);
        log_debug("derive: %s %.2f s", stages[i].name, now_s() - t0);
    }
    if (rc != P20W_OK)
        goto out;
    warn_counts(&L);
out:
    free_wage_arrays(&L);
    for (int s = 0; s < SRC_N; s++)
        hmap_free(L.keys[s]);
    if (rc != P20W_OK) {
        tl_state_free(L.st);
        return rc;
    }
    *out = L.st;
    return P20W_OK;
}
