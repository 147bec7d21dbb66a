/*
 * error.c — status strings, error context formatting, exit codes.
 */
#include "util/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const char *const status_text[P20W_STATUS_COUNT] = {
    [P20W_OK] = "ok",
    [P20W_ENOMEM] = "out of memory",
    [P20W_EIO] = "input/output error",
    [P20W_EFORMAT] = "malformed input",
    [P20W_EINVAL] = "invalid value",
    [P20W_ELIMIT] = "limit exceeded",
    [P20W_ENOTFOUND] = "not found",
    [P20W_EUSAGE] = "usage error",
    [P20W_ESTORE] = "database error",
    [P20W_ESCHEMA] = "incompatible database",
    [P20W_EDENIED] = "access denied",
    [P20W_EINTERNAL] = "internal error",
};

const char *p20w_strerror(p20w_status code)
{
    if ((unsigned)code >= P20W_STATUS_COUNT)
        return "unknown error";
    return status_text[code];
}

p20w_status p20w_err_set(p20w_err *e, p20w_status code, const char *fmt, ...)
{
    if (e == NULL)
        return code;
    e->code = code;
    e->file[0] = '\0';
    e->line = 0;
    e->col = 0;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->msg, sizeof e->msg, fmt, ap);
    va_end(ap);
    return code;
}

void p20w_err_at(p20w_err *e, const char *file, long line, long col)
{
    if (e == NULL)
        return;
    snprintf(e->file, sizeof e->file, "%s", file ? file : "");
    e->line = line;
    e->col = col;
}

void p20w_err_clear(p20w_err *e)
{
    if (e == NULL)
        return;
    memset(e, 0, sizeof *e);
}

void p20w_err_format(const p20w_err *e, char *buf, size_t cap)
{
    if (cap == 0)
        return;
    const char *msg = e->msg[0] ? e->msg : p20w_strerror(e->code);
    if (e->file[0] && e->line > 0 && e->col > 0)
        snprintf(buf, cap, "%s:%ld:%ld: %s", e->file, e->line, e->col, msg);
    else if (e->file[0] && e->line > 0)
        snprintf(buf, cap, "%s:%ld: %s", e->file, e->line, msg);
    else if (e->file[0])
        snprintf(buf, cap, "%s: %s", e->file, msg);
    else if (e->line > 0 && e->col > 0)
        snprintf(buf, cap, "line %ld, column %ld: %s", e->line, e->col, msg);
    else if (e->line > 0)
        snprintf(buf, cap, "line %ld: %s", e->line, msg);
    else
        snprintf(buf, cap, "%s", msg);
}

int p20w_exit_code(p20w_status code)
{
    switch (code) {
    case P20W_OK:
        return 0;
    case P20W_EUSAGE:
        return 2;
    case P20W_EFORMAT:
    case P20W_EINVAL:
    case P20W_ELIMIT:
    case P20W_ENOTFOUND:
    case P20W_ESCHEMA:
    case P20W_EDENIED:
    case P20W_EIO:
        return 1;
    default:
        return 3;
    }
}
