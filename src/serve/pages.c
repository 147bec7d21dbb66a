/*
 * pages.c — the public pages (filled in below).
 */
#include <string.h>

#include "serve/html.h"
#include "serve/i18n.h"
#include "serve/pubcube.h"
#include "serve/serveInt.h"

static p20w_status home(serve_req *r, serve_resp *out)
{
    sbuf *b = serve_resp_body(out);
    p20w_status rc = serve_page_begin(r, out, _("State outcomes"), "/");
    if (rc == P20W_OK)
        rc = sbuf_printf(b, "<p class=\"lead\">%s</p>\n",
                         _("What happens to learners after school."));
    if (rc == P20W_OK)
        rc = serve_page_end(r, out);
    return rc;
}

static const serve_route routes[] = {
    {SERVE_GET, "/", 0, NULL, home},
};

p20w_status serve_pages_routes(serve_app *app, p20w_err *err)
{
    return serve_app_add_routes(app, routes, sizeof routes / sizeof routes[0],
                                err);
}
