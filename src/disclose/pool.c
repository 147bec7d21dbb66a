/*
 * pool.c — multi-year pooling: a cell suppressed in its single year is
 * shown as its pooled (e.g. 3-year) cell when that cell passes the rules,
 * so small groups still get an answer.
 *
 * The pooled table is protected on its own (disclose_run()), and only its
 * published cells are candidates. Publishing a pooled cell adds a relation
 * across years — the years' cells sum to it — so a year whose cell is
 * published elsewhere could be subtracted out. The joint audit
 * (disclose_pool_audit()) therefore puts every year's table, its
 * publication and the pooled equations into one LP; any L cell in a line
 * the attacker can exploit is taken back (its single-year status returns)
 * and the audit repeats until it passes. Taking back all L cells leaves
 * the years as disclose_run() protected them, so the loop always ends.
 */
#include <string.h>

#include "disclose/discloseInt.h"
#include "util/mem.h"

static p20w_status check_years(const disclose_profile *p,
                               const disclose_table *const *years, size_t count,
                               p20w_err *err)
{
    if (count != (size_t)p->pool_years)
        return p20w_err_set(err, P20W_EINVAL,
                            "disclose: pooling needs %d years, got %zu",
                            p->pool_years, count);
    for (size_t y = 1; y < count; y++) {
        const disclose_table *a = years[0], *b = years[y];
        int same = a->ndims == b->ndims && a->has_num == b->has_num &&
                   a->share_dim == b->share_dim;
        for (size_t d = 0; same && d < a->ndims; d++)
            same = a->size[d] == b->size[d];
        if (!same)
            return p20w_err_set(err, P20W_EINVAL,
                                "disclose: pooled years differ in shape");
    }
    return P20W_OK;
}

p20w_status disclose_pool_audit(const disclose_profile *p,
                                const disclose_table *const *years,
                                const disclose_result *const *res, size_t count,
                                disclose_failure **fails, size_t *nfails,
                                p20w_err *err)
{
    *fails = NULL;
    *nfails = 0;
    p20w_status rc = disclose_profile_check(p, err);
    if (rc == P20W_OK)
        rc = check_years(p, years, count, err);
    if (rc != P20W_OK)
        return rc;
    /* every L cell of the latest year: the years' cells sum to it */
    const disclose_table *last = years[count - 1];
    const disclose_cell *lc = res[count - 1]->cell;
    size_t nl = 0;
    if (res[count - 1]->ncells != last->ncells)
        return p20w_err_set(err, P20W_EINVAL,
                            "disclose: result and table differ in size");
    for (size_t i = 0; i < last->ncells; i++)
        nl += lc[i].pooled;
    disclose_sum *sums = p20w_calloc(nl + 1, sizeof *sums);
    disclose_ref *refs = p20w_calloc(nl * count + 1, sizeof *refs);
    if (sums == NULL || refs == NULL) {
        p20w_free(sums);
        p20w_free(refs);
        return p20w_err_set(err, P20W_ENOMEM, "disclose: out of memory");
    }
    size_t u = 0;
    for (size_t i = 0; i < last->ncells; i++) {
        if (!lc[i].pooled)
            continue;
        for (size_t y = 0; y < count; y++) {
            refs[u * count + y].table = y;
            refs[u * count + y].cell = i;
        }
        sums[u].count = count;
        sums[u].ref = &refs[u * count];
        sums[u].shown = &lc[i];
        u++;
    }
    disclose_set set;
    memset(&set, 0, sizeof set);
    set.count = count;
    set.tab = years;
    set.res = res;
    set.nsums = nl;
    set.sum = sums;
    rc = disclose_audit_set(p, &set, fails, nfails, err);
    p20w_free(sums);
    p20w_free(refs);
    return rc;
}

/* Takes back the L cell at i of the latest year; 1 when there was one. */
static int take_back(disclose_cell *latest, const disclose_cell *orig, size_t i)
{
    if (latest[i].status != DISCLOSE_L)
        return 0;
    latest[i] = orig[i];
    return 1;
}

/* Takes back L cells for failure f: the failing position itself, else
 * every L cell in a line through it. */
static size_t take_back_for(const disclose_table *t, disclose_cell *latest,
                            const disclose_cell *orig,
                            const disclose_failure *f)
{
    if (take_back(latest, orig, f->cell))
        return 1;
    size_t k = 0;
    for (size_t d = 0; d < t->ndims; d++) {
        size_t tot = dtab_line_total(t, f->cell, d);
        for (size_t j = 0; j <= t->size[d]; j++)
            k += take_back(latest, orig, dtab_line_member(t, tot, d, j));
    }
    return k;
}

static size_t take_back_all(const disclose_table *t, disclose_cell *latest,
                            const disclose_cell *orig)
{
    size_t k = 0;
    for (size_t i = 0; i < t->ncells; i++)
        k += take_back(latest, orig, i);
    return k;
}

static p20w_status settle(const disclose_profile *p,
                          const disclose_table *const *years,
                          disclose_result *const *res, size_t count,
                          const disclose_cell *orig, p20w_err *err)
{
    const disclose_table *t = years[count - 1];
    disclose_cell *latest = res[count - 1]->cell;
    for (;;) {
        disclose_failure *f = NULL;
        size_t nf = 0;
        p20w_status rc = disclose_pool_audit(
            p, years, (const disclose_result *const *)res, count, &f, &nf, err);
        if (rc != P20W_OK)
            return rc;
        size_t back = 0;
        for (size_t k = 0; k < nf; k++)
            back += take_back_for(t, latest, orig, &f[k]);
        if (nf > 0 && back == 0)
            back = take_back_all(t, latest, orig);
        p20w_free(f);
        if (nf == 0)
            return P20W_OK;
        if (back == 0)
            return p20w_err_set(err, P20W_EINVAL,
                                "disclose: the single-year tables do not pass "
                                "the audit on their own");
    }
}

p20w_status disclose_pool(const disclose_profile *p,
                          const disclose_table *const *years,
                          disclose_result *const *res, size_t count,
                          const disclose_table *pooled, size_t *pooled_count,
                          p20w_err *err)
{
    if (pooled_count != NULL)
        *pooled_count = 0;
    p20w_status rc = disclose_profile_check(p, err);
    if (rc == P20W_OK)
        rc = check_years(p, years, count, err);
    if (rc != P20W_OK)
        return rc;
    disclose_table *sum = NULL;
    disclose_result *pr = NULL;
    disclose_cell *orig = NULL;
    if (pooled == NULL) {
        rc = disclose_table_sum(years, count, &sum, err);
        if (rc != P20W_OK)
            goto out;
        pooled = sum;
    }
    rc = disclose_run(p, pooled, NULL, &pr, err);
    if (rc != P20W_OK)
        goto out;
    const disclose_table *t = years[count - 1];
    if (pr->ncells != t->ncells) {
        rc = p20w_err_set(err, P20W_EINVAL,
                          "disclose: pooled table differs in shape");
        goto out;
    }
    disclose_cell *latest = res[count - 1]->cell;
    orig = p20w_malloc(t->ncells * sizeof *orig);
    if (orig == NULL) {
        rc = p20w_err_set(err, P20W_ENOMEM, "disclose: out of memory");
        goto out;
    }
    memcpy(orig, latest, t->ncells * sizeof *orig);
    for (size_t i = 0; i < t->ncells; i++) {
        char st = latest[i].status, ps = pr->cell[i].status;
        int suppressed = st == DISCLOSE_S || st == DISCLOSE_C;
        if (suppressed && (ps == DISCLOSE_P || ps == DISCLOSE_B))
            disclose_result_set_pooled(res[count - 1], i, &pr->cell[i]);
    }
    rc = settle(p, years, res, count, orig, err);
    if (rc != P20W_OK) {
        memcpy(latest, orig, t->ncells * sizeof *orig);
        goto out;
    }
    if (pooled_count != NULL)
        *pooled_count = disclose_result_count(res[count - 1], DISCLOSE_L);
out:
    p20w_free(orig);
    disclose_result_free(pr);
    disclose_table_free(sum);
    return rc;
}
