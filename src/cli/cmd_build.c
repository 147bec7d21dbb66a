/*
 * cmd_build.c — `p20w build`: the learner timeline, the designations and
 * every computed indicator of the catalog, into the cube of one reporting
 * profile.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "derive/derive.h"
#include "derive/profile.h"
#include "measure/cube.h"
#include "measure/measure.h"
#include "publish/publish.h"
#include "store/store.h"
#include "util/date.h"
#include "util/mem.h"

static const char usage_text[] =
    "usage: p20w build DB [--profile NAME] [--config FILE]\n"
    "                     [--indicator ID[,ID...]]\n"
    "                     [--no-publish | --publish-only]\n"
    "                     [--no-complementary]\n"
    "\n"
    "Builds the learner timeline from everything loaded and linked, derives\n"
    "the designations of spec/indicators.md, computes every indicator of\n"
    "the catalog into cells (the state total, each allowed dimension,\n"
    "race x sex and race x econ, per year) and stores them as the cube of\n"
    "the reporting profile, replacing that profile's previous cube in one\n"
    "transaction. Prints the time of each stage and the peak memory; both\n"
    "are stored with the build (table cube_builds), with the profile.\n"
    "\n"
    "options:\n"
    "  --profile NAME    reporting profile (default: default)\n"
    "  --config FILE     profiles file (config/profiles.ini is the shipped\n"
    "                    example); without it only the built-in `default`\n"
    "                    exists\n"
    "  --indicator IDS   only these indicators (comma-separated)\n"
    "  --no-publish      build the cube only; publish nothing\n"
    "  --publish-only    publish the profile's cube again as it is (after\n"
    "                    changing its disclosure numbers); build nothing\n"
    "  --no-complementary  primary disclosure rules only: an UNSAFE\n"
    "                    publication, for proving that 'p20w disclose\n"
    "                    audit DB' catches what complements prevent\n"
    "\n"
    "Read the cells with 'p20w cube DB --indicator ID'.\n";

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void print_stage(void *ctx, const cube_stage *s)
{
    (void)ctx;
    if (s->cells > 0)
        printf("  %-32s %9.2f s  %9lld cells\n", s->name, s->seconds,
               (long long)s->cells);
    else
        printf("  %-32s %9.2f s\n", s->name, s->seconds);
    fflush(stdout);
}

/* The indicators to compute: ids (comma-separated) or, when NULL, every
 * catalog entry with an emitter. *out is p20w_malloc'd. */
static p20w_status pick_indicators(const char *ids,
                                   const measure_indicator ***out, size_t *n,
                                   p20w_err *err)
{
    size_t count;
    const measure_indicator *cat = measure_catalog(&count);
    const measure_indicator **v = p20w_calloc(count + 1, sizeof *v);
    if (v == NULL)
        return p20w_err_set(err, P20W_ENOMEM, "out of memory");
    size_t k = 0;
    for (size_t i = 0; ids == NULL && i < count; i++)
        if (cat[i].emit != NULL)
            v[k++] = &cat[i];
    for (const char *s = ids; s != NULL && *s;) {
        const char *e = strchr(s, ',');
        size_t len = e ? (size_t)(e - s) : strlen(s);
        char id[64];
        const measure_indicator *ind = NULL;
        if (len > 0 && len < sizeof id) {
            memcpy(id, s, len);
            id[len] = '\0';
            ind = measure_find(id);
        }
        if (ind == NULL || ind->emit == NULL || k == count) {
            p20w_free(v);
            return p20w_err_set(err, ind ? P20W_EINVAL : P20W_ENOTFOUND,
                                ind ? "indicator %.*s is not computed yet"
                                    : "unknown indicator '%.*s'",
                                (int)(len > 60 ? 60 : len), s);
        }
        for (size_t j = 0; j < k; j++) {
            if (v[j] == ind) {
                p20w_free(v);
                return p20w_err_set(err, P20W_EINVAL,
                                    "indicator %s given twice", ind->id);
            }
        }
        v[k++] = ind;
        s = e ? e + 1 : NULL;
    }
    *out = v;
    *n = k;
    return P20W_OK;
}

int cmd_build(int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        fputs(usage_text, stdout);
        return 0;
    }
    const char *db = NULL, *name = "default", *config = NULL, *ids = NULL;
    int no_publish = 0, publish_only = 0;
    publish_opts popt = {0};
    for (int i = 1; i < argc; i++) {
        int more = i + 1 < argc;
        if (strcmp(argv[i], "--profile") == 0 && more)
            name = argv[++i];
        else if (strcmp(argv[i], "--config") == 0 && more)
            config = argv[++i];
        else if (strcmp(argv[i], "--indicator") == 0 && more)
            ids = argv[++i];
        else if (strcmp(argv[i], "--no-publish") == 0)
            no_publish = 1;
        else if (strcmp(argv[i], "--publish-only") == 0)
            publish_only = 1;
        else if (strcmp(argv[i], "--no-complementary") == 0)
            popt.no_complementary = 1;
        else if (argv[i][0] != '-' && db == NULL)
            db = argv[i];
        else
            return cli_usage_error("build", "unexpected '%s'", argv[i]);
    }
    if (db == NULL)
        return cli_usage_error("build", "missing DB");
    if (publish_only && (no_publish || ids != NULL))
        return cli_usage_error("build", "--publish-only publishes the whole "
                                        "cube: no --no-publish, no "
                                        "--indicator");

    p20w_err err = {0};
    p20w_config *cfg = NULL;
    p20w_profile prof;
    const measure_indicator **inds = NULL;
    size_t nind = 0;
    store *st = NULL;
    tl_state *tl = NULL;
    measure_refs *refs = NULL;
    char started[32];
    date_now_iso(started);
    p20w_status rc = P20W_OK;
    if (config != NULL)
        rc = profile_config_load(config, &cfg, &err);
    if (rc == P20W_OK)
        rc = profile_config_get(cfg, name, &prof, &err);
    if (rc == P20W_OK)
        rc = pick_indicators(ids, &inds, &nind, &err);
    if (rc == P20W_OK)
        rc = measure_refs_load(cli_data_dir(), &refs, &err);
    if (rc == P20W_OK)
        rc = store_open(db, 0, &st, NULL, &err);
    if (rc != P20W_OK)
        goto out;
    double t0;
    if (publish_only)
        goto publish;
    printf("building the cube of profile %s (%zu indicators)\n", prof.name,
           nind);
    if (nind == 0)
        printf("  note: no indicator of the catalog is computed yet\n");

    cube_stage before[2] = {{"load", 0, 0}, {"rules", 0, 0}};
    t0 = now_s();
    rc = derive_load(st, &prof, cli_data_dir(), &tl, &err);
    before[0].seconds = now_s() - t0;
    if (rc != P20W_OK)
        goto out;
    print_stage(NULL, &before[0]);
    t0 = now_s();
    rc = derive_rules(tl, &prof, &err);
    before[1].seconds = now_s() - t0;
    if (rc != P20W_OK)
        goto out;
    print_stage(NULL, &before[1]);

    cube_build_opts o = {.prof = &prof,
                         .st = tl,
                         .ind = inds,
                         .nind = nind,
                         .before = before,
                         .nbefore = 2,
                         .started_at = started,
                         .refs = refs,
                         .on_stage = print_stage};
    cube_build_report rep;
    rc = cube_build(st, &o, &rep, &err);
    if (rc == P20W_OK) {
        double total = 0;
        for (size_t i = 0; i < rep.nstages; i++)
            total += rep.stage[i].seconds;
        printf("build %lld: %lld cells, %.2f s, peak RSS %.1f MiB\n",
               (long long)rep.build_id, (long long)rep.cells, total,
               (double)rep.peak_rss_kb / 1024.0);
    }
publish:
    if (rc == P20W_OK && !no_publish) {
        publish_stats ps;
        t0 = now_s();
        rc = publish_cube(st, &prof, &popt, &ps, &err);
        if (rc == P20W_OK)
            printf("published %zu cells in %zu tables, %.2f s: %zu P, %zu S, "
                   "%zu C, %zu B, %zu L%s\n",
                   ps.status[0] + ps.status[1] + ps.status[2] + ps.status[3] +
                       ps.status[4],
                   ps.tables, now_s() - t0, ps.status[0], ps.status[1],
                   ps.status[2], ps.status[3], ps.status[4],
                   popt.no_complementary
                       ? " (primary rules only: NOT SAFE TO PUBLISH)"
                       : "");
        if (rc == P20W_OK && ps.withheld)
            printf("withheld: %zu breakdowns whose protection would hide a "
                   "total shown elsewhere, or that no suppression protects\n",
                   ps.withheld);
    }
out:
    tl_state_free(tl);
    measure_refs_free(refs);
    store_close(st);
    p20w_free(inds);
    profile_config_free(cfg);
    return rc == P20W_OK ? 0 : cli_fail(&err);
}
