/*
 * sem_fifo -- a semaphore is first come, first served: a task queued for a
 * permit gets it before a newcomer, even one that asks right after the
 * release, in the same step (CPython since 3.11.0, gh-90155).
 *
 * The holder releases its permit at 0.3 and asks for it again at once; the
 * waiter, queued since 0.1, gets it first, and the holder has to wait until
 * 0.5.
 */
#include "scenario.h"

static aw_semaphore sem;

static int holder(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_sem_acquire(&sem);
    say("holder acquired");
    aw_sleep(0.3);
    aw_sem_release(&sem);
    say("holder released, asks again");
    aw_sem_acquire(&sem);
    say("holder acquired again");
    aw_sem_release(&sem);
    return AW_OK;
}

static int waiter(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_sleep(0.1);
    say("waiter asks");
    aw_sem_acquire(&sem);
    say("waiter acquired");
    aw_sleep(0.2);
    aw_sem_release(&sem);
    say("waiter released");
    return AW_OK;
}

static int scenario(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_sem_init(&sem, 1, "sem");
    aw_task *tasks[2] = {aw_spawn(holder, NULL, "holder"), aw_spawn(waiter, NULL, "waiter")};
    aw_gather(tasks, 2, 0);
    say("main ends");
    return AW_OK;
}

int main(void)
{
    return run_scenario(scenario);
}
