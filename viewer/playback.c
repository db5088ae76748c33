/*
 * playback.c -- the playhead's clock.
 */
#include "playback.h"

#include <math.h>

static const double speeds[] = {0.1, 0.2, 0.5, 1, 2, 5, 10};
#define N_SPEEDS (int)(sizeof speeds / sizeof speeds[0])

static double clamp_speed(double speed)
{
    return speed < TV_SPEED_MIN ? TV_SPEED_MIN : speed > TV_SPEED_MAX ? TV_SPEED_MAX : speed;
}

tv_playback tv_playback_new(double speed)
{
    return (tv_playback){.speed = clamp_speed(speed > 0 ? speed : 1)};
}

void tv_playback_start(tv_playback *pb, int64_t now_ns, bool follow_clock)
{
    pb->started = true;
    pb->follow_clock = follow_clock;
    pb->origin_ns = now_ns;
    pb->last_ns = now_ns;
    if (follow_clock)
        pb->speed = 1;
}

static tv_time clamp_time(tv_time t, tv_time high)
{
    return t < 0 ? 0 : t > high ? high : t;
}

tv_time tv_playback_tick(tv_playback *pb, int64_t now_ns, tv_time known, bool complete)
{
    int64_t elapsed_ns = now_ns - pb->last_ns;
    pb->last_ns = now_ns;
    if (!pb->started || pb->paused)
        return pb->position;
    if (pb->follow_clock) {
        /* The present; once the program is gone, no further than its end. */
        tv_time now = (now_ns - pb->origin_ns) / 1000;
        pb->position = complete ? clamp_time(now, known) : (now > known ? now : known);
        return pb->position;
    }
    tv_time step = (tv_time)llround((double)elapsed_ns * pb->speed / 1000.0);
    pb->position = clamp_time(pb->position + step, known);
    return pb->position;
}

void tv_playback_toggle(tv_playback *pb, int64_t now_ns)
{
    pb->paused = !pb->paused;
    pb->last_ns = now_ns; /* time spent paused does not move the playhead */
}

void tv_playback_scrub(tv_playback *pb, tv_time delta, tv_time known)
{
    /* Following the clock, the playhead may be past the last event. */
    tv_time high = known > pb->position ? known : pb->position;
    pb->position = clamp_time(pb->position + delta, high);
    if (pb->follow_clock)
        pb->paused = true;
}

bool tv_playback_change_speed(tv_playback *pb, int steps)
{
    if (pb->follow_clock)
        return false;
    int nearest = 0; /* the ladder's rung closest to the speed now */
    for (int i = 1; i < N_SPEEDS; i++)
        if (fabs(log(speeds[i] / pb->speed)) < fabs(log(speeds[nearest] / pb->speed)))
            nearest = i;
    int next = nearest + steps;
    next = next < 0 ? 0 : next >= N_SPEEDS ? N_SPEEDS - 1 : next;
    pb->speed = speeds[next];
    return true;
}

void tv_playback_rewind(tv_playback *pb, int64_t now_ns)
{
    pb->position = 0;
    pb->last_ns = now_ns;
}

bool tv_playback_at_end(const tv_playback *pb, tv_time known, bool complete)
{
    return complete && pb->position >= known;
}
