/*
 * group_waits_for_all -- leaving a task group's block waits for every
 * child, including one a child added while the group was already exiting.
 */
#include "jobs.h"

static aw_group group;

static const job_spec b = {"b", 3, false};
static const job_spec c = {"c", 4, false};

static int spawner(void *arg, intptr_t *result)
{
    (void)arg;
    int status = aw_sleep(0.2);
    if (status != AW_OK)
        return status;
    say("a adds c to the group");
    if (!aw_group_spawn(&group, job, (void *)&c, "c"))
        return aw_raise(AW_ESTATE, "%s", aw_last_error()->message);
    *result = (intptr_t)"a";
    return AW_OK;
}

static int scenario(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_group_begin(&group);
    aw_group_spawn(&group, spawner, NULL, "a");
    aw_group_spawn(&group, job, (void *)&b, "b");
    say("body ends, group waits");
    int status = aw_group_end(&group, AW_OK);
    aw_group_dispose(&group);
    if (status != AW_OK)
        return status;
    say("group exited");
    return AW_OK;
}

int main(void)
{
    return run_scenario(scenario);
}
