/*
 * group_body_fails -- when the body of a task group fails while children
 * are still running, the children are cancelled, the group waits for them,
 * and the body's error is reported by the group.
 */
#include "jobs.h"

static const job_spec specs[] = {{"a", 1, false}, {"b", 8, false}};

static int scenario(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_group group;
    aw_group_begin(&group);
    aw_task *a = aw_group_spawn(&group, job, (void *)&specs[0], "a");
    aw_task *b = aw_group_spawn(&group, job, (void *)&specs[1], "b");
    int status = aw_sleep(0.3);
    if (status == AW_OK) {
        say("body fails");
        status = aw_raise(AW_EAPP, "body failed");
    }
    status = aw_group_end(&group, status);
    if (status == AW_EGROUP)
        say_group_errors(&group);
    aw_group_dispose(&group);
    say("a: %s; b cancelled: %s", (const char *)aw_task_value(a),
        aw_task_state_of(b) == AW_TASK_CANCELLED ? "True" : "False");
    return AW_OK;
}

int main(void)
{
    return run_scenario(scenario);
}
