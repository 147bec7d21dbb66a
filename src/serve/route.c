/*
 * route.c — the router: (method, path) to a route, and the checks of the
 * query string every route declares (serve.h, "Adding a route").
 *
 * The table is a flat array searched in order: a few dozen routes, so a
 * linear scan of string compares costs less than any index would save.
 * Exact paths win over prefixes; among prefixes the longest wins.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "serve/i18n.h"
#include "serve/serveInt.h"

p20w_status serve_app_add_routes(serve_app *app, const serve_route *routes,
                                 size_t n, p20w_err *err)
{
    for (size_t i = 0; i < n; i++) {
        const serve_route *rt = &routes[i];
        if (rt->path == NULL || rt->path[0] != '/' || rt->handler == NULL ||
            !(rt->methods & (SERVE_GET | SERVE_POST)))
            return p20w_err_set(err, P20W_EINVAL, "serve: malformed route %zu",
                                i);
        for (size_t j = 0; j < app->nroute; j++) {
            const serve_route *o = app->route[j];
            if (strcmp(o->path, rt->path) == 0 && o->prefix == rt->prefix &&
                (o->methods & rt->methods))
                return p20w_err_set(err, P20W_EINVAL,
                                    "serve: route %s defined twice", rt->path);
        }
        if (app->nroute >= SERVE_MAX_ROUTES)
            return p20w_err_set(err, P20W_ELIMIT, "serve: too many routes");
        app->route[app->nroute++] = rt;
    }
    return P20W_OK;
}

static int id_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '~' ||
           c == '-';
}

static int enum_has(const char *values, const char *v)
{
    size_t n = strlen(v);
    for (const char *s = values; s != NULL && *s;) {
        const char *e = strchr(s, '|');
        size_t len = e ? (size_t)(e - s) : strlen(s);
        if (len == n && memcmp(s, v, n) == 0)
            return 1;
        s = e ? e + 1 : NULL;
    }
    return 0;
}

/* Writes "a, b or c" from "a|b|c". */
static void enum_list(const char *values, char *buf, size_t cap)
{
    size_t at = 0, count = 0, k = 0;
    for (const char *s = values; *s; s++)
        count += *s == '|';
    buf[0] = '\0';
    for (const char *s = values; s != NULL && *s && at + 1 < cap; k++) {
        const char *e = strchr(s, '|');
        int len = (int)(e ? (size_t)(e - s) : strlen(s));
        const char *sep = k == 0 ? "" : k == count ? _(" or ") : ", ";
        int w = snprintf(buf + at, cap - at, "%s%.*s", sep, len, s);
        if (w < 0)
            break;
        at += (size_t)w;
        s = e ? e + 1 : NULL;
    }
}

int serve_param_check(const serve_param_spec *s, const char *v, char *why,
                      size_t cap)
{
    size_t n = strlen(v);
    why[0] = '\0';
    if (n == 0 || n > SERVE_MAX_VALUE || !serve_text_ok(v, n)) {
        snprintf(why, cap,
                 _("must not be empty and must be at most %d "
                   "characters of text"),
                 SERVE_MAX_VALUE);
        return -1;
    }
    switch (s->kind) {
    case SERVE_P_YEAR:
    case SERVE_P_INT: {
        char *end;
        long x = 0;
        int ok = n <= 10;
        for (size_t i = 0; ok && i < n; i++)
            ok = v[i] >= '0' && v[i] <= '9';
        if (ok)
            x = strtol(v, &end, 10);
        if (s->kind == SERVE_P_YEAR) {
            if (!ok || x < 1900 || x > 2200) {
                snprintf(why, cap, _("must be a year such as 2024"));
                return -1;
            }
        } else if (!ok || x > 1000000000L) {
            snprintf(why, cap, _("must be a whole number"));
            return -1;
        }
        return 0;
    }
    case SERVE_P_ID:
        for (size_t i = 0; i < n; i++)
            if (!(id_char(v[i]) || (v[i] == ' ' && i > 0 && i + 1 < n)) ||
                n > 64) {
                snprintf(why, cap,
                         _("must be a code of letters, digits, spaces, '.', "
                           "'_', '~' or '-' (at most 64)"));
                return -1;
            }
        return 0;
    case SERVE_P_ENUM:
        if (!enum_has(s->values, v)) {
            char list[400];
            enum_list(s->values, list, sizeof list);
            snprintf(why, cap, _("must be one of %s"), list);
            return -1;
        }
        return 0;
    case SERVE_P_TEXT:
        return 0;
    default:
        snprintf(why, cap, "has an unknown kind");
        return -1;
    }
}

static const serve_param_spec lang_spec = {"lang", SERVE_P_ENUM, "en|es"};

static const serve_param_spec *spec_of(const serve_route *rt, const char *name)
{
    if (strcmp(name, "lang") == 0)
        return &lang_spec;
    for (const serve_param_spec *s = rt->params; s != NULL && s->name; s++)
        if (strcmp(s->name, name) == 0)
            return s;
    return NULL;
}

/* "year, school, lang" */
static void param_names(const serve_route *rt, char *buf, size_t cap)
{
    size_t at = 0;
    buf[0] = '\0';
    for (const serve_param_spec *s = rt->params; s != NULL && s->name; s++) {
        int w = snprintf(buf + at, cap - at, "%s, ", s->name);
        if (w < 0 || (size_t)w >= cap - at)
            return;
        at += (size_t)w;
    }
    snprintf(buf + at, cap - at, "lang");
}

static p20w_status check_query(const serve_req *r, const serve_route *rt,
                               const serve_kv *q, size_t nq, serve_resp *out)
{
    char msg[1200], why[600], names[500];
    for (size_t i = 0; i < nq; i++) {
        const serve_param_spec *s = spec_of(rt, q[i].name);
        if (s == NULL) {
            param_names(rt, names, sizeof names);
            snprintf(msg, sizeof msg,
                     _("Unknown parameter '%.64s'. This address takes: %s."),
                     q[i].name, names);
            return serve_resp_error(r, out, 400, msg);
        }
        for (size_t j = 0; j < i; j++)
            if (strcmp(q[j].name, q[i].name) == 0) {
                snprintf(msg, sizeof msg,
                         _("The parameter '%s' is given twice."), q[i].name);
                return serve_resp_error(r, out, 400, msg);
            }
        if (serve_param_check(s, q[i].value, why, sizeof why) != 0) {
            snprintf(msg, sizeof msg, _("The parameter '%s' %s."), s->name,
                     why);
            return serve_resp_error(r, out, 400, msg);
        }
    }
    return P20W_OK;
}

static int rest_ok(const char *rest)
{
    if (*rest == '\0' || strlen(rest) > 64)
        return 0;
    for (const char *c = rest; *c; c++)
        if (!id_char(*c))
            return 0;
    return 1;
}

p20w_status serve_route_find(serve_app *app, serve_req *r,
                             const serve_kv *query, size_t nquery,
                             const serve_route **route, serve_resp *out)
{
    int want = strcmp(r->method, "POST") == 0 ? SERVE_POST
               : strcmp(r->method, "GET") == 0 || strcmp(r->method, "HEAD") == 0
                   ? SERVE_GET
                   : 0;
    const serve_route *hit = NULL;
    int allowed = 0; /* methods the path has */
    size_t best = 0;
    *route = NULL;
    for (size_t i = 0; i < app->nroute; i++) {
        const serve_route *rt = app->route[i];
        size_t plen = strlen(rt->path);
        int match;
        if (rt->prefix)
            match = strncmp(r->path, rt->path, plen) == 0 &&
                    rest_ok(r->path + plen);
        else
            match = strcmp(r->path, rt->path) == 0;
        if (!match)
            continue;
        size_t score = rt->prefix ? plen : (size_t)-1;
        allowed |= rt->methods;
        if ((rt->methods & want) && (hit == NULL || score > best)) {
            hit = rt;
            best = score;
        }
    }
    if (hit == NULL && allowed == 0)
        return serve_resp_error(r, out, 404,
                                _("There is no page at this address."));
    if (hit == NULL) {
        char allow[32];
        snprintf(allow, sizeof allow, "%s%s%s",
                 allowed & SERVE_GET ? "GET, HEAD" : "",
                 (allowed & SERVE_GET) && (allowed & SERVE_POST) ? ", " : "",
                 allowed & SERVE_POST ? "POST" : "");
        p20w_status rc = serve_resp_error(
            r, out, 405, _("This address does not accept this method."));
        if (rc == P20W_OK)
            rc = serve_resp_header(out, "Allow", allow);
        return rc;
    }
    r->rest = hit->prefix ? r->path + strlen(hit->path) : "";
    p20w_status rc = check_query(r, hit, query, nquery, out);
    if (rc != P20W_OK || out->status == 400)
        return rc;
    r->query = query;
    r->nquery = nquery;
    *route = hit;
    return P20W_OK;
}

const char *serve_req_query(const serve_req *r, const char *name)
{
    for (size_t i = 0; i < r->nquery; i++)
        if (strcmp(r->query[i].name, name) == 0)
            return r->query[i].value;
    return NULL;
}

const char *serve_req_form(const serve_req *r, const char *name)
{
    for (size_t i = 0; i < r->nform; i++)
        if (strcmp(r->form[i].name, name) == 0)
            return r->form[i].value;
    return NULL;
}
