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
    assert_int_equal(lanes.n_lanes, 5); /* main, the divider of "gather", 3 fetches */
    assert_false(lanes.grouped);
    assert_string_equal(tv_lane_task(&lanes, &lanes.lanes[0])->name, "main");
    assert_int_equal(lanes.lanes[0].depth, 0);
    assert_true(lanes.lanes[1].divider);
    assert_string_equal(m->sections[lanes.lanes[1].section].name, "gather");
    assert_int_equal(lanes.lanes[1].count, 0);
    assert_int_equal(lanes.lanes[2].depth, 1);
    assert_false(lanes.lanes[2].last_sibling);
    assert_true(lanes.lanes[4].last_sibling);
    assert_int_equal(tv_lanes_find(&lanes, 4), 4);
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
    assert_int_equal(lanes.n_lanes, 7); /* main, a divider, five tasks */
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
    /* At 0.5 s half the fetches are done, a few of them failed: no lane
     * mixes fates, however they interleave in the tree. */
    size_t total = 0;
    for (size_t i = 0; i < lanes.n_lanes; i++) {
        const tv_lane *lane = &lanes.lanes[i];
        total += lane->count;
        for (size_t k = lane->first; k < lane->first + lane->count; k++) {
            const tv_outcome *first = &lanes.tasks[lane->first]->outcome;
            const tv_outcome *o = &lanes.tasks[k]->outcome;
            tv_outcome_kind a = first->t <= SECONDS(0.5) ? first->kind : TV_OUTCOME_NONE;
            tv_outcome_kind b = o->t <= SECONDS(0.5) ? o->kind : TV_OUTCOME_NONE;
            assert_int_equal(a, b);
        }
    }
    assert_int_equal(total, 1001);
    assert_int_not_equal(tv_lanes_find(&lanes, 500), SIZE_MAX);

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

/* Two sections of the same fetches: never one lane, and a divider each. */
static void test_sections_are_never_grouped_together(void **state)
{
    (void)state;
    char trace[16384] = "{'t':0,'ev':'spawn','task':1,'name':'main','parent':0}\n";
    int id = 2;
    for (int section = 0; section < 2; section++) {
        char line[200];
        snprintf(line, sizeof line, "{'t':%d,'ev':'mark','text':'section part-%d'}\n",
                 section, section);
        strcat(trace, line);
        for (int f = 0; f < 10; f++) {
            snprintf(line, sizeof line,
                     "{'t':%d,'ev':'spawn','task':%d,'name':'fetch-%d','parent':1}\n"
                     "{'t':%d.5,'ev':'done','task':%d,'outcome':'ok','value':0}\n",
                     section, id, f, section, id);
            strcat(trace, line);
            id++;
        }
        snprintf(line, sizeof line, "{'t':%d.5,'ev':'mark','text':'section-end part-%d'}\n",
                 section, section);
        strcat(trace, line);
    }
    tv_model *m = load_trace(trace);
    tv_lanes lanes = {0};
    /* 21 tasks, 2 dividers, 6 rows: 3 rows of groups for 20 fetches, which
     * would straddle the sections if sections did not matter. */
    tv_lanes_build(&lanes, m, SECONDS(2), 6, true);
    assert_int_equal(lanes.n_dividers, 2);
    assert_int_equal(lanes.n_lanes, 6); /* main, divider, 2 groups, divider, 1 group */
    assert_true(lanes.lanes[1].divider && lanes.lanes[4].divider);
    assert_string_equal(m->sections[lanes.lanes[4].section].name, "part-1");
    for (size_t i = 0; i < lanes.n_lanes; i++) {
        const tv_lane *lane = &lanes.lanes[i];
        for (size_t k = lane->first; k < lane->first + lane->count; k++)
            assert_int_equal(lanes.sections[k], lane->section);
    }
    /* s jumps from main to part-0's first lane, then to part-1's, then back. */
    assert_int_equal(tv_lanes_next_section(&lanes, 0), 2);
    assert_int_equal(tv_lanes_next_section(&lanes, 2), 5);
    assert_int_equal(tv_lanes_next_section(&lanes, 5), 2);
    assert_int_equal(lanes.lanes[5].count, 10);
    tv_lanes_free(&lanes);
    tv_model_free(m);
}

/*
 * Names group when they differ only in a final number.  The stems here are
 * "fetch-" (fetch-3, fetch-12, and fetch- with no number), "fetch-x" and
 * "" (12 and 7): three runs, in 3 rows one lane each.
 */
static void test_names_group_by_their_stem(void **state)
{
    (void)state;
    static const char *const names[] = {"fetch-3", "fetch-12", "fetch-", "fetch-x1",
                                         "fetch-x2", "12", "7"};
    char trace[4096] = "{'t':0,'ev':'spawn','task':1,'name':'main','parent':0}\n";
    for (int i = 0; i < 7; i++) {
        char line[200];
        snprintf(line, sizeof line, "{'t':0,'ev':'spawn','task':%d,'name':'%s','parent':1}\n",
                 i + 2, names[i]);
        strcat(trace, line);
    }
    tv_model *m = load_trace(trace);
    tv_lanes lanes = {0};
    assert_int_equal(tv_lanes_build(&lanes, m, 0, 3, true), 0);
    assert_int_equal(lanes.n_lanes, 4); /* main, then one lane per stem */
    assert_int_equal(lanes.lanes[1].count, 3);
    assert_int_equal(lanes.lanes[2].count, 2);
    assert_int_equal(lanes.lanes[3].count, 2);
    assert_string_equal(tv_lane_task(&lanes, &lanes.lanes[2])->name, "fetch-x1");
    tv_lanes_free(&lanes);
    tv_model_free(m);
}

/*
 * A live view builds the lanes every frame.  Names never change, so only
 * the names of new neighbours are compared: none in a frame where no task
 * was spawned.
 */
static void test_names_are_compared_once_per_pair_of_neighbours(void **state)
{
    (void)state;
    char *trace = many_tasks_trace(1000);
    tv_model *m = load_trace(trace);
    free(trace);
    tv_lanes lanes = {0};
    assert_int_equal(tv_lanes_build(&lanes, m, SECONDS(0.25), 25, true), 0);
    assert_int_equal(lanes.names_compared, 999); /* fetch-0 .. fetch-999, in pairs */
    size_t n_lanes = lanes.n_lanes, count0 = lanes.lanes[1].count;

    /* The next frame: the same tasks, later; fates have changed, names not. */
    assert_int_equal(tv_lanes_build(&lanes, m, SECONDS(0.55), 25, true), 0);
    assert_int_equal(lanes.names_compared, 0);
    assert_true(lanes.lanes[1].count != count0 || lanes.n_lanes != n_lanes);

    /* Built from nothing, the lanes are the same as those built from memory. */
    tv_lanes fresh = {0};
    assert_int_equal(tv_lanes_build(&fresh, m, SECONDS(0.55), 25, true), 0);
    assert_int_equal(fresh.n_lanes, lanes.n_lanes);
    for (size_t i = 0; i < fresh.n_lanes; i++) {
        assert_int_equal(fresh.lanes[i].count, lanes.lanes[i].count);
        assert_int_equal(tv_lane_task(&fresh, &fresh.lanes[i])->id,
                         tv_lane_task(&lanes, &lanes.lanes[i])->id);
    }
    tv_lanes_free(&fresh);
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
        cmocka_unit_test(test_sections_are_never_grouped_together),
        cmocka_unit_test(test_names_group_by_their_stem),
        cmocka_unit_test(test_names_are_compared_once_per_pair_of_neighbours),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
