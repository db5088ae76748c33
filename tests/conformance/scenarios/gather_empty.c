/*
 * gather_empty -- gather of nothing returns an empty result at once,
 * without even letting other tasks run first.
 */
#include "scenario.h"

static int other(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    say("other task runs");
    return AW_OK;
}

static int scenario(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_task *task = aw_spawn(other, NULL, "other");
    int status = aw_gather(NULL, 0, 0);
    if (status != AW_OK)
        return status;
    say("gather of nothing: %d results", 0);
    say("other task started yet: %s", aw_task_done(task) ? "True" : "False");
    aw_await(task);
    say("main ends");
    return AW_OK;
}

int main(void)
{
    return run_scenario(scenario);
}
