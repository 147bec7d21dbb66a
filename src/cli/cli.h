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

#include "access/access.h"
#include "store/store.h"
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

/* One long option of a command: "--name VALUE" stores VALUE in *text;
 * with text NULL the option takes no value and sets *flag to 1. */
typedef struct cli_option {
    const char *name;
    const char **text;
    int *flag;
} cli_option;

#define CLI_OPTIONS_MAX 32

/* Reads the options of argv (getopt_long, operands moved last) as opts
 * says, a table ending with a NULL name, at most CLI_OPTIONS_MAX rows.
 * Returns 0 with optind at the first operand, or, for an unknown option
 * or a missing value, prints a usage error for cmd and returns 2. */
int cli_parse_options(const char *cmd, int argc, char **argv,
                      const cli_option *opts);

/* 1 if format is one a listing prints: text, json or csv. */
int cli_list_format_ok(const char *format);

/* Directory of the reference data: $P20W_DATA_DIR, else the data/ folder
 * of the source tree the binary was built from. */
const char *cli_data_dir(void);

/* ---- governed access (cli_access.c) ---- */

/* An open database with governed access, and who runs the command. */
typedef struct cli_access {
    store *st;
    access_ctx *ax;
    access_principal op; /* the operator: "os:LOGIN" as admin, or --as */
    char origin[ACCESS_ORIGIN_MAX + 1]; /* "cli (os user LOGIN)" */
    int64_t now;
} cli_access;

/* Opens db (read-write unless write is 0) and its key file ($P20W_AUDIT_
 * KEY_FILE or DB.key, created when create_key and the log is empty); the
 * operator is the OS user, or the account `as` (NULL: none), which must
 * be an active admin or researcher. */
p20w_status cli_access_open(const char *db, int write, int create_key,
                            const char *as, cli_access *ca, p20w_err *err);

/* P20W_EDENIED unless the operator is an admin. */
p20w_status cli_access_need_admin(const cli_access *ca, p20w_err *err);

void cli_access_close(cli_access *ca);

/* Reads a password: one line of standard input (from_stdin), else twice
 * from the terminal without echo. buf holds cap bytes. */
p20w_status cli_read_password(int from_stdin, char *buf, size_t cap,
                              p20w_err *err);

/* How cli_print_rows() shows the rows of a listing query. */
typedef struct cli_rows {
    const char *const *cols;   /* column names: the CSV header, JSON keys */
    int ncols;                 /* 1 to CLI_ROWS_MAX */
    int int_first;             /* JSON: the first column is an integer */
    void (*text_header)(void); /* text: before rows, or NULL */
    void (*text_row)(const char *const *v); /* text: one row, ncols values */
    const char *none; /* text: the line printed when there is no row */
} cli_rows;

#define CLI_ROWS_MAX 16

/* Steps q to its end and prints its rows on stdout as format says: "csv"
 * (the header, then a line a row), "json" (an array of objects) or else
 * text through how's callbacks. Does not finalize q. Errors: stepping q,
 * P20W_ENOMEM. */
p20w_status cli_print_rows(store_stmt *q, const cli_rows *how,
                           const char *format, p20w_err *err);

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
int cmd_build(int argc, char **argv);
int cmd_cube(int argc, char **argv);
int cmd_user(int argc, char **argv);
int cmd_dsa(int argc, char **argv);
int cmd_audit(int argc, char **argv);
int cmd_extract(int argc, char **argv);
int cmd_assess(int argc, char **argv);
int cmd_serve(int argc, char **argv);

#endif
