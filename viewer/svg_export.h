/*
 * svg_export.h -- a timeline as an SVG picture, for handouts and slides.
 *
 * The same picture as the text timeline and the live viewer -- a lane per
 * task in tree order, coloured by what the task was doing, its outcome
 * where it finished -- drawn with vectors, so it prints sharply at any size
 * and can be dropped into slides.  Sections are bands above the lanes;
 * each bar carries a tooltip (an SVG <title>) with its task, state and
 * times, which browsers show on hover.
 *
 * The output depends on the model and options alone (numbers are printed
 * with fixed decimals), so a handout made from a virtual-time trace is the
 * same every time.
 */
#ifndef TV_SVG_EXPORT_H
#define TV_SVG_EXPORT_H

#include <stdio.h>

#include "trace_model.h"

#ifdef __cplusplus
extern "C" {
#endif

#define TV_SVG_WIDTH 960      /* default width of the picture, in pixels  */
#define TV_SVG_MAX_TASKS 300  /* default lanes before "... and N more"     */

typedef struct tv_svg_options {
    int width;     /* pixels; 0 means TV_SVG_WIDTH (at least 400)            */
    int max_tasks; /* lanes drawn; 0 means TV_SVG_MAX_TASKS                  */
    const char *title; /* a heading, e.g. "chapter 01: Sequential vs gather"; */
                       /* NULL for none                                       */
} tv_svg_options;

/*
 * Draws `window` (a section, or tv_model_whole_run()) of the model as an
 * SVG document to `out`.  `options` may be NULL.  Returns 0, or -1 with
 * errno set (EINVAL for a width below 400 or a window that ends before it
 * starts, or the error of a failed write).
 */
int tv_svg_export(const tv_model *model, const tv_section *window,
                  const tv_svg_options *options, FILE *out);

/* Same, to a new file (replacing any old one).  Returns 0, or -1 with errno. */
int tv_svg_export_path(const tv_model *model, const tv_section *window,
                       const tv_svg_options *options, const char *path);

#ifdef __cplusplus
}
#endif

#endif /* TV_SVG_EXPORT_H */
