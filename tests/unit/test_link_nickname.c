/*
 * test_link_nickname.c — nickname equivalence over the real table and
 * over small hand-made files, including bad ones.
 */
#include "testutil.h"

#include <unistd.h>

#include "link/nickname.h"
#include "util/mem.h"

static void test_real_table(void **state)
{
    (void)state;
    link_nicknames *nk = NULL;
    p20w_err err = {0};
    assert_int_equal(
        link_nicknames_load(P20W_DATADIR "/nicknames.csv", &nk, &err),
        P20W_OK);
    assert_true(link_nicknames_count(nk) > 1000);
    assert_true(link_nicknames_equiv(nk, "ROBERT", "BOB"));
    assert_true(link_nicknames_equiv(nk, "BOB", "ROBERT"));
    assert_true(link_nicknames_equiv(nk, "WILLIAM", "BILL"));
    assert_true(link_nicknames_equiv(nk, "BILL", "WILL")); /* via WILLIAM */
    assert_true(link_nicknames_equiv(nk, "ELIZABETH", "BETH"));
    assert_true(link_nicknames_equiv(nk, "MARIA", "MARIA"));
    assert_false(link_nicknames_equiv(nk, "ROBERT", "ELIZABETH"));
    assert_false(link_nicknames_equiv(nk, "ZZYZX", "ROBERT"));
    assert_false(link_nicknames_equiv(nk, "", ""));
    link_nicknames_free(nk);
}

static void test_small_file(void **state)
{
    (void)state;
    const char csv[] = "Formal_Name,NICKNAME\r\n"
                       "robert,bob\nrobert,rob\nrobert,bob\n"
                       "roberta,bobbie\n\"josé\",pepe\n";
    char path[64];
    testutil_write_tmp(path, sizeof path, csv, sizeof csv - 1);
    link_nicknames *nk = NULL;
    p20w_err err = {0};
    assert_int_equal(link_nicknames_load(path, &nk, &err), P20W_OK);
    assert_int_equal(link_nicknames_count(nk), 7);
    assert_true(link_nicknames_equiv(nk, "BOB", "ROB"));
    assert_false(link_nicknames_equiv(nk, "BOB", "BOBBIE"));
    assert_false(link_nicknames_equiv(nk, "ROBERT", "ROBERTA"));
    assert_true(link_nicknames_equiv(nk, "JOSE", "PEPE"));
    link_nicknames_free(nk);

    /* Allocation failures: every one is reported as ENOMEM, nothing leaks. */
    for (long n = 0;; n++) {
        p20w_mem_fail_after(n);
        p20w_status rc = link_nicknames_load(path, &nk, &err);
        int failed = p20w_mem_failed();
        p20w_mem_fail_reset();
        if (!failed) {
            assert_int_equal(rc, P20W_OK);
            link_nicknames_free(nk);
            break;
        }
        assert_int_equal(rc, P20W_ENOMEM);
        assert_null(nk);
    }
    unlink(path);
}

static void test_bad_files(void **state)
{
    (void)state;
    link_nicknames *nk = NULL;
    p20w_err err = {0};
    assert_int_equal(link_nicknames_load("/nonexistent/nick.csv", &nk, &err),
                     P20W_EIO);
    assert_null(nk);

    static const char *const bad[] = {
        "name,nick\nrobert,bob\n",          /* wrong header */
        "formal_name,nickname\nrobert\n",   /* one field */
        "formal_name,nickname\nrob\xff,b\n", /* bad UTF-8 */
        "formal_name,nickname\n\"rob,bob\n", /* unterminated quote */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char path[64];
        testutil_write_tmp(path, sizeof path, bad[i], strlen(bad[i]));
        p20w_err_clear(&err);
        p20w_status rc = link_nicknames_load(path, &nk, &err);
        assert_int_equal(rc, P20W_EFORMAT);
        assert_null(nk);
        assert_true(err.line >= 1);
        unlink(path);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_real_table),
        cmocka_unit_test(test_small_file),
        cmocka_unit_test(test_bad_files),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
