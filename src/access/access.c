/*
 * access.c — the governed-access context: options, the key file, names of
 * roles and kinds, principals, resources, time in seconds.
 *
 * The key file holds 32 random bytes as hex, created with mode 0600 at
 * first use next to the database ("<db>.key", or $P20W_AUDIT_KEY_FILE).
 * It is kept out of the database on purpose: whoever can run SQL on the
 * database could otherwise recompute the audit chain after editing it, or
 * the pseudonyms of an extract. Two subkeys are derived from it with
 * crypto_kdf (one for the audit chain, one for pseudonyms) so neither use
 * can be turned against the other; the master key is wiped once derived.
 * A key file readable by group or others is refused, as ssh refuses a
 * private key.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "access/accessInt.h"
#include "util/date.h"
#include "util/mem.h"

void access_options_init(access_options *o)
{
    memset(o, 0, sizeof *o);
    o->idle_timeout_s = 30 * 60;
    o->absolute_timeout_s = 8 * 60 * 60;
    o->max_failures = 5;
    o->failure_window_s = 15 * 60;
    o->lockout_s = 15 * 60;
}

p20w_status access_key_path(const char *db, char *out, size_t cap,
                            p20w_err *err)
{
    const char *env = getenv("P20W_AUDIT_KEY_FILE");
    int n;
    if (env != NULL && env[0] != '\0')
        n = snprintf(out, cap, "%s", env);
    else if (strcmp(db, ":memory:") == 0)
        return p20w_err_set(err, P20W_EUSAGE,
                            "an in-memory database needs "
                            "P20W_AUDIT_KEY_FILE for its key file");
    else
        n = snprintf(out, cap, "%s.key", db);
    if (n < 0 || (size_t)n >= cap)
        return p20w_err_set(err, P20W_ELIMIT, "key file path too long");
    return P20W_OK;
}

/* ---- the key file ------------------------------------------------------- */

static p20w_status audit_log_empty(store *st, int *empty, p20w_err *err)
{
    store_stmt *q = NULL;
    int row = 0;
    p20w_status rc =
        store_prepare(st, "SELECT 1 FROM audit_log LIMIT 1", &q, err);
    if (rc == P20W_OK)
        rc = store_step(q, &row, err);
    store_finalize(q);
    *empty = !row;
    return rc;
}

static p20w_status read_key(const char *path, unsigned char *key, p20w_err *err)
{
    char buf[2 * ACCESS_KEY_BYTES + 4];
    p20w_status rc = P20W_OK;
    int fd = open(path, O_RDONLY | O_NOFOLLOW);
    if (fd < 0) {
        if (errno == ENOENT)
            return p20w_err_set(err, P20W_ENOTFOUND,
                                "no key file %s (it is created by the first "
                                "command that writes the audit log)",
                                path);
        return p20w_err_set(err, P20W_EIO, "cannot open key file %s: %s", path,
                            strerror(errno));
    }
    struct stat sb;
    if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        rc = p20w_err_set(err, P20W_EINVAL, "key file %s is not a file", path);
        goto out;
    }
    if ((sb.st_mode & 077) != 0) {
        rc = p20w_err_set(err, P20W_EINVAL,
                          "key file %s can be read or written by others; "
                          "make it private with chmod 600",
                          path);
        goto out;
    }
    ssize_t n = read(fd, buf, sizeof buf - 1);
    if (n < 0) {
        rc = p20w_err_set(err, P20W_EIO, "cannot read key file %s", path);
        goto out;
    }
    buf[n] = '\0';
    size_t bin_len = 0;
    const char *end = NULL;
    if (sodium_hex2bin(key, ACCESS_KEY_BYTES, buf, (size_t)n, "\n", &bin_len,
                       &end) != 0 ||
        bin_len != ACCESS_KEY_BYTES || (*end != '\0' && *end != '\n'))
        rc = p20w_err_set(err, P20W_EINVAL,
                          "key file %s is not 64 hexadecimal digits", path);
out:
    sodium_memzero(buf, sizeof buf);
    close(fd);
    return rc;
}

static p20w_status create_key(const char *path, p20w_err *err)
{
    unsigned char key[ACCESS_KEY_BYTES];
    char hex[2 * ACCESS_KEY_BYTES + 2];
    p20w_status rc = P20W_OK;
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0600);
    if (fd < 0) {
        if (errno == EEXIST) /* another process won the race: use its key */
            return P20W_OK;
        return p20w_err_set(err, P20W_EIO, "cannot create key file %s: %s",
                            path, strerror(errno));
    }
    randombytes_buf(key, sizeof key);
    sodium_bin2hex(hex, sizeof hex - 1, key, sizeof key);
    size_t len = strlen(hex);
    hex[len++] = '\n';
    if (write(fd, hex, len) != (ssize_t)len || fsync(fd) != 0)
        rc = p20w_err_set(err, P20W_EIO, "cannot write key file %s", path);
    sodium_memzero(key, sizeof key);
    sodium_memzero(hex, sizeof hex);
    if (close(fd) != 0 && rc == P20W_OK)
        rc = p20w_err_set(err, P20W_EIO, "cannot write key file %s", path);
    if (rc != P20W_OK)
        unlink(path);
    return rc;
}

static p20w_status load_key(access_ctx *ax, p20w_err *err)
{
    unsigned char master[ACCESS_KEY_BYTES];
    p20w_status rc = read_key(ax->key_path, master, err);
    if (rc == P20W_ENOTFOUND && ax->opt.create_key) {
        int empty = 0;
        rc = audit_log_empty(ax->st, &empty, err);
        if (rc != P20W_OK)
            return rc;
        if (!empty)
            return p20w_err_set(err, P20W_ENOTFOUND,
                                "key file %s is missing but the audit log has "
                                "records: restore the key file (a new key "
                                "could never verify the old records)",
                                ax->key_path);
        rc = create_key(ax->key_path, err);
        if (rc == P20W_OK)
            rc = read_key(ax->key_path, master, err);
    }
    if (rc != P20W_OK)
        return rc;
    if (crypto_kdf_derive_from_key(ax->audit_key, sizeof ax->audit_key, 1,
                                   "p20waudt", master) != 0 ||
        crypto_kdf_derive_from_key(ax->pseudo_key, sizeof ax->pseudo_key, 2,
                                   "p20wpsdo", master) != 0)
        rc = p20w_err_set(err, P20W_EINTERNAL, "key derivation failed");
    sodium_memzero(master, sizeof master);
    return rc;
}

p20w_status access_open(store *st, const access_options *o, access_ctx **out,
                        p20w_err *err)
{
    *out = NULL;
    if (o->key_path == NULL || o->key_path[0] == '\0')
        return p20w_err_set(err, P20W_EUSAGE, "access needs a key file path");
    if (sodium_init() < 0)
        return p20w_err_set(err, P20W_EINTERNAL, "libsodium failed to start");
    access_ctx *ax = p20w_calloc(1, sizeof *ax);
    if (ax == NULL)
        return p20w_err_set(err, P20W_ENOMEM, "out of memory");
    p20w_status rc = P20W_OK;
    ax->st = st;
    ax->opt = *o;
    ax->key_path = p20w_strdup(o->key_path);
    ax->common_path =
        o->common_passwords ? p20w_strdup(o->common_passwords) : NULL;
    ax->opt.key_path = NULL;
    ax->opt.common_passwords = NULL;
    if (ax->key_path == NULL ||
        (o->common_passwords != NULL && ax->common_path == NULL)) {
        rc = p20w_err_set(err, P20W_ENOMEM, "out of memory");
        goto out;
    }
    rc = load_key(ax, err);
out:
    if (rc != P20W_OK) {
        access_close(ax);
        return rc;
    }
    *out = ax;
    return P20W_OK;
}

void access_close(access_ctx *ax)
{
    if (ax == NULL)
        return;
    p20w_free(ax->key_path);
    p20w_free(ax->common_path);
    hmap_free(ax->common); /* values are not pointers to anything */
    sodium_memzero(ax, sizeof *ax);
    p20w_free(ax);
}

store *access_store(access_ctx *ax)
{
    return ax->st;
}

/* ---- names --------------------------------------------------------------- */

static const char *const role_names[ACCESS_ROLE_COUNT] = {
    "public", "practitioner", "researcher", "steward", "admin"};

const char *access_role_name(access_role r)
{
    return (unsigned)r < ACCESS_ROLE_COUNT ? role_names[r] : "?";
}

int access_role_parse(const char *s)
{
    for (int i = 0; i < ACCESS_ROLE_COUNT; i++)
        if (s != NULL && strcmp(s, role_names[i]) == 0)
            return i;
    return -1;
}

static const char *const scope_names[ACCESS_SCOPE_KIND_COUNT] = {
    "school", "district", "institution"};

const char *access_scope_kind_name(access_scope_kind k)
{
    return (unsigned)k < ACCESS_SCOPE_KIND_COUNT ? scope_names[k] : "?";
}

static const char *const kind_names[ACCESS_RES_KIND_COUNT] = {
    "published table",      "aggregate",  "learner education records",
    "learner wages",        "submission", "extract",
    "users and agreements", "audit log"};

const char *access_kind_name(access_kind k)
{
    return (unsigned)k < ACCESS_RES_KIND_COUNT ? kind_names[k] : "?";
}

p20w_status access_copy_id(char *out, size_t cap, const char *s,
                           const char *what, p20w_err *err)
{
    size_t n = s ? strlen(s) : 0;
    if (n >= cap)
        return p20w_err_set(err, P20W_ELIMIT, "%s longer than %zu bytes", what,
                            cap - 1);
    memcpy(out, s ? s : "", n);
    out[n] = '\0';
    return P20W_OK;
}

p20w_status access_scope_parse(const char *s, access_scope *out, p20w_err *err)
{
    const char *colon = strchr(s, ':');
    memset(out, 0, sizeof *out);
    for (int k = 0; colon != NULL && k < ACCESS_SCOPE_KIND_COUNT; k++) {
        size_t n = strlen(scope_names[k]);
        if ((size_t)(colon - s) != n || strncmp(s, scope_names[k], n) != 0)
            continue;
        if (colon[1] == '\0')
            break;
        out->kind = (access_scope_kind)k;
        return access_copy_id(out->id, sizeof out->id, colon + 1, "scope id",
                              err);
    }
    return p20w_err_set(err, P20W_EINVAL,
                        "a scope is school:ID, district:ID or "
                        "institution:ID");
}

void access_principal_public(access_principal *p, const char *origin)
{
    memset(p, 0, sizeof *p);
    p->role = ACCESS_ROLE_PUBLIC;
    memcpy(p->name, "public", 7);
    if (origin != NULL)
        snprintf(p->origin, sizeof p->origin, "%s", origin);
}

void access_resource_init(access_resource *r, access_kind kind)
{
    memset(r, 0, sizeof *r);
    r->kind = kind;
}

p20w_status access_resource_add_scope(access_resource *r,
                                      access_scope_kind kind, const char *id,
                                      p20w_err *err)
{
    for (size_t i = 0; i < r->nscopes; i++)
        if (r->scopes[i].kind == kind && strcmp(r->scopes[i].id, id) == 0)
            return P20W_OK;
    if (r->nscopes == ACCESS_RES_SCOPES_MAX)
        return p20w_err_set(err, P20W_ELIMIT,
                            "a resource belongs to more than %d units",
                            ACCESS_RES_SCOPES_MAX);
    access_scope *s = &r->scopes[r->nscopes];
    p20w_status rc = access_copy_id(s->id, sizeof s->id, id, "scope id", err);
    if (rc != P20W_OK)
        return rc;
    s->kind = kind;
    r->nscopes++;
    return P20W_OK;
}

/* ---- principals from the store --------------------------------------------
 */

static p20w_status load_scopes(access_ctx *ax, access_principal *p,
                               p20w_err *err)
{
    store_stmt *q = NULL;
    p20w_status rc = store_prepare(ax->st,
                                   "SELECT kind, scope_id FROM user_scopes "
                                   "WHERE user_id = ? ORDER BY kind, scope_id",
                                   &q, err);
    if (rc == P20W_OK)
        rc = store_bind_int64(q, 1, p->user_id, err);
    while (rc == P20W_OK) {
        int row = 0;
        rc = store_step(q, &row, err);
        if (rc != P20W_OK || !row)
            break;
        if (p->nscopes == ACCESS_SCOPES_MAX) {
            rc = p20w_err_set(err, P20W_ELIMIT, "user has more than %d scopes",
                              ACCESS_SCOPES_MAX);
            break;
        }
        access_scope *s = &p->scopes[p->nscopes];
        const char *kind = store_column_text(q, 0);
        s->kind = strcmp(kind, "school") == 0     ? ACCESS_SCOPE_SCHOOL
                  : strcmp(kind, "district") == 0 ? ACCESS_SCOPE_DISTRICT
                                                  : ACCESS_SCOPE_INSTITUTION;
        rc = access_copy_id(s->id, sizeof s->id, store_column_text(q, 1),
                            "scope id", err);
        p->nscopes++;
    }
    store_finalize(q);
    return rc;
}

/* Fills p from the users row of user_id or name (whichever is given). */
static p20w_status load_principal(access_ctx *ax, int64_t user_id,
                                  const char *name, const char *origin,
                                  access_principal *p, p20w_err *err)
{
    store_stmt *q = NULL;
    int row = 0;
    memset(p, 0, sizeof *p);
    p20w_status rc = store_prepare(
        ax->st,
        name ? "SELECT user_id, name, role, coalesce(agency, ''), "
               "coalesce(dsa_id, 0), status FROM users WHERE name = ?"
             : "SELECT user_id, name, role, coalesce(agency, ''), "
               "coalesce(dsa_id, 0), status FROM users WHERE user_id = ?",
        &q, err);
    if (rc == P20W_OK)
        rc = name ? store_bind_text(q, 1, name, (size_t)-1, err)
                  : store_bind_int64(q, 1, user_id, err);
    if (rc == P20W_OK)
        rc = store_step(q, &row, err);
    if (rc == P20W_OK && !row)
        rc = p20w_err_set(err, P20W_ENOTFOUND, "no such user");
    if (rc == P20W_OK && strcmp(store_column_text(q, 5), "active") != 0)
        rc = p20w_err_set(err, P20W_EDENIED, "account disabled");
    if (rc == P20W_OK) {
        p->user_id = store_column_int64(q, 0);
        snprintf(p->name, sizeof p->name, "%s", store_column_text(q, 1));
        int role = access_role_parse(store_column_text(q, 2));
        p->role = role > 0 ? (access_role)role : ACCESS_ROLE_PUBLIC;
        snprintf(p->agency, sizeof p->agency, "%s", store_column_text(q, 3));
        p->dsa_id = store_column_int64(q, 4);
        if (origin != NULL)
            snprintf(p->origin, sizeof p->origin, "%s", origin);
    }
    store_finalize(q);
    if (rc == P20W_OK)
        rc = load_scopes(ax, p, err);
    if (rc != P20W_OK) {
        memset(p, 0, sizeof *p);
        p->role = ACCESS_ROLE_PUBLIC;
    }
    return rc;
}

p20w_status access_principal_load(access_ctx *ax, const char *name,
                                  const char *origin, access_principal *out,
                                  p20w_err *err)
{
    return load_principal(ax, 0, name, origin, out, err);
}

p20w_status access_principal_load_id(access_ctx *ax, int64_t user_id,
                                     const char *origin, access_principal *out,
                                     p20w_err *err)
{
    return load_principal(ax, user_id, NULL, origin, out, err);
}

/* ---- helpers ------------------------------------------------------------- */

p20w_status access_in_txn(access_ctx *ax,
                          p20w_status (*fn)(access_ctx *ax, void *arg,
                                            p20w_err *err),
                          void *arg, p20w_err *err)
{
    if (store_in_transaction(ax->st))
        return fn(ax, arg, err);
    p20w_status rc = store_begin(ax->st, err);
    if (rc != P20W_OK)
        return rc;
    rc = fn(ax, arg, err);
    if (rc == P20W_OK)
        rc = store_commit(ax->st, err);
    if (rc != P20W_OK)
        store_rollback(ax->st, NULL);
    return rc;
}

p20w_status access_step_done(store_stmt *q, p20w_err *err)
{
    int row = 0;
    p20w_status rc = store_step(q, &row, err);
    while (rc == P20W_OK && row)
        rc = store_step(q, &row, err);
    return rc;
}

int32_t access_day_of(int64_t now)
{
    int64_t d = now / 86400;
    if (now < 0 && now % 86400 != 0)
        d--;
    return (int32_t)d;
}

/* ---- time ------------------------------------------------------------------
 */

void access_time_format(int64_t t, char out[32])
{
    int32_t day = access_day_of(t);
    int64_t s = t - (int64_t)day * 86400;
    date_format(day, out);
    snprintf(out + 10, 22, "T%02d:%02d:%02dZ", (int)(s / 3600),
             (int)(s / 60 % 60), (int)(s % 60));
}

static int two_digits(const char *s, int *v)
{
    if (s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9')
        return 0;
    *v = (s[0] - '0') * 10 + (s[1] - '0');
    return 1;
}

p20w_status access_time_parse(const char *s, int64_t *t)
{
    size_t n = s ? strlen(s) : 0;
    int32_t day = 0;
    int h = 0, m = 0, sec = 0;
    if ((n != 10 && n != 20) || date_parse(s, 10, &day) != P20W_OK)
        return P20W_EFORMAT;
    if (n == 20 &&
        (s[10] != 'T' || s[13] != ':' || s[16] != ':' || s[19] != 'Z' ||
         !two_digits(s + 11, &h) || !two_digits(s + 14, &m) ||
         !two_digits(s + 17, &sec) || h > 23 || m > 59 || sec > 59))
        return P20W_EFORMAT;
    *t = (int64_t)day * 86400 + h * 3600 + m * 60 + sec;
    return P20W_OK;
}
