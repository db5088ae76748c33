/*
 * group_body_tie -- a child fails in the same instant the body's own await
 * completes: the group hears of the failure through a callback, so the
 * body runs that step first; its own error is reported after the child's.
 */
#include "scenario.h"

static aw_event event;

static int fails_on_event(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    int status = aw_event_wait(&event);
    if (status != AW_OK)
        return status;
    say("a fails");
    return aw_raise(AW_EAPP, "a failed");
}

static int setter(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_sleep(0.2);
    say("setter sets the event");
    aw_event_set(&event);
    return AW_OK;
}

static int scenario(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_event_init(&event, "event");
    aw_spawn(setter, NULL, "setter");
    aw_group group;
    aw_group_begin(&group);
    aw_group_spawn(&group, fails_on_event, NULL, "a");
    int status = aw_sleep(0.1);
    if (status == AW_OK)
        status = aw_event_wait(&event);
    if (status == AW_OK) {
        say("body runs its step");
        status = aw_raise(AW_EAPP, "body failed");
    }
    if (aw_group_end(&group, status) == AW_EGROUP)
        say_group_errors(&group);
    aw_group_dispose(&group);
    return AW_OK;
}

int main(void)
{
    return run_scenario(scenario);
}
