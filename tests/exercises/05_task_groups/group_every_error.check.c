/*
 * Check of group_every_error: n fetches in one task group; the first
 * failure cancels the unfinished ones; every error is reported, in order;
 * the fetches that finished first keep their values.
 *
 * The world's fetches take the check's delays; some fail when their time
 * is up.  A cancelled fetch says goodbye to the server (a shielded sleep)
 * before it gives up, and in one case one goodbye fails -- a second error,
 * raised during the cancellation, which the group must report too.  The
 * check works out what a task group does with that and compares: who was
 * cancelled and when, the errors report_error() received, the status and
 * the results.
 */
#include "check.h"

#include <stdio.h>
#include <string.h>

int fetch_group(long n, intptr_t *results);

enum { MAX_FETCHES = 16, MAX_REPORTS = 40 };
enum { REFUSED = AW_EAPP, GOODBYE_FAILED = AW_EAPP - 1 };

/* The world of one case. */
static struct {
    long n;
    double delay[MAX_FETCHES];
    bool fails[MAX_FETCHES];   /* fails when its delay is up             */
    double goodbye_s;          /* a cancelled fetch says goodbye so long */
    long goodbye_fails;        /* the item whose goodbye fails, or -1    */
    int reported;
    aw_error reports[MAX_REPORTS];
} world;

static intptr_t value_of(long i)
{
    return 300 + 11 * (intptr_t)i;
}

int fetch(long i, intptr_t *value)
{
    if (i < 0 || i >= world.n)
        return aw_raise(AW_EINVAL, "fetch(%ld): no such item", i);
    int status = aw_sleep(world.delay[i]);
    if (status == AW_ECANCELLED) {
        aw_shield_begin(); /* the goodbye waits, cancelled or not */
        aw_sleep(world.goodbye_s);
        aw_shield_end();
        if (i == world.goodbye_fails)
            return aw_raise(GOODBYE_FAILED, "item-%ld: goodbye failed", i);
        return status;
    }
    if (status != AW_OK)
        return status;
    if (world.fails[i])
        return aw_raise(REFUSED, "item-%ld: connection refused", i);
    *value = value_of(i);
    return AW_OK;
}

void report_error(const aw_error *error)
{
    if (error && world.reported < MAX_REPORTS)
        world.reports[world.reported] = *error;
    world.reported++;
}

typedef struct group_case {
    intptr_t results[MAX_FETCHES];
} group_case;

static int drive(void *arg)
{
    group_case *c = arg;
    return fetch_group(world.n, c->results);
}

/* ----------------------------------------------------------------------- */
/* What a task group does with this world                                   */
/* ----------------------------------------------------------------------- */

typedef struct expected {
    long first;              /* the first item to fail, or -1        */
    double failed_at;        /* its delay                            */
    double ends;             /* when fetch_group() should return     */
    int errors;
    char error[2][120];      /* the messages, in the group's order   */
} expected;

static expected expect(void)
{
    expected e = {.first = -1};
    for (long i = 0; i < world.n; i++)
        if (world.fails[i] && (e.first < 0 || world.delay[i] < e.failed_at)) {
            e.first = i;
            e.failed_at = world.delay[i];
        }
    if (e.first < 0) {
        for (long i = 0; i < world.n; i++)
            e.ends = world.delay[i] > e.ends ? world.delay[i] : e.ends;
        return e;
    }
    snprintf(e.error[e.errors++], sizeof e.error[0], "item-%ld: connection refused", e.first);
    e.ends = e.failed_at;
    for (long i = 0; i < world.n; i++)
        if (world.delay[i] > e.failed_at) {
            e.ends = e.failed_at + world.goodbye_s;
            if (i == world.goodbye_fails)
                snprintf(e.error[e.errors++], sizeof e.error[0], "item-%ld: goodbye failed",
                         i);
        }
    return e;
}

/* ----------------------------------------------------------------------- */
/* Judging                                                                   */
/* ----------------------------------------------------------------------- */

static const char *task_name(long i)
{
    static char name[4][32];
    static int next;
    char *b = name[next++ % 4];
    snprintf(b, sizeof name[0], "fetch-%ld", i);
    return b;
}

static bool judge_children(const expected *e)
{
    for (long i = 0; i < world.n; i++) {
        check_task_info t = check_task(task_name(i));
        if (t.outcome == CHECK_NEVER) {
            check_fail("there is no task named %s: spawn one child per item, named "
                       "\"fetch-<i>\"", task_name(i));
            return false;
        }
        if (t.outcome == CHECK_RUNNING) {
            check_fail("%s was still running when fetch_group() returned at %s: leaving a "
                       "task group waits for every child -- was it spawned into the group "
                       "(aw_group_spawn), and does the group end (aw_group_end) before "
                       "fetch_group() returns?", task_name(i), check_seconds(check_elapsed()));
            return false;
        }
        bool cancelled = e->first >= 0 && world.delay[i] > e->failed_at;
        if (cancelled && !check_near(t.cancel_requested_s, e->failed_at)) {
            check_fail("%s failed at %s, so the group should cancel %s (which needed %s) at "
                       "that moment; yours %s%s. Only children of the group are cancelled "
                       "by it: did you spawn them with aw_group_spawn()?",
                       task_name(e->first), check_seconds(e->failed_at), task_name(i),
                       check_seconds(world.delay[i]),
                       t.outcome == CHECK_OK ? "ran on and answered at "
                                             : "ended at ",
                       check_seconds(t.ended_s));
            return false;
        }
        if (!cancelled && t.cancel_requested_s >= 0) {
            check_fail("%s was cancelled at %s, but it %s: the group cancels only children "
                       "that are still running when one fails", task_name(i),
                       check_seconds(t.cancel_requested_s),
                       e->first == i ? "is the one that failed"
                       : e->first < 0 ? "had nothing to be cancelled for"
                                      : "had already finished");
            return false;
        }
    }
    if (!check_near(check_elapsed(), e->ends)) {
        check_fail("fetch_group() should return at %s%s; yours returned at %s",
                   check_seconds(e->ends),
                   e->first < 0 ? ", when the slowest fetch answers"
                                : ", once the cancelled fetches have said goodbye",
                   check_seconds(check_elapsed()));
        return false;
    }
    return true;
}

static bool judge_status(const expected *e, int status)
{
    int want = e->first < 0 ? AW_OK : AW_EGROUP;
    if (status == want)
        return true;
    check_fail("fetch_group() should return %s (%s); yours returned %d (%s)%s",
               want == AW_OK ? "AW_OK" : "AW_EGROUP",
               want == AW_OK ? "nothing failed" : "a child failed", status,
               aw_strerror(status),
               want == AW_EGROUP && status == AW_OK
                   ? " -- return the status aw_group_end() gives you"
                   : "");
    return false;
}

static bool judge_reports(const expected *e)
{
    if (world.reported == e->errors) {
        for (int k = 0; k < e->errors; k++)
            if (strcmp(world.reports[k].message, e->error[k]) != 0) {
                check_fail("error %d given to report_error() was \"%s\"; the group's error %d "
                           "is \"%s\" -- report them in the group's order, "
                           "aw_group_error(&group, 0) first", k + 1,
                           world.reports[k].message, k + 1, e->error[k]);
                return false;
            }
        return true;
    }
    if (e->errors == 0)
        check_fail("nothing failed, but report_error() was called %d time%s", world.reported,
                   world.reported == 1 ? "" : "s");
    else if (e->errors == 2 && world.reported == 1)
        check_fail("the group has 2 errors: \"%s\" at %s, and \"%s\", raised at %s by a fetch "
                   "while it was being cancelled; report_error() got only 1. Report every "
                   "error in the group, not just the first", e->error[0],
                   check_seconds(e->failed_at), e->error[1], check_seconds(e->ends));
    else
        check_fail("the group has %d error%s (first: \"%s\"), so report_error() should be "
                   "called %d time%s; yours called it %d time%s", e->errors,
                   e->errors == 1 ? "" : "s", e->error[0], e->errors,
                   e->errors == 1 ? "" : "s", world.reported, world.reported == 1 ? "" : "s");
    return false;
}

static void judge_results(const expected *e, const group_case *c)
{
    for (long i = 0; i < world.n; i++) {
        bool kept = e->first < 0 || world.delay[i] < e->failed_at;
        intptr_t want = kept ? value_of(i) : -1;
        if (c->results[i] == want)
            continue;
        if (kept)
            check_fail("results[%ld] holds %ld, but %s answered %ld at %s%s: a child that "
                       "finished keeps its result", i, (long)c->results[i], task_name(i),
                       (long)want, check_seconds(world.delay[i]),
                       e->first >= 0 ? ", before the failure" : "");
        else
            check_fail("results[%ld] holds %ld, but %s %s and has no value: its slot should "
                       "hold -1", i, (long)c->results[i], task_name(i),
                       i == e->first ? "failed" : "was cancelled");
        return;
    }
}

static void run_case(long n, const double *delay, const long *failing, double goodbye_s,
                     long goodbye_fails)
{
    world.n = n;
    world.goodbye_s = goodbye_s;
    world.goodbye_fails = goodbye_fails;
    world.reported = 0;
    for (long i = 0; i < n; i++) {
        world.delay[i] = delay[i];
        world.fails[i] = false;
    }
    for (const long *f = failing; *f >= 0; f++)
        world.fails[*f] = true;
    group_case c;
    for (long i = 0; i < n; i++)
        c.results[i] = 12345; /* neither a value nor -1 */

    expected e = expect();
    if (e.first < 0)
        check_case("%ld fetches, none fails", n);
    else
        check_case("%ld fetches, fetch-%ld fails at %s%s", n, e.first,
                   check_seconds(e.failed_at),
                   e.errors > 1 ? ", and a goodbye fails" : "");
    int status = check_run(drive, &c, 2 * e.ends + 1);
    if (!check_failed() && check_near(check_elapsed(), 0))
        check_fail("fetch_group() returned at once: open a group, spawn the fetches into "
                   "it, and end it -- aw_group_end() is what waits for them");
    if (!check_failed() && judge_children(&e) && judge_status(&e, status) && judge_reports(&e))
        judge_results(&e, &c);
    check_case_end();
}

void exercise_check(void)
{
    static const long none[] = {-1};
    static const double five[] = {0.3, 0.15, 0.45, 0.2, 0.35};
    run_case(5, five, none, 0.1, -1);

    static const long third[] = {2, -1};
    static const double six[] = {0.1, 0.5, 0.35, 0.2, 0.6, 0.45};
    run_case(6, six, third, 0.05, -1);

    static const long two_fail[] = {0, 3, -1};
    static const double seven[] = {0.25, 0.4, 0.1, 0.7, 0.15, 0.3, 0.55};
    run_case(7, seven, two_fail, 0.2, 5);
}
