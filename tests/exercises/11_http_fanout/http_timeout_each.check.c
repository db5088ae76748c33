/*
 * Check of http_timeout_each: a timeout per request, not around the batch.
 *
 * The check is the service: http_get() sleeps each URL's delay -- "for
 * ever" for the URLs that hang -- and answers its status.  It notes when
 * each request was sent.  With a FIFO semaphore and every task queued at
 * once, a per-request deadline that starts when the request is sent gives
 * a known schedule (simulated below): every request that the service
 * answers in time succeeds, every hanging one fails alone with
 * AW_ETIMEDOUT.  The cases queue requests for longer than the timeout, so
 * a deadline that also counts the wait for a permit fails requests the
 * service would have answered in time.
 */
#include "check.h"

#include <stdio.h>
#include <string.h>

int fetch_all(const char *const *urls, long n, long limit, double timeout, int *outcomes);

enum { MAX_URLS = 32 };
static const double FOREVER = 1000.0; /* how long a hanging URL takes */

typedef struct route {
    double delay;
    int status;
} route;

static struct {
    long n, limit;
    double timeout;
    char urls[MAX_URLS][64];
    route routes[MAX_URLS];
    double sent_at[MAX_URLS];  /* when http_get() was called, or -1     */
    bool answered[MAX_URLS];
    int open, peak_open;
    int outcomes[MAX_URLS];
    double expected_start[MAX_URLS];
} world;

int http_get(const char *url, int *status)
{
    long i = 0;
    while (i < world.n && strcmp(world.urls[i], url ? url : "") != 0)
        i++;
    if (i == world.n)
        return aw_raise(AW_ECONNECT, "could not resolve host for %s", url ? url : "(null)");
    if (world.sent_at[i] < 0)
        world.sent_at[i] = aw_now();
    if (++world.open > world.peak_open)
        world.peak_open = world.open;
    int result = aw_sleep(world.routes[i].delay);
    world.open--;
    if (result != AW_OK)
        return result;
    world.answered[i] = true;
    *status = world.routes[i].status;
    return AW_OK;
}

static bool hangs(long i)
{
    return world.routes[i].delay > world.timeout;
}

static int expected_outcome(long i)
{
    return hangs(i) ? AW_ETIMEDOUT : world.routes[i].status >= 400 ? AW_EHTTP
                                                                    : world.routes[i].status;
}

/* The schedule with a FIFO semaphore and a deadline per request that starts
 * when it is sent: request i takes min(delay, timeout).  Returns the end. */
static double simulate(void)
{
    double free_at[MAX_URLS] = {0}, end = 0;
    long slots = world.limit < world.n ? world.limit : world.n;
    for (long i = 0; i < world.n; i++) {
        long first = 0;
        for (long s = 1; s < slots; s++)
            if (free_at[s] < free_at[first])
                first = s;
        world.expected_start[i] = free_at[first];
        free_at[first] += hangs(i) ? world.timeout : world.routes[i].delay;
        if (free_at[first] > end)
            end = free_at[first];
    }
    return end;
}

static int drive(void *arg)
{
    (void)arg;
    const char *urls[MAX_URLS];
    for (long i = 0; i < world.n; i++)
        urls[i] = world.urls[i];
    return fetch_all(urls, world.n, world.limit, world.timeout, world.outcomes);
}

/* The first URL that hangs, or -1. */
static long first_hanging(void)
{
    for (long i = 0; i < world.n; i++)
        if (hangs(i))
            return i;
    return -1;
}

static void batch_failed(int status)
{
    int answered = 0, sent = 0;
    for (long i = 0; i < world.n; i++) {
        answered += world.answered[i];
        sent += world.sent_at[i] >= 0;
    }
    long slow = first_hanging();
    int hanging = 0;
    for (long i = 0; i < world.n; i++)
        hanging += hangs(i);
    check_fail("fetch_all returned %d (%s) at %s, for the whole batch: by then %d of the %ld "
               "requests had answered, %d were cut off while the service was working on "
               "them, and %ld had not even been sent (they were queueing for a permit).",
               status, aw_strerror(status), check_seconds(check_elapsed()), answered, world.n,
               sent - answered, world.n - sent);
    if (hanging == 1)
        check_fail("Only %s hangs. A deadline around the whole gather ends everything still "
                   "running; give each request its own deadline instead, in get().",
                   world.urls[slow]);
    else if (hanging > 1)
        check_fail("Only %d of the %ld URLs hang. A deadline around the whole gather ends "
                   "everything still running; give each request its own deadline instead, "
                   "in get().", hanging, world.n);
    else
        check_fail("No URL is slow here: the service answers each in time, but %ld requests "
                   "%ld at a time take longer than one request's timeout. Give each request "
                   "its own deadline instead, in get().", world.n, world.limit);
}

static void outcome_wrong(long i)
{
    int got = world.outcomes[i], want = expected_outcome(i);
    if (hangs(i)) {
        check_fail("outcomes[%ld] is %d (%s); %s never answers, so its own deadline should end "
                   "it with AW_ETIMEDOUT (%d) after %s", i, got, got < 0 ? aw_strerror(got) : "a status",
                   world.urls[i], AW_ETIMEDOUT, check_seconds(world.timeout));
        return;
    }
    if (got == AW_ETIMEDOUT) {
        if (world.sent_at[i] < 0)
            check_fail("outcomes[%ld] is %d (timed out), but %s was never even sent: it queued "
                       "for a permit until its deadline passed. The service answers it in %s; "
                       "a request's deadline should start when it is sent -- around http_get(), "
                       "inside the permit.", i, got, world.urls[i],
                       check_seconds(world.routes[i].delay));
        else
            check_fail("outcomes[%ld] is %d (timed out), but the service answers %s in %s. "
                       "get-%ld was sent at %s, after queueing that long for a permit, and your "
                       "deadline counted the wait: it should start when the request is sent -- "
                       "around http_get(), inside the permit.", i, got, world.urls[i],
                       check_seconds(world.routes[i].delay), i,
                       check_seconds(world.sent_at[i]));
        return;
    }
    if (got == AW_ECANCELLED) {
        check_fail("outcomes[%ld] is %d (cancelled), but the service answers %s in %s: get-%ld "
                   "was cancelled before its answer came -- by a deadline around the whole "
                   "batch? Give each request a deadline of its own.", i, got, world.urls[i],
                   check_seconds(world.routes[i].delay), i);
        return;
    }
    check_fail("outcomes[%ld] is %d; %s answers %d, so it should be %d (%s)", i, got,
               world.urls[i], world.routes[i].status, want,
               want < 0 ? aw_strerror(want) : "its status");
}

static void run_case(long n, long limit, double timeout, const route *routes)
{
    world.n = n;
    world.limit = limit;
    world.timeout = timeout;
    world.open = world.peak_open = 0;
    int hanging = 0;
    for (long i = 0; i < n; i++) {
        snprintf(world.urls[i], sizeof world.urls[i], "https://api.example/report/%ld",
                 300 + 11 * i);
        world.routes[i] = routes[i];
        world.sent_at[i] = -1;
        world.answered[i] = false;
        world.outcomes[i] = 12345;
        hanging += hangs(i);
    }
    double expected = simulate();

    if (hanging)
        check_case("%ld URLs, %ld at a time, timeout %s, %d hang%s", n, limit,
                   check_seconds(timeout), hanging, hanging == 1 ? "s" : "");
    else
        check_case("%ld URLs, %ld at a time, timeout %s, none slow", n, limit,
                   check_seconds(timeout));
    int status = check_run(drive, NULL, 60.0);
    if (check_failed())
        goto done;
    if (status != AW_OK) {
        batch_failed(status);
        goto done;
    }
    if (world.peak_open > limit) {
        check_fail("the service saw %d requests in flight at once; the limit is %ld",
                   world.peak_open, limit);
        goto done;
    }
    for (long i = 0; i < n && !check_failed(); i++)
        if (world.outcomes[i] != expected_outcome(i))
            outcome_wrong(i);
    for (long i = 0; i < n && !check_failed(); i++) {
        if (!hangs(i))
            continue;
        char name[32];
        snprintf(name, sizeof name, "get-%ld", i);
        check_task_info t = check_task(name);
        if (t.outcome == CHECK_CANCELLED)
            check_fail("%s ended cancelled; with a deadline of its own it ends with the error "
                       "AW_ETIMEDOUT, which says which request it was", name);
        else if (t.outcome != CHECK_ERROR || t.code != AW_ETIMEDOUT)
            check_fail("%s should end with the error AW_ETIMEDOUT (%s never answers); it "
                       "ended %s", name, world.urls[i],
                       t.outcome == CHECK_OK ? "with a value" : "some other way");
    }
    if (!check_failed() && !check_near(check_elapsed(), expected))
        check_fail("the batch took %s; %ld at a time, each request cut off after %s at most, "
                   "it takes %s", check_seconds(check_elapsed()), limit, check_seconds(timeout),
                   check_seconds(expected));
done:
    check_case_end();
}

void exercise_check(void)
{
    route one_hangs[12];
    for (int i = 0; i < 12; i++)
        one_hangs[i] = (route){0.3, 200};
    one_hangs[1].delay = FOREVER;
    one_hangs[5].status = 500;
    run_case(12, 3, 1.0, one_hangs);

    route two_hang[8];
    for (int i = 0; i < 8; i++)
        two_hang[i] = (route){0.4, 200};
    two_hang[0].delay = FOREVER;
    two_hang[5].delay = FOREVER;
    run_case(8, 2, 0.5, two_hang);

    route none_slow[10];
    for (int i = 0; i < 10; i++)
        none_slow[i] = (route){0.15 + 0.05 * (i % 3), i == 7 ? 503 : 200};
    run_case(10, 2, 0.5, none_slow);
}
