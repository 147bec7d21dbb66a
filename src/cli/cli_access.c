/*
 * cli_access.c — what the governed-access commands (user, dsa, audit,
 * extract) share: opening the database with its key file, who the
 * operator is, reading a password without echoing it, printing a listing
 * as text, JSON or CSV.
 *
 * The operator of the command line is whoever can write the database
 * file: p20w treats them as an admin and records every change they make
 * in the audit log under their OS login ("os:alice", from the process's
 * effective user id), or under an admin account they name with
 * --as NAME (which must exist, be active and have the admin role). Either
 * way the record's origin says "cli (os user alice)".
 */
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include <assert.h>

#include <jansson.h>
#include <sodium.h>

#include "cli/cli.h"
#include "util/csv.h"

static void os_user(char *out, size_t cap)
{
    struct passwd *pw = getpwuid(geteuid());
    const char *name = pw != NULL ? pw->pw_name : getenv("USER");
    snprintf(out, cap, "%s", name != NULL && name[0] ? name : "unknown");
}

p20w_status cli_access_open(const char *db, int write, int create_key,
                            const char *as, cli_access *ca, p20w_err *err)
{
    char key[4096], common[4096], login[ACCESS_NAME_MAX - 3];
    memset(ca, 0, sizeof *ca);
    ca->now = (int64_t)time(NULL);
    os_user(login, sizeof login);
    snprintf(ca->origin, sizeof ca->origin, "cli (os user %s)", login);
    p20w_status rc = access_key_path(db, key, sizeof key, err);
    if (rc != P20W_OK)
        return rc;
    snprintf(common, sizeof common, "%s/common_passwords.txt", cli_data_dir());
    rc = store_open(db, write ? 0 : STORE_OPEN_READONLY, &ca->st, NULL, err);
    if (rc != P20W_OK)
        return rc;
    access_options o;
    access_options_init(&o);
    o.key_path = key;
    o.create_key = create_key;
    o.common_passwords = common;
    rc = access_open(ca->st, &o, &ca->ax, err);
    if (rc == P20W_OK && as != NULL) {
        rc = access_principal_load(ca->ax, as, ca->origin, &ca->op, err);
        if (rc == P20W_OK && ca->op.role != ACCESS_ROLE_ADMIN &&
            ca->op.role != ACCESS_ROLE_RESEARCHER)
            rc = p20w_err_set(err, P20W_EDENIED,
                              "--as names an admin (or, for extract, the "
                              "agreement's researcher)");
        if (rc == P20W_ENOTFOUND)
            p20w_err_set(err, rc, "--as: no user %s", as);
    } else if (rc == P20W_OK) {
        memset(&ca->op, 0, sizeof ca->op);
        ca->op.role = ACCESS_ROLE_ADMIN;
        snprintf(ca->op.name, sizeof ca->op.name, "os:%s", login);
        snprintf(ca->op.origin, sizeof ca->op.origin, "%s", ca->origin);
    }
    if (rc != P20W_OK)
        cli_access_close(ca);
    return rc;
}

p20w_status cli_access_need_admin(const cli_access *ca, p20w_err *err)
{
    if (ca->op.role != ACCESS_ROLE_ADMIN)
        return p20w_err_set(err, P20W_EDENIED,
                            "%s is not an admin: --as names an admin",
                            ca->op.name);
    return P20W_OK;
}

void cli_access_close(cli_access *ca)
{
    access_close(ca->ax);
    store_close(ca->st);
    ca->ax = NULL;
    ca->st = NULL;
}

/* Reads one line from f into buf; 0 at EOF or when it does not fit. */
static int read_line(FILE *f, char *buf, size_t cap)
{
    if (fgets(buf, (int)cap, f) == NULL)
        return 0;
    size_t n = strlen(buf);
    if (n > 0 && buf[n - 1] != '\n' && !feof(f))
        return 0; /* longer than the buffer */
    buf[strcspn(buf, "\r\n")] = '\0';
    return 1;
}

static int prompt(FILE *tty, const char *text, char *buf, size_t cap)
{
    struct termios old, quiet;
    int fd = fileno(tty);
    if (tcgetattr(fd, &old) != 0)
        return 0;
    quiet = old;
    quiet.c_lflag &= ~(tcflag_t)ECHO;
    fputs(text, tty);
    fflush(tty);
    tcsetattr(fd, TCSAFLUSH, &quiet);
    int ok = read_line(tty, buf, cap);
    tcsetattr(fd, TCSAFLUSH, &old);
    fputc('\n', tty);
    return ok;
}

p20w_status cli_read_password(int from_stdin, char *buf, size_t cap,
                              p20w_err *err)
{
    if (from_stdin) {
        if (!read_line(stdin, buf, cap))
            return p20w_err_set(err, P20W_EINVAL,
                                "no password on standard input, or longer "
                                "than %zu bytes",
                                cap - 2);
        return P20W_OK;
    }
    FILE *tty = fopen("/dev/tty", "r+");
    if (tty == NULL)
        return p20w_err_set(err, P20W_EUSAGE,
                            "no terminal to ask for the password: use "
                            "--password-stdin");
    char again[ACCESS_PASSWORD_MAX + 2];
    p20w_status rc = P20W_OK;
    if (!prompt(tty, "new password: ", buf, cap) ||
        !prompt(tty, "again: ", again, sizeof again))
        rc = p20w_err_set(err, P20W_EINVAL, "no password read");
    else if (strcmp(buf, again) != 0)
        rc = p20w_err_set(err, P20W_EINVAL, "the passwords differ");
    sodium_memzero(again, sizeof again);
    fclose(tty);
    return rc;
}

static p20w_status append_json_row(json_t *arr, store_stmt *q,
                                   const cli_rows *how, const char *const *v,
                                   p20w_err *err)
{
    json_t *o = json_object();
    for (int i = 0; o != NULL && i < how->ncols; i++)
        json_object_set_new(o, how->cols[i],
                            i == 0 && how->int_first
                                ? json_integer(store_column_int64(q, 0))
                                : json_string(v[i]));
    if (o == NULL || json_array_append_new(arr, o) != 0)
        return p20w_err_set(err, P20W_ENOMEM, "out of memory");
    return P20W_OK;
}

static p20w_status print_json(json_t *arr, p20w_err *err)
{
    char *text = json_dumps(arr, JSON_INDENT(2));
    if (text == NULL)
        return p20w_err_set(err, P20W_ENOMEM, "out of memory");
    printf("%s\n", text);
    free(text);
    return P20W_OK;
}

p20w_status cli_print_rows(store_stmt *q, const cli_rows *how,
                           const char *format, p20w_err *err)
{
    assert(how->ncols >= 1 && how->ncols <= CLI_ROWS_MAX);
    int json = strcmp(format, "json") == 0, csv = strcmp(format, "csv") == 0;
    json_t *arr = json ? json_array() : NULL;
    if (csv)
        csv_write_row(stdout, how->cols, (size_t)how->ncols);
    else if (!json && how->text_header != NULL)
        how->text_header();
    p20w_status rc = P20W_OK;
    int n = 0;
    while (rc == P20W_OK) {
        int row = 0;
        rc = store_step(q, &row, err);
        if (rc != P20W_OK || !row)
            break;
        const char *v[CLI_ROWS_MAX];
        for (int i = 0; i < how->ncols; i++)
            v[i] = store_column_text(q, i);
        n++;
        if (csv)
            csv_write_row(stdout, v, (size_t)how->ncols);
        else if (json)
            rc = append_json_row(arr, q, how, v, err);
        else
            how->text_row(v);
    }
    if (rc == P20W_OK && json)
        rc = print_json(arr, err);
    else if (rc == P20W_OK && !csv && n == 0)
        printf("%s\n", how->none);
    json_decref(arr);
    return rc;
}
