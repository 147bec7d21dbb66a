/*
 * cube.c — the cube engine (cube.h): units in, cells out.
 *
 * cube_begin() lists the indicator's dimension combinations (the total,
 * each allowed single dimension, race x sex and race x econ, each plus the
 * required dims). Every unit then updates one accumulator per combination
 * it has values for, found through that combination's own open-addressing
 * table keyed by (year, category, values): a handful of integer compares
 * per unit and combination, no allocation once a cell exists. SHARE
 * indicators keep, beside each category's accumulator, one for the whole
 * combination (the denominator), flagged in the key.
 *
 * PERCENTILE accumulators keep their values (doubling arrays); they are
 * sorted and freed by cube_finish(). Nothing else of a unit is kept.
 */
#include "measure/cube.h"

#include <assert.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/mem.h"
#include "util/vec.h"

/* key words: year, category, is_denominator, values */
#define KEY_YEAR 0
#define KEY_CAT 1
#define KEY_DEN 2
#define KEY_VAL 3
#define KEYW (KEY_VAL + CUBE_KEY_DIMS)
#define MAX_COMBOS (1 + MD_COUNT + 2)

typedef struct combo {
    int ndims;
    int8_t dim[CUBE_KEY_DIMS]; /* enum order */
    uint32_t *slot;            /* acc index + 1; 0 = empty */
    size_t cap;                /* power of two, or 0 */
    size_t used;
} combo;

typedef struct acc {
    int32_t key[KEYW];
    uint32_t combo;
    int64_t n, num;
    double *v; /* PERCENTILE values */
    uint32_t nv, capv;
} acc;

struct cube {
    const tl_state *st;
    const measure_indicator *ind;
    combo combos[MAX_COMBOS];
    size_t ncombos;
    vec accs;  /* acc */
    vec cells; /* cube_cell, after cube_finish() */
    int64_t units, dropped;
};

static uint64_t key_hash(const int32_t *k)
{
    uint64_t h = 0x243F6A8885A308D3ULL;
    for (int i = 0; i < KEYW; i++) {
        h = (h ^ (uint32_t)k[i]) * 0x9E3779B97F4A7C15ULL;
        h ^= h >> 29;
    }
    return h;
}

static acc *acc_at(const cube *c, size_t i)
{
    return (acc *)c->accs.data + i;
}

static void drop_accs(cube *c)
{
    for (size_t i = 0; i < c->accs.len; i++)
        p20w_free(acc_at(c, i)->v);
    vec_clear(&c->accs);
    for (size_t k = 0; k < c->ncombos; k++) {
        p20w_free(c->combos[k].slot);
        c->combos[k].slot = NULL;
        c->combos[k].cap = 0;
        c->combos[k].used = 0;
    }
}

p20w_status cube_new(const tl_state *st, cube **out, p20w_err *err)
{
    *out = NULL;
    cube *c = p20w_calloc(1, sizeof *c);
    if (c == NULL)
        return p20w_err_set(err, P20W_ENOMEM, "out of memory");
    c->st = st;
    vec_init(&c->accs, sizeof(acc));
    vec_init(&c->cells, sizeof(cube_cell));
    *out = c;
    return P20W_OK;
}

void cube_free(cube *c)
{
    if (c == NULL)
        return;
    drop_accs(c);
    vec_free(&c->accs);
    vec_free(&c->cells);
    p20w_free(c);
}

/* Adds the combination required + extra (bits), dims in enum order. */
static void add_combo(cube *c, uint64_t bits)
{
    combo *k = &c->combos[c->ncombos++];
    memset(k, 0, sizeof *k);
    for (int d = 0; d < MD_COUNT; d++)
        if (bits & (UINT64_C(1) << d))
            k->dim[k->ndims++] = (int8_t)d;
}

static int popcount64(uint64_t x)
{
    int n = 0;
    for (; x; x &= x - 1)
        n++;
    return n;
}

p20w_status cube_begin(cube *c, const measure_indicator *ind, p20w_err *err)
{
    drop_accs(c);
    vec_clear(&c->cells);
    c->ncombos = 0;
    c->units = 0;
    c->dropped = 0;
    c->ind = ind;
    uint64_t all = (UINT64_C(1) << MD_COUNT) - 1;
    uint64_t req = ind->required_dims & all;
    uint64_t allowed = (ind->dims | ind->required_dims) & all;
    if (popcount64(req) > CUBE_KEY_DIMS - 2)
        return p20w_err_set(err, P20W_EINVAL,
                            "indicator %s: more than %d required dimensions",
                            ind->id, CUBE_KEY_DIMS - 2);
    add_combo(c, req);
    for (int d = 0; d < MD_COUNT; d++) {
        uint64_t b = UINT64_C(1) << d;
        if ((allowed & b) && !(req & b))
            add_combo(c, req | b);
    }
    static const int pair[2][2] = {{MD_RACE, MD_SEX}, {MD_RACE, MD_ECON}};
    for (int i = 0; i < 2; i++) {
        uint64_t b = (UINT64_C(1) << pair[i][0]) | (UINT64_C(1) << pair[i][1]);
        /* both allowed, and not already a single-dim combination */
        if ((allowed & b) == b && (req & b) == 0)
            add_combo(c, req | b);
    }
    return P20W_OK;
}

static p20w_status combo_grow(cube *c, combo *k)
{
    size_t cap = k->cap ? k->cap * 2 : 64;
    uint32_t *slot = p20w_calloc(cap, sizeof *slot);
    if (slot == NULL)
        return P20W_ENOMEM;
    for (size_t i = 0; i < k->cap; i++) {
        uint32_t s = k->slot[i];
        if (s == 0)
            continue;
        size_t h = (size_t)key_hash(acc_at(c, s - 1)->key) & (cap - 1);
        while (slot[h] != 0)
            h = (h + 1) & (cap - 1);
        slot[h] = s;
    }
    p20w_free(k->slot);
    k->slot = slot;
    k->cap = cap;
    return P20W_OK;
}

/* The accumulator of key in combination ki, created when new; NULL when
 * out of memory. */
static acc *acc_get(cube *c, size_t ki, const int32_t *key)
{
    combo *k = &c->combos[ki];
    if (2 * (k->used + 1) > k->cap && combo_grow(c, k) != P20W_OK)
        return NULL;
    size_t h = (size_t)key_hash(key) & (k->cap - 1);
    for (;;) {
        uint32_t s = k->slot[h];
        if (s == 0)
            break;
        acc *a = acc_at(c, s - 1);
        if (memcmp(a->key, key, sizeof a->key) == 0)
            return a;
        h = (h + 1) & (k->cap - 1);
    }
    if (c->accs.len >= UINT32_MAX - 1)
        return NULL;
    acc *a = vec_push_zero(&c->accs);
    if (a == NULL)
        return NULL;
    memcpy(a->key, key, sizeof a->key);
    a->combo = (uint32_t)ki;
    k->slot[h] = (uint32_t)c->accs.len;
    k->used++;
    return a;
}

static p20w_status acc_push_value(acc *a, double v)
{
    if (a->nv == a->capv) {
        if (a->capv > UINT32_MAX / 2)
            return P20W_ENOMEM;
        uint32_t cap = a->capv ? a->capv * 2 : 4;
        double *nv = p20w_realloc(a->v, (size_t)cap * sizeof *nv);
        if (nv == NULL)
            return P20W_ENOMEM;
        a->v = nv;
        a->capv = cap;
    }
    a->v[a->nv++] = v;
    return P20W_OK;
}

static p20w_status add_unit(void *ctx, const measure_unit *u)
{
    cube *c = ctx;
    const measure_indicator *ind = c->ind;
    const combo *total = &c->combos[0];
    for (int i = 0; i < total->ndims; i++) {
        if (u->dim[total->dim[i]] == TL_NONE) {
            c->dropped++;
            c->units++;
            return P20W_OK;
        }
    }
    if (ind->stat == MS_PERCENTILE && !isfinite(u->value))
        return P20W_EINVAL;
    c->units++;
    int share = ind->stat == MS_SHARE;
    for (size_t ki = 0; ki < c->ncombos; ki++) {
        const combo *k = &c->combos[ki];
        int32_t key[KEYW] = {0};
        key[KEY_YEAR] = u->year;
        int skip = 0;
        for (int i = 0; i < k->ndims; i++) {
            key[KEY_VAL + i] = u->dim[k->dim[i]];
            skip |= key[KEY_VAL + i] == TL_NONE;
        }
        if (skip)
            continue;
        if (share) {
            key[KEY_DEN] = 1;
            acc *den = acc_get(c, ki, key);
            if (den == NULL)
                return P20W_ENOMEM;
            den->n++;
            key[KEY_DEN] = 0;
            key[KEY_CAT] = u->category;
        }
        acc *a = acc_get(c, ki, key);
        if (a == NULL)
            return P20W_ENOMEM;
        a->n++;
        a->num += u->in_numerator != 0;
        if (ind->stat == MS_PERCENTILE &&
            acc_push_value(a, u->value) != P20W_OK)
            return P20W_ENOMEM;
    }
    return P20W_OK;
}

measure_sink cube_sink(cube *c)
{
    measure_sink s = {add_unit, c, NULL};
    return s;
}

int64_t cube_units(const cube *c)
{
    return c->units;
}

int64_t cube_units_dropped(const cube *c)
{
    return c->dropped;
}

/* ---- finishing ---------------------------------------------------------- */

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void swap_d(double *a, double *b)
{
    double t = *a;
    *a = *b;
    *b = t;
}

/* Sorts x[0..n) ascending (values are finite: add_unit refuses others).
 * Quicksort with a three-way partition, so the many equal wages of a
 * cell cost nothing; the smaller side recursed, the larger looped; past a
 * depth of 2 log2(n) (an adversarial order) qsort() takes over. Four to
 * five times faster than qsort() with a comparison function: percentile
 * indicators sort every unit's value once per cell it is in. */
static void sort_doubles(double *x, size_t n, int depth)
{
    while (n > 16) {
        if (depth-- == 0) {
            qsort(x, n, sizeof *x, cmp_double);
            return;
        }
        /* median of three as the pivot */
        double a = x[0], b = x[n / 2], c = x[n - 1];
        double p = a < b ? (b < c ? b : (a < c ? c : a))
                         : (a < c ? a : (b < c ? c : b));
        /* x[0..lt) < p, x[lt..i) == p, x(gt..n) > p */
        size_t lt = 0, i = 0, gt = n;
        while (i < gt) {
            if (x[i] < p)
                swap_d(&x[lt++], &x[i++]);
            else if (x[i] > p)
                swap_d(&x[i], &x[--gt]);
            else
                i++;
        }
        size_t nl = lt, nr = n - gt;
        if (nl < nr) {
            sort_doubles(x, nl, depth);
            x += gt;
            n = nr;
        } else {
            sort_doubles(x + gt, nr, depth);
            n = nl;
        }
    }
    for (size_t i = 1; i < n; i++) {
        double v = x[i];
        size_t j = i;
        for (; j > 0 && x[j - 1] > v; j--)
            x[j] = x[j - 1];
        x[j] = v;
    }
}

static int log2_floor(size_t n)
{
    int l = 0;
    while (n >>= 1)
        l++;
    return l;
}

double cube_percentile(const double *x, size_t n, int num, int den)
{
    assert(n >= 1 && num > 0 && num < den);
    if (2 * num == den && n % 2 == 0)
        return (x[n / 2 - 1] + x[n / 2]) / 2.0;
    size_t rank = (n * (size_t)num + (size_t)den - 1) / (size_t)den;
    return x[rank - 1];
}

/* Cell order: combination, year, values, category. */
static int cmp_acc(const void *pa, const void *pb)
{
    const acc *a = *(const acc *const *)pa;
    const acc *b = *(const acc *const *)pb;
    if (a->combo != b->combo)
        return a->combo < b->combo ? -1 : 1;
    static const int order[KEYW] = {KEY_YEAR,    KEY_VAL,     KEY_VAL + 1,
                                    KEY_VAL + 2, KEY_VAL + 3, KEY_CAT,
                                    KEY_DEN};
    for (int i = 0; i < KEYW; i++) {
        int w = order[i];
        if (a->key[w] != b->key[w])
            return a->key[w] < b->key[w] ? -1 : 1;
    }
    return 0;
}

/* The denominator accumulator of SHARE accumulator a. */
static const acc *share_den(cube *c, const acc *a)
{
    int32_t key[KEYW];
    memcpy(key, a->key, sizeof key);
    key[KEY_CAT] = 0;
    key[KEY_DEN] = 1;
    const combo *k = &c->combos[a->combo];
    size_t h = (size_t)key_hash(key) & (k->cap - 1);
    for (;;) {
        uint32_t s = k->slot[h];
        assert(s != 0); /* every category unit counted its denominator */
        const acc *d = acc_at(c, s - 1);
        if (memcmp(d->key, key, sizeof key) == 0)
            return d;
        h = (h + 1) & (k->cap - 1);
    }
}

static void fill_cell(cube *c, acc *a, cube_cell *cell)
{
    const combo *k = &c->combos[a->combo];
    memset(cell, 0, sizeof *cell);
    cell->year = a->key[KEY_YEAR];
    cell->ndims = k->ndims;
    for (int i = 0; i < k->ndims; i++) {
        cell->dim[i] = k->dim[i];
        cell->val[i] = a->key[KEY_VAL + i];
    }
    switch (c->ind->stat) {
    case MS_SHARE: {
        const acc *d = share_den(c, a);
        cell->category = a->key[KEY_CAT];
        cell->numerator = a->n;
        cell->denominator = d->n;
        cell->n = d->n;
        cell->value = (double)a->n / (double)d->n;
        break;
    }
    case MS_PERCENTILE:
        sort_doubles(a->v, a->nv, 2 * log2_floor(a->nv) + 2);
        cell->n = a->n;
        cell->p25 = cube_percentile(a->v, a->nv, 1, 4);
        cell->median = cube_percentile(a->v, a->nv, 1, 2);
        cell->p75 = cube_percentile(a->v, a->nv, 3, 4);
        cell->value = cell->median;
        p20w_free(a->v);
        a->v = NULL;
        a->nv = a->capv = 0;
        break;
    case MS_COUNT:
        cell->n = cell->numerator = a->n;
        cell->value = (double)a->n;
        break;
    default: /* RATE, FLAG */
        cell->n = cell->denominator = a->n;
        cell->numerator = a->num;
        cell->value = (double)a->num / (double)a->n;
        break;
    }
}

p20w_status cube_finish(cube *c, p20w_err *err)
{
    vec_clear(&c->cells);
    size_t n = c->accs.len, m = 0;
    /* pointers into c->accs: it does not grow while they are in use */
    acc **order = p20w_malloc((n ? n : 1) * sizeof *order);
    if (order == NULL)
        return p20w_err_set(err, P20W_ENOMEM, "out of memory");
    for (size_t i = 0; i < n; i++)
        if (!acc_at(c, i)->key[KEY_DEN])
            order[m++] = acc_at(c, i);
    qsort(order, m, sizeof *order, cmp_acc);
    p20w_status rc = vec_reserve(&c->cells, m);
    if (rc == P20W_OK) {
        for (size_t i = 0; i < m; i++) {
            cube_cell *cell = vec_push_zero(&c->cells);
            fill_cell(c, order[i], cell);
        }
    } else {
        p20w_err_set(err, P20W_ENOMEM, "out of memory");
    }
    p20w_free(order);
    return rc;
}

size_t cube_cell_count(const cube *c)
{
    return c->cells.len;
}

const cube_cell *cube_cell_at(const cube *c, size_t i)
{
    assert(i < c->cells.len);
    return (const cube_cell *)c->cells.data + i;
}

/* ---- labels and keys ---------------------------------------------------- */

static const char *const cluster_codes[TL_CL_COUNT] = {
    "AG", "AR", "AC", "BM", "ED", "FN", "GV", "HS",
    "HT", "HU", "IT", "LW", "MN", "MK", "ST", "TD"};
static const char *const race_codes[TL_RACE_COUNT] = {"HI", "AI", "AS", "BL",
                                                      "PI", "WH", "TW"};
static const char *const award_codes[TL_AWARD_COUNT] = {
    "NONE", "NONDEG", "CERT", "ASSOC", "BACH", "GRAD"};
static const char *const locale_names[TL_LOCALE_COUNT] = {
    "unknown", "city", "suburb", "town", "rural"};
static const char *const exiter_names[TL_EXITER_COUNT] = {
    "hs_grad",      "hs_noncompleter", "hs_hse",
    "ps_completer", "ps_leaver",       "appr_completer"};
/* MD_WBL: none, 1 + enum tl_wbl_type, then any type */
static const char *const wbl_names[2 + TL_WBL_COUNT] = {
    "none",     "INTERNSHIP", "APPRENTICESHIP",    "PRE_APPRENTICESHIP",
    "CLINICAL", "COOP",       "SCHOOL_ENTERPRISE", "any"};
static const char *const subject_codes[TL_SUBJ_COUNT] = {"ELA", "MATH", "SCI"};

static const char *code_of(const char *const *codes, int n, int32_t v)
{
    return v >= 0 && v < n ? codes[v] : NULL;
}

/* The id of row v of a reference table, NULL when out of range. */
static const char *ref_id(const tl_state *st, int dim, int32_t v)
{
    if (st == NULL || v < 0)
        return NULL;
    size_t i = (size_t)v;
    switch (dim) {
    case MD_REGION:
        return i < st->regions.len ? ((tl_region *)st->regions.data)[i].name
                                   : NULL;
    case MD_COUNTY:
        return i < st->counties.len ? ((tl_county *)st->counties.data)[i].fips
                                    : NULL;
    case MD_DISTRICT:
        return i < st->districts.len ? ((tl_district *)st->districts.data)[i].id
                                     : NULL;
    case MD_SCHOOL:
        return i < st->schools.len ? ((tl_school *)st->schools.data)[i].id
                                   : NULL;
    case MD_INSTITUTION:
        return i < st->institutions.len
                   ? ((tl_institution *)st->institutions.data)[i].id
                   : NULL;
    case MD_PROGRAM:
        return i < st->programs.len ? ((tl_program *)st->programs.data)[i].id
                                    : NULL;
    default:
        return NULL;
    }
}

void cube_dim_label(const tl_state *st, int dim, int32_t v, char *buf,
                    size_t cap)
{
    const char *s = NULL;
    switch (dim) {
    case MD_REGION:
    case MD_COUNTY:
    case MD_DISTRICT:
    case MD_SCHOOL:
    case MD_INSTITUTION:
    case MD_PROGRAM:
        s = ref_id(st, dim, v);
        if (s == NULL) {
            snprintf(buf, cap, "#%" PRId32, v);
            return;
        }
        break;
    case MD_CLUSTER:
        s = code_of(cluster_codes, TL_CL_COUNT, v);
        break;
    case MD_CIP2:
        snprintf(buf, cap, "%02" PRId32, v);
        return;
    case MD_CIP4:
        snprintf(buf, cap, "%02" PRId32 ".%02" PRId32, v / 100, v % 100);
        return;
    case MD_CIP6:
        snprintf(buf, cap, "%02" PRId32 ".%04" PRId32, v / 10000, v % 10000);
        return;
    case MD_AWARD_LEVEL:
        s = code_of(award_codes, TL_AWARD_COUNT, v);
        break;
    case MD_SEX:
        if (v > ' ' && v < 127) {
            snprintf(buf, cap, "%c", (char)v);
            return;
        }
        break;
    case MD_RACE:
        s = code_of(race_codes, TL_RACE_COUNT, v);
        break;
    case MD_ECON:
    case MD_DISABILITY:
    case MD_EL:
    case MD_HOMELESS:
    case MD_FOSTER:
    case MD_MIGRANT:
    case MD_MILITARY:
    case MD_NONTRAD:
        s = v ? "Y" : "N";
        break;
    case MD_LOCALE:
        s = code_of(locale_names, TL_LOCALE_COUNT, v);
        break;
    case MD_EXITER:
        s = code_of(exiter_names, TL_EXITER_COUNT, v);
        break;
    case MD_WBL:
        s = code_of(wbl_names, 2 + TL_WBL_COUNT, v);
        break;
    case MD_SUBJECT:
        s = code_of(subject_codes, TL_SUBJ_COUNT, v);
        break;
    case MD_QUARTER:
        if (v >= 0) {
            snprintf(buf, cap, "%" PRId32 "Q%" PRId32, v / 4, v % 4 + 1);
            return;
        }
        break;
    default:
        break;
    }
    if (s == NULL)
        snprintf(buf, cap, "#%" PRId32, v);
    else
        snprintf(buf, cap, "%s", s);
}

/* Appends s as a JSON string. */
static p20w_status json_str(sbuf *b, const char *s)
{
    p20w_status rc = sbuf_putc(b, '"');
    for (; rc == P20W_OK && *s; s++) {
        unsigned char ch = (unsigned char)*s;
        if (ch == '"' || ch == '\\')
            rc = sbuf_printf(b, "\\%c", ch);
        else if (ch < 0x20)
            rc = sbuf_printf(b, "\\u%04x", ch);
        else
            rc = sbuf_putc(b, (char)ch);
    }
    if (rc == P20W_OK)
        rc = sbuf_putc(b, '"');
    return rc;
}

static p20w_status key_part(sbuf *key, sbuf *json, const char *name,
                            const char *label, int first)
{
    p20w_status rc = P20W_OK;
    if (key != NULL)
        rc = sbuf_printf(key, "%s%s=", first ? "" : ";", name);
    /* ';' and '=' separate the key's parts: never inside a value there
     * (dims_json keeps the label as it is) */
    for (const char *p = label; key != NULL && rc == P20W_OK && *p; p++)
        rc = sbuf_putc(key, *p == ';' ? ',' : *p == '=' ? '-' : *p);
    if (rc == P20W_OK && json != NULL) {
        rc = sbuf_puts(json, first ? "" : ",");
        if (rc == P20W_OK)
            rc = json_str(json, name);
        if (rc == P20W_OK)
            rc = sbuf_putc(json, ':');
        if (rc == P20W_OK)
            rc = json_str(json, label);
    }
    return rc;
}

p20w_status cube_cell_key(const cube *c, const cube_cell *cell, sbuf *key,
                          sbuf *json, sbuf *dims)
{
    p20w_status rc = P20W_OK;
    if (key != NULL) {
        sbuf_reset(key);
        rc = sbuf_puts(key, "");
    }
    if (rc == P20W_OK && dims != NULL) {
        sbuf_reset(dims);
        rc = sbuf_puts(dims, "");
    }
    if (rc == P20W_OK && json != NULL) {
        sbuf_reset(json);
        rc = sbuf_putc(json, '{');
    }
    char label[PROFILE_NAME_MAX + 16];
    for (int i = 0; rc == P20W_OK && i < cell->ndims; i++) {
        const char *name = measure_dim_name(cell->dim[i]);
        cube_dim_label(c->st, cell->dim[i], cell->val[i], label, sizeof label);
        rc = key_part(key, json, name, label, i == 0);
        if (rc == P20W_OK && dims != NULL)
            rc = sbuf_printf(dims, "%s%s", i ? "," : "", name);
    }
    if (rc == P20W_OK && c->ind != NULL && c->ind->stat == MS_SHARE) {
        const char *cat = c->ind->category_label
                              ? c->ind->category_label(cell->category)
                              : NULL;
        if (cat == NULL || cat[0] == '\0') {
            snprintf(label, sizeof label, "%" PRId32, cell->category);
            cat = label;
        }
        rc = key_part(key, json, "category", cat, cell->ndims == 0);
    }
    if (rc == P20W_OK && json != NULL)
        rc = sbuf_putc(json, '}');
    if (rc != P20W_OK)
        return P20W_ENOMEM;
    return P20W_OK;
}
