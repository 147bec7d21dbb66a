/*
 * publish.h — from the cube to the published tables: every cube cell goes
 * through disclosure control (disclose/) and gets a publication status
 * (spec/indicators.md, "Disclosure defaults"); the dashboard, the API and
 * the downloads read published cells only.
 *
 * Published tables. For one indicator and year (and each value of its
 * required dimensions), the cells form a family of tables that share
 * cells:
 *   - one table per single dimension d: the cells cut by d, with the state
 *     total as their margin;
 *   - one table per two-way intersection a x b: its cells, with the cells
 *     cut by a alone and by b alone and the state total as margins.
 * A SHARE indicator (OUTCOME_Yk, INDUSTRY_Yk, SUPPLY_DEMAND) is a count
 * table with the category as one more dimension: rows are groups, columns
 * categories, margins the group totals (added to the cube as cells of
 * their own) and the state's category totals; the state's distribution is
 * a table of its own. Each count's share is a rate over its group total
 * (disclose_table_set_share). Every year lists every category the
 * indicator has in any year. The rows (and categories) whose total is
 * below min_n — all their cells are suppressed anyway — are collapsed
 * into one row that only the protection reasons about
 * (disclose_table_set_parts); their group totals are published as S, their
 * shares not at all. A table whose every row is collapsed is not built.
 * The cube is additive (every unit of the state total is in exactly one
 * cell of each cut, "not reported" being a value), so each table adds up.
 *
 * Protection. Each table is protected on its own; a cell any table hides
 * is hidden in every table that shows it, and those are protected again,
 * until nothing new is hidden. Then the family's tables are audited
 * together — a cell shown in two tables is one unknown of the attacker —
 * and each failure hides one more cell (disclose_complement) until that
 * audit passes.
 *
 * Withheld breakdowns. A table whose protection would hide one of its
 * margins (which other tables show: the state total, a race group beside
 * race x sex) — typically a yes/no breakdown whose small side is
 * suppressed, where hiding the large side (whose own count must then be
 * protected too) leaves only the total — is withheld as a whole for that
 * year: none of its cells is published through it, so it is not a
 * published table, and the totals stay published everywhere else. So is
 * a table no suppression can protect (a share table of one category).
 *
 * Pooling (status L, pooled_years "2019-2021"). For each year with the
 * pool_years - 1 years before it in the cube, the cells of those years
 * are summed (numerators and denominators; a share's group totals) into a
 * pooled family, protected like a year. A cell that shows nothing in its
 * year, whose pooled n reaches min_n and whose n is hidden in another
 * pooled year too, is published as its pooled cell when that is
 * published (P or B). Then every year of the indicator is audited
 * together with each L cell as a relation (its years' cells sum to what
 * it shows) and each small suppressed cell's 3-year sum, in a year with L
 * cells, as a protected quantity; L cells are taken back until that audit
 * passes.
 *
 * publish_audit() rebuilds the same tables from cube_cells (with the
 * cells publish added), reads what was published and runs that same
 * audit: every indicator's tables of every year, with the L cells, in one
 * attack per indicator. A table with an unpublished interior cell was
 * withheld and is not attacked.
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
    size_t cells;     /* cube cells read */
    size_t tables;    /* disclosure tables built (audit: attacked) */
    size_t families;  /* indicator x year */
    size_t status[6]; /* P, S, C, B, L, N counts */
    size_t rounds;    /* protection passes over all families */
    size_t failures;  /* audit: failing quantities */
    size_t withheld;  /* tables withheld whole (see publish.h) */
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
