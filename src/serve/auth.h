/*
 * auth.h — the logged-in side of the web server: session cookies, CSRF
 * tokens, opaque learner handles, and the pages behind a login
 * (docs/access.md, "The web views").
 *
 * Who is asking is decided by src/access/: the session cookie carries the
 * access session token (access_login), every request resolves it with
 * access_session_check, and every view asks access_check before it reads.
 * This file adds what only the web needs:
 *
 *  - the cookie `p20w_session` (HttpOnly, SameSite=Strict, Path=/, Secure
 *    when the server is reached over TLS), never a token in a URL;
 *  - a CSRF token per session, HMAC-SHA-256 of the session token under a
 *    key the server draws at start (libsodium), a hidden field in every
 *    form and checked on every POST; before login, the same bound to a
 *    random pre-session cookie `p20w_pre`;
 *  - learner handles: a learner is named in a URL only by an opaque
 *    handle valid in one session (the p20w_id sealed with a key derived
 *    from the session), never by name, SSN, birth date or p20w_id.
 *
 * Thread safety: a serve_auth is read-only after serve_auth_new() and may
 * be shared by every thread.
 */
#ifndef P20W_SERVE_AUTH_H
#define P20W_SERVE_AUTH_H

#include <stddef.h>
#include <stdint.h>

#include "access/access.h"
#include "serve/serve.h"
#include "util/error.h"
#include "util/sbuf.h"

#define SERVE_SESSION_COOKIE "p20w_session"
#define SERVE_PRE_COOKIE "p20w_pre"
#define SERVE_CSRF_FIELD "csrf"
#define SERVE_CSRF_LEN 64   /* hex of HMAC-SHA-256 */
#define SERVE_PRE_LEN 64    /* hex of 32 random bytes */
#define SERVE_HANDLE_LEN 64 /* base64url (no padding) of 48 bytes */
#define SERVE_SET_COOKIE_MAX 256

typedef struct serve_auth serve_auth;

/* Draws the server's keys (CSRF, handles) from the OS CSPRNG. With
 * secure_cookies, every cookie carries Secure (the server is reached over
 * TLS, directly or through a proxy). Errors: P20W_ENOMEM, P20W_EINTERNAL
 * (libsodium failed to start). */
p20w_status serve_auth_new(int secure_cookies, serve_auth **out, p20w_err *err);

void serve_auth_free(serve_auth *a);

/* Whether cookies are marked Secure. */
int serve_auth_secure(const serve_auth *a);

/* ---- cookies ------------------------------------------------------------- */

/* Finds cookie `name` in a Cookie header ("a=1; b=2") and copies its value
 * (at most cap - 1 bytes) to out. Returns 1 when found and it fits, else 0
 * (out is then ""). header may be NULL. */
int serve_auth_cookie_get(const char *header, const char *name, char *out,
                          size_t cap);

/* A Set-Cookie value: "name=value; Path=/; HttpOnly; SameSite=Strict" (and
 * "; Secure" when the server says so); with value NULL, one that deletes
 * the cookie (empty value, Max-Age=0). out holds SERVE_SET_COOKIE_MAX. */
void serve_auth_set_cookie(const serve_auth *a, const char *name,
                           const char *value, char out[SERVE_SET_COOKIE_MAX]);

/* 1 when s is 64 lowercase hex digits (a session token or pre-session
 * value), else 0. */
int serve_auth_token_well_formed(const char *s);

/* A fresh pre-session value: 32 random bytes as hex. */
void serve_auth_pre_new(char out[SERVE_PRE_LEN + 1]);

/* ---- CSRF -------------------------------------------------------------- */

/* The CSRF token bound to a session token (kind 's') or a pre-session
 * value (kind 'p'). */
void serve_auth_csrf(const serve_auth *a, char kind, const char *binding,
                     char out[SERVE_CSRF_LEN + 1]);

/* 1 when given is the CSRF token of (kind, binding), compared in constant
 * time; 0 otherwise, also when given or binding is NULL or malformed. */
int serve_auth_csrf_ok(const serve_auth *a, char kind, const char *binding,
                       const char *given);

/* ---- learner handles ------------------------------------------------------
 */

/* The opaque handle of learner p20w_id in session `token`: the same
 * learner always has the same handle within one session, and it means
 * nothing in any other session. */
void serve_auth_handle(const serve_auth *a, const char *token, int64_t p20w_id,
                       char out[SERVE_HANDLE_LEN + 1]);

/* Opens a handle made by serve_auth_handle() for the same session.
 * Returns 1 and sets *p20w_id, or 0 when the handle is malformed, forged
 * or from another session. */
int serve_auth_handle_open(const serve_auth *a, const char *token,
                           const char *handle, int64_t *p20w_id);

/* ---- the logged-in side of the server -------------------------------- */

/* The installer (app.c's list): draws the keys, makes sure the audit key
 * file exists (creating it while the audit log is empty, as the first
 * command that writes the log does), sets the before/after/header hooks
 * (their state freed with the app) and adds the routes of views_*.c. When the
 * key file cannot be used the public pages still work and every sign-in answers
 * 503 (logged). Errors: P20W_ENOMEM, P20W_EINTERNAL, P20W_EINVAL (a route
 * clash). */
p20w_status serve_auth_routes(serve_app *app, p20w_err *err);

/* Everything below is for the handlers of views_*.c, during a request. */

/* Who is asking: the session's principal, or the public visitor. */
const access_principal *serve_auth_who(const serve_req *r);
int serve_auth_logged_in(const serve_req *r);

/* The request's governed-access context on the request's database
 * connection, opened on first use and closed when the request ends.
 * Errors: those of serve_req_store() and access_open(); P20W_EDENIED when
 * the server has no usable audit key. */
p20w_status serve_auth_access(serve_req *r, access_ctx **ax, p20w_err *err);

/* The time every decision of the request uses (seconds since 1970 UTC). */
int64_t serve_auth_now(void);

/* The check every view passes: access_check() of (action, res) for the
 * request's principal at the request's time (which audits a denial and an
 * allowed learner-level read). When denied, out becomes the 403 page
 * (the reason shown, marked as English) and *allowed is 0. Errors (500):
 * the audit record could not be written, and the rest of access_check. */
p20w_status serve_auth_check(serve_req *r, serve_resp *out, access_action a,
                             const access_resource *res, int *allowed);

/* Appends a `denied` audit record for a refusal access_check did not
 * make (a forged form, a handle from another session): actor is the
 * request's principal. Errors: the audit could not be written. */
p20w_status serve_auth_audit_denied(serve_req *r, const char *what,
                                    const char *why);

/* A 403 page with a translated message and, when not NULL, a reason in
 * English. */
p20w_status serve_auth_forbidden(serve_req *r, serve_resp *out,
                                 const char *message, const char *reason);

/* Appends the opening of a POST form to action (the request's language
 * kept) with the CSRF hidden field: every form of a logged-in page is
 * opened with it. */
p20w_status serve_auth_form(const serve_req *r, sbuf *html, const char *action);

/* The request's learner handle of p20w_id (logged-in requests only). */
void serve_auth_learner_handle(const serve_req *r, int64_t p20w_id,
                               char out[SERVE_HANDLE_LEN + 1]);
/* Opens a learner handle of this session. Returns 1 and sets *p20w_id,
 * 0 when it is not one. */
int serve_auth_learner_open(const serve_req *r, const char *handle,
                            int64_t *p20w_id);

/* The English msgid of a role's name, for _(): "practitioner", "data
 * steward", "administrator", ... */
const char *serve_auth_role_msgid(access_role role);

/* "<td>text</td>" (escaped); tag is "td" or "th". */
p20w_status serve_auth_cell(sbuf *html, const char *tag, const char *text);

/* Installers of the views (serve_auth_routes calls them). */
p20w_status serve_views_login_routes(serve_app *app, p20w_err *err);
p20w_status serve_views_practitioner_routes(serve_app *app, p20w_err *err);
p20w_status serve_views_steward_routes(serve_app *app, p20w_err *err);
p20w_status serve_views_researcher_routes(serve_app *app, p20w_err *err);
p20w_status serve_views_admin_routes(serve_app *app, p20w_err *err);

/* For views_login.c: the login form's pre-session value (made and set as
 * a cookie on out when the request has none). Errors: P20W_ENOMEM. */
p20w_status serve_auth_pre(serve_req *r, serve_resp *out);
/* For views_login.c: starts the session of a successful access_login (the
 * cookie set, any earlier session of the request ended, the pre-session
 * cookie dropped) and ends it on logout. */
p20w_status serve_auth_start(serve_req *r, serve_resp *out, const char *token);
p20w_status serve_auth_end(serve_req *r, serve_resp *out);

#endif
