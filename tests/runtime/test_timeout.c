/*
 * test_timeout.c -- timeouts and wait_for (timeout.c) when deadlines tie.
 *
 * Two things happen in the same instant and the order decides the outcome:
 * a timeout and a sleep due together reach their tasks in the order they
 * were armed; and wait_for whose deadline passes as the awaited task
 * finishes returns the task's result if the task's own timer came first,
 * as CPython 3.11 does.
 */
#include "runtime_test.h"

static struct {
    int status;
    intptr_t value;
    aw_task_state state;
    int64_t at_ns;
    int order[2];
    int ordered;
} seen;

static int sleeps_then_returns(void *arg, intptr_t *result)
{
    int status = aw_sleep((double)(intptr_t)arg / 1000);
    *result = 42;
    return status;
}

/* The task's 300 ms timer is armed before wait_for's (100 + 200 ms). */
static int task_timer_first(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_task *task = aw_spawn(sleeps_then_returns, (void *)300, "worker");
    aw_sleep(0.1);
    seen.status = aw_wait_for(task, 0.2);
    seen.value = aw_task_value(task);
    seen.state = aw_task_state_of(task);
    seen.at_ns = now_ns();
    return AW_OK;
}

static void test_wait_for_keeps_a_result_that_ties_with_its_deadline(void **state)
{
    (void)state;
    memset(&seen, 0, sizeof seen);
    assert_int_equal(run_virtual(task_timer_first, NULL, NULL), AW_OK);
    assert_int_equal(seen.status, AW_OK);
    assert_int_equal(seen.value, 42);
    assert_int_equal(seen.state, AW_TASK_OK);
    assert_int_equal(seen.at_ns, MS(300));
}

/* wait_for arms its timer before the task has run its first step. */
static int wait_for_timer_first(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_task *task = aw_spawn(sleeps_then_returns, (void *)200, "worker");
    seen.status = aw_wait_for(task, 0.2);
    seen.state = aw_task_state_of(task);
    seen.at_ns = now_ns();
    return AW_OK;
}

static void test_wait_for_times_out_when_its_deadline_was_armed_first(void **state)
{
    (void)state;
    memset(&seen, 0, sizeof seen);
    assert_int_equal(run_virtual(wait_for_timer_first, NULL, NULL), AW_OK);
    assert_int_equal(seen.status, AW_ETIMEDOUT);
    assert_int_equal(seen.state, AW_TASK_CANCELLED);
    assert_int_equal(seen.at_ns, MS(200));
}

static int sleeper(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    if (aw_sleep(0.2) == AW_OK)
        seen.order[seen.ordered++] = 2;
    return AW_OK;
}

/* A scope armed first, then a sleeper's timer for the same instant. */
static int timeout_armed_before_sleep(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_timeout scope;
    aw_timeout_begin(&scope, 0.2);
    aw_spawn(sleeper, NULL, "sleeper");
    int status = aw_timeout_end(&scope, aw_sleep(1));
    if (status == AW_ETIMEDOUT)
        seen.order[seen.ordered++] = 1;
    aw_sleep(0.1);
    return AW_OK;
}

static void test_a_timeout_and_a_sleep_due_together_fire_in_arming_order(void **state)
{
    (void)state;
    memset(&seen, 0, sizeof seen);
    assert_int_equal(run_virtual(timeout_armed_before_sleep, NULL, NULL), AW_OK);
    assert_int_equal(seen.ordered, 2);
    assert_int_equal(seen.order[0], 1); /* the timeout, armed first */
    assert_int_equal(seen.order[1], 2);
}

int main(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_wait_for_keeps_a_result_that_ties_with_its_deadline),
        cmocka_unit_test(test_wait_for_times_out_when_its_deadline_was_armed_first),
        cmocka_unit_test(test_a_timeout_and_a_sleep_due_together_fire_in_arming_order),
    };
    return cmocka_run_group_tests_name("timeout", tests, NULL, NULL);
}
