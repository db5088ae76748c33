/*
 * group_outer_cancel -- cancelling the task that runs a task group
 * cancels every unfinished child; the group then ends cancelled, with no
 * errors.  (The children do not print when cancelled: asyncio cancels them
 * in the order of a set, which is not the order they were added.)
 */
#include "scenario.h"

typedef struct child_spec {
    const char *name;
    long tenths;
} child_spec;

static const child_spec specs[] = {{"a", 1}, {"b", 5}, {"c", 8}};
static aw_task *children[3];

static int child(void *arg, intptr_t *result)
{
    const child_spec *spec = arg;
    int status = aw_sleep((double)spec->tenths / 10);
    if (status != AW_OK)
        return status;
    say("%s done", spec->name);
    *result = (intptr_t)spec->name;
    return AW_OK;
}

static int owner(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_group group;
    aw_group_begin(&group);
    for (int i = 0; i < 3; i++)
        children[i] = aw_group_spawn(&group, child, (void *)&specs[i], "%s", specs[i].name);
    int status = aw_group_end(&group, AW_OK);
    aw_group_dispose(&group);
    if (status == AW_ECANCELLED)
        say("owner: cancelled");
    else if (status == AW_OK)
        say("owner: group exited");
    return status;
}

static int scenario(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_task *task = aw_spawn(owner, NULL, "owner");
    aw_sleep(0.3);
    say("main cancels the owner");
    aw_cancel(task);
    if (aw_await(task) == AW_ECANCELLED)
        say("main: owner ended cancelled");
    char states[3][40];
    for (int i = 0; i < 3; i++) {
        if (aw_task_state_of(children[i]) == AW_TASK_CANCELLED)
            snprintf(states[i], sizeof states[i], "cancelled");
        else
            snprintf(states[i], sizeof states[i], "%s done",
                     (const char *)aw_task_value(children[i]));
    }
    say("children: %s, %s, %s", states[0], states[1], states[2]);
    return AW_OK;
}

int main(void)
{
    return run_scenario(scenario);
}
