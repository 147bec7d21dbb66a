/*
 * cmd_user.c — `p20w user`: accounts of governed access.
 *
 * Passwords come from standard input (--password-stdin, one line) or the
 * terminal without echo, never from the command line (where `ps` and the
 * shell history would show them); they are wiped from memory after use.
 * Every change is an admin change in the audit log (cli_access.c).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "cli/cli.h"
#include "util/mem.h"

static const char usage_text[] =
    "usage: p20w user DB add NAME --role ROLE [--scope KIND:ID,...]\n"
    "                    [--agency AGENCY] [--dsa ID] [--password-stdin]\n"
    "       p20w user DB list [--format text|json|csv]\n"
    "       p20w user DB disable NAME\n"
    "       p20w user DB enable NAME\n"
    "       p20w user DB passwd NAME [--password-stdin]\n"
    "       (every change also takes [--as ADMIN])\n"
    "\n"
    "Accounts of governed access. Roles:\n"
    "  practitioner  --scope school:ID, district:ID or institution:ID (one\n"
    "                or more, comma-separated): unmasked aggregates and the\n"
    "                education records of the scope's own learners\n"
    "  researcher    --dsa ID: extracts of that data-sharing agreement\n"
    "  steward       --agency AGENCY: that agency's submissions and reports\n"
    "  admin         accounts, agreements, the audit log\n"
    "\n"
    "The password is read from the terminal without echo, twice, or with\n"
    "--password-stdin as one line of standard input. It must have at least\n"
    "12 characters and must not be a common password (data/common_\n"
    "passwords.txt) or built on one, nor contain the user name. It is\n"
    "stored only as an Argon2id hash.\n"
    "\n"
    "'disable' ends the account's sessions and refuses its logins;\n"
    "'enable' undoes that and clears a lockout; 'passwd' sets a new password\n"
    "and ends the account's sessions.\n"
    "\n"
    "Each change is recorded in the audit log as made by the OS user\n"
    "running the command, or by the admin account named with --as. The\n"
    "key file of the audit log is DB.key (or $P20W_AUDIT_KEY_FILE),\n"
    "created at the first change.\n"
    "\n"
    "exit codes: 0 ok, 1 bad input (weak password, unknown user, ...),\n"
    "2 usage, 3 internal error\n";

typedef struct opts {
    const char *role, *scope, *agency, *dsa, *format, *as;
    int password_stdin;
} opts;

static p20w_status parse_scopes(const char *list, access_scope *out, size_t *n,
                                p20w_err *err)
{
    char *copy = p20w_strdup(list);
    p20w_status rc = P20W_OK;
    *n = 0;
    if (copy == NULL)
        return p20w_err_set(err, P20W_ENOMEM, "out of memory");
    char *save = NULL;
    for (char *t = strtok_r(copy, ",", &save); t != NULL && rc == P20W_OK;
         t = strtok_r(NULL, ",", &save)) {
        if (*n == ACCESS_SCOPES_MAX) {
            rc = p20w_err_set(err, P20W_ELIMIT, "more than %d scopes",
                              ACCESS_SCOPES_MAX);
            break;
        }
        rc = access_scope_parse(t, &out[*n], err);
        if (rc == P20W_OK)
            (*n)++;
    }
    p20w_free(copy);
    if (rc == P20W_OK && *n == 0)
        rc = p20w_err_set(err, P20W_EINVAL, "--scope is empty");
    return rc;
}

/* Warns about scope ids the loaded reference lists do not know: the
 * account is still made (users often come before the data). */
static void warn_unknown_scopes(store *st, const access_scope *s, size_t n)
{
    static const char *const sql[ACCESS_SCOPE_KIND_COUNT] = {
        "SELECT 1 FROM stg_k12_schools WHERE school_id = ? LIMIT 1",
        "SELECT 1 FROM stg_k12_schools WHERE district_id = ? LIMIT 1",
        "SELECT 1 FROM stg_ps_institutions WHERE institution_id = ? LIMIT 1"};
    for (size_t i = 0; i < n; i++) {
        store_stmt *q = NULL;
        int row = 1;
        if (store_prepare(st, sql[s[i].kind], &q, NULL) == P20W_OK &&
            store_bind_text(q, 1, s[i].id, (size_t)-1, NULL) == P20W_OK)
            store_step(q, &row, NULL);
        store_finalize(q);
        if (!row)
            fprintf(stderr,
                    "p20w user: warning: %s %s is not in the loaded "
                    "reference data\n",
                    access_scope_kind_name(s[i].kind), s[i].id);
    }
}

static p20w_status add(cli_access *ca, const char *name, const opts *o,
                       p20w_err *err)
{
    access_scope scopes[ACCESS_SCOPES_MAX];
    char pw[ACCESS_PASSWORD_MAX + 2];
    access_user_spec spec = {0};
    int role = access_role_parse(o->role);
    p20w_status rc = P20W_OK;
    if (role <= ACCESS_ROLE_PUBLIC)
        return p20w_err_set(err, P20W_EUSAGE,
                            "--role is practitioner, researcher, steward or "
                            "admin");
    spec.name = name;
    spec.role = (access_role)role;
    spec.agency = o->agency;
    if (o->dsa != NULL) {
        char *end = NULL;
        spec.dsa_id = strtoll(o->dsa, &end, 10);
        if (end == o->dsa || *end != '\0' || spec.dsa_id <= 0)
            return p20w_err_set(err, P20W_EUSAGE, "--dsa takes an id");
    }
    if (o->scope != NULL)
        rc = parse_scopes(o->scope, scopes, &spec.nscopes, err);
    spec.scopes = scopes;
    if (rc == P20W_OK)
        rc = cli_read_password(o->password_stdin, pw, sizeof pw, err);
    spec.password = pw;
    if (rc == P20W_OK)
        rc = access_user_add(ca->ax, &spec, ca->op.name, ca->origin, ca->now,
                             NULL, err);
    sodium_memzero(pw, sizeof pw);
    if (rc == P20W_OK) {
        warn_unknown_scopes(ca->st, scopes, spec.nscopes);
        printf("added %s %s\n", o->role, name);
    }
    return rc;
}

static p20w_status passwd(cli_access *ca, const char *name, const opts *o,
                          p20w_err *err)
{
    char pw[ACCESS_PASSWORD_MAX + 2];
    p20w_status rc = cli_read_password(o->password_stdin, pw, sizeof pw, err);
    if (rc == P20W_OK)
        rc = access_user_set_password(ca->ax, name, pw, ca->op.name, ca->origin,
                                      ca->now, err);
    sodium_memzero(pw, sizeof pw);
    if (rc == P20W_OK)
        printf("new password set for %s; its sessions ended\n", name);
    return rc;
}

static const char *const list_cols[] = {"name",         "role",      "status",
                                        "scopes",       "agency",    "dsa_id",
                                        "locked_until", "created_at"};
#define NCOLS 8

static void text_header(void)
{
    printf("%-20s %-13s %-9s %s\n", "name", "role", "status",
           "scope / agency / agreement");
}

static void text_row(const char *const *v)
{
    printf("%-20s %-13s %-9s %s%s%s%s%s%s\n", v[0], v[1], v[2], v[3], v[4],
           v[5][0] ? "agreement " : "", v[5], v[6][0] ? "  locked until " : "",
           v[6]);
}

static p20w_status list(store *st, const char *format, p20w_err *err)
{
    char now[32];
    store_stmt *q = NULL;
    access_time_format((int64_t)time(NULL), now);
    p20w_status rc = store_prepare(
        st,
        "SELECT name, role, status, coalesce((SELECT group_concat(kind || ':' "
        "|| scope_id, ',') FROM (SELECT kind, scope_id FROM user_scopes s "
        "WHERE s.user_id = u.user_id ORDER BY kind, scope_id)), ''), "
        "coalesce(agency, ''), coalesce(dsa_id, ''), CASE WHEN locked_until "
        "> ? THEN locked_until ELSE '' END, created_at FROM users u ORDER "
        "BY name",
        &q, err);
    if (rc == P20W_OK)
        rc = store_bind_text(q, 1, now, (size_t)-1, err);
    static const cli_rows how = {list_cols,   NCOLS,    0,
                                 text_header, text_row, "(no users)"};
    if (rc == P20W_OK)
        rc = cli_print_rows(q, &how, format, err);
    store_finalize(q);
    return rc;
}

int cmd_user(int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        fputs(usage_text, stdout);
        return 0;
    }
    opts o = {0};
    o.format = "text";
    const cli_option options[] = {{"role", &o.role, NULL},
                                  {"scope", &o.scope, NULL},
                                  {"agency", &o.agency, NULL},
                                  {"dsa", &o.dsa, NULL},
                                  {"format", &o.format, NULL},
                                  {"as", &o.as, NULL},
                                  {"password-stdin", NULL, &o.password_stdin},
                                  {NULL, NULL, NULL}};
    int u = cli_parse_options("user", argc, argv, options);
    if (u)
        return u;
    int rest = argc - optind;
    if (rest < 2)
        return cli_usage_error("user", "expected DB and an action");
    const char *db = argv[optind], *action = argv[optind + 1];
    const char *name = rest > 2 ? argv[optind + 2] : NULL;
    int is_list = strcmp(action, "list") == 0;
    if (is_list) {
        if (rest != 2)
            return cli_usage_error("user", "list takes no argument");
        if (!cli_list_format_ok(o.format))
            return cli_usage_error("user", "--format is text, json or csv");
    } else if (strcmp(action, "add") == 0 || strcmp(action, "disable") == 0 ||
               strcmp(action, "enable") == 0 || strcmp(action, "passwd") == 0) {
        if (rest != 3)
            return cli_usage_error("user", "%s takes a user name", action);
        if (strcmp(action, "add") == 0 && o.role == NULL)
            return cli_usage_error("user", "add needs --role");
        if (strcmp(action, "add") != 0 &&
            (o.role || o.scope || o.agency || o.dsa))
            return cli_usage_error("user", "--role, --scope, --agency and "
                                           "--dsa are for add");
    } else {
        return cli_usage_error("user", "unknown action '%s'", action);
    }
    p20w_err err = {0};
    if (is_list) {
        /* Reading the account list needs neither the key nor a write. */
        store *st = NULL;
        p20w_status rc = store_open(db, STORE_OPEN_READONLY, &st, NULL, &err);
        if (rc == P20W_OK)
            rc = list(st, o.format, &err);
        store_close(st);
        return rc == P20W_OK ? 0 : cli_fail(&err);
    }
    cli_access ca;
    p20w_status rc = cli_access_open(db, 1, 1, o.as, &ca, &err);
    if (rc == P20W_OK)
        rc = cli_access_need_admin(&ca, &err);
    if (rc == P20W_OK) {
        if (strcmp(action, "add") == 0)
            rc = add(&ca, name, &o, &err);
        else if (strcmp(action, "passwd") == 0)
            rc = passwd(&ca, name, &o, &err);
        else
            rc = access_user_set_active(ca.ax, name,
                                        strcmp(action, "enable") == 0,
                                        ca.op.name, ca.origin, ca.now, &err);
        if (rc == P20W_OK &&
            (strcmp(action, "enable") == 0 || strcmp(action, "disable") == 0))
            printf("%sd %s\n", action, name);
    }
    cli_access_close(&ca);
    return rc == P20W_OK ? 0 : cli_fail(&err);
}
