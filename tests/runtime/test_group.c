/*
 * test_group.c -- task groups (group.c): when the group hears of a child.
 *
 * A group hears that a child ended through a done callback, in a turn of
 * its own after the child's last step -- asyncio's _on_task_done.  These
 * tests pin what follows from that: a body whose await completed in the
 * same instant runs that step before the group cancels it, and a child
 * whose handle was released is freed only once the group has heard.
 */
#include "runtime_test.h"

static struct {
    aw_event event;
    bool body_ran_its_step;
    int end_status;
    size_t errors;             /* errors, or children seen finished */
    char first[128], second[128];
} seen;

static int fails_on_event(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    int status = aw_event_wait(&seen.event);
    return status != AW_OK ? status : aw_raise(AW_EAPP, "child failed");
}

static int wake_together_main(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_event_init(&seen.event, "event");
    aw_group group;
    aw_group_begin(&group);
    aw_group_spawn(&group, fails_on_event, NULL, "child");
    aw_yield(); /* the child is first in the event's line */
    int status = aw_sleep(0.1);
    if (status == AW_OK)
        aw_event_set(&seen.event); /* wakes the child; it fails next turn */
    if (status == AW_OK)
        status = aw_yield(); /* completes in the turn the child fails in */
    if (status == AW_OK) {
        seen.body_ran_its_step = true;
        status = aw_raise(AW_EAPP, "body failed");
    }
    seen.end_status = aw_group_end(&group, status);
    seen.errors = aw_group_error_count(&group);
    if (seen.errors >= 2) {
        snprintf(seen.first, sizeof seen.first, "%s", aw_group_error(&group, 0)->message);
        snprintf(seen.second, sizeof seen.second, "%s", aw_group_error(&group, 1)->message);
    }
    aw_group_dispose(&group);
    return AW_OK;
}

static void test_body_runs_its_step_before_the_group_hears_of_a_failure(void **state)
{
    (void)state;
    memset(&seen, 0, sizeof seen);
    assert_int_equal(run_virtual(wake_together_main, NULL, NULL), AW_OK);
    assert_true(seen.body_ran_its_step);
    assert_int_equal(seen.end_status, AW_EGROUP);
    assert_int_equal(seen.errors, 2);
    assert_string_equal(seen.first, "child failed"); /* the child's first */
    assert_string_equal(seen.second, "body failed");
}

static int quick(void *arg, intptr_t *result)
{
    (void)arg;
    *result = 7;
    return AW_OK;
}

/*
 * Handles given up once the children have finished but before the group
 * has heard, and at the spawn: the group must still hear, then free them.
 */
static int released_children_main(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_group group;
    aw_group_begin(&group);
    aw_task *early[3];
    for (int i = 0; i < 3; i++)
        early[i] = aw_group_spawn(&group, quick, NULL, "early-%d", i);
    aw_yield(); /* they run and finish; the group hears after this step */
    for (int i = 0; i < 3; i++) {
        seen.errors += aw_task_done(early[i]);
        aw_task_release(early[i]);
    }
    for (int i = 0; i < 3; i++)
        aw_task_release(aw_group_spawn(&group, quick, NULL, "late-%d", i));
    seen.end_status = aw_group_end(&group, AW_OK);
    aw_group_dispose(&group);
    return AW_OK;
}

static void test_released_children_are_freed_once_the_group_has_heard(void **state)
{
    (void)state;
    memset(&seen, 0, sizeof seen);
    assert_int_equal(run_virtual(released_children_main, NULL, NULL), AW_OK);
    assert_int_equal(seen.errors, 3); /* here: how many had finished */
    assert_int_equal(seen.end_status, AW_OK);
}

int main(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_body_runs_its_step_before_the_group_hears_of_a_failure),
        cmocka_unit_test(test_released_children_are_freed_once_the_group_has_heard),
    };
    return cmocka_run_group_tests_name("group", tests, NULL, NULL);
}
