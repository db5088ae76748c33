/*
 * cond_cancel_notified -- a waiter notified by notify(1) and cancelled
 * before it runs passes the notification on to the next waiter, so the
 * notify() is not lost.
 *
 * This is CPython 3.13's behaviour (gh-112202); 3.11 and 3.12 drop the
 * notification and `second` would wait forever.  awaitlab follows 3.13 on
 * purpose (docs/asyncio-deviations.md); the Python side says how it runs
 * 3.13's wait() on older versions.
 *
 * first and second wait.  At 0.2 main, holding the lock, notifies one
 * waiter (first) and cancels it in the same step, then releases the lock.
 */
#include "scenario.h"

static aw_lock lock;
static aw_condition cond;

static int waiter(void *arg, intptr_t *result)
{
    (void)result;
    aw_lock_acquire(&lock);
    int status = aw_cond_wait(&cond);
    if (status == AW_ECANCELLED)
        say("%s cancelled", (const char *)arg);
    else
        say("%s notified", (const char *)arg);
    aw_lock_release(&lock);
    return status;
}

static int scenario(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_lock_init(&lock, "lock");
    aw_cond_init(&cond, &lock, "cond");
    aw_task *tasks[2] = {aw_spawn(waiter, "first", "first"),
                         aw_spawn(waiter, "second", "second")};
    aw_sleep(0.2);
    aw_lock_acquire(&lock);
    aw_cond_notify(&cond, 1);
    aw_cancel(tasks[0]);
    say("main notified one waiter and cancelled first");
    aw_lock_release(&lock);
    aw_gather(tasks, 2, AW_RETURN_EXCEPTIONS);
    say("both ended");
    return AW_OK;
}

int main(void)
{
    return run_scenario(scenario);
}
