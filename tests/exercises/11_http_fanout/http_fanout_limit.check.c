/*
 * Check of http_fanout_limit: a bounded fan-out with failures as values.
 *
 * The check is the service: http_get() sleeps each URL's own delay and
 * answers its status (200, 404, 500...), or refuses the connection.  Like
 * the lab server's /stats, it counts from its own side the most requests
 * it had in flight at once: that must be the limit, exactly.  With the
 * semaphore FIFO and every task queued at once, the batch takes a known
 * time (simulated below), the outcomes are known per URL, and a permit
 * that a failure path forgets to give back shows as a slower batch or a
 * deadlock.
 */
#include "check.h"

#include <stdio.h>
#include <string.h>

int fetch_all(const char *const *urls, long n, long limit, int *outcomes);

enum { MAX_URLS = 32, REFUSED = 0 };

/* One URL of the service: how long it takes and what it answers. */
typedef struct route {
    double delay;
    int status;     /* the answer's status, or REFUSED: no answer at all */
} route;

static struct {
    long n;
    char urls[MAX_URLS][64];
    route routes[MAX_URLS];
    int calls[MAX_URLS];
    int open, peak_open;       /* requests in flight, as the service sees them */
    int outcomes[MAX_URLS];
} world;

int http_get(const char *url, int *status)
{
    long i = 0;
    while (i < world.n && strcmp(world.urls[i], url ? url : "") != 0)
        i++;
    if (i == world.n)
        return aw_raise(AW_ECONNECT, "could not resolve host for %s", url ? url : "(null)");
    world.calls[i]++;
    if (++world.open > world.peak_open)
        world.peak_open = world.open;
    int result = aw_sleep(world.routes[i].delay);
    world.open--;
    if (result != AW_OK)
        return result;
    if (world.routes[i].status == REFUSED)
        return aw_raise(AW_ECONNECT, "connection refused: %s", url);
    *status = world.routes[i].status;
    return AW_OK;
}

/*
 * Permits of the semaphore `name` still taken at the end of the run, from
 * its last "resource" event in the trace (-1 if it never appeared): a
 * question check.h does not ask.
 */
static long permits_taken_at_end(const char *name)
{
    size_t n;
    const aw_trace_event *e = aw_trace_events(&n);
    long level = -1;
    for (size_t i = 0; i < n; i++)
        if (e[i].kind == AW_EV_RESOURCE && e[i].text && strcmp(e[i].text, "semaphore") == 0 &&
            e[i].name && strcmp(e[i].name, name) == 0)
            level = (long)e[i].value;
    return level;
}

static int drive(void *arg)
{
    (void)arg;
    const char *urls[MAX_URLS];
    for (long i = 0; i < world.n; i++)
        urls[i] = world.urls[i];
    return fetch_all(urls, world.n, *(long *)arg, world.outcomes);
}

/* What outcomes[i] must hold for a route. */
static int expected_outcome(const route *r)
{
    return r->status == REFUSED ? AW_ECONNECT : r->status >= 400 ? AW_EHTTP : r->status;
}

static const char *describe(const route *r)
{
    static char text[64];
    if (r->status == REFUSED)
        return "refuses the connection";
    snprintf(text, sizeof text, "answers %d", r->status);
    return text;
}

/* The batch's time with a FIFO semaphore of `limit`: each request takes
 * the permit that frees first. */
static double fifo_time(long limit)
{
    double free_at[MAX_URLS] = {0}, end = 0;
    long slots = limit < world.n ? limit : world.n;
    for (long i = 0; i < world.n; i++) {
        long first = 0;
        for (long s = 1; s < slots; s++)
            if (free_at[s] < free_at[first])
                first = s;
        free_at[first] += world.routes[i].delay;
        if (free_at[first] > end)
            end = free_at[first];
    }
    return end;
}

static void run_case(const char *title, long n, long limit, const route *routes)
{
    world.n = n;
    world.open = world.peak_open = 0;
    for (long i = 0; i < n; i++) {
        snprintf(world.urls[i], sizeof world.urls[i], "https://api.example/items/%ld",
                 40 + 7 * i);
        world.routes[i] = routes[i];
        world.calls[i] = 0;
        world.outcomes[i] = 12345;
    }
    long expected_peak = limit < n ? limit : n;
    double expected = fifo_time(limit);

    check_case("%s", title);
    int status = check_run(drive, &limit, 60.0);
    if (check_failed()) {
        if (status != AW_OK && permits_taken_at_end("in_flight") > 0)
            check_fail("(tasks left waiting for a permit that nobody gives back: does get() "
                       "release in_flight on every path, when http_get() fails too?)");
        goto done;
    }
    int spawned = check_count("get-", CHECK_ANY);
    if (spawned != n) {
        check_fail("%ld URLs should give %ld tasks named get-0 .. get-%ld; your run spawned %d",
                   n, n, n - 1, spawned);
        goto done;
    }
    char running[400];
    int left = check_left_running(running, sizeof running);
    if (left > 0) {
        check_fail("fetch_all returned at %s while %d request%s still running (%s): gather "
                   "every task, with AW_RETURN_EXCEPTIONS, so that a failure does not end "
                   "the wait", check_seconds(check_elapsed()), left, left == 1 ? " was" : "s were",
                   running);
        goto done;
    }
    if (status != AW_OK) {
        check_fail("fetch_all returned %d (%s); failures are values here (they go in "
                   "outcomes), so it should return AW_OK", status, aw_strerror(status));
        goto done;
    }
    for (long i = 0; i < n && !check_failed(); i++)
        if (world.calls[i] != 1)
            check_fail("%s was requested %d times; each URL once", world.urls[i],
                       world.calls[i]);
    if (check_failed())
        goto done;
    if (world.peak_open > limit) {
        check_fail("the service saw %d requests in flight at once; the limit is %ld. Does "
                   "every request hold a permit of in_flight (initialised with limit) for "
                   "as long as http_get() runs?", world.peak_open, limit);
        goto done;
    }
    if (world.peak_open < expected_peak) {
        check_fail("the service never saw more than %d request%s at once, with %ld URLs and "
                   "a limit of %ld: the requests should run %ld at a time", world.peak_open,
                   world.peak_open == 1 ? "" : "s", n, limit, expected_peak);
        goto done;
    }
    long leaked = permits_taken_at_end("in_flight");
    if (leaked > 0 && check_near(check_elapsed(), expected)) {
        check_fail("%ld permit%s of in_flight %s never given back. Harmless here, with more "
                   "permits than URLs, but in a longer batch each lost permit is one request "
                   "fewer in flight, until none is left. Which path of get() returns without "
                   "aw_sem_release()?", leaked, leaked == 1 ? "" : "s",
                   leaked == 1 ? "was" : "were");
        goto done;
    }
    if (leaked > 0) {
        check_fail("%ld permit%s of in_flight %s never given back, so the rest of the batch "
                   "ran with fewer requests in flight and took %s instead of %s. Which path "
                   "of get() returns without aw_sem_release()?", leaked,
                   leaked == 1 ? "" : "s", leaked == 1 ? "was" : "were",
                   check_seconds(check_elapsed()), check_seconds(expected));
        goto done;
    }
    if (check_elapsed() > expected + 1e-6) {
        check_fail("the batch took %s; %ld at a time, it takes %s. Is each permit given back "
                   "as soon as http_get() returns, before anything else?",
                   check_seconds(check_elapsed()), limit, check_seconds(expected));
        goto done;
    }
    for (long i = 0; i < n && !check_failed(); i++) {
        int want = expected_outcome(&world.routes[i]);
        if (world.outcomes[i] != want)
            check_fail("outcomes[%ld] is %d; %s %s, so it should be %d (%s)%s", i,
                       world.outcomes[i], world.urls[i], describe(&world.routes[i]), want,
                       want < 0 ? aw_strerror(want) : "its status",
                       world.routes[i].status >= 400 && world.outcomes[i] == world.routes[i].status
                           ? ": a status of 400 or more is an error (raise_for_status)"
                           : "");
    }
    if (!check_failed() && !check_near(check_elapsed(), expected))
        check_fail("the batch took %s; %ld at a time, it takes %s",
                   check_seconds(check_elapsed()), limit, check_seconds(expected));
done:
    check_case_end();
}

void exercise_check(void)
{
    route ok[12];
    for (int i = 0; i < 12; i++)
        ok[i] = (route){0.2 + 0.1 * (i % 3), 200};
    run_case("12 URLs, 3 at a time, all answer 200", 12, 3, ok);

    route mixed[15];
    for (int i = 0; i < 15; i++)
        mixed[i] = (route){0.25, 200};
    mixed[0] = (route){0.02, REFUSED};
    mixed[2] = (route){0.02, REFUSED};
    mixed[3] = (route){0.1, 500};
    mixed[6] = (route){0.3, 404};
    mixed[9] = (route){0.15, 503};
    mixed[11] = (route){0.4, 201};
    run_case("15 URLs, 4 at a time, with 500s, a 404 and refused connections", 15, 4, mixed);

    route few[5];
    for (int i = 0; i < 5; i++)
        few[i] = (route){0.1 * (i + 1), i == 4 ? 500 : 200};
    run_case("5 URLs and a limit of 8", 5, 8, few);
}
