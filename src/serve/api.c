/*
 * api.c — the JSON API under /api/v1/: the indicator catalog, the
 * published cells of an indicator with filters, metadata (builds and
 * profiles, dimensions, statuses, code labels), and the OpenAPI 3.0
 * document that describes them (openapi.c).
 *
 * Everything comes from the published cube in memory (pubcube.h): the
 * API cannot reach an unprotected cell. JSON is written by jansson with
 * keys in insertion order, so answers are stable byte for byte.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "measure/measure.h"
#include "serve/cells.h"
#include "serve/i18n.h"
#include "serve/labels.h"
#include "serve/pubcube.h"
#include "serve/serveInt.h"

static const char *const stat_names[] = {"RATE", "SHARE", "PERCENTILE", "COUNT",
                                         "FLAG"};

const char *serve_stat_name(int stat)
{
    return stat >= 0 && stat <= MS_FLAG ? stat_names[stat] : "RATE";
}

p20w_status serve_send_json(serve_resp *out, json_t *doc)
{
    if (doc == NULL)
        return P20W_ENOMEM;
    char *s = json_dumps(doc, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
    json_decref(doc);
    if (s == NULL)
        return P20W_ENOMEM;
    serve_resp_type(out, "application/json");
    p20w_status rc = sbuf_puts(serve_resp_body(out), s);
    if (rc == P20W_OK)
        rc = sbuf_putc(serve_resp_body(out), '\n');
    free(s);
    return rc;
}

static json_t *dims_array(uint64_t bits)
{
    json_t *a = json_array();
    for (int d = 0; a != NULL && d < MD_COUNT; d++)
        if (bits & (UINT64_C(1) << d))
            if (json_array_append_new(a, json_string(measure_dim_name(d))) !=
                0) {
                json_decref(a);
                return NULL;
            }
    return a;
}

static json_t *indicator_json(const serve_req *r, const measure_indicator *ind,
                              const pubcube *pc, int detail)
{
    int32_t years[128];
    size_t ny = pubcube_years(pc, ind->id, years, 128);
    json_t *ya = json_array();
    for (size_t i = 0; ya != NULL && i < ny && i < 128; i++)
        json_array_append_new(ya, json_integer(years[i]));
    int es = strcmp(r->lang, "es") == 0;
    json_t *o = json_pack(
        "{s:s, s:s?, s:s?, s:s?, s:s?, s:s?, s:s, s:s?, s:s?, s:o?, s:o?, "
        "s:{s:I, s:I, s:o?}}",
        "id", ind->id, "title", es ? ind->title_es : ind->title_en, "title_en",
        ind->title_en, "title_es", ind->title_es, "explain_en", ind->explain_en,
        "explain_es", ind->explain_es, "statistic", serve_stat_name(ind->stat),
        "population", ind->population, "year_means", ind->year_means,
        "dimensions", dims_array(ind->dims & ~ind->required_dims),
        "required_dimensions", dims_array(ind->required_dims), "published",
        "cells", (json_int_t)pubcube_indicator_cells(pc, ind->id), "shown",
        (json_int_t)pubcube_indicator_shown(pc, ind->id), "years", ya);
    if (o == NULL || !detail)
        return o;
    json_t *tabs = json_array();
    for (size_t i = 0; tabs != NULL && i < pubcube_table_count(pc); i++) {
        const pub_table *t = pubcube_table_at(pc, i);
        if (t->ind == ind)
            json_array_append_new(tabs,
                                  json_pack("{s:s, s:I}", "by", t->dims,
                                            "cells", (json_int_t)t->ncells));
    }
    if (tabs == NULL ||
        json_object_set_new(
            o, "method_note",
            json_string(ind->method_note ? ind->method_note : "")) != 0 ||
        json_object_set_new(o, "tables", tabs) != 0) {
        json_decref(o);
        return NULL;
    }
    return o;
}

static p20w_status api_indicators(serve_req *r, serve_resp *out)
{
    size_t n;
    const measure_indicator *cat = measure_catalog(&n);
    const pubcube *pc = serve_req_cube(r);
    json_t *arr = json_array();
    for (size_t i = 0; arr != NULL && i < n; i++) {
        json_t *o = indicator_json(r, &cat[i], pc, 0);
        if (o == NULL || json_array_append_new(arr, o) != 0) {
            json_decref(arr);
            arr = NULL;
        }
    }
    if (arr == NULL)
        return P20W_ENOMEM;
    return serve_send_json(out, json_pack("{s:s, s:o}", "profile",
                                          serve_app_profile(r->app),
                                          "indicators", arr));
}

static p20w_status api_indicator(serve_req *r, serve_resp *out)
{
    const measure_indicator *ind = measure_find(r->rest);
    if (ind == NULL)
        return serve_resp_error(r, out, 404,
                                _("There is no indicator with this id."));
    return serve_send_json(out, indicator_json(r, ind, serve_req_cube(r), 1));
}

/* The dimension filters of /cells: every dimension name. */
#define DIMP(n)                                                                \
    {                                                                          \
        n, SERVE_P_ID, NULL                                                    \
    }
static const serve_param_spec cells_params[] = {
    {"indicator", SERVE_P_ID, NULL},
    {"by", SERVE_P_TEXT, NULL},
    {"year", SERVE_P_YEAR, NULL},
    {"status", SERVE_P_ENUM, "P|S|C|B|L|N"},
    {"format", SERVE_P_ENUM, "json|csv"},
    DIMP("region"),
    DIMP("county"),
    DIMP("district"),
    DIMP("school"),
    DIMP("institution"),
    DIMP("cluster"),
    DIMP("program"),
    DIMP("cip2"),
    DIMP("cip4"),
    DIMP("cip6"),
    DIMP("award_level"),
    DIMP("sex"),
    DIMP("race"),
    DIMP("econ"),
    DIMP("disability"),
    DIMP("english_learner"),
    DIMP("homeless"),
    DIMP("foster_care"),
    DIMP("migrant"),
    DIMP("military"),
    DIMP("nontraditional"),
    DIMP("locale"),
    DIMP("exiter"),
    DIMP("wbl"),
    DIMP("subject"),
    DIMP("quarter"),
    {NULL, 0, NULL},
};

/* 1 when the comma list dims names `name`. */
static int dims_has(const char *dims, const char *name)
{
    size_t n = strlen(name);
    for (const char *p = dims; *p;) {
        const char *e = strchr(p, ',');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        if (len == n && memcmp(p, name, n) == 0)
            return 1;
        p = e ? e + 1 : "";
    }
    return 0;
}

/* Fills s from the request: indicator, by, year, status and the value
 * filters. Answers 400 itself (returns P20W_OK with *bad set). */
static p20w_status read_sel(serve_req *r, serve_resp *out, serve_sel *s,
                            int *bad)
{
    char why[400], msg[600];
    *bad = 1;
    const char *id = serve_req_query(r, "indicator");
    if (id == NULL)
        return serve_resp_error(r, out, 400,
                                _("The parameter 'indicator' is required "
                                  "(for example indicator=EMP_Q2)."));
    const measure_indicator *ind = measure_find(id);
    if (ind == NULL) {
        snprintf(msg, sizeof msg,
                 _("There is no indicator '%s'; /api/v1/indicators lists "
                   "them."),
                 id);
        return serve_resp_error(r, out, 400, msg);
    }
    if (serve_sel_plan(s, ind, serve_req_query(r, "by"), why, sizeof why) !=
        P20W_OK) {
        snprintf(msg, sizeof msg, _("The parameter 'by' is wrong: %s."), why);
        return serve_resp_error(r, out, 400, msg);
    }
    const pubcube *pc = serve_req_cube(r);
    s->t = pubcube_table(pc, ind->id, s->dims);
    const char *y = serve_req_query(r, "year");
    s->year = y ? (int32_t)strtol(y, NULL, 10) : 0;
    const char *st = serve_req_query(r, "status");
    s->status = st ? st[0] : 0;
    for (size_t i = 0; i < r->nquery; i++) {
        int d = measure_dim_find(r->query[i].name);
        if (d < 0)
            continue;
        int col = s->t != NULL ? pub_table_col(s->t, d)
                               : dims_has(s->dims, r->query[i].name) - 1;
        if (col < 0) {
            snprintf(msg, sizeof msg,
                     _("The filter '%s' needs by=%s (a filter picks values "
                       "of a dimension the table is cut by)."),
                     r->query[i].name, r->query[i].name);
            return serve_resp_error(r, out, 400, msg);
        }
        if (s->t != NULL)
            s->value[col] = r->query[i].value;
    }
    *bad = 0;
    return P20W_OK;
}

static p20w_status api_cells(serve_req *r, serve_resp *out)
{
    serve_sel s;
    int bad;
    p20w_status rc = read_sel(r, out, &s, &bad);
    if (rc != P20W_OK || bad)
        return rc;
    const char *fmt = serve_req_query(r, "format");
    if (fmt != NULL && strcmp(fmt, "csv") == 0) {
        serve_resp_type(out, "text/csv; charset=utf-8");
        rc = serve_resp_header(out, "Content-Disposition",
                               "attachment; filename=\"cells.csv\"");
        if (rc == P20W_OK)
            rc = serve_cells_csv(&s, serve_resp_body(out));
        return rc;
    }
    const pubcube *pc = serve_req_cube(r);
    const pubcube_info *in = pubcube_get_info(pc);
    json_t *cells = json_array(), *by = json_array();
    for (size_t i = 0; cells != NULL && s.t != NULL && i < s.t->ncells; i++) {
        const pub_cell *c = &s.t->cells[i];
        if (!serve_sel_match(&s, c))
            continue;
        char cb[300];
        json_t *o =
            serve_cell_json(s.t, c, pubcube_names(pc),
                            serve_category_label(r->app->occupations,
                                                 c->category, cb, sizeof cb));
        if (o == NULL || json_array_append_new(cells, o) != 0) {
            json_decref(cells);
            cells = NULL;
        }
    }
    for (const char *p = s.dims; by != NULL && *p;) {
        const char *e = strchr(p, ',');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        json_array_append_new(by, json_stringn(p, n));
        p = e ? e + 1 : "";
    }
    if (cells == NULL || by == NULL) {
        json_decref(cells);
        json_decref(by);
        return P20W_ENOMEM;
    }
    int es = strcmp(r->lang, "es") == 0;
    return serve_send_json(
        out, json_pack("{s:s, s:s?, s:s, s:s, s:I, s:s, s:s, s:o, s:b, s:o}",
                       "indicator", s.ind->id, "title",
                       es ? s.ind->title_es : s.ind->title_en, "statistic",
                       serve_stat_name(s.ind->stat), "profile", in->profile,
                       "build_id", (json_int_t)in->build_id, "built_at",
                       in->built_at, "published_at", in->published_at, "by", by,
                       "published", s.t != NULL, "cells", cells));
}

static const struct {
    char code;
    const char *meaning; /* msgid */
} statuses[] = {
    {'P', N_("Published as computed")},
    {'S', N_("Suppressed: fewer people than the minimum")},
    {'C', N_("Suppressed to protect another cell")},
    {'B', N_("Shown as a range (banded)")},
    {'L', N_("Pooled over several years")},
    {'N', N_("Noise added")},
};

static p20w_status api_metadata(serve_req *r, serve_resp *out)
{
    const pubcube *pc = serve_req_cube(r);
    const pubcube_info *in = pubcube_get_info(pc);
    json_t *dims = json_array(), *st = json_array(), *codes = json_object();
    int bad = dims == NULL || st == NULL || codes == NULL;
    for (int d = 0; !bad && d < MD_COUNT; d++)
        bad = json_array_append_new(
            dims, json_pack("{s:s, s:s}", "name", measure_dim_name(d), "title",
                            serve_dim_title(d)));
    for (size_t i = 0; !bad && i < sizeof statuses / sizeof statuses[0]; i++) {
        char c[2] = {statuses[i].code, 0};
        bad = json_array_append_new(st, json_pack("{s:s, s:s}", "code", c,
                                                  "meaning",
                                                  _(statuses[i].meaning)));
    }
    /* the values of every dimension the published cube holds */
    char buf[160];
    for (size_t i = 0; !bad && i < pubcube_table_count(pc); i++) {
        const pub_table *t = pubcube_table_at(pc, i);
        for (int k = 0; !bad && k < t->ndims; k++) {
            const char *name = measure_dim_name(t->dim[k]);
            json_t *m = json_object_get(codes, name);
            if (m == NULL) {
                m = json_object();
                bad = m == NULL || json_object_set_new(codes, name, m);
            }
            for (size_t j = 0; !bad && j < t->ncells; j++) {
                const char *v = t->cells[j].val[k];
                if (json_object_get(m, v) == NULL)
                    bad = json_object_set_new(
                        m, v,
                        json_string(serve_value_label(
                            pubcube_names(pc), t->dim[k], v, buf, sizeof buf)));
            }
        }
    }
    json_t *builds = bad ? NULL : json_loads(pubcube_builds_json(pc), 0, NULL);
    if (bad || builds == NULL) {
        json_decref(dims);
        json_decref(st);
        json_decref(codes);
        json_decref(builds);
        return P20W_ENOMEM;
    }
    return serve_send_json(
        out, json_pack("{s:s, s:{s:I, s:s, s:s, s:I, s:I}, s:o, s:o, s:o, s:o}",
                       "profile", in->profile, "build", "build_id",
                       (json_int_t)in->build_id, "built_at", in->built_at,
                       "published_at", in->published_at, "cells",
                       (json_int_t)in->cells, "tables", (json_int_t)in->tables,
                       "profiles", builds, "dimensions", dims, "statuses", st,
                       "codes", codes));
}

p20w_status serve_openapi(serve_req *r, serve_resp *out);

static const serve_route routes[] = {
    {SERVE_GET, "/api/v1/indicators", 0, NULL, api_indicators},
    {SERVE_GET, "/api/v1/indicators/", 1, NULL, api_indicator},
    {SERVE_GET, "/api/v1/cells", 0, cells_params, api_cells},
    {SERVE_GET, "/api/v1/metadata", 0, NULL, api_metadata},
    {SERVE_GET, "/api/v1/openapi.json", 0, NULL, serve_openapi},
};

p20w_status serve_api_routes(serve_app *app, p20w_err *err)
{
    return serve_app_add_routes(app, routes, sizeof routes / sizeof routes[0],
                                err);
}
