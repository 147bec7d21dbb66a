/*
 * reports.c — feedback reports: one printable page per high school,
 * district and institution, with its learners' outcomes 1, 3, 5 and 10
 * years after they left, beside the whole state's.
 *
 * Each measure is shown for one year: the latest in which the place's own
 * cell shows a number (for a share: its group's size), else the latest in
 * which the state's does. The place's cells and the state's come from the
 * same year, so the comparison is fair. Only published cells are read; a
 * hidden cell says so.
 *
 * Two tables, each a list of rows that name their cell (cells.h, "the
 * tables of the pages"), under a heading row per measure:
 *   - outcomes: rates and earnings, one row for the place and one for
 *     the state;
 *   - shares: what people do in year k (OUTCOME_Yk), the place's group
 *     (its size, then one row per category) and the state's.
 * Each table has its CSV (PATH.csv?table=T) and JSON (PATH.json?table=T,
 * optionally by=DIM: only the cells of that published table) built from
 * the same list of rows as the HTML, so the three hold the same cells.
 */
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "serve/cells.h"
#include "serve/html.h"
#include "serve/i18n.h"
#include "serve/labels.h"
#include "serve/pages.h"
#include "serve/pubcube.h"
#include "serve/serveInt.h"
#include "serve/svg.h"
#include "util/mem.h"

p20w_status serve_send_json(serve_resp *out, json_t *doc); /* api.c */
const char *serve_stat_name(int stat);                     /* api.c */

typedef struct rline {
    const char *id;    /* indicator */
    const char *after; /* msgid: time after exit */
} rline;

static const rline lines[] = {
    {"HS_GRAD4", N_("On time (4 years of high school)")},
    /* xgettext:no-c-format */
    {"PS_COMPLETE_150", N_("Within 150% of normal time")},
    {"EMP_Q2", N_("6 months")},
    {"EMP_Q4", N_("1 year")},
    {"EARN_Y1", N_("1 year")},
    {"HOME_REGION_Y1", N_("1 year")},
    {"OUTCOME_Y1", N_("1 year")},
    {"OUTCOME_Y3", N_("3 years")},
    {"EARN_Y5", N_("5 years")},
    {"HOME_REGION_Y5", N_("5 years")},
    {"OUTCOME_Y5", N_("5 years")},
    {"EARN_Y10", N_("10 years")},
    {"OUTCOME_Y10", N_("10 years")},
};

#define NLINES (sizeof lines / sizeof lines[0])

typedef struct rrow {
    const measure_indicator *ind;
    const char *after;
    int32_t year;
    const pub_cell *own, *state; /* a share: its group's total */
    const pub_table *own_t, *state_t;
} rrow;

/* 1 when the cell shows the indicator's number; a share's group total
 * when it shows the group's size. */
static int shows(const measure_indicator *ind, const pub_cell *c)
{
    double v, hi;
    if (ind->stat == MS_SHARE)
        return c->category == NULL && (c->has & PUB_HAS_VALUE);
    return serve_cell_plot(ind, c, &v, &hi) != SVG_HIDDEN;
}

/* The cell of year with value on column col (col < 0: any), not a
 * share's category (a share: its group's total). */
static const pub_cell *find_cell(const pub_table *t, int32_t year, int col,
                                 const char *value)
{
    for (size_t i = 0; t != NULL && i < t->ncells; i++)
        if (t->cells[i].year == year && t->cells[i].category == NULL &&
            (col < 0 || strcmp(t->cells[i].val[col], value) == 0))
            return &t->cells[i];
    return NULL;
}

/* The number of cells of total's group: total, then its categories
 * (pubcube.h order: they follow it). */
static size_t group_len(const pub_table *t, const pub_cell *total)
{
    const pub_cell *end = t->cells + t->ncells, *x = total + 1;
    for (; x < end && x->year == total->year && x->category != NULL; x++) {
        int same = 1;
        for (int d = 0; same && d < t->ndims; d++)
            same = strcmp(x->val[d], total->val[d]) == 0;
        if (!same)
            break;
    }
    return (size_t)(x - total);
}

/* The cell of category cat in total's group, NULL when none. */
static const pub_cell *group_category(const pub_table *t, const pub_cell *total,
                                      const char *cat)
{
    size_t n = total != NULL ? group_len(t, total) : 0;
    for (size_t i = 1; i < n; i++)
        if (strcmp(total[i].category, cat) == 0)
            return &total[i];
    return NULL;
}

/* Fills row for indicator ind and the entity (dim, id). */
static void fill_row(const pubcube *pc, rrow *row, int dim, const char *id)
{
    const pub_table *own =
        pubcube_table(pc, row->ind->id, measure_dim_name(dim));
    const pub_table *state = pubcube_table(pc, row->ind->id, "");
    int col = own != NULL ? pub_table_col(own, dim) : -1;
    row->own_t = own;
    row->state_t = state;
    int32_t best_own = 0, best_state = 0;
    for (size_t i = 0; own != NULL && col >= 0 && i < own->ncells; i++)
        if (strcmp(own->cells[i].val[col], id) == 0 &&
            shows(row->ind, &own->cells[i]) && own->cells[i].year > best_own)
            best_own = own->cells[i].year;
    for (size_t i = 0; state != NULL && i < state->ncells; i++)
        if (shows(row->ind, &state->cells[i]) &&
            state->cells[i].year > best_state)
            best_state = state->cells[i].year;
    row->year = best_own ? best_own : best_state;
    row->own = col >= 0 ? find_cell(own, row->year, col, id) : NULL;
    row->state = find_cell(state, row->year, -1, NULL);
}

typedef struct entity {
    const char *kind; /* "school", "district", "institution" */
    int dim;
    const char *title; /* msgid */
} entity;

static const entity entities[] = {
    {"school", MD_SCHOOL, N_("High schools")},
    {"district", MD_DISTRICT, N_("School districts")},
    {"institution", MD_INSTITUTION, N_("Colleges and training institutions")},
};

static const entity *entity_of(const char *path)
{
    for (size_t i = 0; i < 3; i++) {
        char prefix[40];
        snprintf(prefix, sizeof prefix, "/reports/%s/", entities[i].kind);
        if (strncmp(path, prefix, strlen(prefix)) == 0)
            return &entities[i];
    }
    return NULL;
}

/* 1 when some published table cut by dim holds value id. */
static int entity_known(const pubcube *pc, int dim, const char *id)
{
    for (size_t i = 0; i < pubcube_table_count(pc); i++) {
        const pub_table *t = pubcube_table_at(pc, i);
        if (t->ndims != 1 || t->dim[0] != dim)
            continue;
        for (size_t k = 0; k < t->ncells; k++)
            if (strcmp(t->cells[k].val[0], id) == 0)
                return 1;
    }
    return 0;
}

/* ---- the report's tables as lists of items --------------------------------
 */

enum { T_OUTCOMES, T_SHARES, T_COUNT };
static const char *const table_names[T_COUNT] = {"outcomes", "shares"};

enum {
    IT_HEAD, /* a heading row: the measure, the time after exit, the year */
    IT_CELL, /* a row showing one published cell */
    IT_NONE  /* a row saying nothing is published for `who` */
};

typedef struct item {
    int kind;
    const rrow *row;
    const pub_table *t;
    const pub_cell *c;
    const char *who; /* the row's header: the place's name, "Whole state" */
} item;

/* Most items of one table: 13 measures x (heading + 2 groups of at most
 * a total and 30 categories). */
#define MAX_ITEMS 1024

typedef struct report {
    serve_req *r;
    const entity *e;
    const char *id;
    const pubcube *pc;
    char name[200]; /* the place's name */
    rrow rows[NLINES];
    size_t nrows;
    item *items[T_COUNT];
    size_t nitems[T_COUNT];
} report;

static void item_add(report *rp, int tb, int kind, const rrow *row,
                     const pub_table *t, const pub_cell *c, const char *who)
{
    if (rp->nitems[tb] >= MAX_ITEMS)
        return;
    rp->items[tb][rp->nitems[tb]++] =
        (item){.kind = kind, .row = row, .t = t, .c = c, .who = who};
}

/* The cells of a share group: its total c, then its categories. */
static void add_group(report *rp, const rrow *row, const pub_table *t,
                      const pub_cell *c, const char *who)
{
    size_t n = c != NULL ? group_len(t, c) : 0;
    if (n == 0)
        item_add(rp, T_SHARES, IT_NONE, row, NULL, NULL, who);
    for (size_t i = 0; i < n; i++)
        item_add(rp, T_SHARES, IT_CELL, row, t, &c[i], who);
}

static void build_items(report *rp)
{
    const char *state = _("Whole state");
    for (size_t i = 0; i < rp->nrows; i++) {
        const rrow *row = &rp->rows[i];
        int tb = row->ind->stat == MS_SHARE ? T_SHARES : T_OUTCOMES;
        item_add(rp, tb, IT_HEAD, row, NULL, NULL, NULL);
        if (tb == T_SHARES) {
            add_group(rp, row, row->own_t, row->own, rp->name);
            add_group(rp, row, row->state_t, row->state, state);
            continue;
        }
        item_add(rp, tb, row->own ? IT_CELL : IT_NONE, row, row->own_t,
                 row->own, rp->name);
        item_add(rp, tb, row->state ? IT_CELL : IT_NONE, row, row->state_t,
                 row->state, state);
    }
}

/* Reads the entity, its rows and its items; answers 404 itself (*done). */
static p20w_status report_load(report *rp, serve_req *r, const char *id,
                               serve_resp *out, int *done)
{
    *done = 1;
    rp->r = r;
    rp->e = entity_of(r->path);
    rp->pc = serve_req_cube(r);
    rp->id = id;
    if (rp->e == NULL || !entity_known(rp->pc, rp->e->dim, id))
        return serve_resp_error(r, out, 404,
                                _("There is no report for this place."));
    const char *name = serve_value_label(pubcube_names(rp->pc), rp->e->dim, id,
                                         rp->name, sizeof rp->name);
    if (name != rp->name)
        snprintf(rp->name, sizeof rp->name, "%s", name);
    for (size_t i = 0; i < NLINES; i++) {
        const measure_indicator *ind = measure_find(lines[i].id);
        if (ind == NULL || !((ind->dims >> rp->e->dim) & 1))
            continue;
        rrow *row = &rp->rows[rp->nrows++];
        memset(row, 0, sizeof *row);
        row->ind = ind;
        row->after = lines[i].after;
        fill_row(rp->pc, row, rp->e->dim, id);
    }
    for (int tb = 0; tb < T_COUNT; tb++) {
        rp->items[tb] = p20w_calloc(MAX_ITEMS, sizeof(item));
        if (rp->items[tb] == NULL)
            return P20W_ENOMEM;
    }
    build_items(rp);
    *done = 0;
    return P20W_OK;
}

static void report_free(report *rp)
{
    for (int tb = 0; tb < T_COUNT; tb++)
        p20w_free(rp->items[tb]);
    p20w_free(rp);
}

/* ---- HTML -----------------------------------------------------------------
 */

static p20w_status head_row(sbuf *b, const serve_req *r, const rrow *row,
                            int ncol)
{
    char text[400], yb[16] = "";
    if (row->year)
        snprintf(yb, sizeof yb, "%" PRId32, row->year);
    if (row->year)
        snprintf(text, sizeof text, "%s (%s, %s)", serve_ind_title(r, row->ind),
                 _(row->after), yb);
    else
        snprintf(text, sizeof text, "%s (%s)", serve_ind_title(r, row->ind),
                 _(row->after));
    p20w_status rc =
        sbuf_printf(b, "<tr><th scope=\"colgroup\" colspan=\"%d\">", ncol);
    if (rc == P20W_OK)
        rc = serve_html_text(b, text);
    if (rc == P20W_OK)
        rc = sbuf_puts(b, "</th></tr>\n");
    return rc;
}

static p20w_status outcome_tds(sbuf *b, const serve_req *r, const item *it)
{
    char buf[128], nb[48] = "–";
    serve_fmt_shown(r, it->row->ind, it->c, buf, sizeof buf);
    if (it->c->has & PUB_HAS_N)
        serve_fmt_number(r->lang, (double)it->c->n, 0, nb, sizeof nb);
    p20w_status rc = sbuf_puts(b, "<td class=\"num\">");
    if (rc == P20W_OK)
        rc = serve_html_text(b, buf);
    if (rc == P20W_OK)
        rc = sbuf_printf(b, "</td><td class=\"num\">%s</td><td>%s</td>", nb,
                         serve_status_text(it->c->status));
    return rc;
}

static p20w_status data_href(sbuf *b, const report *rp, int tb, const char *ext)
{
    char path[160];
    snprintf(path, sizeof path, "/reports/%s/%s.%s", rp->e->kind, rp->id, ext);
    serve_kv kv[1] = {{"table", table_names[tb]}};
    return serve_html_href(b, path, kv, 1, rp->r->lang);
}

static p20w_status downloads(sbuf *b, const report *rp, int tb)
{
    p20w_status rc = sbuf_puts(b, "<p class=\"downloads\"><a href=\"");
    if (rc == P20W_OK)
        rc = data_href(b, rp, tb, "csv");
    if (rc == P20W_OK)
        rc = sbuf_printf(b,
                         "\" type=\"text/csv\" download>%s</a> · <a "
                         "href=\"",
                         _("Download this table (CSV)"));
    if (rc == P20W_OK)
        rc = data_href(b, rp, tb, "json");
    if (rc == P20W_OK)
        rc = sbuf_printf(b, "\" type=\"application/json\">%s</a></p>\n",
                         _("Same data as JSON"));
    return rc;
}

/* One table of the report: its items as rows. */
static p20w_status report_table(sbuf *b, const report *rp, int tb,
                                const char *caption)
{
    const serve_req *r = rp->r;
    int share = tb == T_SHARES, ncol = share ? 6 : 4;
    p20w_status rc = sbuf_puts(b, "<div class=\"table-wrap\">\n<table>\n"
                                  "<caption>");
    if (rc == P20W_OK)
        rc = serve_html_text(b, caption);
    if (rc == P20W_OK)
        rc = sbuf_puts(b, "</caption>\n");
    if (rc == P20W_OK && share)
        rc = serve_share_thead(b, _("Group"));
    if (rc == P20W_OK && !share)
        rc = sbuf_printf(b,
                         "<thead><tr><th scope=\"col\">%s</th><th "
                         "scope=\"col\" class=\"num\">%s</th><th "
                         "scope=\"col\" class=\"num\">%s</th><th "
                         "scope=\"col\">%s</th></tr></thead>\n",
                         _("Group"), _("Value"), _("Number of people"),
                         _("Status"));
    if (rc == P20W_OK)
        rc = sbuf_puts(b, "<tbody>\n");
    for (size_t i = 0; rc == P20W_OK && i < rp->nitems[tb]; i++) {
        const item *it = &rp->items[tb][i];
        if (it->kind == IT_HEAD) {
            rc = head_row(b, r, it->row, ncol);
            continue;
        }
        int total = share && it->c != NULL && it->c->category == NULL;
        rc = sbuf_printf(b, "<tr%s", total ? " class=\"total\"" : "");
        if (rc == P20W_OK && it->kind == IT_CELL)
            rc = serve_row_data(b, it->row->ind, it->t, it->c);
        if (rc == P20W_OK)
            rc = sbuf_puts(b, "><th scope=\"row\">");
        if (rc == P20W_OK)
            rc = serve_html_text(b, it->who);
        if (rc == P20W_OK)
            rc = sbuf_puts(b, "</th>");
        if (rc == P20W_OK && it->kind == IT_NONE)
            rc = sbuf_printf(b, "<td colspan=\"%d\">%s</td>", ncol - 1,
                             _("Not published"));
        else if (rc == P20W_OK && share)
            rc = serve_share_tds(b, r, it->c);
        else if (rc == P20W_OK)
            rc = outcome_tds(b, r, it);
        if (rc == P20W_OK)
            rc = sbuf_puts(b, "</tr>\n");
    }
    if (rc == P20W_OK && rp->nitems[tb] == 0)
        rc = sbuf_printf(b, "<tr><td colspan=\"%d\">%s</td></tr>\n", ncol,
                         _("No numbers are published for this choice."));
    if (rc == P20W_OK)
        rc = sbuf_puts(b, "</tbody>\n</table>\n</div>\n");
    return rc;
}

static void to_bar(const serve_req *r, const measure_indicator *ind,
                   const pub_cell *c, const char *label, int series,
                   svg_bar *bar, char *text, size_t cap)
{
    bar->label = label;
    bar->series = series;
    bar->text = text;
    if (c == NULL) {
        snprintf(text, cap, "%s", _("Not published"));
        bar->kind = SVG_HIDDEN;
        return;
    }
    if (ind->stat == MS_SHARE)
        serve_fmt_share(r, c, text, cap);
    else
        serve_fmt_shown(r, ind, c, text, cap);
    bar->kind = serve_cell_plot(ind, c, &bar->value, &bar->hi);
}

/* A grouped chart (this place vs the state) of the rows of one kind:
 * rates (percent) or earnings (dollars). */
static p20w_status report_chart(sbuf *b, const report *rp, int dollars)
{
    const serve_req *r = rp->r;
    svg_bar bars[2 * NLINES];
    char text[2 * NLINES][96], label[NLINES][200];
    size_t nb = 0;
    for (size_t i = 0; i < rp->nrows; i++) {
        const rrow *row = &rp->rows[i];
        int is_dollars = row->ind->stat == MS_PERCENTILE;
        if (is_dollars != dollars || row->ind->stat == MS_SHARE ||
            row->year == 0)
            continue;
        snprintf(label[i], sizeof label[i], "%s (%s, %" PRId32 ")",
                 serve_ind_title(r, row->ind), _(row->after), row->year);
        memset(&bars[nb], 0, 2 * sizeof bars[0]);
        to_bar(r, row->ind, row->own, label[i], 0, &bars[nb], text[nb],
               sizeof text[nb]);
        nb++;
        to_bar(r, row->ind, row->state, label[i], 1, &bars[nb], text[nb],
               sizeof text[nb]);
        nb++;
    }
    if (nb == 0)
        return P20W_OK;
    const char *series[2] = {rp->name, _("Whole state")};
    char desc[400];
    snprintf(desc, sizeof desc,
             _("Grouped bars: %s next to the whole state for each measure. "
               "A dashed box marks a hidden number."),
             rp->name);
    svg_chart c = {
        .id = dollars ? "chart-earn" : "chart-rates",
        .title = dollars ? _("Earnings after exit") : _("Outcomes after exit"),
        .desc = desc,
        .percent = !dollars,
        .unit_prefix = dollars ? "$" : NULL,
        .series = series,
        .nseries = 2,
        .lang = r->lang,
    };
    p20w_status rc = sbuf_puts(b, "<figure class=\"chart\">\n");
    if (rc == P20W_OK)
        rc = svg_bar_chart(b, &c, bars, nb);
    if (rc == P20W_OK)
        rc = sbuf_printf(b, "<figcaption>%s</figcaption>\n</figure>\n",
                         _("The same numbers are in the table above."));
    return rc;
}

/* The share chart: per measure a heading, then per category two bars,
 * the place's share and the state's. */
static p20w_status share_chart(sbuf *b, const report *rp)
{
    const serve_req *r = rp->r;
    size_t cap = 2 * rp->nitems[T_SHARES] + 1, nb = 0;
    svg_bar *bars = p20w_calloc(cap, sizeof *bars);
    char(*text)[96] = p20w_calloc(cap, sizeof *text);
    char(*label)[200] = p20w_calloc(cap, sizeof *label);
    char(*head)[300] = p20w_calloc(NLINES, sizeof *head);
    p20w_status rc = bars && text && label && head ? P20W_OK : P20W_ENOMEM;
    for (size_t i = 0; rc == P20W_OK && i < rp->nrows; i++) {
        const rrow *row = &rp->rows[i];
        if (row->ind->stat != MS_SHARE || row->year == 0 || row->state == NULL)
            continue;
        snprintf(head[i], sizeof head[i], "%s (%s, %" PRId32 ")",
                 serve_ind_title(r, row->ind), _(row->after), row->year);
        /* the state's categories; the place's cell of each, if any */
        size_t ns = group_len(row->state_t, row->state);
        for (size_t k = 1; k < ns && nb + 2 <= cap; k++) {
            const pub_cell *s = &row->state[k];
            const pub_cell *o =
                group_category(row->own_t, row->own, s->category);
            const char *cat =
                serve_share_category(r, s, label[nb], sizeof label[nb]);
            if (cat != label[nb])
                snprintf(label[nb], sizeof label[nb], "%s", cat);
            to_bar(r, row->ind, o, label[nb], 0, &bars[nb], text[nb],
                   sizeof text[nb]);
            bars[nb].group = head[i];
            nb++;
            to_bar(r, row->ind, s, label[nb - 1], 1, &bars[nb], text[nb],
                   sizeof text[nb]);
            bars[nb].group = head[i];
            nb++;
        }
    }
    const char *series[2] = {rp->name, _("Whole state")};
    char desc[400];
    snprintf(desc, sizeof desc,
             _("Grouped bars: for each measure and each category, the share "
               "of %s next to the share of the whole state. A dashed box "
               "marks a hidden number."),
             rp->name);
    svg_chart c = {
        .id = "chart-shares",
        .title = _("What people do after they leave"),
        .desc = desc,
        .percent = 1,
        .series = series,
        .nseries = 2,
        .lang = r->lang,
    };
    if (rc == P20W_OK && nb > 0)
        rc = sbuf_puts(b, "<figure class=\"chart\">\n");
    if (rc == P20W_OK && nb > 0)
        rc = svg_bar_chart(b, &c, bars, nb);
    if (rc == P20W_OK && nb > 0)
        rc = sbuf_printf(b, "<figcaption>%s</figcaption>\n</figure>\n",
                         _("The same numbers are in the table above."));
    p20w_free(bars);
    p20w_free(text);
    p20w_free(label);
    p20w_free(head);
    return rc;
}

static p20w_status report_page(report *rp, serve_resp *out)
{
    serve_req *r = rp->r;
    char title[300];
    snprintf(title, sizeof title, _("Feedback report: %s"), rp->name);
    sbuf *b = serve_resp_body(out);
    p20w_status rc = serve_page_begin(r, out, title, "/reports");
    if (rc == P20W_OK)
        rc = sbuf_printf(
            b, "<div class=\"explain lead\"><p>%s</p></div>\n",
            _("This report shows how people from this place did after they "
              "left. Each measure compares them with the whole state in the "
              "same year. Numbers about small groups are hidden."));
    if (rc == P20W_OK)
        rc = sbuf_printf(b, "<section>\n<h2>%s</h2>\n",
                         _("Outcomes 1, 3, 5 and 10 years after exit"));
    if (rc == P20W_OK)
        rc = report_table(b, rp, T_OUTCOMES,
                          _("Outcomes 1, 3, 5 and 10 years after exit"));
    if (rc == P20W_OK)
        rc = downloads(b, rp, T_OUTCOMES);
    if (rc == P20W_OK)
        rc = report_chart(b, rp, 0);
    if (rc == P20W_OK)
        rc = report_chart(b, rp, 1);
    if (rc == P20W_OK)
        rc = sbuf_puts(b, "</section>\n");
    if (rc == P20W_OK && rp->nitems[T_SHARES] > 0) {
        rc = sbuf_printf(b, "<section>\n<h2>%s</h2>\n",
                         _("What people do after they leave"));
        if (rc == P20W_OK)
            rc = report_table(b, rp, T_SHARES,
                              _("What people do after they leave"));
        if (rc == P20W_OK)
            rc = downloads(b, rp, T_SHARES);
        if (rc == P20W_OK)
            rc = share_chart(b, rp);
        if (rc == P20W_OK)
            rc = sbuf_puts(b, "</section>\n");
    }
    if (rc == P20W_OK)
        rc = sbuf_printf(
            b,
            "<h2>%s</h2>\n<div class=\"explain\"><p>%s</p><p>%s</p></div>\n"
            "<p class=\"note\">%s</p>\n<p class=\"downloads\">%s</p>\n",
            _("How to read this"),
            _("Each measure has two lines: this place and the whole state. "
              "The year is when people left. Pay is the middle pay for the "
              "year, in dollars of that year."),
            _("The last table splits people into parts by what they do. The "
              "share is the part's size out of the whole group. The first "
              "line of a group gives its size."),
            _("We hide numbers about small groups. This keeps people from "
              "being picked out."),
            _("To print this report, use your browser's Print command. The "
              "menus are left out of the printed page."));
    if (rc == P20W_OK) {
        rc = sbuf_puts(b, "<p><a href=\"");
        if (rc == P20W_OK)
            rc = serve_html_href(b, "/methodology", NULL, 0, r->lang);
        if (rc == P20W_OK)
            rc = sbuf_printf(b, "\">%s</a> · <a href=\"",
                             _("How this is measured"));
        if (rc == P20W_OK)
            rc = serve_html_href(b, "/dictionary", NULL, 0, r->lang);
        if (rc == P20W_OK)
            rc = sbuf_printf(b, "\">%s</a></p>\n", _("Data dictionary"));
    }
    if (rc == P20W_OK)
        rc = serve_page_end(r, out);
    return rc;
}

/* ---- CSV and JSON ---------------------------------------------------------
 */

/* 1 when the item is a cell the download holds (by: NULL any table). */
static int item_wanted(const item *it, const char *by)
{
    return it->kind == IT_CELL && (by == NULL || strcmp(it->t->dims, by) == 0);
}

static p20w_status report_csv(const report *rp, int tb, const char *by,
                              serve_resp *out)
{
    char cd[200];
    snprintf(cd, sizeof cd, "attachment; filename=\"report-%s-%s-%s.csv\"",
             rp->e->kind, rp->id, table_names[tb]);
    serve_resp_type(out, "text/csv; charset=utf-8");
    sbuf *b = serve_resp_body(out);
    p20w_status rc = serve_resp_header(out, "Content-Disposition", cd);
    if (rc == P20W_OK)
        rc = serve_rows_csv_head(b, tb == T_SHARES);
    for (size_t i = 0; rc == P20W_OK && i < rp->nitems[tb]; i++) {
        const item *it = &rp->items[tb][i];
        if (item_wanted(it, by))
            rc = serve_row_csv(b, it->row->ind, it->t, it->c, tb == T_SHARES);
    }
    return rc;
}

static p20w_status report_json(const report *rp, int tb, const char *by,
                               serve_resp *out)
{
    const serve_req *r = rp->r;
    const pubcube_info *in = pubcube_get_info(rp->pc);
    json_t *cells = json_array();
    int bad = cells == NULL;
    for (size_t i = 0; !bad && i < rp->nitems[tb]; i++) {
        const item *it = &rp->items[tb][i];
        if (!item_wanted(it, by))
            continue;
        char cb[300];
        json_t *o = serve_cell_json(it->t, it->c, pubcube_names(rp->pc),
                                    serve_category_label(r->app->occupations,
                                                         it->c->category, cb,
                                                         sizeof cb));
        if (o == NULL) {
            bad = 1;
            break;
        }
        /* which table the cell is from: the indicator and its dims */
        if (json_object_set_new(o, "indicator",
                                json_string(it->row->ind->id)) ||
            json_object_set_new(
                o, "statistic",
                json_string(serve_stat_name(it->row->ind->stat))) ||
            json_object_set_new(o, "by", json_string(it->t->dims))) {
            json_decref(o);
            bad = 1;
            break;
        }
        bad = json_array_append_new(cells, o) != 0; /* o is stolen */
    }
    if (bad) {
        json_decref(cells);
        return P20W_ENOMEM;
    }
    return serve_send_json(
        out, json_pack("{s:s, s:s, s:s, s:s, s:s, s:I, s:s, s:o}", "report",
                       rp->e->kind, "id", rp->id, "name", rp->name, "table",
                       table_names[tb], "profile", in->profile, "build_id",
                       (json_int_t)in->build_id, "published_at",
                       in->published_at, "cells", cells));
}

/* ---- the route -------------------------------------------------------------
 * /reports/KIND/ID is the page; /reports/KIND/ID.csv and .json (with
 * table=outcomes|shares, and by=KIND for the place's cells only) its
 * tables. */

static const serve_param_spec report_params[] = {
    {"table", SERVE_P_ENUM, "outcomes|shares"},
    {"by", SERVE_P_ENUM, "school|district|institution"},
    {NULL, 0, NULL},
};

static p20w_status report_route(serve_req *r, serve_resp *out)
{
    char id[80];
    const char *ext = NULL;
    size_t n = strlen(r->rest);
    if (n >= 4 && strcmp(r->rest + n - 4, ".csv") == 0)
        ext = "csv";
    else if (n >= 5 && strcmp(r->rest + n - 5, ".json") == 0)
        ext = "json";
    size_t idn = ext ? n - strlen(ext) - 1 : n;
    if (idn == 0 || idn >= sizeof id)
        return serve_resp_error(r, out, 404,
                                _("There is no report for this place."));
    memcpy(id, r->rest, idn);
    id[idn] = '\0';
    const char *table = serve_req_query(r, "table");
    const char *by = serve_req_query(r, "by");
    if (ext == NULL && (table != NULL || by != NULL))
        return serve_resp_error(r, out, 400,
                                _("The parameters 'table' and 'by' are for "
                                  "the report's .csv and .json downloads."));
    if (ext != NULL && table == NULL)
        return serve_resp_error(r, out, 400,
                                _("The parameter 'table' is required "
                                  "(outcomes or shares)."));
    report *rp = p20w_calloc(1, sizeof *rp);
    if (rp == NULL)
        return P20W_ENOMEM;
    int done = 0;
    p20w_status rc = report_load(rp, r, id, out, &done);
    if (rc != P20W_OK || done) {
        report_free(rp);
        return rc;
    }
    if (by != NULL && strcmp(by, rp->e->kind) != 0) {
        char msg[300];
        snprintf(msg, sizeof msg,
                 _("The parameter 'by' must be '%s' for this report."),
                 rp->e->kind);
        rc = serve_resp_error(r, out, 400, msg);
    } else if (ext == NULL) {
        rc = report_page(rp, out);
    } else {
        int tb = strcmp(table, "shares") == 0 ? T_SHARES : T_OUTCOMES;
        rc = strcmp(ext, "csv") == 0 ? report_csv(rp, tb, by, out)
                                     : report_json(rp, tb, by, out);
    }
    report_free(rp);
    return rc;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static p20w_status reports_index(serve_req *r, serve_resp *out)
{
    const pubcube *pc = serve_req_cube(r);
    sbuf *b = serve_resp_body(out);
    p20w_status rc =
        serve_page_begin(r, out, _("Feedback reports"), "/reports");
    if (rc == P20W_OK)
        rc = sbuf_printf(b, "<div class=\"explain lead\"><p>%s</p></div>\n",
                         _("Each report shows how people from one school, "
                           "district or college did after they left. Pick "
                           "one below."));
    for (size_t k = 0; rc == P20W_OK && k < 3; k++) {
        const entity *e = &entities[k];
        const char *ids[2048] = {NULL};
        size_t n = 0;
        for (size_t i = 0; i < pubcube_table_count(pc); i++) {
            const pub_table *t = pubcube_table_at(pc, i);
            if (t->ndims != 1 || t->dim[0] != e->dim)
                continue;
            for (size_t j = 0; j < t->ncells && n < 2048; j++) {
                const char *v = t->cells[j].val[0];
                int dup = strcmp(v, "~") == 0;
                for (size_t q = 0; !dup && q < n; q++)
                    dup = strcmp(ids[q], v) == 0;
                if (!dup)
                    ids[n++] = v;
            }
        }
        if (n > 1)
            qsort(ids, n, sizeof ids[0], cmp_str);
        rc = sbuf_printf(b, "<h2>%s</h2>\n", _(e->title));
        if (rc == P20W_OK && n == 0)
            rc = sbuf_printf(b, "<p>%s</p>\n", _("None published yet."));
        if (rc == P20W_OK && n > 0)
            rc = sbuf_puts(b, "<ul>\n");
        for (size_t i = 0; rc == P20W_OK && i < n; i++) {
            char path[120], nbuf[200];
            snprintf(path, sizeof path, "/reports/%s/%s", e->kind, ids[i]);
            rc = sbuf_puts(b, "<li><a href=\"");
            if (rc == P20W_OK)
                rc = serve_html_href(b, path, NULL, 0, r->lang);
            if (rc == P20W_OK)
                rc = sbuf_puts(b, "\">");
            if (rc == P20W_OK)
                rc = serve_html_text(b, serve_value_label(pubcube_names(pc),
                                                          e->dim, ids[i], nbuf,
                                                          sizeof nbuf));
            if (rc == P20W_OK)
                rc = sbuf_puts(b, "</a></li>\n");
        }
        if (rc == P20W_OK && n > 0)
            rc = sbuf_puts(b, "</ul>\n");
    }
    if (rc == P20W_OK)
        rc = serve_page_end(r, out);
    return rc;
}

static const serve_route routes[] = {
    {SERVE_GET, "/reports", 0, NULL, reports_index},
    {SERVE_GET, "/reports/school/", 1, report_params, report_route},
    {SERVE_GET, "/reports/district/", 1, report_params, report_route},
    {SERVE_GET, "/reports/institution/", 1, report_params, report_route},
};

p20w_status serve_reports_routes(serve_app *app, p20w_err *err)
{
    return serve_app_add_routes(app, routes, sizeof routes / sizeof routes[0],
                                err);
}
