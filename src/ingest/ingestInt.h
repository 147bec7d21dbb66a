/*
 * ingestInt.h — private to src/ingest: the report being built and the
 * helpers the load, reference and report files share.
 */
#ifndef P20W_INGEST_INT_H
#define P20W_INGEST_INT_H

#include <jansson.h>

#include "ingest/ingest.h"
#include "util/hmap.h"
#include "util/vec.h"

/* Detailed errors kept per submission; counts per rule are always exact. */
#define INGEST_MAX_DETAILS 10000
#define INGEST_VALUE_MAX 96

typedef struct ingest_issue {
    long line;           /* 0 = file-level */
    int col;             /* 1-based field number, 0 = none */
    const char *column;  /* column name (static, from the dictionary) */
    const char *rule;    /* rule id (static) */
    const char *message; /* static text; quotes no value */
    char value[INGEST_VALUE_MAX]; /* masked for sensitivity D */
    int severity;                 /* 0 fatal, 1 error, 2 warning */
} ingest_issue;

enum { SEV_FATAL = 0, SEV_ERROR = 1, SEV_WARNING = 2 };

struct ingest_report {
    ingest_outcome outcome;
    int64_t submission_id;
    int64_t replaced_id;  /* live submission this one replaced, or 0 */
    int64_t identical_to; /* for a no-op: the live identical submission */
    const dict_extract *x;
    char *file_name;
    char *period;
    char *agency;
    char sha256[65];
    uint64_t rows_read;
    uint64_t rows_accepted;
    uint64_t rows_rejected;
    uint64_t bytes;
    double elapsed_s;
    hmap *rule_counts;       /* rule id -> (count as uintptr_t) */
    hmap *flag_counts;       /* flags (kept rows): rule id -> count */
    vec issues;              /* ingest_issue: fatal, errors, warnings */
    uint64_t issues_dropped; /* errors beyond INGEST_MAX_DETAILS */
    char fatal_msg[640];
    char *json; /* cached rendering */
};

/* Creates an empty report. */
p20w_status ingest_report_new(ingest_report **out);

/* Adds an issue; details beyond the cap are counted, not kept. */
p20w_status ingest_report_add(ingest_report *r, int severity, long line,
                              int col, const char *column, const char *rule,
                              const char *message, const char *value);

/* Counts one occurrence of rule in the rejected (or flag) tallies. */
p20w_status ingest_report_count(ingest_report *r, const char *rule, int flag);

/* Builds the JSON document of a report (new reference). */
json_t *ingest_report_to_json(const ingest_report *r);

/* Reference sets: the values of an extract's key columns in the live data,
 * for REF rules. Keys of several columns are joined with '\x1f'. */
p20w_status ingest_refs_load(store *st, const char *extract,
                             const char *const *cols, hmap **out,
                             p20w_err *err);

#endif
