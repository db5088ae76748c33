/*
 * tie_three_timers -- timers that fall due in the same instant, armed at
 * different times and by different means (a timeout, a sleep, a wait's
 * timeout), fire in the order they were armed, each taking the same number
 * of steps to reach its task.
 *
 * The three are alone in CPython's timer heap: it orders timers by their
 * deadline alone, and keeps the arming order of equal deadlines only when
 * the heap holds them that way (docs/asyncio-deviations.md).
 */
#include "scenario.h"

static aw_event done_event;

static int sleeper(void *arg, intptr_t *result)
{
    (void)result;
    if (aw_sleep(0.3) == AW_OK)
        say("%s wakes", (const char *)arg);
    return AW_OK;
}

static int in_timeout(void *arg, intptr_t *result)
{
    (void)result;
    aw_event never;
    aw_event_init(&never, "never");
    aw_timeout scope;
    aw_timeout_begin(&scope, 0.3);
    int status = aw_event_wait(&never);
    if (aw_timeout_end(&scope, status) == AW_ETIMEDOUT)
        say("%s timed out", (const char *)arg);
    return AW_OK;
}

static int wait_event(void *arg, intptr_t *result)
{
    (void)result;
    return aw_event_wait(arg);
}

static int waiter(void *arg, intptr_t *result)
{
    (void)result;
    aw_task *task = aw_spawn(wait_event, &done_event, "event-wait");
    aw_wait(&task, 1, AW_ALL_COMPLETED, 0.2, NULL);
    say("%s wait returned", (const char *)arg);
    aw_event_set(&done_event);
    return AW_OK;
}

static int scenario(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_event_init(&done_event, "done");
    aw_spawn(in_timeout, "a", "a");
    aw_spawn(sleeper, "b", "b");
    aw_sleep(0.1);
    aw_spawn(waiter, "c", "c");
    aw_event_wait(&done_event);
    aw_yield();
    say("main ends");
    return AW_OK;
}

int main(void)
{
    return run_scenario(scenario);
}
