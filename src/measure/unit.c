/*
 * unit.c — measure units and dimension names (measure.h).
 */
#include "measure/measure.h"

#include <string.h>

static const char *const dim_names[MD_COUNT] = {
    [MD_REGION] = "region",
    [MD_COUNTY] = "county",
    [MD_DISTRICT] = "district",
    [MD_SCHOOL] = "school",
    [MD_INSTITUTION] = "institution",
    [MD_CLUSTER] = "cluster",
    [MD_PROGRAM] = "program",
    [MD_CIP2] = "cip2",
    [MD_CIP4] = "cip4",
    [MD_CIP6] = "cip6",
    [MD_AWARD_LEVEL] = "award_level",
    [MD_SEX] = "sex",
    [MD_RACE] = "race",
    [MD_ECON] = "econ",
    [MD_DISABILITY] = "disability",
    [MD_EL] = "english_learner",
    [MD_HOMELESS] = "homeless",
    [MD_FOSTER] = "foster_care",
    [MD_MIGRANT] = "migrant",
    [MD_MILITARY] = "military",
    [MD_NONTRAD] = "nontraditional",
    [MD_LOCALE] = "locale",
    [MD_EXITER] = "exiter",
    [MD_WBL] = "wbl",
    [MD_SUBJECT] = "subject",
    [MD_QUARTER] = "quarter",
};

const char *measure_dim_name(int dim)
{
    if (dim < 0 || dim >= MD_COUNT)
        return "";
    return dim_names[dim];
}

int measure_dim_find(const char *name)
{
    for (int d = 0; d < MD_COUNT; d++)
        if (strcmp(dim_names[d], name) == 0)
            return d;
    return -1;
}

void measure_unit_init(measure_unit *u)
{
    memset(u, 0, sizeof *u);
    for (int d = 0; d < MD_COUNT; d++)
        u->dim[d] = TL_NONE;
}

void measure_unit_person(measure_unit *u, const tl_state *st,
                         const tl_person *p)
{
    static const int flag_dim[TL_FLAG_COUNT] = {
        MD_ECON,   MD_DISABILITY, MD_EL,      MD_HOMELESS,
        MD_FOSTER, MD_MIGRANT,    MD_MILITARY};
    if (p->sex)
        u->dim[MD_SEX] = (unsigned char)p->sex;
    if (p->race != TL_RACE_UNKNOWN)
        u->dim[MD_RACE] = p->race;
    for (int f = 0; f < TL_FLAG_COUNT; f++)
        u->dim[flag_dim[f]] = (p->flags >> f) & 1;
    if (p->home_county != TL_NONE) {
        const tl_county *c =
            (const tl_county *)st->counties.data + p->home_county;
        if (u->dim[MD_COUNTY] == TL_NONE)
            u->dim[MD_COUNTY] = p->home_county;
        if (u->dim[MD_REGION] == TL_NONE)
            u->dim[MD_REGION] = c->region;
    }
}

p20w_status measure_emit(measure_sink *sink, const measure_unit *u)
{
    return sink->fn(sink->ctx, u);
}
