/*
 * playback.h -- where the playhead is, and how it moves.
 *
 * The viewer shows a run at one moment, the playhead.  How that moment moves
 * depends on what is watched:
 *
 *   - a live run on the real clock: the playhead is the present -- the time
 *     since the run started, by the wall clock -- so bars grow while tasks
 *     sleep, between events.  Speed is always 1x: the program sets the pace.
 *   - a live run on the virtual clock, or any replay: the playhead moves at
 *     `speed` times real time through what the trace holds so far, and
 *     waits at its end for more (a virtual run is over in microseconds; this
 *     is what makes it watchable).
 *
 * Pausing freezes the playhead; scrubbing moves it by hand (and pauses a
 * live run, since the present cannot be scrubbed).  Going on after a pause
 * returns a live run to the present.
 *
 * Times in nanoseconds (`now_ns`) are the viewer's own monotonic clock;
 * playhead times are the trace's microseconds.
 */
#ifndef TV_PLAYBACK_H
#define TV_PLAYBACK_H

#include <stdbool.h>
#include <stdint.h>

#include "trace_model.h"

#ifdef __cplusplus
extern "C" {
#endif

#define TV_SPEED_MIN 0.1
#define TV_SPEED_MAX 10.0

typedef struct tv_playback {
    tv_time position;   /* the playhead                                   */
    double speed;       /* times real time, TV_SPEED_MIN .. TV_SPEED_MAX  */
    bool paused;
    bool follow_clock;  /* live on the real clock: the playhead is now    */
    bool started;       /* the trace has begun: the clock runs            */
    int64_t origin_ns;  /* follow_clock: when the trace's t = 0 was        */
    int64_t last_ns;    /* the previous tick                              */
} tv_playback;

/* A playback at 0, not started, at `speed` (clamped). */
tv_playback tv_playback_new(double speed);

/*
 * Starts the clock at now_ns, the moment the trace's first line arrived (so
 * t = 0 of a live run is about now); `follow_clock` as described above.
 */
void tv_playback_start(tv_playback *pb, int64_t now_ns, bool follow_clock);

/*
 * Moves the playhead to what it should be at now_ns.  `known` is the latest
 * time the trace has reached; `complete` says the trace has ended, so the
 * playhead stops at `known`.  Returns the playhead.
 */
tv_time tv_playback_tick(tv_playback *pb, int64_t now_ns, tv_time known, bool complete);

/* Pauses, or goes on (a live run goes back to the present). */
void tv_playback_toggle(tv_playback *pb, int64_t now_ns);

/* Moves the playhead by `delta` within [0, known] (or the playhead, if later);
 * pauses a live run. */
void tv_playback_scrub(tv_playback *pb, tv_time delta, tv_time known);

/*
 * One step faster (steps > 0) or slower (< 0) on the ladder 0.1, 0.2, 0.5,
 * 1, 2, 5, 10.  Returns false, changing nothing, when the speed is fixed
 * (follow_clock).
 */
bool tv_playback_change_speed(tv_playback *pb, int steps);

/* Back to the start, paused or not as before: a replay played again. */
void tv_playback_rewind(tv_playback *pb, int64_t now_ns);

/* Whether the playhead is at the end of a trace that has ended. */
bool tv_playback_at_end(const tv_playback *pb, tv_time known, bool complete);

#ifdef __cplusplus
}
#endif

#endif /* TV_PLAYBACK_H */
