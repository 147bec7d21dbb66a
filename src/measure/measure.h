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
 *   SHARE       a distribution over categories (OUTCOME_Yk, INDUSTRY_Yk,
 *               SUPPLY_DEMAND): each unit has a category; one cell per
 *               category with numerator = units in it, denominator = all
 *               units of its dimension values.
 *   PERCENTILE  p25, median, p75 of the units' value (dollars); n units.
 *   COUNT       n units (numerator = n).
 *   FLAG        per program cell: value 1/0 (CRED_OF_VALUE), computed by
 *               the emitter's finishing step: one unit per rated program
 *               with in_numerator = the flag and value = the program's
 *               median; a program-level cell holds that one unit, a
 *               coarser cell the share of its programs flagged (as RATE).
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
    MD_WBL,     /* WBL_OUTCOMES: MEASURE_WBL_NONE, 1 + enum tl_wbl_type,
                   MEASURE_WBL_ANY */
    MD_SUBJECT, /* enum tl_subject */
    MD_QUARTER, /* OPP_YOUTH: quarter index */
    MD_COUNT
};

/* MD_WBL values besides 1 + enum tl_wbl_type: no completed work-based
 * learning, and any type (a participant counts under ANY and once under
 * each type completed, so WBL_OUTCOMES makes MD_WBL a required dim). */
#define MEASURE_WBL_NONE 0
#define MEASURE_WBL_ANY (1 + TL_WBL_COUNT)

/* OUTCOME_Yk categories, in precedence order: a person is in the first
 * that applies (spec/indicators.md). */
enum measure_outcome {
    MO_APPRENTICESHIP = 0, /* in a registered apprenticeship */
    MO_PS_EMPLOYED,        /* enrolled in postsecondary and employed */
    MO_PS_ONLY,            /* enrolled, not employed */
    MO_EMPLOYED_ONLY,      /* employed, not enrolled */
    MO_RECORDS_NEITHER,    /* in state records, neither (wages below the
                              employment rule, or K-12 only) */
    MO_NOT_FOUND,          /* no wage, enrolment or apprenticeship record */
    MO_COUNT
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

/* Reference data some emitters need beyond the timeline (SUPPLY_DEMAND,
 * CRED_OF_VALUE): the CIP -> SOC crosswalk and the BLS occupation
 * projections (refs.c). */
typedef struct measure_refs measure_refs;

/* Where emitters send units: the cube engine (cube.c) or, in tests, any
 * collector. fn copies what it keeps. refs may stay NULL: an emitter that
 * needs reference data then loads it from P20W_DATADIR itself (set it to
 * load once per build, or to use another data folder). */
typedef struct measure_sink {
    p20w_status (*fn)(void *ctx, const measure_unit *u);
    void *ctx;
    const measure_refs *refs; /* borrowed, may be NULL */
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

/* ---- reference data (refs.c) ------------------------------------------ */

/* One projected occupation: a row of BLS Employment Projections 2024-34
 * (data/bls_occupation_projections_2024_2034.csv). */
typedef struct measure_occupation {
    int32_t soc;         /* SOC 2018 as a number: 47-2111 -> 472111 */
    double openings;     /* average annual openings, persons (national) */
    double pct_change;   /* employment change 2024-34, percent */
    int64_t median_wage; /* May 2024 median annual wage, dollars; -1 n/a */
    int in_demand;       /* openings and growth both above the median of
                            all projected occupations */
} measure_occupation;

/* Loads data_dir/cip_soc_crosswalk.csv and
 * data_dir/bls_occupation_projections_2024_2034.csv. A crosswalk SOC that
 * the projections do not carry is mapped to its broad occupation
 * (47-2111 -> 47-2110) when projected, else to the projections'
 * aggregate of its broad group (25-2055 -> 25-2052); military (55-) and
 * "NO MATCH" (99-9999) codes link to nothing. On success *out is freed
 * with measure_refs_free(). Errors: P20W_EIO (cannot open), P20W_EFORMAT
 * (missing column, malformed code or number; err carries file and line),
 * P20W_ENOMEM. */
p20w_status measure_refs_load(const char *data_dir, measure_refs **out,
                              p20w_err *err);
void measure_refs_free(measure_refs *r);

/* The projected occupation of this SOC (exact code only), NULL when the
 * projections do not carry it. Owned by r. */
const measure_occupation *measure_refs_occupation(const measure_refs *r,
                                                  int32_t soc);

/* The projected occupations CIP `cip` links to (after the mapping above),
 * ascending SOC, without duplicates: *n of them (0 when none). The array
 * is owned by r. */
const measure_occupation *const *
measure_refs_cip_occupations(const measure_refs *r, int32_t cip, size_t *n);

/* The medians in_demand compares with: annual openings (persons) and
 * percent change over all projected occupations. */
void measure_refs_demand_medians(const measure_refs *r, double *openings,
                                 double *pct_change);

/* The catalog: every indicator of the spec, in spec order (catalog.c).
 * An entry whose emit is NULL is declared but not computed yet. */
const measure_indicator *measure_catalog(size_t *count);
/* The entry with this id, NULL when unknown. */
const measure_indicator *measure_find(const char *id);

#endif
