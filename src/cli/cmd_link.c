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

static const char usage_text[] =
    "usage: p20w link DB [--truth DIR] [--format text|json]\n"
    "                    [--target-precision P] [--threads N]\n"
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
    "  --format F             text (default) or json\n";

int cmd_link(int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        fputs(usage_text, stdout);
        return 0;
    }
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
