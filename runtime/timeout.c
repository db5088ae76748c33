/*
 * timeout.c -- asyncio.timeout() and asyncio.wait_for().
 *
 * A timeout is a cancel scope with a deadline.  The scope sits in the
 * task's chain of scopes; when its timer fires, the scope is marked
 * cancelled, and from then on every suspension point inside it returns
 * AW_ECANCELLED (see aw__cancel_pending in cancel.c).  If the task is parked
 * at that moment, it is interrupted the same way aw_cancel() would.
 *
 * Leaving the scope turns the cancellation it caused into AW_ETIMEDOUT --
 * but only if nothing else wants the task cancelled too: when an outer
 * timeout (or a cancel of the task) is also pending, the plain cancellation
 * is passed on for the outer scope to deal with, exactly as asyncio's
 * Timeout.__aexit__ does with uncancel().
 *
 * wait_for is not such a scope: it follows CPython 3.11, which waits for the
 * task with a deadline (aw_wait) and then looks.  The difference shows when
 * the task finishes in the instant the deadline passes: a scope would
 * cancel it before its awaiter was told, wait_for returns its result.
 */
#include "internal.h"

#include <math.h>

static void expire(aw__callback *callback)
{
    aw_timeout *timeout = aw__container_of(callback, aw_timeout, expire);
    timeout->expired = true;
    AW__TRACE(AW_EV_CANCEL, timeout->scope.task->id, 0, AW_ETIMEDOUT, 0, "timeout", NULL);
    aw__scope_cancel(&timeout->scope);
}

/*
 * The deadline passed.  The timer already took its turn behind everything
 * that was ready (timer.c), as asyncio's timer handle does: tasks spawned
 * just before get their first step before the timeout cancels them.
 */
static void timeout_fired(aw__timer *timer)
{
    expire(&aw__container_of(timer, aw_timeout, timer)->expire);
}

/*
 * A deadline already reached expires in the next turn, behind what is ready
 * now -- before tasks spawned later in this step get to run (asyncio's
 * reschedule() does call_soon in that case, call_at otherwise).
 */
static void arm(aw_timeout *timeout, double seconds)
{
    aw__timer_disarm(&timeout->timer);
    aw__call_soon_cancel(&timeout->expire);
    if (isnan(seconds) || seconds == AW_NEVER)
        return;
    if (seconds <= 0) {
        timeout->timer.deadline_ns = aw__now_ns(); /* for aw_timeout_when() */
        aw__call_soon(&timeout->expire);
        return;
    }
    int64_t delay = (int64_t)llround(fmin(seconds, 9.0e9) * 1e9);
    aw__timer_arm(&timeout->timer, aw__now_ns() + delay);
}

void aw_timeout_begin(aw_timeout *timeout, double seconds)
{
    *timeout = (aw_timeout){.timer = {.heap_index = SIZE_MAX, .fire = timeout_fired},
                            .expire = {.run = expire}};
    if (!aw__current())
        return;
    aw__scope_enter(&timeout->scope);
    timeout->active = true;
    arm(timeout, seconds);
}

int aw_timeout_end(aw_timeout *timeout, int status)
{
    if (!timeout->active)
        return status;
    aw__timer_disarm(&timeout->timer);
    aw__call_soon_cancel(&timeout->expire); /* fired, but we left first */
    timeout->active = false;
    if (!aw__scope_exit(&timeout->scope)) {
        fprintf(stderr, "awaitlab: aw_timeout_end() of a scope that is not the innermost "
                        "one: end scopes in the reverse order they began\n");
        return aw_raise(AW_ESTATE, "timeout scopes ended out of order");
    }
    aw_task *self = timeout->scope.task;
    if (timeout->expired && status == AW_ECANCELLED && !aw__cancel_pending(self))
        return aw_raise(AW_ETIMEDOUT, "timed out");
    return status;
}

void aw_timeout_reschedule(aw_timeout *timeout, double seconds)
{
    if (timeout->active && !timeout->expired)
        arm(timeout, seconds);
}

bool aw_timeout_expired(const aw_timeout *timeout)
{
    return timeout->expired;
}

double aw_timeout_when(const aw_timeout *timeout)
{
    if (!aw__timer_armed(&timeout->timer) && !aw__linked(&timeout->expire.link) &&
        !timeout->expired)
        return AW_NEVER;
    return (double)timeout->timer.deadline_ns / 1e9;
}

/*
 * Cancels `task` and waits, uninterrupted, until it has finished: the
 * caller must not leave while the task's cleanup still runs.  (asyncio's
 * _cancel_and_wait, which waits through a done callback as wait() does.)
 */
static void cancel_and_wait(aw_task *task)
{
    aw_cancel(task);
    aw_shield_begin();
    while (!aw_task_done(task))
        aw_wait(&task, 1, AW_ALL_COMPLETED, AW_NEVER, NULL);
    aw_shield_end();
}

/*
 * wait_for as CPython 3.11 writes it: wait for the task with a deadline,
 * then look.  If the task has finished -- even in the very instant the
 * deadline passed -- its outcome is the answer; only a task still running
 * is cancelled, and the timeout reported once it has ended cancelled.  (A
 * timeout scope around aw_await() would cancel a task that has finished its
 * work but not yet been told, and lose its result.)
 */
int aw_wait_for(aw_task *task, double timeout)
{
    aw_task *self = aw__current();
    if (!self || !task)
        return AW_EINVAL;
    if (task == self)
        return aw_raise(AW_ESTATE, "task '%s' cannot await itself", self->name);
    if (isnan(timeout) || timeout == AW_NEVER)
        return aw_await(task);
    int status = AW_OK;
    if (timeout > 0 && !aw_task_done(task))
        status = aw_wait(&task, 1, AW_ALL_COMPLETED, timeout, NULL);
    if (aw_task_done(task))
        return aw__task_outcome_status(self, task);
    cancel_and_wait(task);
    if (status != AW_OK) /* we were cancelled ourselves */
        return status;
    if (aw_task_state_of(task) == AW_TASK_CANCELLED)
        return timeout > 0 ? aw_raise(AW_ETIMEDOUT, "timed out")
                           : aw_raise(AW_ETIMEDOUT, "timed out before '%s' could start",
                                      task->name);
    return aw__task_outcome_status(self, task);
}
