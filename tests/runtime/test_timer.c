/*
 * test_timer.c -- the timer heap and its sorted run, against a model.
 *
 * timer.c keeps timers armed in deadline order in a FIFO run and the rest in
 * a heap.  Whichever holds a timer, the next to fire must be the earliest by
 * (deadline, arming order).  These tests drive timer.c directly with a
 * scripted mix of in-order arms (the run), out-of-order arms (the heap),
 * re-arms and disarms, and check every firing against a sort of what is
 * armed.  A timer that falls due is queued in the ready queue and fires in
 * its turn, so the tests yield once to let the due timers fire.
 */
#include "runtime_test.h"

#include "internal.h"

enum { TIMERS = 400, STEPS = 4000 };

static struct {
    aw__timer timers[TIMERS];
    int fired[TIMERS * 2];
    int fired_count;
} fixture;

static void record_firing(aw__timer *timer)
{
    fixture.fired[fixture.fired_count++] = (int)(timer - fixture.timers);
}

/* Earlier by (deadline, seq): the order timers must fire in. */
static int by_deadline_then_seq(const void *a, const void *b)
{
    const aw__timer *x = &fixture.timers[*(const int *)a];
    const aw__timer *y = &fixture.timers[*(const int *)b];
    if (x->deadline_ns != y->deadline_ns)
        return x->deadline_ns < y->deadline_ns ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* The armed timers due by `now_ns`, in the order they must fire. */
static int model_due(int64_t now_ns, int *order)
{
    int count = 0;
    for (int i = 0; i < TIMERS; i++)
        if (aw__timer_armed(&fixture.timers[i]) && fixture.timers[i].deadline_ns <= now_ns)
            order[count++] = i;
    qsort(order, (size_t)count, sizeof *order, by_deadline_then_seq);
    return count;
}

/* Queues the timers due by `now_ns`, then yields: they fire before we run. */
static void fire_due(int64_t now_ns)
{
    aw__timers_fire_due(now_ns);
    assert_int_equal(fixture.fired_count, 0);
    assert_int_equal(aw_yield(), AW_OK);
}

/* A small deterministic generator, so a failure replays exactly. */
static uint32_t next_random(uint32_t *state)
{
    *state = *state * 1103515245u + 12345u;
    return *state >> 8;
}

/* Fires what is due by `now_ns` and checks it against the model. */
static void fire_and_check(int64_t now_ns)
{
    int expected[TIMERS];
    int count = model_due(now_ns, expected);
    int all[TIMERS];
    int armed = model_due(INT64_MAX, all);
    int64_t next = aw__timer_next_deadline();
    if (armed == 0)
        assert_true(next == INT64_MAX);
    else
        assert_true(next == fixture.timers[all[0]].deadline_ns);

    fixture.fired_count = 0;
    fire_due(now_ns);
    assert_int_equal(fixture.fired_count, count);
    for (int i = 0; i < count; i++)
        assert_int_equal(fixture.fired[i], expected[i]);
}

static int scripted_timers(void *arg, intptr_t *result)
{
    (void)result;
    uint32_t seed = (uint32_t)(uintptr_t)arg;
    memset(&fixture, 0, sizeof fixture);
    for (int i = 0; i < TIMERS; i++) {
        fixture.timers[i].heap_index = SIZE_MAX;
        fixture.timers[i].fire = record_firing;
    }
    int64_t clock_ns = 0, rising_ns = 0;
    for (int step = 0; step < STEPS; step++) {
        aw__timer *t = &fixture.timers[next_random(&seed) % TIMERS];
        switch (next_random(&seed) % 6) {
        case 0: case 1: /* in deadline order: goes to the run */
            rising_ns += next_random(&seed) % 3; /* equal deadlines too */
            aw__timer_arm(t, clock_ns + rising_ns);
            break;
        case 2: case 3: /* anywhere: usually the heap */
            aw__timer_arm(t, clock_ns + (int64_t)(next_random(&seed) % 1000));
            break;
        case 4:
            aw__timer_disarm(t);
            break;
        case 5: /* time passes */
            clock_ns += next_random(&seed) % 50;
            fire_and_check(clock_ns);
            break;
        }
    }
    fire_and_check(INT64_MAX);
    return AW_OK;
}

static void test_timers_fire_in_deadline_then_arming_order(void **state)
{
    (void)state;
    for (uintptr_t seed = 1; seed <= 5; seed++)
        assert_int_equal(run_virtual(scripted_timers, (void *)seed, NULL), AW_OK);
}

/* Timers armed in order all take the run; one armed earlier goes to the
 * heap and still fires first. */
static int run_then_heap(void *arg, intptr_t *result)
{
    (void)arg;
    (void)result;
    memset(&fixture, 0, sizeof fixture);
    for (int i = 0; i < 4; i++) {
        fixture.timers[i].heap_index = SIZE_MAX;
        fixture.timers[i].fire = record_firing;
    }
    aw__timer_arm(&fixture.timers[0], 100);
    aw__timer_arm(&fixture.timers[1], 200);
    aw__timer_arm(&fixture.timers[2], 200);
    aw__timer_arm(&fixture.timers[3], 50);
    assert_true(aw__timer_next_deadline() == 50);
    aw__timer_disarm(&fixture.timers[1]);
    fire_due(1000);
    assert_int_equal(fixture.fired_count, 3);
    assert_int_equal(fixture.fired[0], 3);
    assert_int_equal(fixture.fired[1], 0);
    assert_int_equal(fixture.fired[2], 2);
    assert_true(aw__timer_next_deadline() == INT64_MAX);
    return AW_OK;
}

static void test_an_earlier_timer_overtakes_the_run(void **state)
{
    (void)state;
    assert_int_equal(run_virtual(run_then_heap, NULL, NULL), AW_OK);
}

int main(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_timers_fire_in_deadline_then_arming_order),
        cmocka_unit_test(test_an_earlier_timer_overtakes_the_run),
    };
    return cmocka_run_group_tests_name("timer", tests, NULL, NULL);
}
