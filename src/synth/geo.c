/*
 * geo.c — the synthetic state's geography and institutions, built once
 * from data/us_counties.csv for the chosen state.
 *
 * Counties are the state's current (2023) counties with their 2020
 * population and RUCC 2023 code (rural = nonmetro, RUCC >= 4). Every county
 * has a county school district; counties large enough for two or more high
 * schools also get an independent district holding their last high school.
 * High schools per county ∝ population (one per 45,000 residents, at least
 * one); students are drawn county by population, then a school uniformly
 * within the county, so school size follows county population. In K-12
 * mode each county also has middle and elementary schools. NCES locale
 * codes follow the county's RUCC.
 *
 * Postsecondary institutions (public 2-year and 4-year, private nonprofit
 * and for-profit) are placed in counties weighted by population^1.3, in
 * numbers proportional to the state's population. The employer pool has
 * 200 + N/10 employers; each has an industry drawn by statewide employment
 * share, a 6-digit NAICS code valid in 2017 and 2022, a county drawn by
 * population, and a log-normal size used as its hiring weight.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "synth/synth_int.h"
#include "util/mem.h"

const char *const synth_sector_code[S_COUNT] = {"PUB2", "PUB4", "PRIV_NP",
                                                "PRIV_FP"};

static const double ind_share[SYNTH_NIND] = {1.2, 0.5, 0.5, 5.5, 10, 4,   11,
                                             6,   1.5, 4,   1.5, 5,  1.5, 7,
                                             8.5, 15,  1.5, 9.5, 3,  4.5};

typedef struct county_ctx {
    synth_world *w;
    int cap;
    int found_state;
    int state_fips;
} county_ctx;

static p20w_status county_row(void *ctx, const char *const *v, p20w_err *err)
{
    county_ctx *c = ctx;
    synth_world *w = c->w;
    /* county_fips, state_abbr, county_name, current_2023, rucc_2023,
     * population_2020, state_fips */
    if (strcmp(v[1], w->opt.state) != 0)
        return P20W_OK;
    c->found_state = 1;
    c->state_fips = (int)strtol(v[6], NULL, 10);
    if (strcmp(v[3], "1") != 0 || strlen(v[0]) != 5 || v[4][0] == '\0')
        return P20W_OK;
    if (w->ncounty == c->cap) {
        int cap = c->cap ? c->cap * 2 : 64;
        synth_county *p = p20w_realloc(w->county, (size_t)cap * sizeof *p);
        if (p == NULL)
            return p20w_err_set(err, P20W_ENOMEM, "out of memory");
        w->county = p;
        c->cap = cap;
    }
    synth_county *k = &w->county[w->ncounty++];
    memset(k, 0, sizeof *k);
    memcpy(k->fips, v[0], 6);
    snprintf(k->name, sizeof k->name, "%s", v[2]);
    static const char *const suffix[] = {
        " County",       " Parish", " Borough", " Census Area",
        " Municipality", " city",   NULL};
    for (const char *const *s = suffix; *s; s++) {
        size_t n = strlen(k->name), m = strlen(*s);
        if (n > m && strcmp(k->name + n - m, *s) == 0) {
            k->name[n - m] = '\0';
            break;
        }
    }
    k->pop = strtol(v[5], NULL, 10);
    if (k->pop < 100)
        k->pop = 100;
    k->rucc = (int)strtol(v[4], NULL, 10);
    k->rural = k->rucc >= 4;
    return P20W_OK;
}

static int locale_of(int rucc, int i)
{
    switch (rucc) {
    case 1:
        return i % 2 ? 21 : 11;
    case 2:
        return i % 2 ? 22 : 12;
    case 3:
        return i % 2 ? 23 : 13;
    case 4:
    case 6:
        return i % 2 ? 41 : 32;
    case 5:
    case 7:
        return i % 2 ? 42 : 33;
    case 8:
        return 42;
    default:
        return 43;
    }
}

static const char *const direction[] = {"North", "South", "East", "West",
                                        "Central"};

static void school_name(char *out, size_t cap, const char *county, int i,
                        const char *kind, int independent)
{
    if (independent)
        snprintf(out, cap, "%s Independent %s", county, kind);
    else if (i == 0)
        snprintf(out, cap, "%s County %s", county, kind);
    else if (i <= 5)
        snprintf(out, cap, "%s %s %s", direction[i - 1], county, kind);
    else
        snprintf(out, cap, "%s %s No. %d", county, kind, i - 4);
}

static p20w_status add_schools(synth_world *w, int ci, int n, const char *kind,
                               int code_base, int *first, int *count)
{
    synth_county *k = &w->county[ci];
    *first = w->nschool;
    *count = n;
    for (int i = 0; i < n; i++) {
        synth_school *s = &w->school[w->nschool++];
        int indep = kind[0] == 'H' && n >= 2 && i == n - 1 && k->pop > 60000;
        snprintf(s->district_id, sizeof s->district_id, "%s%d", k->fips, indep);
        if (indep)
            snprintf(s->district_name, sizeof s->district_name,
                     "%s Independent Schools", k->name);
        else
            snprintf(s->district_name, sizeof s->district_name,
                     "%s County Schools", k->name);
        snprintf(s->id, sizeof s->id, "%s%03d", s->district_id, code_base + i);
        school_name(s->name, sizeof s->name, k->name, i, kind, indep);
        s->county = ci;
        s->locale = locale_of(k->rucc, i);
    }
    return P20W_OK;
}

static p20w_status build_schools(synth_world *w, p20w_err *err)
{
    int total = 0;
    int *hs = p20w_calloc((size_t)w->ncounty, sizeof *hs);
    if (hs == NULL)
        return p20w_err_set(err, P20W_ENOMEM, "out of memory");
    for (int i = 0; i < w->ncounty; i++) {
        long n = lround((double)w->county[i].pop / 45000.0);
        hs[i] = n < 1 ? 1 : n > 40 ? 40 : (int)n;
        total += w->opt.all_grades ? hs[i] * 6 : hs[i];
    }
    w->school = arena_calloc(w->a, (size_t)total * sizeof *w->school);
    if (w->school == NULL) {
        p20w_free(hs);
        return p20w_err_set(err, P20W_ENOMEM, "out of memory");
    }
    for (int i = 0; i < w->ncounty; i++) {
        synth_county *k = &w->county[i];
        add_schools(w, i, hs[i], "High School", 100, &k->hs_first, &k->hs_n);
        if (w->opt.all_grades) {
            int ms = (int)lround(hs[i] * 1.5);
            add_schools(w, i, ms < 1 ? 1 : ms, "Middle School", 300,
                        &k->ms_first, &k->ms_n);
            add_schools(w, i, hs[i] * 3, "Elementary School", 500, &k->es_first,
                        &k->es_n);
        }
    }
    p20w_free(hs);
    return P20W_OK;
}

/* Name patterns per sector: prefix + county name + suffix. */
static const char *const inst_pattern[S_COUNT][3][2] = {
    {{"", " Community and Technical College"},
     {"", " Community College"},
     {"", " Technical College"}},
    {{"", " State University"},
     {"University of ", ""},
     {"", " Polytechnic University"}},
    {{"", " College"},
     {"", " Christian University"},
     {"", " Wesleyan College"}},
    {{"", " Career Institute"},
     {"", " School of Health Careers"},
     {"", " Institute of Technology"}}};

static p20w_status build_institutions(synth_world *w, int state_fips,
                                      p20w_err *err)
{
    double m = 0;
    for (int i = 0; i < w->ncounty; i++)
        m += (double)w->county[i].pop;
    m /= 1e6;
    static const double per_million[S_COUNT] = {3.5, 1.8, 4.0, 1.5};
    int n[S_COUNT], total = 0;
    for (int s = 0; s < S_COUNT; s++) {
        long k = lround(per_million[s] * m);
        n[s] = k < 1 ? 1 : k > 60 ? 60 : (int)k;
        total += n[s];
    }
    double *cum = p20w_malloc((size_t)w->ncounty * sizeof *cum);
    int *used = p20w_calloc((size_t)w->ncounty * S_COUNT, sizeof *used);
    w->inst = arena_calloc(w->a, (size_t)total * sizeof *w->inst);
    if (cum == NULL || used == NULL || w->inst == NULL) {
        p20w_free(cum);
        p20w_free(used);
        return p20w_err_set(err, P20W_ENOMEM, "out of memory");
    }
    for (int i = 0; i < w->ncounty; i++)
        cum[i] = (i ? cum[i - 1] : 0) + pow((double)w->county[i].pop, 1.3);
    synth_rng r;
    synth_rng_seed(&r, w->opt.seed, SYNTH_STREAM_WORLD, 1);
    for (int s = 0; s < S_COUNT; s++) {
        w->sector_first[s] = w->ninst;
        w->sector_n[s] = n[s];
        for (int k = 0; k < n[s]; k++) {
            synth_inst *in = &w->inst[w->ninst];
            int ci = (int)synth_rng_pick_cum(&r, cum, (size_t)w->ncounty);
            int u = used[ci * S_COUNT + s]++;
            in->sector = s;
            in->county = ci;
            snprintf(in->id, sizeof in->id, "%06d",
                     100000 + state_fips * 3000 + w->ninst);
            snprintf(in->name, sizeof in->name, "%s%s%s",
                     inst_pattern[s][u % 3][0], w->county[ci].name,
                     inst_pattern[s][u % 3][1]);
            if (u >= 3) {
                size_t len = strlen(in->name);
                snprintf(in->name + len, sizeof in->name - len, " - %s Campus",
                         direction[(u - 3) % 5]);
            }
            w->ninst++;
        }
    }
    p20w_free(cum);
    p20w_free(used);
    return P20W_OK;
}

/* An employer's size (hiring weight): log-normal, from its own stream so
 * that it needs no storage. */
static double employer_size(const synth_world *w, int e)
{
    synth_rng r;
    synth_rng_seed(&r, w->opt.seed, SYNTH_STREAM_WORLD, 1000 + (uint64_t)e);
    return exp(1.4 * synth_rng_normal(&r));
}

static p20w_status build_employers(synth_world *w, p20w_err *err)
{
    uint64_t n64 = 200 + w->opt.learners / 10;
    w->nemp = (int)n64;
    w->emp = p20w_calloc((size_t)w->nemp, sizeof *w->emp);
    if (w->emp == NULL)
        return p20w_err_set(err, P20W_ENOMEM, "out of memory");
    /* Metro and rural county pickers, to seed every (industry, rural)
     * group with at least one employer when the state has both. */
    int have[2] = {0, 0};
    for (int i = 0; i < w->ncounty; i++)
        have[w->county[i].rural] = 1;
    synth_rng r;
    synth_rng_seed(&r, w->opt.seed, SYNTH_STREAM_WORLD, 2);
    for (int e = 0; e < w->nemp; e++) {
        synth_employer *em = &w->emp[e];
        int forced = e < 2 * SYNTH_NIND;
        em->ind = (uint8_t)(forced ? e % SYNTH_NIND
                                   : (int)synth_rng_pick_w(&r, ind_share,
                                                           SYNTH_NIND));
        int want_rural = forced ? e / SYNTH_NIND : -1;
        int ci = synth_pick_county(w, &r);
        for (int t = 0; want_rural >= 0 && have[want_rural] && t < 10000 &&
                        w->county[ci].rural != want_rural;
             t++)
            ci = synth_pick_county(w, &r);
        em->county = (uint16_t)ci;
        const synth_pool *np = &w->naics[em->ind];
        em->naics = (uint16_t)synth_rng_pick_cum(&r, np->cum, np->n);
        em->num = (uint32_t)(((uint64_t)e * 7919u + 12345u) % 100000000u);
    }
    for (int ind = 0; ind < SYNTH_NIND; ind++)
        for (int ru = 0; ru < 2; ru++) {
            int cnt = 0;
            for (int e = 0; e < w->nemp; e++)
                cnt += w->emp[e].ind == ind &&
                       w->county[w->emp[e].county].rural == ru;
            w->grp_n[ind][ru] = cnt;
            if (cnt == 0)
                continue;
            w->grp_emp[ind][ru] = p20w_malloc((size_t)cnt * sizeof(int));
            w->grp_cum[ind][ru] = p20w_malloc((size_t)cnt * sizeof(double));
            if (w->grp_emp[ind][ru] == NULL || w->grp_cum[ind][ru] == NULL)
                return p20w_err_set(err, P20W_ENOMEM, "out of memory");
            int k = 0;
            double acc = 0;
            for (int e = 0; e < w->nemp; e++)
                if (w->emp[e].ind == ind &&
                    w->county[w->emp[e].county].rural == ru) {
                    acc += employer_size(w, e);
                    w->grp_emp[ind][ru][k] = e;
                    w->grp_cum[ind][ru][k++] = acc;
                }
        }
    return P20W_OK;
}

void synth_employer_id(const synth_world *w, int emp, char out[16])
{
    snprintf(out, 16, "%02d%08u", w->state_fips % 100,
             (unsigned)w->emp[emp].num);
}

const char *synth_employer_naics(const synth_world *w, int emp)
{
    const synth_employer *e = &w->emp[emp];
    return w->naics[e->ind].item[e->naics];
}

int synth_pick_county(const synth_world *w, synth_rng *r)
{
    return (int)synth_rng_pick_cum(r, w->county_cum, (size_t)w->ncounty);
}

int synth_pick_employer(const synth_world *w, int ind, int rural, synth_rng *r)
{
    if (w->grp_n[ind][rural] == 0)
        rural = !rural;
    size_t k = synth_rng_pick_cum(r, w->grp_cum[ind][rural],
                                  (size_t)w->grp_n[ind][rural]);
    return w->grp_emp[ind][rural][k];
}

p20w_status synth_geo_build(synth_world *w, p20w_err *err)
{
    static const char *const cols[] = {
        "county_fips", "state_abbr",      "county_name", "current_2023",
        "rucc_2023",   "population_2020", "state_fips"};
    county_ctx c = {w, 0, 0, 0};
    p20w_status st =
        synth_read_ref(w, "us_counties.csv", cols, 7, county_row, &c, err);
    if (st != P20W_OK)
        return st;
    if (!c.found_state || w->ncounty == 0)
        return p20w_err_set(err, P20W_ENOTFOUND,
                            "unknown state '%s' (not in us_counties.csv)",
                            w->opt.state);
    w->county_cum = p20w_malloc((size_t)w->ncounty * sizeof(double));
    if (w->county_cum == NULL)
        return p20w_err_set(err, P20W_ENOMEM, "out of memory");
    for (int i = 0; i < w->ncounty; i++)
        w->county_cum[i] =
            (i ? w->county_cum[i - 1] : 0) + (double)w->county[i].pop;
    st = build_schools(w, err);
    if (st == P20W_OK)
        st = build_institutions(w, c.state_fips, err);
    w->state_fips = c.state_fips;
    if (st == P20W_OK)
        st = build_employers(w, err);
    return st;
}
