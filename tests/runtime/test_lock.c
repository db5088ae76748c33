/*
 * test_lock.c -- aw_lock: mutual exclusion (the lost-update counter), FIFO
 * turns (a newcomer never overtakes a waiter) with owner tracking, a woken-then-cancelled waiter passing the
 * lock on, cancellation and timeouts while waiting, the errors (release by
 * a non-owner or of an unlocked lock, acquiring twice), and the trace.
 */
#include "runtime_test.h"
#include "notes.h"

enum { COUNTER_TASKS = 10 };

static struct {
    int counter;
    int status[4];
    aw_error error[4];
    bool locked[4];
    uint32_t owner[4];
    aw_task *tasks[4];
} seen;

static aw_lock lock;

static void reset(void)
{
    memset(&seen, 0, sizeof seen);
    clear_notes();
}

static void keep_error(int i)
{
    if (aw_last_error())
        seen.error[i] = *aw_last_error();
}

/* async with lock: note; sleep `arg` ms */
static int hold_for(void *arg, intptr_t *result)
{
    (void)result;
    int status = aw_lock_acquire(&lock);
    note(me(), status);
    if (status != AW_OK)
        return status;
    status = aw_sleep((double)(intptr_t)arg / 1000);
    aw_lock_release(&lock);
    return status;
}

/* ----------------------------------------------------------------------- */
/* Mutual exclusion                                                          */
/* ----------------------------------------------------------------------- */

/* value = counter; await sleep(0.1); counter = value + 1 -- with or without */
static int increment(void *arg, intptr_t *result)
{
    (void)result;
    bool locked = arg != NULL;
    if (locked && aw_lock_acquire(&lock) != AW_OK)
        return AW_ECANCELLED;
    int value = seen.counter;
    aw_sleep(0.1);
    seen.counter = value + 1;
    if (locked)
        aw_lock_release(&lock);
    return AW_OK;
}

static int main_counts(void *arg, intptr_t *result)
{
    (void)result;
    aw_lock_init(&lock, "counter");
    aw_task *tasks[COUNTER_TASKS];
    for (int i = 0; i < COUNTER_TASKS; i++)
        tasks[i] = aw_spawn(increment, arg, "inc%d", i);
    return aw_gather(tasks, COUNTER_TASKS, 0);
}

static void test_without_a_lock_every_update_but_one_is_lost(void **state)
{
    (void)state;
    reset();
    assert_int_equal(run_virtual(main_counts, NULL, NULL), AW_OK);
    assert_int_equal(seen.counter, 1); /* every task read 0 before any wrote */
    assert_int_equal(done_ns("inc9"), MS(100));
}

static void test_with_a_lock_the_updates_run_one_after_another(void **state)
{
    (void)state;
    reset();
    assert_int_equal(run_virtual(main_counts, (void *)1, NULL), AW_OK);
    assert_int_equal(seen.counter, COUNTER_TASKS);
    assert_int_equal(done_ns("inc0"), MS(100));
    assert_int_equal(done_ns("inc9"), MS(1000));
    assert_string_equal(nth_event("inc9", AW_EV_WAIT, 0)->text, "lock");
    assert_string_equal(nth_event("inc9", AW_EV_WAIT, 0)->name, "counter");
}

/* ----------------------------------------------------------------------- */
/* FIFO hand-off and ownership                                               */
/* ----------------------------------------------------------------------- */

static int release_and_reacquire(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    note("A", aw_lock_acquire(&lock));
    aw_sleep(1);
    aw_lock_release(&lock);
    /* Released: free and owned by nobody until the waiter runs (asyncio's
     * locked() says False here too), yet our own acquire must queue. */
    seen.locked[0] = aw_lock_locked(&lock);
    seen.owner[0] = aw_lock_owner(&lock) ? aw_task_id(aw_lock_owner(&lock)) : 0;
    note("A2", aw_lock_acquire(&lock));
    aw_sleep(1);
    return aw_lock_release(&lock);
}

static int arrive_at_one_second(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_sleep(1);
    note("N", aw_lock_acquire(&lock));
    return aw_lock_release(&lock);
}

static int main_newcomers_queue_behind(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_lock_init(&lock, "L");
    aw_task *tasks[3];
    tasks[0] = aw_spawn(release_and_reacquire, NULL, "A");
    aw_yield();
    tasks[1] = aw_spawn(hold_for, (void *)(intptr_t)500, "W");
    tasks[2] = aw_spawn(arrive_at_one_second, NULL, "N");
    int status = aw_gather(tasks, 3, 0);
    seen.locked[1] = aw_lock_locked(&lock);
    seen.owner[1] = aw_lock_owner(&lock) ? 99 : 0;
    return status;
}

static void test_release_hands_the_lock_to_the_waiter_not_to_a_newcomer(void **state)
{
    (void)state;
    reset();
    assert_int_equal(run_virtual(main_newcomers_queue_behind, NULL, NULL), AW_OK);
    assert_int_equal(notes.length, 4);
    assert_log(0, "A", AW_OK, MS(0));
    assert_log(1, "W", AW_OK, MS(1000));
    assert_log(2, "A2", AW_OK, MS(1500));
    assert_log(3, "N", AW_OK, MS(2500));
    assert_false(seen.locked[0]);
    assert_int_equal(seen.owner[0], 0);
    assert_false(seen.locked[1]);
    assert_int_equal(seen.owner[1], 0);
}

static int release_then_cancel_first_waiter(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_lock_acquire(&lock);
    aw_sleep(1);
    aw_lock_release(&lock);
    aw_cancel(seen.tasks[0]);
    return AW_OK;
}

static int main_woken_waiter_cancelled(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_lock_init(&lock, "L");
    aw_task *tasks[3];
    tasks[0] = aw_spawn(release_then_cancel_first_waiter, NULL, "H");
    aw_yield();
    tasks[1] = seen.tasks[0] = aw_spawn(hold_for, (void *)(intptr_t)1000, "W1");
    tasks[2] = aw_spawn(hold_for, (void *)(intptr_t)1000, "W2");
    aw_gather(tasks, 3, AW_RETURN_EXCEPTIONS);
    seen.locked[0] = aw_lock_locked(&lock);
    return AW_OK;
}

static void test_woken_then_cancelled_waiter_passes_the_lock_on(void **state)
{
    (void)state;
    reset();
    assert_int_equal(run_virtual(main_woken_waiter_cancelled, NULL, NULL), AW_OK);
    assert_int_equal(notes.length, 2);
    assert_log(0, "W1", AW_ECANCELLED, MS(1000));
    assert_log(1, "W2", AW_OK, MS(1000));
    assert_int_equal(done_ns("W2"), MS(2000));
    assert_false(seen.locked[0]);
}

/* ----------------------------------------------------------------------- */
/* Cancellation and timeouts                                                 */
/* ----------------------------------------------------------------------- */

static int main_cancels_a_waiter(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_lock_init(&lock, "L");
    aw_task *holder = aw_spawn(hold_for, (void *)(intptr_t)1000, "H");
    aw_task *waiter = aw_spawn(hold_for, (void *)(intptr_t)1000, "W");
    aw_task *later = aw_spawn(hold_for, (void *)(intptr_t)1000, "L");
    aw_sleep(0.25);
    aw_cancel(waiter);
    seen.status[0] = aw_await(waiter);
    aw_await(holder);
    aw_await(later);
    seen.locked[0] = aw_lock_locked(&lock);
    return AW_OK;
}

static void test_cancelling_a_waiter_takes_it_out_of_the_line(void **state)
{
    (void)state;
    reset();
    assert_int_equal(run_virtual(main_cancels_a_waiter, NULL, NULL), AW_OK);
    assert_int_equal(notes.length, 3);
    assert_log(0, "H", AW_OK, MS(0));
    assert_log(1, "W", AW_ECANCELLED, MS(250));
    assert_log(2, "L", AW_OK, MS(1000));
    assert_int_equal(seen.status[0], AW_ECANCELLED);
    assert_int_equal(done_ns("L"), MS(2000));
    assert_false(seen.locked[0]);
}

static int acquire_when_cancelled(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_cancel(aw_current());
    seen.status[0] = aw_lock_acquire(&lock); /* free, still */
    seen.locked[0] = aw_lock_locked(&lock);
    aw_shield_begin(); /* cleanup that needs the lock shields itself */
    seen.status[1] = aw_lock_acquire(&lock);
    aw_shield_end();
    seen.status[2] = aw_lock_release(&lock);
    return AW_OK;
}

static int main_acquire_when_cancelled(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_lock_init(&lock, "L");
    return aw_await(aw_spawn(acquire_when_cancelled, NULL, "C"));
}

static void test_a_cancelled_task_does_not_get_even_a_free_lock(void **state)
{
    (void)state;
    reset();
    assert_int_equal(run_virtual(main_acquire_when_cancelled, NULL, NULL), AW_OK);
    assert_int_equal(seen.status[0], AW_ECANCELLED);
    assert_false(seen.locked[0]);
    assert_int_equal(seen.status[1], AW_OK);
    assert_int_equal(seen.status[2], AW_OK);
}

static int acquire_with_timeout(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_timeout scope;
    aw_timeout_begin(&scope, 0.5);
    int status = aw_lock_acquire(&lock);
    status = aw_timeout_end(&scope, status);
    note(me(), status);
    if (status == AW_OK)
        aw_lock_release(&lock);
    return AW_OK;
}

static int main_times_out_waiting(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_lock_init(&lock, "L");
    aw_task *tasks[3] = {aw_spawn(hold_for, (void *)(intptr_t)1000, "H"),
                         aw_spawn(acquire_with_timeout, NULL, "T"),
                         aw_spawn(hold_for, (void *)(intptr_t)1000, "L")};
    return aw_gather(tasks, 3, 0);
}

static void test_a_timeout_while_waiting_leaves_the_line(void **state)
{
    (void)state;
    reset();
    assert_int_equal(run_virtual(main_times_out_waiting, NULL, NULL), AW_OK);
    assert_int_equal(notes.length, 3);
    assert_log(0, "H", AW_OK, MS(0));
    assert_log(1, "T", AW_ETIMEDOUT, MS(500));
    assert_log(2, "L", AW_OK, MS(1000));
}

/* ----------------------------------------------------------------------- */
/* Errors                                                                    */
/* ----------------------------------------------------------------------- */

static int release_someone_elses_lock(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    seen.status[0] = aw_lock_release(&lock);
    keep_error(0);
    return AW_OK;
}

static int main_misuses_the_lock(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_lock_init(&lock, "L");
    seen.status[1] = aw_lock_release(&lock); /* not locked */
    keep_error(1);
    aw_lock_acquire(&lock);
    aw_await(aw_spawn(release_someone_elses_lock, NULL, "intruder"));
    seen.locked[0] = aw_lock_locked(&lock);
    seen.status[2] = aw_lock_acquire(&lock); /* again: not reentrant */
    keep_error(2);
    seen.status[3] = aw_lock_release(&lock);
    return AW_OK;
}

static void test_release_by_a_non_owner_or_of_an_unlocked_lock_is_estate(void **state)
{
    (void)state;
    reset();
    assert_int_equal(run_virtual(main_misuses_the_lock, NULL, NULL), AW_OK);
    assert_int_equal(seen.status[0], AW_ESTATE);
    assert_string_equal(seen.error[0].message,
                        "task 'intruder' cannot release lock 'L': it is held by task 'main' (id 1)");
    assert_string_equal(seen.error[0].origin, "intruder");
    assert_true(seen.locked[0]); /* still main's */
    assert_int_equal(seen.status[1], AW_ESTATE);
    assert_string_equal(seen.error[1].message, "lock 'L' is not locked: nothing to release");
    assert_int_equal(seen.status[2], AW_ESTATE);
    assert_non_null(strstr(seen.error[2].message, "already holds lock 'L'"));
    assert_int_equal(seen.status[3], AW_OK);
    assert_int_equal(count_events("main", AW_EV_WAIT), 1); /* only the await */
}

/* ----------------------------------------------------------------------- */
/* The trace                                                                 */
/* ----------------------------------------------------------------------- */

static int main_for_trace(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_lock_init(&lock, "L");
    aw_task *tasks[2] = {aw_spawn(hold_for, (void *)(intptr_t)1000, "a"),
                         aw_spawn(hold_for, (void *)(intptr_t)1000, "b")};
    return aw_gather(tasks, 2, 0);
}

static void assert_resource(int i, int64_t locked, int waiters, const char *owner,
                            int64_t at_ns)
{
    const aw_trace_event *e = nth_event_of(0, AW_EV_RESOURCE, i);
    assert_non_null(e);
    assert_string_equal(e->text, "lock");
    assert_string_equal(e->name, "L");
    assert_int_equal(e->code, 1);
    assert_int_equal(e->value, locked);
    assert_int_equal(e->waiters, waiters);
    assert_int_equal(e->other, owner ? aw_trace_task_by_name(owner) : 0);
    assert_int_equal(e->t_ns, at_ns);
}

static void test_trace_shows_owner_and_waiters(void **state)
{
    (void)state;
    reset();
    assert_int_equal(run_virtual(main_for_trace, NULL, NULL), AW_OK);
    assert_resource(0, 1, 0, "a", MS(0));
    assert_resource(1, 1, 1, "a", MS(0));     /* b waits */
    assert_resource(2, 0, 1, NULL, MS(1000)); /* a releases: b's turn */
    assert_resource(3, 1, 0, "b", MS(1000));  /* b runs and takes it */
    assert_resource(4, 0, 0, NULL, MS(2000));
    assert_null(nth_event_of(0, AW_EV_RESOURCE, 5));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_without_a_lock_every_update_but_one_is_lost, clear_trace),
        cmocka_unit_test_teardown(test_with_a_lock_the_updates_run_one_after_another, clear_trace),
        cmocka_unit_test_teardown(test_release_hands_the_lock_to_the_waiter_not_to_a_newcomer, clear_trace),
        cmocka_unit_test_teardown(test_woken_then_cancelled_waiter_passes_the_lock_on, clear_trace),
        cmocka_unit_test_teardown(test_cancelling_a_waiter_takes_it_out_of_the_line, clear_trace),
        cmocka_unit_test_teardown(test_a_cancelled_task_does_not_get_even_a_free_lock, clear_trace),
        cmocka_unit_test_teardown(test_a_timeout_while_waiting_leaves_the_line, clear_trace),
        cmocka_unit_test_teardown(test_release_by_a_non_owner_or_of_an_unlocked_lock_is_estate, clear_trace),
        cmocka_unit_test_teardown(test_trace_shows_owner_and_waiters, clear_trace),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
