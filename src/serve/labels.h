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

#endif
