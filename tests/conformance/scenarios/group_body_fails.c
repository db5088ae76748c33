/*
 * group_body_fails -- when the body of a task group fails while children
 * are still running, the children are cancelled, the group waits for them,
 * and the body's error is reported by the group.
 */
#include "scenario.h"

static int child(void *arg, intptr_t *result)
{
    const char *name = arg;
    int status = aw_sleep(name[0] == 'a' ? 0.1 : 0.8);
    if (status != AW_OK) {
        say("%s cancelled", name);
        return status;
    }
    say("%s done", name);
    *result = (intptr_t)name;
    return AW_OK;
}

static int scenario(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_group group;
    aw_group_begin(&group);
    aw_task *a = aw_group_spawn(&group, child, "a", "a");
    aw_task *b = aw_group_spawn(&group, child, "b", "b");
    int status = aw_sleep(0.3);
    if (status == AW_OK) {
        say("body fails");
        status = aw_raise(AW_EAPP, "body failed");
    }
    status = aw_group_end(&group, status);
    if (status == AW_EGROUP)
        say("group errors: [%s]", aw_group_error(&group, 0)->message);
    aw_group_dispose(&group);
    say("a: %s; b cancelled: %s", (const char *)aw_task_value(a),
        aw_task_state_of(b) == AW_TASK_CANCELLED ? "True" : "False");
    return AW_OK;
}

int main(void)
{
    return run_scenario(scenario);
}
