/*
 * lane_memo.c -- sampling a lane from where it last could change.
 */
#include "lane_memo.h"

#include <stdlib.h>
#include <string.h>

static bool same_axis(const tv_axis *a, const tv_axis *b)
{
    return a->t0 == b->t0 && a->span == b->span && a->width == b->width;
}

/* Whether the memo was made for these tasks on this axis. */
static bool fits(const tv_lane_memo *memo, const tv_task *const *tasks, size_t count,
                 const tv_axis *axis)
{
    return memo->count == count && memo->first_id == tasks[0]->id &&
           memo->last_id == tasks[count - 1]->id && same_axis(&memo->axis, axis);
}

/* Starts the memo over for these tasks and this axis; false when out of memory. */
static bool restart(tv_lane_memo *memo, const tv_task *const *tasks, size_t count,
                    const tv_axis *axis)
{
    if (memo->capacity < axis->width) {
        tv_spent *spent = reallocarray(memo->spent, (size_t)axis->width, sizeof *spent);
        if (spent == NULL)
            return false;
        memo->spent = spent;
        memo->capacity = axis->width;
    }
    memo->first_id = tasks[0]->id;
    memo->last_id = tasks[count - 1]->id;
    memo->count = count;
    memo->axis = *axis;
    memo->stable = 0;
    memo->bound = 0;
    return true;
}

/* The columns that end by `bound`: they hold all the time they ever will. */
static int final_columns(const tv_axis *axis, tv_time bound)
{
    if (bound >= axis->t0 + axis->span)
        return axis->width;
    int column = tv_axis_column(axis, bound);
    return column < 0 ? 0 : column > axis->width ? axis->width : column;
}

int tv_lane_memo_sample(tv_lane_memo *memo, const tv_task *const *tasks, size_t count,
                        const tv_axis *axis, tv_time until, tv_time settled,
                        tv_spent *spent)
{
    tv_time bound = settled < until ? settled : until;
    bool usable = fits(memo, tasks, count, axis) && bound >= memo->bound;
    if (!usable && !restart(memo, tasks, count, axis)) {
        memset(spent, 0, (size_t)axis->width * sizeof *spent);
        for (size_t i = 0; i < count; i++)
            tv_lane_add_spent(tasks[i], axis, until, spent);
        return -1;
    }
    int stable = memo->stable;
    memcpy(spent, memo->spent, (size_t)stable * sizeof *spent);
    memset(spent + stable, 0, (size_t)(axis->width - stable) * sizeof *spent);
    tv_time from = tv_axis_slice_start(axis, stable);
    for (size_t i = 0; i < count; i++)
        tv_lane_add_spent_since(tasks[i], axis, from, until, spent);

    int now_final = final_columns(axis, bound);
    if (now_final > stable)
        memcpy(memo->spent + stable, spent + stable,
               (size_t)(now_final - stable) * sizeof *spent);
    memo->stable = now_final > stable ? now_final : stable;
    memo->bound = bound;
    return 0;
}

void tv_lane_memo_free(tv_lane_memo *memo)
{
    free(memo->spent);
    *memo = (tv_lane_memo){0};
}
