/*
 * report.c — the submission report: built while a file is validated,
 * stored as JSON with the submission, rendered as text, JSON or CSV.
 *
 * The stored JSON is the one source of every rendering, so `p20w ingest`
 * and `p20w submissions show` print the same report. Values in issues were
 * masked before they got here (dict_mask_value), so a report never holds a
 * direct identifier.
 */
#include "ingest/ingestInt.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/csv.h"
#include "util/mem.h"

p20w_status ingest_report_new(ingest_report **out)
{
    *out = NULL;
    ingest_report *r = p20w_calloc(1, sizeof *r);
    if (r == NULL)
        return P20W_ENOMEM;
    vec_init(&r->issues, sizeof(ingest_issue));
    if (hmap_create(&r->rule_counts) != P20W_OK ||
        hmap_create(&r->flag_counts) != P20W_OK) {
        ingest_report_free(r);
        return P20W_ENOMEM;
    }
    *out = r;
    return P20W_OK;
}

void ingest_report_free(ingest_report *r)
{
    if (r == NULL)
        return;
    hmap_free(r->rule_counts);
    hmap_free(r->flag_counts);
    vec_free(&r->issues);
    p20w_free(r->file_name);
    p20w_free(r->period);
    p20w_free(r->agency);
    p20w_free(r->json);
    p20w_free(r);
}

p20w_status ingest_report_add(ingest_report *r, int severity, long line,
                              int col, const char *column, const char *rule,
                              const char *message, const char *value)
{
    if (severity == SEV_ERROR && r->issues.len >= INGEST_MAX_DETAILS) {
        r->issues_dropped++;
        return P20W_OK;
    }
    ingest_issue *is = vec_push_zero(&r->issues);
    if (is == NULL)
        return P20W_ENOMEM;
    is->severity = severity;
    is->line = line;
    is->col = col;
    is->column = column;
    is->rule = rule;
    is->message = message;
    snprintf(is->value, sizeof is->value, "%s", value ? value : "");
    return P20W_OK;
}

p20w_status ingest_report_count(ingest_report *r, const char *rule, int flag)
{
    hmap *m = flag ? r->flag_counts : r->rule_counts;
    void *v = NULL;
    uintptr_t n = hmap_get_str(m, rule, &v) ? (uintptr_t)v : 0;
    return hmap_put_str(m, rule, (void *)(n + 1));
}

static int by_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The counts as a JSON object with keys in alphabetical order, so reports
 * read the same every time. */
static json_t *counts_json(const hmap *m)
{
    json_t *o = json_object();
    size_t n = hmap_count(m), k = 0, it = 0;
    const char **keys = p20w_malloc((n ? n : 1) * sizeof *keys);
    if (o == NULL || keys == NULL) {
        p20w_free(keys);
        json_decref(o);
        return NULL;
    }
    const void *key;
    while (hmap_next(m, &it, &key, NULL, NULL))
        keys[k++] = key;
    qsort(keys, k, sizeof *keys, by_str);
    for (size_t i = 0; i < k; i++) {
        void *v = NULL;
        hmap_get_str(m, keys[i], &v);
        json_object_set_new(o, keys[i], json_integer((json_int_t)(uintptr_t)v));
    }
    p20w_free(keys);
    return o;
}

static const char *const outcome_names[] = {"accepted", "rejected", "noop"};
static const char *const severity_names[] = {"fatal", "error", "warning"};

json_t *ingest_report_to_json(const ingest_report *r)
{
    json_t *issues = json_array();
    const ingest_issue *is = r->issues.data;
    for (size_t i = 0; issues != NULL && i < r->issues.len; i++) {
        json_t *e = json_pack(
            "{s:s, s:I, s:I, s:s?, s:s, s:s, s:s}", "severity",
            severity_names[is[i].severity], "line", (json_int_t)is[i].line,
            "col", (json_int_t)is[i].col, "column", is[i].column, "rule",
            is[i].rule, "message", is[i].message, "value", is[i].value);
        json_array_append_new(issues, e);
    }
    json_t *o = json_pack(
        "{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:I, s:I, s:I, s:f, "
        "s:o, s:o, s:o, s:I}",
        "submission_id", (json_int_t)r->submission_id, "outcome",
        outcome_names[r->outcome], "source", r->x ? r->x->name : "", "file",
        r->file_name ? r->file_name : "", "period", r->period ? r->period : "",
        "agency", r->agency ? r->agency : "", "sha256", r->sha256, "rows_read",
        (json_int_t)r->rows_read, "rows_accepted", (json_int_t)r->rows_accepted,
        "rows_rejected", (json_int_t)r->rows_rejected, "bytes",
        (json_int_t)r->bytes, "elapsed_s", r->elapsed_s, "errors_by_rule",
        counts_json(r->rule_counts), "flagged_by_rule",
        counts_json(r->flag_counts), "issues", issues, "issues_not_listed",
        (json_int_t)r->issues_dropped);
    if (o == NULL)
        return NULL;
    if (r->replaced_id > 0)
        json_object_set_new(o, "replaced", json_integer(r->replaced_id));
    if (r->identical_to > 0)
        json_object_set_new(o, "identical_to", json_integer(r->identical_to));
    if (r->fatal_msg[0] != '\0')
        json_object_set_new(o, "fatal", json_string(r->fatal_msg));
    return o;
}

char *ingest_report_json(const ingest_report *r)
{
    json_t *o = ingest_report_to_json(r);
    if (o == NULL)
        return NULL;
    char *s = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    json_decref(o);
    if (s == NULL)
        return NULL;
    char *copy = p20w_strdup(s);
    free(s); /* jansson allocates with malloc */
    return copy;
}

ingest_outcome ingest_report_outcome(const ingest_report *r)
{
    return r->outcome;
}

int64_t ingest_report_submission(const ingest_report *r)
{
    return r->submission_id;
}

uint64_t ingest_report_rows_read(const ingest_report *r)
{
    return r->rows_read;
}

uint64_t ingest_report_rows_accepted(const ingest_report *r)
{
    return r->rows_accepted;
}

uint64_t ingest_report_rows_rejected(const ingest_report *r)
{
    return r->rows_rejected;
}

/* ---- rendering -------------------------------------------------------- */

static const char *jstr(const json_t *o, const char *k)
{
    const char *s = json_string_value(json_object_get(o, k));
    return s ? s : "";
}

static long long jint(const json_t *o, const char *k)
{
    return (long long)json_integer_value(json_object_get(o, k));
}

static void render_text(const json_t *o, FILE *out)
{
    const char *outcome = jstr(o, "outcome");
    fprintf(out, "submission %lld: %s %s (period %s, agency %s)\n",
            jint(o, "submission_id"), jstr(o, "source"), jstr(o, "file"),
            jstr(o, "period"), jstr(o, "agency"));
    if (strcmp(outcome, "noop") == 0) {
        fprintf(out,
                "  identical to live submission %lld (same SHA-256): "
                "nothing changed\n",
                jint(o, "identical_to"));
        return;
    }
    fprintf(out, "  %s: %lld rows read, %lld accepted, %lld rejected\n",
            strcmp(outcome, "accepted") == 0 ? "ACCEPTED" : "REJECTED",
            jint(o, "rows_read"), jint(o, "rows_accepted"),
            jint(o, "rows_rejected"));
    if (json_object_get(o, "fatal") != NULL)
        fprintf(out, "  fatal: %s — nothing was loaded\n", jstr(o, "fatal"));
    if (json_object_get(o, "replaced") != NULL)
        fprintf(out, "  replaces submission %lld (kept in history)\n",
                jint(o, "replaced"));
    const char *k;
    json_t *v;
    json_t *rules = json_object_get(o, "errors_by_rule");
    if (json_object_size(rules) > 0) {
        fprintf(out, "  errors by rule (a row may break several):\n");
        json_object_foreach(rules, k, v) fprintf(
            out, "    %-22s %lld\n", k, (long long)json_integer_value(v));
    }
    json_t *flags = json_object_get(o, "flagged_by_rule");
    if (json_object_size(flags) > 0) {
        fprintf(out, "  flagged (rows kept):\n");
        json_object_foreach(flags, k, v) fprintf(
            out, "    %-22s %lld\n", k, (long long)json_integer_value(v));
    }
    size_t i;
    json_t *e;
    json_array_foreach(json_object_get(o, "issues"), i, e)
    {
        const char *sev = jstr(e, "severity");
        const char *col = jstr(e, "column");
        long long line = jint(e, "line");
        fprintf(out, "  %s", sev);
        if (line > 0)
            fprintf(out, " line %lld", line);
        if (col[0] != '\0')
            fprintf(out, " column %s", col);
        else if (jint(e, "col") > 0)
            fprintf(out, " column %lld", jint(e, "col"));
        fprintf(out, ": %s [%s]", jstr(e, "message"), jstr(e, "rule"));
        if (jstr(e, "value")[0] != '\0')
            fprintf(out, " value \"%s\"", jstr(e, "value"));
        fputc('\n', out);
    }
    if (jint(o, "issues_not_listed") > 0)
        fprintf(out, "  ... %lld more errors not listed\n",
                jint(o, "issues_not_listed"));
}

static void render_csv(const json_t *o, FILE *out)
{
    const char *head[] = {"submission_id", "source", "severity", "line",
                          "column",        "rule",   "message",  "value"};
    csv_write_row(out, head, 8);
    char sid[32];
    snprintf(sid, sizeof sid, "%lld", jint(o, "submission_id"));
    size_t i;
    json_t *e;
    json_array_foreach(json_object_get(o, "issues"), i, e)
    {
        char line[32];
        snprintf(line, sizeof line, "%lld", jint(e, "line"));
        const char *row[] = {sid,
                             jstr(o, "source"),
                             jstr(e, "severity"),
                             jint(e, "line") > 0 ? line : "",
                             jstr(e, "column"),
                             jstr(e, "rule"),
                             jstr(e, "message"),
                             jstr(e, "value")};
        csv_write_row(out, row, 8);
    }
}

p20w_status ingest_render_report(const char *json, const char *format,
                                 FILE *out, p20w_err *err)
{
    json_error_t je;
    json_t *o = json_loads(json, 0, &je);
    if (o == NULL)
        return p20w_err_set(err, P20W_EFORMAT,
                            "stored report is not valid JSON (line %d): %s",
                            je.line, je.text);
    p20w_status rc = P20W_OK;
    if (format == NULL || strcmp(format, "text") == 0) {
        render_text(o, out);
    } else if (strcmp(format, "json") == 0) {
        json_dumpf(o, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        fputc('\n', out);
    } else if (strcmp(format, "csv") == 0) {
        render_csv(o, out);
    } else {
        rc = p20w_err_set(err, P20W_EUSAGE,
                          "unknown format '%s' (text, json or csv)", format);
    }
    json_decref(o);
    return rc;
}
