/*
 * cli.h — the sub-commands of the p20w binary and their shared helpers.
 *
 * Each command lives in src/cli/cmd_<name>.c and has the signature
 * int cmd_<name>(int argc, char **argv), where argv[0] is the command name.
 * It returns the process exit code: 0 ok, 1 bad input, 2 usage, 3 internal
 * error (p20w_exit_code()). Only cli/ prints to stdout or exits.
 */
#ifndef P20W_CLI_H
#define P20W_CLI_H

#include "util/error.h"

typedef struct cli_command {
    const char *name;
    const char *summary;
    int (*run)(int argc, char **argv);
} cli_command;

/* Prints "p20w: <message>" for err to stderr and returns its exit code. */
int cli_fail(const p20w_err *err);

/* Prints "p20w <cmd>: <message>" and a hint to run --help; returns 2. */
int cli_usage_error(const char *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* 1 if any of argv[1..argc) is -h or --help. */
int cli_wants_help(int argc, char **argv);

/* Directory of the reference data: $P20W_DATA_DIR, else the data/ folder
 * of the source tree the binary was built from. */
const char *cli_data_dir(void);

int cmd_version(int argc, char **argv);
int cmd_init(int argc, char **argv);
int cmd_dict(int argc, char **argv);
int cmd_ingest(int argc, char **argv);
int cmd_submissions(int argc, char **argv);
int cmd_link(int argc, char **argv);
int cmd_match(int argc, char **argv);
int cmd_review(int argc, char **argv);
int cmd_synth(int argc, char **argv);
int cmd_disclose(int argc, char **argv);
int cmd_cube(int argc, char **argv);

#endif
