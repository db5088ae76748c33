/*
 * Check of periodic_stop_wait: cancel a periodic task, then wait for it.
 *
 * The drive plays the program: start_heartbeat(), its own work for `watch`
 * seconds, stop_heartbeat(), then it closes the connection at once and
 * spends a little longer shutting down.  The server (the check) notes
 * when the goodbye comes, and whether the connection was still open.  A
 * stop that only cancels returns before the heartbeat has even seen the
 * cancellation; a stop that sleeps "long enough" returns late; the right
 * one returns exactly when the goodbye is done.
 */
#include "check.h"

#include <stdio.h>

aw_task *start_heartbeat(double interval);
int stop_heartbeat(aw_task *task);

static const double LINGER = 0.25; /* the program's shutdown after closing */

static struct {
    double interval, beat_s, bye_s, watch;
    bool closed;
    double closed_at;
    int heartbeats, late_heartbeats, goodbyes, late_goodbyes;
    double goodbye_started, goodbye_done;
    /* what the drive saw when stop_heartbeat() returned */
    int stop_status;
    double stopped_at;
    bool done_at_stop;
    int goodbyes_at_stop;
    bool spawned;
} world;

int send_heartbeat(void)
{
    if (world.closed)
        world.late_heartbeats++;
    int status = aw_sleep(world.beat_s);
    if (status == AW_OK)
        world.heartbeats++;
    return status;
}

int send_goodbye(void)
{
    world.goodbye_started = aw_now();
    if (world.closed) {
        world.late_goodbyes++;
        return aw_raise(AW_EDISCONNECTED, "goodbye: the connection is closed");
    }
    int status = aw_sleep(world.bye_s);
    if (status != AW_OK)
        return status;
    world.goodbyes++;
    world.goodbye_done = aw_now();
    return AW_OK;
}

static int drive(void *arg)
{
    (void)arg;
    aw_task *task = start_heartbeat(world.interval);
    world.spawned = task != NULL;
    if (!task)
        return AW_ENOMEM;
    int status = aw_sleep(world.watch);
    if (status != AW_OK)
        return status;
    world.stop_status = stop_heartbeat(task);
    world.stopped_at = aw_now();
    world.done_at_stop = aw_task_done(task);
    world.goodbyes_at_stop = world.goodbyes;
    world.closed = true; /* the program closes its connection */
    world.closed_at = aw_now();
    aw_sleep(LINGER);
    return AW_OK;
}

static void run_case(double interval, double beat_s, double bye_s, double watch)
{
    world = (typeof(world)){.interval = interval, .beat_s = beat_s, .bye_s = bye_s,
                            .watch = watch, .stop_status = 12345, .goodbye_started = -1,
                            .goodbye_done = -1};
    double expected_stop = watch + bye_s;
    check_case("a heartbeat every %s, stopped after %s, goodbye of %s", check_seconds(interval),
               check_seconds(watch), check_seconds(bye_s));
    check_run(drive, NULL, watch + 10.0);
    if (check_failed())
        goto done;
    if (!world.spawned || check_count("heartbeat", CHECK_ANY) != 1) {
        check_fail("start_heartbeat() should spawn one task named \"heartbeat\"");
        goto done;
    }
    if (!world.done_at_stop) {
        check_fail("stop_heartbeat() returned at %s while the heartbeat task was still "
                   "running: aw_cancel() only asks a task to stop, and the task runs its "
                   "cleanup at its next turn.", check_seconds(world.stopped_at));
        if (world.late_goodbyes > 0)
            check_fail("So the goodbye was sent only after your program had closed the "
                       "connection (closed at %s, goodbye at %s: the heartbeat got its turn "
                       "when the program next awaited). Wait for the task to finish after "
                       "cancelling it.", check_seconds(world.closed_at),
                       check_seconds(world.goodbye_started));
        goto done;
    }
    if (world.stop_status != AW_OK) {
        check_fail("stop_heartbeat() returned %d (%s). The heartbeat ending cancelled is "
                   "what stop_heartbeat() asked for, not a failure: return AW_OK then "
                   "(Python: contextlib.suppress(asyncio.CancelledError))",
                   world.stop_status, aw_strerror(world.stop_status));
        goto done;
    }
    if (world.goodbyes_at_stop != 1) {
        check_fail("when stop_heartbeat() returned, the server had received %d goodbyes; the "
                   "heartbeat sends one, in its cleanup", world.goodbyes_at_stop);
        goto done;
    }
    if (world.late_heartbeats > 0) {
        check_fail("%d heartbeat%s came after the connection was closed", world.late_heartbeats,
                   world.late_heartbeats == 1 ? "" : "s");
        goto done;
    }
    check_task_info t = check_task("heartbeat");
    if (t.outcome != CHECK_CANCELLED)
        check_fail("the heartbeat task should end cancelled; it ended %s",
                   t.outcome == CHECK_OK ? "with a value" : "with an error");
    else if (world.stopped_at > expected_stop + 1e-6)
        check_fail("stop_heartbeat() returned at %s, but the heartbeat had finished at %s (its "
                   "goodbye takes %s): it waited longer than it needed to -- wait for the "
                   "task itself, not for a guess at how long it takes",
                   check_seconds(world.stopped_at), check_seconds(t.ended_s),
                   check_seconds(bye_s));
    else if (!check_near(world.stopped_at, expected_stop))
        check_fail("stop_heartbeat() returned at %s; cancelled at %s, the heartbeat finishes "
                   "its %s goodbye at %s", check_seconds(world.stopped_at),
                   check_seconds(watch), check_seconds(bye_s), check_seconds(expected_stop));
done:
    check_case_end();
}

void exercise_check(void)
{
    run_case(0.3, 0.05, 0.1, 1.0);   /* cancelled while it sleeps              */
    run_case(0.2, 0.08, 0.05, 0.85); /* cancelled while a heartbeat is out     */
    run_case(0.5, 0.1, 0.3, 2.2);
}
