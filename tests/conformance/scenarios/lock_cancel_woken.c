/*
 * lock_cancel_woken -- a waiter handed the lock and cancelled before it
 * runs passes the lock on to the next waiter; the lock is not left taken
 * by nobody.
 *
 * main holds the lock; first and second queue for it.  At 0.2 main
 * releases it (first is woken) and cancels first in the same step.  first
 * ends cancelled; second gets the lock and holds it until 0.4.
 */
#include "scenario.h"

static aw_lock lock;

static int waiter(void *arg, intptr_t *result)
{
    const char *name = arg;
    (void)result;
    int status = aw_lock_acquire(&lock);
    if (status == AW_ECANCELLED) {
        say("%s cancelled while waiting", name);
        return status;
    }
    say("%s has the lock", name);
    aw_sleep(0.2);
    aw_lock_release(&lock);
    say("%s released", name);
    return AW_OK;
}

static int scenario(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_lock_init(&lock, "lock");
    aw_lock_acquire(&lock);
    aw_task *first = aw_spawn(waiter, "first", "first");
    aw_task *second = aw_spawn(waiter, "second", "second");
    aw_sleep(0.2);
    aw_lock_release(&lock);
    aw_cancel(first);
    say("main released and cancelled first");
    aw_sleep(0.1);
    say("locked: %s", aw_lock_locked(&lock) ? "True" : "False");
    aw_task *tasks[2] = {first, second};
    aw_gather(tasks, 2, AW_RETURN_EXCEPTIONS);
    say("locked: %s", aw_lock_locked(&lock) ? "True" : "False");
    return AW_OK;
}

int main(void)
{
    return run_scenario(scenario);
}
