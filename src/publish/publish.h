/*
 * publish.h — from the cube to the published tables: every cube cell goes
 * through disclosure control (disclose/) and gets a publication status
 * (spec/indicators.md, "Disclosure defaults"); the dashboard, the API and
 * the downloads read published cells only.
 *
 * Published tables. For one indicator, year and category (a SHARE
 * indicator publishes one rate table per category), the cells form a
 * family of tables that share cells:
 *   - one table per single dimension d: the cells cut by d, with the state
 *     total as their margin;
 *   - one table per two-way intersection a x b: its cells, with the cells
 *     cut by a alone and by b alone and the state total as margins.
 * The cube is additive (every unit of the state total is in exactly one
 * cell of each cut, "not reported" being a value), so each table adds up.
 * A cell published in several tables (the state total, the margins of an
 * intersection, and — for a SHARE indicator — the same group's
 * denominator under every category) is hidden everywhere once any table
 * hides it: tables are protected again with those cells forced hidden
 * until no table hides anything new.
 *
 * Withheld breakdowns. A table whose protection would hide one of its
 * margins (which other tables show: the state total, a race group beside
 * race x sex) — typically a yes/no breakdown whose small side is
 * suppressed, where hiding the large side (whose own count must then be
 * protected too) leaves only the total — is withheld as a whole for that
 * year: none of its cells is published through it, so it is not a
 * published table, and the totals stay published everywhere else.
 *
 * Not yet published: SHARE indicators (OUTCOME_Yk, INDUSTRY_Yk,
 * SUPPLY_DEMAND). A share table is a count table with the category as one
 * more dimension (the group's total being the margin over categories);
 * until that table is built, none of their cells is published, so nothing
 * unprotected can leave. stats->unpublished counts them.
 *
 * publish_audit() rebuilds the same tables, reads what was published and
 * runs the disclosure audit (GLPK) on every table: the attacker knows
 * every published cell and margin.
 *
 * Not thread-safe (GLPK keeps per-thread state).
 */
#ifndef P20W_PUBLISH_H
#define P20W_PUBLISH_H

#include <stddef.h>
#include <stdio.h>

#include "derive/profile.h"
#include "store/store.h"
#include "util/error.h"

typedef struct publish_opts {
    int no_complementary; /* primary rules only: to prove the audit fails */
} publish_opts;

typedef struct publish_stats {
    size_t cells;       /* cube cells read */
    size_t tables;      /* disclosure tables built */
    size_t families;    /* indicator x year x category */
    size_t status[6];   /* P, S, C, B, L, N counts */
    size_t rounds;      /* protection passes over all families */
    size_t failures;    /* audit: failing quantities */
    size_t unpublished; /* cells of SHARE indicators: not published yet */
    size_t withheld;    /* tables withheld whole (see publish.h) */
} publish_stats;

/* Protects the cube of profile `prof->name` and writes its published
 * cells, replacing the previous publication of that profile, in one
 * transaction. Errors: P20W_ENOTFOUND (no cube for the profile),
 * P20W_EINVAL (a family that does not add up), P20W_ESTORE, P20W_ENOMEM,
 * P20W_EINTERNAL (the LP solver failed). */
p20w_status publish_cube(store *db, const p20w_profile *prof,
                         const publish_opts *opts, publish_stats *stats,
                         p20w_err *err);

/* Audits the published cells of profile `prof->name`: every failure is
 * printed to `out` (may be NULL) as one line naming the indicator, year,
 * cell and the interval the attacker proves; stats->failures counts them.
 * Errors as publish_cube(); failures are not an error. */
p20w_status publish_audit(store *db, const p20w_profile *prof, FILE *out,
                          publish_stats *stats, p20w_err *err);

#endif
