/*
 * test_event.c -- aw_event: set() wakes every current waiter in FIFO order
 * (even if clear() follows at once), waiting on a set event does not
 * suspend, cancellation and timeouts while waiting, and the trace.
 */
#include "runtime_test.h"
#include "notes.h"

static struct {
    bool is_set[4];
    int status[4];
    aw_task *tasks[4];
} seen;

static aw_event event;

static void reset(void)
{
    memset(&seen, 0, sizeof seen);
    clear_notes();
}

static int wait_for_event(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    int status = aw_event_wait(&event);
    note(me(), status);
    return status;
}

/* Three waiters; the event is set at 0.5 s and, if arg, cleared at once. */
static int main_sets_the_event(void *arg, intptr_t *result)
{
    (void)result;
    aw_event_init(&event, "go");
    aw_task *tasks[3];
    for (int i = 0; i < 3; i++)
        tasks[i] = aw_spawn(wait_for_event, NULL, "w%d", i);
    aw_sleep(0.5);
    seen.is_set[0] = aw_event_is_set(&event);
    aw_event_set(&event);
    seen.is_set[1] = aw_event_is_set(&event);
    if (arg)
        aw_event_clear(&event);
    seen.is_set[2] = aw_event_is_set(&event);
    return aw_gather(tasks, 3, 0);
}

static void test_set_wakes_every_waiter_in_fifo_order(void **state)
{
    (void)state;
    reset();
    assert_int_equal(run_virtual(main_sets_the_event, NULL, NULL), AW_OK);
    assert_int_equal(notes.length, 3);
    assert_log(0, "w0", AW_OK, MS(500));
    assert_log(1, "w1", AW_OK, MS(500));
    assert_log(2, "w2", AW_OK, MS(500));
    assert_false(seen.is_set[0]);
    assert_true(seen.is_set[1]);
    assert_true(seen.is_set[2]);
    assert_string_equal(nth_event("w0", AW_EV_WAIT, 0)->text, "event");
    assert_string_equal(nth_event("w0", AW_EV_WAIT, 0)->name, "go");
}

static void test_set_then_clear_at_once_still_wakes_every_waiter(void **state)
{
    (void)state;
    reset();
    assert_int_equal(run_virtual(main_sets_the_event, (void *)1, NULL), AW_OK);
    assert_int_equal(notes.length, 3);
    assert_log(0, "w0", AW_OK, MS(500));
    assert_log(1, "w1", AW_OK, MS(500));
    assert_log(2, "w2", AW_OK, MS(500));
    assert_false(seen.is_set[2]);
}

static int main_waits_on_a_set_event(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_event_init(&event, "done");
    aw_event_set(&event);
    aw_event_set(&event); /* setting twice changes nothing */
    seen.status[0] = aw_event_wait(&event);
    seen.status[1] = aw_event_wait(&event);
    aw_event_clear(&event);
    aw_event_clear(&event);
    seen.is_set[0] = aw_event_is_set(&event);
    return AW_OK;
}

static void test_wait_on_a_set_event_returns_without_suspending(void **state)
{
    (void)state;
    reset();
    assert_int_equal(run_virtual(main_waits_on_a_set_event, NULL, NULL), AW_OK);
    assert_int_equal(seen.status[0], AW_OK);
    assert_int_equal(seen.status[1], AW_OK);
    assert_false(seen.is_set[0]);
    assert_int_equal(count_events("main", AW_EV_WAIT), 0);
    /* One event per real change: set, clear. */
    assert_int_equal(nth_event_of(0, AW_EV_RESOURCE, 0)->value, 1);
    assert_int_equal(nth_event_of(0, AW_EV_RESOURCE, 1)->value, 0);
    assert_null(nth_event_of(0, AW_EV_RESOURCE, 2));
}

/* ----------------------------------------------------------------------- */
/* Cancellation and timeouts                                                 */
/* ----------------------------------------------------------------------- */

static int main_cancels_a_waiter(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_event_init(&event, "go");
    aw_task *tasks[3];
    for (int i = 0; i < 3; i++)
        tasks[i] = aw_spawn(wait_for_event, NULL, "w%d", i);
    aw_sleep(0.25);
    aw_cancel(tasks[1]);
    aw_sleep(0.25);
    aw_event_set(&event);
    aw_cancel(tasks[2]); /* woken by the set, cancelled before it ran */
    return aw_gather(tasks, 3, AW_RETURN_EXCEPTIONS);
}

static void test_cancel_while_waiting_and_after_being_woken(void **state)
{
    (void)state;
    reset();
    assert_int_equal(run_virtual(main_cancels_a_waiter, NULL, NULL), AW_OK);
    assert_int_equal(notes.length, 3);
    assert_log(0, "w1", AW_ECANCELLED, MS(250));
    assert_log(1, "w0", AW_OK, MS(500));
    assert_log(2, "w2", AW_ECANCELLED, MS(500));
    assert_int_equal(nth_event("w2", AW_EV_WAKE, 0)->code, AW_OK);
    assert_int_equal(done_code("w2"), AW_ECANCELLED);
}

static int wait_when_cancelled(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_cancel(aw_current());
    seen.status[0] = aw_event_wait(&event); /* set, still */
    return AW_OK;
}

static int main_wait_when_cancelled(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_event_init(&event, "go");
    aw_event_set(&event);
    return aw_await(aw_spawn(wait_when_cancelled, NULL, "C"));
}

static void test_a_cancelled_task_is_told_so_even_on_a_set_event(void **state)
{
    (void)state;
    reset();
    assert_int_equal(run_virtual(main_wait_when_cancelled, NULL, NULL), AW_OK);
    assert_int_equal(seen.status[0], AW_ECANCELLED);
}

static int wait_with_timeout(void *arg, intptr_t *result)
{
    (void)result;
    aw_timeout scope;
    aw_timeout_begin(&scope, (double)(intptr_t)arg / 1000);
    int status = aw_event_wait(&event);
    status = aw_timeout_end(&scope, status);
    note(me(), status);
    return AW_OK;
}

static int main_waits_with_timeouts(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_event_init(&event, "go");
    aw_task *tasks[2] = {aw_spawn(wait_with_timeout, (void *)(intptr_t)300, "short"),
                         aw_spawn(wait_with_timeout, (void *)(intptr_t)3000, "long")};
    aw_sleep(1);
    aw_event_set(&event);
    return aw_gather(tasks, 2, 0);
}

static void test_a_timeout_while_waiting(void **state)
{
    (void)state;
    reset();
    assert_int_equal(run_virtual(main_waits_with_timeouts, NULL, NULL), AW_OK);
    assert_int_equal(notes.length, 2);
    assert_log(0, "short", AW_ETIMEDOUT, MS(300));
    assert_log(1, "long", AW_OK, MS(1000));
    /* The timed-out waiter left the list at once. */
    const aw_trace_event *left = nth_event_of(0, AW_EV_RESOURCE, 2);
    assert_int_equal(left->t_ns, MS(300));
    assert_int_equal(left->waiters, 1);
    assert_int_equal(nth_event("short", AW_EV_WAKE, 0)->code, AW_ECANCELLED);
}

/* ----------------------------------------------------------------------- */
/* The trace                                                                 */
/* ----------------------------------------------------------------------- */

static void assert_resource(int i, int64_t is_set, int waiters, int64_t at_ns)
{
    const aw_trace_event *e = nth_event_of(0, AW_EV_RESOURCE, i);
    assert_non_null(e);
    assert_string_equal(e->text, "event");
    assert_string_equal(e->name, "go");
    assert_int_equal(e->code, 0);
    assert_int_equal(e->value, is_set);
    assert_int_equal(e->waiters, waiters);
    assert_int_equal(e->t_ns, at_ns);
}

static void test_trace_shows_set_clear_and_waiters(void **state)
{
    (void)state;
    reset();
    assert_int_equal(run_virtual(main_sets_the_event, (void *)1, NULL), AW_OK);
    assert_resource(0, 0, 1, MS(0));
    assert_resource(1, 0, 2, MS(0));
    assert_resource(2, 0, 3, MS(0));
    assert_resource(3, 1, 0, MS(500)); /* set: all three woken */
    assert_resource(4, 0, 0, MS(500)); /* clear */
    assert_null(nth_event_of(0, AW_EV_RESOURCE, 5));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_set_wakes_every_waiter_in_fifo_order, clear_trace),
        cmocka_unit_test_teardown(test_set_then_clear_at_once_still_wakes_every_waiter, clear_trace),
        cmocka_unit_test_teardown(test_wait_on_a_set_event_returns_without_suspending, clear_trace),
        cmocka_unit_test_teardown(test_cancel_while_waiting_and_after_being_woken, clear_trace),
        cmocka_unit_test_teardown(test_a_cancelled_task_is_told_so_even_on_a_set_event, clear_trace),
        cmocka_unit_test_teardown(test_a_timeout_while_waiting, clear_trace),
        cmocka_unit_test_teardown(test_trace_shows_set_clear_and_waiters, clear_trace),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
