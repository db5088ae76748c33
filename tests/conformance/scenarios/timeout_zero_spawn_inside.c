/*
 * timeout_zero_spawn_inside -- a timeout scope whose deadline has already
 * passed when it is entered expires before anything created inside it can
 * run: a task spawned in the scope and awaited is cancelled before its
 * first step, and the scope reports the timeout.
 */
#include "scenario.h"

static int job(void *arg, intptr_t *result)
{
    const char *name = arg;
    say("%s starts", name);
    int status = aw_sleep(0.2);
    if (status != AW_OK)
        return status;
    say("%s done", name);
    *result = (intptr_t)name;
    return AW_OK;
}

static int scenario(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_timeout scope;
    aw_timeout_begin(&scope, 0);
    aw_task *task = aw_spawn(job, "a", "a");
    int status = aw_await(task);
    status = aw_timeout_end(&scope, status);
    if (status == AW_ETIMEDOUT)
        say("timed out");
    else if (status == AW_OK)
        say("finished in time");
    else
        return status;
    say("a cancelled: %s", aw_task_state_of(task) == AW_TASK_CANCELLED ? "True" : "False");
    return AW_OK;
}

int main(void)
{
    return run_scenario(scenario);
}
