/*
 * cmd_submissions.c — `p20w submissions`: list submissions and show their
 * reports.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "ingest/ingest.h"
#include "store/store.h"
#include "util/csv.h"

static const char usage_text[] =
    "usage: p20w submissions DB [--history] [--format text|json|csv]\n"
    "       p20w submissions DB show ID [--format text|json|csv]\n"
    "\n"
    "Lists the live submission of every source and period (with --history,\n"
    "also the replaced and rejected ones), or shows one submission's report:\n"
    "rows read, accepted and rejected, rejected rows per rule, every error\n"
    "with its line, column, rule and masked value, and warnings.\n";

static const char *const list_cols[] = {
    "submission_id", "source",     "period",     "agency",
    "file_name",     "status",     "rows_read",  "rows_accepted",
    "rows_rejected", "created_at", "replaced_by"};
#define NLIST 11

static p20w_status list(store *st, int history, const char *format,
                        p20w_err *err)
{
    store_stmt *q = NULL;
    p20w_status rc = store_prepare(
        st,
        history ? "SELECT submission_id, source, period, agency, file_name, "
                  "status, rows_read, rows_accepted, rows_rejected, "
                  "created_at, replaced_by FROM submissions ORDER BY "
                  "submission_id"
                : "SELECT submission_id, source, period, agency, file_name, "
                  "status, rows_read, rows_accepted, rows_rejected, "
                  "created_at, replaced_by FROM submissions WHERE status = "
                  "'accepted' ORDER BY source, period",
        &q, err);
    if (rc != P20W_OK)
        return rc;
    int json = strcmp(format, "json") == 0, csv = strcmp(format, "csv") == 0;
    if (csv)
        csv_write_row(stdout, list_cols, NLIST);
    else if (json)
        fputs("[", stdout);
    else
        printf("%-5s %-18s %-8s %-9s %10s %10s %9s  %s\n", "id", "source",
               "period", "status", "read", "accepted", "rejected", "file");
    int first = 1;
    for (;;) {
        int row;
        rc = store_step(q, &row, err);
        if (rc != P20W_OK || !row)
            break;
        if (csv) {
            const char *v[NLIST];
            for (int i = 0; i < NLIST; i++)
                v[i] = store_column_text(q, i);
            csv_write_row(stdout, v, NLIST);
        } else if (json) {
            printf("%s\n  {", first ? "" : ",");
            for (int i = 0; i < NLIST; i++) {
                printf("%s\"%s\": ", i ? ", " : "", list_cols[i]);
                if (store_column_is_null(q, i))
                    fputs("null", stdout);
                else if (i == 0 || (i >= 6 && i <= 8) || i == 10)
                    printf("%" PRId64, store_column_int64(q, i));
                else {
                    /* Program-written text: ids, codes, file names. */
                    putchar('"');
                    for (const char *s = store_column_text(q, i); *s; s++) {
                        if (*s == '"' || *s == '\\')
                            putchar('\\');
                        if ((unsigned char)*s >= 0x20)
                            putchar(*s);
                    }
                    putchar('"');
                }
            }
            putchar('}');
        } else {
            printf("%-5" PRId64 " %-18s %-8s %-9s %10" PRId64 " %10" PRId64
                   " %9" PRId64 "  %s\n",
                   store_column_int64(q, 0), store_column_text(q, 1),
                   store_column_text(q, 2), store_column_text(q, 5),
                   store_column_int64(q, 6), store_column_int64(q, 7),
                   store_column_int64(q, 8), store_column_text(q, 4));
        }
        first = 0;
    }
    if (json)
        fputs(first ? "]\n" : "\n]\n", stdout);
    else if (first && !csv)
        printf("(no submissions)\n");
    store_finalize(q);
    return rc;
}

static p20w_status show(store *st, const char *id_text, const char *format,
                        p20w_err *err)
{
    char *end = NULL;
    long long id = strtoll(id_text, &end, 10);
    if (end == id_text || *end != '\0' || id <= 0)
        return p20w_err_set(err, P20W_EUSAGE,
                            "submission id must be a positive number");
    store_stmt *q = NULL;
    p20w_status rc = store_prepare(
        st, "SELECT report_json FROM submissions WHERE submission_id = ?", &q,
        err);
    int row = 0;
    if (rc == P20W_OK)
        rc = store_bind_int64(q, 1, id, err);
    if (rc == P20W_OK)
        rc = store_step(q, &row, err);
    if (rc == P20W_OK && !row)
        rc = p20w_err_set(err, P20W_ENOTFOUND, "no submission %lld", id);
    if (rc == P20W_OK && store_column_is_null(q, 0))
        rc = p20w_err_set(err, P20W_ENOTFOUND, "submission %lld has no report",
                          id);
    if (rc == P20W_OK)
        rc = ingest_render_report(store_column_text(q, 0), format, stdout, err);
    store_finalize(q);
    return rc;
}

int cmd_submissions(int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        fputs(usage_text, stdout);
        return 0;
    }
    static const struct option longopts[] = {
        {"history", no_argument, NULL, 'h'},
        {"format", required_argument, NULL, 'f'},
        {NULL, 0, NULL, 0}};
    int history = 0, opt;
    const char *format = "text";
    optind = 1;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        if (opt == 'h')
            history = 1;
        else if (opt == 'f')
            format = optarg;
        else
            return cli_usage_error("submissions", "unknown option '%s'",
                                   argv[optind - 1]);
    }
    if (strcmp(format, "text") != 0 && strcmp(format, "json") != 0 &&
        strcmp(format, "csv") != 0)
        return cli_usage_error("submissions", "--format is text, json or csv");
    int rest = argc - optind;
    if (rest < 1)
        return cli_usage_error("submissions", "missing DB");
    const char *db = argv[optind];
    const char *id = NULL;
    if (rest >= 2) {
        if (strcmp(argv[optind + 1], "show") != 0 || rest != 3)
            return cli_usage_error("submissions",
                                   "expected 'show ID' after DB");
        id = argv[optind + 2];
    }
    p20w_err err = {0};
    store *st = NULL;
    p20w_status rc = store_open(db, STORE_OPEN_READONLY, &st, NULL, &err);
    if (rc == P20W_OK)
        rc = id ? show(st, id, format, &err) : list(st, history, format, &err);
    store_close(st);
    if (rc != P20W_OK)
        return cli_fail(&err);
    return 0;
}
