/*
 * cmd_cube.c — `p20w cube`: the raw cells of one indicator of a built
 * cube, for the state data office.
 *
 * Raw cells are not for publication: small cells are shown as they are.
 * What the public sees comes from disclosure control (--published, below:
 * the hook where published cells replace raw ones).
 */
#include <inttypes.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "measure/cube.h"
#include "measure/measure.h"
#include "store/store.h"
#include "util/csv.h"
#include "util/mem.h"
#include "util/sbuf.h"
#include "util/vec.h"

static const char usage_text[] =
    "usage: p20w cube DB --indicator ID [--by DIM[,DIM]] [--year Y]\n"
    "                    [--profile NAME] [--format text|csv|json]\n"
    "\n"
    "Prints the raw cells of one indicator of the cube `p20w build` wrote:\n"
    "the state total (no --by), the cells by one dimension, or by one of\n"
    "the two-way intersections race,sex and race,econ; every year, or one\n"
    "with --year. Raw cells are for the state data office: small cells are\n"
    "not suppressed.\n"
    "\n"
    "options:\n"
    "  --indicator ID   an indicator of spec/indicators.md (EMP_Q2, ...)\n"
    "  --by DIMS        dimensions to cut by: one of the indicator's allowed\n"
    "                   dimensions, or race,sex or race,econ\n"
    "  --year Y         only this year (cohort, exit or award year, as the\n"
    "                   indicator defines it)\n"
    "  --profile NAME   the reporting profile the cube was built with\n"
    "                   (default: default)\n"
    "  --format F       text (default, an aligned table), csv or json\n"
    "\n"
    "Columns: RATE and FLAG numerator, denominator, value (a fraction);\n"
    "SHARE category, numerator, denominator, value; PERCENTILE n, p25,\n"
    "median, p75 (dollars); COUNT n.\n"
    "\n"
    "Dimensions: region county district school institution cluster program\n"
    "cip2 cip4 cip6 award_level sex race econ disability english_learner\n"
    "homeless foster_care migrant military nontraditional locale exiter wbl\n"
    "subject quarter (each indicator allows some of them).\n";

static const char *const stat_names[] = {"RATE", "SHARE", "PERCENTILE", "COUNT",
                                         "FLAG"};

typedef struct opts {
    const char *db, *indicator, *by, *profile, *format;
    long year; /* 0 = every year */
    int published;
} opts;

/* One cell as read back. */
typedef struct crow {
    int32_t year;
    char *val[CUBE_KEY_DIMS + 1]; /* labels of cols[], then category */
    int ndims; /* labels of dimensions in val[] (the category follows) */
    int has_num, has_den, has_pct;
    double num, den, value, p25, median, p75;
    int64_t n;
    int64_t cell_id;
    /* --published: what the public sees */
    int has_value, has_n;
    char status[2];
    char *label;
} crow;

/* Row order: year, the dimension labels, then the cube's own order
 * (which puts a share's categories in the indicator's order). */
static int cmp_row(const void *pa, const void *pb)
{
    const crow *a = pa, *b = pb;
    if (a->year != b->year)
        return a->year < b->year ? -1 : 1;
    for (int c = 0; c < a->ndims; c++) {
        int r = strcmp(a->val[c], b->val[c]);
        if (r != 0)
            return r;
    }
    return (a->cell_id > b->cell_id) - (a->cell_id < b->cell_id);
}

typedef struct table {
    const measure_indicator *ind;
    int ncols;               /* dimension columns */
    int cols[CUBE_KEY_DIMS]; /* enum measure_dim, enum order */
    int share;               /* a category column follows */
    char dims[128];          /* "race,sex": the cube's dims column */
    int64_t build_id;
    char built_at[32];
    int published; /* rows are published cells: status and label too */
    vec rows;      /* crow */
} table;

static void table_free(table *t)
{
    crow *r = t->rows.data;
    for (size_t i = 0; i < t->rows.len; i++)
        for (int c = 0; c <= CUBE_KEY_DIMS; c++)
            p20w_free(r[i].val[c]);
    for (size_t i = 0; i < t->rows.len; i++)
        p20w_free(r[i].label);
    vec_free(&t->rows);
}

/* The allowed dims of ind as "a, b, c" (none when empty). */
static void allowed_list(const measure_indicator *ind, char *buf, size_t cap)
{
    size_t at = 0;
    buf[0] = '\0';
    uint64_t allowed = ind->dims & ~ind->required_dims;
    for (int d = 0; d < MD_COUNT && at < cap; d++) {
        if (!(allowed & (UINT64_C(1) << d)))
            continue;
        int w = snprintf(buf + at, cap - at, "%s%s", at ? ", " : "",
                         measure_dim_name(d));
        if (w < 0)
            break;
        at += (size_t)w;
    }
    if (at == 0)
        at = (size_t)snprintf(buf, cap, "none");
    for (int d = 0; d < MD_COUNT && at < cap; d++) {
        if (!(ind->required_dims & (UINT64_C(1) << d)))
            continue;
        int w = snprintf(buf + at, cap - at, " (every cell is also by %s)",
                         measure_dim_name(d));
        if (w < 0)
            break;
        at += (size_t)w;
    }
}

/* Checks --by against the indicator and sets the table's columns. */
static p20w_status plan_columns(table *t, const char *by, p20w_err *err)
{
    const measure_indicator *ind = t->ind;
    uint64_t allowed = ind->dims | ind->required_dims;
    uint64_t want = ind->required_dims;
    int nby = 0;
    char list[400];
    allowed_list(ind, list, sizeof list);
    for (const char *s = by; s != NULL && *s;) {
        const char *e = strchr(s, ',');
        size_t n = e ? (size_t)(e - s) : strlen(s);
        char name[32];
        if (n == 0 || n >= sizeof name)
            return p20w_err_set(err, P20W_EINVAL,
                                "--by: expected DIM or DIM,DIM");
        memcpy(name, s, n);
        name[n] = '\0';
        int d = measure_dim_find(name);
        if (d < 0)
            return p20w_err_set(err, P20W_EINVAL,
                                "--by: unknown dimension '%s'; %s allows: %s",
                                name, ind->id, list);
        uint64_t b = UINT64_C(1) << d;
        if (!(allowed & b))
            return p20w_err_set(err, P20W_EINVAL,
                                "--by: %s cannot be cut by %s; it allows: %s",
                                ind->id, name, list);
        if (!(ind->required_dims & b)) {
            if (want & b)
                return p20w_err_set(err, P20W_EINVAL, "--by: %s given twice",
                                    name);
            want |= b;
            nby++;
        }
        s = e ? e + 1 : NULL;
    }
    if (nby > 2)
        return p20w_err_set(err, P20W_EINVAL,
                            "--by: at most two dimensions (race,sex or "
                            "race,econ)");
    if (nby == 2) {
        uint64_t extra = want & ~ind->required_dims;
        uint64_t rs = (UINT64_C(1) << MD_RACE) | (UINT64_C(1) << MD_SEX);
        uint64_t re = (UINT64_C(1) << MD_RACE) | (UINT64_C(1) << MD_ECON);
        if (extra != rs && extra != re)
            return p20w_err_set(err, P20W_EINVAL,
                                "--by: the cube holds two-way cells for "
                                "race,sex and race,econ only");
    }
    size_t at = 0;
    for (int d = 0; d < MD_COUNT; d++) {
        if (!(want & (UINT64_C(1) << d)))
            continue;
        t->cols[t->ncols++] = d;
        at += (size_t)snprintf(t->dims + at, sizeof t->dims - at, "%s%s",
                               at ? "," : "", measure_dim_name(d));
    }
    t->share = ind->stat == MS_SHARE;
    return P20W_OK;
}

/* The complete build of the profile. */
static p20w_status find_build(store *st, const char *profile, table *t,
                              p20w_err *err)
{
    store_stmt *q = NULL;
    int row = 0;
    p20w_status rc = store_prepare(st,
                                   "SELECT build_id, finished_at FROM "
                                   "cube_builds WHERE profile = ? AND "
                                   "status = 'complete'",
                                   &q, err);
    if (rc == P20W_OK)
        rc = store_bind_text(q, 1, profile, (size_t)-1, err);
    if (rc == P20W_OK)
        rc = store_step(q, &row, err);
    if (rc == P20W_OK && row) {
        t->build_id = store_column_int64(q, 0);
        snprintf(t->built_at, sizeof t->built_at, "%s",
                 store_column_text(q, 1));
    } else if (rc == P20W_OK) {
        rc = p20w_err_set(err, P20W_ENOTFOUND,
                          "no cube built with profile '%s' (run 'p20w build "
                          "DB --profile %s')",
                          profile, profile);
    }
    store_finalize(q);
    return rc;
}

/* Labels of the row's columns from dims_json. */
static p20w_status row_labels(table *t, crow *r, const char *dims_json,
                              p20w_err *err)
{
    json_t *o = json_loads(dims_json, 0, NULL);
    if (o == NULL || !json_is_object(o)) {
        json_decref(o);
        return p20w_err_set(err, P20W_EFORMAT,
                            "a cell of the cube has malformed dims_json");
    }
    p20w_status rc = P20W_OK;
    int ncol = t->ncols + t->share;
    for (int c = 0; rc == P20W_OK && c < ncol; c++) {
        const char *name =
            c < t->ncols ? measure_dim_name(t->cols[c]) : "category";
        const char *v = json_string_value(json_object_get(o, name));
        /* a share's group total (added by publication): every category */
        if (v == NULL && c == t->ncols)
            v = "(all)";
        r->val[c] = p20w_strdup(v ? v : "");
        if (r->val[c] == NULL)
            rc = p20w_err_set(err, P20W_ENOMEM, "out of memory");
    }
    json_decref(o);
    return rc;
}

static p20w_status read_cells(store *st, const opts *o, table *t, p20w_err *err)
{
    store_stmt *q = NULL;
    /* Published: only what the cell shows; NULL where it shows nothing. */
    static const char published_sql[] =
        "SELECT c.year, c.dims_json, "
        "CASE WHEN p.show_numerator = 1 THEN p.shown_numerator END, "
        "CASE WHEN p.show_n = 1 AND p.has_rate = 1 THEN p.shown_n END, "
        "p.value, CASE WHEN p.show_n = 1 THEN p.shown_n END, "
        "CASE WHEN p.show_pct = 1 THEN c.p25 END, "
        "CASE WHEN p.show_pct = 1 THEN c.median END, "
        "CASE WHEN p.show_pct = 1 THEN c.p75 END, c.cell_id, p.status, "
        "p.label FROM cube_cells c JOIN published_cells p USING (cell_id) "
        "WHERE c.build_id = ? AND c.indicator = ? AND c.dims = ? AND "
        "(? = 0 OR c.year = ?)";
    p20w_status rc = store_prepare(
        st,
        o->published
            ? published_sql
            : "SELECT year, dims_json, numerator, denominator, value, n, "
              "p25, median, p75, cell_id, NULL, NULL FROM cube_cells WHERE "
              "build_id = ? AND indicator = ? AND dims = ? AND (? = 0 OR "
              "year = ?)",
        &q, err);
    if (rc == P20W_OK)
        rc = store_bind_int64(q, 1, t->build_id, err);
    if (rc == P20W_OK)
        rc = store_bind_text(q, 2, t->ind->id, (size_t)-1, err);
    if (rc == P20W_OK)
        rc = store_bind_text(q, 3, t->dims, (size_t)-1, err);
    if (rc == P20W_OK)
        rc = store_bind_int64(q, 4, o->year, err);
    if (rc == P20W_OK)
        rc = store_bind_int64(q, 5, o->year, err);
    while (rc == P20W_OK) {
        int row;
        rc = store_step(q, &row, err);
        if (rc != P20W_OK || !row)
            break;
        crow *r = vec_push_zero(&t->rows);
        if (r == NULL) {
            rc = p20w_err_set(err, P20W_ENOMEM, "out of memory");
            break;
        }
        r->year = (int32_t)store_column_int64(q, 0);
        r->has_num = !store_column_is_null(q, 2);
        r->has_den = !store_column_is_null(q, 3);
        r->has_pct = !store_column_is_null(q, 7);
        r->num = store_column_double(q, 2);
        r->den = store_column_double(q, 3);
        r->value = store_column_double(q, 4);
        r->n = store_column_int64(q, 5);
        r->p25 = store_column_double(q, 6);
        r->median = store_column_double(q, 7);
        r->p75 = store_column_double(q, 8);
        r->cell_id = store_column_int64(q, 9);
        r->has_value = !store_column_is_null(q, 4);
        r->has_n = !store_column_is_null(q, 5);
        if (o->published) {
            r->status[0] = store_column_text(q, 10)[0];
            r->label = p20w_strdup(store_column_text(q, 11));
            if (r->label == NULL) {
                rc = p20w_err_set(err, P20W_ENOMEM, "out of memory");
                break;
            }
        }
        r->ndims = t->ncols;
        rc = row_labels(t, r, store_column_text(q, 1), err);
    }
    store_finalize(q);
    if (rc == P20W_OK && t->rows.len > 1)
        qsort(t->rows.data, t->rows.len, sizeof(crow), cmp_row);
    return rc;
}

/* ---- output ------------------------------------------------------------- */

enum { C_NUM = 0, C_DEN, C_VALUE, C_N, C_P25, C_MEDIAN, C_P75, C_STATS };
static const char *const stat_cols[C_STATS] = {
    "numerator", "denominator", "value", "n", "p25", "median", "p75"};

/* The statistic columns of the text table, by statistic. */
static int text_stats(int stat, int *out)
{
    static const int rate[] = {C_NUM, C_DEN, C_VALUE};
    static const int pct[] = {C_N, C_P25, C_MEDIAN, C_P75};
    static const int count[] = {C_N};
    const int *s = rate;
    int n = 3;
    if (stat == MS_PERCENTILE) {
        s = pct;
        n = 4;
    } else if (stat == MS_COUNT) {
        s = count;
        n = 1;
    }
    memcpy(out, s, (size_t)n * sizeof *s);
    return n;
}

/* The shortest of %.15g, %.16g, %.17g that reads back as v exactly. */
static void fmt_exact(double v, char *buf, size_t cap)
{
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(buf, cap, "%.*g", prec, v);
        if (strtod(buf, NULL) == v)
            return;
    }
}

/* Formats statistic column k of r ("" when the cell has none); text
 * rounds for reading, csv and json keep every digit. */
static void fmt_stat(const crow *r, int k, int text, char *buf, size_t cap)
{
    buf[0] = '\0';
    switch (k) {
    case C_NUM:
        if (r->has_num)
            snprintf(buf, cap, "%.0f", r->num);
        break;
    case C_DEN:
        if (r->has_den)
            snprintf(buf, cap, "%.0f", r->den);
        break;
    case C_VALUE:
        if (!r->has_value)
            break;
        if (text)
            snprintf(buf, cap, "%.4f", r->value);
        else
            fmt_exact(r->value, buf, cap);
        break;
    case C_N:
        if (r->has_n)
            snprintf(buf, cap, "%" PRId64, r->n);
        break;
    default:
        if (r->has_pct) {
            double v = k == C_P25 ? r->p25 : k == C_MEDIAN ? r->median : r->p75;
            if (text)
                snprintf(buf, cap, "%.2f", v);
            else
                fmt_exact(v, buf, cap);
        }
        break;
    }
}

static void print_text(const table *t, const opts *o)
{
    const measure_indicator *ind = t->ind;
    if (ind->title_en != NULL)
        printf("%s  %s\n", ind->id, ind->title_en);
    else
        printf("%s\n", ind->id);
    printf("profile %s, build %" PRId64 " of %s; cells by %s", o->profile,
           t->build_id, t->built_at, t->ncols ? t->dims : "(state total)");
    if (o->year)
        printf(", year %ld", o->year);
    if (o->published)
        printf(
            "\npublished cells (%s): what the public sees; status P "
            "published, S fewer than the minimum, C suppressed to "
            "protect another cell, B banded\n\n",
            stat_names[ind->stat >= 0 && ind->stat <= MS_FLAG ? ind->stat : 0]);
    else
        printf(
            "\nraw cells (%s), not for publication\n\n",
            stat_names[ind->stat >= 0 && ind->stat <= MS_FLAG ? ind->stat : 0]);
    int ks[C_STATS], nk = text_stats(ind->stat, ks);
    int nlab = t->ncols + t->share;
    size_t w[1 + CUBE_KEY_DIMS + 1 + C_STATS];
    const char *head[1 + CUBE_KEY_DIMS + 1 + C_STATS];
    head[0] = "year";
    for (int c = 0; c < nlab; c++)
        head[1 + c] = c < t->ncols ? measure_dim_name(t->cols[c]) : "category";
    for (int k = 0; k < nk; k++)
        head[1 + nlab + k] = stat_cols[ks[k]];
    int ncol = 1 + nlab + nk;
    for (int c = 0; c < ncol; c++)
        w[c] = strlen(head[c]);
    const crow *rows = t->rows.data;
    char buf[64];
    for (size_t i = 0; i < t->rows.len; i++) {
        w[0] = w[0] < 4 ? 4 : w[0];
        for (int c = 0; c < nlab; c++)
            if (strlen(rows[i].val[c]) > w[1 + c])
                w[1 + c] = strlen(rows[i].val[c]);
        for (int k = 0; k < nk; k++) {
            fmt_stat(&rows[i], ks[k], 1, buf, sizeof buf);
            if (strlen(buf) > w[1 + nlab + k])
                w[1 + nlab + k] = strlen(buf);
        }
    }
    /* text left-aligned, numbers right-aligned */
    for (int c = 0; c < ncol; c++)
        printf("%s%*s", c ? "  " : "", c > nlab ? (int)w[c] : -(int)w[c],
               head[c]);
    if (t->published)
        printf("  status  shown");
    printf("\n");
    for (size_t i = 0; i < t->rows.len; i++) {
        printf("%-*" PRId32, (int)w[0], rows[i].year);
        for (int c = 0; c < nlab; c++)
            printf("  %-*s", (int)w[1 + c], rows[i].val[c]);
        for (int k = 0; k < nk; k++) {
            fmt_stat(&rows[i], ks[k], 1, buf, sizeof buf);
            printf("  %*s", (int)w[1 + nlab + k], buf);
        }
        if (t->published)
            printf("  %-6s  %s", rows[i].status, rows[i].label);
        printf("\n");
    }
    if (t->rows.len == 0)
        printf("(no cells)\n");
}

static p20w_status print_csv(const table *t)
{
    const char *f[1 + CUBE_KEY_DIMS + 1 + C_STATS + 2];
    char bufs[C_STATS][64], year[16];
    int nlab = t->ncols + t->share, n = 0;
    f[n++] = "year";
    for (int c = 0; c < nlab; c++)
        f[n++] = c < t->ncols ? measure_dim_name(t->cols[c]) : "category";
    for (int k = 0; k < C_STATS; k++)
        f[n++] = stat_cols[k];
    if (t->published) {
        f[n++] = "status";
        f[n++] = "shown";
    }
    p20w_status rc = csv_write_row(stdout, f, (size_t)n);
    const crow *rows = t->rows.data;
    for (size_t i = 0; rc == P20W_OK && i < t->rows.len; i++) {
        n = 0;
        snprintf(year, sizeof year, "%" PRId32, rows[i].year);
        f[n++] = year;
        for (int c = 0; c < nlab; c++)
            f[n++] = rows[i].val[c];
        for (int k = 0; k < C_STATS; k++) {
            fmt_stat(&rows[i], k, 0, bufs[k], sizeof bufs[k]);
            f[n++] = bufs[k];
        }
        if (t->published) {
            f[n++] = rows[i].status;
            f[n++] = rows[i].label;
        }
        rc = csv_write_row(stdout, f, (size_t)n);
    }
    return rc;
}

static json_t *row_json(const table *t, const crow *r)
{
    json_t *o = json_object();
    if (o == NULL)
        return NULL;
    int bad = json_object_set_new(o, "year", json_integer(r->year));
    for (int c = 0; !bad && c < t->ncols + t->share; c++)
        bad = json_object_set_new(
            o, c < t->ncols ? measure_dim_name(t->cols[c]) : "category",
            json_string(r->val[c]));
    if (!bad && r->has_num)
        bad = json_object_set_new(o, "numerator",
                                  json_integer((json_int_t)llround(r->num)));
    if (!bad && r->has_den)
        bad = json_object_set_new(o, "denominator",
                                  json_integer((json_int_t)llround(r->den)));
    if (!bad && r->has_value)
        bad = json_object_set_new(o, "value", json_real(r->value));
    if (!bad && r->has_n)
        bad = json_object_set_new(o, "n", json_integer(r->n));
    if (!bad && t->published)
        bad = json_object_set_new(o, "status", json_string(r->status)) ||
              json_object_set_new(o, "shown", json_string(r->label));
    if (!bad && r->has_pct) {
        bad = json_object_set_new(o, "p25", json_real(r->p25)) ||
              json_object_set_new(o, "median", json_real(r->median)) ||
              json_object_set_new(o, "p75", json_real(r->p75));
    }
    if (bad) {
        json_decref(o);
        return NULL;
    }
    return o;
}

static p20w_status print_json(const table *t, const opts *o, p20w_err *err)
{
    json_t *by = json_array(), *cells = json_array();
    int bad = by == NULL || cells == NULL;
    for (int c = 0; !bad && c < t->ncols; c++)
        bad = json_array_append_new(by,
                                    json_string(measure_dim_name(t->cols[c])));
    const crow *rows = t->rows.data;
    for (size_t i = 0; !bad && i < t->rows.len; i++)
        bad = json_array_append_new(cells, row_json(t, &rows[i]));
    json_t *doc = NULL;
    if (!bad) {
        const measure_indicator *ind = t->ind;
        doc = json_pack(
            "{s:s, s:s?, s:s, s:s, s:I, s:s, s:O, s:O}", "indicator", ind->id,
            "title", ind->title_en, "statistic",
            stat_names[ind->stat >= 0 && ind->stat <= MS_FLAG ? ind->stat : 0],
            "profile", o->profile, "build_id", (json_int_t)t->build_id,
            "built_at", t->built_at, "by", by, "cells", cells);
        bad = doc == NULL;
    }
    char *s = NULL;
    if (!bad) {
        s = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        bad = s == NULL;
    }
    if (!bad)
        printf("%s\n", s);
    free(s); /* jansson allocates with malloc */
    json_decref(doc);
    json_decref(by);
    json_decref(cells);
    if (bad)
        return p20w_err_set(err, P20W_ENOMEM, "out of memory");
    return P20W_OK;
}

/* ---- the command -------------------------------------------------------- */

static int parse_args(int argc, char **argv, opts *o)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int more = i + 1 < argc;
        if (strcmp(a, "--indicator") == 0 && more)
            o->indicator = argv[++i];
        else if (strcmp(a, "--by") == 0 && more)
            o->by = argv[++i];
        else if (strcmp(a, "--profile") == 0 && more)
            o->profile = argv[++i];
        else if (strcmp(a, "--format") == 0 && more)
            o->format = argv[++i];
        else if (strcmp(a, "--year") == 0 && more) {
            char *end;
            o->year = strtol(argv[++i], &end, 10);
            if (*end != '\0' || o->year < 1900 || o->year > 2200)
                return cli_usage_error("cube", "--year takes a year (e.g. "
                                               "2024)");
        } else if (strcmp(a, "--published") == 0)
            o->published = 1;
        else if (a[0] != '-' && o->db == NULL)
            o->db = a;
        else
            return cli_usage_error("cube", "unexpected '%s'", a);
    }
    if (o->db == NULL)
        return cli_usage_error("cube", "missing DB");
    if (o->indicator == NULL)
        return cli_usage_error("cube", "missing --indicator ID");
    if (strcmp(o->format, "text") != 0 && strcmp(o->format, "csv") != 0 &&
        strcmp(o->format, "json") != 0)
        return cli_usage_error("cube", "--format is text, csv or json");
    return 0;
}

int cmd_cube(int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        fputs(usage_text, stdout);
        return 0;
    }
    opts o = {.profile = "default", .format = "text"};
    int urc = parse_args(argc, argv, &o);
    if (urc != 0)
        return urc;
    /* Hook for disclosure control: with --published the rows read below
     * are replaced by the published cells (published_cells: status and
     * label per cell) before they are printed. */
    p20w_err err = {0};
    table t = {0};
    vec_init(&t.rows, sizeof(crow));
    t.published = o.published;
    t.ind = measure_find(o.indicator);
    if (t.ind == NULL) {
        char known[600] = "";
        size_t n, at = 0;
        const measure_indicator *cat = measure_catalog(&n);
        for (size_t i = 0; i < n && at < sizeof known; i++) {
            int w = snprintf(known + at, sizeof known - at, "%s%s",
                             i ? ", " : "", cat[i].id);
            if (w < 0)
                break;
            at += (size_t)w;
        }
        p20w_err_set(&err, P20W_ENOTFOUND,
                     "unknown indicator '%s'; indicators: %s", o.indicator,
                     known);
        return cli_fail(&err);
    }
    p20w_status rc = plan_columns(&t, o.by, &err);
    store *st = NULL;
    if (rc == P20W_OK)
        rc = store_open(o.db, STORE_OPEN_READONLY, &st, NULL, &err);
    if (rc == P20W_OK)
        rc = find_build(st, o.profile, &t, &err);
    if (rc == P20W_OK)
        rc = read_cells(st, &o, &t, &err);
    if (rc == P20W_OK) {
        if (strcmp(o.format, "csv") == 0)
            rc = print_csv(&t);
        else if (strcmp(o.format, "json") == 0)
            rc = print_json(&t, &o, &err);
        else
            print_text(&t, &o);
        if (rc == P20W_EIO)
            p20w_err_set(&err, rc, "cannot write the output");
    }
    table_free(&t);
    store_close(st);
    return rc == P20W_OK ? 0 : cli_fail(&err);
}
