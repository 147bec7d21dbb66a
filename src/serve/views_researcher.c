/*
 * views_researcher.c — a researcher's agreement: purpose, parties, the
 * elements it allows, its status and dates, and the extracts made under
 * it (from the audit log's `extract` records).
 *
 * The page asks access_check for the extract resource of the user's own
 * agreement, so it opens only while the agreement is active: after the
 * end date the researcher gets the 403 page whose reason says when it
 * ended, and the refusal is audited. The page shows no learner data;
 * extracts are written by the data office (`p20w extract`).
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "serve/auth.h"
#include "serve/html.h"
#include "serve/i18n.h"
#include "util/log.h"

static const char *status_msgid(const char *s)
{
    if (strcmp(s, "active") == 0)
        return N_("active");
    if (strcmp(s, "pending") == 0)
        return N_("not started yet");
    if (strcmp(s, "ended") == 0)
        return N_("ended");
    return N_("data destroyed");
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

static p20w_status agreement_dl(sbuf *b, const access_dsa *d, int64_t now)
{
    char id[24];
    snprintf(id, sizeof id, "%" PRId64, d->dsa_id);
    p20w_status rc = sbuf_puts(b, "<dl>\n");
    if (rc == P20W_OK)
        rc = dl_item(b, _("Agreement"), id);
    if (rc == P20W_OK)
        rc = dl_item(b, _("Purpose"), d->purpose);
    if (rc == P20W_OK)
        rc = dl_item(b, _("Parties"), d->parties);
    if (rc == P20W_OK)
        rc =
            dl_item(b, _("Status"), _(status_msgid(access_dsa_status(d, now))));
    if (rc == P20W_OK)
        rc = dl_item(b, _("Start date"), d->start_date);
    if (rc == P20W_OK)
        rc = dl_item(b, _("End date"), d->end_date);
    if (rc == P20W_OK)
        rc = dl_item(b, _("Destroy all copies by"), d->destroy_date);
    if (rc == P20W_OK)
        rc = sbuf_printf(b, "<dt>%s</dt><dd><ul>\n", _("Elements allowed"));
    for (size_t i = 0; rc == P20W_OK && i < d->nelements; i++) {
        rc = sbuf_puts(b, "<li><code>");
        if (rc == P20W_OK)
            rc = serve_html_text(b, d->elements[i]);
        if (rc == P20W_OK)
            rc = sbuf_puts(b, "</code></li>\n");
    }
    if (rc == P20W_OK)
        rc = sbuf_puts(b, "</ul></dd>\n</dl>\n");
    return rc;
}

static p20w_status extracts_table(sbuf *b, store *st, int64_t dsa_id,
                                  p20w_err *err)
{
    char prefix[64];
    store_stmt *q = NULL;
    snprintf(prefix, sizeof prefix, "extract of agreement %" PRId64 " %%",
             dsa_id);
    p20w_status rc = store_prepare(st,
                                   "SELECT ts, actor, resource FROM "
                                   "audit_log WHERE event = 'extract' AND "
                                   "outcome = 'ok' AND resource LIKE ? "
                                   "ORDER BY seq DESC",
                                   &q, err);
    if (rc == P20W_OK)
        rc = store_bind_text(q, 1, prefix, (size_t)-1, err);
    if (rc == P20W_OK)
        rc = sbuf_printf(b,
                         "<h2>%s</h2>\n<table class=\"extracts\">\n<thead>"
                         "<tr><th scope=\"col\">%s</th><th "
                         "scope=\"col\">%s</th><th scope=\"col\">%s</th>"
                         "</tr></thead>\n<tbody>\n",
                         _("Extracts made under this agreement"), _("When"),
                         _("Made by"), _("What"));
    size_t n = 0;
    while (rc == P20W_OK) {
        int row = 0;
        rc = store_step(q, &row, err);
        if (rc != P20W_OK || !row)
            break;
        n++;
        rc = sbuf_puts(b, "<tr>");
        for (int i = 0; rc == P20W_OK && i < 3; i++)
            rc = serve_auth_cell(b, "td", store_column_text(q, i));
        if (rc == P20W_OK)
            rc = sbuf_puts(b, "</tr>\n");
    }
    store_finalize(q);
    if (rc == P20W_OK)
        rc = sbuf_puts(b, "</tbody>\n</table>\n");
    if (rc == P20W_OK && n == 0)
        rc = sbuf_printf(b, "<p>%s</p>\n", _("No extract yet."));
    return rc;
}

static p20w_status agreement_page(serve_req *r, serve_resp *out)
{
    const access_principal *p = serve_auth_who(r);
    access_resource res;
    access_ctx *ax = NULL;
    access_dsa *d = NULL;
    p20w_err err = {0};
    int allowed = 0;
    access_resource_init(&res, ACCESS_RES_EXTRACT);
    res.dsa_id = p->dsa_id; /* 0 (no agreement) for every other role */
    res.detail = "web: the agreement and its extracts";
    p20w_status rc = serve_auth_check(r, out, ACCESS_READ, &res, &allowed);
    if (rc != P20W_OK || !allowed)
        return rc;
    sbuf *b = serve_resp_body(out);
    rc = serve_auth_access(r, &ax, &err);
    if (rc == P20W_OK)
        rc = access_dsa_get(ax, p->dsa_id, &d, &err);
    if (rc == P20W_OK)
        rc = serve_page_begin(r, out, _("My agreement"), "");
    if (rc == P20W_OK)
        rc = sbuf_printf(b, "<p>%s</p>\n",
                         _("Your access ends by itself on the end date. "
                           "Extracts are prepared by the data office; each "
                           "one is listed here. Destroy every copy by the "
                           "date below and tell the data office."));
    if (rc == P20W_OK)
        rc = agreement_dl(b, d, serve_auth_now());
    if (rc == P20W_OK)
        rc = extracts_table(b, access_store(ax), p->dsa_id, &err);
    if (rc == P20W_OK)
        rc = serve_page_end(r, out);
    access_dsa_free(d);
    if (rc != P20W_OK && err.msg[0] != '\0')
        log_error("serve: agreement: %s", err.msg);
    return rc;
}

static const serve_route routes[] = {
    {SERVE_GET, "/me/agreement", 0, NULL, agreement_page},
};

p20w_status serve_views_researcher_routes(serve_app *app, p20w_err *err)
{
    return serve_app_add_routes(app, routes, sizeof routes / sizeof routes[0],
                                err);
}
