/*
 * views_admin.c — the administrator's pages: the accounts (role, scope,
 * status, lockout) with a button to disable or enable each, and the
 * audit log, newest first, with the result of verifying its chain.
 *
 * Each page asks access_check (users and agreements, or the audit log);
 * changing an account is access_user_set_active, which ends a disabled
 * account's sessions and audits the change in the same transaction.
 * Reading the log is itself recorded, as `p20w audit` does. An admin may
 * not disable their own account here (nobody would be left to undo it).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "serve/auth.h"
#include "serve/html.h"
#include "serve/i18n.h"
#include "util/log.h"

#define AUDIT_PAGE 100

/* ---- users ------------------------------------------------------------- */

static p20w_status user_row(serve_req *r, sbuf *b, store_stmt *q)
{
    const access_principal *me = serve_auth_who(r);
    const char *name = store_column_text(q, 0);
    int active = strcmp(store_column_text(q, 2), "active") == 0;
    const char *role = store_column_text(q, 1);
    int k = access_role_parse(role);
    p20w_status rc = sbuf_puts(b, "<tr><th scope=\"row\">");
    if (rc == P20W_OK)
        rc = serve_html_text(b, name);
    if (rc == P20W_OK)
        rc = sbuf_puts(b, "</th>");
    if (rc == P20W_OK)
        rc = serve_auth_cell(b, "td",
                             _(serve_auth_role_msgid(k < 0 ? ACCESS_ROLE_PUBLIC
                                                           : (access_role)k)));
    if (rc == P20W_OK)
        rc = serve_auth_cell(b, "td", active ? _("active") : _("disabled"));
    for (int i = 3; rc == P20W_OK && i <= 5; i++)
        rc = serve_auth_cell(b, "td", store_column_text(q, i));
    if (rc == P20W_OK)
        rc = sbuf_puts(b, "<td>");
    if (rc == P20W_OK && strcmp(name, me->name) != 0) {
        rc = serve_auth_form(r, b, "/admin/users");
        if (rc == P20W_OK)
            rc = sbuf_printf(b,
                             "<input type=\"hidden\" name=\"action\" "
                             "value=\"%s\">\n<input type=\"hidden\" "
                             "name=\"user\" value=\"",
                             active ? "disable" : "enable");
        if (rc == P20W_OK)
            rc = serve_html_text(b, name);
        /* The button names the account for screen readers too. */
        if (rc == P20W_OK)
            rc = sbuf_printf(b,
                             "\">\n<button type=\"submit\">%s<span "
                             "class=\"visually-hidden\"> ",
                             active ? _("Disable") : _("Enable"));
        if (rc == P20W_OK)
            rc = serve_html_text(b, name);
        if (rc == P20W_OK)
            rc = sbuf_puts(b, "</span></button>\n</form>");
    }
    if (rc == P20W_OK)
        rc = sbuf_puts(b, "</td></tr>\n");
    return rc;
}

static p20w_status users_table(serve_req *r, sbuf *b, store *st, p20w_err *err)
{
    char now[32];
    store_stmt *q = NULL;
    access_time_format(serve_auth_now(), now);
    p20w_status rc = store_prepare(
        st,
        "SELECT name, role, status, coalesce((SELECT group_concat(kind || ':' "
        "|| scope_id, ', ') FROM (SELECT kind, scope_id FROM user_scopes s "
        "WHERE s.user_id = u.user_id ORDER BY kind, scope_id)), '') || "
        "coalesce(agency, '') || coalesce('agreement ' || dsa_id, ''), CASE "
        "WHEN locked_until > ? THEN locked_until ELSE '' END, created_at FROM "
        "users u ORDER BY name",
        &q, err);
    if (rc == P20W_OK)
        rc = store_bind_text(q, 1, now, (size_t)-1, err);
    if (rc == P20W_OK)
        rc = sbuf_printf(
            b,
            "<table class=\"users\">\n<caption>%s</caption>\n<thead><tr><th "
            "scope=\"col\">%s</th><th scope=\"col\">%s</th><th "
            "scope=\"col\">%s</th><th scope=\"col\">%s</th><th "
            "scope=\"col\">%s</th><th scope=\"col\">%s</th><th "
            "scope=\"col\">%s</th></tr></thead>\n<tbody>\n",
            _("Accounts"), _("User name"), _("Role"), _("Status"),
            _("Scope, agency or agreement"), _("Locked until"), _("Created"),
            _("Change"));
    while (rc == P20W_OK) {
        int row = 0;
        rc = store_step(q, &row, err);
        if (rc != P20W_OK || !row)
            break;
        rc = user_row(r, b, q);
    }
    store_finalize(q);
    if (rc == P20W_OK)
        rc = sbuf_puts(b, "</tbody>\n</table>\n");
    return rc;
}

static p20w_status users_page(serve_req *r, serve_resp *out)
{
    access_resource res;
    p20w_err err = {0};
    int allowed = 0;
    access_resource_init(&res, ACCESS_RES_ADMIN);
    res.detail = "web: list of users";
    p20w_status rc = serve_auth_check(r, out, ACCESS_READ, &res, &allowed);
    if (rc != P20W_OK || !allowed)
        return rc;
    store *st = NULL;
    sbuf *b = serve_resp_body(out);
    rc = serve_req_store(r, &st, &err);
    if (rc == P20W_OK)
        rc = serve_page_begin(r, out, _("Users"), "");
    if (rc == P20W_OK)
        rc = sbuf_printf(b, "<p>%s</p>\n",
                         _("Disabling an account ends its sessions at once. "
                           "Enabling it again also lifts a lockout. Add "
                           "accounts and set passwords with p20w user."));
    if (rc == P20W_OK)
        rc = users_table(r, b, st, &err);
    if (rc == P20W_OK)
        rc = serve_page_end(r, out);
    if (rc != P20W_OK && err.msg[0] != '\0')
        log_error("serve: users: %s", err.msg);
    return rc;
}

static p20w_status users_post(serve_req *r, serve_resp *out)
{
    const access_principal *me = serve_auth_who(r);
    const char *action = serve_req_form(r, "action");
    const char *user = serve_req_form(r, "user");
    access_resource res;
    access_ctx *ax = NULL;
    p20w_err err = {0};
    int allowed = 0;
    access_resource_init(&res, ACCESS_RES_ADMIN);
    res.detail = "web: disable or enable a user";
    p20w_status rc = serve_auth_check(r, out, ACCESS_WRITE, &res, &allowed);
    if (rc != P20W_OK || !allowed)
        return rc;
    int active = action != NULL && strcmp(action, "enable") == 0;
    if (action == NULL || (!active && strcmp(action, "disable") != 0) ||
        user == NULL || user[0] == '\0' || strlen(user) > ACCESS_NAME_MAX)
        return serve_resp_error(r, out, 400,
                                _("The form needs an action (disable or "
                                  "enable) and a user name."));
    if (!active && strcmp(user, me->name) == 0)
        return serve_resp_error(r, out, 400,
                                _("You cannot disable your own account."));
    rc = serve_auth_access(r, &ax, &err);
    if (rc == P20W_OK)
        rc = access_user_set_active(ax, user, active, me->name, me->origin,
                                    serve_auth_now(), &err);
    if (rc == P20W_ENOTFOUND)
        return serve_resp_error(r, out, 404, _("There is no such user."));
    if (rc != P20W_OK) {
        log_error("serve: user change: %s", err.msg);
        return rc;
    }
    return serve_resp_redirect(out, "/admin/users");
}

/* ---- the audit log ---------------------------------------------------------
 */

static p20w_status verdict_text(sbuf *b, const access_audit_verdict *v)
{
    p20w_status rc;
    if (v->ok) {
        rc = sbuf_printf(b,
                         "<p class=\"ok\" role=\"status\">%s %" PRId64
                         ". %s <code>%" PRId64 ":%s</code></p>\n",
                         _("The chain is intact. Records:"), v->records,
                         _("Head (copy it somewhere safe):"), v->head_seq,
                         v->head_mac);
        return rc;
    }
    rc = sbuf_printf(b, "<p class=\"error\" role=\"alert\">%s ",
                     _("The audit log does not verify: it was changed "
                       "outside p20w."));
    if (rc == P20W_OK && v->bad_seq > 0)
        rc = sbuf_printf(b, "%s %" PRId64 ": ", _("At record"), v->bad_seq);
    if (rc == P20W_OK)
        rc = sbuf_puts(b, "<span lang=\"en\">");
    if (rc == P20W_OK)
        rc = serve_html_text(b, v->problem);
    if (rc == P20W_OK)
        rc = sbuf_puts(b, "</span></p>\n");
    return rc;
}

static p20w_status audit_table(serve_req *r, sbuf *b, store *st, int64_t before,
                               p20w_err *err)
{
    store_stmt *q = NULL;
    int64_t last = 0;
    size_t n = 0;
    p20w_status rc = store_prepare(
        st,
        "SELECT seq, ts, actor, event, resource, outcome, why, origin FROM "
        "audit_log WHERE seq < ? ORDER BY seq DESC LIMIT ?",
        &q, err);
    if (rc == P20W_OK)
        rc = store_bind_int64(q, 1, before > 0 ? before : INT64_MAX, err);
    if (rc == P20W_OK)
        rc = store_bind_int64(q, 2, AUDIT_PAGE, err);
    if (rc == P20W_OK)
        rc = sbuf_printf(
            b,
            "<table class=\"audit\">\n<caption>%s</caption>\n<thead><tr><th "
            "scope=\"col\">#</th><th scope=\"col\">%s</th><th "
            "scope=\"col\">%s</th><th scope=\"col\">%s</th><th "
            "scope=\"col\">%s</th><th scope=\"col\">%s</th><th "
            "scope=\"col\">%s</th><th scope=\"col\">%s</th></tr></thead>\n"
            "<tbody>\n",
            _("Audit records, newest first"), _("When (UTC)"), _("Who"),
            _("Event"), _("What"), _("Outcome"), _("Why"), _("From"));
    while (rc == P20W_OK) {
        int row = 0;
        rc = store_step(q, &row, err);
        if (rc != P20W_OK || !row)
            break;
        n++;
        last = store_column_int64(q, 0);
        rc = sbuf_puts(b, "<tr>");
        for (int i = 0; rc == P20W_OK && i < 8; i++)
            rc = serve_auth_cell(b, "td", store_column_text(q, i));
        if (rc == P20W_OK)
            rc = sbuf_puts(b, "</tr>\n");
    }
    store_finalize(q);
    if (rc == P20W_OK)
        rc = sbuf_puts(b, "</tbody>\n</table>\n");
    if (rc == P20W_OK && n == AUDIT_PAGE && last > 1) {
        char pg[24];
        snprintf(pg, sizeof pg, "%" PRId64, last);
        serve_kv kv[1] = {{"before", pg}};
        rc = sbuf_puts(b, "<p><a href=\"");
        if (rc == P20W_OK)
            rc = serve_html_href(b, "/admin/audit", kv, 1, r->lang);
        if (rc == P20W_OK)
            rc = sbuf_printf(b, "\">%s</a></p>\n", _("Older records"));
    }
    return rc;
}

static p20w_status audit_page(serve_req *r, serve_resp *out)
{
    const access_principal *me = serve_auth_who(r);
    access_resource res;
    access_ctx *ax = NULL;
    access_audit_verdict v;
    p20w_err err = {0};
    int allowed = 0;
    access_resource_init(&res, ACCESS_RES_AUDIT);
    res.detail = "web: audit log";
    p20w_status rc = serve_auth_check(r, out, ACCESS_READ, &res, &allowed);
    if (rc != P20W_OK || !allowed)
        return rc;
    const char *bs = serve_req_query(r, "before");
    int64_t before = bs ? strtoll(bs, NULL, 10) : 0;
    rc = serve_auth_access(r, &ax, &err);
    if (rc == P20W_OK) {
        /* Reading the log is recorded, as `p20w audit` records it. */
        access_audit_entry e = {me->name,  ACCESS_EV_READ,      "audit log",
                                "allowed", "viewed on the web", me->origin};
        rc = access_audit_append(ax, &e, serve_auth_now(), NULL, &err);
    }
    if (rc == P20W_OK)
        rc = access_audit_verify(ax, 0, NULL, &v, &err);
    sbuf *b = serve_resp_body(out);
    if (rc == P20W_OK)
        rc = serve_page_begin(r, out, _("Audit log"), "");
    if (rc == P20W_OK)
        rc = verdict_text(b, &v);
    if (rc == P20W_OK)
        rc = audit_table(r, b, access_store(ax), before, &err);
    if (rc == P20W_OK)
        rc = serve_page_end(r, out);
    if (rc != P20W_OK && err.msg[0] != '\0')
        log_error("serve: audit log: %s", err.msg);
    return rc;
}

static const serve_param_spec audit_params[] = {
    {"before", SERVE_P_INT, NULL},
    {NULL, 0, NULL},
};

static const serve_route routes[] = {
    {SERVE_GET, "/admin/users", 0, NULL, users_page},
    {SERVE_POST, "/admin/users", 0, NULL, users_post},
    {SERVE_GET, "/admin/audit", 0, audit_params, audit_page},
};

p20w_status serve_views_admin_routes(serve_app *app, p20w_err *err)
{
    return serve_app_add_routes(app, routes, sizeof routes / sizeof routes[0],
                                err);
}
