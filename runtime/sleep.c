/*
 * sleep.c -- aw_sleep() and aw_yield(), the simplest ways to suspend.
 *
 * A sleeping task arms the timer embedded in its own aw_task and parks; the
 * loop fires the timer at the deadline and the task becomes ready.  No
 * allocation, no callback object: the timer *is* part of the task.
 */
#include "internal.h"

#include <math.h>

static void sleep_timer_fired(aw__timer *timer)
{
    aw_task *task = aw__container_of(timer, aw_task, timer);
    aw__wake(task, AW_OK);
}

static void sleep_detach(aw_task *task)
{
    aw__timer_disarm(&task->timer);
}

static void sleep_on_cancel(aw_task *task)
{
    sleep_detach(task);
    aw__wake(task, AW_ECANCELLED);
}

/* Seconds to nanoseconds, saturating, so that aw_sleep(1e300) is "forever". */
static int64_t to_ns(double seconds)
{
    double ns = seconds * 1e9;
    if (ns >= 9.0e18)
        return INT64_C(9000000000000000000);
    return (int64_t)llround(ns);
}

int aw_sleep(double seconds)
{
    aw_task *self = aw__current();
    if (!self)
        return AW_ESTATE;
    if (isnan(seconds))
        return aw_raise(AW_EINVAL, "aw_sleep: the delay is not a number");
    if (seconds <= 0)
        return aw_yield();
    if (aw__cancel_pending(self))
        return AW_ECANCELLED;

    int64_t now = aw__now_ns();
    int64_t delay = to_ns(seconds);
    int64_t deadline = now > INT64_MAX - delay ? INT64_MAX : now + delay;
    self->timer.fire = sleep_timer_fired;
    aw__timer_arm(&self->timer, deadline);
    aw__wait wait = {.on = "sleep", .until_ns = deadline,
                     .on_cancel = sleep_on_cancel, .detach = sleep_detach};
    return aw__suspend(&wait);
}

/*
 * Would a trip through the scheduler come straight back to the running task?
 * It would if no other task is ready, no timer is due, nothing real needs
 * polling and debug mode is not timing steps: the scheduler would end this
 * turn, find nothing to do in the next one, and resume us.
 */
static bool nobody_else_can_run(const aw__loop *loop)
{
    return loop->ready_count == 0 && loop->real_work == 0 && !loop->debug &&
           (aw__timer_next_deadline() == INT64_MAX ||
            aw__timer_next_deadline() > aw__now_ns());
}

/*
 * A yielding task goes to the back of the ready queue at once; everything
 * that was ready before it runs first.  Cancelling it while it waits there
 * needs no action: it is about to run anyway, and its next suspension point
 * reports the cancellation.
 *
 * When nobody else could run, the round trip is skipped: the trace records
 * the same events, and the task carries on -- the outcome the scheduler
 * would have reached, without two context switches.
 */
int aw_yield(void)
{
    aw_task *self = aw__current();
    if (!self)
        return AW_ESTATE;
    if (aw__cancel_pending(self))
        return AW_ECANCELLED;
    if (nobody_else_can_run(aw__the_loop)) {
        AW__TRACE(AW_EV_WAIT, self->id, 0, 0, 0, "yield", NULL);
        AW__TRACE(AW_EV_WAKE, self->id, 0, AW_OK, 0, NULL, NULL);
        AW__TRACE(AW_EV_RUN, self->id, 0, 0, 0, NULL, NULL);
        return AW_OK;
    }
    aw__wait wait = {.on = "yield", .requeue = true};
    return aw__suspend(&wait);
}
