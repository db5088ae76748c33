/*
 * Check of show_as_they_arrive: each report is shown the moment it
 * arrives; at the deadline the late ones are cancelled and waited for.
 *
 * Every report takes the check's time, and some fail (a failed report is
 * shown too, as its error).  The world notes when each report was shown.
 * A report that arrives by the deadline must be shown exactly then, once;
 * a later one must not be shown, must be cancelled at the deadline, and
 * must have stopped before show_reports() returns.  In the last case every
 * report comes less than `deadline` after the one before it, but not all of
 * them within `deadline` of the start: the deadline covers the whole loop.
 */
#include "check.h"

#include <stdio.h>
#include <string.h>

int show_reports(long n, double deadline, long *shown);

enum { MAX_REPORTS = 16, SERVICE_FAILED = AW_EAPP - 30 };

/* The world of one case. */
static struct {
    long n;
    double latency[MAX_REPORTS];
    bool fails[MAX_REPORTS];
    double shown_at[MAX_REPORTS];  /* first show_report(), or -1           */
    int times_shown[MAX_REPORTS];
    char problem[200];             /* the first misuse of show_report()    */
} world;

int fetch_report(long i, intptr_t *value)
{
    if (i < 0 || i >= world.n)
        return aw_raise(AW_EINVAL, "fetch_report(%ld): there are only services 0 .. %ld", i,
                        world.n - 1);
    int status = aw_sleep(world.latency[i]);
    if (status != AW_OK)
        return status;
    if (world.fails[i])
        return aw_raise(SERVICE_FAILED, "service %ld: report unavailable", i);
    *value = 500 + (intptr_t)i;
    return AW_OK;
}

void show_report(aw_task *report)
{
    long i = -1;
    const char *name = report ? aw_task_name(report) : "(null)";
    if (!report || sscanf(name, "report-%ld", &i) != 1 || i < 0 || i >= world.n) {
        if (!world.problem[0])
            snprintf(world.problem, sizeof world.problem, "show_report() was given %s, "
                     "which is not one of the report tasks", name);
        return;
    }
    if (!aw_task_done(report) && !world.problem[0])
        snprintf(world.problem, sizeof world.problem, "show_report(%s) was called at %s, "
                 "before that report had arrived", name, check_seconds(aw_now()));
    if (world.times_shown[i]++ == 0)
        world.shown_at[i] = aw_now();
}

typedef struct report_case {
    double deadline;
    long shown;
} report_case;

static int drive(void *arg)
{
    report_case *c = arg;
    return show_reports(world.n, c->deadline, &c->shown);
}

static void judge(const report_case *c, int status)
{
    if (world.problem[0]) {
        check_fail("%s", world.problem);
        return;
    }
    double deadline = c->deadline, end = 0;
    long in_time = 0;
    for (long i = 0; i < world.n; i++) {
        char name[32];
        snprintf(name, sizeof name, "report-%ld", i);
        double at = world.latency[i];
        if (at <= deadline + 1e-9) {
            in_time++;
            end = at > end ? at : end;
            if (world.times_shown[i] == 0) {
                check_fail("%s arrived at %s (%s) and was never shown", name,
                           check_seconds(at), world.fails[i] ? "with an error" : "in time");
                return;
            }
            if (world.times_shown[i] > 1) {
                check_fail("%s was shown %d times; each report once", name,
                           world.times_shown[i]);
                return;
            }
            if (!check_near(world.shown_at[i], at)) {
                check_fail("%s arrived at %s but was shown only at %s: show each report the "
                           "moment it arrives, not once everything is in", name,
                           check_seconds(at), check_seconds(world.shown_at[i]));
                return;
            }
        } else {
            end = deadline;
            check_task_info t = check_task(name);
            if (world.times_shown[i] > 0) {
                check_fail("%s arrives at %s, after the deadline (%s), so it should be left "
                           "out; yours showed it at %s -- the deadline counts from the "
                           "start, for the whole loop, not from the report before", name,
                           check_seconds(at), check_seconds(deadline),
                           check_seconds(world.shown_at[i]));
                return;
            }
            if (t.outcome == CHECK_RUNNING) {
                check_fail("%s was still being fetched when show_reports() returned at %s%s",
                           name, check_seconds(check_elapsed()),
                           t.cancel_requested_s >= 0
                               ? ": it had been cancelled, but cancel() only asks -- wait "
                                 "for the cancelled tasks to stop before returning"
                               : ": as_completed's timeout cancels nothing; the late "
                                 "reports are yours to cancel");
                return;
            }
            if (t.outcome != CHECK_CANCELLED || !check_near(t.cancel_requested_s, deadline)) {
                check_fail("%s, late, should be cancelled at the deadline, %s; %s", name,
                           check_seconds(deadline),
                           t.outcome == CHECK_CANCELLED
                               ? "yours was cancelled at another time"
                               : "yours ran until it arrived -- did the loop wait past the "
                                 "deadline?");
                return;
            }
        }
    }
    if (status != AW_OK) {
        check_fail("show_reports returned %d (%s); failed and late reports are not an error "
                   "of show_reports(), so it should return AW_OK", status,
                   aw_strerror(status));
        return;
    }
    if (c->shown != in_time) {
        check_fail("%ld reports were shown, but *shown says %ld", in_time, c->shown);
        return;
    }
    if (!check_near(check_elapsed(), end))
        check_fail("show_reports should return at %s; yours returned at %s",
                   check_seconds(end), check_seconds(check_elapsed()));
}

static void run_case(long n, double deadline, const double *latency, const bool *fails)
{
    memset(&world, 0, sizeof world);
    world.n = n;
    long late = 0;
    for (long i = 0; i < n; i++) {
        world.latency[i] = latency[i];
        world.fails[i] = fails[i];
        world.shown_at[i] = -1;
        late += latency[i] > deadline;
    }
    report_case c = {.deadline = deadline, .shown = -1};
    check_case("%ld reports, deadline %s, %ld late", n, check_seconds(deadline), late);
    int status = check_run(drive, &c, 30.0);
    if (!check_failed())
        judge(&c, status);
    check_case_end();
}

void exercise_check(void)
{
    static const double five[] = {0.4, 0.1, 0.3, 0.7, 0.2};
    static const bool one_fails[] = {false, false, true, false, false};
    run_case(5, 1.0, five, one_fails);

    static const double six[] = {0.2, 0.9, 0.5, 1.5, 0.35, 2.0};
    static const bool two_fail[] = {false, false, false, true, true, false};
    run_case(6, 0.8, six, two_fail);

    static const double three[] = {0.3, 0.45, 0.6};
    static const bool none[] = {false, false, false};
    run_case(3, 0.5, three, none);
}
