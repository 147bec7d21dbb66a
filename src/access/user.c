/*
 * user.c — accounts: adding, disabling and re-enabling, new passwords.
 *
 * Every change is audited as an admin change in the same transaction as
 * the change itself, so there is never a change without its record. The
 * password is hashed (Argon2id, password.c) before the transaction starts,
 * so the database's write lock is not held for the hash's 19 MiB and
 * tens of milliseconds; it is wiped by the caller, never stored.
 */
#include <stdio.h>
#include <string.h>

#include "access/accessInt.h"
#include "dict/dict.h"
#include "util/sbuf.h"

/* 1..ACCESS_NAME_MAX of letters, digits, '.', '_', '@', '-', starting
 * with a letter or digit: names appear in the audit log and in URLs. */
static int valid_name(const char *s)
{
    size_t n = s ? strlen(s) : 0;
    if (n == 0 || n > ACCESS_NAME_MAX)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        int alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                    (c >= '0' && c <= '9');
        if (!alnum && (i == 0 || strchr("._@-", c) == NULL))
            return 0;
    }
    return 1;
}

/* An agency is one the dictionary names as an extract's owner, or one
 * that has made a submission (ingest --agency). */
static p20w_status valid_agency(access_ctx *ax, const char *agency, int *ok,
                                p20w_err *err)
{
    *ok = 0;
    for (size_t i = 0; i < dict_extract_count(); i++)
        if (strcmp(dict_extract_at(i)->agency, agency) == 0)
            *ok = 1;
    if (*ok)
        return P20W_OK;
    store_stmt *q = NULL;
    int row = 0;
    p20w_status rc = store_prepare(
        ax->st, "SELECT 1 FROM submissions WHERE agency = ? LIMIT 1", &q, err);
    if (rc == P20W_OK)
        rc = store_bind_text(q, 1, agency, (size_t)-1, err);
    if (rc == P20W_OK)
        rc = store_step(q, &row, err);
    store_finalize(q);
    *ok = row;
    return rc;
}

static p20w_status dsa_exists(access_ctx *ax, int64_t id, int *found,
                              p20w_err *err)
{
    store_stmt *q = NULL;
    int row = 0;
    p20w_status rc =
        store_prepare(ax->st, "SELECT 1 FROM dsas WHERE dsa_id = ?", &q, err);
    if (rc == P20W_OK)
        rc = store_bind_int64(q, 1, id, err);
    if (rc == P20W_OK)
        rc = store_step(q, &row, err);
    store_finalize(q);
    *found = row;
    return rc;
}

static p20w_status check_spec(access_ctx *ax, const access_user_spec *s,
                              p20w_err *err)
{
    if (!valid_name(s->name))
        return p20w_err_set(err, P20W_EINVAL,
                            "a user name is 1 to %d letters, digits, '.', "
                            "'_', '@' or '-', starting with a letter or digit",
                            ACCESS_NAME_MAX);
    if (s->role <= ACCESS_ROLE_PUBLIC || s->role >= ACCESS_ROLE_COUNT)
        return p20w_err_set(err, P20W_EINVAL,
                            "role is practitioner, researcher, steward or "
                            "admin");
    int prac = s->role == ACCESS_ROLE_PRACTITIONER;
    int stew = s->role == ACCESS_ROLE_STEWARD;
    int res = s->role == ACCESS_ROLE_RESEARCHER;
    if (prac != (s->nscopes > 0))
        return p20w_err_set(err, P20W_EINVAL,
                            prac ? "a practitioner needs at least one scope "
                                   "(school:ID, district:ID, institution:ID)"
                                 : "only practitioners have scopes");
    if (s->nscopes > ACCESS_SCOPES_MAX)
        return p20w_err_set(err, P20W_ELIMIT, "more than %d scopes",
                            ACCESS_SCOPES_MAX);
    int has_agency = s->agency != NULL && s->agency[0] != '\0';
    if (stew != has_agency)
        return p20w_err_set(err, P20W_EINVAL,
                            stew ? "a steward needs an agency"
                                 : "only stewards have an agency");
    if (res != (s->dsa_id > 0))
        return p20w_err_set(err, P20W_EINVAL,
                            res ? "a researcher needs a data-sharing "
                                  "agreement"
                                : "only researchers have an agreement");
    p20w_status rc = P20W_OK;
    if (stew) {
        int ok = 0;
        if (strlen(s->agency) > ACCESS_ID_MAX)
            return p20w_err_set(err, P20W_ELIMIT,
                                "agency longer than %d "
                                "bytes",
                                ACCESS_ID_MAX);
        rc = valid_agency(ax, s->agency, &ok, err);
        if (rc == P20W_OK && !ok)
            rc = p20w_err_set(err, P20W_EINVAL,
                              "unknown agency (the dictionary's are SEA, "
                              "higher-education agency, labor agency, "
                              "motor-vehicle agency)");
    }
    if (res && rc == P20W_OK) {
        int found = 0;
        rc = dsa_exists(ax, s->dsa_id, &found, err);
        if (rc == P20W_OK && !found)
            rc = p20w_err_set(err, P20W_ENOTFOUND,
                              "no data-sharing agreement %lld",
                              (long long)s->dsa_id);
    }
    return rc;
}

static p20w_status user_exists(access_ctx *ax, const char *name,
                               int64_t *user_id, p20w_err *err)
{
    store_stmt *q = NULL;
    int row = 0;
    *user_id = 0;
    p20w_status rc = store_prepare(
        ax->st, "SELECT user_id FROM users WHERE name = ?", &q, err);
    if (rc == P20W_OK)
        rc = store_bind_text(q, 1, name, (size_t)-1, err);
    if (rc == P20W_OK)
        rc = store_step(q, &row, err);
    if (rc == P20W_OK && row)
        *user_id = store_column_int64(q, 0);
    store_finalize(q);
    return rc;
}

typedef struct add_arg {
    const access_user_spec *s;
    const char *hash;
    const char *actor, *origin;
    int64_t now;
    int64_t user_id;
} add_arg;

static p20w_status describe_user(const access_user_spec *s, sbuf *why)
{
    p20w_status rc = sbuf_printf(why, "added as %s", access_role_name(s->role));
    if (rc == P20W_OK && s->role == ACCESS_ROLE_STEWARD)
        rc = sbuf_printf(why, " of %s", s->agency);
    if (rc == P20W_OK && s->role == ACCESS_ROLE_RESEARCHER)
        rc = sbuf_printf(why, " under agreement %lld", (long long)s->dsa_id);
    for (size_t i = 0; rc == P20W_OK && i < s->nscopes; i++)
        rc = sbuf_printf(why, "%s%s:%s", i ? ", " : " for ",
                         access_scope_kind_name(s->scopes[i].kind),
                         s->scopes[i].id);
    return rc;
}

static p20w_status add_fn(access_ctx *ax, void *arg, p20w_err *err)
{
    add_arg *a = arg;
    const access_user_spec *s = a->s;
    char ts[32], resource[ACCESS_NAME_MAX + 8];
    store_stmt *q = NULL;
    sbuf why;
    sbuf_init(&why, 4096);
    int64_t existing = 0;
    p20w_status rc = user_exists(ax, s->name, &existing, err);
    if (rc == P20W_OK && existing)
        rc = p20w_err_set(err, P20W_EINVAL, "user %s already exists", s->name);
    if (rc != P20W_OK)
        goto out;
    access_time_format(a->now, ts);
    rc = store_prepare(ax->st,
                       "INSERT INTO users (name, role, pw_hash, agency, "
                       "dsa_id, created_at, pw_changed_at) VALUES "
                       "(?, ?, ?, ?, ?, ?, ?)",
                       &q, err);
    if (rc == P20W_OK)
        rc = store_bind_text(q, 1, s->name, (size_t)-1, err);
    if (rc == P20W_OK)
        rc = store_bind_text(q, 2, access_role_name(s->role), (size_t)-1, err);
    if (rc == P20W_OK)
        rc = store_bind_text(q, 3, a->hash, (size_t)-1, err);
    if (rc == P20W_OK)
        rc = store_bind_text(q, 4,
                             s->role == ACCESS_ROLE_STEWARD ? s->agency : NULL,
                             (size_t)-1, err);
    if (rc == P20W_OK)
        rc = s->role == ACCESS_ROLE_RESEARCHER
                 ? store_bind_int64(q, 5, s->dsa_id, err)
                 : store_bind_null(q, 5, err);
    if (rc == P20W_OK)
        rc = store_bind_text(q, 6, ts, (size_t)-1, err);
    if (rc == P20W_OK)
        rc = store_bind_text(q, 7, ts, (size_t)-1, err);
    if (rc == P20W_OK)
        rc = access_step_done(q, err);
    store_finalize(q);
    q = NULL;
    if (rc != P20W_OK)
        goto out;
    a->user_id = store_last_insert_id(ax->st);
    rc = store_prepare(ax->st,
                       "INSERT OR IGNORE INTO user_scopes (user_id, kind, "
                       "scope_id) VALUES (?, ?, ?)",
                       &q, err);
    for (size_t i = 0; rc == P20W_OK && i < s->nscopes; i++) {
        store_reset(q);
        rc = store_bind_int64(q, 1, a->user_id, err);
        if (rc == P20W_OK)
            rc =
                store_bind_text(q, 2, access_scope_kind_name(s->scopes[i].kind),
                                (size_t)-1, err);
        if (rc == P20W_OK)
            rc = store_bind_text(q, 3, s->scopes[i].id, (size_t)-1, err);
        if (rc == P20W_OK)
            rc = access_step_done(q, err);
    }
    if (rc == P20W_OK && describe_user(s, &why) != P20W_OK)
        rc = p20w_err_set(err, P20W_ENOMEM, "out of memory");
    if (rc == P20W_OK) {
        snprintf(resource, sizeof resource, "user %s", s->name);
        access_audit_entry e = {a->actor, ACCESS_EV_ADMIN, resource,
                                "ok",     sbuf_cstr(&why), a->origin};
        rc = access_audit_append_locked(ax, &e, a->now, NULL, err);
    }
out:
    store_finalize(q);
    sbuf_free(&why);
    return rc;
}

p20w_status access_user_add(access_ctx *ax, const access_user_spec *spec,
                            const char *actor, const char *origin, int64_t now,
                            int64_t *user_id, p20w_err *err)
{
    char hash[crypto_pwhash_STRBYTES];
    p20w_status rc = check_spec(ax, spec, err);
    if (rc == P20W_OK)
        rc = access_password_check(ax, spec->name, spec->password, err);
    if (rc == P20W_OK)
        rc = access_hash_password(spec->password, hash, err);
    if (rc != P20W_OK)
        return rc;
    add_arg a = {spec, hash, actor, origin, now, 0};
    rc = access_in_txn(ax, add_fn, &a, err);
    if (rc == P20W_OK && user_id != NULL)
        *user_id = a.user_id;
    return rc;
}

/* ---- changes to an existing account -------------------------------------- */

p20w_status access_end_sessions(access_ctx *ax, int64_t user_id, p20w_err *err)
{
    store_stmt *q = NULL;
    p20w_status rc = store_prepare(
        ax->st, "DELETE FROM sessions WHERE user_id = ?", &q, err);
    if (rc == P20W_OK)
        rc = store_bind_int64(q, 1, user_id, err);
    if (rc == P20W_OK)
        rc = access_step_done(q, err);
    store_finalize(q);
    return rc;
}

typedef struct change_arg {
    const char *name;
    const char *sql;  /* UPDATE ... WHERE user_id = ?1-last */
    const char *text; /* bound first when not NULL (a hash) */
    int end_sessions;
    const char *why;
    const char *actor, *origin;
    int64_t now;
} change_arg;

static p20w_status change_fn(access_ctx *ax, void *arg, p20w_err *err)
{
    change_arg *a = arg;
    int64_t id = 0;
    char ts[32], resource[ACCESS_NAME_MAX + 8];
    store_stmt *q = NULL;
    int idx = 1;
    p20w_status rc = user_exists(ax, a->name, &id, err);
    if (rc == P20W_OK && id == 0)
        rc = p20w_err_set(err, P20W_ENOTFOUND, "no user %s", a->name);
    if (rc != P20W_OK)
        return rc;
    access_time_format(a->now, ts);
    rc = store_prepare(ax->st, a->sql, &q, err);
    if (rc == P20W_OK && a->text != NULL)
        rc = store_bind_text(q, idx++, a->text, (size_t)-1, err);
    if (rc == P20W_OK && a->text != NULL)
        rc = store_bind_text(q, idx++, ts, (size_t)-1, err);
    if (rc == P20W_OK)
        rc = store_bind_int64(q, idx, id, err);
    if (rc == P20W_OK)
        rc = access_step_done(q, err);
    store_finalize(q);
    if (rc == P20W_OK && a->end_sessions)
        rc = access_end_sessions(ax, id, err);
    if (rc == P20W_OK) {
        snprintf(resource, sizeof resource, "user %s", a->name);
        access_audit_entry e = {a->actor, ACCESS_EV_ADMIN, resource,
                                "ok",     a->why,          a->origin};
        rc = access_audit_append_locked(ax, &e, a->now, NULL, err);
    }
    return rc;
}

p20w_status access_user_set_active(access_ctx *ax, const char *name, int active,
                                   const char *actor, const char *origin,
                                   int64_t now, p20w_err *err)
{
    change_arg a = {
        name,
        active ? "UPDATE users SET status = 'active', failed_logins = 0, "
                 "failed_since = NULL, locked_until = NULL WHERE user_id = ?"
               : "UPDATE users SET status = 'disabled' WHERE user_id = ?",
        NULL,
        !active,
        active ? "enabled (any lockout cleared)"
               : "disabled; its sessions ended",
        actor,
        origin,
        now};
    return access_in_txn(ax, change_fn, &a, err);
}

p20w_status access_user_set_password(access_ctx *ax, const char *name,
                                     const char *password, const char *actor,
                                     const char *origin, int64_t now,
                                     p20w_err *err)
{
    char hash[crypto_pwhash_STRBYTES];
    p20w_status rc = access_password_check(ax, name, password, err);
    if (rc == P20W_OK)
        rc = access_hash_password(password, hash, err);
    if (rc != P20W_OK)
        return rc;
    change_arg a = {name,
                    "UPDATE users SET pw_hash = ?, pw_changed_at = ?, "
                    "failed_logins = 0, failed_since = NULL, locked_until = "
                    "NULL WHERE user_id = ?",
                    hash,
                    1,
                    "password changed; its sessions ended",
                    actor,
                    origin,
                    now};
    return access_in_txn(ax, change_fn, &a, err);
}
