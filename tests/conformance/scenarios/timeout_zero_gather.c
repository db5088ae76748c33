/*
 * timeout_zero_gather -- a deadline that has already passed when a gather
 * begins: the tasks that were ready before it run their first step, then
 * the deadline cancels them.  (asyncio runs what was ready before the timer
 * that became due.)
 */
#include "scenario.h"

static int job(void *arg, intptr_t *result)
{
    const char *name = arg;
    say("%s starts", name);
    int status = aw_sleep(name[0] == 'a' ? 0.2 : 0.3);
    if (status != AW_OK) {
        say("%s cancelled", name);
        return status;
    }
    say("%s done", name);
    *result = (intptr_t)name;
    return AW_OK;
}

static const char *outcome(const aw_task *task)
{
    return aw_task_state_of(task) == AW_TASK_CANCELLED ? "cancelled" : "done";
}

static int scenario(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_task *tasks[2] = {aw_spawn(job, "a", "a"), aw_spawn(job, "b", "b")};
    aw_timeout scope;
    aw_timeout_begin(&scope, 0);
    int status = aw_gather(tasks, 2, 0);
    status = aw_timeout_end(&scope, status);
    if (status == AW_ETIMEDOUT)
        say("timed out");
    else if (status == AW_OK)
        say("gather finished in time");
    else
        return status;
    say("a: %s; b: %s", outcome(tasks[0]), outcome(tasks[1]));
    return AW_OK;
}

int main(void)
{
    return run_scenario(scenario);
}
