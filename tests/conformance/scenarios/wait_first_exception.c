/*
 * wait_first_exception -- wait(FIRST_EXCEPTION) returns at the first
 * failure; when nothing fails it waits for every task, like ALL_COMPLETED.
 */
#include "jobs.h"

static const job_spec specs[] = {
    {"a", 2, false}, {"b", 4, true}, {"c", 7, false}, {"d", 1, false}, {"e", 5, false},
};

static int scenario(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_task *tasks[3];
    for (int i = 0; i < 3; i++)
        tasks[i] = aw_spawn(job, (void *)&specs[i], "%s", specs[i].name);
    int status = aw_wait(tasks, 3, AW_FIRST_EXCEPTION, AW_NEVER, NULL);
    if (status != AW_OK)
        return status;
    say_done_pending(tasks, 3);

    aw_task *more[2];
    for (int i = 0; i < 2; i++)
        more[i] = aw_spawn(job, (void *)&specs[3 + i], "%s", specs[3 + i].name);
    status = aw_wait(more, 2, AW_FIRST_EXCEPTION, AW_NEVER, NULL);
    if (status != AW_OK)
        return status;
    say_done_pending(more, 2);
    return AW_OK;
}

int main(void)
{
    return run_scenario(scenario);
}
