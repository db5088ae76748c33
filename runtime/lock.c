/*
 * lock.c -- asyncio.Lock: mutual exclusion between tasks.
 *
 * A lock is an owner (the task holding it, or NULL) and a FIFO list of the
 * tasks waiting for it.  `async with lock:` is aw_lock_acquire() ...
 * aw_lock_release().
 *
 * Release with tasks waiting picks the first of them (sets its `granted`
 * flag and wakes it); that task takes the lock when it runs.  It stays at
 * the head of the waiter list until then, and a task that finds anyone in
 * the list queues behind, so a newcomer arriving in the same instant can
 * never overtake it.  Between the release and that moment the lock is
 * free and owned by nobody: locked() says false, exactly as in asyncio
 * (3.11.0 and later, gh-90155), where the woken waiter sets _locked itself.
 * A waiter picked by a release and cancelled before it runs passes its
 * turn to the next one, so the lock is never left free with tasks waiting.
 *
 * Two differences from asyncio, both to turn silent bugs into errors:
 *
 *   - asyncio lets any task release a Lock; awaitlab refuses release by a
 *     task that does not hold it (AW_ESTATE, naming the holder).  A lock
 *     released by someone else is nearly always a bug, and C gives no
 *     traceback to find it.
 *   - acquiring a lock the task already holds is AW_ESTATE.  asyncio.Lock is
 *     not reentrant either: there the task would wait for itself forever.
 *
 * Like every suspension point, acquire returns AW_ECANCELLED at once when
 * the task is cancelled, even if the lock is free (cancel.c explains why).
 */
#include "internal.h"

static void trace_state(const aw_lock *lock)
{
    if (!aw__trace_on())
        return;
    aw__trace_resource("lock", lock->name, lock->owner ? 1 : 0, 1,
                       lock->waiting, lock->owner ? lock->owner->id : 0);
}

void aw_lock_init(aw_lock *lock, const char *name)
{
    if (!lock)
        return;
    aw__list_init(&lock->waiters);
    lock->waiting = 0;
    lock->owner = NULL;
    lock->name = name ? name : "lock";
}

/*
 * The lock is free: the first waiter gets its turn, unless it already has
 * it and has not run yet.  It takes the lock itself when it runs.
 */
static void wake_first(aw_lock *lock)
{
    if (aw__list_empty(&lock->waiters))
        return;
    aw_task *first = aw__container_of(lock->waiters.next, aw_task, wait_link);
    if (first->granted)
        return;
    first->granted = true;
    aw__wake(first, AW_OK);
}

static void lock_detach(aw_task *task)
{
    if (aw__wait_dequeue(task))
        trace_state(task->wait->data);
}

static void lock_on_cancel(aw_task *task)
{
    lock_detach(task);
    aw__wake(task, AW_ECANCELLED);
}

/*
 * Takes the lock, waiting in line while another task holds it or earlier
 * waiters are still in line.  Returns AW_OK as the owner, AW_ECANCELLED not
 * owning it, or AW_ESTATE if the caller already holds it.
 */
int aw_lock_acquire(aw_lock *lock)
{
    aw_task *self = aw__current();
    if (!self || !lock)
        return self ? AW_EINVAL : AW_ESTATE;
    if (lock->owner == self)
        return aw_raise(AW_ESTATE, "task '%s' already holds lock '%s' (locks are not "
                        "reentrant: it would wait for itself forever)",
                        self->name, lock->name);
    if (aw__cancel_pending(self))
        return AW_ECANCELLED;
    if (!lock->owner && aw__list_empty(&lock->waiters)) {
        lock->owner = self;
        trace_state(lock);
        return AW_OK;
    }

    self->granted = false;
    aw__wait_enqueue(&lock->waiters, &lock->waiting, self);
    trace_state(lock);
    aw__wait wait = {.on = "lock", .name = lock->name, .on_cancel = lock_on_cancel,
                     .detach = lock_detach, .data = lock};
    int status = aw__suspend(&wait);
    bool my_turn = self->granted;
    self->granted = false;
    aw__wait_dequeue(self); /* if picked by a release, or never parked */
    if (!my_turn)
        return status != AW_OK ? status : AW_ECANCELLED;
    if (aw__cancel_pending(self)) { /* picked, then cancelled before it ran */
        wake_first(lock);
        trace_state(lock);
        return AW_ECANCELLED;
    }
    lock->owner = self;
    trace_state(lock);
    return AW_OK;
}

int aw_lock_release(aw_lock *lock)
{
    aw_task *self = aw__current();
    if (!lock)
        return AW_EINVAL;
    if (!lock->owner)
        return aw_raise(AW_ESTATE, "lock '%s' is not locked: nothing to release", lock->name);
    if (lock->owner != self)
        return aw_raise(AW_ESTATE, "task '%s' cannot release lock '%s': it is held by "
                        "task '%s' (id %u)", self ? self->name : "?", lock->name,
                        lock->owner->name, lock->owner->id);
    lock->owner = NULL;
    wake_first(lock);
    trace_state(lock);
    return AW_OK;
}

bool aw_lock_locked(const aw_lock *lock) { return lock->owner != NULL; }
aw_task *aw_lock_owner(const aw_lock *lock) { return lock->owner; }
