/*
 * test_process.c -- aw_process_run(): exit statuses, captured output,
 * input, kills on cancellation and timeout, and nothing left behind (no
 * zombie, no descriptor).
 *
 * The children are ordinary programs every POSIX system has: sh, cat,
 * sleep, head.  Runs that time a child use the real clock (the virtual
 * clock stands still while a child runs); bounds are generous.
 */
#include "runtime_test.h"

#include <errno.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>

static struct {
    int status[8];
    aw_process_result result[8];
    aw_error error;
    double elapsed;
    int fds_before, fds_after;
} seen;

static void reset(void)
{
    for (int i = 0; i < 8; i++)
        aw_process_result_free(&seen.result[i]);
    memset(&seen, 0, sizeof seen);
}

static int teardown(void **state)
{
    reset();
    return clear_trace(state);
}

static int run_clock(aw_fn main, aw_clock clock)
{
    aw_config config = {.clock = clock, .trace_capture = true};
    return aw_run(main, NULL, &config, NULL);
}

/* True when this process has no child at all: none running, no zombie. */
static bool no_children_left(void)
{
    int wstatus;
    return waitpid(-1, &wstatus, WNOHANG) == -1 && errno == ECHILD;
}

/* True when `pid` is no process (reaped, not a zombie). */
static bool gone(int pid)
{
    return pid > 0 && kill(pid, 0) == -1 && errno == ESRCH;
}

/* Runs argv and records what came back in slot i. */
static int run_argv(int i, const char *const *argv, const aw_process_options *more)
{
    aw_process_options options = more ? *more : (aw_process_options){0};
    options.argv = argv;
    seen.status[i] = aw_process_run(&options, &seen.result[i]);
    if (seen.status[i] != AW_OK && aw_last_error())
        seen.error = *aw_last_error();
    return seen.status[i];
}

/* ----------------------------------------------------------------------- */
/* Exit statuses and output                                                  */
/* ----------------------------------------------------------------------- */

static int main_runs_three_children(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    run_argv(0, (const char *const[]){"true", NULL}, NULL);
    run_argv(1, (const char *const[]){"sh", "-c", "exit 3", NULL}, NULL);
    run_argv(2, (const char *const[]){"sh", "-c", "echo out; echo err >&2; exit 1", NULL},
             NULL);
    return AW_OK;
}

static void test_exit_status_and_both_outputs_are_reported(void **state)
{
    (void)state;
    assert_int_equal(run_clock(main_runs_three_children, AW_CLOCK_VIRTUAL), AW_OK);
    for (int i = 0; i < 3; i++)
        assert_int_equal(seen.status[i], AW_OK); /* a failing child is not an error */
    assert_int_equal(seen.result[0].returncode, 0);
    assert_int_equal(seen.result[1].returncode, 3);
    assert_int_equal(seen.result[2].returncode, 1);
    assert_string_equal(seen.result[0].out, "");
    assert_string_equal(seen.result[2].out, "out\n");
    assert_int_equal(seen.result[2].out_size, 4);
    assert_string_equal(seen.result[2].err, "err\n");
    assert_false(seen.result[2].killed);
    assert_true(gone(seen.result[2].pid));

    const aw_trace_event *wait = nth_event("main", AW_EV_WAIT, 1);
    assert_string_equal(wait->text, "process");
    assert_string_equal(wait->name, "sh");
}

static int main_feeds_cat(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    static char big[1 << 20];
    for (size_t i = 0; i < sizeof big; i++)
        big[i] = (char)('a' + i % 26);
    const char *const cat[] = {"cat", NULL};
    run_argv(0, cat, &(aw_process_options){.input = "hello\n", .input_size = 6});
    /* 1 MiB each way: more than a pipe holds, so both directions must flow. */
    run_argv(1, cat, &(aw_process_options){.input = big, .input_size = sizeof big,
                                           .output_cap = 2 << 20});
    seen.status[2] = memcmp(seen.result[1].out, big, sizeof big) == 0 ? AW_OK : -1;
    run_argv(3, cat, &(aw_process_options){.input = "", .input_size = 0});
    /* A child that exits without reading its input: EPIPE is no error. */
    run_argv(4, (const char *const[]){"true", NULL},
             &(aw_process_options){.input = big, .input_size = sizeof big});
    return AW_OK;
}

static void test_input_goes_to_stdin_then_end_of_file(void **state)
{
    (void)state;
    assert_int_equal(run_clock(main_feeds_cat, AW_CLOCK_VIRTUAL), AW_OK);
    assert_int_equal(seen.status[0], AW_OK);
    assert_string_equal(seen.result[0].out, "hello\n");
    assert_int_equal(seen.status[1], AW_OK);
    assert_int_equal(seen.result[1].out_size, 1 << 20);
    assert_false(seen.result[1].out_truncated);
    assert_int_equal(seen.status[2], AW_OK);
    assert_int_equal(seen.status[3], AW_OK);
    assert_int_equal(seen.result[3].out_size, 0);
    assert_int_equal(seen.status[4], AW_OK);
    assert_int_equal(seen.result[4].returncode, 0);
}

static int main_overflows_the_cap(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    run_argv(0, (const char *const[]){"head", "-c", "300000", "/dev/zero", NULL},
             &(aw_process_options){.output_cap = 1000});
    return AW_OK;
}

static void test_output_beyond_the_cap_is_dropped_and_the_child_still_finishes(void **state)
{
    (void)state;
    assert_int_equal(run_clock(main_overflows_the_cap, AW_CLOCK_VIRTUAL), AW_OK);
    assert_int_equal(seen.status[0], AW_OK);
    assert_int_equal(seen.result[0].returncode, 0);
    assert_int_equal(seen.result[0].out_size, 1000);
    assert_true(seen.result[0].out_truncated);
    assert_false(seen.result[0].err_truncated);
}

static int main_sets_env_cwd_and_streams(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    const char *const env[] = {"GREETING=hi there", "PATH=/usr/bin:/bin", NULL};
    run_argv(0, (const char *const[]){"sh", "-c", "echo \"$GREETING\"; pwd", NULL},
             &(aw_process_options){.env = env, .cwd = "/"});
    run_argv(1, (const char *const[]){"sh", "-c", "echo gone; echo kept >&2", NULL},
             &(aw_process_options){.stdout_mode = AW_STDIO_DEVNULL});
    return AW_OK;
}

static void test_environment_directory_and_discarded_output(void **state)
{
    (void)state;
    assert_int_equal(run_clock(main_sets_env_cwd_and_streams, AW_CLOCK_VIRTUAL), AW_OK);
    assert_int_equal(seen.status[0], AW_OK);
    assert_string_equal(seen.result[0].out, "hi there\n/\n");
    assert_int_equal(seen.status[1], AW_OK);
    assert_null(seen.result[1].out);
    assert_string_equal(seen.result[1].err, "kept\n");
}

static int main_runs_nothing_real(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    run_argv(0, (const char *const[]){"awaitlab-no-such-program", NULL}, NULL);
    run_argv(1, (const char *const[]){NULL}, NULL);
    return AW_OK;
}

static void test_a_missing_program_is_an_error_with_the_reason(void **state)
{
    (void)state;
    assert_int_equal(run_clock(main_runs_nothing_real, AW_CLOCK_VIRTUAL), AW_OK);
    assert_int_equal(seen.status[0], AW_EIO);
    assert_int_equal(seen.result[0].pid, 0);
    assert_int_equal(seen.status[1], AW_EINVAL);
    assert_true(no_children_left());
}

static int main_runs_a_missing_program(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    return run_argv(0, (const char *const[]){"awaitlab-no-such-program", NULL}, NULL);
}

static void test_the_missing_program_message_names_it(void **state)
{
    (void)state;
    run_clock(main_runs_a_missing_program, AW_CLOCK_VIRTUAL);
    assert_int_equal(seen.error.code, AW_EIO);
    assert_non_null(strstr(seen.error.message, "awaitlab-no-such-program"));
    assert_non_null(strstr(seen.error.message, "no such file"));
}

/* ----------------------------------------------------------------------- */
/* Killing                                                                   */
/* ----------------------------------------------------------------------- */

static int main_times_out_a_long_sleep(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    double start = aw_now();
    aw_timeout scope;
    aw_timeout_begin(&scope, 0.2);
    int status = run_argv(0, (const char *const[]){"sleep", "30", NULL}, NULL);
    seen.status[1] = aw_timeout_end(&scope, status);
    seen.elapsed = aw_now() - start;
    return AW_OK;
}

static void test_a_timeout_kills_the_child_and_reaps_it(void **state)
{
    (void)state;
    assert_int_equal(run_clock(main_times_out_a_long_sleep, AW_CLOCK_REAL), AW_OK);
    assert_int_equal(seen.status[0], AW_ECANCELLED);
    assert_int_equal(seen.status[1], AW_ETIMEDOUT);
    assert_true(seen.elapsed >= 0.19);
    assert_true(seen.result[0].killed);
    assert_int_equal(seen.result[0].returncode, -SIGTERM);
    assert_true(gone(seen.result[0].pid));
    assert_true(no_children_left());
}

static int stubborn_child(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    /* Ignores SIGTERM: only the SIGKILL after the grace period ends it. */
    const char *const argv[] = {"sh", "-c", "trap '' TERM; exec sleep 30", NULL};
    return run_argv(0, argv, &(aw_process_options){.kill_grace_s = 0.3});
}

static int main_cancels_a_stubborn_child(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_task *task = aw_spawn(stubborn_child, NULL, "stubborn");
    aw_sleep(0.3); /* time for sh to set its trap */
    double cancelled_at = aw_now();
    aw_cancel(task);
    seen.status[1] = aw_await(task);
    seen.elapsed = aw_now() - cancelled_at;
    return AW_OK;
}

static void test_a_child_that_ignores_sigterm_gets_sigkill_after_the_grace(void **state)
{
    (void)state;
    assert_int_equal(run_clock(main_cancels_a_stubborn_child, AW_CLOCK_REAL), AW_OK);
    assert_int_equal(seen.status[0], AW_ECANCELLED);
    assert_int_equal(seen.status[1], AW_ECANCELLED);
    assert_int_equal(done_code("stubborn"), AW_ECANCELLED);
    assert_true(seen.result[0].killed);
    assert_int_equal(seen.result[0].returncode, -SIGKILL);
    assert_true(seen.elapsed >= 0.29); /* it waited out the grace period */
    assert_true(gone(seen.result[0].pid));
    assert_true(no_children_left());
}

static int main_cancelled_before_running(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_cancel(aw_current());
    run_argv(0, (const char *const[]){"true", NULL}, NULL);
    return AW_OK;
}

static void test_a_cancelled_task_starts_no_child(void **state)
{
    (void)state;
    run_clock(main_cancelled_before_running, AW_CLOCK_VIRTUAL);
    assert_int_equal(seen.status[0], AW_ECANCELLED);
    assert_int_equal(seen.result[0].pid, 0);
}

/* ----------------------------------------------------------------------- */
/* Many at once, and nothing left behind                                     */
/* ----------------------------------------------------------------------- */

static int run_slot(void *arg, intptr_t *result)
{
    (void)result;
    int i = (int)(intptr_t)arg;
    const char *const sleeper[] = {"sh", "-c", "sleep 1; echo done", NULL};
    const char *const forever[] = {"sleep", "30", NULL};
    return run_argv(i, i < 4 ? sleeper : forever,
                    &(aw_process_options){.input = "x", .input_size = 1});
}

static int main_runs_many_and_counts_fds(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    /* libuv opens its SIGCHLD pipes at a loop's first child: do that first. */
    run_argv(7, (const char *const[]){"true", NULL}, NULL);
    seen.fds_before = count_open_fds();

    double start = aw_now();
    aw_task *tasks[6];
    for (int i = 0; i < 6; i++)
        tasks[i] = aw_spawn(run_slot, (void *)(intptr_t)i, "child-%d", i);
    aw_sleep(0.1);
    aw_cancel(tasks[4]);
    aw_cancel(tasks[5]);
    aw_gather(tasks, 6, AW_RETURN_EXCEPTIONS);
    seen.elapsed = aw_now() - start;

    seen.fds_after = count_open_fds();
    return AW_OK;
}

static void test_children_run_in_parallel_and_leave_no_zombie_and_no_fd(void **state)
{
    (void)state;
    int fds_outside = count_open_fds();
    assert_int_equal(run_clock(main_runs_many_and_counts_fds, AW_CLOCK_REAL), AW_OK);
    for (int i = 0; i < 4; i++) {
        assert_int_equal(seen.status[i], AW_OK);
        assert_string_equal(seen.result[i].out, "done\n");
        assert_true(gone(seen.result[i].pid));
    }
    for (int i = 4; i < 6; i++) {
        assert_int_equal(seen.status[i], AW_ECANCELLED);
        assert_true(seen.result[i].killed);
        assert_true(gone(seen.result[i].pid));
    }
    /* Four 1 s children side by side.  No upper bound on the real time it
     * took: that would measure how busy the machine is, not the code. */
    assert_true(seen.elapsed >= 0.99);
    assert_int_equal(seen.fds_after, seen.fds_before);
    assert_true(no_children_left());
    assert_true(count_open_fds() <= fds_outside + 1); /* + libuv's signal lock, once */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_exit_status_and_both_outputs_are_reported, teardown),
        cmocka_unit_test_teardown(test_input_goes_to_stdin_then_end_of_file, teardown),
        cmocka_unit_test_teardown(test_output_beyond_the_cap_is_dropped_and_the_child_still_finishes, teardown),
        cmocka_unit_test_teardown(test_environment_directory_and_discarded_output, teardown),
        cmocka_unit_test_teardown(test_a_missing_program_is_an_error_with_the_reason, teardown),
        cmocka_unit_test_teardown(test_the_missing_program_message_names_it, teardown),
        cmocka_unit_test_teardown(test_a_timeout_kills_the_child_and_reaps_it, teardown),
        cmocka_unit_test_teardown(test_a_child_that_ignores_sigterm_gets_sigkill_after_the_grace, teardown),
        cmocka_unit_test_teardown(test_a_cancelled_task_starts_no_child, teardown),
        cmocka_unit_test_teardown(test_children_run_in_parallel_and_leave_no_zombie_and_no_fd, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
