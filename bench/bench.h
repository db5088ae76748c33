/*
 * bench.h -- the few helpers every benchmark shares: a monotonic clock,
 * the process's peak resident set size, and reading the workload size from
 * the command line.  Each benchmark prints one line of key=value pairs,
 * which bench/compare.py reads.
 */
#ifndef AWAITLAB_BENCH_H
#define AWAITLAB_BENCH_H

#include "awaitlab.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>

/* Seconds on the monotonic clock, like Python's time.perf_counter(). */
static inline double bench_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* The most memory this process has had resident so far, in KiB. */
static inline long bench_peak_rss_kb(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss; /* Linux reports KiB */
}

/* argv[1] as a positive count, or `fallback` when there is none. */
static inline long bench_size_arg(int argc, char **argv, long fallback)
{
    if (argc < 2)
        return fallback;
    char *end;
    errno = 0;
    long n = strtol(argv[1], &end, 10);
    if (errno != 0 || *end != '\0' || n <= 0) {
        fprintf(stderr, "usage: %s [count]  (a positive integer)\n", argv[0]);
        exit(2);
    }
    return n;
}

/*
 * Every workload runs several rounds in one process, like Python's timeit:
 * the first ("cold") round pays for fresh memory (every new task stack is a
 * page the kernel must fault in and zero) and for the loop's set-up; later
 * ("warm") rounds reuse it.  Both the first and the best round are
 * reported, for both sides.  BENCH_ROUNDS in the environment changes the
 * count (bench/compare.py runs the longest workloads twice, not five times).
 */
#define BENCH_ROUNDS_DEFAULT 5
#define BENCH_ROUNDS_MAX 16

typedef struct bench_rounds {
    double seconds[BENCH_ROUNDS_MAX];
    int count;
} bench_rounds;

static inline int bench_round_count(void)
{
    const char *text = getenv("BENCH_ROUNDS");
    int count = text ? atoi(text) : BENCH_ROUNDS_DEFAULT;
    if (count < 1 || count > BENCH_ROUNDS_MAX) {
        fprintf(stderr, "BENCH_ROUNDS must be 1 to %d\n", BENCH_ROUNDS_MAX);
        exit(2);
    }
    return count;
}

/* Runs one_round(n) bench_round_count() times, timing each; stops at a failure. */
static inline int bench_time_rounds(int (*one_round)(long n), long n, bench_rounds *r)
{
    int wanted = bench_round_count();
    for (r->count = 0; r->count < wanted; r->count++) {
        double t0 = bench_now();
        int rc = one_round(n);
        if (rc != 0)
            return rc;
        r->seconds[r->count] = bench_now() - t0;
    }
    return 0;
}

/*
 * The same for workloads timed around the whole aw_run(): each round is a
 * fresh aw_run() in the same process, so only the first meets fresh memory.
 * Returns the first failing round's status, or AW_OK.
 */
static inline int bench_run_rounds(aw_fn main_fn, void *arg, intptr_t *result,
                                   bench_rounds *r)
{
    aw_config config = {.clock = AW_CLOCK_REAL};
    int wanted = bench_round_count();
    for (r->count = 0; r->count < wanted; r->count++) {
        double t0 = bench_now();
        int rc = aw_run(main_fn, arg, &config, result);
        if (rc != AW_OK)
            return rc;
        r->seconds[r->count] = bench_now() - t0;
    }
    return AW_OK;
}

static inline double bench_best(const bench_rounds *r)
{
    double best = r->seconds[0];
    for (int i = 1; i < r->count; i++)
        if (r->seconds[i] < best)
            best = r->seconds[i];
    return best;
}

/*
 * The body both task benchmarks share: spawns n tasks running worker(i),
 * each named "worker", gathers them, checks that task i returned i, and
 * releases every task so the next round reuses its memory.
 */
static inline int bench_spawn_gather_indices(aw_fn worker, long n)
{
    aw_task **tasks = calloc((size_t)n, sizeof *tasks);
    if (tasks == NULL)
        return aw_raise(AW_ENOMEM, "no room for %ld task handles", n);

    for (long i = 0; i < n; i++) {
        tasks[i] = aw_spawn(worker, (void *)(intptr_t)i, "worker");
        if (tasks[i] == NULL) {
            free(tasks);
            return aw_raise(AW_ENOMEM, "spawn %ld of %ld failed", i, n);
        }
    }

    int rc = aw_gather(tasks, (size_t)n, 0);
    /* Results stay in the tasks, in argument order. */
    for (long i = 0; i < n; i++) {
        if (rc == AW_OK && aw_task_value(tasks[i]) != i)
            rc = aw_raise(AW_EAPP, "worker %ld returned %ld", i, (long)aw_task_value(tasks[i]));
        aw_task_release(tasks[i]);
    }
    free(tasks);
    return rc;
}

#endif /* AWAITLAB_BENCH_H */
