/*
 * group_spawn_refused -- once a task group is shutting down (a child
 * failed), adding a task to it is an error; after the group has exited, it
 * is an error too, for another reason.
 */
#include "jobs.h"

#include <string.h>

static const job_spec failing = {"a", 2, true};
static const job_spec late = {"late", 1, false};
static const job_spec after = {"after", 1, false};

static void try_spawn(aw_group *group, const job_spec *spec)
{
    if (aw_group_spawn(group, job, (void *)spec, "%s", spec->name)) {
        say("%s spawned", spec->name);
        return;
    }
    const char *message = aw_last_error()->message;
    const char *reason = strstr(message, "shutting down") ? "shutting down"
                         : strstr(message, "finished")    ? "finished"
                                                          : message;
    say("spawn of %s refused: %s", spec->name, reason);
}

static int scenario(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_group group;
    aw_group_begin(&group);
    aw_group_spawn(&group, job, (void *)&failing, "a");
    int status = aw_sleep(1.0);
    if (status == AW_ECANCELLED) {
        say("body cancelled");
        try_spawn(&group, &late);
    }
    status = aw_group_end(&group, status);
    if (status == AW_EGROUP)
        say_group_errors(&group);
    try_spawn(&group, &after);
    aw_group_dispose(&group);
    return AW_OK;
}

int main(void)
{
    return run_scenario(scenario);
}
