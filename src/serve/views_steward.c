/*
 * views_steward.c — a data steward's view of their agency's submissions
 * and each one's validation report (what `p20w submissions` prints), and
 * the same for admins across every agency.
 *
 * access_check decides with the submission's agency: a steward sees their
 * own agency's only, an admin every agency's, anyone else nothing. The
 * reports come from the stored report JSON (src/ingest/report.c), whose
 * values were masked at ingest, so a report never shows a direct
 * identifier.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "serve/auth.h"
#include "serve/html.h"
#include "serve/i18n.h"
#include "util/log.h"
#include "util/mem.h"

static const char *status_msgid(const char *s)
{
    if (strcmp(s, "accepted") == 0)
        return N_("accepted");
    if (strcmp(s, "rejected") == 0)
        return N_("rejected");
    return N_("replaced");
}

static p20w_status list_table(serve_req *r, sbuf *b, store *st,
                              const char *agency, p20w_err *err)
{
    store_stmt *q = NULL;
    p20w_status rc = store_prepare(
        st,
        "SELECT submission_id, source, period, agency, file_name, status, "
        "rows_read, rows_accepted, rows_rejected, created_at FROM "
        "submissions WHERE ? IS NULL OR agency = ? ORDER BY submission_id "
        "DESC",
        &q, err);
    if (rc == P20W_OK)
        rc = store_bind_text(q, 1, agency, (size_t)-1, err);
    if (rc == P20W_OK)
        rc = store_bind_text(q, 2, agency, (size_t)-1, err);
    if (rc == P20W_OK)
        rc = sbuf_printf(
            b,
            "<table class=\"submissions\">\n<caption>%s</caption>\n<thead>"
            "<tr><th scope=\"col\">%s</th><th scope=\"col\">%s</th><th "
            "scope=\"col\">%s</th><th scope=\"col\">%s</th><th "
            "scope=\"col\">%s</th><th scope=\"col\">%s</th><th "
            "scope=\"col\">%s</th><th scope=\"col\">%s</th><th "
            "scope=\"col\">%s</th><th scope=\"col\">%s</th></tr></thead>\n"
            "<tbody>\n",
            _("Submissions, newest first"), _("Number"), _("Extract"),
            _("Period"), _("Agency"), _("File"), _("Status"), _("Rows read"),
            _("Accepted"), _("Rejected"), _("Received"));
    size_t n = 0;
    while (rc == P20W_OK) {
        int row = 0;
        rc = store_step(q, &row, err);
        if (rc != P20W_OK || !row)
            break;
        n++;
        char path[64];
        snprintf(path, sizeof path, "/me/submissions/%" PRId64,
                 store_column_int64(q, 0));
        rc = sbuf_puts(b, "<tr><td><a href=\"");
        if (rc == P20W_OK)
            rc = serve_html_href(b, path, NULL, 0, r->lang);
        if (rc == P20W_OK)
            rc = sbuf_printf(b, "\">%" PRId64 "</a></td>",
                             store_column_int64(q, 0));
        for (int i = 1; rc == P20W_OK && i <= 4; i++)
            rc = serve_auth_cell(b, "td", store_column_text(q, i));
        if (rc == P20W_OK)
            rc = serve_auth_cell(b, "td",
                                 _(status_msgid(store_column_text(q, 5))));
        for (int i = 6; rc == P20W_OK && i <= 9; i++)
            rc = serve_auth_cell(b, "td", store_column_text(q, i));
        if (rc == P20W_OK)
            rc = sbuf_puts(b, "</tr>\n");
    }
    store_finalize(q);
    if (rc == P20W_OK)
        rc = sbuf_puts(b, "</tbody>\n</table>\n");
    if (rc == P20W_OK && n == 0)
        rc = sbuf_printf(b, "<p>%s</p>\n", _("No submissions yet."));
    return rc;
}

static p20w_status list_page(serve_req *r, serve_resp *out)
{
    const access_principal *p = serve_auth_who(r);
    access_resource res;
    p20w_err err = {0};
    int allowed = 0;
    access_resource_init(&res, ACCESS_RES_SUBMISSION);
    /* A steward asks for their agency's; anyone else for every agency's
     * (which only an admin may read). */
    res.agency = p->role == ACCESS_ROLE_STEWARD ? p->agency : NULL;
    res.detail = "web: list of submissions";
    p20w_status rc = serve_auth_check(r, out, ACCESS_READ, &res, &allowed);
    if (rc != P20W_OK || !allowed)
        return rc;
    store *st = NULL;
    sbuf *b = serve_resp_body(out);
    rc = serve_req_store(r, &st, &err);
    if (rc == P20W_OK)
        rc = serve_page_begin(
            r, out,
            res.agency ? _("My agency's submissions") : _("Submissions"), "");
    if (rc == P20W_OK)
        rc = sbuf_printf(b, "<p>%s</p>\n",
                         _("Every file received, with what validation "
                           "found. A rejected file loaded nothing; open it "
                           "to see each error with its line and rule."));
    if (rc == P20W_OK)
        rc = list_table(r, b, st, res.agency, &err);
    if (rc == P20W_OK)
        rc = serve_page_end(r, out);
    if (rc != P20W_OK && err.msg[0] != '\0')
        log_error("serve: submissions: %s", err.msg);
    return rc;
}

/* ---- one report -------------------------------------------------------------
 */

static const char *jstr(json_t *o, const char *k)
{
    const char *s = json_string_value(json_object_get(o, k));
    return s ? s : "";
}

static p20w_status dl_item(sbuf *b, const char *term, const char *value)
{
    p20w_status rc = sbuf_printf(b, "<dt>%s</dt><dd>", term);
    if (rc == P20W_OK)
        rc = serve_html_text(b, value);
    if (rc == P20W_OK)
        rc = sbuf_puts(b, "</dd>\n");
    return rc;
}

static p20w_status counts_table(sbuf *b, json_t *counts, const char *title)
{
    const char *rule;
    json_t *v;
    if (json_object_size(counts) == 0)
        return P20W_OK;
    p20w_status rc = sbuf_printf(b,
                                 "<table>\n<caption>%s</caption>\n<thead><tr>"
                                 "<th scope=\"col\">%s</th><th "
                                 "scope=\"col\">%s</th></tr></thead>\n"
                                 "<tbody>\n",
                                 title, _("Rule"), _("Rows"));
    json_object_foreach(counts, rule, v)
    {
        if (rc != P20W_OK)
            break;
        char n[24];
        snprintf(n, sizeof n, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
        rc = sbuf_puts(b, "<tr>");
        if (rc == P20W_OK)
            rc = serve_auth_cell(b, "td", rule);
        if (rc == P20W_OK)
            rc = serve_auth_cell(b, "td", n);
        if (rc == P20W_OK)
            rc = sbuf_puts(b, "</tr>\n");
    }
    if (rc == P20W_OK)
        rc = sbuf_puts(b, "</tbody>\n</table>\n");
    return rc;
}

static p20w_status issues_table(sbuf *b, json_t *issues)
{
    size_t i;
    json_t *e;
    if (json_array_size(issues) == 0)
        return sbuf_printf(b, "<p>%s</p>\n", _("No errors or warnings."));
    p20w_status rc = sbuf_printf(
        b,
        "<table class=\"issues\">\n<caption>%s</caption>\n<thead><tr><th "
        "scope=\"col\">%s</th><th scope=\"col\">%s</th><th "
        "scope=\"col\">%s</th><th scope=\"col\">%s</th><th "
        "scope=\"col\">%s</th><th scope=\"col\">%s</th></tr></thead>\n"
        "<tbody>\n",
        _("Errors and warnings (identifiers masked)"), _("Severity"), _("Line"),
        _("Column"), _("Rule"), _("Message"), _("Value"));
    json_array_foreach(issues, i, e)
    {
        if (rc != P20W_OK)
            break;
        char line[24] = "";
        json_int_t ln = json_integer_value(json_object_get(e, "line"));
        if (ln > 0)
            snprintf(line, sizeof line, "%" JSON_INTEGER_FORMAT, ln);
        rc = sbuf_puts(b, "<tr>");
        if (rc == P20W_OK)
            rc = serve_auth_cell(b, "td", jstr(e, "severity"));
        if (rc == P20W_OK)
            rc = serve_auth_cell(b, "td", line);
        if (rc == P20W_OK)
            rc = serve_auth_cell(b, "td", jstr(e, "column"));
        if (rc == P20W_OK)
            rc = serve_auth_cell(b, "td", jstr(e, "rule"));
        if (rc == P20W_OK)
            rc = serve_auth_cell(b, "td", jstr(e, "message"));
        if (rc == P20W_OK)
            rc = serve_auth_cell(b, "td", jstr(e, "value"));
        if (rc == P20W_OK)
            rc = sbuf_puts(b, "</tr>\n");
    }
    if (rc == P20W_OK)
        rc = sbuf_puts(b, "</tbody>\n</table>\n");
    return rc;
}

typedef struct sub_row {
    int found;
    char agency[ACCESS_ID_MAX + 1];
    char status[16];
    char *report; /* owned: p20w_free */
} sub_row;

static p20w_status read_submission(store *st, int64_t id, sub_row *s,
                                   p20w_err *err)
{
    store_stmt *q = NULL;
    int row = 0;
    memset(s, 0, sizeof *s);
    p20w_status rc = store_prepare(st,
                                   "SELECT agency, status, report_json FROM "
                                   "submissions WHERE submission_id = ?",
                                   &q, err);
    if (rc == P20W_OK)
        rc = store_bind_int64(q, 1, id, err);
    if (rc == P20W_OK)
        rc = store_step(q, &row, err);
    if (rc == P20W_OK && row) {
        s->found = 1;
        snprintf(s->agency, sizeof s->agency, "%s", store_column_text(q, 0));
        snprintf(s->status, sizeof s->status, "%s", store_column_text(q, 1));
        if (!store_column_is_null(q, 2)) {
            s->report = p20w_strdup(store_column_text(q, 2));
            if (s->report == NULL)
                rc = p20w_err_set(err, P20W_ENOMEM, "out of memory");
        }
    }
    store_finalize(q);
    return rc;
}

static p20w_status report_body(sbuf *b, const sub_row *s)
{
    json_error_t je;
    json_t *o = s->report ? json_loads(s->report, 0, &je) : NULL;
    if (o == NULL)
        return sbuf_printf(b, "<p>%s</p>\n",
                           _("This submission has no report."));
    char buf[3][32];
    snprintf(buf[0], sizeof buf[0], "%" JSON_INTEGER_FORMAT,
             json_integer_value(json_object_get(o, "rows_read")));
    snprintf(buf[1], sizeof buf[1], "%" JSON_INTEGER_FORMAT,
             json_integer_value(json_object_get(o, "rows_accepted")));
    snprintf(buf[2], sizeof buf[2], "%" JSON_INTEGER_FORMAT,
             json_integer_value(json_object_get(o, "rows_rejected")));
    p20w_status rc = sbuf_puts(b, "<dl>\n");
    if (rc == P20W_OK)
        rc = dl_item(b, _("Extract"), jstr(o, "source"));
    if (rc == P20W_OK)
        rc = dl_item(b, _("File"), jstr(o, "file"));
    if (rc == P20W_OK)
        rc = dl_item(b, _("Period"), jstr(o, "period"));
    if (rc == P20W_OK)
        rc = dl_item(b, _("Agency"), jstr(o, "agency"));
    if (rc == P20W_OK)
        rc = dl_item(b, _("Status"), _(status_msgid(s->status)));
    if (rc == P20W_OK)
        rc = dl_item(b, _("Rows read"), buf[0]);
    if (rc == P20W_OK)
        rc = dl_item(b, _("Accepted"), buf[1]);
    if (rc == P20W_OK)
        rc = dl_item(b, _("Rejected"), buf[2]);
    if (rc == P20W_OK)
        rc = dl_item(b, "SHA-256", jstr(o, "sha256"));
    if (rc == P20W_OK && json_object_get(o, "fatal") != NULL)
        rc = dl_item(b, _("Why nothing was loaded"), jstr(o, "fatal"));
    if (rc == P20W_OK)
        rc = sbuf_puts(b, "</dl>\n");
    if (rc == P20W_OK)
        rc = counts_table(b, json_object_get(o, "errors_by_rule"),
                          _("Rejected rows by rule"));
    if (rc == P20W_OK)
        rc = counts_table(b, json_object_get(o, "flagged_by_rule"),
                          _("Warnings by rule"));
    if (rc == P20W_OK)
        rc = issues_table(b, json_object_get(o, "issues"));
    json_int_t more =
        json_integer_value(json_object_get(o, "issues_not_listed"));
    if (rc == P20W_OK && more > 0)
        rc = sbuf_printf(b, "<p>%s %" JSON_INTEGER_FORMAT "</p>\n",
                         _("Errors not listed one by one:"), more);
    json_decref(o);
    return rc;
}

static p20w_status report_page(serve_req *r, serve_resp *out)
{
    char *end = NULL;
    long long id = strtoll(r->rest, &end, 10);
    if (r->rest[0] < '1' || r->rest[0] > '9' || *end != '\0' || id <= 0 ||
        strlen(r->rest) > 15)
        return serve_resp_error(r, out, 404, _("There is no such page."));
    store *st = NULL;
    sub_row s;
    access_resource res;
    p20w_err err = {0};
    int allowed = 0;
    char detail[64];
    memset(&s, 0, sizeof s);
    p20w_status rc = serve_req_store(r, &st, &err);
    if (rc == P20W_OK)
        rc = read_submission(st, id, &s, &err);
    if (rc == P20W_OK) {
        access_resource_init(&res, ACCESS_RES_SUBMISSION);
        res.agency = s.agency; /* "" when there is no such submission */
        snprintf(detail, sizeof detail, "web: submission %lld", id);
        res.detail = detail;
        rc = serve_auth_check(r, out, ACCESS_READ, &res, &allowed);
    }
    if (rc == P20W_OK && allowed && !s.found)
        rc = serve_resp_error(r, out, 404, _("There is no such submission."));
    else if (rc == P20W_OK && allowed) {
        char title[96];
        snprintf(title, sizeof title, "%s %lld", _("Submission"), id);
        rc = serve_page_begin(r, out, title, "");
        if (rc == P20W_OK)
            rc = report_body(serve_resp_body(out), &s);
        if (rc == P20W_OK)
            rc = sbuf_puts(serve_resp_body(out), "<p><a href=\"");
        if (rc == P20W_OK)
            rc = serve_html_href(serve_resp_body(out), "/me/submissions", NULL,
                                 0, r->lang);
        if (rc == P20W_OK)
            rc = sbuf_printf(serve_resp_body(out), "\">%s</a></p>\n",
                             _("All submissions"));
        if (rc == P20W_OK)
            rc = serve_page_end(r, out);
    }
    p20w_free(s.report);
    if (rc != P20W_OK && err.msg[0] != '\0')
        log_error("serve: submission report: %s", err.msg);
    return rc;
}

static const serve_route routes[] = {
    {SERVE_GET, "/me/submissions", 0, NULL, list_page},
    {SERVE_GET, "/me/submissions/", 1, NULL, report_page},
};

p20w_status serve_views_steward_routes(serve_app *app, p20w_err *err)
{
    return serve_app_add_routes(app, routes, sizeof routes / sizeof routes[0],
                                err);
}
