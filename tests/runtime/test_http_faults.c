/*
 * test_http_faults.c -- the HTTP client against a server that never
 * answers: a listening socket nobody accepts from, so the kernel completes
 * the connection and takes the request, and then nothing ever comes back.
 *
 * The request's deadline must fire as a named error (not hang, not a
 * generic I/O error); cancelling a request stuck there must end it at once
 * and free everything (valgrind and ASan run this file too).  The waits are
 * real I/O on the real clock: only the error codes are asserted, never how
 * long anything took.  (Refused connections, unresolvable hosts and bodies
 * over the cap are in test_http.c.)
 */
#include "runtime_test.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

static struct {
    int listener;
    char url[64];
} silent;

static struct {
    int status[2];
    aw_error error;
    aw_http_response response;
    aw_http_session_stats stats;
} seen;

/* A port on 127.0.0.1 that accepts connections into its backlog and never reads them. */
static int start_silent_server(void **state)
{
    (void)state;
    silent.listener = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof addr;
    if (silent.listener < 0 || bind(silent.listener, (struct sockaddr *)&addr, len) != 0 ||
        listen(silent.listener, 64) != 0 ||
        getsockname(silent.listener, (struct sockaddr *)&addr, &len) != 0)
        return -1;
    snprintf(silent.url, sizeof silent.url, "http://127.0.0.1:%d/never", ntohs(addr.sin_port));
    return 0;
}

static int stop_silent_server(void **state)
{
    (void)state;
    close(silent.listener);
    return 0;
}

static int forget(void **state)
{
    aw_http_response_free(&seen.response);
    memset(&seen, 0, sizeof seen);
    return clear_trace(state);
}

static int run_real(aw_fn main)
{
    aw_config config = {.clock = AW_CLOCK_REAL, .trace_capture = true};
    return aw_run(main, NULL, &config, NULL);
}

static int main_waits_for_an_answer_that_never_comes(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_http_session *session =
        aw_http_session_new(&(aw_http_session_options){.timeout_s = 0.2});
    seen.status[0] = aw_http_get(session, silent.url, &seen.response);
    if (aw_last_error())
        seen.error = *aw_last_error();
    aw_http_session_stats_get(session, &seen.stats);
    aw_http_session_free(session);
    return AW_OK;
}

static void test_a_server_that_never_answers_times_out_by_name(void **state)
{
    (void)state;
    assert_int_equal(run_real(main_waits_for_an_answer_that_never_comes), AW_OK);
    assert_int_equal(seen.status[0], AW_ETIMEDOUT);
    assert_non_null(strstr(seen.error.message, "/never"));
    assert_null(seen.response.body);
    assert_int_equal(seen.response.status, 0);
    assert_int_equal(seen.stats.in_flight, 0);
}

static int fetch_never(void *session, intptr_t *result)
{
    (void)result;
    return aw_http_get(session, silent.url, &seen.response);
}

static int main_cancels_a_request_nobody_answers(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_http_session *session = aw_http_session_new(NULL);   /* no deadline of its own */
    aw_task *task = aw_spawn(fetch_never, session, "fetch");
    aw_sleep(0.1); /* connected, request sent, waiting for the status line */
    aw_cancel(task);
    seen.status[0] = aw_await(task);
    aw_http_session_stats_get(session, &seen.stats);
    aw_http_session_free(session);
    return AW_OK;
}

static void test_cancelling_a_request_nobody_answers_frees_it_and_its_connection(void **state)
{
    (void)state;
    int fds_before = count_open_fds();
    assert_int_equal(run_real(main_cancels_a_request_nobody_answers), AW_OK);
    assert_int_equal(seen.status[0], AW_ECANCELLED);
    assert_null(seen.response.body);
    assert_int_equal(seen.stats.in_flight, 0);
    assert_int_equal(seen.stats.connections_open, 0);
    assert_int_equal(count_open_fds(), fds_before);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_a_server_that_never_answers_times_out_by_name, forget),
        cmocka_unit_test_teardown(
            test_cancelling_a_request_nobody_answers_frees_it_and_its_connection, forget),
    };
    return cmocka_run_group_tests(tests, start_silent_server, stop_silent_server);
}
