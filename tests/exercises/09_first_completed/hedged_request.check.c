/*
 * Check of hedged_request: the first good answer, as soon as it comes, and
 * no replica left working afterwards.
 *
 * Each replica answers after the check's latency, with a value that says
 * which replica it was; some are down and fail instead.  hedged_get() must
 * return the value of the fastest replica that succeeded, at that moment;
 * every replica still working then must have been cancelled at that moment
 * and have finished before hedged_get() returned.  When every replica is
 * down, it must return their error once the last one has failed.
 */
#include "check.h"

#include <stdio.h>

int hedged_get(long n, intptr_t *answer);

enum { MAX_REPLICAS = 8, REPLICA_DOWN = AW_EAPP - 20 };

/* The world of one case. */
static struct {
    long n;
    double latency[MAX_REPLICAS];
    bool down[MAX_REPLICAS];
} world;

static intptr_t answer_of(long r)
{
    return 4200 + (intptr_t)r;
}

int ask_replica(long r, intptr_t *answer)
{
    if (r < 0 || r >= world.n)
        return aw_raise(AW_EINVAL, "ask_replica(%ld): there are only replicas 0 .. %ld", r,
                        world.n - 1);
    int status = aw_sleep(world.latency[r]);
    if (status != AW_OK)
        return status;
    if (world.down[r])
        return aw_raise(REPLICA_DOWN, "replica-%ld: 503 Service Unavailable", r);
    *answer = answer_of(r);
    return AW_OK;
}

typedef struct hedge_case {
    intptr_t answer;
} hedge_case;

static int drive(void *arg)
{
    hedge_case *c = arg;
    return hedged_get(world.n, &c->answer);
}

static void judge(int status, intptr_t answer)
{
    /* The winner: the fastest replica up (the first of them on a tie). */
    long winner = -1;
    double slowest = 0;
    for (long r = 0; r < world.n; r++) {
        if (world.latency[r] > slowest)
            slowest = world.latency[r];
        if (!world.down[r] && (winner < 0 || world.latency[r] < world.latency[winner]))
            winner = r;
    }
    int spawned = check_count("replica-", CHECK_ANY);
    if (spawned != world.n) {
        check_fail("%ld replicas should give %ld tasks named replica-0 .. replica-%ld; your "
                   "run spawned %d", world.n, world.n, world.n - 1, spawned);
        return;
    }
    double answer_at = winner >= 0 ? world.latency[winner] : slowest;
    if (check_elapsed() < answer_at - 1e-9) {
        long failed_then = -1;
        for (long r = 0; r < world.n; r++)
            if (world.down[r] && check_near(world.latency[r], check_elapsed()))
                failed_then = r;
        check_fail("hedged_get() returned at %s, before %s (at %s)%s",
                   check_seconds(check_elapsed()),
                   winner >= 0 ? "the first good answer came" : "the last replica failed",
                   check_seconds(answer_at),
                   failed_then >= 0 ? ", just as a replica failed: with FIRST_COMPLETED a "
                                      "failure counts as completed too, so look at how each "
                                      "done task ended, and wait again if none succeeded"
                                    : "");
        return;
    }
    for (long r = 0; r < world.n; r++) {
        char name[32];
        snprintf(name, sizeof name, "replica-%ld", r);
        check_task_info t = check_task(name);
        if (t.outcome == CHECK_RUNNING && t.cancel_requested_s >= 0) {
            check_fail("%s was cancelled at %s, but hedged_get() returned before it had "
                       "stopped: cancel() only asks. Wait for the cancelled tasks to finish "
                       "(gather them) before returning.", name,
                       check_seconds(t.cancel_requested_s));
            return;
        }
    }
    char running[200];
    int left = check_left_running(running, sizeof running);
    if (left > 0) {
        check_fail("hedged_get() returned at %s, but %s %s still running: wait() never "
                   "cancels anything, so the replicas that lost go on working (and holding "
                   "their connections) until somebody cancels them.",
                   check_seconds(check_elapsed()), running, left == 1 ? "was" : "were");
        return;
    }
    if (winner < 0) {
        if (status != REPLICA_DOWN)
            check_fail("every replica is down here, so hedged_get() should return their "
                       "error, code %d; it returned %d (%s)", REPLICA_DOWN, status,
                       aw_strerror(status));
        else if (!check_near(check_elapsed(), slowest))
            check_fail("every replica is down; the last one fails at %s, so hedged_get() "
                       "should return then; yours returned at %s", check_seconds(slowest),
                       check_seconds(check_elapsed()));
        return;
    }
    if (status != AW_OK) {
        check_fail("replica-%ld answers at %s, so hedged_get() should return AW_OK with its "
                   "answer; it returned %d (%s)%s", winner, check_seconds(answer_at), status,
                   aw_strerror(status),
                   status == REPLICA_DOWN ? " -- a failed replica is 'completed' too: wait "
                                            "again for the others" : "");
        return;
    }
    if (answer != answer_of(winner)) {
        long r = (long)(answer - 4200);
        check_fail("the first good answer is replica-%ld's (%ld, at %s); yours was %ld%s",
                   winner, (long)answer_of(winner), check_seconds(answer_at), (long)answer,
                   r >= 0 && r < world.n ? ", from a slower replica" : "");
        return;
    }
    if (!check_near(check_elapsed(), answer_at)) {
        check_fail("replica-%ld answers at %s, and hedged_get() should return at that moment, "
                   "after cancelling the rest; yours returned at %s",
                   winner, check_seconds(answer_at), check_seconds(check_elapsed()));
        return;
    }
    for (long r = 0; r < world.n; r++) {
        char name[32];
        snprintf(name, sizeof name, "replica-%ld", r);
        check_task_info t = check_task(name);
        bool finished_first = world.latency[r] <= answer_at + 1e-9;
        if (!finished_first && t.outcome != CHECK_CANCELLED) {
            check_fail("%s, slower than replica-%ld, should have been cancelled at %s; it "
                       "ended %s at %s", name, winner, check_seconds(answer_at),
                       t.outcome == CHECK_OK ? "with its answer" : "with an error",
                       check_seconds(t.ended_s));
            return;
        }
    }
}

static void run_case(long n, const double *latency, const bool *down)
{
    world.n = n;
    long up = 0;
    for (long r = 0; r < n; r++) {
        world.latency[r] = latency[r];
        world.down[r] = down[r];
        up += !down[r];
    }
    hedge_case c = {.answer = 0};
    if (up == n)
        check_case("%ld replicas, all up", n);
    else if (up == 0)
        check_case("%ld replicas, all down", n);
    else
        check_case("%ld replicas, %ld down", n, n - up);
    int status = check_run(drive, &c, 30.0);
    if (!check_failed())
        judge(status, c.answer);
    check_case_end();
}

void exercise_check(void)
{
    static const double three[] = {0.5, 0.2, 0.8};
    static const bool none_down[] = {false, false, false};
    run_case(3, three, none_down);

    static const double four[] = {0.3, 0.1, 0.6, 0.25};
    static const bool fastest_down[] = {false, true, false, false};
    run_case(4, four, fastest_down);

    static const double five[] = {0.7, 0.15, 0.4, 0.35, 0.9};
    static const bool two_down[] = {false, true, false, true, false};
    run_case(5, five, two_down);

    static const double all[] = {0.2, 0.45, 0.3};
    static const bool all_down[] = {true, true, true};
    run_case(3, all, all_down);
}
