/*
 * semaphore.c -- asyncio.Semaphore and asyncio.BoundedSemaphore.
 *
 * A semaphore is a count of free permits and a FIFO list of the tasks that
 * wait for one.  `async with sem:` is aw_sem_acquire() ... aw_sem_release().
 *
 * Fairness is the point of this file.  A release with tasks waiting hands
 * the permit straight to the first waiter (takes it from the count, sets
 * the waiter's `granted` flag and wakes it), as CPython does since 3.11.0
 * (gh-90155).  The woken waiter stays in the list until it runs, and as in
 * CPython 3.11 the semaphore counts as locked while anyone is in the list:
 * a task that arrives in the same instant queues behind -- even if another
 * permit came free meanwhile -- instead of overtaking a task that has
 * waited longer.  A waiter that got its permit passes a free one on to the
 * next in line when it runs.
 *
 * A waiter that is granted a permit and then cancelled before it runs gives
 * the permit back: to the next waiter, or to the count.  asyncio does the
 * same.  The waiter node lives in the task itself (aw_task.wait_link), so
 * waiting never allocates.
 *
 * Like every suspension point of the runtime, acquire returns AW_ECANCELLED
 * at once when the task is cancelled, even if a permit is free: in asyncio
 * that acquire would succeed without yielding, but here cancellation is
 * level-triggered (see cancel.c).
 */
#include "internal.h"

/* Permits in use, for the trace; a plain semaphore may be released above
 * its initial value, which shows as none in use. */
static void trace_state(const aw_semaphore *sem)
{
    if (!aw__trace_on())
        return;
    long in_use = sem->initial > sem->value ? sem->initial - sem->value : 0;
    aw__trace_resource("semaphore", sem->name, in_use, sem->initial,
                       sem->listed - sem->granted, 0);
}

static int init(aw_semaphore *sem, long value, long bound, const char *name)
{
    if (!sem)
        return AW_EINVAL;
    if (value < 0)
        return aw_raise(AW_EINVAL, "semaphore '%s': initial value %ld is negative",
                        name ? name : "semaphore", value);
    aw__list_init(&sem->waiters);
    sem->listed = sem->granted = 0;
    sem->value = value;
    sem->initial = value;
    sem->bound = bound;
    sem->name = name ? name : "semaphore";
    return AW_OK;
}

int aw_sem_init(aw_semaphore *sem, long value, const char *name)
{
    return init(sem, value, -1, name);
}

int aw_sem_init_bounded(aw_semaphore *sem, long value, const char *name)
{
    return init(sem, value, value, name);
}

/*
 * Hands a free permit to the first waiter that has not been handed one
 * (asyncio's _wake_up_next); without such a waiter, the permit stays in the
 * count.  Returns whether it handed one.
 */
static bool wake_up_next(aw_semaphore *sem)
{
    for (aw__link *l = sem->waiters.next; l != &sem->waiters; l = l->next) {
        aw_task *next = aw__container_of(l, aw_task, wait_link);
        if (!next->granted) {
            sem->value--;
            next->granted = true;
            sem->granted++; /* still listed until it runs, but no longer waiting */
            aw__wake(next, AW_OK);
            return true;
        }
    }
    return false;
}

/* One permit comes free: by release, or from a granted waiter cancelled
 * before it ran. */
static void pass_permit_on(aw_semaphore *sem)
{
    sem->value++;
    wake_up_next(sem);
    trace_state(sem);
}

/*
 * Takes `task` out of the line, where one handed a permit stops counting as
 * granted; false if it was in none.
 */
static bool leave_line(aw_semaphore *sem, aw_task *task, bool granted)
{
    if (!aw__wait_dequeue(task))
        return false;
    if (granted)
        sem->granted--;
    return true;
}

/* Leaves the waiter list without waking (the deadlock breaker's way out). */
static void sem_detach(aw_task *task)
{
    if (leave_line(task->wait->data, task, task->granted))
        trace_state(task->wait->data);
}

static void sem_on_cancel(aw_task *task)
{
    sem_detach(task);
    aw__wake(task, AW_ECANCELLED);
}

/*
 * Takes a permit, waiting in line for one if none is free.  Returns AW_OK
 * holding a permit, or AW_ECANCELLED holding none (a permit handed over in
 * the meantime has been passed on).
 */
int aw_sem_acquire(aw_semaphore *sem)
{
    aw_task *self = aw__current();
    if (!self || !sem)
        return self ? AW_EINVAL : AW_ESTATE;
    if (aw__cancel_pending(self))
        return AW_ECANCELLED;
    if (!aw_sem_locked(sem)) {
        sem->value--;
        trace_state(sem);
        return AW_OK;
    }

    self->granted = false;
    aw__wait_enqueue(&sem->waiters, &sem->listed, self);
    trace_state(sem);
    aw__wait wait = {.on = "semaphore", .name = sem->name, .on_cancel = sem_on_cancel,
                     .detach = sem_detach, .data = sem};
    int status = aw__suspend(&wait);
    bool granted = self->granted;
    self->granted = false;
    if (!granted) {
        sem_detach(self); /* still queued only if we never parked */
        return status != AW_OK ? status : AW_ECANCELLED;
    }
    leave_line(sem, self, true); /* the trace counted us out already */
    if (aw__cancel_pending(self)) { /* woken, then cancelled before we ran */
        pass_permit_on(sem);
        return AW_ECANCELLED;
    }
    if (sem->value > 0 && wake_up_next(sem)) /* more came free while we waited */
        trace_state(sem);
    return AW_OK;
}

int aw_sem_release(aw_semaphore *sem)
{
    if (!sem)
        return AW_EINVAL;
    if (sem->bound >= 0 && sem->value >= sem->bound)
        return aw_raise(AW_EINVAL, "BoundedSemaphore released too many times");
    pass_permit_on(sem);
    return AW_OK;
}

long aw_sem_value(const aw_semaphore *sem) { return sem->value; }

/* CPython 3.11: no free permit, or someone in line -- handed a permit or not. */
bool aw_sem_locked(const aw_semaphore *sem)
{
    return sem->value == 0 || !aw__list_empty(&sem->waiters);
}
