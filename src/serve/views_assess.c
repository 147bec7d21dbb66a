/*
 * views_assess.c — the self-assessment pages (docs/assess.md): the list of
 * assessments, the rating forms (one per core element, with the rubric and
 * the auto-evidence beside each sub-element), the overview (heat map,
 * strengths and challenges), the action plan and its forms, the
 * comparison of two assessments, the auto-evidence, and the exports.
 *
 * Who may do what (checked here, not in assess/):
 *  - every signed-in account may start an assessment; it becomes its
 *    owner and is put on its team;
 *  - an assessment opens for the accounts of its team, and for admins
 *    (every assessment); anyone else gets 403, and the refusal is
 *    audited as a denied request;
 *  - the team is changed by the owner or an admin;
 *  - signed-out visitors are sent to the sign-in page.
 * Assessments hold the team's own words about the state's data system,
 * never learner data, so reading one is not audited as a learner read.
 *
 * Every form is a POST with the session's CSRF field (serve_auth_form;
 * the before hook refuses a POST without it). Every save is one
 * transaction (assess/): a refused form changes nothing and says why.
 * Forms stay under the server's 32 fields: one form per core element,
 * one for the vision and resources, one per goal and one per activity.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "assess/assess.h"
#include "serve/auth.h"
#include "serve/html.h"
#include "serve/i18n.h"
#include "serve/serveInt.h"
#include "util/log.h"
#include "util/mem.h"

/* ---- shared ------------------------------------------------------------ */

static assess_lang lang_of(const serve_req *r)
{
    return strcmp(r->lang, "es") == 0 ? ASSESS_ES : ASSESS_EN;
}

static const assess_rubric *rubric_of(const serve_req *r)
{
    return r->app->rubric;
}

/* A local URL with "?id=N&" (when id > 0), extra "k=v&" and the
 * language. */
static void url(char *out, size_t cap, const serve_req *r, const char *path,
                int64_t id, const char *extra)
{
    char idpart[32] = "";
    if (id > 0)
        snprintf(idpart, sizeof idpart, "id=%" PRId64 "&", id);
    snprintf(out, cap, "%s?%s%s%slang=%s", path, idpart, extra ? extra : "",
             extra ? "&" : "", r->lang);
}

static p20w_status alink(sbuf *b, const serve_req *r, const char *path,
                         int64_t id, const char *extra, const char *text)
{
    char u[256];
    url(u, sizeof u, r, path, id, extra);
    p20w_status rc = sbuf_puts(b, "<a href=\"");
    if (rc == P20W_OK)
        rc = serve_html_text(b, u);
    if (rc == P20W_OK)
        rc = sbuf_puts(b, "\">");
    if (rc == P20W_OK)
        rc = serve_html_text(b, text);
    if (rc == P20W_OK)
        rc = sbuf_puts(b, "</a>");
    return rc;
}

static p20w_status redirect(serve_resp *out, const serve_req *r,
                            const char *path, int64_t id, const char *extra)
{
    char u[256];
    url(u, sizeof u, r, path, id, extra);
    return serve_resp_redirect(out, u);
}

/* An id from a query or form field: a positive integer, else 0. */
static int64_t id_of(const char *s)
{
    char *end = NULL;
    long long v = s != NULL ? strtoll(s, &end, 10) : 0;
    if (s == NULL || end == s || *end != '\0' || v <= 0)
        return 0;
    return v;
}

/* 1 when the principal may open assessment id (team or admin). */
static p20w_status may_open(serve_req *r, store *st, int64_t id, int *yes,
                            p20w_err *err)
{
    const access_principal *me = serve_auth_who(r);
    *yes = me->role == ACCESS_ROLE_ADMIN;
    if (*yes)
        return P20W_OK;
    return assess_is_member(st, id, me->user_id, yes, err);
}

/* Loads assessment id for the request: 404 when there is none, 403 (and
 * a denied audit record) when it is not the principal's. *a is NULL when
 * out has been answered. */
static p20w_status open_assessment(serve_req *r, serve_resp *out, int64_t id,
                                   store **st, assessment **a)
{
    p20w_err err = {0};
    int yes = 0;
    *a = NULL;
    p20w_status rc = serve_req_store(r, st, &err);
    if (rc == P20W_OK)
        rc = assess_get(*st, id, a, &err);
    if (rc == P20W_ENOTFOUND)
        return serve_resp_error(r, out, 404, _("There is no such assessment."));
    if (rc == P20W_OK)
        rc = may_open(r, *st, id, &yes, &err);
    if (rc == P20W_OK && !yes) {
        assess_free(*a);
        *a = NULL;
        char what[64];
        snprintf(what, sizeof what, "assessment %" PRId64, id);
        rc = serve_auth_audit_denied(r, what, "not on the assessment's team");
        if (rc == P20W_OK)
            rc = serve_auth_forbidden(
                r, out,
                _("This assessment belongs to another team. Ask its owner "
                  "to add you."),
                NULL);
        return rc;
    }
    if (rc != P20W_OK) {
        assess_free(*a);
        *a = NULL;
        log_error("serve: assessment %" PRId64 ": %s", id, err.msg);
    }
    return rc;
}

/* The common start of a page about an assessment: sign-in, the id, the
 * assessment. *a NULL: answered already. */
static p20w_status begin(serve_req *r, serve_resp *out, const char *idtext,
                         store **st, assessment **a)
{
    *a = NULL;
    if (!serve_auth_logged_in(r))
        return serve_resp_redirect(out, "/login");
    int64_t id = id_of(idtext);
    if (id == 0)
        return serve_resp_error(r, out, 400,
                                _("Say which assessment: id=NUMBER."));
    return open_assessment(r, out, id, st, a);
}

/* begin() for a form that changes an assessment and needs only its id:
 * *id 0 when answered already. */
static p20w_status begin_post(serve_req *r, serve_resp *out, store **st,
                              int64_t *id)
{
    assessment *a = NULL;
    *id = 0;
    p20w_status rc = begin(r, out, serve_req_form(r, "id"), st, &a);
    if (a != NULL)
        *id = a->id;
    assess_free(a);
    return rc;
}

static p20w_status save_failed(serve_req *r, serve_resp *out,
                               const p20w_err *err)
{
    if (err->code == P20W_EINVAL || err->code == P20W_ENOTFOUND ||
        err->code == P20W_ELIMIT || err->code == P20W_EFORMAT) {
        sbuf msg;
        sbuf_init(&msg, 0);
        p20w_status rc = sbuf_printf(
            &msg, "%s %s", _("Nothing was saved. The form was refused:"),
            err->msg);
        if (rc == P20W_OK)
            rc = serve_resp_error(r, out, 400, sbuf_cstr(&msg));
        sbuf_free(&msg);
        return rc;
    }
    log_error("serve: assessment save: %s", err->msg);
    return err->code == P20W_OK ? P20W_EINTERNAL : err->code;
}

/* Subnavigation of an assessment's pages. */
static p20w_status subnav(sbuf *b, const serve_req *r, const assessment *a)
{
    p20w_status rc = sbuf_printf(b,
                                 "<nav class=\"subnav no-print\" "
                                 "aria-label=\"%s\">\n<ul>\n<li>",
                                 _("This assessment"));
    if (rc == P20W_OK)
        rc = alink(b, r, "/assess/view", a->id, NULL, _("Overview"));
    for (int c = 1; rc == P20W_OK && c <= ASSESS_NCORE; c++) {
        char extra[24], text[64];
        snprintf(extra, sizeof extra, "core=%d", c);
        snprintf(text, sizeof text, "%s %d", _("Rate element"), c);
        rc = sbuf_puts(b, "</li>\n<li>");
        if (rc == P20W_OK)
            rc = alink(b, r, "/assess/rate", a->id, extra, text);
    }
    if (rc == P20W_OK)
        rc = sbuf_puts(b, "</li>\n<li>");
    if (rc == P20W_OK)
        rc = alink(b, r, "/assess/plan", a->id, NULL, _("Action plan"));
    if (rc == P20W_OK)
        rc = sbuf_puts(b, "</li>\n<li>");
    if (rc == P20W_OK)
        rc = alink(b, r, "/assess/print", a->id, NULL, _("Printable report"));
    if (rc == P20W_OK)
        rc = sbuf_puts(b, "</li>\n<li>");
    if (rc == P20W_OK)
        rc = alink(b, r, "/assess/evidence", 0, NULL, _("What p20w measures"));
    if (rc == P20W_OK)
        rc = sbuf_puts(b, "</li>\n</ul>\n</nav>\n");
    return rc;
}

static p20w_status saved_note(sbuf *b, const serve_req *r)
{
    if (serve_req_query(r, "saved") == NULL)
        return P20W_OK;
    return sbuf_printf(b, "<p class=\"ok\" role=\"status\">%s</p>\n",
                       _("Saved."));
}

/* ---- the list --------------------------------------------------------------
 */

static p20w_status list_page(serve_req *r, serve_resp *out)
{
    if (!serve_auth_logged_in(r))
        return serve_resp_redirect(out, "/login");
    const access_principal *me = serve_auth_who(r);
    store *st = NULL;
    p20w_err err = {0};
    assess_summary *v = NULL;
    size_t n = 0;
    sbuf *b = serve_resp_body(out);
    p20w_status rc = serve_req_store(r, &st, &err);
    if (rc == P20W_OK)
        rc = assess_list(st, me->role == ACCESS_ROLE_ADMIN ? 0 : me->user_id,
                         &v, &n, &err);
    if (rc == P20W_OK)
        rc = serve_page_begin(r, out, _("Data-ecosystem self-assessment"), "");
    if (rc == P20W_OK)
        rc = sbuf_printf(
            b, "<p>%s</p>\n",
            _("Rate your state's career-readiness data ecosystem against the "
              "rubric: 6 core elements and 21 sub-elements, from 1 "
              "(undefined) to 4 (established). Save as you go, come back "
              "later, then write an action plan. Compare this year with last "
              "year to see what moved."));
    if (rc == P20W_OK)
        rc = sbuf_printf(b, "<h2>%s</h2>\n", _("Your assessments"));
    if (rc == P20W_OK && n == 0)
        rc = sbuf_printf(b, "<p>%s</p>\n", _("There are no assessments yet."));
    if (rc == P20W_OK && n > 0)
        rc = sbuf_printf(b,
                         "<table class=\"assessments\">\n<caption>%s</caption>"
                         "\n<thead><tr><th scope=\"col\">%s</th><th "
                         "scope=\"col\">%s</th><th scope=\"col\">%s</th><th "
                         "scope=\"col\">%s</th></tr></thead>\n<tbody>\n",
                         _("Assessments, newest first"), _("Title"),
                         _("Status"), _("Rated"), _("Last saved (UTC)"));
    for (size_t i = 0; rc == P20W_OK && i < n; i++) {
        rc = sbuf_puts(b, "<tr><th scope=\"row\">");
        if (rc == P20W_OK)
            rc = alink(b, r, "/assess/view", v[i].id, NULL, v[i].title);
        if (rc == P20W_OK)
            rc =
                sbuf_printf(b, "</th><td>%s</td><td>%d / %d</td><td>",
                            strcmp(v[i].status, "complete") == 0 ? _("complete")
                                                                 : _("draft"),
                            v[i].rated, ASSESS_NSUB);
        if (rc == P20W_OK)
            rc = serve_html_text(b, v[i].updated_at);
        if (rc == P20W_OK)
            rc = sbuf_puts(b, "</td></tr>\n");
    }
    if (rc == P20W_OK && n > 0)
        rc = sbuf_puts(b, "</tbody>\n</table>\n");
    if (rc == P20W_OK)
        rc = sbuf_printf(b, "<h2>%s</h2>\n", _("Start an assessment"));
    if (rc == P20W_OK)
        rc = serve_auth_form(r, b, "/assess");
    if (rc == P20W_OK)
        rc = sbuf_printf(b,
                         "<p><label for=\"title\">%s</label>\n<input "
                         "id=\"title\" name=\"title\" type=\"text\" "
                         "required maxlength=\"%d\"></p>\n<p><button "
                         "type=\"submit\">%s</button></p>\n</form>\n<p>",
                         _("Title, for example: Statewide 2026"),
                         ASSESS_TITLE_MAX, _("Start"));
    if (rc == P20W_OK)
        rc = alink(b, r, "/assess/evidence", 0, NULL,
                   _("What p20w measures about your data system"));
    if (rc == P20W_OK)
        rc = sbuf_puts(b, "</p>\n");
    if (rc == P20W_OK)
        rc = serve_page_end(r, out);
    p20w_free(v);
    if (rc != P20W_OK && err.msg[0])
        log_error("serve: assessments: %s", err.msg);
    return rc;
}

static p20w_status create_post(serve_req *r, serve_resp *out)
{
    if (!serve_auth_logged_in(r))
        return serve_resp_redirect(out, "/login");
    const access_principal *me = serve_auth_who(r);
    const char *title = serve_req_form(r, "title");
    store *st = NULL;
    p20w_err err = {0};
    int64_t id = 0;
    p20w_status rc = serve_req_store(r, &st, &err);
    if (rc == P20W_OK)
        rc = store_begin(st, &err);
    if (rc == P20W_OK) {
        rc = assess_create(st, title ? title : "", me->name,
                           assess_rubric_version(rubric_of(r)),
                           serve_auth_now(), &id, &err);
        if (rc == P20W_OK)
            rc = assess_member_add(st, id, me->user_id, &err);
        if (rc == P20W_OK)
            rc = store_commit(st, &err);
        else
            store_rollback(st, NULL);
    }
    if (rc != P20W_OK)
        return save_failed(r, out, &err);
    return redirect(out, r, "/assess/view", id, NULL);
}

/* ---- overview ------------------------------------------------------------ */

static p20w_status status_form(serve_req *r, sbuf *b, const assessment *a)
{
    int complete = strcmp(a->status, "complete") == 0;
    p20w_status rc = serve_auth_form(r, b, "/assess/status");
    if (rc == P20W_OK)
        rc =
            sbuf_printf(b,
                        "<input type=\"hidden\" name=\"id\" value=\"%" PRId64
                        "\">\n<input type=\"hidden\" name=\"complete\" "
                        "value=\"%d\">\n<button type=\"submit\">%s</button>"
                        "\n</form>\n",
                        a->id, !complete,
                        complete ? _("Reopen as a draft") : _("Mark complete"));
    return rc;
}

static p20w_status compare_form(serve_req *r, sbuf *b, store *st,
                                const assessment *a, p20w_err *err)
{
    const access_principal *me = serve_auth_who(r);
    assess_summary *v = NULL;
    size_t n = 0;
    p20w_status rc = assess_list(
        st, me->role == ACCESS_ROLE_ADMIN ? 0 : me->user_id, &v, &n, err);
    if (rc != P20W_OK || n < 2) {
        p20w_free(v);
        return rc;
    }
    rc = sbuf_printf(b,
                     "<form method=\"get\" action=\"/assess/compare\" "
                     "class=\"no-print\">\n<input type=\"hidden\" "
                     "name=\"id\" value=\"%" PRId64 "\">\n<input "
                     "type=\"hidden\" name=\"lang\" value=\"%s\">\n<p><label "
                     "for=\"with\">%s</label>\n<select id=\"with\" "
                     "name=\"with\">\n",
                     a->id, r->lang, _("Compare with an earlier assessment"));
    for (size_t i = 0; rc == P20W_OK && i < n; i++) {
        if (v[i].id == a->id)
            continue;
        rc = sbuf_printf(b, "<option value=\"%" PRId64 "\">", v[i].id);
        if (rc == P20W_OK)
            rc = serve_html_text(b, v[i].title);
        if (rc == P20W_OK)
            rc = sbuf_puts(b, "</option>\n");
    }
    if (rc == P20W_OK)
        rc = sbuf_printf(b,
                         "</select>\n<button type=\"submit\">%s</button></p>"
                         "\n</form>\n",
                         _("Compare"));
    p20w_free(v);
    return rc;
}

static p20w_status team_section(serve_req *r, sbuf *b, const assessment *a)
{
    const access_principal *me = serve_auth_who(r);
    p20w_status rc = sbuf_printf(b, "<h2>%s</h2>\n<ul>\n", _("Team"));
    for (size_t i = 0; rc == P20W_OK && i < a->nmembers; i++) {
        rc = sbuf_puts(b, "<li>");
        if (rc == P20W_OK)
            rc = serve_html_text(b, a->members[i]);
        if (rc == P20W_OK)
            rc = sbuf_puts(b, "</li>\n");
    }
    if (rc == P20W_OK)
        rc = sbuf_puts(b, "</ul>\n");
    if (rc != P20W_OK ||
        (me->role != ACCESS_ROLE_ADMIN && strcmp(me->name, a->owner) != 0))
        return rc;
    rc = serve_auth_form(r, b, "/assess/members");
    if (rc == P20W_OK)
        rc = sbuf_printf(
            b,
            "<input type=\"hidden\" name=\"id\" value=\"%" PRId64 "\">\n"
            "<p><label for=\"member\">%s</label>\n<input id=\"member\" "
            "name=\"user\" type=\"text\" required maxlength=\"%d\">\n"
            "<select name=\"action\" aria-label=\"%s\">\n<option "
            "value=\"add\">%s</option>\n<option value=\"remove\">%s"
            "</option>\n</select>\n<button type=\"submit\">%s</button></p>\n"
            "</form>\n",
            a->id, _("Account name"), ACCESS_NAME_MAX, _("Change"),
            _("Add to the team"), _("Remove from the team"), _("Apply"));
    return rc;
}

static p20w_status exports(sbuf *b, const serve_req *r, const assessment *a)
{
    p20w_status rc = sbuf_printf(b, "<h2>%s</h2>\n<ul class=\"downloads\">\n",
                                 _("Download"));
    static const char *const fmt[] = {"format=json", "format=csv",
                                      "format=plan-csv"};
    const char *text[] = {_("Everything, as JSON (can be imported again)"),
                          _("Ratings and evidence, as CSV"),
                          _("Action plan, as CSV")};
    for (int i = 0; rc == P20W_OK && i < 3; i++) {
        rc = sbuf_puts(b, "<li>");
        if (rc == P20W_OK)
            rc = alink(b, r, "/assess/export", a->id, fmt[i], text[i]);
        if (rc == P20W_OK)
            rc = sbuf_puts(b, "</li>\n");
    }
    if (rc == P20W_OK)
        rc = sbuf_puts(b, "</ul>\n");
    return rc;
}

/* The heat map and the strengths and challenges, each under its heading. */
static p20w_status heat_and_strengths(sbuf *b, const assess_rubric *ru,
                                      const assessment *a, assess_lang l)
{
    p20w_status rc = sbuf_printf(b, "<h2>%s</h2>\n", _("Heat map"));
    if (rc == P20W_OK)
        rc = assess_html_heatmap(b, ru, a, l);
    if (rc == P20W_OK)
        rc = sbuf_printf(b, "<h2>%s</h2>\n", _("Strengths and challenges"));
    if (rc == P20W_OK)
        rc = assess_html_strengths(b, ru, a, l);
    return rc;
}

static p20w_status view_page(serve_req *r, serve_resp *out)
{
    store *st = NULL;
    assessment *a = NULL;
    p20w_status rc = begin(r, out, serve_req_query(r, "id"), &st, &a);
    if (rc != P20W_OK || a == NULL)
        return rc;
    const assess_rubric *ru = rubric_of(r);
    assess_lang l = lang_of(r);
    p20w_err err = {0};
    sbuf *b = serve_resp_body(out);
    int rated = 0;
    for (size_t k = 0; k < ASSESS_NSUB; k++)
        rated += a->rating[k] > 0;
    rc = serve_page_begin(r, out, a->title, "");
    if (rc == P20W_OK)
        rc = subnav(b, r, a);
    if (rc == P20W_OK)
        rc = saved_note(b, r);
    if (rc == P20W_OK)
        rc = sbuf_printf(b, "<p>%s %s. %s %d / %d. %s ", _("Status:"),
                         strcmp(a->status, "complete") == 0 ? _("complete")
                                                            : _("draft"),
                         _("Sub-elements rated:"), rated, ASSESS_NSUB,
                         _("Last saved (UTC):"));
    if (rc == P20W_OK)
        rc = serve_html_text(b, a->updated_at);
    if (rc == P20W_OK)
        rc = sbuf_puts(b, "</p>\n");
    if (rc == P20W_OK)
        rc = status_form(r, b, a);
    if (rc == P20W_OK)
        rc = heat_and_strengths(b, ru, a, l);
    if (rc == P20W_OK)
        rc = compare_form(r, b, st, a, &err);
    if (rc == P20W_OK)
        rc = exports(b, r, a);
    if (rc == P20W_OK)
        rc = team_section(r, b, a);
    if (rc == P20W_OK)
        rc = serve_page_end(r, out);
    assess_free(a);
    if (rc != P20W_OK && err.msg[0])
        log_error("serve: assessment: %s", err.msg);
    return rc;
}

static p20w_status print_page(serve_req *r, serve_resp *out)
{
    store *st = NULL;
    assessment *a = NULL;
    p20w_status rc = begin(r, out, serve_req_query(r, "id"), &st, &a);
    if (rc != P20W_OK || a == NULL)
        return rc;
    const assess_rubric *ru = rubric_of(r);
    assess_lang l = lang_of(r);
    sbuf *b = serve_resp_body(out);
    rc = serve_page_begin(r, out, a->title, "");
    if (rc == P20W_OK)
        rc = subnav(b, r, a);
    if (rc == P20W_OK)
        rc = heat_and_strengths(b, ru, a, l);
    if (rc == P20W_OK)
        rc = sbuf_printf(b, "<h2>%s</h2>\n", _("Action plan"));
    if (rc == P20W_OK)
        rc = assess_html_plan(b, ru, a, l);
    if (rc == P20W_OK)
        rc = serve_page_end(r, out);
    assess_free(a);
    return rc;
}

/* ---- rating forms ----------------------------------------------------------
 */

/* Radio buttons for a rating: name, current value (0 = none). */
static p20w_status radios(sbuf *b, const assess_rubric *ru, assess_lang l,
                          const char *name, const char *legend, int current)
{
    p20w_status rc = sbuf_puts(b, "<fieldset class=\"choices\">\n<legend>");
    if (rc == P20W_OK)
        rc = serve_html_text(b, legend);
    if (rc == P20W_OK)
        rc = sbuf_puts(b, "</legend>\n");
    for (int v = 1; rc == P20W_OK && v <= 4; v++) {
        rc = sbuf_printf(b,
                         "<input type=\"radio\" id=\"%s_%d\" name=\"%s\" "
                         "value=\"%d\"%s><label for=\"%s_%d\">%d ",
                         name, v, name, v, current == v ? " checked" : "", name,
                         v, v);
        if (rc == P20W_OK)
            rc = serve_html_text(b, assess_rubric_rating_name(ru, v, l));
        if (rc == P20W_OK)
            rc = sbuf_puts(b, "</label>\n");
    }
    if (rc == P20W_OK)
        rc = sbuf_printf(b,
                         "<input type=\"radio\" id=\"%s_0\" name=\"%s\" "
                         "value=\"0\"%s><label for=\"%s_0\">%s</label>\n"
                         "</fieldset>\n",
                         name, name, current == 0 ? " checked" : "", name,
                         _("not rated yet"));
    return rc;
}

static p20w_status criteria(sbuf *b, const assess_rubric *ru, size_t k,
                            assess_lang l)
{
    p20w_status rc = sbuf_printf(b, "<details>\n<summary>%s</summary>\n",
                                 _("What a 1 and a 4 look like"));
    for (int lv = 1; rc == P20W_OK && lv <= 4; lv += 3) {
        size_t n = 0;
        const char *const *c = assess_rubric_sub_criteria(ru, k, lv, l, &n);
        rc = sbuf_printf(b, "<p class=\"level\">%d ", lv);
        if (rc == P20W_OK)
            rc = serve_html_text(b, assess_rubric_rating_name(ru, lv, l));
        if (rc == P20W_OK)
            rc = sbuf_puts(b, "</p>\n<ul>\n");
        for (size_t i = 0; rc == P20W_OK && i < n; i++) {
            rc = sbuf_puts(b, "<li>");
            if (rc == P20W_OK)
                rc = serve_html_text(b, c[i]);
            if (rc == P20W_OK)
                rc = sbuf_puts(b, "</li>\n");
        }
        if (rc == P20W_OK)
            rc = sbuf_puts(b, "</ul>\n");
    }
    if (rc == P20W_OK)
        rc = sbuf_puts(b, "</details>\n");
    return rc;
}

/* The measured facts for sub k, if p20w measures it. */
static p20w_status measured(sbuf *b, const assess_rubric *ru,
                            const assess_evidence *ev, size_t k, assess_lang l)
{
    const assess_evidence *e = assess_evidence_find(ev, ASSESS_NEVIDENCE, k);
    if (e == NULL)
        return P20W_OK;
    p20w_status rc = sbuf_printf(b,
                                 "<div class=\"measured\">\n<p><strong>%s"
                                 "</strong></p>\n",
                                 _("What p20w measures here"));
    if (rc == P20W_OK)
        rc = assess_html_evidence(b, ru, e, 1, l);
    if (rc == P20W_OK)
        rc = sbuf_puts(b, "</div>\n");
    return rc;
}

/* The auto-evidence, with the audit chain verified (when audit is 1 and
 * the key is there: verifying reads the whole log, so only the pages
 * that show 2D ask for it). Failures to verify leave the chain "not
 * measured". */
static p20w_status collect(serve_req *r, store *st, int audit,
                           assess_evidence *ev, p20w_err *err)
{
    assess_evidence_input in = {0};
    access_ctx *ax = NULL;
    p20w_err aerr = {0};
    access_audit_verdict v;
    if (audit && serve_auth_access(r, &ax, &aerr) == P20W_OK &&
        access_audit_verify(ax, 0, NULL, &v, &aerr) == P20W_OK) {
        in.audit_checked = 1;
        in.audit_ok = v.ok;
        in.audit_records = v.records;
    }
    return assess_evidence_collect(st, &in, serve_auth_now(), ev, err);
}

static p20w_status sub_fields(sbuf *b, const assess_rubric *ru,
                              const assessment *a, const assess_evidence *ev,
                              size_t k, assess_lang l)
{
    const char *id = assess_sub_id(k);
    char name[8], legend[64];
    p20w_status rc = sbuf_printf(b,
                                 "<fieldset class=\"sub\" id=\"sub-%s\">\n"
                                 "<legend><span class=\"hm-id\">%s</span> ",
                                 id, id);
    if (rc == P20W_OK)
        rc = serve_html_text(b, assess_rubric_sub_title(ru, k, l));
    if (rc == P20W_OK)
        rc = sbuf_puts(b, "</legend>\n");
    if (rc == P20W_OK)
        rc = criteria(b, ru, k, l);
    if (rc == P20W_OK)
        rc = measured(b, ru, ev, k, l);
    snprintf(name, sizeof name, "r_%s", id);
    snprintf(legend, sizeof legend, "%s %s", _("Your rating for"), id);
    if (rc == P20W_OK)
        rc = radios(b, ru, l, name, legend, a->rating[k]);
    if (rc == P20W_OK)
        rc = sbuf_printf(b,
                         "<p><label for=\"e_%s\">%s %s</label>\n<textarea "
                         "id=\"e_%s\" name=\"e_%s\" rows=\"4\" cols=\"60\" "
                         "maxlength=\"%d\">",
                         id, _("Your evidence for"), id, id, id,
                         ASSESS_TEXT_MAX);
    if (rc == P20W_OK)
        rc = serve_html_text(b, a->evidence[k]);
    if (rc == P20W_OK)
        rc = sbuf_puts(b, "</textarea></p>\n</fieldset>\n");
    return rc;
}

static p20w_status rate_page(serve_req *r, serve_resp *out)
{
    store *st = NULL;
    assessment *a = NULL;
    p20w_status rc = begin(r, out, serve_req_query(r, "id"), &st, &a);
    if (rc != P20W_OK || a == NULL)
        return rc;
    const char *cs = serve_req_query(r, "core");
    int core = cs ? (int)id_of(cs) : 1;
    if (core < 1 || core > ASSESS_NCORE) {
        assess_free(a);
        return serve_resp_error(r, out, 400,
                                _("core is a core element, 1 to 6."));
    }
    const assess_rubric *ru = rubric_of(r);
    assess_lang l = lang_of(r);
    assess_evidence ev[ASSESS_NEVIDENCE];
    p20w_err err = {0};
    sbuf *b = serve_resp_body(out);
    char title[400];
    snprintf(title, sizeof title, "%d. %s", core,
             assess_rubric_core_title(ru, core, l));
    /* 2D, privacy, is rated with core element 2. */
    rc = collect(r, st, core == assess_sub_core((size_t)assess_sub_index("2D")),
                 ev, &err);
    if (rc == P20W_OK)
        rc = serve_page_begin(r, out, title, "");
    if (rc == P20W_OK)
        rc = subnav(b, r, a);
    if (rc == P20W_OK)
        rc = saved_note(b, r);
    if (rc == P20W_OK)
        rc = sbuf_puts(b, "<p class=\"assessment-title\">");
    if (rc == P20W_OK)
        rc = serve_html_text(b, a->title);
    if (rc == P20W_OK)
        rc = sbuf_puts(b, "</p>\n<p>");
    if (rc == P20W_OK)
        rc = serve_html_text(b, assess_rubric_core_about(ru, core, l));
    if (rc == P20W_OK)
        rc = sbuf_puts(b, "</p>\n<details class=\"scale\">\n<summary>");
    if (rc == P20W_OK)
        rc = sbuf_printf(b, "%s</summary>\n<dl>\n", _("What the ratings mean"));
    for (int v = 1; rc == P20W_OK && v <= 4; v++) {
        rc = sbuf_printf(b, "<dt>%d ", v);
        if (rc == P20W_OK)
            rc = serve_html_text(b, assess_rubric_rating_name(ru, v, l));
        if (rc == P20W_OK)
            rc = sbuf_puts(b, "</dt><dd>");
        if (rc == P20W_OK)
            rc = serve_html_text(b, assess_rubric_rating_meaning(ru, v, l));
        if (rc == P20W_OK)
            rc = sbuf_puts(b, "</dd>\n");
    }
    if (rc == P20W_OK)
        rc = sbuf_puts(b, "</dl>\n</details>\n");
    if (rc == P20W_OK)
        rc = serve_auth_form(r, b, "/assess/rate");
    if (rc == P20W_OK)
        rc = sbuf_printf(b,
                         "<input type=\"hidden\" name=\"id\" value=\"%" PRId64
                         "\">\n<input type=\"hidden\" name=\"core\" "
                         "value=\"%d\">\n",
                         a->id, core);
    size_t first = assess_core_first(core), n = assess_core_count(core);
    for (size_t k = first; rc == P20W_OK && k < first + n; k++)
        rc = sub_fields(b, ru, a, ev, k, l);
    char legend[96];
    snprintf(legend, sizeof legend, "%s %d", _("Overall rating of element"),
             core);
    if (rc == P20W_OK)
        rc = radios(b, ru, l, "overall", legend, a->overall[core - 1]);
    if (rc == P20W_OK)
        rc = sbuf_printf(b,
                         "<p><button type=\"submit\" name=\"next\" "
                         "value=\"stay\">%s</button>\n",
                         _("Save"));
    if (rc == P20W_OK)
        rc = sbuf_printf(b,
                         "<button type=\"submit\" name=\"next\" "
                         "value=\"next\">%s</button></p>\n</form>\n",
                         core < ASSESS_NCORE
                             ? _("Save and go to the next element")
                             : _("Save and see the heat map"));
    if (rc == P20W_OK)
        rc = serve_page_end(r, out);
    assess_free(a);
    if (rc != P20W_OK && err.msg[0])
        log_error("serve: rating form: %s", err.msg);
    return rc;
}

/* A radio value: "0".."4" (0 = none); absent: ASSESS_KEEP; anything
 * else BAD_RATING. */
#define BAD_RATING (-2)
_Static_assert(BAD_RATING != ASSESS_KEEP, "distinct sentinels");

static int rating_of(const char *s)
{
    if (s == NULL)
        return ASSESS_KEEP;
    if (strlen(s) != 1 || s[0] < '0' || s[0] > '4')
        return BAD_RATING;
    return s[0] - '0';
}

static p20w_status rate_post(serve_req *r, serve_resp *out)
{
    store *st = NULL;
    int64_t id = 0;
    p20w_status rc = begin_post(r, out, &st, &id);
    if (rc != P20W_OK || id == 0)
        return rc;
    const char *cs = serve_req_form(r, "core");
    int core = (int)id_of(cs);
    if (core < 1 || core > ASSESS_NCORE)
        return serve_resp_error(r, out, 400,
                                _("core is a core element, 1 to 6."));
    size_t first = assess_core_first(core), n = assess_core_count(core);
    assess_entry e[5];
    char names[4][8];
    size_t m = 0;
    for (size_t k = first; k < first + n; k++, m++) {
        char rn[8], en[8];
        snprintf(rn, sizeof rn, "r_%s", assess_sub_id(k));
        snprintf(en, sizeof en, "e_%s", assess_sub_id(k));
        const char *rv = serve_req_form(r, rn);
        int v = rating_of(rv);
        if (v == BAD_RATING)
            return serve_resp_error(r, out, 400,
                                    _("A rating is 1 to 4, or 0 for none."));
        snprintf(names[m], sizeof names[m], "%s", assess_sub_id(k));
        e[m].element = names[m];
        e[m].rating = v;
        e[m].evidence = serve_req_form(r, en);
    }
    const char *ov = serve_req_form(r, "overall");
    int v = rating_of(ov);
    if (v == BAD_RATING)
        return serve_resp_error(r, out, 400,
                                _("A rating is 1 to 4, or 0 for none."));
    static const char *const cores[] = {"1", "2", "3", "4", "5", "6"};
    e[m].element = cores[core - 1];
    e[m].rating = v;
    e[m].evidence = NULL;
    m++;
    p20w_err err = {0};
    rc = assess_save_ratings(st, id, e, m, serve_auth_now(), &err);
    if (rc != P20W_OK)
        return save_failed(r, out, &err);
    const char *next = serve_req_form(r, "next");
    char extra[32];
    if (next != NULL && strcmp(next, "next") == 0) {
        if (core == ASSESS_NCORE)
            return redirect(out, r, "/assess/view", id, "saved=1");
        snprintf(extra, sizeof extra, "core=%d&saved=1", core + 1);
    } else {
        snprintf(extra, sizeof extra, "core=%d&saved=1", core);
    }
    return redirect(out, r, "/assess/rate", id, extra);
}

static p20w_status status_post(serve_req *r, serve_resp *out)
{
    store *st = NULL;
    int64_t id = 0;
    p20w_status rc = begin_post(r, out, &st, &id);
    if (rc != P20W_OK || id == 0)
        return rc;
    const char *c = serve_req_form(r, "complete");
    if (c == NULL || (strcmp(c, "0") != 0 && strcmp(c, "1") != 0))
        return serve_resp_error(r, out, 400, _("complete is 0 or 1."));
    p20w_err err = {0};
    rc = assess_set_status(st, id, c[0] == '1', serve_auth_now(), &err);
    if (rc != P20W_OK)
        return save_failed(r, out, &err);
    return redirect(out, r, "/assess/view", id, "saved=1");
}

static p20w_status members_post(serve_req *r, serve_resp *out)
{
    store *st = NULL;
    assessment *a = NULL;
    p20w_status rc = begin(r, out, serve_req_form(r, "id"), &st, &a);
    if (rc != P20W_OK || a == NULL)
        return rc;
    const access_principal *me = serve_auth_who(r);
    int64_t id = a->id;
    int owner = strcmp(me->name, a->owner) == 0;
    assess_free(a);
    if (!owner && me->role != ACCESS_ROLE_ADMIN) {
        rc = serve_auth_audit_denied(r, "assessment team",
                                     "not the owner or an admin");
        return rc != P20W_OK ? rc
                             : serve_auth_forbidden(
                                   r, out,
                                   _("Only the owner of the assessment or an "
                                     "administrator changes its team."),
                                   NULL);
    }
    const char *action = serve_req_form(r, "action");
    const char *user = serve_req_form(r, "user");
    int add = action != NULL && strcmp(action, "add") == 0;
    if (action == NULL || (!add && strcmp(action, "remove") != 0) ||
        user == NULL || user[0] == '\0' || strlen(user) > ACCESS_NAME_MAX)
        return serve_resp_error(r, out, 400,
                                _("The form needs an action (add or remove) "
                                  "and an account name."));
    store_stmt *q = NULL;
    p20w_err err = {0};
    int row = 0;
    int64_t uid = 0;
    rc =
        store_prepare(st, "SELECT user_id FROM users WHERE name = ?", &q, &err);
    if (rc == P20W_OK)
        rc = store_bind_text(q, 1, user, (size_t)-1, &err);
    if (rc == P20W_OK)
        rc = store_step(q, &row, &err);
    if (rc == P20W_OK && row)
        uid = store_column_int64(q, 0);
    store_finalize(q);
    if (rc == P20W_OK && !row)
        return serve_resp_error(r, out, 404, _("There is no such account."));
    if (rc == P20W_OK)
        rc = add ? assess_member_add(st, id, uid, &err)
                 : assess_member_remove(st, id, uid, &err);
    if (rc != P20W_OK)
        return save_failed(r, out, &err);
    return redirect(out, r, "/assess/view", id, "saved=1");
}

/* ---- the plan -------------------------------------------------------------
 */

/* A labelled field: id unique on the page (prefix + name), name as the
 * form sends it; label is our own translated text (no escaping needed). */
static p20w_status textarea(sbuf *b, const char *prefix, const char *name,
                            const char *label, const char *value, int rows)
{
    p20w_status rc = sbuf_printf(
        b,
        "<p><label for=\"%s%s\">%s</label>\n<textarea id=\"%s%s\" "
        "name=\"%s\" rows=\"%d\" cols=\"60\" maxlength=\"%d\">",
        prefix, name, label, prefix, name, name, rows, ASSESS_TEXT_MAX);
    if (rc == P20W_OK)
        rc = serve_html_text(b, value);
    if (rc == P20W_OK)
        rc = sbuf_puts(b, "</textarea></p>\n");
    return rc;
}

static p20w_status input(sbuf *b, const char *prefix, const char *name,
                         const char *label, const char *type, const char *value)
{
    p20w_status rc = sbuf_printf(b,
                                 "<p><label for=\"%s%s\">%s</label>\n<input "
                                 "id=\"%s%s\" name=\"%s\" type=\"%s\" "
                                 "maxlength=\"%d\" value=\"",
                                 prefix, name, label, prefix, name, name, type,
                                 ASSESS_NAME_MAX);
    if (rc == P20W_OK)
        rc = serve_html_text(b, value);
    if (rc == P20W_OK)
        rc = sbuf_puts(b, "\"></p>\n");
    return rc;
}

static p20w_status hidden(sbuf *b, const char *name, int64_t v)
{
    return sbuf_printf(
        b, "<input type=\"hidden\" name=\"%s\" value=\"%" PRId64 "\">\n", name,
        v);
}

static p20w_status vision_form(serve_req *r, sbuf *b, const assessment *a)
{
    const assess_rubric *ru = rubric_of(r);
    assess_lang l = lang_of(r);
    p20w_status rc = sbuf_printf(b, "<h3>%s</h3>\n", _("Vision and resources"));
    if (rc == P20W_OK)
        rc = serve_auth_form(r, b, "/assess/plan");
    if (rc == P20W_OK)
        rc = hidden(b, "id", a->id);
    if (rc == P20W_OK)
        rc = sbuf_puts(b, "<input type=\"hidden\" name=\"part\" "
                          "value=\"vision\">\n");
    if (rc == P20W_OK)
        rc = textarea(b, "", "vision",
                      _("Your state's vision for career readiness, and how "
                        "better data helps reach it"),
                      a->plan.vision, 4);
    for (int k = 0; rc == P20W_OK && k < ASSESS_NRESOURCE; k++) {
        char id[24], label[400];
        snprintf(id, sizeof id, "res_%s", assess_resource_id(k));
        snprintf(label, sizeof label, "%s: %s",
                 assess_rubric_resource_name(ru, k, l),
                 assess_rubric_resource_prompt(ru, k, l));
        sbuf esc;
        sbuf_init(&esc, 0);
        rc = serve_html_text(&esc, label);
        if (rc == P20W_OK)
            rc = textarea(b, "", id, sbuf_cstr(&esc), a->plan.resources[k], 2);
        sbuf_free(&esc);
    }
    if (rc == P20W_OK)
        rc = sbuf_printf(b,
                         "<p><button type=\"submit\">%s</button></p>\n"
                         "</form>\n",
                         _("Save the vision and resources"));
    return rc;
}

static p20w_status element_select(sbuf *b, const serve_req *r,
                                  const char *prefix, const char *current)
{
    const assess_rubric *ru = rubric_of(r);
    assess_lang l = lang_of(r);
    p20w_status rc =
        sbuf_printf(b,
                    "<p><label for=\"%selement\">%s</label>\n"
                    "<select id=\"%selement\" name=\"element\">"
                    "\n<option value=\"\">%s</option>\n",
                    prefix, _("Sub-element it addresses"), prefix, _("none"));
    for (size_t k = 0; rc == P20W_OK && k < ASSESS_NSUB; k++) {
        rc = sbuf_printf(b, "<option value=\"%s\"%s>%s ", assess_sub_id(k),
                         strcmp(current, assess_sub_id(k)) == 0 ? " selected"
                                                                : "",
                         assess_sub_id(k));
        if (rc == P20W_OK)
            rc = serve_html_text(b, assess_rubric_sub_title(ru, k, l));
        if (rc == P20W_OK)
            rc = sbuf_puts(b, "</option>\n");
    }
    if (rc == P20W_OK)
        rc = sbuf_puts(b, "</select></p>\n");
    return rc;
}

static p20w_status delete_button(serve_req *r, sbuf *b, int64_t id,
                                 const char *part, size_t goal, size_t act,
                                 const char *text)
{
    p20w_status rc = serve_auth_form(r, b, "/assess/plan");
    if (rc == P20W_OK)
        rc = hidden(b, "id", id);
    if (rc == P20W_OK)
        rc = sbuf_printf(b,
                         "<input type=\"hidden\" name=\"part\" value=\"%s\">"
                         "\n",
                         part);
    if (rc == P20W_OK)
        rc = hidden(b, "goal", (int64_t)goal);
    if (rc == P20W_OK && act > 0)
        rc = hidden(b, "act", (int64_t)act);
    if (rc == P20W_OK)
        rc = sbuf_printf(b, "<button type=\"submit\">%s</button>\n</form>\n",
                         text);
    return rc;
}

/* The form of goal i (1-based; 0 = a new goal). Field ids are unique per
 * page: each form is its own section, so ids carry the goal number. */
static p20w_status goal_form(serve_req *r, sbuf *b, const assessment *a,
                             size_t i)
{
    static const assess_goal blank = {"", "", "", "", "", "", "", "", NULL, 0};
    const assess_goal *g = i > 0 ? &a->plan.goals[i - 1] : &blank;
    char h[64];
    if (i > 0)
        snprintf(h, sizeof h, "%s %zu", _("Goal"), i);
    else
        snprintf(h, sizeof h, "%s", _("A new goal"));
    p20w_status rc = sbuf_printf(b,
                                 "<section class=\"goal-form\" "
                                 "id=\"goal-%zu\">\n<h3>%s</h3>\n",
                                 i, h);
    if (rc == P20W_OK)
        rc = serve_auth_form(r, b, "/assess/plan");
    if (rc == P20W_OK)
        rc = hidden(b, "id", a->id);
    if (rc == P20W_OK)
        rc = hidden(b, "goal", (int64_t)i);
    if (rc == P20W_OK)
        rc = sbuf_puts(b, "<input type=\"hidden\" name=\"part\" "
                          "value=\"goal\">\n");
    /* Labels of the SMART parts say what each asks for. */
    static const char *const names[] = {"specific", "measurable", "attainable",
                                        "relevant", "time_bound"};
    const char *labels[] = {
        _("Specific: the problem, what you will do, who is responsible"),
        _("Measurable: how you will know and track progress"),
        _("Attainable: the skill, will and resources you have"),
        _("Relevant: how it serves your vision"), _("Time-bound: by when")};
    const char *vals[] = {g->specific, g->measurable, g->attainable,
                          g->relevant, g->time_bound};
    char px[24];
    snprintf(px, sizeof px, "g%zu-", i);
    if (rc == P20W_OK)
        rc = element_select(b, r, px, g->element);
    for (int j = 0; rc == P20W_OK && j < 5; j++)
        rc = textarea(b, px, names[j], labels[j], vals[j], 2);
    if (rc == P20W_OK)
        rc = input(b, px, "owner", _("Owner"), "text", g->owner);
    if (rc == P20W_OK)
        rc = input(b, px, "due_date", _("Date (YYYY-MM-DD)"), "date",
                   g->due_date);
    if (rc == P20W_OK)
        rc = sbuf_printf(b,
                         "<p><button type=\"submit\">%s</button></p>\n"
                         "</form>\n",
                         i > 0 ? _("Save the goal") : _("Add the goal"));
    if (rc == P20W_OK && i > 0)
        rc = delete_button(r, b, a->id, "delete-goal", i, 0,
                           _("Delete the goal"));
    if (rc == P20W_OK)
        rc = sbuf_puts(b, "</section>\n");
    return rc;
}

static p20w_status lever_select(sbuf *b, const serve_req *r, const char *prefix,
                                int current)
{
    const assess_rubric *ru = rubric_of(r);
    p20w_status rc = sbuf_printf(b,
                                 "<p><label for=\"%slever\">%s</label>\n"
                                 "<select id=\"%slever\" name=\"lever\">\n",
                                 prefix, _("Lever of change"), prefix);
    for (int k = 0; rc == P20W_OK && k < ASSESS_NLEVER; k++) {
        rc = sbuf_printf(b, "<option value=\"%s\"%s>", assess_lever_id(k),
                         k == current ? " selected" : "");
        if (rc == P20W_OK)
            rc =
                serve_html_text(b, assess_rubric_lever_name(ru, k, lang_of(r)));
        if (rc == P20W_OK)
            rc = sbuf_puts(b, "</option>\n");
    }
    if (rc == P20W_OK)
        rc = sbuf_puts(b, "</select></p>\n");
    return rc;
}

/* The form of activity j (1-based; 0 = new) of goal i. */
static p20w_status activity_form(serve_req *r, sbuf *b, const assessment *a,
                                 size_t i, size_t j)
{
    static const assess_activity blank = {"", "", "", "", 0};
    const assess_goal *g = &a->plan.goals[i - 1];
    const assess_activity *x = j > 0 ? &g->activities[j - 1] : &blank;
    p20w_status rc = sbuf_printf(b, "<section class=\"activity-form\">\n<h4>");
    if (rc == P20W_OK && j > 0)
        rc = sbuf_printf(b, "%s %zu.%zu", _("Activity"), i, j);
    if (rc == P20W_OK && j == 0)
        rc = sbuf_printf(b, "%s %zu", _("A new activity for goal"), i);
    if (rc == P20W_OK)
        rc = sbuf_puts(b, "</h4>\n");
    if (rc == P20W_OK)
        rc = serve_auth_form(r, b, "/assess/plan");
    if (rc == P20W_OK)
        rc = hidden(b, "id", a->id);
    if (rc == P20W_OK)
        rc = hidden(b, "goal", (int64_t)i);
    if (rc == P20W_OK)
        rc = hidden(b, "act", (int64_t)j);
    if (rc == P20W_OK)
        rc = sbuf_puts(b, "<input type=\"hidden\" name=\"part\" "
                          "value=\"activity\">\n");
    char px[40];
    snprintf(px, sizeof px, "g%zu-a%zu-", i, j);
    if (rc == P20W_OK)
        rc = textarea(b, px, "activity", _("Activity"), x->activity, 2);
    if (rc == P20W_OK)
        rc = input(b, px, "owner", _("Primary owner"), "text", x->owner);
    if (rc == P20W_OK)
        rc = input(b, px, "due_date", _("Completion date (YYYY-MM-DD)"), "date",
                   x->due_date);
    if (rc == P20W_OK)
        rc = textarea(b, px, "metric", _("Success metric"), x->metric, 2);
    if (rc == P20W_OK)
        rc = lever_select(b, r, px, x->lever);
    if (rc == P20W_OK)
        rc =
            sbuf_printf(b,
                        "<p><button type=\"submit\">%s</button></p>\n"
                        "</form>\n",
                        j > 0 ? _("Save the activity") : _("Add the activity"));
    if (rc == P20W_OK && j > 0)
        rc = delete_button(r, b, a->id, "delete-activity", i, j,
                           _("Delete the activity"));
    if (rc == P20W_OK)
        rc = sbuf_puts(b, "</section>\n");
    return rc;
}

static p20w_status plan_page(serve_req *r, serve_resp *out)
{
    store *st = NULL;
    assessment *a = NULL;
    p20w_status rc = begin(r, out, serve_req_query(r, "id"), &st, &a);
    if (rc != P20W_OK || a == NULL)
        return rc;
    sbuf *b = serve_resp_body(out);
    rc = serve_page_begin(r, out, _("Action plan"), "");
    if (rc == P20W_OK)
        rc = subnav(b, r, a);
    if (rc == P20W_OK)
        rc = saved_note(b, r);
    if (rc == P20W_OK)
        rc = sbuf_puts(b, "<p class=\"assessment-title\">");
    if (rc == P20W_OK)
        rc = serve_html_text(b, a->title);
    if (rc == P20W_OK)
        rc = sbuf_printf(b, "</p>\n<h2>%s</h2>\n", _("The plan as it stands"));
    if (rc == P20W_OK)
        rc = assess_html_plan(b, rubric_of(r), a, lang_of(r));
    if (rc == P20W_OK)
        rc = sbuf_printf(b,
                         "<h2 class=\"no-print\">%s</h2>\n<div "
                         "class=\"no-print\">\n",
                         _("Change the plan"));
    if (rc == P20W_OK)
        rc = vision_form(r, b, a);
    for (size_t i = 1; rc == P20W_OK && i <= a->plan.ngoals; i++) {
        rc = goal_form(r, b, a, i);
        const assess_goal *g = &a->plan.goals[i - 1];
        for (size_t j = 1; rc == P20W_OK && j <= g->nactivities; j++)
            rc = activity_form(r, b, a, i, j);
        if (rc == P20W_OK && g->nactivities < ASSESS_ACTIVITIES_MAX)
            rc = activity_form(r, b, a, i, 0);
    }
    if (rc == P20W_OK && a->plan.ngoals < ASSESS_GOALS_MAX)
        rc = goal_form(r, b, a, 0);
    if (rc == P20W_OK)
        rc = sbuf_puts(b, "</div>\n");
    if (rc == P20W_OK)
        rc = serve_page_end(r, out);
    assess_free(a);
    return rc;
}

/* A mutable copy of a plan: strings point into the assessment or the
 * request's form, both alive while the handler runs. */
typedef struct plan_copy {
    assess_plan p;
    assess_goal g[ASSESS_GOALS_MAX];
    assess_activity x[ASSESS_GOALS_MAX][ASSESS_ACTIVITIES_MAX];
} plan_copy;

static void copy_plan(const assessment *a, plan_copy *c)
{
    memset(c, 0, sizeof *c);
    c->p = a->plan;
    c->p.goals = c->g;
    for (size_t i = 0; i < a->plan.ngoals; i++) {
        c->g[i] = a->plan.goals[i];
        for (size_t j = 0; j < c->g[i].nactivities; j++)
            c->x[i][j] = a->plan.goals[i].activities[j];
        c->g[i].activities = c->x[i];
    }
}

static const char *field(const serve_req *r, const char *name)
{
    const char *v = serve_req_form(r, name);
    return v != NULL ? v : "";
}

/* Applies the form's part to the copy; a message for the user when the
 * form names something that is not there. */
static const char *apply_part(const serve_req *r, plan_copy *c)
{
    const char *part = field(r, "part");
    size_t gi = (size_t)id_of(field(r, "goal"));
    size_t aj = (size_t)id_of(field(r, "act"));
    int goal_ok = gi >= 1 && gi <= c->p.ngoals;
    if (strcmp(part, "vision") == 0) {
        c->p.vision = field(r, "vision");
        for (int k = 0; k < ASSESS_NRESOURCE; k++) {
            char n[24];
            snprintf(n, sizeof n, "res_%s", assess_resource_id(k));
            c->p.resources[k] = field(r, n);
        }
        return NULL;
    }
    if (strcmp(part, "goal") == 0) {
        assess_goal *g;
        if (gi == 0) {
            if (c->p.ngoals == ASSESS_GOALS_MAX)
                return N_("The plan already has the most goals it can hold.");
            g = &c->g[c->p.ngoals++];
            memset(g, 0, sizeof *g);
            g->activities = c->x[c->p.ngoals - 1];
        } else if (goal_ok) {
            g = &c->g[gi - 1];
        } else {
            return N_("There is no such goal.");
        }
        g->element = field(r, "element");
        g->specific = field(r, "specific");
        g->measurable = field(r, "measurable");
        g->attainable = field(r, "attainable");
        g->relevant = field(r, "relevant");
        g->time_bound = field(r, "time_bound");
        g->owner = field(r, "owner");
        g->due_date = field(r, "due_date");
        return NULL;
    }
    if (strcmp(part, "delete-goal") == 0) {
        if (!goal_ok)
            return N_("There is no such goal.");
        for (size_t i = gi - 1; i + 1 < c->p.ngoals; i++) {
            c->g[i] = c->g[i + 1];
            memcpy(c->x[i], c->x[i + 1], sizeof c->x[i]);
            c->g[i].activities = c->x[i];
        }
        c->p.ngoals--;
        return NULL;
    }
    if (!goal_ok)
        return N_("There is no such goal.");
    assess_goal *g = &c->g[gi - 1];
    if (strcmp(part, "activity") == 0) {
        assess_activity *x;
        if (aj == 0) {
            if (g->nactivities == ASSESS_ACTIVITIES_MAX)
                return N_("This goal already has the most activities it can "
                          "hold.");
            x = &c->x[gi - 1][g->nactivities++];
        } else if (aj <= g->nactivities) {
            x = &c->x[gi - 1][aj - 1];
        } else {
            return N_("There is no such activity.");
        }
        x->activity = field(r, "activity");
        x->owner = field(r, "owner");
        x->due_date = field(r, "due_date");
        x->metric = field(r, "metric");
        x->lever = assess_lever_parse(field(r, "lever"));
        return NULL;
    }
    if (strcmp(part, "delete-activity") == 0) {
        if (aj == 0 || aj > g->nactivities)
            return N_("There is no such activity.");
        for (size_t j = aj - 1; j + 1 < g->nactivities; j++)
            c->x[gi - 1][j] = c->x[gi - 1][j + 1];
        g->nactivities--;
        return NULL;
    }
    return N_("The form does not say which part of the plan it changes.");
}

static p20w_status plan_post(serve_req *r, serve_resp *out)
{
    store *st = NULL;
    assessment *a = NULL;
    p20w_status rc = begin(r, out, serve_req_form(r, "id"), &st, &a);
    if (rc != P20W_OK || a == NULL)
        return rc;
    plan_copy *c = p20w_malloc(sizeof *c);
    if (c == NULL) {
        assess_free(a);
        return P20W_ENOMEM;
    }
    copy_plan(a, c);
    const char *problem = apply_part(r, c);
    p20w_err err = {0};
    int64_t id = a->id;
    if (problem != NULL)
        rc = serve_resp_error(r, out, 400, _(problem));
    else
        rc = assess_save_plan(st, id, &c->p, serve_auth_now(), &err);
    if (problem == NULL && rc != P20W_OK)
        rc = save_failed(r, out, &err);
    else if (problem == NULL)
        rc = redirect(out, r, "/assess/plan", id, "saved=1");
    p20w_free(c);
    assess_free(a);
    return rc;
}

/* ---- compare, evidence, export --------------------------------------------
 */

static p20w_status compare_page(serve_req *r, serve_resp *out)
{
    store *st = NULL;
    assessment *a = NULL, *w = NULL;
    p20w_status rc = begin(r, out, serve_req_query(r, "id"), &st, &a);
    if (rc != P20W_OK || a == NULL)
        return rc;
    int64_t wid = id_of(serve_req_query(r, "with"));
    if (wid == 0) {
        assess_free(a);
        return serve_resp_error(r, out, 400,
                                _("Say which assessment to compare with: "
                                  "with=NUMBER."));
    }
    rc = open_assessment(r, out, wid, &st, &w);
    if (rc != P20W_OK || w == NULL) {
        assess_free(a);
        return rc;
    }
    /* Earlier first: the one created first is "before". */
    int a_first = strcmp(a->created_at, w->created_at) < 0 ||
                  (strcmp(a->created_at, w->created_at) == 0 && a->id < w->id);
    const assessment *before = a_first ? a : w, *after = a_first ? w : a;
    sbuf *b = serve_resp_body(out);
    rc = serve_page_begin(r, out, _("What moved"), "");
    if (rc == P20W_OK)
        rc = subnav(b, r, a);
    if (rc == P20W_OK)
        rc = assess_html_compare(b, rubric_of(r), before, after, lang_of(r));
    if (rc == P20W_OK)
        rc = serve_page_end(r, out);
    assess_free(a);
    assess_free(w);
    return rc;
}

static p20w_status evidence_page(serve_req *r, serve_resp *out)
{
    if (!serve_auth_logged_in(r))
        return serve_resp_redirect(out, "/login");
    store *st = NULL;
    assess_evidence ev[ASSESS_NEVIDENCE];
    p20w_err err = {0};
    sbuf *b = serve_resp_body(out);
    p20w_status rc = serve_req_store(r, &st, &err);
    if (rc == P20W_OK)
        rc = collect(r, st, 1, ev, &err);
    if (rc == P20W_OK)
        rc = serve_page_begin(r, out,
                              _("What p20w measures about your data "
                                "system"),
                              "");
    if (rc == P20W_OK)
        rc = sbuf_printf(
            b, "<p>%s</p>\n<p>",
            _("For seven sub-elements p20w reads facts from its own "
              "database and suggests a rating. The facts change when the "
              "data changes. Where p20w cannot see every criterion of a 4, "
              "the suggestion stops at 3. Your team decides the rating."));
    if (rc == P20W_OK)
        rc = alink(b, r, "/assess", 0, NULL, _("Back to the assessments"));
    if (rc == P20W_OK)
        rc = sbuf_puts(b, "</p>\n");
    if (rc == P20W_OK)
        rc = assess_html_evidence(b, rubric_of(r), ev, ASSESS_NEVIDENCE,
                                  lang_of(r));
    if (rc == P20W_OK)
        rc = serve_page_end(r, out);
    if (rc != P20W_OK && err.msg[0])
        log_error("serve: evidence: %s", err.msg);
    return rc;
}

static p20w_status export_page(serve_req *r, serve_resp *out)
{
    store *st = NULL;
    assessment *a = NULL;
    p20w_status rc = begin(r, out, serve_req_query(r, "id"), &st, &a);
    if (rc != P20W_OK || a == NULL)
        return rc;
    const char *f = serve_req_query(r, "format");
    sbuf *b = serve_resp_body(out);
    char disp[96];
    if (f == NULL || strcmp(f, "json") == 0) {
        serve_resp_type(out, "application/json; charset=utf-8");
        snprintf(disp, sizeof disp,
                 "attachment; filename=\"assessment-%" PRId64 ".json\"", a->id);
        rc = assess_json(b, a);
    } else if (strcmp(f, "csv") == 0) {
        serve_resp_type(out, "text/csv; charset=utf-8");
        snprintf(disp, sizeof disp,
                 "attachment; filename=\"assessment-%" PRId64 "-ratings.csv\"",
                 a->id);
        rc = assess_csv_ratings(b, rubric_of(r), a, lang_of(r));
    } else {
        serve_resp_type(out, "text/csv; charset=utf-8");
        snprintf(disp, sizeof disp,
                 "attachment; filename=\"assessment-%" PRId64 "-plan.csv\"",
                 a->id);
        rc = assess_csv_plan(b, a);
    }
    if (rc == P20W_OK)
        rc = serve_resp_header(out, "Content-Disposition", disp);
    assess_free(a);
    return rc;
}

/* ---- routes -----------------------------------------------------------------
 */

static const serve_param_spec id_params[] = {
    {"id", SERVE_P_INT, NULL},
    {"saved", SERVE_P_ENUM, "1"},
    {NULL, 0, NULL},
};
static const serve_param_spec rate_params[] = {
    {"id", SERVE_P_INT, NULL},
    {"core", SERVE_P_INT, NULL},
    {"saved", SERVE_P_ENUM, "1"},
    {NULL, 0, NULL},
};
static const serve_param_spec compare_params[] = {
    {"id", SERVE_P_INT, NULL},
    {"with", SERVE_P_INT, NULL},
    {NULL, 0, NULL},
};
static const serve_param_spec export_params[] = {
    {"id", SERVE_P_INT, NULL},
    {"format", SERVE_P_ENUM, "json|csv|plan-csv"},
    {NULL, 0, NULL},
};

static const serve_route routes[] = {
    {SERVE_GET, "/assess", 0, NULL, list_page},
    {SERVE_POST, "/assess", 0, NULL, create_post},
    {SERVE_GET, "/assess/view", 0, id_params, view_page},
    {SERVE_GET, "/assess/print", 0, id_params, print_page},
    {SERVE_GET, "/assess/rate", 0, rate_params, rate_page},
    {SERVE_POST, "/assess/rate", 0, NULL, rate_post},
    {SERVE_GET, "/assess/plan", 0, id_params, plan_page},
    {SERVE_POST, "/assess/plan", 0, NULL, plan_post},
    {SERVE_POST, "/assess/status", 0, NULL, status_post},
    {SERVE_POST, "/assess/members", 0, NULL, members_post},
    {SERVE_GET, "/assess/compare", 0, compare_params, compare_page},
    {SERVE_GET, "/assess/evidence", 0, NULL, evidence_page},
    {SERVE_GET, "/assess/export", 0, export_params, export_page},
};

p20w_status serve_assess_routes(serve_app *app, p20w_err *err)
{
    const char *dir =
        app->opt.data_dir != NULL ? app->opt.data_dir : P20W_DATADIR;
    char path[4096];
    snprintf(path, sizeof path, "%s/assess_rubric.json", dir);
    p20w_status rc = assess_rubric_load(path, &app->rubric, err);
    if (rc != P20W_OK)
        return rc;
    return serve_app_add_routes(app, routes, sizeof routes / sizeof routes[0],
                                err);
}
