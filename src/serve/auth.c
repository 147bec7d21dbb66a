/*
 * auth.c — session cookies, CSRF tokens and learner handles for the
 * logged-in pages (auth.h).
 *
 * Keys: one 32-byte master drawn from the OS CSPRNG when the server
 * starts, never written anywhere; crypto_kdf derives the CSRF key and the
 * handle key from it, so neither use can be turned against the other. A
 * restart therefore invalidates the CSRF tokens of forms already shown
 * (the next page view shows a fresh one) and every learner handle; the
 * sessions themselves live in the database and survive.
 *
 * CSRF token = hex HMAC-SHA-256(K_csrf, "p20w-csrf-v1" || kind || binding),
 * kind 's' for a session token, 'p' for a pre-session cookie (the login
 * form, before there is a session). A page from another site cannot read
 * it (same-origin policy) and so cannot forge a POST; the SameSite=Strict
 * cookie is a second, independent barrier.
 *
 * Handle = base64url(nonce || secretbox(p20w_id)) with K_s =
 * HMAC-SHA-256(K_handle, "p20w-handle-v1" || session token) and nonce =
 * the first 24 bytes of HMAC-SHA-256(K_s, p20w_id): deterministic within a
 * session (a learner keeps one handle while the page is open), opaque and
 * unforgeable, and void in every other session.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "serve/auth.h"
#include "serve/html.h"
#include "serve/i18n.h"
#include "util/log.h"
#include "util/mem.h"

#define KEY_BYTES 32
#define HANDLE_RAW 48 /* 24 nonce + 16 MAC + 8 id */

struct serve_auth {
    unsigned char csrf_key[KEY_BYTES];
    unsigned char handle_key[KEY_BYTES];
    int secure;
};

p20w_status serve_auth_new(int secure_cookies, serve_auth **out, p20w_err *err)
{
    *out = NULL;
    if (sodium_init() < 0)
        return p20w_err_set(err, P20W_EINTERNAL, "libsodium failed to start");
    serve_auth *a = p20w_calloc(1, sizeof *a);
    if (a == NULL)
        return p20w_err_set(err, P20W_ENOMEM, "out of memory");
    unsigned char master[crypto_kdf_KEYBYTES];
    crypto_kdf_keygen(master);
    crypto_kdf_derive_from_key(a->csrf_key, KEY_BYTES, 1, "p20wserv", master);
    crypto_kdf_derive_from_key(a->handle_key, KEY_BYTES, 2, "p20wserv", master);
    sodium_memzero(master, sizeof master);
    a->secure = secure_cookies != 0;
    *out = a;
    return P20W_OK;
}

void serve_auth_free(serve_auth *a)
{
    if (a == NULL)
        return;
    sodium_memzero(a, sizeof *a);
    p20w_free(a);
}

int serve_auth_secure(const serve_auth *a)
{
    return a->secure;
}

/* ---- cookies ------------------------------------------------------------- */

int serve_auth_cookie_get(const char *header, const char *name, char *out,
                          size_t cap)
{
    size_t nlen = strlen(name);
    if (cap > 0)
        out[0] = '\0';
    if (header == NULL || cap == 0)
        return 0;
    const char *p = header;
    while (*p != '\0') {
        while (*p == ' ' || *p == '\t' || *p == ';')
            p++;
        const char *end = strchr(p, ';');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (len > nlen && memcmp(p, name, nlen) == 0 && p[nlen] == '=') {
            size_t vlen = len - nlen - 1;
            while (vlen > 0 && (p[nlen + 1 + vlen - 1] == ' ' ||
                                p[nlen + 1 + vlen - 1] == '\t'))
                vlen--;
            if (vlen >= cap)
                return 0;
            memcpy(out, p + nlen + 1, vlen);
            out[vlen] = '\0';
            return 1;
        }
        p += len;
    }
    return 0;
}

void serve_auth_set_cookie(const serve_auth *a, const char *name,
                           const char *value, char out[SERVE_SET_COOKIE_MAX])
{
    snprintf(out, SERVE_SET_COOKIE_MAX, "%s=%s; Path=/; HttpOnly; %s%s", name,
             value ? value : "",
             value ? "SameSite=Strict" : "SameSite=Strict; Max-Age=0",
             a->secure ? "; Secure" : "");
}

int serve_auth_token_well_formed(const char *s)
{
    if (s == NULL || strlen(s) != 64)
        return 0;
    for (size_t i = 0; i < 64; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
            return 0;
    return 1;
}

void serve_auth_pre_new(char out[SERVE_PRE_LEN + 1])
{
    unsigned char raw[SERVE_PRE_LEN / 2];
    randombytes_buf(raw, sizeof raw);
    sodium_bin2hex(out, SERVE_PRE_LEN + 1, raw, sizeof raw);
    sodium_memzero(raw, sizeof raw);
}

/* ---- CSRF -------------------------------------------------------------- */

void serve_auth_csrf(const serve_auth *a, char kind, const char *binding,
                     char out[SERVE_CSRF_LEN + 1])
{
    static const char tag[] = "p20w-csrf-v1";
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256_state h;
    crypto_auth_hmacsha256_init(&h, a->csrf_key, KEY_BYTES);
    crypto_auth_hmacsha256_update(&h, (const unsigned char *)tag, sizeof tag);
    crypto_auth_hmacsha256_update(&h, (const unsigned char *)&kind, 1);
    crypto_auth_hmacsha256_update(&h, (const unsigned char *)binding,
                                  strlen(binding));
    crypto_auth_hmacsha256_final(&h, mac);
    sodium_bin2hex(out, SERVE_CSRF_LEN + 1, mac, sizeof mac);
}

int serve_auth_csrf_ok(const serve_auth *a, char kind, const char *binding,
                       const char *given)
{
    char want[SERVE_CSRF_LEN + 1];
    if (binding == NULL || given == NULL ||
        !serve_auth_token_well_formed(binding) ||
        strlen(given) != SERVE_CSRF_LEN)
        return 0;
    serve_auth_csrf(a, kind, binding, want);
    int ok = sodium_memcmp(want, given, SERVE_CSRF_LEN) == 0;
    sodium_memzero(want, sizeof want);
    return ok;
}

/* ---- learner handles ------------------------------------------------------
 */

static void session_key(const serve_auth *a, const char *token,
                        unsigned char out[KEY_BYTES])
{
    static const char tag[] = "p20w-handle-v1";
    crypto_auth_hmacsha256_state h;
    crypto_auth_hmacsha256_init(&h, a->handle_key, KEY_BYTES);
    crypto_auth_hmacsha256_update(&h, (const unsigned char *)tag, sizeof tag);
    crypto_auth_hmacsha256_update(&h, (const unsigned char *)token,
                                  strlen(token));
    crypto_auth_hmacsha256_final(&h, out);
}

static void id_bytes(int64_t id, unsigned char out[8])
{
    uint64_t u = (uint64_t)id;
    for (int i = 0; i < 8; i++)
        out[i] = (unsigned char)(u >> (8 * i));
}

static void handle_nonce(const unsigned char key[KEY_BYTES],
                         const unsigned char id[8],
                         unsigned char out[crypto_secretbox_NONCEBYTES])
{
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256(mac, id, 8, key);
    memcpy(out, mac, crypto_secretbox_NONCEBYTES);
}

void serve_auth_handle(const serve_auth *a, const char *token, int64_t p20w_id,
                       char out[SERVE_HANDLE_LEN + 1])
{
    unsigned char key[KEY_BYTES], id[8], raw[HANDLE_RAW];
    session_key(a, token, key);
    id_bytes(p20w_id, id);
    handle_nonce(key, id, raw);
    crypto_secretbox_easy(raw + crypto_secretbox_NONCEBYTES, id, sizeof id, raw,
                          key);
    sodium_bin2base64(out, SERVE_HANDLE_LEN + 1, raw, sizeof raw,
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sodium_memzero(key, sizeof key);
}

int serve_auth_handle_open(const serve_auth *a, const char *token,
                           const char *handle, int64_t *p20w_id)
{
    unsigned char key[KEY_BYTES], id[8], raw[HANDLE_RAW],
        nonce[crypto_secretbox_NONCEBYTES];
    size_t n = 0;
    *p20w_id = 0;
    if (token == NULL || handle == NULL || strlen(handle) != SERVE_HANDLE_LEN ||
        sodium_base642bin(raw, sizeof raw, handle, SERVE_HANDLE_LEN, NULL, &n,
                          NULL,
                          sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
        n != sizeof raw)
        return 0;
    session_key(a, token, key);
    int ok = crypto_secretbox_open_easy(
                 id, raw + crypto_secretbox_NONCEBYTES,
                 HANDLE_RAW - crypto_secretbox_NONCEBYTES, raw, key) == 0;
    if (ok) {
        handle_nonce(key, id, nonce);
        ok = sodium_memcmp(nonce, raw, sizeof nonce) == 0;
    }
    sodium_memzero(key, sizeof key);
    if (!ok)
        return 0;
    uint64_t u = 0;
    for (int i = 7; i >= 0; i--)
        u = u << 8 | id[i];
    if (u == 0 || u > (uint64_t)INT64_MAX)
        return 0;
    *p20w_id = (int64_t)u;
    return 1;
}

/* ==== the logged-in side of the server ===================================
 *
 * before(): resolves the session cookie to a principal through
 * access_session_check (which ends a timed-out session, or every session
 * of a disabled account, and audits it); a cookie whose session ended is
 * deleted. Then, on every POST outside /api/ (the API takes no cookies,
 * so a forged request there carries no one's authority), the CSRF field
 * must be the token of the request's session, or, for the sign-in form,
 * of its pre-session cookie; otherwise the answer is 403 and the refusal
 * is audited (event `denied`). after(): closes the access context.
 */

typedef struct auth_app {
    serve_auth *keys;
    char key_path[4096];
    int ready; /* the key file could be used at start */
} auth_app;

typedef struct auth_req {
    access_principal who;
    int logged_in;
    int secure; /* this request came over TLS (X-Forwarded-Proto) */
    char token[ACCESS_TOKEN_LEN + 1];
    char pre[SERVE_PRE_LEN + 1];
    access_ctx *ax;
    int64_t now;
} auth_req;

static auth_app *app_state(const serve_req *r)
{
    return serve_app_hooks_ctx(r->app);
}

int64_t serve_auth_now(void)
{
    return (int64_t)time(NULL);
}

const access_principal *serve_auth_who(const serve_req *r)
{
    const auth_req *q = r->auth;
    return &q->who;
}

int serve_auth_logged_in(const serve_req *r)
{
    const auth_req *q = r->auth;
    return q != NULL && q->logged_in;
}

p20w_status serve_auth_access(serve_req *r, access_ctx **ax, p20w_err *err)
{
    auth_req *q = r->auth;
    auth_app *g = app_state(r);
    *ax = NULL;
    if (q->ax != NULL) {
        *ax = q->ax;
        return P20W_OK;
    }
    if (!g->ready)
        return p20w_err_set(err, P20W_EDENIED,
                            "sign-in is unavailable: no usable audit key");
    store *st = NULL;
    p20w_status rc = serve_req_store(r, &st, err);
    if (rc != P20W_OK)
        return rc;
    access_options o;
    access_options_init(&o);
    o.key_path = g->key_path;
    rc = access_open(st, &o, &q->ax, err);
    *ax = q->ax;
    return rc;
}

/* Adds a Set-Cookie header: the cookie, or its deletion (value NULL). */
static p20w_status set_cookie(serve_req *r, serve_resp *out, const char *name,
                              const char *value)
{
    const auth_req *q = r->auth;
    char c[SERVE_SET_COOKIE_MAX + 16];
    serve_auth_set_cookie(app_state(r)->keys, name, value, c);
    if (q->secure && !serve_auth_secure(app_state(r)->keys))
        snprintf(c + strlen(c), sizeof c - strlen(c), "; Secure");
    p20w_status rc = serve_resp_header(out, "Set-Cookie", c);
    sodium_memzero(c, sizeof c);
    return rc;
}

p20w_status serve_auth_audit_denied(serve_req *r, const char *what,
                                    const char *why)
{
    auth_req *q = r->auth;
    access_ctx *ax = NULL;
    p20w_err err = {0};
    p20w_status rc = serve_auth_access(r, &ax, &err);
    if (rc == P20W_OK) {
        access_audit_entry e = {q->who.name[0] ? q->who.name : "public",
                                ACCESS_EV_DENIED,
                                what,
                                "denied",
                                why,
                                q->who.origin};
        rc = access_audit_append(ax, &e, q->now, NULL, &err);
    }
    if (rc != P20W_OK)
        log_error("serve: audit of a refused %s: %s", what, err.msg);
    return rc;
}

p20w_status serve_auth_forbidden(serve_req *r, serve_resp *out,
                                 const char *message, const char *reason)
{
    sbuf *b = serve_resp_body(out);
    sbuf_reset(b);
    serve_resp_status(out, 403);
    serve_resp_type(out, "text/html; charset=utf-8");
    p20w_status rc = serve_page_begin(r, out, _("Access denied"), "");
    if (rc == P20W_OK)
        rc = sbuf_puts(b, "<p class=\"error\">");
    if (rc == P20W_OK)
        rc = serve_html_text(b, message);
    if (rc == P20W_OK)
        rc = sbuf_puts(b, "</p>\n");
    if (rc == P20W_OK && reason != NULL && reason[0] != '\0') {
        /* access/ words its reasons in English: marked as such. */
        rc = sbuf_printf(b, "<p>%s <span lang=\"en\">", _("Reason:"));
        if (rc == P20W_OK)
            rc = serve_html_text(b, reason);
        if (rc == P20W_OK)
            rc = sbuf_puts(b, "</span></p>\n");
    }
    if (rc == P20W_OK)
        rc = sbuf_puts(b, "<p><a href=\"");
    if (rc == P20W_OK)
        rc = serve_html_href(b, serve_auth_logged_in(r) ? "/me" : "/login",
                             NULL, 0, r->lang);
    if (rc == P20W_OK)
        rc =
            sbuf_printf(b, "\">%s</a></p>\n",
                        serve_auth_logged_in(r) ? _("My pages") : _("Sign in"));
    if (rc == P20W_OK)
        rc = serve_page_end(r, out);
    return rc;
}

p20w_status serve_auth_check(serve_req *r, serve_resp *out, access_action a,
                             const access_resource *res, int *allowed)
{
    auth_req *q = r->auth;
    access_ctx *ax = NULL;
    access_decision d;
    p20w_err err = {0};
    *allowed = 0;
    p20w_status rc = serve_auth_access(r, &ax, &err);
    if (rc == P20W_EDENIED)
        return serve_auth_forbidden(r, out, _("Sign-in is not available."),
                                    NULL);
    if (rc == P20W_OK)
        rc = access_check(ax, &q->who, a, res, q->now, &d, &err);
    if (rc != P20W_OK) {
        log_error("serve: access check: %s", err.msg);
        return rc;
    }
    if (d.allowed) {
        *allowed = 1;
        return P20W_OK;
    }
    return serve_auth_forbidden(
        r, out,
        q->logged_in ? _("You are not allowed to see this page.")
                     : _("This page is for signed-in users. Sign in to see "
                         "it."),
        d.reason);
}

p20w_status serve_auth_form(const serve_req *r, sbuf *html, const char *action)
{
    const auth_req *q = r->auth;
    char csrf[SERVE_CSRF_LEN + 1];
    if (q->logged_in)
        serve_auth_csrf(app_state(r)->keys, 's', q->token, csrf);
    else if (q->pre[0] != '\0')
        serve_auth_csrf(app_state(r)->keys, 'p', q->pre, csrf);
    else
        csrf[0] = '\0';
    p20w_status rc = sbuf_puts(html, "<form method=\"post\" action=\"");
    if (rc == P20W_OK)
        rc = serve_html_href(html, action, NULL, 0, r->lang);
    if (rc == P20W_OK)
        rc = sbuf_printf(html,
                         "\">\n<input type=\"hidden\" name=\"" SERVE_CSRF_FIELD
                         "\" value=\"%s\">\n",
                         csrf);
    return rc;
}

void serve_auth_learner_handle(const serve_req *r, int64_t p20w_id,
                               char out[SERVE_HANDLE_LEN + 1])
{
    const auth_req *q = r->auth;
    serve_auth_handle(app_state(r)->keys, q->token, p20w_id, out);
}

int serve_auth_learner_open(const serve_req *r, const char *handle,
                            int64_t *p20w_id)
{
    const auth_req *q = r->auth;
    *p20w_id = 0;
    if (!q->logged_in)
        return 0;
    return serve_auth_handle_open(app_state(r)->keys, q->token, handle,
                                  p20w_id);
}

p20w_status serve_auth_cell(sbuf *html, const char *tag, const char *text)
{
    p20w_status rc = sbuf_printf(html, "<%s>", tag);
    if (rc == P20W_OK)
        rc = serve_html_text(html, text);
    if (rc == P20W_OK)
        rc = sbuf_printf(html, "</%s>", tag);
    return rc;
}

p20w_status serve_auth_pre(serve_req *r, serve_resp *out)
{
    auth_req *q = r->auth;
    const char *c = serve_req_cookie(r, SERVE_PRE_COOKIE);
    if (c != NULL && serve_auth_token_well_formed(c)) {
        snprintf(q->pre, sizeof q->pre, "%s", c);
        return P20W_OK;
    }
    serve_auth_pre_new(q->pre);
    return set_cookie(r, out, SERVE_PRE_COOKIE, q->pre);
}

p20w_status serve_auth_start(serve_req *r, serve_resp *out, const char *token)
{
    auth_req *q = r->auth;
    p20w_err err = {0};
    p20w_status rc = P20W_OK;
    if (q->logged_in && q->ax != NULL) {
        /* A second sign-in from the same browser: the old session ends
         * rather than lingering until its timeout. */
        rc = access_logout(q->ax, q->token, q->who.origin, q->now, &err);
        if (rc != P20W_OK)
            log_error("serve: ending the earlier session: %s", err.msg);
    }
    rc = set_cookie(r, out, SERVE_SESSION_COOKIE, token);
    if (rc == P20W_OK && serve_req_cookie(r, SERVE_PRE_COOKIE) != NULL)
        rc = set_cookie(r, out, SERVE_PRE_COOKIE, NULL);
    return rc;
}

p20w_status serve_auth_end(serve_req *r, serve_resp *out)
{
    auth_req *q = r->auth;
    p20w_err err = {0};
    p20w_status rc = P20W_OK;
    if (q->logged_in && q->ax != NULL) {
        rc = access_logout(q->ax, q->token, q->who.origin, q->now, &err);
        if (rc != P20W_OK)
            log_error("serve: sign-out: %s", err.msg);
    }
    if (rc == P20W_OK)
        rc = set_cookie(r, out, SERVE_SESSION_COOKIE, NULL);
    q->logged_in = 0;
    sodium_memzero(q->token, sizeof q->token);
    return rc;
}

/* ---- hooks ----------------------------------------------------------------
 */

static int forwarded_https(const serve_req *r)
{
    const char *p = serve_req_header(r, "X-Forwarded-Proto");
    return p != NULL && strcmp(p, "https") == 0;
}

/* Resolves the session cookie; a cookie that names no live session is
 * deleted (access_session_check audited why it ended, if it did). */
static p20w_status resolve_session(serve_req *r, serve_resp *out)
{
    auth_req *q = r->auth;
    const char *tok = serve_req_cookie(r, SERVE_SESSION_COOKIE);
    if (tok == NULL)
        return P20W_OK;
    access_ctx *ax = NULL;
    p20w_err err = {0};
    p20w_status rc = P20W_EDENIED;
    if (serve_auth_token_well_formed(tok)) {
        rc = serve_auth_access(r, &ax, &err);
        if (rc == P20W_OK)
            rc = access_session_check(ax, tok, r->client_ip, q->now, &q->who,
                                      &err);
    }
    if (rc == P20W_OK) {
        q->logged_in = 1;
        snprintf(q->token, sizeof q->token, "%s", tok);
        return P20W_OK;
    }
    if (rc != P20W_EDENIED) {
        log_error("serve: session check: %s", err.msg);
        return rc;
    }
    access_principal_public(&q->who, r->client_ip);
    return set_cookie(r, out, SERVE_SESSION_COOKIE, NULL);
}

static p20w_status check_csrf(serve_req *r, serve_resp *out, int *done)
{
    auth_req *q = r->auth;
    const char *given = serve_req_form(r, SERVE_CSRF_FIELD);
    int ok;
    if (strcmp(r->path, "/login") == 0)
        ok = serve_auth_csrf_ok(app_state(r)->keys, 'p',
                                serve_req_cookie(r, SERVE_PRE_COOKIE), given);
    else
        ok = q->logged_in &&
             serve_auth_csrf_ok(app_state(r)->keys, 's', q->token, given);
    if (ok)
        return P20W_OK;
    char what[160];
    snprintf(what, sizeof what, "form POST %.120s", r->path);
    p20w_status rc = serve_auth_audit_denied(
        r, what,
        given == NULL || given[0] == '\0'
            ? "missing CSRF token"
            : (q->logged_in || strcmp(r->path, "/login") == 0
                   ? "wrong CSRF token"
                   : "CSRF token without a session (signed out or ended)"));
    if (rc != P20W_OK)
        return rc;
    *done = 1;
    return serve_auth_forbidden(
        r, out,
        _("This form has expired or did not come from this site. Go back, "
          "reload the page and try again."),
        NULL);
}

static p20w_status before(serve_req *r, serve_resp *out, int *done)
{
    *done = 0;
    auth_req *q = p20w_calloc(1, sizeof *q);
    if (q == NULL)
        return P20W_ENOMEM;
    r->auth = q;
    q->now = serve_auth_now();
    q->secure = forwarded_https(r);
    access_principal_public(&q->who, r->client_ip);
    p20w_status rc = resolve_session(r, out);
    if (rc == P20W_OK && strcmp(r->method, "POST") == 0 &&
        strncmp(r->path, "/api/", 5) != 0)
        rc = check_csrf(r, out, done);
    return rc;
}

static void after(serve_req *r)
{
    auth_req *q = r->auth;
    if (q == NULL)
        return;
    access_close(q->ax);
    sodium_memzero(q, sizeof *q);
    p20w_free(q);
    r->auth = NULL;
}

static p20w_status header(const serve_req *r, sbuf *b)
{
    const auth_req *q = r->auth;
    p20w_status rc;
    if (q == NULL || !q->logged_in) {
        rc = sbuf_puts(b, "<p class=\"account\"><a href=\"");
        if (rc == P20W_OK)
            rc = serve_html_href(b, "/login", NULL, 0, r->lang);
        if (rc == P20W_OK)
            rc = sbuf_printf(b, "\">%s</a></p>\n", _("Sign in"));
        return rc;
    }
    rc = sbuf_printf(b, "<div class=\"account\"><p>%s ", _("Signed in as"));
    if (rc == P20W_OK)
        rc = serve_html_text(b, q->who.name);
    if (rc == P20W_OK)
        rc = sbuf_printf(b, " (%s) · <a href=\"",
                         _(serve_auth_role_msgid(q->who.role)));
    if (rc == P20W_OK)
        rc = serve_html_href(b, "/me", NULL, 0, r->lang);
    if (rc == P20W_OK)
        rc = sbuf_printf(b, "\">%s</a></p>\n", _("My pages"));
    if (rc == P20W_OK)
        rc = serve_auth_form(r, b, "/logout");
    if (rc == P20W_OK)
        rc = sbuf_printf(b,
                         "<button type=\"submit\">%s</button>\n</form>\n"
                         "</div>\n",
                         _("Sign out"));
    return rc;
}

const char *serve_auth_role_msgid(access_role role)
{
    switch (role) {
    case ACCESS_ROLE_PRACTITIONER:
        return N_("practitioner");
    case ACCESS_ROLE_RESEARCHER:
        return N_("researcher");
    case ACCESS_ROLE_STEWARD:
        return N_("data steward");
    case ACCESS_ROLE_ADMIN:
        return N_("administrator");
    default:
        return N_("public visitor");
    }
}

/* Makes sure the audit key is there before the first sign-in: created
 * while the audit log is empty, as the first command writing the log
 * does; refused (sign-in off) when the log has records and the key is
 * gone. */
static void check_key(auth_app *g, const char *db)
{
    p20w_err err = {0};
    store *st = NULL;
    access_ctx *ax = NULL;
    access_options o;
    p20w_status rc = access_key_path(db, g->key_path, sizeof g->key_path, &err);
    if (rc == P20W_OK)
        rc = store_open(db, 0, &st, NULL, &err);
    if (rc == P20W_OK) {
        access_options_init(&o);
        o.key_path = g->key_path;
        o.create_key = 1;
        rc = access_open(st, &o, &ax, &err);
    }
    access_close(ax);
    store_close(st);
    g->ready = rc == P20W_OK;
    if (!g->ready)
        log_warn("serve: signing in is off: %s", err.msg);
}

static void free_ctx(void *ctx)
{
    auth_app *g = ctx;
    if (g == NULL)
        return;
    serve_auth_free(g->keys);
    p20w_free(g);
}

p20w_status serve_auth_routes(serve_app *app, p20w_err *err)
{
    auth_app *g = p20w_calloc(1, sizeof *g);
    if (g == NULL)
        return p20w_err_set(err, P20W_ENOMEM, "out of memory");
    const char *sec = getenv("P20W_COOKIE_SECURE");
    p20w_status rc =
        serve_auth_new(sec != NULL && strcmp(sec, "1") == 0, &g->keys, err);
    if (rc != P20W_OK) {
        p20w_free(g);
        return rc;
    }
    check_key(g, serve_app_db_path(app));
    serve_hooks h = {before, after, header, g, free_ctx};
    serve_app_set_hooks(app, &h);
    rc = serve_views_login_routes(app, err);
    if (rc == P20W_OK)
        rc = serve_views_practitioner_routes(app, err);
    if (rc == P20W_OK)
        rc = serve_views_steward_routes(app, err);
    if (rc == P20W_OK)
        rc = serve_views_researcher_routes(app, err);
    if (rc == P20W_OK)
        rc = serve_views_admin_routes(app, err);
    return rc;
}
