/*
 * derive.h — from the store to a finished learner timeline with every
 * designation of spec/indicators.md ("Building blocks", "Learner
 * designations") filled in. docs/derive-rules.md states every rule in
 * plain words.
 *
 *   tl_state *st = NULL;
 *   derive_load(db, prof, data_dir, &st, &err);   reads the store
 *   derive_rules(st, prof, &err);                  designations, exits
 *   ... measure/ reads st ...
 *   tl_state_free(st);
 *
 * The two steps are apart so tests can build a timeline by hand
 * (timeline.h, tl_add_*) and run the rules alone.
 */
#ifndef P20W_DERIVE_H
#define P20W_DERIVE_H

#include "derive/profile.h"
#include "derive/timeline.h"
#include "store/store.h"
#include "util/error.h"

/*
 * Reads the live staging tables (rows of submissions whose status is
 * 'accepted'), person_links and the birth year and month from the
 * identity vault into a new, finished timeline (tl_finish() done).
 *
 * Reference tables: counties of every state that a school, institution or
 * employer lies in, from data_dir/us_counties.csv (rural = RUCC 2023 >= 4;
 * legacy counties without a 2023 code fall back on RUCC 2013), each in the
 * workforce region prof->regions gives it, or, when prof->regions is NULL,
 * in one region per ERS 2000 commuting zone named "CZ <id>"; schools and
 * districts, institutions, employers; programs of study from the CTE
 * course rows. Where several live submissions describe the same school,
 * institution or employer, the newest submission wins.
 *
 * Persons: every p20w_id that a live K-12, postsecondary, apprenticeship
 * or wage record links to (person_links). A live K-12, postsecondary or
 * apprenticeship record that person_links does not know (the store was
 * ingested into after the last `p20w link`) still becomes a person, with
 * a provisional negative p20w_id of its own, and a warning is logged;
 * wage rows that no link names (invalid SSNs) count for nobody.
 * st->wage_q_first/last span every live wage row, linked or not.
 *
 * prof and data_dir must not be NULL. On success *out owns the state
 * (tl_state_free()), finished but without designations (derive_rules()).
 * A progress bar shows on a terminal (util/progress.h) and each stage's
 * time goes to the debug log. Errors: P20W_EIO
 * (us_counties.csv unreadable), P20W_EFORMAT (us_counties.csv malformed),
 * P20W_ESTORE, P20W_ENOMEM; *out is NULL then. Staging rows whose codes do
 * not parse (ingest validated them, so only a hand-edited store has them)
 * are skipped and counted in a warning, never fatal.
 */
p20w_status derive_load(store *db, const p20w_profile *prof,
                        const char *data_dir, tl_state **out, p20w_err *err);

/*
 * Fills every designation field of every tl_person (timeline.h) and the
 * exit events (st->exits, grouped per person through exit_off/exit_n)
 * from the facts of a finished timeline. Uses prof->concentrator_courses
 * and prof->ps_concentrator_credits. Runs again from scratch when called
 * twice.
 *
 * Errors: P20W_EUSAGE (the timeline is not finished), P20W_ENOMEM; after
 * an error every person has no exit events and the other designations
 * are unspecified.
 */
p20w_status derive_rules(tl_state *st, const p20w_profile *prof, p20w_err *err);

#endif
