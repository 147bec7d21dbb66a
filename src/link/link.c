/*
 * link.c — the linkage run: pairs of sources, a model per pair, links,
 * clusters, then the master person index (mpi.c) and the report.
 *
 * The link graph (which sources are compared with which):
 *   K-12 ↔ postsecondary, K-12 ↔ motor vehicle, K-12 ↔ apprenticeship,
 *   postsecondary ↔ motor vehicle, apprenticeship ↔ motor vehicle,
 *   motor vehicle / postsecondary / apprenticeship / K-12 ↔ wage identities.
 * Motor-vehicle records carry both birth date and SSN and so bridge the
 * education records (names, birth dates) to the wage records (SSN, name).
 *
 * Each source pair gets its own Fellegi–Sunter model. m and the match
 * share of the candidates come from EM over the agreement patterns of the
 * candidate pairs (started from "seed" pairs that agree on three strong
 * fields); u comes from random pairs of the two files. Weights are
 * log2(m/u) summed over the fields present (missing values weigh 0) plus a
 * surname-frequency adjustment, and the prior is the expected number of
 * matches over all pairs of the two files. A pair links when a match is
 * more likely than not (posterior >= 1/2), or, with a target precision,
 * when the links above its weight reach that expected precision. A record of
 * the "many" side keeps only its best link (a postsecondary record belongs to
 * one K-12 student); for one-to-one pairs (K-12 ↔ motor vehicle) both sides do.
 *
 * Clustering takes links from the strongest down and joins two clusters
 * unless that would put two K-12 student ids, or two different SSNs of
 * person records (more than one typo apart), in one person.
 */
#include "link/linkInt.h"
#include "link/linkRun.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "link/compare.h"
#include "link/fs.h"
#include "util/log.h"
#include "util/mem.h"

void link_options_init(link_options *o)
{
    memset(o, 0, sizeof *o);
    o->target_precision = 0; /* Bayes decision unless asked */
    o->threads = 2;
}

const link_pair_type link_pair_types[LINK_PAIR_TYPES] = {
    {SRC_K12, SRC_PS, 0},
    {SRC_K12, SRC_DMV, 1},
    {SRC_K12, SRC_APPR, 1},
    {SRC_PS, SRC_DMV, 0},
    {SRC_APPR, SRC_DMV, 1},
    {SRC_DMV, SRC_UI, 0},
    {SRC_PS, SRC_UI, 0},
    {SRC_APPR, SRC_UI, 0},
    {SRC_K12, SRC_UI, 0},
    /* duplicates within a source: a student given a second id, a second
     * motor-vehicle record */
    {SRC_K12, SRC_K12, 1},
    {SRC_DMV, SRC_DMV, 1},
};

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- comparisons, in parallel ------------------------------------------- */

typedef struct cmp_job {
    const link_set *set;
    const lpair *pairs;
    int8_t *levels; /* F_COUNT per pair */
    size_t from, to;
} cmp_job;

static void *cmp_worker(void *p)
{
    cmp_job *j = p;
    for (size_t i = j->from; i < j->to; i++) {
        int lv[F_COUNT];
        link_compare(j->set, link_rec(j->set, j->pairs[i].a),
                     link_rec(j->set, j->pairs[i].b), lv);
        for (int k = 0; k < F_COUNT; k++)
            j->levels[i * F_COUNT + k] = (int8_t)lv[k];
    }
    return NULL;
}

static void compare_all(const link_set *set, const vec *pairs, int8_t *levels,
                        int threads)
{
    if (threads < 1)
        threads = 1;
    if (threads > 8)
        threads = 8;
    cmp_job jobs[8];
    memset(jobs, 0, sizeof jobs);
    pthread_t tid[8];
    int started[8] = {0};
    size_t n = pairs->len, chunk = (n + (size_t)threads - 1) / (size_t)threads;
    for (int t = 0; t < threads; t++) {
        size_t from = (size_t)t * chunk,
               to = from + chunk > n ? n : from + chunk;
        jobs[t] = (cmp_job){set, pairs->data, levels, from < n ? from : n, to};
        if (t > 0 && pthread_create(&tid[t], NULL, cmp_worker, &jobs[t]) == 0)
            started[t] = 1;
    }
    cmp_worker(&jobs[0]);
    for (int t = 1; t < threads; t++) {
        if (started[t])
            pthread_join(tid[t], NULL);
        else
            cmp_worker(&jobs[t]); /* no thread: do it here */
    }
}

/* ---- the model of one source pair ---------------------------------------- */

static uint64_t rng_next(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* u from random pairs of the two sources: the chance each level occurs
 * between two records that are (almost surely) different people. */
/* Level counts of random pairs of the two files (ur, with 0.5 smoothing)
 * and how many random pairs had each field present (nk). */
static void measure_u(const link_set *set, link_src sa, link_src sb,
                      double ur[F_COUNT][FS_MAX_LEVELS], double nk[F_COUNT])
{
    for (int k = 0; k < F_COUNT; k++) {
        nk[k] = 0;
        for (int l = 0; l < FS_MAX_LEVELS; l++)
            ur[k][l] = 0;
    }
    uint64_t seed = 0x5eed0000u + sa * 16u + sb;
    uint32_t na = set->count_of[sa], nb = set->count_of[sb];
    const int samples = 400000;
    for (int i = 0; na > 0 && nb > 0 && i < samples; i++) {
        uint32_t a = set->first_of[sa] + (uint32_t)(rng_next(&seed) % na);
        uint32_t b = set->first_of[sb] + (uint32_t)(rng_next(&seed) % nb);
        if (a == b)
            continue; /* within a source: a record is not a random pair */
        int lv[F_COUNT];
        link_compare(set, link_rec(set, a), link_rec(set, b), lv);
        for (int k = 0; k < F_COUNT; k++)
            if (lv[k] != LINK_MISSING) {
                ur[k][lv[k]] += 1;
                nk[k] += 1;
            }
    }
}

/* u of the non-matches: random pairs are a mixture p·m + (1-p)·u, and for
 * a rare agreement (the same SSN) most random agreements ARE matches, so
 * the match part is taken out. Each level keeps at least the weight of
 * half a random pair. */
static void finish_u(double ur[F_COUNT][FS_MAX_LEVELS],
                     const double nk[F_COUNT], const fs_model *m, double p_all)
{
    for (int k = 0; k < F_COUNT; k++) {
        double n = nk[k] > 0 ? nk[k] : 1, floor = 0.5 / (n + 1), sum = 0;
        for (int l = 0; l < link_field_levels[k]; l++) {
            double u =
                (ur[k][l] / n - p_all * fs_m(m, (size_t)k, l)) / (1 - p_all);
            ur[k][l] = u > floor ? u : floor;
            sum += ur[k][l];
        }
        for (int l = 0; l < link_field_levels[k]; l++)
            ur[k][l] /= sum;
    }
}

/* Fellegi–Sunter weight of a comparison vector: m from EM over the
 * candidates, u from random pairs of the whole files. */
static double weight(const fs_model *m, double ur[F_COUNT][FS_MAX_LEVELS],
                     const int8_t *lv)
{
    double w = 0;
    for (int k = 0; k < F_COUNT; k++)
        if (lv[k] >= 0)
            w += log2(fs_m(m, (size_t)k, lv[k]) / ur[k][lv[k]]);
    return w;
}

static int by_double_desc(const void *x, const void *y)
{
    double a = *(const double *)x, b = *(const double *)y;
    return a < b ? 1 : a > b ? -1 : 0;
}

/* The lowest weight whose links (candidates at or above it) have the
 * target expected precision, with posterior 1 / (1 + 2^(bayes - w)). */
static double precision_threshold(const double *w, size_t n, double bayes,
                                  double target)
{
    double *v = p20w_malloc((n ? n : 1) * sizeof *v);
    if (v == NULL)
        return INFINITY;
    memcpy(v, w, n * sizeof *v);
    qsort(v, n, sizeof *v, by_double_desc);
    double sum = 0, best = INFINITY;
    for (size_t i = 0; i < n; i++) {
        sum += 1.0 / (1.0 + exp2(bayes - v[i]));
        if (sum / (double)(i + 1) >= target)
            best = v[i];
    }
    p20w_free(v);
    return best;
}

static int by_weight_desc(const void *x, const void *y)
{
    const link_edge *a = x, *b = y;
    if (a->w != b->w)
        return a->w < b->w ? 1 : -1;
    if (a->a != b->a)
        return a->a < b->a ? -1 : 1;
    return a->b < b->b ? -1 : a->b > b->b;
}

/* Keeps, for each record of the many side (and of both sides for
 * one-to-one pairs), only its best link. edges are sorted by weight. */
static size_t best_only(link_edge *e, size_t n, int one_to_one, size_t nrecs)
{
    uint8_t *taken_b = p20w_calloc(nrecs ? nrecs : 1, 1);
    uint8_t *taken_a = one_to_one ? p20w_calloc(nrecs ? nrecs : 1, 1) : NULL;
    if (taken_b == NULL || (one_to_one && taken_a == NULL)) {
        p20w_free(taken_b);
        p20w_free(taken_a);
        return n; /* keep all: clustering constraints still apply */
    }
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (taken_b[e[i].b] || (taken_a && taken_a[e[i].a]))
            continue;
        taken_b[e[i].b] = 1;
        if (taken_a)
            taken_a[e[i].a] = 1;
        e[k++] = e[i];
    }
    p20w_free(taken_b);
    p20w_free(taken_a);
    return k;
}

/* Second tier: a pair in the review band (posterior 1/10 to 1/2) links
 * when neither record has a link of this kind and each is the other's best
 * candidate — the only plausible partner on both sides, as for a woman
 * with her birth surname on one record and her married one on the other.
 * The Fellegi–Sunter posterior counts every coincidence in the state; the
 * one-to-one structure of two files says more. Not for wage identities,
 * where an SSN one typo away from someone else's is a known hazard. */
static p20w_status mutual_best(link_run_state *R, int t, const vec *pairs,
                               const double *w, double thr, double rev,
                               size_t first_edge)
{
    const link_pair_type *pt = &link_pair_types[t];
    const link_set *set = &R->set;
    uint32_t na = set->count_of[pt->a], nb = set->count_of[pt->b];
    uint32_t fa = set->first_of[pt->a], fb = set->first_of[pt->b];
    uint32_t *best_a = p20w_malloc((na ? na : 1) * sizeof *best_a);
    uint32_t *best_b = p20w_malloc((nb ? nb : 1) * sizeof *best_b);
    double *wa = p20w_malloc((na ? na : 1) * sizeof *wa);
    double *wb = p20w_malloc((nb ? nb : 1) * sizeof *wb);
    uint8_t *la = p20w_calloc(na ? na : 1, 1),
            *lb = p20w_calloc(nb ? nb : 1, 1);
    p20w_status rc = P20W_OK;
    if (best_a == NULL || best_b == NULL || wa == NULL || wb == NULL ||
        la == NULL || lb == NULL) {
        rc = P20W_ENOMEM;
        goto out;
    }
    for (uint32_t i = 0; i < na; i++)
        wa[i] = -INFINITY;
    for (uint32_t i = 0; i < nb; i++)
        wb[i] = -INFINITY;
    const lpair *pp = pairs->data;
    for (size_t i = 0; i < pairs->len; i++) {
        uint32_t a = pp[i].a - fa, b = pp[i].b - fb;
        if (w[i] > wa[a]) {
            wa[a] = w[i];
            best_a[a] = b;
        }
        if (w[i] > wb[b]) {
            wb[b] = w[i];
            best_b[b] = a;
        }
    }
    const link_edge *e = (const link_edge *)R->edges.data;
    for (size_t i = first_edge; i < R->edges.len; i++) {
        la[e[i].a - fa] = 1;
        lb[e[i].b - fb] = 1;
    }
    for (size_t i = 0; rc == P20W_OK && i < pairs->len; i++) {
        if (w[i] >= thr || w[i] < rev)
            continue;
        if (link_decision(R, pp[i].a, pp[i].b) != 0)
            continue;
        uint32_t a = pp[i].a - fa, b = pp[i].b - fb;
        if (la[a] || lb[b] || best_a[a] != b || best_b[b] != a) {
            link_edge re = {pp[i].a, pp[i].b, (float)w[i], (uint8_t)t};
            rc = vec_push(&R->review, &re);
            R->types[t].review++;
            continue;
        }
        link_edge ne = {pp[i].a, pp[i].b, (float)w[i], (uint8_t)t};
        rc = vec_push(&R->edges, &ne);
        la[a] = lb[b] = 1;
        R->types[t].mutual++;
    }
out:
    p20w_free(best_a);
    p20w_free(best_b);
    p20w_free(wa);
    p20w_free(wb);
    p20w_free(la);
    p20w_free(lb);
    return rc;
}

p20w_status link_pair_type_run(link_run_state *R, int t, p20w_err *err)
{
    const link_pair_type *pt = &link_pair_types[t];
    link_type_report *tr = &R->types[t];
    const link_set *set = &R->set;
    double t0 = now_s();
    vec pairs;
    vec_init(&pairs, sizeof(lpair));
    fs_model *m = NULL;
    int8_t *levels = NULL;
    p20w_status rc =
        link_block(set, pt->a, pt->b, &pairs, tr->passes, &tr->npasses, err);
    tr->candidates = pairs.len;
    tr->block_s = now_s() - t0;
    if (rc != P20W_OK || pairs.len == 0)
        goto out;
    levels = p20w_malloc(pairs.len * F_COUNT);
    if (levels == NULL) {
        rc = p20w_err_set(err, P20W_ENOMEM, "out of memory");
        goto out;
    }
    double t1 = now_s();
    compare_all(set, &pairs, levels, R->opts.threads);
    tr->compare_s = now_s() - t1;
    double ur[F_COUNT][FS_MAX_LEVELS], nk[F_COUNT];
    measure_u(set, pt->a, pt->b, ur, nk);
    rc = fs_create(F_COUNT, link_field_levels, &m);
    for (size_t i = 0; rc == P20W_OK && i < pairs.len; i++) {
        int lv[F_COUNT];
        for (int k = 0; k < F_COUNT; k++)
            lv[k] = levels[i * F_COUNT + k];
        rc = fs_add(m, lv, 1);
    }
    /* EM starts near the truth so it finds the match class and not some
     * other split of the candidates: m from the level shares of "seed"
     * pairs that agree fully on at least three of given name, surname,
     * birth date and SSN; u from the level shares of the other
     * candidates (in small files, where blocking leaves few non-matches,
     * counting the seeds there too starts u next to m and EM settles on a
     * degenerate split); the match share from the seeds. */
    if (rc == P20W_OK) {
        static const int strong[] = {F_FIRST, F_LAST, F_DOB, F_SSN};
        double cm[F_COUNT][FS_MAX_LEVELS], cu[F_COUNT][FS_MAX_LEVELS];
        for (int k = 0; k < F_COUNT; k++)
            for (int l = 0; l < FS_MAX_LEVELS; l++) {
                cm[k][l] = 0.5 + l; /* smoothing that leans to agreement */
                cu[k][l] = 0.5;
            }
        size_t seeds = 0;
        for (size_t i = 0; i < pairs.len; i++) {
            const int8_t *lv = levels + i * F_COUNT;
            int full = 0;
            for (int j = 0; j < 4; j++)
                full += lv[strong[j]] == link_field_levels[strong[j]] - 1;
            for (int k = 0; k < F_COUNT; k++)
                if (lv[k] >= 0) {
                    if (full >= 3)
                        cm[k][lv[k]] += 1;
                    else
                        cu[k][lv[k]] += 1;
                }
            seeds += full >= 3;
        }
        /* A field no blocking pass of this pair uses (names, when wage
         * identities are blocked on SSN) is distributed among non-matching
         * candidates as among random pairs: start its u there, or EM
         * takes "name variants" for the non-match class. */
        int wage = pt->b == SRC_UI;
        for (int k = 0; rc == P20W_OK && k < F_COUNT; k++) {
            rc = fs_start_m(m, (size_t)k, cm[k]);
            int blocked =
                k == F_SSN ||
                (!wage && (k == F_FIRST || k == F_LAST || k == F_DOB));
            double ru[FS_MAX_LEVELS];
            for (int l = 0; l < link_field_levels[k]; l++)
                ru[l] = ur[k][l] + 0.5;
            if (rc == P20W_OK)
                rc = pt->a == pt->b
                         /* Duplicates within a source are a few in
                          * millions of candidates: u is the non-seed
                          * candidates' shares, held fixed, or EM splits
                          * the non-matches instead. */
                         ? fs_set_u(m, (size_t)k, cu[k])
                         : fs_start_u(m, (size_t)k, blocked ? cu[k] : ru);
        }
        double p0 = (double)(seeds + 1) / (double)pairs.len;
        if (rc == P20W_OK)
            rc = fs_start_match_share(m, p0 > 0.95   ? 0.95
                                         : p0 < 1e-4 ? 1e-4
                                                     : p0);
    }
    if (rc == P20W_OK)
        rc = fs_fit(m, 500, 1e-10);
    if (rc != P20W_OK) {
        p20w_err_set(err, rc, "cannot fit the linkage model");
        goto out;
    }
    /* The decision is made over all pairs of the two files, where non-
     * matches are near independent across fields: weights use u from
     * random pairs, and the prior is the expected number of matches (the
     * EM match share of the candidates) over all pairs. A pair links when
     * a match is more likely than not (posterior >= 1/2); the review band
     * is posterior 1/10 to 1/2. */
    double expected = fs_match_share(m) * (double)pairs.len;
    double all = (double)set->count_of[pt->a] * (double)set->count_of[pt->b];
    if (pt->a == pt->b) /* pairs of distinct records */
        all = all / 2 > 1 ? (all - (double)set->count_of[pt->a]) / 2 : 1;
    double p_all = expected / all;
    if (p_all <= 0 || !(p_all < 1))
        p_all = 1.0 / all;
    double thr = log2((1 - p_all) / p_all);
    double rev = thr + log2(1.0 / 9.0);
    finish_u(ur, nk, m, p_all);
    double u_last_exact = ur[F_LAST][link_field_levels[F_LAST] - 1];
    R->u_last_exact[t] = u_last_exact;
    tr->match_share = fs_match_share(m);
    tr->expected_matches = expected;
    for (int k = 0; k < F_COUNT; k++)
        for (int l = 0; l < link_field_levels[k]; l++) {
            tr->m[k][l] = fs_m(m, (size_t)k, l);
            tr->u[k][l] = ur[k][l];
        }
    /* Weigh every candidate (with the surname frequency adjustment). */
    const lpair *pp = pairs.data;
    double *w = p20w_malloc(pairs.len * sizeof *w);
    if (w == NULL) {
        rc = p20w_err_set(err, P20W_ENOMEM, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < pairs.len; i++) {
        const int8_t *lv = levels + i * F_COUNT;
        w[i] = weight(m, ur, lv);
        if (lv[F_LAST] == link_field_levels[F_LAST] - 1)
            w[i] += link_tf_adjust(set, link_rec(set, pp[i].a), u_last_exact);
    }
    /* The prior, refined: E = the expected number of matches is the fixed
     * point of E = Σ over records b of the "many" side of the posterior of
     * b's best candidate under the prior E / (|A|·|B|) (each record matches
     * at most one record of the other side). EM's match share starts it;
     * this counts every record once however many candidates it has. */
    {
        uint32_t nb = set->count_of[pt->b], fb = set->first_of[pt->b];
        double *wmax = p20w_malloc((nb ? nb : 1) * sizeof *wmax);
        if (wmax == NULL) {
            p20w_free(w);
            rc = p20w_err_set(err, P20W_ENOMEM, "out of memory");
            goto out;
        }
        for (uint32_t j = 0; j < nb; j++)
            wmax[j] = -INFINITY;
        for (size_t i = 0; i < pairs.len; i++)
            if (w[i] > wmax[pp[i].b - fb])
                wmax[pp[i].b - fb] = w[i];
        double e = expected;
        for (int it = 0; it < 100; it++) {
            double pa = e / all, bayes = log2((1 - pa) / pa), en = 0;
            for (uint32_t j = 0; j < nb; j++)
                if (isfinite(wmax[j]))
                    en += 1.0 / (1.0 + exp2(bayes - wmax[j]));
            if (en < 1)
                en = 1;
            if (fabs(en - e) < 0.5) {
                e = en;
                break;
            }
            e = en;
        }
        p20w_free(wmax);
        expected = e;
        p_all = e / all;
        thr = log2((1 - p_all) / p_all);
        rev = thr + log2(1.0 / 9.0);
        tr->expected_matches = expected;
    }
    if (R->opts.target_precision > 0) {
        double tp =
            precision_threshold(w, pairs.len, thr, R->opts.target_precision);
        if (tp > thr)
            thr = tp;
    }
    tr->threshold = thr;
    tr->review_threshold = rev;
    size_t first_edge = R->edges.len;
    for (size_t i = 0; rc == P20W_OK && i < pairs.len; i++) {
        if (w[i] >= rev && link_decision(R, pp[i].a, pp[i].b) != 0)
            continue; /* decided by a reviewer: link_decisions_apply() */
        if (w[i] >= thr) {
            link_edge e = {pp[i].a, pp[i].b, (float)w[i], (uint8_t)t};
            rc = vec_push(&R->edges, &e);
        } else if (w[i] >= rev && pt->b == SRC_UI) {
            /* other kinds queue it in mutual_best() */
            link_edge e = {pp[i].a, pp[i].b, (float)w[i], (uint8_t)t};
            rc = vec_push(&R->review, &e);
            tr->review++;
        }
    }
    if (rc != P20W_OK) {
        p20w_free(w);
        p20w_err_set(err, rc, "out of memory");
        goto out;
    }
    size_t ne = R->edges.len - first_edge;
    tr->above_threshold = ne;
    if (ne > 0) {
        link_edge *e = (link_edge *)R->edges.data + first_edge;
        qsort(e, ne, sizeof *e, by_weight_desc);
        ne = best_only(e, ne, pt->one_to_one, R->set.recs.len);
    }
    R->edges.len = first_edge + ne;
    if (pt->b != SRC_UI)
        rc = mutual_best(R, t, &pairs, w, thr, rev, first_edge);
    p20w_free(w);
    if (rc != P20W_OK) {
        p20w_err_set(err, rc, "out of memory");
        goto out;
    }
    tr->links = R->edges.len - first_edge;
out:
    tr->total_s = now_s() - t0;
    fs_free(m);
    p20w_free(levels);
    vec_free(&pairs);
    return rc;
}

/* ---- clustering under constraints -----------------------------------------
 */

static uint32_t find(uint32_t *parent, uint32_t x)
{
    while (parent[x] != x) {
        parent[x] = parent[parent[x]];
        x = parent[x];
    }
    return x;
}

/* Cannot-link lists: the records each cluster must never meet (the other
 * side of a pair a reviewer rejected), chained per root. */
typedef struct cannot {
    uint32_t rec;
    int32_t next;
} cannot;

static int forbidden(uint32_t *parent, const cannot *cn, const int32_t *head,
                     uint32_t from, uint32_t other)
{
    for (int32_t i = head[from]; i >= 0; i = cn[i].next)
        if (find(parent, cn[i].rec) == other)
            return 1;
    return 0;
}

static p20w_status cluster(link_run_state *R, p20w_err *err)
{
    size_t n = R->set.recs.len;
    R->parent = p20w_malloc((n ? n : 1) * sizeof(uint32_t));
    uint32_t *k12 = p20w_malloc((n ? n : 1) * sizeof(uint32_t));
    const char **ssn = p20w_calloc(n ? n : 1, sizeof(char *));
    if (R->parent == NULL || k12 == NULL || ssn == NULL) {
        p20w_free(k12);
        p20w_free(ssn);
        return p20w_err_set(err, P20W_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < n; i++) {
        const lrec *r = link_rec(&R->set, (uint32_t)i);
        R->parent[i] = (uint32_t)i;
        k12[i] = r->src == SRC_K12 ? (uint32_t)i : UINT32_MAX;
        ssn[i] = (r->src != SRC_UI && r->ssn[0]) ? r->ssn : NULL;
    }
    size_t nrej = R->rejected.len;
    cannot *cn = p20w_malloc((2 * nrej + 1) * sizeof *cn);
    int32_t *head = p20w_malloc((n ? n : 1) * sizeof *head);
    int32_t *tail = p20w_malloc((n ? n : 1) * sizeof *tail);
    if (cn == NULL || head == NULL || tail == NULL) {
        p20w_free(cn);
        p20w_free(head);
        p20w_free(tail);
        p20w_free(k12);
        p20w_free(ssn);
        return p20w_err_set(err, P20W_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < n; i++)
        head[i] = tail[i] = -1;
    const lpair *rj = R->rejected.data;
    for (size_t i = 0; i < nrej; i++) {
        uint32_t side[2][2] = {{rj[i].a, rj[i].b}, {rj[i].b, rj[i].a}};
        for (int j = 0; j < 2; j++) {
            int32_t k = (int32_t)(2 * i + (size_t)j);
            cn[k] = (cannot){side[j][1], head[side[j][0]]};
            if (head[side[j][0]] < 0)
                tail[side[j][0]] = k;
            head[side[j][0]] = k;
        }
    }
    link_edge *e = R->edges.data;
    if (R->edges.len > 1)
        qsort(e, R->edges.len, sizeof *e, by_weight_desc);
    for (size_t i = 0; i < R->edges.len; i++) {
        uint32_t ra = find(R->parent, e[i].a), rb = find(R->parent, e[i].b);
        if (ra == rb)
            continue;
        int forced = e[i].w >= LINK_FORCED_W;
        /* Two K-12 ids in one person only on a strong duplicate link: a
         * match 64 times more likely than the threshold's even odds. */
        const link_pair_type *et = &link_pair_types[e[i].type];
        int strong_dup = et->a == SRC_K12 && et->b == SRC_K12 &&
                         e[i].w >= R->types[e[i].type].threshold + 6;
        if (!forced && !strong_dup && k12[ra] != UINT32_MAX &&
            k12[rb] != UINT32_MAX) {
            R->types[e[i].type].refused_k12++;
            continue;
        }
        /* Two SSNs one typo apart are one person's (agencies mistype
         * SSNs too); two different SSNs are two people. */
        if (!forced && ssn[ra] && ssn[rb] &&
            link_cmp_ssn(ssn[ra], ssn[rb]) == LINK_SSN_DIFF) {
            R->types[e[i].type].refused_ssn++;
            continue;
        }
        if (nrej > 0 && (forbidden(R->parent, cn, head, ra, rb) ||
                         forbidden(R->parent, cn, head, rb, ra))) {
            R->types[e[i].type].refused_review++;
            continue;
        }
        R->parent[rb] = ra;
        if (head[rb] >= 0) { /* the joined cluster inherits rb's list */
            if (head[ra] < 0)
                head[ra] = head[rb];
            else
                cn[tail[ra]].next = head[rb];
            tail[ra] = tail[rb];
        }
        if (k12[ra] == UINT32_MAX)
            k12[ra] = k12[rb];
        if (ssn[ra] == NULL)
            ssn[ra] = ssn[rb];
    }
    for (size_t i = 0; i < n; i++)
        R->parent[i] = find(R->parent, (uint32_t)i);
    p20w_free(cn);
    p20w_free(head);
    p20w_free(tail);
    p20w_free(k12);
    p20w_free(ssn);
    return P20W_OK;
}

p20w_status link_run(store *st, const link_options *o, link_report **out,
                     p20w_err *err)
{
    *out = NULL;
    link_run_state *R = p20w_calloc(1, sizeof *R);
    if (R == NULL)
        return p20w_err_set(err, P20W_ENOMEM, "out of memory");
    R->opts = *o;
    R->store = st;
    vec_init(&R->edges, sizeof(link_edge));
    vec_init(&R->review, sizeof(link_edge));
    vec_init(&R->rejected, sizeof(lpair));
    double t0 = now_s();
    p20w_status rc = link_set_load(st, o->data_dir, &R->set, err);
    R->load_s = now_s() - t0;
    if (rc != P20W_OK) {
        vec_free(&R->review);
        vec_free(&R->rejected);
        vec_free(&R->edges);
        p20w_free(R);
        return rc;
    }
    rc = link_decisions_load(st, R, err);
    for (int t = 0; rc == P20W_OK && t < LINK_PAIR_TYPES; t++) {
        const link_pair_type *pt = &link_pair_types[t];
        if (R->set.count_of[pt->a] == 0 || R->set.count_of[pt->b] == 0)
            continue;
        rc = link_pair_type_run(R, t, err);
        log_debug("link %s-%s: %llu candidates, %llu links",
                  link_src_name(pt->a), link_src_name(pt->b),
                  (unsigned long long)R->types[t].candidates,
                  (unsigned long long)R->types[t].links);
    }
    if (rc == P20W_OK)
        rc = link_decisions_apply(R, err);
    double t1 = now_s();
    if (rc == P20W_OK)
        rc = cluster(R, err);
    R->cluster_s = now_s() - t1;
    t1 = now_s();
    if (rc == P20W_OK)
        rc = link_mpi_write(st, R, err);
    R->write_s = now_s() - t1;
    if (rc == P20W_OK && o->truth_dir != NULL)
        rc = link_truth_eval(R, o->truth_dir, err);
    R->total_s = now_s() - t0;
    R->store = NULL;
    if (rc != P20W_OK) {
        link_report_free(R);
        return rc;
    }
    *out = R;
    return P20W_OK;
}
