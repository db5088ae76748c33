/*
 * yield_loop -- the cost of one trip through the scheduler.
 *
 * One task gives way a million times, the C twin of
 *
 *     async def main(n):
 *         for _ in range(n):
 *             await asyncio.sleep(0)
 *
 * With nothing else ready, each aw_yield() is a full round trip: the task
 * suspends, the loop finds it ready again, and switches back to its stack.
 *
 * usage: yield_loop [count]      (default 1000000)
 * prints: time_s=... n=... ns_per_yield=... clock=real
 */
#include "awaitlab.h"
#include "bench.h"

static int yield_many(void *arg, intptr_t *result)
{
    long n = *(const long *)arg;

    for (long i = 0; i < n; i++) {
        int rc = aw_yield();
        if (rc != AW_OK)
            return rc; /* cancelled: stop, as CancelledError would */
    }
    *result = n;
    return AW_OK;
}

int main(int argc, char **argv)
{
    long n = bench_size_arg(argc, argv, 1000000);
    intptr_t done = 0;
    bench_rounds rounds;

    int rc = bench_run_rounds(yield_many, &n, &done, &rounds);
    double elapsed = bench_best(&rounds);

    if (rc != AW_OK || done != n) {
        fprintf(stderr, "yield_loop: %s (%ld of %ld yields)\n",
                aw_strerror(rc), (long)done, n);
        return 1;
    }
    printf("time_s=%.6f first_s=%.6f n=%ld ns_per_yield=%.1f clock=real\n",
           elapsed, rounds.seconds[0], n, elapsed * 1e9 / (double)n);
    return 0;
}
