/*
 * http.c — the libmicrohttpd daemon: connections, limits, request bodies,
 * and the path from one HTTP request to one handler call and back.
 *
 * Threads: one internal polling thread per worker (MHD thread pool, epoll
 * or poll as the platform has); a request is answered entirely on the
 * thread that read it, so a handler may switch the thread's locale for
 * its language (uselocale) and switch it back. The only state shared
 * between requests is the app (read-only once started), the request
 * counter (atomic) and the published cube (reference-counted, pubcube.c).
 *
 * Limits: connections (MHD_OPTION_CONNECTION_LIMIT), memory per connection
 * (the request line and headers must fit: MHD answers 431 or 413 itself),
 * idle timeout, and the body: a Content-Length above max_body_bytes is
 * refused with 413 before anything is read; a chunked body is read and
 * dropped past the limit, then refused with 413.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <locale.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include "serve/i18n.h"
#include "serve/serveInt.h"
#include "util/log.h"
#include "util/mem.h"

/* Per-request state kept across the handler calls of one request. */
typedef struct conn_state {
    sbuf body;
    int too_big;
    int answered; /* a response was queued early (413) */
} conn_state;

/* ---- query parameters --------------------------------------------------- */

typedef struct qcollect {
    serve_kv kv[SERVE_MAX_PARAMS];
    size_t n;
    int too_many;
    int bad; /* a value not valid UTF-8 or with a control character */
    sbuf strings;
} qcollect;

/* Sizes come with each name and value, so a "%00" inside one (which
 * strlen() would stop at) is refused rather than cut short. */
static enum MHD_Result collect_arg(void *cls, enum MHD_ValueKind kind,
                                   const char *key, size_t key_size,
                                   const char *value, size_t value_size)
{
    qcollect *q = cls;
    (void)kind;
    if (value == NULL)
        value = "";
    if (key == NULL || strlen(key) != key_size || strlen(value) != value_size ||
        !serve_text_ok(key, key_size) || !serve_text_ok(value, value_size)) {
        q->bad = 1;
        return MHD_NO;
    }
    /* An empty value is no value: a GET form sends its "All" choice (an
     * <option value="">) as "place=", which must mean no place. */
    if (value_size == 0)
        return MHD_YES;
    if (q->n >= SERVE_MAX_PARAMS) {
        q->too_many = 1;
        return MHD_NO;
    }
    /* offsets for now: the buffer may move while it grows */
    q->kv[q->n].name = (const char *)(uintptr_t)q->strings.len;
    if (sbuf_append(&q->strings, key, strlen(key) + 1) != P20W_OK) {
        q->too_many = 1;
        return MHD_NO;
    }
    q->kv[q->n].value = (const char *)(uintptr_t)q->strings.len;
    if (sbuf_append(&q->strings, value, strlen(value) + 1) != P20W_OK) {
        q->too_many = 1;
        return MHD_NO;
    }
    q->n++;
    return MHD_YES;
}

static void collect_fix(qcollect *q)
{
    for (size_t i = 0; i < q->n; i++) {
        q->kv[i].name = q->strings.buf + (uintptr_t)q->kv[i].name;
        q->kv[i].value = q->strings.buf + (uintptr_t)q->kv[i].value;
    }
}

/* ---- answering -------------------------------------------------------- */

static enum MHD_Result send_resp(struct MHD_Connection *conn, serve_resp *out,
                                 const char *method)
{
    if (serve_resp_security(out) != P20W_OK) {
        sbuf_reset(&out->body);
        out->status = 500;
    }
    size_t len = out->body.len;
    (void)method; /* MHD leaves the body out of HEAD answers itself */
    struct MHD_Response *resp = MHD_create_response_from_buffer(
        len, len ? out->body.buf : (void *)"", MHD_RESPMEM_MUST_COPY);
    if (resp == NULL)
        return MHD_NO;
    enum MHD_Result ok = MHD_YES;
    if (MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE,
                                out->content_type) != MHD_YES)
        ok = MHD_NO;
    const serve_kv *h = out->headers.data;
    for (size_t i = 0; ok == MHD_YES && i < out->headers.len; i++)
        if (MHD_add_response_header(resp, h[i].name, h[i].value) != MHD_YES)
            ok = MHD_NO;
    if (ok == MHD_YES)
        ok = MHD_queue_response(conn, (unsigned)out->status, resp);
    MHD_destroy_response(resp);
    return ok;
}

/* Fills r and out for a bare error before routing (no language chosen
 * beyond the default). */
static enum MHD_Result send_plain_error(serve_app *app,
                                        struct MHD_Connection *conn,
                                        const char *method, const char *url,
                                        int status, const char *msg)
{
    serve_req r = {0};
    req_priv p = {0};
    serve_resp out;
    serve_resp_init(&out);
    r.app = app;
    r.method = method;
    r.path = url;
    r.lang = "en";
    r.body = "";
    r.priv = &p;
    p.conn = conn;
    serve_resp_error(&r, &out, status, msg);
    enum MHD_Result ok = send_resp(conn, &out, method);
    serve_resp_clear(&out);
    atomic_fetch_add(&app->requests, 1);
    return ok;
}

static const char *client_ip(struct MHD_Connection *conn, char *buf, size_t cap)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    snprintf(buf, cap, "?");
    if (ci == NULL || ci->client_addr == NULL)
        return buf;
    const struct sockaddr *sa = ci->client_addr;
    if (sa->sa_family == AF_INET)
        inet_ntop(AF_INET,
                  &((const struct sockaddr_in *)(const void *)sa)->sin_addr,
                  buf, (socklen_t)cap);
    else if (sa->sa_family == AF_INET6)
        inet_ntop(AF_INET6,
                  &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr,
                  buf, (socklen_t)cap);
    return buf;
}

static int is_form(struct MHD_Connection *conn)
{
    const char *ct = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
                                                 MHD_HTTP_HEADER_CONTENT_TYPE);
    static const char form[] = "application/x-www-form-urlencoded";
    return ct != NULL && strncasecmp(ct, form, sizeof form - 1) == 0 &&
           (ct[sizeof form - 1] == '\0' || ct[sizeof form - 1] == ';');
}

/* Routing, checks, hooks and the handler: fills out. */
static void dispatch(serve_app *app, serve_req *r, req_priv *p,
                     const qcollect *q, serve_resp *out)
{
    const serve_route *route = NULL;
    p20w_err err = {0};
    p20w_status rc = serve_route_find(app, r, q->kv, q->n, &route, out);
    if (rc != P20W_OK || route == NULL)
        return;
    if (strcmp(r->method, "POST") == 0 && r->body_len > 0 && is_form(p->conn)) {
        size_t n = 0;
        rc = serve_form_parse(r->body, r->body_len, p->form, SERVE_MAX_PARAMS,
                              &n, &p->strings, &err);
        if (rc != P20W_OK) {
            serve_resp_error(r, out, rc == P20W_ENOMEM ? 500 : 400,
                             rc == P20W_ENOMEM
                                 ? _("The server is out of memory.")
                                 : err.msg);
            return;
        }
        r->form = p->form;
        r->nform = n;
    }
    int done = 0;
    if (app->hooks.before != NULL)
        rc = app->hooks.before(r, out, &done);
    if (rc == P20W_OK && !done)
        rc = route->handler(r, out);
    if (app->hooks.after != NULL)
        app->hooks.after(r);
    if (rc != P20W_OK) {
        log_error("serve: %s %s: %s", r->method, r->path, p20w_strerror(rc));
        serve_resp_error(r, out, 500,
                         _("Something went wrong on our side. Please try "
                           "again later."));
    }
}

static enum MHD_Result answer(serve_app *app, struct MHD_Connection *conn,
                              const char *url, const char *method,
                              conn_state *cs)
{
    qcollect q = {0};
    sbuf_init(&q.strings, 64 * 1024);
    MHD_get_connection_values_n(conn, MHD_GET_ARGUMENT_KIND, collect_arg, &q);
    if (q.too_many || q.bad) {
        sbuf_free(&q.strings);
        return send_plain_error(app, conn, method, url, 400,
                                q.bad ? "A query parameter is not valid text."
                                      : "Too many query parameters.");
    }
    collect_fix(&q);
    if (!serve_text_ok(url, strlen(url)))
        return send_plain_error(app, conn, method, "/", 400,
                                "The path is not valid text.");

    serve_req r = {0};
    req_priv p = {0};
    char ip[64];
    r.app = app;
    r.method = method;
    r.path = url;
    r.priv = &p;
    r.body = cs->body.len ? sbuf_cstr(&cs->body) : "";
    r.body_len = cs->body.len;
    r.client_ip = client_ip(conn, ip, sizeof ip);
    p.conn = conn;

    serve_resp out;
    serve_resp_init(&out);
    /* The language: ?lang= (checked by the router too), else the header. */
    const char *ql = NULL;
    for (size_t i = 0; i < q.n; i++)
        if (strcmp(q.kv[i].name, "lang") == 0)
            ql = q.kv[i].value;
    if (ql != NULL && (strcmp(ql, "en") == 0 || strcmp(ql, "es") == 0)) {
        r.lang = strcmp(ql, "es") == 0 ? "es" : "en";
        r.lang_explicit = 1;
    } else {
        r.lang = serve_lang_negotiate(MHD_lookup_connection_value(
            conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_ACCEPT_LANGUAGE));
    }
    locale_t prev = serve_i18n_use(app, r.lang);
    dispatch(app, &r, &p, &q, &out);
    if (!r.lang_explicit)
        serve_resp_header(&out, "Vary", "Accept-Language");
    serve_i18n_restore(prev);

    enum MHD_Result ok = send_resp(conn, &out, method);
    log_debug("serve: %s %s %d", method, url, out.status);
    serve_resp_clear(&out);
    if (p.cube != NULL)
        serve_cube_release(app, p.cube);
    store_close(p.db);
    p20w_free(p.strings);
    sbuf_free(&q.strings);
    atomic_fetch_add(&app->requests, 1);
    return ok;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn,
                                  const char *url, const char *method,
                                  const char *version, const char *upload,
                                  size_t *upload_size, void **con_cls)
{
    serve_app *app = cls;
    conn_state *cs = *con_cls;
    (void)version;
    if (cs == NULL) {
        cs = p20w_calloc(1, sizeof *cs);
        if (cs == NULL)
            return MHD_NO;
        sbuf_init(&cs->body, app->opt.max_body_bytes);
        *con_cls = cs;
        const char *cl = MHD_lookup_connection_value(
            conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
        if (cl != NULL) {
            char *end;
            errno = 0;
            unsigned long long n = strtoull(cl, &end, 10);
            if (errno != 0 || *end != '\0' || n > app->opt.max_body_bytes) {
                cs->answered = 1;
                return send_plain_error(app, conn, method, url, 413,
                                        "The request body is too large.");
            }
        }
        return MHD_YES;
    }
    if (*upload_size != 0) {
        if (!cs->too_big &&
            sbuf_append(&cs->body, upload, *upload_size) != P20W_OK)
            cs->too_big = 1;
        *upload_size = 0;
        return MHD_YES;
    }
    if (cs->answered)
        return MHD_YES;
    if (cs->too_big)
        return send_plain_error(app, conn, method, url, 413,
                                "The request body is too large.");
    return answer(app, conn, url, method, cs);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    conn_state *cs = *con_cls;
    (void)cls;
    (void)conn;
    (void)toe;
    if (cs == NULL)
        return;
    sbuf_free(&cs->body);
    p20w_free(cs);
    *con_cls = NULL;
}

__attribute__((format(printf, 2, 0))) static void
on_mhd_log(void *cls, const char *fmt, va_list ap)
{
    char msg[512];
    (void)cls;
    vsnprintf(msg, sizeof msg, fmt, ap);
    size_t n = strlen(msg);
    while (n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == '\r'))
        msg[--n] = '\0';
    log_debug("serve: libmicrohttpd: %s", msg);
}

/* ---- the socket and the daemon ---------------------------------------- */

p20w_status serve_http_bind(serve_app *app, p20w_err *err)
{
    struct sockaddr_storage ss;
    socklen_t sl;
    memset(&ss, 0, sizeof ss);
    struct sockaddr_in *v4 = (struct sockaddr_in *)(void *)&ss;
    struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)(void *)&ss;
    if (app->opt.port < 0 || app->opt.port > 65535)
        return p20w_err_set(err, P20W_EINVAL, "--port takes 0 to 65535");
    if (inet_pton(AF_INET, app->bind, &v4->sin_addr) == 1) {
        v4->sin_family = AF_INET;
        v4->sin_port = htons((uint16_t)app->opt.port);
        sl = sizeof *v4;
    } else if (inet_pton(AF_INET6, app->bind, &v6->sin6_addr) == 1) {
        v6->sin6_family = AF_INET6;
        v6->sin6_port = htons((uint16_t)app->opt.port);
        sl = sizeof *v6;
    } else {
        return p20w_err_set(err, P20W_EINVAL,
                            "--bind takes an IPv4 or IPv6 address such as "
                            "127.0.0.1, not '%s'",
                            app->bind);
    }
    int fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return p20w_err_set(err, P20W_EIO, "cannot create a socket: %s",
                            strerror(errno));
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (bind(fd, (struct sockaddr *)&ss, sl) != 0 || listen(fd, 128) != 0) {
        int e = errno;
        close(fd);
        return p20w_err_set(err, P20W_EIO, "cannot listen on %s port %d: %s",
                            app->bind, app->opt.port, strerror(e));
    }
    struct sockaddr_storage got;
    socklen_t gl = sizeof got;
    app->port = app->opt.port;
    if (getsockname(fd, (struct sockaddr *)&got, &gl) == 0)
        app->port =
            got.ss_family == AF_INET6
                ? ntohs(((struct sockaddr_in6 *)(void *)&got)->sin6_port)
                : ntohs(((struct sockaddr_in *)(void *)&got)->sin_port);
    app->listen_fd = fd;
    return P20W_OK;
}

p20w_status serve_http_start(serve_app *app, p20w_err *err)
{
    unsigned flags =
        MHD_USE_AUTO | MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG;
    if (strchr(app->bind, ':') != NULL)
        flags |= MHD_USE_IPv6;
    app->daemon = MHD_start_daemon(
        flags, 0, NULL, NULL, on_request, app, MHD_OPTION_LISTEN_SOCKET,
        (MHD_socket)app->listen_fd, MHD_OPTION_THREAD_POOL_SIZE,
        (unsigned int)app->opt.threads, MHD_OPTION_CONNECTION_LIMIT,
        (unsigned int)app->opt.max_connections,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)app->opt.conn_memory_bytes,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)app->opt.timeout_s,
        MHD_OPTION_NOTIFY_COMPLETED, on_completed, app,
        MHD_OPTION_EXTERNAL_LOGGER, on_mhd_log, app, MHD_OPTION_END);
    if (app->daemon == NULL)
        return p20w_err_set(err, P20W_EIO,
                            "cannot start the HTTP server on %s port %d",
                            app->bind, app->port);
    app->listen_fd = -1; /* the daemon owns it now and closes it */
    return P20W_OK;
}

void serve_http_stop(serve_app *app)
{
    if (app->daemon != NULL)
        MHD_stop_daemon(app->daemon);
    app->daemon = NULL;
}

/* ---- request accessors (need the connection) --------------------------- */

const char *serve_req_header(const serve_req *r, const char *name)
{
    const req_priv *p = r->priv;
    if (p == NULL || p->conn == NULL)
        return NULL;
    return MHD_lookup_connection_value(p->conn, MHD_HEADER_KIND, name);
}

const char *serve_req_cookie(const serve_req *r, const char *name)
{
    const req_priv *p = r->priv;
    if (p == NULL || p->conn == NULL)
        return NULL;
    return MHD_lookup_connection_value(p->conn, MHD_COOKIE_KIND, name);
}
