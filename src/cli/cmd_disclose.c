/*
 * cmd_disclose.c — `p20w disclose`: disclosure control over a table given
 * as CSV, and the audit of a published table (for testing and for offices
 * that want to check a table by hand; the cube-wide `disclose audit DB`
 * comes with the cube).
 *
 *   p20w disclose [options] FILE       protect a table, print the result
 *   p20w disclose audit [options] FILE audit a published table
 *
 * Input of the first form: a header naming 1..3 dimension columns, then
 * `n`, then optionally `numerator` (a rate table); one row per interior
 * cell (missing combinations count 0). Output, and input of `audit`: the
 * same dimension columns (margins read "Total"), then n, numerator,
 * status, label, shown_n, shown_numerator, rate_lo, rate_hi. The audit
 * trusts the n and numerator columns as the true values and the status
 * and shown_* / rate_* columns as what was published.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "derive/profile.h"
#include "disclose/disclose.h"
#include "publish/publish.h"
#include "store/store.h"
#include "util/csv.h"
#include "util/mem.h"

#define MAX_CATS 100000
#define TOTAL_LABEL "Total"

static void usage(FILE *out)
{
    fprintf(out,
            "usage: p20w disclose [options] FILE\n"
            "       p20w disclose audit [options] FILE\n"
            "       p20w disclose audit DB [--profile NAME] [--config FILE]\n"
            "\n"
            "Applies disclosure control (docs/methodology-disclosure.md) to a\n"
            "table given as CSV and prints every cell with its status (P\n"
            "published, S primary suppression, C complementary, B banded),\n"
            "label and what may be shown; or audits a published table: an\n"
            "attacker solving linear programmes over everything published\n"
            "must not narrow any hidden number too much.\n"
            "\n"
            "FILE (first form): a header of 1 to 3 dimension columns, then\n"
            "'n' and optionally 'numerator'; one row per cell. Totals are\n"
            "computed. FILE (audit): the output of the first form.\n"
            "\n"
            "  --min-n N            minimum n (default 10)\n"
            "  --protect P          protection share p (default 0.5)\n"
            "  --no-complementary   primary rules only (to see the audit "
            "fail)\n"
            "  -h, --help           this help\n"
            "\n"
            "exit codes: 0 ok (audit: no failure), 1 bad input or audit\n"
            "failures, 2 usage, 3 internal error\n");
}

/* ---- reading ----------------------------------------------------------- */

typedef struct dim {
    char **cat; /* owned category names */
    size_t n, cap;
} dim;

typedef struct rows {
    char **field; /* nrows * ncols owned strings */
    size_t nrows, cap;
    size_t ncols;
    size_t ndims;
    int col_num, col_status, col_label, col_shown_n, col_shown_num, col_lo,
        col_hi;
    char *name[DISCLOSE_MAX_DIMS]; /* dimension column names */
    dim dims[DISCLOSE_MAX_DIMS];
} rows;

static void rows_free(rows *r)
{
    for (size_t i = 0; i < r->nrows * r->ncols; i++)
        p20w_free(r->field[i]);
    p20w_free(r->field);
    for (size_t d = 0; d < DISCLOSE_MAX_DIMS; d++) {
        p20w_free(r->name[d]);
        for (size_t k = 0; k < r->dims[d].n; k++)
            p20w_free(r->dims[d].cat[k]);
        p20w_free(r->dims[d].cat);
    }
}

static int find_col(const csv_field *f, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(f[i].ptr, name) == 0)
            return (int)i;
    return -1;
}

static p20w_status header(rows *r, const csv_field *f, size_t n, int audit,
                          p20w_err *err)
{
    int cn = find_col(f, n, "n");
    if (cn < 1 || cn > DISCLOSE_MAX_DIMS)
        return p20w_err_set(err, P20W_EFORMAT,
                            "header: need 1 to 3 dimension columns, then 'n'");
    r->ndims = (size_t)cn;
    r->ncols = n;
    r->col_num = find_col(f, n, "numerator");
    r->col_status = find_col(f, n, "status");
    r->col_label = find_col(f, n, "label");
    for (size_t d = 0; d < r->ndims; d++) {
        r->name[d] = p20w_strdup(f[d].ptr);
        if (r->name[d] == NULL)
            return p20w_err_set(err, P20W_ENOMEM, "out of memory");
    }
    r->col_shown_n = find_col(f, n, "shown_n");
    r->col_shown_num = find_col(f, n, "shown_numerator");
    r->col_lo = find_col(f, n, "rate_lo");
    r->col_hi = find_col(f, n, "rate_hi");
    if (audit && (r->col_status < 0 || r->col_shown_n < 0 ||
                  r->col_shown_num < 0 || r->col_lo < 0 || r->col_hi < 0))
        return p20w_err_set(err, P20W_EFORMAT,
                            "header: an audit needs status, shown_n, "
                            "shown_numerator, rate_lo and rate_hi columns");
    return P20W_OK;
}

static p20w_status add_cat(dim *d, const char *name, p20w_err *err)
{
    if (strcmp(name, TOTAL_LABEL) == 0)
        return P20W_OK;
    for (size_t k = 0; k < d->n; k++)
        if (strcmp(d->cat[k], name) == 0)
            return P20W_OK;
    if (d->n == MAX_CATS)
        return p20w_err_set(err, P20W_ELIMIT, "more than %d categories",
                            MAX_CATS);
    if (d->n == d->cap) {
        size_t cap = d->cap ? 2 * d->cap : 16;
        char **c = p20w_realloc(d->cat, cap * sizeof *c);
        if (c == NULL)
            return p20w_err_set(err, P20W_ENOMEM, "out of memory");
        d->cat = c;
        d->cap = cap;
    }
    d->cat[d->n] = p20w_strdup(name);
    if (d->cat[d->n] == NULL)
        return p20w_err_set(err, P20W_ENOMEM, "out of memory");
    d->n++;
    return P20W_OK;
}

static p20w_status add_row(rows *r, const csv_field *f, size_t n, long line,
                           p20w_err *err)
{
    if (n != r->ncols)
        return p20w_err_set(err, P20W_EFORMAT,
                            "line %ld: %zu fields, the header has %zu", line, n,
                            r->ncols);
    if (r->nrows == r->cap) {
        size_t cap = r->cap ? 2 * r->cap : 64;
        char **g = p20w_realloc(r->field, cap * r->ncols * sizeof *g);
        if (g == NULL)
            return p20w_err_set(err, P20W_ENOMEM, "out of memory");
        r->field = g;
        r->cap = cap;
    }
    char **row = r->field + r->nrows * r->ncols;
    for (size_t i = 0; i < n; i++)
        row[i] = NULL;
    r->nrows++;
    for (size_t i = 0; i < n; i++) {
        row[i] = p20w_strdup(f[i].ptr);
        if (row[i] == NULL)
            return p20w_err_set(err, P20W_ENOMEM, "out of memory");
    }
    for (size_t d = 0; d < r->ndims; d++) {
        p20w_status rc = add_cat(&r->dims[d], row[d], err);
        if (rc != P20W_OK)
            return rc;
    }
    return P20W_OK;
}

static p20w_status read_rows(const char *path, int audit, rows *r,
                             p20w_err *err)
{
    csv_reader *cr = NULL;
    p20w_status rc = csv_reader_open_file(path, NULL, &cr, err);
    if (rc != P20W_OK)
        return rc;
    const csv_field *f;
    size_t n;
    rc = csv_read(cr, &f, &n, err);
    if (rc == P20W_OK && n == 0)
        rc = p20w_err_set(err, P20W_EFORMAT, "empty file");
    if (rc == P20W_OK)
        rc = header(r, f, n, audit, err);
    while (rc == P20W_OK) {
        rc = csv_read(cr, &f, &n, err);
        if (rc != P20W_OK || n == 0)
            break;
        rc = add_row(r, f, n, csv_reader_line(cr), err);
    }
    csv_reader_close(cr);
    return rc;
}

/* ---- numbers ----------------------------------------------------------- */

static int parse_long(const char *s, long *out)
{
    char *end = NULL;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (end == s || *end != '\0' || errno != 0 || v < 0)
        return 0;
    *out = v;
    return 1;
}

static int parse_double(const char *s, double *out)
{
    char *end = NULL;
    errno = 0;
    double v = strtod(s, &end);
    if (end == s || *end != '\0' || errno != 0 || !isfinite(v))
        return 0;
    *out = v;
    return 1;
}

static size_t cat_index(const dim *d, const char *name)
{
    if (strcmp(name, TOTAL_LABEL) == 0)
        return DISCLOSE_TOTAL;
    for (size_t k = 0; k < d->n; k++)
        if (strcmp(d->cat[k], name) == 0)
            return k;
    return DISCLOSE_TOTAL; /* not reached: every name was added */
}

/* Fills the table from the rows; interior only unless `margins`. */
static p20w_status fill(const rows *r, disclose_table *t, int margins,
                        unsigned char *seen, p20w_err *err)
{
    for (size_t i = 0; i < r->nrows; i++) {
        char *const *row = r->field + i * r->ncols;
        size_t coord[DISCLOSE_MAX_DIMS], idx;
        for (size_t d = 0; d < r->ndims; d++)
            coord[d] = cat_index(&r->dims[d], row[d]);
        if (disclose_table_index(t, coord, &idx) != P20W_OK)
            return p20w_err_set(err, P20W_EINTERNAL, "bad coordinates");
        if (!margins && disclose_table_is_margin(t, idx))
            return p20w_err_set(err, P20W_EFORMAT,
                                "row %zu: totals are computed, do not give "
                                "them",
                                i + 1);
        if (seen[idx])
            return p20w_err_set(err, P20W_EFORMAT,
                                "row %zu: the same cell twice", i + 1);
        seen[idx] = 1;
        long n = 0, m = 0;
        if (!parse_long(row[r->ndims], &n) ||
            (r->col_num >= 0 && !parse_long(row[r->col_num], &m)))
            return p20w_err_set(err, P20W_EFORMAT,
                                "row %zu: n and numerator must be whole "
                                "numbers >= 0",
                                i + 1);
        if (disclose_table_set(t, idx, n, m) != P20W_OK)
            return p20w_err_set(err, P20W_EFORMAT, "row %zu: numerator above n",
                                i + 1);
    }
    return P20W_OK;
}

/* ---- writing ----------------------------------------------------------- */

static const char *cat_name(const rows *r, size_t d, size_t c)
{
    return c == DISCLOSE_TOTAL ? TOTAL_LABEL : r->dims[d].cat[c];
}

static p20w_status write_result(const rows *r, const disclose_table *t,
                                const disclose_result *res)
{
    const char *head[DISCLOSE_MAX_DIMS + 8];
    size_t k = 0;
    for (size_t d = 0; d < r->ndims; d++)
        head[k++] = r->name[d];
    static const char *const tail[] = {
        "n",       "numerator",       "status",  "label",
        "shown_n", "shown_numerator", "rate_lo", "rate_hi"};
    int num = disclose_table_has_numerator(t);
    for (size_t i = 0; i < 8; i++)
        if (i != 1 || num)
            head[k++] = tail[i];
    if (csv_write_row(stdout, head, k) != P20W_OK)
        return P20W_EIO;
    for (size_t i = 0; i < disclose_table_cells(t); i++) {
        size_t coord[DISCLOSE_MAX_DIMS];
        disclose_table_coord(t, i, coord);
        const disclose_cell *c = disclose_result_cell(res, i);
        char nb[32], mb[32], st[2] = {c->status, 0}, lo[32] = "", hi[32] = "";
        snprintf(nb, sizeof nb, "%ld", disclose_table_n(t, i));
        snprintf(mb, sizeof mb, "%ld", disclose_table_numerator(t, i));
        if (c->has_rate) {
            snprintf(lo, sizeof lo, "%.17g", c->rate_lo);
            snprintf(hi, sizeof hi, "%.17g", c->rate_hi);
        }
        const char *f[DISCLOSE_MAX_DIMS + 8];
        k = 0;
        for (size_t d = 0; d < r->ndims; d++)
            f[k++] = cat_name(r, d, coord[d]);
        f[k++] = nb;
        if (num)
            f[k++] = mb;
        f[k++] = st;
        f[k++] = c->label;
        f[k++] = c->show_n ? "1" : "0";
        f[k++] = c->show_numerator ? "1" : "0";
        f[k++] = lo;
        f[k++] = hi;
        if (csv_write_row(stdout, f, k) != P20W_OK)
            return P20W_EIO;
    }
    return P20W_OK;
}

/* ---- the published cells of an audit input ------------------------------ */

static p20w_status published(const rows *r, const disclose_table *t,
                             disclose_result *res, p20w_err *err)
{
    for (size_t i = 0; i < r->nrows; i++) {
        char *const *row = r->field + i * r->ncols;
        size_t coord[DISCLOSE_MAX_DIMS], idx;
        for (size_t d = 0; d < r->ndims; d++)
            coord[d] = cat_index(&r->dims[d], row[d]);
        if (disclose_table_index(t, coord, &idx) != P20W_OK)
            return p20w_err_set(err, P20W_EINTERNAL, "bad coordinates");
        disclose_cell c;
        memset(&c, 0, sizeof c);
        const char *st = row[r->col_status];
        if (strlen(st) != 1 || strchr("PSCBL", st[0]) == NULL)
            return p20w_err_set(err, P20W_EFORMAT,
                                "row %zu: status must be P, S, C, B or L",
                                i + 1);
        c.status = st[0];
        snprintf(c.label, sizeof c.label, "%s",
                 r->col_label >= 0 ? row[r->col_label] : "");
        c.show_n = strcmp(row[r->col_shown_n], "1") == 0;
        c.show_numerator = strcmp(row[r->col_shown_num], "1") == 0;
        c.n = disclose_table_n(t, idx);
        c.numerator = disclose_table_numerator(t, idx);
        if (row[r->col_lo][0] != '\0' || row[r->col_hi][0] != '\0') {
            if (!parse_double(row[r->col_lo], &c.rate_lo) ||
                !parse_double(row[r->col_hi], &c.rate_hi) || c.rate_lo < 0 ||
                c.rate_hi > 1 || c.rate_lo > c.rate_hi)
                return p20w_err_set(err, P20W_EFORMAT,
                                    "row %zu: rate_lo/rate_hi must be "
                                    "fractions with lo <= hi",
                                    i + 1);
            c.has_rate = 1;
        }
        disclose_result_set(res, idx, &c);
    }
    return P20W_OK;
}

static const char *const quantity_name[] = {"n", "numerator", "non-numerator"};
static const char *const reason_name[] = {
    "",
    "provable interval misses the protection interval",
    "pinned to one value",
    "only suppressed cell of a line",
    "suppressed cells of a line are all zero",
    "published count below min_n",
    "published rate 0 %, 100 % or beyond its band edge",
    "percentiles shown with n below min_n_percentile"};

static void print_failure(const rows *r, const disclose_table *t,
                          const disclose_failure *f)
{
    size_t coord[DISCLOSE_MAX_DIMS];
    disclose_table_coord(t, f->cell, coord);
    printf("cell");
    for (size_t d = 0; d < r->ndims; d++)
        printf("%s%s", d ? " × " : " ", cat_name(r, d, coord[d]));
    printf(": %s %g, provable [%g, %g]: %s\n", quantity_name[f->quantity],
           f->value, f->lo, f->hi, reason_name[f->reason]);
}

/* ---- the command ------------------------------------------------------- */

typedef struct opts {
    int audit;
    int no_comp;
    disclose_profile prof;
    const char *file;
} opts;

static int parse_args(int argc, char **argv, opts *o)
{
    disclose_profile_default(&o->prof);
    int i = 1;
    if (i < argc && strcmp(argv[i], "audit") == 0) {
        o->audit = 1;
        i++;
    }
    for (; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--no-complementary") == 0) {
            o->no_comp = 1;
        } else if (strcmp(a, "--min-n") == 0 && i + 1 < argc) {
            long v;
            if (!parse_long(argv[++i], &v) || v < 1 || v > 1000000)
                return cli_usage_error("disclose", "bad --min-n");
            o->prof.min_n = v;
            /* bands below min_n never apply; the last must start <= it */
            disclose_band *last = &o->prof.band[o->prof.band_count - 1];
            if (last->min_denominator > v)
                last->min_denominator = v;
            if (o->prof.min_n_percentile < v)
                o->prof.min_n_percentile = v;
        } else if (strcmp(a, "--protect") == 0 && i + 1 < argc) {
            double v;
            if (!parse_double(argv[++i], &v) || v < 0 || v > 1)
                return cli_usage_error("disclose", "bad --protect");
            o->prof.protect_pct = v;
        } else if (a[0] == '-' && a[1] != '\0') {
            return cli_usage_error("disclose", "unknown option '%s'", a);
        } else if (o->file == NULL) {
            o->file = a;
        } else {
            return cli_usage_error("disclose", "too many arguments");
        }
    }
    if (o->file == NULL)
        return cli_usage_error("disclose", "missing FILE");
    return 0;
}

/* 1 when path is a SQLite file (a p20w database to audit whole). */
static int is_sqlite_file(const char *path)
{
    char head[16];
    FILE *fp = fopen(path, "rb");
    size_t n;
    if (fp == NULL)
        return 0;
    n = fread(head, 1, sizeof head, fp);
    fclose(fp);
    return n == sizeof head && memcmp(head, "SQLite format 3", 16) == 0;
}

/* p20w disclose audit DB [--profile NAME] [--config FILE]: every published
 * table of the profile's cube, attacked by LP. */
static int audit_db(int argc, char **argv)
{
    const char *db = NULL, *name = "default", *config = NULL;
    for (int i = 2; i < argc; i++) {
        int more = i + 1 < argc;
        if (strcmp(argv[i], "--profile") == 0 && more)
            name = argv[++i];
        else if (strcmp(argv[i], "--config") == 0 && more)
            config = argv[++i];
        else if (argv[i][0] != '-' && db == NULL)
            db = argv[i];
        else
            return cli_usage_error("disclose", "unexpected '%s'", argv[i]);
    }
    p20w_err err = {0};
    p20w_config *cfg = NULL;
    p20w_profile prof;
    store *st = NULL;
    publish_stats ps;
    p20w_status rc = P20W_OK;
    if (config != NULL)
        rc = profile_config_load(config, &cfg, &err);
    if (rc == P20W_OK)
        rc = profile_config_get(cfg, name, &prof, &err);
    if (rc == P20W_OK)
        rc = store_open(db, STORE_OPEN_READONLY, &st, NULL, &err);
    if (rc == P20W_OK)
        rc = publish_audit(st, &prof, stdout, &ps, &err);
    store_close(st);
    profile_config_free(cfg);
    if (rc != P20W_OK)
        return cli_fail(&err);
    printf("audited %zu tables (%zu cells) of profile %s: %zu failure%s\n",
           ps.tables, ps.cells, prof.name, ps.failures,
           ps.failures == 1 ? "" : "s");
    return ps.failures ? 1 : 0;
}

int cmd_disclose(int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        usage(stdout);
        return 0;
    }
    if (argc >= 3 && strcmp(argv[1], "audit") == 0 && argv[2][0] != '-' &&
        is_sqlite_file(argv[2]))
        return audit_db(argc, argv);
    opts o;
    memset(&o, 0, sizeof o);
    int urc = parse_args(argc, argv, &o);
    if (urc != 0)
        return urc;
    p20w_err err = {0};
    rows r;
    memset(&r, 0, sizeof r);
    disclose_table *t = NULL;
    disclose_result *res = NULL;
    disclose_failure *f = NULL;
    unsigned char *seen = NULL;
    size_t nf = 0;
    int code = 0;
    p20w_status rc = disclose_profile_check(&o.prof, &err);
    if (rc == P20W_OK)
        rc = read_rows(o.file, o.audit, &r, &err);
    if (rc != P20W_OK)
        goto fail;
    size_t size[DISCLOSE_MAX_DIMS];
    for (size_t d = 0; d < r.ndims; d++) {
        size[d] = r.dims[d].n;
        if (size[d] == 0) {
            rc = p20w_err_set(&err, P20W_EFORMAT,
                              "dimension %zu has no category", d + 1);
            goto fail;
        }
    }
    rc = disclose_table_new(r.ndims, size, r.col_num >= 0, 0, &t, &err);
    if (rc != P20W_OK)
        goto fail;
    seen = p20w_calloc(disclose_table_cells(t), 1);
    if (seen == NULL) {
        rc = p20w_err_set(&err, P20W_ENOMEM, "out of memory");
        goto fail;
    }
    rc = fill(&r, t, o.audit, seen, &err);
    if (rc != P20W_OK)
        goto fail;
    if (!o.audit) {
        disclose_table_fill_margins(t);
        disclose_opts dopt = {0};
        dopt.no_complementary = o.no_comp;
        rc = disclose_run(&o.prof, t, &dopt, &res, &err);
        if (rc == P20W_OK && write_result(&r, t, res) != P20W_OK)
            rc = p20w_err_set(&err, P20W_EIO, "cannot write the output");
        if (rc != P20W_OK)
            goto fail;
        goto out;
    }
    for (size_t i = 0; i < disclose_table_cells(t); i++)
        if (!seen[i]) {
            rc = p20w_err_set(&err, P20W_EFORMAT,
                              "the table lacks cell %zu (every cell and total "
                              "must be listed)",
                              i);
            goto fail;
        }
    rc = disclose_table_check(t, &err);
    if (rc == P20W_OK)
        rc = disclose_result_new(disclose_table_cells(t), &res);
    if (rc == P20W_OK)
        rc = published(&r, t, res, &err);
    if (rc == P20W_OK)
        rc = disclose_audit(&o.prof, t, res, &f, &nf, &err);
    if (rc != P20W_OK)
        goto fail;
    for (size_t k = 0; k < nf; k++)
        print_failure(&r, t, &f[k]);
    printf("%zu cells, %zu failures\n", disclose_table_cells(t), nf);
    code = nf == 0 ? 0 : 1;
    goto out;
fail:
    if (err.code == P20W_OK)
        p20w_err_set(&err, rc, "%s", p20w_strerror(rc));
    code = cli_fail(&err);
out:
    p20w_free(f);
    p20w_free(seen);
    disclose_result_free(res);
    disclose_table_free(t);
    rows_free(&r);
    return code;
}
