/*
 * log.h — levelled logging to stderr.
 *
 * The level is process-wide: cli/ sets it once from --quiet/--verbose or
 * P20W_LOG before any work starts (the one piece of global state outside
 * cli/, as in every C logger). Log lines never contain direct identifiers.
 */
#ifndef P20W_LOG_H
#define P20W_LOG_H

typedef enum log_level {
    LOG_ERROR = 0,
    LOG_WARN = 1,
    LOG_INFO = 2,
    LOG_DEBUG = 3
} log_level;

void log_set_level(log_level level);
log_level log_get_level(void);
/* Parses "error", "warn", "info", "debug"; returns -1 if unknown. */
int log_level_parse(const char *name);

void log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
