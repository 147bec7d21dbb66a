/*
 * extract.c — de-identified learner-level extracts of a data-sharing
 * agreement.
 *
 * For every extract of the dictionary holding an element the agreement
 * allows, one CSV: learner-level extracts get a first column `pid`, the
 * agreement's pseudonym of the person, then the allowed columns in
 * dictionary order; reference extracts (schools, institutions, employers)
 * get their allowed columns only. Rows come from live (accepted)
 * submissions' staging tables joined to person_links; a row that linkage
 * did not place on a person is left out. identity_vault is never read,
 * direct identifiers can never be allowed (dsa.c), and wages appear only
 * when the agreement lists ui_wages.wages.
 *
 * Pseudonyms: K_dsa = HMAC-SHA-256(pseudonym subkey of the key file,
 * "p20w-dsa-key-v1" || key_salt of the agreement); pid = the first 16
 * bytes of HMAC-SHA-256(K_dsa, decimal p20w_id), as hex. The same person
 * has the same pid in every file and every re-run of one agreement, and
 * unrelated pids under two agreements, so recipients of two agreements
 * cannot join their extracts.
 *
 * Row order is (p20w_id * a + b) mod (2^31 - 1) with a and b drawn from
 * K_dsa: neither the agencies' file order (often alphabetical by name)
 * nor the order of p20w_ids shows through.
 *
 * Files are created new with mode 0600 (never overwritten); if anything
 * fails, the files written so far are removed, and the extract is audited
 * only once it is complete (no record, no extract).
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "access/accessInt.h"
#include "dict/dict.h"
#include "util/csv.h"
#include "util/hmap.h"
#include "util/mem.h"

#define LEARNER_SQL(table, source, key)                                        \
    "SELECT l.p20w_id, t.* FROM " table " t JOIN submissions s ON "            \
    "s.submission_id = t.submission_id JOIN person_links l ON l.source = "     \
    "'" source "' AND l.record_key = " key " WHERE s.status = 'accepted' "     \
    "ORDER BY (l.p20w_id * ? + ?) % 2147483647, t.submission_id, t.line"

#define REFERENCE_SQL(table)                                                   \
    "SELECT NULL AS p20w_id, t.* FROM " table " t JOIN submissions s ON "      \
    "s.submission_id = t.submission_id WHERE s.status = 'accepted' "           \
    "ORDER BY t.submission_id, t.line"

typedef struct source_sql {
    const char *extract;
    int learner;
    const char *sql;
} source_sql;

/* Every extract that can hold an allowed element (dmv_ids holds only
 * direct identifiers). */
static const source_sql sources[] = {
    {"k12_students", 1,
     LEARNER_SQL("stg_k12_students", "k12_students", "t.record_key")},
    {"k12_schools", 0, REFERENCE_SQL("stg_k12_schools")},
    {"k12_exits", 1,
     LEARNER_SQL("stg_k12_exits", "k12_students", "t.student_id")},
    {"k12_cte_courses", 1,
     LEARNER_SQL("stg_k12_cte_courses", "k12_students", "t.student_id")},
    {"k12_wbl", 1, LEARNER_SQL("stg_k12_wbl", "k12_students", "t.student_id")},
    {"k12_credentials", 1,
     LEARNER_SQL("stg_k12_credentials", "k12_students", "t.student_id")},
    {"k12_assessments", 1,
     LEARNER_SQL("stg_k12_assessments", "k12_students", "t.student_id")},
    {"ps_enrollments", 1,
     LEARNER_SQL("stg_ps_enrollments", "ps_enrollments", "t.record_key")},
    {"ps_completions", 1,
     LEARNER_SQL("stg_ps_completions", "ps_enrollments",
                 "t.institution_id || '/' || t.ps_student_id")},
    {"ps_institutions", 0, REFERENCE_SQL("stg_ps_institutions")},
    {"ui_wages", 1, LEARNER_SQL("stg_ui_wages", "ui_wages", "t.record_key")},
    {"ui_employers", 0, REFERENCE_SQL("stg_ui_employers")},
    {"apprenticeships", 1,
     LEARNER_SQL("stg_apprenticeships", "apprenticeships", "t.record_key")},
};

#define NSOURCES (sizeof sources / sizeof sources[0])
#define MAX_COLS 32

/* ---- pseudonyms ---------------------------------------------------------- */

static void dsa_key(const access_ctx *ax, const access_dsa *d,
                    unsigned char out[32])
{
    static const char tag[] = "p20w-dsa-key-v1";
    crypto_auth_hmacsha256_state h;
    crypto_auth_hmacsha256_init(&h, ax->pseudo_key, ACCESS_KEY_BYTES);
    crypto_auth_hmacsha256_update(&h, (const unsigned char *)tag, sizeof tag);
    crypto_auth_hmacsha256_update(&h, (const unsigned char *)d->key_salt,
                                  strlen(d->key_salt));
    crypto_auth_hmacsha256_final(&h, out);
}

static void pseudonym(const unsigned char key[32], int64_t p20w_id,
                      char out[ACCESS_PSEUDONYM_LEN + 1])
{
    char num[24];
    unsigned char mac[32];
    int n = snprintf(num, sizeof num, "%" PRId64, p20w_id);
    crypto_auth_hmacsha256(mac, (const unsigned char *)num, (size_t)n, key);
    sodium_bin2hex(out, ACCESS_PSEUDONYM_LEN + 1, mac,
                   ACCESS_PSEUDONYM_LEN / 2);
}

void access_pseudonym(access_ctx *ax, const access_dsa *d, int64_t p20w_id,
                      char out[ACCESS_PSEUDONYM_LEN + 1])
{
    unsigned char key[32];
    dsa_key(ax, d, key);
    pseudonym(key, p20w_id, out);
    sodium_memzero(key, sizeof key);
}

/* The row-order permutation's a (1 .. m-1) and b (0 .. m-1). */
static void order_keys(const unsigned char key[32], int64_t *a, int64_t *b)
{
    static const char tag[] = "p20w-extract-order";
    unsigned char mac[32];
    uint64_t x = 0, y = 0;
    crypto_auth_hmacsha256(mac, (const unsigned char *)tag, sizeof tag, key);
    for (int i = 0; i < 8; i++) {
        x = x << 8 | mac[i];
        y = y << 8 | mac[8 + i];
    }
    *a = (int64_t)(1 + x % 2147483646u);
    *b = (int64_t)(y % 2147483647u);
}

/* ---- one file ------------------------------------------------------------ */

typedef struct run {
    access_ctx *ax;
    const access_dsa *d;
    const char *dir;
    unsigned char key[32];
    int64_t a, b;
    hmap *persons;
    char written[NSOURCES + 1][4096]; /* + MANIFEST.txt */
    size_t nwritten;
    uint64_t rows[NSOURCES];
    access_extract_stats stats;
} run;

static int allowed(const access_dsa *d, const char *extract, const char *column)
{
    size_t xl = strlen(extract);
    for (size_t i = 0; i < d->nelements; i++) {
        const char *e = d->elements[i];
        if (strncmp(e, extract, xl) == 0 && e[xl] == '.' &&
            strcmp(e + xl + 1, column) == 0)
            return 1;
    }
    return 0;
}

/* The staging column that holds a dictionary column. */
static const char *staging_name(const dict_column *c)
{
    return strcmp(c->name, "wages") == 0 ? "wages_cents" : c->name;
}

static p20w_status open_new(run *r, const char *name, FILE **out, p20w_err *err)
{
    char *path = r->written[r->nwritten];
    int n = snprintf(path, sizeof r->written[0], "%s/%s", r->dir, name);
    if (n < 0 || (size_t)n >= sizeof r->written[0])
        return p20w_err_set(err, P20W_ELIMIT, "output path too long");
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0600);
    if (fd < 0)
        return p20w_err_set(err, P20W_EIO, "cannot create %s: %s", path,
                            errno == EEXIST ? "it exists already (extracts "
                                              "never overwrite)"
                                            : strerror(errno));
    r->nwritten++;
    *out = fdopen(fd, "w");
    if (*out == NULL) {
        close(fd);
        return p20w_err_set(err, P20W_ENOMEM, "out of memory");
    }
    return P20W_OK;
}

static void format_value(store_stmt *q, int col, const dict_column *c,
                         char *buf, size_t cap, const char **out)
{
    if (store_column_is_null(q, col)) {
        *out = "";
    } else if (strcmp(c->name, "wages") == 0) {
        int64_t cents = store_column_int64(q, col);
        snprintf(buf, cap, "%" PRId64 ".%02d", cents / 100, (int)(cents % 100));
        *out = buf;
    } else if (c->type == DICT_YN) {
        *out = store_column_int64(q, col) ? "Y" : "N";
    } else {
        *out = store_column_text(q, col);
    }
}

static p20w_status write_rows(run *r, const source_sql *s,
                              const dict_extract *x, const dict_column **cols,
                              size_t ncols, store_stmt *q, FILE *f,
                              uint64_t *rows, p20w_err *err)
{
    int idx[MAX_COLS];
    char bufs[MAX_COLS][32], pid[ACCESS_PSEUDONYM_LEN + 1];
    const char *vals[MAX_COLS + 1];
    size_t off = s->learner ? 1 : 0;
    for (size_t i = 0; i < ncols; i++) {
        idx[i] = -1;
        for (int k = 1; k < store_column_count(q); k++)
            if (strcmp(store_column_name(q, k), staging_name(cols[i])) == 0)
                idx[i] = k;
        if (idx[i] < 0)
            return p20w_err_set(err, P20W_EINTERNAL,
                                "staging table of %s has no column %s", x->name,
                                cols[i]->name);
    }
    p20w_status rc = P20W_OK;
    while (rc == P20W_OK) {
        int row = 0;
        rc = store_step(q, &row, err);
        if (rc != P20W_OK || !row)
            break;
        if (s->learner) {
            int64_t id = store_column_int64(q, 0);
            pseudonym(r->key, id, pid);
            vals[0] = pid;
            if (!hmap_get(r->persons, &id, sizeof id, NULL) &&
                hmap_put(r->persons, &id, sizeof id, NULL) != P20W_OK)
                rc = p20w_err_set(err, P20W_ENOMEM, "out of memory");
        }
        for (size_t i = 0; i < ncols; i++)
            format_value(q, idx[i], cols[i], bufs[i], sizeof bufs[i],
                         &vals[off + i]);
        if (rc == P20W_OK && csv_write_row(f, vals, off + ncols) != P20W_OK)
            rc = p20w_err_set(err, P20W_EIO, "cannot write the extract");
        (*rows)++;
    }
    return rc;
}

static p20w_status one_source(run *r, size_t si, p20w_err *err)
{
    const source_sql *s = &sources[si];
    const dict_extract *x = dict_find_extract(s->extract);
    const dict_column *cols[MAX_COLS];
    const char *header[MAX_COLS + 1];
    size_t ncols = 0, off = s->learner ? 1 : 0;
    if (x == NULL)
        return p20w_err_set(err, P20W_EINTERNAL, "no extract %s", s->extract);
    for (size_t i = 0; i < x->ncolumns && ncols < MAX_COLS; i++)
        if (allowed(r->d, x->name, x->columns[i].name))
            cols[ncols++] = &x->columns[i];
    if (ncols == 0)
        return P20W_OK;
    header[0] = "pid";
    for (size_t i = 0; i < ncols; i++)
        header[off + i] = cols[i]->name;
    char name[64];
    snprintf(name, sizeof name, "%s.csv", x->name);
    store_stmt *q = NULL;
    FILE *f = NULL;
    p20w_status rc = store_prepare(r->ax->st, s->sql, &q, err);
    if (rc == P20W_OK && s->learner)
        rc = store_bind_int64(q, 1, r->a, err);
    if (rc == P20W_OK && s->learner)
        rc = store_bind_int64(q, 2, r->b, err);
    if (rc == P20W_OK)
        rc = open_new(r, name, &f, err);
    if (rc == P20W_OK && csv_write_row(f, header, off + ncols) != P20W_OK)
        rc = p20w_err_set(err, P20W_EIO, "cannot write %s", name);
    if (rc == P20W_OK)
        rc = write_rows(r, s, x, cols, ncols, q, f, &r->rows[si], err);
    store_finalize(q);
    if (f != NULL && fclose(f) != 0 && rc == P20W_OK)
        rc = p20w_err_set(err, P20W_EIO, "cannot write %s", name);
    if (rc == P20W_OK) {
        r->stats.files++;
        r->stats.rows += r->rows[si];
    }
    return rc;
}

static p20w_status write_manifest(run *r, int64_t now, p20w_err *err)
{
    FILE *f = NULL;
    char ts[32];
    const access_dsa *d = r->d;
    p20w_status rc = open_new(r, "MANIFEST.txt", &f, err);
    if (rc != P20W_OK)
        return rc;
    access_time_format(now, ts);
    fprintf(f,
            "p20w de-identified extract\n"
            "agreement: %" PRId64 "\n"
            "purpose: %s\n"
            "parties: %s\n"
            "access: %s to %s\n"
            "destroy all copies by: %s\n"
            "made: %s\n"
            "persons: %" PRIu64 "\n"
            "\n"
            "pid is this agreement's pseudonym of a person: the same person\n"
            "has the same pid in every file of this agreement, and another,\n"
            "unrelated pid under any other agreement. No direct identifier\n"
            "(name, SSN, birth date, address) is in these files.\n"
            "\nelements allowed:\n",
            d->dsa_id, d->purpose, d->parties, d->start_date, d->end_date,
            d->destroy_date, ts, (uint64_t)hmap_count(r->persons));
    for (size_t i = 0; i < d->nelements; i++)
        fprintf(f, "  %s\n", d->elements[i]);
    fprintf(f, "\nfiles:\n");
    for (size_t i = 0; i < NSOURCES; i++) {
        const dict_extract *x = dict_find_extract(sources[i].extract);
        int any = 0;
        for (size_t c = 0; x != NULL && c < x->ncolumns; c++)
            any |= allowed(d, x->name, x->columns[c].name);
        if (any)
            fprintf(f, "  %s.csv: %" PRIu64 " rows\n", sources[i].extract,
                    r->rows[i]);
    }
    if (fclose(f) != 0)
        rc = p20w_err_set(err, P20W_EIO, "cannot write MANIFEST.txt");
    return rc;
}

static p20w_status make_dir(const char *dir, p20w_err *err)
{
    struct stat sb;
    if (mkdir(dir, 0700) == 0)
        return P20W_OK;
    if (errno == EEXIST && stat(dir, &sb) == 0 && S_ISDIR(sb.st_mode))
        return P20W_OK;
    return p20w_err_set(err, P20W_EIO, "cannot create folder %s: %s", dir,
                        strerror(errno));
}

p20w_status access_extract(access_ctx *ax, const access_principal *p,
                           int64_t dsa_id, const char *out_dir, int64_t now,
                           access_extract_stats *stats, p20w_err *err)
{
    access_resource res;
    access_decision dec;
    access_dsa *d = NULL;
    char resource[600];
    run *r = NULL;
    if (stats != NULL)
        memset(stats, 0, sizeof *stats);
    access_resource_init(&res, ACCESS_RES_EXTRACT);
    res.dsa_id = dsa_id;
    res.detail = out_dir;
    p20w_status rc = access_check(ax, p, ACCESS_READ, &res, now, &dec, err);
    if (rc != P20W_OK)
        return rc;
    if (!dec.allowed)
        return p20w_err_set(err, P20W_EDENIED, "extract denied: %s",
                            dec.reason);
    rc = access_dsa_get(ax, dsa_id, &d, err);
    if (rc != P20W_OK)
        return rc;
    r = p20w_calloc(1, sizeof *r);
    if (r == NULL) {
        rc = p20w_err_set(err, P20W_ENOMEM, "out of memory");
        goto out;
    }
    r->ax = ax;
    r->d = d;
    r->dir = out_dir;
    dsa_key(ax, d, r->key);
    order_keys(r->key, &r->a, &r->b);
    rc = hmap_create(&r->persons);
    if (rc != P20W_OK)
        p20w_err_set(err, rc, "out of memory");
    if (rc == P20W_OK)
        rc = make_dir(out_dir, err);
    for (size_t i = 0; rc == P20W_OK && i < NSOURCES; i++)
        rc = one_source(r, i, err);
    if (rc == P20W_OK)
        rc = write_manifest(r, now, err);
    if (rc == P20W_OK) {
        char why[2100];
        r->stats.persons = hmap_count(r->persons);
        snprintf(resource, sizeof resource,
                 "extract of agreement %" PRId64 " to %s: %zu files, "
                 "%" PRIu64 " rows, %" PRIu64 " persons",
                 dsa_id, out_dir, r->stats.files, r->stats.rows,
                 r->stats.persons);
        snprintf(why, sizeof why, "%s", d->purpose);
        access_audit_entry e = {p->name, ACCESS_EV_EXTRACT, resource, "ok",
                                why,     p->origin};
        rc = access_audit_append(ax, &e, now, NULL, err);
    }
    if (rc == P20W_OK && stats != NULL)
        *stats = r->stats;
out:
    if (r != NULL) {
        if (rc != P20W_OK)
            for (size_t i = 0; i < r->nwritten; i++)
                unlink(r->written[i]);
        sodium_memzero(r->key, sizeof r->key);
        hmap_free(r->persons);
        p20w_free(r);
    }
    access_dsa_free(d);
    return rc;
}
