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

/* ---- defaults, configuration file, JSON (profile.c) -------------------- */

/* The longest profile name a configuration may use (letters, digits, '_'
 * and '-'); shorter than PROFILE_NAME_MAX so "[profile NAME]" fits inih's
 * section buffer. */
#define PROFILE_NAME_LEN_MAX 32

/* Fills p with the spec's profile `default` (indicators.md): employed in a
 * quarter at >= $1.00; attached at >= $15,080 and >= 3 employed quarters;
 * nominal dollars; employed in a year at >= 1 quarter and >= $0;
 * concentrators at 2 courses / 12 credits; value wage = state median;
 * non-traditional clusters F: AC, MN, TD, ST and M: ED, HS, HU (an
 * illustrative default: see docs/methodology-indicators.md); disclosure
 * min_n 10, bands 300 -> 99/1, 100 -> 98/2, 40 -> 95/5, 20 -> 90/10,
 * 10 -> 80/20, protect 0.5, min_n_percentile 30, pooling over 3 years;
 * regions NULL (commuting zones). */
void profile_default(p20w_profile *p);

/* A parsed configuration file: its profiles (resolved through `inherits`),
 * its [regions] table and its [nontraditional] clusters. Opaque. */
typedef struct p20w_config p20w_config;

/* Reads and checks the INI file at path (format in the comment atop this
 * file and in docs/methodology-indicators.md). Every key is checked: an
 * unknown section or key, a malformed line or number is P20W_EFORMAT, a
 * number out of range, a duplicate key or section, an unknown or circular
 * `inherits` is P20W_EINVAL; err then carries path and line. A missing
 * file is P20W_ENOTFOUND, an unreadable one P20W_EIO, a file over 1 MiB
 * P20W_ELIMIT. *out is freed with profile_config_free(). */
p20w_status profile_config_load(const char *path, p20w_config **out,
                                p20w_err *err);

/* The same over text[0..len) (which need not be NUL-terminated); name is
 * the file name used in error messages (may be NULL). */
p20w_status profile_config_parse(const char *text, size_t len, const char *name,
                                 p20w_config **out, p20w_err *err);

/* Copies the profile `name` into *prof. `default` always exists (built in,
 * or as the file overrides it); cfg may be NULL (built-in default only).
 * prof->regions points into cfg, valid until profile_config_free(cfg).
 * Unknown name: P20W_ENOTFOUND, the message listing the known ones. */
p20w_status profile_config_get(const p20w_config *cfg, const char *name,
                               p20w_profile *prof, p20w_err *err);

/* The profiles of cfg: `default` first, then the file's in file order.
 * cfg may be NULL (one profile, `default`). */
size_t profile_config_count(const p20w_config *cfg);
const char *profile_config_name(const p20w_config *cfg, size_t i);

void profile_config_free(p20w_config *cfg);

/* The profile as compact JSON (jansson), every number with its unit in
 * its name, so it can be stored beside a cube: *out is owned by the
 * caller (p20w_free). Errors: P20W_ENOMEM. */
p20w_status profile_to_json(const p20w_profile *p, char **out, p20w_err *err);

#endif
