/*
 * serveInt.h — what the files of serve/ share and nothing outside sees:
 * the app, the route table, the response and the request's private
 * state.
 */
#ifndef P20W_SERVE_INT_H
#define P20W_SERVE_INT_H

#include <locale.h>
#include <pthread.h>
#include <stdatomic.h>

#include "dict/codeset.h"
#include "serve/serve.h"
#include "util/vec.h"

/* Most routes the table holds. */
#define SERVE_MAX_ROUTES 128
/* Most query parameters and form fields of one request. */
#define SERVE_MAX_PARAMS 32
/* Longest parameter value. */
#define SERVE_MAX_VALUE 200
/* Largest response body. */
#define SERVE_MAX_BODY ((size_t)16 << 20)

/* The published cube in use, shared by the requests that read it. */
typedef struct cube_ref {
    pubcube *cube;
    long refs; /* requests reading it, + 1 while it is current */
} cube_ref;

struct serve_app {
    serve_opts opt;
    struct assess_rubric *rubric; /* the self-assessment's (views_assess.c) */
    char *db_path, *bind, *profile, *locale_dir;
    codeset_registry *reg;    /* names of counties and CIP codes; may be NULL */
    struct hmap *occupations; /* SOC code -> title (labels.h); may be NULL */
    struct arena *occ_strings;
    const serve_route *route[SERVE_MAX_ROUTES];
    size_t nroute;
    serve_hooks hooks;
    locale_t loc_en, loc_es; /* LC_MESSAGES of each language (i18n.c) */
    struct MHD_Daemon *daemon;
    int listen_fd; /* bound by serve_app_new, handed to the daemon */
    int port;
    atomic_uint_fast64_t requests;
    /* the published cube (pubcube.c) */
    pthread_mutex_t cube_mu;
    cube_ref *cube; /* current */
    char cube_sig[160];
    /* the reload watcher */
    pthread_t watcher;
    int watcher_running;
    pthread_mutex_t stop_mu;
    pthread_cond_t stop_cv;
    int stopping;
};

struct serve_resp {
    int status;
    char *content_type; /* owned */
    vec headers;        /* serve_kv, both strings owned */
    sbuf body;
};

/* The request's private state (serve_req.priv). */
typedef struct req_priv {
    struct MHD_Connection *conn;
    cube_ref *cube; /* acquired on first use */
    store *db;      /* opened on first use */
    serve_kv query[SERVE_MAX_PARAMS];
    serve_kv form[SERVE_MAX_PARAMS];
    char *strings; /* one block owning every decoded name and value */
} req_priv;

/* ---- route.c ---- */
/* Finds the route of (method, path) and checks the query. Sets *route and
 * r->rest on success; otherwise fills out with the 404/405/400 answer and
 * sets *route to NULL. */
p20w_status serve_route_find(serve_app *app, serve_req *r,
                             const serve_kv *query, size_t nquery,
                             const serve_route **route, serve_resp *out);
/* Checks one value against its kind; 0 when it is acceptable, else writes
 * what the parameter takes into why. */
int serve_param_check(const serve_param_spec *s, const char *value, char *why,
                      size_t cap);

/* ---- request.c ---- */
/* "en" or "es" from an Accept-Language header (NULL: en). */
const char *serve_lang_negotiate(const char *accept_language);
/* Decodes an application/x-www-form-urlencoded body into at most max
 * fields; names and values point into *strings (owned by the caller,
 * freed with p20w_free). Values may hold CR and LF (a <textarea> sends
 * them); names may not. Errors: P20W_EFORMAT (bad %-escape, not UTF-8,
 * control character other than tab, CR, LF), P20W_ELIMIT (too many fields, a
 * value too long), P20W_ENOMEM. */
p20w_status serve_form_parse(const char *body, size_t len, serve_kv *kv,
                             size_t max, size_t *n, char **strings,
                             p20w_err *err);
/* 1 when s (len bytes) is valid UTF-8 with no control character but TAB. */
int serve_text_ok(const char *s, size_t len);
/* The same, but CR and LF are allowed too (form values). */
int serve_form_value_ok(const char *s, size_t len);

/* ---- response.c ---- */
void serve_resp_init(serve_resp *out);
void serve_resp_clear(serve_resp *out);
/* Adds the security headers every response carries. */
p20w_status serve_resp_security(serve_resp *out);

/* ---- pubcube (app side, pubcube.c) ---- */
/* The current cube with one more reference; release it when done. */
cube_ref *serve_cube_acquire(serve_app *app);
void serve_cube_release(serve_app *app, cube_ref *c);
/* Loads the cube at start; checks for a newer publication and swaps it in
 * (the watcher calls it every reload_ms). */
p20w_status serve_cube_load(serve_app *app, p20w_err *err);
p20w_status serve_cube_check(serve_app *app, p20w_err *err);

/* ---- http.c ---- */
p20w_status serve_http_bind(serve_app *app, p20w_err *err);
p20w_status serve_http_start(serve_app *app, p20w_err *err);
void serve_http_stop(serve_app *app);

/* ---- the route installers of each part (app.c calls them) ---- */
p20w_status serve_static_routes(serve_app *app, p20w_err *err);
p20w_status serve_api_routes(serve_app *app, p20w_err *err);
p20w_status serve_pages_routes(serve_app *app, p20w_err *err);
p20w_status serve_reports_routes(serve_app *app, p20w_err *err);
p20w_status serve_info_routes(serve_app *app, p20w_err *err);
/* serve/auth.c: sign-in, sessions, CSRF and the logged-in views. */
p20w_status serve_auth_routes(serve_app *app, p20w_err *err);
p20w_status serve_assess_routes(serve_app *app, p20w_err *err);

#endif
