/*
 * bench_derive.c — times derive_load() and derive_rules() on a linked
 * database (bench/run.sh, or by hand under /usr/bin/time -v for the peak
 * RSS).
 *
 *   bench_derive DB
 *
 * Opens DB read-only, loads the timeline with the default profile's
 * numbers (filled in here: profile.c is not needed) and the reference data
 * of P20W_DATA_DIR or the build's data/, derives, and prints one line:
 *   "persons=N enrols=N terms=N wages=N exits=N load_s=S rules_s=S"
 *
 * Environment: BENCH_VERBOSE=1 logs each load stage's time;
 * BENCH_SMALL_CACHE=1 shrinks SQLite's page cache from the store's 256 MiB
 * to 8 MiB, so a peak RSS shows derive's own memory.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "derive/derive.h"
#include "store/store.h"
#include "util/log.h"

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A second line of designation counts, to eyeball against
 * docs/synthetic-data.md (graduation rate 85 %, concentrators 20 % ...). */
static void print_designations(const tl_state *st)
{
    const tl_person *p = st->persons.data;
    const tl_exit_event *e = st->exits.data;
    size_t k12 = 0, exited = 0, grad = 0, part = 0, conc = 0, psconc = 0;
    size_t kinds[TL_EXITER_COUNT] = {0};
    for (size_t i = 0; i < st->persons.len; i++) {
        k12 += p[i].in_k12;
        exited += p[i].hs_exit_type != TL_EXIT_NONE &&
                  p[i].hs_exit_type != TL_EXIT_TRANSFER_OUT &&
                  p[i].hs_exit_type != TL_EXIT_DECEASED;
        grad += p[i].hs_exit_type == TL_EXIT_GRAD;
        part += p[i].cte_participant;
        conc += p[i].cte_concentrator;
        psconc += p[i].ps_concentrator;
    }
    for (size_t i = 0; i < st->exits.len; i++)
        kinds[e[i].kind]++;
    printf("k12=%zu grad_rate=%.3f cte_participants=%.3f "
           "cte_concentrators=%.3f ps_concentrators=%zu exits_hs_grad=%zu "
           "hs_noncompleter=%zu hse=%zu ps_completer=%zu ps_leaver=%zu "
           "appr_completer=%zu\n",
           k12, exited ? (double)grad / (double)exited : 0.0,
           k12 ? (double)part / (double)k12 : 0.0,
           k12 ? (double)conc / (double)k12 : 0.0, psconc,
           kinds[TL_EXITER_HS_GRAD], kinds[TL_EXITER_HS_NONCOMPLETER],
           kinds[TL_EXITER_HS_HSE], kinds[TL_EXITER_PS_COMPLETER],
           kinds[TL_EXITER_PS_LEAVER], kinds[TL_EXITER_APPR_COMPLETER]);
}

int main(int argc, char **argv)
{
    p20w_profile prof;
    p20w_err err;
    store *db = NULL;
    tl_state *st = NULL;
    const char *data_dir = getenv("P20W_DATA_DIR");
    double t0, t1, t2;
    if (argc != 2) {
        fprintf(stderr, "usage: bench_derive DB\n");
        return 2;
    }
    if (getenv("BENCH_VERBOSE"))
        log_set_level(LOG_DEBUG);
    if (!data_dir || !data_dir[0])
        data_dir = P20W_DATADIR;
    memset(&prof, 0, sizeof prof);
    memset(&err, 0, sizeof err);
    snprintf(prof.name, sizeof prof.name, "default");
    prof.min_quarter_cents = 100;
    prof.attach_annual_cents = 1508000;
    prof.attach_quarters = 3;
    prof.employed_year_quarters = 1;
    prof.concentrator_courses = 2;
    prof.ps_concentrator_credits = 12;
    if (store_open(argv[1], STORE_OPEN_READONLY, &db, NULL, &err) != P20W_OK) {
        fprintf(stderr, "bench_derive: %s\n", err.msg);
        return 1;
    }
    if (getenv("BENCH_SMALL_CACHE"))
        (void)store_exec(db, "PRAGMA cache_size = -8192", &err);
    t0 = now_s();
    if (derive_load(db, &prof, data_dir, &st, &err) != P20W_OK) {
        fprintf(stderr, "bench_derive: %s\n", err.msg);
        store_close(db);
        return 1;
    }
    t1 = now_s();
    if (derive_rules(st, &prof, &err) != P20W_OK) {
        fprintf(stderr, "bench_derive: %s\n", err.msg);
        tl_state_free(st);
        store_close(db);
        return 1;
    }
    t2 = now_s();
    printf("persons=%zu enrols=%zu terms=%zu wages=%zu exits=%zu "
           "load_s=%.2f rules_s=%.2f\n",
           st->persons.len, st->enrols.len, st->terms.len, st->wages.len,
           st->exits.len, t1 - t0, t2 - t1);
    print_designations(st);
    tl_state_free(st);
    store_close(db);
    return 0;
}
