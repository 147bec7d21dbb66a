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
#include <string.h>

#include <sodium.h>

#include "serve/auth.h"
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
