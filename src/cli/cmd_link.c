/*
 * cmd_link.c — `p20w link`: identity resolution over everything loaded.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "link/link.h"
#include "store/store.h"
#include "util/csv.h"

static const char usage_text[] =
    "usage: p20w link DB [--truth DIR] [--format text|json]\n"
    "                    [--target-precision P] [--threads N]\n"
    "       p20w link explain DB SOURCE:KEY SOURCE:KEY\n"
    "       p20w link export DB --out FILE.csv\n"
    "\n"
    "Links each person's records across the loaded extracts (K-12,\n"
    "postsecondary, apprenticeship, motor vehicle, UI wages) and updates the\n"
    "master person index: every record gets a p20w_id, stable across runs\n"
    "where a person's cluster persists. Prints the match report: candidate\n"
    "pairs per blocking pass, the fitted model, links per source pair and\n"
    "the person index changes.\n"
    "\n"
    "options:\n"
    "  --truth DIR            a synthetic state's truth/ folder: also measure\n"
    "                         precision, recall and F1, and match rates by\n"
    "                         race/ethnicity\n"
    "  --target-precision P   raise the match threshold until the links\n"
    "                         have this expected precision under the model\n"
    "                         (default: link when a match is more likely\n"
    "                         than not)\n"
    "  --threads N            comparison threads (default 2)\n"
    "  --format F             text (default) or json\n"
    "\n"
    "'link explain' prints why two records link or not under the latest\n"
    "run's model: each field's comparison level, m, u and weight, the\n"
    "surname-frequency adjustment, the total and the threshold. Records are\n"
    "named by source and record key, e.g. k12_students:1234567890,\n"
    "ps_enrollments:157085/S123, dmv_ids:9:38 (submission:line).\n"
    "\n"
    "'link export' writes the crosswalk agencies ask for: source, the\n"
    "record's natural key (student_id; institution_id/ps_student_id;\n"
    "apprentice_id; dmv_id; ssn|employer_id|quarter for a wage row, the SSN\n"
    "masked to its last four digits), p20w_id, how it was linked and the\n"
    "weight.\n";

/* The crosswalk: one row per linked record, by its natural key. */
static const char export_sql[] =
    "SELECT l.source, CASE l.source "
    "  WHEN 'dmv_ids' THEN v.dmv_id "
    "  WHEN 'ui_wages' THEN '***-**-' || substr(v.ssn, 6) || '|' || "
    "       w.employer_id || '|' || w.quarter "
    "  ELSE l.record_key END, "
    "  l.p20w_id, l.method, l.match_weight "
    "FROM person_links l "
    "LEFT JOIN identity_vault v ON l.source IN ('dmv_ids', 'ui_wages') AND "
    "  v.source = l.source AND v.record_key = l.record_key "
    "LEFT JOIN stg_ui_wages w ON l.source = 'ui_wages' AND "
    "  w.submission_id = v.submission_id AND w.line = v.line "
    "ORDER BY l.p20w_id, l.source, l.record_key";

static int export_crosswalk(int argc, char **argv)
{
    const char *db = NULL, *out = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--out") == 0 && i + 1 < argc)
            out = argv[++i];
        else if (strcmp(argv[i], "--unmasked") == 0)
            return cli_usage_error("link", "--unmasked needs the admin role of "
                                           "governed access, which this "
                                           "build does not have yet");
        else if (argv[i][0] != '-' && db == NULL)
            db = argv[i];
        else
            return cli_usage_error("link", "unexpected '%s'", argv[i]);
    }
    if (db == NULL || out == NULL)
        return cli_usage_error("link", "export takes DB and --out FILE.csv");
    p20w_err err = {0};
    store *st = NULL;
    store_stmt *q = NULL;
    FILE *f = NULL;
    long rows = 0;
    p20w_status rc = store_open(db, STORE_OPEN_READONLY, &st, NULL, &err);
    if (rc == P20W_OK)
        rc = store_prepare(st, export_sql, &q, &err);
    if (rc == P20W_OK && (f = fopen(out, "w")) == NULL)
        rc = p20w_err_set(&err, P20W_EIO, "cannot write %s", out);
    if (rc == P20W_OK) {
        const char *head[] = {"source", "natural_key", "p20w_id", "method",
                              "match_weight"};
        rc = csv_write_row(f, head, 5);
    }
    while (rc == P20W_OK) {
        int row;
        rc = store_step(q, &row, &err);
        if (rc != P20W_OK || !row)
            break;
        char weight[32] = "";
        if (!store_column_is_null(q, 4))
            snprintf(weight, sizeof weight, "%.2f", store_column_double(q, 4));
        const char *v[] = {store_column_text(q, 0), store_column_text(q, 1),
                           store_column_text(q, 2), store_column_text(q, 3),
                           weight};
        rc = csv_write_row(f, v, 5);
        if (rc != P20W_OK)
            p20w_err_set(&err, rc, "cannot write %s", out);
        rows++;
    }
    if (f != NULL && fclose(f) != 0 && rc == P20W_OK)
        rc = p20w_err_set(&err, P20W_EIO, "cannot write %s", out);
    store_finalize(q);
    store_close(st);
    if (rc != P20W_OK) {
        if (out != NULL && f != NULL)
            remove(out); /* no half-written crosswalk */
        return cli_fail(&err);
    }
    printf("wrote %ld records to %s\n", rows, out);
    return 0;
}

static int explain(int argc, char **argv)
{
    if (argc != 4)
        return cli_usage_error("link", "explain takes DB and two records");
    p20w_err err = {0};
    store *st = NULL;
    p20w_status rc = store_open(argv[1], STORE_OPEN_READONLY, &st, NULL, &err);
    if (rc == P20W_OK)
        rc = link_explain(st, cli_data_dir(), argv[2], argv[3], stdout, &err);
    store_close(st);
    if (rc == P20W_EUSAGE)
        return cli_usage_error("link", "%s", err.msg);
    return rc == P20W_OK ? 0 : cli_fail(&err);
}

int cmd_link(int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        fputs(usage_text, stdout);
        return 0;
    }
    if (argc > 1 && strcmp(argv[1], "explain") == 0)
        return explain(argc - 1, argv + 1);
    if (argc > 1 && strcmp(argv[1], "export") == 0)
        return export_crosswalk(argc - 1, argv + 1);
    static const struct option longopts[] = {
        {"truth", required_argument, NULL, 't'},
        {"format", required_argument, NULL, 'f'},
        {"target-precision", required_argument, NULL, 'p'},
        {"threads", required_argument, NULL, 'j'},
        {NULL, 0, NULL, 0}};
    link_options o;
    link_options_init(&o);
    o.data_dir = cli_data_dir();
    const char *format = "text";
    int opt;
    optind = 1;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        char *end = NULL;
        switch (opt) {
        case 't':
            o.truth_dir = optarg;
            break;
        case 'f':
            format = optarg;
            break;
        case 'p':
            o.target_precision = strtod(optarg, &end);
            if (end == optarg || *end != '\0' || !(o.target_precision > 0.5) ||
                !(o.target_precision < 1))
                return cli_usage_error("link", "--target-precision takes a "
                                               "number between 0.5 and 1");
            break;
        case 'j':
            o.threads = (int)strtol(optarg, &end, 10);
            if (end == optarg || *end != '\0' || o.threads < 1 || o.threads > 8)
                return cli_usage_error("link", "--threads takes 1 to 8");
            break;
        default:
            return cli_usage_error("link", "unknown option '%s'",
                                   argv[optind - 1]);
        }
    }
    if (strcmp(format, "text") != 0 && strcmp(format, "json") != 0)
        return cli_usage_error("link", "--format is text or json");
    if (argc - optind != 1)
        return cli_usage_error("link", "expected exactly one DB");
    p20w_err err = {0};
    store *st = NULL;
    link_report *r = NULL;
    p20w_status rc = store_open(argv[optind], 0, &st, NULL, &err);
    if (rc == P20W_OK)
        rc = link_run(st, &o, &r, &err);
    if (rc == P20W_OK)
        rc = link_report_write(r, format, stdout, &err);
    link_report_free(r);
    store_close(st);
    if (rc != P20W_OK)
        return cli_fail(&err);
    return 0;
}
