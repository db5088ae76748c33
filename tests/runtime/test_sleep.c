/*
 * test_sleep.c -- aw_sleep() and aw_yield(): exact durations in virtual
 * time, the order of equal deadlines, and round-robin between yielders.
 */
#include "runtime_test.h"

enum { MAX_LOG = 32 };

/* The order in which tasks reached a point, as a string: "ABAB". */
static struct {
    char order[MAX_LOG + 1];
    int length;
    int status[4];
    int64_t at_ns[4];
} seen;

static void reset(void) { memset(&seen, 0, sizeof seen); }

static void log_turn(const char *who)
{
    if (seen.length < MAX_LOG)
        seen.order[seen.length++] = who[0];
}

/* ----------------------------------------------------------------------- */
/* Durations                                                                 */
/* ----------------------------------------------------------------------- */

static int main_sleeps_twice(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    seen.status[0] = aw_sleep(0.25);
    seen.at_ns[0] = now_ns();
    seen.status[1] = aw_sleep(1.5);
    seen.at_ns[1] = now_ns();
    seen.status[2] = aw_sleep(0.001);
    seen.at_ns[2] = now_ns();
    return AW_OK;
}

static void test_sleep_takes_exactly_its_duration_in_virtual_time(void **state)
{
    (void)state;
    reset();
    assert_int_equal(run_virtual(main_sleeps_twice, NULL, NULL), AW_OK);
    assert_int_equal(seen.status[0], AW_OK);
    assert_int_equal(seen.at_ns[0], MS(250));
    assert_int_equal(seen.status[1], AW_OK);
    assert_int_equal(seen.at_ns[1], MS(1750));
    assert_int_equal(seen.status[2], AW_OK);
    assert_int_equal(seen.at_ns[2], MS(1751));

    /* The trace says the same: WAIT carries the deadline, WAKE happens at it. */
    const aw_trace_event *wait = nth_event("main", AW_EV_WAIT, 1);
    assert_string_equal(wait->text, "sleep");
    assert_int_equal(wait->t_ns, MS(250));
    assert_int_equal(wait->value, MS(1750));
    assert_int_equal(nth_event("main", AW_EV_WAKE, 1)->t_ns, MS(1750));
    assert_int_equal(done_ns("main"), MS(1751));
}

/*
 * Three deadlines at t = 1 s, armed at 0 s (A), 0.4 s (B) and 0.2 s (C):
 * they fire in arming order, A C B -- not in spawn order, not by name.
 */
static int sleep_to_one_second(void *arg, intptr_t *result)
{
    (void)result;
    double first = (double)(intptr_t)arg / 1000;
    if (first > 0)
        aw_sleep(first);
    aw_sleep(1.0 - first);
    log_turn(aw_task_name(aw_current()));
    return AW_OK;
}

static int main_arms_equal_deadlines(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_task *tasks[3] = {
        aw_spawn(sleep_to_one_second, (void *)(intptr_t)0, "A"),
        aw_spawn(sleep_to_one_second, (void *)(intptr_t)400, "B"),
        aw_spawn(sleep_to_one_second, (void *)(intptr_t)200, "C"),
    };
    return aw_gather(tasks, 3, 0);
}

static void test_equal_deadlines_fire_in_arming_order(void **state)
{
    (void)state;
    reset();
    assert_int_equal(run_virtual(main_arms_equal_deadlines, NULL, NULL), AW_OK);
    assert_string_equal(seen.order, "ACB");
    assert_int_equal(done_ns("A"), MS(1000));
    assert_int_equal(done_ns("B"), MS(1000));
    assert_int_equal(done_ns("C"), MS(1000));
    assert_int_equal(nth_event("C", AW_EV_WAIT, 1)->value, MS(1000));
}

/* Sleepers armed in spawn order with the same delay wake in that order. */
static int sleep_one_second(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_sleep(1);
    log_turn(aw_task_name(aw_current()));
    return AW_OK;
}

static int main_spawns_five_sleepers(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    static const char *const names[] = {"V", "W", "X", "Y", "Z"};
    aw_task *tasks[5];
    for (int i = 0; i < 5; i++)
        tasks[i] = aw_spawn(sleep_one_second, NULL, "%s", names[i]);
    return aw_gather(tasks, 5, 0);
}

static void test_same_delay_sleepers_wake_first_in_first_out(void **state)
{
    (void)state;
    reset();
    assert_int_equal(run_virtual(main_spawns_five_sleepers, NULL, NULL), AW_OK);
    assert_string_equal(seen.order, "VWXYZ");
}

/* ----------------------------------------------------------------------- */
/* Yielding                                                                  */
/* ----------------------------------------------------------------------- */

typedef int (*pause_fn)(void);

static int yield_via_yield(void) { return aw_yield(); }
static int yield_via_sleep_zero(void) { return aw_sleep(0); }
static int yield_via_negative_sleep(void) { return aw_sleep(-2.5); }

/* Three steps separated by two pauses; each step leaves its initial. */
static int take_three_turns(void *arg, intptr_t *result)
{
    (void)result;
    pause_fn pause = (pause_fn)arg;
    const char *name = aw_task_name(aw_current());
    for (int i = 0; i < 3; i++) {
        log_turn(name);
        if (i < 2) {
            int status = pause();
            if (status != AW_OK)
                return status;
        }
    }
    return AW_OK;
}

static int main_runs_two_yielders(void *arg, intptr_t *result)
{
    (void)result;
    aw_task *tasks[2] = {aw_spawn(take_three_turns, arg, "a"),
                         aw_spawn(take_three_turns, arg, "b")};
    return aw_gather(tasks, 2, 0);
}

/* The sequence of task ids that ran a step, main excluded, as "abab..". */
static void run_order_from_trace(char *out, size_t size)
{
    uint32_t a = aw_trace_task_by_name("a"), b = aw_trace_task_by_name("b");
    size_t count, n = 0;
    const aw_trace_event *e = aw_trace_events(&count);
    for (size_t i = 0; i < count && n + 1 < size; i++)
        if (e[i].kind == AW_EV_RUN && (e[i].task == a || e[i].task == b))
            out[n++] = e[i].task == a ? 'a' : 'b';
    out[n] = '\0';
}

static void check_round_robin(pause_fn pause, const char *wait_on)
{
    reset();
    assert_int_equal(run_virtual(main_runs_two_yielders, (void *)pause, NULL), AW_OK);
    assert_string_equal(seen.order, "ababab");

    char runs[16];
    run_order_from_trace(runs, sizeof runs);
    assert_string_equal(runs, "ababab");
    assert_string_equal(nth_event("a", AW_EV_WAIT, 0)->text, wait_on);
    assert_int_equal(nth_event("a", AW_EV_WAKE, 0)->code, AW_OK);
    assert_int_equal(done_ns("a"), 0); /* yielding takes no time */
    assert_int_equal(done_ns("b"), 0);
}

static void test_two_yielding_tasks_take_turns_round_robin(void **state)
{
    (void)state;
    check_round_robin(yield_via_yield, "yield");
}

static void test_sleep_zero_is_a_yield(void **state)
{
    (void)state;
    check_round_robin(yield_via_sleep_zero, "yield");
}

static void test_negative_sleep_is_a_yield(void **state)
{
    (void)state;
    check_round_robin(yield_via_negative_sleep, "yield");
}

/* A yield lets every task that was ready before it run first. */
static int main_yields_behind_ready_tasks(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_spawn(take_three_turns, (void *)yield_via_yield, "a");
    aw_spawn(take_three_turns, (void *)yield_via_yield, "b");
    log_turn("M");
    aw_yield();
    log_turn("M");
    aw_yield();
    log_turn("M");
    return aw_yield();
}

static void test_yield_runs_every_ready_task_first(void **state)
{
    (void)state;
    reset();
    assert_int_equal(run_virtual(main_yields_behind_ready_tasks, NULL, NULL), AW_OK);
    assert_string_equal(seen.order, "MabMabMab");
}

/* With nobody else ready, a yield returns at once but is still recorded. */
static int main_yields_alone(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    for (int i = 0; i < 3; i++)
        seen.status[0] |= aw_yield();
    seen.at_ns[0] = now_ns();
    return AW_OK;
}

static void test_lone_yield_returns_at_once_and_is_still_traced(void **state)
{
    (void)state;
    reset();
    assert_int_equal(run_virtual(main_yields_alone, NULL, NULL), AW_OK);
    assert_int_equal(seen.status[0], AW_OK);
    assert_int_equal(seen.at_ns[0], 0);
    assert_int_equal(count_events("main", AW_EV_WAIT), 3);
    assert_int_equal(count_events("main", AW_EV_WAKE), 3);
    assert_int_equal(count_events("main", AW_EV_RUN), 4);
    assert_string_equal(nth_event("main", AW_EV_WAIT, 2)->text, "yield");
}

/* ----------------------------------------------------------------------- */
/* Bad and extreme durations                                                 */
/* ----------------------------------------------------------------------- */

static int main_sleeps_nan(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    seen.status[0] = aw_sleep(NAN);
    seen.at_ns[0] = now_ns();
    seen.status[1] = aw_last_error() ? aw_last_error()->code : 0;
    return AW_OK;
}

static void test_sleep_nan_is_einval_and_does_not_suspend(void **state)
{
    (void)state;
    reset();
    assert_int_equal(run_virtual(main_sleeps_nan, NULL, NULL), AW_OK);
    assert_int_equal(seen.status[0], AW_EINVAL);
    assert_int_equal(seen.status[1], AW_EINVAL);
    assert_int_equal(seen.at_ns[0], 0);
    assert_int_equal(count_events("main", AW_EV_WAIT), 0);
}

static int sleep_forever(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    seen.status[0] = aw_sleep(INFINITY);
    seen.at_ns[0] = now_ns();
    seen.status[1] = aw_sleep(1e300);
    return seen.status[0];
}

static int main_cancels_eternal_sleeper(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_task *sleeper = aw_spawn(sleep_forever, NULL, "eternal");
    aw_sleep(3);
    aw_cancel(sleeper);
    return aw_await(sleeper) == AW_ECANCELLED ? AW_OK : AW_EINVAL;
}

static void test_endless_sleep_waits_until_cancelled(void **state)
{
    (void)state;
    reset();
    assert_int_equal(run_virtual(main_cancels_eternal_sleeper, NULL, NULL), AW_OK);
    assert_int_equal(seen.status[0], AW_ECANCELLED);
    assert_int_equal(seen.at_ns[0], MS(3000));
    assert_int_equal(seen.status[1], AW_ECANCELLED);
    assert_int_equal(done_ns("eternal"), MS(3000));
}

static void test_sleep_and_yield_outside_run_are_estate(void **state)
{
    (void)state;
    assert_int_equal(aw_sleep(1), AW_ESTATE);
    assert_int_equal(aw_yield(), AW_ESTATE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_sleep_takes_exactly_its_duration_in_virtual_time, clear_trace),
        cmocka_unit_test_teardown(test_equal_deadlines_fire_in_arming_order, clear_trace),
        cmocka_unit_test_teardown(test_same_delay_sleepers_wake_first_in_first_out, clear_trace),
        cmocka_unit_test_teardown(test_two_yielding_tasks_take_turns_round_robin, clear_trace),
        cmocka_unit_test_teardown(test_sleep_zero_is_a_yield, clear_trace),
        cmocka_unit_test_teardown(test_negative_sleep_is_a_yield, clear_trace),
        cmocka_unit_test_teardown(test_yield_runs_every_ready_task_first, clear_trace),
        cmocka_unit_test_teardown(test_lone_yield_returns_at_once_and_is_still_traced, clear_trace),
        cmocka_unit_test_teardown(test_sleep_nan_is_einval_and_does_not_suspend, clear_trace),
        cmocka_unit_test_teardown(test_endless_sleep_waits_until_cancelled, clear_trace),
        cmocka_unit_test_teardown(test_sleep_and_yield_outside_run_are_estate, clear_trace),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
