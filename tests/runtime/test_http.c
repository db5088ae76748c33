/*
 * test_http.c -- the HTTP client against a real server: the lab server,
 * started in this process on 127.0.0.1, plus a few raw sockets for what a
 * well-behaved server never does (reset a connection mid-body, refuse it).
 *
 * What is checked: responses and their errors as values, timeouts and
 * cancellation mid-transfer, the connection limits as the server saw them,
 * pooling, the trace, and that ten thousand requests leave no descriptor
 * and no memory behind.  Every network address is 127.0.0.1.
 */
#include "runtime_test.h"

#include "labserver.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sys/socket.h>
#include <valgrind/valgrind.h>

static labserver *server;
static char base[64];

static struct {
    int status[32];
    long http_status[32];
    aw_http_response response[4];
    aw_error error[4];
    double elapsed;
    aw_http_session_stats stats;
    const char *header;
    int count;
} seen;

static void reset(void)
{
    for (int i = 0; i < 4; i++)
        aw_http_response_free(&seen.response[i]);
    memset(&seen, 0, sizeof seen);
}

static int start_server(void **state)
{
    (void)state;
    char err[128];
    server = labserver_start("127.0.0.1", 0, err, sizeof err);
    if (!server) {
        fprintf(stderr, "cannot start the lab server: %s\n", err);
        return -1;
    }
    snprintf(base, sizeof base, "%s", labserver_url(server));
    return 0;
}

static int stop_server(void **state)
{
    (void)state;
    labserver_stop(server);
    return 0;
}

static int teardown(void **state)
{
    reset();
    return clear_trace(state);
}

static int run_real_with(aw_fn main, void *arg)
{
    aw_config config = {.clock = AW_CLOCK_REAL, .trace_capture = true};
    return aw_run(main, arg, &config, NULL);
}

static int run_real(aw_fn main)
{
    return run_real_with(main, NULL);
}

/*
 * Waits (up to 5 s) until the server holds no request open: requests a
 * client gave up on stay open on the server until it notices, and would
 * count in the next test's peak.
 */
static void wait_until_server_idle(void)
{
    labserver_stats stats;
    for (int i = 0; i < 250; i++) {
        labserver_get_stats(server, &stats);
        if (stats.open == 0)
            return;
        usleep(20000);
    }
}

/*
 * The number of descriptors open once it stops changing (up to 2 s): the
 * server, in this process too, closes its ends of connections a client has
 * closed a moment later, on its own thread.
 */
static int settled_fd_count(void)
{
    int before = count_open_fds();
    for (int i = 0; i < 100; i++) {
        usleep(20000);
        int now = count_open_fds();
        if (now == before)
            return now;
        before = now;
    }
    return before;
}

/* Waits (up to 2 s) until this process has at most `n` descriptors open. */
static int wait_for_fd_count(int n)
{
    int now = count_open_fds();
    for (int i = 0; i < 100 && now > n; i++) {
        usleep(20000);
        now = count_open_fds();
    }
    return now;
}

/* base + path, in a buffer that lives until the next call with the same slot. */
static const char *url(int slot, const char *path)
{
    static char urls[8][160];
    snprintf(urls[slot], sizeof urls[slot], "%s%s", base, path);
    return urls[slot];
}

/* Records the status of request i, and its error if it failed. */
static int note(int i, int status)
{
    seen.status[i] = status;
    if (status != AW_OK && i < 4 && aw_last_error())
        seen.error[i] = *aw_last_error();
    return status;
}

/* ----------------------------------------------------------------------- */
/* A raw server: one connection, one misbehaviour                            */
/* ----------------------------------------------------------------------- */

typedef enum raw_mode {
    RAW_RESET_MID_BODY,  /* promise 100000 bytes, send 1000, reset the connection */
    RAW_CLOSE_MID_BODY,  /* the same, but close politely                        */
    RAW_NO_LENGTH,       /* a body without Content-Length, ended by closing     */
    RAW_ECHO             /* answer with the request's own body and type          */
} raw_mode;

typedef struct raw_server {
    int listener;
    int port;
    raw_mode mode;
    pthread_t thread;
    char request[16384];
    size_t request_size;
} raw_server;

static raw_server raw;

/* Reads the request head, and a body of Content-Length bytes if there is one. */
static void raw_read_request(int fd)
{
    raw.request_size = 0;
    for (;;) {
        ssize_t n = recv(fd, raw.request + raw.request_size,
                         sizeof raw.request - 1 - raw.request_size, 0);
        if (n <= 0)
            return;
        raw.request_size += (size_t)n;
        raw.request[raw.request_size] = '\0';
        char *end = strstr(raw.request, "\r\n\r\n");
        if (!end)
            continue;
        char *length = strcasestr(raw.request, "\r\nContent-Length:");
        size_t want = length ? strtoul(length + 17, NULL, 10) : 0;
        if (raw.request_size >= (size_t)(end + 4 - raw.request) + want)
            return;
    }
}

static void send_all(int fd, const char *data, size_t n)
{
    while (n > 0) {
        ssize_t sent = send(fd, data, n, MSG_NOSIGNAL);
        if (sent <= 0)
            return;
        data += sent;
        n -= (size_t)sent;
    }
}

static void raw_answer_echo(int fd)
{
    const char *body = strstr(raw.request, "\r\n\r\n") + 4;
    size_t size = raw.request_size - (size_t)(body - raw.request);
    char type[128] = "none";
    const char *t = strcasestr(raw.request, "\r\nContent-Type: ");
    if (t)
        sscanf(t + 16, "%127[^\r]", type);
    char head[256];
    int n = snprintf(head, sizeof head,
                     "HTTP/1.1 201 Created\r\nContent-Length: %zu\r\nX-Echo-Type: %s\r\n"
                     "Connection: close\r\n\r\n", size, type);
    send_all(fd, head, (size_t)n);
    send_all(fd, body, size);
}

static void *raw_serve(void *arg)
{
    (void)arg;
    int fd = accept(raw.listener, NULL, NULL);
    if (fd < 0)
        return NULL;
    raw_read_request(fd);
    static char stars[5000];
    memset(stars, '*', sizeof stars);
    if (raw.mode == RAW_ECHO) {
        raw_answer_echo(fd);
    } else if (raw.mode == RAW_NO_LENGTH) {
        const char *head = "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n";
        send_all(fd, head, strlen(head));
        send_all(fd, stars, sizeof stars);
    } else {
        const char *head = "HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n";
        send_all(fd, head, strlen(head));
        send_all(fd, stars, 1000);
        if (raw.mode == RAW_RESET_MID_BODY) {
            struct linger reset_on_close = {.l_onoff = 1, .l_linger = 0};
            setsockopt(fd, SOL_SOCKET, SO_LINGER, &reset_on_close, sizeof reset_on_close);
        }
    }
    close(fd);
    return NULL;
}

/* A socket bound to a free port of 127.0.0.1; listening if `listen_too`. */
static int bind_loopback(int *port, bool listen_too)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof addr;
    if (fd < 0 || bind(fd, (struct sockaddr *)&addr, sizeof addr) != 0 ||
        (listen_too && listen(fd, 4) != 0) ||
        getsockname(fd, (struct sockaddr *)&addr, &len) != 0)
        return -1;
    *port = ntohs(addr.sin_port);
    return fd;
}

static void raw_start(raw_mode mode)
{
    raw.mode = mode;
    raw.listener = bind_loopback(&raw.port, true);
    assert_true(raw.listener >= 0);
    assert_int_equal(pthread_create(&raw.thread, NULL, raw_serve, NULL), 0);
}

static void raw_stop(void)
{
    pthread_join(raw.thread, NULL);
    close(raw.listener);
}

/* ----------------------------------------------------------------------- */
/* Responses                                                                 */
/* ----------------------------------------------------------------------- */

static int main_gets_a_record_and_some_statuses(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_http_session *session = aw_http_session_new(NULL);
    note(0, aw_http_get(session, url(0, "/json/7"), &seen.response[0]));
    seen.status[10] = aw_http_raise_for_status(&seen.response[0]);
    note(1, aw_http_get(session, url(1, "/status/404"), &seen.response[1]));
    note(11, aw_http_raise_for_status(&seen.response[1]));
    if (aw_last_error())
        seen.error[3] = *aw_last_error();
    note(2, aw_http_get(session, url(2, "/status/503"), &seen.response[2]));
    aw_http_session_free(session);
    return AW_OK;
}

static void test_a_response_has_status_headers_and_body_and_4xx_5xx_are_answers(void **state)
{
    (void)state;
    assert_int_equal(run_real(main_gets_a_record_and_some_statuses), AW_OK);
    aw_http_response *ok = &seen.response[0];
    assert_int_equal(seen.status[0], AW_OK);
    assert_int_equal(ok->status, 200);
    assert_string_equal(ok->reason, "OK");
    assert_non_null(strstr(ok->body, "\"id\""));
    assert_int_equal(strlen(ok->body), ok->body_size);
    assert_non_null(aw_http_header(ok, "content-type")); /* any case */
    assert_non_null(strstr(aw_http_header(ok, "Content-Type"), "json"));
    assert_null(aw_http_header(ok, "X-Not-There"));
    assert_string_equal(ok->url, url(0, "/json/7"));
    assert_int_equal(seen.status[10], AW_OK);

    /* A 404 is an answer (AW_OK) until the program says otherwise. */
    assert_int_equal(seen.status[1], AW_OK);
    assert_int_equal(seen.response[1].status, 404);
    assert_int_equal(seen.status[11], AW_EHTTP);
    assert_non_null(strstr(seen.error[3].message, "404 Not Found: http://127.0.0.1:"));
    assert_int_equal(seen.status[2], AW_OK);
    assert_int_equal(seen.response[2].status, 503);
}

static int main_posts_to_the_echo(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    char target[64];
    snprintf(target, sizeof target, "http://127.0.0.1:%d/echo", raw.port);
    aw_http_session *session = aw_http_session_new(NULL);
    const char *json = "{\"name\": \"ada\"}";
    note(0, aw_http_post(session, target, json, strlen(json), "application/json",
                         &seen.response[0]));
    aw_http_session_free(session);
    return AW_OK;
}

static void test_post_sends_the_body_with_its_content_type(void **state)
{
    (void)state;
    raw_start(RAW_ECHO);
    assert_int_equal(run_real(main_posts_to_the_echo), AW_OK);
    raw_stop();
    assert_int_equal(seen.status[0], AW_OK);
    assert_int_equal(seen.response[0].status, 201);
    assert_string_equal(seen.response[0].body, "{\"name\": \"ada\"}");
    assert_string_equal(aw_http_header(&seen.response[0], "X-Echo-Type"), "application/json");
    assert_non_null(strstr(raw.request, "POST /echo HTTP/1.1\r\n"));
}

/*
 * /flaky fails each request with probability p, reproducibly: the server
 * publishes the rule, so the test knows in advance which ones fail.
 */
static int main_asks_a_flaky_server(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_http_session *session = aw_http_session_new(NULL);
    for (int i = 0; i < 20; i++) {
        aw_http_response response;
        note(i, aw_http_get(session, url(0, "/flaky?fail=0.5&seed=42"), &response));
        seen.http_status[i] = response.status;
        aw_http_response_free(&response);
    }
    aw_http_session_free(session);
    return AW_OK;
}

static void test_a_flaky_server_fails_exactly_the_requests_it_announced(void **state)
{
    (void)state;
    labserver_reset_stats(server);
    assert_int_equal(run_real(main_asks_a_flaky_server), AW_OK);
    int failures = 0;
    for (int i = 0; i < 20; i++) {
        assert_int_equal(seen.status[i], AW_OK);
        long expected = labserver_flaky_fails(42, (uint64_t)i, 0.5) ? 500 : 200;
        assert_int_equal(seen.http_status[i], expected);
        failures += expected == 500;
    }
    assert_true(failures > 0 && failures < 20);
}

/* ----------------------------------------------------------------------- */
/* Failures as values                                                        */
/* ----------------------------------------------------------------------- */

static int main_meets_every_failure(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    char target[96];
    aw_http_response response;
    aw_http_session *session = aw_http_session_new(&(aw_http_session_options){
        .max_body_size = 1000});

    /* Bad URLs never reach the network. */
    note(0, aw_http_get(session, "htp://127.0.0.1/x", &response));
    note(20, aw_http_get(session, "http://", &response));
    note(21, aw_http_get(session, "not a url at all", &response));

    /* A port that is bound but not listening: refused, at once. */
    int port;
    int bound = bind_loopback(&port, false);
    snprintf(target, sizeof target, "http://127.0.0.1:%d/", port);
    note(1, aw_http_get(session, target, &response));
    close(bound);

    /*
     * A name that cannot exist: a 70-character label is longer than DNS
     * allows, so the resolver fails without sending a query anywhere.
     */
    note(2, aw_http_get(session, "http://aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
                                 "aaaaaaaaaaaaaaaaaaaa.invalid/", &response));

    /* Bodies over the cap, announced (Content-Length) or not. */
    note(3, aw_http_get(session, url(0, "/bytes/5000"), &response));
    seen.response[0] = response; /* zeroed: nothing to free */
    aw_http_session_free(session);
    return AW_OK;
}

static void test_each_failure_is_an_error_value_with_the_cause_in_its_message(void **state)
{
    (void)state;
    assert_int_equal(run_real(main_meets_every_failure), AW_OK);
    assert_int_equal(seen.status[0], AW_EINVAL);
    assert_non_null(strstr(seen.error[0].message, "bad URL"));
    assert_int_equal(seen.status[20], AW_EINVAL);
    assert_int_equal(seen.status[21], AW_EINVAL);

    assert_int_equal(seen.status[1], AW_ECONNECT);
    assert_non_null(strstr(seen.error[1].message, "127.0.0.1"));
    assert_non_null(strstr(seen.error[1].message, "Connection refused"));

    assert_int_equal(seen.status[2], AW_ECONNECT);
    assert_non_null(strstr(seen.error[2].message, "resolve"));

    assert_int_equal(seen.status[3], AW_ETOOBIG);
    assert_non_null(strstr(seen.error[3].message, "1000-byte cap"));
    assert_null(seen.response[0].body);
    assert_int_equal(seen.response[0].status, 0);
}

/* GET /data from the raw server; arg is the session's body cap (0: default). */
static int main_gets_from_the_raw_server(void *arg, intptr_t *result)
{
    (void)result;
    char target[64];
    snprintf(target, sizeof target, "http://127.0.0.1:%d/data", raw.port);
    aw_http_session *session = aw_http_session_new(&(aw_http_session_options){
        .max_body_size = (size_t)(intptr_t)arg});
    note(0, aw_http_get(session, target, &seen.response[0]));
    aw_http_session_free(session);
    return AW_OK;
}

/*
 * The message names the cause, every time.  Whether the reset reaches the
 * client with the last data or on its own, and so through a read or through
 * a poll error, is up to the timing of the two threads; hence the repeats.
 */
static void test_a_connection_reset_mid_body_is_a_disconnect(void **state)
{
    (void)state;
    for (int run = 0; run < 20; run++) {
        raw_start(RAW_RESET_MID_BODY);
        assert_int_equal(run_real_with(main_gets_from_the_raw_server, NULL), AW_OK);
        raw_stop();
        assert_int_equal(seen.status[0], AW_EDISCONNECTED);
        assert_non_null(strstr(seen.error[0].message, "/data"));
        if (!strstr(seen.error[0].message, "Connection reset by peer"))
            fail_msg("run %d: the message does not name the reset: %s", run,
                     seen.error[0].message);
        reset();
    }
}

static void test_a_connection_closed_mid_body_is_a_disconnect(void **state)
{
    (void)state;
    raw_start(RAW_CLOSE_MID_BODY);
    assert_int_equal(run_real_with(main_gets_from_the_raw_server, NULL), AW_OK);
    raw_stop();
    assert_int_equal(seen.status[0], AW_EDISCONNECTED);
}

static void test_a_body_of_unannounced_length_is_capped_too(void **state)
{
    (void)state;
    raw_start(RAW_NO_LENGTH);
    assert_int_equal(run_real_with(main_gets_from_the_raw_server, (void *)1000), AW_OK);
    raw_stop();
    assert_int_equal(seen.status[0], AW_ETOOBIG);
}

/*
 * Churn: every connection is closed after one response, and every other
 * request is refused, so socket numbers are closed and handed out again all
 * the time while other transfers are in flight -- the case where a socket
 * closed before libcurl says CURL_POLL_REMOVE would leave libuv watching the
 * wrong socket.  Each request must still end the way it should.
 */
enum { CHURNERS = 8, CHURN_EACH = 24 };

static int refused_port;

static int churner(void *arg, intptr_t *result)
{
    (void)result;
    char refused[64], fine[96];
    snprintf(refused, sizeof refused, "http://127.0.0.1:%d/", refused_port);
    snprintf(fine, sizeof fine, "%s/json/1", base);
    const char *const close_it[] = {"Connection: close", NULL};
    for (int i = 0; i < CHURN_EACH; i++) {
        aw_http_request request = {.url = i % 2 ? refused : fine, .headers = close_it};
        aw_http_response response;
        int status = aw_http_request_send(arg, &request, &response);
        if (i % 2 ? status == AW_ECONNECT : status == AW_OK && response.status == 200)
            seen.count++;
        aw_http_response_free(&response);
    }
    return AW_OK;
}

static int main_churns_sockets(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_http_session *session = aw_http_session_new(NULL);
    aw_task *tasks[CHURNERS];
    for (int i = 0; i < CHURNERS; i++)
        tasks[i] = aw_spawn(churner, session, "churner-%d", i);
    aw_gather(tasks, CHURNERS, 0);
    aw_http_session_stats_get(session, &seen.stats);
    aw_http_session_free(session);
    return AW_OK;
}

static void test_sockets_closed_and_reused_under_the_same_number_never_confuse_the_loop(
    void **state)
{
    (void)state;
    int bound = bind_loopback(&refused_port, false);
    assert_true(bound >= 0);
    assert_int_equal(run_real(main_churns_sockets), AW_OK);
    close(bound);
    assert_int_equal(seen.count, CHURNERS * CHURN_EACH);
    assert_int_equal(seen.stats.connections_open, 0);
    assert_int_equal(seen.stats.connections_opened, CHURNERS * CHURN_EACH);
}

/* ----------------------------------------------------------------------- */
/* Timeouts and cancellation                                                 */
/* ----------------------------------------------------------------------- */

static int main_times_out_three_ways(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_http_session *session = aw_http_session_new(NULL);
    aw_http_response response;

    /* The request's own timeout (libcurl's). */
    double start = aw_now();
    aw_http_request slow = {.url = url(0, "/delay/1"), .timeout_s = 0.2};
    note(0, aw_http_request_send(session, &slow, &response));
    seen.elapsed = aw_now() - start;

    /* A timeout scope around the call (the runtime's). */
    aw_timeout scope;
    aw_timeout_begin(&scope, 0.2);
    int status = aw_http_get(session, url(1, "/delay/1"), &response);
    note(1, aw_timeout_end(&scope, status));

    /* The session's default. */
    aw_http_session *impatient = aw_http_session_new(&(aw_http_session_options){
        .timeout_s = 0.2});
    note(2, aw_http_get(impatient, url(2, "/delay/1"), &response));
    aw_http_session_free(impatient);

    /* The session still works after all that. */
    note(3, aw_http_get(session, url(3, "/json/1"), &seen.response[3]));
    seen.elapsed = aw_now() - start;
    aw_http_session_stats_get(session, &seen.stats);
    aw_http_session_free(session);
    return AW_OK;
}

static void test_a_request_times_out_by_its_own_the_sessions_or_a_scopes_deadline(void **state)
{
    (void)state;
    assert_int_equal(run_real(main_times_out_three_ways), AW_OK);
    assert_int_equal(seen.status[0], AW_ETIMEDOUT);
    assert_non_null(strstr(seen.error[0].message, "/delay/1"));
    assert_int_equal(seen.status[1], AW_ETIMEDOUT);
    assert_int_equal(seen.status[2], AW_ETIMEDOUT);
    assert_int_equal(seen.status[3], AW_OK);
    assert_int_equal(seen.response[3].status, 200);
    /* Three 0.2 s timeouts, not three 1 s delays: the statuses say so; a
     * real-clock upper bound would only measure how busy the machine is. */
    assert_true(seen.elapsed >= 0.59);
    assert_int_equal(seen.stats.in_flight, 0);
}

static int fetch_drip(void *arg, intptr_t *result)
{
    (void)result;
    return note(0, aw_http_get(arg, url(0, "/drip?bytes=100&duration=5"), &seen.response[0]));
}

static int main_cancels_mid_transfer(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_http_session *session = aw_http_session_new(NULL);
    aw_task *task = aw_spawn(fetch_drip, session, "fetch");
    aw_sleep(0.3); /* headers and a few bytes have arrived */
    double cancelled_at = aw_now();
    aw_cancel(task);
    seen.status[1] = aw_await(task);
    seen.elapsed = aw_now() - cancelled_at;
    aw_http_session_stats_get(session, &seen.stats);
    note(2, aw_http_get(session, url(1, "/json/2"), &seen.response[1]));
    aw_http_session_free(session);
    return AW_OK;
}

static void test_cancelling_mid_transfer_returns_cancelled_at_once_and_drops_the_connection(
    void **state)
{
    (void)state;
    labserver_reset_stats(server);
    assert_int_equal(run_real(main_cancels_mid_transfer), AW_OK);
    assert_int_equal(seen.status[0], AW_ECANCELLED);
    assert_int_equal(seen.status[1], AW_ECANCELLED);
    assert_null(seen.response[0].body);
    /* At once, not after the 5 s drip: the drip would have ended AW_OK. */
    assert_int_equal(seen.stats.in_flight, 0);
    assert_int_equal(seen.stats.connections_open, 0); /* a half-read connection is closed */
    assert_int_equal(seen.status[2], AW_OK);          /* and the session goes on */
    assert_int_equal(seen.response[1].status, 200);

    /* The server saw the client hang up (it notices within a drip tick). */
    labserver_stats stats;
    for (int i = 0; i < 100; i++) {
        labserver_get_stats(server, &stats);
        if (stats.aborted == 1)
            break;
        usleep(20000);
    }
    assert_int_equal(stats.aborted, 1);
}

/* ----------------------------------------------------------------------- */
/* Limits and pooling, as the server saw them                                */
/* ----------------------------------------------------------------------- */

typedef struct fan_out {
    aw_http_session *session;
    aw_semaphore *limit; /* NULL: only the session's limits */
    int index;
} fan_out;

static int fetch_one_delay(void *arg, intptr_t *result)
{
    (void)result;
    fan_out *job = arg;
    if (job->limit && aw_sem_acquire(job->limit) != AW_OK)
        return AW_ECANCELLED;
    aw_http_response response;
    int status = aw_http_get(job->session, url(0, "/delay/0.2"), &response);
    if (job->limit)
        aw_sem_release(job->limit);
    seen.status[job->index] = status;
    aw_http_response_free(&response);
    return status;
}

/* 20 requests to /delay/0.2 at once, within the limits given. */
static int fan_out_20(const aw_http_session_options *options, long semaphore)
{
    aw_http_session *session = aw_http_session_new(options);
    aw_semaphore sem;
    aw_sem_init(&sem, semaphore, "limit");
    fan_out jobs[20];
    aw_task *tasks[20];
    double start = aw_now();
    for (int i = 0; i < 20; i++) {
        jobs[i] = (fan_out){session, semaphore ? &sem : NULL, i};
        tasks[i] = aw_spawn(fetch_one_delay, &jobs[i], "get-%d", i);
    }
    int status = aw_gather(tasks, 20, 0);
    seen.elapsed = aw_now() - start;
    aw_http_session_stats_get(session, &seen.stats);
    aw_http_session_free(session);
    return status;
}

static int main_limits_total(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    return fan_out_20(&(aw_http_session_options){.max_connections = 4}, 0);
}

static int main_limits_per_host(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    return fan_out_20(&(aw_http_session_options){.max_connections_per_host = 5}, 0);
}

static int main_limits_by_semaphore(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    return fan_out_20(NULL, 10);
}

/* Runs one fan-out and returns the server's peak of open requests. */
static uint64_t server_peak_for(aw_fn main)
{
    wait_until_server_idle();
    labserver_reset_stats(server);
    reset();
    assert_int_equal(run_real(main), AW_OK);
    /* The server counts a request completed just after its last byte left. */
    labserver_stats stats;
    for (int i = 0; i < 100; i++) {
        labserver_get_stats(server, &stats);
        if (stats.completed == 20)
            break;
        usleep(20000);
    }
    assert_int_equal(stats.completed, 20);
    return stats.peak_open;
}

static void test_the_server_never_sees_more_requests_at_once_than_the_limit(void **state)
{
    (void)state;
    /* 4 connections: 5 waves of 0.2 s. */
    assert_int_equal(server_peak_for(main_limits_total), 4);
    assert_true(seen.elapsed >= 0.99);
    assert_int_equal(seen.stats.connections_opened, 4); /* each reused 5 times */

    assert_int_equal(server_peak_for(main_limits_per_host), 5);
    assert_true(seen.elapsed >= 0.79);

    assert_int_equal(server_peak_for(main_limits_by_semaphore), 10);
    assert_true(seen.elapsed >= 0.39);
}

/*
 * Many requests, one after another and many at once, through one session:
 * connections are reused, and when the session is gone nothing remains --
 * no descriptor, no watched socket, no memory (valgrind and ASan check the
 * last).  Under valgrind, which runs everything some thirty times slower,
 * the count is a tenth.
 */
enum { WORKERS = 50 };

static int requests_per_worker(void)
{
    return RUNNING_ON_VALGRIND ? 20 : 200;
}

static int worker(void *arg, intptr_t *result)
{
    aw_http_session *session = arg;
    for (int i = 0; i < requests_per_worker(); i++) {
        aw_http_response response;
        int status = aw_http_get(session, url(0, "/json/3"), &response);
        if (status == AW_OK && response.status == 200)
            (*result)++;
        aw_http_response_free(&response);
    }
    return AW_OK;
}

static int main_sends_ten_thousand(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_http_session *session = aw_http_session_new(&(aw_http_session_options){
        .max_connections = 20});
    aw_task *tasks[WORKERS];
    double start = aw_now();
    for (int i = 0; i < WORKERS; i++)
        tasks[i] = aw_spawn(worker, session, "worker-%d", i);
    aw_gather(tasks, WORKERS, 0);
    seen.elapsed = aw_now() - start;
    for (int i = 0; i < WORKERS; i++)
        seen.count += (int)aw_task_value(tasks[i]);
    aw_http_session_stats_get(session, &seen.stats);
    aw_http_session_free(session);
    return AW_OK;
}

static void test_ten_thousand_requests_reuse_connections_and_leave_nothing_behind(void **state)
{
    (void)state;
    wait_until_server_idle();
    int fds_before = settled_fd_count();
    aw_config config = {.clock = AW_CLOCK_REAL}; /* no trace: 10,000 requests of events */
    assert_int_equal(aw_run(main_sends_ten_thousand, NULL, &config, NULL), AW_OK);
    int fds_after = wait_for_fd_count(fds_before);
    int total = WORKERS * requests_per_worker();
    assert_int_equal(seen.count, total);
    assert_int_equal(seen.stats.requests, (unsigned long)total);
    assert_true(seen.stats.connections_opened <= 20);
    assert_int_equal(seen.stats.in_flight, 0);
    assert_true(fds_after <= fds_before);
    print_message("  %d requests in %.2f s (%.0f/s) over %lu connections\n", total,
                  seen.elapsed, total / seen.elapsed, seen.stats.connections_opened);
}

/* ----------------------------------------------------------------------- */
/* The session's life                                                        */
/* ----------------------------------------------------------------------- */

static int fetch_with(void *arg, intptr_t *result)
{
    (void)result;
    return note(0, aw_http_get(arg, url(0, "/delay/0.2"), &seen.response[0]));
}

static int main_frees_a_busy_session(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_http_session *session = aw_http_session_new(NULL);
    aw_task *task = aw_spawn(fetch_with, session, "fetch");
    aw_sleep(0.05);
    aw_http_session_free(session); /* the running request keeps it alive */
    aw_http_response response;
    note(1, aw_http_get(session, url(1, "/json/1"), &response));
    return aw_await(task);
}

static void test_a_session_freed_while_busy_lives_until_its_last_request_ends(void **state)
{
    (void)state;
    assert_int_equal(run_real(main_frees_a_busy_session), AW_OK);
    assert_int_equal(seen.status[0], AW_OK);
    assert_int_equal(seen.response[0].status, 200);
    assert_int_equal(seen.status[1], AW_ESTATE);
}

/* ----------------------------------------------------------------------- */
/* The trace, and the virtual clock                                          */
/* ----------------------------------------------------------------------- */

static int main_downloads_200k(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_http_session *session = aw_http_session_new(NULL);
    note(0, aw_http_get(session, url(0, "/bytes/200000"), &seen.response[0]));
    seen.elapsed = aw_now();
    aw_http_session_free(session);
    return AW_OK;
}

static void test_the_trace_shows_the_wait_and_the_download_progress(void **state)
{
    (void)state;
    aw_config config = {.clock = AW_CLOCK_VIRTUAL, .trace_capture = true};
    assert_int_equal(aw_run(main_downloads_200k, NULL, &config, NULL), AW_OK);
    assert_int_equal(seen.status[0], AW_OK);
    assert_int_equal(seen.response[0].body_size, 200000);
    assert_true(seen.elapsed == 0.0); /* the virtual clock stood still meanwhile */

    const aw_trace_event *wait = nth_event("main", AW_EV_WAIT, 0);
    assert_string_equal(wait->text, "http");
    assert_string_equal(wait->name, url(0, "/bytes/200000"));

    size_t count;
    const aw_trace_event *events = aw_trace_events(&count);
    int progress = 0;
    const aw_trace_event *first = NULL, *last = NULL;
    for (size_t i = 0; i < count; i++) {
        if (events[i].kind != AW_EV_RESOURCE || strcmp(events[i].text, "http") != 0)
            continue;
        assert_string_equal(events[i].name, url(0, "/bytes/200000"));
        assert_int_equal(events[i].other, 1); /* main's transfer */
        if (!first)
            first = &events[i];
        last = &events[i];
        progress++;
    }
    assert_non_null(first);
    assert_int_equal(first->value, 0);        /* start: nothing yet     */
    assert_int_equal(last->value, 200000);    /* end: every byte        */
    assert_int_equal(last->code, 200000);     /* of the announced length */
    assert_true(progress >= 3 && progress <= 2 + 200000 / (64 * 1024));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_a_response_has_status_headers_and_body_and_4xx_5xx_are_answers, teardown),
        cmocka_unit_test_teardown(test_post_sends_the_body_with_its_content_type, teardown),
        cmocka_unit_test_teardown(test_a_flaky_server_fails_exactly_the_requests_it_announced, teardown),
        cmocka_unit_test_teardown(test_each_failure_is_an_error_value_with_the_cause_in_its_message, teardown),
        cmocka_unit_test_teardown(test_a_connection_reset_mid_body_is_a_disconnect, teardown),
        cmocka_unit_test_teardown(test_a_connection_closed_mid_body_is_a_disconnect, teardown),
        cmocka_unit_test_teardown(test_a_body_of_unannounced_length_is_capped_too, teardown),
        cmocka_unit_test_teardown(test_sockets_closed_and_reused_under_the_same_number_never_confuse_the_loop, teardown),
        cmocka_unit_test_teardown(test_a_request_times_out_by_its_own_the_sessions_or_a_scopes_deadline, teardown),
        cmocka_unit_test_teardown(test_cancelling_mid_transfer_returns_cancelled_at_once_and_drops_the_connection, teardown),
        cmocka_unit_test_teardown(test_the_server_never_sees_more_requests_at_once_than_the_limit, teardown),
        cmocka_unit_test_teardown(test_ten_thousand_requests_reuse_connections_and_leave_nothing_behind, teardown),
        cmocka_unit_test_teardown(test_a_session_freed_while_busy_lives_until_its_last_request_ends, teardown),
        cmocka_unit_test_teardown(test_the_trace_shows_the_wait_and_the_download_progress, teardown),
    };
    return cmocka_run_group_tests(tests, start_server, stop_server);
}
