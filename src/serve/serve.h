/*
 * serve.h — `p20w serve`: the HTTP side of p20w (libmicrohttpd): public
 * dashboards and feedback reports, the JSON API under /api/v1/, CSV
 * downloads, and (added by other modules through the same interface)
 * logged-in views.
 *
 * The server. serve_app_new() loads the published cube of one profile
 * into memory, compiles the route table and binds the socket;
 * serve_app_start() starts the daemon (an internal polling thread and a
 * small pool of worker threads: every request is answered entirely on one
 * thread); serve_app_stop() stops it and waits for the threads. The
 * caller (cli/cmd_serve.c) owns signal handling: it blocks SIGINT and
 * SIGTERM before serve_app_start() (the threads inherit the mask) and
 * calls serve_app_stop() when sigwait() returns.
 *
 * Limits (serve_opts, with defaults): connections, memory per connection
 * (which caps the request line and headers: an oversize request gets
 * 431/413 from libmicrohttpd itself), idle timeout, request body size
 * (413 before the body is read when Content-Length says too much, else
 * when the limit is crossed).
 *
 * ---- Adding a route ----------------------------------------------------
 * A route is one row of a serve_route table:
 *
 *     static const serve_param_spec my_params[] = {
 *         {"year", SERVE_P_YEAR, NULL},
 *         {"school", SERVE_P_ID, NULL},
 *         {"view", SERVE_P_ENUM, "table|chart"},
 *         {NULL, 0, NULL},
 *     };
 *     static p20w_status my_page(serve_req *r, serve_resp *out);
 *     static const serve_route my_routes[] = {
 *         {SERVE_GET, "/mine", 0, my_params, my_page},
 *         {SERVE_POST, "/mine/save", 0, NULL, my_save},
 *     };
 *     p20w_status mymod_routes(serve_app *app, p20w_err *err) {
 *         return serve_app_add_routes(app, my_routes, 2, err);
 *     }
 *
 * and one line in the `installers` list of serve/app.c. The router
 * answers before any handler runs:
 *   - 404 (page "not found") when no route has the path;
 *   - 405 with an Allow header when the path exists for other methods
 *     (HEAD is answered as GET without a body);
 *   - 400 with a plain message when the query string has a parameter the
 *     route does not list, a parameter twice, or a value its kind refuses
 *     (the message names the parameter and what it takes). `lang` is
 *     accepted everywhere (en, es). A route with params == NULL takes no
 *     query parameters but lang.
 * A prefix route (prefix = 1, path "/report/school/") matches every path
 * under it; r->rest is what follows the prefix ("KY0001"), already
 * checked to hold only [A-Za-z0-9._~-] (else 404).
 *
 * A handler fills `out` and returns P20W_OK; any other status becomes a
 * 500 page that names no internal detail (the error is logged). Handlers
 * run concurrently on the worker threads: they must not keep mutable
 * state outside the request. They read the published cube through
 * serve_req_cube() (valid for the whole request, even across a reload),
 * translate with _() (serve/i18n.h: the request thread's locale is the
 * request's language for the whole call), and build HTML with
 * serve/html.h. Every response gets the security headers (see
 * serve_resp_finish in response.c): Content-Security-Policy
 * "default-src 'self'; frame-ancestors 'none'; ..." (no inline script or
 * style: never write style="" or <script> in a page), X-Content-Type-
 * Options nosniff, Referrer-Policy no-referrer, X-Frame-Options DENY.
 * ------------------------------------------------------------------------
 */
#ifndef P20W_SERVE_H
#define P20W_SERVE_H

#include <stddef.h>
#include <stdint.h>

#include "store/store.h"
#include "util/error.h"
#include "util/sbuf.h"

typedef struct serve_app serve_app;
typedef struct serve_req serve_req;
typedef struct serve_resp serve_resp;
typedef struct pubcube pubcube; /* serve/pubcube.h */

/* ---- the server ------------------------------------------------------- */

typedef struct serve_opts {
    const char *db_path;      /* the p20w database (SQLite file) */
    const char *bind;         /* IPv4 or IPv6 address; default 127.0.0.1 */
    int port;                 /* 0: any free port (serve_app_port) */
    const char *profile;      /* the published cube served; default "default" */
    const char *locale_dir;   /* compiled catalogs; NULL: P20W_LOCALE_DIR
                                 env, else the build's build/locale */
    const char *data_dir;     /* reference data (county and CIP names);
                                 NULL: none */
    unsigned threads;         /* worker threads; default 4 */
    unsigned max_connections; /* default 256 */
    size_t conn_memory_bytes; /* per connection; default 32 KiB */
    unsigned timeout_s;       /* idle connection timeout; default 15 */
    size_t max_body_bytes;    /* request body; default 64 KiB */
    unsigned reload_ms;       /* published-cube check period; 2000 */
} serve_opts;

/* Fills o with the defaults above (db_path NULL). */
void serve_opts_default(serve_opts *o);

/* Opens the database read-only to load the published cube, loads the
 * translations, builds the routes and binds the socket (no thread runs
 * yet). Errors: P20W_ENOTFOUND (no database, no published cube of the
 * profile), P20W_EIO (cannot bind), P20W_ESTORE, P20W_EINVAL (bad
 * address), P20W_ENOMEM. */
p20w_status serve_app_new(const serve_opts *o, serve_app **out, p20w_err *err);

/* Starts the daemon and the reload watcher. */
p20w_status serve_app_start(serve_app *app, p20w_err *err);

/* The port bound (useful with port 0). */
int serve_app_port(const serve_app *app);

/* Stops accepting, finishes the requests in flight, joins every thread.
 * Harmless when not started. */
void serve_app_stop(serve_app *app);

/* Requests answered so far (all statuses). */
uint64_t serve_app_requests(const serve_app *app);

/* Stops if needed and frees everything. NULL is a no-op. */
void serve_app_free(serve_app *app);

/* ---- routes ----------------------------------------------------------- */

enum serve_method { SERVE_GET = 1, SERVE_POST = 2 };

/* Kinds of query parameter value. Every kind refuses control characters
 * and values longer than 200 bytes. */
enum serve_param_kind {
    SERVE_P_YEAR = 1, /* 1900..2200 */
    SERVE_P_INT,      /* a decimal 0..1000000000 */
    SERVE_P_ID,       /* 1..64 of [A-Za-z0-9._~-], inner spaces: codes */
    SERVE_P_ENUM,     /* one of spec->values, "a|b|c" */
    SERVE_P_TEXT      /* any UTF-8 text (escape it!), 1..200 bytes */
};

typedef struct serve_param_spec {
    const char *name;
    int kind;           /* enum serve_param_kind */
    const char *values; /* SERVE_P_ENUM: "a|b|c"; else NULL */
} serve_param_spec;

typedef p20w_status (*serve_handler)(serve_req *r, serve_resp *out);

typedef struct serve_route {
    int methods;      /* SERVE_GET | SERVE_POST */
    const char *path; /* "/api/v1/indicators"; with prefix, ends in '/' */
    int prefix;       /* 1: matches every path below `path` */
    const serve_param_spec *params; /* ends with {NULL}; NULL = none */
    serve_handler handler;
} serve_route;

/* Adds n routes (the table must outlive the app: it is not copied).
 * A path already routed for one of the same methods is P20W_EINVAL. */
p20w_status serve_app_add_routes(serve_app *app, const serve_route *routes,
                                 size_t n, p20w_err *err);

/* Hooks other modules set at start (before serve_app_start), each may be
 * NULL. before(): runs before every handler, after routing and parameter
 * checks (e.g. to read a session cookie into r->auth); setting *done
 * to 1 means it answered the request itself (out is sent as it is).
 * after(): runs after the response is built (frees r->auth).
 * header(): writes extra HTML into the page header, after the language
 * switch (e.g. "Signed in as …, Sign out"). */
typedef struct serve_hooks {
    p20w_status (*before)(serve_req *r, serve_resp *out, int *done);
    void (*after)(serve_req *r);
    p20w_status (*header)(const serve_req *r, sbuf *html);
    void *ctx; /* the hooks' own state, read as r->app hooks ctx */
    void (*free_ctx)(void *ctx); /* frees ctx when the app is freed */
} serve_hooks;

void serve_app_set_hooks(serve_app *app, const serve_hooks *h);
/* The ctx of the hooks (NULL when none). */
void *serve_app_hooks_ctx(const serve_app *app);
/* The database path the app serves. */
const char *serve_app_db_path(const serve_app *app);
/* The profile the app serves. */
const char *serve_app_profile(const serve_app *app);

/* ---- requests --------------------------------------------------------- */

typedef struct serve_kv {
    const char *name;
    const char *value; /* "" when the parameter had no '=' */
} serve_kv;

/* One request, valid during the handler call only. Strings are owned by
 * the request. */
struct serve_req {
    serve_app *app;
    const char *method;    /* "GET", "HEAD" or "POST" */
    const char *path;      /* decoded path, "/api/v1/indicators" */
    const char *rest;      /* prefix routes: the path after the prefix */
    const char *lang;      /* "en" or "es": ?lang=, else Accept-Language */
    int lang_explicit;     /* 1 when ?lang= chose it */
    const serve_kv *query; /* validated query parameters, in order */
    size_t nquery;
    const serve_kv *form; /* POST application/x-www-form-urlencoded body,
                             decoded; other bodies: nform = 0 */
    size_t nform;
    const char *body; /* the raw body (NUL-terminated), "" when none */
    size_t body_len;
    const char *client_ip; /* "127.0.0.1" */
    void *auth;            /* set by the before() hook; NULL otherwise */
    void *priv;            /* the server's own state */
};

/* The value of query parameter name, NULL when absent. */
const char *serve_req_query(const serve_req *r, const char *name);
/* The value of form field name, NULL when absent. */
const char *serve_req_form(const serve_req *r, const char *name);
/* A request header (case-insensitive name), NULL when absent. */
const char *serve_req_header(const serve_req *r, const char *name);
/* A cookie's value, NULL when absent. */
const char *serve_req_cookie(const serve_req *r, const char *name);
/* The published cube the request reads (never NULL; may hold no cells).
 * Stays valid until the request ends, even if a reload happens. */
const pubcube *serve_req_cube(const serve_req *r);
/* A read-write connection to the database, opened on first use and
 * closed when the request ends (one per request: SQLite handles are not
 * shared across threads). Errors: those of store_open(). */
p20w_status serve_req_store(serve_req *r, store **out, p20w_err *err);

/* ---- responses -------------------------------------------------------- */

/* Status 200 and "text/html; charset=utf-8" unless changed. */
void serve_resp_status(serve_resp *out, int status);
void serve_resp_type(serve_resp *out, const char *content_type);
/* Adds a header (copied). Set-Cookie may be added several times. The
 * security headers are added by the server; adding one of them again
 * replaces it. Errors: P20W_ENOMEM, P20W_EINVAL (CR or LF in it). */
p20w_status serve_resp_header(serve_resp *out, const char *name,
                              const char *value);
/* The body being built (capped at 16 MiB). */
sbuf *serve_resp_body(serve_resp *out);
/* A 303 redirect to a local path (must start with '/'). */
p20w_status serve_resp_redirect(serve_resp *out, const char *location);
/* An error answer: an HTML page in the request's language (JSON
 * {"error": {"status", "message"}} under /api/), with `message` (shown
 * escaped; already translated by the caller). Replaces the body. */
p20w_status serve_resp_error(const serve_req *r, serve_resp *out, int status,
                             const char *message);

#endif
