/*
 * wait_for_zero -- wait_for with a timeout of 0 or less times out at once
 * and never lets a task that has not started run at all.
 */
#include "scenario.h"

static int job(void *arg, intptr_t *result)
{
    say("%s starts", (const char *)arg);
    int status = aw_sleep(0.1);
    *result = (intptr_t)arg;
    return status;
}

static int scenario(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    static const char *const names[] = {"a", "b"};
    static const int timeouts[] = {0, -1};
    for (int i = 0; i < 2; i++) {
        aw_task *task = aw_spawn(job, (void *)names[i], "%s", names[i]);
        int status = aw_wait_for(task, timeouts[i]);
        if (status == AW_ETIMEDOUT)
            say("wait_for(%d): timed out", timeouts[i]);
        else if (status == AW_OK)
            say("wait_for(%d): returned", timeouts[i]);
        else
            return status;
        say("%s cancelled: %s", names[i],
            aw_task_state_of(task) == AW_TASK_CANCELLED ? "True" : "False");
    }
    aw_sleep(0.2);
    say("main ends");
    return AW_OK;
}

int main(void)
{
    return run_scenario(scenario);
}
