/*
 * sem_locked_handoff -- a permit handed to a woken waiter that has not run
 * yet makes locked() true, and a newcomer queues behind it even though
 * another permit is free (CPython 3.11).
 */
#include "scenario.h"

static aw_semaphore sem;

static int worker(void *arg, intptr_t *result)
{
    (void)result;
    int status = aw_sem_acquire(&sem);
    if (status != AW_OK)
        return status;
    say("%s acquired", (const char *)arg);
    aw_sleep(0.1);
    return aw_sem_release(&sem);
}

static int scenario(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_sem_init(&sem, 2, "sem");
    aw_sem_acquire(&sem);
    aw_sem_acquire(&sem);
    aw_spawn(worker, "w", "w");
    aw_sleep(0.1);
    aw_spawn(worker, "n", "n");
    aw_sem_release(&sem);
    aw_sem_release(&sem);
    say("locked: %s", aw_sem_locked(&sem) ? "True" : "False");
    aw_sleep(0.3);
    return AW_OK;
}

int main(void)
{
    return run_scenario(scenario);
}
