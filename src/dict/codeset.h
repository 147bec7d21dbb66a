/*
 * codeset.h — the code sets the data dictionary refers to.
 *
 * A code set is a named list of codes, each with a title and, for some sets,
 * a few named attributes (a county's state and commuting zone, a SCED
 * course's subject area). Membership and title lookup are O(1) (hash map).
 *
 * Two kinds of sets live in one registry:
 *  - loaded sets, read from the reference CSVs of the data directory
 *    (data/SOURCES.md describes each file): cip2020, cip2020_series, soc2018,
 *    naics2017, naics2022, sced, sced_cte_area, counties;
 *  - built-in sets the extract specification defines (spec/extracts.md):
 *    career_cluster, race_ethnicity, sex, grade_level, exit_type, wbl_type,
 *    subject, ps_sector, award_level, award_level_sought,
 *    apprenticeship_status, nces_locale, yn, term_season.
 *
 * What each loaded set holds (the rules the loader applies):
 *  - cip2020: 6-digit CIP 2020 programs with valid_in_cip2020=1 and
 *    reserved=0 (NCES "moved from"/"deleted" CIP 2010 codes and "Reserved."
 *    codes are not valid in submissions);
 *  - cip2020_series: the 2-digit series and 4-digit groups, same filter;
 *  - soc2018: the detailed SOC 2018 occupations (soc_level=detailed);
 *  - naics2017, naics2022: every level; a sector written as a range
 *    ("31-33") is entered as each of its 2-digit codes (31, 32, 33), and the
 *    BLS/QCEW "unclassified" codes 99, 999, 9999, 99999 and 999999 are added
 *    because UI wage and QCEW files use them;
 *  - sced: every course code (5 digits) of sced.csv; attributes
 *    subject_area_code, cte_subject_area;
 *  - sced_cte_area: the 2-digit SCED subject areas flagged cte_subject_area=1;
 *  - counties: every row of us_counties.csv keyed by 5-digit FIPS (legacy
 *    counties included: historical extracts use them); attributes
 *    state_fips, state_abbr, state_name, county_name, current_2023,
 *    rucc_2023, rucc_2013, ers_commuting_zone_2000; title = county_name.
 *
 * A registry is immutable once loaded and may then be shared by threads.
 */
#ifndef P20W_CODESET_H
#define P20W_CODESET_H

#include <stddef.h>

#include "util/error.h"

typedef struct codeset codeset;
typedef struct codeset_registry codeset_registry;

/* Loads every loaded set from data_dir (the reference-data folder, see
 * cli_data_dir()) and adds the built-in sets. On success *out is owned by
 * the caller (codeset_registry_free). Errors: P20W_EIO (a file is missing
 * or unreadable; err->file names it), P20W_EFORMAT (a file lacks a needed
 * column, has a ragged or malformed row, an empty or duplicate code; err
 * carries file and line), P20W_ENOMEM. On error *out is NULL. */
p20w_status codeset_registry_load(const char *data_dir, codeset_registry **out,
                                  p20w_err *err);

/* A registry with only the built-in sets (needs no data directory).
 * Errors: P20W_ENOMEM. */
p20w_status codeset_registry_builtin(codeset_registry **out, p20w_err *err);

/* Frees the registry and all its sets. Accepts NULL. */
void codeset_registry_free(codeset_registry *reg);

/* The set called name, or NULL. */
const codeset *codeset_registry_get(const codeset_registry *reg,
                                    const char *name);

/* Sets in a fixed order (loaded sets first, then built-in); i < count. */
size_t codeset_registry_count(const codeset_registry *reg);
const codeset *codeset_registry_at(const codeset_registry *reg, size_t i);

const char *codeset_name(const codeset *cs);
/* One line saying what the set is and where it comes from. */
const char *codeset_source(const codeset *cs);
/* 1 for a set defined in the code (spec or a national standard), 0 for a
 * set read from the data directory. */
int codeset_is_builtin(const codeset *cs);
/* Number of codes. */
size_t codeset_size(const codeset *cs);

/* 1 if code[0..len) is in the set (exact, case-sensitive), else 0. */
int codeset_contains(const codeset *cs, const char *code, size_t len);

/* The title of code[0..len), or NULL when absent. Owned by the set. */
const char *codeset_title(const codeset *cs, const char *code, size_t len);

/* The value of attribute attr for code[0..len) ("" when the source field
 * was empty), or NULL when the code or the attribute does not exist. */
const char *codeset_attr(const codeset *cs, const char *code, size_t len,
                         const char *attr);

/* The i-th code in source order (i < codeset_size) and its title (title may
 * be NULL). For listing small sets. */
const char *codeset_code_at(const codeset *cs, size_t i, const char **title);

#endif
