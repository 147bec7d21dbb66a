/*
 * compare.h — field comparators with graded agreement levels.
 *
 * Each comparator maps a pair of normalised values to a small integer level
 * (0 = disagree, higher = closer agreement) that the Fellegi–Sunter model
 * weighs. A missing value on either side is LINK_MISSING, which the model
 * treats as neutral. Pure functions; thread-safe; no allocation.
 */
#ifndef P20W_LINK_COMPARE_H
#define P20W_LINK_COMPARE_H

#include <stddef.h>
#include <stdint.h>

#define LINK_MISSING (-1)

/* Jaro–Winkler similarity of two byte strings in [0, 1] (prefix scale 0.1,
 * common prefix up to 4). Two empty strings score 1. Strings are compared
 * up to their first 64 bytes. */
double link_jaro_winkler(const char *a, size_t alen, const char *b,
                         size_t blen);

/* SSN levels (9-digit strings). */
enum {
    LINK_SSN_DIFF = 0,
    LINK_SSN_TRANSPOSED = 1, /* two adjacent digits swapped */
    LINK_SSN_ONE_SUB = 2,    /* exactly one digit differs */
    LINK_SSN_EXACT = 3
};
int link_cmp_ssn(const char *a, const char *b);

/* Birth-date levels (day numbers from util/date.h; INT32_MIN = missing). */
enum {
    LINK_DOB_DIFF = 0,
    LINK_DOB_WITHIN_YEAR = 1, /* within 365 days */
    LINK_DOB_ONE_DIGIT = 2,   /* YYYYMMDD differ in exactly one digit */
    LINK_DOB_DM_SWAP = 3,     /* day and month swapped */
    LINK_DOB_EXACT = 4
};
int link_cmp_dob(int32_t a, int32_t b);

/* Name-string levels by Jaro–Winkler: ≥ 0.92, ≥ 0.88, ≥ 0.70. Empty
 * strings are missing. */
enum {
    LINK_NAME_DIFF = 0,
    LINK_NAME_JW70 = 1,
    LINK_NAME_JW88 = 2,
    LINK_NAME_JW92 = 3,
    LINK_NAME_EXACT = 4
};
int link_cmp_name_jw(const char *a, const char *b);

#endif
