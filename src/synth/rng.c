/*
 * rng.c — xoshiro256** (Blackman & Vigna) seeded by splitmix64.
 *
 * Owns nothing but arithmetic. Results are identical on every platform
 * with IEEE doubles; the normal deviate uses libm log/sqrt/cos.
 */
#include "synth/rng.h"

#include <assert.h>
#include <math.h>

uint64_t synth_mix64(uint64_t x)
{
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

void synth_rng_seed(synth_rng *r, uint64_t seed, uint64_t stream,
                    uint64_t index)
{
    uint64_t x = synth_mix64(seed ^ synth_mix64(stream * 0x632be59bd9b4e019ULL ^
                                                synth_mix64(index)));
    for (int i = 0; i < 4; i++) {
        x = synth_mix64(x + (uint64_t)i);
        r->s[i] = x;
    }
    if ((r->s[0] | r->s[1] | r->s[2] | r->s[3]) == 0)
        r->s[0] = 1; /* the all-zero state is the one fixed point */
}

static uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

uint64_t synth_rng_next(synth_rng *r)
{
    uint64_t *s = r->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

double synth_rng_unif(synth_rng *r)
{
    return (double)(synth_rng_next(r) >> 11) * 0x1.0p-53;
}

uint32_t synth_rng_below(synth_rng *r, uint32_t n)
{
    assert(n > 0);
    /* Lemire's multiply-shift; the bias for n < 2^32 is below 2^-32. */
    return (uint32_t)(((synth_rng_next(r) >> 32) * (uint64_t)n) >> 32);
}

int synth_rng_range(synth_rng *r, int lo, int hi)
{
    assert(hi >= lo);
    return lo + (int)synth_rng_below(r, (uint32_t)(hi - lo + 1));
}

int synth_rng_chance(synth_rng *r, double p)
{
    return synth_rng_unif(r) < p;
}

double synth_rng_normal(synth_rng *r)
{
    double u1 = 1.0 - synth_rng_unif(r); /* (0, 1] */
    double u2 = synth_rng_unif(r);
    return sqrt(-2.0 * log(u1)) * cos(6.283185307179586 * u2);
}

size_t synth_rng_pick_cum(synth_rng *r, const double *cum, size_t n)
{
    assert(n > 0 && cum[n - 1] > 0);
    double x = synth_rng_unif(r) * cum[n - 1];
    size_t lo = 0, hi = n - 1;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (cum[mid] > x)
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}

size_t synth_rng_pick_w(synth_rng *r, const double *w, size_t n)
{
    double total = 0;
    for (size_t i = 0; i < n; i++)
        total += w[i];
    assert(total > 0);
    double x = synth_rng_unif(r) * total;
    for (size_t i = 0; i < n; i++) {
        if (x < w[i])
            return i;
        x -= w[i];
    }
    return n - 1;
}
