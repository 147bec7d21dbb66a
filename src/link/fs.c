/*
 * fs.c — Fellegi–Sunter EM over agreement-pattern counts.
 *
 * Patterns live in a vector; a hash map from the pattern's bytes to its
 * index deduplicates them as pairs are added. EM touches each pattern once
 * per iteration, so its cost is independent of the number of pairs.
 * Probabilities are floored at FS_EPS so weights stay finite when a level
 * is never seen among matches or non-matches.
 */
#include "link/fs.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "link/compare.h"
#include "util/hmap.h"
#include "util/mem.h"
#include "util/vec.h"

#define FS_EPS 1e-6

typedef struct pattern {
    int8_t lv[FS_MAX_FIELDS];
    uint64_t count;
    double g; /* posterior match probability, after fitting */
} pattern;

struct fs_model {
    size_t nfields;
    int levels[FS_MAX_FIELDS];
    double p;
    double m[FS_MAX_FIELDS][FS_MAX_LEVELS];
    double u[FS_MAX_FIELDS][FS_MAX_LEVELS];
    int u_fixed[FS_MAX_FIELDS];
    vec patterns; /* of pattern */
    hmap *index;  /* pattern bytes -> index + 1 */
    uint64_t pairs;
};

p20w_status fs_create(size_t nfields, const int *levels, fs_model **out)
{
    *out = NULL;
    if (nfields == 0 || nfields > FS_MAX_FIELDS)
        return P20W_EINVAL;
    for (size_t k = 0; k < nfields; k++)
        if (levels[k] < 2 || levels[k] > FS_MAX_LEVELS)
            return P20W_EINVAL;
    fs_model *m = p20w_calloc(1, sizeof *m);
    if (m == NULL)
        return P20W_ENOMEM;
    if (hmap_create(&m->index) != P20W_OK) {
        p20w_free(m);
        return P20W_ENOMEM;
    }
    m->nfields = nfields;
    vec_init(&m->patterns, sizeof(pattern));
    m->p = 0.1;
    for (size_t k = 0; k < nfields; k++) {
        int L = levels[k];
        m->levels[k] = L;
        /* m rises with the level, u falls: weights start in the right
         * direction, which is what lets EM find the match class. */
        double ms = 0, us = 0;
        for (int l = 0; l < L; l++) {
            m->m[k][l] = (double)(l + 1) * (l + 1);
            m->u[k][l] = (double)(L - l) * (L - l);
            ms += m->m[k][l];
            us += m->u[k][l];
        }
        for (int l = 0; l < L; l++) {
            m->m[k][l] /= ms;
            m->u[k][l] /= us;
        }
    }
    *out = m;
    return P20W_OK;
}

void fs_free(fs_model *m)
{
    if (m == NULL)
        return;
    vec_free(&m->patterns);
    hmap_free(m->index);
    p20w_free(m);
}

p20w_status fs_add(fs_model *m, const int *levels, uint64_t count)
{
    int8_t key[FS_MAX_FIELDS];
    for (size_t k = 0; k < m->nfields; k++) {
        if (levels[k] != LINK_MISSING &&
            (levels[k] < 0 || levels[k] >= m->levels[k]))
            return P20W_EINVAL;
        key[k] = (int8_t)levels[k];
    }
    void *v;
    if (hmap_get(m->index, key, m->nfields, &v)) {
        pattern *pt = vec_at(&m->patterns, (size_t)(uintptr_t)v - 1);
        pt->count += count;
    } else {
        pattern pt;
        memset(&pt, 0, sizeof pt);
        memcpy(pt.lv, key, m->nfields);
        pt.count = count;
        if (vec_push(&m->patterns, &pt) != P20W_OK)
            return P20W_ENOMEM;
        if (hmap_put(m->index, key, m->nfields,
                     (void *)(uintptr_t)m->patterns.len) != P20W_OK) {
            m->patterns.len--;
            return P20W_ENOMEM;
        }
    }
    m->pairs += count;
    return P20W_OK;
}

size_t fs_pattern_count(const fs_model *m)
{
    return m->patterns.len;
}

uint64_t fs_pair_count(const fs_model *m)
{
    return m->pairs;
}

p20w_status fs_set_u(fs_model *m, size_t field, const double *u)
{
    if (field >= m->nfields)
        return P20W_EINVAL;
    double s = 0;
    for (int l = 0; l < m->levels[field]; l++) {
        if (!(u[l] >= 0))
            return P20W_EINVAL;
        s += u[l];
    }
    if (s <= 0)
        return P20W_EINVAL;
    for (int l = 0; l < m->levels[field]; l++)
        m->u[field][l] = u[l] / s < FS_EPS ? FS_EPS : u[l] / s;
    m->u_fixed[field] = 1;
    return P20W_OK;
}

p20w_status fs_start_u(fs_model *m, size_t field, const double *u)
{
    p20w_status rc = fs_set_u(m, field, u);
    if (rc == P20W_OK)
        m->u_fixed[field] = 0;
    return rc;
}

p20w_status fs_start_m(fs_model *m, size_t field, const double *mv)
{
    if (field >= m->nfields)
        return P20W_EINVAL;
    double s = 0;
    for (int l = 0; l < m->levels[field]; l++) {
        if (!(mv[l] >= 0))
            return P20W_EINVAL;
        s += mv[l];
    }
    if (s <= 0)
        return P20W_EINVAL;
    for (int l = 0; l < m->levels[field]; l++)
        m->m[field][l] = mv[l] / s < FS_EPS ? FS_EPS : mv[l] / s;
    return P20W_OK;
}

p20w_status fs_start_match_share(fs_model *m, double p)
{
    if (!(p > 0 && p < 1))
        return P20W_EINVAL;
    m->p = p;
    return P20W_OK;
}

/* Likelihoods of a pattern under the match and non-match classes. */
static void class_lik(const fs_model *m, const int8_t *lv, double *lm,
                      double *lu)
{
    double a = 1, b = 1;
    for (size_t k = 0; k < m->nfields; k++) {
        if (lv[k] < 0)
            continue;
        a *= m->m[k][lv[k]];
        b *= m->u[k][lv[k]];
    }
    *lm = a;
    *lu = b;
}

static double e_step(fs_model *m)
{
    double ll = 0;
    pattern *pt = m->patterns.data;
    for (size_t i = 0; i < m->patterns.len; i++) {
        double lm, lu;
        class_lik(m, pt[i].lv, &lm, &lu);
        double num = m->p * lm, den = num + (1 - m->p) * lu;
        pt[i].g = den > 0 ? num / den : 0;
        ll += (double)pt[i].count * log(den > 0 ? den : 1e-300);
    }
    return ll;
}

static void normalise(double *v, int n)
{
    double s = 0;
    for (int l = 0; l < n; l++)
        s += v[l];
    for (int l = 0; l < n; l++) {
        v[l] = s > 0 ? v[l] / s : 1.0 / n;
        if (v[l] < FS_EPS)
            v[l] = FS_EPS;
    }
    s = 0;
    for (int l = 0; l < n; l++)
        s += v[l];
    for (int l = 0; l < n; l++)
        v[l] /= s;
}

static void m_step(fs_model *m)
{
    double mm[FS_MAX_FIELDS][FS_MAX_LEVELS] = {{0}};
    double uu[FS_MAX_FIELDS][FS_MAX_LEVELS] = {{0}};
    double gsum = 0, n = 0;
    const pattern *pt = m->patterns.data;
    for (size_t i = 0; i < m->patterns.len; i++) {
        double c = (double)pt[i].count;
        gsum += c * pt[i].g;
        n += c;
        for (size_t k = 0; k < m->nfields; k++) {
            if (pt[i].lv[k] < 0)
                continue;
            mm[k][pt[i].lv[k]] += c * pt[i].g;
            uu[k][pt[i].lv[k]] += c * (1 - pt[i].g);
        }
    }
    m->p = n > 0 ? gsum / n : 0;
    if (m->p < FS_EPS)
        m->p = FS_EPS;
    if (m->p > 1 - FS_EPS)
        m->p = 1 - FS_EPS;
    for (size_t k = 0; k < m->nfields; k++) {
        normalise(mm[k], m->levels[k]);
        memcpy(m->m[k], mm[k], sizeof mm[k]);
        if (!m->u_fixed[k]) {
            normalise(uu[k], m->levels[k]);
            memcpy(m->u[k], uu[k], sizeof uu[k]);
        }
    }
}

p20w_status fs_fit(fs_model *m, int max_iter, double tol)
{
    if (m->pairs == 0)
        return P20W_EINVAL;
    double prev = e_step(m);
    for (int it = 0; it < max_iter; it++) {
        m_step(m);
        double ll = e_step(m);
        if (fabs(ll - prev) <= tol * fabs(prev))
            break;
        prev = ll;
    }
    return P20W_OK;
}

double fs_match_share(const fs_model *m)
{
    return m->p;
}

double fs_m(const fs_model *m, size_t field, int level)
{
    return m->m[field][level];
}

double fs_u(const fs_model *m, size_t field, int level)
{
    return m->u[field][level];
}

double fs_field_weight(const fs_model *m, size_t field, int level)
{
    if (level == LINK_MISSING || level < 0 || level >= m->levels[field])
        return 0;
    return log2(m->m[field][level] / m->u[field][level]);
}

double fs_weight(const fs_model *m, const int *levels)
{
    double w = 0;
    for (size_t k = 0; k < m->nfields; k++)
        w += fs_field_weight(m, k, levels[k]);
    return w;
}

double fs_posterior(const fs_model *m, const int *levels)
{
    double a = m->p, b = 1 - m->p;
    for (size_t k = 0; k < m->nfields; k++) {
        int l = levels[k];
        if (l == LINK_MISSING || l < 0 || l >= m->levels[k])
            continue;
        a *= m->m[k][l];
        b *= m->u[k][l];
    }
    return a + b > 0 ? a / (a + b) : 0;
}

typedef struct wp {
    double w;
    double g;
    double c;
} wp;

static int by_weight_desc(const void *x, const void *y)
{
    double a = ((const wp *)x)->w, b = ((const wp *)y)->w;
    return a < b ? 1 : a > b ? -1 : 0;
}

double fs_threshold_for_precision(const fs_model *m, double target)
{
    size_t n = m->patterns.len;
    if (n == 0)
        return INFINITY;
    wp *v = p20w_malloc(n * sizeof *v);
    if (v == NULL)
        return INFINITY;
    const pattern *pt = m->patterns.data;
    for (size_t i = 0; i < n; i++) {
        int lv[FS_MAX_FIELDS];
        for (size_t k = 0; k < m->nfields; k++)
            lv[k] = pt[i].lv[k] < 0 ? LINK_MISSING : pt[i].lv[k];
        v[i].w = fs_weight(m, lv);
        v[i].g = fs_posterior(m, lv);
        v[i].c = (double)pt[i].count;
    }
    qsort(v, n, sizeof *v, by_weight_desc);
    double best = INFINITY, cg = 0, cc = 0;
    for (size_t i = 0; i < n; i++) {
        cg += v[i].c * v[i].g;
        cc += v[i].c;
        /* Only cut between distinct weights. */
        if (i + 1 < n && v[i + 1].w == v[i].w)
            continue;
        if (cc > 0 && cg / cc >= target)
            best = v[i].w;
    }
    p20w_free(v);
    return best;
}
