/*
 * lock_fifo -- a lock is taken in the order tasks asked for it.
 *
 * The holder takes the lock at 0.0; a, b and c ask for it at 0.1 in the
 * order c, a, b.  At 0.2 the holder releases it and at once asks again: it
 * goes to the back of the line behind c, a and b, each of which holds the
 * lock for 0.1 s.
 */
#include "scenario.h"

static aw_lock lock;

static int use_lock(const char *name)
{
    int status = aw_lock_acquire(&lock);
    if (status != AW_OK)
        return status;
    say("%s has the lock", name);
    status = aw_sleep(0.1);
    aw_lock_release(&lock);
    return status;
}

static int holder(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_lock_acquire(&lock);
    say("holder has the lock");
    aw_sleep(0.2);
    aw_lock_release(&lock);
    say("holder released, asks again");
    return use_lock("holder");
}

static int contender(void *arg, intptr_t *result)
{
    const char *name = arg;
    (void)result;
    aw_sleep(0.1);
    say("%s asks", name);
    return use_lock(name);
}

static int scenario(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_lock_init(&lock, "lock");
    aw_task *tasks[4] = {aw_spawn(holder, NULL, "holder"), aw_spawn(contender, "c", "c"),
                         aw_spawn(contender, "a", "a"), aw_spawn(contender, "b", "b")};
    aw_gather(tasks, 4, 0);
    say("main ends");
    return AW_OK;
}

int main(void)
{
    return run_scenario(scenario);
}
