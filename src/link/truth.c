/*
 * truth.c — measure a linkage run against a synthetic state's truth.
 *
 * truth/person_map.csv names, for each row of each extract (source file
 * and 1-based data row, i.e. file line - 1), the true person; persons.csv
 * gives each person's race/ethnicity. A row maps to our record through the
 * identity vault (source, line) of the live submission.
 *
 * Pairwise measures for a pair of sources A, B: the units are the records
 * of A and of B (for wages, each wage row); a predicted pair is two units
 * in one cluster, a true pair two units of one person:
 *   predicted = Σ_cluster a·b, true = Σ_person a·b, TP = Σ_(cluster,person)
 * a·b. Equity: among people who truly have records on both sides (matchable),
 * the share whose K-12 record ended in the same cluster as at least one of
 * their records of the other side, by race/ethnicity.
 *
 * K-12 records carry no SSN (a few do) and wage records no birth date: a
 * K-12 student's wages can be found only through a record that has both a
 * name and birth date and an SSN (motor vehicle, postsecondary,
 * apprenticeship, or the K-12 record itself). People with such a record
 * are "bridged"; K-12 ↔ wages is measured for everyone and for them.
 */
#include "link/linkRun.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/csv.h"
#include "util/mem.h"

#define NO_PERSON UINT32_MAX

typedef struct unit {
    uint32_t cluster;
    uint32_t person;
    uint8_t side; /* 0 = A, 1 = B */
} unit;

typedef struct truth {
    hmap *pid; /* person id text -> index + 1 */
    vec race;  /* uint8 group index per person */
    char groups[LINK_MAX_GROUPS][8];
    int ngroups;
    uint32_t *rec_person;    /* per record */
    uint32_t *row_person;    /* per wage row */
    uint8_t *bridged;        /* per person: a non-wage record with an SSN */
    vec line_rec[SRC_COUNT]; /* uint32 record index by file line */
} truth;

static int src_of_file(const char *f, size_t n)
{
    for (int s = 0; s < SRC_COUNT; s++) {
        const char *name = link_src_name((link_src)s);
        size_t l = strlen(name);
        if (n == l + 4 && strncmp(f, name, l) == 0 &&
            strncasecmp(f + l, ".csv", 4) == 0)
            return s;
    }
    return -1;
}

static p20w_status open_csv(const char *dir, const char *name, csv_reader **r,
                            p20w_err *err)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    return csv_reader_open_file(path, NULL, r, err);
}

static int col_of(const csv_field *f, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (f[i].len == strlen(name) && memcmp(f[i].ptr, name, f[i].len) == 0)
            return (int)i;
    return -1;
}

static p20w_status load_persons(truth *T, const char *dir, p20w_err *err)
{
    csv_reader *r = NULL;
    p20w_status rc = open_csv(dir, "persons.csv", &r, err);
    const csv_field *f;
    size_t nf;
    int cid = -1, crace = -1;
    if (rc == P20W_OK)
        rc = csv_read(r, &f, &nf, err);
    if (rc == P20W_OK) {
        cid = col_of(f, nf, "person_id");
        crace = col_of(f, nf, "race_ethnicity");
        if (cid < 0 || crace < 0)
            rc = p20w_err_set(err, P20W_EFORMAT,
                              "truth persons.csv lacks person_id or "
                              "race_ethnicity");
    }
    while (rc == P20W_OK) {
        rc = csv_read(r, &f, &nf, err);
        if (rc != P20W_OK || nf == 0)
            break;
        if ((int)nf <= cid || (int)nf <= crace)
            continue;
        int g = 0;
        for (; g < T->ngroups; g++)
            if (strncmp(T->groups[g], f[crace].ptr, sizeof T->groups[g]) == 0)
                break;
        if (g == T->ngroups && T->ngroups < LINK_MAX_GROUPS) {
            snprintf(T->groups[g], sizeof T->groups[g], "%.*s",
                     (int)f[crace].len, f[crace].ptr);
            T->ngroups++;
        }
        uint8_t gi = (uint8_t)(g < LINK_MAX_GROUPS ? g : 0);
        if (vec_push(&T->race, &gi) != P20W_OK ||
            hmap_put(T->pid, f[cid].ptr, f[cid].len,
                     (void *)(uintptr_t)T->race.len) != P20W_OK)
            rc = p20w_err_set(err, P20W_ENOMEM, "out of memory");
    }
    csv_reader_close(r);
    return rc;
}

static p20w_status put_line(vec *v, size_t line, uint32_t rec)
{
    while (v->len <= line) {
        uint32_t none = UINT32_MAX;
        if (vec_push(v, &none) != P20W_OK)
            return P20W_ENOMEM;
    }
    *(uint32_t *)vec_at(v, line) = rec;
    return P20W_OK;
}

/* Line → record, for the live submission of each source. */
static p20w_status map_lines(truth *T, store *st, const link_set *set,
                             p20w_err *err)
{
    hmap *idx = NULL;
    if (hmap_create(&idx) != P20W_OK)
        return p20w_err_set(err, P20W_ENOMEM, "out of memory");
    p20w_status rc = P20W_OK;
    char k[256];
    for (uint32_t i = 0; rc == P20W_OK && i < set->first_of[SRC_UI]; i++) {
        const lrec *r = link_rec(set, i);
        int n =
            snprintf(k, sizeof k, "%s\x1f%s", link_src_name(r->src), r->key);
        if (n > 0 && (size_t)n < sizeof k &&
            hmap_put(idx, k, (size_t)n, (void *)(uintptr_t)(i + 1)) != P20W_OK)
            rc = P20W_ENOMEM;
    }
    store_stmt *q = NULL;
    if (rc == P20W_OK)
        rc = store_prepare(st,
                           "SELECT v.source, v.line, v.record_key FROM "
                           "identity_vault v JOIN submissions s ON "
                           "s.submission_id = v.submission_id WHERE s.status "
                           "= 'accepted' AND v.source <> 'ui_wages'",
                           &q, err);
    while (rc == P20W_OK) {
        int row;
        rc = store_step(q, &row, err);
        if (rc != P20W_OK || !row)
            break;
        int s = -1;
        for (int x = 0; x < SRC_COUNT; x++)
            if (strcmp(link_src_name((link_src)x), store_column_text(q, 0)) ==
                0)
                s = x;
        int n = snprintf(k, sizeof k, "%s\x1f%s", store_column_text(q, 0),
                         store_column_text(q, 2));
        void *v = NULL;
        if (s >= 0 && n > 0 && (size_t)n < sizeof k &&
            hmap_get(idx, k, (size_t)n, &v))
            rc = put_line(&T->line_rec[s], (size_t)store_column_int64(q, 1),
                          (uint32_t)((uintptr_t)v - 1));
    }
    store_finalize(q);
    hmap_free(idx);
    const wage_row *w = set->wage_rows.data;
    for (size_t i = 0; rc == P20W_OK && i < set->wage_rows.len; i++)
        rc = put_line(&T->line_rec[SRC_UI], (size_t)w[i].line, (uint32_t)i);
    if (rc == P20W_ENOMEM)
        p20w_err_set(err, rc, "out of memory");
    return rc;
}

static p20w_status load_map(truth *T, const char *dir, const link_set *set,
                            p20w_err *err)
{
    csv_reader *r = NULL;
    p20w_status rc = open_csv(dir, "person_map.csv", &r, err);
    const csv_field *f;
    size_t nf;
    int cf = -1, crow = -1, cpid = -1;
    if (rc == P20W_OK)
        rc = csv_read(r, &f, &nf, err);
    if (rc == P20W_OK) {
        cf = col_of(f, nf, "source_file");
        crow = col_of(f, nf, "row");
        cpid = col_of(f, nf, "person_id");
        if (cf < 0 || crow < 0 || cpid < 0)
            rc = p20w_err_set(err, P20W_EFORMAT,
                              "truth person_map.csv lacks source_file, row "
                              "or person_id");
    }
    while (rc == P20W_OK) {
        rc = csv_read(r, &f, &nf, err);
        if (rc != P20W_OK || nf == 0)
            break;
        if ((int)nf <= cf || (int)nf <= crow || (int)nf <= cpid)
            continue;
        int s = src_of_file(f[cf].ptr, f[cf].len);
        if (s < 0)
            continue;
        size_t line = (size_t)strtoull(f[crow].ptr, NULL, 10) + 1;
        void *v = NULL;
        if (!hmap_get(T->pid, f[cpid].ptr, f[cpid].len, &v))
            continue;
        uint32_t person = (uint32_t)((uintptr_t)v - 1);
        if (line >= T->line_rec[s].len)
            continue;
        uint32_t rec = *(uint32_t *)vec_at(&T->line_rec[s], line);
        if (rec == UINT32_MAX)
            continue; /* a row that was rejected or is unlinkable */
        if (s == SRC_UI)
            T->row_person[rec] = person;
        else if (T->rec_person[rec] == NO_PERSON)
            T->rec_person[rec] = person;
    }
    csv_reader_close(r);
    (void)set;
    return rc;
}

static int by_cluster_person(const void *x, const void *y)
{
    const unit *a = x, *b = y;
    if (a->cluster != b->cluster)
        return a->cluster < b->cluster ? -1 : 1;
    return a->person < b->person ? -1 : a->person > b->person;
}

static int by_person(const void *x, const void *y)
{
    const unit *a = x, *b = y;
    return a->person < b->person ? -1 : a->person > b->person;
}

static int same_cluster(const unit *x, const unit *y)
{
    return x->cluster == y->cluster;
}

static int same_person(const unit *x, const unit *y)
{
    return x->person == y->person;
}

static int same_both(const unit *x, const unit *y)
{
    return x->cluster == y->cluster && x->person == y->person;
}

/* Pairs over the runs of units that are `same` (u sorted so they are
 * adjacent): across two sources, Σ (side A count) × (side B count); within
 * one source, Σ C(run length, 2). */
static double run_pairs(const unit *u, size_t n,
                        int (*same)(const unit *, const unit *), int within)
{
    double total = 0;
    size_t i = 0;
    while (i < n) {
        size_t j = i;
        double a = 0, b = 0;
        while (j < n && same(&u[j], &u[i])) {
            if (u[j].side == 0)
                a++;
            else
                b++;
            j++;
        }
        double k = (double)(j - i);
        total += within ? k * (k - 1) / 2 : a * b;
        i = j;
    }
    return total;
}

static p20w_status add_units(const link_run_state *R, const truth *T,
                             link_src s, uint8_t side, int bridged_only,
                             vec *units)
{
    const link_set *set = &R->set;
    if (s == SRC_UI) {
        const wage_row *w = set->wage_rows.data;
        for (size_t i = 0; i < set->wage_rows.len; i++) {
            if (T->row_person[i] == NO_PERSON ||
                (bridged_only && !T->bridged[T->row_person[i]]))
                continue;
            unit u = {R->parent[w[i].ident], T->row_person[i], side};
            if (vec_push(units, &u) != P20W_OK)
                return P20W_ENOMEM;
        }
        return P20W_OK;
    }
    for (uint32_t i = 0; i < set->count_of[s]; i++) {
        uint32_t rec = set->first_of[s] + i;
        if (T->rec_person[rec] == NO_PERSON ||
            (bridged_only && !T->bridged[T->rec_person[rec]]))
            continue;
        unit u = {R->parent[rec], T->rec_person[rec], side};
        if (vec_push(units, &u) != P20W_OK)
            return P20W_ENOMEM;
    }
    return P20W_OK;
}

/* Pairwise precision and recall of links between sources a and b, or,
 * with a == b, of the duplicates within one source. */
static p20w_status measure_pair(link_run_state *R, const truth *T, link_src a,
                                link_src b, int bridged_only, const char *name)
{
    int within = a == b;
    vec units;
    vec_init(&units, sizeof(unit));
    p20w_status rc = add_units(R, T, a, 0, bridged_only, &units);
    if (rc == P20W_OK && !within)
        rc = add_units(R, T, b, 1, bridged_only, &units);
    if (rc != P20W_OK || R->npr >= LINK_MAX_PR || units.len == 0) {
        vec_free(&units);
        return rc;
    }
    unit *u = units.data;
    qsort(u, units.len, sizeof *u, by_cluster_person);
    double tp = run_pairs(u, units.len, same_both, within);
    double pred = run_pairs(u, units.len, same_cluster, within);
    qsort(u, units.len, sizeof *u, by_person);
    double truth_pairs = run_pairs(u, units.len, same_person, within);
    link_pr *p = &R->pr[R->npr++];
    p->name = name;
    p->tp = tp;
    p->fp = pred - tp;
    p->fn = truth_pairs - tp;
    vec_free(&units);
    return P20W_OK;
}

/* Match rate of people with records on both sides, by group. */
static p20w_status measure_equity(link_run_state *R, const truth *T,
                                  link_src other, int bridged_only,
                                  const char *what)
{
    const link_set *set = &R->set;
    size_t np = T->race.len;
    uint32_t *k12 = p20w_malloc((np ? np : 1) * sizeof *k12);
    uint8_t *has = p20w_calloc(np ? np : 1, 1);
    uint8_t *hit = p20w_calloc(np ? np : 1, 1);
    if (k12 == NULL || has == NULL || hit == NULL) {
        p20w_free(k12);
        p20w_free(has);
        p20w_free(hit);
        return P20W_ENOMEM;
    }
    for (size_t i = 0; i < np; i++)
        k12[i] = UINT32_MAX;
    for (uint32_t i = 0; i < set->count_of[SRC_K12]; i++) {
        uint32_t rec = set->first_of[SRC_K12] + i;
        uint32_t p = T->rec_person[rec];
        if (p != NO_PERSON && k12[p] == UINT32_MAX)
            k12[p] = rec;
    }
    if (other == SRC_UI) {
        const wage_row *w = set->wage_rows.data;
        for (size_t i = 0; i < set->wage_rows.len; i++) {
            uint32_t p = T->row_person[i];
            if (p == NO_PERSON || k12[p] == UINT32_MAX)
                continue;
            has[p] = 1;
            if (R->parent[k12[p]] == R->parent[w[i].ident])
                hit[p] = 1;
        }
    } else {
        for (uint32_t i = 0; i < set->count_of[other]; i++) {
            uint32_t rec = set->first_of[other] + i;
            uint32_t p = T->rec_person[rec];
            if (p == NO_PERSON || k12[p] == UINT32_MAX)
                continue;
            has[p] = 1;
            if (R->parent[k12[p]] == R->parent[rec])
                hit[p] = 1;
        }
    }
    link_equity *q = &R->equity[R->nequity++];
    memset(q, 0, sizeof *q);
    q->what = what;
    q->ngroups = T->ngroups;
    for (int g = 0; g < T->ngroups; g++)
        memcpy(q->group[g], T->groups[g], sizeof q->group[g]);
    const uint8_t *race = T->race.data;
    for (size_t p = 0; p < np; p++) {
        if (!has[p] || (bridged_only && !T->bridged[p]))
            continue;
        q->matchable[race[p]]++;
        q->matched[race[p]] += hit[p];
    }
    p20w_free(k12);
    p20w_free(has);
    p20w_free(hit);
    return P20W_OK;
}

p20w_status link_truth_eval(link_run_state *R, const char *truth_dir,
                            p20w_err *err)
{
    truth T;
    memset(&T, 0, sizeof T);
    vec_init(&T.race, 1);
    for (int s = 0; s < SRC_COUNT; s++)
        vec_init(&T.line_rec[s], sizeof(uint32_t));
    const link_set *set = &R->set;
    size_t nrec = set->recs.len, nrow = set->wage_rows.len;
    T.rec_person = p20w_malloc((nrec ? nrec : 1) * sizeof(uint32_t));
    T.row_person = p20w_malloc((nrow ? nrow : 1) * sizeof(uint32_t));
    p20w_status rc = P20W_OK;
    if (T.rec_person == NULL || T.row_person == NULL ||
        hmap_create(&T.pid) != P20W_OK)
        rc = p20w_err_set(err, P20W_ENOMEM, "out of memory");
    for (size_t i = 0; rc == P20W_OK && i < nrec; i++)
        T.rec_person[i] = NO_PERSON;
    for (size_t i = 0; rc == P20W_OK && i < nrow; i++)
        T.row_person[i] = NO_PERSON;
    if (rc == P20W_OK)
        rc = load_persons(&T, truth_dir, err);
    if (rc == P20W_OK)
        rc = map_lines(&T, R->store, set, err);
    if (rc == P20W_OK)
        rc = load_map(&T, truth_dir, set, err);
    if (rc == P20W_OK) {
        T.bridged = p20w_calloc(T.race.len ? T.race.len : 1, 1);
        if (T.bridged == NULL)
            rc = p20w_err_set(err, P20W_ENOMEM, "out of memory");
    }
    for (uint32_t i = 0; rc == P20W_OK && i < set->first_of[SRC_UI]; i++)
        if (link_rec(set, i)->ssn[0] && T.rec_person[i] != NO_PERSON)
            T.bridged[T.rec_person[i]] = 1;
    static const struct {
        link_src a, b;
        int bridged_only;
        const char *name;
    } pairs[] = {
        {SRC_K12, SRC_PS, 0, "k12_students-ps_enrollments"},
        {SRC_K12, SRC_DMV, 0, "k12_students-dmv_ids"},
        {SRC_K12, SRC_UI, 0, "k12_students-ui_wages (rows), everyone"},
        {SRC_K12, SRC_UI, 1, "k12_students-ui_wages (rows), bridged"},
        {SRC_PS, SRC_UI, 0, "ps_enrollments-ui_wages (rows)"},
        {SRC_DMV, SRC_UI, 0, "dmv_ids-ui_wages (rows)"},
        {SRC_APPR, SRC_UI, 0, "apprenticeships-ui_wages (rows)"},
    };
    for (size_t i = 0; rc == P20W_OK && i < sizeof pairs / sizeof pairs[0]; i++)
        if (set->count_of[pairs[i].a] && set->count_of[pairs[i].b])
            rc = measure_pair(R, &T, pairs[i].a, pairs[i].b,
                              pairs[i].bridged_only, pairs[i].name);
    if (rc == P20W_OK && set->count_of[SRC_K12])
        rc = measure_pair(R, &T, SRC_K12, SRC_K12, 0,
                          "k12_students duplicates (second ids)");
    if (rc == P20W_OK && set->count_of[SRC_PS])
        rc = measure_equity(R, &T, SRC_PS, 0, "k12_students-ps_enrollments");
    if (rc == P20W_OK && set->count_of[SRC_UI])
        rc = measure_equity(R, &T, SRC_UI, 1,
                            "k12_students-ui_wages, bridged people");
    if (rc == P20W_ENOMEM && err->code != P20W_ENOMEM)
        p20w_err_set(err, rc, "out of memory");
    R->has_truth = rc == P20W_OK;
    hmap_free(T.pid);
    vec_free(&T.race);
    for (int s = 0; s < SRC_COUNT; s++)
        vec_free(&T.line_rec[s]);
    p20w_free(T.rec_person);
    p20w_free(T.row_person);
    p20w_free(T.bridged);
    return rc;
}
