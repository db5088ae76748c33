/*
 * to_thread_roundtrip -- the cost of handing a call to a worker thread and
 * getting its result back.
 *
 * One task offloads a function that does nothing, n times in a row, the C
 * twin of
 *
 *     def noop(i):
 *         return i
 *
 *     async def main(n):
 *         for i in range(n):
 *             assert await asyncio.to_thread(noop, i) == i
 *
 * Each round trip is the whole path of aw_to_thread(): queue the job to
 * libuv's pool, park the task, a worker runs the function, libuv wakes the
 * loop, the loop resumes the task with the result.  The work itself is
 * nothing, so what is measured is the hand-off, there and back.
 *
 * For scale, the same n round trips are then made with libuv alone
 * (uv_queue_work() from its own callback, no tasks): most of the cost is
 * two threads waking each other, which no runtime on top can save.
 *
 * usage: to_thread_roundtrip [count]      (default 20000)
 * prints: time_s=... n=... us_per_roundtrip=... libuv_us_per_roundtrip=...
 *         threads=... clock=real
 */
#include "awaitlab.h"
#include "bench.h"

#include <uv.h>

static intptr_t noop(void *arg)
{
    return (intptr_t)arg;
}

static int round_trips(void *arg, intptr_t *result)
{
    long n = *(const long *)arg;
    for (long i = 0; i < n; i++) {
        intptr_t back;
        int rc = aw_to_thread(noop, (void *)(intptr_t)i, &back);
        if (rc != AW_OK)
            return rc;
        if (back != i)
            return aw_raise(AW_EAPP, "round trip %ld came back as %ld", i, (long)back);
    }
    *result = n;
    return AW_OK;
}

/* The floor: uv_queue_work() round trips on a bare libuv loop. */
static struct {
    long n, done;
    uv_work_t req;
} bare;

static void bare_work(uv_work_t *req)
{
    (void)req;
}

static void bare_done(uv_work_t *req, int status)
{
    (void)status;
    if (++bare.done < bare.n)
        uv_queue_work(req->loop, req, bare_work, bare_done);
}

static double bare_libuv_seconds(long n)
{
    uv_loop_t loop;
    uv_loop_init(&loop);
    bare.n = n;
    bare.done = 0;
    double t0 = bench_now();
    uv_queue_work(&loop, &bare.req, bare_work, bare_done);
    uv_run(&loop, UV_RUN_DEFAULT);
    double elapsed = bench_now() - t0;
    uv_loop_close(&loop);
    return elapsed;
}

int main(int argc, char **argv)
{
    long n = bench_size_arg(argc, argv, 20000);
    intptr_t done = 0;
    bench_rounds rounds;

    int rc = bench_run_rounds(round_trips, &n, &done, &rounds);
    double elapsed = bench_best(&rounds);

    if (rc != AW_OK || done != n) {
        fprintf(stderr, "to_thread_roundtrip: %s (%ld of %ld round trips)\n",
                aw_strerror(rc), (long)done, n);
        return 1;
    }
    double floor_s = bare_libuv_seconds(n); /* after the run: the pool has its size */
    printf("time_s=%.6f first_s=%.6f n=%ld us_per_roundtrip=%.2f libuv_us_per_roundtrip=%.2f "
           "threads=%u clock=real\n",
           elapsed, rounds.seconds[0], n, elapsed * 1e6 / (double)n, floor_s * 1e6 / (double)n,
           aw_thread_pool_size());
    return 0;
}
