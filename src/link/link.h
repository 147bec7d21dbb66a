/*
 * link.h — identity resolution: link each person's records across the
 * agencies' extracts and keep a master person index of stable p20w_ids.
 *
 * link_run() reads the live records of the identity vault, normalises them,
 * finds candidate pairs by blocking, weighs each pair with a
 * Fellegi–Sunter model fitted by EM (u from random pairs), links pairs
 * above the threshold that gives the target precision, clusters the links
 * under constraints (one K-12 id per person unless the duplicate is
 * strong, one wage SSN per person), and writes persons and person_links
 * in one transaction, keeping the p20w_id of every cluster that persists.
 *
 * With truth_dir (a synthetic state's truth/ folder) the run also measures
 * pairwise and cluster precision, recall and F1 against the truth, and
 * match rates of truly matchable people by group.
 */
#ifndef P20W_LINK_H
#define P20W_LINK_H

#include <stdio.h>

#include "store/store.h"
#include "util/error.h"

typedef struct link_options {
    const char *data_dir;    /* reference data (nicknames.csv) */
    const char *truth_dir;   /* synthetic truth/ folder, or NULL */
    double target_precision; /* 0 (default): link at posterior >= 1/2;
                                else the expected precision of links */
    int threads;             /* comparison threads; 0 = 2 */
    int show_progress;
} link_options;

void link_options_init(link_options *o);

typedef struct link_report link_report;

/* Links everything in st. Errors: P20W_ESTORE, P20W_ENOMEM, P20W_EIO
 * (truth or reference files), P20W_EFORMAT (a malformed truth file). */
p20w_status link_run(store *st, const link_options *o, link_report **out,
                     p20w_err *err);

/* Writes the match report as text or JSON. */
p20w_status link_report_write(const link_report *r, const char *format,
                              FILE *out, p20w_err *err);

void link_report_free(link_report *r);

#endif
