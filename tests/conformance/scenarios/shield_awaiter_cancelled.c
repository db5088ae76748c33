/*
 * shield_awaiter_cancelled -- cancelling a task that awaits a shielded
 * task stops the waiting at once, and leaves the shielded task running.
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

static int waiter(void *arg, intptr_t *result)
{
    (void)result;
    int status = aw_await_shielded(arg);
    if (status == AW_ECANCELLED)
        say("waiter: cancelled");
    else if (status == AW_OK)
        say("waiter: got the result");
    return status;
}

static int scenario(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_task *task = aw_spawn(work, NULL, "work");
    aw_task *waiting = aw_spawn(waiter, task, "waiter");
    aw_sleep(0.2);
    say("main cancels the waiter");
    aw_cancel(waiting);
    aw_await(waiting);
    say("work still running: %s", aw_task_done(task) ? "False" : "True");
    int status = aw_await(task);
    if (status != AW_OK)
        return status;
    say("work's result: %s", (const char *)aw_task_value(task));
    return AW_OK;
}

int main(void)
{
    return run_scenario(scenario);
}
