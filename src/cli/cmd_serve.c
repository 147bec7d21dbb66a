/*
 * cmd_serve.c — `p20w serve`: the dashboards, feedback reports, CSV
 * downloads and JSON API over HTTP (serve/).
 *
 * Signals belong here, not in serve/: SIGINT and SIGTERM are blocked
 * before the server's threads start (they inherit the mask), and this
 * thread waits for one of them with sigwait(), then stops the server
 * cleanly: requests in flight finish, threads are joined, memory freed.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "serve/serve.h"

static const char usage_text[] =
    "usage: p20w serve DB [--bind ADDR] [--port N] [--profile NAME]\n"
    "                     [--threads N] [--reload-ms MS]\n"
    "\n"
    "Serves the published cube of DB over HTTP: the public dashboards (one\n"
    "page per question), feedback reports per high school, district and\n"
    "institution, CSV downloads of every table, and the JSON API under\n"
    "/api/v1/ (described at /api/v1/openapi.json), in English and Spanish.\n"
    "Only published cells (after disclosure control) are ever served. A\n"
    "newer build or publication of the profile is picked up while running.\n"
    "Prints the address on standard output; stops on SIGINT or SIGTERM.\n"
    "\n"
    "options:\n"
    "  --bind ADDR      IPv4 or IPv6 address to listen on (default 127.0.0.1)\n"
    "  --port N         TCP port (default 8080; 0 picks a free port)\n"
    "  --profile NAME   the reporting profile whose cube is served (default:\n"
    "                   default)\n"
    "  --threads N      worker threads (default 4)\n"
    "  --reload-ms MS   how often to look for a new publication (default\n"
    "                   2000; 0 never)\n";

static int parse_uint(const char *s, long max, long *out)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (*s == '\0' || *end != '\0' || v < 0 || v > max)
        return -1;
    *out = v;
    return 0;
}

int cmd_serve(int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        fputs(usage_text, stdout);
        return 0;
    }
    serve_opts o;
    serve_opts_default(&o);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int more = i + 1 < argc;
        long v;
        if (strcmp(a, "--bind") == 0 && more) {
            o.bind = argv[++i];
        } else if (strcmp(a, "--port") == 0 && more) {
            if (parse_uint(argv[++i], 65535, &v) != 0)
                return cli_usage_error("serve", "--port takes 0 to 65535");
            o.port = (int)v;
        } else if (strcmp(a, "--profile") == 0 && more) {
            o.profile = argv[++i];
        } else if (strcmp(a, "--threads") == 0 && more) {
            if (parse_uint(argv[++i], 64, &v) != 0 || v == 0)
                return cli_usage_error("serve", "--threads takes 1 to 64");
            o.threads = (unsigned)v;
        } else if (strcmp(a, "--reload-ms") == 0 && more) {
            if (parse_uint(argv[++i], 3600000, &v) != 0)
                return cli_usage_error("serve",
                                       "--reload-ms takes 0 to 3600000");
            o.reload_ms = (unsigned)v;
        } else if (a[0] != '-' && o.db_path == NULL) {
            o.db_path = a;
        } else {
            return cli_usage_error("serve", "unexpected '%s'", a);
        }
    }
    if (o.db_path == NULL)
        return cli_usage_error("serve", "missing DB");
    o.data_dir = cli_data_dir();
    /* gettext would prefer $LANGUAGE over each request's language */
    unsetenv("LANGUAGE");

    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    signal(SIGPIPE, SIG_IGN);

    p20w_err err = {0};
    serve_app *app = NULL;
    p20w_status rc = serve_app_new(&o, &app, &err);
    if (rc == P20W_OK)
        rc = serve_app_start(app, &err);
    if (rc != P20W_OK) {
        serve_app_free(app);
        return cli_fail(&err);
    }
    const char *host = o.bind;
    int v6 = strchr(host, ':') != NULL;
    printf("serving http://%s%s%s:%d/ (profile %s); stop with Ctrl-C\n",
           v6 ? "[" : "", host, v6 ? "]" : "", serve_app_port(app), o.profile);
    fflush(stdout);
    int sig = 0;
    sigwait(&set, &sig);
    serve_app_stop(app);
    fprintf(stderr, "p20w serve: stopped on %s after %llu requests\n",
            sig == SIGINT ? "SIGINT" : "SIGTERM",
            (unsigned long long)serve_app_requests(app));
    serve_app_free(app);
    return 0;
}
