/*
 * reports.c — feedback reports: one printable page per high school,
 * district and institution, with its learners' outcomes 1, 3, 5 and 10
 * years after they left, beside the whole state's.
 *
 * Each row is one indicator in the year the report uses for it: the
 * latest year in which the school's own cell shows a number, else the
 * latest in which the state's does. The school's cell and the state's
 * come from the same year, so the comparison is fair. Only published
 * cells are read; a hidden cell says so. Share indicators (what people
 * do in year k) are not published yet, and the report says so.
 */
#include <inttypes.h>
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
    const pub_cell *own, *state;
    const pub_table *own_t, *state_t;
} rrow;

/* 1 when the cell shows the indicator's number. */
static int shows(const measure_indicator *ind, const pub_cell *c)
{
    double v, hi;
    return serve_cell_plot(ind, c, &v, &hi) != SVG_HIDDEN;
}

static const pub_cell *find_cell(const pub_table *t, int32_t year, int col,
                                 const char *value)
{
    for (size_t i = 0; t != NULL && i < t->ncells; i++)
        if (t->cells[i].year == year &&
            (col < 0 || strcmp(t->cells[i].val[col], value) == 0))
            return &t->cells[i];
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

static p20w_status cell_td(sbuf *b, const serve_req *r,
                           const measure_indicator *ind, const pub_cell *c)
{
    char buf[128];
    if (c == NULL)
        snprintf(buf, sizeof buf, "%s", _("Not published"));
    else
        serve_fmt_shown(r, ind, c, buf, sizeof buf);
    p20w_status rc = sbuf_puts(b, "<td class=\"num\"");
    if (rc == P20W_OK && c != NULL)
        rc = sbuf_printf(b, " data-status=\"%c\"", c->status);
    if (rc == P20W_OK)
        rc = sbuf_putc(b, '>');
    if (rc == P20W_OK)
        rc = serve_html_text(b, buf);
    if (rc == P20W_OK)
        rc = sbuf_puts(b, "</td>");
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
    serve_fmt_shown(r, ind, c, text, cap);
    bar->kind = serve_cell_plot(ind, c, &bar->value, &bar->hi);
}

/* A grouped chart (this place vs the state) of the rows of one kind:
 * rates (percent) or earnings (dollars). */
static p20w_status report_chart(sbuf *b, const serve_req *r, const rrow *rows,
                                size_t n, int dollars, const char *name)
{
    svg_bar bars[2 * NLINES];
    char text[2 * NLINES][96], label[NLINES][200];
    size_t nb = 0;
    for (size_t i = 0; i < n; i++) {
        int is_dollars = rows[i].ind->stat == MS_PERCENTILE;
        if (is_dollars != dollars || rows[i].ind->stat == MS_SHARE ||
            rows[i].year == 0)
            continue;
        snprintf(label[i], sizeof label[i], "%s (%s, %" PRId32 ")",
                 serve_ind_title(r, rows[i].ind), _(rows[i].after),
                 rows[i].year);
        to_bar(r, rows[i].ind, rows[i].own, label[i], 0, &bars[nb], text[nb],
               sizeof text[nb]);
        nb++;
        to_bar(r, rows[i].ind, rows[i].state, label[i], 1, &bars[nb], text[nb],
               sizeof text[nb]);
        nb++;
    }
    if (nb == 0)
        return P20W_OK;
    const char *series[2] = {name, _("Whole state")};
    char desc[400];
    snprintf(desc, sizeof desc,
             _("Grouped bars: %s next to the whole state for each measure. "
               "A dashed box marks a hidden number."),
             name);
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

static p20w_status report(serve_req *r, serve_resp *out)
{
    const entity *e = entity_of(r->path);
    const pubcube *pc = serve_req_cube(r);
    if (e == NULL || !entity_known(pc, e->dim, r->rest))
        return serve_resp_error(r, out, 404,
                                _("There is no report for this place."));
    char nbuf[200], title[300];
    const char *name = serve_value_label(pubcube_names(pc), e->dim, r->rest,
                                         nbuf, sizeof nbuf);
    snprintf(title, sizeof title, _("Feedback report: %s"), name);
    rrow rows[NLINES];
    size_t n = 0;
    for (size_t i = 0; i < NLINES; i++) {
        const measure_indicator *ind = measure_find(lines[i].id);
        if (ind == NULL || !((ind->dims >> e->dim) & 1))
            continue;
        rrow *row = &rows[n++];
        memset(row, 0, sizeof *row);
        row->ind = ind;
        row->after = lines[i].after;
        fill_row(pc, row, e->dim, r->rest);
    }
    sbuf *b = serve_resp_body(out);
    p20w_status rc = serve_page_begin(r, out, title, "/reports");
    if (rc == P20W_OK)
        rc = sbuf_printf(
            b, "<div class=\"explain lead\"><p>%s</p></div>\n",
            _("This report shows how people from this place did after they "
              "left. Each line compares them with the whole state in the "
              "same year. Numbers about small groups are hidden."));
    if (rc == P20W_OK)
        rc = sbuf_printf(b,
                         "<div class=\"table-wrap\">\n<table>\n<caption>%s"
                         "</caption>\n<thead><tr><th scope=\"col\">%s</th>"
                         "<th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
                         "<th scope=\"col\" class=\"num\">",
                         _("Outcomes 1, 3, 5 and 10 years after exit"),
                         _("Measure"), _("Time after exit"), _("Year"));
    if (rc == P20W_OK)
        rc = serve_html_text(b, name);
    if (rc == P20W_OK)
        rc = sbuf_printf(b,
                         "</th><th scope=\"col\" class=\"num\">%s</th>"
                         "<th scope=\"col\" class=\"num\">%s</th></tr>"
                         "</thead>\n<tbody>\n",
                         _("Whole state"), _("Number of people"));
    for (size_t i = 0; rc == P20W_OK && i < n; i++) {
        const rrow *row = &rows[i];
        char yb[16] = "–", nb[48] = "–";
        if (row->year)
            snprintf(yb, sizeof yb, "%" PRId32, row->year);
        if (row->own != NULL && (row->own->has & PUB_HAS_N))
            serve_fmt_number(r->lang, (double)row->own->n, 0, nb, sizeof nb);
        rc = sbuf_printf(b, "<tr data-indicator=\"%s\"><th scope=\"row\">",
                         row->ind->id);
        if (rc == P20W_OK)
            rc = serve_html_text(b, serve_ind_title(r, row->ind));
        if (rc == P20W_OK)
            rc = sbuf_printf(b, "</th><td>%s</td><td>%s</td>", _(row->after),
                             yb);
        if (rc == P20W_OK && row->ind->stat == MS_SHARE)
            rc = sbuf_printf(b, "<td colspan=\"3\">%s</td></tr>\n",
                             _("Not published yet"));
        else if (rc == P20W_OK) {
            rc = cell_td(b, r, row->ind, row->own);
            if (rc == P20W_OK)
                rc = cell_td(b, r, row->ind, row->state);
            if (rc == P20W_OK)
                rc = sbuf_printf(b, "<td class=\"num\">%s</td></tr>\n", nb);
        }
    }
    if (rc == P20W_OK)
        rc = sbuf_puts(b, "</tbody>\n</table>\n</div>\n");
    if (rc == P20W_OK)
        rc = report_chart(b, r, rows, n, 0, name);
    if (rc == P20W_OK)
        rc = report_chart(b, r, rows, n, 1, name);
    if (rc == P20W_OK)
        rc = sbuf_printf(
            b,
            "<h2>%s</h2>\n<div class=\"explain\"><p>%s</p><p>%s</p></div>\n"
            "<p class=\"note\">%s</p>\n<p class=\"downloads\">%s</p>\n",
            _("How to read this"),
            _("Each line is one measure. The year is when people left. Pay is "
              "the middle pay for the year, in dollars of that year."),
            _("Some lines say what people do in the years after they leave. "
              "We do not publish those yet. We must first check that they "
              "cannot reveal anyone."),
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
    {SERVE_GET, "/reports/school/", 1, NULL, report},
    {SERVE_GET, "/reports/district/", 1, NULL, report},
    {SERVE_GET, "/reports/institution/", 1, NULL, report},
};

p20w_status serve_reports_routes(serve_app *app, p20w_err *err)
{
    return serve_app_add_routes(app, routes, sizeof routes / sizeof routes[0],
                                err);
}
