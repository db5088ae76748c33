/*
 * time_axis.h -- a stretch of time laid across columns, and its ruler.
 *
 * Every renderer of a timeline maps time to columns (or pixels) and labels
 * the axis with round numbers of seconds.  They share this one mapping, so
 * the text timeline, the live screen and the SVG export agree on where an
 * instant falls and which ticks the ruler shows.
 *
 * All arithmetic is on whole microseconds, so the picture depends on the
 * trace alone, never on floating-point rounding: slice c starts at
 *
 *     t0 + ceil(span * c / width)
 *
 * which is exactly the first instant t for which (t - t0) * width / span,
 * rounded down, is c.  Times and columns therefore always agree.
 */
#ifndef TV_TIME_AXIS_H
#define TV_TIME_AXIS_H

#include <stddef.h>

#include "trace_model.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct tv_axis {
    tv_time t0;   /* the instant at the left edge of column 0             */
    tv_time span; /* the time all the columns cover together (>= 0)      */
    int width;    /* columns (>= 1)                                       */
} tv_axis;

/* Room for any text tv_format_seconds() writes. */
#define TV_SECONDS_BYTES 48

/*
 * The column of an instant in [t0, t0 + span]; the last instant itself is
 * column `width`.  An axis of no time puts everything in column 0.
 * (Inline: renderers ask this for every interval of every lane, every frame.)
 */
static inline int tv_axis_column(const tv_axis *axis, tv_time t)
{
    if (axis->span == 0)
        return 0;
    return (int)((t - axis->t0) * axis->width / axis->span);
}

/* The first instant of slice `column` (see the top of the file). */
static inline tv_time tv_axis_slice_start(const tv_axis *axis, int column)
{
    return axis->t0 + (axis->span * column + axis->width - 1) / axis->width;
}

/*
 * Writes t as seconds with `decimals` digits after the point (0 to 6),
 * rounded to the nearest, e.g. 1500000 with 3 decimals is "1.500".
 */
void tv_format_seconds(char *text, size_t size, tv_time t, int decimals);

/* Digits after the point that labels in steps of `step` need: 0.2 s needs 1. */
int tv_step_decimals(tv_time step);

/*
 * The ruler's step: the smallest of 1, 2, 5, 10, 20, 50, ... microseconds
 * whose labels, even the widest, leave at least `min_gap` columns from one
 * label's start to the next (and two blanks after the label).  Returns 0
 * when even one step does not fit in the span: the ruler then shows only
 * its start.
 */
tv_time tv_axis_ruler_step(const tv_axis *axis, int min_gap);

/* The n-th nice number of the 1, 2, 5 ladder: 1, 2, 5, 10, 20, 50, ... */
tv_time tv_nice_step(int n);

#ifdef __cplusplus
}
#endif

#endif /* TV_TIME_AXIS_H */
