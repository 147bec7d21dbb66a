/*
 * person_int.h — one person while being generated (person.c, life.c,
 * noise.c). Fixed-size scratch: nothing here grows with N.
 */
#ifndef P20W_SYNTH_PERSON_INT_H
#define P20W_SYNTH_PERSON_INT_H

#include "synth/synth_int.h"
#include "util/date.h"

enum { X_GRAD, X_GRAD_ALT, X_HSE, X_DROPOUT, X_TRANSFER, X_DECEASED, X_COUNT };
extern const char *const synth_exit_code[X_COUNT];

/* Education levels for earnings. */
enum { E_NONE, E_HS, E_CERT, E_ASSOC, E_BACH, E_GRAD, E_COUNT };
extern const char *const synth_award_code[E_COUNT];

enum {
    FL_ECON,
    FL_DISAB,
    FL_EL,
    FL_HOMELESS,
    FL_FOSTER,
    FL_MIGRANT,
    FL_MILITARY,
    FL_COUNT
};

#define NAME_CAP 96

typedef struct synth_person {
    uint64_t idx;
    char pid[16];
    /* true identity */
    char first[NAME_CAP], middle[NAME_CAP], last[NAME_CAP], suffix[8];
    int sex; /* 0 F, 1 M, 2 X */
    int race;
    int32_t birth;
    char ssn[10];
    char married_last[NAME_CAP];
    int32_t marriage_day;          /* 0 = never within the data */
    int64_t twin_of, same_name_as; /* -1 = none */
    /* origin */
    int county, hs, ms, es; /* county and school indexes */
    int flag[FL_COUNT];
    int cohort;
    double ability;
    int k12_ssn;
    char student_id[16];
    char student_id2[16]; /* a second id from school year sid2_year on */
    int sid2_year;        /* 0 = never */
    /* outcomes, filled as the life is lived */
    int exit_type; /* -1 = still enrolled at the end of the data */
    int32_t exit_day;
    int exit_q; /* quarter index of the exit, -1 none */
    int exit_school;
    int hs_last_year; /* planned school year of grade 12 */
    int cte_part, cte_conc, cte_prog, conc_intent;
    int wbl_done, credential, dual;
    int ps_enrolled;
    int award_q[E_COUNT]; /* quarter each level was reached, -1 never */
    int appr;
    int appr_emp, appr_q0, appr_q1; /* employment forced while active */
    int moved_q, selfemp_q, dead_q; /* -1 = never */
    int in_migrant; /* moved into the state as an adult: no K-12 records */
    int arrive_q;   /* quarter of arrival, -1 = never arrived */
    int32_t arrive_day;
    int dmv;
    char dmv_id[16];
    double person_eff;
    uint8_t enrolled[SYNTH_NQ]; /* PS enrolment per quarter: 0, 1 PT, 2 FT */
    synth_rng life, noise;
} synth_person;

/* An identity as one agency recorded it. */
typedef struct synth_record {
    char first[NAME_CAP], middle[NAME_CAP], last[NAME_CAP];
    char birth[11];
    char ssn[12]; /* 9 digits, or NNN-NN-NNNN */
    int race;
    char tags[160];
} synth_record;

/* Per-source noise rates (before the --noise scale, except coverage). */
typedef struct synth_noise_rates {
    double typo_first, typo_last, nickname, initial, no_first, no_last;
    double dob_swap, dob_digit;
    double ssn_present; /* coverage, not scaled */
    double ssn_sub, ssn_transpose, ssn_invalid;
    double diacritics, part_drop, upper, space, punct;
    double ssn_dashes;     /* formatting, NNN-NN-NNNN */
    double middle_present; /* coverage, not scaled */
    double race_change;
} synth_noise_rates;

extern const synth_noise_rates synth_rates_k12, synth_rates_ps, synth_rates_ui,
    synth_rates_appr, synth_rates_dmv;

/* noise.c: the identity of p as of day `on`, recorded with rates nr. */
void synth_record_make(const synth_world *w, synth_person *p,
                       const synth_noise_rates *nr, int32_t on,
                       synth_record *out);
/* Scaled probability of a noise rate. */
double synth_noise_p(const synth_world *w, double rate);

/* person.c helpers used by life.c */
p20w_status synth_map_row(synth_world *w, int file, const char *key,
                          const synth_person *p, const char *tags,
                          p20w_err *err);
const char *synth_yn(int b);

/* life.c */
p20w_status synth_life_after_school(synth_world *w, synth_person *p,
                                    p20w_err *err);

/* Helpers. */
static inline int synth_q_of(int32_t day)
{
    int y, m;
    date_to_ymd(day, &y, &m, NULL);
    return 4 * y + (m - 1) / 3;
}

#endif
