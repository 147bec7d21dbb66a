/*
 * cmd_extract.c — `p20w extract`: the de-identified learner-level extract
 * of a data-sharing agreement (access/extract.c does the work).
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

static const char usage_text[] =
    "usage: p20w extract DB --dsa ID --out DIR [--as NAME]\n"
    "\n"
    "Writes the learner-level extract that data-sharing agreement ID allows\n"
    "into DIR (created if missing; files already there are never\n"
    "overwritten): one CSV per extract holding an allowed element, with\n"
    "the allowed columns only, from the live submissions of the linked\n"
    "people. Each person is named by `pid`, a pseudonym of this agreement\n"
    "alone (a keyed hash of the p20w_id): never a name, SSN, birth date,\n"
    "zip or agency id, and a different pid under any other agreement.\n"
    "Wages appear only if the agreement lists ui_wages.wages. MANIFEST.txt\n"
    "names the agreement, its dates and the files.\n"
    "\n"
    "The agreement must be active today (UTC): after its end date every\n"
    "extract is refused. The extract, or its refusal, is recorded in the\n"
    "audit log, as made by the OS user, or by --as NAME (an admin, or the\n"
    "agreement's researcher).\n"
    "\n"
    "exit codes: 0 ok, 1 refused or bad input, 2 usage, 3 internal error\n";

int cmd_extract(int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        fputs(usage_text, stdout);
        return 0;
    }
    const char *dsa = NULL, *out = NULL, *as = NULL;
    const cli_option options[] = {{"dsa", &dsa, NULL},
                                  {"out", &out, NULL},
                                  {"as", &as, NULL},
                                  {NULL, NULL, NULL}};
    int u = cli_parse_options("extract", argc, argv, options);
    if (u)
        return u;
    if (argc - optind != 1)
        return cli_usage_error("extract", "expected DB");
    if (dsa == NULL || out == NULL)
        return cli_usage_error("extract", "--dsa and --out are required");
    char *end = NULL;
    long long id = strtoll(dsa, &end, 10);
    if (end == dsa || *end != '\0' || id <= 0)
        return cli_usage_error("extract", "--dsa takes an agreement id");
    p20w_err err = {0};
    cli_access ca;
    access_extract_stats stats;
    p20w_status rc = cli_access_open(argv[optind], 1, 1, as, &ca, &err);
    if (rc == P20W_OK)
        rc = access_extract(ca.ax, &ca.op, id, out, ca.now, &stats, &err);
    cli_access_close(&ca);
    if (rc != P20W_OK)
        return cli_fail(&err);
    printf("extract of agreement %lld in %s: %zu files, %" PRIu64
           " rows, %" PRIu64 " persons\n",
           id, out, stats.files, stats.rows, stats.persons);
    return 0;
}
