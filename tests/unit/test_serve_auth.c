/*
 * test_serve_auth.c — the web server's session helpers (serve/auth.h):
 * cookie parsing and Set-Cookie attributes, CSRF tokens (bound to their
 * session, wrong or malformed ones refused) and learner handles (opaque,
 * stable within a session, void in any other session, forged or cut ones
 * refused). The pages themselves are tested through HTTP (case 0810).
 */
#include "testutil.h"

#include "serve/auth.h"

static const char tok_a[] =
    "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
static const char tok_b[] =
    "fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210";

static serve_auth *make(int secure)
{
    serve_auth *a = NULL;
    p20w_err err = {0};
    assert_int_equal(serve_auth_new(secure, &a, &err), P20W_OK);
    return a;
}

static void test_cookie_get(void **state)
{
    (void)state;
    char v[80];
    assert_true(
        serve_auth_cookie_get("p20w_session=abc", "p20w_session", v, sizeof v));
    assert_string_equal(v, "abc");
    assert_true(serve_auth_cookie_get("x=1; p20w_pre=zz ;p20w_session=q",
                                      "p20w_session", v, sizeof v));
    assert_string_equal(v, "q");
    assert_true(
        serve_auth_cookie_get("x=1; p20w_pre=zz ; y=2", "p20w_pre", v, 80));
    assert_string_equal(v, "zz");
    /* a longer name with the same prefix is another cookie */
    assert_false(serve_auth_cookie_get("p20w_session_old=abc", "p20w_session",
                                       v, sizeof v));
    assert_string_equal(v, "");
    assert_false(serve_auth_cookie_get(NULL, "p20w_session", v, sizeof v));
    assert_false(serve_auth_cookie_get("", "p20w_session", v, sizeof v));
    assert_false(serve_auth_cookie_get(";;;", "p20w_session", v, sizeof v));
    /* too long for the buffer: not found, not truncated */
    assert_false(serve_auth_cookie_get("a=0123456789", "a", v, 5));
    assert_string_equal(v, "");
    assert_true(serve_auth_cookie_get("a=", "a", v, sizeof v));
    assert_string_equal(v, "");
}

static void test_set_cookie(void **state)
{
    (void)state;
    char c[SERVE_SET_COOKIE_MAX];
    serve_auth *a = make(0), *s = make(1);
    serve_auth_set_cookie(a, SERVE_SESSION_COOKIE, tok_a, c);
    assert_non_null(strstr(c, "p20w_session=0123"));
    assert_non_null(strstr(c, "; Path=/"));
    assert_non_null(strstr(c, "; HttpOnly"));
    assert_non_null(strstr(c, "SameSite=Strict"));
    assert_null(strstr(c, "Secure;"));
    assert_null(strstr(c, "; Secure"));
    assert_null(strstr(c, "Max-Age"));
    serve_auth_set_cookie(s, SERVE_SESSION_COOKIE, tok_a, c);
    assert_non_null(strstr(c, "; Secure"));
    serve_auth_set_cookie(s, SERVE_SESSION_COOKIE, NULL, c);
    assert_non_null(strstr(c, "p20w_session=;"));
    assert_non_null(strstr(c, "Max-Age=0"));
    assert_non_null(strstr(c, "HttpOnly"));
    serve_auth_free(a);
    serve_auth_free(s);
}

static void test_token_form(void **state)
{
    (void)state;
    char pre[SERVE_PRE_LEN + 1], pre2[SERVE_PRE_LEN + 1];
    assert_true(serve_auth_token_well_formed(tok_a));
    assert_false(serve_auth_token_well_formed(NULL));
    assert_false(serve_auth_token_well_formed(""));
    assert_false(serve_auth_token_well_formed(
        "0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef"));
    assert_false(serve_auth_token_well_formed(
        "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde"));
    serve_auth_pre_new(pre);
    serve_auth_pre_new(pre2);
    assert_true(serve_auth_token_well_formed(pre));
    assert_string_not_equal(pre, pre2);
}

static void test_csrf(void **state)
{
    (void)state;
    serve_auth *a = make(0), *other = make(0);
    char t[SERVE_CSRF_LEN + 1], t2[SERVE_CSRF_LEN + 1];
    serve_auth_csrf(a, 's', tok_a, t);
    assert_int_equal(strlen(t), SERVE_CSRF_LEN);
    assert_true(serve_auth_csrf_ok(a, 's', tok_a, t));
    /* stable for the session */
    serve_auth_csrf(a, 's', tok_a, t2);
    assert_string_equal(t, t2);
    /* another session, another kind, another server key */
    assert_false(serve_auth_csrf_ok(a, 's', tok_b, t));
    assert_false(serve_auth_csrf_ok(a, 'p', tok_a, t));
    assert_false(serve_auth_csrf_ok(other, 's', tok_a, t));
    /* the session token itself is not a CSRF token */
    assert_false(serve_auth_csrf_ok(a, 's', tok_a, tok_a));
    /* one digit changed, cut, empty, missing */
    t2[10] = t2[10] == '0' ? '1' : '0';
    assert_false(serve_auth_csrf_ok(a, 's', tok_a, t2));
    t2[10] = t[10];
    t2[SERVE_CSRF_LEN - 1] = '\0';
    assert_false(serve_auth_csrf_ok(a, 's', tok_a, t2));
    assert_false(serve_auth_csrf_ok(a, 's', tok_a, ""));
    assert_false(serve_auth_csrf_ok(a, 's', tok_a, NULL));
    assert_false(serve_auth_csrf_ok(a, 's', NULL, t));
    assert_false(serve_auth_csrf_ok(a, 's', "short", t));
    serve_auth_free(a);
    serve_auth_free(other);
}

static void test_handles(void **state)
{
    (void)state;
    serve_auth *a = make(0), *other = make(0);
    char h[SERVE_HANDLE_LEN + 1], h2[SERVE_HANDLE_LEN + 1];
    int64_t id = -1;
    serve_auth_handle(a, tok_a, 4217, h);
    assert_int_equal(strlen(h), SERVE_HANDLE_LEN);
    /* URL-safe: letters, digits, '-' and '_' only; no trace of the id */
    for (const char *p = h; *p; p++)
        assert_non_null(strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopq"
                               "rstuvwxyz0123456789-_",
                               *p));
    assert_null(strstr(h, "4217"));
    assert_true(serve_auth_handle_open(a, tok_a, h, &id));
    assert_int_equal(id, 4217);
    serve_auth_handle(a, tok_a, 4217, h2);
    assert_string_equal(h, h2);
    serve_auth_handle(a, tok_a, 4218, h2);
    assert_string_not_equal(h, h2);
    /* another session or server: nothing */
    assert_false(serve_auth_handle_open(a, tok_b, h, &id));
    assert_int_equal(id, 0);
    assert_false(serve_auth_handle_open(other, tok_a, h, &id));
    serve_auth_handle(a, tok_b, 4217, h2);
    assert_string_not_equal(h, h2);
    /* changed, cut, padded, junk */
    memcpy(h2, h, sizeof h);
    h2[40] = h2[40] == 'A' ? 'B' : 'A';
    assert_false(serve_auth_handle_open(a, tok_a, h2, &id));
    memcpy(h2, h, sizeof h);
    h2[SERVE_HANDLE_LEN - 1] = '\0';
    assert_false(serve_auth_handle_open(a, tok_a, h2, &id));
    assert_false(serve_auth_handle_open(a, tok_a, "", &id));
    assert_false(serve_auth_handle_open(a, tok_a, NULL, &id));
    assert_false(serve_auth_handle_open(
        a, tok_a,
        "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!",
        &id));
    assert_false(serve_auth_handle_open(a, NULL, h, &id));
    serve_auth_free(a);
    serve_auth_free(other);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cookie_get), cmocka_unit_test(test_set_cookie),
        cmocka_unit_test(test_token_form), cmocka_unit_test(test_csrf),
        cmocka_unit_test(test_handles),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
