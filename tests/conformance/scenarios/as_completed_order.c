/*
 * as_completed_order -- as_completed gives the tasks in the order they
 * finish, not the order they were passed; a failure comes out in its turn.
 */
#include "scenario.h"

typedef struct job_spec {
    const char *name;
    long tenths;
    bool fails;
} job_spec;

static const job_spec specs[] = {{"a", 5, false}, {"b", 2, true}, {"c", 3, false}};

static int job(void *arg, intptr_t *result)
{
    const job_spec *spec = arg;
    int status = aw_sleep((double)spec->tenths / 10);
    if (status != AW_OK)
        return status;
    if (spec->fails)
        return aw_raise(AW_EAPP, "%s failed", spec->name);
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
    aw_as_completed it;
    aw_as_completed_begin(&it, tasks, 3, AW_NEVER);
    aw_task *next;
    int status;
    while ((status = aw_as_completed_next(&it, &next)) == AW_OK && next) {
        if (aw_task_state_of(next) == AW_TASK_OK)
            say("got %s", (const char *)aw_task_value(next));
        else
            say("got error: %s", aw_task_error(next)->message);
    }
    aw_as_completed_end(&it);
    if (status != AW_OK)
        return status;
    say("all given");
    return AW_OK;
}

int main(void)
{
    return run_scenario(scenario);
}
