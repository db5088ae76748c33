/*
 * Check of http_one_session: one session, its connections reused.
 *
 * The check provides the session (a simulated aiohttp.ClientSession) and
 * the service behind it.  A session keeps its idle connections; a request
 * takes one, or opens a new connection, which costs a handshake of virtual
 * time and is counted by the service.  With one session shared by every
 * request, `limit` at a time, the first `limit` requests open a connection
 * each and every later one reuses a connection given back just before its
 * permit: exactly min(n, limit) handshakes, and a known batch time.  The
 * check also counts the sessions made, and those never freed (sessions come
 * from a static pool, so a forgotten one is reported here, not as a leak).
 */
#include "check.h"

#include <stdio.h>
#include <string.h>

int fetch_all(const char *const *urls, long n, long limit, int *outcomes);

enum { MAX_URLS = 32, MAX_SESSIONS = 64 };

typedef struct http_session {
    bool open;
    int idle;                  /* connections in the pool, ready for reuse */
} http_session;

static struct {
    long n;
    double handshake;          /* seconds to open a connection           */
    double delay[MAX_URLS];
    int status[MAX_URLS];
    char urls[MAX_URLS][64];
    int outcomes[MAX_URLS];
    http_session sessions[MAX_SESSIONS];
    int sessions_made, sessions_freed, connections, open, peak_open, bad_calls;
} world;

http_session *http_session_new(void)
{
    if (world.sessions_made == MAX_SESSIONS)
        return NULL;
    http_session *s = &world.sessions[world.sessions_made++];
    *s = (http_session){.open = true};
    return s;
}

void http_session_free(http_session *session)
{
    if (!session)
        return;
    if (session->open)
        world.sessions_freed++;
    session->open = false;
    session->idle = 0;          /* closes the pooled connections */
}

int http_session_get(http_session *session, const char *url, int *status)
{
    if (!session || !session->open) {
        world.bad_calls++;
        return aw_raise(AW_EINVAL, "http_session_get(%s): the session is %s", url,
                        session ? "closed" : "NULL");
    }
    long i = 0;
    while (i < world.n && strcmp(world.urls[i], url ? url : "") != 0)
        i++;
    if (i == world.n)
        return aw_raise(AW_ECONNECT, "could not resolve host for %s", url ? url : "(null)");
    int result = AW_OK;
    if (session->idle > 0) {
        session->idle--;
    } else {
        world.connections++;
        result = aw_sleep(world.handshake);
    }
    if (result == AW_OK) {
        if (++world.open > world.peak_open)
            world.peak_open = world.open;
        result = aw_sleep(world.delay[i]);
        world.open--;
    }
    if (result != AW_OK)
        return result;          /* a cut-off connection is closed, not pooled */
    if (session->open)
        session->idle++;
    *status = world.status[i];
    return AW_OK;
}

static int drive(void *arg)
{
    const char *urls[MAX_URLS];
    for (long i = 0; i < world.n; i++)
        urls[i] = world.urls[i];
    return fetch_all(urls, world.n, *(long *)arg, world.outcomes);
}

/* One session, FIFO permits: the first `limit` requests pay a handshake. */
static double expected_time(long limit)
{
    double free_at[MAX_URLS] = {0}, end = 0;
    long slots = limit < world.n ? limit : world.n;
    for (long i = 0; i < world.n; i++) {
        long first = 0;
        for (long s = 1; s < slots; s++)
            if (free_at[s] < free_at[first])
                first = s;
        free_at[first] += world.delay[i] + (i < slots ? world.handshake : 0);
        if (free_at[first] > end)
            end = free_at[first];
    }
    return end;
}

static void run_case(long n, long limit, double delay, double handshake)
{
    world.n = n;
    world.handshake = handshake;
    world.sessions_made = world.sessions_freed = world.connections = 0;
    world.open = world.peak_open = world.bad_calls = 0;
    for (long i = 0; i < n; i++) {
        snprintf(world.urls[i], sizeof world.urls[i], "https://api.example/users/%ld", 9 + 5 * i);
        world.delay[i] = delay + 0.05 * (double)(i % 3);
        world.status[i] = i % 7 == 6 ? 500 : 200;
        world.outcomes[i] = 12345;
    }
    long expected_connections = limit < n ? limit : n;
    double expected = expected_time(limit);

    check_case("%ld URLs, %ld at a time, handshakes of %s", n, limit, check_seconds(handshake));
    int status = check_run(drive, &limit, 60.0);
    if (check_failed())
        goto done;
    if (status != AW_OK) {
        check_fail("fetch_all returned %d (%s); it should return AW_OK once every request "
                   "has finished", status, aw_strerror(status));
        goto done;
    }
    if (world.bad_calls > 0) {
        check_fail("%d request%s used a session that was already freed (or NULL): free the "
                   "session only once every request is done", world.bad_calls,
                   world.bad_calls == 1 ? "" : "s");
        goto done;
    }
    if (world.connections > expected_connections) {
        check_fail("the service counted %d handshakes for %ld requests, %ld at a time, through "
                   "%d session%s: each session has a pool of its own, so a request in a "
                   "fresh session can never reuse a connection. Make one session for the "
                   "whole batch, and share it.", world.connections, n, limit,
                   world.sessions_made, world.sessions_made == 1 ? "" : "s");
        check_fail("(%ld connections would do; the batch took %s where %s is enough.)",
                   expected_connections, check_seconds(check_elapsed()), check_seconds(expected));
        goto done;
    }
    if (world.sessions_made != 1) {
        check_fail("your run made %d sessions; one, shared by every request, is what a "
                   "session is for", world.sessions_made);
        goto done;
    }
    if (world.sessions_freed != 1) {
        check_fail("the session was never freed: call http_session_free() once every request "
                   "is done (await session.close())");
        goto done;
    }
    if (world.peak_open > limit) {
        check_fail("the service saw %d requests in flight at once; the limit is %ld",
                   world.peak_open, limit);
        goto done;
    }
    for (long i = 0; i < n && !check_failed(); i++) {
        int want = world.status[i] >= 400 ? AW_EHTTP : world.status[i];
        if (world.outcomes[i] != want)
            check_fail("outcomes[%ld] is %d; %s answers %d, so it should be %d", i,
                       world.outcomes[i], world.urls[i], world.status[i], want);
    }
    if (!check_failed() && !check_near(check_elapsed(), expected))
        check_fail("the batch took %s; with %ld connections opened once and reused, it takes %s",
                   check_seconds(check_elapsed()), expected_connections, check_seconds(expected));
done:
    check_case_end();
}

void exercise_check(void)
{
    run_case(20, 4, 0.2, 0.1);
    run_case(9, 3, 0.1, 0.25);
    run_case(6, 10, 0.3, 0.15);
}
