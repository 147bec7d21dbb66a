/*
 * synth.h — synthetic state generator with ground truth.
 *
 * synth_run() writes the fourteen agency extracts of spec/extracts.md for a
 * made-up population of learners living in the real counties of one state,
 * plus truth/persons.csv (each person's true attributes) and
 * truth/person_map.csv (which true person every identity-bearing record
 * belongs to, and which identity noise was applied to it). No real learner
 * data is ever read: names come from public frequency tables in data/.
 *
 * Output is a pure function of the options: the same options give
 * byte-identical files. Every person draws from random streams seeded by
 * (seed, person index), so one person's life does not depend on how the
 * others were generated, and the noise level changes only the noise (the
 * population and its life courses stay the same across --noise levels).
 *
 * Rows are streamed person by person; memory is the reference tables plus
 * the employer pool (sized with the number of learners), flat in N.
 * docs/synthetic-data.md states every rate and planted effect.
 */
#ifndef P20W_SYNTH_H
#define P20W_SYNTH_H

#include <stdint.h>

#include "util/error.h"

typedef enum synth_noise {
    SYNTH_NOISE_LOW = 0,     /* every noise rate x 0.5 */
    SYNTH_NOISE_DEFAULT = 1, /* the documented rates */
    SYNTH_NOISE_HIGH = 2     /* every noise rate x 2 (capped at 0.95) */
} synth_noise;

typedef struct synth_options {
    const char *out_dir;  /* created if missing; truth/ goes inside */
    const char *data_dir; /* reference CSVs (data/) */
    uint64_t learners;    /* 1 .. SYNTH_MAX_LEARNERS */
    uint64_t seed;
    char state[3]; /* USPS code, e.g. "KY" */
    synth_noise noise;
    int all_grades;    /* 0 = grades 9-12 only, 1 = K-12 */
    int show_progress; /* draw a progress bar on stderr */
} synth_options;

#define SYNTH_MAX_LEARNERS 50000000ULL

typedef struct synth_stats {
    uint64_t persons; /* learners + in-migrants (learners / 4) */
    uint64_t rows;    /* data rows written over all extracts (not truth) */
    uint64_t wage_rows;
} synth_stats;

/* Fills o with the defaults: KY, default noise, grades 9-12, seed 1,
 * 1000 learners, no progress bar; out_dir and data_dir NULL. */
void synth_options_init(synth_options *o);

/* Parses "low", "default", "high". Errors: P20W_EUSAGE. */
p20w_status synth_noise_parse(const char *s, synth_noise *out);

/* Generates the synthetic state. stats may be NULL. Errors: P20W_EUSAGE
 * (bad options), P20W_ENOTFOUND (no such state in us_counties.csv),
 * P20W_EIO (a reference file cannot be read or an output file written),
 * P20W_EFORMAT (a reference file is malformed), P20W_ENOMEM. Files already
 * written stay on error. */
p20w_status synth_run(const synth_options *o, synth_stats *stats,
                      p20w_err *err);

#endif
