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

#define LINK_PAIR_TYPES 9
extern const link_pair_type link_pair_types[LINK_PAIR_TYPES];

typedef struct link_edge {
    uint32_t a;
    uint32_t b;
    float w;
    uint8_t type; /* index into link_pair_types */
} link_edge;

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
};

typedef struct link_report link_run_state;

/* Assigns p20w_ids to the clusters (keeping existing ids where clusters
 * persist) and writes persons and person_links in one transaction. */
p20w_status link_mpi_write(store *st, link_run_state *R, p20w_err *err);

/* Measures the run against truth/person_map.csv and truth/persons.csv. */
p20w_status link_truth_eval(link_run_state *R, const char *truth_dir,
                            p20w_err *err);

#endif
