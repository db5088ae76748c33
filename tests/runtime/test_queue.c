/*
 * test_queue.c -- aw_queue: FIFO items, getters and putters; bounded
 * backpressure in virtual time; the _nowait errors; join() and
 * task_done(); the producer/consumer sentinel pitfall; shutdown() and
 * shutdown(immediate); cancellation and timeouts while waiting (a woken
 * getter or putter that is cancelled passes its wake-up on); asyncio's
 * wake-and-retry, which a newcomer may overtake; the ring buffer growing
 * round its wrap; the depth in the trace.
 */
#include "runtime_test.h"
#include "notes.h"

static struct {
    int status[8];
    intptr_t item[8];
    size_t size[4];
    aw_error error[4];
    bool ok;
} seen;

static aw_queue queue;

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

/* One get(), noted under the task's name. */
static int get_one(void *arg, intptr_t *result)
{
    (void)arg;
    intptr_t item = -99;
    int status = aw_queue_get(&queue, &item);
    note_item(me(), status, status == AW_OK ? item : -99);
    *result = item;
    return status;
}

/* One put() of `arg`, noted under the task's name. */
static int put_one(void *arg, intptr_t *result)
{
    (void)result;
    int status = aw_queue_put(&queue, (intptr_t)arg);
    note_item(me(), status, (intptr_t)arg);
    return status;
}

/* ----------------------------------------------------------------------- */
/* Items, order, backpressure                                                */
/* ----------------------------------------------------------------------- */

static int main_puts_late(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_queue_init(&queue, 0, "jobs");
    aw_task *getter = aw_spawn(get_one, NULL, "g");
    aw_sleep(1);
    aw_queue_put(&queue, 10);
    aw_queue_put(&queue, 20);
    aw_queue_put(&queue, 30);
    seen.size[0] = aw_queue_size(&queue); /* the woken getter has not run */
    aw_await(getter);
    for (int i = 0; i < 2; i++)
        seen.status[i] = aw_queue_get(&queue, &seen.item[i]);
    seen.size[1] = aw_queue_size(&queue);
    aw_queue_dispose(&queue);
    return AW_OK;
}

static void test_get_waits_for_a_put_and_items_come_out_in_order(void **state)
{
    (void)state;
    reset();
    assert_int_equal(run_virtual(main_puts_late, NULL, NULL), AW_OK);
    assert_int_equal(notes.length, 1);
    assert_log_item(0, "g", AW_OK, 10, MS(1000));
    assert_int_equal(seen.size[0], 3);
    assert_int_equal(seen.status[0], AW_OK);
    assert_int_equal(seen.item[0], 20);
    assert_int_equal(seen.status[1], AW_OK);
    assert_int_equal(seen.item[1], 30);
    assert_int_equal(seen.size[1], 0);
    const aw_trace_event *wait = nth_event("g", AW_EV_WAIT, 0);
    assert_string_equal(wait->text, "queue");
    assert_string_equal(wait->name, "jobs");
}

static int produce_five(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    for (intptr_t i = 0; i < 5; i++)
        note_item("put", aw_queue_put(&queue, i), i);
    return AW_OK;
}

static int consume_five_slowly(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    for (int i = 0; i < 5; i++) {
        aw_sleep(1);
        intptr_t item = -1;
        int status = aw_queue_get(&queue, &item);
        note_item("got", status, item);
    }
    return AW_OK;
}

static int main_backpressure(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_queue_init(&queue, 2, "pipe");
    aw_task *tasks[2] = {aw_spawn(produce_five, NULL, "producer"),
                         aw_spawn(consume_five_slowly, NULL, "consumer")};
    int status = aw_gather(tasks, 2, 0);
    seen.size[0] = queue.peak;
    aw_queue_dispose(&queue);
    return status;
}

/* CPython 3.11: put 0 and 1 at 0 s; then each put waits for a get:
 * got 0 @1, put 2 @1, got 1 @2, put 3 @2, got 2 @3, put 4 @3, got 3 @4,
 * got 4 @5. */
static void test_a_full_bounded_queue_makes_the_producer_wait(void **state)
{
    (void)state;
    reset();
    assert_int_equal(run_virtual(main_backpressure, NULL, NULL), AW_OK);
    assert_int_equal(notes.length, 10);
    assert_log_item(0, "put", AW_OK, 0, MS(0));
    assert_log_item(1, "put", AW_OK, 1, MS(0));
    assert_log_item(2, "got", AW_OK, 0, MS(1000));
    assert_log_item(3, "put", AW_OK, 2, MS(1000));
    assert_log_item(4, "got", AW_OK, 1, MS(2000));
    assert_log_item(5, "put", AW_OK, 3, MS(2000));
    assert_log_item(6, "got", AW_OK, 2, MS(3000));
    assert_log_item(7, "put", AW_OK, 4, MS(3000));
    assert_log_item(8, "got", AW_OK, 3, MS(4000));
    assert_log_item(9, "got", AW_OK, 4, MS(5000));
    assert_int_equal(seen.size[0], 2); /* peak depth */
    assert_int_equal(done_ns("producer"), MS(3000));
}

static int main_nowait(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_queue_init(&queue, 1, "one");
    seen.ok = aw_queue_empty(&queue) && !aw_queue_full(&queue);
    seen.status[0] = aw_queue_get_nowait(&queue, &seen.item[0]);
    keep_error(0);
    seen.status[1] = aw_queue_put_nowait(&queue, 5);
    seen.ok = seen.ok && aw_queue_full(&queue) && !aw_queue_empty(&queue);
    seen.status[2] = aw_queue_put_nowait(&queue, 6);
    keep_error(2);
    seen.size[0] = aw_queue_size(&queue);
    seen.status[3] = aw_queue_get_nowait(&queue, &seen.item[3]);
    aw_queue_dispose(&queue);

    aw_queue_init(&queue, -3, "unbounded"); /* <= 0: no limit */
    for (intptr_t i = 0; i < 1000; i++)
        if (aw_queue_put_nowait(&queue, i) != AW_OK)
            seen.ok = false;
    seen.size[1] = aw_queue_size(&queue);
    seen.ok = seen.ok && !aw_queue_full(&queue);
    aw_queue_dispose(&queue);
    return AW_OK;
}

static void test_nowait_on_full_and_empty_queues_are_errors(void **state)
{
    (void)state;
    reset();
    assert_int_equal(run_virtual(main_nowait, NULL, NULL), AW_OK);
    assert_true(seen.ok);
    assert_int_equal(seen.status[0], AW_EEMPTY);
    assert_string_equal(seen.error[0].message, "queue 'one' is empty");
    assert_int_equal(seen.status[1], AW_OK);
    assert_int_equal(seen.status[2], AW_EFULL);
    assert_string_equal(seen.error[2].message, "queue 'one' is full (maxsize 1)");
    assert_int_equal(seen.size[0], 1);
    assert_int_equal(seen.status[3], AW_OK);
    assert_int_equal(seen.item[3], 5);
    assert_int_equal(seen.size[1], 1000);
    assert_int_equal(count_events("main", AW_EV_WAIT), 0);
}

/* ----------------------------------------------------------------------- */
/* FIFO wake-ups, and asyncio's newcomer                                     */
/* ----------------------------------------------------------------------- */

static int main_serves_getters_in_order(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_queue_init(&queue, 0, "q");
    aw_task *tasks[3];
    for (int i = 0; i < 3; i++)
        tasks[i] = aw_spawn(get_one, NULL, "g%d", i);
    aw_sleep(1);
    aw_queue_put(&queue, 10);
    aw_queue_put_nowait(&queue, 11);
    aw_queue_put(&queue, 12);
    int status = aw_gather(tasks, 3, 0);
    aw_queue_dispose(&queue);
    return status;
}

static void test_getters_are_woken_first_come_first_served(void **state)
{
    (void)state;
    reset();
    assert_int_equal(run_virtual(main_serves_getters_in_order, NULL, NULL), AW_OK);
    assert_int_equal(notes.length, 3);
    assert_log_item(0, "g0", AW_OK, 10, MS(1000));
    assert_log_item(1, "g1", AW_OK, 11, MS(1000));
    assert_log_item(2, "g2", AW_OK, 12, MS(1000));
}

static int main_putters_in_order(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_queue_init(&queue, 1, "q");
    aw_queue_put(&queue, 1);
    aw_task *tasks[2] = {aw_spawn(put_one, (void *)(intptr_t)2, "p2"),
                         aw_spawn(put_one, (void *)(intptr_t)3, "p3")};
    for (int i = 0; i < 3; i++) {
        aw_sleep(1);
        seen.status[i] = aw_queue_get(&queue, &seen.item[i]);
    }
    int status = aw_gather(tasks, 2, 0);
    aw_queue_dispose(&queue);
    return status;
}

static void test_putters_are_woken_first_come_first_served(void **state)
{
    (void)state;
    reset();
    assert_int_equal(run_virtual(main_putters_in_order, NULL, NULL), AW_OK);
    assert_int_equal(seen.item[0], 1);
    assert_int_equal(seen.item[1], 2);
    assert_int_equal(seen.item[2], 3);
    assert_int_equal(notes.length, 2);
    assert_log_item(0, "p2", AW_OK, 2, MS(1000));
    assert_log_item(1, "p3", AW_OK, 3, MS(2000));
}

/*
 * asyncio wakes a getter (putter) and lets it try again when it runs; a
 * task that asks in the same instant gets the item (the room) first, and
 * the woken one waits again.  CPython 3.11: main gets 1; the getter gets
 * 2 at 0.4 s.  main takes a, its put_nowait(c) goes in, the putter puts b
 * only after main takes c at 0.8 s.
 */
static int main_overtakes(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_queue_init(&queue, 0, "q");
    aw_task *getter = aw_spawn(get_one, NULL, "g");
    aw_sleep(0.2);
    aw_queue_put_nowait(&queue, 1);
    seen.status[0] = aw_queue_get_nowait(&queue, &seen.item[0]);
    aw_sleep(0.2);
    aw_queue_put_nowait(&queue, 2);
    aw_await(getter);
    aw_queue_dispose(&queue);

    aw_queue_init(&queue, 1, "q");
    aw_queue_put_nowait(&queue, 'a');
    aw_task *putter = aw_spawn(put_one, (void *)(intptr_t)'b', "p");
    aw_sleep(0.2);
    aw_queue_get_nowait(&queue, &seen.item[1]);
    seen.status[1] = aw_queue_put_nowait(&queue, 'c');
    aw_sleep(0.2);
    aw_queue_get_nowait(&queue, &seen.item[2]);
    aw_await(putter);
    aw_queue_get_nowait(&queue, &seen.item[3]);
    aw_queue_dispose(&queue);
    return AW_OK;
}

static void test_a_newcomer_in_the_same_instant_goes_first_as_in_asyncio(void **state)
{
    (void)state;
    reset();
    assert_int_equal(run_virtual(main_overtakes, NULL, NULL), AW_OK);
    assert_int_equal(seen.status[0], AW_OK);
    assert_int_equal(seen.item[0], 1);
    assert_int_equal(seen.status[1], AW_OK);
    assert_int_equal(seen.item[1], 'a');
    assert_int_equal(seen.item[2], 'c');
    assert_int_equal(seen.item[3], 'b');
    assert_int_equal(notes.length, 2);
    assert_log_item(0, "g", AW_OK, 2, MS(400));
    assert_log_item(1, "p", AW_OK, 'b', MS(800));
    assert_int_equal(count_events("g", AW_EV_WAIT), 2); /* it waited again */
    assert_int_equal(count_events("p", AW_EV_WAIT), 2);
}

/* ----------------------------------------------------------------------- */
/* join and task_done                                                        */
/* ----------------------------------------------------------------------- */

static int work_forever(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    for (;;) {
        intptr_t item;
        int status = aw_queue_get(&queue, &item);
        if (status != AW_OK)
            return status;
        aw_sleep(0.5);
        aw_queue_task_done(&queue);
    }
}

static int main_joins(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_queue_init(&queue, 0, "work");
    seen.status[0] = aw_queue_join(&queue); /* fresh: at once */
    aw_task *worker = aw_spawn(work_forever, NULL, "worker");
    for (intptr_t i = 0; i < 3; i++)
        aw_queue_put_nowait(&queue, i);
    seen.status[1] = aw_queue_join(&queue);
    note_item("joined", seen.status[1], 0);
    aw_cancel(worker);
    aw_await(worker);
    seen.status[2] = aw_queue_task_done(&queue);
    keep_error(2);
    aw_queue_dispose(&queue);
    return AW_OK;
}

/* CPython 3.11: joined at 1.5 s; one task_done() too many is a ValueError. */
static void test_join_waits_until_every_item_is_done(void **state)
{
    (void)state;
    reset();
    assert_int_equal(run_virtual(main_joins, NULL, NULL), AW_OK);
    assert_int_equal(seen.status[0], AW_OK);
    assert_log_item(0, "joined", AW_OK, 0, MS(1500));
    assert_int_equal(nth_event("main", AW_EV_WAIT, 0)->t_ns, 0); /* only the 2nd join */
    assert_string_equal(nth_event("main", AW_EV_WAIT, 0)->text, "queue");
    assert_int_equal(nth_event("main", AW_EV_WAKE, 0)->t_ns, MS(1500));
    assert_int_equal(seen.status[2], AW_EINVAL);
    assert_string_equal(seen.error[2].message, "task_done() called too many times");
}

static int join_named(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    int status = aw_queue_join(&queue);
    note_item(me(), status, 0);
    return status;
}

static int main_joins_three_times(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_queue_init(&queue, 0, "work");
    aw_queue_put_nowait(&queue, 1);
    aw_task *tasks[3];
    for (int i = 0; i < 3; i++)
        tasks[i] = aw_spawn(join_named, NULL, "j%d", i);
    aw_sleep(0.5);
    aw_cancel(tasks[0]); /* parked in join() */
    aw_sleep(0.5);
    aw_queue_task_done(&queue); /* wakes j1 and j2 */
    aw_cancel(tasks[2]);        /* before j2 ran */
    aw_gather(tasks, 3, AW_RETURN_EXCEPTIONS);
    aw_queue_dispose(&queue);
    return AW_OK;
}

static void test_join_wakes_every_joiner_and_honours_cancellation(void **state)
{
    (void)state;
    reset();
    assert_int_equal(run_virtual(main_joins_three_times, NULL, NULL), AW_OK);
    assert_int_equal(notes.length, 3);
    assert_log_item(0, "j0", AW_ECANCELLED, 0, MS(500));
    assert_log_item(1, "j1", AW_OK, 0, MS(1000));
    assert_log_item(2, "j2", AW_ECANCELLED, 0, MS(1000));
    assert_int_equal(nth_event("j2", AW_EV_WAKE, 0)->code, AW_OK);
}

/*
 * The classic mistake: the consumer stops at the sentinel -1 without calling
 * task_done() for it, so one item is never done and join() cannot return.
 */
static int consume_until_sentinel(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    for (;;) {
        intptr_t item;
        int status = aw_queue_get(&queue, &item);
        if (status != AW_OK)
            return status;
        if (item == -1)
            return AW_OK; /* BUG: no task_done() for the sentinel */
        aw_sleep(0.25);
        aw_queue_task_done(&queue);
    }
}

static int main_joins_after_the_sentinel(void *arg, intptr_t *result)
{
    (void)result;
    aw_queue_init(&queue, 0, "jobs");
    aw_spawn(consume_until_sentinel, NULL, "consumer");
    for (intptr_t i = 0; i < 4; i++)
        aw_queue_put(&queue, i);
    aw_queue_put(&queue, -1);
    int status;
    if (arg) {
        aw_timeout scope;
        aw_timeout_begin(&scope, 5);
        status = aw_timeout_end(&scope, aw_queue_join(&queue));
    } else {
        status = aw_queue_join(&queue); /* asyncio: hangs forever */
    }
    note_item("join", status, (intptr_t)queue.unfinished);
    aw_queue_dispose(&queue);
    return status;
}

static void test_sentinel_without_task_done_is_reported_as_a_deadlock(void **state)
{
    (void)state;
    reset();
    stderr_capture capture;
    stderr_capture_begin(&capture);
    int status = run_virtual(main_joins_after_the_sentinel, NULL, NULL);
    char *err = stderr_capture_end(&capture);
    assert_int_equal(status, AW_EDEADLOCK);
    assert_non_null(strstr(err, "deadlock at t=1.000 s"));
    assert_non_null(strstr(err, "'main' waits on queue"));
    free(err);
    assert_log_item(0, "join", AW_ECANCELLED, 1, MS(1000));
    assert_int_equal(done_ns("consumer"), MS(1000));
}

static void test_sentinel_without_task_done_makes_a_timed_join_time_out(void **state)
{
    (void)state;
    reset();
    assert_int_equal(run_virtual(main_joins_after_the_sentinel, (void *)1, NULL),
                     AW_ETIMEDOUT);
    assert_log_item(0, "join", AW_ETIMEDOUT, 1, MS(5000));
}

/* ----------------------------------------------------------------------- */
/* shutdown                                                                  */
/* ----------------------------------------------------------------------- */

static int main_shuts_down_with_getters_waiting(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_queue_init(&queue, 0, "q");
    aw_task *tasks[2] = {aw_spawn(get_one, NULL, "g0"), aw_spawn(get_one, NULL, "g1")};
    aw_sleep(1);
    aw_queue_shutdown(&queue, false);
    aw_gather(tasks, 2, AW_RETURN_EXCEPTIONS);
    seen.status[0] = aw_queue_put(&queue, 1);
    keep_error(0);
    seen.status[1] = aw_queue_put_nowait(&queue, 1);
    seen.status[2] = aw_queue_get(&queue, &seen.item[2]);
    seen.status[3] = aw_queue_get_nowait(&queue, &seen.item[3]);
    aw_queue_dispose(&queue);
    return AW_OK;
}

static void test_shutdown_wakes_blocked_getters_and_refuses_puts(void **state)
{
    (void)state;
    reset();
    assert_int_equal(run_virtual(main_shuts_down_with_getters_waiting, NULL, NULL), AW_OK);
    assert_int_equal(notes.length, 2);
    assert_log_item(0, "g0", AW_ESHUTDOWN, -99, MS(1000));
    assert_log_item(1, "g1", AW_ESHUTDOWN, -99, MS(1000));
    assert_int_equal(seen.status[0], AW_ESHUTDOWN);
    assert_string_equal(seen.error[0].message, "queue 'q' is shut down");
    assert_int_equal(seen.status[1], AW_ESHUTDOWN);
    assert_int_equal(seen.status[2], AW_ESHUTDOWN);
    assert_int_equal(seen.status[3], AW_ESHUTDOWN);
    assert_int_equal(done_code("g0"), AW_ESHUTDOWN);
}

static int drain_and_finish(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    for (;;) {
        intptr_t item;
        int status = aw_queue_get(&queue, &item);
        note_item(me(), status, status == AW_OK ? item : -99);
        if (status != AW_OK)
            return status == AW_ESHUTDOWN ? AW_OK : status;
        aw_sleep(1);
        aw_queue_task_done(&queue);
    }
}

static int join_and_note(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    int status = aw_queue_join(&queue);
    note_item("join", status, (intptr_t)queue.unfinished);
    return status;
}

/* A full queue (1, 2) and a putter of 3 waiting; shut down at 0.5 s. */
static int main_shuts_down_full_queue(void *arg, intptr_t *result)
{
    (void)result;
    bool immediate = arg != NULL;
    aw_queue_init(&queue, 2, "q");
    aw_queue_put(&queue, 1);
    aw_queue_put(&queue, 2);
    aw_task *tasks[3] = {aw_spawn(put_one, (void *)(intptr_t)3, "p3"),
                         aw_spawn(join_and_note, NULL, "joiner"), NULL};
    aw_sleep(0.5);
    tasks[2] = aw_spawn(drain_and_finish, NULL, "c");
    aw_yield(); /* the consumer takes 1 and wakes the putter */
    seen.size[0] = aw_queue_size(&queue);
    aw_queue_shutdown(&queue, immediate);
    seen.size[1] = aw_queue_size(&queue);
    aw_gather(tasks, 3, AW_RETURN_EXCEPTIONS);
    seen.status[0] = aw_queue_get_nowait(&queue, &seen.item[0]);
    aw_queue_dispose(&queue);
    return AW_OK;
}

static void test_shutdown_lets_consumers_drain_what_is_left(void **state)
{
    (void)state;
    reset();
    assert_int_equal(run_virtual(main_shuts_down_full_queue, NULL, NULL), AW_OK);
    assert_int_equal(seen.size[0], 1);
    assert_int_equal(seen.size[1], 1);
    assert_log_item(0, "c", AW_OK, 1, MS(500));
    /* Woken for the room c made, but shut down before it ran. */
    assert_log_item(1, "p3", AW_ESHUTDOWN, 3, MS(500));
    assert_log_item(2, "c", AW_OK, 2, MS(1500)); /* what was left is drained */
    assert_log_item(3, "c", AW_ESHUTDOWN, -99, MS(2500));
    assert_log_item(4, "join", AW_OK, 0, MS(2500));
    assert_int_equal(seen.status[0], AW_ESHUTDOWN);
}

static void test_shutdown_immediate_drops_what_is_left_and_counts_it_done(void **state)
{
    (void)state;
    reset();
    assert_int_equal(run_virtual(main_shuts_down_full_queue, (void *)1, NULL), AW_OK);
    assert_int_equal(seen.size[0], 1);
    assert_int_equal(seen.size[1], 0);
    assert_log_item(0, "c", AW_OK, 1, MS(500));
    assert_log_item(1, "p3", AW_ESHUTDOWN, 3, MS(500));
    /* Only item 1, taken before the shutdown, was still to be done. */
    assert_log_item(2, "c", AW_ESHUTDOWN, -99, MS(1500));
    assert_log_item(3, "join", AW_OK, 0, MS(1500));
}

/* Nothing taken yet: shutdown(immediate) leaves nothing to do, join returns. */
static int main_shuts_down_at_once_under_a_joiner(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_queue_init(&queue, 0, "q");
    for (intptr_t i = 0; i < 3; i++)
        aw_queue_put_nowait(&queue, i);
    aw_task *joiner = aw_spawn(join_and_note, NULL, "joiner");
    aw_sleep(1);
    aw_queue_shutdown(&queue, true);
    aw_await(joiner);
    aw_queue_dispose(&queue);
    return AW_OK;
}

static void test_shutdown_immediate_releases_join_when_nothing_is_left(void **state)
{
    (void)state;
    reset();
    assert_int_equal(run_virtual(main_shuts_down_at_once_under_a_joiner, NULL, NULL), AW_OK);
    assert_int_equal(notes.length, 1);
    assert_log_item(0, "join", AW_OK, 0, MS(1000));
}

static int main_shuts_down_on_a_blocked_putter(void *arg, intptr_t *result)
{
    (void)result;
    aw_queue_init(&queue, 1, "q");
    aw_queue_put(&queue, 1);
    aw_task *putter = aw_spawn(put_one, (void *)(intptr_t)2, "p2");
    aw_sleep(1);
    aw_queue_shutdown(&queue, arg != NULL);
    aw_await(putter);
    seen.size[0] = aw_queue_size(&queue);
    seen.size[1] = queue.unfinished;
    aw_queue_dispose(&queue);
    return AW_OK;
}

static void test_shutdown_fails_blocked_putters(void **state)
{
    (void)state;
    for (int immediate = 0; immediate < 2; immediate++) {
        reset();
        assert_int_equal(run_virtual(main_shuts_down_on_a_blocked_putter,
                                     (void *)(intptr_t)immediate, NULL), AW_OK);
        assert_int_equal(notes.length, 1);
        assert_log_item(0, "p2", AW_ESHUTDOWN, 2, MS(1000));
        assert_int_equal(seen.size[0], immediate ? 0 : 1);
        assert_int_equal(seen.size[1], immediate ? 0 : 1);
        aw_trace_clear();
    }
}

/* ----------------------------------------------------------------------- */
/* Cancellation and timeouts                                                 */
/* ----------------------------------------------------------------------- */

static int main_cancels_getters(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_queue_init(&queue, 0, "q");
    aw_task *tasks[3];
    for (int i = 0; i < 3; i++)
        tasks[i] = aw_spawn(get_one, NULL, "g%d", i);
    aw_sleep(0.5);
    aw_cancel(tasks[0]); /* parked: leaves the line */
    aw_sleep(0.5);
    aw_queue_put(&queue, 7); /* wakes g1 */
    aw_cancel(tasks[1]);     /* before g1 ran: 7 must go to g2 */
    aw_gather(tasks, 3, AW_RETURN_EXCEPTIONS);
    aw_queue_put(&queue, 8); /* nobody waits: it stays */
    seen.size[0] = aw_queue_size(&queue);
    aw_queue_dispose(&queue);
    return AW_OK;
}

static void test_a_cancelled_getter_loses_no_item(void **state)
{
    (void)state;
    reset();
    assert_int_equal(run_virtual(main_cancels_getters, NULL, NULL), AW_OK);
    assert_int_equal(notes.length, 3);
    assert_log_item(0, "g0", AW_ECANCELLED, -99, MS(500));
    assert_log_item(1, "g1", AW_ECANCELLED, -99, MS(1000));
    assert_log_item(2, "g2", AW_OK, 7, MS(1000));
    assert_int_equal(nth_event("g1", AW_EV_WAKE, 0)->code, AW_OK); /* woken for 7 */
    assert_int_equal(seen.size[0], 1);
}

static int main_cancels_the_only_getter(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_queue_init(&queue, 0, "q");
    aw_task *getter = aw_spawn(get_one, NULL, "g");
    aw_sleep(1);
    aw_queue_put(&queue, 7);
    aw_queue_put(&queue, 8);
    aw_cancel(getter);
    seen.status[0] = aw_await(getter);
    seen.size[0] = aw_queue_size(&queue);
    aw_queue_get_nowait(&queue, &seen.item[0]);
    aw_queue_get_nowait(&queue, &seen.item[1]);
    aw_queue_dispose(&queue);
    return AW_OK;
}

static void test_a_woken_then_cancelled_getter_leaves_the_items_in_order(void **state)
{
    (void)state;
    reset();
    assert_int_equal(run_virtual(main_cancels_the_only_getter, NULL, NULL), AW_OK);
    assert_int_equal(seen.status[0], AW_ECANCELLED);
    assert_int_equal(seen.size[0], 2);
    assert_int_equal(seen.item[0], 7);
    assert_int_equal(seen.item[1], 8);
}

static int main_cancels_putters(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_queue_init(&queue, 1, "q");
    aw_queue_put(&queue, 1);
    aw_task *parked = aw_spawn(put_one, (void *)(intptr_t)2, "p2");
    aw_task *woken = aw_spawn(put_one, (void *)(intptr_t)3, "p3");
    aw_sleep(0.5);
    aw_cancel(parked); /* waiting for room: its item is not put */
    aw_sleep(0.5);
    aw_queue_get(&queue, &seen.item[0]); /* makes room: p3 is woken */
    aw_cancel(woken);                    /* before it could put */
    aw_await(parked);
    aw_await(woken);
    seen.size[0] = aw_queue_size(&queue);
    seen.size[1] = queue.unfinished;
    seen.status[1] = aw_queue_get_nowait(&queue, &seen.item[1]);
    aw_queue_dispose(&queue);
    return AW_OK;
}

/* CPython 3.11: the woken putter's put() raises CancelledError, and the
 * room stays free. */
static void test_a_cancelled_putter_puts_nothing(void **state)
{
    (void)state;
    reset();
    assert_int_equal(run_virtual(main_cancels_putters, NULL, NULL), AW_OK);
    assert_int_equal(notes.length, 2);
    assert_log_item(0, "p2", AW_ECANCELLED, 2, MS(500));
    assert_log_item(1, "p3", AW_ECANCELLED, 3, MS(1000));
    assert_int_equal(nth_event("p3", AW_EV_WAKE, 0)->code, AW_OK); /* it was woken */
    assert_int_equal(seen.item[0], 1);
    assert_int_equal(seen.size[0], 0);
    assert_int_equal(seen.size[1], 1); /* only 1 was put, and not done */
    assert_int_equal(seen.status[1], AW_EEMPTY);
}

/* A putter woken and cancelled passes the room on to the next putter. */
static int main_cancels_a_woken_putter(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_queue_init(&queue, 1, "q");
    aw_queue_put(&queue, 1);
    aw_task *tasks[2] = {aw_spawn(put_one, (void *)(intptr_t)2, "p2"),
                         aw_spawn(put_one, (void *)(intptr_t)3, "p3")};
    aw_sleep(1);
    aw_queue_get(&queue, &seen.item[0]); /* wakes p2 */
    aw_cancel(tasks[0]);
    aw_gather(tasks, 2, AW_RETURN_EXCEPTIONS);
    aw_queue_get_nowait(&queue, &seen.item[1]);
    aw_queue_dispose(&queue);
    return AW_OK;
}

static void test_a_woken_then_cancelled_putter_passes_the_room_on(void **state)
{
    (void)state;
    reset();
    assert_int_equal(run_virtual(main_cancels_a_woken_putter, NULL, NULL), AW_OK);
    assert_int_equal(notes.length, 2);
    assert_log_item(0, "p2", AW_ECANCELLED, 2, MS(1000));
    assert_log_item(1, "p3", AW_OK, 3, MS(1000));
    assert_int_equal(seen.item[1], 3);
}

/* Level-triggered: a cancelled task gets AW_ECANCELLED from put, get and
 * join even when none of them would have to wait; _nowait still works. */
static int use_the_queue_when_cancelled(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_cancel(aw_current());
    seen.status[0] = aw_queue_put(&queue, 5);
    seen.status[1] = aw_queue_get(&queue, &seen.item[1]);
    seen.status[2] = aw_queue_join(&queue);
    seen.status[3] = aw_queue_get_nowait(&queue, &seen.item[3]);
    return AW_OK;
}

static int main_cancelled_user(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_queue_init(&queue, 2, "q");
    aw_queue_put_nowait(&queue, 4);
    aw_await(aw_spawn(use_the_queue_when_cancelled, NULL, "c"));
    seen.size[0] = aw_queue_size(&queue);
    aw_queue_dispose(&queue);
    return AW_OK;
}

static void test_a_cancelled_task_is_told_so_even_if_it_need_not_wait(void **state)
{
    (void)state;
    reset();
    assert_int_equal(run_virtual(main_cancelled_user, NULL, NULL), AW_OK);
    assert_int_equal(seen.status[0], AW_ECANCELLED);
    assert_int_equal(seen.status[1], AW_ECANCELLED);
    assert_int_equal(seen.status[2], AW_ECANCELLED);
    assert_int_equal(seen.status[3], AW_OK);
    assert_int_equal(seen.item[3], 4);
    assert_int_equal(seen.size[0], 0);
}

static int get_with_timeout(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    intptr_t item = -99;
    aw_timeout scope;
    aw_timeout_begin(&scope, 0.5);
    int status = aw_timeout_end(&scope, aw_queue_get(&queue, &item));
    note_item(me(), status, item);
    return AW_OK;
}

static int main_times_out_a_getter(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    aw_queue_init(&queue, 0, "q");
    aw_task *tasks[2] = {aw_spawn(get_with_timeout, NULL, "t"), aw_spawn(get_one, NULL, "g")};
    aw_sleep(1);
    aw_queue_put(&queue, 5);
    int status = aw_gather(tasks, 2, 0);
    aw_queue_dispose(&queue);
    return status;
}

static void test_a_timeout_while_waiting_for_an_item(void **state)
{
    (void)state;
    reset();
    assert_int_equal(run_virtual(main_times_out_a_getter, NULL, NULL), AW_OK);
    assert_int_equal(notes.length, 2);
    assert_log_item(0, "t", AW_ETIMEDOUT, -99, MS(500));
    assert_log_item(1, "g", AW_OK, 5, MS(1000));
}

/* ----------------------------------------------------------------------- */
/* The ring buffer                                                           */
/* ----------------------------------------------------------------------- */

/* Gets an item, which must be the next in order: item k is k * 3. */
static void get_the_next_in_order(intptr_t *next_out)
{
    intptr_t item;
    if (aw_queue_get_nowait(&queue, &item) != AW_OK || item != (*next_out)++ * 3)
        seen.ok = false;
}

/* Puts and gets in a pattern that wraps the ring round before it grows. */
static int main_wraps_and_grows(void *arg, intptr_t *result)
{
    (void)result;
    long maxsize = (long)(intptr_t)arg;
    aw_queue_init(&queue, maxsize, "ring");
    intptr_t next_in = 0, next_out = 0;
    seen.ok = true;
    for (int round = 0; round < 40; round++) {
        int puts = 7 + round % 5, gets = 4 + round % 3;
        for (int i = 0; i < puts && !aw_queue_full(&queue); i++)
            if (aw_queue_put_nowait(&queue, next_in++ * 3) != AW_OK)
                seen.ok = false;
        for (int i = 0; i < gets && !aw_queue_empty(&queue); i++)
            get_the_next_in_order(&next_out);
    }
    while (!aw_queue_empty(&queue))
        get_the_next_in_order(&next_out);
    seen.item[0] = next_in;
    seen.item[1] = next_out;
    seen.size[0] = queue.peak;
    seen.size[1] = queue.capacity;
    aw_queue_dispose(&queue);
    return AW_OK;
}

static void test_the_ring_buffer_keeps_order_as_it_wraps_and_grows(void **state)
{
    (void)state;
    reset();
    assert_int_equal(run_virtual(main_wraps_and_grows, (void *)(intptr_t)0, NULL), AW_OK);
    assert_true(seen.ok);
    assert_int_equal(seen.item[0], seen.item[1]);
    assert_true(seen.size[0] > 64); /* grew past 16, 32 and 64, wrapped */
    reset();
    assert_int_equal(run_virtual(main_wraps_and_grows, (void *)(intptr_t)50, NULL), AW_OK);
    assert_true(seen.ok);
    assert_int_equal(seen.item[0], seen.item[1]);
    assert_int_equal(seen.size[0], 50);
    assert_int_equal(seen.size[1], 50); /* a bounded queue never holds more */
}

/* ----------------------------------------------------------------------- */
/* The trace                                                                 */
/* ----------------------------------------------------------------------- */

static void assert_resource(int i, int64_t depth, int waiters, int64_t at_ns)
{
    const aw_trace_event *e = nth_event_of(0, AW_EV_RESOURCE, i);
    assert_non_null(e);
    assert_string_equal(e->text, "queue");
    assert_string_equal(e->name, "pipe");
    assert_int_equal(e->code, 2); /* maxsize */
    assert_int_equal(e->value, depth);
    assert_int_equal(e->waiters, waiters);
    assert_int_equal(e->t_ns, at_ns);
}

static void test_trace_shows_depth_against_maxsize(void **state)
{
    (void)state;
    reset();
    assert_int_equal(run_virtual(main_backpressure, NULL, NULL), AW_OK);
    assert_resource(0, 1, 0, MS(0));    /* put 0 */
    assert_resource(1, 2, 0, MS(0));    /* put 1 */
    assert_resource(2, 2, 1, MS(0));    /* the producer waits */
    assert_resource(3, 1, 0, MS(1000)); /* got 0: the producer is woken */
    assert_resource(4, 2, 0, MS(1000)); /* put 2 */
    size_t count;
    const aw_trace_event *e = aw_trace_events(&count);
    int64_t deepest = 0;
    for (size_t i = 0; i < count; i++)
        if (e[i].kind == AW_EV_RESOURCE && e[i].value > deepest)
            deepest = e[i].value;
    assert_int_equal(deepest, 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_get_waits_for_a_put_and_items_come_out_in_order, clear_trace),
        cmocka_unit_test_teardown(test_a_full_bounded_queue_makes_the_producer_wait, clear_trace),
        cmocka_unit_test_teardown(test_nowait_on_full_and_empty_queues_are_errors, clear_trace),
        cmocka_unit_test_teardown(test_getters_are_woken_first_come_first_served, clear_trace),
        cmocka_unit_test_teardown(test_putters_are_woken_first_come_first_served, clear_trace),
        cmocka_unit_test_teardown(test_a_newcomer_in_the_same_instant_goes_first_as_in_asyncio, clear_trace),
        cmocka_unit_test_teardown(test_join_waits_until_every_item_is_done, clear_trace),
        cmocka_unit_test_teardown(test_join_wakes_every_joiner_and_honours_cancellation, clear_trace),
        cmocka_unit_test_teardown(test_sentinel_without_task_done_is_reported_as_a_deadlock, clear_trace),
        cmocka_unit_test_teardown(test_sentinel_without_task_done_makes_a_timed_join_time_out, clear_trace),
        cmocka_unit_test_teardown(test_shutdown_wakes_blocked_getters_and_refuses_puts, clear_trace),
        cmocka_unit_test_teardown(test_shutdown_lets_consumers_drain_what_is_left, clear_trace),
        cmocka_unit_test_teardown(test_shutdown_immediate_drops_what_is_left_and_counts_it_done, clear_trace),
        cmocka_unit_test_teardown(test_shutdown_immediate_releases_join_when_nothing_is_left, clear_trace),
        cmocka_unit_test_teardown(test_shutdown_fails_blocked_putters, clear_trace),
        cmocka_unit_test_teardown(test_a_cancelled_getter_loses_no_item, clear_trace),
        cmocka_unit_test_teardown(test_a_woken_then_cancelled_getter_leaves_the_items_in_order, clear_trace),
        cmocka_unit_test_teardown(test_a_cancelled_putter_puts_nothing, clear_trace),
        cmocka_unit_test_teardown(test_a_woken_then_cancelled_putter_passes_the_room_on, clear_trace),
        cmocka_unit_test_teardown(test_a_cancelled_task_is_told_so_even_if_it_need_not_wait, clear_trace),
        cmocka_unit_test_teardown(test_a_timeout_while_waiting_for_an_item, clear_trace),
        cmocka_unit_test_teardown(test_the_ring_buffer_keeps_order_as_it_wraps_and_grows, clear_trace),
        cmocka_unit_test_teardown(test_trace_shows_depth_against_maxsize, clear_trace),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
