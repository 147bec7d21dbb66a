/*
 * test_cube.c — the cube engine and cube builds (src/measure/cube.c,
 * cube_store.c) on hand-built units whose cells are worked out by hand
 * below: rates, shares, percentiles at n = 1..5 and with ties, COUNT,
 * TL_NONE values, required dimensions, intersections, years, labels and
 * keys; whole builds into a store (replacement, injected failure,
 * allocation failures).
 */
#include "testutil.h"

#include <jansson.h>
#include <math.h>

#include "measure/cube.h"
#include "store/store.h"
#include "util/mem.h"
#include "util/sbuf.h"

#define DIM(d) (UINT64_C(1) << (d))
#define N TL_NONE

/* A unit: year, school, sex, race, econ, numerator, category, value. */
typedef struct urow {
    int32_t year, school, sex, race, econ;
    int num;
    int32_t cat;
    double value;
} urow;

static measure_unit unit_of(const urow *r)
{
    measure_unit u;
    measure_unit_init(&u);
    u.year = r->year;
    u.dim[MD_SCHOOL] = r->school;
    u.dim[MD_SEX] = r->sex;
    u.dim[MD_RACE] = r->race;
    u.dim[MD_ECON] = r->econ;
    u.in_numerator = (uint8_t)r->num;
    u.category = r->cat;
    u.value = r->value;
    return u;
}

static void feed(cube *c, const urow *rows, size_t n)
{
    measure_sink s = cube_sink(c);
    for (size_t i = 0; i < n; i++) {
        measure_unit u = unit_of(&rows[i]);
        assert_int_equal(measure_emit(&s, &u), P20W_OK);
    }
}

/* The cell of year with this dims_key, or NULL. */
static const cube_cell *find(const cube *c, int32_t year, const char *key)
{
    sbuf k;
    sbuf_init(&k, 0);
    const cube_cell *hit = NULL;
    for (size_t i = 0; i < cube_cell_count(c); i++) {
        const cube_cell *cell = cube_cell_at(c, i);
        assert_int_equal(cube_cell_key(c, cell, &k, NULL, NULL), P20W_OK);
        if (cell->year == year && strcmp(sbuf_cstr(&k), key) == 0) {
            assert_null(hit); /* keys are unique within a year */
            hit = cell;
        }
    }
    sbuf_free(&k);
    return hit;
}

static void expect_rate(const cube *c, int32_t year, const char *key,
                        int64_t num, int64_t den)
{
    const cube_cell *cell = find(c, year, key);
    if (cell == NULL) {
        print_error("no cell %d '%s'\n", year, key);
        fail();
    }
    if (cell->numerator != num || cell->denominator != den || cell->n != den) {
        print_error("cell %d '%s': %lld/%lld, want %lld/%lld\n", year, key,
                    (long long)cell->numerator, (long long)cell->denominator,
                    (long long)num, (long long)den);
        fail();
    }
    assert_true(cell->value == (double)num / (double)den);
}

/* A state with two schools and a county, for labels. */
static tl_state *small_state(void)
{
    tl_state *st = NULL;
    int32_t i;
    assert_int_equal(tl_state_new(&st, NULL), P20W_OK);
    assert_int_equal(tl_add_region(st, "Louisville \"area\"", &i), P20W_OK);
    assert_int_equal(tl_add_county(st, "21111", 0, 0, &i), P20W_OK);
    assert_int_equal(tl_add_district(st, "D1", "District", &i), P20W_OK);
    assert_int_equal(tl_add_school(st, "KY0012", "A", 0, 0, 1, &i), P20W_OK);
    assert_int_equal(tl_add_school(st, "KY0034", "B", 0, 0, 4, &i), P20W_OK);
    return st;
}

static const measure_indicator rate_ind = {
    .id = "T_RATE",
    .stat = MS_RATE,
    .dims = DIM(MD_SCHOOL) | DIM(MD_SEX) | DIM(MD_RACE) | DIM(MD_ECON),
};

/* RATE by school, sex, race, econ and the two intersections.
 * 2023: u1 KY0012 F HI econ  num
 *       u2 KY0012 M HI -     -
 *       u3 KY0034 F WH econ  num
 *       u4 KY0034 F ?  -     -      (race unknown)
 *       u5 ?      M WH -     num    (school unknown)
 * 2024: u6 KY0012 F HI -     num */
static const urow rate_rows[] = {
    {2023, 0, 'F', TL_RACE_HI, 1, 1, 0, 0},
    {2023, 0, 'M', TL_RACE_HI, 0, 0, 0, 0},
    {2023, 1, 'F', TL_RACE_WH, 1, 1, 0, 0},
    {2023, 1, 'F', N, 0, 0, 0, 0},
    {2023, N, 'M', TL_RACE_WH, 0, 1, 0, 0},
    {2024, 0, 'F', TL_RACE_HI, 0, 1, 0, 0},
};

static void test_rate_cells(void **state)
{
    (void)state;
    tl_state *st = small_state();
    cube *c = NULL;
    assert_int_equal(cube_new(st, &c, NULL), P20W_OK);
    assert_int_equal(cube_begin(c, &rate_ind, NULL), P20W_OK);
    feed(c, rate_rows, 6);
    assert_int_equal(cube_finish(c, NULL), P20W_OK);
    assert_int_equal(cube_units(c), 6);
    assert_int_equal(cube_units_dropped(c), 0);
    /* 2023: total 1, school 2, sex 2, race 2, econ 2, sex x race 4,
     * race x econ 4 = 17; 2024: one of each = 7 */
    assert_int_equal(cube_cell_count(c), 24);
    expect_rate(c, 2023, "", 3, 5);
    expect_rate(c, 2023, "school=KY0012", 1, 2);
    expect_rate(c, 2023, "school=KY0034", 1, 2);
    expect_rate(c, 2023, "sex=F", 2, 3);
    expect_rate(c, 2023, "sex=M", 1, 2);
    expect_rate(c, 2023, "race=HI", 1, 2);
    expect_rate(c, 2023, "race=WH", 2, 2);
    expect_rate(c, 2023, "econ=Y", 2, 2);
    expect_rate(c, 2023, "econ=N", 1, 3);
    expect_rate(c, 2023, "sex=F;race=HI", 1, 1);
    expect_rate(c, 2023, "sex=M;race=HI", 0, 1);
    expect_rate(c, 2023, "sex=F;race=WH", 1, 1);
    expect_rate(c, 2023, "sex=M;race=WH", 1, 1);
    expect_rate(c, 2023, "race=HI;econ=Y", 1, 1);
    expect_rate(c, 2023, "race=HI;econ=N", 0, 1);
    expect_rate(c, 2023, "race=WH;econ=Y", 1, 1);
    expect_rate(c, 2023, "race=WH;econ=N", 1, 1);
    expect_rate(c, 2024, "", 1, 1);
    expect_rate(c, 2024, "school=KY0012", 1, 1);
    expect_rate(c, 2024, "sex=F", 1, 1);
    expect_rate(c, 2024, "race=HI", 1, 1);
    expect_rate(c, 2024, "econ=N", 1, 1);
    expect_rate(c, 2024, "sex=F;race=HI", 1, 1);
    expect_rate(c, 2024, "race=HI;econ=N", 1, 1);
    assert_null(find(c, 2024, "school=KY0034"));
    /* order: the total first, then single dims in enum order, then the
     * intersections; years ascending within each */
    const cube_cell *first = cube_cell_at(c, 0), *second = cube_cell_at(c, 1);
    assert_int_equal(first->ndims, 0);
    assert_int_equal(first->year, 2023);
    assert_int_equal(second->ndims, 0);
    assert_int_equal(second->year, 2024);
    const cube_cell *last = cube_cell_at(c, 23);
    assert_int_equal(last->ndims, 2);
    assert_int_equal(last->dim[0], MD_RACE);
    assert_int_equal(last->dim[1], MD_ECON);
    /* texts of one cell */
    sbuf k, j, d;
    sbuf_init(&k, 0);
    sbuf_init(&j, 0);
    sbuf_init(&d, 0);
    const cube_cell *x = find(c, 2023, "sex=F;race=WH");
    assert_int_equal(cube_cell_key(c, x, &k, &j, &d), P20W_OK);
    assert_string_equal(sbuf_cstr(&j), "{\"sex\":\"F\",\"race\":\"WH\"}");
    assert_string_equal(sbuf_cstr(&d), "sex,race");
    assert_int_equal(cube_cell_key(c, first, &k, &j, &d), P20W_OK);
    assert_string_equal(sbuf_cstr(&k), "");
    assert_string_equal(sbuf_cstr(&j), "{}");
    assert_string_equal(sbuf_cstr(&d), "");
    sbuf_free(&k);
    sbuf_free(&j);
    sbuf_free(&d);
    /* a new indicator starts from nothing */
    assert_int_equal(cube_begin(c, &rate_ind, NULL), P20W_OK);
    assert_int_equal(cube_finish(c, NULL), P20W_OK);
    assert_int_equal(cube_cell_count(c), 0);
    assert_int_equal(cube_units(c), 0);
    cube_free(c);
    tl_state_free(st);
}

/* Intersections only where both dims are allowed. */
static void test_intersections_need_both_dims(void **state)
{
    (void)state;
    const measure_indicator only_race_econ = {
        .id = "T", .stat = MS_RATE, .dims = DIM(MD_RACE) | DIM(MD_ECON)};
    cube *c = NULL;
    assert_int_equal(cube_new(NULL, &c, NULL), P20W_OK);
    assert_int_equal(cube_begin(c, &only_race_econ, NULL), P20W_OK);
    feed(c, rate_rows, 6);
    assert_int_equal(cube_finish(c, NULL), P20W_OK);
    /* 2023: total, race 2, econ 2, race x econ 4 = 9; 2024: 4 */
    assert_int_equal(cube_cell_count(c), 13);
    assert_null(find(c, 2023, "sex=F"));
    assert_null(find(c, 2023, "sex=F;race=HI"));
    expect_rate(c, 2023, "race=WH;econ=N", 1, 1);
    /* no dims at all: the state total per year */
    const measure_indicator none = {.id = "T", .stat = MS_RATE};
    assert_int_equal(cube_begin(c, &none, NULL), P20W_OK);
    feed(c, rate_rows, 6);
    assert_int_equal(cube_finish(c, NULL), P20W_OK);
    assert_int_equal(cube_cell_count(c), 2);
    expect_rate(c, 2023, "", 3, 5);
    /* labels of index dims without a state */
    assert_int_equal(cube_begin(c, &rate_ind, NULL), P20W_OK);
    feed(c, rate_rows, 1);
    assert_int_equal(cube_finish(c, NULL), P20W_OK);
    expect_rate(c, 2023, "school=#0", 1, 1);
    cube_free(c);
}

static const char *outcome_label(int32_t cat)
{
    static const char *const names[] = {
        "apprenticeship", "ps_and_employed", "ps_only", "employed_only",
        "neither",        "not_found",       "a;b=c"};
    return cat >= 0 && cat < 7 ? names[cat] : "";
}

/* SHARE by sex. 2023: F employed_only x2, F not_found, M employed_only,
 * M apprenticeship, sex unknown not_found.
 *   total: apprenticeship 1/6, employed_only 3/6, not_found 2/6
 *   F:     employed_only 2/3, not_found 1/3
 *   M:     apprenticeship 1/2, employed_only 1/2 */
static void test_share_cells(void **state)
{
    (void)state;
    const measure_indicator share = {.id = "T_SHARE",
                                     .stat = MS_SHARE,
                                     .dims = DIM(MD_SEX),
                                     .category_label = outcome_label};
    static const urow rows[] = {
        {2023, N, 'F', N, N, 0, 3, 0}, {2023, N, 'F', N, N, 0, 3, 0},
        {2023, N, 'F', N, N, 0, 5, 0}, {2023, N, 'M', N, N, 0, 3, 0},
        {2023, N, 'M', N, N, 0, 0, 0}, {2023, N, N, N, N, 0, 5, 0},
    };
    cube *c = NULL;
    assert_int_equal(cube_new(NULL, &c, NULL), P20W_OK);
    assert_int_equal(cube_begin(c, &share, NULL), P20W_OK);
    feed(c, rows, 6);
    assert_int_equal(cube_finish(c, NULL), P20W_OK);
    assert_int_equal(cube_cell_count(c), 7);
    expect_rate(c, 2023, "category=apprenticeship", 1, 6);
    expect_rate(c, 2023, "category=employed_only", 3, 6);
    expect_rate(c, 2023, "category=not_found", 2, 6);
    expect_rate(c, 2023, "sex=F;category=employed_only", 2, 3);
    expect_rate(c, 2023, "sex=F;category=not_found", 1, 3);
    expect_rate(c, 2023, "sex=M;category=apprenticeship", 1, 2);
    expect_rate(c, 2023, "sex=M;category=employed_only", 1, 2);
    /* the numerators of each combination sum to its denominator */
    int64_t sum_total = 0, sum_f = 0;
    for (size_t i = 0; i < cube_cell_count(c); i++) {
        const cube_cell *cell = cube_cell_at(c, i);
        if (cell->ndims == 0)
            sum_total += cell->numerator;
        else if (cell->val[0] == 'F')
            sum_f += cell->numerator;
    }
    assert_int_equal(sum_total, 6);
    assert_int_equal(sum_f, 3);
    sbuf j;
    sbuf_init(&j, 0);
    const cube_cell *x = find(c, 2023, "sex=M;category=apprenticeship");
    assert_int_equal(cube_cell_key(c, x, NULL, &j, NULL), P20W_OK);
    assert_string_equal(sbuf_cstr(&j),
                        "{\"sex\":\"M\",\"category\":\"apprenticeship\"}");
    sbuf_free(&j);
    /* a label with ';' or '=' keeps the key parseable (the JSON keeps it
     * whole); an unknown category ("" label) is its number */
    static const urow odd[] = {{2023, N, 'F', N, N, 0, 6, 0},
                               {2023, N, 'F', N, N, 0, 9, 0}};
    assert_int_equal(cube_begin(c, &share, NULL), P20W_OK);
    feed(c, odd, 2);
    assert_int_equal(cube_finish(c, NULL), P20W_OK);
    expect_rate(c, 2023, "category=a,b-c", 1, 2);
    expect_rate(c, 2023, "sex=F;category=9", 1, 2);
    sbuf_init(&j, 0);
    x = find(c, 2023, "sex=F;category=a,b-c");
    assert_int_equal(cube_cell_key(c, x, NULL, &j, NULL), P20W_OK);
    assert_string_equal(sbuf_cstr(&j),
                        "{\"sex\":\"F\",\"category\":\"a;b=c\"}");
    sbuf_free(&j);
    /* without a label function the category number is the label */
    const measure_indicator bare = {.id = "T", .stat = MS_SHARE};
    assert_int_equal(cube_begin(c, &bare, NULL), P20W_OK);
    feed(c, rows, 6);
    assert_int_equal(cube_finish(c, NULL), P20W_OK);
    expect_rate(c, 2023, "category=5", 2, 6);
    cube_free(c);
}

static void test_percentile_function(void **state)
{
    (void)state;
    /* nearest rank: rank ceil(p n); median of even n: mean of the middle
     * two. n = 8: p25 rank 2, median (x4 + x5) / 2, p75 rank 6 */
    static const double x8[] = {1, 2, 3, 4, 5, 6, 7, 8};
    assert_true(cube_percentile(x8, 8, 1, 4) == 2);
    assert_true(cube_percentile(x8, 8, 1, 2) == 4.5);
    assert_true(cube_percentile(x8, 8, 3, 4) == 6);
    /* n = 7: p25 rank 2, median rank 4, p75 rank 6 */
    assert_true(cube_percentile(x8, 7, 1, 4) == 2);
    assert_true(cube_percentile(x8, 7, 1, 2) == 4);
    assert_true(cube_percentile(x8, 7, 3, 4) == 6);
    /* n = 6: ranks 2, (3 + 4) / 2, 5 */
    assert_true(cube_percentile(x8, 6, 1, 4) == 2);
    assert_true(cube_percentile(x8, 6, 1, 2) == 3.5);
    assert_true(cube_percentile(x8, 6, 3, 4) == 5);
}

/* PERCENTILE at n = 1, 2, 3, 4, with ties, and by a dimension; one year
 * per case. Values arrive unsorted. */
static void test_percentile_cells(void **state)
{
    (void)state;
    const measure_indicator pct = {
        .id = "T_PCT", .stat = MS_PERCENTILE, .dims = DIM(MD_SEX)};
    static const urow rows[] = {
        /* 2001, n = 1: 5 -> 5, 5, 5 */
        {2001, N, 'F', N, N, 0, 0, 5},
        /* 2002, n = 2: {3, 1} -> rank 1 = 1; (1 + 3) / 2 = 2; rank 2 = 3 */
        {2002, N, 'F', N, N, 0, 0, 3},
        {2002, N, 'M', N, N, 0, 0, 1},
        /* 2003, n = 3: {30, 10, 20} -> ranks 1, 2, 3 = 10, 20, 30 */
        {2003, N, 'F', N, N, 0, 0, 30},
        {2003, N, 'F', N, N, 0, 0, 10},
        {2003, N, 'F', N, N, 0, 0, 20},
        /* 2004, n = 4: {4, 1, 3, 2} -> rank 1 = 1; (2 + 3) / 2 = 2.5;
         * rank 3 = 3 */
        {2004, N, 'F', N, N, 0, 0, 4},
        {2004, N, 'M', N, N, 0, 0, 1},
        {2004, N, 'F', N, N, 0, 0, 3},
        {2004, N, 'M', N, N, 0, 0, 2},
        /* 2005, ties, n = 5: {9, 7, 7, 9, 7} -> rank 2 = 7, rank 3 = 7,
         * rank 4 = 9 */
        {2005, N, 'F', N, N, 0, 0, 9},
        {2005, N, 'F', N, N, 0, 0, 7},
        {2005, N, 'F', N, N, 0, 0, 7},
        {2005, N, 'F', N, N, 0, 0, 9},
        {2005, N, 'F', N, N, 0, 0, 7},
        /* 2006, cents: {1234.56, 1234.57} -> median 1234.565 exactly as
         * (a + b) / 2 */
        {2006, N, 'F', N, N, 0, 0, 1234.56},
        {2006, N, 'F', N, N, 0, 0, 1234.57},
    };
    static const struct {
        int32_t year;
        const char *key;
        int64_t n;
        double p25, median, p75;
    } want[] = {
        {2001, "", 1, 5, 5, 5},
        {2002, "", 2, 1, 2, 3},
        {2003, "", 3, 10, 20, 30},
        {2004, "", 4, 1, 2.5, 3},
        {2005, "", 5, 7, 7, 9},
        {2006, "", 2, 1234.56, (1234.56 + 1234.57) / 2, 1234.57},
        /* by sex: 2002 F {3}, M {1}; 2004 F {4, 3} -> 3, 3.5, 4;
         * M {1, 2} -> 1, 1.5, 2 */
        {2002, "sex=F", 1, 3, 3, 3},
        {2002, "sex=M", 1, 1, 1, 1},
        {2004, "sex=F", 2, 3, 3.5, 4},
        {2004, "sex=M", 2, 1, 1.5, 2},
        {2005, "sex=F", 5, 7, 7, 9},
    };
    cube *c = NULL;
    assert_int_equal(cube_new(NULL, &c, NULL), P20W_OK);
    assert_int_equal(cube_begin(c, &pct, NULL), P20W_OK);
    feed(c, rows, sizeof rows / sizeof rows[0]);
    assert_int_equal(cube_finish(c, NULL), P20W_OK);
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        const cube_cell *cell = find(c, want[i].year, want[i].key);
        assert_non_null(cell);
        assert_int_equal(cell->n, want[i].n);
        assert_true(cell->p25 == want[i].p25);
        assert_true(cell->median == want[i].median);
        assert_true(cell->p75 == want[i].p75);
        assert_true(cell->value == want[i].median);
    }
    /* 6 totals + sex cells: 2001 F, 2002 F M, 2003 F, 2004 F M, 2005 F,
     * 2006 F = 8 */
    assert_int_equal(cube_cell_count(c), 14);
    /* a value that is not a number is refused */
    measure_sink s = cube_sink(c);
    measure_unit u;
    measure_unit_init(&u);
    u.value = NAN;
    assert_int_equal(measure_emit(&s, &u), P20W_EINVAL);
    cube_free(c);
}

/* COUNT, and required dims: every cell is cut by quarter; a unit without
 * a quarter enters no cell; one without a county only the totals. */
static void test_count_required_dims(void **state)
{
    (void)state;
    tl_state *st = small_state();
    int32_t cty;
    assert_int_equal(tl_add_county(st, "21029", 0, 1, &cty), P20W_OK);
    const measure_indicator cnt = {.id = "T_COUNT",
                                   .stat = MS_COUNT,
                                   .dims = DIM(MD_COUNTY) | DIM(MD_SEX),
                                   .required_dims = DIM(MD_QUARTER)};
    const int32_t q3 = 4 * 2024 + 2, q4 = 4 * 2024 + 3;
    static const struct {
        int32_t q, county, sex;
    } in[] = {{0, 0, 'F'}, {0, 0, 'M'}, {0, 1, 'F'},
              {1, N, 'F'}, {1, 0, N},   {2, 0, 'F'}};
    cube *c = NULL;
    assert_int_equal(cube_new(st, &c, NULL), P20W_OK);
    assert_int_equal(cube_begin(c, &cnt, NULL), P20W_OK);
    measure_sink s = cube_sink(c);
    for (size_t i = 0; i < 6; i++) {
        measure_unit u;
        measure_unit_init(&u);
        u.year = 2024;
        u.dim[MD_QUARTER] = in[i].q == 0 ? q3 : in[i].q == 1 ? q4 : N;
        u.dim[MD_COUNTY] = in[i].county;
        u.dim[MD_SEX] = in[i].sex;
        assert_int_equal(measure_emit(&s, &u), P20W_OK);
    }
    assert_int_equal(cube_finish(c, NULL), P20W_OK);
    assert_int_equal(cube_units(c), 6);
    assert_int_equal(cube_units_dropped(c), 1);
    static const struct {
        const char *key;
        int64_t n;
    } want[] = {
        {"quarter=2024Q3", 3},
        {"quarter=2024Q4", 2},
        {"county=21111;quarter=2024Q3", 2},
        {"county=21029;quarter=2024Q3", 1},
        {"county=21111;quarter=2024Q4", 1},
        {"sex=F;quarter=2024Q3", 2},
        {"sex=M;quarter=2024Q3", 1},
        {"sex=F;quarter=2024Q4", 1},
    };
    assert_int_equal(cube_cell_count(c), 8);
    for (size_t i = 0; i < 8; i++) {
        const cube_cell *cell = find(c, 2024, want[i].key);
        assert_non_null(cell);
        assert_int_equal(cell->n, want[i].n);
        assert_int_equal(cell->numerator, want[i].n);
        assert_true(cell->value == (double)want[i].n);
    }
    sbuf d;
    sbuf_init(&d, 0);
    assert_int_equal(cube_cell_key(c,
                                   find(c, 2024,
                                        "county=21029;quarter="
                                        "2024Q3"),
                                   NULL, NULL, &d),
                     P20W_OK);
    assert_string_equal(sbuf_cstr(&d), "county,quarter");
    sbuf_free(&d);
    /* more than two required dims is refused */
    const measure_indicator too_many = {
        .id = "T", .required_dims = DIM(MD_SEX) | DIM(MD_RACE) | DIM(MD_EL)};
    assert_int_equal(cube_begin(c, &too_many, NULL), P20W_EINVAL);
    cube_free(c);
    tl_state_free(st);
}

static void test_labels(void **state)
{
    (void)state;
    tl_state *st = small_state();
    static const struct {
        int dim;
        int32_t v;
        const char *want;
    } cases[] = {
        {MD_REGION, 0, "Louisville \"area\""},
        {MD_COUNTY, 0, "21111"},
        {MD_DISTRICT, 0, "D1"},
        {MD_SCHOOL, 1, "KY0034"},
        {MD_SCHOOL, 2, "#2"},
        {MD_INSTITUTION, 0, "#0"},
        {MD_PROGRAM, -5, "#-5"},
        {MD_CLUSTER, TL_CL_AG, "AG"},
        {MD_CLUSTER, TL_CL_TD, "TD"},
        {MD_CLUSTER, 16, "#16"},
        {MD_CIP2, 1, "01"},
        {MD_CIP2, 51, "51"},
        {MD_CIP4, 5108, "51.08"},
        {MD_CIP4, 109, "01.09"},
        {MD_CIP6, 510801, "51.0801"},
        {MD_CIP6, 10000, "01.0000"},
        {MD_AWARD_LEVEL, TL_AWARD_CERT, "CERT"},
        {MD_AWARD_LEVEL, TL_AWARD_GRAD, "GRAD"},
        {MD_SEX, 'X', "X"},
        {MD_RACE, TL_RACE_TW, "TW"},
        {MD_RACE, TL_RACE_UNKNOWN, "#255"},
        {MD_ECON, 1, "Y"},
        {MD_MILITARY, 0, "N"},
        {MD_NONTRAD, 1, "Y"},
        {MD_LOCALE, TL_LOCALE_RURAL, "rural"},
        {MD_EXITER, TL_EXITER_HS_GRAD, "hs_grad"},
        {MD_EXITER, TL_EXITER_APPR_COMPLETER, "appr_completer"},
        {MD_WBL, 0, "none"},
        {MD_WBL, 1 + TL_WBL_INTERNSHIP, "INTERNSHIP"},
        {MD_WBL, 1 + TL_WBL_SCHOOL_ENTERPRISE, "SCHOOL_ENTERPRISE"},
        {MD_WBL, 1 + TL_WBL_COUNT, "any"},
        {MD_WBL, 2 + TL_WBL_COUNT, "#8"},
        {MD_SUBJECT, TL_SUBJ_SCI, "SCI"},
        {MD_QUARTER, 4 * 2024, "2024Q1"},
        {MD_QUARTER, 4 * 2019 + 3, "2019Q4"},
    };
    char buf[80];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        cube_dim_label(st, cases[i].dim, cases[i].v, buf, sizeof buf);
        if (strcmp(buf, cases[i].want) != 0) {
            print_error("case %zu: '%s', want '%s'\n", i, buf, cases[i].want);
            fail();
        }
    }
    cube_dim_label(NULL, MD_SCHOOL, 0, buf, sizeof buf);
    assert_string_equal(buf, "#0");
    /* JSON escapes what a region name may hold */
    const measure_indicator by_region = {
        .id = "T", .stat = MS_COUNT, .dims = DIM(MD_REGION)};
    cube *c = NULL;
    assert_int_equal(cube_new(st, &c, NULL), P20W_OK);
    assert_int_equal(cube_begin(c, &by_region, NULL), P20W_OK);
    measure_sink s = cube_sink(c);
    measure_unit u;
    measure_unit_init(&u);
    u.dim[MD_REGION] = 0;
    assert_int_equal(measure_emit(&s, &u), P20W_OK);
    assert_int_equal(cube_finish(c, NULL), P20W_OK);
    sbuf j;
    sbuf_init(&j, 0);
    assert_int_equal(cube_cell_key(c, cube_cell_at(c, 1), NULL, &j, NULL),
                     P20W_OK);
    assert_string_equal(sbuf_cstr(&j),
                        "{\"region\":\"Louisville \\\"area\\\"\"}");
    sbuf_free(&j);
    cube_free(c);
    tl_state_free(st);
}

/* Many units over many cells: the tables grow; totals stay exact. */
static void test_many_units(void **state)
{
    (void)state;
    const measure_indicator ind = {
        .id = "T", .stat = MS_RATE, .dims = DIM(MD_SCHOOL) | DIM(MD_SEX)};
    cube *c = NULL;
    assert_int_equal(cube_new(NULL, &c, NULL), P20W_OK);
    assert_int_equal(cube_begin(c, &ind, NULL), P20W_OK);
    measure_sink s = cube_sink(c);
    /* 20000 units: school i % 1000, sex F for even i, numerator when
     * i % 3 == 0, years 2020 and 2021 */
    for (int i = 0; i < 20000; i++) {
        measure_unit u;
        measure_unit_init(&u);
        u.year = 2020 + (i / 10000);
        u.dim[MD_SCHOOL] = i % 1000;
        u.dim[MD_SEX] = i % 2 ? 'M' : 'F';
        u.in_numerator = i % 3 == 0;
        assert_int_equal(measure_emit(&s, &u), P20W_OK);
    }
    assert_int_equal(cube_finish(c, NULL), P20W_OK);
    /* per year: total, 1000 schools, 2 sexes */
    assert_int_equal(cube_cell_count(c), 2 * 1003);
    /* 2020: i in [0, 10000): multiples of 3: 3334 */
    expect_rate(c, 2020, "", 3334, 10000);
    /* school #7 in 2020: i = 7, 1007, ..., 9007 (10 units); i % 3 == 0 for
     * i = 1007? 1007 % 3 = 2; the i = 7 + 1000 k with (7 + k) % 3 == 0:
     * k = 2, 5, 8 -> 3 */
    expect_rate(c, 2020, "school=#7", 3, 10);
    cube_free(c);
}

/* The SQL of docs/methodology-indicators.md reproduces the engine's
 * percentiles exactly (==), on cells of n = 1 .. 40, 3001 and 5000, with
 * ties, values in whole cents as wages give them. */
static const char pct_sql[] =
    "WITH ranked AS (SELECT cell, value, ROW_NUMBER() OVER (PARTITION BY "
    "cell ORDER BY value) AS rn, COUNT(*) OVER (PARTITION BY cell) AS n "
    "FROM u) "
    "SELECT cell, n, "
    "MAX(CASE WHEN rn = (n + 3) / 4 THEN value END), "
    "(MIN(CASE WHEN rn IN ((n + 1) / 2, (n + 2) / 2) THEN value END) + "
    "MAX(CASE WHEN rn IN ((n + 1) / 2, (n + 2) / 2) THEN value END)) / 2.0, "
    "MAX(CASE WHEN rn = (3 * n + 3) / 4 THEN value END) "
    "FROM ranked GROUP BY cell ORDER BY cell";

static void test_percentiles_match_sql(void **state)
{
    (void)state;
    store *db = NULL;
    assert_int_equal(store_open(":memory:", STORE_OPEN_CREATE, &db, NULL, NULL),
                     P20W_OK);
    assert_int_equal(
        store_exec(db, "CREATE TEMP TABLE u (cell INTEGER, value REAL)", NULL),
        P20W_OK);
    store_stmt *ins = NULL;
    assert_int_equal(
        store_prepare(db, "INSERT INTO u VALUES (?, ?)", &ins, NULL), P20W_OK);
    const measure_indicator pct = {
        .id = "T", .stat = MS_PERCENTILE, .dims = DIM(MD_SCHOOL)};
    cube *c = NULL;
    assert_int_equal(cube_new(NULL, &c, NULL), P20W_OK);
    assert_int_equal(cube_begin(c, &pct, NULL), P20W_OK);
    measure_sink sink = cube_sink(c);
    uint64_t x = 88172645463325252ULL; /* xorshift: a fixed sequence */
    /* cells 1..40 hold that many values; cell 41 holds 5000 and cell 42
     * 3001 (the quicksort's partitions, not only its insertion sort) */
    for (int cell = 1; cell <= 42; cell++) {
        int nval = cell <= 40 ? cell : cell == 41 ? 5000 : 3001;
        for (int i = 0; i < nval; i++) {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            /* few distinct values in odd cells: ties */
            int64_t cents =
                cell % 2 ? (int64_t)(x % 5) * 100000 : (int64_t)(x % 10000000);
            double v = (double)cents / 100.0;
            measure_unit u;
            measure_unit_init(&u);
            u.dim[MD_SCHOOL] = cell;
            u.value = v;
            assert_int_equal(measure_emit(&sink, &u), P20W_OK);
            int has;
            store_reset(ins);
            assert_int_equal(store_bind_int64(ins, 1, cell, NULL), P20W_OK);
            assert_int_equal(store_bind_double(ins, 2, v, NULL), P20W_OK);
            assert_int_equal(store_step(ins, &has, NULL), P20W_OK);
        }
    }
    store_finalize(ins);
    assert_int_equal(cube_finish(c, NULL), P20W_OK);
    store_stmt *q = NULL;
    assert_int_equal(store_prepare(db, pct_sql, &q, NULL), P20W_OK);
    int checked = 0, has = 0;
    while (store_step(q, &has, NULL) == P20W_OK && has) {
        int cell = (int)store_column_int64(q, 0);
        const cube_cell *cc = NULL;
        for (size_t i = 0; i < cube_cell_count(c); i++)
            if (cube_cell_at(c, i)->ndims == 1 &&
                cube_cell_at(c, i)->val[0] == cell)
                cc = cube_cell_at(c, i);
        assert_non_null(cc);
        assert_int_equal(cc->n, store_column_int64(q, 1));
        assert_int_equal(cc->n, cell <= 40 ? cell : cell == 41 ? 5000 : 3001);
        assert_true(cc->p25 == store_column_double(q, 2));
        assert_true(cc->median == store_column_double(q, 3));
        assert_true(cc->p75 == store_column_double(q, 4));
        checked++;
    }
    assert_int_equal(checked, 42);
    store_finalize(q);
    cube_free(c);
    store_close(db);
}

/* Allocation failures anywhere in the engine: ENOMEM, no leak, and the
 * first run that does not fail gives the same cells. */
static void test_engine_alloc_failures(void **state)
{
    (void)state;
    tl_state *st = small_state();
    int failures = 0;
    for (long k = 0;; k++) {
        cube *c = NULL;
        sbuf key;
        sbuf_init(&key, 0);
        p20w_mem_fail_after(k);
        p20w_status rc = cube_new(st, &c, NULL);
        if (rc == P20W_OK)
            rc = cube_begin(c, &rate_ind, NULL);
        measure_sink s = {0};
        if (rc == P20W_OK)
            s = cube_sink(c);
        for (size_t i = 0; rc == P20W_OK && i < 6; i++) {
            measure_unit u = unit_of(&rate_rows[i]);
            rc = measure_emit(&s, &u);
        }
        if (rc == P20W_OK)
            rc = cube_finish(c, NULL);
        for (size_t i = 0; rc == P20W_OK && i < cube_cell_count(c); i++)
            rc = cube_cell_key(c, cube_cell_at(c, i), &key, NULL, NULL);
        int failed = p20w_mem_failed();
        p20w_mem_fail_reset();
        sbuf_free(&key);
        if (!failed) {
            assert_int_equal(rc, P20W_OK);
            assert_int_equal(cube_cell_count(c), 24);
            expect_rate(c, 2023, "econ=N", 1, 3);
            cube_free(c);
            break;
        }
        assert_int_equal(rc, P20W_ENOMEM);
        cube_free(c);
        failures++;
    }
    assert_true(failures >= 5);
    tl_state_free(st);
}

/* ---- builds into a store ------------------------------------------------ */

static p20w_status emit_rows(const urow *rows, size_t n, measure_sink *sink)
{
    for (size_t i = 0; i < n; i++) {
        measure_unit u = unit_of(&rows[i]);
        p20w_status rc = measure_emit(sink, &u);
        if (rc != P20W_OK)
            return rc;
    }
    return P20W_OK;
}

/* Test emitters: T_RATE emits rate_rows; T_PCT three earnings; T_FAIL
 * two units, then an error. */
static p20w_status test_emit(const char *id, const tl_state *st,
                             const p20w_profile *prof, measure_sink *sink,
                             p20w_err *err)
{
    (void)st;
    (void)prof;
    static const urow pct_rows[] = {{2023, 0, 'F', N, N, 0, 0, 100.5},
                                    {2023, 0, 'F', N, N, 0, 0, 300},
                                    {2023, 1, 'M', N, N, 0, 0, 200}};
    if (strcmp(id, "T_RATE") == 0)
        return emit_rows(rate_rows, 6, sink);
    if (strcmp(id, "T_PCT") == 0)
        return emit_rows(pct_rows, 3, sink);
    p20w_status rc = emit_rows(rate_rows, 2, sink);
    if (rc != P20W_OK)
        return rc;
    return p20w_err_set(err, P20W_EINVAL, "injected failure");
}

static const measure_indicator b_rate = {.id = "T_RATE",
                                         .stat = MS_RATE,
                                         .dims = DIM(MD_SCHOOL) | DIM(MD_SEX) |
                                                 DIM(MD_RACE) | DIM(MD_ECON),
                                         .emit = test_emit};
static const measure_indicator b_pct = {.id = "T_PCT",
                                        .stat = MS_PERCENTILE,
                                        .dims = DIM(MD_SCHOOL),
                                        .emit = test_emit};
static const measure_indicator b_fail = {
    .id = "T_FAIL", .stat = MS_RATE, .emit = test_emit};

static int64_t q_int(store *db, const char *sql)
{
    store_stmt *s = NULL;
    int has = 0;
    assert_int_equal(store_prepare(db, sql, &s, NULL), P20W_OK);
    assert_int_equal(store_step(s, &has, NULL), P20W_OK);
    assert_int_equal(has, 1);
    int64_t v = store_column_int64(s, 0);
    store_finalize(s);
    return v;
}

static double q_real(store *db, const char *sql)
{
    store_stmt *s = NULL;
    int has = 0;
    assert_int_equal(store_prepare(db, sql, &s, NULL), P20W_OK);
    assert_int_equal(store_step(s, &has, NULL), P20W_OK);
    assert_int_equal(has, 1);
    double v = store_column_double(s, 0);
    store_finalize(s);
    return v;
}

static void q_text(store *db, const char *sql, char *out, size_t cap)
{
    store_stmt *s = NULL;
    int has = 0;
    assert_int_equal(store_prepare(db, sql, &s, NULL), P20W_OK);
    assert_int_equal(store_step(s, &has, NULL), P20W_OK);
    assert_int_equal(has, 1);
    const char *t = store_column_text(s, 0);
    snprintf(out, cap, "%s", t ? t : "(null)");
    store_finalize(s);
}

static int stages_seen;

static void on_stage(void *ctx, const cube_stage *s)
{
    (void)ctx;
    (void)s;
    stages_seen++;
}

static void test_build_and_replace(void **state)
{
    (void)state;
    store *db = NULL;
    p20w_err err = {0};
    assert_int_equal(store_open(":memory:", STORE_OPEN_CREATE, &db, NULL, &err),
                     P20W_OK);
    tl_state *st = small_state();
    p20w_profile prof;
    profile_default(&prof);
    const measure_indicator *inds[] = {&b_rate, &b_pct};
    const cube_stage before[] = {{"load", 1.5, 0}, {"rules", 0.25, 0}};
    cube_build_opts o = {.prof = &prof,
                         .st = st,
                         .ind = inds,
                         .nind = 2,
                         .before = before,
                         .nbefore = 2,
                         .started_at = "2026-01-02T03:04:05Z",
                         .on_stage = on_stage};
    cube_build_report rep;
    stages_seen = 0;
    assert_int_equal(cube_build(db, &o, &rep, &err), P20W_OK);
    /* T_RATE: 24 cells; T_PCT: 2023 total, KY0012, KY0034 = 3 */
    assert_int_equal(rep.cells, 27);
    assert_int_equal(rep.nstages, 5);
    assert_int_equal(stages_seen, 3);
    assert_string_equal(rep.stage[0].name, "load");
    assert_string_equal(rep.stage[2].name, "indicator T_RATE");
    assert_int_equal(rep.stage[2].cells, 24);
    assert_string_equal(rep.stage[3].name, "indicator T_PCT");
    assert_string_equal(rep.stage[4].name, "write");
    assert_true(rep.peak_rss_kb > 0);
    int64_t first = rep.build_id;
    assert_true(first > 0);
    assert_int_equal(q_int(db, "SELECT count(*) FROM cube_cells"), 27);
    assert_int_equal(q_int(db, "SELECT count(*) FROM cube_cells WHERE "
                               "build_id = 1 AND profile = 'default'"),
                     27);
    /* a rate cell as stored */
    assert_int_equal(q_int(db, "SELECT numerator FROM cube_cells WHERE "
                               "indicator = 'T_RATE' AND year = 2023 AND "
                               "dims_key = 'econ=N'"),
                     1);
    assert_int_equal(q_int(db, "SELECT denominator FROM cube_cells WHERE "
                               "indicator = 'T_RATE' AND year = 2023 AND "
                               "dims_key = 'econ=N'"),
                     3);
    assert_int_equal(q_int(db, "SELECT n FROM cube_cells WHERE dims_key = "
                               "'econ=N' AND year = 2023"),
                     3);
    assert_int_equal(q_int(db, "SELECT count(*) FROM cube_cells WHERE "
                               "indicator = 'T_RATE' AND dims = 'sex,race'"),
                     5);
    char text[4096];
    q_text(db,
           "SELECT dims_json FROM cube_cells WHERE dims_key = "
           "'race=WH;econ=Y'",
           text, sizeof text);
    assert_string_equal(text, "{\"race\":\"WH\",\"econ\":\"Y\"}");
    /* percentiles: KY0012 {100.5, 300} -> p25 100.5, median 200.25,
     * p75 300; numerator and denominator NULL */
    assert_true(q_real(db, "SELECT median FROM cube_cells WHERE indicator = "
                           "'T_PCT' AND dims_key = 'school=KY0012'") == 200.25);
    assert_true(q_real(db, "SELECT p25 FROM cube_cells WHERE indicator = "
                           "'T_PCT' AND dims_key = 'school=KY0012'") == 100.5);
    assert_true(q_real(db, "SELECT value FROM cube_cells WHERE indicator = "
                           "'T_PCT' AND dims_key = ''") == 200);
    assert_int_equal(q_int(db, "SELECT count(*) FROM cube_cells WHERE "
                               "indicator = 'T_PCT' AND numerator IS NULL AND "
                               "denominator IS NULL AND p75 IS NOT NULL"),
                     3);
    assert_int_equal(q_int(db, "SELECT count(*) FROM cube_cells WHERE "
                               "indicator = 'T_RATE' AND p25 IS NULL AND "
                               "numerator IS NOT NULL"),
                     24);
    /* the build row */
    q_text(db, "SELECT status FROM cube_builds WHERE build_id = 1", text,
           sizeof text);
    assert_string_equal(text, "complete");
    q_text(db, "SELECT started_at FROM cube_builds WHERE build_id = 1", text,
           sizeof text);
    assert_string_equal(text, "2026-01-02T03:04:05Z");
    q_text(db, "SELECT profile_json FROM cube_builds", text, sizeof text);
    json_t *pj = json_loads(text, 0, NULL);
    assert_non_null(pj);
    assert_int_equal(json_integer_value(json_object_get(pj, "min_n")), 10);
    json_decref(pj);
    q_text(db, "SELECT stages_json FROM cube_builds", text, sizeof text);
    json_t *sj = json_loads(text, 0, NULL);
    assert_non_null(sj);
    json_t *stages = json_object_get(sj, "stages");
    assert_int_equal(json_array_size(stages), 5);
    assert_string_equal(
        json_string_value(json_object_get(json_array_get(stages, 0), "name")),
        "load");
    assert_true(json_real_value(json_object_get(json_array_get(stages, 0),
                                                "seconds")) == 1.5);
    assert_int_equal(
        json_integer_value(json_object_get(json_array_get(stages, 3), "cells")),
        3);
    assert_int_equal(json_integer_value(json_object_get(sj, "cells")), 27);
    assert_true(json_integer_value(json_object_get(sj, "peak_rss_kb")) > 0);
    json_decref(sj);

    /* a second build of the same profile replaces the cube */
    const measure_indicator *one[] = {&b_pct};
    o.ind = one;
    o.nind = 1;
    o.started_at = NULL;
    assert_int_equal(cube_build(db, &o, &rep, &err), P20W_OK);
    assert_int_equal(rep.build_id, 2);
    assert_int_equal(q_int(db, "SELECT count(*) FROM cube_cells"), 3);
    assert_int_equal(q_int(db, "SELECT count(*) FROM cube_cells WHERE "
                               "build_id = 2"),
                     3);
    q_text(db,
           "SELECT group_concat(status) FROM (SELECT status FROM "
           "cube_builds ORDER BY build_id)",
           text, sizeof text);
    assert_string_equal(text, "replaced,complete");

    /* another profile's cube lives beside it */
    p20w_profile two = prof;
    snprintf(two.name, sizeof two.name, "two_quarters");
    o.prof = &two;
    o.ind = inds;
    o.nind = 2;
    assert_int_equal(cube_build(db, &o, &rep, &err), P20W_OK);
    assert_int_equal(q_int(db, "SELECT count(*) FROM cube_cells"), 30);

    /* an injected failure: the previous cube of the profile stays, whole;
     * the build is recorded as failed with the stages it ran */
    const measure_indicator *failing[] = {&b_rate, &b_fail};
    o.prof = &prof;
    o.ind = failing;
    o.nind = 2;
    assert_int_equal(cube_build(db, &o, &rep, &err), P20W_EINVAL);
    assert_string_equal(err.msg, "injected failure");
    assert_int_equal(rep.build_id, 4);
    assert_int_equal(q_int(db, "SELECT count(*) FROM cube_cells WHERE "
                               "profile = 'default'"),
                     3);
    assert_int_equal(q_int(db, "SELECT count(*) FROM cube_cells WHERE "
                               "profile = 'default' AND build_id = 2"),
                     3);
    assert_int_equal(q_int(db, "SELECT count(*) FROM cube_cells"), 30);
    q_text(db,
           "SELECT group_concat(status) FROM (SELECT status FROM "
           "cube_builds ORDER BY build_id)",
           text, sizeof text);
    assert_string_equal(text, "replaced,complete,complete,failed");
    q_text(db, "SELECT stages_json FROM cube_builds WHERE build_id = 4", text,
           sizeof text);
    assert_non_null(strstr(text, "\"indicator T_RATE\""));
    assert_null(strstr(text, "T_FAIL"));
    assert_int_equal(q_int(db, "SELECT finished_at IS NOT NULL FROM "
                               "cube_builds WHERE build_id = 4"),
                     1);
    /* an indicator without an emitter is refused the same way */
    const measure_indicator no_emit = {.id = "T_NONE", .stat = MS_RATE};
    const measure_indicator *ne[] = {&no_emit};
    o.ind = ne;
    o.nind = 1;
    assert_int_equal(cube_build(db, &o, &rep, &err), P20W_EINVAL);
    assert_int_equal(q_int(db, "SELECT count(*) FROM cube_cells WHERE "
                               "build_id = 2"),
                     3);
    store_close(db);
    tl_state_free(st);
}

/* Allocation failures over a whole build: each fails with ENOMEM and
 * leaves the first build's cube as it was. */
static void test_build_alloc_failures(void **state)
{
    (void)state;
    store *db = NULL;
    p20w_err err = {0};
    assert_int_equal(store_open(":memory:", STORE_OPEN_CREATE, &db, NULL, &err),
                     P20W_OK);
    tl_state *st = small_state();
    p20w_profile prof;
    profile_default(&prof);
    const measure_indicator *inds[] = {&b_rate, &b_pct};
    cube_build_opts o = {.prof = &prof, .st = st, .ind = inds, .nind = 1};
    cube_build_report rep;
    assert_int_equal(cube_build(db, &o, &rep, &err), P20W_OK);
    assert_int_equal(q_int(db, "SELECT count(*) FROM cube_cells"), 24);
    o.nind = 2;
    int failures = 0;
    for (long k = 0;; k++) {
        p20w_mem_fail_after(k);
        p20w_status rc = cube_build(db, &o, &rep, &err);
        int failed = p20w_mem_failed();
        p20w_mem_fail_reset();
        if (!failed) {
            assert_int_equal(rc, P20W_OK);
            break;
        }
        failures++;
        assert_int_not_equal(rc, P20W_OK);
        assert_int_equal(q_int(db, "SELECT count(*) FROM cube_cells"), 24);
        assert_int_equal(q_int(db, "SELECT count(*) FROM cube_cells WHERE "
                                   "build_id = 1"),
                         24);
        assert_int_equal(q_int(db, "SELECT count(*) FROM cube_builds WHERE "
                                   "status = 'running'"),
                         0);
    }
    assert_true(failures >= 10);
    assert_int_equal(q_int(db, "SELECT count(*) FROM cube_cells"), 27);
    assert_int_equal(q_int(db, "SELECT count(*) FROM cube_builds WHERE "
                               "status = 'complete'"),
                     1);
    store_close(db);
    tl_state_free(st);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rate_cells),
        cmocka_unit_test(test_intersections_need_both_dims),
        cmocka_unit_test(test_share_cells),
        cmocka_unit_test(test_percentile_function),
        cmocka_unit_test(test_percentile_cells),
        cmocka_unit_test(test_percentiles_match_sql),
        cmocka_unit_test(test_count_required_dims),
        cmocka_unit_test(test_labels),
        cmocka_unit_test(test_many_units),
        cmocka_unit_test(test_engine_alloc_failures),
        cmocka_unit_test(test_build_and_replace),
        cmocka_unit_test(test_build_alloc_failures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
