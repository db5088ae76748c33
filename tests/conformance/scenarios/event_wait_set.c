/*
 * event_wait_set -- wait() on an event that is already set returns at once,
 * without suspending: no other task runs in between.
 *
 * first and second start in the same step.  first waits on the set event
 * and carries on before second gets its turn; had wait() suspended, second
 * would have spoken first.  Only after a clear() does wait() suspend.
 */
#include "scenario.h"

static aw_event event;

static int first(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    say("first waits on the set event");
    aw_event_wait(&event);
    say("first is past wait()");
    aw_event_clear(&event);
    say("first cleared it and waits again");
    aw_event_wait(&event);
    say("first is past wait() again");
    return AW_OK;
}

static int second(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    say("second runs");
    aw_sleep(0.2);
    aw_event_set(&event);
    say("second set the event");
    return AW_OK;
}

static int scenario(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_event_init(&event, "event");
    aw_event_set(&event);
    aw_task *tasks[2] = {aw_spawn(first, NULL, "first"), aw_spawn(second, NULL, "second")};
    aw_gather(tasks, 2, 0);
    return AW_OK;
}

int main(void)
{
    return run_scenario(scenario);
}
