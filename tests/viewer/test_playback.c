/*
 * test_playback.c -- the playhead's clock: speed, pause, scrubbing, and
 * following the real clock of a live run.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "playback.h"

#define MS(n) ((int64_t)(n) * 1000000)   /* the viewer's clock: ns  */
#define US_OF_MS(n) ((tv_time)(n) * 1000) /* the trace's time: us    */

static void test_nothing_moves_before_the_trace_starts(void **state)
{
    (void)state;
    tv_playback pb = tv_playback_new(1);
    assert_int_equal(tv_playback_tick(&pb, MS(500), US_OF_MS(900), false), 0);
}

static void test_replay_moves_at_its_speed_and_waits_for_data(void **state)
{
    (void)state;
    tv_playback pb = tv_playback_new(2);
    tv_playback_start(&pb, MS(1000), false);
    assert_int_equal(tv_playback_tick(&pb, MS(1100), US_OF_MS(5000), false), US_OF_MS(200));
    /* Only 300 ms of trace so far: the playhead waits there. */
    assert_int_equal(tv_playback_tick(&pb, MS(1300), US_OF_MS(300), false), US_OF_MS(300));
    assert_false(tv_playback_at_end(&pb, US_OF_MS(300), false));
    assert_true(tv_playback_at_end(&pb, US_OF_MS(300), true));
}

static void test_pause_holds_the_playhead(void **state)
{
    (void)state;
    tv_playback pb = tv_playback_new(1);
    tv_playback_start(&pb, 0, false);
    tv_playback_tick(&pb, MS(100), US_OF_MS(5000), false);
    tv_playback_toggle(&pb, MS(100));
    assert_int_equal(tv_playback_tick(&pb, MS(900), US_OF_MS(5000), false), US_OF_MS(100));
    tv_playback_toggle(&pb, MS(900)); /* the pause does not count */
    assert_int_equal(tv_playback_tick(&pb, MS(1000), US_OF_MS(5000), false), US_OF_MS(200));
}

static void test_speed_climbs_a_ladder(void **state)
{
    (void)state;
    tv_playback pb = tv_playback_new(1);
    double up[] = {2, 5, 10, 10};
    for (int i = 0; i < 4; i++) {
        assert_true(tv_playback_change_speed(&pb, +1));
        assert_true(pb.speed == up[i]);
    }
    pb = tv_playback_new(1);
    double down[] = {0.5, 0.2, 0.1, 0.1};
    for (int i = 0; i < 4; i++) {
        tv_playback_change_speed(&pb, -1);
        assert_true(pb.speed == down[i]);
    }
    assert_true(tv_playback_new(50).speed == TV_SPEED_MAX);
    assert_true(tv_playback_new(0.01).speed == TV_SPEED_MIN);
}

static void test_a_live_real_run_follows_the_clock(void **state)
{
    (void)state;
    tv_playback pb = tv_playback_new(5);
    tv_playback_start(&pb, MS(1000), true);
    assert_true(pb.speed == 1);
    assert_false(tv_playback_change_speed(&pb, +1));
    /* Between events time still passes: bars grow while tasks sleep. */
    assert_int_equal(tv_playback_tick(&pb, MS(1700), US_OF_MS(100), false), US_OF_MS(700));
    /* Scrubbing pauses it; going on goes back to the present. */
    tv_playback_scrub(&pb, -US_OF_MS(500), US_OF_MS(100));
    assert_true(pb.paused);
    assert_int_equal(pb.position, US_OF_MS(200));
    tv_playback_toggle(&pb, MS(2000));
    assert_int_equal(tv_playback_tick(&pb, MS(2000), US_OF_MS(100), false), US_OF_MS(1000));
    /* The program ended at 1.2 s: the playhead stops there. */
    assert_int_equal(tv_playback_tick(&pb, MS(3000), US_OF_MS(1200), true), US_OF_MS(1200));
}

static void test_scrub_stays_within_the_trace(void **state)
{
    (void)state;
    tv_playback pb = tv_playback_new(1);
    tv_playback_start(&pb, 0, false);
    tv_playback_scrub(&pb, US_OF_MS(300), US_OF_MS(200));
    assert_int_equal(pb.position, US_OF_MS(200));
    assert_false(pb.paused); /* a replay keeps playing from there */
    tv_playback_scrub(&pb, -US_OF_MS(900), US_OF_MS(200));
    assert_int_equal(pb.position, 0);
    tv_playback_scrub(&pb, US_OF_MS(50), US_OF_MS(200));
    tv_playback_rewind(&pb, MS(10));
    assert_int_equal(pb.position, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_nothing_moves_before_the_trace_starts),
        cmocka_unit_test(test_replay_moves_at_its_speed_and_waits_for_data),
        cmocka_unit_test(test_pause_holds_the_playhead),
        cmocka_unit_test(test_speed_climbs_a_ladder),
        cmocka_unit_test(test_a_live_real_run_follows_the_clock),
        cmocka_unit_test(test_scrub_stays_within_the_trace),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
