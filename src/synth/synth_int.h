/*
 * synth_int.h — private types shared by the files of src/synth/.
 *
 * synth_world holds everything that is generated or loaded once: reference
 * name pools and code lists (names.c, codes.c), the state's geography,
 * schools, institutions and employer pool (geo.c), the open output files
 * (emit.c). person.c lives one person at a time against it. The world is
 * read-only while persons are generated.
 */
#ifndef P20W_SYNTH_INT_H
#define P20W_SYNTH_INT_H

#include <stdint.h>
#include <stdio.h>

#include "synth/rng.h"
#include "synth/synth.h"
#include "util/arena.h"
#include "util/error.h"

typedef struct synth_nick {
    const char *formal; /* lowercase */
    const char *nick;
} synth_nick;

/* Adults who move into the state: N/4 on top of the N learners. */
#define SYNTH_IN_MIGRANT_DIV 4
#define SYNTH_MIGRANT_COHORT_FIRST 2000

/* Time frame: school years are named by their ending year. */
#define SYNTH_COHORT_FIRST 2010
#define SYNTH_COHORT_LAST 2024
#define SYNTH_LAST_SCHOOL_YEAR 2025
#define SYNTH_LAST_YEAR 2025 /* quarters and terms end with 2025Q4 / 2025FA */
#define SYNTH_Q0 (4 * 1995)  /* first quarter kept in per-person arrays */
#define SYNTH_NQ (4 * (SYNTH_LAST_YEAR + 1) - SYNTH_Q0)

/* Race/ethnicity, the federal seven. */
enum { R_HI, R_AI, R_AS, R_BL, R_PI, R_WH, R_TW, R_COUNT };
extern const char *const synth_race_code[R_COUNT];

/* Institution sectors. */
enum { S_PUB2, S_PUB4, S_PRIV_NP, S_PRIV_FP, S_COUNT };
extern const char *const synth_sector_code[S_COUNT];

/* Career clusters. */
#define SYNTH_NCLUSTER 16
extern const char *const synth_cluster_code[SYNTH_NCLUSTER];

/* Industry sectors of the employer pool. */
#define SYNTH_NIND 20

/* A weighted list of strings. */
typedef struct synth_pool {
    const char **item;
    double *cum;
    size_t n, cap;
} synth_pool;

typedef struct synth_county {
    char fips[6];
    char name[64]; /* "Fayette" (without "County") */
    long pop;
    int rucc;
    int rural;          /* nonmetro: RUCC 2023 >= 4 */
    int hs_first, hs_n; /* high schools */
    int ms_first, ms_n; /* middle schools (K-12 only) */
    int es_first, es_n; /* elementary schools (K-12 only) */
} synth_county;

typedef struct synth_school {
    char id[12];
    char name[112];
    char district_id[8];
    char district_name[112];
    int county;
    int locale;
} synth_school;

typedef struct synth_inst {
    char id[8];
    char name[112];
    int sector;
    int county;
} synth_inst;

/* Kept small: the pool has 200 + N/10 of them. */
typedef struct synth_employer {
    uint32_t num;   /* employer_id = state FIPS + num as 8 digits */
    uint16_t naics; /* index into naics[ind] */
    uint16_t county;
    uint8_t ind;
} synth_employer;

typedef struct synth_program {
    char code[24];
    int cluster;
    int ncourse;
    const char *course[5];
} synth_program;

typedef struct synth_world {
    synth_options opt;
    double noise_scale;
    arena *a;
    /* names */
    synth_pool first[2];      /* F, M */
    synth_pool last[R_COUNT]; /* P(surname | race) ∝ count × pct_race */
    struct synth_nick *nick;  /* sorted by formal name */
    size_t nnick;
    /* codes */
    synth_program *prog;
    int nprog;
    int cluster_prog[SYNTH_NCLUSTER][4]; /* program indexes, -1 = none */
    synth_pool cip_sub;                  /* CERT/ASSOC programs */
    synth_pool cip_bach;                 /* BACH/GRAD programs */
    synth_pool cip_dual;                 /* dual-enrolment general studies */
    synth_pool soc;                      /* apprenticeable occupations */
    synth_pool naics[SYNTH_NIND]; /* 6-digit codes valid in 2017 and 2022 */
    /* geography */
    synth_county *county;
    int ncounty;
    double *county_cum; /* by population */
    synth_school *school;
    int nschool;
    synth_inst *inst;
    int ninst;
    int sector_first[S_COUNT], sector_n[S_COUNT]; /* inst sorted by sector */
    synth_employer *emp;
    int nemp;
    int state_fips;
    /* employers grouped by (industry, rural), cumulative size weights */
    int *grp_emp[SYNTH_NIND][2];
    double *grp_cum[SYNTH_NIND][2];
    int grp_n[SYNTH_NIND][2];
    /* output */
    FILE *f[20];
    uint64_t rows[20];
    uint64_t data_rows;
} synth_world;

/* Output files, in the order emit.c opens them. */
enum {
    F_K12_STUDENTS,
    F_K12_SCHOOLS,
    F_K12_EXITS,
    F_K12_CTE,
    F_K12_WBL,
    F_K12_CRED,
    F_K12_ASSESS,
    F_PS_ENR,
    F_PS_COMP,
    F_PS_INST,
    F_UI_WAGES,
    F_UI_EMP,
    F_APPR,
    F_DMV,
    F_PERSONS,
    F_PERSON_MAP,
    F_COUNT
};
extern const char *const synth_file_name[F_COUNT];

/* names.c */
p20w_status synth_names_load(synth_world *w, p20w_err *err);
const char *synth_pool_pick(const synth_pool *p, synth_rng *r);
p20w_status synth_pool_add(synth_world *w, synth_pool *p, const char *s,
                           double weight);
/* Accented form of an ASCII first name or surname, or NULL. */
const char *synth_accented(const char *ascii);
/* Nickname of a first name (case-insensitive), or NULL when none. */
const char *synth_nickname(const synth_world *w, const char *first,
                           synth_rng *r);

/* Identity noise (names.c). Each writes a NUL-terminated result into out
 * (cap bytes) and returns 1 if it changed anything. */
int synth_typo(const char *in, char *out, size_t cap, synth_rng *r);
int synth_strip_diacritics(const char *in, char *out, size_t cap);
int synth_drop_part(const char *in, char *out, size_t cap, synth_rng *r);
void synth_upper(const char *in, char *out, size_t cap);
void synth_messy_space(const char *in, char *out, size_t cap, synth_rng *r);

/* codes.c: CTE programs, CIP, SOC and NAICS pools. */
p20w_status synth_codes_load(synth_world *w, p20w_err *err);
/* Industry index of a 2-digit NAICS sector, and back. */
extern const char *const synth_ind_sector[SYNTH_NIND];
extern const double synth_ind_premium[SYNTH_NIND];

/* geo.c: counties, districts, schools, institutions, employers. */
p20w_status synth_geo_build(synth_world *w, p20w_err *err);
int synth_pick_county(const synth_world *w, synth_rng *r);
int synth_pick_employer(const synth_world *w, int ind, int rural, synth_rng *r);
/* An employer's UI account number (10 digits) and NAICS code. */
void synth_employer_id(const synth_world *w, int emp, char out[16]);
const char *synth_employer_naics(const synth_world *w, int emp);

/* emit.c */
p20w_status synth_emit_open(synth_world *w, p20w_err *err);
p20w_status synth_emit_row(synth_world *w, int file, const char *const *f,
                           size_t n, p20w_err *err);
p20w_status synth_emit_reference(synth_world *w, p20w_err *err);
p20w_status synth_emit_close(synth_world *w, p20w_err *err);

/* person.c: generates person idx and writes all of its rows. */
p20w_status synth_person_emit(synth_world *w, uint64_t idx, p20w_err *err);

/* Reading a reference CSV: calls row(ctx, fields) for each data row with
 * the wanted columns in the order asked (missing column = EFORMAT). */
typedef p20w_status (*synth_row_fn)(void *ctx, const char *const *v,
                                    p20w_err *err);
p20w_status synth_read_ref(const synth_world *w, const char *file,
                           const char *const *cols, size_t ncols,
                           synth_row_fn row, void *ctx, p20w_err *err);

#endif
