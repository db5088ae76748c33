/*
 * cond_wait_for -- wait_for(predicate) checks the predicate once before
 * waiting and again after every notification, with the lock held, and
 * returns as soon as it is true.
 *
 * The counter goes up by one at 0.1, 0.2 and 0.3, with a notify_all() each
 * time; the waiter wants it to reach 3, so the predicate is checked four
 * times: at 0.0, 0.1, 0.2 and 0.3.
 */
#include "scenario.h"

static aw_lock lock;
static aw_condition cond;
static int count;

static bool reached_three(void *arg)
{
    (void)arg;
    say("predicate checked: count=%d", count);
    return count >= 3;
}

static int waiter(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_lock_acquire(&lock);
    int status = aw_cond_wait_for(&cond, reached_three, NULL);
    say("waiter done: count=%d", count);
    aw_lock_release(&lock);
    return status;
}

static int counter(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    for (int i = 0; i < 3; i++) {
        aw_sleep(0.1);
        aw_lock_acquire(&lock);
        count++;
        aw_cond_notify_all(&cond);
        aw_lock_release(&lock);
    }
    return AW_OK;
}

static int scenario(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_lock_init(&lock, "lock");
    aw_cond_init(&cond, &lock, "cond");
    aw_task *tasks[2] = {aw_spawn(waiter, NULL, "waiter"), aw_spawn(counter, NULL, "counter")};
    aw_gather(tasks, 2, 0);
    return AW_OK;
}

int main(void)
{
    return run_scenario(scenario);
}
