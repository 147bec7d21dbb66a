/*
 * ingest.h — validate an agency extract against the data dictionary and load
 * it as one submission.
 *
 * A submission is (source, period, agency, file). ingest_file() reads the
 * file once, checks every field and row against the dictionary (dict.h),
 * and in ONE transaction writes the accepted rows to the staging table of
 * the source, their direct identifiers to the identity vault, the error
 * list and the report. Either all of that is committed or none of it:
 *  - a fatal error (unreadable file, invalid UTF-8, broken quoting, wrong
 *    header, more rejected rows than max_reject_share) loads nothing; the
 *    submission is recorded as 'rejected' with its report so the steward
 *    can see why;
 *  - a row error rejects that row only and is listed (line, column, rule,
 *    value with direct identifiers masked);
 *  - an accepted submission replaces the live one of the same source and
 *    period, which stays in history as 'replaced';
 *  - a file identical (SHA-256) to the live submission of its source and
 *    period changes nothing and says so.
 * Killing the process at any point leaves the previous state: SQLite's
 * transaction does the work.
 *
 * Values are normalised on load: fields trimmed, text put in Unicode NFC,
 * SSNs reduced to 9 digits; invalid SSNs (000/666/9xx area, 00 group, 0000
 * serial) are kept in the vault flagged ssn_valid = 0 and are not linked.
 *
 * No message or report produced here contains a direct identifier.
 */
#ifndef P20W_INGEST_H
#define P20W_INGEST_H

#include <stdint.h>
#include <stdio.h>

#include "dict/codeset.h"
#include "dict/dict.h"
#include "store/store.h"
#include "util/error.h"

typedef struct ingest_options {
    const char *source;      /* extract name; NULL = from the file name */
    const char *period;      /* reporting period; NULL = "all" */
    const char *agency;      /* submitting agency; NULL = the extract's owner */
    double max_reject_share; /* fatal above this share of rows; <0 = 0.05 */
    double yoy_threshold;    /* warn on per-entity change above; <0 = 0.30 */
    int allow_extra_columns; /* unknown columns are ignored, not fatal */
    int current_year;        /* bounds "current year + 1" rules; 0 = today */
    int show_progress;       /* progress bar on a terminal */
} ingest_options;

/* Sets the defaults documented above. */
void ingest_options_init(ingest_options *o);

typedef enum ingest_outcome {
    INGEST_ACCEPTED, /* loaded (possibly with rejected rows) */
    INGEST_REJECTED, /* fatal error: nothing loaded */
    INGEST_NOOP      /* identical to the live submission: nothing changed */
} ingest_outcome;

/* The report of one submission. Owned by the caller: ingest_report_free(). */
typedef struct ingest_report ingest_report;

/*
 * Validates and loads one extract file into st. reg holds the code sets.
 * On P20W_OK, *out describes the submission whatever its outcome (accepted,
 * rejected or no-op): a rejected file is not an error of this function, it
 * is its report. Errors returned are about the system, not the file:
 * P20W_ENOTFOUND (no such extract), P20W_EIO (cannot read the file at all),
 * P20W_ESTORE, P20W_ENOMEM; then nothing was changed and *out is NULL.
 */
p20w_status ingest_file(store *st, const codeset_registry *reg,
                        const char *path, const ingest_options *opts,
                        ingest_report **out, p20w_err *err);

/* Loads every file of dir whose name is an extract's file name, in an
 * order where referenced extracts come first (schools before students,
 * students before exits...). For each file, cb is called with its report
 * (owned by ingest_dir, valid during the call). Files that are not
 * extracts are skipped with a warning. Errors: as ingest_file(), and
 * P20W_ENOTFOUND when dir holds no extract. */
p20w_status ingest_dir(store *st, const codeset_registry *reg, const char *dir,
                       const ingest_options *opts,
                       void (*cb)(const ingest_report *r, void *ctx), void *ctx,
                       p20w_err *err);

ingest_outcome ingest_report_outcome(const ingest_report *r);
int64_t ingest_report_submission(const ingest_report *r);
uint64_t ingest_report_rows_read(const ingest_report *r);
uint64_t ingest_report_rows_accepted(const ingest_report *r);
uint64_t ingest_report_rows_rejected(const ingest_report *r);

/* The report as JSON text (the same document stored with the submission).
 * Caller frees with p20w_free(); NULL when out of memory. */
char *ingest_report_json(const ingest_report *r);

void ingest_report_free(ingest_report *r);

/* Writes a stored report (the JSON text of ingest_report_json()) to out as
 * "text" (for people), "json" or "csv" (one row per issue). Errors:
 * P20W_EFORMAT (not a report), P20W_EUSAGE (unknown format). */
p20w_status ingest_render_report(const char *json, const char *format,
                                 FILE *out, p20w_err *err);

#endif
