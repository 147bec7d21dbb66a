/*
 * check.c — the authorization decision and the learner-scope helper.
 *
 * One function decides every request (access_decide); access_check adds
 * the audit. The rules, by role (docs/access.md draws them as a matrix):
 *
 *   published tables   read by everyone, written by nobody (the pipeline
 *                      publishes, not a user);
 *   aggregates         practitioners, when one of their scopes is a unit
 *                      the aggregate belongs to;
 *   learner education  practitioners, when one of their scopes is a
 *                      school, district or institution of the learner;
 *   learner wages      nobody, one individual at a time: wages reach
 *                      researchers only inside a de-identified extract of
 *                      an agreement that lists ui_wages.wages;
 *   submissions        stewards of the submitting agency (read, submit);
 *                      admins read every agency's;
 *   extracts           the researcher of the agreement, and admins, while
 *                      the agreement is active (start..end, not destroyed);
 *   users, agreements  admins (read, change);
 *   audit log          admins read; nobody writes except through
 *                      access_audit_append().
 * Anything not allowed above is denied: the default is no.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "access/accessInt.h"
#include "util/date.h"

static int deny(access_decision *d, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int deny(access_decision *d, const char *fmt, ...)
{
    va_list ap;
    d->allowed = 0;
    va_start(ap, fmt);
    vsnprintf(d->reason, sizeof d->reason, fmt, ap);
    va_end(ap);
    return 0;
}

static int allow(access_decision *d, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int allow(access_decision *d, const char *fmt, ...)
{
    va_list ap;
    d->allowed = 1;
    va_start(ap, fmt);
    vsnprintf(d->reason, sizeof d->reason, fmt, ap);
    va_end(ap);
    return 1;
}

/* The first of p's scopes that r belongs to, or NULL. */
static const access_scope *scope_match(const access_principal *p,
                                       const access_resource *r)
{
    for (size_t i = 0; i < p->nscopes; i++)
        for (size_t j = 0; j < r->nscopes; j++)
            if (p->scopes[i].kind == r->scopes[j].kind &&
                strcmp(p->scopes[i].id, r->scopes[j].id) == 0)
                return &p->scopes[i];
    return NULL;
}

/* Decides whether agreement id is active on the day of now. */
static p20w_status dsa_active(access_ctx *ax, int64_t id, int64_t now,
                              access_decision *d, p20w_err *err)
{
    store_stmt *q = NULL;
    int row = 0;
    char today[11];
    date_format(access_day_of(now), today);
    p20w_status rc = store_prepare(ax->st,
                                   "SELECT start_date, end_date, "
                                   "destroyed_at IS NOT NULL FROM dsas "
                                   "WHERE dsa_id = ?",
                                   &q, err);
    if (rc == P20W_OK)
        rc = store_bind_int64(q, 1, id, err);
    if (rc == P20W_OK)
        rc = store_step(q, &row, err);
    if (rc != P20W_OK)
        deny(d, "the agreement could not be read");
    else if (!row)
        deny(d, "no agreement %" PRId64, id);
    else if (store_column_int64(q, 2))
        deny(d, "agreement %" PRId64 " is over: its data were destroyed", id);
    else if (strcmp(today, store_column_text(q, 0)) < 0)
        deny(d, "agreement %" PRId64 " starts on %s", id,
             store_column_text(q, 0));
    else if (strcmp(today, store_column_text(q, 1)) > 0)
        deny(d, "agreement %" PRId64 " ended on %s", id,
             store_column_text(q, 1));
    else
        allow(d, "agreement %" PRId64 " is active until %s", id,
              store_column_text(q, 1));
    store_finalize(q);
    return rc;
}

static void practitioner(const access_principal *p, access_action a,
                         const access_resource *r, access_decision *d)
{
    const access_scope *s = scope_match(p, r);
    switch (r->kind) {
    case ACCESS_RES_AGGREGATE:
    case ACCESS_RES_LEARNER_EDU:
        if (a != ACCESS_READ)
            deny(d, "practitioners only read");
        else if (s == NULL)
            deny(d, "outside the practitioner's scope%s",
                 r->kind == ACCESS_RES_LEARNER_EDU
                     ? ": not a learner of its schools, districts or "
                       "institutions"
                     : "");
        else
            allow(d, "within scope %s:%s", access_scope_kind_name(s->kind),
                  s->id);
        break;
    case ACCESS_RES_LEARNER_WAGES:
        deny(d, "practitioners never see an individual's wages");
        break;
    default:
        deny(d, "practitioners may not see %s", access_kind_name(r->kind));
    }
}

static p20w_status decide(access_ctx *ax, const access_principal *p,
                          access_action a, const access_resource *r,
                          int64_t now, access_decision *d, p20w_err *err)
{
    const char *role = access_role_name(p->role);
    if (r->kind == ACCESS_RES_PUBLISHED) {
        if (a == ACCESS_READ)
            allow(d, "published tables are public");
        else
            deny(d, "published tables are written by the pipeline only");
        return P20W_OK;
    }
    if (r->kind == ACCESS_RES_LEARNER_WAGES &&
        p->role != ACCESS_ROLE_PRACTITIONER) {
        deny(d, "nobody sees one individual's wages; researchers get them "
                "only in a de-identified extract");
        return P20W_OK;
    }
    switch (p->role) {
    case ACCESS_ROLE_PRACTITIONER:
        practitioner(p, a, r, d);
        return P20W_OK;
    case ACCESS_ROLE_STEWARD:
        if (r->kind != ACCESS_RES_SUBMISSION)
            deny(d, "stewards see only their agency's submissions");
        else if (r->agency == NULL || strcmp(r->agency, p->agency) != 0)
            deny(d, "a submission of another agency");
        else
            allow(d, "steward of %s", p->agency);
        return P20W_OK;
    case ACCESS_ROLE_RESEARCHER:
        if (r->kind != ACCESS_RES_EXTRACT) {
            deny(d, "researchers see learner data only as de-identified "
                    "extracts of their agreement");
            return P20W_OK;
        }
        if (a != ACCESS_READ || r->dsa_id != p->dsa_id) {
            deny(d, "not the researcher's agreement");
            return P20W_OK;
        }
        return dsa_active(ax, r->dsa_id, now, d, err);
    case ACCESS_ROLE_ADMIN:
        if (r->kind == ACCESS_RES_ADMIN)
            allow(d, "admin");
        else if (r->kind == ACCESS_RES_AUDIT && a == ACCESS_READ)
            allow(d, "admin reads the audit log");
        else if (r->kind == ACCESS_RES_SUBMISSION && a == ACCESS_READ)
            allow(d, "admin reads submission reports");
        else if (r->kind == ACCESS_RES_EXTRACT && a == ACCESS_READ)
            return dsa_active(ax, r->dsa_id, now, d, err);
        else
            deny(d, "admins manage access but see no learner data");
        return P20W_OK;
    default:
        deny(d, "%s visitors see published tables only; log in", role);
        return P20W_OK;
    }
}

p20w_status access_decide(access_ctx *ax, const access_principal *p,
                          access_action action, const access_resource *r,
                          int64_t now, access_decision *d, p20w_err *err)
{
    memset(d, 0, sizeof *d);
    if ((unsigned)r->kind >= ACCESS_RES_KIND_COUNT) {
        deny(d, "unknown resource");
        return P20W_OK;
    }
    p20w_status rc = decide(ax, p, action, r, now, d, err);
    if (rc != P20W_OK)
        d->allowed = 0;
    return rc;
}

/* Appends printf-style text at out + *n, never past cap. */
static void put(char *out, size_t cap, size_t *n, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void put(char *out, size_t cap, size_t *n, const char *fmt, ...)
{
    if (*n >= cap)
        return;
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(out + *n, cap - *n, fmt, ap);
    va_end(ap);
    *n += k > 0 ? (size_t)k : 0;
}

/* "learner education records of learner 123 at school:S1, district:D1
 * (detail)", for the audit record. */
static void describe(const access_resource *r, access_action a, char *out,
                     size_t cap)
{
    size_t n = 0;
    out[0] = '\0';
    put(out, cap, &n, "%s%s", a == ACCESS_WRITE ? "change " : "",
        access_kind_name(r->kind));
    if (r->kind == ACCESS_RES_LEARNER_EDU ||
        r->kind == ACCESS_RES_LEARNER_WAGES)
        put(out, cap, &n, " of learner %" PRId64, r->p20w_id);
    if (r->kind == ACCESS_RES_SUBMISSION)
        put(out, cap, &n, " of %s", r->agency ? r->agency : "?");
    if (r->kind == ACCESS_RES_EXTRACT)
        put(out, cap, &n, " of agreement %" PRId64, r->dsa_id);
    for (size_t i = 0; i < r->nscopes; i++)
        put(out, cap, &n, "%s%s:%s", i ? ", " : " at ",
            access_scope_kind_name(r->scopes[i].kind), r->scopes[i].id);
    if (r->detail != NULL && r->detail[0] != '\0')
        put(out, cap, &n, " (%s)", r->detail);
}

p20w_status access_check(access_ctx *ax, const access_principal *p,
                         access_action action, const access_resource *r,
                         int64_t now, access_decision *d, p20w_err *err)
{
    p20w_status rc = access_decide(ax, p, action, r, now, d, err);
    if (rc != P20W_OK)
        return rc;
    int learner = r->kind == ACCESS_RES_LEARNER_EDU ||
                  r->kind == ACCESS_RES_LEARNER_WAGES;
    if (d->allowed && !learner)
        return P20W_OK;
    char what[512];
    describe(r, action, what, sizeof what);
    access_audit_entry e = {p->name[0] ? p->name : "public",
                            d->allowed ? ACCESS_EV_READ : ACCESS_EV_DENIED,
                            what,
                            d->allowed ? "allowed" : "denied",
                            d->reason,
                            p->origin};
    rc = access_audit_append(ax, &e, now, NULL, err);
    if (rc != P20W_OK)
        d->allowed = 0; /* no record, no read */
    return rc;
}

/* ---- the units a learner belongs to -------------------------------------- */

static p20w_status add_units(access_ctx *ax, const char *sql, int64_t p20w_id,
                             access_scope_kind k1, access_scope_kind k2,
                             access_resource *r, p20w_err *err)
{
    store_stmt *q = NULL;
    p20w_status rc = store_prepare(ax->st, sql, &q, err);
    if (rc == P20W_OK)
        rc = store_bind_int64(q, 1, p20w_id, err);
    while (rc == P20W_OK) {
        int row = 0;
        rc = store_step(q, &row, err);
        if (rc != P20W_OK || !row)
            break;
        rc = access_resource_add_scope(r, k1, store_column_text(q, 0), err);
        if (rc == P20W_OK && !store_column_is_null(q, 1))
            rc = access_resource_add_scope(r, k2, store_column_text(q, 1), err);
    }
    store_finalize(q);
    return rc;
}

p20w_status access_learner_scopes(access_ctx *ax, int64_t p20w_id,
                                  access_resource *r, p20w_err *err)
{
    r->p20w_id = p20w_id;
    /* Schools of the learner's K-12 rows in live submissions, each with
     * its district from the live school list. */
    p20w_status rc = add_units(
        ax,
        "SELECT DISTINCT t.school_id, (SELECT sc.district_id FROM "
        "stg_k12_schools sc JOIN submissions ss ON ss.submission_id = "
        "sc.submission_id WHERE ss.status = 'accepted' AND sc.school_id = "
        "t.school_id ORDER BY sc.submission_id DESC LIMIT 1) FROM "
        "person_links l JOIN stg_k12_students t ON t.student_id = "
        "l.record_key JOIN submissions s ON s.submission_id = t.submission_id "
        "WHERE l.source = 'k12_students' AND l.p20w_id = ? AND s.status = "
        "'accepted' ORDER BY 1",
        p20w_id, ACCESS_SCOPE_SCHOOL, ACCESS_SCOPE_DISTRICT, r, err);
    if (rc == P20W_OK)
        rc = add_units(ax,
                       "SELECT DISTINCT t.institution_id, NULL FROM "
                       "person_links l JOIN stg_ps_enrollments t ON "
                       "t.record_key = l.record_key JOIN submissions s ON "
                       "s.submission_id = t.submission_id WHERE l.source = "
                       "'ps_enrollments' AND l.p20w_id = ? AND s.status = "
                       "'accepted' ORDER BY 1",
                       p20w_id, ACCESS_SCOPE_INSTITUTION,
                       ACCESS_SCOPE_INSTITUTION, r, err);
    return rc;
}
