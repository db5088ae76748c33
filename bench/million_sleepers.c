/*
 * million_sleepers -- what a waiting task costs.
 *
 * Spawns n tasks (a million by default) that each sleep one real second,
 * and gathers them, the C twin of
 *
 *     async def sleeper():
 *         await asyncio.sleep(1)
 *
 *     tasks = [asyncio.create_task(sleeper()) for _ in range(n)]
 *     await asyncio.gather(*tasks)
 *
 * All n tasks are suspended at once, each with its own stack, so the peak
 * resident memory divided by n is the price of one suspended task.
 *
 * Each round is a fresh aw_run(); time_s is the best round, first_s the
 * first, whose stacks are all fresh memory.  Compare both with the floor
 * bench/page_floor measures: the same number of fresh pages, touched one per
 * stack slot.
 *
 * usage: million_sleepers [count]      (default 1000000)
 * prints: time_s=... first_s=... n=... rss_base_kb=... rss_peak_kb=...
 *         bytes_per_task=... clock=real
 */
#include "awaitlab.h"
#include "bench.h"

#define SLEEP_S 1.0

static int sleeper(void *arg, intptr_t *result)
{
    (void)arg;
    int rc = aw_sleep(SLEEP_S);
    if (rc != AW_OK)
        return rc;
    *result = 1;
    return AW_OK;
}

static int sleep_all(void *arg, intptr_t *result)
{
    long n = *(const long *)arg;
    aw_task **tasks = calloc((size_t)n, sizeof *tasks);
    if (tasks == NULL)
        return aw_raise(AW_ENOMEM, "no room for %ld task handles", n);

    for (long i = 0; i < n; i++) {
        tasks[i] = aw_spawn(sleeper, NULL, "sleeper-%ld", i);
        if (tasks[i] == NULL) {
            free(tasks);
            return aw_raise(AW_ENOMEM, "spawn %ld of %ld failed", i, n);
        }
    }

    int rc = aw_gather(tasks, (size_t)n, 0);
    long woke = 0;
    for (long i = 0; rc == AW_OK && i < n; i++)
        woke += (long)aw_task_value(tasks[i]);
    free(tasks);
    if (rc != AW_OK)
        return rc;
    *result = woke;
    return AW_OK;
}

int main(int argc, char **argv)
{
    long n = bench_size_arg(argc, argv, 1000000);
    intptr_t woke = 0;
    bench_rounds rounds;

    long base_kb = bench_peak_rss_kb();
    int rc = bench_run_rounds(sleep_all, &n, &woke, &rounds);
    double elapsed = bench_best(&rounds);
    long peak_kb = bench_peak_rss_kb();

    if (rc != AW_OK || woke != n) {
        fprintf(stderr, "million_sleepers: %s (%ld of %ld woke)\n",
                aw_strerror(rc), (long)woke, n);
        return 1;
    }
    printf("time_s=%.6f first_s=%.6f n=%ld rss_base_kb=%ld rss_peak_kb=%ld "
           "bytes_per_task=%.0f clock=real\n",
           elapsed, rounds.seconds[0], n, base_kb, peak_kb,
           (double)(peak_kb - base_kb) * 1024.0 / (double)n);
    return 0;
}
