/*
 * gather_order -- gather returns results in argument order, whatever the
 * order the tasks finished in.
 */
#include "scenario.h"

static const char *const names[] = {"a", "b", "c"};
static const long tenths[] = {3, 1, 2};

static int job(void *arg, intptr_t *result)
{
    intptr_t i = (intptr_t)arg;
    int status = aw_sleep((double)tenths[i] / 10);
    if (status != AW_OK)
        return status;
    say("%s done", names[i]);
    *result = i;
    return AW_OK;
}

static int scenario(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_task *tasks[3];
    for (intptr_t i = 0; i < 3; i++)
        tasks[i] = aw_spawn(job, (void *)i, "%s", names[i]);
    int status = aw_gather(tasks, 3, 0);
    if (status != AW_OK)
        return status;
    say("results: %s, %s, %s", names[aw_task_value(tasks[0])], names[aw_task_value(tasks[1])],
        names[aw_task_value(tasks[2])]);
    return AW_OK;
}

int main(void)
{
    return run_scenario(scenario);
}
