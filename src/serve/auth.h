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

#include "util/error.h"

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

#endif
