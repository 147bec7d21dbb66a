/*
 * match.h — link two person files with arbitrary column names (`p20w
 * match`), using the linkage engine of link/ without a database.
 *
 * The caller maps each file's columns to the person fields the engine
 * compares; the first file's records become the "A" side, the second's
 * the "B" side, and one Fellegi–Sunter model is fitted to the pair
 * (docs/linkage.md). Values that cannot be read (a bad date, sex or SSN)
 * are reported as warnings with file, line and column — never the value —
 * and treated as missing. Nothing here writes to a store.
 */
#ifndef P20W_MATCH_H
#define P20W_MATCH_H

#include <stdint.h>
#include <stdio.h>

#include "util/error.h"

typedef enum match_field {
    MATCH_FIRST = 0,
    MATCH_MIDDLE,
    MATCH_LAST,
    MATCH_DOB,
    MATCH_SEX,
    MATCH_SSN,
    MATCH_ZIP,
    MATCH_ADDRESS, /* accepted, not compared yet */
    MATCH_FIELD_COUNT
} match_field;

typedef enum match_date_fmt {
    MATCH_DATE_ISO = 0,  /* YYYY-MM-DD (default) */
    MATCH_DATE_MDY,      /* MM/DD/YYYY */
    MATCH_DATE_DMY,      /* DD/MM/YYYY */
    MATCH_DATE_COMPACT,  /* YYYYMMDD */
    MATCH_DATE_MDY_LOOSE /* M/D/YYYY: one or two digit month and day */
} match_date_fmt;

/* Which column of a file holds each field. Zero-initialise; col[f] is
 * NULL when f is not mapped. The strings are owned by the map. */
typedef struct match_map {
    char *col[MATCH_FIELD_COUNT];
    match_date_fmt date_fmt;
} match_map;

/* Adds the mappings of spec, "COLUMN=FIELD[,COLUMN=FIELD...]", to m; a
 * birth_date mapping may name a format ("dob=birth_date:MM/DD/YYYY").
 * COLUMN is everything before the last '=' of an item. Errors:
 * P20W_EUSAGE (an unknown field or format, an item without '=', a field
 * mapped twice), P20W_ENOMEM. */
p20w_status match_map_parse(match_map *m, const char *spec, p20w_err *err);

/* Parses a date written in fmt into a day number (util/date.h). Returns
 * P20W_EFORMAT when s is not a valid date in that format. */
p20w_status match_date_parse(const char *s, size_t len, match_date_fmt fmt,
                             int32_t *days);

void match_map_free(match_map *m);

typedef struct match_options {
    const char *data_dir;   /* reference data (nicknames.csv) */
    const match_map *map_a; /* columns of file A */
    const match_map *map_b; /* columns of file B */
    const char *truth_col;  /* column with the true entity id, or NULL */
    int threads;            /* comparison threads; 0 = 2 */
    int one_to_one;         /* each record of either file keeps at most
                               one link (default: each record of B) */
    FILE *warnings;         /* where warnings go (NULL: not printed) */
} match_options;

typedef struct match_result match_result;

/* Reads both files, links them and, with truth_col, measures the links.
 * On success *out owns the result (match_result_free()). Errors: P20W_EIO
 * (a file cannot be opened or read), P20W_EFORMAT (malformed CSV, a mapped
 * or truth column missing from a header, an empty file), P20W_ELIMIT (CSV
 * limits, or more than 2^32 records), P20W_EUSAGE (one_to_one without
 * birth dates), P20W_ENOMEM; err names the file and,
 * for CSV errors, the line and column. */
p20w_status match_run(const char *path_a, const char *path_b,
                      const match_options *o, match_result **out,
                      p20w_err *err);

/* Writes the linked and review pairs as CSV: a_row,b_row,weight,decision
 * (rows are 1-based data rows; decision "link" or "review"), sorted by
 * a_row then b_row. Errors: P20W_EIO, P20W_ENOMEM. */
p20w_status match_write_pairs(const match_result *r, FILE *out, p20w_err *err);

/* Writes the summary (records read, rows with problems and the warnings by
 * field, candidate pairs, links, review pairs, threshold, and precision,
 * recall and F1 when a truth column was given) as "text" or "json".
 * Errors: P20W_EUSAGE (format), P20W_EIO. */
p20w_status match_write_summary(const match_result *r, const char *format,
                                FILE *out, p20w_err *err);

/* Pairwise precision, recall and F1 of the links against the truth
 * column; returns 0 when no truth column was given. */
int match_quality(const match_result *r, double *precision, double *recall,
                  double *f1);

void match_result_free(match_result *r);

#endif
