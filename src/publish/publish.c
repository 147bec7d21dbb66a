/*
 * publish.c — protecting the cube and writing the published cells
 * (publish.h).
 *
 * Flow, one indicator at a time: read every cube cell of the profile; sort
 * the indicator's cells into families (one per year); per family build
 * one disclose_table per published table (publish.h), protect each with
 * the cells other tables hid forced hidden, repeat until nothing new is
 * hidden, then audit the family's tables together (one unknown per shared
 * cell) and hide more until that audit passes; then pool (3-year cells for
 * suppressed cells, audited with every year of the indicator); then write.
 *
 * Cells a table needs but the cube does not hold — a combination nobody
 * falls in, the "not reported" rest of a cut, a share's group total — are
 * added to the cube as cells of their own (dims_json "added_by":"publish"),
 * so everything the audit reasons about is a real, published cell. Cells
 * publish only reasons about (the sum of a share table's small rows, a
 * pooled year) live in memory: cell_id 0.
 */
#include "publish/publish.h"

#include <jansson.h>
#include <math.h>
#include <stdint.h>
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

/* dims_json of the cells publish adds: a re-publication deletes and
 * re-creates them. */
#define VIRTUAL_MARK "added_by"

/* A dims value of the rest of a cut: people the cut does not place. */
#define REST_VALUE "~"

/* The value standing for the collapsed small rows (or categories) of a
 * share table: never written anywhere. */
#define SMALL_VALUE "\x01"

/* A share table with more interior cells than this, once its small rows
 * are collapsed, is not published: a distribution over 80 occupations by
 * 110 program families is almost all suppressed, and protecting it costs
 * more than every other table of its indicator together. */
#define SHARE_MAX_CELLS 4096

typedef struct pcell {
    int64_t cell_id; /* 0: in memory only */
    char *indicator;
    int32_t year;
    char *cat;      /* required dims "name=value;..." ("" none) */
    char *key;      /* the other dims (not category), sorted: "a=x;b=y" */
    char *category; /* a share's category; "" for totals and other stats */
    int npair;
    char *name[MAX_PAIRS];
    char *value[MAX_PAIRS];
    long n, num; /* the table's values: a share's count is n, num -1 */
    long den;    /* a share's group total (the cube's denominator) */
    int has_pct;
    double pct[NPCT];
    unsigned char added;  /* created by publish (virtual or in memory) */
    long parts, maxpart;  /* a collapsed cell: see disclose_set_parts */
    disclose_cell pub;    /* what is published */
    int seen;             /* pub set by some table */
    disclose_cell single; /* pub before pooling (an L cell's own) */
    int32_t pool_first;   /* L: the first year pooled */
    long pool_den;        /* L share: the pooled group total */
    int pool_den_shown;
} pcell;

typedef struct ptable {
    int withheld; /* not published: protecting it would hide a margin */
    disclose_table *t;
    int64_t *cell; /* per table cell: index into the cells vec */
    disclose_result *r;
    vec members; /* int64_t: cells inside collapsed cells, published S */
} ptable;

typedef struct family {
    int32_t year;
    vec cells; /* size_t: its cells (indices into x->cells) */
    int has_num, has_pct, share;
    hmap *by_key; /* "cat\x1fkey\x1fcategory" -> cell index + 1 */
    vec tables;   /* ptable */
} family;

typedef struct ctx {
    store *db;
    const p20w_profile *prof;
    disclose_profile dp;
    vec cells;   /* pcell */
    size_t base; /* first cell of the indicator in hand */
    publish_stats *stats;
    const publish_opts *opts;
    FILE *out;  /* the audit's failure lines, or NULL */
    int replay; /* the audit: never writes */
    vec ucats;  /* char *: "cat\x1fcategory" of every state share cell of
                   the indicator, any year (a share table's categories) */
} ctx;

static pcell *cellp(const ctx *x, int64_t i)
{
    return (pcell *)x->cells.data + i;
}

static void pcell_free(pcell *c)
{
    p20w_free(c->indicator);
    p20w_free(c->cat);
    p20w_free(c->key);
    p20w_free(c->category);
    for (int i = 0; i < c->npair; i++) {
        p20w_free(c->name[i]);
        p20w_free(c->value[i]);
    }
    memset(c, 0, sizeof *c);
}

static void cells_truncate(vec *v, size_t len)
{
    for (size_t i = len; i < v->len; i++)
        pcell_free((pcell *)v->data + i);
    if (len < v->len)
        v->len = len;
}

static void cells_free(vec *v)
{
    cells_truncate(v, 0);
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

static int is_share_ind(const char *indicator)
{
    const measure_indicator *ind = measure_find(indicator);
    return ind != NULL && ind->stat == MS_SHARE;
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
 * is no total across it). A share's "category" goes to c->category. */
static p20w_status parse_dims(pcell *c, const char *dims, uint64_t required,
                              p20w_err *err)
{
    size_t catat = 0;
    pair p[MAX_PAIRS + 2] = {{0}};
    int np = 0;
    const char *s = dims;
    while (*s) {
        const char *end = strchr(s, ';');
        const char *eq;
        size_t len = end ? (size_t)(end - s) : strlen(s);
        eq = memchr(s, '=', len);
        if (!eq || eq == s || np == MAX_PAIRS + 2)
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
    if (np > 1)
        qsort(p, (size_t)np, sizeof p[0], cmp_pair);
    size_t keylen = 0;
    for (int i = 0; i < np; i++)
        keylen += p[i].nlen + p[i].vlen + 2;
    if (!(c->key = p20w_malloc(keylen + 1)) ||
        !(c->cat = p20w_malloc(keylen + 1)) ||
        !(c->category = p20w_malloc(keylen + 1)))
        return P20W_ENOMEM;
    c->key[0] = 0;
    c->cat[0] = 0;
    c->category[0] = 0;
    size_t at = 0;
    for (int i = 0; i < np; i++) {
        char name[64];
        int d;
        snprintf(name, sizeof name, "%.*s", (int)p[i].nlen, p[i].name);
        d = measure_dim_find(name);
        if (strcmp(name, "category") == 0) {
            snprintf(c->category, keylen + 1, "%.*s", (int)p[i].vlen,
                     p[i].value);
            continue;
        }
        if (d >= 0 && (required >> d) & 1) {
            catat += (size_t)snprintf(c->cat + catat, keylen + 1 - catat,
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

/* Reads the current row of s (see read_indicator) into a new cell. */
static p20w_status read_row(ctx *x, store_stmt *s, p20w_err *err)
{
    pcell *c = vec_push_zero(&x->cells);
    if (!c)
        return P20W_ENOMEM;
    c->cell_id = store_column_int64(s, 0);
    c->indicator = p20w_strdup(store_column_text(s, 1));
    c->year = (int32_t)store_column_int64(s, 2);
    c->added = store_column_int64(s, 10) != 0;
    if (!c->indicator)
        return P20W_ENOMEM;
    const measure_indicator *ind = measure_find(c->indicator);
    p20w_status rc = parse_dims(c, store_column_text(s, 3),
                                ind ? ind->required_dims : 0, err);
    if (rc != P20W_OK)
        return rc;
    int share = ind != NULL && ind->stat == MS_SHARE;
    long num = store_column_is_null(s, 5)
                   ? -1
                   : (long)llround(store_column_double(s, 5));
    long den = store_column_is_null(s, 6)
                   ? -1
                   : (long)llround(store_column_double(s, 6));
    if (share && c->category[0]) {
        /* a share: its count, over its group's total */
        c->n = num < 0 ? 0 : num;
        c->num = -1;
        c->den = den < 0 ? 0 : den;
    } else if (share) {
        /* a group's total (added by publish) */
        c->n = den >= 0 ? den : (long)store_column_int64(s, 4);
        c->num = -1;
    } else {
        /* The table's n: a rate's denominator, else the count. */
        c->n = den >= 0 ? den : (long)store_column_int64(s, 4);
        c->num = num;
    }
    if (!store_column_is_null(s, 8)) {
        c->has_pct = 1;
        c->pct[0] = store_column_double(s, 7);
        c->pct[1] = store_column_double(s, 8);
        c->pct[2] = store_column_double(s, 9);
    }
    return P20W_OK;
}

/* ---- families ---------------------------------------------------------- */

static char *fam_key(const char *cat, const char *key, const char *category)
{
    size_t a = strlen(cat), b = strlen(key), c = strlen(category);
    char *k = p20w_malloc(a + b + c + 3);
    if (!k)
        return NULL;
    memcpy(k, cat, a);
    k[a] = '\x1f';
    memcpy(k + a + 1, key, b);
    k[a + 1 + b] = '\x1f';
    memcpy(k + a + b + 2, category, c + 1);
    return k;
}

/* The cell (cat, key, category) of family f: its index, -1 when none, -2
 * out of memory. */
static int64_t fam_find(const family *f, const char *cat, const char *key,
                        const char *category)
{
    char *k = fam_key(cat, key, category);
    void *v;
    int64_t idx = -1;
    if (!k)
        return -2;
    if (hmap_get_str(f->by_key, k, &v))
        idx = (int64_t)(intptr_t)v - 1;
    p20w_free(k);
    return idx;
}

static p20w_status fam_add(family *f, const pcell *c, size_t idx)
{
    char *k = fam_key(c->cat, c->key, c->category);
    p20w_status rc;
    if (!k)
        return P20W_ENOMEM;
    rc = hmap_put_str(f->by_key, k, (void *)(intptr_t)(idx + 1));
    p20w_free(k);
    if (rc == P20W_OK)
        rc = vec_push(&f->cells, &idx);
    return rc;
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

/* Stores an added cell in cube_cells (a copy of `like`'s row but for its
 * dims and values); *id gets its cell_id. A share's cell stores its count
 * as numerator and its group total as denominator; a group's total only
 * its denominator. */
static p20w_status store_virtual(ctx *x, const family *f, const pcell *like,
                                 const char *key, const char *cat,
                                 const char *category, long n, long num,
                                 long den, int64_t *id, p20w_err *err)
{
    store_stmt *s = NULL;
    p20w_status rc;
    int row;
    char *json = NULL;
    char dims_names[256];
    size_t dl = strlen(key) + strlen(cat) + strlen(category) + 16;
    char *dims = p20w_malloc(dl);
    if (!dims)
        return P20W_ENOMEM;
    snprintf(dims, dl, "%s%s%s%s%s%s", key, key[0] && cat[0] ? ";" : "", cat,
             category[0] && (key[0] || cat[0]) ? ";" : "",
             category[0] ? "category=" : "", category);
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
    if (rc == P20W_OK && f->share && category[0]) {
        rc = store_bind_double(s, 3, (double)n, err);
        if (rc == P20W_OK)
            rc = store_bind_double(s, 4, (double)den, err);
        if (rc == P20W_OK && den > 0)
            rc = store_bind_double(s, 5, (double)n / (double)den, err);
    } else if (rc == P20W_OK && f->share) {
        rc = store_bind_double(s, 4, (double)n, err);
    } else if (rc == P20W_OK && f->has_num) {
        rc = store_bind_double(s, 3, (double)num, err);
        if (rc == P20W_OK)
            rc = store_bind_double(s, 4, (double)n, err);
        if (rc == P20W_OK && n > 0)
            rc = store_bind_double(s, 5, (double)num / (double)n, err);
    }
    if (rc == P20W_OK)
        rc = store_bind_int64(s, 6, f->share && category[0] ? den : n, err);
    if (rc == P20W_OK)
        rc = store_bind_text(s, 7, dims_names, (size_t)-1, err);
    if (rc == P20W_OK)
        rc = store_bind_int64(s, 8, like->cell_id, err);
    if (rc == P20W_OK)
        rc = store_step(s, &row, err);
    store_finalize(s);
    p20w_free(dims);
    free(json);
    if (rc == P20W_OK)
        *id = store_last_insert_id(x->db);
    return rc;
}

/* Adds a cell the cube does not hold to the family: stored (see
 * store_virtual) unless the family lives in memory or this is the audit.
 * `like` is the index of any stored cell of the family. */
static p20w_status add_cell(ctx *x, family *f, int64_t like, const char *cat,
                            const char *key, const char *category, long n,
                            long num, long den, int mem, int64_t *idx,
                            p20w_err *err)
{
    p20w_status rc = P20W_OK;
    int64_t id = 0;
    pcell c;
    memset(&c, 0, sizeof c);
    if (!mem && !x->replay && cellp(x, like)->cell_id > 0)
        rc = store_virtual(x, f, cellp(x, like), key, cat, category, n, num,
                           den, &id, err);
    if (rc != P20W_OK)
        return rc;
    c.cell_id = id;
    c.year = f->year;
    c.added = 1;
    c.n = n;
    c.num = f->has_num ? num : -1;
    c.den = den;
    c.indicator = p20w_strdup(cellp(x, like)->indicator);
    c.cat = p20w_strdup(cat);
    c.category = p20w_strdup(category);
    if (!c.indicator || !c.cat || !c.category) {
        pcell_free(&c);
        return P20W_ENOMEM;
    }
    {
        pcell tmp;
        memset(&tmp, 0, sizeof tmp);
        rc = parse_dims(&tmp, key, 0, err);
        c.key = tmp.key;
        c.npair = tmp.npair;
        for (int i = 0; i < tmp.npair; i++) {
            c.name[i] = tmp.name[i];
            c.value[i] = tmp.value[i];
        }
        p20w_free(tmp.cat);
        p20w_free(tmp.category);
        if (rc != P20W_OK) {
            pcell_free(&c);
            return rc;
        }
    }
    if ((rc = vec_push(&x->cells, &c)) != P20W_OK) {
        pcell_free(&c);
        return rc;
    }
    *idx = (int64_t)x->cells.len - 1;
    return fam_add(f, &c, (size_t)*idx);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* ---- building the tables ----------------------------------------------- */

/* Shares: every group (cat, key) gets its total, the share's
 * denominator, as a cell of its own (category ""). */
static p20w_status add_group_totals(ctx *x, family *f, p20w_err *err)
{
    size_t n0 = f->cells.len;
    p20w_status rc = P20W_OK;
    for (size_t k = 0; k < n0 && rc == P20W_OK; k++) {
        size_t i = ((size_t *)f->cells.data)[k];
        const pcell *c = cellp(x, (int64_t)i);
        if (!c->category[0])
            continue;
        int64_t g = fam_find(f, c->cat, c->key, "");
        if (g == -2)
            return P20W_ENOMEM;
        if (g >= 0) {
            if (cellp(x, g)->n != c->den)
                return p20w_err_set(err, P20W_EINVAL,
                                    "publish: %s %d: the shares of group "
                                    "'%s' have different totals",
                                    c->indicator, (int)c->year, c->key);
            continue;
        }
        char *cat = p20w_strdup(c->cat), *key = p20w_strdup(c->key);
        long den = c->den;
        if (!cat || !key)
            rc = P20W_ENOMEM;
        else
            rc = add_cell(x, f, (int64_t)i, cat, key, "", den, -1, den, 0, &g,
                          err);
        p20w_free(cat);
        p20w_free(key);
    }
    return rc;
}

/* Every category the indicator has in any year gets a state cell in
 * every year (0 where nobody falls in it), so each year's distribution
 * lists the same categories: a category missing from a year would say
 * "0 %" without saying it. */
static p20w_status add_categories(ctx *x, family *f, p20w_err *err)
{
    p20w_status rc = P20W_OK;
    for (size_t k = 0; k < x->ucats.len && rc == P20W_OK; k++) {
        const char *u = ((char **)x->ucats.data)[k];
        const char *sep = strchr(u, '\x1f');
        char cat[256];
        snprintf(cat, sizeof cat, "%.*s", (int)(sep - u), u);
        int64_t t = fam_find(f, cat, "", ""), c, idx;
        if (t == -2)
            return P20W_ENOMEM;
        c = t >= 0 ? fam_find(f, cat, "", sep + 1) : 0;
        if (c == -2)
            return P20W_ENOMEM;
        if (t < 0 || c >= 0)
            continue; /* no such group this year, or already there */
        rc = add_cell(x, f, t, cat, "", sep + 1, 0, -1, cellp(x, t)->n, 0, &idx,
                      err);
    }
    return rc;
}

/* The categories of `cat` (shares: those of its state cells), sorted;
 * pointers owned by the cells. */
static p20w_status categories_of(ctx *x, const family *f, const char *cat,
                                 vec *out)
{
    for (size_t k = 0; k < f->cells.len; k++) {
        const pcell *c = cellp(x, (int64_t)((size_t *)f->cells.data)[k]);
        if (c->key[0] || !c->category[0] || c->parts > 0 ||
            strcmp(c->cat, cat) != 0)
            continue;
        const char *v = c->category;
        if (vec_push(out, &v) != P20W_OK)
            return P20W_ENOMEM;
    }
    if (out->len > 1)
        qsort(out->data, out->len, sizeof(char *), cmp_str);
    return P20W_OK;
}

/* The values of dimension `name` among the family's cells of `cat` cut by
 * it alone (category ""), sorted; pointers owned by the cells. */
static p20w_status axis_values(ctx *x, const family *f, const char *cat,
                               const char *name, vec *out)
{
    for (size_t k = 0; k < f->cells.len; k++) {
        const pcell *c = cellp(x, (int64_t)((size_t *)f->cells.data)[k]);
        if (c->npair != 1 || c->category[0] || c->parts > 0 ||
            strcmp(c->cat, cat) != 0 || strcmp(c->name[0], name) != 0)
            continue;
        const char *v = c->value[0];
        if (vec_push(out, &v) != P20W_OK)
            return P20W_ENOMEM;
    }
    if (out->len > 1)
        qsort(out->data, out->len, sizeof(char *), cmp_str);
    return P20W_OK;
}

typedef struct cutsum {
    long n, num;
    int has_rest;
} cutsum;

/* The rest of each single cut, as a cell of its own ("~"), so that the cut
 * adds up to the total: for shares under every category and the group
 * totals. */
static p20w_status add_rests(ctx *x, family *f, p20w_err *err)
{
    hmap *sums = NULL, *cuts = NULL;
    vec sv, cv;
    p20w_status rc = hmap_create(&sums);
    vec_init(&sv, sizeof(cutsum));
    vec_init(&cv, sizeof(size_t)); /* a cell of each cut (cat, name) */
    if (rc == P20W_OK)
        rc = hmap_create(&cuts);
    size_t n0 = f->cells.len;
    for (size_t k = 0; k < n0 && rc == P20W_OK; k++) {
        size_t i = ((size_t *)f->cells.data)[k];
        const pcell *c = cellp(x, (int64_t)i);
        char key[512];
        void *v;
        if (c->npair != 1)
            continue;
        snprintf(key, sizeof key, "%s\x1f%s", c->cat, c->name[0]);
        if (!hmap_get_str(cuts, key, NULL)) {
            rc = hmap_put_str(cuts, key, NULL);
            if (rc == P20W_OK)
                rc = vec_push(&cv, &i);
        }
        snprintf(key, sizeof key, "%s\x1f%s\x1f%s", c->cat, c->name[0],
                 c->category);
        cutsum *a;
        if (rc != P20W_OK)
            break;
        if (hmap_get_str(sums, key, &v)) {
            a = (cutsum *)sv.data + ((intptr_t)v - 1);
        } else {
            if (!(a = vec_push_zero(&sv))) {
                rc = P20W_ENOMEM;
                break;
            }
            rc = hmap_put_str(sums, key, (void *)(intptr_t)sv.len);
        }
        a->n += c->n;
        a->num += c->num > 0 ? c->num : 0;
        a->has_rest |= strcmp(c->value[0], REST_VALUE) == 0;
    }
    for (size_t k = 0; k < cv.len && rc == P20W_OK; k++) {
        const pcell *c0 = cellp(x, (int64_t)((size_t *)cv.data)[k]);
        char *cat = p20w_strdup(c0->cat), *name = p20w_strdup(c0->name[0]);
        vec cats;
        vec_init(&cats, sizeof(char *));
        const char *none = "";
        if (!cat || !name || vec_push(&cats, &none) != P20W_OK)
            rc = P20W_ENOMEM;
        if (rc == P20W_OK && f->share)
            rc = categories_of(x, f, cat, &cats);
        /* categories_of sorted all but the first: "" stays first */
        char rkey[512];
        snprintf(rkey, sizeof rkey, "%s=" REST_VALUE, name ? name : "");
        long rest_total = 0;
        for (size_t j = 0; j < cats.len && rc == P20W_OK; j++) {
            char *category = p20w_strdup(((char **)cats.data)[j]);
            char key[512];
            void *v;
            cutsum zero = {0, 0, 0}, *a = &zero;
            int64_t ti, idx;
            if (!category) {
                rc = P20W_ENOMEM;
                break;
            }
            ti = fam_find(f, cat, "", category);
            snprintf(key, sizeof key, "%s\x1f%s\x1f%s", cat, name, category);
            if (hmap_get_str(sums, key, &v))
                a = (cutsum *)sv.data + ((intptr_t)v - 1);
            if (ti >= 0) {
                const pcell *t = cellp(x, ti);
                long rn = t->n - a->n, rm = (t->num > 0 ? t->num : 0) - a->num;
                if (j == 0 && a->has_rest) {
                    int64_t g = fam_find(f, cat, rkey, "");
                    rest_total = g >= 0 ? cellp(x, g)->n : 0;
                }
                if (j == 0 && !a->has_rest)
                    rest_total = rn;
                if (!a->has_rest && (rn != 0 || rm != 0)) {
                    if (rn < 0 || rm < 0 || rm > rn)
                        rc = p20w_err_set(err, P20W_EINVAL,
                                          "publish: %s %d: cells cut by %s "
                                          "add up to more than the total",
                                          t->indicator, (int)t->year, name);
                    else
                        rc = add_cell(x, f, ti, cat, rkey, category, rn, rm,
                                      rest_total, 0, &idx, err);
                }
            }
            p20w_free(category);
        }
        vec_free(&cats);
        p20w_free(cat);
        p20w_free(name);
    }
    hmap_free(sums);
    hmap_free(cuts);
    vec_free(&sv);
    vec_free(&cv);
    return rc;
}

/* One axis of a table: a dimension's values (or the categories). */
typedef struct axis {
    const char *name; /* dimension name; NULL for the categories */
    vec vals;         /* const char *, sorted */
    hmap *idx;        /* value -> index + 1 */
    size_t small;     /* values collapsed (>= 2), else 0 */
    size_t *map;      /* full index -> reduced index (size + 1 entries) */
} axis;

static void axis_free(axis *a)
{
    vec_free(&a->vals);
    hmap_free(a->idx);
    p20w_free(a->map);
}

static p20w_status axis_index(axis *a)
{
    p20w_status rc = hmap_create(&a->idx);
    for (size_t j = 0; j < a->vals.len && rc == P20W_OK; j++)
        rc = hmap_put_str(a->idx, ((char **)a->vals.data)[j],
                          (void *)(intptr_t)(j + 1));
    return rc;
}

/* The key ("a=x;b=y", names sorted) and category of table coordinates co
 * (DISCLOSE_TOTAL: not cut). `small` marks coordinates standing for the
 * collapsed values. */
static void coord_key(const axis *ax, size_t nd, int share, const size_t *co,
                      const int *small, char *key, size_t cap,
                      const char **category)
{
    size_t nk = share ? nd - 1 : nd, at = 0;
    size_t order[2] = {0, 1};
    if (nk == 2 && strcmp(ax[0].name, ax[1].name) > 0) {
        order[0] = 1;
        order[1] = 0;
    }
    key[0] = 0;
    for (size_t k = 0; k < nk; k++) {
        size_t d = order[k];
        if (co[d] == DISCLOSE_TOTAL)
            continue;
        const char *v =
            small[d] ? SMALL_VALUE : ((char **)ax[d].vals.data)[co[d]];
        at += (size_t)snprintf(key + at, at < cap ? cap - at : 0, "%s%s=%s",
                               at ? ";" : "", ax[d].name, v);
    }
    *category = "";
    if (share && co[nd - 1] != DISCLOSE_TOTAL)
        *category = small[nd - 1] ? SMALL_VALUE
                                  : ((char **)ax[nd - 1].vals.data)[co[nd - 1]];
}

/* Fills the cells of the full table that the cube does not hold: a zero,
 * or (a "~" coordinate) the rest of its line, computed from the line's
 * total and other cells; rests of two "~" coordinates last. */
static p20w_status fill_missing(disclose_table *t, const int64_t *pc,
                                const axis *ax, size_t nk, int has_num)
{
    size_t ncells = disclose_table_cells(t), nd = disclose_table_dims(t);
    for (size_t pass = 0; pass <= nk; pass++) {
        for (size_t i = 0; i < ncells; i++) {
            size_t co[DISCLOSE_MAX_DIMS], rests = 0, rd = 0;
            if (pc[i] >= 0)
                continue;
            disclose_table_coord(t, i, co);
            for (size_t d = 0; d < nk; d++)
                if (co[d] != DISCLOSE_TOTAL &&
                    strcmp(((char **)ax[d].vals.data)[co[d]], REST_VALUE) ==
                        0) {
                    rests++;
                    rd = d;
                }
            if (rests != pass)
                continue;
            long n = 0, m = 0;
            if (pass > 0) {
                size_t c2[DISCLOSE_MAX_DIMS], j;
                memcpy(c2, co, sizeof c2);
                c2[rd] = DISCLOSE_TOTAL;
                disclose_table_index(t, c2, &j);
                n = disclose_table_n(t, j);
                m = disclose_table_numerator(t, j);
                for (size_t v = 0; v < disclose_table_size(t, rd); v++) {
                    if (v == co[rd])
                        continue;
                    c2[rd] = v;
                    disclose_table_index(t, c2, &j);
                    n -= disclose_table_n(t, j);
                    m -= disclose_table_numerator(t, j);
                }
            }
            if (n < 0 || m < 0 || (has_num && m > n))
                return P20W_EINVAL;
            disclose_table_set(t, i, n, m);
        }
    }
    (void)nd;
    return P20W_OK;
}

/* Builds the table of cut {a} (b == NULL) or {a, b} in `cat`, with the
 * category as the last dimension in a share family; a_name NULL (share
 * families): the state's distribution over the categories alone. */
static p20w_status build_table(ctx *x, family *f, const char *cat,
                               const char *a, const char *b, p20w_err *err)
{
    axis ax[3];
    size_t nk = a == NULL ? 0 : b == NULL ? 1 : 2;
    size_t nd = nk + (f->share ? 1 : 0);
    size_t size[3], rsize[3];
    disclose_table *full = NULL;
    int64_t *pc = NULL;
    ptable pt;
    p20w_status rc = P20W_OK;
    char key[1024];
    memset(ax, 0, sizeof ax);
    memset(&pt, 0, sizeof pt);
    vec_init(&pt.members, sizeof(int64_t));
    for (size_t d = 0; d < 3; d++)
        vec_init(&ax[d].vals, sizeof(char *));
    ax[0].name = a;
    ax[1].name = b;
    for (size_t d = 0; d < nk && rc == P20W_OK; d++)
        rc = axis_values(x, f, cat, ax[d].name, &ax[d].vals);
    if (rc == P20W_OK && f->share)
        rc = categories_of(x, f, cat, &ax[nk].vals);
    for (size_t d = 0; d < nd && rc == P20W_OK; d++) {
        if (ax[d].vals.len == 0)
            goto out; /* nothing cut by it in this family */
        size[d] = ax[d].vals.len;
        rc = axis_index(&ax[d]);
    }
    if (rc != P20W_OK || nd == 0)
        goto out;
    rc = disclose_table_new(nd, size, f->has_num, f->has_pct ? NPCT : 0, &full,
                            err);
    if (rc == P20W_ELIMIT) {
        x->stats->withheld++; /* too large to protect: not published */
        rc = P20W_OK;
        goto out;
    }
    if (rc != P20W_OK)
        goto out;
    size_t ncells = disclose_table_cells(full);
    if (!(pc = p20w_malloc(ncells * sizeof *pc))) {
        rc = P20W_ENOMEM;
        goto out;
    }
    for (size_t i = 0; i < ncells; i++)
        pc[i] = -1;
    /* the cells the family holds */
    for (size_t k = 0; k < f->cells.len; k++) {
        size_t ci = ((size_t *)f->cells.data)[k];
        const pcell *c = cellp(x, (int64_t)ci);
        size_t co[3] = {DISCLOSE_TOTAL, DISCLOSE_TOTAL, DISCLOSE_TOTAL};
        int fits = strcmp(c->cat, cat) == 0 && c->npair <= (int)nk &&
                   c->parts == 0 && !(c->category[0] && !f->share);
        void *v;
        for (int p = 0; fits && p < c->npair; p++) {
            size_t d = strcmp(c->name[p], a) == 0                ? 0
                       : b != NULL && strcmp(c->name[p], b) == 0 ? 1
                                                                 : 3;
            if (d == 3 || !hmap_get_str(ax[d].idx, c->value[p], &v))
                fits = 0;
            else
                co[d] = (size_t)(intptr_t)v - 1;
        }
        if (fits && f->share && c->category[0]) {
            if (hmap_get_str(ax[nk].idx, c->category, &v))
                co[nk] = (size_t)(intptr_t)v - 1;
            else
                fits = 0;
        }
        if (!fits)
            continue;
        size_t i;
        disclose_table_index(full, co, &i);
        pc[i] = (int64_t)ci;
        if (disclose_table_set(full, i, c->n, f->has_num ? c->num : 0) !=
            P20W_OK) {
            rc = p20w_err_set(err, P20W_EINVAL,
                              "publish: %s %d: a cell's numerator exceeds "
                              "its n",
                              c->indicator, (int)c->year);
            goto out;
        }
        if (f->has_pct && c->has_pct)
            disclose_table_set_pct(full, i, c->pct);
    }
    if (fill_missing(full, pc, ax, nk, f->has_num) != P20W_OK ||
        disclose_table_check(full, NULL) != P20W_OK) {
        rc = p20w_err_set(
            err, P20W_EINVAL,
            "publish: %s %d: cells cut by %s%s%s do not add "
            "up to their totals (the cube is not additive)",
            cellp(x, (int64_t)((size_t *)f->cells.data)[0])->indicator,
            (int)f->year, a ? a : "category", b ? "," : "", b ? b : "");
        goto out;
    }
    /* Shares: values whose whole slice is below min_n (every cell of it
     * suppressed) collapse into one, when there are two or more. */
    for (size_t d = 0; d < nd; d++) {
        size_t cnt = 0, co[3];
        if (!(ax[d].map = p20w_malloc((size[d] + 1) * sizeof *ax[d].map))) {
            rc = P20W_ENOMEM;
            goto out;
        }
        for (size_t v = 0; v < size[d]; v++) {
            size_t i;
            for (size_t e = 0; e < nd; e++)
                co[e] = DISCLOSE_TOTAL;
            co[d] = v;
            disclose_table_index(full, co, &i);
            ax[d].map[v] = f->share && disclose_table_n(full, i) < x->dp.min_n
                               ? SIZE_MAX
                               : cnt++;
        }
        rsize[d] = cnt;
        if (size[d] - cnt >= 2) {
            ax[d].small = size[d] - cnt;
            for (size_t v = 0; v < size[d]; v++)
                if (ax[d].map[v] == SIZE_MAX)
                    ax[d].map[v] = cnt;
            rsize[d] = cnt + 1;
        } else {
            cnt = 0;
            for (size_t v = 0; v < size[d]; v++)
                ax[d].map[v] = cnt++;
            rsize[d] = size[d];
        }
        ax[d].map[size[d]] = DISCLOSE_TOTAL;
    }
    /* a table whose every row (or category) is collapsed shows nothing
     * of its own: not a published table; nor is one too large */
    size_t interior = 1;
    for (size_t d = 0; d < nd; d++) {
        if (ax[d].small == size[d])
            goto out;
        interior *= rsize[d];
    }
    if (f->share && interior > SHARE_MAX_CELLS) {
        if (!x->replay)
            x->stats->withheld++;
        goto out;
    }
    rc = disclose_table_new(nd, rsize, f->has_num, f->has_pct ? NPCT : 0, &pt.t,
                            err);
    if (rc != P20W_OK)
        goto out;
    size_t rcells = disclose_table_cells(pt.t);
    long *parts = p20w_calloc(rcells, sizeof *parts);
    long *maxp = p20w_calloc(rcells, sizeof *maxp);
    size_t *rep = p20w_calloc(rcells, sizeof *rep);
    pt.cell = p20w_malloc(rcells * sizeof *pt.cell);
    if (!parts || !maxp || !rep || !pt.cell) {
        p20w_free(parts);
        p20w_free(maxp);
        p20w_free(rep);
        rc = P20W_ENOMEM;
        goto out;
    }
    for (size_t i = 0; i < ncells; i++) {
        size_t co[3], rco[3], ri;
        disclose_table_coord(full, i, co);
        for (size_t d = 0; d < nd; d++)
            rco[d] =
                co[d] == DISCLOSE_TOTAL ? DISCLOSE_TOTAL : ax[d].map[co[d]];
        disclose_table_index(pt.t, rco, &ri);
        long n = disclose_table_n(full, i);
        disclose_table_set(pt.t, ri, disclose_table_n(pt.t, ri) + n,
                           disclose_table_numerator(pt.t, ri) +
                               disclose_table_numerator(full, i));
        parts[ri]++;
        maxp[ri] = n > maxp[ri] ? n : maxp[ri];
        rep[ri] = i;
    }
    for (size_t ri = 0; ri < rcells && rc == P20W_OK; ri++) {
        size_t co[3];
        int small[3] = {0, 0, 0};
        const char *category;
        disclose_table_coord(pt.t, ri, co);
        for (size_t d = 0; d < nd; d++)
            small[d] = ax[d].small && co[d] == rsize[d] - 1;
        if (parts[ri] == 1) {
            size_t i = rep[ri];
            if (f->has_pct && pc[i] >= 0 && cellp(x, pc[i])->has_pct)
                disclose_table_set_pct(pt.t, ri, cellp(x, pc[i])->pct);
            if (pc[i] >= 0) {
                pt.cell[ri] = pc[i];
                continue;
            }
            /* a zero or a rest: added to the cube */
            size_t fco[3];
            disclose_table_coord(full, i, fco);
            int nos[3] = {0, 0, 0};
            coord_key(ax, nd, f->share, fco, nos, key, sizeof key, &category);
            long den = 0;
            if (f->share && category[0]) {
                size_t g;
                fco[nd - 1] = DISCLOSE_TOTAL;
                disclose_table_index(full, fco, &g);
                den = disclose_table_n(full, g);
            }
            int64_t like = (int64_t)((size_t *)f->cells.data)[0];
            char *cc = p20w_strdup(category);
            if (!cc) {
                rc = P20W_ENOMEM;
                break;
            }
            rc = add_cell(x, f, like, cat, key, cc, disclose_table_n(full, i),
                          disclose_table_numerator(full, i), den, 0,
                          &pt.cell[ri], err);
            p20w_free(cc);
            if (rc == P20W_OK)
                pc[i] = pt.cell[ri];
            continue;
        }
        /* a collapsed cell: one in-memory cell per key, shared by every
         * table that collapses the same values */
        coord_key(ax, nd, f->share, co, small, key, sizeof key, &category);
        int64_t ci = fam_find(f, cat, key, category);
        if (ci == -2) {
            rc = P20W_ENOMEM;
            break;
        }
        if (ci < 0) {
            int64_t like = (int64_t)((size_t *)f->cells.data)[0];
            rc = add_cell(x, f, like, cat, key, category,
                          disclose_table_n(pt.t, ri),
                          disclose_table_numerator(pt.t, ri), 0, 1, &ci, err);
            if (rc != P20W_OK)
                break;
            cellp(x, ci)->parts = parts[ri];
            cellp(x, ci)->maxpart = maxp[ri];
        }
        pt.cell[ri] = ci;
        rc = disclose_table_set_parts(pt.t, ri, parts[ri], maxp[ri]);
    }
    /* the cells inside collapsed ones that are published (as S): group
     * totals and the state's categories */
    for (size_t i = 0; i < ncells && rc == P20W_OK; i++) {
        size_t co[3], rco[3], ri;
        if (pc[i] < 0)
            continue;
        disclose_table_coord(full, i, co);
        for (size_t d = 0; d < nd; d++)
            rco[d] =
                co[d] == DISCLOSE_TOTAL ? DISCLOSE_TOTAL : ax[d].map[co[d]];
        disclose_table_index(pt.t, rco, &ri);
        const pcell *c = cellp(x, pc[i]);
        if (parts[ri] > 1 && (!c->category[0] || !c->key[0]))
            rc = vec_push(&pt.members, &pc[i]);
    }
    p20w_free(parts);
    p20w_free(maxp);
    p20w_free(rep);
    if (rc == P20W_OK && f->share)
        rc = disclose_table_set_share(pt.t, nd - 1, err);
    if (rc == P20W_OK && (rc = vec_push(&f->tables, &pt)) == P20W_OK) {
        pt.t = NULL;
        pt.cell = NULL;
        vec_init(&pt.members, sizeof(int64_t));
    }
out:
    disclose_table_free(full);
    disclose_table_free(pt.t);
    p20w_free(pt.cell);
    vec_free(&pt.members);
    p20w_free(pc);
    for (size_t d = 0; d < 3; d++)
        axis_free(&ax[d]);
    if (rc == P20W_ENOMEM)
        p20w_err_set(err, rc, "publish: out of memory");
    return rc;
}

/* ---- families ---------------------------------------------------------- */

static void family_free(family *f)
{
    for (size_t i = 0; i < f->tables.len; i++) {
        ptable *pt = (ptable *)f->tables.data + i;
        disclose_table_free(pt->t);
        disclose_result_free(pt->r);
        p20w_free(pt->cell);
        vec_free(&pt->members);
    }
    vec_free(&f->tables);
    vec_free(&f->cells);
    hmap_free(f->by_key);
    memset(f, 0, sizeof *f);
}

static p20w_status family_init(family *f, int32_t year)
{
    memset(f, 0, sizeof *f);
    f->year = year;
    vec_init(&f->cells, sizeof(size_t));
    vec_init(&f->tables, sizeof(ptable));
    return hmap_create(&f->by_key);
}

/* Sets up family f (its cells added with fam_add): group totals, rests,
 * tables: for a share family first the state's distribution, then one
 * table per single cut and per two-way cut, per value of the required
 * dimensions. */
static p20w_status family_build(ctx *x, family *f, p20w_err *err)
{
    p20w_status rc = P20W_OK;
    hmap *seen = NULL;
    if (f->cells.len == 0)
        return P20W_OK;
    f->share = is_share_ind(cellp(x, 0)->indicator);
    f->has_num = !f->share;
    f->has_pct = 0;
    for (size_t k = 0; k < f->cells.len; k++) {
        const pcell *c = cellp(x, (int64_t)((size_t *)f->cells.data)[k]);
        if (c->num < 0)
            f->has_num = 0;
        if (c->has_pct)
            f->has_pct = 1;
    }
    if (f->share)
        rc = add_group_totals(x, f, err);
    if (rc == P20W_OK && f->share)
        rc = add_categories(x, f, err);
    if (rc == P20W_OK)
        rc = add_rests(x, f, err);
    if (rc == P20W_OK)
        rc = hmap_create(&seen);
    size_t n0 = f->cells.len;
    for (size_t k = 0; k < n0 && rc == P20W_OK; k++) {
        const pcell *c = cellp(x, (int64_t)((size_t *)f->cells.data)[k]);
        char sig[512];
        if (c->npair > 2 || c->category[0] || (c->npair == 0 && !f->share))
            continue;
        snprintf(sig, sizeof sig, "%s\x1f%s\x1f%s", c->cat,
                 c->npair > 0 ? c->name[0] : "",
                 c->npair == 2 ? c->name[1] : "");
        if (hmap_get_str(seen, sig, NULL))
            continue;
        if ((rc = hmap_put_str(seen, sig, NULL)) != P20W_OK)
            break;
        if (fam_find(f, c->cat, "", "") < 0)
            continue; /* no state total: nothing to anchor the table */
        char cat[256], a[64], b[64];
        int np = c->npair;
        snprintf(cat, sizeof cat, "%s", c->cat);
        snprintf(a, sizeof a, "%s", np > 0 ? c->name[0] : "");
        snprintf(b, sizeof b, "%s", np == 2 ? c->name[1] : "");
        rc = build_table(x, f, cat, np > 0 ? a : NULL, np == 2 ? b : NULL, err);
    }
    hmap_free(seen);
    if (!x->replay)
        x->stats->tables += f->tables.len;
    return rc;
}

/* ---- sets of tables audited together ----------------------------------- */

typedef struct owner {
    size_t fam, tab;
} owner;

/* Every published table of some families, as one disclose_set: a cell is
 * one unknown wherever it appears (ids: cell index - base); pooled cells
 * (L) are sums over their years; the unpublished 3-year sums of small
 * suppressed cells beside them are protected. */
typedef struct jset {
    vec tabs;  /* const disclose_table * */
    vec ress;  /* const disclose_result * */
    vec ids;   /* size_t * (owned) */
    vec own;   /* owner */
    vec sums;  /* disclose_sum */
    vec refs;  /* disclose_ref */
    vec first; /* size_t: first ref of each sum */
    vec shown; /* disclose_cell, one per sum (status 0: not published) */
    vec cell;  /* int64_t: the year's cell of each sum */
    vec bad;   /* int64_t: L cells (or, for a 3-year sum, its year's
                  cell) whose other years are in no published table */
    size_t nid;
    size_t *wtab, *wcell; /* per id: the first table and cell showing it
                             (wtab SIZE_MAX: none) */
} jset;

static void jset_init(jset *j)
{
    memset(j, 0, sizeof *j);
    vec_init(&j->tabs, sizeof(const disclose_table *));
    vec_init(&j->ress, sizeof(const disclose_result *));
    vec_init(&j->ids, sizeof(size_t *));
    vec_init(&j->own, sizeof(owner));
    vec_init(&j->sums, sizeof(disclose_sum));
    vec_init(&j->refs, sizeof(disclose_ref));
    vec_init(&j->first, sizeof(size_t));
    vec_init(&j->shown, sizeof(disclose_cell));
    vec_init(&j->cell, sizeof(int64_t));
    vec_init(&j->bad, sizeof(int64_t));
}

static void jset_free(jset *j)
{
    for (size_t k = 0; k < j->ids.len; k++)
        p20w_free(((size_t **)j->ids.data)[k]);
    vec_free(&j->tabs);
    vec_free(&j->ress);
    vec_free(&j->ids);
    vec_free(&j->own);
    vec_free(&j->sums);
    vec_free(&j->refs);
    vec_free(&j->first);
    vec_free(&j->shown);
    vec_free(&j->cell);
    vec_free(&j->bad);
    p20w_free(j->wtab);
    p20w_free(j->wcell);
}

static p20w_status jset_add_family(ctx *x, jset *j, family *fams, size_t fi)
{
    family *f = &fams[fi];
    p20w_status rc = P20W_OK;
    for (size_t k = 0; k < f->tables.len && rc == P20W_OK; k++) {
        ptable *pt = (ptable *)f->tables.data + k;
        if (pt->withheld || pt->r == NULL)
            continue;
        size_t n = disclose_table_cells(pt->t);
        size_t *ids = p20w_malloc(n * sizeof *ids);
        owner o = {fi, k};
        if (!ids)
            return P20W_ENOMEM;
        for (size_t i = 0; i < n; i++)
            ids[i] = (size_t)pt->cell[i] - x->base;
        const disclose_table *t = pt->t;
        const disclose_result *r = pt->r;
        if ((rc = vec_push(&j->ids, &ids)) != P20W_OK) {
            p20w_free(ids);
            break;
        }
        if ((rc = vec_push(&j->tabs, &t)) == P20W_OK &&
            (rc = vec_push(&j->ress, &r)) == P20W_OK)
            rc = vec_push(&j->own, &o);
    }
    return rc;
}

/* Where each cell first appears among the set's tables. */
static p20w_status jset_locate(ctx *x, jset *j)
{
    j->nid = x->cells.len - x->base;
    j->wtab = p20w_malloc((j->nid + 1) * sizeof *j->wtab);
    j->wcell = p20w_malloc((j->nid + 1) * sizeof *j->wcell);
    if (!j->wtab || !j->wcell)
        return P20W_ENOMEM;
    for (size_t g = 0; g < j->nid; g++)
        j->wtab[g] = SIZE_MAX;
    for (size_t k = j->tabs.len; k-- > 0;) {
        const size_t *ids = ((size_t **)j->ids.data)[k];
        size_t n = disclose_table_cells(((disclose_table **)j->tabs.data)[k]);
        for (size_t i = n; i-- > 0;) {
            j->wtab[ids[i]] = k;
            j->wcell[ids[i]] = i;
        }
    }
    return P20W_OK;
}

static int is_hidden_status(char s)
{
    return s == DISCLOSE_S || s == DISCLOSE_C;
}

/* The family of `year`, or NULL. */
static family *fam_of_year(family *fams, size_t nfam, int32_t year)
{
    for (size_t k = 0; k < nfam; k++)
        if (fams[k].year == year)
            return &fams[k];
    return NULL;
}

/* Adds the sum of cell c over years y0..c->year (shown: c's pooled
 * publication, or NULL). Returns 0 when a year's cell exists but is in no
 * published table (the caller treats it as a failure), 1 otherwise. */
static int jset_sum(ctx *x, jset *j, family *fams, size_t nfam, int64_t ci,
                    int32_t y0, const disclose_cell *shown, p20w_status *rc)
{
    const pcell *c = cellp(x, ci);
    size_t first = j->refs.len;
    for (int32_t y = y0; y <= c->year && *rc == P20W_OK; y++) {
        family *f = fam_of_year(fams, nfam, y);
        int64_t k = f ? fam_find(f, c->cat, c->key, c->category) : -1;
        if (k == -2) {
            *rc = P20W_ENOMEM;
            return 1;
        }
        if (k < 0 && f && c->category[0] &&
            fam_find(f, c->cat, c->key, "") >= 0) {
            /* a share whose group has people that year but no cell of
             * its own (a collapsed row): its share of that year's group
             * is not a cell the attacker reasons about */
            j->refs.len = first;
            return 0;
        }
        if (k < 0)
            continue; /* nobody that year: 0 */
        size_t g = (size_t)k - x->base;
        if (j->wtab[g] == SIZE_MAX) {
            j->refs.len = first;
            return 0;
        }
        disclose_ref r = {j->wtab[g], j->wcell[g]};
        *rc = vec_push(&j->refs, &r);
    }
    disclose_sum s = {j->refs.len - first, NULL, NULL};
    disclose_cell none;
    memset(&none, 0, sizeof none);
    if (*rc == P20W_OK && s.count > 0) {
        *rc = vec_push(&j->sums, &s);
        if (*rc == P20W_OK)
            *rc = vec_push(&j->first, &first);
        if (*rc == P20W_OK)
            *rc = vec_push(&j->shown, shown ? shown : &none);
        if (*rc == P20W_OK)
            *rc = vec_push(&j->cell, &ci);
    }
    return 1;
}

/* The pooled cells of the families and, in every year with one, the
 * 3-year sums of its small suppressed cells. */
static p20w_status jset_add_pools(ctx *x, jset *j, family *fams, size_t nfam)
{
    p20w_status rc = P20W_OK;
    int P = x->dp.pool_years;
    for (size_t fi = 0; fi < nfam && rc == P20W_OK; fi++) {
        family *f = &fams[fi];
        int any = 0;
        for (size_t k = 0; k < f->cells.len && rc == P20W_OK; k++) {
            int64_t ci = (int64_t)((size_t *)f->cells.data)[k];
            const pcell *c = cellp(x, ci);
            if (!c->seen || c->pub.status != DISCLOSE_L)
                continue;
            any = 1;
            disclose_cell shown = c->pub;
            if (!jset_sum(x, j, fams, nfam, ci, c->pool_first, &shown, &rc))
                rc = vec_push(&j->bad, &ci);
        }
        if (!any)
            continue;
        for (size_t k = 0; k < f->cells.len && rc == P20W_OK; k++) {
            int64_t ci = (int64_t)((size_t *)f->cells.data)[k];
            const pcell *c = cellp(x, ci);
            if (!c->seen || !is_hidden_status(c->pub.status) ||
                c->cell_id == 0 || c->parts > 0 ||
                j->wtab[(size_t)ci - x->base] == SIZE_MAX)
                continue;
            long sum = 0;
            for (int32_t y = f->year - P + 1; y <= f->year; y++) {
                family *g = fam_of_year(fams, nfam, y);
                int64_t q = g ? fam_find(g, c->cat, c->key, c->category) : -1;
                if (q >= 0)
                    sum += cellp(x, q)->n;
            }
            if (sum >= x->dp.min_n)
                continue;
            if (!jset_sum(x, j, fams, nfam, ci, f->year - P + 1, NULL, &rc))
                rc = vec_push(&j->bad, &ci);
        }
    }
    /* the refs are in place: point the sums at them */
    for (size_t u = 0; u < j->sums.len; u++) {
        disclose_sum *s = (disclose_sum *)j->sums.data + u;
        const disclose_cell *sh = (const disclose_cell *)j->shown.data + u;
        s->ref =
            (const disclose_ref *)j->refs.data + ((size_t *)j->first.data)[u];
        s->shown = sh->status ? sh : NULL;
    }
    return rc;
}

static p20w_status jset_audit(ctx *x, jset *j, int only_joint,
                              unsigned char *ok, disclose_failure **f,
                              size_t *nf, p20w_err *err)
{
    disclose_set s;
    memset(&s, 0, sizeof s);
    s.only_joint = only_joint;
    s.ok = ok;
    s.count = j->tabs.len;
    s.tab = (const disclose_table *const *)j->tabs.data;
    s.res = (const disclose_result *const *)j->ress.data;
    s.id = (const size_t *const *)j->ids.data;
    s.nid = x->cells.len - x->base;
    s.nsums = j->sums.len;
    s.sum = (const disclose_sum *)j->sums.data;
    return disclose_audit_set(&x->dp, &s, f, nf, err);
}

/* ---- protecting a family ----------------------------------------------- */

/* How hidden a published cell is: 2 shows nothing, 1 shows n but no
 * rate, 0 shows a value. */
static int hidden_rank(const disclose_cell *c)
{
    if (!c->show_n)
        return 2;
    return c->has_rate || c->show_numerator ? 0 : 1;
}

/* 1 when table pt shows the n of a cell another table hid: it must be
 * protected again with that cell forced hidden. */
static int stale(ctx *x, const ptable *pt, const unsigned char *hidden)
{
    size_t n = disclose_table_cells(pt->t);
    for (size_t i = 0; i < n; i++)
        if (hidden[(size_t)pt->cell[i] - x->base] &&
            disclose_result_cell(pt->r, i)->show_n)
            return 1;
    return 0;
}

/* The margins of table pt that other tables show (the state total, a
 * race group beside race x sex, a category's state total): hidden only as
 * a last resort, and a table that must hide one is withheld. A share
 * table's group totals (total along the categories only) are its own
 * rows' sizes: hidden like any cell when protection needs it. */
static unsigned char *margins_of(const ptable *pt)
{
    size_t n = disclose_table_cells(pt->t), nd = disclose_table_dims(pt->t);
    int sd = disclose_table_share_dim(pt->t);
    unsigned char *keep = p20w_malloc(n + 1);
    if (keep)
        for (size_t i = 0; i < n; i++) {
            size_t co[DISCLOSE_MAX_DIMS];
            disclose_table_coord(pt->t, i, co);
            keep[i] = 0;
            for (size_t d = 0; d < nd; d++)
                if (co[d] == DISCLOSE_TOTAL && (int)d != sd)
                    keep[i] = 1;
        }
    return keep;
}

/* Withholds table pt (it cannot be protected otherwise). */
static void withhold(ctx *x, ptable *pt)
{
    pt->withheld = 1;
    x->stats->withheld++;
}

/* Protects every table of f on its own, with the cells other tables hid
 * forced hidden, until no table hides anything new. */
static p20w_status fixpoint(ctx *x, family *f, unsigned char *hidden,
                            p20w_err *err)
{
    int changed = 1;
    int nocomp = x->opts && x->opts->no_complementary;
    p20w_status rc = P20W_OK;
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
            force = p20w_calloc(n + 1, 1);
            keep = margins_of(pt);
            if (!force || !keep) {
                p20w_free(force);
                p20w_free(keep);
                rc = P20W_ENOMEM;
                break;
            }
            for (size_t i = 0; i < n; i++)
                force[i] = hidden[(size_t)pt->cell[i] - x->base];
            o.no_complementary = nocomp;
            o.force_hide = force;
            o.prefer_show = keep;
            disclose_result_free(pt->r);
            pt->r = NULL;
            rc = disclose_run(&x->dp, pt->t, &o, &pt->r, err);
            if (rc == P20W_EINVAL) {
                /* no suppression protects it (one category: every share
                 * 100 %): not published */
                rc = P20W_OK;
                p20w_free(force);
                p20w_free(keep);
                withhold(x, pt);
                continue;
            }
            /* A breakdown that can only be protected by hiding one of its
             * margins (the state total, a race group's rate) is withheld
             * as a whole instead: not published, so nothing of it needs
             * protecting, and the totals every other table shows stay. */
            for (size_t i = 0; rc == P20W_OK && i < n && !nocomp; i++)
                if (keep[i] && !force[i] &&
                    disclose_result_cell(pt->r, i)->status == DISCLOSE_C)
                    pt->withheld = 1;
            if (rc != P20W_OK) {
                p20w_free(force);
                p20w_free(keep);
                break;
            }
            if (pt->withheld) {
                p20w_free(force);
                p20w_free(keep);
                x->stats->withheld++;
                continue;
            }
            p20w_free(force);
            p20w_free(keep);
            for (size_t i = 0; i < n; i++) {
                size_t g = (size_t)pt->cell[i] - x->base;
                if (!disclose_result_cell(pt->r, i)->show_n && !hidden[g]) {
                    hidden[g] = 1;
                    changed = 1;
                }
            }
        }
        if (nocomp)
            break;
    }
    return rc;
}

/* Each table on its own, then all of the family's tables together: a cell
 * shown in several tables is one unknown of the attacker. For each
 * failure of the joint audit one more cell is hidden in the table where
 * it was found, and the tables are protected again. */
static p20w_status protect_family(ctx *x, family *f, p20w_err *err)
{
    size_t nloc = x->cells.len - x->base;
    unsigned char *hidden = p20w_calloc(nloc + 1, 1);
    p20w_status rc = hidden ? P20W_OK : P20W_ENOMEM;
    int nocomp = x->opts && x->opts->no_complementary;
    for (int round = 0; rc == P20W_OK; round++) {
        rc = fixpoint(x, f, hidden, err);
        if (rc != P20W_OK || nocomp)
            break;
        jset j;
        disclose_failure *fl = NULL;
        size_t nf = 0;
        jset_init(&j);
        family one = *f;
        rc = jset_add_family(x, &j, &one, 0);
        if (rc == P20W_OK)
            rc = jset_audit(x, &j, 1, NULL, &fl, &nf, err);
        jset_free(&j);
        if (rc != P20W_OK || nf == 0) {
            p20w_free(fl);
            break;
        }
        /* one more complement per failing table; the set's table k is
         * the k-th table not withheld */
        size_t *map = p20w_malloc((f->tables.len + 1) * sizeof *map);
        unsigned char *done = p20w_calloc(f->tables.len + 1, 1);
        if (!map || !done) {
            p20w_free(map);
            p20w_free(done);
            p20w_free(fl);
            rc = P20W_ENOMEM;
            break;
        }
        size_t m = 0;
        for (size_t k = 0; k < f->tables.len; k++) {
            const ptable *pt = (const ptable *)f->tables.data + k;
            if (!pt->withheld && pt->r != NULL)
                map[m++] = k;
        }
        for (size_t q = 0; q < nf && rc == P20W_OK; q++) {
            size_t k = map[fl[q].table];
            ptable *pt = (ptable *)f->tables.data + k;
            size_t cell;
            if (done[k])
                continue;
            done[k] = 1;
            unsigned char *keep = margins_of(pt);
            if (!keep) {
                rc = P20W_ENOMEM;
                break;
            }
            if (round < 64 && disclose_complement(&x->dp, pt->t, pt->r, &fl[q],
                                                  keep, &cell)) {
                hidden[(size_t)pt->cell[cell] - x->base] = 1;
                disclose_result_free(pt->r);
                pt->r = NULL; /* protected again, with it forced */
            } else {
                withhold(x, pt);
            }
            p20w_free(keep);
        }
        p20w_free(map);
        p20w_free(done);
        p20w_free(fl);
    }
    p20w_free(hidden);
    /* each cell: the most hidden version any table gives it; the group
     * totals and state categories inside collapsed cells: S */
    for (size_t k = 0; k < f->tables.len && rc == P20W_OK; k++) {
        ptable *pt = (ptable *)f->tables.data + k;
        size_t n = disclose_table_cells(pt->t);
        if (pt->withheld)
            continue;
        for (size_t i = 0; i < n; i++) {
            pcell *c = cellp(x, pt->cell[i]);
            const disclose_cell *d = disclose_result_cell(pt->r, i);
            if (!c->seen || hidden_rank(d) > hidden_rank(&c->pub)) {
                c->pub = *d;
                c->seen = 1;
            }
        }
        for (size_t i = 0; i < pt->members.len; i++) {
            pcell *c = cellp(x, ((int64_t *)pt->members.data)[i]);
            if (c->seen)
                continue;
            memset(&c->pub, 0, sizeof c->pub);
            c->pub.status = DISCLOSE_S;
            snprintf(c->pub.label, sizeof c->pub.label, "fewer than %ld",
                     x->dp.min_n);
            c->seen = 1;
        }
    }
    return rc;
}

/* ---- pooling ------------------------------------------------------------- */

/* 1 when c is (part of) the "not reported" rest of a cut: its 3-year
 * value is not the sum of its years (a year may have no such cut). */
static int is_rest(const pcell *c)
{
    for (int p = 0; p < c->npair; p++)
        if (strcmp(c->value[p], REST_VALUE) == 0)
            return 1;
    return 0;
}

/* The pooled family of years fams[fi - P + 1 .. fi]: every cube cell
 * summed over the years (in memory), protected like a year of its own.
 * Each cell suppressed in year fi whose pooled cell is published becomes
 * an L cell showing the pooled values. */
/* 1 when cell c of year family fams[fi] may become an L cell: a small
 * group (primary suppression, S) that shows nothing that year (its own n
 * stays unknown, the year's tables stay as protected; complements, C,
 * are large and keep their status), is a cell of its own (not
 * collapsed, not a rest), its
 * pooled n reaches min_n, and another year's n is hidden too (else the
 * pooled value minus the published years would give it away). */
static int pool_candidate(ctx *x, family *fams, size_t fi, const pcell *c)
{
    long sum = 0;
    int other = 0;
    if (!c->seen || c->cell_id == 0 || c->parts > 0 || is_rest(c) ||
        c->pub.status != DISCLOSE_S || c->pub.show_n)
        return 0;
    for (size_t k = 0; k < (size_t)x->dp.pool_years; k++) {
        int64_t q = fam_find(&fams[fi - k], c->cat, c->key, c->category);
        if (q < 0)
            continue;
        const pcell *o = cellp(x, q);
        sum += o->n;
        if (k > 0 && o->n > 0 && !(o->seen && o->pub.show_n))
            other = 1;
    }
    return sum >= x->dp.min_n && other;
}

/* Every candidate of year fams[fi] whose pooled cell — its n and
 * numerator (a share: its count and its group's total) summed over the
 * pool years from the cube's year cells — passes the primary rules (P or
 * B) becomes an L cell showing that pooled cell. Whether the pooled cells
 * give anything away, with every year published beside them, is
 * settle_pools' joint audit. */
static p20w_status pool_year(ctx *x, family *fams, size_t fi, size_t *count)
{
    int P = x->dp.pool_years;
    family *y = &fams[fi];
    if (fi + 1 < (size_t)P)
        return P20W_OK;
    for (int k = 1; k < P; k++)
        if (fams[fi - (size_t)k].year != y->year - k)
            return P20W_OK;
    for (size_t q = 0; q < y->cells.len; q++) {
        int64_t ci = (int64_t)((size_t *)y->cells.data)[q];
        const pcell *c = cellp(x, ci);
        long n = 0, num = 0, total = 0;
        int has_num = y->has_num;
        disclose_cell pc;
        if (!pool_candidate(x, fams, fi, c))
            continue;
        for (int k = 0; k < P; k++) {
            family *g = &fams[fi - (size_t)k];
            int64_t o = fam_find(g, c->cat, c->key, c->category);
            if (o == -2)
                return P20W_ENOMEM;
            if (o >= 0) {
                n += cellp(x, o)->n;
                if (cellp(x, o)->num < 0)
                    has_num = 0;
                else
                    num += cellp(x, o)->num;
            }
            if (!y->share || !c->category[0])
                continue;
            int64_t t = fam_find(g, c->cat, c->key, "");
            if (t == -2)
                return P20W_ENOMEM;
            if (t >= 0)
                total += cellp(x, t)->n;
        }
        disclose_cell_primary(&x->dp, n, has_num ? num : -1,
                              y->share && c->category[0] ? total : -1, &pc);
        if (pc.status != DISCLOSE_P && pc.status != DISCLOSE_B)
            continue;
        pcell *w = cellp(x, ci);
        w->single = w->pub;
        w->pub = pc;
        w->pub.status = DISCLOSE_L;
        w->pub.pooled = 1;
        w->pool_first = y->year - P + 1;
        w->pool_den = total;
        (*count)++;
    }
    return P20W_OK;
}

/* Every table's result becomes what is published of its cells (the
 * most hidden version any table gave a cell; L cells' pooled values). */
static void sync_results(ctx *x, family *fams, size_t nfam)
{
    for (size_t fi = 0; fi < nfam; fi++)
        for (size_t k = 0; k < fams[fi].tables.len; k++) {
            ptable *pt = (ptable *)fams[fi].tables.data + k;
            if (pt->withheld || pt->r == NULL)
                continue;
            size_t n = disclose_table_cells(pt->t);
            for (size_t i = 0; i < n; i++) {
                const pcell *c = cellp(x, pt->cell[i]);
                if (c->seen)
                    disclose_result_set(pt->r, i, &c->pub);
            }
        }
}

/* 1 when some L cell of the set pools a year whose cell is in no
 * published table (jset.bad also lists small cells' sums). */
static int bad_pooled(ctx *x, const jset *j)
{
    for (size_t k = 0; k < j->bad.len; k++)
        if (cellp(x, ((int64_t *)j->bad.data)[k])->pub.status == DISCLOSE_L)
            return 1;
    return 0;
}

static void take_back(pcell *c, size_t *back)
{
    if (c->pub.status != DISCLOSE_L)
        return;
    c->pub = c->single;
    (*back)++;
}

/* Takes back the L cells in every line through cell i of table pt. */
static void take_back_lines(ctx *x, const ptable *pt, size_t i, size_t *back)
{
    size_t nd = disclose_table_dims(pt->t), co[DISCLOSE_MAX_DIMS];
    disclose_table_coord(pt->t, i, co);
    for (size_t d = 0; d < nd; d++) {
        size_t c2[DISCLOSE_MAX_DIMS], j;
        memcpy(c2, co, sizeof c2);
        for (size_t v = 0; v <= disclose_table_size(pt->t, d); v++) {
            c2[d] = v == disclose_table_size(pt->t, d) ? DISCLOSE_TOTAL : v;
            if (disclose_table_index(pt->t, c2, &j) == P20W_OK)
                take_back(cellp(x, pt->cell[j]), back);
        }
    }
}

/* Takes back L cells until the indicator's joint audit — every year's
 * tables, the pooled cells and the 3-year sums beside them — passes. */
static p20w_status settle_pools(ctx *x, family *fams, size_t nfam,
                                p20w_err *err)
{
    /* quantities proved protected stay so: each round only takes pooled
     * cells back, which loosens the attacker's relations */
    unsigned char *ok = p20w_calloc(4 * (x->cells.len - x->base) + 1, 1);
    p20w_status rc = ok ? P20W_OK : P20W_ENOMEM;
    for (; rc == P20W_OK;) {
        jset j;
        disclose_failure *fl = NULL;
        size_t nf = 0, back = 0;
        jset_init(&j);
        sync_results(x, fams, nfam);
        for (size_t fi = 0; fi < nfam && rc == P20W_OK; fi++)
            rc = jset_add_family(x, &j, fams, fi);
        if (rc == P20W_OK)
            rc = jset_locate(x, &j);
        if (rc == P20W_OK)
            rc = jset_add_pools(x, &j, fams, nfam);
        int bad = bad_pooled(x, &j);
        if (rc == P20W_OK && !bad)
            rc = jset_audit(x, &j, 1, ok, &fl, &nf, err);
        for (size_t k = 0; k < j.bad.len && rc == P20W_OK; k++) {
            /* an L cell over a year whose cell is in no published table:
             * back. A small cell's 3-year sum with such a year: the
             * attacker knows nothing of that year's part, so the sum has
             * no upper bound; its lower bound could still come from L
             * cells beside it: those in its lines go back. */
            int64_t ci = ((int64_t *)j.bad.data)[k];
            pcell *c = cellp(x, ci);
            if (c->pub.status == DISCLOSE_L) {
                take_back(c, &back);
                continue;
            }
            size_t g = (size_t)ci - x->base;
            if (j.wtab[g] == SIZE_MAX)
                continue;
            const owner *o = (const owner *)j.own.data + j.wtab[g];
            take_back_lines(x,
                            (const ptable *)fams[o->fam].tables.data + o->tab,
                            j.wcell[g], &back);
        }
        for (size_t q = 0; q < nf && rc == P20W_OK; q++) {
            const owner *o = (const owner *)j.own.data + fl[q].table;
            const ptable *pt =
                (const ptable *)fams[o->fam].tables.data + o->tab;
            size_t before = back;
            int64_t fc = fl[q].quantity == DISCLOSE_Q_SUM
                             ? ((int64_t *)j.cell.data)[fl[q].sum]
                             : pt->cell[fl[q].cell];
            take_back(cellp(x, fc), &back);
            /* the pooled cells that sum it: the same cell in the next
             * years */
            for (int k = 1; k < x->dp.pool_years && back == before &&
                            fl[q].quantity != DISCLOSE_Q_SUM;
                 k++) {
                const pcell *c = cellp(x, fc);
                family *g = fam_of_year(fams, nfam, c->year + k);
                int64_t o2 = g ? fam_find(g, c->cat, c->key, c->category) : -1;
                if (o2 >= 0)
                    take_back(cellp(x, o2), &back);
            }
            if (back == before)
                take_back_lines(x, pt, fl[q].cell, &back);
            if (back == before) {
                /* any pool that holds this year */
                int32_t y = fams[o->fam].year;
                for (size_t fi = 0; fi < nfam; fi++) {
                    family *f = &fams[fi];
                    if (f->year < y || f->year >= y + x->dp.pool_years)
                        continue;
                    for (size_t k = 0; k < f->cells.len; k++)
                        take_back(
                            cellp(x, (int64_t)((size_t *)f->cells.data)[k]),
                            &back);
                }
            }
        }
        int clean = nf == 0 && !bad;
        p20w_free(fl);
        jset_free(&j);
        if (rc != P20W_OK || clean)
            break;
        if (back == 0) {
            /* nothing left to take back: the years alone fail */
            rc = p20w_err_set(err, P20W_EINTERNAL,
                              "publish: the joint audit fails without "
                              "pooled cells");
            break;
        }
    }
    p20w_free(ok);
    return rc;
}

/* ---- writing ------------------------------------------------------------- */

/* The published row of cell c: what its pub shows. A share's row shows
 * its count as the numerator and its group's total as n (a rate's row, in
 * other words); the total is the one its group-total cell shows, or for a
 * pooled share the pooled total when its exact share is shown. */
typedef struct prow {
    char status;
    const char *label;
    int show_n, show_num, has_rate, show_pct, has_value;
    long n, num;
    double rate_lo, rate_hi, value;
} prow;

static void make_row(ctx *x, const family *f, const pcell *c, prow *r)
{
    const disclose_cell *d = &c->pub;
    memset(r, 0, sizeof *r);
    r->status = d->status;
    r->label = d->label;
    r->has_rate = d->has_rate;
    r->rate_lo = d->rate_lo;
    r->rate_hi = d->rate_hi;
    r->show_pct = d->show_pct;
    int exact = d->has_rate && d->rate_lo == d->rate_hi;
    if (f->share && c->category[0]) {
        r->show_num = d->show_n;
        r->num = d->n;
        if (d->pooled) {
            r->show_n = exact;
            r->n = c->pool_den;
        } else {
            int64_t g = fam_find(f, c->cat, c->key, "");
            const pcell *gc = g >= 0 ? cellp(x, g) : NULL;
            r->show_n = gc && gc->seen && gc->pub.show_n && !gc->pub.pooled;
            r->n = r->show_n ? gc->pub.n : 0;
        }
        r->has_value = exact && !is_hidden_status(d->status);
        r->value = d->rate_lo;
        return;
    }
    r->show_n = d->show_n;
    r->n = d->n;
    r->show_num = d->show_numerator;
    r->num = d->numerator;
    if (is_hidden_status(d->status))
        return;
    if (exact) {
        r->has_value = 1;
        r->value = d->rate_lo;
    } else if (!d->has_rate && d->show_n) {
        r->has_value = 1;
        r->value = (double)d->n;
    }
}

static p20w_status write_family(ctx *x, family *f, p20w_err *err)
{
    store_stmt *s = NULL;
    char now[32];
    int row;
    p20w_status rc;
    date_now_iso(now);
    rc = store_prepare(
        x->db,
        "INSERT INTO published_cells (cell_id, status, value, label, "
        "pooled_years, published_at, show_n, shown_n, show_numerator, "
        "shown_numerator, has_rate, rate_lo, rate_hi, show_pct) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        &s, err);
    for (size_t k = 0; k < f->cells.len && rc == P20W_OK; k++) {
        const pcell *c = cellp(x, (int64_t)((size_t *)f->cells.data)[k]);
        prow r;
        char st[2] = {0, 0}, years[32];
        if (!c->seen || c->cell_id == 0)
            continue; /* in no published table, or in memory only */
        make_row(x, f, c, &r);
        st[0] = r.status;
        store_reset(s);
        rc = store_bind_int64(s, 1, c->cell_id, err);
        if (rc == P20W_OK)
            rc = store_bind_text(s, 2, st, 1, err);
        if (rc == P20W_OK)
            rc = r.has_value ? store_bind_double(s, 3, r.value, err)
                             : store_bind_null(s, 3, err);
        if (rc == P20W_OK)
            rc = store_bind_text(s, 4, r.label, (size_t)-1, err);
        if (rc == P20W_OK && r.status == DISCLOSE_L) {
            snprintf(years, sizeof years, "%d-%d", (int)c->pool_first,
                     (int)c->year);
            rc = store_bind_text(s, 5, years, (size_t)-1, err);
        } else if (rc == P20W_OK) {
            rc = store_bind_null(s, 5, err);
        }
        if (rc == P20W_OK)
            rc = store_bind_text(s, 6, now, (size_t)-1, err);
        if (rc == P20W_OK)
            rc = store_bind_int64(s, 7, r.show_n, err);
        if (rc == P20W_OK)
            rc = r.show_n ? store_bind_int64(s, 8, r.n, err)
                          : store_bind_null(s, 8, err);
        if (rc == P20W_OK)
            rc = store_bind_int64(s, 9, r.show_num, err);
        if (rc == P20W_OK)
            rc = r.show_num ? store_bind_int64(s, 10, r.num, err)
                            : store_bind_null(s, 10, err);
        if (rc == P20W_OK)
            rc = store_bind_int64(s, 11, r.has_rate, err);
        if (rc == P20W_OK)
            rc = r.has_rate ? store_bind_double(s, 12, r.rate_lo, err)
                            : store_bind_null(s, 12, err);
        if (rc == P20W_OK)
            rc = r.has_rate ? store_bind_double(s, 13, r.rate_hi, err)
                            : store_bind_null(s, 13, err);
        if (rc == P20W_OK)
            rc = store_bind_int64(s, 14, r.show_pct, err);
        if (rc == P20W_OK)
            rc = store_step(s, &row, err);
        if (rc == P20W_OK) {
            const char *codes = "PSCBLN";
            const char *hit = strchr(codes, r.status);
            if (hit)
                x->stats->status[hit - codes]++;
        }
    }
    store_finalize(s);
    return rc;
}

/* ---- one indicator at a time --------------------------------------------- */

/* Reads the cells of `indicator` and sorts them into families by year. */
static p20w_status read_indicator(ctx *x, const char *indicator, vec *fams,
                                  p20w_err *err)
{
    store_stmt *s = NULL;
    p20w_status rc;
    int row;
    rc = store_prepare(x->db,
                       "SELECT cell_id, indicator, year, dims_key, n, "
                       "numerator, denominator, p25, median, p75, "
                       "dims_json LIKE '%\"" VIRTUAL_MARK "\":\"publish\"%' "
                       "FROM cube_cells WHERE profile = ? AND indicator = ? "
                       "ORDER BY year, cell_id",
                       &s, err);
    if (rc == P20W_OK)
        rc = store_bind_text(s, 1, x->prof->name, (size_t)-1, err);
    if (rc == P20W_OK)
        rc = store_bind_text(s, 2, indicator, (size_t)-1, err);
    while (rc == P20W_OK && (rc = store_step(s, &row, err)) == P20W_OK && row)
        rc = read_row(x, s, err);
    store_finalize(s);
    if (rc == P20W_ENOMEM)
        p20w_err_set(err, rc, "publish: out of memory reading the cube");
    for (size_t i = 0; i < x->cells.len && rc == P20W_OK; i++) {
        const pcell *c = cellp(x, (int64_t)i);
        family *f = fams->len ? (family *)fams->data + fams->len - 1 : NULL;
        if (f == NULL || f->year != c->year) {
            if (!(f = vec_push_zero(fams))) {
                rc = P20W_ENOMEM;
                break;
            }
            rc = family_init(f, c->year);
        }
        if (rc == P20W_OK)
            rc = fam_add(f, c, i);
    }
    x->stats->cells += x->cells.len;
    return rc;
}

static void ucats_clear(ctx *x)
{
    for (size_t k = 0; k < x->ucats.len; k++)
        p20w_free(((char **)x->ucats.data)[k]);
    x->ucats.len = 0;
}

/* x->ucats: the (cat, category) of every stored state share cell. */
static p20w_status collect_categories(ctx *x)
{
    hmap *seen = NULL;
    p20w_status rc = hmap_create(&seen);
    for (size_t i = 0; i < x->cells.len && rc == P20W_OK; i++) {
        const pcell *c = cellp(x, (int64_t)i);
        if (c->key[0] || !c->category[0] || c->added)
            continue;
        char *k = fam_key(c->cat, "", c->category);
        if (!k) {
            rc = P20W_ENOMEM;
            break;
        }
        /* "cat\x1f\x1fcategory" -> "cat\x1fcategory" */
        memmove(k + strlen(c->cat) + 1, k + strlen(c->cat) + 2,
                strlen(c->category) + 1);
        if (hmap_get_str(seen, k, NULL)) {
            p20w_free(k);
            continue;
        }
        rc = hmap_put_str(seen, k, NULL);
        if (rc == P20W_OK)
            rc = vec_push(&x->ucats, &k);
        if (rc != P20W_OK)
            p20w_free(k);
    }
    hmap_free(seen);
    return rc;
}

static void fams_free(vec *fams)
{
    for (size_t k = 0; k < fams->len; k++)
        family_free((family *)fams->data + k);
    vec_free(fams);
}

/* Calls fn on the families of every indicator of the profile's cube. */
static p20w_status
each_indicator(ctx *x, p20w_status (*fn)(ctx *, family *, size_t, p20w_err *),
               p20w_err *err)
{
    store_stmt *s = NULL;
    vec names;
    int row;
    vec_init(&names, sizeof(char *));
    p20w_status rc = store_prepare(x->db,
                                   "SELECT DISTINCT indicator FROM cube_cells "
                                   "WHERE profile = ? ORDER BY indicator",
                                   &s, err);
    if (rc == P20W_OK)
        rc = store_bind_text(s, 1, x->prof->name, (size_t)-1, err);
    while (rc == P20W_OK && (rc = store_step(s, &row, err)) == P20W_OK && row) {
        char *n = p20w_strdup(store_column_text(s, 0));
        if (!n || vec_push(&names, &n) != P20W_OK) {
            p20w_free(n);
            rc = p20w_err_set(err, P20W_ENOMEM, "publish: out of memory");
        }
    }
    store_finalize(s);
    if (rc == P20W_OK && names.len == 0)
        rc = p20w_err_set(err, P20W_ENOTFOUND,
                          "no cube for profile '%s': run 'p20w build' first",
                          x->prof->name);
    for (size_t k = 0; k < names.len && rc == P20W_OK; k++) {
        vec fams;
        vec_init(&fams, sizeof(family));
        x->base = 0;
        rc = read_indicator(x, ((char **)names.data)[k], &fams, err);
        if (rc == P20W_OK)
            rc = collect_categories(x);
        if (rc == P20W_OK)
            rc = fn(x, (family *)fams.data, fams.len, err);
        ucats_clear(x);
        fams_free(&fams);
        cells_truncate(&x->cells, 0);
    }
    for (size_t k = 0; k < names.len; k++)
        p20w_free(((char **)names.data)[k]);
    vec_free(&names);
    return rc;
}

static p20w_status publish_indicator(ctx *x, family *fams, size_t nfam,
                                     p20w_err *err)
{
    p20w_status rc = P20W_OK;
    size_t pooled = 0;
    int nocomp = x->opts && x->opts->no_complementary;
    for (size_t k = 0; k < nfam && rc == P20W_OK; k++) {
        x->stats->families++;
        rc = family_build(x, &fams[k], err);
        if (rc == P20W_OK)
            rc = protect_family(x, &fams[k], err);
    }
    /* pooling: the latest year and every pool_years-th year before it,
     * so that no two pools share a year (overlapping pools would differ
     * by one year's cells only). Not for shares: a distribution's small
     * cells sit mostly in collapsed rows, and its pooled cells would tie
     * whole tables of three years into one attack for few cells. */
    for (size_t k = nfam; k-- > 0 && rc == P20W_OK && !nocomp;)
        if ((fams[nfam - 1].year - fams[k].year) % x->dp.pool_years == 0 &&
            !fams[k].share)
            rc = pool_year(x, fams, k, &pooled);
    if (rc == P20W_OK && pooled > 0)
        rc = settle_pools(x, fams, nfam, err);
    for (size_t k = 0; k < nfam && rc == P20W_OK; k++)
        rc = write_family(x, &fams[k], err);
    return rc;
}

/* ---- publishing ---------------------------------------------------------- */

static void start(ctx *x, store *db, const p20w_profile *prof,
                  publish_stats *stats)
{
    memset(x, 0, sizeof *x);
    memset(stats, 0, sizeof *stats);
    x->db = db;
    x->prof = prof;
    x->stats = stats;
    to_disclose_profile(prof, &x->dp);
    vec_init(&x->cells, sizeof(pcell));
    vec_init(&x->ucats, sizeof(char *));
}

p20w_status publish_cube(store *db, const p20w_profile *prof,
                         const publish_opts *opts, publish_stats *stats,
                         p20w_err *err)
{
    ctx x;
    store_stmt *s = NULL;
    int row;
    start(&x, db, prof, stats);
    x.opts = opts;
    p20w_status rc = disclose_profile_check(&x.dp, err);
    if (rc != P20W_OK)
        return rc;
    rc = store_begin(db, err);
    if (rc != P20W_OK)
        return rc;
    /* the previous publication and its added cells go first */
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
    if (rc == P20W_OK)
        rc = each_indicator(&x, publish_indicator, err);
    if (rc == P20W_OK)
        rc = store_commit(db, err);
    else
        store_rollback(db, NULL);
    cells_free(&x.cells);
    vec_free(&x.ucats);
    return rc;
}

/* ---- the audit -------------------------------------------------------------
 */

/* The published rows of the indicator's cells, back into their pub (a
 * share's row translated back to its count table). */
static p20w_status read_published(ctx *x, const char *indicator, p20w_err *err)
{
    store_stmt *s = NULL;
    hmap *by_id = NULL;
    p20w_status rc = hmap_create(&by_id);
    int row;
    int share = is_share_ind(indicator);
    for (size_t i = 0; i < x->cells.len && rc == P20W_OK; i++) {
        pcell *c = cellp(x, (int64_t)i);
        rc = hmap_put(by_id, &c->cell_id, sizeof c->cell_id,
                      (void *)(intptr_t)(i + 1));
    }
    if (rc == P20W_OK)
        rc = store_prepare(
            x->db,
            "SELECT p.cell_id, p.status, p.label, p.show_n, p.shown_n, "
            "p.show_numerator, p.shown_numerator, p.has_rate, p.rate_lo, "
            "p.rate_hi, p.show_pct, p.pooled_years FROM published_cells p "
            "JOIN cube_cells c USING (cell_id) WHERE c.profile = ? AND "
            "c.indicator = ?",
            &s, err);
    if (rc == P20W_OK)
        rc = store_bind_text(s, 1, x->prof->name, (size_t)-1, err);
    if (rc == P20W_OK)
        rc = store_bind_text(s, 2, indicator, (size_t)-1, err);
    while (rc == P20W_OK && (rc = store_step(s, &row, err)) == P20W_OK && row) {
        int64_t id = store_column_int64(s, 0);
        void *v;
        if (!hmap_get(by_id, &id, sizeof id, &v))
            continue;
        pcell *c = cellp(x, (intptr_t)v - 1);
        disclose_cell *d = &c->pub;
        memset(d, 0, sizeof *d);
        d->status = store_column_text(s, 1)[0];
        snprintf(d->label, sizeof d->label, "%s", store_column_text(s, 2));
        int show_n = (int)store_column_int64(s, 3);
        long n = (long)store_column_int64(s, 4);
        int show_num = (int)store_column_int64(s, 5);
        long num = (long)store_column_int64(s, 6);
        if (share && c->category[0]) {
            d->show_n = show_num; /* the count */
            d->n = num;
            c->pool_den = n;
        } else {
            d->show_n = show_n;
            d->n = n;
            d->show_numerator = show_num;
            d->numerator = num;
        }
        d->has_rate = (int)store_column_int64(s, 7);
        d->rate_lo = store_column_double(s, 8);
        d->rate_hi = store_column_double(s, 9);
        d->show_pct = (int)store_column_int64(s, 10);
        if (d->status == DISCLOSE_L) {
            int y0 = 0, y1 = 0;
            const char *py = store_column_text(s, 11);
            d->pooled = 1;
            if (py == NULL || sscanf(py, "%d-%d", &y0, &y1) != 2 ||
                y1 != c->year || y0 > y1)
                y0 = c->year; /* malformed: a pool of its own year */
            c->pool_first = y0;
        }
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
           : q == DISCLOSE_Q_SUM       ? "3-year sum"
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

/* The label of a cell in failure lines: its key (or "state"), category. */
static void cell_name(const pcell *c, char *out, size_t cap)
{
    snprintf(out, cap, "%s%s%s%s%s", c->key[0] ? c->key : "state",
             c->cat[0] ? " " : "", c->cat, c->category[0] ? " category=" : "",
             c->category);
    for (char *p = out; *p; p++)
        if (*p == '\x01')
            *p = '*'; /* collapsed small values */
}

/* Rebuilds the indicator's tables, sets each from what was published (a
 * table with an unpublished interior cell was withheld: not attacked) and
 * attacks them all together with the pooled cells. */
static p20w_status audit_indicator(ctx *x, family *fams, size_t nfam,
                                   p20w_err *err)
{
    p20w_status rc = P20W_OK;
    const char *ind = nfam ? cellp(x, 0)->indicator : "";
    char name[512];
    for (size_t k = 0; k < nfam && rc == P20W_OK; k++)
        rc = family_build(x, &fams[k], err);
    if (rc == P20W_OK && nfam)
        rc = read_published(x, ind, err);
    for (size_t k = 0; k < nfam && rc == P20W_OK; k++) {
        family *f = &fams[k];
        for (size_t t = 0; t < f->tables.len && rc == P20W_OK; t++) {
            ptable *pt = (ptable *)f->tables.data + t;
            size_t n = disclose_table_cells(pt->t);
            for (size_t i = 0; i < n && !pt->withheld; i++) {
                const pcell *c = cellp(x, pt->cell[i]);
                pt->withheld = !disclose_table_is_margin(pt->t, i) &&
                               c->cell_id != 0 && c->parts == 0 && !c->seen;
            }
            if (pt->withheld) {
                x->stats->withheld++;
                continue;
            }
            if ((rc = disclose_result_new(n, &pt->r)) != P20W_OK)
                break;
            for (size_t i = 0; i < n; i++) {
                const pcell *c = cellp(x, pt->cell[i]);
                if (c->seen)
                    disclose_result_set(pt->r, i, &c->pub);
            }
        }
    }
    jset j;
    disclose_failure *fl = NULL;
    size_t nf = 0;
    jset_init(&j);
    for (size_t fi = 0; fi < nfam && rc == P20W_OK; fi++)
        rc = jset_add_family(x, &j, fams, fi);
    if (rc == P20W_OK)
        rc = jset_locate(x, &j);
    if (rc == P20W_OK)
        rc = jset_add_pools(x, &j, fams, nfam);
    if (rc == P20W_OK)
        rc = jset_audit(x, &j, 0, NULL, &fl, &nf, err);
    for (size_t k = 0; k < j.bad.len && rc == P20W_OK; k++) {
        const pcell *c = cellp(x, ((int64_t *)j.bad.data)[k]);
        if (c->pub.status != DISCLOSE_L)
            continue; /* a small cell's sum over an unpublished year */
        x->stats->failures++;
        cell_name(c, name, sizeof name);
        if (x->out)
            fprintf(x->out,
                    "FAIL %s %d [%s]: pooled over years whose cells are "
                    "not all in published tables\n",
                    c->indicator, (int)c->year, name);
    }
    for (size_t q = 0; q < nf && rc == P20W_OK; q++) {
        const owner *o = (const owner *)j.own.data + fl[q].table;
        const ptable *pt = (const ptable *)fams[o->fam].tables.data + o->tab;
        const pcell *c = fl[q].quantity == DISCLOSE_Q_SUM
                             ? cellp(x, ((int64_t *)j.cell.data)[fl[q].sum])
                             : cellp(x, pt->cell[fl[q].cell]);
        x->stats->failures++;
        cell_name(c, name, sizeof name);
        if (x->out)
            fprintf(x->out,
                    "FAIL %s %d [%s]: %s %s (true %.0f, attacker proves "
                    "[%.1f, %.1f])\n",
                    c->indicator, (int)c->year, name,
                    quantity_name(fl[q].quantity), reason_name(fl[q].reason),
                    fl[q].value, fl[q].lo, fl[q].hi);
    }
    x->stats->tables += j.tabs.len;
    p20w_free(fl);
    jset_free(&j);
    return rc;
}

p20w_status publish_audit(store *db, const p20w_profile *prof, FILE *out,
                          publish_stats *stats, p20w_err *err)
{
    ctx x;
    start(&x, db, prof, stats);
    x.out = out;
    x.replay = 1;
    p20w_status rc = disclose_profile_check(&x.dp, err);
    if (rc == P20W_OK)
        rc = each_indicator(&x, audit_indicator, err);
    cells_free(&x.cells);
    vec_free(&x.ucats);
    return rc;
}
