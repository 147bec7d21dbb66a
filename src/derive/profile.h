/*
 * profile.h — reporting profiles: every number spec/indicators.md marks
 * *profile*, plus the disclosure numbers and the workforce regions, so a
 * state can match its own rules. The profile used is stored with every
 * cube and printed with every table.
 *
 * Profiles are read from an INI file (inih), one section per profile:
 *
 *   [profile default]            ; built in, may be overridden
 *   min_quarter_wages = 1.00     ; dollars
 *   ...
 *   [profile two_quarters]
 *   inherits = default
 *   employed_year_quarters = 2
 *   employed_year_wages = 3000
 *
 *   [regions]                    ; county FIPS = region name
 *   21111 = Louisville area
 *
 *   [nontraditional]             ; clusters non-traditional for a sex
 *   F = AC, MN, TD, ST
 *   M = ED, HS, HU
 *
 * Without a [regions] section every county is in the region of its ERS
 * 2000 commuting zone (data/us_counties.csv), named "CZ <id>".
 */
#ifndef P20W_PROFILE_H
#define P20W_PROFILE_H

#include <stddef.h>
#include <stdint.h>

#include "util/error.h"

#define PROFILE_NAME_MAX 64
#define PROFILE_MAX_BANDS 8

typedef struct p20w_profile_band {
    long min_denominator;
    double top_pct, bottom_pct;
} p20w_profile_band;

/* One row of the [regions] section: county FIPS -> region name. */
typedef struct p20w_region_entry {
    char fips[6];
    char name[PROFILE_NAME_MAX];
} p20w_region_entry;

typedef struct p20w_profile {
    char name[PROFILE_NAME_MAX];

    /* employment and earnings (indicators.md "Building blocks") */
    int64_t min_quarter_cents;   /* employed in a quarter: >= this; 100 */
    int64_t attach_annual_cents; /* attached: annual >= this; 1508000 */
    int attach_quarters;         /* and employed in >= this of 4; 3 */
    int base_year;               /* CPI-U base year; 0 = nominal */
    /* "Employed in year k" (INDUSTRY_Yk, HOME_REGION_Yk, OUTCOME_Yk):
     * >= employed_year_quarters employed quarters and >= this much in the
     * year. Default 1 quarter, 0 dollars; the example profile 2 and
     * 300000. */
    int employed_year_quarters;
    int64_t employed_year_cents;

    /* designations */
    int concentrator_courses;       /* secondary: 2 */
    double ps_concentrator_credits; /* postsecondary: 12 */

    /* credentials of value: 0 = state median of attached earners */
    int64_t value_wage_cents;

    /* non-traditional clusters: bit (1 << enum tl_cluster) */
    uint32_t nontrad_f; /* non-traditional for women */
    uint32_t nontrad_m; /* non-traditional for men */

    /* disclosure (indicators.md "Disclosure defaults") */
    long min_n;            /* 10 */
    double protect_pct;    /* 0.5 */
    long min_n_percentile; /* 30 */
    int pool_years;        /* 3 */
    size_t band_count;
    p20w_profile_band band[PROFILE_MAX_BANDS];

    /* workforce regions: NULL = one per ERS 2000 commuting zone. Owned by
     * whoever read the configuration (profile.c), not by this struct. */
    const p20w_region_entry *regions;
    size_t region_count;
} p20w_profile;

#endif
