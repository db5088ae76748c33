/*
 * sem_cancel_woken -- a waiter handed a permit and cancelled before it runs
 * gives the permit back, to the next waiter in line; no permit is lost.
 *
 * main holds the only permit; first and second queue for it.  At 0.2 main
 * releases (first is woken with the permit) and cancels first in the same
 * step.  first ends cancelled and second gets the permit at once.
 */
#include "scenario.h"

static aw_semaphore sem;

static int waiter(void *arg, intptr_t *result)
{
    const char *name = arg;
    (void)result;
    int status = aw_sem_acquire(&sem);
    if (status == AW_ECANCELLED) {
        say("%s cancelled while waiting", name);
        return status;
    }
    say("%s acquired", name);
    aw_sleep(0.2);
    aw_sem_release(&sem);
    say("%s released", name);
    return AW_OK;
}

static int scenario(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_sem_init(&sem, 1, "sem");
    aw_sem_acquire(&sem);
    aw_task *first = aw_spawn(waiter, "first", "first");
    aw_task *second = aw_spawn(waiter, "second", "second");
    aw_sleep(0.2);
    aw_sem_release(&sem);
    aw_cancel(first);
    say("main released and cancelled first");
    aw_sleep(0.1);
    say("locked: %s", aw_sem_locked(&sem) ? "True" : "False");
    aw_task *tasks[2] = {first, second};
    aw_gather(tasks, 2, AW_RETURN_EXCEPTIONS);
    say("locked: %s", aw_sem_locked(&sem) ? "True" : "False");
    return AW_OK;
}

int main(void)
{
    return run_scenario(scenario);
}
