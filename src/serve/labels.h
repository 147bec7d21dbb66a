/*
 * labels.h — what people read instead of codes: the name of each
 * dimension and of each value ("race" → "Race and ethnicity", "HI" →
 * "Hispanic or Latino"), in the request's language.
 *
 * Coded values (race, sex, career cluster, award level, locale, exit
 * kind, work-based learning, yes/no flags) are translated through the
 * catalog; names of places and institutions (school, district, county,
 * institution) and CIP titles come from the database and the reference
 * data, as the agencies and NCES write them (English). Unknown values
 * show as their code.
 */
#ifndef P20W_SERVE_LABELS_H
#define P20W_SERVE_LABELS_H

#include <stddef.h>

#include "dict/codeset.h"
#include "serve/pubcube.h"
#include "store/store.h"
#include "util/hmap.h"

/* The dimension's name, translated ("Race and ethnicity"). */
const char *serve_dim_title(int dim);

/* The value's label, translated when coded; written into buf (cap
 * bytes) when it must be composed, else a static or catalog string.
 * "~" is "Not reported". names: from pubcube_names() (may be NULL). */
const char *serve_value_label(const hmap *names, int dim, const char *value,
                              char *buf, size_t cap);

/* Loads the names of schools, districts, institutions (live
 * submissions), counties and CIP codes (reference data, reg may be NULL)
 * into names, keyed "dim|value" (dim as measure_dim_name()), the strings
 * allocated in strings. Errors: P20W_ESTORE, P20W_ENOMEM. */
typedef struct arena arena;
p20w_status serve_names_load(store *db, const codeset_registry *reg,
                             hmap *names, arena *strings, p20w_err *err);

/* The readable name of a share's category ("Employed only", "Retail
 * Trade", "29-1141"): translated for the outcome and industry categories
 * (the English labels of measure/labels.c are the msgids); a SOC code
 * reads "Registered nurses (29-1141)" when occupations (from
 * serve_occupations_load, may be NULL) names it, else as the code. NULL
 * or "" is "". buf (cap bytes) holds composed names. */
const char *serve_category_label(const hmap *occupations, const char *category,
                                 char *buf, size_t cap);

/* 1 when category is one serve_category_label() translates. */
int serve_category_known(const char *category);

/* Loads the titles of the projected occupations (SUPPLY_DEMAND's
 * categories) from data_dir/bls_occupation_projections_2024_2034.csv
 * into occupations, "29-1141" -> "Registered nurses", the strings in
 * strings. Errors: P20W_EIO (no file), P20W_EFORMAT (no soc_code or
 * occupation_title column, a malformed row), P20W_ENOMEM. */
p20w_status serve_occupations_load(const char *data_dir, hmap *occupations,
                                   arena *strings, p20w_err *err);

#endif
