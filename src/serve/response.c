/*
 * response.c — the response builder (serve.h): status, content type,
 * headers, body; error answers; and the security headers every response
 * carries.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "serve/html.h"
#include "serve/i18n.h"
#include "serve/serveInt.h"
#include "util/mem.h"

/* No inline script or style anywhere; everything from this origin; no
 * framing; forms post only here. */
static const char csp[] =
    "default-src 'self'; script-src 'self'; style-src 'self'; "
    "img-src 'self' data:; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'";

void serve_resp_init(serve_resp *out)
{
    memset(out, 0, sizeof *out);
    out->status = 200;
    vec_init(&out->headers, sizeof(serve_kv));
    sbuf_init(&out->body, SERVE_MAX_BODY);
}

static void headers_free(vec *h)
{
    serve_kv *kv = h->data;
    for (size_t i = 0; i < h->len; i++) {
        p20w_free((char *)kv[i].name);
        p20w_free((char *)kv[i].value);
    }
    vec_free(h);
}

void serve_resp_clear(serve_resp *out)
{
    headers_free(&out->headers);
    sbuf_free(&out->body);
    p20w_free(out->content_type);
    out->content_type = NULL;
}

void serve_resp_status(serve_resp *out, int status)
{
    out->status = status;
}

void serve_resp_type(serve_resp *out, const char *content_type)
{
    char *c = p20w_strdup(content_type);
    if (c == NULL)
        return; /* keeps the previous type; the body is still sent */
    p20w_free(out->content_type);
    out->content_type = c;
}

sbuf *serve_resp_body(serve_resp *out)
{
    return &out->body;
}

static int has_crlf(const char *s)
{
    return strpbrk(s, "\r\n") != NULL;
}

/* Replaces the header name unless it may repeat (Set-Cookie, Vary). */
p20w_status serve_resp_header(serve_resp *out, const char *name,
                              const char *value)
{
    if (has_crlf(name) || has_crlf(value) || name[0] == '\0')
        return P20W_EINVAL;
    int repeat = strcasecmp(name, "Set-Cookie") == 0;
    serve_kv *kv = out->headers.data;
    char *v = p20w_strdup(value);
    if (v == NULL)
        return P20W_ENOMEM;
    for (size_t i = 0; !repeat && i < out->headers.len; i++)
        if (strcasecmp(kv[i].name, name) == 0) {
            p20w_free((char *)kv[i].value);
            kv[i].value = v;
            return P20W_OK;
        }
    char *n = p20w_strdup(name);
    serve_kv add = {n, v};
    if (n == NULL || vec_push(&out->headers, &add) != P20W_OK) {
        p20w_free(n);
        p20w_free(v);
        return P20W_ENOMEM;
    }
    return P20W_OK;
}

p20w_status serve_resp_security(serve_resp *out)
{
    p20w_status rc = P20W_OK;
    if (out->content_type == NULL)
        serve_resp_type(out, "text/html; charset=utf-8");
    if (out->content_type == NULL)
        return P20W_ENOMEM;
    if (rc == P20W_OK)
        rc = serve_resp_header(out, "Content-Security-Policy", csp);
    if (rc == P20W_OK)
        rc = serve_resp_header(out, "X-Content-Type-Options", "nosniff");
    if (rc == P20W_OK)
        rc = serve_resp_header(out, "Referrer-Policy", "no-referrer");
    if (rc == P20W_OK)
        rc = serve_resp_header(out, "X-Frame-Options", "DENY");
    if (rc == P20W_OK)
        rc =
            serve_resp_header(out, "Cross-Origin-Opener-Policy", "same-origin");
    if (rc == P20W_OK)
        rc = serve_resp_header(out, "Permissions-Policy",
                               "camera=(), microphone=(), geolocation=()");
    return rc;
}

p20w_status serve_resp_redirect(serve_resp *out, const char *location)
{
    if (location[0] != '/' || location[1] == '/' || location[1] == '\\')
        return P20W_EINVAL; /* local paths only: no open redirect */
    out->status = 303;
    sbuf_reset(&out->body);
    return serve_resp_header(out, "Location", location);
}

static const char *status_title(int status)
{
    switch (status) {
    case 400:
        return N_("Bad request");
    case 403:
        return N_("Forbidden");
    case 404:
        return N_("Page not found");
    case 405:
        return N_("Method not allowed");
    case 413:
        return N_("Request too large");
    case 503:
        return N_("Service unavailable");
    default:
        return status >= 500 ? N_("Server error") : N_("Error");
    }
}

static int is_api(const serve_req *r)
{
    return r->path != NULL && strncmp(r->path, "/api/", 5) == 0;
}

p20w_status serve_resp_error(const serve_req *r, serve_resp *out, int status,
                             const char *message)
{
    sbuf *b = &out->body;
    p20w_status rc = P20W_OK;
    sbuf_reset(b);
    out->status = status;
    if (is_api(r)) {
        serve_resp_type(out, "application/json");
        rc = sbuf_printf(b, "{\"error\": {\"status\": %d, \"message\": \"",
                         status);
        for (const char *c = message; rc == P20W_OK && *c; c++) {
            unsigned char u = (unsigned char)*c;
            if (u == '"' || u == '\\')
                rc = sbuf_printf(b, "\\%c", u);
            else if (u < 0x20)
                rc = sbuf_printf(b, "\\u%04x", u);
            else
                rc = sbuf_putc(b, (char)u);
        }
        if (rc == P20W_OK)
            rc = sbuf_puts(b, "\"}}\n");
        return rc;
    }
    serve_resp_type(out, "text/html; charset=utf-8");
    rc = serve_page_begin(r, out, _(status_title(status)), "");
    if (rc == P20W_OK)
        rc = sbuf_puts(b, "<p class=\"error\">");
    if (rc == P20W_OK)
        rc = serve_html_text(b, message);
    if (rc == P20W_OK)
        rc = sbuf_puts(b, "</p>\n<p><a href=\"");
    if (rc == P20W_OK)
        rc = serve_html_href(b, "/", NULL, 0, r->lang);
    if (rc == P20W_OK)
        rc = sbuf_printf(b, "\">%s</a></p>\n", _("Go to the home page"));
    if (rc == P20W_OK)
        rc = serve_page_end(r, out);
    return rc;
}
