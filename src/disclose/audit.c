/*
 * audit.c — the attacker: what can be proved about each protected quantity
 * from everything published, by linear programming with GLPK.
 *
 * The attacker's unknowns are every count the publication does not show:
 * n of each suppressed cell, and (rate tables) each numerator not shown.
 * What the attacker knows, as linear relations over them:
 *   - every published n and numerator (constants);
 *   - every published rate band: rate_lo n <= m <= rate_hi n;
 *   - additivity: each total equals the sum of its line, for n and for
 *     numerators, along every dimension (so a 3-D table's grand total is
 *     tied to all three of its one-way margins);
 *   - 0 <= m <= n, n >= 0;
 *   - in a pooled publication, sum over the years = the published pooled
 *     cell (n, and numerator or band).
 * Integrality is not used: the LP relaxation is the spec's attacker.
 *
 * Protected quantities: n of every cell whose own n is hidden (S, C, L),
 * and m and n - m wherever they are below min_n and the numerator is not
 * shown. Each must have a provable interval covering [x - p x, x + p x]
 * and wider than a point.
 *
 * Cost control: the relations split into independent components (union-
 * find over variables); one GLPK problem per component, warm-started
 * between objectives; and every solution found is a feasible point, so it
 * widens the known range of every quantity in the component — an LP is
 * solved only for a bound not already shown wide enough (the true table
 * is the first feasible point).
 */
#include <glpk.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "disclose/discloseInt.h"
#include "util/mem.h"
#include "util/vec.h"

#define NOVAR SIZE_MAX
/* Quick mode stops proving after this many failures in a round. */
#define QUICK_MAX 24
/* From this many zeros in a component, lift_zeros() tries them at once. */
#define ZERO_BATCH 4

typedef struct term {
    size_t var;
    double coef;
} term;

typedef struct lrow {
    size_t first, len; /* terms[first..first+len) */
    int type;          /* GLP_FX, GLP_UP, GLP_LO, GLP_DB */
    double lo, hi;
    size_t comp;
} lrow;

typedef struct quant {
    size_t tab, cell, sum;
    int what;
    size_t tfirst, tlen; /* its terms in lpb.qterms */
    double cst;
    double value;
    double want_lo, want_hi; /* protection interval */
    double seen_lo, seen_hi; /* extremes shown feasible so far */
    double lo, hi;           /* proved (after LP) */
    int have_lo, have_hi;
    int skipped;  /* quick mode: not proved this round */
    int part;     /* stands for several cells: each part's interval is
                     [0, hi], so only the upper end is asked for */
    size_t okkey; /* its flag in lpb.ok, or SIZE_MAX */
    size_t comp;
} quant;

typedef struct lpb {
    size_t nvar;
    double *vlo, *vhi, *vval; /* bounds (vhi HUGE_VAL: none), true value */
    size_t *uf;               /* union-find parent */
    size_t *pos;              /* scratch per variable (rowb_end) */
    vec terms;                /* term */
    vec rows;                 /* lrow */
    vec quants;               /* quant */
    vec qterms;               /* term: the quantities' */
    size_t *vn, *vm;          /* var of n / m per (table offset + cell) */
    size_t *gid;              /* id per (table offset + cell) */
    size_t nid;
    unsigned char *qdone; /* 4 per id: quantity already made */
    unsigned char *rdone; /* 1 per id: its own rows already made */
    unsigned char *joint; /* per variable: shared by tables or in a sum
                             (only_joint), else NULL */
    unsigned char *ok;    /* dsys.ok (3 flags per cell of one table) or
                             disclose_set.ok (4 per id), else NULL */
    int ok_by_id;         /* ok is disclose_set.ok */
    const size_t *off;    /* first cell of each table */
    int quick;            /* dsys.quick */
    size_t nfail;         /* quantities found failing so far */
} lpb;

static size_t uf_find(size_t *uf, size_t x)
{
    while (uf[x] != x) {
        uf[x] = uf[uf[x]];
        x = uf[x];
    }
    return x;
}

static void uf_join(size_t *uf, size_t a, size_t b)
{
    a = uf_find(uf, a);
    b = uf_find(uf, b);
    if (a < b)
        uf[b] = a;
    else if (b < a)
        uf[a] = b;
}

/* ---- building the relations ------------------------------------------ */

/* A row under construction: terms appended to b->terms, constants summed. */
typedef struct rowb {
    size_t first;
    double cst;
} rowb;

static void rowb_start(lpb *b, rowb *r)
{
    r->first = b->terms.len;
    r->cst = 0.0;
}

static p20w_status rowb_add(lpb *b, rowb *r, size_t var, double coef,
                            double fixed)
{
    if (var == NOVAR) {
        r->cst += coef * fixed;
        return P20W_OK;
    }
    term tm = {var, coef};
    return vec_push(&b->terms, &tm);
}

/* Finishes the row: lo <= sum(terms) + cst <= hi (type as GLPK). A
 * variable named twice gets one term; rows without a variable are dropped
 * (they only restate published numbers). */
static p20w_status rowb_end(lpb *b, rowb *r, int type, double lo, double hi)
{
    size_t len = b->terms.len - r->first, out = 0;
    if (len == 0) /* (terms.data may still be NULL: no arithmetic on it) */
        return P20W_OK;
    term *tm = (term *)b->terms.data + r->first;
    for (size_t k = 0; k < len; k++) {
        size_t v = tm[k].var;
        if (b->pos[v] != NOVAR) {
            tm[b->pos[v]].coef += tm[k].coef;
            continue;
        }
        b->pos[v] = out;
        tm[out++] = tm[k];
    }
    for (size_t k = 0; k < out; k++)
        b->pos[tm[k].var] = NOVAR;
    size_t keep = 0;
    for (size_t k = 0; k < out; k++)
        if (tm[k].coef != 0.0)
            tm[keep++] = tm[k];
    b->terms.len = r->first + keep;
    if (keep == 0)
        return P20W_OK;
    lrow row = {r->first, keep, type, lo - r->cst, hi - r->cst, 0};
    for (size_t k = 1; k < keep; k++)
        uf_join(b->uf, tm[0].var, tm[k].var);
    return vec_push(&b->rows, &row);
}

static size_t cell_off(const dsys *s, size_t tab)
{
    size_t off = 0;
    for (size_t k = 0; k < tab; k++)
        off += s->tab[k]->ncells;
    return off;
}

/* Assigns variables and their bounds; fills vn/vm and gid. Cells with one
 * id are one variable, public when any table shows it. Returns
 * P20W_EINVAL when ids are out of range or disagree. */
static p20w_status make_vars(lpb *b, const dsys *s)
{
    size_t total = cell_off(s, s->count);
    size_t nid = s->id != NULL ? s->nid : total;
    p20w_status rc = P20W_OK;
    b->nid = nid;
    b->vn = p20w_malloc((total + 1) * sizeof *b->vn);
    b->vm = p20w_malloc((total + 1) * sizeof *b->vm);
    b->gid = p20w_malloc((total + 1) * sizeof *b->gid);
    /* at most two variables per cell */
    b->vlo = p20w_malloc(2 * total * sizeof *b->vlo + 1);
    b->vhi = p20w_malloc(2 * total * sizeof *b->vhi + 1);
    b->vval = p20w_malloc(2 * total * sizeof *b->vval + 1);
    b->uf = p20w_malloc(2 * total * sizeof *b->uf + 1);
    b->pos = p20w_malloc(2 * total * sizeof *b->pos + 1);
    b->qdone = p20w_calloc(4 * nid + 1, 1);
    b->rdone = p20w_calloc(nid + 1, 1);
    unsigned char *fixed = NULL;
    if (s->fix_sums && s->nsums > 0) {
        /* the cells of sums are taken as known: see disclose_audit_set */
        fixed = p20w_calloc(nid + 1, 1);
        if (fixed == NULL)
            return P20W_ENOMEM;
        for (size_t u = 0; u < s->nsums; u++)
            for (size_t j = 0; j < s->sum[u].count; j++) {
                const disclose_ref *r = &s->sum[u].ref[j];
                size_t o = 0;
                for (size_t k = 0; k < r->table; k++)
                    o += s->tab[k]->ncells;
                size_t g =
                    s->id != NULL ? s->id[r->table][r->cell] : o + r->cell;
                if (g < nid)
                    fixed[g] = 1;
            }
    }
    unsigned char *pub = p20w_calloc(nid + 1, 1); /* 1 n, 2 numerator,
                                                      4 seen, 8 in two
                                                      tables */
    size_t *last = s->only_joint ? p20w_malloc((nid + 1) * sizeof *last) : NULL;
    if (s->only_joint && last != NULL)
        for (size_t g = 0; g < nid; g++)
            last[g] = SIZE_MAX;
    long *val = p20w_malloc((2 * nid + 1) * sizeof *val);
    size_t *idn = p20w_malloc((2 * nid + 1) * sizeof *idn);
    if (s->only_joint)
        b->joint = p20w_calloc(2 * total + 1, 1);
    if (!b->vn || !b->vm || !b->gid || !b->vlo || !b->vhi || !b->vval ||
        !b->uf || !b->pos || !b->qdone || !b->rdone || !pub || !val || !idn ||
        (s->only_joint && (!last || !b->joint))) {
        rc = P20W_ENOMEM;
        goto out;
    }
    for (size_t k = 0, off = 0; k < s->count && rc == P20W_OK;
         off += s->tab[k]->ncells, k++) {
        const disclose_table *t = s->tab[k];
        for (size_t i = 0; i < t->ncells; i++) {
            const disclose_cell *c = &s->cell[k][i];
            size_t g = s->id != NULL ? s->id[k][i] : off + i;
            long m = t->has_num ? t->num[i] : -1;
            if (g >= nid) {
                rc = P20W_EINVAL;
                break;
            }
            b->gid[off + i] = g;
            if (!(pub[g] & 4)) {
                pub[g] |= 4;
                val[2 * g] = t->n[i];
                val[2 * g + 1] = m;
            } else if (val[2 * g] != t->n[i] || val[2 * g + 1] != m) {
                rc = P20W_EINVAL;
                break;
            }
            if (last != NULL) {
                if (last[g] != SIZE_MAX && last[g] != k)
                    pub[g] |= 8;
                last[g] = k;
            }
            if (dcell_n_public(c) || (fixed && fixed[g]))
                pub[g] |= 1;
            if (t->has_num && (dcell_num_public(c) || (fixed && fixed[g])))
                pub[g] |= 2;
        }
    }
    if (rc != P20W_OK)
        goto out;
    for (size_t g = 0; g < 2 * nid; g++)
        idn[g] = NOVAR;
    size_t nv = 0;
    for (size_t k = 0, off = 0; k < s->count; off += s->tab[k]->ncells, k++) {
        const disclose_table *t = s->tab[k];
        for (size_t i = 0; i < t->ncells; i++) {
            const disclose_cell *c = &s->cell[k][i];
            size_t g = b->gid[off + i];
            b->vn[off + i] = b->vm[off + i] = NOVAR;
            if (!(pub[g] & 1)) {
                if (idn[2 * g] == NOVAR) {
                    idn[2 * g] = nv;
                    b->vlo[nv] = 0.0;
                    b->vhi[nv] = HUGE_VAL;
                    b->vval[nv] = (double)t->n[i];
                    nv++;
                }
                b->vn[off + i] = idn[2 * g];
                if (b->joint && (pub[g] & 8))
                    b->joint[idn[2 * g]] = 1;
            }
            if (!t->has_num || (pub[g] & 2))
                continue;
            if (idn[2 * g + 1] == NOVAR) {
                idn[2 * g + 1] = nv;
                b->vlo[nv] = 0.0;
                b->vhi[nv] = HUGE_VAL;
                b->vval[nv] = (double)t->num[i];
                nv++;
            }
            size_t v = idn[2 * g + 1];
            b->vm[off + i] = v;
            if (b->joint && (pub[g] & 8))
                b->joint[v] = 1;
            if (pub[g] & 1) {
                double n = (double)t->n[i];
                b->vhi[v] = fmin(b->vhi[v], n);
                if (c->has_rate && !c->pooled) {
                    b->vlo[v] = fmax(b->vlo[v], fmax(0.0, c->rate_lo * n));
                    b->vhi[v] = fmin(b->vhi[v], fmin(n, c->rate_hi * n));
                }
            }
        }
    }
    b->nvar = nv;
    for (size_t v = 0; v < nv; v++) {
        b->uf[v] = v;
        b->pos[v] = NOVAR;
    }
out:
    p20w_free(pub);
    p20w_free(val);
    p20w_free(idn);
    p20w_free(last);
    p20w_free(fixed);
    return rc;
}

/* Rate tables: m <= n and the published band of each cell; share tables:
 * each published share, rate_lo * total <= count <= rate_hi * total. */
static p20w_status cell_rows(lpb *b, const dsys *s, size_t k, size_t off)
{
    const disclose_table *t = s->tab[k];
    p20w_status rc = P20W_OK;
    rowb r;
    for (size_t i = 0; i < t->ncells && rc == P20W_OK; i++) {
        const disclose_cell *c = &s->cell[k][i];
        size_t vn = b->vn[off + i], vm = b->vm[off + i];
        if (t->share_dim >= 0 && dtab_is_share(t, i) && c->has_rate &&
            !c->pooled) {
            size_t tot = dtab_share_total(t, i);
            size_t vt = b->vn[off + tot];
            double lo = c->rate_lo, hi = c->rate_hi;
            if (vn == NOVAR && vt == NOVAR)
                continue;
            rowb_start(b, &r);
            rc = rowb_add(b, &r, vn, 1.0, (double)t->n[i]);
            if (rc == P20W_OK)
                rc = rowb_add(b, &r, vt, -lo, (double)t->n[tot]);
            if (rc == P20W_OK)
                rc = rowb_end(b, &r, lo == hi ? GLP_FX : GLP_LO, 0.0, 0.0);
            if (rc != P20W_OK || lo == hi)
                continue;
            rowb_start(b, &r);
            rc = rowb_add(b, &r, vn, 1.0, (double)t->n[i]);
            if (rc == P20W_OK)
                rc = rowb_add(b, &r, vt, -hi, (double)t->n[tot]);
            if (rc == P20W_OK)
                rc = rowb_end(b, &r, GLP_UP, 0.0, 0.0);
            continue;
        }
        if (vm == NOVAR || vn == NOVAR)
            continue;
        size_t g = b->gid[off + i];
        if (b->rdone[g])
            continue; /* a shared cell: its rows are in already */
        b->rdone[g] = 1;
        /* m - n <= 0, and a rate band on a hidden n if one was shown */
        rowb_start(b, &r);
        rc = rowb_add(b, &r, vm, 1.0, 0);
        if (rc == P20W_OK)
            rc = rowb_add(b, &r, vn, -1.0, 0);
        if (rc == P20W_OK)
            rc = rowb_end(b, &r, GLP_UP, 0.0, 0.0);
        if (rc != P20W_OK || !c->has_rate || c->pooled)
            continue;
        rowb_start(b, &r);
        rc = rowb_add(b, &r, vm, 1.0, 0);
        if (rc == P20W_OK)
            rc = rowb_add(b, &r, vn, -c->rate_lo, 0);
        if (rc == P20W_OK)
            rc = rowb_end(b, &r, GLP_LO, 0.0, 0.0);
        rowb_start(b, &r);
        if (rc == P20W_OK)
            rc = rowb_add(b, &r, vm, 1.0, 0);
        if (rc == P20W_OK)
            rc = rowb_add(b, &r, vn, -c->rate_hi, 0);
        if (rc == P20W_OK)
            rc = rowb_end(b, &r, GLP_UP, 0.0, 0.0);
    }
    return rc;
}

/* total - sum(line) = 0, for n (num == 0) or numerators (num == 1). */
static p20w_status line_row(lpb *b, const dsys *s, size_t k, size_t off,
                            size_t tot, size_t d, int num)
{
    const disclose_table *t = s->tab[k];
    const size_t *map = num ? b->vm : b->vn;
    const long *val = num ? t->num : t->n;
    rowb r;
    rowb_start(b, &r);
    p20w_status rc = rowb_add(b, &r, map[off + tot], 1.0, (double)val[tot]);
    for (size_t j = 0; j < t->size[d] && rc == P20W_OK; j++) {
        size_t c = dtab_line_member(t, tot, d, j);
        rc = rowb_add(b, &r, map[off + c], -1.0, (double)val[c]);
    }
    if (rc == P20W_OK)
        rc = rowb_end(b, &r, GLP_FX, 0.0, 0.0);
    return rc;
}

static p20w_status additivity_rows(lpb *b, const dsys *s, size_t k, size_t off)
{
    const disclose_table *t = s->tab[k];
    p20w_status rc = P20W_OK;
    for (size_t i = 0; i < t->ncells && rc == P20W_OK; i++) {
        for (size_t d = 0; d < t->ndims && rc == P20W_OK; d++) {
            if (!dtab_is_total(t, i, d))
                continue;
            rc = line_row(b, s, k, off, i, d, 0);
            if (rc == P20W_OK && t->has_num)
                rc = line_row(b, s, k, off, i, d, 1);
        }
    }
    return rc;
}

/* Adds the n (which 0), numerator (1) or share denominator (2) of every
 * cell of sum u to row r with coefficient coef. */
static p20w_status sum_terms(lpb *b, const dsys *s, const size_t *off,
                             const disclose_sum *u, int which, double coef,
                             rowb *r)
{
    p20w_status rc = P20W_OK;
    for (size_t j = 0; j < u->count && rc == P20W_OK; j++) {
        const disclose_table *t = s->tab[u->ref[j].table];
        size_t at = off[u->ref[j].table], i = u->ref[j].cell;
        if (which == 2)
            i = dtab_share_total(t, i);
        size_t v = which == 1 ? b->vm[at + i] : b->vn[at + i];
        if (b->joint != NULL && v != NOVAR)
            b->joint[v] = 1;
        if (which == 1)
            rc = rowb_add(b, r, v, coef, (double)t->num[i]);
        else
            rc = rowb_add(b, r, v, coef, (double)t->n[i]);
    }
    return rc;
}

/* What each published sum (a pooled cell) shows, as relations over its
 * cells: n, then the numerator or the rate band over the n (rate tables)
 * or over the group totals (share tables). */
static p20w_status sum_rows(lpb *b, const dsys *s, const size_t *off)
{
    p20w_status rc = P20W_OK;
    for (size_t k = 0; k < s->nsums && rc == P20W_OK; k++) {
        const disclose_sum *u = &s->sum[k];
        const disclose_cell *c = u->shown;
        rowb r;
        if (c == NULL || u->count == 0)
            continue;
        const disclose_table *t = s->tab[u->ref[0].table];
        int share = t->share_dim >= 0 && dtab_is_share(t, u->ref[0].cell);
        if (c->show_n) {
            rowb_start(b, &r);
            rc = sum_terms(b, s, off, u, 0, 1.0, &r);
            if (rc == P20W_OK)
                rc = rowb_end(b, &r, GLP_FX, (double)c->n, (double)c->n);
        }
        if (rc != P20W_OK)
            break;
        if (t->has_num && c->show_numerator) {
            rowb_start(b, &r);
            rc = sum_terms(b, s, off, u, 1, 1.0, &r);
            if (rc == P20W_OK)
                rc = rowb_end(b, &r, GLP_FX, (double)c->numerator,
                              (double)c->numerator);
            continue;
        }
        if (!c->has_rate || (!t->has_num && !share))
            continue;
        /* share: count - lo * total; rate: numerator - lo * n */
        int top = t->has_num ? 1 : 0, bottom = t->has_num ? 0 : 2;
        double lo = c->rate_lo, hi = c->rate_hi;
        rowb_start(b, &r);
        rc = sum_terms(b, s, off, u, top, 1.0, &r);
        if (rc == P20W_OK)
            rc = sum_terms(b, s, off, u, bottom, -lo, &r);
        if (rc == P20W_OK)
            rc = rowb_end(b, &r, lo == hi ? GLP_FX : GLP_LO, 0.0, 0.0);
        if (rc != P20W_OK || lo == hi)
            continue;
        rowb_start(b, &r);
        rc = sum_terms(b, s, off, u, top, 1.0, &r);
        if (rc == P20W_OK)
            rc = sum_terms(b, s, off, u, bottom, -hi, &r);
        if (rc == P20W_OK)
            rc = rowb_end(b, &r, GLP_UP, 0.0, 0.0);
    }
    return rc;
}

/* The protection interval of a value x: [x - p x, x + p x], clipped to
 * the interval the cell's own published band already states (a band
 * cell's numerator cannot be protected beyond what its label says; the
 * audit then asks that additivity narrows it no further than that).
 * Terms (var, coef) with var NOVAR are left out; cst is the constant. */
/* The flag of quantity `what` of cell i of table k in b->ok (a sum's: of
 * its first cell), SIZE_MAX when none. */
static size_t ok_key(const lpb *b, size_t k, size_t i, int what)
{
    if (b->ok == NULL)
        return SIZE_MAX;
    if (b->ok_by_id)
        return 4 * b->gid[b->off[k] + i] + (size_t)what;
    return what == DISCLOSE_Q_SUM ? SIZE_MAX : 3 * i + (size_t)what;
}

static p20w_status add_quant(lpb *b, const disclose_profile *p, size_t k,
                             size_t i, int what, const term *tm, size_t nt,
                             double cst, double value, double clip_lo,
                             double clip_hi)
{
    size_t key = ok_key(b, k, i, what);
    if (key != SIZE_MAX && b->ok[key])
        return P20W_OK;
    quant q;
    memset(&q, 0, sizeof q);
    q.okkey = key;
    q.tab = k;
    q.cell = i;
    q.sum = DISCLOSE_NO_SUM;
    q.what = what;
    q.tfirst = b->qterms.len;
    for (size_t j = 0; j < nt; j++) {
        if (tm[j].var == NOVAR)
            continue;
        if (vec_push(&b->qterms, &tm[j]) != P20W_OK)
            return P20W_ENOMEM;
        q.tlen++;
    }
    if (q.tlen == 0)
        return P20W_OK;
    /* one component for all of its variables */
    const term *qt = (const term *)b->qterms.data + q.tfirst;
    for (size_t j = 1; j < q.tlen; j++)
        uf_join(b->uf, qt[0].var, qt[j].var);
    q.cst = cst;
    q.value = q.seen_lo = q.seen_hi = value;
    q.want_lo = fmax(value * (1.0 - p->protect_pct), clip_lo);
    q.want_hi = fmin(value * (1.0 + p->protect_pct), clip_hi);
    return vec_push(&b->quants, &q);
}

/* A cell standing for several hidden cells (disclose_table_set_parts):
 * its sum must be able to reach (1 + p) * the largest part. */
static p20w_status add_part_quant(lpb *b, const disclose_profile *p, size_t k,
                                  size_t i, size_t v, double n, double maxpart)
{
    size_t key = ok_key(b, k, i, DISCLOSE_Q_N);
    if (key != SIZE_MAX && b->ok[key])
        return P20W_OK;
    quant q;
    memset(&q, 0, sizeof q);
    q.okkey = key;
    term tm = {v, 1.0};
    q.tab = k;
    q.cell = i;
    q.sum = DISCLOSE_NO_SUM;
    q.what = DISCLOSE_Q_N;
    q.tfirst = b->qterms.len;
    q.tlen = 1;
    q.part = 1;
    q.value = q.seen_lo = q.seen_hi = n;
    q.want_lo = -HUGE_VAL;
    q.want_hi = maxpart * (1.0 + p->protect_pct);
    if (vec_push(&b->qterms, &tm) != P20W_OK)
        return P20W_ENOMEM;
    return vec_push(&b->quants, &q);
}

static int first_time(lpb *b, size_t g, int what)
{
    if (b->qdone[4 * g + (size_t)what])
        return 0;
    b->qdone[4 * g + (size_t)what] = 1;
    return 1;
}

static p20w_status cell_quants(lpb *b, const disclose_profile *p, const dsys *s,
                               size_t k, size_t off)
{
    const disclose_table *t = s->tab[k];
    p20w_status rc = P20W_OK;
    for (size_t i = 0; i < t->ncells && rc == P20W_OK; i++) {
        const disclose_cell *c = &s->cell[k][i];
        size_t vn = b->vn[off + i], vm = b->vm[off + i];
        size_t g = b->gid[off + i];
        double n = (double)t->n[i];
        int share = t->share_dim >= 0 && dtab_is_share(t, i);
        size_t tot = share ? dtab_share_total(t, i) : 0;
        size_t vt = share ? b->vn[off + tot] : NOVAR;
        double T = share ? (double)t->n[tot] : 0.0;
        if (vn != NOVAR && first_time(b, g, DISCLOSE_Q_N)) {
            term tm = {vn, 1.0};
            double lo = -HUGE_VAL, hi = HUGE_VAL;
            if (share && vt == NOVAR && c->has_rate && !c->pooled) {
                lo = c->rate_lo * T;
                hi = c->rate_hi * T;
            }
            if (dtab_parts(t, i) > 1)
                rc = add_part_quant(b, p, k, i, vn, n, (double)t->maxpart[i]);
            else
                rc =
                    add_quant(b, p, k, i, DISCLOSE_Q_N, &tm, 1, 0.0, n, lo, hi);
        }
        if (rc != P20W_OK)
            break;
        if (share) {
            /* the rest of the group, total - count, when small */
            if (t->n[tot] - t->n[i] >= p->min_n || dtab_parts(t, i) > 0 ||
                (vn == NOVAR && vt == NOVAR) ||
                !first_time(b, g, DISCLOSE_Q_NONNUMERATOR))
                continue;
            term tm[2] = {{vt, 1.0}, {vn, -1.0}};
            double cst = (vt == NOVAR ? T : 0.0) - (vn == NOVAR ? n : 0.0);
            double lo = -HUGE_VAL, hi = HUGE_VAL;
            if (vt == NOVAR && c->has_rate && !c->pooled) {
                lo = T - c->rate_hi * T;
                hi = T - c->rate_lo * T;
            }
            rc = add_quant(b, p, k, i, DISCLOSE_Q_NONNUMERATOR, tm, 2, cst,
                           T - n, lo, hi);
            continue;
        }
        if (vm == NOVAR)
            continue;
        double m = (double)t->num[i];
        double mlo = -HUGE_VAL, mhi = HUGE_VAL;
        if (vn == NOVAR && c->has_rate) {
            mlo = c->rate_lo * n;
            mhi = c->rate_hi * n;
        }
        if (t->num[i] < p->min_n && first_time(b, g, DISCLOSE_Q_NUMERATOR)) {
            term tm = {vm, 1.0};
            rc = add_quant(b, p, k, i, DISCLOSE_Q_NUMERATOR, &tm, 1, 0.0, m,
                           mlo, mhi);
        }
        if (rc != P20W_OK || t->n[i] - t->num[i] >= p->min_n ||
            !first_time(b, g, DISCLOSE_Q_NONNUMERATOR))
            continue;
        if (vn != NOVAR) {
            term tm[2] = {{vn, 1.0}, {vm, -1.0}};
            rc = add_quant(b, p, k, i, DISCLOSE_Q_NONNUMERATOR, tm, 2, 0.0,
                           n - m, -HUGE_VAL, HUGE_VAL);
        } else {
            term tm = {vm, -1.0};
            rc = add_quant(b, p, k, i, DISCLOSE_Q_NONNUMERATOR, &tm, 1, n,
                           n - m, n - mhi, n - mlo);
        }
    }
    return rc;
}

/* Unpublished sums: protected like hidden cells. A sum whose every cell
 * is public is known exactly: it fails at once (*pinned gets its index,
 * the caller reports it). */
static p20w_status sum_quants(lpb *b, const disclose_profile *p, const dsys *s,
                              const size_t *off, vec *pinned)
{
    p20w_status rc = P20W_OK;
    vec tm;
    vec_init(&tm, sizeof(term));
    for (size_t k = 0; k < s->nsums && rc == P20W_OK; k++) {
        const disclose_sum *u = &s->sum[k];
        double cst = 0.0, value = 0.0;
        if (u->shown != NULL || u->count == 0)
            continue;
        tm.len = 0;
        for (size_t j = 0; j < u->count && rc == P20W_OK; j++) {
            const disclose_table *t = s->tab[u->ref[j].table];
            size_t i = u->ref[j].cell;
            term x = {b->vn[off[u->ref[j].table] + i], 1.0};
            if (b->joint != NULL && x.var != NOVAR)
                b->joint[x.var] = 1;
            value += (double)t->n[i];
            if (x.var == NOVAR)
                cst += (double)t->n[i];
            else
                rc = vec_push(&tm, &x);
        }
        if (rc != P20W_OK)
            break;
        if (tm.len == 0) {
            rc = vec_push(pinned, &k);
            continue;
        }
        size_t before = b->quants.len;
        const disclose_ref *last = &u->ref[u->count - 1];
        rc = add_quant(b, p, last->table, last->cell, DISCLOSE_Q_SUM, tm.data,
                       tm.len, cst, value, -HUGE_VAL, HUGE_VAL);
        if (rc == P20W_OK && b->quants.len > before)
            ((quant *)b->quants.data)[before].sum = k;
    }
    vec_free(&tm);
    return rc;
}

static void lpb_free(lpb *b)
{
    p20w_free(b->vlo);
    p20w_free(b->vhi);
    p20w_free(b->vval);
    p20w_free(b->uf);
    p20w_free(b->pos);
    p20w_free(b->vn);
    p20w_free(b->vm);
    p20w_free(b->gid);
    p20w_free(b->qdone);
    p20w_free(b->rdone);
    p20w_free(b->joint);
    vec_free(&b->terms);
    vec_free(&b->rows);
    vec_free(&b->quants);
    vec_free(&b->qterms);
}

/* ---- solving ----------------------------------------------------------- */

static double tol_for(double x)
{
    return 1e-6 * (1.0 + fabs(x));
}

static int need_hi(const quant *q)
{
    double tol = tol_for(q->value);
    if (q->part)
        return q->seen_hi < q->want_hi - tol || q->seen_hi <= tol;
    return q->seen_hi < q->want_hi - tol || q->seen_hi - q->seen_lo <= tol;
}

static int need_lo(const quant *q)
{
    double tol = tol_for(q->value);
    if (q->part)
        return 0;
    return q->seen_lo > q->want_lo + tol || q->seen_hi - q->seen_lo <= tol;
}

static const term *qterm(const lpb *b, const quant *q)
{
    return (const term *)b->qterms.data + q->tfirst;
}

static double quant_eval(const lpb *b, const quant *q, const double *x)
{
    double v = q->cst;
    const term *tm = qterm(b, q);
    for (size_t k = 0; k < q->tlen; k++)
        v += tm[k].coef * x[tm[k].var];
    return v;
}

/* One component's problem: local column j+1 is variable vars[j]. */
typedef struct comp_lp {
    const lpb *b;
    glp_prob *lp;
    size_t *vars; /* global ids of the columns */
    size_t nvars;
    size_t *local; /* global id -> column (1-based), shared, sized nvar */
    double *x;     /* solution by global id, shared, sized nvar */
} comp_lp;

/* Runs the LP with its objective already set; widens every quantity of
 * the component with the solution. *val gets the optimum (±HUGE_VAL when
 * unbounded). */
static p20w_status run_lp(comp_lp *c, int dir, double *val, quant *qs,
                          const size_t *members, size_t nmem)
{
    glp_prob *lp = c->lp;
    glp_set_obj_dir(lp, dir);
    glp_smcp parm;
    glp_init_smcp(&parm);
    parm.msg_lev = GLP_MSG_OFF;
    parm.presolve = GLP_OFF;
    int rc = glp_simplex(lp, &parm);
    int st = rc == 0 ? glp_get_status(lp) : 0;
    if (st != GLP_OPT && st != GLP_UNBND) {
        /* A bad basis after many warm starts (the simplex can then even
         * call the problem infeasible, which it never is: the true table
         * satisfies every relation): start afresh, then exactly. */
        glp_std_basis(lp);
        rc = glp_simplex(lp, &parm);
        st = rc == 0 ? glp_get_status(lp) : 0;
    }
    if (st != GLP_OPT && st != GLP_UNBND) {
        glp_std_basis(lp);
        rc = glp_exact(lp, &parm);
        st = rc == 0 ? glp_get_status(lp) : 0;
    }
    if (rc != 0)
        return P20W_EINTERNAL;
    if (st == GLP_UNBND) {
        *val = dir == GLP_MAX ? HUGE_VAL : -HUGE_VAL;
        return P20W_OK;
    }
    if (st != GLP_OPT) {
        return P20W_EINTERNAL;
    }
    *val = glp_get_obj_val(lp);
    for (size_t j = 0; j < c->nvars; j++)
        c->x[c->vars[j]] = glp_get_col_prim(lp, (int)j + 1);
    for (size_t k = 0; k < nmem; k++) {
        quant *o = &qs[members[k]];
        double v = quant_eval(c->b, o, c->x);
        if (v > o->seen_hi)
            o->seen_hi = v;
        if (v < o->seen_lo)
            o->seen_lo = v;
    }
    return P20W_OK;
}

static void clear_obj(comp_lp *c)
{
    for (size_t j = 0; j <= c->nvars; j++)
        glp_set_obj_coef(c->lp, (int)j, 0.0);
}

static p20w_status solve_one(comp_lp *c, quant *q, int dir, double *val,
                             quant *qs, const size_t *members, size_t nmem)
{
    const term *tm = qterm(c->b, q);
    clear_obj(c);
    for (size_t k = 0; k < q->tlen; k++) {
        int col = (int)c->local[tm[k].var];
        glp_set_obj_coef(c->lp, col, glp_get_obj_coef(c->lp, col) + tm[k].coef);
    }
    glp_set_obj_coef(c->lp, 0, q->cst);
    p20w_status rc = run_lp(c, dir, val, qs, members, nmem);
    /* An unbounded optimum leaves no solution to widen with. */
    if (rc == P20W_OK && dir == GLP_MAX && *val > q->seen_hi)
        q->seen_hi = *val;
    if (rc == P20W_OK && dir == GLP_MIN && *val < q->seen_lo)
        q->seen_lo = *val;
    return rc;
}

static p20w_status build_comp(lpb *b, comp_lp *c, const size_t *rowidx,
                              size_t nrows)
{
    const lrow *rows = b->rows.data;
    const term *terms = b->terms.data;
    size_t ne = 0;
    for (size_t r = 0; r < nrows; r++)
        ne += rows[rowidx[r]].len;
    int *ia = p20w_malloc((ne + 1) * sizeof *ia);
    int *ja = p20w_malloc((ne + 1) * sizeof *ja);
    double *ar = p20w_malloc((ne + 1) * sizeof *ar);
    p20w_status rc = P20W_OK;
    if (ia == NULL || ja == NULL || ar == NULL) {
        rc = P20W_ENOMEM;
        goto out;
    }
    c->lp = glp_create_prob();
    glp_add_cols(c->lp, (int)c->nvars);
    for (size_t j = 0; j < c->nvars; j++) {
        size_t v = c->vars[j];
        if (b->vhi[v] == HUGE_VAL)
            glp_set_col_bnds(c->lp, (int)j + 1, GLP_LO, b->vlo[v], 0.0);
        else if (b->vhi[v] - b->vlo[v] <= 0.0)
            glp_set_col_bnds(c->lp, (int)j + 1, GLP_FX, b->vlo[v], b->vlo[v]);
        else
            glp_set_col_bnds(c->lp, (int)j + 1, GLP_DB, b->vlo[v], b->vhi[v]);
    }
    glp_add_rows(c->lp, (int)nrows);
    size_t e = 0;
    for (size_t r = 0; r < nrows; r++) {
        const lrow *row = &rows[rowidx[r]];
        glp_set_row_bnds(c->lp, (int)r + 1, row->type, row->lo, row->hi);
        for (size_t k = 0; k < row->len; k++) {
            const term *tm = &terms[row->first + k];
            e++;
            ia[e] = (int)r + 1;
            ja[e] = (int)c->local[tm->var];
            ar[e] = tm->coef;
        }
    }
    glp_load_matrix(c->lp, (int)ne, ia, ja, ar);
out:
    p20w_free(ia);
    p20w_free(ja);
    p20w_free(ar);
    return rc;
}

/* Zeros: a hidden cell holding 0 needs only to be shown able to rise
 * above 0. One LP lifts them all at once — maximise the sum of y_z, with
 * 0 <= y_z <= 1 and y_z <= x_z — since the feasible tables form a convex
 * set: if each zero can rise alone, the average of those tables lifts
 * every one of them, so the optimum lifts every zero that can rise by
 * enough; the rest are proved one by one. The extra rows and columns are
 * removed again. */
/* A quantity that is one variable holding 0, not yet shown able to rise. */
static int liftable(const lpb *b, const quant *q)
{
    return q->value == 0.0 && q->tlen == 1 && q->cst == 0.0 && !q->part &&
           qterm(b, q)[0].coef > 0.0 && need_hi(q);
}

static p20w_status lift_zeros(const lpb *b, comp_lp *c, quant *qs,
                              const size_t *qidx, size_t nq)
{
    size_t nz = 0;
    for (size_t k = 0; k < nq; k++) {
        const quant *q = &qs[qidx[k]];
        nz += liftable(b, q);
    }
    if (nz < ZERO_BATCH)
        return P20W_OK;
    int nrow0 = glp_get_num_rows(c->lp), ncol0 = glp_get_num_cols(c->lp);
    int *num = p20w_malloc((2 * nz + 1) * sizeof *num);
    if (num == NULL)
        return P20W_ENOMEM;
    clear_obj(c);
    glp_add_cols(c->lp, (int)nz);
    glp_add_rows(c->lp, (int)nz);
    int j = 0;
    for (size_t k = 0; k < nq; k++) {
        const quant *q = &qs[qidx[k]];
        if (!liftable(b, q))
            continue;
        const term *tm = qterm(b, q);
        int col = ncol0 + j + 1, row = nrow0 + j + 1;
        int ind[3] = {0, col, (int)c->local[tm[0].var]};
        double val[3] = {0.0, 1.0, -tm[0].coef};
        glp_set_col_bnds(c->lp, col, GLP_DB, 0.0, 1.0);
        glp_set_obj_coef(c->lp, col, 1.0);
        glp_set_row_bnds(c->lp, row, GLP_UP, 0.0, 0.0);
        glp_set_mat_row(c->lp, row, 2, ind, val);
        num[++j] = row;
    }
    double v;
    p20w_status rc = run_lp(c, GLP_MAX, &v, qs, qidx, nq);
    glp_del_rows(c->lp, (int)nz, num);
    for (int k = 1; k <= (int)nz; k++)
        num[k] = ncol0 + k;
    glp_del_cols(c->lp, (int)nz, num);
    p20w_free(num);
    return rc;
}

/* Proves the range of every quantity of one component. */
static p20w_status solve_comp(lpb *b, const size_t *rowidx, size_t nrows,
                              const size_t *qidx, size_t nq, size_t *local,
                              double *x)
{
    quant *qs = b->quants.data;
    comp_lp c = {b, NULL, NULL, 0, local, x};
    p20w_status rc = P20W_OK;
    /* The columns: every variable of the rows (a quantity's variables
     * are always in one of them, or the component has no rows). */
    const lrow *rows = b->rows.data;
    const term *terms = b->terms.data;
    size_t cap = 0;
    for (size_t r = 0; r < nrows; r++)
        cap += rows[rowidx[r]].len;
    for (size_t k = 0; k < nq; k++)
        cap += qs[qidx[k]].tlen;
    c.vars = p20w_malloc((cap + 1) * sizeof *c.vars);
    if (c.vars == NULL)
        return P20W_ENOMEM;
    for (size_t r = 0; r < nrows; r++)
        for (size_t k = 0; k < rows[rowidx[r]].len; k++) {
            size_t v = terms[rows[rowidx[r]].first + k].var;
            if (local[v] == 0) {
                c.vars[c.nvars++] = v;
                local[v] = c.nvars;
            }
        }
    for (size_t k = 0; k < nq; k++) {
        const term *tm = qterm(b, &qs[qidx[k]]);
        for (size_t j = 0; j < qs[qidx[k]].tlen; j++) {
            size_t v = tm[j].var;
            if (local[v] == 0) {
                c.vars[c.nvars++] = v;
                local[v] = c.nvars;
            }
        }
    }
    if (nrows == 0) {
        /* Only column bounds: the range is the bounds themselves. */
        for (size_t k = 0; k < nq; k++) {
            quant *q = &qs[qidx[k]];
            double lo = q->cst;
            double hi = lo;
            const term *tm = qterm(b, q);
            for (size_t j = 0; j < q->tlen; j++) {
                size_t v = tm[j].var;
                double a = tm[j].coef * b->vlo[v], z;
                if (b->vhi[v] == HUGE_VAL)
                    z = tm[j].coef > 0 ? HUGE_VAL : -HUGE_VAL;
                else
                    z = tm[j].coef * b->vhi[v];
                lo += fmin(a, z);
                hi += fmax(a, z);
            }
            q->lo = lo;
            q->hi = hi;
            q->have_lo = q->have_hi = 1;
        }
        goto out;
    }
    rc = build_comp(b, &c, rowidx, nrows);
    if (rc == P20W_OK)
        rc = lift_zeros(b, &c, qs, qidx, nq);
    if (rc != P20W_OK)
        goto out;
    for (size_t k = 0; k < nq && rc == P20W_OK; k++) {
        quant *q = &qs[qidx[k]];
        if (b->quick && b->nfail >= QUICK_MAX) {
            q->skipped = 1;
            continue;
        }
        if (need_hi(q)) {
            rc = solve_one(&c, q, GLP_MAX, &q->hi, qs, qidx, nq);
            q->have_hi = 1;
        }
        if (b->quick && q->have_hi && need_hi(q)) {
            b->nfail++; /* known failing: the other end can wait */
            continue;
        }
        if (rc == P20W_OK && need_lo(q)) {
            rc = solve_one(&c, q, GLP_MIN, &q->lo, qs, qidx, nq);
            q->have_lo = 1;
        }
        if (!need_hi(q) && !need_lo(q))
            continue;
        /* A failing quantity gets both ends proved, for the report. */
        b->nfail++;
        if (rc == P20W_OK && !q->have_lo) {
            rc = solve_one(&c, q, GLP_MIN, &q->lo, qs, qidx, nq);
            q->have_lo = 1;
        }
        if (rc == P20W_OK && !q->have_hi) {
            rc = solve_one(&c, q, GLP_MAX, &q->hi, qs, qidx, nq);
            q->have_hi = 1;
        }
    }
out:
    for (size_t j = 0; j < c.nvars; j++)
        local[c.vars[j]] = 0;
    if (c.lp != NULL)
        glp_delete_prob(c.lp);
    p20w_free(c.vars);
    return rc;
}

static int cmp_size(const void *a, const void *b)
{
    const size_t *x = a, *y = b;
    if (x[0] != y[0])
        return x[0] < y[0] ? -1 : 1;
    return x[1] < y[1] ? -1 : (x[1] > y[1]);
}

/* Groups rows and quantities by component and solves each. */
static p20w_status solve_all(lpb *b)
{
    size_t nr = b->rows.len, nq = b->quants.len;
    lrow *rows = b->rows.data;
    quant *qs = b->quants.data;
    const term *terms = b->terms.data;
    /* pairs (component, index): rows then quantities */
    size_t *rp = p20w_malloc((2 * nr + 1) * sizeof *rp);
    size_t *qp = p20w_malloc((2 * nq + 1) * sizeof *qp);
    size_t *ri = p20w_malloc((nr + 1) * sizeof *ri);
    size_t *qi = p20w_malloc((nq + 1) * sizeof *qi);
    size_t *local = p20w_calloc(b->nvar + 1, sizeof *local);
    double *x = p20w_calloc(b->nvar + 1, sizeof *x);
    p20w_status rc = P20W_OK;
    if (!rp || !qp || !ri || !qi || !local || !x) {
        rc = P20W_ENOMEM;
        goto out;
    }
    for (size_t r = 0; r < nr; r++) {
        rows[r].comp = uf_find(b->uf, terms[rows[r].first].var);
        rp[2 * r] = rows[r].comp;
        rp[2 * r + 1] = r;
    }
    unsigned char *jc = NULL;
    if (b->joint != NULL) {
        /* only the groups of linked unknowns the set adds to */
        if (!(jc = p20w_calloc(b->nvar + 1, 1))) {
            rc = P20W_ENOMEM;
            goto out;
        }
        for (size_t v = 0; v < b->nvar; v++)
            if (b->joint[v])
                jc[uf_find(b->uf, v)] = 1;
    }
    size_t nfull = 0;
    for (size_t k = 0; k < nq; k++) {
        qs[k].comp = uf_find(b->uf, qterm(b, &qs[k])[0].var);
        if (jc != NULL && !jc[qs[k].comp]) {
            qs[k].skipped = 1;
            continue;
        }
        qp[2 * nfull] = qs[k].comp;
        qp[2 * nfull + 1] = k;
        nfull++;
    }
    p20w_free(jc);
    nq = nfull;
    qsort(rp, nr, 2 * sizeof *rp, cmp_size);
    qsort(qp, nq, 2 * sizeof *qp, cmp_size);
    size_t a = 0, r = 0;
    while (a < nq && rc == P20W_OK) {
        size_t comp = qp[2 * a], na = 0, nrc = 0;
        while (a + na < nq && qp[2 * (a + na)] == comp) {
            qi[na] = qp[2 * (a + na) + 1];
            na++;
        }
        while (r < nr && rp[2 * r] < comp)
            r++;
        while (r + nrc < nr && rp[2 * (r + nrc)] == comp) {
            ri[nrc] = rp[2 * (r + nrc) + 1];
            nrc++;
        }
        rc = solve_comp(b, ri, nrc, qi, na, local, x);
        a += na;
    }
out:
    p20w_free(rp);
    p20w_free(qp);
    p20w_free(ri);
    p20w_free(qi);
    p20w_free(local);
    p20w_free(x);
    return rc;
}

/* ---- failures ---------------------------------------------------------- */

typedef struct flist {
    disclose_failure **f;
    size_t *n;
    size_t cap;
} flist;

static p20w_status fail_add(flist *fl, size_t tab, size_t cell, int what,
                            int reason, double value, double lo, double hi)
{
    if (*fl->n == fl->cap) {
        size_t cap = fl->cap ? 2 * fl->cap : 16;
        disclose_failure *g = p20w_realloc(*fl->f, cap * sizeof *g);
        if (g == NULL)
            return P20W_ENOMEM;
        *fl->f = g;
        fl->cap = cap;
    }
    disclose_failure *x = &(*fl->f)[(*fl->n)++];
    x->table = tab;
    x->cell = cell;
    x->sum = DISCLOSE_NO_SUM;
    x->quantity = what;
    x->reason = reason;
    x->value = value;
    x->lo = lo;
    x->hi = hi;
    return P20W_OK;
}

/* Line rules on hidden n: one suppressed cell in a line; all zeros. A
 * cell standing for several hidden cells counts as several. */
static p20w_status line_checks(const dsys *s, flist *fl)
{
    p20w_status rc = P20W_OK;
    for (size_t k = 0; k < s->count && rc == P20W_OK; k++) {
        const disclose_table *t = s->tab[k];
        const disclose_cell *cell = s->cell[k];
        for (size_t i = 0; i < t->ncells && rc == P20W_OK; i++) {
            for (size_t d = 0; d < t->ndims && rc == P20W_OK; d++) {
                if (!dtab_is_total(t, i, d))
                    continue;
                size_t hidden = 0, nonzero = 0, first = 0;
                for (size_t j = 0; j <= t->size[d]; j++) {
                    size_t c = dtab_line_member(t, i, d, j);
                    if (dcell_n_public(&cell[c]))
                        continue;
                    if (hidden == 0)
                        first = c;
                    hidden += dtab_parts(t, c) > 1 ? 2 : 1;
                    nonzero += t->n[c] > 0;
                }
                if (hidden == 1)
                    rc = fail_add(fl, k, first, DISCLOSE_Q_N, DISCLOSE_F_SINGLE,
                                  (double)t->n[first], (double)t->n[first],
                                  (double)t->n[first]);
                else if (hidden > 1 && nonzero == 0 && t->n[i] > 0)
                    rc = fail_add(fl, k, first, DISCLOSE_Q_N, DISCLOSE_F_ZEROS,
                                  0, 0, 0);
            }
        }
    }
    return rc;
}

/* What is shown must itself follow the rules. An exact share is judged
 * by the band of its group total. */
static p20w_status publication_checks(const disclose_profile *p, const dsys *s,
                                      flist *fl)
{
    p20w_status rc = P20W_OK;
    for (size_t k = 0; k < s->count && rc == P20W_OK; k++) {
        const disclose_table *t = s->tab[k];
        for (size_t i = 0; i < t->ncells && rc == P20W_OK; i++) {
            const disclose_cell *c = &s->cell[k][i];
            if (!c->show_n)
                continue;
            double n = (double)c->n;
            if (c->n < p->min_n)
                rc =
                    fail_add(fl, k, i, DISCLOSE_Q_N, DISCLOSE_F_SMALL, n, n, n);
            if (rc == P20W_OK && c->show_numerator &&
                (c->numerator < p->min_n || c->n - c->numerator < p->min_n))
                rc = fail_add(fl, k, i, DISCLOSE_Q_NUMERATOR, DISCLOSE_F_SMALL,
                              (double)c->numerator, (double)c->numerator,
                              (double)c->numerator);
            /* a share's count shown beside its group total gives away
             * the rest of the group */
            if (rc == P20W_OK && t->share_dim >= 0 && dtab_is_share(t, i) &&
                !c->pooled) {
                size_t tot = dtab_share_total(t, i);
                const disclose_cell *tc = &s->cell[k][tot];
                if (dcell_n_public(tc) && tc->n - c->n < p->min_n)
                    rc = fail_add(fl, k, i, DISCLOSE_Q_NONNUMERATOR,
                                  DISCLOSE_F_SMALL, (double)(tc->n - c->n),
                                  (double)(tc->n - c->n),
                                  (double)(tc->n - c->n));
            }
            if (rc == P20W_OK && c->has_rate && c->rate_lo == c->rate_hi) {
                long denom = c->n;
                if (t->share_dim >= 0 && dtab_is_share(t, i))
                    denom = c->pooled
                                /* the pooled group total it implies */
                                ? (c->rate_lo > 0.0
                                       ? lround((double)c->n / c->rate_lo)
                                       : c->n)
                                : t->n[dtab_share_total(t, i)];
                int b = disclose_band_for(p, denom);
                double pct = 100.0 * c->rate_lo;
                if (b < 0 || pct >= p->band[b].top_pct ||
                    pct <= p->band[b].bottom_pct)
                    rc = fail_add(fl, k, i, DISCLOSE_Q_NUMERATOR,
                                  DISCLOSE_F_EXTREME, pct, pct, pct);
            }
            if (rc == P20W_OK && c->show_pct && c->n < p->min_n_percentile)
                rc = fail_add(fl, k, i, DISCLOSE_Q_N, DISCLOSE_F_PCT, n, n, n);
        }
    }
    return rc;
}

static p20w_status quant_checks(const lpb *b, flist *fl)
{
    const quant *qs = b->quants.data;
    p20w_status rc = P20W_OK;
    for (size_t k = 0; k < b->quants.len && rc == P20W_OK; k++) {
        const quant *q = &qs[k];
        if (q->skipped)
            continue;
        double lo = q->have_lo ? q->lo : q->seen_lo;
        double hi = q->have_hi ? q->hi : q->seen_hi;
        double tol = tol_for(q->value);
        int pinned, narrow;
        if (q->part) {
            /* each part lies anywhere in [0, hi] */
            pinned = hi <= tol;
            narrow = hi < q->want_hi - tol;
        } else {
            pinned = hi - lo <= tol;
            narrow = hi < q->want_hi - tol || lo > q->want_lo + tol;
        }
        if (!pinned && !narrow && q->okkey != SIZE_MAX)
            b->ok[q->okkey] = 1;
        size_t before = *fl->n;
        if (pinned)
            rc = fail_add(fl, q->tab, q->cell, q->what, DISCLOSE_F_PINNED,
                          q->value, lo, hi);
        else if (narrow)
            rc = fail_add(fl, q->tab, q->cell, q->what, DISCLOSE_F_INTERVAL,
                          q->value, lo, hi);
        if (rc == P20W_OK && *fl->n > before)
            (*fl->f)[before].sum = q->sum;
    }
    return rc;
}

static int cmp_fail(const void *a, const void *b)
{
    const disclose_failure *x = a, *y = b;
    if (x->table != y->table)
        return x->table < y->table ? -1 : 1;
    if (x->cell != y->cell)
        return x->cell < y->cell ? -1 : 1;
    if (x->quantity != y->quantity)
        return x->quantity < y->quantity ? -1 : 1;
    if (x->sum != y->sum)
        return x->sum < y->sum ? -1 : 1;
    return (x->reason > y->reason) - (x->reason < y->reason);
}

void disclose_failures_sort(disclose_failure *f, size_t n)
{
    if (n > 1)
        qsort(f, n, sizeof *f, cmp_fail);
}

/* A shared cell fails once: keeps the first failure (in table order) of
 * each id, quantity and reason. */
static p20w_status dedupe(const lpb *b, const dsys *s, disclose_failure *f,
                          size_t *n)
{
    if (s->id == NULL || *n < 2)
        return P20W_OK;
    uint32_t *seen = p20w_calloc(b->nid + 1, sizeof *seen);
    size_t *off = p20w_malloc((s->count + 1) * sizeof *off);
    if (seen == NULL || off == NULL) {
        p20w_free(seen);
        p20w_free(off);
        return P20W_ENOMEM;
    }
    for (size_t k = 0, o = 0; k < s->count; o += s->tab[k]->ncells, k++)
        off[k] = o;
    size_t keep = 0;
    for (size_t j = 0; j < *n; j++) {
        if (f[j].quantity != DISCLOSE_Q_SUM) {
            size_t g = b->gid[off[f[j].table] + f[j].cell];
            uint32_t bit = 1u << (8 * (unsigned)f[j].quantity +
                                  (unsigned)(f[j].reason & 7));
            if (seen[g] & bit)
                continue;
            seen[g] |= bit;
        }
        f[keep++] = f[j];
    }
    *n = keep;
    p20w_free(seen);
    p20w_free(off);
    return P20W_OK;
}

p20w_status dsys_audit(const disclose_profile *p, const dsys *s,
                       disclose_failure **fails, size_t *nfails, p20w_err *err)
{
    lpb b;
    memset(&b, 0, sizeof b);
    vec_init(&b.terms, sizeof(term));
    vec_init(&b.rows, sizeof(lrow));
    vec_init(&b.quants, sizeof(quant));
    vec_init(&b.qterms, sizeof(term));
    vec pinned;
    vec_init(&pinned, sizeof(size_t));
    flist fl = {fails, nfails, *nfails};
    size_t *off = p20w_malloc((s->count + 1) * sizeof *off);
    b.ok = s->count == 1 ? s->ok : NULL;
    if (s->set_ok != NULL) {
        b.ok = s->set_ok;
        b.ok_by_id = 1;
    }
    b.off = off;
    b.quick = s->quick;
    p20w_status rc = off == NULL ? P20W_ENOMEM : make_vars(&b, s);
    if (rc == P20W_EINVAL) {
        p20w_free(off);
        lpb_free(&b);
        return p20w_err_set(err, rc,
                            "disclose: cells named by one id differ, or an "
                            "id is out of range");
    }
    for (size_t k = 0, o = 0; k < s->count && rc == P20W_OK;
         o += s->tab[k]->ncells, k++)
        off[k] = o;
    for (size_t k = 0; k < s->count && rc == P20W_OK; k++) {
        rc = cell_rows(&b, s, k, off[k]);
        if (rc == P20W_OK)
            rc = additivity_rows(&b, s, k, off[k]);
    }
    if (rc == P20W_OK && !s->fix_sums)
        rc = sum_rows(&b, s, off);
    for (size_t k = 0; k < s->count && rc == P20W_OK; k++)
        rc = cell_quants(&b, p, s, k, off[k]);
    if (rc == P20W_OK && !s->fix_sums)
        rc = sum_quants(&b, p, s, off, &pinned);
    if (rc == P20W_OK)
        rc = solve_all(&b);
    if (rc == P20W_OK)
        rc = quant_checks(&b, &fl);
    for (size_t k = 0; k < pinned.len && rc == P20W_OK; k++) {
        size_t u = ((size_t *)pinned.data)[k];
        const disclose_sum *sm = &s->sum[u];
        double v = 0;
        for (size_t j = 0; j < sm->count; j++)
            v += (double)s->tab[sm->ref[j].table]->n[sm->ref[j].cell];
        rc = fail_add(&fl, sm->ref[sm->count - 1].table,
                      sm->ref[sm->count - 1].cell, DISCLOSE_Q_SUM,
                      DISCLOSE_F_PINNED, v, v, v);
        if (rc == P20W_OK)
            (*fl.f)[*fl.n - 1].sum = u;
    }
    if (rc == P20W_OK && !s->only_joint && !s->fix_sums)
        rc = line_checks(s, &fl);
    if (rc == P20W_OK && !s->only_joint && !s->fix_sums)
        rc = publication_checks(p, s, &fl);
    if (rc == P20W_OK)
        disclose_failures_sort(*fails, *nfails);
    if (rc == P20W_OK)
        rc = dedupe(&b, s, *fails, nfails);
    lpb_free(&b);
    vec_free(&pinned);
    p20w_free(off);
    if (rc == P20W_ENOMEM)
        return p20w_err_set(err, rc, "disclose: out of memory");
    if (rc != P20W_OK)
        return p20w_err_set(err, rc, "disclose: the LP solver failed");
    return P20W_OK;
}

p20w_status disclose_check_result(const disclose_table *t,
                                  const disclose_result *r, p20w_err *err)
{
    if (r->ncells != t->ncells)
        return p20w_err_set(err, P20W_EINVAL,
                            "disclose: result and table differ in size");
    for (size_t i = 0; i < t->ncells; i++) {
        const disclose_cell *c = &r->cell[i];
        if ((dcell_n_public(c) && c->n != t->n[i]) ||
            (t->has_num && dcell_num_public(c) && c->numerator != t->num[i]))
            return p20w_err_set(err, P20W_EINVAL,
                                "disclose: cell %zu shows a value other than "
                                "the table's",
                                i);
        if (dtab_parts(t, i) > 0 && (c->show_n || c->has_rate))
            return p20w_err_set(err, P20W_EINVAL,
                                "disclose: cell %zu stands for unpublished "
                                "cells but shows a value",
                                i);
        long num = -1, den = 0;
        if (t->has_num) {
            num = t->num[i];
            den = t->n[i];
        } else if (t->share_dim >= 0 && dtab_is_share(t, i)) {
            num = t->n[i];
            den = t->n[dtab_share_total(t, i)];
        }
        if (num >= 0 && c->has_rate && !c->pooled && den > 0) {
            double rate = (double)num / (double)den;
            if (rate < c->rate_lo - 1e-9 || rate > c->rate_hi + 1e-9)
                return p20w_err_set(err, P20W_EINVAL,
                                    "disclose: cell %zu shows a rate band "
                                    "that does not hold its rate",
                                    i);
        }
    }
    return P20W_OK;
}

p20w_status disclose_audit(const disclose_profile *p, const disclose_table *t,
                           const disclose_result *r, disclose_failure **fails,
                           size_t *nfails, p20w_err *err)
{
    *fails = NULL;
    *nfails = 0;
    p20w_status rc = disclose_profile_check(p, err);
    if (rc == P20W_OK)
        rc = disclose_check_result(t, r, err);
    if (rc != P20W_OK)
        return rc;
    const disclose_cell *cells = r->cell;
    dsys s;
    memset(&s, 0, sizeof s);
    s.count = 1;
    s.tab = &t;
    s.cell = &cells;
    rc = dsys_audit(p, &s, fails, nfails, err);
    if (rc != P20W_OK) {
        p20w_free(*fails);
        *fails = NULL;
        *nfails = 0;
    }
    return rc;
}

p20w_status disclose_audit_set(const disclose_profile *p,
                               const disclose_set *set,
                               disclose_failure **fails, size_t *nfails,
                               p20w_err *err)
{
    *fails = NULL;
    *nfails = 0;
    p20w_status rc = disclose_profile_check(p, err);
    if (rc != P20W_OK)
        return rc;
    if (set->count == 0)
        return P20W_OK;
    for (size_t k = 0; k < set->count && rc == P20W_OK; k++)
        rc = disclose_check_result(set->tab[k], set->res[k], err);
    for (size_t u = 0; u < set->nsums && rc == P20W_OK; u++) {
        int kind0 = -1;
        for (size_t j = 0; j < set->sum[u].count && rc == P20W_OK; j++) {
            const disclose_ref *r = &set->sum[u].ref[j];
            int kind = -2;
            if (r->table < set->count && r->cell < set->tab[r->table]->ncells) {
                const disclose_table *t = set->tab[r->table];
                kind = t->has_num                                       ? 1
                       : t->share_dim >= 0 && dtab_is_share(t, r->cell) ? 2
                                                                        : 0;
            }
            if (j == 0 && kind >= 0)
                kind0 = kind;
            if (kind < 0 || kind != kind0)
                rc = p20w_err_set(err, P20W_EINVAL,
                                  "disclose: sum %zu names a cell out of "
                                  "range or of another kind",
                                  u);
        }
    }
    if (rc != P20W_OK)
        return rc;
    const disclose_cell **cells = p20w_malloc(set->count * sizeof *cells);
    if (cells == NULL)
        return p20w_err_set(err, P20W_ENOMEM, "disclose: out of memory");
    for (size_t k = 0; k < set->count; k++)
        cells[k] = set->res[k]->cell;
    dsys s;
    memset(&s, 0, sizeof s);
    s.count = set->count;
    s.tab = set->tab;
    s.cell = cells;
    s.id = set->id;
    s.nid = set->nid;
    s.nsums = set->nsums;
    s.sum = set->sum;
    s.only_joint = set->only_joint;
    s.set_ok = set->id != NULL ? set->ok : NULL;
    unsigned char *own = NULL;
    if (set->nsums > 0 && set->id != NULL) {
        /* First with every cell of a sum taken as known: an attacker who
         * knows them exactly knows at least what the sums tell (the true
         * values satisfy every sum), so a quantity protected then is
         * protected; this attack splits into the years' small problems.
         * Only what it cannot prove is proved with the sums. */
        if (s.set_ok == NULL)
            s.set_ok = own = p20w_calloc(4 * set->nid + 1, 1);
        if (s.set_ok == NULL) {
            p20w_free(cells);
            return p20w_err_set(err, P20W_ENOMEM, "disclose: out of memory");
        }
        disclose_failure *f1 = NULL;
        size_t n1 = 0;
        s.fix_sums = 1;
        s.only_joint = 0;
        rc = dsys_audit(p, &s, &f1, &n1, err);
        p20w_free(f1);
        s.fix_sums = 0;
        s.only_joint = set->only_joint;
    }
    if (rc == P20W_OK)
        rc = dsys_audit(p, &s, fails, nfails, err);
    p20w_free(own);
    p20w_free(cells);
    if (rc != P20W_OK) {
        p20w_free(*fails);
        *fails = NULL;
        *nfails = 0;
    }
    return rc;
}
