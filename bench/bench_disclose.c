/*
 * bench_disclose.c — benchmark helper for disclosure control, driven by
 * bench/run.sh.
 *
 *   bench_disclose D0 D1 D2 SEED [rate]
 *
 * Builds a random D0 x D1 x D2 table (D2 = 1 gives a 2-D table) where
 * about a quarter of the cells are small (0..9), protects it with
 * disclose_run() and audits the result. Prints one line:
 *   "cells=N primary_s=S1 suppression_s=S2 audit_s=S3 S=a C=b B=c
 *    failures=f"
 * primary_s times the primary rules alone (disclose_run without
 * complementary suppression), the baseline the other figures are read
 * against. Generation is deterministic for a seed.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "disclose/disclose.h"
#include "util/mem.h"

static uint64_t next_rand(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static long parse(const char *s)
{
    char *end = NULL;
    long v = strtol(s, &end, 10);
    if (end == s || *end != '\0' || v < 1) {
        fprintf(stderr, "bench_disclose: bad number '%s'\n", s);
        exit(2);
    }
    return v;
}

int main(int argc, char **argv)
{
    if (argc < 5) {
        fprintf(stderr, "usage: bench_disclose D0 D1 D2 SEED [rate]\n");
        return 2;
    }
    size_t size[3] = {(size_t)parse(argv[1]), (size_t)parse(argv[2]),
                      (size_t)parse(argv[3])};
    uint64_t seed = (uint64_t)parse(argv[4]) * 0x9e3779b97f4a7c15ULL + 1;
    int rate = argc > 5;
    size_t dims = size[2] == 1 ? 2 : 3;
    disclose_profile p;
    disclose_profile_default(&p);
    disclose_table *t = NULL;
    p20w_err err = {0};
    if (disclose_table_new(dims, size, rate, 0, &t, &err) != P20W_OK) {
        fprintf(stderr, "bench_disclose: %s\n", err.msg);
        return 1;
    }
    for (size_t i = 0; i < disclose_table_cells(t); i++) {
        if (disclose_table_is_margin(t, i))
            continue;
        unsigned k = (unsigned)(next_rand(&seed) % 100);
        long n = k < 5    ? 0
                 : k < 25 ? 1 + (long)(next_rand(&seed) % 9)
                          : 10 + (long)(next_rand(&seed) % 300);
        long m = (long)(next_rand(&seed) % (uint64_t)(n + 1));
        disclose_table_set(t, i, n, m);
    }
    disclose_table_fill_margins(t);

    disclose_opts o = {0};
    o.no_complementary = 1;
    disclose_result *r = NULL;
    double t0 = now_s();
    if (disclose_run(&p, t, &o, &r, &err) != P20W_OK)
        goto fail;
    double t1 = now_s();
    disclose_result_free(r);
    r = NULL;
    if (disclose_run(&p, t, NULL, &r, &err) != P20W_OK)
        goto fail;
    double t2 = now_s();
    disclose_failure *f = NULL;
    size_t nf = 0;
    if (disclose_audit(&p, t, r, &f, &nf, &err) != P20W_OK)
        goto fail;
    double t3 = now_s();
    printf("cells=%zu primary_s=%.6f suppression_s=%.3f audit_s=%.3f S=%zu "
           "C=%zu B=%zu failures=%zu\n",
           disclose_table_cells(t), t1 - t0, t2 - t1, t3 - t2,
           disclose_result_count(r, 'S'), disclose_result_count(r, 'C'),
           disclose_result_count(r, 'B'), nf);
    p20w_free(f);
    disclose_result_free(r);
    disclose_table_free(t);
    return nf == 0 ? 0 : 1;
fail:
    fprintf(stderr, "bench_disclose: %s\n", err.msg);
    disclose_result_free(r);
    disclose_table_free(t);
    return 1;
}
