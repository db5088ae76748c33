/*
 * wait.c -- asyncio.wait, asyncio.as_completed and asyncio.shield.
 *
 * All three watch tasks without owning them: they never cancel anything.
 * Cancelling the task that waits stops the waiting, and that is all -- the
 * tasks waited for carry on.  Each hangs an aw__done_waiter on the tasks it
 * watches and takes them all off again before returning.
 *
 * As in asyncio, each hears of a task's end in a turn of its own (a done
 * callback), then wakes the caller, which runs in the turn after -- also
 * for tasks that had finished before the call: waiting on finished tasks
 * still lets the ready tasks run first.
 */
#include "internal.h"

#include <math.h>
#include <stdlib.h>

/* ----------------------------------------------------------------------- */
/* wait                                                                      */
/* ----------------------------------------------------------------------- */

typedef struct waiting {
    aw_task *caller;
    size_t count;
    size_t unheard;            /* tasks whose end we have not heard of */
    aw_wait_mode mode;
    aw__done_waiter *waiters;
    aw__timer timer;
} waiting;

static bool failed_with_error(const aw_task *task)
{
    return task->state == AW_TASK_FAILED; /* cancelled is not an exception here */
}

/* Is the wait over?  As asyncio decides it in wait()'s _on_completion. */
static void wait_notify(aw__done_waiter *waiter, aw_task *finished)
{
    waiting *w = waiter->data;
    w->unheard--;
    if (w->unheard == 0 || w->mode == AW_FIRST_COMPLETED ||
        (w->mode == AW_FIRST_EXCEPTION && failed_with_error(finished))) {
        aw__timer_disarm(&w->timer);
        aw__wake(w->caller, AW_OK);
    }
}

static void wait_timer_fired(aw__timer *timer)
{
    waiting *w = aw__container_of(timer, waiting, timer);
    aw__wake(w->caller, AW_OK); /* a timeout is not an error for wait() */
}

static void unhook_all(aw__done_waiter *waiters, size_t count)
{
    for (size_t i = 0; i < count; i++)
        aw__task_on_done_cancel(&waiters[i]);
}

static void wait_detach(aw_task *caller)
{
    waiting *w = caller->wait->data;
    unhook_all(w->waiters, w->count);
    aw__timer_disarm(&w->timer);
}

static void wait_on_cancel(aw_task *caller)
{
    wait_detach(caller);
    aw__wake(caller, AW_ECANCELLED);
}

/* Hangs `notify` on every task (a finished one tells it next turn). */
static aw__done_waiter *hook_all(aw_task *const *tasks, size_t count,
                                 void (*notify)(aw__done_waiter *, aw_task *), void *data)
{
    aw__done_waiter *waiters = calloc(count ? count : 1, sizeof *waiters);
    if (!waiters)
        return NULL;
    for (size_t i = 0; i < count; i++) {
        waiters[i] = (aw__done_waiter){.notify = notify, .data = data};
        aw__task_on_done(tasks[i], &waiters[i]);
    }
    return waiters;
}

static int64_t deadline_after(double seconds)
{
    int64_t delay = seconds <= 0 ? 0 : (int64_t)llround(fmin(seconds, 9.0e9) * 1e9);
    return aw__now_ns() + delay;
}

static size_t count_done(aw_task *const *tasks, size_t count)
{
    size_t done = 0;
    for (size_t i = 0; i < count; i++)
        done += aw_task_done(tasks[i]);
    return done;
}

int aw_wait(aw_task *const *tasks, size_t n, aw_wait_mode mode, double timeout,
            size_t *done_count)
{
    aw_task *self = aw__current();
    if (!self || (n > 0 && !tasks))
        return AW_EINVAL;
    if (n == 0) /* asyncio.wait([]) raises ValueError too */
        return aw_raise(AW_EINVAL, "wait: no tasks to wait for");
    if (aw__cancel_pending(self))
        return AW_ECANCELLED;
    waiting w = {.caller = self, .count = n, .unheard = n, .mode = mode,
                 .timer = {.heap_index = SIZE_MAX, .fire = wait_timer_fired}};
    w.waiters = hook_all(tasks, n, wait_notify, &w);
    if (!w.waiters)
        return aw_raise(AW_ENOMEM, "aw_wait: out of memory");
    if (!isnan(timeout) && timeout != AW_NEVER)
        aw__timer_arm(&w.timer, deadline_after(timeout));
    aw__wait wait = {.on = "wait", .on_cancel = wait_on_cancel, .detach = wait_detach,
                     .data = &w};
    int status = aw__suspend(&wait);
    unhook_all(w.waiters, n);
    aw__timer_disarm(&w.timer);
    free(w.waiters);
    if (done_count)
        *done_count = count_done(tasks, n);
    return status;
}

/* ----------------------------------------------------------------------- */
/* as_completed                                                              */
/* ----------------------------------------------------------------------- */

static void completed_notify(aw__done_waiter *waiter, aw_task *finished)
{
    aw_as_completed *it = waiter->data;
    it->finished[it->finished_count++] = finished;
    if (it->caller)
        aw__wake(it->caller, AW_OK);
}

static void completed_timer_fired(aw__timer *timer)
{
    aw_as_completed *it = aw__container_of(timer, aw_as_completed, timer);
    it->timed_out = true;
    /* As asyncio does: what finished before the deadline is still given,
     * what finishes after it no longer is. */
    unhook_all(it->waiters, it->count);
    if (it->caller)
        aw__wake(it->caller, AW_OK);
}

void aw_as_completed_begin(aw_as_completed *it, aw_task *const *tasks, size_t n,
                           double timeout)
{
    *it = (aw_as_completed){.tasks = tasks, .count = n,
                            .timer = {.heap_index = SIZE_MAX, .fire = completed_timer_fired}};
    it->finished = calloc(n ? n : 1, sizeof *it->finished);
    if (!it->finished)
        return;
    /* Tasks already done are told next turn, in argument order. */
    it->waiters = hook_all(tasks, n, completed_notify, it);
    if (aw__current() && !isnan(timeout) && timeout != AW_NEVER)
        aw__timer_arm(&it->timer, deadline_after(timeout));
}

static void completed_detach(aw_task *caller)
{
    ((aw_as_completed *)caller->wait->data)->caller = NULL;
}

static void completed_on_cancel(aw_task *caller)
{
    completed_detach(caller);
    aw__wake(caller, AW_ECANCELLED);
}

int aw_as_completed_next(aw_as_completed *it, aw_task **next)
{
    *next = NULL;
    aw_task *self = aw__current();
    if (!self)
        return AW_ESTATE;
    if (!it->finished || !it->waiters)
        return aw_raise(AW_ENOMEM, "as_completed: out of memory");
    while (it->given == it->finished_count) {
        if (it->timed_out)
            return aw_raise(AW_ETIMEDOUT, "as_completed: timed out with %zu task(s) pending",
                            it->count - it->given);
        if (it->given == it->count)
            return AW_OK; /* every task was given: the end */
        it->caller = self;
        aw__wait wait = {.on = "as_completed", .on_cancel = completed_on_cancel,
                         .detach = completed_detach, .data = it};
        int status = aw__suspend(&wait);
        it->caller = NULL;
        if (status != AW_OK)
            return status;
    }
    *next = it->finished[it->given++];
    return AW_OK;
}

void aw_as_completed_end(aw_as_completed *it)
{
    if (it->waiters)
        unhook_all(it->waiters, it->count);
    aw__timer_disarm(&it->timer);
    free(it->waiters);
    free(it->finished);
    it->waiters = NULL;
    it->finished = NULL;
}

/* ----------------------------------------------------------------------- */
/* shield                                                                    */
/* ----------------------------------------------------------------------- */

static void shielded_notify(aw__done_waiter *waiter, aw_task *finished)
{
    (void)finished;
    aw__wake(waiter->data, AW_OK);
}

static void shielded_detach(aw_task *caller)
{
    aw__task_on_done_cancel(caller->wait->data);
}

/* Unlike aw_await(): stop waiting, but leave the task alone. */
static void shielded_on_cancel(aw_task *caller)
{
    shielded_detach(caller);
    aw__wake(caller, AW_ECANCELLED);
}

int aw_await_shielded(aw_task *task)
{
    aw_task *self = aw__current();
    if (!self || !task)
        return AW_EINVAL;
    if (task == self)
        return aw_raise(AW_ESTATE, "task '%s' cannot await itself", self->name);
    if (!aw_task_done(task)) {
        aw__done_waiter waiter = {.notify = shielded_notify, .data = self};
        aw__task_on_done(task, &waiter);
        aw__wait wait = {.on = "task", .target = task->id, .on_cancel = shielded_on_cancel,
                         .detach = shielded_detach, .data = &waiter};
        int status = aw__suspend(&wait);
        aw__task_on_done_cancel(&waiter);
        if (status != AW_OK)
            return status;
    }
    return aw__task_outcome_status(self, task);
}
