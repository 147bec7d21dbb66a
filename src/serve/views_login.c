/*
 * views_login.c — signing in and out, and the signed-in home page (/me)
 * that lists the pages of the user's role.
 *
 * Sign-in calls access_login, which does everything that matters: the
 * Argon2id check (the same cost for unknown names), the lockout, and the
 * audit record of every attempt; this file only turns its answer into a
 * cookie or into the one message given to every refusal ("wrong user name or
 * password, or the account is locked or disabled"), so the page tells
 * nobody whether a name exists. The password is wiped from the request's
 * memory once checked. Sign-out calls access_logout (audited there).
 */
#include <string.h>

#include <sodium.h>

#include "serve/auth.h"
#include "serve/html.h"
#include "serve/i18n.h"
#include "util/log.h"

/* Overwrites a request string (form values live in the request's own
 * heap block, writable; only the pointer is const for handlers). */
static void wipe(const char *s, size_t n)
{
    if (s != NULL && n > 0)
        sodium_memzero((char *)(uintptr_t)s, n);
}

static p20w_status login_form(serve_req *r, serve_resp *out, int failed)
{
    sbuf *b = serve_resp_body(out);
    p20w_status rc = serve_auth_pre(r, out);
    if (rc == P20W_OK)
        rc = serve_page_begin(r, out, _("Sign in"), "");
    if (rc == P20W_OK && failed)
        rc = sbuf_printf(b, "<p class=\"error\" role=\"alert\">%s</p>\n",
                         _("Sign-in failed: wrong user name or password, or "
                           "the account is locked or disabled."));
    if (rc == P20W_OK)
        rc = sbuf_printf(b, "<p>%s</p>\n",
                         _("Signing in is for practitioners, researchers, "
                           "data stewards and administrators. Everything "
                           "public is open without signing in."));
    if (rc == P20W_OK)
        rc = serve_auth_form(r, b, "/login");
    if (rc == P20W_OK)
        rc = sbuf_printf(
            b,
            "<p><label for=\"user\">%s</label><br>\n<input id=\"user\" "
            "name=\"user\" type=\"text\" autocomplete=\"username\" "
            "required maxlength=\"64\"></p>\n<p><label for=\"password\">%s"
            "</label><br>\n<input id=\"password\" name=\"password\" "
            "type=\"password\" autocomplete=\"current-password\" required "
            "maxlength=\"1024\"></p>\n<p><button type=\"submit\">%s"
            "</button></p>\n</form>\n",
            _("User name"), _("Password"), _("Sign in"));
    if (rc == P20W_OK)
        rc = sbuf_printf(b, "<p>%s</p>\n",
                         _("After five wrong passwords in a row the account "
                           "is locked for 15 minutes. Ask your administrator "
                           "if you forgot your password."));
    if (rc == P20W_OK)
        rc = serve_page_end(r, out);
    return rc;
}

static p20w_status login_page(serve_req *r, serve_resp *out)
{
    if (serve_auth_logged_in(r))
        return serve_resp_redirect(out, "/me");
    return login_form(r, out, 0);
}

static p20w_status login_post(serve_req *r, serve_resp *out)
{
    const char *user = serve_req_form(r, "user");
    const char *pw = serve_req_form(r, "password");
    char token[ACCESS_TOKEN_LEN + 1] = "";
    access_ctx *ax = NULL;
    p20w_err err = {0};
    p20w_status rc = serve_auth_access(r, &ax, &err);
    if (rc == P20W_EDENIED) {
        wipe(pw, pw ? strlen(pw) : 0);
        return serve_resp_error(r, out, 503,
                                _("Signing in is not available on this "
                                  "server at the moment."));
    }
    if (rc == P20W_OK)
        rc = access_login(ax, user ? user : "", pw ? pw : "", r->client_ip,
                          serve_auth_now(), token, &err);
    wipe(pw, pw ? strlen(pw) : 0);
    wipe(r->body, r->body_len);
    if (rc == P20W_EDENIED) {
        serve_resp_status(out, 403);
        return login_form(r, out, 1);
    }
    if (rc != P20W_OK) {
        log_error("serve: sign-in: %s", err.msg);
        return rc;
    }
    rc = serve_auth_start(r, out, token);
    sodium_memzero(token, sizeof token);
    if (rc == P20W_OK)
        rc = serve_resp_redirect(out, "/me");
    return rc;
}

static p20w_status logout_post(serve_req *r, serve_resp *out)
{
    p20w_status rc = serve_auth_end(r, out);
    if (rc == P20W_OK)
        rc = serve_resp_redirect(out, "/");
    return rc;
}

/* ---- /me ----------------------------------------------------------------- */

typedef struct me_link {
    int role; /* access_role; -1 for every signed-in role */
    const char *path;
    const char *title;       /* msgid */
    const char *description; /* msgid */
} me_link;

static const me_link links[] = {
    {ACCESS_ROLE_PRACTITIONER, "/me/aggregates", N_("Outcomes of my units"),
     N_("Every number of your schools, districts or institutions, small "
        "groups included (not suppressed).")},
    {ACCESS_ROLE_PRACTITIONER, "/me/learners", N_("My learners"),
     N_("The learners of your units and their education records. Each "
        "look is recorded.")},
    {ACCESS_ROLE_STEWARD, "/me/submissions", N_("My agency's submissions"),
     N_("The files your agency sent and their validation reports.")},
    {ACCESS_ROLE_RESEARCHER, "/me/agreement", N_("My agreement"),
     N_("Your data-sharing agreement: its status, end date, elements and "
        "the extracts made under it.")},
    {ACCESS_ROLE_ADMIN, "/admin/users", N_("Users"),
     N_("Every account: role, scope, status. Disable or enable one.")},
    {ACCESS_ROLE_ADMIN, "/admin/audit", N_("Audit log"),
     N_("Who saw what, when and why; and whether the log is intact.")},
    {ACCESS_ROLE_ADMIN, "/me/submissions", N_("Submissions"),
     N_("Every agency's submissions and their validation reports.")},
    {-1, "/assess", N_("Data-ecosystem self-assessment"),
     N_("Rate your state's data system against the rubric, see the heat "
        "map, write the action plan, compare years.")},
};

static p20w_status who_text(serve_req *r, sbuf *b)
{
    const access_principal *p = serve_auth_who(r);
    p20w_status rc = sbuf_printf(b, "<dl>\n<dt>%s</dt><dd>", _("User name"));
    if (rc == P20W_OK)
        rc = serve_html_text(b, p->name);
    if (rc == P20W_OK)
        rc = sbuf_printf(b, "</dd>\n<dt>%s</dt><dd>%s</dd>\n", _("Role"),
                         _(serve_auth_role_msgid(p->role)));
    if (rc == P20W_OK && p->role == ACCESS_ROLE_PRACTITIONER) {
        rc = sbuf_printf(b, "<dt>%s</dt><dd><ul>\n", _("Scope"));
        for (size_t i = 0; rc == P20W_OK && i < p->nscopes; i++) {
            rc = sbuf_printf(b, "<li>%s ",
                             p->scopes[i].kind == ACCESS_SCOPE_SCHOOL
                                 ? _("school")
                             : p->scopes[i].kind == ACCESS_SCOPE_DISTRICT
                                 ? _("district")
                                 : _("institution"));
            if (rc == P20W_OK)
                rc = serve_html_text(b, p->scopes[i].id);
            if (rc == P20W_OK)
                rc = sbuf_puts(b, "</li>\n");
        }
        if (rc == P20W_OK)
            rc = sbuf_puts(b, "</ul></dd>\n");
    }
    if (rc == P20W_OK && p->role == ACCESS_ROLE_STEWARD) {
        rc = sbuf_printf(b, "<dt>%s</dt><dd>", _("Agency"));
        if (rc == P20W_OK)
            rc = serve_html_text(b, p->agency);
        if (rc == P20W_OK)
            rc = sbuf_puts(b, "</dd>\n");
    }
    if (rc == P20W_OK && p->role == ACCESS_ROLE_RESEARCHER)
        rc = sbuf_printf(b, "<dt>%s</dt><dd>%lld</dd>\n",
                         _("Data-sharing agreement"), (long long)p->dsa_id);
    if (rc == P20W_OK)
        rc = sbuf_puts(b, "</dl>\n");
    return rc;
}

static p20w_status me_page(serve_req *r, serve_resp *out)
{
    if (!serve_auth_logged_in(r))
        return serve_resp_redirect(out, "/login");
    const access_principal *p = serve_auth_who(r);
    sbuf *b = serve_resp_body(out);
    p20w_status rc = serve_page_begin(r, out, _("My pages"), "");
    if (rc == P20W_OK)
        rc = who_text(r, b);
    if (rc == P20W_OK)
        rc = sbuf_puts(b, "<ul class=\"views\">\n");
    for (size_t i = 0; rc == P20W_OK && i < sizeof links / sizeof links[0];
         i++) {
        if (links[i].role != -1 && links[i].role != (int)p->role)
            continue;
        rc = sbuf_puts(b, "<li><a href=\"");
        if (rc == P20W_OK)
            rc = serve_html_href(b, links[i].path, NULL, 0, r->lang);
        if (rc == P20W_OK)
            rc = sbuf_printf(b, "\">%s</a>: %s</li>\n", _(links[i].title),
                             _(links[i].description));
    }
    if (rc == P20W_OK)
        rc = sbuf_printf(b, "</ul>\n<p>%s</p>\n",
                         _("Your session ends after 30 minutes without "
                           "activity, 8 hours after you signed in, or when "
                           "you sign out. Every look at a learner's record "
                           "is written to the audit log."));
    if (rc == P20W_OK)
        rc = serve_page_end(r, out);
    return rc;
}

static const serve_route routes[] = {
    {SERVE_GET, "/login", 0, NULL, login_page},
    {SERVE_POST, "/login", 0, NULL, login_post},
    {SERVE_POST, "/logout", 0, NULL, logout_post},
    {SERVE_GET, "/me", 0, NULL, me_page},
};

p20w_status serve_views_login_routes(serve_app *app, p20w_err *err)
{
    return serve_app_add_routes(app, routes, sizeof routes / sizeof routes[0],
                                err);
}
