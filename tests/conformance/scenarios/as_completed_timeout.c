/*
 * as_completed_timeout -- as_completed's timeout covers the whole
 * iteration: once it has passed, the next call reports the timeout.  It
 * cancels nothing: the tasks not yet given run on.
 */
#include "jobs.h"

static const job_spec specs[] = {
    {"a", 2, false}, {"b", 3, false}, {"c", 6, false}, {"d", 9, false},
};

static int scenario(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_task *tasks[4];
    for (int i = 0; i < 4; i++)
        tasks[i] = aw_spawn(job, (void *)&specs[i], "%s", specs[i].name);
    aw_as_completed it;
    aw_as_completed_begin(&it, tasks, 4, 0.4);
    aw_task *next;
    int status;
    while ((status = aw_as_completed_next(&it, &next)) == AW_OK && next)
        say("got %s", (const char *)aw_task_value(next));
    aw_as_completed_end(&it);
    if (status == AW_ETIMEDOUT)
        say("as_completed timed out");
    else if (status != AW_OK)
        return status;
    status = aw_gather(tasks, 4, 0);
    if (status != AW_OK)
        return status;
    say("all finished, none cancelled: %s, %s, %s, %s", (const char *)aw_task_value(tasks[0]),
        (const char *)aw_task_value(tasks[1]), (const char *)aw_task_value(tasks[2]),
        (const char *)aw_task_value(tasks[3]));
    return AW_OK;
}

int main(void)
{
    return run_scenario(scenario);
}
