/*
 * test_link_fs.c — Fellegi–Sunter EM recovers the parameters of data drawn
 * from a known model, and its precision threshold holds on that data.
 */
#include "testutil.h"

#include <math.h>

#include "link/compare.h"
#include "link/fs.h"
#include "util/mem.h"

static uint64_t rng_state;

static double uniform(void)
{
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    z ^= z >> 31;
    return (double)(z >> 11) / 9007199254740992.0;
}

static int draw(const double *p, int n)
{
    double r = uniform(), acc = 0;
    for (int l = 0; l < n; l++) {
        acc += p[l];
        if (r < acc)
            return l;
    }
    return n - 1;
}

#define NF 4
#define NL 3
static const int levels[NF] = {NL, NL, NL, NL};
static const double true_p = 0.05;
static const double true_m[NF][NL] = {
    {0.05, 0.15, 0.80}, {0.10, 0.10, 0.80}, {0.02, 0.08, 0.90}, {0.20, 0.20, 0.60}};
static const double true_u[NF][NL] = {
    {0.85, 0.10, 0.05}, {0.90, 0.07, 0.03}, {0.70, 0.20, 0.10}, {0.60, 0.30, 0.10}};

typedef struct sim {
    int lv[NF];
    int match;
} sim;

static sim *simulate(size_t n)
{
    sim *s = malloc(n * sizeof *s);
    assert_non_null(s);
    rng_state = 42;
    for (size_t i = 0; i < n; i++) {
        s[i].match = uniform() < true_p;
        for (int k = 0; k < NF; k++) {
            s[i].lv[k] = draw(s[i].match ? true_m[k] : true_u[k], NL);
            if (k == 3 && uniform() < 0.1)
                s[i].lv[k] = LINK_MISSING; /* missing at random */
        }
    }
    return s;
}

static void test_em_recovers_parameters(void **state)
{
    (void)state;
    size_t n = 200000;
    sim *s = simulate(n);
    fs_model *m = NULL;
    assert_int_equal(fs_create(NF, levels, &m), P20W_OK);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(fs_add(m, s[i].lv, 1), P20W_OK);
    assert_int_equal(fs_pair_count(m), n);
    assert_true(fs_pattern_count(m) <= 4 * 3 * 3 * 3);
    assert_int_equal(fs_fit(m, 500, 1e-10), P20W_OK);
    assert_true(fabs(fs_match_share(m) - true_p) < 0.01);
    for (int k = 0; k < NF; k++)
        for (int l = 0; l < NL; l++) {
            if (fabs(fs_m(m, k, l) - true_m[k][l]) > 0.04)
                fail_msg("m[%d][%d] = %.3f, true %.3f", k, l, fs_m(m, k, l),
                         true_m[k][l]);
            if (fabs(fs_u(m, k, l) - true_u[k][l]) > 0.02)
                fail_msg("u[%d][%d] = %.3f, true %.3f", k, l, fs_u(m, k, l),
                         true_u[k][l]);
        }
    /* Full agreement weighs more than disagreement on every field. */
    for (int k = 0; k < NF; k++)
        assert_true(fs_field_weight(m, k, NL - 1) > 0 &&
                    fs_field_weight(m, k, 0) < 0);
    assert_true(fs_field_weight(m, 3, LINK_MISSING) == 0);

    /* The threshold for 98 % precision gives at least ~97 % true precision
     * on the simulated pairs, and keeps most true matches. */
    double t = fs_threshold_for_precision(m, 0.98);
    assert_true(isfinite(t));
    size_t tp = 0, fp = 0, fn = 0;
    for (size_t i = 0; i < n; i++) {
        int above = fs_weight(m, s[i].lv) >= t;
        tp += above && s[i].match;
        fp += above && !s[i].match;
        fn += !above && s[i].match;
    }
    double precision = (double)tp / (double)(tp + fp);
    double recall = (double)tp / (double)(tp + fn);
    if (precision < 0.97 || recall < 0.5)
        fail_msg("threshold %.2f: precision %.3f recall %.3f", t, precision,
                 recall);
    fs_free(m);
    free(s);
}

static void test_fixed_u(void **state)
{
    (void)state;
    size_t n = 50000;
    sim *s = simulate(n);
    fs_model *m = NULL;
    assert_int_equal(fs_create(NF, levels, &m), P20W_OK);
    for (int k = 0; k < NF; k++)
        assert_int_equal(fs_set_u(m, k, true_u[k]), P20W_OK);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(fs_add(m, s[i].lv, 1), P20W_OK);
    assert_int_equal(fs_fit(m, 200, 1e-9), P20W_OK);
    for (int k = 0; k < NF; k++)
        for (int l = 0; l < NL; l++)
            assert_true(fabs(fs_u(m, k, l) - true_u[k][l]) < 1e-9);
    assert_true(fabs(fs_match_share(m) - true_p) < 0.015);
    fs_free(m);
    free(s);
}

static void test_posterior_and_weights(void **state)
{
    (void)state;
    fs_model *m = NULL;
    assert_int_equal(fs_create(NF, levels, &m), P20W_OK);
    int all[NF] = {2, 2, 2, 2}, none[NF] = {0, 0, 0, 0};
    assert_int_equal(fs_add(m, all, 50), P20W_OK);
    assert_int_equal(fs_add(m, none, 950), P20W_OK);
    assert_int_equal(fs_add(m, all, 50), P20W_OK); /* same pattern again */
    assert_int_equal(fs_pattern_count(m), 2);
    assert_int_equal(fs_pair_count(m), 1050);
    assert_int_equal(fs_fit(m, 100, 1e-9), P20W_OK);
    assert_true(fs_posterior(m, all) > 0.99);
    assert_true(fs_posterior(m, none) < 0.01);
    double w = 0;
    for (int k = 0; k < NF; k++)
        w += fs_field_weight(m, k, all[k]);
    assert_true(fabs(fs_weight(m, all) - w) < 1e-12);
    fs_free(m);
}

static void test_bad_input(void **state)
{
    (void)state;
    fs_model *m = NULL;
    int bad_levels[2] = {1, 3};
    assert_int_equal(fs_create(2, bad_levels, &m), P20W_EINVAL);
    assert_null(m);
    assert_int_equal(fs_create(0, levels, &m), P20W_EINVAL);
    assert_int_equal(fs_create(FS_MAX_FIELDS + 1, levels, &m), P20W_EINVAL);
    assert_int_equal(fs_create(NF, levels, &m), P20W_OK);
    assert_int_equal(fs_fit(m, 10, 1e-9), P20W_EINVAL); /* no pairs */
    int out_of_range[NF] = {0, 3, 0, 0}, negative[NF] = {0, -2, 0, 0};
    assert_int_equal(fs_add(m, out_of_range, 1), P20W_EINVAL);
    assert_int_equal(fs_add(m, negative, 1), P20W_EINVAL);
    assert_int_equal(fs_pair_count(m), 0);
    double u_bad[NL] = {0, 0, 0}, u_nan[NL] = {NAN, 1, 1};
    assert_int_equal(fs_set_u(m, 0, u_bad), P20W_EINVAL);
    assert_int_equal(fs_set_u(m, 0, u_nan), P20W_EINVAL);
    assert_int_equal(fs_set_u(m, NF, true_u[0]), P20W_EINVAL);
    assert_true(isinf(fs_threshold_for_precision(m, 0.9)));
    fs_free(m);
    fs_free(NULL);
}

static void test_alloc_failures(void **state)
{
    (void)state;
    for (long n = 0;; n++) {
        fs_model *m = NULL;
        p20w_mem_fail_after(n);
        p20w_status rc = fs_create(NF, levels, &m);
        for (int i = 0; rc == P20W_OK && i < 40; i++) {
            int lv[NF] = {i % 3, (i / 3) % 3, (i / 9) % 3, i % 2};
            rc = fs_add(m, lv, 1);
        }
        int failed = p20w_mem_failed();
        p20w_mem_fail_reset();
        if (!failed) {
            assert_int_equal(rc, P20W_OK);
            assert_int_equal(fs_pair_count(m), 40);
            fs_free(m);
            break;
        }
        assert_int_equal(rc, P20W_ENOMEM);
        fs_free(m);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_em_recovers_parameters),
        cmocka_unit_test(test_fixed_u),
        cmocka_unit_test(test_posterior_and_weights),
        cmocka_unit_test(test_bad_input),
        cmocka_unit_test(test_alloc_failures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
