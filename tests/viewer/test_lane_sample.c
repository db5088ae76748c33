/*
 * test_lane_sample.c -- a task's time per column, however the axis divides.
 *
 * Sampling walks the columns a long stretch crosses by adding (lane_sample.c)
 * rather than working out each column's start from time_axis.h's formula.
 * Here the two must agree exactly, column by column, on axes whose span
 * does not divide by their width, that are narrower in time than in
 * columns, and that start late; and a task done before the time asked for
 * adds nothing.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "lane_sample.h"

#define MAX_WIDTH 200

/* A task that ran, slept long, ran again and finished at 900,050 us. */
static tv_interval finished_steps[] = {
    {.t0 = 0, .t1 = 5, .state = TV_STATE_READY},
    {.t0 = 5, .t1 = 20, .state = TV_STATE_RUNNING},
    {.t0 = 20, .t1 = 900000, .state = TV_STATE_WAITING, .wait = TV_WAIT_SLEEP},
    {.t0 = 900000, .t1 = 900001, .state = TV_STATE_READY},
    {.t0 = 900001, .t1 = 900050, .state = TV_STATE_RUNNING},
};

/* A task still waiting on a semaphore at the end of what is known. */
static tv_interval waiting_steps[] = {
    {.t0 = 3, .t1 = 7, .state = TV_STATE_RUNNING},
    {.t0 = 7, .t1 = 12000000, .state = TV_STATE_WAITING, .wait = TV_WAIT_OTHER,
     .on = "semaphore"},
};

static const tv_task finished = {
    .id = 2, .name = "fetch-0", .parent = 1, .depth = 1, .spawned = 0,
    .intervals = finished_steps, .n_intervals = 5,
    .outcome = {.kind = TV_OUTCOME_OK, .t = 900050}};

static const tv_task waiting = {
    .id = 3, .name = "fetch-1", .parent = 1, .depth = 1, .spawned = 3,
    .intervals = waiting_steps, .n_intervals = 2};

/* What tv_lane_add_spent_since() must add: each column's overlap, by formula. */
static void expected_spent(const tv_task *task, const tv_axis *axis, tv_time from,
                           tv_time until, tv_spent *spent)
{
    for (int column = 0; column < axis->width; column++) {
        tv_time lo = tv_axis_slice_start(axis, column);
        tv_time hi = tv_axis_slice_start(axis, column + 1);
        lo = lo > from ? lo : from;
        hi = hi < until ? hi : until;
        for (size_t i = 0; i < task->n_intervals; i++) {
            const tv_interval *in = &task->intervals[i];
            tv_time start = in->t0 > lo ? in->t0 : lo, stop = in->t1 < hi ? in->t1 : hi;
            if (start < stop)
                spent[column][tv_activity_of(in)] += stop - start;
        }
    }
}

static void check_axis(const tv_task *task, tv_axis axis, tv_time from, tv_time until)
{
    tv_spent got[MAX_WIDTH + 1], want[MAX_WIDTH + 1];
    memset(got, 0, sizeof got);
    memset(want, 0, sizeof want);
    tv_lane_add_spent_since(task, &axis, from, until, got);
    expected_spent(task, &axis, from, until, want);
    for (int column = 0; column <= axis.width; column++)
        for (int a = 0; a < TV_N_ACTIVITIES; a++)
            if (got[column][a] != want[column][a])
                fail_msg("task %u, axis t0 %lld span %lld width %d, from %lld until %lld: "
                         "column %d activity %d has %lld, not %lld",
                         task->id, (long long)axis.t0, (long long)axis.span, axis.width,
                         (long long)from, (long long)until, column, a,
                         (long long)got[column][a], (long long)want[column][a]);
}

static void test_columns_agree_with_the_axis_formula(void **state)
{
    (void)state;
    const tv_axis axes[] = {
        {.t0 = 0, .span = 1000003, .width = 7},     /* span % width != 0   */
        {.t0 = 0, .span = 12000000, .width = 143},
        {.t0 = 250, .span = 999999, .width = 150},  /* starts late         */
        {.t0 = 10, .span = 97, .width = 150},       /* fewer us than columns */
        {.t0 = 0, .span = 199, .width = 200},
    };
    const tv_task *tasks[] = {&finished, &waiting};
    const tv_time untils[] = {6, 450001, 900025, 12000000};
    for (size_t a = 0; a < sizeof axes / sizeof *axes; a++)
        for (size_t t = 0; t < 2; t++)
            for (size_t u = 0; u < sizeof untils / sizeof *untils; u++) {
                tv_time end = axes[a].t0 + axes[a].span;
                tv_time until = untils[u] < end ? untils[u] : end;
                check_axis(tasks[t], axes[a], axes[a].t0, until);
                check_axis(tasks[t], axes[a], axes[a].t0 + axes[a].span / 3, until);
            }
}

/* From its finish on, a done task has no time to add, and adds none. */
static void test_a_task_done_before_adds_nothing(void **state)
{
    (void)state;
    tv_axis axis = {.t0 = 0, .span = 2000000, .width = 100};
    tv_spent spent[101];
    memset(spent, 0, sizeof spent);
    tv_lane_add_spent_since(&finished, &axis, 900050, 2000000, spent);
    for (int column = 0; column <= 100; column++)
        for (int a = 0; a < TV_N_ACTIVITIES; a++)
            assert_int_equal(spent[column][a], 0);
    check_axis(&finished, axis, 900049, 2000000); /* its last microsecond counts */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_columns_agree_with_the_axis_formula),
        cmocka_unit_test(test_a_task_done_before_adds_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
