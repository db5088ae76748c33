/*
 * test_screen.c -- the live viewer's screen, compared with golden screens.
 *
 * Each test loads a trace, sets up a view by hand (where the playhead is,
 * which lane is selected, what is open), renders it into a grid of a given
 * size and compares the grid with a golden screen (golden_screen.h).  No
 * terminal is involved: this is the layout and the model at work, exactly.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cmocka.h>

#include "golden_screen.h"
#include "screen.h"
#include "screen_fixtures.h"

#define SECONDS(s) ((tv_time)((s) * TV_USEC_PER_SEC + 0.5))

/* A view as the viewer starts one, at `playhead`. */
static tv_view view_at(double playhead, bool utf8)
{
    return (tv_view){.title = "chapter 99 \xc2\xb7 Test", .utf8 = utf8,
                     .playhead = SECONDS(playhead), .speed = 1, .source_state = "running"};
}

/* Renders and compares with the golden screen `name`. */
static void check(const char *name, const tv_model *model, tv_view *view, int width,
                  int height)
{
    tv_grid *grid = tv_grid_new(width, height);
    tv_lanes lanes = {0};
    assert_non_null(grid);
    assert_int_equal(tv_screen_render(grid, model, view, &lanes), 0);
    bool same = matches_golden(grid, name);
    tv_lanes_free(&lanes);
    tv_grid_free(grid);
    assert_true(same);
}

/* ----------------------------------------------------------------------- */
/* One run, at several moments                                              */
/* ----------------------------------------------------------------------- */

static void test_gather_half_way(void **state)
{
    (void)state;
    tv_model *m = load_trace(GATHER_TRACE);
    tv_view view = view_at(0.25, true);
    view.knobs = "[ ] delay=0.5   { } n=3";
    check("gather_half_way", m, &view, 100, 24);
    tv_model_free(m);
}

static void test_gather_finished_ascii(void **state)
{
    (void)state;
    tv_model *m = load_trace(GATHER_TRACE);
    tv_view view = view_at(0.6, false);
    view.at_end = true;
    view.replay = true;
    view.source_state = "exited 0";
    view.selected = 4;
    check("gather_finished_ascii", m, &view, 80, 20);
    tv_model_free(m);
}

static void test_paused_and_zoomed(void **state)
{
    (void)state;
    tv_model *m = load_trace(GATHER_TRACE);
    tv_view view = view_at(0.5, true);
    view.paused = true;
    view.zoom = 2;
    view.speed = 0.5;
    check("gather_paused_zoomed", m, &view, 80, 18);
    tv_model_free(m);
}

static void test_details_of_a_failed_task(void **state)
{
    (void)state;
    tv_model *m = load_trace(GATHER_TRACE);
    tv_view view = view_at(0.6, true);
    view.selected = 4;
    view.details = true;
    check("gather_details", m, &view, 100, 24);
    tv_model_free(m);
}

static void test_help(void **state)
{
    (void)state;
    tv_model *m = load_trace(GATHER_TRACE);
    tv_view view = view_at(0.6, true);
    view.help = true;
    view.knobs = "[ ] delay=0.5";
    view.chapters = true;
    check("help", m, &view, 100, 30);
    tv_model_free(m);
}

/* ----------------------------------------------------------------------- */
/* Resources, slow steps, problems                                          */
/* ----------------------------------------------------------------------- */

static void test_resources_while_waiting(void **state)
{
    (void)state;
    tv_model *m = load_trace(RESOURCE_TRACE);
    assert_int_equal(m->n_diagnostics, 0);
    tv_view view = view_at(0.35, true);
    check("resources_waiting", m, &view, 120, 30);
    view.playhead = SECONDS(0.65);
    check("resources_later", m, &view, 120, 30);
    tv_model_free(m);
}

/* The task table, sorted by time waiting, and a projector's side panel. */
static void test_task_table_and_side_panel(void **state)
{
    (void)state;
    tv_model *m = load_trace(RESOURCE_TRACE);
    tv_view view = view_at(0.35, true);
    view.table = true;
    view.sort = TV_SORT_WAITING;
    check("task_table", m, &view, 120, 30);
    view.table = false;
    check("side_panel", m, &view, 200, 40);
    tv_model_free(m);
}

static void test_resources_in_ascii(void **state)
{
    (void)state;
    tv_model *m = load_trace(RESOURCE_TRACE);
    tv_view view = view_at(0.65, false);
    view.selected = 4;
    view.details = true;
    check("resources_ascii_details", m, &view, 100, 28);
    tv_model_free(m);
}

static void test_a_crash_and_bad_lines(void **state)
{
    (void)state;
    tv_model *m = load_trace(CRASH_TRACE);
    assert_int_equal(m->n_diagnostics, 3);
    tv_view view = view_at(0.3, true);
    view.source_state = "crashed: Segmentation fault";
    view.source_failed = true;
    check("crash", m, &view, 90, 20);
    tv_model_free(m);
}

/* ----------------------------------------------------------------------- */
/* Sizes                                                                    */
/* ----------------------------------------------------------------------- */

static void test_too_small(void **state)
{
    (void)state;
    tv_model *m = load_trace(GATHER_TRACE);
    tv_view view = view_at(0.3, true);
    check("too_small", m, &view, 50, 12);
    tv_model_free(m);
}

static void test_smallest_that_fits(void **state)
{
    (void)state;
    tv_model *m = load_trace(GATHER_TRACE);
    tv_view view = view_at(0.3, true);
    check("smallest", m, &view, TV_SCREEN_MIN_WIDTH, TV_SCREEN_MIN_HEIGHT);
    tv_model_free(m);
}

static void test_a_thousand_tasks_are_grouped(void **state)
{
    (void)state;
    char *trace = many_tasks_trace(1000);
    tv_model *m = load_trace(trace);
    free(trace);
    assert_int_equal(m->n_tasks, 1001);
    tv_view view = view_at(0.55, true);
    check("many_grouped", m, &view, 100, 30);
    tv_model_free(m);
}

static void test_a_thousand_tasks_scroll(void **state)
{
    (void)state;
    char *trace = many_tasks_trace(1000);
    tv_model *m = load_trace(trace);
    free(trace);
    tv_view view = view_at(0.55, false);
    view.ungrouped = true;
    view.selected = 500;
    check("many_scrolled", m, &view, 100, 30);
    tv_model_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_gather_half_way),
        cmocka_unit_test(test_gather_finished_ascii),
        cmocka_unit_test(test_paused_and_zoomed),
        cmocka_unit_test(test_details_of_a_failed_task),
        cmocka_unit_test(test_help),
        cmocka_unit_test(test_resources_while_waiting),
        cmocka_unit_test(test_task_table_and_side_panel),
        cmocka_unit_test(test_resources_in_ascii),
        cmocka_unit_test(test_a_crash_and_bad_lines),
        cmocka_unit_test(test_too_small),
        cmocka_unit_test(test_smallest_that_fits),
        cmocka_unit_test(test_a_thousand_tasks_are_grouped),
        cmocka_unit_test(test_a_thousand_tasks_scroll),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
