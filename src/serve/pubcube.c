/*
 * pubcube.c — loading the published cube (pubcube.h) and the server's
 * reference-counted current cube (serveInt.h).
 *
 * Reading: one query over the complete build's cells joined with their
 * published rows, ordered so that each (indicator, dims) table arrives as
 * one run. Strings (dims values, labels, categories) live in one arena.
 * What a cell may show is decided here, once, from the published_cells
 * columns (the same rule as `p20w cube --published`): nothing the public
 * must not see is ever copied into memory.
 *
 * Reload: the watcher thread (app.c) calls serve_cube_check() every
 * reload_ms; it reads the signature (build id and time, publication time)
 * and, when it changed, loads the new cube beside the old and swaps the
 * pointer under the mutex. Requests hold a reference to the cube they
 * started with, so a swap never frees a cube in use.
 */
#include "serve/pubcube.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "serve/labels.h"
#include "serve/serveInt.h"
#include "util/arena.h"
#include "util/hmap.h"
#include "util/log.h"
#include "util/mem.h"

struct pubcube {
    pubcube_info info;
    arena *strings;
    pub_cell *cells;   /* every cell, table by table */
    pub_table *tables; /* ntables */
    hmap *by_key;      /* "INDICATOR|dims" -> pub_table* */
    hmap *names;       /* "dim|value" -> name (labels.c) */
    char *builds_json; /* malloc'd by jansson */
};

void pubcube_free(pubcube *c)
{
    if (c == NULL)
        return;
    arena_free(c->strings);
    p20w_free(c->cells);
    p20w_free(c->tables);
    hmap_free(c->by_key);
    hmap_free(c->names);
    free(c->builds_json);
    p20w_free(c);
}

const pubcube_info *pubcube_get_info(const pubcube *c)
{
    return &c->info;
}

const char *pubcube_builds_json(const pubcube *c)
{
    return c->builds_json ? c->builds_json : "[]";
}

/* Every complete build, with its profile's settings. */
static p20w_status load_builds(store *db, pubcube *c, p20w_err *err)
{
    store_stmt *q = NULL;
    json_t *arr = json_array();
    p20w_status rc = arr ? P20W_OK : P20W_ENOMEM;
    if (rc == P20W_OK)
        rc = store_prepare(db,
                           "SELECT profile, build_id, finished_at, "
                           "profile_json FROM cube_builds WHERE status = "
                           "'complete' ORDER BY profile",
                           &q, err);
    while (rc == P20W_OK) {
        int row;
        rc = store_step(q, &row, err);
        if (rc != P20W_OK || !row)
            break;
        json_t *settings = json_loads(store_column_text(q, 3), 0, NULL);
        json_t *o = json_pack("{s:s, s:I, s:s, s:o}", "profile",
                              store_column_text(q, 0), "build_id",
                              (json_int_t)store_column_int64(q, 1),
                              "finished_at", store_column_text(q, 2),
                              "settings", settings ? settings : json_object());
        if (o == NULL || json_array_append_new(arr, o) != 0)
            rc = p20w_err_set(err, P20W_ENOMEM, "out of memory");
    }
    store_finalize(q);
    if (rc == P20W_OK) {
        c->builds_json = json_dumps(arr, JSON_COMPACT | JSON_PRESERVE_ORDER);
        if (c->builds_json == NULL)
            rc = p20w_err_set(err, P20W_ENOMEM, "out of memory");
    }
    json_decref(arr);
    return rc;
}

const hmap *pubcube_names(const pubcube *c)
{
    return c->names;
}

static p20w_status find_build(store *db, const char *profile, pubcube *c,
                              p20w_err *err)
{
    store_stmt *q = NULL;
    int row = 0;
    p20w_status rc = store_prepare(db,
                                   "SELECT build_id, finished_at FROM "
                                   "cube_builds WHERE profile = ? AND status "
                                   "= 'complete'",
                                   &q, err);
    if (rc == P20W_OK)
        rc = store_bind_text(q, 1, profile, (size_t)-1, err);
    if (rc == P20W_OK)
        rc = store_step(q, &row, err);
    if (rc == P20W_OK && row) {
        c->info.build_id = store_column_int64(q, 0);
        snprintf(c->info.built_at, sizeof c->info.built_at, "%s",
                 store_column_text(q, 1));
    }
    store_finalize(q);
    return rc;
}

/* The signature, and into published_at (may be NULL) the time of the
 * last published row. */
static p20w_status signature(store *db, const char *profile, char *sig,
                             size_t cap, char *published_at, size_t pcap,
                             p20w_err *err)
{
    store_stmt *q = NULL;
    int row = 0;
    /* the last published row of the build: a re-publication rewrites it */
    p20w_status rc = store_prepare(
        db,
        "SELECT b.build_id, b.finished_at, (SELECT p.published_at || '|' || "
        "p.cell_id FROM cube_cells c JOIN published_cells p USING (cell_id) "
        "WHERE c.build_id = b.build_id ORDER BY c.cell_id DESC LIMIT 1) FROM "
        "cube_builds b WHERE b.profile = ? AND b.status = 'complete'",
        &q, err);
    if (rc == P20W_OK)
        rc = store_bind_text(q, 1, profile, (size_t)-1, err);
    if (rc == P20W_OK)
        rc = store_step(q, &row, err);
    if (rc == P20W_OK && row) {
        const char *pub =
            store_column_is_null(q, 2) ? "" : store_column_text(q, 2);
        snprintf(sig, cap, "%lld|%s|%s", (long long)store_column_int64(q, 0),
                 store_column_text(q, 1), pub);
        if (published_at != NULL)
            snprintf(published_at, pcap, "%.*s", (int)strcspn(pub, "|"), pub);
    } else if (rc == P20W_OK) {
        snprintf(sig, cap, "none");
    }
    store_finalize(q);
    return rc;
}

p20w_status pubcube_signature(store *db, const char *profile, char *sig,
                              size_t cap, p20w_err *err)
{
    return signature(db, profile, sig, cap, NULL, 0, err);
}

static const char *intern(pubcube *c, hmap *seen, const char *s)
{
    void *v;
    if (hmap_get_str(seen, s, &v))
        return v;
    char *d = arena_strndup(c->strings, s, strlen(s));
    if (d == NULL || hmap_put_str(seen, s, d) != P20W_OK)
        return NULL;
    return d;
}

/* Splits "race,sex" into enum dims; -1 on an unknown name. */
static int parse_dims(const char *dims, int *dim)
{
    int n = 0;
    for (const char *s = dims; *s;) {
        const char *e = strchr(s, ',');
        size_t len = e ? (size_t)(e - s) : strlen(s);
        char name[32];
        if (len == 0 || len >= sizeof name || n >= PUB_MAX_DIMS)
            return -1;
        memcpy(name, s, len);
        name[len] = '\0';
        int d = measure_dim_find(name);
        if (d < 0)
            return -1;
        dim[n++] = d;
        s = e ? e + 1 : "";
    }
    return n;
}

/* What the cell shows, from the published_cells columns. */
static void cell_numbers(store_stmt *q, pub_cell *pc)
{
    /* columns: 6 value, 7 show_n, 8 shown_n, 9 show_numerator,
     * 10 shown_numerator, 11 has_rate, 12 rate_lo, 13 rate_hi, 14 show_pct,
     * 15 p25, 16 median, 17 p75 */
    int hidden = pc->status == 'S' || pc->status == 'C';
    pc->has = 0;
    if (store_column_int64(q, 7) == 1 && !store_column_is_null(q, 8)) {
        pc->has |= PUB_HAS_N;
        pc->n = store_column_int64(q, 8);
    }
    if (hidden)
        return;
    if (!store_column_is_null(q, 6)) {
        pc->has |= PUB_HAS_VALUE;
        pc->value = store_column_double(q, 6);
    }
    if (store_column_int64(q, 9) == 1 && !store_column_is_null(q, 10)) {
        pc->has |= PUB_HAS_NUM;
        pc->numerator = store_column_int64(q, 10);
    }
    if (store_column_int64(q, 11) == 1 && !store_column_is_null(q, 12) &&
        !store_column_is_null(q, 13)) {
        pc->has |= PUB_HAS_RATE;
        pc->rate_lo = store_column_double(q, 12);
        pc->rate_hi = store_column_double(q, 13);
    }
    if (store_column_int64(q, 14) == 1 && !store_column_is_null(q, 16)) {
        pc->has |= PUB_HAS_PCT;
        pc->p25 = store_column_double(q, 15);
        pc->median = store_column_double(q, 16);
        pc->p75 = store_column_double(q, 17);
    }
}

static int cmp_cell(const pub_cell *a, const pub_cell *b, int ndims)
{
    if (a->year != b->year)
        return a->year < b->year ? -1 : 1;
    for (int i = 0; i < ndims; i++) {
        /* the rest of a cut ("~") sorts last */
        int ra = strcmp(a->val[i], "~") == 0, rb = strcmp(b->val[i], "~") == 0;
        if (ra != rb)
            return ra - rb;
        int r = strcmp(a->val[i], b->val[i]);
        if (r != 0)
            return r;
    }
    /* a share's group total first, then its categories in code order */
    if (a->cat_order != b->cat_order)
        return a->cat_order < b->cat_order ? -1 : 1;
    if (a->category != NULL && b->category != NULL)
        return strcmp(a->category, b->category);
    return 0;
}

/* The place of category `cat` in the order of indicator ind: the code
 * category_label() names it by (0..999 tried: outcomes, NAICS sectors,
 * "No projected occupation"), a SOC code "29-1141" as 291141, anything
 * else after them all. */
static int32_t category_rank(const measure_indicator *ind, const char *cat)
{
    for (int32_t k = 0; ind->category_label != NULL && k < 1000; k++)
        if (strcmp(ind->category_label(k), cat) == 0)
            return k;
    if (strlen(cat) != 7 || cat[2] != '-')
        return INT32_MAX;
    int32_t v = 0;
    for (int i = 0; i < 7; i++) {
        if (i == 2)
            continue;
        if (cat[i] < '0' || cat[i] > '9')
            return INT32_MAX;
        v = v * 10 + (cat[i] - '0');
    }
    return v;
}

/* category_rank() once per (indicator, interned category). */
static p20w_status cached_rank(hmap *ranks, const measure_indicator *ind,
                               const char *cat, int32_t *out)
{
    const void *key[2] = {ind, cat};
    void *v;
    if (hmap_get(ranks, key, sizeof key, &v)) {
        *out = (int32_t)((intptr_t)v - 1);
        return P20W_OK;
    }
    *out = category_rank(ind, cat);
    return hmap_put(ranks, key, sizeof key, (void *)((intptr_t)*out + 1));
}

static int cmp_strp(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The distinct values of each column of t (strings are interned, so equal
 * values are equal pointers once sorted). */
static p20w_status table_values(pubcube *c, pub_table *t)
{
    for (int d = 0; d < t->ndims; d++) {
        const char **v = arena_alloc(c->strings, (t->ncells + 1) * sizeof *v);
        if (v == NULL)
            return P20W_ENOMEM;
        size_t n = 0;
        for (size_t i = 0; i < t->ncells; i++)
            if (strcmp(t->cells[i].val[d], "~") != 0)
                v[n++] = t->cells[i].val[d];
        if (n > 1)
            qsort(v, n, sizeof *v, cmp_strp);
        size_t u = 0;
        for (size_t i = 0; i < n; i++)
            if (u == 0 || v[u - 1] != v[i])
                v[u++] = v[i];
        t->values[d] = v;
        t->nvalues[d] = u;
    }
    return P20W_OK;
}

static int cmp_table(const void *pa, const void *pb)
{
    const pub_table *a = pa, *b = pb;
    if (a->ind != b->ind)
        return a->ind < b->ind ? -1 : 1; /* catalog order: one array */
    if (a->ndims != b->ndims)
        return a->ndims - b->ndims;
    return strcmp(a->dims, b->dims);
}

/* Insertion-free stable sort of one table's cells (merge sort). */
static void sort_cells(pub_cell *v, pub_cell *tmp, size_t n, int ndims)
{
    if (n < 2)
        return;
    size_t h = n / 2;
    sort_cells(v, tmp, h, ndims);
    sort_cells(v + h, tmp, n - h, ndims);
    size_t i = 0, j = h, k = 0;
    while (i < h && j < n)
        tmp[k++] = cmp_cell(&v[j], &v[i], ndims) < 0 ? v[j++] : v[i++];
    while (i < h)
        tmp[k++] = v[i++];
    while (j < n)
        tmp[k++] = v[j++];
    memcpy(v, tmp, n * sizeof *v);
}

static p20w_status read_cells(store *db, pubcube *c, vec *cells, vec *tabs,
                              hmap *seen, p20w_err *err)
{
    store_stmt *q = NULL;
    hmap *ranks = NULL; /* (indicator, category) -> cat_order + 1 */
    if (hmap_create(&ranks) != P20W_OK)
        return p20w_err_set(err, P20W_ENOMEM, "out of memory");
    p20w_status rc = store_prepare(
        db,
        "SELECT c.indicator, c.dims, c.dims_json, c.year, p.status, p.label, "
        "p.value, p.show_n, p.shown_n, p.show_numerator, p.shown_numerator, "
        "p.has_rate, p.rate_lo, p.rate_hi, p.show_pct, "
        "CASE WHEN p.show_pct = 1 THEN c.p25 END, "
        "CASE WHEN p.show_pct = 1 THEN c.median END, "
        "CASE WHEN p.show_pct = 1 THEN c.p75 END "
        "FROM cube_cells c JOIN published_cells p USING (cell_id) "
        "WHERE c.build_id = ? ORDER BY c.indicator, c.dims, c.cell_id",
        &q, err);
    if (rc == P20W_OK)
        rc = store_bind_int64(q, 1, c->info.build_id, err);
    pub_table *cur = NULL;
    while (rc == P20W_OK) {
        int row;
        rc = store_step(q, &row, err);
        if (rc != P20W_OK || !row)
            break;
        const char *ind_id = store_column_text(q, 0);
        const char *dims = store_column_text(q, 1);
        if (cur == NULL || strcmp(cur->ind->id, ind_id) != 0 ||
            strcmp(cur->dims, dims) != 0) {
            const measure_indicator *ind = measure_find(ind_id);
            if (ind == NULL) {
                cur = NULL; /* an indicator this binary does not know */
                continue;
            }
            cur = vec_push_zero(tabs);
            if (cur == NULL) {
                rc = p20w_err_set(err, P20W_ENOMEM, "out of memory");
                break;
            }
            cur->ind = ind;
            cur->dims = intern(c, seen, dims);
            cur->ndims = parse_dims(dims, cur->dim);
            /* cells: an offset into `cells` until the end of the load */
            cur->cells = (const pub_cell *)(uintptr_t)cells->len;
            if (cur->dims == NULL || cur->ndims < 0) {
                rc = cur->dims == NULL
                         ? p20w_err_set(err, P20W_ENOMEM, "out of memory")
                         : p20w_err_set(err, P20W_EFORMAT,
                                        "cube cell with unknown dims '%s'",
                                        dims);
                break;
            }
        }
        if (cur == NULL)
            continue;
        pub_cell *pc = vec_push_zero(cells);
        if (pc == NULL) {
            rc = p20w_err_set(err, P20W_ENOMEM, "out of memory");
            break;
        }
        cur->ncells++;
        pc->year = (int32_t)store_column_int64(q, 3);
        pc->status = store_column_text(q, 4)[0];
        pc->label = intern(c, seen, store_column_text(q, 5));
        cell_numbers(q, pc);
        json_t *o = json_loads(store_column_text(q, 2), 0, NULL);
        if (o == NULL || !json_is_object(o)) {
            json_decref(o);
            rc = p20w_err_set(err, P20W_EFORMAT,
                              "a cube cell of %s has malformed dims_json",
                              ind_id);
            break;
        }
        for (int d = 0; d < cur->ndims; d++) {
            const char *v = json_string_value(
                json_object_get(o, measure_dim_name(cur->dim[d])));
            pc->val[d] = intern(c, seen, v ? v : "~");
            if (pc->val[d] == NULL)
                rc = p20w_err_set(err, P20W_ENOMEM, "out of memory");
        }
        const char *cat = json_string_value(json_object_get(o, "category"));
        pc->cat_order = -1;
        if (cat != NULL) {
            pc->category = intern(c, seen, cat);
            if (pc->category == NULL ||
                cached_rank(ranks, cur->ind, pc->category, &pc->cat_order) !=
                    P20W_OK)
                rc = p20w_err_set(err, P20W_ENOMEM, "out of memory");
        }
        json_decref(o);
        if (pc->label == NULL)
            rc = p20w_err_set(err, P20W_ENOMEM, "out of memory");
        const char *codes = "PSCBLN", *hit = strchr(codes, pc->status);
        if (hit != NULL && pc->status)
            c->info.status[hit - codes]++;
    }
    store_finalize(q);
    hmap_free(ranks);
    return rc;
}

p20w_status pubcube_load(store *db, const char *profile,
                         const codeset_registry *reg, pubcube **out,
                         p20w_err *err)
{
    *out = NULL;
    pubcube *c = p20w_calloc(1, sizeof *c);
    hmap *seen = NULL;
    vec cells, tabs;
    vec_init(&cells, sizeof(pub_cell));
    vec_init(&tabs, sizeof(pub_table));
    if (c == NULL)
        return p20w_err_set(err, P20W_ENOMEM, "out of memory");
    snprintf(c->info.profile, sizeof c->info.profile, "%s", profile);
    p20w_status rc = arena_create(64 * 1024, &c->strings);
    if (rc == P20W_OK)
        rc = hmap_create(&seen);
    if (rc == P20W_OK)
        rc = hmap_create(&c->by_key);
    if (rc == P20W_OK)
        rc = hmap_create(&c->names);
    if (rc != P20W_OK)
        p20w_err_set(err, rc, "out of memory");
    if (rc == P20W_OK)
        rc = serve_names_load(db, reg, c->names, c->strings, err);
    if (rc == P20W_OK)
        rc = load_builds(db, c, err);
    if (rc == P20W_OK)
        rc = signature(db, profile, c->info.sig, sizeof c->info.sig,
                       c->info.published_at, sizeof c->info.published_at, err);
    if (rc == P20W_OK)
        rc = find_build(db, profile, c, err);
    if (rc == P20W_OK && c->info.build_id != 0)
        rc = read_cells(db, c, &cells, &tabs, seen, err);
    pub_cell *tmp = NULL;
    if (rc == P20W_OK && cells.len > 0) {
        tmp = p20w_malloc(cells.len * sizeof *tmp);
        if (tmp == NULL)
            rc = p20w_err_set(err, P20W_ENOMEM, "out of memory");
    }
    if (rc == P20W_OK) {
        c->cells = cells.data;
        c->tables = tabs.data;
        c->info.cells = cells.len;
        c->info.tables = tabs.len;
        cells.data = NULL;
        tabs.data = NULL;
        for (size_t i = 0; i < c->info.tables; i++) {
            pub_table *t = &c->tables[i];
            pub_cell *first = c->cells + (uintptr_t)t->cells;
            sort_cells(first, tmp, t->ncells, t->ndims);
            t->cells = first;
            if (rc == P20W_OK && table_values(c, t) != P20W_OK)
                rc = p20w_err_set(err, P20W_ENOMEM, "out of memory");
        }
        if (c->info.tables > 1)
            qsort(c->tables, c->info.tables, sizeof *c->tables, cmp_table);
        char key[160];
        for (size_t i = 0; rc == P20W_OK && i < c->info.tables; i++) {
            snprintf(key, sizeof key, "%s|%s", c->tables[i].ind->id,
                     c->tables[i].dims);
            rc = hmap_put_str(c->by_key, key, &c->tables[i]);
            if (rc != P20W_OK)
                p20w_err_set(err, rc, "out of memory");
        }
    }
    p20w_free(tmp);
    vec_free(&cells);
    vec_free(&tabs);
    hmap_free(seen);
    if (rc != P20W_OK) {
        pubcube_free(c);
        return rc;
    }
    *out = c;
    return P20W_OK;
}

const pub_table *pubcube_table(const pubcube *c, const char *indicator,
                               const char *dims)
{
    char key[160];
    void *v;
    if (snprintf(key, sizeof key, "%s|%s", indicator, dims) >= (int)sizeof key)
        return NULL;
    return hmap_get_str(c->by_key, key, &v) ? v : NULL;
}

size_t pubcube_table_count(const pubcube *c)
{
    return c->info.tables;
}

const pub_table *pubcube_table_at(const pubcube *c, size_t i)
{
    return i < c->info.tables ? &c->tables[i] : NULL;
}

size_t pubcube_years(const pubcube *c, const char *indicator, int32_t *years,
                     size_t max)
{
    /* the total table holds every year that any table holds; tables with
     * required dims have no plain total, so scan them all */
    size_t n = 0;
    for (size_t i = 0; i < c->info.tables; i++) {
        const pub_table *t = &c->tables[i];
        if (strcmp(t->ind->id, indicator) != 0)
            continue;
        for (size_t k = 0; k < t->ncells; k++) {
            int32_t y = t->cells[k].year;
            size_t j = 0;
            while (j < n && j < max && years[j] < y)
                j++;
            if (j < n && j < max && years[j] == y)
                continue;
            if (n < max) {
                memmove(years + j + 1, years + j, (n - j) * sizeof *years);
                years[j] = y;
            }
            n++;
        }
    }
    return n;
}

static size_t count_cells(const pubcube *c, const char *indicator, int shown)
{
    size_t n = 0;
    for (size_t i = 0; i < c->info.tables; i++) {
        const pub_table *t = &c->tables[i];
        if (strcmp(t->ind->id, indicator) != 0)
            continue;
        if (!shown) {
            n += t->ncells;
            continue;
        }
        for (size_t k = 0; k < t->ncells; k++)
            n += t->cells[k].status != 'S' && t->cells[k].status != 'C';
    }
    return n;
}

size_t pubcube_indicator_cells(const pubcube *c, const char *indicator)
{
    return count_cells(c, indicator, 0);
}

size_t pubcube_indicator_shown(const pubcube *c, const char *indicator)
{
    return count_cells(c, indicator, 1);
}

int pub_table_col(const pub_table *t, int dim)
{
    for (int i = 0; i < t->ndims; i++)
        if (t->dim[i] == dim)
            return i;
    return -1;
}

/* ---- the server's current cube ----------------------------------------- */

cube_ref *serve_cube_acquire(serve_app *app)
{
    pthread_mutex_lock(&app->cube_mu);
    cube_ref *c = app->cube;
    c->refs++;
    pthread_mutex_unlock(&app->cube_mu);
    return c;
}

void serve_cube_release(serve_app *app, cube_ref *c)
{
    pthread_mutex_lock(&app->cube_mu);
    long left = --c->refs;
    pthread_mutex_unlock(&app->cube_mu);
    if (left == 0) {
        pubcube_free(c->cube);
        p20w_free(c);
    }
}

static p20w_status load_into(serve_app *app, store *db, p20w_err *err)
{
    pubcube *pc = NULL;
    p20w_status rc = pubcube_load(db, app->profile, app->reg, &pc, err);
    if (rc != P20W_OK)
        return rc;
    cube_ref *ref = p20w_calloc(1, sizeof *ref);
    if (ref == NULL) {
        pubcube_free(pc);
        return p20w_err_set(err, P20W_ENOMEM, "out of memory");
    }
    ref->cube = pc;
    ref->refs = 1;
    pthread_mutex_lock(&app->cube_mu);
    cube_ref *old = app->cube;
    app->cube = ref;
    snprintf(app->cube_sig, sizeof app->cube_sig, "%s",
             pubcube_get_info(pc)->sig);
    pthread_mutex_unlock(&app->cube_mu);
    if (old != NULL)
        serve_cube_release(app, old);
    const pubcube_info *in = pubcube_get_info(pc);
    log_info("serve: published cube of profile %s: build %lld, %zu cells in "
             "%zu tables (%zu shown)",
             app->profile, (long long)in->build_id, in->cells, in->tables,
             in->status[0] + in->status[3] + in->status[4] + in->status[5]);
    return P20W_OK;
}

p20w_status serve_cube_load(serve_app *app, p20w_err *err)
{
    store *db = NULL;
    p20w_status rc =
        store_open(app->db_path, STORE_OPEN_READONLY, &db, NULL, err);
    if (rc == P20W_OK)
        rc = load_into(app, db, err);
    store_close(db);
    return rc;
}

p20w_status serve_cube_check(serve_app *app, p20w_err *err)
{
    store *db = NULL;
    char sig[160];
    p20w_status rc =
        store_open(app->db_path, STORE_OPEN_READONLY, &db, NULL, err);
    if (rc == P20W_OK)
        rc = pubcube_signature(db, app->profile, sig, sizeof sig, err);
    if (rc == P20W_OK) {
        pthread_mutex_lock(&app->cube_mu);
        int same = strcmp(sig, app->cube_sig) == 0;
        pthread_mutex_unlock(&app->cube_mu);
        if (!same)
            rc = load_into(app, db, err);
    }
    store_close(db);
    return rc;
}
