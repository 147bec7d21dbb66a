/*
 * dsa.c — data-sharing agreements: what may be shared, with whom, why,
 * and until when.
 *
 * An agreement names its purpose, its parties, the data-dictionary
 * elements it allows ("k12_students.race_ethnicity", "ui_wages.wages")
 * and three dates: access starts on start_date, ends by itself after
 * end_date (access_decide() compares the day of `now`), and the
 * recipients must destroy the data by destroy_date. Direct identifiers
 * (sensitivity D) can never be allowed, nor the agencies' person ids
 * (student_id, ps_student_id, apprentice_id): an extract identifies a
 * person only by the agreement's pseudonym.
 *
 * Each agreement gets a random 16-byte key_salt; its pseudonym key is
 * derived from the key file's pseudonym subkey and that salt
 * (extract.c), so two agreements never share pseudonyms, and the
 * database alone cannot recompute them.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "access/accessInt.h"
#include "dict/dict.h"
#include "util/date.h"
#include "util/mem.h"
#include "util/sbuf.h"

/* Person ids of the agencies: replaced by the pseudonym. */
static int is_person_id(const char *column)
{
    return strcmp(column, "student_id") == 0 ||
           strcmp(column, "ps_student_id") == 0 ||
           strcmp(column, "apprentice_id") == 0;
}

p20w_status access_element_check(const char *element, p20w_err *err)
{
    const char *dot = element ? strchr(element, '.') : NULL;
    char xname[64];
    if (dot == NULL || dot == element ||
        (size_t)(dot - element) >= sizeof xname)
        return p20w_err_set(err, P20W_EINVAL,
                            "element '%.80s' is not extract.column",
                            element ? element : "");
    memcpy(xname, element, (size_t)(dot - element));
    xname[dot - element] = '\0';
    const dict_extract *x = dict_find_extract(xname);
    const dict_column *c = x ? dict_find_column(x, dot + 1) : NULL;
    if (c == NULL)
        return p20w_err_set(err, P20W_EINVAL,
                            "element '%.80s' is not in the data dictionary",
                            element);
    if (c->sens == DICT_SENS_D)
        return p20w_err_set(err, P20W_EINVAL,
                            "element '%.80s' is a direct identifier and is "
                            "never shared",
                            element);
    if (is_person_id(c->name))
        return p20w_err_set(err, P20W_EINVAL,
                            "element '%.80s' is a person id: extracts carry "
                            "the agreement's pseudonym instead",
                            element);
    /* One spelling only, the dictionary's, so that stored elements
     * compare as strings. */
    if (strncmp(x->name, element, (size_t)(dot - element)) != 0 ||
        strcmp(c->name, dot + 1) != 0)
        return p20w_err_set(err, P20W_EINVAL, "write element '%.80s' as %s.%s",
                            element, x->name, c->name);
    return P20W_OK;
}

static p20w_status check_date(const char *s, const char *what, p20w_err *err)
{
    int32_t d = 0;
    if (s == NULL || date_parse(s, strlen(s), &d) != P20W_OK)
        return p20w_err_set(err, P20W_EINVAL, "%s is not a date YYYY-MM-DD",
                            what);
    return P20W_OK;
}

static p20w_status check_spec(const access_dsa_spec *s, p20w_err *err)
{
    if (s->purpose == NULL || s->purpose[0] == '\0' ||
        strlen(s->purpose) > 2000)
        return p20w_err_set(err, P20W_EINVAL,
                            "an agreement needs a purpose (at most 2000 "
                            "bytes)");
    if (s->parties == NULL || s->parties[0] == '\0' ||
        strlen(s->parties) > 2000)
        return p20w_err_set(err, P20W_EINVAL,
                            "an agreement needs its parties (at most 2000 "
                            "bytes)");
    if (s->nelements == 0)
        return p20w_err_set(err, P20W_EINVAL,
                            "an agreement allows at least one element");
    p20w_status rc = check_date(s->start_date, "the start date", err);
    if (rc == P20W_OK)
        rc = check_date(s->end_date, "the end date", err);
    if (rc == P20W_OK)
        rc = check_date(s->destroy_date, "the destruction date", err);
    if (rc == P20W_OK && strcmp(s->start_date, s->end_date) > 0)
        rc = p20w_err_set(err, P20W_EINVAL,
                          "the end date is before the start date");
    if (rc == P20W_OK && strcmp(s->end_date, s->destroy_date) > 0)
        rc = p20w_err_set(err, P20W_EINVAL,
                          "the destruction date is before the end date");
    for (size_t i = 0; rc == P20W_OK && i < s->nelements; i++)
        rc = access_element_check(s->elements[i], err);
    return rc;
}

typedef struct add_arg {
    const access_dsa_spec *s;
    const char *actor, *origin;
    int64_t now;
    int64_t id;
} add_arg;

static p20w_status add_fn(access_ctx *ax, void *arg, p20w_err *err)
{
    add_arg *a = arg;
    const access_dsa_spec *s = a->s;
    unsigned char salt[16];
    char salt_hex[33], ts[32], resource[64];
    store_stmt *q = NULL;
    sbuf why;
    sbuf_init(&why, 0);
    randombytes_buf(salt, sizeof salt);
    sodium_bin2hex(salt_hex, sizeof salt_hex, salt, sizeof salt);
    access_time_format(a->now, ts);
    p20w_status rc = store_prepare(
        ax->st,
        "INSERT INTO dsas (purpose, parties, start_date, end_date, "
        "destroy_date, key_salt, created_at, created_by) VALUES "
        "(?, ?, ?, ?, ?, ?, ?, ?)",
        &q, err);
    const char *vals[8] = {s->purpose,  s->parties,      s->start_date,
                           s->end_date, s->destroy_date, salt_hex,
                           ts,          a->actor};
    for (int i = 0; rc == P20W_OK && i < 8; i++)
        rc = store_bind_text(q, i + 1, vals[i], (size_t)-1, err);
    if (rc == P20W_OK)
        rc = access_step_done(q, err);
    store_finalize(q);
    q = NULL;
    if (rc != P20W_OK)
        goto out;
    a->id = store_last_insert_id(ax->st);
    rc = store_prepare(ax->st,
                       "INSERT OR IGNORE INTO dsa_elements (dsa_id, element) "
                       "VALUES (?, ?)",
                       &q, err);
    for (size_t i = 0; rc == P20W_OK && i < s->nelements; i++) {
        store_reset(q);
        rc = store_bind_int64(q, 1, a->id, err);
        if (rc == P20W_OK)
            rc = store_bind_text(q, 2, s->elements[i], (size_t)-1, err);
        if (rc == P20W_OK)
            rc = access_step_done(q, err);
    }
    if (rc == P20W_OK &&
        sbuf_printf(&why, "added: %s to %s, purpose: %s; elements:",
                    s->start_date, s->end_date, s->purpose) != P20W_OK)
        rc = p20w_err_set(err, P20W_ENOMEM, "out of memory");
    for (size_t i = 0; rc == P20W_OK && i < s->nelements; i++)
        if (sbuf_printf(&why, " %s", s->elements[i]) != P20W_OK)
            rc = p20w_err_set(err, P20W_ENOMEM, "out of memory");
    if (rc == P20W_OK) {
        snprintf(resource, sizeof resource, "agreement %" PRId64, a->id);
        access_audit_entry e = {a->actor, ACCESS_EV_ADMIN, resource,
                                "ok",     sbuf_cstr(&why), a->origin};
        rc = access_audit_append_locked(ax, &e, a->now, NULL, err);
    }
out:
    store_finalize(q);
    sbuf_free(&why);
    return rc;
}

p20w_status access_dsa_add(access_ctx *ax, const access_dsa_spec *spec,
                           const char *actor, const char *origin, int64_t now,
                           int64_t *dsa_id, p20w_err *err)
{
    p20w_status rc = check_spec(spec, err);
    if (rc != P20W_OK)
        return rc;
    add_arg a = {spec, actor, origin, now, 0};
    rc = access_in_txn(ax, add_fn, &a, err);
    if (rc == P20W_OK && dsa_id != NULL)
        *dsa_id = a.id;
    return rc;
}

/* ---- reading ------------------------------------------------------------- */

void access_dsa_free(access_dsa *d)
{
    if (d == NULL)
        return;
    p20w_free(d->purpose);
    p20w_free(d->parties);
    p20w_free(d->created_at);
    p20w_free(d->created_by);
    p20w_free(d->destroyed_at);
    for (size_t i = 0; i < d->nelements; i++)
        p20w_free(d->elements[i]);
    p20w_free(d->elements);
    p20w_free(d);
}

static p20w_status read_elements(access_ctx *ax, access_dsa *d, p20w_err *err)
{
    store_stmt *q = NULL;
    size_t cap = 0;
    p20w_status rc = store_prepare(ax->st,
                                   "SELECT element FROM dsa_elements WHERE "
                                   "dsa_id = ? ORDER BY element",
                                   &q, err);
    if (rc == P20W_OK)
        rc = store_bind_int64(q, 1, d->dsa_id, err);
    while (rc == P20W_OK) {
        int row = 0;
        rc = store_step(q, &row, err);
        if (rc != P20W_OK || !row)
            break;
        if (d->nelements == cap) {
            size_t ncap = cap ? 2 * cap : 8;
            char **p = p20w_realloc(d->elements, ncap * sizeof *p);
            if (p == NULL) {
                rc = p20w_err_set(err, P20W_ENOMEM, "out of memory");
                break;
            }
            d->elements = p;
            cap = ncap;
        }
        d->elements[d->nelements] = p20w_strdup(store_column_text(q, 0));
        if (d->elements[d->nelements] == NULL)
            rc = p20w_err_set(err, P20W_ENOMEM, "out of memory");
        else
            d->nelements++;
    }
    store_finalize(q);
    return rc;
}

static char *dup_col(store_stmt *q, int col, int *oom)
{
    if (store_column_is_null(q, col))
        return NULL;
    char *s = p20w_strdup(store_column_text(q, col));
    if (s == NULL)
        *oom = 1;
    return s;
}

p20w_status access_dsa_get(access_ctx *ax, int64_t id, access_dsa **out,
                           p20w_err *err)
{
    store_stmt *q = NULL;
    int row = 0, oom = 0;
    *out = NULL;
    access_dsa *d = p20w_calloc(1, sizeof *d);
    if (d == NULL)
        return p20w_err_set(err, P20W_ENOMEM, "out of memory");
    p20w_status rc = store_prepare(
        ax->st,
        "SELECT dsa_id, purpose, parties, start_date, end_date, "
        "destroy_date, key_salt, created_at, created_by, destroyed_at FROM "
        "dsas WHERE dsa_id = ?",
        &q, err);
    if (rc == P20W_OK)
        rc = store_bind_int64(q, 1, id, err);
    if (rc == P20W_OK)
        rc = store_step(q, &row, err);
    if (rc == P20W_OK && !row)
        rc = p20w_err_set(err, P20W_ENOTFOUND,
                          "no data-sharing agreement %" PRId64, id);
    if (rc == P20W_OK) {
        d->dsa_id = store_column_int64(q, 0);
        d->purpose = dup_col(q, 1, &oom);
        d->parties = dup_col(q, 2, &oom);
        snprintf(d->start_date, sizeof d->start_date, "%s",
                 store_column_text(q, 3));
        snprintf(d->end_date, sizeof d->end_date, "%s",
                 store_column_text(q, 4));
        snprintf(d->destroy_date, sizeof d->destroy_date, "%s",
                 store_column_text(q, 5));
        snprintf(d->key_salt, sizeof d->key_salt, "%s",
                 store_column_text(q, 6));
        d->created_at = dup_col(q, 7, &oom);
        d->created_by = dup_col(q, 8, &oom);
        d->destroyed_at = dup_col(q, 9, &oom);
        if (oom)
            rc = p20w_err_set(err, P20W_ENOMEM, "out of memory");
    }
    store_finalize(q);
    if (rc == P20W_OK)
        rc = read_elements(ax, d, err);
    if (rc != P20W_OK) {
        access_dsa_free(d);
        return rc;
    }
    *out = d;
    return P20W_OK;
}

const char *access_dsa_status(const access_dsa *d, int64_t now)
{
    char today[11];
    date_format(access_day_of(now), today);
    if (d->destroyed_at != NULL)
        return "destroyed";
    if (strcmp(today, d->start_date) < 0)
        return "pending";
    if (strcmp(today, d->end_date) > 0)
        return "ended";
    return "active";
}

/* ---- changes ------------------------------------------------------------ */

typedef struct change_arg {
    int64_t id;
    const char *date; /* new end date, or NULL to record destruction */
    const char *actor, *origin;
    int64_t now;
} change_arg;

static p20w_status change_fn(access_ctx *ax, void *arg, p20w_err *err)
{
    change_arg *a = arg;
    access_dsa *d = NULL;
    store_stmt *q = NULL;
    char ts[32], resource[64], why[160];
    p20w_status rc = access_dsa_get(ax, a->id, &d, err);
    if (rc != P20W_OK)
        return rc;
    access_time_format(a->now, ts);
    if (a->date != NULL && (strcmp(a->date, d->end_date) > 0 ||
                            strcmp(a->date, d->start_date) < 0)) {
        rc = p20w_err_set(err, P20W_EINVAL,
                          "an agreement ends early, between its start (%s) "
                          "and its end (%s): extend it with a new agreement",
                          d->start_date, d->end_date);
        goto out;
    }
    if (a->date == NULL && d->destroyed_at != NULL) {
        rc = p20w_err_set(err, P20W_EINVAL,
                          "destruction was recorded already on %s",
                          d->destroyed_at);
        goto out;
    }
    if (a->date != NULL)
        snprintf(why, sizeof why, "ended early: end date %s (was %s)", a->date,
                 d->end_date);
    else
        snprintf(why, sizeof why, "destruction of the data recorded");
    rc = store_prepare(ax->st,
                       a->date != NULL
                           ? "UPDATE dsas SET end_date = ? WHERE dsa_id = ?"
                           : "UPDATE dsas SET destroyed_at = ? WHERE "
                             "dsa_id = ?",
                       &q, err);
    if (rc == P20W_OK)
        rc = store_bind_text(q, 1, a->date ? a->date : ts, (size_t)-1, err);
    if (rc == P20W_OK)
        rc = store_bind_int64(q, 2, a->id, err);
    if (rc == P20W_OK)
        rc = access_step_done(q, err);
    if (rc == P20W_OK) {
        snprintf(resource, sizeof resource, "agreement %" PRId64, a->id);
        access_audit_entry e = {a->actor, ACCESS_EV_ADMIN, resource, "ok",
                                why,      a->origin};
        rc = access_audit_append_locked(ax, &e, a->now, NULL, err);
    }
out:
    store_finalize(q);
    access_dsa_free(d);
    return rc;
}

p20w_status access_dsa_end(access_ctx *ax, int64_t id, const char *date,
                           const char *actor, const char *origin, int64_t now,
                           p20w_err *err)
{
    p20w_status rc = check_date(date, "the end date", err);
    if (rc != P20W_OK)
        return rc;
    change_arg a = {id, date, actor, origin, now};
    return access_in_txn(ax, change_fn, &a, err);
}

p20w_status access_dsa_destroyed(access_ctx *ax, int64_t id, const char *actor,
                                 const char *origin, int64_t now, p20w_err *err)
{
    change_arg a = {id, NULL, actor, origin, now};
    return access_in_txn(ax, change_fn, &a, err);
}
