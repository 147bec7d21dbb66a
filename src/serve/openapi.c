/*
 * openapi.c — /api/v1/openapi.json: the OpenAPI 3.0 description of the
 * JSON API (api.c), written by hand with jansson so that it says exactly
 * what the handlers do. Every path has an example for each required
 * parameter; a test requests every path with them and expects 200.
 */
#include <jansson.h>

#include "measure/measure.h"
#include "serve/serveInt.h"

p20w_status serve_send_json(serve_resp *out, json_t *doc);

static json_t *param(const char *name, const char *in, int required,
                     const char *desc, json_t *schema, const char *example)
{
    json_t *p =
        json_pack("{s:s, s:s, s:b, s:s, s:o}", "name", name, "in", in,
                  "required", required, "description", desc, "schema", schema);
    if (p != NULL && example != NULL)
        json_object_set_new(p, "example", json_string(example));
    return p;
}

static json_t *str_schema(void)
{
    return json_pack("{s:s}", "type", "string");
}

static json_t *lang_param(void)
{
    return param(
        "lang", "query", 0,
        "Language of titles and labels: en (default) or es; "
        "otherwise Accept-Language decides.",
        json_pack("{s:s, s:[s, s]}", "type", "string", "enum", "en", "es"),
        NULL);
}

static json_t *ok_json(const char *desc, const char *schema_ref)
{
    return json_pack("{s:{s:s, s:{s:{s:{s:s}}}}, s:{s:s, s:{s:{s:{s:s}}}}}",
                     "200", "description", desc, "content", "application/json",
                     "schema", "$ref", schema_ref, "400", "description",
                     "A parameter is unknown, repeated or malformed; the "
                     "message says which.",
                     "content", "application/json", "schema", "$ref",
                     "#/components/schemas/Error");
}

static json_t *cells_params(void)
{
    json_t *a = json_pack(
        "[o, o, o, o, o, o]",
        param("indicator", "query", 1, "Indicator id, from /api/v1/indicators.",
              str_schema(), "EMP_Q2"),
        param("by", "query", 0,
              "Dimensions the table is cut by, separated by commas (one of "
              "the indicator's dimensions, or race,sex or race,econ); none: "
              "the state total. The indicator's required dimensions are "
              "added.",
              str_schema(), "race"),
        param("year", "query", 0, "Only this year.",
              json_pack("{s:s, s:i, s:i}", "type", "integer", "minimum", 1900,
                        "maximum", 2200),
              NULL),
        param("status", "query", 0, "Only cells of this status.",
              json_pack("{s:s, s:[s,s,s,s,s,s]}", "type", "string", "enum", "P",
                        "S", "C", "B", "L", "N"),
              NULL),
        param("format", "query", 0, "json (default) or csv.",
              json_pack("{s:s, s:[s,s]}", "type", "string", "enum", "json",
                        "csv"),
              NULL),
        lang_param());
    for (int d = 0; a != NULL && d < MD_COUNT; d++)
        json_array_append_new(
            a, param(measure_dim_name(d), "query", 0,
                     "Only cells with this value of the dimension (which "
                     "must be in 'by').",
                     str_schema(), NULL));
    return a;
}

static json_t *components(void)
{
    return json_pack(
        "{s:{s:{s:s, s:{s:{s:s, s:{s:{s:s}, s:{s:s}}}}},"
        "   s:{s:s, s:{s:{s:s}, s:{s:s}, s:{s:s}, s:{s:s}, s:{s:s}, s:{s:s},"
        "              s:{s:s}, s:{s:s}, s:{s:s}, s:{s:s}, s:{s:s}, s:{s:s},"
        "              s:{s:s}, s:{s:s}, s:{s:s}, s:{s:s}}, s:o},"
        "   s:{s:s, s:{s:{s:s}, s:{s:s}, s:{s:s}, s:{s:s}, s:{s:s},"
        "              s:{s:s}, s:{s:s}, s:{s:s}, s:{s:s}}},"
        "   s:{s:s}, s:{s:s}, s:{s:s}}}",
        "schemas", "Error", "type", "object", "properties", "error", "type",
        "object", "properties", "status", "type", "integer", "message", "type",
        "string",
        /* Cell */
        "Cell", "type", "object", "properties", "year", "type", "integer",
        "category", "type", "string", "status", "type", "string", "shown",
        "type", "string", "value", "type", "number", "n", "type", "integer",
        "numerator", "type", "integer", "denominator", "type", "integer",
        "rate_lo", "type", "number", "rate_hi", "type", "number", "p25", "type",
        "number", "median", "type", "number", "p75", "type", "number", "labels",
        "type", "object", "region", "type", "string", "school", "type",
        "string", "additionalProperties", json_pack("{s:s}", "type", "string"),
        /* Cells */
        "Cells", "type", "object", "properties", "indicator", "type", "string",
        "title", "type", "string", "statistic", "type", "string", "profile",
        "type", "string", "build_id", "type", "integer", "built_at", "type",
        "string", "published_at", "type", "string", "published", "type",
        "boolean", "cells", "type", "array",
        /* the rest, described loosely */
        "Indicators", "type", "object", "Indicator", "type", "object",
        "Metadata", "type", "object");
}

static json_t *document(void)
{
    json_t *cellsp = cells_params();
    json_t *doc = json_pack(
        "{s:s, s:{s:s, s:s, s:s}, s:[{s:s}],"
        " s:{"
        "  s:{s:{s:s, s:s, s:[o], s:o}},"
        "  s:{s:{s:s, s:s, s:[o, o], s:o}},"
        "  s:{s:{s:s, s:s, s:o, s:o}},"
        "  s:{s:{s:s, s:s, s:[o], s:o}},"
        "  s:{s:{s:s, s:s, s:{s:{s:s}}}}"
        " }, s:o}",
        "openapi", "3.0.3", "info", "title", "p20w published outcomes API",
        "version", "1", "description",
        "The published cells of a P-20W statewide longitudinal data system: "
        "every number has passed disclosure control. Cells with status S or "
        "C carry no number; B cells carry a range (rate_lo..rate_hi). Values "
        "of rates are fractions (0.85 = 85 %); earnings are dollars.",
        "servers", "url", "/", "paths",
        /* indicators */
        "/api/v1/indicators", "get", "summary", "The indicator catalog",
        "operationId", "listIndicators", "parameters", lang_param(),
        "responses",
        ok_json("Every indicator, with what is published of it.",
                "#/components/schemas/Indicators"),
        /* one indicator */
        "/api/v1/indicators/{id}", "get", "summary",
        "One indicator and its published tables", "operationId", "getIndicator",
        "parameters",
        param("id", "path", 1, "Indicator id.", str_schema(), "EMP_Q2"),
        lang_param(), "responses",
        ok_json("The indicator.", "#/components/schemas/Indicator"),
        /* cells */
        "/api/v1/cells", "get", "summary",
        "Published cells of one indicator, filtered", "operationId", "getCells",
        "parameters", cellsp, "responses",
        ok_json("The cells (CSV with format=csv).",
                "#/components/schemas/Cells"),
        /* metadata */
        "/api/v1/metadata", "get", "summary",
        "Builds, profiles, dimensions, statuses and code labels", "operationId",
        "getMetadata", "parameters", lang_param(), "responses",
        ok_json("Metadata.", "#/components/schemas/Metadata"),
        /* this document */
        "/api/v1/openapi.json", "get", "summary", "This document",
        "operationId", "getOpenApi", "responses", "200", "description",
        "The OpenAPI document.", "components", components());
    return doc;
}

p20w_status serve_openapi(serve_req *r, serve_resp *out)
{
    (void)r;
    return serve_send_json(out, document());
}
