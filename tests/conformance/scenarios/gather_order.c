/*
 * gather_order -- gather returns results in argument order, whatever the
 * order the tasks finished in.
 */
#include "jobs.h"

static const job_spec specs[] = {{"a", 3, false}, {"b", 1, false}, {"c", 2, false}};

static int scenario(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_task *tasks[3];
    for (int i = 0; i < 3; i++)
        tasks[i] = aw_spawn(job, (void *)&specs[i], "%s", specs[i].name);
    int status = aw_gather(tasks, 3, 0);
    if (status != AW_OK)
        return status;
    say("results: %s, %s, %s", (const char *)aw_task_value(tasks[0]),
        (const char *)aw_task_value(tasks[1]), (const char *)aw_task_value(tasks[2]));
    return AW_OK;
}

int main(void)
{
    return run_scenario(scenario);
}
