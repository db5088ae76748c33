/*
 * test_wait.c -- wait and as_completed (wait.c) on tasks that have already
 * finished.
 *
 * Like asyncio, they hear of a finished task through a done callback in the
 * next turn, and the caller resumes in the turn after: a task that was
 * ready takes two steps first.  as_completed gives finished tasks in
 * argument order (CPython iterates a set there: its order is not defined).
 */
#include "runtime_test.h"

static struct {
    int ticks;               /* steps the ticker has taken  */
    int ticks_at_return;     /* ... when the call returned  */
    const char *order[3];
    size_t given;
} seen;

static int ticker(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    for (int i = 0; i < 5; i++) {
        seen.ticks++;
        aw_yield();
    }
    return AW_OK;
}

static int named(void *arg, intptr_t *result)
{
    *result = (intptr_t)arg;
    return AW_OK;
}

/* Three tasks finish (in reverse of argument order), then we wait on them. */
static void spawn_finished(aw_task **tasks)
{
    static const char *names[3] = {"a", "b", "c"};
    for (int i = 2; i >= 0; i--)
        tasks[i] = aw_spawn(named, (void *)names[i], "%s", names[i]);
    aw_sleep(0.1);
}

static int wait_on_finished(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_task *tasks[3];
    spawn_finished(tasks);
    aw_spawn(ticker, NULL, "ticker");
    aw_wait(tasks, 3, AW_ALL_COMPLETED, AW_NEVER, NULL);
    seen.ticks_at_return = seen.ticks;
    return AW_OK;
}

static void test_wait_on_finished_tasks_lets_a_ready_task_step_twice(void **state)
{
    (void)state;
    memset(&seen, 0, sizeof seen);
    assert_int_equal(run_virtual(wait_on_finished, NULL, NULL), AW_OK);
    assert_int_equal(seen.ticks_at_return, 2);
}

static int as_completed_on_finished(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_task *tasks[3];
    spawn_finished(tasks);
    aw_spawn(ticker, NULL, "ticker");
    aw_as_completed it;
    aw_as_completed_begin(&it, tasks, 3, AW_NEVER);
    aw_task *next;
    while (aw_as_completed_next(&it, &next) == AW_OK && next) {
        if (seen.given == 0)
            seen.ticks_at_return = seen.ticks;
        seen.order[seen.given++] = (const char *)aw_task_value(next);
    }
    aw_as_completed_end(&it);
    return AW_OK;
}

static void test_as_completed_gives_finished_tasks_in_argument_order_a_turn_later(void **state)
{
    (void)state;
    memset(&seen, 0, sizeof seen);
    assert_int_equal(run_virtual(as_completed_on_finished, NULL, NULL), AW_OK);
    assert_int_equal(seen.ticks_at_return, 2);
    assert_int_equal(seen.given, 3);
    assert_string_equal(seen.order[0], "a");
    assert_string_equal(seen.order[1], "b");
    assert_string_equal(seen.order[2], "c");
}

int main(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_wait_on_finished_tasks_lets_a_ready_task_step_twice),
        cmocka_unit_test(test_as_completed_gives_finished_tasks_in_argument_order_a_turn_later),
    };
    return cmocka_run_group_tests_name("wait", tests, NULL, NULL);
}
