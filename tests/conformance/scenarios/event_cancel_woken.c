/*
 * event_cancel_woken -- set() wakes every waiter; a waiter cancelled after
 * the set() but before it runs sees the cancellation, not the event, and
 * the other waiter is not affected.
 *
 * first and second wait.  At 0.2 main sets the event and cancels first in
 * the same step.
 */
#include "scenario.h"

static aw_event event;

static int waiter(void *arg, intptr_t *result)
{
    (void)result;
    int status = aw_event_wait(&event);
    if (status == AW_ECANCELLED)
        say("%s cancelled", (const char *)arg);
    else
        say("%s saw the event", (const char *)arg);
    return status;
}

static const char *cancelled(const aw_task *task)
{
    return aw_task_state_of(task) == AW_TASK_CANCELLED ? "True" : "False";
}

static int scenario(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_event_init(&event, "event");
    aw_task *tasks[2] = {aw_spawn(waiter, "first", "first"),
                         aw_spawn(waiter, "second", "second")};
    aw_sleep(0.2);
    aw_event_set(&event);
    aw_cancel(tasks[0]);
    say("main set the event and cancelled first");
    aw_gather(tasks, 2, AW_RETURN_EXCEPTIONS);
    say("first cancelled: %s; second cancelled: %s", cancelled(tasks[0]), cancelled(tasks[1]));
    return AW_OK;
}

int main(void)
{
    return run_scenario(scenario);
}
