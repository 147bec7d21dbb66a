/*
 * fs.h — Fellegi–Sunter model: agreement-pattern counts, m and u by EM,
 * match weights, and thresholds for a target precision.
 *
 * A comparison of two records is a vector of levels, one per field
 * (0..levels-1, or LINK_MISSING). Identical vectors are counted once as a
 * pattern, so EM runs over at most a few thousand patterns whatever the
 * number of pairs (the fastLink approach). Missing levels are neutral: they
 * contribute to neither m nor u and weigh 0.
 *
 * The model assumes conditional independence of fields given match status.
 * u may be fixed from random pairs (fs_set_u) before fitting; EM then only
 * estimates m and the match share.
 */
#ifndef P20W_LINK_FS_H
#define P20W_LINK_FS_H

#include <stddef.h>
#include <stdint.h>

#include "util/error.h"

#define FS_MAX_FIELDS 12
#define FS_MAX_LEVELS 8

typedef struct fs_model fs_model;

/* Creates a model over nfields fields; levels[k] is the number of levels of
 * field k (2..FS_MAX_LEVELS; level levels[k]-1 is full agreement).
 * Errors: P20W_EINVAL (bad shape), P20W_ENOMEM. */
p20w_status fs_create(size_t nfields, const int *levels, fs_model **out);

void fs_free(fs_model *m);

/* Adds `count` pairs with this comparison vector (nfields entries, each a
 * level or LINK_MISSING). Errors: P20W_EINVAL (level out of range),
 * P20W_ENOMEM. */
p20w_status fs_add(fs_model *m, const int *levels, uint64_t count);

/* Number of distinct patterns and of pairs added. */
size_t fs_pattern_count(const fs_model *m);
uint64_t fs_pair_count(const fs_model *m);

/* Fixes u for field k (levels[k] probabilities summing to 1, e.g. measured
 * on random pairs); EM will not re-estimate it. */
p20w_status fs_set_u(fs_model *m, size_t field, const double *u);

/* Sets the starting u of field k (as fs_set_u) but lets EM re-estimate it:
 * for candidate pairs chosen by blocking, the non-matches agree more often
 * than random pairs do, and a u held at its random-pair value makes EM
 * explain them as matches. */
p20w_status fs_start_u(fs_model *m, size_t field, const double *u);

/* Sets the starting m of field k (levels[k] non-negative weights, at least
 * one positive; normalised here). Errors: P20W_EINVAL. */
p20w_status fs_start_m(fs_model *m, size_t field, const double *mv);

/* Sets the starting match share (0 < p < 1). Errors: P20W_EINVAL. */
p20w_status fs_start_match_share(fs_model *m, double p);

/* Fits by EM until the log-likelihood improves by less than tol (relative)
 * or max_iter iterations. Starting values: match share 0.1, m rising and
 * u falling with the level. Errors: P20W_EINVAL when no pair was added. */
p20w_status fs_fit(fs_model *m, int max_iter, double tol);

/* Fitted parameters. */
double fs_match_share(const fs_model *m);
double fs_m(const fs_model *m, size_t field, int level);
double fs_u(const fs_model *m, size_t field, int level);

/* log2(m/u) for one field at one level; 0 for LINK_MISSING. */
double fs_field_weight(const fs_model *m, size_t field, int level);

/* Total weight of a comparison vector (sum of field weights). */
double fs_weight(const fs_model *m, const int *levels);

/* Posterior probability that a pair with this vector is a match. */
double fs_posterior(const fs_model *m, const int *levels);

/* The lowest total weight w such that the pairs added with weight ≥ w have
 * an expected precision (mean posterior) ≥ target. Returns +INFINITY when
 * no threshold reaches it. */
double fs_threshold_for_precision(const fs_model *m, double target);

#endif
