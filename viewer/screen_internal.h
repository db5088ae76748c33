/*
 * screen_internal.h -- what the files of the screen share.
 *
 * screen.c lays the screen out and draws the header and footer;
 * screen_lanes.c the ruler, lanes and legend; screen_panels.c the resources
 * and the event log; screen_overlays.c the details and help boxes.  They all
 * draw through one painter: the grid, and what to draw from.
 */
#ifndef TV_SCREEN_INTERNAL_H
#define TV_SCREEN_INTERNAL_H

#include "glyphs.h"
#include "grid.h"
#include "lane_sample.h"
#include "lanes.h"
#include "screen.h"

typedef struct tv__painter {
    tv_grid *grid;
    const tv_model *model;
    const tv_view *view;
    const tv_glyphs *glyphs;
    const tv_layout *layout;
    tv_lanes *lanes;        /* with the lanes' memos, kept between frames */
    tv_spent *spent; /* scratch: one entry per column of the axis, and one more */
    unsigned *drawn; /* a bit per activity the lanes show, for the legend   */
} tv__painter;

/* screen_lanes.c */

/*
 * Columns for the lanes' names: what the longest name needs, at least
 * `least`, at most a quarter of the screen's `width` (or `least`).
 */
int tv__name_width(const tv_lanes *lanes, int least, int width);
void tv__draw_ruler(const tv__painter *p);
void tv__draw_lanes(const tv__painter *p);
void tv__draw_legend(const tv__painter *p);

/* screen_panels.c */
void tv__draw_resources(const tv__painter *p);
void tv__draw_log(const tv__painter *p);

/* screen_table.c */
void tv__draw_task_table(const tv__painter *p);
void tv__draw_side_panel(const tv__painter *p);

/* screen_overlays.c */
void tv__draw_details(const tv__painter *p);
void tv__draw_help(const tv__painter *p);

/* Helpers, in screen.c. */

/* A box around `r` with a title in its top border; returns its inside. */
tv_rect tv__draw_box(const tv__painter *p, tv_rect r, const char *title);

/* "2.350": seconds with three decimals. */
void tv__format_time(char *text, size_t size, tv_time t);

/* The name of a task, or "task N" when the trace never named it. */
const char *tv__task_name(const tv_model *model, uint32_t id, char *buffer,
                          size_t size);

/* The style of an activity and of an outcome. */
tv_style tv__activity_style(tv_activity activity);
tv_style tv__outcome_style(tv_outcome_kind kind);
uint32_t tv__outcome_glyph(const tv_glyphs *glyphs, tv_outcome_kind kind);

/* The section open at time t (the latest opened), or NULL. */
const tv_section *tv__section_at(const tv_model *model, tv_time t);

#endif /* TV_SCREEN_INTERNAL_H */
