/*
 * test_task.c -- tasks: spawning, awaiting, outcomes, names, ids, aw_run().
 */
#include "runtime_test.h"

#include <stdio.h>

/* What the tasks saw, for the test body to check after aw_run(). */
static struct {
    int status;
    int64_t at_ns;
    intptr_t value;
    aw_task_state state;
    aw_error error;
    bool has_error;
    bool ran;
    bool ran_before_spawner_suspended;
    bool cleanup_ran;
    int64_t cleanup_began_ns;
    char name[128];
    uint32_t ids[4];
} seen;

static void reset(void) { memset(&seen, 0, sizeof seen); }

static void keep_error(const aw_error *error)
{
    seen.has_error = error != NULL;
    if (error)
        seen.error = *error;
}

/* ----------------------------------------------------------------------- */
/* Task bodies                                                               */
/* ----------------------------------------------------------------------- */

/* Sleeps arg milliseconds, then returns the value 42. */
static int sleep_then_42(void *arg, intptr_t *result)
{
    int status = aw_sleep((double)(intptr_t)arg / 1000);
    if (status != AW_OK)
        return status;
    *result = 42;
    return AW_OK;
}

static int raise_item_failed(void *arg, intptr_t *result)
{
    (void)arg;
    *result = 99; /* ignored: the task fails */
    aw_sleep(0.5);
    return aw_raise(AW_EAPP - 7, "item %d failed", 3);
}

static int return_bare_code(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    return AW_EAPP;
}

static int record_run(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    seen.ran = true;
    return AW_OK;
}

/* Awaits the task in arg and passes its status on, as `return await t`. */
static int await_and_pass_on(void *arg, intptr_t *result)
{
    (void)result;
    return aw_await(arg);
}

/* ----------------------------------------------------------------------- */
/* Spawn and await                                                           */
/* ----------------------------------------------------------------------- */

static int main_awaits_value(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_task *child = aw_spawn(sleep_then_42, (void *)(intptr_t)1500, "child");
    seen.status = aw_await(child);
    seen.at_ns = now_ns();
    seen.value = aw_task_value(child);
    seen.state = aw_task_state_of(child);
    keep_error(aw_task_error(child));
    seen.ran = aw_task_done(child);
    return AW_OK;
}

static void test_await_returns_ok_and_the_value_stays_in_the_task(void **state)
{
    (void)state;
    reset();
    assert_int_equal(run_virtual(main_awaits_value, NULL, NULL), AW_OK);
    assert_int_equal(seen.status, AW_OK);
    assert_int_equal(seen.at_ns, MS(1500));
    assert_int_equal(seen.value, 42);
    assert_int_equal(seen.state, AW_TASK_OK);
    assert_false(seen.has_error);
    assert_true(seen.ran);
    assert_int_equal(done_ns("child"), MS(1500));
    assert_int_equal(nth_event("child", AW_EV_DONE, 0)->value, 42);
}

static int main_checks_spawn_is_lazy(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_task *child = aw_spawn(record_run, NULL, "child");
    seen.ran_before_spawner_suspended = seen.ran;
    seen.state = aw_task_state_of(child);
    aw_yield();
    seen.status = aw_task_state_of(child);
    return AW_OK;
}

static void test_spawned_task_starts_only_when_the_spawner_suspends(void **state)
{
    (void)state;
    reset();
    assert_int_equal(run_virtual(main_checks_spawn_is_lazy, NULL, NULL), AW_OK);
    assert_false(seen.ran_before_spawner_suspended);
    assert_int_equal(seen.state, AW_TASK_PENDING);
    assert_true(seen.ran);
    assert_int_equal(seen.status, AW_TASK_OK);
}

/* ----------------------------------------------------------------------- */
/* Outcomes                                                                  */
/* ----------------------------------------------------------------------- */

static int main_awaits_failure(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_task *child = aw_spawn(raise_item_failed, NULL, "fetcher");
    seen.status = aw_await(child);
    seen.at_ns = now_ns();
    seen.state = aw_task_state_of(child);
    seen.value = aw_task_value(child);
    keep_error(aw_task_error(child));
    return AW_OK;
}

static void test_failed_task_keeps_code_message_and_origin(void **state)
{
    (void)state;
    reset();
    assert_int_equal(run_virtual(main_awaits_failure, NULL, NULL), AW_OK);
    assert_int_equal(seen.status, AW_EAPP - 7);
    assert_int_equal(seen.at_ns, MS(500));
    assert_int_equal(seen.state, AW_TASK_FAILED);
    assert_int_equal(seen.value, 0);
    assert_true(seen.has_error);
    assert_int_equal(seen.error.code, AW_EAPP - 7);
    assert_string_equal(seen.error.message, "item 3 failed");
    assert_string_equal(seen.error.origin, "fetcher");
    assert_int_equal(done_code("fetcher"), AW_EAPP - 7);
    assert_string_equal(nth_event("fetcher", AW_EV_DONE, 0)->text, "item 3 failed");
}

static int main_awaits_bare_code(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_task *child = aw_spawn(return_bare_code, NULL, "bare");
    seen.status = aw_await(child);
    keep_error(aw_task_error(child));
    return AW_OK;
}

static void test_error_returned_without_raise_gets_a_default_message(void **state)
{
    (void)state;
    reset();
    assert_int_equal(run_virtual(main_awaits_bare_code, NULL, NULL), AW_OK);
    assert_int_equal(seen.status, AW_EAPP);
    assert_true(seen.has_error);
    assert_int_equal(seen.error.code, AW_EAPP);
    assert_string_equal(seen.error.message, aw_strerror(AW_EAPP));
    assert_string_equal(seen.error.origin, "bare");
}

static int main_awaits_cancelled(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_task *child = aw_spawn(sleep_then_42, (void *)(intptr_t)5000, "doomed");
    aw_sleep(1);
    aw_cancel(child);
    seen.status = aw_await(child);
    seen.at_ns = now_ns();
    seen.state = aw_task_state_of(child);
    seen.value = aw_task_value(child);
    keep_error(aw_task_error(child));
    snprintf(seen.name, sizeof seen.name, "%s", aw_last_error()->message);
    return AW_OK;
}

static void test_cancelled_task_has_no_value_and_no_error(void **state)
{
    (void)state;
    reset();
    assert_int_equal(run_virtual(main_awaits_cancelled, NULL, NULL), AW_OK);
    assert_int_equal(seen.status, AW_ECANCELLED);
    assert_int_equal(seen.at_ns, MS(1000));
    assert_int_equal(seen.state, AW_TASK_CANCELLED);
    assert_int_equal(seen.value, 0);
    assert_false(seen.has_error);
    assert_string_equal(seen.name, "task 'doomed' was cancelled");
    assert_int_equal(done_code("doomed"), AW_ECANCELLED);
}

/* main -> middle -> leaf: the leaf's error reaches main with its origin. */
static int main_awaits_chain(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_task *leaf = aw_spawn(raise_item_failed, NULL, "leaf");
    aw_task *middle = aw_spawn(await_and_pass_on, leaf, "middle");
    seen.status = aw_await(middle);
    seen.at_ns = now_ns();
    keep_error(aw_task_error(middle));
    snprintf(seen.name, sizeof seen.name, "%s", aw_last_error()->origin);
    return seen.status;
}

static void test_await_propagates_an_error_keeping_the_child_origin(void **state)
{
    (void)state;
    reset();
    assert_int_equal(run_virtual(main_awaits_chain, NULL, NULL), AW_EAPP - 7);
    assert_int_equal(seen.status, AW_EAPP - 7);
    assert_int_equal(seen.at_ns, MS(500));
    assert_int_equal(seen.error.code, AW_EAPP - 7);
    assert_string_equal(seen.error.message, "item 3 failed");
    assert_string_equal(seen.error.origin, "leaf");
    assert_string_equal(seen.name, "leaf"); /* main's aw_last_error() */
    assert_string_equal(nth_event("main", AW_EV_DONE, 0)->text, "item 3 failed");
}

static int main_awaits_itself(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    seen.status = aw_await(aw_current());
    seen.at_ns = now_ns();
    keep_error(aw_last_error());
    return AW_OK;
}

static void test_a_task_awaiting_itself_is_an_error(void **state)
{
    (void)state;
    reset();
    assert_int_equal(run_virtual(main_awaits_itself, NULL, NULL), AW_OK);
    assert_int_equal(seen.status, AW_ESTATE);
    assert_int_equal(seen.at_ns, 0);
    assert_true(seen.has_error);
    assert_string_equal(seen.error.message, "task 'main' cannot await itself");
    assert_int_equal(count_events("main", AW_EV_WAIT), 0);
}

static int main_checks_last_error(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    seen.ran = aw_last_error() == NULL; /* nothing raised yet */
    seen.status = aw_raise(AW_EAPP - 3, "step %s", "two");
    keep_error(aw_last_error());
    return AW_OK; /* handled: main still succeeds */
}

static void test_last_error_is_null_until_raised_and_handling_it_is_allowed(void **state)
{
    (void)state;
    reset();
    assert_int_equal(run_virtual(main_checks_last_error, NULL, NULL), AW_OK);
    assert_true(seen.ran);
    assert_int_equal(seen.status, AW_EAPP - 3);
    assert_int_equal(seen.error.code, AW_EAPP - 3);
    assert_string_equal(seen.error.message, "step two");
    assert_string_equal(seen.error.origin, "main");
    assert_int_equal(done_code("main"), AW_OK);
}

static void test_strerror_describes_each_status(void **state)
{
    (void)state;
    assert_string_equal(aw_strerror(AW_OK), "ok");
    assert_string_equal(aw_strerror(AW_ECANCELLED), "cancelled");
    assert_string_equal(aw_strerror(AW_ETIMEDOUT), "timed out");
    assert_string_equal(aw_strerror(AW_EINVAL), "invalid argument");
    assert_string_equal(aw_strerror(AW_EDEADLOCK), "deadlock: every task is waiting");
    assert_string_equal(aw_strerror(AW_EAPP - 42), "application error");
    assert_string_equal(aw_strerror(-99), "unknown error");
    assert_int_equal(aw_raise(AW_EAPP, "outside any run"), AW_EAPP);
    assert_null(aw_last_error());
}

/* ----------------------------------------------------------------------- */
/* Names and ids                                                             */
/* ----------------------------------------------------------------------- */

static int main_spawns_long_name(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_task *child = aw_spawn(record_run, NULL, "%s-%d",
                              "a-name-much-longer-than-thirty-one-bytes", 7);
    snprintf(seen.name, sizeof seen.name, "%s", aw_task_name(child));
    return aw_await(child);
}

static void test_task_names_are_cut_at_31_bytes(void **state)
{
    (void)state;
    reset();
    assert_int_equal(run_virtual(main_spawns_long_name, NULL, NULL), AW_OK);
    assert_string_equal(seen.name, "a-name-much-longer-than-thirty-");
    assert_int_equal(strlen(seen.name), 31);
    assert_int_not_equal(aw_trace_task_by_name("a-name-much-longer-than-thirty-"), 0);
}

static int main_records_ids(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    seen.ids[0] = aw_task_id(aw_current());
    snprintf(seen.name, sizeof seen.name, "%s", aw_task_name(aw_current()));
    aw_task *first = aw_spawn(record_run, NULL, "first");
    seen.ids[1] = aw_task_id(first);
    aw_await(first);
    aw_task_release(first); /* its id must not come back */
    aw_task *second = aw_spawn(record_run, NULL, "second");
    aw_task *third = aw_spawn(record_run, NULL, "third");
    seen.ids[2] = aw_task_id(second);
    seen.ids[3] = aw_task_id(third);
    aw_await(second);
    return aw_await(third);
}

static void test_main_is_task_1_and_ids_count_up_without_reuse(void **state)
{
    (void)state;
    reset();
    assert_int_equal(run_virtual(main_records_ids, NULL, NULL), AW_OK);
    assert_string_equal(seen.name, "main");
    assert_int_equal(seen.ids[0], 1);
    assert_int_equal(seen.ids[1], 2);
    assert_int_equal(seen.ids[2], 3);
    assert_int_equal(seen.ids[3], 4);
    assert_int_equal(aw_trace_task_by_name("third"), 4);
}

/* ----------------------------------------------------------------------- */
/* aw_run()                                                                  */
/* ----------------------------------------------------------------------- */

static int main_returns_arg(void *arg, intptr_t *result)
{
    aw_sleep(0.25);
    *result = (intptr_t)arg;
    return AW_OK;
}

static int main_fails(void *arg, intptr_t *result)
{
    (void)arg;
    *result = 5;
    return aw_raise(AW_EAPP - 1, "main gave up");
}

static int main_cancels_itself(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_cancel(aw_current());
    return aw_sleep(1);
}

static void test_run_returns_main_status_and_value(void **state)
{
    (void)state;
    intptr_t value = -1;
    assert_int_equal(run_virtual(main_returns_arg, (void *)(intptr_t)7, &value), AW_OK);
    assert_int_equal(value, 7);
    assert_int_equal(run_virtual(main_returns_arg, (void *)(intptr_t)7, NULL), AW_OK);

    value = -1;
    assert_int_equal(run_virtual(main_fails, NULL, &value), AW_EAPP - 1);
    assert_int_equal(value, 0); /* a failed main has no value */

    value = -1;
    assert_int_equal(run_virtual(main_cancels_itself, NULL, &value), AW_ECANCELLED);
    assert_int_equal(value, 0);
    assert_int_equal(done_ns("main"), 0);
}

static void test_run_refuses_a_null_main(void **state)
{
    (void)state;
    assert_int_equal(run_virtual(NULL, NULL, NULL), AW_EINVAL);
}

/* Sleeps 10 s; when cancelled, cleans up for 0.5 s inside a shield. */
static int sleeper_with_cleanup(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    seen.status = aw_sleep(10);
    seen.at_ns = now_ns();
    if (seen.status != AW_ECANCELLED)
        return seen.status;
    aw_shield_begin();
    seen.cleanup_began_ns = now_ns();
    int cleanup = aw_sleep(0.5);
    aw_shield_end();
    seen.cleanup_ran = cleanup == AW_OK;
    return AW_ECANCELLED;
}

static int main_leaves_a_sleeper_behind(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_spawn(sleeper_with_cleanup, NULL, "sleeper");
    return aw_sleep(1);
}

static void test_run_cancels_and_awaits_tasks_still_running_when_main_returns(void **state)
{
    (void)state;
    reset();
    assert_int_equal(run_virtual(main_leaves_a_sleeper_behind, NULL, NULL), AW_OK);
    assert_int_equal(done_ns("main"), MS(1000));
    assert_int_equal(seen.status, AW_ECANCELLED);
    assert_int_equal(seen.at_ns, MS(1000));
    assert_int_equal(seen.cleanup_began_ns, MS(1000));
    assert_true(seen.cleanup_ran);
    assert_int_equal(done_ns("sleeper"), MS(1500));
    assert_int_equal(done_code("sleeper"), AW_ECANCELLED);
    assert_int_equal(nth_event("sleeper", AW_EV_CANCEL, 0)->other, 0); /* the runtime */
}

static int main_nests_run(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    seen.status = run_virtual(record_run, NULL, NULL);
    return AW_OK;
}

static void test_run_inside_run_is_refused(void **state)
{
    (void)state;
    reset();
    assert_int_equal(run_virtual(main_nests_run, NULL, NULL), AW_OK);
    assert_int_equal(seen.status, AW_ESTATE);
    assert_false(seen.ran);
}

static void test_spawn_outside_run_returns_null(void **state)
{
    (void)state;
    assert_null(aw_spawn(record_run, NULL, "orphan"));
    assert_null(aw_current());
}

/* ----------------------------------------------------------------------- */
/* Releasing handles                                                         */
/* ----------------------------------------------------------------------- */

enum { RELEASED = 1000 };

static int main_releases_handles(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    /* Released while still running: freed when they finish. */
    for (int i = 0; i < RELEASED; i++)
        aw_task_release(aw_spawn(sleep_then_42, (void *)(intptr_t)(i % 7 + 1), "r%d", i));
    /* Released once finished: freed at once. */
    aw_task *done = aw_spawn(sleep_then_42, (void *)(intptr_t)1, "finished");
    aw_await(done);
    aw_task_release(done);
    /* Cancelled before it ran, then released. */
    aw_task *never = aw_spawn(sleep_then_42, (void *)(intptr_t)1, "never");
    aw_cancel(never);
    aw_task_release(never);
    aw_task_release(NULL);
    return aw_sleep(1);
}

static void test_released_tasks_keep_running_and_are_freed(void **state)
{
    (void)state;
    assert_int_equal(run_virtual(main_releases_handles, NULL, NULL), AW_OK);
    /* Every released task ran to its end; leaks and double frees are the
     * business of the sanitizer and valgrind runs of this same test. */
    assert_int_equal(done_code("r0"), AW_OK);
    assert_int_equal(done_ns("r0"), MS(1));
    assert_int_equal(done_ns("r999"), MS(999 % 7 + 1));
    assert_int_equal(done_code("never"), AW_ECANCELLED);
    assert_int_equal(count_events("never", AW_EV_RUN), 0);
}

static int main_releases_itself(void *arg, intptr_t *result)
{
    (void)arg;
    aw_task_release(aw_current()); /* "I will not touch my handle again" */
    aw_sleep(0.5);
    *result = 7;
    return AW_OK;
}

/* aw_run() still needs main's outcome after main has finished. */
static void test_main_releasing_its_own_handle_still_reports_its_value(void **state)
{
    (void)state;
    intptr_t value = 0;
    assert_int_equal(run_virtual(main_releases_itself, NULL, &value), AW_OK);
    assert_int_equal(value, 7);
    assert_int_equal(done_ns("main"), MS(500));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_await_returns_ok_and_the_value_stays_in_the_task, clear_trace),
        cmocka_unit_test_teardown(test_spawned_task_starts_only_when_the_spawner_suspends, clear_trace),
        cmocka_unit_test_teardown(test_failed_task_keeps_code_message_and_origin, clear_trace),
        cmocka_unit_test_teardown(test_error_returned_without_raise_gets_a_default_message, clear_trace),
        cmocka_unit_test_teardown(test_cancelled_task_has_no_value_and_no_error, clear_trace),
        cmocka_unit_test_teardown(test_await_propagates_an_error_keeping_the_child_origin, clear_trace),
        cmocka_unit_test_teardown(test_a_task_awaiting_itself_is_an_error, clear_trace),
        cmocka_unit_test_teardown(test_last_error_is_null_until_raised_and_handling_it_is_allowed, clear_trace),
        cmocka_unit_test_teardown(test_strerror_describes_each_status, clear_trace),
        cmocka_unit_test_teardown(test_task_names_are_cut_at_31_bytes, clear_trace),
        cmocka_unit_test_teardown(test_main_is_task_1_and_ids_count_up_without_reuse, clear_trace),
        cmocka_unit_test_teardown(test_run_returns_main_status_and_value, clear_trace),
        cmocka_unit_test_teardown(test_run_refuses_a_null_main, clear_trace),
        cmocka_unit_test_teardown(test_run_cancels_and_awaits_tasks_still_running_when_main_returns, clear_trace),
        cmocka_unit_test_teardown(test_run_inside_run_is_refused, clear_trace),
        cmocka_unit_test_teardown(test_spawn_outside_run_returns_null, clear_trace),
        cmocka_unit_test_teardown(test_released_tasks_keep_running_and_are_freed, clear_trace),
        cmocka_unit_test_teardown(test_main_releasing_its_own_handle_still_reports_its_value, clear_trace),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
