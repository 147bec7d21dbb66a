/*
 * suppress.c — disclose_run(): primary rules, then complementary
 * suppression until the LP audit passes; and the result object.
 *
 * Complementary suppression works in rounds. Each round first applies the
 * line rules to a fixed point, cheaply and without LP (a line is a row,
 * column or pillar together with its total):
 *   - a line with exactly one hidden cell gets a second one;
 *   - a line whose hidden cells are all zero gets a non-zero one;
 *   - a line with a published total in which some hidden cell x could
 *     not rise by p x (the other hidden cells of the line hold less than
 *     p x, or nothing when x = 0) gets another hidden cell;
 *   - (rate tables) a line whose only unshown numerator is a small one
 *     gets a cell whose numerator is hidden with it.
 * Then it runs the audit (audit.c) and, for each failure, hides one more
 * cell in a line through the failing cell. Rounds repeat until the audit
 * is clean; every round hides at least one cell, so the loop ends
 * (hiding everything always passes: an attacker with no published number
 * can prove no upper bound). Two shortcuts keep rounds cheap, both sound
 * because hiding a cell only relaxes the attacker's LP: a quantity proved
 * protected stays proved (unless its own cell is hidden later, which
 * widens its target), and a round stops proving after a few dozen
 * failures, whose complements change the problem anyway.
 *
 * Choosing a complement (least information loss, deterministic): among
 * the published cells of the line(s), those large enough to give the
 * missing protection come first, and among them the one with the least
 * n / (1 + number of other lonely lines it would also fix), a margin's n
 * weighted by 4 per total coordinate so that interior cells are hidden
 * before the totals readers look for first; if none is
 * large enough, the largest. Ties go to the lowest cell index. When the
 * failing cell's own lines have nothing left to hide, the search widens
 * through the hidden cells' lines (breadth first); as a last resort a
 * published cell whose own numerator is at stake is hidden itself.
 */
#include <math.h>
#include <string.h>

#include "disclose/discloseInt.h"
#include "util/mem.h"

/* ---- result ------------------------------------------------------------ */

static p20w_status result_new(size_t ncells, disclose_result **out)
{
    disclose_result *r = p20w_calloc(1, sizeof *r);
    if (r == NULL)
        return P20W_ENOMEM;
    r->cell = p20w_calloc(ncells, sizeof *r->cell);
    if (r->cell == NULL) {
        p20w_free(r);
        return P20W_ENOMEM;
    }
    r->ncells = ncells;
    *out = r;
    return P20W_OK;
}

p20w_status disclose_result_new(size_t ncells, disclose_result **out)
{
    *out = NULL;
    if (result_new(ncells, out) != P20W_OK)
        return P20W_ENOMEM;
    for (size_t i = 0; i < ncells; i++)
        disclose_cell_hide(&(*out)->cell[i]);
    return P20W_OK;
}

void disclose_result_set(disclose_result *r, size_t idx, const disclose_cell *c)
{
    if (idx < r->ncells)
        r->cell[idx] = *c;
}

void disclose_result_free(disclose_result *r)
{
    if (r == NULL)
        return;
    p20w_free(r->cell);
    p20w_free(r);
}

size_t disclose_result_cells(const disclose_result *r)
{
    return r->ncells;
}

const disclose_cell *disclose_result_cell(const disclose_result *r, size_t idx)
{
    return idx < r->ncells ? &r->cell[idx] : NULL;
}

size_t disclose_result_count(const disclose_result *r, char status)
{
    size_t k = 0;
    for (size_t i = 0; i < r->ncells; i++)
        k += r->cell[i].status == status;
    return k;
}

void disclose_result_set_pooled(disclose_result *r, size_t idx,
                                const disclose_cell *pooled)
{
    if (idx >= r->ncells)
        return;
    r->cell[idx] = *pooled;
    r->cell[idx].status = DISCLOSE_L;
    r->cell[idx].pooled = 1;
}

/* ---- choosing complements ---------------------------------------------- */

typedef struct sup {
    const disclose_profile *p;
    const disclose_table *t;
    disclose_cell *cell;
    unsigned char *mark;              /* scratch for widen(), ncells */
    unsigned char *touched;           /* lines fixed this round, ncells */
    unsigned char *ok;                /* 3 * ncells, see dsys.ok */
    size_t *queue;                    /* scratch, ncells */
    const unsigned char *prefer_show; /* disclose_opts.prefer_show or NULL */
} sup;

static int hidden(const sup *s, size_t i)
{
    return !dcell_n_public(&s->cell[i]);
}

/* Makes cell i a complementary suppression. Its numerator quantities,
 * proved earlier against the narrower target of a band, are proved again
 * against the full protection interval. */
static void hide(sup *s, size_t i)
{
    disclose_cell_hide(&s->cell[i]);
    disclose_share_total_hidden(s->t, i, s->cell);
    if (s->ok != NULL)
        memset(s->ok + 3 * i, 0, 3);
}

/* Hidden cells in the line along d whose total is tot. */
static size_t line_hidden(const sup *s, size_t tot, size_t d)
{
    size_t h = 0;
    for (size_t j = 0; j <= s->t->size[d]; j++)
        h += hidden(s, dtab_line_member(s->t, tot, d, j));
    return h;
}

/* Lines other than `skip_d` through i that hold exactly one hidden cell. */
static size_t lonely_lines(const sup *s, size_t i, size_t skip_d)
{
    size_t k = 0;
    for (size_t d = 0; d < s->t->ndims; d++) {
        if (d == skip_d)
            continue;
        k += line_hidden(s, dtab_line_total(s->t, i, d), d) == 1;
    }
    return k;
}

/* What cell i can give towards a need, for quantity `what`. */
static double capacity(const sup *s, size_t i, int what)
{
    double n = (double)s->t->n[i];
    if (what == DISCLOSE_Q_N || !s->t->has_num)
        return n;
    double m = (double)s->t->num[i];
    return fmin(m, n - m) > 0 ? fmax(fmin(m, n - m), 1.0) : 0.0;
}

typedef struct pick {
    size_t cell;
    int found;
    int enough;
    double cost;
    int kept; /* a cell the caller prefers shown */
} pick;

static void consider(const sup *s, pick *best, size_t i, double need, int what,
                     size_t d)
{
    if (hidden(s, i))
        return;
    double cap = capacity(s, i, what);
    int enough = cap >= need && s->t->n[i] > 0;
    /* Margins cost more than interior cells: a total is what readers
     * look for first (a district's rate, a race group's rate), and the
     * same total is often shared with other tables, where hiding it
     * spreads. Each total coordinate multiplies the cost by 4. */
    double margin = 1.0;
    for (size_t k = 0; k < s->t->ndims; k++)
        if (dtab_is_total(s->t, i, k))
            margin *= 4.0;
    double cost = enough ? margin * (double)s->t->n[i] /
                               (1.0 + (double)lonely_lines(s, i, d))
                         : -cap;
    int kept = s->prefer_show != NULL && s->prefer_show[i];
    int better =
        !best->found || (!kept && best->kept) ||
        (kept == best->kept &&
         ((enough && !best->enough) ||
          (enough == best->enough &&
           (cost < best->cost || (cost == best->cost && i < best->cell)))));
    if (better) {
        best->cell = i;
        best->found = 1;
        best->enough = enough;
        best->cost = cost;
        best->kept = kept;
    }
}

static void consider_line(const sup *s, pick *best, size_t tot, size_t d,
                          double need, int what)
{
    for (size_t j = 0; j <= s->t->size[d]; j++)
        consider(s, best, dtab_line_member(s->t, tot, d, j), need, what, d);
}

/* Every line through i: as a member along d, or as the total along d. */
static void consider_lines_of(const sup *s, pick *best, size_t i, double need,
                              int what)
{
    for (size_t d = 0; d < s->t->ndims; d++)
        consider_line(s, best, dtab_line_total(s->t, i, d), d, need, what);
}

/* Breadth-first from cell x through lines of hidden cells until a layer
 * offers a published cell. */
static pick widen(const sup *s, size_t x, double need, int what)
{
    const disclose_table *t = s->t;
    pick best = {0, 0, 0, 0, 0};
    memset(s->mark, 0, t->ncells);
    size_t head = 0, tail = 0;
    s->queue[tail++] = x;
    s->mark[x] = 1;
    while (head < tail) {
        size_t layer = head, layer_end = tail;
        for (; head < layer_end; head++)
            consider_lines_of(s, &best, s->queue[head], need, what);
        if (best.found)
            break;
        for (size_t q = layer; q < layer_end; q++) {
            size_t c = s->queue[q];
            for (size_t d = 0; d < t->ndims; d++) {
                size_t tot = dtab_line_total(t, c, d);
                for (size_t j = 0; j <= t->size[d]; j++) {
                    size_t m = dtab_line_member(t, tot, d, j);
                    if (!s->mark[m] && hidden(s, m)) {
                        s->mark[m] = 1;
                        s->queue[tail++] = m;
                    }
                }
            }
        }
    }
    return best;
}

/* ---- line rules -------------------------------------------------------- */

/* Numerators (rate tables): a line whose only unshown numerator is a
 * small one (m or n - m below min_n) gives it away when every other
 * numerator of the line, total included, is shown. Hides the published
 * cell whose numerator offers the most cover for the least n. */
static int numerator_rule(sup *s, size_t tot, size_t d)
{
    const disclose_table *t = s->t;
    size_t unshown = 0, lone = 0;
    for (size_t j = 0; j <= t->size[d]; j++) {
        size_t c = dtab_line_member(t, tot, d, j);
        if (!dcell_num_public(&s->cell[c])) {
            unshown++;
            lone = c;
        }
    }
    if (unshown != 1)
        return 0;
    long m = t->num[lone], r = t->n[lone] - t->num[lone];
    if (m >= s->p->min_n && r >= s->p->min_n)
        return 0;
    double need = s->p->protect_pct * (double)(m < r ? m : r);
    if (need < 1.0)
        need = 1.0;
    pick best = {0, 0, 0, 0, 0};
    for (size_t j = 0; j <= t->size[d]; j++) {
        size_t c = dtab_line_member(t, tot, d, j);
        if (dcell_num_public(&s->cell[c]))
            consider(s, &best, c, need, DISCLOSE_Q_NUMERATOR, d);
    }
    if (!best.found)
        return 0;
    hide(s, best.cell);
    return 1;
}

/* One line: returns 1 when it hid a cell. */
static int line_rule(sup *s, size_t tot, size_t d)
{
    const disclose_table *t = s->t;
    if (t->has_num && numerator_rule(s, tot, d))
        return 1;
    size_t h = 0, nonzero = 0;
    double sum = 0.0;
    for (size_t j = 0; j <= t->size[d]; j++) {
        size_t c = dtab_line_member(t, tot, d, j);
        if (!hidden(s, c))
            continue;
        /* a cell standing for several hidden cells counts as several */
        h += dtab_parts(t, c) > 1 ? 2 : 1;
        nonzero += t->n[c] > 0;
        if (j < t->size[d])
            sum += (double)t->n[c];
    }
    if (h == 0)
        return 0;
    double need = 0.0;
    if (h == 1 || (nonzero == 0 && t->n[tot] > 0)) {
        need = 1.0;
    } else if (!hidden(s, tot)) {
        /* Each hidden member x needs p x (or something, if 0) beside it. */
        for (size_t j = 0; j < t->size[d]; j++) {
            size_t c = dtab_line_member(t, tot, d, j);
            if (!hidden(s, c))
                continue;
            double x = (double)dtab_protect_value(t, c);
            double others = sum - (double)t->n[c];
            double want = x > 0 ? s->p->protect_pct * x : 0.0;
            if (others < want - 1e-9 || others <= 0.0) {
                double gap = want - others;
                if (gap < 1.0)
                    gap = 1.0;
                if (gap > need)
                    need = gap;
            }
        }
    }
    if (need <= 0.0)
        return 0;
    pick best = {0, 0, 0, 0, 0};
    consider_line(s, &best, tot, d, need, DISCLOSE_Q_N);
    if (!best.found)
        return 0;
    hide(s, best.cell);
    return 1;
}

static void line_rules(sup *s)
{
    const disclose_table *t = s->t;
    int changed = 1;
    while (changed) {
        changed = 0;
        for (size_t i = 0; i < t->ncells; i++)
            for (size_t d = 0; d < t->ndims; d++)
                if (dtab_is_total(t, i, d) && line_rule(s, i, d))
                    changed = 1;
    }
}

/* ---- rounds ------------------------------------------------------------ */

static double need_of(const disclose_profile *p, const disclose_failure *f)
{
    double want_hi = f->value * (1.0 + p->protect_pct);
    double want_lo = f->value * (1.0 - p->protect_pct);
    double need = 1.0;
    if (f->hi != HUGE_VAL && want_hi - f->hi > need)
        need = want_hi - f->hi;
    if (f->lo - want_lo > need)
        need = f->lo - want_lo;
    return need;
}

/* Hides one cell for failure f; returns 1 when it did. */
static int fix_failure(sup *s, const disclose_failure *f)
{
    double need = need_of(s->p, f);
    pick best = widen(s, f->cell, need, f->quantity);
    if (best.found) {
        hide(s, best.cell);
        return 1;
    }
    if (!hidden(s, f->cell)) {
        hide(s, f->cell);
        return 1;
    }
    return 0;
}

static p20w_status complementary(sup *s, p20w_err *err)
{
    const disclose_table *t = s->t;
    const disclose_cell *cells = s->cell;
    dsys sys;
    memset(&sys, 0, sizeof sys);
    sys.count = 1;
    sys.tab = &t;
    sys.cell = &cells;
    sys.ok = s->ok;
    sys.quick = 1;
    p20w_status rc = P20W_OK;
    disclose_failure *f = NULL;
    size_t nf = 0;
    for (;;) {
        line_rules(s);
        p20w_free(f);
        f = NULL;
        nf = 0;
        rc = dsys_audit(s->p, &sys, &f, &nf, err);
        if (rc != P20W_OK || nf == 0)
            break;
        /* One complement per failing cell whose lines this round has not
         * touched yet; the next audit re-judges the rest. */
        memset(s->touched, 0, t->ncells);
        size_t added = 0;
        for (size_t k = 0; k < nf; k++) {
            size_t x = f[k].cell;
            if (s->touched[x])
                continue;
            if (fix_failure(s, &f[k]))
                added++;
            for (size_t d = 0; d < t->ndims; d++) {
                size_t tot = dtab_line_total(t, x, d);
                for (size_t j = 0; j <= t->size[d]; j++)
                    s->touched[dtab_line_member(t, tot, d, j)] = 1;
            }
        }
        if (added == 0) {
            rc = p20w_err_set(err, P20W_EINVAL,
                              "disclose: complementary suppression cannot "
                              "protect cell %zu (quantity %d, reason %d, "
                              "value %g, proved [%g, %g])",
                              f[0].cell, f[0].quantity, f[0].reason, f[0].value,
                              f[0].lo, f[0].hi);
            break;
        }
    }
    p20w_free(f);
    return rc;
}

/* Hides a cell another table hid: a primary suppression keeps its
 * status but shows nothing (not even n); anything else becomes C. */
static void force_hide(const disclose_table *t, disclose_cell *cell, size_t i)
{
    disclose_cell *c = &cell[i];
    if (c->status == DISCLOSE_S) {
        c->show_n = c->show_numerator = c->show_pct = c->has_rate = 0;
        c->n = c->numerator = 0;
    } else if (c->status != DISCLOSE_C) {
        disclose_cell_hide(c);
    }
    disclose_share_total_hidden(t, i, cell);
}

int disclose_complement(const disclose_profile *p, const disclose_table *t,
                        disclose_result *r, const disclose_failure *f,
                        const unsigned char *prefer_show, size_t *cell)
{
    sup s = {p, t, r->cell, NULL, NULL, NULL, NULL, prefer_show};
    int done = 0;
    if (f->cell >= t->ncells || r->ncells != t->ncells)
        return 0;
    s.mark = p20w_malloc(t->ncells);
    s.queue = p20w_malloc(t->ncells * sizeof *s.queue);
    if (s.mark != NULL && s.queue != NULL) {
        pick best = widen(&s, f->cell, need_of(p, f), f->quantity);
        if (best.found) {
            hide(&s, best.cell);
            *cell = best.cell;
            done = 1;
        } else if (!hidden(&s, f->cell)) {
            hide(&s, f->cell);
            *cell = f->cell;
            done = 1;
        }
    }
    p20w_free(s.mark);
    p20w_free(s.queue);
    return done;
}

p20w_status disclose_run(const disclose_profile *p, const disclose_table *t,
                         const disclose_opts *opts, disclose_result **out,
                         p20w_err *err)
{
    *out = NULL;
    p20w_status rc = disclose_profile_check(p, err);
    if (rc == P20W_OK)
        rc = disclose_table_check(t, err);
    if (rc != P20W_OK)
        return rc;
    disclose_result *r = NULL;
    sup s = {p, t, NULL, NULL, NULL, NULL, NULL, NULL};
    if (opts != NULL)
        s.prefer_show = opts->prefer_show;
    if (result_new(t->ncells, &r) != P20W_OK)
        goto nomem;
    disclose_primary(p, t, r->cell);
    if (opts != NULL && opts->force_hide != NULL)
        for (size_t i = 0; i < t->ncells; i++)
            if (opts->force_hide[i])
                force_hide(t, r->cell, i);
    if (opts == NULL || !opts->no_complementary) {
        s.cell = r->cell;
        s.mark = p20w_malloc(t->ncells);
        s.touched = p20w_malloc(t->ncells);
        s.ok = p20w_calloc(t->ncells, 3);
        s.queue = p20w_malloc(t->ncells * sizeof *s.queue);
        if (s.mark == NULL || s.touched == NULL || s.ok == NULL ||
            s.queue == NULL)
            goto nomem;
        rc = complementary(&s, err);
        if (rc != P20W_OK)
            goto out;
    }
    *out = r;
    r = NULL;
    goto out;
nomem:
    rc = p20w_err_set(err, P20W_ENOMEM, "disclose: out of memory");
out:
    p20w_free(s.mark);
    p20w_free(s.touched);
    p20w_free(s.ok);
    p20w_free(s.queue);
    disclose_result_free(r);
    return rc;
}
