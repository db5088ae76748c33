/*
 * cond_wait_cancelled -- a task cancelled inside wait() takes the lock back
 * before it sees the cancellation, so it always leaves wait() holding the
 * lock.
 *
 * The waiter waits at 0.0.  At 0.2 main takes the lock and cancels the
 * waiter, and holds the lock until 0.4: only then can the waiter retake it
 * and see its cancellation, with the lock in hand.
 */
#include "scenario.h"

static aw_lock lock;
static aw_condition cond;

static int waiter(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_lock_acquire(&lock);
    say("waiter waits");
    int status = aw_cond_wait(&cond);
    say("waiter: wait() %s; holds the lock: %s",
        status == AW_ECANCELLED ? "cancelled" : "returned",
        aw_lock_owner(&lock) == aw_current() ? "yes" : "no");
    aw_lock_release(&lock);
    return status;
}

static int scenario(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_lock_init(&lock, "lock");
    aw_cond_init(&cond, &lock, "cond");
    aw_task *task = aw_spawn(waiter, NULL, "waiter");
    aw_sleep(0.2);
    aw_lock_acquire(&lock);
    aw_cancel(task);
    say("main holds the lock and cancelled the waiter");
    aw_sleep(0.2);
    say("main releases the lock");
    aw_lock_release(&lock);
    aw_gather(&task, 1, AW_RETURN_EXCEPTIONS);
    say("waiter ended; locked: %s", aw_lock_locked(&lock) ? "True" : "False");
    return AW_OK;
}

int main(void)
{
    return run_scenario(scenario);
}
