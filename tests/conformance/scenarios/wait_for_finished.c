/*
 * wait_for_finished -- wait_for on a task that has already finished gives
 * its outcome at once, even with a timeout of 0: its result, or its error.
 */
#include "scenario.h"

static int job(void *arg, intptr_t *result)
{
    const char *name = arg;
    int status = aw_sleep(0.1);
    if (status != AW_OK)
        return status;
    say("%s finishes", name);
    if (name[0] == 'b')
        return aw_raise(AW_EAPP, "%s failed", name);
    *result = (intptr_t)name;
    return AW_OK;
}

static int scenario(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_task *good = aw_spawn(job, "a", "a");
    aw_task *bad = aw_spawn(job, "b", "b");
    aw_sleep(0.2);
    if (aw_wait_for(good, 0) == AW_OK)
        say("wait_for(a, 0): %s", (const char *)aw_task_value(good));
    if (aw_wait_for(good, 1.0) == AW_OK)
        say("wait_for(a, 1.0): %s", (const char *)aw_task_value(good));
    if (aw_wait_for(bad, 0) == AW_EAPP)
        say("wait_for(b, 0) raised: %s", aw_last_error()->message);
    return AW_OK;
}

int main(void)
{
    return run_scenario(scenario);
}
