/*
 * test_lanes.c -- which lanes the live timeline shows, and how many tasks
 * each stands for.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "lanes.h"
#include "screen_fixtures.h"

#define SECONDS(s) ((tv_time)((s) * TV_USEC_PER_SEC + 0.5))

static void test_one_lane_per_task_when_they_fit(void **state)
{
    (void)state;
    tv_model *m = load_trace(GATHER_TRACE);
    tv_lanes lanes = {0};
    assert_int_equal(tv_lanes_build(&lanes, m, SECONDS(0.3), 10, true), 0);
    assert_int_equal(lanes.n_lanes, 4);
    assert_false(lanes.grouped);
    assert_string_equal(tv_lane_task(&lanes, &lanes.lanes[0])->name, "main");
    assert_int_equal(lanes.lanes[0].depth, 0);
    assert_int_equal(lanes.lanes[1].depth, 1);
    assert_false(lanes.lanes[1].last_sibling);
    assert_true(lanes.lanes[3].last_sibling);
    assert_int_equal(tv_lanes_find(&lanes, 4), 3);
    assert_int_equal(tv_lanes_find(&lanes, 99), SIZE_MAX);
    tv_lanes_free(&lanes);
    tv_model_free(m);
}

static void test_tasks_appear_when_spawned(void **state)
{
    (void)state;
    tv_model *m = load_trace(RESOURCE_TRACE);
    tv_lanes lanes = {0};
    tv_lanes_build(&lanes, m, SECONDS(0.001), 10, true);
    assert_int_equal(lanes.n_lanes, 1); /* only main, so far */
    tv_lanes_build(&lanes, m, SECONDS(0.002), 10, true);
    assert_int_equal(lanes.n_lanes, 6);
    tv_lanes_free(&lanes);
    tv_model_free(m);
}

static void test_many_siblings_are_grouped_to_fit(void **state)
{
    (void)state;
    char *trace = many_tasks_trace(1000);
    tv_model *m = load_trace(trace);
    free(trace);
    tv_lanes lanes = {0};
    assert_int_equal(tv_lanes_build(&lanes, m, SECONDS(0.5), 25, true), 0);
    assert_true(lanes.grouped);
    assert_int_equal(lanes.n_lanes, 25);
    assert_int_equal(lanes.lanes[0].count, 1); /* main stays itself */
    size_t total = 0;
    for (size_t i = 0; i < lanes.n_lanes; i++) {
        total += lanes.lanes[i].count;
        if (i > 0) /* 1000 fetches shared by 24 rows: 41 or 42 each */
            assert_true(lanes.lanes[i].count == 41 || lanes.lanes[i].count == 42);
    }
    assert_int_equal(total, 1001);
    assert_int_equal(tv_lanes_find(&lanes, 500), 12);

    /* Asked not to group, there is a lane per task, to scroll through. */
    tv_lanes_build(&lanes, m, SECONDS(0.5), 25, false);
    assert_int_equal(lanes.n_lanes, 1001);
    assert_false(lanes.grouped);
    tv_lanes_free(&lanes);
    tv_model_free(m);
}

static void test_parents_are_never_grouped(void **state)
{
    (void)state;
    /* main -> 3 workers, each with 4 children: 16 tasks in 8 rows. */
    char trace[8192] = "{'t':0,'ev':'spawn','task':1,'name':'main','parent':0}\n";
    int id = 2;
    for (int w = 0; w < 3; w++) {
        int worker = id++;
        char line[200];
        snprintf(line, sizeof line,
                 "{'t':0,'ev':'spawn','task':%d,'name':'worker-%d','parent':1}\n", worker, w);
        strcat(trace, line);
        for (int c = 0; c < 4; c++) {
            snprintf(line, sizeof line,
                     "{'t':0,'ev':'spawn','task':%d,'name':'job-%d','parent':%d}\n", id++, c,
                     worker);
            strcat(trace, line);
        }
    }
    tv_model *m = load_trace(trace);
    tv_lanes lanes = {0};
    tv_lanes_build(&lanes, m, 0, 8, true);
    assert_int_equal(lanes.n_lanes, 8); /* main, 3 workers, 4 groups of jobs */
    int groups = 0;
    for (size_t i = 0; i < lanes.n_lanes; i++) {
        const tv_task *first = tv_lane_task(&lanes, &lanes.lanes[i]);
        if (strncmp(first->name, "worker", 6) == 0 || strcmp(first->name, "main") == 0)
            assert_int_equal(lanes.lanes[i].count, 1);
        groups += lanes.lanes[i].count > 1;
    }
    assert_true(groups >= 3);
    /* Too few rows for even a row per run: each run becomes one lane. */
    tv_lanes_build(&lanes, m, 0, 3, true);
    assert_int_equal(lanes.n_lanes, 7);
    tv_lanes_free(&lanes);
    tv_model_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_one_lane_per_task_when_they_fit),
        cmocka_unit_test(test_tasks_appear_when_spawned),
        cmocka_unit_test(test_many_siblings_are_grouped_to_fit),
        cmocka_unit_test(test_parents_are_never_grouped),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
