/*
 * info.c — the pages that explain the numbers: the methodology (every
 * indicator with its definition, population, year and method; how
 * records are linked; the disclosure rules with the served profile's
 * numbers; the profiles built) and the data dictionary (every element of
 * every agency extract).
 *
 * docs/methodology.md is the long form for a state data office; this
 * page is its public summary, generated from the same catalog the cube
 * is computed from, so it cannot drift from what is measured.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dict/dict.h"
#include "measure/measure.h"
#include "serve/html.h"
#include "serve/i18n.h"
#include "serve/labels.h"
#include "serve/pages.h"
#include "serve/pubcube.h"
#include "serve/serveInt.h"

const char *serve_stat_name(int stat);

static p20w_status para(sbuf *b, const char *text)
{
    p20w_status rc = sbuf_puts(b, "<p>");
    if (rc == P20W_OK)
        rc = serve_html_text(b, text);
    if (rc == P20W_OK)
        rc = sbuf_puts(b, "</p>\n");
    return rc;
}

static p20w_status dd(sbuf *b, const char *term, const char *text)
{
    p20w_status rc = sbuf_printf(b, "<dt>%s</dt><dd>", term);
    if (rc == P20W_OK)
        rc = serve_html_text(b, text ? text : "");
    if (rc == P20W_OK)
        rc = sbuf_puts(b, "</dd>\n");
    return rc;
}

/* The disclosure numbers of the served build's profile. */
static p20w_status disclosure(sbuf *b, const pubcube *pc, const char *profile)
{
    json_t *builds = json_loads(pubcube_builds_json(pc), 0, NULL);
    json_t *settings = NULL;
    size_t i;
    json_t *v;
    json_array_foreach(builds, i, v)
    {
        const char *p = json_string_value(json_object_get(v, "profile"));
        if (p != NULL && strcmp(p, profile) == 0)
            settings = json_object_get(v, "settings");
    }
    json_int_t min_n = json_integer_value(json_object_get(settings, "min_n"));
    json_int_t min_pct =
        json_integer_value(json_object_get(settings, "min_n_percentile"));
    char text[600];
    snprintf(text, sizeof text,
             _("A number is shown only for a group of at least %lld people "
               "(%lld for pay). Rates near 0%% or 100%% are shown as a range. "
               "Other numbers are hidden when they would let someone work "
               "out a hidden one. A computer check tries to work out every "
               "hidden number from the shown ones, and the data is published "
               "only when it cannot."),
             (long long)(min_n ? min_n : 10),
             (long long)(min_pct ? min_pct : 30));
    p20w_status rc = para(b, text);
    json_decref(builds);
    return rc;
}

static p20w_status profiles(sbuf *b, const pubcube *pc)
{
    json_t *builds = json_loads(pubcube_builds_json(pc), 0, NULL);
    size_t i;
    json_t *v;
    p20w_status rc = sbuf_puts(b, "<ul>\n");
    json_array_foreach(builds, i, v)
    {
        if (rc != P20W_OK)
            break;
        rc = sbuf_puts(b, "<li>");
        if (rc == P20W_OK)
            rc = serve_html_text(
                b, json_string_value(json_object_get(v, "profile")));
        if (rc == P20W_OK)
            rc = sbuf_printf(b, " — %s ", _("built"));
        if (rc == P20W_OK)
            rc = serve_html_text(
                b, json_string_value(json_object_get(v, "finished_at")));
        if (rc == P20W_OK)
            rc = sbuf_puts(b, "</li>\n");
    }
    if (rc == P20W_OK)
        rc = sbuf_puts(b, "</ul>\n");
    json_decref(builds);
    return rc;
}

static p20w_status methodology(serve_req *r, serve_resp *out)
{
    const pubcube *pc = serve_req_cube(r);
    sbuf *b = serve_resp_body(out);
    int es = strcmp(r->lang, "es") == 0;
    p20w_status rc = serve_page_begin(r, out, _("Methodology"), "/methodology");
    if (rc == P20W_OK)
        rc = sbuf_printf(
            b, "<div class=\"explain lead\"><p>%s</p></div>\n",
            _("This page tells how each number is made. State agencies send "
              "records about school, college and work. We link the records "
              "of each person. Then we count. Then we hide what could point "
              "to a person."));
    if (rc == P20W_OK)
        rc = sbuf_printf(b, "<h2 id=\"linkage\">%s</h2>\n",
                         _("Linking records"));
    if (rc == P20W_OK)
        rc = para(b, _("Agencies do not share one ID for a person. We compare "
                       "names, birth dates and other details. A statistical "
                       "model (Fellegi–Sunter) weighs how well two records "
                       "agree. Pairs that are close calls go to a person "
                       "for review. Names and other identifiers never leave "
                       "the linking step."));
    if (rc == P20W_OK)
        rc = sbuf_printf(b, "<h2 id=\"disclosure\">%s</h2>\n",
                         _("Protecting privacy"));
    if (rc == P20W_OK)
        rc = disclosure(b, pc, serve_app_profile(r->app));
    if (rc == P20W_OK)
        rc = sbuf_printf(b, "<h2 id=\"profiles\">%s</h2>\n",
                         _("Reporting profiles"));
    if (rc == P20W_OK)
        rc = para(b, _("A profile holds the rules a state chooses, such as "
                       "how much pay counts as a job. These profiles have "
                       "been built:"));
    if (rc == P20W_OK)
        rc = profiles(b, pc);
    if (rc == P20W_OK)
        rc = para(b, _("The full methodology for data offices is in the "
                       "source code's docs folder: docs/methodology.md, with "
                       "docs/indicators.md, docs/linkage.md, "
                       "docs/methodology-indicators.md and "
                       "docs/methodology-disclosure.md."));
    if (rc == P20W_OK)
        rc =
            sbuf_printf(b, "<h2 id=\"measures\">%s</h2>\n", _("Every measure"));
    size_t n;
    const measure_indicator *cat = measure_catalog(&n);
    for (size_t i = 0; rc == P20W_OK && i < n; i++) {
        const measure_indicator *ind = &cat[i];
        rc = sbuf_printf(b, "<h3 id=\"%s\">", ind->id);
        if (rc == P20W_OK)
            rc = serve_html_text(b, serve_ind_title(r, ind));
        if (rc == P20W_OK)
            rc = sbuf_printf(
                b, " <small>(%s)</small></h3>\n<dl class=\"meta\">\n", ind->id);
        if (rc == P20W_OK)
            rc = dd(b, _("What it means"),
                    es ? ind->explain_es : ind->explain_en);
        if (rc == P20W_OK)
            rc = dd(b, _("Who is counted"), ind->population);
        if (rc == P20W_OK)
            rc = dd(b, _("What the year means"), ind->year_means);
        if (rc == P20W_OK)
            rc = dd(b, _("Statistic"), serve_stat_name(ind->stat));
        if (rc == P20W_OK)
            rc = dd(b, _("Method"), ind->method_note);
        char dims[600];
        size_t at = 0;
        dims[0] = '\0';
        for (int d = 0; d < MD_COUNT && at < sizeof dims; d++)
            if ((ind->dims >> d) & 1)
                at += (size_t)snprintf(dims + at, sizeof dims - at, "%s%s",
                                       at ? ", " : "", serve_dim_title(d));
        if (rc == P20W_OK)
            rc = dd(b, _("Shown by"), dims);
        if (rc == P20W_OK)
            rc = sbuf_puts(b, "</dl>\n");
    }
    if (rc == P20W_OK && es)
        rc = para(b, _("The technical notes are in English."));
    if (rc == P20W_OK)
        rc = serve_page_end(r, out);
    return rc;
}

static p20w_status dictionary(serve_req *r, serve_resp *out)
{
    sbuf *b = serve_resp_body(out);
    p20w_status rc =
        serve_page_begin(r, out, _("Data dictionary"), "/methodology");
    if (rc == P20W_OK)
        rc = sbuf_printf(
            b, "<div class=\"explain lead\"><p>%s</p></div>\n",
            _("These are the files state agencies send, and each field in "
              "them. Fields marked D identify a person. They are used only "
              "to link records and are never published."));
    for (size_t i = 0; rc == P20W_OK && i < dict_extract_count(); i++) {
        const dict_extract *x = dict_extract_at(i);
        rc = sbuf_printf(b, "<h2 id=\"%s\">%s</h2>\n<p>", x->name, x->file);
        if (rc == P20W_OK)
            rc = serve_html_text(b, x->agency);
        if (rc == P20W_OK)
            rc = sbuf_puts(b, " — ");
        if (rc == P20W_OK)
            rc = serve_html_text(b, x->grain);
        if (rc == P20W_OK)
            rc = sbuf_printf(
                b,
                "</p>\n<div class=\"table-wrap\"><table>\n<caption>%s</caption>"
                "\n<thead><tr><th scope=\"col\">%s</th><th scope=\"col\">%s"
                "</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th><th "
                "scope=\"col\">%s</th></tr></thead>\n<tbody>\n",
                x->file, _("Field"), _("Type"), _("Required"), _("Sensitivity"),
                _("Rule"));
        for (size_t k = 0; rc == P20W_OK && k < x->ncolumns; k++) {
            const dict_column *c = &x->columns[k];
            rc = sbuf_printf(b,
                             "<tr><th scope=\"row\">%s</th><td>%s</td><td>%s"
                             "</td><td>%s</td><td>",
                             c->name, dict_type_name(c->type),
                             c->required ? _("yes") : _("no"),
                             dict_sens_code(c->sens));
            if (rc == P20W_OK)
                rc = serve_html_text(b, c->rule ? c->rule : "");
            if (rc == P20W_OK)
                rc = sbuf_puts(b, "</td></tr>\n");
        }
        if (rc == P20W_OK)
            rc = sbuf_puts(b, "</tbody>\n</table></div>\n");
    }
    if (rc == P20W_OK)
        rc = serve_page_end(r, out);
    return rc;
}

static const serve_route routes[] = {
    {SERVE_GET, "/methodology", 0, NULL, methodology},
    {SERVE_GET, "/dictionary", 0, NULL, dictionary},
};

p20w_status serve_info_routes(serve_app *app, p20w_err *err)
{
    return serve_app_add_routes(app, routes, sizeof routes / sizeof routes[0],
                                err);
}
