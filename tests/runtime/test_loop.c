/*
 * test_loop.c -- the loop: the virtual clock's jumps, choosing a clock,
 * deadlock detection, and debug mode's warning about steps that hold the
 * loop.
 */
#include "runtime_test.h"

#include <time.h>

static struct {
    int status;
    int64_t at_ns;
    double now;
    aw_clock clock;
    aw_task *main;
} seen;

static void reset(void) { memset(&seen, 0, sizeof seen); }

/* ----------------------------------------------------------------------- */
/* Clocks                                                                    */
/* ----------------------------------------------------------------------- */

static int sleep_half_a_second(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    return aw_sleep(0.5);
}

static int main_gathers_ten_sleeps(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_task *tasks[10];
    for (int i = 0; i < 10; i++)
        tasks[i] = aw_spawn(sleep_half_a_second, NULL, "sleeper-%d", i);
    seen.status = aw_gather(tasks, 10, 0);
    seen.at_ns = now_ns();
    seen.clock = aw_clock_in_use();
    return AW_OK;
}

static void test_virtual_clock_jumps_so_ten_gathered_half_second_sleeps_take_half_a_second(
    void **state)
{
    (void)state;
    reset();
    assert_int_equal(run_virtual(main_gathers_ten_sleeps, NULL, NULL), AW_OK);
    assert_int_equal(seen.status, AW_OK);
    assert_int_equal(seen.at_ns, MS(500));
    assert_int_equal(seen.clock, AW_CLOCK_VIRTUAL);
    assert_int_equal(done_ns("main"), MS(500));
    assert_int_equal(aw_trace_peak_concurrency(0, SIZE_MAX), 10);
}

static int main_sleeps_a_hundred_seconds(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    seen.clock = aw_clock_in_use();
    if (seen.clock != AW_CLOCK_VIRTUAL)
        return AW_OK; /* do not really sleep 100 s: the test fails anyway */
    seen.status = aw_sleep(100);
    seen.at_ns = now_ns();
    seen.now = aw_now();
    return AW_OK;
}

static void test_AWAITLAB_CLOCK_virtual_selects_the_virtual_clock_when_config_has_none(
    void **state)
{
    (void)state;
    reset();
    setenv("AWAITLAB_CLOCK", "virtual", 1);
    aw_config config = {.trace_capture = true}; /* clock: AW_CLOCK_DEFAULT */
    int status = aw_run(main_sleeps_a_hundred_seconds, NULL, &config, NULL);
    int status_without_config = aw_run(main_sleeps_a_hundred_seconds, NULL, NULL, NULL);
    unsetenv("AWAITLAB_CLOCK");
    assert_int_equal(status, AW_OK);
    assert_int_equal(status_without_config, AW_OK);
    assert_int_equal(seen.clock, AW_CLOCK_VIRTUAL);
    assert_int_equal(seen.at_ns, MS(100000));
    assert_true(seen.now == 100.0);
}

static int main_sleeps_twenty_ms(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    seen.status = aw_sleep(0.02);
    seen.now = aw_now();
    seen.clock = aw_clock_in_use();
    return AW_OK;
}

/* Only a lower bound: a loaded machine may take longer, never shorter. */
static void test_real_clock_sleep_completes_after_at_least_its_duration(void **state)
{
    (void)state;
    reset();
    aw_config config = {.clock = AW_CLOCK_REAL, .trace_capture = true};
    assert_int_equal(aw_run(main_sleeps_twenty_ms, NULL, &config, NULL), AW_OK);
    assert_int_equal(seen.status, AW_OK);
    assert_int_equal(seen.clock, AW_CLOCK_REAL);
    assert_true(seen.now >= 0.02);
    assert_true(nth_event("main", AW_EV_WAKE, 0)->t_ns >= MS(20));
}

static void test_config_clock_wins_over_AWAITLAB_CLOCK(void **state)
{
    (void)state;
    reset();
    setenv("AWAITLAB_CLOCK", "virtual", 1);
    aw_config config = {.clock = AW_CLOCK_REAL};
    int status = aw_run(main_sleeps_twenty_ms, NULL, &config, NULL);
    unsetenv("AWAITLAB_CLOCK");
    assert_int_equal(status, AW_OK);
    assert_int_equal(seen.clock, AW_CLOCK_REAL);
    assert_true(seen.now >= 0.02);
}

static void test_unknown_AWAITLAB_CLOCK_falls_back_to_real_with_a_warning(void **state)
{
    (void)state;
    reset();
    setenv("AWAITLAB_CLOCK", "sundial", 1);
    stderr_capture capture;
    stderr_capture_begin(&capture);
    int status = aw_run(main_sleeps_twenty_ms, NULL, NULL, NULL);
    char *said = stderr_capture_end(&capture);
    unsetenv("AWAITLAB_CLOCK");
    assert_int_equal(status, AW_OK);
    assert_int_equal(seen.clock, AW_CLOCK_REAL);
    assert_non_null(strstr(said, "AWAITLAB_CLOCK=sundial"));
    free(said);
}

/* ----------------------------------------------------------------------- */
/* Deadlock                                                                  */
/* ----------------------------------------------------------------------- */

static int await_main(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    return aw_await(seen.main);
}

static int main_awaits_its_awaiter(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    seen.main = aw_current();
    aw_sleep(1);
    seen.status = aw_await(aw_spawn(await_main, NULL, "child"));
    seen.at_ns = now_ns();
    return seen.status;
}

/*
 * Runs `main` with stderr captured; returns aw_run's status, *said what was
 * written.  A deadlock that goes unnoticed would hang: the alarm then kills
 * the test program, which fails it instead.
 */
static int run_quietly(aw_fn main, char **said)
{
    stderr_capture capture;
    stderr_capture_begin(&capture);
    alarm(20);
    int status = run_virtual(main, NULL, NULL);
    alarm(0);
    *said = stderr_capture_end(&capture);
    return status;
}

static void test_tasks_awaiting_each_other_are_reported_as_a_deadlock_not_a_hang(
    void **state)
{
    (void)state;
    reset();
    char *said = NULL;
    assert_int_equal(run_quietly(main_awaits_its_awaiter, &said), AW_EDEADLOCK);
    /* Everyone was cancelled where they stood, at the moment it happened. */
    assert_int_equal(seen.status, AW_ECANCELLED);
    assert_int_equal(seen.at_ns, MS(1000));
    assert_int_equal(done_code("main"), AW_ECANCELLED);
    assert_int_equal(done_code("child"), AW_ECANCELLED);
    assert_int_equal(done_ns("child"), MS(1000));
    assert_non_null(strstr(said, "deadlock at t=1.000 s"));
    assert_non_null(strstr(said, "'main' waits on task 'child'"));
    assert_non_null(strstr(said, "'child' waits on task 'main'"));
    free(said);
}

static int main_gathers_its_awaiter(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    seen.main = aw_current();
    aw_task *worker = aw_spawn(await_main, NULL, "worker");
    return aw_gather(&worker, 1, AW_RETURN_EXCEPTIONS);
}

static void test_gather_that_can_never_complete_is_reported_as_a_deadlock(void **state)
{
    (void)state;
    reset();
    char *said = NULL;
    assert_int_equal(run_quietly(main_gathers_its_awaiter, &said), AW_EDEADLOCK);
    assert_non_null(strstr(said, "'main' waits on gather"));
    assert_non_null(strstr(said, "'worker' waits on task 'main'"));
    free(said);
}

static int await_other(void *arg, intptr_t *result)
{
    (void)result;
    return aw_await(*(aw_task **)arg);
}

static aw_task *ring[2];

static int main_awaits_a_ring(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    ring[0] = aw_spawn(await_other, &ring[1], "ring-a");
    ring[1] = aw_spawn(await_other, &ring[0], "ring-b");
    aw_sleep(2.5);
    return aw_await(ring[0]);
}

static void test_a_cycle_among_other_tasks_is_a_deadlock_too(void **state)
{
    (void)state;
    reset();
    char *said = NULL;
    assert_int_equal(run_quietly(main_awaits_a_ring, &said), AW_EDEADLOCK);
    assert_non_null(strstr(said, "deadlock at t=2.500 s: 3 task(s)"));
    assert_int_equal(done_ns("ring-a"), MS(2500));
    assert_int_equal(done_ns("ring-b"), MS(2500));
    free(said);
}

/* ----------------------------------------------------------------------- */
/* Debug mode                                                                */
/* ----------------------------------------------------------------------- */

/* Holds the CPU, without suspending, for `seconds` of real time. */
static void spin_for(double seconds)
{
    struct timespec start, now;
    clock_gettime(CLOCK_MONOTONIC, &start);
    do {
        clock_gettime(CLOCK_MONOTONIC, &now);
    } while ((double)(now.tv_sec - start.tv_sec) + (double)(now.tv_nsec - start.tv_nsec) / 1e9 <
             seconds);
}

static int spinner(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_yield();
    spin_for(0.15); /* a blocking call inside a task */
    return aw_yield();
}

static int quick(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    for (int i = 0; i < 5; i++)
        aw_yield();
    return AW_OK;
}

static int main_with_a_spinner(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_task *tasks[2] = {aw_spawn(quick, NULL, "quick"), aw_spawn(spinner, NULL, "spinner")};
    return aw_gather(tasks, 2, 0);
}

static int run_spinner(bool debug, double threshold, char **said)
{
    aw_config config = {.clock = AW_CLOCK_VIRTUAL, .trace_capture = true, .debug = debug,
                        .debug_threshold_s = threshold};
    stderr_capture capture;
    stderr_capture_begin(&capture);
    int status = aw_run(main_with_a_spinner, NULL, &config, NULL);
    *said = stderr_capture_end(&capture);
    return status;
}

static int count_slow_events(void)
{
    size_t n;
    const aw_trace_event *e = aw_trace_events(&n);
    int slow = 0;
    for (size_t i = 0; i < n; i++)
        slow += e[i].kind == AW_EV_SLOW;
    return slow;
}

static void test_debug_mode_names_a_task_that_holds_the_loop(void **state)
{
    (void)state;
    unsetenv("AWAITLAB_DEBUG");
    char *said = NULL;
    assert_int_equal(run_spinner(true, 0.1, &said), AW_OK);

    assert_int_equal(count_slow_events(), 1);
    const aw_trace_event *slow = nth_event("spinner", AW_EV_SLOW, 0);
    assert_non_null(slow);
    assert_true(slow->value >= MS(150)); /* real time: a lower bound only */
    assert_int_equal(slow->t_ns, 0);     /* virtual time did not move      */
    assert_non_null(strstr(said, "task 'spinner'"));
    assert_non_null(strstr(said, "held the loop"));
    assert_null(strstr(said, "'quick'"));
    free(said);
}

static void test_debug_mode_off_reports_nothing(void **state)
{
    (void)state;
    unsetenv("AWAITLAB_DEBUG");
    char *said = NULL;
    assert_int_equal(run_spinner(false, 0.1, &said), AW_OK);
    assert_int_equal(count_slow_events(), 0);
    assert_string_equal(said, "");
    free(said);
}

static void test_debug_threshold_above_the_step_reports_nothing(void **state)
{
    (void)state;
    unsetenv("AWAITLAB_DEBUG");
    char *said = NULL;
    assert_int_equal(run_spinner(true, 30.0, &said), AW_OK);
    assert_int_equal(count_slow_events(), 0);
    assert_string_equal(said, "");
    free(said);
}

static void test_AWAITLAB_DEBUG_turns_debug_mode_on(void **state)
{
    (void)state;
    setenv("AWAITLAB_DEBUG", "1", 1);
    char *said = NULL;
    int status = run_spinner(false, 0, &said);
    unsetenv("AWAITLAB_DEBUG");
    assert_int_equal(status, AW_OK);
    assert_non_null(nth_event("spinner", AW_EV_SLOW, 0));
    assert_non_null(strstr(said, "task 'spinner'"));
    free(said);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_virtual_clock_jumps_so_ten_gathered_half_second_sleeps_take_half_a_second, clear_trace),
        cmocka_unit_test_teardown(test_AWAITLAB_CLOCK_virtual_selects_the_virtual_clock_when_config_has_none, clear_trace),
        cmocka_unit_test_teardown(test_real_clock_sleep_completes_after_at_least_its_duration, clear_trace),
        cmocka_unit_test_teardown(test_config_clock_wins_over_AWAITLAB_CLOCK, clear_trace),
        cmocka_unit_test_teardown(test_unknown_AWAITLAB_CLOCK_falls_back_to_real_with_a_warning, clear_trace),
        cmocka_unit_test_teardown(test_tasks_awaiting_each_other_are_reported_as_a_deadlock_not_a_hang, clear_trace),
        cmocka_unit_test_teardown(test_gather_that_can_never_complete_is_reported_as_a_deadlock, clear_trace),
        cmocka_unit_test_teardown(test_a_cycle_among_other_tasks_is_a_deadlock_too, clear_trace),
        cmocka_unit_test_teardown(test_debug_mode_names_a_task_that_holds_the_loop, clear_trace),
        cmocka_unit_test_teardown(test_debug_mode_off_reports_nothing, clear_trace),
        cmocka_unit_test_teardown(test_debug_threshold_above_the_step_reports_nothing, clear_trace),
        cmocka_unit_test_teardown(test_AWAITLAB_DEBUG_turns_debug_mode_on, clear_trace),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
