/*
 * sleep_overshoot -- how late a timer fires.
 *
 * Gathers ten tasks that each sleep half a real second, and measures how
 * much longer than 0.5 s the gather took.  That "overshoot" is the timer's
 * lateness: rounding of the deadline, the loop's wake-up, and the switches
 * back into the tasks.  The round is repeated and the median reported.
 * The C twin of
 *
 *     t0 = time.perf_counter()
 *     await asyncio.gather(*(asyncio.sleep(0.5) for _ in range(10)))
 *     overshoot = time.perf_counter() - t0 - 0.5
 *
 * usage: sleep_overshoot [rounds]      (default 15)
 * prints: time_s=... rounds=... overshoot_ms_median=... overshoot_ms_min=...
 *         overshoot_ms_max=... clock=real
 */
#include "awaitlab.h"
#include "bench.h"

#define SLEEP_S 0.5
#define SLEEPERS 10

static int sleeper(void *arg, intptr_t *result)
{
    (void)arg;
    int rc = aw_sleep(SLEEP_S);
    if (rc != AW_OK)
        return rc;
    *result = 0;
    return AW_OK;
}

/* One round: ten sleepers, gathered; returns the overshoot in seconds. */
static int one_round(long round, double *overshoot)
{
    aw_task *tasks[SLEEPERS];

    double t0 = bench_now();
    for (int i = 0; i < SLEEPERS; i++) {
        tasks[i] = aw_spawn(sleeper, NULL, "sleeper-%ld-%d", round, i);
        if (tasks[i] == NULL)
            return aw_raise(AW_ENOMEM, "spawn failed");
    }
    int rc = aw_gather(tasks, SLEEPERS, 0);
    *overshoot = bench_now() - t0 - SLEEP_S;
    for (int i = 0; i < SLEEPERS; i++)
        aw_task_release(tasks[i]); /* done with them; free as we go */
    return rc;
}

typedef struct rounds {
    long n;
    double *overshoot; /* n results, seconds */
} rounds;

static int run_rounds(void *arg, intptr_t *result)
{
    rounds *r = arg;
    for (long i = 0; i < r->n; i++) {
        int rc = one_round(i, &r->overshoot[i]);
        if (rc != AW_OK)
            return rc;
    }
    *result = r->n;
    return AW_OK;
}

static int compare_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
    long n = bench_size_arg(argc, argv, 15);
    rounds r = { .n = n, .overshoot = calloc((size_t)n, sizeof(double)) };
    if (r.overshoot == NULL)
        return 1;
    aw_config config = { .clock = AW_CLOCK_REAL };

    double t0 = bench_now();
    int rc = aw_run(run_rounds, &r, &config, NULL);
    double elapsed = bench_now() - t0;

    if (rc != AW_OK) {
        fprintf(stderr, "sleep_overshoot: %s\n", aw_strerror(rc));
        free(r.overshoot);
        return 1;
    }
    double first = r.overshoot[0]; /* the cold round, before sorting */
    qsort(r.overshoot, (size_t)n, sizeof(double), compare_double);
    double median = n % 2 ? r.overshoot[n / 2]
                          : (r.overshoot[n / 2 - 1] + r.overshoot[n / 2]) / 2;
    printf("time_s=%.6f rounds=%ld overshoot_ms_median=%.3f overshoot_ms_first=%.3f "
           "overshoot_ms_min=%.3f overshoot_ms_max=%.3f clock=real\n",
           elapsed, n, median * 1e3, first * 1e3, r.overshoot[0] * 1e3,
           r.overshoot[n - 1] * 1e3);
    free(r.overshoot);
    return 0;
}
