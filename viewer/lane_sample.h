/*
 * lane_sample.h -- what a task did, column by column.
 *
 * A lane of a timeline is one task drawn across an axis (time_axis.h).
 * Each column is a slice of time, and in a slice the task may have run,
 * slept and waited in turn; a renderer shows one thing per column, usually
 * what took most of it.  This file adds up, per column, how long the task
 * spent in each activity, and leaves the choice of glyph or colour to the
 * renderer: the text timeline, the live screen and the SVG export each have
 * their own look, but they all sample lanes here.
 */
#ifndef TV_LANE_SAMPLE_H
#define TV_LANE_SAMPLE_H

#include "time_axis.h"
#include "trace_model.h"

#ifdef __cplusplus
extern "C" {
#endif

/* What a stretch of a lane is drawn as.  On a tie the earlier one wins. */
typedef enum tv_activity {
    TV_ACT_RUNNING,
    TV_ACT_AWAIT,    /* awaiting a task or a gather                        */
    TV_ACT_SLEEP,
    TV_ACT_RESOURCE, /* waiting on a semaphore, lock, queue, event, ...    */
    TV_ACT_IO,       /* waiting on a thread, a subprocess, HTTP            */
    TV_ACT_READY,    /* ready to run, or yielded                           */
    TV_N_ACTIVITIES
} tv_activity;

/* Per column, microseconds spent in each activity (or class, see below). */
typedef tv_time tv_spent[TV_N_ACTIVITIES];

/*
 * The activity of an interval: a wait on a task, a gather, a group, wait()
 * or as_completed() is awaiting; on a thread, process or HTTP is I/O; on
 * anything else (a semaphore, lock, queue, event, condition, or a kind this
 * viewer does not know yet) it is a resource.
 */
tv_activity tv_activity_of(const tv_interval *interval);

/*
 * A renderer's own sorting of intervals into at most TV_N_ACTIVITIES
 * classes, when it draws coarser than tv_activity_of() -- the text timeline
 * has one glyph for every wait that is not on a task, a gather or a sleep.
 */
typedef int (*tv_classify_fn)(const tv_interval *interval);

/* "running", "sleeping", "waiting on a resource", ... for legends. */
const char *tv_activity_name(tv_activity activity);

/*
 * Adds to spent[0 .. axis->width) the time `task` spent in each activity in
 * every column, counting only time before `until` (the playhead of a live
 * view; pass axis->t0 + axis->span for all of it).  Adds rather than
 * overwrites, so that a group of tasks can be summed into one lane; the
 * caller zeroes the array first.
 */
void tv_lane_add_spent(const tv_task *task, const tv_axis *axis, tv_time until,
                       tv_spent *spent);

/* The same, sorting time into the classes of `classify` instead. */
void tv_lane_add_spent_by(const tv_task *task, const tv_axis *axis, tv_time until,
                          tv_classify_fn classify, tv_spent *spent);

/* The same as tv_lane_add_spent(), counting only time from `from` on. */
void tv_lane_add_spent_since(const tv_task *task, const tv_axis *axis, tv_time from,
                             tv_time until, tv_spent *spent);

/*
 * The class (activity) among the first `n` that took most of a column, or
 * -1 if the column holds no time of the task at all.
 */
int tv_dominant_activity(const tv_spent spent, int n);

#ifdef __cplusplus
}
#endif

#endif /* TV_LANE_SAMPLE_H */
