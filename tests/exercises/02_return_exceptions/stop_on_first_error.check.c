/*
 * Check of stop_on_first_error: on the first failure, the other panels are
 * cancelled and awaited, and the failure's error is returned at once.
 *
 * Each panel takes its own time; in the failing cases one or two panels
 * fail, the first in time not being the first in argument order.  The
 * world counts the panels the service finished serving after the dashboard
 * had given up.  The check judges: the status and error message (the first
 * failure in time), that no panel was still running when load_dashboard()
 * returned (and, if some were, whether they had been cancelled and not
 * waited for), and that it returned at the moment of the failure -- not
 * after waiting for everything.  A case where nothing fails makes sure the
 * values still come through.
 */
#include "check.h"

#include <stdio.h>
#include <string.h>

int load_dashboard(long n, intptr_t *values);

enum { MAX_PANELS = 32, PANEL_FAILED = AW_EAPP - 7 };

static struct {
    long n;
    double delay_s[MAX_PANELS];
    bool fails[MAX_PANELS];
    double gave_up_s;          /* when load_dashboard() returned, or -1  */
    long served_after;         /* panels served after that               */
    intptr_t values[MAX_PANELS];
    aw_error returned_error;
    double took_s;             /* how long load_dashboard() took        */
    int left, left_cancelled;  /* panels running when it returned, and  */
    char left_names[400];      /* how many of them had been cancelled   */
} world;

static intptr_t value_of(long i)
{
    return 700 + 11 * (intptr_t)i;
}

int fetch_panel(long i, intptr_t *value)
{
    if (i < 0 || i >= world.n)
        return aw_raise(AW_EINVAL, "fetch_panel(%ld): there are only panels 0 .. %ld", i,
                        world.n - 1);
    int status = aw_sleep(world.delay_s[i]);
    if (status != AW_OK)
        return status;
    if (world.fails[i])
        return aw_raise(PANEL_FAILED, "panel-%ld: 503 Service Unavailable", i);
    if (world.gave_up_s >= 0)
        world.served_after++;
    *value = value_of(i);
    return AW_OK;
}

/* Panels still running when load_dashboard() returned: how many, their
 * names, and how many of them had been asked to cancel. */
static int panels_left_running(char *names, size_t size, int *cancelled)
{
    int count = 0;
    *cancelled = 0;
    names[0] = '\0';
    for (long i = 0; i < world.n; i++) {
        char name[32];
        snprintf(name, sizeof name, "panel-%ld", i);
        check_task_info t = check_task(name);
        if (t.outcome != CHECK_RUNNING)
            continue;
        *cancelled += t.cancel_requested_s >= 0;
        size_t used = strlen(names);
        if (used + 40 < size)
            snprintf(names + used, size - used, "%s%s", count ? ", " : "", name);
        count++;
    }
    return count;
}

/*
 * Runs load_dashboard(), notes what was still running the moment it
 * returned, then waits until the slowest panel would have finished: a
 * panel left running goes on being served meanwhile, as it would in a
 * real program (where main does not end right away), and the world counts
 * it.
 */
static int drive(void *arg)
{
    (void)arg;
    double start = aw_now();
    int status = load_dashboard(world.n, world.values);
    const aw_error *e = aw_last_error();
    if (status != AW_OK && e)
        world.returned_error = *e;
    world.gave_up_s = aw_now();
    world.took_s = world.gave_up_s - start;
    aw_trace_mark("load_dashboard returned");
    world.left = panels_left_running(world.left_names, sizeof world.left_names,
                                     &world.left_cancelled);
    double slowest = 0;
    for (long i = 0; i < world.n; i++)
        slowest = world.delay_s[i] > slowest ? world.delay_s[i] : slowest;
    if (world.left > 0 && world.took_s < slowest)
        aw_sleep(slowest - world.took_s);
    return status;
}

/* The panel that fails first in time, or -1. */
static long first_failure(void)
{
    long first = -1;
    for (long i = 0; i < world.n; i++)
        if (world.fails[i] && (first < 0 || world.delay_s[i] < world.delay_s[first]))
            first = i;
    return first;
}

static void judge_success(int status)
{
    double slowest = 0;
    for (long i = 0; i < world.n; i++)
        slowest = world.delay_s[i] > slowest ? world.delay_s[i] : slowest;
    if (status != AW_OK) {
        check_fail("load_dashboard returned %d (%s); no panel fails here, so it should "
                   "return AW_OK", status, aw_strerror(status));
        return;
    }
    if (!check_near(world.took_s, slowest)) {
        check_fail("%ld panels side by side take %s, the slowest one; yours took %s",
                   world.n, check_seconds(slowest), check_seconds(world.took_s));
        return;
    }
    for (long i = 0; i < world.n; i++)
        if (world.values[i] != value_of(i)) {
            check_fail("values[%ld] holds %ld, but panel %ld's value is %ld", i,
                       (long)world.values[i], i, (long)value_of(i));
            return;
        }
}

static void judge_failure(int status, long first)
{
    char expected[120];
    snprintf(expected, sizeof expected, "panel-%ld: 503 Service Unavailable", first);
    double failed_at = world.delay_s[first], took = world.took_s;
    if (status != PANEL_FAILED || strcmp(world.returned_error.message, expected) != 0) {
        check_fail("load_dashboard returned %d (%s)%s%s; it should return the first failure "
                   "in time, panel-%ld's at %s: %d with the message \"%s\"", status,
                   aw_strerror(status), world.returned_error.message[0] ? ", message: " : "",
                   world.returned_error.message, first, check_seconds(failed_at),
                   PANEL_FAILED, expected);
        return;
    }
    int left = world.left;
    const char *running = world.left_names;
    if (left > 0 && world.left_cancelled == left) {
        check_fail("load_dashboard returned at %s with %d panel%s still running (%s). %s "
                   "cancelled, but aw_cancel() only asks: a task ends at its next "
                   "suspension, and only once it has ended is it really gone. Wait for them "
                   "before returning.", check_seconds(took), left, left == 1 ? "" : "s",
                   running, left == 1 ? "It was" : "They were");
        return;
    }
    if (left > 0) {
        check_fail("load_dashboard returned panel-%ld's error at %s, but %d panel%s still "
                   "running (%s), and nobody cancelled %s: the service went on to serve "
                   "%ld of them for a dashboard that had already given up (the check's "
                   "main stayed until %s to watch). aw_gather() never cancels the other "
                   "tasks when one fails.", first, check_seconds(took), left,
                   left == 1 ? " was" : "s were", running, left == 1 ? "it" : "them",
                   world.served_after, check_seconds(check_elapsed()));
        return;
    }
    if (!check_near(took, failed_at)) {
        int cancelled_count = check_count("panel-", CHECK_CANCELLED);
        check_fail("load_dashboard returned at %s; panel-%ld failed at %s, and the dashboard "
                   "should give up right then. %s", check_seconds(took), first,
                   check_seconds(failed_at),
                   cancelled_count == 0 ? "It waited for every panel to finish instead: "
                                          "cancel the ones still running."
                                        : "Cancelled tasks end at once here: what else did "
                                          "it wait for?");
        return;
    }
}

static void run_case(long n, const double *delay_s, const long *failing, int failing_count)
{
    memset(&world, 0, sizeof world);
    world.n = n;
    world.gave_up_s = -1;
    double total = 0;
    for (long i = 0; i < n; i++) {
        world.delay_s[i] = delay_s[i];
        world.values[i] = -1;
        total += delay_s[i];
    }
    for (int k = 0; k < failing_count; k++)
        world.fails[failing[k]] = true;
    long first = first_failure();
    if (first < 0)
        check_case("%ld panels, none fails", n);
    else
        check_case("%ld panels, panel-%ld fails first, at %s", n, first,
                   check_seconds(delay_s[first]));
    int status = check_run(drive, NULL, 2 * total + 1);
    if (!check_failed()) {
        if (first < 0)
            judge_success(status);
        else
            judge_failure(status, first);
    }
    check_case_end();
}

void exercise_check(void)
{
    static const double eight[] = {0.6, 0.35, 0.9, 0.2, 0.5, 0.75, 0.3, 0.45};
    static const long eight_fail[] = {3};
    run_case(8, eight, eight_fail, 1);

    static const double six[] = {0.4, 0.25, 0.7, 0.55, 0.15, 0.3};
    static const long six_fail[] = {1, 4};
    run_case(6, six, six_fail, 2);

    static const double five[] = {0.3, 0.5, 0.2, 0.45, 0.35};
    run_case(5, five, NULL, 0);
}
