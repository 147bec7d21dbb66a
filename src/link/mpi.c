/*
 * mpi.c — the master person index: a stable p20w_id per cluster.
 *
 * Stability rule: every record that already had a p20w_id votes for it;
 * clusters claim ids in order of their vote counts (strongest first), so a
 * cluster that persists keeps its id, a cluster that split keeps the id on
 * its larger part, and the other parts get new ids. An old id that no
 * cluster claims is marked 'merged' into the id that took most of its
 * records, or 'retired' when its records are gone. New ids continue after
 * the largest id ever issued: ids are never reused.
 *
 * Wage identities vote through their first wage row's link. Everything is
 * written in one transaction: person_links is replaced whole.
 */
#include "link/linkRun.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/date.h"
#include "util/mem.h"

typedef struct vote {
    uint32_t root;
    int64_t old_id;
    uint32_t count;
} vote;

static int by_root_old(const void *x, const void *y)
{
    const vote *a = x, *b = y;
    if (a->root != b->root)
        return a->root < b->root ? -1 : 1;
    return a->old_id < b->old_id ? -1 : a->old_id > b->old_id;
}

static int by_count_desc(const void *x, const void *y)
{
    const vote *a = x, *b = y;
    if (a->count != b->count)
        return a->count > b->count ? -1 : 1;
    if (a->old_id != b->old_id)
        return a->old_id < b->old_id ? -1 : 1;
    return a->root < b->root ? -1 : a->root > b->root;
}

static p20w_status step_once(store_stmt *q, p20w_err *err)
{
    int row;
    return store_step(q, &row, err);
}

/* Old p20w_id of every record (0 = none), from person_links. */
static p20w_status load_old_ids(store *st, const link_set *set, int64_t *old,
                                int64_t *max_id, p20w_err *err)
{
    hmap *idx = NULL;
    if (hmap_create(&idx) != P20W_OK)
        return p20w_err_set(err, P20W_ENOMEM, "out of memory");
    p20w_status rc = P20W_OK;
    char k[256];
    for (uint32_t i = 0; rc == P20W_OK && i < set->recs.len; i++) {
        const lrec *r = link_rec(set, i);
        int n =
            snprintf(k, sizeof k, "%s\x1f%s", link_src_name(r->src), r->key);
        if (n > 0 && (size_t)n < sizeof k &&
            hmap_put(idx, k, (size_t)n, (void *)(uintptr_t)(i + 1)) != P20W_OK)
            rc = p20w_err_set(err, P20W_ENOMEM, "out of memory");
    }
    store_stmt *q = NULL;
    if (rc == P20W_OK)
        rc = store_prepare(st,
                           "SELECT source, record_key, p20w_id FROM "
                           "person_links",
                           &q, err);
    while (rc == P20W_OK) {
        int row;
        rc = store_step(q, &row, err);
        if (rc != P20W_OK || !row)
            break;
        int n = snprintf(k, sizeof k, "%s\x1f%s", store_column_text(q, 0),
                         store_column_text(q, 1));
        void *v = NULL;
        if (n > 0 && (size_t)n < sizeof k && hmap_get(idx, k, (size_t)n, &v))
            old[(uintptr_t)v - 1] = store_column_int64(q, 2);
    }
    store_finalize(q);
    q = NULL;
    hmap_free(idx);
    *max_id = 0;
    if (rc == P20W_OK)
        rc = store_prepare(st, "SELECT coalesce(max(p20w_id), 0) FROM persons",
                           &q, err);
    int row = 0;
    if (rc == P20W_OK)
        rc = store_step(q, &row, err);
    if (rc == P20W_OK && row)
        *max_id = store_column_int64(q, 0);
    store_finalize(q);
    return rc;
}

/* Best weight of a link touching each record (0 = none). */
static float *record_weights(const link_run_state *R)
{
    float *w = p20w_calloc(R->set.recs.len ? R->set.recs.len : 1, sizeof *w);
    if (w == NULL)
        return NULL;
    const link_edge *e = R->edges.data;
    for (size_t i = 0; i < R->edges.len; i++) {
        if (R->parent[e[i].a] != R->parent[e[i].b])
            continue; /* refused by a constraint */
        if (e[i].w > w[e[i].a])
            w[e[i].a] = e[i].w;
        if (e[i].w > w[e[i].b])
            w[e[i].b] = e[i].w;
    }
    return w;
}

static p20w_status insert_link(store_stmt *q, const char *source,
                               const char *key, int64_t id, float w,
                               const char *ts, p20w_err *err)
{
    store_reset(q);
    p20w_status rc = store_bind_text(q, 1, source, (size_t)-1, err);
    if (rc == P20W_OK)
        rc = store_bind_text(q, 2, key, (size_t)-1, err);
    if (rc == P20W_OK)
        rc = store_bind_int64(q, 3, id, err);
    if (rc == P20W_OK)
        rc = w > 0 && w < LINK_FORCED_W ? store_bind_double(q, 4, w, err)
                                        : store_bind_null(q, 4, err);
    if (rc == P20W_OK)
        rc = store_bind_text(q, 5,
                             w >= LINK_FORCED_W ? "manual"
                             : w > 0            ? "probabilistic"
                                                : "new",
                             (size_t)-1, err);
    if (rc == P20W_OK)
        rc = store_bind_text(q, 6, ts, (size_t)-1, err);
    if (rc == P20W_OK)
        rc = step_once(q, err);
    return rc;
}

p20w_status link_mpi_write(store *st, link_run_state *R, p20w_err *err)
{
    const link_set *set = &R->set;
    size_t n = set->recs.len;
    int64_t *old = p20w_calloc(n ? n : 1, sizeof *old);
    int64_t *id_of = p20w_calloc(n ? n : 1, sizeof *id_of); /* by root */
    vote *votes = p20w_malloc((n ? n : 1) * sizeof *votes);
    float *w = record_weights(R);
    store_stmt *q = NULL;
    p20w_status rc = P20W_OK;
    if (old == NULL || id_of == NULL || votes == NULL || w == NULL) {
        rc = p20w_err_set(err, P20W_ENOMEM, "out of memory");
        goto out;
    }
    int64_t max_id = 0;
    rc = load_old_ids(st, set, old, &max_id, err);
    if (rc != P20W_OK)
        goto out;
    /* Votes: (root, old id) with counts. */
    size_t nv = 0;
    for (size_t i = 0; i < n; i++)
        if (old[i] > 0)
            votes[nv++] = (vote){R->parent[i], old[i], 1};
    qsort(votes, nv, sizeof *votes, by_root_old);
    size_t k = 0;
    for (size_t i = 0; i < nv; i++) {
        if (k > 0 && votes[k - 1].root == votes[i].root &&
            votes[k - 1].old_id == votes[i].old_id)
            votes[k - 1].count++;
        else
            votes[k++] = votes[i];
    }
    nv = k;
    qsort(votes, nv, sizeof *votes, by_count_desc);
    hmap *claimed = NULL;
    if (hmap_create(&claimed) != P20W_OK) {
        rc = p20w_err_set(err, P20W_ENOMEM, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < nv && rc == P20W_OK; i++) {
        if (id_of[votes[i].root] != 0 ||
            hmap_get(claimed, &votes[i].old_id, sizeof(int64_t), NULL))
            continue;
        id_of[votes[i].root] = votes[i].old_id;
        if (hmap_put(claimed, &votes[i].old_id, sizeof(int64_t), NULL) !=
            P20W_OK)
            rc = p20w_err_set(err, P20W_ENOMEM, "out of memory");
        R->ids_kept++;
    }
    char ts[32];
    date_now_iso(ts);
    if (rc == P20W_OK)
        rc = store_begin(st, err);
    /* New ids for the clusters that claimed none. */
    if (rc == P20W_OK)
        rc = store_prepare(st,
                           "INSERT INTO persons (p20w_id, created_at) VALUES "
                           "(?, ?)",
                           &q, err);
    for (size_t i = 0; rc == P20W_OK && i < n; i++) {
        uint32_t root = R->parent[i];
        if ((size_t)root != i)
            continue;
        R->persons++;
        if (id_of[root] != 0)
            continue;
        id_of[root] = ++max_id;
        R->ids_new++;
        store_reset(q);
        rc = store_bind_int64(q, 1, id_of[root], err);
        if (rc == P20W_OK)
            rc = store_bind_text(q, 2, ts, (size_t)-1, err);
        if (rc == P20W_OK)
            rc = step_once(q, err);
    }
    store_finalize(q);
    q = NULL;
    /* Old ids no cluster claimed: merged into the id that took most of
     * their records (the first vote of that old id in count order). */
    if (rc == P20W_OK)
        rc = store_prepare(st,
                           "UPDATE persons SET status = 'merged', merged_into "
                           "= ? WHERE p20w_id = ? AND status = 'active'",
                           &q, err);
    for (size_t i = 0; rc == P20W_OK && i < nv; i++) {
        if (hmap_get(claimed, &votes[i].old_id, sizeof(int64_t), NULL))
            continue;
        int64_t into = id_of[votes[i].root];
        if (hmap_put(claimed, &votes[i].old_id, sizeof(int64_t), NULL) !=
            P20W_OK) {
            rc = p20w_err_set(err, P20W_ENOMEM, "out of memory");
            break;
        }
        store_reset(q);
        rc = store_bind_int64(q, 1, into, err);
        if (rc == P20W_OK)
            rc = store_bind_int64(q, 2, votes[i].old_id, err);
        if (rc == P20W_OK)
            rc = step_once(q, err);
        R->ids_merged++;
    }
    store_finalize(q);
    q = NULL;
    hmap_free(claimed);
    if (rc == P20W_OK)
        rc = store_exec(st, "DELETE FROM person_links", err);
    if (rc == P20W_OK)
        rc = store_prepare(st,
                           "INSERT INTO person_links (source, record_key, "
                           "p20w_id, match_weight, method, linked_at) VALUES "
                           "(?, ?, ?, ?, ?, ?)",
                           &q, err);
    for (size_t i = 0; rc == P20W_OK && i < set->first_of[SRC_UI]; i++) {
        const lrec *r = link_rec(set, (uint32_t)i);
        rc = insert_link(q, link_src_name(r->src), r->key, id_of[R->parent[i]],
                         w[i], ts, err);
        R->links_written++;
    }
    const wage_row *wr = set->wage_rows.data;
    for (size_t i = 0; rc == P20W_OK && i < set->wage_rows.len; i++) {
        char key[48];
        snprintf(key, sizeof key, "%" PRId64 ":%" PRId64, wr[i].submission_id,
                 wr[i].line);
        rc = insert_link(q, "ui_wages", key, id_of[R->parent[wr[i].ident]],
                         w[wr[i].ident], ts, err);
        R->links_written++;
    }
    store_finalize(q);
    q = NULL;
    /* Active ids that no record holds any more: their records are gone. */
    if (rc == P20W_OK)
        rc = store_exec(st,
                        "UPDATE persons SET status = 'retired' WHERE status = "
                        "'active' AND p20w_id NOT IN (SELECT p20w_id FROM "
                        "person_links)",
                        err);
    if (rc == P20W_OK)
        R->ids_retired = (uint64_t)store_changes(st);
    if (rc == P20W_OK)
        rc = link_run_save(st, R, err);
    if (rc == P20W_OK)
        rc = store_commit(st, err);
    else
        store_rollback(st, NULL);
out:
    store_finalize(q);
    p20w_free(old);
    p20w_free(id_of);
    p20w_free(votes);
    p20w_free(w);
    return rc;
}
