/*
 * Check of semaphore_per_task: every request through one shared
 * Semaphore(limit), so the server answers 200 to all of them.
 *
 * The server serves `limit` requests at a time -- a different limit in
 * each case -- and answers 429 to any request that arrives while it is
 * full; either answer takes one round trip.  The world counts the 200s and
 * the 429s and the most requests it had in hand at once.  The check
 * judges: no 429 at all, every code in its slot, and the time -- waves of
 * `limit` requests, one round trip each: ceil(n / limit) round trips.
 */
#include "check.h"

#include <string.h>

int send_all(long n, long limit, int *codes);

enum { MAX_REQUESTS = 32 };

static struct {
    long n, limit;
    double round_trip_s;
    long busy, most_busy;      /* requests being served: now, at most */
    long in_flight, most_in_flight; /* sent and not answered          */
    long ok, refused;
    int codes[MAX_REQUESTS];
    int answer[MAX_REQUESTS];  /* what the server answered each       */
} world;

/* The server decides when a request arrives: a free slot serves it, none
 * refuses it.  Either answer takes one round trip. */
int send_request(long i, intptr_t *http_status)
{
    if (i < 0 || i >= world.n)
        return aw_raise(AW_EINVAL, "send_request(%ld): there are only requests 0 .. %ld", i,
                        world.n - 1);
    bool accepted = world.busy < world.limit;
    if (accepted && ++world.busy > world.most_busy)
        world.most_busy = world.busy;
    if (++world.in_flight > world.most_in_flight)
        world.most_in_flight = world.in_flight;
    int status = aw_sleep(world.round_trip_s);
    world.in_flight--;
    if (accepted)
        world.busy--;
    if (status != AW_OK)
        return status;
    world.answer[i] = accepted ? 200 : 429;
    accepted ? world.ok++ : world.refused++;
    *http_status = world.answer[i];
    return AW_OK;
}

static int drive(void *arg)
{
    (void)arg;
    return send_all(world.n, world.limit, world.codes);
}

static void judge(int status)
{
    if (status != AW_OK) {
        check_fail("send_all returned %d (%s); every request gets an answer here, so it "
                   "should return AW_OK", status, aw_strerror(status));
        return;
    }
    if (world.ok + world.refused != world.n) {
        check_fail("%ld requests should reach the server once each; it saw %ld", world.n,
                   world.ok + world.refused);
        return;
    }
    if (world.refused > 0) {
        long permits = check_resource_peak("semaphore", "requests");
        check_fail("the server serves %ld at a time and answered 429 to %ld of your %ld "
                   "requests: you had %ld in flight at once.%s", world.limit, world.refused,
                   world.n, world.most_in_flight,
                   permits == 1 && world.limit > 1
                       ? " Yet no semaphore named 'requests' ever had more than 1 of its "
                         "permits taken: each request took its permit from a semaphore of "
                         "its own, which nobody else was waiting on. How many semaphores "
                         "does your program make?"
                       : "");
        return;
    }
    long waves = (world.n + world.limit - 1) / world.limit;
    double best = (double)waves * world.round_trip_s, took = check_elapsed();
    if (!check_near(took, best)) {
        check_fail("every request got a 200, but %ld requests, %ld at a time, take %ld "
                   "round trip%s of %s: %s. Yours took %s, with at most %ld at once -- a "
                   "permit should go to the next request as soon as an answer comes back",
                   world.n, world.limit, waves, waves == 1 ? "" : "s",
                   check_seconds(world.round_trip_s), check_seconds(best),
                   check_seconds(took), world.most_in_flight);
        return;
    }
    for (long i = 0; i < world.n; i++)
        if (world.codes[i] != world.answer[i]) {
            check_fail("codes[%ld] is %d, but request %ld was answered %d", i,
                       world.codes[i], i, world.answer[i]);
            return;
        }
}

static void run_case(long n, long limit, double round_trip_s)
{
    memset(&world, 0, sizeof world);
    world.n = n;
    world.limit = limit;
    world.round_trip_s = round_trip_s;
    check_case("%ld requests, the server takes %ld at a time, %s each", n, limit,
               check_seconds(round_trip_s));
    int status = check_run(drive, NULL, 2 * (double)n * round_trip_s + 1);
    if (!check_failed())
        judge(status);
    check_case_end();
}

void exercise_check(void)
{
    run_case(12, 3, 0.1);
    run_case(20, 5, 0.05);
    run_case(7, 2, 0.3);
}
