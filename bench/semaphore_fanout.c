/*
 * semaphore_fanout -- many tasks through a small semaphore.
 *
 * Spawns n tasks that each take a permit of a Semaphore(100), give way once
 * while holding it, and give it back; gathers them and checks that never
 * more than 100 were inside at once.  The C twin of
 *
 *     async def worker(sem, i):
 *         async with sem:
 *             await asyncio.sleep(0)
 *         return i
 *
 *     sem = asyncio.Semaphore(100)
 *     tasks = [asyncio.create_task(worker(sem, i), name="worker") for i in range(n)]
 *     await asyncio.gather(*tasks)
 *
 * All but the first 100 tasks park on the semaphore at once; every release
 * hands a permit to the next in line.
 *
 * usage: semaphore_fanout [count]      (default 100000)
 * prints: time_s=... n=... limit=100 peak=... ns_per_task=... clock=real
 */
#include "awaitlab.h"
#include "bench.h"

enum { LIMIT = 100 };

static aw_semaphore sem;
static long inside, peak;

static int worker(void *arg, intptr_t *result)
{
    int rc = aw_sem_acquire(&sem);
    if (rc != AW_OK)
        return rc;
    if (++inside > peak)
        peak = inside;
    rc = aw_yield();
    inside--;
    aw_sem_release(&sem);
    if (rc != AW_OK)
        return rc;
    *result = (intptr_t)arg;
    return AW_OK;
}

static bench_rounds rounds;

static int one_round(long n)
{
    peak = 0;
    aw_sem_init(&sem, LIMIT, "limit");
    int rc = bench_spawn_gather_indices(worker, n);
    if (rc == AW_OK && peak != (n < LIMIT ? n : LIMIT))
        rc = aw_raise(AW_EAPP, "peak %ld tasks inside, expected %d", peak, LIMIT);
    return rc;
}

/* BENCH_ROUNDS rounds in one process: the best and the first are reported. */
static int fan_out(void *arg, intptr_t *result)
{
    long n = *(const long *)arg;
    int rc = bench_time_rounds(one_round, n, &rounds);
    if (rc != AW_OK)
        return rc;
    *result = peak;
    return AW_OK;
}

int main(int argc, char **argv)
{
    long n = bench_size_arg(argc, argv, 100000);
    aw_config config = { .clock = AW_CLOCK_REAL };
    intptr_t seen_peak = 0;

    int rc = aw_run(fan_out, &n, &config, &seen_peak);
    double elapsed = bench_best(&rounds);

    if (rc != AW_OK) {
        fprintf(stderr, "semaphore_fanout: %s\n", aw_strerror(rc));
        return 1;
    }
    printf("time_s=%.6f first_s=%.6f n=%ld limit=%d peak=%ld ns_per_task=%.1f clock=real\n",
           elapsed, rounds.seconds[0], n, LIMIT, (long)seen_peak, elapsed * 1e9 / (double)n);
    return 0;
}
