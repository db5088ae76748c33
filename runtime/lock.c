/*
 * lock.c -- asyncio.Lock: mutual exclusion between tasks.
 *
 * A lock is an owner (the task holding it, or NULL) and a FIFO list of the
 * tasks waiting for it.  `async with lock:` is aw_lock_acquire() ...
 * aw_lock_release().
 *
 * Release with tasks waiting hands the lock straight to the first of them:
 * it becomes the owner before it even runs, so a task arriving in the same
 * instant finds the lock taken and queues behind.  A waiter that is handed
 * the lock and cancelled before it runs passes it on in turn.  This is
 * asyncio's behaviour since 3.11.0 (gh-90155), the same as for semaphores.
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

/* Tasks in a waiter list; only counted when someone reads the trace. */
static long count_waiters(const aw__link *list)
{
    long n = 0;
    for (const aw__link *l = list->next; l != list; l = l->next)
        n++;
    return n;
}

static void trace_state(const aw_lock *lock)
{
    if (!aw__trace_on())
        return;
    aw__trace_resource("lock", lock->name, lock->owner ? 1 : 0, 1,
                       count_waiters(&lock->waiters), lock->owner ? lock->owner->id : 0);
}

void aw_lock_init(aw_lock *lock, const char *name)
{
    if (!lock)
        return;
    aw__list_init(&lock->waiters);
    lock->owner = NULL;
    lock->name = name ? name : "lock";
}

/* The owner lets go: the first waiter becomes the owner, or nobody. */
static void pass_lock_on(aw_lock *lock)
{
    aw__link *node = aw__list_pop_front(&lock->waiters);
    if (node) {
        aw_task *next = aw__container_of(node, aw_task, wait_link);
        lock->owner = next;
        next->granted = true;
        aw__wake(next, AW_OK);
    } else {
        lock->owner = NULL;
    }
    trace_state(lock);
}

static void lock_detach(aw_task *task)
{
    if (!aw__linked(&task->wait_link))
        return;
    aw__list_remove(&task->wait_link);
    trace_state(task->wait->data);
}

static void lock_on_cancel(aw_task *task)
{
    lock_detach(task);
    aw__wake(task, AW_ECANCELLED);
}

/*
 * Takes the lock, waiting in line while another task holds it.  Returns
 * AW_OK as the owner, AW_ECANCELLED not owning it, or AW_ESTATE if the
 * caller already holds it.
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
    if (!lock->owner) { /* a free lock implies nobody waits */
        lock->owner = self;
        trace_state(lock);
        return AW_OK;
    }

    self->granted = false;
    aw__list_push_back(&lock->waiters, &self->wait_link);
    trace_state(lock);
    aw__wait wait = {.on = "lock", .name = lock->name, .on_cancel = lock_on_cancel,
                     .detach = lock_detach, .data = lock};
    int status = aw__suspend(&wait);
    lock_detach(self); /* still queued only if we never parked */

    if (!self->granted)
        return status != AW_OK ? status : AW_ECANCELLED;
    self->granted = false;
    if (aw__cancel_pending(self)) { /* handed the lock, then cancelled */
        pass_lock_on(lock);
        return AW_ECANCELLED;
    }
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
    pass_lock_on(lock);
    return AW_OK;
}

bool aw_lock_locked(const aw_lock *lock) { return lock->owner != NULL; }
aw_task *aw_lock_owner(const aw_lock *lock) { return lock->owner; }
