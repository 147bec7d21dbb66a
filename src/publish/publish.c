/*
 * publish.c — protecting the cube and writing the published cells
 * (publish.h).
 *
 * Flow: read every cube cell of the profile; sort into families (indicator,
 * year, category); per family build one disclose_table per published
 * table (publish.h), run disclose_run() on each with the cells other
 * tables hid forced hidden, repeat until nothing new is hidden, and keep
 * for each cell the most hidden version. Cells a table needs but the cube
 * does not hold — a two-way combination nobody falls in, or the "not
 * reported" rest of a cut whose cells do not add up to the total — are
 * added to the cube as cells of their own (dims value "~"), so everything
 * the audit reasons about is a real, published cell.
 */
#include "publish/publish.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "disclose/disclose.h"
#include "measure/measure.h"
#include "util/date.h"
#include "util/hmap.h"
#include "util/mem.h"
#include "util/vec.h"

#define MAX_PAIRS 4
#define NPCT 3

/* dims_json of the cells publish adds (zero combinations, rests): a
 * re-publication deletes and re-creates them. */
#define VIRTUAL_MARK "added_by"

/* A dims value of the rest of a cut: people the cut does not place. */
#define REST_VALUE "~"

typedef struct pcell {
    int64_t cell_id;
    char *indicator;
    int32_t year;
    char *cat; /* category value, "" when none */
    char *key; /* the dims other than category, sorted by name: "a=x;b=y" */
    int npair;
    char *name[MAX_PAIRS];
    char *value[MAX_PAIRS];
    long n, num;
    int has_pct;
    double pct[NPCT];
    disclose_cell pub; /* what is published */
    int seen;          /* pub set by some table */
    size_t group;      /* cells of one group share n (same key, any
                          category) */
} pcell;

typedef struct ptable {
    int withheld; /* not published: protecting it would hide a margin */
    disclose_table *t;
    int64_t *cell; /* per table cell: index into the cells vec, -1 none */
    disclose_result *r;
} ptable;

typedef struct ctx {
    store *db;
    const p20w_profile *prof;
    disclose_profile dp;
    vec cells; /* pcell */
    publish_stats *stats;
    const publish_opts *opts;
    FILE *out; /* the audit's failure lines, or NULL */
} ctx;

static void pcell_free(pcell *c)
{
    p20w_free(c->indicator);
    p20w_free(c->cat);
    p20w_free(c->key);
    for (int i = 0; i < c->npair; i++) {
        p20w_free(c->name[i]);
        p20w_free(c->value[i]);
    }
}

static void cells_free(vec *v)
{
    for (size_t i = 0; i < v->len; i++)
        pcell_free((pcell *)v->data + i);
    vec_free(v);
}

static void to_disclose_profile(const p20w_profile *p, disclose_profile *d)
{
    disclose_profile_default(d);
    d->min_n = p->min_n;
    d->protect_pct = p->protect_pct;
    d->min_n_percentile = p->min_n_percentile;
    d->pool_years = p->pool_years;
    if (p->band_count > 0 && p->band_count <= DISCLOSE_MAX_BANDS) {
        d->band_count = p->band_count;
        for (size_t i = 0; i < p->band_count; i++) {
            d->band[i].min_denominator = p->band[i].min_denominator;
            d->band[i].top_pct = p->band[i].top_pct;
            d->band[i].bottom_pct = p->band[i].bottom_pct;
        }
    }
}

/* ---- reading the cube -------------------------------------------------- */

typedef struct pair {
    const char *name, *value;
    size_t nlen, vlen;
} pair;

static int cmp_pair(const void *a, const void *b)
{
    const pair *x = a, *y = b;
    size_t n = x->nlen < y->nlen ? x->nlen : y->nlen;
    int c = memcmp(x->name, y->name, n);
    if (c)
        return c;
    return (x->nlen > y->nlen) - (x->nlen < y->nlen);
}

/* Splits "a=x;b=y" into the cell's pairs and its canonical key. The
 * indicator's required dimensions (bits of `required`, e.g. the quarter
 * of OPP_YOUTH) go to c->cat instead, as "name=value" joined by ';': every
 * value of a required dimension is a family of tables of its own (there
 * is no total across it). */
static p20w_status parse_dims(pcell *c, const char *dims, uint64_t required,
                              p20w_err *err)
{
    size_t catlen = 0, catat = 0;
    pair p[MAX_PAIRS + 1] = {{0}};
    int np = 0;
    const char *s = dims;
    while (*s) {
        const char *end = strchr(s, ';');
        const char *eq;
        size_t len = end ? (size_t)(end - s) : strlen(s);
        eq = memchr(s, '=', len);
        if (!eq || eq == s || np == MAX_PAIRS + 1)
            return p20w_err_set(err, P20W_EINVAL,
                                "publish: malformed dims key in cell %lld",
                                (long long)c->cell_id);
        p[np].name = s;
        p[np].nlen = (size_t)(eq - s);
        p[np].value = eq + 1;
        p[np].vlen = len - p[np].nlen - 1;
        np++;
        s += len;
        if (*s == ';')
            s++;
    }
    qsort(p, (size_t)np, sizeof p[0], cmp_pair);
    size_t keylen = 0;
    for (int i = 0; i < np; i++)
        keylen += p[i].nlen + p[i].vlen + 2;
    catlen = keylen;
    if (!(c->key = p20w_malloc(keylen + 1)) ||
        !(c->cat = p20w_malloc(catlen + 1)))
        return P20W_ENOMEM;
    c->key[0] = 0;
    c->cat[0] = 0;
    size_t at = 0;
    for (int i = 0; i < np; i++) {
        char name[64];
        int d;
        snprintf(name, sizeof name, "%.*s", (int)p[i].nlen, p[i].name);
        d = measure_dim_find(name);
        if (strcmp(name, "category") == 0 || (d >= 0 && (required >> d) & 1)) {
            catat += (size_t)snprintf(c->cat + catat, catlen + 1 - catat,
                                      "%s%s=%.*s", catat ? ";" : "", name,
                                      (int)p[i].vlen, p[i].value);
            continue;
        }
        if (c->npair == MAX_PAIRS)
            return p20w_err_set(err, P20W_EINVAL,
                                "publish: too many dimensions in cell %lld",
                                (long long)c->cell_id);
        c->name[c->npair] = p20w_strndup(p[i].name, p[i].nlen);
        c->value[c->npair] = p20w_strndup(p[i].value, p[i].vlen);
        if (!c->name[c->npair] || !c->value[c->npair])
            return P20W_ENOMEM;
        c->npair++;
        at += (size_t)snprintf(c->key + at, keylen + 1 - at, "%s%.*s=%.*s",
                               at ? ";" : "", (int)p[i].nlen, p[i].name,
                               (int)p[i].vlen, p[i].value);
    }
    return P20W_OK;
}

static p20w_status read_cells(ctx *x, p20w_err *err)
{
    store_stmt *s = NULL;
    p20w_status rc;
    int row;
    rc = store_prepare(x->db,
                       "SELECT cell_id, indicator, year, dims_key, n, "
                       "numerator, denominator, p25, median, p75 "
                       "FROM cube_cells WHERE profile = ? "
                       "ORDER BY indicator, year, cell_id",
                       &s, err);
    if (rc == P20W_OK)
        rc = store_bind_text(s, 1, x->prof->name, (size_t)-1, err);
    while (rc == P20W_OK && (rc = store_step(s, &row, err)) == P20W_OK && row) {
        pcell *c;
        if (strstr(store_column_text(s, 3), "category=") != NULL) {
            /* a share's cell: not published yet (see publish.h) */
            x->stats->unpublished++;
            continue;
        }
        if (!(c = vec_push_zero(&x->cells))) {
            rc = P20W_ENOMEM;
            break;
        }
        c->cell_id = store_column_int64(s, 0);
        c->indicator = p20w_strdup(store_column_text(s, 1));
        c->year = (int32_t)store_column_int64(s, 2);
        if (!c->indicator) {
            rc = P20W_ENOMEM;
            break;
        }
        /* The table's n: a rate's denominator, else the count. */
        c->n = store_column_is_null(s, 6)
                   ? (long)store_column_int64(s, 4)
                   : (long)llround(store_column_double(s, 6));
        c->num = store_column_is_null(s, 5)
                     ? -1
                     : (long)llround(store_column_double(s, 5));
        if (!store_column_is_null(s, 8)) {
            c->has_pct = 1;
            c->pct[0] = store_column_double(s, 7);
            c->pct[1] = store_column_double(s, 8);
            c->pct[2] = store_column_double(s, 9);
        }
        {
            const measure_indicator *ind = measure_find(c->indicator);
            rc = parse_dims(c, store_column_text(s, 3),
                            ind ? ind->required_dims : 0, err);
        }
    }
    store_finalize(s);
    if (rc == P20W_ENOMEM)
        p20w_err_set(err, rc, "publish: out of memory reading the cube");
    return rc;
}

/* ---- families ---------------------------------------------------------- */

typedef struct family {
    size_t first, count; /* range of x->cells (one indicator and year) */
    int has_num;         /* every cell carries a numerator */
    int has_pct;
    hmap *by_key; /* "cat\x1fkey" -> cell index + 1 */
    hmap *cuts;   /* "cat\x1fname" -> cutinfo index + 1 */
    vec cutinfo;  /* cutinfo: the single cuts of the family */
    vec tables;   /* ptable */
} family;

/* One single cut (a dimension, in one category): its values and sums. */
typedef struct cutinfo {
    vec values; /* const char *, owned by the cells */
    long n, num;
    int has_rest;
    size_t first; /* its first cell */
} cutinfo;

static p20w_status fam_key(const char *cat, const char *key, char **out)
{
    size_t a = strlen(cat), b = strlen(key);
    char *k = p20w_malloc(a + b + 2);
    if (!k)
        return P20W_ENOMEM;
    memcpy(k, cat, a);
    k[a] = '\x1f';
    memcpy(k + a + 1, key, b + 1);
    *out = k;
    return P20W_OK;
}

static int64_t fam_find(const family *f, const char *cat, const char *key)
{
    char *k = NULL;
    void *v;
    int64_t idx = -1;
    if (fam_key(cat, key, &k) != P20W_OK)
        return -2;
    if (hmap_get_str(f->by_key, k, &v))
        idx = (int64_t)(intptr_t)v - 1;
    p20w_free(k);
    return idx;
}

/* The names of the dimensions of key "a=x;b=y" in measure_dim order,
 * joined by ',' (cube_cells.dims). */
static void dims_order(const char *key, char *out, size_t cap)
{
    int have[MD_COUNT] = {0};
    const char *s = key;
    size_t at = 0;
    while (*s) {
        const char *eq = strchr(s, '=');
        const char *end = strchr(s, ';');
        char name[64];
        int d;
        if (!eq)
            break;
        snprintf(name, sizeof name, "%.*s", (int)(eq - s), s);
        d = measure_dim_find(name);
        if (d >= 0)
            have[d] = 1;
        if (!end)
            break;
        s = end + 1;
    }
    out[0] = 0;
    for (int d = 0; d < MD_COUNT; d++)
        if (have[d])
            at += (size_t)snprintf(out + at, at < cap ? cap - at : 0, "%s%s",
                                   at ? "," : "", measure_dim_name(d));
}

/* dims_json of an added cell: its dimension values as the cube writes
 * them, the category, and the mark "added_by": "publish" (a later
 * publication deletes such cells and adds them again). Freed with free()
 * (jansson's allocator); NULL when out of memory. */
static char *virtual_json(const char *key)
{
    json_t *o = json_object();
    char *out = NULL;
    const char *s = key;
    int ok = o != NULL;
    while (ok && *s) {
        const char *eq = strchr(s, '=');
        const char *end = strchr(s, ';');
        char name[64];
        if (!eq)
            break;
        size_t vlen = end ? (size_t)(end - eq - 1) : strlen(eq + 1);
        snprintf(name, sizeof name, "%.*s", (int)(eq - s), s);
        ok = json_object_set_new(o, name, json_stringn(eq + 1, vlen)) == 0;
        if (!end)
            break;
        s = end + 1;
    }
    if (ok)
        ok = json_object_set_new(o, VIRTUAL_MARK, json_string("publish")) == 0;
    if (ok)
        out = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(o);
    return out;
}

/* Adds a cell the cube does not hold (n and numerator given) to the
 * store and to the family. */
static p20w_status add_virtual(ctx *x, family *f, const pcell *like,
                               const char *key, long n, long num, int64_t *idx,
                               p20w_err *err)
{
    store_stmt *s = NULL;
    p20w_status rc;
    int row;
    char *k = NULL;
    char *dims = NULL;
    size_t dl;
    pcell *c;
    char *json = NULL;
    char dims_names[256];
    /* dims_key as the cube writes it: the pairs, then the category. */
    dl = strlen(key) + strlen(like->cat) + 16;
    if (!(dims = p20w_malloc(dl)))
        return P20W_ENOMEM;
    if (like->cat[0])
        snprintf(dims, dl, "%s%s%s", key, key[0] ? ";" : "", like->cat);
    else
        snprintf(dims, dl, "%s", key);
    dims_order(dims, dims_names, sizeof dims_names);
    rc = store_prepare(
        x->db,
        "INSERT INTO cube_cells (profile, indicator, dims_key, dims_json, "
        "year, numerator, denominator, value, n, build_id, dims) "
        "SELECT profile, indicator, ?, ?, year, ?, ?, ?, "
        "?, build_id, ? FROM cube_cells WHERE cell_id = ?",
        &s, err);
    if (rc == P20W_OK)
        rc = store_bind_text(s, 1, dims, (size_t)-1, err);
    if (rc == P20W_OK) {
        json = virtual_json(dims);
        rc = json ? store_bind_text(s, 2, json, (size_t)-1, err) : P20W_ENOMEM;
    }
    if (rc == P20W_OK && f->has_num) {
        rc = store_bind_double(s, 3, (double)num, err);
        if (rc == P20W_OK)
            rc = store_bind_double(s, 4, (double)n, err);
        if (rc == P20W_OK && n > 0)
            rc = store_bind_double(s, 5, (double)num / (double)n, err);
    }
    if (rc == P20W_OK)
        rc = store_bind_int64(s, 6, n, err);
    if (rc == P20W_OK)
        rc = store_bind_text(s, 7, dims_names, (size_t)-1, err);
    if (rc == P20W_OK)
        rc = store_bind_int64(s, 8, like->cell_id, err);
    if (rc == P20W_OK)
        rc = store_step(s, &row, err);
    store_finalize(s);
    p20w_free(dims);
    free(json);
    if (rc != P20W_OK)
        return rc;
    if (!(c = vec_push_zero(&x->cells)))
        return P20W_ENOMEM;
    c->cell_id = store_last_insert_id(x->db);
    c->year = like->year;
    c->indicator = p20w_strdup(like->indicator);
    c->cat = p20w_strdup(like->cat);
    if (!c->indicator || !c->cat)
        return P20W_ENOMEM;
    c->n = n;
    c->num = f->has_num ? num : -1;
    {
        /* re-parse the key into pairs */
        pcell tmp;
        memset(&tmp, 0, sizeof tmp);
        tmp.cell_id = c->cell_id;
        rc = parse_dims(&tmp, key, 0, err);
        if (rc != P20W_OK) {
            pcell_free(&tmp);
            return rc;
        }
        c->key = tmp.key;
        c->npair = tmp.npair;
        for (int i = 0; i < tmp.npair; i++) {
            c->name[i] = tmp.name[i];
            c->value[i] = tmp.value[i];
        }
        p20w_free(tmp.cat);
    }
    *idx = (int64_t)x->cells.len - 1;
    if ((rc = fam_key(c->cat, c->key, &k)) != P20W_OK)
        return rc;
    rc = hmap_put_str(f->by_key, k, (void *)(intptr_t)(*idx + 1));
    p20w_free(k);
    return rc;
}

/* The single cut of dimension `name` in category `cat`, NULL if none. */
static cutinfo *cut_find(const family *f, const char *cat, const char *name)
{
    char k[256];
    void *v;
    snprintf(k, sizeof k, "%s\x1f%s", cat, name);
    if (!hmap_get_str(f->cuts, k, &v))
        return NULL;
    return (cutinfo *)f->cutinfo.data + ((intptr_t)v - 1);
}

/* Copies the values of dimension `name` among the 1-d cells of `cat`
 * into vals (pointers owned by the cells). */
static p20w_status cut_values(const family *f, const char *cat,
                              const char *name, vec *vals)
{
    const cutinfo *ci = cut_find(f, cat, name);
    if (ci == NULL || ci->values.len == 0)
        return P20W_OK;
    if (vec_reserve(vals, ci->values.len) != P20W_OK)
        return P20W_ENOMEM;
    memcpy(vals->data, ci->values.data, ci->values.len * sizeof(char *));
    vals->len = ci->values.len;
    return P20W_OK;
}

/* Indexes the single cuts of the family's cells [from, first + count). */
static p20w_status index_cuts(ctx *x, family *f, size_t from)
{
    p20w_status rc = P20W_OK;
    for (size_t i = from; i < f->first + f->count && rc == P20W_OK; i++) {
        const pcell *c = (const pcell *)x->cells.data + i;
        cutinfo *ci;
        if (c->npair != 1)
            continue;
        ci = cut_find(f, c->cat, c->name[0]);
        if (ci == NULL) {
            char k[256];
            if (!(ci = vec_push_zero(&f->cutinfo)))
                return P20W_ENOMEM;
            vec_init(&ci->values, sizeof(char *));
            ci->first = i;
            snprintf(k, sizeof k, "%s\x1f%s", c->cat, c->name[0]);
            rc = hmap_put_str(f->cuts, k, (void *)(intptr_t)f->cutinfo.len);
            if (rc != P20W_OK)
                return rc;
        }
        const char *v = c->value[0];
        rc = vec_push(&ci->values, &v);
        ci->n += c->n;
        ci->num += c->num > 0 ? c->num : 0;
        ci->has_rest |= strcmp(v, REST_VALUE) == 0;
    }
    return rc;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void set_cell(ctx *x, family *f, disclose_table *t, size_t ti,
                     const pcell *c)
{
    (void)x;
    disclose_table_set(t, ti, c->n, f->has_num ? (c->num < 0 ? 0 : c->num) : 0);
    if (f->has_pct && c->has_pct)
        disclose_table_set_pct(t, ti, c->pct);
}

/* The cell (i, j) of a two-way table (DISCLOSE_TOTAL for a margin). */
static size_t at2(const disclose_table *t, size_t i, size_t j)
{
    size_t co[2] = {i, j}, idx = 0;
    disclose_table_index(t, co, &idx);
    return idx;
}

/* Fills the rest cells of a two-way table (a row or column whose value is
 * "~") from their margins, and adds them to the cube: first those with one
 * "~" coordinate, then ("~", "~"). */
static p20w_status fill_rests(ctx *x, family *f, const pcell *total, ptable *pt,
                              const char *a, const char *b, const vec *va,
                              const vec *vb, p20w_err *err)
{
    size_t na = va->len, nb = vb->len;
    char key[1024];
    p20w_status rc = P20W_OK;
    for (int pass = 0; pass < 2 && rc == P20W_OK; pass++) {
        for (size_t i = 0; i < na && rc == P20W_OK; i++) {
            for (size_t j = 0; j < nb && rc == P20W_OK; j++) {
                size_t idx = at2(pt->t, i, j);
                const char *ka = ((char **)va->data)[i];
                const char *kb = ((char **)vb->data)[j];
                int ra = strcmp(ka, REST_VALUE) == 0;
                int rb = strcmp(kb, REST_VALUE) == 0;
                if (pt->cell[idx] >= 0 || (pass == 0) != (ra != rb))
                    continue;
                /* rest of its column when its row is "~", else of its
                 * row */
                long n, m;
                if (ra) {
                    n = disclose_table_n(pt->t, at2(pt->t, DISCLOSE_TOTAL, j));
                    m = disclose_table_numerator(pt->t,
                                                 at2(pt->t, DISCLOSE_TOTAL, j));
                    for (size_t k = 0; k < na; k++)
                        if (k != i) {
                            n -= disclose_table_n(pt->t, at2(pt->t, k, j));
                            m -= disclose_table_numerator(pt->t,
                                                          at2(pt->t, k, j));
                        }
                } else {
                    n = disclose_table_n(pt->t, at2(pt->t, i, DISCLOSE_TOTAL));
                    m = disclose_table_numerator(pt->t,
                                                 at2(pt->t, i, DISCLOSE_TOTAL));
                    for (size_t k = 0; k < nb; k++)
                        if (k != j) {
                            n -= disclose_table_n(pt->t, at2(pt->t, i, k));
                            m -= disclose_table_numerator(pt->t,
                                                          at2(pt->t, i, k));
                        }
                }
                if (n < 0 || m < 0 || m > n)
                    return p20w_err_set(
                        err, P20W_EINVAL,
                        "publish: %s %d: cells cut by %s,%s add up to more "
                        "than their margins",
                        total->indicator, (int)total->year, a, b);
                int a_first = strcmp(a, b) < 0;
                snprintf(key, sizeof key, "%s=%s;%s=%s", a_first ? a : b,
                         a_first ? ka : kb, a_first ? b : a, a_first ? kb : ka);
                int64_t ci;
                rc = add_virtual(x, f, total, key, n, m, &ci, err);
                if (rc != P20W_OK)
                    break;
                pt->cell[idx] = ci;
                set_cell(x, f, pt->t, idx, (const pcell *)x->cells.data + ci);
            }
        }
    }
    return rc;
}

/* Builds the table of cut {a} (b == NULL) or {a, b} in category cat. */
static p20w_status build_table(ctx *x, family *f, const pcell *total,
                               const char *a, const char *b, p20w_err *err)
{
    vec va, vb;
    size_t size[2];
    ptable pt = {0};
    p20w_status rc;
    char key[1024];
    vec_init(&va, sizeof(char *));
    vec_init(&vb, sizeof(char *));
    rc = cut_values(f, total->cat, a, &va);
    if (rc == P20W_OK && b)
        rc = cut_values(f, total->cat, b, &vb);
    if (rc != P20W_OK)
        goto out;
    if (va.len > 1)
        qsort(va.data, va.len, sizeof(char *), cmp_str);
    if (vb.len > 1)
        qsort(vb.data, vb.len, sizeof(char *), cmp_str);
    size[0] = va.len;
    size[1] = vb.len;
    if (va.len == 0 || (b && vb.len == 0))
        goto out; /* nothing cut by it in this family */
    rc = disclose_table_new(b ? 2 : 1, size, f->has_num, f->has_pct ? NPCT : 0,
                            &pt.t, err);
    if (rc != P20W_OK)
        goto out;
    size_t ncells = disclose_table_cells(pt.t);
    if (!(pt.cell = p20w_malloc(ncells * sizeof *pt.cell))) {
        rc = P20W_ENOMEM;
        goto out;
    }
    for (size_t i = 0; i < ncells; i++) {
        size_t co[2];
        const char *ka = NULL, *kb = NULL;
        int64_t ci;
        disclose_table_coord(pt.t, i, co);
        if (co[0] != DISCLOSE_TOTAL)
            ka = ((char **)va.data)[co[0]];
        if (b && co[1] != DISCLOSE_TOTAL)
            kb = ((char **)vb.data)[co[1]];
        /* the canonical key of this cell: pairs sorted by name */
        if (ka && kb) {
            int a_first = strcmp(a, b) < 0;
            snprintf(key, sizeof key, "%s=%s;%s=%s", a_first ? a : b,
                     a_first ? ka : kb, a_first ? b : a, a_first ? kb : ka);
        } else if (ka) {
            snprintf(key, sizeof key, "%s=%s", a, ka);
        } else if (kb) {
            snprintf(key, sizeof key, "%s=%s", b, kb);
        } else {
            key[0] = 0;
        }
        ci = fam_find(f, total->cat, key);
        if (ci == -2) {
            rc = P20W_ENOMEM;
            goto out;
        }
        if (ci < 0 && ka && kb &&
            (strcmp(ka, REST_VALUE) == 0 || strcmp(kb, REST_VALUE) == 0)) {
            /* the rest of a row or column: computed below, once the
             * cells it is the rest of are in */
            pt.cell[i] = -1;
            continue;
        }
        if (ci < 0 && ka && kb) {
            /* a combination nobody falls in: a real zero cell */
            rc = add_virtual(x, f, total, key, 0, 0, &ci, err);
            if (rc != P20W_OK)
                goto out;
        }
        if (ci < 0) {
            rc = p20w_err_set(err, P20W_EINTERNAL,
                              "publish: margin cell missing");
            goto out;
        }
        pt.cell[i] = ci;
        set_cell(x, f, pt.t, i, (const pcell *)x->cells.data + ci);
    }
    if (b &&
        (rc = fill_rests(x, f, total, &pt, a, b, &va, &vb, err)) != P20W_OK)
        goto out;
    if (disclose_table_check(pt.t, NULL) != P20W_OK) {
        rc = p20w_err_set(err, P20W_EINVAL,
                          "publish: %s %d: cells cut by %s%s%s do not add "
                          "up to their totals (the cube is not additive)",
                          total->indicator, (int)total->year, a, b ? "," : "",
                          b ? b : "");
        goto out;
    }
    if ((rc = vec_push(&f->tables, &pt)) == P20W_OK)
        pt.t = NULL, pt.cell = NULL;
out:
    disclose_table_free(pt.t);
    p20w_free(pt.cell);
    vec_free(&va);
    vec_free(&vb);
    if (rc == P20W_ENOMEM)
        p20w_err_set(err, rc, "publish: out of memory");
    return rc;
}

/* The rest of each single cut, as a cell of its own ("~"), so that the
 * cut adds up to the total. */
static p20w_status add_rests(ctx *x, family *f, p20w_err *err)
{
    p20w_status rc = P20W_OK;
    size_t ncuts = f->cutinfo.len;
    for (size_t k = 0; k < ncuts && rc == P20W_OK; k++) {
        cutinfo *ci = (cutinfo *)f->cutinfo.data + k;
        const pcell *c = (const pcell *)x->cells.data + ci->first;
        int64_t ti = fam_find(f, c->cat, "");
        if (ti < 0)
            continue;
        const pcell *t = (const pcell *)x->cells.data + ti;
        long rn = t->n - ci->n, rm = (t->num > 0 ? t->num : 0) - ci->num;
        if (ci->has_rest || (rn == 0 && rm == 0))
            continue;
        if (rn < 0 || rm < 0 || rm > rn)
            return p20w_err_set(err, P20W_EINVAL,
                                "publish: %s %d: cells cut by %s add up to "
                                "more than the total",
                                t->indicator, (int)t->year, c->name[0]);
        char key[512];
        int64_t idx;
        snprintf(key, sizeof key, "%s=" REST_VALUE, c->name[0]);
        /* copy what we need: add_virtual may move the cells */
        pcell like = *t;
        size_t before = x->cells.len;
        rc = add_virtual(x, f, &like, key, rn, rm, &idx, err);
        f->count = x->cells.len - f->first;
        if (rc == P20W_OK)
            rc = index_cuts(x, f, before);
    }
    return rc;
}

/* ---- protecting a family ----------------------------------------------- */

static void family_free(family *f)
{
    for (size_t i = 0; i < f->tables.len; i++) {
        ptable *pt = (ptable *)f->tables.data + i;
        disclose_table_free(pt->t);
        disclose_result_free(pt->r);
        p20w_free(pt->cell);
    }
    vec_free(&f->tables);
    hmap_free(f->by_key);
    for (size_t i = 0; i < f->cutinfo.len; i++)
        vec_free(&((cutinfo *)f->cutinfo.data)[i].values);
    vec_free(&f->cutinfo);
    hmap_free(f->cuts);
}

/* How hidden a published cell is: 2 shows nothing, 1 shows n but no
 * rate, 0 shows a value. */
static int hidden_rank(const disclose_cell *c)
{
    if (!c->show_n)
        return 2;
    return c->has_rate || c->show_numerator ? 0 : 1;
}

static pcell *cellp(ctx *x, int64_t i)
{
    return (pcell *)x->cells.data + i;
}

/* Numbers the groups of the family's cells (same key, any category). */
static p20w_status assign_groups(ctx *x, family *f)
{
    hmap *g = NULL;
    p20w_status rc = hmap_create(&g);
    size_t next = 0;
    for (size_t i = f->first; i < f->first + f->count && rc == P20W_OK; i++) {
        pcell *c = cellp(x, (int64_t)i);
        void *v;
        if (hmap_get_str(g, c->key, &v)) {
            c->group = (size_t)(intptr_t)v - 1;
            continue;
        }
        c->group = next;
        rc = hmap_put_str(g, c->key, (void *)(intptr_t)(++next));
    }
    hmap_free(g);
    return rc;
}

/* 1 when table pt shows the n of a cell whose group another table hid:
 * it must be protected again with that cell forced hidden. */
static int stale(ctx *x, const ptable *pt, const unsigned char *hidden)
{
    size_t n = disclose_table_cells(pt->t);
    for (size_t i = 0; i < n; i++)
        if (hidden[cellp(x, pt->cell[i])->group] &&
            disclose_result_cell(pt->r, i)->show_n)
            return 1;
    return 0;
}

static p20w_status protect_family(ctx *x, family *f, p20w_err *err)
{
    size_t ncells_all = x->cells.len;
    unsigned char *hidden = p20w_calloc(ncells_all ? ncells_all : 1, 1);
    /* hidden[] is per group: a group's n is one number under every
     * category, so hiding it once hides it everywhere. */
    p20w_status rc = assign_groups(x, f);
    int changed = 1;
    if (!hidden || rc != P20W_OK) {
        p20w_free(hidden);
        return P20W_ENOMEM;
    }
    while (changed && rc == P20W_OK) {
        changed = 0;
        x->stats->rounds++;
        for (size_t k = 0; k < f->tables.len && rc == P20W_OK; k++) {
            ptable *pt = (ptable *)f->tables.data + k;
            size_t n = disclose_table_cells(pt->t);
            unsigned char *force, *keep;
            disclose_opts o = {0};
            if (pt->withheld)
                continue;
            if (pt->r != NULL && !stale(x, pt, hidden))
                continue; /* nothing it shows was hidden elsewhere */
            force = p20w_calloc(n, 1);
            if (!force) {
                rc = P20W_ENOMEM;
                break;
            }
            keep = p20w_malloc(n);
            if (!keep) {
                p20w_free(force);
                rc = P20W_ENOMEM;
                break;
            }
            /* margins are cells of other tables (the state total, a race
             * group beside race x sex): hidden there only as a last
             * resort, so totals stay readable */
            for (size_t i = 0; i < n; i++) {
                force[i] = hidden[cellp(x, pt->cell[i])->group];
                keep[i] = (unsigned char)disclose_table_is_margin(pt->t, i);
            }
            o.no_complementary = x->opts && x->opts->no_complementary;
            o.force_hide = force;
            o.prefer_show = keep;
            disclose_result_free(pt->r);
            pt->r = NULL;
            rc = disclose_run(&x->dp, pt->t, &o, &pt->r, err);
            /* A breakdown that can only be protected by hiding one of its
             * margins (the state total, a race group's rate) is withheld
             * as a whole instead: not published, so nothing of it needs
             * protecting, and the totals every other table shows stay. */
            for (size_t i = 0; rc == P20W_OK && i < n && !o.no_complementary;
                 i++)
                if (keep[i] && !force[i] &&
                    disclose_result_cell(pt->r, i)->status == DISCLOSE_C)
                    pt->withheld = 1;
            p20w_free(force);
            p20w_free(keep);
            if (rc != P20W_OK)
                break;
            if (pt->withheld) {
                x->stats->withheld++;
                continue;
            }
            for (size_t i = 0; i < n; i++) {
                const disclose_cell *c = disclose_result_cell(pt->r, i);
                size_t g = cellp(x, pt->cell[i])->group;
                if (!c->show_n && !hidden[g]) {
                    hidden[g] = 1;
                    changed = 1;
                }
            }
        }
        if (x->opts && x->opts->no_complementary)
            break;
    }
    /* each cell: the most hidden version any table gives it */
    for (size_t k = 0; k < f->tables.len && rc == P20W_OK; k++) {
        ptable *pt = (ptable *)f->tables.data + k;
        size_t n = disclose_table_cells(pt->t);
        if (pt->withheld)
            continue;
        for (size_t i = 0; i < n; i++) {
            pcell *c = (pcell *)x->cells.data + pt->cell[i];
            const disclose_cell *d = disclose_result_cell(pt->r, i);
            if (!c->seen || hidden_rank(d) > hidden_rank(&c->pub)) {
                c->pub = *d;
                c->seen = 1;
            }
        }
    }
    p20w_free(hidden);
    return rc;
}

/* Sets up family f over cells [first, first + count): lookups, rests,
 * tables. */
static p20w_status family_build(ctx *x, family *f, p20w_err *err)
{
    p20w_status rc;
    hmap *seen = NULL;
    vec_init(&f->tables, sizeof(ptable));
    vec_init(&f->cutinfo, sizeof(cutinfo));
    if ((rc = hmap_create(&f->by_key)) != P20W_OK ||
        (rc = hmap_create(&f->cuts)) != P20W_OK)
        return rc;
    f->has_num = 1;
    f->has_pct = 0;
    for (size_t i = f->first; i < f->first + f->count; i++) {
        pcell *c = (pcell *)x->cells.data + i;
        char *k = NULL;
        if (c->num < 0)
            f->has_num = 0;
        if (c->has_pct)
            f->has_pct = 1;
        if ((rc = fam_key(c->cat, c->key, &k)) != P20W_OK)
            return rc;
        rc = hmap_put_str(f->by_key, k, (void *)(intptr_t)(i + 1));
        p20w_free(k);
        if (rc != P20W_OK)
            return rc;
    }
    if ((rc = index_cuts(x, f, f->first)) != P20W_OK)
        return rc;
    if ((rc = add_rests(x, f, err)) != P20W_OK)
        return rc;
    if ((rc = hmap_create(&seen)) != P20W_OK)
        return rc;
    /* one table per single cut and per two-way cut, per category */
    for (size_t i = f->first; i < f->first + f->count && rc == P20W_OK; i++) {
        pcell *c = (pcell *)x->cells.data + i;
        char sig[256];
        if (c->npair == 0 || c->npair > 2)
            continue;
        snprintf(sig, sizeof sig, "%s\x1f%s\x1f%s", c->cat, c->name[0],
                 c->npair == 2 ? c->name[1] : "");
        if (hmap_get_str(seen, sig, NULL))
            continue;
        if ((rc = hmap_put_str(seen, sig, NULL)) != P20W_OK)
            break;
        int64_t ti = fam_find(f, c->cat, "");
        if (ti < 0)
            continue; /* no state total: nothing to anchor the table */
        pcell total = *((pcell *)x->cells.data + ti);
        char a[64], b[64];
        snprintf(a, sizeof a, "%s", c->name[0]);
        snprintf(b, sizeof b, "%s", c->npair == 2 ? c->name[1] : "");
        rc = build_table(x, f, &total, a, c->npair == 2 ? b : NULL, err);
        f->count = x->cells.len - f->first;
    }
    hmap_free(seen);
    x->stats->tables += f->tables.len;
    return rc;
}

/* Calls fn on every family (indicator, year) of the cube. */
static p20w_status each_family(ctx *x,
                               p20w_status (*fn)(ctx *, family *, p20w_err *),
                               p20w_err *err)
{
    size_t base = x->cells.len, i = 0;
    p20w_status rc = P20W_OK;
    while (i < base && rc == P20W_OK) {
        const pcell *c = (const pcell *)x->cells.data + i;
        size_t j = i + 1;
        while (j < base && ((const pcell *)x->cells.data)[j].year == c->year &&
               strcmp(((const pcell *)x->cells.data)[j].indicator,
                      c->indicator) == 0)
            j++;
        /* virtual cells of this family are appended at the end: move
         * the family there so its cells stay one range. */
        family f;
        memset(&f, 0, sizeof f);
        size_t start = x->cells.len;
        for (size_t k = i; k < j && rc == P20W_OK; k++) {
            pcell copy = ((pcell *)x->cells.data)[k];
            rc = vec_push(&x->cells, &copy);
            if (rc == P20W_OK)
                memset((pcell *)x->cells.data + k, 0, sizeof(pcell));
        }
        f.first = start;
        f.count = x->cells.len - start;
        x->stats->families++;
        if (rc == P20W_OK)
            rc = family_build(x, &f, err);
        if (rc == P20W_OK)
            rc = fn(x, &f, err);
        family_free(&f);
        i = j;
    }
    return rc;
}

/* ---- publishing -------------------------------------------------------- */

static p20w_status write_family(ctx *x, family *f, p20w_err *err)
{
    p20w_status rc = protect_family(x, f, err);
    store_stmt *s = NULL;
    char now[32];
    int row;
    if (rc != P20W_OK)
        return rc;
    date_now_iso(now);
    rc = store_prepare(
        x->db,
        "INSERT INTO published_cells (cell_id, status, value, label, "
        "pooled_years, published_at, show_n, shown_n, show_numerator, "
        "shown_numerator, has_rate, rate_lo, rate_hi, show_pct) "
        "VALUES (?, ?, ?, ?, NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        &s, err);
    for (size_t i = f->first; i < f->first + f->count && rc == P20W_OK; i++) {
        const pcell *c = (const pcell *)x->cells.data + i;
        const disclose_cell *d = &c->pub;
        char st[2] = {0, 0};
        if (!c->seen)
            continue; /* a cell in no table: cut by more than two dims */
        st[0] = d->status;
        store_reset(s);
        rc = store_bind_int64(s, 1, c->cell_id, err);
        if (rc == P20W_OK)
            rc = store_bind_text(s, 2, st, 1, err);
        if (rc == P20W_OK) {
            if (d->status == DISCLOSE_S || d->status == DISCLOSE_C)
                rc = store_bind_null(s, 3, err);
            else if (d->has_rate && d->rate_lo == d->rate_hi)
                rc = store_bind_double(s, 3, d->rate_lo, err);
            else if (!d->has_rate && d->show_n)
                rc = store_bind_double(s, 3, (double)d->n, err);
            else
                rc = store_bind_null(s, 3, err);
        }
        if (rc == P20W_OK)
            rc = store_bind_text(s, 4, d->label, (size_t)-1, err);
        if (rc == P20W_OK)
            rc = store_bind_text(s, 5, now, (size_t)-1, err);
        if (rc == P20W_OK)
            rc = store_bind_int64(s, 6, d->show_n, err);
        if (rc == P20W_OK)
            rc = d->show_n ? store_bind_int64(s, 7, d->n, err)
                           : store_bind_null(s, 7, err);
        if (rc == P20W_OK)
            rc = store_bind_int64(s, 8, d->show_numerator, err);
        if (rc == P20W_OK)
            rc = d->show_numerator ? store_bind_int64(s, 9, d->numerator, err)
                                   : store_bind_null(s, 9, err);
        if (rc == P20W_OK)
            rc = store_bind_int64(s, 10, d->has_rate, err);
        if (rc == P20W_OK)
            rc = d->has_rate ? store_bind_double(s, 11, d->rate_lo, err)
                             : store_bind_null(s, 11, err);
        if (rc == P20W_OK)
            rc = d->has_rate ? store_bind_double(s, 12, d->rate_hi, err)
                             : store_bind_null(s, 12, err);
        if (rc == P20W_OK)
            rc = store_bind_int64(s, 13, d->show_pct, err);
        if (rc == P20W_OK)
            rc = store_step(s, &row, err);
        if (rc == P20W_OK) {
            const char *codes = "PSCBLN";
            const char *hit = strchr(codes, d->status);
            if (hit)
                x->stats->status[hit - codes]++;
        }
    }
    store_finalize(s);
    return rc;
}

static p20w_status start(ctx *x, store *db, const p20w_profile *prof,
                         publish_stats *stats, p20w_err *err)
{
    memset(x, 0, sizeof *x);
    memset(stats, 0, sizeof *stats);
    x->db = db;
    x->prof = prof;
    x->stats = stats;
    to_disclose_profile(prof, &x->dp);
    vec_init(&x->cells, sizeof(pcell));
    p20w_status rc = disclose_profile_check(&x->dp, err);
    if (rc == P20W_OK)
        rc = read_cells(x, err);
    if (rc == P20W_OK && x->cells.len == 0 && stats->unpublished == 0)
        rc = p20w_err_set(err, P20W_ENOTFOUND,
                          "no cube for profile '%s': run 'p20w build' first",
                          prof->name);
    stats->cells = x->cells.len;
    return rc;
}

p20w_status publish_cube(store *db, const p20w_profile *prof,
                         const publish_opts *opts, publish_stats *stats,
                         p20w_err *err)
{
    ctx x;
    store_stmt *s = NULL;
    int row;
    p20w_status rc = store_begin(db, err);
    if (rc != P20W_OK)
        return rc;
    rc = start(&x, db, prof, stats, err);
    x.opts = opts;
    /* the previous publication and its added cells go first */
    if (rc == P20W_OK)
        rc = store_prepare(db,
                           "DELETE FROM published_cells WHERE cell_id IN "
                           "(SELECT cell_id FROM cube_cells WHERE profile = ?)",
                           &s, err);
    if (rc == P20W_OK)
        rc = store_bind_text(s, 1, prof->name, (size_t)-1, err);
    if (rc == P20W_OK)
        rc = store_step(s, &row, err);
    store_finalize(s);
    s = NULL;
    if (rc == P20W_OK)
        rc =
            store_prepare(db,
                          "DELETE FROM cube_cells WHERE profile = ? AND "
                          "dims_json LIKE '%\"" VIRTUAL_MARK "\":\"publish\"%'",
                          &s, err);
    if (rc == P20W_OK)
        rc = store_bind_text(s, 1, prof->name, (size_t)-1, err);
    if (rc == P20W_OK)
        rc = store_step(s, &row, err);
    store_finalize(s);
    if (rc == P20W_OK) {
        cells_free(&x.cells);
        vec_init(&x.cells, sizeof(pcell));
        stats->unpublished = 0;
        rc = read_cells(&x, err);
        stats->cells = x.cells.len;
    }
    if (rc == P20W_OK)
        rc = each_family(&x, write_family, err);
    if (rc == P20W_OK)
        rc = store_commit(db, err);
    else
        store_rollback(db, NULL);
    cells_free(&x.cells);
    return rc;
}

/* ---- the audit --------------------------------------------------------- */

static p20w_status read_published(ctx *x, p20w_err *err)
{
    store_stmt *s = NULL;
    hmap *by_id = NULL;
    p20w_status rc = hmap_create(&by_id);
    int row;
    for (size_t i = 0; i < x->cells.len && rc == P20W_OK; i++) {
        pcell *c = (pcell *)x->cells.data + i;
        rc = hmap_put(by_id, &c->cell_id, sizeof c->cell_id,
                      (void *)(intptr_t)(i + 1));
    }
    if (rc == P20W_OK)
        rc = store_prepare(
            x->db,
            "SELECT p.cell_id, p.status, p.label, p.show_n, p.shown_n, "
            "p.show_numerator, p.shown_numerator, p.has_rate, p.rate_lo, "
            "p.rate_hi, p.show_pct FROM published_cells p "
            "JOIN cube_cells c USING (cell_id) WHERE c.profile = ?",
            &s, err);
    if (rc == P20W_OK)
        rc = store_bind_text(s, 1, x->prof->name, (size_t)-1, err);
    while (rc == P20W_OK && (rc = store_step(s, &row, err)) == P20W_OK && row) {
        int64_t id = store_column_int64(s, 0);
        void *v;
        if (!hmap_get(by_id, &id, sizeof id, &v))
            continue;
        pcell *c = (pcell *)x->cells.data + ((intptr_t)v - 1);
        disclose_cell *d = &c->pub;
        memset(d, 0, sizeof *d);
        d->status = store_column_text(s, 1)[0];
        snprintf(d->label, sizeof d->label, "%s", store_column_text(s, 2));
        d->show_n = (int)store_column_int64(s, 3);
        d->n = (long)store_column_int64(s, 4);
        d->show_numerator = (int)store_column_int64(s, 5);
        d->numerator = (long)store_column_int64(s, 6);
        d->has_rate = (int)store_column_int64(s, 7);
        d->rate_lo = store_column_double(s, 8);
        d->rate_hi = store_column_double(s, 9);
        d->show_pct = (int)store_column_int64(s, 10);
        c->seen = 1;
    }
    store_finalize(s);
    hmap_free(by_id);
    return rc;
}

static const char *quantity_name(int q)
{
    return q == DISCLOSE_Q_N           ? "n"
           : q == DISCLOSE_Q_NUMERATOR ? "numerator"
                                       : "n - numerator";
}

static const char *reason_name(int r)
{
    switch (r) {
    case DISCLOSE_F_INTERVAL:
        return "interval too narrow";
    case DISCLOSE_F_PINNED:
        return "pinned exactly";
    case DISCLOSE_F_SINGLE:
        return "only suppressed cell of its line";
    case DISCLOSE_F_ZEROS:
        return "suppressed cells of its line all zero";
    case DISCLOSE_F_SMALL:
        return "published count below min_n";
    case DISCLOSE_F_EXTREME:
        return "0 % or 100 % published";
    case DISCLOSE_F_PCT:
        return "percentiles below min_n_percentile";
    default:
        return "failure";
    }
}

static p20w_status audit_family(ctx *x, family *f, p20w_err *err)
{
    p20w_status rc = P20W_OK;
    for (size_t k = 0; k < f->tables.len && rc == P20W_OK; k++) {
        ptable *pt = (ptable *)f->tables.data + k;
        size_t n = disclose_table_cells(pt->t);
        disclose_result *r = NULL;
        disclose_failure *fails = NULL;
        size_t nf = 0;
        int withheld = 0;
        for (size_t i = 0; i < n && !withheld; i++)
            withheld = !disclose_table_is_margin(pt->t, i) &&
                       !((const pcell *)x->cells.data + pt->cell[i])->seen;
        if (withheld) {
            x->stats->withheld++;
            continue; /* not published: nothing to attack */
        }
        if ((rc = disclose_result_new(n, &r)) != P20W_OK)
            break;
        for (size_t i = 0; i < n; i++) {
            const pcell *c = (const pcell *)x->cells.data + pt->cell[i];
            if (c->seen)
                disclose_result_set(r, i, &c->pub);
        }
        rc = disclose_audit(&x->dp, pt->t, r, &fails, &nf, err);
        for (size_t j = 0; j < nf && rc == P20W_OK; j++) {
            const pcell *c =
                (const pcell *)x->cells.data + pt->cell[fails[j].cell];
            x->stats->failures++;
            if (x->out)
                fprintf(x->out,
                        "FAIL %s %d [%s]%s%s: %s %s (true %.0f, attacker "
                        "proves [%.1f, %.1f])\n",
                        c->indicator, (int)c->year,
                        c->key[0] ? c->key : "state", c->cat[0] ? " " : "",
                        c->cat, quantity_name(fails[j].quantity),
                        reason_name(fails[j].reason), fails[j].value,
                        fails[j].lo, fails[j].hi);
        }
        p20w_free(fails);
        disclose_result_free(r);
    }
    return rc;
}

p20w_status publish_audit(store *db, const p20w_profile *prof, FILE *out,
                          publish_stats *stats, p20w_err *err)
{
    ctx x;
    p20w_status rc = start(&x, db, prof, stats, err);
    if (rc == P20W_OK)
        rc = read_published(&x, err);
    x.out = out;
    if (rc == P20W_OK)
        rc = each_family(&x, audit_family, err);
    cells_free(&x.cells);
    return rc;
}
