/*
 * test_semaphore.c -- aw_semaphore: a limit on concurrency, FIFO hand-off
 * (a newcomer never overtakes a waiter), a woken-then-cancelled waiter
 * giving its permit back, cancellation and timeouts while waiting, bounded
 * semaphores, and the resource events in the trace.
 */
#include "runtime_test.h"
#include "notes.h"

static struct {
    int inside, peak_inside;
    int status[4];
    long value[4];
    bool locked[4];
    aw_error error;
    aw_task *tasks[4];
} seen;

static aw_semaphore sem;

static void reset(void)
{
    memset(&seen, 0, sizeof seen);
    clear_notes();
}

/* async with sem: note; sleep `arg` ms */
static int hold_for(void *arg, intptr_t *result)
{
    (void)result;
    int status = aw_sem_acquire(&sem);
    note(me(), status);
    if (status != AW_OK)
        return status;
    if (++seen.inside > seen.peak_inside)
        seen.peak_inside = seen.inside;
    status = aw_sleep((double)(intptr_t)arg / 1000);
    seen.inside--;
    aw_sem_release(&sem);
    return status;
}

/* ----------------------------------------------------------------------- */
/* Limiting concurrency                                                      */
/* ----------------------------------------------------------------------- */

static int main_five_through_two(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_sem_init(&sem, 2, "pool");
    aw_task *tasks[5];
    for (int i = 0; i < 5; i++)
        tasks[i] = aw_spawn(hold_for, (void *)(intptr_t)1000, "w%d", i);
    int status = aw_gather(tasks, 5, 0);
    seen.value[0] = aw_sem_value(&sem);
    return status;
}

static void test_semaphore_lets_two_in_at_a_time_in_arrival_order(void **state)
{
    (void)state;
    reset();
    assert_int_equal(run_virtual(main_five_through_two, NULL, NULL), AW_OK);
    assert_int_equal(notes.length, 5);
    assert_log(0, "w0", AW_OK, MS(0));
    assert_log(1, "w1", AW_OK, MS(0));
    assert_log(2, "w2", AW_OK, MS(1000));
    assert_log(3, "w3", AW_OK, MS(1000));
    assert_log(4, "w4", AW_OK, MS(2000));
    assert_int_equal(seen.peak_inside, 2);
    assert_int_equal(done_ns("w4"), MS(3000));
    assert_int_equal(seen.value[0], 2);
    /* w2 waited on the semaphore, by name. */
    const aw_trace_event *wait = nth_event("w2", AW_EV_WAIT, 0);
    assert_string_equal(wait->text, "semaphore");
    assert_string_equal(wait->name, "pool");
}

static int main_takes_free_permits(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_sem_init(&sem, 2, "free");
    seen.status[0] = aw_sem_acquire(&sem);
    seen.value[0] = aw_sem_value(&sem);
    seen.locked[0] = aw_sem_locked(&sem);
    seen.status[1] = aw_sem_acquire(&sem);
    seen.value[1] = aw_sem_value(&sem);
    seen.locked[1] = aw_sem_locked(&sem);
    aw_sem_release(&sem);
    aw_sem_release(&sem);
    seen.value[2] = aw_sem_value(&sem);
    return AW_OK;
}

static void test_acquire_with_a_free_permit_does_not_suspend(void **state)
{
    (void)state;
    reset();
    assert_int_equal(run_virtual(main_takes_free_permits, NULL, NULL), AW_OK);
    assert_int_equal(seen.status[0], AW_OK);
    assert_int_equal(seen.value[0], 1);
    assert_false(seen.locked[0]);
    assert_int_equal(seen.status[1], AW_OK);
    assert_int_equal(seen.value[1], 0);
    assert_true(seen.locked[1]);
    assert_int_equal(seen.value[2], 2);
    assert_int_equal(count_events("main", AW_EV_WAIT), 0); /* asyncio: no yield */
}

/* ----------------------------------------------------------------------- */
/* FIFO: a newcomer does not overtake                                        */
/* ----------------------------------------------------------------------- */

/* Holds the permit 1 s, releases it and at once asks for it again. */
static int release_and_reacquire(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    note("A", aw_sem_acquire(&sem));
    aw_sleep(1);
    aw_sem_release(&sem);
    note("A2", aw_sem_acquire(&sem));
    aw_sleep(1);
    return aw_sem_release(&sem);
}

static int wait_in_line(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    note("W", aw_sem_acquire(&sem));
    aw_sleep(0.5);
    return aw_sem_release(&sem);
}

/* Arrives at t = 1 s, in the same instant as the release, just after it. */
static int arrive_at_one_second(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_sleep(1);
    note("N", aw_sem_acquire(&sem));
    return aw_sem_release(&sem);
}

static int main_newcomers_queue_behind(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_sem_init(&sem, 1, "one");
    aw_task *tasks[3];
    tasks[0] = aw_spawn(release_and_reacquire, NULL, "A");
    aw_yield(); /* A holds the permit */
    tasks[1] = aw_spawn(wait_in_line, NULL, "W");
    tasks[2] = aw_spawn(arrive_at_one_second, NULL, "N");
    return aw_gather(tasks, 3, 0);
}

/* CPython 3.11: [('A', 0.0), ('W', 1.0), ('A2', 1.5), ('N', 2.5)] */
static void test_release_hands_the_permit_to_the_waiter_not_to_a_newcomer(void **state)
{
    (void)state;
    reset();
    assert_int_equal(run_virtual(main_newcomers_queue_behind, NULL, NULL), AW_OK);
    assert_int_equal(notes.length, 4);
    assert_log(0, "A", AW_OK, MS(0));
    assert_log(1, "W", AW_OK, MS(1000));
    assert_log(2, "A2", AW_OK, MS(1500));
    assert_log(3, "N", AW_OK, MS(2500));
}

/* ----------------------------------------------------------------------- */
/* Cancellation                                                              */
/* ----------------------------------------------------------------------- */

/*
 * Semaphore(2), both permits held, W waiting.  Two releases in one step:
 * the first hands W a permit, the second frees one.  Until W runs it is
 * still in line, so the semaphore counts as locked (CPython 3.11) and a
 * newcomer N queues behind it; W, when it runs, passes the free permit on.
 */
static int main_newcomer_queues_behind_a_handed_permit(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_sem_init(&sem, 2, "slots");
    aw_sem_acquire(&sem);
    aw_sem_acquire(&sem);
    aw_task *tasks[2];
    tasks[0] = aw_spawn(hold_for, (void *)(intptr_t)1000, "W");
    aw_sleep(1);
    tasks[1] = aw_spawn(hold_for, (void *)(intptr_t)1000, "N");
    aw_sem_release(&sem);
    aw_sem_release(&sem);
    seen.value[0] = aw_sem_value(&sem);
    seen.locked[0] = aw_sem_locked(&sem);
    return aw_gather(tasks, 2, 0);
}

static void test_a_newcomer_queues_behind_a_waiter_handed_a_permit(void **state)
{
    (void)state;
    reset();
    assert_int_equal(run_virtual(main_newcomer_queues_behind_a_handed_permit, NULL, NULL),
                     AW_OK);
    assert_int_equal(seen.value[0], 1);
    assert_true(seen.locked[0]);
    assert_log(0, "W", AW_OK, MS(1000)); /* W first, though N ran first */
    assert_log(1, "N", AW_OK, MS(1000));
}

/* Holds the permit 1 s; releasing hands it to W1, which it then cancels. */
static int release_then_cancel_first_waiter(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_sem_acquire(&sem);
    aw_sleep(1);
    aw_sem_release(&sem);
    aw_cancel(seen.tasks[0]);
    return AW_OK;
}

static int main_woken_waiter_cancelled(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_sem_init(&sem, 1, "one");
    aw_task *tasks[3];
    tasks[0] = aw_spawn(release_then_cancel_first_waiter, NULL, "H");
    aw_yield();
    tasks[1] = seen.tasks[0] = aw_spawn(hold_for, (void *)(intptr_t)1000, "W1");
    tasks[2] = aw_spawn(hold_for, (void *)(intptr_t)1000, "W2");
    aw_gather(tasks, 3, AW_RETURN_EXCEPTIONS);
    seen.value[0] = aw_sem_value(&sem);
    return AW_OK;
}

static void test_woken_then_cancelled_waiter_gives_the_permit_back(void **state)
{
    (void)state;
    reset();
    assert_int_equal(run_virtual(main_woken_waiter_cancelled, NULL, NULL), AW_OK);
    assert_int_equal(notes.length, 2);
    assert_log(0, "W1", AW_ECANCELLED, MS(1000));
    assert_log(1, "W2", AW_OK, MS(1000)); /* not stranded: it got W1's permit */
    assert_int_equal(done_code("W1"), AW_ECANCELLED);
    assert_int_equal(done_ns("W2"), MS(2000));
    assert_int_equal(seen.value[0], 1); /* no permit lost, none made up */
    /* W1 had been woken with the permit before the cancellation came. */
    assert_int_equal(nth_event("W1", AW_EV_WAKE, 0)->code, AW_OK);
}

static int main_cancels_a_waiter(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_sem_init(&sem, 1, "one");
    aw_task *holder = aw_spawn(hold_for, (void *)(intptr_t)1000, "H");
    aw_task *waiter = aw_spawn(hold_for, (void *)(intptr_t)1000, "W");
    aw_task *later = aw_spawn(hold_for, (void *)(intptr_t)1000, "L");
    aw_sleep(0.25);
    aw_cancel(waiter);
    seen.status[0] = aw_await(waiter);
    aw_await(holder);
    aw_await(later);
    seen.value[0] = aw_sem_value(&sem);
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
    assert_log(2, "L", AW_OK, MS(1000)); /* next in line after W left */
    assert_int_equal(seen.status[0], AW_ECANCELLED);
    assert_int_equal(nth_event("W", AW_EV_WAKE, 0)->code, AW_ECANCELLED);
    assert_int_equal(done_ns("L"), MS(2000));
    assert_int_equal(seen.value[0], 1);
    /* The trace shows W leaving the line when it was cancelled. */
    const aw_trace_event *left = nth_event_of(0, AW_EV_RESOURCE, 3);
    assert_int_equal(left->t_ns, MS(250));
    assert_int_equal(left->waiters, 1);
}

static int acquire_when_cancelled(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_cancel(aw_current());
    seen.status[0] = aw_sem_acquire(&sem); /* a permit is free, still */
    seen.value[0] = aw_sem_value(&sem);
    return AW_OK;
}

static int main_acquire_when_cancelled(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_sem_init(&sem, 1, "one");
    aw_task *t = aw_spawn(acquire_when_cancelled, NULL, "C");
    return aw_await(t);
}

static void test_a_cancelled_task_gets_no_permit_even_a_free_one(void **state)
{
    (void)state;
    reset();
    assert_int_equal(run_virtual(main_acquire_when_cancelled, NULL, NULL), AW_OK);
    assert_int_equal(seen.status[0], AW_ECANCELLED);
    assert_int_equal(seen.value[0], 1);
}

static int acquire_with_timeout(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_timeout scope;
    aw_timeout_begin(&scope, 0.5);
    int status = aw_sem_acquire(&sem);
    status = aw_timeout_end(&scope, status);
    note(me(), status);
    if (status == AW_OK)
        aw_sem_release(&sem);
    return AW_OK;
}

static int main_times_out_waiting(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_sem_init(&sem, 1, "one");
    aw_task *tasks[3] = {aw_spawn(hold_for, (void *)(intptr_t)1000, "H"),
                         aw_spawn(acquire_with_timeout, NULL, "T"),
                         aw_spawn(hold_for, (void *)(intptr_t)1000, "L")};
    aw_gather(tasks, 3, 0);
    seen.value[0] = aw_sem_value(&sem);
    return AW_OK;
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
    assert_int_equal(seen.value[0], 1);
}

/* ----------------------------------------------------------------------- */
/* Bad values and bounded semaphores                                         */
/* ----------------------------------------------------------------------- */

static int main_bad_values(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_semaphore s;
    seen.status[0] = aw_sem_init(&s, -1, "negative");
    seen.status[1] = aw_sem_init_bounded(&s, -2, "negative");
    aw_sem_init_bounded(&s, 1, "bounded");
    aw_sem_acquire(&s);
    seen.status[2] = aw_sem_release(&s);
    seen.status[3] = aw_sem_release(&s);
    if (aw_last_error())
        seen.error = *aw_last_error();
    seen.value[0] = aw_sem_value(&s);
    aw_sem_init(&s, 1, "plain");
    aw_sem_release(&s); /* asyncio.Semaphore allows it */
    seen.value[1] = aw_sem_value(&s);
    return AW_OK;
}

static void test_negative_value_and_bounded_over_release_are_einval(void **state)
{
    (void)state;
    reset();
    assert_int_equal(run_virtual(main_bad_values, NULL, NULL), AW_OK);
    assert_int_equal(seen.status[0], AW_EINVAL);
    assert_int_equal(seen.status[1], AW_EINVAL);
    assert_int_equal(seen.status[2], AW_OK);
    assert_int_equal(seen.status[3], AW_EINVAL);
    assert_string_equal(seen.error.message, "BoundedSemaphore released too many times");
    assert_string_equal(seen.error.origin, "main");
    assert_int_equal(seen.value[0], 1);
    assert_int_equal(seen.value[1], 2);
}

/* ----------------------------------------------------------------------- */
/* Deadlock and the trace                                                    */
/* ----------------------------------------------------------------------- */

static int main_waits_forever(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_sem_init(&sem, 0, "never");
    seen.status[0] = aw_sem_acquire(&sem);
    seen.value[0] = aw_sem_value(&sem);
    seen.locked[0] = aw_sem_locked(&sem);
    return seen.status[0];
}

static void test_waiting_for_a_permit_nobody_releases_is_a_deadlock(void **state)
{
    (void)state;
    reset();
    stderr_capture capture;
    stderr_capture_begin(&capture);
    int status = run_virtual(main_waits_forever, NULL, NULL);
    char *err = stderr_capture_end(&capture);
    assert_int_equal(status, AW_EDEADLOCK);
    assert_int_equal(seen.status[0], AW_ECANCELLED);
    assert_int_equal(seen.value[0], 0);
    assert_non_null(strstr(err, "'main' waits on semaphore"));
    free(err);
    /* The deadlock breaker took main out of the waiter list. */
    assert_true(sem.waiters.next == &sem.waiters);
}

static int main_for_trace(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_sem_init(&sem, 2, "slots");
    aw_task *tasks[3];
    for (int i = 0; i < 3; i++)
        tasks[i] = aw_spawn(hold_for, (void *)(intptr_t)1000, "w%d", i);
    return aw_gather(tasks, 3, 0);
}

/* The i-th RESOURCE event, or NULL. */
static const aw_trace_event *resource_event(int i)
{
    return nth_event_of(0, AW_EV_RESOURCE, i);
}

static void assert_resource(int i, int64_t in_use, int waiters, int64_t at_ns)
{
    const aw_trace_event *e = resource_event(i);
    assert_non_null(e);
    assert_string_equal(e->text, "semaphore");
    assert_string_equal(e->name, "slots");
    assert_int_equal(e->code, 2); /* capacity */
    assert_int_equal(e->value, in_use);
    assert_int_equal(e->waiters, waiters);
    assert_int_equal(e->other, 0);
    assert_int_equal(e->t_ns, at_ns);
}

static void test_trace_shows_permits_in_use_and_waiters(void **state)
{
    (void)state;
    reset();
    assert_int_equal(run_virtual(main_for_trace, NULL, NULL), AW_OK);
    assert_resource(0, 1, 0, MS(0));    /* w0 in */
    assert_resource(1, 2, 0, MS(0));    /* w1 in */
    assert_resource(2, 2, 1, MS(0));    /* w2 waits */
    assert_resource(3, 2, 0, MS(1000)); /* w0 hands its permit to w2 */
    assert_resource(4, 1, 0, MS(1000)); /* w1 out */
    assert_resource(5, 0, 0, MS(2000)); /* w2 out */
    assert_null(resource_event(6));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_semaphore_lets_two_in_at_a_time_in_arrival_order, clear_trace),
        cmocka_unit_test_teardown(test_acquire_with_a_free_permit_does_not_suspend, clear_trace),
        cmocka_unit_test_teardown(test_release_hands_the_permit_to_the_waiter_not_to_a_newcomer, clear_trace),
        cmocka_unit_test_teardown(test_a_newcomer_queues_behind_a_waiter_handed_a_permit, clear_trace),
        cmocka_unit_test_teardown(test_woken_then_cancelled_waiter_gives_the_permit_back, clear_trace),
        cmocka_unit_test_teardown(test_cancelling_a_waiter_takes_it_out_of_the_line, clear_trace),
        cmocka_unit_test_teardown(test_a_cancelled_task_gets_no_permit_even_a_free_one, clear_trace),
        cmocka_unit_test_teardown(test_a_timeout_while_waiting_leaves_the_line, clear_trace),
        cmocka_unit_test_teardown(test_negative_value_and_bounded_over_release_are_einval, clear_trace),
        cmocka_unit_test_teardown(test_waiting_for_a_permit_nobody_releases_is_a_deadlock, clear_trace),
        cmocka_unit_test_teardown(test_trace_shows_permits_in_use_and_waiters, clear_trace),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
