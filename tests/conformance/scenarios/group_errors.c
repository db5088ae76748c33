/*
 * group_errors -- a task group reports every error, in the order they
 * happened: including an error a child raises while it is being cancelled,
 * with the body's own error last.  A child that simply ends cancelled adds
 * no error.
 *
 * Only one child prints while being cancelled: asyncio cancels the children
 * of a group in the order of a set, which is not the order they were added.
 */
#include "scenario.h"

static int fails_soon(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    int status = aw_sleep(0.2);
    if (status != AW_OK)
        return status;
    say("a fails");
    return aw_raise(AW_EAPP, "a failed");
}

static int fails_in_cleanup(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    int status = aw_sleep(1.0);
    if (status != AW_ECANCELLED)
        return status;
    say("b cancelled, cleaning up");
    aw_shield_begin();
    aw_sleep(0.2);
    aw_shield_end();
    say("b fails in its cleanup");
    return aw_raise(AW_EAPP, "b failed while cancelling");
}

static int quietly_cancelled(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    return aw_sleep(1.0); /* cancelled, and says nothing: see the note above */
}

static int scenario(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_group group;
    aw_group_begin(&group);
    aw_group_spawn(&group, fails_soon, NULL, "a");
    aw_group_spawn(&group, fails_in_cleanup, NULL, "b");
    aw_task *c = aw_group_spawn(&group, quietly_cancelled, NULL, "c");
    int status = aw_sleep(1.0);
    if (status == AW_ECANCELLED) {
        say("body cancelled, fails too");
        status = aw_raise(AW_EAPP, "body failed");
    }
    status = aw_group_end(&group, status);
    if (status == AW_EGROUP)
        say_group_errors(&group);
    aw_group_dispose(&group);
    say("c cancelled: %s", aw_task_state_of(c) == AW_TASK_CANCELLED ? "True" : "False");
    return AW_OK;
}

int main(void)
{
    return run_scenario(scenario);
}
