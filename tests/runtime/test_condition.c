/*
 * test_condition.c -- aw_condition: notify(1) wakes the longest waiter,
 * notify_all() the rest, each returning with the lock held; wait_for()
 * loops on its predicate; a cancelled wait still retakes the lock (after
 * its holder lets go) before returning; a notified-then-cancelled waiter
 * passes the notification on; notify and wait without the lock are errors.
 */
#include "runtime_test.h"
#include "notes.h"

static struct {
    bool holds_lock[MAX_NOTES]; /* for each note: did the task hold the lock? */
    int level;
    int status[4];
    aw_error error[4];
    bool locked[2];
} seen;

static aw_lock lock;
static aw_condition cond;

static void reset(void)
{
    memset(&seen, 0, sizeof seen);
    clear_notes();
}

static bool i_hold_the_lock(void) { return aw_lock_owner(&lock) == aw_current(); }

/* note(), and whether the task holds the lock as it gets there. */
static void note_holding(const char *who, int status)
{
    if (notes.length < MAX_NOTES)
        seen.holds_lock[notes.length] = i_hold_the_lock();
    note(who, status);
}

/* assert_log(), and the task held the lock then, whatever the status. */
static void assert_log_holding(int i, const char *who, int status, int64_t at_ns)
{
    assert_log(i, who, status, at_ns);
    assert_true(seen.holds_lock[i]);
}

static void init(void)
{
    aw_lock_init(&lock, "L");
    aw_cond_init(&cond, &lock, "C");
}

/* async with cond: await cond.wait(); note; await sleep(0.25) */
static int wait_then_work(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_lock_acquire(&lock);
    int status = aw_cond_wait(&cond);
    note_holding(me(), status);
    if (status == AW_OK)
        aw_sleep(0.25);
    aw_lock_release(&lock);
    return status;
}

static void notify_under_lock(size_t n)
{
    aw_lock_acquire(&lock);
    if (n == SIZE_MAX)
        aw_cond_notify_all(&cond);
    else
        aw_cond_notify(&cond, n);
    aw_lock_release(&lock);
}

/* ----------------------------------------------------------------------- */
/* notify(1) and notify_all()                                               */
/* ----------------------------------------------------------------------- */

static int main_notifies_one_then_all(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    init();
    aw_task *tasks[3];
    for (int i = 0; i < 3; i++)
        tasks[i] = aw_spawn(wait_then_work, NULL, "w%d", i);
    aw_sleep(1);
    notify_under_lock(1);
    aw_sleep(1);
    notify_under_lock(SIZE_MAX);
    return aw_gather(tasks, 3, 0);
}

/* CPython 3.11: [('w0', 1.0, True), ('w1', 2.0, True), ('w2', 2.25, True)] */
static void test_notify_one_wakes_the_longest_waiter_notify_all_the_rest(void **state)
{
    (void)state;
    reset();
    assert_int_equal(run_virtual(main_notifies_one_then_all, NULL, NULL), AW_OK);
    assert_int_equal(notes.length, 3);
    assert_log_holding(0, "w0", AW_OK, MS(1000));
    assert_log_holding(1, "w1", AW_OK, MS(2000));
    assert_log_holding(2, "w2", AW_OK, MS(2250)); /* after w1 let the lock go */
    const aw_trace_event *wait = nth_event("w0", AW_EV_WAIT, 0);
    assert_string_equal(wait->text, "condition");
    assert_string_equal(wait->name, "C");
    /* w2 was notified at 2 s, then waited for the lock. */
    assert_string_equal(nth_event("w2", AW_EV_WAIT, 1)->text, "lock");
}

static int main_notifies_more_than_wait(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    init();
    aw_task *tasks[2] = {aw_spawn(wait_then_work, NULL, "w0"),
                         aw_spawn(wait_then_work, NULL, "w1")};
    aw_sleep(1);
    aw_lock_acquire(&lock);
    seen.status[0] = aw_cond_notify(&cond, 0); /* nobody */
    seen.status[1] = aw_cond_notify(&cond, 5); /* both */
    aw_lock_release(&lock);
    return aw_gather(tasks, 2, 0);
}

static void test_notify_n_wakes_at_most_the_waiters_there_are(void **state)
{
    (void)state;
    reset();
    assert_int_equal(run_virtual(main_notifies_more_than_wait, NULL, NULL), AW_OK);
    assert_int_equal(seen.status[0], AW_OK);
    assert_int_equal(seen.status[1], AW_OK);
    assert_log_holding(0, "w0", AW_OK, MS(1000));
    assert_log_holding(1, "w1", AW_OK, MS(1250));
}

/* ----------------------------------------------------------------------- */
/* wait_for                                                                  */
/* ----------------------------------------------------------------------- */

static bool level_reached(void *arg) { return seen.level >= (int)(intptr_t)arg; }

static int wait_for_level(void *arg, intptr_t *result)
{
    (void)result;
    aw_lock_acquire(&lock);
    int status = aw_cond_wait_for(&cond, level_reached, arg);
    note_holding(me(), status);
    aw_lock_release(&lock);
    return status;
}

/* Raises the level by one every 0.5 s, notifying everyone each time. */
static int main_raises_the_level(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    init();
    aw_task *tasks[3] = {aw_spawn(wait_for_level, (void *)(intptr_t)3, "three"),
                         aw_spawn(wait_for_level, (void *)(intptr_t)1, "one"),
                         aw_spawn(wait_for_level, (void *)(intptr_t)0, "zero")};
    for (int i = 0; i < 4; i++) {
        aw_sleep(0.5);
        aw_lock_acquire(&lock);
        seen.level++;
        aw_cond_notify_all(&cond);
        aw_lock_release(&lock);
    }
    return aw_gather(tasks, 3, 0);
}

static void test_wait_for_rechecks_the_predicate_after_each_notify(void **state)
{
    (void)state;
    reset();
    assert_int_equal(run_virtual(main_raises_the_level, NULL, NULL), AW_OK);
    assert_int_equal(notes.length, 3);
    assert_log_holding(0, "zero", AW_OK, MS(0)); /* true at once: no wait */
    assert_log_holding(1, "one", AW_OK, MS(500));
    assert_log_holding(2, "three", AW_OK, MS(1500));
    assert_int_equal(count_events("zero", AW_EV_WAIT), 0);
    assert_int_equal(count_events("three", AW_EV_WAIT), 3); /* woken 3 times */
}

/* ----------------------------------------------------------------------- */
/* Cancellation                                                              */
/* ----------------------------------------------------------------------- */

/* Cancels the waiter while holding the lock for another second. */
static int main_cancels_a_waiter_while_holding_the_lock(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    init();
    aw_task *waiter = aw_spawn(wait_then_work, NULL, "W");
    aw_sleep(0.5);
    aw_lock_acquire(&lock);
    aw_cancel(waiter);
    aw_sleep(1);
    seen.locked[0] = aw_lock_owner(&lock) == aw_current();
    aw_lock_release(&lock);
    seen.status[0] = aw_await(waiter);
    seen.locked[1] = aw_lock_locked(&lock);
    return AW_OK;
}

/* CPython 3.11: the CancelledError comes out of wait() 1 s after the
 * cancel, when the lock is free again, with the lock held. */
static void test_a_cancelled_wait_returns_only_with_the_lock_held(void **state)
{
    (void)state;
    reset();
    assert_int_equal(run_virtual(main_cancels_a_waiter_while_holding_the_lock, NULL, NULL),
                     AW_OK);
    assert_int_equal(notes.length, 1);
    assert_log_holding(0, "W", AW_ECANCELLED, MS(1500));
    assert_true(seen.locked[0]); /* the waiter did not snatch it meanwhile */
    assert_int_equal(seen.status[0], AW_ECANCELLED);
    assert_false(seen.locked[1]); /* it released it on its way out */
    assert_int_equal(nth_event("W", AW_EV_WAKE, 0)->code, AW_ECANCELLED);
    assert_int_equal(nth_event("W", AW_EV_WAKE, 0)->t_ns, MS(500));
}

static int wait_with_timeout(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_lock_acquire(&lock);
    aw_timeout scope;
    aw_timeout_begin(&scope, 0.5);
    int status = aw_cond_wait(&cond);
    status = aw_timeout_end(&scope, status);
    note_holding(me(), status);
    aw_lock_release(&lock);
    return AW_OK;
}

static int main_times_out_a_waiter(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    init();
    aw_task *tasks[2] = {aw_spawn(wait_with_timeout, NULL, "T"),
                         aw_spawn(wait_then_work, NULL, "W")};
    aw_sleep(1);
    notify_under_lock(1); /* T left the line: W is first */
    return aw_gather(tasks, 2, 0);
}

static void test_a_timeout_while_waiting(void **state)
{
    (void)state;
    reset();
    assert_int_equal(run_virtual(main_times_out_a_waiter, NULL, NULL), AW_OK);
    assert_int_equal(notes.length, 2);
    assert_log_holding(0, "T", AW_ETIMEDOUT, MS(500));
    assert_log_holding(1, "W", AW_OK, MS(1000));
}

static aw_task *first_waiter;

/* Notifies one waiter and cancels it before it can run. */
static int main_cancels_the_notified_waiter(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    init();
    aw_task *tasks[2];
    tasks[0] = first_waiter = aw_spawn(wait_then_work, NULL, "w0");
    tasks[1] = aw_spawn(wait_then_work, NULL, "w1");
    aw_sleep(1);
    aw_lock_acquire(&lock);
    aw_cond_notify(&cond, 1);
    aw_cancel(first_waiter);
    aw_lock_release(&lock);
    return aw_gather(tasks, 2, AW_RETURN_EXCEPTIONS);
}

static void test_a_notified_then_cancelled_waiter_passes_the_notification_on(void **state)
{
    (void)state;
    reset();
    assert_int_equal(run_virtual(main_cancels_the_notified_waiter, NULL, NULL), AW_OK);
    assert_int_equal(notes.length, 2);
    assert_log_holding(0, "w0", AW_ECANCELLED, MS(1000));
    assert_log_holding(1, "w1", AW_OK, MS(1000)); /* not left waiting forever */
    assert_int_equal(done_ns("w1"), MS(1250));
}

/* Holds the lock while another task queues for it, then, cancelled, waits. */
static int wait_when_cancelled(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_lock_acquire(&lock);
    aw_sleep(0.5);
    aw_cancel(aw_current());
    note_holding(me(), aw_cond_wait(&cond));
    aw_lock_release(&lock);
    return AW_OK;
}

static int take_the_lock(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    note_holding(me(), aw_lock_acquire(&lock));
    aw_sleep(1);
    aw_lock_release(&lock);
    return AW_OK;
}

static int main_wait_when_cancelled(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    init();
    aw_task *tasks[2];
    tasks[0] = aw_spawn(wait_when_cancelled, NULL, "C");
    aw_yield();
    tasks[1] = aw_spawn(take_the_lock, NULL, "W");
    return aw_gather(tasks, 2, 0);
}

/* Already cancelled: wait() returns at once and never lets go of the lock. */
static void test_a_cancelled_task_does_not_wait_or_let_go_of_the_lock(void **state)
{
    (void)state;
    reset();
    assert_int_equal(run_virtual(main_wait_when_cancelled, NULL, NULL), AW_OK);
    assert_int_equal(notes.length, 2);
    assert_log_holding(0, "C", AW_ECANCELLED, MS(500));
    assert_log_holding(1, "W", AW_OK, MS(500)); /* only once C released it */
    assert_int_equal(count_events("C", AW_EV_WAIT), 1); /* the sleep */
}

static bool never(void *arg)
{
    (void)arg;
    return false;
}

static int wait_for_never(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_lock_acquire(&lock);
    note_holding(me(), aw_cond_wait_for(&cond, never, NULL));
    aw_lock_release(&lock);
    return AW_OK;
}

static int main_cancels_wait_for(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    init();
    aw_task *waiter = aw_spawn(wait_for_never, NULL, "F");
    for (int i = 0; i < 2; i++) {
        aw_sleep(0.5);
        notify_under_lock(SIZE_MAX); /* wakes it; the predicate says no */
    }
    aw_cancel(waiter);
    return aw_await(waiter);
}

static void test_wait_for_stops_at_cancellation_with_the_lock_held(void **state)
{
    (void)state;
    reset();
    assert_int_equal(run_virtual(main_cancels_wait_for, NULL, NULL), AW_OK);
    assert_int_equal(notes.length, 1);
    assert_log_holding(0, "F", AW_ECANCELLED, MS(1000));
    assert_int_equal(count_events("F", AW_EV_WAIT), 2); /* at 0 and 0.5 s */
}

/* ----------------------------------------------------------------------- */
/* Errors                                                                    */
/* ----------------------------------------------------------------------- */

static int main_without_the_lock(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    init();
    seen.status[0] = aw_cond_notify(&cond, 1);
    seen.error[0] = *aw_last_error();
    seen.status[1] = aw_cond_notify_all(&cond);
    seen.status[2] = aw_cond_wait(&cond);
    seen.error[2] = *aw_last_error();
    seen.status[3] = aw_cond_wait_for(&cond, level_reached, (void *)(intptr_t)1);
    return AW_OK;
}

static void test_notify_and_wait_without_the_lock_are_estate(void **state)
{
    (void)state;
    reset();
    assert_int_equal(run_virtual(main_without_the_lock, NULL, NULL), AW_OK);
    assert_int_equal(seen.status[0], AW_ESTATE);
    assert_string_equal(seen.error[0].message,
                        "cannot notify on condition 'C': task 'main' does not hold lock 'L'");
    assert_int_equal(seen.status[1], AW_ESTATE);
    assert_int_equal(seen.status[2], AW_ESTATE);
    assert_string_equal(seen.error[2].message,
                        "cannot wait on condition 'C': task 'main' does not hold lock 'L'");
    assert_int_equal(seen.status[3], AW_ESTATE);
    assert_int_equal(count_events("main", AW_EV_WAIT), 0);
}

/* ----------------------------------------------------------------------- */
/* The trace                                                                 */
/* ----------------------------------------------------------------------- */

static void test_trace_shows_waiters_and_the_lock_holder(void **state)
{
    (void)state;
    reset();
    assert_int_equal(run_virtual(main_notifies_one_then_all, NULL, NULL), AW_OK);
    /* The first condition event: w0 waits, having let go of the lock. */
    size_t count;
    const aw_trace_event *e = aw_trace_events(&count);
    int seen_condition = 0;
    for (size_t i = 0; i < count; i++) {
        if (e[i].kind != AW_EV_RESOURCE || strcmp(e[i].text, "condition") != 0)
            continue;
        assert_string_equal(e[i].name, "C");
        if (seen_condition == 0) {
            assert_int_equal(e[i].waiters, 1);
            assert_int_equal(e[i].value, 0);
            assert_int_equal(e[i].t_ns, 0);
        }
        if (seen_condition == 3) { /* notify(1) at 1 s, by main */
            assert_int_equal(e[i].waiters, 2);
            assert_int_equal(e[i].value, 1);
            assert_int_equal(e[i].other, 1);
            assert_int_equal(e[i].t_ns, MS(1000));
        }
        seen_condition++;
    }
    assert_int_equal(seen_condition, 5); /* 3 waits, notify(1), notify_all */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_notify_one_wakes_the_longest_waiter_notify_all_the_rest, clear_trace),
        cmocka_unit_test_teardown(test_notify_n_wakes_at_most_the_waiters_there_are, clear_trace),
        cmocka_unit_test_teardown(test_wait_for_rechecks_the_predicate_after_each_notify, clear_trace),
        cmocka_unit_test_teardown(test_a_cancelled_wait_returns_only_with_the_lock_held, clear_trace),
        cmocka_unit_test_teardown(test_a_timeout_while_waiting, clear_trace),
        cmocka_unit_test_teardown(test_a_notified_then_cancelled_waiter_passes_the_notification_on, clear_trace),
        cmocka_unit_test_teardown(test_a_cancelled_task_does_not_wait_or_let_go_of_the_lock, clear_trace),
        cmocka_unit_test_teardown(test_wait_for_stops_at_cancellation_with_the_lock_held, clear_trace),
        cmocka_unit_test_teardown(test_notify_and_wait_without_the_lock_are_estate, clear_trace),
        cmocka_unit_test_teardown(test_trace_shows_waiters_and_the_lock_holder, clear_trace),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
