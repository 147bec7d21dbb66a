/*
 * timeline.h — the learner timeline: every linked fact of every person, in
 * compact arrays, plus the designations the business rules derive from
 * them (spec/indicators.md, "Building blocks" and "Learner designations").
 *
 * This is the contract between derive/ (which fills it: derive_load() reads
 * the store, derive_rules() computes the designations) and measure/ (which
 * reads it to compute indicators). Tests build timelines by hand with the
 * tl_add_*() functions, then call tl_finish() and derive_rules().
 *
 * Layout. A tl_state owns reference tables (schools, districts, counties,
 * workforce regions, institutions, employers, programs of study) and one
 * tl_person per p20w_id. Each person's facts of one kind are a contiguous
 * run of a flat array (CSR): person->wage_off .. wage_off + wage_n - 1
 * index st->wages, and so on. tl_finish() sorts every person's runs (by
 * date or quarter) and fills the offsets; before it, the off/n fields are
 * meaningless. Indexes into reference tables are int32_t, -1 for none.
 *
 * Units. Dates are util/date.h day numbers (TL_NO_DATE for none); quarters
 * are quarter indexes q = 4*year + quarter - 1; school years are named by
 * the calendar year they end in; wages are whole cents.
 *
 * Privacy. The timeline holds no direct identifier: p20w_id stands for the
 * person; the birth date enters only as year and month (birth_ym), which
 * opportunity-youth ages need.
 *
 * Not thread-safe for writing; a finished state may be read by many
 * threads at once.
 */
#ifndef P20W_TIMELINE_H
#define P20W_TIMELINE_H

#include <stddef.h>
#include <stdint.h>

#include "util/error.h"
#include "util/vec.h"

#define TL_NO_DATE INT32_MIN
#define TL_NONE (-1)

/* ---- codes ------------------------------------------------------------- */

/* K-12 exit types (extracts.md k12_exits.exit_type); NONE = no exit row. */
enum tl_exit_type {
    TL_EXIT_NONE = 0,
    TL_EXIT_GRAD,
    TL_EXIT_GRAD_ALT,
    TL_EXIT_HSE,
    TL_EXIT_DROPOUT,
    TL_EXIT_TRANSFER_OUT,
    TL_EXIT_DECEASED,
    TL_EXIT_COUNT
};

/* The federal seven, in extracts.md order; TL_RACE_UNKNOWN when no record
 * carries it. */
enum tl_race {
    TL_RACE_HI = 0,
    TL_RACE_AI,
    TL_RACE_AS,
    TL_RACE_BL,
    TL_RACE_PI,
    TL_RACE_WH,
    TL_RACE_TW,
    TL_RACE_COUNT,
    TL_RACE_UNKNOWN = 0xFF
};

/* Sex: 'F', 'M', 'X', or 0 when unknown. */

/* Special-population flags (bit set = Y). */
enum tl_flag {
    TL_F_ECON = 1 << 0,
    TL_F_DISABILITY = 1 << 1,
    TL_F_EL = 1 << 2,
    TL_F_HOMELESS = 1 << 3,
    TL_F_FOSTER = 1 << 4,
    TL_F_MIGRANT = 1 << 5,
    TL_F_MILITARY = 1 << 6
};
#define TL_FLAG_COUNT 7

/* Grade levels: PK = -1, KG = 0, 1..12, UG = 13. */
#define TL_GRADE_PK (-1)
#define TL_GRADE_KG 0
#define TL_GRADE_UG 13

/* NCES locale groups from the locale code's first digit. */
enum tl_locale {
    TL_LOCALE_UNKNOWN = 0,
    TL_LOCALE_CITY,   /* 11-13 */
    TL_LOCALE_SUBURB, /* 21-23 */
    TL_LOCALE_TOWN,   /* 31-33 */
    TL_LOCALE_RURAL,  /* 41-43 */
    TL_LOCALE_COUNT
};

/* The 16 National Career Clusters in extracts.md order. */
enum tl_cluster {
    TL_CL_AG = 0,
    TL_CL_AR,
    TL_CL_AC,
    TL_CL_BM,
    TL_CL_ED,
    TL_CL_FN,
    TL_CL_GV,
    TL_CL_HS,
    TL_CL_HT,
    TL_CL_HU,
    TL_CL_IT,
    TL_CL_LW,
    TL_CL_MN,
    TL_CL_MK,
    TL_CL_ST,
    TL_CL_TD,
    TL_CL_COUNT
};

enum tl_subject { TL_SUBJ_ELA = 0, TL_SUBJ_MATH, TL_SUBJ_SCI, TL_SUBJ_COUNT };

enum tl_wbl_type {
    TL_WBL_INTERNSHIP = 0,
    TL_WBL_APPRENTICESHIP,
    TL_WBL_PRE_APPRENTICESHIP,
    TL_WBL_CLINICAL,
    TL_WBL_COOP,
    TL_WBL_SCHOOL_ENTERPRISE,
    TL_WBL_COUNT
};

/* Postsecondary award levels (sought or conferred), ascending. */
enum tl_award {
    TL_AWARD_NONE = 0,
    TL_AWARD_NONDEG,
    TL_AWARD_CERT,
    TL_AWARD_ASSOC,
    TL_AWARD_BACH,
    TL_AWARD_GRAD,
    TL_AWARD_COUNT
};

enum tl_term_kind { TL_TERM_SP = 0, TL_TERM_SU, TL_TERM_FA };

enum tl_appr_status {
    TL_APPR_ACTIVE = 0,
    TL_APPR_COMPLETED,
    TL_APPR_CANCELLED
};

/* ---- reference tables -------------------------------------------------- */

typedef struct tl_region {
    char *name; /* "CZ 12345" or the config's region name */
} tl_region;

typedef struct tl_county {
    char fips[6];   /* 5 digits */
    int32_t region; /* tl_region index, TL_NONE when unmapped */
    int rural;      /* 1 when nonmetro (RUCC >= 4), -1 unknown */
} tl_county;

typedef struct tl_district {
    char *id;
    char *name;
} tl_district;

typedef struct tl_school {
    char *id;
    char *name;
    int32_t district; /* tl_district index */
    int32_t county;   /* tl_county index */
    uint8_t locale;   /* enum tl_locale */
} tl_school;

typedef struct tl_institution {
    char *id; /* IPEDS UNITID */
    char *name;
    char sector[8]; /* PUB2, PUB4, PRIV_NP, PRIV_FP */
    int32_t county;
} tl_institution;

typedef struct tl_employer {
    char *id;
    int32_t naics6; /* 6-digit NAICS as a number, 0 unknown */
    /* The NAICS sector: the first two digits, with the Census sector
     * ranges folded onto their first code (32, 33 -> 31; 45 -> 44;
     * 49 -> 48), so "31" stands for 31-33. */
    uint8_t sector;
    int32_t county;
} tl_employer;

typedef struct tl_program {
    char *id;        /* state program-of-study code */
    uint8_t cluster; /* enum tl_cluster */
} tl_program;

/* ---- facts (one row of a source, person-relative) ---------------------- */

typedef struct tl_enrol { /* k12_students row */
    int16_t school_year;
    int8_t grade;  /* TL_GRADE_* or 1..12 */
    uint8_t flags; /* enum tl_flag bits of this row */
    /* The row's sex and race (derive_rules picks the person's). A row
     * with sex 0 carries no demographics and is passed over, so a
     * hand-built row that leaves them zero means "not given". */
    char sex;
    uint8_t race; /* enum tl_race */
    int32_t school;
} tl_enrol;

typedef struct tl_k12_exit { /* k12_exits row */
    int32_t date;
    int32_t school;
    int16_t cohort_year; /* 0 when the row has none */
    uint8_t type;        /* enum tl_exit_type */
} tl_k12_exit;

typedef struct tl_cte { /* k12_cte_courses row */
    int16_t school_year;
    uint8_t cluster;
    uint8_t completed;
    int32_t school;
    int32_t program; /* tl_program index */
    float credits;
} tl_cte;

typedef struct tl_assess {
    int16_t school_year;
    uint8_t subject; /* enum tl_subject */
    uint8_t proficient;
} tl_assess;

typedef struct tl_wbl {
    int16_t school_year;
    uint8_t type; /* enum tl_wbl_type */
    uint8_t completed;
    int32_t hours;
} tl_wbl;

typedef struct tl_cred {
    int32_t date; /* earned_date */
} tl_cred;

typedef struct tl_term { /* ps_enrollments row */
    int16_t year;        /* calendar year of the term */
    uint8_t kind;        /* enum tl_term_kind */
    uint8_t level;       /* award_level_sought, enum tl_award */
    uint8_t cte;         /* cte_program = Y */
    uint8_t dual;        /* dual_enrollment = Y */
    char sex;            /* as in tl_enrol: 0 = no demographics */
    uint8_t race;        /* enum tl_race */
    int32_t q_first;     /* quarters the term overlaps (indicators.md): */
    int32_t q_last;      /* FA Q3-Q4, SP Q1-Q2, SU Q2-Q3 of its year */
    int32_t inst;        /* tl_institution index */
    int32_t cip;         /* CIP 2020 as a number: 51.0801 -> 510801 */
    float credits_attempted;
    float credits_earned;
} tl_term;

typedef struct tl_award_row { /* ps_completions row */
    int32_t date;
    int32_t inst;
    int32_t cip;
    uint8_t level; /* enum tl_award */
} tl_award_row;

typedef struct tl_appr { /* apprenticeships row */
    int32_t start_date;
    int32_t end_date; /* TL_NO_DATE when open */
    int32_t soc;      /* SOC 2018 as a number: 47-2111 -> 472111 */
    uint8_t status;   /* enum tl_appr_status */
} tl_appr;

typedef struct tl_wage { /* ui_wages row linked to the person */
    int32_t q;
    int32_t employer; /* tl_employer index */
    int64_t cents;
} tl_wage;

/* ---- designations (derive_rules) --------------------------------------- */

/* How a person left a program: the exiter populations of EMP_Q2 and
 * friends. A person may exit several times (HS, then a certificate, then
 * an apprenticeship). */
enum tl_exit_kind {
    TL_EXITER_HS_GRAD = 0,     /* GRAD or GRAD_ALT */
    TL_EXITER_HS_NONCOMPLETER, /* DROPOUT */
    TL_EXITER_HS_HSE,          /* HSE: exited, but neither of the above */
    TL_EXITER_PS_COMPLETER,    /* one per person and award year: highest */
    TL_EXITER_PS_LEAVER,       /* left postsecondary without an award */
    TL_EXITER_APPR_COMPLETER,  /* registered apprenticeship COMPLETED */
    TL_EXITER_COUNT
};

typedef struct tl_exit_event {
    uint8_t kind;    /* enum tl_exit_kind */
    uint8_t level;   /* PS: award level (completer) or level sought */
    int32_t date;    /* exit date */
    int32_t exit_q;  /* quarter holding date */
    int32_t school;  /* HS exits: exit school */
    int32_t inst;    /* PS exits: institution */
    int32_t cip;     /* PS exits: CIP of the award / last program */
    int32_t soc;     /* apprenticeship exits */
    int32_t program; /* HS: concentrator program, TL_NONE otherwise */
} tl_exit_event;

typedef struct tl_person {
    int64_t p20w_id;
    int32_t birth_ym; /* 12 * year + month - 1, TL_NONE when unknown */

    /* fact runs: [x_off, x_off + x_n) of st->x */
    uint32_t enrol_off, enrol_n;
    uint32_t k12exit_off, k12exit_n;
    uint32_t cte_off, cte_n;
    uint32_t assess_off, assess_n;
    uint32_t wbl_off, wbl_n;
    uint32_t cred_off, cred_n;
    uint32_t term_off, term_n;
    uint32_t award_off, award_n;
    uint32_t appr_off, appr_n;
    uint32_t wage_off, wage_n;
    uint32_t exit_off, exit_n; /* designations: st->exits */

    /* -- designations, filled by derive_rules(); docs/derive-rules.md
     * states each rule -- */
    char sex;            /* latest K-12 row, else latest PS term; 0 unknown */
    uint8_t race;        /* enum tl_race, same precedence */
    uint8_t flags;       /* any K-12 row of grades 9-12 (any grade if none) */
    uint8_t in_k12;      /* has a K-12 enrolment row */
    int32_t home_county; /* last K-12 school's county, else the latest
                            term's institution's; TL_NONE */
    int32_t last_school; /* school of the latest K-12 row (two in that
                            year: the exit school), TL_NONE */

    /* K-12 cohort and exit (the latest exit row decides) */
    int16_t cohort_year;  /* 0 = not in a cohort */
    uint8_t in_cohort;    /* cohort_year set and not TRANSFER_OUT or
                             DECEASED */
    uint8_t hs_exit_type; /* enum tl_exit_type */
    uint8_t grad_on_time; /* GRAD/GRAD_ALT on or before 31 Aug of
                             cohort_year */
    int32_t hs_exit_date; /* TL_NO_DATE */
    int32_t hs_exit_q;    /* TL_NONE */
    int32_t hs_exit_school;

    /* Secondary CTE (Perkins V) */
    uint8_t cte_participant;  /* >= 1 completed CTE course */
    uint8_t cte_concentrator; /* >= concentrator_courses completed in one
                                 program of study */
    int32_t conc_program;     /* that program (most courses; ties: the
                                 earliest reached), TL_NONE */
    uint8_t wbl_any;          /* completed work-based learning */
    uint8_t wbl_types;        /* bit (1 << tl_wbl_type) per completed type */
    uint8_t cred_before_exit; /* industry credential earned on or before
                                 the HS exit date (any, when no exit) */
    uint8_t dual_credits;     /* dual-enrolment term with credits earned */

    /* Postsecondary */
    uint8_t ps_any;         /* any term or award */
    uint8_t ps_first_time;  /* had a first non-dual term (an entrant) */
    uint8_t ps_entry_level; /* level sought in that term */
    int32_t ps_entry_q;     /* its first quarter, TL_NONE */
    int32_t ps_entry_inst;
    uint8_t ps_concentrator; /* >= ps_concentrator_credits earned in one
                                CTE program (non-dual terms), or a CTE
                                award in it */
    int32_t ps_conc_inst;    /* that program: institution and CIP */
    int32_t ps_conc_cip;
    int32_t ps_conc_first_q; /* first quarter in the program */
    int32_t ps_conc_last_q;  /* last enrolled quarter in the program */
} tl_person;

/* ---- the state --------------------------------------------------------- */

typedef struct tl_state {
    /* reference tables (element types as named) */
    vec regions;      /* tl_region */
    vec counties;     /* tl_county */
    vec districts;    /* tl_district */
    vec schools;      /* tl_school */
    vec institutions; /* tl_institution */
    vec employers;    /* tl_employer */
    vec programs;     /* tl_program */

    vec persons; /* tl_person, ascending p20w_id after tl_finish() */

    /* facts, grouped by person after tl_finish() */
    vec enrols;   /* tl_enrol */
    vec k12exits; /* tl_k12_exit */
    vec ctes;     /* tl_cte */
    vec assesses; /* tl_assess */
    vec wbls;     /* tl_wbl */
    vec creds;    /* tl_cred */
    vec terms;    /* tl_term */
    vec awards;   /* tl_award_row */
    vec apprs;    /* tl_appr */
    vec wages;    /* tl_wage, by (q, employer) within a person */
    vec exits;    /* tl_exit_event (derive_rules) */

    /* The wage data's extent: the first and last quarter any wage row of
     * the store carries (linked or not). Outcome windows count only when
     * they lie wholly inside [wage_q_first, wage_q_last]. TL_NONE when
     * there are no wages. */
    int32_t wage_q_first, wage_q_last;

    /* Private: person lookup and fact staging (timeline.c). */
    void *priv;
} tl_state;

/* ---- building ---------------------------------------------------------- */

/* A new, empty state. *out is freed with tl_state_free(). */
p20w_status tl_state_new(tl_state **out, p20w_err *err);
void tl_state_free(tl_state *st);

/* Reference rows; each returns the new row's index in *idx. Strings are
 * copied. Adding an id twice is P20W_EINVAL. Lookups return TL_NONE when
 * the id is unknown. */
p20w_status tl_add_region(tl_state *st, const char *name, int32_t *idx);
p20w_status tl_add_county(tl_state *st, const char *fips, int32_t region,
                          int rural, int32_t *idx);
p20w_status tl_add_district(tl_state *st, const char *id, const char *name,
                            int32_t *idx);
p20w_status tl_add_school(tl_state *st, const char *id, const char *name,
                          int32_t district, int32_t county, uint8_t locale,
                          int32_t *idx);
p20w_status tl_add_institution(tl_state *st, const char *id, const char *name,
                               const char *sector, int32_t county,
                               int32_t *idx);
/* naics: the 6-digit code as text ("722511"); sector is derived. */
p20w_status tl_add_employer(tl_state *st, const char *id, const char *naics,
                            int32_t county, int32_t *idx);
p20w_status tl_add_program(tl_state *st, const char *id, uint8_t cluster,
                           int32_t *idx);
int32_t tl_find_region(const tl_state *st, const char *name);
int32_t tl_find_county(const tl_state *st, const char *fips);
int32_t tl_find_district(const tl_state *st, const char *id);
int32_t tl_find_school(const tl_state *st, const char *id);
int32_t tl_find_institution(const tl_state *st, const char *id);
int32_t tl_find_employer(const tl_state *st, const char *id);
int32_t tl_find_program(const tl_state *st, const char *id);

/* The person with this p20w_id, created on first use; *idx is its index
 * in st->persons until tl_finish() re-sorts them (indexes from before
 * tl_finish() must not be used after). birth_ym may be set on the
 * returned person directly. */
p20w_status tl_person_get(tl_state *st, int64_t p20w_id, int32_t *idx);

/* Facts of person idx (tl_person_get()). Copied. */
p20w_status tl_add_enrol(tl_state *st, int32_t idx, const tl_enrol *e);
p20w_status tl_add_k12_exit(tl_state *st, int32_t idx, const tl_k12_exit *e);
p20w_status tl_add_cte(tl_state *st, int32_t idx, const tl_cte *e);
p20w_status tl_add_assess(tl_state *st, int32_t idx, const tl_assess *e);
p20w_status tl_add_wbl(tl_state *st, int32_t idx, const tl_wbl *e);
p20w_status tl_add_cred(tl_state *st, int32_t idx, const tl_cred *e);
/* Fills q_first/q_last from year and kind. */
p20w_status tl_add_term(tl_state *st, int32_t idx, const tl_term *e);
p20w_status tl_add_award(tl_state *st, int32_t idx, const tl_award_row *e);
p20w_status tl_add_appr(tl_state *st, int32_t idx, const tl_appr *e);
/* Rows of the same person, quarter and employer are summed. */
p20w_status tl_add_wage(tl_state *st, int32_t idx, const tl_wage *e);

/* Makes room for n more wage rows, so a loader that knows the count (wages
 * are most of the memory) gets arrays of exactly that size instead of the
 * doubling slack. Errors: P20W_ENOMEM (nothing changed), P20W_EUSAGE
 * after tl_finish(). */
p20w_status tl_reserve_wages(tl_state *st, size_t n);

/* Sorts persons by p20w_id and each person's facts (enrolments by school
 * year, exits by date, terms by first quarter, wages by quarter then
 * employer ...; every order is total, so equal keys come out the same on
 * every platform), and fills every x_off/x_n. Adding facts after
 * tl_finish() is P20W_EUSAGE. Sets wage_q_first/last from the wages when
 * the loader has not set them. Errors: P20W_ENOMEM, after which the state
 * can only be freed (every later call is P20W_EUSAGE). */
p20w_status tl_finish(tl_state *st, p20w_err *err);

/* 1 once tl_finish() has succeeded. */
int tl_is_finished(const tl_state *st);

/* The order of a person's exit events (derive_rules): by date, then kind,
 * then every other field. A qsort() comparator over tl_exit_event. */
int tl_exit_cmp(const void *a, const void *b);

/* ---- reading helpers (after tl_finish) --------------------------------- */

/* The first element of a person's run in fact array v (one of st->enrols
 * ... st->exits), e.g. (const tl_wage *)tl_run(&st->wages, p->wage_off);
 * NULL when the array is empty. Use it rather than `data + off`: adding
 * even 0 to the NULL data of an empty array is undefined behaviour. */
const void *tl_run(const vec *v, uint32_t off);

/* The index of the person with this p20w_id, TL_NONE if absent. Works
 * before tl_finish() too (a lookup that creates no person), with the
 * indexes of that time. */
int32_t tl_person_find(const tl_state *st, int64_t p20w_id);

/* Total wages of person p in quarter q over all employers (cents). */
int64_t tl_quarter_wages(const tl_state *st, const tl_person *p, int32_t q);

/* Wages of person p over quarters [q_first, q_last] (cents) and the number
 * of those quarters with total wages >= min_quarter_cents (*employed_q,
 * may be NULL). */
int64_t tl_window_wages(const tl_state *st, const tl_person *p, int32_t q_first,
                        int32_t q_last, int64_t min_quarter_cents,
                        int *employed_q);

/* The main employer of person p over quarters [q_first, q_last]: the
 * employer paid the most in total (ties: the lower employer index), or
 * TL_NONE when no wages. */
int32_t tl_main_employer(const tl_state *st, const tl_person *p,
                         int32_t q_first, int32_t q_last);

/* 1 when person p has a postsecondary term overlapping quarter q; dual
 * terms count only when with_dual. */
int tl_enrolled_ps(const tl_state *st, const tl_person *p, int32_t q,
                   int with_dual);

/* 1 when person p has a K-12 enrolment row for the school year holding
 * quarter q (school year Y runs from Q3 of Y - 1 to Q2 of Y). */
int tl_enrolled_k12(const tl_state *st, const tl_person *p, int32_t q);

/* 1 when person p has an apprenticeship spell overlapping quarter q. */
int tl_in_apprenticeship(const tl_state *st, const tl_person *p, int32_t q);

/* Parses "51.0801" -> 510801 and "47-2111" -> 472111; -1 when malformed. */
int32_t tl_cip_parse(const char *s);
int32_t tl_soc_parse(const char *s);

#endif
