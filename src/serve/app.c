/*
 * app.c — the server's life: options, start (translations, the published
 * cube, the routes, the socket), the reload watcher, stop and free.
 *
 * The watcher is one thread that wakes every reload_ms (or at stop) and
 * asks serve_cube_check() whether a newer build or publication of the
 * profile exists; a failed check is logged and retried, the cube in use
 * stays.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "assess/assess.h"
#include "serve/i18n.h"
#include "serve/labels.h"
#include "serve/pubcube.h"
#include "serve/serveInt.h"
#include "util/arena.h"
#include "util/hmap.h"
#include "util/log.h"
#include "util/mem.h"

#ifndef P20W_LOCALEDIR
#define P20W_LOCALEDIR "build/locale"
#endif

/* Every part of the server adds its routes here (serve.h, "Adding a
 * route"): one line per part. */
typedef p20w_status (*route_installer)(serve_app *app, p20w_err *err);
static const route_installer installers[] = {
    serve_static_routes,  serve_api_routes,  serve_pages_routes,
    serve_reports_routes, serve_info_routes, serve_auth_routes,
    serve_assess_routes,
};

void serve_opts_default(serve_opts *o)
{
    memset(o, 0, sizeof *o);
    o->bind = "127.0.0.1";
    o->port = 8080;
    o->profile = "default";
    o->threads = 4;
    o->max_connections = 256;
    o->conn_memory_bytes = 32 * 1024;
    o->timeout_s = 15;
    o->max_body_bytes = 64 * 1024;
    o->reload_ms = 2000;
}

static char *dup_or(const char *s, const char *dflt)
{
    return p20w_strdup(s != NULL ? s : dflt);
}

/* The titles of SUPPLY_DEMAND's occupations; without them the pages
 * name occupations by their SOC codes. */
static void load_occupations(serve_app *app, const char *data_dir)
{
    p20w_err e2 = {0};
    p20w_status rc = hmap_create(&app->occupations);
    if (rc == P20W_OK)
        rc = arena_create(32 * 1024, &app->occ_strings);
    if (rc == P20W_OK)
        rc = serve_occupations_load(data_dir, app->occupations,
                                    app->occ_strings, &e2);
    if (rc == P20W_OK)
        return;
    log_warn("serve: no occupation titles: %s",
             e2.msg[0] ? e2.msg : "out of memory");
    hmap_free(app->occupations);
    arena_free(app->occ_strings);
    app->occupations = NULL;
    app->occ_strings = NULL;
}

p20w_status serve_app_new(const serve_opts *o, serve_app **out, p20w_err *err)
{
    *out = NULL;
    serve_app *app = p20w_calloc(1, sizeof *app);
    if (app == NULL)
        return p20w_err_set(err, P20W_ENOMEM, "out of memory");
    app->opt = *o;
    app->listen_fd = -1;
    pthread_mutex_init(&app->cube_mu, NULL);
    pthread_mutex_init(&app->stop_mu, NULL);
    pthread_cond_init(&app->stop_cv, NULL);
    atomic_init(&app->requests, 0);
    const char *env_loc = getenv("P20W_LOCALE_DIR");
    app->db_path = dup_or(o->db_path, "");
    app->bind = dup_or(o->bind, "127.0.0.1");
    app->profile = dup_or(o->profile, "default");
    app->locale_dir =
        dup_or(o->locale_dir ? o->locale_dir : env_loc, P20W_LOCALEDIR);
    p20w_status rc = P20W_OK;
    if (app->db_path == NULL || app->bind == NULL || app->profile == NULL ||
        app->locale_dir == NULL)
        rc = p20w_err_set(err, P20W_ENOMEM, "out of memory");
    if (rc == P20W_OK && o->threads == 0)
        app->opt.threads = 1;
    if (rc == P20W_OK && access(app->db_path, F_OK) != 0)
        rc = p20w_err_set(err, P20W_ENOTFOUND, "no database at %s",
                          app->db_path);
    if (rc == P20W_OK)
        rc = serve_i18n_init(app, app->locale_dir, err);
    if (rc == P20W_OK && o->data_dir != NULL) {
        p20w_err e2 = {0};
        if (codeset_registry_load(o->data_dir, &app->reg, &e2) != P20W_OK)
            log_warn("serve: no county or CIP names: %s", e2.msg);
    }
    if (rc == P20W_OK && o->data_dir != NULL)
        load_occupations(app, o->data_dir);
    if (rc == P20W_OK)
        rc = serve_cube_load(app, err);
    for (size_t i = 0;
         rc == P20W_OK && i < sizeof installers / sizeof installers[0]; i++)
        rc = installers[i](app, err);
    if (rc == P20W_OK)
        rc = serve_http_bind(app, err);
    if (rc != P20W_OK) {
        serve_app_free(app);
        return rc;
    }
    *out = app;
    return P20W_OK;
}

static void *watch(void *arg)
{
    serve_app *app = arg;
    pthread_mutex_lock(&app->stop_mu);
    while (!app->stopping) {
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += (time_t)(app->opt.reload_ms / 1000);
        until.tv_nsec += (long)(app->opt.reload_ms % 1000) * 1000000L;
        if (until.tv_nsec >= 1000000000L) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000L;
        }
        int w = 0;
        while (!app->stopping && w != ETIMEDOUT)
            w = pthread_cond_timedwait(&app->stop_cv, &app->stop_mu, &until);
        if (app->stopping)
            break;
        pthread_mutex_unlock(&app->stop_mu);
        p20w_err err = {0};
        if (serve_cube_check(app, &err) != P20W_OK)
            log_warn("serve: cannot check for a new publication: %s", err.msg);
        pthread_mutex_lock(&app->stop_mu);
    }
    pthread_mutex_unlock(&app->stop_mu);
    return NULL;
}

p20w_status serve_app_start(serve_app *app, p20w_err *err)
{
    p20w_status rc = serve_http_start(app, err);
    if (rc != P20W_OK)
        return rc;
    if (app->opt.reload_ms > 0) {
        if (pthread_create(&app->watcher, NULL, watch, app) != 0) {
            serve_http_stop(app);
            return p20w_err_set(err, P20W_EINTERNAL,
                                "cannot start the reload thread");
        }
        app->watcher_running = 1;
    }
    return P20W_OK;
}

int serve_app_port(const serve_app *app)
{
    return app->port;
}

uint64_t serve_app_requests(const serve_app *app)
{
    return (uint64_t)atomic_load(&((serve_app *)app)->requests);
}

void serve_app_stop(serve_app *app)
{
    if (app == NULL)
        return;
    pthread_mutex_lock(&app->stop_mu);
    app->stopping = 1;
    pthread_cond_broadcast(&app->stop_cv);
    pthread_mutex_unlock(&app->stop_mu);
    if (app->watcher_running)
        pthread_join(app->watcher, NULL);
    app->watcher_running = 0;
    serve_http_stop(app);
}

void serve_app_free(serve_app *app)
{
    if (app == NULL)
        return;
    serve_app_stop(app);
    if (app->hooks.free_ctx != NULL)
        app->hooks.free_ctx(app->hooks.ctx);
    if (app->listen_fd >= 0)
        close(app->listen_fd);
    if (app->cube != NULL)
        serve_cube_release(app, app->cube);
    serve_i18n_free(app);
    codeset_registry_free(app->reg);
    hmap_free(app->occupations);
    arena_free(app->occ_strings);
    assess_rubric_free(app->rubric);
    pthread_mutex_destroy(&app->cube_mu);
    pthread_mutex_destroy(&app->stop_mu);
    pthread_cond_destroy(&app->stop_cv);
    p20w_free(app->db_path);
    p20w_free(app->bind);
    p20w_free(app->profile);
    p20w_free(app->locale_dir);
    p20w_free(app);
}

void serve_app_set_hooks(serve_app *app, const serve_hooks *h)
{
    if (h == NULL)
        memset(&app->hooks, 0, sizeof app->hooks);
    else
        app->hooks = *h;
}

void *serve_app_hooks_ctx(const serve_app *app)
{
    return app->hooks.ctx;
}

const char *serve_app_db_path(const serve_app *app)
{
    return app->db_path;
}

const char *serve_app_profile(const serve_app *app)
{
    return app->profile;
}
