/*
 * wait_for_expiry -- wait_for cancels the task when the time is up, waits
 * for the task's cleanup, and only then reports the timeout.
 */
#include "scenario.h"

static int job(void *arg, intptr_t *result)
{
    (void)arg;
    say("job starts");
    int status = aw_sleep(1.0);
    if (status == AW_ECANCELLED) {
        say("job cancelled");
        aw_shield_begin(); /* cleanup that must wait */
        aw_sleep(0.2);
        aw_shield_end();
        say("job cleanup done");
        return status;
    }
    say("job done");
    *result = 1;
    return status;
}

static int scenario(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_task *task = aw_spawn(job, NULL, "job");
    int status = aw_wait_for(task, 0.3);
    if (status == AW_ETIMEDOUT)
        say("caller: timed out");
    else if (status == AW_OK)
        say("caller: finished in time");
    else
        return status;
    say("job cancelled: %s",
        aw_task_state_of(task) == AW_TASK_CANCELLED ? "True" : "False");
    return AW_OK;
}

int main(void)
{
    return run_scenario(scenario);
}
