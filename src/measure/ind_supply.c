/*
 * ind_supply.c — SUPPLY_DEMAND: postsecondary completers by the
 * occupation their program prepares for, next to that occupation's
 * projected openings and wage.
 *
 * Units are postsecondary completer exits (one per person and award
 * year, at the highest level: derive_rules()), counted in the award year,
 * placed at the institution with the award's CIP and level. Each unit's
 * category is one occupation (SOC as a number, 0 = "no projected
 * occupation"): the CIP's linked occupations come from the NCES/BLS
 * crosswalk (refs.c), and a CIP linked to several occupations has its
 * completers split among them in proportion to each occupation's
 * projected annual openings — where the jobs are, not an equal share per
 * title (Business Administration links to 23 occupations, from chief
 * executives to buyers).
 *
 * The split is done in whole people so that units stay units: within an
 * award year and CIP, the N completers get integer quotas per occupation
 * by largest remainder (N x openings share, floors, the leftover to the
 * largest fractions, ties to the lower SOC), then are dealt out in the
 * order institution, level, p20w_id, each to the occupation furthest
 * behind its quota, so every institution's block receives close to the
 * same proportions. Statewide counts per occupation are therefore exact
 * to the rounding of the split; below the state a completer's occupation
 * is an allocation, not an observation.
 *
 * The demand side (annual openings, median wage) is not a sum over
 * learners: it is looked up per occupation with measure_refs_occupation()
 * by whoever prints the cells. BLS openings are national.
 */
#include "measure/measureInt.h"

#include <stdlib.h>

#include "util/mem.h"
#include "util/vec.h"

typedef struct completer {
    int32_t year;
    int32_t cip;
    int32_t inst;
    int32_t level;
    int64_t p20w_id;
    uint32_t person;
    uint32_t exit; /* index into st->exits */
} completer;

static int cmp_completer(const void *a, const void *b)
{
    const completer *x = a, *y = b;
    if (x->year != y->year)
        return x->year < y->year ? -1 : 1;
    if (x->cip != y->cip)
        return x->cip < y->cip ? -1 : 1;
    if (x->inst != y->inst)
        return x->inst < y->inst ? -1 : 1;
    if (x->level != y->level)
        return x->level < y->level ? -1 : 1;
    return (x->p20w_id > y->p20w_id) - (x->p20w_id < y->p20w_id);
}

static p20w_status collect(const tl_state *st, vec *out)
{
    for (size_t i = 0; i < st->persons.len; i++) {
        const tl_person *p = mi_person(st, i);
        const tl_exit_event *e = mi_exits(st, p);
        for (uint32_t j = 0; j < p->exit_n; j++) {
            completer c;
            if (e[j].kind != TL_EXITER_PS_COMPLETER)
                continue;
            c.year = mi_exit_year(&e[j]);
            c.cip = e[j].cip;
            c.inst = e[j].inst;
            c.level = e[j].level;
            c.p20w_id = p->p20w_id;
            c.person = (uint32_t)i;
            c.exit = p->exit_off + j;
            if (vec_push(out, &c) != P20W_OK)
                return P20W_ENOMEM;
        }
    }
    return P20W_OK;
}

/* Largest-remainder quotas of n people over m occupations weighted by
 * openings: quota[s]; 0 for all when the weights are all 0. */
static void quotas(size_t n, const measure_occupation *const *occ, size_t m,
                   long *quota, double *frac)
{
    double total = 0;
    long given = 0;
    for (size_t s = 0; s < m; s++)
        total += occ[s]->openings;
    for (size_t s = 0; s < m; s++) {
        double exact = total > 0 ? (double)n * occ[s]->openings / total : 0;
        quota[s] = (long)exact;
        frac[s] = exact - (double)quota[s];
        given += quota[s];
    }
    while (total > 0 && given < (long)n) {
        size_t best = 0;
        for (size_t s = 1; s < m; s++)
            if (frac[s] > frac[best])
                best = s;
        quota[best]++;
        frac[best] = -1;
        given++;
    }
}

/* The occupation furthest behind its quota: the largest share still to
 * give, (quota - dealt) / quota; ties to the lower SOC. */
static size_t next_occupation(const long *quota, const long *dealt, size_t m)
{
    size_t best = m;
    double best_left = 0;
    for (size_t s = 0; s < m; s++) {
        double left;
        if (quota[s] <= dealt[s])
            continue;
        left = (double)(quota[s] - dealt[s]) / (double)quota[s];
        if (best == m || left > best_left) {
            best = s;
            best_left = left;
        }
    }
    return best;
}

static p20w_status emit_group(const char *id, const tl_state *st,
                              const p20w_profile *prof,
                              const measure_refs *refs, measure_sink *sink,
                              const completer *c, size_t n, p20w_err *err)
{
    size_t m;
    const measure_occupation *const *occ =
        measure_refs_cip_occupations(refs, c[0].cip, &m);
    long *quota = NULL, *dealt = NULL;
    double *frac = NULL;
    p20w_status rc = P20W_OK;

    if (m > 0) {
        quota = p20w_calloc(m, sizeof *quota);
        dealt = p20w_calloc(m, sizeof *dealt);
        frac = p20w_calloc(m, sizeof *frac);
        if (!quota || !dealt || !frac) {
            rc = p20w_err_set(err, P20W_ENOMEM, "%s: out of memory", id);
            goto out;
        }
        quotas(n, occ, m, quota, frac);
    }
    for (size_t i = 0; i < n; i++) {
        const tl_person *p = mi_person(st, c[i].person);
        const tl_exit_event *e =
            (const tl_exit_event *)st->exits.data + c[i].exit;
        size_t s = m > 0 ? next_occupation(quota, dealt, m) : m;
        measure_unit u;
        measure_unit_init(&u);
        mi_unit_exit(&u, st, p, e, prof);
        if (s < m) {
            dealt[s]++;
            u.category = occ[s]->soc;
        }
        if ((rc = mi_emit(sink, &u, id, err)) != P20W_OK)
            goto out;
    }
out:
    p20w_free(quota);
    p20w_free(dealt);
    p20w_free(frac);
    return rc;
}

p20w_status mi_emit_supply_demand(const char *id, const tl_state *st,
                                  const p20w_profile *prof, measure_sink *sink,
                                  p20w_err *err)
{
    measure_refs *owned = NULL;
    const measure_refs *refs;
    vec all;
    p20w_status rc;

    vec_init(&all, sizeof(completer));
    if ((rc = mi_refs(sink, &owned, &refs, err)) != P20W_OK)
        goto out;
    if ((rc = collect(st, &all)) != P20W_OK) {
        rc = p20w_err_set(err, rc, "%s: out of memory", id);
        goto out;
    }
    if (all.len > 1)
        qsort(all.data, all.len, sizeof(completer), cmp_completer);
    for (size_t i = 0; i < all.len;) {
        const completer *c = all.data;
        size_t j = i;
        while (j < all.len && c[j].year == c[i].year && c[j].cip == c[i].cip)
            j++;
        if ((rc = emit_group(id, st, prof, refs, sink, c + i, j - i, err)) !=
            P20W_OK)
            goto out;
        i = j;
    }
out:
    vec_free(&all);
    measure_refs_free(owned);
    return rc;
}
