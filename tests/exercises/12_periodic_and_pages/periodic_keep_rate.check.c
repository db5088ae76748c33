/*
 * Check of periodic_keep_rate: a periodic task that keeps its rate.
 *
 * The check runs monitor() as the task "monitor", lets it run for `watch`
 * seconds, cancels it and awaits it.  check_health() notes when each check
 * starts, and takes its own time from the case's list -- some checks take
 * longer than an interval, some fail.  A fixed-rate loop that catches up
 * starts check k at max(start + k * interval, the end of check k-1): the
 * check computes that schedule and compares every start exactly.  A loop
 * that sleeps the interval after each check drifts, one that stops at the
 * first failure ends early, and a check cut off by the cancellation must not
 * be counted as failed.
 */
#include "check.h"

#include <stdio.h>

int monitor(double interval, long *failed);

enum { MAX_CHECKS = 64 };

static struct {
    double interval, watch;
    const double *durations;   /* check k takes durations[k % count]     */
    int duration_count;
    const int *failing;        /* indexes of the checks that fail, -1 ends */
    int checks;                /* started so far                          */
    double started[MAX_CHECKS];
    bool cut_off[MAX_CHECKS];  /* cancelled while it ran                  */
    long failed;               /* what monitor() counted                  */
    int monitor_status;
} world;

static bool fails(int k)
{
    for (const int *f = world.failing; *f >= 0; f++)
        if (*f == k)
            return true;
    return false;
}

static double duration(int k)
{
    return world.durations[k % world.duration_count];
}

int check_health(void)
{
    int k = world.checks++;
    if (k >= MAX_CHECKS)
        return aw_raise(AW_EAPP, "health check %d: too many checks", k);
    world.started[k] = aw_now();
    world.cut_off[k] = false;
    int status = aw_sleep(duration(k));
    if (status != AW_OK) {
        world.cut_off[k] = true;
        return status;
    }
    if (fails(k))
        return aw_raise(AW_EAPP, "health check %d: 503 Service Unavailable", k);
    return AW_OK;
}

static int monitor_task(void *arg, intptr_t *result)
{
    (void)arg;
    *result = 0;
    world.monitor_status = monitor(world.interval, &world.failed);
    return world.monitor_status;
}

static int drive(void *arg)
{
    (void)arg;
    aw_task *task = aw_spawn(monitor_task, NULL, "monitor");
    int status = aw_sleep(world.watch);
    aw_cancel(task);
    aw_await(task);
    return status;
}

/* The fixed-rate schedule, catching up: fills due[] and expected[], returns
 * how many checks start before `watch`, and counts the failures among the
 * checks that end before it. */
static int schedule(double *due, double *expected, long *failures)
{
    int count = 0;
    double end = 0;
    *failures = 0;
    for (int k = 0; k < MAX_CHECKS; k++) {
        due[k] = (double)k * world.interval;
        expected[k] = due[k] > end ? due[k] : end;
        if (expected[k] >= world.watch)
            break;
        end = expected[k] + duration(k);
        if (end < world.watch && fails(k))
            (*failures)++;
        count++;
    }
    return count;
}

static void judge_start(int k, const double *due, const double *expected)
{
    double got = world.started[k];
    if (k > 0) {
        double previous_end = world.started[k - 1] + duration(k - 1);
        if (check_near(got, previous_end + world.interval) &&
            !check_near(got, expected[k])) {
            check_fail("check %d started at %s, one interval (%s) after check %d ended; it was "
                       "due at %s (start + %d * %s). Sleeping the interval after each check "
                       "adds every check's own time to the period: sleep until the next due "
                       "time instead.", k, check_seconds(got), check_seconds(world.interval),
                       k - 1, check_seconds(due[k]), k, check_seconds(world.interval));
            return;
        }
        if (due[k] < previous_end && got > previous_end + 1e-6) {
            check_fail("check %d was due at %s, while check %d was still running (it ended at "
                       "%s); it should start as soon as that one ends, to catch up, but it "
                       "started at %s", k, check_seconds(due[k]), k - 1,
                       check_seconds(previous_end), check_seconds(got));
            return;
        }
    }
    check_fail("check %d started at %s; it should start at %s (due at start + %d * %s%s)", k,
               check_seconds(got), check_seconds(expected[k]), k,
               check_seconds(world.interval),
               expected[k] > due[k] + 1e-6 ? ", late because the check before ran long" : "");
}

static void run_case(const char *title, double interval, double watch, const double *durations,
                     int duration_count, const int *failing)
{
    world.interval = interval;
    world.watch = watch;
    world.durations = durations;
    world.duration_count = duration_count;
    world.failing = failing;
    world.checks = 0;
    world.failed = -1;
    world.monitor_status = 12345;
    double due[MAX_CHECKS], expected[MAX_CHECKS];
    long failures;
    int count = schedule(due, expected, &failures);

    check_case("%s", title);
    check_run(drive, NULL, watch + 10.0);
    if (check_failed())
        goto done;
    check_task_info t = check_task("monitor");
    if (world.checks == 0) {
        check_fail("monitor() made no health check at all; it returned at %s with %d (%s)",
                   check_seconds(t.ended_s), world.monitor_status,
                   aw_strerror(world.monitor_status));
        goto done;
    }
    if (t.ended_s >= 0 && t.ended_s < watch - 1e-6) {
        int last = world.checks - 1;
        if (fails(last) && check_near(t.ended_s, world.started[last] + duration(last)))
            check_fail("the monitor stopped at %s, right after check %d failed: a failed check "
                       "counts in *failed, and the checking goes on -- only cancellation ends "
                       "the loop", check_seconds(t.ended_s), last);
        else
            check_fail("the monitor returned at %s (with %d: %s), before it was cancelled at "
                       "%s: it should keep checking until then", check_seconds(t.ended_s),
                       world.monitor_status, aw_strerror(world.monitor_status),
                       check_seconds(watch));
        goto done;
    }
    for (int k = 0; k < world.checks && k < count && !check_failed(); k++)
        if (!check_near(world.started[k], expected[k]))
            judge_start(k, due, expected);
    if (check_failed())
        goto done;
    if (world.checks != count) {
        check_fail("the monitor started %d checks in the %s before it was cancelled; at one "
                   "every %s, catching up after slow ones, that is %d", world.checks,
                   check_seconds(watch), check_seconds(interval), count);
        goto done;
    }
    if (t.outcome != CHECK_CANCELLED || !check_near(t.ended_s, watch)) {
        check_fail("cancelled at %s, the monitor should end cancelled at once, returning "
                   "AW_ECANCELLED; it ended %s at %s", check_seconds(watch),
                   t.outcome == CHECK_OK ? "with a value" : t.outcome == CHECK_ERROR ? "with an error"
                   : t.outcome == CHECK_CANCELLED ? "cancelled" : "still running",
                   check_seconds(t.ended_s));
        goto done;
    }
    bool cut_off = world.cut_off[world.checks - 1];
    if (world.failed == failures + 1 && cut_off)
        check_fail("*failed is %ld, but only %ld checks failed: check %d was cut off by the "
                   "cancellation, and a cancelled check is no failure (in Python, "
                   "CancelledError is not an Exception)", world.failed, failures,
                   world.checks - 1);
    else if (world.failed == failures + 1)
        check_fail("*failed is %ld, but only %ld checks failed: the cancellation, which came "
                   "while the monitor slept, is no failure -- AW_ECANCELLED ends the loop "
                   "without counting", world.failed, failures);
    else if (world.failed != failures)
        check_fail("*failed is %ld; %ld of the checks failed", world.failed, failures);
done:
    check_case_end();
}

void exercise_check(void)
{
    static const double quick[] = {0.05};
    static const int none[] = {-1};
    run_case("every 0.25 s, quick checks, watched for 1.1 s", 0.25, 1.1, quick, 1, none);

    static const double one_slow[] = {0.03, 0.45, 0.03, 0.03, 0.03, 0.03, 0.03, 0.03};
    static const int two_fail[] = {2, 4, -1};
    run_case("every 0.2 s, one check of 0.45 s, two failures", 0.2, 1.15, one_slow, 8, two_fail);

    static const double tenth[] = {0.1};
    static const int first_two_fail[] = {0, 1, -1};
    run_case("every 0.5 s, the first two fail, cancelled mid-check", 0.5, 2.05, tenth, 1,
             first_two_fail);
}
