/*
 * html.h — HTML for pages: escaping, links, and the layout every page
 * shares (header with the language switch and the navigation, a skip
 * link, the <main> landmark, a footer linking the methodology and the
 * data dictionary).
 *
 * Escaping is the caller's duty for every byte of data: use
 * serve_html_text() for text and attribute values, serve_html_href() for
 * links with parameters. The layout writes no inline script or style
 * (the Content-Security-Policy forbids both).
 */
#ifndef P20W_SERVE_HTML_H
#define P20W_SERVE_HTML_H

#include <stddef.h>

#include "serve/serve.h"
#include "util/sbuf.h"

/* Appends s with & < > " ' escaped (safe in text and in quoted
 * attributes). NULL appends nothing. Errors: P20W_ELIMIT, P20W_ENOMEM. */
p20w_status serve_html_text(sbuf *out, const char *s);
p20w_status serve_html_textn(sbuf *out, const char *s, size_t n);

/* Appends s percent-encoded for a query string (unreserved characters
 * kept, space as %20). */
p20w_status serve_url_encode(sbuf *out, const char *s);

/* Appends an escaped href: path, then "?k=v&..." for each kv whose value
 * is not NULL, then lang (NULL: none), HTML-escaped for an attribute. */
p20w_status serve_html_href(sbuf *out, const char *path, const serve_kv *kv,
                            size_t n, const char *lang);

/* Writes the page up to the opening of <main> (and the <h1> title).
 * title: already translated. nav: the path of the navigation entry to
 * mark as the current page ("" for none). */
p20w_status serve_page_begin(const serve_req *r, serve_resp *out,
                             const char *title, const char *nav);
/* Closes <main> and writes the footer. */
p20w_status serve_page_end(const serve_req *r, serve_resp *out);

/* The navigation entries (path and English msgid), for pages that list
 * them; *n entries. */
typedef struct serve_nav {
    const char *path;
    const char *title; /* msgid */
} serve_nav;
const serve_nav *serve_nav_entries(size_t *n);

/* Formats a number for reading in the request's language: "1,234" and
 * "45.3" in English, "1.234" and "45,3" in Spanish. decimals: 0..3. */
void serve_fmt_number(const char *lang, double v, int decimals, char *buf,
                      size_t cap);

/* Formats dollars as whole dollars with the language's grouping, the
 * sign before the number in both languages: "$35,657" in English,
 * "$35.657" in Spanish (public pages and signed-in views alike). */
void serve_fmt_money(const char *lang, double v, char *buf, size_t cap);

/* A yes/no flag (0 or 1, as the records store it) as people read it:
 * "Yes"/"No", translated; any other text is returned as it is. */
const char *serve_fmt_flag(const char *v);

#endif
