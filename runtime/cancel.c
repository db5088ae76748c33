/*
 * cancel.c -- suspending, waking, and level-triggered cancellation.
 *
 * Every blocking call in the runtime comes down to aw__suspend(): the task
 * describes what it waits on (an aw__wait) and switches to the scheduler;
 * whoever completes the wait calls aw__wake() with the status the call
 * should return.
 *
 * Cancellation is a flag that never clears.  aw_cancel() sets it and, if the
 * task is parked, asks the wait what to do (its on_cancel): a sleep wakes at
 * once with AW_ECANCELLED; an await or a gather passes the cancellation on to
 * the tasks it waits for and keeps waiting until they are done.  From then
 * on, every aw__suspend() of that task returns AW_ECANCELLED without
 * suspending -- that is the "level-triggered" part: a C function that ignores
 * one status cannot make the task wait forever, the next call fails too.
 * asyncio instead delivers CancelledError once; the lessons explain the
 * difference.  A shielded region (shield_depth > 0) suspends cancellation
 * for cleanup code that must still wait.
 */
#include "internal.h"

/*
 * A task's suspension points report cancellation if the task itself was
 * cancelled (and no shield is up), or if one of the cancel scopes it is in
 * -- a timeout that expired, a task group that is aborting -- was cancelled
 * and no shield was raised inside that scope.
 */
bool aw__cancel_pending(const aw_task *task)
{
    if (task->cancel_requested && task->shield_depth == 0)
        return true;
    for (const aw__scope *scope = task->scope; scope; scope = scope->outer)
        if (scope->cancelled && scope->shield_depth == task->shield_depth)
            return true;
    return false;
}

/* Tells a parked task that cancellation now applies to it. */
static void interrupt_if_parked(aw_task *task)
{
    if (task->suspended && task->wait->on_cancel && aw__cancel_pending(task))
        task->wait->on_cancel(task);
}

void aw__scope_enter(aw__scope *scope)
{
    aw_task *self = aw__the_loop->current;
    scope->task = self;
    scope->outer = self->scope;
    scope->shield_depth = self->shield_depth;
    scope->cancelled = false;
    self->scope = scope;
}

/* Leaves the innermost scope; false if `scope` is not the innermost one. */
bool aw__scope_exit(aw__scope *scope)
{
    aw_task *self = scope->task;
    if (!self || self->scope != scope)
        return false;
    self->scope = scope->outer;
    return true;
}

void aw__scope_cancel(aw__scope *scope)
{
    if (scope->cancelled)
        return;
    scope->cancelled = true;
    interrupt_if_parked(scope->task);
}

int aw__suspend(const aw__wait *wait)
{
    aw_task *self = aw__the_loop->current;
    if (!wait->keeps_waiting && aw__cancel_pending(self))
        return AW_ECANCELLED;
    self->wait = wait; /* it lives on our own stack, which waits with us */
    self->suspended = true;
    self->wake_status = AW_OK;
    if (aw__trace_on())
        aw__trace_wait(self, wait);
    if (wait->requeue)
        aw__wake(self, AW_OK);
    aw__switch_to_scheduler(self, false);
    /*
     * A cancellation that arrived after we were woken but before we ran
     * still counts: asyncio throws CancelledError into a task whose wait
     * had already completed, if cancel() came first.
     */
    if (self->wake_status == AW_OK && !wait->keeps_waiting && aw__cancel_pending(self))
        return AW_ECANCELLED;
    return self->wake_status;
}

void aw__wake(aw_task *task, int status)
{
    if (!task->suspended)
        return; /* already woken by someone else in this same instant */
    task->suspended = false;
    task->wake_status = status;
    AW__TRACE(AW_EV_WAKE, task->id, 0, status, 0, NULL, NULL);
    aw__make_ready(task);
}

bool aw_cancel(aw_task *task)
{
    return aw__cancel_for(task, aw__current());
}

/*
 * aw_cancel() on behalf of `by`.  A task group cancels its children from a
 * done callback, where no task is running; the trace then names the child
 * whose failure caused it, which is what a reader of the timeline wants.
 */
bool aw__cancel_for(aw_task *task, aw_task *by)
{
    if (!task || aw_task_done(task))
        return false;
    if (task->cancel_requested)
        return true;
    task->cancel_requested = true;
    AW__TRACE(AW_EV_CANCEL, task->id, by ? by->id : 0, 0, 0, NULL, NULL);
    interrupt_if_parked(task);
    return true;
}

bool aw_cancelled(void)
{
    aw_task *self = aw__current();
    return self && self->cancel_requested;
}

void aw_shield_begin(void)
{
    aw_task *self = aw__current();
    if (self)
        self->shield_depth++;
}

void aw_shield_end(void)
{
    aw_task *self = aw__current();
    if (self && self->shield_depth > 0)
        self->shield_depth--;
}
