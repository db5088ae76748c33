/*
 * test_timer.c -- wake-ups at given times, on a thread of their own.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "ls_timer.h"

#define MS 1000000u

/* A wake-up that notes when, and in which order, it fired. */
typedef struct noted {
    ls_wakeup wakeup;
    int id;
    uint64_t fired_ns;
} noted;

static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;
static int fired[20000];
static size_t n_fired;

static void note(ls_wakeup *w)
{
    noted *n = (noted *)((char *)w - offsetof(noted, wakeup));
    n->fired_ns = ls_now_ns();
    pthread_mutex_lock(&log_lock);
    fired[n_fired++] = n->id;
    pthread_mutex_unlock(&log_lock);
}

static size_t fired_count(void)
{
    pthread_mutex_lock(&log_lock);
    size_t n = n_fired;
    pthread_mutex_unlock(&log_lock);
    return n;
}

static void wait_for_fired(size_t n)
{
    for (int i = 0; i < 500 && fired_count() < n; i++) {
        struct timespec ts = {0, 10 * MS};
        nanosleep(&ts, NULL);
    }
    assert_int_equal(fired_count(), n);
}

static int clear_log(void **state)
{
    (void)state;
    n_fired = 0;
    return 0;
}

static void test_fires_in_time_order_and_not_early(void **state)
{
    (void)state;
    ls_timer t;
    assert_int_equal(ls_timer_start(&t), 0);
    uint64_t now = ls_now_ns();
    noted w[4] = {{.id = 0}, {.id = 1}, {.id = 2}, {.id = 3}};
    const uint64_t after_ms[4] = {60, 20, 40, 0};
    for (int i = 0; i < 4; i++)
        assert_true(ls_timer_arm(&t, &w[i].wakeup, now + after_ms[i] * MS, note));
    wait_for_fired(4);
    assert_int_equal(fired[0], 3);
    assert_int_equal(fired[1], 1);
    assert_int_equal(fired[2], 2);
    assert_int_equal(fired[3], 0);
    for (int i = 0; i < 4; i++)
        assert_true(w[i].fired_ns >= now + after_ms[i] * MS);
    ls_timer_stop(&t);
    ls_timer_destroy(&t);
}

static void test_equal_times_fire_in_arming_order(void **state)
{
    (void)state;
    ls_timer t;
    assert_int_equal(ls_timer_start(&t), 0);
    noted w[8];
    uint64_t when = ls_now_ns() + 20 * MS;
    for (int i = 0; i < 8; i++) {
        w[i] = (noted){.id = i};
        assert_true(ls_timer_arm(&t, &w[i].wakeup, when, note));
    }
    wait_for_fired(8);
    for (int i = 0; i < 8; i++)
        assert_int_equal(fired[i], i);
    ls_timer_stop(&t);
    ls_timer_destroy(&t);
}

/*
 * The heap's order, seen without racing the clock: wake-ups an hour away
 * never fire on their own, and stopping fires them all, earliest first.
 */
static void test_many_wakeups_come_out_sorted(void **state)
{
    (void)state;
    enum { N = 10000 };
    ls_timer t;
    assert_int_equal(ls_timer_start(&t), 0);
    noted *w = calloc(N, sizeof *w);
    uint64_t hour = ls_now_ns() + 3600 * 1000 * (uint64_t)MS, x = 7;
    for (int i = 0; i < N; i++) {
        x = x * 6364136223846793005u + 1442695040888963407u;
        w[i].id = i;
        assert_true(ls_timer_arm(&t, &w[i].wakeup, hour + (x >> 33) % (100 * MS), note));
    }
    ls_timer_stop(&t);
    assert_int_equal(fired_count(), N);
    for (int i = 1; i < N; i++) {
        const ls_wakeup *a = &w[fired[i - 1]].wakeup, *b = &w[fired[i]].wakeup;
        assert_true(a->when_ns < b->when_ns || (a->when_ns == b->when_ns && a->seq < b->seq));
    }
    ls_timer_destroy(&t);
    free(w);
}

static void test_stop_fires_the_rest_early_and_refuses_more(void **state)
{
    (void)state;
    ls_timer t;
    assert_int_equal(ls_timer_start(&t), 0);
    noted w[3] = {{.id = 0}, {.id = 1}, {.id = 2}};
    uint64_t now = ls_now_ns();
    for (int i = 0; i < 3; i++)
        assert_true(ls_timer_arm(&t, &w[i].wakeup, now + (uint64_t)(60 - i) * 1000 * MS, note));
    assert_false(ls_timer_stopping(&t));
    ls_timer_stop(&t);
    assert_int_equal(fired_count(), 3);
    assert_int_equal(fired[0], 2);
    assert_true(ls_timer_stopping(&t));
    noted late = {.id = 9};
    assert_false(ls_timer_arm(&t, &late.wakeup, now, note));
    ls_timer_destroy(&t);
    assert_int_equal(fired_count(), 3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_fires_in_time_order_and_not_early, clear_log),
        cmocka_unit_test_setup(test_equal_times_fire_in_arming_order, clear_log),
        cmocka_unit_test_setup(test_many_wakeups_come_out_sorted, clear_log),
        cmocka_unit_test_setup(test_stop_fires_the_rest_early_and_refuses_more, clear_log),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
