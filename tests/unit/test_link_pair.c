/*
 * test_link_pair.c — the comparison vector of two records and the blocking
 * passes, on hand-built records.
 */
#include "testutil.h"

#include "link/compare.h"
#include "link/linkInt.h"
#include "link/normalize.h"
#include "link/phonetic.h"
#include "util/date.h"
#include "util/mem.h"

typedef struct fx {
    link_set set;
} fx;

static int setup(void **state)
{
    fx *f = calloc(1, sizeof *f);
    vec_init(&f->set.recs, sizeof(lrec));
    vec_init(&f->set.wage_rows, sizeof(wage_row));
    if (arena_create(0, &f->set.strings) != P20W_OK ||
        hmap_create(&f->set.surname_freq) != P20W_OK)
        return -1;
    p20w_err err = {0};
    if (link_nicknames_load(P20W_DATADIR "/nicknames.csv", &f->set.nick,
                            &err) != P20W_OK)
        return -1;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fx *f = *state;
    link_set_free(&f->set);
    free(f);
    return 0;
}

static const char *norm(link_set *set, const char *s)
{
    char buf[LINK_NAME_MAX];
    assert_int_equal(link_name_norm(s, strlen(s), buf), P20W_OK);
    return arena_strndup(set->strings, buf, strlen(buf));
}

/* A record; dob "" = missing, ssn "" = none. */
static lrec make(link_set *set, link_src src, const char *first,
                 const char *last, const char *dob, char sex, const char *ssn)
{
    lrec r;
    memset(&r, 0, sizeof r);
    r.src = (uint8_t)src;
    r.key = "k";
    r.middle = "";
    r.first = norm(set, first);
    r.last = norm(set, last);
    char sq[LINK_NAME_MAX], ny[LINK_NYSIIS_MAX];
    link_name_squash(r.last, sq);
    r.last_sq = arena_strndup(set->strings, sq, strlen(sq));
    link_nysiis(sq, ny);
    r.last_ny = ny[0] ? hmap_hash(ny, strlen(ny)) : 0;
    link_nysiis(r.first, ny);
    r.first_ny = ny[0] ? hmap_hash(ny, strlen(ny)) : 0;
    r.first_initial_only = strlen(r.first) == 1;
    r.dob = DOB_MISSING;
    if (dob[0])
        assert_int_equal(date_parse(dob, strlen(dob), &r.dob), P20W_OK);
    r.sex = sex;
    snprintf(r.ssn, sizeof r.ssn, "%s", ssn);
    return r;
}

/* Level indexes as pair.c numbers them (linkInt.h lists them). */
enum {
    FIRST_DIFF = 0,
    FIRST_INITIAL = 1,
    FIRST_NICK = 4,
    FIRST_JW92 = 5,
    FIRST_EXACT = 6
};
enum { LAST_DIFF = 0, LAST_PART = 3, LAST_EXACT = 5 };

static void test_levels(void **state)
{
    fx *f = *state;
    link_set *s = &f->set;
    int lv[F_COUNT];
    lrec a = make(s, SRC_K12, "José", "Muñoz-García", "2004-03-07", 'M', "");
    lrec b = make(s, SRC_PS, "JOSE", "munoz garcia", "2004-03-07", 'M', "");
    link_compare(s, &a, &b, lv);
    assert_int_equal(lv[F_FIRST], FIRST_EXACT);
    assert_int_equal(lv[F_LAST], LAST_EXACT);
    assert_int_equal(lv[F_DOB], LINK_DOB_EXACT);
    assert_int_equal(lv[F_SEX], 1);
    assert_int_equal(lv[F_SSN], LINK_MISSING); /* neutral, not a disagreement */
    assert_int_equal(lv[F_ZIP], LINK_MISSING);

    /* a hyphenated surname with a part dropped; day and month swapped */
    lrec c = make(s, SRC_PS, "Jose", "Garcia", "2004-07-03", 'M', "");
    link_compare(s, &a, &c, lv);
    assert_int_equal(lv[F_LAST], LAST_PART);
    assert_int_equal(lv[F_DOB], LINK_DOB_DM_SWAP);

    /* a nickname; one digit of the birth date */
    lrec d = make(s, SRC_K12, "Robert", "Smith", "2001-05-14", 'M', "");
    lrec e = make(s, SRC_DMV, "Bob", "Smith", "2001-05-15", 'M', "123456789");
    link_compare(s, &d, &e, lv);
    assert_int_equal(lv[F_FIRST], FIRST_NICK);
    assert_int_equal(lv[F_DOB], LINK_DOB_ONE_DIGIT);

    /* a wage record with an initial only, an SSN with two digits swapped */
    lrec w = make(s, SRC_UI, "B", "Smith", "", 0, "123456798");
    link_compare(s, &e, &w, lv);
    assert_int_equal(lv[F_FIRST], FIRST_INITIAL);
    assert_int_equal(lv[F_SSN], LINK_SSN_TRANSPOSED);
    assert_int_equal(lv[F_DOB], LINK_MISSING);
    lrec w2 = make(s, SRC_UI, "K", "Smith", "", 0, "123456789");
    link_compare(s, &e, &w2, lv);
    assert_int_equal(lv[F_FIRST], FIRST_DIFF);
    assert_int_equal(lv[F_SSN], LINK_SSN_EXACT);

    /* first and last names swapped in one record */
    lrec g = make(s, SRC_K12, "Nguyen", "Linh", "2003-01-02", 'F', "");
    lrec h = make(s, SRC_PS, "Linh", "Nguyen", "2003-01-02", 'F', "");
    link_compare(s, &g, &h, lv);
    assert_int_equal(lv[F_FIRST], FIRST_EXACT);
    assert_int_equal(lv[F_LAST], LAST_EXACT);

    /* different people */
    lrec x = make(s, SRC_PS, "Zelda", "Oyelaran", "1990-11-30", 'F', "");
    link_compare(s, &a, &x, lv);
    assert_int_equal(lv[F_FIRST], FIRST_DIFF);
    assert_int_equal(lv[F_LAST], LAST_DIFF);
    assert_int_equal(lv[F_DOB], LINK_DOB_DIFF);
    assert_int_equal(lv[F_SEX], 0);
}

static int has_pair(const vec *pairs, uint32_t a, uint32_t b)
{
    const lpair *p = pairs->data;
    for (size_t i = 0; i < pairs->len; i++)
        if (p[i].a == a && p[i].b == b)
            return 1;
    return 0;
}

static void test_blocking(void **state)
{
    fx *f = *state;
    link_set *s = &f->set;
    /* K-12: 0..2; postsecondary: 3..6 */
    lrec recs[] = {
        make(s, SRC_K12, "Ana", "Lopez", "2004-03-07", 'F', ""),
        make(s, SRC_K12, "Grace", "Pryor-Miller", "2001-02-06", 'F', ""),
        make(s, SRC_K12, "Omar", "Haddad", "2002-10-10", 'M', ""),
        make(s, SRC_PS, "Ana", "Lopes", "2004-03-07", 'F', ""),
        /* surname part dropped and day/month swapped: only the given-name
         * and birth-year pass can find it */
        make(s, SRC_PS, "Grace", "Miller", "2001-06-02", 'F', ""),
        make(s, SRC_PS, "Bea", "Stone", "1999-01-01", 'F', ""),
        make(s, SRC_PS, "Omar", "Haddad", "2012-10-10", 'M', ""),
    };
    for (size_t i = 0; i < sizeof recs / sizeof recs[0]; i++)
        assert_int_equal(vec_push(&s->recs, &recs[i]), P20W_OK);
    s->first_of[SRC_K12] = 0;
    s->count_of[SRC_K12] = 3;
    s->first_of[SRC_PS] = 3;
    s->count_of[SRC_PS] = 4;
    vec pairs;
    vec_init(&pairs, sizeof(lpair));
    block_stats st[LINK_MAX_PASSES];
    int np = 0;
    p20w_err err = {0};
    assert_int_equal(link_block(s, SRC_K12, SRC_PS, &pairs, st, &np, &err),
                     P20W_OK);
    assert_true(np >= 5);
    assert_true(has_pair(&pairs, 0, 3));
    assert_true(has_pair(&pairs, 1, 4));
    assert_true(has_pair(&pairs, 2, 6)); /* year typo: given name + month/day */
    assert_false(has_pair(&pairs, 0, 5));
    assert_false(has_pair(&pairs, 1, 5));
    /* the union has no repeats although several passes found 0-3 */
    uint64_t emitted = 0;
    for (int p = 0; p < np; p++)
        emitted += st[p].pairs;
    assert_true(emitted > pairs.len);
    const lpair *v = pairs.data;
    for (size_t i = 1; i < pairs.len; i++)
        assert_true(v[i - 1].a < v[i].a ||
                    (v[i - 1].a == v[i].a && v[i - 1].b < v[i].b));
    vec_free(&pairs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_levels, setup, teardown),
        cmocka_unit_test_setup_teardown(test_blocking, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
