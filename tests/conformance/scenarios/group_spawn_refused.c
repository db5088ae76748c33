/*
 * group_spawn_refused -- once a task group is shutting down (a child
 * failed), adding a task to it is an error; after the group has exited, it
 * is an error too, for another reason.
 */
#include "scenario.h"

#include <string.h>

typedef struct child_spec {
    const char *name;
    long tenths;
    bool fails;
} child_spec;

static const child_spec failing = {"a", 2, true};
static const child_spec late = {"late", 1, false};
static const child_spec after = {"after", 1, false};

static int child(void *arg, intptr_t *result)
{
    const child_spec *spec = arg;
    int status = aw_sleep((double)spec->tenths / 10);
    if (status != AW_OK) {
        say("%s cancelled", spec->name);
        return status;
    }
    if (spec->fails) {
        say("%s fails", spec->name);
        return aw_raise(AW_EAPP, "%s failed", spec->name);
    }
    say("%s done", spec->name);
    *result = (intptr_t)spec->name;
    return AW_OK;
}

static void try_spawn(aw_group *group, const child_spec *spec)
{
    if (aw_group_spawn(group, child, (void *)spec, "%s", spec->name)) {
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
    aw_group_spawn(&group, child, (void *)&failing, "a");
    int status = aw_sleep(1.0);
    if (status == AW_ECANCELLED) {
        say("body cancelled");
        try_spawn(&group, &late);
    }
    status = aw_group_end(&group, status);
    if (status == AW_EGROUP)
        say("group errors: [%s]", aw_group_error(&group, 0)->message);
    try_spawn(&group, &after);
    aw_group_dispose(&group);
    return AW_OK;
}

int main(void)
{
    return run_scenario(scenario);
}
