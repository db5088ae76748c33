/*
 * http.c -- an HTTP client on the runtime: libcurl's multi-socket interface
 * driven by the runtime's own libuv loop, and a session in the shape of
 * aiohttp's ClientSession.
 *
 * Part 1, "libcurl on libuv", is the shape of curl's docs/examples/multi-uv.c.
 * libcurl does all of HTTP but owns no loop: it tells us which sockets it
 * wants watched (socket_cb) and when it next needs a call (timer_cb), and we
 * tell it when a socket is ready or the time has come
 * (curl_multi_socket_action).  The example's known pitfalls are handled:
 *
 *   - a socket can be closed before libcurl says CURL_POLL_REMOVE for it
 *     (libcurl has done so in some versions and paths), and the kernel
 *     hands the same number to the next socket at once; libuv, still
 *     watching the number, would then watch the wrong socket or abort.  We
 *     close sockets ourselves (CURLOPT_CLOSESOCKETFUNCTION) and stop
 *     watching first; our table of watched sockets is keyed by descriptor,
 *     not by libcurl's socketp, and every change of interest re-registers
 *     the descriptor, so a stale entry can never outlive its socket.
 *   - a poll error is forwarded to libcurl as CURL_CSELECT_ERR together
 *     with the directions libcurl was waiting for, so it reads or writes
 *     and fails the transfer with the real reason; CURL_CSELECT_ERR alone
 *     gets only "select/poll returned error" (libuv stops a poll that
 *     reported an error; libcurl then closes the socket, or its own
 *     timeouts end the transfer).
 *   - libcurl must not be called from inside its own callbacks: even a
 *     "now" (0 ms) timeout goes through a uv_timer, so it runs on the next
 *     turn of the loop, not inside timer_cb.
 *   - after every curl_multi_socket_action(), finished transfers are
 *     drained with curl_multi_info_read() until none is left.
 *
 * Part 2, "requests", is what a task sees.  A request is a struct on the
 * calling task's stack; its easy handle carries a pointer to it.  The task
 * adds the handle to the session's multi handle and parks.  Whatever wakes
 * it -- the transfer finished, or it was cancelled -- the task itself then
 * removes the handle, on its own stack, in the same code path.  Only after
 * that does the request struct go away, so libcurl never holds a pointer to
 * a dead stack frame, and cancelling mid-transfer needs no special cleanup.
 *
 * Everything in Part 1 runs inside uv_run(), on the scheduler's stack: it
 * may wake tasks, never switch to them.
 *
 * One cost we do not hide: a name (not a numeric address) is looked up on a
 * thread of libcurl's, and cancelling a request during that lookup makes
 * curl_multi_remove_handle() wait until the lookup ends, because libcurl
 * joins the thread.  Numeric addresses such as 127.0.0.1 need no lookup.
 */
#include "internal.h"

#include <curl/curl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

enum {
    DEFAULT_MAX_CONNECTIONS = 100,         /* aiohttp's TCPConnector(limit=100) */
    DEFAULT_MAX_BODY = 64 << 20,           /* 64 MiB                            */
    TRACE_EVERY = 64 * 1024                /* a progress event per 64 KiB       */
};
static const double DEFAULT_CONNECT_TIMEOUT_S = 30;  /* aiohttp: sock_connect=30 */
static const double DEFAULT_TIMEOUT_S = 300;         /* aiohttp: total=300       */

/* A socket libcurl asked us to watch. */
typedef struct http_socket {
    uv_poll_t poll;
    curl_socket_t fd;
    int wanted;                /* libcurl's CURL_POLL_IN / _OUT for it     */
    aw_http_session *session;
    struct http_socket *next;
} http_socket;

struct aw_http_session {
    uv_timer_t timer;          /* libcurl's one timeout; frees the session */
                               /* when it has closed                       */
    CURLM *multi;
    aw__loop *loop;            /* the run this session belongs to          */
    http_socket *sockets;      /* watched sockets; a handful, so a list    */
    struct curl_slist *headers;
    long connect_timeout_ms, timeout_ms;
    size_t max_body;
    bool closing;              /* aw_http_session_free() was called        */
    aw_http_session_stats stats;
};

/* ======================================================================= */
/* Part 1: libcurl on libuv                                                  */
/* ======================================================================= */

static void drain_finished(aw_http_session *session);

/* Tells libcurl what happened (on a socket, or CURL_SOCKET_TIMEOUT). */
static void drive(aw_http_session *session, curl_socket_t fd, int what)
{
    int running;
    curl_multi_socket_action(session->multi, fd, what, &running);
    drain_finished(session);
}

/* ----------------------------------------------------------------------- */
/* Sockets                                                                   */
/* ----------------------------------------------------------------------- */

static void on_poll(uv_poll_t *poll, int status, int events)
{
    http_socket *s = aw__container_of(poll, http_socket, poll);
    int what = 0;
    if (status < 0) {
        /*
         * libuv has stopped this poll.  CURL_CSELECT_ERR alone would make
         * libcurl give up with "select/poll returned error"; with the
         * directions it was waiting for, it reads or writes, and the
         * failing call says why ("Connection reset by peer").
         */
        what = CURL_CSELECT_ERR | ((s->wanted & CURL_POLL_IN) ? CURL_CSELECT_IN : 0) |
               ((s->wanted & CURL_POLL_OUT) ? CURL_CSELECT_OUT : 0);
    } else {
        if (events & UV_READABLE)
            what |= CURL_CSELECT_IN;
        if (events & UV_WRITABLE)
            what |= CURL_CSELECT_OUT;
    }
    drive(s->session, s->fd, what);
}

static http_socket *find_socket(aw_http_session *session, curl_socket_t fd)
{
    for (http_socket *s = session->sockets; s; s = s->next)
        if (s->fd == fd)
            return s;
    return NULL;
}

static void free_socket(uv_handle_t *handle)
{
    free(aw__container_of((uv_poll_t *)handle, http_socket, poll));
}

/* Stops watching fd, if we were; must happen before the descriptor closes. */
static void unwatch(aw_http_session *session, curl_socket_t fd)
{
    for (http_socket **link = &session->sockets; *link; link = &(*link)->next) {
        http_socket *s = *link;
        if (s->fd == fd) {
            *link = s->next;
            uv_close((uv_handle_t *)&s->poll, free_socket); /* stops the poll now */
            return;
        }
    }
}

/*
 * Watches fd for what libcurl wants.  The poll is stopped before it is
 * started again: stopping drops libuv's registration of the number with
 * epoll, so the start registers whatever socket the number means now.
 */
static int watch(aw_http_session *session, curl_socket_t fd, int what)
{
    http_socket *s = find_socket(session, fd);
    if (s) {
        uv_poll_stop(&s->poll);
    } else {
        s = calloc(1, sizeof *s);
        if (!s || uv_poll_init_socket(&session->loop->uv, &s->poll, fd) != 0) {
            free(s);
            return -1;
        }
        s->fd = fd;
        s->session = session;
        s->next = session->sockets;
        session->sockets = s;
    }
    s->wanted = what;
    int events = ((what & CURL_POLL_IN) ? UV_READABLE : 0) |
                 ((what & CURL_POLL_OUT) ? UV_WRITABLE : 0);
    return uv_poll_start(&s->poll, events, on_poll) == 0 ? 0 : -1;
}

/* CURLMOPT_SOCKETFUNCTION: libcurl's interest in a socket changed. */
static int socket_cb(CURL *easy, curl_socket_t fd, int what, void *userp, void *socketp)
{
    (void)easy;
    (void)socketp; /* our table, keyed by descriptor, is the only truth */
    aw_http_session *session = userp;
    if (what == CURL_POLL_REMOVE) {
        unwatch(session, fd);
        return 0;
    }
    return watch(session, fd, what);
}

/*
 * CURLOPT_OPENSOCKETFUNCTION: we make the sockets, close-on-exec, so that a
 * child process started meanwhile (aw_process_run) does not inherit our
 * connections and keep them open after we close them.
 */
static curl_socket_t opensocket_cb(void *clientp, curlsocktype purpose,
                                   struct curl_sockaddr *address)
{
    (void)purpose;
    aw_http_session *session = clientp;
    int fd = socket(address->family, address->socktype | SOCK_CLOEXEC, address->protocol);
    if (fd < 0)
        return CURL_SOCKET_BAD;
    session->stats.connections_opened++;
    session->stats.connections_open++;
    return fd;
}

/* CURLOPT_CLOSESOCKETFUNCTION: stop watching first, then close. */
static int closesocket_cb(void *clientp, curl_socket_t fd)
{
    aw_http_session *session = clientp;
    unwatch(session, fd);
    session->stats.connections_open--;
    return close(fd);
}

/* ----------------------------------------------------------------------- */
/* Time                                                                      */
/* ----------------------------------------------------------------------- */

static void on_timeout(uv_timer_t *timer)
{
    aw_http_session *session = aw__container_of(timer, aw_http_session, timer);
    drive(session, CURL_SOCKET_TIMEOUT, 0);
}

/*
 * CURLMOPT_TIMERFUNCTION: libcurl wants to be called in timeout_ms (-1:
 * never).  0 means "as soon as possible", but calling libcurl from here would
 * re-enter it; the uv_timer defers the call to the loop's next turn.
 * libuv counts timers from its cached time, which is stale if the loop has
 * not run for a while, so it is refreshed first.
 */
static int timer_cb(CURLM *multi, long timeout_ms, void *userp)
{
    (void)multi;
    aw_http_session *session = userp;
    if (timeout_ms < 0) {
        uv_timer_stop(&session->timer);
    } else {
        uv_update_time(&session->loop->uv);
        uv_timer_start(&session->timer, on_timeout, (uint64_t)timeout_ms, 0);
    }
    return 0;
}

/* ----------------------------------------------------------------------- */
/* Finished transfers                                                        */
/* ----------------------------------------------------------------------- */

/* What a request keeps on its task's stack; CURLOPT_PRIVATE points here. */
typedef struct http_transfer {
    aw_http_session *session;
    aw_task *task;
    CURL *easy;
    struct curl_slist *headers;
    const char *method, *url;
    CURLcode result;           /* set when libcurl has finished it    */
    bool over_cap;
    char *body;
    size_t body_size, body_capacity;
    size_t traced_at;          /* body_size at the last trace event   */
    curl_off_t content_length; /* -1 until known                      */
    char *header_block;        /* "name\0value\0" pairs               */
    size_t header_size, header_capacity, header_count;
    long status;
    char reason[48];
    char error[CURL_ERROR_SIZE];
} http_transfer;

/* Hands every finished transfer back to its task. */
static void drain_finished(aw_http_session *session)
{
    CURLMsg *msg;
    int left;
    while ((msg = curl_multi_info_read(session->multi, &left)) != NULL) {
        if (msg->msg != CURLMSG_DONE)
            continue;
        http_transfer *t;
        curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&t);
        t->result = msg->data.result;
        aw__wake(t->task, AW_OK); /* ignored if it was woken cancelled */
    }
}

/* ======================================================================= */
/* Part 2: requests                                                          */
/* ======================================================================= */

/* ----------------------------------------------------------------------- */
/* What arrives: headers and body                                           */
/* ----------------------------------------------------------------------- */

/* Grows *buf to hold `more` bytes after `used`; false if out of memory. */
static bool reserve(char **buf, size_t *capacity, size_t used, size_t more)
{
    if (used + more <= *capacity)
        return true;
    size_t wanted = *capacity ? *capacity : 1024;
    while (wanted < used + more)
        wanted *= 2;
    char *grown = realloc(*buf, wanted);
    if (!grown)
        return false;
    *buf = grown;
    *capacity = wanted;
    return true;
}

static void trace_progress(http_transfer *t)
{
    if (t->content_length < 0)
        curl_easy_getinfo(t->easy, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &t->content_length);
    long length = t->content_length > 0 ? (long)t->content_length : 0;
    aw__trace_resource("http", t->url, (long)t->body_size, length, 0, t->task->id);
    t->traced_at = t->body_size;
}

/* CURLOPT_WRITEFUNCTION: a piece of the body.  Returning less fails it. */
static size_t on_body(char *data, size_t size, size_t count, void *userdata)
{
    http_transfer *t = userdata;
    size_t n = size * count;
    if (t->body_size + n > t->session->max_body) {
        t->over_cap = true;
        return 0;
    }
    if (!reserve(&t->body, &t->body_capacity, t->body_size, n + 1))
        return 0;
    memcpy(t->body + t->body_size, data, n);
    t->body_size += n;
    t->body[t->body_size] = '\0';
    if (aw__trace_on() && t->body_size - t->traced_at >= TRACE_EVERY)
        trace_progress(t);
    return n;
}

/* "HTTP/1.1 404 Not Found": a new response starts; forget earlier headers. */
static void on_status_line(http_transfer *t, const char *line, size_t n)
{
    const char *end = line + n;
    t->header_size = t->header_count = 0;
    t->reason[0] = '\0';
    while (end > line && (end[-1] == '\r' || end[-1] == '\n'))
        end--;
    const char *code = memchr(line, ' ', (size_t)(end - line));
    if (!code)
        return;
    t->status = strtol(code + 1, NULL, 10);
    const char *reason = memchr(code + 1, ' ', (size_t)(end - code - 1));
    if (reason) /* HTTP/2 has none */
        snprintf(t->reason, sizeof t->reason, "%.*s", (int)(end - reason - 1), reason + 1);
}

/* Appends "name\0value\0" for one "Name: value\r\n" line. */
static bool add_header(http_transfer *t, const char *line, size_t n)
{
    const char *colon = memchr(line, ':', n);
    if (!colon)
        return true;
    const char *value = colon + 1, *end = line + n;
    while (value < end && (*value == ' ' || *value == '\t'))
        value++;
    while (end > value && (end[-1] == '\r' || end[-1] == '\n' || end[-1] == ' '))
        end--;
    size_t name_len = (size_t)(colon - line), value_len = (size_t)(end - value);
    if (!reserve(&t->header_block, &t->header_capacity, t->header_size,
                 name_len + value_len + 2))
        return false;
    char *p = t->header_block + t->header_size;
    memcpy(p, line, name_len);
    p[name_len] = '\0';
    memcpy(p + name_len + 1, value, value_len);
    p[name_len + 1 + value_len] = '\0';
    t->header_size += name_len + value_len + 2;
    t->header_count++;
    return true;
}

/* CURLOPT_HEADERFUNCTION: one header line, of every response (redirects too). */
static size_t on_header(char *line, size_t size, size_t count, void *userdata)
{
    http_transfer *t = userdata;
    size_t n = size * count;
    if (n >= 5 && memcmp(line, "HTTP/", 5) == 0)
        on_status_line(t, line, n);
    else if (!add_header(t, line, n))
        return 0;
    return n;
}

/* ----------------------------------------------------------------------- */
/* Setting up a request                                                      */
/* ----------------------------------------------------------------------- */

/* A URL libcurl would reject, or one that is not http(s): InvalidURL. */
static int check_url(const char *url)
{
    CURLU *parsed = curl_url();
    if (!parsed)
        return aw_raise(AW_ENOMEM, "out of memory");
    char *scheme = NULL;
    CURLUcode rc = curl_url_set(parsed, CURLUPART_URL, url, 0);
    if (rc == CURLUE_OK)
        rc = curl_url_get(parsed, CURLUPART_SCHEME, &scheme, 0);
    int status = AW_OK;
    if (rc != CURLUE_OK)
        status = aw_raise(AW_EINVAL, "bad URL: %s (%s)", curl_url_strerror(rc), url);
    else if (strcmp(scheme, "http") != 0 && strcmp(scheme, "https") != 0)
        status = aw_raise(AW_EINVAL, "bad URL: not http or https (%s)", url);
    curl_free(scheme);
    curl_url_cleanup(parsed);
    return status;
}

static long to_ms(double seconds)
{
    if (seconds == AW_NEVER)
        return 0; /* libcurl's "no timeout" */
    return seconds * 1000 < 1 ? 1 : (long)(seconds * 1000);
}

/* Appends a copy of one header line to *list; false if out of memory. */
static bool append_header(struct curl_slist **list, const char *line)
{
    struct curl_slist *grown = curl_slist_append(*list, line);
    if (!grown)
        return false;
    *list = grown;
    return true;
}

/* The session's default headers, then the request's own, then its type. */
static bool build_headers(http_transfer *t, const aw_http_request *req)
{
    struct curl_slist *list = NULL;
    for (struct curl_slist *h = t->session->headers; h; h = h->next)
        if (!append_header(&list, h->data))
            goto err;
    for (const char *const *h = req->headers; h && *h; h++)
        if (!append_header(&list, *h))
            goto err;
    if (req->content_type) {
        char line[256];
        snprintf(line, sizeof line, "Content-Type: %s", req->content_type);
        if (!append_header(&list, line))
            goto err;
    }
    /* No "Expect: 100-continue" round trip before large bodies. */
    if (!append_header(&list, "Expect:"))
        goto err;
    t->headers = list;
    return true;
err:
    curl_slist_free_all(list);
    return false;
}

static void set_method(CURL *easy, const http_transfer *t, const aw_http_request *req)
{
    if (req->body) {
        curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)req->body_size);
        curl_easy_setopt(easy, CURLOPT_POSTFIELDS, req->body);
    }
    if (strcmp(t->method, "HEAD") == 0)
        curl_easy_setopt(easy, CURLOPT_NOBODY, 1L);
    else if (strcmp(t->method, req->body ? "POST" : "GET") != 0)
        curl_easy_setopt(easy, CURLOPT_CUSTOMREQUEST, t->method);
}

/* An easy handle for one request; NULL if out of memory. */
static CURL *make_easy(http_transfer *t, const aw_http_request *req)
{
    aw_http_session *session = t->session;
    CURL *easy = curl_easy_init();
    if (!easy || !build_headers(t, req)) {
        curl_easy_cleanup(easy);
        return NULL;
    }
    curl_easy_setopt(easy, CURLOPT_URL, t->url);
    curl_easy_setopt(easy, CURLOPT_PRIVATE, t);
    curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L); /* no SIGALRM: we are threaded */
    curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(easy, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(easy, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(easy, CURLOPT_MAXREDIRS, 10L);
    curl_easy_setopt(easy, CURLOPT_USERAGENT, "awaitlab");
    curl_easy_setopt(easy, CURLOPT_HTTPHEADER, t->headers);
    curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, t->error);
    curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(easy, CURLOPT_WRITEDATA, t);
    curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(easy, CURLOPT_HEADERDATA, t);
    curl_easy_setopt(easy, CURLOPT_OPENSOCKETFUNCTION, opensocket_cb);
    curl_easy_setopt(easy, CURLOPT_OPENSOCKETDATA, session);
    curl_easy_setopt(easy, CURLOPT_CLOSESOCKETFUNCTION, closesocket_cb);
    curl_easy_setopt(easy, CURLOPT_CLOSESOCKETDATA, session);
    curl_easy_setopt(easy, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)session->max_body);
    curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS, session->connect_timeout_ms);
    curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS,
                     req->timeout_s > 0 ? to_ms(req->timeout_s) : session->timeout_ms);
    set_method(easy, t, req);
    return easy;
}

/* ----------------------------------------------------------------------- */
/* The outcome                                                               */
/* ----------------------------------------------------------------------- */

static int status_of(const http_transfer *t)
{
    switch (t->result) {
    case CURLE_OK:
        return AW_OK;
    case CURLE_URL_MALFORMAT:
    case CURLE_UNSUPPORTED_PROTOCOL:
        return AW_EINVAL;
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_CONNECT:
        return AW_ECONNECT;
    case CURLE_OPERATION_TIMEDOUT:
        return AW_ETIMEDOUT;
    case CURLE_FILESIZE_EXCEEDED:
        return AW_ETOOBIG;
    case CURLE_WRITE_ERROR: /* our callbacks refused: the cap, or no memory */
        return t->over_cap ? AW_ETOOBIG : AW_ENOMEM;
    case CURLE_PARTIAL_FILE:
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_GOT_NOTHING:
        return AW_EDISCONNECTED;
    case CURLE_OUT_OF_MEMORY:
        return AW_ENOMEM;
    default:
        return AW_EIO;
    }
}

/*
 * Raises the failure with libcurl's words first, so that a message cut to
 * fit keeps the cause, and the system's words after them when libcurl's do
 * not say it ("Couldn't connect to server" leaves out "Connection refused").
 */
static int raise_failure(const http_transfer *t)
{
    int status = status_of(t);
    if (status == AW_ETOOBIG)
        return aw_raise(status, "response body larger than the %zu-byte cap (%s %s)",
                        t->session->max_body, t->method, t->url);
    const char *words = t->error[0] ? t->error : curl_easy_strerror(t->result);
    long os_errno = 0;
    curl_easy_getinfo(t->easy, CURLINFO_OS_ERRNO, &os_errno);
    const char *os_words = os_errno ? strerror((int)os_errno) : "";
    if (!*os_words || strstr(words, os_words))
        return aw_raise(status, "%s (%s %s)", words, t->method, t->url);
    return aw_raise(status, "%s: %s (%s %s)", words, os_words, t->method, t->url);
}

/* Moves what arrived into the response. */
static void hand_over(http_transfer *t, aw_http_response *response)
{
    char *final_url = NULL;
    curl_easy_getinfo(t->easy, CURLINFO_EFFECTIVE_URL, &final_url);
    response->status = t->status;
    snprintf(response->reason, sizeof response->reason, "%s", t->reason);
    response->url = strdup(final_url ? final_url : t->url);
    response->body = t->body ? t->body : calloc(1, 1);
    response->body_size = t->body_size;
    response->header_block = t->header_block;
    response->header_count = t->header_count;
    t->body = t->header_block = NULL;
}

/* ----------------------------------------------------------------------- */
/* Sending it                                                                */
/* ----------------------------------------------------------------------- */

static void session_destroy(aw_http_session *session);

static void http_on_cancel(aw_task *task)
{
    aw__wake(task, AW_ECANCELLED); /* the task removes its transfer itself */
}

static int start(http_transfer *t)
{
    aw_http_session *session = t->session;
    CURLMcode rc = curl_multi_add_handle(session->multi, t->easy);
    if (rc != CURLM_OK)
        return aw_raise(AW_EIO, "%s (%s %s)", curl_multi_strerror(rc), t->method, t->url);
    session->stats.in_flight++;
    session->loop->real_work++;
    if (aw__trace_on())
        trace_progress(t);
    return AW_OK;
}

/* Takes the transfer out of libcurl: done, failed or abandoned alike. */
static void finish(http_transfer *t)
{
    aw_http_session *session = t->session;
    curl_multi_remove_handle(session->multi, t->easy);
    session->stats.in_flight--;
    session->loop->real_work--;
    if (aw__trace_on())
        trace_progress(t);
}

static void release(http_transfer *t)
{
    curl_easy_cleanup(t->easy);
    curl_slist_free_all(t->headers);
    free(t->body);
    free(t->header_block);
}

static int check_request(aw_http_session *session, const aw_http_request *request,
                         aw_http_response *response)
{
    if (!session || !request || !request->url || !response)
        return aw_raise(AW_EINVAL, "aw_http_request_send: missing argument");
    if (session->closing)
        return aw_raise(AW_ESTATE, "the HTTP session is closed (%s)", request->url);
    if (session->loop != aw__the_loop)
        return aw_raise(AW_ESTATE, "the HTTP session belongs to another aw_run()");
    return check_url(request->url);
}

/* One transfer from start to end: hand it to libcurl, park, take it back. */
static int run_transfer(http_transfer *t, aw_http_response *response)
{
    int status = start(t);
    if (status != AW_OK)
        return status;
    aw__wait wait = {.on = "http", .name = t->url, .on_cancel = http_on_cancel, .data = t};
    status = aw__suspend(&wait);
    finish(t);
    if (status != AW_OK)
        return status; /* cancelled: whatever arrived is dropped */
    if (t->result != CURLE_OK)
        return raise_failure(t);
    t->session->stats.requests++;
    hand_over(t, response);
    return AW_OK;
}

int aw_http_request_send(aw_http_session *session, const aw_http_request *request,
                         aw_http_response *response)
{
    aw_task *self = aw__current();
    if (!self)
        return AW_ESTATE;
    if (response)
        memset(response, 0, sizeof *response);
    int status = check_request(session, request, response);
    if (status != AW_OK)
        return status;
    if (aw__cancel_pending(self))
        return AW_ECANCELLED;

    http_transfer t = {.session = session, .task = self, .url = request->url,
                       .content_length = -1};
    t.method = request->method ? request->method : request->body ? "POST" : "GET";
    t.easy = make_easy(&t, request);
    if (!t.easy)
        return aw_raise(AW_ENOMEM, "out of memory for %s %s", t.method, t.url);
    status = run_transfer(&t, response);
    release(&t);
    if (session->closing && session->stats.in_flight == 0)
        session_destroy(session); /* freed while we were running: we were last */
    return status;
}

int aw_http_get(aw_http_session *session, const char *url, aw_http_response *response)
{
    aw_http_request request = {.method = "GET", .url = url};
    return aw_http_request_send(session, &request, response);
}

int aw_http_post(aw_http_session *session, const char *url, const void *body, size_t size,
                 const char *content_type, aw_http_response *response)
{
    aw_http_request request = {.method = "POST", .url = url, .body = body ? body : "",
                               .body_size = size, .content_type = content_type};
    return aw_http_request_send(session, &request, response);
}

/* ----------------------------------------------------------------------- */
/* Responses                                                                 */
/* ----------------------------------------------------------------------- */

int aw_http_raise_for_status(const aw_http_response *response)
{
    if (!response)
        return AW_EINVAL;
    if (response->status < 400)
        return AW_OK;
    return aw_raise(AW_EHTTP, "%ld%s%s: %s", response->status, response->reason[0] ? " " : "",
                    response->reason, response->url ? response->url : "");
}

bool aw_http_header_at(const aw_http_response *response, size_t i, const char **name,
                       const char **value)
{
    if (!response || i >= response->header_count)
        return false;
    const char *p = response->header_block;
    for (; i > 0; i--) {
        p += strlen(p) + 1; /* the name  */
        p += strlen(p) + 1; /* the value */
    }
    *name = p;
    *value = p + strlen(p) + 1;
    return true;
}

const char *aw_http_header(const aw_http_response *response, const char *name)
{
    const char *n, *v;
    for (size_t i = 0; aw_http_header_at(response, i, &n, &v); i++)
        if (strcasecmp(n, name) == 0)
            return v;
    return NULL;
}

void aw_http_response_free(aw_http_response *response)
{
    if (!response)
        return;
    free(response->url);
    free(response->body);
    free(response->header_block);
    memset(response, 0, sizeof *response);
}

/* ----------------------------------------------------------------------- */
/* The session                                                               */
/* ----------------------------------------------------------------------- */

static int global_init_status = -1;

static void global_init(void)
{
    global_init_status = (int)curl_global_init(CURL_GLOBAL_DEFAULT);
}

static bool copy_headers(aw_http_session *session, const char *const *headers)
{
    for (const char *const *h = headers; h && *h; h++)
        if (!append_header(&session->headers, *h))
            return false;
    return true;
}

static void configure(aw_http_session *session, const aw_http_session_options *o)
{
    long max = o->max_connections > 0 ? o->max_connections : DEFAULT_MAX_CONNECTIONS;
    curl_multi_setopt(session->multi, CURLMOPT_SOCKETFUNCTION, socket_cb);
    curl_multi_setopt(session->multi, CURLMOPT_SOCKETDATA, session);
    curl_multi_setopt(session->multi, CURLMOPT_TIMERFUNCTION, timer_cb);
    curl_multi_setopt(session->multi, CURLMOPT_TIMERDATA, session);
    curl_multi_setopt(session->multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, max);
    curl_multi_setopt(session->multi, CURLMOPT_MAXCONNECTS, max); /* the idle pool */
    if (o->max_connections_per_host > 0)
        curl_multi_setopt(session->multi, CURLMOPT_MAX_HOST_CONNECTIONS,
                          o->max_connections_per_host);
    session->connect_timeout_ms =
        to_ms(o->connect_timeout_s > 0 ? o->connect_timeout_s : DEFAULT_CONNECT_TIMEOUT_S);
    session->timeout_ms = to_ms(o->timeout_s > 0 ? o->timeout_s : DEFAULT_TIMEOUT_S);
    session->max_body = o->max_body_size ? o->max_body_size : DEFAULT_MAX_BODY;
}

aw_http_session *aw_http_session_new(const aw_http_session_options *options)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    aw_http_session_options none = {0};
    if (!aw__the_loop)
        return NULL;
    pthread_once(&once, global_init);
    if (global_init_status != CURLE_OK)
        return NULL;
    aw_http_session *session = calloc(1, sizeof *session);
    if (!session)
        return NULL;
    session->loop = aw__the_loop;
    session->multi = curl_multi_init();
    if (!session->multi || !copy_headers(session, options ? options->headers : NULL))
        goto err;
    configure(session, options ? options : &none);
    uv_timer_init(&session->loop->uv, &session->timer);
    return session;
err:
    curl_multi_cleanup(session->multi);
    curl_slist_free_all(session->headers);
    free(session);
    return NULL;
}

static void free_session(uv_handle_t *handle)
{
    free(aw__container_of((uv_timer_t *)handle, aw_http_session, timer));
}

/*
 * Closing the multi handle closes the pooled connections (through
 * closesocket_cb, which stops watching them).  Whatever is still watched
 * after that is closed too, and the session itself goes when its timer has
 * finished closing.
 */
static void session_destroy(aw_http_session *session)
{
    curl_multi_cleanup(session->multi);
    while (session->sockets)
        unwatch(session, session->sockets->fd);
    curl_slist_free_all(session->headers);
    uv_close((uv_handle_t *)&session->timer, free_session);
}

void aw_http_session_free(aw_http_session *session)
{
    if (!session || session->closing)
        return;
    if (session->loop != aw__the_loop) {
        fprintf(stderr, "awaitlab: aw_http_session_free() outside the aw_run() that "
                "made the session; it cannot be freed any more\n");
        return;
    }
    session->closing = true;
    if (session->stats.in_flight == 0)
        session_destroy(session);
}

void aw_http_session_stats_get(const aw_http_session *session, aw_http_session_stats *stats)
{
    if (session && stats)
        *stats = session->stats;
}
