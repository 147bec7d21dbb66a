/*
 * linkRun.h — private to src/link: the state of one linkage run, which is
 * also its report (link_report is this struct).
 */
#ifndef P20W_LINK_RUN_H
#define P20W_LINK_RUN_H

#include "link/fs.h"
#include "link/linkInt.h"

typedef struct link_pair_type {
    link_src a;
    link_src b;
    int one_to_one; /* both sides keep only their best link */
} link_pair_type;

#define LINK_PAIR_TYPES 11
extern const link_pair_type link_pair_types[LINK_PAIR_TYPES];

typedef struct link_edge {
    uint32_t a;
    uint32_t b;
    float w;
    uint8_t type; /* index into link_pair_types */
} link_edge;

/* The weight of a link a reviewer accepted: above any model weight, and
 * exempt from the clustering constraints. */
#define LINK_FORCED_W 1.0e6f

typedef struct link_type_report {
    block_stats passes[LINK_MAX_PASSES];
    int npasses;
    uint64_t candidates;
    double threshold;
    double review_threshold;
    double match_share;      /* EM share of matches among candidates */
    double expected_matches; /* match_share x candidates */
    double m[F_COUNT][FS_MAX_LEVELS];
    double u[F_COUNT][FS_MAX_LEVELS];
    uint64_t above_threshold;
    uint64_t links;
    uint64_t review;
    uint64_t mutual; /* second-tier links (mutual best in review band) */
    uint64_t refused_k12;
    uint64_t refused_ssn;
    uint64_t refused_review; /* would join a pair a reviewer rejected */
    double block_s, compare_s, total_s;
} link_type_report;

/* Measured against a synthetic truth. */
typedef struct link_pr {
    const char *name;
    double tp, fp, fn;
} link_pr;

#define LINK_MAX_PR 10
#define LINK_MAX_GROUPS 16

typedef struct link_equity {
    const char *what; /* "k12_students-ui_wages" */
    char group[LINK_MAX_GROUPS][8];
    double matchable[LINK_MAX_GROUPS];
    double matched[LINK_MAX_GROUPS];
    int ngroups;
} link_equity;

struct link_report {
    link_options opts;
    store *store; /* during the run only */
    link_set set;
    vec edges; /* link_edge */
    uint32_t *parent;
    link_type_report types[LINK_PAIR_TYPES];
    uint64_t persons;
    uint64_t ids_kept;
    uint64_t ids_new;
    uint64_t ids_merged;
    uint64_t ids_retired;
    uint64_t links_written;
    double load_s, cluster_s, write_s, total_s;
    int has_truth;
    link_pr pr[LINK_MAX_PR];
    int npr;
    link_equity equity[2];
    int nequity;
    vec review; /* link_edge: this run's review band, not linked */
    hmap
        *decided; /* "srcA\x1fkeyA\x1fsrcB\x1fkeyB" -> 1 accepted, 2 rejected */
    uint64_t decided_accepted, decided_rejected;
    vec rejected; /* lpair: records a reviewer said are different people */
    int64_t run_id;
    double u_last_exact[LINK_PAIR_TYPES];
};

typedef struct link_report link_run_state;

/* Assigns p20w_ids to the clusters (keeping existing ids where clusters
 * persist) and writes persons and person_links in one transaction. */
p20w_status link_mpi_write(store *st, link_run_state *R, p20w_err *err);

/* Runs one pair type t of link_pair_types over R->set: blocking,
 * comparisons, the model, thresholds; appends its links to R->edges (best
 * link per record of the many side, mutual best of the review band) and
 * its review band to R->review, and fills R->types[t]. R->opts, R->set,
 * R->edges and R->review must be initialised; R->decided may be NULL. */
p20w_status link_pair_type_run(link_run_state *R, int t, p20w_err *err);

/* Review decisions (review.c). link_decisions_load() reads the decided
 * pairs; link_decision() says whether a pair was accepted (1), rejected
 * (2) or neither (0); link_decisions_apply() drops rejected links and adds
 * accepted ones; link_run_save() records the run, its models and its
 * review band (inside the caller's transaction). */
p20w_status link_decisions_load(store *st, link_run_state *R, p20w_err *err);
int link_decision(const link_run_state *R, uint32_t a, uint32_t b);
p20w_status link_decisions_apply(link_run_state *R, p20w_err *err);
p20w_status link_run_save(store *st, link_run_state *R, p20w_err *err);

/* Looks up a record by source name and record key; UINT32_MAX if none. */
uint32_t link_find_record(const link_set *set, const char *source,
                          const char *key);

/* Measures the run against truth/person_map.csv and truth/persons.csv. */
p20w_status link_truth_eval(link_run_state *R, const char *truth_dir,
                            p20w_err *err);

#endif
