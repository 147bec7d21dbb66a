/*
 * test_store.c — the store interface over its SQLite backend: opening and
 * vetting files, value round trips, transactions, error messages, schema
 * versioning, the initial schema's privacy rules, allocation failures.
 */
#include "testutil.h"

#include <dirent.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "store/store.h"
#include "store/store_int.h" /* test schemas: store_sqlite_open_schema() */
#include "util/mem.h"

/* Each test gets a fresh directory (state), removed afterwards. */
typedef struct fixture {
    char dir[64];
    char db[128];
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    snprintf(f->dir, sizeof f->dir, "/tmp/p20w-store-XXXXXX");
    if (mkdtemp(f->dir) == NULL)
        return -1;
    snprintf(f->db, sizeof f->db, "%s/t.db", f->dir);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    DIR *d = opendir(f->dir);
    if (d != NULL) {
        struct dirent *e;
        char p[400];
        while ((e = readdir(d)) != NULL) {
            if (e->d_name[0] == '.')
                continue;
            snprintf(p, sizeof p, "%s/%s", f->dir, e->d_name);
            unlink(p);
        }
        closedir(d);
    }
    rmdir(f->dir);
    free(f);
    return 0;
}

static int exists(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0;
}

/* Number of entries in a directory, to prove nothing was created. */
static int dir_entries(const char *dir)
{
    int n = 0;
    DIR *d = opendir(dir);
    assert_non_null(d);
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
            n++;
    closedir(d);
    return n;
}

/* FNV-1a 64 of a whole file, plus its size. */
static uint64_t file_checksum(const char *path, long *size)
{
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    uint64_t h = 1469598103934665603ull;
    long n = 0;
    int c;
    while ((c = fgetc(fp)) != EOF) {
        h = (h ^ (uint64_t)(unsigned char)c) * 1099511628211ull;
        n++;
    }
    fclose(fp);
    *size = n;
    return h;
}

static void write_file(const char *path, const void *data, size_t len)
{
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    assert_int_equal(fwrite(data, 1, len, fp), len);
    assert_int_equal(fclose(fp), 0);
}

static store *open_new(const char *path)
{
    store *st = NULL;
    p20w_err err = {0};
    assert_int_equal(store_open(path, STORE_OPEN_CREATE, &st, NULL, &err),
                     P20W_OK);
    assert_non_null(st);
    return st;
}

/* Runs a query returning one integer through the public API. */
static int64_t q_int(store *st, const char *sql)
{
    store_stmt *s = NULL;
    p20w_err err = {0};
    int row = 0;
    assert_int_equal(store_prepare(st, sql, &s, &err), P20W_OK);
    assert_int_equal(store_step(s, &row, &err), P20W_OK);
    assert_int_equal(row, 1);
    int64_t v = store_column_int64(s, 0);
    store_finalize(s);
    return v;
}

/* Runs sql directly with the SQLite library (as the sqlite3 CLI would). */
static void raw_sql(const char *path, const char *sql)
{
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_close(db), SQLITE_OK);
}

/* ---- opening ------------------------------------------------------------ */

static void test_missing_file_not_created(void **state)
{
    fixture *f = *state;
    store *st = (store *)1;
    p20w_err err = {0};
    assert_int_equal(store_open(f->db, 0, &st, NULL, &err), P20W_ENOTFOUND);
    assert_null(st);
    assert_non_null(strstr(err.msg, "p20w init"));
    assert_string_equal(err.file, f->db);
    assert_int_equal(store_open(f->db, STORE_OPEN_MIGRATE, &st, NULL, &err),
                     P20W_ENOTFOUND);
    assert_false(exists(f->db));
    assert_int_equal(dir_entries(f->dir), 0);
}

static void test_create_then_reopen(void **state)
{
    fixture *f = *state;
    store *st = NULL;
    store_open_info info;
    p20w_err err = {0};
    assert_int_equal(store_open(f->db, STORE_OPEN_CREATE | STORE_OPEN_MIGRATE,
                                &st, &info, &err),
                     P20W_OK);
    assert_int_equal(info.created, 1);
    assert_int_equal(info.version_before, 0);
    assert_int_equal(info.version_after, STORE_SCHEMA_VERSION);
    assert_int_equal(store_schema_version(st), STORE_SCHEMA_VERSION);
    assert_string_equal(store_backend(st), "sqlite");
    assert_int_equal(q_int(st, "PRAGMA user_version"), STORE_SCHEMA_VERSION);
    assert_int_equal(q_int(st, "PRAGMA foreign_keys"), 1);
    assert_int_equal(q_int(st, "PRAGMA synchronous"), 1); /* NORMAL */
    assert_int_equal(q_int(st, "PRAGMA cache_size"), -262144);
    assert_int_equal(q_int(st, "PRAGMA busy_timeout"), 15000);
    store_close(st);

    st = NULL;
    assert_int_equal(store_open(f->db, 0, &st, &info, &err), P20W_OK);
    assert_int_equal(info.created, 0);
    assert_int_equal(info.version_before, STORE_SCHEMA_VERSION);
    store_stmt *s = NULL;
    int row = 0;
    assert_int_equal(store_prepare(st, "PRAGMA journal_mode", &s, &err),
                     P20W_OK);
    assert_int_equal(store_step(s, &row, &err), P20W_OK);
    assert_string_equal(store_column_text(s, 0), "wal");
    store_finalize(s);
    store_close(st);
}

static void test_migrations_run_once(void **state)
{
    fixture *f = *state;
    store *st = open_new(f->db);
    int64_t tables = q_int(st, "SELECT count(*) FROM sqlite_master");
    assert_true(tables > 20);
    store_close(st);
    /* Re-running the migrator on a current database is a no-op: a second
     * run of migration 1 would fail on CREATE TABLE. */
    for (int i = 0; i < 3; i++) {
        store_open_info info;
        p20w_err err = {0};
        st = NULL;
        assert_int_equal(store_open(f->db,
                                    STORE_OPEN_CREATE | STORE_OPEN_MIGRATE, &st,
                                    &info, &err),
                         P20W_OK);
        assert_int_equal(info.created, 0);
        assert_int_equal(info.version_before, info.version_after);
        assert_int_equal(q_int(st, "SELECT count(*) FROM sqlite_master"),
                         tables);
        assert_int_equal(
            q_int(st, "SELECT count(*) FROM p20w_meta WHERE key = 'marker'"),
            1);
        store_close(st);
    }
}

static void test_two_stores_same_db(void **state)
{
    fixture *f = *state;
    store *a = open_new(f->db), *b = NULL;
    p20w_err err = {0};
    assert_int_equal(store_open(f->db, 0, &b, NULL, &err), P20W_OK);
    assert_int_equal(store_exec(a, "CREATE TABLE t (x INTEGER)", &err),
                     P20W_OK);
    assert_int_equal(store_begin(a, &err), P20W_OK);
    assert_int_equal(store_exec(a, "INSERT INTO t VALUES (1)", &err), P20W_OK);
    /* WAL: the reader sees the last committed state, not a lock error. */
    assert_int_equal(q_int(b, "SELECT count(*) FROM t"), 0);
    assert_int_equal(store_commit(a, &err), P20W_OK);
    assert_int_equal(q_int(b, "SELECT count(*) FROM t"), 1);
    store_close(a);
    store_close(b);
}

static void test_readonly(void **state)
{
    fixture *f = *state;
    store *st = open_new(f->db);
    store_close(st);
    p20w_err err = {0};
    st = NULL;
    assert_int_equal(store_open(f->db, STORE_OPEN_READONLY | STORE_OPEN_CREATE,
                                &st, NULL, &err),
                     P20W_EUSAGE);
    assert_int_equal(store_open(f->db, STORE_OPEN_READONLY, &st, NULL, &err),
                     P20W_OK);
    assert_int_equal(q_int(st, "SELECT count(*) FROM submissions"), 0);
    assert_int_equal(store_exec(st, "DELETE FROM p20w_meta", &err),
                     P20W_ESTORE);
    assert_non_null(strstr(err.msg, "readonly"));
    store_close(st);
}

static void test_memory_db(void **state)
{
    (void)state;
    store *st = NULL;
    p20w_err err = {0};
    assert_int_equal(store_open(":memory:", 0, &st, NULL, &err), P20W_EUSAGE);
    assert_int_equal(store_open(":memory:", STORE_OPEN_CREATE, &st, NULL, &err),
                     P20W_OK);
    assert_int_equal(q_int(st, "SELECT count(*) FROM stg_ui_wages"), 0);
    assert_int_equal(q_int(st, "PRAGMA foreign_keys"), 1);
    store_close(st);
}

/* Names are file names, never SQLite URIs: "file:x?mode=memory" creates a
 * file of that name, so no name can reach another file or change modes. */
static void test_uri_like_name_is_literal(void **state)
{
    fixture *f = *state;
    char cwd[512];
    assert_non_null(getcwd(cwd, sizeof cwd));
    assert_int_equal(chdir(f->dir), 0);
    raw_sql("other.db", "CREATE TABLE t (a INTEGER)");
    static const char *const names[] = {"file:other.db",
                                        "file:x.db?mode=memory", "a%20b #1.db"};
    for (size_t i = 0; i < 3; i++) {
        store *st = NULL;
        p20w_err err = {0};
        assert_int_equal(
            store_open(names[i], STORE_OPEN_CREATE, &st, NULL, &err), P20W_OK);
        store_close(st);
        assert_true(exists(names[i]));
        st = NULL;
        assert_int_equal(store_open(names[i], 0, &st, NULL, &err), P20W_OK);
        store_close(st);
    }
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open("other.db", &db), SQLITE_OK);
    assert_int_equal(
        sqlite3_exec(db, "SELECT * FROM p20w_meta", NULL, NULL, NULL),
        SQLITE_ERROR);
    sqlite3_close(db);
    assert_int_equal(chdir(cwd), 0);
}

/* Several processes creating the same database at once, a few rounds:
 * all succeed and the migrations are applied exactly once. */
enum { RACERS = 3, ROUNDS = 4 };

static void race_once(const char *db)
{
    pid_t kids[RACERS];
    for (int k = 0; k < RACERS; k++) {
        kids[k] = fork();
        assert_true(kids[k] >= 0);
        if (kids[k] == 0) {
            store *st = NULL;
            store_open_info info;
            p20w_err err = {0};
            p20w_status rc = store_open(
                db, STORE_OPEN_CREATE | STORE_OPEN_MIGRATE, &st, &info, &err);
            if (rc != P20W_OK)
                fprintf(stderr, "child: %s\n", err.msg);
            store_close(st);
            /* 10: this child laid down the first migration; 11: found the
             * schema done; 12: found it part way (another child is between
             * two migrations, each its own transaction) and applied the
             * rest, each migration still exactly once. */
            if (rc != P20W_OK)
                _exit(1);
            if (info.created && info.version_before == 0)
                _exit(10);
            if (info.version_before == STORE_SCHEMA_VERSION)
                _exit(11);
            _exit(info.version_before > 0 &&
                          info.version_before < STORE_SCHEMA_VERSION
                      ? 12
                      : 2);
        }
    }
    int creators = 0;
    for (int k = 0; k < RACERS; k++) {
        int status = 0;
        assert_int_equal(waitpid(kids[k], &status, 0), kids[k]);
        assert_true(WIFEXITED(status));
        int code = WEXITSTATUS(status);
        assert_true(code == 10 || code == 11 || code == 12);
        creators += code == 10;
    }
    assert_int_equal(creators, 1);
}

static void test_concurrent_create(void **state)
{
    fixture *f = *state;
    for (int round = 0; round < ROUNDS; round++) {
        race_once(f->db);
        store *st = NULL;
        p20w_err err = {0};
        assert_int_equal(store_open(f->db, 0, &st, NULL, &err), P20W_OK);
        assert_int_equal(
            q_int(st, "SELECT count(*) FROM p20w_meta WHERE key = 'marker'"),
            1);
        assert_int_equal(q_int(st, "PRAGMA user_version"),
                         STORE_SCHEMA_VERSION);
        store_close(st);
        unlink(f->db);
    }
}

static void test_postgres_uri_not_built(void **state)
{
    (void)state;
    store *st = NULL;
    p20w_err err = {0};
    assert_int_equal(
        store_open("postgresql://localhost/p20w", 0, &st, NULL, &err),
        P20W_EUSAGE);
    assert_null(st);
    assert_non_null(strstr(err.msg, "PostgreSQL"));
    assert_int_equal(store_open("", 0, &st, NULL, &err), P20W_EUSAGE);
}

static void test_missing_directory(void **state)
{
    fixture *f = *state;
    char path[256];
    snprintf(path, sizeof path, "%s/no/such/x.db", f->dir);
    store *st = NULL;
    p20w_err err = {0};
    assert_int_equal(store_open(path, STORE_OPEN_CREATE, &st, NULL, &err),
                     P20W_EIO);
    assert_non_null(strstr(err.msg, "does not exist"));
    assert_int_equal(dir_entries(f->dir), 0);
    /* A directory is not a database either. */
    assert_int_equal(store_open(f->dir, STORE_OPEN_CREATE, &st, NULL, &err),
                     P20W_EIO);
    assert_non_null(strstr(err.msg, "directory"));
}

/* ---- refusing files that are not ours ----------------------------------- */

/* Opens path with every flag combination a command might use; each must be
 * refused with `code`, a message containing `needle`, and the file (and its
 * directory) must be exactly as before. */
static void expect_refused(fixture *f, const char *path, p20w_status code,
                           const char *needle, int with_create)
{
    static const unsigned flag_sets[] = {0, STORE_OPEN_MIGRATE,
                                         STORE_OPEN_CREATE | STORE_OPEN_MIGRATE,
                                         STORE_OPEN_READONLY};
    long size0 = 0, size1 = 0;
    uint64_t sum0 = file_checksum(path, &size0);
    int entries = dir_entries(f->dir);
    for (size_t i = 0; i < sizeof flag_sets / sizeof flag_sets[0]; i++) {
        if (!with_create && (flag_sets[i] & STORE_OPEN_CREATE))
            continue;
        store *st = (store *)1;
        p20w_err err = {0};
        assert_int_equal(store_open(path, flag_sets[i], &st, NULL, &err), code);
        assert_null(st);
        if (strstr(err.msg, needle) == NULL)
            fail_msg("message '%s' lacks '%s'", err.msg, needle);
        assert_string_equal(err.file, path);
        assert_int_equal(file_checksum(path, &size1), sum0);
        assert_int_equal(size1, size0);
        assert_int_equal(dir_entries(f->dir), entries);
    }
}

static void test_text_file_refused_untouched(void **state)
{
    fixture *f = *state;
    static const char text[] = "student_id,school_year\nS1,2024\n";
    write_file(f->db, text, sizeof text - 1);
    expect_refused(f, f->db, P20W_ESCHEMA, "not a SQLite database", 1);
}

static void test_binary_file_refused_untouched(void **state)
{
    fixture *f = *state;
    unsigned char buf[8192];
    uint32_t x = 2463534242u;
    for (size_t i = 0; i < sizeof buf; i++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        buf[i] = (unsigned char)x;
    }
    buf[100] = 0;
    write_file(f->db, buf, sizeof buf);
    expect_refused(f, f->db, P20W_ESCHEMA, "not a SQLite database", 1);
    /* The right magic on a file too short to be a database. */
    write_file(f->db, "SQLite format 3", 16);
    expect_refused(f, f->db, P20W_ESCHEMA, "not a SQLite database", 1);
}

static void test_corrupt_sqlite_refused_untouched(void **state)
{
    fixture *f = *state;
    /* A valid SQLite header followed by garbage pages. */
    unsigned char buf[4096];
    memset(buf, 0x5a, sizeof buf);
    memcpy(buf, "SQLite format 3", 16);
    buf[16] = 0x10; /* page size 4096 */
    buf[17] = 0x00;
    buf[18] = buf[19] = 1;
    buf[20] = 0;
    buf[21] = 64;
    buf[22] = 32;
    buf[23] = 32;
    memset(buf + 60, 0, 4); /* user_version 0 */
    write_file(f->db, buf, sizeof buf);
    expect_refused(f, f->db, P20W_ESCHEMA, "database", 1);
}

static void test_foreign_sqlite_refused_untouched(void **state)
{
    fixture *f = *state;
    raw_sql(f->db, "CREATE TABLE accounts (id INTEGER, owner TEXT);"
                   "INSERT INTO accounts VALUES (1, 'x');");
    expect_refused(f, f->db, P20W_ESCHEMA, "not a p20w database", 1);
    /* Same with a user_version in our range and a look-alike table. */
    raw_sql(f->db, "PRAGMA user_version = 1;"
                   "CREATE TABLE p20w_meta (key TEXT, value TEXT);"
                   "INSERT INTO p20w_meta VALUES ('marker', 'other');");
    expect_refused(f, f->db, P20W_ESCHEMA, "not a p20w database", 1);
}

static void test_foreign_wal_db_leaves_no_side_files(void **state)
{
    fixture *f = *state;
    raw_sql(f->db, "PRAGMA journal_mode = WAL; CREATE TABLE t (a INTEGER);");
    assert_int_equal(dir_entries(f->dir), 1);
    expect_refused(f, f->db, P20W_ESCHEMA, "not a p20w database", 1);
    assert_int_equal(dir_entries(f->dir), 1);
}

static void test_empty_file(void **state)
{
    fixture *f = *state;
    write_file(f->db, "", 0);
    expect_refused(f, f->db, P20W_ESCHEMA, "p20w init", 0);
    /* ...but init (CREATE) may make an empty file a database. */
    store *st = NULL;
    store_open_info info;
    p20w_err err = {0};
    assert_int_equal(store_open(f->db, STORE_OPEN_CREATE, &st, &info, &err),
                     P20W_OK);
    assert_int_equal(info.created, 1);
    store_close(st);
}

static void test_newer_schema_refused_untouched(void **state)
{
    fixture *f = *state;
    store_close(open_new(f->db));
    raw_sql(f->db, "PRAGMA user_version = 99");
    expect_refused(f, f->db, P20W_ESCHEMA,
                   "database schema version 99 is newer than this p20w", 1);
    store *st = NULL;
    p20w_err err = {0};
    assert_int_equal(store_open(f->db, 0, &st, NULL, &err), P20W_ESCHEMA);
    assert_non_null(strstr(err.msg, "upgrade p20w"));
}

static void test_newer_schema_in_wal_refused(void **state)
{
    fixture *f = *state;
    store_close(open_new(f->db));
    /* A newer p20w bumps the version; while its connection stays open the
     * change lives in the WAL only and the file header still says 1. */
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(f->db, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db,
                                  "PRAGMA wal_autocheckpoint = 0;"
                                  "PRAGMA user_version = 7",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    store *st = NULL;
    p20w_err err = {0};
    assert_int_equal(store_open(f->db, STORE_OPEN_MIGRATE, &st, NULL, &err),
                     P20W_ESCHEMA);
    assert_non_null(strstr(err.msg, "schema version 7 is newer"));
    assert_null(st);
    sqlite3_close(db);
}

/* ---- migrations, with test schemas ------------------------------------ */

static const char *const test_migrations[] = {
    "CREATE TABLE p20w_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) "
    "STRICT; INSERT INTO p20w_meta VALUES ('marker', '" STORE_MARKER "');"
    "CREATE TABLE a (x INTEGER) STRICT;",
    "CREATE TABLE b (y INTEGER) STRICT; INSERT INTO a VALUES (2);",
    "CREATE TABLE c (z INTEGER) STRICT; INSERT INTO nowhere VALUES (3);",
};
static const store_schema schema_v1 = {test_migrations, 1};
static const store_schema schema_v2 = {test_migrations, 2};
static const store_schema schema_v3_broken = {test_migrations, 3};

static p20w_status open_with(const char *path, unsigned flags,
                             const store_schema *sc, store **st,
                             store_open_info *info, p20w_err *err)
{
    *st = NULL;
    return store_sqlite_open_schema(path, flags, sc, st, info, err);
}

static void test_upgrade_runs_each_migration_once(void **state)
{
    fixture *f = *state;
    store *st = NULL;
    store_open_info info;
    p20w_err err = {0};
    assert_int_equal(
        open_with(f->db, STORE_OPEN_CREATE, &schema_v1, &st, &info, &err),
        P20W_OK);
    assert_int_equal(store_schema_version(st), 1);
    store_close(st);

    /* An older database is refused unless the caller migrates. */
    assert_int_equal(open_with(f->db, 0, &schema_v2, &st, &info, &err),
                     P20W_ESCHEMA);
    assert_non_null(strstr(err.msg, "database schema version 1 is older than "
                                    "this p20w (version 2); run 'p20w init'"));
    assert_int_equal(
        open_with(f->db, STORE_OPEN_MIGRATE, &schema_v2, &st, &info, &err),
        P20W_OK);
    assert_int_equal(info.created, 0);
    assert_int_equal(info.version_before, 1);
    assert_int_equal(info.version_after, 2);
    assert_int_equal(store_schema_version(st), 2);
    assert_int_equal(q_int(st, "SELECT count(*) FROM b"), 0);
    assert_int_equal(q_int(st, "SELECT count(*) FROM a"), 1);
    store_close(st);

    /* Again: nothing to do, migration 2's INSERT does not run twice. */
    assert_int_equal(
        open_with(f->db, STORE_OPEN_MIGRATE, &schema_v2, &st, &info, &err),
        P20W_OK);
    assert_int_equal(info.version_before, 2);
    assert_int_equal(q_int(st, "SELECT count(*) FROM a"), 1);
    assert_int_equal(q_int(st, "SELECT count(*) FROM p20w_meta WHERE key = "
                               "'p20w_version'"),
                     1);
    store_close(st);

    /* The older binary now meets a newer database. */
    assert_int_equal(
        open_with(f->db, STORE_OPEN_MIGRATE, &schema_v1, &st, &info, &err),
        P20W_ESCHEMA);
    assert_non_null(strstr(err.msg, "database schema version 2 is newer than "
                                    "this p20w (version 1); upgrade p20w"));
}

static void test_failed_migration_rolls_back_that_step(void **state)
{
    fixture *f = *state;
    store *st = NULL;
    p20w_err err = {0};
    assert_int_equal(
        open_with(f->db, STORE_OPEN_CREATE, &schema_v1, &st, NULL, &err),
        P20W_OK);
    store_close(st);
    assert_int_equal(open_with(f->db, STORE_OPEN_MIGRATE, &schema_v3_broken,
                               &st, NULL, &err),
                     P20W_ESTORE);
    assert_null(st);
    assert_non_null(strstr(err.msg, "no such table: nowhere"));
    assert_string_equal(err.file, f->db);
    /* Step 2 committed, step 3 left no trace. */
    assert_int_equal(open_with(f->db, 0, &schema_v2, &st, NULL, &err), P20W_OK);
    assert_int_equal(q_int(st, "PRAGMA user_version"), 2);
    assert_int_equal(q_int(st, "SELECT count(*) FROM sqlite_master WHERE "
                               "name = 'c'"),
                     0);
    store_close(st);
}

static void test_failed_create_leaves_no_file(void **state)
{
    fixture *f = *state;
    static const char *const broken[] = {"CREATE TABLE t (x INTEGER); "
                                         "INSERT INTO nowhere VALUES (1);"};
    static const store_schema sc = {broken, 1};
    store *st = NULL;
    p20w_err err = {0};
    assert_int_equal(open_with(f->db, STORE_OPEN_CREATE, &sc, &st, NULL, &err),
                     P20W_ESTORE);
    assert_int_equal(dir_entries(f->dir), 0);
}

/* ---- statements --------------------------------------------------------- */

static void test_round_trip_every_type(void **state)
{
    fixture *f = *state;
    store *st = open_new(f->db);
    p20w_err err = {0};
    store_stmt *ins = NULL, *sel = NULL;
    int row = 0;
    static const unsigned char blob[] = {0, 1, 0, 0xff, 0, 'a', 0};
    static const char text[] = "Nuñez-O'Brien \xe2\x80\x94 ok";
    assert_int_equal(store_exec(st,
                                "CREATE TABLE t (id INTEGER PRIMARY KEY, "
                                "i INTEGER, d REAL, s TEXT, b BLOB) STRICT",
                                &err),
                     P20W_OK);
    assert_int_equal(
        store_prepare(st, "INSERT INTO t (i, d, s, b) VALUES (?, ?, ?, ?)",
                      &ins, &err),
        P20W_OK);
    /* Row 1: extremes and bytes with NULs. */
    assert_int_equal(store_bind_int64(ins, 1, INT64_MIN, &err), P20W_OK);
    assert_int_equal(store_bind_double(ins, 2, -1234.5e-7, &err), P20W_OK);
    assert_int_equal(store_bind_text(ins, 3, text, (size_t)-1, &err), P20W_OK);
    assert_int_equal(store_bind_blob(ins, 4, blob, sizeof blob, &err), P20W_OK);
    assert_int_equal(store_step(ins, &row, &err), P20W_OK);
    assert_int_equal(row, 0);
    assert_int_equal(store_last_insert_id(st), 1);
    assert_int_equal(store_changes(st), 1);
    /* Row 2: all NULL (reset clears bindings), via both NULL routes. */
    store_reset(ins);
    assert_int_equal(store_bind_null(ins, 1, &err), P20W_OK);
    assert_int_equal(store_bind_text(ins, 3, NULL, 0, &err), P20W_OK);
    assert_int_equal(store_bind_blob(ins, 4, NULL, 5, &err), P20W_OK);
    assert_int_equal(store_step(ins, &row, &err), P20W_OK);
    /* Row 3: INT64_MAX, a text prefix (explicit length), an empty blob. */
    store_reset(ins);
    assert_int_equal(store_bind_int64(ins, 1, INT64_MAX, &err), P20W_OK);
    assert_int_equal(store_bind_double(ins, 2, 0.1, &err), P20W_OK);
    assert_int_equal(store_bind_text(ins, 3, "abcdef", 3, &err), P20W_OK);
    assert_int_equal(store_bind_blob(ins, 4, "", 0, &err), P20W_OK);
    assert_int_equal(store_step(ins, &row, &err), P20W_OK);
    assert_int_equal(store_last_insert_id(st), 3);
    store_finalize(ins);

    assert_int_equal(
        store_prepare(st, "SELECT i, d, s, b FROM t ORDER BY id", &sel, &err),
        P20W_OK);
    assert_int_equal(store_column_count(sel), 4);
    /* Column names are known before the first step. */
    assert_string_equal(store_column_name(sel, 0), "i");
    assert_string_equal(store_column_name(sel, 3), "b");
    assert_string_equal(store_column_name(sel, 4), "");
    assert_int_equal(store_step(sel, &row, &err), P20W_OK);
    assert_int_equal(row, 1);
    assert_true(store_column_int64(sel, 0) == INT64_MIN);
    assert_true(store_column_double(sel, 1) == -1234.5e-7);
    assert_string_equal(store_column_text(sel, 2), text);
    assert_int_equal(store_column_bytes(sel, 2), strlen(text));
    assert_int_equal(store_column_bytes(sel, 3), sizeof blob);
    assert_memory_equal(store_column_blob(sel, 3), blob, sizeof blob);
    assert_false(store_column_is_null(sel, 3));

    assert_int_equal(store_step(sel, &row, &err), P20W_OK);
    assert_int_equal(row, 1);
    for (int c = 0; c < 4; c++)
        assert_true(store_column_is_null(sel, c));
    assert_null(store_column_text(sel, 2));
    assert_null(store_column_blob(sel, 3));
    assert_int_equal(store_column_int64(sel, 0), 0);

    assert_int_equal(store_step(sel, &row, &err), P20W_OK);
    assert_true(store_column_int64(sel, 0) == INT64_MAX);
    assert_true(store_column_double(sel, 1) == 0.1);
    assert_string_equal(store_column_text(sel, 2), "abc");
    assert_false(store_column_is_null(sel, 3));
    assert_int_equal(store_column_bytes(sel, 3), 0);

    assert_int_equal(store_step(sel, &row, &err), P20W_OK);
    assert_int_equal(row, 0);
    /* Stepping past the end without reset is misuse... */
    assert_int_equal(store_step(sel, &row, &err), P20W_EUSAGE);
    /* ...and reset makes it runnable again. */
    store_reset(sel);
    assert_int_equal(store_step(sel, &row, &err), P20W_OK);
    assert_int_equal(row, 1);
    store_finalize(sel);
    store_finalize(NULL);
    store_close(st);
    store_close(NULL);
}

static void test_bound_copy_is_independent(void **state)
{
    fixture *f = *state;
    store *st = open_new(f->db);
    p20w_err err = {0};
    store_stmt *s = NULL;
    int row = 0;
    char *tmp = p20w_strdup("transient");
    assert_int_equal(store_prepare(st, "SELECT ?", &s, &err), P20W_OK);
    assert_int_equal(store_bind_text(s, 1, tmp, (size_t)-1, &err), P20W_OK);
    memset(tmp, 'X', strlen(tmp));
    p20w_free(tmp);
    assert_int_equal(store_step(s, &row, &err), P20W_OK);
    assert_string_equal(store_column_text(s, 0), "transient");
    store_finalize(s);
    store_close(st);
}

static void test_errors_carry_messages(void **state)
{
    fixture *f = *state;
    store *st = open_new(f->db);
    p20w_err err = {0};
    store_stmt *s = (store_stmt *)1;
    int row = 0;

    assert_int_equal(store_prepare(st, "SELEC 1", &s, &err), P20W_ESTORE);
    assert_null(s);
    assert_non_null(strstr(err.msg, "syntax error"));
    assert_non_null(strstr(err.msg, "SELEC 1"));
    assert_int_equal(store_prepare(st, "SELECT * FROM nowhere", &s, &err),
                     P20W_ESTORE);
    assert_non_null(strstr(err.msg, "no such table: nowhere"));
    assert_int_equal(
        store_prepare(st, "SELECT 1; DROP TABLE persons", &s, &err),
        P20W_EUSAGE);
    assert_int_equal(store_prepare(st, "  ", &s, &err), P20W_EUSAGE);
    assert_int_equal(store_prepare(st, "SELECT 1;  \n", &s, &err), P20W_OK);
    store_finalize(s);
    assert_int_equal(store_exec(st, "CREATE TABLE", &err), P20W_ESTORE);
    assert_non_null(strstr(err.msg, "CREATE TABLE"));

    /* A constraint failure names the constraint, never the bound value. */
    assert_int_equal(
        store_exec(st, "CREATE TABLE u (name TEXT UNIQUE) STRICT", &err),
        P20W_OK);
    assert_int_equal(store_prepare(st, "INSERT INTO u VALUES (?)", &s, &err),
                     P20W_OK);
    assert_int_equal(store_bind_int64(s, 2, 1, &err), P20W_EUSAGE);
    assert_non_null(strstr(err.msg, "out of range"));
    for (int i = 0; i < 2; i++) {
        store_reset(s);
        assert_int_equal(
            store_bind_text(s, 1, "Zzyzx-Secretname", (size_t)-1, &err),
            P20W_OK);
        p20w_status rc = store_step(s, &row, &err);
        assert_int_equal(rc, i == 0 ? P20W_OK : P20W_ESTORE);
    }
    assert_int_equal(err.code, P20W_ESTORE);
    assert_non_null(strstr(err.msg, "UNIQUE constraint failed: u.name"));
    assert_null(strstr(err.msg, "Zzyzx"));
    /* STRICT: a text value in an INTEGER column is refused. */
    store_finalize(s);
    assert_int_equal(store_prepare(st,
                                   "INSERT INTO persons (p20w_id, created_at)"
                                   " VALUES (?, '2026-01-01T00:00:00Z')",
                                   &s, &err),
                     P20W_OK);
    assert_int_equal(store_bind_text(s, 1, "Zzyzx", (size_t)-1, &err), P20W_OK);
    assert_int_equal(store_step(s, &row, &err), P20W_ESTORE);
    assert_null(strstr(err.msg, "Zzyzx"));
    store_finalize(s);
    store_close(st);
}

static void test_foreign_keys_enforced(void **state)
{
    fixture *f = *state;
    store *st = open_new(f->db);
    p20w_err err = {0};
    assert_int_equal(
        store_exec(st,
                   "INSERT INTO submission_errors (submission_id, seq, "
                   "severity, rule, message) VALUES (42, 1, 'fatal', 'r', 'm')",
                   &err),
        P20W_ESTORE);
    assert_non_null(strstr(err.msg, "FOREIGN KEY constraint failed"));
    store_close(st);
}

/* ---- transactions ------------------------------------------------------- */

static void test_transactions(void **state)
{
    fixture *f = *state;
    store *st = open_new(f->db);
    p20w_err err = {0};
    assert_int_equal(store_exec(st, "CREATE TABLE t (x INTEGER)", &err),
                     P20W_OK);

    assert_false(store_in_transaction(st));
    assert_int_equal(store_begin(st, &err), P20W_OK);
    assert_true(store_in_transaction(st));
    assert_int_equal(store_begin(st, &err), P20W_EUSAGE);
    assert_int_equal(store_exec(st, "INSERT INTO t VALUES (1)", &err), P20W_OK);
    assert_int_equal(store_rollback(st, &err), P20W_OK);
    assert_false(store_in_transaction(st));
    assert_int_equal(q_int(st, "SELECT count(*) FROM t"), 0);
    assert_int_equal(store_rollback(st, &err), P20W_OK); /* no-op */
    assert_int_equal(store_commit(st, &err), P20W_EUSAGE);

    assert_int_equal(store_begin(st, &err), P20W_OK);
    assert_int_equal(store_exec(st, "INSERT INTO t VALUES (1)", &err), P20W_OK);
    assert_int_equal(store_savepoint(st, "row_2", &err), P20W_OK);
    assert_int_equal(store_exec(st, "INSERT INTO t VALUES (2)", &err), P20W_OK);
    assert_int_equal(store_savepoint_rollback(st, "row_2", &err), P20W_OK);
    assert_int_equal(store_savepoint(st, "row_3", &err), P20W_OK);
    assert_int_equal(store_exec(st, "INSERT INTO t VALUES (3)", &err), P20W_OK);
    assert_int_equal(store_savepoint_release(st, "row_3", &err), P20W_OK);
    assert_int_equal(store_savepoint(st, "x; DROP TABLE t", &err), P20W_EUSAGE);
    assert_int_equal(store_savepoint(st, "9a", &err), P20W_EUSAGE);
    assert_int_equal(store_commit(st, &err), P20W_OK);
    assert_int_equal(q_int(st, "SELECT sum(x) FROM t"), 4);
    assert_int_equal(store_savepoint(st, "outside", &err), P20W_EUSAGE);

    /* Closing with an open transaction rolls it back. */
    assert_int_equal(store_begin(st, &err), P20W_OK);
    assert_int_equal(store_exec(st, "DELETE FROM t", &err), P20W_OK);
    assert_int_equal(store_changes(st), 2);
    store_close(st);
    st = NULL;
    assert_int_equal(store_open(f->db, 0, &st, NULL, &err), P20W_OK);
    assert_int_equal(q_int(st, "SELECT count(*) FROM t"), 2);
    store_close(st);
}

/* ---- the schema --------------------------------------------------------- */

static const char *const staging_tables[] = {
    "stg_k12_students",    "stg_k12_schools",    "stg_k12_exits",
    "stg_k12_cte_courses", "stg_k12_wbl",        "stg_k12_credentials",
    "stg_k12_assessments", "stg_ps_enrollments", "stg_ps_completions",
    "stg_ps_institutions", "stg_ui_wages",       "stg_ui_employers",
    "stg_apprenticeships", "stg_dmv_ids",
};

static const char *const direct_identifiers[] = {
    "first_name", "middle_name", "last_name", "name_suffix",
    "birth_date", "ssn",         "zip",       "dmv_id",
};

static void test_schema_keeps_identifiers_in_vault(void **state)
{
    fixture *f = *state;
    store *st = open_new(f->db);
    p20w_err err = {0};
    store_stmt *s = NULL;
    int row = 0;
    size_t nstg = sizeof staging_tables / sizeof staging_tables[0];
    assert_int_equal(nstg, 14);
    assert_int_equal(
        q_int(st, "SELECT count(*) FROM sqlite_master WHERE type = 'table' "
                  "AND name LIKE 'stg\\_%' ESCAPE '\\'"),
        (int64_t)nstg);
    assert_int_equal(store_prepare(st,
                                   "SELECT name FROM pragma_table_info(?) "
                                   "ORDER BY cid",
                                   &s, &err),
                     P20W_OK);
    for (size_t t = 0; t < nstg; t++) {
        int cols = 0, has_sub = 0, has_line = 0;
        store_reset(s);
        assert_int_equal(
            store_bind_text(s, 1, staging_tables[t], (size_t)-1, &err),
            P20W_OK);
        for (;;) {
            assert_int_equal(store_step(s, &row, &err), P20W_OK);
            if (!row)
                break;
            const char *col = store_column_text(s, 0);
            cols++;
            has_sub |= strcmp(col, "submission_id") == 0;
            has_line |= strcmp(col, "line") == 0;
            for (size_t d = 0; d < 8; d++)
                if (strcmp(col, direct_identifiers[d]) == 0)
                    fail_msg("%s holds direct identifier %s", staging_tables[t],
                             col);
        }
        assert_true(cols >= 3);
        assert_true(has_sub && has_line);
    }
    /* ...while the vault holds all of them. */
    for (size_t d = 0; d < 8; d++) {
        store_reset(s);
        assert_int_equal(
            store_bind_text(s, 1, "identity_vault", (size_t)-1, &err), P20W_OK);
        int found = 0;
        for (;;) {
            assert_int_equal(store_step(s, &row, &err), P20W_OK);
            if (!row)
                break;
            found |=
                strcmp(store_column_text(s, 0), direct_identifiers[d]) == 0;
        }
        assert_true(found);
    }
    store_finalize(s);
    /* Every p20w table is STRICT. */
    assert_int_equal(q_int(st, "SELECT count(*) FROM pragma_table_list "
                               "WHERE schema = 'main' AND type = 'table' "
                               "AND name NOT LIKE 'sqlite%' AND strict = 0"),
                     0);
    store_close(st);
}

static void test_schema_rules(void **state)
{
    fixture *f = *state;
    store *st = open_new(f->db);
    p20w_err err = {0};
#define SUB_SQL                                                                \
    "INSERT INTO submissions (source, period, agency, file_name, sha256, "     \
    "status, created_at) VALUES ('k12_students', '2024', 'SEA', 'a.csv', "     \
    "'%s', 'accepted', '2026-01-01T00:00:00Z')"
    char sql[512];
    char sha[65];
    memset(sha, 'a', 64);
    sha[64] = '\0';
    snprintf(sql, sizeof sql, SUB_SQL, sha);
    assert_int_equal(store_exec(st, sql, &err), P20W_OK);
    /* A second live submission for the same source and period is refused. */
    sha[0] = 'b';
    snprintf(sql, sizeof sql, SUB_SQL, sha);
    assert_int_equal(store_exec(st, sql, &err), P20W_ESTORE);
    assert_non_null(strstr(err.msg, "UNIQUE"));
    /* A short hash is refused. */
    snprintf(sql, sizeof sql, SUB_SQL, "abc");
    assert_int_equal(store_exec(st, sql, &err), P20W_ESTORE);
    assert_non_null(strstr(err.msg, "CHECK"));
    /* Publication status is one of P S C B L N. */
    assert_int_equal(
        store_exec(st,
                   "INSERT INTO cube_cells (profile, indicator, dims_key, "
                   "dims_json, year, n) VALUES ('default', 'X', '', '{}', "
                   "2024, 3)",
                   &err),
        P20W_OK);
    assert_int_equal(store_exec(st,
                                "INSERT INTO published_cells (cell_id, status,"
                                " published_at) VALUES (1, 'Q', 'now')",
                                &err),
                     P20W_ESTORE);
    /* A suppressed cell cannot carry a value. */
    assert_int_equal(store_exec(st,
                                "INSERT INTO published_cells (cell_id, status,"
                                " value, published_at) VALUES (1, 'S', 3, "
                                "'now')",
                                &err),
                     P20W_ESTORE);
    assert_int_equal(store_exec(st,
                                "INSERT INTO published_cells (cell_id, status,"
                                " published_at) VALUES (1, 'S', 'now')",
                                &err),
                     P20W_OK);
    /* Deleting a submission deletes its staging rows. */
    assert_int_equal(store_exec(st,
                                "INSERT INTO stg_k12_schools VALUES (1, 2, "
                                "'S1', 'School', 'D1', 'District', '01001', "
                                "NULL)",
                                &err),
                     P20W_OK);
    assert_int_equal(store_exec(st, "DELETE FROM submissions", &err), P20W_OK);
    assert_int_equal(q_int(st, "SELECT count(*) FROM stg_k12_schools"), 0);
    store_close(st);
#undef SUB_SQL
}

/* Migration 6: the self-assessment tables keep ratings in 1..4 (or NULL),
 * levers and resource kinds to their lists, and go with their assessment. */
static void test_schema_assess_rules(void **state)
{
    fixture *f = *state;
    store *st = open_new(f->db);
    p20w_err err = {0};
    assert_int_equal(q_int(st, "PRAGMA user_version"), 6);
    assert_int_equal(store_exec(st,
                                "INSERT INTO assessments (title, owner, "
                                "rubric_version, created_at, updated_at) "
                                "VALUES ('2026', 'os:me', '1', 'now', 'now')",
                                &err),
                     P20W_OK);
    static const char *const bad[] = {
        "INSERT INTO assessment_ratings VALUES (1, '1A', 5, '', 'now')",
        "INSERT INTO assessment_ratings VALUES (1, '1A', 0, '', 'now')",
        "INSERT INTO assessment_ratings VALUES (9, '1A', 1, '', 'now')",
        "INSERT INTO assessment_overall VALUES (1, 7, 2, 'now')",
        "INSERT INTO assessment_resources VALUES (1, 'luck', 'x')",
        "INSERT INTO assessments (title, owner, rubric_version, created_at, "
        "updated_at, status) VALUES ('x', 'y', '1', 'n', 'n', 'done')",
        "INSERT INTO assessments (title, owner, rubric_version, created_at, "
        "updated_at) VALUES ('', 'y', '1', 'n', 'n')",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(store_exec(st, bad[i], &err), P20W_ESTORE);
    assert_int_equal(
        store_exec(st,
                   "INSERT INTO assessment_ratings VALUES (1, '1A', NULL, "
                   "'', 'now');"
                   "INSERT INTO assessment_goals (assessment_id, position, "
                   "specific, measurable, attainable, relevant, time_bound, "
                   "owner) VALUES (1, 1, 's', 'm', 'a', 'r', 't', 'o');"
                   "INSERT INTO assessment_activities VALUES (1, 1, 'do', "
                   "'o', NULL, 'm', 'people')",
                   &err),
        P20W_OK);
    assert_int_equal(store_exec(st,
                                "INSERT INTO assessment_activities VALUES "
                                "(1, 2, 'do', 'o', NULL, 'm', 'luck')",
                                &err),
                     P20W_ESTORE);
    assert_int_equal(store_exec(st, "DELETE FROM assessments", &err), P20W_OK);
    assert_int_equal(q_int(st, "SELECT (SELECT count(*) FROM "
                               "assessment_ratings) + (SELECT count(*) FROM "
                               "assessment_goals) + (SELECT count(*) FROM "
                               "assessment_activities)"),
                     0);
    store_close(st);
}

/* ---- allocation failures ------------------------------------------------ */

static void test_alloc_failure_walk(void **state)
{
    fixture *f = *state;
    int succeeded = 0;
    for (long n = 0; n < 50 && !succeeded; n++) {
        store *st = NULL;
        store_stmt *s = NULL;
        p20w_err err = {0};
        p20w_mem_fail_after(n);
        p20w_status rc = store_open(f->db, STORE_OPEN_CREATE, &st, NULL, &err);
        if (rc == P20W_OK)
            rc = store_prepare(st, "SELECT count(*) FROM persons", &s, &err);
        p20w_mem_fail_reset();
        if (rc == P20W_OK) {
            succeeded = 1;
        } else {
            assert_int_equal(rc, P20W_ENOMEM);
            assert_true(p20w_mem_failed());
            assert_null(s);
            /* A failed open that created the file removes it. */
            if (st == NULL)
                assert_int_equal(dir_entries(f->dir), 0);
        }
        store_finalize(s);
        store_close(st);
        if (!succeeded && st != NULL) {
            /* prepare failed: start again from no file. */
            char p[256];
            unlink(f->db);
            snprintf(p, sizeof p, "%s-wal", f->db);
            unlink(p);
            snprintf(p, sizeof p, "%s-shm", f->db);
            unlink(p);
        }
    }
    assert_true(succeeded);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
        T(test_missing_file_not_created),
        T(test_create_then_reopen),
        T(test_migrations_run_once),
        T(test_two_stores_same_db),
        T(test_readonly),
        T(test_memory_db),
        T(test_uri_like_name_is_literal),
        T(test_concurrent_create),
        T(test_postgres_uri_not_built),
        T(test_missing_directory),
        T(test_text_file_refused_untouched),
        T(test_binary_file_refused_untouched),
        T(test_corrupt_sqlite_refused_untouched),
        T(test_foreign_sqlite_refused_untouched),
        T(test_foreign_wal_db_leaves_no_side_files),
        T(test_empty_file),
        T(test_newer_schema_refused_untouched),
        T(test_newer_schema_in_wal_refused),
        T(test_upgrade_runs_each_migration_once),
        T(test_failed_migration_rolls_back_that_step),
        T(test_failed_create_leaves_no_file),
        T(test_round_trip_every_type),
        T(test_bound_copy_is_independent),
        T(test_errors_carry_messages),
        T(test_foreign_keys_enforced),
        T(test_transactions),
        T(test_schema_keeps_identifiers_in_vault),
        T(test_schema_rules),
        T(test_schema_assess_rules),
        T(test_alloc_failure_walk),
#undef T
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
