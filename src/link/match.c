/*
 * match.c — link two person files with arbitrary column names.
 *
 * Owns: the column map, reading both files into a link_set (file A in the
 * K-12 slot and file B in the postsecondary slot, so the person blocking
 * passes on birth dates, names and SSN apply and each B record keeps its
 * best link; one-to-one, B in the motor-vehicle slot, where both sides
 * do; when neither file has birth dates but both have SSNs, the
 * motor-vehicle and wage slots, whose passes block on SSN pieces), one
 * run of link_pair_type_run(), the pairs it links or queues for review,
 * and their measure against a truth column.
 *
 * Bad values are the files' problem, not the run's: a date, sex, SSN or
 * ZIP that cannot be read is a warning (file, line, column; the value is
 * never printed, it is a direct identifier) and the field is missing.
 * Malformed CSV is an error: the reader cannot say where records begin.
 * No clustering: the output is pairs, for the caller to judge.
 */
#include "link/match.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "link/linkInt.h"
#include "link/linkRun.h"
#include "link/normalize.h"
#include "util/csv.h"
#include "util/date.h"
#include "util/mem.h"

/* Warnings printed per file; the rest are only counted. */
#define MATCH_WARN_MAX 50

static const char *const field_names[MATCH_FIELD_COUNT] = {
    "first_name", "middle_name", "last_name", "birth_date",
    "sex",        "ssn",         "zip",       "address"};

static const char *const date_fmt_names[] = {
    "YYYY-MM-DD", "MM/DD/YYYY", "DD/MM/YYYY", "YYYYMMDD", "M/D/YYYY"};

/* ---- the column map ------------------------------------------------------ */

static p20w_status map_item(match_map *m, const char *item, size_t len,
                            p20w_err *err)
{
    const char *eq = NULL;
    for (size_t i = 0; i < len; i++)
        if (item[i] == '=')
            eq = item + i;
    if (eq == NULL || eq == item)
        return p20w_err_set(err, P20W_EUSAGE,
                            "--map items are COLUMN=FIELD (got '%.*s')",
                            (int)len, item);
    const char *f = eq + 1;
    size_t flen = (size_t)(item + len - f);
    const char *colon = memchr(f, ':', flen);
    size_t name_len = colon ? (size_t)(colon - f) : flen;
    int field = -1;
    for (int k = 0; k < MATCH_FIELD_COUNT; k++)
        if (strlen(field_names[k]) == name_len &&
            memcmp(field_names[k], f, name_len) == 0)
            field = k;
    if (field < 0)
        return p20w_err_set(err, P20W_EUSAGE,
                            "unknown field '%.*s' in --map (fields: "
                            "first_name, middle_name, last_name, birth_date, "
                            "sex, ssn, zip, address)",
                            (int)name_len, f);
    if (colon != NULL) {
        const char *fmt = colon + 1;
        size_t fl = (size_t)(item + len - fmt);
        int found = -1;
        for (int k = 0; field == MATCH_DOB && k < 5; k++)
            if (strlen(date_fmt_names[k]) == fl &&
                memcmp(date_fmt_names[k], fmt, fl) == 0)
                found = k;
        if (found < 0)
            return p20w_err_set(
                err, P20W_EUSAGE,
                "'%.*s': only birth_date takes a format, one of YYYY-MM-DD, "
                "MM/DD/YYYY, DD/MM/YYYY, YYYYMMDD, M/D/YYYY",
                (int)len, item);
        m->date_fmt = (match_date_fmt)found;
    }
    if (m->col[field] != NULL)
        return p20w_err_set(err, P20W_EUSAGE, "field %s is mapped twice",
                            field_names[field]);
    m->col[field] = p20w_strndup(item, (size_t)(eq - item));
    if (m->col[field] == NULL)
        return p20w_err_set(err, P20W_ENOMEM, "out of memory");
    return P20W_OK;
}

p20w_status match_map_parse(match_map *m, const char *spec, p20w_err *err)
{
    const char *p = spec;
    for (;;) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        p20w_status rc = map_item(m, p, len, err);
        if (rc != P20W_OK)
            return rc;
        if (comma == NULL)
            return P20W_OK;
        p = comma + 1;
    }
}

void match_map_free(match_map *m)
{
    if (m == NULL)
        return;
    for (int k = 0; k < MATCH_FIELD_COUNT; k++) {
        p20w_free(m->col[k]);
        m->col[k] = NULL;
    }
}

/* ---- values -------------------------------------------------------------- */

/* Reads min..max digits at s[*pos]; -1 when there are fewer than min. */
static int digits(const char *s, size_t len, size_t *pos, int min, int max)
{
    int v = 0, n = 0;
    while (*pos < len && n < max && s[*pos] >= '0' && s[*pos] <= '9') {
        v = v * 10 + (s[*pos] - '0');
        (*pos)++;
        n++;
    }
    return n >= min ? v : -1;
}

static int sep(const char *s, size_t len, size_t *pos, char c)
{
    if (*pos < len && s[*pos] == c) {
        (*pos)++;
        return 1;
    }
    return 0;
}

p20w_status match_date_parse(const char *s, size_t len, match_date_fmt fmt,
                             int32_t *days)
{
    size_t p = 0;
    int y = -1, m = -1, d = -1, ok = 0;
    switch (fmt) {
    case MATCH_DATE_ISO:
        y = digits(s, len, &p, 4, 4);
        ok = sep(s, len, &p, '-');
        m = digits(s, len, &p, 2, 2);
        ok = ok && sep(s, len, &p, '-');
        d = digits(s, len, &p, 2, 2);
        break;
    case MATCH_DATE_MDY:
    case MATCH_DATE_MDY_LOOSE: {
        int lo = fmt == MATCH_DATE_MDY ? 2 : 1;
        m = digits(s, len, &p, lo, 2);
        ok = sep(s, len, &p, '/');
        d = digits(s, len, &p, lo, 2);
        ok = ok && sep(s, len, &p, '/');
        y = digits(s, len, &p, 4, 4);
        break;
    }
    case MATCH_DATE_DMY:
        d = digits(s, len, &p, 2, 2);
        ok = sep(s, len, &p, '/');
        m = digits(s, len, &p, 2, 2);
        ok = ok && sep(s, len, &p, '/');
        y = digits(s, len, &p, 4, 4);
        break;
    case MATCH_DATE_COMPACT:
        y = digits(s, len, &p, 4, 4);
        m = digits(s, len, &p, 2, 2);
        d = digits(s, len, &p, 2, 2);
        ok = 1;
        break;
    }
    if (!ok || p != len || y < 0 || m < 0 || d < 0 || !date_is_valid(y, m, d))
        return P20W_EFORMAT;
    *days = date_from_ymd(y, m, d);
    return P20W_OK;
}

/* 'F', 'M', 'X' or 0 when the value is none of F/M/X/female/male. */
static char sex_code(const char *s, size_t len)
{
    if (len == 1) {
        char c = s[0];
        if (c == 'f' || c == 'F')
            return 'F';
        if (c == 'm' || c == 'M')
            return 'M';
        if (c == 'x' || c == 'X')
            return 'X';
        return 0;
    }
    if (len == 6 && strncasecmp(s, "female", 6) == 0)
        return 'F';
    if (len == 4 && strncasecmp(s, "male", 4) == 0)
        return 'M';
    return 0;
}

/* 1 and the first five digits when s is a ZIP, ZIP+4 or nine digits. */
static int zip5(const char *s, size_t len, char out[6])
{
    size_t p = 0;
    if (digits(s, len, &p, 5, 5) < 0)
        return 0;
    if (p < len) {
        sep(s, len, &p, '-');
        if (digits(s, len, &p, 4, 4) < 0 || p != len)
            return 0;
    }
    memcpy(out, s, 5);
    out[5] = '\0';
    return 1;
}

static void trim(const char **s, size_t *len)
{
    while (*len > 0 && (**s == ' ' || **s == '\t')) {
        (*s)++;
        (*len)--;
    }
    while (*len > 0 && ((*s)[*len - 1] == ' ' || (*s)[*len - 1] == '\t'))
        (*len)--;
}

/* ---- reading a file ------------------------------------------------------ */

typedef struct file_stats {
    char *path;
    uint64_t records;
    uint64_t problem_rows;
    uint64_t ragged;
    uint64_t bad[MATCH_FIELD_COUNT]; /* values treated as missing */
    uint64_t warned;
    int mapped[MATCH_FIELD_COUNT];
} file_stats;

struct match_result {
    link_run_state *R;
    int type; /* index into link_pair_types */
    file_stats f[2];
    vec truth; /* const char * per record, with a truth column */
    int has_truth;
    double true_pairs, linked_true, links;
};

typedef struct reader_ctx {
    match_result *res;
    const match_options *o;
    file_stats *fs;
    link_src src;
} reader_ctx;

static void warn(reader_ctx *c, long line, long col, const char *what)
{
    c->fs->warned++;
    if (c->o->warnings == NULL)
        return;
    if (c->fs->warned <= MATCH_WARN_MAX && col > 0)
        fprintf(c->o->warnings,
                "%s:%ld:%ld: warning: %s (treated as missing)\n", c->fs->path,
                line, col, what);
    else if (c->fs->warned <= MATCH_WARN_MAX)
        fprintf(c->o->warnings, "%s:%ld: warning: %s\n", c->fs->path, line,
                what);
    else if (c->fs->warned == MATCH_WARN_MAX + 1)
        fprintf(c->o->warnings, "%s: further warnings are only counted\n",
                c->fs->path);
}

static const char *norm_name(link_set *set, const csv_field *f)
{
    char buf[LINK_NAME_MAX];
    if (f == NULL || f->len == 0 ||
        link_name_norm(f->ptr, f->len, buf) != P20W_OK || buf[0] == '\0')
        return "";
    return arena_strndup(set->strings, buf, strlen(buf));
}

/* Fills the non-name fields of r; returns how many values were bad. */
static int fill_values(reader_ctx *c, const match_map *m, lrec *r,
                       const csv_field *fv[MATCH_FIELD_COUNT], long line,
                       const int col[MATCH_FIELD_COUNT])
{
    int bad = 0;
    for (int k = MATCH_DOB; k <= MATCH_ZIP; k++) {
        if (fv[k] == NULL)
            continue;
        const char *s = fv[k]->ptr;
        size_t len = fv[k]->len;
        trim(&s, &len);
        if (len == 0)
            continue;
        const char *problem = NULL;
        char ssn[10];
        int32_t d;
        switch (k) {
        case MATCH_DOB:
            if (match_date_parse(s, len, m->date_fmt, &d) == P20W_OK)
                r->dob = d;
            else
                problem = "birth_date is not a valid date in the mapped format";
            break;
        case MATCH_SEX:
            r->sex = sex_code(s, len);
            if (r->sex == 0)
                problem = "sex is not F, M, X, female or male";
            break;
        case MATCH_SSN:
            if (!link_ssn_digits(s, len, ssn))
                problem = "ssn is not 9 digits";
            else if (!link_ssn_valid(ssn))
                problem = "ssn is not a valid SSN (area, group or serial)";
            else
                memcpy(r->ssn, ssn, sizeof ssn);
            break;
        default:
            if (!zip5(s, len, r->zip))
                problem = "zip is not a 5-digit ZIP or ZIP+4";
            break;
        }
        if (problem != NULL) {
            warn(c, line, col[k] + 1, problem);
            c->fs->bad[k]++;
            bad++;
        }
    }
    return bad;
}

static p20w_status read_row(reader_ctx *c, const match_map *m,
                            const int col[MATCH_FIELD_COUNT], int truth_col,
                            size_t ncols, const csv_field *f, size_t n,
                            long line, p20w_err *err)
{
    link_set *set = &c->res->R->set;
    const csv_field *fv[MATCH_FIELD_COUNT];
    for (int k = 0; k < MATCH_FIELD_COUNT; k++)
        fv[k] = col[k] >= 0 && (size_t)col[k] < n ? &f[col[k]] : NULL;
    int problems = 0;
    if (n != ncols) {
        char what[96];
        snprintf(what, sizeof what, "row has %zu fields, the header %zu (%s)",
                 n, ncols,
                 n < ncols ? "absent fields are missing" : "extra ignored");
        warn(c, line, 0, what);
        c->fs->ragged++;
        problems++;
    }
    lrec *r = vec_push_zero(&set->recs);
    if (r == NULL)
        return p20w_err_set(err, P20W_ENOMEM, "out of memory");
    c->fs->records++;
    char key[24];
    snprintf(key, sizeof key, "%llu", (unsigned long long)c->fs->records);
    r->key = arena_strndup(set->strings, key, strlen(key));
    r->src = (uint8_t)c->src;
    r->rows = 1;
    r->dob = DOB_MISSING;
    r->first = norm_name(set, fv[MATCH_FIRST]);
    r->middle = norm_name(set, fv[MATCH_MIDDLE]);
    r->last = norm_name(set, fv[MATCH_LAST]);
    problems += fill_values(c, m, r, fv, line, col);
    if (problems > 0)
        c->fs->problem_rows++;
    if (r->key == NULL || r->first == NULL || r->middle == NULL ||
        r->last == NULL || link_rec_finish(set, r) != P20W_OK)
        return p20w_err_set(err, P20W_ENOMEM, "out of memory");
    if (truth_col < 0)
        return P20W_OK;
    const char *t = "";
    if ((size_t)truth_col < n && f[truth_col].len > 0)
        t = arena_strndup(set->strings, f[truth_col].ptr, f[truth_col].len);
    if (t == NULL || vec_push(&c->res->truth, &t) != P20W_OK)
        return p20w_err_set(err, P20W_ENOMEM, "out of memory");
    return P20W_OK;
}

static int find_col(const csv_field *f, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (f[i].len == strlen(name) && memcmp(f[i].ptr, name, f[i].len) == 0)
            return (int)i;
    return -1;
}

static p20w_status read_header(reader_ctx *c, const match_map *m,
                               const csv_field *f, size_t n,
                               int col[MATCH_FIELD_COUNT], int *truth_col,
                               p20w_err *err)
{
    for (int k = 0; k < MATCH_FIELD_COUNT; k++) {
        col[k] = -1;
        if (m->col[k] == NULL)
            continue;
        col[k] = find_col(f, n, m->col[k]);
        c->fs->mapped[k] = 1;
        if (col[k] < 0) {
            p20w_err_set(err, P20W_EFORMAT,
                         "column '%s' (mapped to %s) is not in the header",
                         m->col[k], field_names[k]);
            p20w_err_at(err, c->fs->path, 1, 0);
            return P20W_EFORMAT;
        }
    }
    if (m->col[MATCH_ADDRESS] != NULL)
        col[MATCH_ADDRESS] = -1; /* accepted, not compared yet */
    *truth_col = -1;
    if (c->o->truth_col != NULL) {
        *truth_col = find_col(f, n, c->o->truth_col);
        if (*truth_col < 0) {
            p20w_err_set(err, P20W_EFORMAT,
                         "truth column '%s' is not in the header",
                         c->o->truth_col);
            p20w_err_at(err, c->fs->path, 1, 0);
            return P20W_EFORMAT;
        }
    }
    return P20W_OK;
}

static p20w_status read_file(reader_ctx *c, const char *path,
                             const match_map *m, p20w_err *err)
{
    link_set *set = &c->res->R->set;
    csv_reader *rd = NULL;
    const csv_field *f = NULL;
    size_t n = 0, ncols;
    int col[MATCH_FIELD_COUNT], truth_col = -1;
    c->fs->path = p20w_strdup(path);
    if (c->fs->path == NULL)
        return p20w_err_set(err, P20W_ENOMEM, "out of memory");
    set->first_of[c->src] = (uint32_t)set->recs.len;
    p20w_status rc = csv_reader_open_file(path, NULL, &rd, err);
    if (rc == P20W_OK)
        rc = csv_read(rd, &f, &n, err);
    if (rc == P20W_OK && n == 0) {
        rc = p20w_err_set(err, P20W_EFORMAT, "empty file: no header");
        p20w_err_at(err, path, 0, 0);
    }
    if (rc == P20W_OK)
        rc = read_header(c, m, f, n, col, &truth_col, err);
    ncols = n;
    while (rc == P20W_OK) {
        rc = csv_read(rd, &f, &n, err);
        if (rc != P20W_OK || n == 0)
            break;
        if (set->recs.len >= UINT32_MAX - 1) {
            rc = p20w_err_set(err, P20W_ELIMIT, "too many records");
            break;
        }
        rc = read_row(c, m, col, truth_col, ncols, f, n, csv_reader_line(rd),
                      err);
    }
    csv_reader_close(rd);
    set->count_of[c->src] = (uint32_t)set->recs.len - set->first_of[c->src];
    return rc;
}

/* ---- the run ------------------------------------------------------------- */

static p20w_status count_surnames(link_set *set)
{
    p20w_status rc = hmap_create(&set->surname_freq);
    for (uint32_t i = 0; rc == P20W_OK && i < set->recs.len; i++) {
        const lrec *r = link_rec(set, i);
        if (r->last_sq[0] == '\0')
            continue;
        void *v = NULL;
        uintptr_t n =
            hmap_get_str(set->surname_freq, r->last_sq, &v) ? (uintptr_t)v : 0;
        rc = hmap_put_str(set->surname_freq, r->last_sq, (void *)(n + 1));
        set->surname_total++;
    }
    return rc;
}

/* Pairwise truth: the true pairs are Σ over ids of countA(id)·countB(id);
 * a link is true when both records carry the same non-empty id. */
static p20w_status measure(match_result *res, link_src sa, link_src sb)
{
    const link_set *set = &res->R->set;
    const char **t = res->truth.data;
    hmap *count = NULL;
    p20w_status rc = hmap_create(&count);
    for (uint32_t i = 0; rc == P20W_OK && i < set->count_of[sa]; i++) {
        const char *id = t[set->first_of[sa] + i];
        void *v = NULL;
        if (id[0] == '\0')
            continue;
        uintptr_t n = hmap_get_str(count, id, &v) ? (uintptr_t)v : 0;
        rc = hmap_put_str(count, id, (void *)(n + 1));
    }
    for (uint32_t i = 0; rc == P20W_OK && i < set->count_of[sb]; i++) {
        const char *id = t[set->first_of[sb] + i];
        void *v = NULL;
        if (id[0] != '\0' && hmap_get_str(count, id, &v))
            res->true_pairs += (double)(uintptr_t)v;
    }
    hmap_free(count);
    const link_edge *e = res->R->edges.data;
    res->links = (double)res->R->edges.len;
    for (size_t i = 0; i < res->R->edges.len; i++)
        if (t[e[i].a][0] != '\0' && strcmp(t[e[i].a], t[e[i].b]) == 0)
            res->linked_true += 1;
    res->has_truth = 1;
    return rc == P20W_OK ? P20W_OK : P20W_ENOMEM;
}

static p20w_status run_init(match_result *res, const match_options *o,
                            p20w_err *err)
{
    vec_init(&res->truth, sizeof(const char *));
    link_run_state *R = p20w_calloc(1, sizeof *R);
    if (R == NULL)
        return p20w_err_set(err, P20W_ENOMEM, "out of memory");
    res->R = R;
    link_options_init(&R->opts);
    R->opts.data_dir = o->data_dir;
    if (o->threads > 0)
        R->opts.threads = o->threads;
    vec_init(&R->edges, sizeof(link_edge));
    vec_init(&R->review, sizeof(link_edge));
    vec_init(&R->rejected, sizeof(lpair));
    vec_init(&R->set.recs, sizeof(lrec));
    vec_init(&R->set.wage_rows, sizeof(wage_row));
    if (arena_create(1 << 20, &R->set.strings) != P20W_OK)
        return p20w_err_set(err, P20W_ENOMEM, "out of memory");
    char path[4096];
    snprintf(path, sizeof path, "%s/nicknames.csv", o->data_dir);
    return link_nicknames_load(path, &R->set.nick, err);
}

p20w_status match_run(const char *path_a, const char *path_b,
                      const match_options *o, match_result **out, p20w_err *err)
{
    *out = NULL;
    match_result *res = p20w_calloc(1, sizeof *res);
    if (res == NULL)
        return p20w_err_set(err, P20W_ENOMEM, "out of memory");
    p20w_status rc = run_init(res, o, err);
    /* SSN passes only when birth dates cannot block at all. */
    int ssn_only =
        o->map_a->col[MATCH_DOB] == NULL && o->map_b->col[MATCH_DOB] == NULL &&
        o->map_a->col[MATCH_SSN] != NULL && o->map_b->col[MATCH_SSN] != NULL;
    link_src sa = ssn_only ? SRC_DMV : SRC_K12;
    link_src sb = ssn_only ? SRC_UI : o->one_to_one ? SRC_DMV : SRC_PS;
    if (rc == P20W_OK && ssn_only && o->one_to_one)
        rc = p20w_err_set(err, P20W_EUSAGE,
                          "--one-to-one needs birth dates: without them the "
                          "SSN passes pair many-to-one");
    res->type = -1;
    for (int t = 0; t < LINK_PAIR_TYPES; t++)
        if (link_pair_types[t].a == sa && link_pair_types[t].b == sb)
            res->type = t;
    reader_ctx ca = {res, o, &res->f[0], sa}, cb = {res, o, &res->f[1], sb};
    if (rc != P20W_OK)
        goto out;
    rc = read_file(&ca, path_a, o->map_a, err);
    if (rc == P20W_OK)
        rc = read_file(&cb, path_b, o->map_b, err);
    link_set *set = &res->R->set;
    if (rc == P20W_OK && count_surnames(set) != P20W_OK)
        rc = p20w_err_set(err, P20W_ENOMEM, "out of memory");
    if (rc == P20W_OK && set->count_of[sa] > 0 && set->count_of[sb] > 0)
        rc = link_pair_type_run(res->R, res->type, err);
    if (rc == P20W_OK && o->truth_col != NULL &&
        measure(res, sa, sb) != P20W_OK)
        rc = p20w_err_set(err, P20W_ENOMEM, "out of memory");
out:
    if (rc != P20W_OK) {
        match_result_free(res);
        return rc;
    }
    *out = res;
    return P20W_OK;
}

void match_result_free(match_result *r)
{
    if (r == NULL)
        return;
    link_report_free(r->R);
    vec_free(&r->truth);
    p20w_free(r->f[0].path);
    p20w_free(r->f[1].path);
    p20w_free(r);
}

/* ---- output -------------------------------------------------------------- */

typedef struct out_pair {
    uint32_t a_row, b_row;
    float w;
    int link;
} out_pair;

static int by_rows(const void *x, const void *y)
{
    const out_pair *a = x, *b = y;
    if (a->a_row != b->a_row)
        return a->a_row < b->a_row ? -1 : 1;
    return a->b_row < b->b_row ? -1 : a->b_row > b->b_row;
}

p20w_status match_write_pairs(const match_result *r, FILE *out, p20w_err *err)
{
    const link_run_state *R = r->R;
    const link_pair_type *pt = &link_pair_types[r->type];
    size_t n = R->edges.len + R->review.len;
    out_pair *p = p20w_malloc((n ? n : 1) * sizeof *p);
    if (p == NULL)
        return p20w_err_set(err, P20W_ENOMEM, "out of memory");
    const vec *src[2] = {&R->edges, &R->review};
    size_t k = 0;
    for (int s = 0; s < 2; s++) {
        const link_edge *e = src[s]->data;
        for (size_t i = 0; i < src[s]->len; i++)
            p[k++] =
                (out_pair){e[i].a - R->set.first_of[pt->a] + 1,
                           e[i].b - R->set.first_of[pt->b] + 1, e[i].w, s == 0};
    }
    qsort(p, n, sizeof *p, by_rows);
    fputs("a_row,b_row,weight,decision\n", out);
    for (size_t i = 0; i < n; i++)
        fprintf(out, "%u,%u,%.3f,%s\n", p[i].a_row, p[i].b_row, (double)p[i].w,
                p[i].link ? "link" : "review");
    p20w_free(p);
    if (fflush(out) != 0 || ferror(out))
        return p20w_err_set(err, P20W_EIO, "cannot write the pairs");
    return P20W_OK;
}

int match_quality(const match_result *r, double *precision, double *recall,
                  double *f1)
{
    if (!r->has_truth)
        return 0;
    *precision = r->links > 0 ? r->linked_true / r->links : 0;
    *recall = r->true_pairs > 0 ? r->linked_true / r->true_pairs : 0;
    *f1 = *precision + *recall > 0
              ? 2 * *precision * *recall / (*precision + *recall)
              : 0;
    return 1;
}

static const int warn_fields[] = {MATCH_DOB, MATCH_SEX, MATCH_SSN, MATCH_ZIP};

static void text_file(const file_stats *f, const char *side, FILE *out)
{
    fprintf(out, "file %s: %s: %llu records, %llu rows with problems\n", side,
            f->path, (unsigned long long)f->records,
            (unsigned long long)f->problem_rows);
    fprintf(out, "  values treated as missing:");
    for (size_t i = 0; i < sizeof warn_fields / sizeof warn_fields[0]; i++)
        fprintf(out, " %s %llu", field_names[warn_fields[i]],
                (unsigned long long)f->bad[warn_fields[i]]);
    fprintf(out, "; ragged rows %llu\n", (unsigned long long)f->ragged);
    if (f->mapped[MATCH_ADDRESS])
        fprintf(out, "  address: mapped but not compared (not supported "
                     "yet)\n");
}

static void write_text(const match_result *r, FILE *out)
{
    const link_type_report *tr = &r->R->types[r->type];
    const link_pair_type *pt = &link_pair_types[r->type];
    text_file(&r->f[0], "A", out);
    text_file(&r->f[1], "B", out);
    fprintf(out, "blocking: %s\n",
            pt->b == SRC_UI ? "SSN and its pieces (no birth dates)"
                            : "birth date, name phonetics, SSN");
    fprintf(out, "candidate pairs: %llu\n", (unsigned long long)tr->candidates);
    fprintf(out, "links: %zu\n", r->R->edges.len);
    fprintf(out, "review pairs: %zu\n", r->R->review.len);
    if (tr->candidates > 0)
        fprintf(out, "threshold: %.2f (review band from %.2f)\n", tr->threshold,
                tr->review_threshold);
    else
        fprintf(out, "threshold: none (no candidate pairs)\n");
    double p, rc, f1;
    if (match_quality(r, &p, &rc, &f1))
        fprintf(out,
                "truth: %.0f true pairs, %.0f of %.0f links true\n"
                "precision %.4f recall %.4f f1 %.4f\n",
                r->true_pairs, r->linked_true, r->links, p, rc, f1);
}

static json_t *json_file(const file_stats *f)
{
    json_t *o = json_object(), *bad = json_object();
    json_object_set_new(o, "path", json_string(f->path));
    json_object_set_new(o, "records", json_integer((json_int_t)f->records));
    json_object_set_new(o, "problem_rows",
                        json_integer((json_int_t)f->problem_rows));
    json_object_set_new(o, "ragged_rows", json_integer((json_int_t)f->ragged));
    for (size_t i = 0; i < sizeof warn_fields / sizeof warn_fields[0]; i++)
        json_object_set_new(bad, field_names[warn_fields[i]],
                            json_integer((json_int_t)f->bad[warn_fields[i]]));
    json_object_set_new(o, "missing_bad", bad);
    json_object_set_new(o, "address_compared", json_false());
    return o;
}

static p20w_status write_json(const match_result *r, FILE *out, p20w_err *err)
{
    const link_type_report *tr = &r->R->types[r->type];
    json_t *o = json_object();
    if (o == NULL)
        return p20w_err_set(err, P20W_ENOMEM, "out of memory");
    json_object_set_new(o, "a", json_file(&r->f[0]));
    json_object_set_new(o, "b", json_file(&r->f[1]));
    json_object_set_new(o, "candidates",
                        json_integer((json_int_t)tr->candidates));
    json_object_set_new(o, "links", json_integer((json_int_t)r->R->edges.len));
    json_object_set_new(o, "review",
                        json_integer((json_int_t)r->R->review.len));
    json_object_set_new(o, "threshold",
                        tr->candidates > 0 ? json_real(tr->threshold)
                                           : json_null());
    json_object_set_new(o, "review_threshold",
                        tr->candidates > 0 ? json_real(tr->review_threshold)
                                           : json_null());
    double p, rc, f1;
    if (match_quality(r, &p, &rc, &f1)) {
        json_t *q = json_object();
        json_object_set_new(q, "true_pairs", json_real(r->true_pairs));
        json_object_set_new(q, "true_links", json_real(r->linked_true));
        json_object_set_new(q, "precision", json_real(p));
        json_object_set_new(q, "recall", json_real(rc));
        json_object_set_new(q, "f1", json_real(f1));
        json_object_set_new(o, "truth", q);
    }
    int bad = json_dumpf(o, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    json_decref(o);
    fputc('\n', out);
    if (bad != 0 || fflush(out) != 0 || ferror(out))
        return p20w_err_set(err, P20W_EIO, "cannot write the summary");
    return P20W_OK;
}

p20w_status match_write_summary(const match_result *r, const char *format,
                                FILE *out, p20w_err *err)
{
    if (strcmp(format, "json") == 0)
        return write_json(r, out, err);
    if (strcmp(format, "text") != 0)
        return p20w_err_set(err, P20W_EUSAGE, "--format is text or json");
    write_text(r, out);
    if (fflush(out) != 0 || ferror(out))
        return p20w_err_set(err, P20W_EIO, "cannot write the summary");
    return P20W_OK;
}
