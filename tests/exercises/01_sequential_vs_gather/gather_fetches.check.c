/*
 * Check of gather_fetches: n fetches gathered take as long as the slowest.
 *
 * The cases use other n and other delays than the lesson (and each item its
 * own delay in the last case), so only code that really starts every fetch
 * before awaiting any of them passes: the elapsed virtual time must be the
 * slowest single fetch, all n must have slept at the same time, and every
 * result must be in its own slot.
 */
#include "check.h"

#include <stdlib.h>

int fetch_all(long n, intptr_t *results);

static double delays[64];

/* The service: item i takes delays[i] seconds and its value is 100 + 7i. */
int fetch(long i, intptr_t *value)
{
    int status = aw_sleep(delays[i]);
    if (status != AW_OK)
        return status;
    *value = 100 + 7 * (intptr_t)i;
    return AW_OK;
}

typedef struct fetch_case {
    long n;
    intptr_t results[64];
} fetch_case;

static int drive(void *arg)
{
    fetch_case *c = arg;
    return fetch_all(c->n, c->results);
}

static void run_case(long n, double base, double step)
{
    fetch_case c = {.n = n};
    double slowest = 0, total = 0;
    for (long i = 0; i < n; i++) {
        delays[i] = base + step * (double)(i % 3);
        slowest = delays[i] > slowest ? delays[i] : slowest;
        total += delays[i];
    }
    check_case("%ld fetch%s of %s%s", n, n == 1 ? "" : "es", check_seconds(base),
               step > 0 ? " and more" : " each");
    int status = check_run(drive, &c, 10 * total + 1);
    if (check_failed())
        goto done;
    if (status != AW_OK) {
        check_fail("fetch_all returned %d (%s); every fetch succeeds here, so it should "
                   "return AW_OK", status, aw_strerror(status));
        goto done;
    }
    int started = check_count("fetch-", CHECK_ANY);
    if (started != n) {
        check_fail("%ld items should give %ld tasks named fetch-0 .. fetch-%ld; your run "
                   "spawned %d", n, n, n - 1, started);
        goto done;
    }
    double took = check_elapsed();
    int peak = check_peak_sleeping("fetch-");
    if (!check_near(took, slowest))
        check_fail("%ld fetches gathered should take as long as the slowest, %s; yours "
                   "took %s, and at most %d fetch%s waited at the same time%s",
                   n, check_seconds(slowest), check_seconds(took), peak, peak == 1 ? "" : "es",
                   peak == 1 ? " -- are you awaiting each fetch before spawning the next?"
                             : ".");
    for (long i = 0; i < n && !check_failed(); i++)
        if (c.results[i] != 100 + 7 * (intptr_t)i)
            check_fail("results[%ld] holds %ld, but fetch(%ld) returned %ld: results must "
                       "be in argument order, one slot per item", i, (long)c.results[i], i,
                       (long)(100 + 7 * i));
done:
    check_case_end();
}

void exercise_check(void)
{
    run_case(7, 0.3, 0);
    run_case(12, 0.2, 0.15);
    run_case(1, 1.25, 0);
}
