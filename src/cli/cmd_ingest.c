/*
 * cmd_ingest.c — `p20w ingest`: validate and load agency extracts.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "dict/codeset.h"
#include "ingest/ingest.h"
#include "store/store.h"

static const char usage_text[] =
    "usage: p20w ingest DB [--source NAME] FILE [options]\n"
    "       p20w ingest DB --dir DIR [options]\n"
    "\n"
    "Validates an agency extract against the data dictionary and loads it\n"
    "as one submission (all or nothing). Rows that break a rule are\n"
    "rejected and listed with line, column, rule and value (direct\n"
    "identifiers masked); a file with a fatal error (not CSV, not UTF-8,\n"
    "wrong header, too many rejected rows) loads nothing. A re-submission\n"
    "for the same source and period replaces the earlier one, which stays in\n"
    "history; an identical file changes nothing.\n"
    "\n"
    "options:\n"
    "  --source NAME         extract name (default: from the file name)\n"
    "  --dir DIR             load every extract file in DIR, references first\n"
    "  --period P            reporting period (default: all)\n"
    "  --agency A            submitting agency (default: the extract's owner)\n"
    "  --max-reject-share X  reject the file above this share of bad rows\n"
    "                        (default 0.05)\n"
    "  --yoy-threshold X     warn when a school's, institution's or\n"
    "                        employer's row count changes more than this\n"
    "                        share since the previous period (default 0.30)\n"
    "  --allow-extra-columns ignore unknown columns instead of rejecting\n"
    "  --format F            report as text (default), json or csv\n"
    "\n"
    "exit status: 0 every file accepted, 1 a file rejected or bad input,\n"
    "2 usage, 3 internal error\n";

typedef struct ctx {
    const char *format;
    int rejected;
    int failed_render;
} ctx;

static void print_report(const ingest_report *r, void *p)
{
    ctx *c = p;
    char *json = ingest_report_json(r);
    p20w_err err = {0};
    if (json == NULL ||
        ingest_render_report(json, c->format, stdout, &err) != P20W_OK)
        c->failed_render = 1;
    free(json);
    if (ingest_report_outcome(r) == INGEST_REJECTED)
        c->rejected = 1;
}

static int parse_share(const char *s, double *out)
{
    char *end = NULL;
    double v = strtod(s, &end);
    if (end == s || *end != '\0' || !(v >= 0 && v <= 1))
        return 0;
    *out = v;
    return 1;
}

int cmd_ingest(int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        fputs(usage_text, stdout);
        return 0;
    }
    static const struct option longopts[] = {
        {"source", required_argument, NULL, 's'},
        {"dir", required_argument, NULL, 'd'},
        {"period", required_argument, NULL, 'p'},
        {"agency", required_argument, NULL, 'a'},
        {"max-reject-share", required_argument, NULL, 'm'},
        {"yoy-threshold", required_argument, NULL, 'y'},
        {"allow-extra-columns", no_argument, NULL, 'x'},
        {"format", required_argument, NULL, 'f'},
        {NULL, 0, NULL, 0}};
    ingest_options o;
    ingest_options_init(&o);
    o.show_progress = 1;
    const char *dir = NULL;
    ctx c = {"text", 0, 0};
    int opt;
    optind = 1;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (opt) {
        case 's':
            o.source = optarg;
            break;
        case 'd':
            dir = optarg;
            break;
        case 'p':
            o.period = optarg;
            break;
        case 'a':
            o.agency = optarg;
            break;
        case 'x':
            o.allow_extra_columns = 1;
            break;
        case 'f':
            c.format = optarg;
            break;
        case 'm':
            if (!parse_share(optarg, &o.max_reject_share))
                return cli_usage_error("ingest",
                                       "--max-reject-share takes a number "
                                       "between 0 and 1");
            break;
        case 'y':
            if (!parse_share(optarg, &o.yoy_threshold))
                return cli_usage_error("ingest",
                                       "--yoy-threshold takes a number "
                                       "between 0 and 1");
            break;
        default:
            return cli_usage_error("ingest", "unknown option '%s'",
                                   argv[optind - 1]);
        }
    }
    if (strcmp(c.format, "text") != 0 && strcmp(c.format, "json") != 0 &&
        strcmp(c.format, "csv") != 0)
        return cli_usage_error("ingest", "--format is text, json or csv");
    int rest = argc - optind;
    if (rest < 1)
        return cli_usage_error("ingest", "missing DB");
    const char *db = argv[optind];
    const char *file = rest >= 2 ? argv[optind + 1] : NULL;
    if ((dir == NULL) == (file == NULL) || rest > 2)
        return cli_usage_error("ingest", "give either FILE or --dir DIR");
    if (dir != NULL && o.source != NULL)
        return cli_usage_error("ingest", "--source goes with FILE, not --dir");

    p20w_err err = {0};
    store *st = NULL;
    codeset_registry *reg = NULL;
    p20w_status rc = store_open(db, 0, &st, NULL, &err);
    if (rc == P20W_OK)
        rc = codeset_registry_load(cli_data_dir(), &reg, &err);
    if (rc == P20W_OK) {
        if (dir != NULL) {
            rc = ingest_dir(st, reg, dir, &o, print_report, &c, &err);
        } else {
            ingest_report *r = NULL;
            rc = ingest_file(st, reg, file, &o, &r, &err);
            if (rc == P20W_OK)
                print_report(r, &c);
            ingest_report_free(r);
        }
    }
    codeset_registry_free(reg);
    store_close(st);
    if (rc != P20W_OK)
        return cli_fail(&err);
    if (c.failed_render) {
        fprintf(stderr, "p20w: could not print a report\n");
        return 3;
    }
    return c.rejected ? 1 : 0;
}
