/*
 * synth.c — the driver: checks the options, loads the reference tables,
 * builds the world (geography, institutions, employer pool), then lives
 * each person in index order, streaming their rows to the open files.
 *
 * Memory is the world (reference pools, schools, institutions, employers:
 * the employer pool grows with N/10) and one person's scratch; nothing per
 * person is kept after the person is written.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "synth/synth_int.h"
#include "util/csv.h"
#include "util/mem.h"
#include "util/progress.h"

const char *const synth_race_code[R_COUNT] = {"HI", "AI", "AS", "BL",
                                              "PI", "WH", "TW"};

void synth_options_init(synth_options *o)
{
    memset(o, 0, sizeof *o);
    o->learners = 1000;
    o->seed = 1;
    memcpy(o->state, "KY", 3);
    o->noise = SYNTH_NOISE_DEFAULT;
}

p20w_status synth_noise_parse(const char *s, synth_noise *out)
{
    if (strcmp(s, "low") == 0)
        *out = SYNTH_NOISE_LOW;
    else if (strcmp(s, "default") == 0)
        *out = SYNTH_NOISE_DEFAULT;
    else if (strcmp(s, "high") == 0)
        *out = SYNTH_NOISE_HIGH;
    else
        return P20W_EUSAGE;
    return P20W_OK;
}

p20w_status synth_read_ref(const synth_world *w, const char *file,
                           const char *const *cols, size_t ncols,
                           synth_row_fn row, void *ctx, p20w_err *err)
{
    char path[4096];
    csv_reader *r = NULL;
    const csv_field *f = NULL;
    size_t nf = 0;
    size_t idx[16];
    const char *v[16];
    p20w_status st;
    if (ncols > 16)
        return p20w_err_set(err, P20W_EINTERNAL, "too many columns");
    snprintf(path, sizeof path, "%s/%s", w->opt.data_dir, file);
    st = csv_reader_open_file(path, NULL, &r, err);
    if (st != P20W_OK)
        goto out;
    st = csv_read(r, &f, &nf, err);
    if (st != P20W_OK)
        goto out;
    for (size_t c = 0; c < ncols; c++) {
        size_t k = 0;
        while (k < nf && strcmp(f[k].ptr, cols[c]) != 0)
            k++;
        if (k == nf) {
            st = p20w_err_set(err, P20W_EFORMAT, "%s: no column '%s'", path,
                              cols[c]);
            goto out;
        }
        idx[c] = k;
    }
    size_t width = nf;
    for (;;) {
        st = csv_read(r, &f, &nf, err);
        if (st != P20W_OK || nf == 0)
            break;
        if (nf != width) {
            st = p20w_err_set(err, P20W_EFORMAT,
                              "%s: row has %zu fields, "
                              "header has %zu",
                              path, nf, width);
            p20w_err_at(err, path, csv_reader_line(r), 0);
            break;
        }
        for (size_t c = 0; c < ncols; c++)
            v[c] = f[idx[c]].ptr;
        st = row(ctx, v, err);
        if (st != P20W_OK)
            break;
    }
out:
    if (st != P20W_OK && err != NULL && err->file[0] == '\0')
        p20w_err_at(err, path, r ? csv_reader_line(r) : 0, err->col);
    csv_reader_close(r);
    return st;
}

static void pool_free(synth_pool *p)
{
    p20w_free((void *)p->item);
    p20w_free(p->cum);
}

static void world_free(synth_world *w)
{
    for (int i = 0; i < 2; i++)
        pool_free(&w->first[i]);
    for (int i = 0; i < R_COUNT; i++)
        pool_free(&w->last[i]);
    pool_free(&w->cip_sub);
    pool_free(&w->cip_bach);
    pool_free(&w->cip_dual);
    pool_free(&w->soc);
    for (int i = 0; i < SYNTH_NIND; i++) {
        pool_free(&w->naics[i]);
        for (int r = 0; r < 2; r++) {
            p20w_free(w->grp_emp[i][r]);
            p20w_free(w->grp_cum[i][r]);
        }
    }
    p20w_free(w->nick);
    p20w_free(w->county);
    p20w_free(w->county_cum);
    p20w_free(w->emp);
    for (int i = 0; i < F_COUNT; i++)
        if (w->f[i] != NULL)
            fclose(w->f[i]);
    arena_free(w->a);
}

static p20w_status check_options(const synth_options *o, p20w_err *err)
{
    if (o->out_dir == NULL || o->out_dir[0] == '\0')
        return p20w_err_set(err, P20W_EUSAGE, "no output directory");
    if (o->data_dir == NULL || o->data_dir[0] == '\0')
        return p20w_err_set(err, P20W_EUSAGE, "no reference data directory");
    if (o->learners < 1 || o->learners > SYNTH_MAX_LEARNERS)
        return p20w_err_set(err, P20W_EUSAGE,
                            "learners must be between 1 and %llu",
                            (unsigned long long)SYNTH_MAX_LEARNERS);
    if (!isupper((unsigned char)o->state[0]) ||
        !isupper((unsigned char)o->state[1]) || o->state[2] != '\0')
        return p20w_err_set(err, P20W_EUSAGE,
                            "state must be a two-letter USPS code");
    if (o->noise < SYNTH_NOISE_LOW || o->noise > SYNTH_NOISE_HIGH)
        return p20w_err_set(err, P20W_EUSAGE, "bad noise level");
    return P20W_OK;
}

p20w_status synth_run(const synth_options *o, synth_stats *stats, p20w_err *err)
{
    static const double scale[3] = {0.5, 1.0, 2.0};
    synth_world *w = NULL;
    progress *pg = NULL;
    p20w_status st = check_options(o, err);
    if (st != P20W_OK)
        return st;
    w = p20w_calloc(1, sizeof *w);
    if (w == NULL)
        return p20w_err_set(err, P20W_ENOMEM, "out of memory");
    w->opt = *o;
    w->noise_scale = scale[o->noise];
    st = arena_create(0, &w->a);
    if (st != P20W_OK) {
        st = p20w_err_set(err, st, "out of memory");
        goto out;
    }
    st = synth_names_load(w, err);
    if (st == P20W_OK)
        st = synth_codes_load(w, err);
    if (st == P20W_OK)
        st = synth_geo_build(w, err);
    if (st == P20W_OK)
        st = synth_emit_open(w, err);
    if (st == P20W_OK)
        st = synth_emit_reference(w, err);
    if (st != P20W_OK)
        goto out;
    uint64_t total = o->learners + o->learners / SYNTH_IN_MIGRANT_DIV;
    if (o->show_progress)
        pg = progress_start("synth", total);
    for (uint64_t i = 0; i < total; i++) {
        st = synth_person_emit(w, i, err);
        if (st != P20W_OK)
            goto out;
        if (pg != NULL && (i & 255) == 0)
            progress_update(pg, i, w->data_rows);
    }
    st = synth_emit_close(w, err);
    if (stats != NULL) {
        stats->persons = total;
        stats->rows = w->data_rows;
        stats->wage_rows = w->rows[F_UI_WAGES];
    }
out:
    if (pg != NULL) {
        progress_update(pg, o->learners + o->learners / SYNTH_IN_MIGRANT_DIV,
                        w->data_rows);
        progress_finish(pg);
    }
    world_free(w);
    p20w_free(w);
    return st;
}
