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
    size_t tab, cell;
    int what;
    size_t var[2];
    double coef[2];
    double cst;
    double value;
    double want_lo, want_hi; /* protection interval */
    double seen_lo, seen_hi; /* extremes shown feasible so far */
    double lo, hi;           /* proved (after LP) */
    int have_lo, have_hi;
    int skipped; /* quick mode: not proved this round */
    size_t comp;
} quant;

typedef struct lpb {
    size_t nvar;
    double *vlo, *vhi, *vval; /* bounds (vhi HUGE_VAL: none), true value */
    size_t *uf;               /* union-find parent */
    vec terms;                /* term */
    vec rows;                 /* lrow */
    vec quants;               /* quant */
    size_t *vn, *vm;          /* var of n / m per (table offset + cell) */
    unsigned char *ok;        /* dsys.ok */
    int quick;                /* dsys.quick */
    size_t nfail;             /* quantities found failing so far */
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

/* Finishes the row: lo <= sum(terms) + cst <= hi (type as GLPK). Rows
 * without a variable are dropped (they only restate published numbers). */
static p20w_status rowb_end(lpb *b, rowb *r, int type, double lo, double hi)
{
    size_t len = b->terms.len - r->first;
    if (len == 0)
        return P20W_OK;
    lrow row = {r->first, len, type, lo - r->cst, hi - r->cst, 0};
    const term *tm = (const term *)b->terms.data + r->first;
    for (size_t k = 1; k < len; k++)
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

/* Assigns variables and their bounds; fills vn/vm. */
static p20w_status make_vars(lpb *b, const dsys *s)
{
    size_t total = cell_off(s, s->count);
    b->vn = p20w_malloc(total * sizeof *b->vn);
    b->vm = p20w_malloc(total * sizeof *b->vm);
    /* at most two variables per cell */
    b->vlo = p20w_malloc(2 * total * sizeof *b->vlo + 1);
    b->vhi = p20w_malloc(2 * total * sizeof *b->vhi + 1);
    b->vval = p20w_malloc(2 * total * sizeof *b->vval + 1);
    b->uf = p20w_malloc(2 * total * sizeof *b->uf + 1);
    if (!b->vn || !b->vm || !b->vlo || !b->vhi || !b->vval || !b->uf)
        return P20W_ENOMEM;
    size_t nv = 0;
    for (size_t k = 0, off = 0; k < s->count; off += s->tab[k]->ncells, k++) {
        const disclose_table *t = s->tab[k];
        for (size_t i = 0; i < t->ncells; i++) {
            const disclose_cell *c = &s->cell[k][i];
            b->vn[off + i] = b->vm[off + i] = NOVAR;
            if (!dcell_n_public(c)) {
                b->vn[off + i] = nv;
                b->vlo[nv] = 0.0;
                b->vhi[nv] = HUGE_VAL;
                b->vval[nv] = (double)t->n[i];
                nv++;
            }
            if (!t->has_num || dcell_num_public(c))
                continue;
            b->vm[off + i] = nv;
            b->vlo[nv] = 0.0;
            b->vhi[nv] = HUGE_VAL;
            b->vval[nv] = (double)t->num[i];
            if (dcell_n_public(c)) {
                double n = (double)t->n[i];
                b->vhi[nv] = n;
                if (c->has_rate) {
                    b->vlo[nv] = fmax(0.0, c->rate_lo * n);
                    b->vhi[nv] = fmin(n, c->rate_hi * n);
                }
            }
            nv++;
        }
    }
    b->nvar = nv;
    for (size_t v = 0; v < nv; v++)
        b->uf[v] = v;
    return P20W_OK;
}

static p20w_status cell_rows(lpb *b, const dsys *s, size_t k, size_t off)
{
    const disclose_table *t = s->tab[k];
    p20w_status rc = P20W_OK;
    rowb r;
    for (size_t i = 0; i < t->ncells && rc == P20W_OK; i++) {
        const disclose_cell *c = &s->cell[k][i];
        size_t vn = b->vn[off + i], vm = b->vm[off + i];
        if (vm == NOVAR || vn == NOVAR)
            continue;
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

/* Sum over the years of cell i = the pooled value published in the last
 * year's L cell. */
static p20w_status pool_rows(lpb *b, const dsys *s)
{
    const disclose_table *last = s->tab[s->count - 1];
    const disclose_cell *lc = s->cell[s->count - 1];
    p20w_status rc = P20W_OK;
    for (size_t i = 0; i < last->ncells && rc == P20W_OK; i++) {
        const disclose_cell *c = &lc[i];
        if (!c->pooled || !c->show_n)
            continue;
        rowb r;
        rowb_start(b, &r);
        for (size_t k = 0, off = 0; k < s->count && rc == P20W_OK;
             off += s->tab[k]->ncells, k++)
            rc = rowb_add(b, &r, b->vn[off + i], 1.0, (double)s->tab[k]->n[i]);
        if (rc == P20W_OK)
            rc = rowb_end(b, &r, GLP_FX, (double)c->n, (double)c->n);
        if (rc != P20W_OK || !last->has_num || !c->has_rate)
            continue;
        double lo = c->rate_lo * (double)c->n, hi = c->rate_hi * (double)c->n;
        if (c->show_numerator)
            lo = hi = (double)c->numerator;
        rowb_start(b, &r);
        for (size_t k = 0, off = 0; k < s->count && rc == P20W_OK;
             off += s->tab[k]->ncells, k++)
            rc =
                rowb_add(b, &r, b->vm[off + i], 1.0, (double)s->tab[k]->num[i]);
        if (rc == P20W_OK)
            rc = rowb_end(b, &r, lo == hi ? GLP_FX : GLP_DB, lo, hi);
    }
    return rc;
}

/* The protection interval of a value x: [x - p x, x + p x], clipped to
 * the interval the cell's own published band already states (a band
 * cell's numerator cannot be protected beyond what its label says; the
 * audit then asks that additivity narrows it no further than that). */
static p20w_status add_quant(lpb *b, const disclose_profile *p, size_t k,
                             size_t i, int what, size_t v0, double c0,
                             size_t v1, double c1, double cst, double value,
                             double clip_lo, double clip_hi)
{
    if (b->ok != NULL && b->ok[3 * i + (size_t)what])
        return P20W_OK;
    quant q;
    memset(&q, 0, sizeof q);
    q.tab = k;
    q.cell = i;
    q.what = what;
    q.var[0] = v0;
    q.coef[0] = c0;
    q.var[1] = v1;
    q.coef[1] = c1;
    q.cst = cst;
    q.value = q.seen_lo = q.seen_hi = value;
    q.want_lo = fmax(value * (1.0 - p->protect_pct), clip_lo);
    q.want_hi = fmin(value * (1.0 + p->protect_pct), clip_hi);
    return vec_push(&b->quants, &q);
}

static p20w_status make_quants(lpb *b, const disclose_profile *p, const dsys *s)
{
    p20w_status rc = P20W_OK;
    for (size_t k = 0, off = 0; k < s->count; off += s->tab[k]->ncells, k++) {
        const disclose_table *t = s->tab[k];
        for (size_t i = 0; i < t->ncells && rc == P20W_OK; i++) {
            const disclose_cell *c = &s->cell[k][i];
            size_t vn = b->vn[off + i], vm = b->vm[off + i];
            double n = (double)t->n[i];
            if (vn != NOVAR)
                rc = add_quant(b, p, k, i, DISCLOSE_Q_N, vn, 1.0, NOVAR, 0, 0,
                               n, -HUGE_VAL, HUGE_VAL);
            if (rc != P20W_OK || vm == NOVAR)
                continue;
            double m = (double)t->num[i];
            double mlo = -HUGE_VAL, mhi = HUGE_VAL;
            if (vn == NOVAR && c->has_rate) {
                mlo = c->rate_lo * n;
                mhi = c->rate_hi * n;
            }
            if (t->num[i] < p->min_n)
                rc = add_quant(b, p, k, i, DISCLOSE_Q_NUMERATOR, vm, 1.0, NOVAR,
                               0, 0, m, mlo, mhi);
            if (rc != P20W_OK || t->n[i] - t->num[i] >= p->min_n)
                continue;
            if (vn != NOVAR)
                rc = add_quant(b, p, k, i, DISCLOSE_Q_NONNUMERATOR, vn, 1.0, vm,
                               -1.0, 0, n - m, -HUGE_VAL, HUGE_VAL);
            else
                rc = add_quant(b, p, k, i, DISCLOSE_Q_NONNUMERATOR, vm, -1.0,
                               NOVAR, 0, n, n - m, n - mhi, n - mlo);
        }
    }
    return rc;
}

static void lpb_free(lpb *b)
{
    p20w_free(b->vlo);
    p20w_free(b->vhi);
    p20w_free(b->vval);
    p20w_free(b->uf);
    p20w_free(b->vn);
    p20w_free(b->vm);
    vec_free(&b->terms);
    vec_free(&b->rows);
    vec_free(&b->quants);
}

/* ---- solving ----------------------------------------------------------- */

static double tol_for(double x)
{
    return 1e-6 * (1.0 + fabs(x));
}

static int need_hi(const quant *q)
{
    double tol = tol_for(q->value);
    return q->seen_hi < q->want_hi - tol || q->seen_hi - q->seen_lo <= tol;
}

static int need_lo(const quant *q)
{
    double tol = tol_for(q->value);
    return q->seen_lo > q->want_lo + tol || q->seen_hi - q->seen_lo <= tol;
}

static double quant_eval(const quant *q, const double *x)
{
    double v = q->cst;
    for (int k = 0; k < 2; k++)
        if (q->var[k] != NOVAR)
            v += q->coef[k] * x[q->var[k]];
    return v;
}

/* One component's problem: local column j+1 is variable vars[j]. */
typedef struct comp_lp {
    glp_prob *lp;
    size_t *vars; /* global ids of the columns */
    size_t nvars;
    size_t *local; /* global id -> column (1-based), shared, sized nvar */
    double *x;     /* solution by global id, shared, sized nvar */
} comp_lp;

/* Optimises q in direction dir; *val gets the optimum (±HUGE_VAL when
 * unbounded) and the solution widens every quantity of the component. */
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
    if (rc != 0) {
        /* A bad basis after many warm starts: start afresh once. */
        glp_std_basis(lp);
        rc = glp_simplex(lp, &parm);
    }
    if (rc != 0)
        return P20W_EINTERNAL;
    int st = glp_get_status(lp);
    if (st == GLP_UNBND) {
        *val = dir == GLP_MAX ? HUGE_VAL : -HUGE_VAL;
        return P20W_OK;
    }
    if (st != GLP_OPT)
        return P20W_EINTERNAL;
    *val = glp_get_obj_val(lp);
    for (size_t j = 0; j < c->nvars; j++)
        c->x[c->vars[j]] = glp_get_col_prim(lp, (int)j + 1);
    for (size_t k = 0; k < nmem; k++) {
        quant *o = &qs[members[k]];
        double v = quant_eval(o, c->x);
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
    clear_obj(c);
    for (int k = 0; k < 2; k++)
        if (q->var[k] != NOVAR)
            glp_set_obj_coef(c->lp, (int)c->local[q->var[k]], q->coef[k]);
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

/* Proves the range of every quantity of one component. */
static p20w_status solve_comp(lpb *b, const size_t *rowidx, size_t nrows,
                              const size_t *qidx, size_t nq, size_t *local,
                              double *x)
{
    quant *qs = b->quants.data;
    comp_lp c = {NULL, NULL, 0, local, x};
    p20w_status rc = P20W_OK;
    /* The columns: every variable of the rows (a quantity's variables
     * are always in one of them, or the component has no rows). */
    const lrow *rows = b->rows.data;
    const term *terms = b->terms.data;
    size_t cap = 0;
    for (size_t r = 0; r < nrows; r++)
        cap += rows[rowidx[r]].len;
    for (size_t k = 0; k < nq; k++)
        cap += 2;
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
    for (size_t k = 0; k < nq; k++)
        for (int j = 0; j < 2; j++) {
            size_t v = qs[qidx[k]].var[j];
            if (v != NOVAR && local[v] == 0) {
                c.vars[c.nvars++] = v;
                local[v] = c.nvars;
            }
        }
    if (nrows == 0) {
        /* Only column bounds: the range is the bounds themselves. */
        for (size_t k = 0; k < nq; k++) {
            quant *q = &qs[qidx[k]];
            double lo = q->cst;
            double hi = lo;
            for (int j = 0; j < 2; j++) {
                size_t v = q->var[j];
                if (v == NOVAR)
                    continue;
                double a = q->coef[j] * b->vlo[v], z = q->coef[j] * b->vhi[v];
                if (b->vhi[v] == HUGE_VAL)
                    z = q->coef[j] > 0 ? HUGE_VAL : -HUGE_VAL;
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
    size_t nfull = 0;
    for (size_t k = 0; k < nq; k++) {
        qs[k].comp = uf_find(b->uf, qs[k].var[0]);
        qp[2 * nfull] = qs[k].comp;
        qp[2 * nfull + 1] = k;
        nfull++;
    }
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
    x->quantity = what;
    x->reason = reason;
    x->value = value;
    x->lo = lo;
    x->hi = hi;
    return P20W_OK;
}

/* Line rules on hidden n: one suppressed cell in a line; all zeros. */
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
                    if (hidden++ == 0)
                        first = c;
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

/* What is shown must itself follow the rules. */
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
            if (rc == P20W_OK && c->has_rate && c->rate_lo == c->rate_hi) {
                int b = disclose_band_for(p, c->n);
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
        if (hi - lo > tol && hi >= q->want_hi - tol && lo <= q->want_lo + tol &&
            b->ok != NULL)
            b->ok[3 * q->cell + (size_t)q->what] = 1;
        if (hi - lo <= tol)
            rc = fail_add(fl, q->tab, q->cell, q->what, DISCLOSE_F_PINNED,
                          q->value, lo, hi);
        else if (hi < q->want_hi - tol || lo > q->want_lo + tol)
            rc = fail_add(fl, q->tab, q->cell, q->what, DISCLOSE_F_INTERVAL,
                          q->value, lo, hi);
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
    return (x->reason > y->reason) - (x->reason < y->reason);
}

void disclose_failures_sort(disclose_failure *f, size_t n)
{
    if (n > 1)
        qsort(f, n, sizeof *f, cmp_fail);
}

p20w_status dsys_audit(const disclose_profile *p, const dsys *s,
                       disclose_failure **fails, size_t *nfails, p20w_err *err)
{
    lpb b;
    memset(&b, 0, sizeof b);
    vec_init(&b.terms, sizeof(term));
    vec_init(&b.rows, sizeof(lrow));
    vec_init(&b.quants, sizeof(quant));
    flist fl = {fails, nfails, *nfails};
    b.ok = s->count == 1 ? s->ok : NULL;
    b.quick = s->quick;
    p20w_status rc = make_vars(&b, s);
    for (size_t k = 0, off = 0; k < s->count && rc == P20W_OK;
         off += s->tab[k]->ncells, k++) {
        rc = cell_rows(&b, s, k, off);
        if (rc == P20W_OK)
            rc = additivity_rows(&b, s, k, off);
    }
    if (rc == P20W_OK && s->pool_links)
        rc = pool_rows(&b, s);
    if (rc == P20W_OK)
        rc = make_quants(&b, p, s);
    if (rc == P20W_OK)
        rc = solve_all(&b);
    if (rc == P20W_OK)
        rc = quant_checks(&b, &fl);
    if (rc == P20W_OK)
        rc = line_checks(s, &fl);
    if (rc == P20W_OK)
        rc = publication_checks(p, s, &fl);
    lpb_free(&b);
    if (rc == P20W_ENOMEM)
        return p20w_err_set(err, rc, "disclose: out of memory");
    if (rc != P20W_OK)
        return p20w_err_set(err, rc, "disclose: the LP solver failed");
    disclose_failures_sort(*fails, *nfails);
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
        if (t->has_num && c->has_rate && !c->pooled && t->n[i] > 0) {
            double rate = (double)t->num[i] / (double)t->n[i];
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
    dsys s = {1, &t, &cells, 0, NULL, 0};
    rc = dsys_audit(p, &s, fails, nfails, err);
    if (rc != P20W_OK) {
        p20w_free(*fails);
        *fails = NULL;
        *nfails = 0;
    }
    return rc;
}
