/*
 * table.c — the in-memory table disclosure control works on: a grid of
 * 1 to 3 dimensions with every margin stored beside the interior cells.
 *
 * Layout: mixed-radix index over (size[d] + 1) values per dimension, the
 * last value of each being the total along d; stride[0] = 1. Margins are
 * ordinary cells so that every rule treats them like any other published
 * number. The table owns its arrays; it does no I/O.
 */
#include <limits.h>
#include <string.h>

#include "disclose/discloseInt.h"
#include "util/mem.h"

_Static_assert(LONG_MAX / DISCLOSE_MAX_COUNT >= (long)DISCLOSE_MAX_CELLS,
               "margins of a full table must fit a long");

p20w_status disclose_table_new(size_t ndims, const size_t *size,
                               int has_numerator, size_t pct_count,
                               disclose_table **out, p20w_err *err)
{
    *out = NULL;
    if (ndims < 1 || ndims > DISCLOSE_MAX_DIMS)
        return p20w_err_set(err, P20W_EINVAL,
                            "disclose: a table has 1 to %d dimensions, not %zu",
                            DISCLOSE_MAX_DIMS, ndims);
    if (pct_count > DISCLOSE_MAX_PCT)
        return p20w_err_set(err, P20W_EINVAL,
                            "disclose: at most %d percentiles per cell",
                            DISCLOSE_MAX_PCT);
    size_t cells = 1;
    for (size_t d = 0; d < ndims; d++) {
        if (size[d] < 1)
            return p20w_err_set(err, P20W_EINVAL,
                                "disclose: dimension %zu has no categories",
                                d + 1);
        if (size[d] >= DISCLOSE_MAX_CELLS ||
            cells > DISCLOSE_MAX_CELLS / (size[d] + 1))
            return p20w_err_set(err, P20W_ELIMIT,
                                "disclose: table exceeds %zu cells",
                                DISCLOSE_MAX_CELLS);
        cells *= size[d] + 1;
    }
    disclose_table *t = p20w_calloc(1, sizeof *t);
    if (t == NULL)
        goto nomem;
    t->ndims = ndims;
    t->ncells = cells;
    t->has_num = has_numerator != 0;
    t->npct = pct_count;
    t->share_dim = -1;
    size_t stride = 1;
    for (size_t d = 0; d < ndims; d++) {
        t->size[d] = size[d];
        t->stride[d] = stride;
        stride *= size[d] + 1;
    }
    t->n = p20w_calloc(cells, sizeof *t->n);
    if (t->n == NULL)
        goto nomem;
    if (t->has_num) {
        t->num = p20w_calloc(cells, sizeof *t->num);
        if (t->num == NULL)
            goto nomem;
    }
    if (pct_count > 0) {
        t->pct = p20w_calloc(cells * pct_count, sizeof *t->pct);
        t->pct_set = p20w_calloc(cells, 1);
        if (t->pct == NULL || t->pct_set == NULL)
            goto nomem;
    }
    *out = t;
    return P20W_OK;
nomem:
    disclose_table_free(t);
    return p20w_err_set(err, P20W_ENOMEM, "disclose: out of memory");
}

void disclose_table_free(disclose_table *t)
{
    if (t == NULL)
        return;
    p20w_free(t->n);
    p20w_free(t->num);
    p20w_free(t->pct);
    p20w_free(t->pct_set);
    p20w_free(t->parts);
    p20w_free(t->maxpart);
    p20w_free(t);
}

size_t disclose_table_dims(const disclose_table *t)
{
    return t->ndims;
}

size_t disclose_table_size(const disclose_table *t, size_t d)
{
    return d < t->ndims ? t->size[d] : 0;
}

int disclose_table_has_numerator(const disclose_table *t)
{
    return t->has_num;
}

size_t disclose_table_pct_count(const disclose_table *t)
{
    return t->npct;
}

size_t disclose_table_cells(const disclose_table *t)
{
    return t->ncells;
}

p20w_status disclose_table_index(const disclose_table *t, const size_t *coord,
                                 size_t *idx)
{
    size_t i = 0;
    for (size_t d = 0; d < t->ndims; d++) {
        if (coord[d] != DISCLOSE_TOTAL && coord[d] >= t->size[d])
            return P20W_EINVAL;
        size_t c = coord[d] == DISCLOSE_TOTAL ? t->size[d] : coord[d];
        i += c * t->stride[d];
    }
    *idx = i;
    return P20W_OK;
}

void disclose_table_coord(const disclose_table *t, size_t idx, size_t *coord)
{
    for (size_t d = 0; d < t->ndims; d++) {
        size_t c = dtab_coord(t, idx, d);
        coord[d] = c == t->size[d] ? DISCLOSE_TOTAL : c;
    }
}

int disclose_table_is_margin(const disclose_table *t, size_t idx)
{
    for (size_t d = 0; d < t->ndims; d++)
        if (dtab_is_total(t, idx, d))
            return 1;
    return 0;
}

p20w_status disclose_table_set(disclose_table *t, size_t idx, long n,
                               long numerator)
{
    if (idx >= t->ncells || n < 0 || n > DISCLOSE_MAX_COUNT)
        return P20W_EINVAL;
    if (t->has_num && (numerator < 0 || numerator > n))
        return P20W_EINVAL;
    t->n[idx] = n;
    if (t->has_num)
        t->num[idx] = numerator;
    return P20W_OK;
}

p20w_status disclose_table_set_share(disclose_table *t, size_t dim,
                                     p20w_err *err)
{
    if (t->has_num)
        return p20w_err_set(err, P20W_EINVAL,
                            "disclose: a share table counts people; it has "
                            "no numerator");
    if (dim >= t->ndims)
        return p20w_err_set(err, P20W_EINVAL,
                            "disclose: share dimension %zu out of range",
                            dim + 1);
    t->share_dim = (int)dim;
    return P20W_OK;
}

int disclose_table_share_dim(const disclose_table *t)
{
    return t->share_dim;
}

p20w_status disclose_table_set_parts(disclose_table *t, size_t idx, long parts,
                                     long max_part)
{
    if (idx >= t->ncells || parts < 1 || max_part < 0 || max_part > t->n[idx])
        return P20W_EINVAL;
    if (t->parts == NULL) {
        t->parts = p20w_calloc(t->ncells, sizeof *t->parts);
        t->maxpart = p20w_calloc(t->ncells, sizeof *t->maxpart);
        if (t->parts == NULL || t->maxpart == NULL) {
            p20w_free(t->parts);
            p20w_free(t->maxpart);
            t->parts = t->maxpart = NULL;
            return P20W_ENOMEM;
        }
    }
    t->parts[idx] = parts;
    t->maxpart[idx] = max_part;
    return P20W_OK;
}

long disclose_table_parts(const disclose_table *t, size_t idx)
{
    return idx < t->ncells ? dtab_parts(t, idx) : 0;
}

long disclose_table_n(const disclose_table *t, size_t idx)
{
    return t->n[idx];
}

long disclose_table_numerator(const disclose_table *t, size_t idx)
{
    return t->has_num ? t->num[idx] : 0;
}

void disclose_table_set_pct(disclose_table *t, size_t idx, const double *pct)
{
    if (t->npct == 0 || idx >= t->ncells)
        return;
    memcpy(t->pct + idx * t->npct, pct, t->npct * sizeof *pct);
    t->pct_set[idx] = 1;
}

double disclose_table_pct(const disclose_table *t, size_t idx, size_t j)
{
    return t->pct[idx * t->npct + j];
}

void disclose_table_fill_margins(disclose_table *t)
{
    for (size_t i = 0; i < t->ncells; i++) {
        if (disclose_table_is_margin(t, i)) {
            t->n[i] = 0;
            if (t->has_num)
                t->num[i] = 0;
        }
    }
    /* Each interior cell adds itself to the 2^k - 1 margins above it. */
    for (size_t i = 0; i < t->ncells; i++) {
        if (disclose_table_is_margin(t, i))
            continue;
        size_t k = t->ndims;
        for (unsigned mask = 1; mask < (1u << k); mask++) {
            size_t j = i;
            for (size_t d = 0; d < k; d++)
                if (mask & (1u << d))
                    j = dtab_line_total(t, j, d);
            t->n[j] += t->n[i];
            if (t->has_num)
                t->num[j] += t->num[i];
        }
    }
}

p20w_status disclose_table_check(const disclose_table *t, p20w_err *err)
{
    for (size_t i = 0; i < t->ncells; i++) {
        if (t->n[i] < 0 || t->n[i] > DISCLOSE_MAX_COUNT ||
            (t->has_num && (t->num[i] < 0 || t->num[i] > t->n[i])))
            return p20w_err_set(err, P20W_EINVAL,
                                "disclose: cell %zu has a negative count or a "
                                "numerator above its n",
                                i);
        for (size_t d = 0; d < t->ndims; d++) {
            if (!dtab_is_total(t, i, d))
                continue;
            long long sn = 0, sm = 0;
            for (size_t j = 0; j < t->size[d]; j++) {
                size_t c = dtab_line_member(t, i, d, j);
                sn += t->n[c];
                if (t->has_num)
                    sm += t->num[c];
            }
            if (sn != t->n[i] || (t->has_num && sm != t->num[i]))
                return p20w_err_set(err, P20W_EINVAL,
                                    "disclose: total cell %zu is not the sum "
                                    "of its cells along dimension %zu",
                                    i, d + 1);
        }
    }
    return P20W_OK;
}

static int same_shape(const disclose_table *a, const disclose_table *b)
{
    if (a->ndims != b->ndims || a->has_num != b->has_num ||
        a->share_dim != b->share_dim)
        return 0;
    for (size_t d = 0; d < a->ndims; d++)
        if (a->size[d] != b->size[d])
            return 0;
    return 1;
}

p20w_status disclose_table_sum(const disclose_table *const *tables,
                               size_t count, disclose_table **out,
                               p20w_err *err)
{
    *out = NULL;
    if (count == 0)
        return p20w_err_set(err, P20W_EINVAL, "disclose: nothing to pool");
    for (size_t y = 1; y < count; y++)
        if (!same_shape(tables[0], tables[y]))
            return p20w_err_set(err, P20W_EINVAL,
                                "disclose: pooled tables differ in shape");
    disclose_table *s = NULL;
    p20w_status rc =
        disclose_table_new(tables[0]->ndims, tables[0]->size,
                           tables[0]->has_num, tables[0]->npct, &s, err);
    if (rc != P20W_OK)
        return rc;
    s->share_dim = tables[0]->share_dim;
    for (size_t i = 0; i < s->ncells; i++) {
        long n = 0, m = 0;
        for (size_t y = 0; y < count; y++) {
            if (tables[y]->n[i] > DISCLOSE_MAX_COUNT - n ||
                (s->has_num && tables[y]->num[i] > DISCLOSE_MAX_COUNT - m)) {
                disclose_table_free(s);
                return p20w_err_set(err, P20W_ELIMIT,
                                    "disclose: pooled count overflows");
            }
            n += tables[y]->n[i];
            if (s->has_num)
                m += tables[y]->num[i];
        }
        s->n[i] = n;
        if (s->has_num)
            s->num[i] = m;
    }
    *out = s;
    return P20W_OK;
}
