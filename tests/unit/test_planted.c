/*
 * test_planted.c — the planted effects of docs/synthetic-data.md ("Planted
 * effects") recovered through p20w's own pipeline, without the truth.
 *
 * test_synth measures the effects from the synthetic files and the truth
 * (who moved away, who is self-employed, each person's true attributes).
 * Here the same state goes synth -> store -> ingest_dir -> link_run ->
 * derive_load -> derive_rules, and the effects are read from the linked,
 * derived timeline only, with the doc's estimators:
 *
 *   CTE concentrators, employment in exit quarter + 2 (+8 points over
 *   0.62): graduates (hs_exit_type GRAD) whose exit quarter + 2 lies in
 *   the wage data; employed = wages over all employers >= the profile's
 *   $1.00; concentrators (cte_concentrator) minus the others. Measured
 *   twice: on the timeline, and through the product's EMP_Q2 indicator
 *   (its emitter, then the cube engine: the state-total cells of the
 *   HS-graduate exits against their cells by program of study, which
 *   only concentrators have).
 *
 *   Earnings (econ -12 %, rural worksite -10 %, WBL completer +6 %): wage
 *   rows (person x employer x quarter, > $0) from the HS exit quarter + 5
 *   on, of people with an HS exit; mean log wage difference within cells
 *   of highest award x ever enrolled in college x the two other
 *   attributes, weighted by the harmonic cell size (cells of >= 30 rows
 *   each side), exp(d) - 1. econ = the K-12 flag (flags & TL_F_ECON);
 *   rural worksite = the employer's county is nonmetro (tl_county.rural,
 *   RUCC >= 4; unknown rurality: the row is left out); WBL = wbl_any;
 *   highest award = the highest level of the award rows, else HS when the
 *   HS exit is GRAD, GRAD_ALT or HSE (the doc's award scale: its base pay
 *   differs by credential, HS included), else none; ever enrolled = a
 *   non-dual term (ps_first_time).
 *
 * What the timeline cannot know. The doc counts graduates still in the
 * state and not self-employed in exit quarter + 2, and sees every wage
 * row of a person. The timeline sees neither who left nor wages it cannot
 * link, and shows both as "not working":
 *
 *   - movers leave at 0.5 % a quarter from the quarter after exit: 1 % of
 *     graduates are gone by exit quarter + 2 (self-employment starts at
 *     20, after that quarter for every on-age graduate): x 0.99;
 *   - wage records carry an SSN and a name but no birth date, so a
 *     graduate's wages reach the K-12 record only through a record that
 *     holds both the SSN and what the K-12 record matches on: a DMV
 *     record with the SSN (90 % x 97 %), a college registration with it
 *     (graduates who enrol 55 % x 85 %, dual enrolment 19 % x 40 %), or
 *     the K-12 SSN itself (5 %). With none of them, 0.127 x 0.492 x 0.95
 *     = 5.9 % of graduates, their wages form a person of their own; wage
 *     rows with an invalid SSN (0.3 %) count for nobody: x 0.94.
 *
 * So the pipeline should show 0.62 x REACH = 0.577 for the others and
 * 0.08 x REACH = +7.4 points for the effect (REACH = 0.99 x 0.94). Checked
 * against the truth at 20,000 learners, seed 1 (a throwaway script, not
 * kept): 6.6 % of the graduates employed in exit quarter + 2 had those
 * wages unlinked, 6.2 points of them for want of any such record or for
 * an invalid SSN, and 0.4 linkage misses (DMV records under a later
 * married surname, twins, a second student id left apart); the timeline
 * gave 0.5722 where the truth-linked count gave 0.5776 before movers. The
 * base rate is held to 0.577 with the doc's 2.5 points; the effect to
 * the documented +8 points with the doc's 3.5, as it stands.
 *
 * Size. 20,000 learners, seed 7: the doc's size and seed (test_synth's
 * too). Smaller states miss the tolerances on some seeds, and so does the
 * truth on those same states: the WBL effect is the noisiest (seeds 1-8
 * at 20,000 gave +2.8 to +9.0 %; at 15,000 seed 6 gave +2.4 %, at 10,000
 * seed 15 +9.9 %). About 2 minutes under ASan on two idle cores, most
 * of it ingest and linkage (docs/synthetic-data.md, "Recovered through
 * the pipeline"). `test_planted N SEED` runs another size and seed;
 * `test_planted --db DB` reads an already linked database (say made with
 * the release ./p20w: synth, init, ingest --dir, link) and only derives
 * and measures.
 */
#include "testutil.h"

#include <math.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "derive/derive.h"
#include "dict/codeset.h"
#include "ingest/ingest.h"
#include "link/link.h"
#include "measure/cube.h"
#include "measure/measure.h"
#include "store/store.h"
#include "synth/synth.h"

#define PLANTED_N 20000
#define PLANTED_SEED 7

/* The documented effects and tolerances (docs/synthetic-data.md). */
#define DOC_CTE_BASE 0.62
#define DOC_CTE_BASE_TOL 0.025
#define DOC_CTE 0.08
#define DOC_ECON (-0.12)
#define DOC_RURAL (-0.10)
#define DOC_WBL 0.06
#define DOC_TOL 0.035
/* The share of the planted employment the timeline can show (top). */
#define REACH (0.99 * 0.94)

/* The run's configuration (from main's arguments) and its state. */
static struct {
    uint64_t learners, seed;
    const char *db_path; /* --db: an existing linked database */
    char dir[64];        /* temp folder when the test makes the state */
    store *db;
    tl_state *st;
    p20w_profile prof;
} run;

static double seconds_since(const struct timespec *t0)
{
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double)(t1.tv_sec - t0->tv_sec) +
           (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

static void remove_dir(const char *dir)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
}

/* Counts the extracts ingest did not accept whole. */
static void count_refused(const ingest_report *r, void *ctx)
{
    int *refused = ctx;
    if (ingest_report_outcome(r) != INGEST_ACCEPTED ||
        ingest_report_rows_rejected(r) != 0)
        (*refused)++;
}

/* synth, a new store, ingest_dir, link_run: the state the CLI would make
 * with `p20w synth`, `init`, `ingest --dir`, `link`. */
static p20w_status make_state(const char *db_path, p20w_err *err)
{
    char out[96];
    synth_options so;
    ingest_options io;
    link_options lo;
    codeset_registry *reg = NULL;
    link_report *lr = NULL;
    p20w_status rc;
    struct timespec t0;
    int refused = 0;
    snprintf(out, sizeof out, "%s/s", run.dir);
    synth_options_init(&so);
    so.out_dir = out;
    so.data_dir = P20W_DATADIR;
    so.learners = run.learners;
    so.seed = run.seed;
    ingest_options_init(&io);
    link_options_init(&lo);
    lo.data_dir = P20W_DATADIR;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    rc = synth_run(&so, NULL, err);
    if (rc == P20W_OK)
        rc = store_open(db_path, STORE_OPEN_CREATE | STORE_OPEN_MIGRATE,
                        &run.db, NULL, err);
    if (rc == P20W_OK)
        rc = codeset_registry_load(P20W_DATADIR, &reg, err);
    print_message("  synth: %.1f s\n", seconds_since(&t0));
    clock_gettime(CLOCK_MONOTONIC, &t0);
    if (rc == P20W_OK)
        rc = ingest_dir(run.db, reg, out, &io, count_refused, &refused, err);
    if (rc == P20W_OK && refused != 0)
        rc = p20w_err_set(err, P20W_EFORMAT, "%d extracts not accepted whole",
                          refused);
    print_message("  ingest: %.1f s\n", seconds_since(&t0));
    clock_gettime(CLOCK_MONOTONIC, &t0);
    if (rc == P20W_OK)
        rc = link_run(run.db, &lo, &lr, err);
    print_message("  link: %.1f s\n", seconds_since(&t0));
    codeset_registry_free(reg);
    link_report_free(lr);
    return rc;
}

static int group_setup(void **state)
{
    char db_path[128];
    p20w_err err;
    struct timespec t0;
    (void)state;
    memset(&err, 0, sizeof err);
    profile_default(&run.prof);
    if (run.db_path != NULL) {
        print_message("  linked database %s\n", run.db_path);
        if (store_open(run.db_path, STORE_OPEN_READONLY, &run.db, NULL, &err) !=
            P20W_OK)
            goto fail;
    } else {
        print_message("  %llu learners, seed %llu\n",
                      (unsigned long long)run.learners,
                      (unsigned long long)run.seed);
        snprintf(run.dir, sizeof run.dir, "/tmp/p20w-planted-XXXXXX");
        if (mkdtemp(run.dir) == NULL)
            return -1;
        snprintf(db_path, sizeof db_path, "%s/t.db", run.dir);
        if (make_state(db_path, &err) != P20W_OK)
            goto fail;
    }
    clock_gettime(CLOCK_MONOTONIC, &t0);
    if (derive_load(run.db, &run.prof, P20W_DATADIR, &run.st, &err) !=
            P20W_OK ||
        derive_rules(run.st, &run.prof, &err) != P20W_OK)
        goto fail;
    print_message("  derive: %.1f s, %zu persons\n", seconds_since(&t0),
                  run.st->persons.len);
    return 0;
fail:
    fprintf(stderr, "group_setup: %s\n", err.msg);
    return -1;
}

static int group_teardown(void **state)
{
    (void)state;
    tl_state_free(run.st);
    store_close(run.db);
    if (run.dir[0] != '\0')
        remove_dir(run.dir);
    return 0;
}

static const tl_person *person(size_t i)
{
    return (const tl_person *)run.st->persons.data + i;
}

static int in_wage_data(int32_t q)
{
    return q >= run.st->wage_q_first && q <= run.st->wage_q_last;
}

/* ---- CTE concentrators: employment in exit quarter + 2 ------------------ */

/* [0] others, [1] concentrators */
typedef struct emp_split {
    long n[2], employed[2];
} emp_split;

static double rate(const emp_split *s, int conc)
{
    assert_true(s->n[conc] > 0);
    return (double)s->employed[conc] / (double)s->n[conc];
}

/* The base rate is held to what the timeline can show (LINK_REACH, see
 * the top), the effect to the documented +8 points as it stands; the
 * diluted +7.4 points it should come near is printed beside it. */
static void expect_cte(const char *how, const emp_split *s)
{
    double base = rate(s, 0), effect = rate(s, 1) - rate(s, 0);
    print_message("  CTE, %s: %ld concentrators, %ld others\n", how, s->n[1],
                  s->n[0]);
    print_message("    employed Q2 after exit, others %.4f (documented %.4f, "
                  "through the pipeline %.4f, tolerance %.3f)\n",
                  base, DOC_CTE_BASE, DOC_CTE_BASE * REACH, DOC_CTE_BASE_TOL);
    print_message("    concentrator effect           %+.4f (documented "
                  "%+.4f, tolerance %.3f; through the pipeline %+.4f)\n",
                  effect, DOC_CTE, DOC_TOL, DOC_CTE * REACH);
    if (fabs(base - DOC_CTE_BASE * REACH) > DOC_CTE_BASE_TOL)
        fail_msg("CTE, %s: others employed %.4f, expected %.4f (tolerance "
                 "%.4f)",
                 how, base, DOC_CTE_BASE * REACH, DOC_CTE_BASE_TOL);
    if (fabs(effect - DOC_CTE) > DOC_TOL)
        fail_msg("CTE, %s: effect %.4f, documented %.4f (tolerance %.4f)", how,
                 effect, DOC_CTE, DOC_TOL);
}

/* The doc's estimator on the timeline: GRAD exits only. */
static void test_cte_timeline(void **state)
{
    emp_split s;
    (void)state;
    memset(&s, 0, sizeof s);
    for (size_t i = 0; i < run.st->persons.len; i++) {
        const tl_person *p = person(i);
        int32_t q2 = p->hs_exit_q + 2;
        if (p->hs_exit_type != TL_EXIT_GRAD || !in_wage_data(q2))
            continue;
        int conc = p->cte_concentrator != 0;
        s.n[conc]++;
        s.employed[conc] +=
            tl_quarter_wages(run.st, p, q2) >= run.prof.min_quarter_cents;
    }
    expect_cte("timeline (GRAD exits)", &s);
}

/* EMP_Q2's units of HS-graduate exits, on to the cube engine. */
typedef struct grad_filter {
    measure_sink cube;
    int64_t units;
} grad_filter;

static p20w_status grad_only(void *ctx, const measure_unit *u)
{
    grad_filter *g = ctx;
    if (u->dim[MD_EXITER] != TL_EXITER_HS_GRAD)
        return P20W_OK;
    g->units++;
    return measure_emit(&g->cube, u);
}

/* The product's EMP_Q2 (GRAD and GRAD_ALT exits: the synthetic model
 * gives both the same 0.62): the cube's state-total cells are every
 * HS-graduate exit, its cells by program of study the concentrators'. */
static void test_cte_cube(void **state)
{
    const measure_indicator *ind = measure_find("EMP_Q2");
    cube *c = NULL;
    grad_filter g;
    measure_sink sink;
    emp_split s;
    long all_n = 0, all_e = 0;
    (void)state;
    assert_non_null(ind);
    memset(&s, 0, sizeof s);
    memset(&g, 0, sizeof g);
    assert_int_equal(cube_new(run.st, &c, NULL), P20W_OK);
    assert_int_equal(cube_begin(c, ind, NULL), P20W_OK);
    g.cube = cube_sink(c);
    sink.fn = grad_only;
    sink.ctx = &g;
    sink.refs = NULL;
    assert_int_equal(ind->emit(ind->id, run.st, &run.prof, &sink, NULL),
                     P20W_OK);
    assert_int_equal(cube_finish(c, NULL), P20W_OK);
    for (size_t i = 0; i < cube_cell_count(c); i++) {
        const cube_cell *cell = cube_cell_at(c, i);
        if (cell->ndims == 0) {
            all_n += (long)cell->denominator;
            all_e += (long)cell->numerator;
        } else if (cell->ndims == 1 && cell->dim[0] == MD_PROGRAM) {
            s.n[1] += (long)cell->denominator;
            s.employed[1] += (long)cell->numerator;
        }
    }
    cube_free(c);
    assert_int_equal(all_n, g.units);
    s.n[0] = all_n - s.n[1];
    s.employed[0] = all_e - s.employed[1];
    expect_cte("EMP_Q2 cube (HS-graduate exits)", &s);
}

/* ---- earnings ----------------------------------------------------------- */

/* Award scale of the doc: none, HS, CERT, ASSOC, BACH, GRAD. */
#define N_AWARD 6
/* attribute bits of a cell key */
#define A_WBL 1
#define A_RURAL 2
#define A_ECON 4
#define N_CELL (N_AWARD * 2 * 8)

typedef struct earn_cells {
    double sum[N_CELL]; /* log dollars */
    long n[N_CELL];
} earn_cells;

static int award_of(const tl_person *p)
{
    const tl_award_row *a = tl_run(&run.st->awards, p->award_off);
    int top = 0;
    for (uint32_t i = 0; i < p->award_n; i++) {
        int lv = a[i].level == TL_AWARD_CERT    ? 2
                 : a[i].level == TL_AWARD_ASSOC ? 3
                 : a[i].level == TL_AWARD_BACH  ? 4
                 : a[i].level == TL_AWARD_GRAD  ? 5
                                                : 0;
        if (lv > top)
            top = lv;
    }
    if (top == 0 &&
        (p->hs_exit_type == TL_EXIT_GRAD ||
         p->hs_exit_type == TL_EXIT_GRAD_ALT || p->hs_exit_type == TL_EXIT_HSE))
        top = 1;
    return top;
}

static void earnings_cells(earn_cells *c)
{
    const tl_employer *emp = run.st->employers.data;
    const tl_county *cty = run.st->counties.data;
    memset(c, 0, sizeof *c);
    for (size_t i = 0; i < run.st->persons.len; i++) {
        const tl_person *p = person(i);
        if (p->hs_exit_q == TL_NONE)
            continue;
        const tl_wage *w = tl_run(&run.st->wages, p->wage_off);
        int base = (2 * award_of(p) + (p->ps_first_time != 0)) * 8 +
                   ((p->flags & TL_F_ECON) ? A_ECON : 0) +
                   (p->wbl_any ? A_WBL : 0);
        for (uint32_t j = 0; j < p->wage_n; j++) {
            if (w[j].q < p->hs_exit_q + 5 || w[j].cents <= 0)
                continue;
            int32_t county = emp[w[j].employer].county;
            if (county == TL_NONE || cty[county].rural < 0)
                continue;
            int k = base + (cty[county].rural ? A_RURAL : 0);
            c->sum[k] += log((double)w[j].cents / 100.0);
            c->n[k]++;
        }
    }
}

/* exp(d) - 1, d the harmonic-size weighted mean of the within-cell
 * differences of attribute bit `attr` (1 minus 0). */
static double stratified_effect(const earn_cells *c, int attr, long *rows)
{
    double num = 0, den = 0;
    *rows = 0;
    for (int k = 0; k < N_CELL; k++) {
        if (k & attr)
            continue;
        long n0 = c->n[k], n1 = c->n[k | attr];
        if (n0 < 30 || n1 < 30)
            continue;
        double h = 1.0 / (1.0 / (double)n1 + 1.0 / (double)n0);
        num += h * (c->sum[k | attr] / (double)n1 - c->sum[k] / (double)n0);
        den += h;
        *rows += n0 + n1;
    }
    assert_true(den > 0);
    return exp(num / den) - 1;
}

static void test_earnings(void **state)
{
    static earn_cells c;
    static const struct {
        const char *what;
        int attr;
        double doc;
    } eff[] = {
        {"econ. disadvantaged", A_ECON, DOC_ECON},
        {"rural worksite", A_RURAL, DOC_RURAL},
        {"WBL completer", A_WBL, DOC_WBL},
    };
    double got[3];
    (void)state;
    earnings_cells(&c);
    print_message("  earnings from exit quarter + 5, exp(d) - 1:\n");
    for (int i = 0; i < 3; i++) {
        long rows;
        got[i] = stratified_effect(&c, eff[i].attr, &rows);
        print_message("    %-20s %+.4f (documented %+.4f, tolerance %.3f; "
                      "%ld wage rows compared)\n",
                      eff[i].what, got[i], eff[i].doc, DOC_TOL, rows);
    }
    for (int i = 0; i < 3; i++)
        if (fabs(got[i] - eff[i].doc) > DOC_TOL)
            fail_msg("earnings effect, %s: %.4f, documented %.4f (tolerance "
                     "%.4f)",
                     eff[i].what, got[i], eff[i].doc, DOC_TOL);
}

static int usage(void)
{
    fprintf(stderr, "usage: test_planted [LEARNERS SEED | --db DB]\n");
    return 2;
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cte_timeline),
        cmocka_unit_test(test_cte_cube),
        cmocka_unit_test(test_earnings),
    };
    char *end = NULL;
    run.learners = PLANTED_N;
    run.seed = PLANTED_SEED;
    if (argc == 3 && strcmp(argv[1], "--db") == 0) {
        run.db_path = argv[2];
    } else if (argc == 3) {
        run.learners = strtoull(argv[1], &end, 10);
        if (*end != '\0' || run.learners == 0)
            return usage();
        run.seed = strtoull(argv[2], &end, 10);
        if (*end != '\0')
            return usage();
    } else if (argc != 1) {
        return usage();
    }
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
