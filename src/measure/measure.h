/*
 * measure.h — the indicator catalog and the cube (spec/indicators.md).
 *
 * How an indicator is computed. Every indicator is one emitter function
 * (measure_emit_fn): it walks the finished, derived timeline (timeline.h)
 * and, for each member of the indicator's population, emits one
 * measure_unit — the year the unit counts in, the unit's value on every
 * dimension (TL_NONE when the dimension does not apply to it), and its
 * outcome (in the numerator or not; a dollar value; a category). The cube
 * engine (cube.c) aggregates units into cells for the state total, every
 * allowed single dimension, and the listed two-way intersections, so no
 * emitter knows about cells and no aggregation knows about learners.
 *
 * Statistics:
 *   RATE        numerator / denominator: in_numerator 0 or 1 per unit;
 *               value = numerator / denominator.
 *   SHARE       a distribution over categories (OUTCOME_Yk, INDUSTRY_Yk):
 *               each unit has a category; one cell per category with
 *               numerator = units in it, denominator = all units of its
 *               dimension values.
 *   PERCENTILE  p25, median, p75 of the units' value (dollars); n units.
 *   COUNT       n units (numerator = n).
 *   FLAG        per program cell: value 1/0 (CRED_OF_VALUE), computed by
 *               the emitter's finishing step.
 *
 * Profiles. A reporting profile holds every *profile* number of the spec
 * (employment threshold, attachment rule, concentrator rules, disclosure
 * numbers), read from an INI file (profile.c); `default` is built in.
 */
#ifndef P20W_MEASURE_H
#define P20W_MEASURE_H

#include <stddef.h>
#include <stdint.h>

#include "derive/profile.h"
#include "derive/timeline.h"
#include "util/error.h"

/* Dimensions a cube cell can be cut by. The state total is the cell with
 * no dimension. */
enum measure_dim {
    MD_REGION = 0,  /* workforce region (tl_region index) */
    MD_COUNTY,      /* tl_county index */
    MD_DISTRICT,    /* tl_district index */
    MD_SCHOOL,      /* tl_school index */
    MD_INSTITUTION, /* tl_institution index */
    MD_CLUSTER,     /* enum tl_cluster */
    MD_PROGRAM,     /* tl_program index */
    MD_CIP2,        /* CIP family: 51 */
    MD_CIP4,        /* 5108 */
    MD_CIP6,        /* 510801 */
    MD_AWARD_LEVEL, /* enum tl_award */
    MD_SEX,         /* 'F', 'M', 'X' */
    MD_RACE,        /* enum tl_race */
    MD_ECON,        /* 0/1 for each special-population flag */
    MD_DISABILITY,
    MD_EL,
    MD_HOMELESS,
    MD_FOSTER,
    MD_MIGRANT,
    MD_MILITARY,
    MD_NONTRAD, /* 0/1: concentrator in a non-traditional program */
    MD_LOCALE,  /* enum tl_locale (of the school) */
    MD_EXITER,  /* enum tl_exit_kind */
    MD_WBL,     /* WBL_OUTCOMES: 0 none, 1 + enum tl_wbl_type */
    MD_SUBJECT, /* enum tl_subject */
    MD_QUARTER, /* OPP_YOUTH: quarter index */
    MD_COUNT
};

/* Short stable names used in dims_key ("school=KY0001;sex=F"), CLI
 * --by options and the API: "region", "county", ... */
const char *measure_dim_name(int dim);
/* The dimension with that name, or -1. */
int measure_dim_find(const char *name);

enum measure_stat { MS_RATE = 0, MS_SHARE, MS_PERCENTILE, MS_COUNT, MS_FLAG };

/* One member of an indicator's population. */
typedef struct measure_unit {
    int32_t year;          /* the year it counts in (cohort, exit, ...) */
    int32_t dim[MD_COUNT]; /* value per dimension, TL_NONE when n/a */
    uint8_t in_numerator;  /* RATE */
    int32_t category;      /* SHARE: the category (e.g. NAICS sector) */
    double value;          /* PERCENTILE: dollars */
} measure_unit;

/* Sets every dim to TL_NONE and the rest to 0. */
void measure_unit_init(measure_unit *u);

/* Fills the person-level dimensions of u from p: sex, race, each flag,
 * and home region/county when the emitter has no better place. */
void measure_unit_person(measure_unit *u, const tl_state *st,
                         const tl_person *p);

/* Where emitters send units: the cube engine (cube.c) or, in tests, any
 * collector. fn copies what it keeps. */
typedef struct measure_sink {
    p20w_status (*fn)(void *ctx, const measure_unit *u);
    void *ctx;
} measure_sink;

/* Hands a unit to the sink. */
p20w_status measure_emit(measure_sink *sink, const measure_unit *u);

/* An emitter: computes indicator `id` over the timeline and emits its
 * units. */
typedef p20w_status (*measure_emit_fn)(const char *id, const tl_state *st,
                                       const p20w_profile *prof,
                                       measure_sink *sink, p20w_err *err);

/* One catalog entry (indicators.md, "Indicators"). */
typedef struct measure_indicator {
    const char *id;       /* "EMP_Q2" */
    const char *title_en; /* "Employed in the 2nd quarter after exit" */
    const char *title_es;
    const char *explain_en; /* one or two plain sentences */
    const char *explain_es;
    const char *population;  /* English, as in the spec */
    const char *year_means;  /* "cohort year", "exit year", ... */
    int stat;                /* enum measure_stat */
    uint64_t dims;           /* bit (1 << measure_dim) per allowed dim */
    uint64_t required_dims;  /* dims every cell carries (SHARE category
                                dims like MD_SUBJECT; 0 for most) */
    const char *method_note; /* methodology note shown beside it */
    measure_emit_fn emit;
    /* SHARE: a short English label of a category ("Manufacturing",
     * "Not found in state records"); never NULL for SHARE, NULL for the
     * other statistics. Returns "" for an unknown category. The string is
     * static (or thread-local for computed labels: valid until the next
     * call on the same thread). */
    const char *(*category_label)(int32_t category);
} measure_indicator;

/* The catalog: every indicator of the spec, in spec order (catalog.c).
 * An entry whose emit is NULL is declared but not computed yet. */
const measure_indicator *measure_catalog(size_t *count);
/* The entry with this id, NULL when unknown. */
const measure_indicator *measure_find(const char *id);

#endif
