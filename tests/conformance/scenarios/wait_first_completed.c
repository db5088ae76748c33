/*
 * wait_first_completed -- wait(FIRST_COMPLETED) returns at the first task
 * to finish, and a failure counts as finishing.  It cancels nothing: the
 * pending tasks run on.
 */
#include "jobs.h"

static const job_spec specs[] = {{"a", 2, true}, {"b", 4, false}, {"c", 6, false}};

static int scenario(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_task *tasks[3];
    for (int i = 0; i < 3; i++)
        tasks[i] = aw_spawn(job, (void *)&specs[i], "%s", specs[i].name);
    int status = aw_wait(tasks, 3, AW_FIRST_COMPLETED, AW_NEVER, NULL);
    if (status != AW_OK)
        return status;
    say_done_pending(tasks, 3);
    say("a failed: %s", aw_task_error(tasks[0])->message);
    status = aw_wait(tasks, 3, AW_ALL_COMPLETED, AW_NEVER, NULL);
    if (status != AW_OK)
        return status;
    say_cancelled(tasks, 3);
    return AW_OK;
}

int main(void)
{
    return run_scenario(scenario);
}
