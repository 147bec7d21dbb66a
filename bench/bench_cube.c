/*
 * bench_cube.c — benchmark helper for the cube engine, driven by
 * bench/run.sh.
 *
 *   bench_cube UNITS rate|pct SEED
 *
 * Sends UNITS random units of an exiter-like indicator (allowed: region,
 * county, district, school, institution, cluster, program, CIP 2/4/6,
 * award level, sex, race, the seven flags, exiter; so 21 single dims and
 * the two intersections) over 10 years through the engine and computes the
 * cells, as `p20w build` does for one indicator. Prints one line:
 *   "units=N cells=C emit_s=S1 finish_s=S2 units_per_s=R peak_rss_kb=K"
 * emit_s is the aggregation of the units, finish_s the statistics (and,
 * for pct, the sorting of every cell's values). Deterministic for a seed.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "measure/cube.h"

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

#define BIT(d) (UINT64_C(1) << (d))

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: bench_cube UNITS rate|pct SEED\n");
        return 2;
    }
    long units = strtol(argv[1], NULL, 10);
    int pct = strcmp(argv[2], "pct") == 0;
    uint64_t seed = strtoull(argv[3], NULL, 10) | 1;
    uint64_t dims = BIT(MD_REGION) | BIT(MD_COUNTY) | BIT(MD_DISTRICT) |
                    BIT(MD_SCHOOL) | BIT(MD_INSTITUTION) | BIT(MD_CLUSTER) |
                    BIT(MD_PROGRAM) | BIT(MD_CIP2) | BIT(MD_CIP4) |
                    BIT(MD_CIP6) | BIT(MD_AWARD_LEVEL) | BIT(MD_SEX) |
                    BIT(MD_RACE) | BIT(MD_EXITER);
    for (int d = MD_ECON; d <= MD_MILITARY; d++)
        dims |= BIT(d);
    const measure_indicator ind = {
        .id = "BENCH", .stat = pct ? MS_PERCENTILE : MS_RATE, .dims = dims};
    cube *c = NULL;
    p20w_err err = {0};
    if (cube_new(NULL, &c, &err) != P20W_OK ||
        cube_begin(c, &ind, &err) != P20W_OK)
        return 3;
    measure_sink sink = cube_sink(c);
    double t0 = now_s();
    for (long i = 0; i < units; i++) {
        measure_unit u;
        measure_unit_init(&u);
        uint64_t r = next_rand(&seed), r2 = next_rand(&seed);
        int school = (int)(r % 1500);
        u.year = 2014 + (int32_t)(r2 % 10);
        u.dim[MD_SCHOOL] = school;
        u.dim[MD_DISTRICT] = school / 8;
        u.dim[MD_COUNTY] = school / 12;
        u.dim[MD_REGION] = school / 75;
        int ps = (r >> 11) % 3 == 0; /* a third are postsecondary exits */
        if (ps) {
            int cip6 = (int)((r >> 13) % 1000);
            u.dim[MD_INSTITUTION] = (int32_t)((r >> 23) % 80);
            u.dim[MD_CIP6] = 10000 + cip6 * 500;
            u.dim[MD_CIP4] = u.dim[MD_CIP6] / 100;
            u.dim[MD_CIP2] = u.dim[MD_CIP6] / 10000;
            u.dim[MD_AWARD_LEVEL] = 1 + (int32_t)((r >> 30) % 5);
        } else if ((r >> 33) % 4 == 0) {
            u.dim[MD_PROGRAM] = (int32_t)((r >> 35) % 300);
            u.dim[MD_CLUSTER] = u.dim[MD_PROGRAM] % 16;
        }
        u.dim[MD_SEX] = r2 & 1 ? 'F' : 'M';
        u.dim[MD_RACE] = (int32_t)((r2 >> 1) % 7);
        for (int d = MD_ECON; d <= MD_MILITARY; d++)
            u.dim[d] = (int32_t)((r2 >> (4 + d)) & 1);
        u.dim[MD_EXITER] = ps ? 3 : (int32_t)((r2 >> 40) % 3);
        u.in_numerator = (r2 >> 50) % 4 != 0;
        u.value = (double)((r2 >> 20) % 8000000) / 100.0;
        if (measure_emit(&sink, &u) != P20W_OK)
            return 3;
    }
    double t1 = now_s();
    if (cube_finish(c, &err) != P20W_OK)
        return 3;
    double t2 = now_s();
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("units=%ld cells=%zu emit_s=%.3f finish_s=%.3f units_per_s=%.0f "
           "peak_rss_kb=%ld\n",
           units, cube_cell_count(c), t1 - t0, t2 - t1,
           (double)units / (t1 - t0), (long)ru.ru_maxrss);
    cube_free(c);
    return 0;
}
