/*
 * linkInt.h — private to src/link: the in-memory records linkage works on,
 * the candidate pairs and the clusters.
 *
 * Records are compact: normalised strings live in one arena, phonetic and
 * blocking keys are 64-bit hashes, dates are day numbers. A record is one
 * person-record of a source: a K-12 student id, a postsecondary student
 * at an institution, an apprentice, a motor-vehicle record, or a "wage
 * identity" — the wage rows that share an SSN and a reported name.
 */
#ifndef P20W_LINK_INT_H
#define P20W_LINK_INT_H

#include <stdint.h>

#include "link/link.h"
#include "link/nickname.h"
#include "store/store.h"
#include "util/arena.h"
#include "util/hmap.h"
#include "util/vec.h"

typedef enum link_src {
    SRC_K12 = 0,
    SRC_PS,
    SRC_APPR,
    SRC_DMV,
    SRC_UI,
    SRC_COUNT
} link_src;

#define DOB_MISSING INT32_MIN

typedef struct lrec {
    const char *key;   /* record_key (wage identity: first row's key) */
    const char *first; /* normalised, "" when missing */
    const char *middle;
    const char *last;
    const char *last_sq; /* last without spaces */
    uint64_t first_ny;   /* hash of the NYSIIS key of first, 0 = none */
    uint64_t last_ny;
    int32_t dob;
    char ssn[10]; /* 9 digits when valid, else "" */
    char sex;     /* 'F', 'M', 'X' or 0 */
    char zip[6];
    uint8_t src;
    uint8_t first_initial_only; /* wage names: a single letter */
    uint32_t rows;              /* vault rows behind the record */
} lrec;

/* A wage row and the wage identity it belongs to. */
typedef struct wage_row {
    int64_t submission_id;
    int64_t line;
    uint32_t ident; /* index into recs */
} wage_row;

typedef struct link_set {
    arena *strings;
    vec recs;                     /* lrec */
    vec wage_rows;                /* wage_row */
    uint32_t first_of[SRC_COUNT]; /* recs of a source are contiguous */
    uint32_t count_of[SRC_COUNT];
    uint64_t invalid_ssn_rows; /* wage rows that can link to nobody */
    hmap *surname_freq;        /* last_sq -> count (term frequency) */
    uint64_t surname_total;
    link_nicknames *nick;
} link_set;

const char *link_src_name(link_src s);

/* Loads every live record from the vault (see records.c). */
p20w_status link_set_load(store *st, const char *data_dir, link_set *set,
                          p20w_err *err);
void link_set_free(link_set *set);

/* Fills the derived keys of a record whose names are set (squashed
 * surname, phonetic keys of surname and given name). Errors: P20W_ENOMEM. */
p20w_status link_rec_finish(link_set *set, lrec *r);

static inline const lrec *link_rec(const link_set *set, uint32_t i)
{
    return (const lrec *)set->recs.data + i;
}

/* ---- comparison ------------------------------------------------------- */

enum {
    F_FIRST = 0, /* DIFF, INITIAL, JW70, JW88, NICK, JW92, EXACT */
    F_LAST,      /* DIFF, JW70, JW88, PART, JW92, EXACT */
    F_DOB,       /* DIFF, WITHIN_YEAR, ONE_DIGIT, DM_SWAP, EXACT */
    F_SEX,       /* DIFF, SAME */
    F_SSN,       /* DIFF, TRANSPOSED, ONE_SUB, EXACT */
    F_ZIP,       /* DIFF, SAME */
    F_COUNT
};

extern const int link_field_levels[F_COUNT];
extern const char *const link_field_names[F_COUNT];

/* Fills lv[F_COUNT] with the comparison levels of records a and b
 * (LINK_MISSING where either lacks the value). Names are compared both
 * ways round (first/last swapped) and the better reading kept. */
void link_compare(const link_set *set, const lrec *a, const lrec *b,
                  int lv[F_COUNT]);

/* Term-frequency adjustment (bits) of an exact surname agreement: positive
 * for a rare surname, negative for a common one. */
double link_tf_adjust(const link_set *set, const lrec *a, double u_exact);

/* ---- candidate pairs -------------------------------------------------- */

/* A candidate pair: a from source A, b from source B (indexes into recs). */
typedef struct lpair {
    uint32_t a;
    uint32_t b;
} lpair;

typedef struct block_stats {
    const char *name;
    uint64_t pairs;          /* pairs this pass emitted (before union) */
    uint64_t skipped_blocks; /* blocks over the size cap */
} block_stats;

#define LINK_MAX_PASSES 8

/* Candidate pairs between sources sa and sb (sa == sb: within-source, a < b)
 * by the blocking passes that suit the pair of sources; the union of the
 * passes without repeats goes to *pairs (vec of lpair, sorted). */
p20w_status link_block(const link_set *set, link_src sa, link_src sb,
                       vec *pairs, block_stats *stats, int *npasses,
                       p20w_err *err);

#endif
