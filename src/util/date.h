/*
 * date.h — calendar dates, quarters and school years.
 *
 * A date is an int32_t day number (days since 1970-01-01, proleptic
 * Gregorian), so dates compare and subtract as integers. A quarter index is
 * q = 4*year + (quarter - 1), as in spec/indicators.md. Parsing is strict:
 * exactly `YYYY-MM-DD` / `YYYYQn`, a real calendar day, years 1900–2199.
 */
#ifndef P20W_DATE_H
#define P20W_DATE_H

#include <stddef.h>
#include <stdint.h>

#include "util/error.h"

#define DATE_YEAR_MIN 1900
#define DATE_YEAR_MAX 2199

/* 1 if y-m-d is a real calendar day within the supported years. */
int date_is_valid(int y, int m, int d);

/* Day number of a valid y-m-d (asserted). */
int32_t date_from_ymd(int y, int m, int d);

/* Splits a day number into year, month, day (any may be NULL). */
void date_to_ymd(int32_t days, int *y, int *m, int *d);

/* Parses `YYYY-MM-DD` (len bytes, no NUL needed). Errors: P20W_EFORMAT
 * (shape), P20W_EINVAL (no such day or year out of range). */
p20w_status date_parse(const char *s, size_t len, int32_t *days);

/* Writes `YYYY-MM-DD` and a NUL into out. */
void date_format(int32_t days, char out[11]);

/* Completed years of age on `on` for someone born on `birth`. */
int date_age_on(int32_t birth, int32_t on);

/* Today's date in UTC. */
int32_t date_today(void);

/* The current time in UTC as ISO 8601, "2026-11-23T17:55:38Z" (20
 * characters and a NUL), the form every timestamp of the store takes. */
void date_now_iso(char out[32]);

/* Quarter index of the quarter holding a date. */
int date_quarter_idx(int32_t days);

/* Parses `YYYYQn`, n in 1..4. Errors: P20W_EFORMAT, P20W_EINVAL. */
p20w_status quarter_parse(const char *s, size_t len, int *quarter_idx);

/* Writes `YYYYQn` and a NUL into out. */
void quarter_format(int quarter_idx, char out[7]);

int quarter_year(int quarter_idx); /* calendar year */
int quarter_num(int quarter_idx);  /* 1..4 */

/* First and last day of a quarter. */
int32_t quarter_first_day(int quarter_idx);
int32_t quarter_last_day(int quarter_idx);

#endif
