/*
 * codes.c — the code lists the generator draws from, all taken from data/:
 * CTE programs of study built from real SCED CTE courses (sced.csv,
 * cte_subject_area = 1), CIP 2020 programs (valid, non-reserved 6-digit
 * codes of cip2020.csv) weighted by field, SOC 2018 detailed occupations
 * for registered apprenticeships, and 6-digit NAICS codes that exist in
 * both NAICS 2017 and 2022 (so an employer's code is valid for every
 * quarter).
 *
 * Programs of study: each career cluster maps to one SCED subject area
 * (shared areas are split by keywords of the course title); its courses,
 * in code order and without "Independent Study", "Workplace Experience",
 * "Aide" and "Other" catch-alls, are cut into sequences of up to four
 * courses, at most three programs per cluster, coded <state><cluster><nn>.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "synth/synth_int.h"
#include "util/hmap.h"
#include "util/mem.h"

const char *const synth_cluster_code[SYNTH_NCLUSTER] = {
    "AG", "AR", "AC", "BM", "ED", "FN", "GV", "HS",
    "HT", "HU", "IT", "LW", "MN", "MK", "ST", "TD"};

enum {
    C_AG,
    C_AR,
    C_AC,
    C_BM,
    C_ED,
    C_FN,
    C_GV,
    C_HS,
    C_HT,
    C_HU,
    C_IT,
    C_LW,
    C_MN,
    C_MK,
    C_ST,
    C_TD
};

const char *const synth_ind_sector[SYNTH_NIND] = {
    "11", "21", "22", "23", "31", "42", "44", "48", "51", "52",
    "53", "54", "55", "56", "61", "62", "71", "72", "81", "92"};

/* Earnings premium of each industry (multiplier). */
const double synth_ind_premium[SYNTH_NIND] = {
    0.80, 1.25, 1.30, 1.10, 1.10, 1.10, 0.80, 1.05, 1.20, 1.25,
    1.00, 1.25, 1.30, 0.85, 0.95, 1.05, 0.75, 0.65, 0.85, 1.05};

static int ind_of(const char *code)
{
    int two = (code[0] - '0') * 10 + (code[1] - '0');
    switch (two) {
    case 32:
    case 33:
        two = 31;
        break;
    case 45:
        two = 44;
        break;
    case 49:
        two = 48;
        break;
    default:
        break;
    }
    char s[3] = {(char)('0' + two / 10), (char)('0' + two % 10), 0};
    for (int i = 0; i < SYNTH_NIND; i++)
        if (strcmp(synth_ind_sector[i], s) == 0)
            return i;
    return -1;
}

/* ---- CTE programs from SCED ---------------------------------------- */

#define MAX_CLUSTER_COURSES 96
typedef struct sced_ctx {
    synth_world *w;
    const char *course[SYNTH_NCLUSTER][MAX_CLUSTER_COURSES];
    int n[SYNTH_NCLUSTER];
} sced_ctx;

static int two_digits(const char *s)
{
    if (s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9')
        return -1;
    return (s[0] - '0') * 10 + (s[1] - '0');
}

static int has_any(const char *title, const char *const *kw)
{
    for (; *kw; kw++)
        if (strstr(title, *kw) != NULL)
            return 1;
    return 0;
}

static int cluster_of(int area, const char *title)
{
    static const char *const fn[] = {
        "Financ", "Bank", "Accounting", "Insurance", "Invest", "Credit", NULL};
    static const char *const mk[] = {"Marketing", "Sales",      "Retail",
                                     "Advertis",  "Merchandis", NULL};
    static const char *const gv[] = {"Government", "Public Administration",
                                     "Military",   "ROTC",
                                     "Political",  NULL};
    static const char *const ed[] = {"Teach", "Educat", NULL};
    switch (area) {
    case 10:
        return C_IT;
    case 11:
        return C_AR;
    case 12:
        return has_any(title, fn) ? C_FN : has_any(title, mk) ? C_MK : C_BM;
    case 13:
        return C_MN;
    case 14:
        return C_HS;
    case 15:
        return has_any(title, gv) ? C_GV : C_LW;
    case 16:
        return C_HT;
    case 17:
        return C_AC;
    case 18:
        return C_AG;
    case 19:
        return has_any(title, ed) ? C_ED : C_HU;
    case 20:
        return C_TD;
    case 21:
        return C_ST;
    default:
        return -1;
    }
}

static p20w_status sced_row(void *ctx, const char *const *v, p20w_err *err)
{
    static const char *const skip[] = {"Independent Study", "Workplace", "Aide",
                                       "Other", NULL};
    sced_ctx *c = ctx;
    (void)err;
    if (strcmp(v[2], "1") != 0 || strcmp(v[3], "1") != 0 || strlen(v[0]) != 5 ||
        has_any(v[4], skip))
        return P20W_OK;
    int cl = cluster_of(two_digits(v[1]), v[4]);
    if (cl < 0 || c->n[cl] >= MAX_CLUSTER_COURSES)
        return P20W_OK;
    char *code = arena_strndup(c->w->a, v[0], 5);
    if (code == NULL)
        return p20w_err_set(err, P20W_ENOMEM, "out of memory");
    c->course[cl][c->n[cl]++] = code;
    return P20W_OK;
}

static p20w_status build_programs(synth_world *w, sced_ctx *c, p20w_err *err)
{
    w->prog = arena_calloc(w->a, SYNTH_NCLUSTER * 3 * sizeof *w->prog);
    if (w->prog == NULL)
        return p20w_err_set(err, P20W_ENOMEM, "out of memory");
    for (int cl = 0; cl < SYNTH_NCLUSTER; cl++) {
        for (int k = 0; k < 4; k++)
            w->cluster_prog[cl][k] = -1;
        int n = c->n[cl];
        for (int k = 0; k < 3 && k * 4 + 2 <= n; k++) {
            synth_program *p = &w->prog[w->nprog];
            p->cluster = cl;
            snprintf(p->code, sizeof p->code, "%s%s%02d", w->opt.state,
                     synth_cluster_code[cl], (k + 1) % 100);
            for (int j = k * 4; j < n && j < k * 4 + 4; j++)
                p->course[p->ncourse++] = c->course[cl][j];
            w->cluster_prog[cl][k] = w->nprog++;
        }
        if (w->cluster_prog[cl][0] < 0)
            return p20w_err_set(err, P20W_EFORMAT,
                                "sced.csv: fewer than two courses for career "
                                "cluster %s",
                                synth_cluster_code[cl]);
    }
    return P20W_OK;
}

/* ---- CIP ------------------------------------------------------------ */

typedef struct cip_ctx {
    synth_world *w;
    const char **code[100];
    int n[100], cap[100];
} cip_ctx;

static p20w_status cip_row(void *ctx, const char *const *v, p20w_err *err)
{
    cip_ctx *c = ctx;
    /* cip_code, cip_level, valid_in_cip2020, reserved */
    if (strcmp(v[1], "6") != 0 || strcmp(v[2], "1") != 0 ||
        strcmp(v[3], "0") != 0 || strlen(v[0]) != 7)
        return P20W_OK;
    int fam = two_digits(v[0]);
    if (fam < 0)
        return P20W_OK;
    if (c->n[fam] == c->cap[fam]) {
        int cap = c->cap[fam] ? c->cap[fam] * 2 : 16;
        const char **p =
            p20w_realloc((void *)c->code[fam], (size_t)cap * sizeof *p);
        if (p == NULL)
            return p20w_err_set(err, P20W_ENOMEM, "out of memory");
        c->code[fam] = p;
        c->cap[fam] = cap;
    }
    char *s = arena_strndup(c->w->a, v[0], 7);
    if (s == NULL)
        return p20w_err_set(err, P20W_ENOMEM, "out of memory");
    c->code[fam][c->n[fam]++] = s;
    return P20W_OK;
}

typedef struct fam_weight {
    int fam;
    double w;
} fam_weight;

static const fam_weight sub_weights[] = {
    {51, 30}, {24, 20}, {52, 10}, {47, 6}, {48, 5}, {46, 3}, {43, 4}, {11, 5},
    {12, 5},  {15, 4},  {19, 3},  {13, 2}, {49, 2}, {1, 1},  {0, 0}};
static const fam_weight bach_weights[] = {
    {52, 19}, {51, 12},  {42, 6}, {26, 6},   {13, 6}, {14, 6},
    {11, 5},  {45, 6},   {9, 4},  {50, 5},   {43, 3}, {31, 3},
    {23, 2},  {54, 1.5}, {27, 1}, {40, 1.5}, {44, 2}, {24, 2},
    {1, 1.5}, {19, 1},   {16, 1}, {38, 0.5}, {3, 1},  {0, 0}};

static p20w_status fill_cip_pool(synth_world *w, cip_ctx *c, synth_pool *pool,
                                 const fam_weight *fw, p20w_err *err)
{
    for (; fw->w > 0; fw++) {
        int n = c->n[fw->fam];
        for (int i = 0; i < n; i++)
            if (synth_pool_add(w, pool, c->code[fw->fam][i], fw->w / n) !=
                P20W_OK)
                return p20w_err_set(err, P20W_ENOMEM, "out of memory");
    }
    if (pool->n == 0)
        return p20w_err_set(err, P20W_EFORMAT,
                            "cip2020.csv: no usable 6-digit programs");
    return P20W_OK;
}

static p20w_status load_cip(synth_world *w, p20w_err *err)
{
    static const char *const cols[] = {"cip_code", "cip_level",
                                       "valid_in_cip2020", "reserved"};
    cip_ctx *c = p20w_calloc(1, sizeof *c);
    if (c == NULL)
        return p20w_err_set(err, P20W_ENOMEM, "out of memory");
    c->w = w;
    p20w_status st = synth_read_ref(w, "cip2020.csv", cols, 4, cip_row, c, err);
    if (st == P20W_OK)
        st = fill_cip_pool(w, c, &w->cip_sub, sub_weights, err);
    if (st == P20W_OK)
        st = fill_cip_pool(w, c, &w->cip_bach, bach_weights, err);
    if (st == P20W_OK) {
        static const char *const dual[] = {"24.0101", "24.0102", "24.0199"};
        for (int i = 0; i < c->n[24] && st == P20W_OK; i++)
            for (int j = 0; j < 3; j++)
                if (strcmp(c->code[24][i], dual[j]) == 0 &&
                    synth_pool_add(w, &w->cip_dual, dual[j], 1) != P20W_OK)
                    st = p20w_err_set(err, P20W_ENOMEM, "out of memory");
        if (st == P20W_OK && w->cip_dual.n == 0)
            st = p20w_err_set(err, P20W_EFORMAT,
                              "cip2020.csv: no general-studies program");
    }
    for (int i = 0; i < 100; i++)
        p20w_free((void *)c->code[i]);
    p20w_free(c);
    return st;
}

/* ---- SOC ------------------------------------------------------------ */

static p20w_status soc_row(void *ctx, const char *const *v, p20w_err *err)
{
    synth_world *w = ctx;
    /* Apprenticeable trades: construction 47, installation/repair 49,
     * production 51, plus a few named health, food and protective
     * occupations that run registered programs. */
    static const char *const extra[] = {
        "29-2061", "31-1131", "35-2014", "33-2011", "31-9092", "29-2042", NULL};
    double wt = 0;
    if (strcmp(v[1], "detailed") != 0 || strlen(v[0]) != 7)
        return P20W_OK;
    if (strncmp(v[0], "47-", 3) == 0)
        wt = 4.5;
    else if (strncmp(v[0], "49-", 3) == 0)
        wt = 2.5;
    else if (strncmp(v[0], "51-", 3) == 0)
        wt = 1.5;
    else
        for (const char *const *e = extra; *e; e++)
            if (strcmp(*e, v[0]) == 0)
                wt = 6;
    if (wt > 0 && synth_pool_add(w, &w->soc, v[0], wt) != P20W_OK)
        return p20w_err_set(err, P20W_ENOMEM, "out of memory");
    return P20W_OK;
}

/* ---- NAICS ---------------------------------------------------------- */

static p20w_status naics17_row(void *ctx, const char *const *v, p20w_err *err)
{
    if (strcmp(v[1], "6") != 0 || strlen(v[0]) != 6)
        return P20W_OK;
    if (hmap_put_str(ctx, v[0], NULL) != P20W_OK)
        return p20w_err_set(err, P20W_ENOMEM, "out of memory");
    return P20W_OK;
}

typedef struct naics_ctx {
    synth_world *w;
    hmap *in2017;
} naics_ctx;

static p20w_status naics22_row(void *ctx, const char *const *v, p20w_err *err)
{
    naics_ctx *c = ctx;
    if (strcmp(v[1], "6") != 0 || strlen(v[0]) != 6 ||
        !hmap_get_str(c->in2017, v[0], NULL))
        return P20W_OK;
    int ind = ind_of(v[0]);
    if (ind < 0)
        return P20W_OK;
    if (synth_pool_add(c->w, &c->w->naics[ind], v[0], 1) != P20W_OK)
        return p20w_err_set(err, P20W_ENOMEM, "out of memory");
    return P20W_OK;
}

static p20w_status load_naics(synth_world *w, p20w_err *err)
{
    static const char *const cols[] = {"naics_code", "naics_level"};
    naics_ctx c = {w, NULL};
    if (hmap_create(&c.in2017) != P20W_OK)
        return p20w_err_set(err, P20W_ENOMEM, "out of memory");
    p20w_status st =
        synth_read_ref(w, "naics2017.csv", cols, 2, naics17_row, c.in2017, err);
    if (st == P20W_OK)
        st = synth_read_ref(w, "naics2022.csv", cols, 2, naics22_row, &c, err);
    hmap_free(c.in2017);
    for (int i = 0; st == P20W_OK && i < SYNTH_NIND; i++)
        if (w->naics[i].n == 0)
            st = p20w_err_set(err, P20W_EFORMAT,
                              "naics2022.csv: no 6-digit code in sector %s",
                              synth_ind_sector[i]);
    return st;
}

p20w_status synth_codes_load(synth_world *w, p20w_err *err)
{
    static const char *const scols[] = {"sced_code", "subject_area_code",
                                        "cte_subject_area", "in_sced_v12",
                                        "course_title"};
    static const char *const soccols[] = {"soc_code", "soc_level"};
    sced_ctx *c = p20w_calloc(1, sizeof *c);
    if (c == NULL)
        return p20w_err_set(err, P20W_ENOMEM, "out of memory");
    c->w = w;
    p20w_status st = synth_read_ref(w, "sced.csv", scols, 5, sced_row, c, err);
    if (st == P20W_OK)
        st = build_programs(w, c, err);
    p20w_free(c);
    if (st == P20W_OK)
        st = load_cip(w, err);
    if (st == P20W_OK)
        st = synth_read_ref(w, "soc2018.csv", soccols, 2, soc_row, w, err);
    if (st == P20W_OK && w->soc.n == 0)
        st = p20w_err_set(err, P20W_EFORMAT,
                          "soc2018.csv: no detailed occupations");
    if (st == P20W_OK)
        st = load_naics(w, err);
    return st;
}
