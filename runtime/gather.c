/*
 * gather.c -- aw_gather(), asyncio.gather for C.
 *
 * The caller hangs one aw__done_waiter on every unfinished task and parks.
 * Each task, as it finishes, calls gather_notify(), which decides whether the
 * caller should wake up now:
 *
 *   - the last task finished                  -> wake with AW_OK;
 *   - a task failed, fail-fast mode, and it is the first failure
 *                                             -> wake with its status,
 *     leaving every other task running (asyncio does exactly this; the
 *     belief that gather cancels the others is a myth the lessons correct);
 *   - the gather is being cancelled            -> wake once all are done.
 *
 * Results are never copied: they stay in the tasks, in argument order.
 */
#include "internal.h"

#include <stdlib.h>

typedef struct gather {
    aw_task *caller;
    aw_task *const *tasks;
    size_t count;
    size_t unfinished;
    bool fail_fast;
    bool cancelling;           /* the caller was cancelled while waiting */
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
    if (g->cancelling) {
        if (g->unfinished == 0)
            aw__wake(g->caller, AW_ECANCELLED);
        return;
    }
    if (g->fail_fast && failed(finished) && !g->first_failure) {
        g->first_failure = finished;
        aw__wake(g->caller, AW_OK);
        return;
    }
    if (g->unfinished == 0)
        aw__wake(g->caller, AW_OK);
}

/* Cancelling the gather cancels every unfinished task; we then wait for them. */
static void gather_on_cancel(aw_task *caller)
{
    gather *g = caller->wait->data;
    g->cancelling = true;
    for (size_t i = 0; i < g->count; i++)
        aw_cancel(g->tasks[i]);
}

/* Takes the gather's waiters off the tasks that have not finished. */
static void unhook(gather *g)
{
    for (size_t i = 0; i < g->count; i++)
        if (aw__linked(&g->waiters[i].link))
            aw__list_remove(&g->waiters[i].link);
}

static void gather_detach(aw_task *caller)
{
    unhook(caller->wait->data);
}

/* Tasks that had failed before the gather began count in argument order. */
static aw_task *first_already_failed(aw_task *const *tasks, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (failed(tasks[i]))
            return tasks[i];
    return NULL;
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

int aw_gather(aw_task *const *tasks, size_t n, int flags)
{
    aw_task *self = aw__current();
    if (!self)
        return AW_ESTATE;
    int status = validate(self, tasks, n);
    if (status != AW_OK)
        return status;

    gather g = {.caller = self, .tasks = tasks, .count = n,
                .fail_fast = !(flags & AW_RETURN_EXCEPTIONS)};
    if (g.fail_fast)
        g.first_failure = first_already_failed(tasks, n);
    for (size_t i = 0; i < n; i++)
        if (!aw_task_done(tasks[i]))
            g.unfinished++;

    if (g.unfinished > 0 && !g.first_failure) {
        g.waiters = calloc(n, sizeof *g.waiters);
        if (!g.waiters)
            return aw_raise(AW_ENOMEM, "aw_gather: out of memory");
        for (size_t i = 0; i < n; i++) {
            if (aw_task_done(tasks[i]))
                continue;
            g.waiters[i] = (aw__done_waiter){.notify = gather_notify, .data = &g};
            aw__list_push_back(&tasks[i]->done_waiters, &g.waiters[i].link);
        }
        aw__wait wait = {.on = "gather", .on_cancel = gather_on_cancel,
                         .detach = gather_detach, .data = &g};
        status = aw__suspend(&wait);
        unhook(&g);
        free(g.waiters);
        if (status != AW_OK)
            return status;
    }
    if (aw__cancel_pending(self))
        return AW_ECANCELLED;
    if (g.first_failure)
        return aw__task_outcome_status(self, g.first_failure);
    return AW_OK;
}
