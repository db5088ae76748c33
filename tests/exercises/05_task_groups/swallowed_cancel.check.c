/*
 * Check of swallowed_cancel: a fetch with retries ends cancelled when it is
 * cancelled -- by a sibling's failure, or by the caller's deadline -- and
 * still retries real hiccups and falls back to the cache when it must.
 *
 * Each item has a script: how long an attempt takes, how many attempts hit
 * a hiccup before one answers, or whether the item does not exist.  The
 * world notes every call of fetch(), and the calls made by a task that had
 * already been cancelled.  The check then looks at how each task ended,
 * from the trace, and at results[].
 */
#include "check.h"

#include <stdio.h>

int load_all(long n, intptr_t *results);

enum { HICCUP = AW_EAPP, NOT_FOUND = AW_EAPP - 1 };
enum { MAX_ITEMS = 12, ALWAYS = 1000 };

/* The world of one case. */
static struct {
    long n;
    double attempt_s[MAX_ITEMS]; /* how long one attempt takes           */
    int hiccups[MAX_ITEMS];      /* attempts that hiccup before an answer */
    bool missing[MAX_ITEMS];     /* NOT_FOUND                            */
    double deadline;             /* the caller's, or AW_NEVER            */
    int calls[MAX_ITEMS];
    int calls_cancelled[MAX_ITEMS]; /* made after the task was cancelled */
} world;

static intptr_t value_of(long i)
{
    return 100 + (intptr_t)i;
}

intptr_t cached(long i)
{
    return 9000 + (intptr_t)i;
}

int fetch(long i, intptr_t *value)
{
    if (i < 0 || i >= world.n)
        return aw_raise(AW_EINVAL, "fetch(%ld): no such item", i);
    int attempt = world.calls[i]++;
    if (aw_cancelled())
        world.calls_cancelled[i]++;
    int status = aw_sleep(world.attempt_s[i]);
    if (status != AW_OK)
        return status;
    if (world.missing[i])
        return aw_raise(NOT_FOUND, "item-%ld: not found", i);
    if (attempt < world.hiccups[i])
        return aw_raise(HICCUP, "item-%ld: service unavailable", i);
    *value = value_of(i);
    return AW_OK;
}

typedef struct load_case {
    intptr_t results[MAX_ITEMS];
} load_case;

/* load_all(), under the caller's deadline if the case has one. */
static int drive(void *arg)
{
    load_case *c = arg;
    aw_timeout deadline;
    aw_timeout_begin(&deadline, world.deadline);
    int status = load_all(world.n, c->results);
    return aw_timeout_end(&deadline, status);
}

static const char *task_name(long i)
{
    static char name[4][32];
    static int next;
    char *b = name[next++ % 4];
    snprintf(b, sizeof name[0], "fetch-%ld", i);
    return b;
}

static const char *outcome_name(check_outcome o)
{
    switch (o) {
    case CHECK_OK: return "ok";
    case CHECK_ERROR: return "with an error";
    case CHECK_CANCELLED: return "cancelled";
    case CHECK_RUNNING: return "still running";
    default: return "never ran";
    }
}

/* " It called fetch() 2 more times after it was cancelled.", or "". */
static const char *after_cancel(long i)
{
    static char text[120];
    int k = world.calls_cancelled[i];
    text[0] = '\0';
    if (k > 0)
        snprintf(text, sizeof text, " After it was cancelled it still called fetch() %d "
                 "more time%s.", k, k == 1 ? ", which failed at once" : "s, each failing at once");
    return text;
}

/* A task the case cancels must end cancelled, and have no result. */
static bool judge_cancelled(long i, const char *why, const load_case *c)
{
    check_task_info t = check_task(task_name(i));
    if (t.outcome == CHECK_CANCELLED && world.calls_cancelled[i] == 0)
        return true;
    if (t.outcome == CHECK_CANCELLED) {
        int k = world.calls_cancelled[i];
        check_fail("%s ended cancelled, as it should -- but it was cancelled at %s, %s, and "
                   "after that it still called fetch() %d more time%s before it gave up. "
                   "Every wait of a cancelled task says AW_ECANCELLED, the pause between "
                   "attempts too: stop at the first one", task_name(i),
                   check_seconds(t.cancel_requested_s), why, k, k == 1 ? "" : "s");
        return false;
    }
    if (t.cancel_requested_s < 0) {
        check_fail("%s should have been cancelled %s, but nothing cancelled it; it ended %s "
                   "at %s", task_name(i), why, outcome_name(t.outcome),
                   check_seconds(t.ended_s));
        return false;
    }
    if (t.outcome == CHECK_OK)
        check_fail("%s was cancelled at %s, %s, but it ended ok at %s, and results[%ld] holds "
                   "%ld%s -- as if it had been fetched.%s A cancelled task must end "
                   "cancelled: which status told fetch_with_retry() it was cancelled, and "
                   "what did it do with it?", task_name(i),
                   check_seconds(t.cancel_requested_s), why, check_seconds(t.ended_s), i,
                   (long)c->results[i],
                   c->results[i] == cached(i) ? ", the cached copy" : "", after_cancel(i));
    else
        check_fail("%s was cancelled at %s, %s, but it ended %s at %s.%s A cancelled task "
                   "must end cancelled: pass AW_ECANCELLED on", task_name(i),
                   check_seconds(t.cancel_requested_s), why, outcome_name(t.outcome),
                   check_seconds(t.ended_s), after_cancel(i));
    return false;
}

/* A task the case lets finish must end ok with its value (or the cache). */
static bool judge_finished(long i, const load_case *c)
{
    check_task_info t = check_task(task_name(i));
    bool falls_back = world.hiccups[i] >= 3;
    intptr_t want = falls_back ? cached(i) : value_of(i);
    if (t.outcome != CHECK_OK) {
        check_fail("%s %s, and should end ok with %s; yours ended %s at %s after %d "
                   "attempt%s -- a hiccup is worth a retry", task_name(i),
                   falls_back ? "hiccups on every attempt"
                   : world.hiccups[i] > 0 ? "hiccups, then answers"
                                          : "answers at once",
                   falls_back ? "the cached copy" : "its value", outcome_name(t.outcome),
                   check_seconds(t.ended_s), world.calls[i], world.calls[i] == 1 ? "" : "s");
        return false;
    }
    if (c->results[i] != want) {
        check_fail("results[%ld] holds %ld; %s should give %ld (%s)", i, (long)c->results[i],
                   task_name(i), (long)want, falls_back ? "the cached copy" : "its value");
        return false;
    }
    return true;
}

typedef enum fate { FINISHES, FAILS, CANCELLED } fate;

static void run_case(const char *title, long n, const double *attempt_s, const int *hiccups,
                     long missing, double deadline, const fate *fates, int want_status,
                     const char *why)
{
    world.n = n;
    world.deadline = deadline;
    for (long i = 0; i < n; i++) {
        world.attempt_s[i] = attempt_s[i];
        world.hiccups[i] = hiccups[i];
        world.missing[i] = i == missing;
        world.calls[i] = world.calls_cancelled[i] = 0;
    }
    load_case c;
    for (long i = 0; i < n; i++)
        c.results[i] = 12345;
    check_case("%s", title);
    int status = check_run(drive, &c, 5);
    if (check_failed())
        goto done;
    /* A fetch that gave up on a hiccup is the root of what follows: its
     * error made the group cancel the others. */
    long root = -1;
    double root_at = 0;
    for (long i = 0; i < n; i++) {
        check_task_info t = check_task(task_name(i));
        if (t.outcome == CHECK_ERROR && t.code == HICCUP && (root < 0 || t.ended_s < root_at)) {
            root = i;
            root_at = t.ended_s;
        }
    }
    if (root >= 0) {
        check_fail("%s ended with a hiccup (service unavailable) at %s, after %d attempt%s, "
                   "and its error made the group cancel the others. A hiccup is worth a "
                   "retry: only a cancellation, or an item that does not exist, ends a "
                   "fetch at once", task_name(root), check_seconds(root_at), world.calls[root],
                   world.calls[root] == 1 ? "" : "s");
        goto done;
    }
    for (long i = 0; i < n; i++) {
        bool ok = fates[i] == CANCELLED ? judge_cancelled(i, why, &c)
                  : fates[i] == FINISHES ? judge_finished(i, &c)
                                         : true;
        if (!ok)
            goto done;
        if (fates[i] != FINISHES && c.results[i] != -1) {
            check_fail("results[%ld] holds %ld, but %s has no value: its slot should hold -1",
                       i, (long)c.results[i], task_name(i));
            goto done;
        }
    }
    if (status != want_status)
        check_fail("load_all() should end with %s; yours gave %d (%s)",
                   want_status == AW_EGROUP      ? "AW_EGROUP: an item does not exist"
                   : want_status == AW_ETIMEDOUT ? "AW_ECANCELLED, which the caller's "
                                                   "deadline makes AW_ETIMEDOUT"
                                                 : "AW_OK",
                   status, aw_strerror(status));
done:
    check_case_end();
}

void exercise_check(void)
{
    /* fetch-1 does not exist: found out at 0.3 s.  fetch-2 is in its second
     * attempt then, fetch-3 in its first. */
    static const double s1[] = {0.2, 0.3, 0.15, 0.5};
    static const int h1[] = {0, 0, 1, 0};
    static const fate f1[] = {FINISHES, FAILS, CANCELLED, CANCELLED};
    run_case("4 items, fetch-1 does not exist", 4, s1, h1, 1, AW_NEVER, f1, AW_EGROUP,
             "when fetch-1 failed for good (not found)");

    /* Hiccups only: retries and the cache, nothing cancelled. */
    static const double s2[] = {0.1, 0.25, 0.05, 0.2, 0.15};
    static const int h2[] = {2, 0, ALWAYS, 1, 0};
    static const fate f2[] = {FINISHES, FINISHES, FINISHES, FINISHES, FINISHES};
    run_case("5 items, hiccups and a service that is down", 5, s2, h2, -1, AW_NEVER, f2,
             AW_OK, "");

    /* The caller's deadline at 0.35 s: fetch-0 is done, the others are in
     * a pause or an attempt. */
    static const double s3[] = {0.3, 0.2, 0.4, 0.1, 0.12};
    static const int h3[] = {0, 1, 0, ALWAYS, 2};
    static const fate f3[] = {FINISHES, CANCELLED, CANCELLED, CANCELLED, CANCELLED};
    run_case("5 items, and the caller's deadline of 0.35 s", 5, s3, h3, -1, 0.35, f3,
             AW_ETIMEDOUT, "by the caller's deadline");
}
