/*
 * review.c — what a linkage run remembers: its fitted models (for
 * `p20w link explain`), its review band (the clerical review queue), and
 * the reviewers' decisions, which override the model in every later run:
 * an accepted pair is linked whatever its weight and whatever the
 * clustering constraints say; a rejected pair is never linked.
 *
 * Pairs are stored by source and record key in a fixed order (the order of
 * link_pair_types), never by an identifier.
 */
#include "link/linkRun.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "util/date.h"
#include "util/mem.h"

static int pair_key(const link_set *set, uint32_t a, uint32_t b, char *buf,
                    size_t cap)
{
    const lrec *ra = link_rec(set, a), *rb = link_rec(set, b);
    int n = snprintf(buf, cap, "%s\x1f%s\x1f%s\x1f%s",
                     link_src_name((link_src)ra->src), ra->key,
                     link_src_name((link_src)rb->src), rb->key);
    return n > 0 && (size_t)n < cap ? n : -1;
}

p20w_status link_decisions_load(store *st, link_run_state *R, p20w_err *err)
{
    if (hmap_create(&R->decided) != P20W_OK)
        return p20w_err_set(err, P20W_ENOMEM, "out of memory");
    store_stmt *q = NULL;
    p20w_status rc = store_prepare(st,
                                   "SELECT source_a, key_a, source_b, key_b, "
                                   "status FROM link_review WHERE status <> "
                                   "'pending'",
                                   &q, err);
    while (rc == P20W_OK) {
        int row;
        rc = store_step(q, &row, err);
        if (rc != P20W_OK || !row)
            break;
        char k[512];
        int n = snprintf(k, sizeof k, "%s\x1f%s\x1f%s\x1f%s",
                         store_column_text(q, 0), store_column_text(q, 1),
                         store_column_text(q, 2), store_column_text(q, 3));
        uintptr_t v = strcmp(store_column_text(q, 4), "accepted") == 0 ? 1 : 2;
        if (n > 0 && (size_t)n < sizeof k &&
            hmap_put(R->decided, k, (size_t)n, (void *)v) != P20W_OK)
            rc = p20w_err_set(err, P20W_ENOMEM, "out of memory");
    }
    store_finalize(q);
    return rc;
}

int link_decision(const link_run_state *R, uint32_t a, uint32_t b)
{
    if (R->decided == NULL || hmap_count(R->decided) == 0)
        return 0;
    char k[512];
    int n = pair_key(&R->set, a, b, k, sizeof k);
    void *v = NULL;
    if (n < 0 || !hmap_get(R->decided, k, (size_t)n, &v))
        return 0;
    return (int)(uintptr_t)v;
}

uint32_t link_find_record(const link_set *set, const char *source,
                          const char *key)
{
    for (int s = 0; s < SRC_COUNT; s++) {
        if (strcmp(link_src_name((link_src)s), source) != 0)
            continue;
        for (uint32_t i = 0; i < set->count_of[s]; i++) {
            uint32_t r = set->first_of[s] + i;
            if (strcmp(link_rec(set, r)->key, key) == 0)
                return r;
        }
    }
    return UINT32_MAX;
}

/* The pair type of two sources in link_pair_types order, or -1. */
static int type_of(link_src a, link_src b)
{
    for (int t = 0; t < LINK_PAIR_TYPES; t++)
        if (link_pair_types[t].a == a && link_pair_types[t].b == b)
            return t;
    return -1;
}

p20w_status link_decisions_apply(link_run_state *R, p20w_err *err)
{
    if (R->decided == NULL || hmap_count(R->decided) == 0)
        return P20W_OK;
    /* Drop rejected links. */
    link_edge *e = R->edges.data;
    size_t k = 0;
    for (size_t i = 0; i < R->edges.len; i++) {
        if (link_decision(R, e[i].a, e[i].b) == 2) {
            R->decided_rejected++;
            continue;
        }
        e[k++] = e[i];
    }
    R->edges.len = k;
    /* Add accepted ones, whatever the model thought of them; remember
     * rejected ones, which clustering must keep apart. */
    size_t it = 0;
    const void *key;
    size_t klen;
    void *v;
    while (hmap_next(R->decided, &it, &key, &klen, &v)) {
        char buf[512];
        if (klen >= sizeof buf)
            continue;
        memcpy(buf, key, klen);
        buf[klen] = '\0';
        char *f[4];
        f[0] = buf;
        for (int j = 1; j < 4; j++) {
            f[j] = strchr(f[j - 1], '\x1f');
            if (f[j] == NULL)
                break;
            *f[j]++ = '\0';
        }
        if (f[3] == NULL)
            continue;
        uint32_t a = link_find_record(&R->set, f[0], f[1]);
        uint32_t b = link_find_record(&R->set, f[2], f[3]);
        if (a == UINT32_MAX || b == UINT32_MAX)
            continue; /* the record is gone */
        if ((uintptr_t)v != 1) {
            lpair p = {a, b};
            if (vec_push(&R->rejected, &p) != P20W_OK)
                return p20w_err_set(err, P20W_ENOMEM, "out of memory");
            continue;
        }
        int t = type_of((link_src)link_rec(&R->set, a)->src,
                        (link_src)link_rec(&R->set, b)->src);
        link_edge ne = {a, b, LINK_FORCED_W, (uint8_t)(t < 0 ? 0 : t)};
        if (vec_push(&R->edges, &ne) != P20W_OK)
            return p20w_err_set(err, P20W_ENOMEM, "out of memory");
        R->decided_accepted++;
    }
    return P20W_OK;
}

static p20w_status exec1(store *st, const char *sql, int64_t id, p20w_err *err)
{
    store_stmt *q = NULL;
    int row;
    p20w_status rc = store_prepare(st, sql, &q, err);
    if (rc == P20W_OK && id >= 0)
        rc = store_bind_int64(q, 1, id, err);
    if (rc == P20W_OK)
        rc = store_step(q, &row, err);
    store_finalize(q);
    return rc;
}

p20w_status link_run_save(store *st, link_run_state *R, p20w_err *err)
{
    char ts[32];
    date_now_iso(ts);
    store_stmt *q = NULL;
    int row;
    p20w_status rc = store_prepare(
        st, "INSERT INTO link_runs (started_at) VALUES (?)", &q, err);
    if (rc == P20W_OK)
        rc = store_bind_text(q, 1, ts, (size_t)-1, err);
    if (rc == P20W_OK)
        rc = store_step(q, &row, err);
    store_finalize(q);
    q = NULL;
    if (rc != P20W_OK)
        return rc;
    R->run_id = store_last_insert_id(st);
    /* The models. */
    store_stmt *qm = NULL, *ql = NULL;
    rc = store_prepare(st,
                       "INSERT INTO link_models (run_id, source_a, source_b, "
                       "threshold, review_threshold, u_last_exact) VALUES "
                       "(?, ?, ?, ?, ?, ?)",
                       &qm, err);
    if (rc == P20W_OK)
        rc = store_prepare(st,
                           "INSERT INTO link_model_levels (run_id, source_a, "
                           "source_b, field, level, m, u) VALUES "
                           "(?, ?, ?, ?, ?, ?, ?)",
                           &ql, err);
    for (int t = 0; rc == P20W_OK && t < LINK_PAIR_TYPES; t++) {
        const link_type_report *tr = &R->types[t];
        if (tr->npasses == 0 || tr->candidates == 0)
            continue;
        const char *sa = link_src_name(link_pair_types[t].a);
        const char *sb = link_src_name(link_pair_types[t].b);
        store_reset(qm);
        rc = store_bind_int64(qm, 1, R->run_id, err);
        if (rc == P20W_OK)
            rc = store_bind_text(qm, 2, sa, (size_t)-1, err);
        if (rc == P20W_OK)
            rc = store_bind_text(qm, 3, sb, (size_t)-1, err);
        if (rc == P20W_OK)
            rc = store_bind_double(qm, 4, tr->threshold, err);
        if (rc == P20W_OK)
            rc = store_bind_double(qm, 5, tr->review_threshold, err);
        if (rc == P20W_OK)
            rc = store_bind_double(qm, 6, R->u_last_exact[t], err);
        if (rc == P20W_OK)
            rc = store_step(qm, &row, err);
        for (int f = 0; rc == P20W_OK && f < F_COUNT; f++)
            for (int l = 0; rc == P20W_OK && l < link_field_levels[f]; l++) {
                store_reset(ql);
                rc = store_bind_int64(ql, 1, R->run_id, err);
                if (rc == P20W_OK)
                    rc = store_bind_text(ql, 2, sa, (size_t)-1, err);
                if (rc == P20W_OK)
                    rc = store_bind_text(ql, 3, sb, (size_t)-1, err);
                if (rc == P20W_OK)
                    rc = store_bind_text(ql, 4, link_field_names[f], (size_t)-1,
                                         err);
                if (rc == P20W_OK)
                    rc = store_bind_int64(ql, 5, l, err);
                if (rc == P20W_OK)
                    rc = store_bind_double(ql, 6, tr->m[f][l], err);
                if (rc == P20W_OK)
                    rc = store_bind_double(ql, 7, tr->u[f][l], err);
                if (rc == P20W_OK)
                    rc = store_step(ql, &row, err);
            }
    }
    store_finalize(qm);
    store_finalize(ql);
    /* The review queue: this run's band replaces the pending pairs;
     * decided pairs stay as they are. */
    if (rc == P20W_OK)
        rc = exec1(st, "DELETE FROM link_review WHERE status = 'pending'", -1,
                   err);
    if (rc == P20W_OK)
        rc = store_prepare(st,
                           "INSERT INTO link_review (source_a, key_a, "
                           "source_b, key_b, weight, run_id) VALUES "
                           "(?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                           &q, err);
    const link_edge *e = R->review.data;
    for (size_t i = 0; rc == P20W_OK && i < R->review.len; i++) {
        const lrec *a = link_rec(&R->set, e[i].a),
                   *b = link_rec(&R->set, e[i].b);
        store_reset(q);
        rc = store_bind_text(q, 1, link_src_name((link_src)a->src), (size_t)-1,
                             err);
        if (rc == P20W_OK)
            rc = store_bind_text(q, 2, a->key, (size_t)-1, err);
        if (rc == P20W_OK)
            rc = store_bind_text(q, 3, link_src_name((link_src)b->src),
                                 (size_t)-1, err);
        if (rc == P20W_OK)
            rc = store_bind_text(q, 4, b->key, (size_t)-1, err);
        if (rc == P20W_OK)
            rc = store_bind_double(q, 5, e[i].w, err);
        if (rc == P20W_OK)
            rc = store_bind_int64(q, 6, R->run_id, err);
        if (rc == P20W_OK)
            rc = store_step(q, &row, err);
    }
    store_finalize(q);
    return rc;
}
