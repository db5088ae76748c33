/*
 * http_fanout -- many small GETs through one session, 100 in flight.
 *
 * n GETs of BASE_URL/bytes/1024 (a lab server's route) through one
 * aw_http_session, kept at 100 in flight by 100 worker tasks that each take
 * the next request number until none is left.  The C twin of
 *
 *     async def worker(session, url, todo):
 *         while todo:
 *             todo.pop()
 *             async with session.get(url) as r:
 *                 assert r.status == 200 and len(await r.read()) == 1024
 *
 *     async with aiohttp.ClientSession() as session:
 *         await asyncio.gather(*(worker(session, url, todo) for _ in range(100)))
 *
 * and of what bench/http_fanout_curl.py makes the curl command line do
 * (curl --parallel --parallel-max 100 over the same URLs).  Every response
 * is checked: status 200 and 1024 bytes.  `connections` says how many the
 * session opened: 100, each reused for about n / 100 requests.
 *
 * usage: http_fanout [count] BASE_URL     (default 10000)
 * prints: time_s=... n=... in_flight=100 requests_per_s=... connections=...
 *         clock=real
 */
#include "awaitlab.h"
#include "bench.h"

#include <string.h>

enum { IN_FLIGHT = 100, BODY = 1024 };

static struct {
    aw_http_session *session;
    char url[256];
    long left;            /* requests not yet started */
} bench;

static int worker(void *arg, intptr_t *result)
{
    (void)arg;
    long done = 0;
    while (bench.left > 0) {
        bench.left--;
        aw_http_response response;
        int rc = aw_http_get(bench.session, bench.url, &response);
        if (rc != AW_OK)
            return rc; /* its message is the task's error */
        bool good = response.status == 200 && response.body_size == BODY;
        aw_http_response_free(&response);
        if (!good)
            return aw_raise(AW_EAPP, "GET %s: not 200 with %d bytes", bench.url, BODY);
        done++;
    }
    *result = done;
    return AW_OK;
}

static int fan_out(void *arg, intptr_t *result)
{
    bench.left = *(const long *)arg; /* every round makes all n requests */
    bench.session = aw_http_session_new(&(aw_http_session_options){.max_connections = IN_FLIGHT});
    if (!bench.session)
        return aw_raise(AW_ENOMEM, "no session");
    aw_task *workers[IN_FLIGHT];
    for (int i = 0; i < IN_FLIGHT; i++)
        workers[i] = aw_spawn(worker, NULL, "worker-%d", i);
    int rc = aw_gather(workers, IN_FLIGHT, 0);
    if (rc != AW_OK && aw_last_error())
        fprintf(stderr, "http_fanout: %s\n", aw_last_error()->message);
    aw_http_session_stats stats;
    aw_http_session_stats_get(bench.session, &stats);
    aw_http_session_free(bench.session);
    *result = (intptr_t)stats.connections_opened;
    return rc;
}

int main(int argc, char **argv)
{
    if (argc != 3 || strncmp(argv[2], "http://", 7) != 0) {
        fprintf(stderr, "usage: %s count BASE_URL   (a lab server: awaitlab serve)\n",
                argv[0]);
        return 2;
    }
    long n = bench_size_arg(argc, argv, 10000);
    snprintf(bench.url, sizeof bench.url, "%s/bytes/%d", argv[2], BODY);
    intptr_t connections = 0;
    bench_rounds rounds;

    int rc = bench_run_rounds(fan_out, &n, &connections, &rounds);
    double elapsed = bench_best(&rounds);

    if (rc != AW_OK) {
        fprintf(stderr, "http_fanout: %s\n", aw_strerror(rc));
        return 1;
    }
    printf("time_s=%.6f first_s=%.6f n=%ld in_flight=%d requests_per_s=%.0f connections=%ld "
           "clock=real\n",
           elapsed, rounds.seconds[0], n, IN_FLIGHT, (double)n / elapsed, (long)connections);
    return 0;
}
