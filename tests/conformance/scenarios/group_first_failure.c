/*
 * group_first_failure -- the first child to fail cancels the unfinished
 * siblings and the body; a child that had already finished keeps its
 * result; the group exits once every child has ended.
 */
#include "scenario.h"

typedef struct child_spec {
    const char *name;
    long tenths;
    bool fails;
} child_spec;

static const child_spec specs[] = {{"a", 2, false}, {"b", 3, true}, {"c", 8, false}};

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

/* Prints "label: [e1, e2, ...]" from the group's error list. */
static void say_errors(const aw_group *group)
{
    char text[400] = "";
    size_t used = 0;
    for (size_t i = 0; i < aw_group_error_count(group) && used < sizeof text; i++)
        used += (size_t)snprintf(text + used, sizeof text - used, "%s%s", i ? ", " : "",
                                 aw_group_error(group, i)->message);
    say("group errors: [%s]", text);
}

static int scenario(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_group group;
    aw_group_begin(&group);
    aw_task *a = aw_group_spawn(&group, child, (void *)&specs[0], "a");
    aw_group_spawn(&group, child, (void *)&specs[1], "b");
    aw_task *c = aw_group_spawn(&group, child, (void *)&specs[2], "c");
    int status = aw_sleep(1.0);
    if (status == AW_OK)
        say("body done");
    else
        say("body cancelled");
    status = aw_group_end(&group, status);
    if (status == AW_EGROUP)
        say_errors(&group);
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
