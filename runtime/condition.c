/*
 * condition.c -- asyncio.Condition: wait for a state change, under a lock.
 *
 * A condition is a lock (aw_lock, see lock.c) and a FIFO list of tasks
 * waiting to be notified.  The pattern is the one from asyncio:
 *
 *     async with cond:                      aw_lock_acquire(&lock);
 *         await cond.wait_for(ready)        aw_cond_wait_for(&cond, ready, arg);
 *         ... use the shared state ...      ...
 *                                           aw_lock_release(&lock);
 *
 * wait() releases the lock, parks until notify() picks it, and takes the
 * lock back before it returns -- always, also when it was cancelled, so
 * that the caller holds the lock afterwards whatever the status and its
 * cleanup (the release) is the same on every path.  Taking the lock back
 * may itself have to wait; that wait runs inside a shielded region so a
 * cancellation cannot cut it short, and the cancellation is reported once
 * the lock is held again.  asyncio does the same with a retry loop.
 *
 * notify(n) wakes the first n waiters (FIFO) and notify_all() all of them;
 * both require the caller to hold the lock (AW_ESTATE otherwise, asyncio's
 * RuntimeError).  A notified waiter that is cancelled before it runs passes
 * its notification to the next waiter, so a notify() is never lost (as in
 * CPython 3.13, gh-112202).  This departs from 3.11, the runtime's
 * reference, which drops that notification: a deliberate deviation, listed
 * in docs/asyncio-deviations.md and pinned by scenario cond_cancel_notified.
 *
 * Like every suspension point, wait() returns AW_ECANCELLED at once when the
 * task is already cancelled; it then does not release the lock at all.
 */
#include "internal.h"

static void trace_state(const aw_condition *cond)
{
    if (!aw__trace_on())
        return;
    const aw_task *owner = cond->lock ? cond->lock->owner : NULL;
    aw__trace_resource("condition", cond->name, owner ? 1 : 0, 0,
                       cond->waiting, owner ? owner->id : 0);
}

void aw_cond_init(aw_condition *cond, aw_lock *lock, const char *name)
{
    if (!cond)
        return;
    aw__list_init(&cond->waiters);
    cond->waiting = 0;
    cond->lock = lock;
    cond->name = name ? name : "condition";
}

/* AW_OK if the running task holds the condition's lock, else AW_ESTATE. */
static int check_held(const aw_condition *cond, const char *what)
{
    aw_task *self = aw__current();
    if (!self)
        return AW_ESTATE;
    if (!cond->lock)
        return aw_raise(AW_EINVAL, "condition '%s' has no lock", cond->name);
    if (cond->lock->owner != self)
        return aw_raise(AW_ESTATE, "cannot %s on condition '%s': task '%s' does not hold "
                        "lock '%s'", what, cond->name, self->name, cond->lock->name);
    return AW_OK;
}

/* Wakes the first n waiters, each with its notification (`granted`). */
static void wake_waiters(aw_condition *cond, size_t n)
{
    aw_task *task;
    for (size_t i = 0; i < n && (task = aw__wait_pop(&cond->waiters)) != NULL; i++) {
        task->granted = true;
        aw__wake(task, AW_OK);
    }
    trace_state(cond);
}

int aw_cond_notify(aw_condition *cond, size_t n)
{
    if (!cond)
        return AW_EINVAL;
    int status = check_held(cond, "notify");
    if (status != AW_OK)
        return status;
    if (n > 0 && !aw__list_empty(&cond->waiters))
        wake_waiters(cond, n);
    return AW_OK;
}

int aw_cond_notify_all(aw_condition *cond)
{
    return aw_cond_notify(cond, SIZE_MAX);
}

static void cond_detach(aw_task *task)
{
    if (aw__wait_dequeue(task))
        trace_state(task->wait->data);
}

static void cond_on_cancel(aw_task *task)
{
    cond_detach(task);
    aw__wake(task, AW_ECANCELLED);
}

/*
 * Takes the lock back after a wait.  The shield keeps a cancellation from
 * interrupting it; only the deadlock breaker can, and then the lock is not
 * held on return (the run is being torn down anyway).
 */
static int reacquire(aw_lock *lock)
{
    aw_shield_begin();
    int status = aw_lock_acquire(lock);
    aw_shield_end();
    return status;
}

/*
 * Releases the lock, waits for a notification and retakes the lock.
 * Returns AW_OK (notified), AW_ECANCELLED (holding the lock again as well),
 * or AW_ESTATE without waiting if the caller does not hold the lock.
 */
int aw_cond_wait(aw_condition *cond)
{
    if (!cond)
        return AW_EINVAL;
    int status = check_held(cond, "wait");
    if (status != AW_OK)
        return status;
    aw_task *self = aw__current();
    if (aw__cancel_pending(self))
        return AW_ECANCELLED; /* still holding the lock: nothing changed */

    self->granted = false;
    aw__wait_enqueue(&cond->waiters, &cond->waiting, self);
    aw_lock_release(cond->lock);
    trace_state(cond);
    aw__wait wait = {.on = "condition", .name = cond->name, .on_cancel = cond_on_cancel,
                     .detach = cond_detach, .data = cond};
    status = aw__suspend(&wait);
    cond_detach(self); /* still queued only if we never parked */
    bool notified = self->granted;
    self->granted = false;

    int relock = reacquire(cond->lock);
    if (relock != AW_OK)
        return relock;
    if (status != AW_OK || aw__cancel_pending(self)) {
        if (notified)
            wake_waiters(cond, 1); /* do not swallow the notification */
        return AW_ECANCELLED;
    }
    return AW_OK;
}

/*
 * Waits until predicate(arg) is true, checking it first and after every
 * notification, with the lock held each time.  Returns AW_OK once it is
 * true, or the status that ended a wait.
 */
int aw_cond_wait_for(aw_condition *cond, aw_predicate predicate, void *arg)
{
    if (!cond || !predicate)
        return AW_EINVAL;
    int status = check_held(cond, "wait");
    if (status != AW_OK)
        return status;
    while (!predicate(arg)) {
        status = aw_cond_wait(cond);
        if (status != AW_OK)
            return status;
    }
    return AW_OK;
}
