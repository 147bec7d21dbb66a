/*
 * session.c — login, sessions, logout, lockout.
 *
 * A session token is 32 bytes from the OS CSPRNG (randombytes_buf) shown
 * as 64 hex digits; the sessions table keeps only its SHA-256, so a copy
 * of the database lets nobody take over a session. A session ends after
 * idle_timeout_s without a request or absolute_timeout_s after login,
 * whichever comes first, and at the next request once its account is
 * disabled. last_seen_at is written at most once a minute (a write per
 * request would serialize readers on the write lock), so the idle timeout
 * is exact to within that minute.
 *
 * No user enumeration: a login for a name that does not exist runs the
 * same Argon2id verification, against dummy_hash (same parameters, a
 * random password nobody knows), and every refusal — unknown name, wrong
 * password, disabled, locked — returns the same error and message. Only
 * the audit log tells them apart. A locked or disabled account's password
 * is still verified, so timing does not tell those states either.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "access/accessInt.h"

/* crypto_pwhash_str() of 48 random hex digits, thrown away, with
 * ACCESS_PWHASH_OPSLIMIT and ACCESS_PWHASH_MEMLIMIT (test_access checks
 * that these parameters still match). */
static const char dummy_hash[] =
    "$argon2id$v=19$m=19456,t=2,p=1$qVAvfrrc7h2wMMtgEevK2w$"
    "SMmBf8C7Y1VZfBA2jmeREMtHkDzniYQ7XGxePE84IeY";

const char *access_dummy_hash(void)
{
    return dummy_hash;
}

static const char denied_msg[] =
    "login failed: wrong user name or password, or the account is locked "
    "or disabled";

/* The stored form of a token: hex SHA-256 of its text. */
static void token_hash(const char *token, char out[65])
{
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, (const unsigned char *)token, strlen(token));
    sodium_bin2hex(out, 65, h, sizeof h);
}

static int token_well_formed(const char *t)
{
    if (t == NULL || strlen(t) != ACCESS_TOKEN_LEN)
        return 0;
    for (size_t i = 0; i < ACCESS_TOKEN_LEN; i++)
        if (!((t[i] >= '0' && t[i] <= '9') || (t[i] >= 'a' && t[i] <= 'f')))
            return 0;
    return 1;
}

static int64_t time_or(const char *s, int64_t dflt)
{
    int64_t t = 0;
    return s != NULL && access_time_parse(s, &t) == P20W_OK ? t : dflt;
}

/* ---- login --------------------------------------------------------------- */

typedef struct account {
    int found;
    int64_t user_id;
    char hash[crypto_pwhash_STRBYTES + 1];
    int active;
    int64_t failed;
    int64_t failed_since; /* -1 if none */
    int64_t locked_until; /* -1 if none */
} account;

static p20w_status find_account(access_ctx *ax, const char *name, account *a,
                                p20w_err *err)
{
    store_stmt *q = NULL;
    int row = 0;
    memset(a, 0, sizeof *a);
    p20w_status rc = store_prepare(
        ax->st,
        "SELECT user_id, pw_hash, status, failed_logins, failed_since, "
        "locked_until FROM users WHERE name = ?",
        &q, err);
    if (rc == P20W_OK)
        rc = store_bind_text(q, 1, name, (size_t)-1, err);
    if (rc == P20W_OK)
        rc = store_step(q, &row, err);
    if (rc == P20W_OK && row) {
        a->found = 1;
        a->user_id = store_column_int64(q, 0);
        snprintf(a->hash, sizeof a->hash, "%s", store_column_text(q, 1));
        a->active = strcmp(store_column_text(q, 2), "active") == 0;
        a->failed = store_column_int64(q, 3);
        a->failed_since = time_or(store_column_text(q, 4), -1);
        a->locked_until = time_or(store_column_text(q, 5), -1);
    }
    store_finalize(q);
    return rc;
}

typedef struct login_arg {
    const char *name;
    const char *origin;
    int64_t now;
    account *a;
    int password_ok;
    int allowed; /* out */
    char token[ACCESS_TOKEN_LEN + 1];
    const char *new_hash; /* rehash with current parameters, or NULL */
} login_arg;

static p20w_status set_failures(access_ctx *ax, int64_t user_id, int64_t failed,
                                int64_t since, int64_t locked, p20w_err *err)
{
    char s_since[32], s_locked[32];
    store_stmt *q = NULL;
    if (since >= 0)
        access_time_format(since, s_since);
    if (locked >= 0)
        access_time_format(locked, s_locked);
    p20w_status rc = store_prepare(ax->st,
                                   "UPDATE users SET failed_logins = ?, "
                                   "failed_since = ?, locked_until = ? "
                                   "WHERE user_id = ?",
                                   &q, err);
    if (rc == P20W_OK)
        rc = store_bind_int64(q, 1, failed, err);
    if (rc == P20W_OK)
        rc =
            store_bind_text(q, 2, since >= 0 ? s_since : NULL, (size_t)-1, err);
    if (rc == P20W_OK)
        rc = store_bind_text(q, 3, locked >= 0 ? s_locked : NULL, (size_t)-1,
                             err);
    if (rc == P20W_OK)
        rc = store_bind_int64(q, 4, user_id, err);
    if (rc == P20W_OK)
        rc = access_step_done(q, err);
    store_finalize(q);
    return rc;
}

static p20w_status start_session(access_ctx *ax, login_arg *l, p20w_err *err)
{
    unsigned char raw[ACCESS_TOKEN_LEN / 2];
    char hash[65], ts[32];
    store_stmt *q = NULL;
    randombytes_buf(raw, sizeof raw);
    sodium_bin2hex(l->token, sizeof l->token, raw, sizeof raw);
    sodium_memzero(raw, sizeof raw);
    token_hash(l->token, hash);
    access_time_format(l->now, ts);
    p20w_status rc = store_prepare(ax->st,
                                   "INSERT INTO sessions (token_hash, "
                                   "user_id, created_at, last_seen_at, "
                                   "origin) VALUES (?, ?, ?, ?, ?)",
                                   &q, err);
    if (rc == P20W_OK)
        rc = store_bind_text(q, 1, hash, 64, err);
    if (rc == P20W_OK)
        rc = store_bind_int64(q, 2, l->a->user_id, err);
    if (rc == P20W_OK)
        rc = store_bind_text(q, 3, ts, (size_t)-1, err);
    if (rc == P20W_OK)
        rc = store_bind_text(q, 4, ts, (size_t)-1, err);
    if (rc == P20W_OK)
        rc = store_bind_text(q, 5, l->origin, (size_t)-1, err);
    if (rc == P20W_OK)
        rc = access_step_done(q, err);
    store_finalize(q);
    if (rc == P20W_OK && l->new_hash != NULL) {
        q = NULL;
        rc = store_prepare(
            ax->st, "UPDATE users SET pw_hash = ? WHERE user_id = ?", &q, err);
        if (rc == P20W_OK)
            rc = store_bind_text(q, 1, l->new_hash, (size_t)-1, err);
        if (rc == P20W_OK)
            rc = store_bind_int64(q, 2, l->a->user_id, err);
        if (rc == P20W_OK)
            rc = access_step_done(q, err);
        store_finalize(q);
    }
    return rc;
}

static p20w_status login_fn(access_ctx *ax, void *arg, p20w_err *err)
{
    login_arg *l = arg;
    account *a = l->a;
    const access_options *o = &ax->opt;
    char why[160], until[32];
    p20w_status rc = P20W_OK;
    access_event ev = ACCESS_EV_LOGIN_FAILED;
    const char *actor = a->found ? l->name : "(unknown user)";
    l->allowed = 0;
    if (!a->found) {
        snprintf(why, sizeof why, "unknown user name");
    } else if (!a->active) {
        snprintf(why, sizeof why, "account disabled");
    } else if (a->locked_until > l->now) {
        access_time_format(a->locked_until, until);
        snprintf(why, sizeof why, "account locked until %s", until);
    } else if (!l->password_ok) {
        int64_t failed = a->failed + 1, since = a->failed_since;
        if (since < 0 || l->now - since >= o->failure_window_s) {
            failed = 1;
            since = l->now;
        }
        if (failed >= o->max_failures) {
            int64_t locked = l->now + o->lockout_s;
            access_time_format(locked, until);
            snprintf(why, sizeof why,
                     "wrong password (%" PRId64 " in a row): locked until %s",
                     failed, until);
            rc = set_failures(ax, a->user_id, 0, -1, locked, err);
        } else {
            snprintf(why, sizeof why, "wrong password (%" PRId64 " of %d)",
                     failed, o->max_failures);
            rc = set_failures(ax, a->user_id, failed, since, -1, err);
        }
    } else {
        rc = set_failures(ax, a->user_id, 0, -1, -1, err);
        if (rc == P20W_OK)
            rc = start_session(ax, l, err);
        ev = ACCESS_EV_LOGIN;
        snprintf(why, sizeof why, "password");
        l->allowed = 1;
    }
    if (rc == P20W_OK) {
        access_audit_entry e = {
            actor, ev, "session", l->allowed ? "ok" : "failed", why, l->origin};
        rc = access_audit_append_locked(ax, &e, l->now, NULL, err);
    }
    return rc;
}

p20w_status access_login(access_ctx *ax, const char *name, const char *password,
                         const char *origin, int64_t now,
                         char token[ACCESS_TOKEN_LEN + 1], p20w_err *err)
{
    account a;
    char new_hash[crypto_pwhash_STRBYTES];
    char org[ACCESS_ORIGIN_MAX + 1];
    token[0] = '\0';
    snprintf(org, sizeof org, "%s", origin ? origin : "");
    size_t pw_len = password ? strlen(password) : 0;
    if (pw_len > ACCESS_PASSWORD_MAX)
        pw_len = ACCESS_PASSWORD_MAX;
    int name_ok = name != NULL && strlen(name) <= ACCESS_NAME_MAX;
    p20w_status rc = P20W_OK;
    memset(&a, 0, sizeof a);
    if (name_ok)
        rc = find_account(ax, name, &a, err);
    if (rc != P20W_OK)
        return rc;
    /* The one slow step, the same for every kind of refusal. */
    const char *h = a.found ? a.hash : dummy_hash;
    int ok = crypto_pwhash_str_verify(h, password ? password : "", pw_len) == 0;
    login_arg l = {name, org, now, &a, ok && a.found, 0, "", NULL};
    if (l.password_ok && a.active && a.locked_until <= now &&
        crypto_pwhash_str_needs_rehash(a.hash, ACCESS_PWHASH_OPSLIMIT,
                                       (size_t)ACCESS_PWHASH_MEMLIMIT) != 0 &&
        access_hash_password(password, new_hash, NULL) == P20W_OK)
        l.new_hash = new_hash;
    rc = access_in_txn(ax, login_fn, &l, err);
    if (rc == P20W_OK && !l.allowed)
        rc = p20w_err_set(err, P20W_EDENIED, "%s", denied_msg);
    if (rc == P20W_OK)
        memcpy(token, l.token, sizeof l.token);
    sodium_memzero(l.token, sizeof l.token);
    return rc;
}

/* ---- sessions ------------------------------------------------------------ */

typedef struct end_arg {
    const char *hash;    /* one session, or NULL */
    int64_t all_of_user; /* every session of this user, or 0 */
    const char *actor;
    access_event event;
    const char *why;
    const char *origin;
    int64_t now;
} end_arg;

static p20w_status end_fn(access_ctx *ax, void *arg, p20w_err *err)
{
    end_arg *a = arg;
    p20w_status rc = P20W_OK;
    if (a->all_of_user > 0) {
        rc = access_end_sessions(ax, a->all_of_user, err);
    } else {
        store_stmt *q = NULL;
        rc = store_prepare(ax->st, "DELETE FROM sessions WHERE token_hash = ?",
                           &q, err);
        if (rc == P20W_OK)
            rc = store_bind_text(q, 1, a->hash, 64, err);
        if (rc == P20W_OK)
            rc = access_step_done(q, err);
        store_finalize(q);
    }
    if (rc == P20W_OK) {
        access_audit_entry e = {a->actor, a->event, "session",
                                "ok",     a->why,   a->origin};
        rc = access_audit_append_locked(ax, &e, a->now, NULL, err);
    }
    return rc;
}

static p20w_status touch(access_ctx *ax, const char *hash, int64_t now,
                         p20w_err *err)
{
    char ts[32];
    store_stmt *q = NULL;
    access_time_format(now, ts);
    p20w_status rc = store_prepare(
        ax->st, "UPDATE sessions SET last_seen_at = ? WHERE token_hash = ?", &q,
        err);
    if (rc == P20W_OK)
        rc = store_bind_text(q, 1, ts, (size_t)-1, err);
    if (rc == P20W_OK)
        rc = store_bind_text(q, 2, hash, 64, err);
    if (rc == P20W_OK)
        rc = access_step_done(q, err);
    store_finalize(q);
    return rc;
}

p20w_status access_session_check(access_ctx *ax, const char *token,
                                 const char *origin, int64_t now,
                                 access_principal *out, p20w_err *err)
{
    char hash[65], name[ACCESS_NAME_MAX + 1] = "", why[96] = "";
    store_stmt *q = NULL;
    int row = 0;
    access_principal_public(out, origin);
    if (!token_well_formed(token))
        return p20w_err_set(err, P20W_EDENIED, "no such session");
    token_hash(token, hash);
    p20w_status rc = store_prepare(ax->st,
                                   "SELECT s.user_id, s.created_at, "
                                   "s.last_seen_at, u.status, u.name FROM "
                                   "sessions s JOIN users u USING (user_id) "
                                   "WHERE s.token_hash = ?",
                                   &q, err);
    if (rc == P20W_OK)
        rc = store_bind_text(q, 1, hash, 64, err);
    if (rc == P20W_OK)
        rc = store_step(q, &row, err);
    if (rc != P20W_OK || !row) {
        store_finalize(q);
        return rc != P20W_OK
                   ? rc
                   : p20w_err_set(err, P20W_EDENIED, "no such session");
    }
    int64_t user_id = store_column_int64(q, 0);
    int64_t created = time_or(store_column_text(q, 1), 0);
    int64_t seen = time_or(store_column_text(q, 2), 0);
    int active = strcmp(store_column_text(q, 3), "active") == 0;
    snprintf(name, sizeof name, "%s", store_column_text(q, 4));
    store_finalize(q);
    end_arg e = {hash, 0, name, ACCESS_EV_SESSION_END, why, origin, now};
    if (!active) {
        e.all_of_user = user_id;
        snprintf(why, sizeof why, "account disabled");
    } else if (now - created >= ax->opt.absolute_timeout_s) {
        snprintf(why, sizeof why, "absolute timeout (%" PRId64 " min)",
                 ax->opt.absolute_timeout_s / 60);
    } else if (now - seen >= ax->opt.idle_timeout_s) {
        snprintf(why, sizeof why, "idle timeout (%" PRId64 " min)",
                 ax->opt.idle_timeout_s / 60);
    }
    if (why[0] != '\0') {
        rc = access_in_txn(ax, end_fn, &e, err);
        return rc != P20W_OK
                   ? rc
                   : p20w_err_set(err, P20W_EDENIED, "session ended: %s", why);
    }
    if (now - seen >= 60)
        rc = touch(ax, hash, now, err);
    if (rc == P20W_OK)
        rc = access_principal_load_id(ax, user_id, origin, out, err);
    if (rc == P20W_ENOTFOUND || rc == P20W_EDENIED)
        rc = p20w_err_set(err, P20W_EDENIED, "no such session");
    if (rc != P20W_OK)
        access_principal_public(out, origin);
    return rc;
}

p20w_status access_logout(access_ctx *ax, const char *token, const char *origin,
                          int64_t now, p20w_err *err)
{
    char hash[65], name[ACCESS_NAME_MAX + 1] = "";
    store_stmt *q = NULL;
    int row = 0;
    if (!token_well_formed(token))
        return P20W_OK;
    token_hash(token, hash);
    p20w_status rc = store_prepare(ax->st,
                                   "SELECT u.name FROM sessions s JOIN users "
                                   "u USING (user_id) WHERE s.token_hash = ?",
                                   &q, err);
    if (rc == P20W_OK)
        rc = store_bind_text(q, 1, hash, 64, err);
    if (rc == P20W_OK)
        rc = store_step(q, &row, err);
    if (rc == P20W_OK && row)
        snprintf(name, sizeof name, "%s", store_column_text(q, 0));
    store_finalize(q);
    if (rc != P20W_OK || !row)
        return rc;
    end_arg e = {hash, 0, name, ACCESS_EV_LOGOUT, "logged out", origin, now};
    return access_in_txn(ax, end_fn, &e, err);
}
