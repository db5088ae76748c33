/*
 * event_fifo -- set() wakes the waiters in the order they began to wait,
 * which need not be the order they were created in.
 *
 * w0, w1 and w2 are created in that order but start waiting at 0.2, 0.0 and
 * 0.1; the event is set at 0.3 and they wake as w1, w2, w0.
 */
#include "scenario.h"

static aw_event event;

static int waiter(void *arg, intptr_t *result)
{
    long i = (long)(intptr_t)arg;
    (void)result;
    static const double arrives[] = {0.2, 0.0, 0.1};
    aw_sleep(arrives[i]);
    say("w%ld waits", i);
    int status = aw_event_wait(&event);
    say("w%ld woke", i);
    return status;
}

static int scenario(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_event_init(&event, "event");
    aw_task *tasks[3];
    for (long i = 0; i < 3; i++)
        tasks[i] = aw_spawn(waiter, (void *)(intptr_t)i, "w%ld", i);
    aw_sleep(0.3);
    say("set");
    aw_event_set(&event);
    aw_gather(tasks, 3, 0);
    return AW_OK;
}

int main(void)
{
    return run_scenario(scenario);
}
