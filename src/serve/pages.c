/*
 * pages.c — the public dashboard pages: one per priority question of the
 * state (graduates' destinations, CTE programs, equity, where people
 * work, opportunity youth, supply and demand), and the home page.
 *
 * Every topic page shows one indicator at a time (a select chooses among
 * the topic's indicators) for one year, as rows: the state total, then
 * the place, school or institution and program the filters pick, then
 * the groups of the chosen breakdown. The published tables cut by one
 * dimension (or race with sex or econ), so each filter adds its own rows
 * beside the state total rather than narrowing another row: a school's
 * row and the race rows are both shown, never "this school by race",
 * which is not published.
 *
 * The same rows are drawn as a chart (svg.c), listed as a table, and
 * downloadable as CSV (PATH.csv with the same parameters): the three are
 * built from one row list, so they always hold the same cells. Table
 * cells carry data-* attributes with the exact numbers (the browser tests
 * compare them with the CSV and the API).
 *
 * A share indicator's rows are, per group, its total (the group's size, a
 * count: never drawn or written as a percent) then its categories, each
 * with the share, the count when shown and the group's size; its chart
 * has a heading per group and a bar per category (a fill per category,
 * the category named in text).
 */
#include <inttypes.h>
#include <math.h>
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

/* ---- topics ------------------------------------------------------------- */

typedef struct topic {
    const char *path;     /* "/graduates" */
    const char *csv;      /* "/graduates.csv" */
    const char *question; /* msgid: the page's h1 */
    const char *intro;    /* msgid: plain language, short sentences */
    const char *inds;     /* indicator ids, "A|B|C"; the first by default */
    const char *group;    /* default breakdown, NULL none */
} topic;

static const topic topics[] = {
    {"/graduates", "/graduates.csv", N_("Where do high school graduates go?"),
     N_("This page shows what people do after they leave school. Some go to "
        "college. Some find a job. Some do both. Pick a measure and a year. "
        "You can also pick a place, a school or a group."),
     "EMP_Q2|EMP_Q4|OUTCOME_Y1|OUTCOME_Y3|OUTCOME_Y5|OUTCOME_Y10|HS_GRAD4|"
     "EMP_WHILE_HS",
     "sex"},
    {"/cte", "/cte.csv",
     N_("Which career and technical programs lead to good jobs?"),
     N_("Career and technical education teaches job skills in school. This "
        "page shows how students in these programs do. It shows pay and jobs "
        "after they finish. Pick a program to see its numbers."),
     "EARN_Y1|EARN_Y5|EARN_Y10|P5_3S1|P5_1S1|P5_5S1|P5_5S2|P5_5S3|P5_1P1|"
     "P5_2P1|P5_3P1|P5_4S1|P5_2S1|P5_2S2|P5_2S3|WBL_OUTCOMES_EMP_Q2|"
     "WBL_OUTCOMES_EARN_Y1",
     "cluster"},
    {"/equity", "/equity.csv", N_("How do outcomes differ by group?"),
     N_("This page compares groups of people. It shows each group next to "
        "the whole state. Gaps can point to places where help is needed. A "
        "gap does not tell us why it is there."),
     "EMP_Q2|HS_GRAD4|EARN_Y1|PS_COMPLETE_150|EMP_Q4|MED_EARN_Q2|EARN_Y5",
     "race"},
    {"/work", "/work.csv", N_("Where do people work?"),
     N_("This page shows where people work after school. It shows if they "
        "stay in their home region. It also shows the kind of business they "
        "work for."),
     "HOME_REGION_Y1|HOME_REGION_Y5|INDUSTRY_Y1|INDUSTRY_Y5|EMP_Q2|"
     "MED_EARN_Q2",
     "region"},
    {"/youth", "/youth.csv", N_("Opportunity youth"),
     N_("Opportunity youth are young people from 16 to 24. They are not in "
        "school and do not have a job. This page counts them in each "
        "quarter. It shows which groups have more of them."),
     "OPP_YOUTH", NULL},
    {"/supply", "/supply.csv",
     N_("Supply and demand: which credentials pay off?"),
     N_("This page looks at college programs and jobs. It shows how many "
        "finish a program on time. It shows what they earn. It also shows "
        "which programs lead to jobs that pay well and are in demand."),
     "CRED_OF_VALUE|PS_COMPLETE_150|MED_EARN_Q2|EARN_Y1|SUPPLY_DEMAND",
     "award_level"},
};

static const topic *topic_of(const char *path)
{
    for (size_t i = 0; i < sizeof topics / sizeof topics[0]; i++)
        if (strcmp(path, topics[i].path) == 0 ||
            strcmp(path, topics[i].csv) == 0)
            return &topics[i];
    return NULL;
}

static int list_has(const char *list, const char *id)
{
    size_t n = strlen(id);
    for (const char *s = list; *s;) {
        const char *e = strchr(s, '|');
        size_t len = e ? (size_t)(e - s) : strlen(s);
        if (len == n && memcmp(s, id, n) == 0)
            return 1;
        s = e ? e + 1 : "";
    }
    return 0;
}

/* ---- plain language per indicator ----------------------------------------
 * Short sentences in everyday words (a test holds the English to a
 * Flesch–Kincaid grade of 8 or less). */

static const struct {
    const char *id;
    const char *text; /* msgid */
} plain[] = {
    {"HS_GRAD4", N_("This is the share of ninth graders who finish high "
                    "school in four years. Students who move out of state "
                    "are not counted.")},
    {"EMP_Q2", N_("This is the share of people with a job in the state six "
                  "months after they left school. It counts people who left "
                  "high school or college, and people who finished an "
                  "apprenticeship.")},
    {"EMP_Q4", N_("This is the share of people with a job in the state one "
                  "year after they left school.")},
    {"MED_EARN_Q2", N_("This is what people earned in three months, half a "
                       "year after they left school. Half earned more than "
                       "this. Half earned less.")},
    {"OUTCOME_Y1", N_("This shows what people do in the first year after "
                      "they leave school: work, college, both, or neither.")},
    {"OUTCOME_Y3", N_("This shows what people do in the third year after "
                      "they leave school.")},
    {"OUTCOME_Y5", N_("This shows what people do in the fifth year after "
                      "they leave school.")},
    {"OUTCOME_Y10", N_("This shows what people do ten years after they leave "
                       "school.")},
    {"EARN_Y1", N_("This is what people earned in the first full year after "
                   "they left school. Half earned more than this. Half earned "
                   "less. Only people who worked most of the year count.")},
    {"EARN_Y5", N_("This is what people earned in the fifth year after they "
                   "left school. Half earned more. Half earned less.")},
    {"EARN_Y10", N_("This is what people earned in the tenth year after they "
                    "left school. Half earned more. Half earned less.")},
    {"INDUSTRY_Y1", N_("This shows the kind of business people work for in "
                       "the first year after school.")},
    {"INDUSTRY_Y5", N_("This shows the kind of business people work for in "
                       "the fifth year after school.")},
    {"HOME_REGION_Y1", N_("This is the share of workers who work in the "
                          "region where they went to school. It is for the "
                          "first year after school.")},
    {"HOME_REGION_Y5", N_("This is the share of workers who work in the "
                          "region where they went to school. It is for the "
                          "fifth year after school.")},
    {"EMP_WHILE_HS", N_("This is the share of high school juniors and "
                        "seniors who had a paid job while in school.")},
    {"WBL_OUTCOMES_EMP_Q2", N_("This compares jobs after high school for "
                               "students who learned on a job site and "
                               "students who did not.")},
    {"WBL_OUTCOMES_EARN_Y1", N_("This compares pay after high school for "
                                "students who learned on a job site and "
                                "students who did not.")},
    {"OPP_YOUTH", N_("This is the share of young people from 16 to 24 who "
                     "are not in school and have no job in the quarter.")},
    {"PS_COMPLETE_150", N_("This is the share of college students who finish "
                           "on time or a bit later. For a two-year program, "
                           "that means in three years.")},
    {"SUPPLY_DEMAND", N_("This shows how many graduates train for each kind "
                         "of job, next to how many jobs will open.")},
    {"CRED_OF_VALUE", N_("This is the share of programs whose graduates earn "
                         "a good wage in jobs that are in demand.")},
    {"P5_1S1", N_("This is the share of students in job training programs "
                  "who finish high school on time.")},
    {"P5_2S1", N_("This is the share of students in job training programs "
                  "who pass the reading test.")},
    {"P5_2S2", N_("This is the share of students in job training programs "
                  "who pass the math test.")},
    {"P5_2S3", N_("This is the share of students in job training programs "
                  "who pass the science test.")},
    {"P5_3S1", N_("This is the share of students in job training programs "
                  "who are in college, in the military, in service, or at "
                  "work after high school.")},
    {"P5_4S1", N_("This is the share of students in job training programs "
                  "that few people of their sex choose.")},
    {"P5_5S1", N_("This is the share of students in job training programs "
                  "who earn an industry credential.")},
    {"P5_5S2", N_("This is the share of students in job training programs "
                  "who earn college credit in high school.")},
    {"P5_5S3", N_("This is the share of students in job training programs "
                  "who learn on a job site.")},
    {"P5_1P1", N_("This is the share of college students in job training "
                  "programs who are at work, in the military, in service, or "
                  "still in school after they leave.")},
    {"P5_2P1", N_("This is the share of college students in job training "
                  "programs who earn a credential.")},
    {"P5_3P1", N_("This is the share of college students in job training "
                  "programs that few people of their sex choose.")},
};

const char *serve_plain_text(const char *id)
{
    for (size_t i = 0; i < sizeof plain / sizeof plain[0]; i++)
        if (strcmp(plain[i].id, id) == 0)
            return _(plain[i].text);
    return "";
}

const char *serve_ind_title(const serve_req *r, const measure_indicator *ind)
{
    if (strcmp(r->lang, "es") == 0 && ind->title_es != NULL)
        return ind->title_es;
    return ind->title_en ? ind->title_en : ind->id;
}

/* ---- numbers as people read them ------------------------------------------
 */

void serve_fmt_shown(const serve_req *r, const measure_indicator *ind,
                     const pub_cell *c, char *buf, size_t cap)
{
    char num[64];
    if (c->status == 'S') {
        snprintf(buf, cap, "%s", _("Hidden: too few people"));
        return;
    }
    if (c->status == 'C') {
        snprintf(buf, cap, "%s", _("Hidden to protect another group"));
        return;
    }
    if (ind->stat == MS_PERCENTILE) {
        /* a percentile cell's value is its n; the pay is the median */
        if (!(c->has & PUB_HAS_PCT)) {
            snprintf(buf, cap, "%s", _("Pay not shown: group too small"));
            return;
        }
        serve_fmt_money(r->lang, c->median, buf, cap);
        return;
    }
    if (!(c->has & PUB_HAS_VALUE)) {
        snprintf(buf, cap, "%s", c->label); /* a band: "≥95%" */
        return;
    }
    switch (ind->stat) {
    case MS_COUNT:
        serve_fmt_number(r->lang, c->value, 0, num, sizeof num);
        snprintf(buf, cap, "%s", num);
        break;
    default: {
        /* one decimal rounded towards 50 %, as disclose/ labels it, so the
         * page, the label in the CSV and the band edges agree */
        long permille;
        if ((c->has & PUB_HAS_NUM) && (c->has & PUB_HAS_N) && c->n > 0) {
            long m = (long)c->numerator, n = (long)c->n;
            permille = 2 * m >= n ? (1000 * m) / n : (1000 * m + n - 1) / n;
        } else {
            double v = c->value * 1000;
            permille =
                (long)(c->value >= 0.5 ? floor(v + 1e-9) : ceil(v - 1e-9));
        }
        serve_fmt_number(r->lang, (double)permille / 10, 1, num, sizeof num);
        snprintf(buf, cap, "%s%%", num);
        break;
    }
    }
}

const char *serve_status_text(char status)
{
    switch (status) {
    case 'P':
        return _("Published");
    case 'S':
        return _("Hidden: fewer people than the minimum");
    case 'C':
        return _("Hidden so that a small group cannot be worked out");
    case 'B':
        return _("Shown as a range");
    case 'L':
        return _("Pooled over years");
    default:
        return _("Noise added");
    }
}

int serve_cell_plot(const measure_indicator *ind, const pub_cell *c, double *v,
                    double *hi)
{
    *v = *hi = 0;
    if (c == NULL || c->status == 'S' || c->status == 'C')
        return SVG_HIDDEN;
    if (ind->stat == MS_PERCENTILE) {
        if (!(c->has & PUB_HAS_PCT))
            return SVG_HIDDEN;
        *v = c->median;
        return SVG_VALUE;
    }
    if (c->has & PUB_HAS_VALUE) {
        *v = c->value;
        return SVG_VALUE;
    }
    if (c->has & PUB_HAS_RATE) {
        *v = c->rate_lo;
        *hi = c->rate_hi;
        return SVG_BAND;
    }
    return SVG_HIDDEN;
}

/* ---- shares ----------------------------------------------------------------
 * A share indicator is published as counts: per group, its total (the
 * group's size, a count) and one cell per category (the count in it, its
 * share of the group, and the group's size as n). */

/* The exact share as a percent with one decimal, rounded towards 50 % as
 * disclose/ labels it (so the page never says 0.0 % or 100.0 %). */
static void fmt_percent(const serve_req *r, const pub_cell *c, char *buf,
                        size_t cap)
{
    char num[64];
    long permille;
    if ((c->has & PUB_HAS_NUM) && (c->has & PUB_HAS_N) && c->n > 0) {
        long m = (long)c->numerator, n = (long)c->n;
        permille = 2 * m >= n ? (1000 * m) / n : (1000 * m + n - 1) / n;
    } else {
        double v = c->value * 1000;
        permille = (long)(c->value >= 0.5 ? floor(v + 1e-9) : ceil(v - 1e-9));
    }
    serve_fmt_number(r->lang, (double)permille / 10, 1, num, sizeof num);
    snprintf(buf, cap, "%s%%", num);
}

void serve_fmt_share(const serve_req *r, const pub_cell *c, char *buf,
                     size_t cap)
{
    if (c->category == NULL)
        snprintf(buf, cap, "–"); /* a group's total has no share */
    else if (c->status == 'S')
        snprintf(buf, cap, "%s", _("Hidden: too few people"));
    else if (c->status == 'C')
        snprintf(buf, cap, "%s", _("Hidden to protect another group"));
    else if (c->has & PUB_HAS_VALUE)
        fmt_percent(r, c, buf, cap);
    else if (c->has & PUB_HAS_RATE)
        snprintf(buf, cap, "%s", c->label); /* a band: "≥62%" */
    else if (c->has & PUB_HAS_NUM)
        snprintf(buf, cap, "%s", _("Not shown: the group's size is hidden"));
    else
        snprintf(buf, cap, "%s", c->label);
}

void serve_fmt_share_count(const serve_req *r, const pub_cell *c, char *buf,
                           size_t cap)
{
    snprintf(buf, cap, "–");
    if (c->category != NULL && (c->has & PUB_HAS_NUM))
        serve_fmt_number(r->lang, (double)c->numerator, 0, buf, cap);
}

void serve_fmt_group_size(const serve_req *r, const pub_cell *c, char *buf,
                          size_t cap)
{
    snprintf(buf, cap, "–");
    if (c->category == NULL && c->status == 'S')
        snprintf(buf, cap, "%s", _("Hidden: too few people"));
    else if (c->category == NULL && c->status == 'C')
        snprintf(buf, cap, "%s", _("Hidden to protect another group"));
    else if (c->category == NULL && (c->has & PUB_HAS_VALUE))
        serve_fmt_number(r->lang, c->value, 0, buf, cap);
    else if (c->has & PUB_HAS_N)
        serve_fmt_number(r->lang, (double)c->n, 0, buf, cap);
}

const char *serve_share_category(const serve_req *r, const pub_cell *c,
                                 char *buf, size_t cap)
{
    if (c->category == NULL)
        return _("Everyone in the group");
    return serve_category_label(r->app->occupations, c->category, buf, cap);
}

p20w_status serve_share_tds(sbuf *b, const serve_req *r, const pub_cell *c)
{
    char cat[300], share[128], count[48], size[128];
    const char *name = serve_share_category(r, c, cat, sizeof cat);
    serve_fmt_share(r, c, share, sizeof share);
    serve_fmt_share_count(r, c, count, sizeof count);
    serve_fmt_group_size(r, c, size, sizeof size);
    p20w_status rc = sbuf_puts(b, "<td>");
    if (rc == P20W_OK)
        rc = serve_html_text(b, name);
    if (rc == P20W_OK)
        rc = sbuf_puts(b, "</td><td class=\"num\">");
    if (rc == P20W_OK)
        rc = serve_html_text(b, share);
    if (rc == P20W_OK)
        rc = sbuf_printf(b,
                         "</td><td class=\"num\">%s</td><td "
                         "class=\"num\">",
                         count);
    if (rc == P20W_OK)
        rc = serve_html_text(b, size);
    if (rc == P20W_OK)
        rc = sbuf_printf(b, "</td><td>%s</td>", serve_status_text(c->status));
    return rc;
}

p20w_status serve_share_thead(sbuf *b, const char *first)
{
    return sbuf_printf(b,
                       "<thead><tr><th scope=\"col\">%s</th><th "
                       "scope=\"col\">%s</th><th scope=\"col\" "
                       "class=\"num\">%s</th><th scope=\"col\" "
                       "class=\"num\">%s</th><th scope=\"col\" "
                       "class=\"num\">%s</th><th scope=\"col\">%s</th></tr>"
                       "</thead>\n",
                       first, _("Category"), _("Share of the group"),
                       _("Number of people"), _("Size of the group"),
                       _("Status"));
}

void serve_share_heading(const serve_req *r, const char *group,
                         const pub_cell *total, char *buf, size_t cap)
{
    char size[128];
    if (total == NULL || total->category != NULL) {
        snprintf(buf, cap, "%s", group);
        return;
    }
    serve_fmt_group_size(r, total, size, sizeof size);
    if (total->has & PUB_HAS_VALUE)
        snprintf(buf, cap, _("%s: %s people"), group, size);
    else
        snprintf(buf, cap, _("%s: size hidden"), group);
}

/* ---- rows ------------------------------------------------------------------
 */

/* Most rows of one page (SUPPLY_DEMAND lists hundreds of occupations per
 * group); beyond, the page says it stopped. */
#define MAX_ROWS 5000

typedef struct prow {
    const char *section; /* translated heading of its group of rows */
    char label[200];
    const pub_table *t;
    const pub_cell *c;
} prow;

typedef struct page {
    serve_req *r;
    const topic *tp;
    const measure_indicator *ind;
    const pubcube *pc;
    int32_t year;
    int32_t years[128];
    size_t nyears;
    const char *group; /* "race", "race,sex", or NULL */
    char place_dim[16];
    const char *place_val;
    const char *school, *institution;
    char program_dim[16];
    const char *program_val;
    prow *rows; /* nrows of cap */
    size_t nrows, cap;
    int truncated; /* MAX_ROWS reached */
    int oom;
    int share; /* the indicator is a share: rows are groups' totals and
                  categories */
    const char *missing[8]; /* requested rows with nothing published */
    size_t nmissing;
} page;

/* A new row at the end, NULL when out of memory or at MAX_ROWS. */
static prow *row_add(page *p)
{
    if (p->nrows >= MAX_ROWS) {
        p->truncated = 1;
        return NULL;
    }
    if (p->nrows == p->cap) {
        size_t cap = p->cap ? 2 * p->cap : 64;
        prow *v = p20w_realloc(p->rows, cap * sizeof *v);
        if (v == NULL) {
            p->oom = 1;
            return NULL;
        }
        p->rows = v;
        p->cap = cap;
    }
    prow *row = &p->rows[p->nrows++];
    memset(row, 0, sizeof *row);
    return row;
}

static void page_free(page *p)
{
    if (p == NULL)
        return;
    p20w_free(p->rows);
    p20w_free(p);
}

/* The label of a cell: its non-required dims' values (or `total`), then
 * the required ones ("Hispanic or Latino · Female · 2020Q1"). */
static void cell_label(const page *p, const pub_table *t, const pub_cell *c,
                       const char *total, char *buf, size_t cap)
{
    char main[200] = "", req[120] = "", tmp[160];
    size_t am = 0, ar = 0;
    for (int i = 0; i < t->ndims; i++) {
        int is_req = (int)((p->ind->required_dims >> t->dim[i]) & 1);
        const char *v = serve_value_label(pubcube_names(p->pc), t->dim[i],
                                          c->val[i], tmp, sizeof tmp);
        char *dst = is_req ? req : main;
        size_t *at = is_req ? &ar : &am;
        size_t dcap = is_req ? sizeof req : sizeof main;
        int w = snprintf(dst + *at, dcap - *at, "%s%s", *at ? " · " : "", v);
        if (w > 0 && (size_t)w < dcap - *at)
            *at += (size_t)w;
    }
    if (am == 0 && total != NULL)
        snprintf(main, sizeof main, "%s", total);
    int w = ar > 0 ? snprintf(buf, cap, "%s · %s", main, req)
                   : snprintf(buf, cap, "%s", main);
    if (w < 0 || (size_t)w >= cap)
        buf[cap - 1] = '\0'; /* shortened: labels are for reading */
}

/* Adds the rows of table `dims` whose cells match (value on dimension
 * `dim` when val != NULL) in the page's year. */
static void add_rows(page *p, const char *section, const char *extra_dims,
                     int dim, const char *val, const char *total)
{
    serve_sel s;
    char why[200];
    if (serve_sel_plan(&s, p->ind, extra_dims, why, sizeof why) != P20W_OK)
        return;
    const pub_table *t = pubcube_table(p->pc, p->ind->id, s.dims);
    if (t == NULL) {
        if (p->nmissing < 8)
            p->missing[p->nmissing++] = section;
        return;
    }
    int col = dim >= 0 ? pub_table_col(t, dim) : -1;
    size_t before = p->nrows;
    for (size_t i = 0; i < t->ncells; i++) {
        const pub_cell *c = &t->cells[i];
        if (c->year != p->year)
            continue;
        if (col >= 0 && strcmp(c->val[col], val) != 0)
            continue;
        prow *row = row_add(p);
        if (row == NULL)
            break;
        row->section = section;
        row->t = t;
        row->c = c;
        cell_label(p, t, c, total, row->label, sizeof row->label);
    }
    if (p->nrows == before && p->nmissing < 8)
        p->missing[p->nmissing++] = section;
}

static void build_rows(page *p)
{
    add_rows(p, _("Whole state"), NULL, -1, NULL, _("Whole state"));
    if (p->place_val != NULL)
        add_rows(p, _("Place"), p->place_dim, measure_dim_find(p->place_dim),
                 p->place_val, NULL);
    if (p->school != NULL)
        add_rows(p, _("High school"), "school", MD_SCHOOL, p->school, NULL);
    if (p->institution != NULL)
        add_rows(p, _("College or training institution"), "institution",
                 MD_INSTITUTION, p->institution, NULL);
    if (p->program_val != NULL)
        add_rows(p, _("Program"), p->program_dim,
                 measure_dim_find(p->program_dim), p->program_val, NULL);
    if (p->group != NULL) {
        const char *sec = _("Groups");
        int d = measure_dim_find(p->group);
        if (d >= 0)
            sec = serve_dim_title(d);
        add_rows(p, sec, p->group, -1, NULL, NULL);
    }
}

/* ---- parameters --------------------------------------------------------- */

static const serve_param_spec page_params[] = {
    {"indicator", SERVE_P_ID, NULL}, {"year", SERVE_P_YEAR, NULL},
    {"group", SERVE_P_TEXT, NULL},   {"place", SERVE_P_TEXT, NULL},
    {"school", SERVE_P_ID, NULL},    {"institution", SERVE_P_ID, NULL},
    {"program", SERVE_P_TEXT, NULL}, {NULL, 0, NULL},
};

/* Group breakdowns a page offers: person dims, then places and programs
 * where it makes sense, then the two published intersections. */
static const char *const group_choices[] = {
    "sex",      "race",        "econ",      "disability",     "english_learner",
    "homeless", "foster_care", "military",  "nontraditional", "locale",
    "exiter",   "award_level", "cluster",   "cip2",           "region",
    "wbl",      "race,sex",    "race,econ",
};

static int group_allowed(const measure_indicator *ind, const char *g)
{
    serve_sel s;
    char why[200];
    int known = 0;
    for (size_t i = 0; i < sizeof group_choices / sizeof group_choices[0]; i++)
        known |= strcmp(group_choices[i], g) == 0;
    return known && serve_sel_plan(&s, ind, g, why, sizeof why) == P20W_OK &&
           strcmp(s.dims, "") != 0;
}

/* "dim:value" with dim one of the allowed list and allowed by ind. */
static int split_pick(const measure_indicator *ind, const char *v,
                      const char *dims_ok, char *dim, size_t cap,
                      const char **val)
{
    const char *colon = strchr(v, ':');
    if (colon == NULL || (size_t)(colon - v) >= cap || colon[1] == '\0')
        return -1;
    memcpy(dim, v, (size_t)(colon - v));
    dim[colon - v] = '\0';
    int d = measure_dim_find(dim);
    if (d < 0 || !list_has(dims_ok, dim) || !((ind->dims >> d) & 1))
        return -1;
    *val = colon + 1;
    return 0;
}

static p20w_status bad_param(serve_req *r, serve_resp *out, const char *name,
                             const char *what)
{
    char msg[600];
    snprintf(msg, sizeof msg, _("The parameter '%s' %s."), name, what);
    return serve_resp_error(r, out, 400, msg);
}

/* 1 when table `dims` of the page's indicator has, in `year`, a cell
 * shown as a number or a band (published, banded, pooled or with noise)
 * matching `val` on dimension `dim` (val NULL: any cell). */
static int year_shown(const page *p, const char *dims, int dim, const char *val,
                      int32_t year)
{
    serve_sel s;
    char why[200];
    if (serve_sel_plan(&s, p->ind, dims, why, sizeof why) != P20W_OK)
        return 0;
    const pub_table *t = pubcube_table(p->pc, p->ind->id, s.dims);
    if (t == NULL)
        return 0;
    int col = dim >= 0 && val != NULL ? pub_table_col(t, dim) : -1;
    for (size_t i = 0; i < t->ncells; i++) {
        const pub_cell *c = &t->cells[i];
        if (c->year != year || strchr("PBLN", c->status) == NULL ||
            c->status == '\0')
            continue;
        if (col >= 0 && strcmp(c->val[col], val) != 0)
            continue;
        return 1;
    }
    return 0;
}

/* The year a page without ?year= shows: the latest year in which every
 * part the visitor chose has a cell shown (the breakdown's groups, or the
 * state row when none, and the place, school, institution or program
 * picked), then the latest in which the breakdown alone has one, else
 * the latest year. The newest years are often empty for a breakdown
 * (windows not closed yet, or every group too small): the state row
 * alone is not what the visitor asked to see. */
static int32_t default_year(const page *p)
{
    for (int pass = 0; pass < 2; pass++) {
        for (size_t y = p->nyears; y-- > 0;) {
            int32_t yr = p->years[y];
            int ok = p->group != NULL ? year_shown(p, p->group, -1, NULL, yr)
                                      : year_shown(p, NULL, -1, NULL, yr);
            if (ok && pass == 0 && p->place_val != NULL)
                ok = year_shown(p, p->place_dim, measure_dim_find(p->place_dim),
                                p->place_val, yr);
            if (ok && pass == 0 && p->school != NULL)
                ok = year_shown(p, "school", MD_SCHOOL, p->school, yr);
            if (ok && pass == 0 && p->institution != NULL)
                ok = year_shown(p, "institution", MD_INSTITUTION,
                                p->institution, yr);
            if (ok && pass == 0 && p->program_val != NULL)
                ok = year_shown(p, p->program_dim,
                                measure_dim_find(p->program_dim),
                                p->program_val, yr);
            if (ok)
                return yr;
        }
    }
    return p->years[p->nyears - 1];
}

/* Reads and checks the page's parameters; answers 400 itself (*done). */
static p20w_status read_params(page *p, serve_resp *out, int *done)
{
    serve_req *r = p->r;
    char msg[400];
    *done = 1;
    const char *id = serve_req_query(r, "indicator");
    if (id == NULL) {
        size_t n = strcspn(p->tp->inds, "|");
        snprintf(msg, sizeof msg, "%.*s", (int)n, p->tp->inds);
        p->ind = measure_find(msg);
    } else if (list_has(p->tp->inds, id)) {
        p->ind = measure_find(id);
    }
    if (p->ind == NULL) {
        snprintf(msg, sizeof msg,
                 _("must be one of the measures of this page"));
        return bad_param(r, out, "indicator", msg);
    }
    p->pc = serve_req_cube(r);
    p->nyears = pubcube_years(p->pc, p->ind->id, p->years, 128);
    if (p->nyears > 128)
        p->nyears = 128;
    const char *y = serve_req_query(r, "year");
    if (y != NULL)
        p->year = (int32_t)strtol(y, NULL, 10);
    const char *g = serve_req_query(r, "group");
    if (g != NULL && strcmp(g, "none") != 0) {
        if (!group_allowed(p->ind, g))
            return bad_param(r, out, "group",
                             _("is not a breakdown this measure has"));
        p->group = g;
    } else if (g == NULL && p->tp->group != NULL &&
               group_allowed(p->ind, p->tp->group)) {
        p->group = p->tp->group;
    }
    const char *pl = serve_req_query(r, "place");
    if (pl != NULL &&
        split_pick(p->ind, pl, "region|county|district", p->place_dim,
                   sizeof p->place_dim, &p->place_val) != 0)
        return bad_param(r, out, "place",
                         _("must be region:ID, county:ID or district:ID of "
                           "a place this measure has"));
    p->school = serve_req_query(r, "school");
    if (p->school != NULL && !((p->ind->dims >> MD_SCHOOL) & 1))
        return bad_param(r, out, "school", _("does not apply to this measure"));
    p->institution = serve_req_query(r, "institution");
    if (p->institution != NULL && !((p->ind->dims >> MD_INSTITUTION) & 1))
        return bad_param(r, out, "institution",
                         _("does not apply to this measure"));
    const char *pr = serve_req_query(r, "program");
    if (pr != NULL &&
        split_pick(p->ind, pr, "cluster|program|cip2|cip4|cip6|award_level",
                   p->program_dim, sizeof p->program_dim, &p->program_val) != 0)
        return bad_param(r, out, "program",
                         _("must be cluster:CODE, program:ID or cip2:CODE of "
                           "a program this measure has"));
    if (y == NULL && p->nyears > 0)
        p->year = default_year(p);
    *done = 0;
    return P20W_OK;
}

/* ---- the form ------------------------------------------------------------ */

static p20w_status option(sbuf *b, const char *value, const char *label,
                          int selected)
{
    p20w_status rc = sbuf_puts(b, "<option value=\"");
    if (rc == P20W_OK)
        rc = serve_html_text(b, value);
    if (rc == P20W_OK)
        rc = sbuf_printf(b, "\"%s>", selected ? " selected" : "");
    if (rc == P20W_OK)
        rc = serve_html_text(b, label);
    if (rc == P20W_OK)
        rc = sbuf_puts(b, "</option>\n");
    return rc;
}

static p20w_status select_open(sbuf *b, const char *name, const char *label)
{
    return sbuf_printf(b,
                       "<div><label for=\"f-%s\">%s</label>\n<select "
                       "id=\"f-%s\" name=\"%s\">\n",
                       name, label, name, name);
}

/* Options "dim:value" (or bare values) from every cell of table dims. */
static p20w_status value_options(sbuf *b, const page *p, const char *dims,
                                 int prefix, const char *cur_dim,
                                 const char *cur)
{
    const pub_table *t = NULL;
    serve_sel s;
    char why[100], buf[160], val[200];
    if (serve_sel_plan(&s, p->ind, dims, why, sizeof why) == P20W_OK)
        t = pubcube_table(p->pc, p->ind->id, s.dims);
    int d = measure_dim_find(dims);
    if (t == NULL || d < 0)
        return P20W_OK;
    int col = pub_table_col(t, d);
    p20w_status rc = P20W_OK;
    const char *const *seen = t->values[col];
    size_t nseen = t->nvalues[col];
    for (size_t i = 0; rc == P20W_OK && i < nseen; i++) {
        const char *lab = serve_value_label(pubcube_names(p->pc), d, seen[i],
                                            buf, sizeof buf);
        if (prefix)
            snprintf(val, sizeof val, "%s:%s", dims, seen[i]);
        else
            snprintf(val, sizeof val, "%s", seen[i]);
        int sel = cur != NULL && strcmp(cur, seen[i]) == 0 &&
                  (cur_dim == NULL || strcmp(cur_dim, dims) == 0);
        rc = option(b, val, lab, sel);
    }
    return rc;
}

/* A select of the values of dimension name, after "" for all of them. */
static p20w_status value_select(sbuf *b, const page *p, const char *name,
                                const char *label, const char *all,
                                const char *cur)
{
    p20w_status rc = select_open(b, name, label);
    if (rc == P20W_OK)
        rc = option(b, "", all, cur == NULL);
    if (rc == P20W_OK)
        rc = value_options(b, p, name, 0, NULL, cur);
    if (rc == P20W_OK)
        rc = sbuf_puts(b, "</select></div>\n");
    return rc;
}

/* A select of "dim:value" for each of the n dimensions dnames the
 * indicator has, an optgroup a dimension, after "" for all of them. */
static p20w_status grouped_select(sbuf *b, const page *p, const char *name,
                                  const char *label, const char *all,
                                  const char *const *dnames, size_t n,
                                  const char *cur_dim, const char *cur)
{
    p20w_status rc = select_open(b, name, label);
    if (rc == P20W_OK)
        rc = option(b, "", all, cur == NULL);
    for (size_t i = 0; rc == P20W_OK && i < n; i++) {
        int d = measure_dim_find(dnames[i]);
        if (!((p->ind->dims >> d) & 1))
            continue;
        rc = sbuf_printf(b, "<optgroup label=\"%s\">\n", serve_dim_title(d));
        if (rc == P20W_OK)
            rc = value_options(b, p, dnames[i], 1, cur_dim, cur);
        if (rc == P20W_OK)
            rc = sbuf_puts(b, "</optgroup>\n");
    }
    if (rc == P20W_OK)
        rc = sbuf_puts(b, "</select></div>\n");
    return rc;
}

static p20w_status form(sbuf *b, const page *p)
{
    serve_req *r = p->r;
    char ybuf[16];
    p20w_status rc =
        sbuf_printf(b,
                    "<form class=\"filters\" method=\"get\" action=\"%s\" "
                    "aria-label=\"%s\">\n<input type=\"hidden\" name=\"lang\" "
                    "value=\"%s\">\n",
                    p->tp->path, _("Filters"), r->lang);
    /* the measure */
    if (rc == P20W_OK)
        rc = select_open(b, "indicator", _("Measure"));
    for (const char *s = p->tp->inds; rc == P20W_OK && *s;) {
        const char *e = strchr(s, '|');
        size_t n = e ? (size_t)(e - s) : strlen(s);
        char id[40];
        snprintf(id, sizeof id, "%.*s", (int)n, s);
        const measure_indicator *ind = measure_find(id);
        if (ind != NULL)
            rc = option(b, id, serve_ind_title(r, ind), ind == p->ind);
        s = e ? e + 1 : "";
    }
    if (rc == P20W_OK)
        rc = sbuf_puts(b, "</select></div>\n");
    /* the year */
    if (rc == P20W_OK && p->nyears > 0) {
        rc = select_open(b, "year", _("Year"));
        for (size_t i = p->nyears; rc == P20W_OK && i-- > 0;) {
            snprintf(ybuf, sizeof ybuf, "%" PRId32, p->years[i]);
            rc = option(b, ybuf, ybuf, p->years[i] == p->year);
        }
        if (rc == P20W_OK)
            rc = sbuf_puts(b, "</select></div>\n");
    }
    /* the group */
    if (rc == P20W_OK) {
        rc = select_open(b, "group", _("Compare groups"));
        if (rc == P20W_OK)
            rc = option(b, "none", _("No groups"), p->group == NULL);
        for (size_t i = 0; rc == P20W_OK &&
                           i < sizeof group_choices / sizeof group_choices[0];
             i++) {
            const char *g = group_choices[i];
            if (!group_allowed(p->ind, g))
                continue;
            char lab[200];
            if (strchr(g, ',') != NULL)
                snprintf(lab, sizeof lab, "%s × %s", serve_dim_title(MD_RACE),
                         serve_dim_title(strstr(g, "sex") ? MD_SEX : MD_ECON));
            else
                snprintf(lab, sizeof lab, "%s",
                         serve_dim_title(measure_dim_find(g)));
            rc = option(b, g, lab, p->group && strcmp(p->group, g) == 0);
        }
        if (rc == P20W_OK)
            rc = sbuf_puts(b, "</select></div>\n");
    }
    /* the place */
    uint64_t dims = p->ind->dims;
    if (rc == P20W_OK &&
        (dims & ((UINT64_C(1) << MD_REGION) | (UINT64_C(1) << MD_COUNTY) |
                 (UINT64_C(1) << MD_DISTRICT)))) {
        static const char *const places[] = {"region", "county", "district"};
        rc = grouped_select(b, p, "place", _("Place"), _("Whole state only"),
                            places, 3, p->place_dim, p->place_val);
    }
    if (rc == P20W_OK && ((dims >> MD_SCHOOL) & 1))
        rc = value_select(b, p, "school", _("High school"), _("All schools"),
                          p->school);
    if (rc == P20W_OK && ((dims >> MD_INSTITUTION) & 1))
        rc = value_select(b, p, "institution", _("College or institution"),
                          _("All institutions"), p->institution);
    static const char *const progs[] = {"cluster", "program", "cip2"};
    int any_prog = 0;
    for (size_t i = 0; i < 3; i++)
        any_prog |= (int)((dims >> measure_dim_find(progs[i])) & 1);
    if (rc == P20W_OK && any_prog)
        rc = grouped_select(b, p, "program", _("Program"), _("All programs"),
                            progs, 3, p->program_dim, p->program_val);
    if (rc == P20W_OK)
        rc = sbuf_printf(b,
                         "<div><button type=\"submit\">%s</button></div>\n"
                         "</form>\n",
                         _("Show"));
    return rc;
}

/* ---- chart, table, CSV -----------------------------------------------------
 */

/* The bars of a share page: per group a heading (its name and size),
 * then one bar per category, labelled with the category's name, in a
 * fill of its own (colour and pattern by its place in the group). */
static p20w_status share_bars(const page *p, svg_bar *bars, char (*texts)[96],
                              char (*labels)[200], char (*heads)[300],
                              size_t *nbars)
{
    size_t n = 0, pos = 0;
    const char *group = NULL, *of = NULL; /* heading; the group's label */
    for (size_t i = 0; i < p->nrows; i++) {
        const prow *row = &p->rows[i];
        if (row->c->category == NULL || of == NULL ||
            strcmp(of, row->label) != 0) {
            serve_share_heading(p->r, row->label,
                                row->c->category == NULL ? row->c : NULL,
                                heads[i], sizeof heads[i]);
            group = heads[i];
            of = row->label;
            pos = 0;
        }
        svg_bar *bar = &bars[n];
        if (row->c->category == NULL) {
            const prow *next = i + 1 < p->nrows ? &p->rows[i + 1] : NULL;
            if (next != NULL && next->c->category != NULL &&
                strcmp(next->label, row->label) == 0)
                continue;
            /* a group with no category published: one marked gap */
            snprintf(labels[n], sizeof labels[n], "%s",
                     _("Everyone in the group"));
            snprintf(texts[n], sizeof texts[n], "%s",
                     row->c->status == 'S' || row->c->status == 'C'
                         ? serve_status_text(row->c->status)
                         : _("No category is published"));
            bar->label = labels[n];
            bar->group = group;
            bar->text = texts[n];
            bar->kind = SVG_HIDDEN;
            n++;
            continue;
        }
        const char *cat =
            serve_share_category(p->r, row->c, labels[n], sizeof labels[n]);
        if (cat != labels[n])
            snprintf(labels[n], sizeof labels[n], "%s", cat);
        bar->label = labels[n];
        bar->group = group;
        bar->series = (int)(pos++ % SVG_FILLS);
        bar->text = texts[n];
        serve_fmt_share(p->r, row->c, texts[n], sizeof texts[n]);
        bar->kind = serve_cell_plot(p->ind, row->c, &bar->value, &bar->hi);
        n++;
    }
    *nbars = n;
    return P20W_OK;
}

static p20w_status chart(sbuf *b, const page *p)
{
    size_t cap = p->nrows ? p->nrows : 1, n = 0;
    svg_bar *bars = p20w_calloc(cap, sizeof *bars);
    char(*texts)[96] = p20w_calloc(cap, sizeof *texts);
    char(*labels)[200] = p->share ? p20w_calloc(cap, sizeof *labels) : NULL;
    char(*heads)[300] = p->share ? p20w_calloc(cap, sizeof *heads) : NULL;
    p20w_status rc = P20W_OK;
    if (bars == NULL || texts == NULL ||
        (p->share && (labels == NULL || heads == NULL)))
        rc = P20W_ENOMEM;
    if (rc == P20W_OK && p->share)
        rc = share_bars(p, bars, texts, labels, heads, &n);
    for (size_t i = 0; rc == P20W_OK && !p->share && i < p->nrows; i++) {
        const pub_cell *c = p->rows[i].c;
        svg_bar *bar = &bars[n++];
        bar->label = p->rows[i].label;
        bar->text = texts[i];
        serve_fmt_shown(p->r, p->ind, c, texts[i], sizeof texts[i]);
        bar->kind = serve_cell_plot(p->ind, c, &bar->value, &bar->hi);
    }
    char desc[600];
    char yb[16];
    snprintf(yb, sizeof yb, "%" PRId32, p->year);
    if (p->share)
        snprintf(desc, sizeof desc,
                 _("Bar chart of %s in %s. For each group of the table "
                   "below, one bar per category: the share of the group in "
                   "it. A dashed box marks a number that is hidden to "
                   "protect privacy; a striped bar is a range."),
                 serve_ind_title(p->r, p->ind), yb);
    else
        snprintf(desc, sizeof desc,
                 _("Bar chart of %s in %s, one bar per row of the table "
                   "below. A dashed box marks a number that is hidden to "
                   "protect privacy; a striped bar is a range."),
                 serve_ind_title(p->r, p->ind), yb);
    svg_chart c = {
        .id = "chart",
        .title = serve_ind_title(p->r, p->ind),
        .desc = desc,
        .percent =
            p->share || p->ind->stat == MS_RATE || p->ind->stat == MS_FLAG,
        .unit_prefix = p->ind->stat == MS_PERCENTILE ? "$" : NULL,
        .lang = p->r->lang,
    };
    if (rc == P20W_OK)
        rc = sbuf_puts(b, "<figure class=\"chart\">\n");
    if (rc == P20W_OK)
        rc = svg_bar_chart(b, &c, bars, n);
    if (rc == P20W_OK)
        rc = sbuf_printf(b, "<figcaption>%s</figcaption>\n</figure>\n",
                         _("The same numbers are in the table below."));
    p20w_free(bars);
    p20w_free(texts);
    p20w_free(labels);
    p20w_free(heads);
    return rc;
}

/* The cells of a row after its header: value (percentiles: median, 25th,
 * 75th), number of people, status. */
static p20w_status plain_tds(sbuf *b, const page *p, const prow *row)
{
    serve_req *r = p->r;
    char buf[128];
    serve_fmt_shown(r, p->ind, row->c, buf, sizeof buf);
    p20w_status rc = sbuf_puts(b, "<td class=\"num\">");
    if (rc == P20W_OK)
        rc = serve_html_text(b, buf);
    if (rc == P20W_OK)
        rc = sbuf_puts(b, "</td>");
    if (rc == P20W_OK && p->ind->stat == MS_PERCENTILE) {
        char a[64] = "–", z[64] = "–";
        if (row->c->has & PUB_HAS_PCT) {
            serve_fmt_money(r->lang, row->c->p25, a, sizeof a);
            serve_fmt_money(r->lang, row->c->p75, z, sizeof z);
        }
        rc = sbuf_printf(b,
                         "<td class=\"num\">%s</td><td "
                         "class=\"num\">%s</td>",
                         a, z);
    }
    char nb[48] = "–";
    if (row->c->has & PUB_HAS_N)
        serve_fmt_number(r->lang, (double)row->c->n, 0, nb, sizeof nb);
    if (rc == P20W_OK)
        rc = sbuf_printf(b, "<td class=\"num\">%s</td><td>%s</td>", nb,
                         serve_status_text(row->c->status));
    return rc;
}

static p20w_status table(sbuf *b, const page *p)
{
    serve_req *r = p->r;
    int pct = p->ind->stat == MS_PERCENTILE;
    char yb[16];
    snprintf(yb, sizeof yb, "%" PRId32, p->year);
    p20w_status rc = sbuf_puts(b, "<div class=\"table-wrap\">\n<table>\n"
                                  "<caption>");
    if (rc == P20W_OK)
        rc = serve_html_text(b, serve_ind_title(r, p->ind));
    if (rc == P20W_OK)
        rc = sbuf_printf(b, ", %s</caption>\n", yb);
    if (rc == P20W_OK && p->share)
        rc = serve_share_thead(b, _("Group"));
    if (rc == P20W_OK && !p->share)
        rc = sbuf_printf(b,
                         "<thead><tr><th scope=\"col\">%s"
                         "</th><th scope=\"col\" class=\"num\">%s</th>",
                         _("Group"), pct ? _("Median") : _("Value"));
    if (rc == P20W_OK && !p->share && pct)
        rc = sbuf_printf(b,
                         "<th scope=\"col\" class=\"num\">%s</th><th "
                         "scope=\"col\" class=\"num\">%s</th>",
                         _("25th percentile"), _("75th percentile"));
    if (rc == P20W_OK && !p->share)
        rc = sbuf_printf(b,
                         "<th scope=\"col\" class=\"num\">%s</th><th "
                         "scope=\"col\">%s</th></tr></thead>\n",
                         _("Number of people"), _("Status"));
    if (rc == P20W_OK)
        rc = sbuf_puts(b, "<tbody>\n");
    const char *section = NULL;
    int ncol = p->share ? 6 : pct ? 6 : 4;
    for (size_t i = 0; rc == P20W_OK && i < p->nrows; i++) {
        const prow *row = &p->rows[i];
        if (row->section != section && i > 0) {
            rc = sbuf_printf(b, "<tr><th scope=\"colgroup\" colspan=\"%d\">",
                             ncol);
            if (rc == P20W_OK)
                rc = serve_html_text(b, row->section);
            if (rc == P20W_OK)
                rc = sbuf_puts(b, "</th></tr>\n");
        }
        section = row->section;
        int total = i == 0 || (p->share && row->c->category == NULL);
        if (rc == P20W_OK)
            rc = sbuf_printf(b, "<tr%s", total ? " class=\"total\"" : "");
        if (rc == P20W_OK)
            rc = serve_row_data(b, p->ind, row->t, row->c);
        if (rc == P20W_OK)
            rc = sbuf_puts(b, "><th scope=\"row\">");
        if (rc == P20W_OK)
            rc = serve_html_text(b, row->label);
        if (rc == P20W_OK)
            rc = sbuf_puts(b, "</th>");
        if (rc == P20W_OK)
            rc =
                p->share ? serve_share_tds(b, r, row->c) : plain_tds(b, p, row);
        if (rc == P20W_OK)
            rc = sbuf_puts(b, "</tr>\n");
    }
    if (rc == P20W_OK && p->nrows == 0)
        rc = sbuf_printf(b, "<tr><td colspan=\"%d\">%s</td></tr>\n", ncol,
                         _("No numbers are published for this choice."));
    if (rc == P20W_OK)
        rc = sbuf_puts(b, "</tbody>\n</table>\n</div>\n");
    return rc;
}

/* The page's CSV: one line per table row (cells.h, "the tables of the
 * pages"). */
static p20w_status page_csv(sbuf *b, const page *p)
{
    p20w_status rc = serve_rows_csv_head(b, p->share);
    for (size_t i = 0; rc == P20W_OK && i < p->nrows; i++)
        rc = serve_row_csv(b, p->ind, p->rows[i].t, p->rows[i].c, p->share);
    return rc;
}

/* The query of this page as kv pairs (for the CSV link). */
static size_t page_query(const page *p, serve_kv *kv, char *ybuf, size_t ycap)
{
    size_t n = 0;
    snprintf(ybuf, ycap, "%" PRId32, p->year);
    kv[n++] = (serve_kv){"indicator", p->ind->id};
    if (p->year)
        kv[n++] = (serve_kv){"year", ybuf};
    kv[n++] = (serve_kv){"group", p->group ? p->group : "none"};
    for (size_t i = 0; i < p->r->nquery; i++) {
        const char *name = p->r->query[i].name;
        if (strcmp(name, "place") == 0 || strcmp(name, "school") == 0 ||
            strcmp(name, "institution") == 0 || strcmp(name, "program") == 0)
            kv[n++] = p->r->query[i];
    }
    return n;
}

static p20w_status notes(sbuf *b, const page *p)
{
    size_t hidden = 0, band = 0;
    for (size_t i = 0; i < p->nrows; i++) {
        hidden += p->rows[i].c->status == 'S' || p->rows[i].c->status == 'C';
        band += p->rows[i].c->status == 'B';
    }
    p20w_status rc =
        sbuf_printf(b, "<h2>%s</h2>\n<div class=\"explain\">\n<p>%s</p>\n",
                    _("How to read this"), serve_plain_text(p->ind->id));
    if (rc == P20W_OK && p->ind->stat == MS_RATE)
        rc = sbuf_printf(b, "<p>%s</p>\n",
                         _("A longer bar means a larger share of the group. "
                           "The number of people is the size of the group."));
    if (rc == P20W_OK && p->ind->stat == MS_PERCENTILE)
        rc = sbuf_printf(b, "<p>%s</p>\n",
                         _("The bar shows the middle pay of the group. Pay "
                           "is in dollars of that year."));
    if (rc == P20W_OK && p->share)
        rc = sbuf_printf(b, "<p>%s</p>\n",
                         _("Each group is split into parts. Each bar is one "
                           "part. The share is the part's size out of the "
                           "whole group. The first line of a group gives "
                           "its size: how many people it has."));
    if (rc == P20W_OK)
        rc = sbuf_printf(b, "</div>\n<p class=\"note\">%s ",
                         _("We hide numbers about small groups. This keeps "
                           "people from being picked out. Some other numbers "
                           "are hidden too, so the hidden ones cannot be "
                           "worked out. A few are shown as a range, such as "
                           "\"≥95%\"."));
    if (rc == P20W_OK && hidden > 0)
        rc = sbuf_printf(
            b,
            dngettext(SERVE_TEXT_DOMAIN, "On this page, %zu number is hidden.",
                      "On this page, %zu numbers are hidden.", hidden),
            hidden);
    if (rc == P20W_OK && band > 0) {
        rc = sbuf_putc(b, ' ');
        if (rc == P20W_OK)
            rc = sbuf_printf(
                b,
                dngettext(SERVE_TEXT_DOMAIN, "%zu number is shown as a range.",
                          "%zu numbers are shown as a range.", band),
                band);
    }
    if (rc == P20W_OK)
        rc = sbuf_puts(b, "</p>\n");
    if (rc == P20W_OK && p->truncated)
        rc = sbuf_printf(b, "<p class=\"note\">%s</p>\n",
                         _("This choice has too many rows for one page. Only "
                           "the first ones are shown. The API has them "
                           "all."));
    for (size_t i = 0; rc == P20W_OK && i < p->nmissing; i++) {
        char msg[400];
        snprintf(msg, sizeof msg,
                 _("Nothing is published for “%s” in this year. The groups "
                   "are too small, or showing them would reveal a hidden "
                   "number."),
                 p->missing[i]);
        rc = sbuf_puts(b, "<p class=\"note\">");
        if (rc == P20W_OK)
            rc = serve_html_text(b, msg);
        if (rc == P20W_OK)
            rc = sbuf_puts(b, "</p>\n");
    }
    return rc;
}

static p20w_status links(sbuf *b, const page *p)
{
    serve_req *r = p->r;
    serve_kv kv[16];
    char yb[16];
    size_t n = page_query(p, kv, yb, sizeof yb);
    p20w_status rc = sbuf_printf(b, "<p class=\"downloads\"><a href=\"");
    if (rc == P20W_OK)
        rc = serve_html_href(b, p->tp->csv, kv, n, r->lang);
    if (rc == P20W_OK)
        rc = sbuf_printf(b, "\" download>%s</a> · <a href=\"",
                         _("Download this table (CSV)"));
    serve_kv api[3] = {{"indicator", p->ind->id}, {"year", yb}, {"by", NULL}};
    if (rc == P20W_OK)
        rc = serve_html_href(b, "/api/v1/cells", api, p->year ? 2 : 1, r->lang);
    if (rc == P20W_OK)
        rc = sbuf_printf(b, "\">%s</a></p>\n<p><a href=\"",
                         _("Same data as JSON"));
    if (rc == P20W_OK)
        rc = serve_html_href(b, "/methodology", NULL, 0, r->lang);
    if (rc == P20W_OK)
        rc = sbuf_printf(b, "#%s\">%s</a> · <a href=\"", p->ind->id,
                         _("How this is measured"));
    if (rc == P20W_OK)
        rc = serve_html_href(b, "/dictionary", NULL, 0, r->lang);
    if (rc == P20W_OK)
        rc = sbuf_printf(b, "\">%s</a></p>\n", _("Data dictionary"));
    return rc;
}

static p20w_status topic_page(serve_req *r, serve_resp *out)
{
    page *p = p20w_calloc(1, sizeof *p);
    if (p == NULL)
        return P20W_ENOMEM;
    p->r = r;
    p->tp = topic_of(r->path);
    int done = 0, csv = strstr(r->path, ".csv") != NULL;
    p20w_status rc = p->tp ? read_params(p, out, &done) : P20W_EINTERNAL;
    if (rc != P20W_OK || done) {
        page_free(p);
        return rc;
    }
    p->share = p->ind->stat == MS_SHARE;
    build_rows(p);
    if (p->oom) {
        page_free(p);
        return P20W_ENOMEM;
    }
    sbuf *b = serve_resp_body(out);
    if (csv) {
        char cd[128];
        snprintf(cd, sizeof cd, "attachment; filename=\"%s-%" PRId32 ".csv\"",
                 p->ind->id, p->year);
        serve_resp_type(out, "text/csv; charset=utf-8");
        rc = serve_resp_header(out, "Content-Disposition", cd);
        if (rc == P20W_OK)
            rc = page_csv(b, p);
        page_free(p);
        return rc;
    }
    rc = serve_page_begin(r, out, _(p->tp->question), p->tp->path);
    if (rc == P20W_OK)
        rc = sbuf_printf(b, "<div class=\"explain lead\"><p>%s</p></div>\n",
                         _(p->tp->intro));
    if (rc == P20W_OK)
        rc = form(b, p);
    if (rc == P20W_OK) {
        rc = sbuf_puts(b, "<h2>");
        if (rc == P20W_OK)
            rc = serve_html_text(b, serve_ind_title(r, p->ind));
        if (rc == P20W_OK)
            rc = sbuf_puts(b, "</h2>\n<p class=\"definition\">");
        if (rc == P20W_OK)
            rc = serve_html_text(b, strcmp(r->lang, "es") == 0
                                        ? p->ind->explain_es
                                        : p->ind->explain_en);
        if (rc == P20W_OK)
            rc = sbuf_puts(b, "</p>\n");
    }
    if (rc == P20W_OK && p->nyears == 0) {
        rc = sbuf_printf(b, "<p class=\"note\">%s</p>\n",
                         _("No numbers are published for this measure "
                           "yet."));
    } else if (rc == P20W_OK) {
        rc = chart(b, p);
        if (rc == P20W_OK)
            rc = table(b, p);
        if (rc == P20W_OK)
            rc = notes(b, p);
    }
    if (rc == P20W_OK)
        rc = links(b, p);
    if (rc == P20W_OK)
        rc = serve_page_end(r, out);
    page_free(p);
    return rc;
}

/* ---- home ------------------------------------------------------------------
 */

static p20w_status home(serve_req *r, serve_resp *out)
{
    sbuf *b = serve_resp_body(out);
    const pubcube_info *in = pubcube_get_info(serve_req_cube(r));
    p20w_status rc = serve_page_begin(r, out, _("State outcomes"), "/");
    if (rc == P20W_OK)
        rc = sbuf_printf(
            b, "<div class=\"explain lead\"><p>%s</p></div>\n",
            _("What happens to students after school? Do they go to college? "
              "Do they find good jobs? This site answers these questions with "
              "numbers from state agencies. No one can be picked out from "
              "them."));
    if (rc == P20W_OK)
        rc = sbuf_puts(b, "<ul class=\"cards\">\n");
    for (size_t i = 0; rc == P20W_OK && i < sizeof topics / sizeof topics[0];
         i++) {
        rc = sbuf_puts(b, "<li><h2><a href=\"");
        if (rc == P20W_OK)
            rc = serve_html_href(b, topics[i].path, NULL, 0, r->lang);
        if (rc == P20W_OK)
            rc = sbuf_printf(b, "\">%s</a></h2><p>%s</p></li>\n",
                             _(topics[i].question), _(topics[i].intro));
    }
    if (rc == P20W_OK) {
        rc = sbuf_puts(b, "<li><h2><a href=\"");
        if (rc == P20W_OK)
            rc = serve_html_href(b, "/reports", NULL, 0, r->lang);
        if (rc == P20W_OK)
            rc = sbuf_printf(b, "\">%s</a></h2><p>%s</p></li>\n",
                             _("Feedback reports"),
                             _("One page for each high school, district and "
                               "college. It shows how their students do 1, 3, "
                               "5 and 10 years later."));
    }
    if (rc == P20W_OK)
        rc = sbuf_puts(b, "</ul>\n");
    if (rc == P20W_OK && in->build_id == 0)
        rc = sbuf_printf(b, "<p class=\"note\">%s</p>\n",
                         _("Nothing is published yet."));
    else if (rc == P20W_OK)
        rc = sbuf_printf(b, "<p>%s %s.</p>\n", _("Data published on"),
                         in->published_at);
    if (rc == P20W_OK)
        rc = serve_page_end(r, out);
    return rc;
}

static const serve_route routes[] = {
    {SERVE_GET, "/", 0, NULL, home},
    {SERVE_GET, "/graduates", 0, page_params, topic_page},
    {SERVE_GET, "/graduates.csv", 0, page_params, topic_page},
    {SERVE_GET, "/cte", 0, page_params, topic_page},
    {SERVE_GET, "/cte.csv", 0, page_params, topic_page},
    {SERVE_GET, "/equity", 0, page_params, topic_page},
    {SERVE_GET, "/equity.csv", 0, page_params, topic_page},
    {SERVE_GET, "/work", 0, page_params, topic_page},
    {SERVE_GET, "/work.csv", 0, page_params, topic_page},
    {SERVE_GET, "/youth", 0, page_params, topic_page},
    {SERVE_GET, "/youth.csv", 0, page_params, topic_page},
    {SERVE_GET, "/supply", 0, page_params, topic_page},
    {SERVE_GET, "/supply.csv", 0, page_params, topic_page},
};

p20w_status serve_pages_routes(serve_app *app, p20w_err *err)
{
    return serve_app_add_routes(app, routes, sizeof routes / sizeof routes[0],
                                err);
}
