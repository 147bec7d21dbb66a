/*
 * api.c — the JSON API under /api/v1/ (filled in below).
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "measure/measure.h"
#include "serve/i18n.h"
#include "serve/pubcube.h"
#include "serve/serveInt.h"

static p20w_status send_json(serve_resp *out, json_t *doc)
{
    if (doc == NULL)
        return P20W_ENOMEM;
    char *s = json_dumps(doc, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
    json_decref(doc);
    if (s == NULL)
        return P20W_ENOMEM;
    serve_resp_type(out, "application/json");
    p20w_status rc = sbuf_puts(serve_resp_body(out), s);
    free(s);
    return rc;
}

static p20w_status api_indicators(serve_req *r, serve_resp *out)
{
    size_t n;
    const measure_indicator *cat = measure_catalog(&n);
    const pubcube *pc = serve_req_cube(r);
    json_t *arr = json_array();
    for (size_t i = 0; arr != NULL && i < n; i++) {
        json_t *o = json_pack(
            "{s:s, s:s?, s:s?, s:I}", "id", cat[i].id, "title_en",
            cat[i].title_en, "title_es", cat[i].title_es, "published_cells",
            (json_int_t)pubcube_indicator_cells(pc, cat[i].id));
        if (o == NULL || json_array_append_new(arr, o) != 0) {
            json_decref(arr);
            arr = NULL;
        }
    }
    return send_json(out, arr == NULL ? NULL
                                      : json_pack("{s:o}", "indicators", arr));
}

static const serve_route routes[] = {
    {SERVE_GET, "/api/v1/indicators", 0, NULL, api_indicators},
};

p20w_status serve_api_routes(serve_app *app, p20w_err *err)
{
    return serve_app_add_routes(app, routes, sizeof routes / sizeof routes[0],
                                err);
}
