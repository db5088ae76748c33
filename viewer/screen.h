/*
 * screen.h -- the live viewer's screen, drawn into a character grid.
 *
 *     +--------------------------------------------------------------------+
 *     | header: chapter, section, clock, playhead, speed, live or paused   |
 *     | ruler:  seconds ...                          playhead mark         |
 *     | lanes:  one per task (or group), in tree order, bars by activity   |
 *     | legend                                                             |
 *     | +- resources --------------+ +- events -------------------------+ |
 *     | | semaphore pool  3/5 ...  | | 0.500  x fetch-2 error ...       | |
 *     | +--------------------------+ +----------------------------------+ |
 *     | footer: keys                                                       |
 *     +--------------------------------------------------------------------+
 *
 * Everything is computed from the model and the view state (view_state.h)
 * alone, and drawn into a tv_grid: the terminal back end only copies the
 * grid, and the tests compare grids with golden screens.  Below
 * TV_SCREEN_MIN_WIDTH x TV_SCREEN_MIN_HEIGHT the screen says it is too small
 * instead of drawing a layout that cannot fit.
 */
#ifndef TV_SCREEN_H
#define TV_SCREEN_H

#include "grid.h"
#include "lanes.h"
#include "time_axis.h"
#include "trace_model.h"
#include "view_state.h"

#ifdef __cplusplus
extern "C" {
#endif

#define TV_SCREEN_MIN_WIDTH 60
#define TV_SCREEN_MIN_HEIGHT 16

/* A rectangle of the grid. */
typedef struct tv_rect {
    int x, y, width, height;
} tv_rect;

/* Where each part of the screen goes, for a grid of a given size. */
typedef struct tv_layout {
    bool too_small;
    tv_rect header;    /* two rows                                        */
    tv_rect ruler;     /* one row                                         */
    tv_rect lanes;     /* a row per lane                                  */
    tv_rect legend;    /* one row                                         */
    tv_rect resources; /* a boxed panel; no width when there are none     */
    tv_rect log;       /* a boxed panel                                   */
    tv_rect side;      /* on a wide screen, a boxed panel beside the lanes; */
                       /* else no width                                   */
    tv_rect footer;    /* one row                                         */
    int name_width;    /* columns for a lane's name                       */
    tv_axis axis;      /* the time axis of the lanes (set by render)      */
} tv_layout;

/* The layout of a width x height screen. */
tv_layout tv_screen_layout(int width, int height, bool has_resources);

/*
 * The stretch of time the lanes show, across `columns` columns: the whole
 * run when it has ended, else a round number of seconds just past the
 * playhead (so the ruler stays put while the run goes on); each zoom step
 * halves it, around the playhead.
 */
tv_axis tv_screen_axis(const tv_model *model, const tv_view *view, int columns);

/*
 * Draws the whole screen for `model` at view->playhead into `grid` (the
 * grid's size is the screen's).  `lanes` is the caller's, reused from frame
 * to frame; afterwards it holds the lanes drawn, which the caller needs to
 * move the selection.  Also keeps view->selected on a lane that exists and
 * view->scroll such that it is on screen.  Returns 0, or -1 when out of
 * memory (the grid then says so).
 */
int tv_screen_render(tv_grid *grid, const tv_model *model, tv_view *view,
                     tv_lanes *lanes);

/* Rows of lanes the screen of this size shows (for paging). */
int tv_screen_lane_rows(int width, int height, bool has_resources);

#ifdef __cplusplus
}
#endif

#endif /* TV_SCREEN_H */
