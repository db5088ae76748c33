/*
 * shield_timeout -- a timeout around a shielded task gives up waiting at
 * the deadline, but the task itself is not cancelled and finishes.
 */
#include "scenario.h"

static int work(void *arg, intptr_t *result)
{
    (void)arg;
    int status = aw_sleep(0.5);
    if (status != AW_OK)
        return status;
    say("work done");
    *result = (intptr_t)"result";
    return AW_OK;
}

static int scenario(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_task *task = aw_spawn(work, NULL, "work");
    aw_timeout scope;
    aw_timeout_begin(&scope, 0.2);
    int status = aw_await_shielded(task);
    status = aw_timeout_end(&scope, status);
    if (status == AW_ETIMEDOUT)
        say("timed out waiting");
    else if (status == AW_OK)
        say("finished in time");
    else
        return status;
    say("work cancelled: %s", aw_task_state_of(task) == AW_TASK_CANCELLED ? "True" : "False");
    status = aw_await(task);
    if (status != AW_OK)
        return status;
    say("work's result: %s", (const char *)aw_task_value(task));
    return AW_OK;
}

int main(void)
{
    return run_scenario(scenario);
}
