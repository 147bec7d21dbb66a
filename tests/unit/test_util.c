/*
 * test_util.c — unit tests of the util core: arena, vec, hmap, sbuf, dates
 * and quarters, error formatting; each allocating module also under an
 * allocation-failure walk (fail the Nth allocation for N = 0, 1, ... until
 * the work succeeds; every failure must be clean and leak nothing).
 */
#include "testutil.h"

#include "util/arena.h"
#include "util/date.h"
#include "util/error.h"
#include "util/hmap.h"
#include "util/mem.h"
#include "util/sbuf.h"
#include "util/vec.h"

/* ---- arena ------------------------------------------------------------ */

static void test_arena(void **state)
{
    (void)state;
    arena *a = NULL;
    assert_int_equal(arena_create(256, &a), P20W_OK);
    assert_int_equal(arena_used(a), 0);
    char *prev = NULL;
    for (int i = 0; i < 1000; i++) {
        size_t n = (size_t)(i % 37) + 1;
        char *p = arena_alloc(a, n);
        assert_non_null(p);
        assert_int_equal((uintptr_t)p % 16, 0);
        memset(p, i & 0xFF, n); /* ASan checks the bytes are ours */
        assert_true(p != prev);
        prev = p;
    }
    arena_reset(a);
    /* An oversized request gets its own block; the head keeps filling. */
    char *small1 = arena_alloc(a, 8);
    char *big = arena_alloc(a, 10000);
    char *small2 = arena_alloc(a, 8);
    assert_non_null(big);
    memset(big, 7, 10000);
    assert_ptr_equal(small2, small1 + 16);
    char *s = arena_strndup(a, "hello world", 5);
    assert_string_equal(s, "hello");
    unsigned char *z = arena_calloc(a, 64);
    for (int i = 0; i < 64; i++)
        assert_int_equal(z[i], 0);
    size_t used = arena_used(a);
    assert_true(used >= 10000 + 16 + 5 + 64);
    /* Sizes that would wrap around, in the rounding or with the block
     * header, fail cleanly. */
    assert_null(arena_alloc(a, SIZE_MAX));
    assert_null(arena_alloc(a, SIZE_MAX - 20));
    assert_int_equal(arena_used(a), used);
    arena_reset(a);
    assert_int_equal(arena_used(a), 0);
    char *again = arena_alloc(a, 100);
    assert_non_null(again);
    memset(again, 1, 100);
    arena_free(a);
    arena_free(NULL);

    assert_int_equal(arena_create(0, &a), P20W_OK); /* default 64 KiB */
    void *p0 = arena_alloc(a, 0);
    assert_non_null(p0);
    char *p1 = arena_alloc(a, 60000);
    char *p2 = arena_alloc(a, 5000);
    assert_non_null(p1);
    assert_non_null(p2);
    assert_true(p2 < p1 || p2 >= p1 + 60000); /* no overlap */
    arena_free(a);
}

static void test_arena_alloc_failure(void **state)
{
    (void)state;
    long n;
    for (n = 0; n < 100; n++) {
        p20w_mem_fail_after(n);
        arena *a = NULL;
        p20w_status rc = arena_create(128, &a);
        int ok = rc == P20W_OK;
        for (int i = 0; ok && i < 20; i++) {
            char *p = arena_alloc(a, 100);
            if (p == NULL)
                ok = 0;
            else
                memset(p, 0, 100);
        }
        if (ok && arena_strndup(a, "x", 1) == NULL)
            ok = 0;
        if (rc != P20W_OK)
            assert_null(a);
        arena_free(a);
        int failed = p20w_mem_failed();
        p20w_mem_fail_reset();
        if (ok) {
            assert_false(failed);
            break;
        }
        assert_true(failed);
    }
    assert_true(n > 5 && n < 100);
}

/* ---- vec -------------------------------------------------------------- */

static void test_vec(void **state)
{
    (void)state;
    vec v;
    vec_init(&v, sizeof(int64_t));
    assert_int_equal(v.len, 0);
    assert_null(v.data);
    for (int64_t i = 0; i < 10000; i++)
        assert_int_equal(vec_push(&v, &i), P20W_OK);
    assert_int_equal(v.len, 10000);
    assert_true(v.cap >= 10000);
    const int64_t *d = v.data;
    for (int64_t i = 0; i < 10000; i++) {
        assert_int_equal(d[i], i);
        assert_int_equal(*(int64_t *)vec_at(&v, (size_t)i), i);
    }
    int64_t *z = vec_push_zero(&v);
    assert_non_null(z);
    assert_int_equal(*z, 0);
    assert_int_equal(v.len, 10001);
    size_t cap = v.cap;
    vec_clear(&v);
    assert_int_equal(v.len, 0);
    assert_int_equal(v.cap, cap);
    assert_int_equal(vec_reserve(&v, 5), P20W_OK);
    assert_int_equal(v.cap, cap); /* no shrink */
    vec_free(&v);
    assert_null(v.data);
    assert_int_equal(v.cap, 0);
    /* Reusable after free. */
    int64_t x = 42;
    assert_int_equal(vec_push(&v, &x), P20W_OK);
    assert_int_equal(*(int64_t *)vec_at(&v, 0), 42);
    /* An impossible size is refused, not wrapped. */
    assert_int_equal(vec_reserve(&v, SIZE_MAX / 2), P20W_ENOMEM);
    assert_int_equal(v.len, 1);
    vec_free(&v);
}

static void test_vec_alloc_failure(void **state)
{
    (void)state;
    long n;
    for (n = 0; n < 100; n++) {
        vec v;
        vec_init(&v, sizeof(int));
        p20w_mem_fail_after(n);
        p20w_status rc = P20W_OK;
        int i;
        for (i = 0; i < 1000 && rc == P20W_OK; i++)
            rc = vec_push(&v, &i);
        p20w_mem_fail_reset();
        if (rc == P20W_OK) {
            vec_free(&v);
            break;
        }
        assert_int_equal(rc, P20W_ENOMEM);
        /* The vector is unchanged by the failed push: still usable. */
        assert_int_equal(v.len, (size_t)i - 1);
        for (size_t k = 0; k < v.len; k++)
            assert_int_equal(*(int *)vec_at(&v, k), (int)k);
        vec_free(&v);
    }
    assert_true(n > 3 && n < 100);
}

/* ---- hmap ------------------------------------------------------------- */

static size_t key_of(char *buf, size_t cap, long i)
{
    return (size_t)snprintf(buf, cap, "key-%ld", i);
}

/* Table capacity, read through the iterator (which ends at cap). */
static size_t hmap_capacity(const hmap *m)
{
    size_t it = 0;
    while (hmap_next(m, &it, NULL, NULL, NULL))
        ;
    return it;
}

static void test_hmap(void **state)
{
    (void)state;
    enum { N = 100000 };
    hmap *m = NULL;
    assert_int_equal(hmap_create(&m), P20W_OK);
    char k[32];
    for (long i = 0; i < N; i++) {
        size_t kl = key_of(k, sizeof k, i);
        assert_int_equal(hmap_put(m, k, kl, (void *)(intptr_t)(i + 1)),
                         P20W_OK);
    }
    assert_int_equal(hmap_count(m), N);
    assert_true(hmap_capacity(m) * 7 >= (size_t)N * 10); /* grew */
    for (long i = 0; i < N; i++) {
        void *v = NULL;
        size_t kl = key_of(k, sizeof k, i);
        assert_true(hmap_get(m, k, kl, &v));
        assert_int_equal((intptr_t)v, i + 1);
    }
    assert_false(hmap_get(m, "key-", 4, NULL));
    assert_false(hmap_get_str(m, "key-100000", NULL));
    /* A key that is a prefix of another, and binary keys with NUL. */
    assert_int_equal(hmap_put(m, "a\0b", 3, (void *)(intptr_t)1), P20W_OK);
    assert_false(hmap_get(m, "a", 1, NULL));
    assert_true(hmap_get(m, "a\0b", 3, NULL));
    assert_true(hmap_del(m, "a\0b", 3));

    /* Replace keeps the count. */
    assert_int_equal(hmap_put_str(m, "key-7", (void *)(intptr_t)999), P20W_OK);
    assert_int_equal(hmap_count(m), N);
    void *v = NULL;
    assert_true(hmap_get_str(m, "key-7", &v));
    assert_int_equal((intptr_t)v, 999);

    /* Delete the even keys. */
    for (long i = 0; i < N; i += 2) {
        size_t kl = key_of(k, sizeof k, i);
        assert_true(hmap_del(m, k, kl));
        assert_false(hmap_del(m, k, kl));
    }
    assert_int_equal(hmap_count(m), N / 2);
    for (long i = 0; i < N; i++) {
        size_t kl = key_of(k, sizeof k, i);
        assert_int_equal(hmap_get(m, k, kl, NULL), i % 2);
    }

    /* Iteration sees every live key exactly once. */
    unsigned char *seen = calloc(N, 1);
    assert_non_null(seen);
    size_t it = 0, count = 0;
    const void *key;
    size_t klen;
    while (hmap_next(m, &it, &key, &klen, &v)) {
        long i = (long)(intptr_t)v - 1;
        if (i == 998) /* key-7 was replaced by 999 */
            i = 7;
        assert_true(i >= 0 && i < N && i % 2 == 1);
        assert_false(seen[i]);
        seen[i] = 1;
        size_t kl = key_of(k, sizeof k, i);
        assert_int_equal(klen, kl);
        assert_memory_equal(key, k, kl);
        count++;
    }
    assert_int_equal(count, N / 2);
    free(seen);
    hmap_free(m);
    hmap_free(NULL);
}

static void test_hmap_tombstones(void **state)
{
    (void)state;
    hmap *m = NULL;
    assert_int_equal(hmap_create(&m), P20W_OK);
    size_t cap0 = hmap_capacity(m);
    char k[32];
    /* Churn: insert and delete many distinct keys, at most 5 alive. The
     * tombstones must be reused or swept, never grow the table. */
    for (long i = 0; i < 50000; i++) {
        size_t kl = key_of(k, sizeof k, i);
        assert_int_equal(hmap_put(m, k, kl, NULL), P20W_OK);
        if (i >= 5) {
            kl = key_of(k, sizeof k, i - 5);
            assert_true(hmap_del(m, k, kl));
        }
    }
    assert_int_equal(hmap_count(m), 5);
    assert_int_equal(hmap_capacity(m), cap0);
    for (long i = 50000 - 5; i < 50000; i++) {
        size_t kl = key_of(k, sizeof k, i);
        assert_true(hmap_get(m, k, kl, NULL));
    }
    /* Deleting and re-inserting the same key reuses its tombstone. */
    for (int i = 0; i < 1000; i++) {
        assert_true(hmap_del(m, "key-49999", 9));
        assert_false(hmap_get_str(m, "key-49999", NULL));
        assert_int_equal(
            hmap_put_str(m, "key-49999", (void *)(intptr_t)(i + 1)), P20W_OK);
    }
    void *v = NULL;
    assert_true(hmap_get_str(m, "key-49999", &v));
    assert_int_equal((intptr_t)v, 1000);
    assert_int_equal(hmap_count(m), 5);
    assert_int_equal(hmap_capacity(m), cap0);
    hmap_free(m);
}

static void test_hmap_alloc_failure(void **state)
{
    (void)state;
    char k[32];
    long n;
    for (n = 0; n < 1000; n++) {
        p20w_mem_fail_after(n);
        hmap *m = NULL;
        p20w_status rc = hmap_create(&m);
        long i = 0;
        for (; rc == P20W_OK && i < 200; i++) {
            size_t kl = key_of(k, sizeof k, i);
            rc = hmap_put(m, k, kl, (void *)(intptr_t)i);
        }
        p20w_mem_fail_reset();
        if (rc == P20W_OK) {
            hmap_free(m);
            break;
        }
        assert_int_equal(rc, P20W_ENOMEM);
        if (m != NULL) {
            /* The failed put changed nothing: earlier keys all there, the
             * failed one absent, and the map still works. */
            long failed = i - 1;
            assert_int_equal(hmap_count(m), (size_t)failed);
            for (long j = 0; j < failed; j++) {
                void *v = NULL;
                size_t kl = key_of(k, sizeof k, j);
                assert_true(hmap_get(m, k, kl, &v));
                assert_int_equal((intptr_t)v, j);
            }
            size_t kl = key_of(k, sizeof k, failed);
            assert_false(hmap_get(m, k, kl, NULL));
            assert_int_equal(hmap_put(m, k, kl, NULL), P20W_OK);
        }
        hmap_free(m);
    }
    assert_true(n > 200 && n < 1000);
}

/* ---- sbuf ------------------------------------------------------------- */

static void test_sbuf(void **state)
{
    (void)state;
    sbuf s;
    sbuf_init(&s, 0);
    assert_string_equal(sbuf_cstr(&s), "");
    assert_int_equal(sbuf_puts(&s, "abc"), P20W_OK);
    assert_int_equal(sbuf_putc(&s, '-'), P20W_OK);
    assert_int_equal(sbuf_printf(&s, "%d/%s", 42, "x"), P20W_OK);
    assert_string_equal(sbuf_cstr(&s), "abc-42/x");
    assert_int_equal(s.len, 8);
    for (int i = 0; i < 1000; i++)
        assert_int_equal(sbuf_append(&s, "0123456789", 10), P20W_OK);
    assert_int_equal(s.len, 10008);
    assert_int_equal(strlen(sbuf_cstr(&s)), 10008);
    sbuf_reset(&s);
    assert_string_equal(sbuf_cstr(&s), "");
    assert_int_equal(sbuf_append(&s, "", 0), P20W_OK);
    assert_string_equal(sbuf_cstr(&s), "");
    assert_int_equal(sbuf_puts(&s, "keep"), P20W_OK);
    char *stolen = sbuf_steal(&s);
    assert_string_equal(stolen, "keep");
    assert_null(s.buf);
    assert_int_equal(s.len, 0);
    p20w_free(stolen);
    stolen = sbuf_steal(&s); /* empty: a fresh "" */
    assert_string_equal(stolen, "");
    p20w_free(stolen);
    sbuf_free(&s);
    sbuf_free(&s); /* twice is fine */
}

static void test_sbuf_limit(void **state)
{
    (void)state;
    sbuf s;
    sbuf_init(&s, 10);
    assert_int_equal(sbuf_puts(&s, "12345678"), P20W_OK);
    assert_int_equal(sbuf_puts(&s, "abc"), P20W_ELIMIT);
    assert_string_equal(sbuf_cstr(&s), "12345678");
    assert_int_equal(s.len, 8);
    assert_int_equal(sbuf_printf(&s, "%d", 123), P20W_ELIMIT);
    assert_string_equal(sbuf_cstr(&s), "12345678");
    assert_int_equal(sbuf_printf(&s, "%d", 12), P20W_OK); /* exactly 10 */
    assert_string_equal(sbuf_cstr(&s), "1234567812");
    assert_int_equal(sbuf_putc(&s, 'x'), P20W_ELIMIT);
    assert_int_equal(sbuf_append(&s, "", 0), P20W_OK);
    assert_string_equal(sbuf_cstr(&s), "1234567812");
    assert_int_equal(sbuf_append(&s, "x", SIZE_MAX), P20W_ELIMIT);
    sbuf_free(&s);
}

static void test_sbuf_alloc_failure(void **state)
{
    (void)state;
    long n;
    for (n = 0; n < 100; n++) {
        sbuf s;
        sbuf_init(&s, 0);
        p20w_mem_fail_after(n);
        p20w_status rc = P20W_OK;
        int i;
        for (i = 0; i < 500 && rc == P20W_OK; i++)
            rc = sbuf_printf(&s, "%04d,", i);
        p20w_mem_fail_reset();
        if (rc == P20W_OK) {
            assert_int_equal(s.len, 2500);
            sbuf_free(&s);
            break;
        }
        assert_int_equal(rc, P20W_ENOMEM);
        assert_int_equal(s.len, (size_t)(i - 1) * 5); /* unchanged */
        if (s.len > 0)
            assert_int_equal(strlen(sbuf_cstr(&s)), s.len);
        sbuf_free(&s);
    }
    assert_true(n > 2 && n < 100);
}

/* ---- dates and quarters ----------------------------------------------- */

static int leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static void test_date_valid(void **state)
{
    (void)state;
    static const struct {
        const char *s;
        p20w_status rc;
        int32_t days; /* when OK; computed independently */
    } cases[] = {
        {"1970-01-01", P20W_OK, 0},       {"2000-03-01", P20W_OK, 11017},
        {"1900-01-01", P20W_OK, -25567},  {"2024-02-29", P20W_OK, 19782},
        {"2199-12-31", P20W_OK, 84005},   {"2000-02-29", P20W_OK, 11016},
        {"1900-02-29", P20W_EINVAL, 0}, /* 1900 is not a leap year */
        {"2023-02-29", P20W_EINVAL, 0},   {"2024-02-30", P20W_EINVAL, 0},
        {"2024-04-31", P20W_EINVAL, 0},   {"2024-13-01", P20W_EINVAL, 0},
        {"2024-00-10", P20W_EINVAL, 0},   {"2024-01-00", P20W_EINVAL, 0},
        {"1899-12-31", P20W_EINVAL, 0},   {"2200-01-01", P20W_EINVAL, 0},
        {"2024-1-01", P20W_EFORMAT, 0},   {"2024/01/01", P20W_EFORMAT, 0},
        {"20240101", P20W_EFORMAT, 0},    {"2024-01-01 ", P20W_EFORMAT, 0},
        {" 2024-01-01", P20W_EFORMAT, 0}, {"+024-01-01", P20W_EFORMAT, 0},
        {"2024-0a-01", P20W_EFORMAT, 0},  {"", P20W_EFORMAT, 0},
        {"01/02/2024", P20W_EFORMAT, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int32_t d = 12345;
        p20w_status rc = date_parse(cases[i].s, strlen(cases[i].s), &d);
        if (rc != cases[i].rc)
            fail_msg("%s: got %s", cases[i].s, p20w_strerror(rc));
        if (rc == P20W_OK)
            assert_int_equal(d, cases[i].days);
        else
            assert_int_equal(d, 12345); /* untouched */
    }
    /* Only len bytes are read. */
    int32_t d;
    assert_int_equal(date_parse("2024-05-06XYZ", 10, &d), P20W_OK);
    assert_int_equal(date_is_valid(2024, 2, 29), 1);
    assert_int_equal(date_is_valid(2100, 2, 29), 0);
    assert_int_equal(date_is_valid(2000, 2, 29), 1);
    assert_int_equal(date_is_valid(1900, 2, 29), 0);
    assert_int_equal(date_is_valid(2024, 0, 1), 0);
    assert_int_equal(date_is_valid(2024, 12, 32), 0);
    assert_true(date_today() > date_from_ymd(2024, 1, 1));
}

static void test_date_every_day(void **state)
{
    (void)state;
    /* Walks every day 1900-01-01 .. 2199-12-31 with an independent
     * calendar and checks numbering, splitting, formatting and parsing. */
    static const int dim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int32_t day = date_from_ymd(1900, 1, 1);
    assert_int_equal(day, -25567);
    for (int y = 1900; y <= 2199; y++) {
        for (int m = 1; m <= 12; m++) {
            int last = dim[m - 1] + (m == 2 && leap(y));
            for (int d = 1; d <= last; d++, day++) {
                assert_true(date_is_valid(y, m, d));
                assert_int_equal(date_from_ymd(y, m, d), day);
                int yy, mm, dd;
                date_to_ymd(day, &yy, &mm, &dd);
                if (yy != y || mm != m || dd != d)
                    fail_msg("day %d: %d-%d-%d", day, yy, mm, dd);
                char buf[11];
                date_format(day, buf);
                int32_t back;
                assert_int_equal(date_parse(buf, 10, &back), P20W_OK);
                assert_int_equal(back, day);
                assert_int_equal(date_quarter_idx(day), 4 * y + (m - 1) / 3);
            }
            assert_false(date_is_valid(y, m, last + 1));
        }
    }
    assert_int_equal(day - 1, 84005); /* 2199-12-31 */
    char buf[11];
    date_format(0, buf);
    assert_string_equal(buf, "1970-01-01");
    date_to_ymd(0, NULL, NULL, NULL); /* NULL outputs are allowed */
}

static void test_date_age(void **state)
{
    (void)state;
    int32_t b = date_from_ymd(2000, 2, 29);
    assert_int_equal(date_age_on(b, b), 0);
    assert_int_equal(date_age_on(b, date_from_ymd(2001, 2, 28)), 0);
    assert_int_equal(date_age_on(b, date_from_ymd(2001, 3, 1)), 1);
    assert_int_equal(date_age_on(b, date_from_ymd(2018, 2, 28)), 17);
    assert_int_equal(date_age_on(b, date_from_ymd(2018, 3, 1)), 18);
    assert_int_equal(date_age_on(b, date_from_ymd(2024, 2, 29)), 24);
    int32_t c = date_from_ymd(2005, 9, 1);
    assert_int_equal(date_age_on(c, date_from_ymd(2023, 8, 31)), 17);
    assert_int_equal(date_age_on(c, date_from_ymd(2023, 9, 1)), 18);
    assert_int_equal(date_age_on(c, date_from_ymd(2023, 12, 31)), 18);
    assert_int_equal(
        date_age_on(date_from_ymd(1900, 1, 1), date_from_ymd(2199, 12, 31)),
        299);
}

static void test_quarters(void **state)
{
    (void)state;
    int q = -1;
    assert_int_equal(quarter_parse("2024Q1", 6, &q), P20W_OK);
    assert_int_equal(q, 4 * 2024);
    assert_int_equal(quarter_year(q), 2024);
    assert_int_equal(quarter_num(q), 1);
    char buf[11];
    date_format(quarter_first_day(q), buf);
    assert_string_equal(buf, "2024-01-01");
    date_format(quarter_last_day(q), buf);
    assert_string_equal(buf, "2024-03-31");
    assert_int_equal(quarter_parse("2023Q4", 6, &q), P20W_OK);
    assert_int_equal(q, 4 * 2023 + 3);
    date_format(quarter_first_day(q), buf);
    assert_string_equal(buf, "2023-10-01");
    date_format(quarter_last_day(q), buf);
    assert_string_equal(buf, "2023-12-31");
    char qs[7];
    quarter_format(q, qs);
    assert_string_equal(qs, "2023Q4");
    quarter_format(q + 1, qs);
    assert_string_equal(qs, "2024Q1");
    assert_int_equal(quarter_parse("2024Q2", 6, &q), P20W_OK);
    date_format(quarter_last_day(q), buf);
    assert_string_equal(buf, "2024-06-30");
    assert_int_equal(quarter_parse("2024Q3", 6, &q), P20W_OK);
    date_format(quarter_last_day(q), buf);
    assert_string_equal(buf, "2024-09-30");

    /* Every quarter of the range round-trips and tiles the calendar. */
    int first, last;
    assert_int_equal(quarter_parse("1900Q1", 6, &first), P20W_OK);
    assert_int_equal(quarter_parse("2199Q4", 6, &last), P20W_OK);
    for (int i = first; i <= last; i++) {
        quarter_format(i, qs);
        assert_int_equal(quarter_parse(qs, 6, &q), P20W_OK);
        assert_int_equal(q, i);
        assert_int_equal(date_quarter_idx(quarter_first_day(i)), i);
        assert_int_equal(date_quarter_idx(quarter_last_day(i)), i);
        if (i > first)
            assert_int_equal(quarter_first_day(i), quarter_last_day(i - 1) + 1);
    }

    static const struct {
        const char *s;
        p20w_status rc;
    } bad[] = {
        {"2024Q0", P20W_EINVAL},   {"2024Q5", P20W_EINVAL},
        {"1899Q4", P20W_EINVAL},   {"2200Q1", P20W_EINVAL},
        {"2024q1", P20W_EFORMAT},  {"24Q1", P20W_EFORMAT},
        {"2024-Q1", P20W_EFORMAT}, {"2024Q", P20W_EFORMAT},
        {"2024Q10", P20W_EFORMAT}, {"Q12024", P20W_EFORMAT},
        {"", P20W_EFORMAT},        {"2024QA", P20W_EFORMAT},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        q = -7;
        p20w_status rc = quarter_parse(bad[i].s, strlen(bad[i].s), &q);
        if (rc != bad[i].rc)
            fail_msg("%s: got %s", bad[i].s, p20w_strerror(rc));
        assert_int_equal(q, -7);
    }
}

/* ---- errors ----------------------------------------------------------- */

static void test_errors(void **state)
{
    (void)state;
    for (int c = 0; c < P20W_STATUS_COUNT; c++) {
        const char *s = p20w_strerror((p20w_status)c);
        assert_non_null(s);
        assert_true(s[0] != '\0');
        assert_string_not_equal(s, "unknown error");
    }
    assert_string_equal(p20w_strerror(P20W_STATUS_COUNT), "unknown error");
    assert_string_equal(p20w_strerror(P20W_ENOMEM), "out of memory");

    p20w_err e;
    p20w_err_clear(&e);
    assert_int_equal(e.code, P20W_OK);
    char buf[700];
    assert_int_equal(p20w_err_set(&e, P20W_EFORMAT, "bad %s %d", "date", 3),
                     P20W_EFORMAT);
    assert_int_equal(e.code, P20W_EFORMAT);
    p20w_err_format(&e, buf, sizeof buf);
    assert_string_equal(buf, "bad date 3");
    p20w_err_at(&e, "k12.csv", 12, 4);
    p20w_err_format(&e, buf, sizeof buf);
    assert_string_equal(buf, "k12.csv:12:4: bad date 3");
    p20w_err_at(&e, "k12.csv", 12, 0);
    p20w_err_format(&e, buf, sizeof buf);
    assert_string_equal(buf, "k12.csv:12: bad date 3");
    p20w_err_at(&e, "k12.csv", 0, 0);
    p20w_err_format(&e, buf, sizeof buf);
    assert_string_equal(buf, "k12.csv: bad date 3");
    p20w_err_at(&e, NULL, 7, 2);
    p20w_err_format(&e, buf, sizeof buf);
    assert_string_equal(buf, "line 7, column 2: bad date 3");
    p20w_err_at(&e, NULL, 7, 0);
    p20w_err_format(&e, buf, sizeof buf);
    assert_string_equal(buf, "line 7: bad date 3");
    /* Setting clears the old location. */
    p20w_err_at(&e, "f", 1, 1);
    p20w_err_set(&e, P20W_EIO, "x");
    assert_int_equal(e.line, 0);
    assert_string_equal(e.file, "");
    /* An empty message falls back to the status text. */
    p20w_err_set(&e, P20W_ENOTFOUND, "%s", "");
    p20w_err_format(&e, buf, sizeof buf);
    assert_string_equal(buf, "not found");
    /* Small buffers truncate, NUL-terminated; cap 0 writes nothing. */
    p20w_err_set(&e, P20W_EINVAL, "abcdefghij");
    char small[5];
    p20w_err_format(&e, small, sizeof small);
    assert_string_equal(small, "abcd");
    small[0] = 'Z';
    p20w_err_format(&e, small, 0);
    assert_int_equal(small[0], 'Z');
    /* A long message is cut to the context's size, not overflowed. */
    char longmsg[2000];
    memset(longmsg, 'm', sizeof longmsg - 1);
    longmsg[sizeof longmsg - 1] = '\0';
    p20w_err_set(&e, P20W_EINVAL, "%s", longmsg);
    assert_int_equal(strlen(e.msg), P20W_ERR_MSG_MAX - 1);
    /* NULL contexts are accepted. */
    assert_int_equal(p20w_err_set(NULL, P20W_EIO, "x"), P20W_EIO);
    p20w_err_at(NULL, "f", 1, 1);
    p20w_err_clear(NULL);

    assert_int_equal(p20w_exit_code(P20W_OK), 0);
    assert_int_equal(p20w_exit_code(P20W_EFORMAT), 1);
    assert_int_equal(p20w_exit_code(P20W_ELIMIT), 1);
    assert_int_equal(p20w_exit_code(P20W_EUSAGE), 2);
    assert_int_equal(p20w_exit_code(P20W_ENOMEM), 3);
    assert_int_equal(p20w_exit_code(P20W_EINTERNAL), 3);
    assert_int_equal(p20w_exit_code(P20W_ESTORE), 3);
}

static void test_mem(void **state)
{
    (void)state;
    char *s = p20w_strdup("abc");
    assert_string_equal(s, "abc");
    p20w_free(s);
    s = p20w_strndup("abcdef", 2);
    assert_string_equal(s, "ab");
    p20w_free(s);
    p20w_free(NULL);
    p20w_mem_fail_after(1);
    void *a = p20w_malloc(4);
    assert_non_null(a);
    assert_false(p20w_mem_failed());
    assert_null(p20w_malloc(4));
    assert_null(p20w_calloc(1, 4));
    assert_null(p20w_strdup("x"));
    assert_true(p20w_mem_failed());
    p20w_mem_fail_reset();
    void *b = p20w_realloc(a, 64);
    assert_non_null(b);
    p20w_free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_arena),
        cmocka_unit_test(test_arena_alloc_failure),
        cmocka_unit_test(test_vec),
        cmocka_unit_test(test_vec_alloc_failure),
        cmocka_unit_test(test_hmap),
        cmocka_unit_test(test_hmap_tombstones),
        cmocka_unit_test(test_hmap_alloc_failure),
        cmocka_unit_test(test_sbuf),
        cmocka_unit_test(test_sbuf_limit),
        cmocka_unit_test(test_sbuf_alloc_failure),
        cmocka_unit_test(test_date_valid),
        cmocka_unit_test(test_date_every_day),
        cmocka_unit_test(test_date_age),
        cmocka_unit_test(test_quarters),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_mem),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
