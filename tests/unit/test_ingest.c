/*
 * test_ingest.c — ingest through its C interface: allocation failures
 * anywhere in a submission change nothing; a folder loads referenced
 * extracts first; report counts match the file.
 */
#include "testutil.h"

#include <sys/stat.h>
#include <unistd.h>

#include "dict/codeset.h"
#include "ingest/ingest.h"
#include "store/store.h"
#include "util/mem.h"

static const char schools[] =
    "school_id,school_name,district_id,district_name,county_fips,locale\n"
    "S1,Adair High,D1,Adair County,21001,41\n";

static const char students[] =
    "student_id,school_year,school_id,grade_level,first_name,last_name,"
    "middle_name,name_suffix,birth_date,sex,race_ethnicity,ssn,zip,"
    "econ_disadvantaged,disability,english_learner,homeless,foster_care,"
    "migrant,military_connected,days_enrolled,days_absent\n"
    "A1,2020,S1,09,Zoe\xcc\x88,Bront\xc3\xab,,,2005-03-04,F,WH,123-45-6789,42001,Y,N,,,,,,"
    "170,5\n"
    "A2,2020,S1,09,Ann,Smith,,,2005-13-04,F,WH,,,,,,,,,,170,5\n"
    "A3,2020,S1,10,Bo,Li,,,2004-03-04,M,AS,,,,,,,,,,170,5\n";

typedef struct fx {
    char dir[64];
    char db[128];
    store *st;
    codeset_registry *reg;
} fx;

static void put(const char *dir, const char *name, const char *text)
{
    char p[256];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    FILE *f = fopen(p, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static int setup(void **state)
{
    fx *f = calloc(1, sizeof *f);
    snprintf(f->dir, sizeof f->dir, "/tmp/p20w-ingest-XXXXXX");
    if (mkdtemp(f->dir) == NULL)
        return -1;
    snprintf(f->db, sizeof f->db, "%s/t.db", f->dir);
    p20w_err err = {0};
    if (store_open(f->db, STORE_OPEN_CREATE | STORE_OPEN_MIGRATE, &f->st, NULL,
                   &err) != P20W_OK)
        return -1;
    if (codeset_registry_load(P20W_DATADIR, &f->reg, &err) != P20W_OK)
        return -1;
    put(f->dir, "k12_schools.csv", schools);
    put(f->dir, "k12_students.csv", students);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fx *f = *state;
    store_close(f->st);
    codeset_registry_free(f->reg);
    char cmd[200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
    if (system(cmd) != 0)
        return -1;
    free(f);
    return 0;
}

static int64_t count(store *st, const char *sql)
{
    store_stmt *q = NULL;
    int row = 0;
    assert_int_equal(store_prepare(st, sql, &q, NULL), P20W_OK);
    assert_int_equal(store_step(q, &row, NULL), P20W_OK);
    assert_true(row);
    int64_t n = store_column_int64(q, 0);
    store_finalize(q);
    return n;
}

static void test_dir_orders_references(void **state)
{
    fx *f = *state;
    ingest_options o;
    ingest_options_init(&o);
    o.max_reject_share = 0.5;
    p20w_err err = {0};
    /* k12_students references k12_schools: loading the folder must put
     * schools first whatever readdir() returns. */
    assert_int_equal(ingest_dir(f->st, f->reg, f->dir, &o, NULL, NULL, &err),
                     P20W_OK);
    assert_int_equal(count(f->st, "SELECT count(*) FROM submissions WHERE "
                                  "status = 'accepted'"),
                     2);
    assert_int_equal(count(f->st, "SELECT count(*) FROM stg_k12_students"), 2);
    assert_int_equal(count(f->st, "SELECT count(*) FROM identity_vault"), 2);
    /* NFC on load: the file spells ë decomposed (e + U+0308); the vault
     * holds the composed U+00EB. */
    assert_int_equal(count(f->st, "SELECT count(*) FROM identity_vault WHERE "
                                  "first_name = 'Zo' || char(235)"),
                     1);
}

static void test_report_counts(void **state)
{
    fx *f = *state;
    ingest_options o;
    ingest_options_init(&o);
    o.max_reject_share = 0.5;
    p20w_err err = {0};
    char p[256];
    ingest_report *r = NULL;
    snprintf(p, sizeof p, "%s/k12_schools.csv", f->dir);
    assert_int_equal(ingest_file(f->st, f->reg, p, &o, &r, &err), P20W_OK);
    ingest_report_free(r);
    snprintf(p, sizeof p, "%s/k12_students.csv", f->dir);
    assert_int_equal(ingest_file(f->st, f->reg, p, &o, &r, &err), P20W_OK);
    assert_int_equal(ingest_report_outcome(r), INGEST_ACCEPTED);
    assert_int_equal(ingest_report_rows_read(r), 3);
    assert_int_equal(ingest_report_rows_accepted(r), 2);
    assert_int_equal(ingest_report_rows_rejected(r), 1);
    char *json = ingest_report_json(r);
    assert_non_null(json);
    assert_non_null(strstr(json, "\"date\": 1"));
    assert_null(strstr(json, "Smith"));
    p20w_free(json);
    ingest_report_free(r);
}

/* Every allocation of a submission may fail: the call reports ENOMEM and
 * the database is exactly as before (the transaction is rolled back). */
static void test_alloc_failures(void **state)
{
    fx *f = *state;
    ingest_options o;
    ingest_options_init(&o);
    o.max_reject_share = 0.5;
    p20w_err err = {0};
    char p[256];
    ingest_report *r = NULL;
    snprintf(p, sizeof p, "%s/k12_schools.csv", f->dir);
    assert_int_equal(ingest_file(f->st, f->reg, p, &o, &r, &err), P20W_OK);
    ingest_report_free(r);
    snprintf(p, sizeof p, "%s/k12_students.csv", f->dir);
    int failures = 0;
    for (long n = 0;; n++) {
        r = NULL;
        p20w_mem_fail_after(n);
        p20w_status rc = ingest_file(f->st, f->reg, p, &o, &r, &err);
        int failed = p20w_mem_failed();
        p20w_mem_fail_reset();
        if (!failed) {
            assert_int_equal(rc, P20W_OK);
            assert_int_equal(ingest_report_rows_accepted(r), 2);
            ingest_report_free(r);
            break;
        }
        failures++;
        assert_int_equal(rc, P20W_ENOMEM);
        assert_null(r);
        assert_false(store_in_transaction(f->st));
        assert_int_equal(count(f->st, "SELECT count(*) FROM submissions"), 1);
        assert_int_equal(count(f->st, "SELECT count(*) FROM stg_k12_students"),
                         0);
        assert_int_equal(count(f->st, "SELECT count(*) FROM identity_vault"),
                         0);
    }
    assert_true(failures > 10);
    assert_int_equal(count(f->st, "SELECT count(*) FROM stg_k12_students"), 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_dir_orders_references, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_report_counts, setup, teardown),
        cmocka_unit_test_setup_teardown(test_alloc_failures, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
