/*
 * load.c — one submission: hash, header, rows, staging, vault, report, in
 * one transaction.
 *
 * Flow of ingest_file():
 *   1. SHA-256 of the file. Identical to the live submission of the same
 *      source and period → no-op, nothing parsed.
 *   2. BEGIN. A placeholder submission row (status 'rejected') gives the id
 *      staging rows point to.
 *   3. The header is mapped to the dictionary's columns; a missing required
 *      column, an unknown one (without allow_extra_columns) or a duplicate
 *      is fatal.
 *   4. Each record: every field trimmed, NFC-normalised and checked
 *      (dict_check_value), then the row-local rules (LE, age), uniqueness
 *      within the file, references to other extracts. A row with any error
 *      is rejected and each error listed; otherwise its non-identifying
 *      columns go to stg_<source> and its direct identifiers to
 *      identity_vault.
 *   5. A fatal error (CSV error, invalid UTF-8, rejected share over the
 *      threshold) rolls everything back; the rejection is then recorded in
 *      a transaction of its own. Otherwise the live submission of the same
 *      source and period is marked replaced, the new one accepted, its
 *      issues and report stored, COMMIT.
 *
 * Staging columns are discovered from the staging table itself (SELECT *
 * ... WHERE 0), so the schema is the one place they are declared: every
 * staging column but submission_id, line and record_key must be a column
 * of the extract (wages_cents holds ui_wages.wages in cents).
 */
#include "ingest/ingestInt.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <utf8proc.h>

#include "link/normalize.h"
#include "util/csv.h"
#include "util/date.h"
#include "util/log.h"
#include "util/mem.h"
#include "util/progress.h"
#include "util/sbuf.h"

#define MAX_COLS 64

void ingest_options_init(ingest_options *o)
{
    memset(o, 0, sizeof *o);
    o->max_reject_share = 0.05;
    o->yoy_threshold = 0.30;
}

/* ---- small helpers ---------------------------------------------------- */

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static const char *base_name(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

static p20w_status file_sha256(const char *path, char hex[65], uint64_t *bytes,
                               p20w_err *err)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return p20w_err_set(err, P20W_EIO, "cannot open %s: %s", path,
                            strerror(errno));
    crypto_hash_sha256_state h;
    crypto_hash_sha256_init(&h);
    unsigned char buf[1 << 16];
    size_t n;
    *bytes = 0;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0) {
        crypto_hash_sha256_update(&h, buf, n);
        *bytes += n;
    }
    int bad = ferror(f);
    fclose(f);
    if (bad)
        return p20w_err_set(err, P20W_EIO, "cannot read %s", path);
    unsigned char md[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_final(&h, md);
    sodium_bin2hex(hex, 65, md, sizeof md);
    return P20W_OK;
}

/* Rule ids (stable strings used in reports and tests). */
static const char *check_rule(dict_check c)
{
    switch (c) {
    case DICT_E_MISSING:
        return "required";
    case DICT_E_TOO_LONG:
        return "too_long";
    case DICT_E_TOO_SHORT:
        return "too_short";
    case DICT_E_ENCODING:
        return "encoding";
    case DICT_E_NAME_CHARS:
        return "name_chars";
    case DICT_E_INT:
        return "integer";
    case DICT_E_DECIMAL:
        return "decimal";
    case DICT_E_RANGE:
        return "range";
    case DICT_E_DATE:
        return "date";
    case DICT_E_YN:
        return "yes_no";
    case DICT_E_QUARTER:
        return "quarter";
    case DICT_E_TERM:
        return "term";
    case DICT_E_SSN_FORMAT:
        return "ssn_format";
    case DICT_E_SSN_INVALID:
        return "ssn_invalid";
    case DICT_E_ZIP:
        return "zip";
    case DICT_E_FORMAT:
        return "format";
    case DICT_E_CODE:
        return "code";
    case DICT_E_SCED_NOT_CTE:
        return "sced_not_cte";
    case DICT_E_NO_CODESET:
        return "codeset_missing";
    case DICT_E_AGE:
        return "age";
    case DICT_E_ORDER:
        return "order";
    default:
        return "invalid";
    }
}

/* ---- the load state --------------------------------------------------- */

/* Where a staging or vault column's value comes from. */
typedef struct bind_src {
    int dict_col; /* index into x->columns, or -1 */
    int kind;     /* BIND_* */
} bind_src;

enum {
    BIND_VALUE,      /* the field, typed by its dictionary type */
    BIND_CENTS,      /* a decimal dollar amount as integer cents */
    BIND_RECORD_KEY, /* the record key */
    BIND_SSN_VALID   /* 1/0 for the ssn column, NULL when no ssn */
};

typedef struct load {
    store *st;
    const codeset_registry *reg;
    const ingest_options *o;
    const dict_extract *x;
    ingest_report *r;
    p20w_err *err;
    int current_year;
    int64_t sid;
    /* header: csv index of each dictionary column, -1 when absent */
    int csv_of[MAX_COLS];
    size_t ncsv;
    /* staging and vault inserts */
    store_stmt *stg;
    bind_src stg_src[MAX_COLS];
    int stg_n;
    store_stmt *vault;
    bind_src vault_src[16];
    int vault_n;
    int has_vault;
    /* per-row normalised values */
    char *val[MAX_COLS];
    size_t len[MAX_COLS];
    char *owned[MAX_COLS]; /* NFC copies to free */
    int ssn_ok;            /* -1 no ssn, 0 invalid, 1 valid */
    char ssn9[10];
    char record_key[160];
    /* cross-row state */
    hmap *unique[4];
    const dict_rule *unique_rule[4];
    int nunique;
    hmap *refs[4];
    const dict_rule *ref_rule[4];
    int nrefs;
    hmap *entity_counts; /* yoy: entity -> count */
    int entity_col;
} load;

static int col_index(const dict_extract *x, const char *name)
{
    for (size_t i = 0; i < x->ncolumns; i++)
        if (strcasecmp(x->columns[i].name, name) == 0)
            return (int)i;
    return -1;
}

/* Maps the header; fatal problems go to the report. Returns P20W_EINVAL
 * for a fatal header problem. */
static p20w_status map_header(load *L, const csv_field *f, size_t nf)
{
    const dict_extract *x = L->x;
    for (size_t i = 0; i < x->ncolumns; i++)
        L->csv_of[i] = -1;
    L->ncsv = nf;
    int fatal = 0;
    for (size_t j = 0; j < nf; j++) {
        char name[128];
        size_t n = f[j].len < sizeof name - 1 ? f[j].len : sizeof name - 1;
        memcpy(name, f[j].ptr, n);
        name[n] = '\0';
        /* trim */
        char *s = name;
        while (*s == ' ' || *s == '\t')
            s++;
        size_t e = strlen(s);
        while (e > 0 && (s[e - 1] == ' ' || s[e - 1] == '\t'))
            s[--e] = '\0';
        int c = col_index(x, s);
        if (c < 0) {
            if (!L->o->allow_extra_columns) {
                ingest_report_add(L->r, SEV_FATAL, 1, (int)j + 1, NULL,
                                  "header", "unknown column", s);
                fatal = 1;
            }
            continue;
        }
        if (L->csv_of[c] >= 0) {
            ingest_report_add(L->r, SEV_FATAL, 1, (int)j + 1,
                              x->columns[c].name, "header",
                              "column appears twice", "");
            fatal = 1;
            continue;
        }
        L->csv_of[c] = (int)j;
    }
    for (size_t i = 0; i < x->ncolumns; i++) {
        if (L->csv_of[i] >= 0)
            continue;
        if (x->columns[i].required) {
            ingest_report_add(L->r, SEV_FATAL, 1, 0, x->columns[i].name,
                              "header", "required column missing", "");
            fatal = 1;
        } else {
            ingest_report_add(L->r, SEV_WARNING, 1, 0, x->columns[i].name,
                              "header_optional_absent",
                              "optional column absent; read as empty", "");
        }
    }
    if (fatal) {
        snprintf(L->r->fatal_msg, sizeof L->r->fatal_msg,
                 "the header does not match %s (see the issues)", x->file);
        return P20W_EINVAL;
    }
    return P20W_OK;
}

/* The extracts whose rows carry direct identifiers get a record key and a
 * vault row. */
static int is_person_source(const dict_extract *x)
{
    for (size_t i = 0; i < x->ncolumns; i++)
        if (x->columns[i].sens == DICT_SENS_D)
            return 1;
    return 0;
}

static p20w_status prepare_staging(load *L)
{
    p20w_status rc;
    char sql[2048];
    snprintf(sql, sizeof sql, "SELECT * FROM stg_%s WHERE 0", L->x->name);
    store_stmt *probe = NULL;
    rc = store_prepare(L->st, sql, &probe, L->err);
    if (rc != P20W_OK)
        return rc;
    int row;
    rc = store_step(probe, &row, L->err);
    int n = store_column_count(probe);
    sbuf cols, qs;
    sbuf_init(&cols, 0);
    sbuf_init(&qs, 0);
    L->stg_n = 0;
    for (int i = 0; rc == P20W_OK && i < n && L->stg_n < MAX_COLS; i++) {
        const char *name = store_column_name(probe, i);
        bind_src b = {-1, BIND_VALUE};
        if (strcmp(name, "submission_id") == 0 || strcmp(name, "line") == 0)
            continue;
        if (strcmp(name, "record_key") == 0) {
            b.kind = BIND_RECORD_KEY;
        } else if (strcmp(name, "wages_cents") == 0) {
            b.dict_col = col_index(L->x, "wages");
            b.kind = BIND_CENTS;
        } else {
            b.dict_col = col_index(L->x, name);
        }
        if (b.kind != BIND_RECORD_KEY && b.dict_col < 0) {
            rc = p20w_err_set(L->err, P20W_EINTERNAL,
                              "staging column stg_%s.%s is not in the "
                              "dictionary",
                              L->x->name, name);
            break;
        }
        L->stg_src[L->stg_n++] = b;
        if (sbuf_printf(&cols, ", %s", name) != P20W_OK ||
            sbuf_puts(&qs, ", ?") != P20W_OK)
            rc = p20w_err_set(L->err, P20W_ENOMEM, "out of memory");
    }
    store_finalize(probe);
    if (rc == P20W_OK) {
        snprintf(sql, sizeof sql,
                 "INSERT INTO stg_%s (submission_id, line%s) VALUES (?, ?%s)",
                 L->x->name, sbuf_cstr(&cols), sbuf_cstr(&qs));
        rc = store_prepare(L->st, sql, &L->stg, L->err);
    }
    sbuf_free(&cols);
    sbuf_free(&qs);
    return rc;
}

/* The identity vault's identifier columns, filled from the extract's
 * columns of the same name when it has them. */
static const char *const vault_cols[] = {
    "first_name", "middle_name", "last_name", "name_suffix", "birth_date",
    "sex",        "ssn",         "zip",       "dmv_id"};

static p20w_status prepare_vault(load *L)
{
    L->has_vault = is_person_source(L->x);
    if (!L->has_vault)
        return P20W_OK;
    sbuf cols, qs;
    sbuf_init(&cols, 0);
    sbuf_init(&qs, 0);
    p20w_status rc = P20W_OK;
    L->vault_n = 0;
    for (size_t i = 0; i < sizeof vault_cols / sizeof vault_cols[0]; i++) {
        int c = col_index(L->x, vault_cols[i]);
        if (c < 0)
            continue;
        L->vault_src[L->vault_n++] = (bind_src){c, BIND_VALUE};
        if (sbuf_printf(&cols, ", %s", vault_cols[i]) != P20W_OK ||
            sbuf_puts(&qs, ", ?") != P20W_OK)
            rc = P20W_ENOMEM;
        if (strcmp(vault_cols[i], "ssn") == 0) {
            L->vault_src[L->vault_n++] = (bind_src){c, BIND_SSN_VALID};
            if (sbuf_puts(&cols, ", ssn_valid") != P20W_OK ||
                sbuf_puts(&qs, ", ?") != P20W_OK)
                rc = P20W_ENOMEM;
        }
    }
    if (rc == P20W_OK) {
        char sql[1024];
        snprintf(sql, sizeof sql,
                 "INSERT INTO identity_vault (source, submission_id, line, "
                 "record_key%s) VALUES (?, ?, ?, ?%s)",
                 sbuf_cstr(&cols), sbuf_cstr(&qs));
        rc = store_prepare(L->st, sql, &L->vault, L->err);
    } else {
        p20w_err_set(L->err, rc, "out of memory");
    }
    sbuf_free(&cols);
    sbuf_free(&qs);
    return rc;
}

/* Trims and NFC-normalises field j into L->val/len. */
static p20w_status take_field(load *L, int c, const csv_field *f, size_t nf)
{
    int j = L->csv_of[c];
    L->owned[c] = NULL;
    if (j < 0 || (size_t)j >= nf) {
        L->val[c] = (char *)"";
        L->len[c] = 0;
        return P20W_OK;
    }
    const char *p = f[j].ptr;
    size_t n = f[j].len;
    while (n > 0 && (*p == ' ' || *p == '\t')) {
        p++;
        n--;
    }
    while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t'))
        n--;
    int ascii = 1;
    for (size_t i = 0; i < n && ascii; i++)
        ascii = (unsigned char)p[i] < 0x80;
    if (!ascii && memchr(p, '\0', n) == NULL) {
        /* utf8proc needs a NUL-terminated string: the field is (csv.h),
         * but trimming may have moved its end. */
        char *tmp = p20w_strndup(p, n);
        if (tmp == NULL)
            return P20W_ENOMEM;
        utf8proc_uint8_t *nfc = utf8proc_NFC((const utf8proc_uint8_t *)tmp);
        p20w_free(tmp);
        if (nfc != NULL) {
            L->owned[c] = (char *)nfc;
            L->val[c] = (char *)nfc;
            L->len[c] = strlen((char *)nfc);
            return P20W_OK;
        }
    }
    /* Point into the reader's buffer: it is NUL-terminated at the field's
     * end, and a trimmed end is bound by length, never read as a string. */
    L->val[c] = (char *)p;
    L->len[c] = n;
    return P20W_OK;
}

static void free_owned(load *L)
{
    for (size_t c = 0; c < L->x->ncolumns; c++) {
        free(L->owned[c]); /* utf8proc allocates with malloc */
        L->owned[c] = NULL;
    }
}

static p20w_status row_error(load *L, long line, int c, const char *rule,
                             const char *message)
{
    char masked[INGEST_VALUE_MAX] = "";
    const dict_column *col = c >= 0 ? &L->x->columns[c] : NULL;
    if (col != NULL)
        dict_mask_value(col, L->val[c], L->len[c], masked, sizeof masked);
    int csvcol = c >= 0 && L->csv_of[c] >= 0 ? L->csv_of[c] + 1 : 0;
    p20w_status rc =
        ingest_report_add(L->r, SEV_ERROR, line, csvcol, col ? col->name : NULL,
                          rule, message, masked);
    if (rc == P20W_OK)
        rc = ingest_report_count(L->r, rule, 0);
    return rc;
}

/* Joins the values of cols (column names) with '\x1f' into sb. Returns 0
 * when a column is missing from the dictionary. */
static int key_of(load *L, const char *const *cols, sbuf *sb)
{
    sbuf_reset(sb);
    for (int i = 0; i < DICT_RULE_MAX_COLS && cols[i] != NULL; i++) {
        int c = col_index(L->x, cols[i]);
        if (c < 0)
            return 0;
        if ((i > 0 && sbuf_putc(sb, '\x1f') != P20W_OK) ||
            sbuf_append(sb, L->val[c], L->len[c]) != P20W_OK)
            return 0;
    }
    return 1;
}

/* Parses a decimal dollar amount into cents, rounding half away from zero.
 * The value already passed dict_check_value (a decimal). */
static int64_t to_cents(const char *v, size_t n)
{
    char buf[64];
    if (n >= sizeof buf)
        n = sizeof buf - 1;
    memcpy(buf, v, n);
    buf[n] = '\0';
    double d = strtod(buf, NULL);
    return (int64_t)llround(d * 100.0);
}

static p20w_status bind_value(load *L, store_stmt *s, int idx, bind_src b)
{
    p20w_err *err = L->err;
    if (b.kind == BIND_RECORD_KEY)
        return store_bind_text(s, idx, L->record_key, (size_t)-1, err);
    const dict_column *col = &L->x->columns[b.dict_col];
    const char *v = L->val[b.dict_col];
    size_t n = L->len[b.dict_col];
    if (b.kind == BIND_SSN_VALID) {
        if (L->ssn_ok < 0)
            return store_bind_null(s, idx, err);
        return store_bind_int64(s, idx, L->ssn_ok, err);
    }
    if (n == 0 && col->missing_means != NULL) {
        v = col->missing_means;
        n = strlen(v);
    }
    if (n == 0)
        return store_bind_null(s, idx, err);
    if (b.kind == BIND_CENTS)
        return store_bind_int64(s, idx, to_cents(v, n), err);
    char buf[64];
    switch (col->type) {
    case DICT_INT: {
        size_t k = n < sizeof buf - 1 ? n : sizeof buf - 1;
        memcpy(buf, v, k);
        buf[k] = '\0';
        return store_bind_int64(s, idx, strtoll(buf, NULL, 10), err);
    }
    case DICT_DECIMAL: {
        size_t k = n < sizeof buf - 1 ? n : sizeof buf - 1;
        memcpy(buf, v, k);
        buf[k] = '\0';
        return store_bind_double(s, idx, strtod(buf, NULL), err);
    }
    case DICT_YN:
        return store_bind_int64(s, idx, v[0] == 'Y', err);
    case DICT_SSN:
        if (L->ssn_ok < 0)
            return store_bind_null(s, idx, err);
        return store_bind_text(s, idx, L->ssn9, 9, err);
    default:
        return store_bind_text(s, idx, v, n, err);
    }
}

static void make_record_key(load *L, long line)
{
    const char *name = L->x->name;
    int c;
    if (strcmp(name, "k12_students") == 0 &&
        (c = col_index(L->x, "student_id")) >= 0) {
        snprintf(L->record_key, sizeof L->record_key, "%.*s", (int)L->len[c],
                 L->val[c]);
    } else if (strcmp(name, "ps_enrollments") == 0) {
        int i = col_index(L->x, "institution_id");
        int p = col_index(L->x, "ps_student_id");
        snprintf(L->record_key, sizeof L->record_key, "%.*s/%.*s",
                 (int)L->len[i], L->val[i], (int)L->len[p], L->val[p]);
    } else if (strcmp(name, "apprenticeships") == 0 &&
               (c = col_index(L->x, "apprentice_id")) >= 0) {
        snprintf(L->record_key, sizeof L->record_key, "%.*s", (int)L->len[c],
                 L->val[c]);
    } else {
        /* No person id in the source: the row is its own record. */
        snprintf(L->record_key, sizeof L->record_key, "%" PRId64 ":%ld", L->sid,
                 line);
    }
}

static p20w_status insert_row(load *L, long line)
{
    p20w_status rc;
    p20w_err *err = L->err;
    make_record_key(L, line);
    store_reset(L->stg);
    rc = store_bind_int64(L->stg, 1, L->sid, err);
    if (rc == P20W_OK)
        rc = store_bind_int64(L->stg, 2, line, err);
    for (int i = 0; rc == P20W_OK && i < L->stg_n; i++)
        rc = bind_value(L, L->stg, i + 3, L->stg_src[i]);
    int row;
    if (rc == P20W_OK)
        rc = store_step(L->stg, &row, err);
    if (rc != P20W_OK || !L->has_vault)
        return rc;
    store_reset(L->vault);
    rc = store_bind_text(L->vault, 1, L->x->name, (size_t)-1, err);
    if (rc == P20W_OK)
        rc = store_bind_int64(L->vault, 2, L->sid, err);
    if (rc == P20W_OK)
        rc = store_bind_int64(L->vault, 3, line, err);
    if (rc == P20W_OK)
        rc = store_bind_text(L->vault, 4, L->record_key, (size_t)-1, err);
    for (int i = 0; rc == P20W_OK && i < L->vault_n; i++)
        rc = bind_value(L, L->vault, i + 5, L->vault_src[i]);
    if (rc == P20W_OK)
        rc = store_step(L->vault, &row, err);
    return rc;
}

/* Validates the current record; returns P20W_OK with *bad set when the row
 * must be rejected, or a system error. */
static p20w_status check_row(load *L, long line, const csv_field *f, size_t nf,
                             sbuf *key, int *bad)
{
    p20w_status rc = P20W_OK;
    const dict_extract *x = L->x;
    *bad = 0;
    L->ssn_ok = -1;
    for (size_t c = 0; c < x->ncolumns; c++) {
        rc = take_field(L, (int)c, f, nf);
        if (rc != P20W_OK)
            return rc;
    }
    if (nf != L->ncsv) {
        *bad = 1;
        char got[32];
        snprintf(got, sizeof got, "%zu fields", nf);
        rc = ingest_report_add(L->r, SEV_ERROR, line, 0, NULL, "columns",
                               "the row does not have as many fields as the "
                               "header",
                               got);
        if (rc == P20W_OK)
            rc = ingest_report_count(L->r, "columns", 0);
        return rc;
    }
    int field_bad[MAX_COLS] = {0};
    for (size_t c = 0; rc == P20W_OK && c < x->ncolumns; c++) {
        const dict_column *col = &x->columns[c];
        dict_check ck = dict_check_value(col, L->reg, L->current_year,
                                         L->val[c], L->len[c]);
        if (col->type == DICT_SSN && L->len[c] > 0 &&
            (ck == DICT_OK || ck == DICT_E_SSN_INVALID)) {
            link_ssn_digits(L->val[c], L->len[c], L->ssn9);
            L->ssn_ok = ck == DICT_OK;
        }
        if (ck == DICT_OK)
            continue;
        if (dict_check_is_flag(ck)) {
            rc = ingest_report_count(L->r, check_rule(ck), 1);
            continue;
        }
        *bad = 1;
        field_bad[c] = 1;
        rc = row_error(L, line, (int)c, check_rule(ck), dict_check_message(ck));
    }
    /* Row-local rules over fields that passed. */
    for (size_t i = 0; rc == P20W_OK && i < x->nrules; i++) {
        const dict_rule *rule = &x->rules[i];
        if (!dict_rule_is_row_local(rule->kind))
            continue;
        const char *vals[DICT_RULE_MAX_COLS];
        size_t lens[DICT_RULE_MAX_COLS];
        int skip = 0, first = -1;
        for (int k = 0; k < DICT_RULE_MAX_COLS && rule->cols[k]; k++) {
            int c = col_index(x, rule->cols[k]);
            if (c < 0 || field_bad[c]) {
                skip = 1;
                break;
            }
            if (first < 0)
                first = c;
            vals[k] = L->val[c];
            lens[k] = L->len[c];
        }
        if (skip)
            continue;
        dict_check ck = dict_check_row_rule(rule, vals, lens);
        if (ck == DICT_OK)
            continue;
        *bad = 1;
        /* Reported at the rule's first column (credits_earned for
         * credits_earned ≤ credits_attempted). */
        int c = col_index(x, rule->cols[0]);
        rc = row_error(L, line, c, check_rule(ck), rule->text);
    }
    if (rc != P20W_OK)
        return rc;
    /* References to other extracts (checked on rejected rows too, so the
     * steward sees every problem of a row at once). */
    for (int i = 0; i < L->nrefs; i++) {
        int c0 = col_index(x, L->ref_rule[i]->cols[0]);
        if (c0 < 0 || field_bad[c0] || L->len[c0] == 0 ||
            !key_of(L, L->ref_rule[i]->cols, key))
            continue;
        if (hmap_get(L->refs[i], key->buf, key->len, NULL))
            continue;
        *bad = 1;
        int c = col_index(x, L->ref_rule[i]->cols[0]);
        rc = row_error(L, line, c, "reference", L->ref_rule[i]->text);
        if (rc != P20W_OK)
            return rc;
    }
    /* Uniqueness within the file: the first row of a key is kept. */
    for (int i = 0; rc == P20W_OK && !*bad && i < L->nunique; i++) {
        if (!key_of(L, L->unique_rule[i]->cols, key))
            continue;
        if (hmap_get(L->unique[i], key->buf, key->len, NULL)) {
            *bad = 1;
            int c = col_index(x, L->unique_rule[i]->cols[0]);
            rc = row_error(L, line, c, "duplicate", L->unique_rule[i]->text);
        } else {
            rc = hmap_put(L->unique[i], key->buf, key->len, NULL);
        }
    }
    return rc;
}

/* ---- year over year ----------------------------------------------------- */

static const char *const entity_cols[] = {"school_id", "institution_id",
                                          "employer_id"};

static void pick_entity(load *L)
{
    L->entity_col = -1;
    for (size_t i = 0; i < 3; i++) {
        int c = col_index(L->x, entity_cols[i]);
        if (c >= 0 && L->x->columns[c].required) {
            L->entity_col = c;
            return;
        }
    }
}

static p20w_status count_entity(load *L)
{
    if (L->entity_col < 0)
        return P20W_OK;
    int c = L->entity_col;
    void *v = NULL;
    uintptr_t n =
        hmap_get(L->entity_counts, L->val[c], L->len[c], &v) ? (uintptr_t)v : 0;
    return hmap_put(L->entity_counts, L->val[c], L->len[c], (void *)(n + 1));
}

static p20w_status yoy_check(load *L)
{
    if (L->entity_col < 0 || L->r->period == NULL)
        return P20W_OK;
    const char *ename = L->x->columns[L->entity_col].name;
    store_stmt *q = NULL;
    p20w_status rc = store_prepare(
        L->st,
        "SELECT submission_id, period FROM submissions WHERE source = ? AND "
        "status = 'accepted' AND period < ? ORDER BY period DESC LIMIT 1",
        &q, L->err);
    if (rc != P20W_OK)
        return rc;
    int row = 0;
    int64_t prev = 0;
    rc = store_bind_text(q, 1, L->x->name, (size_t)-1, L->err);
    if (rc == P20W_OK)
        rc = store_bind_text(q, 2, L->r->period, (size_t)-1, L->err);
    if (rc == P20W_OK)
        rc = store_step(q, &row, L->err);
    if (rc == P20W_OK && row)
        prev = store_column_int64(q, 0);
    store_finalize(q);
    if (rc != P20W_OK || prev == 0)
        return rc;
    char sql[256];
    snprintf(sql, sizeof sql,
             "SELECT %s, COUNT(*) FROM stg_%s WHERE submission_id = ? "
             "GROUP BY %s",
             ename, L->x->name, ename);
    rc = store_prepare(L->st, sql, &q, L->err);
    if (rc != P20W_OK)
        return rc;
    rc = store_bind_int64(q, 1, prev, L->err);
    hmap *seen = NULL;
    if (rc == P20W_OK && hmap_create(&seen) != P20W_OK)
        rc = p20w_err_set(L->err, P20W_ENOMEM, "out of memory");
    while (rc == P20W_OK) {
        rc = store_step(q, &row, L->err);
        if (rc != P20W_OK || !row)
            break;
        const char *ent = store_column_text(q, 0);
        size_t el = store_column_bytes(q, 0);
        int64_t before = store_column_int64(q, 1);
        void *v = NULL;
        int64_t now =
            hmap_get(L->entity_counts, ent, el, &v) ? (int64_t)(uintptr_t)v : 0;
        hmap_put(seen, ent, el, NULL);
        double change =
            before > 0 ? (double)(now - before) / (double)before : 1.0;
        if (before >= 10 && fabs(change) > L->o->yoy_threshold) {
            char msg[96];
            snprintf(msg, sizeof msg,
                     "%s=%.40s: %" PRId64 " -> %" PRId64 " rows (%+.0f%%)",
                     ename, ent, before, now, change * 100);
            rc = ingest_report_add(L->r, SEV_WARNING, 0, 0, ename,
                                   "year_over_year",
                                   "row count changed more than the "
                                   "threshold since the previous period",
                                   msg);
        }
    }
    store_finalize(q);
    hmap_free(seen);
    return rc;
}

/* ---- submissions ----------------------------------------------------------
 */

static p20w_status find_live(load *L, int64_t *id, char sha[65])
{
    store_stmt *q = NULL;
    p20w_status rc = store_prepare(
        L->st,
        "SELECT submission_id, sha256 FROM submissions WHERE source = ? AND "
        "period = ? AND status = 'accepted'",
        &q, L->err);
    if (rc != P20W_OK)
        return rc;
    int row = 0;
    *id = 0;
    rc = store_bind_text(q, 1, L->x->name, (size_t)-1, L->err);
    if (rc == P20W_OK)
        rc = store_bind_text(q, 2, L->r->period, (size_t)-1, L->err);
    if (rc == P20W_OK)
        rc = store_step(q, &row, L->err);
    if (rc == P20W_OK && row) {
        *id = store_column_int64(q, 0);
        snprintf(sha, 65, "%s", store_column_text(q, 1));
    }
    store_finalize(q);
    return rc;
}

static p20w_status insert_submission(load *L, const char *status)
{
    char ts[32];
    date_now_iso(ts);
    store_stmt *q = NULL;
    p20w_status rc = store_prepare(
        L->st,
        "INSERT INTO submissions (source, period, agency, file_name, sha256, "
        "status, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        &q, L->err);
    if (rc != P20W_OK)
        return rc;
    const char *v[] = {L->x->name,
                       L->r->period,
                       L->r->agency,
                       L->r->file_name,
                       L->r->sha256,
                       status,
                       ts};
    for (int i = 0; rc == P20W_OK && i < 7; i++)
        rc = store_bind_text(q, i + 1, v[i], (size_t)-1, L->err);
    int row;
    if (rc == P20W_OK)
        rc = store_step(q, &row, L->err);
    store_finalize(q);
    if (rc == P20W_OK)
        L->sid = store_last_insert_id(L->st);
    L->r->submission_id = L->sid;
    return rc;
}

static p20w_status exec_bound(load *L, const char *sql, int64_t a, int64_t b)
{
    store_stmt *q = NULL;
    p20w_status rc = store_prepare(L->st, sql, &q, L->err);
    int row;
    if (rc == P20W_OK)
        rc = store_bind_int64(q, 1, a, L->err);
    if (rc == P20W_OK && b != INT64_MIN)
        rc = store_bind_int64(q, 2, b, L->err);
    if (rc == P20W_OK)
        rc = store_step(q, &row, L->err);
    store_finalize(q);
    return rc;
}

/* Writes the issues, the counts and the report of submission L->sid. */
static p20w_status finish_submission(load *L, const char *status)
{
    store_stmt *q = NULL;
    p20w_status rc = store_prepare(
        L->st,
        "INSERT INTO submission_errors (submission_id, seq, severity, line, "
        "col, column_name, value, rule, message) VALUES "
        "(?, ?, ?, ?, ?, ?, ?, ?, ?)",
        &q, L->err);
    static const char *const sev[] = {"fatal", "error", "warning"};
    const ingest_issue *is = L->r->issues.data;
    for (size_t i = 0; rc == P20W_OK && i < L->r->issues.len; i++) {
        int row;
        store_reset(q);
        rc = store_bind_int64(q, 1, L->sid, L->err);
        if (rc == P20W_OK)
            rc = store_bind_int64(q, 2, (int64_t)i + 1, L->err);
        if (rc == P20W_OK)
            rc = store_bind_text(q, 3, sev[is[i].severity], (size_t)-1, L->err);
        if (rc == P20W_OK)
            rc = is[i].line > 0 ? store_bind_int64(q, 4, is[i].line, L->err)
                                : store_bind_null(q, 4, L->err);
        if (rc == P20W_OK)
            rc = is[i].col > 0 ? store_bind_int64(q, 5, is[i].col, L->err)
                               : store_bind_null(q, 5, L->err);
        if (rc == P20W_OK)
            rc = store_bind_text(q, 6, is[i].column, (size_t)-1, L->err);
        if (rc == P20W_OK)
            rc = store_bind_text(q, 7, is[i].value, (size_t)-1, L->err);
        if (rc == P20W_OK)
            rc = store_bind_text(q, 8, is[i].rule, (size_t)-1, L->err);
        if (rc == P20W_OK)
            rc = store_bind_text(q, 9, is[i].message, (size_t)-1, L->err);
        if (rc == P20W_OK)
            rc = store_step(q, &row, L->err);
    }
    store_finalize(q);
    if (rc != P20W_OK)
        return rc;
    char *json = ingest_report_json(L->r);
    if (json == NULL)
        return p20w_err_set(L->err, P20W_ENOMEM, "out of memory");
    rc = store_prepare(L->st,
                       "UPDATE submissions SET status = ?, rows_read = ?, "
                       "rows_accepted = ?, rows_rejected = ?, report_json = ? "
                       "WHERE submission_id = ?",
                       &q, L->err);
    int row;
    if (rc == P20W_OK)
        rc = store_bind_text(q, 1, status, (size_t)-1, L->err);
    if (rc == P20W_OK)
        rc = store_bind_int64(q, 2, (int64_t)L->r->rows_read, L->err);
    if (rc == P20W_OK)
        rc = store_bind_int64(q, 3, (int64_t)L->r->rows_accepted, L->err);
    if (rc == P20W_OK)
        rc = store_bind_int64(q, 4, (int64_t)L->r->rows_rejected, L->err);
    if (rc == P20W_OK)
        rc = store_bind_text(q, 5, json, (size_t)-1, L->err);
    if (rc == P20W_OK)
        rc = store_bind_int64(q, 6, L->sid, L->err);
    if (rc == P20W_OK)
        rc = store_step(q, &row, L->err);
    store_finalize(q);
    p20w_free(json);
    return rc;
}

/* ---- the pass over the rows
 * -------------------------------------------------- */

static p20w_status setup_rules(load *L)
{
    p20w_status rc = P20W_OK;
    for (size_t i = 0; rc == P20W_OK && i < L->x->nrules; i++) {
        const dict_rule *rule = &L->x->rules[i];
        if (rule->kind == DICT_RULE_UNIQUE && L->nunique < 4) {
            L->unique_rule[L->nunique] = rule;
            rc = hmap_create(&L->unique[L->nunique]);
            if (rc == P20W_OK)
                L->nunique++;
        } else if (rule->kind == DICT_RULE_REF && L->nrefs < 4) {
            rc = ingest_refs_load(L->st, rule->ref_extract, rule->ref_cols,
                                  &L->refs[L->nrefs], L->err);
            if (rc == P20W_OK)
                L->ref_rule[L->nrefs++] = rule;
        }
    }
    if (rc == P20W_ENOMEM)
        p20w_err_set(L->err, rc, "out of memory");
    return rc;
}

/* Reads the file. Returns a system error, or P20W_OK with *fatal set when
 * the file must be rejected. */
static p20w_status read_rows(load *L, const char *path, int *fatal)
{
    csv_reader *rd = NULL;
    p20w_err cerr = {0};
    sbuf key;
    sbuf_init(&key, 0);
    *fatal = 0;
    p20w_status rc = csv_reader_open_file(path, NULL, &rd, &cerr);
    if (rc != P20W_OK) {
        p20w_err_set(L->err, rc, "%s", cerr.msg);
        return rc;
    }
    progress *pb = L->o->show_progress
                       ? progress_start(L->r->file_name, L->r->bytes)
                       : NULL;
    const csv_field *f;
    size_t nf;
    rc = csv_read(rd, &f, &nf, &cerr);
    if (rc == P20W_OK && nf == 0) {
        *fatal = 1;
        snprintf(L->r->fatal_msg, sizeof L->r->fatal_msg,
                 "the file is empty: no header row");
        ingest_report_add(L->r, SEV_FATAL, 1, 0, NULL, "header",
                          "the file is empty: no header row", "");
        goto out;
    }
    if (rc == P20W_OK && map_header(L, f, nf) != P20W_OK) {
        *fatal = 1;
        goto out;
    }
    while (rc == P20W_OK) {
        rc = csv_read(rd, &f, &nf, &cerr);
        if (rc != P20W_OK || nf == 0)
            break;
        long line = csv_reader_line(rd);
        L->r->rows_read++;
        int bad = 0;
        p20w_status vr = check_row(L, line, f, nf, &key, &bad);
        if (vr == P20W_OK && !bad)
            vr = insert_row(L, line);
        if (vr == P20W_OK && !bad)
            vr = count_entity(L);
        free_owned(L);
        if (vr != P20W_OK) {
            if (vr == P20W_ENOMEM && L->err->code != P20W_ENOMEM)
                p20w_err_set(L->err, vr, "out of memory");
            rc = vr;
            goto out_sys;
        }
        if (bad)
            L->r->rows_rejected++;
        else
            L->r->rows_accepted++;
        progress_update(pb, csv_reader_bytes(rd), L->r->rows_read);
    }
    if (rc != P20W_OK) {
        if (rc == P20W_ENOMEM || (rc == P20W_EIO && cerr.line == 0)) {
            p20w_err_set(L->err, rc, "%s", cerr.msg);
            goto out_sys;
        }
        /* Malformed CSV, invalid UTF-8, over-long field: the file cannot
         * be trusted past this point, so it is rejected whole. */
        *fatal = 1;
        rc = P20W_OK;
        snprintf(L->r->fatal_msg, sizeof L->r->fatal_msg, "line %ld: %s",
                 cerr.line, cerr.msg);
        ingest_report_add(L->r, SEV_FATAL, cerr.line, (int)cerr.col, NULL,
                          "csv", "the file is not well-formed CSV in UTF-8",
                          "");
        goto out;
    }
    double share = L->r->rows_read
                       ? (double)L->r->rows_rejected / (double)L->r->rows_read
                       : 0;
    if (L->r->rows_rejected > 0 && share > L->o->max_reject_share) {
        *fatal = 1;
        snprintf(L->r->fatal_msg, sizeof L->r->fatal_msg,
                 "%" PRIu64 " of %" PRIu64 " rows rejected (%.1f%%), more "
                 "than the %.1f%% allowed",
                 L->r->rows_rejected, L->r->rows_read, share * 100,
                 L->o->max_reject_share * 100);
    }
out:
out_sys:
    progress_finish(pb);
    csv_reader_close(rd);
    sbuf_free(&key);
    return rc;
}

static void load_cleanup(load *L)
{
    store_finalize(L->stg);
    store_finalize(L->vault);
    L->stg = L->vault = NULL;
    for (int i = 0; i < L->nunique; i++)
        hmap_free(L->unique[i]);
    for (int i = 0; i < L->nrefs; i++)
        hmap_free(L->refs[i]);
    L->nunique = L->nrefs = 0;
    hmap_free(L->entity_counts);
    L->entity_counts = NULL;
}

/* Records a rejected submission (nothing loaded) in its own transaction. */
static p20w_status record_rejection(load *L)
{
    L->r->outcome = INGEST_REJECTED;
    L->r->rows_accepted = 0;
    p20w_status rc = store_begin(L->st, L->err);
    if (rc == P20W_OK)
        rc = insert_submission(L, "rejected");
    if (rc == P20W_OK)
        rc = finish_submission(L, "rejected");
    if (rc == P20W_OK)
        rc = store_commit(L->st, L->err);
    if (rc != P20W_OK)
        store_rollback(L->st, NULL);
    return rc;
}

p20w_status ingest_file(store *st, const codeset_registry *reg,
                        const char *path, const ingest_options *opts,
                        ingest_report **out, p20w_err *err)
{
    *out = NULL;
    ingest_options defaults;
    if (opts == NULL) {
        ingest_options_init(&defaults);
        opts = &defaults;
    }
    load L;
    memset(&L, 0, sizeof L);
    L.st = st;
    L.reg = reg;
    L.o = opts;
    L.err = err;
    L.current_year = opts->current_year;
    if (L.current_year == 0)
        date_to_ymd(date_today(), &L.current_year, NULL, NULL);
    double t0 = now_s();

    L.x = opts->source ? dict_find_extract(opts->source)
                       : dict_find_file(base_name(path));
    if (L.x == NULL)
        return p20w_err_set(err, P20W_ENOTFOUND,
                            opts->source ? "unknown source '%s'"
                                         : "%s is not the file name of an "
                                           "extract (use --source)",
                            opts->source ? opts->source : base_name(path));
    if (L.x->ncolumns > MAX_COLS)
        return p20w_err_set(err, P20W_EINTERNAL, "too many columns");

    p20w_status rc = ingest_report_new(&L.r);
    if (rc != P20W_OK)
        return p20w_err_set(err, rc, "out of memory");
    L.r->x = L.x;
    L.r->file_name = p20w_strdup(base_name(path));
    L.r->period = p20w_strdup(opts->period ? opts->period : "all");
    L.r->agency = p20w_strdup(opts->agency ? opts->agency : L.x->agency);
    if (L.r->file_name == NULL || L.r->period == NULL || L.r->agency == NULL) {
        rc = p20w_err_set(err, P20W_ENOMEM, "out of memory");
        goto fail;
    }
    rc = file_sha256(path, L.r->sha256, &L.r->bytes, err);
    if (rc != P20W_OK)
        goto fail;

    int64_t live = 0;
    char live_sha[65] = "";
    rc = find_live(&L, &live, live_sha);
    if (rc != P20W_OK)
        goto fail;
    if (live > 0 && strcmp(live_sha, L.r->sha256) == 0) {
        L.r->outcome = INGEST_NOOP;
        L.r->identical_to = live;
        L.r->submission_id = live;
        L.r->elapsed_s = now_s() - t0;
        *out = L.r;
        return P20W_OK;
    }

    rc = store_begin(st, err);
    if (rc != P20W_OK)
        goto fail;
    rc = insert_submission(&L, "rejected");
    if (rc == P20W_OK)
        rc = prepare_staging(&L);
    if (rc == P20W_OK)
        rc = prepare_vault(&L);
    if (rc == P20W_OK)
        rc = setup_rules(&L);
    if (rc == P20W_OK && hmap_create(&L.entity_counts) != P20W_OK)
        rc = p20w_err_set(err, P20W_ENOMEM, "out of memory");
    pick_entity(&L);
    int fatal = 0;
    if (rc == P20W_OK)
        rc = read_rows(&L, path, &fatal);
    if (rc == P20W_OK && !fatal)
        rc = yoy_check(&L);
    load_cleanup(&L);
    if (rc != P20W_OK) {
        store_rollback(st, NULL);
        goto fail;
    }
    if (fatal) {
        store_rollback(st, NULL);
        L.r->elapsed_s = now_s() - t0;
        rc = record_rejection(&L);
        if (rc != P20W_OK)
            goto fail;
        *out = L.r;
        return P20W_OK;
    }
    if (live > 0) {
        rc = exec_bound(&L,
                        "UPDATE submissions SET status = 'replaced', "
                        "replaced_by = ? WHERE submission_id = ?",
                        L.sid, live);
        L.r->replaced_id = live;
    }
    L.r->outcome = INGEST_ACCEPTED;
    L.r->elapsed_s = now_s() - t0;
    if (rc == P20W_OK)
        rc = finish_submission(&L, "accepted");
    if (rc == P20W_OK)
        rc = store_commit(st, err);
    if (rc != P20W_OK) {
        store_rollback(st, NULL);
        goto fail;
    }
    *out = L.r;
    return P20W_OK;
fail:
    load_cleanup(&L);
    ingest_report_free(L.r);
    return rc;
}
