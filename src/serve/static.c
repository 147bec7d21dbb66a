/*
 * static.c — the one style sheet, compiled into the binary (no file to
 * lose, no path to traverse), served at /static/p20w.css with a long
 * cache lifetime. Colours meet WCAG 2.1 AA contrast (4.5:1 for text) on
 * white; focus is always visible; the print rules drop the navigation
 * so feedback reports print on paper as they read on screen.
 */
#include <string.h>

#include "assess/assess.h"
#include "serve/serveInt.h"

static const char css[] =
    ":root{--ink:#1b1b1b;--muted:#4a4a4a;--link:#0b4f8a;--line:#767676;"
    "--bg:#fff;--soft:#f3f5f7;--accent:#005ea2}\n"
    "*{box-sizing:border-box}\n"
    "body{margin:0;font-family:system-ui,-apple-system,'Segoe UI',Roboto,"
    "'Helvetica Neue',Arial,sans-serif;font-size:1.0625rem;line-height:1.55;"
    "color:var(--ink);background:var(--bg)}\n"
    "a{color:var(--link)}a:hover{text-decoration-thickness:2px}\n"
    "a:focus,button:focus,select:focus,input:focus,summary:focus{outline:3px "
    "solid #ffbf47;outline-offset:2px}\n"
    ".skip{position:absolute;left:-10000px;top:auto;width:1px;height:1px;"
    "overflow:hidden}\n"
    ".skip:focus{position:static;width:auto;height:auto;display:block;"
    "padding:.5rem 1rem;background:#ffbf47;color:#000}\n"
    "header.site{background:var(--accent);color:#fff;padding:.75rem 1rem}\n"
    "header.site a{color:#fff}\n"
    ".brand{font-size:1.25rem;font-weight:700;margin:0 0 .5rem}\n"
    ".brand a{text-decoration:none}\n"
    "nav.lang{float:right;margin-top:-2.25rem}\n"
    "nav.main ul{list-style:none;margin:0;padding:0;display:flex;flex-wrap:"
    "wrap;gap:.25rem 1rem}\n"
    "nav.main a[aria-current=page]{font-weight:700;text-decoration-thickness:"
    "3px}\n"
    ".account{margin:.25rem 0}\n"
    "main{max-width:70rem;margin:0 auto;padding:1rem}\n"
    "h1{font-size:1.75rem;line-height:1.25;margin:.5rem 0 1rem}\n"
    "h2{font-size:1.35rem;margin:1.75rem 0 .5rem}\n"
    "h3{font-size:1.1rem;margin:1.25rem 0 .5rem}\n"
    ".lead{font-size:1.15rem;max-width:45rem}\n"
    ".explain{max-width:45rem}\n"
    ".note{background:var(--soft);border-left:4px solid var(--accent);"
    "padding:.5rem 1rem;max-width:45rem}\n"
    ".error{border-left:4px solid #b50909;padding:.5rem 1rem;background:"
    "#fbeaea}\n"
    "form.filters{display:flex;flex-wrap:wrap;gap:.75rem 1.25rem;align-items:"
    "flex-end;background:var(--soft);padding:.75rem 1rem;margin:1rem 0}\n"
    "form.filters label{display:block;font-weight:600;font-size:.95rem}\n"
    "select,input,button{font:inherit;padding:.3rem .4rem;border:1px solid "
    "var(--line);border-radius:3px;background:#fff;color:var(--ink)}\n"
    "button{background:var(--accent);color:#fff;border-color:var(--accent);"
    "padding:.35rem 1rem;cursor:pointer}\n"
    "table{border-collapse:collapse;margin:.5rem 0 1rem;min-width:20rem}\n"
    "caption{text-align:left;font-weight:600;padding:.25rem 0;caption-side:"
    "top}\n"
    "th,td{border-bottom:1px solid var(--line);padding:.35rem .75rem;"
    "text-align:left;vertical-align:top}\n"
    "td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}\n"
    "thead th{border-bottom:2px solid var(--ink)}\n"
    "tr.total th,tr.total td{font-weight:700}\n"
    ".table-wrap{overflow-x:auto}\n"
    "figure.chart{margin:1rem 0;max-width:50rem}\n"
    "figure.chart svg{width:100%;height:auto;display:block}\n"
    "figcaption{font-size:.95rem;color:var(--muted)}\n"
    ".cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(16rem,"
    "1fr));gap:1rem;padding:0;list-style:none}\n"
    ".cards li{border:1px solid var(--line);border-radius:4px;padding:.75rem "
    "1rem}\n"
    ".cards h2{font-size:1.1rem;margin:0 0 .5rem}\n"
    ".downloads{margin:1rem 0}\n"
    "dl.meta dt{font-weight:600}dl.meta dd{margin:0 0 .5rem}\n"
    "footer.site{border-top:1px solid var(--line);margin-top:2rem;padding:"
    "1rem;color:var(--muted);font-size:.95rem}\n"
    "footer.site p{max-width:70rem;margin:.25rem auto}\n"
    ".visually-hidden{position:absolute;width:1px;height:1px;padding:0;"
    "margin:-1px;overflow:hidden;clip:rect(0,0,0,0);border:0}\n"
    "@media print{header.site nav,.skip,form.filters,.downloads,"
    "footer.site{display:none}\n"
    "header.site{background:none;color:#000;padding:0}header.site "
    "a{color:#000;text-decoration:none}\n"
    "body{font-size:11pt}main{max-width:none;padding:0}\n"
    "table{page-break-inside:avoid}h2{page-break-after:avoid}\n"
    "a[href]{color:#000;text-decoration:none}}\n";

static p20w_status css_handler(serve_req *r, serve_resp *out)
{
    (void)r;
    serve_resp_type(out, "text/css; charset=utf-8");
    p20w_status rc =
        serve_resp_header(out, "Cache-Control", "public, max-age=3600");
    if (rc == P20W_OK)
        rc = sbuf_append(serve_resp_body(out), css, sizeof css - 1);
    /* The self-assessment's views (heat map colours and patterns). */
    if (rc == P20W_OK)
        rc = sbuf_puts(serve_resp_body(out), assess_css());
    return rc;
}

static const serve_route routes[] = {
    {SERVE_GET, "/static/p20w.css", 0, NULL, css_handler},
};

p20w_status serve_static_routes(serve_app *app, p20w_err *err)
{
    return serve_app_add_routes(app, routes, sizeof routes / sizeof routes[0],
                                err);
}
