/*
 * test_cancel.c -- cancellation: when it takes effect, that it is
 * level-triggered, what it does to an awaited task, and shielded regions.
 */
#include "runtime_test.h"

#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

enum { MAX_STEPS = 8 };

/*
 * What the tasks saw: the victim's steps (the status each call returned, and
 * when), and what main's own await of it returned.
 */
static struct {
    int status[MAX_STEPS];
    int64_t at_ns[MAX_STEPS];
    int steps;
    int main_status, bystander_status;
    int64_t main_at_ns, bystander_at_ns;
    bool ran;
    bool cancelled_flag;
    bool cancel_result[3];
    aw_task *other;
} seen;

static void reset(void) { memset(&seen, 0, sizeof seen); }

/* Records one step's status and the time it returned. */
static int step(int status)
{
    if (seen.steps < MAX_STEPS) {
        seen.status[seen.steps] = status;
        seen.at_ns[seen.steps] = now_ns();
        seen.steps++;
    }
    return status;
}

/* ----------------------------------------------------------------------- */
/* Task bodies                                                               */
/* ----------------------------------------------------------------------- */

static int sleep_ten(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    seen.ran = true;
    return step(aw_sleep(10));
}

static int sleep_three_quietly(void *arg, intptr_t *result)
{
    (void)arg;
    *result = 3;
    return aw_sleep(3);
}

/* Sleeps 10 s; when cancelled, cleans up for 0.5 s inside a shield. */
static int sleep_ten_then_clean_up(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    int status = step(aw_sleep(10));
    if (status != AW_ECANCELLED)
        return status;
    aw_shield_begin();
    step(aw_sleep(0.5));
    aw_shield_end();
    return AW_ECANCELLED;
}

static int await_other(void *arg, intptr_t *result)
{
    (void)result;
    return step(aw_await(arg));
}

/* Spawns `fn` as "victim", cancels it after `after` s, awaits it. */
static int run_and_cancel(aw_fn fn, double after)
{
    aw_task *victim = aw_spawn(fn, NULL, "victim");
    aw_sleep(after);
    seen.cancel_result[0] = aw_cancel(victim);
    return aw_await(victim);
}

/* ----------------------------------------------------------------------- */
/* Where a cancellation lands                                                */
/* ----------------------------------------------------------------------- */

static int main_cancels_sleeper(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    int status = run_and_cancel(sleep_ten, 2);
    seen.main_at_ns = now_ns();
    return status == AW_ECANCELLED ? AW_OK : AW_EINVAL;
}

static void test_cancel_during_sleep_returns_cancelled_at_the_cancel_time(void **state)
{
    (void)state;
    reset();
    assert_int_equal(run_virtual(main_cancels_sleeper, NULL, NULL), AW_OK);
    assert_true(seen.cancel_result[0]);
    assert_int_equal(seen.steps, 1);
    assert_int_equal(seen.status[0], AW_ECANCELLED);
    assert_int_equal(seen.at_ns[0], MS(2000));
    assert_int_equal(seen.main_at_ns, MS(2000)); /* main's await */

    const aw_trace_event *cancel = nth_event("victim", AW_EV_CANCEL, 0);
    assert_int_equal(cancel->t_ns, MS(2000));
    assert_int_equal(cancel->other, 1); /* requested by main */
    assert_int_equal(nth_event("victim", AW_EV_WAKE, 0)->code, AW_ECANCELLED);
    assert_int_equal(done_ns("victim"), MS(2000));
    assert_int_equal(done_code("victim"), AW_ECANCELLED);
}

/* Ignores its cancellation and keeps calling suspending functions. */
static int ignore_cancellation(void *arg, intptr_t *result)
{
    (void)arg;
    step(aw_sleep(10));
    step(aw_sleep(5));
    step(aw_yield());
    step(aw_sleep(0));
    step(aw_sleep(-1));
    step(aw_gather(&seen.other, 1, 0));
    seen.cancelled_flag = aw_cancelled();
    *result = 7;
    return AW_OK; /* a task may still choose how it ends */
}

static int main_cancels_stubborn_task(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    seen.other = aw_spawn(sleep_three_quietly, NULL, "bystander");
    aw_task *stubborn = aw_spawn(ignore_cancellation, NULL, "stubborn");
    aw_sleep(1);
    aw_cancel(stubborn);
    aw_await(stubborn);
    return aw_await(seen.other);
}

static void test_cancellation_is_level_triggered_every_later_wait_fails_at_once(void **state)
{
    (void)state;
    reset();
    assert_int_equal(run_virtual(main_cancels_stubborn_task, NULL, NULL), AW_OK);
    assert_int_equal(seen.steps, 6);
    for (int i = 0; i < 6; i++) {
        assert_int_equal(seen.status[i], AW_ECANCELLED);
        assert_int_equal(seen.at_ns[i], MS(1000));
    }
    assert_true(seen.cancelled_flag);
    assert_int_equal(count_events("stubborn", AW_EV_WAIT), 1); /* only the first sleep */
    assert_int_equal(done_ns("stubborn"), MS(1000));
    assert_int_equal(done_code("stubborn"), AW_OK);
    /* Gathering it from a cancelled task did not cancel the bystander. */
    assert_int_equal(count_events("bystander", AW_EV_CANCEL), 0);
    assert_int_equal(done_code("bystander"), AW_OK);
    assert_int_equal(done_ns("bystander"), MS(3000));
}

/*
 * Runs `main` in a child process, so that a crash fails one test rather than
 * every test after it, and brings back what the child's tasks saw.  Returns
 * true if the child exited normally; *run_status is what aw_run() returned.
 */
static bool run_in_child(aw_fn main, int *run_status)
{
    int fds[2];
    if (pipe(fds) != 0)
        return false;
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        signal(SIGSEGV, SIG_DFL); /* die of a crash, do not longjmp into cmocka */
        close(fds[0]);
        int status = run_virtual(main, NULL, NULL);
        aw_trace_clear();
        bool ok = write(fds[1], &status, sizeof status) == sizeof status &&
                  write(fds[1], &seen, sizeof seen) == sizeof seen;
        _exit(ok ? 0 : 1);
    }
    close(fds[1]);
    bool got = read(fds[0], run_status, sizeof *run_status) == sizeof *run_status &&
               read(fds[0], &seen, sizeof seen) == sizeof seen;
    close(fds[0]);
    int wstatus = 0;
    waitpid(pid, &wstatus, 0);
    return got && WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == 0;
}

/*
 * Sleeps 10 s from a frame 2 KiB deeper than the caller's later calls, so
 * that whatever that sleep left on the stack is still there afterwards.
 */
__attribute__((noinline)) static int sleep_ten_from_deep_down(void)
{
    volatile char deeper[2048];
    deeper[0] = 0;
    return aw_sleep(10) + deeper[0];
}

static int await_after_cancel(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    step(sleep_ten_from_deep_down());
    return step(aw_await(seen.other)); /* cleanup that forgets to shield */
}

static int main_cancels_then_victim_awaits(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    seen.other = aw_spawn(sleep_three_quietly, NULL, "bystander");
    aw_task *victim = aw_spawn(await_after_cancel, NULL, "victim");
    aw_sleep(1);
    aw_cancel(victim);
    seen.main_status = aw_await(victim);
    seen.main_at_ns = now_ns();
    seen.bystander_status = aw_await(seen.other);
    seen.bystander_at_ns = now_ns();
    return AW_OK;
}

static void test_cancelled_task_awaiting_an_unfinished_task_gets_cancelled_at_once(
    void **state)
{
    (void)state;
    reset();
    int status = -1;
    assert_true(run_in_child(main_cancels_then_victim_awaits, &status));
    assert_int_equal(status, AW_OK);
    assert_int_equal(seen.steps, 2);
    assert_int_equal(seen.status[0], AW_ECANCELLED);
    assert_int_equal(seen.status[1], AW_ECANCELLED);
    assert_int_equal(seen.at_ns[1], MS(1000));
    assert_int_equal(seen.main_status, AW_ECANCELLED);
    assert_int_equal(seen.main_at_ns, MS(1000));
    /* The bystander was neither cancelled nor disturbed. */
    assert_int_equal(seen.bystander_status, AW_OK);
    assert_int_equal(seen.bystander_at_ns, MS(3000));
}

/* main cancels itself before it ever waited, then awaits; then cleans up. */
static int main_cancels_itself_then_awaits(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    seen.other = aw_spawn(sleep_three_quietly, NULL, "bystander");
    aw_cancel(aw_current());
    step(aw_await(seen.other));
    aw_shield_begin();
    step(aw_await(seen.other)); /* shielded cleanup may wait for it */
    aw_shield_end();
    return AW_ECANCELLED;
}

static void test_task_that_cancelled_itself_gets_cancelled_at_once_from_await(void **state)
{
    (void)state;
    reset();
    int status = -1;
    assert_true(run_in_child(main_cancels_itself_then_awaits, &status));
    assert_int_equal(status, AW_ECANCELLED);
    assert_int_equal(seen.steps, 2);
    assert_int_equal(seen.status[0], AW_ECANCELLED);
    assert_int_equal(seen.at_ns[0], 0);
    assert_int_equal(seen.status[1], AW_OK);
    assert_int_equal(seen.at_ns[1], MS(3000));
}

static int main_cancels_before_first_run(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_task *victim = aw_spawn(sleep_ten, NULL, "victim");
    seen.cancel_result[0] = aw_cancel(victim);
    seen.main_status = aw_await(victim);
    return AW_OK;
}

static void test_task_cancelled_before_it_first_ran_never_runs_its_body(void **state)
{
    (void)state;
    reset();
    assert_int_equal(run_virtual(main_cancels_before_first_run, NULL, NULL), AW_OK);
    assert_true(seen.cancel_result[0]);
    assert_false(seen.ran);
    assert_int_equal(seen.main_status, AW_ECANCELLED);
    assert_int_equal(count_events("victim", AW_EV_RUN), 0);
    assert_int_equal(done_code("victim"), AW_ECANCELLED);
    assert_int_equal(done_ns("victim"), 0);
}

static int main_cancels_three_times(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_task *finished = aw_spawn(sleep_three_quietly, NULL, "finished");
    aw_await(finished);
    seen.cancel_result[0] = aw_cancel(finished);
    aw_task *victim = aw_spawn(sleep_ten, NULL, "victim");
    aw_yield();
    seen.cancel_result[1] = aw_cancel(victim);
    seen.cancel_result[2] = aw_cancel(victim); /* again: still true */
    aw_await(victim);
    return aw_cancel(NULL) ? AW_EINVAL : AW_OK;
}

static void test_cancel_of_a_finished_task_returns_false(void **state)
{
    (void)state;
    reset();
    assert_int_equal(run_virtual(main_cancels_three_times, NULL, NULL), AW_OK);
    assert_false(seen.cancel_result[0]);
    assert_int_equal(count_events("finished", AW_EV_CANCEL), 0);
    assert_int_equal(done_code("finished"), AW_OK);
    assert_true(seen.cancel_result[1]);
    assert_true(seen.cancel_result[2]);
    assert_int_equal(count_events("victim", AW_EV_CANCEL), 1);
}

static int cancel_myself(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_sleep(1);
    seen.cancel_result[0] = aw_cancel(aw_current());
    seen.cancelled_flag = aw_cancelled();
    return step(aw_sleep(1));
}

static int main_awaits_self_canceller(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    return aw_await(aw_spawn(cancel_myself, NULL, "quitter")) == AW_ECANCELLED ? AW_OK
                                                                                : AW_EINVAL;
}

static void test_a_task_that_cancels_itself_fails_its_next_wait(void **state)
{
    (void)state;
    reset();
    assert_int_equal(run_virtual(main_awaits_self_canceller, NULL, NULL), AW_OK);
    assert_true(seen.cancel_result[0]);
    assert_true(seen.cancelled_flag);
    assert_int_equal(seen.status[0], AW_ECANCELLED);
    assert_int_equal(seen.at_ns[0], MS(1000));
    assert_int_equal(nth_event("quitter", AW_EV_CANCEL, 0)->other,
                     aw_trace_task_by_name("quitter"));
}

/* ----------------------------------------------------------------------- */
/* Cancelling a task that awaits another                                     */
/* ----------------------------------------------------------------------- */

static int main_cancels_awaiter(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_task *inner = aw_spawn(sleep_ten_then_clean_up, NULL, "inner");
    aw_task *outer = aw_spawn(await_other, inner, "outer");
    aw_sleep(1);
    aw_cancel(outer);
    seen.main_status = aw_await(outer);
    seen.main_at_ns = now_ns();
    return AW_OK;
}

static void test_cancelling_an_awaiter_cancels_the_awaited_task_and_waits_for_its_cleanup(
    void **state)
{
    (void)state;
    reset();
    assert_int_equal(run_virtual(main_cancels_awaiter, NULL, NULL), AW_OK);
    /* inner: its sleep is cut at 1 s, its cleanup runs to 1.5 s. */
    assert_int_equal(seen.status[0], AW_ECANCELLED);
    assert_int_equal(seen.at_ns[0], MS(1000));
    assert_int_equal(seen.status[1], AW_OK);
    assert_int_equal(seen.at_ns[1], MS(1500));
    assert_int_equal(nth_event("inner", AW_EV_CANCEL, 0)->t_ns, MS(1000));
    assert_int_equal(done_ns("inner"), MS(1500));
    assert_int_equal(done_code("inner"), AW_ECANCELLED);
    /* outer: its await returns only once inner has finished. */
    assert_int_equal(seen.status[2], AW_ECANCELLED);
    assert_int_equal(seen.at_ns[2], MS(1500));
    assert_int_equal(done_ns("outer"), MS(1500));
    assert_int_equal(seen.main_status, AW_ECANCELLED);
    assert_int_equal(seen.main_at_ns, MS(1500));
}

/* ----------------------------------------------------------------------- */
/* Shielded regions                                                          */
/* ----------------------------------------------------------------------- */

static int sleep_in_shield(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_shield_begin();
    step(aw_sleep(2));          /* cancelled at 1 s: sleeps on to 2 s */
    seen.cancelled_flag = aw_cancelled();
    aw_shield_end();
    step(aw_sleep(1));          /* the first wait after the shield      */
    return step(aw_yield());
}

static int main_cancels_shielded_task(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    run_and_cancel(sleep_in_shield, 1);
    seen.main_at_ns = now_ns();
    return AW_OK;
}

static void test_shielded_task_sleeps_fully_and_sees_the_cancel_after_the_shield(
    void **state)
{
    (void)state;
    reset();
    assert_int_equal(run_virtual(main_cancels_shielded_task, NULL, NULL), AW_OK);
    assert_true(seen.cancel_result[0]);
    assert_true(seen.cancelled_flag);
    assert_int_equal(seen.status[0], AW_OK);
    assert_int_equal(seen.at_ns[0], MS(2000));
    assert_int_equal(seen.status[1], AW_ECANCELLED);
    assert_int_equal(seen.at_ns[1], MS(2000));
    assert_int_equal(seen.status[2], AW_ECANCELLED);
    assert_int_equal(seen.at_ns[2], MS(2000));
    assert_int_equal(nth_event("victim", AW_EV_CANCEL, 0)->t_ns, MS(1000));
    assert_int_equal(done_ns("victim"), MS(2000));
    assert_int_equal(seen.main_at_ns, MS(2000));
}

static int sleep_in_nested_shields(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_shield_begin();
    aw_shield_begin();
    step(aw_sleep(2));          /* cancelled at 1 s          */
    aw_shield_end();
    step(aw_sleep(1));          /* still inside the outer one */
    aw_shield_end();
    return step(aw_sleep(1));
}

static int main_cancels_nested_shields(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    run_and_cancel(sleep_in_nested_shields, 1);
    return AW_OK;
}

static void test_nested_shields_hold_until_the_outermost_end(void **state)
{
    (void)state;
    reset();
    assert_int_equal(run_virtual(main_cancels_nested_shields, NULL, NULL), AW_OK);
    assert_int_equal(seen.steps, 3);
    assert_int_equal(seen.status[0], AW_OK);
    assert_int_equal(seen.at_ns[0], MS(2000));
    assert_int_equal(seen.status[1], AW_OK);
    assert_int_equal(seen.at_ns[1], MS(3000));
    assert_int_equal(seen.status[2], AW_ECANCELLED);
    assert_int_equal(seen.at_ns[2], MS(3000));
    assert_int_equal(done_ns("victim"), MS(3000));
}

static int await_in_shield(void *arg, intptr_t *result)
{
    (void)result;
    aw_shield_begin();
    step(aw_await(arg));
    aw_shield_end();
    return step(aw_yield());
}

static int main_cancels_shielded_awaiter(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_task *inner = aw_spawn(sleep_three_quietly, NULL, "inner");
    aw_task *outer = aw_spawn(await_in_shield, inner, "outer");
    aw_sleep(1);
    aw_cancel(outer);
    return aw_await(outer) == AW_ECANCELLED ? AW_OK : AW_EINVAL;
}

static void test_shielded_await_leaves_the_awaited_task_running(void **state)
{
    (void)state;
    reset();
    assert_int_equal(run_virtual(main_cancels_shielded_awaiter, NULL, NULL), AW_OK);
    assert_int_equal(count_events("inner", AW_EV_CANCEL), 0);
    assert_int_equal(done_code("inner"), AW_OK);
    assert_int_equal(done_ns("inner"), MS(3000));
    assert_int_equal(seen.status[0], AW_OK);
    assert_int_equal(seen.at_ns[0], MS(3000));
    assert_int_equal(seen.status[1], AW_ECANCELLED);
    assert_int_equal(done_ns("outer"), MS(3000));
}

/* ----------------------------------------------------------------------- */
/* A cancellation that arrives while the task is already about to resume.   */
/* asyncio (Task._must_cancel) makes the pending await raise CancelledError */
/* even though what it waited for has completed.                            */
/* ----------------------------------------------------------------------- */

static int yield_once(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    return step(aw_yield());
}

static int cancel_other(void *arg, intptr_t *result)
{
    (void)result;
    seen.cancel_result[0] = aw_cancel(arg);
    return AW_OK;
}

static int main_cancels_a_yielding_task(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_task *tasks[2];
    tasks[0] = aw_spawn(yield_once, NULL, "victim");
    tasks[1] = aw_spawn(cancel_other, tasks[0], "canceller");
    return aw_gather(tasks, 2, AW_RETURN_EXCEPTIONS);
}

/* victim yields; canceller (ready before it) cancels it; the yield fails. */
static void test_cancel_arriving_while_a_yield_is_pending_makes_that_yield_return_cancelled(
    void **state)
{
    (void)state;
    reset();
    assert_int_equal(run_virtual(main_cancels_a_yielding_task, NULL, NULL), AW_OK);
    assert_true(seen.cancel_result[0]);
    assert_int_equal(seen.status[0], AW_ECANCELLED);
    assert_int_equal(done_code("victim"), AW_ECANCELLED);
}

/* Sleeps 3 s, then cancels seen.other. */
static int sleep_three_then_cancel(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_sleep(3);
    seen.cancel_result[0] = aw_cancel(seen.other);
    return AW_OK;
}

static int sleep_one(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    return step(aw_sleep(1));
}

/* Sleeps 1 s, then cancels seen.other. */
static int sleep_one_then_cancel(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_sleep(1);
    seen.cancel_result[0] = aw_cancel(seen.other);
    return AW_OK;
}

static int main_cancels_at_the_wake_instant(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_task *tasks[2];
    tasks[0] = aw_spawn(sleep_one_then_cancel, NULL, "canceller"); /* arms first */
    tasks[1] = aw_spawn(sleep_one, NULL, "victim");
    seen.other = tasks[1];
    return aw_gather(tasks, 2, AW_RETURN_EXCEPTIONS);
}

/*
 * Both sleeps end at 1 s; the canceller's timer fires first (armed first),
 * so it runs first and cancels the victim, whose own timer has fired too.
 */
static void test_cancel_arriving_after_the_sleep_timer_fired_makes_that_sleep_return_cancelled(
    void **state)
{
    (void)state;
    reset();
    assert_int_equal(run_virtual(main_cancels_at_the_wake_instant, NULL, NULL), AW_OK);
    assert_true(seen.cancel_result[0]);
    assert_int_equal(seen.status[0], AW_ECANCELLED);
    assert_int_equal(seen.at_ns[0], MS(1000));
    assert_int_equal(done_code("victim"), AW_ECANCELLED);
}

static int main_cancels_after_awaited_task_finished(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_task *awaited = aw_spawn(sleep_three_quietly, NULL, "awaited");
    aw_task *tasks[2];
    tasks[0] = aw_spawn(sleep_three_then_cancel, NULL, "canceller");
    tasks[1] = aw_spawn(await_other, awaited, "victim");
    seen.other = tasks[1];
    return aw_gather(tasks, 2, AW_RETURN_EXCEPTIONS);
}

/*
 * The same race for an await: the awaited task finishes at 3 s and wakes
 * the victim; before the victim runs, the canceller cancels it.
 */
static void test_cancel_arriving_after_the_awaited_task_finished_makes_that_await_return_cancelled(
    void **state)
{
    (void)state;
    reset();
    assert_int_equal(run_virtual(main_cancels_after_awaited_task_finished, NULL, NULL), AW_OK);
    assert_true(seen.cancel_result[0]);
    assert_int_equal(done_code("awaited"), AW_OK);
    assert_int_equal(seen.status[0], AW_ECANCELLED);
    assert_int_equal(seen.at_ns[0], MS(3000));
    assert_int_equal(done_code("victim"), AW_ECANCELLED);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_cancel_during_sleep_returns_cancelled_at_the_cancel_time, clear_trace),
        cmocka_unit_test_teardown(test_cancellation_is_level_triggered_every_later_wait_fails_at_once, clear_trace),
        cmocka_unit_test_teardown(test_cancelled_task_awaiting_an_unfinished_task_gets_cancelled_at_once, clear_trace),
        cmocka_unit_test_teardown(test_task_that_cancelled_itself_gets_cancelled_at_once_from_await, clear_trace),
        cmocka_unit_test_teardown(test_task_cancelled_before_it_first_ran_never_runs_its_body, clear_trace),
        cmocka_unit_test_teardown(test_cancel_of_a_finished_task_returns_false, clear_trace),
        cmocka_unit_test_teardown(test_a_task_that_cancels_itself_fails_its_next_wait, clear_trace),
        cmocka_unit_test_teardown(test_cancelling_an_awaiter_cancels_the_awaited_task_and_waits_for_its_cleanup, clear_trace),
        cmocka_unit_test_teardown(test_shielded_task_sleeps_fully_and_sees_the_cancel_after_the_shield, clear_trace),
        cmocka_unit_test_teardown(test_nested_shields_hold_until_the_outermost_end, clear_trace),
        cmocka_unit_test_teardown(test_shielded_await_leaves_the_awaited_task_running, clear_trace),
        cmocka_unit_test_teardown(test_cancel_arriving_while_a_yield_is_pending_makes_that_yield_return_cancelled, clear_trace),
        cmocka_unit_test_teardown(test_cancel_arriving_after_the_sleep_timer_fired_makes_that_sleep_return_cancelled, clear_trace),
        cmocka_unit_test_teardown(test_cancel_arriving_after_the_awaited_task_finished_makes_that_await_return_cancelled, clear_trace),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
