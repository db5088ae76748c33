/*
 * event_set_clear -- set() wakes every task waiting at that moment, even if
 * clear() follows at once, before any of them runs.  A task that starts to
 * wait after the clear() waits for the next set().
 */
#include "scenario.h"

static aw_event event;

static int waiter(void *arg, intptr_t *result)
{
    const char *name = arg;
    (void)result;
    say("%s waits", name);
    int status = aw_event_wait(&event);
    say("%s woke; is_set: %s", name, aw_event_is_set(&event) ? "True" : "False");
    return status;
}

static int scenario(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_event_init(&event, "event");
    aw_task *tasks[4] = {aw_spawn(waiter, "a", "a"), aw_spawn(waiter, "b", "b"),
                         aw_spawn(waiter, "c", "c")};
    aw_sleep(0.2);
    aw_event_set(&event);
    aw_event_clear(&event);
    say("set and cleared");
    tasks[3] = aw_spawn(waiter, "late", "late");
    aw_sleep(0.2);
    say("set again");
    aw_event_set(&event);
    aw_gather(tasks, 4, 0);
    return AW_OK;
}

int main(void)
{
    return run_scenario(scenario);
}
