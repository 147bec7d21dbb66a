/*
 * rng.h — the generator's own PRNG: xoshiro256** seeded through splitmix64.
 *
 * A stream is named by (seed, stream tag, index), so every person, family
 * and reference table gets an independent sequence that does not depend on
 * the order in which anything else was drawn. Plain values, no allocation.
 */
#ifndef P20W_SYNTH_RNG_H
#define P20W_SYNTH_RNG_H

#include <stddef.h>
#include <stdint.h>

typedef struct synth_rng {
    uint64_t s[4];
} synth_rng;

/* Stream tags. */
enum {
    SYNTH_STREAM_CORE = 1,   /* a person's identity and origin */
    SYNTH_STREAM_FAMILY = 2, /* pair (2k, 2k+1): twins, name twins */
    SYNTH_STREAM_LIFE = 3,   /* a person's life course */
    SYNTH_STREAM_NOISE = 4,  /* identity noise on a person's records */
    SYNTH_STREAM_WORLD = 5   /* schools, institutions, employers */
};

void synth_rng_seed(synth_rng *r, uint64_t seed, uint64_t stream,
                    uint64_t index);
uint64_t synth_rng_next(synth_rng *r);
/* Uniform in [0, 1). */
double synth_rng_unif(synth_rng *r);
/* Uniform integer in [0, n); n > 0. */
uint32_t synth_rng_below(synth_rng *r, uint32_t n);
/* Uniform integer in [lo, hi]. */
int synth_rng_range(synth_rng *r, int lo, int hi);
/* 1 with probability p. */
int synth_rng_chance(synth_rng *r, double p);
/* Standard normal (Box-Muller, no cached second value). */
double synth_rng_normal(synth_rng *r);
/* Index i with probability (cum[i] - cum[i-1]) / cum[n-1]; cum is
 * non-decreasing with cum[n-1] > 0. */
size_t synth_rng_pick_cum(synth_rng *r, const double *cum, size_t n);
/* Index i with probability w[i] / sum(w) for a small table. */
size_t synth_rng_pick_w(synth_rng *r, const double *w, size_t n);

/* splitmix64 finaliser: a good 64-bit mix of x. */
uint64_t synth_mix64(uint64_t x);

#endif
