/*
 * html.c — escaping, links and the shared page layout (html.h).
 */
#include "serve/html.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "serve/i18n.h"
#include "serve/serveInt.h"

p20w_status serve_html_textn(sbuf *out, const char *s, size_t n)
{
    p20w_status rc = sbuf_html_escape(out, s, n);
    if (rc == P20W_OK && out->buf == NULL)
        rc = sbuf_append(out, "", 0);
    return rc;
}

p20w_status serve_html_text(sbuf *out, const char *s)
{
    return s == NULL ? P20W_OK : serve_html_textn(out, s, strlen(s));
}

p20w_status serve_url_encode(sbuf *out, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    p20w_status rc = P20W_OK;
    for (const unsigned char *c = (const unsigned char *)s; rc == P20W_OK && *c;
         c++) {
        if ((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
            (*c >= '0' && *c <= '9') || *c == '-' || *c == '.' || *c == '_' ||
            *c == '~') {
            rc = sbuf_putc(out, (char)*c);
        } else {
            char e[3] = {'%', hex[*c >> 4], hex[*c & 15]};
            rc = sbuf_append(out, e, 3);
        }
    }
    return rc;
}

p20w_status serve_html_href(sbuf *out, const char *path, const serve_kv *kv,
                            size_t n, const char *lang)
{
    sbuf u;
    sbuf_init(&u, 8192);
    p20w_status rc = sbuf_puts(&u, path);
    char sep = strchr(path, '?') ? '&' : '?';
    for (size_t i = 0; rc == P20W_OK && i < n; i++) {
        if (kv[i].value == NULL || strcmp(kv[i].name, "lang") == 0)
            continue;
        rc = sbuf_putc(&u, sep);
        sep = '&';
        if (rc == P20W_OK)
            rc = serve_url_encode(&u, kv[i].name);
        if (rc == P20W_OK)
            rc = sbuf_putc(&u, '=');
        if (rc == P20W_OK)
            rc = serve_url_encode(&u, kv[i].value);
    }
    if (rc == P20W_OK && lang != NULL)
        rc = sbuf_printf(&u, "%clang=%s", sep, lang);
    if (rc == P20W_OK)
        rc = serve_html_text(out, sbuf_cstr(&u));
    sbuf_free(&u);
    return rc;
}

static const serve_nav nav[] = {
    {"/", N_("Home")},
    {"/graduates", N_("Graduates")},
    {"/cte", N_("Career and technical education")},
    {"/equity", N_("Equity")},
    {"/work", N_("Where people work")},
    {"/youth", N_("Opportunity youth")},
    {"/supply", N_("Supply and demand")},
    {"/reports", N_("Feedback reports")},
    {"/methodology", N_("Methodology")},
};

const serve_nav *serve_nav_entries(size_t *n)
{
    *n = sizeof nav / sizeof nav[0];
    return nav;
}

p20w_status serve_page_begin(const serve_req *r, serve_resp *out,
                             const char *title, const char *active)
{
    sbuf *b = serve_resp_body(out);
    const char *other = strcmp(r->lang, "es") == 0 ? "en" : "es";
    p20w_status rc =
        sbuf_printf(b,
                    "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta "
                    "charset=\"utf-8\">\n<meta name=\"viewport\" "
                    "content=\"width=device-width, initial-scale=1\">\n<title>",
                    r->lang);
    if (rc == P20W_OK)
        rc = serve_html_text(b, title);
    if (rc == P20W_OK)
        rc = sbuf_printf(b,
                         " — %s</title>\n<link rel=\"stylesheet\" "
                         "href=\"/static/p20w.css\">\n</head>\n<body>\n"
                         "<a class=\"skip\" href=\"#main\">%s</a>\n"
                         "<header class=\"site\">\n<p class=\"brand\"><a "
                         "href=\"",
                         _("State outcomes"), _("Skip to main content"));
    if (rc == P20W_OK)
        rc = serve_html_href(b, "/", NULL, 0, r->lang);
    if (rc == P20W_OK)
        rc = sbuf_printf(b,
                         "\">%s</a></p>\n<nav class=\"lang\" "
                         "aria-label=\"%s\"><a href=\"",
                         _("State outcomes: from school to work"),
                         _("Language"));
    if (rc == P20W_OK)
        rc = serve_html_href(b, r->path ? r->path : "/", r->query, r->nquery,
                             other);
    if (rc == P20W_OK)
        rc = sbuf_printf(b, "\" hreflang=\"%s\" lang=\"%s\">%s</a></nav>\n",
                         other, other,
                         strcmp(other, "es") == 0 ? "Español" : "English");
    if (rc == P20W_OK && r->app != NULL && r->app->hooks.header != NULL)
        rc = r->app->hooks.header(r, b);
    if (rc == P20W_OK)
        rc = sbuf_printf(b, "<nav class=\"main\" aria-label=\"%s\">\n<ul>\n",
                         _("Main"));
    for (size_t i = 0; rc == P20W_OK && i < sizeof nav / sizeof nav[0]; i++) {
        rc = sbuf_puts(b, "<li><a href=\"");
        if (rc == P20W_OK)
            rc = serve_html_href(b, nav[i].path, NULL, 0, r->lang);
        if (rc == P20W_OK)
            rc = sbuf_printf(b, "\"%s>%s</a></li>\n",
                             strcmp(active, nav[i].path) == 0
                                 ? " aria-current=\"page\""
                                 : "",
                             _(nav[i].title));
    }
    if (rc == P20W_OK)
        rc = sbuf_puts(b, "</ul>\n</nav>\n</header>\n<main id=\"main\">\n"
                          "<h1>");
    if (rc == P20W_OK)
        rc = serve_html_text(b, title);
    if (rc == P20W_OK)
        rc = sbuf_puts(b, "</h1>\n");
    return rc;
}

p20w_status serve_page_end(const serve_req *r, serve_resp *out)
{
    sbuf *b = serve_resp_body(out);
    p20w_status rc = sbuf_puts(b, "</main>\n<footer class=\"site\">\n<p><a "
                                  "href=\"");
    if (rc == P20W_OK)
        rc = serve_html_href(b, "/methodology", NULL, 0, r->lang);
    if (rc == P20W_OK)
        rc = sbuf_printf(b, "\">%s</a> · <a href=\"", _("Methodology"));
    if (rc == P20W_OK)
        rc = serve_html_href(b, "/dictionary", NULL, 0, r->lang);
    if (rc == P20W_OK)
        rc = sbuf_printf(b,
                         "\">%s</a> · <a href=\"/api/v1/openapi.json\">%s</a>"
                         "</p>\n<p>%s</p>\n</footer>\n</body>\n</html>\n",
                         _("Data dictionary"), _("API for developers"),
                         _("Numbers about small groups are hidden to protect "
                           "privacy."));
    return rc;
}

void serve_fmt_number(const char *lang, double v, int decimals, char *buf,
                      size_t cap)
{
    int es = lang != NULL && strcmp(lang, "es") == 0;
    char raw[64];
    if (decimals < 0)
        decimals = 0;
    if (decimals > 3)
        decimals = 3;
    if (!isfinite(v)) {
        snprintf(buf, cap, "–");
        return;
    }
    snprintf(raw, sizeof raw, "%.*f", decimals, v);
    /* raw: [-]digits[.digits]; group the integer part by thousands */
    const char *s = raw;
    size_t o = 0;
    if (*s == '-' && o + 1 < cap)
        buf[o++] = *s++;
    const char *dot = strchr(s, '.');
    size_t ilen = dot ? (size_t)(dot - s) : strlen(s);
    for (size_t i = 0; i < ilen && o + 2 < cap; i++) {
        if (i > 0 && (ilen - i) % 3 == 0 && ilen > (es ? 4u : 3u))
            buf[o++] = es ? '.' : ',';
        buf[o++] = s[i];
    }
    if (dot != NULL && o + 1 < cap) {
        buf[o++] = es ? ',' : '.';
        for (const char *d = dot + 1; *d && o + 1 < cap; d++)
            buf[o++] = *d;
    }
    buf[o < cap ? o : cap - 1] = '\0';
}

void serve_fmt_money(const char *lang, double v, char *buf, size_t cap)
{
    char num[64];
    if (!isfinite(v)) {
        snprintf(buf, cap, "–");
        return;
    }
    serve_fmt_number(lang, round(v), 0, num, sizeof num);
    if (num[0] == '-')
        snprintf(buf, cap, "-$%s", num + 1);
    else
        snprintf(buf, cap, "$%s", num);
}

const char *serve_fmt_flag(const char *v)
{
    if (v != NULL && strcmp(v, "1") == 0)
        return _("Yes");
    if (v != NULL && strcmp(v, "0") == 0)
        return _("No");
    return v != NULL ? v : "";
}
