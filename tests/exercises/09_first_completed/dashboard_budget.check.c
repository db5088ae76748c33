/*
 * Check of dashboard_budget: the page has the widgets that arrived within
 * the budget, and no fetch is left running once it is drawn.
 *
 * Each widget's backend takes the check's time, and some fail.  The world
 * notes what was drawn.  When build_dashboard() returns, the widgets that
 * arrived in time must have been drawn, the others must have been
 * cancelled at the end of the budget and have finished -- wait()'s
 * timeout only stops the waiting -- and it must return when the budget is
 * over (or as soon as every widget is in).
 */
#include "check.h"

#include <stdio.h>
#include <string.h>

int build_dashboard(long n, double budget, long *drawn);

enum { MAX_WIDGETS = 16, BACKEND_FAILED = AW_EAPP - 40 };

/* The world of one case. */
static struct {
    long n;
    double latency[MAX_WIDGETS];
    bool fails[MAX_WIDGETS];
    int times_drawn[MAX_WIDGETS];
    intptr_t content[MAX_WIDGETS];
} world;

static intptr_t content_of(long i)
{
    return 9000 + 11 * (intptr_t)i;
}

int fetch_widget(long i, intptr_t *content)
{
    if (i < 0 || i >= world.n)
        return aw_raise(AW_EINVAL, "fetch_widget(%ld): there are only widgets 0 .. %ld", i,
                        world.n - 1);
    int status = aw_sleep(world.latency[i]);
    if (status != AW_OK)
        return status;
    if (world.fails[i])
        return aw_raise(BACKEND_FAILED, "widget %ld: backend error", i);
    *content = content_of(i);
    return AW_OK;
}

void draw_widget(long i, intptr_t content)
{
    if (i < 0 || i >= world.n)
        return;
    world.times_drawn[i]++;
    world.content[i] = content;
}

typedef struct dashboard_case {
    double budget;
    long drawn;
} dashboard_case;

static int drive(void *arg)
{
    dashboard_case *c = arg;
    return build_dashboard(world.n, c->budget, &c->drawn);
}

static void judge(const dashboard_case *c, int status)
{
    double budget = c->budget, end = 0;
    char running[200];
    int left = check_left_running(running, sizeof running);
    if (left > 0) {
        double until = 0;
        for (long i = 0; i < world.n; i++)
            until = world.latency[i] > until ? world.latency[i] : until;
        check_fail("build_dashboard() returned at %s, but %s %s still fetching, and would "
                   "have held %s connection%s until as late as %s. The budget's timeout made "
                   "wait() stop waiting -- what did it do to the fetches still pending?",
                   check_seconds(check_elapsed()), running, left == 1 ? "was" : "were",
                   left == 1 ? "its" : "their", left == 1 ? "" : "s", check_seconds(until));
        return;
    }
    long expected_drawn = 0;
    for (long i = 0; i < world.n; i++) {
        char name[32];
        snprintf(name, sizeof name, "widget-%ld", i);
        bool in_time = world.latency[i] <= budget + 1e-9;
        if (in_time)
            end = world.latency[i] > end ? world.latency[i] : end;
        else
            end = budget;
        bool should_draw = in_time && !world.fails[i];
        expected_drawn += should_draw;
        if (should_draw && world.times_drawn[i] != 1) {
            check_fail("%s arrived at %s, within the budget of %s, so it should be drawn once; "
                       "yours drew it %d times", name, check_seconds(world.latency[i]),
                       check_seconds(budget), world.times_drawn[i]);
            return;
        }
        if (should_draw && world.content[i] != content_of(i)) {
            check_fail("%s was drawn with %ld, but its backend answered %ld", name,
                       (long)world.content[i], (long)content_of(i));
            return;
        }
        if (!should_draw && world.times_drawn[i] > 0) {
            check_fail("%s should not be on the page: %s", name,
                       in_time ? "its backend failed" : "it arrived after the budget");
            return;
        }
        check_task_info t = check_task(name);
        if (!in_time && (t.outcome != CHECK_CANCELLED ||
                         !check_near(t.cancel_requested_s, budget))) {
            check_fail("%s takes %s, longer than the budget of %s: it should be cancelled when "
                       "the budget is over; yours %s", name, check_seconds(world.latency[i]),
                       check_seconds(budget),
                       t.outcome == CHECK_CANCELLED ? "was cancelled at another time"
                                                    : "ran until its backend answered");
            return;
        }
    }
    if (status != AW_OK) {
        check_fail("build_dashboard returned %d (%s); late and failed widgets are left off "
                   "the page, not an error, so it should return AW_OK", status,
                   aw_strerror(status));
        return;
    }
    if (!check_near(check_elapsed(), end)) {
        check_fail("the page should be done at %s; yours took %s", check_seconds(end),
                   check_seconds(check_elapsed()));
        return;
    }
    if (c->drawn != expected_drawn)
        check_fail("%ld widgets were drawn, but *drawn says %ld", expected_drawn, c->drawn);
}

static void run_case(long n, double budget, const double *latency, const bool *fails)
{
    memset(&world, 0, sizeof world);
    world.n = n;
    long late = 0;
    for (long i = 0; i < n; i++) {
        world.latency[i] = latency[i];
        world.fails[i] = fails[i];
        late += latency[i] > budget;
    }
    dashboard_case c = {.budget = budget, .drawn = -1};
    check_case("%ld widgets, a budget of %s, %ld late", n, check_seconds(budget), late);
    int status = check_run(drive, &c, 30.0);
    if (!check_failed())
        judge(&c, status);
    check_case_end();
}

void exercise_check(void)
{
    static const double six[] = {0.3, 1.5, 0.5, 3.0, 0.2, 0.9};
    static const bool one_fails[] = {false, false, false, false, true, false};
    run_case(6, 0.8, six, one_fails);

    static const double four[] = {0.4, 1.2, 0.8, 1.9};
    static const bool none[] = {false, false, false, false};
    run_case(4, 2.0, four, none);

    static const double eight[] = {0.1, 0.6, 0.45, 2.5, 0.05, 0.7, 0.3, 0.55};
    static const bool two_fail[] = {false, true, false, false, false, false, true, false};
    run_case(8, 0.5, eight, two_fail);
}
