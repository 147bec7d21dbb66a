/*
 * cmd_audit.c — `p20w audit`: who saw what, when and why; and the check
 * that nobody edited the record of it.
 *
 * Listing the log is itself a look at who saw what, so it is audited too
 * (event 'read', resource 'audit log'). Verification only reads.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

static const char usage_text[] =
    "usage: p20w audit DB [--user NAME] [--since DATE] [--format "
    "text|json|csv]\n"
    "                     [--as ADMIN]\n"
    "       p20w audit verify DB [--anchor SEQ:MAC]\n"
    "\n"
    "Lists the audit log: every login and failed login, ended session,\n"
    "denied request, learner-level read, extract and admin change, with\n"
    "when (UTC), who (an account, 'os:LOGIN' for the command line,\n"
    "'public'), what, the outcome, why (the reason or the agreement's\n"
    "purpose) and from where. --user keeps one actor's records; --since\n"
    "keeps records from DATE (YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ) on.\n"
    "Listing is itself recorded.\n"
    "\n"
    "'verify' checks the keyed hash chain of the log: every record's\n"
    "HMAC-SHA-256 under the key file (DB.key, or $P20W_AUDIT_KEY_FILE),\n"
    "numbering without gaps, and the chain head kept in the database. Any\n"
    "edited, deleted, inserted or reordered record, or a deleted tail, is\n"
    "reported. It prints the head (SEQ:MAC); kept somewhere else, that\n"
    "head can later be given as --anchor to prove that the log was not\n"
    "cut back to an earlier state either (docs/access.md).\n"
    "\n"
    "exit codes: 0 ok, 1 verification failed or bad input (no key file),\n"
    "2 usage, 3 internal error\n";

static const char *const cols[] = {"seq",     "ts",       "actor", "event",
                                   "outcome", "resource", "why",   "origin"};
#define NCOLS 8

static void text_row(const char *const *v)
{
    printf("%6s %s %-14s %-12s %-7s %s — %s [%s]\n", v[0], v[1], v[2], v[3],
           v[4], v[5], v[6], v[7]);
}

static p20w_status list(store *st, const char *user, const char *since,
                        const char *format, p20w_err *err)
{
    store_stmt *q = NULL;
    p20w_status rc = store_prepare(
        st,
        "SELECT seq, ts, actor, event, outcome, resource, why, origin FROM "
        "audit_log WHERE (? IS NULL OR actor = ?) AND (? IS NULL OR ts >= ?) "
        "ORDER BY seq",
        &q, err);
    for (int i = 1; rc == P20W_OK && i <= 4; i++)
        rc = store_bind_text(q, i, i <= 2 ? user : since, (size_t)-1, err);
    static const cli_rows how = {cols, NCOLS,    1,
                                 NULL, text_row, "(no records)"};
    if (rc == P20W_OK)
        rc = cli_print_rows(q, &how, format, err);
    store_finalize(q);
    return rc;
}

static int verify(int argc, char **argv)
{
    const char *db = NULL, *anchor = NULL;
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--anchor") == 0 && i + 1 < argc)
            anchor = argv[++i];
        else if (argv[i][0] != '-' && db == NULL)
            db = argv[i];
        else
            return cli_usage_error("audit", "unexpected '%s'", argv[i]);
    }
    if (db == NULL)
        return cli_usage_error("audit", "verify needs DB");
    long long aseq = 0;
    char amac[65] = "";
    if (anchor != NULL) {
        int used = 0;
        if (sscanf(anchor, "%lld:%64[0-9a-f]%n", &aseq, amac, &used) != 2 ||
            anchor[used] != '\0' || aseq <= 0 || strlen(amac) != 64)
            return cli_usage_error("audit", "--anchor is SEQ:MAC as 'audit "
                                            "verify' prints it");
    }
    p20w_err err = {0};
    cli_access ca;
    access_audit_verdict v;
    p20w_status rc = cli_access_open(db, 0, 0, NULL, &ca, &err);
    if (rc == P20W_OK)
        rc = access_audit_verify(ca.ax, aseq, amac, &v, &err);
    cli_access_close(&ca);
    if (rc != P20W_OK)
        return cli_fail(&err);
    if (!v.ok) {
        printf("audit log FAILED verification at record %" PRId64 ": %s\n",
               v.bad_seq, v.problem);
        return 1;
    }
    printf("audit log ok: %" PRId64 " records, chain intact%s\n", v.records,
           anchor ? ", anchor found" : "");
    if (v.records > 0)
        printf("head %" PRId64 ":%s\n", v.head_seq, v.head_mac);
    return 0;
}

int cmd_audit(int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        fputs(usage_text, stdout);
        return 0;
    }
    if (argc >= 2 && strcmp(argv[1], "verify") == 0)
        return verify(argc, argv);
    const char *user = NULL, *since = NULL, *format = "text", *as = NULL;
    const cli_option options[] = {{"user", &user, NULL},
                                  {"since", &since, NULL},
                                  {"format", &format, NULL},
                                  {"as", &as, NULL},
                                  {NULL, NULL, NULL}};
    int u = cli_parse_options("audit", argc, argv, options);
    if (u)
        return u;
    if (argc - optind != 1)
        return cli_usage_error("audit", "expected DB");
    if (!cli_list_format_ok(format))
        return cli_usage_error("audit", "--format is text, json or csv");
    int64_t t = 0;
    char since_ts[32];
    if (since != NULL) {
        if (access_time_parse(since, &t) != P20W_OK)
            return cli_usage_error("audit", "--since is YYYY-MM-DD or "
                                            "YYYY-MM-DDTHH:MM:SSZ");
        access_time_format(t, since_ts);
    }
    const char *db = argv[optind];
    p20w_err err = {0};
    cli_access ca;
    p20w_status rc = cli_access_open(db, 1, 1, as, &ca, &err);
    if (rc == P20W_OK)
        rc = cli_access_need_admin(&ca, &err);
    if (rc == P20W_OK) {
        char why[256];
        snprintf(why, sizeof why, "listed%s%s%s%s", user ? " for " : "",
                 user ? user : "", since ? " since " : "",
                 since ? since_ts : "");
        access_audit_entry e = {
            ca.op.name, ACCESS_EV_READ, "audit log", "allowed", why, ca.origin};
        rc = access_audit_append(ca.ax, &e, ca.now, NULL, &err);
    }
    if (rc == P20W_OK)
        rc = list(ca.st, user, since ? since_ts : NULL, format, &err);
    cli_access_close(&ca);
    return rc == P20W_OK ? 0 : cli_fail(&err);
}
