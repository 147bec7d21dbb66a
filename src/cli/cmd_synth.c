/*
 * cmd_synth.c — `p20w synth`: writes a synthetic state (the fourteen
 * extracts plus ground truth) for demos, tests, benchmarks and linkage
 * accuracy figures. Parses the command line and calls synth_run().
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "synth/synth.h"

static void usage(FILE *out)
{
    fprintf(
        out,
        "usage: p20w synth --out DIR --learners N --seed S [--state XX]\n"
        "                  [--noise low|default|high] [--grades 9-12|K-12]\n"
        "\n"
        "Writes a synthetic state with known ground truth: the 14 agency\n"
        "extracts of the extract specification (k12_*.csv, ps_*.csv,\n"
        "ui_*.csv, apprenticeships.csv, dmv_ids.csv) in DIR, and in\n"
        "DIR/truth/ persons.csv (each person's true attributes) and\n"
        "person_map.csv (the true person behind every identity record, and\n"
        "the identity noise applied to it). No real person's data is used.\n"
        "\n"
        "  --out DIR       output directory (created if missing)\n"
        "  --learners N    number of learners, 1 to %llu\n"
        "  --seed S        random seed (0 to 2^64-1); same seed, same files\n"
        "  --state XX      state whose counties are used (default KY)\n"
        "  --noise LEVEL   identity noise: low (x0.5), default, high (x2)\n"
        "  --grades G      9-12 (default) or K-12 enrolment records\n"
        "\n"
        "Rates and planted effects: docs/synthetic-data.md.\n",
        (unsigned long long)SYNTH_MAX_LEARNERS);
}

static int parse_u64(const char *s, uint64_t *out)
{
    char *end = NULL;
    if (s[0] < '0' || s[0] > '9')
        return -1;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno != 0 || *end != '\0')
        return -1;
    *out = (uint64_t)v;
    return 0;
}

/* Value of option argv[*i] ("--opt value" or "--opt=value"), or NULL. */
static const char *opt_value(int argc, char **argv, int *i, const char *name)
{
    size_t n = strlen(name);
    if (strncmp(argv[*i], name, n) != 0)
        return NULL;
    if (argv[*i][n] == '=')
        return argv[*i] + n + 1;
    if (argv[*i][n] != '\0')
        return NULL;
    if (*i + 1 >= argc)
        return "";
    return argv[++*i];
}

int cmd_synth(int argc, char **argv)
{
    synth_options o;
    int have_out = 0, have_n = 0, have_seed = 0;
    const char *v;
    synth_options_init(&o);
    if (cli_wants_help(argc, argv)) {
        usage(stdout);
        return 0;
    }
    for (int i = 1; i < argc; i++) {
        if ((v = opt_value(argc, argv, &i, "--out")) != NULL) {
            if (*v == '\0')
                return cli_usage_error("synth", "--out needs a directory");
            o.out_dir = v;
            have_out = 1;
        } else if ((v = opt_value(argc, argv, &i, "--learners")) != NULL) {
            if (parse_u64(v, &o.learners) != 0 || o.learners < 1 ||
                o.learners > SYNTH_MAX_LEARNERS)
                return cli_usage_error("synth",
                                       "--learners must be a whole number "
                                       "from 1 to %llu",
                                       (unsigned long long)SYNTH_MAX_LEARNERS);
            have_n = 1;
        } else if ((v = opt_value(argc, argv, &i, "--seed")) != NULL) {
            if (parse_u64(v, &o.seed) != 0)
                return cli_usage_error("synth", "--seed must be a whole "
                                                "number from 0 to 2^64-1");
            have_seed = 1;
        } else if ((v = opt_value(argc, argv, &i, "--state")) != NULL) {
            if (strlen(v) != 2 || v[0] < 'A' || v[0] > 'Z' || v[1] < 'A' ||
                v[1] > 'Z')
                return cli_usage_error("synth", "--state must be a two-letter "
                                                "upper-case code such as KY");
            memcpy(o.state, v, 3);
        } else if ((v = opt_value(argc, argv, &i, "--noise")) != NULL) {
            if (synth_noise_parse(v, &o.noise) != P20W_OK)
                return cli_usage_error("synth", "--noise must be low, default "
                                                "or high");
        } else if ((v = opt_value(argc, argv, &i, "--grades")) != NULL) {
            if (strcmp(v, "9-12") == 0)
                o.all_grades = 0;
            else if (strcmp(v, "K-12") == 0 || strcmp(v, "k-12") == 0)
                o.all_grades = 1;
            else
                return cli_usage_error("synth",
                                       "--grades must be 9-12 or K-12");
        } else {
            return cli_usage_error("synth", "unknown argument '%s'", argv[i]);
        }
    }
    if (!have_out || !have_n || !have_seed)
        return cli_usage_error("synth", "--out, --learners and --seed are "
                                        "required");
    o.data_dir = cli_data_dir();
    o.show_progress = isatty(2) && getenv("P20W_NO_PROGRESS") == NULL;
    synth_stats stats;
    p20w_err err;
    p20w_err_clear(&err);
    p20w_status st = synth_run(&o, &stats, &err);
    if (st != P20W_OK)
        return cli_fail(&err);
    fprintf(stderr,
            "synth: %llu learners (+%llu adults moving in), %llu rows "
            "(%llu wage rows) in %s\n",
            (unsigned long long)o.learners,
            (unsigned long long)(stats.persons - o.learners),
            (unsigned long long)stats.rows, (unsigned long long)stats.wage_rows,
            o.out_dir);
    return 0;
}
