/*
 * group_first_failure -- the first child to fail cancels the unfinished
 * siblings and the body; a child that had already finished keeps its
 * result; the group exits once every child has ended.
 */
#include "jobs.h"

static const job_spec specs[] = {{"a", 2, false}, {"b", 3, true}, {"c", 8, false}};

static int scenario(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_group group;
    aw_group_begin(&group);
    aw_task *a = aw_group_spawn(&group, job, (void *)&specs[0], "a");
    aw_group_spawn(&group, job, (void *)&specs[1], "b");
    aw_task *c = aw_group_spawn(&group, job, (void *)&specs[2], "c");
    int status = aw_sleep(1.0);
    if (status == AW_OK)
        say("body done");
    else
        say("body cancelled");
    status = aw_group_end(&group, status);
    if (status == AW_EGROUP)
        say_group_errors(&group);
    else if (status == AW_OK)
        say("group exited without errors");
    aw_group_dispose(&group);
    say("a kept its result: %s", (const char *)aw_task_value(a));
    say("c cancelled: %s", aw_task_state_of(c) == AW_TASK_CANCELLED ? "True" : "False");
    return AW_OK;
}

int main(void)
{
    return run_scenario(scenario);
}
