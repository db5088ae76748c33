/*
 * wait_for_swallowed -- if the task that wait_for cancels at the deadline
 * catches the cancellation and returns a value anyway, wait_for returns
 * that value instead of the timeout; so does a timeout scope awaiting such
 * a task (and the scope says it expired).
 */
#include "scenario.h"

static int job(void *arg, intptr_t *result)
{
    int status = aw_sleep(1.0);
    if (status == AW_ECANCELLED) {
        say("%s cancelled, returns a partial result", (const char *)arg);
        *result = (intptr_t)"partial";
        return AW_OK;
    }
    *result = (intptr_t)"full";
    return status;
}

static int scenario(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_task *task = aw_spawn(job, "a", "a");
    int status = aw_wait_for(task, 0.3);
    if (status == AW_OK)
        say("wait_for returned: %s", (const char *)aw_task_value(task));
    else if (status == AW_ETIMEDOUT)
        say("wait_for: timed out");
    else
        return status;

    aw_timeout scope;
    aw_timeout_begin(&scope, 0.3);
    task = aw_spawn(job, "b", "b");
    status = aw_await(task);
    status = aw_timeout_end(&scope, status);
    if (status == AW_OK)
        say("timeout scope returned: %s, expired: %s", (const char *)aw_task_value(task),
            aw_timeout_expired(&scope) ? "True" : "False");
    else if (status == AW_ETIMEDOUT)
        say("timeout scope: timed out");
    else
        return status;
    return AW_OK;
}

int main(void)
{
    return run_scenario(scenario);
}
