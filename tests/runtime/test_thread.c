/*
 * test_thread.c -- aw_to_thread(): results, real parallelism on the pool,
 * cancellation that leaves the thread running, and the virtual clock
 * standing still while a thread works.
 *
 * Every run asks for a pool of POOL threads.  libuv fixes the pool's size at
 * the first job of the process, so all tests here share that one pool.
 * Timing tests use the real clock and check generous bounds only.
 */
#include "runtime_test.h"

#include <stdatomic.h>
#include <time.h>

enum { POOL = 8 };

static struct {
    int status[20];
    intptr_t value[20];
    double at[20];
    double elapsed;
} seen;

/* Written by worker threads, read by the test once aw_run() returned. */
static atomic_int calls_started;
static atomic_int calls_finished;

static void reset(void)
{
    memset(&seen, 0, sizeof seen);
    atomic_store(&calls_started, 0);
    atomic_store(&calls_finished, 0);
}

static int run_with_pool(aw_fn main, aw_clock clock)
{
    aw_config config = {.clock = clock, .trace_capture = true, .thread_pool_size = POOL};
    return aw_run(main, NULL, &config, NULL);
}

/* Seconds on the monotonic clock, to time a whole aw_run(). */
static double wall_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Blocks the calling (worker) thread, the way a synchronous driver would. */
static void block_for(double seconds)
{
    struct timespec ts = {.tv_sec = (time_t)seconds,
                          .tv_nsec = (long)((seconds - (time_t)seconds) * 1e9)};
    while (nanosleep(&ts, &ts) != 0)
        ;
}

/* The blocking functions, run on workers. */
static intptr_t double_it(void *arg)
{
    atomic_fetch_add(&calls_started, 1);
    atomic_fetch_add(&calls_finished, 1);
    return (intptr_t)arg * 2;
}

static intptr_t slow_double(void *arg)
{
    atomic_fetch_add(&calls_started, 1);
    block_for(0.2);
    atomic_fetch_add(&calls_finished, 1);
    return (intptr_t)arg * 2;
}

static intptr_t slower_double(void *arg)
{
    atomic_fetch_add(&calls_started, 1);
    block_for(0.4);
    atomic_fetch_add(&calls_finished, 1);
    return (intptr_t)arg * 2;
}

/* ----------------------------------------------------------------------- */
/* Results                                                                   */
/* ----------------------------------------------------------------------- */

static int main_doubles_on_a_thread(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    seen.status[0] = aw_to_thread(double_it, (void *)21, &seen.value[0]);
    seen.status[1] = aw_to_thread(double_it, (void *)-4, NULL); /* result not wanted */
    return AW_OK;
}

static void test_to_thread_returns_the_functions_value(void **state)
{
    (void)state;
    reset();
    assert_int_equal(run_with_pool(main_doubles_on_a_thread, AW_CLOCK_VIRTUAL), AW_OK);
    assert_int_equal(seen.status[0], AW_OK);
    assert_int_equal(seen.value[0], 42);
    assert_int_equal(seen.status[1], AW_OK);
    assert_int_equal(atomic_load(&calls_finished), 2);
    assert_int_equal(aw_thread_pool_size(), POOL);

    /* The wait is in the trace, named after the function. */
    const aw_trace_event *wait = nth_event("main", AW_EV_WAIT, 0);
    assert_non_null(wait);
    assert_string_equal(wait->text, "thread");
    assert_string_equal(wait->name, "double_it");
}

static int main_with_no_function(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    seen.status[0] = aw_to_thread_named("none", NULL, NULL, NULL);
    return AW_OK;
}

static void test_to_thread_without_a_function_is_invalid(void **state)
{
    (void)state;
    reset();
    assert_int_equal(run_with_pool(main_with_no_function, AW_CLOCK_VIRTUAL), AW_OK);
    assert_int_equal(seen.status[0], AW_EINVAL);
}

/* ----------------------------------------------------------------------- */
/* Parallelism                                                               */
/* ----------------------------------------------------------------------- */

static int offload_slow_double(void *arg, intptr_t *result)
{
    return aw_to_thread(slow_double, arg, result);
}

/* Gathers n tasks that each offload a 0.2 s blocking call. */
static int gather_offloads(int n)
{
    aw_task *tasks[20];
    double start = aw_now();
    for (int i = 0; i < n; i++)
        tasks[i] = aw_spawn(offload_slow_double, (void *)(intptr_t)i, "offload-%d", i);
    int status = aw_gather(tasks, (size_t)n, 0);
    seen.elapsed = aw_now() - start;
    for (int i = 0; i < n; i++)
        seen.value[i] = aw_task_value(tasks[i]);
    return status;
}

static int main_gathers_a_pool_full(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    seen.status[0] = gather_offloads(POOL);
    return AW_OK;
}

/* The most thread-pool workers the trace saw busy at once. */
static long peak_threads_busy(void)
{
    size_t count;
    const aw_trace_event *events = aw_trace_events(&count);
    long peak = 0;
    for (size_t i = 0; i < count; i++)
        if (events[i].kind == AW_EV_RESOURCE && strcmp(events[i].text, "threads") == 0 &&
            (long)events[i].value > peak)
            peak = (long)events[i].value;
    return peak;
}

static void test_jobs_as_many_as_workers_run_at_once(void **state)
{
    (void)state;
    reset();
    assert_int_equal(run_with_pool(main_gathers_a_pool_full, AW_CLOCK_REAL), AW_OK);
    assert_int_equal(seen.status[0], AW_OK);
    for (int i = 0; i < POOL; i++)
        assert_int_equal(seen.value[i], 2 * i);
    /* Eight 0.2 s calls side by side: the trace shows every worker busy at
     * once (a real-clock upper bound would measure the machine's load). */
    assert_true(seen.elapsed >= 0.19);
    assert_int_equal(peak_threads_busy(), POOL);
}

static int main_gathers_two_pools_full(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    seen.status[0] = gather_offloads(2 * POOL);
    return AW_OK;
}

/* Twice as many jobs as workers: two waves, and the trace shows the queue. */
static void test_jobs_beyond_the_pool_size_wait_for_a_worker(void **state)
{
    (void)state;
    reset();
    assert_int_equal(run_with_pool(main_gathers_two_pools_full, AW_CLOCK_REAL), AW_OK);
    assert_int_equal(seen.status[0], AW_OK);
    assert_true(seen.elapsed >= 0.39);

    size_t count;
    const aw_trace_event *events = aw_trace_events(&count);
    long peak_busy = 0, peak_queued = 0;
    for (size_t i = 0; i < count; i++) {
        if (events[i].kind != AW_EV_RESOURCE || strcmp(events[i].text, "threads") != 0)
            continue;
        assert_int_equal(events[i].code, POOL); /* capacity */
        if (events[i].value > peak_busy)
            peak_busy = (long)events[i].value;
        if (events[i].waiters > peak_queued)
            peak_queued = events[i].waiters;
    }
    assert_int_equal(peak_busy, 2 * POOL);
    assert_int_equal(peak_queued, POOL);
}

/* ----------------------------------------------------------------------- */
/* Cancellation                                                              */
/* ----------------------------------------------------------------------- */

static int offload_then_record(void *arg, intptr_t *result)
{
    int i = (int)(intptr_t)arg;
    seen.status[i] = aw_to_thread(slower_double, arg, &seen.value[i]);
    seen.at[i] = aw_now();
    *result = seen.value[i];
    return seen.status[i];
}

static int main_cancels_while_the_thread_runs(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_task *victim = aw_spawn(offload_then_record, (void *)1, "victim");
    seen.value[1] = -1;
    aw_sleep(0.1);
    aw_cancel(victim);
    seen.status[0] = aw_await(victim);
    seen.at[0] = aw_now();
    return AW_OK; /* main ends while the thread still blocks */
}

static void test_cancelled_task_stops_waiting_at_once_and_the_run_waits_for_the_thread(
    void **state)
{
    (void)state;
    reset();
    double began = wall_seconds();
    assert_int_equal(run_with_pool(main_cancels_while_the_thread_runs, AW_CLOCK_REAL), AW_OK);
    double run_seconds = wall_seconds() - began;

    assert_int_equal(seen.status[1], AW_ECANCELLED); /* the task saw it...      */
    assert_int_equal(seen.value[1], -1);             /* ...and no result        */
    assert_true(seen.at[1] < 0.3);                   /* at once, not at 0.4 s   */
    assert_int_equal(seen.status[0], AW_ECANCELLED);
    assert_int_equal(done_code("victim"), AW_ECANCELLED);
    /* The thread was not stopped: it ran to its end before aw_run() returned. */
    assert_int_equal(atomic_load(&calls_started), 1);
    assert_int_equal(atomic_load(&calls_finished), 1);
    assert_true(run_seconds >= 0.39);
}

/*
 * With every worker busy, a ninth job waits in the queue; cancelling its
 * task drops it before it starts, as concurrent.futures does for a pending
 * future.
 */
static int main_cancels_a_queued_job(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_task *tasks[POOL + 1];
    for (int i = 0; i < POOL + 1; i++)
        tasks[i] = aw_spawn(offload_then_record, (void *)(intptr_t)(i + 2), "offload-%d", i);
    aw_sleep(0.1);
    aw_cancel(tasks[POOL]);
    return aw_gather(tasks, POOL + 1, AW_RETURN_EXCEPTIONS);
}

static void test_cancelling_a_queued_job_means_it_never_runs(void **state)
{
    (void)state;
    reset();
    assert_int_equal(run_with_pool(main_cancels_a_queued_job, AW_CLOCK_REAL), AW_OK);
    for (int i = 0; i < POOL; i++)
        assert_int_equal(seen.status[i + 2], AW_OK);
    assert_int_equal(seen.status[POOL + 2], AW_ECANCELLED);
    assert_int_equal(atomic_load(&calls_started), POOL);
    assert_int_equal(atomic_load(&calls_finished), POOL);
}

static int main_cancelled_before_offloading(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_cancel(aw_current());
    seen.status[0] = aw_to_thread(double_it, (void *)1, &seen.value[0]);
    return AW_OK;
}

static void test_cancelled_task_never_starts_a_job(void **state)
{
    (void)state;
    reset();
    run_with_pool(main_cancelled_before_offloading, AW_CLOCK_VIRTUAL);
    assert_int_equal(seen.status[0], AW_ECANCELLED);
    assert_int_equal(atomic_load(&calls_started), 0);
}

/* ----------------------------------------------------------------------- */
/* The virtual clock                                                         */
/* ----------------------------------------------------------------------- */

static int sleeper(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    int status = aw_sleep(5.0);
    seen.at[1] = aw_now();
    return status;
}

static int main_offloads_beside_a_sleeper(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_task *other = aw_spawn(sleeper, NULL, "sleeper");
    seen.status[0] = aw_to_thread(slow_double, (void *)5, &seen.value[0]);
    seen.at[0] = aw_now();
    return aw_await(other);
}

/*
 * While the thread works, virtual time stands still: the 5 s sleep is not
 * skipped over the 0.2 s of real work, and ends at exactly 5 s afterwards.
 */
static void test_virtual_clock_stands_still_while_a_thread_works(void **state)
{
    (void)state;
    reset();
    assert_int_equal(run_with_pool(main_offloads_beside_a_sleeper, AW_CLOCK_VIRTUAL), AW_OK);
    assert_int_equal(seen.status[0], AW_OK);
    assert_int_equal(seen.value[0], 10);
    assert_true(seen.at[0] == 0.0);
    assert_true(seen.at[1] == 5.0);
}

/* ----------------------------------------------------------------------- */
/* The pool's size                                                           */
/* ----------------------------------------------------------------------- */

static int main_asks_for_another_pool(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    seen.status[0] = aw_to_thread(double_it, (void *)1, &seen.value[0]);
    return AW_OK;
}

static void test_a_later_run_cannot_resize_the_pool_and_says_so(void **state)
{
    (void)state;
    reset();
    aw_config config = {.clock = AW_CLOCK_VIRTUAL, .thread_pool_size = POOL + 3};
    stderr_capture capture;
    stderr_capture_begin(&capture);
    int status = aw_run(main_asks_for_another_pool, NULL, &config, NULL);
    char *err = stderr_capture_end(&capture);
    assert_int_equal(status, AW_OK);
    assert_int_equal(seen.value[0], 2);
    assert_int_equal(aw_thread_pool_size(), POOL);
    assert_non_null(err);
    assert_non_null(strstr(err, "already has 8 threads"));
    free(err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_to_thread_returns_the_functions_value, clear_trace),
        cmocka_unit_test_teardown(test_to_thread_without_a_function_is_invalid, clear_trace),
        cmocka_unit_test_teardown(test_jobs_as_many_as_workers_run_at_once, clear_trace),
        cmocka_unit_test_teardown(test_jobs_beyond_the_pool_size_wait_for_a_worker, clear_trace),
        cmocka_unit_test_teardown(test_cancelled_task_stops_waiting_at_once_and_the_run_waits_for_the_thread, clear_trace),
        cmocka_unit_test_teardown(test_cancelling_a_queued_job_means_it_never_runs, clear_trace),
        cmocka_unit_test_teardown(test_cancelled_task_never_starts_a_job, clear_trace),
        cmocka_unit_test_teardown(test_virtual_clock_stands_still_while_a_thread_works, clear_trace),
        cmocka_unit_test_teardown(test_a_later_run_cannot_resize_the_pool_and_says_so, clear_trace),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
