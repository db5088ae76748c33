/*
 * wait_timeout -- when wait's timeout passes it returns what is done and
 * what is pending; it raises nothing and cancels nothing: the pending tasks
 * run on.
 */
#include "jobs.h"

static const job_spec specs[] = {{"a", 2, false}, {"b", 5, false}, {"c", 8, false}};

static int scenario(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_task *tasks[3];
    for (int i = 0; i < 3; i++)
        tasks[i] = aw_spawn(job, (void *)&specs[i], "%s", specs[i].name);
    int status = aw_wait(tasks, 3, AW_ALL_COMPLETED, 0.3, NULL);
    if (status != AW_OK)
        return status;
    say_done_pending(tasks, 3);
    aw_task *still_running[3];
    size_t n_pending = 0;
    for (int i = 0; i < 3; i++)
        if (!aw_task_done(tasks[i]))
            still_running[n_pending++] = tasks[i];
    status = aw_gather(still_running, n_pending, 0);
    if (status != AW_OK)
        return status;
    say_cancelled(tasks, 3);
    return AW_OK;
}

int main(void)
{
    return run_scenario(scenario);
}
