/*
 * cells.c — selections of published cells and their fields (cells.h).
 */
#include "serve/cells.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "serve/html.h"
#include "serve/i18n.h"
#include "serve/labels.h"

p20w_status serve_sel_plan(serve_sel *s, const measure_indicator *ind,
                           const char *by, char *why, size_t cap)
{
    uint64_t want = ind->required_dims, extra = 0;
    uint64_t allowed = ind->dims | ind->required_dims;
    int nby = 0;
    memset(s, 0, sizeof *s);
    s->ind = ind;
    for (const char *p = by; p != NULL && *p;) {
        const char *e = strchr(p, ',');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        char name[32];
        if (n == 0 || n >= sizeof name) {
            snprintf(why, cap,
                     _("'by' takes dimension names separated by "
                       "commas"));
            return P20W_EINVAL;
        }
        memcpy(name, p, n);
        name[n] = '\0';
        int d = measure_dim_find(name);
        if (d < 0 || !(allowed & (UINT64_C(1) << d))) {
            snprintf(why, cap,
                     _("%s cannot be shown by '%.31s'; see "
                       "/api/v1/indicators for the dimensions it allows"),
                     ind->id, name);
            return P20W_EINVAL;
        }
        uint64_t b = UINT64_C(1) << d;
        if (!(ind->required_dims & b)) {
            if (extra & b) {
                snprintf(why, cap, _("'by' names '%s' twice"), name);
                return P20W_EINVAL;
            }
            extra |= b;
            nby++;
        }
        want |= b;
        p = e ? e + 1 : NULL;
    }
    uint64_t rs = (UINT64_C(1) << MD_RACE) | (UINT64_C(1) << MD_SEX);
    uint64_t re = (UINT64_C(1) << MD_RACE) | (UINT64_C(1) << MD_ECON);
    if (nby > 2 || (nby == 2 && extra != rs && extra != re)) {
        snprintf(why, cap,
                 _("Two dimensions at once are published only for "
                   "race with sex and race with econ"));
        return P20W_EINVAL;
    }
    size_t at = 0;
    for (int d = 0; d < MD_COUNT; d++) {
        if (!(want & (UINT64_C(1) << d)))
            continue;
        int w = snprintf(s->dims + at, sizeof s->dims - at, "%s%s",
                         at ? "," : "", measure_dim_name(d));
        if (w < 0 || (size_t)w >= sizeof s->dims - at)
            return P20W_EINVAL;
        at += (size_t)w;
    }
    return P20W_OK;
}

int serve_sel_match(const serve_sel *s, const pub_cell *c)
{
    if (s->year != 0 && c->year != s->year)
        return 0;
    if (s->status != 0 && c->status != s->status)
        return 0;
    for (int i = 0; s->t != NULL && i < s->t->ndims; i++)
        if (s->value[i] != NULL && strcmp(s->value[i], c->val[i]) != 0)
            return 0;
    return 1;
}

void serve_fmt_exact(double v, char *buf, size_t cap)
{
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(buf, cap, "%.*g", prec, v);
        if (strtod(buf, NULL) == v)
            return;
    }
}

json_t *serve_cell_json(const pub_table *t, const pub_cell *c,
                        const hmap *names, const char *category_label)
{
    json_t *o = json_object(), *labels = json_object();
    char buf[160];
    int bad = o == NULL || labels == NULL;
    if (!bad)
        bad = json_object_set_new(o, "year", json_integer(c->year));
    for (int i = 0; !bad && i < t->ndims; i++) {
        const char *name = measure_dim_name(t->dim[i]);
        bad = json_object_set_new(o, name, json_string(c->val[i])) ||
              json_object_set_new(
                  labels, name,
                  json_string(serve_value_label(names, t->dim[i], c->val[i],
                                                buf, sizeof buf)));
    }
    if (!bad && c->category != NULL)
        bad = json_object_set_new(o, "category", json_string(c->category));
    char st[2] = {c->status, 0};
    if (!bad)
        bad = json_object_set_new(o, "status", json_string(st)) ||
              json_object_set_new(o, "shown", json_string(c->label));
    if (!bad && (c->has & PUB_HAS_VALUE))
        bad = json_object_set_new(o, "value", json_real(c->value));
    if (!bad && (c->has & PUB_HAS_N))
        bad = json_object_set_new(o, "n", json_integer(c->n));
    if (!bad && (c->has & PUB_HAS_NUM))
        bad = json_object_set_new(o, "numerator", json_integer(c->numerator));
    if (!bad && (c->has & PUB_HAS_N) && (c->has & PUB_HAS_RATE))
        bad = json_object_set_new(o, "denominator", json_integer(c->n));
    if (!bad && (c->has & PUB_HAS_RATE))
        bad = json_object_set_new(o, "rate_lo", json_real(c->rate_lo)) ||
              json_object_set_new(o, "rate_hi", json_real(c->rate_hi));
    if (!bad && (c->has & PUB_HAS_PCT))
        bad = json_object_set_new(o, "p25", json_real(c->p25)) ||
              json_object_set_new(o, "median", json_real(c->median)) ||
              json_object_set_new(o, "p75", json_real(c->p75));
    if (!bad && c->category != NULL && category_label != NULL)
        bad = json_object_set_new(labels, "category",
                                  json_string(category_label));
    if (!bad && (t->ndims > 0 || json_object_size(labels) > 0))
        bad = json_object_set(o, "labels", labels);
    json_decref(labels);
    if (bad) {
        json_decref(o);
        return NULL;
    }
    return o;
}

/* One CSV field, quoted when it holds a comma, quote or line break. */
p20w_status serve_csv_field(sbuf *out, const char *v, int first)
{
    p20w_status rc = first ? P20W_OK : sbuf_putc(out, ',');
    if (rc != P20W_OK)
        return rc;
    if (strpbrk(v, ",\"\r\n") == NULL)
        return sbuf_puts(out, v);
    rc = sbuf_putc(out, '"');
    for (const char *c = v; rc == P20W_OK && *c; c++)
        rc = *c == '"' ? sbuf_puts(out, "\"\"") : sbuf_putc(out, *c);
    if (rc == P20W_OK)
        rc = sbuf_putc(out, '"');
    return rc;
}

enum { F_VALUE, F_N, F_NUM, F_DEN, F_LO, F_HI, F_P25, F_MED, F_P75, F_COUNT };
const char *const serve_cell_number_names[SERVE_CELL_NUMBERS] = {
    "value",   "n",   "numerator", "denominator", "rate_lo",
    "rate_hi", "p25", "median",    "p75"};

void serve_cell_number(const pub_cell *c, int k, char *buf, size_t cap)
{
    buf[0] = '\0';
    switch (k) {
    case F_VALUE:
        if (c->has & PUB_HAS_VALUE)
            serve_fmt_exact(c->value, buf, cap);
        break;
    case F_N:
        if (c->has & PUB_HAS_N)
            snprintf(buf, cap, "%" PRId64, c->n);
        break;
    case F_NUM:
        if (c->has & PUB_HAS_NUM)
            snprintf(buf, cap, "%" PRId64, c->numerator);
        break;
    case F_DEN:
        if ((c->has & PUB_HAS_N) && (c->has & PUB_HAS_RATE))
            snprintf(buf, cap, "%" PRId64, c->n);
        break;
    case F_LO:
    case F_HI:
        if (c->has & PUB_HAS_RATE)
            serve_fmt_exact(k == F_LO ? c->rate_lo : c->rate_hi, buf, cap);
        break;
    default:
        if (c->has & PUB_HAS_PCT)
            serve_fmt_exact(k == F_P25   ? c->p25
                            : k == F_MED ? c->median
                                         : c->p75,
                            buf, cap);
        break;
    }
}

/* The columns every CSV of cells ends with: category (shares only),
 * status, shown and the numbers; then the line's end. */
static p20w_status csv_head_tail(sbuf *out, int share)
{
    p20w_status rc = P20W_OK;
    if (share)
        rc = serve_csv_field(out, "category", 0);
    if (rc == P20W_OK)
        rc = serve_csv_field(out, "status", 0);
    if (rc == P20W_OK)
        rc = serve_csv_field(out, "shown", 0);
    for (int k = 0; rc == P20W_OK && k < F_COUNT; k++)
        rc = serve_csv_field(out, serve_cell_number_names[k], 0);
    if (rc == P20W_OK)
        rc = sbuf_puts(out, "\r\n");
    return rc;
}

/* Cell c's values of the columns csv_head_tail() names. */
static p20w_status csv_cell_tail(sbuf *out, const pub_cell *c, int share)
{
    char buf[64], st[2] = {c->status, 0};
    p20w_status rc = P20W_OK;
    if (share)
        rc = serve_csv_field(out, c->category ? c->category : "", 0);
    if (rc == P20W_OK)
        rc = serve_csv_field(out, st, 0);
    if (rc == P20W_OK)
        rc = serve_csv_field(out, c->label, 0);
    for (int k = 0; rc == P20W_OK && k < F_COUNT; k++) {
        serve_cell_number(c, k, buf, sizeof buf);
        rc = serve_csv_field(out, buf, 0);
    }
    if (rc == P20W_OK)
        rc = sbuf_puts(out, "\r\n");
    return rc;
}

p20w_status serve_cells_csv(const serve_sel *s, sbuf *out)
{
    p20w_status rc = serve_csv_field(out, "indicator", 1);
    if (rc == P20W_OK)
        rc = serve_csv_field(out, "year", 0);
    const pub_table *t = s->t;
    int share = s->ind->stat == MS_SHARE;
    int nd = t != NULL ? t->ndims : 0;
    for (int i = 0; rc == P20W_OK && i < nd; i++)
        rc = serve_csv_field(out, measure_dim_name(t->dim[i]), 0);
    if (rc == P20W_OK)
        rc = csv_head_tail(out, share);
    for (size_t i = 0; rc == P20W_OK && t != NULL && i < t->ncells; i++) {
        const pub_cell *c = &t->cells[i];
        if (!serve_sel_match(s, c))
            continue;
        char buf[64];
        rc = serve_csv_field(out, s->ind->id, 1);
        snprintf(buf, sizeof buf, "%" PRId32, c->year);
        if (rc == P20W_OK)
            rc = serve_csv_field(out, buf, 0);
        for (int d = 0; rc == P20W_OK && d < nd; d++)
            rc = serve_csv_field(out, c->val[d], 0);
        if (rc == P20W_OK)
            rc = csv_cell_tail(out, c, share);
    }
    return rc;
}

/* ---- the tables of the pages --------------------------------------------- */

p20w_status serve_rows_csv_head(sbuf *out, int share)
{
    static const char *const head[] = {"indicator", "year", "by", "values"};
    p20w_status rc = P20W_OK;
    for (size_t i = 0; rc == P20W_OK && i < 4; i++)
        rc = serve_csv_field(out, head[i], i == 0);
    if (rc == P20W_OK)
        rc = csv_head_tail(out, share);
    return rc;
}

/* The cell's dims values joined by ','. */
static void key_of(const pub_table *t, const pub_cell *c, char *buf, size_t cap)
{
    size_t at = 0;
    buf[0] = '\0';
    for (int d = 0; d < t->ndims && at < cap; d++) {
        int w = snprintf(buf + at, cap - at, "%s%s", d ? "," : "", c->val[d]);
        if (w < 0)
            break;
        at += (size_t)w;
    }
}

p20w_status serve_row_csv(sbuf *out, const measure_indicator *ind,
                          const pub_table *t, const pub_cell *c, int share)
{
    char buf[256];
    snprintf(buf, sizeof buf, "%" PRId32, c->year);
    p20w_status rc = serve_csv_field(out, ind->id, 1);
    if (rc == P20W_OK)
        rc = serve_csv_field(out, buf, 0);
    if (rc == P20W_OK)
        rc = serve_csv_field(out, t->dims, 0);
    key_of(t, c, buf, sizeof buf);
    if (rc == P20W_OK)
        rc = serve_csv_field(out, buf, 0);
    if (rc == P20W_OK)
        rc = csv_cell_tail(out, c, share);
    return rc;
}

p20w_status serve_row_data(sbuf *out, const measure_indicator *ind,
                           const pub_table *t, const pub_cell *c)
{
    char buf[256];
    p20w_status rc = sbuf_printf(out,
                                 " data-indicator=\"%s\" data-year=\"%" PRId32
                                 "\" data-by=\"%s\" data-key=\"",
                                 ind->id, c->year, t->dims);
    key_of(t, c, buf, sizeof buf);
    if (rc == P20W_OK)
        rc = serve_html_text(out, buf);
    if (rc == P20W_OK && ind->stat == MS_SHARE) {
        rc = sbuf_puts(out, "\" data-category=\"");
        if (rc == P20W_OK)
            rc = serve_html_text(out, c->category ? c->category : "");
    }
    if (rc == P20W_OK)
        rc = sbuf_printf(out, "\" data-status=\"%c\"", c->status);
    for (int k = 0; rc == P20W_OK && k < F_COUNT; k++) {
        serve_cell_number(c, k, buf, sizeof buf);
        if (buf[0])
            rc = sbuf_printf(out, " data-%s=\"%s\"", serve_cell_number_names[k],
                             buf);
    }
    return rc;
}
