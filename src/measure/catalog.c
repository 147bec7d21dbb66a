/*
 * catalog.c — the indicator catalog: every indicator of
 * spec/indicators.md, declared once (measure.h).
 *
 * Skeleton: ids and statistics only; titles, explanations, dimensions,
 * notes and emitters are filled in as the indicators are built.
 */
#include "measure/measure.h"

#include <string.h>

static const measure_indicator catalog[] = {
    {.id = "HS_GRAD4", .stat = MS_RATE},
    {.id = "P5_1S1", .stat = MS_RATE},
    {.id = "P5_2S1", .stat = MS_RATE},
    {.id = "P5_2S2", .stat = MS_RATE},
    {.id = "P5_2S3", .stat = MS_RATE},
    {.id = "P5_3S1", .stat = MS_RATE},
    {.id = "P5_4S1", .stat = MS_RATE},
    {.id = "P5_5S1", .stat = MS_RATE},
    {.id = "P5_5S2", .stat = MS_RATE},
    {.id = "P5_5S3", .stat = MS_RATE},
    {.id = "P5_1P1", .stat = MS_RATE},
    {.id = "P5_2P1", .stat = MS_RATE},
    {.id = "P5_3P1", .stat = MS_RATE},
    {.id = "EMP_Q2", .stat = MS_RATE},
    {.id = "EMP_Q4", .stat = MS_RATE},
    {.id = "MED_EARN_Q2", .stat = MS_PERCENTILE},
    {.id = "OUTCOME_Y1", .stat = MS_SHARE},
    {.id = "OUTCOME_Y3", .stat = MS_SHARE},
    {.id = "OUTCOME_Y5", .stat = MS_SHARE},
    {.id = "OUTCOME_Y10", .stat = MS_SHARE},
    {.id = "EARN_Y1", .stat = MS_PERCENTILE},
    {.id = "EARN_Y5", .stat = MS_PERCENTILE},
    {.id = "EARN_Y10", .stat = MS_PERCENTILE},
    {.id = "INDUSTRY_Y1", .stat = MS_SHARE},
    {.id = "HOME_REGION_Y1", .stat = MS_RATE},
    {.id = "EMP_WHILE_HS", .stat = MS_RATE},
    {.id = "WBL_OUTCOMES_EMP_Q2", .stat = MS_RATE},
    {.id = "WBL_OUTCOMES_EARN_Y1", .stat = MS_PERCENTILE},
    {.id = "OPP_YOUTH", .stat = MS_RATE},
    {.id = "PS_COMPLETE_150", .stat = MS_RATE},
    {.id = "SUPPLY_DEMAND", .stat = MS_COUNT},
    {.id = "CRED_OF_VALUE", .stat = MS_FLAG},
};

const measure_indicator *measure_catalog(size_t *count)
{
    *count = sizeof catalog / sizeof catalog[0];
    return catalog;
}

const measure_indicator *measure_find(const char *id)
{
    for (size_t i = 0; i < sizeof catalog / sizeof catalog[0]; i++)
        if (strcmp(catalog[i].id, id) == 0)
            return &catalog[i];
    return NULL;
}
