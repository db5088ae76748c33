/*
 * cond_notify -- notify(n) wakes the first n waiters, notify_all() all of
 * them, in the order they began to wait; each woken waiter must take the
 * lock back before wait() returns, so they come out one at a time.
 *
 * Four waiters wait at 0.0.  At 0.2 notify(1) wakes w0 only.  At 0.4
 * notify_all() wakes w1, w2 and w3, which each hold the lock for 0.1 s:
 * they return from wait() at 0.4, 0.5 and 0.6.  At 0.8 main calls notify()
 * without holding the lock: RuntimeError.
 */
#include "scenario.h"

static aw_lock lock;
static aw_condition cond;

static int waiter(void *arg, intptr_t *result)
{
    long i = (long)(intptr_t)arg;
    (void)result;
    aw_lock_acquire(&lock);
    int status = aw_cond_wait(&cond);
    say("w%ld is back from wait(), holding the lock", i);
    aw_sleep(0.1);
    aw_lock_release(&lock);
    return status;
}

static int scenario(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_lock_init(&lock, "lock");
    aw_cond_init(&cond, &lock, "cond");
    aw_task *tasks[4];
    for (long i = 0; i < 4; i++)
        tasks[i] = aw_spawn(waiter, (void *)(intptr_t)i, "w%ld", i);
    aw_sleep(0.2);

    aw_lock_acquire(&lock);
    say("notify(1)");
    aw_cond_notify(&cond, 1);
    aw_lock_release(&lock);
    aw_sleep(0.2);

    aw_lock_acquire(&lock);
    say("notify_all()");
    aw_cond_notify_all(&cond);
    aw_lock_release(&lock);
    aw_gather(tasks, 4, 0);
    aw_sleep(0.1);

    say("notify() without the lock: %s", exception_name(aw_cond_notify(&cond, 1)));
    return AW_OK;
}

int main(void)
{
    return run_scenario(scenario);
}
