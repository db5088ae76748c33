/*
 * server.c -- starting and stopping the lab server, and sending each
 * request to its route.
 *
 * libmicrohttpd does the HTTP; it runs one internal thread that waits on
 * poll() for all connections.  One thread is enough because no handler
 * ever blocks: every wait is a suspended connection plus a wake-up on our
 * timer thread (timer.c).  Were handlers ever to do real work, MHD's
 * MHD_OPTION_THREAD_POOL_SIZE would spread connections over more threads
 * without changing anything here but the stats, which are locked already.
 *
 * Why poll() and not epoll, which scales better: with epoll, libmicrohttpd
 * 0.9.75 misses a client that sends part of a request line and hangs up,
 * and holds its connection until the idle timeout.  With poll() it closes
 * it at once, and a thousand connections cost poll() next to nothing.
 */
#include "ls_server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* Enough for a thousand clients at once and then some; each costs a descriptor. */
#define LS_MAX_CONNECTIONS 4096
/* Idle connections (a client that connects and says nothing) go after this. */
#define LS_IDLE_TIMEOUT_S 60
/* How long stopping waits for woken requests to send their 503s. */
#define LS_STOP_GRACE_NS (1000 * 1000 * 1000u)

/* ----------------------------------------------------------------------- */
/* Dispatch                                                                */
/* ----------------------------------------------------------------------- */

/*
 * The route for path `url`, and in *arg what follows "/route/" -- or the
 * whole path for LABSERVER_NOT_FOUND.  A route matches its exact path, and
 * a route that takes an argument also any path below it.
 */
static labserver_route ls_match(const char *url, const char **arg)
{
    for (int i = 0; i < LABSERVER_N_ROUTES; i++) {
        const char *path = ls_routes[i].path;
        if (!path)
            continue;
        size_t n = strlen(path);
        if (strncmp(url, path, n) != 0)
            continue;
        if (url[n] == '\0') {
            *arg = "";
            return (labserver_route)i;
        }
        if (ls_routes[i].takes_arg && url[n] == '/') {
            *arg = url + n + 1;
            return (labserver_route)i;
        }
    }
    *arg = url;
    return LABSERVER_NOT_FOUND;
}

static bool ls_method_allowed(labserver_route route, const char *method)
{
    return strcmp(method, MHD_HTTP_METHOD_GET) == 0 || strcmp(method, MHD_HTTP_METHOD_HEAD) == 0 ||
           (ls_routes[route].allows_post && strcmp(method, MHD_HTTP_METHOD_POST) == 0);
}

static enum MHD_Result ls_reply_bad_method(ls_request *r, const char *method)
{
    const ls_route *route = &ls_routes[r->route];
    const char *allow = route->allows_post ? "GET, HEAD, POST" : "GET, HEAD";
    struct MHD_Response *response =
        ls_error_response(MHD_HTTP_METHOD_NOT_ALLOWED, "%.20s is not allowed on %s; use %s",
                          method, route->doc.usage, allow);
    if (response)
        MHD_add_response_header(response, MHD_HTTP_HEADER_ALLOW, allow);
    return ls_reply(r->connection, MHD_HTTP_METHOD_NOT_ALLOWED, response);
}

/* A new request: find its route and count it. NULL when out of memory. */
static ls_request *ls_request_begin(labserver *s, struct MHD_Connection *c, const char *url,
                                     const char *method)
{
    ls_request *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    const char *arg;
    r->server = s;
    r->connection = c;
    r->route = ls_match(url, &arg);
    r->started_ns = ls_now_ns();
    snprintf(r->method, sizeof r->method, "%s", method);
    snprintf(r->path, sizeof r->path, "%s", url);
    r->counted = ls_routes[r->route].counted;
    if (r->counted)
        r->stats_epoch = ls_stats_begin(&s->stats, r->route);
    return r;
}

/*
 * MHD's access handler.  MHD calls it first when a request's headers are
 * in, then once per piece of body, then with no body left -- the moment to
 * answer -- and again after every resume until a response is queued.
 */
static enum MHD_Result ls_on_request(void *cls, struct MHD_Connection *c, const char *url,
                                     const char *method, const char *version,
                                     const char *upload_data, size_t *upload_data_size,
                                     void **req_cls)
{
    (void)version;
    (void)upload_data;
    ls_request *r = *req_cls;
    if (!r) {
        /* Counted now, so a request whose body is still coming is open. */
        *req_cls = r = ls_request_begin(cls, c, url, method);
        return r ? MHD_YES : MHD_NO;
    }
    if (*upload_data_size) {
        *upload_data_size = 0;   /* no route reads a body: drop it */
        return MHD_YES;
    }
    if (!ls_method_allowed(r->route, method))
        return ls_reply_bad_method(r, method);
    const char *arg;
    ls_match(url, &arg);
    return ls_routes[r->route].handle(r, arg);
}

/*
 * MHD's request-completed callback: called once for every request the
 * access handler saw, whether it completed, the client hung up or the
 * server stopped.  This is what brings "open" back down.
 */
static void ls_on_completed(void *cls, struct MHD_Connection *c, void **req_cls,
                            enum MHD_RequestTerminationCode why)
{
    labserver *s = cls;
    ls_request *r = *req_cls;
    if (!r)
        return;
    bool completed = why == MHD_REQUEST_TERMINATED_COMPLETED_OK;
    if (r->counted)
        ls_stats_end(&s->stats, r->stats_epoch, completed);
    if (s->log) {
        const union MHD_ConnectionInfo *info =
            MHD_get_connection_info(c, MHD_CONNECTION_INFO_HTTP_STATUS);
        unsigned status = completed && info ? info->http_status : 0;
        s->log(s->log_context, r->method, r->path, status,
               (double)(ls_now_ns() - r->started_ns) / 1e9);
    }
    free(r);
    *req_cls = NULL;
}

/* MHD's connection callback: a connection opened or closed, for the stats. */
static void ls_on_connection(void *cls, struct MHD_Connection *c, void **socket_context,
                             enum MHD_ConnectionNotificationCode what)
{
    labserver *s = cls;
    (void)c;
    (void)socket_context;
    ls_stats_connection(&s->stats, what == MHD_CONNECTION_NOTIFY_STARTED ? 1 : -1);
}

/* ----------------------------------------------------------------------- */
/* Start and stop                                                          */
/* ----------------------------------------------------------------------- */

static bool ls_address(const char *host, int port, struct sockaddr_in *addr, char *err,
                       size_t errlen)
{
    if (!host || strcmp(host, "localhost") == 0)
        host = "127.0.0.1";
    if (port < 0 || port > 65535) {
        snprintf(err, errlen, "port %d is not between 0 and 65535", port);
        return false;
    }
    *addr = (struct sockaddr_in){.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    if (inet_pton(AF_INET, host, &addr->sin_addr) != 1) {
        snprintf(err, errlen, "'%.60s' is not an IPv4 address such as 127.0.0.1", host);
        return false;
    }
    return true;
}

/*
 * A listening socket on `addr`, with the port actually bound in s->port.
 * Made here rather than by MHD so that a port in use is reported as such.
 */
static int ls_listen(labserver *s, struct sockaddr_in addr, char *err, size_t errlen)
{
    char where[INET_ADDRSTRLEN];
    inet_ntop(AF_INET, &addr.sin_addr, where, sizeof where);
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0)
        goto err;
    /* Restarting at once must not fail on the last run's TIME_WAIT sockets. */
    int on = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
    socklen_t len = sizeof addr;
    if (bind(fd, (struct sockaddr *)&addr, sizeof addr) != 0 || listen(fd, SOMAXCONN) != 0 ||
        getsockname(fd, (struct sockaddr *)&addr, &len) != 0)
        goto err;
    s->port = ntohs(addr.sin_port);
    snprintf(s->url, sizeof s->url, "http://%s:%d", where, s->port);
    return fd;
err:
    snprintf(err, errlen, "%s:%d: %s", where, ntohs(addr.sin_port), strerror(errno));
    if (fd >= 0)
        close(fd);
    return -1;
}

labserver *labserver_start(const char *host, int port, char *err, size_t errlen)
{
    return labserver_start_logged(host, port, NULL, NULL, err, errlen);
}

labserver *labserver_start_logged(const char *host, int port, labserver_log_fn log,
                                  void *log_context, char *err, size_t errlen)
{
    struct sockaddr_in addr;
    if (!ls_address(host, port, &addr, err, errlen))
        return NULL;
    labserver *s = calloc(1, sizeof *s);
    if (!s) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    s->log = log;
    s->log_context = log_context;
    ls_stats_init(&s->stats);
    ls_flaky_init(&s->flaky);
    int fd = ls_listen(s, addr, err, errlen);
    if (fd < 0)
        goto err;
    int rc = ls_timer_start(&s->timer);
    if (rc) {
        snprintf(err, errlen, "cannot start the timer thread: %s", strerror(rc));
        close(fd);
        goto err;
    }
    s->daemon = MHD_start_daemon(
        MHD_USE_POLL_INTERNAL_THREAD | MHD_ALLOW_SUSPEND_RESUME, 0, NULL, NULL, ls_on_request, s,
        MHD_OPTION_LISTEN_SOCKET, fd,
        MHD_OPTION_NOTIFY_COMPLETED, ls_on_completed, s,
        MHD_OPTION_NOTIFY_CONNECTION, ls_on_connection, s,
        MHD_OPTION_CONNECTION_LIMIT, (unsigned)LS_MAX_CONNECTIONS,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)LS_IDLE_TIMEOUT_S,
        MHD_OPTION_END);
    if (!s->daemon) {
        /*
         * The socket is not closed here: whether MHD already closed it
         * depends on how far it got, and closing a descriptor twice can
         * close another thread's newly opened file.  At worst it leaks.
         */
        snprintf(err, errlen, "libmicrohttpd could not start on %s", s->url);
        ls_timer_stop(&s->timer);
        ls_timer_destroy(&s->timer);
        goto err;
    }
    return s;
err:
    ls_flaky_destroy(&s->flaky);
    ls_stats_destroy(&s->stats);
    free(s);
    return NULL;
}

const char *labserver_url(const labserver *s)
{
    return s->url;
}

int labserver_port(const labserver *s)
{
    return s->port;
}

/* Waits until no counted request is open, or `grace_ns` has passed. */
static void ls_wait_until_idle(labserver *s, uint64_t grace_ns)
{
    uint64_t deadline = ls_now_ns() + grace_ns;
    labserver_stats now;
    for (;;) {
        ls_stats_read(&s->stats, &now);
        if (now.open == 0 || ls_now_ns() >= deadline)
            return;
        nanosleep(&(struct timespec){.tv_nsec = 10 * 1000 * 1000}, NULL);
    }
}

void labserver_stop(labserver *s)
{
    if (!s)
        return;
    /* No new connections from here on; MHD hands the listening socket back. */
    MHD_socket listener = MHD_quiesce_daemon(s->daemon);
    /*
     * MHD must not be stopped with connections suspended, so wake them
     * all.  A woken request sees the timer stopping and answers 503 (a
     * drip is cut short) instead of suspending again; a moment's grace
     * lets those answers go out before every connection is closed.
     */
    ls_timer_stop(&s->timer);
    ls_wait_until_idle(s, LS_STOP_GRACE_NS);
    MHD_stop_daemon(s->daemon);
    if (listener != MHD_INVALID_SOCKET)
        close(listener);
    /* Only now is nothing left that could call the timer, stats or coin. */
    ls_timer_destroy(&s->timer);
    ls_flaky_destroy(&s->flaky);
    ls_stats_destroy(&s->stats);
    free(s);
}

void labserver_get_stats(labserver *s, labserver_stats *out)
{
    ls_stats_read(&s->stats, out);
}

void labserver_reset_stats(labserver *s)
{
    ls_stats_reset(&s->stats);
    ls_flaky_reset(&s->flaky);
}
