/*
 * glyphs.h -- the characters the live viewer draws with, in two sets.
 *
 * On a UTF-8 terminal lanes are drawn with block and shade characters and
 * panels with box-drawing lines; elsewhere (a C or POSIX locale, a serial
 * console) the same screen is drawn in plain ASCII.  Each activity has its
 * own character in both sets, so the lanes stay readable on a monochrome
 * terminal or with NO_COLOR, where colour says nothing.
 */
#ifndef TV_GLYPHS_H
#define TV_GLYPHS_H

#include <stdbool.h>
#include <stdint.h>

#include "lane_sample.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct tv_glyphs {
    uint32_t activity[TV_N_ACTIVITIES]; /* a lane's look, by activity       */
    uint32_t ok, error, cancelled;      /* an outcome, where it happened    */
    uint32_t slow;                      /* a step that held the loop        */
    uint32_t playhead;                  /* the playhead's mark on the ruler */
    uint32_t tick;                      /* a ruler tick                     */
    uint32_t horizontal, vertical;      /* panel borders                    */
    uint32_t top_left, top_right, bottom_left, bottom_right;
    uint32_t branch, last_branch;       /* tree marks: a child, the last one */
    uint32_t gauge_full, gauge_empty;   /* a resource's level               */
    uint32_t more_above, more_below;    /* lanes scrolled out of sight      */
    uint32_t ellipsis;                  /* text that was cut                */
    const char *live, *paused;          /* the header's badges              */
    const char *times;                  /* "×" of a speed                   */
} tv_glyphs;

/* The UTF-8 set, or the ASCII one. */
const tv_glyphs *tv_glyphs_get(bool utf8);

#ifdef __cplusplus
}
#endif

#endif /* TV_GLYPHS_H */
