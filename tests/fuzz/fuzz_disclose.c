/*
 * fuzz_disclose.c — libFuzzer property target for disclosure control
 * (src/disclose/): whatever the table, disclose_run() must succeed and its
 * publication must pass disclose_audit() — no hidden number narrowed, no
 * published count below min_n, no 0 % or 100 % — and the same table must
 * give the same result twice.
 *
 * Input: byte 0 the dimensions (1..3), bytes 1..3 the sizes (1..4), byte
 * 4 flags (bit 0: rate table; bits 1..2: min_n 5, 10, 20 or 3; bits 3..4:
 * protect_pct 0.5, 0.25, 1 or 0), then two bytes per interior cell: the
 * count (small values are common: below 128 it is byte % 20, else up to
 * 635) and the numerator (modulo n + 1). Missing bytes are zeros.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "disclose/disclose.h"
#include "util/mem.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint8_t byte_at(const uint8_t *data, size_t size, size_t i)
{
    return i < size ? data[i] : 0;
}

static void profile_from(uint8_t flags, disclose_profile *p)
{
    static const long min_n[] = {5, 10, 20, 3};
    static const double protect[] = {0.5, 0.25, 1.0, 0.0};
    disclose_profile_default(p);
    p->min_n = min_n[(flags >> 1) & 3];
    p->protect_pct = protect[(flags >> 3) & 3];
    if (p->min_n_percentile < p->min_n)
        p->min_n_percentile = p->min_n;
    disclose_band *last = &p->band[p->band_count - 1];
    if (last->min_denominator > p->min_n)
        last->min_denominator = p->min_n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t dims = 1 + byte_at(data, size, 0) % 3, sz[3];
    for (size_t d = 0; d < 3; d++)
        sz[d] = 1 + byte_at(data, size, 1 + d) % 4;
    uint8_t flags = byte_at(data, size, 4);
    disclose_profile p;
    profile_from(flags, &p);
    disclose_table *t = NULL;
    if (disclose_table_new(dims, sz, flags & 1, 0, &t, NULL) != P20W_OK)
        abort();
    size_t pos = 5;
    for (size_t i = 0; i < disclose_table_cells(t); i++) {
        if (disclose_table_is_margin(t, i))
            continue;
        uint8_t a = byte_at(data, size, pos++), b = byte_at(data, size, pos++);
        long n = a < 128 ? a % 20 : (long)(a - 128) * 5;
        long m = (long)b % (n + 1);
        if (disclose_table_set(t, i, n, m) != P20W_OK)
            abort();
    }
    disclose_table_fill_margins(t);
    disclose_result *r = NULL, *r2 = NULL;
    disclose_failure *f = NULL;
    size_t nf = 0;
    if (disclose_run(&p, t, NULL, &r, NULL) != P20W_OK)
        abort();
    if (disclose_audit(&p, t, r, &f, &nf, NULL) != P20W_OK || nf != 0)
        abort();
    for (size_t i = 0; i < disclose_table_cells(t); i++) {
        const disclose_cell *c = disclose_result_cell(r, i);
        if (c->show_n && c->n < p.min_n)
            abort();
        if (c->has_rate && c->rate_lo == c->rate_hi &&
            (c->rate_lo <= 0.0 || c->rate_lo >= 1.0))
            abort();
    }
    if (disclose_run(&p, t, NULL, &r2, NULL) != P20W_OK)
        abort();
    for (size_t i = 0; i < disclose_table_cells(t); i++) {
        const disclose_cell *a = disclose_result_cell(r, i);
        const disclose_cell *b = disclose_result_cell(r2, i);
        if (a->status != b->status || strcmp(a->label, b->label) != 0 ||
            a->show_n != b->show_n || a->show_numerator != b->show_numerator ||
            a->has_rate != b->has_rate || a->rate_lo != b->rate_lo ||
            a->rate_hi != b->rate_hi)
            abort();
    }
    p20w_free(f);
    disclose_result_free(r);
    disclose_result_free(r2);
    disclose_table_free(t);
    return 0;
}
