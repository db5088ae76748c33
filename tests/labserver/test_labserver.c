/*
 * test_labserver.c -- the lab server, started for real on an ephemeral
 * port and talked to over loopback: every route, the stats, and the abuse
 * it must survive (garbage, clients hanging up, a thousand at once).
 *
 * Times are checked only against generous bounds -- enough to tell a
 * concurrent wait from a serialized one, never exact wall-clock values.
 */
#include <fcntl.h>
#include <inttypes.h>

#include "lab_client.h"

/* ----------------------------------------------------------------------- */
/* Starting                                                                */
/* ----------------------------------------------------------------------- */

static void test_url_names_the_bound_port(void **state)
{
    (void)state;
    char expected[64];
    assert_true(labserver_port(lab) > 0);
    snprintf(expected, sizeof expected, "http://127.0.0.1:%d", labserver_port(lab));
    assert_string_equal(labserver_url(lab), expected);
}

static void test_start_errors_say_why(void **state)
{
    (void)state;
    char err[160] = "";
    assert_null(labserver_start(NULL, labserver_port(lab), err, sizeof err));
    assert_non_null(strstr(err, "in use"));
    assert_null(labserver_start("999.1.2.3", 0, err, sizeof err));
    assert_non_null(strstr(err, "IPv4"));
    assert_null(labserver_start(NULL, 70000, err, sizeof err));
    assert_non_null(strstr(err, "65535"));
}

static int count_open_fds(void)
{
    int n = 0;
    for (int fd = 0; fd < 4096; fd++)
        if (fcntl(fd, F_GETFD) != -1)
            n++;
    return n;
}

static void test_start_and_stop_leave_nothing_behind(void **state)
{
    (void)state;
    int before = count_open_fds();
    for (int i = 0; i < 10; i++) {
        char err[160];
        labserver *s = labserver_start("localhost", 0, err, sizeof err);
        assert_non_null(s);
        http_reply reply = http_on(s, "GET", "/json/1");
        assert_int_equal(reply.status, 200);
        free(reply.body);
        labserver_stop(s);
    }
    assert_int_equal(count_open_fds(), before);
    labserver_stop(NULL);
}

/* ----------------------------------------------------------------------- */
/* The routes                                                              */
/* ----------------------------------------------------------------------- */

static void test_index_lists_the_routes(void **state)
{
    (void)state;
    json_t *body = get_json("/", 200);
    json_t *routes = json_object_get(body, "routes");
    assert_true(json_array_size(routes) >= 8);
    const char *usage = json_string_value(json_object_get(json_array_get(routes, 1), "usage"));
    assert_string_equal(usage, "/delay/<seconds>");
    json_decref(body);
}

static void test_delay_answers_after_the_delay(void **state)
{
    (void)state;
    double start = now_s();
    json_t *body = get_json("/delay/0.2", 200);
    double took = now_s() - start;
    assert_true(took >= 0.19);
    assert_true(took < 5);
    assert_true(json_real_value(json_object_get(body, "delay")) == 0.2);
    json_decref(body);

    body = get_json("/delay/0", 200);
    assert_true(json_real_value(json_object_get(body, "delay")) == 0);
    json_decref(body);
}

static void test_delay_rejects_bad_seconds(void **state)
{
    (void)state;
    const char *bad[] = {"/delay/abc", "/delay/-1", "/delay/1e2", "/delay/0x10", "/delay/nan",
                         "/delay/inf", "/delay/601", "/delay/1.2.3", "/delay/", "/delay",
                         "/delay/.", "/delay/1/2", "/delay/%20", "/delay/1234567890123456"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        expect_error(bad[i], 400, "/delay/<seconds>");
}

static void test_status_answers_with_that_status(void **state)
{
    (void)state;
    const long codes[] = {200, 201, 202, 301, 400, 401, 403, 404, 418, 429, 500, 502, 503, 599};
    for (size_t i = 0; i < sizeof codes / sizeof *codes; i++) {
        char path[32];
        snprintf(path, sizeof path, "/status/%ld", codes[i]);
        json_t *body = get_json(path, codes[i]);
        assert_int_equal(json_int_at(body, "status"), codes[i]);
        json_decref(body);
    }
    http_reply reply = http_get("/status/204");
    assert_int_equal(reply.status, 204);
    assert_int_equal(reply.len, 0);
    free(reply.body);
}

static void test_status_rejects_bad_codes(void **state)
{
    (void)state;
    const char *bad[] = {"/status/99", "/status/100", "/status/199", "/status/600",
                         "/status/abc", "/status/", "/status/-200", "/status/99999999999999999999"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        expect_error(bad[i], 400, "/status/<code>");
}

static void test_json_is_a_user_record(void **state)
{
    (void)state;
    json_t *body = get_json("/json/7", 200);
    assert_int_equal(json_object_size(body), 3);
    assert_int_equal(json_int_at(body, "id"), 7);
    assert_string_equal(json_string_value(json_object_get(body, "name")), "user 7");
    assert_string_equal(json_string_value(json_object_get(body, "email")), "user7@example.com");
    json_decref(body);
    expect_error("/json/seven", 400, "/json/<id>");
    expect_error("/json/1000000001", 400, "/json/<id>");
}

static void test_unknown_routes_are_404(void **state)
{
    (void)state;
    expect_error("/nope", 404, "no route /nope");
    expect_error("/pages/2", 404, "no route");
    expect_error("/delayed/1", 404, "no route");
    expect_error("/stats/nope", 404, "/stats/reset");
}

static void test_other_methods_are_405(void **state)
{
    (void)state;
    http_reply reply = http_on(lab, "POST", "/json/1");
    assert_int_equal(reply.status, 405);
    assert_non_null(strstr(reply.body, "POST is not allowed"));
    free(reply.body);
    reply = http_on(lab, "DELETE", "/stats");
    assert_int_equal(reply.status, 405);
    free(reply.body);
    reply = http_on(lab, "HEAD", "/bytes/100");
    assert_int_equal(reply.status, 200);
    assert_int_equal(reply.len, 0);
    free(reply.body);
}

/* ----------------------------------------------------------------------- */
/* /flaky                                                                  */
/* ----------------------------------------------------------------------- */

/* Fetches `n` /flaky answers for `seed` into `failed` (true for a 500). */
static void flaky_sequence(const char *query, int n, bool *failed)
{
    for (int i = 0; i < n; i++) {
        char path[96];
        snprintf(path, sizeof path, "/flaky?%s", query);
        http_reply reply = http_get(path);
        assert_true(reply.status == 200 || reply.status == 500);
        failed[i] = reply.status == 500;
        json_t *body = json_loads(reply.body, 0, NULL);
        assert_int_equal(json_int_at(body, "index"), i);
        json_decref(body);
        free(reply.body);
    }
}

static void test_flaky_is_reproducible_per_seed(void **state)
{
    (void)state;
    enum { N = 24 };
    bool first[N], again[N], other[N];
    flaky_sequence("fail=0.5&seed=42", N, first);
    labserver_reset_stats(lab);
    flaky_sequence("fail=0.5&seed=42", N, again);
    assert_memory_equal(first, again, sizeof first);
    int failures = 0;
    for (int i = 0; i < N; i++) {
        assert_int_equal(first[i], labserver_flaky_fails(42, (uint64_t)i, 0.5));
        failures += first[i];
    }
    assert_true(failures > 0 && failures < N);

    /* Another seed has its own count, so it leaves seed 42's alone. */
    flaky_sequence("seed=7&fail=0.5", N, other);
    http_reply reply = http_get("/flaky?fail=0.5&seed=42");
    assert_int_equal(reply.status == 500, labserver_flaky_fails(42, N, 0.5));
    free(reply.body);
}

static void test_flaky_extremes_and_bad_parameters(void **state)
{
    (void)state;
    bool never[10], always[10];
    flaky_sequence("fail=0&seed=1", 10, never);
    flaky_sequence("fail=1&seed=2", 10, always);
    for (int i = 0; i < 10; i++) {
        assert_false(never[i]);
        assert_true(always[i]);
    }
    json_t *body = get_json("/flaky?fail=1&seed=3", 500);
    assert_non_null(strstr(json_string_value(json_object_get(body, "error")), "on purpose"));
    json_decref(body);
    expect_error("/flaky?fail=2", 400, "probability");
    expect_error("/flaky?fail=-0.5", 400, "probability");
    expect_error("/flaky?fail=", 400, "probability");
    expect_error("/flaky?seed=x", 400, "seed");
    expect_error("/flaky?seed=9223372036854775808", 400, "seed");
}

/* ----------------------------------------------------------------------- */
/* /pages                                                                  */
/* ----------------------------------------------------------------------- */

static void test_pages_link_through_all_items(void **state)
{
    (void)state;
    char path[128] = "/pages?size=30";
    int expected_id = 0, pages = 0;
    for (;;) {
        json_t *body = get_json(path, 200);
        assert_int_equal(json_int_at(body, "total"), 100);
        assert_int_equal(json_int_at(body, "page"), pages);
        json_t *items = json_object_get(body, "items");
        for (size_t i = 0; i < json_array_size(items); i++)
            assert_int_equal(json_int_at(json_array_get(items, i), "id"), expected_id++);
        pages++;
        json_t *next = json_object_get(body, "next");
        if (json_is_null(next)) {
            json_decref(body);
            break;
        }
        snprintf(path, sizeof path, "%s", json_string_value(next));
        json_decref(body);
        assert_true(pages < 10);
    }
    assert_int_equal(pages, 4);
    assert_int_equal(expected_id, 100);
}

static void test_pages_defaults_and_the_end(void **state)
{
    (void)state;
    json_t *body = get_json("/pages", 200);
    assert_int_equal(json_int_at(body, "size"), 10);
    assert_int_equal(json_array_size(json_object_get(body, "items")), 10);
    assert_string_equal(json_string_value(json_object_get(body, "next")), "/pages?page=1&size=10");
    json_decref(body);

    body = get_json("/pages?page=50&size=10", 200);
    assert_int_equal(json_array_size(json_object_get(body, "items")), 0);
    assert_true(json_is_null(json_object_get(body, "next")));
    json_decref(body);
}

static void test_pages_reject_bad_parameters(void **state)
{
    (void)state;
    expect_error("/pages?page=-1", 400, "page=-1");
    expect_error("/pages?page=abc", 400, "page number");
    expect_error("/pages?size=0", 400, "page size");
    expect_error("/pages?size=101", 400, "page size");
    expect_error("/pages?size=1.5", 400, "page size");
    expect_error("/pages?page=99999999999999999999999", 400, "page number");
}

/* ----------------------------------------------------------------------- */
/* /bytes and /drip                                                        */
/* ----------------------------------------------------------------------- */

static void test_bytes_sends_n_bytes(void **state)
{
    (void)state;
    const uint64_t sizes[] = {0, 1, 26, 100, 65537, 3000000};
    for (size_t k = 0; k < sizeof sizes / sizeof *sizes; k++) {
        char path[48];
        snprintf(path, sizeof path, "/bytes/%" PRIu64, sizes[k]);
        http_reply reply = http_get(path);
        assert_int_equal(reply.status, 200);
        assert_int_equal(reply.len, sizes[k]);
        for (size_t i = 0; i < reply.len; i++)
            if (reply.body[i] != 'a' + (char)(i % 26))
                fail_msg("%s: byte %zu is '%c'", path, i, reply.body[i]);
        free(reply.body);
    }
    expect_error("/bytes/104857601", 400, "/bytes/<n>");
    expect_error("/bytes/lots", 400, "/bytes/<n>");
}

static void test_drip_spreads_bytes_over_the_duration(void **state)
{
    (void)state;
    http_reply reply = http_get("/drip?bytes=20&duration=0.5");
    assert_int_equal(reply.status, 200);
    assert_int_equal(reply.len, 20);
    for (size_t i = 0; i < reply.len; i++)
        assert_int_equal(reply.body[i], '*');
    /* Sent over about half a second, not all at once at the start or end. */
    assert_true(reply.seconds >= 0.45 && reply.seconds < 5);
    assert_true(reply.last_byte_s - reply.first_byte_s >= 0.3);
    free(reply.body);

    reply = http_get("/drip?bytes=1000&duration=0");
    assert_int_equal(reply.len, 1000);
    free(reply.body);
    reply = http_get("/drip?bytes=0&duration=0.1");
    assert_int_equal(reply.status, 200);
    assert_int_equal(reply.len, 0);
    free(reply.body);
    expect_error("/drip?bytes=x", 400, "bytes=x");
    expect_error("/drip?bytes=10485761", 400, "byte count");
    expect_error("/drip?duration=601", 400, "duration=601");
}

/* ----------------------------------------------------------------------- */
/* /stats                                                                  */
/* ----------------------------------------------------------------------- */

static void test_stats_count_requests_by_route(void **state)
{
    (void)state;
    for (int i = 0; i < 3; i++)
        json_decref(get_json("/json/1", 200));
    json_decref(get_json("/status/503", 503));
    json_decref(get_json("/nowhere", 404));
    json_decref(get_json("/delay/bad", 400));
    json_t *body = get_json("/stats", 200);
    json_decref(get_json("/stats", 200));   /* looking is not counted */
    assert_int_equal(json_int_at(body, "requests"), 6);
    assert_int_equal(json_int_at(body, "completed"), 6);
    assert_int_equal(json_int_at(body, "aborted"), 0);
    assert_int_equal(json_int_at(body, "open"), 0);
    assert_int_equal(json_int_at(body, "peak_open"), 1);
    json_t *routes = json_object_get(body, "routes");
    assert_int_equal(json_int_at(routes, "json"), 3);
    assert_int_equal(json_int_at(routes, "status"), 1);
    assert_int_equal(json_int_at(routes, "delay"), 1);
    assert_int_equal(json_int_at(routes, "not_found"), 1);
    assert_int_equal(json_int_at(routes, "bytes"), 0);
    assert_null(json_object_get(routes, "stats"));
    json_decref(body);

    labserver_stats s = stats_of(lab);
    assert_int_equal(s.requests, 6);
    assert_int_equal(s.by_route[LABSERVER_JSON], 3);
}

static void test_stats_reset_zeroes_the_counters(void **state)
{
    (void)state;
    json_decref(get_json("/json/1", 200));
    json_t *body = get_json("/stats/reset", 200);
    assert_int_equal(json_int_at(body, "requests"), 0);
    assert_int_equal(json_int_at(body, "peak_open"), 0);
    json_decref(body);
    http_reply reply = http_on(lab, "POST", "/stats/reset");
    assert_int_equal(reply.status, 200);
    free(reply.body);
    assert_int_equal(stats_of(lab).requests, 0);
}

/* A request open across a reset stays open, but is not counted when it ends. */
static void test_reset_keeps_open_requests_open(void **state)
{
    (void)state;
    int fd = raw_connect(lab);
    const char request[] = "GET /delay/0.3 HTTP/1.1\r\nHost: lab\r\n\r\n";
    raw_send(fd, request, sizeof request - 1);
    assert_true(wait_for_open(lab, 1, 5));
    labserver_reset_stats(lab);
    labserver_stats s = stats_of(lab);
    assert_int_equal(s.open, 1);
    assert_int_equal(s.peak_open, 1);
    assert_int_equal(s.requests, 0);
    char buf[1024];
    bool closed;
    raw_read_until(fd, buf, sizeof buf, "}\n", 5, &closed);
    assert_non_null(strstr(buf, "HTTP/1.1 200"));
    close(fd);
    assert_true(wait_for_open(lab, 0, 5));
    s = stats_of(lab);
    assert_int_equal(s.completed + s.aborted, 0);
}

static const char *delay_0_3(size_t i, long *expected_len)
{
    (void)i;
    *expected_len = -1;
    return "/delay/0.3";
}

static void test_concurrent_delays_overlap_and_peak(void **state)
{
    (void)state;
    batch_result r = run_batch(lab, 50, 50, delay_0_3, 20);
    assert_int_equal(r.ok, 50);
    /* Fifty 0.3 s waits: about 0.3 s together, 15 s if served one by one. */
    assert_true(r.seconds >= 0.29);
    assert_true(r.seconds < 5); /* loose, for busy machines; serial would be 15 s */
    json_t *body = get_json("/stats", 200);
    assert_int_equal(json_int_at(body, "peak_open"), 50);
    assert_int_equal(json_int_at(body, "open"), 0);
    assert_int_equal(json_int_at(json_object_get(body, "routes"), "delay"), 50);
    json_decref(body);
}

/* ----------------------------------------------------------------------- */
/* Surviving bad clients                                                   */
/* ----------------------------------------------------------------------- */

/* Sends `data` on a fresh connection and waits (boundedly) for the server's answer or hang-up. */
static void send_garbage(const void *data, size_t len)
{
    int fd = raw_connect(lab);
    raw_send(fd, data, len);
    shutdown(fd, SHUT_WR);
    char buf[4096];
    bool closed;
    raw_read_until(fd, buf, sizeof buf, NULL, 5, &closed);
    if (!closed)
        fail_msg("the server neither answered nor hung up on %.20s: %.40s", (const char *)data,
                 buf);
    /* If it answers at all, it answers with a 4xx or 5xx error. */
    if (buf[0] && strncmp(buf, "HTTP/1.1 4", 10) != 0 && strncmp(buf, "HTTP/1.1 5", 10) != 0)
        fail_msg("garbage got %.40s", buf);
    close(fd);
}

static void test_malformed_requests_do_not_stop_it(void **state)
{
    (void)state;
    static const char *const garbage[] = {
        "\x16\x03\x01\x02\x01\x01\x01\x01\xfc\x03\x03 a TLS hello\r\n\r\n",
        "\x16\x03\x01",   /* part of a line, then the client hangs up */
        "GET",
        "GET\r\n\r\n",
        "GET / HTTP/9.9\r\nHost: lab\r\n\r\n",
        "GET / HTTP/1.1\r\nno colon here\r\n\r\n",
        "POST /json/1 HTTP/1.1\r\nHost: lab\r\nContent-Length: abc\r\n\r\n",
        "GET /json/1 HTTP/1.1\r\nHo",
        "\r\n\r\n\r\n",
    };
    for (size_t i = 0; i < sizeof garbage / sizeof *garbage; i++)
        send_garbage(garbage[i], strlen(garbage[i]));

    /* Random bytes, and a request line far past MHD's memory limit. */
    char noise[8192];
    uint64_t x = 1;
    for (size_t i = 0; i < sizeof noise; i++) {
        x = x * 6364136223846793005u + 1442695040888963407u;
        noise[i] = (char)(x >> 56);
    }
    send_garbage(noise, sizeof noise);
    size_t huge = 200000;
    char *line = malloc(huge);
    memcpy(line, "GET /", 5);
    memset(line + 5, 'a', huge - 5);
    send_garbage(line, huge);
    free(line);

    /* And a connection that opens and closes without a word. */
    close(raw_connect(lab));

    json_t *body = get_json("/json/2", 200);
    assert_int_equal(json_int_at(body, "id"), 2);
    json_decref(body);
    assert_true(wait_for_open(lab, 0, 5));
}

/* Starts `request` on a raw socket and reads until some of the body is in. */
static int start_then_read_some(const char *request, size_t at_least)
{
    int fd = raw_connect(lab);
    raw_send(fd, request, strlen(request));
    char buf[65536];
    bool closed;
    size_t len = raw_read_until(fd, buf, sizeof buf, "\r\n\r\n", 5, &closed);
    assert_false(closed);
    const char *body = strstr(buf, "\r\n\r\n");
    assert_non_null(body);
    size_t have = len - (size_t)(body + 4 - buf);
    while (have < at_least && !closed)
        have += raw_read_until(fd, buf, sizeof buf, NULL, 0.5, &closed);
    assert_true(have >= at_least);
    return fd;
}

static void test_hanging_up_mid_drip_closes_the_request(void **state)
{
    (void)state;
    int fd = start_then_read_some("GET /drip?bytes=1000&duration=10 HTTP/1.1\r\n"
                                  "Host: lab\r\n\r\n", 3);
    assert_int_equal(stats_of(lab).open, 1);
    close(fd);
    /* The drip writes every 10 ms, so the server notices within a few writes. */
    assert_true(wait_for_open(lab, 0, 5));
    labserver_stats s = stats_of(lab);
    assert_int_equal(s.aborted, 1);
    assert_int_equal(s.completed, 0);
}

static void test_hanging_up_mid_bytes_closes_the_request(void **state)
{
    (void)state;
    int fd = start_then_read_some("GET /bytes/104857600 HTTP/1.1\r\nHost: lab\r\n\r\n", 100000);
    close(fd);
    assert_true(wait_for_open(lab, 0, 5));
    assert_int_equal(stats_of(lab).aborted, 1);
}

static void test_hanging_up_during_a_delay(void **state)
{
    (void)state;
    int fd = raw_connect(lab);
    const char request[] = "GET /delay/0.2 HTTP/1.1\r\nHost: lab\r\n\r\n";
    raw_send(fd, request, sizeof request - 1);
    assert_true(wait_for_open(lab, 1, 5));
    close(fd);
    /* A suspended request cannot notice; it finds out when the delay ends. */
    assert_true(wait_for_open(lab, 0, 5));
    json_decref(get_json("/json/3", 200));
}

/* Stopping with requests suspended must neither hang nor crash. */
static void test_stop_with_requests_waiting(void **state)
{
    (void)state;
    char err[160];
    labserver *s = labserver_start(NULL, 0, err, sizeof err);
    assert_non_null(s);
    const char *requests[] = {"GET /delay/30 HTTP/1.1\r\nHost: lab\r\n\r\n",
                              "GET /drip?bytes=10&duration=30 HTTP/1.1\r\nHost: lab\r\n\r\n"};
    int fds[2];
    for (int i = 0; i < 2; i++) {
        fds[i] = raw_connect(s);
        raw_send(fds[i], requests[i], strlen(requests[i]));
    }
    assert_true(wait_for_open(s, 2, 5));
    double start = now_s();
    labserver_stop(s);
    assert_true(now_s() - start < 5);
    char buf[1024];
    bool closed;
    raw_read_until(fds[0], buf, sizeof buf, NULL, 5, &closed);
    assert_true(closed);
    assert_non_null(strstr(buf, "HTTP/1.1 503"));
    assert_non_null(strstr(buf, "stopping"));
    raw_read_until(fds[1], buf, sizeof buf, NULL, 5, &closed);
    assert_true(closed);
    assert_non_null(strstr(buf, "HTTP/1.1 200"));   /* the headers, and then no body */
    for (int i = 0; i < 2; i++)
        close(fds[i]);
}

/* ----------------------------------------------------------------------- */
/* Load                                                                    */
/* ----------------------------------------------------------------------- */

enum { STRESS_TOTAL = 10000, STRESS_PARALLEL = 1000 };

/*
 * The first thousand requests wait a whole second, so all thousand are
 * certainly open at once; the other nine thousand are short, mixed waits
 * and bodies.
 */
static const char *stress_path(size_t i, long *expected_len)
{
    *expected_len = -1;
    if (i < STRESS_PARALLEL)
        return "/delay/1";
    if (i % 2) {
        *expected_len = 100;
        return "/bytes/100";
    }
    return "/delay/0.05";
}

static void test_ten_thousand_requests_a_thousand_at_once(void **state)
{
    (void)state;
    batch_result r = run_batch(lab, STRESS_TOTAL, STRESS_PARALLEL, stress_path, 60);
    if (r.ok != STRESS_TOTAL)
        fail_msg("%zu of %d succeeded, %zu failed, in %.1f s", r.ok, STRESS_TOTAL, r.failed,
                 r.seconds);
    /* One at a time, the first thousand alone would take 1000 s. */
    assert_true(r.seconds < 60);
    assert_true(wait_for_open(lab, 0, 10));
    labserver_stats s = stats_of(lab);
    assert_int_equal(s.requests, STRESS_TOTAL);
    assert_int_equal(s.completed, STRESS_TOTAL);
    assert_int_equal(s.peak_open, STRESS_PARALLEL);
    print_message("%d requests, %d at once, in %.2f s\n", STRESS_TOTAL, STRESS_PARALLEL,
                  r.seconds);
}

int main(void)
{
    raise_open_files_limit();
    curl_global_init(CURL_GLOBAL_ALL);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_url_names_the_bound_port),
        cmocka_unit_test(test_start_errors_say_why),
        cmocka_unit_test(test_start_and_stop_leave_nothing_behind),
        cmocka_unit_test(test_index_lists_the_routes),
        cmocka_unit_test(test_delay_answers_after_the_delay),
        cmocka_unit_test(test_delay_rejects_bad_seconds),
        cmocka_unit_test(test_status_answers_with_that_status),
        cmocka_unit_test(test_status_rejects_bad_codes),
        cmocka_unit_test(test_json_is_a_user_record),
        cmocka_unit_test(test_unknown_routes_are_404),
        cmocka_unit_test(test_other_methods_are_405),
        cmocka_unit_test_setup(test_flaky_is_reproducible_per_seed, reset_stats),
        cmocka_unit_test_setup(test_flaky_extremes_and_bad_parameters, reset_stats),
        cmocka_unit_test(test_pages_link_through_all_items),
        cmocka_unit_test(test_pages_defaults_and_the_end),
        cmocka_unit_test(test_pages_reject_bad_parameters),
        cmocka_unit_test(test_bytes_sends_n_bytes),
        cmocka_unit_test(test_drip_spreads_bytes_over_the_duration),
        cmocka_unit_test_setup(test_stats_count_requests_by_route, reset_stats),
        cmocka_unit_test_setup(test_stats_reset_zeroes_the_counters, reset_stats),
        cmocka_unit_test_setup(test_reset_keeps_open_requests_open, reset_stats),
        cmocka_unit_test_setup(test_concurrent_delays_overlap_and_peak, reset_stats),
        cmocka_unit_test_setup(test_malformed_requests_do_not_stop_it, reset_stats),
        cmocka_unit_test_setup(test_hanging_up_mid_drip_closes_the_request, reset_stats),
        cmocka_unit_test_setup(test_hanging_up_mid_bytes_closes_the_request, reset_stats),
        cmocka_unit_test_setup(test_hanging_up_during_a_delay, reset_stats),
        cmocka_unit_test(test_stop_with_requests_waiting),
        cmocka_unit_test_setup(test_ten_thousand_requests_a_thousand_at_once, reset_stats),
    };
    int failed = cmocka_run_group_tests(tests, start_lab, stop_lab);
    curl_global_cleanup();
    return failed;
}
