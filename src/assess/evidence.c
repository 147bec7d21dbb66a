/*
 * evidence.c — auto-evidence: for the sub-elements p20w can see from its
 * own store, the measured facts and a suggested rating the team may
 * override. docs/assess.md lists every rule and threshold; keep the two
 * in step.
 *
 *   1B  validation at the point of submission   submissions
 *   2D  privacy of learner records              users, dsas, published
 *                                               cells; the audit chain
 *                                               (verified by the caller)
 *   3A  linkage                                 link_runs, person_links
 *   4A  history                                 cube_cells of complete
 *                                               builds
 *   4C  timeliness                              cube_builds
 *   4D  disaggregation                          cube_cells.dims of
 *                                               published cells
 *   5A  accessibility                           assessment_checks 'a11y',
 *                                               when a result was recorded
 *
 * Invariants: a fact is either measured, with the value read from the
 * store, or "not measured" with an empty value — never a made-up number.
 * A rubric's 4 lists several criteria; when p20w cannot see all of them
 * (training, agreements with other states, real-time access of
 * practitioners), the suggestion stops at 3 and the rule says so: only the
 * team can judge the rest.
 *
 * Reads only, with plain portable SQL.
 */
#include <assert.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "assess/assessInt.h"

/* ---- helpers --------------------------------------------------------------
 */

static assess_fact *fact(assess_evidence *ev, const char *key,
                         const char *label)
{
    assert(ev->nfacts < ASSESS_FACTS_MAX);
    assess_fact *f = &ev->facts[ev->nfacts++];
    memset(f, 0, sizeof *f);
    f->key = key;
    f->label = label;
    return f;
}

static void factf(assess_evidence *ev, const char *key, const char *label,
                  const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void factf(assess_evidence *ev, const char *key, const char *label,
                  const char *fmt, ...)
{
    assess_fact *f = fact(ev, key, label);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(f->value, sizeof f->value, fmt, ap);
    va_end(ap);
    f->measured = 1;
}

/* A fact whose value is itself a msgid (a word, not a number). */
static void msgid_fact(assess_evidence *ev, const char *key, const char *label,
                       const char *value)
{
    assess_fact *f = fact(ev, key, label);
    snprintf(f->value, sizeof f->value, "%s", value);
    f->measured = 1;
    f->value_msgid = 1;
}

static void not_measured(assess_evidence *ev, const char *key,
                         const char *label)
{
    fact(ev, key, label);
}

static void suggest(assess_evidence *ev, int rating, const char *why)
{
    ev->measured = 1;
    ev->suggested = rating;
    ev->why = why;
}

static double pct(int64_t part, int64_t whole)
{
    return whole > 0 ? 100.0 * (double)part / (double)whole : 0.0;
}

/* Runs a query that returns one row of up to n integers (NULL reads 0),
 * with every parameter (nbind of them) bound to the text `bind`. */
static p20w_status q_ints_bound(store *st, const char *sql, const char *bind,
                                int nbind, int64_t *out, int n, p20w_err *err)
{
    store_stmt *q = NULL;
    int row = 0;
    memset(out, 0, (size_t)n * sizeof *out);
    p20w_status rc = store_prepare(st, sql, &q, err);
    for (int i = 1; rc == P20W_OK && i <= nbind; i++)
        rc = store_bind_text(q, i, bind, (size_t)-1, err);
    if (rc == P20W_OK)
        rc = store_step(q, &row, err);
    for (int i = 0; rc == P20W_OK && row && i < n; i++)
        out[i] = store_column_int64(q, i);
    store_finalize(q);
    return rc;
}

static p20w_status q_ints(store *st, const char *sql, int64_t *out, int n,
                          p20w_err *err)
{
    return q_ints_bound(st, sql, NULL, 0, out, n, err);
}

/* One row, one text column, into out ("" when no row or NULL). */
static p20w_status q_text(store *st, const char *sql, char *out, size_t cap,
                          p20w_err *err)
{
    store_stmt *q = NULL;
    int row = 0;
    out[0] = '\0';
    p20w_status rc = store_prepare(st, sql, &q, err);
    if (rc == P20W_OK)
        rc = store_step(q, &row, err);
    if (rc == P20W_OK && row && !store_column_is_null(q, 0))
        snprintf(out, cap, "%s", store_column_text(q, 0));
    store_finalize(q);
    return rc;
}

/* ---- 1B: validation at the point of submission --------------------------- */

static p20w_status ev_1b(store *st, assess_evidence *ev, p20w_err *err)
{
    int64_t v[6];
    p20w_status rc = q_ints(
        st,
        "SELECT count(*), sum(CASE WHEN report_json IS NOT NULL THEN 1 ELSE "
        "0 END), sum(CASE WHEN status = 'rejected' THEN 1 ELSE 0 END), "
        "sum(rows_read), sum(rows_rejected), count(DISTINCT source) FROM "
        "submissions",
        v, 6, err);
    if (rc != P20W_OK)
        return rc;
    int64_t files = v[0], reported = v[1], rejected = v[2];
    factf(ev, "submissions", N_("Files submitted to p20w"), "%" PRId64, files);
    if (files == 0) {
        suggest(ev, 1,
                N_("No file has been submitted to p20w, so it cannot see any "
                   "check at the point of submission."));
        return P20W_OK;
    }
    factf(ev, "sources", N_("Kinds of extract submitted"), "%" PRId64, v[5]);
    factf(ev, "validated_share",
          N_("Files checked on arrival, with a stored report"),
          "%" PRId64 " / %" PRId64 " (%.1f%%)", reported, files,
          pct(reported, files));
    factf(ev, "rejected_files", N_("Files refused by the checks and sent back"),
          "%" PRId64, rejected);
    factf(ev, "rejected_rows", N_("Rows refused by the checks"),
          "%" PRId64 " / %" PRId64 " (%.2f%%)", v[4], v[3], pct(v[4], v[3]));
    if (pct(reported, files) < 90.0)
        suggest(ev, 2,
                N_("Fewer than 90 percent of the files carry p20w's validation "
                   "report: some data arrived without checks at the point "
                   "of submission."));
    else
        suggest(
            ev, 3,
            N_("At least 90 percent of the files were checked automatically on "
               "arrival and their reports kept. A 4 also needs checks "
               "against earlier years and partner records, local review "
               "before publication and yearly audits, which p20w cannot "
               "see: the team judges those."));
    return P20W_OK;
}

/* ---- 2D: privacy of learner records -------------------------------------- */

static p20w_status roles_in_use(store *st, char *out, size_t cap, int *nroles,
                                int64_t *active, p20w_err *err)
{
    store_stmt *q = NULL;
    out[0] = '\0';
    *nroles = 0;
    *active = 0;
    p20w_status rc = store_prepare(st,
                                   "SELECT role, count(*) FROM users WHERE "
                                   "status = 'active' GROUP BY role ORDER BY "
                                   "role",
                                   &q, err);
    size_t len = 0;
    while (rc == P20W_OK) {
        int row = 0;
        rc = store_step(q, &row, err);
        if (rc != P20W_OK || !row)
            break;
        int64_t n = store_column_int64(q, 1);
        int w = snprintf(out + len, cap - len, "%s%s %" PRId64,
                         *nroles ? ", " : "", store_column_text(q, 0), n);
        if (w > 0 && (size_t)w < cap - len)
            len += (size_t)w;
        (*nroles)++;
        *active += n;
    }
    store_finalize(q);
    return rc;
}

static p20w_status ev_2d(store *st, const assess_evidence_input *in,
                         int64_t now, assess_evidence *ev, p20w_err *err)
{
    char roles[128], today[32];
    int nroles = 0;
    int64_t active = 0, v[3] = {0}, pub[2] = {0};
    assess_time_iso(now, today);
    today[10] = '\0';
    p20w_status rc =
        roles_in_use(st, roles, sizeof roles, &nroles, &active, err);
    if (rc == P20W_OK)
        rc = q_ints(st, "SELECT count(*) FROM users WHERE status = 'disabled'",
                    v, 1, err);
    int64_t disabled = v[0];
    /* Agreements: all, active today, past their destruction date without
     * a record of destruction. */
    if (rc == P20W_OK)
        rc = q_ints_bound(st,
                          "SELECT count(*), sum(CASE WHEN start_date <= ? AND "
                          "? <= end_date AND destroyed_at IS NULL THEN 1 ELSE "
                          "0 END), sum(CASE WHEN destroy_date < ? AND "
                          "destroyed_at IS NULL THEN 1 ELSE 0 END) FROM dsas",
                          today, 3, v, 3, err);
    if (rc == P20W_OK)
        rc = q_ints(st,
                    "SELECT count(*), sum(CASE WHEN status IN ('S', 'C', 'B', "
                    "'L') THEN 1 ELSE 0 END) FROM published_cells",
                    pub, 2, err);
    if (rc != P20W_OK)
        return rc;
    factf(ev, "accounts", N_("Active accounts"), "%" PRId64, active);
    if (nroles > 0)
        factf(ev, "roles", N_("Roles in use"), "%s", roles);
    factf(ev, "disabled", N_("Accounts disabled (access withdrawn)"),
          "%" PRId64, disabled);
    factf(ev, "dsas", N_("Data-sharing agreements, each with an end date"),
          "%" PRId64 " (%" PRId64 " active)", v[0], v[1]);
    factf(ev, "dsas_overdue",
          N_("Agreements past their destruction date without a record of "
             "destruction"),
          "%" PRId64, v[2]);
    if (in != NULL && in->audit_checked)
        msgid_fact(ev, "audit_chain", N_("Audit chain of access records"),
                   in->audit_ok ? N_("verified")
                                : N_("BROKEN: does not verify"));
    else
        not_measured(ev, "audit_chain", N_("Audit chain of access records"));
    if (in != NULL && in->audit_checked)
        factf(ev, "audit_records", N_("Audit records"), "%" PRId64,
              in->audit_records);
    factf(ev, "protected_cells",
          N_("Published cells protected (suppressed, banded or pooled)"),
          "%" PRId64 " / %" PRId64, pub[1], pub[0]);
    if (active == 0)
        suggest(ev, 1,
                N_("There are no accounts: p20w is not governing who sees "
                   "learner records."));
    else if (in != NULL && in->audit_checked && !in->audit_ok)
        suggest(ev, 1,
                N_("The audit chain does not verify: the record of who saw "
                   "learner data cannot be trusted."));
    else if (nroles < 2 || v[2] > 0 || in == NULL || !in->audit_checked)
        suggest(ev, 2,
                N_("Accounts exist, but permissions are not differentiated "
                   "by role, an agreement is past its destruction date, or "
                   "the audit chain was not verified."));
    else
        suggest(ev, 3,
                N_("Permissions differ by role, agreements end and are "
                   "destroyed on time, and the audit chain verifies. A 4 "
                   "also needs yearly privacy training and reviews of "
                   "permissions, which p20w cannot see: the team judges "
                   "those."));
    return P20W_OK;
}

/* ---- 3A: linkage ------------------------------------------------------------
 */

/* Sources whose records show where a K-12 learner went next. */
#define OUTCOME_SOURCES                                                        \
    "('ps_enrollments', 'ps_completions', 'ui_wages', 'apprenticeships')"

static p20w_status ev_3a(store *st, assess_evidence *ev, p20w_err *err)
{
    char last[32];
    int64_t runs[1], v[3], k12[2], ps[2];
    p20w_status rc = q_ints(st, "SELECT count(*) FROM link_runs", runs, 1, err);
    if (rc == P20W_OK)
        rc = q_text(st, "SELECT max(started_at) FROM link_runs", last,
                    sizeof last, err);
    if (rc == P20W_OK)
        rc = q_ints(st,
                    "SELECT (SELECT count(*) FROM persons WHERE status = "
                    "'active'), (SELECT count(DISTINCT source) FROM "
                    "person_links), (SELECT count(DISTINCT agency) FROM "
                    "submissions WHERE status = 'accepted' AND source IN "
                    "(SELECT DISTINCT source FROM person_links))",
                    v, 3, err);
    if (rc == P20W_OK)
        rc = q_ints(st,
                    "SELECT count(DISTINCT k.p20w_id), count(DISTINCT "
                    "o.p20w_id) FROM person_links k LEFT JOIN person_links o "
                    "ON o.p20w_id = k.p20w_id AND o.source IN " OUTCOME_SOURCES
                    " WHERE k.source = 'k12_students'",
                    k12, 2, err);
    if (rc == P20W_OK)
        rc = q_ints(st,
                    "SELECT count(DISTINCT p.p20w_id), count(DISTINCT "
                    "k.p20w_id) FROM person_links p LEFT JOIN person_links k "
                    "ON k.p20w_id = p.p20w_id AND k.source = 'k12_students' "
                    "WHERE p.source = 'ps_enrollments'",
                    ps, 2, err);
    if (rc != P20W_OK)
        return rc;
    factf(ev, "link_runs", N_("Linkage runs"), "%" PRId64, runs[0]);
    if (runs[0] == 0) {
        suggest(ev, 1,
                N_("Records have not been linked: p20w has no linkage run."));
        return P20W_OK;
    }
    last[10] = '\0';
    factf(ev, "last_link", N_("Last linkage run"), "%s", last);
    factf(ev, "persons", N_("People under one p20w id (the common id)"),
          "%" PRId64, v[0]);
    factf(ev, "agencies", N_("Agencies whose records carry the common id"),
          "%" PRId64 " (%" PRId64 " extracts)", v[2], v[1]);
    double rate = pct(k12[1], k12[0]);
    if (k12[0] > 0)
        factf(ev, "match_rate",
              N_("Match rate: K-12 learners found in postsecondary or "
                 "workforce records"),
              "%" PRId64 " / %" PRId64 " (%.1f%%)", k12[1], k12[0], rate);
    else
        not_measured(ev, "match_rate",
                     N_("Match rate: K-12 learners found in postsecondary or "
                        "workforce records"));
    if (ps[0] > 0)
        factf(ev, "ps_with_k12",
              N_("Postsecondary students with a K-12 record"),
              "%" PRId64 " / %" PRId64 " (%.1f%%)", ps[1], ps[0],
              pct(ps[1], ps[0]));
    if (v[2] < 2)
        suggest(ev, 1,
                N_("Records of fewer than two agencies carry the common id: "
                   "learners cannot be followed across agencies."));
    else if (v[2] >= 3 && k12[0] > 0 && rate >= 90.0)
        suggest(
            ev, 3,
            N_("Records of three or more agencies share one id and at "
               "least 90 percent of K-12 learners are found later. A 4 also "
               "needs links to social services and other states and "
               "automatic exchange between systems, which p20w cannot "
               "see: the team judges those."));
    else
        suggest(
            ev, 2,
            N_("Records of two or more agencies share one id, but "
               "fewer than three agencies are linked or fewer than 90 percent "
               "of K-12 learners are found later."));
    return P20W_OK;
}

/* ---- 4A history, 4C timeliness ---------------------------------------------
 */

#define COMPLETE_BUILDS                                                        \
    "(SELECT build_id FROM cube_builds WHERE status = 'complete')"

static p20w_status ev_4a(store *st, assess_evidence *ev, p20w_err *err)
{
    int64_t v[4], pub[1];
    p20w_status rc = q_ints(st,
                            "SELECT count(DISTINCT year), min(year), "
                            "max(year), count(DISTINCT indicator) FROM "
                            "cube_cells WHERE build_id IN " COMPLETE_BUILDS,
                            v, 4, err);
    if (rc == P20W_OK)
        rc = q_ints(st,
                    "SELECT count(DISTINCT c.year) FROM cube_cells c JOIN "
                    "published_cells p ON p.cell_id = c.cell_id WHERE "
                    "p.status NOT IN ('S', 'C') AND c.build_id IN "
                    "" COMPLETE_BUILDS,
                    pub, 1, err);
    if (rc != P20W_OK)
        return rc;
    if (v[0] == 0) {
        not_measured(ev, "years", N_("Years of outcomes in the cube"));
        suggest(ev, 1,
                N_("No cube of indicators has been built, so no history is "
                   "available."));
        return P20W_OK;
    }
    factf(ev, "years", N_("Years of outcomes in the cube"),
          "%" PRId64 " (%" PRId64 "-%" PRId64 ")", v[0], v[1], v[2]);
    factf(ev, "published_years", N_("Years with published values"), "%" PRId64,
          pub[0]);
    factf(ev, "indicators", N_("Indicators computed"), "%" PRId64, v[3]);
    if (v[0] >= 5)
        suggest(ev, 3,
                N_("At least five years of outcomes are available. A 4 also "
                   "needs documented changes of definitions, the whole "
                   "career-readiness system and public information on "
                   "credentials, which p20w cannot see: the team judges "
                   "those."));
    else if (v[0] >= 2)
        suggest(ev, 2,
                N_("Two to four years of outcomes are available: "
                   "less than the five a 4 asks for."));
    else
        suggest(ev, 1,
                N_("Only one year of outcomes: no history to compare "
                   "with."));
    return P20W_OK;
}

static p20w_status ev_4c(store *st, int64_t now, assess_evidence *ev,
                         p20w_err *err)
{
    char last[32];
    int64_t v[2];
    p20w_status rc = q_text(st,
                            "SELECT max(finished_at) FROM cube_builds WHERE "
                            "status IN ('complete', 'replaced')",
                            last, sizeof last, err);
    if (rc == P20W_OK)
        rc = q_ints(st,
                    "SELECT max(year), count(*) FROM cube_cells WHERE "
                    "build_id IN " COMPLETE_BUILDS,
                    v, 2, err);
    if (rc != P20W_OK)
        return rc;
    int64_t t = assess_time_parse(last);
    if (t < 0) {
        not_measured(ev, "last_build", N_("Last build of the indicators"));
        suggest(ev, 1, N_("The indicators have never been built."));
        return P20W_OK;
    }
    int64_t days = (now - t) / 86400;
    char today[32];
    assess_time_iso(now, today);
    int year_now = (today[0] - '0') * 1000 + (today[1] - '0') * 100 +
                   (today[2] - '0') * 10 + (today[3] - '0');
    last[10] = '\0';
    factf(ev, "last_build", N_("Last build of the indicators"), "%s", last);
    factf(ev, "build_age_days", N_("Days since that build"), "%" PRId64,
          days < 0 ? 0 : days);
    if (v[1] > 0)
        factf(ev, "latest_year", N_("Latest year with outcomes"), "%" PRId64,
              v[0]);
    int64_t lag = v[1] > 0 ? year_now - v[0] : 99;
    if (days > 730)
        suggest(ev, 1,
                N_("The indicators were last built more than two "
                   "years ago."));
    else if (days > 365 || lag > 1)
        suggest(ev, 2,
                N_("The indicators were built within two years, but not "
                   "within the last year, or the latest outcomes are more "
                   "than a year old."));
    else
        suggest(ev, 3,
                N_("The indicators were built within the last year and hold "
                   "last year's outcomes. A 4 also needs practitioners to "
                   "see current data in time to act and new elements added "
                   "quickly, which p20w cannot see: the team judges those."));
    return P20W_OK;
}

/* ---- 4D: disaggregation
 * ------------------------------------------------------
 */

enum { FAM_POP, FAM_CROSS, FAM_INST, FAM_PATH, NFAM };

static const char *const pop_dims[] = {
    "race",     "sex",         "econ",     "disability", "english_learner",
    "homeless", "foster_care", "military", NULL};
static const char *const inst_dims[] = {"school", "district", "institution",
                                        NULL};
static const char *const path_dims[] = {"cluster", "program", "cip2",
                                        "cip4",    "cip6",    NULL};

static int in_list(const char *s, size_t len, const char *const *list)
{
    for (size_t i = 0; list[i] != NULL; i++)
        if (strlen(list[i]) == len && strncmp(list[i], s, len) == 0)
            return 1;
    return 0;
}

/* Adds name to a ", "-separated list in out unless it is there. */
static void add_name(char *out, size_t cap, const char *s, size_t len)
{
    char name[64];
    if (len >= sizeof name)
        return;
    memcpy(name, s, len);
    name[len] = '\0';
    for (const char *p = strstr(out, name); p != NULL;
         p = strstr(p + 1, name)) {
        int start = p == out || p[-1] == ' ';
        int end = p[len] == '\0' || p[len] == ',';
        if (start && end)
            return;
    }
    size_t used = strlen(out);
    snprintf(out + used, cap - used, "%s%s", used ? ", " : "", name);
}

typedef struct fams {
    char list[NFAM][256];
} fams;

/* Sorts the dimensions of one cut ("sex,race,quarter") into the families;
 * a cut by two or more groups of learners is an intersection, named by
 * those groups alone ("sex+race"). */
static void classify(const char *dims, fams *f)
{
    int npop = 0;
    char cross[128] = "";
    for (const char *s = dims; *s;) {
        const char *e = strchr(s, ',');
        size_t len = e ? (size_t)(e - s) : strlen(s);
        if (in_list(s, len, pop_dims)) {
            size_t used = strlen(cross);
            snprintf(cross + used, sizeof cross - used, "%s%.*s",
                     npop ? "+" : "", (int)len, s);
            npop++;
            add_name(f->list[FAM_POP], sizeof f->list[FAM_POP], s, len);
        } else if (in_list(s, len, inst_dims)) {
            add_name(f->list[FAM_INST], sizeof f->list[FAM_INST], s, len);
        } else if (in_list(s, len, path_dims)) {
            add_name(f->list[FAM_PATH], sizeof f->list[FAM_PATH], s, len);
        }
        s = e ? e + 1 : s + len;
    }
    if (npop >= 2)
        add_name(f->list[FAM_CROSS], sizeof f->list[FAM_CROSS], cross,
                 strlen(cross));
}

static p20w_status ev_4d(store *st, assess_evidence *ev, p20w_err *err)
{
    store_stmt *q = NULL;
    fams f;
    int any = 0;
    memset(&f, 0, sizeof f);
    p20w_status rc = store_prepare(
        st,
        "SELECT DISTINCT c.dims FROM cube_cells c JOIN published_cells p ON "
        "p.cell_id = c.cell_id WHERE p.status NOT IN ('S', 'C') AND "
        "c.build_id IN " COMPLETE_BUILDS " ORDER BY c.dims",
        &q, err);
    while (rc == P20W_OK) {
        int row = 0;
        rc = store_step(q, &row, err);
        if (rc != P20W_OK || !row)
            break;
        any = 1;
        classify(store_column_text(q, 0), &f);
    }
    store_finalize(q);
    if (rc != P20W_OK)
        return rc;
    if (!any) {
        not_measured(ev, "groups",
                     N_("Published breakdowns by group of "
                        "learners"));
        suggest(ev, 1,
                N_("Nothing has been published, so no breakdown is "
                   "available to users."));
        return P20W_OK;
    }
    static const char *const keys[NFAM] = {"groups", "intersections",
                                           "institutions", "pathways"};
    static const char *const labels[NFAM] = {
        N_("Published breakdowns by group of learners"),
        N_("Published breakdowns by two groups at once"),
        N_("Published breakdowns by institution"),
        N_("Published breakdowns by career pathway")};
    int have = 0;
    for (int i = 0; i < NFAM; i++) {
        if (f.list[i][0])
            factf(ev, keys[i], labels[i], "%s", f.list[i]);
        else
            msgid_fact(ev, keys[i], labels[i], N_("none"));
        have += f.list[i][0] != '\0';
    }
    if (have == NFAM)
        suggest(ev, 4,
                N_("Published data is broken down by groups of learners, by "
                   "two groups at once, by institution and by pathway."));
    else if (have == NFAM - 1)
        suggest(ev, 3,
                N_("Published data is broken down in three of the "
                   "four ways a 4 asks for."));
    else if (have > 0)
        suggest(ev, 2,
                N_("Published data is broken down in one or two of "
                   "the four ways a 4 asks for."));
    else
        suggest(ev, 1,
                N_("Published data is not broken down by group, "
                   "institution or pathway."));
    return P20W_OK;
}

/* ---- 5A: accessibility (a stored result only) -------------------------------
 */

static p20w_status ev_5a(store *st, assess_evidence *ev, p20w_err *err)
{
    store_stmt *q = NULL;
    int row = 0;
    p20w_status rc = store_prepare(st,
                                   "SELECT checked_at, result_json FROM "
                                   "assessment_checks WHERE name = 'a11y'",
                                   &q, err);
    if (rc == P20W_OK)
        rc = store_step(q, &row, err);
    json_t *o = NULL;
    char at[32] = "";
    if (rc == P20W_OK && row) {
        snprintf(at, sizeof at, "%s", store_column_text(q, 0));
        o = json_loads(store_column_text(q, 1), 0, NULL);
    }
    store_finalize(q);
    if (rc != P20W_OK)
        return rc;
    if (o == NULL) {
        not_measured(ev, "a11y", N_("Pages checked by axe-core"));
        ev->measured = 0;
        ev->suggested = 0;
        ev->why = N_("No accessibility check of the pages has been recorded "
                     "(p20w assess DB record-a11y): not measured.");
        return P20W_OK;
    }
    int64_t pages = json_integer_value(json_object_get(o, "pages"));
    int64_t viol = json_integer_value(json_object_get(o, "violations"));
    json_t *langs = json_object_get(o, "languages");
    char ls[64] = "";
    for (size_t i = 0; i < json_array_size(langs); i++) {
        size_t used = strlen(ls);
        snprintf(ls + used, sizeof ls - used, "%s%s", i ? ", " : "",
                 json_string_value(json_array_get(langs, i)));
    }
    at[10] = '\0';
    factf(ev, "a11y", N_("Pages checked by axe-core"), "%" PRId64, pages);
    factf(ev, "a11y_tool", N_("Checked with"), "%s",
          json_string_value(json_object_get(o, "tool")));
    factf(ev, "a11y_violations", N_("Accessibility violations found"),
          "%" PRId64, viol);
    factf(ev, "a11y_languages", N_("Languages checked"), "%s", ls);
    factf(ev, "a11y_date", N_("Date of the check"), "%s", at);
    if (viol == 0 && json_array_size(langs) >= 2 && pages > 0)
        suggest(ev, 3,
                N_("The pages pass an automated accessibility check in two "
                   "or more languages. A 4 also needs plain language, links "
                   "to methods and consistent production, which the team "
                   "judges."));
    else
        suggest(ev, 2,
                N_("The recorded check found accessibility violations, or "
                   "the pages were checked in one language only."));
    json_decref(o);
    return P20W_OK;
}

/* ---- all
 * --------------------------------------------------------------------- */

p20w_status assess_evidence_collect(store *st, const assess_evidence_input *in,
                                    int64_t now, assess_evidence *out,
                                    p20w_err *err)
{
    static const char *const order[ASSESS_NEVIDENCE] = {"1B", "2D", "3A", "4A",
                                                        "4C", "4D", "5A"};
    memset(out, 0, ASSESS_NEVIDENCE * sizeof *out);
    for (int i = 0; i < ASSESS_NEVIDENCE; i++)
        out[i].sub = (size_t)assess_sub_index(order[i]);
    p20w_status rc = ev_1b(st, &out[0], err);
    if (rc == P20W_OK)
        rc = ev_2d(st, in, now, &out[1], err);
    if (rc == P20W_OK)
        rc = ev_3a(st, &out[2], err);
    if (rc == P20W_OK)
        rc = ev_4a(st, &out[3], err);
    if (rc == P20W_OK)
        rc = ev_4c(st, now, &out[4], err);
    if (rc == P20W_OK)
        rc = ev_4d(st, &out[5], err);
    if (rc == P20W_OK)
        rc = ev_5a(st, &out[6], err);
    return rc;
}

const assess_evidence *assess_evidence_find(const assess_evidence *ev, size_t n,
                                            size_t sub)
{
    for (size_t i = 0; i < n; i++)
        if (ev[i].sub == sub)
            return &ev[i];
    return NULL;
}
