/*
 * lock_release_unlocked -- releasing a lock that nobody holds is an error
 * (asyncio: RuntimeError), both on a fresh lock and on one already
 * released.  The lock stays usable afterwards.
 */
#include "scenario.h"

static int scenario(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_lock lock;
    aw_lock_init(&lock, "lock");
    say("release a fresh lock: %s", exception_name(aw_lock_release(&lock)));
    aw_lock_acquire(&lock);
    say("acquired; locked: %s", aw_lock_locked(&lock) ? "True" : "False");
    say("release: %s", exception_name(aw_lock_release(&lock)));
    say("release again: %s", exception_name(aw_lock_release(&lock)));
    aw_lock_acquire(&lock);
    say("acquired again; locked: %s", aw_lock_locked(&lock) ? "True" : "False");
    aw_lock_release(&lock);
    return AW_OK;
}

int main(void)
{
    return run_scenario(scenario);
}
