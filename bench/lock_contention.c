/*
 * lock_contention -- many tasks taking turns at one lock.
 *
 * `tasks` tasks (default 1000) each do `rounds` times (default 1000):
 * take the lock, give way once while holding it, release it.  Every task
 * but the holder is queued on the lock, so each release hands it to the
 * next in line -- a strict round robin.  The C twin of
 *
 *     async def contend(lock, rounds):
 *         for _ in range(rounds):
 *             async with lock:
 *                 await asyncio.sleep(0)
 *
 *     lock = asyncio.Lock()
 *     await asyncio.gather(*(contend(lock, rounds) for _ in range(tasks)))
 *
 * usage: lock_contention [rounds] [tasks]
 * prints: time_s=... n=<cycles> tasks=... rounds=... ns_per_cycle=... clock=real
 */
#include "awaitlab.h"
#include "bench.h"

static aw_lock lock;
static long rounds, inside, cycles;

static int contend(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    for (long i = 0; i < rounds; i++) {
        int rc = aw_lock_acquire(&lock);
        if (rc != AW_OK)
            return rc;
        if (++inside != 1)
            return aw_raise(AW_EAPP, "%ld tasks hold the lock", inside);
        rc = aw_yield();
        inside--;
        cycles++;
        aw_lock_release(&lock);
        if (rc != AW_OK)
            return rc;
    }
    return AW_OK;
}

static int run(void *arg, intptr_t *result)
{
    long n_tasks = *(const long *)arg;
    cycles = 0; /* counted afresh in every round */
    aw_lock_init(&lock, "lock");
    aw_task **tasks = calloc((size_t)n_tasks, sizeof *tasks);
    if (tasks == NULL)
        return aw_raise(AW_ENOMEM, "no room for %ld task handles", n_tasks);
    int rc = AW_OK;
    for (long i = 0; i < n_tasks && rc == AW_OK; i++)
        if ((tasks[i] = aw_spawn(contend, NULL, "t-%ld", i)) == NULL)
            rc = aw_raise(AW_ENOMEM, "spawn %ld of %ld failed", i, n_tasks);
    if (rc == AW_OK)
        rc = aw_gather(tasks, (size_t)n_tasks, 0);
    free(tasks);
    if (rc != AW_OK)
        return rc;
    *result = cycles;
    return AW_OK;
}

int main(int argc, char **argv)
{
    rounds = bench_size_arg(argc, argv, 1000);
    char *tasks_argv[] = {argv[0], argc > 2 ? argv[2] : NULL};
    long n_tasks = bench_size_arg(argc > 2 ? 2 : 1, tasks_argv, 1000);
    intptr_t done = 0;
    bench_rounds best_of;

    int rc = bench_run_rounds(run, &n_tasks, &done, &best_of);
    double elapsed = bench_best(&best_of);

    if (rc != AW_OK || done != rounds * n_tasks) {
        fprintf(stderr, "lock_contention: %s (%ld of %ld cycles)\n", aw_strerror(rc),
                (long)done, rounds * n_tasks);
        return 1;
    }
    printf("time_s=%.6f first_s=%.6f n=%ld tasks=%ld rounds=%ld ns_per_cycle=%.1f "
           "clock=real\n", elapsed, best_of.seconds[0], (long)done, n_tasks, rounds, elapsed * 1e9 / (double)done);
    return 0;
}
