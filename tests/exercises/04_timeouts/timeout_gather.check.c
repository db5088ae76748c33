/*
 * Check of timeout_gather: one deadline around a gather of n fetches.
 *
 * Each case gives the fetches their own delays (never in order, never equal
 * to the limit) and a limit the exercise file does not show.  The run must
 * end at the limit or at the slowest fetch, whichever comes first; every
 * fetch slower than the limit must end cancelled (not left running); the
 * status must be AW_ETIMEDOUT exactly when the limit passed first; and the
 * fetches that answered in time must keep their values, in their slots.
 */
#include "check.h"

#include <stdio.h>

int fetch_within(long n, double limit, intptr_t *results);

enum { MAX_FETCHES = 16 };

static double delays[MAX_FETCHES];

static intptr_t value_of(long i)
{
    return 500 + 3 * (intptr_t)i;
}

/* The service: item i takes delays[i] seconds and its value is 500 + 3i. */
int fetch(long i, intptr_t *value)
{
    if (i < 0 || i >= MAX_FETCHES)
        return aw_raise(AW_EINVAL, "fetch(%ld): no such item", i);
    int status = aw_sleep(delays[i]);
    if (status != AW_OK)
        return status;
    *value = value_of(i);
    return AW_OK;
}

typedef struct gather_case {
    long n;
    double limit;
    intptr_t results[MAX_FETCHES];
} gather_case;

static int drive(void *arg)
{
    gather_case *c = arg;
    return fetch_within(c->n, c->limit, c->results);
}

/* The status, by name, for messages. */
static const char *status_name(int status)
{
    static char other[40];
    switch (status) {
    case AW_OK: return "AW_OK";
    case AW_ETIMEDOUT: return "AW_ETIMEDOUT";
    case AW_ECANCELLED: return "AW_ECANCELLED";
    case AW_ESTATE: return "AW_ESTATE";
    default:
        snprintf(other, sizeof other, "%d (%s)", status, aw_strerror(status));
        return other;
    }
}

static void judge_status(const gather_case *c, int status, double slowest, long in_time)
{
    bool expires = c->limit < slowest;
    double took = check_elapsed();
    int want = expires ? AW_ETIMEDOUT : AW_OK;
    if (status == want)
        return;
    if (status == AW_ECANCELLED && expires)
        check_fail("fetch_within returned AW_ECANCELLED at %s. Inside the scope the deadline "
                   "shows as a cancellation; aw_timeout_end(&scope, status) turns it into "
                   "AW_ETIMEDOUT -- is the gather's status what you pass to it, and what you "
                   "return?", check_seconds(took));
    else if (status == AW_ESTATE)
        check_fail("fetch_within returned AW_ESTATE (%s): every aw_timeout_begin() needs its "
                   "aw_timeout_end(), in the same function, before it returns",
                   aw_last_error() ? aw_last_error()->message : "timeout scopes out of order");
    else if (expires && status == AW_OK && check_near(took, slowest))
        check_fail("the limit was %s, but fetch_within waited %s, for the slowest fetch, and "
                   "returned AW_OK: the deadline never applied. Is the gather between "
                   "aw_timeout_begin() and aw_timeout_end()?",
                   check_seconds(c->limit), check_seconds(took));
    else
        check_fail("with %ld fetches, the slowest taking %s, and a limit of %s, %ld answer in "
                   "time and fetch_within should return %s; yours returned %s after %s",
                   c->n, check_seconds(slowest), check_seconds(c->limit), in_time,
                   status_name(want), status_name(status), check_seconds(took));
}

static void judge_tasks(const gather_case *c, double slowest)
{
    double want_end = c->limit < slowest ? c->limit : slowest;
    double took = check_elapsed();
    for (long i = 0; i < c->n; i++) {
        char name[32];
        snprintf(name, sizeof name, "fetch-%ld", i);
        check_task_info t = check_task(name);
        bool in_time = delays[i] < c->limit;
        if (t.outcome == CHECK_RUNNING) {
            check_fail("%s (%s) was still running when fetch_within returned at %s: a timed-"
                       "out gather cancels the unfinished fetches and waits for them -- but "
                       "only if the gather itself is what the deadline interrupts",
                       name, check_seconds(delays[i]), check_seconds(took));
            return;
        }
        if (in_time && t.outcome != CHECK_OK) {
            check_fail("%s needs %s, within the limit of %s, so it should answer; yours "
                       "ended %s at %s", name, check_seconds(delays[i]),
                       check_seconds(c->limit),
                       t.outcome == CHECK_CANCELLED ? "cancelled" : "with an error",
                       check_seconds(t.ended_s));
            return;
        }
        if (!in_time && t.outcome != CHECK_CANCELLED) {
            check_fail("%s needs %s, longer than the limit of %s, so the deadline should "
                       "cancel it at %s; yours ended %s at %s", name,
                       check_seconds(delays[i]), check_seconds(c->limit),
                       check_seconds(c->limit), t.outcome == CHECK_OK ? "ok" : "with an error",
                       check_seconds(t.ended_s));
            return;
        }
    }
    if (!check_near(took, want_end))
        check_fail("fetch_within should return at %s (%s); yours returned at %s",
                   check_seconds(want_end),
                   c->limit < slowest ? "the limit" : "when the slowest fetch answered",
                   check_seconds(took));
}

static void judge_results(const gather_case *c)
{
    for (long i = 0; i < c->n; i++) {
        bool in_time = delays[i] < c->limit;
        intptr_t want = in_time ? value_of(i) : -1;
        if (c->results[i] == want)
            continue;
        if (in_time)
            check_fail("results[%ld] holds %ld, but fetch-%ld answered at %s, before the "
                       "deadline, with %ld: the fetches that finished keep their values, "
                       "even when the gather timed out", i, (long)c->results[i], i,
                       check_seconds(delays[i]), (long)want);
        else
            check_fail("results[%ld] holds %ld, but fetch-%ld was cancelled at the deadline "
                       "and has no value: its slot should hold -1", i, (long)c->results[i], i);
        return;
    }
}

static void run_case(long n, double limit, const double *delay)
{
    gather_case c = {.n = n, .limit = limit};
    double slowest = 0;
    long in_time = 0;
    for (long i = 0; i < n; i++) {
        delays[i] = delay[i];
        c.results[i] = 12345; /* neither a value nor -1 */
        slowest = delays[i] > slowest ? delays[i] : slowest;
        in_time += delays[i] < limit;
    }
    check_case("%ld fetches, the slowest %s, limit %s", n, check_seconds(slowest),
               check_seconds(limit));
    int status = check_run(drive, &c, slowest + 1);
    if (!check_failed() && check_near(check_elapsed(), 0))
        check_fail("fetch_within returned at once, before any fetch had answered: gather "
                   "the tasks (inside the scope) before you read their results");
    if (!check_failed())
        judge_status(&c, status, slowest, in_time);
    if (!check_failed())
        judge_tasks(&c, slowest);
    if (!check_failed())
        judge_results(&c);
    check_case_end();
}

void exercise_check(void)
{
    static const double climbing[] = {0.15, 0.3, 0.45, 0.6, 0.75, 0.9};
    run_case(6, 0.5, climbing);

    static const double all_in_time[] = {0.2, 0.7, 0.4, 0.55};
    run_case(4, 1.0, all_in_time);

    static const double shuffled[] = {0.1, 0.8, 0.5, 0.2, 0.9, 0.6, 0.3, 1.0, 0.7};
    run_case(9, 0.35, shuffled);

    static const double none_in_time[] = {0.4, 0.25, 0.6};
    run_case(3, 0.125, none_in_time);
}
