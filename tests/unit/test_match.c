/*
 * test_match.c — link/match.h: the column map, birth-date formats,
 * warnings that name the place and never the value, and allocation
 * failure over a whole run.
 */
#include "testutil.h"

#include <unistd.h>

#include "link/match.h"
#include "util/date.h"
#include "util/mem.h"

typedef struct date_case {
    const char *in;
    match_date_fmt fmt;
    int y, m, d; /* y == 0: must fail */
} date_case;

static void test_date_formats(void **state)
{
    (void)state;
    static const date_case cases[] = {
        {"2001-03-14", MATCH_DATE_ISO, 2001, 3, 14},
        {"2001-3-14", MATCH_DATE_ISO, 0, 0, 0},
        {"2001-02-29", MATCH_DATE_ISO, 0, 0, 0},
        {"2000-02-29", MATCH_DATE_ISO, 2000, 2, 29},
        {"03/14/2001", MATCH_DATE_MDY, 2001, 3, 14},
        {"3/14/2001", MATCH_DATE_MDY, 0, 0, 0},
        {"14/03/2001", MATCH_DATE_MDY, 0, 0, 0},
        {"14/03/2001", MATCH_DATE_DMY, 2001, 3, 14},
        {"03/14/2001", MATCH_DATE_DMY, 0, 0, 0},
        {"20010314", MATCH_DATE_COMPACT, 2001, 3, 14},
        {"2001031", MATCH_DATE_COMPACT, 0, 0, 0},
        {"200103141", MATCH_DATE_COMPACT, 0, 0, 0},
        {"3/4/2001", MATCH_DATE_MDY_LOOSE, 2001, 3, 4},
        {"03/04/2001", MATCH_DATE_MDY_LOOSE, 2001, 3, 4},
        {"3/4/01", MATCH_DATE_MDY_LOOSE, 0, 0, 0},
        {"13/45/2002", MATCH_DATE_MDY_LOOSE, 0, 0, 0},
        {"", MATCH_DATE_ISO, 0, 0, 0},
        {"2001-03-14 ", MATCH_DATE_ISO, 0, 0, 0},
        {"1066-10-14", MATCH_DATE_ISO, 0, 0, 0}, /* outside date.h years */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const date_case *c = &cases[i];
        int32_t days = 0;
        p20w_status rc = match_date_parse(c->in, strlen(c->in), c->fmt, &days);
        if (c->y == 0) {
            if (rc != P20W_EFORMAT)
                fail_msg("'%s' (format %d) should fail", c->in, c->fmt);
            continue;
        }
        if (rc != P20W_OK || days != date_from_ymd(c->y, c->m, c->d))
            fail_msg("'%s' (format %d) misread", c->in, c->fmt);
    }
}

static void test_map_parse(void **state)
{
    (void)state;
    match_map m = {0};
    p20w_err err = {0};
    assert_int_equal(match_map_parse(&m,
                                     "Given=first_name,DOB (MM/DD/YYYY)="
                                     "birth_date:M/D/YYYY,a=b=ssn",
                                     &err),
                     P20W_OK);
    assert_string_equal(m.col[MATCH_FIRST], "Given");
    assert_string_equal(m.col[MATCH_DOB], "DOB (MM/DD/YYYY)");
    assert_int_equal(m.date_fmt, MATCH_DATE_MDY_LOOSE);
    assert_string_equal(m.col[MATCH_SSN], "a=b"); /* the last '=' splits */
    assert_null(m.col[MATCH_LAST]);
    /* repeatable: later --map options add fields */
    assert_int_equal(match_map_parse(&m, "home=address", &err), P20W_OK);
    assert_string_equal(m.col[MATCH_ADDRESS], "home");
    static const char *const bad[] = {
        "x=given",         "x",
        "=first_name",     "x=first_name:MM/DD/YYYY",
        "x=birth_date:",   "x=ssn", /* mapped twice */
        "x=birth_date:YY", "x=last_name,",
        "x=sex:F",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        match_map t = {0};
        if (strcmp(bad[i], "x=ssn") == 0) {
            assert_int_equal(match_map_parse(&t, "y=ssn", &err), P20W_OK);
        }
        p20w_status rc = match_map_parse(&t, bad[i], &err);
        if (rc != P20W_EUSAGE)
            fail_msg("'%s' should be a usage error", bad[i]);
        match_map_free(&t);
    }
    match_map_free(&m);
    match_map_free(&m); /* twice is harmless */
}

static const char file_a[] = "Given,Surname,DOB,Gender,SSN,id\n"
                             "Ada,Lovelace,12/10/1995,F,123-45-6789,1\n"
                             "Grace,Hopper,19/12/1996,female,000-12-3456,2\n"
                             "Alan,Turing,06/23/1992,Q,12345,3\n";
static const char file_b[] = "fn,ln,birth,sex,id\n"
                             "Ada,Lovelace,1995-12-10,F,1\n"
                             "Alan,Turing,1992-06-23,M,3\n"
                             "Grace,Hopper,1996-12-09,F,2\n";

static void maps(match_map *a, match_map *b)
{
    p20w_err err = {0};
    assert_int_equal(match_map_parse(a,
                                     "Given=first_name,Surname=last_name,DOB="
                                     "birth_date:MM/DD/YYYY,Gender=sex,SSN=ssn",
                                     &err),
                     P20W_OK);
    assert_int_equal(
        match_map_parse(
            b, "fn=first_name,ln=last_name,birth=birth_date,sex=sex", &err),
        P20W_OK);
}

static void test_warnings_name_no_value(void **state)
{
    (void)state;
    char pa[64], pb[64];
    testutil_write_tmp(pa, sizeof pa, file_a, sizeof file_a - 1);
    testutil_write_tmp(pb, sizeof pb, file_b, sizeof file_b - 1);
    match_map a = {0}, b = {0};
    maps(&a, &b);
    char *buf = NULL;
    size_t len = 0;
    FILE *w = open_memstream(&buf, &len);
    assert_non_null(w);
    match_options o = {P20W_DATADIR, &a, &b, "id", 1, 0, w};
    match_result *r = NULL;
    p20w_err err = {0};
    assert_int_equal(match_run(pa, pb, &o, &r, &err), P20W_OK);
    fclose(w);
    /* line 3: the date (col 3) and the SSN's area 000 (col 5); line 4: sex
     * (col 4) and an SSN of 5 digits (col 5) */
    char want[4][128];
    snprintf(want[0], sizeof want[0], "%s:3:3: warning: birth_date", pa);
    snprintf(want[1], sizeof want[1], "%s:3:5: warning: ssn is not a valid",
             pa);
    snprintf(want[2], sizeof want[2], "%s:4:4: warning: sex", pa);
    snprintf(want[3], sizeof want[3], "%s:4:5: warning: ssn is not 9", pa);
    for (int i = 0; i < 4; i++)
        if (strstr(buf, want[i]) == NULL)
            fail_msg("no '%s' in:\n%s", want[i], buf);
    static const char *const values[] = {"19/12/1996", "000-12-3456", "Q,",
                                         "12345",      "Hopper",      "Turing"};
    for (size_t i = 0; i < sizeof values / sizeof values[0]; i++)
        if (strstr(buf, values[i]) != NULL)
            fail_msg("value '%s' leaked into:\n%s", values[i], buf);
    double p, rc, f1;
    assert_true(match_quality(r, &p, &rc, &f1));
    assert_true(p >= 0 && p <= 1 && rc >= 0 && rc <= 1);
    free(buf);
    match_result_free(r);
    match_map_free(&a);
    match_map_free(&b);
    unlink(pa);
    unlink(pb);
}

/* Every allocation of a run fails in turn: an error, never a crash or a
 * leak (ASan checks the leaks). */
static void test_alloc_failure(void **state)
{
    (void)state;
    char pa[64], pb[64];
    testutil_write_tmp(pa, sizeof pa, file_a, sizeof file_a - 1);
    testutil_write_tmp(pb, sizeof pb, file_b, sizeof file_b - 1);
    match_map a = {0}, b = {0};
    maps(&a, &b);
    match_options o = {P20W_DATADIR, &a, &b, "id", 1, 0, NULL};
    long n;
    int failed = 0;
    for (n = 0; n < 100000; n += n < 400 ? 1 : 13) {
        match_result *r = NULL;
        p20w_err err = {0};
        p20w_mem_fail_after(n);
        p20w_status rc = match_run(pa, pb, &o, &r, &err);
        if (rc == P20W_OK) {
            FILE *devnull = fopen("/dev/null", "w");
            assert_non_null(devnull);
            rc = match_write_pairs(r, devnull, &err);
            if (rc == P20W_OK)
                rc = match_write_summary(r, "json", devnull, &err);
            fclose(devnull);
        }
        int hit = p20w_mem_failed();
        p20w_mem_fail_reset();
        match_result_free(r);
        if (!hit) {
            assert_int_equal(rc, P20W_OK);
            break;
        }
        failed++;
        if (rc != P20W_OK)
            assert_int_equal(rc, P20W_ENOMEM);
    }
    assert_true(failed > 10);
    assert_true(n < 100000);
    match_map_free(&a);
    match_map_free(&b);
    unlink(pa);
    unlink(pb);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_date_formats),
        cmocka_unit_test(test_map_parse),
        cmocka_unit_test(test_warnings_name_no_value),
        cmocka_unit_test(test_alloc_failure),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
