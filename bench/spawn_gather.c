/*
 * spawn_gather -- the cost of a task's whole life.
 *
 * Spawns n tasks that each give way once and return their index, gathers
 * them, and checks every result, the C twin of
 *
 *     async def worker(i):
 *         await asyncio.sleep(0)
 *         return i
 *
 *     tasks = [asyncio.create_task(worker(i), name="worker") for i in range(n)]
 *     await asyncio.gather(*tasks)
 *
 * Each task is created, gets a stack, runs, suspends, resumes and finishes.
 * BENCH_ROUNDS rounds run in one process; time_s is the best round, first_s
 * the first one (with fresh memory).
 *
 * usage: spawn_gather [count]      (default 100000)
 * prints: time_s=... first_s=... n=... ns_per_task=... clock=real
 */
#include "awaitlab.h"
#include "bench.h"

static int worker(void *arg, intptr_t *result)
{
    int rc = aw_yield();
    if (rc != AW_OK)
        return rc;
    *result = (intptr_t)arg; /* the index, passed in the pointer itself */
    return AW_OK;
}

static bench_rounds rounds;

static int one_round(long n)
{
    return bench_spawn_gather_indices(worker, n);
}

static int spawn_and_gather(void *arg, intptr_t *result)
{
    long n = *(const long *)arg;
    int rc = bench_time_rounds(one_round, n, &rounds);
    if (rc != AW_OK)
        return rc;
    *result = n;
    return AW_OK;
}

int main(int argc, char **argv)
{
    long n = bench_size_arg(argc, argv, 100000);
    aw_config config = { .clock = AW_CLOCK_REAL };
    intptr_t gathered = 0;

    int rc = aw_run(spawn_and_gather, &n, &config, &gathered);
    double elapsed = bench_best(&rounds);

    if (rc != AW_OK) {
        fprintf(stderr, "spawn_gather: %s\n", aw_strerror(rc));
        return 1;
    }
    printf("time_s=%.6f first_s=%.6f n=%ld ns_per_task=%.1f clock=real\n",
           elapsed, rounds.seconds[0], (long)gathered, elapsed * 1e9 / (double)n);
    return 0;
}
