/*
 * test_profile.c — reporting profiles (src/derive/profile.c): the built-in
 * default, the shipped config/profiles.ini, inheritance, every kind of bad
 * line with its line number, JSON, allocation failures.
 */
#include "testutil.h"

#include <jansson.h>
#include <unistd.h>

#include "derive/profile.h"
#include "derive/timeline.h"
#include "util/mem.h"

#define B(c) (1u << (c))

static p20w_status parse(const char *text, p20w_config **cfg, p20w_err *err)
{
    return profile_config_parse(text, strlen(text), "t.ini", cfg, err);
}

static void test_default_values(void **state)
{
    (void)state;
    p20w_profile p;
    profile_default(&p);
    assert_string_equal(p.name, "default");
    assert_int_equal(p.min_quarter_cents, 100);
    assert_int_equal(p.attach_annual_cents, 1508000);
    assert_int_equal(p.attach_quarters, 3);
    assert_int_equal(p.base_year, 0);
    assert_int_equal(p.employed_year_quarters, 1);
    assert_int_equal(p.employed_year_cents, 0);
    assert_int_equal(p.concentrator_courses, 2);
    assert_true(p.ps_concentrator_credits == 12.0);
    assert_int_equal(p.value_wage_cents, 0);
    assert_int_equal(p.nontrad_f,
                     B(TL_CL_AC) | B(TL_CL_MN) | B(TL_CL_TD) | B(TL_CL_ST));
    assert_int_equal(p.nontrad_m, B(TL_CL_ED) | B(TL_CL_HS) | B(TL_CL_HU));
    assert_int_equal(p.min_n, 10);
    assert_true(p.protect_pct == 0.5);
    assert_int_equal(p.min_n_percentile, 30);
    assert_int_equal(p.pool_years, 3);
    assert_int_equal(p.band_count, 5);
    static const long mins[] = {300, 100, 40, 20, 10};
    static const double tops[] = {99, 98, 95, 90, 80};
    for (size_t i = 0; i < 5; i++) {
        assert_int_equal(p.band[i].min_denominator, mins[i]);
        assert_true(p.band[i].top_pct == tops[i]);
        assert_true(p.band[i].bottom_pct == 100 - tops[i]);
    }
    assert_null(p.regions);
    /* without a configuration only default exists */
    p20w_profile q;
    p20w_err err = {0};
    assert_int_equal(profile_config_get(NULL, "default", &q, &err), P20W_OK);
    assert_memory_equal(&p, &q, sizeof p);
    assert_int_equal(profile_config_get(NULL, "two_quarters", &q, &err),
                     P20W_ENOTFOUND);
    assert_int_equal(profile_config_count(NULL), 1);
    assert_string_equal(profile_config_name(NULL, 0), "default");
}

/* The shipped file: default written out equals the built-in one, and the
 * example profile differs in exactly its two keys. */
static void test_shipped_file(void **state)
{
    (void)state;
    p20w_config *cfg = NULL;
    p20w_err err = {0};
    assert_int_equal(profile_config_load("config/profiles.ini", &cfg, &err),
                     P20W_OK);
    assert_int_equal(profile_config_count(cfg), 2);
    assert_string_equal(profile_config_name(cfg, 0), "default");
    assert_string_equal(profile_config_name(cfg, 1), "two_quarters");
    assert_null(profile_config_name(cfg, 2));
    p20w_profile builtin, d, t;
    profile_default(&builtin);
    assert_int_equal(profile_config_get(cfg, "default", &d, &err), P20W_OK);
    assert_memory_equal(&builtin, &d, sizeof d);
    assert_int_equal(profile_config_get(cfg, "two_quarters", &t, &err),
                     P20W_OK);
    assert_string_equal(t.name, "two_quarters");
    assert_int_equal(t.employed_year_quarters, 2);
    assert_int_equal(t.employed_year_cents, 300000);
    t.employed_year_quarters = 1;
    t.employed_year_cents = 0;
    memcpy(t.name, d.name, sizeof t.name);
    assert_memory_equal(&t, &d, sizeof d);
    assert_int_equal(profile_config_get(cfg, "nope", &t, &err), P20W_ENOTFOUND);
    assert_string_equal(err.msg, "unknown profile 'nope' (known: default, "
                                 "two_quarters)");
    profile_config_free(cfg);
}

static void test_every_key(void **state)
{
    (void)state;
    const char *text =
        "\xEF\xBB\xBF; every key, a BOM, CRLF, comments and blank lines\r\n"
        "\n"
        "# hash comment\n"
        "[profile strict]   ; trailing comment\n"
        "min_quarter_wages = 50\n"
        "attach_annual_min = 20000.5\n"
        "attach_quarters = 4\n"
        "base_year = 2023\n"
        "employed_year_quarters = 3\n"
        "employed_year_wages = 1234.56\n"
        "concentrator_courses = 3\n"
        "ps_concentrator_credits = 15.5\n"
        "value_wage = 40000\n"
        "min_n = 20\n"
        "protect_pct = 0.25\n"
        "min_n_percentile = 50\n"
        "pool_years = 5\n"
        "bands = 500:99.5/0.5, 20:90/10\n"
        "[regions]\n"
        "21111 = Louisville area\n"
        "21029 = Louisville area\n"
        "21067 : Bluegrass\n"
        "[nontraditional]\n"
        "F = ST\n"
        "M = none\n";
    p20w_config *cfg = NULL;
    p20w_err err = {0};
    assert_int_equal(parse(text, &cfg, &err), P20W_OK);
    p20w_profile p;
    assert_int_equal(profile_config_get(cfg, "strict", &p, &err), P20W_OK);
    assert_int_equal(p.min_quarter_cents, 5000);
    assert_int_equal(p.attach_annual_cents, 2000050);
    assert_int_equal(p.attach_quarters, 4);
    assert_int_equal(p.base_year, 2023);
    assert_int_equal(p.employed_year_quarters, 3);
    assert_int_equal(p.employed_year_cents, 123456);
    assert_int_equal(p.concentrator_courses, 3);
    assert_true(p.ps_concentrator_credits == 15.5);
    assert_int_equal(p.value_wage_cents, 4000000);
    assert_int_equal(p.min_n, 20);
    assert_true(p.protect_pct == 0.25);
    assert_int_equal(p.min_n_percentile, 50);
    assert_int_equal(p.pool_years, 5);
    assert_int_equal(p.band_count, 2);
    assert_int_equal(p.band[0].min_denominator, 500);
    assert_true(p.band[0].top_pct == 99.5 && p.band[0].bottom_pct == 0.5);
    assert_int_equal(p.band[1].min_denominator, 20);
    assert_int_equal(p.nontrad_f, B(TL_CL_ST));
    assert_int_equal(p.nontrad_m, 0);
    assert_int_equal(p.region_count, 3);
    assert_string_equal(p.regions[0].fips, "21111");
    assert_string_equal(p.regions[0].name, "Louisville area");
    assert_string_equal(p.regions[2].fips, "21067");
    assert_string_equal(p.regions[2].name, "Bluegrass");
    /* the sections are shared: default gets the regions and clusters too */
    p20w_profile d;
    assert_int_equal(profile_config_get(cfg, "default", &d, &err), P20W_OK);
    assert_int_equal(d.min_n, 10);
    assert_int_equal(d.region_count, 3);
    assert_int_equal(d.nontrad_f, B(TL_CL_ST));
    profile_config_free(cfg);
}

/* inherits: a chain a <- b <- c, each overriding one key; a profile
 * without inherits starts from the file's default; an empty section is a
 * profile equal to its parent; inheritance can point forward. */
static void test_inherits_chain(void **state)
{
    (void)state;
    const char *text = "[profile c]\n"
                       "inherits = b\n"
                       "min_n = 30\n"
                       "[profile b]\n"
                       "inherits = a\n"
                       "attach_quarters = 2\n"
                       "[profile a]\n"
                       "attach_quarters = 1\n"
                       "concentrator_courses = 4\n"
                       "[profile default]\n"
                       "concentrator_courses = 3\n"
                       "value_wage = 100\n"
                       "[profile empty]\n";
    p20w_config *cfg = NULL;
    p20w_err err = {0};
    assert_int_equal(parse(text, &cfg, &err), P20W_OK);
    p20w_profile p;
    assert_int_equal(profile_config_get(cfg, "c", &p, &err), P20W_OK);
    assert_string_equal(p.name, "c");
    assert_int_equal(p.min_n, 30);
    assert_int_equal(p.attach_quarters, 2);      /* from b */
    assert_int_equal(p.concentrator_courses, 4); /* from a */
    assert_int_equal(p.value_wage_cents, 10000); /* from default */
    assert_int_equal(p.min_n_percentile, 30);    /* built in */
    assert_int_equal(profile_config_get(cfg, "a", &p, &err), P20W_OK);
    assert_int_equal(p.attach_quarters, 1);
    assert_int_equal(p.value_wage_cents, 10000);
    assert_int_equal(profile_config_get(cfg, "empty", &p, &err), P20W_OK);
    assert_string_equal(p.name, "empty");
    assert_int_equal(p.concentrator_courses, 3);
    assert_int_equal(p.value_wage_cents, 10000);
    assert_int_equal(profile_config_count(cfg), 5);
    assert_string_equal(profile_config_name(cfg, 0), "default");
    assert_string_equal(profile_config_name(cfg, 1), "c");
    profile_config_free(cfg);
}

/* One row per bad file: the status, the line reported and a piece of the
 * message. */
typedef struct bad_case {
    const char *text;
    p20w_status code;
    long line;
    const char *msg;
} bad_case;

static const bad_case bad_cases[] = {
    /* sections */
    {"[profile a]\nmin_n = 10\n[weird]\n", P20W_EFORMAT, 3,
     "unknown section [weird]"},
    {"[profile]\n", P20W_EFORMAT, 1, "[profile NAME]"},
    {"[profile a b]\n", P20W_EFORMAT, 1, "[profile NAME]"},
    {"[profile a.b]\n", P20W_EFORMAT, 1, "[profile NAME]"},
    {"[profile abcdefghijabcdefghijabcdefghijabc]\n", P20W_EFORMAT, 1,
     "[profile NAME]"},
    {"[profile a\nmin_n = 3\n", P20W_EFORMAT, 1, "without ']'"},
    {"[profile a] x\n", P20W_EFORMAT, 1, "text after"},
    {"[profile a]\n[profile a]\n", P20W_EINVAL, 2,
     "profile 'a' given twice (first at line 1)"},
    {"[regions]\n[regions]\n", P20W_EINVAL, 2, "[regions] given twice"},
    {"[nontraditional]\n\n[nontraditional]\n", P20W_EINVAL, 3,
     "[nontraditional] given twice"},
    {"min_n = 3\n", P20W_EFORMAT, 1, "before any section"},
    /* lines */
    {"[profile a]\nmin_n\n", P20W_EFORMAT, 2, "expected 'key = value'"},
    {"[profile a]\n  min_n = 12\n", P20W_EFORMAT, 2, "indented line"},
    {"[profile a]\nmin_n = 12\n  13\n", P20W_EFORMAT, 3, "indented line"},
    {"[profile a]\nmin_n = 1\x01\n", P20W_EFORMAT, 2, "control character"},
    {"[regions]\n21111 = \xa7"
     "A\n",
     P20W_EFORMAT, 2, "not valid UTF-8"},
    /* keys and numbers */
    {"[profile a]\nmin_m = 10\n", P20W_EFORMAT, 2, "unknown key 'min_m'"},
    {"[profile a]\nmin_n = 10\nmin_n = 11\n", P20W_EINVAL, 3,
     "key 'min_n' given twice"},
    {"[profile a]\nmin_n = ten\n", P20W_EFORMAT, 2, "min_n: expected a whole"},
    {"[profile a]\nmin_n = 10x\n", P20W_EFORMAT, 2, "expected a whole"},
    {"[profile a]\nmin_n =\n", P20W_EFORMAT, 2, "expected a whole"},
    {"[profile a]\nmin_n = 0\n", P20W_EINVAL, 2, "min_n: must be 1 to 100000"},
    {"[profile a]\nmin_n = 99999999999999999999\n", P20W_EFORMAT, 2,
     "expected a whole"},
    {"[profile a]\nattach_quarters = 5\n", P20W_EINVAL, 2, "must be 0 to 4"},
    {"[profile a]\nmin_quarter_wages = 0\n", P20W_EINVAL, 2, "must be 0.01 to"},
    {"[profile a]\nmin_quarter_wages = 1.001\n", P20W_EFORMAT, 2,
     "expected dollars"},
    {"[profile a]\nmin_quarter_wages = $1\n", P20W_EFORMAT, 2,
     "expected dollars"},
    {"[profile a]\nattach_annual_min = 15,080\n", P20W_EFORMAT, 2,
     "expected dollars"},
    {"[profile a]\nattach_annual_min = -1\n", P20W_EFORMAT, 2,
     "expected dollars"},
    {"[profile a]\nbase_year = 1800\n", P20W_EINVAL, 2, "or 'none'"},
    {"[profile a]\nbase_year = nominal\n", P20W_EFORMAT, 2, "or 'none'"},
    {"[profile a]\nprotect_pct = 1.5\n", P20W_EINVAL, 2, "must be 0 to 1"},
    {"[profile a]\nprotect_pct = 5e-1\n", P20W_EFORMAT, 2, "expected a number"},
    {"[profile a]\nprotect_pct = nan\n", P20W_EFORMAT, 2, "expected a number"},
    {"[profile a]\nps_concentrator_credits = 0\n", P20W_EINVAL, 2,
     "must be 0.5 to 200"},
    {"[profile a]\npool_years = 1\n", P20W_EINVAL, 2, "must be 2 to 10"},
    {"[profile a]\nbands = 300:99\n", P20W_EFORMAT, 2, "not MIN_N:TOP/BOTTOM"},
    {"[profile a]\nbands = 300:99/1,\n", P20W_EFORMAT, 2, "expected MIN_N"},
    {"[profile a]\nbands = 10:90/10, 20:80/20\n", P20W_EINVAL, 2,
     "must decrease"},
    {"[profile a]\nbands = 300:100/0\n", P20W_EINVAL, 2, "0.1 <= BOTTOM"},
    {"[profile a]\nbands = 300:40/60\n", P20W_EINVAL, 2, "0.1 <= BOTTOM"},
    {"[profile a]\nbands = 9:1/0.5,8:1/0.5,7:1/0.5,6:1/0.5,5:1/0.5,4:1/0.5,"
     "3:1/0.5,2:1/0.5,1:1/0.5\n",
     P20W_EINVAL, 2, "at most 8 bands"},
    /* inheritance */
    {"[profile default]\ninherits = a\n[profile a]\n", P20W_EINVAL, 2,
     "'default' cannot inherit"},
    {"[profile a]\ninherits = b\n", P20W_EINVAL, 2,
     "profile 'a' inherits from unknown profile 'b'"},
    {"[profile a]\ninherits = a\n", P20W_EINVAL, 2,
     "profile 'a' inherits from itself"},
    {"[profile a]\ninherits = b\n[profile b]\ninherits = c\n"
     "[profile c]\ninherits = a\n",
     P20W_EINVAL, 2, "inherits from itself"},
    {"[profile a]\ninherits = b\ninherits = b\n[profile b]\n", P20W_EINVAL, 3,
     "'inherits' given twice"},
    {"[profile a]\ninherits = b c\n", P20W_EFORMAT, 2, "expected a profile"},
    /* cross-field checks, at the profile's header */
    {"[profile a]\nmin_n = 5\n", P20W_EINVAL, 1, "last band"},
    {"\n[profile a]\nmin_n = 40\nbands = 40:95/5\nmin_n_percentile = 30\n",
     P20W_EINVAL, 2, "min_n_percentile (30) must be >= min_n (40)"},
    {"[profile a]\n[profile b]\ninherits = a\n[profile a2]\n"
     "[profile default]\nmin_n = 5\n",
     P20W_EINVAL, 5, "profile 'default': the last band"},
    /* regions */
    {"[regions]\n2111 = A\n", P20W_EFORMAT, 2, "5-digit FIPS"},
    {"[regions]\n2111x = A\n", P20W_EFORMAT, 2, "5-digit FIPS"},
    {"[regions]\n21111 =\n", P20W_EINVAL, 2, "1 to 63 characters"},
    {"[regions]\n21111 = A=B\n", P20W_EFORMAT, 2, "may not hold"},
    {"[regions]\n21111 = A;B\n", P20W_EFORMAT, 2, "may not hold"},
    {"[regions]\n21111 = A\n21111 = B\n", P20W_EINVAL, 3,
     "county 21111 given twice"},
    /* nontraditional */
    {"[nontraditional]\nX = AC\n", P20W_EFORMAT, 2, "keys are F and M"},
    {"[nontraditional]\nF = AC, XX\n", P20W_EFORMAT, 2,
     "'XX' is not a career cluster"},
    {"[nontraditional]\nF = AC,,MN\n", P20W_EFORMAT, 2, "'' is not"},
    {"[nontraditional]\nF = AC, AC\n", P20W_EINVAL, 2, "AC listed twice"},
    {"[nontraditional]\nF = AC\nF = MN\n", P20W_EINVAL, 3, "key F given twice"},
};

static void test_bad_lines(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof bad_cases / sizeof bad_cases[0]; i++) {
        const bad_case *b = &bad_cases[i];
        p20w_config *cfg = (p20w_config *)1;
        p20w_err err = {0};
        p20w_status rc = parse(b->text, &cfg, &err);
        if (rc != b->code || err.line != b->line ||
            strstr(err.msg, b->msg) == NULL) {
            print_error("case %zu: rc %d line %ld msg '%s'\n", i, rc, err.line,
                        err.msg);
            fail();
        }
        assert_null(cfg);
        assert_string_equal(err.file, "t.ini");
        char buf[700];
        p20w_err_format(&err, buf, sizeof buf);
        char want[64];
        snprintf(want, sizeof want, "t.ini:%ld: ", b->line);
        assert_memory_equal(buf, want, strlen(want));
    }
}

/* The first error in the file is the one reported, whoever found it. */
static void test_first_error_wins(void **state)
{
    (void)state;
    p20w_config *cfg = NULL;
    p20w_err err = {0};
    assert_int_equal(parse("[profile a]\nnoequals\nmin_n = x\n", &cfg, &err),
                     P20W_EFORMAT);
    assert_int_equal(err.line, 2);
    assert_int_equal(parse("[profile a]\nmin_n = x\nnoequals\n", &cfg, &err),
                     P20W_EFORMAT);
    assert_int_equal(err.line, 2);
    assert_non_null(strstr(err.msg, "min_n"));
}

static void test_long_line(void **state)
{
    (void)state;
    char text[600];
    int n = snprintf(text, sizeof text, "[regions]\n21111 = ");
    memset(text + n, 'x', 400);
    memcpy(text + n + 400, "\n", 2);
    p20w_config *cfg = NULL;
    p20w_err err = {0};
    assert_int_equal(parse(text, &cfg, &err), P20W_ELIMIT);
    assert_int_equal(err.line, 2);
    assert_non_null(strstr(err.msg, "line longer than"));
    /* a NUL byte inside the text is a control character, not an end */
    static const char nul[] = "[profile a]\nmin_n = 1\0 0\n";
    assert_int_equal(
        profile_config_parse(nul, sizeof nul - 1, "t.ini", &cfg, &err),
        P20W_EFORMAT);
    assert_int_equal(err.line, 2);
    /* no final newline, empty text */
    assert_int_equal(parse("[profile a]\nmin_n = 12", &cfg, &err), P20W_OK);
    profile_config_free(cfg);
    assert_int_equal(parse("", &cfg, &err), P20W_OK);
    assert_int_equal(profile_config_count(cfg), 1);
    profile_config_free(cfg);
}

static void test_load_errors(void **state)
{
    (void)state;
    p20w_config *cfg = NULL;
    p20w_err err = {0};
    assert_int_equal(profile_config_load("/nonexistent/p.ini", &cfg, &err),
                     P20W_ENOTFOUND);
    assert_string_equal(err.file, "/nonexistent/p.ini");
    assert_null(cfg);
    assert_int_equal(profile_config_load("/", &cfg, &err), P20W_EIO);
    /* a file's errors carry its path */
    char path[64];
    const char bad[] = "[profile a]\nmin_n = -3\n";
    testutil_write_tmp(path, sizeof path, bad, sizeof bad - 1);
    assert_int_equal(profile_config_load(path, &cfg, &err), P20W_EINVAL);
    assert_string_equal(err.file, path);
    assert_int_equal(err.line, 2);
    unlink(path);
}

static void test_json(void **state)
{
    (void)state;
    p20w_config *cfg = NULL;
    p20w_err err = {0};
    assert_int_equal(parse("[profile r]\nbase_year = 2020\n[regions]\n"
                           "21111 = Louisville area\n",
                           &cfg, &err),
                     P20W_OK);
    p20w_profile p;
    assert_int_equal(profile_config_get(cfg, "r", &p, &err), P20W_OK);
    char *s = NULL;
    assert_int_equal(profile_to_json(&p, &s, &err), P20W_OK);
    json_error_t je;
    json_t *o = json_loads(s, 0, &je);
    assert_non_null(o);
    assert_string_equal(json_string_value(json_object_get(o, "name")), "r");
    assert_int_equal(
        json_integer_value(json_object_get(o, "min_quarter_cents")), 100);
    assert_int_equal(
        json_integer_value(json_object_get(o, "attach_annual_cents")), 1508000);
    assert_int_equal(json_integer_value(json_object_get(o, "base_year")), 2020);
    json_t *nt = json_object_get(o, "nontraditional");
    assert_int_equal(json_array_size(json_object_get(nt, "F")), 4);
    assert_string_equal(
        json_string_value(json_array_get(json_object_get(nt, "M"), 0)), "ED");
    json_t *bands = json_object_get(o, "bands");
    assert_int_equal(json_array_size(bands), 5);
    assert_true(json_real_value(json_object_get(json_array_get(bands, 4),
                                                "top_pct")) == 80.0);
    assert_string_equal(json_string_value(json_object_get(
                            json_object_get(o, "regions"), "21111")),
                        "Louisville area");
    json_decref(o);
    p20w_free(s);
    /* the built-in default: nominal dollars, commuting-zone regions */
    profile_default(&p);
    assert_int_equal(profile_to_json(&p, &s, &err), P20W_OK);
    o = json_loads(s, 0, &je);
    assert_true(json_is_null(json_object_get(o, "base_year")));
    assert_string_equal(json_string_value(json_object_get(o, "regions")),
                        "commuting zones");
    json_decref(o);
    p20w_free(s);
    profile_config_free(cfg);
}

static void test_alloc_failures(void **state)
{
    (void)state;
    const char *text = "[profile a]\nmin_n = 12\n[profile b]\ninherits = a\n"
                       "[regions]\n21111 = A\n21112 = B\n";
    int failures = 0;
    for (long k = 0;; k++) {
        p20w_config *cfg = NULL;
        p20w_err err = {0};
        p20w_mem_fail_after(k);
        p20w_status rc = parse(text, &cfg, &err);
        char *s = NULL;
        p20w_profile p;
        if (rc == P20W_OK) {
            assert_int_equal(profile_config_get(cfg, "b", &p, &err), P20W_OK);
            rc = profile_to_json(&p, &s, &err);
        }
        int failed = p20w_mem_failed();
        p20w_mem_fail_reset();
        p20w_free(s);
        profile_config_free(cfg);
        if (!failed) {
            assert_int_equal(rc, P20W_OK);
            break;
        }
        failures++;
        assert_int_equal(rc, P20W_ENOMEM);
    }
    assert_true(failures >= 3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_default_values),
        cmocka_unit_test(test_shipped_file),
        cmocka_unit_test(test_every_key),
        cmocka_unit_test(test_inherits_chain),
        cmocka_unit_test(test_bad_lines),
        cmocka_unit_test(test_first_error_wins),
        cmocka_unit_test(test_long_line),
        cmocka_unit_test(test_load_errors),
        cmocka_unit_test(test_json),
        cmocka_unit_test(test_alloc_failures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
