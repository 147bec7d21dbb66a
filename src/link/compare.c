/*
 * compare.c — Jaro–Winkler and the SSN, birth-date and name comparators.
 *
 * Jaro–Winkler works on bytes: normalised names are upper-case ASCII in all
 * but rare cases, where byte comparison still ranks similarity sensibly.
 */
#include "link/compare.h"

#include <string.h>

#include "util/date.h"

#define JW_MAX 64

double link_jaro_winkler(const char *a, size_t alen, const char *b, size_t blen)
{
    if (alen > JW_MAX)
        alen = JW_MAX;
    if (blen > JW_MAX)
        blen = JW_MAX;
    if (alen == 0 && blen == 0)
        return 1.0;
    if (alen == 0 || blen == 0)
        return 0.0;
    size_t maxlen = alen > blen ? alen : blen;
    size_t window = maxlen / 2 > 0 ? maxlen / 2 - 1 : 0;
    unsigned char amatch[JW_MAX] = {0}, bmatch[JW_MAX] = {0};
    size_t m = 0;
    for (size_t i = 0; i < alen; i++) {
        size_t lo = i > window ? i - window : 0;
        size_t hi = i + window + 1 < blen ? i + window + 1 : blen;
        for (size_t j = lo; j < hi; j++) {
            if (bmatch[j] || a[i] != b[j])
                continue;
            amatch[i] = bmatch[j] = 1;
            m++;
            break;
        }
    }
    if (m == 0)
        return 0.0;
    size_t t2 = 0, k = 0; /* half-transpositions */
    for (size_t i = 0; i < alen; i++) {
        if (!amatch[i])
            continue;
        while (!bmatch[k])
            k++;
        if (a[i] != b[k])
            t2++;
        k++;
    }
    double md = (double)m;
    double jaro =
        (md / (double)alen + md / (double)blen + (md - (double)t2 / 2) / md) /
        3.0;
    size_t prefix = 0;
    while (prefix < 4 && prefix < alen && prefix < blen &&
           a[prefix] == b[prefix])
        prefix++;
    return jaro + (double)prefix * 0.1 * (1.0 - jaro);
}

int link_cmp_ssn(const char *a, const char *b)
{
    if (a == NULL || b == NULL || strlen(a) != 9 || strlen(b) != 9)
        return LINK_MISSING;
    int diff = 0, first = -1;
    for (int i = 0; i < 9; i++) {
        if (a[i] != b[i]) {
            if (first < 0)
                first = i;
            diff++;
        }
    }
    if (diff == 0)
        return LINK_SSN_EXACT;
    if (diff == 1)
        return LINK_SSN_ONE_SUB;
    if (diff == 2 && first < 8 && a[first] == b[first + 1] &&
        a[first + 1] == b[first])
        return LINK_SSN_TRANSPOSED;
    return LINK_SSN_DIFF;
}

int link_cmp_dob(int32_t a, int32_t b)
{
    if (a == INT32_MIN || b == INT32_MIN)
        return LINK_MISSING;
    if (a == b)
        return LINK_DOB_EXACT;
    int ay, am, ad, by, bm, bd;
    date_to_ymd(a, &ay, &am, &ad);
    date_to_ymd(b, &by, &bm, &bd);
    if (ay == by && am == bd && ad == bm)
        return LINK_DOB_DM_SWAP;
    /* Compare the eight digits of YYYYMMDD. */
    int av[8] = {ay / 1000 % 10, ay / 100 % 10, ay / 10 % 10, ay % 10,
                 am / 10,        am % 10,       ad / 10,      ad % 10};
    int bv[8] = {by / 1000 % 10, by / 100 % 10, by / 10 % 10, by % 10,
                 bm / 10,        bm % 10,       bd / 10,      bd % 10};
    int diff = 0;
    for (int i = 0; i < 8; i++)
        diff += av[i] != bv[i];
    if (diff == 1)
        return LINK_DOB_ONE_DIGIT;
    int32_t gap = a > b ? a - b : b - a;
    if (gap <= 365)
        return LINK_DOB_WITHIN_YEAR;
    return LINK_DOB_DIFF;
}

int link_cmp_name_jw(const char *a, const char *b)
{
    if (a == NULL || b == NULL || a[0] == '\0' || b[0] == '\0')
        return LINK_MISSING;
    if (strcmp(a, b) == 0)
        return LINK_NAME_EXACT;
    double jw = link_jaro_winkler(a, strlen(a), b, strlen(b));
    if (jw >= 0.92)
        return LINK_NAME_JW92;
    if (jw >= 0.88)
        return LINK_NAME_JW88;
    if (jw >= 0.70)
        return LINK_NAME_JW70;
    return LINK_NAME_DIFF;
}
