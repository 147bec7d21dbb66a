/*
 * timeline.c — building and reading the learner timeline (timeline.h).
 *
 * Facts arrive in any order, each tagged with its person's index. They
 * are appended to their flat array with the owner kept alongside;
 * tl_finish() sorts persons by p20w_id, then regroups every fact array by
 * person in place (a counting sort's offsets, then one swap per misplaced
 * fact: O(n) whatever the arrival order, and no second copy of the
 * wages) and sorts each person's short run by date or quarter. Reference
 * ids are found through hash maps; facts are not searched, only read in
 * place, so the loader's memory is the arrays themselves plus one int32_t
 * per fact until tl_finish().
 *
 * A failed tl_finish() (out of memory half-way) leaves a state that can
 * only be freed: every later call says P20W_EUSAGE instead of reading
 * owners that no longer match.
 */
#include "derive/timeline.h"

#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/date.h"
#include "util/hmap.h"
#include "util/mem.h"

/* One fact kind: its array in tl_state, its owners, where its run lives in
 * tl_person, and the order within a run. */
enum {
    FK_ENROL,
    FK_K12EXIT,
    FK_CTE,
    FK_ASSESS,
    FK_WBL,
    FK_CRED,
    FK_TERM,
    FK_AWARD,
    FK_APPR,
    FK_WAGE,
    FK_EXIT,
    FK_COUNT
};

/* p20w_id -> person index: open addressing on the int64 keys themselves,
 * linear probing, load at most one half. (The generic hmap copies every key
 * into an allocation of its own: two cache misses a lookup, and a loader
 * looks a person up for each of tens of millions of wage links.) */
typedef struct idmap {
    int64_t *key;
    int32_t *val; /* index + 1; 0 = empty slot */
    size_t cap;   /* a power of two, or 0 */
    size_t n;
} idmap;

typedef struct tl_priv {
    idmap person_by_id;
    hmap *ref[7];        /* id -> index + 1, per reference table */
    vec owner[FK_COUNT]; /* int32 person index per fact */
    int finished;
} tl_priv;

enum {
    REF_REGION,
    REF_COUNTY,
    REF_DISTRICT,
    REF_SCHOOL,
    REF_INST,
    REF_EMP,
    REF_PROGRAM
};

/* Three-way comparisons. Every fact order below is total (it compares
 * every field), so qsort(), which is not stable, gives the same runs on
 * every platform: a tie on the documented keys never depends on arrival
 * order. */
static int cmp_i(int64_t a, int64_t b)
{
    return (a > b) - (a < b);
}

static int cmp_f(float a, float b)
{
    return (a > b) - (a < b);
}

static int cmp_enrol(const void *a, const void *b)
{
    const tl_enrol *x = a, *y = b;
    int c = cmp_i(x->school_year, y->school_year);
    if (!c)
        c = cmp_i(x->grade, y->grade);
    if (!c)
        c = cmp_i(x->school, y->school);
    if (!c)
        c = cmp_i(x->flags, y->flags);
    if (!c)
        c = cmp_i(x->sex, y->sex);
    if (!c)
        c = cmp_i(x->race, y->race);
    return c;
}

static int cmp_k12exit(const void *a, const void *b)
{
    const tl_k12_exit *x = a, *y = b;
    int c = cmp_i(x->date, y->date);
    if (!c)
        c = cmp_i(x->type, y->type);
    if (!c)
        c = cmp_i(x->school, y->school);
    if (!c)
        c = cmp_i(x->cohort_year, y->cohort_year);
    return c;
}

static int cmp_cte(const void *a, const void *b)
{
    const tl_cte *x = a, *y = b;
    int c = cmp_i(x->school_year, y->school_year);
    if (!c)
        c = cmp_i(x->program, y->program);
    if (!c)
        c = cmp_i(x->school, y->school);
    if (!c)
        c = cmp_i(x->cluster, y->cluster);
    if (!c)
        c = cmp_i(x->completed, y->completed);
    if (!c)
        c = cmp_f(x->credits, y->credits);
    return c;
}

static int cmp_assess(const void *a, const void *b)
{
    const tl_assess *x = a, *y = b;
    int c = cmp_i(x->school_year, y->school_year);
    if (!c)
        c = cmp_i(x->subject, y->subject);
    if (!c)
        c = cmp_i(x->proficient, y->proficient);
    return c;
}

static int cmp_wbl(const void *a, const void *b)
{
    const tl_wbl *x = a, *y = b;
    int c = cmp_i(x->school_year, y->school_year);
    if (!c)
        c = cmp_i(x->type, y->type);
    if (!c)
        c = cmp_i(x->completed, y->completed);
    if (!c)
        c = cmp_i(x->hours, y->hours);
    return c;
}

static int cmp_cred(const void *a, const void *b)
{
    const tl_cred *x = a, *y = b;
    return cmp_i(x->date, y->date);
}

static int cmp_term(const void *a, const void *b)
{
    const tl_term *x = a, *y = b;
    int c = cmp_i(x->q_first, y->q_first);
    if (!c)
        c = cmp_i(x->inst, y->inst);
    if (!c)
        c = cmp_i(x->cip, y->cip);
    if (!c)
        c = cmp_i(x->level, y->level);
    if (!c)
        c = cmp_i(x->cte, y->cte);
    if (!c)
        c = cmp_i(x->dual, y->dual);
    if (!c)
        c = cmp_i(x->sex, y->sex);
    if (!c)
        c = cmp_i(x->race, y->race);
    if (!c)
        c = cmp_f(x->credits_attempted, y->credits_attempted);
    if (!c)
        c = cmp_f(x->credits_earned, y->credits_earned);
    return c;
}

static int cmp_award(const void *a, const void *b)
{
    const tl_award_row *x = a, *y = b;
    int c = cmp_i(x->date, y->date);
    if (!c)
        c = cmp_i(x->level, y->level);
    if (!c)
        c = cmp_i(x->inst, y->inst);
    if (!c)
        c = cmp_i(x->cip, y->cip);
    return c;
}

static int cmp_appr(const void *a, const void *b)
{
    const tl_appr *x = a, *y = b;
    int c = cmp_i(x->start_date, y->start_date);
    if (!c)
        c = cmp_i(x->end_date, y->end_date);
    if (!c)
        c = cmp_i(x->soc, y->soc);
    if (!c)
        c = cmp_i(x->status, y->status);
    return c;
}

static int cmp_wage(const void *a, const void *b)
{
    const tl_wage *x = a, *y = b;
    int c = cmp_i(x->q, y->q);
    if (!c)
        c = cmp_i(x->employer, y->employer);
    if (!c)
        c = cmp_i(x->cents, y->cents);
    return c;
}

static int cmp_exit(const void *a, const void *b)
{
    const tl_exit_event *x = a, *y = b;
    int c = cmp_i(x->date, y->date);
    if (!c)
        c = cmp_i(x->kind, y->kind);
    if (!c)
        c = cmp_i(x->level, y->level);
    if (!c)
        c = cmp_i(x->inst, y->inst);
    if (!c)
        c = cmp_i(x->cip, y->cip);
    if (!c)
        c = cmp_i(x->soc, y->soc);
    if (!c)
        c = cmp_i(x->school, y->school);
    if (!c)
        c = cmp_i(x->program, y->program);
    return c;
}

typedef struct fact_kind {
    size_t vec_off; /* offsetof(tl_state, x) */
    size_t run_off; /* offsetof(tl_person, x_off) */
    size_t elem_size;
    int (*cmp)(const void *, const void *);
} fact_kind;

#define FK(v, r, t, c)                                                         \
    {                                                                          \
        offsetof(tl_state, v), offsetof(tl_person, r), sizeof(t), c            \
    }
static const fact_kind kinds[FK_COUNT] = {
    FK(enrols, enrol_off, tl_enrol, cmp_enrol),
    FK(k12exits, k12exit_off, tl_k12_exit, cmp_k12exit),
    FK(ctes, cte_off, tl_cte, cmp_cte),
    FK(assesses, assess_off, tl_assess, cmp_assess),
    FK(wbls, wbl_off, tl_wbl, cmp_wbl),
    FK(creds, cred_off, tl_cred, cmp_cred),
    FK(terms, term_off, tl_term, cmp_term),
    FK(awards, award_off, tl_award_row, cmp_award),
    FK(apprs, appr_off, tl_appr, cmp_appr),
    FK(wages, wage_off, tl_wage, cmp_wage),
    FK(exits, exit_off, tl_exit_event, cmp_exit),
};
#undef FK

static vec *kind_vec(tl_state *st, int k)
{
    return (vec *)((char *)st + kinds[k].vec_off);
}

/* The (off, n) pair of kind k in person p: n follows off. */
static uint32_t *run_of(tl_person *p, int k)
{
    return (uint32_t *)((char *)p + kinds[k].run_off);
}

/* ---- the person map ---------------------------------------------------- */

static size_t id_slot(int64_t id, size_t cap)
{
    uint64_t h = (uint64_t)id; /* splitmix64's finaliser */
    h ^= h >> 30;
    h *= 0xbf58476d1ce4e5b9ULL;
    h ^= h >> 27;
    h *= 0x94d049bb133111ebULL;
    h ^= h >> 31;
    return (size_t)h & (cap - 1);
}

/* The index of id, or TL_NONE. */
static int32_t idmap_get(const idmap *m, int64_t id)
{
    if (m->cap == 0)
        return TL_NONE;
    for (size_t i = id_slot(id, m->cap);; i = (i + 1) & (m->cap - 1)) {
        if (m->val[i] == 0)
            return TL_NONE;
        if (m->key[i] == id)
            return m->val[i] - 1;
    }
}

static void idmap_place(int64_t *key, int32_t *val, size_t cap, int64_t id,
                        int32_t v)
{
    size_t i = id_slot(id, cap);
    while (val[i] != 0)
        i = (i + 1) & (cap - 1);
    key[i] = id;
    val[i] = v;
}

/* Adds id (absent) -> idx. Errors: P20W_ENOMEM, the map unchanged. */
static p20w_status idmap_put(idmap *m, int64_t id, int32_t idx)
{
    if (2 * (m->n + 1) > m->cap) {
        size_t cap = m->cap ? 2 * m->cap : 1024;
        int64_t *key = p20w_malloc(cap * sizeof *key);
        int32_t *val = p20w_calloc(cap, sizeof *val);
        if (!key || !val) {
            p20w_free(key);
            p20w_free(val);
            return P20W_ENOMEM;
        }
        for (size_t i = 0; i < m->cap; i++)
            if (m->val[i] != 0)
                idmap_place(key, val, cap, m->key[i], m->val[i]);
        p20w_free(m->key);
        p20w_free(m->val);
        m->key = key, m->val = val, m->cap = cap;
    }
    idmap_place(m->key, m->val, m->cap, id, idx + 1);
    m->n++;
    return P20W_OK;
}

static void idmap_free(idmap *m)
{
    p20w_free(m->key);
    p20w_free(m->val);
    memset(m, 0, sizeof *m);
}

p20w_status tl_state_new(tl_state **out, p20w_err *err)
{
    tl_state *st = p20w_calloc(1, sizeof *st);
    tl_priv *pv = p20w_calloc(1, sizeof *pv);
    *out = NULL;
    if (!st || !pv)
        goto nomem;
    st->priv = pv;
    for (int i = 0; i < 7; i++)
        if (hmap_create(&pv->ref[i]) != P20W_OK)
            goto nomem;
    vec_init(&st->regions, sizeof(tl_region));
    vec_init(&st->counties, sizeof(tl_county));
    vec_init(&st->districts, sizeof(tl_district));
    vec_init(&st->schools, sizeof(tl_school));
    vec_init(&st->institutions, sizeof(tl_institution));
    vec_init(&st->employers, sizeof(tl_employer));
    vec_init(&st->programs, sizeof(tl_program));
    vec_init(&st->persons, sizeof(tl_person));
    for (int k = 0; k < FK_COUNT; k++) {
        vec_init(kind_vec(st, k), kinds[k].elem_size);
        vec_init(&pv->owner[k], sizeof(int32_t));
    }
    st->wage_q_first = TL_NONE;
    st->wage_q_last = TL_NONE;
    *out = st;
    return P20W_OK;
nomem:
    if (st)
        st->priv = pv;
    else if (pv)
        p20w_free(pv);
    tl_state_free(st);
    return p20w_err_set(err, P20W_ENOMEM, "out of memory building timelines");
}

static void free_priv(tl_priv *pv)
{
    if (!pv)
        return;
    idmap_free(&pv->person_by_id);
    for (int i = 0; i < 7; i++)
        hmap_free(pv->ref[i]);
    for (int k = 0; k < FK_COUNT; k++)
        vec_free(&pv->owner[k]);
    p20w_free(pv);
}

void tl_state_free(tl_state *st)
{
    if (!st)
        return;
    for (size_t i = 0; i < st->regions.len; i++)
        p20w_free(((tl_region *)st->regions.data)[i].name);
    for (size_t i = 0; i < st->districts.len; i++) {
        p20w_free(((tl_district *)st->districts.data)[i].id);
        p20w_free(((tl_district *)st->districts.data)[i].name);
    }
    for (size_t i = 0; i < st->schools.len; i++) {
        p20w_free(((tl_school *)st->schools.data)[i].id);
        p20w_free(((tl_school *)st->schools.data)[i].name);
    }
    for (size_t i = 0; i < st->institutions.len; i++) {
        p20w_free(((tl_institution *)st->institutions.data)[i].id);
        p20w_free(((tl_institution *)st->institutions.data)[i].name);
    }
    for (size_t i = 0; i < st->employers.len; i++)
        p20w_free(((tl_employer *)st->employers.data)[i].id);
    for (size_t i = 0; i < st->programs.len; i++)
        p20w_free(((tl_program *)st->programs.data)[i].id);
    vec_free(&st->regions);
    vec_free(&st->counties);
    vec_free(&st->districts);
    vec_free(&st->schools);
    vec_free(&st->institutions);
    vec_free(&st->employers);
    vec_free(&st->programs);
    vec_free(&st->persons);
    for (int k = 0; k < FK_COUNT; k++)
        vec_free(kind_vec(st, k));
    free_priv(st->priv);
    p20w_free(st);
}

/* ---- reference tables -------------------------------------------------- */

static int32_t ref_find(const tl_state *st, int which, const char *id)
{
    const tl_priv *pv = st->priv;
    void *v;
    if (!id || !hmap_get_str(pv->ref[which], id, &v))
        return TL_NONE;
    return (int32_t)((intptr_t)v - 1);
}

/* Registers id as row `idx` of table `which`; EINVAL when known. */
static p20w_status ref_put(tl_state *st, int which, const char *id, size_t idx)
{
    tl_priv *pv = st->priv;
    if (ref_find(st, which, id) != TL_NONE)
        return P20W_EINVAL;
    return hmap_put_str(pv->ref[which], id, (void *)(intptr_t)(idx + 1));
}

p20w_status tl_add_region(tl_state *st, const char *name, int32_t *idx)
{
    tl_region r = {0};
    p20w_status rc;
    if (ref_find(st, REF_REGION, name) != TL_NONE)
        return P20W_EINVAL;
    if (!(r.name = p20w_strdup(name)))
        return P20W_ENOMEM;
    if ((rc = vec_push(&st->regions, &r)) != P20W_OK) {
        p20w_free(r.name);
        return rc;
    }
    *idx = (int32_t)(st->regions.len - 1);
    if ((rc = ref_put(st, REF_REGION, name, st->regions.len - 1)) != P20W_OK)
        st->regions.len--, p20w_free(r.name);
    return rc;
}

p20w_status tl_add_county(tl_state *st, const char *fips, int32_t region,
                          int rural, int32_t *idx)
{
    tl_county c = {0};
    p20w_status rc;
    if (strlen(fips) != 5)
        return P20W_EINVAL;
    if (ref_find(st, REF_COUNTY, fips) != TL_NONE)
        return P20W_EINVAL;
    memcpy(c.fips, fips, 6);
    c.region = region;
    c.rural = rural;
    if ((rc = vec_push(&st->counties, &c)) != P20W_OK)
        return rc;
    *idx = (int32_t)(st->counties.len - 1);
    if ((rc = ref_put(st, REF_COUNTY, fips, st->counties.len - 1)) != P20W_OK)
        st->counties.len--;
    return rc;
}

/* Pushes a row whose first two members are char *id, char *name. */
static p20w_status push_named(tl_state *st, vec *v, int which, void *row,
                              char **id_slot, char **name_slot, const char *id,
                              const char *name, int32_t *idx)
{
    p20w_status rc;
    if (ref_find(st, which, id) != TL_NONE)
        return P20W_EINVAL;
    *id_slot = p20w_strdup(id);
    *name_slot = name ? p20w_strdup(name) : NULL;
    if (!*id_slot || (name && !*name_slot)) {
        rc = P20W_ENOMEM;
        goto fail;
    }
    if ((rc = vec_push(v, row)) != P20W_OK)
        goto fail;
    if ((rc = ref_put(st, which, id, v->len - 1)) != P20W_OK) {
        v->len--;
        goto fail;
    }
    *idx = (int32_t)(v->len - 1);
    return P20W_OK;
fail:
    p20w_free(*id_slot);
    p20w_free(*name_slot);
    *id_slot = *name_slot = NULL;
    return rc;
}

p20w_status tl_add_district(tl_state *st, const char *id, const char *name,
                            int32_t *idx)
{
    tl_district d = {0};
    return push_named(st, &st->districts, REF_DISTRICT, &d, &d.id, &d.name, id,
                      name, idx);
}

p20w_status tl_add_school(tl_state *st, const char *id, const char *name,
                          int32_t district, int32_t county, uint8_t locale,
                          int32_t *idx)
{
    tl_school s = {0};
    s.district = district;
    s.county = county;
    s.locale = locale;
    return push_named(st, &st->schools, REF_SCHOOL, &s, &s.id, &s.name, id,
                      name, idx);
}

p20w_status tl_add_institution(tl_state *st, const char *id, const char *name,
                               const char *sector, int32_t county, int32_t *idx)
{
    tl_institution in = {0};
    size_t n = strlen(sector);
    if (n >= sizeof in.sector)
        return P20W_EINVAL;
    memcpy(in.sector, sector, n + 1);
    in.county = county;
    return push_named(st, &st->institutions, REF_INST, &in, &in.id, &in.name,
                      id, name, idx);
}

/* Folds a two-digit NAICS code onto its Census sector's first code. */
static uint8_t naics_sector(int two)
{
    if (two == 32 || two == 33)
        return 31;
    if (two == 45)
        return 44;
    if (two == 49)
        return 48;
    return (uint8_t)two;
}

p20w_status tl_add_employer(tl_state *st, const char *id, const char *naics,
                            int32_t county, int32_t *idx)
{
    tl_employer e = {0};
    char *unused = NULL;
    p20w_status rc;
    int32_t code = 0;
    size_t n = naics ? strlen(naics) : 0;
    for (size_t i = 0; i < n && i < 6; i++) {
        if (naics[i] < '0' || naics[i] > '9')
            return P20W_EINVAL;
        code = code * 10 + (naics[i] - '0');
    }
    if (n >= 2) {
        for (size_t i = n; i < 6; i++)
            code *= 10;
        e.naics6 = code;
        e.sector = naics_sector((naics[0] - '0') * 10 + (naics[1] - '0'));
    }
    e.county = county;
    rc = push_named(st, &st->employers, REF_EMP, &e, &e.id, &unused, id, NULL,
                    idx);
    return rc;
}

p20w_status tl_add_program(tl_state *st, const char *id, uint8_t cluster,
                           int32_t *idx)
{
    tl_program pr = {0};
    char *unused = NULL;
    if (cluster >= TL_CL_COUNT)
        return P20W_EINVAL;
    pr.cluster = cluster;
    return push_named(st, &st->programs, REF_PROGRAM, &pr, &pr.id, &unused, id,
                      NULL, idx);
}

int32_t tl_find_region(const tl_state *st, const char *name)
{
    return ref_find(st, REF_REGION, name);
}
int32_t tl_find_county(const tl_state *st, const char *fips)
{
    return ref_find(st, REF_COUNTY, fips);
}
int32_t tl_find_district(const tl_state *st, const char *id)
{
    return ref_find(st, REF_DISTRICT, id);
}
int32_t tl_find_school(const tl_state *st, const char *id)
{
    return ref_find(st, REF_SCHOOL, id);
}
int32_t tl_find_institution(const tl_state *st, const char *id)
{
    return ref_find(st, REF_INST, id);
}
int32_t tl_find_employer(const tl_state *st, const char *id)
{
    return ref_find(st, REF_EMP, id);
}
int32_t tl_find_program(const tl_state *st, const char *id)
{
    return ref_find(st, REF_PROGRAM, id);
}

/* ---- persons and facts ------------------------------------------------- */

static void person_init(tl_person *p, int64_t id)
{
    memset(p, 0, sizeof *p);
    p->p20w_id = id;
    p->birth_ym = TL_NONE;
    p->race = TL_RACE_UNKNOWN;
    p->home_county = TL_NONE;
    p->last_school = TL_NONE;
    p->hs_exit_date = TL_NO_DATE;
    p->hs_exit_q = TL_NONE;
    p->hs_exit_school = TL_NONE;
    p->conc_program = TL_NONE;
    p->ps_entry_q = TL_NONE;
    p->ps_entry_inst = TL_NONE;
    p->ps_conc_inst = TL_NONE;
    p->ps_conc_cip = TL_NONE;
    p->ps_conc_first_q = TL_NONE;
    p->ps_conc_last_q = TL_NONE;
}

p20w_status tl_person_get(tl_state *st, int64_t p20w_id, int32_t *idx)
{
    tl_priv *pv = st->priv;
    tl_person *p;
    p20w_status rc;
    int32_t found;
    if (pv->finished)
        return P20W_EUSAGE;
    if ((found = idmap_get(&pv->person_by_id, p20w_id)) != TL_NONE) {
        *idx = found;
        return P20W_OK;
    }
    if (st->persons.len >= INT32_MAX - 1)
        return P20W_ELIMIT;
    if (!(p = vec_push_zero(&st->persons)))
        return P20W_ENOMEM;
    person_init(p, p20w_id);
    rc = idmap_put(&pv->person_by_id, p20w_id, (int32_t)(st->persons.len - 1));
    if (rc != P20W_OK) {
        st->persons.len--;
        return rc;
    }
    *idx = (int32_t)(st->persons.len - 1);
    return P20W_OK;
}

static p20w_status add_fact(tl_state *st, int k, int32_t idx, const void *e)
{
    tl_priv *pv = st->priv;
    vec *v = kind_vec(st, k);
    p20w_status rc;
    if (pv->finished)
        return P20W_EUSAGE;
    if (idx < 0 || (size_t)idx >= st->persons.len)
        return P20W_EINVAL;
    if (v->len >= UINT32_MAX - 1)
        return P20W_ELIMIT;
    if ((rc = vec_push(v, e)) != P20W_OK)
        return rc;
    if ((rc = vec_push(&pv->owner[k], &idx)) != P20W_OK)
        v->len--;
    return rc;
}

p20w_status tl_add_enrol(tl_state *st, int32_t idx, const tl_enrol *e)
{
    return add_fact(st, FK_ENROL, idx, e);
}
p20w_status tl_add_k12_exit(tl_state *st, int32_t idx, const tl_k12_exit *e)
{
    return add_fact(st, FK_K12EXIT, idx, e);
}
p20w_status tl_add_cte(tl_state *st, int32_t idx, const tl_cte *e)
{
    return add_fact(st, FK_CTE, idx, e);
}
p20w_status tl_add_assess(tl_state *st, int32_t idx, const tl_assess *e)
{
    return add_fact(st, FK_ASSESS, idx, e);
}
p20w_status tl_add_wbl(tl_state *st, int32_t idx, const tl_wbl *e)
{
    return add_fact(st, FK_WBL, idx, e);
}
p20w_status tl_add_cred(tl_state *st, int32_t idx, const tl_cred *e)
{
    return add_fact(st, FK_CRED, idx, e);
}

p20w_status tl_add_term(tl_state *st, int32_t idx, const tl_term *e)
{
    tl_term t = *e;
    int base = 4 * t.year;
    switch (t.kind) {
    case TL_TERM_SP:
        t.q_first = base + 0, t.q_last = base + 1;
        break;
    case TL_TERM_SU:
        t.q_first = base + 1, t.q_last = base + 2;
        break;
    case TL_TERM_FA:
        t.q_first = base + 2, t.q_last = base + 3;
        break;
    default:
        return P20W_EINVAL;
    }
    return add_fact(st, FK_TERM, idx, &t);
}

p20w_status tl_add_award(tl_state *st, int32_t idx, const tl_award_row *e)
{
    return add_fact(st, FK_AWARD, idx, e);
}
p20w_status tl_add_appr(tl_state *st, int32_t idx, const tl_appr *e)
{
    return add_fact(st, FK_APPR, idx, e);
}
p20w_status tl_add_wage(tl_state *st, int32_t idx, const tl_wage *e)
{
    return add_fact(st, FK_WAGE, idx, e);
}

/* Grows v to exactly n elements of room (vec_reserve() rounds up to a
 * power of two, which at 40 million wage rows wastes hundreds of MB). */
static p20w_status reserve_exact(vec *v, size_t n)
{
    void *d;
    if (n <= v->cap)
        return P20W_OK;
    if (n > SIZE_MAX / v->elem_size)
        return P20W_ENOMEM;
    if (!(d = p20w_realloc(v->data, n * v->elem_size)))
        return P20W_ENOMEM;
    v->data = d;
    v->cap = n;
    return P20W_OK;
}

p20w_status tl_reserve_wages(tl_state *st, size_t n)
{
    tl_priv *pv = st->priv;
    size_t want = st->wages.len + n;
    if (pv->finished)
        return P20W_EUSAGE;
    if (want < n || want >= UINT32_MAX)
        return P20W_ELIMIT;
    if (reserve_exact(&st->wages, want) != P20W_OK ||
        reserve_exact(&pv->owner[FK_WAGE], want) != P20W_OK)
        return P20W_ENOMEM;
    return P20W_OK;
}

/* ---- finishing --------------------------------------------------------- */

/* The index of p20w_id in the sorted persons, TL_NONE if absent. */
static int32_t person_bsearch(const tl_state *st, int64_t p20w_id)
{
    size_t lo = 0, hi = st->persons.len;
    const tl_person *p = st->persons.data;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (p[mid].p20w_id < p20w_id)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < st->persons.len && p[lo].p20w_id == p20w_id)
        return (int32_t)lo;
    return TL_NONE;
}

static int cmp_person(const void *a, const void *b)
{
    const tl_person *x = a, *y = b;
    return (x->p20w_id > y->p20w_id) - (x->p20w_id < y->p20w_id);
}

/* Swaps two elements of es bytes; the common sizes get fixed-size copies
 * the compiler turns into a few moves (a libc call per swap cost more than
 * the rest of the regrouping). */
static void swap_elem(char *a, char *b, size_t es)
{
    unsigned char t[64];
    switch (es) {
    case 4:
        memcpy(t, a, 4), memcpy(a, b, 4), memcpy(b, t, 4);
        break;
    case 8:
        memcpy(t, a, 8), memcpy(a, b, 8), memcpy(b, t, 8);
        break;
    case 12:
        memcpy(t, a, 12), memcpy(a, b, 12), memcpy(b, t, 12);
        break;
    case 16:
        memcpy(t, a, 16), memcpy(a, b, 16), memcpy(b, t, 16);
        break;
    case 32:
        memcpy(t, a, 32), memcpy(a, b, 32), memcpy(b, t, 32);
        break;
    default:
        assert(es <= sizeof t);
        memcpy(t, a, es), memcpy(a, b, es), memcpy(b, t, es);
        break;
    }
}

/* Regroups fact kind k by (new) person index, in place, then sorts each
 * person's run. remap[old] = new person index.
 *
 * In place because wages are most of the memory: a copy would double the
 * peak at a million learners. The permutation is the American-flag one:
 * next[p] is the first slot of p's run not yet holding one of p's facts;
 * the fact found there either belongs (next[p] moves on) or is swapped
 * into the first open slot of its owner's run, which it then holds for
 * good, so every fact moves at most once and the pass is O(n). */
static p20w_status group_kind(tl_state *st, int k, const int32_t *remap)
{
    tl_priv *pv = st->priv;
    vec *v = kind_vec(st, k);
    int32_t *own = pv->owner[k].data;
    size_t np = st->persons.len, es = kinds[k].elem_size;
    tl_person *persons = st->persons.data;
    char *data = v->data;
    uint32_t *start = NULL, *next = NULL;

    if (v->len == 0) {
        for (size_t i = 0; i < np; i++)
            run_of(&persons[i], k)[0] = run_of(&persons[i], k)[1] = 0;
        vec_free(&pv->owner[k]);
        return P20W_OK;
    }
    /* Counts and offsets in compact arrays, not in the persons (176 bytes
     * apart: a cache miss per fact). */
    start = p20w_calloc(np + 1, sizeof *start);
    next = p20w_malloc((np ? np : 1) * sizeof *next);
    if (!start || !next) {
        p20w_free(start);
        p20w_free(next);
        return P20W_ENOMEM;
    }
    for (size_t i = 0; i < v->len; i++) {
        own[i] = remap[own[i]];
        start[own[i] + 1]++;
    }
    for (size_t i = 0; i < np; i++) {
        start[i + 1] += start[i];
        next[i] = start[i];
        run_of(&persons[i], k)[0] = start[i];
        run_of(&persons[i], k)[1] = start[i + 1] - start[i];
    }
    for (size_t p = 0; p < np; p++) {
        while (next[p] < start[p + 1]) {
            uint32_t i = next[p], j;
            int32_t q = own[i];
            if ((size_t)q == p) {
                next[p]++;
                continue;
            }
            j = next[q]++;
            swap_elem(data + (size_t)j * es, data + (size_t)i * es, es);
            own[i] = own[j];
            own[j] = q;
        }
    }
    for (size_t i = 0; i < np; i++) {
        uint32_t n = start[i + 1] - start[i];
        if (n > 1)
            qsort(data + (size_t)start[i] * es, n, es, kinds[k].cmp);
    }
    p20w_free(start);
    p20w_free(next);
    vec_free(&pv->owner[k]);
    return P20W_OK;
}

/* Sums wage rows of one person, quarter and employer (adjacent after the
 * sort) and closes the gaps, keeping runs contiguous. */
static void merge_wages(tl_state *st)
{
    tl_wage *w = st->wages.data;
    tl_person *persons = st->persons.data;
    uint32_t at = 0;
    for (size_t i = 0; i < st->persons.len; i++) {
        tl_person *p = &persons[i];
        uint32_t start = at;
        for (uint32_t j = 0; j < p->wage_n; j++) {
            tl_wage cur = w[p->wage_off + j];
            if (at > start && w[at - 1].q == cur.q &&
                w[at - 1].employer == cur.employer)
                w[at - 1].cents += cur.cents;
            else
                w[at++] = cur;
        }
        p->wage_off = start;
        p->wage_n = at - start;
    }
    st->wages.len = at;
}

p20w_status tl_finish(tl_state *st, p20w_err *err)
{
    tl_priv *pv = st->priv;
    size_t np = st->persons.len;
    int64_t *ids = NULL;
    int32_t *remap = NULL;
    p20w_status rc = P20W_OK;
    int persons_sorted = 0;

    if (pv->finished)
        return p20w_err_set(err, P20W_EUSAGE,
                            pv->finished > 0 ? "timeline already finished"
                                             : "timeline broken by an "
                                               "earlier failure");
    ids = p20w_malloc((np ? np : 1) * sizeof *ids);
    remap = p20w_malloc((np ? np : 1) * sizeof *remap);
    if (!ids || !remap) {
        rc = P20W_ENOMEM;
        goto out;
    }
    for (size_t i = 0; i < np; i++)
        ids[i] = ((tl_person *)st->persons.data)[i].p20w_id;
    if (np > 1)
        qsort(st->persons.data, np, sizeof(tl_person), cmp_person);
    persons_sorted = 1;
    /* remap old index -> new: ids are unique, so find each by search. */
    for (size_t i = 0; i < np; i++) {
        remap[i] = person_bsearch(st, ids[i]);
        assert(remap[i] != TL_NONE);
    }
    for (int k = 0; k < FK_COUNT; k++)
        if ((rc = group_kind(st, k, remap)) != P20W_OK)
            goto out;
    merge_wages(st);
    if (st->wage_q_first == TL_NONE && st->wages.len > 0) {
        const tl_wage *w = st->wages.data;
        st->wage_q_first = INT32_MAX;
        st->wage_q_last = INT32_MIN;
        for (size_t i = 0; i < st->wages.len; i++) {
            if (w[i].q < st->wage_q_first)
                st->wage_q_first = w[i].q;
            if (w[i].q > st->wage_q_last)
                st->wage_q_last = w[i].q;
        }
    }
    idmap_free(&pv->person_by_id);
    pv->finished = 1;
out:
    p20w_free(ids);
    p20w_free(remap);
    if (rc != P20W_OK) {
        /* Persons are re-sorted and some kinds regrouped: the owners of
         * the others no longer name the right persons. */
        if (persons_sorted)
            pv->finished = -1;
        return p20w_err_set(err, rc, "out of memory finishing timelines");
    }
    return P20W_OK;
}

int tl_is_finished(const tl_state *st)
{
    const tl_priv *pv = st->priv;
    return pv->finished > 0;
}

int tl_exit_cmp(const void *a, const void *b)
{
    return cmp_exit(a, b);
}

/* ---- reading ----------------------------------------------------------- */

const void *tl_run(const vec *v, uint32_t off)
{
    if (!v->data)
        return NULL;
    return (const char *)v->data + (size_t)off * v->elem_size;
}

int32_t tl_person_find(const tl_state *st, int64_t p20w_id)
{
    const tl_priv *pv = st->priv;
    if (!pv->finished)
        return idmap_get(&pv->person_by_id, p20w_id);
    return person_bsearch(st, p20w_id);
}

/* First wage row of p at quarter >= q (binary search in the run). */
static uint32_t wage_lower(const tl_state *st, const tl_person *p, int32_t q)
{
    const tl_wage *w = (const tl_wage *)tl_run(&st->wages, p->wage_off);
    uint32_t lo = 0, hi = p->wage_n;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (w[mid].q < q)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

int64_t tl_quarter_wages(const tl_state *st, const tl_person *p, int32_t q)
{
    return tl_window_wages(st, p, q, q, 0, NULL);
}

int64_t tl_window_wages(const tl_state *st, const tl_person *p, int32_t q_first,
                        int32_t q_last, int64_t min_quarter_cents,
                        int *employed_q)
{
    const tl_wage *w = (const tl_wage *)tl_run(&st->wages, p->wage_off);
    int64_t total = 0, quarter = 0;
    int employed = 0;
    int32_t cur = INT32_MIN;
    for (uint32_t i = wage_lower(st, p, q_first);
         i < p->wage_n && w[i].q <= q_last; i++) {
        if (w[i].q != cur) {
            if (cur != INT32_MIN && quarter > 0 && quarter >= min_quarter_cents)
                employed++;
            cur = w[i].q;
            quarter = 0;
        }
        quarter += w[i].cents;
        total += w[i].cents;
    }
    if (cur != INT32_MIN && quarter > 0 && quarter >= min_quarter_cents)
        employed++;
    if (employed_q)
        *employed_q = employed;
    return total;
}

int32_t tl_main_employer(const tl_state *st, const tl_person *p,
                         int32_t q_first, int32_t q_last)
{
    const tl_wage *w = (const tl_wage *)tl_run(&st->wages, p->wage_off);
    uint32_t from = wage_lower(st, p, q_first), to = from;
    int32_t best = TL_NONE;
    int64_t best_cents = 0;
    while (to < p->wage_n && w[to].q <= q_last)
        to++;
    /* Runs are short (a few employers a year): quadratic is fine. */
    for (uint32_t i = from; i < to; i++) {
        int64_t sum = 0;
        int seen = 0;
        for (uint32_t j = from; j < i && !seen; j++)
            seen = w[j].employer == w[i].employer;
        if (seen)
            continue;
        for (uint32_t j = i; j < to; j++)
            if (w[j].employer == w[i].employer)
                sum += w[j].cents;
        if (sum > best_cents ||
            (sum == best_cents && sum > 0 && w[i].employer < best)) {
            best = w[i].employer;
            best_cents = sum;
        }
    }
    return best;
}

int tl_enrolled_ps(const tl_state *st, const tl_person *p, int32_t q,
                   int with_dual)
{
    const tl_term *t = (const tl_term *)tl_run(&st->terms, p->term_off);
    for (uint32_t i = 0; i < p->term_n; i++) {
        if (t[i].q_first > q)
            break;
        if (t[i].q_last >= q && (with_dual || !t[i].dual))
            return 1;
    }
    return 0;
}

int tl_enrolled_k12(const tl_state *st, const tl_person *p, int32_t q)
{
    const tl_enrol *e = (const tl_enrol *)tl_run(&st->enrols, p->enrol_off);
    /* Q3 and Q4 belong to the school year ending next calendar year. */
    int sy = quarter_year(q) + (quarter_num(q) >= 3 ? 1 : 0);
    for (uint32_t i = 0; i < p->enrol_n; i++)
        if (e[i].school_year == sy)
            return 1;
    return 0;
}

int tl_in_apprenticeship(const tl_state *st, const tl_person *p, int32_t q)
{
    const tl_appr *a = (const tl_appr *)tl_run(&st->apprs, p->appr_off);
    for (uint32_t i = 0; i < p->appr_n; i++) {
        int32_t s = date_quarter_idx(a[i].start_date);
        int32_t e = a[i].end_date == TL_NO_DATE
                        ? INT32_MAX
                        : date_quarter_idx(a[i].end_date);
        if (s <= q && q <= e)
            return 1;
    }
    return 0;
}

/* Parses exactly `digits` digits with one separator `sep` at position
 * `at` ("51.0801": 6 digits, '.' at 2). */
static int32_t parse_code(const char *s, int digits, char sep, int at)
{
    int32_t v = 0;
    int n = 0;
    if (!s)
        return -1;
    for (int i = 0; s[i]; i++) {
        if (i == at) {
            if (s[i] != sep)
                return -1;
            continue;
        }
        if (s[i] < '0' || s[i] > '9' || n == digits)
            return -1;
        v = v * 10 + (s[i] - '0');
        n++;
    }
    return n == digits ? v : -1;
}

int32_t tl_cip_parse(const char *s)
{
    return parse_code(s, 6, '.', 2);
}

int32_t tl_soc_parse(const char *s)
{
    return parse_code(s, 6, '-', 2);
}
