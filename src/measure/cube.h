/*
 * cube.h — the cube engine: aggregates one indicator's units (measure.h)
 * into cells, and writes whole cubes to the store.
 *
 * Cells. For every year the units carry, the engine makes:
 *   - the state total (cut by no dimension);
 *   - one cell per value of every allowed single dimension
 *     (measure_indicator.dims);
 *   - the two-way intersections race x sex and race x econ, when both
 *     dimensions are allowed.
 * An indicator's required_dims cut every cell, the total included: a cell
 * "by school" of an indicator requiring MD_QUARTER is cut by school and
 * quarter. A unit whose value on a dimension is TL_NONE enters no cell cut
 * by that dimension (it still enters the state total); a unit with
 * TL_NONE on a required dimension enters no cell at all.
 *
 * Statistics per cell (measure_indicator.stat):
 *   RATE, FLAG  n = denominator = units; numerator = units with
 *               in_numerator; value = numerator / denominator.
 *   SHARE       one cell per category present in each dimension
 *               combination: numerator = units of the category,
 *               denominator = n = all units of the combination; value =
 *               numerator / denominator. The shares of a combination sum
 *               to 1.
 *   PERCENTILE  n = units; p25, median, p75 of the units' values (nearest
 *               rank, see cube_percentile()); value = median.
 *   COUNT       n = numerator = value = units.
 *
 * Memory. Units are aggregated as they arrive (the engine never keeps a
 * unit): per cell a count and a numerator, and for PERCENTILE the values.
 * One indicator at a time: cube_begin() drops the previous indicator's
 * cells.
 *
 * Not thread-safe: one cube per thread.
 */
#ifndef P20W_CUBE_H
#define P20W_CUBE_H

#include <stddef.h>
#include <stdint.h>

#include "derive/profile.h"
#include "derive/timeline.h"
#include "measure/measure.h"
#include "store/store.h"
#include "util/error.h"
#include "util/sbuf.h"

/* Dimensions one cell can be cut by: required dims plus up to two. */
#define CUBE_KEY_DIMS 4

typedef struct cube cube;

/* One computed cell. */
typedef struct cube_cell {
    int32_t year;
    int ndims;                  /* dims the cell is cut by, enum order */
    int8_t dim[CUBE_KEY_DIMS];  /* enum measure_dim */
    int32_t val[CUBE_KEY_DIMS]; /* the unit value of each */
    int32_t category;           /* SHARE: the category; else 0 */
    int64_t n;                  /* see the statistics above */
    int64_t numerator, denominator;
    double value;
    double p25, median, p75; /* PERCENTILE only */
} cube_cell;

/* A new engine. st names the values of index dimensions (school ids,
 * county FIPS ...) in cube_cell_key(); it may be NULL (tests), and then
 * such values are written "#<index>". Errors: P20W_ENOMEM. */
p20w_status cube_new(const tl_state *st, cube **out, p20w_err *err);

/* Starts indicator ind: drops the previous indicator's cells. ind must
 * outlive the cube's use of it. More than CUBE_KEY_DIMS - 2 required
 * dims is P20W_EINVAL. */
p20w_status cube_begin(cube *c, const measure_indicator *ind, p20w_err *err);

/* The sink emitters send ind's units to (valid until cube_free); its refs
 * are NULL (cube_build() sets them from its options). Its
 * function fails with P20W_ENOMEM, or P20W_EINVAL for a PERCENTILE unit
 * whose value is not a finite number. */
measure_sink cube_sink(cube *c);

/* Computes the cells of the units received since cube_begin(), sorted by
 * dimension combination (the total, single dims in enum order, then the
 * intersections), year, values and category. Errors: P20W_ENOMEM. */
p20w_status cube_finish(cube *c, p20w_err *err);

/* The cells computed by cube_finish(). */
size_t cube_cell_count(const cube *c);
const cube_cell *cube_cell_at(const cube *c, size_t i);

/* Units received since cube_begin(), and how many of them entered no cell
 * (TL_NONE on a required dimension). */
int64_t cube_units(const cube *c);
int64_t cube_units_dropped(const cube *c);

/* Writes the canonical texts of cell: into key its dims_key
 * ("school=KY0012;sex=F", dims in enum order, then ";category=LABEL" for
 * SHARE; "" for the state total), into json the same as a JSON object,
 * into dims the names of its dims joined by ',' ("race,sex"). Any of the
 * buffers may be NULL; they are reset first. Errors: P20W_ENOMEM. */
p20w_status cube_cell_key(const cube *c, const cube_cell *cell, sbuf *key,
                          sbuf *json, sbuf *dims);

/* The readable label of value v on dimension dim, as dims_key writes it:
 * ids for index dimensions (school, county FIPS, region name ...), codes
 * for enums (race "HI", cluster "AG", award level "CERT", locale "city",
 * exiter "hs_grad", WBL "none"/"INTERNSHIP", subject "ELA"), 'Y'/'N' for
 * flags, "51" / "51.08" / "51.0801" for CIP, "2024Q3" for quarters. st
 * may be NULL. Writes at most cap bytes (NUL included) into buf. */
void cube_dim_label(const tl_state *st, int dim, int32_t v, char *buf,
                    size_t cap);

/* The nearest-rank percentile of sorted values x[0..n-1], n >= 1, at
 * p = num/den: the value at 1-based rank ceil(p * n); the median (1/2)
 * of an even n is the mean of the two middle values. */
double cube_percentile(const double *x, size_t n, int num, int den);

void cube_free(cube *c);

/* ---- whole builds (cube_store.c) --------------------------------------- */

/* One stage of a build and its time. */
typedef struct cube_stage {
    char name[48]; /* "load", "rules", "indicator EMP_Q2", "write" */
    double seconds;
    int64_t cells; /* cells written by an indicator stage, else 0 */
} cube_stage;

#define CUBE_MAX_STAGES 64

typedef struct cube_build_opts {
    const p20w_profile *prof;
    const tl_state *st;
    /* the indicators to compute, each with a non-NULL emit */
    const measure_indicator *const *ind;
    size_t nind;
    /* stages already run by the caller (load, rules), recorded with the
     * build */
    const cube_stage *before;
    size_t nbefore;
    const char *started_at; /* ISO time the build started; NULL = now */
    /* reference data handed to the emitters through their sink (loaded
     * once per build); NULL lets each emitter that needs it load its own */
    const measure_refs *refs;
    /* called after each stage (may be NULL) */
    void (*on_stage)(void *ctx, const cube_stage *s);
    void *ctx;
} cube_build_opts;

typedef struct cube_build_report {
    int64_t build_id;
    size_t nstages; /* stages of the build, o->before included */
    cube_stage stage[CUBE_MAX_STAGES];
    int64_t cells;    /* cells written */
    long peak_rss_kb; /* getrusage ru_maxrss at the end */
} cube_build_report;

/* Computes every indicator of o into cells and stores them as the cube of
 * o->prof->name, replacing that profile's previous cube in one
 * transaction: the old cells are deleted and the new written together, so
 * readers see the old cube or the new one, never a mix, and a failed build
 * leaves the previous cube as it was. A row of cube_builds records the
 * build: profile and its JSON, start and end, stage times (JSON) and
 * status ('running' while it runs; then 'complete', or 'failed' when it
 * fails; the previous complete build becomes 'replaced').
 * Errors: those of the emitters, the store, P20W_ENOMEM; on error the
 * report holds the stages run so far. */
p20w_status cube_build(store *db, const cube_build_opts *o,
                       cube_build_report *rep, p20w_err *err);

#endif
