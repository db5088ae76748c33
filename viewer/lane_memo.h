/*
 * lane_memo.h -- remembering the finished part of a lane between frames.
 *
 * Sampling a lane (lane_sample.h) adds up every interval of its tasks that
 * falls in the window, and a live view does that for every lane, 25 times
 * a second.  But a trace only grows at its end: an interval that ended
 * before the last event seen can never change, so the columns of the axis
 * that end before it -- and before the playhead -- are the same in the next
 * frame, and the one after.  A memo keeps those columns' sums, and each
 * frame samples only the columns still moving: with a thousand live tasks
 * the work per frame no longer grows with how long the run has lasted.
 *
 * A memo belongs to one lane on one axis.  When the lane stands for other
 * tasks, the axis changes (a zoom, the ruler's next step), or the playhead
 * goes back before what was kept, the memo starts over.
 */
#ifndef TV_LANE_MEMO_H
#define TV_LANE_MEMO_H

#include "lane_sample.h"
#include "time_axis.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct tv_lane_memo {
    uint32_t first_id, last_id; /* the lane's tasks                          */
    size_t count;
    tv_axis axis;
    int stable;                 /* columns [0, stable) are final ...         */
    tv_time bound;              /* ... as they end by this time              */
    tv_spent *spent;            /* their sums (axis.width entries)           */
    int capacity;
} tv_lane_memo;

/*
 * Fills spent[0 .. axis->width) with the time the `count` tasks spent in
 * each activity, counting only time before `until`, using and updating the
 * memo.  `settled` is the model's last_event: nothing before it changes.
 * Returns 0, or -1 when out of memory (spent is filled all the same).
 */
int tv_lane_memo_sample(tv_lane_memo *memo, const tv_task *const *tasks, size_t count,
                        const tv_axis *axis, tv_time until, tv_time settled,
                        tv_spent *spent);

/* Frees the memo's sums. */
void tv_lane_memo_free(tv_lane_memo *memo);

#ifdef __cplusplus
}
#endif

#endif /* TV_LANE_MEMO_H */
