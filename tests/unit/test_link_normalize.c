/*
 * test_link_normalize.c — name/SSN normalisation, comparators, NYSIIS.
 */
#include "testutil.h"

#include "link/compare.h"
#include "link/normalize.h"
#include "link/phonetic.h"
#include "util/date.h"

static void norm_is(const char *in, const char *want)
{
    char out[LINK_NAME_MAX];
    assert_int_equal(link_name_norm(in, strlen(in), out), P20W_OK);
    if (strcmp(out, want) != 0)
        fail_msg("norm(\"%s\") = \"%s\", want \"%s\"", in, out, want);
}

static void test_name_norm(void **state)
{
    (void)state;
    norm_is("José", "JOSE");
    norm_is("Muñoz", "MUNOZ");
    norm_is("MUNOZ", "MUNOZ");
    norm_is("O'Brien", "OBRIEN");
    norm_is("O\xe2\x80\x99" "Brien", "OBRIEN"); /* right single quote */
    norm_is("Smith-Jones", "SMITH JONES");
    norm_is("  mary   ann ", "MARY ANN");
    norm_is("John Smith Jr.", "JOHN SMITH");
    norm_is("Smith III", "SMITH");
    norm_is("Jr", "JR");          /* a lone word is never dropped */
    norm_is("Łukasz", "LUKASZ");
    norm_is("Straße", "STRASSE");
    norm_is("Øyvind", "OYVIND");
    norm_is("Ævar", "AEVAR");
    norm_is("\xef\xbc\xa1\xef\xbc\xa2\xef\xbc\xa3", "ABC"); /* full width */
    norm_is("Nguyễn", "NGUYEN");
    norm_is("de la Cruz", "DE LA CRUZ");
    norm_is("St. John", "ST JOHN");
    norm_is("R2-D2", "R D");
    norm_is("", "");
    norm_is("123 456", "");
    norm_is("Ana\tMaría", "ANA MARIA");
}

static void test_name_norm_bad_utf8(void **state)
{
    (void)state;
    char out[LINK_NAME_MAX];
    assert_int_equal(link_name_norm("ab\xff", 3, out), P20W_EFORMAT);
    assert_int_equal(link_name_norm("\xc3", 1, out), P20W_EFORMAT);
    assert_int_equal(link_name_norm("\xed\xa0\x80", 3, out), P20W_EFORMAT);
}

static void test_name_norm_long(void **state)
{
    (void)state;
    char in[1000], out[LINK_NAME_MAX];
    size_t n = 0;
    while (n + 6 < sizeof in) {
        memcpy(in + n, "ABCDE ", 6);
        n += 6;
    }
    assert_int_equal(link_name_norm(in, n, out), P20W_OK);
    size_t len = strlen(out);
    assert_true(len < LINK_NAME_MAX);
    assert_true(len > LINK_NAME_MAX - 8);
    /* Cut at a word boundary: ends with a whole word. */
    assert_int_equal(memcmp(out + len - 5, "ABCDE", 5), 0);
    assert_int_equal(len % 6, 5);
}

static void test_squash_parts(void **state)
{
    (void)state;
    char out[LINK_NAME_MAX];
    link_name_squash("DE LA CRUZ", out);
    assert_string_equal(out, "DELACRUZ");
    const char *part[2];
    size_t plen[2];
    assert_int_equal(link_name_parts("SMITH JONES LEE", part, plen, 2), 3);
    assert_int_equal(plen[0], 5);
    assert_memory_equal(part[1], "JONES", 5);
    assert_int_equal(link_name_parts("", part, plen, 2), 0);
}

static void test_ssn(void **state)
{
    (void)state;
    char d[10];
    assert_int_equal(link_ssn_digits("123-45-6789", 11, d), 1);
    assert_string_equal(d, "123456789");
    assert_int_equal(link_ssn_digits("123 45 6789", 11, d), 1);
    assert_int_equal(link_ssn_digits("12345678", 8, d), 0);
    assert_string_equal(d, "");
    assert_int_equal(link_ssn_digits("1234567890", 10, d), 0);
    assert_int_equal(link_ssn_digits("12a456789", 9, d), 0);
    assert_int_equal(link_ssn_valid("123456789"), 1);
    assert_int_equal(link_ssn_valid("000456789"), 0);
    assert_int_equal(link_ssn_valid("666456789"), 0);
    assert_int_equal(link_ssn_valid("900456789"), 0);
    assert_int_equal(link_ssn_valid("123006789"), 0);
    assert_int_equal(link_ssn_valid("123450000"), 0);
    assert_int_equal(link_ssn_valid("12345678"), 0);
}

static void jw_is(const char *a, const char *b, double want)
{
    double got = link_jaro_winkler(a, strlen(a), b, strlen(b));
    if (got < want - 0.001 || got > want + 0.001)
        fail_msg("jw(%s,%s) = %.4f, want %.4f", a, b, got, want);
    double rev = link_jaro_winkler(b, strlen(b), a, strlen(a));
    assert_true(rev > got - 1e-9 && rev < got + 1e-9);
}

static void test_jaro_winkler(void **state)
{
    (void)state;
    /* Winkler's published examples. */
    jw_is("MARTHA", "MARHTA", 0.9611);
    jw_is("DWAYNE", "DUANE", 0.8400);
    jw_is("DIXON", "DICKSONX", 0.8133);
    jw_is("ABC", "ABC", 1.0);
    jw_is("ABC", "XYZ", 0.0);
    jw_is("", "", 1.0);
    jw_is("A", "", 0.0);
    assert_int_equal(link_cmp_name_jw("SMITH", "SMITH"), LINK_NAME_EXACT);
    assert_int_equal(link_cmp_name_jw("MARTHA", "MARHTA"), LINK_NAME_JW92);
    assert_int_equal(link_cmp_name_jw("DWAYNE", "DUANE"), LINK_NAME_JW70);
    assert_int_equal(link_cmp_name_jw("ABC", "XYZ"), LINK_NAME_DIFF);
    assert_int_equal(link_cmp_name_jw("", "XYZ"), LINK_MISSING);
    assert_int_equal(link_cmp_name_jw(NULL, "XYZ"), LINK_MISSING);
}

static void test_cmp_ssn(void **state)
{
    (void)state;
    assert_int_equal(link_cmp_ssn("123456789", "123456789"), LINK_SSN_EXACT);
    assert_int_equal(link_cmp_ssn("123456789", "123456780"), LINK_SSN_ONE_SUB);
    assert_int_equal(link_cmp_ssn("123456789", "213456789"),
                     LINK_SSN_TRANSPOSED);
    assert_int_equal(link_cmp_ssn("123456789", "123456798"),
                     LINK_SSN_TRANSPOSED);
    assert_int_equal(link_cmp_ssn("123456789", "133456780"), LINK_SSN_DIFF);
    assert_int_equal(link_cmp_ssn("123456789", "321456789"), LINK_SSN_DIFF);
    assert_int_equal(link_cmp_ssn("123456789", ""), LINK_MISSING);
    assert_int_equal(link_cmp_ssn(NULL, "123456789"), LINK_MISSING);
}

static void test_cmp_dob(void **state)
{
    (void)state;
    int32_t a = date_from_ymd(2004, 3, 7);
    assert_int_equal(link_cmp_dob(a, a), LINK_DOB_EXACT);
    assert_int_equal(link_cmp_dob(a, date_from_ymd(2004, 7, 3)),
                     LINK_DOB_DM_SWAP);
    assert_int_equal(link_cmp_dob(a, date_from_ymd(2004, 3, 8)),
                     LINK_DOB_ONE_DIGIT);
    assert_int_equal(link_cmp_dob(a, date_from_ymd(2005, 3, 7)),
                     LINK_DOB_ONE_DIGIT);
    assert_int_equal(link_cmp_dob(a, date_from_ymd(2004, 5, 20)),
                     LINK_DOB_WITHIN_YEAR);
    assert_int_equal(link_cmp_dob(a, date_from_ymd(1999, 12, 30)),
                     LINK_DOB_DIFF);
    assert_int_equal(link_cmp_dob(a, INT32_MIN), LINK_MISSING);
}

static void nysiis_is(const char *in, const char *want)
{
    char out[LINK_NYSIIS_MAX];
    link_nysiis(in, out);
    if (strcmp(out, want) != 0)
        fail_msg("nysiis(%s) = %s, want %s", in, out, want);
}

static void test_nysiis(void **state)
{
    (void)state;
    /* Worked by hand from the rules in phonetic.c. */
    nysiis_is("BROWN", "BRAN");
    nysiis_is("JOHNSON", "JANSAN");
    nysiis_is("JONSON", "JANSAN");
    nysiis_is("KNIGHT", "NAGT");
    nysiis_is("NIGHT", "NAGT");
    nysiis_is("MACDONALD", "MCDANALD");
    nysiis_is("SMITH", "SNAT");
    nysiis_is("PHILLIPS", "FALAP");
    nysiis_is("SCHMIDT", "SNAD"); /* SSSMIDT, then DT → D */
    nysiis_is("LEE", "LY");
    nysiis_is("DE LA CRUZ", "DALACR"); /* DALACRAS: S, then A dropped */
    nysiis_is("A", "A");
    nysiis_is("", "");
    nysiis_is("123", "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_name_norm),
        cmocka_unit_test(test_name_norm_bad_utf8),
        cmocka_unit_test(test_name_norm_long),
        cmocka_unit_test(test_squash_parts),
        cmocka_unit_test(test_ssn),
        cmocka_unit_test(test_jaro_winkler),
        cmocka_unit_test(test_cmp_ssn),
        cmocka_unit_test(test_cmp_dob),
        cmocka_unit_test(test_nysiis),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
