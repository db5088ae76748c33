/*
 * sem_handoff -- release() hands the permit straight to the first waiter.
 *
 * Three waiters queue on a semaphore with no permits.  Two releases in one
 * step wake the first two, in order, and the semaphore stays locked: the
 * permits went to them, not to the count.  A third release wakes the last
 * waiter; a fourth, with nobody waiting, finally leaves a permit free.
 */
#include "scenario.h"

static aw_semaphore sem;

static int waiter(void *arg, intptr_t *result)
{
    long i = (long)(intptr_t)arg;
    (void)result;
    say("waiter-%ld asks", i);
    int status = aw_sem_acquire(&sem);
    say("waiter-%ld acquired: %s", i, status == AW_OK ? "yes" : "no");
    return status;
}

static int scenario(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_sem_init(&sem, 0, "sem");
    aw_task *tasks[3];
    for (long i = 0; i < 3; i++)
        tasks[i] = aw_spawn(waiter, (void *)(intptr_t)i, "waiter-%ld", i);
    aw_sleep(0.2);
    aw_sem_release(&sem);
    aw_sem_release(&sem);
    say("released twice; locked: %s", aw_sem_locked(&sem) ? "True" : "False");
    aw_sleep(0.2);
    aw_sem_release(&sem);
    say("released once more; locked: %s", aw_sem_locked(&sem) ? "True" : "False");
    aw_gather(tasks, 3, 0);
    aw_sleep(0.2);
    aw_sem_release(&sem);
    say("released with nobody waiting; locked: %s", aw_sem_locked(&sem) ? "True" : "False");
    return AW_OK;
}

int main(void)
{
    return run_scenario(scenario);
}
