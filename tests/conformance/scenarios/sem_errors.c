/*
 * sem_errors -- the two ways to misuse a semaphore that asyncio refuses
 * with ValueError: a negative initial value, and releasing a
 * BoundedSemaphore above its initial value.  A plain Semaphore may be
 * released above its initial value.
 */
#include "scenario.h"

static int scenario(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_semaphore sem, bounded, plain;
    say("Semaphore(-1): %s", exception_name(aw_sem_init(&sem, -1, "negative")));

    aw_sem_init_bounded(&bounded, 1, "bounded");
    aw_sem_acquire(&bounded);
    say("bounded release 1: %s", exception_name(aw_sem_release(&bounded)));
    say("bounded release 2: %s", exception_name(aw_sem_release(&bounded)));
    say("bounded locked: %s", aw_sem_locked(&bounded) ? "True" : "False");

    aw_sem_init(&plain, 1, "plain");
    aw_sem_acquire(&plain);
    say("plain release 1: %s", exception_name(aw_sem_release(&plain)));
    say("plain release 2: %s", exception_name(aw_sem_release(&plain)));
    aw_sem_acquire(&plain);
    aw_sem_acquire(&plain);
    say("plain acquired twice; locked: %s", aw_sem_locked(&plain) ? "True" : "False");
    return AW_OK;
}

int main(void)
{
    return run_scenario(scenario);
}
