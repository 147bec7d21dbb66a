/*
 * error.h — the one status type of p20w and the context that carries an
 * error's detail up the stack.
 *
 * Every fallible function returns a p20w_status (0 = P20W_OK) and, when the
 * caller passes one, fills a p20w_err with a human-readable message and,
 * for data errors, the file, line and column. Messages never contain direct
 * identifiers (names, SSNs, birth dates): callers mask values of sensitivity
 * D before formatting them (see dict_mask_value()).
 */
#ifndef P20W_ERROR_H
#define P20W_ERROR_H

#include <stddef.h>

typedef enum p20w_status {
    P20W_OK = 0,
    P20W_ENOMEM,    /* allocation failed */
    P20W_EIO,       /* a file could not be opened, read or written */
    P20W_EFORMAT,   /* malformed input: CSV, date, number, JSON, config */
    P20W_EINVAL,    /* well-formed input that breaks a rule */
    P20W_ELIMIT,    /* input exceeds a configured limit */
    P20W_ENOTFOUND, /* a named thing does not exist */
    P20W_EUSAGE,    /* bad command line */
    P20W_ESTORE,    /* the database reported an error */
    P20W_ESCHEMA,   /* not a p20w database, or a newer schema version */
    P20W_EDENIED,   /* access denied */
    P20W_EINTERNAL, /* a bug: an invariant did not hold */
    P20W_STATUS_COUNT
} p20w_status;

#define P20W_ERR_MSG_MAX 512

typedef struct p20w_err {
    p20w_status code;
    char msg[P20W_ERR_MSG_MAX];
    char file[256]; /* file the error is about, "" if none */
    long line;      /* 1-based line, 0 if none */
    long col;       /* 1-based column (field number for CSV), 0 if none */
} p20w_err;

/* A short, static description of a status ("out of memory"). */
const char *p20w_strerror(p20w_status code);

/* Sets e (when not NULL) to code and a printf-style message; clears the
 * location. Returns code so callers can write `return p20w_err_set(...)`. */
p20w_status p20w_err_set(p20w_err *e, p20w_status code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Adds a location to an error already set. file may be NULL. */
void p20w_err_at(p20w_err *e, const char *file, long line, long col);

/* Clears e to P20W_OK. */
void p20w_err_clear(p20w_err *e);

/* Formats "file:line:col: message" (parts present only when set) into buf;
 * without a file, "line L, column C: message". */
void p20w_err_format(const p20w_err *e, char *buf, size_t cap);

/* Maps a status to the CLI exit code: 0 ok, 1 bad input, 2 usage,
 * 3 internal error (ENOMEM, EIO on our own files, ESTORE, EINTERNAL). */
int p20w_exit_code(p20w_status code);

#endif
