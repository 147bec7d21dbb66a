/*
 * block.c — candidate pairs by blocking.
 *
 * Comparing every record with every other is quadratic; blocking compares
 * only records that agree exactly on some cheap key. Several passes with
 * different keys catch pairs that one noisy field would hide (a typo in
 * the birth date, in the surname, in the SSN). Each pass sorts the two
 * sides by key and emits the pairs of equal keys; blocks whose pair count
 * exceeds a cap (a very common key) are skipped and counted, since their
 * pairs are found by the other passes if they are true. The union of the
 * passes is sorted and made unique.
 *
 * Passes between two person sources (both carry birth dates):
 *   dob+first initial, dob+last initial, surname NYSIIS+birth year,
 *   given-name NYSIIS+birth month/day, given-name NYSIIS+birth year (a
 *   surname change or a dropped part together with a birth-date typo),
 *   SSN, SSN last four+birth year.
 * Passes against wage identities (no birth date): SSN, SSN digits 1–5,
 * SSN digits 6–9, SSN digits 1–4+7–9 (any one substituted digit and any
 * adjacent transposition leaves one of the partial keys intact).
 */
#include "link/linkInt.h"

#include <stdlib.h>
#include <string.h>

#include "util/date.h"
#include "util/mem.h"

#define BLOCK_CAP 20000 /* pairs per block */

typedef uint64_t (*key_fn)(const lrec *r);

static uint64_t mix(const void *buf, size_t n)
{
    uint64_t h = hmap_hash(buf, n);
    return h ? h : 1;
}

static uint64_t k_dob_first(const lrec *r)
{
    if (r->dob == DOB_MISSING || r->first[0] == '\0')
        return 0;
    char b[8];
    memcpy(b, &r->dob, 4);
    b[4] = r->first[0];
    return mix(b, 5);
}

static uint64_t k_dob_last(const lrec *r)
{
    if (r->dob == DOB_MISSING || r->last_sq[0] == '\0')
        return 0;
    char b[8];
    memcpy(b, &r->dob, 4);
    b[4] = r->last_sq[0];
    return mix(b, 5);
}

static uint64_t k_last_year(const lrec *r)
{
    if (r->dob == DOB_MISSING || r->last_ny == 0)
        return 0;
    int y;
    date_to_ymd(r->dob, &y, NULL, NULL);
    uint64_t b[2] = {r->last_ny, (uint64_t)y};
    return mix(b, sizeof b);
}

static uint64_t k_first_md(const lrec *r)
{
    if (r->dob == DOB_MISSING || r->first_ny == 0)
        return 0;
    int m, d;
    date_to_ymd(r->dob, NULL, &m, &d);
    uint64_t b[2] = {r->first_ny, (uint64_t)(m * 32 + d)};
    return mix(b, sizeof b);
}

static uint64_t k_first_year(const lrec *r)
{
    if (r->dob == DOB_MISSING || r->first_ny == 0)
        return 0;
    int y;
    date_to_ymd(r->dob, &y, NULL, NULL);
    uint64_t b[2] = {r->first_ny ^ 0x1f1f, (uint64_t)y};
    return mix(b, sizeof b);
}

static uint64_t k_ssn(const lrec *r)
{
    return r->ssn[0] ? mix(r->ssn, 9) : 0;
}

static uint64_t k_ssn4_year(const lrec *r)
{
    if (r->ssn[0] == '\0' || r->dob == DOB_MISSING)
        return 0;
    int y;
    date_to_ymd(r->dob, &y, NULL, NULL);
    char b[8];
    memcpy(b, r->ssn + 5, 4);
    memcpy(b + 4, &y, 4);
    return mix(b, 8);
}

static uint64_t k_ssn_head(const lrec *r)
{
    return r->ssn[0] ? mix(r->ssn, 5) ^ 0x5151 : 0;
}

static uint64_t k_ssn_tail(const lrec *r)
{
    return r->ssn[0] ? mix(r->ssn + 5, 4) ^ 0x7373 : 0;
}

static uint64_t k_ssn_ends(const lrec *r)
{
    if (r->ssn[0] == '\0')
        return 0;
    char b[7];
    memcpy(b, r->ssn, 4);
    memcpy(b + 4, r->ssn + 6, 3);
    return mix(b, 7) ^ 0x9191;
}

typedef struct pass {
    const char *name;
    key_fn key;
} pass;

static const pass person_passes[] = {
    {"birth date + first initial", k_dob_first},
    {"birth date + last initial", k_dob_last},
    {"surname phonetic + birth year", k_last_year},
    {"given-name phonetic + birth month/day", k_first_md},
    {"given-name phonetic + birth year", k_first_year},
    {"ssn", k_ssn},
    {"ssn last four + birth year", k_ssn4_year},
};

static const pass wage_passes[] = {
    {"ssn", k_ssn},
    {"ssn digits 1-5", k_ssn_head},
    {"ssn digits 6-9", k_ssn_tail},
    {"ssn digits 1-4,7-9", k_ssn_ends},
};

typedef struct kv {
    uint64_t key;
    uint32_t idx;
} kv;

static int by_key(const void *x, const void *y)
{
    const kv *a = x, *b = y;
    if (a->key != b->key)
        return a->key < b->key ? -1 : 1;
    return a->idx < b->idx ? -1 : a->idx > b->idx;
}

static int by_pair(const void *x, const void *y)
{
    const lpair *a = x, *b = y;
    if (a->a != b->a)
        return a->a < b->a ? -1 : 1;
    return a->b < b->b ? -1 : a->b > b->b;
}

/* Keys of the records of one source, sorted; zero keys left out. */
static kv *keys_of(const link_set *set, link_src s, key_fn fn, size_t *n)
{
    uint32_t first = set->first_of[s], count = set->count_of[s];
    kv *v = p20w_malloc((count ? count : 1) * sizeof *v);
    if (v == NULL)
        return NULL;
    size_t k = 0;
    for (uint32_t i = 0; i < count; i++) {
        uint64_t key = fn(link_rec(set, first + i));
        if (key != 0)
            v[k++] = (kv){key, first + i};
    }
    qsort(v, k, sizeof *v, by_key);
    *n = k;
    return v;
}

static p20w_status run_pass(const link_set *set, link_src sa, link_src sb,
                            key_fn fn, vec *pairs, block_stats *st)
{
    size_t na = 0, nb = 0;
    kv *a = keys_of(set, sa, fn, &na);
    kv *b = sa == sb ? a : keys_of(set, sb, fn, &nb);
    if (sa == sb)
        nb = na;
    p20w_status rc = (a == NULL || b == NULL) ? P20W_ENOMEM : P20W_OK;
    size_t i = 0, j = 0;
    while (rc == P20W_OK && i < na && j < nb) {
        if (a[i].key < b[j].key) {
            i++;
            continue;
        }
        if (a[i].key > b[j].key) {
            j++;
            continue;
        }
        size_t ie = i, je = j;
        while (ie < na && a[ie].key == a[i].key)
            ie++;
        while (je < nb && b[je].key == b[j].key)
            je++;
        uint64_t product = (uint64_t)(ie - i) * (je - j);
        if (product > BLOCK_CAP) {
            st->skipped_blocks++;
        } else {
            for (size_t x = i; rc == P20W_OK && x < ie; x++)
                for (size_t y = j; rc == P20W_OK && y < je; y++) {
                    if (sa == sb && a[x].idx >= b[y].idx)
                        continue;
                    lpair p = {a[x].idx, b[y].idx};
                    rc = vec_push(pairs, &p);
                    st->pairs++;
                }
        }
        i = ie;
        j = je;
    }
    if (b != a)
        p20w_free(b);
    p20w_free(a);
    return rc;
}

p20w_status link_block(const link_set *set, link_src sa, link_src sb,
                       vec *pairs, block_stats *stats, int *npasses,
                       p20w_err *err)
{
    const pass *passes = person_passes;
    size_t np = sizeof person_passes / sizeof person_passes[0];
    if (sa == SRC_UI || sb == SRC_UI) {
        passes = wage_passes;
        np = sizeof wage_passes / sizeof wage_passes[0];
    }
    vec_clear(pairs);
    p20w_status rc = P20W_OK;
    for (size_t p = 0; rc == P20W_OK && p < np; p++) {
        stats[p] = (block_stats){passes[p].name, 0, 0};
        rc = run_pass(set, sa, sb, passes[p].key, pairs, &stats[p]);
    }
    *npasses = (int)np;
    if (rc != P20W_OK)
        return p20w_err_set(err, rc, "out of memory while blocking");
    /* Union of the passes without repeats. */
    if (pairs->len > 1)
        qsort(pairs->data, pairs->len, sizeof(lpair), by_pair);
    lpair *v = pairs->data;
    size_t k = 0;
    for (size_t i = 0; i < pairs->len; i++)
        if (k == 0 || v[i].a != v[k - 1].a || v[i].b != v[k - 1].b)
            v[k++] = v[i];
    pairs->len = k;
    return P20W_OK;
}
