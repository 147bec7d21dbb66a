/*
 * main.c — entry point: global options, then dispatch to a sub-command.
 */
#include <assert.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "util/log.h"

static const cli_command commands[] = {
    {"synth", "write a synthetic state with ground truth", cmd_synth},
    {"init", "create or upgrade a p20w database", cmd_init},
    {"dict", "print the data dictionary and code sets", cmd_dict},
    {"ingest", "validate and load agency extracts", cmd_ingest},
    {"submissions", "list submissions and show their reports", cmd_submissions},
    {"link", "link each person's records across agencies", cmd_link},
    {"review", "decide the pairs linkage could not", cmd_review},
    {"match", "link the people of two CSV files", cmd_match},
    {"build", "compute every indicator into a cube of cells", cmd_build},
    {"cube", "print the raw cells of one indicator", cmd_cube},
    {"disclose", "protect or audit a table given as CSV", cmd_disclose},
    {"user", "add, list, disable user accounts", cmd_user},
    {"dsa", "record data-sharing agreements", cmd_dsa},
    {"audit", "list or verify the audit log", cmd_audit},
    {"extract", "write a de-identified extract of an agreement", cmd_extract},
    {"assess", "rate the data ecosystem, plan, compare", cmd_assess},
    {"serve", "serve the dashboards, reports and API over HTTP", cmd_serve},
    {"version", "print the version", cmd_version},
};

static void usage(FILE *out)
{
    fprintf(out,
            "usage: p20w [--quiet|--verbose] <command> [options]\n"
            "\n"
            "p20w is a P-20W statewide longitudinal data system: it validates\n"
            "agency extracts, links each person across agencies, builds\n"
            "timelines and outcome indicators, protects small groups, and\n"
            "serves the results.\n"
            "\n"
            "commands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(out, "  %-12s %s\n", commands[i].name, commands[i].summary);
    fprintf(out, "\n'p20w <command> --help' describes a command.\n"
                 "exit codes: 0 ok, 1 bad input, 2 usage, 3 internal error\n");
}

int cli_fail(const p20w_err *err)
{
    char buf[1024];
    p20w_err_format(err, buf, sizeof buf);
    fprintf(stderr, "p20w: %s\n", buf);
    return p20w_exit_code(err->code);
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "p20w %s: ", cmd);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\n(see 'p20w %s --help')\n", cmd);
    return 2;
}

/* getopt_long's value for opts[i]: above every character it returns. */
#define OPTION_VAL(i) (256 + (i))

int cli_parse_options(const char *cmd, int argc, char **argv,
                      const cli_option *opts)
{
    struct option longopts[CLI_OPTIONS_MAX + 1];
    int n = 0;
    for (; n < CLI_OPTIONS_MAX && opts[n].name != NULL; n++) {
        longopts[n].name = opts[n].name;
        longopts[n].has_arg =
            opts[n].text != NULL ? required_argument : no_argument;
        longopts[n].flag = NULL;
        longopts[n].val = OPTION_VAL(n);
    }
    assert(opts[n].name == NULL);
    memset(&longopts[n], 0, sizeof longopts[n]);
    optind = 1;
    opterr = 0;
    int opt;
    while ((opt = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        int i = opt - OPTION_VAL(0);
        if (i < 0 || i >= n)
            return cli_usage_error(cmd, "unknown option or missing value '%s'",
                                   argv[optind - 1]);
        if (opts[i].text != NULL)
            *opts[i].text = optarg;
        else
            *opts[i].flag = 1;
    }
    return 0;
}

int cli_list_format_ok(const char *format)
{
    return strcmp(format, "text") == 0 || strcmp(format, "json") == 0 ||
           strcmp(format, "csv") == 0;
}

int cli_wants_help(int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0)
            return 1;
    return 0;
}

const char *cli_data_dir(void)
{
    const char *d = getenv("P20W_DATA_DIR");
    if (d != NULL && d[0] != '\0')
        return d;
    return P20W_DATADIR;
}

int cmd_version(int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        printf("usage: p20w version\n\nPrints the version of p20w.\n");
        return 0;
    }
    printf("p20w %s\n", P20W_VERSION);
    return 0;
}

int main(int argc, char **argv)
{
    int i = 1;
    const char *env = getenv("P20W_LOG");
    if (env != NULL && log_level_parse(env) >= 0)
        log_set_level((log_level)log_level_parse(env));
    for (; i < argc && argv[i][0] == '-'; i++) {
        if (strcmp(argv[i], "--quiet") == 0 || strcmp(argv[i], "-q") == 0) {
            log_set_level(LOG_ERROR);
        } else if (strcmp(argv[i], "--verbose") == 0 ||
                   strcmp(argv[i], "-v") == 0) {
            log_set_level(LOG_DEBUG);
        } else if (strcmp(argv[i], "--version") == 0) {
            return cmd_version(1, argv + i);
        } else if (strcmp(argv[i], "--help") == 0 ||
                   strcmp(argv[i], "-h") == 0) {
            usage(stdout);
            return 0;
        } else {
            fprintf(stderr, "p20w: unknown option '%s'\n", argv[i]);
            usage(stderr);
            return 2;
        }
    }
    if (i >= argc) {
        usage(stderr);
        return 2;
    }
    if (strcmp(argv[i], "help") == 0) {
        usage(stdout);
        return 0;
    }
    for (size_t c = 0; c < sizeof commands / sizeof commands[0]; c++)
        if (strcmp(argv[i], commands[c].name) == 0)
            return commands[c].run(argc - i, argv + i);
    fprintf(stderr, "p20w: unknown command '%s'\n", argv[i]);
    usage(stderr);
    return 2;
}
