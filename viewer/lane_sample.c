/*
 * lane_sample.c -- adding up a task's time per column and activity.
 */
#include "lane_sample.h"

#include <string.h>

/* Waits that are awaiting other tasks, by their "on" text. */
static const char *const awaits[] = {"wait", "as_completed", "group", NULL};
/* Waits on real work outside the loop. */
static const char *const io_waits[] = {"thread", "process", "subprocess", "http", NULL};

static bool named_in(const char *on, const char *const *names)
{
    for (; on != NULL && *names != NULL; names++)
        if (strcmp(on, *names) == 0)
            return true;
    return false;
}

tv_activity tv_activity_of(const tv_interval *interval)
{
    if (interval->state == TV_STATE_RUNNING)
        return TV_ACT_RUNNING;
    if (interval->state != TV_STATE_WAITING)
        return TV_ACT_READY;
    switch (interval->wait) {
    case TV_WAIT_SLEEP:
        return TV_ACT_SLEEP;
    case TV_WAIT_TASK:
    case TV_WAIT_GATHER:
        return TV_ACT_AWAIT;
    case TV_WAIT_YIELD: /* "let the others go first": ready again at once */
        return TV_ACT_READY;
    default:
        if (named_in(interval->on, awaits))
            return TV_ACT_AWAIT;
        return named_in(interval->on, io_waits) ? TV_ACT_IO : TV_ACT_RESOURCE;
    }
}

const char *tv_activity_name(tv_activity activity)
{
    static const char *const names[TV_N_ACTIVITIES] = {
        [TV_ACT_RUNNING] = "running", [TV_ACT_AWAIT] = "awaiting",
        [TV_ACT_SLEEP] = "sleeping", [TV_ACT_RESOURCE] = "resource",
        [TV_ACT_IO] = "thread/io", [TV_ACT_READY] = "ready"};
    return activity < TV_N_ACTIVITIES ? names[activity] : "?";
}

static int activity_class(const tv_interval *interval)
{
    return (int)tv_activity_of(interval);
}

/*
 * The first interval that ends after t.  Intervals are back to back in time
 * order, so their ends are sorted too: a binary search skips the history
 * before the axis, which matters for a task that took many steps.
 */
static size_t first_ending_after(const tv_task *task, tv_time t)
{
    size_t low = 0, high = task->n_intervals;
    while (low < high) {
        size_t middle = low + (high - low) / 2;
        if (task->intervals[middle].t1 <= t)
            low = middle + 1;
        else
            high = middle;
    }
    return low;
}

/*
 * The starts of columns one after another, found without a division each.
 * Column c starts at t0 + (span * c + width - 1) / width (time_axis.h); from
 * one column to the next the numerator grows by span, so the quotient grows
 * by span / width, and by one more whenever the remainder, growing by
 * span % width, passes width.  A wait across a hundred columns then costs
 * four divisions, not a hundred -- and a live view samples thousands.
 */
typedef struct column_walk {
    tv_time start;     /* the start of the column the walk is at          */
    tv_time remainder; /* of that column's numerator, divided by width    */
    tv_time step, step_remainder;
    int width;
} column_walk;

static column_walk walk_from(const tv_axis *axis, int column)
{
    tv_time numerator = axis->span * column + axis->width - 1;
    return (column_walk){.start = axis->t0 + numerator / axis->width,
                         .remainder = numerator % axis->width,
                         .step = axis->span / axis->width,
                         .step_remainder = axis->span % axis->width,
                         .width = axis->width};
}

/* Moves the walk to the next column; returns that column's start. */
static tv_time next_column(column_walk *walk)
{
    walk->start += walk->step;
    walk->remainder += walk->step_remainder;
    if (walk->remainder >= walk->width) {
        walk->start++;
        walk->remainder -= walk->width;
    }
    return walk->start;
}

/* Adds the part of [from, to) to the columns it covers, as class `what`. */
static void add_stretch(const tv_axis *axis, tv_time from, tv_time to, int what,
                        tv_spent *spent)
{
    int first = tv_axis_column(axis, from), last = tv_axis_column(axis, to - 1);
    if (first == last) { /* most stretches: all in one column, no slicing */
        spent[first][what] += to - from;
        return;
    }
    /* Each column gets the part of the stretch up to the next one's start. */
    column_walk walk = walk_from(axis, first);
    tv_time start = from;
    for (int column = first; column < last; column++) {
        tv_time stop = next_column(&walk);
        spent[column][what] += stop - start;
        start = stop;
    }
    spent[last][what] += to - start;
}

/* The time of `task` in [start, end), sorted by `classify`, added to spent. */
static void add_spent(const tv_task *task, const tv_axis *axis, tv_time start, tv_time end,
                      tv_classify_fn classify, tv_spent *spent)
{
    if (start < axis->t0)
        start = axis->t0;
    if (end > axis->t0 + axis->span)
        end = axis->t0 + axis->span;
    /* A task that had finished by `start` spent no time after it: a live
     * view asks this of every task, every frame, and most tasks of a long
     * run are done, so their histories are not even looked at. */
    if (task->outcome.kind != TV_OUTCOME_NONE && task->outcome.t <= start)
        return;
    for (size_t i = first_ending_after(task, start); i < task->n_intervals; i++) {
        const tv_interval *interval = &task->intervals[i];
        if (interval->t0 >= end)
            break;
        tv_time from = interval->t0 > start ? interval->t0 : start;
        tv_time to = interval->t1 < end ? interval->t1 : end;
        if (from < to)
            add_stretch(axis, from, to, classify(interval), spent);
    }
}

void tv_lane_add_spent_by(const tv_task *task, const tv_axis *axis, tv_time until,
                          tv_classify_fn classify, tv_spent *spent)
{
    add_spent(task, axis, axis->t0, until, classify, spent);
}

void tv_lane_add_spent(const tv_task *task, const tv_axis *axis, tv_time until,
                       tv_spent *spent)
{
    add_spent(task, axis, axis->t0, until, activity_class, spent);
}

void tv_lane_add_spent_since(const tv_task *task, const tv_axis *axis, tv_time from,
                             tv_time until, tv_spent *spent)
{
    add_spent(task, axis, from, until, activity_class, spent);
}

int tv_dominant_activity(const tv_spent spent, int n)
{
    int most = -1;
    for (int a = 0; a < n; a++)
        if (spent[a] > 0 && (most < 0 || spent[a] > spent[most]))
            most = a;
    return most;
}
