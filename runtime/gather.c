/*
 * gather.c -- aw_gather(), asyncio.gather for C.
 *
 * The caller hangs one aw__done_waiter on every task and parks.  Each task,
 * as it finishes, is reported to gather_notify() in a turn of its own (a
 * done callback, as in asyncio), which decides whether the caller should
 * wake up now:
 *
 *   - the last task finished                  -> wake;
 *   - a task failed or was cancelled, fail-fast mode, and it is the first
 *                                             -> wake with its status,
 *     leaving every other task running (asyncio does exactly this; the
 *     belief that gather cancels the others is a myth the lessons correct).
 *
 * The caller then runs in the turn after that: a failure reaches it one
 * turn after the child ended, so a sibling that was ready steps first.
 * Tasks that had finished before the gather began are reported the same
 * way, in the next turn and in argument order -- awaiting a gather of
 * finished tasks still lets every ready task run first.
 *
 * Cancelling the caller cancels every unfinished task.  In fail-fast mode
 * the first of them to end cancelled wakes the caller, which returns
 * AW_ECANCELLED at once -- while the others may still be cleaning up.
 * That is asyncio's behaviour (a known wart: do not assume the children are
 * done when it returns).  With AW_RETURN_EXCEPTIONS the caller waits for
 * every task, cancelled or not, before it returns AW_ECANCELLED.
 *
 * Results are never copied: they stay in the tasks, in argument order.
 */
#include "internal.h"

#include <stdlib.h>

typedef struct gather {
    aw_task *caller;
    aw_task *const *tasks;
    size_t count;
    size_t unfinished;         /* tasks the gather has not heard of yet  */
    bool fail_fast;
    aw_task *first_failure;    /* in time                                */
    aw__done_waiter *waiters;  /* one per task, array of `count`         */
} gather;

static bool failed(const aw_task *task)
{
    return task->state == AW_TASK_FAILED || task->state == AW_TASK_CANCELLED;
}

static void gather_notify(aw__done_waiter *waiter, aw_task *finished)
{
    gather *g = waiter->data;
    g->unfinished--;
    if (g->fail_fast && failed(finished) && !g->first_failure) {
        g->first_failure = finished;
        aw__wake(g->caller, AW_OK);
    } else if (g->unfinished == 0) {
        aw__wake(g->caller, AW_OK);
    }
}

/* Cancelling the gather cancels every unfinished task; we then wait on. */
static void gather_on_cancel(aw_task *caller)
{
    gather *g = caller->wait->data;
    for (size_t i = 0; i < g->count; i++)
        aw_cancel(g->tasks[i]);
}

/* Takes the gather's waiters off the tasks, told or not. */
static void unhook(gather *g)
{
    for (size_t i = 0; i < g->count; i++)
        aw__task_on_done_cancel(&g->waiters[i]);
}

static void gather_detach(aw_task *caller)
{
    unhook(caller->wait->data);
}

static int validate(aw_task *self, aw_task *const *tasks, size_t n)
{
    if (n > 0 && !tasks)
        return aw_raise(AW_EINVAL, "aw_gather: no task array");
    for (size_t i = 0; i < n; i++) {
        if (!tasks[i])
            return aw_raise(AW_EINVAL, "aw_gather: task %zu is NULL", i);
        if (tasks[i] == self)
            return aw_raise(AW_ESTATE, "task '%s' cannot gather itself", self->name);
    }
    return AW_OK;
}

/* Hears of every task, then parks until gather_notify() wakes us. */
static int wait_for_tasks(gather *g)
{
    g->waiters = calloc(g->count, sizeof *g->waiters);
    if (!g->waiters)
        return aw_raise(AW_ENOMEM, "aw_gather: out of memory");
    for (size_t i = 0; i < g->count; i++) {
        g->waiters[i] = (aw__done_waiter){.notify = gather_notify, .data = g};
        aw__task_on_done(g->tasks[i], &g->waiters[i]);
    }
    aw__wait wait = {.on = "gather", .on_cancel = gather_on_cancel,
                     .detach = gather_detach, .data = g};
    int status = aw__suspend(&wait);
    unhook(g);
    free(g->waiters);
    return status;
}

static int gather_tasks(aw_task *const *tasks, size_t n, bool fail_fast)
{
    aw_task *self = aw__current();
    if (!self)
        return AW_ESTATE;
    int status = validate(self, tasks, n);
    if (status != AW_OK || n == 0) /* gather() of nothing: done at once */
        return status;
    if (aw__cancel_pending(self))
        return AW_ECANCELLED;

    gather g = {.caller = self, .tasks = tasks, .count = n, .unfinished = n,
                .fail_fast = fail_fast};
    status = wait_for_tasks(&g);
    if (status != AW_OK)
        return status;
    if (aw__cancel_pending(self))
        return AW_ECANCELLED;
    if (g.first_failure)
        return aw__task_outcome_status(self, g.first_failure);
    return AW_OK;
}

int aw_gather(aw_task *const *tasks, size_t n, int flags)
{
    return gather_tasks(tasks, n, !(flags & AW_RETURN_EXCEPTIONS));
}
