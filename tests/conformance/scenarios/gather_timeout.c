/*
 * gather_timeout -- a timeout around gather cancels the children that
 * have not finished; the ones that had finished keep their results.  The
 * caller gets the timeout once the cancelled children are done.
 */
#include "jobs.h"

static const job_spec specs[] = {{"a", 2, false}, {"b", 6, false}, {"c", 9, false}};

static int scenario(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_task *tasks[3];
    for (int i = 0; i < 3; i++)
        tasks[i] = aw_spawn(job, (void *)&specs[i], "%s", specs[i].name);
    aw_timeout scope;
    aw_timeout_begin(&scope, 0.4);
    int status = aw_gather(tasks, 3, 0);
    status = aw_timeout_end(&scope, status);
    if (status == AW_ETIMEDOUT)
        say("timed out");
    else if (status == AW_OK)
        say("gather finished in time");
    else
        return status;
    say_children(tasks, 3);
    return AW_OK;
}

int main(void)
{
    return run_scenario(scenario);
}
