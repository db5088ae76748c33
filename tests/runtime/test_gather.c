/*
 * test_gather.c -- aw_gather(): argument order, fail-fast on the first
 * failure in time (siblings keep running), return_exceptions, and what
 * cancelling the gathering task does.
 */
#include "runtime_test.h"

enum { MAX_TASKS = 8 };

/*
 * A child's script: sleep `ms`, then end with `status` (value `value` when
 * AW_OK).  A child whose sleep is cancelled cleans up for `cleanup_ms`
 * inside a shield before it ends cancelled.
 */
typedef struct script {
    int ms;
    int status;
    intptr_t value;
    int cleanup_ms;
} script;

static struct {
    int status;
    int64_t at_ns;
    bool caller_cancelled;
    aw_error error;
    aw_task_state states[MAX_TASKS];
    intptr_t values[MAX_TASKS];
    aw_task *tasks[MAX_TASKS];
    int flags;
} seen;

static void reset(void) { memset(&seen, 0, sizeof seen); }

static int child(void *arg, intptr_t *result)
{
    const script *s = arg;
    int status = aw_sleep((double)s->ms / 1000);
    if (status == AW_ECANCELLED && s->cleanup_ms > 0) {
        aw_shield_begin();
        aw_sleep((double)s->cleanup_ms / 1000);
        aw_shield_end();
    }
    if (status != AW_OK)
        return status;
    if (s->status != AW_OK)
        return aw_raise(s->status, "%s failed", aw_task_name(aw_current()));
    *result = s->value;
    return AW_OK;
}

/* Spawns one child per script, named "c0", "c1", ... */
static void spawn_children(const script *scripts, size_t n)
{
    for (size_t i = 0; i < n; i++)
        seen.tasks[i] = aw_spawn(child, (void *)&scripts[i], "c%zu", i);
}

/* Gathers seen.tasks[0..n) and records what came back, and when. */
static int gather_and_record(size_t n, int flags)
{
    seen.status = aw_gather(seen.tasks, n, flags);
    seen.at_ns = now_ns();
    seen.caller_cancelled = aw_cancelled();
    if (seen.status != AW_OK && aw_last_error())
        seen.error = *aw_last_error();
    return seen.status;
}

/* Waits for every child, so the test can see how each one ended. */
static void await_all_and_record(size_t n)
{
    for (size_t i = 0; i < n; i++) {
        aw_await(seen.tasks[i]);
        seen.states[i] = aw_task_state_of(seen.tasks[i]);
        seen.values[i] = aw_task_value(seen.tasks[i]);
    }
}

/* ----------------------------------------------------------------------- */
/* Results                                                                   */
/* ----------------------------------------------------------------------- */

static const script finish_out_of_order[] = {
    {.ms = 3000, .value = 10}, {.ms = 1000, .value = 11}, {.ms = 2000, .value = 12}};

static int main_gathers_out_of_order(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    spawn_children(finish_out_of_order, 3);
    gather_and_record(3, 0);
    await_all_and_record(3);
    return AW_OK;
}

static void test_gather_results_are_in_argument_order_whatever_the_completion_order(
    void **state)
{
    (void)state;
    reset();
    assert_int_equal(run_virtual(main_gathers_out_of_order, NULL, NULL), AW_OK);
    assert_int_equal(seen.status, AW_OK);
    assert_int_equal(seen.at_ns, MS(3000)); /* the slowest, not the sum */
    assert_int_equal(seen.values[0], 10);
    assert_int_equal(seen.values[1], 11);
    assert_int_equal(seen.values[2], 12);
    assert_int_equal(done_ns("c1"), MS(1000));
    assert_int_equal(done_ns("c2"), MS(2000));
    assert_int_equal(done_ns("c0"), MS(3000));
    const aw_trace_event *wait = nth_event("main", AW_EV_WAIT, 0);
    assert_string_equal(wait->text, "gather");
    assert_int_equal(nth_event("main", AW_EV_WAKE, 0)->t_ns, MS(3000));
}

static int main_gathers_nothing(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    gather_and_record(0, 0);
    return aw_gather(NULL, 0, AW_RETURN_EXCEPTIONS);
}

static void test_gather_of_no_tasks_returns_ok_at_once(void **state)
{
    (void)state;
    reset();
    assert_int_equal(run_virtual(main_gathers_nothing, NULL, NULL), AW_OK);
    assert_int_equal(seen.status, AW_OK);
    assert_int_equal(seen.at_ns, 0);
    assert_int_equal(count_events("main", AW_EV_WAIT), 0);
}

/* ----------------------------------------------------------------------- */
/* Fail-fast                                                                 */
/* ----------------------------------------------------------------------- */

/* c1 fails first in time although c0, earlier in the arguments, fails too. */
static const script two_failures[] = {
    {.ms = 3000, .status = AW_EAPP - 1},
    {.ms = 1000, .status = AW_EAPP - 2},
    {.ms = 2000, .value = 12},
    {.ms = 5000, .value = 13}};

static int main_gathers_failures(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    spawn_children(two_failures, 4);
    gather_and_record(4, 0);
    await_all_and_record(4);
    return AW_OK;
}

static void test_gather_first_failure_in_time_reaches_caller_siblings_keep_running(
    void **state)
{
    (void)state;
    reset();
    assert_int_equal(run_virtual(main_gathers_failures, NULL, NULL), AW_OK);
    assert_int_equal(seen.status, AW_EAPP - 2);
    assert_int_equal(seen.at_ns, MS(1000));
    assert_int_equal(seen.error.code, AW_EAPP - 2);
    assert_string_equal(seen.error.message, "c1 failed");
    assert_string_equal(seen.error.origin, "c1");
    assert_false(seen.caller_cancelled);

    /* Nobody was cancelled: every sibling ran to its own end. */
    size_t count;
    const aw_trace_event *e = aw_trace_events(&count);
    for (size_t i = 0; i < count; i++)
        assert_int_not_equal(e[i].kind, AW_EV_CANCEL);
    assert_int_equal(seen.states[0], AW_TASK_FAILED);
    assert_int_equal(done_ns("c0"), MS(3000));
    assert_int_equal(seen.states[2], AW_TASK_OK);
    assert_int_equal(seen.values[2], 12);
    assert_int_equal(done_ns("c2"), MS(2000));
    assert_int_equal(seen.states[3], AW_TASK_OK);
    assert_int_equal(done_ns("c3"), MS(5000));
}

/* A child cancelled by someone else counts as failing with AW_ECANCELLED. */
static int cancel_c1_at_half_a_second(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_sleep(0.5);
    aw_cancel(seen.tasks[1]);
    return AW_OK;
}

static const script two_slow_children[] = {{.ms = 2000, .value = 10},
                                           {.ms = 2000, .value = 11}};

static int main_gathers_child_cancelled_by_another(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    spawn_children(two_slow_children, 2);
    aw_spawn(cancel_c1_at_half_a_second, NULL, "canceller");
    gather_and_record(2, seen.flags);
    await_all_and_record(2);
    return AW_OK;
}

static void test_gather_fails_fast_with_cancelled_when_a_child_is_cancelled(void **state)
{
    (void)state;
    reset();
    assert_int_equal(run_virtual(main_gathers_child_cancelled_by_another, NULL, NULL), AW_OK);
    assert_int_equal(seen.status, AW_ECANCELLED);
    assert_int_equal(seen.at_ns, MS(500));
    assert_false(seen.caller_cancelled); /* the caller itself is not cancelled */
    assert_string_equal(seen.error.origin, "c1");
    assert_int_equal(seen.states[0], AW_TASK_OK);
    assert_int_equal(done_ns("c0"), MS(2000));
}

/* ----------------------------------------------------------------------- */
/* return_exceptions                                                         */
/* ----------------------------------------------------------------------- */

static void test_gather_return_exceptions_collects_errors_and_cancellations_as_values(
    void **state)
{
    (void)state;
    reset();
    seen.flags = AW_RETURN_EXCEPTIONS;
    assert_int_equal(run_virtual(main_gathers_child_cancelled_by_another, NULL, NULL), AW_OK);
    assert_int_equal(seen.status, AW_OK);
    assert_int_equal(seen.at_ns, MS(2000));
    assert_false(seen.caller_cancelled);
    assert_int_equal(seen.states[0], AW_TASK_OK);
    assert_int_equal(seen.values[0], 10);
    assert_int_equal(seen.states[1], AW_TASK_CANCELLED);
    assert_int_equal(done_ns("c1"), MS(500));
}

static const script mixed_outcomes[] = {
    {.ms = 3000, .value = 10},
    {.ms = 1000, .status = AW_EAPP - 1},
    {.ms = 2000, .status = AW_EAPP - 2},
    {.ms = 500, .value = 13}};

static int main_gathers_mixed_outcomes(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    spawn_children(mixed_outcomes, 4);
    gather_and_record(4, AW_RETURN_EXCEPTIONS);
    for (size_t i = 0; i < 4; i++) {
        seen.states[i] = aw_task_state_of(seen.tasks[i]);
        seen.values[i] = aw_task_value(seen.tasks[i]);
    }
    seen.error = *aw_task_error(seen.tasks[2]);
    return AW_OK;
}

static void test_gather_return_exceptions_waits_for_all_and_keeps_each_error_in_its_slot(
    void **state)
{
    (void)state;
    reset();
    assert_int_equal(run_virtual(main_gathers_mixed_outcomes, NULL, NULL), AW_OK);
    assert_int_equal(seen.status, AW_OK);
    assert_int_equal(seen.at_ns, MS(3000));
    assert_int_equal(seen.states[0], AW_TASK_OK);
    assert_int_equal(seen.values[0], 10);
    assert_int_equal(seen.states[1], AW_TASK_FAILED);
    assert_int_equal(seen.states[2], AW_TASK_FAILED);
    assert_int_equal(seen.error.code, AW_EAPP - 2);
    assert_string_equal(seen.error.message, "c2 failed");
    assert_string_equal(seen.error.origin, "c2");
    assert_int_equal(seen.states[3], AW_TASK_OK);
    assert_int_equal(seen.values[3], 13);
}

/* ----------------------------------------------------------------------- */
/* Cancelling the gathering task                                             */
/* ----------------------------------------------------------------------- */

/* c0 is done before the cancel; c1 cleans up for 0.5 s; c2 stops at once. */
static const script gathered_when_cancelled[] = {
    {.ms = 1000, .value = 10},
    {.ms = 10000, .value = 11, .cleanup_ms = 500},
    {.ms = 10000, .value = 12}};

static int gatherer(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    spawn_children(gathered_when_cancelled, 3);
    return gather_and_record(3, seen.flags);
}

static int main_cancels_gatherer(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_task *g = aw_spawn(gatherer, NULL, "gatherer");
    aw_sleep(2);
    aw_cancel(g);
    aw_await(g);
    await_all_and_record(3);
    return AW_OK;
}

static void check_cancelled_gather(int flags)
{
    reset();
    seen.flags = flags;
    assert_int_equal(run_virtual(main_cancels_gatherer, NULL, NULL), AW_OK);
    /*
     * The gather returns cancelled: fail-fast as soon as the first child has
     * ended cancelled (c2, at 2 s, while c1 still cleans up -- asyncio's
     * wart), with return_exceptions once every child has ended.
     */
    int64_t returns_ns = flags & AW_RETURN_EXCEPTIONS ? MS(2500) : MS(2000);
    assert_int_equal(seen.status, AW_ECANCELLED);
    assert_int_equal(seen.at_ns, returns_ns);
    assert_true(seen.caller_cancelled);
    assert_int_equal(done_ns("gatherer"), returns_ns);
    assert_int_equal(done_code("gatherer"), AW_ECANCELLED);
    /* c0 had finished: it keeps its result and was not cancelled. */
    assert_int_equal(seen.states[0], AW_TASK_OK);
    assert_int_equal(seen.values[0], 10);
    assert_int_equal(count_events("c0", AW_EV_CANCEL), 0);
    /* The unfinished ones were cancelled at 2 s. */
    assert_int_equal(nth_event("c1", AW_EV_CANCEL, 0)->t_ns, MS(2000));
    assert_int_equal(nth_event("c2", AW_EV_CANCEL, 0)->t_ns, MS(2000));
    assert_int_equal(seen.states[1], AW_TASK_CANCELLED);
    assert_int_equal(done_ns("c1"), MS(2500));
    assert_int_equal(seen.states[2], AW_TASK_CANCELLED);
    assert_int_equal(done_ns("c2"), MS(2000));
}

static void test_cancelling_the_gatherer_cancels_unfinished_children_and_returns_at_the_first(
    void **state)
{
    (void)state;
    check_cancelled_gather(0);
}

static void test_cancelling_the_gatherer_with_return_exceptions_still_returns_cancelled(
    void **state)
{
    (void)state;
    check_cancelled_gather(AW_RETURN_EXCEPTIONS);
}

/* ----------------------------------------------------------------------- */
/* Special arguments                                                         */
/* ----------------------------------------------------------------------- */

static const script fails_now_and_slow[] = {{.ms = 0, .status = AW_EAPP - 3},
                                            {.ms = 5000, .value = 11}};

static int main_gathers_already_failed(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    spawn_children(fails_now_and_slow, 2);
    aw_sleep(1); /* c0 fails meanwhile */
    aw_task *order[2] = {seen.tasks[1], seen.tasks[0]};
    seen.status = aw_gather(order, 2, seen.flags);
    seen.at_ns = now_ns();
    if (aw_last_error())
        seen.error = *aw_last_error();
    await_all_and_record(2);
    return AW_OK;
}

static void test_gather_with_an_already_failed_task_fails_at_once(void **state)
{
    (void)state;
    reset();
    assert_int_equal(run_virtual(main_gathers_already_failed, NULL, NULL), AW_OK);
    assert_int_equal(seen.status, AW_EAPP - 3);
    assert_int_equal(seen.at_ns, MS(1000));
    assert_string_equal(seen.error.origin, "c0");
    assert_int_equal(count_events("c1", AW_EV_CANCEL), 0);
    assert_int_equal(seen.states[1], AW_TASK_OK);
    assert_int_equal(done_ns("c1"), MS(5000));
}

static void test_gather_return_exceptions_with_an_already_failed_task_waits_for_the_rest(
    void **state)
{
    (void)state;
    reset();
    seen.flags = AW_RETURN_EXCEPTIONS;
    assert_int_equal(run_virtual(main_gathers_already_failed, NULL, NULL), AW_OK);
    assert_int_equal(seen.status, AW_OK);
    assert_int_equal(seen.at_ns, MS(5000));
}

static int main_gathers_itself(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    spawn_children(two_slow_children, 1);
    seen.tasks[1] = aw_current();
    gather_and_record(2, 0);
    aw_task *with_null[2] = {seen.tasks[0], NULL};
    seen.flags = aw_gather(with_null, 2, AW_RETURN_EXCEPTIONS);
    await_all_and_record(1);
    return AW_OK;
}

static void test_gather_containing_the_caller_is_an_error(void **state)
{
    (void)state;
    reset();
    assert_int_equal(run_virtual(main_gathers_itself, NULL, NULL), AW_OK);
    assert_int_equal(seen.status, AW_ESTATE);
    assert_int_equal(seen.at_ns, 0);
    assert_string_equal(seen.error.message, "task 'main' cannot gather itself");
    assert_int_equal(seen.flags, AW_EINVAL); /* a NULL task */
    /* Refusing the gather touched no child. */
    assert_int_equal(count_events("c0", AW_EV_CANCEL), 0);
    assert_int_equal(seen.states[0], AW_TASK_OK);
    assert_int_equal(done_ns("c0"), MS(2000));
    assert_int_equal(nth_event("main", AW_EV_WAIT, 0)->other, aw_trace_task_by_name("c0"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_gather_results_are_in_argument_order_whatever_the_completion_order, clear_trace),
        cmocka_unit_test_teardown(test_gather_of_no_tasks_returns_ok_at_once, clear_trace),
        cmocka_unit_test_teardown(test_gather_first_failure_in_time_reaches_caller_siblings_keep_running, clear_trace),
        cmocka_unit_test_teardown(test_gather_fails_fast_with_cancelled_when_a_child_is_cancelled, clear_trace),
        cmocka_unit_test_teardown(test_gather_return_exceptions_collects_errors_and_cancellations_as_values, clear_trace),
        cmocka_unit_test_teardown(test_gather_return_exceptions_waits_for_all_and_keeps_each_error_in_its_slot, clear_trace),
        cmocka_unit_test_teardown(test_cancelling_the_gatherer_cancels_unfinished_children_and_returns_at_the_first, clear_trace),
        cmocka_unit_test_teardown(test_cancelling_the_gatherer_with_return_exceptions_still_returns_cancelled, clear_trace),
        cmocka_unit_test_teardown(test_gather_with_an_already_failed_task_fails_at_once, clear_trace),
        cmocka_unit_test_teardown(test_gather_return_exceptions_with_an_already_failed_task_waits_for_the_rest, clear_trace),
        cmocka_unit_test_teardown(test_gather_containing_the_caller_is_an_error, clear_trace),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
