/*
 * cmd_match.c — `p20w match A.csv B.csv --map ...`: link two person files
 * with arbitrary column names (link/match.h) and write the linked pairs.
 *
 * The pairs go to --out or stdout; the summary goes to stderr, or to
 * stdout when the pairs go to a file. Warnings about bad values go to
 * stderr with file, line and column, never the value.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "link/match.h"

static const char usage_text[] =
    "usage: p20w match A.csv B.csv --map COL=FIELD[,COL=FIELD...] [options]\n"
    "\n"
    "Links the people of two CSV files whose columns are named as you\n"
    "like, with the Fellegi-Sunter model of `p20w link` (docs/linkage.md),\n"
    "and writes the pairs it links or leaves for review:\n"
    "  a_row,b_row,weight,decision      (rows are 1-based data rows;\n"
    "                                   decision is link or review)\n"
    "\n"
    "FIELDs: first_name, middle_name, last_name, birth_date, sex, ssn, zip,\n"
    "address. birth_date may name its format: dob=birth_date:MM/DD/YYYY\n"
    "(YYYY-MM-DD, the default; MM/DD/YYYY; DD/MM/YYYY; YYYYMMDD; M/D/YYYY).\n"
    "sex: F, M, X, female, male (any case). ssn: 9 digits, dashes allowed;\n"
    "structurally invalid SSNs are not compared. zip: ZIP or ZIP+4.\n"
    "address is accepted but NOT compared yet.\n"
    "Values that cannot be read are warned about (file, line, column) and\n"
    "treated as missing. With birth dates the blocking passes use birth\n"
    "dates, name phonetics and SSN; with SSNs and no birth dates, SSN\n"
    "pieces. Each record of B keeps at most one link (its best).\n"
    "\n"
    "  --map SPEC        columns of A (and of B unless --map-b); repeatable\n"
    "  --map-b SPEC      columns of B; repeatable\n"
    "  --truth-col C     column of both files with the true entity id:\n"
    "                    print pairwise precision, recall and F1 of links\n"
    "  --out FILE        write the pairs to FILE (summary to stdout)\n"
    "  --one-to-one      records of A keep at most one link too (for files\n"
    "                    of one row per person; needs birth_date)\n"
    "  --format F        summary as text (default) or json\n"
    "  --threads N       comparison threads, 1 to 8 (default 2)\n"
    "  -h, --help        this help\n"
    "\n"
    "exit codes: 0 ok, 1 bad input (unreadable or malformed file, a mapped\n"
    "column missing from a header), 2 usage, 3 internal error\n";

static int run(const char *a, const char *b, const match_options *o,
               const char *out_path, const char *format)
{
    p20w_err err = {0};
    match_result *r = NULL;
    FILE *out = stdout, *summary = stderr;
    p20w_status rc = match_run(a, b, o, &r, &err);
    if (rc == P20W_OK && out_path != NULL) {
        out = fopen(out_path, "w");
        summary = stdout;
        if (out == NULL) {
            rc = p20w_err_set(&err, P20W_EIO, "cannot open for writing");
            p20w_err_at(&err, out_path, 0, 0);
        }
    }
    if (rc == P20W_OK)
        rc = match_write_pairs(r, out, &err);
    if (out != NULL && out != stdout && fclose(out) != 0 && rc == P20W_OK)
        rc = p20w_err_set(&err, P20W_EIO, "cannot write %s", out_path);
    if (rc == P20W_OK)
        rc = match_write_summary(r, format, summary, &err);
    match_result_free(r);
    if (rc == P20W_EUSAGE)
        return cli_usage_error("match", "%s", err.msg);
    return rc == P20W_OK ? 0 : cli_fail(&err);
}

int cmd_match(int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        fputs(usage_text, stdout);
        return 0;
    }
    static const struct option longopts[] = {
        {"map", required_argument, NULL, 'm'},
        {"map-b", required_argument, NULL, 'b'},
        {"truth-col", required_argument, NULL, 't'},
        {"out", required_argument, NULL, 'o'},
        {"format", required_argument, NULL, 'f'},
        {"threads", required_argument, NULL, 'j'},
        {"one-to-one", no_argument, NULL, '1'},
        {NULL, 0, NULL, 0}};
    match_map ma = {0}, mb = {0};
    match_options o = {0};
    o.data_dir = cli_data_dir();
    o.warnings = stderr;
    const char *format = "text", *out_path = NULL;
    int opt, has_b = 0, code = 0;
    p20w_err err = {0};
    optind = 1;
    opterr = 0;
    while (code == 0 &&
           (opt = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        char *end = NULL;
        switch (opt) {
        case 'm':
        case 'b':
            has_b |= opt == 'b';
            if (match_map_parse(opt == 'm' ? &ma : &mb, optarg, &err) !=
                P20W_OK)
                code = err.code == P20W_EUSAGE
                           ? cli_usage_error("match", "%s", err.msg)
                           : cli_fail(&err);
            break;
        case '1':
            o.one_to_one = 1;
            break;
        case 't':
            o.truth_col = optarg;
            break;
        case 'o':
            out_path = optarg;
            break;
        case 'f':
            format = optarg;
            break;
        case 'j':
            o.threads = (int)strtol(optarg, &end, 10);
            if (end == optarg || *end != '\0' || o.threads < 1 || o.threads > 8)
                code = cli_usage_error("match", "--threads takes 1 to 8");
            break;
        default:
            code = cli_usage_error("match",
                                   "unknown option or missing "
                                   "value: '%s'",
                                   argv[optind - 1]);
        }
    }
    if (code == 0 && strcmp(format, "text") != 0 && strcmp(format, "json") != 0)
        code = cli_usage_error("match", "--format is text or json");
    if (code == 0 && argc - optind != 2)
        code = cli_usage_error("match", "expected two files, A.csv and B.csv");
    int mapped = 0;
    for (int k = 0; k < MATCH_FIELD_COUNT; k++)
        mapped += ma.col[k] != NULL;
    if (code == 0 && mapped == 0)
        code = cli_usage_error("match", "--map is required");
    if (code == 0) {
        o.map_a = &ma;
        o.map_b = has_b ? &mb : &ma;
        code = run(argv[optind], argv[optind + 1], &o, out_path, format);
    }
    match_map_free(&ma);
    match_map_free(&mb);
    return code;
}
