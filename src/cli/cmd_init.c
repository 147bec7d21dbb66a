/*
 * cmd_init.c — `p20w init DB`: creates a p20w database, or brings an
 * existing one up to this binary's schema version.
 *
 * The only command that may create a database file (STORE_OPEN_CREATE) or
 * migrate one (STORE_OPEN_MIGRATE); running it again is harmless.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "store/store.h"

static void init_usage(FILE *out)
{
    fprintf(out,
            "usage: p20w init DB\n"
            "\n"
            "Creates the p20w database DB (a SQLite file) with the current\n"
            "schema, or upgrades an existing p20w database to it. Running it\n"
            "on a database that is already current changes nothing. A file\n"
            "that is not a p20w database, or was written by a newer p20w, is\n"
            "refused and left untouched.\n"
            "\n"
            "exit codes: 0 ok, 1 bad input (not a p20w database, newer\n"
            "schema, missing directory), 2 usage, 3 internal error\n");
}

int cmd_init(int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        init_usage(stdout);
        return 0;
    }
    if (argc != 2)
        return cli_usage_error("init", argc < 2 ? "missing database name"
                                                : "too many arguments");
    if (argv[1][0] == '-')
        return cli_usage_error("init", "unknown option '%s'", argv[1]);

    const char *db = argv[1];
    store *st = NULL;
    store_open_info info;
    p20w_err err = {0};
    p20w_status rc = store_open(db, STORE_OPEN_CREATE | STORE_OPEN_MIGRATE, &st,
                                &info, &err);
    if (rc != P20W_OK)
        return cli_fail(&err);
    if (info.created)
        printf("created p20w database %s (schema version %d)\n", db,
               info.version_after);
    else if (info.version_before < info.version_after)
        printf("upgraded %s from schema version %d to %d\n", db,
               info.version_before, info.version_after);
    else
        printf("%s is already at schema version %d\n", db, info.version_after);
    store_close(st);
    return 0;
}
