/*
 * test_load.c -- the lab server under load and under clients that behave
 * badly on purpose: memory that stays flat over thousands of requests, and
 * slow or silent connections that must not keep anyone else waiting.
 *
 * No assertion is about how long anything took: a client's patience is a
 * deadline that fails the test when the server does not answer at all.
 */
#include <malloc.h>
#include <pthread.h>
#include <stdatomic.h>

#include "lab_client.h"

/*
 * This process's resident set, in KiB, as the kernel counts it -- once the
 * allocator has handed its free pages back, so that the high-water mark of
 * a busy moment does not count as growth.
 */
static long resident_kib(void)
{
    malloc_trim(0);
    FILE *f = fopen("/proc/self/status", "r");
    assert_non_null(f);
    char line[256];
    long kib = -1;
    while (fgets(line, sizeof line, f))
        if (sscanf(line, "VmRSS: %ld kB", &kib) == 1)
            break;
    fclose(f);
    assert_true(kib > 0);
    return kib;
}

/* Bytes the C library has handed out and not had back, in every arena, in KiB. */
static long in_use_kib(void)
{
    struct mallinfo2 m = mallinfo2();
    return (long)((m.uordblks + m.hblkhd) / 1024);
}

/* ----------------------------------------------------------------------- */
/* Memory over many requests                                               */
/* ----------------------------------------------------------------------- */

enum { HALF = 5000, AT_ONCE = 1000 };

/*
 * In each half the first thousand requests wait half a second, so all
 * thousand connections are certainly open at once; the rest are short
 * mixed waits, records and bodies.
 */
static const char *load_path(size_t i, long *expected_len)
{
    *expected_len = -1;
    if (i < AT_ONCE)
        return "/delay/0.5";
    switch (i % 3) {
    case 0:
        *expected_len = 1000;
        return "/bytes/1000";
    case 1:
        return "/json/42";
    default:
        return "/delay/0.01";
    }
}

/* Polls until the server has closed every connection; false after `timeout_s`. */
static bool wait_for_no_connections(double timeout_s)
{
    double deadline = now_s() + timeout_s;
    while (stats_of(lab).connections != 0) {
        if (now_s() > deadline)
            return false;
        sleep_s(0.01);
    }
    return true;
}

static void run_half(const char *which)
{
    labserver_reset_stats(lab);
    batch_result r = run_batch(lab, HALF, AT_ONCE, load_path, 60);
    if (r.ok != HALF)
        fail_msg("%s half: %zu of %d succeeded, %zu failed", which, r.ok, HALF, r.failed);
    assert_true(wait_for_open(lab, 0, 10));
    /* Measured only once the server has let go of every connection's memory. */
    assert_true(wait_for_no_connections(10));
    labserver_stats s = stats_of(lab);
    assert_int_equal(s.completed, HALF);
    assert_int_equal(s.aborted, 0);
    assert_int_equal(s.peak_open, AT_ONCE);
}

/*
 * The first half brings every pool, arena and cache to its working size;
 * the second must then not grow the process.  Both are measured once the
 * server has closed every connection.  Two measures: the resident set
 * (about 12 MiB, growing by some 400 KiB), with a generous bound; and the
 * bytes allocated and not freed (growing by some 100 KiB) -- a leak of 200
 * bytes per request, 1 MiB over the half, fails that one.
 */
#define RESIDENT_GROWTH_KIB (4 * 1024)

/*
 * Under a sanitizer the allocator is the sanitizer's: it holds freed memory
 * in quarantine (the resident set grows by design) and the C library's
 * counts stay at zero.  There LeakSanitizer checks for leaks instead.
 */
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define OWN_ALLOCATOR 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define OWN_ALLOCATOR 1
#endif
#endif
#define IN_USE_GROWTH_KIB 1024

static void test_memory_stays_flat_over_ten_thousand_requests(void **state)
{
    (void)state;
#ifdef OWN_ALLOCATOR
    skip();
#endif
    run_half("first");
    long resident_before = resident_kib(), in_use_before = in_use_kib();
    run_half("second");
    long resident_after = resident_kib(), in_use_after = in_use_kib();
    print_message("after 5,000 and 10,000 requests: resident %ld and %ld KiB, "
                  "allocated %ld and %ld KiB\n", resident_before, resident_after,
                  in_use_before, in_use_after);
    if (resident_after - resident_before > RESIDENT_GROWTH_KIB)
        fail_msg("the second 5,000 requests grew the resident set by %ld KiB (bound %d)",
                 resident_after - resident_before, RESIDENT_GROWTH_KIB);
    if (in_use_after - in_use_before > IN_USE_GROWTH_KIB)
        fail_msg("the second 5,000 requests left %ld KiB more allocated (bound %d)",
                 in_use_after - in_use_before, IN_USE_GROWTH_KIB);
}

/* ----------------------------------------------------------------------- */
/* Slow and silent clients                                                 */
/* ----------------------------------------------------------------------- */

enum { SLOW = 300, SILENT = 300, HALF_SENT = 300, POLITE = 500 };

static const char SLOW_REQUEST[] = "GET /json/5 HTTP/1.1\r\nHost: lab\r\nX-Slow: ";
enum { SLOW_LENGTH = sizeof SLOW_REQUEST - 1 };

typedef struct dribble {
    int fds[SLOW];
    atomic_bool stop;
    size_t sent;          /* bytes sent on each connection so far */
} dribble;

/* A byte on every slow connection, then a pause -- a slowloris, sped up. */
static void *dribble_bytes(void *arg)
{
    dribble *d = arg;
    while (!atomic_load(&d->stop)) {
        char byte = d->sent < SLOW_LENGTH ? SLOW_REQUEST[d->sent] : 'x';
        for (int i = 0; i < SLOW; i++)
            send(d->fds[i], &byte, 1, MSG_NOSIGNAL);
        d->sent++;
        sleep_s(0.05);
    }
    return NULL;
}

static const char *polite_path(size_t i, long *expected_len)
{
    *expected_len = i % 2 ? 100 : -1;
    return i % 2 ? "/bytes/100" : "/json/9";
}

/*
 * Three hundred clients sending a header a byte at a time, three hundred
 * that connect and say nothing, and three hundred that send half a request
 * and go quiet: with all of them connected, five hundred ordinary requests
 * are still served, every one.  The slow ones never become requests at all
 * (MHD counts a request only when its headers are in).
 */
static void test_slow_and_silent_clients_do_not_starve_the_others(void **state)
{
    (void)state;
    dribble d = {.sent = 0};
    atomic_init(&d.stop, false);
    int silent[SILENT], half_sent[HALF_SENT];
    for (int i = 0; i < SLOW; i++)
        d.fds[i] = raw_connect(lab);
    for (int i = 0; i < SILENT; i++)
        silent[i] = raw_connect(lab);
    static const char half[] = "GET /json/1 HTTP/1.1\r\nHo";
    for (int i = 0; i < HALF_SENT; i++) {
        half_sent[i] = raw_connect(lab);
        raw_send(half_sent[i], half, sizeof half - 1);
    }
    pthread_t dribbler;
    assert_int_equal(pthread_create(&dribbler, NULL, dribble_bytes, &d), 0);

    batch_result r = run_batch(lab, POLITE, 50, polite_path, 30);
    atomic_store(&d.stop, true);
    pthread_join(dribbler, NULL);
    if (r.ok != POLITE)
        fail_msg("with %d slow clients connected, %zu of %d requests succeeded", SLOW + SILENT +
                 HALF_SENT, r.ok, POLITE);
    labserver_stats s = stats_of(lab);
    assert_int_equal(s.requests, POLITE);
    assert_int_equal(s.completed, POLITE);

    /* A slow client still has its connection, and gets its answer when it finishes. */
    if (d.sent < SLOW_LENGTH)
        raw_send(d.fds[0], SLOW_REQUEST + d.sent, SLOW_LENGTH - d.sent);
    static const char rest[] = "x\r\n\r\n";
    raw_send(d.fds[0], rest, sizeof rest - 1);
    char buf[1024];
    bool closed;
    raw_read_until(d.fds[0], buf, sizeof buf, "\r\n\r\n", 10, &closed);
    if (!strstr(buf, "HTTP/1.1 200"))
        fail_msg("the slow client, once done, got %.60s", buf);
    for (int i = 0; i < SLOW; i++)
        close(d.fds[i]);
    for (int i = 0; i < SILENT; i++)
        close(silent[i]);
    for (int i = 0; i < HALF_SENT; i++)
        close(half_sent[i]);
    assert_true(wait_for_open(lab, 0, 5));
}

/*
 * Malformed requests that do reach a route get a 400 naming the problem,
 * and the connection goes on serving (keep-alive is not lost to an error).
 */
static void test_malformed_paths_and_queries_are_400s_on_a_kept_connection(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "/delay/-1",        "/delay/1e3",          "/delay/0x10",      "/status/99",
        "/status/600",      "/json/%00",           "/json/99999999999", "/bytes/1.5",
        "/pages?page=-1",   "/pages?size=0",       "/pages?size=101",  "/flaky?fail=2",
        "/flaky?seed=1e3",  "/drip?bytes=x",       "/drip?duration=601",
        "/delay/" "1234567890123456789012345678901234567890",
    };
    int fd = raw_connect(lab);
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        char request[256];
        int n = snprintf(request, sizeof request, "GET %s HTTP/1.1\r\nHost: lab\r\n\r\n",
                         bad[i]);
        raw_send(fd, request, (size_t)n);
        char buf[4096];
        bool closed;
        raw_read_until(fd, buf, sizeof buf, "}", 5, &closed);
        if (!strstr(buf, "HTTP/1.1 400"))
            fail_msg("GET %s: %.60s", bad[i], buf);
        assert_false(closed);
    }
    close(fd);
}

int main(void)
{
    raise_open_files_limit();
    curl_global_init(CURL_GLOBAL_ALL);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_memory_stays_flat_over_ten_thousand_requests, reset_stats),
        cmocka_unit_test_setup(test_slow_and_silent_clients_do_not_starve_the_others,
                               reset_stats),
        cmocka_unit_test_setup(test_malformed_paths_and_queries_are_400s_on_a_kept_connection,
                               reset_stats),
    };
    int failed = cmocka_run_group_tests(tests, start_lab, stop_lab);
    curl_global_cleanup();
    return failed;
}
