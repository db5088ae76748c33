/*
 * Check of poll_is_set: every worker begins to serve the instant the
 * connection is up -- not before, and not a moment later.
 *
 * The time connecting takes is the check's, never a round number, so a
 * worker that looks at is_set() between sleeps wakes up measurably late.
 * The world notes when the connection came up and when each worker first
 * called serve().
 */
#include "check.h"

int run_service(long workers);

enum { MAX_WORKERS = 16 };

/* The world of one case. */
static struct {
    long workers;
    double connect_s, serve_s[MAX_WORKERS];
    double connected_at;             /* -1 until open_connection() returns */
    double served_at[MAX_WORKERS];   /* first serve(i), or -1              */
} world;

int open_connection(void)
{
    int status = aw_sleep(world.connect_s);
    if (status == AW_OK)
        world.connected_at = aw_now();
    return status;
}

int serve(long worker)
{
    if (worker < 0 || worker >= world.workers)
        return aw_raise(AW_EINVAL, "serve(%ld): there are only workers 0 .. %ld", worker,
                        world.workers - 1);
    if (world.served_at[worker] < 0)
        world.served_at[worker] = aw_now();
    if (world.connected_at < 0)
        return aw_raise(AW_EAPP, "worker-%ld: not connected", worker);
    return aw_sleep(world.serve_s[worker]);
}

static int drive(void *arg)
{
    (void)arg;
    return run_service(world.workers);
}

static void judge(int status, double longest)
{
    double up = world.connected_at;
    for (long i = 0; i < world.workers; i++) {
        double at = world.served_at[i];
        if (at >= 0 && (up < 0 || at < up - 1e-9)) {
            check_fail("worker-%ld began to serve at %s, before the connection was up%s", i,
                       check_seconds(at), up < 0 ? "" : " -- it came up later");
            return;
        }
    }
    if (status != AW_OK) {
        check_fail("run_service returned %d (%s); the connection comes up and every worker "
                   "succeeds here, so it should return AW_OK", status, aw_strerror(status));
        return;
    }
    long late = 0, first_late = -1;
    double worst = 0;
    for (long i = 0; i < world.workers; i++) {
        double at = world.served_at[i];
        if (at < 0) {
            check_fail("worker-%ld never called serve()", i);
            return;
        }
        if (!check_near(at, up)) {
            late++;
            if (first_late < 0)
                first_late = i;
            if (at - up > worst)
                worst = at - up;
        }
    }
    if (late > 0) {
        check_fail("the connection was up at %s, but worker-%ld began to serve only at %s: "
                   "%ld of %ld workers started late, by up to %s. A worker that sleeps "
                   "between looks at is_set() notices the flag only at its next look; what "
                   "call waits for the flag and wakes the moment it is set?", check_seconds(up),
                   first_late, check_seconds(world.served_at[first_late]), late, world.workers,
                   check_seconds(worst));
        return;
    }
    if (!check_near(check_elapsed(), up + longest))
        check_fail("the service should take %s (connecting, then the longest worker, %s); "
                   "yours took %s", check_seconds(up + longest), check_seconds(longest),
                   check_seconds(check_elapsed()));
}

static void run_case(long workers, double connect_s)
{
    world.workers = workers;
    world.connect_s = connect_s;
    world.connected_at = -1;
    double longest = 0;
    for (long i = 0; i < workers; i++) {
        world.serve_s[i] = 0.2 + 0.05 * (double)(i % 4);
        world.served_at[i] = -1;
        if (world.serve_s[i] > longest)
            longest = world.serve_s[i];
    }
    check_case("%ld workers, connected after %s", workers, check_seconds(connect_s));
    int status = check_run(drive, NULL, 10 * (connect_s + longest) + 1);
    if (!check_failed())
        judge(status, longest);
    check_case_end();
}

void exercise_check(void)
{
    run_case(5, 0.37);
    run_case(8, 1.234);
    run_case(3, 0.05);
}
