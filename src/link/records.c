/*
 * records.c — load the live identity records into compact in-memory form.
 *
 * One record per person-record of a source. K-12, postsecondary and
 * apprenticeship rows that share a record_key (a student's rows over the
 * years) are merged: each field keeps its first non-empty value. Wage rows
 * carry no person id, so the rows that share an SSN and a reported name
 * (normalised surname and given name, as reported: "G" and "GRACE" are two
 * identities) form one "wage identity": an employer's typo in the SSN or
 * the name makes an identity of its own, which linkage then attaches by
 * comparison. Wage rows whose SSN is invalid
 * are counted and left out: they can link to nobody (indicators.md).
 *
 * Only this file and the rest of link/ read direct identifiers.
 */
#include "link/linkInt.h"

#include <string.h>

#include "link/normalize.h"
#include "link/phonetic.h"
#include "util/date.h"
#include "util/mem.h"

static const char *const src_names[SRC_COUNT] = {
    "k12_students", "ps_enrollments", "apprenticeships", "dmv_ids", "ui_wages"};

const char *link_src_name(link_src s)
{
    return (unsigned)s < SRC_COUNT ? src_names[s] : "?";
}

static uint64_t key_hash(const char *s)
{
    if (s == NULL || s[0] == '\0')
        return 0;
    uint64_t h = hmap_hash(s, strlen(s));
    return h ? h : 1;
}

/* Normalises a name into the arena ("" when missing or not UTF-8). */
static const char *norm_name(link_set *set, const char *raw, size_t len)
{
    char buf[LINK_NAME_MAX];
    if (raw == NULL || len == 0 || link_name_norm(raw, len, buf) != P20W_OK ||
        buf[0] == '\0')
        return "";
    return arena_strndup(set->strings, buf, strlen(buf));
}

p20w_status link_rec_finish(link_set *set, lrec *r)
{
    char sq[LINK_NAME_MAX], ny[LINK_NYSIIS_MAX];
    link_name_squash(r->last, sq);
    r->last_sq = r->last[0] ? arena_strndup(set->strings, sq, strlen(sq)) : "";
    if (r->last_sq == NULL)
        return P20W_ENOMEM;
    link_nysiis(sq, ny);
    r->last_ny = key_hash(ny);
    /* The phonetic key of the first word of the given name. */
    const char *part[1];
    size_t plen[1];
    char first_word[LINK_NAME_MAX] = "";
    if (link_name_parts(r->first, part, plen, 1) > 0) {
        memcpy(first_word, part[0], plen[0]);
        first_word[plen[0]] = '\0';
    }
    link_nysiis(first_word, ny);
    r->first_ny = key_hash(ny);
    r->first_initial_only = strlen(r->first) == 1;
    return P20W_OK;
}

static int64_t count_rows(store *st, const char *source, p20w_err *err)
{
    store_stmt *q = NULL;
    int64_t n = -1;
    int row = 0;
    if (store_prepare(st,
                      "SELECT count(*) FROM identity_vault v JOIN submissions "
                      "s ON s.submission_id = v.submission_id WHERE "
                      "s.status = 'accepted' AND v.source = ?",
                      &q, err) == P20W_OK &&
        store_bind_text(q, 1, source, (size_t)-1, err) == P20W_OK &&
        store_step(q, &row, err) == P20W_OK && row)
        n = store_column_int64(q, 0);
    store_finalize(q);
    return n;
}

/* Person sources with their own ids: merge rows by record_key. */
static p20w_status load_source(store *st, link_set *set, link_src src,
                               p20w_err *err)
{
    store_stmt *q = NULL;
    hmap *idx = NULL;
    p20w_status rc = store_prepare(
        st,
        "SELECT v.record_key, v.first_name, v.middle_name, v.last_name, "
        "v.birth_date, v.sex, v.ssn, v.ssn_valid, v.zip FROM identity_vault v "
        "JOIN submissions s ON s.submission_id = v.submission_id WHERE "
        "s.status = 'accepted' AND v.source = ? ORDER BY v.submission_id, "
        "v.line",
        &q, err);
    if (rc == P20W_OK)
        rc = store_bind_text(q, 1, src_names[src], (size_t)-1, err);
    if (rc == P20W_OK && hmap_create(&idx) != P20W_OK)
        rc = p20w_err_set(err, P20W_ENOMEM, "out of memory");
    set->first_of[src] = (uint32_t)set->recs.len;
    while (rc == P20W_OK) {
        int row;
        rc = store_step(q, &row, err);
        if (rc != P20W_OK || !row)
            break;
        const char *key = store_column_text(q, 0);
        size_t klen = store_column_bytes(q, 0);
        void *v = NULL;
        lrec *r;
        if (hmap_get(idx, key, klen, &v)) {
            r = vec_at(&set->recs, (size_t)(uintptr_t)v);
        } else {
            r = vec_push_zero(&set->recs);
            if (r == NULL ||
                hmap_put(idx, key, klen,
                         (void *)(uintptr_t)(set->recs.len - 1)) != P20W_OK) {
                rc = p20w_err_set(err, P20W_ENOMEM, "out of memory");
                break;
            }
            r->src = (uint8_t)src;
            r->dob = DOB_MISSING;
            r->first = r->middle = r->last = r->last_sq = "";
            r->key = arena_strndup(set->strings, key, klen);
        }
        r->rows++;
        if (r->first[0] == '\0')
            r->first = norm_name(set, store_column_text(q, 1),
                                 store_column_bytes(q, 1));
        if (r->middle[0] == '\0')
            r->middle = norm_name(set, store_column_text(q, 2),
                                  store_column_bytes(q, 2));
        if (r->last[0] == '\0')
            r->last = norm_name(set, store_column_text(q, 3),
                                store_column_bytes(q, 3));
        if (r->dob == DOB_MISSING && !store_column_is_null(q, 4)) {
            int32_t d;
            if (date_parse(store_column_text(q, 4), store_column_bytes(q, 4),
                           &d) == P20W_OK)
                r->dob = d;
        }
        const char *sex = store_column_text(q, 5);
        if (r->sex == 0 && sex != NULL && sex[0] != '\0')
            r->sex = sex[0];
        if (r->ssn[0] == '\0' && store_column_int64(q, 7) == 1)
            snprintf(r->ssn, sizeof r->ssn, "%s", store_column_text(q, 6));
        const char *zip = store_column_text(q, 8);
        if (r->zip[0] == '\0' && zip != NULL)
            snprintf(r->zip, sizeof r->zip, "%s", zip);
        if (r->key == NULL || r->first == NULL || r->middle == NULL ||
            r->last == NULL)
            rc = p20w_err_set(err, P20W_ENOMEM, "out of memory");
    }
    store_finalize(q);
    hmap_free(idx);
    set->count_of[src] = (uint32_t)set->recs.len - set->first_of[src];
    for (uint32_t i = set->first_of[src]; rc == P20W_OK && i < set->recs.len;
         i++)
        if (link_rec_finish(set, vec_at(&set->recs, i)) != P20W_OK)
            rc = p20w_err_set(err, P20W_ENOMEM, "out of memory");
    return rc;
}

/* Wage rows: group by (SSN, surname, first initial). */
static p20w_status load_wages(store *st, link_set *set, p20w_err *err)
{
    store_stmt *q = NULL;
    hmap *idx = NULL;
    int64_t total = count_rows(st, "ui_wages", err);
    if (total < 0)
        return P20W_ESTORE;
    p20w_status rc = vec_reserve(&set->wage_rows, (size_t)total);
    if (rc != P20W_OK)
        return p20w_err_set(err, rc, "out of memory");
    rc = store_prepare(
        st,
        "SELECT v.submission_id, v.line, v.first_name, v.last_name, v.ssn, "
        "v.ssn_valid FROM identity_vault v JOIN submissions s ON "
        "s.submission_id = v.submission_id WHERE s.status = 'accepted' AND "
        "v.source = 'ui_wages' ORDER BY v.submission_id, v.line",
        &q, err);
    if (rc == P20W_OK && hmap_create(&idx) != P20W_OK)
        rc = p20w_err_set(err, P20W_ENOMEM, "out of memory");
    set->first_of[SRC_UI] = (uint32_t)set->recs.len;
    while (rc == P20W_OK) {
        int row;
        rc = store_step(q, &row, err);
        if (rc != P20W_OK || !row)
            break;
        if (store_column_int64(q, 5) != 1) {
            set->invalid_ssn_rows++;
            continue;
        }
        char first[LINK_NAME_MAX], last[LINK_NAME_MAX], sq[LINK_NAME_MAX];
        if (link_name_norm(store_column_text(q, 2), store_column_bytes(q, 2),
                           first) != P20W_OK)
            first[0] = '\0';
        if (link_name_norm(store_column_text(q, 3), store_column_bytes(q, 3),
                           last) != P20W_OK)
            last[0] = '\0';
        link_name_squash(last, sq);
        char gk[2 * LINK_NAME_MAX + 16];
        int gl = snprintf(gk, sizeof gk, "%s\x1f%s\x1f%s",
                          store_column_text(q, 4), sq, first);
        if (gl < 0 || (size_t)gl >= sizeof gk)
            gl = (int)sizeof gk - 1;
        void *v = NULL;
        uint32_t ident;
        if (hmap_get(idx, gk, (size_t)gl, &v)) {
            ident = (uint32_t)(uintptr_t)v;
            lrec *r = vec_at(&set->recs, ident);
            r->rows++;
        } else {
            lrec *r = vec_push_zero(&set->recs);
            if (r == NULL) {
                rc = p20w_err_set(err, P20W_ENOMEM, "out of memory");
                break;
            }
            ident = (uint32_t)(set->recs.len - 1);
            r->src = SRC_UI;
            r->dob = DOB_MISSING;
            r->rows = 1;
            r->middle = "";
            r->first = arena_strndup(set->strings, first, strlen(first));
            r->last = arena_strndup(set->strings, last, strlen(last));
            char key[48];
            snprintf(key, sizeof key, "%lld:%lld",
                     (long long)store_column_int64(q, 0),
                     (long long)store_column_int64(q, 1));
            r->key = arena_strndup(set->strings, key, strlen(key));
            snprintf(r->ssn, sizeof r->ssn, "%s", store_column_text(q, 4));
            if (r->first == NULL || r->last == NULL || r->key == NULL ||
                hmap_put(idx, gk, (size_t)gl, (void *)(uintptr_t)ident) !=
                    P20W_OK ||
                link_rec_finish(set, r) != P20W_OK) {
                rc = p20w_err_set(err, P20W_ENOMEM, "out of memory");
                break;
            }
        }
        wage_row w = {store_column_int64(q, 0), store_column_int64(q, 1),
                      ident};
        if (vec_push(&set->wage_rows, &w) != P20W_OK)
            rc = p20w_err_set(err, P20W_ENOMEM, "out of memory");
    }
    store_finalize(q);
    hmap_free(idx);
    set->count_of[SRC_UI] = (uint32_t)set->recs.len - set->first_of[SRC_UI];
    return rc;
}

static p20w_status count_surnames(link_set *set)
{
    p20w_status rc = hmap_create(&set->surname_freq);
    for (uint32_t i = 0; rc == P20W_OK && i < set->first_of[SRC_UI]; i++) {
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

p20w_status link_set_load(store *st, const char *data_dir, link_set *set,
                          p20w_err *err)
{
    memset(set, 0, sizeof *set);
    vec_init(&set->recs, sizeof(lrec));
    vec_init(&set->wage_rows, sizeof(wage_row));
    p20w_status rc = arena_create(1 << 20, &set->strings);
    if (rc != P20W_OK)
        return p20w_err_set(err, rc, "out of memory");
    char path[4096];
    snprintf(path, sizeof path, "%s/nicknames.csv", data_dir);
    rc = link_nicknames_load(path, &set->nick, err);
    for (int s = SRC_K12; rc == P20W_OK && s < SRC_UI; s++)
        rc = load_source(st, set, (link_src)s, err);
    if (rc == P20W_OK)
        rc = load_wages(st, set, err);
    if (rc == P20W_OK && count_surnames(set) != P20W_OK)
        rc = p20w_err_set(err, P20W_ENOMEM, "out of memory");
    if (rc != P20W_OK)
        link_set_free(set);
    return rc;
}

void link_set_free(link_set *set)
{
    arena_free(set->strings);
    vec_free(&set->recs);
    vec_free(&set->wage_rows);
    hmap_free(set->surname_freq);
    link_nicknames_free(set->nick);
    memset(set, 0, sizeof *set);
}
