/*
 * test_access.c — governed access through its C interface: the key file,
 * the password policy, login (no user enumeration, lockout), sessions
 * (timeouts, disabled accounts), the permission matrix (one row per
 * role × resource × scope), the audit chain against direct SQL edits,
 * extracts of a linked synthetic state (no identifiers, a pseudonym per
 * agreement), and allocation failures over login and audit append.
 */
#include "testutil.h"

#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "access/accessInt.h"
#include "dict/codeset.h"
#include "ingest/ingest.h"
#include "link/link.h"
#include "store/store.h"
#include "synth/synth.h"
#include "util/mem.h"

/* 2026-05-28T12:00:00Z */
#define T0 1779969600LL
#define MIN 60LL
#define HOUR 3600LL
#define DAY 86400LL

static const char good_pw[] = "Correct-Horse-Battery-7";

typedef struct fx {
    char dir[64];
    char db[128];
    char key[160];
    store *st;
    access_ctx *ax;
} fx;

static void open_ctx(fx *f, int create_key)
{
    access_options o;
    access_options_init(&o);
    o.key_path = f->key;
    o.create_key = create_key;
    o.common_passwords = P20W_DATADIR "/common_passwords.txt";
    p20w_err err = {0};
    if (access_open(f->st, &o, &f->ax, &err) != P20W_OK)
        fail_msg("access_open: %s", err.msg);
}

static int setup(void **state)
{
    fx *f = calloc(1, sizeof *f);
    snprintf(f->dir, sizeof f->dir, "/tmp/p20w-access-XXXXXX");
    if (mkdtemp(f->dir) == NULL)
        return -1;
    snprintf(f->db, sizeof f->db, "%s/t.db", f->dir);
    snprintf(f->key, sizeof f->key, "%s/t.db.key", f->dir);
    p20w_err err = {0};
    if (store_open(f->db, STORE_OPEN_CREATE | STORE_OPEN_MIGRATE, &f->st, NULL,
                   &err) != P20W_OK)
        return -1;
    open_ctx(f, 1);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fx *f = *state;
    access_close(f->ax);
    store_close(f->st);
    char cmd[200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
    if (system(cmd) != 0)
        return -1;
    free(f);
    return 0;
}

static int64_t q_int(store *st, const char *sql)
{
    store_stmt *q = NULL;
    int row = 0;
    p20w_err err = {0};
    if (store_prepare(st, sql, &q, &err) != P20W_OK)
        fail_msg("%s: %s", sql, err.msg);
    assert_int_equal(store_step(q, &row, NULL), P20W_OK);
    assert_true(row);
    int64_t n = store_column_int64(q, 0);
    store_finalize(q);
    return n;
}

static void q_text(store *st, const char *sql, char *out, size_t cap)
{
    store_stmt *q = NULL;
    int row = 0;
    assert_int_equal(store_prepare(st, sql, &q, NULL), P20W_OK);
    assert_int_equal(store_step(q, &row, NULL), P20W_OK);
    assert_true(row);
    snprintf(out, cap, "%s", store_column_text(q, 0));
    store_finalize(q);
}

static void exec(store *st, const char *sql)
{
    p20w_err err = {0};
    if (store_exec(st, sql, &err) != P20W_OK)
        fail_msg("%s: %s", sql, err.msg);
}

static void add_user(fx *f, const char *name, access_role role,
                     const char *scopes, const char *agency, int64_t dsa)
{
    access_scope sc[8];
    size_t n = 0;
    char buf[256];
    p20w_err err = {0};
    if (scopes != NULL) {
        snprintf(buf, sizeof buf, "%s", scopes);
        char *save = NULL;
        for (char *t = strtok_r(buf, ",", &save); t != NULL;
             t = strtok_r(NULL, ",", &save))
            assert_int_equal(access_scope_parse(t, &sc[n++], &err), P20W_OK);
    }
    access_user_spec s = {name, role, good_pw, agency, dsa, sc, n};
    if (access_user_add(f->ax, &s, "tester", "test", T0, NULL, &err) != P20W_OK)
        fail_msg("add %s: %s", name, err.msg);
}

static int64_t add_dsa(fx *f, const char *elements, const char *start,
                       const char *end)
{
    const char *el[16];
    char buf[512];
    size_t n = 0;
    snprintf(buf, sizeof buf, "%s", elements);
    char *save = NULL;
    for (char *t = strtok_r(buf, ",", &save); t != NULL;
         t = strtok_r(NULL, ",", &save))
        el[n++] = t;
    access_dsa_spec s = {"study", "State U", el, n, start, end, "2031-12-31"};
    int64_t id = 0;
    p20w_err err = {0};
    if (access_dsa_add(f->ax, &s, "tester", "test", T0, &id, &err) != P20W_OK)
        fail_msg("dsa: %s", err.msg);
    return id;
}

static int64_t audit_count(fx *f)
{
    return q_int(f->st, "SELECT count(*) FROM audit_log");
}

static void assert_verifies(fx *f, int ok)
{
    access_audit_verdict v;
    p20w_err err = {0};
    assert_int_equal(access_audit_verify(f->ax, 0, NULL, &v, &err), P20W_OK);
    if (v.ok != ok)
        fail_msg("verify: expected %s, got ok=%d (%s)", ok ? "ok" : "failure",
                 v.ok, v.problem);
}

/* ---- key file and time --------------------------------------------------- */

static void test_key_file(void **state)
{
    fx *f = *state;
    struct stat sb;
    assert_int_equal(stat(f->key, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);
    assert_int_equal(sb.st_size, 65); /* 64 hex digits and a newline */
    /* The same key on reopening: the same pseudonyms. */
    int64_t d = add_dsa(f, "k12_students.sex", "2026-01-01", "2026-12-31");
    access_dsa *dsa = NULL;
    assert_int_equal(access_dsa_get(f->ax, d, &dsa, NULL), P20W_OK);
    char p1[ACCESS_PSEUDONYM_LEN + 1], p2[ACCESS_PSEUDONYM_LEN + 1];
    access_pseudonym(f->ax, dsa, 42, p1);
    access_close(f->ax);
    open_ctx(f, 0);
    access_pseudonym(f->ax, dsa, 42, p2);
    assert_string_equal(p1, p2);
    assert_int_equal(strlen(p1), ACCESS_PSEUDONYM_LEN);
    access_dsa_free(dsa);
    /* Readable by others: refused. */
    access_options o;
    access_options_init(&o);
    o.key_path = f->key;
    access_ctx *ax = NULL;
    p20w_err err = {0};
    assert_int_equal(chmod(f->key, 0644), 0);
    assert_int_equal(access_open(f->st, &o, &ax, &err), P20W_EINVAL);
    assert_non_null(strstr(err.msg, "chmod 600"));
    assert_null(ax);
    assert_int_equal(chmod(f->key, 0600), 0);
    /* Gone while the log has records: never silently replaced. */
    assert_int_equal(rename(f->key, "/tmp/p20w-access-moved.key"), 0);
    o.create_key = 1;
    assert_int_equal(access_open(f->st, &o, &ax, &err), P20W_ENOTFOUND);
    assert_non_null(strstr(err.msg, "restore the key file"));
    o.create_key = 0;
    assert_int_equal(access_open(f->st, &o, &ax, &err), P20W_ENOTFOUND);
    assert_int_equal(rename("/tmp/p20w-access-moved.key", f->key), 0);
    /* Malformed. */
    char path[200];
    snprintf(path, sizeof path, "%s/bad.key", f->dir);
    FILE *fp = fopen(path, "w");
    fputs("not hex\n", fp);
    fclose(fp);
    assert_int_equal(chmod(path, 0600), 0);
    o.key_path = path;
    assert_int_equal(access_open(f->st, &o, &ax, &err), P20W_EINVAL);
}

static void test_time(void **state)
{
    (void)state;
    char s[32];
    int64_t t = 0;
    access_time_format(0, s);
    assert_string_equal(s, "1970-01-01T00:00:00Z");
    access_time_format(T0 + 3 * HOUR + 25 * MIN + 7, s);
    assert_string_equal(s, "2026-05-28T15:25:07Z");
    assert_int_equal(access_time_parse(s, &t), P20W_OK);
    assert_int_equal(t, T0 + 3 * HOUR + 25 * MIN + 7);
    assert_int_equal(access_time_parse("2026-05-28", &t), P20W_OK);
    assert_int_equal(t, T0 - 12 * HOUR);
    assert_int_equal(access_day_of(T0), 20601);
    assert_int_equal(access_time_parse("2026-05-28T24:00:00Z", &t),
                     P20W_EFORMAT);
    assert_int_equal(access_time_parse("2026-02-30", &t), P20W_EFORMAT);
    assert_int_equal(access_time_parse("2026-05-28 12:00:00", &t),
                     P20W_EFORMAT);
    assert_int_equal(access_time_parse("", &t), P20W_EFORMAT);
}

/* ---- passwords -------------------------------------------------------------
 */

static void test_password_policy(void **state)
{
    fx *f = *state;
    static const struct {
        const char *pw;
        const char *why; /* NULL: accepted */
    } rows[] = {
        {"Correct-Horse-Battery-7", NULL},
        {"correct horse battery staple", NULL},
        {"vélo-rouge-à-Lyon", NULL},
        {"short-pw", "shorter than 12"},
        {"ééééééééééé", "shorter than 12"}, /* 11 characters, 22 bytes */
        {"winniethepooh", "list of common"},
        {"WinnieThePooh", "list of common"},
        {"password1234", "digits or symbols added"},
        {"!!Dragon2024!!", "digits or symbols added"},
        {"P@ssw0rd2024!", "digits or symbols added"},
        {"monkeymonkey", "common password repeated"},
        {"aaaaaaaaaaaa", "one character repeated"},
        {"abcabcabcabc", "short pattern repeated"},
        {"abcdefghijklm", "run of the alphabet"},
        {"qwertyuiop12", "digits or symbols added"}, /* qwertyuiop listed */
        {"asdfghjklzxc", "run of the alphabet"},
        {"123456789012", "run of the alphabet, the digits"},
        {"my-name-is-alice!", "user name"},
        {"bad\x01control-chars", "control characters"},
        {"bad\xff\xfe utf-8 bytes", "not valid UTF-8"},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        p20w_err err = {0};
        p20w_status rc =
            access_password_check(f->ax, "alice", rows[i].pw, &err);
        if (rows[i].why == NULL) {
            if (rc != P20W_OK)
                fail_msg("row %zu rejected: %s", i, err.msg);
            continue;
        }
        if (rc != P20W_EINVAL || strstr(err.msg, rows[i].why) == NULL)
            fail_msg("row %zu: rc %d, '%s' lacks '%s'", i, rc, err.msg,
                     rows[i].why);
        /* The reason never quotes the password. */
        assert_null(strstr(err.msg, rows[i].pw));
    }
    char long_pw[ACCESS_PASSWORD_MAX + 2];
    memset(long_pw, 'x', sizeof long_pw - 1);
    long_pw[sizeof long_pw - 1] = '\0';
    p20w_err err = {0};
    assert_int_equal(access_password_check(f->ax, "alice", long_pw, &err),
                     P20W_EINVAL);
    assert_non_null(strstr(err.msg, "longer than"));
}

static void test_hash_parameters(void **state)
{
    fx *f = *state;
    /* The dummy hash for unknown names has today's parameters, so it costs
     * what a real verification costs. */
    assert_int_equal(crypto_pwhash_str_needs_rehash(
                         access_dummy_hash(), ACCESS_PWHASH_OPSLIMIT,
                         (size_t)ACCESS_PWHASH_MEMLIMIT),
                     0);
    assert_true(ACCESS_PWHASH_OPSLIMIT >= 2);
    assert_true(ACCESS_PWHASH_MEMLIMIT >= 19ULL * 1024 * 1024);
    add_user(f, "adm", ACCESS_ROLE_ADMIN, NULL, NULL, 0);
    char h[256];
    q_text(f->st, "SELECT pw_hash FROM users WHERE name = 'adm'", h, sizeof h);
    assert_memory_equal(h, "$argon2id$v=19$m=19456,t=2,p=1$", 31);
    assert_int_equal(crypto_pwhash_str_verify(h, good_pw, strlen(good_pw)), 0);
}

static void test_user_validation(void **state)
{
    fx *f = *state;
    access_scope sc;
    p20w_err err = {0};
    assert_int_equal(access_scope_parse("school:S1", &sc, &err), P20W_OK);
    assert_int_equal(sc.kind, ACCESS_SCOPE_SCHOOL);
    assert_string_equal(sc.id, "S1");
    assert_int_equal(access_scope_parse("county:1", &sc, &err), P20W_EINVAL);
    assert_int_equal(access_scope_parse("school:", &sc, &err), P20W_EINVAL);
    assert_int_equal(access_scope_parse("S1", &sc, &err), P20W_EINVAL);
    assert_int_equal(access_scope_parse("school:S1", &sc, &err), P20W_OK);
    static const struct {
        const char *name;
        access_role role;
        int nscopes;
        const char *agency;
        int64_t dsa;
        p20w_status rc;
        const char *why;
    } rows[] = {
        {"pat", ACCESS_ROLE_PRACTITIONER, 0, NULL, 0, P20W_EINVAL,
         "at least one scope"},
        {"adm", ACCESS_ROLE_ADMIN, 1, NULL, 0, P20W_EINVAL,
         "only practitioners"},
        {"stew", ACCESS_ROLE_STEWARD, 0, NULL, 0, P20W_EINVAL,
         "needs an agency"},
        {"stew", ACCESS_ROLE_STEWARD, 0, "Ministry of Magic", 0, P20W_EINVAL,
         "unknown agency"},
        {"res", ACCESS_ROLE_RESEARCHER, 0, NULL, 0, P20W_EINVAL,
         "needs a data-sharing"},
        {"res", ACCESS_ROLE_RESEARCHER, 0, NULL, 99, P20W_ENOTFOUND,
         "no data-sharing agreement 99"},
        {"pub", ACCESS_ROLE_PUBLIC, 0, NULL, 0, P20W_EINVAL, "role is"},
        {"bad name", ACCESS_ROLE_ADMIN, 0, NULL, 0, P20W_EINVAL, "user name"},
        {"-dash", ACCESS_ROLE_ADMIN, 0, NULL, 0, P20W_EINVAL, "user name"},
        {"", ACCESS_ROLE_ADMIN, 0, NULL, 0, P20W_EINVAL, "user name"},
        {"stew", ACCESS_ROLE_STEWARD, 0, "labor agency", 0, P20W_OK, NULL},
        {"stew", ACCESS_ROLE_STEWARD, 0, "labor agency", 0, P20W_EINVAL,
         "already exists"},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        access_user_spec s = {rows[i].name,           rows[i].role, good_pw,
                              rows[i].agency,         rows[i].dsa,  &sc,
                              (size_t)rows[i].nscopes};
        p20w_status rc =
            access_user_add(f->ax, &s, "tester", "test", T0, NULL, &err);
        if (rc != rows[i].rc ||
            (rows[i].why != NULL && strstr(err.msg, rows[i].why) == NULL))
            fail_msg("row %zu: rc %d '%s'", i, rc, err.msg);
    }
    /* Only the good row was added, and audited. */
    assert_int_equal(q_int(f->st, "SELECT count(*) FROM users"), 1);
    assert_int_equal(audit_count(f), 1);
}

/* ---- login and sessions
 * ------------------------------------------------------ */

static void test_login_session_logout(void **state)
{
    fx *f = *state;
    add_user(f, "pat", ACCESS_ROLE_PRACTITIONER, "school:S1,district:D1", NULL,
             0);
    char token[ACCESS_TOKEN_LEN + 1];
    p20w_err err = {0};
    assert_int_equal(
        access_login(f->ax, "pat", good_pw, "10.0.0.1", T0, token, &err),
        P20W_OK);
    assert_int_equal(strlen(token), 64);
    assert_int_equal(strspn(token, "0123456789abcdef"), 64);
    /* Only the token's SHA-256 is stored. */
    char stored[80], want[65];
    unsigned char h[32];
    q_text(f->st, "SELECT token_hash FROM sessions", stored, sizeof stored);
    crypto_hash_sha256(h, (const unsigned char *)token, 64);
    sodium_bin2hex(want, sizeof want, h, 32);
    assert_string_equal(stored, want);
    access_principal p;
    assert_int_equal(
        access_session_check(f->ax, token, "10.0.0.1", T0 + MIN, &p, &err),
        P20W_OK);
    assert_string_equal(p.name, "pat");
    assert_int_equal(p.role, ACCESS_ROLE_PRACTITIONER);
    assert_int_equal(p.nscopes, 2);
    assert_int_equal(p.scopes[0].kind, ACCESS_SCOPE_DISTRICT);
    assert_string_equal(p.scopes[0].id, "D1");
    assert_string_equal(p.scopes[1].id, "S1");
    assert_string_equal(p.origin, "10.0.0.1");
    /* Another token, a malformed one: no session. */
    char other[ACCESS_TOKEN_LEN + 1];
    memcpy(other, token, sizeof other);
    other[0] = other[0] == 'a' ? 'b' : 'a';
    assert_int_equal(access_session_check(f->ax, other, "x", T0, &p, &err),
                     P20W_EDENIED);
    assert_int_equal(p.role, ACCESS_ROLE_PUBLIC);
    assert_int_equal(access_session_check(f->ax, "abc", "x", T0, &p, &err),
                     P20W_EDENIED);
    assert_int_equal(
        access_logout(f->ax, token, "10.0.0.1", T0 + 2 * MIN, &err), P20W_OK);
    assert_int_equal(
        access_session_check(f->ax, token, "x", T0 + 3 * MIN, &p, &err),
        P20W_EDENIED);
    assert_int_equal(q_int(f->st, "SELECT count(*) FROM sessions"), 0);
    assert_int_equal(q_int(f->st, "SELECT count(*) FROM audit_log WHERE "
                                  "actor = 'pat' AND event IN ('login', "
                                  "'logout') AND origin = '10.0.0.1'"),
                     2);
    assert_verifies(f, 1);
}

/* Unknown user, wrong password, disabled account: one status, one message;
 * only the audit log tells them apart, and it does not keep the name typed
 * for an unknown user. */
static void test_login_refusals_look_alike(void **state)
{
    fx *f = *state;
    add_user(f, "adm", ACCESS_ROLE_ADMIN, NULL, NULL, 0);
    add_user(f, "off", ACCESS_ROLE_ADMIN, NULL, NULL, 0);
    p20w_err err = {0};
    assert_int_equal(
        access_user_set_active(f->ax, "off", 0, "tester", "t", T0, &err),
        P20W_OK);
    char token[ACCESS_TOKEN_LEN + 1], msg[3][P20W_ERR_MSG_MAX];
    const char *names[3] = {"Hunter2-typed-as-name", "adm", "off"};
    const char *pws[3] = {good_pw, "Wrong-Password-99", good_pw};
    for (int i = 0; i < 3; i++) {
        p20w_err e = {0};
        assert_int_equal(
            access_login(f->ax, names[i], pws[i], "ip", T0, token, &e),
            P20W_EDENIED);
        assert_string_equal(token, "");
        snprintf(msg[i], sizeof msg[i], "%s", e.msg);
    }
    assert_string_equal(msg[0], msg[1]);
    assert_string_equal(msg[1], msg[2]);
    assert_int_equal(q_int(f->st, "SELECT count(*) FROM audit_log WHERE "
                                  "event = 'login_failed'"),
                     3);
    assert_int_equal(q_int(f->st, "SELECT count(*) FROM audit_log WHERE "
                                  "actor = '(unknown user)' AND why = "
                                  "'unknown user name'"),
                     1);
    assert_int_equal(q_int(f->st, "SELECT count(*) FROM audit_log WHERE "
                                  "instr(actor || resource || why, "
                                  "'Hunter2') > 0"),
                     0);
    assert_int_equal(q_int(f->st, "SELECT count(*) FROM audit_log WHERE "
                                  "actor = 'off' AND why = 'account "
                                  "disabled'"),
                     1);
}

static double seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* A wrong password costs the same whether the user exists or not: both
 * run one Argon2id verification (m = 19 MiB), which dwarfs the rest. */
static void test_login_time_independent_of_user(void **state)
{
    fx *f = *state;
    add_user(f, "adm", ACCESS_ROLE_ADMIN, NULL, NULL, 0);
    access_options o;
    access_options_init(&o);
    double known[7], unknown[7];
    char token[ACCESS_TOKEN_LEN + 1];
    for (int i = 0; i < 7; i++) {
        double t = seconds();
        /* Spread the failures so that the account never locks. */
        access_login(f->ax, "adm", "Wrong-Password-99", "ip",
                     T0 + i * o.failure_window_s, token, NULL);
        known[i] = seconds() - t;
        t = seconds();
        access_login(f->ax, "nobody-here", "Wrong-Password-99", "ip",
                     T0 + i * o.failure_window_s, token, NULL);
        unknown[i] = seconds() - t;
    }
    qsort(known, 7, sizeof known[0], cmp_double);
    qsort(unknown, 7, sizeof unknown[0], cmp_double);
    double ratio = known[3] / unknown[3];
    print_message("median login: known user %.1f ms, unknown %.1f ms\n",
                  known[3] * 1e3, unknown[3] * 1e3);
    assert_true(unknown[3] > 0.005); /* Argon2id really ran */
    assert_true(ratio > 0.67 && ratio < 1.5);
}

static void test_lockout(void **state)
{
    fx *f = *state;
    add_user(f, "adm", ACCESS_ROLE_ADMIN, NULL, NULL, 0);
    char token[ACCESS_TOKEN_LEN + 1];
    p20w_err err = {0};
    /* Four failures, then the window passes: the count starts over. */
    for (int i = 0; i < 4; i++)
        assert_int_equal(access_login(f->ax, "adm", "Wrong-Password-99", "ip",
                                      T0 + i, token, &err),
                         P20W_EDENIED);
    int64_t t = T0 + 16 * MIN;
    for (int i = 0; i < 4; i++)
        assert_int_equal(access_login(f->ax, "adm", "Wrong-Password-99", "ip",
                                      t + i, token, &err),
                         P20W_EDENIED);
    assert_int_equal(
        access_login(f->ax, "adm", good_pw, "ip", t + 5, token, &err), P20W_OK);
    /* Five in a row lock it, even against the right password. */
    t += HOUR;
    for (int i = 0; i < 5; i++)
        assert_int_equal(access_login(f->ax, "adm", "Wrong-Password-99", "ip",
                                      t + i, token, &err),
                         P20W_EDENIED);
    assert_int_equal(q_int(f->st, "SELECT count(*) FROM audit_log WHERE why "
                                  "LIKE 'wrong password (5 in a row): locked "
                                  "until %'"),
                     1);
    assert_int_equal(
        access_login(f->ax, "adm", good_pw, "ip", t + 10 * MIN, token, &err),
        P20W_EDENIED);
    assert_int_equal(q_int(f->st, "SELECT count(*) FROM audit_log WHERE why "
                                  "LIKE 'account locked until %'"),
                     1);
    /* Unlocked once lockout_s has passed. */
    assert_int_equal(access_login(f->ax, "adm", good_pw, "ip", t + 4 + 15 * MIN,
                                  token, &err),
                     P20W_OK);
    /* Or at once by an admin's enable. */
    t += 2 * HOUR;
    for (int i = 0; i < 5; i++)
        access_login(f->ax, "adm", "Wrong-Password-99", "ip", t + i, token,
                     NULL);
    assert_int_equal(
        access_user_set_active(f->ax, "adm", 1, "tester", "t", t + 5, &err),
        P20W_OK);
    assert_int_equal(
        access_login(f->ax, "adm", good_pw, "ip", t + 6, token, &err), P20W_OK);
}

static void test_session_timeouts(void **state)
{
    fx *f = *state;
    add_user(f, "adm", ACCESS_ROLE_ADMIN, NULL, NULL, 0);
    char tok[ACCESS_TOKEN_LEN + 1];
    access_principal p;
    p20w_err err = {0};
    /* Idle: 29 min is fine and refreshes the clock; 30 min more is not. */
    assert_int_equal(access_login(f->ax, "adm", good_pw, "ip", T0, tok, &err),
                     P20W_OK);
    assert_int_equal(
        access_session_check(f->ax, tok, "ip", T0 + 29 * MIN, &p, &err),
        P20W_OK);
    assert_int_equal(
        access_session_check(f->ax, tok, "ip", T0 + 58 * MIN + 59, &p, &err),
        P20W_OK);
    assert_int_equal(
        access_session_check(f->ax, tok, "ip", T0 + 88 * MIN + 59, &p, &err),
        P20W_EDENIED);
    assert_non_null(strstr(err.msg, "idle timeout"));
    assert_int_equal(q_int(f->st, "SELECT count(*) FROM sessions"), 0);
    /* Absolute: busy all day, still ended at 8 h. */
    int64_t t = T0 + DAY;
    assert_int_equal(access_login(f->ax, "adm", good_pw, "ip", t, tok, &err),
                     P20W_OK);
    for (int64_t s = 20 * MIN; s < 8 * HOUR; s += 20 * MIN)
        assert_int_equal(
            access_session_check(f->ax, tok, "ip", t + s, &p, &err), P20W_OK);
    assert_int_equal(
        access_session_check(f->ax, tok, "ip", t + 8 * HOUR, &p, &err),
        P20W_EDENIED);
    assert_non_null(strstr(err.msg, "absolute timeout"));
    assert_int_equal(q_int(f->st, "SELECT count(*) FROM audit_log WHERE "
                                  "event = 'session_end'"),
                     2);
}

static void test_disabled_user_session_ends(void **state)
{
    fx *f = *state;
    add_user(f, "adm", ACCESS_ROLE_ADMIN, NULL, NULL, 0);
    char t1[ACCESS_TOKEN_LEN + 1], t2[ACCESS_TOKEN_LEN + 1];
    access_principal p;
    p20w_err err = {0};
    assert_int_equal(access_login(f->ax, "adm", good_pw, "a", T0, t1, &err),
                     P20W_OK);
    assert_int_equal(access_login(f->ax, "adm", good_pw, "b", T0, t2, &err),
                     P20W_OK);
    /* Disabled behind p20w's back (direct SQL): the next request ends
     * every session of the account. */
    exec(f->st, "UPDATE users SET status = 'disabled' WHERE name = 'adm'");
    assert_int_equal(access_session_check(f->ax, t1, "a", T0 + MIN, &p, &err),
                     P20W_EDENIED);
    assert_non_null(strstr(err.msg, "account disabled"));
    assert_int_equal(q_int(f->st, "SELECT count(*) FROM sessions"), 0);
    assert_int_equal(access_session_check(f->ax, t2, "b", T0 + MIN, &p, &err),
                     P20W_EDENIED);
    /* Through p20w: sessions end at once; a new password ends them too. */
    assert_int_equal(
        access_user_set_active(f->ax, "adm", 1, "tester", "t", T0, &err),
        P20W_OK);
    assert_int_equal(access_login(f->ax, "adm", good_pw, "a", T0, t1, &err),
                     P20W_OK);
    assert_int_equal(access_user_set_password(f->ax, "adm",
                                              "Another-Good-Passphrase", "x",
                                              "t", T0 + MIN, &err),
                     P20W_OK);
    assert_int_equal(q_int(f->st, "SELECT count(*) FROM sessions"), 0);
    assert_int_equal(access_login(f->ax, "adm", good_pw, "a", T0, t1, &err),
                     P20W_EDENIED);
    assert_int_equal(access_login(f->ax, "adm", "Another-Good-Passphrase", "a",
                                  T0, t1, &err),
                     P20W_OK);
    assert_int_equal(
        access_user_set_active(f->ax, "adm", 0, "tester", "t", T0, &err),
        P20W_OK);
    assert_int_equal(q_int(f->st, "SELECT count(*) FROM sessions"), 0);
    assert_int_equal(
        access_user_set_active(f->ax, "ghost", 0, "tester", "t", T0, &err),
        P20W_ENOTFOUND);
}

/* ---- the permission matrix
 * ----------------------------------------------------- */

enum { ANY = 0, A_SCHOOL, B_SCHOOL, A_DISTRICT, A_INST };
enum { NONE = 0, ACTIVE_DSA, ENDED_DSA, PENDING_DSA };
enum { NO_AUDIT = 0, AUDIT_DENIED, AUDIT_READ };

typedef struct matrix_row {
    access_role role;
    int pscope; /* practitioner's scope: school A, district of A, inst */
    const char *pagency;
    int pdsa; /* the researcher's agreement */
    access_action action;
    access_kind kind;
    int rscope; /* the unit the resource belongs to */
    const char *ragency;
    int rdsa;
    int allowed;
    int audit;
} matrix_row;

#define R(role, ps, pa, pd, act, kind, rs, ra, rd, ok, au)                     \
    {                                                                          \
        ACCESS_ROLE_##role, ps, pa, pd, act, ACCESS_RES_##kind, rs, ra, rd,    \
            ok, au                                                             \
    }
#define RD ACCESS_READ
#define WR ACCESS_WRITE

static const matrix_row matrix[] = {
    /* public: published tables only */
    R(PUBLIC, ANY, NULL, NONE, RD, PUBLISHED, ANY, NULL, NONE, 1, NO_AUDIT),
    R(PUBLIC, ANY, NULL, NONE, WR, PUBLISHED, ANY, NULL, NONE, 0, AUDIT_DENIED),
    R(PUBLIC, ANY, NULL, NONE, RD, AGGREGATE, A_SCHOOL, NULL, NONE, 0,
      AUDIT_DENIED),
    R(PUBLIC, ANY, NULL, NONE, RD, LEARNER_EDU, A_SCHOOL, NULL, NONE, 0,
      AUDIT_DENIED),
    R(PUBLIC, ANY, NULL, NONE, RD, LEARNER_WAGES, A_SCHOOL, NULL, NONE, 0,
      AUDIT_DENIED),
    R(PUBLIC, ANY, NULL, NONE, RD, SUBMISSION, ANY, "SEA", NONE, 0,
      AUDIT_DENIED),
    R(PUBLIC, ANY, NULL, NONE, RD, EXTRACT, ANY, NULL, ACTIVE_DSA, 0,
      AUDIT_DENIED),
    R(PUBLIC, ANY, NULL, NONE, RD, ADMIN, ANY, NULL, NONE, 0, AUDIT_DENIED),
    R(PUBLIC, ANY, NULL, NONE, RD, AUDIT, ANY, NULL, NONE, 0, AUDIT_DENIED),
    /* practitioner of school A */
    R(PRACTITIONER, A_SCHOOL, NULL, NONE, RD, PUBLISHED, ANY, NULL, NONE, 1,
      NO_AUDIT),
    R(PRACTITIONER, A_SCHOOL, NULL, NONE, RD, AGGREGATE, A_SCHOOL, NULL, NONE,
      1, NO_AUDIT),
    R(PRACTITIONER, A_SCHOOL, NULL, NONE, RD, AGGREGATE, B_SCHOOL, NULL, NONE,
      0, AUDIT_DENIED),
    R(PRACTITIONER, A_SCHOOL, NULL, NONE, RD, AGGREGATE, A_DISTRICT, NULL, NONE,
      0, AUDIT_DENIED),
    R(PRACTITIONER, A_SCHOOL, NULL, NONE, WR, AGGREGATE, A_SCHOOL, NULL, NONE,
      0, AUDIT_DENIED),
    R(PRACTITIONER, A_SCHOOL, NULL, NONE, RD, LEARNER_EDU, A_SCHOOL, NULL, NONE,
      1, AUDIT_READ),
    R(PRACTITIONER, A_SCHOOL, NULL, NONE, RD, LEARNER_EDU, B_SCHOOL, NULL, NONE,
      0, AUDIT_DENIED),
    R(PRACTITIONER, A_SCHOOL, NULL, NONE, RD, LEARNER_EDU, ANY, NULL, NONE, 0,
      AUDIT_DENIED),
    R(PRACTITIONER, A_SCHOOL, NULL, NONE, RD, LEARNER_WAGES, A_SCHOOL, NULL,
      NONE, 0, AUDIT_DENIED),
    R(PRACTITIONER, A_SCHOOL, NULL, NONE, RD, SUBMISSION, ANY, "SEA", NONE, 0,
      AUDIT_DENIED),
    R(PRACTITIONER, A_SCHOOL, NULL, NONE, RD, EXTRACT, ANY, NULL, ACTIVE_DSA, 0,
      AUDIT_DENIED),
    R(PRACTITIONER, A_SCHOOL, NULL, NONE, RD, ADMIN, ANY, NULL, NONE, 0,
      AUDIT_DENIED),
    R(PRACTITIONER, A_SCHOOL, NULL, NONE, RD, AUDIT, ANY, NULL, NONE, 0,
      AUDIT_DENIED),
    /* practitioner of district A: its schools' learners and aggregates */
    R(PRACTITIONER, A_DISTRICT, NULL, NONE, RD, AGGREGATE, A_DISTRICT, NULL,
      NONE, 1, NO_AUDIT),
    R(PRACTITIONER, A_DISTRICT, NULL, NONE, RD, LEARNER_EDU, A_DISTRICT, NULL,
      NONE, 1, AUDIT_READ),
    R(PRACTITIONER, A_DISTRICT, NULL, NONE, RD, LEARNER_EDU, B_SCHOOL, NULL,
      NONE, 0, AUDIT_DENIED),
    R(PRACTITIONER, A_DISTRICT, NULL, NONE, RD, LEARNER_WAGES, A_DISTRICT, NULL,
      NONE, 0, AUDIT_DENIED),
    /* practitioner of an institution */
    R(PRACTITIONER, A_INST, NULL, NONE, RD, LEARNER_EDU, A_INST, NULL, NONE, 1,
      AUDIT_READ),
    R(PRACTITIONER, A_INST, NULL, NONE, RD, AGGREGATE, A_INST, NULL, NONE, 1,
      NO_AUDIT),
    R(PRACTITIONER, A_INST, NULL, NONE, RD, LEARNER_EDU, A_SCHOOL, NULL, NONE,
      0, AUDIT_DENIED),
    /* researcher of the active agreement */
    R(RESEARCHER, ANY, NULL, ACTIVE_DSA, RD, PUBLISHED, ANY, NULL, NONE, 1,
      NO_AUDIT),
    R(RESEARCHER, ANY, NULL, ACTIVE_DSA, RD, EXTRACT, ANY, NULL, ACTIVE_DSA, 1,
      NO_AUDIT),
    R(RESEARCHER, ANY, NULL, ACTIVE_DSA, WR, EXTRACT, ANY, NULL, ACTIVE_DSA, 0,
      AUDIT_DENIED),
    R(RESEARCHER, ANY, NULL, ACTIVE_DSA, RD, EXTRACT, ANY, NULL, ENDED_DSA, 0,
      AUDIT_DENIED),
    R(RESEARCHER, ANY, NULL, ACTIVE_DSA, RD, AGGREGATE, A_SCHOOL, NULL, NONE, 0,
      AUDIT_DENIED),
    R(RESEARCHER, ANY, NULL, ACTIVE_DSA, RD, LEARNER_EDU, A_SCHOOL, NULL, NONE,
      0, AUDIT_DENIED),
    R(RESEARCHER, ANY, NULL, ACTIVE_DSA, RD, LEARNER_WAGES, A_SCHOOL, NULL,
      NONE, 0, AUDIT_DENIED),
    R(RESEARCHER, ANY, NULL, ACTIVE_DSA, RD, SUBMISSION, ANY, "SEA", NONE, 0,
      AUDIT_DENIED),
    R(RESEARCHER, ANY, NULL, ACTIVE_DSA, RD, ADMIN, ANY, NULL, NONE, 0,
      AUDIT_DENIED),
    R(RESEARCHER, ANY, NULL, ACTIVE_DSA, RD, AUDIT, ANY, NULL, NONE, 0,
      AUDIT_DENIED),
    /* researcher after the end date, and before the start date */
    R(RESEARCHER, ANY, NULL, ENDED_DSA, RD, EXTRACT, ANY, NULL, ENDED_DSA, 0,
      AUDIT_DENIED),
    R(RESEARCHER, ANY, NULL, PENDING_DSA, RD, EXTRACT, ANY, NULL, PENDING_DSA,
      0, AUDIT_DENIED),
    /* steward of SEA */
    R(STEWARD, ANY, "SEA", NONE, RD, PUBLISHED, ANY, NULL, NONE, 1, NO_AUDIT),
    R(STEWARD, ANY, "SEA", NONE, RD, SUBMISSION, ANY, "SEA", NONE, 1, NO_AUDIT),
    R(STEWARD, ANY, "SEA", NONE, WR, SUBMISSION, ANY, "SEA", NONE, 1, NO_AUDIT),
    R(STEWARD, ANY, "SEA", NONE, RD, SUBMISSION, ANY, "labor agency", NONE, 0,
      AUDIT_DENIED),
    R(STEWARD, ANY, "SEA", NONE, RD, AGGREGATE, A_SCHOOL, NULL, NONE, 0,
      AUDIT_DENIED),
    R(STEWARD, ANY, "SEA", NONE, RD, LEARNER_EDU, A_SCHOOL, NULL, NONE, 0,
      AUDIT_DENIED),
    R(STEWARD, ANY, "labor agency", NONE, RD, LEARNER_WAGES, A_SCHOOL, NULL,
      NONE, 0, AUDIT_DENIED),
    R(STEWARD, ANY, "SEA", NONE, RD, EXTRACT, ANY, NULL, ACTIVE_DSA, 0,
      AUDIT_DENIED),
    R(STEWARD, ANY, "SEA", NONE, RD, ADMIN, ANY, NULL, NONE, 0, AUDIT_DENIED),
    R(STEWARD, ANY, "SEA", NONE, RD, AUDIT, ANY, NULL, NONE, 0, AUDIT_DENIED),
    /* admin: access, not learner data */
    R(ADMIN, ANY, NULL, NONE, RD, PUBLISHED, ANY, NULL, NONE, 1, NO_AUDIT),
    R(ADMIN, ANY, NULL, NONE, RD, ADMIN, ANY, NULL, NONE, 1, NO_AUDIT),
    R(ADMIN, ANY, NULL, NONE, WR, ADMIN, ANY, NULL, NONE, 1, NO_AUDIT),
    R(ADMIN, ANY, NULL, NONE, RD, AUDIT, ANY, NULL, NONE, 1, NO_AUDIT),
    R(ADMIN, ANY, NULL, NONE, WR, AUDIT, ANY, NULL, NONE, 0, AUDIT_DENIED),
    R(ADMIN, ANY, NULL, NONE, RD, SUBMISSION, ANY, "labor agency", NONE, 1,
      NO_AUDIT),
    R(ADMIN, ANY, NULL, NONE, WR, SUBMISSION, ANY, "SEA", NONE, 0,
      AUDIT_DENIED),
    R(ADMIN, ANY, NULL, NONE, RD, EXTRACT, ANY, NULL, ACTIVE_DSA, 1, NO_AUDIT),
    R(ADMIN, ANY, NULL, NONE, RD, EXTRACT, ANY, NULL, ENDED_DSA, 0,
      AUDIT_DENIED),
    R(ADMIN, ANY, NULL, NONE, RD, AGGREGATE, A_SCHOOL, NULL, NONE, 0,
      AUDIT_DENIED),
    R(ADMIN, ANY, NULL, NONE, RD, LEARNER_EDU, A_SCHOOL, NULL, NONE, 0,
      AUDIT_DENIED),
    R(ADMIN, ANY, NULL, NONE, RD, LEARNER_WAGES, A_SCHOOL, NULL, NONE, 0,
      AUDIT_DENIED),
};

/* The units of a resource: school A belongs to district A; school B to
 * district B. */
static void resource_scopes(access_resource *r, int which)
{
    p20w_err err = {0};
    if (which == A_SCHOOL) {
        access_resource_add_scope(r, ACCESS_SCOPE_SCHOOL, "A", &err);
        access_resource_add_scope(r, ACCESS_SCOPE_DISTRICT, "DA", &err);
    } else if (which == B_SCHOOL) {
        access_resource_add_scope(r, ACCESS_SCOPE_SCHOOL, "B", &err);
        access_resource_add_scope(r, ACCESS_SCOPE_DISTRICT, "DB", &err);
    } else if (which == A_DISTRICT) {
        access_resource_add_scope(r, ACCESS_SCOPE_DISTRICT, "DA", &err);
    } else if (which == A_INST) {
        access_resource_add_scope(r, ACCESS_SCOPE_INSTITUTION, "U1", &err);
    }
}

static void test_permission_matrix(void **state)
{
    fx *f = *state;
    int64_t dsa[4] = {0};
    dsa[ACTIVE_DSA] =
        add_dsa(f, "k12_students.sex", "2026-01-01", "2026-12-31");
    dsa[ENDED_DSA] = add_dsa(f, "k12_students.sex", "2025-01-01", "2026-05-27");
    dsa[PENDING_DSA] =
        add_dsa(f, "k12_students.sex", "2026-05-29", "2026-12-31");
    /* Every role meets every kind of resource in the table. */
    int seen[ACCESS_ROLE_COUNT][ACCESS_RES_KIND_COUNT] = {{0}};
    int allowed_seen[ACCESS_ROLE_COUNT] = {0},
        denied_seen[ACCESS_ROLE_COUNT] = {0};
    for (size_t i = 0; i < sizeof matrix / sizeof matrix[0]; i++) {
        const matrix_row *m = &matrix[i];
        access_principal p;
        access_principal_public(&p, "198.51.100.7");
        p.role = m->role;
        if (m->role != ACCESS_ROLE_PUBLIC) {
            p.user_id = 1;
            snprintf(p.name, sizeof p.name, "%s%zu", access_role_name(m->role),
                     i);
        }
        if (m->pscope == A_SCHOOL || m->pscope == A_DISTRICT ||
            m->pscope == A_INST) {
            p.nscopes = 1;
            p.scopes[0].kind = m->pscope == A_SCHOOL ? ACCESS_SCOPE_SCHOOL
                               : m->pscope == A_DISTRICT
                                   ? ACCESS_SCOPE_DISTRICT
                                   : ACCESS_SCOPE_INSTITUTION;
            snprintf(p.scopes[0].id, sizeof p.scopes[0].id, "%s",
                     m->pscope == A_SCHOOL     ? "A"
                     : m->pscope == A_DISTRICT ? "DA"
                                               : "U1");
        }
        if (m->pagency != NULL)
            snprintf(p.agency, sizeof p.agency, "%s", m->pagency);
        p.dsa_id = dsa[m->pdsa];
        access_resource r;
        access_resource_init(&r, m->kind);
        resource_scopes(&r, m->rscope);
        r.agency = m->ragency;
        r.dsa_id = dsa[m->rdsa];
        r.p20w_id = 1000 + (int64_t)i;
        int64_t before = audit_count(f);
        access_decision d;
        p20w_err err = {0};
        assert_int_equal(access_check(f->ax, &p, m->action, &r, T0, &d, &err),
                         P20W_OK);
        if (d.allowed != m->allowed)
            fail_msg("row %zu (%s, %s): expected %s, got %s (%s)", i,
                     access_role_name(m->role), access_kind_name(m->kind),
                     m->allowed ? "allowed" : "denied",
                     d.allowed ? "allowed" : "denied", d.reason);
        assert_true(d.reason[0] != '\0');
        int64_t added = audit_count(f) - before;
        assert_int_equal(added, m->audit == NO_AUDIT ? 0 : 1);
        if (m->audit != NO_AUDIT) {
            char ev[32], who[80], res[600];
            q_text(f->st, "SELECT event FROM audit_log ORDER BY seq DESC", ev,
                   sizeof ev);
            q_text(f->st, "SELECT actor FROM audit_log ORDER BY seq DESC", who,
                   sizeof who);
            q_text(f->st, "SELECT resource FROM audit_log ORDER BY seq DESC",
                   res, sizeof res);
            assert_string_equal(ev, m->audit == AUDIT_READ ? "read" : "denied");
            assert_string_equal(who, p.name);
            if (m->kind == ACCESS_RES_LEARNER_EDU ||
                m->kind == ACCESS_RES_LEARNER_WAGES) {
                char want[40];
                snprintf(want, sizeof want, "of learner %lld",
                         (long long)r.p20w_id);
                assert_non_null(strstr(res, want));
            }
        }
        /* access_decide says the same and records nothing. */
        before = audit_count(f);
        access_decision d2;
        assert_int_equal(access_decide(f->ax, &p, m->action, &r, T0, &d2, &err),
                         P20W_OK);
        assert_int_equal(d2.allowed, d.allowed);
        assert_int_equal(audit_count(f), before);
        seen[m->role][m->kind] = 1;
        if (m->allowed)
            allowed_seen[m->role] = 1;
        else
            denied_seen[m->role] = 1;
    }
    for (int r = 0; r < ACCESS_ROLE_COUNT; r++) {
        for (int k = 0; k < ACCESS_RES_KIND_COUNT; k++)
            if (!seen[r][k])
                fail_msg("matrix lacks %s × %s",
                         access_role_name((access_role)r),
                         access_kind_name((access_kind)k));
        assert_true(allowed_seen[r] && denied_seen[r]);
    }
    assert_verifies(f, 1);
}

/* ---- DSAs ------------------------------------------------------------------
 */

static void test_dsa_rules(void **state)
{
    fx *f = *state;
    static const struct {
        const char *element;
        const char *why;
    } rows[] = {
        {"k12_students.race_ethnicity", NULL},
        {"ui_wages.wages", NULL},
        {"k12_schools.district_id", NULL},
        {"k12_students.first_name", "direct identifier"},
        {"k12_students.birth_date", "direct identifier"},
        {"ui_wages.ssn", "direct identifier"},
        {"dmv_ids.dmv_id", "direct identifier"},
        {"k12_students.student_id", "person id"},
        {"ps_enrollments.ps_student_id", "person id"},
        {"K12_Students.sex", "write element"},
        {"k12_students.nope", "not in the data dictionary"},
        {"nope.sex", "not in the data dictionary"},
        {"sex", "not extract.column"},
        {".sex", "not extract.column"},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        p20w_err err = {0};
        p20w_status rc = access_element_check(rows[i].element, &err);
        if (rows[i].why == NULL
                ? rc != P20W_OK
                : rc != P20W_EINVAL || strstr(err.msg, rows[i].why) == NULL)
            fail_msg("row %zu (%s): rc %d '%s'", i, rows[i].element, rc,
                     err.msg);
    }
    const char *el[] = {"k12_students.sex"};
    static const struct {
        const char *purpose, *start, *end, *destroy, *why;
    } bad[] = {
        {"", "2026-01-01", "2026-12-31", "2027-12-31", "purpose"},
        {"p", "2026-13-01", "2026-12-31", "2027-12-31", "start date"},
        {"p", "2026-01-01", "2025-12-31", "2027-12-31", "before the start"},
        {"p", "2026-01-01", "2026-12-31", "2026-06-30", "destruction date is"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        access_dsa_spec s = {bad[i].purpose, "U",           el, 1, bad[i].start,
                             bad[i].end,     bad[i].destroy};
        p20w_err err = {0};
        assert_int_equal(access_dsa_add(f->ax, &s, "t", "t", T0, NULL, &err),
                         P20W_EINVAL);
        assert_non_null(strstr(err.msg, bad[i].why));
    }
    assert_int_equal(q_int(f->st, "SELECT count(*) FROM dsas"), 0);
    int64_t id = add_dsa(f, "ui_wages.wages,k12_students.sex", "2026-01-01",
                         "2026-12-31");
    access_dsa *d = NULL;
    assert_int_equal(access_dsa_get(f->ax, id, &d, NULL), P20W_OK);
    assert_int_equal(d->nelements, 2);
    assert_string_equal(d->elements[0], "k12_students.sex");
    assert_string_equal(d->elements[1], "ui_wages.wages");
    assert_string_equal(access_dsa_status(d, T0), "active");
    assert_string_equal(access_dsa_status(d, T0 - 200 * DAY), "pending");
    assert_string_equal(access_dsa_status(d, T0 + 250 * DAY), "ended");
    access_dsa_free(d);
    /* Ends early; never extended; destruction recorded once. */
    p20w_err err = {0};
    assert_int_equal(
        access_dsa_end(f->ax, id, "2027-06-30", "t", "t", T0, &err),
        P20W_EINVAL);
    assert_int_equal(
        access_dsa_end(f->ax, id, "2026-05-27", "t", "t", T0, &err), P20W_OK);
    assert_int_equal(access_dsa_get(f->ax, id, &d, NULL), P20W_OK);
    assert_string_equal(access_dsa_status(d, T0), "ended");
    access_dsa_free(d);
    assert_int_equal(access_dsa_destroyed(f->ax, id, "t", "t", T0, &err),
                     P20W_OK);
    assert_int_equal(access_dsa_destroyed(f->ax, id, "t", "t", T0, &err),
                     P20W_EINVAL);
    assert_int_equal(access_dsa_get(f->ax, 99, &d, &err), P20W_ENOTFOUND);
    assert_int_equal(
        q_int(f->st, "SELECT count(*) FROM audit_log WHERE event = 'admin'"),
        3); /* add, end, destroyed: not the refused changes */
}

/* ---- the audit chain against direct SQL -----------------------------------
 */

static void fill_log(fx *f, int n)
{
    int64_t first = audit_count(f) + 1;
    for (int i = 0; i < n; i++) {
        char why[32];
        snprintf(why, sizeof why, "record %d", i + 1);
        access_audit_entry e = {"pat", ACCESS_EV_READ, "learner 7", "allowed",
                                why,   "10.0.0.1"};
        int64_t seq = 0;
        assert_int_equal(access_audit_append(f->ax, &e, T0 + i, &seq, NULL),
                         P20W_OK);
        assert_int_equal(seq, first + i);
    }
}

static void test_audit_chain_ok(void **state)
{
    fx *f = *state;
    assert_verifies(f, 1); /* empty */
    fill_log(f, 6);
    access_audit_verdict v;
    assert_int_equal(access_audit_verify(f->ax, 0, NULL, &v, NULL), P20W_OK);
    assert_true(v.ok);
    assert_int_equal(v.records, 6);
    assert_int_equal(v.head_seq, 6);
    char mac[80];
    q_text(f->st, "SELECT mac FROM audit_log WHERE seq = 6", mac, sizeof mac);
    assert_string_equal(v.head_mac, mac);
    /* Anchors: right, wrong mac, beyond the end. */
    assert_int_equal(access_audit_verify(f->ax, 6, mac, &v, NULL), P20W_OK);
    assert_true(v.ok);
    assert_int_equal(access_audit_verify(f->ax, 5, mac, &v, NULL), P20W_OK);
    assert_false(v.ok);
    assert_int_equal(access_audit_verify(f->ax, 9, mac, &v, NULL), P20W_OK);
    assert_false(v.ok);
    /* Long fields are cut at a character boundary, and still verify. */
    char big[3000];
    for (size_t i = 0; i + 2 < sizeof big; i += 2)
        memcpy(big + i, "\xc3\xa9", 2); /* é */
    big[sizeof big - 2] = '\0';
    access_audit_entry e = {"x", ACCESS_EV_ADMIN, big, "ok", big, NULL};
    assert_int_equal(access_audit_append(f->ax, &e, T0, NULL, NULL), P20W_OK);
    assert_int_equal(q_int(f->st, "SELECT length(CAST(resource AS BLOB)) FROM "
                                  "audit_log WHERE seq = 7"),
                     1000);
    assert_verifies(f, 1);
}

typedef struct tamper {
    const char *name;
    const char *sql;
    int64_t bad_seq;
    const char *problem;
} tamper;

static const tamper tampers[] = {
    {"edit a field", "UPDATE audit_log SET why = 'nothing' WHERE seq = 3", 3,
     "does not match its mac"},
    {"edit the time",
     "UPDATE audit_log SET ts = '2020-01-01T00:00:00Z' "
     "WHERE seq = 1",
     1, "does not match its mac"},
    {"delete a record", "DELETE FROM audit_log WHERE seq = 4", 4, "missing"},
    {"insert a record",
     "UPDATE audit_log SET seq = seq + 100 WHERE seq >= 4;"
     "UPDATE audit_log SET seq = seq - 99 WHERE seq >= 104;"
     "INSERT INTO audit_log SELECT 4, ts, 'mallory', event, resource, "
     "outcome, why, origin, mac FROM audit_log WHERE seq = 3",
     4, "does not match its mac"},
    {"append a record",
     "INSERT INTO audit_log SELECT 7, ts, actor, event, resource, outcome, "
     "why, origin, mac FROM audit_log WHERE seq = 6",
     7, "does not match its mac"},
    {"swap two records",
     "UPDATE audit_log SET seq = 103 WHERE seq = 3;"
     "UPDATE audit_log SET seq = 3 WHERE seq = 4;"
     "UPDATE audit_log SET seq = 4 WHERE seq = 103",
     3, "does not match its mac"},
    {"delete the last record", "DELETE FROM audit_log WHERE seq = 6", 6,
     "last records were deleted"},
    {"delete the head", "DELETE FROM p20w_meta WHERE key = 'audit_head'", 6,
     "head is missing"},
    {"edit the head",
     "UPDATE p20w_meta SET value = '5' || substr(value, 2) WHERE key = "
     "'audit_head'",
     6, "head in p20w_meta was altered"},
};

static void test_audit_tamper(void **state)
{
    fx *f = *state;
    for (size_t i = 0; i < sizeof tampers / sizeof tampers[0]; i++) {
        exec(f->st, "DELETE FROM audit_log; DELETE FROM p20w_meta WHERE key = "
                    "'audit_head'");
        fill_log(f, 6);
        assert_verifies(f, 1);
        exec(f->st, tampers[i].sql);
        access_audit_verdict v;
        assert_int_equal(access_audit_verify(f->ax, 0, NULL, &v, NULL),
                         P20W_OK);
        if (v.ok || v.bad_seq != tampers[i].bad_seq ||
            strstr(v.problem, tampers[i].problem) == NULL)
            fail_msg("%s: ok=%d bad_seq=%lld '%s'", tampers[i].name, v.ok,
                     (long long)v.bad_seq, v.problem);
    }
}

/* The limit docs/access.md states: cutting the tail and putting back a
 * head saved earlier passes verification, unless an anchor kept
 * elsewhere names a later record. */
static void test_audit_rollback_needs_anchor(void **state)
{
    fx *f = *state;
    fill_log(f, 4);
    char old_head[300], mac6[80];
    q_text(f->st, "SELECT value FROM p20w_meta WHERE key = 'audit_head'",
           old_head, sizeof old_head);
    fill_log(f, 2); /* seq 5, 6 */
    q_text(f->st, "SELECT mac FROM audit_log WHERE seq = 6", mac6, sizeof mac6);
    store_stmt *q = NULL;
    exec(f->st, "DELETE FROM audit_log WHERE seq > 4");
    assert_int_equal(store_prepare(f->st,
                                   "UPDATE p20w_meta SET value = ? WHERE key "
                                   "= 'audit_head'",
                                   &q, NULL),
                     P20W_OK);
    assert_int_equal(store_bind_text(q, 1, old_head, (size_t)-1, NULL),
                     P20W_OK);
    assert_int_equal(access_step_done(q, NULL), P20W_OK);
    store_finalize(q);
    assert_verifies(f, 1); /* undetectable from inside the database */
    access_audit_verdict v;
    assert_int_equal(access_audit_verify(f->ax, 6, mac6, &v, NULL), P20W_OK);
    assert_false(v.ok);
    assert_non_null(strstr(v.problem, "cut back"));
}

/* Another key cannot verify the chain: whoever edits the log needs the key
 * file, not just SQL. */
static void test_audit_needs_the_key(void **state)
{
    fx *f = *state;
    fill_log(f, 3);
    char other[200];
    snprintf(other, sizeof other, "%s/other.key", f->dir);
    access_options o;
    access_options_init(&o);
    o.key_path = other;
    o.create_key = 1;
    access_ctx *ax = NULL;
    p20w_err err = {0};
    /* The log has records: no new key is made for it. */
    assert_int_equal(access_open(f->st, &o, &ax, &err), P20W_ENOTFOUND);
    FILE *fp = fopen(other, "w");
    fputs("00000000000000000000000000000000"
          "00000000000000000000000000000000\n",
          fp);
    fclose(fp);
    assert_int_equal(chmod(other, 0600), 0);
    assert_int_equal(access_open(f->st, &o, &ax, &err), P20W_OK);
    access_audit_verdict v;
    assert_int_equal(access_audit_verify(ax, 0, NULL, &v, NULL), P20W_OK);
    assert_false(v.ok);
    assert_int_equal(v.bad_seq, 1);
    access_close(ax);
}

/* ---- allocation failures ------------------------------------------------- */

static void test_alloc_failures_audit_append(void **state)
{
    fx *f = *state;
    fill_log(f, 2);
    int failures = 0;
    for (long n = 0;; n++) {
        access_audit_entry e = {"pat",    ACCESS_EV_DENIED, "learner 9",
                                "denied", "outside scope",  "ip"};
        p20w_mem_fail_after(n);
        p20w_status rc = access_audit_append(f->ax, &e, T0, NULL, NULL);
        int failed = p20w_mem_failed();
        p20w_mem_fail_reset();
        if (!failed) {
            assert_int_equal(rc, P20W_OK);
            break;
        }
        failures++;
        assert_int_not_equal(rc, P20W_OK);
        assert_false(store_in_transaction(f->st));
        assert_int_equal(audit_count(f), 2);
        assert_verifies(f, 1);
    }
    assert_true(failures >= 3);
    assert_int_equal(audit_count(f), 3);
    assert_verifies(f, 1);
}

static void test_alloc_failures_login(void **state)
{
    fx *f = *state;
    add_user(f, "adm", ACCESS_ROLE_ADMIN, NULL, NULL, 0);
    int64_t before = audit_count(f);
    int failures = 0;
    char token[ACCESS_TOKEN_LEN + 1];
    for (long n = 0;; n++) {
        p20w_mem_fail_after(n);
        p20w_status rc =
            access_login(f->ax, "adm", good_pw, "ip", T0, token, NULL);
        int failed = p20w_mem_failed();
        p20w_mem_fail_reset();
        if (!failed) {
            assert_int_equal(rc, P20W_OK);
            break;
        }
        failures++;
        assert_int_not_equal(rc, P20W_OK);
        assert_string_equal(token, "");
        assert_false(store_in_transaction(f->st));
        /* All or nothing: no session without its audit record. */
        assert_int_equal(q_int(f->st, "SELECT count(*) FROM sessions"), 0);
        assert_int_equal(audit_count(f), before);
    }
    assert_true(failures >= 5);
    assert_int_equal(q_int(f->st, "SELECT count(*) FROM sessions"), 1);
    assert_int_equal(audit_count(f), before + 1);
    assert_verifies(f, 1);
}

/* ---- no password in the clear
 * ------------------------------------------------ */

static int file_contains(const char *path, const char *needle)
{
    FILE *fp = fopen(path, "rb");
    if (fp == NULL)
        return 0;
    static char buf[1 << 22];
    size_t n = fread(buf, 1, sizeof buf, fp);
    fclose(fp);
    size_t k = strlen(needle);
    for (size_t i = 0; i + k <= n; i++)
        if (memcmp(buf + i, needle, k) == 0)
            return 1;
    return 0;
}

static void test_passwords_never_stored(void **state)
{
    fx *f = *state;
    static const char pw1[] = "Zebra-Quokka-Lantern-4471";
    static const char pw2[] = "Wrong-Guess-Ferret-9902";
    static const char pw3[] = "Second-Secret-Otter-5123";
    access_user_spec s = {"adm", ACCESS_ROLE_ADMIN, pw1, NULL, 0, NULL, 0};
    p20w_err err = {0};
    assert_int_equal(access_user_add(f->ax, &s, "t", "t", T0, NULL, &err),
                     P20W_OK);
    char token[ACCESS_TOKEN_LEN + 1];
    assert_int_equal(access_login(f->ax, "adm", pw2, "ip", T0, token, &err),
                     P20W_EDENIED);
    assert_null(strstr(err.msg, pw2));
    /* A password typed as the user name is not logged either. */
    assert_int_equal(access_login(f->ax, pw3, pw3, "ip", T0, token, &err),
                     P20W_EDENIED);
    assert_int_equal(access_login(f->ax, "adm", pw1, "ip", T0, token, &err),
                     P20W_OK);
    assert_int_equal(
        access_user_set_password(f->ax, "adm", pw3, "t", "t", T0, &err),
        P20W_OK);
    access_close(f->ax);
    f->ax = NULL;
    store_close(f->st); /* checkpoints the WAL into the file */
    f->st = NULL;
    char wal[160];
    snprintf(wal, sizeof wal, "%s-wal", f->db);
    const char *files[] = {f->db, wal, f->key};
    const char *secrets[] = {pw1, pw2, pw3, token};
    for (size_t i = 0; i < 3; i++)
        for (size_t k = 0; k < 4; k++)
            if (file_contains(files[i], secrets[k]))
                fail_msg("%s holds secret %zu", files[i], k);
    assert_true(file_contains(f->db, "$argon2id$")); /* it was written */
    assert_int_equal(store_open(f->db, 0, &f->st, NULL, &err), P20W_OK);
    open_ctx(f, 0);
}

/* ---- a linked synthetic state: learner scopes and extracts ----------------
 */

static int setup_state(void **state)
{
    if (setup(state) != 0)
        return -1;
    fx *f = *state;
    p20w_err err = {0};
    if (testutil_linked_state(f->st, f->dir, 200, 5, &err) != P20W_OK)
        return -1;
    return 0;
}

/* A learner of school A and a school B they never attended. */
static void two_schools(fx *f, int64_t *learner, char *a, char *b,
                        char *district_a)
{
    store_stmt *q = NULL;
    int row = 0;
    assert_int_equal(
        store_prepare(f->st,
                      "SELECT l.p20w_id, t.school_id, sc.district_id, (SELECT "
                      "o.school_id FROM stg_k12_schools o WHERE "
                      "o.district_id <> sc.district_id LIMIT 1) FROM "
                      "person_links l JOIN stg_k12_students t ON "
                      "t.student_id = l.record_key JOIN stg_k12_schools sc "
                      "ON sc.school_id = t.school_id WHERE l.source = "
                      "'k12_students' ORDER BY l.p20w_id LIMIT 1",
                      &q, NULL),
        P20W_OK);
    assert_int_equal(store_step(q, &row, NULL), P20W_OK);
    assert_true(row);
    *learner = store_column_int64(q, 0);
    snprintf(a, ACCESS_ID_MAX, "%s", store_column_text(q, 1));
    snprintf(district_a, ACCESS_ID_MAX, "%s", store_column_text(q, 2));
    snprintf(b, ACCESS_ID_MAX, "%s", store_column_text(q, 3));
    store_finalize(q);
}

static void test_practitioner_learner_of_other_school(void **state)
{
    fx *f = *state;
    int64_t learner = 0;
    char a[ACCESS_ID_MAX], b[ACCESS_ID_MAX], da[ACCESS_ID_MAX];
    two_schools(f, &learner, a, b, da);
    char scopes[200];
    snprintf(scopes, sizeof scopes, "school:%s", a);
    add_user(f, "pat_a", ACCESS_ROLE_PRACTITIONER, scopes, NULL, 0);
    snprintf(scopes, sizeof scopes, "school:%s", b);
    add_user(f, "pat_b", ACCESS_ROLE_PRACTITIONER, scopes, NULL, 0);
    snprintf(scopes, sizeof scopes, "district:%s", da);
    add_user(f, "pat_da", ACCESS_ROLE_PRACTITIONER, scopes, NULL, 0);
    access_resource r;
    access_resource_init(&r, ACCESS_RES_LEARNER_EDU);
    p20w_err err = {0};
    assert_int_equal(access_learner_scopes(f->ax, learner, &r, &err), P20W_OK);
    int has_a = 0, has_b = 0, has_da = 0;
    for (size_t i = 0; i < r.nscopes; i++) {
        has_a |= r.scopes[i].kind == ACCESS_SCOPE_SCHOOL &&
                 strcmp(r.scopes[i].id, a) == 0;
        has_b |= strcmp(r.scopes[i].id, b) == 0;
        has_da |= r.scopes[i].kind == ACCESS_SCOPE_DISTRICT &&
                  strcmp(r.scopes[i].id, da) == 0;
    }
    assert_true(has_a && has_da && !has_b);
    const char *who[3] = {"pat_a", "pat_b", "pat_da"};
    const int want[3] = {1, 0, 1};
    for (int i = 0; i < 3; i++) {
        access_principal p;
        access_decision d;
        assert_int_equal(access_principal_load(f->ax, who[i], "ip", &p, &err),
                         P20W_OK);
        int64_t before = audit_count(f);
        assert_int_equal(access_check(f->ax, &p, ACCESS_READ, &r, T0, &d, &err),
                         P20W_OK);
        assert_int_equal(d.allowed, want[i]);
        assert_int_equal(audit_count(f), before + 1);
    }
    /* The denial of school B's practitioner is on record, learner named. */
    char sql[300];
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM audit_log WHERE actor = 'pat_b' AND event "
             "= 'denied' AND resource LIKE '%%of learner %lld%%'",
             (long long)learner);
    assert_int_equal(q_int(f->st, sql), 1);
    /* Wages of the same learner: never, even in scope. */
    access_principal p;
    access_decision d;
    r.kind = ACCESS_RES_LEARNER_WAGES;
    assert_int_equal(access_principal_load(f->ax, "pat_a", "ip", &p, &err),
                     P20W_OK);
    assert_int_equal(access_check(f->ax, &p, ACCESS_READ, &r, T0, &d, &err),
                     P20W_OK);
    assert_false(d.allowed);
}

/* Reads every field of every CSV in dir into one newline-joined buffer of
 * "\nfield\n" entries, so a value can be searched as a whole field. */
static char *read_fields(const char *dir, size_t *files)
{
    char cmd[300];
    snprintf(cmd, sizeof cmd, "cat '%s'/*.csv | tr ',' '\\n'", dir);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    size_t cap = 1 << 20, n = 1;
    char *buf = malloc(cap);
    buf[0] = '\n';
    int c;
    while ((c = fgetc(p)) != EOF) {
        if (n + 2 >= cap)
            buf = realloc(buf, cap *= 2);
        buf[n++] = (char)c;
    }
    buf[n++] = '\n';
    buf[n] = '\0';
    pclose(p);
    snprintf(cmd, sizeof cmd, "ls '%s'/*.csv | wc -l", dir);
    p = popen(cmd, "r");
    *files = 0;
    if (fscanf(p, "%zu", files) != 1)
        *files = 0;
    pclose(p);
    return buf;
}

static int has_field(const char *fields, const char *v)
{
    char needle[300];
    snprintf(needle, sizeof needle, "\n%s\n", v);
    return strstr(fields, needle) != NULL;
}

static void test_extract_deidentified(void **state)
{
    fx *f = *state;
    const char *els = "k12_students.race_ethnicity,k12_students.school_id,"
                      "k12_students.grade_level,ps_enrollments.cip_code,"
                      "ui_wages.wages,ui_wages.quarter,"
                      "apprenticeships.soc_code,k12_schools.district_id";
    int64_t d1 = add_dsa(f, els, "2026-01-01", "2026-12-31");
    int64_t d2 = add_dsa(f, els, "2026-01-01", "2026-12-31");
    int64_t d3 = add_dsa(f, "k12_students.sex,ui_wages.quarter", "2026-01-01",
                         "2026-12-31");
    add_user(f, "res1", ACCESS_ROLE_RESEARCHER, NULL, NULL, d1);
    access_principal res1;
    p20w_err err = {0};
    assert_int_equal(access_principal_load(f->ax, "res1", "ip", &res1, &err),
                     P20W_OK);
    char dir1[160], dir2[160], dir3[160];
    snprintf(dir1, sizeof dir1, "%s/x1", f->dir);
    snprintf(dir2, sizeof dir2, "%s/x2", f->dir);
    snprintf(dir3, sizeof dir3, "%s/x3", f->dir);
    access_principal admin;
    access_principal_public(&admin, "cli");
    admin.role = ACCESS_ROLE_ADMIN;
    snprintf(admin.name, sizeof admin.name, "os:tester");
    access_extract_stats s1, s2, s3;
    assert_int_equal(access_extract(f->ax, &res1, d1, dir1, T0, &s1, &err),
                     P20W_OK);
    assert_int_equal(access_extract(f->ax, &admin, d2, dir2, T0, &s2, &err),
                     P20W_OK);
    assert_int_equal(access_extract(f->ax, &admin, d3, dir3, T0, &s3, &err),
                     P20W_OK);
    /* Five data files: k12_students, k12_schools, ps_enrollments,
     * ui_wages, apprenticeships. */
    assert_int_equal(s1.files, 5);
    assert_int_equal(s1.rows, s2.rows);
    assert_int_equal(s1.persons, s2.persons);
    assert_true(s1.persons > 150);
    assert_int_equal(s1.rows,
                     q_int(f->st,
                           "SELECT (SELECT count(*) FROM stg_k12_students t "
                           "JOIN person_links l ON l.source = 'k12_students' "
                           "AND l.record_key = t.record_key) + (SELECT "
                           "count(*) FROM stg_ps_enrollments t JOIN "
                           "person_links l ON l.source = 'ps_enrollments' AND "
                           "l.record_key = t.record_key) + (SELECT count(*) "
                           "FROM stg_ui_wages t JOIN person_links l ON "
                           "l.source = 'ui_wages' AND l.record_key = "
                           "t.record_key) + (SELECT count(*) FROM "
                           "stg_apprenticeships t JOIN person_links l ON "
                           "l.source = 'apprenticeships' AND l.record_key = "
                           "t.record_key) + (SELECT count(*) FROM "
                           "stg_k12_schools)"));
    size_t nfiles = 0;
    char *fields = read_fields(dir1, &nfiles);
    assert_int_equal(nfiles, 5);
    /* No vault value is any field of the extract. */
    store_stmt *q = NULL;
    int row = 0, checked = 0;
    assert_int_equal(
        store_prepare(f->st,
                      "SELECT first_name, last_name, middle_name, ssn, "
                      "birth_date, zip, dmv_id FROM identity_vault",
                      &q, NULL),
        P20W_OK);
    for (;;) {
        assert_int_equal(store_step(q, &row, NULL), P20W_OK);
        if (!row)
            break;
        for (int c = 0; c < 7; c++) {
            const char *v = store_column_text(q, c);
            if (v == NULL || v[0] == '\0')
                continue;
            checked++;
            if (has_field(fields, v))
                fail_msg("vault value of column %d is in the extract", c);
            /* Names inside any field (case as in the vault: pids are
             * lowercase hex). */
            if (c < 3 && strlen(v) >= 5 && strstr(fields, v) != NULL)
                fail_msg("a name from the vault is in the extract");
        }
    }
    store_finalize(q);
    assert_true(checked > 1000);
    /* Nor the agencies' person ids. */
    assert_int_equal(store_prepare(f->st,
                                   "SELECT student_id FROM stg_k12_students "
                                   "UNION SELECT ps_student_id FROM "
                                   "stg_ps_enrollments",
                                   &q, NULL),
                     P20W_OK);
    for (;;) {
        assert_int_equal(store_step(q, &row, NULL), P20W_OK);
        if (!row)
            break;
        assert_false(has_field(fields, store_column_text(q, 0)));
    }
    store_finalize(q);
    assert_non_null(strstr(fields, "\nwages\n"));
    free(fields);
    /* The same person: one pid under agreement 1, another under 2; no pid
     * in common between the two extracts. */
    access_dsa *a1 = NULL, *a2 = NULL;
    assert_int_equal(access_dsa_get(f->ax, d1, &a1, NULL), P20W_OK);
    assert_int_equal(access_dsa_get(f->ax, d2, &a2, NULL), P20W_OK);
    int64_t person = q_int(f->st, "SELECT min(p20w_id) FROM person_links "
                                  "WHERE source = 'ui_wages'");
    char p1[ACCESS_PSEUDONYM_LEN + 1], p2[ACCESS_PSEUDONYM_LEN + 1];
    access_pseudonym(f->ax, a1, person, p1);
    access_pseudonym(f->ax, a2, person, p2);
    assert_string_not_equal(p1, p2);
    char path[300], cmd[700];
    snprintf(path, sizeof path, "%s/ui_wages.csv", dir1);
    assert_true(file_contains(path, p1));
    assert_false(file_contains(path, p2));
    snprintf(path, sizeof path, "%s/ui_wages.csv", dir2);
    assert_true(file_contains(path, p2));
    snprintf(cmd, sizeof cmd,
             "test \"$(cut -d, -f1 '%s'/k12_students.csv | sort -u | comm -12 "
             "- <(cut -d, -f1 '%s'/k12_students.csv | sort -u) | grep -vc "
             "pid)\" = 0",
             dir1, dir2);
    FILE *sh = popen("bash", "w");
    fprintf(sh, "%s\n", cmd);
    assert_int_equal(pclose(sh), 0);
    access_dsa_free(a1);
    access_dsa_free(a2);
    /* Without ui_wages.wages there are no wages. */
    fields = read_fields(dir3, &nfiles);
    assert_null(strstr(fields, "\nwages\n"));
    assert_non_null(strstr(fields, "\nquarter\n"));
    free(fields);
    /* Header and a row of the wage file: pid, quarter, dollars. */
    snprintf(path, sizeof path, "%s/ui_wages.csv", dir1);
    FILE *fp = fopen(path, "r");
    char line[200];
    assert_non_null(fgets(line, sizeof line, fp));
    assert_string_equal(line, "pid,quarter,wages\n");
    assert_non_null(fgets(line, sizeof line, fp));
    fclose(fp);
    char pid[64], quarter[16];
    double dollars = -1;
    assert_int_equal(
        sscanf(line, "%32[0-9a-f],%6[0-9Q],%lf", pid, quarter, &dollars), 3);
    assert_true(dollars >= 0);
    /* Files are private; a second run never overwrites. */
    struct stat sb;
    assert_int_equal(stat(path, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);
    assert_int_equal(access_extract(f->ax, &res1, d1, dir1, T0, NULL, &err),
                     P20W_EIO);
    assert_non_null(strstr(err.msg, "never overwrite"));
    assert_int_equal(stat(path, &sb), 0);
    /* Audited: three extracts with their purpose. */
    assert_int_equal(q_int(f->st, "SELECT count(*) FROM audit_log WHERE event "
                                  "= 'extract' AND why = 'study'"),
                     3);
    assert_verifies(f, 1);
}

static void test_extract_refused(void **state)
{
    fx *f = *state;
    int64_t d1 = add_dsa(f, "k12_students.sex", "2026-01-01", "2026-06-30");
    int64_t d2 = add_dsa(f, "k12_students.sex", "2026-01-01", "2026-12-31");
    add_user(f, "res1", ACCESS_ROLE_RESEARCHER, NULL, NULL, d1);
    access_principal p;
    p20w_err err = {0};
    assert_int_equal(access_principal_load(f->ax, "res1", "ip", &p, &err),
                     P20W_OK);
    char dir[160];
    snprintf(dir, sizeof dir, "%s/x", f->dir);
    /* The last day still works; the day after the end date does not. */
    int64_t last = T0 + 33 * DAY + 11 * HOUR; /* 2026-06-30T23:00Z */
    assert_int_equal(access_extract(f->ax, &p, d1, dir, last, NULL, &err),
                     P20W_OK);
    snprintf(dir, sizeof dir, "%s/y", f->dir);
    assert_int_equal(
        access_extract(f->ax, &p, d1, dir, last + 2 * HOUR, NULL, &err),
        P20W_EDENIED);
    assert_non_null(strstr(err.msg, "ended on 2026-06-30"));
    assert_int_equal(access(dir, F_OK), -1); /* nothing written */
    /* Another agreement's extract. */
    assert_int_equal(access_extract(f->ax, &p, d2, dir, T0, NULL, &err),
                     P20W_EDENIED);
    assert_int_equal(q_int(f->st, "SELECT count(*) FROM audit_log WHERE event "
                                  "= 'denied' AND actor = 'res1' AND resource "
                                  "LIKE 'extract of agreement%'"),
                     2);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
#define S(fn) cmocka_unit_test_setup_teardown(fn, setup_state, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_key_file),
        T(test_time),
        T(test_password_policy),
        T(test_hash_parameters),
        T(test_user_validation),
        T(test_login_session_logout),
        T(test_login_refusals_look_alike),
        T(test_login_time_independent_of_user),
        T(test_lockout),
        T(test_session_timeouts),
        T(test_disabled_user_session_ends),
        T(test_permission_matrix),
        T(test_dsa_rules),
        T(test_audit_chain_ok),
        T(test_audit_tamper),
        T(test_audit_rollback_needs_anchor),
        T(test_audit_needs_the_key),
        T(test_alloc_failures_audit_append),
        T(test_alloc_failures_login),
        T(test_passwords_never_stored),
        S(test_practitioner_learner_of_other_school),
        S(test_extract_deidentified),
        S(test_extract_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
