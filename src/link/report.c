/*
 * report.c — the match report of a linkage run, as text or JSON.
 *
 * It says what was compared (records per source, candidate pairs per
 * blocking pass), what the model learned (match share, m and u per field
 * level, thresholds), what was linked (links per source pair, refusals by
 * the clustering constraints, review band), what happened to the person
 * index (ids kept, new, merged, retired) and, with a synthetic truth, the
 * measured precision, recall and F1 and the match rates by group. It holds
 * counts only: no identifier of any record.
 */
#include "link/linkRun.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "util/mem.h"

static double ratio(double a, double b)
{
    return b > 0 ? a / b : 0;
}

static double f1(const link_pr *p)
{
    double pr = ratio(p->tp, p->tp + p->fp), rc = ratio(p->tp, p->tp + p->fn);
    return pr + rc > 0 ? 2 * pr * rc / (pr + rc) : 0;
}

static void write_text(const link_report *r, FILE *out)
{
    const link_set *s = &r->set;
    fprintf(out, "records:");
    for (int i = 0; i < SRC_COUNT; i++)
        fprintf(out, " %s %u%s", link_src_name((link_src)i), s->count_of[i],
                i == SRC_UI ? " wage identities" : "");
    fprintf(out,
            "\n  %zu wage rows; %llu wage rows with an invalid SSN "
            "cannot be linked\n",
            s->wage_rows.len, (unsigned long long)s->invalid_ssn_rows);
    fprintf(out, "\n%-34s %12s %10s %8s %9s %8s %8s\n", "source pair",
            "candidates", "links", "review", "threshold", "p(match)",
            "seconds");
    for (int t = 0; t < LINK_PAIR_TYPES; t++) {
        const link_type_report *tr = &r->types[t];
        if (tr->npasses == 0)
            continue;
        char name[64];
        snprintf(name, sizeof name, "%s-%s",
                 link_src_name(link_pair_types[t].a),
                 link_src_name(link_pair_types[t].b));
        fprintf(out, "%-34s %12llu %10llu %8llu %9.2f %8.4f %8.2f\n", name,
                (unsigned long long)tr->candidates,
                (unsigned long long)tr->links, (unsigned long long)tr->review,
                tr->threshold, tr->match_share, tr->total_s);
        for (int p = 0; p < tr->npasses; p++)
            fprintf(out, "    pass %-38s %12llu pairs%s\n", tr->passes[p].name,
                    (unsigned long long)tr->passes[p].pairs,
                    tr->passes[p].skipped_blocks ? " (large blocks skipped)"
                                                 : "");
        if (tr->mutual)
            fprintf(out,
                    "    %llu of the links are mutual best candidates "
                    "from the review band\n",
                    (unsigned long long)tr->mutual);
        if (tr->refused_k12 || tr->refused_ssn)
            fprintf(out,
                    "    refused by constraints: %llu two K-12 ids, "
                    "%llu two SSNs\n",
                    (unsigned long long)tr->refused_k12,
                    (unsigned long long)tr->refused_ssn);
    }
    if (r->decided_accepted || r->decided_rejected)
        fprintf(out,
                "\nreviewers' decisions applied: %llu pairs linked, %llu "
                "links refused\n",
                (unsigned long long)r->decided_accepted,
                (unsigned long long)r->decided_rejected);
    fprintf(out, "\nreview queue: %zu pairs (p20w review DB list)\n",
            r->review.len);
    fprintf(out,
            "\npersons: %llu (ids kept %llu, new %llu, merged %llu, "
            "retired %llu); %llu record links written\n",
            (unsigned long long)r->persons, (unsigned long long)r->ids_kept,
            (unsigned long long)r->ids_new, (unsigned long long)r->ids_merged,
            (unsigned long long)r->ids_retired,
            (unsigned long long)r->links_written);
    if (r->has_truth) {
        fprintf(out, "\nmeasured against the truth (pairwise):\n");
        fprintf(out, "  %-42s %10s %10s %10s\n", "", "precision", "recall",
                "F1");
        for (int i = 0; i < r->npr; i++) {
            const link_pr *p = &r->pr[i];
            fprintf(out, "  %-42s %10.4f %10.4f %10.4f\n", p->name,
                    ratio(p->tp, p->tp + p->fp), ratio(p->tp, p->tp + p->fn),
                    f1(p));
        }
        for (int e = 0; e < r->nequity; e++) {
            const link_equity *q = &r->equity[e];
            fprintf(out,
                    "\nmatch rate of truly matchable people, %s, by "
                    "race/ethnicity:\n",
                    q->what);
            double lo = 1, hi = 0;
            for (int g = 0; g < q->ngroups; g++) {
                double rate = ratio(q->matched[g], q->matchable[g]);
                fprintf(out, "  %-4s %8.0f matchable  %7.2f%% matched\n",
                        q->group[g], q->matchable[g], rate * 100);
                if (q->matchable[g] >= 100) {
                    lo = rate < lo ? rate : lo;
                    hi = rate > hi ? rate : hi;
                }
            }
            if (hi >= lo)
                fprintf(out,
                        "  largest gap between groups (n >= 100): %.2f "
                        "points\n",
                        (hi - lo) * 100);
        }
    }
    fprintf(out,
            "\ntime: load %.2f s, cluster %.2f s, write %.2f s, total "
            "%.2f s\n",
            r->load_s, r->cluster_s, r->write_s, r->total_s);
}

static json_t *to_json(const link_report *r)
{
    json_t *o = json_object();
    json_t *recs = json_object();
    for (int i = 0; i < SRC_COUNT; i++)
        json_object_set_new(recs, link_src_name((link_src)i),
                            json_integer(r->set.count_of[i]));
    json_object_set_new(o, "records", recs);
    json_object_set_new(o, "wage_rows",
                        json_integer((json_int_t)r->set.wage_rows.len));
    json_object_set_new(o, "wage_rows_invalid_ssn",
                        json_integer((json_int_t)r->set.invalid_ssn_rows));
    json_t *types = json_array();
    for (int t = 0; t < LINK_PAIR_TYPES; t++) {
        const link_type_report *tr = &r->types[t];
        if (tr->npasses == 0)
            continue;
        json_t *passes = json_array();
        for (int p = 0; p < tr->npasses; p++)
            json_array_append_new(
                passes, json_pack("{s:s, s:I, s:I}", "name", tr->passes[p].name,
                                  "pairs", (json_int_t)tr->passes[p].pairs,
                                  "skipped_blocks",
                                  (json_int_t)tr->passes[p].skipped_blocks));
        json_t *fields = json_object();
        for (int k = 0; k < F_COUNT; k++) {
            json_t *m = json_array(), *u = json_array();
            for (int l = 0; l < link_field_levels[k]; l++) {
                json_array_append_new(m, json_real(tr->m[k][l]));
                json_array_append_new(u, json_real(tr->u[k][l]));
            }
            json_object_set_new(fields, link_field_names[k],
                                json_pack("{s:o, s:o}", "m", m, "u", u));
        }
        json_t *one =
            json_pack("{s:s, s:s, s:I, s:o, s:f, s:f, s:f, s:I, s:I, s:I, "
                      "s:I, s:I, s:o, s:f}",
                      "a", link_src_name(link_pair_types[t].a), "b",
                      link_src_name(link_pair_types[t].b), "candidates",
                      (json_int_t)tr->candidates, "passes", passes, "threshold",
                      tr->threshold, "review_threshold", tr->review_threshold,
                      "match_share", tr->match_share, "links",
                      (json_int_t)tr->links, "mutual_best_links",
                      (json_int_t)tr->mutual, "review", (json_int_t)tr->review,
                      "refused_two_k12", (json_int_t)tr->refused_k12,
                      "refused_two_ssn", (json_int_t)tr->refused_ssn, "fields",
                      fields, "seconds", tr->total_s);
        json_object_set_new(one, "block_seconds", json_real(tr->block_s));
        json_object_set_new(one, "compare_seconds", json_real(tr->compare_s));
        json_array_append_new(types, one);
    }
    json_object_set_new(o, "source_pairs", types);
    json_object_set_new(o, "persons",
                        json_pack("{s:I, s:I, s:I, s:I, s:I}", "count",
                                  (json_int_t)r->persons, "ids_kept",
                                  (json_int_t)r->ids_kept, "ids_new",
                                  (json_int_t)r->ids_new, "ids_merged",
                                  (json_int_t)r->ids_merged, "ids_retired",
                                  (json_int_t)r->ids_retired));
    if (r->has_truth) {
        json_t *pr = json_array();
        for (int i = 0; i < r->npr; i++) {
            const link_pr *p = &r->pr[i];
            json_array_append_new(
                pr,
                json_pack("{s:s, s:f, s:f, s:f, s:f, s:f, s:f}", "pair",
                          p->name, "tp", p->tp, "fp", p->fp, "fn", p->fn,
                          "precision", ratio(p->tp, p->tp + p->fp), "recall",
                          ratio(p->tp, p->tp + p->fn), "f1", f1(p)));
        }
        json_object_set_new(o, "truth", pr);
        json_t *eq = json_array();
        for (int e = 0; e < r->nequity; e++) {
            const link_equity *q = &r->equity[e];
            json_t *groups = json_object();
            for (int g = 0; g < q->ngroups; g++)
                json_object_set_new(
                    groups, q->group[g],
                    json_pack("{s:f, s:f, s:f}", "matchable", q->matchable[g],
                              "matched", q->matched[g], "rate",
                              ratio(q->matched[g], q->matchable[g])));
            json_array_append_new(eq, json_pack("{s:s, s:o}", "pair", q->what,
                                                "by_race_ethnicity", groups));
        }
        json_object_set_new(o, "equity", eq);
    }
    json_object_set_new(o, "seconds",
                        json_pack("{s:f, s:f, s:f, s:f}", "load", r->load_s,
                                  "cluster", r->cluster_s, "write", r->write_s,
                                  "total", r->total_s));
    return o;
}

p20w_status link_report_write(const link_report *r, const char *format,
                              FILE *out, p20w_err *err)
{
    if (format == NULL || strcmp(format, "text") == 0) {
        write_text(r, out);
        return P20W_OK;
    }
    if (strcmp(format, "json") != 0)
        return p20w_err_set(err, P20W_EUSAGE, "unknown format '%s'", format);
    json_t *o = to_json(r);
    if (o == NULL)
        return p20w_err_set(err, P20W_ENOMEM, "out of memory");
    json_dumpf(o, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    fputc('\n', out);
    json_decref(o);
    return P20W_OK;
}

void link_report_free(link_report *r)
{
    if (r == NULL)
        return;
    link_set_free(&r->set);
    vec_free(&r->edges);
    vec_free(&r->review);
    vec_free(&r->rejected);
    hmap_free(r->decided);
    p20w_free(r->parent);
    p20w_free(r);
}
