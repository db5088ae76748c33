/*
 * gather_timeout -- a timeout around gather cancels the children that
 * have not finished; the ones that had finished keep their results.  The
 * caller gets the timeout once the cancelled children are done.
 */
#include "scenario.h"

typedef struct job_spec {
    const char *name;
    long tenths;
} job_spec;

static const job_spec specs[] = {{"a", 2}, {"b", 6}, {"c", 9}};

static int job(void *arg, intptr_t *result)
{
    const job_spec *spec = arg;
    int status = aw_sleep((double)spec->tenths / 10);
    if (status != AW_OK) {
        say("%s cancelled", spec->name);
        return status;
    }
    say("%s done", spec->name);
    *result = (intptr_t)spec->name;
    return AW_OK;
}

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
    const char *states[3];
    for (int i = 0; i < 3; i++)
        states[i] = aw_task_state_of(tasks[i]) == AW_TASK_CANCELLED
                        ? "cancelled"
                        : (const char *)aw_task_value(tasks[i]);
    say("children: %s, %s, %s", states[0], states[1], states[2]);
    return AW_OK;
}

int main(void)
{
    return run_scenario(scenario);
}
