/*
 * assessment.c — assessments in the store (schema migration 6): create,
 * read, list, save ratings and plan, team members, import from a JSON
 * export; and the pure analysis of one or two assessments (strengths and
 * challenges, what moved).
 *
 * Saving is form by form, as a team fills the assessment over several
 * sittings: a save of ratings or of the plan is checked in full first and
 * then written in one transaction, so a refused form changes nothing and
 * an accepted one is all there. Every save moves updated_at.
 *
 * The text a team types is checked (UTF-8, no control characters, length
 * caps of assess.h) but not otherwise interpreted: it is stored as typed
 * and escaped by whoever shows it.
 */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "assess/assessInt.h"
#include "util/arena.h"
#include "util/mem.h"
#include "util/vec.h"

/* ---- small helpers ------------------------------------------------------ */

static p20w_status prep(store *st, const char *sql, store_stmt **q,
                        p20w_err *err)
{
    return store_prepare(st, sql, q, err);
}

static p20w_status step_done(store_stmt *q, p20w_err *err)
{
    int row = 0;
    return store_step(q, &row, err);
}

static p20w_status bind_text(store_stmt *q, int i, const char *s, p20w_err *err)
{
    return store_bind_text(q, i, s, (size_t)-1, err);
}

/* Binds texts[0..n) to parameters first, first + 1, ... */
static p20w_status bind_texts(store_stmt *q, int first,
                              const char *const *texts, int n, p20w_err *err)
{
    p20w_status rc = P20W_OK;
    for (int i = 0; rc == P20W_OK && i < n; i++)
        rc = bind_text(q, first + i, texts[i], err);
    return rc;
}

/* Prepares sql and binds id to its first parameter. */
static p20w_status prep_id(store *st, const char *sql, int64_t id,
                           store_stmt **q, p20w_err *err)
{
    p20w_status rc = prep(st, sql, q, err);
    if (rc == P20W_OK)
        rc = store_bind_int64(*q, 1, id, err);
    return rc;
}

/* Steps q while *rc is OK: 1 with a row ready, 0 at the end or on an
 * error (left in *rc). The loop of every read: while (next_row(...)). */
static int next_row(store_stmt *q, p20w_status *rc, p20w_err *err)
{
    int row = 0;
    if (*rc == P20W_OK)
        *rc = store_step(q, &row, err);
    return *rc == P20W_OK && row;
}

/* Runs sql once with id as its one parameter. */
static p20w_status exec_id(store *st, const char *sql, int64_t id,
                           p20w_err *err)
{
    store_stmt *q = NULL;
    p20w_status rc = prep_id(st, sql, id, &q, err);
    if (rc == P20W_OK)
        rc = step_done(q, err);
    store_finalize(q);
    return rc;
}

/* Runs sql once: texts[0..n) bind its first n parameters, id the next. */
static p20w_status exec_texts_id(store *st, const char *sql,
                                 const char *const *texts, int n, int64_t id,
                                 p20w_err *err)
{
    store_stmt *q = NULL;
    p20w_status rc = prep(st, sql, &q, err);
    if (rc == P20W_OK)
        rc = bind_texts(q, 1, texts, n, err);
    if (rc == P20W_OK)
        rc = store_bind_int64(q, n + 1, id, err);
    if (rc == P20W_OK)
        rc = step_done(q, err);
    store_finalize(q);
    return rc;
}

/* *found = whether sql, with id as its one parameter, gives a row. */
static p20w_status row_exists(store *st, const char *sql, int64_t id,
                              int *found, p20w_err *err)
{
    store_stmt *q = NULL;
    *found = 0;
    p20w_status rc = prep_id(st, sql, id, &q, err);
    if (rc == P20W_OK)
        rc = store_step(q, found, err);
    store_finalize(q);
    return rc;
}

/* Binds "" as NULL (optional dates and elements). */
static p20w_status bind_opt(store_stmt *q, int i, const char *s, p20w_err *err)
{
    if (s == NULL || s[0] == '\0')
        return store_bind_null(q, i, err);
    return bind_text(q, i, s, err);
}

static p20w_status check_text(const char *what, const char *s, size_t max,
                              int multiline, p20w_err *err)
{
    const char *why = assess_text_problem(s, max, multiline);
    if (why != NULL && strcmp(why, "is too long") == 0)
        return p20w_err_set(err, P20W_EINVAL, "%s is longer than %zu bytes",
                            what, max);
    if (why != NULL)
        return p20w_err_set(err, P20W_EINVAL, "%s %s", what, why);
    return P20W_OK;
}

static p20w_status check_title(const char *title, p20w_err *err)
{
    p20w_status rc = check_text("the title", title, ASSESS_TITLE_MAX, 0, err);
    if (rc == P20W_OK && title[0] == '\0')
        rc = p20w_err_set(err, P20W_EINVAL, "the title is empty");
    return rc;
}

/* P20W_ENOTFOUND unless assessment id exists. */
static p20w_status must_exist(store *st, int64_t id, p20w_err *err)
{
    int row = 0;
    p20w_status rc = row_exists(
        st, "SELECT 1 FROM assessments WHERE assessment_id = ?", id, &row, err);
    if (rc == P20W_OK && !row)
        rc = p20w_err_set(err, P20W_ENOTFOUND, "no assessment %lld",
                          (long long)id);
    return rc;
}

static p20w_status touch(store *st, int64_t id, const char *now, p20w_err *err)
{
    const char *texts[] = {now};
    return exec_texts_id(
        st, "UPDATE assessments SET updated_at = ? WHERE assessment_id = ?",
        texts, 1, id, err);
}

/* Runs body in a transaction unless one is open (import runs several
 * saves in its own). */
static p20w_status tx_begin(store *st, int *mine, p20w_err *err)
{
    *mine = !store_in_transaction(st);
    return *mine ? store_begin(st, err) : P20W_OK;
}

static p20w_status tx_end(store *st, int mine, p20w_status rc, p20w_err *err)
{
    if (!mine)
        return rc;
    if (rc == P20W_OK)
        return store_commit(st, err);
    store_rollback(st, NULL);
    return rc;
}

/* ---- create ------------------------------------------------------------- */

static p20w_status insert_assessment(store *st, const char *title,
                                     const char *owner, const char *version,
                                     const char *now, int64_t *id,
                                     p20w_err *err)
{
    store_stmt *q = NULL;
    p20w_status rc = prep(st,
                          "INSERT INTO assessments (title, owner, "
                          "rubric_version, created_at, updated_at) VALUES "
                          "(?, ?, ?, ?, ?)",
                          &q, err);
    const char *texts[] = {title, owner, version, now, now};
    if (rc == P20W_OK)
        rc = bind_texts(q, 1, texts, 5, err);
    if (rc == P20W_OK)
        rc = step_done(q, err);
    store_finalize(q);
    if (rc == P20W_OK)
        *id = store_last_insert_id(st);
    return rc;
}

static p20w_status check_create(const char *title, const char *owner,
                                const char *version, p20w_err *err)
{
    p20w_status rc = check_title(title, err);
    if (rc == P20W_OK)
        rc = check_text("the owner", owner, ASSESS_NAME_MAX, 0, err);
    if (rc == P20W_OK && owner[0] == '\0')
        rc = p20w_err_set(err, P20W_EINVAL, "the owner is empty");
    if (rc == P20W_OK)
        rc = check_text("the rubric version", version, 32, 0, err);
    if (rc == P20W_OK && version[0] == '\0')
        rc = p20w_err_set(err, P20W_EINVAL, "the rubric version is empty");
    return rc;
}

p20w_status assess_create(store *st, const char *title, const char *owner,
                          const char *rubric_version, int64_t now, int64_t *id,
                          p20w_err *err)
{
    char ts[32];
    assess_time_iso(now, ts);
    p20w_status rc = check_create(title, owner, rubric_version, err);
    if (rc == P20W_OK)
        rc = insert_assessment(st, title, owner, rubric_version, ts, id, err);
    return rc;
}

/* ---- read ------------------------------------------------------------- */

static const char *adup(arena *m, const char *s)
{
    if (s == NULL)
        s = "";
    return arena_strndup(m, s, strlen(s));
}

#define NOMEM(p)                                                               \
    do {                                                                       \
        if ((p) == NULL) {                                                     \
            rc = p20w_err_set(err, P20W_ENOMEM, "out of memory");              \
            goto out;                                                          \
        }                                                                      \
    } while (0)

static p20w_status read_head(store *st, assessment *a, p20w_err *err)
{
    store_stmt *q = NULL;
    int row = 0;
    p20w_status rc = prep_id(st,
                             "SELECT title, owner, status, rubric_version, "
                             "vision, created_at, updated_at FROM assessments "
                             "WHERE assessment_id = ?",
                             a->id, &q, err);
    if (rc == P20W_OK)
        rc = store_step(q, &row, err);
    if (rc == P20W_OK && !row)
        rc = p20w_err_set(err, P20W_ENOTFOUND, "no assessment %lld",
                          (long long)a->id);
    if (rc != P20W_OK)
        goto out;
    const char **f[] = {&a->title,          &a->owner,       &a->status,
                        &a->rubric_version, &a->plan.vision, &a->created_at,
                        &a->updated_at};
    for (int i = 0; i < 7; i++) {
        *f[i] = adup(a->mem, store_column_text(q, i));
        NOMEM(*f[i]);
    }
out:
    store_finalize(q);
    return rc;
}

static p20w_status read_ratings(store *st, assessment *a, p20w_err *err)
{
    store_stmt *q = NULL;
    p20w_status rc = prep_id(st,
                             "SELECT element, rating, evidence FROM "
                             "assessment_ratings WHERE assessment_id = ?",
                             a->id, &q, err);
    while (next_row(q, &rc, err)) {
        int k = assess_sub_index(store_column_text(q, 0));
        if (k < 0)
            continue; /* not of this rubric: kept, not shown */
        a->rating[k] =
            store_column_is_null(q, 1) ? 0 : (int)store_column_int64(q, 1);
        a->evidence[k] = adup(a->mem, store_column_text(q, 2));
        NOMEM(a->evidence[k]);
    }
    if (rc != P20W_OK)
        goto out;
    store_finalize(q);
    q = NULL;
    rc = prep_id(st,
                 "SELECT core, rating FROM assessment_overall WHERE "
                 "assessment_id = ? AND rating IS NOT NULL",
                 a->id, &q, err);
    while (next_row(q, &rc, err)) {
        int64_t c = store_column_int64(q, 0);
        if (c >= 1 && c <= ASSESS_NCORE)
            a->overall[c - 1] = (int)store_column_int64(q, 1);
    }
out:
    store_finalize(q);
    return rc;
}

static p20w_status read_resources(store *st, assessment *a, p20w_err *err)
{
    store_stmt *q = NULL;
    p20w_status rc = prep_id(st,
                             "SELECT kind, available FROM assessment_resources "
                             "WHERE assessment_id = ?",
                             a->id, &q, err);
    while (next_row(q, &rc, err)) {
        int k = assess_resource_parse(store_column_text(q, 0));
        if (k < 0)
            continue;
        a->plan.resources[k] = adup(a->mem, store_column_text(q, 1));
        NOMEM(a->plan.resources[k]);
    }
out:
    store_finalize(q);
    return rc;
}

/* Goals in order, each with its activities in order. */
static p20w_status read_goals(store *st, assessment *a, p20w_err *err)
{
    store_stmt *q = NULL, *qa = NULL;
    vec goals, ids;
    vec_init(&goals, sizeof(assess_goal));
    vec_init(&ids, sizeof(int64_t));
    p20w_status rc =
        prep_id(st,
                "SELECT goal_id, element, specific, measurable, "
                "attainable, relevant, time_bound, owner, due_date "
                "FROM assessment_goals WHERE assessment_id = ? "
                "ORDER BY position",
                a->id, &q, err);
    while (next_row(q, &rc, err)) {
        assess_goal *g = vec_push_zero(&goals);
        int64_t gid = store_column_int64(q, 0);
        NOMEM(g);
        if (vec_push(&ids, &gid) != P20W_OK) {
            rc = p20w_err_set(err, P20W_ENOMEM, "out of memory");
            goto out;
        }
        const char **f[] = {&g->element,    &g->specific, &g->measurable,
                            &g->attainable, &g->relevant, &g->time_bound,
                            &g->owner,      &g->due_date};
        for (int i = 0; i < 8; i++) {
            *f[i] = adup(a->mem, store_column_text(q, i + 1));
            NOMEM(*f[i]);
        }
    }
    if (rc == P20W_OK)
        rc = prep(st,
                  "SELECT activity, owner, due_date, success_metric, lever "
                  "FROM assessment_activities WHERE goal_id = ? ORDER BY "
                  "position",
                  &qa, err);
    for (size_t i = 0; rc == P20W_OK && i < goals.len; i++) {
        assess_goal *g = vec_at(&goals, i);
        vec acts;
        vec_init(&acts, sizeof(assess_activity));
        store_reset(qa);
        rc = store_bind_int64(qa, 1, *(int64_t *)vec_at(&ids, i), err);
        while (next_row(qa, &rc, err)) {
            assess_activity *x = vec_push_zero(&acts);
            if (x == NULL) {
                rc = p20w_err_set(err, P20W_ENOMEM, "out of memory");
                break;
            }
            const char **f[] = {&x->activity, &x->owner, &x->due_date,
                                &x->metric};
            for (int j = 0; rc == P20W_OK && j < 4; j++) {
                *f[j] = adup(a->mem, store_column_text(qa, j));
                if (*f[j] == NULL)
                    rc = p20w_err_set(err, P20W_ENOMEM, "out of memory");
            }
            x->lever = assess_lever_parse(store_column_text(qa, 4));
        }
        if (rc == P20W_OK && acts.len > 0) {
            assess_activity *copy =
                arena_alloc(a->mem, acts.len * sizeof *copy);
            if (copy == NULL)
                rc = p20w_err_set(err, P20W_ENOMEM, "out of memory");
            else
                memcpy(copy, acts.data, acts.len * sizeof *copy);
            g->activities = copy;
            g->nactivities = acts.len;
        }
        vec_free(&acts);
    }
    if (rc == P20W_OK && goals.len > 0) {
        assess_goal *copy = arena_alloc(a->mem, goals.len * sizeof *copy);
        NOMEM(copy);
        memcpy(copy, goals.data, goals.len * sizeof *copy);
        a->plan.goals = copy;
        a->plan.ngoals = goals.len;
    }
out:
    store_finalize(q);
    store_finalize(qa);
    vec_free(&goals);
    vec_free(&ids);
    return rc;
}

static p20w_status read_members(store *st, assessment *a, p20w_err *err)
{
    store_stmt *q = NULL;
    vec names;
    vec_init(&names, sizeof(const char *));
    p20w_status rc =
        prep_id(st,
                "SELECT u.name FROM assessment_members m JOIN users "
                "u ON u.user_id = m.user_id WHERE m.assessment_id = "
                "? ORDER BY u.name",
                a->id, &q, err);
    while (next_row(q, &rc, err)) {
        const char *s = adup(a->mem, store_column_text(q, 0));
        NOMEM(s);
        if (vec_push(&names, &s) != P20W_OK) {
            rc = p20w_err_set(err, P20W_ENOMEM, "out of memory");
            goto out;
        }
    }
    if (rc == P20W_OK && names.len > 0) {
        const char **copy = arena_alloc(a->mem, names.len * sizeof *copy);
        NOMEM(copy);
        memcpy(copy, names.data, names.len * sizeof *copy);
        a->members = copy;
        a->nmembers = names.len;
    }
out:
    store_finalize(q);
    vec_free(&names);
    return rc;
}

p20w_status assess_get(store *st, int64_t id, assessment **out, p20w_err *err)
{
    *out = NULL;
    assessment *a = p20w_calloc(1, sizeof *a);
    if (a == NULL)
        return p20w_err_set(err, P20W_ENOMEM, "out of memory");
    p20w_status rc = arena_create(0, &a->mem);
    if (rc != P20W_OK) {
        p20w_free(a);
        return p20w_err_set(err, rc, "out of memory");
    }
    a->id = id;
    for (int k = 0; k < ASSESS_NSUB; k++)
        a->evidence[k] = "";
    for (int k = 0; k < ASSESS_NRESOURCE; k++)
        a->plan.resources[k] = "";
    rc = read_head(st, a, err);
    if (rc == P20W_OK)
        rc = read_ratings(st, a, err);
    if (rc == P20W_OK)
        rc = read_resources(st, a, err);
    if (rc == P20W_OK)
        rc = read_goals(st, a, err);
    if (rc == P20W_OK)
        rc = read_members(st, a, err);
    if (rc != P20W_OK) {
        assess_free(a);
        return rc;
    }
    *out = a;
    return P20W_OK;
}

void assess_free(assessment *a)
{
    if (a == NULL)
        return;
    arena_free(a->mem);
    p20w_free(a);
}

p20w_status assess_list(store *st, int64_t user_id, assess_summary **out,
                        size_t *n, p20w_err *err)
{
    *out = NULL;
    *n = 0;
    store_stmt *q = NULL;
    vec v;
    vec_init(&v, sizeof(assess_summary));
    p20w_status rc = prep(
        st,
        "SELECT a.assessment_id, a.title, a.owner, a.status, a.created_at, "
        "a.updated_at, (SELECT count(*) FROM assessment_ratings r WHERE "
        "r.assessment_id = a.assessment_id AND r.rating IS NOT NULL) FROM "
        "assessments a WHERE ? <= 0 OR EXISTS (SELECT 1 FROM "
        "assessment_members m WHERE m.assessment_id = a.assessment_id AND "
        "m.user_id = ?) ORDER BY a.created_at DESC, a.assessment_id DESC",
        &q, err);
    if (rc == P20W_OK)
        rc = store_bind_int64(q, 1, user_id, err);
    if (rc == P20W_OK)
        rc = store_bind_int64(q, 2, user_id, err);
    while (next_row(q, &rc, err)) {
        assess_summary *s = vec_push_zero(&v);
        if (s == NULL) {
            rc = p20w_err_set(err, P20W_ENOMEM, "out of memory");
            break;
        }
        s->id = store_column_int64(q, 0);
        snprintf(s->title, sizeof s->title, "%s", store_column_text(q, 1));
        snprintf(s->owner, sizeof s->owner, "%s", store_column_text(q, 2));
        snprintf(s->status, sizeof s->status, "%s", store_column_text(q, 3));
        snprintf(s->created_at, sizeof s->created_at, "%s",
                 store_column_text(q, 4));
        snprintf(s->updated_at, sizeof s->updated_at, "%s",
                 store_column_text(q, 5));
        s->rated = (int)store_column_int64(q, 6);
    }
    store_finalize(q);
    if (rc != P20W_OK) {
        vec_free(&v);
        return rc;
    }
    *out = v.data;
    *n = v.len;
    return P20W_OK;
}

/* ---- save ratings ---------------------------------------------------------
 */

/* Sub-element index, or -(core) for "1".."6"; 0 is never returned for a
 * valid element, so *kind tells which: 1 sub, 2 core, 0 unknown. */
static int parse_element(const char *s, int *kind)
{
    *kind = 0;
    if (s == NULL)
        return 0;
    int k = assess_sub_index(s);
    if (k >= 0) {
        *kind = 1;
        return k;
    }
    if (strlen(s) == 1 && s[0] >= '1' && s[0] < '1' + ASSESS_NCORE) {
        *kind = 2;
        return s[0] - '0';
    }
    return 0;
}

static p20w_status check_entries(const assess_entry *e, size_t n, p20w_err *err)
{
    for (size_t i = 0; i < n; i++) {
        int kind;
        parse_element(e[i].element, &kind);
        if (kind == 0)
            return p20w_err_set(err, P20W_EINVAL,
                                "unknown element '%.8s': sub-elements are "
                                "1A to 6D, core elements 1 to 6",
                                e[i].element ? e[i].element : "");
        if (e[i].rating != ASSESS_KEEP && (e[i].rating < 0 || e[i].rating > 4))
            return p20w_err_set(err, P20W_EINVAL,
                                "%s: a rating is 1 to 4 (or none)",
                                e[i].element);
        if (kind == 2 && e[i].evidence != NULL)
            return p20w_err_set(err, P20W_EINVAL,
                                "%s: evidence belongs to sub-elements, not to "
                                "a core element",
                                e[i].element);
        char what[32];
        snprintf(what, sizeof what, "%s: the evidence", e[i].element);
        if (e[i].evidence != NULL) {
            p20w_status rc =
                check_text(what, e[i].evidence, ASSESS_TEXT_MAX, 1, err);
            if (rc != P20W_OK)
                return rc;
        }
    }
    return P20W_OK;
}

/* A rating 1..4 binds as itself, 0 (none) as NULL. */
static p20w_status bind_rating(store_stmt *q, int i, int rating, p20w_err *err)
{
    if (rating == 0)
        return store_bind_null(q, i, err);
    return store_bind_int64(q, i, rating, err);
}

/* Binds the rest of an UPDATE of sub-element k's row whose first parameter,
 * the new value, is bound (updated_at, assessment, element) and runs it. */
static p20w_status run_sub_update(store_stmt *q, int64_t id, int k,
                                  const char *now, p20w_err *err)
{
    p20w_status rc = bind_text(q, 2, now, err);
    if (rc == P20W_OK)
        rc = store_bind_int64(q, 3, id, err);
    if (rc == P20W_OK)
        rc = bind_text(q, 4, assess_sub_id((size_t)k), err);
    if (rc == P20W_OK)
        rc = step_done(q, err);
    return rc;
}

static p20w_status save_sub(store *st, int64_t id, int k, const assess_entry *e,
                            const char *now, p20w_err *err)
{
    store_stmt *q = NULL;
    p20w_status rc =
        prep_id(st,
                "INSERT INTO assessment_ratings (assessment_id, "
                "element, evidence, updated_at) VALUES (?, ?, '', "
                "?) ON CONFLICT (assessment_id, element) DO NOTHING",
                id, &q, err);
    if (rc == P20W_OK)
        rc = bind_text(q, 2, assess_sub_id((size_t)k), err);
    if (rc == P20W_OK)
        rc = bind_text(q, 3, now, err);
    if (rc == P20W_OK)
        rc = step_done(q, err);
    store_finalize(q);
    q = NULL;
    if (rc == P20W_OK && e->rating != ASSESS_KEEP) {
        rc = prep(st,
                  "UPDATE assessment_ratings SET rating = ?, updated_at = ? "
                  "WHERE assessment_id = ? AND element = ?",
                  &q, err);
        if (rc == P20W_OK)
            rc = bind_rating(q, 1, e->rating, err);
        if (rc == P20W_OK)
            rc = run_sub_update(q, id, k, now, err);
        store_finalize(q);
        q = NULL;
    }
    if (rc == P20W_OK && e->evidence != NULL) {
        rc = prep(st,
                  "UPDATE assessment_ratings SET evidence = ?, updated_at = ? "
                  "WHERE assessment_id = ? AND element = ?",
                  &q, err);
        if (rc == P20W_OK)
            rc = bind_text(q, 1, e->evidence, err);
        if (rc == P20W_OK)
            rc = run_sub_update(q, id, k, now, err);
        store_finalize(q);
    }
    return rc;
}

static p20w_status save_core(store *st, int64_t id, int core, int rating,
                             const char *now, p20w_err *err)
{
    if (rating == ASSESS_KEEP)
        return P20W_OK;
    store_stmt *q = NULL;
    p20w_status rc = prep_id(st,
                             "INSERT INTO assessment_overall (assessment_id, "
                             "core, rating, updated_at) VALUES (?, ?, ?, ?) ON "
                             "CONFLICT (assessment_id, core) DO UPDATE SET "
                             "rating = excluded.rating, updated_at = "
                             "excluded.updated_at",
                             id, &q, err);
    if (rc == P20W_OK)
        rc = store_bind_int64(q, 2, core, err);
    if (rc == P20W_OK)
        rc = bind_rating(q, 3, rating, err);
    if (rc == P20W_OK)
        rc = bind_text(q, 4, now, err);
    if (rc == P20W_OK)
        rc = step_done(q, err);
    store_finalize(q);
    return rc;
}

static p20w_status do_save_ratings(store *st, int64_t id, const assess_entry *e,
                                   size_t n, const char *now, p20w_err *err)
{
    p20w_status rc = P20W_OK;
    for (size_t i = 0; rc == P20W_OK && i < n; i++) {
        int kind;
        int k = parse_element(e[i].element, &kind);
        if (kind == 1)
            rc = save_sub(st, id, k, &e[i], now, err);
        else
            rc = save_core(st, id, k, e[i].rating, now, err);
    }
    return rc;
}

p20w_status assess_save_ratings(store *st, int64_t id, const assess_entry *e,
                                size_t n, int64_t now, p20w_err *err)
{
    char ts[32];
    assess_time_iso(now, ts);
    p20w_status rc = check_entries(e, n, err);
    if (rc != P20W_OK)
        return rc;
    int mine;
    rc = tx_begin(st, &mine, err);
    if (rc != P20W_OK)
        return rc;
    rc = must_exist(st, id, err);
    if (rc == P20W_OK)
        rc = do_save_ratings(st, id, e, n, ts, err);
    if (rc == P20W_OK)
        rc = touch(st, id, ts, err);
    return tx_end(st, mine, rc, err);
}

/* ---- save plan ------------------------------------------------------------
 */

static p20w_status check_field(const char *where, const char *name,
                               const char *s, size_t max, int multiline,
                               p20w_err *err)
{
    char what[96];
    snprintf(what, sizeof what, "%s: %s", where, name);
    return check_text(what, s, max, multiline, err);
}

static p20w_status check_date(const char *where, const char *name,
                              const char *s, p20w_err *err)
{
    if (!assess_date_ok(s))
        return p20w_err_set(err, P20W_EINVAL,
                            "%s: %s must be a date YYYY-MM-DD (or empty)",
                            where, name);
    return P20W_OK;
}

static p20w_status check_activity(const char *where, const assess_activity *x,
                                  p20w_err *err)
{
    p20w_status rc = check_field(where, "the activity", x->activity,
                                 ASSESS_TEXT_MAX, 1, err);
    if (rc == P20W_OK && x->activity[0] == '\0')
        rc = p20w_err_set(err, P20W_EINVAL, "%s: the activity is empty", where);
    if (rc == P20W_OK)
        rc = check_field(where, "the owner", x->owner, ASSESS_NAME_MAX, 0, err);
    if (rc == P20W_OK)
        rc = check_date(where, "the date", x->due_date, err);
    if (rc == P20W_OK)
        rc = check_field(where, "the success metric", x->metric,
                         ASSESS_TEXT_MAX, 1, err);
    if (rc == P20W_OK && (x->lever < 0 || x->lever >= ASSESS_NLEVER))
        rc = p20w_err_set(err, P20W_EINVAL,
                          "%s: the lever is policy, technology, people or "
                          "processes",
                          where);
    return rc;
}

static p20w_status check_goal(size_t gi, const assess_goal *g, p20w_err *err)
{
    char where[32];
    snprintf(where, sizeof where, "goal %zu", gi + 1);
    const char *names[] = {"specific", "measurable", "attainable", "relevant",
                           "time-bound"};
    const char *vals[] = {g->specific, g->measurable, g->attainable,
                          g->relevant, g->time_bound};
    p20w_status rc = P20W_OK;
    for (int i = 0; rc == P20W_OK && i < 5; i++)
        rc = check_field(where, names[i], vals[i], ASSESS_TEXT_MAX, 1, err);
    if (rc == P20W_OK && g->specific[0] == '\0')
        rc =
            p20w_err_set(err, P20W_EINVAL,
                         "%s: say what the goal is (specific is empty)", where);
    if (rc == P20W_OK)
        rc = check_field(where, "the owner", g->owner, ASSESS_NAME_MAX, 0, err);
    if (rc == P20W_OK)
        rc = check_date(where, "the date", g->due_date, err);
    if (rc == P20W_OK && g->element == NULL)
        rc =
            p20w_err_set(err, P20W_EINVAL, "%s: the element is missing", where);
    if (rc == P20W_OK && g->element[0] != '\0' &&
        assess_sub_index(g->element) < 0)
        rc = p20w_err_set(err, P20W_EINVAL,
                          "%s: unknown sub-element '%.8s' (1A to 6D)", where,
                          g->element);
    if (rc == P20W_OK && g->nactivities > ASSESS_ACTIVITIES_MAX)
        rc = p20w_err_set(err, P20W_EINVAL, "%s: more than %d activities",
                          where, ASSESS_ACTIVITIES_MAX);
    for (size_t i = 0; rc == P20W_OK && i < g->nactivities; i++) {
        char w[64];
        snprintf(w, sizeof w, "goal %zu, activity %zu", gi + 1, i + 1);
        rc = check_activity(w, &g->activities[i], err);
    }
    return rc;
}

static p20w_status check_plan(const assess_plan *p, p20w_err *err)
{
    p20w_status rc =
        check_field("plan", "the vision", p->vision, ASSESS_TEXT_MAX, 1, err);
    for (int k = 0; rc == P20W_OK && k < ASSESS_NRESOURCE; k++)
        rc = check_field("resources", assess_resource_id(k), p->resources[k],
                         ASSESS_TEXT_MAX, 1, err);
    if (rc == P20W_OK && p->ngoals > ASSESS_GOALS_MAX)
        rc = p20w_err_set(err, P20W_EINVAL, "more than %d goals",
                          ASSESS_GOALS_MAX);
    for (size_t i = 0; rc == P20W_OK && i < p->ngoals; i++)
        rc = check_goal(i, &p->goals[i], err);
    return rc;
}

static p20w_status delete_plan(store *st, int64_t id, p20w_err *err)
{
    static const char *const sql[] = {
        "DELETE FROM assessment_resources WHERE assessment_id = ?",
        "DELETE FROM assessment_goals WHERE assessment_id = ?"};
    p20w_status rc = P20W_OK;
    for (int i = 0; rc == P20W_OK && i < 2; i++)
        rc = exec_id(st, sql[i], id, err);
    return rc;
}

static p20w_status write_vision(store *st, int64_t id, const char *vision,
                                p20w_err *err)
{
    const char *texts[] = {vision};
    return exec_texts_id(
        st, "UPDATE assessments SET vision = ? WHERE assessment_id = ?", texts,
        1, id, err);
}

static p20w_status write_resources(store *st, int64_t id, const assess_plan *p,
                                   p20w_err *err)
{
    store_stmt *q = NULL;
    p20w_status rc = prep(st,
                          "INSERT INTO assessment_resources (assessment_id, "
                          "kind, available) VALUES (?, ?, ?)",
                          &q, err);
    for (int k = 0; rc == P20W_OK && k < ASSESS_NRESOURCE; k++) {
        if (p->resources[k][0] == '\0')
            continue;
        store_reset(q);
        rc = store_bind_int64(q, 1, id, err);
        if (rc == P20W_OK)
            rc = bind_text(q, 2, assess_resource_id(k), err);
        if (rc == P20W_OK)
            rc = bind_text(q, 3, p->resources[k], err);
        if (rc == P20W_OK)
            rc = step_done(q, err);
    }
    store_finalize(q);
    return rc;
}

static p20w_status write_activities(store *st, int64_t goal_id,
                                    const assess_goal *g, p20w_err *err)
{
    store_stmt *q = NULL;
    p20w_status rc = prep(st,
                          "INSERT INTO assessment_activities (goal_id, "
                          "position, activity, owner, due_date, "
                          "success_metric, lever) VALUES (?, ?, ?, ?, ?, ?, ?)",
                          &q, err);
    for (size_t i = 0; rc == P20W_OK && i < g->nactivities; i++) {
        const assess_activity *x = &g->activities[i];
        store_reset(q);
        rc = store_bind_int64(q, 1, goal_id, err);
        if (rc == P20W_OK)
            rc = store_bind_int64(q, 2, (int64_t)i + 1, err);
        if (rc == P20W_OK)
            rc = bind_text(q, 3, x->activity, err);
        if (rc == P20W_OK)
            rc = bind_text(q, 4, x->owner, err);
        if (rc == P20W_OK)
            rc = bind_opt(q, 5, x->due_date, err);
        if (rc == P20W_OK)
            rc = bind_text(q, 6, x->metric, err);
        if (rc == P20W_OK)
            rc = bind_text(q, 7, assess_lever_id(x->lever), err);
        if (rc == P20W_OK)
            rc = step_done(q, err);
    }
    store_finalize(q);
    return rc;
}

static p20w_status write_goals(store *st, int64_t id, const assess_plan *p,
                               p20w_err *err)
{
    store_stmt *q = NULL;
    p20w_status rc = prep(st,
                          "INSERT INTO assessment_goals (assessment_id, "
                          "position, element, specific, measurable, "
                          "attainable, relevant, time_bound, owner, due_date) "
                          "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                          &q, err);
    for (size_t i = 0; rc == P20W_OK && i < p->ngoals; i++) {
        const assess_goal *g = &p->goals[i];
        int k = g->element[0] ? assess_sub_index(g->element) : -1;
        store_reset(q);
        rc = store_bind_int64(q, 1, id, err);
        if (rc == P20W_OK)
            rc = store_bind_int64(q, 2, (int64_t)i + 1, err);
        if (rc == P20W_OK)
            rc = bind_opt(q, 3, k >= 0 ? assess_sub_id((size_t)k) : NULL, err);
        const char *vals[] = {g->specific, g->measurable, g->attainable,
                              g->relevant, g->time_bound, g->owner};
        for (int j = 0; rc == P20W_OK && j < 6; j++)
            rc = bind_text(q, 4 + j, vals[j], err);
        if (rc == P20W_OK)
            rc = bind_opt(q, 10, g->due_date, err);
        if (rc == P20W_OK)
            rc = step_done(q, err);
        if (rc == P20W_OK)
            rc = write_activities(st, store_last_insert_id(st), g, err);
    }
    store_finalize(q);
    return rc;
}

static p20w_status do_save_plan(store *st, int64_t id, const assess_plan *p,
                                p20w_err *err)
{
    p20w_status rc = delete_plan(st, id, err);
    if (rc == P20W_OK)
        rc = write_vision(st, id, p->vision, err);
    if (rc == P20W_OK)
        rc = write_resources(st, id, p, err);
    if (rc == P20W_OK)
        rc = write_goals(st, id, p, err);
    return rc;
}

p20w_status assess_save_plan(store *st, int64_t id, const assess_plan *p,
                             int64_t now, p20w_err *err)
{
    char ts[32];
    assess_time_iso(now, ts);
    p20w_status rc = check_plan(p, err);
    if (rc != P20W_OK)
        return rc;
    int mine;
    rc = tx_begin(st, &mine, err);
    if (rc != P20W_OK)
        return rc;
    rc = must_exist(st, id, err);
    if (rc == P20W_OK)
        rc = do_save_plan(st, id, p, err);
    if (rc == P20W_OK)
        rc = touch(st, id, ts, err);
    return tx_end(st, mine, rc, err);
}

/* ---- title, status, members, delete ---------------------------------------
 */

static p20w_status update_one(store *st, const char *sql, int64_t id,
                              const char *value, const char *now, p20w_err *err)
{
    const char *texts[] = {value, now};
    p20w_status rc = exec_texts_id(st, sql, texts, 2, id, err);
    if (rc == P20W_OK && store_changes(st) == 0)
        rc = p20w_err_set(err, P20W_ENOTFOUND, "no assessment %lld",
                          (long long)id);
    return rc;
}

p20w_status assess_set_title(store *st, int64_t id, const char *title,
                             int64_t now, p20w_err *err)
{
    char ts[32];
    assess_time_iso(now, ts);
    p20w_status rc = check_title(title, err);
    if (rc == P20W_OK)
        rc = update_one(st,
                        "UPDATE assessments SET title = ?, updated_at = ? "
                        "WHERE assessment_id = ?",
                        id, title, ts, err);
    return rc;
}

/* The first sub-element of id without a rating, or -1. */
static p20w_status first_unrated(store *st, int64_t id, int *k, p20w_err *err)
{
    int rated[ASSESS_NSUB] = {0};
    store_stmt *q = NULL;
    p20w_status rc = prep_id(st,
                             "SELECT element FROM assessment_ratings WHERE "
                             "assessment_id = ? AND rating IS NOT NULL",
                             id, &q, err);
    while (next_row(q, &rc, err)) {
        int i = assess_sub_index(store_column_text(q, 0));
        if (i >= 0)
            rated[i] = 1;
    }
    store_finalize(q);
    *k = -1;
    for (int i = 0; *k < 0 && i < ASSESS_NSUB; i++)
        if (!rated[i])
            *k = i;
    return rc;
}

static p20w_status do_set_status(store *st, int64_t id, int complete,
                                 const char *now, p20w_err *err)
{
    int k = -1;
    p20w_status rc = must_exist(st, id, err);
    if (rc == P20W_OK && complete)
        rc = first_unrated(st, id, &k, err);
    if (rc == P20W_OK && k >= 0)
        rc = p20w_err_set(err, P20W_EINVAL,
                          "cannot mark complete: %s is not rated yet",
                          assess_sub_id((size_t)k));
    if (rc == P20W_OK)
        rc = update_one(st,
                        "UPDATE assessments SET status = ?, updated_at = ? "
                        "WHERE assessment_id = ?",
                        id, complete ? "complete" : "draft", now, err);
    return rc;
}

p20w_status assess_set_status(store *st, int64_t id, int complete, int64_t now,
                              p20w_err *err)
{
    char ts[32];
    assess_time_iso(now, ts);
    int mine;
    p20w_status rc = tx_begin(st, &mine, err);
    if (rc != P20W_OK)
        return rc;
    rc = do_set_status(st, id, complete, ts, err);
    return tx_end(st, mine, rc, err);
}

static p20w_status user_exists(store *st, int64_t user_id, p20w_err *err)
{
    int row = 0;
    p20w_status rc = row_exists(st, "SELECT 1 FROM users WHERE user_id = ?",
                                user_id, &row, err);
    if (rc == P20W_OK && !row)
        rc = p20w_err_set(err, P20W_ENOTFOUND, "no user %lld",
                          (long long)user_id);
    return rc;
}

static p20w_status member_sql(store *st, const char *sql, int64_t id,
                              int64_t user_id, p20w_err *err)
{
    store_stmt *q = NULL;
    p20w_status rc = prep(st, sql, &q, err);
    if (rc == P20W_OK)
        rc = store_bind_int64(q, 1, id, err);
    if (rc == P20W_OK)
        rc = store_bind_int64(q, 2, user_id, err);
    if (rc == P20W_OK)
        rc = step_done(q, err);
    store_finalize(q);
    return rc;
}

p20w_status assess_member_add(store *st, int64_t id, int64_t user_id,
                              p20w_err *err)
{
    p20w_status rc = must_exist(st, id, err);
    if (rc == P20W_OK)
        rc = user_exists(st, user_id, err);
    if (rc == P20W_OK)
        rc = member_sql(st,
                        "INSERT INTO assessment_members (assessment_id, "
                        "user_id) VALUES (?, ?) ON CONFLICT DO NOTHING",
                        id, user_id, err);
    return rc;
}

p20w_status assess_member_remove(store *st, int64_t id, int64_t user_id,
                                 p20w_err *err)
{
    p20w_status rc = must_exist(st, id, err);
    if (rc == P20W_OK)
        rc = member_sql(st,
                        "DELETE FROM assessment_members WHERE assessment_id = "
                        "? AND user_id = ?",
                        id, user_id, err);
    return rc;
}

p20w_status assess_is_member(store *st, int64_t id, int64_t user_id, int *yes,
                             p20w_err *err)
{
    store_stmt *q = NULL;
    int row = 0;
    *yes = 0;
    p20w_status rc = prep_id(st,
                             "SELECT 1 FROM assessment_members WHERE "
                             "assessment_id = ? AND user_id = ?",
                             id, &q, err);
    if (rc == P20W_OK)
        rc = store_bind_int64(q, 2, user_id, err);
    if (rc == P20W_OK)
        rc = store_step(q, &row, err);
    store_finalize(q);
    *yes = rc == P20W_OK && row;
    return rc;
}

p20w_status assess_delete(store *st, int64_t id, p20w_err *err)
{
    p20w_status rc =
        exec_id(st, "DELETE FROM assessments WHERE assessment_id = ?", id, err);
    if (rc == P20W_OK && store_changes(st) == 0)
        rc = p20w_err_set(err, P20W_ENOTFOUND, "no assessment %lld",
                          (long long)id);
    return rc;
}

/* ---- import ------------------------------------------------------------- */

/* What an export holds, read from JSON; strings point into the JSON. */
typedef struct imported {
    const char *title, *status;
    assess_entry entries[ASSESS_NSUB + ASSESS_NCORE];
    size_t nentries;
    assess_plan plan;
    assess_goal goals[ASSESS_GOALS_MAX];
    assess_activity acts[ASSESS_GOALS_MAX][ASSESS_ACTIVITIES_MAX];
} imported;

static p20w_status bad_import(p20w_err *err, const char *where,
                              const char *what)
{
    return p20w_err_set(err, P20W_EINVAL, "import: %s: %s", where, what);
}

/* Refuses keys of o not in keys (NULL-terminated). */
static p20w_status import_keys(json_t *o, const char *where,
                               const char *const *keys, p20w_err *err)
{
    const char *k;
    json_t *v;
    json_object_foreach(o, k, v)
    {
        (void)v;
        size_t i = 0;
        while (keys[i] != NULL && strcmp(keys[i], k) != 0)
            i++;
        if (keys[i] == NULL) {
            char w[128];
            snprintf(w, sizeof w, "%s.%.40s", where, k);
            return bad_import(err, w, "unknown key");
        }
    }
    return P20W_OK;
}

/* o[key] as a string; absent gives "" unless required. */
static p20w_status import_str(json_t *o, const char *key, const char *where,
                              int required, const char **out, p20w_err *err)
{
    json_t *v = json_object_get(o, key);
    char w[128];
    snprintf(w, sizeof w, "%s.%s", where, key);
    *out = "";
    if (v == NULL || json_is_null(v))
        return required ? bad_import(err, w, "missing") : P20W_OK;
    if (!json_is_string(v))
        return bad_import(err, w, "must be a string");
    if (strlen(json_string_value(v)) != json_string_length(v))
        return bad_import(err, w, "holds a NUL character");
    *out = json_string_value(v);
    return P20W_OK;
}

/* A rating: null or an integer 1..4 (0 for null). */
static p20w_status import_rating(json_t *v, const char *where, int *out,
                                 p20w_err *err)
{
    *out = 0;
    if (v == NULL || json_is_null(v))
        return P20W_OK;
    if (!json_is_integer(v) || json_integer_value(v) < 1 ||
        json_integer_value(v) > 4)
        return bad_import(err, where, "a rating is null or 1 to 4");
    *out = (int)json_integer_value(v);
    return P20W_OK;
}

static p20w_status import_ratings(json_t *root, imported *im, p20w_err *err)
{
    static const char *const keys[] = {"element", "title", "rating", "evidence",
                                       NULL};
    json_t *arr = json_object_get(root, "ratings");
    if (arr != NULL && !json_is_array(arr))
        return bad_import(err, "ratings", "must be an array");
    if (json_array_size(arr) > ASSESS_NSUB)
        return bad_import(err, "ratings", "more entries than sub-elements");
    p20w_status rc = P20W_OK;
    int seen[ASSESS_NSUB] = {0};
    for (size_t i = 0; rc == P20W_OK && i < json_array_size(arr); i++) {
        char w[48];
        snprintf(w, sizeof w, "ratings[%zu]", i);
        json_t *o = json_array_get(arr, i);
        if (!json_is_object(o))
            return bad_import(err, w, "must be an object");
        assess_entry *e = &im->entries[im->nentries++];
        rc = import_keys(o, w, keys, err);
        if (rc == P20W_OK)
            rc = import_str(o, "element", w, 1, &e->element, err);
        int k = rc == P20W_OK ? assess_sub_index(e->element) : 0;
        if (rc == P20W_OK && k < 0)
            rc = bad_import(err, w, "element must be a sub-element 1A to 6D");
        if (rc == P20W_OK && seen[k]++)
            rc = bad_import(err, w, "element given twice");
        char wr[64];
        snprintf(wr, sizeof wr, "%s.rating", w);
        if (rc == P20W_OK)
            rc = import_rating(json_object_get(o, "rating"), wr, &e->rating,
                               err);
        if (rc == P20W_OK)
            rc = import_str(o, "evidence", w, 0, &e->evidence, err);
    }
    return rc;
}

static p20w_status import_overall(json_t *root, imported *im, p20w_err *err)
{
    static const char *const keys[] = {"core", "title", "rating", NULL};
    static const char *const cores[] = {"1", "2", "3", "4", "5", "6"};
    json_t *arr = json_object_get(root, "overall");
    if (arr != NULL && !json_is_array(arr))
        return bad_import(err, "overall", "must be an array");
    if (json_array_size(arr) > ASSESS_NCORE)
        return bad_import(err, "overall", "more entries than core elements");
    p20w_status rc = P20W_OK;
    int seen[ASSESS_NCORE] = {0};
    for (size_t i = 0; rc == P20W_OK && i < json_array_size(arr); i++) {
        char w[48];
        snprintf(w, sizeof w, "overall[%zu]", i);
        json_t *o = json_array_get(arr, i);
        if (!json_is_object(o))
            return bad_import(err, w, "must be an object");
        rc = import_keys(o, w, keys, err);
        json_t *c = json_object_get(o, "core");
        if (rc == P20W_OK &&
            (!json_is_integer(c) || json_integer_value(c) < 1 ||
             json_integer_value(c) > ASSESS_NCORE))
            rc = bad_import(err, w, "core must be 1 to 6");
        if (rc != P20W_OK)
            break;
        int core = (int)json_integer_value(c);
        if (seen[core - 1]++)
            return bad_import(err, w, "core given twice");
        assess_entry *e = &im->entries[im->nentries++];
        e->element = cores[core - 1];
        char wr[64];
        snprintf(wr, sizeof wr, "%s.rating", w);
        rc = import_rating(json_object_get(o, "rating"), wr, &e->rating, err);
    }
    return rc;
}

static p20w_status import_activity(json_t *o, const char *w, assess_activity *x,
                                   p20w_err *err)
{
    static const char *const keys[] = {"activity",       "owner", "due_date",
                                       "success_metric", "lever", NULL};
    const char *lever = "";
    if (!json_is_object(o))
        return bad_import(err, w, "must be an object");
    p20w_status rc = import_keys(o, w, keys, err);
    if (rc == P20W_OK)
        rc = import_str(o, "activity", w, 1, &x->activity, err);
    if (rc == P20W_OK)
        rc = import_str(o, "owner", w, 0, &x->owner, err);
    if (rc == P20W_OK)
        rc = import_str(o, "due_date", w, 0, &x->due_date, err);
    if (rc == P20W_OK)
        rc = import_str(o, "success_metric", w, 0, &x->metric, err);
    if (rc == P20W_OK)
        rc = import_str(o, "lever", w, 1, &lever, err);
    x->lever = assess_lever_parse(lever);
    return rc;
}

static p20w_status import_goal(json_t *o, const char *w, assess_goal *g,
                               assess_activity *acts, p20w_err *err)
{
    static const char *const keys[] = {
        "element",    "specific", "measurable", "attainable", "relevant",
        "time_bound", "owner",    "due_date",   "activities", NULL};
    if (!json_is_object(o))
        return bad_import(err, w, "must be an object");
    p20w_status rc = import_keys(o, w, keys, err);
    const char **f[] = {&g->element,    &g->specific, &g->measurable,
                        &g->attainable, &g->relevant, &g->time_bound,
                        &g->owner,      &g->due_date};
    for (int i = 0; rc == P20W_OK && i < 8; i++)
        rc = import_str(o, keys[i], w, i == 1, f[i], err);
    json_t *arr = json_object_get(o, "activities");
    char wa[72];
    snprintf(wa, sizeof wa, "%s.activities", w);
    if (rc == P20W_OK && arr != NULL && !json_is_array(arr))
        rc = bad_import(err, wa, "must be an array");
    if (rc == P20W_OK && json_array_size(arr) > ASSESS_ACTIVITIES_MAX)
        rc = bad_import(err, wa, "too many activities");
    for (size_t i = 0; rc == P20W_OK && i < json_array_size(arr); i++) {
        char wi[96];
        snprintf(wi, sizeof wi, "%s[%zu]", wa, i);
        rc = import_activity(json_array_get(arr, i), wi, &acts[i], err);
    }
    g->activities = acts;
    g->nactivities = rc == P20W_OK ? json_array_size(arr) : 0;
    return rc;
}

static p20w_status import_plan(json_t *root, imported *im, p20w_err *err)
{
    static const char *const keys[] = {"vision", "resources", "goals", NULL};
    json_t *p = json_object_get(root, "plan");
    im->plan.vision = "";
    for (int k = 0; k < ASSESS_NRESOURCE; k++)
        im->plan.resources[k] = "";
    im->plan.goals = im->goals;
    if (p == NULL)
        return P20W_OK;
    if (!json_is_object(p))
        return bad_import(err, "plan", "must be an object");
    p20w_status rc = import_keys(p, "plan", keys, err);
    if (rc == P20W_OK)
        rc = import_str(p, "vision", "plan", 0, &im->plan.vision, err);
    json_t *res = json_object_get(p, "resources");
    if (rc == P20W_OK && res != NULL && !json_is_object(res))
        rc = bad_import(err, "plan.resources", "must be an object");
    const char *k;
    json_t *v;
    json_object_foreach(res, k, v)
    {
        int kind = assess_resource_parse(k);
        if (rc == P20W_OK && kind < 0)
            rc = bad_import(err, "plan.resources",
                            "kinds are funding, staffing, partnerships, "
                            "technology and other");
        if (rc == P20W_OK)
            rc = import_str(res, k, "plan.resources", 0,
                            &im->plan.resources[kind], err);
    }
    json_t *goals = json_object_get(p, "goals");
    if (rc == P20W_OK && goals != NULL && !json_is_array(goals))
        rc = bad_import(err, "plan.goals", "must be an array");
    if (rc == P20W_OK && json_array_size(goals) > ASSESS_GOALS_MAX)
        rc = bad_import(err, "plan.goals", "too many goals");
    for (size_t i = 0; rc == P20W_OK && i < json_array_size(goals); i++) {
        char w[48];
        snprintf(w, sizeof w, "plan.goals[%zu]", i);
        rc = import_goal(json_array_get(goals, i), w, &im->goals[i],
                         im->acts[i], err);
        im->plan.ngoals = i + 1;
    }
    return rc;
}

static p20w_status import_read(json_t *root, imported *im, p20w_err *err)
{
    static const char *const keys[] = {
        "format",  "version",        "id",         "title",      "owner",
        "status",  "rubric_version", "created_at", "updated_at", "members",
        "ratings", "overall",        "plan",       NULL};
    if (!json_is_object(root))
        return bad_import(err, "(top level)", "must be an object");
    p20w_status rc = import_keys(root, "(top level)", keys, err);
    const char *format = "";
    if (rc == P20W_OK)
        rc = import_str(root, "format", "(top level)", 1, &format, err);
    if (rc == P20W_OK && strcmp(format, "p20w-assessment") != 0)
        rc = bad_import(err, "format", "is not \"p20w-assessment\"");
    json_t *ver = json_object_get(root, "version");
    if (rc == P20W_OK &&
        (!json_is_integer(ver) || json_integer_value(ver) != 1))
        rc = bad_import(err, "version", "this p20w reads version 1");
    if (rc == P20W_OK)
        rc = import_str(root, "title", "(top level)", 1, &im->title, err);
    if (rc == P20W_OK)
        rc = import_str(root, "status", "(top level)", 0, &im->status, err);
    if (rc == P20W_OK && im->status[0] && strcmp(im->status, "draft") &&
        strcmp(im->status, "complete"))
        rc = bad_import(err, "status", "is draft or complete");
    if (rc == P20W_OK)
        rc = import_ratings(root, im, err);
    if (rc == P20W_OK)
        rc = import_overall(root, im, err);
    if (rc == P20W_OK)
        rc = import_plan(root, im, err);
    return rc;
}

p20w_status assess_import_json(store *st, const char *text, size_t len,
                               const char *owner, int64_t now, int64_t *id,
                               p20w_err *err)
{
    *id = 0;
    if (len > ASSESS_IMPORT_MAX)
        return p20w_err_set(err, P20W_ELIMIT, "import: larger than %d bytes",
                            ASSESS_IMPORT_MAX);
    json_error_t je;
    json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
    if (root == NULL) {
        p20w_err_set(err, P20W_EFORMAT, "import: not valid JSON: %s", je.text);
        p20w_err_at(err, NULL, je.line, je.column);
        return P20W_EFORMAT;
    }
    imported *im = p20w_calloc(1, sizeof *im);
    char ts[32];
    assess_time_iso(now, ts);
    p20w_status rc = im == NULL
                         ? p20w_err_set(err, P20W_ENOMEM, "out of memory")
                         : import_read(root, im, err);
    const char *version = "";
    if (rc == P20W_OK)
        rc =
            import_str(root, "rubric_version", "(top level)", 0, &version, err);
    if (rc == P20W_OK && version[0] == '\0')
        version = "1";
    if (rc == P20W_OK)
        rc = check_create(im->title, owner, version, err);
    if (rc == P20W_OK)
        rc = check_entries(im->entries, im->nentries, err);
    if (rc == P20W_OK)
        rc = check_plan(&im->plan, err);
    int mine = 0;
    if (rc == P20W_OK)
        rc = tx_begin(st, &mine, err);
    if (rc != P20W_OK)
        goto out;
    int64_t nid = 0;
    rc = insert_assessment(st, im->title, owner, version, ts, &nid, err);
    if (rc == P20W_OK)
        rc = do_save_ratings(st, nid, im->entries, im->nentries, ts, err);
    if (rc == P20W_OK)
        rc = do_save_plan(st, nid, &im->plan, err);
    if (rc == P20W_OK && strcmp(im->status, "complete") == 0)
        rc = do_set_status(st, nid, 1, ts, err);
    rc = tx_end(st, mine, rc, err);
    if (rc == P20W_OK)
        *id = nid;
out:
    p20w_free(im);
    json_decref(root);
    return rc;
}

p20w_status assess_save_plan_json(store *st, int64_t id, const char *text,
                                  size_t len, int64_t now, p20w_err *err)
{
    if (len > ASSESS_IMPORT_MAX)
        return p20w_err_set(err, P20W_ELIMIT, "plan: larger than %d bytes",
                            ASSESS_IMPORT_MAX);
    json_error_t je;
    json_t *plan = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
    if (plan == NULL) {
        p20w_err_set(err, P20W_EFORMAT, "plan: not valid JSON: %s", je.text);
        p20w_err_at(err, NULL, je.line, je.column);
        return P20W_EFORMAT;
    }
    /* import_plan reads root.plan: wrap the object. */
    json_t *root = json_object();
    p20w_status rc = P20W_OK;
    /* set_new takes plan even when it fails; without root, drop it. */
    if (root == NULL)
        json_decref(plan);
    if (root == NULL || json_object_set_new(root, "plan", plan) != 0)
        rc = p20w_err_set(err, P20W_ENOMEM, "out of memory");
    imported *im = rc == P20W_OK ? p20w_calloc(1, sizeof *im) : NULL;
    if (rc == P20W_OK && im == NULL)
        rc = p20w_err_set(err, P20W_ENOMEM, "out of memory");
    if (rc == P20W_OK && !json_is_object(plan))
        rc = bad_import(err, "plan", "must be an object");
    if (rc == P20W_OK)
        rc = import_plan(root, im, err);
    if (rc == P20W_OK)
        rc = assess_save_plan(st, id, &im->plan, now, err);
    p20w_free(im);
    json_decref(root);
    return rc;
}

/* ---- analysis ------------------------------------------------------------ */

void assess_rank(const assessment *a, size_t max, size_t *strengths,
                 size_t *nstrengths, size_t *challenges, size_t *nchallenges)
{
    *nstrengths = 0;
    *nchallenges = 0;
    /* Strengths: 4s then 3s; challenges: 1s then 2s; rubric order. */
    for (int want = 4; want >= 3; want--)
        for (size_t k = 0; k < ASSESS_NSUB && *nstrengths < max; k++)
            if (a->rating[k] == want)
                strengths[(*nstrengths)++] = k;
    for (int want = 1; want <= 2; want++)
        for (size_t k = 0; k < ASSESS_NSUB && *nchallenges < max; k++)
            if (a->rating[k] == want)
                challenges[(*nchallenges)++] = k;
}

void assess_compare(const assessment *before, const assessment *after,
                    assess_diff *d)
{
    memset(d, 0, sizeof *d);
    for (size_t k = 0; k < ASSESS_NSUB; k++) {
        d->before[k] = before->rating[k];
        d->after[k] = after->rating[k];
        if (d->before[k] == 0 || d->after[k] == 0)
            d->unrated++;
        else if (d->after[k] > d->before[k])
            d->up++;
        else if (d->after[k] < d->before[k])
            d->down++;
        else
            d->same++;
    }
    for (int c = 0; c < ASSESS_NCORE; c++) {
        d->overall_before[c] = before->overall[c];
        d->overall_after[c] = after->overall[c];
    }
}

double assess_core_mean(const assessment *a, int core)
{
    size_t first = assess_core_first(core), n = assess_core_count(core);
    int sum = 0, cnt = 0;
    for (size_t k = first; k < first + n; k++) {
        if (a->rating[k] > 0) {
            sum += a->rating[k];
            cnt++;
        }
    }
    return cnt ? (double)sum / cnt : 0.0;
}

/* ---- stored checks ------------------------------------------------------- */

static p20w_status a11y_read(json_t *o, int64_t now, char ts[32], p20w_err *err)
{
    static const char *const keys[] = {"tool",      "pages",      "violations",
                                       "languages", "checked_at", NULL};
    if (!json_is_object(o))
        return bad_import(err, "accessibility result", "must be an object");
    p20w_status rc = import_keys(o, "accessibility result", keys, err);
    const char *tool = "", *at = "";
    if (rc == P20W_OK)
        rc = import_str(o, "tool", "accessibility result", 1, &tool, err);
    if (rc == P20W_OK)
        rc = check_text("the tool", tool, 100, 0, err);
    const char *ints[] = {"pages", "violations"};
    for (int i = 0; rc == P20W_OK && i < 2; i++) {
        json_t *v = json_object_get(o, ints[i]);
        if (!json_is_integer(v) || json_integer_value(v) < 0)
            rc = bad_import(err, ints[i], "must be a whole number, 0 or more");
    }
    json_t *langs = json_object_get(o, "languages");
    if (rc == P20W_OK && (!json_is_array(langs) || json_array_size(langs) > 20))
        rc = bad_import(err, "languages",
                        "must be a list of language codes (at most 20)");
    for (size_t i = 0; rc == P20W_OK && i < json_array_size(langs); i++) {
        json_t *v = json_array_get(langs, i);
        if (!json_is_string(v) || json_string_length(v) < 2 ||
            json_string_length(v) > 8 ||
            assess_text_problem(json_string_value(v), 8, 0) != NULL)
            rc = bad_import(err, "languages", "holds a bad language code");
    }
    if (rc == P20W_OK)
        rc = import_str(o, "checked_at", "accessibility result", 0, &at, err);
    if (rc == P20W_OK && at[0] && assess_time_parse(at) < 0)
        rc = bad_import(err, "checked_at",
                        "must be YYYY-MM-DDTHH:MM:SSZ or YYYY-MM-DD");
    if (rc == P20W_OK)
        assess_time_iso(at[0] ? assess_time_parse(at) : now, ts);
    return rc;
}

p20w_status assess_record_a11y(store *st, const char *json, size_t len,
                               int64_t now, p20w_err *err)
{
    if (len > 65536)
        return p20w_err_set(err, P20W_ELIMIT,
                            "accessibility result: larger than 64 KiB");
    json_error_t je;
    json_t *o = json_loadb(json, len, JSON_REJECT_DUPLICATES, &je);
    if (o == NULL) {
        p20w_err_set(err, P20W_EFORMAT,
                     "accessibility result: not valid JSON: %s", je.text);
        p20w_err_at(err, NULL, je.line, je.column);
        return P20W_EFORMAT;
    }
    char ts[32];
    p20w_status rc = a11y_read(o, now, ts, err);
    char *dump = NULL;
    if (rc == P20W_OK) {
        json_object_del(o, "checked_at");
        dump = json_dumps(o, JSON_SORT_KEYS | JSON_COMPACT);
        if (dump == NULL)
            rc = p20w_err_set(err, P20W_ENOMEM, "out of memory");
    }
    store_stmt *q = NULL;
    if (rc == P20W_OK)
        rc = prep(st,
                  "INSERT INTO assessment_checks (name, checked_at, "
                  "result_json) VALUES ('a11y', ?, ?) ON CONFLICT (name) DO "
                  "UPDATE SET checked_at = excluded.checked_at, result_json "
                  "= excluded.result_json",
                  &q, err);
    if (rc == P20W_OK)
        rc = bind_text(q, 1, ts, err);
    if (rc == P20W_OK)
        rc = bind_text(q, 2, dump, err);
    if (rc == P20W_OK)
        rc = step_done(q, err);
    store_finalize(q);
    free(dump);
    json_decref(o);
    return rc;
}
