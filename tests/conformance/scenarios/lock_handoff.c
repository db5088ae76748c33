/*
 * lock_handoff -- what locked() says between a release and the moment the
 * next waiter runs.
 *
 * In asyncio, release() marks the lock free and wakes the first waiter,
 * which takes the lock when it runs; in the meantime locked() is False,
 * although no newcomer can take it (FIFO).  At 0.2 main releases the lock
 * that waiter queued for and looks at locked() in the same step.
 */
#include "scenario.h"

static aw_lock lock;

static int waiter(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_lock_acquire(&lock);
    say("waiter has the lock");
    aw_sleep(0.1);
    aw_lock_release(&lock);
    return AW_OK;
}

static int scenario(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_lock_init(&lock, "lock");
    aw_lock_acquire(&lock);
    aw_task *task = aw_spawn(waiter, NULL, "waiter");
    aw_sleep(0.2);
    aw_lock_release(&lock);
    say("released; locked: %s", aw_lock_locked(&lock) ? "True" : "False");
    aw_yield();
    say("after the waiter ran; locked: %s", aw_lock_locked(&lock) ? "True" : "False");
    aw_await(task);
    say("locked: %s", aw_lock_locked(&lock) ? "True" : "False");
    return AW_OK;
}

int main(void)
{
    return run_scenario(scenario);
}
