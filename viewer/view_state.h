/*
 * view_state.h -- everything the live screen shows that is not the trace.
 *
 * The screen (screen.h) is drawn from two things: the model of the trace,
 * and this struct -- where the playhead is, how fast it moves, which lane is
 * selected, which panels are open, what the header says about the program.
 * The watch loop (watch.h) changes it as keys come in and time passes; the
 * tests set it by hand and compare the screens it gives.
 */
#ifndef TV_VIEW_STATE_H
#define TV_VIEW_STATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "trace_model.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The columns the task table can be sorted by. */
typedef enum tv_sort {
    TV_SORT_LANES,   /* tree order, as the lanes                            */
    TV_SORT_RUNNING, /* most time running first                            */
    TV_SORT_WAITING, /* most time waiting (on anything but sleep) first    */
    TV_SORT_SLEEPING,
    TV_SORT_STATE,   /* running, ready, waiting, then done                 */
    TV_SORT_COUNT
} tv_sort;

typedef struct tv_view {
    /* What is being watched: the header's words. */
    const char *title;        /* "chapter 01 · Sequential vs gather"        */
    const char *knobs;        /* "[ ] delay=0.5  { } n=10", or NULL         */
    const char *source_state; /* "running", "exited 0", "crashed: ...", or NULL */
    bool source_failed;       /* the program failed: say so as a warning    */
    bool replay;              /* a saved trace, not a program running now   */
    bool chapters;            /* n and p go to the next and previous chapter */
    bool utf8;                /* draw with the UTF-8 glyphs, else ASCII     */
    bool lesson;              /* l and L open the chapter's lesson and source */

    /* Playback (playback.h moves these). */
    tv_time playhead;         /* the moment shown                           */
    double speed;             /* times real time                            */
    bool speed_fixed;         /* a live run on the real clock: always 1x    */
    bool paused;
    bool at_end;              /* the playhead is at the end of a finished trace */
    int zoom;                 /* 0: the whole run; each step halves the span */

    /* Lanes. */
    uint32_t selected;        /* the selected task's id; 0 for none         */
    size_t scroll;            /* the first lane on screen                   */
    bool ungrouped;           /* a lane per task, however many ('a')        */
    bool table;               /* the task table instead of the lanes ('t')  */
    tv_sort sort;             /* the task table's order ('c')               */

    /* Panels and overlays. */
    bool details;             /* the selected lane's details                */
    bool help;
    bool output;              /* the log panel shows the program's output   */
    const char *message;      /* a line for the footer, e.g. what a key did */
    const char *const *output_lines; /* the program's own output, oldest first */
    size_t n_output_lines;
} tv_view;

#ifdef __cplusplus
}
#endif

#endif /* TV_VIEW_STATE_H */
