/*
 * discloseInt.h — private structures shared by the files of disclose/.
 */
#ifndef P20W_DISCLOSE_INT_H
#define P20W_DISCLOSE_INT_H

#include <stddef.h>

#include "disclose/disclose.h"

struct disclose_table {
    size_t ndims;
    size_t size[DISCLOSE_MAX_DIMS];   /* categories per dimension */
    size_t stride[DISCLOSE_MAX_DIMS]; /* index step per dimension */
    size_t ncells;                    /* product of (size + 1) */
    int has_num;
    size_t npct;
    long *n;                /* ncells counts */
    long *num;              /* ncells numerators, NULL without numerators */
    double *pct;            /* ncells * npct, NULL without percentiles */
    unsigned char *pct_set; /* 1 where percentiles were given */
    int share_dim;          /* the category dimension of a share table, or
                               -1 */
    long *parts;            /* NULL, or per cell: how many unpublished
                               cells it stands for (0: an ordinary cell) */
    long *maxpart;          /* per cell with parts: the largest of them */
};

struct disclose_result {
    size_t ncells;
    disclose_cell *cell;
};

/* Coordinate (stored form: size[d] means total) of cell idx along d. */
static inline size_t dtab_coord(const disclose_table *t, size_t idx, size_t d)
{
    return (idx / t->stride[d]) % (t->size[d] + 1);
}

/* 1 when cell idx is the total along d. */
static inline int dtab_is_total(const disclose_table *t, size_t idx, size_t d)
{
    return dtab_coord(t, idx, d) == t->size[d];
}

/* The total of the line along d through idx (idx with coord d = total). */
static inline size_t dtab_line_total(const disclose_table *t, size_t idx,
                                     size_t d)
{
    return idx + (t->size[d] - dtab_coord(t, idx, d)) * t->stride[d];
}

/* Member j (0..size[d]) of the line along d whose total is tot; j ==
 * size[d] is the total itself. */
static inline size_t dtab_line_member(const disclose_table *t, size_t tot,
                                      size_t d, size_t j)
{
    return tot - (t->size[d] - j) * t->stride[d];
}

/* 1 when cell idx of a share table is a share: a count whose
 * denominator is its line total along the category dimension. */
static inline int dtab_is_share(const disclose_table *t, size_t idx)
{
    return t->share_dim >= 0 && !dtab_is_total(t, idx, (size_t)t->share_dim);
}

/* The denominator cell of share cell idx: its group's total. */
static inline size_t dtab_share_total(const disclose_table *t, size_t idx)
{
    return dtab_line_total(t, idx, (size_t)t->share_dim);
}

/* How many unpublished cells cell idx stands for (0: itself only). */
static inline long dtab_parts(const disclose_table *t, size_t idx)
{
    return t->parts != NULL ? t->parts[idx] : 0;
}

/* The value whose protection a hidden cell needs: its own, or for a cell
 * standing for several, the largest of them (see disclose_table_set_parts). */
static inline long dtab_protect_value(const disclose_table *t, size_t idx)
{
    return dtab_parts(t, idx) > 1 ? t->maxpart[idx] : t->n[idx];
}

/* Whether the attacker sees the cell's own (single-year) n. */
static inline int dcell_n_public(const disclose_cell *c)
{
    return c->show_n && !c->pooled;
}

/* Whether the attacker sees the cell's own numerator. */
static inline int dcell_num_public(const disclose_cell *c)
{
    return c->show_numerator && !c->pooled;
}

/* A set of tables audited together (one table; the tables of a family
 * sharing cells; the years of a pool). */
typedef struct dsys {
    size_t count;
    const disclose_table *const *tab;
    const disclose_cell *const *cell; /* cell[i] has tab[i]->ncells */
    /* Optional: id[k][i] names cell i of table k; cells with one id are
     * one unknown of the attacker (ids < nid). NULL: every cell its own. */
    const size_t *const *id;
    size_t nid;
    size_t nsums; /* sums of cells: pooled publications (disclose.h) */
    const disclose_sum *sum;
    int only_joint;        /* disclose_set.only_joint */
    unsigned char *set_ok; /* disclose_set.ok */
    int fix_sums; /* the cells of sums are known exactly; sums left out */
    /* Optional, one table only: ok[3 * cell + quantity] set = proved
     * protected in an earlier round; skipped, and set here for each
     * quantity that passes. Sound because hiding more cells only relaxes
     * the attacker's LP, so a protected quantity stays protected. */
    unsigned char *ok;
    /* 1: complementary suppression's rounds: stop proving once
     * `quick_max` failures are known (the complements they bring change
     * the problem anyway); the rest is proved in a later round. */
    int quick;
} dsys;

/* The LP audit over a system (audit.c). Appends failures to *fails
 * (growing *cap); returns P20W_OK, P20W_ENOMEM or P20W_EINTERNAL. */
p20w_status dsys_audit(const disclose_profile *p, const dsys *s,
                       disclose_failure **fails, size_t *nfails, p20w_err *err);

/* Primary rules for every cell (rules.c): fills res->cell from t. */
void disclose_primary(const disclose_profile *p, const disclose_table *t,
                      disclose_cell *cell);

/* Cell tot of a share table, a group total, is hidden: the exact shares
 * of its line lose their rate (their counts stay shown). */
void disclose_share_total_hidden(const disclose_table *t, size_t tot,
                                 disclose_cell *cell);

/* Turns cell c into a complementary suppression. */
void disclose_cell_hide(disclose_cell *c);

/* Checks that r belongs to t: same size, every shown n and numerator
 * equal to the table's, every shown rate band holding the true rate.
 * Errors: P20W_EINVAL. */
p20w_status disclose_check_result(const disclose_table *t,
                                  const disclose_result *r, p20w_err *err);

/* Sorts failures by table, cell, quantity, reason. */
void disclose_failures_sort(disclose_failure *f, size_t n);

#endif
