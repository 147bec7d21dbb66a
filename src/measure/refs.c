/*
 * refs.c — reference data of the supply-and-demand indicators
 * (measure.h): the NCES/BLS CIP 2020 -> SOC 2018 crosswalk and the BLS
 * Employment Projections 2024-34 by occupation (data/SOURCES.md).
 *
 * Both files are read whole into two sorted arrays: occupations by SOC,
 * and (CIP, occupation) links by CIP then SOC, so every lookup is a
 * binary search. The crosswalk speaks detailed SOC 2018; the projections
 * carry 820 detailed occupations plus 7 broad groups and 5 aggregates of
 * the National Employment Matrix where BLS projects above the detailed
 * level. A crosswalk code the projections lack is therefore looked up as
 * its broad group (last digit 0), then as the aggregate of that broad
 * group; what is still missing (military 55-, "NO MATCH" 99-9999) links
 * to nothing, so its CIP's completers go to "no projected occupation".
 *
 * "In demand" (CRED_OF_VALUE): more annual openings AND faster growth
 * than the median of all projected occupations (4.5 thousand openings a
 * year and 2.5 % growth in the 2024-34 file): occupations that are both
 * large and growing.
 *
 * A loaded measure_refs is immutable: many threads may read it.
 */
#include "measure/measureInt.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/csv.h"
#include "util/mem.h"
#include "util/vec.h"

#define XWALK_FILE "cip_soc_crosswalk.csv"
#define PROJ_FILE "bls_occupation_projections_2024_2034.csv"

/* The National Employment Matrix aggregates of the 2024-34 projections
 * (data/SOURCES.md): codes that stand for several detailed SOCs of their
 * broad group. */
static const int32_t nem_aggregates[] = {211018, 252052, 259045, 512028,
                                         531047};

typedef struct cip_link {
    int32_t cip;
    uint32_t occ; /* index into occs */
} cip_link;

struct measure_refs {
    measure_occupation *occs; /* ascending soc */
    size_t nocc;
    cip_link *links; /* ascending (cip, soc), unique */
    size_t nlink;
    const measure_occupation **link_occ; /* occs[links[i].occ] */
    double median_openings, median_pct;
};

void measure_refs_free(measure_refs *r)
{
    if (!r)
        return;
    p20w_free(r->occs);
    p20w_free(r->links);
    p20w_free(r->link_occ);
    p20w_free(r);
}

/* ---- parsing ----------------------------------------------------------- */

/* Column index of `name` in the header, or -1. */
static int col_of(const csv_field *f, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(f[i].ptr, name) == 0)
            return (int)i;
    return -1;
}

static int parse_double(const char *s, double *out)
{
    char *end;
    double v;
    if (!s[0])
        return 0;
    errno = 0;
    v = strtod(s, &end);
    if (*end || errno || !isfinite(v))
        return 0;
    *out = v;
    return 1;
}

static p20w_status bad_row(p20w_err *err, const char *path, long line,
                           const char *what)
{
    p20w_status rc = p20w_err_set(err, P20W_EFORMAT, "%s", what);
    p20w_err_at(err, path, line, 0);
    return rc;
}

static int cmp_occ(const void *a, const void *b)
{
    const measure_occupation *x = a, *y = b;
    return (x->soc > y->soc) - (x->soc < y->soc);
}

static p20w_status read_projections(measure_refs *r, const char *path,
                                    p20w_err *err)
{
    csv_reader *rd = NULL;
    const csv_field *f;
    size_t nf;
    vec occs;
    double *tmp = NULL;
    int c_soc, c_open, c_pct, c_wage;
    p20w_status rc;

    vec_init(&occs, sizeof(measure_occupation));
    if ((rc = csv_reader_open_file(path, NULL, &rd, err)) != P20W_OK)
        goto out;
    if ((rc = csv_read(rd, &f, &nf, err)) != P20W_OK)
        goto out;
    c_soc = col_of(f, nf, "soc_code");
    c_open = col_of(f, nf, "annual_openings_thousands");
    c_pct = col_of(f, nf, "employment_pct_change");
    c_wage = col_of(f, nf, "median_annual_wage_2024");
    if (c_soc < 0 || c_open < 0 || c_pct < 0 || c_wage < 0) {
        rc = bad_row(err, path, 1,
                     "occupation projections: a column is "
                     "missing from the header");
        goto out;
    }
    for (;;) {
        measure_occupation o = {0};
        double wage;
        if ((rc = csv_read(rd, &f, &nf, err)) != P20W_OK)
            goto out;
        if (nf == 0)
            break;
        if (nf <= (size_t)c_soc || nf <= (size_t)c_open ||
            nf <= (size_t)c_pct || nf <= (size_t)c_wage) {
            rc = bad_row(err, path, csv_reader_line(rd),
                         "occupation projections: too few fields");
            goto out;
        }
        o.soc = tl_soc_parse(f[c_soc].ptr);
        if (o.soc < 0 || !parse_double(f[c_open].ptr, &o.openings) ||
            !parse_double(f[c_pct].ptr, &o.pct_change) || o.openings < 0) {
            rc = bad_row(err, path, csv_reader_line(rd),
                         "occupation projections: malformed SOC code, "
                         "openings or percent change");
            goto out;
        }
        o.openings *= 1000.0;
        o.median_wage = -1;
        if (f[c_wage].ptr[0]) {
            if (!parse_double(f[c_wage].ptr, &wage) || wage < 0) {
                rc = bad_row(err, path, csv_reader_line(rd),
                             "occupation projections: malformed wage");
                goto out;
            }
            o.median_wage = (int64_t)llround(wage);
        }
        if ((rc = vec_push(&occs, &o)) != P20W_OK)
            goto nomem;
    }
    r->nocc = occs.len;
    r->occs = occs.data;
    vec_init(&occs, sizeof(measure_occupation));
    if (r->nocc > 1)
        qsort(r->occs, r->nocc, sizeof *r->occs, cmp_occ);
    for (size_t i = 1; i < r->nocc; i++)
        if (r->occs[i].soc == r->occs[i - 1].soc) {
            rc = bad_row(err, path, 0,
                         "occupation projections: a SOC code appears twice");
            goto out;
        }
    if (!(tmp = p20w_malloc((r->nocc ? r->nocc : 1) * sizeof *tmp)))
        goto nomem;
    for (size_t i = 0; i < r->nocc; i++)
        tmp[i] = r->occs[i].openings;
    r->median_openings = mi_median(tmp, r->nocc);
    for (size_t i = 0; i < r->nocc; i++)
        tmp[i] = r->occs[i].pct_change;
    r->median_pct = mi_median(tmp, r->nocc);
    for (size_t i = 0; i < r->nocc; i++)
        r->occs[i].in_demand = r->occs[i].openings > r->median_openings &&
                               r->occs[i].pct_change > r->median_pct;
    rc = P20W_OK;
    goto out;
nomem:
    rc = p20w_err_set(err, P20W_ENOMEM, "out of memory reading %s", path);
out:
    p20w_free(tmp);
    vec_free(&occs);
    csv_reader_close(rd);
    return rc;
}

static int32_t occ_index(const measure_refs *r, int32_t soc)
{
    size_t lo = 0, hi = r->nocc;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (r->occs[mid].soc < soc)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < r->nocc && r->occs[lo].soc == soc)
        return (int32_t)lo;
    return -1;
}

/* The projected occupation standing for crosswalk SOC `soc`, or -1. */
static int32_t occ_mapped(const measure_refs *r, int32_t soc)
{
    int32_t i = occ_index(r, soc);
    if (i >= 0)
        return i;
    if ((i = occ_index(r, soc - soc % 10)) >= 0)
        return i;
    for (size_t k = 0; k < sizeof nem_aggregates / sizeof *nem_aggregates; k++)
        if (nem_aggregates[k] / 10 == soc / 10)
            return occ_index(r, nem_aggregates[k]);
    return -1;
}

static int cmp_link(const void *a, const void *b)
{
    const cip_link *x = a, *y = b;
    if (x->cip != y->cip)
        return x->cip < y->cip ? -1 : 1;
    return (x->occ > y->occ) - (x->occ < y->occ);
}

static p20w_status read_crosswalk(measure_refs *r, const char *path,
                                  p20w_err *err)
{
    csv_reader *rd = NULL;
    const csv_field *f;
    size_t nf, w = 0;
    vec links;
    int c_cip, c_soc;
    p20w_status rc;

    vec_init(&links, sizeof(cip_link));
    if ((rc = csv_reader_open_file(path, NULL, &rd, err)) != P20W_OK)
        goto out;
    if ((rc = csv_read(rd, &f, &nf, err)) != P20W_OK)
        goto out;
    c_cip = col_of(f, nf, "cip2020_code");
    c_soc = col_of(f, nf, "soc2018_code");
    if (c_cip < 0 || c_soc < 0) {
        rc = bad_row(err, path, 1,
                     "CIP-SOC crosswalk: a column is missing from the header");
        goto out;
    }
    for (;;) {
        cip_link l;
        int32_t soc, occ;
        if ((rc = csv_read(rd, &f, &nf, err)) != P20W_OK)
            goto out;
        if (nf == 0)
            break;
        if (nf <= (size_t)c_cip || nf <= (size_t)c_soc) {
            rc = bad_row(err, path, csv_reader_line(rd),
                         "CIP-SOC crosswalk: too few fields");
            goto out;
        }
        l.cip = tl_cip_parse(f[c_cip].ptr);
        soc = tl_soc_parse(f[c_soc].ptr);
        if (l.cip < 0 || soc < 0) {
            rc = bad_row(err, path, csv_reader_line(rd),
                         "CIP-SOC crosswalk: malformed CIP or SOC code");
            goto out;
        }
        if ((occ = occ_mapped(r, soc)) < 0)
            continue;
        l.occ = (uint32_t)occ;
        if ((rc = vec_push(&links, &l)) != P20W_OK) {
            rc = p20w_err_set(err, P20W_ENOMEM, "out of memory reading %s",
                              path);
            goto out;
        }
    }
    if (links.len > 1)
        qsort(links.data, links.len, sizeof(cip_link), cmp_link);
    /* Two crosswalk SOCs may map onto one aggregate: keep it once. */
    for (size_t i = 0; i < links.len; i++) {
        cip_link *l = (cip_link *)links.data;
        if (w > 0 && l[w - 1].cip == l[i].cip && l[w - 1].occ == l[i].occ)
            continue;
        l[w++] = l[i];
    }
    links.len = w;
    r->link_occ = p20w_malloc((w ? w : 1) * sizeof *r->link_occ);
    if (!r->link_occ) {
        rc = p20w_err_set(err, P20W_ENOMEM, "out of memory reading %s", path);
        goto out;
    }
    r->nlink = w;
    r->links = links.data;
    vec_init(&links, sizeof(cip_link));
    for (size_t i = 0; i < w; i++)
        r->link_occ[i] = &r->occs[r->links[i].occ];
    rc = P20W_OK;
out:
    vec_free(&links);
    csv_reader_close(rd);
    return rc;
}

p20w_status measure_refs_load(const char *data_dir, measure_refs **out,
                              p20w_err *err)
{
    measure_refs *r = NULL;
    char path[4096];
    p20w_status rc;

    *out = NULL;
    if (!(r = p20w_calloc(1, sizeof *r)))
        return p20w_err_set(err, P20W_ENOMEM, "out of memory");
    if (snprintf(path, sizeof path, "%s/%s", data_dir, PROJ_FILE) >=
        (int)sizeof path) {
        rc = p20w_err_set(err, P20W_ELIMIT, "data folder path too long");
        goto out;
    }
    if ((rc = read_projections(r, path, err)) != P20W_OK)
        goto out;
    snprintf(path, sizeof path, "%s/%s", data_dir, XWALK_FILE);
    if ((rc = read_crosswalk(r, path, err)) != P20W_OK)
        goto out;
    *out = r;
    r = NULL;
out:
    measure_refs_free(r);
    return rc;
}

/* ---- reading ----------------------------------------------------------- */

const measure_occupation *measure_refs_occupation(const measure_refs *r,
                                                  int32_t soc)
{
    int32_t i = occ_index(r, soc);
    return i < 0 ? NULL : &r->occs[i];
}

const measure_occupation *const *
measure_refs_cip_occupations(const measure_refs *r, int32_t cip, size_t *n)
{
    size_t lo = 0, hi = r->nlink, end;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (r->links[mid].cip < cip)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (end = lo; end < r->nlink && r->links[end].cip == cip; end++)
        ;
    *n = end - lo;
    return *n ? r->link_occ + lo : NULL;
}

void measure_refs_demand_medians(const measure_refs *r, double *openings,
                                 double *pct_change)
{
    *openings = r->median_openings;
    *pct_change = r->median_pct;
}
