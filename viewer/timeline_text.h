/*
 * timeline_text.h -- a trace drawn as plain text, one row per task.
 *
 *     section gather: 0.500 s of virtual time (t = 0.000 .. 0.500)
 *     seconds        0.0         0.1         0.2         0.3         0.4         0.5
 *     main           ------------------------------------------------------------
 *      fetch-0       ============================================================o
 *      fetch-1       ============================================================o
 *      fetch-2       ============================================================x
 *     # run  = sleep  - await  . ready  : wait (other)  o ok  x error  c cancelled
 *       x fetch-2  error -100: item-2: connection refused
 *
 * Rows come in tree order, each task indented one space under the task that
 * spawned it.  The ruler counts seconds from the start of the window.
 *
 * Each column is a slice of time and shows what the task did for most of the
 * part of that slice it was alive (so a row starts in the column where the
 * task was spawned): '#' running, '=' sleeping, '-' awaiting a task or a
 * gather, ':' waiting on anything else, '.' ready to run (a yield counts as
 * ready).  A finished task gets its outcome -- 'o' ok, 'x' error, 'c'
 * cancelled -- in the column of the instant it finished; the extra column
 * after the last slice holds the instant the window ends, so a task that
 * ends exactly there still shows how.  In virtual time steps take no time,
 * so a task can live for no time at all: its outcome letter alone then marks
 * where it was.
 *
 * The same model and options always give the same bytes: chapters' golden
 * tests and the lessons compare timelines as text.
 */
#ifndef TV_TIMELINE_TEXT_H
#define TV_TIMELINE_TEXT_H

#include <stdio.h>

#include "trace_model.h"

#ifdef __cplusplus
extern "C" {
#endif

#define TV_TIMELINE_WIDTH 60      /* default columns of the time axis        */
#define TV_TIMELINE_MAX_WIDTH 1000
#define TV_TIMELINE_MAX_TASKS 40  /* default task rows before summing up     */
#define TV_TIMELINE_NAME_WIDTH 14 /* columns for the task names              */

typedef struct tv_timeline_options {
    int width;     /* columns of the time axis; 0 means TV_TIMELINE_WIDTH      */
    int max_tasks; /* rows drawn before the rest become "... and N more tasks" */
                   /* (and failures listed before "... and N more"); 0: 40    */
} tv_timeline_options;

/*
 * Draws the tasks of `window` -- a section, or tv_model_whole_run() -- over
 * its time span, to `out`.  Lists below the chart the tasks that failed or
 * were cancelled in the window, and the steps that held the loop too long.
 * `options` may be NULL for the defaults.
 *
 * Returns 0, or -1 with errno set: EINVAL for a width above
 * TV_TIMELINE_MAX_WIDTH or a negative option or a window that ends before it
 * starts, ENOMEM, or the error of a failed write.
 */
int tv_timeline_render(const tv_model *model, const tv_section *window,
                       const tv_timeline_options *options, FILE *out);

/*
 * The same drawing, returned as a string the caller frees; NULL with errno
 * set on failure.
 */
char *tv_timeline_render_string(const tv_model *model, const tv_section *window,
                                const tv_timeline_options *options);

#ifdef __cplusplus
}
#endif

#endif /* TV_TIMELINE_TEXT_H */
