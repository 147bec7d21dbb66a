/*
 * labels.c — category labels of the SHARE indicators (measure.h
 * category_label): OUTCOME_Yk categories, NAICS sectors (INDUSTRY_Yk)
 * and SOC codes (SUPPLY_DEMAND). English; translations belong to serve/.
 */
#include "measure/measureInt.h"

#include <stdio.h>

const char *mi_label_outcome(int32_t category)
{
    static const char *const names[MO_COUNT] = {
        [MO_APPRENTICESHIP] = "Apprenticeship",
        [MO_PS_EMPLOYED] = "Postsecondary and employed",
        [MO_PS_ONLY] = "Postsecondary only",
        [MO_EMPLOYED_ONLY] = "Employed only",
        [MO_RECORDS_NEITHER] = "In state records, neither",
        [MO_NOT_FOUND] = "Not found in state records",
    };
    if (category < 0 || category >= MO_COUNT)
        return "";
    return names[category];
}

/* NAICS 2022 sectors; ranges stand under their first code, as
 * tl_employer.sector folds them. */
static const struct {
    int32_t code;
    const char *name;
} sectors[] = {
    {0, "Unknown industry"},
    {11, "Agriculture, Forestry, Fishing and Hunting"},
    {21, "Mining, Quarrying, and Oil and Gas Extraction"},
    {22, "Utilities"},
    {23, "Construction"},
    {31, "Manufacturing"},
    {42, "Wholesale Trade"},
    {44, "Retail Trade"},
    {48, "Transportation and Warehousing"},
    {51, "Information"},
    {52, "Finance and Insurance"},
    {53, "Real Estate and Rental and Leasing"},
    {54, "Professional, Scientific, and Technical Services"},
    {55, "Management of Companies and Enterprises"},
    {56, "Administrative and Support and Waste Management and Remediation "
         "Services"},
    {61, "Educational Services"},
    {62, "Health Care and Social Assistance"},
    {71, "Arts, Entertainment, and Recreation"},
    {72, "Accommodation and Food Services"},
    {81, "Other Services (except Public Administration)"},
    {92, "Public Administration"},
    {99, "Unclassified"},
};

const char *mi_label_sector(int32_t category)
{
    for (size_t i = 0; i < sizeof sectors / sizeof *sectors; i++)
        if (sectors[i].code == category)
            return sectors[i].name;
    return "";
}

/* "29-1141"; a thread-local buffer, valid until the next call on the
 * same thread. */
const char *mi_label_soc(int32_t category)
{
    static _Thread_local char buf[16];
    if (category == 0)
        return "No projected occupation";
    if (category < 110000 || category > 999999)
        return "";
    snprintf(buf, sizeof buf, "%02d-%04d", (int)(category / 10000),
             (int)(category % 10000));
    return buf;
}
