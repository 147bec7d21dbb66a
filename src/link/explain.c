/*
 * explain.c — why two records were (or were not) linked: the waterfall of
 * the latest linkage run's weights for the pair, field by field.
 *
 * The model is the one the run stored (link_models, link_model_levels);
 * the two records are read and normalised exactly as linkage reads them,
 * so the total printed is the weight the run computed. Direct identifiers
 * are not printed: only levels, probabilities and weights.
 */
#include "link/linkRun.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "link/compare.h"
#include "util/mem.h"

static const char *const level_names[F_COUNT][FS_MAX_LEVELS] = {
    {"differ", "initials agree", "Jaro-Winkler >= 0.70", "Jaro-Winkler >= 0.88",
     "nickname", "Jaro-Winkler >= 0.92", "exact"},
    {"differ", "Jaro-Winkler >= 0.70", "Jaro-Winkler >= 0.88", "a part agrees",
     "Jaro-Winkler >= 0.92", "exact"},
    {"differ", "within a year", "one digit differs", "day/month swapped",
     "exact"},
    {"differ", "same"},
    {"differ", "two digits transposed", "one digit differs", "exact"},
    {"differ", "same"},
};

const char *link_level_name(int field, int level)
{
    if (level == LINK_MISSING)
        return "missing (neutral)";
    if (field < 0 || field >= F_COUNT || level < 0 ||
        level >= link_field_levels[field])
        return "?";
    return level_names[field][level];
}

/* Splits "source:key" (the key may itself hold ':'). */
static int split_ref(const char *ref, char *src, size_t cap, const char **key)
{
    const char *c = strchr(ref, ':');
    if (c == NULL || c == ref || c[1] == '\0' || (size_t)(c - ref) >= cap)
        return 0;
    memcpy(src, ref, (size_t)(c - ref));
    src[c - ref] = '\0';
    *key = c + 1;
    return 1;
}

typedef struct model {
    int64_t run_id;
    double thr, rev, u_last_exact;
    double m[F_COUNT][FS_MAX_LEVELS], u[F_COUNT][FS_MAX_LEVELS];
} model;

static p20w_status load_model(store *st, const char *sa, const char *sb,
                              model *md, p20w_err *err)
{
    store_stmt *q = NULL;
    int row = 0;
    p20w_status rc = store_prepare(
        st,
        "SELECT run_id, threshold, review_threshold, u_last_exact FROM "
        "link_models WHERE source_a = ? AND source_b = ? ORDER BY run_id "
        "DESC LIMIT 1",
        &q, err);
    if (rc == P20W_OK)
        rc = store_bind_text(q, 1, sa, (size_t)-1, err);
    if (rc == P20W_OK)
        rc = store_bind_text(q, 2, sb, (size_t)-1, err);
    if (rc == P20W_OK)
        rc = store_step(q, &row, err);
    if (rc == P20W_OK && !row)
        rc = p20w_err_set(err, P20W_ENOTFOUND,
                          "no linkage model for %s-%s: run 'p20w link' first",
                          sa, sb);
    if (rc == P20W_OK) {
        md->run_id = store_column_int64(q, 0);
        md->thr = store_column_double(q, 1);
        md->rev = store_column_double(q, 2);
        md->u_last_exact = store_column_double(q, 3);
    }
    store_finalize(q);
    q = NULL;
    if (rc == P20W_OK)
        rc = store_prepare(st,
                           "SELECT field, level, m, u FROM link_model_levels "
                           "WHERE run_id = ? AND source_a = ? AND source_b = "
                           "?",
                           &q, err);
    if (rc == P20W_OK)
        rc = store_bind_int64(q, 1, md->run_id, err);
    if (rc == P20W_OK)
        rc = store_bind_text(q, 2, sa, (size_t)-1, err);
    if (rc == P20W_OK)
        rc = store_bind_text(q, 3, sb, (size_t)-1, err);
    while (rc == P20W_OK) {
        rc = store_step(q, &row, err);
        if (rc != P20W_OK || !row)
            break;
        int f = -1, l = (int)store_column_int64(q, 1);
        for (int k = 0; k < F_COUNT; k++)
            if (strcmp(link_field_names[k], store_column_text(q, 0)) == 0)
                f = k;
        if (f >= 0 && l >= 0 && l < FS_MAX_LEVELS) {
            md->m[f][l] = store_column_double(q, 2);
            md->u[f][l] = store_column_double(q, 3);
        }
    }
    store_finalize(q);
    return rc;
}

static const char *decision_of(store *st, const char *sa, const char *ka,
                               const char *sb, const char *kb)
{
    store_stmt *q = NULL;
    int row = 0;
    const char *out = NULL;
    if (store_prepare(st,
                      "SELECT status FROM link_review WHERE source_a = ? AND "
                      "key_a = ? AND source_b = ? AND key_b = ?",
                      &q, NULL) == P20W_OK &&
        store_bind_text(q, 1, sa, (size_t)-1, NULL) == P20W_OK &&
        store_bind_text(q, 2, ka, (size_t)-1, NULL) == P20W_OK &&
        store_bind_text(q, 3, sb, (size_t)-1, NULL) == P20W_OK &&
        store_bind_text(q, 4, kb, (size_t)-1, NULL) == P20W_OK &&
        store_step(q, &row, NULL) == P20W_OK && row) {
        const char *s = store_column_text(q, 0);
        out = strcmp(s, "accepted") == 0   ? "accepted by a reviewer"
              : strcmp(s, "rejected") == 0 ? "rejected by a reviewer"
                                           : "pending review";
    }
    store_finalize(q);
    return out;
}

p20w_status link_explain(store *st, const char *data_dir, const char *ref_a,
                         const char *ref_b, FILE *out, p20w_err *err)
{
    char sa[32], sb[32];
    const char *ka, *kb;
    if (!split_ref(ref_a, sa, sizeof sa, &ka) ||
        !split_ref(ref_b, sb, sizeof sb, &kb))
        return p20w_err_set(err, P20W_EUSAGE,
                            "records are named SOURCE:KEY, e.g. "
                            "k12_students:1234567890");
    link_set set;
    p20w_status rc = link_set_load(st, data_dir, &set, err);
    if (rc != P20W_OK)
        return rc;
    uint32_t a = link_find_record(&set, sa, ka);
    uint32_t b = link_find_record(&set, sb, kb);
    if (a == UINT32_MAX || b == UINT32_MAX) {
        rc = p20w_err_set(err, P20W_ENOTFOUND, "no live record %s",
                          a == UINT32_MAX ? ref_a : ref_b);
        goto out;
    }
    /* The model's orientation. */
    int t = -1, swapped = 0;
    for (int i = 0; i < LINK_PAIR_TYPES; i++) {
        link_src pa = link_pair_types[i].a, pb = link_pair_types[i].b;
        if (pa == link_rec(&set, a)->src && pb == link_rec(&set, b)->src)
            t = i;
        else if (pa == link_rec(&set, b)->src && pb == link_rec(&set, a)->src) {
            t = i;
            swapped = 1;
        }
    }
    if (t < 0) {
        rc = p20w_err_set(err, P20W_ENOTFOUND,
                          "%s and %s records are not compared directly (see "
                          "docs/linkage.md for the link graph)",
                          sa, sb);
        goto out;
    }
    if (swapped) {
        uint32_t x = a;
        a = b;
        b = x;
    }
    const char *na = link_src_name(link_pair_types[t].a);
    const char *nb = link_src_name(link_pair_types[t].b);
    model md;
    memset(&md, 0, sizeof md);
    rc = load_model(st, na, nb, &md, err);
    if (rc != P20W_OK)
        goto out;
    int lv[F_COUNT];
    link_compare(&set, link_rec(&set, a), link_rec(&set, b), lv);
    fprintf(out, "%s:%s ~ %s:%s (model of linkage run %lld, %s-%s)\n", na,
            link_rec(&set, a)->key, nb, link_rec(&set, b)->key,
            (long long)md.run_id, na, nb);
    fprintf(out, "%-12s %-24s %10s %10s %9s\n", "field", "level", "m", "u",
            "weight");
    double total = 0;
    for (int f = 0; f < F_COUNT; f++) {
        if (lv[f] == LINK_MISSING) {
            fprintf(out, "%-12s %-24s %10s %10s %+9.2f\n", link_field_names[f],
                    link_level_name(f, lv[f]), "-", "-", 0.0);
            continue;
        }
        double m = md.m[f][lv[f]], u = md.u[f][lv[f]];
        double w = m > 0 && u > 0 ? log2(m / u) : 0;
        total += w;
        fprintf(out, "%-12s %-24s %10.6f %10.6f %+9.2f\n", link_field_names[f],
                link_level_name(f, lv[f]), m, u, w);
    }
    if (lv[F_LAST] == link_field_levels[F_LAST] - 1) {
        double adj = link_tf_adjust(&set, link_rec(&set, a), md.u_last_exact);
        total += adj;
        fprintf(out, "%-12s %-24s %10s %10s %+9.2f\n", "last_name",
                "surname frequency", "", "", adj);
    }
    fprintf(out, "%-12s %-24s %10s %10s %+9.2f\n", "total", "", "", "", total);
    fprintf(out,
            "threshold %.2f (a match more likely than not), review band "
            "from %.2f\n",
            md.thr, md.rev);
    const char *d =
        decision_of(st, na, link_rec(&set, a)->key, nb, link_rec(&set, b)->key);
    fprintf(out, "verdict: %s\n",
            d != NULL         ? d
            : total >= md.thr ? "links (weight at or above the threshold)"
            : total >= md.rev ? "review band (below the threshold)"
                              : "does not link");
out:
    link_set_free(&set);
    return rc;
}
