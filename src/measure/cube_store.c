/*
 * cube_store.c — whole cube builds: every indicator through the engine,
 * the cells into cube_cells, the build into cube_builds (cube.h).
 *
 * Atomicity. The build row is written first, on its own, as 'running', so
 * that a failure can be recorded. Then one transaction deletes the
 * profile's previous cells, computes each indicator and inserts its cells
 * as soon as they are computed (one prepared statement, reused), and marks
 * the build complete: readers see the old cube until the commit and the
 * new one after it, and a failure anywhere rolls everything back and
 * marks the build 'failed'. The transaction holds SQLite's write lock
 * while indicators are computed; readers are not blocked (WAL).
 *
 * Memory. One indicator's cells exist at a time: computed, written,
 * dropped by the next cube_begin().
 */
#include "measure/cube.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "util/date.h"
#include "util/mem.h"
#include "util/sbuf.h"

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static long peak_rss_kb(void)
{
    struct rusage ru;
    if (getrusage(RUSAGE_SELF, &ru) != 0)
        return 0;
    return ru.ru_maxrss; /* kilobytes on Linux */
}

static void add_stage(cube_build_report *rep, const cube_build_opts *o,
                      const char *name, double seconds, int64_t cells)
{
    if (rep->nstages == CUBE_MAX_STAGES)
        return;
    cube_stage *s = &rep->stage[rep->nstages++];
    snprintf(s->name, sizeof s->name, "%s", name);
    s->seconds = seconds;
    s->cells = cells;
    if (o->on_stage != NULL)
        o->on_stage(o->ctx, s);
}

/* The stages as JSON text (p20w_free), NULL when out of memory. */
static char *stages_json(const cube_build_report *rep)
{
    json_t *a = json_array();
    for (size_t i = 0; a != NULL && i < rep->nstages; i++) {
        const cube_stage *s = &rep->stage[i];
        json_t *e =
            json_pack("{s:s, s:f}", "name", s->name, "seconds", s->seconds);
        if (e != NULL && s->cells > 0 &&
            json_object_set_new(e, "cells", json_integer(s->cells)) != 0) {
            json_decref(e);
            e = NULL;
        }
        if (json_array_append_new(a, e) != 0) {
            json_decref(a);
            a = NULL;
        }
    }
    json_t *o = a ? json_pack("{s:o, s:I, s:I}", "stages", a, "cells",
                              (json_int_t)rep->cells, "peak_rss_kb",
                              (json_int_t)rep->peak_rss_kb)
                  : NULL;
    char *s = o ? json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    json_decref(o);
    char *copy = s ? p20w_strdup(s) : NULL;
    free(s); /* jansson allocates with malloc */
    return copy;
}

/* Runs one statement binding ntext texts (NULL binds SQL NULL), then id
 * when > 0. */
static p20w_status run_sql(store *db, const char *sql, size_t ntext,
                           const char *const *text, int64_t id, p20w_err *err)
{
    store_stmt *q = NULL;
    p20w_status rc = store_prepare(db, sql, &q, err);
    int i = 1, row;
    for (size_t t = 0; rc == P20W_OK && t < ntext; t++)
        rc = store_bind_text(q, i++, text[t], (size_t)-1, err);
    if (rc == P20W_OK && id > 0)
        rc = store_bind_int64(q, i, id, err);
    if (rc == P20W_OK)
        rc = store_step(q, &row, err);
    store_finalize(q);
    return rc;
}

/* Writes the cells of the indicator just finished. */
static p20w_status write_cells(store_stmt *ins, const cube *c,
                               const measure_indicator *ind, int64_t build_id,
                               const char *profile, sbuf *key, sbuf *json,
                               sbuf *dims, p20w_err *err)
{
    p20w_status rc = P20W_OK;
    for (size_t i = 0; rc == P20W_OK && i < cube_cell_count(c); i++) {
        const cube_cell *cell = cube_cell_at(c, i);
        rc = cube_cell_key(c, cell, key, json, dims);
        if (rc != P20W_OK) {
            p20w_err_set(err, rc, "out of memory");
            break;
        }
        store_reset(ins);
        rc = store_bind_int64(ins, 1, build_id, err);
        if (rc == P20W_OK)
            rc = store_bind_text(ins, 2, profile, (size_t)-1, err);
        if (rc == P20W_OK)
            rc = store_bind_text(ins, 3, ind->id, (size_t)-1, err);
        if (rc == P20W_OK)
            rc = store_bind_text(ins, 4, sbuf_cstr(dims), (size_t)-1, err);
        if (rc == P20W_OK)
            rc = store_bind_text(ins, 5, sbuf_cstr(key), (size_t)-1, err);
        if (rc == P20W_OK)
            rc = store_bind_text(ins, 6, sbuf_cstr(json), (size_t)-1, err);
        if (rc == P20W_OK)
            rc = store_bind_int64(ins, 7, cell->year, err);
        int has_num = ind->stat != MS_PERCENTILE;
        int has_den = has_num && ind->stat != MS_COUNT;
        if (rc == P20W_OK && has_num)
            rc = store_bind_int64(ins, 8, cell->numerator, err);
        if (rc == P20W_OK && has_den)
            rc = store_bind_int64(ins, 9, cell->denominator, err);
        if (rc == P20W_OK)
            rc = store_bind_double(ins, 10, cell->value, err);
        if (rc == P20W_OK)
            rc = store_bind_int64(ins, 11, cell->n, err);
        if (rc == P20W_OK && ind->stat == MS_PERCENTILE) {
            rc = store_bind_double(ins, 12, cell->p25, err);
            if (rc == P20W_OK)
                rc = store_bind_double(ins, 13, cell->median, err);
            if (rc == P20W_OK)
                rc = store_bind_double(ins, 14, cell->p75, err);
        }
        int row;
        if (rc == P20W_OK)
            rc = store_step(ins, &row, err);
    }
    return rc;
}

/* Computes and writes every indicator inside the open transaction. */
static p20w_status build_cells(store *db, const cube_build_opts *o,
                               int64_t build_id, cube_build_report *rep,
                               double *write_s, p20w_err *err)
{
    const char *profile = o->prof->name;
    store_stmt *ins = NULL;
    cube *c = NULL;
    sbuf key, json, dims;
    sbuf_init(&key, 0);
    sbuf_init(&json, 0);
    sbuf_init(&dims, 0);
    p20w_status rc = store_prepare(
        db,
        "INSERT INTO cube_cells (build_id, profile, indicator, dims, "
        "dims_key, dims_json, year, numerator, denominator, value, n, p25, "
        "median, p75) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        &ins, err);
    if (rc == P20W_OK)
        rc = cube_new(o->st, &c, err);
    for (size_t i = 0; rc == P20W_OK && i < o->nind; i++) {
        const measure_indicator *ind = o->ind[i];
        if (ind->emit == NULL) {
            rc = p20w_err_set(err, P20W_EINVAL,
                              "indicator %s is not computed yet", ind->id);
            break;
        }
        double t0 = now_s();
        rc = cube_begin(c, ind, err);
        measure_sink sink = cube_sink(c);
        sink.refs = o->refs;
        if (rc == P20W_OK)
            rc = ind->emit(ind->id, o->st, o->prof, &sink, err);
        if (rc == P20W_OK)
            rc = cube_finish(c, err);
        double t1 = now_s();
        if (rc == P20W_OK)
            rc = write_cells(ins, c, ind, build_id, profile, &key, &json, &dims,
                             err);
        if (rc != P20W_OK)
            break;
        *write_s += now_s() - t1;
        int64_t n = (int64_t)cube_cell_count(c);
        rep->cells += n;
        char name[48];
        snprintf(name, sizeof name, "indicator %s", ind->id);
        add_stage(rep, o, name, t1 - t0, n);
    }
    cube_free(c);
    store_finalize(ins);
    sbuf_free(&key);
    sbuf_free(&json);
    sbuf_free(&dims);
    return rc;
}

p20w_status cube_build(store *db, const cube_build_opts *o,
                       cube_build_report *rep, p20w_err *err)
{
    memset(rep, 0, sizeof *rep);
    for (size_t i = 0; i < o->nbefore && i < CUBE_MAX_STAGES; i++)
        rep->stage[rep->nstages++] = o->before[i];
    const char *profile = o->prof->name;
    char started[32], finished[32];
    if (o->started_at != NULL)
        snprintf(started, sizeof started, "%s", o->started_at);
    else
        date_now_iso(started);
    char *pjson = NULL, *sjson = NULL;
    int64_t build_id = 0;
    /* Prepared before the build row exists, so that a failure can always
     * be recorded, even when nothing more can be allocated. */
    store_stmt *mark_failed = NULL;
    p20w_status rc = store_prepare(db,
                                   "UPDATE cube_builds SET status = 'failed', "
                                   "finished_at = ?, stages_json = ? WHERE "
                                   "build_id = ?",
                                   &mark_failed, err);
    if (rc == P20W_OK)
        rc = profile_to_json(o->prof, &pjson, err);
    if (rc == P20W_OK) {
        const char *t[] = {profile, pjson, started};
        rc = run_sql(db,
                     "INSERT INTO cube_builds (profile, profile_json, "
                     "started_at) VALUES (?, ?, ?)",
                     3, t, 0, err);
    }
    if (rc != P20W_OK)
        goto out;
    build_id = store_last_insert_id(db);
    rep->build_id = build_id;

    double write_s = 0, t0 = now_s();
    rc = store_begin(db, err);
    if (rc == P20W_OK)
        rc = run_sql(db, "DELETE FROM cube_cells WHERE profile = ?", 1,
                     &profile, 0, err);
    write_s += now_s() - t0;
    if (rc == P20W_OK)
        rc = build_cells(db, o, build_id, rep, &write_s, err);
    double t1 = now_s();
    if (rc == P20W_OK)
        rc = run_sql(db,
                     "UPDATE cube_builds SET status = 'replaced' WHERE "
                     "profile = ? AND status = 'complete'",
                     1, &profile, 0, err);
    if (rc == P20W_OK) {
        rep->peak_rss_kb = peak_rss_kb();
        add_stage(rep, o, "write", write_s + (now_s() - t1), rep->cells);
        sjson = stages_json(rep);
        if (sjson == NULL)
            rc = p20w_err_set(err, P20W_ENOMEM, "out of memory");
    }
    if (rc == P20W_OK) {
        date_now_iso(finished);
        const char *t[] = {finished, sjson};
        rc = run_sql(db,
                     "UPDATE cube_builds SET status = 'complete', "
                     "finished_at = ?, stages_json = ? WHERE build_id = ?",
                     2, t, build_id, err);
    }
    if (rc == P20W_OK)
        rc = store_commit(db, err);
out:
    if (rc != P20W_OK) {
        p20w_err ignored = {0};
        store_rollback(db, &ignored);
        if (build_id > 0) {
            p20w_free(sjson);
            rep->peak_rss_kb = peak_rss_kb();
            sjson = stages_json(rep);
            date_now_iso(finished);
            int row;
            if (store_bind_text(mark_failed, 1, finished, (size_t)-1,
                                &ignored) == P20W_OK &&
                store_bind_text(mark_failed, 2, sjson, (size_t)-1, &ignored) ==
                    P20W_OK &&
                store_bind_int64(mark_failed, 3, build_id, &ignored) == P20W_OK)
                store_step(mark_failed, &row, &ignored);
        }
    }
    store_finalize(mark_failed);
    p20w_free(pjson);
    p20w_free(sjson);
    return rc;
}
