/*
 * cmd_dsa.c — `p20w dsa`: data-sharing agreements.
 *
 * An agreement is recorded once (add); afterwards it can only be ended
 * early (end) or its data's destruction recorded (destroyed): dates are
 * never extended in place, because researchers' access was granted for
 * the dates the parties signed. Each change is audited (cli_access.c).
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "util/date.h"
#include "util/mem.h"

static const char usage_text[] =
    "usage: p20w dsa DB add --purpose TEXT --parties TEXT --elements E,E...\n"
    "                   --start DATE --end DATE --destroy DATE\n"
    "       p20w dsa DB list [--format text|json|csv]\n"
    "       p20w dsa DB show ID\n"
    "       p20w dsa DB end ID [--date DATE]\n"
    "       p20w dsa DB destroyed ID\n"
    "       (every change also takes [--as ADMIN])\n"
    "\n"
    "Data-sharing agreements: who receives learner-level data (parties),\n"
    "for what (purpose), which data-dictionary elements (extract.column,\n"
    "e.g. k12_students.race_ethnicity or ui_wages.wages; see 'p20w dict'),\n"
    "and when: access from --start through --end (inclusive, UTC), after\n"
    "which extracts are refused by themselves; every copy destroyed by\n"
    "--destroy. Direct identifiers (names, SSN, birth date, zip) and the\n"
    "agencies' person ids can never be allowed: an extract names a person\n"
    "only by a pseudonym of the agreement.\n"
    "\n"
    "'end' ends an agreement early (default today); 'destroyed' records\n"
    "that the recipients certified the data destroyed. An agreement is\n"
    "pending, active, ended, or destroyed; 'list' flags an ended one whose\n"
    "destruction date has passed without a record as 'destruction due'.\n"
    "\n"
    "exit codes: 0 ok, 1 bad input (unknown element, dates out of order,\n"
    "no such agreement), 2 usage, 3 internal error\n";

typedef struct opts {
    const char *purpose, *parties, *elements, *start, *end, *destroy;
    const char *format, *as, *date;
} opts;

/* An agreement's status on a day bound three times (parameters 1-3). */
#define STATUS_SQL                                                             \
    "CASE WHEN destroyed_at IS NOT NULL THEN 'destroyed' "                     \
    "WHEN ? < start_date THEN 'pending' WHEN ? <= end_date THEN 'active' "     \
    "WHEN ? >= destroy_date THEN 'destruction due' ELSE 'ended' END"

static p20w_status bind_today(store_stmt *q, const char *today, p20w_err *err)
{
    p20w_status rc = P20W_OK;
    for (int i = 1; rc == P20W_OK && i <= 3; i++)
        rc = store_bind_text(q, i, today, (size_t)-1, err);
    return rc;
}

static p20w_status add(cli_access *ca, const opts *o, p20w_err *err)
{
    if (!o->purpose || !o->parties || !o->elements || !o->start || !o->end ||
        !o->destroy)
        return p20w_err_set(err, P20W_EUSAGE,
                            "add needs --purpose, --parties, --elements, "
                            "--start, --end and --destroy");
    char *copy = p20w_strdup(o->elements);
    const char *elems[256];
    size_t n = 0;
    p20w_status rc = P20W_OK;
    if (copy == NULL)
        return p20w_err_set(err, P20W_ENOMEM, "out of memory");
    char *save = NULL;
    for (char *t = strtok_r(copy, ",", &save); t != NULL;
         t = strtok_r(NULL, ",", &save)) {
        if (n == sizeof elems / sizeof elems[0]) {
            rc = p20w_err_set(err, P20W_ELIMIT, "more than 256 elements");
            break;
        }
        elems[n++] = t;
    }
    access_dsa_spec spec = {o->purpose, o->parties, elems,     n,
                            o->start,   o->end,     o->destroy};
    int64_t id = 0;
    if (rc == P20W_OK)
        rc = access_dsa_add(ca->ax, &spec, ca->op.name, ca->origin, ca->now,
                            &id, err);
    if (rc == P20W_OK)
        printf("added data-sharing agreement %" PRId64 "\n", id);
    p20w_free(copy);
    return rc;
}

static const char *const list_cols[] = {
    "dsa_id",       "status",  "start_date", "end_date",
    "destroy_date", "parties", "purpose",    "elements"};
#define NCOLS 8

static void text_header(void)
{
    printf("%-4s %-16s %-10s %-10s %-10s %s\n", "id", "status", "start", "end",
           "destroy", "parties: purpose");
}

static void text_row(const char *const *v)
{
    printf("%-4s %-16s %-10s %-10s %-10s %s: %.60s\n", v[0], v[1], v[2], v[3],
           v[4], v[5], v[6]);
}

static p20w_status list(store *st, const char *today, const char *format,
                        p20w_err *err)
{
    store_stmt *q = NULL;
    p20w_status rc = store_prepare(
        st,
        "SELECT dsa_id, " STATUS_SQL ", start_date, end_date, destroy_date, "
        "parties, purpose, (SELECT group_concat(element, ',') FROM (SELECT "
        "element FROM dsa_elements e WHERE e.dsa_id = d.dsa_id ORDER BY "
        "element)) FROM dsas d ORDER BY dsa_id",
        &q, err);
    if (rc == P20W_OK)
        rc = bind_today(q, today, err);
    static const cli_rows how = {list_cols,   NCOLS,    1,
                                 text_header, text_row, "(no agreements)"};
    if (rc == P20W_OK)
        rc = cli_print_rows(q, &how, format, err);
    store_finalize(q);
    return rc;
}

static p20w_status show(store *st, const char *today, long long id,
                        p20w_err *err)
{
    store_stmt *q = NULL;
    int row = 0;
    p20w_status rc = store_prepare(
        st,
        "SELECT " STATUS_SQL ", purpose, parties, start_date, end_date, "
        "destroy_date, created_at, created_by, coalesce(destroyed_at, '') "
        "FROM dsas WHERE dsa_id = ?",
        &q, err);
    if (rc == P20W_OK)
        rc = bind_today(q, today, err);
    if (rc == P20W_OK)
        rc = store_bind_int64(q, 4, id, err);
    if (rc == P20W_OK)
        rc = store_step(q, &row, err);
    if (rc == P20W_OK && !row)
        rc = p20w_err_set(err, P20W_ENOTFOUND, "no data-sharing agreement %lld",
                          id);
    if (rc == P20W_OK) {
        printf("agreement %lld (%s)\n"
               "  purpose:   %s\n"
               "  parties:   %s\n"
               "  access:    %s to %s\n"
               "  destroy:   by %s%s%s\n"
               "  recorded:  %s by %s\n"
               "  elements:\n",
               id, store_column_text(q, 0), store_column_text(q, 1),
               store_column_text(q, 2), store_column_text(q, 3),
               store_column_text(q, 4), store_column_text(q, 5),
               store_column_text(q, 8)[0] ? "; destroyed " : "",
               store_column_text(q, 8), store_column_text(q, 6),
               store_column_text(q, 7));
    }
    store_finalize(q);
    q = NULL;
    if (rc == P20W_OK)
        rc = store_prepare(st,
                           "SELECT element FROM dsa_elements WHERE dsa_id = "
                           "? ORDER BY element",
                           &q, err);
    if (rc == P20W_OK)
        rc = store_bind_int64(q, 1, id, err);
    while (rc == P20W_OK) {
        rc = store_step(q, &row, err);
        if (rc != P20W_OK || !row)
            break;
        printf("    %s\n", store_column_text(q, 0));
    }
    store_finalize(q);
    return rc;
}

static long long parse_id(const char *s)
{
    char *end = NULL;
    long long id = strtoll(s, &end, 10);
    return end != s && *end == '\0' && id > 0 ? id : -1;
}

int cmd_dsa(int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        fputs(usage_text, stdout);
        return 0;
    }
    opts o = {0};
    o.format = "text";
    const cli_option options[] = {{"purpose", &o.purpose, NULL},
                                  {"parties", &o.parties, NULL},
                                  {"elements", &o.elements, NULL},
                                  {"start", &o.start, NULL},
                                  {"end", &o.end, NULL},
                                  {"destroy", &o.destroy, NULL},
                                  {"date", &o.date, NULL},
                                  {"format", &o.format, NULL},
                                  {"as", &o.as, NULL},
                                  {NULL, NULL, NULL}};
    int u = cli_parse_options("dsa", argc, argv, options);
    if (u)
        return u;
    int rest = argc - optind;
    if (rest < 2)
        return cli_usage_error("dsa", "expected DB and an action");
    const char *db = argv[optind], *action = argv[optind + 1];
    long long id = -1;
    int reading = strcmp(action, "list") == 0 || strcmp(action, "show") == 0;
    if (strcmp(action, "add") == 0 || strcmp(action, "list") == 0) {
        if (rest != 2)
            return cli_usage_error("dsa", "%s takes no argument", action);
    } else if (strcmp(action, "show") == 0 || strcmp(action, "end") == 0 ||
               strcmp(action, "destroyed") == 0) {
        if (rest != 3 || (id = parse_id(argv[optind + 2])) < 0)
            return cli_usage_error("dsa", "%s takes an agreement id", action);
    } else {
        return cli_usage_error("dsa", "unknown action '%s'", action);
    }
    if (!cli_list_format_ok(o.format))
        return cli_usage_error("dsa", "--format is text, json or csv");
    char today[11];
    date_format(date_today(), today);
    p20w_err err = {0};
    p20w_status rc;
    if (reading) {
        store *st = NULL;
        rc = store_open(db, STORE_OPEN_READONLY, &st, NULL, &err);
        if (rc == P20W_OK)
            rc = strcmp(action, "list") == 0 ? list(st, today, o.format, &err)
                                             : show(st, today, id, &err);
        store_close(st);
        return rc == P20W_OK ? 0 : cli_fail(&err);
    }
    cli_access ca;
    rc = cli_access_open(db, 1, 1, o.as, &ca, &err);
    if (rc == P20W_OK)
        rc = cli_access_need_admin(&ca, &err);
    if (rc == P20W_OK && strcmp(action, "add") == 0) {
        rc = add(&ca, &o, &err);
    } else if (rc == P20W_OK && strcmp(action, "end") == 0) {
        rc = access_dsa_end(ca.ax, id, o.date ? o.date : today, ca.op.name,
                            ca.origin, ca.now, &err);
        if (rc == P20W_OK)
            printf("agreement %lld ends on %s\n", id, o.date ? o.date : today);
    } else if (rc == P20W_OK) {
        rc = access_dsa_destroyed(ca.ax, id, ca.op.name, ca.origin, ca.now,
                                  &err);
        if (rc == P20W_OK)
            printf("agreement %lld: destruction recorded\n", id);
    }
    cli_access_close(&ca);
    return rc == P20W_OK ? 0 : cli_fail(&err);
}
